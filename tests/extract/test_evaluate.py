"""Scoring of relations against gold: tolerant session and commitment matching."""

from __future__ import annotations

import json
from pathlib import Path

from migkg.extract.evaluate import _covered, _same_session, _title_offset, _words, evaluate_gold
from migkg.extract.gazetteer import fold
from migkg.extract.pipeline import Extractor


def test_session_titles_match_without_their_numbering() -> None:
    gold = "Session 3, Panel 1: SDGs achievement: national and regional perspectives"
    system = {fold("Panel 1: SDGs achievement: national and regional perspectives")}
    assert _same_session(gold, None, system, [])
    assert not _same_session(gold, None, {fold("Panel 2: Eliminating forced labour")}, [])
    # A title cut short elsewhere still matches by its place in the agenda.
    assert _same_session(gold, 400, {fold("Panel 1")}, [420])
    assert not _same_session(gold, 400, {fold("Panel 1")}, [2400])


def test_title_offset_follows_layout_breaks() -> None:
    text = "12.00 - 13.00\tSession 1: Working together to make data available for\n\tmigration"
    assert _title_offset(text, "Session 1: Working together to make data available for migration")
    assert _title_offset(text, "Session 9: Something else") is None


def test_commitment_objects_overlap_relative_to_the_shorter() -> None:
    gold = _words("soon launch a Global Agenda for Young People, to focus collective efforts")
    assert _covered(gold, _words("soon launch a Global Agenda for Young People")) == 1.0
    assert _covered(gold, _words("serve as the Coordinator and Secretariat")) < 0.5
    assert _covered(set(), _words("anything")) == 1.0


def test_participation_and_commitments_are_scored(extractor: Extractor, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (
        "FINAL AGENDA\n10.00 - 11.30\nSession 1: Data for migration policy\n"
        "Moderator: Ana Lopez, Director, International Organization for Migration\n"
        "Speakers: Peter Novak, Minister, Slovenia\n11.30 - 12.00\nBreak\n"
        "The Executive Director of UNICEF closed the session. UNICEF will launch a new strategy "
        "for young migrants. UNICEF will also open two regional offices.\n"
    )
    (corpus / "agenda.txt").write_text(text, encoding="utf-8")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    meeting = "Session 1: Data for migration policy"
    gold = {
        "id": "mini",
        "document": "agenda.txt",
        "start": 0,
        "end": len(text),
        "entities": {
            "person": [{"name": "Ana Lopez"}, {"name": "Peter Novak"}],
            "organization": [{"name": "United Nations Children's Fund", "aliases": ["UNICEF"]}],
        },
        "relations": {
            "participation": [
                {"person": "Ana Lopez", "meeting": meeting, "role": "moderator"},
                {"person": "Peter Novak", "meeting": meeting, "role": "moderator"},
            ],
            "commitment": [
                {
                    "actor": "United Nations Children's Fund",
                    "modality": "will",
                    "object": "launch a new strategy for young migrants",
                },
                {
                    "actor": "United Nations Children's Fund",
                    "modality": "will",
                    "object": "open two regional offices",
                },
            ],
        },
    }
    (gold_dir / "mini.json").write_text(json.dumps(gold), encoding="utf-8")
    scores = evaluate_gold(gold_dir, corpus, extractor=extractor)["scores"]
    # Peter Novak speaks; the gold (deliberately) says he moderates: one hit, one miss each way.
    assert (scores["participation"]["tp"], scores["participation"]["fn"]) == (1, 1)
    assert scores["participation"]["fp"] == 1
    # Two commitments of the same actor count as two.
    assert scores["commitment"]["tp"] == 2


def test_several_gold_folders_are_scored_as_one_pool(extractor: Extractor, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Ana Lopez, Director, International Organization for Migration, spoke.\n"
    (corpus / "note.txt").write_text(text, encoding="utf-8")
    folders = []
    for name, person in (("one", "Ana Lopez"), ("two", "Peter Novak")):
        folder = tmp_path / name
        folder.mkdir()
        gold = {
            "id": name,
            "document": "note.txt",
            "start": 0,
            "end": len(text),
            "entities": {"person": [{"name": person}]},
            "relations": {},
        }
        (folder / f"{name}.json").write_text(json.dumps(gold), encoding="utf-8")
        folders.append(folder)
    pooled = evaluate_gold(folders, corpus, extractor=extractor)
    person = pooled["scores"]["person"]
    # Ana Lopez is found in both passages; Peter Novak is missed once.
    assert (person["tp"], person["fp"], person["fn"]) == (1, 1, 1)
    assert pooled["passages"] == ["one", "two"]
