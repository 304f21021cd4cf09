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
from typing import Any

import pyoxigraph
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from migkg.errors import BuildError, StoreError

__all__ = [
    "EXPORT_FORMATS",
    "build_lock",
    "dataset_quads",
    "open_store",
    "serialize_quads",
    "write_atomic",
    "write_output",
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file through a temporary file and a rename, so readers never see half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
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


# Vocabulary prefixes for the exports; data IRIs stay in full (their local parts hold "/").
VOCABULARY_PREFIXES = {
    "mig": "https://w3id.org/migkg/ontology#",
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_OX_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}


def _ox_term(term: Any) -> Any:
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise ValueError(f"unsupported RDF term {term!r}")


def dataset_quads(dataset: Dataset) -> list[pyoxigraph.Quad]:
    """The dataset's quads as pyoxigraph quads, ordered by graph, subject, predicate, object.

    Converting term by term is several times faster than writing N-Quads with rdflib and
    parsing them back; the fixed order makes every serialisation byte-stable.
    """
    quads = []
    for subject, predicate, obj, graph in dataset.quads((None, None, None, None)):
        name = graph.identifier if isinstance(graph, Graph) else graph
        graph_name = (
            pyoxigraph.DefaultGraph()
            if name is None or name == DATASET_DEFAULT_GRAPH_ID
            else _ox_term(name)
        )
        quads.append(
            pyoxigraph.Quad(_ox_term(subject), _ox_term(predicate), _ox_term(obj), graph_name)
        )
    return sorted(
        quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
    )


def serialize_quads(quads: list[pyoxigraph.Quad], output_format: str) -> bytes:
    """Serialise sorted quads; formats without named graphs get the de-duplicated union."""
    ox_format = _OX_FORMATS[output_format]
    if ox_format.supports_datasets:
        return _serialized(
            pyoxigraph.serialize(quads, format=ox_format, prefixes=VOCABULARY_PREFIXES)
        )
    seen: set[pyoxigraph.Triple] = set()
    triples = []
    for quad in sorted(quads, key=lambda q: (str(q.subject), str(q.predicate), str(q.object))):
        triple = pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
        if triple not in seen:
            seen.add(triple)
            triples.append(triple)
    prefixes = VOCABULARY_PREFIXES if ox_format != pyoxigraph.RdfFormat.N_TRIPLES else None
    return _serialized(pyoxigraph.serialize(triples, format=ox_format, prefixes=prefixes))


def _serialized(data: bytes | None) -> bytes:
    # pyoxigraph returns bytes when no output file is given.
    if data is None:
        raise ValueError("the serializer returned nothing")
    return data


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


def write_output(out_dir: Path, nquads: bytes, files: dict[str, bytes]) -> None:
    """Write the store and ``files`` into a fresh directory, then swap it in for ``out_dir``."""
    out_dir = out_dir.resolve()
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.build-", dir=out_dir.parent))
    try:
        store = pyoxigraph.Store(str(staging / STORE_DIR))
        store.bulk_load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
        del store
        (staging / "graph.nq").write_bytes(nquads)
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
