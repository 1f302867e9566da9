"""Every shape has a conforming fixture (base.ttl) and a violating one (a case of cases.ttl):
the violating graph must produce a result whose sh:sourceShape is that shape with the expected
constraint component, and the conforming one none from it. Run data-driven; the case list is
asserted to cover every shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH

from pilotkg.assets import data_dir
from pilotkg.build import load_ontology
from pilotkg.namespaces import PK
from pilotkg.validate import load_shapes, validate_graph

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
T = Namespace("https://w3id.org/pilotkg/test#")
SHAPES = load_shapes()
ONTOLOGY = load_ontology()


def top_level_shapes(shapes: Graph) -> list[URIRef]:
    found = {s for cls in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, cls) if isinstance(s, URIRef)}
    return sorted(found)


def load_cases() -> dict[URIRef, tuple[URIRef, str]]:
    cases = Graph().parse(FIXTURES / "cases.ttl")
    return {cases.value(c, T.shape): (cases.value(c, T.component), str(cases.value(c, T.update)))  # type: ignore[misc]
            for c in cases.subjects(RDF.type, T.Case)}


CASES = load_cases()
PREFIXES = (FIXTURES / "prefixes.rq").read_text(encoding="utf-8")


def base_graph() -> Graph:
    graph = Graph()
    for triple in ONTOLOGY:
        graph.add(triple)
    graph.parse(FIXTURES / "base.ttl")
    return graph


def test_every_shape_is_collected_and_documented() -> None:
    shapes = top_level_shapes(SHAPES)
    assert len(shapes) >= 50
    for shape in shapes:
        for prop in (SH.name, SH.description, SH.message):
            values = [v for v in SHAPES.objects(shape, prop) if isinstance(v, Literal) and v.language == "en"]
            assert values, f"{shape} has no English {prop}"
        assert SHAPES.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape


def test_every_shape_has_a_case() -> None:
    assert CASES, "no cases collected"
    assert set(CASES) == set(top_level_shapes(SHAPES))


def test_the_conforming_fixture_gets_no_result_and_targets_every_shape() -> None:
    graph = base_graph()
    validation = validate_graph(graph, SHAPES)
    assert validation.results == [] and validation.conforms
    for shape in top_level_shapes(SHAPES):
        classes = list(SHAPES.objects(shape, SH.targetClass))
        assert classes, f"{shape} has no sh:targetClass"
        narrower = {c for cls in classes for c in graph.transitive_subjects(RDFS.subClassOf, cls)}
        assert any(next(graph.subjects(RDF.type, c), None) is not None for c in narrower), \
            f"base.ttl has no instance for {shape} to check: its conformance would be vacuous"


def violating_graph(shape: URIRef) -> Graph:
    graph = base_graph()
    graph.update(PREFIXES + CASES[shape][1])
    return graph


@pytest.mark.parametrize("shape", sorted(CASES), ids=lambda s: str(s).rsplit("#", 1)[-1])
def test_the_violating_fixture_triggers_its_shape(shape: URIRef) -> None:
    component = CASES[shape][0]
    validation = validate_graph(violating_graph(shape), SHAPES)
    hits = [r for r in validation.results if r.source_shape == shape]
    assert hits, f"{shape} did not fire"
    assert {r.component for r in hits} == {component}
    expected = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}[SHAPES.value(shape, SH.severity)]
    assert {r.severity for r in hits} == {expected}


def test_each_requirement_links_to_the_shapes_that_check_it() -> None:
    requirements = set(Graph().parse(data_dir() / "sources" / "sichuan-first-pilot-lists" / "facts.ttl")
                       .subjects(RDF.type, PK.Requirement))
    assert len(requirements) == 6
    shapes = set(top_level_shapes(SHAPES))
    for requirement in requirements:
        linked = set(SHAPES.objects(requirement, PK.checkedByShape))
        assert len(linked) >= 4 and linked <= shapes, requirement
