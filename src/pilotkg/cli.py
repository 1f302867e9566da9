"""The command line: ``pilotkg build|stats|query|queries``.

Only this module prints or exits. Exit codes: 0 success; 1 the data failed a check (a build
that found problems); 2 an error of usage or input. Heavy modules are imported inside the
commands so that ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__


def _ontology_version() -> str:
    from .build import load_ontology, ontology_version

    return ontology_version(load_ontology())


def _load_graph(args: argparse.Namespace):
    """The store to work on: ``--dataset FILE`` (or an http(s) SPARQL endpoint URL) if given,
    else the data built in memory from ``--data``."""
    from .store import open_store

    return open_store(getattr(args, "dataset", None), data=Path(args.data) if getattr(args, "data", None) else None)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    result = build(Path(args.output), Path(args.data) if args.data else None)
    for path in result.written:
        print(f"wrote {path}", file=sys.stderr)
    print(f"built {len(result.dataset)} triples from {len(result.sources)} source(s)", file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .stats import compute
    from .tables import render_table

    graph = _load_graph(args)
    stats = compute(graph)
    if args.format == "json":
        print(json.dumps({"triples": stats.triples, "graphs": dict(stats.graphs), "classes": dict(stats.classes),
                          "conflicts": len(stats.conflicts), "conflict_details": stats.conflicts}, indent=2))
        return 0
    nm = graph.namespace_manager
    print(f"{stats.triples} triples in {len(stats.graphs)} named graphs\n")
    base = "https://w3id.org/pilotkg/id/"
    print(render_table(["named graph", "triples"], [[g.replace(base, "id:", 1), str(n)] for g, n in stats.graphs], max_width=100))
    print(render_table(["class", "instances"], [[_short(nm, c), str(n)] for c, n in stats.classes]))
    print(f"conflicts between sources: {len(stats.conflicts)}")
    for c in stats.conflicts:
        print(f"  {c['kind']}: {_short(nm, c['subject'])} {_short(nm, c['property'])}: "
              f"{c['value1']} ({c['graph1']}) vs {c['value2']} ({c['graph2']})")
    return 0


def _short(nm, iri: str) -> str:
    from rdflib import URIRef

    try:
        return nm.normalizeUri(URIRef(iri)) if iri.startswith("http") else iri
    except Exception:
        return iri


def cmd_validate(args: argparse.Namespace) -> int:
    from .compliance import assess
    from .errors import InputError
    from .rdfio import write_atomically
    from .report import ALIASES, format_for, render, render_worksheet
    from .validate import validate

    fmt = ALIASES.get(args.format, args.format) if args.format else None
    targets: list[tuple[str, Path | None]] = []
    for output in args.output or []:
        chosen = fmt or format_for(output)
        if chosen is None:
            raise InputError(f"cannot tell the report format of {output!r} from its name",
                             hint="give --format, or end the file name in .txt, .md, .html, .json or .ttl")
        targets.append((chosen, Path(output)))
    if not targets:
        targets.append((fmt or "text", None))
    dataset = _load_graph(args)
    validation = validate(dataset)
    compliance = assess(dataset, validation)
    files = [(path, render(compliance, chosen).encode("utf-8")) for chosen, path in targets if path is not None]
    if args.worksheet:
        files.append((Path(args.worksheet), render_worksheet(compliance).encode("utf-8")))
    for written in write_atomically(files):
        print(f"wrote {written}", file=sys.stderr)
    for chosen, target in targets:
        if target is None:
            sys.stdout.write(render(compliance, chosen))
    counts = ", ".join(f"{validation.count(s)} {s}(s)" for s in ("violation", "warning", "info"))
    failed = validation.fails(args.fail_on)
    print(f"validation: {counts}; {'fails' if failed else 'passes'} at --fail-on {args.fail_on}", file=sys.stderr)
    return 1 if failed else 0


def cmd_queries(args: argparse.Namespace) -> int:
    from . import querylib

    if args.name:
        query = querylib.get(args.name)
        print(query.text, end="" if query.text.endswith("\n") else "\n")
        return 0
    for name, query in querylib.library().items():
        params = " ".join(f"[{p.name}={p.default}]" if p.default else f"[{p.name}]" for p in query.params)
        print(f"{name:28} {query.title}" + (f"  {params}" if params else ""))
    return 0


SELECT_FORMATS = ("table", "csv", "tsv", "json", "md")
GRAPH_FORMATS = ("turtle", "jsonld", "trig")


def cmd_query(args: argparse.Namespace) -> int:
    from . import querylib
    from .errors import QueryError
    from .present import render_result

    values: dict[str, str] = {}
    for item in args.param or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise QueryError(f"--param {item!r}: write NAME=VALUE")
        values[name] = value
    if args.file:
        path = Path(args.file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"cannot read {path}: {exc.strerror}") from exc
        named = querylib.parse_header(path.stem, path, text) if text.lstrip().startswith("# title:") else None
        if values and named is None:
            raise QueryError(f"{path} has no '# title:' header declaring parameters, so --param cannot apply")
    elif args.sparql:
        if values:
            raise QueryError("--param applies to named queries and --file, not to --sparql")
    elif args.name:
        querylib.get(args.name)  # fail on an unknown name before loading anything
    else:
        raise QueryError("name a query, or give --file or --sparql; `pilotkg queries` lists the library")
    store = _load_graph(args)
    if args.file:
        result = querylib.run(store, named, values) if named else querylib.run_text(store, text)
    elif args.sparql:
        result = querylib.run_text(store, args.sparql)
    else:
        result = querylib.run(store, querylib.get(args.name), values)
    output, count = render_result(result, store, fmt=args.format, lang=args.lang)
    sys.stdout.write(output)
    if count is not None and args.format == "table":
        print(f"({count} row{'s' if count != 1 else ''})", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pilotkg", description=(
        "A knowledge graph of Sichuan's pilot competitive manufacturing cities and pilot special "
        "advantageous industries, with a query layer."))
    p.add_argument("--version", action="store_true", help="print the package and ontology versions")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def data_opts(sp: argparse.ArgumentParser, *, dataset: bool = True) -> None:
        sp.add_argument("--data", metavar="DIR", help="the data folder (default: the data shipped with pilotkg)")
        if dataset:
            sp.add_argument("--dataset", metavar="FILE|URL",
                            help="a built dataset (.trig or .nq), or a SPARQL endpoint URL, instead of building in memory")

    b = sub.add_parser("build", help="assemble, check and write the dataset",
                       description="Assemble ontology, reference identifiers, sources and RDFS closure; check; "
                                   "then write pilotkg.trig, pilotkg.nq and void.ttl atomically.")
    data_opts(b, dataset=False)
    b.add_argument("--output", "-o", metavar="DIR", default="out", help="output folder (default: out)")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("stats", help="counts by class and named graph, and conflicts between sources")
    data_opts(s)
    s.add_argument("--format", choices=["table", "json"], default="table")
    s.set_defaults(func=cmd_stats)

    q = sub.add_parser("query", help="run a named query, a query file or a SPARQL string")
    q.add_argument("name", nargs="?", help="a query of the library (see `pilotkg queries`)")
    q.add_argument("--param", action="append", metavar="NAME=VALUE", help="a parameter (repeatable)")
    q.add_argument("--file", metavar="FILE", help="run the SPARQL query in FILE")
    q.add_argument("--sparql", metavar="QUERY", help="run this SPARQL query")
    q.add_argument("--format", choices=[*SELECT_FORMATS, *GRAPH_FORMATS], default=None,
                   help="table (default), csv, tsv, json (SPARQL 1.1 results JSON) or md for SELECT and ASK; "
                        "turtle (default), jsonld or trig for CONSTRUCT and DESCRIBE")
    q.add_argument("--lang", default="en", help="the language of labels shown beside IRIs (en, zh); default en")
    data_opts(q)
    q.set_defaults(func=cmd_query)

    v = sub.add_parser("validate", help="check the six-requirement rule and the data; write the report",
                       description="Validate with pySHACL against ontology/shapes and write the report. Exit 0 when no "
                                   "result reaches --fail-on, 1 when one does, 2 on an error.")
    data_opts(v)
    v.add_argument("--format", choices=["text", "md", "html", "json", "turtle", "ttl"],
                   help="report format (default: from each --output's suffix, else text)")
    v.add_argument("--output", "-o", action="append", metavar="FILE",
                   help="write the report to FILE, atomically (repeatable; the suffix picks the format)")
    v.add_argument("--fail-on", choices=["info", "warning", "violation"], default="violation",
                   help="the least severity that makes the exit code 1 (default: violation)")
    v.add_argument("--worksheet", metavar="FILE.csv", help="also write the gaps as a fill-in worksheet (CSV)")
    v.set_defaults(func=cmd_validate)

    ql = sub.add_parser("queries", help="list the query library, or show one query")
    ql.add_argument("name", nargs="?", help="show this query in full")
    ql.set_defaults(func=cmd_queries)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from .errors import BuildError, PilotkgError

    args = parser().parse_args(argv)
    try:
        if args.version:
            print(f"pilotkg {__version__} (ontology {_ontology_version()})")
            return 0
        if not getattr(args, "command", None):
            parser().print_help()
            return 2
        return args.func(args)
    except BuildError as exc:
        print(f"pilotkg: {exc}", file=sys.stderr)
        return 1
    except PilotkgError as exc:
        print(f"pilotkg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
