"""Proposals and recommendations: what a speaker says should be done ("States should ...",
"called for an end to ...", "stressed the need for ..."), kept apart from commitments.

The actor is the sentence's speaker (who is reported), else the named subject of the proposing
clause; a sentence in the report's own voice proposes nothing. The object is the proposing
clause as written. The cue words are data: ``patterns/proposal_cues.jsonl``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from migkg.extract.entities import Candidate
from migkg.extract.gazetteer import load_pattern_file
from migkg.extract.relations.attribution import Attributor
from migkg.extract.relations.common import VERB_POS, EntityIndex, RawRelation

__all__ = ["ProposalCues", "find_proposals", "load_proposal_cues"]

# An object shorter than this many words is a fragment, not something proposed.
_MIN_OBJECT_WORDS = 3
_MAX_OBJECT = 300


@dataclass(frozen=True, slots=True)
class ProposalCues:
    """The word lists of ``proposal_cues.jsonl``, each word with the modality it records."""

    modals: dict[str, str]
    necessities: dict[str, str]
    verbs: dict[str, tuple[frozenset[str], str]]  # lemma -> (the particles it needs, modality)
    nouns: dict[str, str]
    passives: dict[str, str]
    adjectives: dict[str, tuple[bool, str]]  # lemma -> (whether it needs a clause, modality)


@lru_cache(maxsize=1)
def load_proposal_cues() -> ProposalCues:
    """Read ``patterns/proposal_cues.jsonl``."""
    lists: dict[str, dict[str, str]] = {
        kind: {} for kind in ("modal", "necessity", "noun", "passive")
    }
    verbs: dict[str, tuple[frozenset[str], str]] = {}
    adjectives: dict[str, tuple[bool, str]] = {}
    for cue in load_pattern_file("proposal_cues.jsonl"):
        modality = cue["modality"]
        if "verb" in cue:
            verbs[cue["verb"]] = (frozenset(cue.get("with", ())), modality)
        elif "adjective" in cue:
            adjectives[cue["adjective"]] = (bool(cue.get("with_clause")), modality)
        else:
            kind = next(k for k in lists if k in cue)
            lists[kind][cue[kind]] = modality
    return ProposalCues(
        modals=lists["modal"],
        necessities=lists["necessity"],
        verbs=verbs,
        nouns=lists["noun"],
        passives=lists["passive"],
        adjectives=adjectives,
    )


def find_proposals(
    sentence: Span,
    speakers: tuple[Candidate, ...],
    attributor: Attributor,
    index: EntityIndex,
    stated: list[RawRelation],
) -> list[RawRelation]:
    """The proposals of one sentence; ``stated`` holds its commitments (and the proposals
    shaped like them, "could consider committing"), which are not proposed twice."""
    if sentence.text.rstrip().endswith("?"):
        return []
    cues = load_proposal_cues()
    text = attributor.text  # Doc.text joins every token on each access
    taken = [_stated_span(r, text) for r in stated]
    found: list[RawRelation] = []
    for token in sentence:
        cue = _cue(token, cues, attributor.cues.speech_verbs)
        if cue is None:
            continue
        modality, head, start, end = cue
        if _describes(head):
            continue
        # A cue inside what is already proposed ("suggested that IOM should ...") adds nothing.
        if any((s <= start and end <= e) or (start <= s and e <= end) for s, e in taken):
            continue
        # Without a speaker, a named subject proposes for itself ("IOM must ..."); "States
        # should ..." in the report's voice is nobody's proposal.
        actors = speakers or tuple(
            a for a in attributor.named_subject(head) if a.type != "collective"
        )
        if not actors:
            continue
        obj = re.sub(r"\s+", " ", text[start:end]).strip(' ,;:.()"“”')
        if len(obj.split()) < _MIN_OBJECT_WORDS:
            continue
        taken.append((start, end))
        framework = next((c for c in index.within(start, end) if c.type == "framework"), None)
        attributes = (("modality", modality), ("object", obj[:_MAX_OBJECT]))
        for actor in actors:
            found.append(
                RawRelation(
                    "proposal", actor, framework, sentence.start_char, sentence.end_char, attributes
                )
            )
    return found


_WH_TAGS = frozenset({"WRB", "WP", "WDT"})


def _describes(head: Token) -> bool:
    """Whether a proposing clause only describes: a relative clause ("a plan, which should be
    ready by 2018") or an indirect question ("discussed how the compact should address ...")."""
    for token in (head, *head.ancestors):
        if token.dep_ in {"relcl", "acl"}:
            return True
        if token.pos_ in VERB_POS and any(
            c.tag_ in _WH_TAGS and c.i < head.i for c in token.children
        ):
            return True
        if token.dep_ in {"ccomp", "ROOT"}:
            break
    return False


def _stated_span(relation: RawRelation, text: str) -> tuple[int, int]:
    """Where a commitment's object is written in its sentence (the whole sentence if unsure)."""
    obj = dict(relation.attributes).get("object", "")
    sentence = text[relation.evidence_start : relation.evidence_end]
    at = sentence.find(obj[:40]) if obj else -1
    if at < 0:
        return relation.evidence_start, relation.evidence_end
    start = relation.evidence_start + at
    return start, start + len(obj)


def _subtree(token: Token) -> tuple[int, int]:
    last = token.right_edge
    return token.left_edge.idx, last.idx + len(last)


def _after(token: Token, children: list[Token]) -> tuple[int, int] | None:
    """The characters from the first of ``children`` to the end of ``token``'s phrase."""
    if not children:
        return None
    first = min(children, key=lambda c: c.left_edge.i).left_edge
    last = token.right_edge
    return first.idx, last.idx + len(last)


def _has_infinitive(token: Token) -> Token | None:
    """The to-infinitive ``token`` governs ("need to act"), if any."""
    return next(
        (c for c in token.children if c.dep_ == "xcomp" and _has_aux_to(c) is not None), None
    )


def _cue(
    token: Token, cues: ProposalCues, speech_verbs: frozenset[str]
) -> tuple[str, Token, int, int] | None:
    """(modality, proposing clause head, object start, object end) when ``token`` proposes."""
    lemma = token.lemma_.lower()
    if token.dep_ == "aux" and token.lower_ in cues.modals:
        head = token.head
        return cues.modals[token.lower_], head, *_subtree(head)
    if token.pos_ in VERB_POS and lemma in cues.necessities and token.dep_ != "aux":
        if _has_infinitive(token) is not None:
            return cues.necessities[lemma], token, *_subtree(token)
        if lemma == "need" and any(c.dep_ == "dobj" for c in token.children):
            # "Host communities needed more support"
            return cues.necessities[lemma], token, *_subtree(token)
    if token.pos_ == "VERB" and lemma in cues.verbs:
        particles, modality = cues.verbs[lemma]
        if particles:
            preps = [c for c in token.children if c.dep_ == "prep" and c.lower_ in particles]
            if not preps:
                return None
            span = _after(token, [c for c in preps[0].children if c.dep_ == "pobj"])
        else:
            complements = [
                c for c in token.children if c.dep_ in {"ccomp", "xcomp", "dobj"} and c.i > token.i
            ]
            span = _after(token, complements)
        return (modality, token, *span) if span else None
    if token.pos_ == "NOUN" and lemma in cues.nouns:
        complement = next(
            (
                c
                for c in token.children
                if (c.dep_ == "prep" and c.lower_ == "for") or c.dep_ in {"acl", "relcl"}
            ),
            None,
        )
        if complement is None or (complement.dep_ != "prep" and _has_aux_to(complement) is None):
            return None
        head = token.head
        # "stressed the need for more data", "there is a need for better data"; a need merely
        # mentioned ("the need for international protection of refugees") proposes nothing.
        if head.pos_ == "VERB" and token.dep_ == "dobj" and head.lemma_.lower() in speech_verbs:
            return cues.nouns[lemma], head, *_subtree(complement)
        if head.lemma_ == "be" and any(c.dep_ == "expl" for c in head.children):
            return cues.nouns[lemma], head, *_subtree(head)
        return None
    if token.tag_ == "VBN" and lemma in cues.passives:
        if not any(c.dep_ == "auxpass" for c in token.children):
            return None
        return cues.passives[lemma], token, *_subtree(token)
    if token.pos_ == "ADJ" and lemma in cues.adjectives and token.dep_ == "acomp":
        head = token.head
        needs_clause, modality = cues.adjectives[lemma]
        clause = [
            c
            for c in (*token.children, *head.children)
            if c.dep_ in {"xcomp", "ccomp"} and c.i > token.i
        ]
        if needs_clause and not clause:
            return None
        return modality, head, *_subtree(head)
    return None


def _has_aux_to(token: Token) -> Token | None:
    return next((c for c in token.children if c.dep_ == "aux" and c.lower_ == "to"), None)
