"""Records → RDF. One named graph per document for its facts; one graph for canonical entities.

Provenance is W3C Web Annotation: each fact has ``mig:evidence`` annotations whose target is
the document with a ``oa:TextPositionSelector`` (offsets in the original text) and a
``oa:TextQuoteSelector`` (the exact quoted characters).
"""

from __future__ import annotations

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from migkg.extract.records import DocRecords, Evidence
from migkg.extract.resolve import CanonicalEntity, Resolution
from migkg.graph.iri import (
    ENTITIES_GRAPH,
    document_graph,
    document_iri,
    entity_iri,
    evidence_iri,
    fact_iri,
)
from migkg.ontology.terms import (
    CITATION_TYPES,
    FRAMEWORK_KINDS,
    MEETING_KINDS,
    MIG,
    MIGD,
    OA,
    ORGANIZATION_KINDS,
    SCHEMA,
)

__all__ = [
    "PREFIXES",
    "document_facts_graph",
    "entities_graph",
    "kind_slug",
]

PREFIXES = {
    "mig": str(MIG),
    "migd": str(MIGD),
    "oa": str(OA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": str(XSD),
}

# The extractor's organization kinds are the gazetteer's short slugs; the ontology's are longer.
_ORGANIZATION_SLUGS = {
    "intergovernmental": "intergovernmental_organization",
    "civil_society": "civil_society_organization",
    "academic": "academic_institution",
    "private_sector": "private_sector_organization",
}
_FACT_CLASSES = {
    "citation": MIG.Citation,
    "commitment": MIG.Commitment,
    "proposal": MIG.Proposal,
    "affiliation": MIG.Affiliation,
    "participation": MIG.Participation,
}


def kind_slug(entity_type: str, kind: str | None) -> str:
    """The ontology's ``mig:kind`` slug for an extractor kind.

    >>> kind_slug("organization", "civil_society")
    'civil_society_organization'
    >>> kind_slug("framework", "framework")
    'other_framework'
    """
    kind = kind or ""
    if entity_type == "organization":
        slug = _ORGANIZATION_SLUGS.get(kind, kind)
        return slug if slug in ORGANIZATION_KINDS else "other_organization"
    return kind if kind in FRAMEWORK_KINDS else "other_framework"


def _types(entity: CanonicalEntity) -> list[URIRef]:
    if entity.type == "person":
        return [MIG.Person]
    if entity.type == "state":
        return [MIG.State]
    if entity.type == "collective":
        return [MIG.Collective]
    if entity.type == "meeting":
        return [MIG.Meeting, MEETING_KINDS.get(entity.kind or "", MIG.Session)]
    if entity.type == "organization":
        return [MIG.Organization, ORGANIZATION_KINDS[kind_slug("organization", entity.kind)]]
    return [MIG.Framework, FRAMEWORK_KINDS[kind_slug("framework", entity.kind)]]


def _describe_entity(graph: Graph, entity: CanonicalEntity, known: set[str]) -> None:
    subject = entity_iri(entity.id)
    for rdf_type in _types(entity):
        graph.add((subject, RDF.type, rdf_type))
    graph.add((subject, SKOS.prefLabel, Literal(entity.name, lang="en")))
    graph.add((subject, RDFS.label, Literal(entity.name, lang="en")))
    for alias in sorted(entity.aliases):
        graph.add((subject, SKOS.altLabel, Literal(alias, lang="en")))
    if entity.type in {"organization", "framework"}:
        graph.add((subject, MIG.kind, Literal(kind_slug(entity.type, entity.kind))))
    elif entity.type == "meeting" and entity.kind in MEETING_KINDS:
        graph.add((subject, MIG.kind, Literal(entity.kind)))
    attributes = entity.attributes
    for name, predicate in (
        ("iso2", MIG.iso2),
        ("iso3", MIG.iso3),
        ("m49", MIG.m49),
        ("symbol", MIG.documentSymbol),
        ("acronym", MIG.acronym),
    ):
        if name in attributes:
            graph.add((subject, predicate, Literal(attributes[name])))
    if "year" in attributes and attributes["year"].isdigit():
        graph.add((subject, MIG.year, Literal(int(attributes["year"]))))
    parent = attributes.get("parent")
    if parent and f"organization/{parent}" in known:
        graph.add((subject, MIG.partOf, entity_iri(f"organization/{parent}")))
    country = attributes.get("country")
    if entity.type == "organization" and country and f"state/{country.lower()}" in known:
        graph.add((subject, MIG.governmentOf, entity_iri(f"state/{country.lower()}")))


def _add_evidence(
    graph: Graph,
    doc: DocRecords,
    fact: URIRef,
    evidence: Evidence,
    annotation_class: URIRef = MIG.Evidence,
) -> URIRef:
    kind = "mention" if annotation_class == MIG.Mention else "evidence"
    annotation = evidence_iri(doc.doc_id, evidence.start, evidence.end, kind=kind)
    target = evidence_iri(doc.doc_id, evidence.start, evidence.end, "target", kind=kind)
    position = evidence_iri(doc.doc_id, evidence.start, evidence.end, "position", kind=kind)
    quote = evidence_iri(doc.doc_id, evidence.start, evidence.end, "quote", kind=kind)
    source = document_iri(doc.doc_id)
    graph.add((fact, MIG.evidence, annotation))
    graph.add((annotation, OA.hasBody, fact))
    graph.add((annotation, RDF.type, annotation_class))
    graph.add((annotation, RDF.type, OA.Annotation))
    graph.add((annotation, OA.hasTarget, target))
    graph.add((annotation, PROV.wasDerivedFrom, source))
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, source))
    graph.add((target, OA.hasSelector, position))
    graph.add((target, OA.hasSelector, quote))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    graph.add((position, OA.start, Literal(evidence.start, datatype=XSD.nonNegativeInteger)))
    graph.add((position, OA.end, Literal(evidence.end, datatype=XSD.nonNegativeInteger)))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(evidence.quote)))
    return annotation


