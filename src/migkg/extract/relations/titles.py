"""Bare titles ("the Director General") as the people the document names with them."""

from __future__ import annotations

import re

from migkg.extract.entities import Candidate
from migkg.extract.gazetteer import fold
from migkg.extract.relations.common import EntityIndex, RawRelation, load_title_words

__all__ = ["find_title_holders", "holder_at", "title_key"]

# Where the title proper ends in a role: "Deputy Secretary-General of the United Nations".
_TITLE_END = re.compile(r",|;|\(|\s(?:of|for|to|at|in|on)\s")


def title_key(role: str) -> str:
    """A title as a lookup key: "Special Representative of the SG" -> "special representative"."""
    head = _TITLE_END.split(role, maxsplit=1)[0]
    return re.sub(r"\s*[-‐–]\s*", "-", re.sub(r"\s+", " ", fold(head))).strip()


def find_title_holders(
    relations: list[RawRelation], text: str, index: EntityIndex
) -> dict[str, list[Candidate]]:
    """Each title the document gives to named people, with their mentions in text order: from
    the roles of affiliations, and from a title written after a name with no body to it ("Louise
    Arbour, Special Representative of the Secretary-General for International Migration")."""
    titled: list[tuple[Candidate, str]] = [
        (relation.subject, role)
        for relation in relations
        if relation.type == "affiliation" and relation.subject.type == "person"
        for role in [dict(relation.attributes).get("role", "")]
        if role
    ]
    titles = load_title_words()
    for person in (c for c in index.items if c.type == "person"):
        after = _APPOSED_TITLE.match(text, person.end)
        if after is not None and any(w in titles for w in after.group(1).split()[:3]):
            titled.append((person, after.group(1)))
        # "the IOM Director General, William Lacy Swing": the title first, acronyms aside.
        before = _TITLE_BEFORE.search(text, max(0, person.start - 120), person.start)
        if before is not None:
            words = [w for w in before.group(1).split() if not (w.isupper() and len(w) > 1)]
            if words and words[0] in titles:
                titled.append((person, " ".join(words)))
    holders: dict[str, dict[int, Candidate]] = {}
    for person, role in titled:
        for part in role.split(","):
            key = title_key(part)
            if key and len(key.split()) <= _MAX_TITLE_KEY_WORDS:
                holders.setdefault(key, {})[person.start] = person
    return {key: [people[s] for s in sorted(people)] for key, people in holders.items()}


def holder_at(people: list[Candidate], position: int) -> Candidate | None:
    """Who a bare title at ``position`` stands for: the person last named with it before."""
    before = [p for p in people if p.end <= position]
    return before[-1] if before else None


_MAX_TITLE_KEY_WORDS = 5


_TITLE_BEFORE = re.compile(r"\b[Tt]he\s+([A-Z][^,;()\n]{2,100}),\s*$")


_APPOSED_TITLE = re.compile(r",[ \t]*([A-Z][^,;()\n]{2,100})")
