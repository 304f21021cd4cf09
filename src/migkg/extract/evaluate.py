"""Score the extractor against hand-annotated gold passages (``migkg eval GOLD_DIR``).

A gold file names one passage of a corpus document (original offsets) and lists, per type, every
entity in it with its aliases, and the relations stated in it. The score is document-level set
matching inside the passage: a predicted entity is one with a mention inside the passage; it
matches a gold entity when any of its names or in-passage surface forms equals (after folding)
the gold name or an alias. Each gold entity matches at most once, so a second predicted entity
for the same gold entity (a duplicate) counts as a false positive. A predicted relation counts
when its evidence starts inside the passage; it matches when both ends match the gold ends.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migkg.errors import InputError
from migkg.extract.gazetteer import fold
from migkg.extract.ingest import read_document
from migkg.extract.pipeline import Extractor
from migkg.extract.records import DocRecords

__all__ = ["ENTITY_TYPES", "RELATION_TYPES", "Score", "evaluate_gold"]

ENTITY_TYPES = ("person", "organization", "state", "framework")
RELATION_TYPES = ("affiliation", "citation", "commitment")
_RELATION_ENDS = {
    "affiliation": ("person", "organization"),
    "citation": ("actor", "framework"),
    "commitment": ("actor", None),
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
    records: DocRecords, start: int, end: int
) -> dict[str, tuple[str, set[str]]]:
    """key -> (type, folded names and surface forms) for entities mentioned in the passage."""
    by_key = {e.key: e for e in records.entities}
    found: dict[str, tuple[str, set[str]]] = {}
    for mention in records.mentions:
        if mention.start >= start and mention.end <= end:
            entity = by_key[mention.entity]
            _, forms = found.setdefault(entity.key, (entity.type, _forms(entity.name)))
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


def _score_relations(
    gold: dict[str, Any],
    records: DocRecords,
    predicted: dict[str, tuple[str, set[str]]],
    scores: dict[str, Score],
) -> None:
    start, end = gold["start"], gold["end"]
    for relation_type in RELATION_TYPES:
        subject_field, object_field = _RELATION_ENDS[relation_type]
        gold_items = [
            (
                _gold_end_forms(gold, item[subject_field]),
                _gold_end_forms(gold, item[object_field]) if object_field else set(),
                f"{item[subject_field]} → {item[object_field] if object_field else item['object']}",
            )
            for item in gold["relations"].get(relation_type, [])
        ]
        seen: set[tuple[str, str | None]] = set()
        used: set[int] = set()
        score = scores[relation_type]
        for relation in records.relations:
            if relation.type != relation_type or not start <= relation.evidence.start < end:
                continue
            pair = (relation.subject, relation.object if object_field else None)
            if pair in seen:
                continue
            seen.add(pair)
            subject_forms = _relation_forms(records, relation.subject, predicted)
            object_forms = _relation_forms(records, relation.object, predicted)
            hit = next(
                (
                    i
                    for i, (s, o, _) in enumerate(gold_items)
                    if i not in used
                    and s & subject_forms
                    and (not object_field or o & object_forms)
                ),
                None,
            )
            if hit is None:
                score.fp += 1
                label_s = sorted(subject_forms)[0] if subject_forms else relation.subject
                label_o = sorted(object_forms)[0] if object_forms else str(relation.object)
                score.false_positives.append(f"{label_s} → {label_o}")
            else:
                used.add(hit)
                score.tp += 1
        for i, (_, _, label) in enumerate(gold_items):
            if i not in used:
                score.fn += 1
                score.false_negatives.append(label)


def evaluate_gold(
    gold_dir: Path, corpus: Path, *, extractor: Extractor | None = None
) -> dict[str, Any]:
    """Score every gold file in ``gold_dir`` against documents found in ``corpus``."""
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise InputError(f"{gold_dir}: no gold files (*.json)")
    golds = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    extractor = extractor or Extractor()
    needed = sorted({g["document"] for g in golds})
    sources = []
    for name in needed:
        path = corpus / name
        if not path.is_file():
            raise InputError(f"{path}: document named by a gold file is missing (see --corpus)")
        sources.append(read_document(str(path)))
    records = {Path(r.source_path).name: r for r in extractor.extract_many(sources)}
    scores: dict[str, Score] = defaultdict(Score)
    passages = []
    for gold in golds:
        doc = records[gold["document"]]
        predicted = _predicted_entities(doc, gold["start"], gold["end"])
        for entity_type in ENTITY_TYPES:
            subset = {k: forms for k, (t, forms) in predicted.items() if t == entity_type}
            _match_entities(gold["entities"].get(entity_type, []), subset, scores[entity_type])
        _score_relations(gold, doc, predicted, scores)
        passages.append(gold["id"])
    return {
        "passages": passages,
        "scores": {name: scores[name].as_dict() for name in (*ENTITY_TYPES, *RELATION_TYPES)},
    }