def _describe_document(graph: Graph, doc: DocRecords, pipeline_version: str) -> URIRef:
    subject = document_iri(doc.doc_id)
    graph.add((subject, RDF.type, MIG.Document))
    graph.add((subject, RDFS.label, Literal(doc.doc_id)))
    graph.add((subject, MIG.sourcePath, Literal(doc.source_path)))
    graph.add((subject, MIG.contentHash, Literal(doc.content_hash)))
    graph.add((subject, DCTERMS.format, Literal(doc.media_type)))
    graph.add(
        (subject, MIG.characterCount, Literal(doc.char_count, datatype=XSD.nonNegativeInteger))
    )
    graph.add((subject, MIG.pipelineVersion, Literal(pipeline_version)))
    return subject


def _add_document_facts(
    graph: Graph, doc: DocRecords, resolution: Resolution, pipeline_version: str
) -> None:
    document = _describe_document(graph, doc, pipeline_version)
    canonical = resolution.local_to_canonical
    for entity in doc.entities:
        graph.add((document, MIG.mentions, entity_iri(canonical[(doc.doc_id, entity.key)])))
    entity_types = {entity.key: entity.type for entity in doc.entities}
    for mention in doc.mentions:
        target = entity_iri(canonical[(doc.doc_id, mention.entity)])
        annotation = _add_evidence(
            graph, doc, target, Evidence(mention.start, mention.end, mention.text), MIG.Mention
        )
        graph.add((annotation, MIG.mentionText, Literal(mention.text)))
        graph.add((annotation, MIG.entityType, Literal(entity_types[mention.entity])))
    for relation in doc.relations:
        subject = entity_iri(canonical[(doc.doc_id, relation.subject)])
        obj = entity_iri(canonical[(doc.doc_id, relation.object)]) if relation.object else None
        attributes = dict(relation.attributes)
        fact = fact_iri(
            relation.type,
            doc.doc_id,
            relation.evidence.start,
            relation.evidence.end,
            subject,
            obj or "",
            attributes.get("object", ""),
        )
        graph.add((fact, RDF.type, _FACT_CLASSES[relation.type]))
        graph.add((fact, MIG.inDocument, document))
        if relation.type == "affiliation" and obj is not None:
            graph.add((fact, MIG.hasPerson, subject))
            graph.add((fact, MIG.hasOrganization, obj))
            graph.add((subject, MIG.affiliatedWith, obj))
            if attributes.get("role"):
                graph.add((fact, MIG.roleTitle, Literal(attributes["role"])))
        elif relation.type == "participation" and obj is not None:
            graph.add((fact, MIG.hasPerson, subject))
            graph.add((fact, MIG.hasMeeting, obj))
            graph.add((subject, MIG.participatesIn, obj))
            if attributes.get("role"):
                graph.add((fact, MIG.roleTitle, Literal(attributes["role"])))
        elif relation.type == "citation" and obj is not None:
            citation_type = attributes.get("citation_type", "cites")
            graph.add((fact, MIG.hasActor, subject))
            graph.add((fact, MIG.hasFramework, obj))
            graph.add((fact, MIG.citationType, Literal(citation_type)))
            graph.add((subject, CITATION_TYPES.get(citation_type, MIG.cites), obj))
            graph.add((subject, MIG.cites, obj))
        else:
            graph.add((fact, MIG.hasActor, subject))
            graph.add((fact, MIG.modality, Literal(attributes.get("modality", ""))))
            graph.add((fact, MIG.objectText, Literal(attributes.get("object", ""))))
            if obj is not None:
                graph.add((fact, MIG.hasFramework, obj))
            link = MIG.commitsTo if relation.type == "commitment" else MIG.proposes
            graph.add((subject, link, fact))
        _add_evidence(graph, doc, fact, relation.evidence)


def entities_graph(resolution: Resolution) -> Graph:
    """The canonical entities of the whole corpus, in their own named graph."""
    graph = Graph(identifier=ENTITIES_GRAPH)
    known = set(resolution.entities)
    for canonical_id in sorted(resolution.entities):
        _describe_entity(graph, resolution.entities[canonical_id], known)
    return graph


def document_facts_graph(
    doc: DocRecords, resolution: Resolution, *, pipeline_version: str
) -> Graph:
    """One document's facts, mentions and evidence, in the document's named graph."""
    graph = Graph(identifier=document_graph(doc.doc_id))
    _add_document_facts(graph, doc, resolution, pipeline_version)
    return graph
