"""The command line: ``pilotkg build|push|stats|query|queries|validate|analyze|export|docs|serve``.

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
from .tables import GRAPH_FORMATS, SELECT_FORMATS


def _ontology_version() -> str:
    from .build import load_ontology, ontology_version

    return ontology_version(load_ontology())


def _store_options(args: argparse.Namespace):
    from .store import Credentials, StoreOptions

    credentials = Credentials.from_options(getattr(args, "auth", None), user=getattr(args, "user", None),
                                           secret_env=getattr(args, "secret_env", None),
                                           secret_file=getattr(args, "secret_file", None))
    return StoreOptions(getattr(args, "store", None), getattr(args, "update_endpoint", None),
                        getattr(args, "gsp_endpoint", None), credentials)


def _load_graph(args: argparse.Namespace, *, read_only: bool = True):
    """The store to work on: ``--store`` when given (it always wins), else ``--dataset FILE`` (or
    an http(s) SPARQL endpoint URL), else the data built in memory from ``--data``."""
    from .store import open_store

    return open_store(getattr(args, "dataset", None), data=Path(args.data) if getattr(args, "data", None) else None,
                      options=_store_options(args), read_only=read_only)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    result = build(Path(args.output), Path(args.data) if args.data else None, engine=args.engine)
    for path in result.written:
        print(f"wrote {path}", file=sys.stderr)
    print(f"built {result.statements} triples from {len(result.sources)} source(s)"
          f"{' through the embedded store ' + str(result.store) if result.store else ''}", file=sys.stderr)
    if args.store and args.store != "memory":
        _push(args, Path(args.output) / "pilotkg.nq")
    return 0


def _push(args: argparse.Namespace, nquads: Path) -> None:
    from .errors import InputError
    from .store import OxigraphStore, describe, split_nquads

    if not nquads.is_file():
        raise InputError("dataset not found", file=nquads, hint="run pilotkg build first")
    store = _load_graph(args, read_only=False)
    if not hasattr(store, "replace_graphs"):
        raise InputError("push needs a store to write to: --store oxigraph:PATH or --store sparql+http(s)://...")
    if isinstance(store, OxigraphStore):  # read in pieces into a new store, then moved into place
        try:
            graphs = store.replace_with_file(nquads)
        finally:
            store.close()  # a failed push must not keep the store locked
        how = "loaded into a new store beside it, then moved into place"
    else:
        try:
            data = nquads.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the dataset: {exc.strerror}", file=nquads, hint="run pilotkg build first") from exc
        graphs = sorted(g for g in split_nquads(data) if g)
        store.replace_graphs(data, graphs)
        how = "staged, then swapped in with one update"
    print(f"pushed {len(graphs)} named graphs to {describe(store)} ({how})", file=sys.stderr)
    if isinstance(store, OxigraphStore):
        from .pages import materialise

        rows = materialise(store.path)
        print("materialised the pages of " + ", ".join(f"{name} ({count:,} rows)" for name, count in rows.items()),
              file=sys.stderr)


def cmd_push(args: argparse.Namespace) -> int:
    from .errors import InputError

    if not args.store or args.store == "memory":
        raise InputError("push needs --store oxigraph:PATH or --store sparql+http(s)://HOST/PATH")
    dataset = Path(args.dataset_file)
    if dataset.suffix != ".nq":
        from .rdfio import load_dataset

        loaded = load_dataset(dataset)
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "dataset.nq"
            target.write_bytes(loaded.serialize(format="nquads", encoding="utf-8"))
            _push(args, target)
        return 0
    _push(args, dataset)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from .errors import InputError
    from .server import require_server, serve
    from .store import describe

    require_server()
    token = None
    if args.update_token_env:
        token = os.environ.get(args.update_token_env) or None
        if token is None:
            raise InputError(f"the environment variable {args.update_token_env} is not set or empty")
    elif args.update_token_file:
        try:
            token = Path(args.update_token_file).read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise InputError(f"cannot read the token file: {exc.strerror}", file=Path(args.update_token_file)) from exc
        if token is None:
            raise InputError("the token file is empty", file=Path(args.update_token_file))
    if token is not None and len(token) < 16:
        raise InputError("the update token is shorter than 16 characters", hint="use a long random token, e.g. openssl rand -hex 32")
    store = _load_graph(args)
    print(f"pilotkg serve: http://{args.host}:{args.port}/ on {describe(store)}; {args.workers} query workers, "
          f"{args.time_limit:g} s and {args.max_rows:,} rows per query; updates "
          f"{'enabled (Bearer token)' if token else 'disabled (read-only)'}", file=sys.stderr)
    serve(store, host=args.host, port=args.port, workers=args.workers, time_limit=args.time_limit, max_rows=args.max_rows,
          update_token=token, allow_service=args.allow_service, allow_load=args.allow_load,
          cors_origins=tuple(args.cors_origin or ()))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .present import short_iri
    from .stats import compute
    from .tables import render_table

    graph = _load_graph(args)
    stats = compute(graph)
    if args.format == "json":
        print(json.dumps({"triples": stats.triples, "graphs": dict(stats.graphs), "classes": dict(stats.classes),
                          "conflicts": len(stats.conflicts), "conflict_details": stats.conflicts}, indent=2))
        return 0
    print(f"{stats.triples} triples in {len(stats.graphs)} named graphs\n")
    base = "https://w3id.org/pilotkg/id/"
    print(render_table(["named graph", "triples"], [[g.replace(base, "id:", 1), str(n)] for g, n in stats.graphs], max_width=100))
    print(render_table(["class", "instances"], [[short_iri(graph, c), str(n)] for c, n in stats.classes]))
    print(f"conflicts between sources: {len(stats.conflicts)}")
    for c in stats.conflicts:
        print(f"  {c['kind']}: {short_iri(graph, c['subject'])} {short_iri(graph, c['property'])}: "
              f"{c['value1']} ({c['graph1']}) vs {c['value2']} ({c['graph2']})")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .rdfio import write_atomically
    from .report import ALIASES, PICTURES, format_for, render, render_bytes, render_worksheet

    fmt = ALIASES.get(args.format, args.format) if args.format else None
    targets: list[tuple[str, Path | None]] = []
    for output in args.output or []:
        chosen = fmt or format_for(output)
        if chosen is None:
            raise InputError(f"cannot tell the report format of {output!r} from its name",
                             hint="give --format, or end the file name in .txt, .md, .html, .json, .ttl, .svg or .png")
        targets.append((chosen, Path(output)))
    if not targets and fmt in PICTURES:
        raise InputError(f"a {fmt} picture is a file: give --output FILE.{fmt}")
    if not targets:
        targets.append((fmt or "text", None))
    from .validate import assess_with

    compliance, note = assess_with(_load_graph(args), args.engine)
    validation = compliance.validation
    if note:
        print(f"validate: {note}", file=sys.stderr)
    files = [(path, render_bytes(compliance, chosen)) for chosen, path in targets if path is not None]
    if args.worksheet:
        files.append((Path(args.worksheet), render_worksheet(compliance).encode("utf-8")))
    for written in write_atomically(files):
        print(f"wrote {written}", file=sys.stderr)
    for chosen, target in targets:
        if target is None:
            sys.stdout.write(render(compliance, chosen))
    counts = ", ".join(f"{validation.count(s)} {s}(s)" for s in ("violation", "warning", "info"))
    failed = validation.fails(args.fail_on)
    print(f"validation ({validation.engine}): {counts}; {'fails' if failed else 'passes'} at --fail-on {args.fail_on}",
          file=sys.stderr)
    return 1 if failed else 0


def cmd_analyze(args: argparse.Namespace) -> int:
    import json
    from datetime import UTC, datetime

    from . import analytics, network
    from .errors import QueryError
    from .rdfio import write_atomically
    from .tables import render_delimited, render_table

    store = _load_graph(args)
    started = datetime.now(tz=UTC).replace(microsecond=0).isoformat()
    what, view, lang = args.what, args.view, args.lang
    rdf = None
    headers: list[str] = []
    rows: list[list[str]] = []
    document: object
    if what == "cooperation":
        document = analytics.cooperation_summary(store, lang=lang)
        text = _cooperation_text(document)
    elif what == "path":
        if len(args.entities) != 2:
            raise QueryError("path needs two entities: pilotkg analyze path FROM TO")
        graph = network.project(store, view, city=args.designation)
        found_paths = analytics.paths(store, graph, args.entities[0], args.entities[1], max_length=args.max_length, lang=lang)
        document = [vars(p) | {"steps": [vars(s) for s in p.steps]} for p in found_paths]
        text = _paths_text(found_paths, args.entities)
        headers = ["path", "step", "from", "to", "statement", "quote"]
        rows = [[str(i), str(j), s.source_label, s.target_label, f"{st['subject']} {st['predicate']} {st['object']}",
                 st.get("quote", "")] for i, p in enumerate(found_paths, 1) for j, s in enumerate(p.steps, 1) for st in s.statements]
    else:
        graph = network.project(store, view, city=args.designation)
        if what == "centrality":
            found, notes = analytics.centrality(graph, lang=lang)
            document = {"view": view, "rows": [vars(r) for r in found], "notes": notes}
            headers = ["label", "class", "degree", "in", "out", "betweenness", "pagerank", "eigenvector", "node"]
            rows = [[r.label, r.cls, _num(r.degree), str(r.in_degree), str(r.out_degree), _num(r.betweenness), _num(r.pagerank),
                     _num(r.eigenvector), r.node] for r in found]
            rdf = analytics.to_rdf(view, rows=found, started=started)
            text = render_table(headers, rows) + "".join(f"note: {n}\n" for n in notes)
        elif what == "communities":
            groups = analytics.communities(graph, lang=lang)
            document = {"view": view, "communities": groups, "components": analytics.components(graph, lang=lang)}
            headers = ["community", "label", "node"]
            rows = [[str(i), m["label"], m["node"]] for i, group in enumerate(groups) for m in group]
            rdf = analytics.to_rdf(view, groups=groups, started=started)
            text = render_table(headers, rows)
        else:  # suggest
            ties = network.place_industry(store)
            found_s = analytics.suggestions(ties, network.cooperation(store), lang=lang)
            document = {"suggestions": [vars(s) for s in found_s], "shared_industries": analytics.shared_industries(ties, lang=lang)}
            headers = ["place", "other", "adamic_adar", "jaccard", "reason"]
            rows = [[s.place_label, s.other_label, _num(s.adamic_adar), _num(s.jaccard), s.reason] for s in found_s]
            rdf = analytics.to_rdf("place-industry", suggested=found_s, started=started)
            text = render_table(headers, rows) if rows else (
                "No suggestion: no two places that the sources tie to one industry are without a proposal together.\n")
    if args.format == "json":
        output = json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
    elif args.format == "csv":
        output = render_delimited(headers, rows) if headers else json.dumps(document, ensure_ascii=False, default=str) + "\n"
    else:
        output = text
    files = []
    if args.output:
        files.append((Path(args.output), output.encode("utf-8")))
    if args.rdf:
        if rdf is None:
            raise QueryError(f"`analyze {what}` has no RDF form; --rdf applies to centrality, communities and suggest")
        files.append((Path(args.rdf), rdf.serialize(format="turtle").encode("utf-8")))
    for path in write_atomically(files):
        print(f"wrote {path}", file=sys.stderr)
    sys.stdout.write(output)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from . import export
    from .errors import InputError
    from .rdfio import write_atomically

    targets: list[tuple[str, Path]] = []
    for output in args.output:
        chosen = args.format or export.format_for(output) or ("csv" if not Path(output).suffix else None)
        if chosen is None:
            raise InputError(f"cannot tell the export format of {output!r} from its name",
                             hint=f"give --format ({', '.join(export.FORMATS)}), or end the file name in "
                                  + ", ".join(sorted(export.SUFFIXES)))
        targets.append((chosen, Path(output)))
    if args.format and len(targets) > 1:
        raise InputError("--format applies to one --output; to write several formats, give several --output "
                         "files and let their suffixes choose")
    store = _load_graph(args)
    view = export.build_view(store, args.view, city=args.designation, focus=args.focus, radius=args.radius)
    files = [f for chosen, path in targets
             for f in export.render(view, chosen, path, threshold=args.aggregate_threshold, lang=args.lang)]
    for path in write_atomically(files):
        print(f"wrote {path}", file=sys.stderr)
    shown = "" if len(view.nodes) <= args.aggregate_threshold else (
        f"; the HTML page and pictures aggregate it (more than {args.aggregate_threshold} nodes)")
    print(f"{view.name} view: {len(view.nodes)} nodes, {len(view.edges)} edges, {len(view.quads)} statements{shown}",
          file=sys.stderr)
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from .docs import write_docs

    for path in write_docs(Path(args.output)):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _cooperation_text(summary: dict) -> str:
    out = [f"Cooperation network: {len(summary['places'])} places ({', '.join(summary['places'])}), "
           f"{len(summary['proposals'])} proposals"]
    for proposal in summary["proposals"].values():
        out.append(f"  {proposal['proposer']} proposes:")
        for component in proposal["components"].values():
            where = ", ".join(component["places"]) or component.get("scope") or "no place or scope given"
            out.append(f"    - {component['mode']}: {where}")
    out.append("Most central places (betweenness, then degree):")
    out += [f"  {r['label']}: betweenness {_num(r['betweenness'])}, degree {_num(r['degree'])}, "
            f"pagerank {_num(r['pagerank'])}" for r in summary["central"]]
    out.append("Communities: " + "; ".join("{" + ", ".join(g) + "}" for g in summary["communities"]))
    if summary["suggestions"]:
        out.append("Top suggestions:")
        out += [f"  {s['place_label']} + {s['other_label']} (Adamic-Adar {s['adamic_adar']}): {s['reason']}"
                for s in summary["suggestions"]]
    out += [f"Note: {n}" for n in summary["notes"]]
    return "\n".join(out) + "\n"


def _paths_text(found: list, entities: list[str]) -> str:
    if not found:
        return f"No path between {entities[0]} and {entities[1]} in this view.\n"
    out = []
    for number, path in enumerate(found, 1):
        out.append(f"Path {number}: " + " \u2192 ".join(path.labels))
        for step in path.steps:
            out.append(f"  {step.source_label} \u2014 {step.target_label}")
            for statement in step.statements:
                out.append(f"    <{statement['subject']}> <{statement['predicate']}> <{statement['object']}>")
                if statement.get("quote"):
                    out.append(f"      \u201c{statement['quote']}\u201d")
    return "\n".join(out) + "\n"


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
        named = None
        if values:
            raise QueryError("--param applies to named queries and --file, not to --sparql")
    elif args.name:
        named = querylib.get(args.name)  # fail on an unknown name before loading anything
    else:
        raise QueryError("name a query, or give --file or --sparql; `pilotkg queries` lists the library")
    store = _load_graph(args)
    if args.file:
        result = querylib.run(store, named, values) if named else querylib.run_text(store, text)
    elif args.sparql:
        result = querylib.run_text(store, args.sparql)
    else:
        assert named is not None
        result = querylib.run(store, named, values)
    output, count = render_result(result, store, fmt=args.format, lang=args.lang)
    sys.stdout.write(output)
    if count is not None and args.format == "table":
        print(f"({count} row{'s' if count != 1 else ''})", file=sys.stderr)
    if named is not None and named.page_size is not None and result.type == "SELECT":
        page = querylib.page_number(named, values.get(querylib.PAGE))
        if page is not None and len(result.bindings) == named.page_size:
            print(f"page {page} of {named.name}, {named.page_size:,} rows a page: the next one is "
                  f"--param page={page + 1}; --param page=all gives every row", file=sys.stderr)
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
        store_opts(sp)

    def store_opts(sp: argparse.ArgumentParser) -> None:
        g = sp.add_argument_group("store", "Where the graph lives. Default: memory (built from the data, or --dataset). "
                                           "An explicit --store always wins.")
        g.add_argument("--store", metavar="STORE",
                       help="memory, oxigraph:PATH (an embedded persistent store) or sparql+http(s)://HOST/PATH (a SPARQL 1.1 "
                            "query endpoint)")
        g.add_argument("--update-endpoint", metavar="URL", help="the remote store's SPARQL Update endpoint, if not the query one")
        g.add_argument("--gsp-endpoint", metavar="URL", help="the remote store's Graph Store Protocol endpoint")
        g.add_argument("--auth", choices=["basic", "digest", "bearer"], help="how to authenticate to the remote store")
        g.add_argument("--user", help="the user name for --auth basic or digest")
        g.add_argument("--secret-env", metavar="VAR", help="read the password or token from this environment variable")
        g.add_argument("--secret-file", metavar="FILE", help="read the password or token from this file")

    b = sub.add_parser("build", help="assemble, check and write the dataset",
                       description="Assemble ontology, reference identifiers, sources and RDFS closure; check; "
                                   "then write pilotkg.trig, pilotkg.nq and void.ttl atomically.")
    data_opts(b, dataset=False)
    b.add_argument("--output", "-o", metavar="DIR", default="out", help="output folder (default: out)")
    b.add_argument("--engine", choices=("auto", "memory", "store"), default="auto",
                   help="build in memory (rdflib), or through the embedded store (Oxigraph; it stays beside the files "
                        "as pilotkg.oxigraph/ for later commands); auto (the default) takes the store when the sources "
                        "hold 2 MiB of RDF or more (about 50,000 statements) and pyoxigraph is installed")
    b.set_defaults(func=cmd_build)

    pu = sub.add_parser("push", help="load a built dataset into a store, named graphs kept, swapped in atomically",
                        description="Load the dataset's named graphs into --store, replacing pilotkg's earlier graphs and "
                                    "keeping the store's other graphs: a server gets them under staging names, swapped in "
                                    "with one SPARQL Update; an embedded store is made anew beside its folder, a piece of "
                                    "the file at a time, and moved into place. A failed push leaves the earlier graphs as "
                                    "they were.")
    pu.add_argument("dataset_file", nargs="?", default="out/pilotkg.nq", metavar="DATASET",
                    help="the built dataset (.nq or .trig; default out/pilotkg.nq)")
    store_opts(pu)
    pu.set_defaults(func=cmd_push)

    sv = sub.add_parser("serve", help="the SPARQL endpoint, Graph Store, query API, entity pages and web UI over HTTP",
                        description="Serve the graph over HTTP: SPARQL 1.1 Protocol at /sparql, Graph Store Protocol at "
                                    "/store, the query library at /api/queries (OpenAPI at /openapi.json), an entity page "
                                    "for every IRI (/resource?iri=... or /id/...), and a web UI at /. Read-only unless "
                                    "started with an update token; queries run in worker processes with limits.")
    sv.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1, this machine only)")
    sv.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    sv.add_argument("--workers", type=int, default=2, help="query worker processes (default 2, for a small machine)")
    sv.add_argument("--time-limit", type=float, default=10.0, metavar="SECONDS",
                    help="a query running longer is stopped and its worker replaced (default 10)")
    sv.add_argument("--max-rows", type=int, default=100_000, help="the most rows (or statements) a result may have")
    sv.add_argument("--update-token-env", metavar="VAR", help="enable updates; the Bearer token is in this environment variable")
    sv.add_argument("--update-token-file", metavar="FILE", help="enable updates; the Bearer token is in this file")
    sv.add_argument("--allow-service", action="store_true", help="allow SERVICE (federated queries fetch other hosts)")
    sv.add_argument("--allow-load", action="store_true", help="allow LOAD and FROM (they fetch URLs or read files)")
    sv.add_argument("--cors-origin", action="append", metavar="ORIGIN", help="allow cross-origin requests from ORIGIN")
    data_opts(sv)
    sv.set_defaults(func=cmd_serve)

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
    v.add_argument("--format", choices=["text", "md", "html", "json", "turtle", "ttl", "svg", "png"],
                   help="report format (default: from each --output's suffix, else text); svg and png draw the "
                        "compliance matrix")
    v.add_argument("--output", "-o", action="append", metavar="FILE",
                   help="write the report to FILE, atomically (repeatable; the suffix picks the format)")
    v.add_argument("--fail-on", choices=["info", "warning", "violation"], default="violation",
                   help="the least severity that makes the exit code 1 (default: violation)")
    v.add_argument("--worksheet", metavar="FILE.csv", help="also write the gaps as a fill-in worksheet (CSV)")
    v.add_argument("--engine", choices=["pyshacl", "fast", "auto"], default="auto",
                   help="pyshacl (the reference), fast (compiled to SPARQL on Oxigraph, the same results) or auto "
                        "(default: fast for the embedded store and above 200,000 statements in memory, else pySHACL)")
    v.set_defaults(func=cmd_validate)

    a = sub.add_parser("analyze", help="linkage analytics: cooperation, centrality, communities, path, suggest",
                       description="Network analytics on projections of the graph. Entities are named by label "
                                   "(en or zh) or IRI.")
    a.add_argument("what", choices=["cooperation", "centrality", "communities", "path", "suggest"])
    a.add_argument("entities", nargs="*", metavar="ENTITY", help="for path: FROM TO")
    a.add_argument("--view", choices=["cooperation", "place-industry", "chain", "full"], default="cooperation",
                   help="the projection (default: cooperation)")
    a.add_argument("--designation", metavar="CITY", help="the pilot city of the chain view (label or IRI)")
    a.add_argument("--max-length", type=int, default=4, help="longest path, in steps (default 4)")
    a.add_argument("--format", choices=["table", "json", "csv"], default="table")
    a.add_argument("--lang", default="en", help="label language (en, zh)")
    a.add_argument("--output", "-o", metavar="FILE", help="also write the result to FILE, atomically")
    a.add_argument("--rdf", metavar="FILE", help="write the results as the analytics named graph (Turtle), atomically")
    data_opts(a)
    a.set_defaults(func=cmd_analyze)

    e = sub.add_parser("export", help="a view of the graph for Gephi, yEd, Cytoscape, the browser, RDF tools or a report",
                       description="Write a view (a projection of the graph) as GraphML, GEXF 1.3, Cytoscape.js JSON, "
                                   "CSV for Gephi (nodes.csv and edges.csv in a folder), JSON-LD, Turtle, TriG, N-Quads, "
                                   "a self-contained interactive HTML page, or an SVG or PNG picture. Files are written "
                                   "atomically; several --output files write several formats of one view.")
    e.add_argument("--view", choices=["cooperation", "place-industry", "chain", "full"], default="cooperation",
                   help="the projection (default: cooperation)")
    e.add_argument("--designation", metavar="CITY", help="the pilot city of the chain view (label or IRI)")
    e.add_argument("--focus", metavar="ENTITY", help="keep only the nodes near this one (label, en or zh, or IRI)")
    e.add_argument("--radius", type=int, default=1, help="with --focus: how many steps away to keep (default 1)")
    e.add_argument("--format", choices=["graphml", "gexf", "cytoscape", "csv", "jsonld", "turtle", "trig", "nquads",
                                        "html", "svg", "png"],
                   help="the format (default: from the --output suffix: .graphml .gexf .cyjs/.json .jsonld .ttl .trig "
                        ".nq .html .svg .png; a name without suffix is a folder for csv)")
    e.add_argument("--output", "-o", action="append", required=True, metavar="FILE",
                   help="where to write (repeatable); for csv, a folder")
    e.add_argument("--aggregate-threshold", type=int, default=2000, metavar="N",
                   help="above N nodes, the HTML page and the pictures show place and industry groups (default 2000)")
    e.add_argument("--lang", choices=["en", "zh"], default="en", help="label language of the pictures (default en)")
    data_opts(e)
    e.set_defaults(func=cmd_export)

    d = sub.add_parser("docs", help="write the ontology documentation, class diagram and data dictionary",
                       description="Write ontology.html (pyLODE), class-diagram.svg/.png, data-dictionary.html/.md "
                                   "(from the SHACL shapes) and index.html into a folder, atomically.")
    d.add_argument("--output", "-o", metavar="DIR", default="out/docs", help="output folder (default: out/docs)")
    d.set_defaults(func=cmd_docs)

    ql = sub.add_parser("queries", help="list the query library, or show one query")
    ql.add_argument("name", nargs="?", help="show this query in full")
    ql.set_defaults(func=cmd_queries)

    from . import cli_data, cli_synth

    cli_data.add_commands(sub, data_opts)
    cli_synth.add_commands(sub, data_opts)
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
