"""Affiliations and roles: "Name, Title, Organization, Country", "Name (Title,
Organization)", "Title of Body, Name", "Name of Body" and "as Chairperson of ..."."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from migkg.extract.entities import Candidate
from migkg.extract.relations.common import (
    AFFILIATE_TYPES,
    MAX_CHAIN,
    ROLE_GLUE,
    VERB_POS,
    YEAR,
    EntityIndex,
    RawRelation,
    clean_role,
    end_of_line,
    load_cues,
    load_title_words,
)

__all__ = ["find_affiliations", "find_roles_held_as"]


def find_affiliations(doc: Doc, index: EntityIndex) -> list[RawRelation]:
    """Each person's affiliations from what follows the name (a chain, a parenthesis, "of
    Body") or, failing that, from a title and body written before it."""
    text = doc.text
    titles = load_title_words()
    relations: list[RawRelation] = []
    for person in (c for c in index.items if c.type == "person"):
        after = person.end
        rest = text[after : after + MAX_CHAIN]
        stripped = rest.lstrip(" ")
        gap = len(rest) - len(stripped)
        segment_start = after + gap
        affiliates: list[Candidate] = []
        role = ""
        if stripped.startswith("("):
            close = _closing_parenthesis(stripped)
            if close > 0:
                inner_start, inner_end = segment_start + 1, segment_start + close
                inner = text[inner_start:inner_end]
                if not YEAR.search(inner):  # "(Migration Policy Institute, 2011)" is a citation
                    affiliates = [
                        c for c in index.within(inner_start, inner_end) if c.type in AFFILIATE_TYPES
                    ]
                    if affiliates:
                        role = clean_role(text[inner_start : affiliates[0].start])
                    evidence_end = inner_end + 1
        elif stripped.startswith((",", "\n")):
            first_word = re.match(r"[,\n]\s*([\w.-]+)", stripped)
            limit = index.next_person_start(segment_start + 1, segment_start + len(stripped))
            limit = min(limit, _chain_end(text, segment_start + 1, limit), _governor(doc, person))
            affiliates = [
                c for c in index.within(segment_start, limit) if c.type in AFFILIATE_TYPES
            ]
            starts_well = first_word is not None and (
                (affiliates and affiliates[0].start <= segment_start + 2 + len(first_word.group(1)))
                or (
                    bool(affiliates)
                    and _looks_like_role(text[segment_start + 1 : affiliates[0].start], titles)
                )
            )
            if not starts_well:
                affiliates = []
            elif affiliates:
                role = clean_role(text[segment_start + 1 : affiliates[0].start])
            evidence_end = limit
        elif stripped.startswith(("of ", "from ")):
            # "Ms Magarin of El Salvador", "Mr Packer of ICVA", "Ms Swaminathan of WHO"
            skip = re.match(r"(?:of|from)\s+(?:the\s+)?", stripped)
            offset = segment_start + (skip.end() if skip else 3)
            following = index.covering(offset, offset + 1)
            if (
                following is not None
                and following.type in AFFILIATE_TYPES
                and following.start == offset
            ):
                affiliates = [following]
                evidence_end = following.end
        affiliates = _without_accreditation(text, person, affiliates)
        affiliates = _without_location(affiliates)
        if not affiliates:
            affiliates, role, evidence_start = _title_first(text, index, person, titles)
            evidence_end = person.end
        else:
            evidence_start = person.start
        for affiliate in affiliates:
            attributes = (("role", role),) if role and len(role) < 160 else ()
            relations.append(
                RawRelation(
                    "affiliation",
                    person,
                    affiliate,
                    evidence_start,
                    max(evidence_end, affiliate.end),
                    attributes,
                )
            )
    return relations


_ACCREDITED = re.compile(r"\b(?:to|in)\s+(?:the\s+)?$")


def _governor(doc: Doc, person: Candidate) -> int:
    """Where the verb a name is the subject of starts, if after the name (else no limit).

    "Name, President of the Network, a panellist in the session, drew on his experience at
    UNDP": the appositive chain ends at "drew".
    """
    # Doc.text joins every token on each access; the end of the last token is the same length.
    text_length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    span = doc.char_span(person.start, person.end, alignment_mode="expand")
    if span is None:
        return text_length
    token = span.root
    while token.head.i != token.i and token.pos_ not in VERB_POS:
        token = token.head
    if token.pos_ in VERB_POS and token.idx > person.end:
        return token.idx
    return text_length


def _looks_like_role(text: str, titles: frozenset[str]) -> bool:
    """Whether the text between a name and an organization reads as a role title.

    "Managing Director", "Attorney at Law", "Acting Senior Director for Development, Policy and
    External Affairs" and "head of" do; "who met with" or "and his colleagues from" do not.
    """
    words = re.findall(r"[\w'’-]+", text)
    lowered_titles = {t.lower() for t in titles}
    # "Amina J. Mohammed, the Deputy Secretary-General of the United Nations"
    if len(words) > 1 and words[0].lower() == "the" and words[1].lower() in lowered_titles:
        words = words[1:]
    if not words or len(words) > 14:
        return False
    cues = load_cues()
    first = words[0]
    if first.lower() in cues.not_role_starts:
        return False  # an addressee line: "All Permanent Representatives and ..."
    if first.lower() in lowered_titles or first.lower() in cues.role_modifiers:
        return True
    if not first[0].isupper():
        return False
    content = [w for w in words if w.lower() not in ROLE_GLUE]
    return bool(content) and all(w[0].isupper() for w in content)


