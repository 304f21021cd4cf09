"""The terms of the migkg ontology (``migkg.ttl``) as rdflib names.

``MIG`` is a closed namespace: every class and property declared under
``https://w3id.org/migkg/ontology#`` is an attribute, and any other name raises
``AttributeError``. ``MIGD`` is the namespace of data IRIs; ``OA`` (W3C Web Annotation) and
``SCHEMA`` (schema.org, https) are not shipped by rdflib in the form used here.

The slug tables map the values of ``mig:kind`` and ``mig:citationType`` to the classes and
properties whose ``mig:kindSlug`` annotation carries them; the SHACL shapes (``shapes.ttl``)
accept exactly these values.
"""

from __future__ import annotations

from typing import Final

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = [
    "CITATION_TYPES",
    "COMMITMENT_MODALITIES",
    "FRAMEWORK_KINDS",
    "KIND_CLASSES",
    "MEETING_KINDS",
    "MIG",
    "MIGD",
    "OA",
    "ONTOLOGY_IRI",
    "ORGANIZATION_KINDS",
    "PROPOSAL_MODALITIES",
    "SCHEMA",
]


class MIG(DefinedNamespace):
    """The migkg ontology namespace, ``https://w3id.org/migkg/ontology#``."""

    _fail = True
    _NS = Namespace("https://w3id.org/migkg/ontology#")

    # Classes: actors
    Actor: URIRef  # Anything that can cite a framework, make a commitment or a proposal.
    Person: URIRef  # A named human being.
    Organization: URIRef  # A named organization (never a state).
    IntergovernmentalOrganization: URIRef  # An organization whose members are states.
    UNEntity: URIRef  # An organ, body, agency, fund, programme or office of the UN system.
    GovernmentBody: URIRef  # A ministry, department or agency of one state's government.
    CivilSocietyOrganization: URIRef  # A non-governmental, non-profit organization.
    AcademicInstitution: URIRef  # A university, research institute or think tank.
    PrivateSectorOrganization: URIRef  # A company, employers' organization or business network.
    Forum: URIRef  # A recurring state-led forum or process that meets (GFMD, Puebla Process).
    OtherOrganization: URIRef  # An organization of another or unknown type.
    State: URIRef  # A sovereign or observer state; an actor, not an organization.
    Collective: URIRef  # A named collective such as "Member States".

    # Classes: frameworks
    Framework: URIRef  # A normative or policy instrument that actors cite or commit under.
    Declaration: URIRef  # A political declaration.
    Convention: URIRef  # A binding international treaty.
    Protocol: URIRef  # A protocol to a treaty.
    Agenda: URIRef  # A programme of action, e.g. the 2030 Agenda.
    Compact: URIRef  # A global compact, e.g. the GCM.
    Resolution: URIRef  # A resolution of a UN organ.
    Initiative: URIRef  # A named multi-stakeholder initiative.
    Guidelines: URIRef  # A set of principles or guidelines.
    Goal: URIRef  # A goal or objective, e.g. SDG 10.
    Target: URIRef  # A target of a goal, e.g. SDG target 10.7.
    Report: URIRef  # A named report cited as a reference.
    OtherFramework: URIRef  # A framework of another or unknown type.

    # Classes: reified facts
    Commitment: URIRef  # An actor binds itself to do something.
    Proposal: URIRef  # A recommendation or proposal; never a commitment.
    Citation: URIRef  # An actor cites a framework.
    Affiliation: URIRef  # A person holds a role in an organization or state.
    Participation: URIRef  # A person takes part in a meeting in a role.

    # Classes: documents, meetings, provenance
    Document: URIRef  # A source document given to the pipeline.
    Meeting: URIRef  # A dated gathering.
    Workshop: URIRef  # A workshop.
    Session: URIRef  # A panel or session of a meeting.
    Evidence: URIRef  # A Web Annotation recording where a fact was found.
    Mention: URIRef  # One occurrence of an entity in a document (a kind of Evidence).

    # Object properties
    affiliatedWith: URIRef  # Person -> Organization or State (shortcut of an Affiliation).
    cites: URIRef  # Actor -> Framework; sub-property of dcterms:references.
    adopts: URIRef  # Actor -> Framework; sub-property of mig:cites.
    endorses: URIRef  # Actor -> Framework; sub-property of mig:cites.
    callsForImplementationOf: URIRef  # Actor -> Framework; sub-property of mig:cites.
    welcomes: URIRef  # Actor -> Framework; sub-property of mig:cites.
    commitsTo: URIRef  # Actor -> Commitment.
    proposes: URIRef  # Actor -> Proposal.
    mentions: URIRef  # Document -> any entity it mentions.
    participatesIn: URIRef  # Person -> Meeting (shortcut of a Participation).
    partOf: URIRef  # Organization -> Organization.
    partOfMeeting: URIRef  # Meeting -> Meeting.
    hasActor: URIRef  # Fact -> Actor (functional).
    hasFramework: URIRef  # Citation, Commitment or Proposal -> Framework.
    hasPerson: URIRef  # Affiliation or Participation -> Person.
    hasOrganization: URIRef  # Affiliation -> Organization or State.
    hasMeeting: URIRef  # Participation -> Meeting.
    inDocument: URIRef  # Fact or entity -> Document.
    governmentOf: URIRef  # GovernmentBody -> State.
    evidence: URIRef  # Fact or entity -> Evidence; inverse of oa:hasBody.

    # Datatype properties
    kind: URIRef  # Machine slug of the most specific class, e.g. "un_entity".
    iso2: URIRef  # ISO 3166-1 alpha-2 code of a state.
    iso3: URIRef  # ISO 3166-1 alpha-3 code of a state.
    m49: URIRef  # UN M49 numeric code of a state, zero-padded string.
    acronym: URIRef  # Acronym of an organization or framework.
    year: URIRef  # Year of adoption or publication (xsd:integer).
    documentSymbol: URIRef  # UN document symbol, e.g. "A/RES/73/195".
    roleTitle: URIRef  # Role or title in an Affiliation or Participation.
    modality: URIRef  # commit|pledge|undertake|decide|will|propose|recommend.
    objectText: URIRef  # What is committed to or proposed.
    citationType: URIRef  # cites|adopts|endorses|calls_for_implementation|welcomes.
    sourcePath: URIRef  # Path of the input file as given by the user.
    contentHash: URIRef  # SHA-256 of the document bytes, 64 lowercase hex digits.
    characterCount: URIRef  # Number of characters of the document text.
    pipelineVersion: URIRef  # Version of the pipeline that processed the document.
    venue: URIRef  # Where a meeting took place.
    mentionText: URIRef  # Surface text of a mention.
    entityType: URIRef  # Entity recognizer label of a mention.

    # Annotation properties
    startDate: URIRef  # First day of a meeting (xsd:date).
    endDate: URIRef  # Last day of a meeting (xsd:date).
    kindSlug: URIRef  # The mig:kind / mig:citationType slug that stands for a class/property.


