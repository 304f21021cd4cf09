"""Entity recognition: gazetteer, patterns, acronym definitions and the statistical model, merged.

Candidates from every source are pooled and the longest span wins (ties go to the more
trustworthy source), so a person or state inside a framework or organization name
("Nansen Initiative", "New York Declaration") is suppressed by construction.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from migkg.extract.acronyms import AcronymDefinition, find_definitions, find_table_rows
from migkg.extract.gazetteer import (
    Gazetteer,
    GazetteerEntry,
    fold,
    load_pattern_file,
    load_word_list,
)

__all__ = ["Candidate", "EntityRecognizer", "organization_kind"]

_PRIORITY = {"gazetteer": 4, "symbol": 4, "acronym": 3, "table": 3, "pattern": 2, "model": 1}
_PARTICLES = frozenset(
    [
        "de",
        "da",
        "del",
        "della",
        "der",
        "di",
        "do",
        "dos",
        "das",
        "du",
        "van",
        "von",
        "la",
        "le",
        "el",
        "bin",
        "ibn",
        "al",
        "y",
        "e",
        "zu",
        "ten",
        "ter",
    ]
)
_CONNECTORS = frozenset(
    [
        "of",
        "on",
        "for",
        "and",
        "the",
        "to",
        "against",
        "in",
        "by",
        "from",
        "with",
        "all",
        "their",
        "its",
        "&",
    ]
)
_COMPLEMENT_STARTS = frozenset(["on", "for", "of", "against", "to"])
_NAME_CHARS = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w’'\-.]*$")


@dataclass(slots=True)
class Candidate:
    """A proposed entity span over the clean text."""

    start: int
    end: int
    type: str
    name: str
    source: str
    entry: GazetteerEntry | None = None
    kind: str | None = None
    key: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def priority(self) -> int:
        return _PRIORITY[self.source]


@lru_cache(maxsize=1)
def _word_lists() -> dict[str, frozenset[str]]:
    return {
        name: load_word_list(f"{name}.txt")
        for name in ("honorifics", "org_heads", "not_entities", "state_triggers", "title_words")
    }


@lru_cache(maxsize=1)
def _framework_heads() -> dict[str, str]:
    heads = {}
    for line in load_word_list("framework_heads.txt"):
        word, kind = line.split("\t")
        heads[word] = kind
    return heads


def organization_kind(name: str) -> str:
    """Guess the kind of an organization not in the gazetteer from its words.

    >>> organization_kind("Ministry of Labour and Social Protection")
    'government_body'
    >>> organization_kind("University of Oxford")
    'academic'
    """
    words = set(re.findall(r"[A-Za-z]+", name.lower()))
    if words & {
        "ministry",
        "department",
        "government",
        "mission",
        "parliament",
        "embassy",
        "directorate",
        "municipality",
        "city",
        "agency",
        "commission",
        "bureau",
    }:
        return (
            "government_body"
            if not words & {"international", "european", "african"}
            else ("intergovernmental")
        )
    if words & {"university", "institute", "college", "academy", "school", "research"}:
        return "academic"
    if words & {"company", "inc", "ltd", "corporation", "business", "chamber", "bank", "group"}:
        return "private_sector"
    if words & {"forum", "process", "dialogue", "conference", "platform"}:
        return "forum"
    if words & {
        "network",
        "foundation",
        "association",
        "coalition",
        "alliance",
        "society",
        "caritas",
        "federation",
        "confederation",
        "trust",
        "movement",
        "union",
    }:
        return "civil_society"
    return "other"


class EntityRecognizer:
    """Finds people, organizations, states, frameworks and collectives in a parsed document."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.words = _word_lists()
        self.framework_heads = _framework_heads()
        self.collectives = load_pattern_file("collectives.jsonl")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._symbols = [
            (re.compile(p["regex"]), p["kind"], p["name"])
            for p in load_pattern_file("framework_symbols.jsonl")
        ]
        exact_forms: set[str] = set()
        folded_forms: set[str] = set()
        for entry in gazetteer.entries.values():
            for acronym in entry.acronyms:
                exact_forms.add(acronym)
            for form in (entry.name, *entry.aliases):
                # States and one-word names are matched case-sensitively ("Chad", "Turkey",
                # "Caritas"); longer names in any case ("global compact on migration").
                if entry.type == "state" or " " not in form.strip():
                    exact_forms.add(form)
                else:
                    folded_forms.add(form.lower())
        for collective in self.collectives:
            exact_forms.update(collective["forms"])
        tokenizer = nlp.tokenizer
        self._exact.add("EXACT", [tokenizer(form) for form in sorted(exact_forms)])
        self._folded.add("FOLDED", [tokenizer(form) for form in sorted(folded_forms)])
        self._collective_forms = {
            form: collective for collective in self.collectives for form in collective["forms"]
        }

    # ------------------------------------------------------------------ sources

    def _gazetteer_candidates(self, doc: Doc) -> list[Candidate]:
        found = []
        for matcher in (self._exact, self._folded):
            for _, start, end in matcher(doc):
                span = doc[start:end]
                text = span.text
                collective = self._collective_forms.get(text)
                if collective is not None:
                    found.append(
                        Candidate(
                            span.start_char,
                            span.end_char,
                            "collective",
                            collective["name"],
                            "gazetteer",
                            key=collective["id"],
                        )
                    )
                    continue
                entry = self.gazetteer.lookup(text)
                if entry is None:
                    continue
                if entry.type == "state" and not self._plausible_state(span):
                    continue
                found.append(self._from_entry(span.start_char, span.end_char, entry, "gazetteer"))
        return found

    def _plausible_state(self, span: Span) -> bool:
        # "Georgia" in "Clarkston, Georgia, United States of America" is a US state: a state
        # name directly followed by ", <another state>" is a sub-national place.
        doc = span.doc
        following = doc[span.end : span.end + 6].text
        if following.startswith(","):
            rest = following[1:].strip()
            for form in ("United States", "USA", "U.S."):
                if rest.startswith(form):
                    return False
        return True

    def _from_entry(self, start: int, end: int, entry: GazetteerEntry, source: str) -> Candidate:
        return Candidate(
            start, end, entry.type, entry.name, source, entry=entry, kind=entry.kind, key=entry.id
        )

    def _symbol_candidates(self, text: str) -> list[Candidate]:
        found = []
        for pattern, kind, template in self._symbols:
            for match in pattern.finditer(text):
                name = template.format(**match.groupdict())
                entry = self.gazetteer.lookup(name)
                if entry is not None and entry.type == "framework":
                    found.append(self._from_entry(match.start(), match.end(), entry, "symbol"))
                else:
                    found.append(
                        Candidate(
                            match.start(), match.end(), "framework", name, "symbol", kind=kind
                        )
                    )
        return found

    def _demonym_candidates(self, doc: Doc) -> list[Candidate]:
        found = []
        triggers = self.words["state_triggers"]
        for token in doc[:-1]:
            state_id = self.gazetteer.demonyms.get(token.text)
            if state_id is None:
                continue
            following = doc[token.i + 1]
            if following.lower_ in triggers:
                entry = self.gazetteer.entries[state_id]
                found.append(self._from_entry(token.idx, token.idx + len(token), entry, "pattern"))
        return found

    def _framework_pattern_candidates(self, doc: Doc) -> list[Candidate]:
        found = []
        for token in doc:
            kind = self.framework_heads.get(token.text)
            if kind is None:
                continue
            start = token.i
            while start > token.sent.start:
                previous = doc[start - 1]
                if (
                    (_NAME_CHARS.match(previous.text) and previous.text not in {"The", "A"})
                    or (
                        (previous.lower_ in _CONNECTORS - {"the"})
                        and start - 2 >= token.sent.start
                        and _NAME_CHARS.match(doc[start - 2].text)
                    )
                    or (previous.like_num and len(previous.text) == 4)
                ):
                    start -= 1
                else:
                    break
            while start < token.i and doc[start].lower_ in _CONNECTORS:
                start += 1
            end = token.i + 1
            if end < len(doc) and doc[end].lower_ in _COMPLEMENT_STARTS:
                probe = end + 1
                last_capital = None
                while probe < min(len(doc), token.sent.end):
                    word = doc[probe]
                    if _NAME_CHARS.match(word.text) and not word.is_sent_start:
                        last_capital = probe
                    elif (
                        word.text == ","
                        and probe + 1 < len(doc)
                        and _NAME_CHARS.match(doc[probe + 1].text)
                        and not doc[probe + 1].is_stop
                    ):
                        pass  # "on Safe, Orderly and Regular Migration"
                    elif word.lower_ not in _CONNECTORS or (
                        word.lower_ == "the" and doc[probe - 1].lower_ == "and"
                    ):
                        break
                    probe += 1
                if last_capital is not None:
                    end = last_capital + 1
            if start == token.i and end == token.i + 1:
                continue  # a bare head word ("the Declaration") names nothing by itself
            span = doc[start:end]
            if span.text.isupper() or "\n" in span.text:
                continue
            found.append(
                Candidate(
                    span.start_char, span.end_char, "framework", span.text, "pattern", kind=kind
                )
            )
        return found

    def _is_name_token(self, text: str) -> bool:
        if text.lower() in _PARTICLES:
            return True
        if not _NAME_CHARS.match(text) or (text.isupper() and len(text.rstrip(".")) > 1):
            return False
        words = self.words
        return (
            text not in words["org_heads"]
            and text not in self.framework_heads
            and (text not in words["title_words"] and text.rstrip(".") not in words["honorifics"])
        )

    def _signature_line(self, doc: Doc, text: str, start: int, end: int) -> bool:
        """A name alone on its line with a title on the next line (letter signatures)."""
        line_start = text.rfind("\n", 0, doc[start].idx) + 1
        line_end = text.find("\n", doc[end - 1].idx)
        if line_end < 0 or text[line_start : doc[start].idx].strip():
            return False
        if text[doc[end - 1].idx + len(doc[end - 1]) : line_end].strip(" ,."):
            return False
        next_word = re.match(r"\s*([\w-]+)", text[line_end + 1 : line_end + 60])
        return next_word is not None and next_word.group(1) in self.words["title_words"]

    def _person_pattern_candidates(self, doc: Doc, known: list[Candidate]) -> list[Candidate]:
        """Names in the layouts of the field, whatever the model thinks of them.

        "Name (Title, ...)", "Name (State)", "Name, Title, ...", "Moderator: Name", "Mr Name".
        """
        text = doc.text
        starts = {c.start: c for c in known if c.type in {"state", "organization"}}
        covered = bytearray(len(text) + 1)
        for candidate in known:
            covered[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
        person_starts = {ent.start for ent in doc.ents if ent.label_ == "PERSON"}
        places = {
            (ent.start, ent.end)
            for ent in doc.ents
            if ent.label_ in {"GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT"}
        }
        introducers = {
            "moderator",
            "moderators",
            "speaker",
            "speakers",
            "chair",
            "panellists",
            "panelists",
            "rapporteur",
            "presenter",
            "co-chairs",
            "discussants",
        }

        def name_token(index: int) -> bool:
            token = doc[index]
            if covered[token.idx] or token.lower_ in introducers:
                return False
            if token.text in {"-", "‐"} and index > 0 and not doc[index - 1].whitespace_:
                return not token.whitespace_  # "Jimenez-Damary"
            return self._is_name_token(token.text)

        found = []
        i = 0
        while i < len(doc):
            if not name_token(i) or doc[i].lower_ in _PARTICLES or doc[i].text == "-":
                i += 1
                continue
            end = i
            while end < len(doc) and end - i < 8 and name_token(end):
                end += 1
            while end > i and (doc[end - 1].lower_ in _PARTICLES or doc[end - 1].text == "-"):
                end -= 1
            # Run-together agenda lists: "... Republic of Senegal Mark Hereward, Director"; the
            # model's own person boundary, when it has one inside the run, is the better start.
            inner = [k for k in range(i + 1, end - 1) if k in person_starts]
            if inner and sum(1 for t in doc[i:end] if t.text != "-") > 3:
                i = inner[-1]
            length = sum(1 for t in doc[i:end] if t.text != "-")
            if length < 2 or length > 5 or any(t.is_space or "\n" in t.text for t in doc[i:end]):
                i = max(end, i + 1)
                continue
            before = doc[i - 1] if i > 0 else None
            after = doc[end] if end < len(doc) else None
            following = doc[end + 1] if end + 1 < len(doc) else None
            context = False
            if before is not None and (
                before.text.rstrip(".") in self.words["honorifics"] | {"H.E"}
                or (before.text == ":" and i > 1 and doc[i - 2].lower_ in introducers)
            ):
                context = True
            elif after is not None and following is not None and after.text in {"(", ","}:
                next_word = re.split(r"[\s,()]", text[following.idx : following.idx + 40])[0]
                context = (
                    next_word in self.words["title_words"]
                    or following.text in self.words["title_words"]
                    or following.idx in starts
                    or following.lower_ in {"former", "then", "acting", "interim"}
                )
            if not context and self._signature_line(doc, text, i, end):
                context = True
            if before is not None and before.lower_ in _CONNECTORS:
                context = False  # "Ministry of Foreign Affairs, Chile": part of a name
            if (i, end) in places:
                context = False  # "Puerto Vallarta, Mexico": a place, not a person
            if context and not doc[i].is_stop:
                span = doc[i:end]
                found.append(
                    Candidate(span.start_char, span.end_char, "person", span.text, "pattern")
                )
            i = end
        return found

    def _model_candidates(self, doc: Doc) -> list[Candidate]:
        found = []
        for ent in doc.ents:
            if "\n" in ent.text:
                continue
            if ent.label_ == "PERSON":
                candidate = self._person(ent)
            elif ent.label_ == "ORG":
                candidate = self._organization(ent)
            elif ent.label_ in {"GPE", "NORP", "LOC"}:
                candidate = self._state(ent)
            elif ent.label_ in {"LAW", "WORK_OF_ART", "EVENT"}:
                candidate = self._framework(ent)
            else:
                candidate = None
            if candidate is not None:
                found.append(candidate)
        return found

    def _trim(self, span: Span) -> Span:
        start, end = span.start, span.end
        doc = span.doc
        while start < end and (doc[start].is_punct or doc[start].lower_ in {"the", "a", "an"}):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].text in {"'s", "’s"}):
            end -= 1
        return doc[start:end]

    def _person(self, ent: Span) -> Candidate | None:
        span = self._trim(ent)
        doc = span.doc
        start = span.start
        honorifics = self.words["honorifics"]
        while start < span.end and doc[start].text.rstrip(".") in honorifics | {"H.E"}:
            start += 1
        while start < span.end and (doc[start].is_punct or doc[start].is_stop):
            start += 1  # "As Louise Arbour noted": the sentence's first word is not the name's
        # Run-together lists glue the previous speaker's country to a name: "Argentina Ely Thélot".
        for width in (3, 2, 1):
            if span.end - (start + width) >= 2 and self.gazetteer.lookup(
                doc[start : start + width].text
            ):
                start += width
                break
        span = doc[start : span.end]
        text = span.text
        if len(text) < 3 or any(ch.isdigit() for ch in text) or "@" in text:
            return None
        if fold(text) in self.words["not_entities"]:
            return None
        words = text.replace("-", " ").split()
        if any(w.lower() not in _PARTICLES and not _NAME_CHARS.match(w) for w in words):
            return None
        if any(w.isupper() and len(w) > 2 for w in words):
            return None
        heads = self.words["org_heads"] | set(self.framework_heads) | self.words["title_words"]
        if any(w in heads for w in words):
            return None
        if any(token.pos_ == "VERB" for token in span):
            return None
        entry = self.gazetteer.lookup(text)
        if entry is not None:
            return self._from_entry(span.start_char, span.end_char, entry, "model")
        return Candidate(span.start_char, span.end_char, "person", text, "model")

    def _organization(self, ent: Span) -> Candidate | None:
        span = self._trim(ent)
        text = span.text
        if not text or fold(text) in self.words["not_entities"]:
            return None
        entry = self.gazetteer.lookup(text)
        if entry is not None:
            return self._from_entry(span.start_char, span.end_char, entry, "model")
        words = text.split()
        if len(words) < 2 or len(words) > 14 or text.isupper():
            return None
        if not any(w.strip(",()") in self.words["org_heads"] for w in words):
            return None
        if not _NAME_CHARS.match(words[0]) or not _NAME_CHARS.match(words[-1]):
            return None
        return Candidate(
            span.start_char,
            span.end_char,
            "organization",
            text,
            "model",
            kind=organization_kind(text),
        )

    def _state(self, ent: Span) -> Candidate | None:
        span = self._trim(ent)
        entry = self.gazetteer.state(span.text)
        if entry is None or not self._plausible_state(span):
            return None
        return self._from_entry(span.start_char, span.end_char, entry, "model")

    def _framework(self, ent: Span) -> Candidate | None:
        span = self._trim(ent)
        entry = self.gazetteer.lookup(span.text)
        if entry is not None and entry.type == "framework":
            return self._from_entry(span.start_char, span.end_char, entry, "model")
        return None

    def _acronym_candidates(
        self, doc: Doc, definitions: list[AcronymDefinition], candidates: list[Candidate]
    ) -> list[Candidate]:
        """Turn acronym definitions into aliases, then find every later bare use."""
        text = doc.text
        resolved: dict[str, Candidate] = {}
        for definition in definitions:
            target = self._resolve_definition(definition, candidates)
            if target is not None:
                resolved.setdefault(definition.short, target)
        found = []
        for definition in definitions:
            target = resolved.get(definition.short)
            if target is not None and definition.long_start >= 0:
                # The defining long form is a mention too, even where nothing else found it.
                found.append(_moved(target, definition.long_start, definition.long_end))
        for short, target in resolved.items():
            for match in re.finditer(rf"(?<![\w/-]){re.escape(short)}(?![\w/-])", text):
                found.append(_moved(target, match.start(), match.end()))
        return found

    def _resolve_definition(
        self, definition: AcronymDefinition, candidates: list[Candidate]
    ) -> Candidate | None:
        known = self.gazetteer.acronyms.get(definition.short)
        long_entry = self.gazetteer.lookup(definition.long)
        if long_entry is not None:
            # The expansion names a known entity: the acronym is its alias here, even when the
            # document's expansion is wrong in a small way ("Migration in Countries in Crisis").
            return self._from_entry(0, 0, long_entry, "acronym")
        if known is not None:
            return None  # a known acronym with an unknown expansion: keep the gazetteer's sense
        covering = [
            c
            for c in candidates
            if c.start <= definition.long_start
            and c.end >= definition.long_end
            and c.type in {"organization", "framework"}
        ]
        if covering:
            best = max(covering, key=lambda c: (c.end - c.start, c.priority))
            return Candidate(
                0,
                0,
                best.type,
                best.name,
                "acronym",
                entry=best.entry,
                kind=best.kind,
                key=best.key,
            )
        words = definition.long.split()
        if len(words) < 2 or not _NAME_CHARS.match(words[0]):
            return None
        head_kinds = [self.framework_heads[w] for w in words if w in self.framework_heads]
        if head_kinds:
            return Candidate(0, 0, "framework", definition.long, "acronym", kind=head_kinds[-1])
        if any(w in self.words["org_heads"] for w in words):
            return Candidate(
                0,
                0,
                "organization",
                definition.long,
                "acronym",
                kind=organization_kind(definition.long),
            )
        return None

    # ------------------------------------------------------------------ merge

    def recognize(self, doc: Doc, original: str | None = None) -> list[Candidate]:
        """All entity spans of ``doc`` (clean-text offsets), non-overlapping, in text order."""
        text = doc.text
        known = self._gazetteer_candidates(doc)
        candidates = (
            known
            + self._person_pattern_candidates(doc, known)
            + self._symbol_candidates(text)
            + self._demonym_candidates(doc)
            + self._framework_pattern_candidates(doc)
            + self._model_candidates(doc)
        )
        definitions = find_definitions(text)
        if original is not None:
            definitions += find_table_rows(original)
        candidates += self._acronym_candidates(doc, definitions, candidates)
        chosen = self._drop_role_titles(_longest_first(_cut_at_people(candidates, text)), text)
        return sorted(chosen + _nested(chosen, candidates), key=lambda c: (c.start, c.end))

    def _drop_role_titles(self, chosen: list[Candidate], text: str) -> list[Candidate]:
        """ "Louise Arbour, Special Representative of the Secretary-General for ...": a role.

        Some offices are named after their holder's title; right after a person's name the
        title describes the person and is not a mention of the office.
        """
        titles = self.words["title_words"]
        kept: list[Candidate] = []
        for candidate in chosen:
            surface = text[candidate.start : candidate.end]
            first = surface.split(" ", 1)[0]
            if (
                candidate.type == "organization"
                and first in titles
                and kept
                and kept[-1].type == "person"
                and re.fullmatch(r"\s*[,(]\s*", text[kept[-1].end : candidate.start])
            ):
                continue
            kept.append(candidate)
        return kept


