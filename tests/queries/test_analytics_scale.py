"""Network analytics at scale: the whole-array measures agree with NetworkX, the large-network
code path (sampled betweenness within a work budget, batched Louvain, graph files over the
size limit) is taken and reported when the budgets are lowered, the fast writers give the
bytes or the graphs of the slow ones, and every output is the same from run to run.

The networks here have a few thousand edges: the budgets are lowered through parameters
instead of building a million-edge graph (bench/bench_analytics.py does that)."""

from __future__ import annotations

import doctest
import io
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pyoxigraph
import pytest

from migkg.errors import InputError
from migkg.queries import analytics, report
from migkg.queries.analytics import (
    MEASURES_NAMESPACE,
    measures_quads,
    measures_table,
    measures_trig,
    network_from_citations,
)
from migkg.queries.report import Analysis, analyze_tables, parse_formats

BASE = "https://w3id.org/migkg/id/"
AFFILIATION_COLUMNS = [
    "affiliation", "person", "person_label", "organization", "organization_label",
    "organization_type", "organization_kind", "role", "document", "document_label",
    "evidence", "quote",
]  # fmt: skip
# the large-network path on a few thousand edges
LOW_BUDGETS = {
    "exact_betweenness_max_nodes": 50,
    "betweenness_samples": 60,
    "betweenness_max_work": 1_000_000,
    "louvain_max_edges": 500,
    "graph_file_max_edges": 1_000,
    "max_projection_pairs": 50_000,  # the actor projection is skipped, co-citation is not
}
REPO = Path(__file__).resolve().parents[2]


def make_citations(edges: int = 1500, actors: int = 200, frameworks: int = 40) -> pd.DataFrame:
    """A citation table: Zipf-popular frameworks, and some spans with two citation types or
    a second span for the same pair."""
    generator = np.random.default_rng(5)
    popularity = 1.0 / np.arange(1, frameworks + 1) ** 1.1
    popularity /= popularity.sum()
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        pairs.add(
            (int(generator.integers(actors)), int(generator.choice(frameworks, p=popularity)))
        )
    rows = []
    for number, (actor, framework) in enumerate(sorted(pairs)):
        for extra in range(1 + number % 3):
            rows.append(
                {
                    "citation": f"{BASE}citation/{number}-{extra}",
                    "actor": f"{BASE}state/a{actor:04d}",
                    "actor_label": f"Actor {actor}",
                    "actor_type": "state" if actor % 3 else "organization",
                    "actor_kind": "state" if actor % 3 else "un_entity",
                    "framework": f"{BASE}framework/f{framework:03d}",
                    "framework_label": f"Framework & <{framework}>",
                    "framework_kind": ("compact", "convention")[framework % 2],
                    "framework_year": 2018 if framework % 5 == 0 else None,
                    "citation_type": ("cites", "adopts", "welcomes")[extra],
                    "document": f"{BASE}document/d{number % 7}",
                    "document_label": f"d{number % 7}",
                    "evidence": f"{BASE}evidence/{number}-{min(extra, 1)}",
                    "quote": f'Actor {actor} said "yes",\nabout framework {framework}.',
                }
            )
    table = pd.DataFrame(rows)
    table["framework_year"] = table["framework_year"].astype("Int64")
    return table


def _affiliations() -> pd.DataFrame:
    return pd.DataFrame(columns=AFFILIATION_COLUMNS)


@pytest.fixture(scope="module")
def citations() -> pd.DataFrame:
    return make_citations()


