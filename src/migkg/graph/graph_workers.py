"""Document graphs built in worker processes, once entity resolution is done.

Resolution needs every document, so graph building is the serial tail of a build; each
document's graph depends only on its records and the resolution, so the tail spreads over
processes like extraction does. Workers also serialise the graph for every export and send back
those pieces (:mod:`migkg.graph.chunks`), the form the graph cache keeps: the parent loads them
exactly as it loads a cached graph, so the output is byte-identical to building in one process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import tempfile
from concurrent.futures import Future
from pathlib import Path

import pyoxigraph

from migkg.extract.parallel import WorkerPool, release_worker_extractor
from migkg.extract.records import DocRecords
from migkg.extract.resolve import Resolution
from migkg.graph.build import document_facts_graph
from migkg.graph.chunks import graph_chunks
from migkg.graph.iri import entity_iri
from migkg.graph.serialize import graph_quads

__all__ = ["GraphBuilder", "GraphWorkers"]

logger = logging.getLogger(__name__)


class GraphBuilder:
    """Turns one document's records into its graph's export pieces, given the resolution."""

    def __init__(self, resolution: Resolution, pipeline_version: str) -> None:
        self.resolution = resolution
        self.pipeline_version = pipeline_version
        # Subjects described in the entities graph: every canonical entity.
        self.entity_subjects = frozenset(
            pyoxigraph.NamedNode(str(entity_iri(canonical_id)))
            for canonical_id in resolution.entities
        )

    def build(self, records: DocRecords) -> bytes:
        """The document's graph, as :meth:`GraphChunks.to_bytes` writes it."""
        graph = document_facts_graph(
            records, self.resolution, pipeline_version=self.pipeline_version
        )
        return graph_chunks(graph_quads(graph), self.entity_subjects).to_bytes()


# Per worker process: the builder of the resolution file it was last given.
_worker_builders: dict[str, GraphBuilder] = {}


def _build_in_worker(resolution_file: str, pipeline_version: str, line: str) -> bytes:
    builder = _worker_builders.get(resolution_file)
    if builder is None:
        # Extraction is over once graphs are built: the model's memory goes to the graphs.
        release_worker_extractor()
        with open(resolution_file, "rb") as stream:
            resolution = pickle.load(stream)
        _worker_builders.clear()
        builder = _worker_builders[resolution_file] = GraphBuilder(resolution, pipeline_version)
    return builder.build(DocRecords.from_json(line))


class GraphWorkers:
    """Document graphs built in the processes of a :class:`WorkerPool`.

    The resolution goes to the workers once, as a file each reads on its first graph (a pool's
    processes cannot be addressed one by one, and sending it with every graph would cost more
    than building small graphs).
    """

    def __init__(
        self, pool: WorkerPool, resolution: Resolution, pipeline_version: str, scratch: Path
    ) -> None:
        self._pool = pool
        self._version = pipeline_version
        handle, name = tempfile.mkstemp(prefix="resolution-", suffix=".pickle", dir=scratch)
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(resolution, stream, protocol=pickle.HIGHEST_PROTOCOL)
        self._resolution_file = name
        logger.info("building document graphs in %d processes", pool.jobs)

    def submit(self, line: str) -> Future[bytes]:
        """Start building the graph of the document whose records are ``line``."""
        return self._pool.submit(_build_in_worker, self._resolution_file, self._version, line)

    def close(self) -> None:
        """Remove the resolution file (the pool's owner stops the workers)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._resolution_file)
