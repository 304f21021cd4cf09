"""Relation rules on short invented texts of the field: who speaks, who acts, who commits."""

from __future__ import annotations

from pathlib import Path

import pytest

from migkg.extract.entities import Candidate
from migkg.extract.ingest import read_document
from migkg.extract.pipeline import Extractor
from migkg.extract.records import DocRecords
from migkg.extract.relations.affiliations import (
    _closing_parenthesis,
    _looks_like_role,
    _without_accreditation,
    _without_location,
)
from migkg.extract.relations.agendas import _session_title
from migkg.extract.relations.attribution import _head_words
from migkg.extract.relations.common import load_title_words

GCM = "Global Compact for Safe, Orderly and Regular Migration"
NYD = "New York Declaration for Refugees and Migrants"


def _extract(extractor: Extractor, tmp_path: Path, text: str) -> DocRecords:
    path = tmp_path / "input.txt"
    path.write_text(text, encoding="utf-8")
    return extractor.extract(read_document(str(path)))


def _pairs(records: DocRecords, relation_type: str) -> set[tuple[str, str | None]]:
    names = {e.key: e.name for e in records.entities}
    return {
        (names[r.subject], names.get(r.object) if r.object else None)
        for r in records.relations
        if r.type == relation_type
    }


def _typed(records: DocRecords) -> set[tuple[str, str | None, str | None]]:
    names = {e.key: e.name for e in records.entities}
    return {
        (names[r.subject], names.get(r.object or ""), r.attribute("citation_type"))
        for r in records.relations
        if r.type == "citation"
    }


def _actors(records: DocRecords, relation_type: str) -> list[str]:
    names = {e.key: e.name for e in records.entities}
    return sorted(names[r.subject] for r in records.relations if r.type == relation_type)


# ---------------------------------------------------------------------------- citations


def test_report_voice_continues_the_speaker_of_the_paragraph(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Amina Diallo (Senegal) opened the discussion on regional cooperation. Regional "
        "consultative processes remain essential. The Global Compact for Safe, Orderly and "
        "Regular Migration should build on them.\n"
        "The Sendai Framework for Disaster Risk Reduction was also mentioned.\n",
    )
    citations = _pairs(records, "citation")
    assert ("Amina Diallo", GCM) in citations
    # A new paragraph without a named speaker is the report's own voice.
    assert not any("Sendai" in (framework or "") for _, framework in citations)


def test_anonymous_speakers_end_the_attribution(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Amina Diallo (Senegal) described national data systems. Several participants referred "
        "to the Sendai Framework for Disaster Risk Reduction as a useful model.\n",
    )
    assert not any("Sendai" in (f or "") for _, f in _pairs(records, "citation"))


def test_the_representative_of_a_state_speaks_for_it(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The representative of Chile said that the New York Declaration was a good model.\n",
    )
    assert ("Chile", NYD) in _pairs(records, "citation")


def test_an_office_holder_of_a_state_speaks_for_it(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The Minister of Labour of Ghana stressed the value of the New York Declaration. "
        "The President of the General Assembly welcomed the Sendai Framework for Disaster "
        "Risk Reduction.\n",
    )
    pairs = _pairs(records, "citation")
    assert ("Ghana", NYD) in pairs
    # A title of an organization names nobody who could be cited.
    assert not any("Sendai" in (f or "") for _, f in pairs)


def test_a_speakers_apposition_does_not_speak(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "As Rahel Tesfaye, Director General, Ministry of Foreign Affairs, Ethiopia, explained, "
        "the New York Declaration is the starting point.\n",
    )
    assert _pairs(records, "citation") == {("Rahel Tesfaye", NYD)}


def test_members_singled_out_after_an_unnamed_group_speak(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Civil society representatives stressed the importance of the New York Declaration, "
        "notably the representatives from the International Catholic Migration Commission and "
        "Caritas Internationalis.\n\n"
        "Participants underlined the Sendai Framework for Disaster Risk Reduction for countries "
        "of transit, such as Mexico and Morocco.\n",
    )
    pairs = _pairs(records, "citation")
    assert {a for a, f in pairs if f == NYD} == {
        "International Catholic Migration Commission",
        "Caritas Internationalis",
    }
    # A list that describes the object names no speakers.
    assert not any("Sendai" in (f or "") for _, f in pairs)


