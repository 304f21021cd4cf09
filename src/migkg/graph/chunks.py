"""One document graph, serialised once for every export of a build.

A build writes each document graph to the store and to three exports (N-Quads, TriG, and the
union in Turtle). Serialising is the costly part, so it is done where the graph is built (in a
worker process when there are several) and the pieces are kept in the graph cache: a rebuild
copies the pieces of unchanged graphs into the new exports instead of serialising them again.

The pieces are exactly what :class:`~migkg.graph.serialize.GraphStreamWriter` writes for the
graph, so a build from pieces is byte-identical to one that serialises as it goes.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

import pyoxigraph

from migkg.graph.serialize import serialize_piece

__all__ = ["EXPORT_PIECES", "GraphChunks", "graph_chunks"]

# The exports a build writes, by serialisation format; each has one piece per graph.
EXPORT_PIECES = ("nquads", "trig", "turtle")
_MAGIC = "migkg-graph-chunks"


@dataclass(frozen=True, slots=True)
class GraphChunks:
    """A graph's pieces of each export, plus the triples the Turtle union writes at its end.

    ``held``: N-Triples of the triples about canonical entities (their subjects also have
    triples in the entities graph and in other documents' graphs, so the union de-duplicates
    and sorts them once, at the end of the file).
    """

    pieces: dict[str, bytes]
    held: bytes
    quads: int

    def to_bytes(self) -> bytes:
        """One self-describing blob: a JSON header line with the lengths, then the pieces."""
        parts = [self.pieces[name] for name in EXPORT_PIECES] + [self.held]
        header = {"format": _MAGIC, "lengths": [len(p) for p in parts], "quads": self.quads}
        return json.dumps(header, sort_keys=True).encode() + b"\n" + b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> GraphChunks:
        """Read a blob written by :meth:`to_bytes`; ValueError if it is not one."""
        line_end = data.find(b"\n")
        header = json.loads(data[:line_end]) if line_end > 0 else None
        if not isinstance(header, dict) or header.get("format") != _MAGIC:
            raise ValueError("not a migkg graph-chunks blob")
        lengths = [int(n) for n in header["lengths"]]
        if len(lengths) != len(EXPORT_PIECES) + 1 or line_end + 1 + sum(lengths) != len(data):
            raise ValueError("truncated graph-chunks blob")
        parts, position = [], line_end + 1
        for length in lengths:
            parts.append(data[position : position + length])
            position += length
        return cls(
            dict(zip(EXPORT_PIECES, parts[:-1], strict=True)), parts[-1], int(header["quads"])
        )

    def triples_held(self) -> list[pyoxigraph.Triple]:
        """The held triples, parsed."""
        return [
            pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
            for quad in pyoxigraph.parse(self.held, format=pyoxigraph.RdfFormat.N_TRIPLES)
        ]


def graph_chunks(
    quads: list[pyoxigraph.Quad], entity_subjects: Collection[pyoxigraph.NamedNode]
) -> GraphChunks:
    """Serialise one document graph's quads (sorted, all in its graph) for every export."""
    direct: list[pyoxigraph.Triple] = []
    held: list[pyoxigraph.Triple] = []
    for quad in quads:
        triple = pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
        (held if quad.subject in entity_subjects else direct).append(triple)
    pieces = {
        "nquads": serialize_piece(quads, pyoxigraph.RdfFormat.N_QUADS),
        "trig": serialize_piece(quads, pyoxigraph.RdfFormat.TRIG),
        "turtle": serialize_piece(direct, pyoxigraph.RdfFormat.TURTLE),
    }
    held_data = serialize_piece(held, pyoxigraph.RdfFormat.N_TRIPLES)
    return GraphChunks(pieces, held_data, len(quads))
