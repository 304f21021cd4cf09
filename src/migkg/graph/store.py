"""The build output directory: an embedded pyoxigraph store plus RDF exports, written atomically.

A build writes everything into a temporary sibling directory and swaps it into place at the end,
so an interrupted or failed build leaves the previous output untouched. A lock file keeps two
builds from writing the same output at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph
from rdflib import Dataset, Graph

from migkg.errors import BuildError, StoreError
from migkg.graph.chunks import GraphChunks
from migkg.graph.serialize import GraphStreamWriter, graph_quads

__all__ = [
    "EXPORT_FORMATS",
    "STORE_DIR",
    "StagedOutput",
    "atomic_path",
    "build_lock",
    "interrupted_builds",
    "link_or_copy",
    "open_store",
    "write_atomic",
]

STORE_DIR = "store"
# rdflib serializer names for the export command; each parses back in rdflib and pyoxigraph.
EXPORT_FORMATS = {
    "turtle": ("turtle", ".ttl"),
    "trig": ("trig", ".trig"),
    "nt": ("nt", ".nt"),
    "nquads": ("nquads", ".nq"),
    "jsonld": ("json-ld", ".jsonld"),
    "xml": ("xml", ".rdf"),
}


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write into; renamed to ``path`` when all went well.

    Readers never see half a file, and a failure leaves the previous ``path`` as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb+") as stream:
            os.fsync(stream.fileno())
        # mkstemp creates 0600 files; outputs are meant to be shared like any other file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file through a temporary file and a rename, so readers never see half of it."""
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


def link_or_copy(source: Path, target: Path) -> None:
    """Put the file ``source`` at ``target`` too: a hard link where the file system allows.

    For files never changed in place (a build writes new files and renames them, see
    :func:`write_atomic`), so one file shared between two builds is safe.
    """
    if target.exists():
        return
    try:
        os.link(source, target)
    except OSError:
        write_atomic(target, source.read_bytes())


