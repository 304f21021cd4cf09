"""Benchmark the build against the bare baseline, in one run on the same text.

Reports words/second of `migkg build` vs plain spaCy `nlp.pipe` of the same model over the same
normalised text (same number of processes), quads/second of graph building and serialisation,
and named-query latency on the store vs the same SPARQL run directly on pyoxigraph.

    python bench/bench_build.py [CORPUS_DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph
import spacy

from migkg.extract.ingest import discover_documents, read_document
from migkg.extract.normalize import normalize_text
from migkg.extract.pipeline import DEFAULT_MODEL, Extractor, split_for_parsing
from migkg.graph.builder import build
from migkg.graph.store import open_store
from migkg.queries.run import bind_parameters, list_queries, run_on_store

PARAMS = {
    "framework": "2030 Agenda",
    "actor": "Member States",
    "state": "Mexico",
    "entity": "IOM",
    "name": "IOM",
    "meeting": "Opening",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "corpus", nargs="?", default=str(Path(__file__).parents[2] / "shared" / "corpus")
    )
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    paths = discover_documents([args.corpus])
    texts = [normalize_text(read_document(p).text).text for p in paths]
    words = sum(len(t.split()) for t in texts)
    chunks = [chunk for text in texts for chunk in split_for_parsing(text)]

    nlp = spacy.load(DEFAULT_MODEL)
    start = time.perf_counter()
    for _ in nlp.pipe(chunks, batch_size=16, n_process=args.jobs):
        pass
    bare = time.perf_counter() - start

    extractor = Extractor()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        start = time.perf_counter()
        result = build([args.corpus], out, extractor=extractor, jobs=args.jobs)
        full = time.perf_counter() - start
        print(f"documents: {len(paths)}, words: {words}, quads: {result.triples}")
        print(f"bare spaCy nlp.pipe (jobs {args.jobs}): {bare:.1f} s, {words / bare:,.0f} words/s")
        print(
            f"migkg build (jobs {args.jobs}):        {full:.1f} s, {words / full:,.0f} words/s, "
            f"{result.triples / full:,.0f} quads/s"
        )
        print(f"ratio build/bare: {bare / full:.2f}x")

        store = open_store(out)
        print("\nquery latency, median of 20 (store via migkg vs raw pyoxigraph):")
        for query in list_queries():
            params = {p: PARAMS[p] for p in query.params}
            text = bind_parameters(query, params)
            ours, raw = [], []
            for _ in range(20):
                begin = time.perf_counter()
                run_on_store(store, query, params)
                ours.append(time.perf_counter() - begin)
                begin = time.perf_counter()
                list(store.query(text, use_default_graph_as_union=True))  # type: ignore[arg-type]
                raw.append(time.perf_counter() - begin)
            median_ours, median_raw = statistics.median(ours), statistics.median(raw)
            print(
                f"  {query.name:24s} {median_ours * 1000:8.1f} ms  raw {median_raw * 1000:8.1f} ms"
                f"  ratio {median_ours / median_raw:5.2f}"
            )
        del store
    _ = pyoxigraph  # the raw engine is the store's own


if __name__ == "__main__":
    main()
