"""Build output: deterministic, atomic, locked, and valid against the SHACL shapes."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

import pyshacl
import pytest
import rdflib

from migkg.errors import BuildError, InputError
from migkg.extract.pipeline import Extractor
from migkg.graph.builder import build
from migkg.graph.store import build_lock
from tests.conftest import corpus_file

OUTPUTS = ("graph.trig", "graph.ttl", "graph.nq", "records.jsonl", "merge_log.jsonl", "build.json")


def test_same_input_gives_byte_identical_output(
    extractor: Extractor, small_build: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    build([str(corpus_file("002")), str(corpus_file("004"))], again, extractor=extractor, jobs=1)
    for name in OUTPUTS:
        assert (again / name).read_bytes() == (small_build / name).read_bytes(), name


def test_failed_build_leaves_the_previous_output(
    extractor: Extractor, small_build: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_build, out)
    before = (out / "graph.trig").read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InputError):
        build([str(corpus_file("002")), str(bad)], out, extractor=extractor)
    assert (out / "graph.trig").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.build")) == []


def test_second_concurrent_build_fails_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with build_lock(out), pytest.raises(BuildError, match="another build"), build_lock(out):
        pass


def test_build_conforms_to_the_shapes(extractor: Extractor, tmp_path: Path) -> None:
    # pySHACL's SPARQL-based constraints are slow; one short document keeps this test quick.
    out = tmp_path / "out"
    build([str(corpus_file("002"))], out, extractor=extractor)
    dataset = rdflib.Dataset()
    dataset.parse(out / "graph.nq", format="nquads")
    data = rdflib.Graph()
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        data.add((subject, predicate, obj))
    ontology = rdflib.Graph().parse(str(files("migkg.ontology") / "migkg.ttl"))
    shapes = rdflib.Graph().parse(str(files("migkg.ontology") / "shapes.ttl"))
    conforms, _, text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True
    )
    assert conforms, text[:3000]


def test_rebuild_reuses_unchanged_documents(
    extractor: Extractor, small_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_build, out)
    extracted: list[str] = []
    original = Extractor.extract_many

    def counting(self: Extractor, sources: list, **kwargs: object):  # type: ignore[no-untyped-def]
        sources = list(sources)
        extracted.extend(s.doc_id for s in sources)
        return original(self, sources, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Extractor, "extract_many", counting)
    build(
        [str(corpus_file("002")), str(corpus_file("004")), str(corpus_file("003"))],
        out,
        extractor=extractor,
    )
    assert extracted == [corpus_file("003").stem.replace("_", "-")]
    fresh = tmp_path / "fresh"
    build(
        [str(corpus_file("002")), str(corpus_file("004")), str(corpus_file("003"))],
        fresh,
        extractor=extractor,
    )
    for name in ("graph.trig", "graph.nq", "records.jsonl"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
