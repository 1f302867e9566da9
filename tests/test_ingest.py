"""pilotkg ingest: every row checked before anything is written; each listed class of error caught
with its file, sheet, row and column; quotes verified against registered texts or kept and marked
unverified; the analyst's own assertions kept apart; the same file twice gives the same graph;
the build includes data/ingested and re-checks it."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF

from pilotkg.build import assemble
from pilotkg.compliance import assess
from pilotkg.errors import BuildError, CellProblem, IngestError, InputError
from pilotkg.ingest import ingest
from pilotkg.ingested import asserted_graph, facts_graph, read_ingested
from pilotkg.iri import KEY_PATTERN, KINDS, mint
from pilotkg.namespaces import ID, OA, PK, UNIT
from pilotkg.report import UNVERIFIED_MARK, render_text
from pilotkg.validate import data_graph, validate

from .test_iri import CODE_KEYED, UUID_LIKE

ARTICLE = "sichuan-first-pilot-lists"
PARK_QUOTE = "relies on Chengdu Electronic Information Industry Functional Area as the core carrier park"
FIGURE_QUOTE = ("In 2021, the province's regional GDP in the industrial sector topped 1.5 trillion yuan, and total value-added "
                "industrial output reached 1,542.82 billion yuan, accounting for 4.1% of China's total and ranking 8th in the country.")
OBS_HEADER = ["subject", "measure", "value", "unit", "multiplier", "qualifier", "status", "year", "source_title",
              "source_url_or_file", "quote"]
SYNTHETIC = "A synthetic city plan"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # an open namespace: pytest probes module attributes


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8") -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def observation(subject: str = "Chengdu", measure: str = "regional GDP", value: str = "１,５４２.８２亿元", unit: str = "",
                multiplier: str = "", qualifier: str = "about", status: str = "actual", year: str = "2022") -> list[str]:
    return [subject, measure, value, unit, multiplier, qualifier, status, year, SYNTHETIC, "",
            f"{subject}: {measure} {value} in {year}."]


def refused(files: list[Path], data: Path, **options) -> list[CellProblem]:
    with pytest.raises(IngestError) as caught:
        ingest(files, data=data, **options)
    assert caught.value.problems, "an IngestError lists its problems"
    assert not (data / "ingested").exists() or not any((data / "ingested").iterdir()), "nothing may be written"
    return caught.value.problems


def test_an_element_row_quoting_a_registered_source_is_verified_and_located(data_copy: Path, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "parks.csv", ["city", "batch", "park", "status", "source_role", "source_url_or_file", "quote"],
                      [["成都市", "1", "Chengdu Electronic Information Industry Functional Area", "existing", "core carrier park",
                        ARTICLE, "  relies on Chengdu Electronic   Information Industry Functional Area as the core carrier park "]])
    (report,) = ingest([sheet], data=data_copy)
    assert report.status == "written" and report.verified == 1 and report.unverified == []
    stored = read_ingested(data_copy / "ingested" / "parks.trig")
    element = mint("element", "city-1-510100-park")
    quote = stored.facts.value(element, PK.quote)
    assert quote == mint("quote", "ingested", "parks", "element-city-1-510100-park")
    assert (quote, PK.verified, Literal(True)) in stored.facts
    assert (quote, OA.hasSource, mint("source", ARTICLE)) in stored.facts
    assert (quote, PK.rowNumber, Literal("2", datatype=XSD.positiveInteger)) in stored.facts
    assert (quote, PK.inParagraph, mint("source", f"{ARTICLE}-p20")) in stored.facts
    text = (data_copy / "sources" / ARTICLE / "article.txt").read_text(encoding="utf-8")
    start = text.index(PARK_QUOTE)
    selectors = {p: o for s in stored.facts.objects(quote, OA.hasSelector) for p, o in stored.facts.predicate_objects(s)}
    assert selectors[OA.exact] == Literal(PARK_QUOTE)  # the source's words, white space as in the source
    assert (int(selectors[OA.start]), int(selectors[OA.end])) == (start, start + len(PARK_QUOTE))
    assert (facts_graph("parks"), PROV.wasDerivedFrom, mint("ingest", "parks")) in stored.facts


def test_gb18030_sheet_with_full_width_digits_and_chinese_magnitudes(data_copy: Path, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "figures.csv", OBS_HEADER, [observation(subject="成都市")], encoding="gb18030")
    (report,) = ingest([sheet], data=data_copy)
    obs = mint("observation", "a-synthetic-city-plan", "510100-regional-gdp-2022")
    graph = report.facts
    assert graph.value(obs, PK.value) == Literal("1542.82", datatype=XSD.decimal)
    assert int(graph.value(obs, PK.unitMultiplier)) == 8
    assert graph.value(obs, PK.unit) == UNIT.CCY_CNY
    assert str(graph.value(obs, PK.lexicalForm)) == "１,５４２.８２亿元"
    assert graph.value(obs, PK.qualifier) == PK.About
    assert (mint("ingest", "figures"), URIRef("http://purl.org/dc/terms/format"), Literal("text/csv; charset=gb18030")) in graph


ERRORS = {
    # name: (row to write, index of the changed cell, new text, expected column, words of the message)
    "missing required cell": (1, "", "measure", "the required cell measure is empty"),
    "wrong type": (7, "twenty-two", "year", "is not a year"),
    "unknown place": (0, "Chengdo", "subject", "did you mean 'Chengdu'"),
    "unit outside its list": (3, "dollars", "unit", "is not an allowed unit"),
    "multiplier outside its list": (2, "1.5 million yuan", "value", "outside the multipliers"),
    "qualifier outside its list": (5, "roughly", "qualifier", "is not an allowed qualifier"),
    "status outside its list": (6, "hoped", "status", "is not an allowed status"),
    "value and unit disagree": (3, "percent", "unit", "make them agree"),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_each_class_of_error_is_caught_with_its_location_and_nothing_is_written(name: str, data_copy: Path, tmp_path: Path) -> None:
    index, text, column, words = ERRORS[name]
    rows = [observation(year="2020"), observation(year="2021"), observation()]
    rows[1][index] = text
    problems = refused([write_csv(tmp_path / "figures.csv", OBS_HEADER, rows)], data_copy)
    assert len(problems) == 1, problems
    assert (problems[0].sheet, problems[0].line, problems[0].column) == ("-", 3, column)
    assert words in str(problems[0])
    assert str(problems[0]).startswith(f"{tmp_path / 'figures.csv'}:-:3:{column}: ")


def test_unknown_industry_suggests_the_closest_names(data_copy: Path, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "pilots.csv", ["city", "pilot_industry", "batch", "source_url_or_file", "quote"],
                      [["Leshan", "crystaline silicon", "1", ARTICLE, "x"]])
    (problem,) = refused([sheet], data_copy)
    assert problem.column == "pilot_industry" and "crystalline silicon PV" in (problem.hint or "")


def test_a_duplicate_key_is_caught_on_the_second_row(data_copy: Path, tmp_path: Path) -> None:
    problems = refused([write_csv(tmp_path / "figures.csv", OBS_HEADER, [observation(), observation(value="3亿元")])], data_copy)
    assert [(p.line, p.column) for p in problems] == [(3, "subject")]
    assert "duplicate key: row 2 already gives" in problems[0].message


def test_malformed_csv_and_undecodable_bytes_are_caught(data_copy: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text(",".join(OBS_HEADER) + '\nChengdu,"regional GDP,1,yuan\n', encoding="utf-8")
    (problem,) = refused([broken], data_copy)
    assert (problem.line, "never closed" in problem.message) == (2, True)
    undecodable = tmp_path / "bytes.csv"
    undecodable.write_bytes(",".join(OBS_HEADER).encode() + b"\nChengdu,\xff\xfe\n")
    (problem,) = refused([undecodable], data_copy, encoding="utf-8")
    assert problem.line == 2 and "cannot be decoded as utf-8" in problem.message


def test_unknown_and_missing_columns_are_named(data_copy: Path, tmp_path: Path) -> None:
    header = [h if h != "qualifier" else "qualifer" for h in OBS_HEADER if h != "status"]
    problems = refused([write_csv(tmp_path / "figures.csv", header, [observation()[:-1]])], data_copy)
    found = {(p.line, p.column): p for p in problems}
    assert set(found) == {(1, "qualifer"), (1, "qualifier"), (1, "status")}
    assert "did you mean 'qualifier'" in (found[(1, "qualifer")].hint or "")


def test_all_or_nothing_across_files_and_the_previous_output_stays(data_copy: Path, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", OBS_HEADER, [observation()])
    ingest([good], data=data_copy)
    before = (data_copy / "ingested" / "good.trig").read_bytes()
    changed = write_csv(tmp_path / "good.csv", OBS_HEADER, [observation(value="2亿元")])
    bad = write_csv(tmp_path / "bad.csv", OBS_HEADER, [observation(qualifier="roughly")])
    with pytest.raises(IngestError):
        ingest([changed, bad], data=data_copy)
    assert (data_copy / "ingested" / "good.trig").read_bytes() == before
    assert not (data_copy / "ingested" / "bad.trig").exists()


def test_the_same_file_twice_gives_the_same_graph_and_a_changed_row_replaces_it(data_copy: Path, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "figures.csv", OBS_HEADER, [observation(), observation(year="2021")])
    (first,) = ingest([sheet], data=data_copy, now="2020-01-01T00:00:00+00:00")
    written = (data_copy / "ingested" / "figures.trig").read_bytes()
    (second,) = ingest([sheet], data=data_copy, now="2030-01-01T00:00:00+00:00")
    assert (first.status, second.status) == ("written", "unchanged")
    assert (data_copy / "ingested" / "figures.trig").read_bytes() == written
    write_csv(sheet, OBS_HEADER, [observation(value="2万亿元"), observation(year="2021")])
    (third,) = ingest([sheet], data=data_copy)
    assert third.status == "written"
    stored = read_ingested(data_copy / "ingested" / "figures.trig").facts
    obs = mint("observation", "a-synthetic-city-plan", "510100-regional-gdp-2022")
    assert [v.toPython() for v in stored.objects(obs, PK.value)] == [Decimal(2)]
    assert [int(v) for v in stored.objects(obs, PK.unitMultiplier)] == [12]


def test_another_id_gives_the_same_facts_in_another_graph(data_copy: Path, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "figures.csv", OBS_HEADER, [observation()])
    (one,) = ingest([sheet], data=data_copy, check=True, now="2020-01-01T00:00:00+00:00")
    renamed = write_csv(tmp_path / "figures-2022.csv", OBS_HEADER, [observation()])
    (two,) = ingest([renamed], data=data_copy, check=True, now="2020-01-01T00:00:00+00:00")
    (three,) = ingest([sheet], data=data_copy, check=True, source_id="figures-2022", now="2020-01-01T00:00:00+00:00")
    assert (one.id, two.id, three.id) == ("figures", "figures-2022", "figures-2022")
    obs = mint("observation", "a-synthetic-city-plan", "510100-regional-gdp-2022")
    assert set(one.facts.predicate_objects(obs)) - {(PK.quote, one.facts.value(obs, PK.quote))} == set(
        two.facts.predicate_objects(obs)) - {(PK.quote, two.facts.value(obs, PK.quote))}
    assert not (data_copy / "ingested").exists()
    with pytest.raises(InputError, match="not a valid ingest ID"):
        ingest([sheet], data=data_copy, source_id="Not An ID")


MIANYANG_WORDS = "绵阳市以先进材料为支柱产业。"


def _second_batch_workbook(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    elements = book.active
    elements.title = "elements"  # read after the city-pilot sheet, whatever the order of the sheets
    elements.append(["city", "batch", "park", "status", "source_title", "quote"])
    elements.append(["Meishan", "2", "Example Park", "planned", SYNTHETIC, "Meishan is to build Example Park."])
    cities = book.create_sheet("cities")
    cities.append(["pilot_city", "batch", "source_title", "quote"])
    cities.append(["Meishan", "2", SYNTHETIC, "Meishan is a pilot city of the second batch."])
    book.save(path)
    return path


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory):
    """One data folder with three ingested files, built and validated once: an analyst's own
    assertion (Deyang), an unverified quote (Mianyang), and a second batch (Meishan)."""
    import shutil

    from pilotkg.assets import data_dir

    folder = tmp_path_factory.mktemp("validated")
    data = folder / "data"
    shutil.copytree(data_dir(), data)
    header = ["city", "batch", "pillar_industry", "status", "own_assertion", "notes"]
    mine = write_csv(folder / "mine.csv", header, [["Deyang", "1", "clean energy equipment", "existing", "yes", "heard at a meeting"]])
    mianyang = write_csv(folder / "mianyang.csv", ["city", "batch", "pillar_industry", "status", "source_title",
                                                   "source_url_or_file", "quote"],
                         [["绵阳市", "1", "advanced materials", "existing", "绵阳市试点方案", "https://example.org/plan.pdf",
                           MIANYANG_WORDS]])
    second = _second_batch_workbook(folder / "second-batch.xlsx")
    reports = {r.id: r for r in ingest([mine, mianyang, second], data=data)}
    dataset = assemble(data, validate=False).dataset
    return reports, dataset, assess(dataset, validate(dataset))


def test_a_row_without_a_source_is_refused(data_copy: Path, tmp_path: Path) -> None:
    header = ["city", "batch", "pillar_industry", "status", "own_assertion", "notes"]
    (problem,) = refused([write_csv(tmp_path / "mine.csv", header, [["Deyang", "1", "clean energy equipment", "existing", "",
                                                                     "heard at a meeting"]])], data_copy)
    assert problem.column == "quote" and "without a source is refused" in problem.message


def test_the_analysts_own_assertion_is_kept_apart_and_never_evidence(validated) -> None:
    reports, dataset, compliance = validated
    report = reports["mine"]
    assert report.assertions == 1
    element = mint("element", "city-1-510600-pillar-industry")
    assert (element, PK.element, mint("industry", "clean energy equipment")) in report.asserted
    assert (element, None, None) not in report.facts
    assert (element, PK.element, None) in dataset.graph(asserted_graph("mine"))
    assert (element, PK.element, None) not in data_graph(dataset)
    assert compliance.cell("Deyang", 2).state == "not evidenced"


def test_an_unverified_quote_is_kept_marked_and_shown_in_the_report(validated) -> None:
    reports, dataset, compliance = validated
    assert reports["mianyang"].verified == 0 and len(reports["mianyang"].unverified) == 1
    assert compliance.validation.count("violation") == 0
    cell = compliance.cell("Mianyang", 2)
    assert cell.state == "evidenced"
    (evidence,) = cell.elements[0].evidence
    assert (evidence.quote, evidence.verified, evidence.source_title) == (MIANYANG_WORDS, False, "绵阳市试点方案")
    assert f"\u201c{MIANYANG_WORDS}\u201d \u2014 绵阳市试点方案 {UNVERIFIED_MARK}" in render_text(compliance)


def test_rows_can_name_what_earlier_kinds_of_the_same_file_make(validated) -> None:
    reports, dataset, compliance = validated
    designation = mint("designation", "city-2-511400")
    assert (designation, PK.hasElement, mint("element", "city-2-511400-park")) in reports["second-batch"].facts
    assert (mint("batch", "manufacturing-pilot-2"), PK.quote, None) in reports["second-batch"].facts
    assert compliance.cell("Meishan", 1).state == "evidenced"


def test_a_quote_not_verbatim_in_a_registered_source_is_refused_with_the_closest_sentence(data_copy: Path, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "figures.csv", OBS_HEADER, [
        ["Sichuan", "value-added industrial output", "1,542.82 billion", "yuan", "", "exactly", "actual", "2021", "", ARTICLE,
         FIGURE_QUOTE.replace("reached", "was")]])
    (problem,) = refused([sheet], data_copy)
    assert problem.column == "quote" and "not verbatim" in problem.message
    assert FIGURE_QUOTE in (problem.hint or "")


def test_build_includes_ingested_graphs_and_checks_them(data_copy: Path, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "figures.csv", OBS_HEADER, [
        ["Sichuan", "value-added industrial output", "1,542.82 billion", "yuan", "", "exactly", "actual", "2021", "", ARTICLE,
         FIGURE_QUOTE]])
    ingest([sheet], data=data_copy)
    dataset = assemble(data_copy, validate=False).dataset
    graph = dataset.graph(facts_graph("figures"))
    assert len(graph) > 0
    bad = []
    for iri in {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(ID))}:
        kind, _, rest = str(iri)[len(str(ID)):].partition("/")
        keys = rest.split("/")
        if kind not in KINDS or not all(KEY_PATTERN.match(k) for k in keys) or (
                kind not in CODE_KEYED and any(UUID_LIKE.search(k) for k in keys)):
            bad.append(str(iri))
    assert bad == [], "the IRI policy (tests/test_iri.py) holds for ingested facts"
    trig = data_copy / "ingested" / "figures.trig"
    text = trig.read_text(encoding="utf-8")
    start = (data_copy / "sources" / ARTICLE / "article.txt").read_text(encoding="utf-8").index(FIGURE_QUOTE)
    trig.write_text(text.replace(f'oa:start {start}', f'oa:start {start + 1}'), encoding="utf-8")
    with pytest.raises(BuildError, match="no longer lies verbatim"):
        assemble(data_copy, validate=False)
    trig.write_text(text.replace("<https://w3id.org/pilotkg/id/graph/source/ingested/figures>",
                                 "<https://w3id.org/pilotkg/id/graph/source/elsewhere>"), encoding="utf-8")
    with pytest.raises(InputError, match="holds graphs other than its own"):
        assemble(data_copy, validate=False)


def test_xlsx_sheets_give_their_name_to_the_provenance(data_copy: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    enterprises = book.active
    enterprises.title = "企业"
    enterprises.append(["enterprise_en", "enterprise_zh", "place", "source_title", "quote"])
    enterprises.append(["Example Display Co., Ltd.", "示例显示有限公司", "Chengdu", SYNTHETIC, "Example Display Co., Ltd. is in Chengdu."])
    parks = book.create_sheet("parks")
    parks.append(["park_en", "place", "source_title", "quote"])
    parks.append(["Example Park", "成都市", SYNTHETIC, "Example Park lies in Chengdu."])
    path = tmp_path / "entities.xlsx"
    book.save(path)
    (report,) = ingest([path], data=data_copy, check=True)
    assert report.rows == 2
    quotes = {str(report.facts.value(q, PK.sheetName)): int(report.facts.value(q, PK.rowNumber))
              for q in report.facts.subjects(RDF.type, PK.Quote)}
    assert quotes == {"企业": 2, "parks": 2}
    assert (mint("agent", "Example Display Co., Ltd."), PK.locatedIn, mint("place", "510100")) in report.facts
    assert (mint("park", "Example Park"), PK.locatedIn, mint("place", "510100")) in report.facts
