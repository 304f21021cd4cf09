"""Score the extractor against hand-annotated gold passages (``migkg eval GOLD_DIR``).

A gold file names one passage of a corpus document (original offsets) and lists, per type, every
entity in it with its aliases, and the relations stated in it. The score is document-level set
matching inside the passage: a predicted entity is one with a mention inside the passage; it
matches a gold entity when any of its names (with its gazetteer aliases) or in-passage surface
forms equals (after folding) the gold name or an alias. Each gold entity matches at most once, so
a second predicted entity for the same gold entity (a duplicate) counts as a false positive. A
predicted relation counts when its evidence starts inside the passage; it matches when both ends
match the gold ends. A commitment (or a proposal) has a text object: it matches a gold one of the
same actor whose object words it mostly contains, and each distinct statement of an actor counts
once.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migkg.errors import InputError
from migkg.extract.gazetteer import Gazetteer, fold
from migkg.extract.ingest import read_document
from migkg.extract.pipeline import Extractor
from migkg.extract.records import DocRecords

__all__ = ["ENTITY_TYPES", "RELATION_TYPES", "Score", "evaluate_gold"]

ENTITY_TYPES = ("person", "organization", "state", "framework")
RELATION_TYPES = ("affiliation", "citation", "commitment", "proposal", "participation")
_RELATION_ENDS = {
    "affiliation": ("person", "organization"),
    "citation": ("actor", "framework"),
    "commitment": ("actor", None),
    "proposal": ("actor", None),
    "participation": ("person", "meeting"),
}


@dataclass(slots=True)
class Score:
    """Counts and the misses behind them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Counts with precision, recall and F1 (rounded to 4 places)."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "false_positives": sorted(self.false_positives),
            "false_negatives": sorted(self.false_negatives),
        }


def _forms(*names: str) -> set[str]:
    return {fold(n) for n in names if fold(n)}


def _predicted_entities(
    records: DocRecords, start: int, end: int, gazetteer: Gazetteer
) -> dict[str, tuple[str, set[str]]]:
    """key -> (type, folded names and surface forms) for entities mentioned in the passage."""
    by_key = {e.key: e for e in records.entities}
    found: dict[str, tuple[str, set[str]]] = {}
    for mention in records.mentions:
        if mention.start >= start and mention.end <= end:
            entity = by_key[mention.entity]
            known = gazetteer.entries.get(entity.gazetteer_id or "")
            # An entity known to the gazetteer is matched by any of its names ("Nansen
            # Initiative" for the entry named "Nansen Initiative on Disaster-Induced ...").
            names = known.surface_forms() if known is not None else ()
            _, forms = found.setdefault(entity.key, (entity.type, _forms(entity.name, *names)))
            forms.update(_forms(mention.text))
    return found


def _match_entities(
    gold: list[dict[str, Any]], predicted: dict[str, set[str]], score: Score
) -> dict[str, int]:
    """Greedy one-to-one matching; returns predicted key -> gold index."""
    gold_forms = [_forms(g["name"], *g.get("aliases", [])) for g in gold]
    matched: dict[str, int] = {}
    used: set[int] = set()
    for key in sorted(predicted):
        forms = predicted[key]
        candidates = [i for i, g in enumerate(gold_forms) if forms & g]
        free = [i for i in candidates if i not in used]
        if free:
            used.add(free[0])
            matched[key] = free[0]
            score.tp += 1
        else:
            score.fp += 1
            label = sorted(forms)[0] if forms else key
            score.false_positives.append(label + (" (duplicate)" if candidates else ""))
    for i, entity in enumerate(gold):
        if i not in used:
            score.fn += 1
            score.false_negatives.append(entity["name"])
    return matched


def _relation_forms(
    records: DocRecords, key: str | None, predicted: dict[str, tuple[str, set[str]]]
) -> set[str]:
    if key is None:
        return set()
    if key in predicted:
        return predicted[key][1]
    entity = next((e for e in records.entities if e.key == key), None)
    return _forms(entity.name, *entity.aliases) if entity else set()


