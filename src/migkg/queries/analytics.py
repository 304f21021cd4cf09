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

Large networks: the measures are computed on SciPy sparse matrices (NetworkX's pure-Python
betweenness, core number and Louvain take minutes each on a million edges). Two of them
change method with size, and say so in the summary (:func:`measures_table`): betweenness is
estimated from sampled sources above :data:`EXACT_BETWEENNESS_MAX_NODES` nodes, with fewer
sources when :data:`BETWEENNESS_MAX_WORK` runs out and none below
:data:`BETWEENNESS_MIN_SAMPLES`; communities come from a batched Louvain above
:data:`NETWORKX_LOUVAIN_MAX_EDGES` edges. Budgets count work, never seconds, so the same store
gives the same numbers on any machine.

The measures are written as RDF with the small vocabulary ``https://w3id.org/migkg/measures#``
(``measures.ttl`` in this package): the migkg ontology has no terms for network measures, and
none are invented in its namespace.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import random
from collections.abc import Callable, Iterable, Iterator
from importlib.resources import files
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pyoxigraph
import scipy.sparse as sp
from scipy.sparse import csgraph

from migkg.errors import InputError
from migkg.ontology.terms import FRAMEWORK_KINDS, MIGD, ORGANIZATION_KINDS
from migkg.queries.run import load_query, run_on_store

