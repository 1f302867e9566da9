"""The ontology: every term labelled, defined and attributed to its module; versioned; modular
with one aggregator; the Python namespace matches it; external terms are real terms."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from pilotkg.assets import ontology_dir
from pilotkg.build import load_ontology
from pilotkg.checks import check_vocabulary, declared_terms, load_term_lists
from pilotkg.namespaces import ONTOLOGY_IRI, PK

PK_NS = str(PK._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def terms(ontology: Graph) -> list[URIRef]:
    found = sorted(declared_terms(ontology))
    assert found, "no pk: terms collected"
    return found


def test_every_term_has_an_english_label_a_definition_and_its_module(ontology: Graph) -> None:
    modules = set(ontology.subjects(RDF.type, OWL.Ontology))
    missing = []
    for term in terms(ontology):
        labels = [o for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal) and o.language == "en"]
        definitions = [o for o in ontology.objects(term, SKOS.definition) if isinstance(o, Literal) and o.language == "en"]
        defined_by = set(ontology.objects(term, RDFS.isDefinedBy))
        if not labels or not definitions or not defined_by or not defined_by <= modules:
            missing.append(str(term))
    assert not missing, f"terms without en label, definition or module: {missing}"


def test_no_chinese_labels_are_made_up_in_the_ontology(ontology: Graph) -> None:
    # zh labels come only from a source or the reference identifiers, which the ontology has neither of
    zh = [(s, o) for s, o in ontology.subject_objects(RDFS.label) if getattr(o, "language", None) == "zh"]
    assert zh == []


def test_aggregator_is_versioned_and_imports_every_module(ontology: Graph, assets: dict[str, Path]) -> None:
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/pilotkg/ontology/0.1.0")
    imported = set(ontology.objects(ONTOLOGY_IRI, OWL.imports))
    modules = set(ontology.subjects(RDF.type, OWL.Ontology)) - {ONTOLOGY_IRI}
    files = [p for p in assets["ontology"].glob("*.ttl") if p.name != "pilotkg.ttl"]
    assert len(files) == len(modules) >= 9
    assert imported == modules
    for module in modules:
        assert ontology.value(module, OWL.versionIRI) is not None, module
        assert ontology.value(module, OWL.versionInfo) is not None, module


def test_python_namespace_matches_the_ontology(ontology: Graph) -> None:
    in_python = {URIRef(PK_NS + name) for name in PK.__annotations__}
    assert in_python == set(terms(ontology))


def test_typo_in_the_python_namespace_raises() -> None:
    with pytest.raises(AttributeError):
        PK.Observatoin  # noqa: B018


MODULES = sorted(ontology_dir().glob("*.ttl"))


def test_modules_collected() -> None:
    assert len(MODULES) >= 9


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_each_module_parses_with_an_independent_parser(path: Path) -> None:
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert quads


def test_term_lists_are_present_and_not_empty(assets: dict[str, Path]) -> None:
    lists = load_term_lists(assets["ontology"] / "external")
    expected = {"http://www.w3.org/ns/prov#", "http://www.w3.org/ns/oa#", "http://qudt.org/vocab/unit/",
                "http://purl.org/linked-data/sdmx/2009/attribute#", "http://purl.org/linked-data/cube#",
                "http://www.w3.org/ns/org#", "https://schema.org/", "http://www.w3.org/2004/02/skos/core#",
                "http://www.w3.org/2006/time#", "http://www.w3.org/ns/dcat#", "http://rdfs.org/ns/void#"}
    assert expected <= set(lists)
    assert all(lists[ns] for ns in expected)


@pytest.mark.parametrize("typo", [
    "http://www.w3.org/ns/prov#wasDerivedFro",
    "http://www.w3.org/ns/oa#hasSelecter",
    "http://purl.org/linked-data/sdmx/2009/attribute#unitMultiplier",
    "http://qudt.org/vocab/unit/PERCENTAGE",
    "https://w3id.org/pilotkg/ontology#Observatoin",
])
def test_a_typo_in_an_external_or_own_term_is_caught(typo: str, ontology: Graph, assets: dict[str, Path]) -> None:
    lists = load_term_lists(assets["ontology"] / "external")
    graph = Graph()
    graph.add((URIRef("https://w3id.org/pilotkg/id/x/y"), URIRef(typo), Literal(1)))
    problems = check_vocabulary(graph, declared_terms(ontology), lists, [], where="test")
    assert [typo in str(p) for p in problems] == [True]


def test_ontology_uses_only_real_external_terms(ontology: Graph, assets: dict[str, Path]) -> None:
    lists = load_term_lists(assets["ontology"] / "external")
    assert check_vocabulary(ontology, declared_terms(ontology), lists, [], where="ontology") == []
