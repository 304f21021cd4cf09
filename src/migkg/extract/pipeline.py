"""The extraction pipeline: decode, normalise, parse, recognise entities and relations, records.

The statistical model is loaded behind :func:`load_language`, so a larger model can be swapped in
with the ``MIGKG_SPACY_MODEL`` environment variable (a package name or a model directory).
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from migkg.extract import components  # noqa: F401  (registers the spaCy factories)
from migkg.extract.assemble import assemble_records
from migkg.extract.components.sentences import make_layout_sentences  # noqa: F401
from migkg.extract.entities import EntityRecognizer
from migkg.extract.gazetteer import load_gazetteer
from migkg.extract.ingest import SourceDocument
from migkg.extract.normalize import NormalizedText, normalize_text
from migkg.extract.records import DocRecords
from migkg.extract.relations import find_relations
from migkg.extract.version import (
    DEFAULT_MODEL,
    PARALLEL_MIN_CHARS,
    PIPELINE_VERSION,
    pipeline_fingerprint,
)

__all__ = [
    "DEFAULT_MODEL",
    "PARALLEL_MIN_CHARS",
    "PIPELINE_VERSION",
    "Extractor",
    "load_language",
    "pipeline_fingerprint",
    "split_for_parsing",
]

logger = logging.getLogger(__name__)

_CHUNK_CHARS = 2000
_BATCH_SIZE = 16


def split_for_parsing(text: str, size: int = _CHUNK_CHARS) -> list[str]:
    """Cut clean text at line breaks into pieces of about ``size`` characters.

    The parser is markedly slower on one very long text than on the same text in pieces, and
    pieces let worker processes share a single long report. Joining the pieces gives the text
    back exactly.

    >>> split_for_parsing("aaaa\\nbb\\ncc", size=3)
    ['aaaa\\n', 'bb\\n', 'cc']
    """
    pieces = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            line_end = text.find("\n", end - 1, end + 4 * size)
            if line_end < 0:  # one very long line: cut after a sentence, or else at a space
                line_end = text.find(". ", end - 1, end + 4 * size)
            if line_end < 0:
                line_end = text.find(" ", end - 1)
            end = len(text) if line_end < 0 else line_end + 1
        pieces.append(text[start:end])
        start = end
    return pieces


@lru_cache(maxsize=2)
def load_language(model: str | None = None) -> Language:
    """Load the spaCy model (``MIGKG_SPACY_MODEL`` or the default) with migkg's components."""
    name = model or os.environ.get("MIGKG_SPACY_MODEL") or DEFAULT_MODEL
    nlp = spacy.load(name)
    before = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe("migkg_layout_sentences", before=before) if before else nlp.add_pipe(
        "migkg_layout_sentences", first=True
    )
    # Long PDF exports exceed spaCy's default guard; memory is bounded per document anyway.
    nlp.max_length = 5_000_000
    return nlp


class Extractor:
    """Runs the whole extraction stage over decoded documents."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp if nlp is not None else load_language()
        self.recognizer = EntityRecognizer(self.nlp, load_gazetteer())

    def extract(self, source: SourceDocument) -> DocRecords:
        """Extract the records of one document."""
        return next(self.extract_many([source]))

    def extract_many(
        self, sources: Iterable[SourceDocument], *, jobs: int = 1
    ) -> Iterator[DocRecords]:
        """Extract documents in input order, one at a time; ``jobs`` processes share the parsing.

        Documents flow through lazily: only the document being finished is held in memory.
        """
        pending = list(sources)
        total = sum(len(source.text) for source in pending)
        # Worker processes each load the model (about two seconds): only worth it for more text.
        processes = max(1, jobs) if total > PARALLEL_MIN_CHARS else 1
        normalized: dict[int, NormalizedText] = {}

        def numbered_pieces() -> Iterator[tuple[str, int]]:
            for number, source in enumerate(pending):
                normalized[number] = normalize_text(source.text)
                for chunk in split_for_parsing(normalized[number].text):
                    yield chunk, number

        parsed = self.nlp.pipe(
            numbered_pieces(), batch_size=_BATCH_SIZE, n_process=processes, as_tuples=True
        )
        done = 0
        for number, group in itertools.groupby(parsed, key=lambda item: item[1]):
            # Documents with no text produce no pieces: finish them in their turn.
            for empty in range(done, number):
                yield self._finish(pending[empty], normalized.pop(empty), [])
            parts = [doc for doc, _ in group]
            yield self._finish(pending[number], normalized.pop(number), parts)
            done = number + 1
        for empty in range(done, len(pending)):
            norm = normalized.pop(empty, None) or normalize_text(pending[empty].text)
            yield self._finish(pending[empty], norm, [])

    def _finish(self, source: SourceDocument, norm: NormalizedText, parts: list[Doc]) -> DocRecords:
        parts = parts or [self.nlp.make_doc("")]
        doc = Doc.from_docs(parts, ensure_whitespace=False) if len(parts) > 1 else parts[0]
        candidates = self.recognizer.recognize(doc, source.text)
        relations = find_relations(doc, candidates)
        records = assemble_records(source, norm, candidates, relations)
        logger.info(
            "%s: %d entities, %d mentions, %d relations",
            source.path,
            len(records.entities),
            len(records.mentions),
            len(records.relations),
        )
        return records
