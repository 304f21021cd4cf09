"""The build job: documents in, store and exports out (``migkg build``).

A build streams: each document's records go to a per-document cache file as soon as they are
extracted, entity resolution reads only the entities and affiliations of every document, and
each document's graph is built and loaded into the store on its own. Memory grows with the
number of canonical entities, not with the size of the corpus.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from migkg.errors import BuildError, InputError
from migkg.extract.ingest import SourceDocument, discover_documents, read_document
from migkg.extract.parallel import WorkerPool, extract_documents
from migkg.extract.records import DocRecords
from migkg.extract.resolve import resolve_entities
from migkg.extract.version import PARALLEL_MIN_CHARS, PIPELINE_VERSION
from migkg.graph.build import entities_graph
from migkg.graph.chunks import GraphChunks
from migkg.graph.graph_cache import GraphCache
from migkg.graph.graph_workers import GraphBuilder, GraphWorkers
from migkg.graph.iri import ENTITIES_GRAPH, document_graph
from migkg.graph.record_cache import RecordCache, StoredRecords
from migkg.graph.store import (
    STORE_DIR,
    StagedOutput,
    build_lock,
    interrupted_builds,
    summary_json,
)

if TYPE_CHECKING:
    from migkg.extract.pipeline import Extractor

__all__ = ["CACHE_DIR", "ENGINES", "BuildResult", "build", "build_from_records"]

CACHE_DIR = "cache"
ENGINES = ("local", "spark")
# The RDF files written beside the store, each streamed from it.
EXPORTS = {"graph.nq": "nquads", "graph.trig": "trig", "graph.ttl": "turtle"}

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]


@dataclass(slots=True)
class BuildResult:
    """What a build produced."""

    out_dir: Path
    documents: list[str]
    triples: int
    entity_counts: dict[str, int]
    relation_counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)


def _unique_ids(sources: list[SourceDocument]) -> list[SourceDocument]:
    seen: Counter[str] = Counter()
    unique = []
    for source in sources:
        seen[source.doc_id] += 1
        if seen[source.doc_id] > 1:
            # Two files with the same name in different folders: tell them apart by content.
            source = SourceDocument(
                source.path,
                f"{source.doc_id}-{source.content_hash[:8]}",
                source.text,
                source.media_type,
                source.content_hash,
                source.warnings,
            )
        unique.append(source)
    return unique


@dataclass(slots=True)
class _Pending:
    """A document on its way into the output: a cached graph, a graph being built, or neither."""

    stored: StoredRecords
    line: bytes  # the full records, read once
    key: str
    cached: GraphChunks | None
    future: Future[bytes] | None


class _Assembly:
    """Counts and summaries gathered while documents flow through the build."""

    def __init__(self) -> None:
        self.documents: list[dict[str, object]] = []
        self.relation_counts: Counter[str] = Counter()
        self.warnings: list[str] = []

    def add(self, stored: StoredRecords) -> None:
        records = stored.light
        self.documents.append(
            {
                "path": records.source_path,
                "id": records.doc_id,
                "sha256": records.content_hash,
                "entities": len(records.entities),
                "mentions": stored.mentions,
                "relations": sum(stored.relation_counts.values()),
                "warnings": records.warnings,
            }
        )
        self.relation_counts.update(stored.relation_counts)
        self.warnings.extend(records.warnings)


def _assemble(
    staged: StagedOutput,
    documents: list[StoredRecords],
    graph_cache: GraphCache | None = None,
    previous_graphs: dict[str, str] | None = None,
    pool: WorkerPool | None = None,
) -> BuildResult:
    """Resolve entities, then stream every document's graph into the staged store.

    With a ``graph_cache``, a document whose graph would come out the same as in an earlier
    build takes that graph instead of building it again; ``previous_graphs`` (graph name →
    key) says which of those the copied previous store already holds. With a ``pool``, the
    graphs to build go to its processes (when there is enough to build) and are added in
    document order all the same.
    """
    resolution = resolve_entities([stored.light for stored in documents])
    keys = [graph_cache.key(s.light, resolution) if graph_cache else "" for s in documents]
    to_build = [
        stored
        for stored, key in zip(documents, keys, strict=True)
        if graph_cache is None or not graph_cache.has(key)
    ]
    assembly = _Assembly()
    builder = GraphBuilder(resolution, PIPELINE_VERSION)
    workers = None
    if pool is not None and _worth_parallel([s.light.char_count for s in to_build]):
        workers = GraphWorkers(pool, resolution, PIPELINE_VERSION, staged.path)
    window_size = 2 * pool.jobs if workers is not None and pool is not None else 1
    # Documents whose graphs are being built, oldest first: a bounded window keeps the
    # workers busy while graphs go into the output in document order.
    window: deque[_Pending] = deque()

    def add(pending: _Pending) -> None:
        records_file.write(pending.line)
        name = pyoxigraph.NamedNode(str(document_graph(pending.stored.light.doc_id)))
        if pending.cached is not None:
            unchanged = (previous_graphs or {}).get(name.value) == pending.key
            staged.add_chunks(name, pending.cached, in_store=unchanged)
        else:
            if pending.future is not None:
                data = pending.future.result()
            else:
                data = builder.build(DocRecords.from_json(pending.line))
            staged.add_chunks(name, GraphChunks.from_bytes(data))
            if graph_cache:
                graph_cache.put(pending.key, data)
        assembly.add(pending.stored)

    try:
        staged.add_graph(entities_graph(resolution))
        with (staged.path / "records.jsonl").open("wb") as records_file:
            manifest: dict[str, str] = {}
            for stored, key in zip(documents, keys, strict=True):
                cached = graph_cache.get(key) if graph_cache else None
                manifest[str(document_graph(stored.light.doc_id))] = key
                line = stored.line()
                future = None
                if workers is not None and cached is None:
                    future = workers.submit(line.decode("utf-8"))
                window.append(_Pending(stored, line, key, cached, future))
                while len(window) > window_size:
                    add(window.popleft())
            while window:
                add(window.popleft())
            if graph_cache:
                graph_cache.write_manifest(manifest)
    except (ValueError, SyntaxError, OSError) as error:
        raise BuildError(f"cannot write the graph: {error}") from error
    finally:
        if workers is not None:
            workers.close()
    staged.write_file(
        "merge_log.jsonl",
        "".join(
            json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n"
            for item in resolution.merge_log
        ).encode("utf-8"),
    )
    entity_counts = Counter(e.type for e in resolution.entities.values())
    summary = {
        "pipeline_version": PIPELINE_VERSION,
        "documents": assembly.documents,
        "entities": dict(sorted(entity_counts.items())),
        "relations": dict(sorted(assembly.relation_counts.items())),
        "quads": staged.quads,
    }
    staged.write_file("build.json", summary_json(summary))
    try:
        staged.commit()
    except (ValueError, SyntaxError, OSError) as error:
        raise BuildError(f"cannot write the graph: {error}") from error
    return BuildResult(
        staged.out_dir,
        [str(d["path"]) for d in assembly.documents],
        staged.quads,
        dict(entity_counts),
        dict(assembly.relation_counts),
        assembly.warnings,
    )


def _extract(
    pending: list[SourceDocument],
    *,
    engine: str,
    jobs: int,
    extractor: Extractor | None,
    spark_master: str | None,
    pool: WorkerPool | None,
) -> Iterable[DocRecords]:
    if engine == "spark":
        from migkg.extract.spark import extract_with_spark

        return extract_with_spark(pending, master=spark_master)
    return extract_documents(pending, jobs=jobs, extractor=extractor, pool=pool)


@contextlib.contextmanager
def _staged(
    out_dir: Path, *, reuse_store: bool = False
) -> Iterator[tuple[StagedOutput, list[Path]]]:
    """A fresh staging directory, plus the cache folders of builds that were killed."""
    leftovers = interrupted_builds(out_dir)
    previous = out_dir.resolve() / STORE_DIR
    staged = StagedOutput(
        out_dir,
        EXPORTS,
        pyoxigraph.NamedNode(str(ENTITIES_GRAPH)),
        previous_store=previous if reuse_store and previous.is_dir() else None,
    )
    try:
        yield staged, [path / CACHE_DIR for path in leftovers]
    except BaseException:
        staged.discard()
        raise
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)


def build(
    paths: list[str],
    out_dir: Path,
    *,
    extractor: Extractor | None = None,
    jobs: int = 1,
    engine: str = "local",
    spark_master: str | None = None,
    progress: ProgressCallback | None = None,
) -> BuildResult:
    """Extract every document under ``paths`` and write the graph into ``out_dir``.

    Raises
    ------
    MigKGError
        A path is missing, a document cannot be read, or the output is locked; nothing that
        was in ``out_dir`` before is changed.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    files = discover_documents(paths)
    sources = _unique_ids([read_document(path) for path in files])
    # One pool of worker processes for extraction and then graph building (started on demand).
    pool = WorkerPool(jobs) if jobs > 1 else None
    try:
        return _build(sources, out_dir, extractor, jobs, engine, spark_master, progress, pool)
    finally:
        if pool is not None:
            pool.close()


