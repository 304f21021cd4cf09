"""The SPARQL endpoint of ``migkg serve``: protocol, formats, limits and the query page.

A small store is built from one corpus document; the server runs on 127.0.0.1 with a free port
in a background thread, and every request goes to that address only.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from migkg.extract.pipeline import Extractor
from migkg.graph.store import open_store
from migkg.queries.run import list_queries, run_on_endpoint, run_on_store
from migkg.queries.serve import SparqlServer, looks_like_update, make_server
from tests.conftest import CHROMIUM_ARGS, corpus_file

# a value for each parameter of the named queries (rows for the 002 document where it has any);
# a parameter not listed here gets "IOM"
PARAMS = {
    "framework": "New York Declaration",
    "actor": "Member States",
    "entity": "IOM",
    "name": "IOM",
    "state": "Mexico",
}


def _params(named: Any) -> dict[str, str]:
    return {name: PARAMS.get(name, "IOM") for name in named.params}


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TYPED = "SELECT ?s ?class WHERE { ?s a ?class } ORDER BY ?s ?class"
# about 160k solutions tried and none kept: a couple of seconds of work, no rows on the way
SLOW = 'SELECT ?a ?d WHERE { ?a a ?c . ?d ?e ?f . FILTER(STR(?a) = CONCAT(STR(?d), "x")) }'


@pytest.fixture(scope="module")
def build_dir(extractor: Extractor, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from migkg.graph.builder import build

    out = tmp_path_factory.mktemp("serve") / "out"
    build([str(corpus_file("002"))], out, extractor=extractor, jobs=1)
    return out


def _start(server: SparqlServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="test-sparql", daemon=True)
    thread.start()
    return thread


def _stop(server: SparqlServer, thread: threading.Thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(build_dir: Path) -> Iterator[SparqlServer]:
    running = make_server(build_dir, host="127.0.0.1", port=0)
    thread = _start(running)
    yield running
    _stop(running, thread)


@pytest.fixture(scope="module")
def store(build_dir: Path) -> pyoxigraph.Store:
    return open_store(build_dir)


def _http(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _get(server: SparqlServer, query: str, accept: str | None = None, **params: str) -> Any:
    query_string = urllib.parse.urlencode({"query": query, **params})
    headers = {"Accept": accept} if accept else {}
    return _http(f"{server.endpoint}?{query_string}", headers=headers)


def _rows(result: Any) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in result)


# ---------------------------------------------------------------------------------------------
# every named query, through SPARQLWrapper


@pytest.mark.parametrize("named", list_queries(), ids=lambda q: q.name)
def test_named_query_same_rows_as_store(
    server: SparqlServer, store: pyoxigraph.Store, named: Any
) -> None:
    params = _params(named)
    direct = run_on_store(store, named, params)
    remote = run_on_endpoint(server.endpoint, named, params)
    assert remote.variables == direct.variables
    assert len(remote.rows) == len(direct.rows)
    assert _rows(remote.rows) == _rows(direct.rows)
    assert _rows(remote.raw) == _rows(direct.raw)  # same datatypes and language tags


def test_named_queries_have_rows(server: SparqlServer) -> None:
    by_name = {q.name: q for q in list_queries()}
    for name in ("frameworks", "evidence"):
        params = _params(by_name[name])
        assert run_on_endpoint(server.endpoint, by_name[name], params).rows, name


# ---------------------------------------------------------------------------------------------
# protocol: GET, POST, formats


def _wrapper(server: SparqlServer, query: str, return_format: str = JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setTimeout(60)
    return client


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct", "alias-query-route"])
def test_get_and_post(server: SparqlServer, store: pyoxigraph.Store, how: str) -> None:
    client = _wrapper(server, TYPED)
    if how.startswith("post"):
        client.setMethod(POST)
        if how == "post-direct":
            client.setRequestMethod(POSTDIRECTLY)
    if how == "alias-query-route":
        client.endpoint = server.url + "query"
    result = client.queryAndConvert()
    expected = [
        {"s": row["s"].value, "class": row["class"].value}
        for row in store.query(TYPED, use_default_graph_as_union=True)
    ]
    assert isinstance(result, dict)
    got = [{k: b[k]["value"] for k in ("s", "class")} for b in result["results"]["bindings"]]
    assert got == expected
    assert len(got) > 10


@pytest.mark.parametrize("conneg_only", [False, True], ids=["format-param", "accept-only"])
@pytest.mark.parametrize("return_format", [JSON, XML, CSV, TSV])
def test_select_formats(
    server: SparqlServer, store: pyoxigraph.Store, return_format: str, conneg_only: bool
) -> None:
    expected = len(list(store.query(TYPED, use_default_graph_as_union=True)))
    client = _wrapper(server, TYPED, return_format)
    client.setOnlyConneg(conneg_only)  # only the Accept header, no format=/output= parameter
    response = client.query()
    content_type = response.response.headers["Content-Type"]
    converted = response.convert()
    if return_format == JSON:
        assert content_type.startswith("application/sparql-results+json")
        assert len(converted["results"]["bindings"]) == expected
    elif return_format == XML:
        assert content_type.startswith("application/sparql-results+xml")
        results = converted.getElementsByTagName("result")
        assert len(results) == expected
    elif return_format == CSV:
        assert content_type.startswith("text/csv")
        rows = list(csv.reader(io.StringIO(converted.decode("utf-8"))))
        assert rows[0] == ["s", "class"]
        assert len(rows) - 1 == expected
    else:
        assert content_type.startswith("text/tab-separated-values")
        lines = converted.decode("utf-8").splitlines()
        assert lines[0] == "?s\t?class"
        assert len(lines) - 1 == expected
        assert lines[1].startswith("<https://w3id.org/migkg/")


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "application/sparql-results+xml",
        ),
    ],
)
def test_accept_negotiation(server: SparqlServer, accept: str, media: str) -> None:
    status, headers, _ = _get(server, COUNT, accept)
    assert status == 200
    assert headers["Content-Type"].startswith(media)
    assert headers["Vary"] == "Accept"


def test_unavailable_format_is_406(server: SparqlServer) -> None:
    status, _, body = _get(server, COUNT, "image/png")
    assert status == 406
    assert b"application/sparql-results+json" in body
    status, _, body = _get(server, COUNT, format="turtle")
    assert status == 406
    assert b"SELECT" in body


def test_construct_turtle_parses_in_rdflib(server: SparqlServer, store: pyoxigraph.Store) -> None:
    construct = "CONSTRUCT { ?s a ?class } WHERE { ?s a ?class }"
    expected = len(list(store.query(construct, use_default_graph_as_union=True)))
    client = _wrapper(server, construct, TURTLE)
    response = client.query()
    assert response.response.headers["Content-Type"].startswith("text/turtle")
    data = response.convert()  # SPARQLWrapper gives Turtle as bytes
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert len(graph) == expected > 0


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("*/*", "text/turtle", "turtle"),
    ],
)
def test_construct_formats(
    server: SparqlServer, accept: str, media: str, rdflib_format: str
) -> None:
    status, headers, body = _get(server, "CONSTRUCT WHERE { ?s a ?class }", accept)
    assert status == 200
    assert headers["Content-Type"].startswith(media)
    assert len(rdflib.Graph().parse(data=body, format=rdflib_format)) > 0


def test_describe_and_ask(server: SparqlServer) -> None:
    status, headers, body = _get(
        server, "DESCRIBE <https://w3id.org/migkg/id/framework/gcm>", "text/turtle"
    )
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=body, format="turtle")) > 0
    status, _, body = _get(server, "ASK { ?s ?p ?o }")
    assert status == 200
    assert json.loads(body) == {"head": {}, "boolean": True}


def test_default_and_named_graph_parameters(server: SparqlServer, store: pyoxigraph.Store) -> None:
    graphs = sorted(g.value for g in store.named_graphs())
    document = next(g for g in graphs if not g.endswith("/graph/entities"))
    in_graph = sum(
        1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(document))
    )
    status, _, body = _get(server, COUNT, **{"default-graph-uri": document})
    assert status == 200
    count = json.loads(body)["results"]["bindings"][0]["n"]["value"]
    assert int(count) == in_graph
    status, _, body = _get(
        server,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        **{"named-graph-uri": document},
    )
    assert [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == [document]


# ---------------------------------------------------------------------------------------------
# read-only, errors, limits


def _count(server: SparqlServer) -> int:
    status, _, body = _get(server, COUNT)
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def _quads(build_dir: Path) -> int:
    return sum(1 for _ in open_store(build_dir).quads_for_pattern(None, None, None))


def test_updates_are_refused(server: SparqlServer, build_dir: Path) -> None:
    before, quads = _count(server), _quads(build_dir)
    insert = "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }"
    form = "application/x-www-form-urlencoded"
    attempts = [
        (server.endpoint, urllib.parse.urlencode({"update": insert}).encode(), form),
        (server.endpoint, urllib.parse.urlencode({"query": insert}).encode(), form),
        (server.endpoint, insert.encode(), "application/sparql-update"),
        (server.endpoint, b"# a comment\nDROP ALL", "application/sparql-query"),
        (server.url + "update", urllib.parse.urlencode({"update": insert}).encode(), form),
    ]
    for url, data, content_type in attempts:
        status, headers, body = _http(url, data=data, headers={"Content-Type": content_type})
        assert status == 403, (data, body)
        assert b"read-only" in body
        assert headers["Access-Control-Allow-Origin"] == "*"
    status, _, body = _get(server, "CLEAR ALL")
    assert status == 403
    # SPARQLWrapper sends an update as POST update=...; the error is reported, never applied
    client = SPARQLWrapper(server.endpoint)
    client.setMethod(POST)
    client.setQuery(insert)
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client.query()
    assert _count(server) == before
    assert _quads(build_dir) == quads


def test_other_methods_are_refused(server: SparqlServer) -> None:
    status, headers, _ = _http(server.endpoint, data=b"", method="PUT")
    assert status == 405
    assert "POST" in headers["Allow"]
    status, _, _ = _http(server.endpoint, data=b"", method="DELETE")
    assert status == 405


def test_malformed_query_is_400(server: SparqlServer) -> None:
    status, headers, body = _get(server, "SELECT ?s WHERE { ?s ?p ")
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert body.startswith(b"malformed SPARQL query: ")
    assert b"error at 1:" in body  # the parser's own message, with its position
    with pytest.raises(QueryBadFormed):
        _wrapper(server, "SELEC ?x WHERE {}").query()


@pytest.mark.parametrize(
    ("path", "data", "headers", "status"),
    [
        ("sparql", None, {}, 400),  # no query
        ("sparql", b"query=ASK%7B%7D", {"Content-Type": "text/plain"}, 415),
        ("sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, {}, 400),
        ("nothing-here", None, {}, 404),
        ("static/../serve.py", None, {}, 404),
    ],
)
def test_bad_requests(
    server: SparqlServer, path: str, data: bytes | None, headers: dict[str, str], status: int
) -> None:
    assert _http(server.url + path, data=data, headers=headers)[0] == status


def test_cors(server: SparqlServer) -> None:
    _, headers, _ = _get(server, COUNT)
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = _http(
        server.endpoint,
        method="OPTIONS",
        headers={
            "Origin": "http://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


def test_row_cap_truncates(store: pyoxigraph.Store) -> None:
    capped = SparqlServer(("127.0.0.1", 0), store, max_rows=3)
    thread = _start(capped)
    try:
        status, headers, body = _get(capped, TYPED)
        assert status == 200
        assert headers.get("X-Migkg-Truncated") == "true"
        assert "X-Migkg-Truncated" in headers["Access-Control-Expose-Headers"]
        assert len(json.loads(body)["results"]["bindings"]) == 3
        status, headers, body = _get(capped, TYPED, "text/csv")
        assert headers.get("X-Migkg-Truncated") == "true"
        assert len(body.decode().splitlines()) == 4  # header + 3 rows
        status, headers, body = _get(capped, "CONSTRUCT WHERE { ?s a ?c }", "application/n-triples")
        assert headers.get("X-Migkg-Truncated") == "true"
        assert len(body.decode().splitlines()) == 3
        status, headers, body = _get(capped, f"{TYPED} LIMIT 3")  # exactly the cap: not cut
        assert "X-Migkg-Truncated" not in headers
        assert len(json.loads(body)["results"]["bindings"]) == 3
    finally:
        _stop(capped, thread)


def test_timeout_gives_503(store: pyoxigraph.Store) -> None:
    hurried = SparqlServer(("127.0.0.1", 0), store, timeout=0.2)
    thread = _start(hurried)
    try:
        started = time.monotonic()
        status, _, body = _get(hurried, SLOW)
        assert status == 503
        assert time.monotonic() - started < 2.0
        assert b"time limit" in body
        # the abandoned query frees its worker slot once pyoxigraph returns
        for _ in range(4):
            assert hurried.slots.acquire(timeout=60)
        for _ in range(4):
            hurried.slots.release()
        assert _get(hurried, "ASK { ?s ?p ?o }")[0] == 200
    finally:
        _stop(hurried, thread)


def test_make_server_checks_its_options(build_dir: Path, tmp_path: Path) -> None:
    from migkg.errors import InputError, StoreError

    with pytest.raises(InputError, match="--timeout"):
        make_server(build_dir, port=0, timeout=0)
    with pytest.raises(InputError, match="--max-rows"):
        make_server(build_dir, port=0, max_rows=0)
    with pytest.raises(StoreError):
        make_server(tmp_path / "missing", port=0)


@pytest.mark.parametrize(
    ("text", "update"),
    [
        ("INSERT DATA { <a:s> <a:p> <a:o> }", True),
        ("  # c\nPREFIX x: <http://x/#>\nBASE <http://b/>\ndelete where { ?s ?p ?o }", True),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
        ("LOAD <http://example.org/data.ttl>", True),
        ("PREFIX insert: <http://x/>\nSELECT * WHERE { ?s insert:p ?o }", False),
        ("SELECT ?delete WHERE { ?delete ?p ?o }", False),
        ("ASK {}", False),
    ],
)
def test_looks_like_update(text: str, update: bool) -> None:
    assert looks_like_update(text) is update


# ---------------------------------------------------------------------------------------------
# the query page


def test_page_and_its_files(server: SparqlServer) -> None:
    status, headers, body = _http(server.url)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    page = body.decode("utf-8")
    assert "static/yasgui.min.js" in page
    assert "static/sparql.js" in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)  # nothing from elsewhere
    for path, media in [
        ("static/yasgui.min.js", "text/javascript"),
        ("static/yasgui.min.css", "text/css"),
        ("static/sparql.js", "text/javascript"),
        ("static/sparql.css", "text/css"),
        ("static/yasgui-LICENSE.txt", "text/plain"),
    ]:
        status, headers, body = _http(server.url + path)
        assert status == 200, path
        assert headers["Content-Type"].startswith(media)
        assert body
    status, _, body = _http(server.url + "static/yasgui-LICENSE.txt")
    assert b"MIT License" in body


def test_queries_json(server: SparqlServer) -> None:
    status, headers, body = _http(server.url + "queries.json")
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    listing = json.loads(body)
    assert [q["name"] for q in listing] == [q.name for q in list_queries()]
    who_cites = next(q for q in listing if q["name"] == "who_cites")
    assert who_cites["params"] == ["framework"]
    assert "SELECT" in who_cites["text"]
    assert who_cites["summary"]


def test_cli_serve_reports_a_missing_store(tmp_path: Path) -> None:
    from migkg.cli import main

    assert main(["serve", "--store", str(tmp_path / "missing"), "--port", "0"]) == 2


# ---------------------------------------------------------------------------------------------
# a real browser (optional: Debian's chromium and the playwright package)

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
def test_page_in_a_browser(server: SparqlServer, store: pyoxigraph.Store, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    by_name = {q.name: q for q in list_queries()}
    problems: list[str] = []

    def local_only(request: Any) -> None:
        if not request.url.startswith((server.url, "data:")):
            problems.append(f"outside: {request.url}")

    def expect_results(page: Any, name: str) -> None:
        rows = len(run_on_store(store, by_name[name], _params(by_name[name])).rows)
        chip = page.locator(".yasr_response_chip:visible")
        sync_api.expect(chip).to_have_text(re.compile(rf"^{rows} results? in "), timeout=20_000)

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
        )
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
            page.on("request", local_only)
            page.goto(server.url)
            page.wait_for_selector("#query-list button.query")
            assert page.locator("#query-list li").count() == len(by_name)
            page.get_by_role("button", name="frameworks", exact=True).click()
            expect_results(page, "frameworks")
            assert page.locator(".yasr table tbody tr:visible").count() > 3
            # a parameterised query: an empty value is refused, a value is bound and run
            item = page.locator("#query-list li", has_text="who_cites")
            item.locator("button.query").click()
            sync_api.expect(item.locator("input")).to_have_class(re.compile("missing"))
            item.locator("input").fill(PARAMS["framework"])
            item.locator("button.query").click()
            expect_results(page, "who_cites")
            editor = page.locator(".CodeMirror:visible")
            sync_api.expect(editor).to_contain_text('VALUES ?framework_param { "New York')
            page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
        finally:
            browser.close()
    assert problems == []
