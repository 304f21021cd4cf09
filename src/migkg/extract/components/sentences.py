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


class LayoutSentences:
    """Marks the token after every line break as a sentence start (the parser does the rest)."""

    def __call__(self, doc: Doc) -> Doc:
        # One array write: setting Token.is_sent_start token by token re-checks the whole
        # document's annotation each time, which is quadratic on long reports.
        text = doc.text
        starts = doc.to_array([SENT_START])
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
        if changed:
            doc.from_array([SENT_START], cast(Any, starts))
        return doc


@Language.factory("migkg_layout_sentences")
def make_layout_sentences(nlp: Language, name: str) -> LayoutSentences:
    """Create the component (spaCy factory)."""
    return LayoutSentences()
