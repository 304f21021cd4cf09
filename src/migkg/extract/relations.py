"""Relations between recognised entities: affiliations, citations, commitments and proposals.

Each finder works on one parsed document and its entity spans (clean-text offsets) and returns
``RawRelation`` tuples whose evidence is a clean-text span; the pipeline maps it to the original.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from migkg.extract.entities import Candidate
from migkg.extract.gazetteer import load_pattern_file, load_word_list

__all__ = ["RawRelation", "find_relations"]

_ACTOR_TYPES = frozenset({"person", "organization", "state", "collective"})
_AFFILIATE_TYPES = frozenset({"organization", "state"})
_PRONOUNS = frozenset({"he", "she"})
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MAX_CHAIN = 260


@dataclass(frozen=True, slots=True)
class RawRelation:
    """A relation over clean-text offsets; keys are the candidates' entity keys."""

    type: str
    subject: Candidate
    object: Candidate | None
    evidence_start: int
    evidence_end: int
    attributes: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=1)
def _cues() -> tuple[
    dict[str, str], list[tuple[str, str]], dict[str, str], dict[str, str], frozenset[str]
]:
    lemma_cues: dict[str, str] = {}
    phrase_cues: list[tuple[str, str]] = []
    for cue in load_pattern_file("citation_cues.jsonl"):
        if "lemma" in cue:
            lemma_cues.setdefault(cue["lemma"], cue["type"])
        else:
            phrase_cues.append((cue["phrase"], cue["type"]))
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    hedges: set[str] = set()
    for cue in load_pattern_file("commitment_cues.jsonl"):
        if "lemma" in cue:
            verbs[cue["lemma"]] = cue["modality"]
        elif "noun" in cue:
            nouns[cue["noun"]] = cue["modality"]
        else:
            hedges.add(cue["hedge"])
    return lemma_cues, phrase_cues, verbs, nouns, frozenset(hedges)


class _Index:
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
        i = bisect_left(self.starts, start + 1) - 1
        if i >= 0 and self.items[i].start <= start and self.items[i].end >= end:
            return self.items[i]
        return None

    def next_person_start(self, after: int, limit: int) -> int:
        i = bisect_left(self.starts, after)
        while i < len(self.items) and self.items[i].start < limit:
            if self.items[i].type == "person":
                return self.items[i].start
            i += 1
        return limit


def find_relations(doc: Doc, candidates: list[Candidate]) -> list[RawRelation]:
    """Every relation the patterns find in ``doc``."""
    index = _Index([c for c in candidates if "nested" not in c.attributes])
    relations = _affiliations(doc, index)
    relations += _participations(doc.text, index)
    relations += _citations_and_commitments(doc, index)
    return relations


# ---------------------------------------------------------------------------- affiliations


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    return load_word_list("title_words.txt")


