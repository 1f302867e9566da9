"""Property-based tests (hypothesis, derandomised so that every run tries the same cases): random
valid rows round-trip to RDF and back, whatever their order; each listed class of error,
injected at a random row of a valid sheet, is caught with its row and column, and nothing is
written."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from pilotkg.assets import data_dir
from pilotkg.errors import IngestError
from pilotkg.ingest import ingest
from pilotkg.iri import mint
from pilotkg.namespaces import OA, PK
from pilotkg.templates import UNIT_NAMES, vocabularies

SETTINGS = settings(derandomize=True, max_examples=12, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
HEADER = ["subject", "measure", "value", "unit", "multiplier", "qualifier", "status", "year", "source_title", "quote"]
PLACES = {"510100": ("Chengdu", "成都市"), "510700": ("Mianyang", "绵阳市"), "510000": ("Sichuan", "四川省"),
          "511100": ("Leshan", "乐山市"), "500000": ("Chongqing", "重庆市")}
MAGNITUDES = {"": None, "万": 4, "亿": 8, "万亿": 12, " billion": 9, " trillion": 12}
UNIT_WORDS = {"元": "yuan", "yuan": "yuan", "%": "percent"}
FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")
VOCABS = vocabularies()
NOW = "2024-01-01T00:00:00+00:00"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("properties") / "data"
    shutil.copytree(data_dir(), folder)
    return folder


def _number_text(value: Decimal, grouped: bool, wide: bool) -> str:
    text = f"{value:,f}" if grouped else f"{value:f}"
    return text.translate(FULL_WIDTH) if wide else text


@st.composite
def figure(draw: st.DrawFn) -> dict:
    code = draw(st.sampled_from(sorted(PLACES)))
    name = draw(st.sampled_from([PLACES[code][0], PLACES[code][0].upper(), PLACES[code][1], code]))
    value = Decimal(draw(st.integers(0, 10**9))) / Decimal(10) ** draw(st.integers(0, 2))
    magnitude = draw(st.sampled_from(sorted(MAGNITUDES)))
    unit_word = draw(st.sampled_from(["", "元", "yuan", "%"]))
    unit_name = UNIT_WORDS.get(unit_word) or draw(st.sampled_from(sorted({w[0] for w in UNIT_NAMES.values()})))
    cell = _number_text(value, draw(st.booleans()), draw(st.booleans())) + magnitude + unit_word
    year = draw(st.one_of(st.none(), st.integers(1990, 2035).map(str)))
    return {"code": code, "subject": name, "measure": draw(st.sampled_from(VOCABS["measure"].shown)), "value": value, "cell": cell,
            "multiplier": MAGNITUDES[magnitude] or 0, "unit": unit_name, "unit_cell": "" if unit_word else unit_name,
            "qualifier": draw(st.sampled_from(VOCABS["qualifier"].shown)),
            "status": draw(st.sampled_from(VOCABS["observation-status"].shown)), "year": year}


def _key(row: dict) -> tuple:
    return row["code"], row["measure"], row["year"], row["status"]


def sheets() -> st.SearchStrategy[list[dict]]:
    return st.lists(figure(), min_size=1, max_size=6, unique_by=_key)


def csv_rows(rows: list[dict]) -> list[list[str]]:
    return [[r["subject"], r["measure"], r["cell"], r["unit_cell"], "", r["qualifier"], r["status"], r["year"] or "",
             "Synthetic figures", f"Figure {n}: {r['cell']}."] for n, r in enumerate(rows)]


def write(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER, *rows])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def read_back(graph: Graph) -> set[tuple]:
    """The figures of an ingested graph, as the values a sheet's cells stand for."""
    found = set()
    for obs in graph.subjects(RDF.type, PK.Observation):
        year = graph.value(obs, PK.refYear)
        found.add((graph.value(obs, PK.subject), graph.value(obs, PK.measure), graph.value(obs, PK.value).toPython(),
                   int(graph.value(obs, PK.unitMultiplier)), graph.value(obs, PK.unit), graph.value(obs, PK.qualifier),
                   graph.value(obs, PK.observationStatus), str(year) if year is not None else None,
                   str(graph.value(obs, PK.lexicalForm)), str(graph.value(graph.value(graph.value(obs, PK.quote), OA.hasSelector),
                                                                         OA.exact))))
    return found


