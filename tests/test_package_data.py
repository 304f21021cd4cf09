"""Data files ship in the package and every named query prepares and runs."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from rdflib.plugins.sparql import prepareQuery

from migkg.graph.store import open_store
from migkg.queries.run import list_queries, run_on_store

PARAMETER_VALUES = {
    "framework": "New York Declaration",
    "actor": "Member States",
    "state": "Mexico",
    "entity": "IOM",
    "name": "IOM",
    "meeting": "Session",
}


def test_data_files_are_in_the_package() -> None:
    extract = files("migkg.extract")
    for name in ("organizations.jsonl", "frameworks.jsonl", "state_aliases.tsv", "demonyms.tsv"):
        assert (extract / "gazetteers" / name).read_text(encoding="utf-8").strip()
    for name in ("framework_symbols.jsonl", "citation_cues.jsonl", "honorifics.txt"):
        assert (extract / "patterns" / name).read_text(encoding="utf-8").strip()
    assert (files("migkg.ontology") / "migkg.ttl").read_text(encoding="utf-8")
    assert (files("migkg.ontology") / "shapes.ttl").read_text(encoding="utf-8")


def test_every_named_query_prepares_and_runs(small_build: Path) -> None:
    queries = list_queries()
    assert len(queries) >= 12
    store = open_store(small_build)
    for query in queries:
        assert query.summary, query.name
        prepareQuery(query.text)
        params = {p: PARAMETER_VALUES[p] for p in query.params}
        run_on_store(store, query, params)
