from __future__ import annotations

import json
from importlib.resources import files

import pycountry

from migkg.extract.acronyms import find_definitions, find_table_rows
from migkg.extract.gazetteer import fold, load_gazetteer
from migkg.extract.names import same_person


def test_schwartz_hearst_definitions() -> None:
    found = find_definitions(
        "the work of the Global Forum on Migration and Development (GFMD) and of "
        "IDM (International Dialogue on Migration)"
    )
    pairs = {(d.short, d.long) for d in found}
    assert ("GFMD", "Global Forum on Migration and Development") in pairs
    assert ("IDM", "International Dialogue on Migration") in pairs


def test_table_rows() -> None:
    rows = find_table_rows(
        "ABBREVIATIONS\nIOM\tInternational Organization for Migration\n"
        "10:00\t11:00\nNGO\tNon-governmental organization\n"
    )
    assert [(r.short, r.long) for r in rows] == [
        ("IOM", "International Organization for Migration"),
        ("NGO", "Non-governmental organization"),
    ]


def test_person_name_variants() -> None:
    assert same_person("William Lacy Swing", "W.L. Swing")
    assert not same_person("Peter Thomson", "Laura Thompson")
    assert not same_person("Peter Sutherland", "Laura Sutherland")


def test_gazetteer_files_are_consistent() -> None:
    folder = files("migkg.extract") / "gazetteers"
    ids: set[str] = set()
    for name in ("organizations.jsonl", "frameworks.jsonl"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert record["id"] not in ids
            ids.add(record["id"])
    gazetteer = load_gazetteer()
    for entry in gazetteer.entries.values():
        parent = dict(entry.attributes).get("parent")
        assert parent is None or parent in gazetteer.entries, entry.id
        country = dict(entry.attributes).get("country")
        assert country is None or pycountry.countries.get(alpha_3=country), entry.id


def test_state_codes_come_from_pycountry() -> None:
    gazetteer = load_gazetteer()
    tanzania = gazetteer.state("United Republic of Tanzania")
    assert tanzania is not None and dict(tanzania.attributes)["iso3"] == "TZA"
    assert gazetteer.state("Holy See") is not None
    assert gazetteer.demonyms["Swiss"] == "state-che"


def test_migration_and_refugee_compacts_stay_apart() -> None:
    gazetteer = load_gazetteer()
    migration = gazetteer.lookup("global compact on migration")
    refugees = gazetteer.lookup("global compact on refugees")
    assert migration is not None and refugees is not None and migration.id != refugees.id
    assert gazetteer.lookup("GCM") == migration
    assert fold("The Global Compact") == "global compact"


def test_person_blocking_keys_cover_every_name_match() -> None:
    from migkg.extract.names import same_person
    from migkg.extract.resolve import _blocking_keys

    names = [
        "William Lacy Swing",
        "W.L. Swing",
        "Gordon Kihlangwa",
        "Gordon Kihalangwa",
        "Juan José Gómez-Camacho",
        "Juan José Gómez Camacho",
        "Juan José Gómez",
        "Pablo César García Sáenz",
        "García Sáenz",
        "M. Riaz Hamidullah",
        "Riaz Hamidullah",
        "Peter Thomson",
        "Laura Thompson",
    ]
    for a in names:
        for b in names:
            if same_person(a, b):
                assert _blocking_keys(a) & _blocking_keys(b), (a, b)
