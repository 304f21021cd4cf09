"""Find input documents and decode them into original text.

Offsets in every record are code points of the text returned here. For ``.txt``, ``.md`` and
``.html`` that is the decoded file itself; for ``.pdf`` it is the text layer pypdf extracts
(PDF files have no character stream of their own), which the build writes beside the graph.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from migkg.errors import (
    EmptyDocumentError,
    InputError,
    UnreadableDocumentError,
    UnsupportedFormatError,
)

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "SUPPORTED_SUFFIXES",
    "SourceDocument",
    "discover_documents",
    "document_id",
    "read_document",
]

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
}
# Files that describe a folder rather than belong to it are skipped when a folder is walked.
_FOLDER_NOTES = re.compile(r"^(readme|license|licence|changelog|contributing)(\.|$)", re.I)
MAX_DOCUMENT_BYTES = 200 * 1024 * 1024
_BINARY_SIGNATURES = (b"\x89PNG", b"PK\x03\x04", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"%PDF")


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A decoded input document."""

    path: str  # as given by the user (or as found under a folder the user gave)
    doc_id: str
    text: str
    media_type: str
    content_hash: str
    warnings: tuple[str, ...] = field(default=())


def discover_documents(paths: list[str]) -> list[str]:
    """Expand files and folders into a sorted, duplicate-free list of document paths.

    Raises
    ------
    InputError
        A path does not exist, or nothing readable was found.
    """
    found: list[str] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError(f"{given}: no such file or directory")
        if path.is_dir():
            walked = _walk(path)
            if not walked:
                raise InputError(
                    f"{given}: no supported documents ({', '.join(sorted(SUPPORTED_SUFFIXES))})"
                )
            found.extend(walked)
        else:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise UnsupportedFormatError(
                    f"{given}: unsupported file type {path.suffix or '(none)'!r}; "
                    f"migkg reads {', '.join(sorted(SUPPORTED_SUFFIXES))}"
                )
            found.append(given)
    unique: dict[str, str] = {}
    for item in found:
        unique.setdefault(os.path.realpath(item), item)
    return sorted(unique.values())


def _walk(folder: Path) -> list[str]:
    results: list[str] = []
    seen: set[str] = set()
    # followlinks=False: a symlink loop cannot make the walk run forever.
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or _FOLDER_NOTES.match(name):
                continue
            if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            full = os.path.join(root, name)
            real = os.path.realpath(full)
            if real in seen or not os.path.isfile(real):
                continue
            seen.add(real)
            results.append(full)
    return results


def document_id(path: str) -> str:
    """A readable, stable identifier from a file name.

    >>> document_id("../corpus/000_bfcac39f6875dec3.txt")
    '000-bfcac39f6875dec3'
    >>> document_id("Rapport final (été).pdf")
    'rapport-final-ete'
    """
    stem = Path(path).stem
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug or "document"


def read_document(path: str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> SourceDocument:
    """Read and decode one document.

    Raises
    ------
    UnreadableDocumentError
        Binary data, a corrupt or encrypted PDF, or an undecodable encoding.
    EmptyDocumentError
        No text at all once decoded.
    """
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{path}: not a readable file")
    size = file.stat().st_size
    if size > max_bytes:
        raise UnreadableDocumentError(
            f"{path}: {size} bytes is over the limit of {max_bytes} bytes per document"
        )
    try:
        data = file.read_bytes()
    except OSError as error:
        raise UnreadableDocumentError(f"{path}: cannot be read ({error.strerror})") from error
    suffix = file.suffix.lower()
    media_type = SUPPORTED_SUFFIXES.get(suffix)
    if media_type is None:
        raise UnsupportedFormatError(f"{path}: unsupported file type {suffix or '(none)'!r}")
    warnings: list[str] = []
    if media_type == "application/pdf":
        text = _pdf_text(path, data)
    else:
        text = _decode(path, data, warnings)
    if not text.strip():
        raise EmptyDocumentError(f"{path}: the document holds no text")
    if media_type == "text/html" and not _visible_html_text(text):
        raise EmptyDocumentError(f"{path}: the HTML holds no visible text")
    return SourceDocument(
        path=path,
        doc_id=document_id(path),
        text=text,
        media_type=media_type,
        content_hash=hashlib.sha256(data).hexdigest(),
        warnings=tuple(warnings),
    )


def _decode(path: str, data: bytes, warnings: list[str]) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        warnings.append(f"{path}: decoded as UTF-16 (byte order mark)")
        logger.warning("%s: decoded as UTF-16", path)
        return data.decode("utf-16")
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        raise UnreadableDocumentError(f"{path}: binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: legacy Windows/Latin-1 exports are common in policy archives.
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > max(8, len(text) // 1000):
        raise UnreadableDocumentError(f"{path}: neither UTF-8 nor cp1252/Latin-1 text")
    warnings.append(f"{path}: not UTF-8, decoded as cp1252 (Latin-1)")
    logger.warning("%s: not UTF-8, decoded as cp1252", path)
    return text


def _visible_html_text(text: str) -> str:
    stripped = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", text, flags=re.I | re.S)
    return re.sub(r"<[^>]*>", " ", stripped).strip()


def _pdf_text(path: str, data: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableDocumentError(f"{path}: the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableDocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnreadableDocumentError(f"{path}: not a readable PDF ({error})") from error
    return "\n\n".join(pages)
