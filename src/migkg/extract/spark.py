"""Extraction as a Spark job: the driver reads the documents, the executors extract them.

Needs the optional extra: ``pip install 'migkg[spark]'`` on the driver and on every executor.
Each executor runs the same :class:`~migkg.extract.pipeline.Extractor` as the local engine, so
the records are byte for byte those of a local build.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import os
import sys
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import fields
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from migkg.errors import EngineError, InputError
from migkg.extract.ingest import SourceDocument
from migkg.extract.pipeline import Extractor
from migkg.extract.records import DocRecords

if TYPE_CHECKING:
    from pyspark import SparkContext

__all__ = ["extract_with_spark"]

logger = logging.getLogger(__name__)

_INSTALL_HINT = "pip install 'migkg[spark]'"
_MODEL_VARIABLE = "MIGKG_SPACY_MODEL"
# Documents go to Spark in waves of this many per task, one job per wave. The driver then holds
# the texts and records of a few waves at a time rather than of the whole corpus, and records
# arrive (and can be cached) while later waves run.
_DOCUMENTS_PER_TASK = 8
# Two jobs in flight: Spark's FIFO scheduler gives the earlier wave every free slot, and the next
# wave's tasks fill the slots its last, longest tasks leave idle.
_WAVES_IN_FLIGHT = 2
# Spark's start-up log would bury migkg's own output, and its console progress bar would garble
# migkg's progress bar; a command-line tool has no use for the web UI.
_QUIET_CONF = {
    "spark.log.level": "ERROR",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}
# A local run needs no network interface; this also spares hosts whose name resolves badly.
_LOCAL_CONF = {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"}

# One document travels as (position in the input, the SourceDocument fields in order).
_Row = tuple[int, tuple[Any, ...]]


def extract_with_spark(
    sources: Sequence[SourceDocument],
    *,
    master: str | None = None,
    partitions: int | None = None,
    app_name: str = "migkg",
) -> Iterator[DocRecords]:
    """Extract ``sources`` on Spark executors and yield their records in input order.

    Parameters
    ----------
    sources
        Decoded documents; their texts are shipped from the driver to the executors.
    master
        Spark master URL (``local[4]``, ``spark://host:7077``, ...). None uses the running
        Spark session if there is one (as under ``spark-submit``), else Spark's own default
        (the ``spark-submit --master`` option or ``local[*]``).
    partitions
        Extraction tasks per Spark job; each task loads the language model once. Default:
        twice the cluster's default parallelism. Documents go in waves of about eight per
        task, one job per wave, so records arrive while later waves are still running.
    app_name
        The application name shown by the cluster manager.

    Raises
    ------
    EngineError
        pyspark is not installed, Spark cannot start, or the job failed.
    InputError
        ``partitions`` is below 1.
    """
    if partitions is not None and partitions < 1:
        raise InputError(f"partitions must be at least 1, got {partitions}")
    try:
        import pyspark  # noqa: F401
    except ImportError as error:
        raise EngineError(f"the Spark engine needs pyspark: {_INSTALL_HINT}") from error
    if not sources:
        return iter(())
    return _run(list(sources), master=master, partitions=partitions, app_name=app_name)


def _run(
    sources: list[SourceDocument], *, master: str | None, partitions: int | None, app_name: str
) -> Iterator[DocRecords]:
    from py4j.protocol import Py4JError

    context, started_here = _context(master, app_name)
    tasks = min(len(sources), partitions or 2 * context.defaultParallelism)
    size = tasks * _DOCUMENTS_PER_TASK
    waves = (
        range(start, min(start + size, len(sources))) for start in range(0, len(sources), size)
    )
    group = f"migkg-extract-{uuid.uuid4().hex}"
    logger.info(
        "extracting %d documents on %s, %d tasks at a time", len(sources), context.master, tasks
    )
    pool = ThreadPoolExecutor(_WAVES_IN_FLIGHT, thread_name_prefix="migkg-spark")
    running: deque[Future[list[tuple[int, str]]]] = deque()
    try:
        running.extend(
            pool.submit(_run_wave, context, group, sources, wave, tasks)
            for wave in itertools.islice(waves, _WAVES_IN_FLIGHT)
        )
        while running:
            rows = running.popleft().result()
            # The next wave starts before this one is handed over, so at most three waves of
            # records are held here at once.
            following = next(waves, None)
            if following is not None:
                running.append(pool.submit(_run_wave, context, group, sources, following, tasks))
            for _, line in rows:
                yield DocRecords.from_json(line)
    except Py4JError as error:
        raise EngineError(f"the Spark extraction job failed: {_summary(error)}") from error
    finally:
        if running:  # a failure, or the caller stopped early: free the cluster at once
            with contextlib.suppress(Py4JError):
                context.cancelJobGroup(group)
        pool.shutdown(wait=True, cancel_futures=True)
        if started_here:
            context.stop()


def _run_wave(
    context: SparkContext, group: str, sources: list[SourceDocument], wave: range, tasks: int
) -> list[tuple[int, str]]:
    """Extract the documents at the positions ``wave`` as one Spark job; records by position."""
    context.setJobGroup(group, "migkg extraction", interruptOnCancel=True)
    buckets = _balance(sources, wave, min(tasks, len(wave)))
    # One bucket per element and as many slices as elements: each task gets one bucket.
    job = context.parallelize(buckets, len(buckets)).mapPartitions(_extract_partition)
    return sorted(job.collect(), key=itemgetter(0))


def _context(master: str | None, app_name: str) -> tuple[SparkContext, bool]:
    """The running SparkContext, or a new one; True when this call started it."""
    from pyspark import SparkConf, SparkContext

    model = os.environ.get(_MODEL_VARIABLE)
    # pyspark has no public way to ask for the running context without starting one.
    running = SparkContext._active_spark_context
    if running is not None:
        if master is not None and running.master != master:
            raise EngineError(
                f"Spark is already running on {running.master}; cannot also use {master}"
            )
        # Worker processes take their environment from this dict, so the setting also reaches
        # a session someone else configured (unless they set it themselves).
        if model:
            running.environment.setdefault(_MODEL_VARIABLE, model)
        return running, False
    conf = SparkConf().setAppName(app_name).setAll(list(_QUIET_CONF.items()))
    if master is not None:
        conf.setMaster(master)
        if master.startswith("local"):
            conf.setAll(list(_LOCAL_CONF.items()))
    if model:
        conf.set(f"spark.executorEnv.{_MODEL_VARIABLE}", model)
    try:
        context = SparkContext(conf=conf)
    except Exception as error:  # pyspark reports a missing Java, a bad master, ... variously
        raise EngineError(f"Spark could not start: {_summary(error)} (is Java installed?)") from (
            error
        )
    # Workers otherwise run whichever "python3" is first on PATH (spark.pyspark.python is only
    # read by spark-submit); on this machine the right interpreter is the one running now.
    if (context.master or "").startswith("local") and "PYSPARK_PYTHON" not in os.environ:
        context.pythonExec = sys.executable
    return context, True


def _balance(sources: list[SourceDocument], wave: range, count: int) -> list[list[_Row]]:
    """Deal the documents at ``wave`` into ``count`` buckets of about equal text, longest first.

    Large documents then land in different tasks instead of queueing in one.
    """
    order = sorted(wave, key=lambda i: (-len(sources[i].text), i))
    loads = [(0, bucket) for bucket in range(count)]
    buckets: list[list[_Row]] = [[] for _ in range(count)]
    names = [f.name for f in fields(SourceDocument)]
    for index in order:
        load, bucket = heapq.heappop(loads)
        source = sources[index]
        buckets[bucket].append((index, tuple(getattr(source, name) for name in names)))
        heapq.heappush(loads, (load + len(source.text), bucket))
    return buckets


def _extract_partition(buckets: Iterable[list[_Row]]) -> Iterator[tuple[int, str]]:
    """Runs on an executor: one extractor (one model load) for all documents of a task."""
    extractor = Extractor()
    for bucket in buckets:
        for index, row in bucket:
            yield index, extractor.extract(SourceDocument(*row)).to_json()


def _summary(error: BaseException) -> str:
    """One line of what Spark reports, whose full text holds Java and Python stack traces.

    A failure on an executor carries the Python traceback: its last line names the error.
    """
    lines = [line for line in str(error).splitlines() if line.strip()]
    for number, line in enumerate(lines):
        if line.endswith("Traceback (most recent call last):"):
            for after in lines[number + 1 :]:
                if not after.startswith((" ", "\t")):
                    return after.strip()
    for line in lines:
        if "Exception: " in line or "Error: " in line:
            return line.strip(" :")
    return lines[0].strip() if lines else type(error).__name__
