"""SHACL validation of a build (``migkg validate``): ``shapes.ttl``, one named graph at a time.

The build is read from ``graph.nq``, not from the store: the Oxigraph store keeps
``xsd:nonNegativeInteger`` values (``oa:start``, ``oa:end``, ``mig:characterCount``) as
``xsd:integer``, and ``sh:datatype xsd:nonNegativeInteger`` would then fail on every selector.

Each document graph is validated with the part of the entities graph its shapes can reach
alongside (the entities it points to and their parents), so that ``sh:class`` sees their types
while the check stays proportional to the document; only results about nodes the document graph
describes are kept. The entities graph is then validated on its own. The ontology is given to
pySHACL as ``ont_graph`` (its class hierarchy is mixed into the data; ``sh:targetClass`` and
``sh:class`` follow it) with ``inference="none"``.

pySHACL evaluates a SPARQL-based constraint once per focus node with rdflib's SPARQL engine:
0.3-0.5 s each on a small document and slower as the graph grows (document 004, 5.7k triples and
1.4k evidence nodes, had not finished after 4 minutes). So each ``sh:SPARQLConstraint`` of a node
shape with an ``sh:targetClass`` runs here instead, once per graph in pyoxigraph, with ``$this``
left free and the solutions kept for the shape's focus nodes. That is SHACL's pre-binding
semantics for these queries, whose ``$this`` is bound by a triple pattern of the top-level group
(https://www.w3.org/TR/shacl/#pre-binding). Every other constraint runs in pySHACL.

Measured on the five-document corpus (101,908 quads, 2 cores): 60-61 s in all, of which 18 s for
the largest document graph (47k triples) and 5-6 s for a 1k-triple document; it conforms.
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.namespace import RDF, SH

from migkg.errors import InputError, StoreError
from migkg.graph.iri import ENTITIES_GRAPH
from migkg.graph.serialize import VOCABULARY_PREFIXES
from migkg.graph.store import STORE_DIR, open_store

__all__ = [
    "GraphCheck",
    "ValidationReport",
    "Violation",
    "document_graphs",
    "graph_names",
    "iter_graphs",
    "read_graphs",
    "select_graphs",
    "validate_build",
]

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]

_DOCUMENT_GRAPH_PREFIX = "https://w3id.org/migkg/id/graph/document/"
# Variables SHACL pre-binds besides $this; a query that uses one stays with pySHACL.
_OTHER_PREBOUND = re.compile(r"[$?](?:currentShape|shapesGraph|PATH)\b")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_TEMPLATE = re.compile(r"\{[$?]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result (N-Triples-free: IRIs and literal values as plain strings)."""

    graph: str
    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    severity: str = "Violation"
    component: str = ""


@dataclass(frozen=True, slots=True)
class GraphCheck:
    """How one named graph was validated."""

    graph: str
    triples: int
    focus_nodes: int
    violations: int
    seconds: float


@dataclass(slots=True)
class ValidationReport:
    """The outcome of validating some or all graphs of a build."""

    conforms: bool
    violations: list[Violation]
    graphs: list[GraphCheck] = field(default_factory=list)
    seconds: float = 0.0

    def by_message(self) -> list[tuple[str, list[Violation]]]:
        """Violations grouped by message, the most frequent first."""
        groups: dict[str, list[Violation]] = defaultdict(list)
        for violation in self.violations:
            groups[violation.message].append(violation)
        return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))