def _build(
    sources: list[SourceDocument],
    out_dir: Path,
    extractor: Extractor | None,
    jobs: int,
    engine: str,
    spark_master: str | None,
    progress: ProgressCallback | None,
    pool: WorkerPool | None,
) -> BuildResult:
    with build_lock(out_dir), _staged(out_dir, reuse_store=True) as (staged, leftover_caches):
        cache = staged.path / CACHE_DIR
        cache.mkdir()
        previous_cache = out_dir.resolve() / CACHE_DIR
        record_cache = RecordCache(cache, [previous_cache, *leftover_caches])
        stored: dict[str, StoredRecords] = {}
        for source in sources:
            found = record_cache.reuse(source)
            if found is not None:
                stored[source.doc_id] = found
        pending = [source for source in sources if source.doc_id not in stored]
        reused = len(stored)
        extracted = _extract(
            pending,
            engine=engine,
            jobs=jobs,
            extractor=extractor,
            spark_master=spark_master,
            pool=pool,
        )
        for records in extracted:
            stored[records.doc_id] = record_cache.put(records)
            if progress is not None:
                progress(records.source_path, len(stored) - reused, len(pending))
        logger.info("%d document(s) extracted, %d reused from the cache", len(pending), reused)
        graphs = GraphCache(cache, [previous_cache, *leftover_caches])
        previous_graphs = GraphCache.read_manifest(previous_cache) if staged.reused_store else {}
        result = _assemble(
            staged,
            [stored[source.doc_id] for source in sources],
            graphs,
            previous_graphs,
            pool,
        )
        logger.info("%d document graph(s) reused from the cache", graphs.reused)
        return result


