"""The RDFS closure of the alignments, materialised into its own named graph, so that
``?x a org:Organization`` finds enterprises and ``?x prov:wasDerivedFrom ?q`` finds quotes.

The rules are those of RDFS for instance data: rdfs2 and rdfs3 (domain, range), rdfs5 and
rdfs7 (sub-properties), rdfs9 and rdfs11 (sub-classes), applied to a fixpoint. Only triples about
instances are produced: no axiomatic triples, no ``rdfs:Resource`` typing, nothing about the
vocabularies. (owlrl's RDFS semantics also re-types literals by datatype subsumption and once
turned ``0`` into ``false``; those copies are noise, so the closure is computed here.)
The curators' inferences are not inputs: the closure covers the ontology and source graphs only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from .namespaces import ID, bind_prefixes


def _ancestors(ontology: Graph, relation: URIRef) -> dict[str, set[str]]:
    """Each term's strict ancestors under a transitive relation (subClassOf, subPropertyOf), by IRI."""
    parents: dict[str, set[str]] = {}
    for child, parent in ontology.subject_objects(relation):
        if isinstance(child, URIRef) and isinstance(parent, URIRef) and child != parent:
            parents.setdefault(str(child), set()).add(str(parent))
    closed: dict[str, set[str]] = {}
    for term in parents:
        seen: set[str] = set()
        stack = list(parents[term])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(parents.get(node, ()))
        seen.discard(term)
        closed[term] = seen
    return closed


class Closure:
    """The RDFS closure computed over a stream of statements, for terms of any RDF library:
    ``iri_of`` gives a term's IRI (None for a blank node or literal), ``is_literal`` tells a
    literal, ``make_iri`` makes a term of an IRI. Feed every asserted statement with
    :meth:`feed`; :meth:`statements` gives the entailed ones none of them states. Only the
    asserted statements the closure could repeat (typings and statements of a super-property)
    are kept, so memory grows with the instances, not with the statements."""

    TYPE = str(RDF.type)
    IGNORED = {str(RDFS.Resource), str(RDFS.Class), str(RDF.Property)}

    def __init__(self, ontology: Graph, *, iri_of: Callable[[Any], str | None], is_literal: Callable[[Any], bool],
                 make_iri: Callable[[str], Any]) -> None:
        self.super_classes = _ancestors(ontology, RDFS.subClassOf)
        self.super_properties = _ancestors(ontology, RDFS.subPropertyOf)
        self.domains: dict[str, set[str]] = {}
        self.ranges: dict[str, set[str]] = {}
        for prop, cls in ontology.subject_objects(RDFS.domain):
            self.domains.setdefault(str(prop), set()).add(str(cls))
        for prop, cls in ontology.subject_objects(RDFS.range):
            if not (str(cls).startswith(str(XSD)) or cls == RDFS.Literal):
                self.ranges.setdefault(str(prop), set()).add(str(cls))
        self.iri_of, self.is_literal, self.make_iri = iri_of, is_literal, make_iri
        self.targets = {self.TYPE}.union(*self.super_properties.values())
        self.asserted: set[tuple[Any, Any, Any]] = set()
        self.derived: list[tuple[Any, Any, Any]] = []
        self.types: dict[Any, set[str]] = {}
        self._iris: dict[str, Any] = {}
        self._plans: dict[Any, tuple[bool, tuple[Any, ...], bool, tuple[str, ...], tuple[str, ...]]] = {}

    def _iri(self, iri: str) -> Any:
        term = self._iris.get(iri)
        if term is None:
            term = self._iris[iri] = self.make_iri(iri)
        return term

    def _plan(self, p: Any) -> tuple[bool, tuple[Any, ...], bool, tuple[str, ...], tuple[str, ...]]:
        """What a predicate entails, worked out once per predicate: whether its statements may
        be repeated by the closure, its super-properties (as terms), whether it is rdf:type, and
        the classes its subjects and (non-literal) objects get."""
        predicate = self.iri_of(p)
        assert predicate is not None  # predicates are IRIs
        supers = tuple(self.super_properties.get(predicate, ()))
        props = (predicate, *supers)
        domains = tuple(sorted(set().union(*(self.domains.get(prop, ()) for prop in props))))
        ranges = tuple(sorted(set().union(*(self.ranges.get(prop, ()) for prop in props))))
        plan = (predicate in self.targets, tuple(self._iri(sup) for sup in supers), predicate == self.TYPE, domains, ranges)
        self._plans[p] = plan
        return plan

    def feed(self, s: Any, p: Any, o: Any) -> None:
        plan = self._plans.get(p)
        if plan is None:
            plan = self._plan(p)
        target, supers, typing, domains, ranges = plan
        if target:
            self.asserted.add((s, p, o))
        for sup in supers:
            self.derived.append((s, sup, o))
        if typing:
            cls = self.iri_of(o)
            if cls is not None:
                self.types.setdefault(s, set()).add(cls)
        if domains:
            self.types.setdefault(s, set()).update(domains)
        if ranges and not self.is_literal(o):
            self.types.setdefault(o, set()).update(ranges)

    def statements(self) -> Iterator[tuple[Any, Any, Any]]:
        """The entailed statements about instances (IRIs under the instance namespace) that no
        asserted statement states, each once."""
        instance_ns = str(ID)
        seen: set[tuple[Any, Any, Any]] = set()

        def fresh(triple: tuple[Any, Any, Any]) -> bool:
            iri = self.iri_of(triple[0])
            if iri is None or not iri.startswith(instance_ns) or triple in self.asserted or triple in seen:
                return False
            seen.add(triple)
            return True

        yield from (t for t in self.derived if fresh(t))
        rdf_type = self._iri(self.TYPE)
        for node, classes in self.types.items():
            for cls in set(classes):
                for sup in {cls} | self.super_classes.get(cls, set()):
                    if sup not in self.IGNORED and fresh((node, rdf_type, self._iri(sup))):
                        yield node, rdf_type, self._iri(sup)


def rdfs_closure(ontology: Graph, facts: Iterable[Graph]) -> Graph:
    """Triples about instances (IRIs under the instance namespace) that RDFS entails from the
    ontology and ``facts`` and that none of them states."""
    closure = Closure(ontology, iri_of=lambda t: str(t) if isinstance(t, URIRef) else None,
                      is_literal=lambda t: isinstance(t, Literal), make_iri=URIRef)
    seen: set[tuple[Node, Node, Node]] = set()
    for graph in facts:
        for triple in graph:
            if triple not in seen:
                seen.add(triple)
                closure.feed(*triple)
    result = bind_prefixes(Graph())
    for triple in closure.statements():
        result.add(triple)
    return result
