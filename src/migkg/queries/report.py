"""``migkg analyze``: measure tables, graph files, pictures, an HTML report and an explorer.

:func:`analyze` reads the citation and affiliation tables from a store and hands them to
:func:`analyze_tables`, which writes into the output directory (every file through
:func:`~migkg.graph.store.write_atomic`)::

    report.html                 one page: summaries, pictures, top tables, links (all relative)
    explorer.html               offline interactive citation network (vis-network, vendored)
    vis-network/                the vis-network UMD build and its licences
    measures.trig               the measures as RDF, graph <https://w3id.org/migkg/id/graph/measures>
    tables/NETWORK/MEASURE.csv  one table per measure, plus measures.csv, summary.csv, edges.csv
    graphs/NETWORK.graphml      each network with its measures as node attributes
    graphs/NETWORK.gexf
    figures/*.png               citation network, most-cited frameworks, most active actors,
                                frameworks x actor type heat map

The networks are ``citation``, ``cocitation``, ``actors`` and ``affiliation`` (see
:mod:`migkg.queries.analytics`). A projection that would visit more than
``max_projection_pairs`` node pairs is skipped, and the report says so. ``formats`` chooses
the kinds of output; by default the graph files of a network of more than
``graph_file_max_edges`` edges are skipped with a warning (see :func:`analyze_tables`).

Pictures are drawn with matplotlib's object API on the Agg canvas (no pyplot, so the caller's
backend is left alone). Every output is byte-identical from run to run for the same store:
nothing depends on the date, the hash seed or the machine (the GEXF ``<meta>`` carries no
``lastmodifieddate``, and the measure budgets count work, not seconds).
"""

from __future__ import annotations

import contextlib
import gc
import html
import io
import itertools
import json
import logging
import math
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pyoxigraph

from migkg import __version__
from migkg.errors import InputError
from migkg.graph.store import atomic_path, write_atomic
from migkg.queries.analytics import (
    BETWEENNESS_MAX_WORK,
    BETWEENNESS_MIN_SAMPLES,
    BETWEENNESS_SAMPLES,
    EXACT_BETWEENNESS_MAX_NODES,
    LOUVAIN_BATCHES,
    NETWORKX_LOUVAIN_MAX_EDGES,
    SEED,
    actor_projection,
    affiliation_table,
    citation_table,
    cocitation_network,
    measures_table,
    measures_trig,
    network_from_affiliations,
    network_from_citations,
    projection_pairs,
    summary_table,
)

__all__ = [
    "FORMATS",
    "GRAPH_FILE_MAX_EDGES",
    "MAX_PROJECTION_PAIRS",
    "Analysis",
    "analyze",
    "analyze_tables",
    "bar_figure",
    "explorer_html",
    "gexf_bytes",
    "graphml_bytes",
    "heatmap_figure",
    "network_figure",
    "parse_formats",
]

logger = logging.getLogger(__name__)

MAX_PROJECTION_PAIRS = 1_000_000
"""Projections visiting more node pairs than this are skipped: a NetworkX edge with its
attributes takes about half a kilobyte, and the measures of a projection cost as much as those
of the citation network it comes from."""
FORMATS = ("csv", "graphml", "gexf", "png", "html", "trig")
"""Output formats: tables, graph files, pictures, report and explorer, measures as RDF."""
GRAPH_FILE_MAX_EDGES = 250_000
"""By default, GraphML and GEXF files of networks with more edges are not written."""
NETWORK_TITLES = {
    "citation": "Citation network (actors → frameworks)",
    "cocitation": "Co-citation network (frameworks cited by the same actor)",
    "actors": "Actor projection (actors citing the same frameworks, Newman weights)",
    "affiliation": "Affiliation network (people ↔ organizations and states)",
}
# measure file -> its columns with their sort order (ascending?); then label and IRI break ties
MEASURE_FILES: dict[str, tuple[tuple[str, bool], ...]] = {
    "degree": (("weighted_degree", False), ("degree", False)),
    "betweenness": (("betweenness", False),),
    "pagerank": (("pagerank", False),),
    "hits": (("authority", False), ("hub", False)),
    "communities": (("community", True), ("weighted_degree", False)),
    "kcore": (("core_number", False), ("weighted_degree", False)),
    "components": (("component", True), ("weighted_degree", False)),
}
IDENTITY = ("iri", "label", "type", "kind", "side")
VIS_NETWORK_FILES = ("vis-network.min.js", "LICENSE-APACHE-2.0", "LICENSE-MIT", "README.md")
EXPLORER_MAX_NODES = 500
KAMADA_KAWAI_MAX_NODES = 400
EXPLORER_MAX_QUOTES = 50


@dataclass(slots=True)
class Analysis:
    """What :func:`analyze_tables` computed and wrote.

    ``skipped`` maps a network that was not built to the reason; ``skipped_files`` maps an
    output file that was not written (a graph file over the size limit) to the reason.
    """

    out_dir: Path
    networks: dict[str, nx.Graph]
    measures: dict[str, pd.DataFrame]
    skipped: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    skipped_files: dict[str, str] = field(default_factory=dict)


class _Output:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.files: list[str] = []

    def write(self, relative: str, data: bytes) -> None:
        write_atomic(self.out_dir / relative, data)
        self.files.append(relative)

    def stream(self, relative: str, lines: Iterable[str]) -> None:
        """Write text as it comes, through a temporary file and a rename."""
        with (
            atomic_path(self.out_dir / relative) as temporary,
            temporary.open("w", encoding="utf-8", newline="\n") as stream,
        ):
            for text in lines:
                stream.write(text)
        self.files.append(relative)


def parse_formats(formats: Iterable[str] | str | None) -> frozenset[str] | None:
    """The output formats named in ``formats`` (a list, or one comma-separated string).

    ``None`` or an empty list means the default: every format, graph files within
    :data:`GRAPH_FILE_MAX_EDGES`. ``"all"`` names every format.

    Raises
    ------
    InputError
        A name is not one of :data:`FORMATS`.

    Examples
    --------
    >>> sorted(parse_formats("csv, png"))
    ['csv', 'png']
    >>> parse_formats(None) is None
    True
    """
    if isinstance(formats, str):
        formats = formats.split(",")
    names = {name.strip().lower() for name in formats or () if name.strip()}
    if not names:
        return None
    if "all" in names:
        names = (names - {"all"}) | set(FORMATS)
    unknown = sorted(names - set(FORMATS))
    if unknown:
        raise InputError(
            f"--formats: unknown format(s) {', '.join(unknown)}; "
            f"choose from {', '.join(FORMATS)} or all"
        )
    return frozenset(names)


def analyze(
    store: pyoxigraph.Store,
    out_dir: Path,
    *,
    document: str | None = None,
    year: int | None = None,
    actor_types: Iterable[str] | None = None,
    framework_kinds: Iterable[str] | None = None,
    top: int = 20,
    max_projection_pairs: int = MAX_PROJECTION_PAIRS,
    formats: Iterable[str] | str | None = None,
    graph_file_max_edges: int = GRAPH_FILE_MAX_EDGES,
) -> Analysis:
    """Analyze the networks of a store and write every output into ``out_dir``.

    The citation filters are those of :func:`~migkg.queries.analytics.filter_citations`;
    the affiliation network is never filtered. ``top`` is the number of rows of the report
    tables and of bars in the charts; ``formats`` and ``graph_file_max_edges`` are those of
    :func:`analyze_tables`.
    """
    chosen = parse_formats(formats)
    started = time.perf_counter()
    actor_types = sorted(actor_types or ())
    framework_kinds = sorted(framework_kinds or ())
    citations = citation_table(
        store,
        document=document,
        year=year,
        actor_types=actor_types,
        framework_kinds=framework_kinds,
    )
    affiliations = affiliation_table(store)
    filters = {
        "document": document or "",
        "year": "" if year is None else str(year),
        "actor types": ", ".join(actor_types),
        "framework kinds": ", ".join(framework_kinds),
    }
    queried = time.perf_counter() - started
    result = analyze_tables(
        citations,
        affiliations,
        out_dir,
        top=top,
        max_projection_pairs=max_projection_pairs,
        filters={k: v for k, v in filters.items() if v},
        formats=chosen,
        graph_file_max_edges=graph_file_max_edges,
    )
    result.timings = {"query": queried, **result.timings}
    return result