def _gold_end_forms(gold: dict[str, Any], name: str) -> set[str]:
    forms = _forms(name)
    for entities in gold["entities"].values():
        for entity in entities:
            if entity["name"] == name:
                forms |= _forms(*entity.get("aliases", []))
    return forms


# A predicted commitment matches a gold one of the same actor when their object texts share at
# least this share of the content words of the shorter one (objects are cut differently: "soon
# launch a Global Agenda for Young People" vs the same followed by its purpose clause).
_MIN_OBJECT_OVERLAP = 0.5
_LABEL_OBJECT = 120  # characters of a statement shown in a miss
_FUNCTION_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "its", "of", "on", "or", "that"}
    | {"the", "their", "to", "which", "with"}
)


# A predicted session matches a gold one when they share this share of the content words of the
# shorter title ("Panel 1: SDGs achievement: ..." for "Session 3, Panel 1: SDGs achievement: ..."),
# or when it is written within this many characters of where the gold title is.
_MIN_TITLE_OVERLAP = 0.6
_SAME_SLOT = 120
_NUMBERING = re.compile(r"session|panel|day|\d+|[ivx]+")


def _words(text: str) -> set[str]:
    return set(fold(text).split()) - _FUNCTION_WORDS


def _covered(gold: set[str], predicted: set[str]) -> float:
    """The overlap of two object texts relative to the shorter (1.0 when gold gives none)."""
    if not gold:
        return 1.0
    return len(gold & predicted) / min(len(gold), len(predicted)) if predicted else 0.0


def _session_words(title: str) -> set[str]:
    """Content words of a session title, without numbering ("Session 3, Panel 1:")."""
    return {w for w in _words(title) if not _NUMBERING.fullmatch(w)}


def _title_offset(text: str, title: str) -> int | None:
    """Where a session title (or its part after the numbering) is written in ``text``."""
    parts = [title, title.split(":", 1)[-1]] if ":" in title else [title]
    for part in parts:
        words = re.findall(r"\w+", part)
        if not words:
            continue
        found = re.search(r"\W+".join(map(re.escape, words)), text, re.IGNORECASE)
        if found:
            return found.start()
    return None


def _same_session(title: str, gold_offset: int | None, names: set[str], offsets: list[int]) -> bool:
    """Tolerant session matching: most title words shared, or the same place in the agenda."""
    gold_words = _session_words(title)
    for name in names:
        words = _session_words(name)
        shared = len(gold_words & words)
        if shared and shared >= _MIN_TITLE_OVERLAP * min(len(gold_words), len(words)):
            return True
    return gold_offset is not None and any(
        abs(offset - gold_offset) <= _SAME_SLOT for offset in offsets
    )


@dataclass(frozen=True, slots=True)
class _GoldRelation:
    """One gold relation with what matching needs precomputed."""

    item: dict[str, Any]
    subject_forms: set[str]
    object_forms: set[str]
    object_words: set[str]  # commitments: the words of the object text
    slot: int | None  # participations: where the session title is written in the passage

    def label(self, subject_field: str, object_field: str | None) -> str:
        target = self.item[object_field] if object_field else self.item["object"]
        role = self.item.get("role") if object_field == "meeting" else None
        return f"{self.item[subject_field]} → {target}" + (f" ({role})" if role else "")


@dataclass(frozen=True, slots=True)
class _Predicted:
    """One predicted relation's ends as the matching sees them."""

    subject_forms: set[str]
    object_forms: set[str]
    stated_words: set[str]
    role: str
    meeting_offsets: list[int]


def _matches(relation_type: str, gold: _GoldRelation, predicted: _Predicted) -> bool:
    if not gold.subject_forms & predicted.subject_forms:
        return False
    if relation_type == "participation":
        return fold(gold.item.get("role", "")) == fold(predicted.role) and _same_session(
            gold.item["meeting"], gold.slot, predicted.object_forms, predicted.meeting_offsets
        )
    if _RELATION_ENDS[relation_type][1] is None:
        return _covered(gold.object_words, predicted.stated_words) >= _MIN_OBJECT_OVERLAP
    return bool(gold.object_forms & predicted.object_forms)


