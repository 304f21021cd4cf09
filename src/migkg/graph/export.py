"""Reading a build back: exports in every RDF format, statistics, and entity explanations."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
from rdflib import Dataset

from migkg.errors import InputError, StoreError
from migkg.graph.build import PREFIXES
from migkg.graph.iri import ENTITIES_GRAPH
from migkg.graph.serialize import write_quads_file
from migkg.graph.store import (
    EXPORT_FORMATS,
    atomic_path,
    open_store,
    union_graph,
    write_atomic,
)

__all__ = ["export_graph", "graph_statistics", "load_dataset"]


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
    _, suffix = EXPORT_FORMATS[output_format]
    path = out or store_dir / f"graph{suffix}"
    if output_format == "jsonld":
        graph = union_graph(load_dataset(store_dir))
        data = graph.serialize(format="json-ld", context=PREFIXES, indent=1).encode("utf-8")
        write_atomic(path, data)
    else:
        nquads = store_dir / "graph.nq"
        if not nquads.is_file():
            raise StoreError(f"{store_dir}: no graph.nq here; run 'migkg build ... --out DIR'")
        # Streamed graph by graph from the build's N-Quads (which keep every datatype as built).
        quads = pyoxigraph.parse(path=nquads, format=pyoxigraph.RdfFormat.N_QUADS)
        try:
            with atomic_path(path) as temporary:
                write_quads_file(
                    quads, temporary, output_format, pyoxigraph.NamedNode(str(ENTITIES_GRAPH))
                )
        except ValueError as error:
            raise InputError(f"cannot export as {output_format}: {error}") from error
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