def analyze_tables(
    citations: pd.DataFrame,
    affiliations: pd.DataFrame,
    out_dir: Path,
    *,
    top: int = 20,
    max_projection_pairs: int = MAX_PROJECTION_PAIRS,
    filters: dict[str, str] | None = None,
    formats: Iterable[str] | str | None = None,
    graph_file_max_edges: int = GRAPH_FILE_MAX_EDGES,
    exact_betweenness_max_nodes: int = EXACT_BETWEENNESS_MAX_NODES,
    betweenness_samples: int = BETWEENNESS_SAMPLES,
    betweenness_max_work: float = BETWEENNESS_MAX_WORK,
    louvain_max_edges: int = NETWORKX_LOUVAIN_MAX_EDGES,
) -> Analysis:
    """Build the four networks from citation and affiliation tables and write the outputs.

    ``citations`` and ``affiliations`` have the columns of
    :func:`~migkg.queries.analytics.citation_table` and
    :func:`~migkg.queries.analytics.affiliation_table` (``quote`` is used by the explorer).

    ``formats`` chooses the outputs among :data:`FORMATS` (see :func:`parse_formats`):
    ``csv`` (tables), ``graphml`` and ``gexf`` (graph files), ``png`` (pictures), ``html``
    (report and explorer) and ``trig`` (measures as RDF). By default every format is written,
    except the graph files of a network of more than ``graph_file_max_edges`` edges, which
    are skipped with a warning (``skipped_files``); naming ``graphml`` or ``gexf`` writes them
    whatever the size. The measure budgets are those of
    :func:`~migkg.queries.analytics.measures_table`. ``timings`` of the result holds seconds
    per step.
    """
    chosen = parse_formats(formats)
    with _collector_paused():
        return _analyze_tables(
            citations,
            affiliations,
            out_dir,
            top=top,
            max_projection_pairs=max_projection_pairs,
            filters=filters or {},
            chosen=chosen,
            graph_file_max_edges=graph_file_max_edges,
            budgets={
                "exact_betweenness_max_nodes": exact_betweenness_max_nodes,
                "betweenness_samples": betweenness_samples,
                "betweenness_max_work": betweenness_max_work,
                "louvain_max_edges": louvain_max_edges,
            },
        )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector. A large network is millions of dicts and
    tuples, which the collector walks again and again while more are made (seconds per
    million edges, see bench/bench_analytics.py); no step leaves cycles worth collecting
    before the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _analyze_tables(
    citations: pd.DataFrame,
    affiliations: pd.DataFrame,
    out_dir: Path,
    *,
    top: int,
    max_projection_pairs: int,
    filters: dict[str, str],
    chosen: frozenset[str] | None,
    graph_file_max_edges: int,
    budgets: dict[str, Any],
) -> Analysis:
    wanted = set(FORMATS) if chosen is None else set(chosen)
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(step: str) -> None:
        now = time.perf_counter()
        timings[step] = now - clock[0]
        clock[0] = now

    networks: dict[str, nx.Graph] = {"citation": network_from_citations(citations)}
    skipped: dict[str, str] = {}
    for name, side, project in (
        ("cocitation", "framework", cocitation_network),
        ("actors", "actor", actor_projection),
    ):
        pairs = projection_pairs(networks["citation"], side)
        if pairs > max_projection_pairs:
            skipped[name] = (
                f"skipped: the projection would visit {pairs:,} node pairs "
                f"(limit {max_projection_pairs:,})"
            )
            logger.warning("%s network %s", name, skipped[name])
        else:
            networks[name] = project(networks["citation"])
    networks["affiliation"] = network_from_affiliations(affiliations)
    lap("networks")
    measures = {name: measures_table(graph, **budgets) for name, graph in networks.items()}
    lap("measures")
    output = _Output(out_dir)
    if "csv" in wanted:
        for name, graph in networks.items():
            _write_tables(output, name, graph, measures[name])
        lap("tables")
    skipped_files: dict[str, str] = {}
    for suffix, lines in (("graphml", _graphml_lines), ("gexf", _gexf_lines)):
        if suffix not in wanted:
            continue
        for name, graph in networks.items():
            path = f"graphs/{name}.{suffix}"
            edges = graph.number_of_edges()
            if chosen is None and edges > graph_file_max_edges:
                skipped_files[path] = (
                    f"not written: {edges:,} edges (limit {graph_file_max_edges:,}; "
                    f"--formats {suffix} writes it)"
                )
                logger.warning("%s %s", path, skipped_files[path])
                continue
            output.stream(path, lines(graph, measures[name]))
    if wanted & {"graphml", "gexf"}:
        lap("graph files")
    citation, table = networks["citation"], measures["citation"]
    if "png" in wanted:
        output.write("figures/citation_network.png", network_figure(citation, table))
        output.write("figures/top_frameworks.png", bar_figure(table, "framework", top=top))
        output.write("figures/top_actors.png", bar_figure(table, "actor", top=top))
        output.write("figures/framework_actor_heatmap.png", heatmap_figure(citation, top=top))
        lap("figures")
    if "trig" in wanted:
        output.write("measures.trig", measures_trig(measures))
        lap("measures.trig")
    if "html" in wanted:
        web = files("migkg.queries") / "web" / "vis-network"
        for name in VIS_NETWORK_FILES:
            output.write(f"vis-network/{name}", (web / name).read_bytes())
        output.write("explorer.html", explorer_html(citation, table, citations))
        lap("explorer")
        output.write(
            "report.html",
            _report_html(networks, measures, skipped, skipped_files, filters, output.files, top),
        )
        lap("report")
    return Analysis(out_dir, networks, measures, skipped, output.files, timings, skipped_files)


# ---------------------------------------------------------------------------------------------
# Tables


_CSV_SPECIAL = re.compile('[,"\r\n]')


def _quoted(fields: list[str]) -> list[str]:
    """CSV fields with the csv module's minimal quoting (a carriage return is quoted too)."""
    joined = "\x00".join(fields)
    if not any(special in joined for special in ',"\r\n'):
        return fields
    return [
        '"' + field.replace('"', '""') + '"' if _CSV_SPECIAL.search(field) else field
        for field in fields
    ]


def _numbers(values: list[Any]) -> list[str]:
    return ["" if x != x else f"{x:.12g}" for x in values]


def _csv_column(column: pd.Series) -> list[str]:
    """A column as CSV fields, as ``DataFrame.to_csv(float_format="%.12g")`` writes them."""
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else "O"
    if kind == "f":
        return _numbers(column.to_numpy().tolist())
    if kind in "iub":
        return [str(x) for x in column.to_numpy().tolist()]
    text = column.astype(str).to_numpy(dtype=object)
    missing = column.isna().to_numpy()
    if missing.any():
        text[missing] = ""
    return _quoted(text.tolist())


