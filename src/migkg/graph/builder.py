"""The build job: documents in, store and exports out (``migkg build``)."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from migkg.errors import BuildError
from migkg.extract.ingest import SourceDocument, discover_documents, read_document
from migkg.extract.pipeline import PIPELINE_VERSION, Extractor, pipeline_fingerprint
from migkg.extract.records import DocRecords
from migkg.extract.resolve import resolve_entities
from migkg.graph.build import build_dataset
from migkg.graph.store import (
    build_lock,
    dataset_quads,
    serialize_quads,
    summary_json,
    write_output,
)

__all__ = ["CACHE_DIR", "BuildResult", "build"]

CACHE_DIR = "cache"

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


def _cache_key(content_hash: str) -> str:
    # A changed pipeline, model or gazetteer changes the fingerprint and so every key.
    return f"{content_hash}-{pipeline_fingerprint()}"


def _cached_records(out_dir: Path, sources: list[SourceDocument]) -> dict[str, DocRecords]:
    """Records of the previous build for documents whose bytes have not changed."""
    folder = out_dir / CACHE_DIR
    found: dict[str, DocRecords] = {}
    if not folder.is_dir():
        return found
    for source in sources:
        path = folder / f"{_cache_key(source.content_hash)}.json"
        if not path.is_file():
            continue
        try:
            records = DocRecords.from_json(path.read_text(encoding="utf-8"))
        except (ValueError, KeyError, TypeError):
            logger.warning("%s: unreadable cache entry, extracting again", path)
            continue
        # The same bytes may now sit under another path or name.
        records.source_path, records.doc_id = source.path, source.doc_id
        found[source.doc_id] = records
    return found


def build(
    paths: list[str],
    out_dir: Path,
    *,
    extractor: Extractor | None = None,
    jobs: int = 1,
    progress: ProgressCallback | None = None,
) -> BuildResult:
    """Extract every document under ``paths`` and write the graph into ``out_dir``.

    Raises
    ------
    MigKGError
        A path is missing, a document cannot be read, or the output is locked; nothing that
        was in ``out_dir`` before is changed.
    """
    files = discover_documents(paths)
    sources = _unique_ids([read_document(path) for path in files])
    with build_lock(out_dir):
        cached = _cached_records(out_dir, sources)
        pending = [source for source in sources if source.doc_id not in cached]
        extracted: dict[str, DocRecords] = {}
        if pending:
            extractor = extractor or Extractor()
            for doc in extractor.extract_many(pending, jobs=jobs):
                extracted[doc.doc_id] = doc
                if progress is not None:
                    progress(doc.source_path, len(extracted), len(pending))
        records = [cached.get(s.doc_id) or extracted[s.doc_id] for s in sources]
        logger.info(
            "%d document(s) extracted, %d reused from the cache", len(extracted), len(cached)
        )
        resolution = resolve_entities(records)
        dataset = build_dataset(records, resolution, pipeline_version=PIPELINE_VERSION)
        try:
            quads = dataset_quads(dataset)
            nquads = serialize_quads(quads, "nquads")
            trig = serialize_quads(quads, "trig")
            turtle = serialize_quads(quads, "turtle")
        except (ValueError, SyntaxError, OSError) as error:
            raise BuildError(f"cannot serialize the graph: {error}") from error
        records_jsonl = "".join(r.to_json() + "\n" for r in records).encode("utf-8")
        merge_log = "".join(
            json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n"
            for item in resolution.merge_log
        ).encode("utf-8")
        entity_counts = Counter(e.type for e in resolution.entities.values())
        relation_counts = Counter(r.type for doc in records for r in doc.relations)
        triples = len(dataset)
        summary = {
            "pipeline_version": PIPELINE_VERSION,
            "documents": [
                {
                    "path": r.source_path,
                    "id": r.doc_id,
                    "sha256": r.content_hash,
                    "entities": len(r.entities),
                    "mentions": len(r.mentions),
                    "relations": len(r.relations),
                    "warnings": r.warnings,
                }
                for r in records
            ],
            "entities": dict(sorted(entity_counts.items())),
            "relations": dict(sorted(relation_counts.items())),
            "quads": triples,
        }
        cache_files = {
            f"{CACHE_DIR}/{_cache_key(r.content_hash)}.json": (r.to_json() + "\n").encode("utf-8")
            for r in records
        }
        write_output(
            out_dir,
            nquads,
            {
                **cache_files,
                "graph.trig": trig,
                "graph.ttl": turtle,
                "records.jsonl": records_jsonl,
                "merge_log.jsonl": merge_log,
                "build.json": summary_json(summary),
            },
        )
    warnings = [w for r in records for w in r.warnings]
    return BuildResult(
        out_dir,
        [r.source_path for r in records],
        triples,
        dict(entity_counts),
        dict(relation_counts),
        warnings,
    )