def _worth_parallel(sizes: list[int]) -> bool:
    # Worker processes take a second or two to start: only worth it for larger work.
    return len(sizes) > 1 and sum(sizes) >= PARALLEL_MIN_CHARS


def _records_lines(path: Path) -> Iterator[StoredRecords]:
    """Each line of a records file, summarised, with where it lies in the file."""
    offset = 0
    try:
        with path.open("rb") as stream:
            for number, line in enumerate(stream, 1):
                start, offset = offset, offset + len(line)
                if not line.strip():
                    continue
                try:
                    records = DocRecords.from_json(line)
                except (ValueError, KeyError, TypeError) as error:
                    raise InputError(f"{path}:{number}: not a migkg record ({error})") from error
                yield StoredRecords.of(records, path, start, len(line))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read records ({error})") from error


def build_from_records(records_path: Path, out_dir: Path) -> BuildResult:
    """Build the graph from a ``records.jsonl`` written by an earlier build, without extracting.

    The file is read line by line and never whole: first for entity resolution, then each
    document's line again when its graph is built.
    """
    if not records_path.is_file():
        raise InputError(f"{records_path}: no such records file")
    documents = []
    seen: set[str] = set()
    for stored in _records_lines(records_path):
        if stored.light.doc_id in seen:
            raise InputError(f"{records_path}: document {stored.light.doc_id!r} appears twice")
        seen.add(stored.light.doc_id)
        documents.append(stored)
    if not documents:
        raise InputError(f"{records_path}: holds no records")
    with build_lock(out_dir), _staged(out_dir) as (staged, _):
        return _assemble(staged, documents)