def iter_graphs(store_dir: Path) -> Iterator[tuple[str, list[pyoxigraph.Triple]]]:
    """The build's named graphs one at a time (graph IRI, its triples), never all in memory.

    ``graph.nq`` is written graph by graph, so each graph is one run of lines; the store is
    read graph by graph. The default graph (IRI "") is skipped.

    Raises
    ------
    StoreError
        As :func:`read_graphs`, or a graph of ``graph.nq`` is split over separate runs.
    """
    nquads = store_dir / "graph.nq"
    if not nquads.is_file():
        store = open_store(store_dir)
        logger.warning(
            "%s: no graph.nq; reading the store (integer datatypes normalised)", store_dir
        )
        for name in sorted(store.named_graphs(), key=lambda node: node.value):
            if isinstance(name, pyoxigraph.NamedNode):
                yield (
                    name.value,
                    [
                        pyoxigraph.Triple(q.subject, q.predicate, q.object)
                        for q in store.quads_for_pattern(None, None, None, name)
                    ],
                )
        return
    seen: set[str] = set()
    current = ""
    triples: list[pyoxigraph.Triple] = []
    try:
        for quad in pyoxigraph.parse(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS):
            name = quad.graph_name
            key = name.value if isinstance(name, pyoxigraph.NamedNode) else ""
            if key != current:
                if current and triples:
                    yield current, triples
                if key in seen:
                    raise StoreError(
                        f"{nquads}: graph <{key}> is split over separate runs of lines; "
                        "rebuild to rewrite it"
                    )
                seen.add(key)
                current, triples = key, []
            triples.append(pyoxigraph.Triple(quad.subject, quad.predicate, quad.object))
    except (SyntaxError, OSError) as error:
        raise StoreError(f"{nquads}: cannot read the build ({error})") from error
    if current and triples:
        yield current, triples


def graph_names(store_dir: Path) -> list[str]:
    """The IRIs of the build's named graphs (from the store, else a pass over graph.nq)."""
    if (store_dir / STORE_DIR).is_dir():
        store = open_store(store_dir)
        return sorted(n.value for n in store.named_graphs() if isinstance(n, pyoxigraph.NamedNode))
    return [name for name, _ in iter_graphs(store_dir)]


def read_graphs(store_dir: Path) -> dict[str, list[pyoxigraph.Triple]]:
    """The build's named graphs: graph IRI -> its triples, from ``graph.nq``.

    ``graph.nq`` keeps every literal exactly as built; when it is missing the store is read
    instead, whose integers of derived types (``xsd:nonNegativeInteger``) come back as
    ``xsd:integer``.

    Raises
    ------
    StoreError
        Neither ``graph.nq`` nor a store is in ``store_dir``, or ``graph.nq`` cannot be parsed.
    """
    nquads = store_dir / "graph.nq"
    quads: Iterable[pyoxigraph.Quad]
    if nquads.is_file():
        try:
            quads = list(pyoxigraph.parse(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS))
        except (SyntaxError, OSError) as error:
            raise StoreError(f"{nquads}: cannot read the build ({error})") from error
    else:
        store = open_store(store_dir)
        logger.warning(
            "%s: no graph.nq; reading the store (integer datatypes normalised)", store_dir
        )
        quads = store.quads_for_pattern(None, None, None, None)
    graphs: dict[str, list[pyoxigraph.Triple]] = defaultdict(list)
    for quad in quads:
        name = quad.graph_name
        key = name.value if isinstance(name, pyoxigraph.NamedNode) else ""
        graphs[key].append(pyoxigraph.Triple(quad.subject, quad.predicate, quad.object))
    return dict(graphs)


def document_graphs(graphs: Iterable[str]) -> list[str]:
    """The document graph IRIs among ``graphs``, sorted."""
    return sorted(g for g in graphs if g.startswith(_DOCUMENT_GRAPH_PREFIX))