def expected(rows: list[dict]) -> set[tuple]:
    return {(mint("place", r["code"]), VOCABS["measure"].get(r["measure"]), r["value"], r["multiplier"],
             VOCABS["unit"].get(r["unit"]), VOCABS["qualifier"].get(r["qualifier"]), VOCABS["observation-status"].get(r["status"]),
             r["year"], r["cell"], f"Figure {n}: {r['cell']}.") for n, r in enumerate(rows)}


def without_row_positions(graph: Graph, file_entity: URIRef) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if p != PK.rowNumber and s != file_entity:
            out.add((s, p, o))
    return out


@SETTINGS
@given(rows=sheets())
def test_random_valid_rows_round_trip_to_rdf_and_back(rows: list[dict], data: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("rows")
    (report,) = ingest([write(folder / "figures.csv", csv_rows(rows))], data=data, check=True, now=NOW)
    got = read_back(report.facts)
    assert got == expected(rows)
    reordered = list(reversed(rows))
    (again,) = ingest([write(folder / "figures.csv", csv_rows(reordered))], data=data, check=True, now=NOW)
    assert {g[:-1] for g in read_back(again.facts)} == {g[:-1] for g in got}
    if len(rows) == 1:
        from rdflib.compare import isomorphic

        entity = mint("ingest", "figures")
        assert isomorphic(without_row_positions(report.facts, entity), without_row_positions(again.facts, entity))
    assert not (data / "ingested").exists()


ERRORS = ["missing", "type", "unknown place", "duplicate", "unit", "multiplier", "qualifier", "status", "malformed", "undecodable"]
#: What each injected error makes the problem's column (or "-" for a problem of the whole row).
COLUMN = {"missing": None, "type": "year", "unknown place": "subject", "duplicate": "subject", "unit": "unit",
          "multiplier": "multiplier", "qualifier": "qualifier", "status": "status", "malformed": "-", "undecodable": "-"}


@pytest.mark.parametrize("error", ERRORS)
@settings(SETTINGS, max_examples=4)
@given(rows=sheets(), where=st.integers(0, 5), required=st.sampled_from(["subject", "measure", "value", "qualifier", "status"]))
def test_an_injected_error_is_caught_with_its_location_and_nothing_is_written(error: str, rows: list[dict], where: int, required: str,
                                                                             data: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    cells = csv_rows(rows)
    if error == "duplicate":
        cells.append(list(cells[where % len(cells)]))
        where = len(cells) - 1
    where %= len(cells)
    row = cells[where]
    column = COLUMN[error] or required
    raw_cell = None
    if error == "missing":
        row[HEADER.index(required)] = ""
    elif error == "type":
        row[HEADER.index("year")] = "20x1"
    elif error == "unknown place":
        row[HEADER.index("subject")] = "Atlantis"
    elif error in ("unit", "qualifier", "status"):
        row[HEADER.index(error)] = {"unit": "dollars", "qualifier": "roughly", "status": "hoped"}[error]
    elif error == "multiplier":
        row[HEADER.index("multiplier")] = "6"
    elif error == "malformed":
        row.append("an extra cell")
    elif error == "undecodable":
        raw_cell = row[HEADER.index("source_title")]
        row[HEADER.index("source_title")] = "\x00MARK\x00"
    path = write(tmp_path_factory.mktemp("bad") / "figures.csv", cells)
    if raw_cell is not None:
        path.write_bytes(path.read_bytes().replace(b"\x00MARK\x00", b"Synthetic \xff figures"))
    with pytest.raises(IngestError) as caught:
        ingest([path], data=data, encoding="utf-8" if raw_cell is not None else None)
    locations = {(p.line, p.column) for p in caught.value.problems}
    assert (where + 2, column) in locations, caught.value.problems
    assert not (data / "ingested").exists(), "nothing is written"


def test_the_generated_words_are_the_ones_a_sheet_may_use() -> None:
    assert VOCABS["measure"].shown and VOCABS["qualifier"].shown and VOCABS["observation-status"].shown
    assert {VOCABS["unit"].get(w) for w in UNIT_WORDS.values()} == {VOCABS["unit"].get("yuan"), VOCABS["unit"].get("percent")}
    assert {m for m in MAGNITUDES.values() if m} <= set(VOCABS["multiplier"].values.values())
