"""Time `migkg analyze` on the corpus and on a synthetic 1M-edge bipartite citation graph.

Usage (from the repository root; not run by the tests)::

    python bench/bench_analytics.py                      # builds ../shared/corpus first (~1 min)
    python bench/bench_analytics.py --store out          # an existing build
    python bench/bench_analytics.py --edges 200000       # a smaller synthetic graph
    python bench/bench_analytics.py --formats all        # graph files too, whatever the size
    python bench/bench_analytics.py --skip-synthetic

One run reports, each case in a fresh process (so that its peak memory is its own):

* the corpus: ``analyze`` on the store, twice (the first run pays for the imports), seconds
  per step, and the peak resident memory of the process;
* the synthetic graph: ``analyze_tables`` on a citation table of ``--edges`` rows (seconds per
  step, wall and CPU, the peak resident memory and how much of it the input table took), and a
  bare baseline on the same graph, networkx's PageRank alone, with the ratio of the two.

The synthetic graph has ``--actors`` actors and ``--frameworks`` frameworks; each actor cites a
number of frameworks drawn around the mean degree, frameworks are chosen Zipf-weighted (a few
are cited by many actors, as the Global Compact is), and every edge is one citation with one
evidence span. It goes through the same code as the store (``analyze_tables``); only the
SPARQL step is missing. The machine's load matters: CPU seconds are printed beside wall seconds.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
CITATION_TYPES = ("cites", "adopts", "endorses", "calls_for_implementation", "welcomes")
BASE = "https://w3id.org/migkg/id/synthetic"
AFFILIATION_COLUMNS = [
    "affiliation", "person", "person_label", "organization", "organization_label",
    "organization_type", "organization_kind", "role", "document", "document_label",
    "evidence", "quote",
]  # fmt: skip


def _peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = _clocks()
    return wall - start[0], cpu - start[1]


def synthetic_citations(edges: int, actors: int, frameworks: int, seed: int = 7) -> pd.DataFrame:
    """A citation table with ``edges`` distinct actor → framework pairs."""
    generator = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, frameworks + 1) ** 1.1
    popularity /= popularity.sum()
    pairs = np.empty((0, 2), dtype=np.int64)
    while len(pairs) < edges:
        draw = int((edges - len(pairs)) * 1.3) + 1000
        new = np.column_stack(
            [
                generator.integers(0, actors, draw),
                generator.choice(frameworks, size=draw, p=popularity),
            ]
        )
        pairs = np.unique(np.vstack([pairs, new]), axis=0)
    pairs = pairs[generator.permutation(len(pairs))[:edges]]
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    actor_ids, framework_ids = pairs[:, 0], pairs[:, 1]
    actor_iri = np.array([f"{BASE}/actor/{i:07d}" for i in range(actors)], dtype=object)
    framework_iri = np.array([f"{BASE}/framework/{i:06d}" for i in range(frameworks)], dtype=object)
    actor_label = np.array([f"Actor {i}" for i in range(actors)], dtype=object)
    framework_label = np.array([f"Framework {i}" for i in range(frameworks)], dtype=object)
    actor_kind = np.array(["state", "un_entity", "forum", "person", "collective"], dtype=object)
    kinds = np.array(["compact", "convention", "agenda", "declaration"], dtype=object)
    documents = np.array([f"doc-{i:02d}" for i in range(20)], dtype=object)
    document = documents[generator.integers(0, len(documents), edges)]
    table = pd.DataFrame(
        {
            "citation": [f"{BASE}/citation/{i}" for i in range(edges)],
            "actor": actor_iri[actor_ids],
            "actor_label": actor_label[actor_ids],
            "actor_type": "organization",
            "actor_kind": actor_kind[actor_ids % len(actor_kind)],
            "framework": framework_iri[framework_ids],
            "framework_label": framework_label[framework_ids],
            "framework_kind": kinds[framework_ids % len(kinds)],
            "framework_year": pd.array([pd.NA] * edges, dtype="Int64"),
            "citation_type": np.array(CITATION_TYPES, dtype=object)[
                generator.integers(0, len(CITATION_TYPES), edges)
            ],
            "document": document,
            "document_label": document,
            "evidence": [f"{BASE}/evidence/{i}" for i in range(edges)],
            "quote": "A synthetic quote.",
        }
    )
    return table


# ---------------------------------------------------------------------------------------------
# The cases, each run in a child process


def corpus_case(store_dir: str | None, out: str) -> dict[str, Any]:
    from migkg.graph.store import open_store
    from migkg.queries.report import analyze

    result: dict[str, Any] = {"runs": []}
    if store_dir is None:
        from migkg.graph.builder import build

        corpus = Path(os.environ.get("MIGKG_CORPUS", REPO.parent / "shared" / "corpus"))
        store_dir = str(Path(out) / "store-build")
        start = _clocks()
        build([str(corpus)], Path(store_dir), jobs=os.cpu_count() or 1)
        result["build"] = _since(start)[0]
    for _ in range(2):
        start = _clocks()
        analysis = analyze(open_store(Path(store_dir)), Path(out) / "corpus")
        wall, cpu = _since(start)
        result["runs"].append({"wall": wall, "cpu": cpu, "timings": analysis.timings})
    result["sizes"] = {
        name: (graph.number_of_nodes(), graph.number_of_edges())
        for name, graph in analysis.networks.items()
    }
    result["methods"] = {
        name: (table.attrs["summary"]["betweenness"], table.attrs["summary"]["community_method"])
        for name, table in analysis.measures.items()
    }
    result["files"] = len(analysis.files)
    result["peak_mb"] = _peak_mb()
    return result


def synthetic_case(
    edges: int, actors: int, frameworks: int, out: str, formats: str | None
) -> dict[str, Any]:
    import networkx as nx

    from migkg.queries.report import analyze_tables

    result: dict[str, Any] = {}
    start = _clocks()
    citations = synthetic_citations(edges, actors, frameworks)
    result["table"] = {
        "seconds": _since(start)[0],
        "rows": len(citations),
        "actors": citations["actor"].nunique(),
        "frameworks": citations["framework"].nunique(),
        "peak_mb": _peak_mb(),
    }
    start = _clocks()
    analysis = analyze_tables(
        citations,
        pd.DataFrame(columns=AFFILIATION_COLUMNS),
        Path(out) / "synthetic",
        formats=formats,
    )
    wall, cpu = _since(start)
    result["analyze"] = {"wall": wall, "cpu": cpu, "timings": analysis.timings}
    result["peak_mb"] = _peak_mb()
    citation = analysis.networks["citation"]
    summary = analysis.measures["citation"].attrs["summary"]
    result["graph"] = {
        "nodes": citation.number_of_nodes(),
        "edges": citation.number_of_edges(),
        "betweenness": summary["betweenness"],
        "community_method": summary["community_method"],
        "communities": summary["communities"],
        "modularity": summary["modularity"],
    }
    result["skipped"] = {**analysis.skipped, **analysis.skipped_files}
    result["sizes"] = {
        path: (Path(out) / "synthetic" / path).stat().st_size
        for path in analysis.files
        if path.startswith(("graphs/citation", "tables/citation/edges", "measures.trig"))
    }
    del analysis, citations
    # the bare baseline: networkx's PageRank alone, on the same graph
    start = _clocks()
    nx.pagerank(citation, weight="weight")
    result["pagerank"] = _since(start)
    return result


def _in_child(function: Any, *args: Any) -> dict[str, Any]:
    """Run ``function(*args)`` in a fresh Python process and return its result."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return dict(pool.submit(function, *args).result())