MIGD: Final = Namespace("https://w3id.org/migkg/id/")
"""Namespace of data IRIs (entities, facts, documents, evidence)."""

OA: Final = Namespace("http://www.w3.org/ns/oa#")
"""W3C Web Annotation vocabulary."""

SCHEMA: Final = Namespace("https://schema.org/")
"""schema.org, with the https scheme."""

ONTOLOGY_IRI: Final = URIRef("https://w3id.org/migkg/ontology")
"""IRI of the ontology itself (its owl:Ontology node)."""

ORGANIZATION_KINDS: Final[dict[str, URIRef]] = {
    "intergovernmental_organization": MIG.IntergovernmentalOrganization,
    "un_entity": MIG.UNEntity,
    "government_body": MIG.GovernmentBody,
    "civil_society_organization": MIG.CivilSocietyOrganization,
    "academic_institution": MIG.AcademicInstitution,
    "private_sector_organization": MIG.PrivateSectorOrganization,
    "forum": MIG.Forum,
    "other_organization": MIG.OtherOrganization,
}
"""``mig:kind`` slug of an organization -> its most specific class (under mig:Organization)."""

FRAMEWORK_KINDS: Final[dict[str, URIRef]] = {
    "declaration": MIG.Declaration,
    "convention": MIG.Convention,
    "protocol": MIG.Protocol,
    "agenda": MIG.Agenda,
    "compact": MIG.Compact,
    "resolution": MIG.Resolution,
    "initiative": MIG.Initiative,
    "guidelines": MIG.Guidelines,
    "goal": MIG.Goal,
    "target": MIG.Target,
    "report": MIG.Report,
    "other_framework": MIG.OtherFramework,
}
"""``mig:kind`` slug of a framework -> its most specific class (under mig:Framework)."""

MEETING_KINDS: Final[dict[str, URIRef]] = {
    "meeting": MIG.Meeting,
    "workshop": MIG.Workshop,
    "session": MIG.Session,
}
"""``mig:kind`` slug of a meeting -> its class."""

KIND_CLASSES: Final[dict[str, URIRef]] = {
    "person": MIG.Person,
    "state": MIG.State,
    "collective": MIG.Collective,
    **ORGANIZATION_KINDS,
    **FRAMEWORK_KINDS,
    **MEETING_KINDS,
}
"""Every ``mig:kind`` slug -> the class whose ``mig:kindSlug`` it is."""

CITATION_TYPES: Final[dict[str, URIRef]] = {
    "cites": MIG.cites,
    "adopts": MIG.adopts,
    "endorses": MIG.endorses,
    "calls_for_implementation": MIG.callsForImplementationOf,
    "welcomes": MIG.welcomes,
}
"""``mig:citationType`` slug -> the matching shortcut property (mig:cites or a sub-property)."""

COMMITMENT_MODALITIES: Final[tuple[str, ...]] = ("commit", "pledge", "undertake", "decide", "will")
"""``mig:modality`` values allowed on a mig:Commitment."""

PROPOSAL_MODALITIES: Final[tuple[str, ...]] = (
    "propose",
    "recommend",
    "should",
    "must",
    "need",
    "call",
    "urge",
    "suggest",
    "important",
)
"""``mig:modality`` values proper to a mig:Proposal (shapes also accept commitment modalities)."""
