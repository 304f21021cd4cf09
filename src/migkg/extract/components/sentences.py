"""``migkg_layout_sentences``: a line break in normalised text always starts a new sentence.

Normalisation keeps a line break only where the layout means one (list items, table cells,
headings, signature lines); without this, the parser runs sentences across agenda bullets
and the recogniser glues a speaker to the organization on the next line.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, cast

from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["LayoutSentences", "make_layout_sentences"]

_OPENING_BRACKETS = frozenset(["[", "("])


class LayoutSentences:
    """Marks the token after every line break as a sentence start, and an opening bracket
    after a word as none (the parser does the rest)."""

    def __call__(self, doc: Doc) -> Doc:
        # One array write: setting Token.is_sent_start token by token re-checks the whole
        # document's annotation each time, which is quadratic on long reports.
        text = doc.text
        # Signed: -1 marks a token that must not start a sentence.
        starts = doc.to_array([SENT_START]).astype("int64")
        token_starts = doc.to_array([IDX]).tolist()
        changed = False
        position = text.find("\n")
        while position >= 0:
            following = bisect_right(token_starts, position)
            while following < len(doc) and doc[following].is_space:
                following += 1
            if 0 < following < len(doc):
                starts[following] = 1
                changed = True
            position = text.find("\n", position + 1)
        # A bracket right after a word does not open a sentence: "... setting priorities
        # [Colombia, Sweden, Chile]." cites its sources inside the sentence it closes.
        for token in doc[1:]:
            if token.text in _OPENING_BRACKETS and starts[token.i] != 1:
                previous = doc[token.i - 1]
                if previous.is_alpha and "\n" not in previous.whitespace_:
                    starts[token.i] = -1
                    changed = True
        if changed:
            # spaCy reads the column as uint64; -1 keeps its bits through the view.
            doc.from_array([SENT_START], cast(Any, starts.view("uint64")))
        return doc


@Language.factory("migkg_layout_sentences")
def make_layout_sentences(nlp: Language, name: str) -> LayoutSentences:
    """Create the component (spaCy factory)."""
    return LayoutSentences()