def test_a_participle_names_only_the_item_it_follows(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Other building blocks exist in the Sendai Framework for Disaster Risk Reduction, the "
        "Addis Ababa Action Agenda, the Paris Agreement, as well as the Migration Governance "
        "Framework recently adopted by IOM's Member States, the Migration Crisis Operational "
        "Framework and more.\n",
    )
    assert {f for _, f in _pairs(records, "citation")} == {"Migration Governance Framework"}


def test_a_reference_names_the_author_of_each_work(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Recruitment reform is under way.\n"
        "12 See ILO, General Principles and Operational Guidelines for Fair Recruitment 2016; "
        "UNHCR, the New York Declaration for Refugees and Migrants; a study by IOM.\n",
    )
    assert _typed(records) == {
        (
            "International Labour Organization",
            "General Principles and Operational Guidelines for Fair Recruitment",
            "adopts",
        ),
        ("Office of the United Nations High Commissioner for Refugees", NYD, "adopts"),
    }


def test_a_body_that_drafts_a_framework_adopts_it(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The Global Migration Group has drafted the New York Declaration for Refugees and "
        "Migrants. States will develop the Sendai Framework for Disaster Risk Reduction.\n",
    )
    assert _typed(records) == {("Global Migration Group", NYD, "adopts")}


def test_timeline_entries_name_who_adopted_what(extractor: Extractor, tmp_path: Path) -> None:
    # Entries run together without punctuation; the parser cannot be relied on here.
    records = _extract(
        extractor,
        tmp_path,
        "2016\tAdoption of the New York Declaration for Refugees and Migrants (with the Sendai "
        "Framework for Disaster Risk Reduction) by the UN General Assembly Adoption of the "
        "non-binding IOM Migration Crisis Operational Framework Launch of the Nansen Initiative\n"
        "2018\tAdoption of the Global Migration Group's Principles and Guidelines on the Human "
        "Rights Protection of Migrants in Vulnerable Situations.\n"
        "The Global Migration Group promotes implementation of the Paris Agreement.\n",
    )
    sendai = "Sendai Framework for Disaster Risk Reduction 2015\u20132030"
    gmg_principles = (
        "Principles and Guidelines, supported by practical guidance, on the human rights "
        "protection of migrants in vulnerable situations"
    )
    assert _typed(records) == {
        ("United Nations General Assembly", NYD, "adopts"),
        ("United Nations General Assembly", sendai, "adopts"),
        (
            "International Organization for Migration",
            "Migration Crisis Operational Framework",
            "adopts",
        ),
        ("Global Migration Group", gmg_principles, "adopts"),
    }


def test_a_state_adopts_its_own_constitution(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Ecuador is the only country to have enshrined universal citizenship in its "
        "Constitution. Mexico's Constitution protects migrants.\n\n"
        "The Constitution matters.\n",
    )
    assert _typed(records) == {
        ("Ecuador", "Constitution of Ecuador", "adopts"),
        ("Mexico", "Constitution of Mexico", "adopts"),
    }


def test_a_state_adopts_its_national_instruments(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Nigeria: A delegate from Nigeria explained that the Nigerian National Migration Policy "
        "had been established.\n\n"
        "Daguer Vasquez, Director of Migration, Costa Rica, noted that the Migration and Aliens "
        "Act of Costa Rica has permitted integration.\n\n"
        "Ms Ana Ruiz mentioned a National Development Strategy aimed at the Republic of "
        "Moldova.\n\n"
        "Anna Berg, Senior Policy Adviser, Sweden, spoke.\n",
    )
    typed = _typed(records)
    assert ("Nigeria", "Nigerian National Migration Policy", "adopts") in typed
    assert ("Costa Rica", "Migration and Aliens Act of Costa Rica", "adopts") in typed
    assert ("Moldova", "National Development Strategy", "adopts") in typed
    frameworks = {e.name for e in records.entities if e.type == "framework"}
    assert not any("Policy Adviser" in name or name == "Senior Policy" for name in frameworks)


