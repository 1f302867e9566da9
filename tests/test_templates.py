"""The kinds of fact, declared once: every kind has a CSV and an XLSX template documenting its
columns with an example row; every example row, once its comment mark is removed, ingests on
the shipped data; the header of each kind is recognised, and a header missing any one required
column is never taken for another kind; allowed values come from the ontology and the shapes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib.namespace import RDFS, SKOS

from pilotkg.build import load_ontology
from pilotkg.ingest import ORDER, ingest
from pilotkg.sheets import read_csv_text, read_tables
from pilotkg.templatefiles import EXAMPLE_MARK, template_bytes
from pilotkg.templates import KINDS, SCHEMES, TYPES, candidates, catalogue, kind_for_header, vocabularies

EXAMPLE_KINDS = sorted(k for k in KINDS if k != "gap-worksheet")


def test_kinds_are_collected_and_cover_the_issue() -> None:
    assert len(EXAMPLE_KINDS) >= 17
    assert {"city-pilot", "industry-pilot", "enterprise", "park", "innovation-platform", "conference", "chain-chief-post",
            "collaboration-proposal", "proposal-component", "observation", "source-document"} <= set(KINDS)
    assert {k for k in KINDS if k.startswith("element-")} == {
        f"element-{r}" for r in ("park", "pillar-industry", "chain-leader-enterprise", "chain-chief", "innovation-platform",
                                 "world-brand-conference")}
    assert sorted(ORDER) == sorted(KINDS)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_column_is_documented(name: str) -> None:
    kind = KINDS[name]
    assert kind.columns
    for column in kind.columns:
        assert column.meaning and column.type in TYPES
        assert (column.type == "choice") == (column.vocabulary is not None), column.name
    assert name not in EXAMPLE_KINDS or all(kind.column(c).example for c in kind.required)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_header_missing_a_required_column_is_never_another_kind(name: str) -> None:
    kind = KINDS[name]
    assert kind_for_header(kind.names) is kind
    assert kind_for_header([c.name for c in kind.columns if c.required]) is kind
    for missing in kind.required:
        assert candidates([n for n in kind.names if n != missing]) == [], missing


def test_allowed_values_come_from_the_ontology_and_the_shapes() -> None:
    ontology = load_ontology()
    vocabs = vocabularies()
    for name, scheme in SCHEMES.items():
        labels = {str(ontology.value(m, RDFS.label)) for m in ontology.subjects(SKOS.inScheme, scheme)}
        assert labels and set(vocabs[name].shown) == labels
    assert vocabs["unit"].shown == ["yuan", "percent", "rank", "count", "years"]
    assert sorted(set(vocabs["multiplier"].values.values())) == [0, 4, 8, 9, 12]
    assert vocabs["multiplier"].get("亿") == 8 and vocabs["unit"].get("%") is not None


@pytest.mark.parametrize("name", EXAMPLE_KINDS)
def test_the_csv_template_documents_the_columns_and_comments_out_the_example(name: str) -> None:
    raw = template_bytes(KINDS[name], "csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    table, problems = read_csv_text(raw.decode("utf-8-sig"), Path("t.csv"))
    assert problems == []
    rows = [r for r in table.rows if not r.is_comment()]
    assert len(rows) == 1 and rows[0].texts == KINDS[name].names  # the header only: the example is a comment
    comments = "\n".join(r.texts[0] for r in table.rows if r.is_comment())
    for column in KINDS[name].columns:
        assert f"#   {column.name} ({'required' if column.required else 'optional'}; {column.type}" in comments
    assert any(r.texts[0].startswith(EXAMPLE_MARK) for r in table.rows)


@pytest.mark.parametrize("name", ["observation", "element-park"])
def test_the_xlsx_template_has_a_data_sheet_lists_and_documentation(name: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    raw = template_bytes(KINDS[name], "xlsx")
    assert raw == template_bytes(KINDS[name], "xlsx"), "the same template every time"
    book = load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["data", "_lists", "_columns"]
    data = book["data"]
    assert [c.value for c in data[1]] == KINDS[name].names
    assert str(data["A2"].value).startswith(EXAMPLE_MARK)
    assert data["A1"].comment is not None
    assert [c.value for c in book["_columns"]["A"]][1:] == KINDS[name].names
    assert len(data.data_validations.dataValidation) == sum(1 for c in KINDS[name].columns if c.vocabulary or c.type == "boolean")
    path = tmp_path / "t.xlsx"
    path.write_bytes(raw)
    tables, problems = read_tables(path)
    assert problems == [] and [t.sheet for t in tables] == ["data"]


def test_the_xlsx_template_does_not_depend_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl dates the zip entries and ``dcterms:modified`` with the time of saving; two
    templates made years apart must still be the same bytes. (Shifting ``time.time`` alone moved
    the zip dates but not ``datetime.now``, so an earlier form of this test passed while CI failed.)"""
    import datetime as real
    import time
    import types
    import zipfile

    import openpyxl.writer.excel as excel

    made = []
    for year, seconds in ((2031, 1_950_000_000.0), (2032, 1_990_000_000.3)):

        class Clock(real.datetime):
            @classmethod
            def now(cls, tz=None, year=year):  # noqa: ANN001, ANN206 - the signature of datetime.now
                return real.datetime(year, 5, 6, 7, 8, 9, tzinfo=tz)

        monkeypatch.setattr(excel, "datetime", types.SimpleNamespace(datetime=Clock, timezone=real.timezone))
        monkeypatch.setattr(time, "time", lambda seconds=seconds: seconds)
        made.append(template_bytes(KINDS["observation"], "xlsx"))
    assert made[0] == made[1]
    with zipfile.ZipFile(io.BytesIO(made[0])) as package:
        assert {entry.date_time for entry in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert "2031" not in core and "2032" not in core
    assert core.count("2000-01-01T00:00:00Z") == 2, core


def test_every_example_row_ingests_on_the_shipped_data(data_copy: Path, tmp_path: Path) -> None:
    files = []
    for name in EXAMPLE_KINDS:
        text = template_bytes(KINDS[name], "csv").decode("utf-8-sig").replace(EXAMPLE_MARK, "")
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    reports = ingest(files, data=data_copy, check=True)
    assert [r.rows for r in reports] == [1] * len(EXAMPLE_KINDS)
    unverified = sorted(r.id for r in reports if r.unverified)
    assert unverified == ["chain-chief-post", "element-chain-chief"], "only the illustrations cite an unregistered document"


def test_the_catalogue_lists_and_documents_every_kind() -> None:
    listing = catalogue()
    assert [line.split()[0] for line in listing.splitlines()] == list(KINDS)
    markdown = catalogue("md")
    for kind in KINDS.values():
        assert f"### `{kind.name}`" in markdown
        assert all(f"| {c.name} |" in markdown for c in kind.columns)
    assert '"kind": "observation"' in catalogue("json", ["observation"])
