"""The extractor on short texts of the field (not from the corpus)."""

from __future__ import annotations

from pathlib import Path

from migkg.extract.ingest import read_document
from migkg.extract.pipeline import Extractor
from migkg.extract.records import DocRecords


def _extract(extractor: Extractor, tmp_path: Path, text: str) -> DocRecords:
    path = tmp_path / "input.txt"
    path.write_text(text, encoding="utf-8")
    return extractor.extract(read_document(str(path)))


def _names(records: DocRecords, entity_type: str) -> set[str]:
    return {e.name for e in records.entities if e.type == entity_type}


def _pairs(records: DocRecords, relation_type: str) -> set[tuple[str, str | None]]:
    names = {e.key: e.name for e in records.entities}
    return {
        (names[r.subject], names.get(r.object) if r.object else None)
        for r in records.relations
        if r.type == relation_type
    }


def test_entities_of_every_type(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Amina Diallo (Director, Ministry of Labour, Senegal) said that the Sendai Framework "
        "for Disaster Risk Reduction and the New York Declaration should guide the "
        "International Labour Organization (ILO). Later, the ILO and the Swiss Government "
        "welcomed resolution 73/195.",
    )
    assert "Amina Diallo" in _names(records, "person")
    assert {"Senegal", "Switzerland"} <= _names(records, "state")
    organizations = _names(records, "organization")
    assert "International Labour Organization" in organizations
    assert any(name.startswith("Ministry of Labour") for name in organizations)
    frameworks = _names(records, "framework")
    assert "New York Declaration for Refugees and Migrants" in frameworks
    assert any("Sendai" in name for name in frameworks)
    assert any("73/195" in name or "Compact" in name for name in frameworks)


def test_every_mention_quotes_the_original(extractor: Extractor, tmp_path: Path) -> None:
    text = "The **Global Compact for\n\nMigration**¹ was welcomed by <i>UNHCR</i> and Mexico."
    records = _extract(extractor, tmp_path, text)
    assert records.mentions
    for mention in records.mentions:
        assert text[mention.start : mention.end] == mention.text
    for relation in records.relations:
        assert text[relation.evidence.start : relation.evidence.end] == relation.evidence.quote


def test_affiliation_from_apposition_and_comma_chain(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Ola Henrikson (Director General, Ministry of Justice, Sweden) opened the session.\n"
        "Marta Kovač, Senior Adviser, International Organization for Migration, spoke next.",
    )
    pairs = _pairs(records, "affiliation")
    assert ("Ola Henrikson", "Sweden") in pairs
    assert ("Marta Kovač", "International Organization for Migration") in pairs


def test_footnote_author_is_not_an_affiliation(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor, tmp_path, "See Kathleen Newland (Migration Policy Institute, 2011) for more."
    )
    assert not _pairs(records, "affiliation")


def test_citation_actor_is_the_speaker_not_the_affiliation(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Riaz Hamidullah (Bangladesh) cited the New York Declaration as a foundation.",
    )
    assert ("Riaz Hamidullah", "New York Declaration for Refugees and Migrants") in _pairs(
        records, "citation"
    )


def test_commitment_and_proposal_are_kept_apart(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Member States committed to strengthen cooperation on international migration.\n"
        "Member States could commit to ending the detention of children.",
    )
    commitments = [r for r in records.relations if r.type == "commitment"]
    proposals = [r for r in records.relations if r.type == "proposal"]
    assert len(commitments) == 1 and len(proposals) == 1
    assert commitments[0].attribute("modality") == "commit"
    assert "strengthen cooperation" in (commitments[0].attribute("object") or "")


def test_place_inside_a_name_is_not_a_state(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The Sovereign Order of Malta and the Mayor of Clarkston, Georgia, United States of "
        "America, discussed the Addis Ababa Action Agenda.",
    )
    states = _names(records, "state")
    assert "Malta" not in states and "Georgia" not in states and "Ethiopia" not in states


def test_acronym_defined_in_text_resolves_later_uses(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The Coalition for Fair Migration Research (CFMR) met in Accra. Later, CFMR "
        "published its findings.",
    )
    cfmr = [e for e in records.entities if e.name == "Coalition for Fair Migration Research"]
    assert cfmr, [e.name for e in records.entities]
    uses = [m for m in records.mentions if m.entity == cfmr[0].key]
    assert len(uses) >= 3  # the long form, the definition, and the later bare use


def test_agenda_slots_give_participations(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "FINAL AGENDA\n10.00 - 11.30\nSession 1: Data for migration policy\n"
        "Moderator: Ana Lopez, Director, International Organization for Migration\n"
        "Speakers: Marta Kovač, Senior Adviser, UNICEF Peter Novak, Minister, Slovenia\n"
        "11.30 - 12.00\nCoffee break\n",
    )
    names = {e.key: e.name for e in records.entities}
    found = {
        (names[r.subject], names[r.object or ""], r.attribute("role"))
        for r in records.relations
        if r.type == "participation"
    }
    session = "Session 1: Data for migration policy"
    assert ("Ana Lopez", session, "moderator") in found
    assert ("Marta Kovač", session, "speaker") in found
    assert ("Peter Novak", session, "speaker") in found


def test_first_person_sentences_of_a_letter_belong_to_its_signatory(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Excellency,\n"
        "Further to the New York Declaration for Refugees and Migrants, I have the honour to "
        "enclose the programme of the session.\n"
        "Please accept the assurances of my highest consideration.\n"
        "Maria Fernanda Espinosa\n"
        "President of the General Assembly\n",
    )
    assert ("Maria Fernanda Espinosa", "New York Declaration for Refugees and Migrants") in _pairs(
        records, "citation"
    )
