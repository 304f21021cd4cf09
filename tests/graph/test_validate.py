"""migkg validate: SHACL per named graph, violations grouped by message, exit codes.

Only the 002 document graph of the session build is validated (about 6 s: pySHACL over the
document plus the entities graph); the other cases are a few hand-written quads.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from migkg.cli import main
from migkg.errors import InputError
from migkg.graph.validate import select_graphs, validate_build

OA = "http://www.w3.org/ns/oa#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ID = "https://w3id.org/migkg/id/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def broken_build(small_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session build with two faults in document 002: a quote one character long where the
    span is longer (a SPARQL-based constraint), and an oa:start typed xsd:integer."""
    lines = (small_build / "graph.nq").read_text(encoding="utf-8").splitlines()
    quote = next(
        i
        for i, line in enumerate(lines)
        if line.startswith(f"<{ID}evidence/002") and f"<{OA}exact>" in line
    )
    lines[quote] = re.sub(r'"(?:[^"\\]|\\.)*"(\^\^<[^>]+>)?(?= <)', '"x"', lines[quote])
    start = next(
        i
        for i, line in enumerate(lines)
        if line.startswith(f"<{ID}evidence/002") and f"<{OA}start>" in line
    )
    lines[start] = lines[start].replace(f"<{XSD}nonNegativeInteger>", f"<{XSD}integer>")
    out = tmp_path_factory.mktemp("broken") / "out"
    out.mkdir()
    (out / "graph.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_document_002_conforms(small_build: Path) -> None:
    report = validate_build(small_build, document="002")
    assert report.conforms, report.by_message()[:3]
    assert report.violations == []
    [check] = report.graphs
    assert check.graph.startswith(f"{ID}graph/document/002-")
    assert check.triples > 500
    assert 0 < check.focus_nodes <= check.triples


def test_violations_are_grouped_by_message(broken_build: Path) -> None:
    report = validate_build(broken_build, document="002")
    assert not report.conforms
    groups = dict(report.by_message())
    quote = [m for m in groups if m.startswith("The oa:exact quote (1 characters)")]
    assert len(quote) == 1, list(groups)  # the SPARQL constraint, with {?value} filled in
    [violation] = groups[quote[0]]
    assert violation.focus.startswith(f"{ID}evidence/002")
    assert violation.value == "1"
    assert violation.component == "SPARQLConstraintComponent"
    start = groups[
        "A text position selector needs one oa:start (xsd:nonNegativeInteger) not after its oa:end."
    ]
    assert [v.path for v in start] == ["oa:start"]
    assert {v.graph for v in report.violations} == {report.graphs[0].graph}


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # a person without a name, in the entities graph
    (out / "graph.nq").write_text(
        f"<{ID}person/x> <{TYPE}> <https://w3id.org/migkg/ontology#Person> "
        f"<{ID}graph/entities> .\n",
        encoding="utf-8",
    )
    assert main(["validate", "--store", str(out)]) == 1
    printed = capsys.readouterr()
    assert "named entity" in printed.out  # the table (rich wraps it to the terminal width)
    assert "does not conform to the SHACL shapes: 2 result(s)" in " ".join(printed.err.split())
    assert main(["validate", "--store", str(out), "--document", "002"]) == 2
    assert "no document '002'" in capsys.readouterr().err


def test_select_graphs() -> None:
    graphs = [f"{ID}graph/document/002-aa", f"{ID}graph/document/002-bb", f"{ID}graph/entities"]
    assert select_graphs(graphs, "002-bb") == f"{ID}graph/document/002-bb"
    assert select_graphs(graphs, f"{ID}document/002-aa") == f"{ID}graph/document/002-aa"
    with pytest.raises(InputError, match="ambiguous"):
        select_graphs(graphs, "002")
    with pytest.raises(InputError, match="no document"):
        select_graphs(graphs, "entities")


def test_entities_a_document_points_to_are_checked_with_it(
    small_build: Path, tmp_path: Path
) -> None:
    # Only the part of the entities graph a document reaches goes into its check: the types of
    # the frameworks it cites must still be there for sh:class.
    entities_graph = f"<{ID}graph/entities>"
    lines = [
        line
        for line in (small_build / "graph.nq").read_text(encoding="utf-8").splitlines()
        if not (
            line.startswith(f"<{ID}framework/")
            and f"<{TYPE}>" in line
            and line.endswith(f"{entities_graph} .")
        )
    ]
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate_build(out, document="002")
    messages = dict(report.by_message())
    assert "A citation needs exactly one mig:hasFramework of class mig:Framework." in messages