def _list_column(values: list[Any]) -> list[str]:
    """A list of values as CSV fields, typed as a DataFrame column built from it would be."""
    types = set(map(type, values))
    if types <= {int} or types <= {bool}:
        return [str(x) for x in values]
    if types <= {int, float}:
        return _numbers(values)
    if types <= {str}:
        return _quoted(values)
    return _quoted(["" if _missing(x) else str(x) for x in values])


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _csv_text(columns: dict[str, list[str]]) -> bytes:
    """CSV of columns of ready fields: ``\\n`` line ends, a header row."""
    lines = [",".join(_quoted([str(name) for name in columns]))]
    lines += map(",".join, zip(*columns.values(), strict=True))
    lines.append("")
    return "\n".join(lines).encode("utf-8")


def _csv(table: pd.DataFrame) -> bytes:
    """The table as CSV: no index, ``\\n`` line ends, floats to 12 significant digits and
    minimal quoting, the bytes ``DataFrame.to_csv`` writes, a column at a time rather than a
    value at a time."""
    if len(table.columns) < 2:  # a lone empty field needs quotes there: leave it to pandas
        return table.to_csv(index=False, float_format="%.12g", lineterminator="\n").encode()
    return _csv_text({str(column): _csv_column(table[column]) for column in table.columns})


def _sort_keys(values: np.ndarray, ascending: bool) -> list[np.ndarray]:
    """:func:`numpy.lexsort` keys, most significant first, that order ``values`` as
    ``sort_values`` does: numbers ascending or descending with NaN last, text ascending."""
    if values.dtype.kind in "iufb":
        numbers = values.astype(float)
        missing = np.isnan(numbers)
        numbers = np.where(missing, 0.0, numbers if ascending else -numbers)
        return [missing, numbers]
    codes = pd.factorize(pd.Series(values, dtype=object), sort=True)[0]
    return [codes if ascending else -codes]


def _order(columns: list[tuple[np.ndarray, bool]]) -> np.ndarray:
    """The stable order of rows sorted by several (values, ascending) columns."""
    keys = [key for values, ascending in columns for key in _sort_keys(values, ascending)]
    return np.lexsort(keys[::-1])


def _rank_order(
    table: pd.DataFrame, order: tuple[tuple[str, bool], ...], ties: list[np.ndarray]
) -> np.ndarray:
    """Rows of a measure table by the measure columns, then by the ``ties`` keys (those of
    label and IRI, made once for every file)."""
    keys = [
        key
        for column, ascending in order
        for key in _sort_keys(table[column].to_numpy(), ascending)
    ]
    return np.lexsort((keys + ties)[::-1])


def _edges_columns(graph: nx.Graph) -> dict[str, list[str]]:
    """CSV fields of one row per edge, by weight (largest first), source and target."""
    labels = {node: data.get("label", node) for node, data in graph.nodes(data=True)}
    edges = list(graph.edges(data=True))
    keys = sorted({key for _, _, data in edges for key in data} - {"weight"})
    columns: dict[str, list[Any]] = {
        "source": [u for u, _, _ in edges],
        "source_label": [labels[u] for u, _, _ in edges],
        "target": [v for _, v, _ in edges],
        "target_label": [labels[v] for _, v, _ in edges],
        "weight": [data.get("weight", 1) for _, _, data in edges],
    }
    for key in keys:
        columns[key] = [data.get(key, "") for _, _, data in edges]
    del edges
    weights = np.array(columns["weight"])
    if weights.dtype == object:  # numbers and text: compare as text, like a DataFrame would
        weights = weights.astype(str)
    rows = _order(
        [
            (weights, False),
            (np.array(columns["source"], dtype=object), True),
            (np.array(columns["target"], dtype=object), True),
        ]
    ).tolist()
    return {name: _list_column([values[row] for row in rows]) for name, values in columns.items()}


def _write_tables(output: _Output, name: str, graph: nx.Graph, table: pd.DataFrame) -> None:
    folder = f"tables/{name}"
    fields = {column: _csv_column(table[column]) for column in table.columns}
    ties = [
        *_sort_keys(table["label"].to_numpy(dtype=object), True),
        *_sort_keys(table["iri"].to_numpy(dtype=object), True),
    ]
    for measure, order in MEASURE_FILES.items():
        if all(column in table for column, _ in order):
            rows = _rank_order(table, order, ties).tolist()
            ranked = {"rank": [str(rank) for rank in range(1, len(rows) + 1)]}
            for column in (*IDENTITY, *(column for column, _ in order)):
                ranked[column] = [fields[column][row] for row in rows]
            output.write(f"{folder}/{measure}.csv", _csv_text(ranked))
    output.write(f"{folder}/measures.csv", _csv_text(fields))
    output.write(f"{folder}/summary.csv", _csv(summary_table(table)))
    output.write(f"{folder}/edges.csv", _csv_text(_edges_columns(graph)))


# ---------------------------------------------------------------------------------------------
# Graph files
#
# GraphML and GEXF are written here line by line into the file, not through networkx's
# writers: those build the whole document as an ElementTree (gigabytes and tens of minutes
# for a million edges), and write_gexf stamps the date of the run into <meta>. The files
# read back with nx.read_graphml and nx.read_gexf into the same graph as networkx's own
# output (tested), and depend on nothing but the network and its measures.

_XML_SPECIAL = re.compile('[&<>"\t\n\r]|[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')
_XML_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\r": "&#13;",
}
_CHUNK = 20_000


def _xml(text: str) -> str:
    """``text`` escaped for an XML attribute or element; characters XML 1.0 cannot carry
    become U+FFFD."""
    if _XML_SPECIAL.search(text) is None:
        return text
    return _XML_SPECIAL.sub(lambda match: _XML_ESCAPES.get(match.group(), "\ufffd"), text)


def _value_type(types: set[type]) -> str:
    """The GraphML/GEXF type of an attribute from the Python types of its values."""
    if types <= {bool}:
        return "boolean"
    if types <= {int}:
        return "long"
    if types <= {int, float}:
        return "double"
    return "string"