def test_most_of_a_crowd_does_not_take_the_floor(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Julie Bolcer, Deputy Commissioner, New York City Mayor's Office, described her work. "
        "Most of the immigrants who have the card say it helps. The city co-organized a summit "
        "on the Global Compact on Refugees.\n",
    )
    assert ("Julie Bolcer", "Global Compact on Refugees") in _pairs(records, "citation")


def test_a_bracketed_source_list_speaks_but_not_an_office_in_it(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Several speakers emphasized the New York Declaration for Refugees and Migrants "
        "[Colombia, Sweden, President of the General Assembly].\n",
    )
    assert {a for a, _ in _pairs(records, "citation")} == {"Colombia", "Sweden"}


def test_a_bare_title_stands_for_the_person_named_with_it(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The workshop was opened by the IOM Director General, William Lacy Swing, and the "
        "Special Representative for International Migration, Louise Arbour. Amina J. Mohammed, "
        "Deputy Secretary-General of the United Nations, also spoke.\n\n"
        "The Director General recalled the Paris Agreement on Climate Change.\n\n"
        "The Special Representative and the Deputy Secretary-General offered remarks. They "
        "pledged support for the New York Declaration for Refugees and Migrants.\n\n"
        "The Director General of UNICEF recalled the Sendai Framework for Disaster Risk "
        "Reduction.\n",
    )
    pairs = _pairs(records, "citation")
    assert ("William Lacy Swing", "Paris Agreement") in pairs
    assert {("Louise Arbour", NYD), ("Amina J. Mohammed", NYD)} <= pairs
    # Nobody is named as UNICEF's Director General: that title stays unresolved.
    assert not any("Sendai" in framework for _, framework in pairs)


def test_a_body_acting_in_its_own_sentence_is_its_referrer(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Member States called on IOM to contribute to the New York Declaration for Refugees and "
        "Migrants. In line with this call (Art. 1 of the IOM Constitution), IOM dedicated the "
        "dialogue to the global compact.\n",
    )
    pairs = _pairs(records, "citation")
    assert ("International Organization for Migration", GCM) in pairs
    assert not any(actor == "Member States" and framework == GCM for actor, framework in pairs)


def test_he_and_other_speakers_keeps_the_speaker(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Amina Diallo, Director of Migration, Senegal, stated that data matter. He and other "
        "speakers decried polarization. Policies must follow the New York Declaration for "
        "Refugees and Migrants.\n",
    )
    assert ("Amina Diallo", NYD) in _pairs(records, "citation")


def test_a_closing_parenthesis_attributes_its_clause(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Other delegations stated that existing norms sufficed (Peru), and expected practical "
        "ideas from the Global Compact for Safe, Orderly and Regular Migration (Norway).\n",
    )
    citations = _pairs(records, "citation")
    assert ("Norway", GCM) in citations
    assert ("Peru", GCM) not in citations


def test_a_framework_that_speaks_is_the_report_voice(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Ana Pérez (Chile) said that migrants are not inherently vulnerable. As the New York "
        "Declaration underscores, their situations differ.\n",
    )
    assert ("Ana Pérez", NYD) not in _pairs(records, "citation")


def test_he_and_she_reach_back_over_a_list(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Ana Pérez (Chile) set out three priorities, including:\n"
        "- better data;\n"
        "- predictable funding;\n"
        "- fair recruitment.\n"
        "States would need to decide on the format. In that regard, she referenced the Paris "
        "Agreement.\n",
    )
    assert any(
        person == "Ana Pérez" and "Paris Agreement" in (framework or "")
        for person, framework in _pairs(records, "citation")
    )


def test_a_framework_in_the_speakers_title_is_not_cited(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Jana Novak, co-facilitator of the Global Compact for Safe, Orderly and Regular "
        "Migration, described cooperation between cities.\n",
    )
    assert ("Jana Novak", GCM) not in _pairs(records, "citation")


def test_the_addressees_of_a_proposal_do_not_speak(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Member States could consider incorporating the following commitments into the Global "
        "Compact for Safe, Orderly and Regular Migration:\n"
        "- Reaffirm the New York Declaration for Refugees and Migrants.\n",
    )
    assert not _pairs(records, "citation")