__all__ = [
    "ACTOR_TYPES",
    "BETWEENNESS_MAX_WORK",
    "BETWEENNESS_MIN_SAMPLES",
    "BETWEENNESS_SAMPLES",
    "EXACT_BETWEENNESS_MAX_NODES",
    "LOUVAIN_BATCHES",
    "MEASURES_GRAPH",
    "MEASURES_NAMESPACE",
    "NETWORKX_LOUVAIN_MAX_EDGES",
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
BETWEENNESS_MAX_WORK = 4e9
"""Work budget of betweenness: matrix entries plus nodes, times BFS levels, times sources,
counted forward and backward (about 2.5e7 per source on a million edges). Fewer sources are
used when the budget runs out (see :func:`measures_table`)."""
BETWEENNESS_MIN_SAMPLES = 10
"""Below this many sources within the work budget, betweenness is not computed."""
NETWORKX_LOUVAIN_MAX_EDGES = 50_000
"""NetworkX's Louvain up to this many undirected edges; batched Louvain above."""
LOUVAIN_BATCHES = 8
"""Batches per sweep of the batched Louvain (:func:`_batched_louvain`)."""
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


def _document_column(table: pd.DataFrame) -> np.ndarray:
    """The document label of each row, or its document IRI where it has no label."""
    labels = table["document_label"] if "document_label" in table else table["document"]
    documents = labels.to_numpy(dtype=object).copy()
    if "document" in table:
        other = np.fromiter(
            (not isinstance(label, str) for label in documents), bool, len(documents)
        )
        documents[other] = table["document"].to_numpy(dtype=object)[other]
    return documents


def _codes(values: Any, *, sort: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``values`` (numbered in sorted order of the values unless ``sort`` is
    false), and the values."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), sort=sort, use_na_sentinel=False)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _distinct(group: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (group, value) pairs, sorted by group then value."""
    order = np.lexsort((value, group))
    group, value = group[order], value[order]
    keep = np.ones(len(group), dtype=bool)
    keep[1:] = (group[1:] != group[:-1]) | (value[1:] != value[:-1])
    return group[keep], value[keep]


def _joined(group: np.ndarray, value: np.ndarray, uniques: np.ndarray) -> list[str]:
    """Per group (sorted distinct pairs of :func:`_distinct`), its values joined in order."""
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    ends = np.r_[starts[1:], len(group)]
    names = uniques[value]
    joined: list[str] = names[starts].tolist()
    for number in np.flatnonzero(ends - starts > 1).tolist():
        joined[number] = SEPARATOR.join(names[starts[number] : ends[number]].tolist())
    return joined


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
        "framework"), ``bipartite`` (0 or 1) and, for frameworks with one, ``year``; a node's
        attributes come from its first row. Edges in sorted order with ``weight`` (distinct
        evidence spans), ``citations`` (citation facts), ``citation_types`` and ``documents``
        (sorted, joined by :data:`SEPARATOR`).

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
    if table.empty:
        return graph
    actor, actors = _codes(table["actor"])
    framework, frameworks = _codes(table["framework"])
    # one integer per (actor, framework) pair, in sorted order of the pair
    pair = actor * len(frameworks) + framework
    pairs, pair_row = np.unique(pair, return_index=True)
    nodes: dict[str, tuple[int, dict[str, Any]]] = {}
    first_actor = np.unique(actor, return_index=True)[1]
    for row, iri, label, kind_type, kind in zip(
        first_actor.tolist(),
        actors.tolist(),
        table["actor_label"].to_numpy()[first_actor].tolist(),
        table["actor_type"].to_numpy()[first_actor].tolist(),
        table["actor_kind"].to_numpy()[first_actor].tolist(),
        strict=True,
    ):
        nodes[iri] = (
            row,
            {
                "iri": iri,
                "label": label,
                "type": kind_type,
                "kind": kind,
                "side": "actor",
                "bipartite": 0,
            },
        )
    first_framework = np.unique(framework, return_index=True)[1]
    years = (
        table["framework_year"].to_numpy(dtype=object)[first_framework].tolist()
        if "framework_year" in table
        else [None] * len(first_framework)
    )
    for row, iri, label, kind, year in zip(
        first_framework.tolist(),
        frameworks.tolist(),
        table["framework_label"].to_numpy()[first_framework].tolist(),
        table["framework_kind"].to_numpy()[first_framework].tolist(),
        years,
        strict=True,
    ):
        if iri in nodes and nodes[iri][0] <= row:  # an actor row came first
            continue
        attributes = {
            "iri": iri,
            "label": label,
            "type": "framework",
            "kind": kind,
            "side": "framework",
            "bipartite": 1,
        }
        if year is not None and not pd.isna(year):
            attributes["year"] = int(year)
        nodes[iri] = (row, attributes)
    graph.add_nodes_from((iri, nodes[iri][1]) for iri in sorted(nodes))
    del nodes
    evidence = _codes(table["evidence"], sort=False)[0]
    citations = _codes(table["citation"], sort=False)[0] if "citation" in table else evidence
    types, type_names = _codes(table["citation_type"])
    documents, document_names = _codes(_document_column(table))
    weights = np.unique(_distinct(pair, evidence)[0], return_counts=True)[1]
    facts = np.unique(_distinct(pair, citations)[0], return_counts=True)[1]
    # What DiGraph.add_edges_from does for new edges between existing nodes, without its
    # per-edge checks: half the time of the whole function on a million edges.
    successors, predecessors = graph._succ, graph._pred
    for source, target, weight, fact, kinds, found in zip(
        actors[actor[pair_row]].tolist(),
        frameworks[framework[pair_row]].tolist(),
        weights.tolist(),
        facts.tolist(),
        _joined(*_distinct(pair, types), type_names),
        _joined(*_distinct(pair, documents), document_names),
        strict=True,
    ):
        successors[source][target] = predecessors[target][source] = {
            "weight": weight,
            "citations": fact,
            "citation_types": kinds,
            "documents": found,
        }
    del pairs
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
    if graph.is_directed():
        degrees = (
            len(set(graph.succ[node]).union(graph.pred[node]))
            for node in _side(graph, _other_side(graph, side))
        )
    else:
        degrees = (len(graph[node]) for node in _side(graph, _other_side(graph, side)))
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
#
# Every measure of :func:`measures_table` works on SciPy sparse matrices in sorted node order:
# the weighted adjacency ``A`` as the network has it, its undirected weighted form ``W`` (arcs
# of both directions summed, self-loops dropped) and the pattern of ``W`` with unit lengths.
# NetworkX's pure-Python betweenness, core number and Louvain take minutes on a million edges
# (its core number removes neighbours from lists, quadratic in the degree of a hub), so those
# three are computed here with whole-array operations and checked against NetworkX in the tests.


def _adjacency(graph: nx.Graph, nodes: list[str]) -> sp.csr_array:
    """Weighted adjacency matrix in ``nodes`` order (parallel edges summed; symmetric for an
    undirected graph, a self-loop once on the diagonal), as :func:`nx.to_scipy_sparse_array`
    builds it, in one pass over the edges."""
    index = {node: number for number, node in enumerate(nodes)}
    edges = list(graph.edges(data="weight", default=1))
    count = len(edges)
    rows = np.fromiter((index[edge[0]] for edge in edges), dtype=np.int64, count=count)
    cols = np.fromiter((index[edge[1]] for edge in edges), dtype=np.int64, count=count)
    weights = np.fromiter((edge[2] for edge in edges), dtype=float, count=count)
    del edges
    if not graph.is_directed():
        loops = rows == cols
        rows, cols = np.concatenate([rows, cols[~loops]]), np.concatenate([cols, rows[~loops]])
        weights = np.concatenate([weights, weights[~loops]])
    size = len(nodes)
    matrix = sp.csr_array((weights, (rows, cols)), shape=(size, size))
    matrix.sum_duplicates()
    return matrix


def _undirected_matrix(matrix: sp.csr_array, directed: bool) -> sp.csr_array:
    """``W``: the undirected weighted matrix (opposite arcs summed, no diagonal)."""
    coo = matrix.tocoo()
    keep = coo.row != coo.col
    rows, cols, weights = coo.row[keep], coo.col[keep], coo.data[keep]
    if directed:
        rows, cols = np.concatenate([rows, cols]), np.concatenate([cols, rows])
        weights = np.concatenate([weights, weights])
    undirected = sp.csr_array((weights, (rows, cols)), shape=matrix.shape)
    undirected.sum_duplicates()
    return undirected


def _pattern(matrix: sp.csr_array) -> sp.csr_array:
    """The nonzero pattern of a canonical CSR matrix with every value 1.0 (zero weights too)."""
    return sp.csr_array(
        (np.ones(len(matrix.indices)), matrix.indices, matrix.indptr), shape=matrix.shape
    )


def _pagerank(matrix: sp.csr_array, *, alpha: float = 0.85, max_iter: int = 1000) -> np.ndarray:
    """Weighted PageRank of an adjacency matrix: networkx's SciPy power iteration, step by step
    (uniform start and teleport, dangling nodes teleport, L1 tolerance 1e-6 per node)."""
    size = matrix.shape[0]
    strength = matrix.sum(axis=1)
    strength[strength != 0] = 1.0 / strength[strength != 0]
    scaled = sp.dia_array((strength.T, 0), shape=matrix.shape).tocsr() @ matrix
    x = np.repeat(1.0 / size, size)
    teleport = np.repeat(1.0 / size, size)
    dangling = np.where(strength == 0)[0]
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ scaled + sum(x[dangling]) * teleport) + (1 - alpha) * teleport
        if np.absolute(x - last).sum() < size * 1e-6:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def _hits(matrix: sp.csr_array, *, max_iter: int, tol: float) -> tuple[np.ndarray, np.ndarray, int]:
    size = matrix.shape[0]
    transposed = matrix.T.tocsr()
    authority = np.full(size, 1.0 / size)
    iterations = -1
    for step in range(1, max_iter + 1):
        following = transposed @ (matrix @ authority)
        following /= following.sum()
        change = float(np.abs(following - authority).sum())
        authority = following
        if change < tol * size:
            iterations = step
            break
    else:
        logger.warning("HITS did not converge in %d iterations", max_iter)
    hub = matrix @ authority
    hub /= hub.sum()
    return hub, authority, iterations


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
    hub, authority, iterations = _hits(_adjacency(graph, nodes), max_iter=max_iter, tol=tol)
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


