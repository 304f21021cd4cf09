"""Loading a build into an external triple store (``migkg push``), one named graph per document.

Each named graph of the build (every document graph and the entities graph) is sent whole and
replaces the graph of the same name on the server, so pushing again after a rebuild updates a
document without duplicating it. Two protocols:

- SPARQL 1.1 Graph Store Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/#http-put):
  ``PUT <store-endpoint>?graph=<iri>`` with the graph as Turtle. One request per graph.
- SPARQL 1.1 Update through SPARQLWrapper, when the server has no Graph Store Protocol at that
  address (it answers 404, 405, 415 or 501) and an update endpoint is given:
  ``DROP SILENT GRAPH <iri>`` plus ``INSERT DATA`` in batches (the drop goes with the first batch,
  so the graph is never seen empty between the two).

The build is read from ``graph.nq``, one graph at a time, so literals reach the server exactly as
built and memory does not grow with the build. A graph that was pushed before but is no longer in
the build (a document left out of the rebuild) is removed only with ``prune``.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from migkg.errors import InputError, StoreError
from migkg.graph.iri import GRAPH_NAMESPACE
from migkg.graph.serialize import VOCABULARY_PREFIXES
from migkg.graph.validate import graph_names, iter_graphs

__all__ = ["DEFAULT_BATCH", "PROTOCOLS", "GraphPush", "PushResult", "push_build"]

logger = logging.getLogger(__name__)

DEFAULT_BATCH = 5_000  # triples per INSERT DATA request
PROTOCOLS = ("auto", "gsp", "update")
# Statuses that mean "no Graph Store Protocol here" rather than "your data is wrong".
_NO_GSP = {404, 405, 415, 501}

ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class GraphPush:
    """One named graph sent to the server."""

    graph: str
    triples: int
    requests: int
    seconds: float
    protocol: str  # "gsp" or "update"


@dataclass(slots=True)
class PushResult:
    """What was pushed where."""

    endpoint: str
    graphs: list[GraphPush] = field(default_factory=list)
    seconds: float = 0.0
    pruned: bool = False  # graphs the build no longer has were dropped from the server

    @property
    def triples(self) -> int:
        """Triples sent, over all graphs."""
        return sum(g.triples for g in self.graphs)


class _NoGraphStore(Exception):
    """The store endpoint does not speak the Graph Store Protocol."""


def _gsp_put(endpoint: str, graph: str, body: bytes, timeout: float) -> None:
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    url = f"{endpoint}{separator}{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "text/turtle; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace").strip()[:300]
        if error.code in _NO_GSP:
            raise _NoGraphStore(f"HTTP {error.code} {error.reason}") from error
        raise StoreError(
            f"{endpoint}: PUT of graph <{graph}> failed: HTTP {error.code} {error.reason}"
            + (f": {detail}" if detail else "")
        ) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise StoreError(f"{endpoint}: cannot reach the store ({reason})") from error


def _turtle(triples: list[pyoxigraph.Triple]) -> bytes:
    data = pyoxigraph.serialize(
        triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=VOCABULARY_PREFIXES
    )
    return data or b""


def _batches(triples: list[pyoxigraph.Triple], size: int) -> list[list[pyoxigraph.Triple]]:
    """Batches of ``size`` triples; all triples with a blank node go in one last batch, since a
    blank node label only holds within one INSERT DATA."""
    plain: list[pyoxigraph.Triple] = []
    blank: list[pyoxigraph.Triple] = []
    for triple in triples:
        anonymous = isinstance(triple.subject, pyoxigraph.BlankNode) or isinstance(
            triple.object, pyoxigraph.BlankNode
        )
        (blank if anonymous else plain).append(triple)
    batches = [plain[i : i + size] for i in range(0, len(plain), size)]
    if blank:
        batches.append(blank)
    return batches or [[]]


def _update(update_endpoint: str, text: str, timeout: float) -> None:
    from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(update_endpoint, updateEndpoint=update_endpoint)
    client.setMethod(POST)
    client.setRequestMethod(POSTDIRECTLY)  # the update as the body, not form-encoded
    client.setTimeout(int(max(1, timeout)))
    client.setQuery(text)
    try:
        client.query()
    except SPARQLWrapperException as error:
        raise StoreError(f"{update_endpoint}: the update failed: {error}") from error
    except urllib.error.HTTPError as error:
        raise StoreError(
            f"{update_endpoint}: the update failed: HTTP {error.code} {error.reason}"
        ) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise StoreError(f"{update_endpoint}: cannot reach the endpoint ({reason})") from error


def _update_graph(
    update_endpoint: str, graph: str, triples: list[pyoxigraph.Triple], batch: int, timeout: float
) -> int:
    """Replace ``graph`` by ``triples`` with SPARQL Update; the number of requests."""
    name = pyoxigraph.NamedNode(graph)
    requests = 0
    for index, chunk in enumerate(_batches(triples, batch)):
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in chunk)
        insert = f"INSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}" if chunk else ""
        parts = [f"DROP SILENT GRAPH {name}"] if index == 0 else []
        if insert:
            parts.append(insert)
        _update(update_endpoint, " ;\n".join(parts), timeout)
        requests += 1
    return requests


def _prune_update(kept: set[str]) -> str:
    """Drop every graph under migkg's graph namespace that is not in ``kept``."""
    base = str(GRAPH_NAMESPACE)
    keep = ", ".join(str(pyoxigraph.NamedNode(graph)) for graph in sorted(kept))
    condition = f"STRSTARTS(STR(?g), {pyoxigraph.Literal(base)})"
    if keep:
        condition += f" && ?g NOT IN ({keep})"
    return (
        "DELETE { GRAPH ?g { ?s ?p ?o } }\n"
        f"WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({condition}) }}"
    )