def test_passive_agent_and_possessor_perform_the_act(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The Migration Governance Framework, endorsed by the Member States of the International "
        "Organization for Migration, guides national policy.\n"
        "The report recalls the General Assembly's adoption of the 2030 Agenda for Sustainable "
        "Development and the Paris Agreement.\n",
    )
    typed = _typed(records)
    assert any(
        actor == "International Organization for Migration"
        and "Migration Governance Framework" in (framework or "")
        and kind == "endorses"
        for actor, framework, kind in typed
    )
    adopted = {framework for actor, framework, kind in typed if kind == "adopts"}
    assert any("2030 Agenda" in (f or "") for f in adopted)
    # Only the object of "adoption of" is adopted, not the next item of the list.
    assert not any("Paris" in (f or "") for f in adopted)


def test_a_future_adoption_is_not_an_adoption(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Member States will adopt the Global Compact for Safe, Orderly and Regular Migration "
        "in December.\n",
    )
    assert not any(kind == "adopts" for _, _, kind in _typed(records))


def test_co_signed_letter_is_cited_by_every_signatory(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Excellency,\n"
        "We are pleased to invite you to an informal dialogue on the Global Compact for Safe, "
        "Orderly and Regular Migration.\n"
        "Please accept, Excellency, the assurances of our highest consideration.\n\n"
        # signature blocks as the PDF export writes them, with hard line breaks ("  \n")
        "Ana Lopez  \n"
        "Ambassador and Permanent Representative of  \n"
        "Chile to the United Nations\n\n"
        "Jan Berg  \n"
        "Ambassador and Permanent Representative of  \n"
        "Norway to the United Nations\n",
    )
    citations = _pairs(records, "citation")
    assert ("Ana Lopez", GCM) in citations
    assert ("Jan Berg", GCM) in citations


# ---------------------------------------------------------------------------- affiliations


def test_role_words_outside_the_title_list_still_make_a_role(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Liza Chan, Acting Senior Director for Policy, International Organization for Migration, "
        "opened the meeting.\n",
    )
    assert ("Liza Chan", "International Organization for Migration") in _pairs(
        records, "affiliation"
    )


def test_a_representative_is_not_affiliated_to_the_host_body(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Sabir Ali, Deputy Permanent Representative of Pakistan to the United Nations, noted "
        "the progress made.\n",
    )
    pairs = _pairs(records, "affiliation")
    assert ("Sabir Ali", "Pakistan") in pairs
    assert ("Sabir Ali", "United Nations") not in pairs


def test_an_agenda_line_with_a_long_title_and_a_particle_name(
    extractor: Extractor, tmp_path: Path
) -> None:
    # "Ambassador Extraordinary" is a title, not "Ambassador" + a surname; "El" opens a name.
    records = _extract(
        extractor,
        tmp_path,
        "Speakers:\n"
        "\u2022 Luis Pérez Soto, Ambassador Extraordinary and Plenipotentiary, Permanent "
        "Representative of Mexico to the United Nations\n"
        "<p>Moderator: El Hadi Benali, Secretary General, Ministry of Foreign Affairs, "
        "Morocco</p>\n",
    )
    pairs = _pairs(records, "affiliation")
    assert ("Luis Pérez Soto", "Mexico") in pairs
    assert ("Luis Pérez Soto", "United Nations") not in pairs
    assert ("El Hadi Benali", "Morocco") in pairs


def test_a_name_after_a_sentence_opening_preposition(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "For Karim Haddad, Chairperson of the Migration Working Group of the Ministry of Foreign "
        "Affairs of Libya, speaking at the first workshop, the situation is a reality.\n",
    )
    pairs = _pairs(records, "affiliation")
    assert ("Karim Haddad", "Ministry of Foreign Affairs of Libya") in pairs
    assert ("Karim Haddad", "Libya") in pairs


