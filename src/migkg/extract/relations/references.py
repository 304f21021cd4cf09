"""Authorship read off reference lines ("See ILO, General Principles ...; IOM, IRIS")."""

from __future__ import annotations

import re

from migkg.extract.relations.common import EntityIndex, RawRelation

__all__ = ["find_reference_citations"]

# A reference starts with "See" (footnotes run together on one line after normalisation).
_REFERENCE_LINE = re.compile(r"(?<!\S)See(?:[ \t]+also)?[ \t]+(?P<body>[^\n]+)")


_AUTHOR_GAP = re.compile(r",\s*(?:the\s+)?", re.IGNORECASE)


def find_reference_citations(text: str, index: EntityIndex) -> list[RawRelation]:
    """A reference names each work's author: "See ILO, General Principles ... 2016; IOM, IRIS".

    Each ";"-separated item that is "Organization, Framework" records the organization as the
    framework's author (type adopts), with the item as evidence.
    """
    relations = []
    for line in _REFERENCE_LINE.finditer(text):
        position = line.start("body")
        for item in line.group("body").split(";"):
            start = position + len(item) - len(item.lstrip())
            end = position + len(item.rstrip())
            position += len(item) + 1
            named = index.within(start, end)
            if len(named) < 2:
                continue
            author, work = named[0], named[1]
            if (
                author.type == "organization"
                and work.type == "framework"
                and author.start == start
                and _AUTHOR_GAP.fullmatch(text[author.end : work.start])
            ):
                relations.append(
                    RawRelation(
                        "citation", author, work, start, end, (("citation_type", "adopts"),)
                    )
                )
    return relations