def _numbered(labels: np.ndarray) -> np.ndarray:
    """Renumber group labels (one per node, nodes in sorted order): 0 is the largest group,
    ties broken by the group's first node.

    Examples
    --------
    >>> _numbered(np.array([7, 3, 3, 7, 5])).tolist()
    [0, 1, 1, 0, 2]
    """
    if len(labels) == 0:
        return np.zeros(0, dtype=np.int64)
    groups, first, inverse, sizes = np.unique(
        labels, return_index=True, return_inverse=True, return_counts=True
    )
    rank = np.empty(len(groups), dtype=np.int64)
    rank[np.lexsort((first, -sizes))] = np.arange(len(groups))
    return rank[inverse.reshape(-1)]


def _modularity(undirected: sp.csr_array, community: np.ndarray, resolution: float = 1.0) -> float:
    """Weighted Newman–Girvan modularity, Σ_c [W_c / 2m − γ (d_c / 2m)²], of a symmetric
    matrix (W_c the entries inside community c, d_c its strength, 2m all entries).

    Summed with :func:`numpy.bincount` in a fixed order, so the last digits do not follow the
    hash seed (:func:`networkx.community.modularity` sums over sets).

    Examples
    --------
    >>> W = sp.csr_array(np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0.]]))
    >>> _modularity(W, np.array([0, 0, 1, 1]))
    0.5
    """
    total = float(undirected.sum())
    if not total:
        return math.nan
    coo = undirected.tocoo()
    groups = int(community.max()) + 1
    same = community[coo.row] == community[coo.col]
    inside = np.bincount(community[coo.row[same]], weights=coo.data[same], minlength=groups)
    strength = np.bincount(
        community, weights=np.asarray(undirected.sum(axis=1)).ravel(), minlength=groups
    )
    return float(np.sum(inside / total - resolution * (strength / total) ** 2))


