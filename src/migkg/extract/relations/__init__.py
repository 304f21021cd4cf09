"""Relations between recognised entities: affiliations, participations, citations,
commitments and proposals.

Each finder works on one parsed document and its entity spans (clean-text offsets) and returns
``RawRelation`` tuples whose evidence is a clean-text span; the pipeline maps it to the original.
The word lists the rules use are data: ``patterns/citation_cues.jsonl``,
``commitment_cues.jsonl``, ``attribution_cues.jsonl`` and ``agenda_cues.jsonl``.
"""

from __future__ import annotations

from spacy.tokens import Doc

from migkg.extract.entities import Candidate
from migkg.extract.relations.affiliations import find_affiliations, find_roles_held_as
from migkg.extract.relations.agendas import find_participations
from migkg.extract.relations.common import EntityIndex, RawRelation
from migkg.extract.relations.references import find_reference_citations
from migkg.extract.relations.statements import find_citations_and_commitments
from migkg.extract.relations.titles import find_title_holders

__all__ = ["RawRelation", "find_relations"]


def find_relations(doc: Doc, candidates: list[Candidate]) -> list[RawRelation]:
    """Every relation the patterns find in ``doc``."""
    index = EntityIndex([c for c in candidates if "nested" not in c.attributes])
    nested = EntityIndex([c for c in candidates if "nested" in c.attributes])
    relations = find_affiliations(doc, index)
    relations += find_roles_held_as(doc, index)
    text = doc.text  # a join over every token: read once
    holders = find_title_holders(relations, text, index)
    relations += find_participations(text, index)
    affiliations = [r for r in relations if r.type == "affiliation"]
    relations += find_citations_and_commitments(doc, index, nested, holders, affiliations)
    relations += find_reference_citations(text, index)
    return relations