@pytest.fixture(scope="module")
def scaled(citations: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    """analyze_tables with budgets low enough for the large-network path everywhere."""
    out = tmp_path_factory.mktemp("scaled") / "out"
    return analyze_tables(citations, _affiliations(), out, **LOW_BUDGETS)


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --------------------------------------------------------------------------------------------
# The measures against NetworkX


def _graphs() -> list[nx.Graph]:
    bipartite = nx.bipartite.random_graph(40, 25, 0.12, seed=3, directed=True)
    graphs = [
        nx.karate_club_graph(),
        nx.gnm_random_graph(150, 400, seed=1),
        nx.path_graph(30),
        nx.barbell_graph(8, 4),
        nx.Graph([(0, 1), (2, 3), (3, 4), (5, 5)]),
        nx.DiGraph(bipartite.edges()),
        nx.gnp_random_graph(80, 0.06, seed=4, directed=True),
    ]
    return [nx.relabel_nodes(graph, {n: f"n{n:03d}" for n in graph}) for graph in graphs]


@pytest.mark.parametrize("graph", _graphs(), ids=lambda graph: f"{len(graph)}-nodes")
def test_whole_array_measures_agree_with_networkx(graph: nx.Graph) -> None:
    nodes = sorted(graph)
    undirected = nx.Graph()
    undirected.add_nodes_from(nodes)
    undirected.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    adjacency = analytics._adjacency(graph, nodes)
    reference = nx.to_scipy_sparse_array(graph, nodelist=nodes, format="csr").toarray()
    assert np.array_equal(adjacency.toarray(), reference)
    pattern = analytics._pattern(analytics._undirected_matrix(adjacency, graph.is_directed()))
    exact, method = analytics._betweenness(
        pattern, exact_max_nodes=1000, samples=10, min_samples=2, max_work=10**12, seed=42
    )
    assert method == "exact"
    expected = nx.betweenness_centrality(undirected)
    assert exact == pytest.approx([expected[n] for n in nodes], abs=1e-12)
    sampled, method = analytics._betweenness(
        pattern, exact_max_nodes=5, samples=10, min_samples=2, max_work=10**12, seed=42
    )
    assert method == ("exact" if len(graph) <= 10 else "sampled k=10 seed=42")
    if len(graph) > 10:
        expected = nx.betweenness_centrality(undirected, k=10, seed=42)  # the same sources
    assert sampled == pytest.approx([expected[n] for n in nodes], abs=1e-12, nan_ok=True)
    core = nx.core_number(undirected)
    assert analytics._core_numbers(pattern).tolist() == [core[n] for n in nodes]
    pagerank = nx.pagerank(graph, weight="weight", max_iter=1000)
    assert analytics._pagerank(adjacency) == pytest.approx([pagerank[n] for n in nodes], abs=1e-14)


def test_betweenness_sources_shrink_to_the_work_budget() -> None:
    graph = nx.relabel_nodes(nx.gnm_random_graph(400, 1200, seed=2), str)
    pattern = nx.to_scipy_sparse_array(graph, nodelist=sorted(graph), format="csr")
    per_source = (pattern.nnz + 400) * 2 * 10  # ten levels is more than this graph has
    budget = {"exact_max_nodes": 10, "samples": 100, "min_samples": 10, "seed": 42}
    full, method = analytics._betweenness(pattern, max_work=10**12, **budget)
    assert method == "sampled k=100 seed=42"
    _, method = analytics._betweenness(pattern, max_work=40 * per_source, **budget)
    k = int(method.split()[1].removeprefix("k="))
    assert 10 <= k < 100
    values, method = analytics._betweenness(pattern, max_work=per_source, **budget)
    assert method.startswith("not computed: 10 breadth-first searches")
    assert np.isnan(values).all() and not np.isnan(full).any()


def test_a_long_path_is_given_up_at_once() -> None:
    path = nx.to_scipy_sparse_array(nx.path_graph(20_000), format="csr")
    values, method = analytics._betweenness(
        path, exact_max_nodes=10, samples=100, min_samples=10, max_work=10**8, seed=42
    )
    assert method.startswith("not computed") and "levels each" in method
    assert np.isnan(values).all()


def test_batched_louvain_is_as_good_as_networkx_and_repeatable() -> None:
    graphs = {
        "planted": nx.planted_partition_graph(8, 40, 0.3, 0.01, seed=1),
        "lfr": nx.LFR_benchmark_graph(
            500, 3, 1.5, 0.2, average_degree=8, max_degree=40, min_community=20, seed=10
        ),
        "bipartite": nx.Graph(nx.bipartite.random_graph(120, 40, 0.08, seed=2).edges()),
    }
    for name, graph in graphs.items():
        graph.remove_edges_from(list(nx.selfloop_edges(graph)))  # as measures_table drops them
        nodes = sorted(graph)
        matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, format="csr", dtype=float)
        labels = analytics._batched_louvain(matrix, seed=42)
        assert labels.tolist() == analytics._batched_louvain(matrix, seed=42).tolist()
        ours = analytics._modularity(matrix, labels)
        groups = [
            {nodes[i] for i in np.flatnonzero(labels == label)} for label in np.unique(labels)
        ]
        assert ours == pytest.approx(nx.community.modularity(graph, groups), abs=1e-12)
        reference = nx.community.modularity(graph, nx.community.louvain_communities(graph, seed=42))
        assert ours >= reference - 0.01, name


