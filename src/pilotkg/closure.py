"""The RDFS closure of the alignments, materialised with owlrl into its own named graph, so that
``?x a org:Organization`` finds enterprises and ``?x prov:wasDerivedFrom ?q`` finds quotes.

Only entailments about instances are kept (no axiomatic triples, no ``rdfs:Resource`` typing,
nothing about the vocabularies themselves). Inferences of the curators are not inputs: the
closure is computed over the ontology and the source graphs only.
"""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from .namespaces import ID, bind_prefixes


def rdfs_closure(ontology: Graph, facts: Iterable[Graph]) -> Graph:
    """Triples about instances (IRIs under the instance namespace) that RDFS entails from the
    ontology and ``facts`` and that none of them states."""
    work = Graph()
    for triple in ontology:
        work.add(triple)
    asserted = Graph()
    for graph in facts:
        for triple in graph:
            work.add(triple)
            asserted.add(triple)
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    closure = bind_prefixes(Graph())
    instance_ns = str(ID)
    for s, p, o in work:
        if not isinstance(s, URIRef) or not str(s).startswith(instance_ns):
            continue
        if (s, p, o) in asserted or (s, p, o) in ontology:
            continue
        if p == RDF.type and o in (RDFS.Resource, RDFS.Class, RDF.Property):
            continue
        if isinstance(o, Literal) and p == RDF.type:
            continue
        closure.add((s, p, o))
    return closure
