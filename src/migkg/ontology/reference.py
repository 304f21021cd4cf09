"""Render the Markdown reference of the migkg ontology (``docs/ontology.md``) from its RDF graph.

Every ``mig:`` class and property is listed with its label, comment and alignments
(super-classes and super-properties, equivalents, disjoint classes, domains and ranges,
inverses, property chains, ``rdfs:seeAlso``), followed by the external terms the ontology
declares. The output is deterministic, so the reference can be regenerated and diffed::

    python -m migkg.ontology.reference docs/ontology.md
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from migkg.ontology.terms import MIG, ONTOLOGY_IRI

__all__ = ["ONTOLOGY_PATH", "main", "render_reference"]

ONTOLOGY_PATH = Path(__file__).with_name("migkg.ttl")
"""The ontology file shipped next to this module."""

_MIG = str(MIG)

_PREFIXES: tuple[tuple[str, str], ...] = (
    ("mig", _MIG),
    ("migd", "https://w3id.org/migkg/id/"),
    ("dcterms", str(DCTERMS)),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("oa", "http://www.w3.org/ns/oa#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("owl", str(OWL)),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("rdf", str(RDF)),
    ("rdfs", str(RDFS)),
    ("schema", "https://schema.org/"),
    ("skos", str(SKOS)),
    ("vann", "http://purl.org/vocab/vann/"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
)

_SECTIONS: tuple[tuple[URIRef, str, str], ...] = (
    (OWL.Class, "Classes", "class"),
    (OWL.ObjectProperty, "Object properties", "op"),
    (OWL.DatatypeProperty, "Datatype properties", "dp"),
    (OWL.AnnotationProperty, "Annotation properties", "ap"),
)


def render_reference(graph: Graph) -> str:
    """Return the Markdown reference of the ontology held in ``graph``.

    Args:
        graph: A graph holding the migkg ontology (``migkg.ttl``); other triples are ignored
            unless they describe ``mig:`` terms.

    Returns:
        The reference as Markdown text, ending with a newline.
    """
    renderer = _Renderer(graph)
    return renderer.render()


class _Renderer:
    """Walks the ontology graph and accumulates Markdown lines."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.lines: list[str] = []
        self.anchors: dict[URIRef, str] = {}
        self.terms: dict[URIRef, list[URIRef]] = {}
        for rdf_type, _title, anchor_prefix in _SECTIONS:
            terms = sorted(
                (
                    term
                    for term in set(graph.subjects(RDF.type, rdf_type))
                    if isinstance(term, URIRef) and str(term).startswith(_MIG)
                ),
                key=_local,
            )
            self.terms[rdf_type] = terms
            for term in terms:
                self.anchors.setdefault(term, f"{anchor_prefix}-{_local(term).lower()}")

    # -- output -------------------------------------------------------------------------------

    def render(self) -> str:
        """Render the whole reference."""
        self._header()
        for rdf_type, title, _anchor_prefix in _SECTIONS:
            self._section(rdf_type, title)
        self._disjointness()
        self._external()
        text = "\n".join(self.lines).rstrip("\n")
        return text + "\n"

    def _emit(self, *lines: str) -> None:
        self.lines.extend(lines)

    def _header(self) -> None:
        graph = self.graph
        title = self._text(ONTOLOGY_IRI, DCTERMS.title) or "migkg ontology"
        self._emit(
            f"# {title}",
            "",
            "<!-- Generated from src/migkg/ontology/migkg.ttl by "
            "`python -m migkg.ontology.reference docs/ontology.md`; do not edit by hand. -->",
            "",
        )
        description = self._text(ONTOLOGY_IRI, DCTERMS.description)
        if description:
            self._emit(description, "")
        facts: list[tuple[str, str]] = [("Ontology IRI", f"`{ONTOLOGY_IRI}`")]
        for label, predicate in (
            ("Version IRI", OWL.versionIRI),
            ("Version", OWL.versionInfo),
            ("Created", DCTERMS.created),
            ("License", DCTERMS.license),
        ):
            value = graph.value(ONTOLOGY_IRI, predicate)
            if value is not None:
                facts.append((label, f"`{value}`" if isinstance(value, URIRef) else str(value)))
        counts = ", ".join(
            f"{len(self.terms[rdf_type])} {title.lower()}" for rdf_type, title, _ in _SECTIONS
        )
        facts.append(("Terms", counts))
        self._emit(*(f"- **{label}:** {value}" for label, value in facts), "")
        self._emit("## Prefixes", "", "| Prefix | Namespace |", "| --- | --- |")
        self._emit(*(f"| `{prefix}:` | `{namespace}` |" for prefix, namespace in _PREFIXES), "")
        self._emit("## Contents", "")
        for rdf_type, title, _anchor_prefix in _SECTIONS:
            links = ", ".join(self._link(term) for term in self._ordered(rdf_type))
            self._emit(f"- **{title}:** {links}")
        self._emit("")
        self._emit("## Class hierarchy", "", "```text")
        for depth, term in self._tree(OWL.Class, RDFS.subClassOf):
            self._emit(f"{'    ' * depth}{self._curie(term)}")
        self._emit("```", "")

    def _section(self, rdf_type: URIRef, title: str) -> None:
        self._emit(f"## {title}", "")
        for term in self._ordered(rdf_type):
            self._term(term, rdf_type)

    def _term(self, term: URIRef, rdf_type: URIRef) -> None:
        graph = self.graph
        self._emit(f'<a id="{self.anchors[term]}"></a>', "", f"### `{self._curie(term)}`", "")
        label = self._text(term, RDFS.label)
        comment = self._text(term, RDFS.comment)
        self._emit(f"**{label or _local(term)}** — `{term}`", "")
        if comment:
            self._emit(comment, "")
        rows: list[tuple[str, str]] = []
        extra_types = sorted(self._curie(t) for t in graph.objects(term, RDF.type) if t != rdf_type)
        if extra_types:
            rows.append(("Characteristics", ", ".join(extra_types)))
        if rdf_type == OWL.Class:
            rows.append(("Subclass of", self._list(graph.objects(term, RDFS.subClassOf))))
            rows.append(("Equivalent to", self._list(self._equivalents(term, OWL.equivalentClass))))
            rows.append(("Subclasses", self._list(graph.subjects(RDFS.subClassOf, term))))
            rows.append(("Disjoint with", self._list(self._disjoint_with(term))))
            rows.append(("Domain of", self._list(self._used_in(term, RDFS.domain))))
            rows.append(("Range of", self._list(self._used_in(term, RDFS.range))))
        else:
            rows.append(("Subproperty of", self._list(graph.objects(term, RDFS.subPropertyOf))))
            rows.append(
                ("Equivalent to", self._list(self._equivalents(term, OWL.equivalentProperty)))
            )
            rows.append(("Subproperties", self._list(graph.subjects(RDFS.subPropertyOf, term))))
            rows.append(("Inverse of", self._list(self._equivalents(term, OWL.inverseOf))))
            rows.append(("Domain", self._list(graph.objects(term, RDFS.domain))))
            rows.append(("Range", self._list(graph.objects(term, RDFS.range))))
            chains = [
                " / ".join(self._path_step(step) for step in Collection(graph, chain))
                for chain in graph.objects(term, OWL.propertyChainAxiom)
                if isinstance(chain, BNode)
            ]
            rows.append(("Implied by chain", ", ".join(f"`{c}`" for c in sorted(chains))))
        slug = graph.value(term, MIG.kindSlug)
        if slug is not None:
            rows.append(("Kind slug", f'`"{slug}"`'))
        rows.append(("See also", self._list(graph.objects(term, RDFS.seeAlso))))
        self._emit(*(f"- **{name}:** {value}" for name, value in rows if value), "")

    def _disjointness(self) -> None:
        graph = self.graph
        self._emit("## Disjointness axioms", "")
        groups: list[str] = []
        for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
            members = graph.value(axiom, OWL.members)
            if isinstance(members, BNode):
                groups.append(
                    "Pairwise disjoint: "
                    + ", ".join(self._describe(m) for m in Collection(graph, members))
                )
        for left, right in graph.subject_objects(OWL.disjointWith):
            groups.append(f"{self._describe(left)} is disjoint with {self._describe(right)}")
        self._emit(*(f"- {group}" for group in sorted(groups)), "")

    def _external(self) -> None:
        graph = self.graph
        self._emit(
            "## External terms",
            "",
            "Declared (not imported) so that the ontology is OWL 2 DL on its own.",
            "",
        )
        for rdf_type, title, _anchor_prefix in _SECTIONS:
            external = sorted(
                (
                    term
                    for term in set(graph.subjects(RDF.type, rdf_type))
                    if isinstance(term, URIRef) and not str(term).startswith(_MIG)
                ),
                key=self._curie,
            )
            if external:
                names = ", ".join(f"`{self._curie(term)}`" for term in external)
                self._emit(f"- **{title}:** {names}")
        self._emit("")

    # -- queries ------------------------------------------------------------------------------

    def _ordered(self, rdf_type: URIRef) -> list[URIRef]:
        """The terms of one section, parents before children."""
        parent = RDFS.subClassOf if rdf_type == OWL.Class else RDFS.subPropertyOf
        return [term for _depth, term in self._tree(rdf_type, parent)]

    def _tree(self, rdf_type: URIRef, parent: URIRef) -> list[tuple[int, URIRef]]:
        """Depth-first walk of the mig: terms of one type along ``parent`` links."""
        terms = self.terms[rdf_type]
        members = set(terms)
        children: dict[URIRef, list[URIRef]] = {term: [] for term in terms}
        roots: list[URIRef] = []
        for term in terms:
            parents = [
                p
                for p in self.graph.objects(term, parent)
                if isinstance(p, URIRef) and p in members
            ]
            if not parents:
                roots.append(term)
            for p in parents:
                children[p].append(term)
        walk: list[tuple[int, URIRef]] = []
        seen: set[URIRef] = set()

        def visit(term: URIRef, depth: int) -> None:
            if term in seen:
                return
            seen.add(term)
            walk.append((depth, term))
            for child in sorted(children[term], key=_local):
                visit(child, depth + 1)

        for root in roots:
            visit(root, 0)
        return walk

    def _equivalents(self, term: URIRef, predicate: URIRef) -> list[Node]:
        """Named terms linked to ``term`` by a symmetric ``predicate``, in either direction."""
        graph = self.graph
        linked = [*graph.objects(term, predicate), *graph.subjects(predicate, term)]
        return [node for node in linked if isinstance(node, URIRef)]

    def _disjoint_with(self, term: URIRef) -> list[Node]:
        graph = self.graph
        found: list[Node] = [*self._equivalents(term, OWL.disjointWith)]
        for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
            members = graph.value(axiom, OWL.members)
            if isinstance(members, BNode):
                listed = list(Collection(graph, members))
                if term in listed:
                    found.extend(m for m in listed if m != term)
        return found

    def _used_in(self, term: URIRef, predicate: URIRef) -> list[Node]:
        """Properties whose domain or range is ``term`` or a union that contains it."""
        graph = self.graph
        found: list[Node] = []
        for prop, value in graph.subject_objects(predicate):
            if value == term or (isinstance(value, BNode) and term in self._union(value)):
                found.append(prop)
        return found

    def _union(self, node: BNode) -> list[Node]:
        members = self.graph.value(node, OWL.unionOf)
        return list(Collection(self.graph, members)) if isinstance(members, BNode) else []

    def _text(self, subject: Node, predicate: URIRef) -> str:
        """The English (or untagged) literal value, normalized to one line."""
        values = [v for v in self.graph.objects(subject, predicate) if isinstance(v, Literal)]
        values.sort(key=lambda v: (v.language not in ("en", None), str(v)))
        return " ".join(str(values[0]).split()) if values else ""

    # -- formatting ---------------------------------------------------------------------------

    def _curie(self, term: Node) -> str:
        text = str(term)
        for prefix, namespace in _PREFIXES:
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace) :]}"
        return f"<{text}>"

    def _link(self, term: URIRef) -> str:
        return f"[`{self._curie(term)}`](#{self.anchors[term]})"

    def _describe(self, node: Node) -> str:
        """A term as a link (mig:), code (other IRIs) or readable class expression."""
        if isinstance(node, URIRef):
            return self._link(node) if node in self.anchors else f"`{self._curie(node)}`"
        if isinstance(node, BNode):
            union = self._union(node)
            if union:
                return "(" + " or ".join(self._describe(m) for m in union) + ")"
            inverse = self.graph.value(node, OWL.inverseOf)
            if inverse is not None:
                return f"inverse of {self._describe(inverse)}"
        return f"`{node}`"

    def _path_step(self, node: Node) -> str:
        inverse = self.graph.value(node, OWL.inverseOf) if isinstance(node, BNode) else None
        return f"^{self._curie(inverse)}" if inverse is not None else self._curie(node)

    def _list(self, nodes: Iterable[Node]) -> str:
        described = sorted({self._describe(node) for node in nodes})
        return ", ".join(described)


def _local(term: Node) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def main(argv: list[str] | None = None) -> int:
    """Write the reference of the shipped ontology to the file named in ``argv`` (or stdout)."""
    args = sys.argv[1:] if argv is None else argv
    graph = Graph().parse(ONTOLOGY_PATH, format="turtle")
    text = render_reference(graph)
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