def select_graphs(graphs: Iterable[str], document: str) -> str:
    """The document graph named by ``document``: an id, a unique id prefix or a graph IRI.

    >>> select_graphs(["https://w3id.org/migkg/id/graph/document/002-70f8"], "002")
    'https://w3id.org/migkg/id/graph/document/002-70f8'

    Raises
    ------
    InputError
        No document graph, or more than one, matches.
    """
    candidates = document_graphs(graphs)
    ids = [g.removeprefix(_DOCUMENT_GRAPH_PREFIX) for g in candidates]
    wanted = document.removeprefix(_DOCUMENT_GRAPH_PREFIX)
    wanted = wanted.removeprefix("https://w3id.org/migkg/id/document/")
    if wanted in ids:
        return _DOCUMENT_GRAPH_PREFIX + wanted
    matches = [i for i in ids if i.startswith(wanted)] if wanted else []
    if len(matches) == 1:
        return _DOCUMENT_GRAPH_PREFIX + matches[0]
    known = ", ".join(ids) or "none"
    if matches:
        raise InputError(f"--document {document!r} is ambiguous: {', '.join(matches)}")
    raise InputError(f"no document {document!r} in this build; documents: {known}")


# ---------------------------------------------------------------------------------------------
# terms


def _rdflib_term(term: object) -> rdflib.term.Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            # rdflib tells "x" from "x"^^xsd:string (RDF 1.1 does not); sh:in lists are plain.
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise ValueError(f"unsupported RDF term {term!r}")


def _rdflib_graph(triples: Iterable[pyoxigraph.Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.addN(
        (_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object), graph)
        for t in triples
    )
    return graph


def _text(term: object) -> str | None:
    """An RDF term as a plain string: the IRI, the lexical form, or ``_:id``."""
    if term is None:
        return None
    if isinstance(term, rdflib.BNode | pyoxigraph.BlankNode):
        return f"_:{term}" if isinstance(term, rdflib.BNode) else f"_:{term.value}"
    if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal):
        return str(term.value)
    return str(term)


def _short(iri: str | None) -> str:
    if iri is None:
        return ""
    for prefix, namespace in VOCABULARY_PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


# ---------------------------------------------------------------------------------------------
# shapes


@dataclass(frozen=True, slots=True)
class _SparqlConstraint:
    """An ``sh:SPARQLConstraint`` of a node shape with targets, run natively in pyoxigraph."""

    target_classes: tuple[str, ...]
    query: str
    messages: tuple[str, ...]
    severity: str


@dataclass(frozen=True, slots=True)
class _Shapes:
    pyshacl_graph: rdflib.Graph  # the shapes without the constraints below
    native: tuple[_SparqlConstraint, ...]
    ontology: rdflib.Graph
    ontology_triples: tuple[pyoxigraph.Triple, ...]


