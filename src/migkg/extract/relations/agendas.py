"""Participation in meetings: the sessions of an agenda (by their time slots), the
people listed in each with their part (speaker, moderator, chair, presenter), and the panel
rosters of letters."""

from __future__ import annotations

import re
from functools import lru_cache

from migkg.extract.entities import Candidate
from migkg.extract.gazetteer import fold, load_pattern_file
from migkg.extract.relations.common import EntityIndex, RawRelation, end_of_line

__all__ = ["find_participations"]

# ---------------------------------------------------------------------------- participation

_TIME_SLOT = re.compile(r"\b\d{1,2}[.:]\s?\d{2}\s*[-–]\s*\d{1,2}[.:]\s?\d\s?\d?\b")


# "Moderator:", "Speakers :", "Chaired by": a label that gives the people after it their part.
_ROLE_LABEL = re.compile(r"\b([A-Za-z]+)\s*(?::|by\b)")


_MAX_SLOT = 6000


@lru_cache(maxsize=1)
def _title_openers() -> frozenset[str]:
    return frozenset(
        cue["opener"] for cue in load_pattern_file("agenda_cues.jsonl") if "opener" in cue
    )


@lru_cache(maxsize=1)
def _roster_roles() -> dict[str, str]:
    return {
        cue["word"]: cue["role"] for cue in load_pattern_file("agenda_cues.jsonl") if "role" in cue
    }


_TITLE_GLUE = frozenset(
    {"a", "an", "the", "of", "for", "and", "to", "in", "on", "at", "with", "by"}
)


def _session_title(
    text: str, start: int, end: int, index: EntityIndex | None = None
) -> tuple[str, int, int] | None:
    """The title of an agenda slot: its first line, up to where its description or its
    speakers begin (flattened layout runs "Opening session William Lacy Swing, ..." and
    "Session 2: Joint approaches in migration governance Member States rely on ..." together).
    """
    line_start = start
    while line_start < end and text[line_start] in " \n\t":
        line_start += 1
    line_end = text.find("\n", line_start, end)
    line_end = end if line_end < 0 else line_end
    stops = [line_end]
    sentence = re.search(r"\.\s|\bThis (?:session|panel)\b", text[line_start:line_end])
    if sentence:
        stops.append(line_start + sentence.start())
    if index is not None:
        stops += [
            c.start
            for c in index.within(line_start + 1, line_end)
            if c.type in {"person", "collective"}
        ]
    openers = _title_openers()
    previous = ""
    for word in re.finditer(r"[\w'’-]+", text[line_start:line_end]):
        if (
            word.start() > 0
            and word.group() in openers
            and previous.lower() not in _TITLE_GLUE
            and text[line_start + word.start() - 2 : line_start + word.start()].strip() != ":"
        ):
            stops.append(line_start + word.start())
            break
        previous = word.group()
    title_end = min(stops)
    if title_end - line_start > _MAX_TITLE:
        # A title run into its description ("... factors of vulnerability Migrant assistance
        # and protection practitioners face ..."): it ends where a capital opens a sentence.
        run_on = _RUN_ON_SENTENCE.search(text, line_start + _MIN_TITLE, title_end)
        if run_on is not None:
            title_end = run_on.start() + 1
    title = text[line_start:title_end].strip(" :–-\t")
    title_end = line_start + len(text[line_start:title_end].rstrip(" :–-\t"))
    if len(title) < 5 or len(title) > _MAX_TITLE or not title[0].isupper():
        return None
    return title, line_start, title_end


_MAX_TITLE = 160


_MIN_TITLE = 20


# A lower-case word, then a capitalised one that opens a sentence (a capital then lower case).
_RUN_ON_SENTENCE = re.compile(r"[a-z] (?=[A-Z][a-z]+ [a-z])")


def _slot_role(lead: str) -> str:
    """The part the last role label before a person gives them ("Moderator: ... Speakers:
    Name, ..., Name"); a person listed with no label speaks."""
    roles = _roster_roles()
    labelled = [
        roles[match.group(1).lower()]
        for match in _ROLE_LABEL.finditer(lead)
        if match.group(1).lower() in roles
    ]
    return labelled[-1] if labelled else "speaker"


_ROSTER_ITEM = re.compile(
    r"^[ \t]*[-•▪*][ \t]*((?:Panel|Session|Workshop|Round[- ]?table|Segment)\s+(?:\d+|[IVX]+))"
    r"\s*:\s*",
    re.IGNORECASE | re.MULTILINE,
)


_ROSTER_REACH = 400


def _rosters(text: str, index: EntityIndex, sessions: list[Candidate]) -> list[RawRelation]:
    """People a letter lists per panel: "the following moderators have been selected ...:
    - Panel 1: H.E. Mr. Ola Henrikson, ...". The panel is the agenda session of that number
    when the document has one ("PANEL 1: International cooperation ...")."""
    roles = _roster_roles()
    relations: list[RawRelation] = []
    for item in _ROSTER_ITEM.finditer(text):
        person = next(
            (c for c in index.within(item.end(), item.end() + 60) if c.type == "person"), None
        )
        if person is None or text[item.end() : person.start].count(",") > 0:
            continue
        lead = text[max(0, item.start() - _ROSTER_REACH) : item.start()].lower()
        mentioned = [
            (match.start(), roles[match.group(0)])
            for match in re.finditer(r"[a-z]+", lead)
            if match.group(0) in roles
        ]
        if not mentioned:
            continue
        role = max(mentioned)[1]
        label = item.group(1)
        meeting = next(
            (s for s in sessions if fold(s.name).startswith(fold(label) + " ")), None
        ) or Candidate(item.start(1), item.end(1), "meeting", label, "pattern", kind="session")
        line_end = end_of_line(text, person.end)
        relations.append(
            RawRelation("participation", person, meeting, item.start(), line_end, (("role", role),))
        )
    return relations


def find_participations(text: str, index: EntityIndex) -> list[RawRelation]:
    """People listed in agenda slots ("10.00 - 10.30 Opening session Name, Title, Org ...")."""
    slots = [m.end() for m in _TIME_SLOT.finditer(text)]
    relations: list[RawRelation] = []
    sessions: list[Candidate] = []
    for number, start in enumerate(slots):
        end = min(slots[number + 1] if number + 1 < len(slots) else len(text), start + _MAX_SLOT)
        found = _session_title(text, start, end, index)
        if found is None:
            continue
        title, title_start, title_end = found
        # The session is a document-local meeting entity; its mention is the title.
        meeting = Candidate(title_start, title_end, "meeting", title, "pattern", kind="session")
        sessions.append(meeting)
        people = [c for c in index.within(title_start, end) if c.type == "person"]
        if not people:
            continue
        for person in people:
            if person.start < title_end and person.end > title_start:
                continue
            role = _slot_role(text[title_end : person.start])
            line_end = text.find("\n", person.end)
            relations.append(
                RawRelation(
                    "participation",
                    person,
                    meeting,
                    person.start,
                    person.end if line_end < 0 else min(line_end, person.end + 200),
                    (("role", role),),
                )
            )
    return relations + _rosters(text, index, sessions)
