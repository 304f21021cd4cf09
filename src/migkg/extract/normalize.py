"""Text normalisation for NLP that keeps an exact map back to the original characters.

PDF-to-text output breaks sentences at every line and page, glues footnote markers to words and
leaves HTML and markdown behind. Every rewrite here is a regex pass that also rewrites an offset
table, so that a span of the clean text maps back to the exact characters of the original.

>>> original = "the Global Compact for\\n\\nMigration.¹ <b>IOM</b>"
>>> norm = normalize_text(original)
>>> norm.text
'the Global Compact for Migration. IOM'
>>> start, end = norm.to_original(4, 32)
>>> original[start:end]
'Global Compact for\\n\\nMigration'
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["NormalizedText", "normalize_text"]

_Replacement = Callable[[re.Match[str]], str]


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Clean text plus, for every clean character, its index in the original text.

    The indices increase, except where a footnote that interrupted a sentence was moved after
    its paragraph.
    """

    text: str
    offsets: tuple[int, ...]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean span ``[start, end)`` to the original span that covers it.

        >>> NormalizedText("ab", (0, 3), 4).to_original(0, 2)
        (0, 4)
        """
        if start >= end:
            position = self.offsets[start] if start < len(self.offsets) else self.original_length
            return position, position
        first, last = self.offsets[start], self.offsets[end - 1]
        if first <= last:
            return first, last + 1
        # A span across a footnote moved out of its sentence: cover all it was taken from.
        covered = self.offsets[start:end]
        return min(covered), max(covered) + 1


class _Rewriter:
    """Applies regex substitutions while composing the offset table."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets = list(range(len(text)))

    def sub(self, pattern: re.Pattern[str], replacement: str | _Replacement) -> None:
        """Replace every match; replacement characters map onto the matched characters."""
        pieces: list[str] = []
        offsets: list[int] = []
        position = 0
        for match in pattern.finditer(self.text):
            start, end = match.span()
            new = replacement if isinstance(replacement, str) else replacement(match)
            if new == match.group(0):
                continue
            pieces.append(self.text[position:start])
            offsets.extend(self.offsets[position:start])
            pieces.append(new)
            width = end - start
            # Kept characters map one to one; inserted ones map onto the last matched character.
            offsets.extend(self.offsets[start + min(i, width - 1)] for i in range(len(new)))
            position = end
        if not pieces:
            return
        pieces.append(self.text[position:])
        offsets.extend(self.offsets[position:])
        self.text = "".join(pieces)
        self.offsets = offsets

    def rearrange(self, spans: list[tuple[int, int]]) -> None:
        """Put the text together from ``spans`` of it, in that order; characters keep their
        original offsets (so a moved span still maps back to where it was written)."""
        self.text = "".join(self.text[start:end] for start, end in spans)
        self.offsets = [o for start, end in spans for o in self.offsets[start:end]]


