"""The Spark engine: the same records as the local engine, in input order.

Spark starts once for the module, on local[2]: about 8 s for the JVM, then each Python worker
loads the model. The module took 57 to 76 s on a shared two-core machine under a load of about
6, mostly for that start-up and for the local engine's runs.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from migkg.errors import EngineError, InputError
from migkg.extract.ingest import SourceDocument, read_document
from migkg.extract.pipeline import Extractor
from migkg.extract.records import DocRecords
from migkg.extract.spark import extract_with_spark
from migkg.graph.builder import build
from tests.conftest import corpus_file

no_java = pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for Spark")

SENTENCES = (
    "The International Organization for Migration (IOM) welcomed the Global Compact for Safe, "
    "Orderly and Regular Migration.\n",
    "Mexico and Canada committed to implement the Global Compact on Refugees.\n",
    "Ms. Amy Pope, Director General of IOM, addressed the Regional Review in Bangkok.\n",
)


@dataclass
class SparkRun:
    corpus: list[DocRecords]
    short: list[DocRecords]
    running_after_nested: bool
    running_after_all: bool
    build: Path  # `build(..., engine="spark")` of 002 and 004


@pytest.fixture(scope="module")
def corpus_sources() -> list[SourceDocument]:
    return [read_document(str(corpus_file("002"))), read_document(str(corpus_file("004")))]


@pytest.fixture(scope="module")
def short_sources() -> list[SourceDocument]:
    """Twenty short documents, each longer than the one before."""
    sources = []
    for number in range(20):
        text = "".join(SENTENCES[i % len(SENTENCES)] for i in range(number + 1))
        sources.append(
            SourceDocument(
                path=f"short-{number:02d}.txt",
                doc_id=f"short-{number:02d}",
                text=text,
                media_type="text/plain",
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    return sources


@pytest.fixture(scope="module")
def spark_run(
    corpus_sources: list[SourceDocument],
    short_sources: list[SourceDocument],
    tmp_path_factory: pytest.TempPathFactory,
) -> SparkRun:
    """One Spark start: a run on local[2] that, halfway through, lends its session to another.

    The longest documents are dealt out first, so both runs get records back out of input
    order; the second one, 20 documents in tasks of 8, also takes two waves.
    """
    pytest.importorskip("pyspark")
    from pyspark import SparkContext

    run = extract_with_spark(corpus_sources, master="local[2]", partitions=2)
    first = next(run)
    short = list(extract_with_spark(short_sources, partitions=2))
    out = tmp_path_factory.mktemp("spark") / "out"
    build([str(corpus_file("002")), str(corpus_file("004"))], out, engine="spark")
    running_after_nested = SparkContext._active_spark_context is not None
    rest = list(run)
    return SparkRun(
        corpus=[first, *rest],
        short=short,
        running_after_nested=running_after_nested,
        running_after_all=SparkContext._active_spark_context is not None,
        build=out,
    )


@pytest.mark.spark
@pytest.mark.java
@no_java
def test_a_spark_build_equals_the_local_build(spark_run: SparkRun, small_build: Path) -> None:
    for name in ("graph.nq", "graph.trig", "graph.ttl", "records.jsonl", "merge_log.jsonl"):
        assert (spark_run.build / name).read_bytes() == (small_build / name).read_bytes(), name


@pytest.mark.spark
@pytest.mark.java
@no_java
def test_corpus_records_equal_the_local_engine_in_input_order(
    spark_run: SparkRun, corpus_sources: list[SourceDocument], extractor: Extractor
) -> None:
    expected = [extractor.extract(source).to_json() for source in corpus_sources]
    assert [records.to_json() for records in spark_run.corpus] == expected


@pytest.mark.spark
@pytest.mark.java
@no_java
def test_records_of_several_waves_come_back_in_input_order(
    spark_run: SparkRun, short_sources: list[SourceDocument], extractor: Extractor
) -> None:
    expected = [extractor.extract(source).to_json() for source in short_sources]
    assert [records.to_json() for records in spark_run.short] == expected


@pytest.mark.spark
@pytest.mark.java
@no_java
def test_a_running_session_is_reused_and_left_running(spark_run: SparkRun) -> None:
    assert spark_run.running_after_nested
    assert not spark_run.running_after_all  # the run that started Spark stopped it


def test_missing_pyspark_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, short_sources: list[SourceDocument]
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # makes `import pyspark` fail
    with pytest.raises(EngineError, match=r"pip install 'migkg\[spark\]'"):
        extract_with_spark(short_sources)


def test_empty_input_starts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    pyspark = pytest.importorskip("pyspark")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("Spark was started for no documents")

    monkeypatch.setattr(pyspark, "SparkContext", refuse)
    assert list(extract_with_spark([], master="local[2]")) == []


def test_partitions_below_one_are_refused(short_sources: list[SourceDocument]) -> None:
    with pytest.raises(InputError, match="partitions"):
        extract_with_spark(short_sources, partitions=0)
