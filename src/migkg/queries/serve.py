"""A read-only SPARQL 1.1 Protocol endpoint over a build's store, plus a page to query it.

Only the standard library's :class:`~http.server.ThreadingHTTPServer` and pyoxigraph are used.
Routes:

- ``/sparql`` (alias ``/query``): the SPARQL 1.1 Protocol query operation
  (https://www.w3.org/TR/sparql11-protocol/#query-operation): ``GET ?query=``, ``POST`` with an
  ``application/sparql-query`` body, or ``POST`` form-encoded ``query=``; ``default-graph-uri``
  and ``named-graph-uri`` are honoured. Without them the default graph is the union of all named
  graphs (every triple of a build lives in a named graph).
- ``/update``, an ``update=`` parameter, an ``application/sparql-update`` body, or any SPARQL
  Update sent as a query: 403, never applied (the store is also opened read-only).
- ``/``: a YASGUI page (bundled, works offline) with the named queries as examples;
  ``/queries.json`` lists them.

Results are negotiated from ``Accept`` or a ``format``/``output`` parameter: SELECT and ASK as
SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle (default), N-Triples,
JSON-LD, RDF/XML or N3. Each query runs in a worker thread with a time limit (503 past it) and
returns at most ``max_rows`` rows or triples (then ``X-Migkg-Truncated: true``).
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph

from migkg import __version__
from migkg.errors import InputError
from migkg.graph.serialize import VOCABULARY_PREFIXES
from migkg.graph.store import open_store
from migkg.queries.run import list_queries

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "SparqlServer",
    "looks_like_update",
    "make_server",
]

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000
MAX_BODY_BYTES = 1 << 20  # a query larger than 1 MiB is refused (413)
MAX_RUNNING_QUERIES = 4  # worker threads; a timed-out query keeps its slot until it ends
TRUNCATED_HEADER = "X-Migkg-Truncated"

_QR = pyoxigraph.QueryResultsFormat
_RDF = pyoxigraph.RdfFormat
# media type -> format, in order of preference (the first is the default)
_RESULT_MEDIA: dict[str, pyoxigraph.QueryResultsFormat] = {
    "application/sparql-results+json": _QR.JSON,
    "application/json": _QR.JSON,
    "application/sparql-results+xml": _QR.XML,
    "application/xml": _QR.XML,
    "text/xml": _QR.XML,
    "text/csv": _QR.CSV,
    "text/tab-separated-values": _QR.TSV,
}
_GRAPH_MEDIA: dict[str, pyoxigraph.RdfFormat] = {
    "text/turtle": _RDF.TURTLE,
    "application/x-turtle": _RDF.TURTLE,
    "application/turtle": _RDF.TURTLE,
    "application/n-triples": _RDF.N_TRIPLES,
    "text/plain": _RDF.N_TRIPLES,
    "application/ld+json": _RDF.JSON_LD,
    "application/json": _RDF.JSON_LD,
    "application/rdf+xml": _RDF.RDF_XML,
    "application/xml": _RDF.RDF_XML,
    "text/n3": _RDF.N3,
}
# short names for the ``format``/``output`` parameter (SPARQLWrapper sends these)
_RESULT_NAMES = {"json": _QR.JSON, "xml": _QR.XML, "csv": _QR.CSV, "tsv": _QR.TSV}
_GRAPH_NAMES = {
    "turtle": _RDF.TURTLE,
    "ttl": _RDF.TURTLE,
    "nt": _RDF.N_TRIPLES,
    "ntriples": _RDF.N_TRIPLES,
    "n-triples": _RDF.N_TRIPLES,
    "json-ld": _RDF.JSON_LD,
    "jsonld": _RDF.JSON_LD,
    "json": _RDF.JSON_LD,
    "xml": _RDF.RDF_XML,
    "rdf+xml": _RDF.RDF_XML,
    "rdfxml": _RDF.RDF_XML,
    "n3": _RDF.N3,
}

# A SPARQL Update starts, after its prologue (PREFIX/BASE declarations and comments), with one of
# these keywords (https://www.w3.org/TR/sparql11-update/#grammar); no query can.
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|(?:PREFIX\s*[^\s:]*:|BASE)\s*<[^<>]*>)*", re.IGNORECASE)
_UPDATE_KEYWORD = re.compile(
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)

_WEB = files("migkg.queries") / "web"
# request path -> (file under web/, content type); nothing else under web/ is served
_STATIC = {
    "/": ("sparql.html", "text/html; charset=utf-8"),
    "/index.html": ("sparql.html", "text/html; charset=utf-8"),
    "/static/sparql.js": ("sparql.js", "text/javascript; charset=utf-8"),
    "/static/sparql.css": ("sparql.css", "text/css; charset=utf-8"),
    "/static/yasgui.min.js": ("yasgui/yasgui.min.js", "text/javascript; charset=utf-8"),
    "/static/yasgui.min.css": ("yasgui/yasgui.min.css", "text/css; charset=utf-8"),
    "/static/yasgui-LICENSE.txt": ("yasgui/LICENSE", "text/plain; charset=utf-8"),
    "/static/yasgui-THIRD-PARTY-NOTICES.txt": (
        "yasgui/THIRD-PARTY-NOTICES.txt",
        "text/plain; charset=utf-8",
    ),
}


def looks_like_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL Update rather than a query.

    >>> looks_like_update("PREFIX a: <http://x#> # note\\nINSERT DATA { a:s a:p a:o }")
    True
    >>> looks_like_update("SELECT ?deleted WHERE { ?deleted ?p ?o }")
    False
    """
    prologue = _PROLOGUE.match(text)
    start = prologue.end() if prologue else 0
    return _UPDATE_KEYWORD.match(text, start) is not None


