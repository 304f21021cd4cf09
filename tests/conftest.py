"""Shared fixtures. Rules: fixtures over setup classes; the language model and the corpus build
are loaded once per session; tests that need the corpus skip when it is not there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migkg.extract.pipeline import Extractor

REPO = Path(__file__).resolve().parents[1]
# Headless Chromium as root, with no background traffic (the machine has no network).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
CORPUS = Path(os.environ.get("MIGKG_CORPUS", REPO.parent / "shared" / "corpus"))


def corpus_file(prefix: str) -> Path:
    """The corpus document whose name starts with ``prefix`` (e.g. "002")."""
    matches = sorted(CORPUS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"corpus document {prefix} not found under {CORPUS} (set MIGKG_CORPUS)")
    return matches[0]


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir() or not any(CORPUS.glob("*.txt")):
        pytest.skip(f"corpus not found at {CORPUS} (set MIGKG_CORPUS)")
    return CORPUS


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def corpus_build(
    corpus_dir: Path, extractor: Extractor, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The whole corpus built once per session (as `migkg build CORPUS --out DIR`)."""
    from migkg.graph.builder import build

    out = tmp_path_factory.mktemp("corpus") / "out"
    build([str(corpus_dir)], out, extractor=extractor, jobs=2)
    return out


@pytest.fixture(scope="session")
def small_build(extractor: Extractor, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two short corpus documents built once per session."""
    from migkg.graph.builder import build

    out = tmp_path_factory.mktemp("small") / "out"
    build([str(corpus_file("002")), str(corpus_file("004"))], out, extractor=extractor, jobs=1)
    return out
