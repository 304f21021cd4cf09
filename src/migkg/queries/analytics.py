"""Network analytics: NetworkX graphs from the store, measures as pandas tables and as RDF.

Four networks are derived from the graph:

``citation``
    A bipartite :class:`networkx.DiGraph`, actors → frameworks (:func:`citation_network`). The
    weight of an edge is the number of distinct evidence spans (quoted passages) in which the
    actor cites the framework, whatever the citation type.
``cocitation``
    Frameworks, linked when the same actor cites both (:func:`cocitation_network`).
``actors``
    Actors, linked when they cite the same framework, with Newman's collaboration weights
    (:func:`actor_projection`).
``affiliation``
    A bipartite :class:`networkx.Graph`, people ↔ organizations and states
    (:func:`affiliation_network`).

Nodes are keyed by the entity IRI and carry ``iri``, ``label``, ``type`` (person, organization,
state, collective or framework), ``kind`` (the ``mig:kind`` slug; the type for people, states and
collectives), ``side`` and ``bipartite`` (0 or 1, the NetworkX convention). Multi-valued edge
attributes (citation types, documents, roles) are sorted strings joined by :data:`SEPARATOR`, so
every graph writes to GraphML and GEXF as it is.

Everything is deterministic: nodes and edges are added in sorted order, communities and
components are numbered by size, random choices use :data:`SEED`, and HITS is a plain power
iteration from a uniform start (:func:`networkx.hits` calls ARPACK, whose results depend on
its starting vector).

The measures are written as RDF with the small vocabulary ``https://w3id.org/migkg/measures#``
(``measures.ttl`` in this package): the migkg ontology has no terms for network measures, and
none are invented in its namespace.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
from collections.abc import Callable, Iterable
from importlib.resources import files
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pyoxigraph

from migkg.errors import InputError
from migkg.ontology.terms import FRAMEWORK_KINDS, MIGD, ORGANIZATION_KINDS
from migkg.queries.run import load_query, run_on_store

__all__ = [
    "ACTOR_TYPES",
    "BETWEENNESS_SAMPLES",
    "EXACT_BETWEENNESS_MAX_NODES",
    "MEASURES_GRAPH",
    "MEASURES_NAMESPACE",
    "SEED",
    "SEPARATOR",
    "actor_projection",
    "affiliation_network",
    "affiliation_table",
    "bipartite_density",
    "citation_network",
    "citation_table",
    "cocitation_network",
    "filter_citations",
    "hits_scores",
    "measures_quads",
    "measures_table",
    "measures_trig",
    "network_from_affiliations",
    "network_from_citations",
    "projection_pairs",
    "summary_table",
]

logger = logging.getLogger(__name__)

ACTOR_TYPES = ("person", "organization", "state", "collective")
"""Entity types that cite frameworks (``type`` of an actor node)."""
SEPARATOR = ";"
"""Joins the sorted values of a multi-valued edge attribute."""
SEED = 42
"""Seed of Louvain and of sampled betweenness."""
EXACT_BETWEENNESS_MAX_NODES = 1000
"""Betweenness is exact up to this many nodes and estimated from sampled sources above."""
BETWEENNESS_SAMPLES = 100
"""Number of sampled source nodes (``k``) for betweenness above the exact limit."""
MEASURES_NAMESPACE = "https://w3id.org/migkg/measures#"
"""Namespace of the measure terms (declared in ``measures.ttl``)."""
MEASURES_GRAPH = str(MIGD["graph/measures"])
"""Named graph of ``measures.trig``."""


# ---------------------------------------------------------------------------------------------
# Tables from the store


def _select(store: pyoxigraph.Store, name: str) -> pd.DataFrame:
    result = run_on_store(store, load_query(name))
    return pd.DataFrame(result.rows, columns=result.variables)


def _slugs(values: Iterable[str] | None, allowed: Iterable[str], option: str) -> set[str] | None:
    chosen = {str(value) for value in values or ()}
    if not chosen:
        return None
    unknown = sorted(chosen - set(allowed))
    if unknown:
        raise InputError(
            f"{option}: unknown value(s) {', '.join(unknown)}; "
            f"choose from {', '.join(sorted(allowed))}"
        )
    return chosen


def filter_citations(
    table: pd.DataFrame,
    *,
    document: str | None = None,
    year: int | None = None,
    actor_types: Iterable[str] | None = None,
    framework_kinds: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Keep the citation rows that pass every given filter.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of :func:`citation_table` (the ``citation_edges`` query).
    document : str, optional
        A document id (its ``rdfs:label``, e.g. ``"002-70f8dd480db74d21"``) or document IRI.
    year : int, optional
        The year of adoption or publication of the cited framework (``mig:year``); the graph
        records no date for documents, so this is the only year there is.
    actor_types : iterable of str, optional
        Actor types (``person``, ``organization``, ``state``, ``collective``) or organization
        kinds (``un_entity``, ``forum``, ...); an actor passes when its type or kind is listed.
    framework_kinds : iterable of str, optional
        Framework kinds (``compact``, ``convention``, ...).

    Returns
    -------
    pandas.DataFrame
        The rows kept, in their order, with a fresh index.

    Raises
    ------
    InputError
        An actor type or framework kind is not one of the ontology's slugs.

    Examples
    --------
    >>> rows = pd.DataFrame({"actor_type": ["state", "organization"],
    ...                      "actor_kind": ["state", "un_entity"],
    ...                      "framework_kind": ["compact", "agenda"]})
    >>> len(filter_citations(rows, actor_types=["un_entity"]))
    1
    >>> len(filter_citations(rows, framework_kinds=["compact", "agenda"]))
    2
    """
    keep = pd.Series(True, index=table.index)
    if document is not None:
        keep &= (table["document_label"] == document) | (table["document"] == document)
        if not keep.any():
            logger.warning("no citations in document %r", document)
    if year is not None:
        keep &= table["framework_year"] == year
    actors = _slugs(actor_types, (*ACTOR_TYPES, *ORGANIZATION_KINDS), "actor type")
    if actors is not None:
        keep &= table["actor_type"].isin(actors) | table["actor_kind"].isin(actors)
    kinds = _slugs(framework_kinds, FRAMEWORK_KINDS, "framework kind")
    if kinds is not None:
        keep &= table["framework_kind"].isin(kinds)
    return table[keep.fillna(False).astype(bool)].reset_index(drop=True)


