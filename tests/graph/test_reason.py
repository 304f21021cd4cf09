"""migkg reason: HermiT on a build (consistency, inferred triples, inconsistency, time limit).

Hand-written graphs of a few quads keep HermiT runs short (about 2 s each, mostly Java start-up
and classifying the ontology); one test reasons over the two-document session build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph
import pytest

from migkg.cli import main
from migkg.errors import InconsistentGraphError, MigKGError
from migkg.graph.reason import INFERRED_GRAPH, INFERRED_TRIG, reason

pytestmark = [
    pytest.mark.java,
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for HermiT"),
]

MIG = "https://w3id.org/migkg/ontology#"
ID = "https://w3id.org/migkg/id/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ENTITIES = f"<{ID}graph/entities>"
DOC = f"<{ID}graph/document/002-x>"

# Typed only as mig:Actor, but mig:iso3 has the domain mig:State, mig:partOf the domain and
# range mig:Organization, and mig:adopts the range mig:Framework.
INFERABLE = f"""
<{ID}state/xyz> <{TYPE}> <{MIG}Actor> {ENTITIES} .
<{ID}state/xyz> <{MIG}iso3> "XYZ" {ENTITIES} .
<{ID}org/a> <{MIG}partOf> <{ID}org/b> {DOC} .
<{ID}org/a> <{MIG}adopts> <{ID}framework/f> {DOC} .
"""
# mig:Person and mig:State are disjoint; mig:iso3 is functional.
INCONSISTENT = f"""
<{ID}state/xyz> <{TYPE}> <{MIG}Person> {ENTITIES} .
<{ID}state/xyz> <{MIG}iso3> "XYZ" {DOC} .
"""


def _build(folder: Path, nquads: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "graph.nq").write_text(nquads.strip() + "\n", encoding="utf-8")
    return folder


def test_session_build_is_consistent(small_build: Path) -> None:
    result = reason(small_build)
    assert result.triples > 5_000
    assert result.seconds > 0
    assert not (small_build / INFERRED_TRIG).exists()  # nothing written without --materialize


def test_materialize_writes_inferred_types_into_their_own_graph(tmp_path: Path) -> None:
    build = _build(tmp_path / "out", INFERABLE)
    result = reason(build, materialize=True)
    inferred = {(t.subject.value, t.predicate.value, t.object.value) for t in result.inferred}
    assert (f"{ID}state/xyz", TYPE, f"{MIG}State") in inferred
    assert (f"{ID}org/a", TYPE, f"{MIG}Organization") in inferred
    assert (f"{ID}org/b", TYPE, f"{MIG}Organization") in inferred
    assert (f"{ID}framework/f", TYPE, f"{MIG}Framework") in inferred
    assert (f"{ID}state/xyz", TYPE, f"{MIG}Actor") not in inferred  # asserted, not inferred
    assert result.inferred_types == len(result.inferred)
    assert result.path == build / INFERRED_TRIG
    quads = list(pyoxigraph.parse(path=str(result.path), format=pyoxigraph.RdfFormat.TRIG))
    assert {q.graph_name for q in quads} == {pyoxigraph.NamedNode(INFERRED_GRAPH)}
    assert {(q.subject.value, q.predicate.value, q.object.value) for q in quads} == inferred
    assert sorted(p.name for p in build.iterdir()) == ["graph.nq", INFERRED_TRIG]


def test_inconsistency_names_the_cause(tmp_path: Path) -> None:
    build = _build(tmp_path / "out", INCONSISTENT)
    with pytest.raises(InconsistentGraphError) as raised:
        reason(build, materialize=True)
    message = str(raised.value)
    assert "inconsistent" in message
    assert f"<{ID}state/xyz> is both mig:Person and mig:State, which are disjoint" in message
    assert "002-x" in message  # the graphs that say so
    assert raised.value.exit_code == 1
    assert not (build / INFERRED_TRIG).exists()


def test_cli_exit_codes(tmp_path: Path) -> None:
    assert main(["reason", "--store", str(_build(tmp_path / "good", INFERABLE))]) == 0
    assert main(["reason", "--store", str(_build(tmp_path / "bad", INCONSISTENT))]) == 1
    assert main(["reason", "--store", str(tmp_path / "missing")]) == 2
    assert main(["reason", "--store", str(tmp_path / "good"), "--timeout", "0"]) == 2


def test_time_limit_stops_hermit(tmp_path: Path) -> None:
    build = _build(tmp_path / "out", INFERABLE)
    with pytest.raises(MigKGError, match="did not finish within") as raised:
        reason(build, timeout=0.01)
    assert not isinstance(raised.value, InconsistentGraphError)
