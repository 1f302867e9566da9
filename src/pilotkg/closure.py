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

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from .namespaces import ID, bind_prefixes


def _ancestors(ontology: Graph, relation: URIRef) -> dict[Node, set[URIRef]]:
    """Each term's strict ancestors under a transitive relation (subClassOf, subPropertyOf).
    The keys are IRIs; they are typed ``Node`` so that any node of a graph can be looked up."""
    parents: dict[URIRef, set[URIRef]] = {}
    for child, parent in ontology.subject_objects(relation):
        if isinstance(child, URIRef) and isinstance(parent, URIRef) and child != parent:
            parents.setdefault(child, set()).add(parent)
    closed: dict[Node, set[URIRef]] = {}
    for term in parents:
        seen: set[URIRef] = set()
        stack = list(parents[term])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(parents.get(node, ()))
        seen.discard(term)
        closed[term] = seen
    return closed


def rdfs_closure(ontology: Graph, facts: Iterable[Graph]) -> Graph:
    """Triples about instances (IRIs under the instance namespace) that RDFS entails from the
    ontology and ``facts`` and that none of them states."""
    super_classes = _ancestors(ontology, RDFS.subClassOf)
    super_properties = _ancestors(ontology, RDFS.subPropertyOf)
    domains: dict[Node, set[Node]] = {}
    ranges: dict[Node, set[Node]] = {}
    for prop, cls in ontology.subject_objects(RDFS.domain):
        domains.setdefault(prop, set()).add(cls)
    for prop, cls in ontology.subject_objects(RDFS.range):
        ranges.setdefault(prop, set()).add(cls)

    asserted = Graph()
    for graph in facts:
        for triple in graph:
            asserted.add(triple)
    instance_ns = str(ID)
    closure = bind_prefixes(Graph())

    def add(s, p, o) -> None:
        if isinstance(s, URIRef) and str(s).startswith(instance_ns) and (s, p, o) not in asserted:
            closure.add((s, p, o))

    types: dict[Node, set[Node]] = {}
    for s, p, o in asserted:
        properties = {p} | super_properties.get(p, set())
        for sup in properties - {p}:
            add(s, sup, o)
        if p == RDF.type and isinstance(o, URIRef):
            types.setdefault(s, set()).add(o)
        for prop in properties:
            for cls in domains.get(prop, ()):
                types.setdefault(s, set()).add(cls)
            if not isinstance(o, Literal):
                for cls in ranges.get(prop, ()):
                    if str(cls).startswith("http://www.w3.org/2001/XMLSchema#") or cls == RDFS.Literal:
                        continue
                    types.setdefault(o, set()).add(cls)
    for node, classes in types.items():
        for cls in set(classes):
            for sup in {cls} | super_classes.get(cls, set()):
                if sup not in (RDFS.Resource, RDFS.Class, RDF.Property):
                    add(node, RDF.type, sup)
    return closure
