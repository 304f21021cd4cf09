"""Entity recognition patterns, on invented sentences of the field (not corpus lines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migkg.extract.gazetteer import load_gazetteer
from migkg.extract.ingest import read_document
from migkg.extract.names import same_person, strong_variant
from migkg.extract.pipeline import Extractor
from migkg.extract.records import DocRecords


def _extract(extractor: Extractor, tmp_path: Path, text: str) -> DocRecords:
    path = tmp_path / "input.txt"
    path.write_text(text, encoding="utf-8")
    return extractor.extract(read_document(str(path)))


def _names(records: DocRecords, entity_type: str) -> set[str]:
    return {e.name for e in records.entities if e.type == entity_type}


def _surfaces(records: DocRecords, entity_type: str) -> set[str]:
    types = {e.key: e.type for e in records.entities}
    return {" ".join(m.text.split()) for m in records.mentions if types[m.entity] == entity_type}


# ---------------------------------------------------------------------- government bodies


def test_portfolio_list_after_a_comma_stays_in_the_name(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Amara Okafor, Director, Ministry of Labour, Employment and Social Protection, Ghana, "
        "opened the meeting.",
    )
    assert "Ministry of Labour, Employment and Social Protection of Ghana" in _names(
        records, "organization"
    )
    assert "Ghana" in _names(records, "state")
    assert "Amara Okafor" in _names(records, "person")


def test_portfolio_list_with_a_serial_comma(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Speakers: Leila Haddad, Senior Adviser, Division of Data, Research, and Policy, UNICEF",
    )
    surfaces = _surfaces(records, "organization")
    assert "Division of Data, Research, and Policy" in surfaces
    assert "UNICEF" in surfaces


def test_a_comma_without_a_closing_and_separates_two_bodies(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Joseph Mwangi (Director, Department of Immigration, Ministry of Interior, Kenya) "
        "described the new visa rules.",
    )
    surfaces = _surfaces(records, "organization")
    assert {"Department of Immigration", "Ministry of Interior"} <= surfaces
    assert not any("Immigration, Ministry" in s for s in surfaces)


def test_state_after_of_qualifies_the_body_and_is_a_mention(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Kwame Mensah, Chief Director, Ministry of Foreign Affairs and Regional Integration of "
        "the Republic of Ghana, spoke next.",
    )
    assert "Ministry of Foreign Affairs and Regional Integration of Ghana" in _names(
        records, "organization"
    )
    assert "Ghana" in _names(records, "state")


def test_state_after_in_qualifies_a_government_body(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Sara Lind, Director General of the Ministry of Employment in Sweden, said that "
        "labour shortages were growing.",
    )
    assert "Ministry of Employment of Sweden" in _names(records, "organization")
    assert "Sweden" in _names(records, "state")


def test_parent_body_after_of_the_is_a_second_organization(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Rosa Quispe, Head of the Planning Unit of the Ministry of Health of Peru, presented "
        "the plan.",
    )
    names = _names(records, "organization")
    assert {"Planning Unit", "Ministry of Health of Peru"} <= names


def test_office_of_the_title_for_a_portfolio(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "She joined the Office of the Presidential Adviser for Diaspora Affairs in 2015.",
    )
    assert "Office of the Presidential Adviser for Diaspora Affairs" in _names(
        records, "organization"
    )


def test_permanent_mission_letterhead_in_capitals(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor, tmp_path, "PERMANENT MISSION OF GHANA\nTO THE UNITED NATIONS\n\nExcellency,\n"
    )
    assert "Permanent Mission of Ghana to the United Nations" in _names(records, "organization")
    assert "Ghana" in _names(records, "state")


def test_a_name_stops_at_the_next_entry_of_a_run_together_list(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "2006\tEstablishment of the Global Forum on Migration and Development Launch of the "
        "Berne Initiative\n"
        "Partners: Regional Centre for Migration Studies ICVA and others.",
    )
    surfaces = _surfaces(records, "organization")
    assert "Global Forum on Migration and Development" in surfaces
    assert "Regional Centre for Migration Studies" in surfaces
    assert not any("Launch" in s for s in surfaces)
    assert "Regional Centre for Migration Studies ICVA" not in surfaces


def test_generic_unit_is_not_an_organization(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The Executive Secretariat will circulate the draft to the Steering Committee.",
    )
    assert "Executive Secretariat" not in _names(records, "organization")


# ---------------------------------------------------------------------- titles and people


def test_title_before_a_name_is_not_the_office(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The former UN Special Rapporteur on the human rights of migrants, Felipe González "
        "Morales, said that detention should end.",
    )
    organizations = _names(records, "organization")
    assert not any("Rapporteur" in name for name in organizations)
    assert "United Nations" in organizations
    assert "Felipe González Morales" in _names(records, "person")


def test_acronym_of_the_tail_does_not_name_the_whole_title(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Maria Lopez, Special Rapporteur on the Human Rights of Internally Displaced Persons "
        "(IDPs), said that IDPs needed protection.",
    )
    assert "IDPs" not in _surfaces(records, "organization")


def test_photo_credit_names_a_person(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor, tmp_path, "Participants at the workshop in Geneva. © IOM/Daniel Okoro"
    )
    assert "Daniel Okoro" in _names(records, "person")


def test_province_in_a_caption_is_not_a_person(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor, tmp_path, "Ana Souza, Secretary for Human Rights, Rio de Janeiro, Brazil"
    )
    assert _names(records, "person") == {"Ana Souza"}


def test_surname_after_a_title_joins_the_full_name(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Thabo Nkosi, Director General, Department of Home Affairs, South Africa, opened the "
        "panel. Later, Director General Nkosi said that data mattered.",
    )
    assert _names(records, "person") == {"Thabo Nkosi"}
    assert len([m for m in records.mentions if m.text == "Nkosi"]) == 1


def test_heading_words_are_not_a_name(extractor: Extractor) -> None:
    text = (
        "Administrative modernization and fast implementation of the digital track were "
        "discussed at length by the ministers."
    )
    doc = extractor.nlp(text)
    common = frozenset(t.text for t in doc if t.text.islower())
    recognizer = extractor.recognizer
    assert not recognizer._looks_like_name("Administrative Modernization", common)
    assert not recognizer._looks_like_name("Fast-Track Implementation", common)
    assert not recognizer._looks_like_name("Verité Speakers", common)
    assert recognizer._looks_like_name("Peter Holm", common)
    # Surnames that are also words are names while the text never writes them in lower case.
    assert recognizer._looks_like_name("Peter Sutherland", common)


def test_name_variants_that_drop_given_names() -> None:
    assert same_person("Pablo César García Sáenz", "García Sáenz")
    assert strong_variant("Mohammad Abdul Karim", "Abdul Karim")
    assert strong_variant("Anna K. Berg", "Anna Berg")
    assert not strong_variant("Anna Berg", "Hanna Berg")


# ---------------------------------------------------------------------- frameworks


def test_lower_case_descriptions_are_not_frameworks(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The Union adopted a migration policy framework in 2006 and an action plan for "
        "returns. The Safe Corridors for Workers initiative started in 2019.",
    )
    assert _names(records, "framework") == {"Safe Corridors for Workers initiative"}


def test_named_programme_is_a_framework_but_a_unit_in_a_title_is_not(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Lina Haddad, Director, Global Labour Standards Programme, Fair Trade Forum, spoke "
        "first. The Government supports refugees through its National Resettlement "
        "Sponsorship Programme.",
    )
    assert _names(records, "framework") == {"National Resettlement Sponsorship Programme"}


def test_owner_acronym_before_a_known_framework(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The ILO's Multilateral Framework on Labour Migration was cited by several delegations.",
    )
    assert "ILO's Multilateral Framework on Labour Migration" in _surfaces(records, "framework")
    assert "International Labour Organization" in _names(records, "organization")


def test_short_re_mentions_join_the_full_name(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Implementing the Guiding Principles on Internal Displacement matters. The Guiding "
        "Principles remain the reference. The GFMD Business Mechanism met employers; the "
        "Business Mechanism will report in June.",
    )
    assert _names(records, "framework") == {"Guiding Principles on Internal Displacement"}
    assert "GFMD Business Mechanism" in _names(records, "organization")
    assert "Business Mechanism" not in _names(records, "organization")


def test_known_framework_written_without_its_article() -> None:
    gazetteer = load_gazetteer()
    entry = gazetteer.lookup_loose(
        "WHO Global Code of Practice on International Recruitment of Health Personnel"
    )
    assert entry is not None and entry.type == "framework"


# ---------------------------------------------------------------------- states


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Since 2016 more than 5,000 Venezuelans arrived in the country.", "Venezuela"),
        ("The Italian Parliament passed the law.", "Italy"),
    ],
)
def test_states_from_nationals_and_adjectives(
    extractor: Extractor, tmp_path: Path, text: str, state: str
) -> None:
    assert state in _names(_extract(extractor, tmp_path, text), "state")


def test_sub_national_places_are_known() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.is_place("São Paulo")
    assert not gazetteer.is_place("Georgia")  # the state's own name wins


def test_instruments_introduced_by_their_class_noun(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The bank funds programmes such as Skills for Rural Youth and Women in Trade Africa. "
        'The delegate described "Nurses Without Borders", a programme run by the health '
        "ministry.",
    )
    assert {
        "Skills for Rural Youth",
        "Women in Trade Africa",
        "Nurses Without Borders",
    } <= _names(records, "framework")


def test_an_office_named_with_its_seat(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Omar Said, Deputy Director of the UNHCR Office in New York, described the pilot.",
    )
    assert "UNHCR Office in New York" in _names(records, "organization")
    assert "Office of the United Nations High Commissioner for Refugees" in _names(
        records, "organization"
    )


# ---------------------------------------------------------------------- span ends


def test_a_month_ends_a_framework_name(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Ministers adopted the Abuja Declaration on Labour Migration in December 2019. "
        "In September 2020 Lomé Charter on Seasonal Work was signed.",
    )
    names = _names(records, "framework")
    assert "Abuja Declaration on Labour Migration" in names
    assert "Lomé Charter on Seasonal Work" in names


def test_an_actor_after_a_comma_is_not_part_of_a_framework_name(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Under the Kampala Declaration on Labour Mobility and Skills, Member States and "
        "Observers agreed to share data.",
    )
    assert "Kampala Declaration on Labour Mobility and Skills" in _names(records, "framework")


def test_a_timeline_cell_splits_at_the_adopting_body_and_the_next_item(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "2016\tLaunch of the Lagos Platform Adoption of the Accra Agenda for Labour Mobility by "
        "the African Union Commission Adoption of the Nairobi Framework on Return by the IGAD "
        "Council Launch of the Dakar Process\n",
    )
    names = _names(records, "framework")
    assert {"Accra Agenda for Labour Mobility", "Nairobi Framework on Return"} <= names
    assert all(len(name.split()) <= 6 for name in names)


def test_by_land_stays_in_a_name_without_a_body(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor, tmp_path, "The Kigali Protocol on Smuggling of Persons by Sea was cited."
    )
    assert "Kigali Protocol on Smuggling of Persons by Sea" in _names(records, "framework")


def test_two_instruments_side_by_side_stay_apart(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Instruments: United Nations Convention against Transnational Organized Crime Kigali "
        "Agreement on Climate Mobility\n",
    )
    surfaces = _surfaces(records, "framework")
    assert "Kigali Agreement on Climate Mobility" in surfaces
    assert not any("Crime Kigali" in s for s in surfaces)


# ---------------------------------------------------------------------- not people


def test_diplomatic_title_words_are_not_people(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Speakers: Karin Holm, Ambassador Extraordinary and Plenipotentiary, Permanent "
        "Representative of Norway to the United Nations Office at Geneva\n"
        "Moderator: Ambassador Extraordinary and Plenipotentiary of Chile\n",
    )
    assert _names(records, "person") == {"Karin Holm"}


def test_ordinary_words_glued_to_a_name_are_trimmed(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Chair: Rahma Soliman Both co-chairs thanked the delegations.\n"
        "Moderator: Amara Okafor Participants agreed that participants need data.\n"
        "Moderator: Laura Young spoke about young migrants.\n",
    )
    assert _names(records, "person") == {"Rahma Soliman", "Amara Okafor", "Laura Young"}


def test_groups_nationals_and_contact_lines_are_not_people(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Armed groups such as Jund Kafir displaced many people. The Minister for "
        "Maghreb Affairs and Expatriate Mauritaniens spoke.\n"
        "17 route des Morillons, 1211 Geneva 19, Switzerland Tel.: +41 22 717 91 11\n",
    )
    assert not _names(records, "person")
    assert "Jund Kafir" in _names(records, "organization")


# ---------------------------------------------------------------------- posts and companies


def test_a_special_mandate_is_a_post_and_its_office_a_body(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Remarks by the Special Representative for International Migration opened the session. "
        "The Office of the Special Representative for International Migration supported it. "
        "The UN Special Rapporteur on the Human Rights of Migrants visited Chad.",
    )
    surfaces = _surfaces(records, "organization")
    assert "Office of the Special Representative for International Migration" in surfaces
    assert "Special Representative for International Migration" not in surfaces
    assert not any(s.startswith(("Special Rapporteur", "UN Special")) for s in surfaces)


def test_a_company_in_the_affiliation_slot(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "Mirela Petrescu, Director, Immigration Services, Kestrel & Moss, spoke next. "
        "Jonas Berg, Head of Policy, Accenture. "
        "Ines Roth (Director, Tax Services, Veldmark Zorn) spoke. "
        "Lena Dahl, Director, Legal Affairs, Geneva, closed the meeting.",
    )
    names = _names(records, "organization")
    assert {"Kestrel & Moss", "Accenture", "Veldmark Zorn"} <= names
    assert "Geneva" not in names


def test_instruments_named_by_class_noun_quoted_title_or_legal_head(
    extractor: Extractor, tmp_path: Path
) -> None:
    records = _extract(
        extractor,
        tmp_path,
        'In 2015, the IPU adopted a declaration on "the imperative for fairer and more humane '
        'migration". A speaker described the pilot programme Humanitarian Corridors. The '
        "Migration and Aliens Act of Costa Rica was approved in 2010. The framework of the "
        "workshop was discussed.\n",
    )
    frameworks = _surfaces(records, "framework")
    assert "the imperative for fairer and more humane migration" in frameworks
    assert "Humanitarian Corridors" in frameworks
    assert any(f.startswith("Migration and Aliens Act") for f in frameworks)
    assert not any("workshop" in f.lower() for f in frameworks)


def test_known_instruments_sharing_one_plural_head(extractor: Extractor, tmp_path: Path) -> None:
    records = _extract(
        extractor,
        tmp_path,
        "The guidelines would protect migrants, just as the Nansen and Migrants in Countries in "
        "Crisis initiatives did with other groups. Colombia and Peru governments met.\n",
    )
    frameworks = _names(records, "framework")
    assert "Nansen Initiative on Disaster-Induced Cross-Border Displacement" in frameworks
    assert "Migrants in Countries in Crisis Initiative" in frameworks
    assert len(frameworks) == 2
