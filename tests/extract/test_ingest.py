"""Bad input gets one clear error and loses nothing."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from migkg.errors import EmptyDocumentError, InputError, UnreadableDocumentError
from migkg.extract.ingest import discover_documents, document_id, read_document


def test_utf8_text_is_read_as_is(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Jürg Lauber — Switzerland", encoding="utf-8")
    document = read_document(str(path))
    assert document.text == "Jürg Lauber — Switzerland"
    assert document.warnings == ()
    assert len(document.content_hash) == 64


@pytest.mark.parametrize("content", [b"", b"   \n\t  \n"])
def test_empty_and_whitespace_only_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyDocumentError, match="holds no text"):
        read_document(str(path))


def test_png_renamed_to_txt_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "picture.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(UnreadableDocumentError, match="binary"):
        read_document(str(path))


def test_zip_renamed_to_md_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "archive.md"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    with pytest.raises(UnreadableDocumentError):
        read_document(str(path))


def test_utf16_with_bom_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("International Organization for Migration".encode("utf-16"))
    document = read_document(str(path))
    assert document.text == "International Organization for Migration"
    assert "UTF-16" in document.warnings[0]


def test_latin1_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Gómez-Camacho, México".encode("latin-1"))
    document = read_document(str(path))
    assert document.text == "Gómez-Camacho, México"
    assert "cp1252" in document.warnings[0]


def test_html_of_only_scripts_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><script>var a = 1;</script><style>p{}</style></html>")
    with pytest.raises(EmptyDocumentError, match="no visible text"):
        read_document(str(path))


def test_truncated_pdf_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    with pytest.raises(UnreadableDocumentError, match="PDF"):
        read_document(str(path))


def test_oversized_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    with pytest.raises(UnreadableDocumentError, match="over the limit"):
        read_document(str(path), max_bytes=100)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        discover_documents([str(tmp_path / "nope")])


def test_folder_without_documents(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b")
    with pytest.raises(InputError, match="no supported documents"):
        discover_documents([str(tmp_path)])


def test_symlink_loop_and_folder_notes_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("about this folder")
    (tmp_path / "report été 2017.txt").write_text("IOM met in Geneva.")
    os.symlink(tmp_path, tmp_path / "loop")
    found = discover_documents([str(tmp_path)])
    assert [Path(p).name for p in found] == ["report été 2017.txt"]
    assert document_id(found[0]) == "report-ete-2017"
