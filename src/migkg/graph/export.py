"""Reading a build back: exports in every RDF format, statistics, and entity explanations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import Dataset

from migkg.errors import InputError, StoreError
from migkg.graph.build import PREFIXES
from migkg.graph.store import EXPORT_FORMATS, open_store, union_graph, write_atomic

__all__ = ["explain_entity", "export_graph", "graph_statistics", "load_dataset"]


def load_dataset(store_dir: Path) -> Dataset:
    """The build's dataset (all named graphs) as an rdflib ``Dataset``."""
    nquads = store_dir / "graph.nq"
    if not nquads.is_file():
        raise StoreError(f"{store_dir}: no graph.nq here; run 'migkg build ... --out DIR' first")
    dataset = Dataset()
    dataset.parse(nquads, format="nquads")
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    return dataset


def export_graph(store_dir: Path, output_format: str, out: Path | None = None) -> Path:
    """Serialise the build in ``output_format``; formats without graphs get the union."""
    if output_format not in EXPORT_FORMATS:
        raise InputError(
            f"unknown export format {output_format!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        )
    rdflib_format, suffix = EXPORT_FORMATS[output_format]
    dataset = load_dataset(store_dir)
    target: Any = dataset if output_format in {"trig", "nquads"} else union_graph(dataset)
    data = target.serialize(format=rdflib_format)
    if output_format == "jsonld":
        data = target.serialize(format="json-ld", context=PREFIXES, indent=1)
    path = out or store_dir / f"graph{suffix}"
    write_atomic(path, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def graph_statistics(store_dir: Path) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Instance counts per class and triple counts per property."""
    store = open_store(store_dir)
    classes = store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c",
        use_default_graph_as_union=True,
    )
    properties = store.query(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p",
        use_default_graph_as_union=True,
    )
    assert isinstance(classes, pyoxigraph.QuerySolutions)
    assert isinstance(properties, pyoxigraph.QuerySolutions)
    return (
        [(row[0].value, int(row[1].value)) for row in classes],
        [(row[0].value, int(row[1].value)) for row in properties],
    )


def explain_entity(store_dir: Path, name: str) -> list[dict[str, Any]]:
    """Entities whose name, alias or acronym is ``name``, with their merge-log entries."""
    store = open_store(store_dir)
    solutions = store.query(
        """
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX mig: <https://w3id.org/migkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?entity ?name ?type WHERE {
          VALUES ?wanted { %s }
          ?entity skos:prefLabel|skos:altLabel|mig:acronym ?label ; skos:prefLabel ?name ;
                  a ?type .
          FILTER(LCASE(STR(?label)) = LCASE(STR(?wanted)))
          FILTER(STRSTARTS(STR(?type), "https://w3id.org/migkg/ontology#"))
        } ORDER BY ?entity ?type
        """
        % pyoxigraph.Literal(name),  # N-Triples escaping: the name cannot leave the literal
        use_default_graph_as_union=True,
    )
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    merges: dict[str, list[dict[str, Any]]] = {}
    log = store_dir / "merge_log.jsonl"
    if log.is_file():
        for line in log.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            merges.setdefault(str(item["canonical"]), []).append(item)
    found: dict[str, dict[str, Any]] = {}
    for row in solutions:
        iri = row["entity"].value
        entry = found.setdefault(iri, {"iri": iri, "name": row["name"].value, "types": []})
        entry["types"].append(row["type"].value.rsplit("#", 1)[1])
    for iri, entry in found.items():
        entry["type"] = ", ".join(entry.pop("types"))
        entry["aliases"] = _values(store, iri, "http://www.w3.org/2004/02/skos/core#altLabel")
        entry["documents"] = _documents(store, iri)
        canonical = iri.split("/id/", 1)[1]
        entry["merges"] = merges.get(canonical, [])
    return list(found.values())


def _values(store: pyoxigraph.Store, iri: str, predicate: str) -> list[str]:
    quads = store.quads_for_pattern(pyoxigraph.NamedNode(iri), pyoxigraph.NamedNode(predicate),
                                    None, None)
    return sorted({quad.object.value for quad in quads})


def _documents(store: pyoxigraph.Store, iri: str) -> list[str]:
    quads = store.quads_for_pattern(
        None, pyoxigraph.NamedNode("https://w3id.org/migkg/ontology#mentions"),
        pyoxigraph.NamedNode(iri), None,
    )
    return sorted({quad.subject.value.rsplit("/", 1)[1] for quad in quads})
