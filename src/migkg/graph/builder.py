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
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph

from migkg.errors import BuildError, InputError
from migkg.extract.ingest import SourceDocument, discover_documents, read_document
from migkg.extract.parallel import extract_documents
from migkg.extract.pipeline import (
    PARALLEL_MIN_CHARS,
    PIPELINE_VERSION,
    Extractor,
    pipeline_fingerprint,
)
from migkg.extract.records import DocRecords
from migkg.extract.resolve import resolve_entities
from migkg.graph.build import entities_graph
from migkg.graph.graph_cache import GraphCache
from migkg.graph.graph_workers import GraphWorkers, build_graph_nquads
from migkg.graph.iri import ENTITIES_GRAPH, document_graph
from migkg.graph.store import (
    STORE_DIR,
    StagedOutput,
    build_lock,
    interrupted_builds,
    summary_json,
    write_atomic,
)

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


def _cache_name(content_hash: str) -> str:
    # A changed pipeline, model or gazetteer changes the fingerprint and so every name.
    return f"{content_hash}-{pipeline_fingerprint()}.json"


def _for_resolution(records: DocRecords) -> DocRecords:
    """What entity resolution reads of a document: its entities and affiliations."""
    return replace(
        records,
        mentions=[],
        relations=[r for r in records.relations if r.type == "affiliation"],
    )


def _read_records(path: Path) -> DocRecords | None:
    try:
        return DocRecords.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        logger.warning("%s: unreadable cache entry, extracting again", path)
        return None


@dataclass(slots=True)
class _Pending:
    """A document on its way into the output: cached quads, a graph being built, or neither."""

    line: str
    records: DocRecords
    key: str
    cached: list[pyoxigraph.Quad] | None
    future: Future[bytes] | None


class _Assembly:
    """Counts and summaries gathered while documents flow through the build."""

    def __init__(self) -> None:
        self.documents: list[dict[str, object]] = []
        self.relation_counts: Counter[str] = Counter()
        self.warnings: list[str] = []

    def add(self, records: DocRecords) -> None:
        self.documents.append(
            {
                "path": records.source_path,
                "id": records.doc_id,
                "sha256": records.content_hash,
                "entities": len(records.entities),
                "mentions": len(records.mentions),
                "relations": len(records.relations),
                "warnings": records.warnings,
            }
        )
        self.relation_counts.update(r.type for r in records.relations)
        self.warnings.extend(records.warnings)


def _assemble(
    staged: StagedOutput,
    for_resolution: list[DocRecords],
    full_records: Callable[[], Iterator[tuple[str, DocRecords]]],
    graph_cache: GraphCache | None = None,
    previous_graphs: dict[str, str] | None = None,
    jobs: int = 1,
) -> BuildResult:
    """Resolve entities, then stream every document's graph into the staged store.

    ``full_records`` yields each document's records with their JSON line. With a
    ``graph_cache``, a document whose graph would come out the same as in an earlier build
    takes that graph instead of building it again; ``previous_graphs`` (graph name → key) says
    which of those the copied previous store already holds. With ``jobs`` > 1 the graphs are
    built in that many processes and added in document order all the same.
    """
    resolution = resolve_entities(for_resolution)
    del for_resolution
    assembly = _Assembly()
    workers = GraphWorkers(jobs, resolution, PIPELINE_VERSION) if jobs > 1 else None
    # Documents whose graphs are being built, oldest first: a bounded window keeps the
    # workers busy while graphs go into the output in document order.
    window: deque[_Pending] = deque()

    def add(pending: _Pending) -> None:
        records_file.write(pending.line.rstrip("\n") + "\n")
        name = pyoxigraph.NamedNode(str(document_graph(pending.records.doc_id)))
        if pending.cached is not None:
            unchanged = (previous_graphs or {}).get(name.value) == pending.key
            staged.add_quads(name, pending.cached, in_store=unchanged)
        else:
            if pending.future is not None:
                data = pending.future.result()
            else:
                data = build_graph_nquads(pending.records, resolution, PIPELINE_VERSION)
            quads = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS))
            staged.add_quads(name, quads)
            if graph_cache:
                graph_cache.put_nquads(pending.key, data)
        assembly.add(pending.records)

    try:
        staged.add_graph(entities_graph(resolution))
        with (staged.path / "records.jsonl").open("w", encoding="utf-8") as records_file:
            manifest: dict[str, str] = {}
            for line, records in full_records():
                key = graph_cache.key(records, resolution) if graph_cache else ""
                cached = graph_cache.get(key) if graph_cache else None
                manifest[str(document_graph(records.doc_id))] = key
                future = workers.submit(line) if workers and cached is None else None
                window.append(_Pending(line, records, key, cached, future))
                while len(window) > 2 * jobs:
                    add(window.popleft())
            while window:
                add(window.popleft())
            if graph_cache:
                graph_cache.write_manifest(manifest)
    except (ValueError, SyntaxError) as error:
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


