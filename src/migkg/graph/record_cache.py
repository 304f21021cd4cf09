"""Extracted records kept between builds, so a rebuild extracts only new or changed documents.

Each document has two files in ``DIR/cache``, named after its content hash and the pipeline
fingerprint (a changed pipeline, model or gazetteer changes every name): its full records, one
JSON line as ``records.jsonl`` holds it, and a summary, which is what the rest of a build needs
of an unchanged document: the entities and affiliations entity resolution reads, and the counts
the build reports. A rebuild reads summaries only; a full record is read again only when its
graph has to be built again. Entries of an earlier build are hard-linked, not copied.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from migkg.extract.ingest import SourceDocument
from migkg.extract.records import DocRecords
from migkg.extract.version import pipeline_fingerprint
from migkg.graph.store import link_or_copy, write_atomic

__all__ = ["RecordCache", "StoredRecords", "for_resolution"]

logger = logging.getLogger(__name__)

_SUMMARY_SUFFIX = ".summary.json"


def for_resolution(records: DocRecords) -> DocRecords:
    """What entity resolution reads of a document: its entities and affiliations."""
    return replace(
        records,
        mentions=[],
        relations=[r for r in records.relations if r.type == "affiliation"],
    )


@dataclass(slots=True)
class StoredRecords:
    """A document's records as a build carries them: a summary, and where the full line is.

    ``light``: the records for entity resolution (see :func:`for_resolution`); ``mentions``
    and ``relation_counts``: what the full records hold. The full JSON line is the bytes
    ``[offset, offset + length)`` of ``path`` (the whole file when ``length`` is None).
    """

    light: DocRecords
    mentions: int
    relation_counts: dict[str, int]
    path: Path
    offset: int = 0
    length: int | None = None

    @classmethod
    def of(
        cls, records: DocRecords, path: Path, offset: int = 0, length: int | None = None
    ) -> StoredRecords:
        """The summary of ``records``, whose JSON line is stored at ``path``."""
        counts = Counter(relation.type for relation in records.relations)
        return cls(
            for_resolution(records), len(records.mentions), dict(counts), path, offset, length
        )

    def line(self) -> bytes:
        """The full records, one JSON line ending in a newline."""
        with self.path.open("rb") as stream:
            stream.seek(self.offset)
            data = stream.read() if self.length is None else stream.read(self.length)
        return data if data.endswith(b"\n") else data + b"\n"

    def records(self) -> DocRecords:
        """The full records, read back."""
        return DocRecords.from_json(self.line())

    def summary_json(self) -> bytes:
        """The summary file's content."""
        data = self.light.as_dict()
        data["mention_count"] = self.mentions
        data["relation_counts"] = self.relation_counts
        return (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def from_summary(cls, data: bytes, path: Path) -> StoredRecords:
        """Read a summary file (see :meth:`summary_json`) of the records at ``path``."""
        parsed = json.loads(data)
        counts = {str(k): int(v) for k, v in parsed["relation_counts"].items()}
        return cls(DocRecords.from_dict(parsed), int(parsed["mention_count"]), counts, path)


class RecordCache:
    """Records of this build in ``target``; ``lookup``: cache folders of earlier builds."""

    def __init__(self, target: Path, lookup: list[Path]) -> None:
        self.target = target
        self.lookup = lookup

    @staticmethod
    def name(content_hash: str) -> str:
        """The file name of a document's full records."""
        return f"{content_hash}-{pipeline_fingerprint()}.json"

    def put(self, records: DocRecords) -> StoredRecords:
        """Keep freshly extracted records (full and summary)."""
        path = self.target / self.name(records.content_hash)
        write_atomic(path, (records.to_json() + "\n").encode("utf-8"))
        stored = StoredRecords.of(records, path)
        write_atomic(_summary_path(path), stored.summary_json())
        return stored

    def reuse(self, source: SourceDocument) -> StoredRecords | None:
        """The records an earlier build extracted from the same bytes, now kept here too."""
        name = self.name(source.content_hash)
        for folder in self.lookup:
            if not (folder / name).is_file():
                continue
            stored = self._read(folder / name)
            if stored is None:
                continue
            light = stored.light
            if (light.source_path, light.doc_id) == (source.path, source.doc_id):
                link_or_copy(folder / name, self.target / name)
                if _summary_path(folder / name).is_file():
                    link_or_copy(_summary_path(folder / name), _summary_path(self.target / name))
                else:
                    write_atomic(_summary_path(self.target / name), stored.summary_json())
                stored.path = self.target / name
                return stored
            # The same bytes now sit under another path or name: the records say where.
            records = stored.records()
            records.source_path, records.doc_id = source.path, source.doc_id
            return self.put(records)
        return None

    def _read(self, path: Path) -> StoredRecords | None:
        try:
            summary = _summary_path(path)
            if summary.is_file():
                return StoredRecords.from_summary(summary.read_bytes(), path)
            # A cache written before summaries existed: summarise the full records.
            return StoredRecords.of(DocRecords.from_json(path.read_bytes()), path)
        except (OSError, ValueError, KeyError, TypeError):
            logger.warning("%s: unreadable cache entry, extracting again", path)
            return None


def _summary_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".json") + _SUMMARY_SUFFIX)
