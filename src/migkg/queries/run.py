"""Named SPARQL queries (``sparql/*.rq``) and running them on a store or a remote endpoint.

Parameters are bound as RDF terms, never pasted into query text: locally through pyoxigraph's
``substitutions`` (the equivalent of rdflib's ``initBindings``), remotely through a ``VALUES``
block built from the term's N-Triples form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph

from migkg.errors import QueryError

__all__ = [
    "NamedQuery",
    "QueryResult",
    "bind_parameters",
    "list_queries",
    "load_query",
    "run_on_endpoint",
    "run_on_store",
]

_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX|BASE)\s[^\n]*\n\s*)*(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query with its ``#+`` header."""

    name: str
    text: str
    summary: str
    params: tuple[str, ...]


@dataclass(slots=True)
class QueryResult:
    """Rows of a SELECT (variables plus one dict per row, values as plain Python values)."""

    variables: list[str]
    rows: list[dict[str, Any]]
    raw: list[dict[str, Any]]  # the SPARQL JSON bindings ({"type": ..., "value": ...})


def _parse(name: str, text: str) -> NamedQuery:
    summary = ""
    params: tuple[str, ...] = ()
    for line in text.splitlines():
        if not line.startswith("#+"):
            continue
        key, _, value = line[2:].partition(":")
        if key.strip() == "summary":
            summary = value.strip()
        elif key.strip() == "params":
            params = tuple(p.strip() for p in value.split(",") if p.strip())
    return NamedQuery(name, text, summary, params)


def list_queries() -> list[NamedQuery]:
    """Every shipped named query, by name."""
    folder = files("migkg.queries") / "sparql"
    found = [
        _parse(entry.name.removesuffix(".rq"), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    ]
    return sorted(found, key=lambda q: q.name)


def load_query(name_or_path: str) -> NamedQuery:
    """A shipped query by name, or a query from an ``.rq`` file path."""
    if name_or_path.endswith(".rq") or "/" in name_or_path:
        path = Path(name_or_path)
        if not path.is_file():
            raise QueryError(f"{name_or_path}: no such query file")
        try:
            return _parse(path.stem, path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            raise QueryError(f"{name_or_path}: not UTF-8 text") from error
    if not _NAME.match(name_or_path):
        raise QueryError(f"{name_or_path!r} is not a query name")
    resource = files("migkg.queries") / "sparql" / f"{name_or_path}.rq"
    if not resource.is_file():
        known = ", ".join(q.name for q in list_queries())
        raise QueryError(f"unknown query {name_or_path!r}; known queries: {known}")
    return _parse(name_or_path, resource.read_text(encoding="utf-8"))


def _check(query: NamedQuery, params: dict[str, str]) -> None:
    if _UPDATE.match(re.sub(r"#[^\n]*", "", query.text)):
        raise QueryError(f"{query.name}: updates are not allowed; migkg queries are read-only")
    missing = [p for p in query.params if p not in params]
    if missing:
        raise QueryError(
            f"{query.name}: missing parameter(s) {', '.join(missing)} "
            f"(pass --param {missing[0]}=VALUE)"
        )
    unknown = [p for p in params if p not in query.params]
    if unknown:
        raise QueryError(f"{query.name}: unknown parameter(s) {', '.join(unknown)}")


def _term_json(term: Any) -> dict[str, Any]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    result: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        result["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        result["datatype"] = term.datatype.value
    return result


def _plain(binding: dict[str, Any]) -> Any:
    value = binding["value"]
    datatype = binding.get("datatype", "")
    if datatype.endswith(("#integer", "#nonNegativeInteger", "#int", "#long")):
        return int(value)
    if datatype.endswith(("#decimal", "#double", "#float")):
        return float(value)
    return value


def run_on_store(
    store: pyoxigraph.Store,
    query: NamedQuery,
    params: dict[str, str] | None = None,
    *,
    limit: int | None = None,
) -> QueryResult:
    """Run a SELECT query on the embedded store (all named graphs seen as one)."""
    params = params or {}
    _check(query, params)
    try:
        solutions = store.query(bind_parameters(query, params), use_default_graph_as_union=True)
    except SyntaxError as error:
        raise QueryError(f"{query.name}: malformed SPARQL: {error}") from error
    except (OSError, RuntimeError) as error:
        raise QueryError(f"{query.name}: the query failed: {error}") from error
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise QueryError(f"{query.name}: only SELECT queries can be listed as rows")
    variables = [v.value for v in solutions.variables]
    if limit is not None and limit < 0:
        raise QueryError(f"--limit must be 0 or more, not {limit}")
    raw: list[dict[str, Any]] = []
    for solution in solutions:
        if limit is not None and len(raw) >= limit:
            break
        raw.append(
            {name: _term_json(solution[name]) for name in variables if solution[name] is not None}
        )
    rows = [{name: _plain(b[name]) if name in b else None for name in variables} for b in raw]
    return QueryResult(variables, rows, raw)


def bind_parameters(query: NamedQuery, params: dict[str, str]) -> str:
    """The query text with each parameter bound by a ``VALUES`` block in its WHERE group.

    Values enter as RDF literals in N-Triples syntax: pyoxigraph escapes quotes, backslashes
    and line breaks, so a value cannot close the literal and add SPARQL of its own.

    >>> q = NamedQuery("q", "SELECT ?x WHERE { ?x ?p ?v_param }", "", ("v",))
    >>> print(bind_parameters(q, {"v": 'a" } DROP ALL #'}))
    SELECT ?x WHERE {
    VALUES ?v_param { "a\\" } DROP ALL #" }
     ?x ?p ?v_param }
    """
    if not params:
        return query.text
    match = re.search(r"\bWHERE\s*\{", query.text, re.IGNORECASE)
    if match is None:
        raise QueryError(f"{query.name}: cannot bind parameters (no 'WHERE {{')")
    block = "\n".join(
        f"VALUES ?{name}_param {{ {pyoxigraph.Literal(value)} }}" for name, value in params.items()
    )
    return f"{query.text[: match.end()]}\n{block}\n{query.text[match.end() :]}"


def run_on_endpoint(
    endpoint: str, query: NamedQuery, params: dict[str, str] | None = None, *, timeout: int = 60
) -> QueryResult:
    """Run a SELECT query on any SPARQL 1.1 endpoint through SPARQLWrapper."""
    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    params = params or {}
    _check(query, params)
    text = bind_parameters(query, params)
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    client.setReturnFormat(JSON)
    client.setTimeout(timeout)
    try:
        response = client.queryAndConvert()
    except SPARQLWrapperException as error:
        raise QueryError(f"{endpoint}: {error}") from error
    except OSError as error:
        raise QueryError(f"{endpoint}: cannot reach the endpoint ({error})") from error
    if not isinstance(response, dict):
        raise QueryError(f"{endpoint}: the answer is not SPARQL JSON results")
    variables = list(response["head"]["vars"])
    raw = list(response["results"]["bindings"])
    rows = [{name: _plain(b[name]) if name in b else None for name in variables} for b in raw]
    return QueryResult(variables, rows, raw)
