"""Time `migkg analyze` on the corpus and on a synthetic 1M-edge bipartite citation graph.

Usage (from the repository root; not run by the tests)::

    python bench/bench_analytics.py                      # builds ../shared/corpus first (~50 s)
    python bench/bench_analytics.py --store out          # an existing build
    python bench/bench_analytics.py --edges 200000       # a smaller synthetic graph
    python bench/bench_analytics.py --skip-synthetic

The synthetic graph has ``--actors`` actors and ``--frameworks`` frameworks; each actor cites a
number of frameworks drawn around the mean degree, frameworks are chosen Zipf-weighted (a few
are cited by many actors, as the Global Compact is), and every edge is one citation with one
evidence span. It goes through the same code as the store (``analyze_tables``); only the
SPARQL step is missing. Prints seconds per step and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
CITATION_TYPES = ("cites", "adopts", "endorses", "calls_for_implementation", "welcomes")
BASE = "https://w3id.org/migkg/id/synthetic"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _print_timings(title: str, timings: dict[str, float], total: float) -> None:
    print(f"\n{title}")
    for step, seconds in timings.items():
        print(f"  {step:<16} {seconds:8.2f} s")
    print(f"  {'total':<16} {total:8.2f} s   (peak RSS {_peak_mb():,.0f} MB)")


def bench_corpus(store_dir: Path | None, out: Path) -> None:
    from migkg.graph.store import open_store
    from migkg.queries.report import analyze

    if store_dir is None:
        from migkg.graph.builder import build

        corpus = Path(os.environ.get("MIGKG_CORPUS", REPO.parent / "shared" / "corpus"))
        store_dir = out / "store-build"
        started = time.perf_counter()
        build([str(corpus)], store_dir, jobs=os.cpu_count() or 1)
        print(f"built {corpus} in {time.perf_counter() - started:.1f} s")
    for attempt in ("first run", "second run"):
        started = time.perf_counter()
        result = analyze(open_store(store_dir), out / "corpus")
        total = time.perf_counter() - started
        sizes = ", ".join(
            f"{name} {graph.number_of_nodes()}/{graph.number_of_edges()}"
            for name, graph in result.networks.items()
        )
        _print_timings(f"corpus, {attempt} (nodes/edges: {sizes})", result.timings, total)
    authorities = result.measures["citation"].sort_values(
        ["authority", "label"], ascending=[False, True], kind="mergesort"
    )
    print("  top authorities:")
    for row in authorities.head(5).itertuples():
        print(f"    {row.authority:.4f}  {row.label}")


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


def bench_synthetic(edges: int, actors: int, frameworks: int, out: Path) -> None:
    from migkg.queries.report import analyze_tables

    started = time.perf_counter()
    citations = synthetic_citations(edges, actors, frameworks)
    affiliations = pd.DataFrame(
        columns=[
            "affiliation", "person", "person_label", "organization", "organization_label",
            "organization_type", "organization_kind", "role", "document", "document_label",
            "evidence", "quote",
        ]
    )  # fmt: skip
    print(
        f"\nsynthetic table: {len(citations):,} citations, {citations['actor'].nunique():,} "
        f"actors, {citations['framework'].nunique():,} frameworks, "
        f"made in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    result = analyze_tables(citations, affiliations, out / "synthetic")
    total = time.perf_counter() - started
    citation = result.networks["citation"]
    summary = result.measures["citation"].attrs["summary"]
    _print_timings(
        f"synthetic bipartite graph: {citation.number_of_nodes():,} nodes, "
        f"{citation.number_of_edges():,} edges; betweenness {summary['betweenness']}; "
        f"{summary['communities']} communities",
        result.timings,
        total,
    )
    for name, reason in result.skipped.items():
        print(f"  {name}: {reason}")
    sizes = {
        path: (out / "synthetic" / path).stat().st_size
        for path in result.files
        if path.startswith(("graphs/citation", "tables/citation/edges", "measures.trig"))
    }
    for path, size in sorted(sizes.items()):
        print(f"  {path:<32} {size / 1e6:8.1f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="An existing build output (else: build).")
    parser.add_argument("--out", type=Path, help="Where to write (default: a temporary folder).")
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--frameworks", type=int, default=10_000)
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-analytics-") as temporary:
        out = args.out or Path(temporary)
        if not args.skip_corpus:
            bench_corpus(args.store, out)
        if not args.skip_synthetic:
            bench_synthetic(args.edges, args.actors, args.frameworks, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