def _missing_value(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _texts(values: list[Any], kind: str) -> list[str | None]:
    """The values of an attribute as XML text of its type; ``None`` where there is none."""
    if kind == "long":
        return [None if value is None else str(value) for value in values]
    if kind == "double":
        return [None if value is None or value != value else repr(value) for value in values]
    if kind == "boolean":
        return [None if value is None else "true" if value else "false" for value in values]
    texts = [None if _missing_value(value) else str(value) for value in values]
    joined = "\x00".join(text for text in texts if text is not None)
    if _XML_SPECIAL.search(joined) is None:
        return texts
    return [None if text is None else _xml(text) for text in texts]


@dataclass(slots=True)
class _Attributes:
    """The nodes of a network with its measures, their attributes as columns of text, and the
    edge attributes with their types."""

    nodes: list[str]
    node_keys: list[tuple[str, str]]
    node_texts: dict[str, list[str | None]]
    edge_keys: list[tuple[str, str]]


def _attributes(graph: nx.Graph, table: pd.DataFrame) -> _Attributes:
    """Every node's attributes, the graph's and the measure columns of ``table`` (identity
    columns excepted; a measure replaces a graph attribute of its name); missing and NaN values
    are left out. Edge attribute types are found over every edge, as the header needs them."""
    nodes = list(graph)
    data = [attributes for _, attributes in graph.nodes(data=True)]
    columns: dict[str, list[Any]] = {}
    for attributes in data:
        for key in attributes:
            columns.setdefault(str(key), [])
    for key in columns:
        columns[key] = [attributes.get(key) for attributes in data]
    measures = [column for column in table.columns if column not in IDENTITY]
    if measures:
        row = {iri: number for number, iri in enumerate(table["iri"].tolist())}
        rows = [row.get(node) for node in nodes]
        for column in measures:
            values = table[column].tolist()
            columns[str(column)] = [None if at is None else values[at] for at in rows]
    node_keys = []
    for key, values in columns.items():
        types = {type(value) for value in values if not _missing_value(value)}
        if types:
            node_keys.append((key, _value_type(types)))
    node_texts = {key: _texts(columns[key], kind) for key, kind in node_keys}
    edge_data = [attributes for _, _, attributes in graph.edges(data=True)]
    names = sorted({str(key) for attributes in edge_data for key in attributes})
    edge_keys = []
    for name in names:
        values = [attributes.get(name) for attributes in edge_data]
        types = set(map(type, values)) - {type(None)}
        if types - {float} or any(value == value for value in values if value is not None):
            edge_keys.append((name, _value_type(types)))
    return _Attributes(nodes, node_keys, node_texts, edge_keys)


def _edge_chunks(
    graph: nx.Graph, keys: list[tuple[str, str]]
) -> Iterator[tuple[list[str], list[str], list[list[str | None]]]]:
    """The edges a chunk at a time: escaped sources and targets, and a column of text per
    attribute of ``keys``."""
    escaped = {node: _xml(str(node)) for node in graph}
    edges = iter(graph.edges(data=True))
    while chunk := list(itertools.islice(edges, _CHUNK)):
        yield (
            [escaped[u] for u, _, _ in chunk],
            [escaped[v] for _, v, _ in chunk],
            [_texts([data.get(name) for _, _, data in chunk], kind) for name, kind in keys],
        )


def _elements(texts: list[str | None], start: str, end: str) -> list[str]:
    return ["" if text is None else f"{start}{text}{end}" for text in texts]


def _graphml_lines(graph: nx.Graph, table: pd.DataFrame) -> Iterator[str]:
    """GraphML of a network with its measures as node attributes (``graphs/NAME.graphml``)."""
    found = _attributes(graph, table)
    yield (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    keys: dict[tuple[str, str], str] = {("graph", "name"): "d0"}
    yield '  <key id="d0" for="graph" attr.name="name" attr.type="string" />\n'
    for scope, declared in (("node", found.node_keys), ("edge", found.edge_keys)):
        for name, kind in declared:
            keys[(scope, name)] = key = f"d{len(keys)}"
            yield (
                f'  <key id="{key}" for="{scope}" attr.name="{_xml(name)}" attr.type="{kind}" />\n'
            )
    direction = "directed" if graph.is_directed() else "undirected"
    yield f'  <graph edgedefault="{direction}">\n'
    yield f'    <data key="d0">{_xml(str(graph.graph.get("name", "")))}</data>\n'
    for start in range(0, len(found.nodes), _CHUNK):
        stop = start + _CHUNK
        heads = [f'    <node id="{_xml(str(node))}">\n' for node in found.nodes[start:stop]]
        columns = [
            _elements(found.node_texts[name][start:stop], f'      <data key="{key}">', "</data>\n")
            for name, key in ((name, keys[("node", name)]) for name, _ in found.node_keys)
        ]
        tails = ["    </node>\n"] * len(heads)
        yield "".join(map("".join, zip(heads, *columns, tails, strict=True)))
    for sources, targets, texts in _edge_chunks(graph, found.edge_keys):
        heads = [
            f'    <edge source="{source}" target="{target}">\n'
            for source, target in zip(sources, targets, strict=True)
        ]
        columns = [
            _elements(column, f'      <data key="{keys[("edge", name)]}">', "</data>\n")
            for (name, _), column in zip(found.edge_keys, texts, strict=True)
        ]
        tails = ["    </edge>\n"] * len(heads)
        yield "".join(map("".join, zip(heads, *columns, tails, strict=True)))
    yield "  </graph>\n</graphml>\n"


def _gexf_lines(graph: nx.Graph, table: pd.DataFrame) -> Iterator[str]:
    """GEXF 1.2 of a network with its measures as node attributes (``graphs/NAME.gexf``).

    As networkx writes it: a node's ``label`` is its GEXF label and an edge's ``weight`` its
    GEXF weight; edges are numbered from 0. The ``<meta>`` element names the creator and no
    date (``lastmodifieddate`` is optional), so the file is the same from run to run.
    """
    found = _attributes(graph, table)
    yield (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft '
        'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
        f"  <meta>\n    <creator>migkg {_xml(__version__)}</creator>\n  </meta>\n"
    )
    direction = "directed" if graph.is_directed() else "undirected"
    name = _xml(str(graph.graph.get("name", "")))
    yield f'  <graph defaultedgetype="{direction}" mode="static" name="{name}">\n'
    ids: dict[tuple[str, str], str] = {}
    listed = {
        "edge": [(key, kind) for key, kind in found.edge_keys if key != "weight"],
        "node": [(key, kind) for key, kind in found.node_keys if key != "label"],
    }
    for scope, declared in listed.items():
        if not declared:
            continue
        yield f'    <attributes mode="static" class="{scope}">\n'
        for key, kind in declared:
            ids[(scope, key)] = identifier = str(len(ids))
            yield f'      <attribute id="{identifier}" title="{_xml(key)}" type="{kind}" />\n'
        yield "    </attributes>\n"

    def element(opening: str, values: str, name: str) -> str:
        if not values:
            return f"{opening} />\n"
        return f"{opening}>\n        <attvalues>\n{values}        </attvalues>\n      </{name}>\n"

    yield "    <nodes>\n"
    labels = found.node_texts.get("label", [None] * len(found.nodes))
    for start in range(0, len(found.nodes), _CHUNK):
        stop = start + _CHUNK
        columns = [
            _elements(
                found.node_texts[key][start:stop],
                f'          <attvalue for="{ids[("node", key)]}" value="',
                '" />\n',
            )
            for key, _ in listed["node"]
        ]
        values = map("".join, zip(*columns, strict=True)) if columns else [""] * (stop - start)
        ids_here = [_xml(str(node)) for node in found.nodes[start:stop]]
        labels_here = [
            identifier if label is None else label
            for identifier, label in zip(ids_here, labels[start:stop], strict=True)
        ]
        yield "".join(
            element(f'      <node id="{identifier}" label="{label}"', text, "node")
            for identifier, label, text in zip(ids_here, labels_here, values, strict=True)
        )
    yield "    </nodes>\n    <edges>\n"
    number = 0
    names = [key for key, _ in found.edge_keys]
    weight_at = names.index("weight") if "weight" in names else None
    for sources, targets, texts in _edge_chunks(graph, found.edge_keys):
        weights = texts[weight_at] if weight_at is not None else [None] * len(sources)
        columns = [
            _elements(column, f'          <attvalue for="{ids[("edge", key)]}" value="', '" />\n')
            for (key, _), column in zip(found.edge_keys, texts, strict=True)
            if key != "weight"
        ]
        values = map("".join, zip(*columns, strict=True)) if columns else [""] * len(sources)
        parts = []
        for source, target, weight, text in zip(sources, targets, weights, values, strict=True):
            opening = f'      <edge source="{source}" target="{target}" id="{number}"'
            if weight is not None:
                opening += f' weight="{weight}"'
            parts.append(element(opening, text, "edge"))
            number += 1
        yield "".join(parts)
    yield "    </edges>\n  </graph>\n</gexf>\n"


def graphml_bytes(graph: nx.Graph, table: pd.DataFrame) -> bytes:
    """The GraphML file of a network with its measures (see :func:`analyze_tables`)."""
    return "".join(_graphml_lines(graph, table)).encode("utf-8")


def gexf_bytes(graph: nx.Graph, table: pd.DataFrame) -> bytes:
    """The GEXF file of a network with its measures (see :func:`analyze_tables`)."""
    return "".join(_gexf_lines(graph, table)).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Pictures


def _short(text: str, limit: int = 45) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _palette() -> list[str]:
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    tab20 = colormaps["tab20"]
    return [to_hex(tab20(i)) for i in range(0, 20, 2)] + [to_hex(tab20(i)) for i in range(1, 20, 2)]


def _community_colour(community: int, palette: list[str]) -> str:
    return palette[community] if community < len(palette) else "#bbbbbb"


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def _by_weight(table: pd.DataFrame) -> pd.DataFrame:
    return table.sort_values(
        ["weighted_degree", "label", "iri"], ascending=[False, True, True], kind="mergesort"
    )


def _fit(position: dict[str, Any], box: tuple[float, float, float, float]) -> dict[str, Any]:
    """Scale a layout into ``box`` (x, y, width, height), keeping its aspect ratio."""
    x0, y0, width, height = box
    xs = [float(p[0]) for p in position.values()]
    ys = [float(p[1]) for p in position.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    scale = min(width, height) / span
    return {
        node: (
            x0 + width / 2 + (float(p[0]) - cx) * scale,
            y0 + height / 2 + (float(p[1]) - cy) * scale,
        )
        for node, p in position.items()
    }


def _induced(graph: nx.Graph, nodes: list[str]) -> nx.Graph:
    """The subgraph on ``nodes`` as a copy in sorted order: a networkx subgraph view of a
    small part iterates over a set, so its node order (and a seeded layout) follows the hash
    seed."""
    chosen = set(nodes)
    induced = nx.Graph()
    induced.add_nodes_from(sorted(chosen))
    induced.add_edges_from(
        sorted(
            (min(u, v), max(u, v), d)
            for u, v, d in graph.edges(chosen, data=True)
            if u in chosen and v in chosen
        )
    )
    return induced


def _layout(graph: nx.Graph) -> dict[str, Any]:
    """Spring layout of the largest component over most of the canvas; the other components,
    each laid out alone, in a grid on the right (spring layout alone pushes small components
    to the corners and squeezes the large one)."""
    components = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    main, rest = components[0], components[1:]
    strip = 0.22 if rest else 0.0

    def spring(nodes: list[str]) -> dict[str, Any]:
        if len(nodes) == 1:
            return {nodes[0]: (0.0, 0.0)}
        return dict(
            nx.spring_layout(
                _induced(graph, nodes), seed=SEED, iterations=300, k=1.6 / math.sqrt(len(nodes))
            )
        )

    start = spring(main)
    if 2 < len(main) <= KAMADA_KAWAI_MAX_NODES:  # spreads dense cores better; O(n²) memory
        start = dict(nx.kamada_kawai_layout(_induced(graph, main), pos=start))
    position = _fit(start, (0.0, 0.0, 1.0 - strip - 0.02, 1.0))
    if rest:
        columns = max(1, round(math.sqrt(len(rest) * strip)))
        rows = math.ceil(len(rest) / columns)
        width, height = strip / columns, 1.0 / rows
        for number, nodes in enumerate(rest):
            row, column = divmod(number, columns)
            cell = (
                1.0 - strip + column * width + 0.15 * width,
                1.0 - (row + 1) * height + 0.15 * height,
                0.7 * width,
                0.7 * height,
            )
            position.update(_fit(spring(nodes), cell))
    return position


def _place_labels(figure: Any, axes: Any, labels: list[tuple[Any, str]]) -> None:
    """Label nodes in order of importance, above, below, right or left of the node, skipping a
    label whose every position overlaps one placed before (extents measured on an Agg canvas)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()
    placed: list[Any] = []
    offsets = (
        ((0, 5), "center", "bottom"),
        ((0, -5), "center", "top"),
        ((6, 0), "left", "center"),
        ((-6, 0), "right", "center"),
    )
    for (x, y), label in labels:
        for offset, horizontal, vertical in offsets:
            text = axes.annotate(
                _short(label, 38),
                (x, y),
                xytext=offset,
                textcoords="offset points",
                ha=horizontal,
                va=vertical,
                fontsize=8,
                zorder=3,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )
            extent = text.get_window_extent(renderer).expanded(1.04, 1.1)
            if not any(extent.overlaps(other) for other in placed):
                placed.append(extent)
                break
            text.remove()


def network_figure(
    graph: nx.Graph, table: pd.DataFrame, *, max_nodes: int = 300, labels: int = 20
) -> bytes:
    """PNG of the citation network: Louvain communities coloured, the top nodes labelled.

    Shows the ``max_nodes`` nodes of largest weighted degree (all of them in a small network);
    node area grows with weighted degree, actors are circles and frameworks squares, and the
    ``labels`` nodes of largest weighted degree are named. Layout: spring layout, seed
    :data:`~migkg.queries.analytics.SEED`.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    figure = Figure(figsize=(13, 10), layout="constrained")
    axes = figure.add_subplot()
    axes.set_axis_off()
    if graph.number_of_nodes() == 0:
        axes.text(0.5, 0.5, "no citations", ha="center", va="center")
        return _png(figure)
    ranked = _by_weight(table)
    shown = ranked.head(max_nodes)
    subgraph = _induced(graph, list(shown["iri"]))
    count = subgraph.number_of_nodes()
    position = _layout(subgraph)
    segments = [(position[u], position[v]) for u, v in subgraph.edges()]
    widths = [0.4 + math.log1p(w) * 0.6 for _, _, w in subgraph.edges(data="weight")]
    axes.add_collection(
        LineCollection(segments, colors="#999999", linewidths=widths, alpha=0.45, zorder=1)
    )
    palette = _palette()
    rows = shown.set_index("iri")
    for side, marker in (("actor", "o"), ("framework", "s")):
        members = [node for node in subgraph if rows.at[node, "side"] == side]
        if not members:
            continue
        axes.scatter(
            [position[n][0] for n in members],
            [position[n][1] for n in members],
            s=[18 + 28 * math.sqrt(rows.at[n, "weighted_degree"]) for n in members],
            c=[_community_colour(int(rows.at[n, "community"]), palette) for n in members],
            marker=marker,
            edgecolors="white",
            linewidths=0.6,
            zorder=2,
        )
    axes.set_xlim(-0.03, 1.03)
    axes.set_ylim(-0.03, 1.03)
    _place_labels(
        figure,
        axes,
        [
            (position[n], str(rows.at[n, "label"]))
            for n in ranked["iri"].head(labels)
            if n in position
        ],
    )
    sizes = table["community"].value_counts().sort_index()
    handles = [
        Line2D([], [], marker="o", ls="", color="#666666", label="actor"),
        Line2D([], [], marker="s", ls="", color="#666666", label="framework"),
    ]
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color=_community_colour(int(c), palette),
            label=f"community {c} ({n} nodes)",
        )
        for c, n in sizes.head(8).items()
    ]
    axes.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.85)
    scope = (
        f"the {count} nodes of largest weighted degree of {len(table)}"
        if count < len(table)
        else f"{count} nodes"
    )
    axes.set_title(
        f"Citation network: {scope}, {graph.number_of_edges()} edges in all; colours: "
        f"Louvain communities; size: citation evidence spans",
        fontsize=11,
    )
    return _png(figure)


