"""Extraction over many documents with worker processes, one document per task.

Parsing is only part of the work: entity recognition and relation finding run per document in
Python, so spreading whole documents over processes scales all of it. A single document (or a
small batch) stays in this process and shares only its parsing (``Extractor.extract_many``).
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from migkg.extract.ingest import SourceDocument
from migkg.extract.pipeline import PARALLEL_MIN_CHARS, Extractor
from migkg.extract.records import DocRecords

__all__ = ["extract_documents"]

logger = logging.getLogger(__name__)

_worker_extractor: Extractor | None = None


def _start_worker() -> None:
    global _worker_extractor
    _worker_extractor = Extractor()


def _extract_in_worker(source: SourceDocument) -> DocRecords:
    assert _worker_extractor is not None, "worker started without its extractor"
    return _worker_extractor.extract(source)


def extract_documents(
    sources: Sequence[SourceDocument], *, jobs: int = 1, extractor: Extractor | None = None
) -> Iterator[DocRecords]:
    """Extract ``sources``; with ``jobs`` > 1 documents go to worker processes.

    Records come back in completion order (each is complete and independent, so the order
    does not change any output). Workers load the configured model themselves, so a custom
    ``extractor`` is only used in this process.
    """
    if not sources:
        return
    total = sum(len(source.text) for source in sources)
    if jobs <= 1 or len(sources) < 2 or total < PARALLEL_MIN_CHARS:
        yield from (extractor or Extractor()).extract_many(sources, jobs=jobs)
        return
    # "spawn": a forked child could inherit a lock held by a logging or progress thread.
    context = multiprocessing.get_context("spawn")
    workers = min(jobs, len(sources))
    # Longest documents first keeps the workers busy until the end.
    queue = sorted(sources, key=lambda source: len(source.text), reverse=True)
    logger.info("extracting %d documents in %d processes", len(queue), workers)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)
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
        pool.shutdown(wait=True, cancel_futures=True)