def _segment_best(indptr: np.ndarray, scores: np.ndarray, ids: np.ndarray) -> tuple[Any, Any]:
    """Per CSR row: the highest score and, among equal scores, the smallest id (-1 if empty)."""
    rows = len(indptr) - 1
    counts = np.diff(indptr)
    filled = counts > 0
    best_score = np.full(rows, -np.inf)
    best_id = np.full(rows, -1, dtype=np.int64)
    if not filled.any():
        return best_score, best_id
    starts = indptr[:-1][filled]
    top = np.maximum.reduceat(scores, starts)
    row_top = np.full(rows, np.inf)
    row_top[filled] = top
    at_top = scores == np.repeat(row_top, counts)
    candidates = np.where(at_top, ids.astype(np.int64), np.iinfo(np.int64).max)
    best_score[filled] = top
    best_id[filled] = np.minimum.reduceat(candidates, starts)
    return best_score, best_id


def _local_moves(
    matrix: sp.csr_array,
    generator: np.random.Generator,
    *,
    resolution: float,
    threshold: float,
    batches: int,
    max_sweeps: int,
) -> tuple[np.ndarray, bool]:
    """One Louvain level: move nodes to the neighbouring community of largest modularity gain,
    a batch of nodes at a time (the nodes of a batch move together, seeing the communities as
    the previous batch left them), until a sweep gains no more than ``threshold``."""
    size = matrix.shape[0]
    strength = np.asarray(matrix.sum(axis=1)).ravel()
    total = float(strength.sum())
    community = np.arange(size)
    totals = strength.copy()
    members = np.ones(size, dtype=np.int64)
    quality = _modularity(matrix, community, resolution)
    moved = False
    for _ in range(max_sweeps):
        moves = 0
        for batch in np.array_split(generator.permutation(size), batches):
            rows = matrix[batch]
            counts = np.diff(rows.indptr)
            local = np.repeat(np.arange(len(batch)), counts)
            others = rows.indices != batch[local]  # a self-loop stays inside any community
            links = sp.csr_array(
                (rows.data[others], (local[others], community[rows.indices[others]])),
                shape=(len(batch), size),
            )
            links.sum_duplicates()
            counts = np.diff(links.indptr)
            local = np.repeat(np.arange(len(batch)), counts)
            own = community[batch]
            degree = strength[batch]
            target = links.indices
            is_own = target == own[local]
            outside = totals[target] - np.where(is_own, degree[local], 0.0)
            scores = links.data - resolution * degree[local] * outside / total
            own_links = np.bincount(local[is_own], weights=links.data[is_own], minlength=len(batch))
            stay = own_links - resolution * degree * (totals[own] - degree) / total
            best, choice = _segment_best(links.indptr, scores, target)
            go = (choice >= 0) & (choice != own) & (best > stay)
            # two lone nodes joining each other at once would only swap: the lower one moves
            go &= ~((members[own] == 1) & (members[np.maximum(choice, 0)] == 1) & (choice > own))
            chosen = np.flatnonzero(go)
            if not len(chosen):
                continue
            source, destination = own[chosen], choice[chosen]
            totals -= np.bincount(source, weights=degree[chosen], minlength=size)
            totals += np.bincount(destination, weights=degree[chosen], minlength=size)
            members -= np.bincount(source, minlength=size)
            members += np.bincount(destination, minlength=size)
            community[batch[chosen]] = destination
            moves += len(chosen)
        moved = moved or moves > 0
        gained = _modularity(matrix, community, resolution) - quality if moves else 0.0
        quality += gained
        if gained <= threshold:
            break
    return community, moved


def _batched_louvain(
    undirected: sp.csr_array,
    *,
    seed: int,
    resolution: float = 1.0,
    threshold: float = 1e-7,
    batches: int = LOUVAIN_BATCHES,
    max_sweeps: int = 100,
) -> np.ndarray:
    """Louvain communities (Blondel et al. 2008) with batched local moves, one label per node.

    Each level visits the nodes in a random order (``seed``) split into ``batches`` batches;
    the nodes of a batch each move to the neighbouring community of largest modularity gain
    at once, then the communities become the nodes of the next level. Levels stop, as in
    :func:`networkx.community.louvain_communities`, when modularity gains ``threshold`` or
    less. With 8 batches the modularity reached is within 0.01 of that of NetworkX's
    sequential Louvain on the graphs of the tests (above it on some), and on the million-edge
    graph of bench/bench_analytics.py (0.1328 against 0.1333, in 5 s instead of 2 minutes).

    Examples
    --------
    >>> G = nx.barbell_graph(5, 0)
    >>> W = nx.to_scipy_sparse_array(G, nodelist=sorted(G), format="csr")
    >>> _batched_louvain(W, seed=42).tolist()
    [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    """
    generator = np.random.default_rng(seed)
    size = undirected.shape[0]
    labels = np.arange(size)
    matrix = sp.csr_array(undirected, dtype=float)
    quality = _modularity(matrix, np.arange(size), resolution)
    while size:
        community, moved = _local_moves(
            matrix,
            generator,
            resolution=resolution,
            threshold=threshold,
            batches=batches,
            max_sweeps=max_sweeps,
        )
        if not moved:
            break
        _, community = np.unique(community, return_inverse=True)
        community = community.reshape(-1)
        labels = community[labels]
        groups = int(community.max()) + 1
        onehot = sp.csr_array(
            (np.ones(matrix.shape[0]), (np.arange(matrix.shape[0]), community)),
            shape=(matrix.shape[0], groups),
        )
        coarse = (onehot.T @ matrix @ onehot).tocsr()
        coarse_quality = _modularity(coarse, np.arange(groups), resolution)
        if coarse_quality - quality <= threshold or groups == matrix.shape[0]:
            break
        matrix, quality = coarse, coarse_quality
    return labels