def _reuse_cached(
    sources: list[SourceDocument], folders: list[Path], cache: Path
) -> dict[str, DocRecords]:
    """Copy still-valid records of earlier (or interrupted) builds into ``cache``."""
    reused: dict[str, DocRecords] = {}
    for source in sources:
        name = _cache_name(source.content_hash)
        for folder in folders:
            records = _read_records(folder / name) if (folder / name).is_file() else None
            if records is None:
                continue
            # The same bytes may now sit under another path or name.
            records.source_path, records.doc_id = source.path, source.doc_id
            write_atomic(cache / name, (records.to_json() + "\n").encode("utf-8"))
            reused[source.doc_id] = _for_resolution(records)
            break
    return reused


def _extract(
    pending: list[SourceDocument],
    *,
    engine: str,
    jobs: int,
    extractor: Extractor | None,
    spark_master: str | None,
) -> Iterable[DocRecords]:
    if engine == "spark":
        from migkg.extract.spark import extract_with_spark

        return extract_with_spark(pending, master=spark_master)
    return extract_documents(pending, jobs=jobs, extractor=extractor)


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
    with build_lock(out_dir), _staged(out_dir, reuse_store=True) as (staged, leftover_caches):
        cache = staged.path / CACHE_DIR
        cache.mkdir()
        light = _reuse_cached(sources, [out_dir.resolve() / CACHE_DIR, *leftover_caches], cache)
        pending = [source for source in sources if source.doc_id not in light]
        reused = len(light)
        for records in _extract(
            pending, engine=engine, jobs=jobs, extractor=extractor, spark_master=spark_master
        ):
            write_atomic(
                cache / _cache_name(records.content_hash),
                (records.to_json() + "\n").encode("utf-8"),
            )
            light[records.doc_id] = _for_resolution(records)
            if progress is not None:
                progress(records.source_path, len(light) - reused, len(pending))
        logger.info("%d document(s) extracted, %d reused from the cache", len(pending), reused)

        def full_records() -> Iterator[tuple[str, DocRecords]]:
            for source in sources:
                path = cache / _cache_name(source.content_hash)
                try:
                    line = path.read_text(encoding="utf-8")
                    yield line, DocRecords.from_json(line)
                except (OSError, ValueError, KeyError, TypeError) as error:
                    raise BuildError(
                        f"{source.path}: its extracted records could not be read back ({error})"
                    ) from error

        previous_cache = out_dir.resolve() / CACHE_DIR
        graphs = GraphCache(cache, [previous_cache, *leftover_caches])
        previous_graphs = GraphCache.read_manifest(previous_cache) if staged.reused_store else {}
        result = _assemble(
            staged,
            [light[source.doc_id] for source in sources],
            full_records,
            graphs,
            previous_graphs,
            jobs=jobs if _worth_parallel(sources) else 1,
        )
        logger.info("%d document graph(s) reused from the cache", graphs.reused)
        return result


def _worth_parallel(sources: list[SourceDocument]) -> bool:
    # Worker processes take about a second to start: only worth it for a larger corpus.
    return len(sources) > 1 and sum(len(s.text) for s in sources) >= PARALLEL_MIN_CHARS


def _records_lines(path: Path) -> Iterator[tuple[str, DocRecords]]:
    try:
        with path.open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    yield line, DocRecords.from_json(line)
                except (ValueError, KeyError, TypeError) as error:
                    raise InputError(f"{path}:{number}: not a migkg record ({error})") from error
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read records ({error})") from error


def build_from_records(records_path: Path, out_dir: Path) -> BuildResult:
    """Build the graph from a ``records.jsonl`` written by an earlier build, without extracting.

    The file is read twice (entities first, then each document's facts) and never whole.
    """
    if not records_path.is_file():
        raise InputError(f"{records_path}: no such records file")
    light = []
    seen: set[str] = set()
    for _, records in _records_lines(records_path):
        if records.doc_id in seen:
            raise InputError(f"{records_path}: document {records.doc_id!r} appears twice")
        seen.add(records.doc_id)
        light.append(_for_resolution(records))
    if not light:
        raise InputError(f"{records_path}: holds no records")
    with build_lock(out_dir), _staged(out_dir) as (staged, _):
        return _assemble(staged, light, lambda: _records_lines(records_path))
