"""Entity recognition: gazetteer, patterns, acronym definitions and the statistical model, merged.

Candidates from every source are pooled and the longest span wins (ties go to the more
trustworthy source), so a person or state inside a framework or organization name
("Nansen Initiative", "New York Declaration") is suppressed by construction. The exceptions are
deliberate: the state that qualifies a government body ("Ministry of Justice of Sweden") and
known bodies and instruments named inside a longer name stay mentions of their own.

Patterns favour layout and wording over lists: government-body chains are built around a head
word ("Ministry of Interior, Public Works and Housing"), people need person evidence (an
honorific, a role title, an agenda or caption layout) and words that are not all ordinary
vocabulary, and frameworks need a name (capitalised, quoted or introduced by its class noun).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein
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
_ORG_WORD = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w’'\-./&]*$")
_ORG_COMPLEMENT_STARTS = frozenset(["of", "for", "on", "against"])
# '"Uruguayans in the world",³² a programme led by ...': a quoted name, then its class noun.
_QUOTED_APPOSITION = re.compile(
    r"[“\"](?P<name>[A-ZÀ-Þ][^”\"\n]{2,80}?)[”\"][\u00b9\u00b2\u00b3\u2070-\u2079]*,?\s+"
    r"(?:a|an|the)\s+(?:[a-z-]+\s+){0,2}?(?P<class>[a-z]+)\b"
)
# An instrument named by its quoted title after its class noun ('a declaration on "..."'; the
# class nouns are in title_classes.txt).
_QUOTED_TITLE = re.compile(
    r"\b(?:a|an|the|its|their)\s+(?P<class>[a-z]+)\s+"
    r"(?:on|entitled|titled|called|named)\s+[“\"](?P<name>[^”\"\n]{5,120}?)[”\"]"
)
# "its Constitution", "their Constitution", "Ecuador's Constitution" (heads: owned_instruments.txt).
_OWNED_INSTRUMENT = re.compile(
    r"(?:\b(?P<pronoun>[Ii]ts|[Tt]heir)|(?P<owner_end>)['’]s)\s+(?P<head>[A-Z][a-z]+)\b"
)
# A title phrase runs to its body or the next item: "Corporate Communications Manager at ...".
_TITLE_PHRASE = re.compile(r"[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*)*(?=\s*(?:[,;(\n]|\s(?:at|of|to)\s))")
_MAX_TITLE_WORDS = 5
# Model labels of places: a run that opens with one is not a name from its first word.
_PLACE_LABELS = frozenset(["GPE", "LOC", "FAC", "ORG", "NORP"])
_SEATED_HEADS = frozenset(["Office", "Delegation", "Embassy", "Consulate"])
_ORG_CONNECTORS = frozenset(["of", "for", "on", "against", "to", "and", "the", "&"])
_STATE_QUALIFIERS = frozenset(["of", "for"])


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
    # Mentions inside this span that stand even when the span wins ("of Sweden" in a ministry).
    inner: list[Candidate] = field(default_factory=list)

    @property
    def priority(self) -> int:
        return _PRIORITY[self.source]


@lru_cache(maxsize=1)
def _word_lists() -> dict[str, frozenset[str]]:
    return {
        name: load_word_list(f"{name}.txt")
        for name in (
            "honorifics",
            "org_heads",
            "not_entities",
            "state_triggers",
            "title_words",
            "body_modifiers",
            "introducers",
            "boundary_words",
            "framework_classes",
            "title_classes",
            "owned_instruments",
            "national_markers",
            "national_heads",
            "postposed_modifiers",
            "weak_org_heads",
            "months",
        )
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
        self._lexicon = _model_lexicon(nlp)
        self._organization_forms = [
            (re.compile(p["regex"], re.IGNORECASE), p["name"])
            for p in load_pattern_file("organization_forms.jsonl")
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
                # Nationals named by the plural noun: "27,000 Cubans", "Malians abroad".
                plural = self.gazetteer.demonyms.get(token.text[:-1])
                if plural is not None and token.text.endswith("ns") and token.tag_ == "NNPS":
                    entry = self.gazetteer.entries[plural]
                    found.append(
                        self._from_entry(token.idx, token.idx + len(token), entry, "pattern")
                    )
                continue
            following = doc[token.i + 1]
            # "the Swiss Permanent Representative", "the Canadian Deputy Minister"
            skipped = 0
            while (
                skipped < _MAX_TITLE_SKIP
                and following.text in self.words["title_words"]
                and following.lower_ not in triggers
                and following.i + 1 < len(doc)
            ):
                following = doc[following.i + 1]
                skipped += 1
            if following.lower_ in triggers:
                entry = self.gazetteer.entries[state_id]
                found.append(self._from_entry(token.idx, token.idx + len(token), entry, "pattern"))
        return found

    def _framework_pattern_candidates(self, doc: Doc, known: list[Candidate]) -> list[Candidate]:
        states = {c.start: c for c in known if c.type == "state"}
        # Doc.text joins every token on each access: read it once.
        text = doc.text
        covered = bytearray(len(text) + 1)
        for c in known:
            covered[c.start : c.end] = b"\x01" * (c.end - c.start)
        body_ends = {c.end for c in known if c.type == "organization"}
        # Two names set side by side in a run-together table ("... Organized Crime Paris
        # Agreement ..."): a known instrument's end closes a name, a known name's start opens one.
        instrument_ends = {
            c.end: c.start for c in known if c.type == "framework" and " " in text[c.start : c.end]
        }
        known_starts = {c.start: c for c in known if c.type != "state"}
        actor_starts = {
            c.start for c in known if c.type in {"collective", "organization", "person"}
        }
        months = self.words["months"]
        found = []
        for token in doc:
            kind = self.framework_heads.get(token.text)
            if kind is None and token.text in self.words["national_heads"]:
                kind = "national"  # checked once the name's first word is known
            if kind is None or token.idx + len(token) in body_ends:
                continue  # "United Nations Development Programme" is a body's name
            start = token.i
            roles = self.words["title_words"] - self.words["body_modifiers"]
            while start > token.sent.start:
                previous = doc[start - 1]
                if previous.text in months or previous.idx + len(previous) in instrument_ends:
                    break
                if previous.like_num and start - 2 >= 0 and doc[start - 2].text in months:
                    break  # "September 2016 New York Declaration": a date, then the name
                if (
                    (
                        _NAME_CHARS.match(previous.text)
                        and previous.text not in {"The", "A"}
                        and previous.text not in roles
                    )
                    or (
                        (previous.lower_ in _CONNECTORS - {"the"})
                        and start - 2 >= token.sent.start
                        and _NAME_CHARS.match(doc[start - 2].text)
                    )
                    or (previous.like_num and len(previous.text) == 4)
                ):
                    start -= 1
                elif (
                    previous.text in {"-", "‐"}
                    and not previous.whitespace_
                    and start - 2 > token.sent.start
                    and not doc[start - 2].whitespace_
                    and _NAME_CHARS.match(doc[start - 2].text)
                ):
                    start -= 2  # "Capacity-Building Programme"
                else:
                    break
            while start < token.i and doc[start].lower_ in _CONNECTORS:
                start += 1
            # Where the name would start without the instrument before it, for the role test.
            outer = start
            before = doc[start - 1] if start > 0 else None
            if before is not None and before.idx + len(before) in instrument_ends:
                while outer > 0 and doc[outer - 1].idx >= instrument_ends[before.idx + len(before)]:
                    outer -= 1
            end = token.i + 1
            if end < len(doc) and doc[end].lower_ in _COMPLEMENT_STARTS:
                probe = end + 1
                last_capital = None
                while probe < min(len(doc), token.sent.end):
                    word = doc[probe]
                    if word.text in months or word.text in self.words["boundary_words"]:
                        break  # "... Migration in December", "... Development Adoption of ..."
                    if self._adopting_body(doc, probe, known_starts):
                        break  # "... Development by the UN General Assembly": who adopted it
                    known_name = known_starts.get(word.idx)
                    if (
                        known_name is not None
                        and known_name.type == "framework"
                        and doc[probe - 1].lower_ == "and"
                    ):
                        break  # "... for Migration and Global Compact on Refugees": a second one
                    if (
                        doc[probe - 1].lower_ not in _CONNECTORS
                        and _NAME_CHARS.match(word.text)
                        and (
                            (known_name is not None and known_name.type == "framework")
                            or doc[probe - 1].idx + len(doc[probe - 1]) in instrument_ends
                        )
                    ):
                        break  # "... Members of their Families Nansen Initiative": the next name
                    if _NAME_CHARS.match(word.text) and not word.is_sent_start:
                        last_capital = probe
                    elif word.text == ",":
                        # "on Safe, Orderly and Regular Migration", but not ", General Assembly"
                        # nor ", Member States have committed ...": an actor after the name
                        chain_end = self._portfolio_chain(doc, probe, states, actor_starts)
                        if chain_end is None:
                            break
                        last_capital = chain_end - 1
                        probe = chain_end
                        continue
                    elif word.lower_ not in _CONNECTORS or (
                        word.lower_ == "the" and doc[probe - 1].lower_ == "and"
                    ):
                        break
                    probe += 1
                if last_capital is not None:
                    end = last_capital + 1
            if start == token.i and end == token.i + 1:
                continue  # a bare head word ("the Declaration") names nothing by itself
            if token.text.islower() and (
                start > token.i - 2
                or all(covered[t.idx] for t in doc[start : token.i] if t.is_alpha)
            ):
                continue  # "an initiative", "the Global Compact initiative", "IOM UNDP programme"
            if kind == "initiative" and (
                self._in_role_chain(doc, start)
                or self._in_role_chain(doc, outer)
                or (
                    end < len(doc)
                    and _NAME_CHARS.match(doc[end].text)
                    and not doc[end].is_sent_start
                )
            ):
                continue  # "Director, Global Social Compliance Programme, ...", "Programme Branch"
            if kind == "national":
                if not self._names_a_state_instrument(doc, start):
                    continue
                kind = "framework"
            span = doc[start:end]
            if span.text.isupper() or "\n" in span.text:
                continue
            found.append(
                Candidate(
                    span.start_char, span.end_char, "framework", span.text, "pattern", kind=kind
                )
            )
        return found

    def _names_a_state_instrument(self, doc: Doc, start: int) -> bool:
        """Whether the name at ``start`` opens as a state's own ("National ...", "Nigerian ...")."""
        first = doc[start].text
        before = doc[start - 1].text if start > 0 else ""
        return (
            first in self.words["national_markers"]
            or first in self.gazetteer.demonyms
            or before in self.gazetteer.demonyms
        )

    def _adopting_body(self, doc: Doc, index: int, known_starts: dict[int, Candidate]) -> bool:
        """Whether "by (the) <known body>" starts at ``index``: the actor that adopted or
        launched an instrument, never part of its name ("Smuggling of Migrants by Land" is)."""
        if doc[index].lower_ != "by":
            return False
        k = index + 1 + (index + 1 < len(doc) and doc[index + 1].lower_ == "the")
        body = known_starts.get(doc[k].idx) if k < len(doc) else None
        return body is not None and body.type in {"organization", "collective"}

    def _organization_form_candidates(self, text: str) -> list[Candidate]:
        """Government bodies written in a fixed form, in any case and across line breaks.

        Letterheads set "PERMANENT MISSION OF MEXICO / TO THE UNITED NATIONS" in capitals on two
        lines; the forms (``patterns/organization_forms.jsonl``) name the state in a group that
        must resolve to a state, which is also a mention of its own.
        """
        found = []
        for pattern, template in self._organization_forms:
            for match in pattern.finditer(text):
                state_text = match.group("state")
                entry = self.gazetteer.state(state_text)
                if entry is None:
                    continue
                groups = {
                    key: re.sub(r"\s+", " ", value or "").strip().title()
                    for key, value in match.groupdict().items()
                }
                groups["state"] = entry.name
                name = re.sub(r"\s+", " ", template.format(**groups)).strip()
                name = re.sub(r"\b(Of|To|The|At|In|For)\b", lambda m: m.group(1).lower(), name)
                name = name[0].upper() + name[1:]
                candidate = Candidate(
                    match.start(),
                    match.end(),
                    "organization",
                    name,
                    "pattern",
                    kind="government_body",
                    attributes={"country": dict(entry.attributes)["iso3"]},
                )
                state_start = match.start("state")
                state_end = match.end("state")
                if text[state_start:state_end].lower().startswith("the "):
                    state_start += 4
                candidate.inner = [self._from_entry(state_start, state_end, entry, "pattern")]
                found.append(candidate)
        return found

    def _organization_pattern_candidates(
        self, doc: Doc, known: list[Candidate], people: list[Candidate]
    ) -> list[Candidate]:
        """Named bodies built around a head word: "National Migration Directorate",
        "Ministry of Interior, Public Works and Housing", "Ministry of Justice of Sweden".

        The name runs left over capitalised words and right over a complement ("of ...",
        "for ...") of capitalised words and connectors. A comma continues the name only as a
        portfolio list closed by "and" ("..., Public Works and Housing"); a state after "of"
        ends it and qualifies the body; "of the <another body>" starts the parent body.
        """
        heads = self.words["org_heads"] - self.words["weak_org_heads"]
        states = {c.start: c for c in known if c.type == "state"}
        bodies: dict[int, Candidate] = {}
        for c in known:
            if c.type == "organization" and c.end - c.start > (
                bodies[c.start].end - bodies[c.start].start if c.start in bodies else 0
            ):
                bodies[c.start] = c
        body_ends = {c.end for c in known if c.type == "organization"}
        ends = {c.end: c for c in known if c.type == "organization" and c.entry is not None}
        person_starts = {c.start for c in people}
        found = []
        for token in doc:
            if token.text not in heads or token.is_space:
                continue
            start = self._organization_left(doc, token.i, person_starts, body_ends)
            head_end = token.i + 1
            if (
                head_end + 1 < len(doc)
                and doc[head_end].text in self.words["postposed_modifiers"]
                and doc[head_end + 1].lower_ in _ORG_CONNECTORS
            ):
                head_end += 1  # "Directorate General for Migration": the head goes on
            end, state = self._organization_right(
                doc, head_end, start, states, bodies, person_starts
            )
            if end == token.i + 1 and all(
                t.text in self.words["body_modifiers"] for t in doc[start : token.i]
            ):
                continue  # a bare or generic unit ("the Secretariat", "Executive Secretariat")
            if end == token.i + 1 and token.text in _SEATED_HEADS:
                end = self._seat(doc, end, states)  # "UNHCR Office in New York"
            known_end = ends.get(doc[end - 1].idx + len(doc[end - 1]))
            if (
                known_end is not None
                and known_end.start > doc[start].idx
                and all(
                    _ORG_WORD.match(t.text) and not _is_acronym(t.text)
                    for t in doc[start:end]
                    if t.idx < known_end.start
                )
            ):
                continue  # "Geneva International Dialogue on Migration": a known body, placed
            if end == head_end and end < len(doc):
                following = doc[end]
                if (
                    _ORG_WORD.match(following.text)
                    and not following.is_sent_start
                    and following.idx not in person_starts
                    and following.idx not in states
                ):
                    continue  # "Civil Society Consultation": the name goes on past this word
            span = doc[start:end]
            text = span.text
            if span.text.isupper() or "\n" in text or fold(text) in self.words["not_entities"]:
                continue
            candidate = Candidate(
                span.start_char,
                span.end_char,
                "organization",
                text,
                "pattern",
                kind=organization_kind(text),
            )
            if state is not None and state.entry is not None:
                candidate.kind = "government_body"
                candidate.attributes["country"] = dict(state.entry.attributes)["iso3"]
                if state.end == span.end_char:
                    # "Ministry of Foreign Affairs of the Republic of Turkey" and "Ministry of
                    # Foreign Affairs, Turkey" are one body: name it after the state's own name.
                    body = text[: state.start - span.start_char]
                    body = re.sub(r"\s+(?:of|for|in)(?:\s+the)?\s*$", "", body)
                    candidate.name = f"{body} of {state.entry.name}"
            body = candidate.name.rsplit(" of ", 1)[0] if state is not None else text
            entry = self.gazetteer.lookup(body)
            if entry is not None and entry.type == "organization":
                # "Ministry of Human Resources and Emiratisation of the United Arab Emirates" is
                # the known ministry, named with its country.
                candidate.entry, candidate.name, candidate.key = entry, entry.name, entry.id
                candidate.kind = entry.kind
            candidate.inner = _longest_first(
                [s for s in states.values() if span.start_char <= s.start < s.end <= span.end_char]
            )
            found.append(candidate)
        return found

    def _affiliation_slot_candidates(
        self, doc: Doc, known: list[Candidate], people: list[Candidate]
    ) -> list[Candidate]:
        """An organization named in the last slot of "Name, Title, [Unit,] Org", "Name (Title,
        [Unit,] Org)" or "Name (Org)": a company or body whose name has no head word ("...,
        Director, Immigration Services, Acme, said").

        The slot must close the line or the clause (a comma and a lower-case word, a full stop,
        a bracket), and be none of a known name, a state, a place or a title.
        """
        token_starts = [token.idx for token in doc]
        occupied = bytearray(len(doc.text) + 1)
        for c in known:
            occupied[c.start : c.end] = b"\x01" * (c.end - c.start)
        places = {
            k
            for ent in doc.ents
            if ent.label_ in {"GPE", "LOC", "NORP", "DATE", "FAC"}
            for k in range(ent.start, ent.end)
        }
        titles = self.words["title_words"] | self.words["honorifics"]
        found = []
        for person in people:
            k = bisect_left(token_starts, person.end)
            segments: list[tuple[int, int]] = []
            opener = doc[k].text if k < len(doc) else ""
            while (
                k + 1 < len(doc)
                and (doc[k].text == "," or (doc[k].text == "(" and not segments))
                and doc[k + 1].text[:1].isupper()
                and len(segments) < 4
            ):
                start = k = k + 1
                while k < len(doc) and doc[k].text not in {",", ";", ")", "(", "."}:
                    if doc[k].is_space or "\n" in doc[k].whitespace_:
                        k += 1
                        break
                    k += 1
                segments.append((start, k))
                if k < len(doc) and doc[k].text != ",":
                    break
            # "Name (Acme) agreed": a parenthesis with one slot holds the body alone.
            alone = (
                opener == "("
                and len(segments) == 1
                and segments[0][1] < len(doc)
                and doc[segments[0][1]].text == ")"
            )
            if not alone and (len(segments) < 2 or doc[segments[0][0]].text not in titles):
                continue
            start, end = segments[-1]
            while end > start and doc[end - 1].is_space:
                end -= 1
            after = doc[segments[-1][1]] if segments[-1][1] < len(doc) else None
            next_word = doc[segments[-1][1] + 1] if segments[-1][1] + 1 < len(doc) else None
            closes = (
                after is None
                or after.text in ({")"} if opener == "(" else {";", ")", "."})
                or end < segments[-1][1]
                or (after.text == "," and next_word is not None and next_word.is_lower)
            )
            words = doc[start:end]
            if (
                not closes
                or not 1 <= len(words) <= 4
                or any((not _ORG_WORD.match(t.text) and t.text != "&") or t.is_stop for t in words)
                or words[-1].text == "&"
                or any(occupied[t.idx] or t.i in places for t in words)
                or words[0].text in titles
                or _is_acronym(words.text)
                or (after is not None and after.text == "." and not after.whitespace_)
                or self.gazetteer.lookup(words.text) is not None
                or self.gazetteer.is_place(words.text)
                or fold(words.text) in self.words["not_entities"]
                or all(self._in_lexicon(t.lower_) for t in words)
            ):
                continue
            found.append(
                Candidate(
                    words.start_char,
                    words.end_char,
                    "organization",
                    words.text,
                    "pattern",
                    kind=organization_kind(words.text),
                )
            )
        return found

    def _organization_left(
        self, doc: Doc, head: int, person_starts: set[int], body_ends: set[int]
    ) -> int:
        titles = (self.words["title_words"] | self.words["honorifics"]) - self.words[
            "body_modifiers"
        ]
        start = head
        while start > 0 and head - start < 8:
            previous = doc[start - 1]
            if previous.is_space or previous.idx in person_starts:
                break
            if (
                previous.text in {"'s", "’s"}
                and start - 2 >= 0
                and _ORG_WORD.match(doc[start - 2].text)
                and not _is_acronym(doc[start - 2].text)
            ):
                start -= 1  # "Mayor's Office", but "IOM's Department of ..." is IOM's unit
            elif (
                previous.lower_ in {"and", "&"}
                and start - 2 >= 0
                and _ORG_WORD.match(doc[start - 2].text)
                and not doc[start - 2].is_stop
                and doc[start - 2].text not in self.words["org_heads"]
                and doc[start - 2].idx + len(doc[start - 2]) not in body_ends
            ):
                start -= 1  # "Food and Agriculture Organization", not "African Union and ..."
            elif (
                previous.text in {"-", "‐"}
                and not previous.whitespace_
                and start - 2 >= 0
                and not doc[start - 2].whitespace_
                and _ORG_WORD.match(doc[start - 2].text)
            ):
                start -= 1  # "UN-Habitat New York Liaison Office", "Multi-Partner Trust Fund"
            elif (
                previous.is_lower
                and previous.is_alpha
                and start - 3 >= 0
                and doc[start - 2].text in {"-", "‐"}
                and not doc[start - 2].whitespace_
                and not doc[start - 3].whitespace_
                and _ORG_WORD.match(doc[start - 3].text)
            ):
                start -= 3  # "High-level Panel", "Multi-stakeholder Platform"
            elif (
                _ORG_WORD.match(previous.text)
                and not previous.is_stop
                and previous.text.rstrip(".") not in titles
            ) or (
                re.fullmatch(r"\d+(?:\.\d+)+", previous.text)
                and start - 2 >= 0
                and _ORG_WORD.match(doc[start - 2].text)
            ):
                start -= 1  # also "Alliance 8.7 Global Coordinating Group"
            else:
                break
            if doc[start].idx in person_starts:
                break
        while start < head and (
            doc[start].lower_ in _ORG_CONNECTORS or doc[start].text in {"'s", "’s"}
        ):
            start += 1
        return start

    def _organization_right(
        self,
        doc: Doc,
        end: int,
        start: int,
        states: dict[int, Candidate],
        bodies: dict[int, Candidate],
        person_starts: set[int],
    ) -> tuple[int, Candidate | None]:
        """Where the complement of a body name ends, and the state that qualifies it."""
        heads = self.words["org_heads"]
        roles = self.words["title_words"] - self.words["body_modifiers"]
        head_end = end
        if end >= len(doc) or doc[end].lower_ not in _ORG_COMPLEMENT_STARTS:
            return end, None
        probe = end
        last = None
        state = None
        whole = bodies.get(doc[start].idx)
        while probe < len(doc) and probe - head_end < 24:
            word = doc[probe]
            if word.is_space or word.idx in person_starts or word.is_sent_start:
                break
            if whole is not None and whole.end == doc[probe - 1].idx + len(doc[probe - 1]):
                break  # "International Dialogue on Migration Series": the known name is complete
            if word.idx in states:
                candidate = states[word.idx]
                before = doc[probe - 1].lower_
                if before == "the" and probe >= 2:
                    before = doc[probe - 2].lower_
                if before not in _STATE_QUALIFIERS:
                    break  # "Ministry of Health Mexico": no qualifier, not part of the name
                while probe < len(doc) and doc[probe].idx < candidate.end:
                    probe += 1
                last, state = probe - 1, candidate
                if probe < len(doc) and doc[probe].lower_ == "to":
                    continue  # "Permanent Mission of Mexico to the United Nations"
                break
            if word.idx in bodies and doc[probe - 1].lower_ == "the":
                # "to the United Nations": a known body ends the name (a following "New York"
                # is the place, not more of the name)
                body = bodies[word.idx]
                while probe < len(doc) and doc[probe].idx < body.end:
                    probe += 1
                last = probe - 1
                if probe >= len(doc) or self._place_at(doc, probe):
                    break
                continue
            if _ORG_WORD.match(word.text):
                if word.text in heads and doc[probe - 1].lower_ in {"and", "&"}:
                    break  # "Ministry of Health and Department of ...": a second body
                if word.text in self.words["boundary_words"] or (
                    word.text in roles and doc[probe - 1].lower_ in {"and", "&"}
                ):
                    break  # "... Migration Launch of ...", "... and Vice-Chair": not the name
                if _is_acronym(word.text) and doc[
                    probe - 1
                ].lower_ not in _ORG_COMPLEMENT_STARTS | {"the"}:
                    break  # "International Organization for Migration IPU": the next entry
                last = probe
            elif word.text == ",":
                chain_end = self._portfolio_chain(doc, probe, states, person_starts)
                if chain_end is None:
                    break
                last = chain_end - 1
                probe = chain_end
                continue
            elif word.lower_ in _ORG_CONNECTORS:
                if word.lower_ == "the" and doc[probe - 1].lower_ not in _COMPLEMENT_STARTS:
                    break
            else:
                break
            probe += 1
        if last is None:
            last = head_end - 1
        end = last + 1
        # "Ministry of Justice in Sweden": the country after "in" qualifies the body too.
        j = end + 1 + (end + 1 < len(doc) and doc[end + 1].lower_ == "the")
        if (
            state is None
            and end < len(doc)
            and doc[end].lower_ == "in"
            and j < len(doc)
            and organization_kind(doc[start:end].text) == "government_body"
        ):
            qualifier = states.get(doc[j].idx)
            if qualifier is not None:
                while j < len(doc) and doc[j].idx < qualifier.end:
                    j += 1
                if j >= len(doc) or not _ORG_WORD.match(doc[j].text):
                    end, state = j, qualifier
        # "Bureau for Policy and Programme Support of UNDP": a known body closing the complement
        # after "of"/"for" is the parent of the unit, a mention of its own.
        for k in range(head_end, end - 1):
            if doc[k].lower_ in {"of", "for"}:
                j = k + 1 + (doc[k + 1].lower_ == "the")
                parent = bodies.get(doc[j].idx) if j < end else None
                if (
                    parent is not None
                    and parent.end == doc[end - 1].idx + len(doc[end - 1])
                    and (k > head_end or start < head_end - 1)
                ):
                    return k, None
        # "Department of Multilateral Cooperation of the Ministry of Foreign Affairs": the parent
        # body after "of the" / "to the" is a second organization, unless the first is a bare head.
        for k in range(head_end, end):
            if doc[k].lower_ not in {"of", "to"} or (k == head_end and start == head_end - 1):
                continue
            j = k + 1
            if j < end and doc[j].lower_ == "the":
                j += 1
            while j < end and _ORG_WORD.match(doc[j].text) and doc[j].text not in heads:
                j += 1
            if j < end and doc[j].text in heads and j > k + 1:
                if state is not None and state.start >= doc[k].idx:
                    state = None
                return k, state
        return end, state

    def _is_owner(self, word: str) -> bool:
        """Whether ``word`` alone names a known organization ("GFMD", "UN-Habitat")."""
        if " " in word:
            return False
        entry = self.gazetteer.lookup(word)
        return _is_acronym(word) or (entry is not None and entry.type == "organization")

    def _in_role_chain(self, doc: Doc, start: int) -> bool:
        """Whether the words before ``start`` are a person's title ("Director, ", "Manager of the
        ", "Manager - "): a unit named there is part of the role."""
        k = start - 1
        while k >= 0 and doc[k].lower_ in {"the", "of", ",", "-", "–"}:
            k -= 1
        return k < start - 1 and k >= 0 and doc[k].text in self.words["title_words"]

    def _owner_prefixed(self, candidates: list[Candidate], text: str) -> list[Candidate]:
        """Known frameworks named with their owner's acronym in front: "GMG Principles and
        Guidelines ...", "IOM's Migration Governance Framework"; the owner is nested."""
        found = []
        for candidate in candidates:
            if candidate.type != "framework" or candidate.entry is None:
                continue
            owner = re.search(
                r"(?<![\w/-])([A-Z][A-Za-z]{1,9})(?:'s|’s)?\s+$", text[: candidate.start][-24:]
            )
            if owner is None:
                continue
            entry = self.gazetteer.lookup(owner.group(1))
            if (
                entry is None
                or entry.type != "organization"
                or owner.group(1) not in entry.acronyms
            ):
                continue
            start = candidate.start - (len(text[: candidate.start][-24:]) - owner.start(1))
            found.append(_moved(candidate, start, candidate.end))
        return found

    def _seat(self, doc: Doc, end: int, states: dict[int, Candidate]) -> int:
        """End of an office name that includes its seat: "Office in New York" (a city or
        province the model or ISO 3166-2 knows; a state is a country qualifier instead)."""
        if end + 1 >= len(doc) or doc[end].lower_ != "in" or doc[end + 1].idx in states:
            return end
        for ent in doc.ents:
            if ent.start == end + 1 and ent.label_ in {"GPE", "LOC"}:
                return ent.end
        for width in (3, 2, 1):
            if end + 1 + width <= len(doc) and self.gazetteer.is_place(
                doc[end + 1 : end + 1 + width].text
            ):
                return end + 1 + width
        return end

    def _place_at(self, doc: Doc, index: int) -> bool:
        """Whether a sub-national place name ("New York", "São Paulo") starts at ``index``."""
        return any(
            self.gazetteer.is_place(doc[index : index + width].text)
            for width in (1, 2, 3)
            if index + width <= len(doc)
        )

    def _portfolio_chain(
        self, doc: Doc, comma: int, states: dict[int, Candidate], person_starts: set[int]
    ) -> int | None:
        """End of a ", Public Works and Housing" continuation of a body name, else None.

        Comma-separated capitalised segments count only when the list is closed by "and"
        ("..., Research, and Policy"); a segment that is a state, a person, another body or a
        title ends the name instead.
        """
        stoppers = self.words["org_heads"] | (
            self.words["title_words"] - self.words["body_modifiers"]
        )
        k = comma
        while k < len(doc) and doc[k].text == ",":
            k += 1
            closed = False
            if k < len(doc) and doc[k].lower_ in {"and", "&"}:
                closed = True
                k += 1
            segment = k
            while k < len(doc) and k - segment < 5:
                word = doc[k]
                if (
                    word.is_space
                    or not _ORG_WORD.match(word.text)
                    or word.is_stop
                    or word.text in self.words["boundary_words"]
                ):
                    break
                if word.idx in states or word.idx in person_starts or word.text in stoppers:
                    return None
                k += 1
                if (
                    k + 1 < len(doc)
                    and doc[k].lower_ in {"and", "&"}
                    and _ORG_WORD.match(doc[k + 1].text)
                ):
                    closed = True
                    k += 1
            if k == segment or not _ORG_WORD.match(doc[k - 1].text):
                return None
            if closed:
                return k
        return None

    def _introduced_framework_candidates(self, doc: Doc, known: list[Candidate]) -> list[Candidate]:
        """Instruments named after a class noun that introduces them.

        "programmes such as Feed Africa and Jobs for Youth in Africa" (a list after "such as" or
        "including"), and '"Uruguayans in the world", a programme led by ...' (a quoted name in
        apposition to the class noun).
        """
        classes = self.words["framework_classes"]
        title_classes = self.words["title_classes"]
        text = doc.text
        covered = bytearray(len(text) + 1)
        for c in known:
            covered[c.start : c.end] = b"\x01" * (c.end - c.start)
        found = []
        for token in doc:
            if token.lower_ not in classes:
                continue
            k = token.i + 1
            listing = True
            if k + 1 < len(doc) and doc[k].lower_ == "such" and doc[k + 1].lower_ == "as":
                k += 2
            elif k < len(doc) and doc[k].lower_ == "including":
                k += 1
            elif (
                k < len(doc)
                and doc[k].text[:1].isupper()
                and any(left.dep_ == "det" for left in token.lefts)
            ):
                listing = False  # "the pilot programme Humanitarian Corridors": one name
            else:
                continue
            while k < len(doc):
                start = k
                while k < len(doc) and (
                    (_NAME_CHARS.match(doc[k].text) and not doc[k].is_space)
                    or (
                        doc[k].lower_ in {"of", "for", "in", "on", "the", "to"}
                        and k > start
                        and k + 1 < len(doc)
                        and _NAME_CHARS.match(doc[k + 1].text)
                    )
                ):
                    k += 1
                if k - start < 2 or any(covered[t.idx] for t in doc[start:k]):
                    break  # one word, or a name already known (then its own type stands)
                span = doc[start:k]
                found.append(
                    Candidate(
                        span.start_char,
                        span.end_char,
                        "framework",
                        span.text,
                        "pattern",
                        kind="initiative",
                    )
                )
                if listing and k + 1 < len(doc) and doc[k].lower_ in {"and", ","}:
                    k += 1 + (doc[k].text == "," and doc[k + 1].lower_ == "and")
                else:
                    break
        for match in _QUOTED_TITLE.finditer(text):
            # 'adopted a declaration on "the imperative for fairer ... migration"'
            if match.group("class") in title_classes and not covered[match.start("name")]:
                kind = self.framework_heads.get(match.group("class").capitalize(), "initiative")
                found.append(
                    Candidate(
                        match.start("name"),
                        match.end("name"),
                        "framework",
                        match.group("name"),
                        "pattern",
                        kind=kind,
                    )
                )
        for match in _QUOTED_APPOSITION.finditer(text):
            if match.group("class").lower() in classes and not covered[match.start("name")]:
                found.append(
                    Candidate(
                        match.start("name"),
                        match.end("name"),
                        "framework",
                        match.group("name"),
                        "pattern",
                        kind="initiative",
                    )
                )
        return found

    def _shared_head_candidates(self, text: str) -> list[Candidate]:
        """Known instruments that share one plural head: "the Nansen and Migrants in Countries
        in Crisis initiatives" names the Nansen Initiative and the MICIC Initiative."""
        heads = _framework_heads()
        found = []
        for match in _SHARED_HEAD.finditer(text):
            plural = match.group("head")
            singular = next(
                (
                    h
                    for h in heads
                    if h[0].isupper() and plural.lower() in {h.lower() + "s", h.lower() + "es"}
                ),
                None,
            )
            if singular is None:
                continue
            for group in ("first", "second"):
                entry = self.gazetteer.lookup(f"{match.group(group)} {singular}")
                if entry is not None and entry.type == "framework":
                    found.append(
                        self._from_entry(match.start(group), match.end(group), entry, "pattern")
                    )
        return found

    def _owned_instrument_candidates(self, text: str, known: list[Candidate]) -> list[Candidate]:
        """A state's own instrument named by its bare head: "Ecuador ... in its Constitution".

        The owner is the state right before a possessive "'s", or for "its"/"their" the
        nearest state named earlier in the same paragraph.
        """
        states = sorted((c for c in known if c.type == "state"), key=lambda c: c.start)
        found = []
        for match in _OWNED_INSTRUMENT.finditer(text):
            if match.group("head") not in self.words["owned_instruments"]:
                continue
            if match.group("pronoun"):
                paragraph_start = _paragraph(text, match.start())[0]
                earlier = [
                    c for c in states if paragraph_start <= c.start and c.end <= match.start()
                ]
                owner = earlier[-1] if earlier else None
            else:
                owner = next((c for c in states if c.end == match.start("owner_end")), None)
            iso3 = dict(owner.entry.attributes).get("iso3") if owner and owner.entry else None
            if owner is None or iso3 is None:
                continue
            found.append(
                Candidate(
                    match.start("head"),
                    match.end("head"),
                    "framework",
                    f"{match.group('head')} of {owner.name}",
                    "pattern",
                    kind="framework",
                    attributes={"owner": iso3},
                )
            )
        return found

    def _mark_national_instruments(
        self, chosen: list[Candidate], known: list[Candidate], text: str
    ) -> None:
        """Give a state's own instrument its owner: "Migration and Aliens Act of Costa Rica", "the
        Nigerian National Migration Policy", "a National Plan of Action" after the state."""
        states = sorted((c for c in known if c.type == "state"), key=lambda c: c.start)
        ends = {c.end: c for c in states}
        for candidate in chosen:
            if candidate.type != "framework" or candidate.entry is not None:
                continue
            if "owner" in candidate.attributes:
                continue
            name = text[candidate.start : candidate.end]
            owner = ends.get(candidate.end)
            closing = text[max(0, owner.start - 8) : owner.start] if owner is not None else ""
            if owner is not None and not re.search(r"\bof\s+(?:the\s+)?$", closing):
                owner = None  # "of <State>" closes the name; a bare state there is a list
            state_id = None
            demonym = re.search(r"(\w+)\s+$", text[max(0, candidate.start - 40) : candidate.start])
            for word in (demonym.group(1) if demonym else "", name.split()[0]):
                state_id = state_id or self.gazetteer.demonyms.get(word)
            if owner is None and state_id is None:
                if name.split()[0] not in self.words["national_markers"]:
                    continue
                paragraph = _paragraph(text, candidate.start)
                around = [c for c in states if paragraph[0] <= c.start and c.end <= paragraph[1]]
                before = [c for c in around if c.end <= candidate.start]
                # The state named before it, else the first one after ("a National Development
                # Strategy ... for the Republic of Moldova").
                owner = before[-1] if before else around[0] if around else None
            entry = owner.entry if owner is not None else None
            if state_id is not None:
                entry = self.gazetteer.entries[state_id]
            iso3 = dict(entry.attributes).get("iso3") if entry is not None else None
            if iso3 is not None:
                candidate.attributes["owner"] = iso3

    def _title_phrase_at(self, text: str, position: int) -> bool:
        """Whether a short title phrase starts at ``position``, up to its body: "First
        Secretary, ...", "Corporate Communications Manager at ...", "Co-Founder, ..."."""
        phrase = _TITLE_PHRASE.match(text, position)
        if phrase is None:
            return False
        words = re.split(r"[\s-]+", phrase.group(0).strip())
        return len(words) <= _MAX_TITLE_WORDS and any(w in self.words["title_words"] for w in words)

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

    def _person_pattern_candidates(
        self, doc: Doc, known: list[Candidate], common: frozenset[str] = frozenset()
    ) -> list[Candidate]:
        """Names in the layouts of the field, whatever the model thinks of them.

        "Name (Title, ...)", "Name (State)", "Name, Title, ...", "Moderator: Name", "Mr Name".
        """
        text = doc.text
        honorifics = self.words["honorifics"] | {"H.E"}
        starts = {c.start: c for c in known if c.type in {"state", "organization"}}
        covered = bytearray(len(text) + 1)
        for candidate in known:
            covered[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
        person_starts = {ent.start for ent in doc.ents if ent.label_ == "PERSON"}
        person_ends = {ent.end for ent in doc.ents if ent.label_ == "PERSON"}
        places = {
            (ent.start, ent.end)
            for ent in doc.ents
            if ent.label_ in {"GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT"}
        }
        introducers = self.words["introducers"]

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
            # A capitalised particle may open a name ("El Habib Nadir", "Van Wyk"), when two
            # more name words follow it.
            leading_particle = (
                doc[i].lower_ in _PARTICLES
                and doc[i].is_title
                and i + 2 < len(doc)
                and all(name_token(k) and doc[k].lower_ not in _PARTICLES for k in (i + 1, i + 2))
            )
            if (
                not name_token(i)
                or (doc[i].lower_ in _PARTICLES and not leading_particle)
                or doc[i].text == "-"
                or (doc[i].is_stop and doc[i].lower_ not in _PARTICLES)  # "For Louai Turjiman"
            ):
                i += 1
                continue
            end = i
            while end < len(doc) and end - i < 8 and name_token(end):
                end += 1
            while end > i and (
                doc[end - 1].lower_ in _PARTICLES
                or doc[end - 1].text == "-"
                or doc[end - 1].is_stop
            ):
                end -= 1  # also "Amanda Nero The": the next sentence's first word
            end = self._without_trailing_words(doc, i, end, common, person_ends)
            # Run-together agenda lists: "... Republic of Senegal Mark Hereward, Director"; the
            # model's own person boundary, when it has one inside the run, is the better start.
            inner = [k for k in range(i + 1, end - 1) if k in person_starts]
            if (
                inner
                and sum(1 for t in doc[i:end] if t.text != "-") > 3
                and (end - i > 5 or any(t.ent_type_ in _PLACE_LABELS for t in doc[i : inner[-1]]))
            ):
                i = inner[-1]  # but "Ausamah Abdullah Al Absi" is one name, all of it
            elif i > 0 and doc[i - 1].lower_ == "in" and end - i >= 3:
                i += 1  # "... Consulate of Japan in Geneva Sima Gatea, Co-Founder": a city first
            length = sum(1 for t in doc[i:end] if t.text != "-")
            before = doc[i - 1] if i > 0 else None
            titled = before is not None and before.text.rstrip(".") in honorifics
            # A surname alone counts after an honorific or title ("Director General Swing");
            # it is kept later only if it names someone given in full in the same document.
            if (
                length < (1 if titled else 2)
                or length > 5
                or any(t.is_space or "\n" in t.text for t in doc[i:end])
            ):
                i = max(end, i + 1)
                continue
            after = doc[end] if end < len(doc) else None
            following = doc[end + 1] if end + 1 < len(doc) else None
            context = titled_after = False
            if (
                titled
                or (
                    before is not None
                    and (
                        (before.text == ":" and i > 1 and doc[i - 2].lower_ in introducers)
                        # photo credits: "© IOM/Amanda Nero"
                        or (
                            before.text.endswith("/")
                            and "©" in text[max(0, before.idx - 24) : before.idx]
                        )
                    )
                )
            ):
                context = True
            elif after is not None and following is not None and after.text in {"(", ","}:
                next_word = re.split(r"[\s,()]", text[following.idx : following.idx + 40])[0]
                titled_after = (
                    next_word in self.words["title_words"]
                    or following.text in self.words["title_words"]
                    or following.lower_ in {"former", "then", "acting", "interim"}
                    or (after.text == "," and self._title_phrase_at(text, following.idx))
                )
                context = titled_after or following.idx in starts
            if not context and self._signature_line(doc, text, i, end):
                context = True
            if (
                before is not None
                and before.lower_ in _CONNECTORS
                and i >= 2
                and _NAME_CHARS.match(doc[i - 2].text)
            ):
                context = False  # "Ministry of Foreign Affairs, Chile": part of a name
            if (i, end) in places and not titled_after:
                context = False  # "Puerto Vallarta, Mexico": a place, not a person
            if context and not self._looks_like_name(doc[i:end].text, common):
                context = False
            if context and not doc[i].is_stop:
                span = doc[i:end]
                found.append(
                    Candidate(span.start_char, span.end_char, "person", span.text, "pattern")
                )
            i = end
        return found

    def _without_trailing_words(
        self, doc: Doc, start: int, end: int, common: frozenset[str], ends: set[int]
    ) -> int:
        """End of a name without the ordinary words glued to it: "Rahma Soliman Both speakers
        ...", "Amara Okafor Participants agreed ..." (a run-together line, the next clause).

        A trailing word is cut when it is a stop word, or an ordinary word the document also
        writes in lower case that opens a lower-case clause and lies outside the model's own
        person span. Two name words always stay.
        """
        while end - start > 2:
            last = doc[end - 1]
            following = doc[end] if end < len(doc) else None
            glued = (last.is_stop and last.text[:1].isupper()) or (
                end not in ends
                and last.text.lower() in common
                and self._in_lexicon(last.text.lower())
                and following is not None
                and following.text[:1].islower()
                and following.is_alpha
            )
            if not glued:
                break
            end -= 1
        return end

    def _model_candidates(self, doc: Doc, common: frozenset[str]) -> list[Candidate]:
        found = []
        for ent in doc.ents:
            if "\n" in ent.text:
                continue
            if ent.label_ == "PERSON":
                candidate = self._person(ent, common)
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

    def _looks_like_name(self, text: str, common: frozenset[str]) -> bool:
        """Person evidence from the words themselves, for spans with no honorific in front.

        A span made only of words the document also writes in lower case is a heading or a
        phrase ("Fast-Track Implementation"); a province or city ("São Paulo") is a place.
        """
        if any(self._is_demonym_plural(w) for w in text.split()):
            return False  # "Expatriate Mauritaniens": a group of nationals
        words = [w.lower() for w in re.split(r"[\s\-‐]+", text) if w]
        words = [w for w in words if w not in _PARTICLES]
        if not words or self.gazetteer.is_place(text):
            return False
        if any(w in self.words["introducers"] for w in words):
            return False
        # Every word an ordinary word (in the model's word list), one of them also written in
        # lower case here. Surnames in the word list ("Sutherland") are never written so.
        return not (
            all(w in common or self._in_lexicon(w) for w in words)
            and any(w in common for w in words)
        )

    def _names_bodies(self, word: str) -> bool:
        """Whether a lower-case plural noun names a kind of body ("groups", "organizations")."""
        if not word.islower() or not word.endswith("s"):
            return False
        singular = word[:-3] + "y" if word.endswith("ies") else word[:-1]
        return singular.capitalize() in self.words["org_heads"]

    def _is_demonym_plural(self, word: str) -> bool:
        """ "Mauritanians", "Mauritaniens", "Kenyans": nationals as a group, never a name."""
        if not word.endswith("s") or not word[:1].isupper():
            return False
        stem = word[:-1]
        if stem in self.gazetteer.demonyms:
            return True
        return any(
            len(stem) >= 6
            and stem[:4] == adjective[:4]
            and Levenshtein.distance(stem, adjective) <= 1
            for adjective in self.gazetteer.demonyms
        )

    def _in_lexicon(self, word: str) -> bool:
        stems = {word, word[:-1] if word.endswith("s") else word}
        if word.endswith("ies"):
            stems.add(word[:-3] + "y")
        if word.endswith("es"):
            stems.add(word[:-2])
        return bool(stems & self._lexicon)

    def _person(self, ent: Span, common: frozenset[str] = frozenset()) -> Candidate | None:
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
            if start + width < span.end and self.gazetteer.lookup(doc[start : start + width].text):
                if span.end - (start + width) < 2:
                    return None  # "Switzerland Tel.: +41 ...": a place and a contact label
                start += width
                break
        if (
            start >= 3
            and doc[start - 2].lower_ == "such"
            and doc[start - 1].lower_ == "as"
            and self._names_bodies(doc[start - 3].text)
        ):
            # "extremist groups such as ...": an instance of a kind of body, not a person
            body = doc[start : span.end]
            return Candidate(
                body.start_char,
                body.end_char,
                "organization",
                body.text,
                "model",
                kind=organization_kind(body.text),
            )
        end = self._without_trailing_words(doc, start, span.end, common, {span.end})
        span = doc[start:end]
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
        if not self._looks_like_name(text, common):
            return None
        entry = self.gazetteer.lookup(text)
        if entry is not None:
            return self._from_entry(span.start_char, span.end_char, entry, "model")
        return Candidate(span.start_char, span.end_char, "person", text, "model")

    def _organization(self, ent: Span) -> Candidate | None:
        span = self._trim(ent)
        doc, end = span.doc, span.end
        # Run-together tables and timelines: "International Catholic Migration Commission ICRC",
        # "Mediterranean Transit Migration Dialogue Launch" end before the next entry.
        while end - span.start > 2 and (
            doc[end - 1].text in self.words["boundary_words"]
            or (
                _is_acronym(doc[end - 1].text)
                and any(t.text in self.words["org_heads"] for t in doc[span.start : end - 1])
            )
        ):
            end -= 1
        span = doc[span.start : end]
        text = span.text
        if not text or fold(text) in self.words["not_entities"]:
            return None
        entry = self.gazetteer.lookup(text)
        if entry is not None:
            return self._from_entry(span.start_char, span.end_char, entry, "model")
        words = text.split()
        if len(words) < 2 or len(words) > 14 or text.isupper():
            return None
        found_heads = {w.strip(",()") for w in words} & self.words["org_heads"]
        if not found_heads:
            return None
        if found_heads <= self.words["weak_org_heads"] and len(words) < 3:
            return None  # "Director, Immigration Services, ...": a service line
        if not _NAME_CHARS.match(words[0]) or not _NAME_CHARS.match(words[-1]):
            return None
        if all(w in self.words["body_modifiers"] for w in words[:-1]):
            return None  # a generic unit ("Executive Secretariat")
        titles = self.words["title_words"]
        before = doc[span.start - 1].text if span.start > 0 else ""
        if words[0] in titles and (words[1] in titles or before in titles):
            return None  # a role: "Commissioner General of Immigration Services"
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
        # The candidate must be what the acronym abbreviates, not a longer name that ends with
        # it: "(IDPs)" after "Special Rapporteur on ... Internally Displaced Persons" abbreviates
        # the persons, not the Rapporteur.
        covering = [
            c
            for c in candidates
            if definition.long_start - 4 <= c.start <= definition.long_start
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
        known += self._owner_prefixed(known, text)
        # Words the document itself writes in lower case: a "name" made only of them is a
        # heading or a phrase ("Administrative Modernization", "Lunch Space").
        common = frozenset(t.text for t in doc if t.text.isalpha() and t.text.islower())
        people = self._person_pattern_candidates(doc, known, common)
        adjectives = self._demonym_candidates(doc)
        bodies = self._organization_form_candidates(text) + self._organization_pattern_candidates(
            doc, known + adjectives, people
        )
        modelled = self._model_candidates(doc, common)
        named = people + [c for c in modelled if c.type == "person"]
        bodies += self._affiliation_slot_candidates(doc, known + bodies + adjectives, named)
        candidates = (
            known
            + people
            + bodies
            + self._symbol_candidates(text)
            + adjectives
            + self._framework_pattern_candidates(doc, known)
            + self._introduced_framework_candidates(doc, known)
            + self._owned_instrument_candidates(text, known)
            + self._shared_head_candidates(text)
            + _outside(modelled, bodies, "organization")
        )
        definitions = find_definitions(text)
        if original is not None:
            definitions += find_table_rows(original)
        candidates += self._acronym_candidates(doc, definitions, candidates)
        chosen = self._drop_role_titles(
            _longest_first(_cut_at_people(candidates, text)), candidates, text
        )
        extra = [inner for c in chosen for inner in c.inner if c.start <= inner.start < c.end]
        self._resolve_short_forms(chosen, text)
        extra += _trailing_states(chosen, known, text)
        self._mark_national_instruments(chosen, known, text)
        nested = [c for c in _nested(chosen, candidates) if not self._is_role_title(c, text)]
        return sorted(chosen + extra + nested, key=lambda c: (c.start, c.end))

    def _resolve_short_forms(self, chosen: list[Candidate], text: str) -> None:
        """Give unknown organization and framework names the identity they abbreviate.

        A known name written without its articles is that entity; so is a short re-mention
        that the document names in full elsewhere: "the Guiding Principles" after "Guiding
        Principles on Internal Displacement" (the name without its complement), "the Business
        Mechanism" after "GFMD Business Mechanism" (the name without its owner's acronym).
        """
        # Short forms each long name allows: the name before its complement for frameworks,
        # the name after its owner's acronym for organizations.
        short_forms: dict[tuple[str, str], dict[str, Candidate]] = {}
        seen: set[tuple[str, str]] = set()
        for c in chosen:
            if c.type not in {"organization", "framework"}:
                continue
            forms = {re.sub(r"\s+", " ", text[c.start : c.end])}
            if c.entry is not None and (c.type, c.entry.id) not in seen:
                seen.add((c.type, c.entry.id))
                forms.update(c.entry.surface_forms())
            for form in forms:
                if c.type == "framework":
                    match = re.match(r"(.+?) (?:on|for|of|against|to) ", form)
                    short = match.group(1) if match else None
                else:
                    owner, _, rest = form.partition(" ")
                    short = rest if rest and self._is_owner(owner) else None
                if short:
                    short_forms.setdefault((c.type, short), {})[c.key or c.name] = c
        for candidate in chosen:
            if candidate.entry is not None or candidate.type not in {"organization", "framework"}:
                continue
            entry = self.gazetteer.lookup_loose(candidate.name)
            if entry is not None and entry.type == candidate.type:
                candidate.entry, candidate.name, candidate.key = entry, entry.name, entry.id
                candidate.kind = entry.kind
                continue
            short = re.sub(r"\s+", " ", text[candidate.start : candidate.end])
            if len(short.split()) < 2 or (
                candidate.type == "framework" and re.search(r" (?:on|of|for) ", short)
            ):
                continue
            targets = {
                key: c
                for key, c in short_forms.get((candidate.type, short), {}).items()
                if c is not candidate
            }
            if len(targets) == 1:
                target = targets.popitem()[1]
                candidate.entry, candidate.name, candidate.key = (
                    target.entry,
                    target.name,
                    target.key,
                )
                candidate.kind = target.kind
                candidate.attributes.update(target.attributes)

    def _is_role_title(self, candidate: Candidate, text: str) -> bool:
        """Whether an organization's surface is the title of its holder ("UN Special Rapporteur
        on ...", "SRSG for International Migration") rather than the name of the office."""
        if candidate.type != "organization":
            return False
        words = text[candidate.start : candidate.end].split()
        if len(words) > 1 and words[0] in {"UN", "U.N.", "United"}:
            words = words[2:] if words[0] == "United" and words[1] == "Nations" else words[1:]
        modifiers = self.words["body_modifiers"]
        while len(words) > 1 and words[0] in modifiers:
            words = words[1:]  # "Special Rapporteur", but "General Assembly"
        return bool(words) and words[0] in self.words["title_words"] - modifiers

    def _is_post(self, candidate: Candidate, text: str) -> bool:
        """Whether an organization's surface is a special mandate held by one person: "Special
        Representative for International Migration", "UN Special Envoy on ...", "SRSG for ...".

        Such a title names the post wherever it stands; the body is the *Office* of the
        Special Representative, whose surface starts with its own head word.
        """
        if not self._is_role_title(candidate, text):
            return False
        words = [w for w in text[candidate.start : candidate.end].split() if w not in {"the"}]
        if len(words) > 1 and words[0] in {"UN", "U.N.", "United"}:
            words = words[2:] if words[0] == "United" and words[1] == "Nations" else words[1:]
        titles = self.words["title_words"] - self.words["body_modifiers"]
        return bool(words) and (
            (words[0] == "Special" and len(words) > 1 and words[1] in titles)
            or (_is_acronym(words[0]) and words[0] in titles)
        )

    def _drop_role_titles(
        self, chosen: list[Candidate], candidates: list[Candidate], text: str
    ) -> list[Candidate]:
        """ "Louise Arbour, Special Representative of the Secretary-General for ...": a role.

        Some offices are named after their holder's title; next to a person's name ("Name, Title"
        or "Title Name") the title describes the person and is not a mention of the office. A
        known organization inside the title ("UN" in "UN Special Rapporteur") still stands.
        """
        kept: list[Candidate] = []
        dropped: list[Candidate] = []
        for i, candidate in enumerate(chosen):
            if self._is_post(candidate, text):
                dropped.append(candidate)
                continue
            if self._is_role_title(candidate, text):
                before = kept[-1] if kept else None
                after = chosen[i + 1] if i + 1 < len(chosen) else None
                if (
                    before is not None
                    and before.type == "person"
                    and re.fullmatch(r"\s*[,(]\s*", text[before.end : candidate.start])
                ) or (
                    after is not None
                    and after.type == "person"
                    and re.fullmatch(r"\s*,?\s*", text[candidate.end : after.start])
                ):
                    dropped.append(candidate)
                    continue
            kept.append(candidate)
        for title in dropped:
            inside = [
                c
                for c in candidates
                if c.type == "organization"
                and c.entry is not None
                and title.start <= c.start < c.end <= title.end
                and not self._is_role_title(c, text)
            ]
            kept.extend(_longest_first(inside))
        return sorted(kept, key=lambda c: (c.start, c.end))


# Two names before one plural head: "the Nansen and Migrants in Countries in Crisis initiatives".
_NAME_RUN = r"[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|in|of|for|on|and))*?"
_SHARED_HEAD = re.compile(
    rf"\b(?P<first>{_NAME_RUN})\s+and\s+(?:the\s+)?(?P<second>{_NAME_RUN})\s+(?P<head>[a-z]+s)\b"
)
# Title words between a state adjective and its trigger noun ("Swiss Permanent Representative").
_MAX_TITLE_SKIP = 2


def _is_acronym(text: str) -> bool:
    """ "IOM", "UNHCR", "UN-Habitat" is not one; "IOM" and "ICVA" are."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _model_lexicon(nlp: Language) -> frozenset[str]:
    """The ordinary English words the model's rule lemmatizer knows (its ``lemma_index``).

    Empty for a pipeline without one; the person filter then relies on the document alone.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    table = lookups.get_table("lemma_index")
    return frozenset(word for key in table for word in table[key] if word.isalpha())


def _paragraph(text: str, position: int) -> tuple[int, int]:
    """The clean-text paragraph (one line: normalisation joins wrapped lines) around a position."""
    end = text.find("\n", position)
    return text.rfind("\n", 0, position) + 1, len(text) if end < 0 else end


def _trailing_states(chosen: list[Candidate], known: list[Candidate], text: str) -> list[Candidate]:
    """States that close an organization's name as its country ("Migrant Care Indonesia").

    A state joined by "of" is part of the name ("Sovereign Order of Malta") except in a
    government body's name ("State Chancellery of the Republic of Moldova"), which names its state.
    """
    states = {c.end: c for c in known if c.type == "state"}
    found = []
    for candidate in chosen:
        state = states.get(candidate.end) if candidate.type == "organization" else None
        if (
            state is not None
            and state.start > candidate.start
            and not candidate.inner
            and (
                candidate.kind == "government_body"
                or not re.search(r"\b(?:of|for|the)\s+$", text[candidate.start : state.start])
            )
        ):
            found.append(state)  # a known ministry "of the Republic of Moldova" names its state
    return found


def _outside(
    candidates: list[Candidate], others: list[Candidate], entity_type: str
) -> list[Candidate]:
    """The ``candidates`` of ``entity_type`` that overlap none of ``others``, and all others."""
    spans = sorted((o.start, o.end) for o in others)
    starts = [start for start, _ in spans]
    kept = []
    for candidate in candidates:
        if candidate.type == entity_type:
            i = bisect_left(starts, candidate.end)
            if any(end > candidate.start for _, end in spans[max(0, i - 8) : i]):
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
                # "Alliance 8.7 Global Coordinating Group": a framework opening a body's name
                # is part of that name; so is a parent's full name opening its branch's name
                # ("Heartland Alliance International"), unlike an acronym ("IOM Council").
                and not (
                    outer.type == "organization"
                    and inner.start == outer.start
                    and (
                        inner.type == "framework"
                        or (
                            outer.entry is not None
                            and dict(outer.entry.attributes).get("parent") == inner.key
                            and " " in inner.name
                            and not _is_acronym(inner.name)
                        )
                    )
                )
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
        end = candidate.end
        inside = [p for p in people if candidate.start < p < candidate.end]
        if inside:
            candidate.end = inside[0]
        while candidate.end > candidate.start and text[candidate.end - 1] in " ,;:(–-":
            candidate.end -= 1
        trailer = _LIST_WORDS.search(text, candidate.start, candidate.end)
        if trailer:
            candidate.end = trailer.start()
        if candidate.end != end:
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
