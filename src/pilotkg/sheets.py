"""Reading the analysts' spreadsheets (CSV and XLSX) into plain tables of text cells, and reading
numbers the way Chinese and English sheets write them. Nothing is ever silently misread: what
cannot be read for sure is a :class:`~pilotkg.errors.CellProblem` with its file, sheet, row and
column.

* **Encodings** (CSV): UTF-8 with or without a byte order mark, and GB18030 (GBK, GB2312), which
  Chinese spreadsheets often save. Without ``encoding`` the bytes must be UTF-8, or else read as
  GB18030 to characters of GB2312 only (common Chinese characters, full-width forms,
  punctuation); anything else is refused with the line, and ``--encoding`` decides.
* **CSV** (RFC 4180, comma-separated): a quote inside an unquoted cell, text after a closing
  quote, a quote never closed, a cell running over several lines (except in ``notes``) and a row
  with more or fewer cells than the header are refused.
* **XLSX** (openpyxl): every sheet whose name does not start with ``_``; a formula is refused
  (its value is not stored for sure), numbers become their shortest exact decimal text.
* Rows whose first cell starts with ``#`` are comments (the templates' documentation and example).

>>> parse_number("１,５４２.８２亿元")
Number(value='1542.82', multiplier=8, unit='yuan')
>>> parse_number("1,542.82 billion")
Number(value='1542.82', multiplier=9, unit=None)
>>> parse_number("4.1%")
Number(value='4.1', multiplier=None, unit='percent')
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import CellProblem, InputError, MissingExtraError

#: Words for powers of ten after a number, and the power (sdmx unit multiplier) each stands for.
MAGNITUDES: dict[str, int] = {"万亿": 12, "亿": 8, "万": 4, "千": 3, "trillion": 12, "billion": 9, "million": 6,
                              "thousand": 3}
#: Unit words after a number, by the unit name the templates use.
UNIT_WORDS: dict[str, str] = {"元": "yuan", "人民币": "yuan", "yuan": "yuan", "rmb": "yuan", "%": "percent",
                              "percent": "percent"}
_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<mag>" + "|".join(sorted(MAGNITUDES, key=len, reverse=True)) + r")?"
    r"(?P<unit>" + "|".join(re.escape(u) for u in sorted(UNIT_WORDS, key=len, reverse=True)) + r")?$",
    re.IGNORECASE)
COMMENT = "#"
NO_SHEET = "-"
#: Columns whose cells may run over several lines.
MULTILINE_COLUMNS = frozenset({"notes"})
FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Number:
    """A number as a sheet writes it: the decimal value, and the magnitude word and unit written
    after it, if any."""

    value: str
    multiplier: int | None = None
    unit: str | None = None


class NumberError(ValueError):
    """A cell is not a number pilotkg can read for sure; the message says why."""


def parse_number(text: str) -> Number:
    """Read a number with full-width digits and separators, thousands separators, a magnitude
    word (万, 亿, 万亿, billion, trillion ...) and a unit word (元, yuan, %)."""
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"[\s\u00a0\u2009\u202f_]", "", folded).replace("\u3001", ",")
    match = _NUMBER.match(folded)
    if match is None:
        if re.fullmatch(r"[+-]?\d+(,\d+)+(\.\d+)?\D*", folded):
            raise NumberError(f"{text!r}: a comma must separate groups of three digits (1,542.82); a decimal "
                              "comma is not read, to avoid misreading it")
        if re.fullmatch(r"[+-]?\d+(\.\d{3})+,\d+\D*", folded):
            raise NumberError(f"{text!r} writes the decimal point as a comma; write 1542.82")
        raise NumberError(f"{text!r} is not a number pilotkg can read (digits, an optional point, then optionally "
                          "万, 亿, 万亿, billion or trillion and 元, yuan or %)")
    digits = match.group("digits").replace(",", "")
    try:
        value = Decimal(match.group("sign") + digits)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits decimals only
        raise NumberError(f"{text!r} is not a decimal number") from exc
    mag = match.group("mag")
    unit = match.group("unit")
    return Number(_decimal_text(value), MAGNITUDES[mag.lower()] if mag else None,
                  UNIT_WORDS[unit.lower()] if unit else None)


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    return text[1:] if text.startswith("+") else text


@dataclass
class Cell:
    text: str
    #: The last line of a CSV cell that runs over several lines (else equal to the row).
    end_line: int = 0


@dataclass
class Row:
    """A row of a sheet: its number as a spreadsheet shows it (a CSV file's line) and its cells."""

    number: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def is_blank(self) -> bool:
        return all(not c.text.strip() for c in self.cells)

    def is_comment(self) -> bool:
        first = next((c.text.strip() for c in self.cells if c.text.strip()), "")
        return first.startswith(COMMENT)


@dataclass
class Table:
    """One sheet (a CSV file is one table named ``-``), its rows in order."""

    file: Path
    sheet: str
    rows: list[Row] = field(default_factory=list)
    encoding: str = ""

    def problem(self, row: int | None, column: str, message: str, hint: str | None = None) -> CellProblem:
        return CellProblem(message, self.file, row, hint, sheet=self.sheet, column=column)


def read_tables(path: Path, *, encoding: str | None = None) -> tuple[list[Table], list[CellProblem]]:
    """The tables of a CSV or XLSX file, and what makes the file unreadable (then no table)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("file not found", file=path) from exc
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=path) from exc
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        if encoding:
            raise InputError("--encoding applies to CSV files; an XLSX workbook says its own", file=path)
        return read_xlsx(path, raw)
    if suffix in (".csv", ".txt"):
        text, used, problems = decode(raw, path, encoding)
        if problems:
            return [], problems
        table, problems = read_csv_text(text, path)
        table.encoding = used
        return ([table] if not problems else []), problems
    raise InputError(f"cannot ingest a {suffix or 'suffix-less'} file", file=path,
                     hint="save the sheet as .csv (UTF-8) or .xlsx; .xls is not read")


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def decode(raw: bytes, path: Path, encoding: str | None) -> tuple[str, str, list[CellProblem]]:
    """The text of a CSV file and the encoding it was read in, or why it cannot be read for sure."""
    def fail(offset: int, message: str, hint: str) -> tuple[str, str, list[CellProblem]]:
        return "", "", [CellProblem(message, path, _line_of(raw, offset), hint, sheet=NO_SHEET)]

    if encoding:
        import codecs

        try:
            name = codecs.lookup(encoding).name
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r}", file=path,
                             hint="use utf-8, utf-8-sig or gb18030") from exc
        body = raw[3:] if name in ("utf-8", "utf-8-sig") and raw.startswith(b"\xef\xbb\xbf") else raw
        try:
            return body.decode(name), name, []
        except UnicodeDecodeError as exc:
            offset = exc.start + len(raw) - len(body)
            return fail(offset, f"byte 0x{raw[offset]:02x} (at byte {offset}) cannot be decoded as {name}",
                        "save the file in that encoding, or give the --encoding it was saved in (utf-8, gb18030)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        return fail(0, "the file is UTF-16 or binary, not a text CSV",
                    "save it as 'CSV UTF-8 (comma delimited)' or as .xlsx")
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig", []
        except UnicodeDecodeError as exc:
            return fail(exc.start + 3, f"byte 0x{raw[exc.start + 3]:02x} (at byte {exc.start + 3}) is not UTF-8, "
                        "though the file starts with a UTF-8 byte order mark", "save the file again as UTF-8")
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        return fail(exc.start, f"the file is neither UTF-8 (byte 0x{raw[first_bad]:02x} at byte {first_bad}) nor "
                    f"GB18030 (byte 0x{raw[exc.start]:02x} at byte {exc.start})",
                    "save it as UTF-8, or give --encoding with the encoding it was saved in")
    for index, char in enumerate(text):
        if ord(char) > 127:
            try:
                char.encode("gb2312")
            except UnicodeEncodeError:
                offset = len(text[:index].encode("gb18030"))
                return fail(offset, f"the bytes are not UTF-8, and read as GB18030 they give {char!r} (U+{ord(char):04X}), "
                            "a character outside common Chinese text: the encoding cannot be told for sure",
                            "give --encoding (gb18030 if the file is Chinese, else the encoding it was saved in), "
                            "or save it as UTF-8")
    return text, "gb18030", []


def read_csv_text(text: str, path: Path) -> tuple[Table, list[CellProblem]]:
    """Split RFC 4180 CSV text into rows, refusing what a lenient reader would guess at."""
    table = Table(path, NO_SHEET)
    problems: list[CellProblem] = []
    header: list[str] | None = None
    for row, errors in _records(text):
        if errors:
            problems += [table.problem(line, "-", message, hint) for line, message, hint in errors]
            continue
        if row.is_blank():
            continue
        if not row.is_comment():
            if header is None:
                header = [c.text.strip().lower() for c in row.cells]
            elif len(row.cells) != len(header):
                more = len(row.cells) > len(header)
                problems.append(table.problem(row.number, "-", f"the row has {len(row.cells)} cells, the header "
                                              f"{len(header)}: {'too many' if more else 'too few'}",
                                              "a comma inside a cell needs the cell in quotes (\"...\")" if more
                                              else "add the missing cells (empty ones too), one per column"))
                continue
            for name, cell in zip(header, row.cells, strict=False):
                if cell.end_line > row.number and name not in MULTILINE_COLUMNS:
                    problems.append(table.problem(row.number, name, f"the cell runs from line {row.number} to line "
                                                  f"{cell.end_line}: is a quote (\") left open?",
                                                  "close the quote; only notes may hold line breaks"))
        table.rows.append(row)
    return table, problems


def _records(text: str):  # noqa: ANN202 - a generator of (Row, errors)
    """Yield each record with its starting line, and the syntax errors found in it."""
    i, n, line = 0, len(text), 1
    while i < n:
        row = Row(line)
        errors: list[tuple[int, str, str]] = []
        while True:
            cell_line = line
            if i < n and text[i] == '"':
                i += 1
                buf = []
                while True:
                    if i >= n:
                        errors.append((cell_line, "a quote (\") opens a cell here and is never closed",
                                       "close the quote, or double a quote inside a cell (\"\")"))
                        break
                    ch = text[i]
                    if ch == '"':
                        if i + 1 < n and text[i + 1] == '"':
                            buf.append('"')
                            i += 2
                            continue
                        i += 1
                        break
                    if ch == "\n":
                        line += 1
                    buf.append(ch)
                    i += 1
                row.cells.append(Cell("".join(buf).replace("\r\n", "\n"), line))
                if i < n and text[i] not in ",\r\n":
                    errors.append((line, "text follows the closing quote of a cell",
                                   "put the whole cell in quotes and double any quote inside it (\"\")"))
                    while i < n and text[i] not in ",\n":
                        i += 1
            else:
                start = i
                while i < n and text[i] not in ",\r\n":
                    i += 1
                value = text[start:i]
                if '"' in value:
                    errors.append((line, "a quote (\") inside a cell that is not in quotes",
                                   "put the cell in quotes and double the quote inside it (\"\")"))
                row.cells.append(Cell(value, line))
            if i < n and text[i] == ",":
                i += 1
                continue
            if i < n and text[i] == "\r":
                i += 1
            if i < n and text[i] == "\n":
                i += 1
            line += 1
            break
        yield row, errors


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _decimal_text(Decimal(repr(value))) if value == value and abs(value) != float("inf") else repr(value)
    return str(value)


def read_xlsx(path: Path, raw: bytes) -> tuple[list[Table], list[CellProblem]]:
    try:
        import openpyxl
        from openpyxl.utils import get_column_letter
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise MissingExtraError("reading .xlsx needs openpyxl: pip install openpyxl (or save the sheet as CSV)") from exc
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, XML errors ...
        return [], [CellProblem(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})", path, None,
                                "open it in a spreadsheet and save it again as .xlsx", sheet=NO_SHEET)]
    tables, problems = [], []
    try:
        for sheet in book.worksheets:
            if sheet.title.startswith("_"):
                continue
            table = Table(path, sheet.title, encoding="xlsx")
            header: list[str] = []
            for cells in sheet.iter_rows():
                number = next((c.row for c in cells if getattr(c, "row", None)), None)
                if number is None:  # a row of empty cells
                    continue
                row = Row(number)
                for cell in cells:
                    kind = getattr(cell, "data_type", "n")
                    value = getattr(cell, "value", None)
                    column = header[len(row.cells)] if len(row.cells) < len(header) else get_column_letter(len(row.cells) + 1)
                    if kind == "f" or (isinstance(value, str) and value.startswith("=") and kind != "s"):
                        problems.append(table.problem(number, column, f"a formula ({value}): its value is not stored "
                                                      "for sure", "type the value itself into the cell"))
                    elif isinstance(value, datetime | date | time):
                        problems.append(table.problem(number, column, f"a date or time ({value}); no column takes dates",
                                                      "format the cell as text (a year as four digits)"))
                    row.cells.append(Cell(_xlsx_text(value), number))
                while row.cells and not row.cells[-1].text:
                    row.cells.pop()
                if row.is_blank():
                    continue
                if not header and not row.is_comment():
                    header = [c.text.strip().lower() for c in row.cells]
                table.rows.append(row)
            if table.rows:
                tables.append(table)
    finally:
        book.close()
    return tables, problems


def unneutralise(text: str) -> str:
    """Undo the apostrophe that pilotkg's CSV exports put before a cell that would start a
    spreadsheet formula (``'=x`` is read as ``=x``)."""
    if text.startswith("'") and text[1:2] in FORMULA_START:
        return text[1:]
    return text