def _kind_colours(kinds: Iterable[str]) -> dict[str, str]:
    palette = _palette()
    return {kind: palette[i % len(palette)] for i, kind in enumerate(sorted(set(kinds)))}


def bar_figure(table: pd.DataFrame, side: str, *, top: int = 20) -> bytes:
    """PNG bar chart of the ``top`` frameworks (``side="framework"``) or actors by citations.

    Bars are citation evidence spans (weighted degree), coloured by kind, with the number of
    distinct counterparts (actors citing a framework, frameworks an actor cites) in brackets.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    rows = _by_weight(table[table["side"] == side]).head(top)
    figure = Figure(figsize=(11, 1.6 + 0.34 * max(len(rows), 1)), layout="constrained")
    axes = figure.add_subplot()
    other = "actors" if side == "framework" else "frameworks"
    title = "Most-cited frameworks" if side == "framework" else "Most active citing actors"
    axes.set_title(f"{title}: citation evidence spans (distinct {other} in brackets)", fontsize=11)
    if rows.empty:
        axes.text(0.5, 0.5, "no citations", ha="center", va="center")
        axes.set_axis_off()
        return _png(figure)
    colours = _kind_colours(rows["kind"])
    positions = list(range(len(rows)))
    values = rows["weighted_degree"].tolist()
    axes.barh(positions, values, color=[colours[k] for k in rows["kind"]])
    axes.set_yticks(positions, [_short(str(label), 60) for label in rows["label"]], fontsize=8)
    axes.invert_yaxis()
    for y, value, degree in zip(positions, values, rows["degree"], strict=True):
        axes.text(value, y, f" {value:g} ({degree})", va="center", fontsize=8)
    axes.set_xlim(0, max(values) * 1.15)
    axes.set_xlabel("citation evidence spans")
    axes.legend(
        handles=[Patch(color=c, label=k) for k, c in colours.items()],
        fontsize=8,
        loc="lower right",
        title="kind",
        title_fontsize=8,
    )
    return _png(figure)


def heatmap_figure(graph: nx.Graph, *, top: int = 20) -> bytes:
    """PNG heat map: the ``top`` most-cited frameworks × the kind of the citing actor.

    Cells count citation evidence spans; actor kinds are the ``mig:kind`` of organizations
    and the type of people, states and collectives.
    """
    from matplotlib.figure import Figure

    cells: dict[tuple[str, str], float] = {}
    actor_kinds = dict(graph.nodes(data="kind", default=""))
    for actor, framework, weight in graph.edges(data="weight"):
        key = (framework, actor_kinds[actor])
        cells[key] = cells.get(key, 0) + weight
    framework_totals: dict[str, float] = {}
    kind_totals: dict[str, float] = {}
    for (framework, kind), weight in cells.items():
        framework_totals[framework] = framework_totals.get(framework, 0) + weight
        kind_totals[kind] = kind_totals.get(kind, 0) + weight
    frameworks = sorted(
        framework_totals,
        key=lambda f: (-framework_totals[f], graph.nodes[f].get("label", f), f),
    )[:top]
    kinds = sorted(kind_totals, key=lambda k: (-kind_totals[k], k))
    figure = Figure(
        figsize=(3.5 + 0.75 * max(len(kinds), 1), 2 + 0.34 * max(len(frameworks), 1)),
        layout="constrained",
    )
    axes = figure.add_subplot()
    axes.set_title(
        "Citation evidence spans: most-cited frameworks × kind of citing actor", fontsize=11
    )
    if not cells:
        axes.text(0.5, 0.5, "no citations", ha="center", va="center")
        axes.set_axis_off()
        return _png(figure)
    matrix = [[cells.get((f, k), 0) for k in kinds] for f in frameworks]
    image = axes.imshow(matrix, cmap="Blues", aspect="auto")
    axes.set_xticks(range(len(kinds)), kinds, rotation=40, ha="right", fontsize=8)
    axes.set_yticks(
        range(len(frameworks)),
        [_short(str(graph.nodes[f].get("label", f)), 55) for f in frameworks],
        fontsize=8,
    )
    peak = max(max(row) for row in matrix)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                axes.text(
                    j,
                    i,
                    f"{value:g}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if value > peak / 2 else "black",
                )
    figure.colorbar(image, ax=axes, label="citation evidence spans", shrink=0.8)
    return _png(figure)


# ---------------------------------------------------------------------------------------------
# Explorer


def _script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element (no ``<``, ``>`` or ``&`` characters)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _evidence(
    citations: pd.DataFrame, index: dict[str, int], max_quotes: int
) -> tuple[dict[int, list[dict[str, str]]], dict[int, int]]:
    """Evidence of the shown nodes: per node (its number in ``index``), its first
    ``max_quotes`` distinct (evidence span, other end) items in sorted order, and how many
    there are. An item carries the other end, the citation types found in the span, and the
    document and quote of its first row.

    Items are found by sorting integer codes (numbered in the sorted order of the texts), so
    a million citations take seconds; only the items shown are built in Python.
    """
    evidence: dict[int, list[dict[str, str]]] = {}
    totals: dict[int, int] = {}
    if citations.empty:
        return evidence, totals
    spans, others, nodes, rows = [], [], [], []
    for node_column, other_column in (("actor", "framework_label"), ("framework", "actor_label")):
        node = citations[node_column].map(index).to_numpy(dtype=float, na_value=np.nan)
        shown = np.flatnonzero(~np.isnan(node))
        nodes.append(node[shown].astype(np.int64))
        rows.append(shown)
        spans.append(citations["evidence"].to_numpy(dtype=object)[shown])
        others.append(citations[other_column].to_numpy(dtype=object)[shown])
    node = np.concatenate(nodes)
    if not len(node):
        return evidence, totals
    row = np.concatenate(rows)
    role = np.repeat([0, 1], [len(rows[0]), len(rows[1])])
    other = np.concatenate(others)
    span_code = pd.factorize(pd.Series(np.concatenate(spans)).astype(str), sort=True)[0]
    other_code = pd.factorize(pd.Series(other).astype(str), sort=True)[0]
    # by item (node numbers follow the sorted IRIs), then row by row, the actor's side first
    order = np.lexsort((role, row, other_code, span_code, node))
    node, span_code, other_code = node[order], span_code[order], other_code[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (
        (node[1:] != node[:-1])
        | (span_code[1:] != span_code[:-1])
        | (other_code[1:] != other_code[:-1])
    )
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], len(order))
    item_node = node[starts]
    counts = np.bincount(item_node)
    for number in np.flatnonzero(counts).tolist():
        totals[number] = int(counts[number])
    node_start = np.flatnonzero(np.r_[True, item_node[1:] != item_node[:-1]])
    rank = np.arange(len(starts)) - np.repeat(node_start, np.diff(np.r_[node_start, len(starts)]))
    documents = citations.get("document_label", pd.Series("", index=citations.index))
    document_values = documents.to_numpy(dtype=object)
    quotes = citations.get("quote", pd.Series("", index=citations.index)).to_numpy(dtype=object)
    types = citations["citation_type"].to_numpy(dtype=object)
    source = row[order]
    other = other[order]
    for item in np.flatnonzero(rank < max_quotes).tolist():
        start, end = int(starts[item]), int(ends[item])
        first_row = int(source[start])
        document = document_values[first_row]
        evidence.setdefault(int(item_node[item]), []).append(
            {
                "with": other[start],
                "types": ", ".join(sorted({types[r] for r in source[start:end].tolist()})),
                "document": document if isinstance(document, str) else "",
                "quote": str(quotes[first_row] or "")[:1000],
            }
        )
    return evidence, totals


def explorer_html(
    graph: nx.Graph,
    table: pd.DataFrame,
    citations: pd.DataFrame,
    *,
    max_nodes: int = EXPLORER_MAX_NODES,
    max_quotes: int = EXPLORER_MAX_QUOTES,
) -> bytes:
    """The offline explorer of the citation network (``explorer.html``).

    It loads ``vis-network/vis-network.min.js`` from beside itself; the network data (the
    ``max_nodes`` nodes of largest weighted degree) and up to ``max_quotes`` evidence quotes
    per node are embedded as JSON. A click on a node lists its measures and its evidence:
    the quote, the other end of the citation, the citation types and the document.
    """
    shown = _by_weight(table).head(max_nodes)
    index = {iri: number for number, iri in enumerate(sorted(shown["iri"]))}
    palette = _palette()
    measure_columns = [
        c
        for c in (
            "weighted_degree",
            "degree",
            "pagerank",
            "authority",
            "hub",
            "betweenness",
            "community",
            "core_number",
            "component",
        )
        if c in table
    ]
    nodes = []
    for row in shown.sort_values("iri").to_dict("records"):
        nodes.append(
            {
                "id": index[row["iri"]],
                "iri": row["iri"],
                "label": row["label"],
                "type": row["type"],
                "kind": row["kind"],
                "side": row["side"],
                "colour": _community_colour(int(row["community"]), palette),
                **{c: row[c] for c in measure_columns},
            }
        )
    edges = [
        {
            "from": index[u],
            "to": index[v],
            "weight": data.get("weight", 1),
            "types": data.get("citation_types", ""),
            "documents": data.get("documents", ""),
        }
        for u, v, data in graph.edges(data=True)
        if u in index and v in index
    ]
    evidence, totals = _evidence(citations, index, max_quotes)
    data = {
        "nodes": nodes,
        "edges": edges,
        "evidence": {str(k): v for k, v in evidence.items()},
        "evidence_totals": {str(k): v for k, v in totals.items()},
        "total_nodes": len(table),
        "max_quotes": max_quotes,
    }
    page = _EXPLORER.replace("__DATA__", _script_json(data))
    return page.encode("utf-8")


_EXPLORER = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>migkg citation network explorer</title>
<script src="vis-network/vis-network.min.js"></script>
<style>
  html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, sans-serif; color: #222; }
  body { display: flex; }
  #network { flex: 1 1 auto; min-width: 0; background: #fcfcfc; }
  aside { width: 30rem; max-width: 45vw; overflow-y: auto; padding: 0.8rem 1rem;
          border-left: 1px solid #ddd; box-sizing: border-box; }
  h1 { font-size: 1.2rem; margin: 0 0 0.3rem; }
  h2 { font-size: 1.05rem; margin: 0.8rem 0 0.2rem; }
  input { width: 100%; box-sizing: border-box; padding: 0.3rem; margin: 0.4rem 0; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 0.1rem 0.8rem; margin: 0.4rem 0; }
  dt { color: #666; } dd { margin: 0; font-variant-numeric: tabular-nums; }
  blockquote { margin: 0.5rem 0; padding: 0.3rem 0.6rem; border-left: 3px solid #8ab;
               background: #f4f8f9; white-space: pre-wrap; }
  .meta { color: #555; font-size: 0.85rem; }
  .iri { font-size: 0.8rem; word-break: break-all; color: #555; }
  noscript, .note { color: #a33; }
</style>
</head>
<body>
<div id="network"></div>
<aside>
  <h1>Citation network</h1>
  <p class="meta" id="scope"></p>
  <p class="meta">Circles are actors, squares frameworks; colours are Louvain communities;
    sizes grow with citation evidence spans. Click a node for its evidence quotes.</p>
  <input id="find" list="labels" placeholder="Find a node by name" autocomplete="off">
  <datalist id="labels"></datalist>
  <div id="details"><p>Click a node to see its evidence quotes and documents.</p></div>
  <noscript>This explorer needs JavaScript.</noscript>
</aside>
<script id="data" type="application/json">__DATA__</script>
<script>
"use strict";
const data = JSON.parse(document.getElementById("data").textContent);
const byId = new Map(data.nodes.map((n) => [n.id, n]));
const el = (tag, text, cls) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
};
document.getElementById("scope").textContent =
  data.nodes.length + " nodes" + (data.total_nodes > data.nodes.length
    ? " (the largest by weighted degree, of " + data.total_nodes + ")" : "") +
  ", " + data.edges.length + " edges.";
if (typeof vis === "undefined") {
  document.getElementById("details").replaceChildren(
    el("p", "vis-network/vis-network.min.js was not found beside this file.", "note"));
} else {
  const nodes = new vis.DataSet(data.nodes.map((n) => ({
    id: n.id, label: n.label.length > 40 ? n.label.slice(0, 39) + "\u2026" : n.label,
    title: n.label + " (" + n.kind + ")", value: n.weighted_degree,
    shape: n.side === "framework" ? "square" : "dot",
    color: { background: n.colour, border: "#ffffff",
             highlight: { background: n.colour, border: "#222222" } },
  })));
  const edges = new vis.DataSet(data.edges.map((e, i) => ({
    id: i, from: e.from, to: e.to, value: e.weight, arrows: "to",
    title: e.weight + " evidence span(s): " + e.types,
  })));
  const network = new vis.Network(document.getElementById("network"), { nodes, edges }, {
    layout: { randomSeed: 42, improvedLayout: data.nodes.length <= 150 },
    physics: { solver: "forceAtlas2Based", stabilization: { iterations: 400 } },
    interaction: { hover: true, tooltipDelay: 120 },
    nodes: { scaling: { min: 6, max: 40, label: { enabled: true, min: 10, max: 20 } },
             font: { size: 12 } },
    edges: { color: { color: "#c0c0c0", highlight: "#333333" }, smooth: false,
             scaling: { min: 1, max: 8 } },
  });
  network.once("stabilizationIterationsDone", () => network.setOptions({ physics: false }));
  const show = (id) => {
    const n = byId.get(id);
    const details = document.getElementById("details");
    details.replaceChildren();
    details.append(el("h2", n.label), el("div", n.iri, "iri"));
    const facts = el("dl");
    const add = (name, value) => {
      if (value === undefined || value === null || value === "") return;
      facts.append(el("dt", name),
                   el("dd", typeof value === "number" && !Number.isInteger(value)
                            ? value.toPrecision(4) : String(value)));
    };
    add("type", n.type); add("kind", n.kind);
    for (const key of ["weighted_degree", "degree", "pagerank", "authority", "hub",
                       "betweenness", "community", "core_number", "component"]) add(key, n[key]);
    details.append(facts);
    const quotes = data.evidence[String(id)] || [];
    const total = data.evidence_totals[String(id)] || 0;
    details.append(el("h2", "Evidence (" +
      (total > quotes.length ? quotes.length + " of " + total + " shown" : total) + ")"));
    for (const q of quotes) {
      details.append(el("div", (n.side === "framework" ? "cited by " : "cites ") + q.with +
        " \u2014 " + q.types + " \u2014 document " + q.document, "meta"));
      details.append(el("blockquote", q.quote));
    }
  };
  network.on("click", (params) => { if (params.nodes.length) show(params.nodes[0]); });
  window.migkgExplorer = { network, show };  // for the browser console and tests
  const list = document.getElementById("labels");
  for (const n of [...data.nodes].sort((a, b) => a.label.localeCompare(b.label))) {
    list.append(Object.assign(document.createElement("option"), { value: n.label }));
  }
  document.getElementById("find").addEventListener("change", (event) => {
    const n = data.nodes.find((m) => m.label === event.target.value);
    if (n) { network.selectNodes([n.id]); network.focus(n.id, { scale: 1.2 }); show(n.id); }
  });
}
</script>
</body>
</html>
"""


