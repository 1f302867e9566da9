"""pilotkg validate: the compliance matrix of the article, cell by cell from its text; the
report in every format; exit codes; atomic outputs; the gap worksheet; EARL assessments; and
inputs left unchanged."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from pilotkg.build import assemble, build
from pilotkg.cli import main
from pilotkg.compliance import EARL, VALIDATION_GRAPH, assess
from pilotkg.validate import load_shapes, validate

ARTICLE = "Lists of Sichuan's First Pilot Competitive Manufacturing Cities and Special Advantageous Industries Released"

# Written from the article's text (¶18, ¶20, ¶21): what each pilot city designates for each of the
# six requirements, with words its quote must contain; None where the article is silent.
EXPECTED = {
    "Chengdu": {
        1: ("Chengdu Electronic Information Industry Functional Area", "existing", "as the core carrier park"),
        2: ("new display", "existing", "Chengdu has selected the new display industry as the flagship industry"),
        3: ("Chengdu BOE Optoelectronics Technology Co., Ltd.", "existing", "as the leading enterprise in the industry chain"),
        4: None,
        5: ("national innovation platform", "planned", "facilitates BOE-UESTC Joint Innovation Institute to build"),
        6: ("2022 World Conference on Display Industry", "committed", "will hold the 2022 World Conference on Display Industry"),
    },
    "Deyang": {1: None, 2: None, 3: None, 4: None, 5: None,
               6: ("2022 World Conference on Clean Energy Equipment", "committed", "Deyang and Yibin will host")},
    "Mianyang": {1: None, 2: None, 3: None, 4: None, 5: None, 6: None},
    "Yibin": {1: None, 2: None, 3: None, 4: None, 5: None,
              6: ("2022 World EV & ES Battery Conference", "committed", "Deyang and Yibin will host")},
}


@pytest.fixture(scope="module")
def compliance(dataset: Dataset):
    return assess(dataset, validate(dataset))


def test_the_matrix_matches_the_article_cell_by_cell(compliance) -> None:
    assert [row.city_label for row in compliance.rows] == ["Chengdu", "Deyang", "Mianyang", "Yibin"]
    for city, cells in EXPECTED.items():
        for order, expected in cells.items():
            cell = compliance.cell(city, order)
            if expected is None:
                assert (cell.state, cell.elements) == ("not evidenced", []), (city, order)
                continue
            label, status, words = expected
            assert cell.state == "evidenced", (city, order)
            assert [(e.label, e.status) for e in cell.elements] == [(label, status)], (city, order)
            quotes = [ev for e in cell.elements for ev in e.evidence]
            assert any(words in ev.quote and ev.source_title == ARTICLE for ev in quotes), (city, order)


def test_the_article_has_no_contradiction_and_its_gaps_are_warnings(compliance) -> None:
    validation = compliance.validation
    assert validation.count("violation") == 0
    gap_results = [r for r in validation.results if str(r.source_shape).endswith("-gap")]
    assert len(gap_results) == len(compliance.gaps) == 17
    assert {r.severity for r in gap_results} == {"warning"}
    assert all("Not evidenced in the sources" in r.message for r in gap_results)


def test_cross_checks_say_cannot_tell_where_a_fact_is_unknown(compliance) -> None:
    chengdu = {c.check.rsplit("#", 1)[-1]: c for c in compliance.crosschecks if c.city_label == "Chengdu"}
    assert chengdu["conference-elsewhere"].outcome == "agrees"
    # the article never says where the park is: only the curators' inference does, and it is not evidence
    assert chengdu["park-elsewhere"].outcome == "cannot tell"
    assert chengdu["park-elsewhere"].inferred == "Chengdu" and chengdu["park-elsewhere"].known == ""
    assert chengdu["enterprise-other-industry"].outcome == "cannot tell"
    assert chengdu["chief-other-government"].outcome == "no element"


def test_industry_pilots_known_and_unknown(compliance) -> None:
    pilots = {p.city_label: p for p in compliance.industry_pilots}
    assert set(pilots) == {"Panzhihua", "Leshan", "Suining", "Ziyang"}
    suining = {(f["measureLabel"], f["statusLabel"], f["qualifierLabel"]) for f in pilots["Suining"].figures}
    assert ("revenue growth", "actual", "exactly") in suining and ("revenue", "target", "exceeded") in suining
    assert [(f["measureLabel"], f["statusLabel"]) for f in pilots["Leshan"].figures] == [("annual output value", "target")]
    assert pilots["Ziyang"].figures == [] and len(pilots["Ziyang"].unknown) == 3


def test_validation_leaves_its_inputs_unchanged() -> None:
    dataset = assemble(validate=False).dataset
    before = [(g.identifier, len(g)) for g in dataset.graphs()]
    shapes = load_shapes()
    shapes_before = Graph()
    for triple in shapes:
        shapes_before.add(triple)
    validate(dataset, shapes=shapes)
    assert [(g.identifier, len(g)) for g in dataset.graphs()] == before
    assert isomorphic(shapes, shapes_before)


def test_earl_assessments_in_their_own_graph(dataset: Dataset, compliance) -> None:
    graph = dataset.graph(VALIDATION_GRAPH)
    assert (None, RDF.type, SH.ValidationReport) in graph
    outcomes = {}
    for assertion in graph.subjects(RDF.type, EARL.Assertion):
        test = graph.value(assertion, EARL.test)
        if "/requirement/" in str(test):
            result = graph.value(assertion, EARL.result)
            outcomes[(str(graph.value(assertion, EARL.subject)), str(test))] = graph.value(result, EARL.outcome)
    assert len(outcomes) == 24
    assert list(outcomes.values()).count(EARL.passed) == 7 and list(outcomes.values()).count(EARL.cantTell) == 17
    # evidence is linked, and it is a quote of the source
    chengdu_conf = next(a for a in graph.subjects(RDF.type, EARL.Assertion)
                        if str(graph.value(a, EARL.subject)).endswith("city-1-510100")
                        and str(graph.value(a, EARL.test)).endswith("world-brand-conference"))
    evidence = graph.value(graph.value(chengdu_conf, EARL.result), URIRef("https://w3id.org/pilotkg/ontology#evidence"))
    assert str(evidence).endswith("/p20-conference")
    # SPARQL can ask about compliance
    rows = list(dataset.query("""
        PREFIX earl: <http://www.w3.org/ns/earl#>
        SELECT ?subject WHERE { GRAPH <https://w3id.org/pilotkg/id/graph/validation> {
          ?a earl:subject ?subject ; earl:test <https://w3id.org/pilotkg/id/requirement/park> ;
             earl:result/earl:outcome earl:passed } }"""))
    assert [str(r[0]) for r in rows] == ["https://w3id.org/pilotkg/id/designation/city-1-510100"]


@pytest.fixture(scope="module")
def built_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("validate")
    build(out)
    return out


def test_the_html_report_is_reproducible_under_source_date_epoch(built_out: Path, capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 UTC
    pages = []
    for _ in range(2):
        assert main(["validate", "--dataset", str(built_out / "pilotkg.trig"), "--format", "html"]) == 0
        pages.append(capsys.readouterr().out)
    assert pages[0] == pages[1] and ", 2023-11-14</p>" in pages[0]


def test_exit_codes_follow_fail_on(built_out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = str(built_out / "pilotkg.trig")
    assert main(["validate", "--dataset", dataset]) == 0
    assert main(["validate", "--dataset", dataset, "--fail-on", "warning"]) == 1
    assert main(["validate", "--dataset", dataset, "--fail-on", "info"]) == 1
    assert main(["validate", "--dataset", str(built_out / "missing.trig")]) == 2
    assert "dataset not found" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json", "turtle", "ttl"])
def test_every_format(fmt: str, built_out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--dataset", str(built_out / "pilotkg.trig"), "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        report = json.loads(out)
        assert set(report) == {"conforms", "engine", "counts", "matrix", "crosschecks", "gaps", "industry_pilots", "results"}
        assert report["counts"] == {"violation": 0, "warning": 20, "info": 7} and report["engine"] == "pyshacl"
    elif fmt in ("turtle", "ttl"):
        graph = Graph().parse(data=out, format="turtle")
        assert (None, RDF.type, SH.ValidationReport) in graph and (None, RDF.type, EARL.Assertion) in graph
    elif fmt == "html":
        assert out.startswith("<!DOCTYPE html>") and "http" not in out.split("<body>")[0]
    else:
        assert "Mianyang" in out and "not evidenced" in out


def test_outputs_are_atomic_and_a_failed_run_keeps_them(built_out: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    assert main(["validate", "--dataset", str(built_out / "pilotkg.trig"), "-o", str(report)]) == 0
    before = report.read_bytes()
    assert main(["validate", "--dataset", str(tmp_path / "nope.trig"), "-o", str(report)]) == 2
    assert report.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_the_gap_worksheet(built_out: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "gaps.csv"
    assert main(["validate", "--dataset", str(built_out / "pilotkg.trig"), "--worksheet", str(sheet)]) == 0
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    assert len(rows) == 17
    mianyang = [r for r in rows if r["city"] == "Mianyang"]
    assert len(mianyang) == 6 and all(r["element_label"] == "" and r["quote"] == "" for r in mianyang)
    assert {"property_to_fill", "element_class", "status", "source_title", "quote"} <= set(rows[0])


def test_untrusted_text_is_escaped_in_html_and_neutralised_in_csv(data_copy: Path, tmp_path: Path) -> None:
    places = data_copy / "reference" / "places.csv"
    places.write_text(places.read_text(encoding="utf-8").replace("Mianyang,", "=HYPERLINK(\"x\")<script>alert(1)</script>,", 1),
                      encoding="utf-8")
    html_out, sheet = tmp_path / "r.html", tmp_path / "g.csv"
    assert main(["validate", "--data", str(data_copy), "-o", str(html_out), "--worksheet", str(sheet)]) == 0
    page = html_out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    cities = {row["city"] for row in csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8")))}
    assert "'=HYPERLINK(\"x\")<script>alert(1)</script>" in cities
