"""Citations and commitments over a whole document: the speaker carried from
sentence to sentence within a paragraph, first-person letters given to their signatories, and
each framework a sentence names given to its speaker or to the actor of an act."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from migkg.extract.entities import Candidate
from migkg.extract.relations.attribution import Attributor, same_entity
from migkg.extract.relations.common import (
    ACTOR_TYPES,
    EntityIndex,
    RawRelation,
    load_cues,
    load_title_words,
)
from migkg.extract.relations.proposals import find_proposals

__all__ = ["find_citations_and_commitments"]

_FIRST_PERSON_WORDS = frozenset({"i", "we", "my", "our"})


_PRONOUN_REACH = 8  # sentences a "he"/"she" may look back, across list items and paragraphs


_SIGNATURE_REACH = 6000


_COSIGNER_GAP = 250


_CLOSING_REACH = 300


_BULLET = re.compile(r"\s*(?:[-•▪*–]|\(?[a-z0-9]{1,2}[.)])(?:\s|$)")


_CONTEXT_SENTENCES = 3


def _previous_speaker(sentences: list[Span], position: int, index: EntityIndex) -> Candidate | None:
    """The last person named one to three sentences earlier (for "he said" attribution)."""
    for previous in reversed(sentences[max(0, position - 3) : position]):
        people = [
            c for c in index.within(previous.start_char, previous.end_char) if c.type == "person"
        ]
        if people:
            return people[0]
    return None


def _signature_blocks(text: str, index: EntityIndex, closings: tuple[str, ...]) -> list[Candidate]:
    """People who sign a letter: a name alone on its line after a closing or before a title."""
    titles = load_title_words()
    lowered = text.lower()
    found = []
    for person in index.items:
        if person.type != "person":
            continue
        line_start = text.rfind("\n", 0, person.start) + 1
        line_end = text.find("\n", person.end)
        if line_end < 0:
            line_end = len(text)
        if text[line_start : person.start].strip(" '\"‘’“”"):
            continue
        if text[person.end : line_end].strip(" ,.'\"’”"):
            continue
        next_word = re.match(r"\s*([\w-]+)", text[line_end + 1 : line_end + 60])
        after_closing = any(
            closing in lowered[max(0, person.start - _CLOSING_REACH) : person.start]
            for closing in closings
        )
        if after_closing or (next_word and next_word.group(1) in titles):
            found.append(person)
    return found


def _signatories(signatures: list[Candidate], position: int) -> tuple[Candidate, ...]:
    """Who signs the letter a first-person sentence belongs to (the next signature block)."""
    for number, person in enumerate(signatures):
        if position < person.start <= position + _SIGNATURE_REACH:
            block = [person]
            for other in signatures[number + 1 :]:
                if other.start - block[-1].end > _COSIGNER_GAP:
                    break
                if all(other.name != p.name for p in block):
                    block.append(other)
            return tuple(block)
    return ()


_LIST_HOLDERS = re.compile(
    r"\b(?i:speakers|states|member states|participants|delegations|countries|governments|"
    r"representatives|panellists|panelists|others)\s*[\[(]"
    # Lower case only: "International Council of Voluntary Agencies (ICVA)" names itself.
    r"|\b(?:members|organizations|organisations|NGOs|agencies)\s*[\[(]",
)


def _bracketed_actors(sentence: Span, index: EntityIndex, text: str) -> list[Candidate]:
    """ "several speakers [Morocco, United Arab Emirates and Sri Lanka] noted", "Members
    representing civil society organizations [including Name from Body, ...] spoke": the listed
    ones."""
    found: list[Candidate] = []
    for match in _LIST_HOLDERS.finditer(text, sentence.start_char, sentence.end_char):
        close = text.find("]" if text[match.end() - 1] == "[" else ")", match.end())
        if close < 0 or close > sentence.end_char:
            continue
        listed = [c for c in index.within(match.end(), close) if c.type in ACTOR_TYPES]
        listed = [c for c in listed if not _body_of_listed_person(c, listed, text)]
        found.extend(c for c in listed if c not in found)
    return found


# How far after a listed person their body may be named ("Name, Regional Coordinator, Body").
_LISTED_BODY_REACH = 80
_NEW_LIST_ITEM = re.compile(r"\b(?:and|representatives?|delegates?|delegations?)\b", re.IGNORECASE)


def _body_of_listed_person(actor: Candidate, listed: list[Candidate], text: str) -> bool:
    """ "[including Robert Vitillo from ICMC, ...]": ICMC is where the listed person comes from,
    not a speaker of its own (unlike "[Name from Mexico, the representative from Kenya]")."""
    if actor.type == "person":
        return False
    before = [c for c in listed if c.type == "person" and c.end <= actor.start]
    if not before or actor.start - before[-1].end > _LISTED_BODY_REACH:
        return False
    between = text[before[-1].end : actor.start]
    return not _NEW_LIST_ITEM.search(between) and not any(
        c.end <= actor.start and c.start >= before[-1].end and c.type != "person"
        for c in listed
        if c is not actor
    )


def _own_bodies(
    body_types: list[str],
    speakers: tuple[Candidate, ...],
    recent: Candidate | None,
    bodies: dict[str, list[Candidate]],
) -> tuple[Candidate, ...]:
    """The bodies "his country" and "her organization" stand for: those of the person
    speaking (or last named) that the document affiliates them with, of the right type."""
    # A delegate speaking ("the representative from Sweden said that his country ...") already
    # stands for the body; only a person, or nobody yet, leaves it to be found.
    person = next((s for s in speakers if s.type == "person"), None if speakers else recent)
    if not body_types or person is None:
        return ()
    found = []
    for body_type in body_types:
        affiliate = next((b for b in bodies.get(person.name, ()) if b.type == body_type), None)
        if affiliate is not None and all(affiliate is not s for s in speakers):
            found.append(affiliate)
    return tuple(found)


def _unique_names(frameworks: list[Candidate]) -> list[Candidate]:
    """One mention per framework name, the first."""
    seen: dict[str, Candidate] = {}
    for framework in frameworks:
        seen.setdefault(framework.name, framework)
    return list(seen.values())


def _pair_key(actor: Candidate, framework: Candidate) -> tuple[str, str, str]:
    return actor.type, actor.name, framework.name


def _starts_paragraph(text: str, previous: Span, sentence: Span) -> bool:
    return "\n" in text[previous.end_char - 1 : sentence.start_char + 1]


def _is_list_item(text: str, sentence: Span, previous: Span) -> bool:
    """A bullet or numbered item, or the text that follows a lone bullet marker."""
    if _BULLET.match(sentence.text):
        return True
    return bool(re.fullmatch(r"\s*[-•▪*–]\s*", previous.text))


# How far back (characters) the owner of "its Constitution" may be named: the paragraph, roughly.
_OWNER_REACH = 2000


def _owner(index: EntityIndex, framework: Candidate) -> Candidate | None:
    """The state an instrument belongs to ("its Constitution"), named before it."""
    iso3 = framework.attributes.get("owner")
    if iso3 is None:
        return None
    # The state may close the instrument's own name ("... Act of Costa Rica") or follow it ("a
    # National Development Strategy ... of the Republic of Moldova").
    around = index.within(max(0, framework.start - _OWNER_REACH), framework.end + _OWNER_REACH)
    owners = [
        c
        for c in around
        if c.type == "state"
        and c.entry is not None
        and dict(c.entry.attributes).get("iso3") == iso3
    ]
    return min(owners, key=lambda c: abs(c.start - framework.start), default=None)


def find_citations_and_commitments(
    doc: Doc,
    index: EntityIndex,
    nested: EntityIndex,
    holders: dict[str, list[Candidate]],
    affiliations: list[RawRelation],
) -> list[RawRelation]:
    """Citations and commitments, sentence by sentence, with the paragraph's speaker carried
    over; ``holders`` resolves bare titles, ``affiliations`` tells which bodies people serve."""
    cues = load_cues()
    attributor = Attributor(doc, index, nested, cues, holders)
    bodies: dict[str, list[Candidate]] = {}  # person -> affiliates, in text order
    for relation in affiliations:
        if relation.object is not None:
            attributor.served_bodies.setdefault(relation.subject.name, set()).add(
                relation.object.name
            )
            bodies.setdefault(relation.subject.name, []).append(relation.object)
    relations: list[RawRelation] = []
    text = doc.text
    sentences = list(doc.sents)
    speaker: tuple[Candidate, ...] = ()  # who the current paragraph reports
    list_open = False  # the speaker's sentence ended with ":" and list items follow
    quote_open = False  # the sentence before reported speech and ended with ":"
    # Persons named as speakers, by sentence number; None where a singular unnamed title holder
    # ("The Deputy Secretary-General advocated ...") took the floor, so that a following "she"
    # is not given to an earlier speaker.
    people: list[tuple[int, Candidate | None]] = []
    signatures = _signature_blocks(text, index, cues.closings)
    echoed: list[Candidate] = []  # the frameworks of the sentence before, in its paragraph
    for position, sentence in enumerate(sentences):
        previous = sentences[position - 1] if position else None
        if (
            previous is not None
            and _starts_paragraph(text, previous, sentence)
            # a list of items, or a quotation set off as its own paragraph after a reporting
            # sentence: "The NGO Committee sounded the same theme, citing ...:⏎⏎We need not ..."
            and not (list_open and _is_list_item(text, sentence, previous))
            and not quote_open
        ):
            speaker = ()  # attribution does not cross a paragraph
            list_open = False
            echoed = []
        entities = index.within(sentence.start_char, sentence.end_char)
        attributor.context_start = sentences[max(0, position - _CONTEXT_SENTENCES)].start_char
        quote_open = False
        subject, reporting = attributor.clause(sentence)
        latest = next(((n, p) for n, p in reversed(people) if position - n <= _PRONOUN_REACH), None)
        recent = latest[1] if latest else None
        speakers: tuple[Candidate, ...]
        if subject.kind == "named" and (
            reporting or subject.delegated or any(a.type == "person" for a in subject.actors)
        ):
            speakers = speaker = subject.actors
        elif subject.kind == "pronoun":
            if not speaker:
                fallback = recent if latest else _previous_speaker(sentences, position, index)
                speaker = (fallback,) if fallback is not None else ()
            speakers = speaker
        elif subject.kind == "first_person" or (
            subject.kind == "none"
            and any(
                t.lower_ in _FIRST_PERSON_WORDS and t.dep_ in {"nsubj", "nsubjpass", "poss"}
                for t in sentence
            )
        ):
            speakers = _signatories(signatures, sentence.start_char) or speaker
        elif subject.kind == "anonymous" and attributor.takes_floor(
            attributor.subject_token, reporting
        ):
            speakers = speaker = attributor.singled_out(sentence)
        elif subject.kind == "framework" and reporting:
            speakers = ()  # "As the New York Declaration underscores, ...": the report's voice
        elif subject.kind == "named" and any(
            same_entity(a, s) for a in subject.actors for s in speaker
        ):
            # "WHO ... welcomes X. WHO is setting up a unit and will present a plan": what the
            # speaker is said to do is an act (see ``acts``), not something it said.
            speakers = ()
        elif (
            subject.kind == "named"
            and speaker
            and not reporting
            and all(s.type != "person" for s in speaker)
        ):
            # "Member States called on IOM to ... . In line with this call (Art. 1 of the IOM
            # Constitution), IOM dedicated the IDM to ...": a body that acts in its own
            # sentence is who refers to what the sentence names, not the body before it. (A
            # person's remarks go on: "Ms Arbour noted ... The network will ground its work in
            # the Charter ..." is still hers.)
            speakers = subject.actors
        else:
            speakers = speaker
        speakers += _own_bodies(attributor.own_bodies_in(sentence), speakers, recent, bodies)
        listed = _bracketed_actors(sentence, index, text)
        if listed:
            speakers = speaker = tuple(listed)
        for actor in speakers:
            if actor.type == "person":
                people.append((position, actor))
        head = attributor.subject_token
        if subject.kind == "anonymous" and head is not None and head.tag_ in {"NN", "NNP"}:
            people.append((position, None))
        if sentence.text.rstrip().endswith(":") and speaker:
            list_open = True
            quote_open = reporting
        frameworks = [c for c in entities if c.type == "framework"]
        if previous is not None and not frameworks and attributor.echoes(sentence):
            # "Government representatives from Canada and Chile echoed this."
            for actor in speakers:
                for framework in _unique_names(echoed):
                    relations.append(
                        RawRelation(
                            "citation",
                            actor,
                            framework,
                            previous.start_char,
                            sentence.end_char,
                            (("citation_type", "cites"),),
                        )
                    )
        echoed = frameworks
        # A commitment may name its actor by description only ("the Government's commitment").
        stated = attributor.commitments(sentence, frameworks, recent)
        relations += stated
        relations += find_proposals(sentence, speakers, attributor, index, stated)
        if not entities:
            continue
        evidence = (sentence.start_char, sentence.end_char)
        found: dict[tuple[str, str, str], tuple[Candidate, Candidate, str]] = {}
        segments = attributor.parenthetical(sentence)
        seen_names: set[str] = set()
        for framework in frameworks:
            if framework.name in seen_names:
                continue
            seen_names.add(framework.name)
            owners = next((a for s, e, a in segments if s <= framework.start < e), None)
            in_title = attributor.in_subject_title(framework)
            actors = owners if owners is not None else () if in_title else speakers
            for actor in actors:
                cue_type = attributor.speaker_type(framework, actors)
                found.setdefault(_pair_key(actor, framework), (actor, framework, cue_type))
        for actor, framework, cue_type in attributor.acts(sentence, recent):
            # An act's own type is more specific than a speaker's reference.
            found[_pair_key(actor, framework)] = (actor, framework, cue_type)
        for framework in frameworks:
            owner = _owner(index, framework)
            if owner is not None:  # "Ecuador ... in its Constitution": the state's own law
                found[_pair_key(owner, framework)] = (owner, framework, "adopts")
        if segments:
            speaker = ()
        for actor, framework, cue_type in found.values():
            relations.append(
                RawRelation("citation", actor, framework, *evidence, (("citation_type", cue_type),))
            )
    return relations