def test_nested_parentheses_and_of_phrases(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Ravi Rao (Senior Adviser, International Organization for Migration (IOM)) spoke first. "
        "Chidi Okafor spoke next. Later, Mr Okafor of the International Labour Organization "
        "noted the role of employers.\n",
    )
    pairs = _pairs(records, "affiliation")
    assert ("Ravi Rao", "International Organization for Migration") in pairs
    assert ("Chidi Okafor", "International Labour Organization") in pairs


def test_a_role_held_as_chair(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Luis Mora, Vice Minister of Foreign Affairs of Panama, described his experience as "
        "Chairperson of the Regional Conference on Migration.\n",
    )
    assert any(
        person == "Luis Mora" and "Regional Conference on Migration" in (org or "")
        for person, org in _pairs(records, "affiliation")
    )


def _candidate(
    start: int, end: int, kind: str, name: str, org_kind: str | None = None
) -> Candidate:
    return Candidate(start, end, kind, name, "pattern", kind=org_kind)


def test_accreditation_and_location_filters() -> None:
    text = "Sabir Ali, Permanent Representative of Pakistan to the United Nations"
    person = _candidate(0, 9, "person", "Sabir Ali")
    pakistan = _candidate(text.index("Pakistan"), text.index("Pakistan") + 8, "state", "Pakistan")
    un_start = text.index("United Nations")
    un = _candidate(un_start, un_start + 14, "organization", "United Nations")
    assert _without_accreditation(text, person, [pakistan, un]) == [pakistan]
    ngo = _candidate(0, 5, "organization", "HIRDA", "civil_society")
    netherlands = _candidate(7, 18, "state", "Netherlands")
    assert _without_location([ngo, netherlands]) == [ngo]
    ministry = _candidate(0, 5, "organization", "Ministry of Health", "government_body")
    assert _without_location([ministry, netherlands]) == [ministry, netherlands]


def test_role_shape_and_parentheses() -> None:
    titles = load_title_words()
    assert _looks_like_role("Managing Director, ", titles)
    assert _looks_like_role("Attorney at Law, ", titles)
    assert _looks_like_role("head of ", titles)
    assert not _looks_like_role("All Permanent Representatives and Observers to the ", titles)
    assert not _looks_like_role("who met with colleagues from ", titles)
    assert _closing_parenthesis("(Director, Forum (Asia) Centre) said") == 30
    assert _head_words("African Development Bank") == {"bank"}


# ---------------------------------------------------------------------------- commitments


def test_an_organization_that_will_act_commits(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Ms Fore announced that UNICEF will soon launch a new strategy for young migrants.\n",
    )
    commitments = [r for r in records.relations if r.type == "commitment"]
    assert _actors(records, "commitment") == ["United Nations Children's Fund"]
    assert commitments[0].attribute("modality") == "will"
    assert (commitments[0].attribute("object") or "").startswith("soon launch")


def test_predictions_and_programme_notes_are_not_commitments(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The largest voting bloc will be young voters. There will be a small core group of "
        "agencies. The International Organization for Migration will hold its second workshop "
        "in Geneva. This session will discuss data.\n",
    )
    assert not _actors(records, "commitment")


def test_definite_descriptions_and_pronouns_name_the_committer(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The crisis prompted the Government of Peru to act quickly. This is in line with the "
        "Government's commitment to protect refugees.\n"
        "Cooperation between the World Health Organization and the International Organization "
        "for Migration has grown. They will launch joint assessments of migrant health.\n",
    )
    actors = _actors(records, "commitment")
    assert "Peru" in actors
    assert "World Health Organization" in actors
    assert "International Organization for Migration" in actors


def test_a_commitment_made_in_a_framework_adopts_it(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "In the New York Declaration for Refugees and Migrants, Member States made a commitment "
        "to protect the safety and dignity of all migrants.\n",
    )
    assert _actors(records, "commitment") == ["Member States"]
    assert ("Member States", NYD, "adopts") in _typed(records)