# ---------------------------------------------------------------------------------------------
# Report


def _html_table(table: pd.DataFrame) -> str:
    return str(
        table.to_html(
            index=False,
            escape=True,
            border=0,
            classes="data",
            float_format=lambda x: f"{x:.4g}",
            na_rep="",
        )
    )


def _top(table: pd.DataFrame, column: str, top: int, side: str | None = None) -> pd.DataFrame:
    rows = table if side is None else table[table["side"] == side]
    values = rows[column].to_numpy(dtype=float)
    if len(values) > top and not np.isnan(values).any():
        # only the rows that can be in the top (all ties of the last) need sorting
        rows = rows[values >= np.partition(values, len(values) - top)[len(values) - top]]
    rows = rows.sort_values(
        [column, "label", "iri"], ascending=[False, True, True], kind="mergesort"
    ).head(top)
    return rows[["label", "kind", column, "weighted_degree", "community"]]


def _pairs(graph: nx.Graph, top: int) -> pd.DataFrame:
    rows = [
        (graph.nodes[u].get("label", u), graph.nodes[v].get("label", v), w)
        for u, v, w in graph.edges(data="weight")
    ]
    table = pd.DataFrame(rows, columns=["first", "second", "weight"])
    return table.sort_values(
        ["weight", "first", "second"], ascending=[False, True, True], kind="mergesort"
    ).head(top)