def _role(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:()–-\n")


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def _affiliations(doc: Doc, index: _Index) -> list[RawRelation]:
    text = doc.text
    titles = _title_words()
    relations: list[RawRelation] = []
    for person in (c for c in index.items if c.type == "person"):
        after = person.end
        rest = text[after : after + _MAX_CHAIN]
        stripped = rest.lstrip(" ")
        gap = len(rest) - len(stripped)
        segment_start = after + gap
        affiliates: list[Candidate] = []
        role = ""
        if stripped.startswith("("):
            close = stripped.find(")")
            if close > 0:
                inner_start, inner_end = segment_start + 1, segment_start + close
                inner = text[inner_start:inner_end]
                if not _YEAR.search(inner):  # "(Migration Policy Institute, 2011)" is a citation
                    affiliates = [
                        c
                        for c in index.within(inner_start, inner_end)
                        if c.type in _AFFILIATE_TYPES
                    ]
                    if affiliates:
                        role = _role(text[inner_start : affiliates[0].start])
                    evidence_end = inner_end + 1
        elif stripped.startswith((",", "\n")):
            first_word = re.match(r"[,\n]\s*([\w.-]+)", stripped)
            limit = index.next_person_start(segment_start + 1, segment_start + len(stripped))
            limit = min(limit, _chain_end(text, segment_start + 1, limit))
            affiliates = [
                c for c in index.within(segment_start, limit) if c.type in _AFFILIATE_TYPES
            ]
            starts_well = first_word is not None and (
                first_word.group(1) in titles
                or first_word.group(1) in {"former", "then", "acting", "interim", "outgoing"}
                or (
                    affiliates
                    and affiliates[0].start <= segment_start + 2 + len(first_word.group(1))
                )
            )
            if not starts_well:
                affiliates = []
            elif affiliates:
                role = _role(text[segment_start + 1 : affiliates[0].start])
            evidence_end = limit
        elif stripped.startswith("of "):
            following = index.covering(segment_start + 3, segment_start + 4)
            if following is not None and following.type == "state":
                affiliates = [following]
                evidence_end = following.end
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


_CHAIN_STOP = re.compile(
    r"\s(?:[a-z]{3,}ed|said|says|noted|argued|stressed|explained|spoke|"
    r"who|which|that|and the|in her|in his|as well)\b|[.;:](?:\s|$)"
)


def _chain_end(text: str, start: int, limit: int) -> int:
    """Where an appositive "Name, Title, Organization, Country" chain stops."""
    line_end = _line_end(text, start + 1)
    # A signature block continues on the next lines; running text ends at the line.
    stop = _CHAIN_STOP.search(text, start, limit)
    end = stop.start() if stop else limit
    if text[start : start + 1] != "\n":
        end = min(end, line_end)
    return end


def _title_first(
    text: str, index: _Index, person: Candidate, titles: frozenset[str]
) -> tuple[list[Candidate], str, int]:
    """ "IOM Director General, William Lacy Swing" and "Deputy Director-General Laura Thompson"."""
    window_start = max(0, person.start - 90)
    before = text[window_start : person.start]
    line_start = before.rfind("\n") + 1
    window_start += line_start
    before = text[window_start : person.start]
    candidates = [c for c in index.within(window_start, person.start) if c.type in _AFFILIATE_TYPES]
    if not candidates:
        return [], "", person.start
    affiliate = candidates[-1]
    between = text[affiliate.end : person.start]
    words = re.findall(r"[\w-]+", between)
    if not words or len(words) > 6 or not all(w in titles or w[0].isupper() for w in words):
        return [], "", person.start
    if re.search(r"[.;:]", between):
        return [], "", person.start
    return [affiliate], _role(between), affiliate.start


# ---------------------------------------------------------------------------- participation

_TIME_SLOT = re.compile(r"\b\d{1,2}[.:]\s?\d{2}\s*[-–]\s*\d{1,2}[.:]\s?\d\s?\d?\b")
_MODERATOR = re.compile(
    r"\b(?:Moderator|Moderated by|Chair|Chaired by|Facilitator)s?\s*:?\s*$", re.IGNORECASE
)
_MAX_SLOT = 6000


def _session_title(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The title of an agenda slot: its first line, up to a full stop or a person's name."""
    line_start = start
    while line_start < end and text[line_start] in " \n":
        line_start += 1
    line_end = text.find("\n", line_start, end)
    line_end = end if line_end < 0 else line_end
    sentence = re.search(r"\.\s|\bThis (?:session|panel)\b", text[line_start:line_end])
    title_end = line_start + (sentence.start() if sentence else line_end - line_start)
    title = text[line_start:title_end].strip(" :–-")
    if len(title) < 5 or len(title) > 160 or not title[0].isupper():
        return None
    return title, line_start, title_end


def _participations(text: str, index: _Index) -> list[RawRelation]:
    """People listed in agenda slots ("10.00 - 10.30 Opening session Name, Title, Org ...")."""
    slots = [m.end() for m in _TIME_SLOT.finditer(text)]
    relations: list[RawRelation] = []
    for number, start in enumerate(slots):
        end = min(slots[number + 1] if number + 1 < len(slots) else len(text), start + _MAX_SLOT)
        found = _session_title(text, start, end)
        if found is None:
            continue
        title, title_start, title_end = found
        people = [c for c in index.within(title_start, end) if c.type == "person"]
        if not people:
            continue
        # The session is a document-local meeting entity; its mention is the title.
        meeting = Candidate(title_start, title_end, "meeting", title, "pattern", kind="session")
        for person in people:
            if person.start < title_end and person.end > title_start:
                continue
            line_start = text.rfind("\n", 0, person.start) + 1
            role = "moderator" if _MODERATOR.search(text[line_start : person.start]) else "speaker"
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
    return relations


# ---------------------------------------------------------------------------- citations


def _sentence_actor(sentence: Span, index: _Index, cue_start: int, text: str) -> Candidate | None:
    """The actor of a sentence: its subject if that is an entity, else the first actor."""
    actors = [
        c for c in index.within(sentence.start_char, sentence.end_char) if c.type in _ACTOR_TYPES
    ]
    for token in sentence:
        if token.dep_ in {"nsubj", "nsubjpass"} and token.head.dep_ == "ROOT":
            left, right = token.left_edge.idx, token.right_edge.idx + len(token.right_edge)
            in_subject = [c for c in actors if left <= c.start and c.end <= right]
            # "IOM Director General, William Lacy Swing, said": the person speaks, not IOM.
            people = [c for c in in_subject if c.type == "person"]
            if people or in_subject:
                return (people or in_subject)[0]
    # Skip affiliation context: an organization or state inside "(...)" after a person.
    for candidate in actors:
        if candidate.start >= cue_start:
            break
        opened = text.rfind("(", sentence.start_char, candidate.start)
        closed = text.rfind(")", sentence.start_char, candidate.start)
        if opened > closed:
            continue
        return candidate
    return None


def _previous_speaker(sentences: list[Span], position: int, index: _Index) -> Candidate | None:
    """The last person named one to three sentences earlier (for "he said" attribution)."""
    for previous in reversed(sentences[max(0, position - 3) : position]):
        people = [
            c for c in index.within(previous.start_char, previous.end_char) if c.type == "person"
        ]
        if people:
            return people[0]
    return None


_FIRST_PERSON = frozenset({"i", "we", "my", "our"})
_SIGNATURE_REACH = 6000


def _signature_blocks(text: str, index: _Index) -> list[Candidate]:
    """People who sign a letter: a name alone on its line, followed by a title line."""
    titles = _title_words()
    found = []
    for person in index.items:
        if person.type != "person":
            continue
        line_start = text.rfind("\n", 0, person.start) + 1
        line_end = text.find("\n", person.end)
        if line_end < 0 or text[line_start : person.start].strip(" '\"‘’“”"):
            continue
        if text[person.end : line_end].strip(" ,.'\"’”"):
            continue
        next_word = re.match(r"\s*([\w-]+)", text[line_end + 1 : line_end + 60])
        if next_word and next_word.group(1) in titles:
            found.append(person)
    return found


def _signatory(signatures: list[Candidate], position: int) -> Candidate | None:
    """The signatory of the letter a first-person sentence belongs to (the next signature)."""
    for person in signatures:
        if position < person.start <= position + _SIGNATURE_REACH:
            return person
    return None


def _citation_cue(
    sentence: Span, lemma_cues: dict[str, str], phrase_cues: list[tuple[str, str]]
) -> tuple[str | None, int]:
    """The citation type a sentence's verbs or phrases signal, and where the cue starts."""
    cue_type = None
    cue_start = sentence.end_char
    for token in sentence:
        if token.pos_ in {"VERB", "AUX"} and token.lemma_ in lemma_cues:
            cue_type, cue_start = lemma_cues[token.lemma_], token.idx
            break
    lowered = sentence.text.lower()
    for phrase, phrase_type in phrase_cues:
        found = lowered.find(phrase)
        if found >= 0 and (cue_type is None or phrase_type != "cites"):
            return phrase_type, min(cue_start, sentence.start_char + found)
    return cue_type, cue_start


_LIST_HOLDERS = re.compile(
    r"\b(?:speakers|states|member states|participants|delegations|countries|governments|"
    r"representatives|panellists|panelists|others)\s*[\[(]",
    re.IGNORECASE,
)


def _bracketed_actors(sentence: Span, index: _Index, text: str) -> list[Candidate]:
    """ "several speakers [Morocco, United Arab Emirates and Sri Lanka] noted": the listed ones."""
    found: list[Candidate] = []
    for match in _LIST_HOLDERS.finditer(text, sentence.start_char, sentence.end_char):
        close = text.find("]" if text[match.end() - 1] == "[" else ")", match.end())
        if close < 0 or close > sentence.end_char:
            continue
        listed = [c for c in index.within(match.end(), close) if c.type in _ACTOR_TYPES]
        found.extend(c for c in listed if c not in found)
    return found


def _citations_and_commitments(doc: Doc, index: _Index) -> list[RawRelation]:
    lemma_cues, phrase_cues, commit_verbs, commit_nouns, hedges = _cues()
    relations: list[RawRelation] = []
    text = doc.text
    sentences = list(doc.sents)
    speaker: tuple[Candidate, int] | None = None  # last subject actor and its sentence number
    signatures = _signature_blocks(text, index)
    for position, sentence in enumerate(sentences):
        entities = index.within(sentence.start_char, sentence.end_char)
        if (
            position
            and "\n" in text[sentences[position - 1].end_char - 1 : sentence.start_char + 1]
        ):
            speaker = None  # attribution does not cross a paragraph
        if not entities:
            continue
        frameworks = [c for c in entities if c.type == "framework"]
        cue_type, cue_start = _citation_cue(sentence, lemma_cues, phrase_cues)
        actors = _bracketed_actors(sentence, index, text)
        if not actors:
            actor = _sentence_actor(sentence, index, cue_start, text)
            if actor is None and sentence[0].lower_ in _PRONOUNS:
                actor = _previous_speaker(sentences, position, index)
            if actor is None and any(
                t.lower_ in _FIRST_PERSON and t.dep_ in {"nsubj", "nsubjpass", "poss"}
                for t in sentence
            ):
                actor = _signatory(signatures, sentence.start_char)
                cue_type = cue_type or ("cites" if actor else None)
            if actor is None and speaker is not None and position - speaker[1] <= 2:
                # Reported speech continues the last named speaker of the paragraph.
                actor = speaker[0]
                cue_type = cue_type or "cites"
            elif actor is not None and actor.type in {"person", "state"}:
                cue_type = cue_type or "cites"  # a speaker's own sentence refers to what it names
            actors = [actor] if actor is not None else []
        if actors and actors[0].type in {"person", "state"}:
            speaker = (actors[0], position)
        evidence = (sentence.start_char, sentence.end_char)
        if frameworks and cue_type:
            for actor in actors:
                seen: set[str] = set()
                for framework in frameworks:
                    if framework.name in seen:
                        continue
                    seen.add(framework.name)
                    relations.append(
                        RawRelation(
                            "citation", actor, framework, *evidence, (("citation_type", cue_type),)
                        )
                    )
        relations += _commitments(
            sentence,
            index,
            commit_verbs,
            commit_nouns,
            hedges,
            frameworks,
            sentences[max(0, position - 3) : position],
            text,
        )
    return relations


def _commitments(
    sentence: Span,
    index: _Index,
    verbs: dict[str, str],
    nouns: dict[str, str],
    hedges: frozenset[str],
    frameworks: list[Candidate],
    earlier: list[Span],
    text: str,
) -> list[RawRelation]:
    found = []
    for token in sentence:
        modality = None
        predicate = token
        if token.pos_ == "VERB" and token.lemma_ in verbs:
            modality = verbs[token.lemma_]
        elif (
            token.pos_ == "NOUN"
            and token.lemma_ in nouns
            and token.head.lemma_ in {"make", "reaffirm", "renew", "announce", "give"}
        ):
            modality = nouns[token.lemma_]
            predicate = token.head
        if modality is None:
            continue
        subject = next((c for c in predicate.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is None and predicate.dep_ in {"xcomp", "conj", "advcl"}:
            subject = next((c for c in predicate.head.children if c.dep_ == "nsubj"), None)
        actor = None
        if subject is not None:
            span = subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge)
            actor = next((c for c in index.within(*span) if c.type in _ACTOR_TYPES), None)
            if actor is None and subject.lower_ in _PRONOUNS:
                actor = _previous_speaker(earlier, len(earlier), index)
        if actor is None:
            continue
        hedged = any(
            t.lower_ in hedges or t.lemma_ in hedges
            for t in sentence
            if t.i < token.i and t.i >= predicate.i - 4
        ) or any(c.lower_ in hedges for c in predicate.children if c.dep_ == "aux")
        obj_start = token.idx + len(token)
        obj_end = sentence.end_char
        obj = re.sub(r"\s+", " ", text[obj_start:obj_end]).strip(" ,;:.")
        if not obj:
            continue
        framework = next((f for f in frameworks if f.start >= token.idx), None)
        attributes: list[tuple[str, str]] = [("modality", modality), ("object", obj[:300])]
        found.append(
            RawRelation(
                "proposal" if hedged else "commitment",
                actor,
                framework,
                sentence.start_char,
                sentence.end_char,
                tuple(attributes),
            )
        )
        break
    return found
