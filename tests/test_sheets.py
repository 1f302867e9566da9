"""Reading spreadsheets: encodings detected or given (UTF-8 with or without BOM, GB18030), and
refused when not certain; malformed CSV refused with its line; XLSX sheets, numbers and formulas;
numbers with full-width digits, separators and Chinese magnitudes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pilotkg.errors import InputError
from pilotkg.sheets import Number, NumberError, decode, parse_number, read_csv_text, read_tables, unneutralise

HEADER = "pilot_city,batch,source_url_or_file,quote\n"
ROW = "成都市,1,sichuan-first-pilot-lists,\"Recently, Chengdu, Deyang, Mianyang and Yibin were listed.\"\n"


@pytest.mark.parametrize(("raw", "encoding"), [
    ((HEADER + ROW).encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + (HEADER + ROW).encode("utf-8"), "utf-8-sig"),
    ((HEADER + ROW).encode("gb18030"), "gb18030"),
])
def test_encodings_are_detected(raw: bytes, encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(raw)
    (table,), problems = read_tables(path)
    assert problems == []
    assert table.encoding == encoding
    assert table.rows[1].texts[0] == "成都市"
    assert table.rows[0].texts[0] == "pilot_city"  # the byte order mark is not part of the first column's name


def test_a_latin1_file_is_refused_rather_than_misread_as_gb18030(tmp_path: Path) -> None:
    raw = "city,notes\nChengdu,café au lait\n".encode("latin-1")  # é followed by a space: not GB18030 either
    text, used, problems = decode(raw, tmp_path / "x.csv", None)
    assert text == "" and len(problems) == 1 and problems[0].line == 2
    raw = "city,notes\nChengdu,Ménage\n".encode("latin-1")  # é followed by n: valid GB18030, but not common Chinese
    text, used, problems = decode(raw, tmp_path / "x.csv", None)
    assert text == "" and len(problems) == 1
    assert "cannot be told for sure" in problems[0].message and "--encoding" in (problems[0].hint or "")
    text, used, problems = decode(raw, tmp_path / "x.csv", "latin-1")
    assert problems == [] and "Ménage" in text


def test_an_undecodable_byte_in_the_declared_encoding_names_its_line(tmp_path: Path) -> None:
    raw = HEADER.encode() + "成都市,1\n".encode("gb18030")
    text, used, problems = decode(raw, tmp_path / "x.csv", "utf-8")
    assert text == "" and len(problems) == 1
    assert problems[0].line == 2 and "cannot be decoded as utf-8" in problems[0].message


def test_utf16_is_refused_with_a_fix(tmp_path: Path) -> None:
    _, _, problems = decode((HEADER + ROW).encode("utf-16"), tmp_path / "x.csv", None)
    assert len(problems) == 1 and "UTF-16" in problems[0].message


def test_an_unknown_encoding_name_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown encoding"):
        decode(b"a\n", tmp_path / "x.csv", "no-such-codec")


@pytest.mark.parametrize(("text", "line", "column", "words"), [
    ('a,b\n1,"open\n2,3\n', 2, "-", "never closed"),
    ('a,b\n"x"y,2\n', 2, "-", "text follows the closing quote"),
    ('a,b\nx"y,2\n', 2, "-", "a quote (\") inside a cell that is not in quotes"),
    ("a,b\n1,2,3\n", 2, "-", "too many"),
    ("a,b\n1\n", 2, "-", "too few"),
    ('a,b\n1,"two\nlines"\n', 2, "b", "runs from line 2 to line 3"),
])
def test_malformed_csv_is_refused_with_its_line(text: str, line: int, column: str, words: str) -> None:
    _, problems = read_csv_text(text, Path("x.csv"))
    assert len(problems) == 1, problems
    assert (problems[0].line, problems[0].column) == (line, column)
    assert words in problems[0].message


def test_well_formed_csv_keeps_quotes_commas_and_multiline_notes() -> None:
    table, problems = read_csv_text('# a comment, with a comma\na,notes\n"x, ""y""","one\ntwo"\n\n3,4\n', Path("x.csv"))
    assert problems == []
    rows = [r for r in table.rows if not r.is_comment()]
    assert [r.texts for r in rows] == [["a", "notes"], ['x, "y"', "one\ntwo"], ["3", "4"]]
    assert [r.number for r in rows] == [2, 3, 6]


@pytest.mark.parametrize(("text", "number"), [
    ("１,５４２.８２", Number("1542.82")),
    ("１,５４２.８２亿元", Number("1542.82", 8, "yuan")),
    ("3.5万元", Number("3.5", 4, "yuan")),
    ("2万亿", Number("2", 12, None)),
    ("1,542.82 billion", Number("1542.82", 9, None)),
    ("1.5 Trillion yuan", Number("1.5", 12, "yuan")),
    ("67.3%", Number("67.3", None, "percent")),
    ("６７．３％", Number("67.3", None, "percent")),
    ("-0.5", Number("-0.5")),
    ("100", Number("100")),
])
def test_numbers_are_read_with_their_magnitude_and_unit(text: str, number: Number) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["1,5428", "1.542,82", "两万", "1,542.82 bn", "12 apples", "", "1.2.3"])
def test_numbers_that_cannot_be_read_for_sure_are_refused(text: str) -> None:
    with pytest.raises(NumberError):
        parse_number(text)


def test_neutralised_cells_are_read_back() -> None:
    assert unneutralise("'=SUM(A1)") == "=SUM(A1)"
    assert unneutralise("'quoted") == "'quoted"


def _workbook(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "cities"
    sheet.append(["pilot_city", "batch", "source_url_or_file", "quote"])
    sheet.append(["成都市", 1, "sichuan-first-pilot-lists", "words"])
    sheet.append([510600, 1.0, "=A2", None])
    notes = book.create_sheet("_notes")
    notes.append(["never read"])
    empty = book.create_sheet("empty")
    del empty
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())


def test_xlsx_sheets_numbers_and_formulas(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    _workbook(path)
    tables, problems = read_tables(path)
    assert [t.sheet for t in tables] == ["cities"]
    assert [r.texts for r in tables[0].rows][:2] == [["pilot_city", "batch", "source_url_or_file", "quote"],
                                                     ["成都市", "1", "sichuan-first-pilot-lists", "words"]]
    assert tables[0].rows[2].texts[:2] == ["510600", "1"]
    assert len(problems) == 1
    assert (problems[0].sheet, problems[0].line, problems[0].column) == ("cities", 3, "source_url_or_file")
    assert "formula" in problems[0].message


def test_xlsx_refuses_an_encoding_and_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK not really a zip")
    tables, problems = read_tables(path)
    assert tables == [] and "not a readable .xlsx" in problems[0].message
    with pytest.raises(InputError, match="--encoding applies to CSV"):
        read_tables(path, encoding="gb18030")


def test_other_file_types_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "book.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match="cannot ingest a .xls file"):
        read_tables(path)
