"""migkg push into a real Oxigraph server, and SPARQLWrapper against two endpoints over one store.

The servers are the ``oxigraph`` binary (PyPI package ``oxigraph``), started on 127.0.0.1 with a
free port and ``--union-default-graph`` (Oxigraph's default graph is otherwise not the union of
the named graphs, and every triple of a build lives in a named graph); they are stopped at the
end of the module. The tests skip when the binary is missing.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migkg.cli import main
from migkg.errors import InputError, StoreError
from migkg.graph.store import open_store
from migkg.graph.validate import graph_names, iter_graphs, read_graphs
from migkg.queries.push import push_build
from migkg.queries.run import NamedQuery, list_queries, run_on_endpoint, run_on_store
from migkg.queries.serve import make_server


def _oxigraph() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


OXIGRAPH = _oxigraph()
pytestmark = pytest.mark.skipif(
    OXIGRAPH is None, reason="no oxigraph binary (pip install oxigraph)"
)

# a value for each parameter of the named queries; a parameter not listed gets "IOM"
PARAMS = {
    "framework": "New York Declaration",
    "actor": "Member States",
    "entity": "IOM",
    "name": "IOM",
    "state": "Mexico",
}
COUNT = NamedQuery("count", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "", ())
GRAPHS = NamedQuery("graphs", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "", ())


def _params(named: NamedQuery) -> dict[str, str]:
    return {name: PARAMS.get(name, "IOM") for name in named.params}


def _rows(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(*args: str) -> Iterator[str]:
    """Run ``oxigraph <args> --bind 127.0.0.1:PORT --union-default-graph``; yield its base URL."""
    assert OXIGRAPH is not None
    port = _free_port()
    process = subprocess.Popen(
        [OXIGRAPH, *args, "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"oxigraph exited with {process.returncode}: {error}")
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph did not answer within 30 s")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)  # it can take more than a second to exit on SIGTERM
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A read-write Oxigraph server with an empty on-disk store."""
    yield from _serve("serve", "--location", str(tmp_path_factory.mktemp("oxigraph")))


def _quads(build: Path) -> int:
    return len(set((build / "graph.nq").read_text(encoding="utf-8").splitlines()))


def _graphs(endpoint: str) -> set[str]:
    return {row["g"] for row in run_on_endpoint(endpoint, GRAPHS).rows}


def test_push_then_every_named_query_matches_the_local_store(
    small_build: Path, oxigraph: str
) -> None:
    result = push_build(small_build, f"{oxigraph}/store")
    assert {g.protocol for g in result.graphs} == {"gsp"}
    assert all(g.requests == 1 for g in result.graphs)
    assert result.triples == _quads(small_build)
    endpoint = f"{oxigraph}/query"
    assert run_on_endpoint(endpoint, COUNT).rows == [{"n": _quads(small_build)}]
    documents = {g for g in _graphs(endpoint) if "/graph/document/" in g}
    assert len(documents) == 2
    assert _graphs(endpoint) == {g.graph for g in result.graphs}

    store = open_store(small_build)
    total = 0
    for named in list_queries():
        params = _params(named)
        local = run_on_store(store, named, params)
        remote = run_on_endpoint(endpoint, named, params)
        assert remote.variables == local.variables, named.name
        assert _rows(remote.rows) == _rows(local.rows), named.name
        total += len(local.rows)
    assert total > 0

    # pushing again replaces each graph: nothing is duplicated
    again = push_build(small_build, f"{oxigraph}/store")
    assert again.triples == result.triples
    assert run_on_endpoint(endpoint, COUNT).rows == [{"n": _quads(small_build)}]


def test_update_fallback_replaces_graphs_in_batches(small_build: Path, oxigraph: str) -> None:
    # /query has no Graph Store Protocol (404 on PUT), so the update endpoint is used
    for _ in range(2):
        result = push_build(
            small_build, f"{oxigraph}/query", update_endpoint=f"{oxigraph}/update", batch=500
        )
        assert {g.protocol for g in result.graphs} == {"update"}
        assert max(g.requests for g in result.graphs) > 1
        assert run_on_endpoint(f"{oxigraph}/query", COUNT).rows == [{"n": _quads(small_build)}]