def _score_relations(
    gold: dict[str, Any],
    records: DocRecords,
    predicted: dict[str, tuple[str, set[str]]],
    scores: dict[str, Score],
    text: str,
) -> None:
    start, end = gold["start"], gold["end"]
    passage = text[start:end]
    for relation_type in RELATION_TYPES:
        subject_field, object_field = _RELATION_ENDS[relation_type]
        golds = [
            _GoldRelation(
                item,
                _gold_end_forms(gold, item[subject_field]),
                _gold_end_forms(gold, item[object_field]) if object_field else set(),
                _words(item.get("object", "")),
                _title_offset(passage, item["meeting"]) if "meeting" in item else None,
            )
            for item in gold["relations"].get(relation_type, [])
        ]
        seen: set[tuple[str, str | None]] = set()
        used: set[int] = set()
        score = scores[relation_type]
        for relation in records.relations:
            if relation.type != relation_type or not start <= relation.evidence.start < end:
                continue
            # A statement relation (a commitment) is one per statement, not one per actor.
            stated = relation.attribute("object") or relation.evidence.quote
            pair = (relation.subject, relation.object if object_field else stated)
            if pair in seen:
                continue
            seen.add(pair)
            candidate = _Predicted(
                _relation_forms(records, relation.subject, predicted),
                _relation_forms(records, relation.object, predicted),
                _words(stated),
                relation.attribute("role") or "",
                [m.start - start for m in records.mentions if m.entity == relation.object],
            )
            hit = next(
                (
                    i
                    for i, gold_relation in enumerate(golds)
                    if i not in used and _matches(relation_type, gold_relation, candidate)
                ),
                None,
            )
            if hit is None:
                score.fp += 1
                forms_s, forms_o = candidate.subject_forms, candidate.object_forms
                # A statement relation is told by what it states, not by its framework.
                target = (
                    stated[:_LABEL_OBJECT]
                    if object_field is None
                    else sorted(forms_o)[0]
                    if forms_o
                    else relation.object
                )
                label = f"{sorted(forms_s)[0] if forms_s else relation.subject} → {target}"
                if relation_type == "participation":
                    label += f" ({candidate.role})"
                score.false_positives.append(label)
            else:
                used.add(hit)
                score.tp += 1
        for i, gold_relation in enumerate(golds):
            if i not in used:
                score.fn += 1
                score.false_negatives.append(gold_relation.label(subject_field, object_field))


def evaluate_gold(
    gold_dirs: Path | Sequence[Path], corpus: Path, *, extractor: Extractor | None = None
) -> dict[str, Any]:
    """Score every gold file in ``gold_dirs`` against documents found in ``corpus``.

    Several folders are scored as one pool (micro-averaged over all their passages), and each
    document is extracted once however many passages of it the folders hold.
    """
    folders = [gold_dirs] if isinstance(gold_dirs, Path) else list(gold_dirs)
    files = []
    for folder in folders:
        found = sorted(folder.glob("*.json"))
        if not found:
            raise InputError(f"{folder}: no gold files (*.json)")
        files += found
    golds = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    extractor = extractor or Extractor()
    needed = sorted({g["document"] for g in golds})
    sources = []
    texts: dict[str, str] = {}
    for name in needed:
        path = corpus / name
        if not path.is_file():
            raise InputError(f"{path}: document named by a gold file is missing (see --corpus)")
        sources.append(read_document(str(path)))
        texts[name] = sources[-1].text
    records = {Path(r.source_path).name: r for r in extractor.extract_many(sources)}
    scores: dict[str, Score] = defaultdict(Score)
    passages = []
    for gold in golds:
        doc = records[gold["document"]]
        predicted = _predicted_entities(
            doc, gold["start"], gold["end"], extractor.recognizer.gazetteer
        )
        for entity_type in ENTITY_TYPES:
            subset = {k: forms for k, (t, forms) in predicted.items() if t == entity_type}
            _match_entities(gold["entities"].get(entity_type, []), subset, scores[entity_type])
        _score_relations(gold, doc, predicted, scores, texts[gold["document"]])
        passages.append(gold["id"])
    return {
        "passages": passages,
        "scores": {name: scores[name].as_dict() for name in (*ENTITY_TYPES, *RELATION_TYPES)},
    }
