"""Who a sentence speaks for and who performs its acts.

Reports of meetings rarely say "X cites Y". They name a speaker and then report what was said,
often over several sentences without repeating the name ("Mr Samsar concluded", "he said",
"The Business Mechanism plans to ..."). ``Attributor`` reads one sentence at a time: its
subject (named, a pronoun, a delegate, an unnamed group, a framework), the acts with their own
actors ("The African Union adopted ...", "endorsed by the Member States of IOM"), timeline
entries and commitments."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from migkg.extract.entities import Candidate
from migkg.extract.relations.common import (
    ACTOR_TYPES,
    AFFILIATE_TYPES,
    PRONOUNS,
    VERB_POS,
    Cues,
    EntityIndex,
    RawRelation,
    load_title_words,
)
from migkg.extract.relations.titles import holder_at, title_key

__all__ = ["Attributor", "same_entity"]

# ---------------------------------------------------------------------------- attribution
#
# Reports of meetings rarely say "X cites Y". They name a speaker and then report what was said,
# often over several sentences without repeating the name ("Mr Samsar concluded", "he said",
# "The Business Mechanism plans to ..."). Attribution therefore works per sentence in two layers:
# the *speaker* of the sentence (its subject if that names someone, or the speaker carried over
# from earlier in the paragraph) refers to every framework the sentence names; and an *act* with
# its own actor ("The African Union adopted ...", "endorsed by the Member States of IOM") links
# that actor to the frameworks the act governs.

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


_FIRST_PERSON = frozenset({"i", "we"})


_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod"})


_SPEAKER_TYPES = frozenset({"person", "organization", "state", "collective"})


# A parenthesis or a square bracket: reports cite their sources either way.
_PARENTHESIS = re.compile(r"\(([^()\[\]]{2,160})\)|\[([^()\[\]]{2,160})\]")


_TITLE_OF = re.compile(r"(?:the\s+)?((?:[A-Z][\w-]*\s+){1,3})of\s+(?:the\s+)?$")


_LIST_GLUE = re.compile(r"^(?:[\s,;/&]|\band\b|\bor\b|\bothers\b|\betc\b\.?)*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Subject:
    """Who a noun phrase in subject position stands for."""

    kind: str  # named, anonymous, framework, pronoun, first_person or none
    actors: tuple[Candidate, ...] = ()
    delegated: bool = False  # named through a delegate noun ("the representative of Libya")
    own_body: str = ""  # "his country": the type of the body of the person it refers to


_NONE = _Subject("none")


_DEFINITE = frozenset({"the", "this", "that"})
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those", "it"})


_GOVERNMENT_OF = re.compile(r"\bGovernment\s+of\s+(?:the\s+)?$")


def same_entity(one: Candidate, other: Candidate) -> bool:
    """Whether two mentions name the same entity (by gazetteer key, else by name)."""
    if one.type != other.type:
        return False
    return one.key == other.key if one.key and other.key else one.name == other.name


def _unique(candidates: list[Candidate] | tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    found: list[Candidate] = []
    for candidate in candidates:
        if all(candidate is not other for other in found):
            found.append(candidate)
    return tuple(found)


class Attributor:
    """Resolves who speaks and who acts in the sentences of one parsed document."""

    def __init__(
        self,
        doc: Doc,
        index: EntityIndex,
        nested: EntityIndex,
        cues: Cues,
        holders: dict[str, list[Candidate]] | None = None,
    ) -> None:
        self.doc = doc
        self.holders = holders or {}
        self.served_bodies: dict[str, set[str]] = {}
        self.text = doc.text
        self.index = index
        self.nested = nested
        self.context_start = 0  # where the sentences a description may refer back to start
        self.subject_span = (0, 0)
        self.subject_clauses: list[tuple[int, int]] = []
        self.subject_token: Token | None = None
        self.cues = cues
        self.titles = load_title_words()

    # ------------------------------------------------------------------ noun phrases

    def candidate(self, token: Token) -> Candidate | None:
        """The entity span that covers ``token``."""
        return self.index.covering(token.idx, token.idx + len(token))

    def resolve(self, head: Token) -> _Subject:
        """What the noun phrase headed by ``head`` (with its conjuncts) refers to."""
        parts = [self._resolve_one(token) for token in (head, *head.conjuncts)]
        if parts[0].kind == "named" and all(a.type == "person" for a in parts[0].actors):
            # "Name, Foreign Secretary, Ministry of Foreign Affairs, Government of X": the
            # parser may chain the title and bodies as conjuncts; they only describe the person.
            parts = [p for p in parts if all(a.type == "person" for a in p.actors)]
        named = [actor for part in parts if part.kind == "named" for actor in part.actors]
        if named:
            delegated = any(part.delegated for part in parts if part.kind == "named")
            return _Subject("named", _unique(named), delegated)
        # "He and other speakers decried ...": the named speaker goes on speaking.
        kinds = {part.kind for part in parts}
        if "pronoun" in kinds and "anonymous" in kinds:
            return _Subject("pronoun")
        for kind in ("anonymous", "framework", "pronoun", "first_person"):
            for part in parts:
                if part.kind == kind:
                    return part
        return _NONE

    def _resolve_one(self, token: Token) -> _Subject:
        lower = token.lower_
        if lower in PRONOUNS:
            return _Subject("pronoun")
        if lower in _FIRST_PERSON:
            return _Subject("first_person")
        found = self.candidate(token)
        if found is not None:
            if found.type == "framework":
                return _Subject("framework", (found,))
            if found.type == "collective":
                if self._quantified(token):
                    return _Subject("anonymous")  # "Many States", "some Member States"
                # "the Member States of IOM" act as the organization.
                owner = self._attached(token, {"of"}, frozenset({"organization"}))
                return _Subject("named", owner or (found,))
            if found.type in _SPEAKER_TYPES:
                return _Subject("named", (found,))
            return _NONE
        if lower in {"it", "they"}:
            antecedent = self._antecedent(token)
            return _Subject("named", antecedent) if antecedent else _NONE
        described = self._described(token)
        if described is not None:
            return _Subject("named", (described,))
        lemma = token.lemma_.lower()
        own_body = self.own_body(token)
        if own_body:
            return _Subject("pronoun", own_body=own_body)
        is_delegate = lemma in self.cues.delegate_nouns
        is_anonymous = lemma in self.cues.anonymous_nouns
        is_title = token.text in self.titles
        if not (is_delegate or is_anonymous or is_title):
            # "the two co-facilitators of the global compact, Name, ..., and Name, ..."
            named = [
                c
                for appos in token.children
                if appos.dep_ == "appos"
                for c in (self.candidate(t) for t in (appos, *appos.conjuncts))
                if c is not None and c.type == "person"
            ]
            return _Subject("named", _unique(named)) if named else _NONE
        # "a representative of the private sector, Mirela Stoia", "IOM Director General, Name"
        people = self._people_in(token)
        if people:
            return _Subject("named", people)
        if is_delegate:
            attached = self._attached(token, {"of", "from", "for"}, AFFILIATE_TYPES)
            if attached:
                return _Subject("named", attached, delegated=True)
        if is_anonymous and self._part_of_others(token):
            return _NONE  # "most of the immigrants who have it say": not who took the floor
        if is_anonymous:
            included = self._included(token)
            return _Subject("named", included) if included else _Subject("anonymous")
        # An unnamed office holder of a state speaks for it ("The Minister of State of Sierra
        # Leone", "The Canadian Minister of Immigration"), as its representative does.
        served = self._state_served(token)
        if served:
            return _Subject("named", served, delegated=True)
        holder = self.title_holder(token) if is_title else None
        if holder is not None:
            return _Subject("named", (holder,))
        # A bare title ("The IOM Director General") names nobody.
        return _Subject("anonymous")

    def title_holder(self, title: Token) -> Candidate | None:
        """The person the document names with this title ("the Director General" after
        "William Lacy Swing, Director General, IOM"), if it is clear who (``holder_at``)."""
        words = [
            t
            for t in title.subtree
            if t.i <= title.i and t.dep_ not in {"det", "poss", "punct", "case"}
        ]
        # "the IOM Director General": the body's name is not part of the title, but says whose.
        bodies: list[Candidate] = []
        while words and words[0].i < title.i:
            body = self.candidate(words[0])
            if body is None:
                break
            bodies.append(body)
            words.pop(0)
        if not words:
            return None
        bodies += [
            c
            for prep in title.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for obj in prep.children
            if obj.dep_ == "pobj"
            for c in [self.candidate(obj)]
            if c is not None and c.type in AFFILIATE_TYPES
        ]
        phrase = self.text[words[0].idx : title.idx + len(title)]
        people = self.holders.get(title_key(phrase), [])
        if bodies:  # "the Director General of IOM": only a holder who serves that body
            names = {b.name for b in bodies}
            people = [p for p in people if self.served_bodies.get(p.name, set()) & names]
        return holder_at(people, title.idx)

    def _state_served(self, title: Token) -> tuple[Candidate, ...]:
        """The state a title names through a demonym or an "of" chain, if any."""
        found = list(self._attached(title, set(), frozenset({"state"})))
        token = title
        for _ in range(3):  # "Minister of State of Sierra Leone": a short chain of "of"
            objects = [
                o
                for c in token.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for o in c.children
                if o.dep_ == "pobj"
            ]
            if not objects:
                break
            token = objects[0]
            candidate = self.candidate(token)
            if candidate is not None:
                if candidate.type == "state":
                    found.append(candidate)
                break  # an organization ("of the General Assembly") is not a state
        return _unique(found)

    def _described(self, token: Token) -> Candidate | None:
        """The entity a definite description stands for, when the text named it just before.

        "the Government's commitment" after "the Government of Argentina", "a priority for the
        bank" after "the African Development Bank", "The network will ..." after "the United
        Nations Network on Migration".
        """
        if token.pos_ not in {"NOUN", "PROPN"} or not any(
            c.dep_ == "det" and c.lower_ in _DEFINITE for c in token.children
        ):
            return None
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
            return None  # "the Government of X" names X itself
        lemma = token.lemma_.lower()
        earlier = self.index.within(self.context_start, token.idx)
        if lemma == "government":
            states = [c for c in earlier if c.type == "state"]
            # The state last named as a government ("the Government of Argentina"), else the
            # last state named at all.
            governments = [
                c
                for c in states
                if _GOVERNMENT_OF.search(self.text[max(0, c.start - 30) : c.start])
            ]
            found = governments or states
            return found[-1] if found else None
        for candidate in reversed(earlier):
            if candidate.type == "organization" and lemma in _head_words(candidate.name):
                return candidate
        return None

    def _antecedent(self, token: Token) -> tuple[Candidate, ...]:
        """What "it" or "they" stands for: a named subject before it, or a named pair.

        "The network will ground its work ..., and it will align itself": the network.
        "... will enable IOM and WHO to work together. They will launch ...": IOM and WHO.
        "Member States have acknowledged ... They have committed ...": the Member States.
        """
        plural = token.lower_ == "they"
        sentence = token.sent
        scopes = [t for t in sentence if t.i < token.i]
        if sentence.start > 0 and self.context_start < sentence.start_char:
            scopes = [*self.doc[sentence.start - 1].sent, *scopes]
        for candidate_token in reversed(scopes):
            if plural:
                # A list is read from its first member: "A, B and C ... They".
                while candidate_token.dep_ in {"conj", "appos"} and candidate_token.head.i < (
                    candidate_token.i
                ):
                    candidate_token = candidate_token.head
            found = self._referent(candidate_token)
            kinds = {"organization", "collective", "state"} | ({"person"} if plural else set())
            if found is None or found.type not in kinds:
                continue
            # The parser may hang a list's later members on the first as an apposition.
            members = [*candidate_token.conjuncts] + [
                m
                for child in candidate_token.children
                if child.dep_ == "appos"
                for m in (child, *child.conjuncts)
            ]
            group = [found] + [
                c
                for c in (self._referent(t) for t in members)
                if c is not None and c.type == found.type
            ]
            # "the Special Representative, the President of the General Assembly and the Deputy
            # Secretary-General ... They": a group with an unnamed member is not resolved.
            if plural and len(group) > 1 and len(group) == 1 + len(members):
                return _unique(sorted(group, key=lambda c: c.start))
            if not plural and len(group) == 1 and candidate_token.dep_ in _SUBJECT_DEPS:
                return (found,)
            # "Member States have acknowledged ... They have therefore committed to ...".
            if (
                plural
                and found.type == "collective"
                and len(group) == 1
                and candidate_token.dep_ in _SUBJECT_DEPS
                and not self._quantified(candidate_token)
            ):
                return (found,)
        return ()

    def _referent(self, token: Token) -> Candidate | None:
        """The entity a word names: a mention, a definite description, or a title held by one
        named person ("the Special Representative ..., the President of the General Assembly
        and the Deputy Secretary-General ... They")."""
        found = self.candidate(token) or self._described(token)
        if found is None and token.text in self.titles and token.pos_ in {"NOUN", "PROPN"}:
            found = self.title_holder(token)
        return found

    def _quantified(self, token: Token) -> bool:
        return any(
            child.lower_ in self.cues.quantifiers
            for child in token.children
            if child.dep_ in {"det", "amod", "quantmod", "predet"}
        )

    def _attached(
        self, token: Token, prepositions: set[str], types: frozenset[str]
    ) -> tuple[Candidate, ...]:
        """Entities that modify ``token``: "Colombian delegate", "representative of Libya"."""
        found: list[Candidate] = []
        for child in token.children:
            if child.dep_ in _MODIFIER_DEPS:
                candidate = self.candidate(child)
                if candidate is not None and candidate.type in types:
                    found.append(candidate)
            elif child.dep_ == "prep" and child.lower_ in prepositions:
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    for member in (obj, *obj.conjuncts):
                        candidate = self.candidate(member)
                        if candidate is not None and candidate.type in types:
                            found.append(candidate)
        return _unique(found)

    def _people_in(self, token: Token) -> tuple[Candidate, ...]:
        """People named inside a noun phrase, leaving out relative and other clauses."""
        people: list[Candidate] = []
        stack = list(token.children)
        while stack:
            child = stack.pop()
            if child.dep_ in {"relcl", "acl", "advcl", "ccomp"}:
                continue
            candidate = self.candidate(child)
            if candidate is not None and candidate.type == "person":
                people.append(candidate)
            stack.extend(child.children)
        return _unique(sorted(people, key=lambda c: c.start))

    def own_body(self, token: Token) -> str:
        """The type of body "his country" or "her organization" stands for, else ""."""
        body_type = self.cues.own_bodies.get(token.lemma_.lower(), "")
        if body_type and any(
            c.dep_ == "poss" and c.lower_ in {"his", "her"} for c in token.children
        ):
            return body_type
        return ""

    def own_bodies_in(self, sentence: Span) -> list[str]:
        """The types of the "his country" subjects of a sentence ("According to Name, ...,
        his country uses MGI": the speaker's state refers to MGI as well)."""
        return [
            body_type
            for token in sentence
            if token.dep_ in _SUBJECT_DEPS
            for body_type in [self.own_body(token)]
            if body_type
        ]

    def echoes(self, sentence: Span) -> bool:
        """Whether the sentence makes the previous one its speakers' own: "Name and Name echoed
        this", "This was shared by Mexico"."""
        root = sentence.root
        if root.lemma_.lower() not in self.cues.agreement_verbs:
            return False
        objects = [c for c in root.children if c.dep_ in {"dobj", "nsubjpass"}]
        # A bare "agreed" may agree with any part of what was said before.
        return bool(objects) and all(
            o.lower_ in _DEMONSTRATIVES
            or any(d.dep_ == "det" and d.lower_ in _DEMONSTRATIVES for d in o.children)
            for o in objects
        )

    def takes_floor(self, subject: Token | None, reporting: bool) -> bool:
        """Whether an unnamed subject is someone speaking ("Several participants stressed"),
        not what a speaker talks about ("Other stakeholders also need ...")."""
        if reporting or subject is None:
            return True
        return subject.lemma_.lower() in self.cues.floor_nouns

    def singled_out(self, sentence: Span) -> tuple[Candidate, ...]:
        """The members of an unnamed subject group listed at the end of the sentence.

        "civil society representatives emphasized ..., notably the representatives from ICMC,
        ICRC and the Holy See". The list must close the sentence, hold nothing but names and
        filler words, and either name delegates or be of the kind the subject names ("NGOs
        stressed ..., in particular Caritas and ICMC"); a list describing the object
        ("countries of transit, such as Mexico") does not qualify.
        """
        subject = self.subject_token
        if subject is None:
            return ()
        start = max(subject.right_edge.idx + len(subject.right_edge), sentence.start_char)
        text = self.text[start : sentence.end_char]
        lowered = text.lower()
        kinds = self.cues.group_kinds.get(subject.lemma_.lower())
        for marker in self.cues.singling_out:
            for match in re.finditer(rf"(?<![\w-]){re.escape(marker)}\s", lowered):
                tail = start + match.end()
                actors = [
                    c
                    for c in self.index.within(tail, sentence.end_char)
                    if c.type in _SPEAKER_TYPES
                ]
                if not actors:
                    continue
                residue = list(self.text[tail : sentence.end_char])
                for actor in actors:
                    residue[actor.start - tail : actor.end - tail] = " " * (actor.end - actor.start)
                words = re.findall(r"[\w'’-]+", "".join(residue).lower())
                if not all(w in self.cues.list_fillers for w in words):
                    continue
                delegates = any(w.removesuffix("s") in self.cues.delegate_nouns for w in words)
                if delegates or (kinds is not None and all(a.type in kinds for a in actors)):
                    return _unique(actors)
        return ()

    def _part_of_others(self, token: Token) -> bool:
        """A quantifier over people who are not speakers: "most of the immigrants"."""
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                group = next((t for t in child.children if t.dep_ == "pobj"), None)
                if group is None or self.candidate(group) is not None:
                    return False
                lemma = group.lemma_.lower()
                return lemma not in self.cues.anonymous_nouns | self.cues.delegate_nouns
        return False

    def _included(self, token: Token) -> tuple[Candidate, ...]:
        """ "Others, including Shahidul Haque, ...": the named members of an anonymous group."""
        found: list[Candidate] = []
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in {"including", "like"}:
                for obj in child.subtree:
                    candidate = self.candidate(obj)
                    if candidate is not None and candidate.type in _SPEAKER_TYPES:
                        found.append(candidate)
        return _unique(found)

    # ------------------------------------------------------------------ clauses

    def is_speech(self, token: Token) -> bool:
        return token.pos_ in VERB_POS and token.lemma_.lower() in self.cues.speech_verbs

    def _subject_of(self, predicate: Token) -> Token | None:
        return next((c for c in predicate.children if c.dep_ in _SUBJECT_DEPS), None)

    def _agent_of(self, predicate: Token) -> _Subject:
        """The "by" phrase of a passive: "were cited, including by Julian Curi"."""
        for child in predicate.children:
            candidates = [child]
            if child.dep_ == "prep" and child.lower_ == "including":
                candidates = list(child.children)
            for by in candidates:
                if by.lower_ == "by" and by.dep_ in {"agent", "prep"}:
                    for obj in by.children:
                        if obj.dep_ != "pobj":
                            continue
                        resolved = self.resolve(obj)
                        if resolved.kind == "framework":
                            resolved = self._issuer(resolved.actors[0])
                        if resolved.kind == "named":
                            return resolved
        return _NONE

    def _issuer(self, framework: Candidate) -> _Subject:
        """ "adopted by General Assembly resolution 45/158": the body that issued the text."""
        for inner in self.nested.within(framework.start, framework.end):
            opening = self.text[framework.start : inner.start]
            if inner.type == "organization" and re.fullmatch(r"\s*(?:the\s+)?", opening):
                return _Subject("named", (inner,))
        return _NONE

    def clause(self, sentence: Span) -> tuple[_Subject, bool]:
        """The subject of the sentence's main clause and whether that clause reports speech.

        A named subject phrase is kept in ``subject_span``: a framework named in a speaker's
        title ("co-facilitator of the Global Compact") is not something the speaker said.
        """
        self.subject_span = (sentence.start_char, sentence.start_char)
        self.subject_clauses = []
        self.subject_token = None
        root = sentence.root
        if root.pos_ not in VERB_POS:
            # A fragment parse ("Panama ... proposed as the central theme: "Goals: ..."") hangs
            # the real clause under a noun: take the highest verb that has a subject.
            verbs = [t for t in sentence if t.pos_ in VERB_POS and self._subject_of(t)]
            if verbs:
                root = min(verbs, key=lambda t: len(list(t.ancestors)))
        predicates = [root, *(c for c in root.conjuncts if c.pos_ in VERB_POS)]
        if any(c.dep_ == "expl" for c in root.children):
            # "There are also tools such as ... and the 2016 ACT NOW call ...": an existential
            # sentence has one clause; a noun the parser took for a second verb is not one.
            predicates = [root]
        # "Member States could consider ...": the addressees of a proposal are not speaking.
        reporting = any(self.is_speech(p) and not self._hedged(p) for p in predicates)
        for token in sentence:
            # "According to a representative of the United States, ..."
            if token.lower_ == "according" and token.i + 1 < sentence.end:
                following = self.doc[token.i + 1]
                for obj in following.children:
                    if following.lower_ == "to" and obj.dep_ == "pobj":
                        resolved = self.resolve(obj)
                        if resolved.kind == "named":
                            return resolved, True
            # "As Ms Arbour said in her closing remarks: ..."
            if (
                token.dep_ == "advcl"
                # the tagger reads "underscores" in "As the Declaration underscores" as a noun
                and token.lemma_.lower() in self.cues.speech_verbs
                and any(c.dep_ == "mark" and c.lower_ == "as" for c in token.children)
            ):
                subject = self._subject_of(token)
                if subject is not None:
                    resolved = self.resolve(subject)
                    if resolved.kind in {"named", "framework"}:
                        return resolved, True
        main = _NONE
        for predicate in predicates:
            subject = self._subject_of(predicate)
            if subject is None:
                continue
            main = self.resolve(subject)
            self.subject_token = subject
            if main.kind == "named":
                self.subject_span = _char_range(subject)
                # "Robert J. Vitillo (ICMC), drawing on the Sutherland Report, stated": a
                # clause inside the subject phrase is said, not part of a title.
                self.subject_clauses = [
                    _char_range(c)
                    for t in subject.subtree
                    for c in t.children
                    if c.dep_ in {"acl", "relcl", "advcl"}
                ]
            if main.kind == "none" and subject.dep_ == "nsubjpass":
                main = self._agent_of(predicate)
                reporting = self.is_speech(predicate)
            break
        else:
            for predicate in predicates:
                main = self._agent_of(predicate)
                if main.kind == "named":
                    reporting = self.is_speech(predicate)
                    break
        if main.kind in {"named", "anonymous", "framework", "pronoun"}:
            return main, reporting
        # The main clause may sit inside a quotation, its reporting clause being subordinate:
        # 'This was echoed by Ms Arbour ...: "... we need ..."', 'Mr Samsar concluded: "I ..."'.
        for token in sentence:
            if token.i == root.i or not self.is_speech(token):
                continue
            subject = self._subject_of(token)
            reporter = self.resolve(subject) if subject is not None else _NONE
            if subject is None or (reporter.kind == "none" and subject.dep_ == "nsubjpass"):
                reporter = self._agent_of(token)
            if reporter.kind in {"named", "pronoun"}:
                return reporter, True
        if main.kind == "first_person":
            return main, reporting
        if root.pos_ in VERB_POS:
            if any(t.lower_ == "please" and t.i <= root.i for t in sentence):
                return _Subject("first_person"), reporting
            # The parser lost the subject ("In his opening remarks IOM Director General,
            # William Lacy Swing, reminded ..."): the person named before the verb speaks.
            people = [
                c
                for c in self.index.within(sentence.start_char, root.idx)
                if c.type == "person" and not self._in_parentheses(sentence, c)
            ]
            if people:
                return _Subject("named", (people[0],)), reporting
        return _NONE, reporting

    def in_subject_title(self, candidate: Candidate) -> bool:
        """Whether ``candidate`` is part of somebody's title rather than something said.

        That is: it lies in the named subject phrase outside its clauses ("co-facilitator of the
        Global Compact, noted"), or in the parenthesis after a person's name ("Lorenzo
        Guadagno (IOM Manager of the MICIC Capacity-building Programme)").
        """
        start, end = self.subject_span
        if start <= candidate.start < end and not any(
            s <= candidate.start < e for s, e in self.subject_clauses
        ):
            return True
        opened = self.text.rfind("(", max(0, candidate.start - 200), candidate.start)
        if opened < 0 or ")" in self.text[opened : candidate.start]:
            return False
        before = self.text[:opened].rstrip()
        named = self.index.covering(len(before) - 1, len(before)) if before else None
        return named is not None and named.type == "person"

    def _hedged(self, predicate: Token) -> bool:
        # "WHO will present a plan to the Assembly": a future speech act has not been made.
        modals = self.cues.hedges | self.cues.futures.keys()
        return any(c.dep_ == "aux" and c.lower_ in modals for c in predicate.children)

    def _in_parentheses(self, sentence: Span, candidate: Candidate) -> bool:
        opened = self.text.rfind("(", sentence.start_char, candidate.start)
        closed = self.text.rfind(")", sentence.start_char, candidate.start)
        return opened > closed

    # ------------------------------------------------------------------ cues and acts

    def cue_type(self, token: Token) -> str | None:
        """The citation type ``token`` signals as a verb or nominal cue, if any."""
        if self.candidate(token) is not None:
            return None  # a word of a name or title ("Principles ..., supported by ...")
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" and lemma in self.cues.citation_verbs:
            cue_type, particles = self.cues.citation_verbs[lemma]
            if particles and not any(
                c.lower_ in particles for c in token.children if c.dep_ in {"prep", "prt"}
            ):
                return None
            return cue_type
        if token.pos_ == "NOUN" and lemma in self.cues.citation_nouns:
            return self.cues.citation_nouns[lemma]
        return None

    def actor_of(self, cue: Token, previous_person: Candidate | None) -> tuple[Candidate, ...]:
        """Who performs a cue: its subject, its passive agent or its possessor."""
        if cue.pos_ == "NOUN":
            for child in cue.children:
                if child.dep_ == "poss":
                    candidate = self.candidate(child)
                    if candidate is not None and candidate.type in _SPEAKER_TYPES:
                        return (candidate,)
            return self._agent_of(cue).actors
        subject = self._subject_of(cue)
        if subject is not None and any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children):
            # "to assist States to implement the Global Compact": the States are asked to act,
            # they do not act; whoever assists is not named in this clause.
            return ()
        verb = cue
        # "To implement ..., Member States have committed": an infinitive or a participle
        # without a subject of its own shares that of the verb it depends on.
        while subject is None and verb.dep_ in {"xcomp", "conj", "advcl"} and verb.head.i != verb.i:
            verb = verb.head
            subject = self._subject_of(verb)
        if subject is not None and subject.dep_ != "nsubjpass":
            resolved = self.resolve(subject)
            if resolved.own_body:
                return ()  # "his country uses MGI": the speaker's body, found with the speaker
            if resolved.kind == "pronoun" and previous_person is not None:
                return (previous_person,)
            return resolved.actors if resolved.kind == "named" else ()
        return self._agent_of(cue).actors

    def _framework_at(self, token: Token) -> Candidate | None:
        candidate = self.candidate(token)
        return candidate if candidate is not None and candidate.type == "framework" else None

    def objects_of(self, cue: Token) -> list[Candidate]:
        """The frameworks a cue governs: its object, or the noun a passive or participle names.

        Only the head of the object phrase counts, with its conjuncts and appositions and one
        "of" phrase ("implementation of the Global Compact", "the commitments of the 2030
        Agenda"): "launching a guide on the 2030 Agenda" does not launch the 2030 Agenda.
        """
        heads: list[Token] = []
        if cue.pos_ == "NOUN":
            heads = [o for c in cue.children if c.lower_ == "of" for o in c.children]
        elif cue.dep_ == "acl":  # "the MIGOF endorsed by ..."
            heads = [self._modified_noun(cue)]
        else:
            subject = self._subject_of(cue)
            if subject is not None and subject.dep_ == "nsubjpass":
                heads = [subject]
            else:
                particles = self.cues.citation_verbs.get(cue.lemma_.lower(), ("", frozenset()))[1]
                for child in cue.children:
                    if child.dep_ in {"dobj", "attr", "oprd"}:
                        heads.append(child)
                    elif child.dep_ in {"prep", "prt"} and child.lower_ in particles:
                        heads.extend(o for o in child.children if o.dep_ == "pobj")
        found: list[Candidate] = []
        for head in heads:
            # "..., the Framework recently adopted by X, the Y, ...": a participle names only
            # the noun it follows, not the other items of the list around it.
            single = cue.dep_ == "acl"
            for member in (head,) if single else (head, *head.conjuncts):
                tokens = [member, *(c for c in member.children if c.dep_ == "appos")]
                tokens += [o for c in member.children if c.lower_ == "of" for o in c.children]
                for token in tokens:
                    for part in (
                        (token,) if single and token is member else (token, *token.conjuncts)
                    ):
                        framework = self._framework_at(part)
                        if framework is not None:
                            found.append(framework)
        return list(_unique(sorted(found, key=lambda c: c.start)))

    def _modified_noun(self, participle: Token) -> Token:
        """The noun a participle follows: "..., the Agenda, the Framework recently adopted by X".

        In a long list the parser may hang the participle on an earlier item; the framework
        written right before it (past adverbs) is the one it names.
        """
        token = participle
        while token.i > 0 and self.doc[token.i - 1].dep_ == "advmod":
            token = self.doc[token.i - 1]
        if token.i > 0 and self._framework_at(self.doc[token.i - 1]) is not None:
            return self.doc[token.i - 1]
        return participle.head

    def named_within(self, cue: Token) -> list[Candidate]:
        """Frameworks anywhere in a verb cue's own clause (not in clauses with another subject)."""
        if cue.pos_ == "NOUN":
            return []
        subject = self._subject_of(cue)
        skip = {t.i for t in subject.subtree} if subject is not None else set()
        found: list[Candidate] = []
        # Coordinated verbs carry their own objects (and are cues of their own if they are).
        # The agent phrase names who acts (see ``actor_of``), not what is referred to.
        stack = [
            c for c in cue.children if c.i not in skip and c.dep_ not in {"conj", "cc", "agent"}
        ]
        while stack:
            token = stack.pop()
            if token.dep_ in {"ccomp", "advcl", "relcl", "acl"} and self._subject_of(token):
                continue
            framework = self._framework_at(token)
            if framework is not None:
                found.append(framework)
            stack.extend(token.children)
        return list(_unique(sorted(found, key=lambda c: c.start)))

    def asserted(self, cue: Token) -> bool:
        """Whether an act is stated as done, not wished, proposed or foreseen.

        "States establish legal frameworks and ratify the protocols" under "helping to ensure
        that" is an aim; "will adopt", "should endorse" and "will present a plan" are not done
        yet (a future undertaking is recorded as a commitment instead). A call for
        implementation is about the future by nature and is exempt.
        """
        verb = cue
        while True:
            if any(
                c.dep_ in {"aux", "auxpass"} and c.lower_ in self.cues.hedges | {"will", "to"}
                for c in verb.children
            ):
                return False
            if verb.lemma_.lower() in self.cues.directives and verb.i != cue.i:
                return False
            if verb.head.i == verb.i or verb.dep_ not in {"xcomp", "ccomp", "conj", "advcl"}:
                return True
            verb = verb.head

    def acts(
        self, sentence: Span, previous_person: Candidate | None
    ) -> list[tuple[Candidate, Candidate, str]]:
        """(actor, framework, type) for every cue in the sentence whose actor is named."""
        found: list[tuple[Candidate, Candidate, str]] = []
        for token in sentence:
            cue_type = self.cue_type(token)
            if cue_type is None:
                continue
            if cue_type != "calls_for_implementation" and not self.asserted(token):
                continue
            actors = self.actor_of(token, previous_person)
            if not actors:
                continue
            objects = self.objects_of(token)
            for framework in objects:
                found.extend((actor, framework, cue_type) for actor in actors)
            # Frameworks deeper in the act's clause are referred to, not acted on: "created the
            # Scorecard to promote implementation of the commitments made in the Declaration".
            for framework in self.named_within(token):
                if all(framework is not o for o in objects):
                    found.extend((actor, framework, "cites") for actor in actors)
        return found + self.entries(sentence)

    def entries(self, sentence: Span) -> list[tuple[Candidate, Candidate, str]]:
        """Nominal acts written as timeline entries: "Adoption of X (with Y) by the Z".

        Timelines and annexes run such entries together without punctuation ("... by the UN
        General Assembly Adoption of the Migration Governance Framework by the IOM Council"),
        and the parser makes little of them, so they are read off the surface: the frameworks
        between "of" and the first "by" outside parentheses are acted on by the candidate
        right after that "by"; a capitalised event noun ("Launch", "Establishment") opens
        the next entry.
        """
        found: list[tuple[Candidate, Candidate, str]] = []
        tokens = list(sentence)
        for position, token in enumerate(tokens[:-1]):
            cue_type = self.cues.citation_nouns.get(token.lower_)
            if cue_type is None or tokens[position + 1].lower_ != "of":
                continue
            if self.candidate(token) is not None:
                continue  # a word of a name
            frameworks: list[Candidate] = []
            depth = 0
            for index in range(position + 2, len(tokens)):
                word = tokens[index]
                if word.text == "(":
                    depth += 1
                elif word.text == ")":
                    depth = max(0, depth - 1)
                elif (
                    word.is_title
                    and word.lower_ in self.cues.event_nouns
                    and self.candidate(word) is None
                ):
                    break  # the next entry
                elif word.lower_ == "by" and depth == 0:
                    actor = self._entry_actor(tokens[index + 1 : index + 3])
                    if actor is not None:
                        found.extend((actor, framework, cue_type) for framework in frameworks)
                        frameworks = []
                    break
                else:
                    framework = self._framework_at(word)
                    if framework is not None and all(framework is not f for f in frameworks):
                        frameworks.append(framework)
            # No "by": an entry that opens with a framework named after its maker ("Adoption of
            # the non-binding IOM Migration Crisis Operational Framework") or with its maker's
            # possessive ("Adoption of the Migration Working Group's Report") is the maker's act.
            if not frameworks or not token.is_title:
                continue
            opening_start = tokens[position + 1].idx
            makers = [
                c
                for c in self.index.within(opening_start, frameworks[0].start)
                if c.type in _SPEAKER_TYPES and self.text.startswith(("'s", "’s"), c.end)
            ]
            if makers:
                found.extend(
                    (makers[0], framework, cue_type)
                    for framework in frameworks
                    if "\n" not in self.text[makers[0].end : framework.start]
                )
            elif len(self.text[opening_start : frameworks[0].start].split()) <= 3:
                issuer = self._issuer(frameworks[0])
                found.extend((actor, frameworks[0], cue_type) for actor in issuer.actors)
        return found

    def _entry_actor(self, following: list[Token]) -> Candidate | None:
        """The named actor a "by" introduces: "by the IOM Council", "by UNHCR"."""
        for word in following:
            candidate = self.candidate(word)
            if candidate is not None:
                return candidate if candidate.type in _SPEAKER_TYPES else None
            if word.pos_ != "DET":
                return None
        return None

    def speaker_type(self, framework: Candidate, speakers: tuple[Candidate, ...]) -> str:
        """How the speakers relate to a framework they name: the cue that governs it, if theirs.

        A cue with an actor of its own, or an adoption nobody performs ("the lead-up to adoption
        of the Global Compact"), leaves the speaker merely citing; a call for implementation
        without an actor is the speaker's.
        """
        span = self.doc.char_span(framework.start, framework.end, alignment_mode="expand")
        if span is not None:
            token = span.root
            while token.head.i != token.i:
                token = token.head
                cue_type = self.cue_type(token)
                if cue_type is None:
                    continue
                actors = self.actor_of(token, None)
                if any(same_entity(a, s) for a in actors for s in speakers):
                    return cue_type
                if not actors and cue_type == "calls_for_implementation":
                    return cue_type
                return "cites"
        before = self.text[max(0, framework.start - 60) : framework.start].lower()
        for phrase, phrase_type in self.cues.citation_phrases:
            if phrase in before:
                return phrase_type
        return "cites"

    # ------------------------------------------------------------------ commitments

    def _commitment_cue(self, token: Token) -> tuple[str, Token, Token] | None:
        """(modality, predicate, last cue token) when ``token`` states a commitment."""
        lemma = token.lemma_.lower()
        cues = self.cues
        if token.pos_ in {"VERB", "ADJ"} and lemma in cues.commitment_verbs:
            modality, needs_infinitive = cues.commitment_verbs[lemma]
            if needs_infinitive and not any(c.dep_ == "xcomp" for c in token.children):
                return None
            # "The ILO is committed to strengthening ...": the copula carries the subject.
            predicate = token.head if token.dep_ == "acomp" else token
            return modality, predicate, token
        if token.pos_ == "NOUN" and lemma in cues.commitment_nouns:
            if token.head.lemma_.lower() in cues.makers and token.dep_ == "dobj":
                return cues.commitment_nouns[lemma], token.head, token
            if any(c.dep_ in {"poss", "prep"} for c in token.children):
                return cues.commitment_nouns[lemma], token, token
            return None
        if token.dep_ == "aux" and token.lower_ in cues.futures:
            predicate = token.head
            if (
                predicate.pos_ != "VERB"
                or predicate.lemma_.lower() in cues.stative | cues.scheduling
                or any(c.dep_ == "auxpass" for c in predicate.children)
                or predicate.sent.text.rstrip().endswith("?")
            ):
                return None
            return cues.futures[token.lower_], predicate, token
        return None

    def _committer(
        self, predicate: Token, cue: Token, previous_person: Candidate | None
    ) -> tuple[Candidate, ...]:
        if cue.pos_ == "NOUN" and predicate.i == cue.i:
            for child in cue.children:
                if child.dep_ == "poss":
                    resolved = self.resolve(child)
                    return resolved.actors if resolved.kind == "named" else ()
            # "the decision of the United Nations to form ..."
            return self._attached(cue, {"of", "by"}, _SPEAKER_TYPES)
        # "the EAC commits its Member States to the removal of obstacles": the object is bound.
        bound = next((c for c in predicate.children if c.dep_ == "dobj" and c.pos_ != "PRON"), None)
        if bound is not None and cue.i == predicate.i and cue.pos_ == "VERB":
            resolved = self.resolve(bound)
            if resolved.kind == "named":
                return tuple(a for a in resolved.actors if a.type in ACTOR_TYPES)
        subject = self._subject_of(predicate)
        verb = predicate
        while subject is None and verb.dep_ in {"xcomp", "conj", "advcl"} and verb.head.i != verb.i:
            verb = verb.head
            subject = self._subject_of(verb)
        if subject is None or subject.dep_ == "nsubjpass":
            return ()
        resolved = self.resolve(subject)
        if resolved.kind == "pronoun" and previous_person is not None:
            return (previous_person,)
        if resolved.kind == "named":
            return tuple(a for a in resolved.actors if a.type in ACTOR_TYPES)
        return ()

    def named_subject(self, predicate: Token) -> tuple[Candidate, ...]:
        """The named actors that are the subject of ``predicate`` (or of the verb it hangs
        from: "To implement ..., Member States have ...")."""
        return self._committer(predicate, predicate, None)

    def _object_span(self, predicate: Token, cue: Token) -> tuple[int, int]:
        """What is committed to: from after the cue to the end of the predicate's own phrase.

        A coordinated clause with its own subject ("..., and it will align itself ...") and a
        parenthesis closing around the cue are left out.
        """
        if cue.pos_ == "NOUN":
            # "the decision of the United Nations to form ...": the infinitive is the object.
            heads = [c for c in cue.children if c.dep_ in {"acl", "xcomp", "relcl"}]
            heads += [c for c in cue.children if c.dep_ == "prep" and c.lower_ == "to"]
            if heads:
                first = min(heads, key=lambda t: t.i)
                last = max((h.right_edge for h in heads), key=lambda t: t.i)
                return first.left_edge.idx, last.idx + len(last)
        start = cue.idx + len(cue)
        end = predicate.idx + len(predicate)
        bound = next(
            (c for c in cue.children if c.dep_ == "dobj" and c.left_edge.i == cue.i + 1), None
        )
        if (
            bound is not None
            and cue.pos_ == "VERB"
            and cue.lemma_.lower() in self.cues.commitment_verbs
        ):
            # "commits its Member States to ...", "committed itself to ...": who is bound is not
            # what they are bound to.
            last = bound.right_edge
            start = last.idx + len(last)
        for child in predicate.children:
            if child.i < cue.i or child.dep_ in {"punct", "cc"} or child is bound:
                continue
            if child.dep_ == "conj" and self._subject_of(child) is not None:
                continue
            # "..., noting that ...": a participle clause comments on the commitment.
            if child.dep_ == "advcl" and (child.tag_ == "VBG" or child.i < cue.i):
                continue
            last = child.right_edge
            end = max(end, last.idx + len(last))
        return start, end

    def _made_in(self, predicate: Token) -> Candidate | None:
        """The framework a commitment is made in: "in the New York Declaration, States made a
        commitment ..."."""
        for child in predicate.children:
            if child.dep_ == "prep" and child.lower_ in {"in", "under", "through"}:
                for obj in child.children:
                    framework = self._framework_at(obj)
                    # the preposition must stand before the name, not inside it
                    if framework is not None and framework.start > child.idx:
                        return framework
        return None

    def commitments(
        self, sentence: Span, frameworks: list[Candidate], previous_person: Candidate | None
    ) -> list[RawRelation]:
        """Commitments (and commitment-shaped proposals) stated in a sentence."""
        found: list[RawRelation] = []
        seen: set[int] = set()
        for token in sentence:
            cue = self._commitment_cue(token)
            if cue is None:
                continue
            modality, predicate, last = cue
            if predicate.i in seen:
                continue
            actors = self._committer(predicate, last, previous_person)
            if not actors:
                continue
            seen.add(predicate.i)
            hedged = any(
                c.lower_ in self.cues.hedges or c.lemma_.lower() in self.cues.hedges
                for c in predicate.children
                if c.dep_ == "aux"
            ) or any(
                t.lemma_.lower() in self.cues.hedges
                for t in predicate.ancestors
                if t.pos_ == "VERB"
            )
            obj_start, obj_end = self._object_span(predicate, last)
            obj = re.sub(r"\s+", " ", self.text[obj_start:obj_end]).strip(" ,;:.()")
            if not obj:
                continue
            made_in = self._made_in(predicate)
            in_object = [f for f in frameworks if obj_start <= f.start < obj_end]
            framework = made_in or (in_object[0] if in_object else None)
            attributes = (("modality", modality), ("object", obj[:300]))
            kind = "proposal" if hedged else "commitment"
            evidence = (sentence.start_char, sentence.end_char)
            for actor in actors:
                found.append(RawRelation(kind, actor, framework, *evidence, attributes))
                if made_in is not None and not hedged:
                    # Committing in a text is taking it on as one's own.
                    found.append(
                        RawRelation(
                            "citation", actor, made_in, *evidence, (("citation_type", "adopts"),)
                        )
                    )
        return found

    def parenthetical(self, sentence: Span) -> list[tuple[int, int, tuple[Candidate, ...]]]:
        """Clauses attributed by a closing parenthesis: "... sufficed (Ethiopia), called ...".

        A parenthesis that holds only actor names and ends a clause attributes the text since
        the previous such parenthesis; one right after an entity name is an apposition.
        """
        segments = []
        segment_start = sentence.start_char
        for match in _PARENTHESIS.finditer(self.text, sentence.start_char, sentence.end_char):
            group = 1 if match.group(1) is not None else 2
            inside = self.index.within(match.start(group), match.end(group))
            actors = [c for c in inside if c.type in _SPEAKER_TYPES]
            if not actors or len(actors) < len(inside):
                continue
            rest, held = _list_glue(self.text, match.start(group), match.end(group), actors)
            if not _LIST_GLUE.match(rest):
                continue
            actors = [a for a in actors if all(a is not h for h in held)]
            if not actors:
                continue
            before_end = match.start()
            while before_end > sentence.start_char and self.text[before_end - 1].isspace():
                before_end -= 1
            preceding = self.index.covering(before_end - 1, before_end)
            if preceding is not None and preceding.type != "framework":
                continue  # "Ola Henrikson (Sweden)", "International Organization (IOM)"
            word = re.search(r"(\w+)\W*$", self.text[segment_start:before_end])
            if word and word.group(1).lower().rstrip("s") in self.cues.anonymous_nouns:
                continue  # "Several speakers (Ethiopia, Denmark ...)" names the subject
            after = self.text[match.end() : match.end() + 1]
            if after and after not in ".,;:" and match.end() < sentence.end_char - 1:
                continue
            segments.append((segment_start, match.start(), _unique(actors)))
            segment_start = match.end()
        return segments