def union_graph(dataset: Dataset) -> Graph:
    """All triples of all named graphs in one graph (what ``graph.ttl`` holds)."""
    graph = Graph()
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace)
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        graph.add((subject, predicate, obj))
    return graph


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock for building into ``out_dir``; fail at once if it is held."""
    # The lock is named after the real directory, so "--out LINK" and "--out DIR" share it.
    out_dir = out_dir.resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir}: is a file, not an output directory; choose another --out")
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as error:
        raise BuildError(f"{out_dir}: cannot create its folder ({error.strerror})") from error
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    with open(lock_path, "w") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise BuildError(
                f"{out_dir}: another build is writing there; try again later"
            ) from error
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


class StagedOutput:
    """A build output under construction in a temporary sibling of the output directory.

    Graphs are added one at a time: each goes into the embedded store and is appended to every
    RDF export at once. :meth:`commit` finishes the exports and swaps the directory into place;
    until then the previous output is untouched. :meth:`discard` removes the staging.

    With ``previous_store``, the staging starts from a copy of that store: graphs that did not
    change need not be loaded again, changed ones replace theirs, and graphs not added to this
    output are removed when it is committed.
    """

    def __init__(
        self,
        out_dir: Path,
        exports: dict[str, str],
        shared_graph: pyoxigraph.NamedNode,
        previous_store: Path | None = None,
    ) -> None:
        self.out_dir = out_dir.resolve()
        self.path = Path(
            tempfile.mkdtemp(prefix=f".{self.out_dir.name}.build-", dir=self.out_dir.parent)
        )
        # mkdtemp makes a private folder; the output is meant to be shared like any other.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.path, 0o777 & ~umask)
        self.reused_store = previous_store is not None and self._copy_store(previous_store)
        self._store: pyoxigraph.Store | None = pyoxigraph.Store(str(self.path / STORE_DIR))
        self._graphs: set[pyoxigraph.NamedNode] = set()
        self._streams: list[BinaryIO] = []
        self._writers: list[tuple[str, GraphStreamWriter]] = []
        for name, output_format in exports.items():
            stream = (self.path / name).open("wb")
            self._streams.append(stream)
            self._writers.append(
                (output_format, GraphStreamWriter(stream, output_format, shared_graph))
            )
        self.quads = 0

    def _copy_store(self, previous: Path) -> bool:
        try:
            # A RocksDB checkpoint: hard links to the immutable table files, so copying a
            # large store costs next to nothing and the previous one stays untouched.
            pyoxigraph.Store.read_only(str(previous)).backup(str(self.path / STORE_DIR))
            pyoxigraph.Store(str(self.path / STORE_DIR))  # opens: the copy is usable
            return True
        except (OSError, shutil.Error):
            # A damaged or half-copied store: start from an empty one.
            shutil.rmtree(self.path / STORE_DIR, ignore_errors=True)
            return False

    def add_graph(self, graph: Graph) -> list[pyoxigraph.Quad]:
        """Load one rdflib graph into the store and the exports; returns its quads."""
        quads = graph_quads(graph)
        self.add_quads(_graph_name(graph), quads)
        return quads

    def add_quads(
        self, name: pyoxigraph.NamedNode, quads: list[pyoxigraph.Quad], *, in_store: bool = False
    ) -> None:
        """Load the quads (sorted) of the graph ``name`` into the store and the exports.

        ``in_store``: the copied previous store already holds exactly this graph.
        """
        store = self._replace_graph(name, in_store=in_store)
        if store is not None:
            store.bulk_extend(quads)
        for _, writer in self._writers:
            writer.write_graph(quads)
        self.quads += len(quads)

    def add_chunks(
        self, name: pyoxigraph.NamedNode, chunks: GraphChunks, *, in_store: bool = False
    ) -> None:
        """Load a graph serialised in advance (see :mod:`migkg.graph.chunks`).

        ``in_store``: the copied previous store already holds exactly this graph.
        """
        store = self._replace_graph(name, in_store=in_store)
        if store is not None:
            store.bulk_load(chunks.pieces["nquads"], format=pyoxigraph.RdfFormat.N_QUADS)
        held = chunks.triples_held() if chunks.held else []
        for output_format, writer in self._writers:
            writer.write_piece(chunks.pieces[output_format], held)
        self.quads += chunks.quads

    def _replace_graph(
        self, name: pyoxigraph.NamedNode, *, in_store: bool
    ) -> pyoxigraph.Store | None:
        """The store to load graph ``name`` into, emptied of it; None if it holds it already."""
        assert self._store is not None, "the output was already committed"
        self._graphs.add(name)
        if in_store and self.reused_store:
            return None
        if self.reused_store and self._store.contains_named_graph(name):
            self._store.remove_graph(name)
        return self._store

    def write_file(self, name: str, data: bytes) -> None:
        """Write a file of the output (``name`` relative to the output directory)."""
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def commit(self) -> None:
        """Finish the exports and the store, then swap the output into place."""
        assert self._store is not None, "the output was already committed"
        for _, writer in self._writers:
            writer.close()
        self._close_streams()
        if self.reused_store:
            for name in list(self._store.named_graphs()):
                if name not in self._graphs:  # a document no longer in the build
                    self._store.remove_graph(name)
        self._store.flush()
        self._store = None  # closes the store before its folder moves
        _swap(self.path, self.out_dir)

    def discard(self) -> None:
        """Remove the staging directory (the previous output stays as it was)."""
        self._close_streams()
        self._store = None
        shutil.rmtree(self.path, ignore_errors=True)

    def _close_streams(self) -> None:
        for stream in self._streams:
            stream.close()
        self._streams = []


def _graph_name(graph: Graph) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(str(graph.identifier))


def interrupted_builds(out_dir: Path) -> list[Path]:
    """Staging directories left by builds into ``out_dir`` that were killed.

    Call it while holding :func:`build_lock`: no live build can own one then. A build killed
    during the final swap may also have left the previous output aside; it is put back.
    """
    out_dir = out_dir.resolve()
    if not out_dir.exists():
        for previous in sorted(out_dir.parent.glob(f".{out_dir.name}.previous-*")):
            if (previous / STORE_DIR).exists():
                os.replace(previous, out_dir)
                break
    return sorted(out_dir.parent.glob(f".{out_dir.name}.build-*"))


def _swap(staging: Path, out_dir: Path) -> None:
    previous = None
    if out_dir.exists():
        if not out_dir.is_dir():
            raise BuildError(f"{out_dir}: is a file, not an output directory; choose another --out")
        if not (out_dir / STORE_DIR).exists() and any(out_dir.iterdir()):
            raise BuildError(
                f"{out_dir}: exists and is not a migkg output directory; choose another --out"
            )
        previous = out_dir.with_name(f".{out_dir.name}.previous-{os.getpid()}")
        os.replace(out_dir, previous)
    try:
        os.replace(staging, out_dir)
    except BaseException:
        if previous is not None:  # put the previous output back before giving up
            os.replace(previous, out_dir)
        raise
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def open_store(store_dir: Path) -> pyoxigraph.Store:
    """Open the store of a build output directory read-only."""
    path = store_dir / STORE_DIR if (store_dir / STORE_DIR).exists() else store_dir
    if not path.exists():
        raise StoreError(f"{store_dir}: no migkg store here; run 'migkg build ... --out DIR' first")
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as error:
        raise StoreError(f"{store_dir}: cannot open the store ({error})") from error


def summary_json(summary: dict[str, object]) -> bytes:
    """The build summary as stable JSON bytes."""
    return (json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