def _core_numbers(pattern: sp.csr_array) -> np.ndarray:
    """Core number of every node of an undirected pattern without self-loops.

    Peels the nodes of degree at most k, wave by wave, raising k when none are left (the
    Batagelj–Zaversnik order, with the degree updates of a wave done at once).

    Examples
    --------
    >>> G = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)])
    >>> _core_numbers(nx.to_scipy_sparse_array(G, nodelist=[0, 1, 2, 3], format="csr")).tolist()
    [2, 2, 2, 1]
    """
    size = pattern.shape[0]
    indptr, indices = pattern.indptr, pattern.indices
    degree = np.diff(indptr).astype(np.int64)
    core = np.zeros(size, dtype=np.int64)
    alive = np.ones(size, dtype=bool)
    left = size
    k = 0
    while left:
        k = max(k, int(degree[alive].min()))
        wave = np.flatnonzero(alive & (degree <= k))
        while len(wave):
            alive[wave] = False
            core[wave] = k
            left -= len(wave)
            starts, lengths = indptr[wave], indptr[wave + 1] - indptr[wave]
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
            neighbours = indices[offsets + np.arange(int(lengths.sum()))]
            neighbours = neighbours[alive[neighbours]]
            np.subtract.at(degree, neighbours, 1)
            touched = np.unique(neighbours)
            wave = touched[degree[touched] <= k]
    return core


def _product(pattern: sp.csr_array, block: np.ndarray) -> np.ndarray:
    """``pattern @ block`` for a symmetric pattern, over the nonzero rows of ``block`` only
    (a search frontier is a small part of the nodes at most levels)."""
    rows = np.flatnonzero(block.any(axis=1))
    if len(rows) * 2 > len(block):
        return np.asarray(pattern @ block)
    return np.asarray(pattern[rows].T @ block[rows])