def _prefix_block(shapes: rdflib.Graph, constraint: rdflib.term.Node) -> str:
    lines = []
    for declarer in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(declarer, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _load_shapes() -> _Shapes:
    folder = files("migkg.ontology")
    shapes = rdflib.Graph().parse(data=(folder / "shapes.ttl").read_text("utf-8"), format="turtle")
    ontology_text = (folder / "migkg.ttl").read_text("utf-8")
    ontology = rdflib.Graph().parse(data=ontology_text, format="turtle")
    ontology_triples = tuple(
        pyoxigraph.parse(ontology_text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    )
    native = []
    for shape, constraint in list(shapes.subject_objects(SH.sparql)):
        targets = tuple(sorted(str(c) for c in shapes.objects(shape, SH.targetClass)))
        select = shapes.value(constraint, SH.select)
        deactivated = shapes.value(constraint, SH.deactivated)
        if (
            not targets
            or select is None
            or (isinstance(deactivated, rdflib.Literal) and deactivated.toPython() is True)
            or (shape, RDF.type, SH.PropertyShape) in shapes
            or shapes.value(shape, SH.path) is not None
            or _OTHER_PREBOUND.search(str(select))
            or "$this" not in str(select)
        ):
            continue
        messages = tuple(str(m) for m in shapes.objects(constraint, SH.message)) or tuple(
            str(m) for m in shapes.objects(shape, SH.message)
        )
        severity = shapes.value(shape, SH.severity) or SH.Violation
        native.append(
            _SparqlConstraint(
                targets,
                f"{_prefix_block(shapes, constraint)}\n{select}",
                messages or ("SPARQL constraint violated",),
                str(severity).removeprefix(str(SH)),
            )
        )
        shapes.remove((shape, SH.sparql, constraint))
    return _Shapes(shapes, tuple(native), ontology, ontology_triples)


# ---------------------------------------------------------------------------------------------
# validation


def _pyshacl_violations(
    graph_name: str, data: rdflib.Graph, shapes: _Shapes, focus: set[str] | None
) -> list[Violation]:
    import pyshacl

    # Every node is validated and the results are filtered afterwards: pySHACL's own
    # focus_nodes option tests membership in a list for every target node of every shape,
    # which took 250 s on an 11k-node document (most of it in rdflib's Node.__eq__).
    _, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes.pyshacl_graph,
        ont_graph=shapes.ontology,
        inference="none",
        inplace=True,
    )
    assert isinstance(results, rdflib.Graph)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = results.value(result, SH.sourceConstraintComponent)
        severity = results.value(result, SH.resultSeverity) or SH.Violation
        path = results.value(result, SH.resultPath)
        focus_node = _text(results.value(result, SH.focusNode)) or ""
        if focus is not None and focus_node not in focus:
            continue
        violations.append(
            Violation(
                graph_name,
                focus_node,
                messages[0] if messages else f"{_short(str(component))} violated",
                _short(str(path)) if isinstance(path, rdflib.URIRef) else _text(path),
                _text(results.value(result, SH.value)),
                str(severity).removeprefix(str(SH)),
                str(component).removeprefix(str(SH)) if component is not None else "",
            )
        )
    return violations


def _fill(template: str, bound: dict[str, str | None]) -> str:
    """A message with its ``{?var}`` placeholders filled from a solution."""
    return _TEMPLATE.sub(lambda m: bound.get(m.group(1)) or m.group(0), template)


def _native_violations(
    graph_name: str,
    triples: Iterable[pyoxigraph.Triple],
    shapes: _Shapes,
    focus: set[str] | None,
) -> list[Violation]:
    if not shapes.native:
        return []
    store = pyoxigraph.Store()
    default = pyoxigraph.DefaultGraph()
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, default) for t in triples)
    store.extend(
        pyoxigraph.Quad(t.subject, t.predicate, t.object, default) for t in shapes.ontology_triples
    )
    violations = []
    for constraint in shapes.native:
        values = " ".join(f"<{c}>" for c in constraint.target_classes)
        targets = store.query(
            "SELECT DISTINCT ?this WHERE { VALUES ?class { "
            + values
            + " } ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class }"
        )
        assert isinstance(targets, pyoxigraph.QuerySolutions)
        instances = {row["this"].value for row in targets if row["this"] is not None}
        if focus is not None:
            instances &= focus
        if not instances:
            continue
        try:
            solutions = store.query(constraint.query)
        except SyntaxError as error:
            raise InputError(f"shapes.ttl: malformed SPARQL constraint: {error}") from error
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            this = row["this"]
            if this is None or _text(this) not in instances:
                continue
            bound = {name: _text(row[name]) for name in names if row[name] is not None}
            value = bound.get("value", _text(this))
            message = _fill(constraint.messages[0], bound)
            path = bound.get("path")
            violations.append(
                Violation(
                    graph_name,
                    _text(this) or "",
                    message,
                    _short(path) if path else None,
                    value,
                    constraint.severity,
                    "SPARQLConstraintComponent",
                )
            )
    return violations


def _check_graph(
    graph_name: str,
    triples: list[pyoxigraph.Triple],
    support: list[pyoxigraph.Triple],
    shapes: _Shapes,
) -> tuple[list[Violation], GraphCheck]:
    """Validate the nodes ``triples`` describe, with ``support`` as further data."""
    started = time.perf_counter()
    focus_terms = sorted(
        {t.subject.value for t in triples if isinstance(t.subject, pyoxigraph.NamedNode)}
    )
    # the entities graph is checked on its own: every node is a focus node
    focus = None if graph_name == str(ENTITIES_GRAPH) else set(focus_terms)
    data = _rdflib_graph([*triples, *support])
    violations = _pyshacl_violations(graph_name, data, shapes, focus)
    violations += _native_violations(graph_name, [*triples, *support], shapes, focus)
    seconds = time.perf_counter() - started
    logger.info("validated %s: %d violation(s) in %.1f s", graph_name, len(violations), seconds)
    return violations, GraphCheck(
        graph_name, len(triples), len(focus_terms), len(violations), seconds
    )