def test_measures_table_reports_the_large_network_methods(citations: pd.DataFrame) -> None:
    graph = network_from_citations(citations)
    table = measures_table(
        graph,
        exact_betweenness_max_nodes=50,
        betweenness_samples=60,
        louvain_max_edges=500,
    )
    summary = table.attrs["summary"]
    assert summary["betweenness"] == "sampled k=60 seed=42"
    assert summary["community_method"] == "batched louvain seed=42 batches=8"
    assert summary["communities"] == table["community"].nunique()
    sizes = table["community"].value_counts()
    assert sizes.index[0] == 0 and sizes.iloc[0] == sizes.max()
    small = measures_table(graph, louvain_max_edges=10**6)
    assert small.attrs["summary"]["community_method"] == "louvain seed=42 (networkx)"
    assert summary["modularity"] >= small.attrs["summary"]["modularity"] - 0.01


# --------------------------------------------------------------------------------------------
# The large-network path of analyze_tables


def test_methods_are_stated_in_the_tables_the_rdf_and_the_report(scaled: Analysis) -> None:
    summary = scaled.measures["citation"].attrs["summary"]
    betweenness = summary["betweenness"]
    assert betweenness.startswith("sampled k=") and betweenness != "sampled k=60 seed=42"
    assert summary["community_method"].startswith("batched louvain")
    out = scaled.out_dir
    rows = pd.read_csv(out / "tables" / "citation" / "summary.csv").set_index("measure")
    assert rows.loc["betweenness", "value"] == betweenness
    assert rows.loc["community_method", "value"] == summary["community_method"]
    quads = pyoxigraph.parse((out / "measures.trig").read_bytes(), format=pyoxigraph.RdfFormat.TRIG)
    method = pyoxigraph.NamedNode(MEASURES_NAMESPACE + "betweennessMethod")
    stated = {
        q.subject.value.rsplit("/", 1)[-1]: q.object.value for q in quads if q.predicate == method
    }
    assert stated["citation"] == betweenness
    page = (out / "report.html").read_text(encoding="utf-8")
    assert f"Estimated: {betweenness}" in page
    assert summary["community_method"] in page


def test_betweenness_over_budget_leaves_an_empty_column(
    citations: pd.DataFrame, tmp_path: Path
) -> None:
    result = analyze_tables(
        citations,
        _affiliations(),
        tmp_path,
        formats="csv,html,trig",
        **{**LOW_BUDGETS, "betweenness_max_work": 1000},
    )
    method = result.measures["citation"].attrs["summary"]["betweenness"]
    assert method.startswith("not computed")
    ranked = pd.read_csv(tmp_path / "tables" / "citation" / "betweenness.csv")
    assert "betweenness" in ranked and ranked["betweenness"].isna().all()
    assert (
        pd.read_csv(tmp_path / "tables" / "citation" / "measures.csv")["betweenness"].isna().all()
    )
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "the column is empty" in page and method.split(":")[0] in page
    trig = (tmp_path / "measures.trig").read_text(encoding="utf-8")
    assert "mm:betweenness " not in trig
    assert method in trig


