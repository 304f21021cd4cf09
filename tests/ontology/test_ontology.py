"""The ontology: its terms match terms.py, it loads in owlready2, HermiT finds it consistent."""

from __future__ import annotations

import shutil
import tempfile
from importlib.resources import files
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF

from migkg.ontology.terms import MIG


def _ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(str(files("migkg.ontology") / "migkg.ttl"), format="turtle")


def test_terms_match_the_ontology() -> None:
    graph = _ontology()
    declared = {
        str(s).removeprefix(str(MIG))
        for s in graph.subjects()
        if isinstance(s, rdflib.URIRef) and str(s).startswith(str(MIG))
    }
    in_python = {name for name in MIG.__annotations__ if not name.startswith("_")}
    assert declared == in_python


def test_every_term_has_a_label_and_comment() -> None:
    graph = _ontology()
    for term in graph.subjects(RDF.type, OWL.Class):
        if str(term).startswith(str(MIG)):
            assert graph.value(term, rdflib.RDFS.label) is not None, term
            assert graph.value(term, rdflib.RDFS.comment) is not None, term


@pytest.mark.java
def test_hermit_finds_ontology_and_built_graph_consistent(small_build: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for HermiT")
    import owlready2

    merged = _ontology()
    dataset = rdflib.Dataset()
    dataset.parse(small_build / "graph.nq", format="nquads")
    document_graphs = [g for g in dataset.graphs() if "graph/document/002" in str(g.identifier)]
    entities = [g for g in dataset.graphs() if str(g.identifier).endswith("graph/entities")]
    for graph in document_graphs + entities:
        for triple in graph:
            merged.add(triple)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "merged.nt"
        # owlready2 cannot parse Turtle, so it is handed N-Triples.
        merged.serialize(path, format="nt")
        world = owlready2.World()
        ontology = world.get_ontology(path.as_uri()).load()
        with ontology:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert not list(world.inconsistent_classes())
