"""Document graphs built in worker processes, once entity resolution is done.

Resolution needs every document, so graph building is the serial tail of a build; each
document's graph depends only on its records and the resolution, so the tail spreads over
processes like extraction does. Workers send back N-Quads, the form the graph cache keeps:
the parent loads them exactly as it loads a cached graph, so the output is byte-identical to
building in one process.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

import pyoxigraph

from migkg.extract.records import DocRecords
from migkg.extract.resolve import Resolution
from migkg.graph.build import document_facts_graph
from migkg.graph.serialize import graph_quads

__all__ = ["GraphWorkers", "build_graph_nquads"]

logger = logging.getLogger(__name__)

_worker_resolution: Resolution | None = None
_worker_version = ""


def build_graph_nquads(records: DocRecords, resolution: Resolution, pipeline_version: str) -> bytes:
    """One document's graph as N-Quads, its quads in output order."""
    graph = document_facts_graph(records, resolution, pipeline_version=pipeline_version)
    quads = graph_quads(graph)
    return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b""


def _start_worker(resolution: Resolution, pipeline_version: str) -> None:
    global _worker_resolution, _worker_version
    _worker_resolution, _worker_version = resolution, pipeline_version


def _build_in_worker(line: str) -> bytes:
    assert _worker_resolution is not None, "worker started without the resolution"
    return build_graph_nquads(DocRecords.from_json(line), _worker_resolution, _worker_version)


class GraphWorkers:
    """A pool of ``jobs`` processes that turn records (JSON lines) into N-Quads."""

    def __init__(self, jobs: int, resolution: Resolution, pipeline_version: str) -> None:
        # "spawn", as for extraction: a forked child could inherit a held lock.
        context = multiprocessing.get_context("spawn")
        logger.info("building document graphs in %d processes", jobs)
        self._pool = ProcessPoolExecutor(
            jobs,
            mp_context=context,
            initializer=_start_worker,
            initargs=(resolution, pipeline_version),
        )

    def submit(self, line: str) -> Future[bytes]:
        """Start building the graph of the document whose records are ``line``."""
        return self._pool.submit(_build_in_worker, line)

    def close(self) -> None:
        """Stop the workers; queued graphs not started yet are dropped."""
        self._pool.shutdown(wait=True, cancel_futures=True)
