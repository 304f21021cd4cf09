"""Turn recognised spans and relations into a document's records, with original offsets.

This is where document-local identity is settled: surname-only and variant person mentions join
the full name they refer to, and a government body without a country in its name ("Ministry of
Foreign Affairs, Bangladesh") is named after the state that follows it.
"""

from __future__ import annotations

import re
from collections import Counter

from migkg.extract.entities import Candidate
from migkg.extract.gazetteer import fold, load_gazetteer
from migkg.extract.ingest import SourceDocument
from migkg.extract.names import same_person
from migkg.extract.normalize import NormalizedText
from migkg.extract.records import DocRecords, Entity, Evidence, Mention, Relation
from migkg.extract.relations import RawRelation

__all__ = ["assemble_records", "entity_key"]

_STATE_AFTER = re.compile(r"^(?:,\s*|\s+of\s+(?:the\s+)?)")


def entity_key(entity_type: str, name: str, gazetteer_id: str | None = None) -> str:
    """The document-local key of an entity (also its cross-document identity when known).

    >>> entity_key("framework", "New York Declaration", "nyd")
    'nyd'
    >>> entity_key("person", "Laura  Thompson")
    'person:laura thompson'
    """
    return gazetteer_id if gazetteer_id else f"{entity_type}:{fold(name)}"


def _person_names(candidates: list[Candidate]) -> dict[str, str]:
    """Map every person surface name to the canonical full name it stands for in this document."""
    counts = Counter(c.name for c in candidates if c.type == "person")
    # A hyphenated surname alone ("Jimenez-Damary") is one word, not a full name.
    full = sorted(
        (n for n in counts if len(n.split()) >= 2),
        key=lambda n: (-len(fold(n).split()), -counts[n], n),
    )
    canonical: dict[str, str] = {}
    clusters: list[str] = []
    for name in full:
        target = next((c for c in clusters if same_person(c, name)), None)
        if target is None:
            clusters.append(name)
            target = name
        canonical[name] = target
    for name in counts:
        if name in canonical:
            continue
        surname = fold(name)
        matches = {canonical[f] for f in full if fold(f).endswith(" " + surname)}
        if len(matches) == 1:
            canonical[name] = matches.pop()
    return canonical


def _qualify_government_bodies(candidates: list[Candidate], text: str) -> None:
    gazetteer = load_gazetteer()
    by_start = {c.start: c for c in candidates}
    for candidate in candidates:
        if candidate.type != "organization" or candidate.entry is not None:
            continue
        if candidate.kind != "government_body" or "country" in candidate.attributes:
            continue
        inside = re.search(r"\bof\s+(?:the\s+)?(.+)$", candidate.name)
        if inside:
            state = gazetteer.state(inside.group(1))
            if state is not None:
                candidate.attributes["country"] = dict(state.attributes)["iso3"]
                continue
        following = _STATE_AFTER.match(text[candidate.end : candidate.end + 12])
        if following is None:
            continue
        state_candidate = by_start.get(candidate.end + following.end())
        if state_candidate is not None and state_candidate.type == "state":
            candidate.name = f"{candidate.name} of {state_candidate.name}"
            iso3 = dict(state_candidate.entry.attributes if state_candidate.entry else ())
            if "iso3" in iso3:
                candidate.attributes["country"] = iso3["iso3"]


def _key(candidate: Candidate, person_names: dict[str, str]) -> str:
    if candidate.type == "collective":
        return f"collective:{candidate.key}"
    if candidate.type == "person":
        return entity_key("person", person_names.get(candidate.name, candidate.name))
    return entity_key(candidate.type, candidate.name, candidate.key)


def assemble_records(
    source: SourceDocument,
    norm: NormalizedText,
    candidates: list[Candidate],
    relations: list[RawRelation],
) -> DocRecords:
    """Build the :class:`DocRecords` of one document."""
    original = source.text
    _qualify_government_bodies(candidates, norm.text)
    person_names = _person_names(candidates)
    # A surname alone that names nobody in full in this document is too weak to keep.
    kept = [c for c in candidates if c.type != "person" or c.name in person_names]
    entities: dict[str, Entity] = {}
    aliases: dict[str, set[str]] = {}
    mentions: list[Mention] = []
    for candidate in kept:
        key = _key(candidate, person_names)
        start, end = norm.to_original(candidate.start, candidate.end)
        surface = re.sub(r"\s+", " ", norm.text[candidate.start : candidate.end])
        aliases.setdefault(key, set()).add(surface)
        if key not in entities:
            entry = candidate.entry
            attributes = dict(entry.attributes) if entry else {}
            attributes.update((k, v) for k, v in candidate.attributes.items() if k != "nested")
            name = person_names.get(candidate.name, candidate.name)
            entities[key] = Entity(
                key=key,
                type=candidate.type,
                name=entry.name if entry else name,
                kind=candidate.kind,
                gazetteer_id=entry.id if entry else None,
                attributes=tuple(sorted(attributes.items())),
            )
        mentions.append(Mention(key, start, end, original[start:end], candidate.source))
    records = DocRecords(
        doc_id=source.doc_id,
        source_path=source.path,
        content_hash=source.content_hash,
        media_type=source.media_type,
        char_count=len(original),
        warnings=list(source.warnings),
    )
    for key in sorted(entities):
        entity = entities[key]
        records.entities.append(
            Entity(
                entity.key,
                entity.type,
                entity.name,
                entity.kind,
                entity.gazetteer_id,
                tuple(sorted(aliases[key] - {entity.name})),
                entity.attributes,
            )
        )
    records.mentions = sorted(mentions, key=lambda m: (m.start, m.end, m.entity))
    for relation in relations:
        # Agenda sessions exist only through the participations that name them.
        meeting = relation.object
        if meeting is not None and meeting.type == "meeting":
            key = _key(meeting, person_names)
            if key not in entities:
                entities[key] = Entity(key, "meeting", meeting.name, "session")
                start, end = norm.to_original(meeting.start, meeting.end)
                records.entities.append(entities[key])
                records.mentions.append(
                    Mention(key, start, end, original[start:end], meeting.source)
                )
    records.entities.sort(key=lambda e: e.key)
    records.mentions.sort(key=lambda m: (m.start, m.end, m.entity))
    seen: set[tuple[object, ...]] = set()
    for relation in relations:
        subject_key = _key(relation.subject, person_names)
        object_key = _key(relation.object, person_names) if relation.object else None
        if subject_key not in entities or (object_key and object_key not in entities):
            continue
        if subject_key == object_key:
            continue
        start, end = norm.to_original(relation.evidence_start, relation.evidence_end)
        identity = (relation.type, subject_key, object_key, start, end)
        if identity in seen:
            continue
        seen.add(identity)
        records.relations.append(
            Relation(
                relation.type,
                subject_key,
                object_key,
                Evidence(start, end, original[start:end]),
                relation.attributes,
            )
        )
    records.relations.sort(
        key=lambda r: (r.evidence.start, r.evidence.end, r.type, r.subject, r.object or "")
    )
    return records
