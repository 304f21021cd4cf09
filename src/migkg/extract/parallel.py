"""Extraction over many documents with worker processes, one document per task.

Parsing is only part of the work: entity recognition and relation finding run per document in
Python, so spreading whole documents over processes scales all of it. A single document (or a
small batch) stays in this process and shares only its parsing (``Extractor.extract_many``).

A :class:`WorkerPool` outlives one stage: a build extracts in it and then builds document graphs
in the same processes, so it pays for starting them (a second or two each) once.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TYPE_CHECKING, TypeVar

from migkg.extract.ingest import SourceDocument
from migkg.extract.records import DocRecords
from migkg.extract.version import PARALLEL_MIN_CHARS

if TYPE_CHECKING:
    from migkg.extract.pipeline import Extractor

__all__ = ["WorkerPool", "extract_documents", "release_worker_extractor"]

logger = logging.getLogger(__name__)
T = TypeVar("T")

_worker_extractor: Extractor | None = None


def _extract_in_worker(source: SourceDocument) -> DocRecords:
    global _worker_extractor
    if _worker_extractor is None:  # loaded on the first document: not every pool extracts
        from migkg.extract.pipeline import Extractor

        _worker_extractor = Extractor()
    return _worker_extractor.extract(source)


def release_worker_extractor() -> None:
    """Free this worker's extractor (its model), once the pool has moved on to other work."""
    global _worker_extractor
    if _worker_extractor is not None:
        from migkg.extract.pipeline import load_language

        _worker_extractor = None
        load_language.cache_clear()
        gc.collect()


class WorkerPool:
    """``jobs`` worker processes, started when the first task arrives."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._executor: ProcessPoolExecutor | None = None

    def submit(self, function: Callable[..., T], *args: object) -> Future[T]:
        """Run ``function(*args)`` (a module-level function) in a worker."""
        if self._executor is None:
            # "spawn": a forked child could inherit a lock held by a logging or progress thread.
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=context)
        return self._executor.submit(function, *args)

    def close(self) -> None:
        """Stop the workers; queued tasks not started yet are dropped."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def extract_documents(
    sources: Sequence[SourceDocument],
    *,
    jobs: int = 1,
    extractor: Extractor | None = None,
    pool: WorkerPool | None = None,
) -> Iterator[DocRecords]:
    """Extract ``sources``; with ``jobs`` > 1 documents go to worker processes.

    Records come back in completion order (each is complete and independent, so the order
    does not change any output). Workers load the configured model themselves, so a custom
    ``extractor`` is only used in this process. ``pool``: workers to use (and leave running).
    """
    if not sources:
        return
    total = sum(len(source.text) for source in sources)
    if jobs <= 1 or len(sources) < 2 or total < PARALLEL_MIN_CHARS:
        # spaCy is imported only where documents are parsed (here, or in the workers).
        from migkg.extract.pipeline import Extractor

        yield from (extractor or Extractor()).extract_many(sources, jobs=jobs)
        return
    workers = min(jobs, len(sources))
    # Longest documents first keeps the workers busy until the end.
    queue = sorted(sources, key=lambda source: len(source.text), reverse=True)
    logger.info("extracting %d documents in %d processes", len(queue), workers)
    own_pool = pool is None
    if pool is None:
        pool = WorkerPool(workers)
    try:
        running: set[Future[DocRecords]] = set()
        position = 0
        while position < len(queue) or running:
            # A bounded window: the texts of documents not started yet stay in this process.
            while position < len(queue) and len(running) < 2 * workers:
                running.add(pool.submit(_extract_in_worker, queue[position]))
                position += 1
            finished, pending = wait(running, return_when=FIRST_COMPLETED)
            running = set(pending)
            for future in finished:
                yield future.result()
    finally:
        # On an error or an abandoned build, do not finish the queued documents first.
        if own_pool:
            pool.close()
