"""The one place IRIs are minted. Every IRI is a pure function of its inputs (deterministic).

>>> str(entity_iri("person/william-lacy-swing"))
'https://w3id.org/migkg/id/person/william-lacy-swing'
>>> str(document_graph("000-bfcac39f6875dec3"))
'https://w3id.org/migkg/id/graph/document/000-bfcac39f6875dec3'
"""

from __future__ import annotations

import hashlib

from rdflib import URIRef

from migkg.ontology.terms import MIGD

__all__ = [
    "ENTITIES_GRAPH",
    "GRAPH_NAMESPACE",
    "document_graph",
    "document_iri",
    "entity_iri",
    "evidence_iri",
    "fact_iri",
]

# Every named graph of a build lives under this namespace (so a push can tell migkg's apart).
GRAPH_NAMESPACE = URIRef(MIGD["graph/"])
ENTITIES_GRAPH = URIRef(MIGD["graph/entities"])


def _digest(*parts: object) -> str:
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:20]


def entity_iri(canonical_id: str) -> URIRef:
    """IRI of a canonical entity (``type/slug``)."""
    return URIRef(MIGD[canonical_id])


def document_iri(doc_id: str) -> URIRef:
    """IRI of a source document."""
    return URIRef(MIGD[f"document/{doc_id}"])


def document_graph(doc_id: str) -> URIRef:
    """Name of the graph that holds one document's facts."""
    return URIRef(f"{GRAPH_NAMESPACE}document/{doc_id}")


def fact_iri(kind: str, *parts: object) -> URIRef:
    """IRI of a relation node (citation, commitment, affiliation, ...), from its content."""
    return URIRef(MIGD[f"{kind}/{_digest(kind, *parts)}"])


def evidence_iri(
    doc_id: str, start: int, end: int, suffix: str = "", *, kind: str = "evidence"
) -> URIRef:
    """IRI of an annotation (``evidence`` or ``mention``) over ``[start, end)``, or of a part."""
    base = f"{kind}/{doc_id}/{start}-{end}"
    return URIRef(MIGD[f"{base}/{suffix}" if suffix else base])
