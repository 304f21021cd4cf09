"""Plain records that leave the extraction stage: mentions, entities, relations, per document.

No spaCy object crosses this seam; every record serialises to JSON (one line in a JSONL file).
All offsets are Unicode code points in the document's original decoded text, end exclusive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ENTITY_TYPES",
    "RELATION_TYPES",
    "DocRecords",
    "Entity",
    "Evidence",
    "Mention",
    "Relation",
]

ENTITY_TYPES = ("person", "organization", "state", "framework", "collective", "meeting")
RELATION_TYPES = ("affiliation", "citation", "commitment", "proposal", "participation", "part_of")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the original document that supports a fact."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in a document."""

    entity: str  # the document-local entity key
    start: int
    end: int
    text: str
    source: str  # how it was found: gazetteer, model, pattern, acronym, table


@dataclass(frozen=True, slots=True)
class Entity:
    """A document-local entity; cross-document resolution merges these into canonical ones."""

    key: str
    type: str
    name: str
    kind: str | None = None
    gazetteer_id: str | None = None
    aliases: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()

    def attribute(self, name: str) -> str | None:
        """Return the value of one attribute (e.g. ``iso3``), or None."""
        return dict(self.attributes).get(name)


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed link between entities, with the sentence that states it."""

    type: str
    subject: str  # entity key
    object: str | None  # entity key, or None where the object is text (commitments)
    evidence: Evidence
    attributes: tuple[tuple[str, str], ...] = ()

    def attribute(self, name: str) -> str | None:
        """Return the value of one attribute (e.g. ``role``), or None."""
        return dict(self.attributes).get(name)


@dataclass(slots=True)
class DocRecords:
    """Everything extracted from one document."""

    doc_id: str
    source_path: str
    content_hash: str
    media_type: str
    char_count: int
    title: str | None = None
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The record as plain JSON data (what :meth:`to_json` writes)."""
        # Spelled out rather than dataclasses.asdict, which deep-copies every value and was the
        # costliest step of writing a large document's records.
        return {
            "doc_id": self.doc_id,
            "source_path": self.source_path,
            "content_hash": self.content_hash,
            "media_type": self.media_type,
            "char_count": self.char_count,
            "title": self.title,
            "entities": [
                {
                    "key": e.key,
                    "type": e.type,
                    "name": e.name,
                    "kind": e.kind,
                    "gazetteer_id": e.gazetteer_id,
                    "aliases": list(e.aliases),
                    "attributes": [list(a) for a in e.attributes],
                }
                for e in self.entities
            ],
            "mentions": [
                {
                    "entity": m.entity,
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "source": m.source,
                }
                for m in self.mentions
            ],
            "relations": [
                {
                    "type": r.type,
                    "subject": r.subject,
                    "object": r.object,
                    "evidence": {
                        "start": r.evidence.start,
                        "end": r.evidence.end,
                        "quote": r.evidence.quote,
                    },
                    "attributes": [list(a) for a in r.attributes],
                }
                for r in self.relations
            ],
            "warnings": list(self.warnings),
        }

    def to_json(self) -> str:
        """Serialise to one line of JSON with sorted keys (stable across runs)."""
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str | bytes) -> DocRecords:
        """Read a record written by :meth:`to_json`."""
        return cls.from_dict(json.loads(line))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocRecords:
        """Read the JSON data :meth:`as_dict` gives."""
        return cls(
            doc_id=data["doc_id"],
            source_path=data["source_path"],
            content_hash=data["content_hash"],
            media_type=data["media_type"],
            char_count=data["char_count"],
            title=data.get("title"),
            entities=[
                Entity(
                    key=e["key"],
                    type=e["type"],
                    name=e["name"],
                    kind=e["kind"],
                    gazetteer_id=e["gazetteer_id"],
                    aliases=tuple(e["aliases"]),
                    attributes=tuple(tuple(a) for a in e["attributes"]),
                )
                for e in data["entities"]
            ],
            mentions=[Mention(**m) for m in data["mentions"]],
            relations=[
                Relation(
                    type=r["type"],
                    subject=r["subject"],
                    object=r["object"],
                    evidence=Evidence(**r["evidence"]),
                    attributes=tuple(tuple(a) for a in r["attributes"]),
                )
                for r in data["relations"]
            ],
            warnings=list(data["warnings"]),
        )
