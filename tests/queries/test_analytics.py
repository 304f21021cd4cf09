"""Network analytics and `migkg analyze`: the graphs agree with the store, and the outputs are
complete, re-readable and deterministic."""

from __future__ import annotations

import doctest
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pyoxigraph
import pytest

from migkg.errors import InputError
from migkg.extract.pipeline import Extractor
from migkg.graph.builder import build
from migkg.graph.store import open_store
from migkg.ontology.terms import MIG
from migkg.queries import analytics
from migkg.queries.analytics import (
    MEASURES_GRAPH,
    MEASURES_NAMESPACE,
    actor_projection,
    affiliation_network,
    citation_network,
    citation_table,
    cocitation_network,
    hits_scores,
    measures_table,
    network_from_citations,
)
from migkg.queries.run import list_queries
from tests.conftest import CHROMIUM_ARGS, corpus_file
from tests.queries.test_analytics_scale import networkx_files, same_graph

PREFIXES = """PREFIX mig: <https://w3id.org/migkg/ontology#>
"""
# Direct counts, independent of the named queries that analytics uses.
CITATION_SPANS = (
    PREFIXES
    + """SELECT ?actor ?framework (COUNT(DISTINCT ?evidence) AS ?spans) WHERE {
  ?citation a mig:Citation ; mig:hasActor ?actor ; mig:hasFramework ?framework ;
            mig:evidence ?evidence .
} GROUP BY ?actor ?framework"""
)
AFFILIATION_SPANS = (
    PREFIXES
    + """SELECT ?person ?org (COUNT(DISTINCT ?evidence) AS ?spans) WHERE {
  ?affiliation a mig:Affiliation ; mig:hasPerson ?person ; mig:hasOrganization ?org ;
               mig:evidence ?evidence .
} GROUP BY ?person ?org"""
)


