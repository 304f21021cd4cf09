"""Document graphs kept between builds: a rebuild rebuilds only the graphs that changed.

A document's graph depends on its records, on the canonical identifiers its entities resolved
to, and on the code that turns records into RDF. The cache key digests all three, so a graph is
reused only when rebuilding it would give the very same quads; the output stays byte-identical
to a fresh build. Entries are the graph's export pieces (:mod:`migkg.graph.chunks`), files beside
the records in ``DIR/cache``; an entry of an earlier build is hard-linked, not copied.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from migkg.extract.records import DocRecords
from migkg.extract.resolve import Resolution
from migkg.extract.version import pipeline_fingerprint
from migkg.graph.chunks import GraphChunks
from migkg.graph.store import link_or_copy, write_atomic

__all__ = ["MANIFEST", "GraphCache"]

# Which graph (by name) the store of a build holds under which key.
MANIFEST = "graphs.json"

logger = logging.getLogger(__name__)

# The modules whose code decides what RDF a document's records become.
_GRAPH_CODE = (
    ("migkg.graph", "build.py"),
    ("migkg.graph", "iri.py"),
    ("migkg.graph", "chunks.py"),
    ("migkg.graph", "serialize.py"),
    ("migkg.ontology", "terms.py"),
)


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    digest = hashlib.sha256(pipeline_fingerprint().encode())
    for package, name in _GRAPH_CODE:
        digest.update((files(package) / name).read_bytes())
    return digest.digest()


class GraphCache:
    """Document graphs of earlier builds (``lookup`` folders), saved anew into ``target``."""

    def __init__(self, target: Path, lookup: list[Path]) -> None:
        self.target = target
        self.lookup = lookup
        self.reused = 0

    @staticmethod
    def key(records: DocRecords, resolution: Resolution) -> str:
        """What the document's graph depends on, as a file name."""
        digest = hashlib.sha256(_code_digest())
        for part in (records.doc_id, records.source_path, records.content_hash):
            digest.update(part.encode("utf-8") + b"\x1f")
        for entity in records.entities:
            canonical = resolution.local_to_canonical[(records.doc_id, entity.key)]
            digest.update(f"{entity.key}\x1e{canonical}\x1f".encode())
        return f"graph-{digest.hexdigest()[:32]}.chunks"

    def has(self, key: str) -> bool:
        """Whether an earlier build left a graph under ``key`` (it may still prove unreadable)."""
        return any((folder / key).is_file() for folder in self.lookup)

    def get(self, key: str) -> GraphChunks | None:
        """The cached graph under ``key`` (kept for the next build too), or None."""
        for folder in self.lookup:
            path = folder / key
            if not path.is_file():
                continue
            try:
                chunks = GraphChunks.from_bytes(path.read_bytes())
            except (OSError, ValueError, KeyError, TypeError):
                logger.warning("%s: unreadable cached graph, building it again", path)
                continue
            link_or_copy(path, self.target / key)
            self.reused += 1
            return chunks
        return None

    @staticmethod
    def read_manifest(folder: Path) -> dict[str, str]:
        """Graph name → key of the graphs in the store of the build that owns ``folder``."""
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(name): str(key) for name, key in data.items()} if isinstance(data, dict) else {}

    def write_manifest(self, manifest: dict[str, str]) -> None:
        """Record graph name → key for the store being built."""
        text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
        write_atomic(self.target / MANIFEST, text.encode("utf-8"))

    def put(self, key: str, data: bytes) -> None:
        """Keep a document's graph, as written by :meth:`GraphChunks.to_bytes`."""
        write_atomic(self.target / key, data)
