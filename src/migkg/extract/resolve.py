"""Cross-document entity resolution: one canonical entity per real-world thing in the corpus.

Known entities resolve through their gazetteer identifier (every alias and acronym already points
there). Others merge on their folded name; people also merge on name variants (initials, a
one-letter typo, a dropped second surname) when the variants share an affiliation or appear in
the same document, and on strong variants (leading given names or a middle initial dropped)
anywhere. Every merge is written to a log a user can inspect.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from migkg.extract.gazetteer import fold, load_gazetteer
from migkg.extract.names import given_and_surname, same_person, strong_variant
from migkg.extract.records import DocRecords, Entity

__all__ = ["CanonicalEntity", "Resolution", "resolve_entities", "slug"]


def slug(text: str) -> str:
    """An IRI-safe slug.

    >>> slug("Ana María Pérez")
    'ana-maria-perez'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "x"


@dataclass(slots=True)
class CanonicalEntity:
    """One real-world entity, with every surface form seen for it."""

    id: str  # e.g. "person/william-lacy-swing", "organization/iom", "state/che"
    type: str
    name: str
    kind: str | None
    gazetteer_id: str | None
    aliases: set[str] = field(default_factory=set)
    attributes: dict[str, str] = field(default_factory=dict)
    documents: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Resolution:
    """The canonical entities, the map from document-local keys, and the merge log."""

    entities: dict[str, CanonicalEntity]
    local_to_canonical: dict[tuple[str, str], str]
    merge_log: list[dict[str, object]]


def _canonical_id(entity: Entity) -> str:
    if entity.gazetteer_id:
        gid = entity.gazetteer_id
        if entity.type == "state":
            return f"state/{gid.removeprefix('state-')}"
        return f"{entity.type}/{gid}"
    if entity.type == "collective":
        return f"collective/{entity.key.split(':', 1)[1]}"
    return f"{entity.type}/{slug(fold(entity.name))}"


def _affiliations(records: list[DocRecords]) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for doc in records:
        for relation in doc.relations:
            if relation.type == "affiliation" and relation.object:
                found[(doc.doc_id, relation.subject)].add(relation.object)
    return found


def resolve_entities(records: list[DocRecords]) -> Resolution:
    """Merge the document-local entities of ``records`` into canonical entities."""
    gazetteer = load_gazetteer()
    entities: dict[str, CanonicalEntity] = {}
    local: dict[tuple[str, str], str] = {}
    log: list[dict[str, object]] = []
    people: list[tuple[str, Entity]] = []
    for doc in sorted(records, key=lambda r: r.doc_id):
        for entity in doc.entities:
            if entity.type == "person":
                people.append((doc.doc_id, entity))
                continue
            canonical_id = _canonical_id(entity)
            local[(doc.doc_id, entity.key)] = canonical_id
            target = entities.get(canonical_id)
            if target is None:
                target = CanonicalEntity(
                    canonical_id,
                    entity.type,
                    entity.name,
                    entity.kind,
                    entity.gazetteer_id,
                    attributes=dict(entity.attributes),
                )
                if entity.gazetteer_id and entity.gazetteer_id in gazetteer.entries:
                    entry = gazetteer.entries[entity.gazetteer_id]
                    for acronym in entry.acronyms:
                        target.attributes.setdefault("acronym", acronym)
                entities[canonical_id] = target
            target.aliases.update(entity.aliases)
            target.aliases.add(entity.name)
            target.documents.add(doc.doc_id)
    _resolve_people(people, records, entities, local, log)
    for canonical in entities.values():
        canonical.aliases.discard(canonical.name)
        forms = sorted(canonical.aliases)
        if len(canonical.documents) > 1 or forms:
            reason = "gazetteer identifier" if canonical.gazetteer_id else "same folded name"
            if canonical.type != "person" and (len(canonical.documents) > 1 or forms):
                log.append(
                    {
                        "canonical": canonical.id,
                        "name": canonical.name,
                        "reason": reason,
                        "surface_forms": forms,
                        "documents": sorted(canonical.documents),
                    }
                )
    log.sort(key=lambda item: str(item["canonical"]))
    return Resolution(entities, local, log)