def _betweenness_sums(
    pattern: sp.csr_array, sources: np.ndarray, *, max_work: int, per_source: int
) -> tuple[np.ndarray, int]:
    """Brandes' dependency sums over ``sources`` (in order) on an unweighted undirected pattern.

    Sources go in blocks: a breadth-first search from every source of a block at once (one
    sparse-times-dense product per level counts shortest paths), then the dependencies back up
    level by level. Work is counted as (entries + nodes) × 2 per source and level; blocks are
    sized from ``per_source`` (an estimate, then the mean so far) to fit what is left of
    ``max_work``, and a block that would go over it is dropped, so only a prefix of
    ``sources`` may be used. Returns the sums and the number of sources used.
    """
    size = pattern.shape[0]
    cost = (pattern.nnz + size) * 2  # per source and level: forward and backward
    largest = max(1, min(32, 4_000_000 // max(size, 1)))  # n × block floats per array
    totals = np.zeros(size)
    spent = used = 0
    while used < len(sources):
        estimate = spent / used if used else per_source
        width = min(largest, len(sources) - used, int((max_work - spent) // max(estimate, 1)))
        if width < 1:
            break
        chunk = sources[used : used + width]
        columns = np.arange(width)
        depth = np.full((size, width), -1, dtype=np.int32)
        depth[chunk, columns] = 0
        sigma = np.zeros((size, width))
        sigma[chunk, columns] = 1.0
        frontier = sigma.copy()
        level = 0
        while True:
            if spent + cost * width * (level + 1) > max_work:
                return totals, used
            paths = _product(pattern, frontier)
            reached = (paths > 0) & (depth < 0)
            if not reached.any():
                break
            level += 1
            depth[reached] = level
            frontier = np.where(reached, paths, 0.0)
            sigma += frontier
        del frontier, paths, reached
        delta = np.zeros((size, width))
        for current in range(level, 0, -1):
            here = depth == current
            coefficient = np.where(here, (1.0 + delta) / np.where(here, sigma, 1.0), 0.0)
            back = _product(pattern, coefficient)
            delta += np.where(depth == current - 1, sigma * back, 0.0)
        delta[chunk, columns] = 0.0
        totals += delta.sum(axis=1)
        spent += cost * width * (level + 1)
        used += width
    return totals, used


def _betweenness(
    pattern: sp.csr_array,
    *,
    exact_max_nodes: int,
    samples: int,
    min_samples: int,
    max_work: int,
    seed: int,
) -> tuple[np.ndarray, str]:
    """Normalized betweenness as networkx computes it (``endpoints=False``), and the method.

    Exact (every node a source) up to ``exact_max_nodes`` nodes or when ``samples`` reaches
    the node count; above, from the ``samples`` sources networkx's ``k`` would pick,
    ``random.Random(seed).sample(list(G), k)``. The sources are taken in a seeded random
    order, so that when ``max_work`` runs out the ones used are still a random sample; below
    ``min_samples`` of them the values are NaN and the method says why.
    """
    size = pattern.shape[0]
    if size == 0:
        return np.zeros(0), "exact"
    exact = size <= exact_max_nodes or samples >= size
    sources = np.array(
        random.Random(seed).sample(range(size), size if exact else samples), dtype=np.int64
    )
    # One search in C from the first source tells about how many levels the searches go
    # (no other source in its component goes more than twice as deep), so that a network too
    # long-ranged for the budget is given up at once, not after spending it.
    distances = csgraph.shortest_path(pattern, unweighted=True, indices=int(sources[0]))
    levels = int(distances[np.isfinite(distances)].max())
    cost = (pattern.nnz + size) * 2
    needed = min(min_samples, len(sources))
    used = 0
    if needed * cost * (levels + 1) <= max_work:
        totals, used = _betweenness_sums(
            pattern, sources, max_work=max_work, per_source=cost * (2 * levels + 1)
        )
    if used < needed:
        reason = (
            f"not computed: {needed} breadth-first searches (about {levels} levels each) "
            f"exceed the work budget of {max_work:.3g}"
        )
        logger.warning("betweenness %s", reason)
        return np.full(size, math.nan), reason
    if used == size:
        if size > 2:
            totals /= (size - 1) * (size - 2)
        return totals, "exact"
    if size > 2:
        scale = np.full(size, 1.0 / (used * (size - 2)))
        scale[sources[:used]] = 1.0 / ((used - 1) * (size - 2)) if used > 1 else math.nan
        totals *= scale
    logger.info("betweenness of %d nodes estimated from %d sources", size, used)
    return totals, f"sampled k={used} seed={seed}"


def measures_table(
    graph: nx.Graph,
    *,
    exact_betweenness_max_nodes: int = EXACT_BETWEENNESS_MAX_NODES,
    betweenness_samples: int = BETWEENNESS_SAMPLES,
    betweenness_max_work: float = BETWEENNESS_MAX_WORK,
    louvain_max_edges: int = NETWORKX_LOUVAIN_MAX_EDGES,
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

    Betweenness is exact up to ``exact_betweenness_max_nodes`` nodes; above, it is estimated
    from ``betweenness_samples`` source nodes sampled with ``seed`` (the sources networkx's
    ``k`` would pick). Each source costs a breadth-first search, and the searches may not
    exceed ``betweenness_max_work`` (matrix entries plus nodes, times levels, counted twice):
    on a larger network fewer sources are used, and the method says how many; below
    :data:`BETWEENNESS_MIN_SAMPLES` sources the column is left empty (NaN) and the method
    says why. The count does not depend on the machine, so the same network gets the same
    values everywhere.

    Communities are NetworkX's Louvain up to ``louvain_max_edges`` undirected edges, and
    above, the same method with batched local moves (:func:`_batched_louvain`; NetworkX's
    pure-Python loop takes minutes on a million edges); ``community_method`` says which.

    Graph-level values are in ``table.attrs["summary"]`` (see :func:`summary_table`):
    network, nodes, edges, density (bipartite when the network is), components, largest
    component, communities, modularity, betweenness and community methods and HITS iterations.

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
    count = len(nodes)
    directed = graph.is_directed()
    adjacency = _adjacency(graph, nodes)
    undirected = _undirected_matrix(adjacency, directed)
    pattern = _pattern(undirected)
    edges = undirected.nnz // 2
    betweenness, method = _betweenness(
        pattern,
        exact_max_nodes=exact_betweenness_max_nodes,
        samples=betweenness_samples,
        min_samples=BETWEENNESS_MIN_SAMPLES,
        max_work=int(betweenness_max_work),
        seed=seed,
    )
    pagerank = _pagerank(adjacency) if count else np.zeros(0)
    if edges == 0:
        community_method = "none (no edges)"
        labels = np.arange(count)
    elif edges <= louvain_max_edges:
        community_method = f"louvain seed={seed} (networkx)"
        groups = nx.community.louvain_communities(_undirected(graph), weight="weight", seed=seed)
        index = {node: number for number, node in enumerate(nodes)}
        labels = np.empty(count, dtype=np.int64)
        for number, group in enumerate(groups):
            labels[[index[node] for node in group]] = number
    else:
        community_method = f"batched louvain seed={seed} batches={LOUVAIN_BATCHES}"
        labels = _batched_louvain(undirected, seed=seed)
    community = _numbered(labels)
    modularity = _modularity(undirected, community)
    components, component_labels = csgraph.connected_components(undirected, directed=False)
    component = _numbered(component_labels)
    core = _core_numbers(pattern)
    strength = np.asarray(adjacency.sum(axis=1)).ravel()
    strength += np.asarray(adjacency.sum(axis=0)).ravel() if directed else adjacency.diagonal()
    data: dict[str, Any] = {
        "iri": nodes,
        **{
            key: [graph.nodes[node].get(key, "") for node in nodes]
            for key in ("label", "type", "kind", "side")
        },
        "degree": np.diff(pattern.indptr).astype(np.int64),
        "weighted_degree": strength,
        "betweenness": betweenness,
        "pagerank": pagerank,
    }
    iterations = None
    if directed:
        if adjacency.nnz:
            hub, authority, iterations = _hits(adjacency, max_iter=1000, tol=1e-12)
        else:
            hub, authority, iterations = np.zeros(count), np.zeros(count), 0
        data["hub"] = hub
        data["authority"] = authority
    data["community"] = community
    data["core_number"] = core
    data["component"] = component
    table = pd.DataFrame(data)
    table["label"] = [label or node for label, node in zip(table["label"], nodes, strict=True)]
    density = bipartite_density(graph)
    sizes = np.bincount(component) if count else np.zeros(0, dtype=np.int64)
    table.attrs["summary"] = {
        "network": graph.graph.get("name", ""),
        "nodes": count,
        "edges": graph.number_of_edges(),
        "density": density
        if density is not None
        else (2 * edges / (count * (count - 1)) if count > 1 else 0.0),
        "density_kind": "bipartite" if density is not None else "plain",
        "components": int(components),
        "largest_component": int(sizes.max()) if count else 0,
        "communities": int(community.max()) + 1 if count else 0,
        "modularity": modularity,
        "betweenness": method,
        "community_method": community_method,
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


def _measure_iri(network: str, iri: str) -> str:
    base = str(MIGD)
    local = (
        iri[len(base) :]
        if iri.startswith(base)
        else "node/" + hashlib.sha256(iri.encode()).hexdigest()[:20]
    )
    return f"{base}measures/{network}/{local}"


# An object is ("iri", str), ("integer", int), ("double", float), ("string", str) or
# ("en", str), a string in English.
_Object = tuple[str, Any]
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = _RDFS + "label"
_KINDS = {int: "integer", float: "double", str: "string"}


def _object(value: Any, kind: type) -> _Object | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return (_KINDS[kind], kind(value))


def _statements(tables: dict[str, pd.DataFrame]) -> Iterator[tuple[str, list[tuple[str, _Object]]]]:
    """Every subject of the measures graph with its (predicate, object) pairs, subjects and
    predicates in the order of their ``<iri>`` text (each subject has one object per
    predicate): the order of :func:`measures_quads`."""
    subjects: list[tuple[str, int, str]] = []  # (<subject>, row or -1 for the network, name)
    for name, table in tables.items():
        subjects.append((f"<{MIGD}measures/{name}>", -1, name))
        subjects += (
            (f"<{_measure_iri(name, iri)}>", row, name)
            for row, iri in enumerate(table["iri"].tolist())
        )
    subjects.sort()
    columns: dict[str, list[tuple[str, list[Any], type]]] = {}
    for name, table in tables.items():
        listed: list[tuple[str, list[Any], type]] = [
            (_term("entity").value, table["iri"].tolist(), str)
        ]
        listed += [
            (_term(term).value, table[column].tolist(), kind)
            for column, term, kind in _NODE_TERMS
            if column in table
        ]
        columns[name] = listed
    node_class, network_term = _term("NodeMeasures").value, _term("network").value
    networks = {name: f"{MIGD}measures/{name}" for name in tables}
    for subject, row, name in subjects:
        network = networks[name]
        pairs: list[tuple[str, _Object]] = []
        if row < 0:
            summary = tables[name].attrs.get("summary", {})
            pairs.append((_RDF_TYPE, ("iri", _term("Network").value)))
            pairs.append((_RDFS_LABEL, ("en", f"{name} network")))
            for key, term, kind in _NETWORK_TERMS:
                found = _object(summary.get(key), kind)
                if found is not None:
                    pairs.append((_term(term).value, found))
        else:
            pairs.append((_RDF_TYPE, ("iri", node_class)))
            pairs.append((network_term, ("iri", network)))
            for predicate, values, value_type in columns[name]:
                if value_type is str:
                    pairs.append((predicate, ("iri", values[row])))
                    continue
                found = _object(values[row], value_type)
                if found is not None:
                    pairs.append((predicate, found))
        pairs.sort(key=lambda pair: pair[0])
        yield subject[1:-1], pairs


def _term_object(found: _Object) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    kind, value = found
    if kind == "iri":
        return pyoxigraph.NamedNode(value)
    if kind == "en":
        return pyoxigraph.Literal(value, language="en")
    return pyoxigraph.Literal(value)


def measures_quads(tables: dict[str, pd.DataFrame]) -> list[pyoxigraph.Quad]:
    """The measures of each named network as quads in :data:`MEASURES_GRAPH`, sorted.

    One ``mm:Network`` node per network (``…/id/measures/NAME``) and one ``mm:NodeMeasures``
    node per entity and network (``…/id/measures/NAME/<entity path>``) linked by ``mm:entity``.
    Terms come from ``measures.ttl`` only; an undeclared term raises ``KeyError``.
    """
    graph = pyoxigraph.NamedNode(MEASURES_GRAPH)
    return [
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(subject),
            pyoxigraph.NamedNode(predicate),
            _term_object(found),
            graph,
        )
        for subject, pairs in _statements(tables)
        for predicate, found in pairs
    ]


_PREFIXES = {"rdfs": _RDFS, "xsd": _XSD, "mm": MEASURES_NAMESPACE}
_TURTLE_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _double(value: float) -> str:
    """The lexical form Oxigraph gives a double: shortest round-trip digits, no exponent
    (where two forms are as short, Oxigraph's last digit may differ).

    Examples
    --------
    >>> [_double(x) for x in (5.0, 0.25, 1e-05, 2e20, -0.0, float("inf"))]
    ['5', '0.25', '0.00001', '200000000000000000000', '-0', 'INF']
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    text = repr(value)
    if "e" not in text:
        return text[:-2] if text.endswith(".0") else text
    mantissa, exponent = text.split("e")
    sign = "-" if mantissa.startswith("-") else ""
    mantissa = mantissa.lstrip("-")
    point = mantissa.find(".") if "." in mantissa else len(mantissa)
    digits = mantissa.replace(".", "")
    point += int(exponent)
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _turtle(found: _Object) -> str:
    kind, value = found
    if kind == "iri":
        for prefix, namespace in _PREFIXES.items():
            if value.startswith(namespace) and value[len(namespace) :].isalnum():
                return f"{prefix}:{value[len(namespace) :]}"
        return f"<{value}>"
    if kind == "integer":
        return str(value)
    if kind == "double":
        return f'"{_double(value)}"^^xsd:double'
    text = '"' + str(value).translate(_TURTLE_ESCAPES) + '"'
    return text + "@en" if kind == "en" else text


def measures_trig(tables: dict[str, pd.DataFrame]) -> bytes:
    """:func:`measures_quads` as TriG (the ``measures.trig`` file).

    Written as text in the layout of Oxigraph's TriG serializer (a test checks that the bytes
    are the same): a Python term object per value would cost more than all the rest.
    """
    predicates = {_RDF_TYPE: "a"}
    lines = [
        f"@prefix {prefix}: <{namespace}> .\n"
        for prefix, namespace in sorted(_PREFIXES.items(), key=lambda item: item[1])
    ]
    lines.append(f"<{MEASURES_GRAPH}> {{\n")
    for subject, pairs in _statements(tables):
        text = []
        for predicate, found in pairs:
            short = predicates.get(predicate)
            if short is None:
                short = predicates[predicate] = _turtle(("iri", predicate))
            text.append(f"{short} {_turtle(found)}")
        lines.append(f"\t<{subject}> " + " ;\n\t\t".join(text) + " .\n")
    lines.append("}\n")
    return "".join(lines).encode("utf-8")