# ---------------------------------------------------------------------------------------------
# Report


def _steps(timings: dict[str, float]) -> str:
    return ", ".join(f"{step} {seconds:.1f}" for step, seconds in timings.items())


def print_corpus(result: dict[str, Any]) -> None:
    print("\ncorpus")
    if "build" in result:
        print(f"  built in {result['build']:.1f} s")
    sizes = ", ".join(f"{name} {n}/{m}" for name, (n, m) in result["sizes"].items())
    print(f"  networks (nodes/edges): {sizes}")
    for number, run in enumerate(result["runs"], start=1):
        print(
            f"  analyze run {number}: {run['wall']:6.1f} s wall, {run['cpu']:6.1f} s CPU "
            f"({_steps(run['timings'])})"
        )
    print(f"  {result['files']} files; peak RSS {result['peak_mb']:,.0f} MB")


def print_synthetic(result: dict[str, Any]) -> None:
    table, graph, run = result["table"], result["graph"], result["analyze"]
    print(
        f"\nsynthetic citation table: {table['rows']:,} rows, {table['actors']:,} actors, "
        f"{table['frameworks']:,} frameworks, made in {table['seconds']:.1f} s "
        f"(peak RSS {table['peak_mb']:,.0f} MB with the table)"
    )
    print(f"  graph: {graph['nodes']:,} nodes, {graph['edges']:,} edges")
    print(f"  betweenness: {graph['betweenness']}")
    print(
        f"  communities: {graph['community_method']}, {graph['communities']} communities, "
        f"modularity {graph['modularity']:.4f}"
    )
    print(f"  analyze: {run['wall']:6.1f} s wall, {run['cpu']:6.1f} s CPU")
    for step, seconds in run["timings"].items():
        print(f"    {step:<16} {seconds:7.2f} s")
    print(
        f"  peak RSS {result['peak_mb']:,.0f} MB "
        f"({result['peak_mb'] - table['peak_mb']:,.0f} MB above the input table)"
    )
    wall, cpu = result["pagerank"]
    print(
        f"  baseline, networkx pagerank alone on the same graph: {wall:.2f} s wall, "
        f"{cpu:.2f} s CPU; analyze / pagerank = {run['wall'] / wall:.1f}x wall, "
        f"{run['cpu'] / cpu:.1f}x CPU"
    )
    for name, reason in result["skipped"].items():
        print(f"  {name}: {reason}")
    for path, size in sorted(result["sizes"].items()):
        print(f"  {path:<32} {size / 1e6:8.1f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--store", type=Path, help="An existing build output (else: build).")
    parser.add_argument("--out", type=Path, help="Where to write (default: a temporary folder).")
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--frameworks", type=int, default=10_000)
    parser.add_argument("--formats", help="Outputs of the synthetic run (default: the default).")
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory(prefix="bench-analytics-") as temporary:
        out = str(args.out or temporary)
        if not args.skip_corpus:
            store = None if args.store is None else str(args.store)
            print_corpus(_in_child(corpus_case, store, out))
        if not args.skip_synthetic:
            print_synthetic(
                _in_child(
                    synthetic_case, args.edges, args.actors, args.frameworks, out, args.formats
                )
            )
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