def _by_subject(triples: list[pyoxigraph.Triple]) -> dict[object, list[pyoxigraph.Triple]]:
    found: dict[object, list[pyoxigraph.Triple]] = defaultdict(list)
    for triple in triples:
        found[triple.subject].append(triple)
    return found


def _support(
    triples: list[pyoxigraph.Triple], about: dict[object, list[pyoxigraph.Triple]]
) -> list[pyoxigraph.Triple]:
    """The entities-graph triples a document graph's shapes can reach.

    The shapes look at most two steps from a focus node into the entities graph (an entity
    the document points to, and the entity that one is part of). Giving pySHACL only these
    instead of the whole entities graph keeps each document's check proportional to the
    document, however large the corpus.
    """
    nodes = {t.subject for t in triples} | {
        t.object for t in triples if isinstance(t.object, pyoxigraph.NamedNode)
    }
    support: list[pyoxigraph.Triple] = []
    reached: set[object] = set()
    for _ in range(2):
        step = [node for node in sorted(nodes, key=str) if node not in reached and node in about]
        reached.update(step)
        added = [triple for node in step for triple in about[node]]
        support += added
        nodes = {t.object for t in added if isinstance(t.object, pyoxigraph.NamedNode)}
    return support


def validate_build(
    store_dir: Path,
    *,
    document: str | None = None,
    progress: ProgressCallback | None = None,
) -> ValidationReport:
    """Validate a build against ``shapes.ttl``, graph by graph.

    Parameters
    ----------
    store_dir
        A build output directory (``migkg build ... --out DIR``).
    document
        Only this document's graph (an id such as ``002-70f8dd480db74d21``, a unique prefix
        such as ``002``, or the graph IRI); the entities graph is then used as data but not
        validated itself. By default every document graph and then the entities graph.
    progress
        Called with (graph IRI, graphs done, graphs in all) after each graph.

    Returns
    -------
    ValidationReport
        ``conforms`` is false when any result was found (SHACL's definition). A node that more
        than one graph describes (an entity) is reported once.

    Raises
    ------
    StoreError
        The build cannot be read.
    InputError
        ``document`` names no document graph, or more than one.
    """
    started = time.perf_counter()
    graphs = read_graphs(store_dir)
    entities = graphs.get(str(ENTITIES_GRAPH), [])
    about = _by_subject(entities)
    if document is not None:
        name = select_graphs(graphs, document)
        plan = [(name, _support(graphs.get(name, []), about))]
    else:
        plan = [(name, _support(graphs[name], about)) for name in document_graphs(graphs)]
        if entities:
            plan.append((str(ENTITIES_GRAPH), []))
    shapes = _load_shapes()
    seen: set[tuple[str, str, str | None, str | None, str]] = set()
    violations: list[Violation] = []
    checks: list[GraphCheck] = []
    for index, (name, support) in enumerate(plan):
        found, check = _check_graph(name, graphs.get(name, []), support, shapes)
        for violation in found:
            key = (
                violation.focus,
                violation.message,
                violation.path,
                violation.value,
                violation.component,
            )
            if key not in seen:
                seen.add(key)
                violations.append(violation)
        checks.append(check)
        if progress is not None:
            progress(name, index + 1, len(plan))
    violations.sort(key=lambda v: (v.graph, v.focus, v.message, v.path or "", v.value or ""))
    return ValidationReport(not violations, violations, checks, time.perf_counter() - started)