def _without_accreditation(
    text: str, person: Candidate, affiliates: list[Candidate]
) -> list[Candidate]:
    """Drop the body a representative is accredited to, not employed by.

    In "Permanent Representative of Sri Lanka to the United Nations" or "Permanent Observer of
    the African Union to the United Nations" the person works for the first named entity.
    """
    kept: list[Candidate] = []
    for affiliate in affiliates:
        previous_end = kept[-1].end if kept else affiliate.start
        title_words = set(re.findall(r"[a-z]+", text[person.end : affiliate.start].lower()))
        if (
            kept
            and _ACCREDITED.search(text[previous_end : affiliate.start])
            and title_words & load_cues().accredited_titles
        ):
            continue
        kept.append(affiliate)
    return kept


_NON_STATE_KINDS = frozenset({"civil_society", "academic", "private_sector"})


def _without_location(affiliates: list[Candidate]) -> list[Candidate]:
    """Drop a country that only locates a non-governmental body.

    "Director, Himilo Relief and Development Association (HIRDA), Netherlands" and "Head,
    Migrant Care Indonesia": the person works for the association, not for the state.
    """
    kept: list[Candidate] = []
    for affiliate in affiliates:
        if (
            affiliate.type == "state"
            and any(a.type == "organization" and a.kind in _NON_STATE_KINDS for a in kept)
            and not any(a.type == "organization" and a.kind == "government_body" for a in kept)
        ):
            continue
        kept.append(affiliate)
    return kept


def _closing_parenthesis(text: str) -> int:
    """The index of the ")" that closes the "(" at the start of ``text`` (nesting allowed)."""
    depth = 0
    for position, character in enumerate(text):
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
            if depth == 0:
                return position
        elif character == "\n" and position > 0 and text[position - 1] == "\n":
            break
    return -1


_AS_ROLE = re.compile(
    r"\bas\s+(?:the\s+)?((?:[A-Z][\w'’-]*\s+|(?:of|for|and|on)\s+){1,6}?)(?:of|at)\s+(?:the\s+)?$"
)


def find_roles_held_as(doc: Doc, index: EntityIndex) -> list[RawRelation]:
    """ "Name ... described his experiences as Chairperson of the Regional Conference"."""
    text = doc.text
    titles = {t.lower() for t in load_title_words()}
    relations = []
    for affiliate in index.items:
        if affiliate.type not in AFFILIATE_TYPES:
            continue
        window_start = max(0, affiliate.start - 120)
        match = _AS_ROLE.search(text, window_start, affiliate.start)
        if match is None or match.group(1).split()[0].lower() not in titles:
            continue
        sentence = doc.char_span(affiliate.start, affiliate.end, alignment_mode="expand")
        if sentence is None:
            continue
        start = sentence.sent.start_char
        people = [c for c in index.within(start, match.start()) if c.type == "person"]
        if not people:
            continue
        role = clean_role(match.group(1))
        relations.append(
            RawRelation(
                "affiliation",
                people[-1],
                affiliate,
                people[-1].start,
                affiliate.end,
                (("role", role),),
            )
        )
    return relations


_CHAIN_STOP = re.compile(
    r"\s(?:[a-z]{3,}ed|said|says|noted|argued|stressed|explained|spoke|"
    r"who|which|that|and the|in her|in his|as well)\b|[.;:](?:\s|$)"
)


def _chain_end(text: str, start: int, limit: int) -> int:
    """Where an appositive "Name, Title, Organization, Country" chain stops."""
    line_end = end_of_line(text, start + 1)
    # A signature block continues on the next lines; running text ends at the line.
    stop = _CHAIN_STOP.search(text, start, limit)
    end = stop.start() if stop else limit
    if text[start : start + 1] != "\n":
        end = min(end, line_end)
    return end


_MAX_TITLE_FIRST_WORDS = 10


def _title_first(
    text: str, index: EntityIndex, person: Candidate, titles: frozenset[str]
) -> tuple[list[Candidate], str, int]:
    """ "IOM Director General, William Lacy Swing" and "Deputy Director-General Laura Thompson"."""
    window_start = max(0, person.start - 90)
    before = text[window_start : person.start]
    line_start = before.rfind("\n") + 1
    window_start += line_start
    before = text[window_start : person.start]
    candidates = [c for c in index.within(window_start, person.start) if c.type in AFFILIATE_TYPES]
    accredited = load_cues().accredited_titles
    for affiliate in reversed(candidates):
        lead = text[window_start : affiliate.start]
        # "The Swiss Permanent Representative to the UN in New York, Jürg Lauber": the body a
        # representative is accredited to is not the one they serve.
        if not (_ACCREDITED.search(lead) and set(re.findall(r"[a-z]+", lead.lower())) & accredited):
            break
    else:
        return [], "", person.start
    # "IOM's Deputy Director General, Laura Thompson"
    between = re.sub(r"^['’]s\b", "", text[affiliate.end : person.start])
    words = re.findall(r"[\w-]+", between)
    # "former UN SRSG for International Migration Peter Sutherland"
    if (
        not words
        or len(words) > _MAX_TITLE_FIRST_WORDS
        or not all(w in titles or w[0].isupper() or w in ROLE_GLUE for w in words)
        or words[-1] in ROLE_GLUE
    ):
        return [], "", person.start
    if re.search(r"[.;:]", between):
        return [], "", person.start
    return [affiliate], clean_role(between), affiliate.start
