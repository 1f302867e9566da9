"""Presenting tabular results as text tables, CSV or TSV. Cells that a spreadsheet would read as
a formula are neutralised in CSV/TSV (a leading ', as OWASP advises)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Output formats of query results: tables for SELECT and ASK, RDF for CONSTRUCT and DESCRIBE.
#: Kept here, in a light module, so that the CLI can offer them without importing rdflib.
SELECT_FORMATS = ("table", "csv", "tsv", "json", "md")
GRAPH_FORMATS = ("turtle", "jsonld", "trig")


def neutralise(cell: str) -> str:
    """Prefix a cell that starts like a spreadsheet formula with an apostrophe.

    >>> neutralise("=HYPERLINK(1)")
    "'=HYPERLINK(1)"
    >>> neutralise("-12.5")
    '-12.5'
    """
    if cell.startswith(FORMULA_START):
        try:
            float(cell)
            return cell
        except ValueError:
            return "'" + cell
    return cell


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, max_width: int = 60) -> str:
    """A plain text table; long cells are cut with an ellipsis."""
    def cut(cell: str) -> str:
        cell = " ".join(cell.split())
        return cell if len(cell) <= max_width else cell[: max_width - 1] + "\u2026"

    cells = [[cut(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join([line, rule, *body]) + "\n"


def render_delimited(headers: Sequence[str], rows: Sequence[Sequence[str]], *, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return out.getvalue()
