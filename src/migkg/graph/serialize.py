"""RDF files written graph by graph: N-Quads, TriG, and the union in Turtle, N-Triples, RDF/XML.

Files are written from the quads the build produces (not read back from the store, which
normalises derived integer datatypes such as ``xsd:nonNegativeInteger`` to ``xsd:integer``).
Each named graph is serialised on its own, sorted, so output is byte-stable and no file ever
needs the whole dataset in memory.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

__all__ = [
    "RDF_FORMATS",
    "VOCABULARY_PREFIXES",
    "GraphStreamWriter",
    "graph_quads",
    "serialize_piece",
    "write_quads_file",
]

# Vocabulary prefixes for the exports; data IRIs stay in full (their local parts hold "/").
VOCABULARY_PREFIXES = {
    "mig": "https://w3id.org/migkg/ontology#",
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
RDF_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}
# XML 1.0 cannot hold these at all, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PREFIXED = {pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.TRIG}
_HEADER = "".join(
    f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in VOCABULARY_PREFIXES.items()
).encode()


def _ox_term(term: Any) -> Any:
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise ValueError(f"unsupported RDF term {term!r}")


def _triple_key(item: pyoxigraph.Quad | pyoxigraph.Triple) -> tuple[str, str, str]:
    return str(item.subject), str(item.predicate), str(item.object)


def graph_quads(graph: Graph) -> list[pyoxigraph.Quad]:
    """An rdflib graph as pyoxigraph quads in its named graph, sorted by subject and predicate.

    Converting term by term is several times faster than writing N-Quads with rdflib and
    parsing them back.
    """
    name = graph.identifier
    graph_name = (
        pyoxigraph.DefaultGraph()
        if name is None or name == DATASET_DEFAULT_GRAPH_ID
        else _ox_term(name)
    )
    quads = [
        pyoxigraph.Quad(_ox_term(subject), _ox_term(predicate), _ox_term(obj), graph_name)
        for subject, predicate, obj in graph
    ]
    return sorted(quads, key=_triple_key)


def _without_header(data: bytes | None) -> bytes:
    # pyoxigraph writes the prefix lines at the top of every chunk; the file has them once.
    chunk = data or b""
    while chunk.startswith(b"@prefix "):
        chunk = chunk[chunk.index(b"\n") + 1 :]
    return chunk


def serialize_piece(items: list[Any], rdf_format: pyoxigraph.RdfFormat) -> bytes:
    """Quads or triples as one piece of a file in ``rdf_format`` (prefix lines left out)."""
    if not items:
        return b""
    prefixes = VOCABULARY_PREFIXES if rdf_format in _PREFIXED else None
    return _without_header(pyoxigraph.serialize(items, format=rdf_format, prefixes=prefixes))


class GraphStreamWriter:
    """Write named graphs, one call per graph, into one RDF file.

    Dataset formats (N-Quads, TriG) keep the graphs. The other formats get the union of all
    graphs with repeated triples dropped. Only triples about the subjects of ``shared_graph``
    (the canonical entities) can repeat across graphs — every other subject lives in exactly
    one document graph — so only those are held back, de-duplicated and written at the end.
    ``shared_graph`` must be the first graph written. RDF/XML cannot be written in pieces and
    is held whole.
    """

    def __init__(
        self, stream: BinaryIO, output_format: str, shared_graph: pyoxigraph.NamedNode
    ) -> None:
        self._stream = stream
        self._format = RDF_FORMATS[output_format]
        self._shared_graph = shared_graph
        self._shared_subjects: set[Any] = set()
        self._held: set[pyoxigraph.Triple] = set()
        self._whole_file = self._format == pyoxigraph.RdfFormat.RDF_XML
        if self._format in _PREFIXED:
            stream.write(_HEADER)

    def write_graph(self, quads: Iterable[pyoxigraph.Quad]) -> None:
        """Write one graph's quads (all in the same named graph, sorted)."""
        if self._format.supports_datasets:
            self._write(list(quads))
            return
        direct = []
        for quad in quads:
            triple = pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
            if quad.graph_name == self._shared_graph:
                self._shared_subjects.add(quad.subject)
                self._held.add(triple)
            elif self._whole_file:
                self._check_xml(quad.object)
                self._held.add(triple)
            elif quad.subject in self._shared_subjects:
                self._held.add(triple)
            else:
                direct.append(triple)
        self._write(direct)

    def write_piece(self, piece: bytes, held: Iterable[pyoxigraph.Triple] = ()) -> None:
        """Write one graph already serialised for this format (see :func:`serialize_piece`).

        ``held``: the graph's triples about the shared graph's subjects, which a union format
        writes at the end; dataset formats have them in ``piece`` already.
        """
        assert not self._whole_file, "RDF/XML is written whole, not in pieces"
        self._stream.write(piece)
        if not self._format.supports_datasets:
            self._held.update(held)

    @staticmethod
    def _check_xml(term: Any) -> None:
        if isinstance(term, pyoxigraph.Literal) and _NOT_XML.search(term.value):
            raise ValueError(
                f"RDF/XML cannot hold the control character in the literal {term.value[:60]!r}; "
                "export as turtle, nt or jsonld instead"
            )

    def close(self) -> None:
        """Write what was held back (sorted); the stream stays open."""
        self._write(sorted(self._held, key=_triple_key))
        self._held.clear()

    def _write(self, items: list[Any]) -> None:
        if not items:
            return
        if self._whole_file:
            data = pyoxigraph.serialize(items, format=self._format, prefixes=VOCABULARY_PREFIXES)
            self._stream.write(data or b"")
        else:
            self._stream.write(serialize_piece(items, self._format))


def write_quads_file(
    quads: Iterable[pyoxigraph.Quad],
    path: Path,
    output_format: str,
    shared_graph: pyoxigraph.NamedNode,
) -> None:
    """Write quads that arrive grouped by graph (as in a build's ``graph.nq``) to ``path``."""
    with path.open("wb") as stream:
        writer = GraphStreamWriter(stream, output_format, shared_graph)
        for _, graph in itertools.groupby(quads, key=lambda quad: quad.graph_name):
            writer.write_graph(sorted(graph, key=_triple_key))
        writer.close()