def _list_glue(
    text: str, start: int, end: int, actors: list[Candidate]
) -> tuple[str, list[Candidate]]:
    """What a bracketed list holds besides its actors, and the actors only named as an office.

    "[Colombia, Sweden, President of the General Assembly]": the office holder is listed by
    title, so the title is list glue and the General Assembly itself is not a speaker.
    """
    pieces: list[str] = []
    held: list[Candidate] = []
    position = start
    for actor in actors:
        before = text[position : actor.start]
        title = _TITLE_OF.search(before)
        if title is not None and any(w in load_title_words() for w in title.group(1).split()):
            held.append(actor)
            before = before[: title.start()]
        pieces.append(before)
        position = actor.end
    pieces.append(text[position:end])
    return "".join(pieces), held


def _head_words(name: str) -> set[str]:
    """The words a definite description of an organization may use: the word before its first
    preposition and its last word ("United Nations Network on Migration": network, migration).

    >>> sorted(_head_words("African Development Bank"))
    ['bank']
    >>> sorted(_head_words("United Nations Network on Migration"))
    ['migration', 'network']
    """
    words = re.findall(r"[A-Za-z]+", name)
    heads = {words[-1].lower()} if words else set()
    for before, word in itertools.pairwise(words):
        if word in {"of", "on", "for", "to", "in"}:
            heads.add(before.lower())
            break
    return heads


def _char_range(token: Token) -> tuple[int, int]:
    """The characters of a token's subtree."""
    last = token.right_edge
    return token.left_edge.idx, last.idx + len(last)
