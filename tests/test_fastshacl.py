"""The fast SHACL engine (pilotkg.fastshacl) against pySHACL, the reference: exactly the same
results (focus node, path, value, source shape, constraint component, severity, message) on the
article's graph, on every shape fixture, on seeded random variations of the article's graph, on
the embedded store, and on shapes that use what the project's shapes do not (yet). Nested shapes
are checked both ways the engine evaluates them (SPARQL conditions and sets of nodes).

Run as a module to measure the engines on larger graphs (the article's data replicated)::

    python -m tests.test_fastshacl --copies 1 32 320
"""

from __future__ import annotations

import argparse
import logging
import random
import re
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SH

from pilotkg.build import ONTOLOGY_GRAPH, REFERENCE_GRAPH, SHAPES_GRAPH, serialize
from pilotkg.compliance import as_json, assess, earl_graph
from pilotkg.fastshacl import FastShaclError, UnsupportedShapeError, validate_fast
from pilotkg.namespaces import PK
from pilotkg.store import OxigraphStore
from pilotkg.validate import Validation, data_graph, validate_graph

from .test_shapes import CASES, SHAPES, base_graph, violating_graph

ID = "https://w3id.org/pilotkg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"  # a string: pytest trips over rdflib's XSD namespace class
Row = tuple[object, ...]


def rows(validation: Validation) -> list[Row]:
    return sorted(((r.focus, r.path, r.value, r.source_shape, r.component, r.severity, r.message)
                   for r in validation.results), key=repr)


def agree(data: Graph | Dataset, shapes: Graph, label: str, *, reference: Validation | None = None,
          both_ways: bool = True) -> tuple[list[Row], Validation]:
    """pySHACL's results, after checking that the fast engine gives them (both ways of
    evaluating nested shapes, unless ``both_ways`` is False); and the fast engine's validation."""
    reference = reference or validate_graph(data_graph(data) if isinstance(data, Dataset) else data, shapes)
    expected = rows(reference)
    first = None
    for conditions in (True, False) if both_ways else (True,):
        fast = validate_fast(data, shapes, conditions=conditions)
        first = first or fast
        got = rows(fast)
        only_ref, only_fast = sorted(set(expected) - set(got), key=repr), sorted(set(got) - set(expected), key=repr)
        assert (only_ref, only_fast) == ([], []), f"{label} (conditions={conditions}): only pySHACL {only_ref}; only fast {only_fast}"
        assert got == expected, f"{label}: the same results, not as many times"
        assert fast.conforms == reference.conforms, label
    assert first is not None
    return expected, first


#: The shapes with shapes inside (sh:or, sh:qualifiedValueShape): their cases run both ways.
NESTING = {s for s in CASES if SHAPES.value(s, SH["or"]) is not None or SHAPES.value(s, SH.qualifiedValueShape) is not None}


# ---------------------------------------------------------------------------------------------
# The article, the fixtures, the store


def test_the_article(dataset: Dataset) -> None:
    reference = validate_graph(data_graph(dataset), SHAPES)
    found, fast = agree(dataset, SHAPES, "the article", reference=reference)
    assert len(found) >= 20
    assert isomorphic(fast.report, reference.report), "the report graphs differ"
    ours, theirs = assess(dataset, fast), assess(dataset, reference)
    mine, expected = as_json(ours), as_json(theirs)
    mine["results"].sort(key=repr)
    expected["results"].sort(key=repr)
    assert mine == expected
    assert isomorphic(earl_graph(ours), earl_graph(theirs))


def test_every_fixture() -> None:
    assert agree(base_graph(), SHAPES, "base.ttl")[0] == []
    compared = 0
    assert CASES and NESTING, "no cases collected"
    for shape in sorted(CASES):
        graph = violating_graph(shape)
        reference = validate_graph(graph, SHAPES)
        found, fast = agree(graph, SHAPES, f"case {shape}", reference=reference, both_ways=shape in NESTING)
        assert any(r[3] == shape for r in found), f"{shape} did not fire"
        assert isomorphic(fast.report, reference.report), f"case {shape}: the reports differ"
        compared += len(found)
    assert compared >= len(CASES)