def test_who_is_committed_by_another_and_who_agrees_to_act(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The Abuja Treaty was ratified by 49 countries. Among other things, the African Union "
        "commits its Member States to the gradual removal of obstacles to the free movement of "
        "persons. The Government of Chile has agreed to open two new consular offices.\n",
    )
    commitments = _statements(records, "commitment")
    assert (
        "Member States",
        "commit",
        "to the gradual removal of obstacles to the free movement of persons",
    ) in commitments
    assert any(actor == "Chile" and "consular offices" in obj for actor, _, obj in commitments)
    assert all(actor != "African Union" for actor, _, _ in commitments)


@pytest.mark.parametrize(
    "sentence",
    [
        "Member States could commit to ending the detention of children.\n",
        "The International Organization for Migration should commit to more data sharing.\n",
    ],
)
def test_hedged_commitments_are_proposals(
    extractor: Extractor, tmp_path: Path, sentence: str
) -> None:
    records = _extract(extractor, tmp_path, sentence)
    assert not _actors(records, "commitment")
    assert _actors(records, "proposal")


def _statements(records: DocRecords, relation_type: str) -> list[tuple[str, str, str]]:
    names = {e.key: e.name for e in records.entities}
    return [
        (names[r.subject], r.attribute("modality") or "", r.attribute("object") or "")
        for r in records.relations
        if r.type == relation_type
    ]


def test_what_a_speaker_says_should_be_done_is_a_proposal(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Chidi King (Director, Equality Department, International Trade Union Confederation) "
        "said that more pathways to permanent migration were needed at all skill levels. She "
        "called for an end to the detention of children. Ms King also stressed the need for "
        "more data on migrants in vulnerable situations, and said that States should ratify the "
        "migrant workers convention.\n",
    )
    proposals = _statements(records, "proposal")
    assert {actor for actor, _, _ in proposals} == {"Chidi King"}
    modalities = {modality for _, modality, _ in proposals}
    assert {"need", "call", "should"} <= modalities
    called = next(obj for _, modality, obj in proposals if modality == "call")
    assert called == "an end to the detention of children"
    assert not _actors(records, "commitment")


@pytest.mark.parametrize(
    "text",
    [
        # the report's own voice
        "States should ratify the migrant workers convention.\n",
        # a relative clause describes the plan
        "Pedro Alves presented the national plan, which should be ready by the end of 2019.\n",
        # an indirect question
        "Ana Ruiz asked how the global compact should address mixed movements of people.\n",
        # a need merely mentioned
        "Ana Ruiz described the need for international protection in the case of refugees.\n",
    ],
)
def test_descriptions_and_the_reports_voice_propose_nothing(
    extractor: Extractor, tmp_path: Path, text: str
) -> None:
    assert not _statements(_extract(extractor, tmp_path, text), "proposal")


# ---------------------------------------------------------------------------- participation


def _participations(records: DocRecords) -> set[tuple[str, str, str | None]]:
    names = {e.key: e.name for e in records.entities}
    return {
        (names[r.subject], names[r.object or ""], r.attribute("role"))
        for r in records.relations
        if r.type == "participation"
    }


def test_session_title_ends_where_the_description_begins(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "FINAL AGENDA\n10.00 - 11.30\nSession 2: Joint approaches to migration data Member States "
        "rely on partners for data. Moderator: Ana Lopez, Director, International Organization for "
        "Migration Speakers: Peter Novak, Minister, Slovenia\n11.30 - 12.00\nBreak\n",
    )
    session = "Session 2: Joint approaches to migration data"
    found = _participations(records)
    assert ("Ana Lopez", session, "moderator") in found
    assert ("Peter Novak", session, "speaker") in found


def test_moderators_listed_by_panel_join_the_agenda_session(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "I wish to inform you that the following moderators have been selected:\n"
        "- Panel 1: H.E. Mr. Jan Berg, Director General, Ministry of Justice of Norway\n"
        "ANNEX 1: Agenda\n"
        "10.15-13.00\tPANEL 1: Cooperation on return and reintegration This panel will examine "
        "existing mechanisms.\n"
        "13.00-15.00\tLunch\n",
    )
    assert ("Jan Berg", "PANEL 1: Cooperation on return and reintegration", "moderator") in (
        _participations(records)
    )