_SCRIPT_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SUP = re.compile(r"<sup\b[^>]*>[^<]{0,12}</sup\s*>", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"</?(?:p|br|li|ul|ol|div|tr|td|th|table|h[1-6])\b[^>]*>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});")
_MD_STRONG = re.compile(r"\*{2,3}|(?<![A-Za-z0-9])_{2}(?=\S)|(?<=\S)_{2}(?![A-Za-z0-9])")
_MD_EM = re.compile(r"(?<![\w*\\])\*(?=[^\s*])|(?<=[^\s*\\])\*(?![\w*])")
_BOLD_CLOSE = re.compile(r"</(?:b|strong)\s*>", re.IGNORECASE)
_BOLD_OPEN = re.compile(r"<(?:b|strong)\b[^>]*>", re.IGNORECASE)
# Stands for a run-in heading's end until hard line breaks are joined, then becomes one.
_HEADING_END = "\u2029"
_HEADING_BREAK = re.compile(r" *\u2029 *")
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
_MD_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
_MD_ESCAPE = re.compile(r"\\([\\_$*#\[\]()<>&`-])")
_MD_RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.MULTILINE)
_SUPERSCRIPT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_BULLET = re.compile(r"[•▪◦●■□➢►]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_TAB = re.compile(r"\t")
_SPACES = re.compile(r"[ \xa0\u2000-\u200a\u202f\u3000]+")
_LINE_BREAK = re.compile(r"[ ]*(?:\r\n|\r|\n)(?:[ ]*(?:\r\n|\r|\n))*[ ]*")
_SPACE_BEFORE_PUNCT = re.compile(r" (?=[,.;:)\]](?:\s|$))")

_TERMINAL = ".!?:;”\"'’)]"
# Footnote bodies a page break left inside a sentence: "... Head of the Governing Bodies⏎⏎¹⁰
# International Organization for Migration, ...⏎⏎Division of IOM, pointed out ...".
_INTERRUPTING_NOTES = re.compile(
    r"[ \t]*\n[ \t]*\n((?:[ \t]*[⁰¹²³⁴⁵⁶⁷⁸⁹]+[ \t]*\S[^\n]*\n[ \t]*\n)+)(?=[ \t]*\S)"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_HYPHENS = "-‐‑–"
_JOINING_END = re.compile(
    r"(?:\b(?:and|or|of|the|a|an|in|on|for|to|with|by|at|from|as|its|their|his|her)|[,(&/])$",
    re.IGNORECASE,
)
_LIST_START = re.compile(r"^(?:[-–*]\s|\d{1,2}[.)]\s|[a-z][.)]\s|[A-Z ]{6,}$)")
_WRAPPED_LINE = 40


def _notes_moved_out(text: str) -> list[tuple[int, int]] | None:
    """Spans of ``text`` that put each footnote block interrupting a sentence after the end of
    that sentence's paragraph, or None when no block interrupts one."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _INTERRUPTING_NOTES.finditer(text):
        if match.start() < position:
            continue  # inside a paragraph already carried past an earlier block
        before = text[position : match.start()].rstrip()
        if not before or before[-1] in _TERMINAL:
            continue
        following = _PARAGRAPH_BREAK.search(text, match.end())
        paragraph_end = following.start() if following else len(text)
        notes_start = match.start(1)
        # The sentence, its line break (joined or kept later, like any other), the rest of the
        # paragraph, then the notes as paragraphs of their own.
        spans += [
            (position, match.start() + 1),
            (match.end(), paragraph_end),
            (match.start(), notes_start),
            (notes_start, match.end()),
        ]
        position = paragraph_end
    if not spans:
        return None
    return [*spans, (position, len(text))]


def _decode_entity(match: re.Match[str]) -> str:
    decoded = html.unescape(match.group(0))
    return decoded if len(decoded) == 1 else match.group(0)


def _inline_tag(match: re.Match[str]) -> str:
    """Drop an inline tag, but keep the end of a run-in bold heading as a break.

    "<b>PANEL 1: Governance of migration</b> To implement the 2030 Agenda, ...": the bold
    run opens its line (or a table cell) and the text after it starts anew, so the heading
    and the sentence are two units, not one.
    """
    if not _BOLD_CLOSE.fullmatch(match.group(0)):
        return ""
    text = match.string
    line_start = max(text.rfind("\n", 0, match.start()), text.rfind("\t", 0, match.start())) + 1
    opening = _BOLD_OPEN.match(
        text, line_start + len(text[line_start:]) - len(text[line_start:].lstrip(" "))
    )
    if opening is None or "<" in text[opening.end() : match.start()]:
        return ""
    heading = text[opening.end() : match.start()].rstrip()
    following = text[match.end() : match.end() + 2].lstrip(" ")
    if not heading or heading[-1] in _TERMINAL or not following[:1].isupper():
        return ""
    return _HEADING_END


def _join_lines(text: str) -> _Replacement:
    """Decide, for a run of line breaks, whether it ends a unit or only wraps a line."""

    def decide(match: re.Match[str]) -> str:
        start, end = match.span()
        line_start = text.rfind("\n", 0, start) + 1
        previous = text[line_start:start]
        next_end = text.find("\n", end)
        following = text[end : next_end if next_end >= 0 else len(text)]
        if not previous.strip() or not following:
            return "\n"
        last = previous.rstrip()[-1]
        if last in _HYPHENS and previous.rstrip()[-2:-1].isalpha() and following[0].isalpha():
            return ""  # a word hyphenated at the line end: "Director-⏎General"
        if _LIST_START.match(following) or last in _TERMINAL or "©" in previous:
            return "\n"  # a photo credit ("© IOM/Rahma Soliman") closes its caption
        open_parens = previous.count("(") > previous.count(")")
        if (
            following[0].islower()
            or open_parens
            or _JOINING_END.search(previous.rstrip())
            or len(previous) >= _WRAPPED_LINE
        ):
            return " "
        return "\n"

    return decide


def normalize_text(text: str, *, markup: bool = True) -> NormalizedText:
    """Clean ``text`` for NLP and keep the offset map.

    Parameters
    ----------
    text:
        The original decoded text.
    markup:
        Strip HTML tags and markdown emphasis (on by default: converted PDFs contain both).
    """
    rewriter = _Rewriter(text)
    rewriter.sub(_CONTROL, " ")
    if markup:
        rewriter.sub(_SCRIPT_STYLE, "")
        rewriter.sub(_HTML_COMMENT, "")
        rewriter.sub(_SUP, " ")
        rewriter.sub(_BLOCK_TAG, "\n")
        rewriter.sub(_INLINE_TAG, _inline_tag)
        rewriter.sub(_ENTITY, _decode_entity)
        rewriter.sub(_MD_RULE, "")
        rewriter.sub(_MD_HEADING, "")
        rewriter.sub(_MD_QUOTE, "")
        rewriter.sub(_MD_STRONG, "")
        rewriter.sub(_MD_EM, "")
        rewriter.sub(_MD_ESCAPE, lambda m: m.group(1))
    moves = _notes_moved_out(rewriter.text)
    if moves is not None:
        rewriter.rearrange(moves)
    rewriter.sub(_SUPERSCRIPT, " ")
    rewriter.sub(_BULLET, "\n")
    rewriter.sub(_TAB, "\n")
    rewriter.sub(_SPACES, " ")
    rewriter.sub(_LINE_BREAK, _join_lines(rewriter.text))
    rewriter.sub(_HEADING_BREAK, "\n")
    rewriter.sub(_SPACES, " ")
    rewriter.sub(_SPACE_BEFORE_PUNCT, "")
    clean = rewriter.text
    # Trim the ends without losing the map.
    lead = len(clean) - len(clean.lstrip())
    trail = len(clean.rstrip())
    return NormalizedText(
        text=clean[lead:trail],
        offsets=tuple(rewriter.offsets[lead:trail]),
        original_length=len(text),
    )