def test_graph_files_over_the_limit_are_skipped_with_a_warning(scaled: Analysis) -> None:
    edges = scaled.networks["citation"].number_of_edges()
    assert edges > LOW_BUDGETS["graph_file_max_edges"]
    for suffix in ("graphml", "gexf"):
        path = f"graphs/citation.{suffix}"
        assert path not in scaled.files
        assert f"{edges:,} edges" in scaled.skipped_files[path]
        assert f"--formats {suffix}" in scaled.skipped_files[path]
    assert "graphs/affiliation.graphml" in scaled.files
    page = (scaled.out_dir / "report.html").read_text(encoding="utf-8")
    assert "graphs/citation.gexf: not written" in page


def test_named_formats_are_written_whatever_the_size(
    citations: pd.DataFrame, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="migkg.queries.report"):
        result = analyze_tables(
            citations, _affiliations(), tmp_path, formats="graphml, gexf", **LOW_BUDGETS
        )
    assert not result.skipped_files and "not written" not in caplog.text
    assert {path.split("/")[0] for path in result.files} == {"graphs"}
    citation = result.networks["citation"]
    for reread in (
        nx.read_graphml(tmp_path / "graphs" / "citation.graphml"),
        nx.read_gexf(tmp_path / "graphs" / "citation.gexf"),
    ):
        assert reread.number_of_edges() == citation.number_of_edges()
        assert sorted(reread) == sorted(citation)


def test_formats_choose_the_outputs(citations: pd.DataFrame, tmp_path: Path) -> None:
    result = analyze_tables(citations, _affiliations(), tmp_path, formats=["csv", "trig"])
    assert {path.split("/")[0] for path in result.files} == {"tables", "measures.trig"}
    assert sorted(parse_formats("all")) == sorted(report.FORMATS)
    assert parse_formats([]) is None
    with pytest.raises(InputError, match=r"--formats: unknown format\(s\) pdf"):
        parse_formats("csv,pdf")


def test_outputs_do_not_depend_on_the_hash_seed(citations: pd.DataFrame, tmp_path: Path) -> None:
    # every format but the pictures (their run-to-run identity is tested on the corpus)
    formats = "csv,graphml,gexf,html,trig"
    analyze_tables(citations, _affiliations(), tmp_path / "here", formats=formats, **LOW_BUDGETS)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from migkg.queries.report import analyze_tables
        from tests.queries.test_analytics_scale import LOW_BUDGETS, _affiliations, make_citations
        out = Path({str(tmp_path / "there")!r})
        analyze_tables(make_citations(), _affiliations(), out, formats={formats!r}, **LOW_BUDGETS)
        """
    )
    seed = "7" if os.environ.get("PYTHONHASHSEED") != "7" else "8"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first, second = _files(tmp_path / "here"), _files(tmp_path / "there")
    assert len(first) > 20 and sorted(first) == sorted(second)
    for name, data in first.items():
        assert data == second[name], name


# --------------------------------------------------------------------------------------------
# Writers


def _reference_graph(directed: bool) -> tuple[nx.Graph, pd.DataFrame]:
    graph = nx.DiGraph(name="tricky") if directed else nx.Graph(name="tricky")
    labels = {
        "n/a": 'A & B <"quoted">',
        "n/b": "line\nbreak\ttab",
        "n/c": "Ünïcödé — 移民",
        "n/d": "plain",
    }
    for number, (node, label) in enumerate(labels.items()):
        graph.add_node(node, iri=node, label=label, kind="state", bipartite=number % 2)
    graph.nodes["n/a"]["year"] = 2018
    graph.add_edge("n/a", "n/b", weight=2, documents="d1;d2", citations=3)
    graph.add_edge("n/b", "n/c", weight=1, documents="x&y", citations=1)
    graph.add_edge("n/c", "n/a", weight=4, documents="", citations=2)
    table = measures_table(graph)
    return graph, table


def networkx_files(graph: nx.Graph, table: pd.DataFrame) -> tuple[nx.Graph, nx.Graph]:
    """The graph with its measures written and read back by networkx's own writers."""
    exported = graph.copy()
    exported.graph = {"name": graph.graph["name"]}
    for column in table.columns:
        if column not in report.IDENTITY:
            values = dict(zip(table["iri"], table[column].tolist(), strict=True))
            nx.set_node_attributes(exported, values, column)
    graphml, gexf = io.BytesIO(), io.BytesIO()
    nx.write_graphml(exported, graphml)
    nx.write_gexf(exported, gexf)
    graphml.seek(0)
    gexf.seek(0)
    return nx.read_graphml(graphml), nx.read_gexf(gexf)


