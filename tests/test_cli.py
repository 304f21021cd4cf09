"""The command line: exit codes and one clear line on stderr, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migkg.cli import main
from tests.conftest import corpus_file


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "migkg", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "/nonexistent/path", "--out", "OUT"], "no such file or directory"),
        (["query", "no_such_query", "--store", "STORE"], "unknown query"),
        (["query", "MALFORMED", "--store", "STORE"], "malformed SPARQL"),
        (["query", "UPDATE", "--store", "STORE"], "read-only"),
        (["query", "who_cites", "--store", "STORE"], "missing parameter"),
        (["query", "people", "--store", "/nonexistent"], "no migkg store"),
        (["export", "--store", "STORE", "--format", "pdf"], "unknown export format"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(
    small_build: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    malformed = tmp_path / "bad.rq"
    malformed.write_text("SELECT ?x WHERE { ?x ?y }")
    update = tmp_path / "update.rq"
    update.write_text("PREFIX a: <http://a/>\nDELETE WHERE { ?s ?p ?o }")
    mapping = {
        "STORE": str(small_build),
        "OUT": str(tmp_path / "out"),
        "MALFORMED": str(malformed),
        "UPDATE": str(update),
    }
    result = _run(*[mapping.get(a, a) for a in args])
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_document_fails_the_build(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    result = _run("build", str(empty), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "holds no text" in result.stderr
    assert not (tmp_path / "out").exists()


def test_query_formats(small_build: Path) -> None:
    csv_result = _run("query", "states", "--store", str(small_build), "--format", "csv")
    assert csv_result.returncode == 0
    assert csv_result.stdout.splitlines()[0].startswith("name,iso3")
    assert "Mexico,MEX" in csv_result.stdout
    json_result = _run("query", "states", "--store", str(small_build), "--format", "json")
    assert '"head"' in json_result.stdout and '"bindings"' in json_result.stdout


def test_export_and_stats(small_build: Path, tmp_path: Path) -> None:
    for output in ("turtle", "nt", "jsonld", "xml"):
        target = tmp_path / f"graph.{output}"
        result = _run(
            "export", "--store", str(small_build), "--format", output, "--out", str(target)
        )
        assert result.returncode == 0, result.stderr
        assert target.stat().st_size > 1000
    stats = _run("stats", "--store", str(small_build))
    assert stats.returncode == 0 and "Citation" in stats.stdout


def test_build_validate_and_from_records(small_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", str(corpus_file("002")), "--out", str(out), "-j", "1", "--validate"]) == 0
    again = tmp_path / "again"
    assert (
        main(["build", "--from-records", str(small_build / "records.jsonl"), "--out", str(again)])
        == 0
    )
    assert (again / "graph.nq").read_bytes() == (small_build / "graph.nq").read_bytes()
    both = ["build", str(corpus_file("002")), "--from-records", str(out / "records.jsonl")]
    assert main([*both, "--out", str(tmp_path / "x")]) == 2
    assert main(["build", "--out", str(tmp_path / "y")]) == 2
    assert (
        main(["build", str(corpus_file("002")), "--engine", "hadoop", "--out", str(tmp_path / "z")])
        == 2
    )
    assert not any((tmp_path / name).exists() for name in ("x", "y", "z"))
