"""OWL 2 reasoning over a build with HermiT (``migkg reason``): consistency and inferred triples.

The ontology and every named graph of the build go, as one set of triples, into a fresh
owlready2 ``World`` (through N-Triples: owlready2 cannot parse Turtle), and owlready2's bundled
HermiT (a Java subprocess) classifies and realises it. HermiT either finds the whole
consistent, or the build is reported as inconsistent with a likely cause found by SPARQL
(disjoint classes, a functional data property with two values, a value outside a property's
range). The inferred triples are the world's triples after reasoning minus those before.
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import subprocess
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph

from migkg.errors import InconsistentGraphError, InputError, MigKGError
from migkg.graph.serialize import VOCABULARY_PREFIXES
from migkg.graph.store import write_atomic
from migkg.graph.validate import read_graphs
from migkg.ontology.terms import MIGD

__all__ = ["DEFAULT_TIMEOUT", "INFERRED_GRAPH", "INFERRED_TRIG", "ReasoningResult", "reason"]

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 600.0
INFERRED_GRAPH = str(MIGD["graph/inferred"])
INFERRED_TRIG = "inferred.trig"

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_OWL_ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"
_PREFIXES = "\n".join(
    f"PREFIX {prefix}: <{namespace}>"
    for prefix, namespace in {
        **VOCABULARY_PREFIXES,
        "owl": "http://www.w3.org/2002/07/owl#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    }.items()
)
# owlready2 passes these keyword arguments to subprocess; the lock guards the temporary change.
_REASONER_LOCK = threading.Lock()
_TRIG_HEADER = b"# Triples HermiT infers from the build and the migkg ontology (migkg reason).\n"
_EXAMPLES = 5  # causes named in an inconsistency message


@dataclass(slots=True)
class ReasoningResult:
    """What HermiT made of a build (it is consistent, or :func:`reason` raises)."""

    triples: int  # distinct triples handed to HermiT: the ontology plus the build
    seconds: float  # HermiT's run, Java start included
    inferred: list[pyoxigraph.Triple] = field(default_factory=list)
    removed: int = 0  # asserted triples owlready2 dropped as redundant (never materialized)
    property_values: bool = False  # whether object property values were inferred as well
    path: Path | None = None  # inferred.trig, with --materialize

    @property
    def inferred_types(self) -> int:
        """Inferred ``rdf:type`` triples."""
        return sum(1 for t in self.inferred if t.predicate.value == _RDF_TYPE)


def _ontology_triples() -> list[pyoxigraph.Triple]:
    data = (files("migkg.ontology") / "migkg.ttl").read_bytes()
    return list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))


def _world_triples(world: Any) -> set[bytes]:
    """Every triple of the world as an N-Triples line (owlready2 writes them consistently)."""
    buffer = io.BytesIO()
    world.save(buffer, format="ntriples")
    return {line for line in buffer.getvalue().splitlines() if line.strip()}


def _parse_lines(lines: set[bytes]) -> list[pyoxigraph.Triple]:
    triples = []
    for line in sorted(lines):
        try:
            parsed = list(pyoxigraph.parse(line + b"\n", format=pyoxigraph.RdfFormat.N_TRIPLES))
        except SyntaxError as error:
            logger.warning("skipped an inferred triple owlready2 wrote oddly: %s", error)
            continue
        for triple in parsed:
            if isinstance(triple.subject, pyoxigraph.BlankNode) or isinstance(
                triple.object, pyoxigraph.BlankNode
            ):
                continue  # about an anonymous class expression of the ontology
            if triple.predicate.value == _RDF_TYPE and triple.object.value == _OWL_ONTOLOGY:
                continue  # owlready2's own ontology for inferences
            triples.append(triple)
    return triples


def _remove_reasoner_input(error: BaseException) -> None:
    """Delete the temporary N-Triples file owlready2 leaves behind when HermiT fails."""
    seen: BaseException | None = error
    while seen is not None:
        command = getattr(seen, "cmd", None)
        if isinstance(command, list):
            for argument in command:
                if isinstance(argument, str) and argument.startswith("file:///"):
                    path = Path(argument.removeprefix("file://").replace("//", "/", 1))
                    if path.parent == Path(tempfile.gettempdir()):
                        with contextlib.suppress(OSError):
                            path.unlink()
        seen = seen.__context__


def _run_hermit(world: Any, *, property_values: bool, timeout: float) -> None:
    import owlready2
    from owlready2 import reasoning

    with _REASONER_LOCK:
        saved = dict(reasoning._subprocess_kargs)
        reasoning._subprocess_kargs["timeout"] = timeout
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=property_values, debug=0)
        except BaseException as error:
            _remove_reasoner_input(error)
            raise
        finally:
            reasoning._subprocess_kargs.clear()
            reasoning._subprocess_kargs.update(saved)


def _short(term: Any) -> str:
    value = term.value
    if isinstance(term, pyoxigraph.Literal):
        return str(term)
    for prefix, namespace in VOCABULARY_PREFIXES.items():
        if value.startswith(namespace):
            return f"{prefix}:{value[len(namespace) :]}"
    return f"<{value}>"


_DISJOINT = """
SELECT DISTINCT ?x ?a ?b WHERE {
  { ?a owl:disjointWith ?b } UNION { ?b owl:disjointWith ?a }
  UNION { ?all a owl:AllDisjointClasses ; owl:members ?list .
          ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b . FILTER (?a != ?b) }
  FILTER (isIRI(?a) && isIRI(?b) && STR(?a) < STR(?b))
  ?x a/rdfs:subClassOf* ?a , ?b .
} ORDER BY ?x ?a ?b LIMIT 20
"""
_FUNCTIONAL = """
SELECT DISTINCT ?x ?p ?v1 ?v2 WHERE {
  ?p a owl:FunctionalProperty , owl:DatatypeProperty .
  ?x ?p ?v1 , ?v2 .
  FILTER (STR(?v1) < STR(?v2) || (STR(?v1) = STR(?v2) && STR(DATATYPE(?v1)) < STR(DATATYPE(?v2))))
} ORDER BY ?x ?p LIMIT 20
"""
_RANGE = """
SELECT DISTINCT ?x ?p ?v ?range WHERE {
  ?p a owl:DatatypeProperty ; rdfs:range ?range . FILTER (isIRI(?range))
  ?x ?p ?v .
  FILTER (isLiteral(?v) && DATATYPE(?v) != ?range)
  FILTER (!(STRSTARTS(STR(DATATYPE(?v)), STR(xsd:)) && STRENDS(STR(DATATYPE(?v)), "Integer")
            && STRENDS(STR(?range), "Integer") && xsd:integer(STR(?v)) >= 0))
  FILTER (!(?range = rdfs:Literal))
} ORDER BY ?x ?p LIMIT 20
"""
# Types entailed by rdfs:domain and rdfs:range, so that the disjointness query sees them.
_TYPES_FROM_SIGNATURES = """
INSERT { ?x a ?c } WHERE {
  ?x ?p ?o . ?p rdfs:subPropertyOf* ?q . ?q rdfs:domain ?c . FILTER (isIRI(?c) && isIRI(?x))
};
INSERT { ?o a ?c } WHERE {
  ?x ?p ?o . ?p rdfs:subPropertyOf* ?q . ?q a owl:ObjectProperty ; rdfs:range ?c .
  FILTER (isIRI(?c) && isIRI(?o))
}
"""


def _explain_inconsistency(
    triples: set[pyoxigraph.Triple], where: dict[str, set[str]]
) -> list[str]:
    """Likely causes of an inconsistency, found by SPARQL over the triples given to HermiT."""
    store = pyoxigraph.Store()
    default = pyoxigraph.DefaultGraph()
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, default) for t in triples)
    store.update(_PREFIXES + "\n" + _TYPES_FROM_SIGNATURES)

    def graphs(node: Any) -> str:
        names = sorted(where.get(node.value, ()))
        return f" (in {', '.join(n.rsplit('/', 1)[-1] for n in names)})" if names else ""

    def rows(query: str) -> pyoxigraph.QuerySolutions:
        solutions = store.query(_PREFIXES + query)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        return solutions

    causes = []
    for row in rows(_DISJOINT):
        causes.append(
            f"{_short(row['x'])} is both {_short(row['a'])} and {_short(row['b'])}, "
            f"which are disjoint{graphs(row['x'])}"
        )
    for row in rows(_FUNCTIONAL):
        causes.append(
            f"{_short(row['x'])} has two values of the functional property "
            f"{_short(row['p'])}: {_short(row['v1'])} and {_short(row['v2'])}{graphs(row['x'])}"
        )
    for row in rows(_RANGE):
        causes.append(
            f"{_short(row['x'])} {_short(row['p'])} {_short(row['v'])} is outside the range "
            f"{_short(row['range'])}{graphs(row['x'])}"
        )
    return causes


def reason(
    store_dir: Path,
    *,
    materialize: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> ReasoningResult:
    """Check a build for consistency with the ontology and (optionally) write what HermiT infers.

    The whole build is reasoned over at once. Measured on the five-document corpus (101,908
    quads; 102,438 distinct triples with the ontology) on 2 cores: HermiT took 18-29 s without
    and 45-76 s with object property values (``materialize``), the higher figures with the
    machine busy; ``migkg reason`` took 23 s and 50 s in all (loading the world and comparing
    its triples add about 5 s). That is well under 3 minutes, so there is no per-document
    mode; a corpus several times larger may need a longer ``timeout``. The corpus is
    consistent, and HermiT infers nothing new: the build already asserts each entity's specific
    and general classes (e.g. ``mig:Organization`` and ``mig:UNEntity``), and owlready2 only
    adds a type that is more specific than every asserted one, and property values that are
    neither asserted nor the inverse of an asserted one.

    Parameters
    ----------
    store_dir
        A build output directory (``graph.nq`` is read; the store if it is missing).
    materialize
        Also infer object property values, and write the inferred triples, in the named graph
        ``https://w3id.org/migkg/id/graph/inferred``, to ``store_dir/inferred.trig``
        (atomically; the store itself is not changed).
    timeout
        Seconds HermiT may run before it is stopped.

    Raises
    ------
    InconsistentGraphError
        HermiT finds the build inconsistent with the ontology (exit code 1); the message names
        likely causes.
    MigKGError
        There is no Java runtime, HermiT fails or runs out of time.
    StoreError
        The build cannot be read.
    """
    import owlready2

    if timeout <= 0:
        raise InputError(f"--timeout must be a positive number of seconds, not {timeout}")
    if shutil.which(owlready2.JAVA_EXE) is None:
        raise MigKGError(
            f"HermiT needs a Java runtime, and {owlready2.JAVA_EXE!r} is not on PATH; "
            "install one (e.g. apt-get install default-jre-headless)"
        )
    graphs = read_graphs(store_dir)
    where: dict[str, set[str]] = defaultdict(set)
    triples: set[pyoxigraph.Triple] = set(_ontology_triples())
    for name, graph in graphs.items():
        for triple in graph:
            triples.add(triple)
            if isinstance(triple.subject, pyoxigraph.NamedNode):
                where[triple.subject.value].add(name)
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    data = pyoxigraph.serialize(ordered, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert data is not None
    with tempfile.TemporaryDirectory(prefix="migkg-reason-") as folder:
        path = Path(folder) / "build.nt"
        path.write_bytes(data)
        world = owlready2.World()
        try:
            # owlready2 cannot parse Turtle, so the ontology and build go in as N-Triples.
            world.get_ontology(path.as_uri()).load()
            before = _world_triples(world)
            started = time.perf_counter()
            try:
                _run_hermit(world, property_values=materialize, timeout=timeout)
            except owlready2.OwlReadyInconsistentOntologyError as error:
                causes = _explain_inconsistency(triples, where)
                detail = (
                    "; ".join(causes[:_EXAMPLES])
                    + (f"; and {len(causes) - _EXAMPLES} more" if len(causes) > _EXAMPLES else "")
                    if causes
                    else "no simple cause (disjoint classes, a functional data property with "
                    "two values, a value outside a property's range) was found"
                )
                raise InconsistentGraphError(
                    f"{store_dir}: HermiT finds the build inconsistent with the ontology: {detail}"
                ) from error
            except subprocess.TimeoutExpired as error:
                raise MigKGError(
                    f"HermiT did not finish within {timeout:g} s; pass a larger --timeout"
                ) from error
            except owlready2.OwlReadyJavaError as error:
                message = str(error).strip().splitlines()
                summary = next((line for line in message if "Exception" in line), message[-1])
                raise MigKGError(f"HermiT failed: {summary.strip()}") from error
            seconds = time.perf_counter() - started
            after = _world_triples(world)
        finally:
            world.close()
    inferred = _parse_lines(after - before)
    result = ReasoningResult(
        len(triples), seconds, inferred, len(before - after), property_values=materialize
    )
    logger.info(
        "HermiT: consistent, %d inferred triple(s) in %.1f s", len(inferred), result.seconds
    )
    if materialize:
        inferred_graph = pyoxigraph.NamedNode(INFERRED_GRAPH)
        quads = [
            pyoxigraph.Quad(t.subject, t.predicate, t.object, inferred_graph) for t in inferred
        ]
        trig = pyoxigraph.serialize(
            quads, format=pyoxigraph.RdfFormat.TRIG, prefixes=VOCABULARY_PREFIXES
        )
        result.path = store_dir / INFERRED_TRIG
        write_atomic(result.path, _TRIG_HEADER + (trig or b""))
    return result
