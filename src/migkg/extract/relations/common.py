"""What every relation finder shares: the relation tuple, the position index of a
document's entity spans, and the cue word lists loaded from ``patterns/``."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from migkg.extract.entities import Candidate
from migkg.extract.gazetteer import load_pattern_file, load_word_list

__all__ = [
    "ACTOR_TYPES",
    "AFFILIATE_TYPES",
    "MAX_CHAIN",
    "PRONOUNS",
    "ROLE_GLUE",
    "VERB_POS",
    "YEAR",
    "Cues",
    "EntityIndex",
    "RawRelation",
    "clean_role",
    "end_of_line",
    "load_cues",
    "load_title_words",
]


ACTOR_TYPES = frozenset({"person", "organization", "state", "collective"})
AFFILIATE_TYPES = frozenset({"organization", "state"})
PRONOUNS = frozenset({"he", "she"})
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
MAX_CHAIN = 260


@dataclass(frozen=True, slots=True)
class RawRelation:
    """A relation over clean-text offsets; keys are the candidates' entity keys."""

    type: str
    subject: Candidate
    object: Candidate | None
    evidence_start: int
    evidence_end: int
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Cues:
    """The word lists of ``citation_cues``, ``commitment_cues`` and ``attribution_cues``."""

    citation_verbs: dict[str, tuple[str, frozenset[str]]]  # lemma -> (type, required particles)
    citation_nouns: dict[str, str]
    event_nouns: frozenset[str]  # nouns that open an entry of a timeline ("Launch of ...")
    citation_phrases: tuple[tuple[str, str], ...]
    commitment_verbs: dict[str, tuple[str, bool]]  # lemma -> (modality, needs a to-infinitive)
    commitment_nouns: dict[str, str]
    futures: dict[str, str]
    stative: frozenset[str]
    scheduling: frozenset[str]
    makers: frozenset[str]
    hedges: frozenset[str]
    speech_verbs: frozenset[str]
    delegate_nouns: frozenset[str]
    anonymous_nouns: frozenset[str]
    agreement_verbs: frozenset[str]  # "X echoed this": X says what the sentence before said
    floor_nouns: frozenset[str]  # unnamed people who take the floor ("participants")
    own_bodies: dict[str, str]  # "his country", "her organization" -> the affiliate's type
    quantifiers: frozenset[str]
    directives: frozenset[str]
    closings: tuple[str, ...]
    role_modifiers: frozenset[str]
    accredited_titles: frozenset[str]
    not_role_starts: frozenset[str]
    singling_out: tuple[str, ...]
    list_fillers: frozenset[str]
    group_kinds: dict[str, frozenset[str]]  # head noun of an unnamed group -> its members' type


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    citation_verbs: dict[str, tuple[str, frozenset[str]]] = {}
    citation_nouns: dict[str, str] = {}
    event_nouns: set[str] = set()
    phrases: list[tuple[str, str]] = []
    for cue in load_pattern_file("citation_cues.jsonl"):
        if "lemma" in cue:
            citation_verbs.setdefault(cue["lemma"], (cue["type"], frozenset(cue.get("with", ()))))
        elif "noun" in cue:
            citation_nouns[cue["noun"]] = cue["type"]
            event_nouns.add(cue["noun"])
        elif "event_noun" in cue:
            event_nouns.add(cue["event_noun"])
        else:
            phrases.append((cue["phrase"], cue["type"]))
    verbs: dict[str, tuple[str, bool]] = {}
    nouns: dict[str, str] = {}
    futures: dict[str, str] = {}
    words: dict[str, set[str]] = {
        "stative": set(),
        "scheduling": set(),
        "hedge": set(),
        "maker": set(),
    }
    for cue in load_pattern_file("commitment_cues.jsonl"):
        if "lemma" in cue:
            verbs[cue["lemma"]] = (cue["modality"], bool(cue.get("with_infinitive")))
        elif "noun" in cue:
            nouns[cue["noun"]] = cue["modality"]
        elif "future" in cue:
            futures[cue["future"]] = cue["modality"]
        else:
            for kind, word in cue.items():
                words[kind].add(word)
    groups: dict[str, list[str]] = {}
    for cue in load_pattern_file("attribution_cues.jsonl"):
        for kind, word in cue.items():
            groups.setdefault(kind, []).append(word)
    return Cues(
        citation_verbs=citation_verbs,
        citation_nouns=citation_nouns,
        event_nouns=frozenset(event_nouns),
        citation_phrases=tuple(phrases),
        commitment_verbs=verbs,
        commitment_nouns=nouns,
        futures=futures,
        stative=frozenset(words["stative"]),
        scheduling=frozenset(words["scheduling"]),
        makers=frozenset(words["maker"]),
        hedges=frozenset(words["hedge"]),
        speech_verbs=frozenset(groups.get("speech", ())),
        delegate_nouns=frozenset(groups.get("delegate", ())),
        anonymous_nouns=frozenset(groups.get("anonymous", ())),
        agreement_verbs=frozenset(groups.get("agreement", ())),
        floor_nouns=frozenset(groups.get("floor", ())),
        own_bodies=_nouns_by_member_type(groups, "own_{}"),
        quantifiers=frozenset(groups.get("quantifier", ())),
        directives=frozenset(groups.get("directive", ())),
        closings=tuple(groups.get("closing", ())),
        role_modifiers=frozenset(groups.get("role_modifier", ())),
        accredited_titles=frozenset(groups.get("accredited_title", ())),
        not_role_starts=frozenset(groups.get("not_role_start", ())),
        singling_out=tuple(groups.get("singling_out", ())),
        list_fillers=frozenset(groups.get("list_filler", ())),
        group_kinds={
            noun: frozenset({member_type})
            for noun, member_type in _nouns_by_member_type(groups, "{}_group").items()
        },
    )