@dataclass(slots=True)
class _Reply:
    """An HTTP answer: status, body and headers."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class _HttpError(Exception):
    """A request that gets a non-200 answer with a plain-text message."""

    def __init__(self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True, slots=True)
class _Request:
    """A SPARQL query request, once read from GET or POST."""

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    accept: str
    formats: tuple[str, ...]


class _Deadline(Exception):
    """A worker saw that its request has been given up."""


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: one thread per connection, queries in bounded worker threads."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        store: pyoxigraph.Store,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
    ) -> None:
        self.store = store
        self.query_timeout = timeout
        self.max_rows = max_rows
        self.slots = threading.BoundedSemaphore(MAX_RUNNING_QUERIES)
        if ":" in address[0]:  # an IPv6 address such as ::1
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:7878/``."""
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        return f"http://[{name}]:{port}/" if ":" in name else f"http://{name}:{port}/"

    @property
    def endpoint(self) -> str:
        """The SPARQL endpoint URL (``…/sparql``)."""
        return self.url + "sparql"


def make_server(
    store_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> SparqlServer:
    """Open a build's store read-only and bind the endpoint (``port=0`` picks a free port).

    Call ``serve_forever()`` on the result to answer requests and ``server_close()`` to stop.

    Raises
    ------
    InputError
        ``timeout`` or ``max_rows`` is not positive, or the address cannot be bound.
    StoreError
        There is no store in ``store_dir`` or it cannot be opened.
    """
    if timeout <= 0:
        raise InputError(f"--timeout must be a positive number of seconds, not {timeout}")
    if max_rows < 1:
        raise InputError(f"--max-rows must be at least 1, not {max_rows}")
    store = open_store(store_dir)
    try:
        server = SparqlServer((host, port), store, timeout=timeout, max_rows=max_rows)
    except OSError as error:
        raise InputError(f"cannot listen on {host}:{port} ({error.strerror or error})") from error
    logger.info("SPARQL endpoint for %s at %s", store_dir, server.endpoint)
    return server


# ---------------------------------------------------------------------------------------------
# content negotiation


def _accepted(accept: str) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (stable for equal q)."""
    ranges = []
    for index, part in enumerate(accept.split(",")):
        media, *params = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranges.append((index, media.lower(), quality))
    ranges.sort(key=lambda item: (-item[2], item[0]))
    return [(media, quality) for _, media, quality in ranges]


def _negotiate(
    table: dict[str, Any],
    names: dict[str, Any],
    accept: str,
    wanted: tuple[str, ...],
    kind: str,
) -> tuple[Any, str]:
    """The format and media type for a result of ``kind``; 406 when none fits.

    ``wanted`` (the ``format``/``output`` parameter, short names or media types) wins over
    ``Accept``; its first available value is used (SPARQLWrapper sends e.g. ``format=tsv`` and
    ``format=text/tab-separated-values`` together).
    """
    for value in wanted:
        key = value.strip().lower()
        if key in names:
            return names[key], names[key].media_type
        media = key.split(";")[0].strip()
        if media in table:
            return table[media], table[media].media_type
    if wanted:
        raise _HttpError(
            HTTPStatus.NOT_ACCEPTABLE,
            f"format {', '.join(wanted)} is not available for {kind} results; use one of "
            f"{', '.join(sorted(names))}",
        )
    default = next(iter(table.values()))
    if not accept.strip():
        return default, default.media_type
    for media, _ in _accepted(accept):
        if media in table:
            return table[media], table[media].media_type
        if media == "*/*":
            return default, default.media_type
        if media.endswith("/*"):
            major = media[:-1]
            for candidate, chosen in table.items():
                if candidate.startswith(major):
                    return chosen, chosen.media_type
    raise _HttpError(
        HTTPStatus.NOT_ACCEPTABLE,
        f"none of the accepted types ({accept}) is available for {kind} results; "
        f"use one of {', '.join(table)}",
    )


# ---------------------------------------------------------------------------------------------
# running a query


def _term_json(term: Any) -> dict[str, Any]:
    """One RDF term as a SPARQL 1.1 JSON results binding (plus RDF 1.2 triple terms)."""
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    binding: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        binding["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        binding["datatype"] = term.datatype.value
    return binding


def _written(data: bytes | None) -> bytes:
    """The bytes a pyoxigraph serializer returns when given no output file."""
    if data is None:
        raise RuntimeError("pyoxigraph wrote to a file instead of returning bytes")
    return data


def _collect(items: Any, limit: int, given_up: threading.Event) -> tuple[list[Any], bool]:
    """At most ``limit`` items of a result iterator, and whether there were more."""
    kept: list[Any] = []
    for item in items:
        if given_up.is_set():
            raise _Deadline
        if len(kept) == limit:
            return kept, True
        kept.append(item)
    return kept, False


def _run(
    store: pyoxigraph.Store, request: _Request, max_rows: int, given_up: threading.Event
) -> _Reply:
    """Evaluate one query and serialise its results (runs in a worker thread)."""
    options: dict[str, Any] = {}
    try:
        if request.default_graphs:
            options["default_graph"] = [pyoxigraph.NamedNode(g) for g in request.default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if request.named_graphs:
            options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in request.named_graphs]
    except ValueError as error:
        raise _HttpError(HTTPStatus.BAD_REQUEST, f"invalid graph IRI: {error}") from error
    started = time.perf_counter()
    try:
        result = store.query(request.query, **options)
    except SyntaxError as error:
        raise _HttpError(HTTPStatus.BAD_REQUEST, f"malformed SPARQL query: {error}") from error
    headers: dict[str, str] = {}
    if isinstance(result, pyoxigraph.QueryBoolean):
        chosen, media = _negotiate(
            _RESULT_MEDIA, _RESULT_NAMES, request.accept, request.formats, "ASK"
        )
        body = _written(result.serialize(format=chosen))
        count = 1
    elif isinstance(result, pyoxigraph.QuerySolutions):
        chosen, media = _negotiate(
            _RESULT_MEDIA, _RESULT_NAMES, request.accept, request.formats, "SELECT"
        )
        variables = [v.value for v in result.variables]
        rows, truncated = _collect(result, max_rows, given_up)
        document = {
            "head": {"vars": variables},
            "results": {
                "bindings": [
                    {name: _term_json(row[name]) for name in variables if row[name] is not None}
                    for row in rows
                ]
            },
        }
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        if chosen != _QR.JSON:
            # the rows are already read, so let pyoxigraph write the other formats from the JSON
            parsed = pyoxigraph.parse_query_results(body, format=_QR.JSON)
            body = _written(parsed.serialize(format=chosen))
        count = len(rows)
        if truncated:
            headers[TRUNCATED_HEADER] = "true"
    else:
        chosen, media = _negotiate(
            _GRAPH_MEDIA, _GRAPH_NAMES, request.accept, request.formats, "CONSTRUCT/DESCRIBE"
        )
        triples, truncated = _collect(result, max_rows, given_up)
        prefixes = VOCABULARY_PREFIXES if chosen in (_RDF.TURTLE, _RDF.N3, _RDF.RDF_XML) else None
        body = _written(pyoxigraph.serialize(triples, format=chosen, prefixes=prefixes))
        count = len(triples)
        if truncated:
            headers[TRUNCATED_HEADER] = "true"
    logger.info(
        "query answered in %.1f ms: %d result(s) as %s%s",
        (time.perf_counter() - started) * 1000,
        count,
        media,
        " (truncated)" if headers else "",
    )
    if media.startswith("text/") and "charset" not in media:
        media += "; charset=utf-8"
    return _Reply(HTTPStatus.OK, body, media, headers)


def _with_timeout(server: SparqlServer, work: Callable[[threading.Event], _Reply]) -> _Reply:
    """Run ``work`` in a worker thread; 503 when it runs past the server's time limit.

    A Python thread cannot be stopped, so a query past its limit is abandoned: it stops at its
    next result row, or when pyoxigraph returns, and only then frees its worker slot.
    """
    timeout = server.query_timeout
    deadline = time.monotonic() + timeout
    if not server.slots.acquire(timeout=timeout):
        raise _HttpError(
            HTTPStatus.SERVICE_UNAVAILABLE,
            f"the server is busy with {MAX_RUNNING_QUERIES} long queries; try again later",
        )
    given_up = threading.Event()
    done = threading.Event()
    outcome: dict[str, Any] = {}

    def target() -> None:
        # Only plain data leaves this thread: pyoxigraph result objects may not be dropped on
        # another thread, and a raised error's traceback would carry them along.
        try:
            outcome["reply"] = work(given_up)
        except _HttpError as error:
            outcome["error"] = _HttpError(error.status, error.message, error.headers)
        except _Deadline:
            pass
        except Exception as error:  # a store failure: still answer, and log it
            logger.exception("the query failed")
            outcome["error"] = _HttpError(
                HTTPStatus.INTERNAL_SERVER_ERROR, f"the query failed: {error}"
            )
        finally:
            server.slots.release()
            done.set()

    threading.Thread(target=target, name="migkg-sparql-query", daemon=True).start()
    if not done.wait(max(0.0, deadline - time.monotonic())):
        given_up.set()
        logger.warning("query abandoned after %.0f s", timeout)
        raise _HttpError(
            HTTPStatus.SERVICE_UNAVAILABLE,
            f"the query ran past the {timeout:g} s time limit and was abandoned; "
            "narrow it down or add a LIMIT",
        )
    if "error" in outcome:
        error: _HttpError = outcome["error"]
        raise error
    reply: _Reply = outcome["reply"]
    return reply


# ---------------------------------------------------------------------------------------------
# HTTP


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise _HttpError(
            HTTPStatus.BAD_REQUEST, f"give the {name!r} parameter once, not {len(values)} times"
        )
    return values[0] if values else None


def _queries_json() -> bytes:
    listing = [
        {"name": q.name, "summary": q.summary, "params": list(q.params), "text": q.text}
        for q in list_queries()
    ]
    return json.dumps(listing, ensure_ascii=False, indent=1).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    """Routes one connection's requests."""

    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = f"migkg/{__version__}"

    # -- plumbing -------------------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def _send(self, reply: _Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", TRUNCATED_HEADER)
        self.send_header("Vary", "Accept")
        self.send_header("Cache-Control", "no-store")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def _fail(self, error: _HttpError) -> None:
        if error.status >= 500:
            logger.warning("%s %s: %s", self.command, self.path, error.message)
        self._send(
            _Reply(error.status, (error.message + "\n").encode("utf-8"), headers=error.headers)
        )

    def _handle(self, answer: Callable[[], _Reply]) -> None:
        try:
            reply = answer()
        except _HttpError as error:
            self._fail(error)
            return
        except Exception as error:  # a store failure: still answer, and log it
            logger.exception("%s %s failed", self.command, self.path)
            self._fail(_HttpError(HTTPStatus.INTERNAL_SERVER_ERROR, f"the query failed: {error}"))
            return
        self._send(reply)

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            raise _HttpError(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length, not chunks")
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError as error:
            raise _HttpError(HTTPStatus.BAD_REQUEST, "invalid Content-Length") from error
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            raise _HttpError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the request body is over {MAX_BODY_BYTES} bytes",
            )
        return self.rfile.read(length) if length > 0 else b""

    # -- methods ---------------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:
        """CORS preflight."""
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        requested = self.headers.get("Access-Control-Request-Headers")
        self.send_header("Access-Control-Allow-Headers", requested or "Accept, Content-Type")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        """Queries, the page, its files and the list of named queries."""
        self._handle(lambda: self._route(None))

    def do_HEAD(self) -> None:
        """Like GET without a body (the page and its files only)."""
        self._handle(lambda: self._static(urlsplit(self.path).path))

    def do_POST(self) -> None:
        """Queries, as a form or an ``application/sparql-query`` body."""
        self._handle(lambda: self._route(self._body()))

    def _read_only(self) -> None:
        self._fail(
            _HttpError(
                HTTPStatus.METHOD_NOT_ALLOWED,
                "this endpoint is read-only; it answers GET, POST and OPTIONS only",
                {"Allow": "GET, HEAD, POST, OPTIONS"},
            )
        )

    do_PUT = do_DELETE = do_PATCH = _read_only

    # -- routes ----------------------------------------------------------------------------------

    def _static(self, path: str) -> _Reply:
        if path == "/queries.json":
            return _Reply(HTTPStatus.OK, _queries_json(), "application/json; charset=utf-8")
        if path == "/favicon.ico":
            return _Reply(HTTPStatus.NO_CONTENT, b"")
        if path not in _STATIC:
            raise _HttpError(
                HTTPStatus.NOT_FOUND,
                f"{path}: not found; the SPARQL endpoint is /sparql and the query page is /",
            )
        name, content_type = _STATIC[path]
        return _Reply(HTTPStatus.OK, (_WEB / name).read_bytes(), content_type)

    def _route(self, body: bytes | None) -> _Reply:
        url = urlsplit(self.path)
        if url.path == "/update":
            raise _HttpError(
                HTTPStatus.FORBIDDEN, "SPARQL Update is not allowed: this endpoint is read-only"
            )
        if url.path not in ("/sparql", "/query"):
            if body is not None:
                raise _HttpError(
                    HTTPStatus.NOT_FOUND, f"{url.path}: not found; POST queries to /sparql"
                )
            return self._static(url.path)
        request = self._request(url.query, body)
        server = self.server
        return _with_timeout(
            server, lambda given_up: _run(server.store, request, server.max_rows, given_up)
        )

    def _request(self, query_string: str, body: bytes | None) -> _Request:
        params = parse_qs(query_string, keep_blank_values=True)
        text: str | None = None
        if body is not None:
            content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if content_type == "application/sparql-update":
                raise _HttpError(
                    HTTPStatus.FORBIDDEN, "SPARQL Update is not allowed: this endpoint is read-only"
                )
            try:
                decoded = body.decode("utf-8")
            except UnicodeDecodeError as error:
                raise _HttpError(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8") from error
            if content_type == "application/sparql-query":
                text = decoded
            elif content_type == "application/x-www-form-urlencoded":
                for name, values in parse_qs(decoded, keep_blank_values=True).items():
                    params.setdefault(name, []).extend(values)
            else:
                raise _HttpError(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    "POST a query as application/sparql-query or as the 'query' "
                    "field of application/x-www-form-urlencoded, not "
                    f"{content_type or 'an untyped body'}",
                )
        if "update" in params:
            raise _HttpError(
                HTTPStatus.FORBIDDEN, "SPARQL Update is not allowed: this endpoint is read-only"
            )
        form_query = _single(params, "query")
        if text is not None and form_query is not None:
            raise _HttpError(
                HTTPStatus.BAD_REQUEST,
                "give the query once: in the body or in the 'query' parameter, not both",
            )
        text = text if text is not None else form_query
        if text is None or not text.strip():
            raise _HttpError(
                HTTPStatus.BAD_REQUEST, "no query: pass ?query=SPARQL, or open / for the query page"
            )
        if looks_like_update(text):
            raise _HttpError(
                HTTPStatus.FORBIDDEN,
                "SPARQL Update is not allowed: this endpoint is read-only and "
                "answers queries (SELECT, ASK, CONSTRUCT, DESCRIBE) only",
            )
        wanted = tuple(params.get("format", []) + params.get("output", []))
        return _Request(
            text,
            tuple(params.get("default-graph-uri", [])),
            tuple(params.get("named-graph-uri", [])),
            self.headers.get("Accept", ""),
            wanted,
        )