def test_a_replaced_graph_loses_its_old_triples(tmp_path: Path, oxigraph: str) -> None:
    graph = "https://w3id.org/migkg/id/graph/document/999-test"
    build = tmp_path / "out"
    build.mkdir()
    for text, protocol in (("old", "gsp"), ("new", "update"), ("newest", "gsp")):
        (build / "graph.nq").write_text(f'<http://x/s> <http://x/p> "{text}" <{graph}> .\n')
        push_build(
            build, f"{oxigraph}/store", update_endpoint=f"{oxigraph}/update", protocol=protocol
        )
        query = NamedQuery("q", f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", "", ())
        assert run_on_endpoint(f"{oxigraph}/query", query).rows == [{"o": text}]
    # leave the server with the session build only
    delete = urllib.request.Request(f"{oxigraph}/store?graph={graph}", method="DELETE")
    with urllib.request.urlopen(delete, timeout=10):
        pass


def test_prune_drops_graphs_of_removed_documents_only(
    small_build: Path, tmp_path: Path, oxigraph: str
) -> None:
    endpoint, update = f"{oxigraph}/query", f"{oxigraph}/update"
    foreign = "http://example.org/graph/not-ours"
    insert = urllib.request.Request(
        f"{oxigraph}/store?graph={foreign}",
        data=b"<http://x/s> <http://x/p> <http://x/o> .",
        method="PUT",
        headers={"Content-Type": "text/turtle"},
    )
    with urllib.request.urlopen(insert, timeout=10):
        pass
    push_build(small_build, f"{oxigraph}/store")
    pushed = {g for g in _graphs(endpoint) if "/graph/document/" in g}
    assert len(pushed) == 2
    # the next build has one document less
    kept, removed = sorted(pushed)
    smaller = tmp_path / "out"
    smaller.mkdir()
    lines = (small_build / "graph.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    (smaller / "graph.nq").write_text(
        "".join(line for line in lines if f"<{removed}>" not in line), encoding="utf-8"
    )
    with pytest.raises(InputError, match="--update-endpoint"):
        push_build(smaller, f"{oxigraph}/store", prune=True)
    result = push_build(smaller, f"{oxigraph}/store", update_endpoint=update, prune=True)
    assert result.pruned
    remaining = _graphs(endpoint)
    assert removed not in remaining
    assert kept in remaining and foreign in remaining
    # leave the server with the session build only
    for graph in (foreign,):
        delete = urllib.request.Request(f"{oxigraph}/store?graph={graph}", method="DELETE")
        with urllib.request.urlopen(delete, timeout=10):
            pass
    push_build(small_build, f"{oxigraph}/store")


def test_push_errors(small_build: Path, oxigraph: str) -> None:
    with pytest.raises(InputError, match="--update-endpoint"):
        push_build(small_build, f"{oxigraph}/query")
    with pytest.raises(StoreError, match="cannot reach"):
        push_build(small_build, f"http://127.0.0.1:{_free_port()}/store", timeout=5)
    with pytest.raises(InputError, match="http"):
        push_build(small_build, "ftp://example.org/store")
    assert main(["push", "--store", str(small_build), "--endpoint", f"{oxigraph}/query"]) == 2


def test_cli_push(small_build: Path, oxigraph: str) -> None:
    assert main(["push", "--store", str(small_build), "--endpoint", f"{oxigraph}/store"]) == 0
    assert run_on_endpoint(f"{oxigraph}/query", COUNT).rows == [{"n": _quads(small_build)}]


def test_oxigraph_read_only_server_and_migkg_serve_give_the_same_rows(small_build: Path) -> None:
    ours = make_server(small_build, host="127.0.0.1", port=0)
    thread = threading.Thread(target=ours.serve_forever, name="test-push-serve", daemon=True)
    thread.start()
    try:
        for base in _serve("serve-read-only", "--location", str(small_build / "store")):
            theirs = f"{base}/query"
            total = 0
            for named in list_queries():
                params = _params(named)
                expected = run_on_endpoint(ours.endpoint, named, params)
                found = run_on_endpoint(theirs, named, params)
                assert found.variables == expected.variables, named.name
                assert _rows(found.rows) == _rows(expected.rows), named.name
                total += len(found.rows)
            assert total > 0
            count = run_on_endpoint(theirs, COUNT).rows
            assert count == run_on_endpoint(ours.endpoint, COUNT).rows
            assert count == [{"n": len(open_store(small_build))}]
    finally:
        ours.shutdown()
        ours.server_close()
        thread.join(timeout=10)


def test_graphs_are_read_one_at_a_time_and_match_the_whole_build(small_build: Path) -> None:
    whole = {name: sorted(map(str, triples)) for name, triples in read_graphs(small_build).items()}
    streamed = {name: sorted(map(str, triples)) for name, triples in iter_graphs(small_build)}
    assert streamed == {name: triples for name, triples in whole.items() if name}
    assert graph_names(small_build) == sorted(streamed)


def test_a_graph_split_over_two_runs_is_refused(tmp_path: Path) -> None:
    lines = [
        '<http://a> <http://p> "1" <http://g/one> .',
        '<http://a> <http://p> "2" <http://g/two> .',
        '<http://a> <http://p> "3" <http://g/one> .',
    ]
    (tmp_path / "graph.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(StoreError, match="split over separate runs"):
        list(iter_graphs(tmp_path))