@pytest.fixture(scope="module")
def store_dir(extractor: Extractor, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two short corpus documents (002 and 004) built once for this module."""
    out = tmp_path_factory.mktemp("analytics") / "out"
    build([str(corpus_file("002")), str(corpus_file("004"))], out, extractor=extractor, jobs=1)
    return out


@pytest.fixture(scope="module")
def store(store_dir: Path) -> pyoxigraph.Store:
    return open_store(store_dir)


@pytest.fixture(scope="module")
def citations(store: pyoxigraph.Store) -> nx.DiGraph:
    graph = citation_network(store)
    assert graph.number_of_edges() >= 3, "the fixture documents should hold citations"
    return graph


def _analyze(store_dir: Path, out: Path, hash_seed: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run(
        [sys.executable, "-m", "migkg", "analyze", "--store", str(store_dir), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )


@pytest.fixture(scope="module")
def analysis(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`migkg analyze` run once, in its own process."""
    out = tmp_path_factory.mktemp("analysis") / "first"
    result = _analyze(store_dir, out, "1")
    assert result.returncode == 0, result.stderr
    return out


def _count(store: pyoxigraph.Store, query: str) -> dict[tuple[str, str], int]:
    rows = store.query(query, use_default_graph_as_union=True)
    assert isinstance(rows, pyoxigraph.QuerySolutions)
    return {(row[0].value, row[1].value): int(row[2].value) for row in rows}


def _exists(store: pyoxigraph.Store, iri: str) -> bool:
    subject = pyoxigraph.NamedNode(iri)
    return next(iter(store.quads_for_pattern(subject, None, None, None)), None) is not None


# --------------------------------------------------------------------------------------------
# Graphs against the store


def test_every_node_is_an_entity_of_the_store(
    store: pyoxigraph.Store, citations: nx.DiGraph
) -> None:
    affiliations = affiliation_network(store)
    label = pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    for graph in (citations, affiliations):
        assert list(graph) == sorted(graph)
        for node, data in graph.nodes(data=True):
            assert data["iri"] == node
            assert _exists(store, node), node
            labels = {
                q.object.value
                for q in store.quads_for_pattern(pyoxigraph.NamedNode(node), label, None, None)
            }
            assert data["label"] in labels
            assert data["bipartite"] in (0, 1)
    assert {d["side"] for _, d in citations.nodes(data=True)} == {"actor", "framework"}
    for actor, framework in citations.edges():
        assert citations.nodes[actor]["type"] in analytics.ACTOR_TYPES
        assert citations.nodes[framework]["type"] == "framework"


def test_edge_weights_are_distinct_evidence_spans(
    store: pyoxigraph.Store, citations: nx.DiGraph
) -> None:
    expected = _count(store, CITATION_SPANS)
    assert {(u, v): w for u, v, w in citations.edges(data="weight")} == expected
    affiliations = affiliation_network(store)
    expected_affiliations = _count(store, AFFILIATION_SPANS)
    found = {
        (u, v) if affiliations.nodes[u]["side"] == "person" else (v, u): w
        for u, v, w in affiliations.edges(data="weight")
    }
    assert found == expected_affiliations


def test_weight_counts_spans_not_citation_facts() -> None:
    # Two citation facts (cites and adopts) found in one passage are one evidence span.
    rows = pd.DataFrame(
        {
            "actor": ["s/a", "s/a", "s/a"],
            "actor_label": "A",
            "actor_type": "state",
            "actor_kind": "state",
            "framework": "f/x",
            "framework_label": "X",
            "framework_kind": "compact",
            "citation_type": ["cites", "adopts", "cites"],
            "document_label": ["d1", "d1", "d2"],
            "evidence": ["d1/10-20", "d1/10-20", "d2/5-9"],
            "citation": ["c1", "c2", "c3"],
        }
    )
    graph = network_from_citations(rows)
    assert graph.edges["s/a", "f/x"]["weight"] == 2
    assert graph.edges["s/a", "f/x"]["citations"] == 3
    assert graph.edges["s/a", "f/x"]["documents"] == "d1;d2"


def test_edge_attributes_list_citation_types_and_documents(citations: nx.DiGraph) -> None:
    for _, _, data in citations.edges(data=True):
        listed = data["citation_types"].split(analytics.SEPARATOR)
        assert listed == sorted(set(listed))
        assert set(listed) <= {
            "cites",
            "adopts",
            "endorses",
            "calls_for_implementation",
            "welcomes",
        }
        assert all(
            re.fullmatch(r"00[24]-[0-9a-f]{16}", d)
            for d in data["documents"].split(analytics.SEPARATOR)
        )
        assert data["citations"] >= 1


def test_filters(store: pyoxigraph.Store, citations: nx.DiGraph) -> None:
    states = citation_network(store, actor_types=["state"])
    assert all(d["type"] == "state" for _, d in states.nodes(data=True) if d["side"] == "actor")
    assert set(states.edges()) <= set(citations.edges())
    table = citation_table(store)
    document = sorted(set(table["document_label"]))[0]
    one = citation_network(store, document=document)
    assert all(d["documents"] == document for _, _, d in one.edges(data=True))
    kind = citations.nodes[next(iter(citations.edges()))[1]]["kind"]
    kinds = citation_network(store, framework_kinds=[kind])
    assert kinds.number_of_edges() >= 1
    assert {d["kind"] for _, d in kinds.nodes(data=True) if d["side"] == "framework"} == {kind}
    with pytest.raises(InputError, match="unknown value"):
        citation_network(store, actor_types=["martian"])
    assert citation_network(store, year=1066).number_of_nodes() == 0


# --------------------------------------------------------------------------------------------
# Projections and measures


def test_actor_projection_is_newmans_collaboration_weighting(citations: nx.DiGraph) -> None:
    actors = sorted(n for n, side in citations.nodes(data="side") if side == "actor")
    reference = nx.bipartite.collaboration_weighted_projected_graph(
        citations.to_undirected(), actors
    )
    projected = actor_projection(citations)
    assert sorted(projected) == actors
    assert {frozenset(e) for e in projected.edges()} == {frozenset(e) for e in reference.edges()}
    for u, v, weight in projected.edges(data="weight"):
        assert weight == pytest.approx(reference.edges[u, v]["weight"])


def test_cocitation_counts_shared_actors(citations: nx.DiGraph) -> None:
    cocited = cocitation_network(citations)
    for u, v, weight in cocited.edges(data="weight"):
        shared = set(citations.predecessors(u)) & set(citations.predecessors(v))
        assert weight == len(shared) >= 1


def test_measures_table(citations: nx.DiGraph) -> None:
    table = measures_table(citations)
    assert table["iri"].tolist() == sorted(citations)
    assert table["pagerank"].sum() == pytest.approx(1.0)
    assert table["authority"].sum() == pytest.approx(1.0)
    assert table["hub"].sum() == pytest.approx(1.0)
    actors = table["side"] == "actor"
    assert (table.loc[actors, "authority"] == 0).all()
    assert (table.loc[~actors, "hub"] == 0).all()
    strength = dict(citations.degree(weight="weight"))
    assert table["weighted_degree"].tolist() == [strength[n] for n in table["iri"]]
    sizes = table["community"].value_counts()
    assert sizes.index[0] == 0 and sizes.iloc[0] == sizes.max()
    summary = table.attrs["summary"]
    assert summary["betweenness"] == "exact"
    assert summary["density_kind"] == "bipartite"
    assert summary["nodes"] == citations.number_of_nodes()
    again = measures_table(citations)
    assert again.equals(table)


def test_betweenness_is_sampled_above_the_limit_and_says_so(citations: nx.DiGraph) -> None:
    table = measures_table(citations, exact_betweenness_max_nodes=5, betweenness_samples=4)
    assert table.attrs["summary"]["betweenness"] == "sampled k=4 seed=42"
    again = measures_table(citations, exact_betweenness_max_nodes=5, betweenness_samples=4)
    assert again["betweenness"].tolist() == table["betweenness"].tolist()


def test_hits_agrees_with_networkx_on_a_connected_graph(citations: nx.DiGraph) -> None:
    largest = max(nx.weakly_connected_components(citations), key=len)
    graph = nx.DiGraph(citations.subgraph(sorted(largest)))
    hubs, authorities, iterations = hits_scores(graph)
    assert iterations > 0
    reference_hubs, reference_authorities = nx.hits(graph, max_iter=10_000, tol=1e-12)
    for node in graph:
        assert hubs[node] == pytest.approx(reference_hubs[node], abs=1e-7)
        assert authorities[node] == pytest.approx(reference_authorities[node], abs=1e-7)


def test_doctests() -> None:
    result = doctest.testmod(analytics)
    assert result.attempted >= 20
    assert result.failed == 0


def test_named_queries_are_listed() -> None:
    named = {query.name: query for query in list_queries()}
    for name in ("citation_edges", "affiliation_edges"):
        assert named[name].summary
        assert named[name].params == ()


# --------------------------------------------------------------------------------------------
# `migkg analyze` outputs


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href"} and value:
                self.links.append(value)


def _links(path: Path) -> list[str]:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def test_analyze_writes_every_output(analysis: Path) -> None:
    for network in ("citation", "cocitation", "actors", "affiliation"):
        for measure in (
            "degree",
            "betweenness",
            "pagerank",
            "communities",
            "kcore",
            "components",
            "measures",
            "summary",
            "edges",
        ):
            assert (analysis / "tables" / network / f"{measure}.csv").stat().st_size > 0
        for suffix in ("graphml", "gexf"):
            assert (analysis / "graphs" / f"{network}.{suffix}").is_file()
    assert (analysis / "tables" / "citation" / "hits.csv").is_file()
    for picture in ("citation_network", "top_frameworks", "top_actors", "framework_actor_heatmap"):
        assert (analysis / "figures" / f"{picture}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_links_point_to_existing_files(analysis: Path) -> None:
    links = _links(analysis / "report.html")
    pictures = [link for link in links if link.endswith(".png")]
    assert len(set(pictures)) == 4
    for link in links:
        assert not link.startswith(("/", "http:", "https:", "file:")), link
        assert (analysis / link).is_file(), link


def test_graph_files_read_back_with_their_attributes(
    analysis: Path, store: pyoxigraph.Store, citations: nx.DiGraph
) -> None:
    expected = {
        "citation": citations,
        "affiliation": affiliation_network(store),
        "cocitation": cocitation_network(citations),
        "actors": actor_projection(citations),
    }
    for name, graph in expected.items():
        for reread in (
            nx.read_graphml(analysis / "graphs" / f"{name}.graphml"),
            nx.read_gexf(analysis / "graphs" / f"{name}.gexf"),
        ):
            assert reread.number_of_nodes() == graph.number_of_nodes(), name
            assert reread.number_of_edges() == graph.number_of_edges(), name
            assert reread.is_directed() == graph.is_directed()
            for node, data in graph.nodes(data=True):
                assert reread.nodes[node]["label"] == data["label"]
                assert reread.nodes[node]["kind"] == data["kind"]
                assert "pagerank" in reread.nodes[node]
            for u, v, weight in graph.edges(data="weight"):
                assert float(reread.edges[u, v]["weight"]) == pytest.approx(weight)
    graphml = nx.read_graphml(analysis / "graphs" / "citation.graphml")
    u, v, data = next(iter(citations.edges(data=True)))
    assert graphml.edges[u, v]["citation_types"] == data["citation_types"]
    assert graphml.edges[u, v]["documents"] == data["documents"]


def test_measures_trig_uses_only_declared_terms(analysis: Path, store: pyoxigraph.Store) -> None:
    quads = list(
        pyoxigraph.parse(
            (analysis / "measures.trig").read_bytes(), format=pyoxigraph.RdfFormat.TRIG
        )
    )
    assert quads
    assert {q.graph_name.value for q in quads} == {MEASURES_GRAPH}
    declared = analytics._declared_terms()
    ontology = str(MIG)
    entities = pyoxigraph.NamedNode(MEASURES_NAMESPACE + "entity")
    for quad in quads:
        for term in (quad.predicate, quad.object):
            if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(MEASURES_NAMESPACE):
                assert term.value.removeprefix(MEASURES_NAMESPACE) in declared
            if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(ontology):
                getattr(MIG, term.value.removeprefix(ontology))  # raises if not a real term
        if quad.predicate == entities:
            assert _exists(store, quad.object.value)


def test_explorer_is_offline_and_carries_the_evidence(analysis: Path) -> None:
    page = (analysis / "explorer.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["vis-network/vis-network.min.js"]
    assert (analysis / scripts[0]).stat().st_size > 100_000
    assert (analysis / "vis-network" / "LICENSE-MIT").is_file()
    assert "https://" not in re.sub(r'<script id="data".*?</script>', "", page, flags=re.S)
    data = json.loads(
        re.search(
            r'<script id="data" type="application/json">(.*?)</script>', page, flags=re.S
        ).group(1)
    )
    assert data["nodes"] and data["edges"]
    quotes = [q for items in data["evidence"].values() for q in items]
    assert quotes and all(q["quote"] and q["document"] for q in quotes)


def test_analyze_is_deterministic(analysis: Path, store_dir: Path, tmp_path: Path) -> None:
    second = tmp_path / "second"
    result = _analyze(store_dir, second, "12345")
    assert result.returncode == 0, result.stderr
    first_files = sorted(p.relative_to(analysis) for p in analysis.rglob("*") if p.is_file())
    second_files = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert first_files == second_files
    csvs = [p for p in first_files if p.suffix == ".csv"]
    assert len(csvs) >= 30
    assert {p.suffix for p in first_files} >= {".csv", ".graphml", ".gexf", ".png", ".html"}
    for relative in first_files:  # every file, the GEXF ones too (they carry no date)
        assert (analysis / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_graph_files_match_networkx_writers(
    analysis: Path, store: pyoxigraph.Store, citations: nx.DiGraph
) -> None:
    networks = {
        "citation": citations,
        "affiliation": affiliation_network(store),
        "cocitation": cocitation_network(citations),
        "actors": actor_projection(citations),
    }
    for name, graph in networks.items():
        graphml, gexf = networkx_files(graph, measures_table(graph))
        same_graph(nx.read_graphml(analysis / "graphs" / f"{name}.graphml"), graphml)
        same_graph(nx.read_gexf(analysis / "graphs" / f"{name}.gexf"), gexf)


def test_analyze_formats_option(store_dir: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "migkg", "analyze", "--store", str(store_dir)]
    out = tmp_path / "some"
    done = subprocess.run(
        [*command, "--out", str(out), "--formats", "csv,trig"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    written = {p.relative_to(out).parts[0] for p in out.rglob("*") if p.is_file()}
    assert written == {"tables", "measures.trig"}
    assert "report.html" not in done.stderr
    refused = subprocess.run(
        [*command, "--out", str(tmp_path / "none"), "--formats", "csv,pdf"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2
    assert "--formats: unknown format(s) pdf" in refused.stderr
    assert not (tmp_path / "none").exists()


def test_analyze_rejects_unknown_filters(store_dir: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "migkg",
            "analyze",
            "--store",
            str(store_dir),
            "--out",
            str(tmp_path / "out"),
            "--framework-kind",
            "poem",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "unknown value(s) poem" in result.stderr
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------------------------
# the explorer in a real browser (optional: Debian's chromium and the playwright package)

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
def test_explorer_click_shows_the_evidence(analysis: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    problems: list[str] = []

    def local_only(request: Any) -> None:
        if not request.url.startswith("file://"):
            problems.append(f"outside: {request.url}")

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("request", local_only)
            page.goto((analysis / "explorer.html").as_uri())
            page.wait_for_function("window.migkgExplorer !== undefined", timeout=20_000)
            # the node with the most evidence, clicked with the mouse where vis-network drew it
            target = page.evaluate(
                """() => {
                const data = JSON.parse(document.getElementById("data").textContent);
                const node = [...data.nodes]
                    .sort((a, b) => b.weighted_degree - a.weighted_degree)[0];
                const network = window.migkgExplorer.network;
                network.fit({ animation: false });
                const at = network.canvasToDOM(network.getPositions([node.id])[node.id]);
                const box = document.querySelector("#network canvas").getBoundingClientRect();
                return { label: node.label, x: box.left + at.x, y: box.top + at.y };
            }"""
            )
            page.mouse.click(target["x"], target["y"])
            sync_api.expect(page.locator("#details h2").first).to_have_text(target["label"])
            assert page.locator("#details blockquote").count() >= 1
            assert "document" in page.locator("#details").inner_text()
        finally:
            browser.close()
    assert problems == []
