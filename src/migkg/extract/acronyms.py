"""Acronym definitions: "Long Form (ACR)", "ACR (Long Form)" and ``ACR<TAB>expansion`` tables.

The check that a short form fits its long form follows Schwartz & Hearst (2003), "A simple
algorithm for identifying abbreviation definitions in biomedical text": every character of the
short form must appear in the long form, in order, the first one at the start of a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["AcronymDefinition", "find_definitions", "find_table_rows", "fits"]

_SHORT = r"[A-Z][A-Za-z0-9&.\-]{1,11}"
_LONG_FIRST = re.compile(rf"(?P<long>[A-ZÀ-Þ][^()\n]{{3,160}}?)\s*\((?P<short>{_SHORT})\)")
_SHORT_FIRST = re.compile(rf"\b(?P<short>{_SHORT})\s+\((?P<long>[A-ZÀ-Þ][^()\n]{{5,160}})\)")
_TABLE_ROW = re.compile(
    r"^(?P<short>[^\t\n]{2,60}?)[ ]*\t+[ ]*(?P<long>[^\t\n]{3,240}?)[ ]*$", re.MULTILINE
)


@dataclass(frozen=True, slots=True)
class AcronymDefinition:
    """A short form defined in a document, with where its long form sits (-1 if unknown)."""

    short: str
    long: str
    long_start: int = -1
    long_end: int = -1


def fits(short: str, long: str) -> int:
    """Return where the shortest long form that ``short`` abbreviates starts, or -1.

    >>> long = "the work of the International Organization for Migration"
    >>> long[fits("IOM", long):]
    'International Organization for Migration'
    >>> fits("GFMD", "a regional consultation")
    -1
    """
    letters = [c.lower() for c in short if c.isalnum()]
    if len(letters) < 2:
        return -1
    s_index = len(letters) - 1
    l_index = len(long) - 1
    while s_index >= 0:
        char = letters[s_index]
        while l_index >= 0 and (
            long[l_index].lower() != char
            or (s_index == 0 and l_index > 0 and long[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return -1
        s_index -= 1
        l_index -= 1
    start = long.rfind(" ", 0, l_index + 2) + 1
    return start


def _acronym_like(short: str) -> bool:
    capitals = sum(1 for c in short if c.isupper())
    return capitals >= 2 and not short.isdigit() and not re.fullmatch(r"[IVXLC]+", short)


def find_definitions(text: str) -> list[AcronymDefinition]:
    """Find "Long Form (ACR)" and "ACR (Long Form)" definitions in running text."""
    found = []
    for match in _LONG_FIRST.finditer(text):
        short, long = match.group("short"), match.group("long")
        if not _acronym_like(short):
            continue
        # Keep only the words the acronym accounts for, plus up to two extra function words.
        window = " ".join(long.split()[-(len(short) + 3) :])
        offset = fits(short, window)
        if offset < 0:
            continue
        long_form = window[offset:].strip(" ,;:–-")
        start = match.start("long") + long.rfind(long_form) if long_form in long else -1
        found.append(
            AcronymDefinition(short, long_form, start, start + len(long_form) if start >= 0 else -1)
        )
    for match in _SHORT_FIRST.finditer(text):
        short, long = match.group("short"), match.group("long").strip()
        if _acronym_like(short) and fits(short, long) == 0:
            found.append(
                AcronymDefinition(short, long, match.start("long"), match.start("long") + len(long))
            )
    return found


def find_table_rows(original: str) -> list[AcronymDefinition]:
    """Read ``KEY<TAB>expansion`` rows of abbreviation tables in the original text."""
    found = []
    for match in _TABLE_ROW.finditer(original):
        short = match.group("short").strip()
        long = match.group("long").strip()
        if not _acronym_like(short) or len(short) > 15 or " " in short:
            continue
        if not re.search(r"[a-z]", long) or re.fullmatch(r"[\d\s.:–-]+", long):
            continue
        found.append(AcronymDefinition(short, long))
    return found