def _nested(chosen: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
    """Known organizations and frameworks named inside a longer name, as extra mentions.

    "ILO Convention No. 181" also mentions the ILO; "the Platform on Disaster Displacement of the
    Nansen Initiative" also mentions the initiative. States and people inside names stay
    suppressed ("New York Declaration", "Sutherland Report"). Nested mentions are marked so that
    relation patterns do not take them for actors.
    """
    extra: list[Candidate] = []
    seen: set[tuple[int, int]] = {(c.start, c.end) for c in chosen}
    known = sorted(
        (c for c in candidates if c.entry is not None and c.type in {"organization", "framework"}),
        key=lambda c: c.start,
    )
    starts = [c.start for c in known]
    for outer in chosen:
        if outer.type not in {"organization", "framework"}:
            continue
        # Only candidates starting inside the outer span: a binary search, not a full scan.
        for inner in known[bisect_left(starts, outer.start) : bisect_left(starts, outer.end)]:
            if (
                inner.end <= outer.end
                and (inner.end - inner.start) < (outer.end - outer.start)
                and inner.key != outer.key
                and (inner.start, inner.end) not in seen
            ):
                seen.add((inner.start, inner.end))
                extra.append(replace(inner, attributes={**inner.attributes, "nested": "1"}))
    return extra


_LIST_WORDS = re.compile(r"\s+(?:Speakers?|Moderators?|Panell?ists?|Chairs?)$")


def _cut_at_people(candidates: list[Candidate], text: str) -> list[Candidate]:
    """End model and pattern names where a person's name starts inside them.

    Flattened agenda lists run one speaker's organization into the next speaker's name
    ("The Consumer Goods Forum David Schilling"); the person is the better-evidenced span.
    """
    people = sorted(c.start for c in candidates if c.type == "person" and c.source == "pattern")
    for candidate in candidates:
        if candidate.source not in {"model", "pattern"} or candidate.type == "person":
            continue
        inside = [p for p in people if candidate.start < p < candidate.end]
        if inside:
            candidate.end = inside[0]
        trailer = _LIST_WORDS.search(text, candidate.start, candidate.end)
        if trailer:
            candidate.end = trailer.start()
        while candidate.end > candidate.start and text[candidate.end - 1] in " ,;:(–-":
            candidate.end -= 1
        candidate.name = text[candidate.start : candidate.end]
    return [c for c in candidates if c.end - c.start >= 2]


def _moved(candidate: Candidate, start: int, end: int) -> Candidate:
    """The same entity found again at another place."""
    return replace(candidate, start=start, end=end, attributes=dict(candidate.attributes))


def _longest_first(candidates: list[Candidate]) -> list[Candidate]:
    ranked = sorted(candidates, key=lambda c: (-(c.end - c.start), -c.priority, c.start, c.name))
    taken: list[Candidate] = []
    occupied = bytearray(max((c.end for c in candidates), default=0))
    for candidate in ranked:
        if candidate.end <= candidate.start or any(occupied[candidate.start : candidate.end]):
            continue
        taken.append(candidate)
        occupied[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
    return sorted(taken, key=lambda c: (c.start, c.end))