def _communities(table: pd.DataFrame, top: int) -> pd.DataFrame:
    rows = []
    for community, members in _by_weight(table).groupby("community", sort=True):
        rows.append(
            (
                community,
                len(members),
                "; ".join(_short(str(label), 50) for label in members["label"].head(5)),
            )
        )
    return pd.DataFrame(rows, columns=["community", "nodes", "largest members"]).head(top)


_FIGURES = (
    ("figures/citation_network.png", "The citation network, coloured by Louvain community."),
    ("figures/top_frameworks.png", "Most-cited frameworks."),
    ("figures/top_actors.png", "Most active citing actors."),
    ("figures/framework_actor_heatmap.png", "Most-cited frameworks by kind of citing actor."),
)


def _report_html(
    networks: dict[str, nx.Graph],
    measures: dict[str, pd.DataFrame],
    skipped: dict[str, str],
    skipped_files: dict[str, str],
    filters: dict[str, str],
    written: list[str],
    top: int,
) -> bytes:
    e = html.escape
    present = set(written)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        "<title>migkg network analysis</title>",
        f"<style>{_REPORT_CSS}</style>",
        "</head>",
        "<body>",
        "<h1>migkg network analysis</h1>",
    ]
    scope = "; ".join(f"{e(k)}: {e(v)}" for k, v in filters.items()) or "none (all citations)"
    links = []
    if "explorer.html" in present:
        links.append('Interactive view: <a href="explorer.html">explorer.html</a>.')
    if "measures.trig" in present:
        links.append('Measures as RDF: <a href="measures.trig">measures.trig</a>.')
    parts.append(f"<p>Citation filters: {scope}. {' '.join(links)}</p>")
    summary_rows = []
    for name, table in measures.items():
        s = table.attrs["summary"]
        summary_rows.append(
            {
                "network": name,
                "nodes": s["nodes"],
                "edges": s["edges"],
                "density": s["density"],
                "density kind": s["density_kind"],
                "components": s["components"],
                "largest component": s["largest_component"],
                "communities": s["communities"],
                "modularity": s["modularity"],
                "community method": s["community_method"],
                "betweenness": s["betweenness"],
            }
        )
    parts += ["<h2>Networks</h2>", _html_table(pd.DataFrame(summary_rows)), "<ul>"]
    parts += [f"<li><b>{e(name)}</b>: {e(NETWORK_TITLES[name])}</li>" for name in networks]
    parts += [f"<li><b>{e(name)}</b>: {e(reason)}</li>" for name, reason in skipped.items()]
    parts.append("</ul>")
    figures = [(path, caption) for path, caption in _FIGURES if path in present]
    if figures:
        parts.append("<h2>Pictures</h2>")
    for path, caption in figures:
        parts.append(
            f'<figure><a href="{e(path)}"><img src="{e(path)}" alt="{e(caption)}"></a>'
            f"<figcaption>{e(caption)}</figcaption></figure>"
        )
    table = measures["citation"]
    parts.append(f"<h2>Citation network: top {top}</h2>")
    sections = [
        ("Authorities (HITS; frameworks)", "authority", "framework"),
        ("Hubs (HITS; actors)", "hub", "actor"),
        ("PageRank", "pagerank", None),
        ("Betweenness", "betweenness", None),
        ("Weighted degree (citation evidence spans)", "weighted_degree", None),
    ]
    for title, column, side in sections:
        if column not in table:
            continue
        parts.append(f"<h3>{e(title)}</h3>")
        if column == "betweenness":
            method = table.attrs["summary"]["betweenness"]
            if table[column].isna().all() and len(table):
                parts.append(f"<p>Betweenness {e(method)}; the column is empty.</p>")
                continue
            if method != "exact":
                parts.append(f"<p>Estimated: {e(method)} (see Method).</p>")
        parts.append(_html_table(_top(table, column, top, side)))
    method = table.attrs["summary"]["community_method"]
    parts += [
        f"<h3>Communities ({e(method)})</h3>",
        _html_table(_communities(table, top)),
    ]
    for name, title in (
        ("cocitation", "Most co-cited framework pairs (shared actors)"),
        ("actors", "Most strongly tied actor pairs (Newman weight)"),
    ):
        if name in networks:
            parts += [f"<h2>{e(title)}</h2>", _html_table(_pairs(networks[name], top))]
    affiliation = measures["affiliation"]
    parts += [
        "<h2>Affiliation network: organizations and states with most people</h2>",
        _html_table(_top(affiliation, "degree", top, "organization")),
    ]
    parts += ["<h2>Files</h2>", "<ul>"]
    parts += [
        f'<li><a href="{e(path)}">{e(path)}</a></li>'
        for path in sorted(written)
        if path.startswith(("tables/", "graphs/")) or path == "measures.trig"
    ]
    parts += [f"<li>{e(path)}: {e(reason)}</li>" for path, reason in skipped_files.items()]
    parts += ["</ul>", f"<h2>Method</h2>{_METHOD}", "</body>", "</html>", ""]
    return "\n".join(parts).encode("utf-8")