def same_graph(ours: nx.Graph, theirs: nx.Graph) -> None:
    assert ours.is_directed() == theirs.is_directed()
    assert ours.graph == theirs.graph
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert sorted(ours.edges(data=True)) == sorted(theirs.edges(data=True))


@pytest.mark.parametrize("directed", [True, False])
def test_graph_files_read_back_as_networkx_writes_them(directed: bool) -> None:
    graph, table = _reference_graph(directed)
    graphml, gexf = networkx_files(graph, table)
    same_graph(nx.read_graphml(io.BytesIO(report.graphml_bytes(graph, table))), graphml)
    same_graph(nx.read_gexf(io.BytesIO(report.gexf_bytes(graph, table))), gexf)
    assert b"lastmodifieddate" not in report.gexf_bytes(graph, table)


def test_graph_files_leave_out_missing_values() -> None:
    graph, table = _reference_graph(True)
    table["betweenness"] = np.nan  # as when betweenness is not computed
    for data in (report.graphml_bytes(graph, table), report.gexf_bytes(graph, table)):
        reread = (nx.read_graphml if b"<graphml" in data else nx.read_gexf)(io.BytesIO(data))
        assert all("betweenness" not in attributes for _, attributes in reread.nodes(data=True))
        assert all("pagerank" in attributes for _, attributes in reread.nodes(data=True))


def test_measures_trig_is_what_oxigraph_writes(scaled: Analysis) -> None:
    tables = dict(scaled.measures)
    table = tables["citation"].copy()
    table.attrs = {"summary": {**table.attrs["summary"], "betweenness": 'not "computed"\n'}}
    table.loc[0, "pagerank"] = 1e-9
    table.loc[1, "betweenness"] = np.nan
    tables["citation"] = table
    prefixes = {
        "mm": MEASURES_NAMESPACE,
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    }
    quads = measures_quads(tables)
    expected = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TRIG, prefixes=prefixes)
    assert measures_trig(tables) == expected
    assert quads == sorted(quads, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))


def test_csv_is_what_pandas_writes() -> None:
    table = pd.DataFrame(
        {
            "text": ["x,y", 'q"r', "line\nbreak", None, "", " sp", "plain"],
            "number": [1.5, np.nan, 1e20, -0.0, 3.0, 1 / 3, 2.0],
            "count": pd.array([1, None, 3, 4, 5, 6, 7], dtype="Int64"),
            "flag": [True, False, True, False, True, False, True],
            "integer": [1, 2, 3, 4, 5, 6, 7],
            "mixed": [0.5, "x", None, np.nan, 3, 'a"', pd.NA],
        }
    )
    expected = table.to_csv(index=False, float_format="%.12g", lineterminator="\n").encode()
    assert report._csv(table) == expected
    assert (
        report._csv(table.iloc[:0])
        == table.iloc[:0].to_csv(index=False, lineterminator="\n").encode()
    )


def test_report_doctests() -> None:
    result = doctest.testmod(report)
    assert result.attempted >= 2
    assert result.failed == 0
