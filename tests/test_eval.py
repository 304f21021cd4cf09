"""Extraction quality on the hand-annotated gold sets must not fall below what was reached."""

from __future__ import annotations

from pathlib import Path

import pytest

from migkg.extract.evaluate import evaluate_gold
from migkg.extract.pipeline import Extractor

GOLD = Path(__file__).parent / "gold"
# The F1 reached when this floor was last raised, minus a small margin for noise.
FLOORS = {
    "dev": {
        "person": 0.99,
        "organization": 0.97,
        "state": 0.99,
        "framework": 0.94,
        "affiliation": 0.95,
        "citation": 0.87,
        "commitment": 0.95,
        "proposal": 0.64,
        "participation": 0.97,
    },
    "heldout": {
        "person": 0.99,
        "organization": 0.96,
        "state": 0.99,
        "framework": 0.97,
        "affiliation": 0.9,
        "citation": 0.95,
        # three gold commitments: the margin is one of them
        "commitment": 0.79,
        "participation": 0.4,
    },
    # Annotated blind (without running the extractor) and never used for tuning: it stands
    # for unseen text. Fix classes of errors it reveals on the dev set, never its rows.
    "fresh": {
        "person": 0.96,
        "organization": 0.91,
        "state": 0.98,
        "framework": 0.9,
        "affiliation": 0.87,
        "citation": 0.8,
    },
    # A second blind set (the concept note, the issue brief's closing sections, a Geneva
    # report passage), annotated without running the extractor; first scored untuned
    # (citation .647), then opened for tuning once the third set existed.
    "blind": {
        "person": 0.94,
        "organization": 0.93,
        "state": 0.99,
        "framework": 0.95,
        "affiliation": 0.95,
        "citation": 0.78,
        "commitment": 0.66,
    },
    # A third blind set (000 Geneva statements, 001 New York partners), annotated after the
    # second was opened for tuning; see the issue notes for its first, untuned scores.
    "blind2": {
        "person": 0.95,
        "organization": 0.83,
        "state": 0.98,
        "framework": 0.75,
        # .866: "Directorate General for Migration and Immigration in Costa Rica" is now linked
        # to the known body, but its mention keeps "in Costa Rica", which the gold writes apart.
        "affiliation": 0.86,
        "citation": 0.77,
    },
    # A fourth blind set (000 New York agenda and Geneva background paper, 004 annex timeline),
    # annotated after the third was opened; untuned it scored citation .148 (the timeline's
    # run-together "Adoption of X by Y" entries), see the issue notes.
    "blind3": {
        "person": 0.99,
        "organization": 0.92,
        "state": 0.96,
        "framework": 0.93,
        "affiliation": 0.89,
        "citation": 0.73,
        "commitment": 0.79,
        "participation": 0.97,
    },
    # A fifth blind set (000 global compact and Geneva conclusions, 001 regional processes and
    # Geneva agenda); its untouched scores are in the README.
    "blind4": {
        "person": 0.97,
        "organization": 0.91,
        "state": 0.98,
        "framework": 0.85,
        "affiliation": 0.90,
        "citation": 0.82,
        "commitment": 0.88,
        "participation": 0.97,
    },
    # A sixth (000 introduction, whole-of-government section and Geneva agenda, 001
    # introduction): untouched citation .383 (bare titles: "the Director General reminded ...").
    "blind5": {
        "person": 0.98,
        "organization": 0.93,
        "state": 0.95,
        "framework": 0.93,
        "affiliation": 0.91,
        "citation": 0.76,
        "commitment": 0.75,
        "participation": 0.95,
    },
    # A seventh (000 integration, New York conclusions and Geneva summary, 001 capacity
    # development): untouched citation .701, affiliation .882. Its gold holds proposals but no
    # commitment and no agenda, so those two types have no floor here.
    "blind6": {
        "person": 0.97,
        "organization": 0.93,
        "state": 0.98,
        "framework": 0.81,
        "affiliation": 0.91,
        "citation": 0.80,
        "proposal": 0.70,
    },
    # An eighth (000 vulnerability and partnerships sections, 001 local actors and partnership
    # models): untouched citation .559, framework .741, affiliation .926, commitment .286 (five
    # gold commitments).
    "blind7": {
        "person": 0.97,
        "organization": 0.90,
        "state": 0.97,
        "framework": 0.72,
        "affiliation": 0.90,
        "citation": 0.64,
        "commitment": 0.70,
        "proposal": 0.60,
    },
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_scores_do_not_drop(corpus_dir: Path, extractor: Extractor, name: str) -> None:
    report = evaluate_gold(GOLD / name, corpus_dir, extractor=extractor)
    for entity_type, floor in FLOORS[name].items():
        f1 = report["scores"][entity_type]["f1"]
        assert f1 >= floor, (entity_type, f1, report["scores"][entity_type]["false_negatives"][:10])