def _blocking_keys(name: str) -> set[tuple[str, str]]:
    """Keys that two names :func:`same_person` may match always share.

    The folded name; the surname, and for surnames of six letters or more every form with one
    letter deleted (two words within one edit share one of them); the first three words (a
    name with its second surname dropped).
    """
    folded = fold(name)
    keys = {("name", folded)}
    _, surname = given_and_surname(name)
    if surname:
        keys.add(("surname", surname))
        if len(surname) >= 6:
            keys.add(("near", surname))
            keys.update(("near", surname[:i] + surname[i + 1 :]) for i in range(len(surname)))
    words = folded.split()
    if len(words) >= 3:
        keys.add(("prefix", " ".join(words[:3])))
    return keys


def _resolve_people(
    people: list[tuple[str, Entity]],
    records: list[DocRecords],
    entities: dict[str, CanonicalEntity],
    local: dict[tuple[str, str], str],
    log: list[dict[str, object]],
) -> None:
    affiliations = _affiliations(records)
    counts = Counter(fold(entity.name) for _, entity in people)
    # Longest, most frequent names first: they become the canonical forms.
    ordered = sorted(
        people,
        key=lambda item: (
            -len(fold(item[1].name).split()),
            -counts[fold(item[1].name)],
            item[1].name,
            item[0],
        ),
    )
    clusters: list[dict[str, object]] = []
    # Clusters by the keys a matching name must share (see ``_blocking_keys``): comparing each
    # name with every cluster grows with the square of the corpus.
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for doc_id, entity in ordered:
        orgs = affiliations.get((doc_id, entity.key), set())
        chosen = None
        reason = ""
        keys = _blocking_keys(entity.name)
        candidates = sorted({i for key in keys for i in blocks[key]})
        for cluster in (clusters[i] for i in candidates):
            name = str(cluster["name"])
            if fold(name) == fold(entity.name):
                chosen, reason = cluster, "same folded name"
                break
            if same_person(name, entity.name):
                shared = orgs & cluster["orgs"]  # type: ignore[operator]
                same_document = doc_id in cluster["docs"]  # type: ignore[operator]
                if shared or same_document or strong_variant(name, entity.name):
                    chosen = cluster
                    reason = (
                        "name variant with a shared affiliation"
                        if shared
                        else "name variant in the same document"
                        if same_document
                        else "the same name with given names or initials dropped"
                    )
                    break
        if chosen is None:
            chosen = {"name": entity.name, "orgs": set(), "docs": set(), "members": []}
            for key in keys:
                blocks[key].append(len(clusters))
            clusters.append(chosen)
            reason = "first form"
        chosen["orgs"].update(orgs)  # type: ignore[attr-defined]
        chosen["docs"].add(doc_id)  # type: ignore[attr-defined]
        chosen["members"].append((doc_id, entity, reason))  # type: ignore[attr-defined]
    for cluster in clusters:
        name = str(cluster["name"])
        canonical_id = f"person/{slug(fold(name))}"
        target = entities.setdefault(
            canonical_id, CanonicalEntity(canonical_id, "person", name, None, None)
        )
        merged = []
        for doc_id, entity, reason in cluster["members"]:  # type: ignore[attr-defined]
            local[(doc_id, entity.key)] = canonical_id
            target.aliases.update(entity.aliases)
            target.aliases.add(entity.name)
            target.documents.add(doc_id)
            if entity.name != name or reason != "first form":
                merged.append({"form": entity.name, "document": doc_id, "reason": reason})
        if merged:
            log.append(
                {
                    "canonical": canonical_id,
                    "name": name,
                    "reason": "person name",
                    "merged": merged,
                    "documents": sorted(target.documents),
                }
            )
