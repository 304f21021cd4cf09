"""Streaming builds: records as input, leftovers of killed builds, worker processes, the union."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from migkg.errors import InputError
from migkg.extract import parallel
from migkg.extract.ingest import read_document
from migkg.extract.parallel import WorkerPool, extract_documents
from migkg.extract.pipeline import Extractor
from migkg.graph import builder
from migkg.graph.builder import CACHE_DIR, build, build_from_records
from migkg.graph.export import export_graph
from migkg.graph.store import build_lock, interrupted_builds, open_store
from tests.conftest import corpus_file

GRAPH_FILES = ("graph.nq", "graph.trig", "graph.ttl", "merge_log.jsonl", "records.jsonl")


def test_build_from_records_gives_the_same_graph(small_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    build_from_records(small_build / "records.jsonl", out)
    for name in GRAPH_FILES:
        assert (out / name).read_bytes() == (small_build / name).read_bytes(), name
    assert json.loads((out / "build.json").read_text()) == json.loads(
        (small_build / "build.json").read_text()
    )


def test_build_from_bad_records_is_refused(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text('{"doc_id": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"records\.jsonl:1: not a migkg record"):
        build_from_records(records, tmp_path / "out")
    records.write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="holds no records"):
        build_from_records(records, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_records_of_a_killed_build_are_reused_and_its_leftovers_removed(
    extractor: Extractor, small_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A build killed after extracting both documents left only its staging directory behind.
    out = tmp_path / "out"
    leftover = tmp_path / ".out.build-killed"
    shutil.copytree(small_build / CACHE_DIR, leftover / CACHE_DIR)
    (leftover / "graph.nq").write_bytes(b"<half")

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("nothing should be extracted again")

    monkeypatch.setattr(Extractor, "extract_many", refuse)
    build([str(corpus_file("002")), str(corpus_file("004"))], out, extractor=extractor)
    assert not leftover.exists()
    assert (out / "graph.nq").read_bytes() == (small_build / "graph.nq").read_bytes()


def test_output_set_aside_by_a_killed_swap_is_put_back(small_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_build, tmp_path / f".out.previous-{os.getpid()}")
    with build_lock(out):
        assert interrupted_builds(out) == []
    assert (out / "graph.nq").read_bytes() == (small_build / "graph.nq").read_bytes()


def test_worker_processes_give_the_same_records(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = [read_document(str(corpus_file(n))) for n in ("002", "004")]
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 0)  # two short documents: force workers
    in_workers = {r.doc_id: r.to_json() for r in extract_documents(sources, jobs=2)}
    here = {r.doc_id: r.to_json() for r in extractor.extract_many(sources)}
    assert in_workers == here


def test_union_exports_hold_every_triple_once(small_build: Path) -> None:
    quads = list(
        pyoxigraph.parse(path=small_build / "graph.nq", format=pyoxigraph.RdfFormat.N_QUADS)
    )
    distinct = {(q.subject, q.predicate, q.object) for q in quads}
    assert len(distinct) < len(quads)  # entity links do repeat across document graphs
    turtle = list(
        pyoxigraph.parse(path=small_build / "graph.ttl", format=pyoxigraph.RdfFormat.TURTLE)
    )
    assert len(turtle) == len(set(turtle))
    assert {(t.subject, t.predicate, t.object) for t in turtle} == distinct


def test_unchanged_document_graphs_are_not_built_again(
    extractor: Extractor, small_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_build, out)

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("an unchanged document graph was built again")

    monkeypatch.setattr(builder.GraphBuilder, "build", refuse)
    build([str(corpus_file("002")), str(corpus_file("004"))], out, extractor=extractor)
    for name in GRAPH_FILES:
        assert (out / name).read_bytes() == (small_build / name).read_bytes(), name


def test_a_damaged_cached_graph_is_built_again(
    extractor: Extractor, small_build: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_build, out)
    for cached in (out / CACHE_DIR).glob("graph-*.chunks"):
        cached.write_bytes(b"<not n-quads")
    build([str(corpus_file("002")), str(corpus_file("004"))], out, extractor=extractor)
    for name in GRAPH_FILES:
        assert (out / name).read_bytes() == (small_build / name).read_bytes(), name


def test_incremental_store_equals_a_fresh_one(
    extractor: Extractor, small_build: Path, tmp_path: Path
) -> None:
    # The previous store is copied and only changed graphs are replaced: 004 is dropped from
    # the build and 003 added, so one graph is kept, one removed and one added.
    out = tmp_path / "out"
    shutil.copytree(small_build, out)
    documents = [str(corpus_file("002")), str(corpus_file("003"))]
    build(documents, out, extractor=extractor)
    fresh = tmp_path / "fresh"
    build(documents, fresh, extractor=extractor)

    def quads(build_dir: Path) -> set[pyoxigraph.Quad]:
        return set(open_store(build_dir))

    assert quads(out) == quads(fresh)
    assert len(list(open_store(out).named_graphs())) == 3  # entities, 002, 003
    for name in GRAPH_FILES:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_graphs_built_in_worker_processes_give_the_same_output(
    extractor: Extractor, small_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_build / CACHE_DIR, tmp_path / ".out.build-killed" / CACHE_DIR)
    monkeypatch.setattr(builder, "PARALLEL_MIN_CHARS", 0)  # two short documents: force workers
    started: list[int] = []
    original = builder.GraphWorkers.__init__

    def counting(self: builder.GraphWorkers, pool: WorkerPool, *args: object) -> None:
        started.append(pool.jobs)
        original(self, pool, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(builder.GraphWorkers, "__init__", counting)
    for cached in (tmp_path / ".out.build-killed" / CACHE_DIR).glob("graph-*.chunks"):
        cached.unlink()  # records reused, every graph built again in the workers
    build([str(corpus_file("002")), str(corpus_file("004"))], out, extractor=extractor, jobs=2)
    assert started == [2]
    for name in GRAPH_FILES:
        assert (out / name).read_bytes() == (small_build / name).read_bytes(), name


@pytest.mark.parametrize("output", ["turtle", "trig"])
def test_exports_from_pieces_equal_the_streamed_export(
    small_build: Path, tmp_path: Path, output: str
) -> None:
    # The build writes each graph from pieces serialised in advance; `migkg export` streams
    # graph.nq through the writer. Both must give the very same bytes.
    streamed = export_graph(small_build, output, tmp_path / f"again.{output}")
    suffix = "ttl" if output == "turtle" else output
    assert streamed.read_bytes() == (small_build / f"graph.{suffix}").read_bytes()


def test_records_cached_without_summaries_are_still_reused(
    extractor: Extractor, small_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_build, out)
    summaries = list((out / CACHE_DIR).glob("*.summary.json"))
    assert len(summaries) == 2
    for summary in summaries:
        summary.unlink()

    def refuse(sources: list[object], **_: object) -> list[object]:
        assert not sources, "a cached document was extracted again"
        return []

    monkeypatch.setattr(builder, "extract_documents", refuse)
    build([str(corpus_file("002")), str(corpus_file("004"))], out, extractor=extractor)
    for name in GRAPH_FILES:
        assert (out / name).read_bytes() == (small_build / name).read_bytes(), name
    assert len(list((out / CACHE_DIR).glob("*.summary.json"))) == 2
