"""The query library: every .rq file parses, has a header, and its examples run; parameters
reach the query as escaped RDF terms, never as query text."""

from __future__ import annotations

import shlex

import pytest
from rdflib import Dataset
from rdflib.plugins.sparql import prepareQuery

from pilotkg import querylib
from pilotkg.cli import main
from pilotkg.errors import QueryError

LIBRARY = querylib.library()


def test_library_collected() -> None:
    assert len(LIBRARY) >= 15
    assert {"stats-graphs", "stats-classes", "stats-conflicts"} <= set(LIBRARY)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_query_parses_and_has_a_header(name: str) -> None:
    query = LIBRARY[name]
    prepareQuery(query.text)
    assert query.title and query.description and query.result, name
    assert query.examples, f"{name} has no example"
    for param in query.params:
        assert param.doc, f"{name}: parameter {param.name} is undocumented"
    prepareQuery(querylib.bind(query, {p.name: _sample(p) for p in query.params}))


def _sample(param: querylib.Param) -> str:
    iri = "https://w3id.org/pilotkg/id/place/510100"
    return {"integer": "1", "decimal": "1.5", "year": "2021", "lang": "en", "string": "x", "page": "2"}.get(param.type, iri)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_example_runs(name: str, dataset: Dataset, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("pilotkg.cli._load_graph", lambda args: dataset)
    for example in LIBRARY[name].examples:
        argv = shlex.split(example)
        assert argv[:2] == ["pilotkg", "query"]
        assert main(argv[1:]) == 0, example
        assert capsys.readouterr().out.strip()


def test_a_parameter_cannot_become_query_text(dataset: Dataset) -> None:
    query = querylib.get("cq-statements")
    with pytest.raises(QueryError):
        querylib.bind(query, {"about": "x> } ?s ?p ?o { <y"})
    hostile = querylib.bind(querylib.get("cq-batch-cities"), {"batch": "1"})
    assert 'VALUES (?batch) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) }' in hostile
    with pytest.raises(QueryError):
        querylib.bind(querylib.get("cq-batch-cities"), {"batch": "1 } UNION { ?s ?p ?o"})


def test_string_parameters_are_escaped() -> None:
    # no string parameter in the foundation's library yet: the binder escapes quotes itself
    term = querylib.to_term(querylib.Param("label", "string"), 'a" } ; DROP ALL ; #')
    assert term.n3() == '"a\\" } ; DROP ALL ; #"'


def test_unknown_parameter_is_refused() -> None:
    with pytest.raises(QueryError, match="has no parameter 'citty'"):
        querylib.bind(querylib.get("cq-designation-elements"), {"citty": "x"})


# --- hostile parameter values --------------------------------------------------------------

HOSTILE_STRINGS = ['x" } UNION { ?s ?p ?o } #', "a # not a comment", "line\nbreak", "{braces}", "it's \\ \"quoted\"",
                   "'; DROP ALL ; '", "\u0000nul"]


def _algebra(text: str) -> str:
    return str(prepareQuery(text).algebra)


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_a_hostile_string_is_only_a_literal(value: str, dataset: Dataset) -> None:
    from rdflib import Literal

    query = querylib.get("search")
    hostile = querylib.bind(query, {"text": value})
    benign = querylib.bind(query, {"text": "display"})
    assert _algebra(hostile).replace(repr(Literal(value)), "LIT") == _algebra(benign).replace(repr(Literal("display")), "LIT")
    assert list(querylib.run(dataset, query, {"text": value})) == []  # no label contains it


@pytest.mark.parametrize("value", ["http://example.org/a b", "http://example.org/a>", "http://example.org/{a}",
                                   "<http://example.org/a>", "not an iri", "http://example.org/a\n> } UNION {"])
def test_a_malformed_iri_is_refused(value: str) -> None:
    with pytest.raises(QueryError, match="is not an absolute IRI"):
        querylib.bind(querylib.get("report-element-facts"), {"designation": value})


def test_a_very_long_value_is_refused() -> None:
    with pytest.raises(QueryError, match="characters long"):
        querylib.bind(querylib.get("search"), {"text": "x" * 5000})


def test_a_missing_required_parameter_lists_what_the_query_takes() -> None:
    with pytest.raises(QueryError) as error:
        querylib.bind(querylib.get("partners"), {})
    assert "needs parameter 'place'" in str(error.value) and "partners takes: place (place, required)" in str(error.value)


def test_labels_resolve_in_english_chinese_and_by_code(dataset: Dataset) -> None:
    chengdu = "https://w3id.org/pilotkg/id/place/510100"
    place = querylib.Param("place", "place")
    for text in ("Chengdu", "chengdu", "成都市", "510100", chengdu):
        assert str(querylib.to_term(place, text, dataset)) == chengdu
    with pytest.raises(QueryError, match="no place is labelled 'Atlantis'"):
        querylib.to_term(place, "Atlantis", dataset)
    # an industry label is not a place
    with pytest.raises(QueryError, match="no place is labelled 'new display'"):
        querylib.to_term(place, "new display", dataset)


def test_an_ambiguous_label_lists_the_candidates() -> None:
    from rdflib import Graph

    graph = Graph().parse(data="""
        @prefix pk: <https://w3id.org/pilotkg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/pilotkg/id/place/990100> a pk:Place ; rdfs:label "Springfield"@en .
        <https://w3id.org/pilotkg/id/place/990200> a pk:Place ; rdfs:label "Springfield"@en .""", format="turtle")
    with pytest.raises(QueryError) as error:
        querylib.to_term(querylib.Param("place", "place"), "Springfield", graph)
    message = str(error.value)
    assert "ambiguous, 2 candidates" in message and "place/990100" in message and "place/990200" in message


def test_query_cli_formats(dataset: Dataset, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    monkeypatch.setattr("pilotkg.cli._load_graph", lambda args: dataset)
    assert main(["query", "partners", "--param", "place=成都市", "--lang", "zh"]) == 0
    table = capsys.readouterr().out
    assert "重庆市 place:500000" in table and "眉山市" in table
    assert main(["query", "cq-batch-cities", "--format", "json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert {b["cityLabel"]["value"] for b in results["results"]["bindings"]} == {"Chengdu", "Deyang", "Mianyang", "Yibin"}
    assert main(["query", "cq-batch-cities", "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("| city | cityLabel |")
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER (?s = <https://w3id.org/pilotkg/id/place/510100>) }"
    for fmt, marker in (("turtle", "place:510100"), ("jsonld", '"@id"'), ("trig", "place:510100")):
        assert main(["query", "--sparql", construct, "--format", fmt]) == 0
        assert marker in capsys.readouterr().out
    assert main(["query", "--sparql", construct, "--format", "csv"]) == 2
    assert "a CONSTRUCT result is a graph" in capsys.readouterr().err
    assert main(["query", "--sparql", "ASK { ?s a <https://w3id.org/pilotkg/ontology#Park> }", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"head": {}, "boolean": True}


def test_python_api(dataset: Dataset) -> None:
    from pilotkg import KnowledgeGraph

    kg = KnowledgeGraph(dataset)
    rows = kg.query("partners", place="Chengdu")
    assert sorted(row["otherLabel"] for row in rows) == ["Chongqing", "Meishan", "Mianyang"]
    assert rows.variables == ["other", "otherLabel", "how", "proposal"]
    figures = kg.query("measure-across-places", measure="regional GDP")
    assert figures[0]["subjectLabel"] == "Chengdu" and figures[0]["normalisedValue"] == 2_000_000_000_000


def test_rows_as_a_dataframe_or_a_clear_hint(dataset: Dataset) -> None:
    from pilotkg import KnowledgeGraph
    from pilotkg.errors import PilotkgError

    rows = KnowledgeGraph(dataset).query("cq-batch-cities")
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(PilotkgError, match=r"pip install 'pilotkg\[pandas\]'"):
            rows.to_dataframe()
    else:
        frame = rows.to_dataframe()
        assert list(frame.columns) == rows.variables and len(frame) == 4
