"""Template files for data entry: ``pilotkg template KIND --output FILE.csv|FILE.xlsx``.

A CSV template starts with comment lines (``#``) documenting every column (meaning, type,
allowed values, required or not), then the header, then an example row commented out, so that
it is never ingested by mistake: delete the ``# example:`` mark to use it. It is UTF-8 with a
byte order mark (spreadsheets then read the Chinese right), and cells that would start a formula
are neutralised.

An XLSX template has a ``data`` sheet (the header, the commented example row, drop-down lists of
the allowed values, a note on each header cell) and a ``_columns`` sheet documenting the columns;
sheets whose name starts with ``_`` are never ingested.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from .errors import MissingExtraError, OutputError
from .tables import render_delimited
from .templates import TYPES, Kind, allowed

EXAMPLE_MARK = "# example: "
DOC_COLUMNS = ["column", "required", "type", "allowed values", "meaning", "example"]


def doc_rows(kind: Kind) -> list[list[str]]:
    return [[c.name, "required" if c.required else "optional", f"{c.type}: {TYPES[c.type]}", ", ".join(allowed(c)),
             c.meaning, c.example] for c in kind.columns]


def example_row(kind: Kind) -> list[str]:
    row = kind.example_row()
    return [EXAMPLE_MARK + row[0]] + row[1:]


def csv_template(kind: Kind) -> bytes:
    lines = [f"# pilotkg template {kind.name}: {kind.title}. {kind.description}",
             "# Lines starting with # are not read. Put one fact per row below the header; delete the '# example: ' "
             "mark to keep the example row.",
             "# Columns:"]
    for name, required, type_, values, meaning, _ in doc_rows(kind):
        lines.append(f"#   {name} ({required}; {type_}{'; one of: ' + values if values else ''}): {meaning}")
    return ("\ufeff" + _comments(lines) + render_delimited(kind.names, [example_row(kind)])).encode("utf-8")


def _comments(lines: list[str]) -> str:
    """Comment lines as CSV records of one cell, quoted when they hold a comma or a quote."""
    out = []
    for line in lines:
        out.append('"' + line.replace('"', '""') + '"' if any(ch in line for ch in ',"\n') else line)
    return "\n".join(out) + "\n"


def xlsx_template(kind: Kind) -> bytes:
    try:
        from openpyxl import Workbook
        from openpyxl.comments import Comment
        from openpyxl.styles import Font
        from openpyxl.worksheet.datavalidation import DataValidation
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise MissingExtraError("writing .xlsx needs openpyxl: pip install openpyxl (or ask for a .csv template)") from exc
    book = Workbook()
    fixed = datetime(2000, 1, 1)
    book.properties.created = fixed  # the modified date is set by _stamped_alike: openpyxl's save overwrites it
    book.properties.creator = "pilotkg"
    data = book.active
    assert data is not None
    data.title = "data"
    lists = book.create_sheet("_lists")
    docs = book.create_sheet("_columns")
    for index, column in enumerate(kind.columns, 1):
        cell = data.cell(row=1, column=index, value=column.name)
        cell.font = Font(bold=True)
        cell.comment = Comment(f"{'Required' if column.required else 'Optional'}; {column.type}. {column.meaning}", "pilotkg")
        values = allowed(column)
        if values:
            for offset, value in enumerate(values, 1):
                _text(lists.cell(row=offset, column=index), value)
            letter = lists.cell(row=1, column=index).column_letter
            check = DataValidation(type="list", formula1=f"'_lists'!${letter}$1:${letter}${len(values)}", allow_blank=True)
            check.error = f"Use one of the allowed values of {column.name}."
            data.add_data_validation(check)
            check.add(f"{data.cell(row=3, column=index).column_letter}3:{data.cell(row=3, column=index).column_letter}2000")
    for index, value in enumerate(example_row(kind), 1):
        cell = _text(data.cell(row=2, column=index), value)
        cell.font = Font(italic=True, color="808080")
    data.freeze_panes = "A2"
    for r, row in enumerate([DOC_COLUMNS, *doc_rows(kind)], 1):
        for c, value in enumerate(row, 1):
            cell = _text(docs.cell(row=r, column=c), value)
            if r == 1:
                cell.font = Font(bold=True)
    lists.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return _stamped_alike(out.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)")


def _stamped_alike(package: bytes) -> bytes:
    """The zip package with nothing in it that says when it was made, so that the same kind
    always gives the same bytes. openpyxl dates every zip entry now, and its ``save`` sets
    ``dcterms:modified`` in ``docProps/core.xml`` to the current second whatever the workbook
    says: two templates made across a second boundary differed (seen in CI, twice). Every
    entry is dated 1980-01-01 and the modified date is the created one, 2000-01-01."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type, fixed.external_attr = entry.compress_type, entry.external_attr
            body = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                body, found = _MODIFIED.subn(rb"\g<1>2000-01-01T00:00:00Z\g<2>", body)
                if found != 1:  # pragma: no cover - a change of openpyxl's output
                    raise OutputError(f"openpyxl wrote {found} modified dates in docProps/core.xml, not 1")
            target.writestr(fixed, body)
    return out.getvalue()


def _text(cell, value: str):  # noqa: ANN001, ANN202 - openpyxl cells
    """Write ``value`` as text, never as a formula."""
    cell.value = value
    cell.data_type = "s"
    return cell


def template_bytes(kind: Kind, fmt: str) -> bytes:
    """The template of ``kind`` as a ``csv`` or ``xlsx`` file."""
    if fmt == "xlsx":
        return xlsx_template(kind)
    return csv_template(kind)