def push_build(
    store_dir: Path,
    endpoint: str,
    *,
    update_endpoint: str | None = None,
    protocol: str = "auto",
    batch: int = DEFAULT_BATCH,
    timeout: float = 300.0,
    prune: bool = False,
    progress: ProgressCallback | None = None,
) -> PushResult:
    """Load every named graph of a build into an external store, replacing graphs of the same name.

    Parameters
    ----------
    store_dir
        A build output directory.
    endpoint
        The Graph Store Protocol endpoint, e.g. ``http://localhost:7878/store`` for Oxigraph.
    update_endpoint
        A SPARQL Update endpoint (e.g. ``http://localhost:7878/update``), used when ``endpoint``
        has no Graph Store Protocol, or always with ``protocol="update"``.
    protocol
        ``"auto"`` (Graph Store Protocol, falling back to SPARQL Update), ``"gsp"`` or
        ``"update"``.
    batch
        Triples per ``INSERT DATA`` request.
    timeout
        Seconds each HTTP request may take.
    prune
        Afterwards, drop the migkg graphs on the server that this build does not have (the
        graphs of documents removed since an earlier push). Needs ``update_endpoint``; graphs
        outside migkg's namespace are never touched.
    progress
        Called with (graph IRI, graphs done, graphs in all) after each graph.

    Raises
    ------
    InputError
        A bad URL, protocol or batch size, or no update endpoint where one is needed.
    StoreError
        The build cannot be read, or the server is unreachable or refuses the data.
    """
    if protocol not in PROTOCOLS:
        raise InputError(f"protocol must be one of {', '.join(PROTOCOLS)}, not {protocol!r}")
    if batch < 1:
        raise InputError(f"batch size must be at least 1, not {batch}")
    for name, url in (("--endpoint", endpoint), ("--update-endpoint", update_endpoint)):
        if url is not None and urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
            raise InputError(f"{name} must be an http(s) URL, not {url!r}")
    if protocol == "update" and update_endpoint is None:
        raise InputError("SPARQL Update needs --update-endpoint URL")
    if prune and update_endpoint is None:
        raise InputError(
            "--prune needs --update-endpoint URL (graphs are dropped by SPARQL Update)"
        )
    started = time.perf_counter()
    # One graph in memory at a time: a build of thousands of documents is pushed in pieces.
    total = len(graph_names(store_dir))
    pushed: set[str] = set()
    result = PushResult(endpoint)
    use_update = protocol == "update"
    for index, (graph, triples) in enumerate(iter_graphs(store_dir)):
        pushed.add(graph)
        began = time.perf_counter()
        if not use_update:
            try:
                _gsp_put(endpoint, graph, _turtle(triples), timeout)
                result.graphs.append(
                    GraphPush(graph, len(triples), 1, time.perf_counter() - began, "gsp")
                )
                if progress is not None:
                    progress(graph, index + 1, total)
                continue
            except _NoGraphStore as error:
                if protocol == "gsp" or update_endpoint is None:
                    raise InputError(
                        f"{endpoint} does not accept Graph Store Protocol PUT ({error}); "
                        "pass its store endpoint, or --update-endpoint URL to load through "
                        "SPARQL Update"
                    ) from error
                logger.info(
                    "%s: no Graph Store Protocol (%s); using SPARQL Update", endpoint, error
                )
                use_update = True
        assert update_endpoint is not None
        requests = _update_graph(update_endpoint, graph, triples, batch, timeout)
        result.graphs.append(
            GraphPush(graph, len(triples), requests, time.perf_counter() - began, "update")
        )
        if progress is not None:
            progress(graph, index + 1, total)
    if prune:
        assert update_endpoint is not None
        _update(update_endpoint, _prune_update(pushed), timeout)
        result.pruned = True
    result.seconds = time.perf_counter() - started
    logger.info(
        "pushed %d graph(s), %d triples to %s in %.1f s",
        len(result.graphs),
        result.triples,
        endpoint,
        result.seconds,
    )
    return result
