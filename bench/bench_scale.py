"""How `migkg build` scales: wall time and peak memory on 1x, 10x (and 100x) corpora.

Each corpus is written by ``make_corpus.py`` (copies of ../shared/corpus with varied names,
states, frameworks and dates). Each build runs as its own process, ``migkg build CORPUS --out
DIR --jobs N``, under ``/usr/bin/time -v`` when it is there. Reported per run:

- wall time and words/second (words: whitespace-separated, of the raw files);
- max RSS: the largest single process (what ``time -v`` reports: the build, or one of its
  parsing workers; it is not a sum);
- tree RSS: the peak of the summed RSS of the build and all its workers, sampled from /proc
  every half second (it can miss a short spike).

The 1x corpus is also built with ``--jobs 1`` and ``--jobs 2``, for the speed-up ratio. After
the largest corpus, one new document is added to it and the build re-run into the same output:
the incremental rebuild, reported as a fraction of the full build.

    python bench/bench_scale.py            # 1x (jobs 1 and 2) and 10x (jobs 2)
    python bench/bench_scale.py --full     # and 100x (about 65 MB; hours on two cores)
    python bench/bench_scale.py --factors 1 --keep --workdir /tmp/scale
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import REPO, make_corpus  # a sibling script, not a package

TIME = Path("/usr/bin/time")


@dataclass(slots=True)
class Run:
    """One measured build."""

    factor: int
    documents: int
    megabytes: float
    words: int
    jobs: int
    wall: float
    max_rss_mb: float | None
    tree_rss_mb: float
    quads: int | None
    returncode: int

    @property
    def words_per_second(self) -> float:
        return self.words / self.wall if self.wall else 0.0


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _tree_rss_kb(root: int) -> int:
    """Summed VmRSS of ``root`` and all its descendants."""
    tree = _children()
    pending, total = [root], 0
    while pending:
        pid = pending.pop()
        pending.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/status", encoding="utf-8") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


def run_build(corpus: Path, out: Path, jobs: int) -> tuple[float, float | None, float, int, str]:
    """Run one build; wall s, max single-process RSS MB, peak tree RSS MB, exit code, stderr."""
    command = [sys.executable, "-m", "migkg", "build", str(corpus), "--out", str(out)]
    command += ["--jobs", str(jobs), "--no-validate"]  # the build alone; SHACL is measured apart
    if TIME.exists():
        command = [str(TIME), "-v", *command]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak = [0]
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.5):
                peak[0] = max(peak[0], _tree_rss_kb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = process.wait()
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        errors.seek(0)
        stderr = errors.read()
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    if found:
        max_rss: float | None = int(found.group(1)) / 1024
    else:  # no GNU time: the children's maximum only grows, so it is exact for a larger run
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        max_rss = after / 1024 if after > before else None
    return wall, max_rss, peak[0] / 1024, returncode, stderr


def _incremental(corpus: Path, out: Path, workdir: Path, seed: int, jobs: int) -> float:
    """Add one new document (a varied copy from another seed) and rebuild into ``out``."""
    # Copy 0 keeps the original bytes; copy 1 of another seed is a document the build never saw.
    extra = make_corpus(2, workdir / "extra", seed=seed + 1)
    new = min(extra.out.glob("x001_*"), key=lambda path: path.stat().st_size)
    shutil.copy(new, corpus / f"zz-added-{new.name}")
    wall, _, _, code, stderr = run_build(corpus, out, jobs)
    if code != 0:
        print(stderr[-2000:], file=sys.stderr)
    return wall


def _print_table(runs: list[Run]) -> None:
    header = (
        f"{'corpus':>6} {'docs':>5} {'MB':>6} {'words':>10} {'jobs':>4} {'wall s':>8} "
        f"{'words/s':>8} {'max RSS MB':>10} {'tree RSS MB':>11} {'quads':>10}"
    )
    print(header)
    print("-" * len(header))
    for run in runs:
        rss = f"{run.max_rss_mb:,.0f}" if run.max_rss_mb is not None else "n/a"
        quads = f"{run.quads:,}" if run.quads is not None else f"exit {run.returncode}"
        print(
            f"{run.factor:>5}x {run.documents:>5} {run.megabytes:>6.1f} {run.words:>10,} "
            f"{run.jobs:>4} {run.wall:>8.1f} {run.words_per_second:>8,.0f} {rss:>10} "
            f"{run.tree_rss_mb:>11,.0f} {quads:>10}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="also build the 100x corpus")
    parser.add_argument("--factors", type=int, nargs="+", help="corpus sizes (default 1 10)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the scale runs (2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="where corpora and builds go (temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and the builds")
    args = parser.parse_args()
    factors = args.factors or ([1, 10, 100] if args.full else [1, 10])
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="migkg-bench-scale-"))
    workdir = workdir.resolve()
    if workdir == REPO or REPO in workdir.parents:
        raise SystemExit(f"bench_scale: {workdir} is inside the repository")
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"work directory: {workdir}", file=sys.stderr)
    runs: list[Run] = []
    try:
        for factor in factors:
            info = make_corpus(factor, workdir / f"corpus-x{factor}", seed=args.seed)
            plan = sorted({1, args.jobs}) if factor == 1 else [args.jobs]
            for jobs in plan:
                out = workdir / f"out-x{factor}-j{jobs}"
                print(f"building {factor}x ({info.files} documents) with --jobs {jobs} ...")
                sys.stdout.flush()
                wall, max_rss, tree_rss, code, stderr = run_build(info.out, out, jobs)
                quads = None
                if code == 0:
                    quads = json.loads((out / "build.json").read_text())["quads"]
                else:
                    print(stderr[-2000:], file=sys.stderr)
                runs.append(
                    Run(
                        factor,
                        info.files,
                        info.bytes / 1e6,
                        info.words,
                        jobs,
                        wall,
                        max_rss,
                        tree_rss,
                        quads,
                        code,
                    )
                )
                if code == 0 and factor == factors[-1] and jobs == args.jobs:
                    incremental = _incremental(info.out, out, workdir, args.seed, jobs)
                    print(
                        f"incremental rebuild after adding one document: {incremental:.1f} s "
                        f"= {incremental / wall:.1%} of the full build ({wall:.1f} s)"
                    )
                if not args.keep:
                    shutil.rmtree(out, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    _print_table(runs)
    single = {r.jobs: r.wall for r in runs if r.factor == 1}
    if 1 in single and args.jobs in single and args.jobs != 1:
        print(
            f"\n1x speed-up of --jobs {args.jobs} over --jobs 1: "
            f"{single[1] / single[args.jobs]:.2f}x"
        )
    scaled = [r for r in runs if r.jobs == args.jobs]
    if len(scaled) >= 2 and scaled[0].wall:
        first, last = scaled[0], scaled[-1]
        ratio = (last.wall / first.wall) / (last.factor / first.factor)
        print(
            f"{last.factor}x took {last.wall / first.wall:.1f} times as long as {first.factor}x "
            f"({ratio:.2f} of linear)"
        )


if __name__ == "__main__":
    main()
