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
``max_projection_pairs`` node pairs is skipped, and the report says so.

Pictures are drawn with matplotlib's object API on the Agg canvas (no pyplot, so the caller's
backend is left alone). CSV, GraphML, TriG, PNG and HTML output is byte-identical from run to
run; GEXF carries the date of the run (``lastmodifieddate``).
"""

from __future__ import annotations

import html
import io
import json
import logging
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pyoxigraph

from migkg.graph.store import write_atomic
from migkg.queries.analytics import (
    BETWEENNESS_SAMPLES,
    EXACT_BETWEENNESS_MAX_NODES,
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
    "MAX_PROJECTION_PAIRS",
    "Analysis",
    "analyze",
    "analyze_tables",
    "bar_figure",
    "explorer_html",
    "heatmap_figure",
    "network_figure",
]

logger = logging.getLogger(__name__)

MAX_PROJECTION_PAIRS = 5_000_000
"""Projections visiting more node pairs than this are skipped (memory: ~1 kB per edge)."""
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
    """What :func:`analyze_tables` computed and wrote."""

    out_dir: Path
    networks: dict[str, nx.Graph]
    measures: dict[str, pd.DataFrame]
    skipped: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class _Output:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.files: list[str] = []

    def write(self, relative: str, data: bytes) -> None:
        write_atomic(self.out_dir / relative, data)
        self.files.append(relative)


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
) -> Analysis:
    """Analyze the networks of a store and write every output into ``out_dir``.

    The citation filters are those of :func:`~migkg.queries.analytics.filter_citations`;
    the affiliation network is never filtered. ``top`` is the number of rows of the report
    tables and of bars in the charts.
    """
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
    exact_betweenness_max_nodes: int = EXACT_BETWEENNESS_MAX_NODES,
    betweenness_samples: int = BETWEENNESS_SAMPLES,
) -> Analysis:
    """Build the four networks from citation and affiliation tables and write every output.

    ``citations`` and ``affiliations`` have the columns of
    :func:`~migkg.queries.analytics.citation_table` and
    :func:`~migkg.queries.analytics.affiliation_table` (``quote`` is used by the explorer).
    ``timings`` of the result holds seconds per step.
    """
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
    measures = {
        name: measures_table(
            graph,
            exact_betweenness_max_nodes=exact_betweenness_max_nodes,
            betweenness_samples=betweenness_samples,
        )
        for name, graph in networks.items()
    }
    lap("measures")
    output = _Output(out_dir)
    for name, graph in networks.items():
        _write_tables(output, name, graph, measures[name])
    lap("tables")
    for name, graph in networks.items():
        exported = _with_measures(graph, measures[name])
        output.write(f"graphs/{name}.graphml", _graphml(exported))
        output.write(f"graphs/{name}.gexf", _gexf(exported))
    lap("graph files")
    citation, table = networks["citation"], measures["citation"]
    output.write("figures/citation_network.png", network_figure(citation, table))
    output.write("figures/top_frameworks.png", bar_figure(table, "framework", top=top))
    output.write("figures/top_actors.png", bar_figure(table, "actor", top=top))
    output.write("figures/framework_actor_heatmap.png", heatmap_figure(citation, top=top))
    lap("figures")
    output.write("measures.trig", measures_trig(measures))
    lap("measures.trig")
    web = files("migkg.queries") / "web" / "vis-network"
    for name in VIS_NETWORK_FILES:
        output.write(f"vis-network/{name}", (web / name).read_bytes())
    output.write("explorer.html", explorer_html(citation, table, citations))
    lap("explorer")
    output.write(
        "report.html", _report_html(networks, measures, skipped, filters or {}, output.files, top)
    )
    lap("report")
    return Analysis(out_dir, networks, measures, skipped, output.files, timings)


# ---------------------------------------------------------------------------------------------
# Tables and graph files


def _csv(table: pd.DataFrame) -> bytes:
    return table.to_csv(index=False, float_format="%.12g", lineterminator="\n").encode("utf-8")


def _ranked(table: pd.DataFrame, order: tuple[tuple[str, bool], ...]) -> pd.DataFrame:
    columns = [column for column, _ in order]
    ordered = table.sort_values(
        [*columns, "label", "iri"],
        ascending=[ascending for _, ascending in order] + [True, True],
        kind="mergesort",
    )
    ranked = ordered[[*IDENTITY, *columns]].reset_index(drop=True)
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    return ranked


def _edges_table(graph: nx.Graph) -> pd.DataFrame:
    keys = sorted({key for _, _, data in graph.edges(data=True) for key in data} - {"weight"})
    rows = [
        (
            u,
            graph.nodes[u].get("label", u),
            v,
            graph.nodes[v].get("label", v),
            data.get("weight", 1),
            *(data.get(key, "") for key in keys),
        )
        for u, v, data in graph.edges(data=True)
    ]
    columns = ["source", "source_label", "target", "target_label", "weight", *keys]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(
        ["weight", "source", "target"], ascending=[False, True, True], kind="mergesort"
    )


def _write_tables(output: _Output, name: str, graph: nx.Graph, table: pd.DataFrame) -> None:
    folder = f"tables/{name}"
    for measure, order in MEASURE_FILES.items():
        if all(column in table for column, _ in order):
            output.write(f"{folder}/{measure}.csv", _csv(_ranked(table, order)))
    output.write(f"{folder}/measures.csv", _csv(table))
    output.write(f"{folder}/summary.csv", _csv(summary_table(table)))
    output.write(f"{folder}/edges.csv", _csv(_edges_table(graph)))


def _with_measures(graph: nx.Graph, table: pd.DataFrame) -> nx.Graph:
    exported = graph.copy()
    exported.graph = {"name": graph.graph.get("name", "")}
    for column in table.columns:
        if column in IDENTITY:
            continue
        nx.set_node_attributes(
            exported, dict(zip(table["iri"], table[column].tolist(), strict=True)), column
        )
    return exported


def _graphml(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def _gexf(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


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
    for actor, framework, weight in graph.edges(data="weight"):
        key = (framework, graph.nodes[actor].get("kind", ""))
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
    evidence: dict[int, list[dict[str, str]]] = {}
    totals: dict[int, int] = {}
    if not citations.empty:
        grouped: dict[tuple[str, str, str], dict[str, Any]] = {}
        wanted = citations["actor"].isin(index) | citations["framework"].isin(index)
        for row in citations[wanted].to_dict("records"):
            for node, other in (
                (row["actor"], row["framework_label"]),
                (row["framework"], row["actor_label"]),
            ):
                if node not in index:
                    continue
                key = (node, str(row["evidence"]), str(other))
                item = grouped.setdefault(
                    key,
                    {
                        "with": other,
                        "types": set(),
                        "document": row.get("document_label") or "",
                        "quote": str(row.get("quote") or "")[:1000],
                    },
                )
                item["types"].add(row["citation_type"])
        for (node, _, _), item in sorted(
            grouped.items(), key=lambda kv: (kv[0], kv[1]["document"])
        ):
            found = evidence.setdefault(index[node], [])
            totals[index[node]] = totals.get(index[node], 0) + 1
            if len(found) < max_quotes:
                found.append({**item, "types": ", ".join(sorted(item["types"]))})
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
    filters: dict[str, str],
    written: list[str],
    top: int,
) -> bytes:
    e = html.escape
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
    parts.append(
        f"<p>Citation filters: {scope}. Interactive view: "
        '<a href="explorer.html">explorer.html</a>. Measures as RDF: '
        '<a href="measures.trig">measures.trig</a>.</p>'
    )
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
                "betweenness": s["betweenness"],
            }
        )
    parts += ["<h2>Networks</h2>", _html_table(pd.DataFrame(summary_rows)), "<ul>"]
    parts += [f"<li><b>{e(name)}</b>: {e(NETWORK_TITLES[name])}</li>" for name in networks]
    parts += [f"<li><b>{e(name)}</b>: {e(reason)}</li>" for name, reason in skipped.items()]
    parts.append("</ul>")
    parts.append("<h2>Pictures</h2>")
    for path, caption in _FIGURES:
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
        if column in table:
            parts += [f"<h3>{e(title)}</h3>", _html_table(_top(table, column, top, side))]
    parts += ["<h3>Communities (Louvain)</h3>", _html_table(_communities(table, top))]
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

_METHOD = """
<ul>
<li>Citation edge weight: the number of distinct evidence spans (quoted passages) in which the
actor cites the framework, whatever the citation type.</li>
<li>Co-citation weight: the number of distinct actors citing both frameworks. Actor projection:
Newman's collaboration weight, Σ 1/(d<sub>k</sub> − 1) over the frameworks k both cite, with
d<sub>k</sub> the number of actors citing k (Phys. Rev. E 64, 016132, 2001).</li>
<li>Betweenness: normalized, on the undirected network with unit edge lengths; exact up to 1,000
nodes, above that estimated from 100 source nodes sampled with seed 42 (the table above says
which). PageRank: weighted, damping 0.85. HITS: weighted power iteration from a uniform start;
actors are hubs, frameworks authorities. Communities: weighted Louvain, seed 42. k-core and
(weakly) connected components on the undirected network.</li>
<li>Measures in <code>measures.trig</code> use the vocabulary
<code>https://w3id.org/migkg/measures#</code>; the migkg ontology has no measure terms.</li>
</ul>
"""
