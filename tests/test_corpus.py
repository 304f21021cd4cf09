"""The whole corpus, built once: real facts, exact evidence, parseable exports, stable output."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph
import pytest

from migkg.graph.store import open_store
from migkg.queries.run import load_query, run_on_store


def _rows(build: Path, name: str, /, **params: str) -> list[dict[str, object]]:
    return run_on_store(open_store(build), load_query(name), params).rows


def test_named_queries_have_their_columns(corpus_build: Path) -> None:
    expected = {
        "people": ["name"],
        "organizations": ["name", "kind"],
        "states": ["name", "iso3"],
        "frameworks": ["name", "kind"],
        "affiliations": ["person_name", "org_name"],
        "citations": ["actor_name", "framework_name", "quote"],
        "commitments": ["actor_name", "object", "quote"],
        "evidence": ["fact", "source", "start", "end", "quote"],
    }
    store = open_store(corpus_build)
    for name, columns in expected.items():
        result = run_on_store(store, load_query(name), limit=5)
        assert result.variables[: len(columns)] == columns, name
        assert result.rows, f"{name} returned no rows on the corpus"


def test_known_facts(corpus_build: Path) -> None:
    people = {row["name"] for row in _rows(corpus_build, "people")}
    assert {"William Lacy Swing", "Louise Arbour", "Jürg Lauber", "Peter Thomson"} <= people
    affiliations = {(r["person_name"], r["org_name"]) for r in _rows(corpus_build, "affiliations")}
    assert ("William Lacy Swing", "International Organization for Migration") in affiliations
    assert ("Ola Henrikson", "Sweden") in affiliations
    frameworks = {row["name"]: row["kind"] for row in _rows(corpus_build, "frameworks")}
    assert frameworks["New York Declaration for Refugees and Migrants"] == "declaration"
    assert frameworks["Global Compact for Safe, Orderly and Regular Migration"] == "compact"
    states = {row["name"]: row["iso3"] for row in _rows(corpus_build, "states")}
    assert states["Mexico"] == "MEX" and states["Switzerland"] == "CHE"
    organizations = {row["name"] for row in _rows(corpus_build, "organizations")}
    assert "Global Forum on Migration and Development" in organizations


def test_parameterised_queries(corpus_build: Path) -> None:
    citing = _rows(corpus_build, "who_cites", framework="2030 Agenda")
    assert len({row["actor_name"] for row in citing}) >= 3
    delegation = _rows(corpus_build, "delegation", state="Sweden")
    assert "Ola Henrikson" in {row["person_name"] for row in delegation}
    hostile = _rows(corpus_build, "who_cites", framework='x" } } DELETE WHERE { ?s ?p ?o } #')
    assert hostile == []


def test_every_evidence_quote_is_exactly_the_original_span(corpus_build: Path) -> None:
    rows = _rows(corpus_build, "evidence")
    assert len(rows) > 1000
    texts: dict[str, str] = {}
    for row in rows:
        source = str(row["source"])
        if source not in texts:
            texts[source] = Path(source).read_text(encoding="utf-8")
        start, end = int(str(row["start"])), int(str(row["end"]))
        assert texts[source][start:end] == row["quote"], row


def test_no_duplicate_canonical_entities(corpus_build: Path) -> None:
    for query in ("people", "organizations", "frameworks", "states"):
        names = [row["name"] for row in _rows(corpus_build, query)]
        assert len(names) == len(set(names)), query


def test_turtle_and_trig_parse_in_independent_parsers(corpus_build: Path) -> None:
    turtle = (corpus_build / "graph.ttl").read_bytes()
    triples = list(pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE))
    quads = list(
        pyoxigraph.parse(
            (corpus_build / "graph.trig").read_bytes(), format=pyoxigraph.RdfFormat.TRIG
        )
    )
    assert len(quads) >= len(triples) > 10_000
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper (raptor2-utils) is not installed")
    for name, syntax in (("graph.ttl", "turtle"), ("graph.trig", "trig")):
        result = subprocess.run(
            [rapper, "-q", "-i", syntax, "-c", str(corpus_build / name)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-2000:]


def _has(rows: list[dict[str, object]], **expected: str) -> bool:
    """Some row has every expected column containing the expected text."""
    return any(
        all(text in str(row.get(column, "")) for column, text in expected.items()) for row in rows
    )


# One known answer of the corpus per named query (each checked by reading the documents).
KNOWN_ANSWERS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "people": ({}, {"name": "William Lacy Swing"}),
    "organizations": ({}, {"name": "International Organization for Migration", "acronym": "IOM"}),
    "states": ({}, {"name": "Mexico", "iso3": "MEX", "m49": "484"}),
    "frameworks": ({}, {"name": "New York Declaration for Refugees and Migrants"}),
    "affiliations": (
        {},
        {"person_name": "William Lacy Swing", "org_name": "International Organization for"},
    ),
    "citations": (
        {},
        {"framework_name": "Global Compact for Safe, Orderly and Regular Migration"},
    ),
    "commitments": ({}, {"actor_name": "Guatemala", "object": "consular offices"}),
    "commitments_by": ({"actor": "Guatemala"}, {"object": "consular offices", "modality": "will"}),
    "proposals_by": (
        {"actor": "Chidi King"},
        {"object": "permanent migration", "modality": "need"},
    ),
    "evidence": ({}, {"quote": "International Organization for Migration", "start": "586"}),
    "who_cites": (
        {"framework": "Global Compact for Migration"},
        {"actor_name": "Member States"},
    ),
    "delegation": ({"state": "Mexico"}, {"person_name": "Daniela Nunez Pares"}),
    "documents_mentioning": ({"entity": "UN Migration Agency"}, {"document": "004-"}),
    "find_entity": ({"name": "UN Migration Agency"}, {"entity": "organization/iom"}),
    "most_cited_frameworks": ({}, {"framework_name": "Global Compact for Safe, Orderly"}),
    "panel_members": ({"meeting": "Closing Session"}, {"person_name": "Peter Thomson"}),
    "citation_edges": ({}, {"actor_label": "Member States", "framework": "framework/gcm"}),
    "co_cited_frameworks": (
        {},
        {
            "framework_name": "Global Compact for Safe, Orderly",
            "other_name": "New York Declaration",
        },
    ),
    "states_citing": ({"framework": "Global Compact for Migration"}, {"state_name": "Colombia"}),
    "affiliation_edges": (
        {},
        {"person_label": "William Lacy Swing", "organization": "organization/iom"},
    ),
}


def test_every_named_query_has_a_known_answer() -> None:
    from migkg.queries.run import list_queries

    assert {named.name for named in list_queries()} == set(KNOWN_ANSWERS)


@pytest.mark.parametrize("name", sorted(KNOWN_ANSWERS))
def test_named_query_gives_its_known_answer(corpus_build: Path, name: str) -> None:
    params, expected = KNOWN_ANSWERS[name]
    rows = _rows(corpus_build, name, **params)
    assert _has(rows, **expected), (name, rows[:5])