def test_a_session_title_run_into_its_description_ends_at_the_description() -> None:
    text = (
        "15:00 – 16:30\nPanel 2 – Identifying migrant vulnerabilities – structural and "
        "situational factors of vulnerability Migrant assistance and protection practitioners "
        "face significant challenges in identifying vulnerable migrants in migration flows who "
        "are in need of services, as this session will discuss at length.\n"
    )
    found = _session_title(text, len("15:00 – 16:30"), len(text))
    assert found is not None
    assert found[0] == (
        "Panel 2 – Identifying migrant vulnerabilities – structural and situational factors "
        "of vulnerability"
    )


# ----------------------------------------------------------- speakers' bodies, echoes, lists


def test_his_country_is_the_speakers_state(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "According to Arturo Vidal, Director of the Migration Office, Ministry of the Interior, "
        "Chile, his country uses the Sendai Framework for Disaster Risk Reduction to plan "
        "evacuations.\n\n"
        "Ana Ruiz, Head of Policy, Caritas Peru, said that the Caritas network welcomed the New "
        "York Declaration. The representative of Sweden said that his country supported the "
        "Global Compact.\n",
    )
    citations = _pairs(records, "citation")
    sendai = next(name for _, name in citations if name and "Sendai" in name)
    assert ("Chile", sendai) in citations
    assert ("Arturo Vidal", sendai) in citations
    # A delegate already stands for the state: "his country" is not Ms Ruiz's.
    assert all(actor != "Peru" for actor, _ in citations)


def test_speakers_who_echo_the_sentence_before_cite_its_frameworks(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Civil society representatives spoke about their role in the development of the Global "
        "Compact for Safe, Orderly and Regular Migration. Government representatives from Canada "
        "and Ghana echoed this.\n\n"
        "Lena Berg noted the New York Declaration for Refugees and Migrants. A representative "
        "from Kenya agreed. Ms Berg also noted the Paris Agreement.\n",
    )
    citations = _pairs(records, "citation")
    assert ("Canada", GCM) in citations
    assert ("Ghana", GCM) in citations
    # A bare "agreed" may agree with any part of what was said: no citation of its own.
    assert ("Kenya", NYD) not in citations


def test_people_listed_in_brackets_speak_not_their_bodies(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Members representing civil society organizations [including Tom Reyes from ICMC and "
        "Sara Lind, Regional Coordinator, Migrant Forum in Asia] spoke about the Global Compact "
        "for Safe, Orderly and Regular Migration. Several States [Omar Haddad from Jordan, the "
        "representative from Kenya] called for the New York Declaration for Refugees and "
        "Migrants to be implemented.\n",
    )
    citations = _pairs(records, "citation")
    assert ("Tom Reyes", GCM) in citations
    assert ("Sara Lind", GCM) in citations
    assert ("Migrant Forum in Asia", GCM) not in citations
    assert ("Kenya", NYD) in citations
    assert ("Omar Haddad", NYD) in citations
    assert ("Jordan", NYD) not in citations


def test_unnamed_subjects_of_a_speakers_remarks_do_not_end_them(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The importance of capacity was echoed by Pedro Alves, Permanent Representative of "
        "Brazil, who noted that capacity is not only needed by governments. Other stakeholders "
        "also need capabilities to engage in implementation of the Global Compact for Safe, "
        "Orderly and Regular Migration.\n",
    )
    assert any(actor == "Pedro Alves" for actor, _ in _pairs(records, "citation"))


def test_title_first_affiliations(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The Swiss Permanent Representative to the UN in New York, Marc Weber, gave examples. "
        "Closing remarks offered by IOM’s Deputy Director General, Laura Thompson, recognized "
        "the viewpoints. Her Excellency Amina J. Mohammed, the Deputy Secretary-General of the "
        "United Nations, offered remarks. Mirela Stoia (PricewaterhouseCoopers) agreed.\n",
    )
    pairs = _pairs(records, "affiliation")
    assert ("Marc Weber", "Switzerland") in pairs
    assert ("Marc Weber", "United Nations") not in pairs
    assert ("Laura Thompson", "International Organization for Migration") in pairs
    assert ("Amina J. Mohammed", "United Nations") in pairs
    assert ("Mirela Stoia", "PricewaterhouseCoopers") in pairs