def _nouns_by_member_type(groups: dict[str, list[str]], key: str) -> dict[str, str]:
    """Noun -> "organization" or "state", from the cue kinds ``key`` names for each type."""
    return {
        noun: member_type
        for member_type in ("organization", "state")
        for noun in groups.get(key.format(member_type), ())
    }


class EntityIndex:
    """Entity spans of one document, searchable by position."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.items = candidates
        self.starts = [c.start for c in candidates]

    def within(self, start: int, end: int) -> list[Candidate]:
        i = bisect_left(self.starts, start)
        found = []
        while i < len(self.items) and self.items[i].start < end:
            if self.items[i].end <= end:
                found.append(self.items[i])
            i += 1
        return found

    def covering(self, start: int, end: int) -> Candidate | None:
        """The innermost span around ``[start, end)`` (a state may sit inside a ministry)."""
        i = bisect_left(self.starts, start + 1) - 1
        for j in range(i, max(-1, i - 4), -1):
            if self.items[j].end >= end:
                return self.items[j]
        return None

    def next_person_start(self, after: int, limit: int) -> int:
        i = bisect_left(self.starts, after)
        while i < len(self.items) and self.items[i].start < limit:
            if self.items[i].type == "person":
                return self.items[i].start
            i += 1
        return limit


# ---------------------------------------------------------------------------- affiliations


@lru_cache(maxsize=1)
def load_title_words() -> frozenset[str]:
    return load_word_list("title_words.txt")


def clean_role(text: str) -> str:
    role = re.sub(r"\s+", " ", text).strip(" ,;:()–-\n")
    role = re.sub(r"^(?:the|an?)\s+", "", role, flags=re.IGNORECASE)
    # "Director of the [Office]": the words that lead into the organization are not the role.
    return re.sub(r"(?:\s+(?:of|the|at|in|for|to|from|with))+$", "", role)


def end_of_line(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


ROLE_GLUE = frozenset({"of", "for", "and", "at", "on", "in", "the", "to", "a", "de", "du", "des"})
VERB_POS = frozenset({"VERB", "AUX"})