_REPORT_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 72rem; margin: 1.5rem auto;
       padding: 0 1rem; color: #222; }
h2 { border-bottom: 1px solid #ddd; margin-top: 2rem; }
table.data { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
table.data th, table.data td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #eee;
                               text-align: left; }
table.data td { font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9rem; }
"""

_METHOD = f"""
<ul>
<li>Citation edge weight: the number of distinct evidence spans (quoted passages) in which the
actor cites the framework, whatever the citation type.</li>
<li>Co-citation weight: the number of distinct actors citing both frameworks. Actor projection:
Newman's collaboration weight, Σ 1/(d<sub>k</sub> − 1) over the frameworks k both cite, with
d<sub>k</sub> the number of actors citing k (Phys. Rev. E 64, 016132, 2001). A projection that
would visit more than {MAX_PROJECTION_PAIRS:,} node pairs is not built.</li>
<li>Betweenness: normalized, on the undirected network with unit edge lengths (Brandes'
algorithm, many sources at a time with sparse matrix products). By default exact up to
{EXACT_BETWEENNESS_MAX_NODES:,} nodes; above, estimated from {BETWEENNESS_SAMPLES} source nodes
sampled with seed {SEED} (the sources networkx's <code>k</code> would pick), scaled up to all
sources. The searches have a fixed work budget ({BETWEENNESS_MAX_WORK:.2g} matrix entries and
nodes visited, over all levels and sources): on a larger network fewer sources are used, and
below {BETWEENNESS_MIN_SAMPLES} the column is left empty. The network table gives the method
and the number of sources <code>k</code> actually used.</li>
<li>PageRank: weighted, damping 0.85. HITS: weighted power iteration from a uniform start;
actors are hubs, frameworks authorities.</li>
<li>Communities: weighted Louvain, seed {SEED}: by default networkx's implementation up to
{NETWORKX_LOUVAIN_MAX_EDGES:,} edges; above, the same method with the local moves done
in {LOUVAIN_BATCHES} batches per sweep, the nodes of a batch at once ("batched louvain";
networkx's pure-Python loop takes minutes on a million edges). Both report their
modularity. k-core and (weakly) connected
components on the undirected network.</li>
<li>Measures in <code>measures.trig</code> use the vocabulary
<code>https://w3id.org/migkg/measures#</code>; the migkg ontology has no measure terms.</li>
</ul>
"""