@pytest.fixture(scope="module")
def store(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    built = OxigraphStore(tmp_path_factory.mktemp("fastshacl") / "store")
    built.load_nquads(serialize(dataset)["pilotkg.nq"])
    return built


@pytest.mark.parametrize("listed", [16, 0], ids=["graphs-listed", "snapshot"])
def test_the_store_in_place(store: OxigraphStore, listed: int, monkeypatch: pytest.MonkeyPatch,
                            caplog: pytest.LogCaptureFixture) -> None:
    """The store holds inferences (which type nodes with classes the shapes target), the shapes
    and an earlier report too: none is validated, whether the graphs to validate are listed or a
    snapshot without the others is queried, and the store is left as it was."""
    import pilotkg.fastshacl as fastshacl

    monkeypatch.setattr(fastshacl, "MAX_LISTED_GRAPHS", listed)
    assert any("/graph/inferred/" in g for g in store.named_graphs())
    before = sorted(map(str, store.raw))
    reference = validate_graph(data_graph(store.to_dataset()), SHAPES)
    with caplog.at_level(logging.INFO, logger="pilotkg.fastshacl"):
        assert len(agree(store, SHAPES, "the store", reference=reference, both_ways=False)[0]) >= 20
    assert ("union graph of a snapshot without the" in caplog.text) == (listed == 0)
    assert sorted(map(str, store.raw)) == before
    assert not list(store.path.parent.glob(".pilotkg-validate.*"))


def test_a_snapshot_of_a_read_only_store_holds_its_last_update(store: OxigraphStore, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A store whose last update is still only in RocksDB's log (graphs moved into place, as a
    push does, by a process that did not flush): its snapshot must hold that update too (a
    checkpoint of a read-only store leaves the log out, and then validated the staged graphs)."""
    import pyoxigraph as ox

    import pilotkg.fastshacl as fastshacl

    monkeypatch.setattr(fastshacl, "MAX_LISTED_GRAPHS", 0)
    writer = ox.Store(str(tmp_path / "logged"))
    dumped = store.raw.dump(format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    writer.bulk_load(b"".join(re.sub(rb"<https://w3id\.org/pilotkg/id/graph/([^>]*)> \.\n$", rb"<urn:staged:\1> .\n", line)
                              for line in dumped if b"_:" not in line), format=ox.RdfFormat.N_QUADS)
    staged = sorted(g.value for g in writer.named_graphs() if g.value.startswith("urn:staged:"))
    assert staged, "no graph was staged"
    writer.flush()
    writer.update(" ; ".join(f"MOVE GRAPH <{g}> TO <https://w3id.org/pilotkg/id/graph/{g[len('urn:staged:'):]}>"
                             for g in staged))
    del writer  # no flush: the moves are in the log only
    logged = OxigraphStore(tmp_path / "logged", read_only=True)
    assert not [g for g in logged.named_graphs() if g.startswith("urn:staged:")]
    reference = validate_graph(data_graph(logged.to_dataset()), SHAPES)
    assert reference.results, "the reference found nothing to compare"
    agree(logged, SHAPES, "a store read while its log holds the last update", reference=reference, both_ways=False)


@pytest.mark.parametrize("with_shapes", [False, True], ids=["only-validated-graphs", "and-the-shapes-graph"])
def test_the_union_graph_of_many_graphs(dataset: Dataset, tmp_path: Path, with_shapes: bool,
                                        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """A store like the synthetic data's, with more graphs to validate than are listed: the union
    graph is queried, in place when nothing else holds data, else in a snapshot without the rest."""
    import pilotkg.fastshacl as fastshacl

    monkeypatch.setattr(fastshacl, "MAX_LISTED_GRAPHS", 0)
    only = Dataset()
    for graph in dataset.graphs():
        name = str(graph.identifier)
        if (name.startswith(ID + "graph/source/") or graph.identifier in (ONTOLOGY_GRAPH, REFERENCE_GRAPH)
                or (with_shapes and graph.identifier == SHAPES_GRAPH)):
            for triple in graph:
                only.graph(graph.identifier).add(triple)
    lone = OxigraphStore(tmp_path / "store")
    lone.load_nquads(only.serialize(format="nquads", encoding="utf-8"))
    with caplog.at_level(logging.INFO, logger="pilotkg.fastshacl"):
        agree(lone, SHAPES, "a store of source graphs", reference=validate_graph(data_graph(lone.to_dataset()), SHAPES),
              both_ways=False)
    assert ("union graph (no other graph holds data)" in caplog.text) == (not with_shapes)
    assert ("union graph of a snapshot without the graphs left out (1)" in caplog.text) == with_shapes
    assert not list(tmp_path.glob(".pilotkg-validate.*"))


# ---------------------------------------------------------------------------------------------
# Random variations of the article's graph


def perturb(graph: Graph, seed: int, changes: int = 12) -> Graph:
    """The graph with ``changes`` seeded random edits of its instance data: statements deleted,
    values duplicated, literals retyped, objects swapped for nodes of another class, language
    tags changed, nodes given a class some shape targets."""
    rng = random.Random(seed)
    triples = sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    instance = [t for t in triples if str(t[0]).startswith(ID)]
    literals = [t for t in instance if isinstance(t[2], Literal)]
    objects = [t for t in instance if isinstance(t[2], URIRef) and t[1] != RDF.type]
    nodes = sorted({t[0] for t in instance})
    classes = [PK.Observation, PK.Quote, PK.Designation, PK.Park, PK.Statement, PK.DesignatedElement]
    out = Graph()
    for t in triples:
        out.add(t)
    for _ in range(changes):
        kind = rng.choice(["delete", "duplicate", "retype", "swap", "lang", "type"])
        if kind == "delete":
            out.remove(rng.choice(instance))
        elif kind == "duplicate":
            s, p, o = rng.choice(literals + objects)
            other = rng.choice(objects)[2] if isinstance(o, URIRef) else Literal(f"{o} again", lang=o.language,
                                                                                  datatype=o.datatype)
            out.add((s, p, other))
        elif kind == "retype":
            s, p, o = rng.choice(literals)
            out.remove((s, p, o))
            out.add((s, p, rng.choice([Literal(str(o)), Literal(str(o), datatype=URIRef(XSD + "integer")),
                                       Literal("1.50", datatype=URIRef(XSD + "decimal")),
                                       Literal(str(o), datatype=URIRef(XSD + "string")),
                                       Literal("7", datatype=URIRef(XSD + "positiveInteger")),
                                       Literal(str(o), lang="EN"), Literal("-3", datatype=URIRef(XSD + "integer"))])))
        elif kind == "swap":
            s, p, o = rng.choice(objects)
            out.remove((s, p, o))
            out.add((s, p, rng.choice(nodes)))
        elif kind == "lang":
            s, p, o = rng.choice([t for t in literals if t[2].language] or literals)
            out.add((s, p, Literal(f"{o} ({seed})", lang=rng.choice(["en", "EN", "zh", "de"]))))
        else:
            out.add((rng.choice(nodes), RDF.type, rng.choice(classes)))
    return out


@pytest.fixture(scope="module")
def article(dataset: Dataset) -> tuple[Graph, set[Row]]:
    graph = data_graph(dataset)
    return graph, set(rows(validate_graph(graph, SHAPES)))


@pytest.mark.parametrize("seed", range(1, 7))
def test_random_variations_of_the_article(article: tuple[Graph, set[Row]], seed: int) -> None:
    graph, original = article
    varied = perturb(graph, seed)
    try:
        found = set(agree(varied, SHAPES, f"seed {seed}")[0])
    except FastShaclError as exc:  # pragma: no cover - the seeds are chosen so that this does not happen
        pytest.fail(f"seed {seed}: {exc}")
    assert found != original, f"seed {seed} changed nothing the shapes see: not a test"


#: Shapes using what the project's shapes do not (yet): every core component the engine supports,
#: inverse, sequence, alternative and closure paths, implicit class targets, deactivation, a
#: custom severity, SPARQL with $PATH and message templates.
EXTRA_SHAPES = r'''
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .

ex: a owl:Ontology ; sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/ns#"^^xsd:anyURI ] .

ex:NotShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "not a retired thing"@en ;
    sh:not [ sh:path ex:status ; sh:hasValue ex:Retired ] .
ex:AndShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "and"@en ; sh:severity sh:Info ;
    sh:and ( [ sh:path ex:name ; sh:minCount 1 ] [ sh:path ex:code ; sh:minLength 3 ; sh:maxLength 5 ] ) .
ex:XoneShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "xone"@en ; sh:severity sh:Warning ;
    sh:xone ( [ sh:path ex:a ; sh:minCount 1 ] [ sh:path ex:b ; sh:minCount 1 ] ) .
ex:NodeRef a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:part ; sh:message "part"@en ; sh:node ex:PartShape .
ex:PartShape a sh:NodeShape ; sh:message "a part needs a weight"@en ;
    sh:property [ sh:path ex:weight ; sh:minCount 1 ; sh:datatype xsd:decimal ; sh:message "weight"@en ] .
ex:Nested a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "nested"@en ;
    sh:property ex:NestedName .
ex:NestedName a sh:PropertyShape ; sh:path ex:name ; sh:maxCount 1 ; sh:message "one name"@en .
ex:Inverse a sh:PropertyShape ; sh:targetClass ex:Part ; sh:path [ sh:inversePath ex:part ] ; sh:maxCount 1 ;
    sh:class ex:Thing ; sh:message "one owner"@en .
ex:InverseSeq a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path [ sh:inversePath ( ex:part ex:part ) ] ;
    sh:nodeKind sh:IRI ; sh:message "inverse sequence"@en .
ex:Alt a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path [ sh:alternativePath ( ex:a ex:b ) ] ;
    sh:maxCount 1 ; sh:message "alternatives"@en .
ex:Star a sh:PropertyShape ; sh:targetNode ex:t1 , "lit" ; sh:path [ sh:zeroOrMorePath ex:next ] ;
    sh:nodeKind sh:IRI ; sh:message "chain"@en .
ex:Plus a sh:PropertyShape ; sh:targetSubjectsOf ex:next ; sh:path [ sh:oneOrMorePath ex:next ] ;
    sh:class ex:Thing ; sh:message "next things"@en .
ex:Opt a sh:PropertyShape ; sh:targetObjectsOf ex:part ; sh:path [ sh:zeroOrOnePath ex:weight ] ;
    sh:nodeKind sh:BlankNodeOrIRI ; sh:message "opt"@en ; sh:severity ex:CustomSeverity .
ex:Off a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:name ; sh:minCount 5 ; sh:deactivated true ; sh:message "off"@en .
ex:Ranges a sh:PropertyShape ; sh:targetClass ex:Part ; sh:path ex:weight ; sh:maxInclusive 10 ; sh:minExclusive 0 ;
    sh:maxExclusive 100.5 ; sh:message "range"@en .
ex:Dates a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:when ; sh:minInclusive "2000-01-01"^^xsd:date ;
    sh:datatype xsd:date ; sh:message "date"@en .
ex:Pairs a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:low ; sh:lessThanOrEquals ex:high ; sh:message "pairs"@en .
ex:Pat a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:code ; sh:pattern "^ab" ; sh:flags "i" ; sh:message "pat"@en .
ex:Length a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:code ; sh:minLength 2 ; sh:maxLength 4 ; sh:message "length"@en .
ex:Pat2 a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:code ; sh:pattern "\\d{2}" ; sh:message "pat2"@en .
ex:Lang a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:name ; sh:languageIn ( "en" "zh-Hans" ) ; sh:uniqueLang true ;
    sh:message "lang"@en .
ex:Count2 a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:tag ; sh:minCount 2 ; sh:maxCount 3 ; sh:message "tags"@en .
ex:InList a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:tag ; sh:in ( "a" "b" 1 1.50 ex:c ) ; sh:message "in"@en .
ex:Qual a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:part ; sh:message "qual"@en ;
    sh:qualifiedValueShape [ sh:path ex:weight ; sh:minCount 1 ] ; sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 .
ex:Parent a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "parent"@en ; sh:property ex:QA , ex:QB .
ex:QA a sh:PropertyShape ; sh:path ex:part ; sh:message "qa"@en ; sh:qualifiedValueShapesDisjoint true ;
    sh:qualifiedValueShape [ sh:class ex:Part ] ; sh:qualifiedMinCount 1 .
ex:QB a sh:PropertyShape ; sh:path ex:part ; sh:message "qb"@en ; sh:qualifiedValueShapesDisjoint true ;
    sh:qualifiedValueShape [ sh:path ex:weight ; sh:minCount 1 ] ; sh:qualifiedMaxCount 0 .
ex:OrSet a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:code ; sh:message "orset"@en ;
    sh:or ( [ sh:pattern "^x" ] [ sh:datatype xsd:integer ] ) .
ex:Sparql a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:part ; sh:message "shape says {$this}"@en ;
    sh:sparql [ sh:prefixes ex: ; sh:message "{$this} has {?value} via {?path}, weight {?w}"@en ;
        sh:select """SELECT $this ?value ?w WHERE { $this $PATH ?value . OPTIONAL { ?value ex:weight ?w }
                     FILTER(!BOUND(?w) || (isNumeric(?w) && ?w > 5)) }""" ] .
ex:SparqlNode a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "node sparql"@en ;
    sh:sparql [ sh:prefixes ex: ; sh:select """SELECT $this ?path WHERE { $this ?path ex:Retired }""" ] .
ex:ClassImplicit a rdfs:Class , sh:NodeShape ; sh:message "implicit"@en ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "implicit name"@en ] .
'''

EXTRA_DATA = r'''
@prefix ex: <http://example.org/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:SubThing rdfs:subClassOf ex:Thing .
ex:t1 a ex:Thing ; ex:name "One"@en , "Un"@fr ; ex:status ex:Retired ; ex:code "abc" , "ABx12" , 12 ; ex:a 1 ; ex:b 2 ;
    ex:part ex:p1 , ex:p2 ; ex:next ex:t2 ; ex:tag "a" , "z" , 1 , 1.5 , "1.50"^^xsd:decimal ;
    ex:when "1999-12-31"^^xsd:date , "2001-01-01"^^xsd:date ;
    ex:low 5 , "x" ; ex:high 4 , 9 .
ex:t2 a ex:SubThing ; ex:name "Two"@EN , "Deux"@en ; ex:code "xy" ; ex:next ex:t3 , "lit" ; ex:part ex:p2 ; ex:tag ex:c ;
    ex:when "2020-01-01" .
ex:t3 a ex:Thing , ex:ClassImplicit ; ex:code "a" ; ex:tag "b" , "b"^^xsd:string ; ex:name "三"@zh-Hans .
ex:p1 a ex:Part ; ex:weight 12.5 , "heavy" .
ex:p2 a ex:Part ; ex:weight 0 .
ex:p3 ex:weight -1 .
_:b1 a ex:Thing ; ex:part _:b2 ; ex:code "x1" .
_:b2 a ex:Part ; ex:weight 3 .
'''


# ---------------------------------------------------------------------------------------------
# What the project's shapes do not use yet, and literals Oxigraph writes differently


def test_features_beyond_the_project_shapes() -> None:
    shapes = Graph().parse(data=EXTRA_SHAPES, format="turtle")
    data = Graph().parse(data=EXTRA_DATA, format="turtle")
    reference = validate_graph(data, shapes)
    found, fast = agree(data, shapes, "extra shapes", reference=reference)
    components = {r[4] for r in found}
    for name in ("Not", "And", "Xone", "Node", "Or", "QualifiedMinCount", "QualifiedMaxCount", "LessThanOrEquals",
                 "MaxInclusive", "MinExclusive", "MinLength", "MaxLength", "Pattern", "LanguageIn", "UniqueLang", "In",
                 "SPARQL", "MinCount", "MaxCount", "Class", "Datatype", "NodeKind"):
        assert SH[f"{name}ConstraintComponent"] in components, f"{name} was not exercised"
    assert isomorphic(fast.report, reference.report)


def test_literals_oxigraph_writes_differently() -> None:
    """xsd:positiveInteger and xsd:integer, 1.50 and 1.5, @EN and @en, "x"^^xsd:string and "x":
    one term each in Oxigraph, two in rdflib; the counts and the values reported are rdflib's."""
    ex = "http://example.org/ns#"
    shapes = Graph().parse(data=f"""
        @prefix sh: <{SH}> . @prefix ex: <{ex}> . @prefix xsd: <{XSD}> .
        ex:S a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:v ; sh:maxCount 1 ; sh:message "one"@en .
        ex:D a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:v ; sh:datatype xsd:integer ; sh:message "int"@en .
        ex:I a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:v ; sh:in ( 1 1.5 "x" ) ; sh:message "in"@en .
        ex:L a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:label ; sh:uniqueLang true ; sh:message "lang"@en .
        ex:P a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:v ; sh:pattern "^[0-9]+$" ; sh:message "digits"@en .
    """, format="turtle")
    data = Graph().parse(data=f"""
        @prefix ex: <{ex}> . @prefix xsd: <{XSD}> .
        ex:a a ex:T ; ex:v 1 , "1"^^xsd:positiveInteger ; ex:label "A"@en , "B"@EN .
        ex:b a ex:T ; ex:v 1.50 , 1.5 .
        ex:c a ex:T ; ex:v "x" , "x"^^xsd:string .
        ex:d a ex:T ; ex:v "01"^^xsd:integer , "1.0"^^xsd:decimal .
    """, format="turtle")
    assert len(agree(data, shapes, "rewritten literals")[0]) >= 8


# ---------------------------------------------------------------------------------------------
# What the engine refuses: loudly, naming the shape and the component


def shapes_with(text: str) -> Graph:
    return Graph().parse(data=f"""@prefix sh: <{SH}> . @prefix ex: <http://example.org/ns#> .
        @prefix rdfs: <{RDFS}> .
        {text}""", format="turtle")


@pytest.mark.parametrize(("text", "component"), [
    ("ex:S a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:p ; sh:equals ex:q ; sh:message 'm' .",
     "EqualsConstraintComponent"),
    ("ex:S a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:p ; sh:disjoint ex:q ; sh:message 'm' .",
     "DisjointConstraintComponent"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:closed true ; sh:message 'm' .", "ClosedConstraintComponent"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:message 'm' ; sh:sparql [ sh:select "
     "'SELECT $this (COUNT(?x) AS ?n) WHERE { $this ex:p ?x } GROUP BY $this' ] .", "SPARQLConstraintComponent"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:message 'm' ; sh:target [ a ex:T ] .", "sh:target"),
    ("ex:S a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:p ; sh:minCount 1 .", "generic message"),
    ("ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:limit ] ; sh:validator [ sh:select 'SELECT $this WHERE {}' ] .\n"
     "ex:S a sh:NodeShape ; sh:targetClass ex:T ; ex:limit 3 ; sh:message 'm' .", "custom constraint component"),
])
def test_an_unsupported_feature_is_refused_by_name(text: str, component: str) -> None:
    data = Graph().parse(data="<http://example.org/ns#x> a <http://example.org/ns#T> .", format="turtle")
    with pytest.raises(UnsupportedShapeError) as raised:
        validate_fast(data, shapes_with(text))
    assert "http://example.org/ns#S" in str(raised.value) and component in str(raised.value)


def test_neither_the_data_nor_the_shapes_change(dataset: Dataset) -> None:
    before_data, before_shapes = len(dataset), len(SHAPES)
    validate_fast(dataset, SHAPES)
    assert (len(dataset), len(SHAPES)) == (before_data, before_shapes)


def test_blank_node_data_keeps_its_identifiers() -> None:
    data = Graph().parse(data="""@prefix ex: <http://example.org/ns#> .
        [] a ex:T ; ex:p [ ex:q 1 ] .""", format="turtle")
    shapes = shapes_with("ex:S a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:p ; sh:nodeKind sh:IRI ; sh:message 'iri' .")
    found = agree(data, shapes, "blank nodes")[0]
    assert len(found) == 1 and isinstance(found[0][0], BNode) and isinstance(found[0][2], BNode)


# ---------------------------------------------------------------------------------------------
# Measuring (not a test): python -m tests.test_fastshacl --copies 1 32 320 --pyshacl-up-to 120000


def replicate(graph: Graph, copies: int) -> Graph:
    """The article's data ``copies`` times, each copy's IRIs renamed (the ontology and the six
    requirements, which the shapes name, kept once)."""
    return Graph().parse(data=replicate_nquads(graph, copies).decode("utf-8"), format="nquads")


def replicate_nquads(graph: Graph, copies: int) -> bytes:
    """:func:`replicate` as N-Quads, each copy in a source graph of its own, the rest in the
    ontology graph (written by text substitution: fast enough for a million statements)."""
    import re

    keep = ID + "requirement/"
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    shared = [x for x in lines if x and not x.startswith(f"<{ID}") and not x.startswith("_:")]
    own = [x for x in lines if x and x not in set(shared)]
    iri = re.compile(r"<(" + re.escape(ID) + r"[^>]*)>|(_:[A-Za-z0-9]+)")
    ontology = f"<{ONTOLOGY_GRAPH}>"
    out = [f"{x[:-1].rstrip()} {ontology} ." for x in shared]
    for k in range(copies):
        def rename(m: re.Match[str], k: int = k) -> str:
            if m.group(2):
                return f"{m.group(2)}r{k}"
            return m.group(0) if m.group(1).startswith(keep) else f"<{m.group(1)}-r{k}>"
        graph_name = f"<{ID}graph/source/copy-{k}>"
        out += [f"{iri.sub(rename, x)[:-1].rstrip()} {graph_name} ." for x in own]
    return ("\n".join(out) + "\n").encode("utf-8")


def _timed(job: Callable[[], Validation]) -> tuple[Validation, float, float]:  # pragma: no cover
    started, cpu = time.perf_counter(), time.process_time()
    result = job()
    return result, time.perf_counter() - started, time.process_time() - cpu


def _bench(copies: list[int], pyshacl_up_to: int) -> None:  # pragma: no cover - a measurement
    import tempfile

    from pilotkg.build import assemble

    base = data_graph(assemble(validate=False).dataset)
    for n in copies:
        nquads = replicate_nquads(base, n)
        with tempfile.TemporaryDirectory() as folder:
            built = OxigraphStore(Path(folder) / "store")
            built.load_nquads(nquads)
            size = len(built)
            built.close()
            store = OxigraphStore(Path(folder) / "store", read_only=True)
            in_place, wall, cpu = _timed(partial(validate_fast, store, SHAPES))
            print(f"\n{n} copies, {size} statements in {n} source graphs and the ontology graph")
            print(f"  fast, Oxigraph store in place: {wall:.2f} s wall, {cpu:.2f} s CPU, {len(in_place.results)} results")
            if size > pyshacl_up_to:
                continue
            graph = data_graph(store.to_dataset())
        fast, fwall, fcpu = _timed(partial(validate_fast, graph, SHAPES))
        print(f"  fast, rdflib graph (loaded into a temporary store): {fwall:.2f} s wall, {fcpu:.2f} s CPU")
        reference, swall, scpu = _timed(partial(validate_graph, graph, SHAPES))
        same = rows(reference) == rows(fast) and {r[:2] + r[3:] for r in rows(reference)} == {r[:2] + r[3:] for r in rows(in_place)}
        print(f"  pySHACL, rdflib graph: {swall:.2f} s wall, {scpu:.2f} s CPU; same results: {same}")
        print(f"  ratio pySHACL/fast: {swall / wall:.1f}x wall, {scpu / cpu:.1f}x CPU (store); "
              f"{swall / fwall:.1f}x wall, {scpu / fcpu:.1f}x CPU (rdflib graph)")


if __name__ == "__main__":  # pragma: no cover
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 32])
    parser.add_argument("--pyshacl-up-to", type=int, default=150_000, help="run pySHACL up to this many statements")
    args = parser.parse_args()
    _bench(args.copies, args.pyshacl_up_to)


def test_validate_engine_option_names_the_engine(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """pilotkg validate --engine fast and --engine pyshacl give the same report, each naming its engine."""
    import json as _json

    from pilotkg.cli import main

    reports = {}
    for engine in ("pyshacl", "fast"):
        target = tmp_path / f"{engine}.json"
        assert main(["validate", "--engine", engine, "-o", str(target)]) == 0
        assert f"validation ({engine})" in capsys.readouterr().err
        reports[engine] = _json.loads(target.read_text(encoding="utf-8"))
    assert reports["pyshacl"].pop("engine") == "pyshacl" and reports["fast"].pop("engine") == "fast"
    assert reports["pyshacl"] == reports["fast"]
