"""The data-entry commands of the CLI: ``pilotkg templates``, ``template``, ``ingest`` and ``diff``.

:func:`add_commands` adds them to ``pilotkg``'s subcommands. Like :mod:`pilotkg.cli`, only this
module prints; errors are :class:`~pilotkg.errors.PilotkgError` that ``cli.main`` turns into exit
codes (``ingest``: 1 when a row is refused and nothing was written, 2 on a usage error).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

TEMPLATE_FORMATS = ("csv", "xlsx")
DIFF_FORMATS = ("text", "md", "json")


def cmd_templates(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .templates import KINDS, catalogue

    unknown = [k for k in args.kinds if k not in KINDS]
    if unknown:
        raise InputError(f"unknown kind {unknown[0]!r}", hint=f"the kinds are: {', '.join(KINDS)}")
    sys.stdout.write(catalogue(args.format, args.kinds or None))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .rdfio import write_atomically
    from .templatefiles import template_bytes
    from .templates import KINDS

    if args.kind not in KINDS:
        raise InputError(f"unknown kind {args.kind!r}", hint=f"the kinds are: {', '.join(KINDS)} (pilotkg templates)")
    output = Path(args.output)
    fmt = args.format or output.suffix.lower().lstrip(".")
    if fmt not in TEMPLATE_FORMATS:
        raise InputError(f"cannot tell the template format of {args.output!r}", hint="end the file name in .csv or .xlsx")
    for path in write_atomically([(output, template_bytes(KINDS[args.kind], fmt))]):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import ingest

    reports = ingest([Path(f) for f in args.files], data=Path(args.data) if args.data else None, source_id=args.source_id,
                     encoding=args.encoding, check=args.check)
    for report in reports:
        verb = {"written": "wrote", "unchanged": "unchanged", "checked": "checked (nothing written)"}[report.status]
        print(f"{verb} {report.target}: {report.rows} row(s) of {report.file} ({report.verified} quote(s) verified, "
              f"{len(report.unverified)} unverified, {report.assertions} own assertion(s) kept apart, "
              f"{report.skipped} empty worksheet row(s) skipped)", file=sys.stderr)
        for line in report.unverified:
            print(f"  unverified quote: {line}", file=sys.stderr)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from . import diff
    from .rdfio import write_atomically

    old = diff.load(args.old)
    new = diff.load(args.new, data=args.data)
    found = diff.diff(old, new)
    text = diff.render(found, args.format, old=args.old, new=args.new or "the current build")
    if args.output:
        for path in write_atomically([(Path(args.output), text.encode("utf-8"))]):
            print(f"wrote {path}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def add_commands(sub: argparse._SubParsersAction, data_opts: Callable[..., None]) -> None:
    """Add ``templates``, ``template``, ``ingest`` and ``diff`` to the CLI's subcommands; ``data_opts``
    adds ``--data`` (and ``--dataset`` unless ``dataset=False``) to a subcommand."""
    ts = sub.add_parser("templates", help="list the kinds of fact a spreadsheet can hold, or describe their columns",
                        description="Without KIND: list the kinds. With KIND(s): their columns, each with its meaning, type, "
                                    "allowed values and whether it is required. --format md gives the documentation.")
    ts.add_argument("kinds", nargs="*", metavar="KIND", help="describe these kinds")
    ts.add_argument("--format", choices=["text", "md", "json"], default="text")
    ts.set_defaults(func=cmd_templates)

    t = sub.add_parser("template", help="write the data-entry template of one kind (CSV or XLSX)",
                       description="Write the template of KIND: the columns documented (meaning, type, allowed values, "
                                   "required) and an example row, commented out. Written atomically.")
    t.add_argument("kind", metavar="KIND", help="the kind of fact (pilotkg templates lists them)")
    t.add_argument("--output", "-o", required=True, metavar="FILE.csv|FILE.xlsx", help="where to write the template")
    t.add_argument("--format", choices=TEMPLATE_FORMATS, help="csv or xlsx (default: from the file name)")
    t.set_defaults(func=cmd_template)

    i = sub.add_parser("ingest", help="check spreadsheets row by row and add each as a named graph (data/ingested/ID.trig)",
                       description="Read CSV and XLSX files, check every row (required cells, types, references, duplicate "
                                   "keys, units and lists, quotes), and only if all are right write each file as "
                                   "data/ingested/ID.trig, atomically. Exit 0 when written, 1 when a row is refused (every "
                                   "problem is listed as file:sheet:row:column; nothing is written), 2 on a usage error.")
    i.add_argument("files", nargs="+", metavar="FILE", help="the spreadsheets (.csv, .xlsx)")
    i.add_argument("--source-id", metavar="ID", help="the ID of the file's graph (default: from the file name); "
                                                      "ingesting under the same ID replaces that graph")
    i.add_argument("--encoding", metavar="ENC", help="the encoding of CSV files (utf-8, utf-8-sig, gb18030); "
                                                     "default: detected, and refused when not certain")
    i.add_argument("--check", action="store_true", help="check the rows and write nothing")
    data_opts(i, dataset=False)
    i.set_defaults(func=cmd_ingest)

    d = sub.add_parser("diff", help="what changed between two built datasets, or a dataset and the current build",
                       description="Compare OLD with NEW (two built datasets, .trig or .nq; without NEW, the current build "
                                   "of --data): facts added, removed and changed, by named graph and entity, and the "
                                   "requirement assessments that changed (gaps closed or opened).")
    d.add_argument("old", metavar="OLD", help="a built dataset (.trig or .nq)")
    d.add_argument("new", nargs="?", metavar="NEW", help="a built dataset (default: build --data in memory)")
    d.add_argument("--format", choices=DIFF_FORMATS, default="text")
    d.add_argument("--output", "-o", metavar="FILE", help="write to FILE, atomically, instead of stdout")
    data_opts(d, dataset=False)
    d.set_defaults(func=cmd_diff)