def citation_table(
    store: pyoxigraph.Store,
    *,
    document: str | None = None,
    year: int | None = None,
    actor_types: Iterable[str] | None = None,
    framework_kinds: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per citation and evidence span (the ``citation_edges`` named query), filtered.

    The filters are those of :func:`filter_citations`; the columns are the query's variables.
    """
    table = _select(store, "citation_edges")
    table["framework_year"] = table["framework_year"].astype("Int64")
    return filter_citations(
        table,
        document=document,
        year=year,
        actor_types=actor_types,
        framework_kinds=framework_kinds,
    )


def affiliation_table(store: pyoxigraph.Store) -> pd.DataFrame:
    """One row per affiliation and evidence span (the ``affiliation_edges`` named query)."""
    return _select(store, "affiliation_edges")


# ---------------------------------------------------------------------------------------------
# Networks


def _document_column(table: pd.DataFrame) -> list[Any]:
    labels = table["document_label"] if "document_label" in table else table["document"]
    return [
        label if isinstance(label, str) else doc
        for label, doc in zip(labels, table.get("document", labels), strict=True)
    ]


def network_from_citations(table: pd.DataFrame) -> nx.DiGraph:
    """The bipartite citation network (actors → frameworks) of a citation table.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``actor``, ``actor_label``, ``actor_type``, ``actor_kind``, ``framework``,
        ``framework_label``, ``framework_kind``, ``citation_type``, ``evidence``, and
        optionally ``framework_year``, ``citation`` and ``document_label`` or ``document``.

    Returns
    -------
    networkx.DiGraph
        Nodes in sorted order with ``iri``, ``label``, ``type``, ``kind``, ``side`` ("actor" or
        "framework"), ``bipartite`` (0 or 1) and, for frameworks with one, ``year``. Edges in
        sorted order with ``weight`` (distinct evidence spans), ``citations`` (citation facts),
        ``citation_types`` and ``documents`` (sorted, joined by :data:`SEPARATOR`).

    Examples
    --------
    >>> rows = pd.DataFrame({
    ...     "actor": ["s/a", "s/a", "s/b"], "actor_label": ["A", "A", "B"],
    ...     "actor_type": "state", "actor_kind": "state", "framework": "f/x",
    ...     "framework_label": "X", "framework_kind": "compact",
    ...     "citation_type": ["cites", "adopts", "cites"], "document_label": "d1",
    ...     "evidence": ["e1", "e1", "e2"], "citation": ["c1", "c2", "c3"]})
    >>> G = network_from_citations(rows)
    >>> list(G.edges(data="weight"))
    [('s/a', 'f/x', 1), ('s/b', 'f/x', 1)]
    >>> G.edges["s/a", "f/x"]["citation_types"]
    'adopts;cites'
    """
    graph = nx.DiGraph(name="citation")
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], tuple[set[str], set[str], set[str], set[str]]] = {}
    size = len(table)
    years = table["framework_year"] if "framework_year" in table else [None] * size
    citations = table["citation"] if "citation" in table else table["evidence"]
    for (
        actor,
        actor_label,
        actor_type,
        actor_kind,
        framework,
        framework_label,
        framework_kind,
        year,
        citation_type,
        document,
        evidence,
        citation,
    ) in zip(
        table["actor"],
        table["actor_label"],
        table["actor_type"],
        table["actor_kind"],
        table["framework"],
        table["framework_label"],
        table["framework_kind"],
        years,
        table["citation_type"],
        _document_column(table),
        table["evidence"],
        citations,
        strict=True,
    ):
        if actor not in nodes:
            nodes[actor] = {
                "iri": actor,
                "label": actor_label,
                "type": actor_type,
                "kind": actor_kind,
                "side": "actor",
                "bipartite": 0,
            }
        if framework not in nodes:
            nodes[framework] = {
                "iri": framework,
                "label": framework_label,
                "type": "framework",
                "kind": framework_kind,
                "side": "framework",
                "bipartite": 1,
            }
            if year is not None and not pd.isna(year):
                nodes[framework]["year"] = int(year)
        found = edges.setdefault((actor, framework), (set(), set(), set(), set()))
        found[0].add(evidence)
        found[1].add(citation)
        found[2].add(citation_type)
        found[3].add(document)
    graph.add_nodes_from((node, nodes[node]) for node in sorted(nodes))
    graph.add_edges_from(
        (
            actor,
            framework,
            {
                "weight": len(spans),
                "citations": len(facts),
                "citation_types": SEPARATOR.join(sorted(types)),
                "documents": SEPARATOR.join(sorted(documents)),
            },
        )
        for (actor, framework), (spans, facts, types, documents) in sorted(edges.items())
    )
    return graph


def network_from_affiliations(table: pd.DataFrame) -> nx.Graph:
    """The bipartite affiliation network (people ↔ organizations and states) of a table.

    Edges carry ``weight`` (distinct evidence spans), ``roles`` and ``documents`` (sorted,
    joined by :data:`SEPARATOR`); people are ``bipartite`` 0, organizations and states 1.
    """
    graph = nx.Graph(name="affiliation")
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], tuple[set[str], set[str], set[str]]] = {}
    for (
        person,
        person_label,
        organization,
        organization_label,
        kind_type,
        kind,
        role,
        document,
        evidence,
    ) in zip(
        table["person"],
        table["person_label"],
        table["organization"],
        table["organization_label"],
        table["organization_type"],
        table["organization_kind"],
        table["role"],
        _document_column(table),
        table["evidence"],
        strict=True,
    ):
        nodes.setdefault(
            person,
            {
                "iri": person,
                "label": person_label,
                "type": "person",
                "kind": "person",
                "side": "person",
                "bipartite": 0,
            },
        )
        nodes.setdefault(
            organization,
            {
                "iri": organization,
                "label": organization_label,
                "type": kind_type,
                "kind": kind,
                "side": "organization",
                "bipartite": 1,
            },
        )
        found = edges.setdefault((person, organization), (set(), set(), set()))
        found[0].add(evidence)
        if isinstance(role, str) and role:
            found[1].add(role)
        found[2].add(document)
    graph.add_nodes_from((node, nodes[node]) for node in sorted(nodes))
    graph.add_edges_from(
        (
            person,
            organization,
            {
                "weight": len(spans),
                "roles": SEPARATOR.join(sorted(roles)),
                "documents": SEPARATOR.join(sorted(documents)),
            },
        )
        for (person, organization), (spans, roles, documents) in sorted(edges.items())
    )
    return graph


def citation_network(
    store: pyoxigraph.Store,
    *,
    document: str | None = None,
    year: int | None = None,
    actor_types: Iterable[str] | None = None,
    framework_kinds: Iterable[str] | None = None,
) -> nx.DiGraph:
    """The citation network of the store: actors → frameworks, weighted by evidence spans.

    The filters are those of :func:`filter_citations`; the graph is that of
    :func:`network_from_citations`.
    """
    return network_from_citations(
        citation_table(
            store,
            document=document,
            year=year,
            actor_types=actor_types,
            framework_kinds=framework_kinds,
        )
    )


def affiliation_network(store: pyoxigraph.Store) -> nx.Graph:
    """The affiliation network of the store (see :func:`network_from_affiliations`)."""
    return network_from_affiliations(affiliation_table(store))


def _side(graph: nx.Graph, side: str) -> list[str]:
    return sorted(node for node, value in graph.nodes(data="side") if value == side)


def _neighbours(graph: nx.Graph, node: str) -> list[str]:
    if graph.is_directed():
        return sorted(set(graph.successors(node)) | set(graph.predecessors(node)))
    return sorted(graph[node])


def _other_side(graph: nx.Graph, side: str) -> str:
    sides = sorted({value for _, value in graph.nodes(data="side") if value and value != side})
    if len(sides) != 1:
        raise InputError(f"not a two-sided network (sides other than {side!r}: {sides})")
    return sides[0]


def projection_pairs(graph: nx.Graph, side: str) -> int:
    """How many node pairs a projection onto ``side`` visits: Σ d(d − 1)/2 over the other side.

    This is the cost (and an upper bound of the edge count) of :func:`cocitation_network`
    (``side="framework"``) and :func:`actor_projection` (``side="actor"``).

    Examples
    --------
    >>> G = nx.Graph([("a", "x"), ("b", "x"), ("c", "x")])
    >>> nx.set_node_attributes(G, {"a": "actor", "b": "actor", "c": "actor", "x": "framework"},
    ...                        "side")
    >>> projection_pairs(G, "actor"), projection_pairs(G, "framework")
    (3, 0)
    """
    if not _side(graph, side):
        return 0
    degrees = (len(_neighbours(graph, node)) for node in _side(graph, _other_side(graph, side)))
    return sum(d * (d - 1) // 2 for d in degrees)


def _project(
    graph: nx.Graph, keep: str, weight: Callable[[int], float], name: str, count_key: str
) -> nx.Graph:
    projected = nx.Graph(name=name)
    projected.add_nodes_from((node, dict(graph.nodes[node])) for node in _side(graph, keep))
    if projected.number_of_nodes() == 0:
        return projected
    weights: dict[tuple[str, str], float] = {}
    counts: dict[tuple[str, str], int] = {}
    for shared in _side(graph, _other_side(graph, keep)):
        members = _neighbours(graph, shared)
        if len(members) < 2:
            continue
        value = weight(len(members))
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                pair = (first, second)
                weights[pair] = weights.get(pair, 0) + value
                counts[pair] = counts.get(pair, 0) + 1
    projected.add_edges_from(
        (u, v, {"weight": weights[(u, v)], count_key: counts[(u, v)]}) for u, v in sorted(weights)
    )
    return projected


def cocitation_network(graph: nx.Graph) -> nx.Graph:
    """Frameworks linked when the same actor cites both.

    Parameters
    ----------
    graph : networkx.DiGraph
        A citation network (:func:`citation_network`).

    Returns
    -------
    networkx.Graph
        Every framework of ``graph`` (isolated ones too), with its attributes; an edge's
        ``weight`` and ``actors`` are the number of distinct actors citing both frameworks.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "x"), ("a", "y"), ("b", "x"), ("b", "y"), ("b", "z")])
    >>> nx.set_node_attributes(G, {n: "actor" if n < "c" else "framework" for n in G}, "side")
    >>> sorted(cocitation_network(G).edges(data="weight"))
    [('x', 'y', 2), ('x', 'z', 1), ('y', 'z', 1)]
    """
    return _project(graph, "framework", lambda degree: 1, "cocitation", "actors")


def actor_projection(graph: nx.Graph) -> nx.Graph:
    """Actors linked when they cite the same framework, with Newman's collaboration weights.

    Following Newman (2001), a framework cited by ``d`` distinct actors adds ``1 / (d − 1)``
    to the weight of each pair of them, so a framework everybody cites ties each pair loosely
    and the weighted degree of an actor is the number of frameworks it shares with anyone:

    .. math:: w_{uv} = \\sum_k \\frac{\\delta_u^k \\delta_v^k}{d_k - 1}

    Citation counts do not enter (an actor cites a framework or not); frameworks cited by one
    actor add nothing. The result equals
    :func:`networkx.algorithms.bipartite.collaboration_weighted_projected_graph`, built in
    sorted order so that float sums and edge order do not depend on set iteration order.

    Parameters
    ----------
    graph : networkx.DiGraph
        A citation network (:func:`citation_network`).

    Returns
    -------
    networkx.Graph
        Every actor of ``graph``, with its attributes; edges carry ``weight`` and
        ``frameworks`` (the number of frameworks both cite).

    References
    ----------
    .. [1] M. E. J. Newman, "Scientific collaboration networks. II. Shortest paths, weighted
       networks, and centrality", Phys. Rev. E 64, 016132 (2001).

    Examples
    --------
    >>> G = nx.DiGraph([("a", "x"), ("b", "x"), ("c", "x"), ("a", "y"), ("b", "y")])
    >>> nx.set_node_attributes(G, {n: "actor" if n < "x" else "framework" for n in G}, "side")
    >>> sorted(actor_projection(G).edges(data="weight"))
    [('a', 'b', 1.5), ('a', 'c', 0.5), ('b', 'c', 0.5)]
    """
    return _project(graph, "actor", lambda degree: 1.0 / (degree - 1), "actors", "frameworks")


# ---------------------------------------------------------------------------------------------
# Measures


def hits_scores(
    graph: nx.DiGraph, *, max_iter: int = 1000, tol: float = 1e-12
) -> tuple[dict[str, float], dict[str, float], int]:
    """Weighted HITS hub and authority scores by power iteration from a uniform start.

    Authorities are the principal eigenvector of AᵀA (A the weighted adjacency matrix, in
    node order), hubs are A·a; both are normalized to sum to 1. In the citation network the
    actors are the hubs and the frameworks the authorities.

    Returns
    -------
    (hubs, authorities, iterations) : tuple
        ``iterations`` is ``-1`` when the iteration did not converge within ``max_iter``
        (a warning is logged and the last iterate is returned).

    Examples
    --------
    >>> G = nx.DiGraph([("a", "x"), ("a", "y"), ("b", "x")])
    >>> hubs, authorities, _ = hits_scores(G)
    >>> authorities["x"] > authorities["y"] > authorities["a"] == 0.0
    True
    >>> round(sum(hubs.values()), 6)
    1.0
    """
    nodes = list(graph)
    if not nodes:
        return {}, {}, 0
    zero = dict.fromkeys(nodes, 0.0)
    if graph.number_of_edges() == 0:
        return zero, dict(zero), 0
    matrix = nx.to_scipy_sparse_array(
        graph, nodelist=nodes, weight="weight", dtype=float, format="csr"
    )
    transposed = matrix.T.tocsr()
    authority = np.full(len(nodes), 1.0 / len(nodes))
    iterations = -1
    for step in range(1, max_iter + 1):
        following = transposed @ (matrix @ authority)
        following /= following.sum()
        change = float(np.abs(following - authority).sum())
        authority = following
        if change < tol * len(nodes):
            iterations = step
            break
    else:
        logger.warning("HITS did not converge in %d iterations", max_iter)
    hub = matrix @ authority
    hub /= hub.sum()
    return (
        dict(zip(nodes, map(float, hub), strict=True)),
        dict(zip(nodes, map(float, authority), strict=True)),
        iterations,
    )


def bipartite_density(graph: nx.Graph) -> float | None:
    """Edges over possible edges between the two sides, m / (|top| · |bottom|).

    Returns ``None`` unless the nodes have two ``bipartite`` values (0 and 1) and every edge
    joins them. A directed bipartite graph counts one possible edge per pair (networkx's
    :func:`~networkx.algorithms.bipartite.density` counts two).

    Examples
    --------
    >>> G = nx.DiGraph([("a", "x"), ("b", "x")])
    >>> nx.set_node_attributes(G, {"a": 0, "b": 0, "x": 1, "y": 1}, "bipartite")
    >>> G.add_node("y", bipartite=1)
    >>> bipartite_density(G)
    0.5
    """
    sides = dict(graph.nodes(data="bipartite"))
    top = sum(1 for value in sides.values() if value == 0)
    bottom = sum(1 for value in sides.values() if value == 1)
    if top == 0 or bottom == 0 or top + bottom != len(sides):
        return None
    if any(sides[u] == sides[v] for u, v in graph.edges()):
        return None
    return graph.number_of_edges() / (top * bottom)


def _undirected(graph: nx.Graph) -> nx.Graph:
    """A simple undirected copy in sorted node order, weights of opposite arcs summed."""
    result = nx.Graph(name=graph.graph.get("name", ""))
    result.add_nodes_from(sorted(graph))
    weights: dict[tuple[str, str], float] = {}
    for u, v, weight in graph.edges(data="weight", default=1):
        if u == v:
            continue
        pair = (u, v) if u <= v else (v, u)
        weights[pair] = weights.get(pair, 0) + weight
    result.add_edges_from((u, v, {"weight": weights[(u, v)]}) for u, v in sorted(weights))
    return result


def _numbered(groups: Iterable[Iterable[str]]) -> dict[str, int]:
    """Node → group number; 0 is the largest group, ties broken by the smallest node."""
    ordered = sorted((sorted(group) for group in groups), key=lambda g: (-len(g), g[0]))
    return {node: number for number, group in enumerate(ordered) for node in group}


def _modularity(graph: nx.Graph, community: dict[str, int]) -> float:
    """Weighted Newman–Girvan modularity of an undirected graph, summed in a fixed order.

    :func:`networkx.community.modularity` sums over sets, so its last digits follow the
    hash seed; this is the same formula, Σ_c [L_c / m − (d_c / 2m)²].

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("c", "d")])
    >>> _modularity(G, {"a": 0, "b": 0, "c": 1, "d": 1})
    0.5
    """
    total = graph.size(weight="weight")
    if not total:
        return math.nan
    inside: dict[int, float] = {}
    degree: dict[int, float] = {}
    for u, v, weight in graph.edges(data="weight", default=1):
        if community[u] == community[v]:
            inside[community[u]] = inside.get(community[u], 0) + weight
    for node, weight in graph.degree(weight="weight"):
        degree[community[node]] = degree.get(community[node], 0) + weight
    return sum(inside.get(c, 0) / total - (degree[c] / (2 * total)) ** 2 for c in sorted(degree))


def measures_table(
    graph: nx.Graph,
    *,
    exact_betweenness_max_nodes: int = EXACT_BETWEENNESS_MAX_NODES,
    betweenness_samples: int = BETWEENNESS_SAMPLES,
    seed: int = SEED,
) -> pd.DataFrame:
    """Node measures of a network, one row per node in sorted node order.

    Columns: ``iri``, ``label``, ``type``, ``kind``, ``side``; ``degree`` (distinct
    neighbours); ``weighted_degree`` (sum of edge weights); ``betweenness`` (normalized, on the
    undirected network with every edge of length 1, since weights count ties rather than
    measure distance); ``pagerank`` (weighted, damping 0.85, directed for a directed network);
    for a directed network ``hub`` and ``authority`` (:func:`hits_scores`); ``community``
    (weighted Louvain on the undirected network, fixed ``seed``; 0 is the largest);
    ``core_number`` (k-core); ``component`` ((weakly) connected component; 0 is the largest).

    Betweenness is exact up to ``exact_betweenness_max_nodes`` nodes (exact costs one
    breadth-first search per node); above, it is estimated from ``betweenness_samples``
    source nodes sampled with ``seed`` (networkx's ``k``), and the summary says so.

    Graph-level values are in ``table.attrs["summary"]`` (see :func:`summary_table`):
    network, nodes, edges, density (bipartite when the network is), components, largest
    component, communities, modularity, betweenness method and HITS iterations.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "x"), ("a", "y"), ("b", "x")])
    >>> nx.set_node_attributes(G, {"a": 0, "b": 0, "x": 1, "y": 1}, "bipartite")
    >>> table = measures_table(G)
    >>> table[["iri", "degree", "core_number", "component"]].values.tolist()
    [['a', 2, 1, 0], ['b', 1, 1, 0], ['x', 2, 1, 0], ['y', 1, 1, 0]]
    >>> table.attrs["summary"]["density"], table.attrs["summary"]["betweenness"]
    (0.75, 'exact')
    """
    nodes = sorted(graph)
    undirected = _undirected(graph)
    count = len(nodes)
    if count <= exact_betweenness_max_nodes:
        betweenness = nx.betweenness_centrality(undirected, normalized=True)
        method = "exact"
    else:
        samples = min(betweenness_samples, count)
        betweenness = nx.betweenness_centrality(undirected, k=samples, normalized=True, seed=seed)
        method = f"sampled k={samples} seed={seed}"
        logger.info("betweenness of %d nodes estimated from %d sources", count, samples)
    pagerank = nx.pagerank(graph, weight="weight", max_iter=1000) if count else {}
    if undirected.number_of_edges():
        communities = nx.community.louvain_communities(undirected, weight="weight", seed=seed)
    else:
        communities = [{node} for node in nodes]
    community = _numbered(communities)
    modularity = _modularity(undirected, community)
    components = list(nx.connected_components(undirected))
    component = _numbered(components)
    core = nx.core_number(undirected)
    strength = dict(graph.degree(weight="weight"))
    attributes = {
        key: [graph.nodes[node].get(key, "") for node in nodes]
        for key in ("label", "type", "kind", "side")
    }
    data: dict[str, list[Any]] = {
        "iri": nodes,
        **attributes,
        "degree": [undirected.degree(node) for node in nodes],
        "weighted_degree": [float(strength[node]) for node in nodes],
        "betweenness": [float(betweenness[node]) for node in nodes],
        "pagerank": [float(pagerank[node]) for node in nodes],
    }
    iterations = None
    if graph.is_directed():
        hubs, authorities, iterations = hits_scores(graph)
        data["hub"] = [hubs[node] for node in nodes]
        data["authority"] = [authorities[node] for node in nodes]
    data["community"] = [community[node] for node in nodes]
    data["core_number"] = [int(core[node]) for node in nodes]
    data["component"] = [component[node] for node in nodes]
    table = pd.DataFrame(data)
    table["label"] = [label or node for label, node in zip(table["label"], nodes, strict=True)]
    density = bipartite_density(graph)
    table.attrs["summary"] = {
        "network": graph.graph.get("name", ""),
        "nodes": count,
        "edges": graph.number_of_edges(),
        "density": density if density is not None else float(nx.density(undirected)),
        "density_kind": "bipartite" if density is not None else "plain",
        "components": len(components),
        "largest_component": max((len(c) for c in components), default=0),
        "communities": len(communities),
        "modularity": modularity,
        "betweenness": method,
        "hits_iterations": iterations,
    }
    return table


def summary_table(table: pd.DataFrame) -> pd.DataFrame:
    """The graph-level values of a :func:`measures_table` as rows (``measure``, ``value``).

    Examples
    --------
    >>> table = measures_table(nx.path_graph(["a", "b", "c"]))
    >>> summary_table(table).set_index("measure").loc["components", "value"]
    '1'
    """
    rows = [
        (key, "" if value is None else str(value))
        for key, value in table.attrs.get("summary", {}).items()
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])


# ---------------------------------------------------------------------------------------------
# Measures as RDF


@functools.cache
def _declared_terms() -> frozenset[str]:
    text = (files("migkg.queries") / "measures.ttl").read_bytes()
    names = set()
    for quad in pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE):
        subject = quad.subject
        if isinstance(subject, pyoxigraph.NamedNode) and subject.value.startswith(
            MEASURES_NAMESPACE
        ):
            names.add(subject.value.removeprefix(MEASURES_NAMESPACE))
    return frozenset(names)


def _term(name: str) -> pyoxigraph.NamedNode:
    if name not in _declared_terms():
        raise KeyError(f"{name!r} is not declared in measures.ttl ({MEASURES_NAMESPACE})")
    return pyoxigraph.NamedNode(MEASURES_NAMESPACE + name)


_NODE_TERMS = (
    ("degree", "degree", int),
    ("weighted_degree", "weightedDegree", float),
    ("betweenness", "betweenness", float),
    ("pagerank", "pageRank", float),
    ("hub", "hubScore", float),
    ("authority", "authorityScore", float),
    ("community", "community", int),
    ("core_number", "coreNumber", int),
    ("component", "component", int),
)
_NETWORK_TERMS = (
    ("nodes", "nodeCount", int),
    ("edges", "edgeCount", int),
    ("density", "density", float),
    ("modularity", "modularity", float),
    ("communities", "communityCount", int),
    ("components", "componentCount", int),
    ("betweenness", "betweennessMethod", str),
)
_RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDFS_LABEL = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def _measure_node(network: str, iri: str) -> pyoxigraph.NamedNode:
    base = str(MIGD)
    local = (
        iri[len(base) :]
        if iri.startswith(base)
        else "node/" + hashlib.sha256(iri.encode()).hexdigest()[:20]
    )
    return pyoxigraph.NamedNode(str(MIGD[f"measures/{network}/{local}"]))


def _literal(value: Any, kind: type) -> pyoxigraph.Literal | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return pyoxigraph.Literal(kind(value))


def measures_quads(tables: dict[str, pd.DataFrame]) -> list[pyoxigraph.Quad]:
    """The measures of each named network as quads in :data:`MEASURES_GRAPH`, sorted.

    One ``mm:Network`` node per network (``…/id/measures/NAME``) and one ``mm:NodeMeasures``
    node per entity and network (``…/id/measures/NAME/<entity path>``) linked by ``mm:entity``.
    Terms come from ``measures.ttl`` only; an undeclared term raises ``KeyError``.
    """
    graph = pyoxigraph.NamedNode(MEASURES_GRAPH)
    quads: list[pyoxigraph.Quad] = []

    def add(
        subject: pyoxigraph.NamedNode,
        predicate: pyoxigraph.NamedNode,
        obj: pyoxigraph.NamedNode | pyoxigraph.Literal | None,
    ) -> None:
        if obj is not None:
            quads.append(pyoxigraph.Quad(subject, predicate, obj, graph))

    for name, table in sorted(tables.items()):
        network = pyoxigraph.NamedNode(str(MIGD[f"measures/{name}"]))
        add(network, _RDF_TYPE, _term("Network"))
        add(network, _RDFS_LABEL, pyoxigraph.Literal(f"{name} network", language="en"))
        summary = table.attrs.get("summary", {})
        for key, term, kind in _NETWORK_TERMS:
            add(network, _term(term), _literal(summary.get(key), kind))
        columns = [
            (column, _term(term), kind) for column, term, kind in _NODE_TERMS if column in table
        ]
        values = [table[column].tolist() for column, _, _ in columns]
        node_class, in_network, entity = _term("NodeMeasures"), _term("network"), _term("entity")
        for row, iri in enumerate(table["iri"].tolist()):
            node = _measure_node(name, iri)
            add(node, _RDF_TYPE, node_class)
            add(node, in_network, network)
            add(node, entity, pyoxigraph.NamedNode(iri))
            for (_, predicate, kind), column_values in zip(columns, values, strict=True):
                add(node, predicate, _literal(column_values[row], kind))
    return sorted(quads, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))


def measures_trig(tables: dict[str, pd.DataFrame]) -> bytes:
    """:func:`measures_quads` serialized as TriG (the ``measures.trig`` file)."""
    prefixes = {
        "mm": MEASURES_NAMESPACE,
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    }
    data = pyoxigraph.serialize(
        measures_quads(tables), format=pyoxigraph.RdfFormat.TRIG, prefixes=prefixes
    )
    return bytes(data or b"")
