"""pilotkg build: one dataset with a named graph per source, the RDFS closure in its own graph,
a DCAT/VoID description; checked before written; written atomically; bad input refused with
file and line, leaving the previous output intact."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import ORG, PROV, RDF, VOID

from pilotkg.build import CLOSURE_GRAPH, DATASET, META_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, SHAPES_GRAPH, build
from pilotkg.cli import main
from pilotkg.compliance import VALIDATION_GRAPH
from pilotkg.errors import BuildError, InputError
from pilotkg.iri import mint
from pilotkg.namespaces import PK

BOE = mint("agent", "chengdu-boe-optoelectronics-technology-co-ltd")


def test_named_graphs(dataset: Dataset) -> None:
    names = {g.identifier for g in dataset.graphs() if len(g)}
    assert names == {ONTOLOGY_GRAPH, REFERENCE_GRAPH, CLOSURE_GRAPH, META_GRAPH, SHAPES_GRAPH, VALIDATION_GRAPH,
                     mint("graph", "source", "sichuan-first-pilot-lists"),
                     mint("graph", "inferred", "sichuan-first-pilot-lists")}


def test_generated_graphs_use_only_real_terms(dataset: Dataset, assets: dict[str, Path]) -> None:
    from pilotkg.build import load_ontology
    from pilotkg.checks import check_vocabulary, declared_terms, load_term_lists

    lists = load_term_lists(assets["ontology"] / "external")
    declared = declared_terms(load_ontology())
    for name in (VALIDATION_GRAPH, META_GRAPH, CLOSURE_GRAPH, SHAPES_GRAPH):
        graph = dataset.graph(name)
        assert len(graph) > 0, name
        assert check_vocabulary(graph, declared, lists, [], where=str(name)) == []


def test_closure_makes_enterprises_organizations(dataset: Dataset) -> None:
    closure = dataset.graph(CLOSURE_GRAPH)
    assert (BOE, RDF.type, ORG.Organization) in closure
    assert (BOE, RDF.type, ORG.Organization) not in dataset.graph(mint("graph", "source", "sichuan-first-pilot-lists"))
    found = {r[0] for r in dataset.query("SELECT ?x WHERE { ?x a <http://www.w3.org/ns/org#Organization> }")}
    assert BOE in found


def test_closure_does_not_draw_on_inferences(dataset: Dataset) -> None:
    park = mint("park", "chengdu-electronic-information-industry-functional-area")
    closure = dataset.graph(CLOSURE_GRAPH)
    assert (park, URIRef("https://schema.org/location"), None) not in closure


def test_void_description(dataset: Dataset) -> None:
    meta = dataset.graph(META_GRAPH)
    assert (DATASET, RDF.type, VOID.Dataset) in meta
    assert (DATASET, URIRef("http://purl.org/dc/terms/source"), mint("source", "sichuan-first-pilot-lists")) in meta
    activity = meta.value(DATASET, PROV.wasGeneratedBy)
    assert (activity, RDF.type, PK.BuildActivity) in meta
    assert meta.value(activity, PROV.startedAtTime) is not None
    triples = int(meta.value(DATASET, VOID.triples))
    assert triples == sum(len(g) for g in dataset.graphs() if g.identifier != META_GRAPH)
    partitions = list(meta.objects(DATASET, VOID.classPartition))
    assert any(meta.value(p, VOID["class"]) == PK.Observation and int(meta.value(p, VOID.entities)) == 21 for p in partitions)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    build(out)
    return out


def test_build_writes_trig_nquads_and_void(out_dir: Path) -> None:
    assert sorted(p.name for p in out_dir.iterdir()) == ["pilotkg.nq", "pilotkg.trig", "void.ttl"]


def test_outputs_parse_with_rdflib_and_pyoxigraph_alike(out_dir: Path) -> None:
    for name, fmt, oxi in (("pilotkg.trig", "trig", pyoxigraph.RdfFormat.TRIG),
                           ("pilotkg.nq", "nquads", pyoxigraph.RdfFormat.N_QUADS)):
        ds = Dataset()
        ds.parse(out_dir / name, format=fmt)
        quads = list(pyoxigraph.parse(path=str(out_dir / name), format=oxi))
        assert len(quads) == len(list(ds.quads())) > 3000, name
        graphs = {str(q.graph_name.value) for q in quads if isinstance(q.graph_name, pyoxigraph.NamedNode)}
        assert str(CLOSURE_GRAPH) in graphs
    void = Graph().parse(out_dir / "void.ttl")
    assert len(void) > 50


def test_a_failed_build_leaves_the_previous_output_intact(out_dir: Path, data_copy: Path) -> None:
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    facts = data_copy / "sources" / "sichuan-first-pilot-lists" / "facts.ttl"
    facts.write_text(facts.read_text(encoding="utf-8").replace("pk:quote q:p20-park .", "pk:quote q:p20-parc .", 1),
                     encoding="utf-8")
    with pytest.raises(BuildError) as error:
        build(out_dir, data_copy)
    assert "q:p20-parc" in str(error.value) or "p20-parc" in str(error.value)
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before


def test_a_syntax_error_names_file_and_line(data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = data_copy / "sources" / "sichuan-first-pilot-lists" / "facts.ttl"
    lines = facts.read_text(encoding="utf-8").splitlines()
    lines[60] = lines[60] + " this is not turtle"
    facts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["build", "--data", str(data_copy), "--output", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "facts.ttl:61" in err
    assert not (tmp_path / "o").exists()


def test_a_changed_source_text_is_refused(data_copy: Path) -> None:
    text = data_copy / "sources" / "sichuan-first-pilot-lists" / "article.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("1,542.82", "1,642.82"), encoding="utf-8")
    with pytest.raises(InputError) as error:
        build(data_copy.parent / "o", data_copy)
    assert "SHA-256" in str(error.value) and "source.ttl" in str(error.value)


def test_a_quote_that_is_not_verbatim_fails_the_build_with_its_line(data_copy: Path) -> None:
    quotes = data_copy / "sources" / "sichuan-first-pilot-lists" / "quotes.ttl"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace("ranking 8th in the country", "ranking 7th in the country", 1),
                      encoding="utf-8")
    with pytest.raises(BuildError) as error:
        build(data_copy.parent / "o", data_copy)
    problems = [p for p in error.value.problems if "p8-figures" in p.message]
    assert problems and problems[0].file.name == "quotes.ttl" and problems[0].line


def test_an_undeclared_term_fails_the_build(data_copy: Path) -> None:
    facts = data_copy / "sources" / "sichuan-first-pilot-lists" / "facts.ttl"
    facts.write_text(facts.read_text(encoding="utf-8").replace("pk:hostPlace pl:511500", "pk:hostedIn pl:511500", 1),
                     encoding="utf-8")
    with pytest.raises(BuildError) as error:
        build(data_copy.parent / "o", data_copy)
    assert any("hostedIn" in p.message and p.line for p in error.value.problems)


def test_stats_counts_by_class_and_graph(capsys: pytest.CaptureFixture[str], out_dir: Path) -> None:
    assert main(["stats", "--dataset", str(out_dir / "pilotkg.trig")]) == 0
    out = capsys.readouterr().out
    assert "named graph" in out and "pk:Observation" in out and "conflicts between sources: 0" in out
