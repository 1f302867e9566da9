"""What a query worker does: run a SPARQL query or a library query and serialise the result in
the negotiated format, or make one of the pages (an entity, a search, the compliance report, the
cooperation graph). Runs inside the worker process, on the worker's store; returns a
:class:`~pilotkg.server.workers.Reply`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any, cast
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result, ResultRow

from .. import querylib
from ..errors import QueryError
from ..namespaces import bind_prefixes
from .workers import LimitError, Reply

SELECT_TYPES = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml", "text/csv": "csv",
                "text/tab-separated-values": "tsv", "application/json": "json"}
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml"}


def _rows(store: Any, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [row.asdict() for row in cast(Iterable[ResultRow], querylib.run(store, querylib.get(name), params))]


def run(store: Any, name: str, args: dict[str, Any], *, max_rows: int, cache: dict[str, Any]) -> Reply:
    if name == "sparql":
        return serialise(store.query(args["query"]), args["accept"], max_rows=max_rows)
    if name == "library":
        result = querylib.run(store, querylib.get(args["name"]), args["params"])
        return serialise(result, args["accept"], max_rows=max_rows)
    if name == "graph":
        rows = querylib.run(store, querylib.get("graph-statements"), {"graph": args["graph"]})
        graph = bind_prefixes(Graph())
        for row in rows:
            graph.add(tuple(row))  # type: ignore[arg-type]
        if not len(graph):
            return Reply(404, "text/plain; charset=utf-8", f"no graph {args['graph']} in the store".encode())
        return Reply(200, args["accept"], graph.serialize(format=GRAPH_TYPES[args["accept"]], encoding="utf-8"))
    if name == "entity":
        return entity(store, args["iri"], args["accept"])
    if name == "search":
        return search_page(store, args["text"])
    if name in ("report", "cooperation"):
        if name not in cache:
            cache[name] = report_page(store) if name == "report" else cooperation_page(store)
        return Reply(200, "text/html; charset=utf-8", cache[name])
    raise QueryError(f"unknown task {name!r}")


# ---------------------------------------------------------------------------------------------
# Results in the negotiated format


def serialise(result: Result, accept: str, *, max_rows: int) -> Reply:
    if result.type in ("SELECT", "ASK"):
        if result.type == "SELECT" and len(result.bindings) > max_rows:
            raise LimitError(f"the result has more than {max_rows:,} rows, the server's limit; add a LIMIT, or ask "
                             "for a higher --max-rows", "rows")
        fmt = SELECT_TYPES[accept]
        body = tsv(result) if fmt == "tsv" else result.serialize(format=fmt, encoding="utf-8")
        charset = "" if fmt == "xml" else "; charset=utf-8"
        return Reply(200, accept + charset, body or b"")
    graph = result.graph
    assert graph is not None
    if len(graph) > max_rows:
        raise LimitError(f"the result has more than {max_rows:,} statements, the server's limit", "rows")
    return Reply(200, accept, graph.serialize(format=GRAPH_TYPES[accept], encoding="utf-8"))


def tsv(result: Result) -> bytes:
    """SPARQL 1.1 Query Results TSV: variables with ``?``, terms in their SPARQL syntax."""
    if result.type == "ASK":
        return b"?_askResult\n" + (b"true\n" if result.askAnswer else b"false\n")
    names = [str(v) for v in result.vars or []]
    lines = ["\t".join("?" + n for n in names)]
    for row in result.bindings:
        cells = []
        for n in names:
            term = row.get(n) if isinstance(row, dict) else None
            if term is None:
                from rdflib import Variable

                term = row.get(Variable(n))
            cells.append("" if term is None else term.n3().replace("\t", "\\t").replace("\n", "\\n"))
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Pages

STYLE = """
body{font:15px/1.5 system-ui,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:0;color:#1a1a1a}
header{background:#173a5e;color:#fff;padding:.6rem 1rem}header a{color:#fff;margin-right:1rem}
main{padding:1rem;max-width:1100px}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.25rem .5rem;
text-align:left;vertical-align:top}blockquote{margin:.4rem 0;padding:.3rem .6rem;border-left:3px solid #E69F00;background:#faf6ee}
.muted{color:#666}code{overflow-wrap:anywhere}
"""


def page(title: str, body: str) -> bytes:
    """A page of the web UI: the shared header and style; ``body`` is already escaped markup."""
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)} · pilotkg</title>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'><link rel='icon' href='data:,'>"
            f"<link rel='stylesheet' href='/static/ui.css'><style>{STYLE}</style></head><body>"
            "<header><a href='/'>pilotkg</a><a href='/query'>Query</a><a href='/report'>Compliance report</a>"
            "<a href='/cooperation'>Cooperation graph</a><a href='/search'>Search</a><a href='/api/queries'>API</a></header>"
            f"<main><h1>{html.escape(title)}</h1>{body}</main></body></html>").encode()


def resource_link(iri: str, label: str | None = None) -> str:
    return f"<a href='/resource?iri={quote(iri, safe='')}'>{html.escape(label or iri)}</a>"


def _show(term: Any, labels: dict[str, str], names: Any) -> str:
    if isinstance(term, URIRef):
        shown = labels.get(str(term)) or names.normalizeUri(term)
        return resource_link(str(term), shown)
    if isinstance(term, Literal):
        suffix = f" <span class='muted'>@{html.escape(term.language)}</span>" if term.language else ""
        return html.escape(str(term)) + suffix
    return f"<span class='muted'>{html.escape(str(term))}</span>"


def entity(store: Any, iri: str, accept: str) -> Reply:
    rows = _rows(store, "describe", {"resource": [iri]})
    incoming = _rows(store, "incoming", {"resource": iri})
    if not rows and not incoming:
        return Reply(404, "text/html; charset=utf-8", page("Not found", f"<p>The graph says nothing about "
                                                                        f"<code>{html.escape(iri)}</code>.</p>"))
    if accept in GRAPH_TYPES:
        graph = bind_prefixes(Graph())
        for r in rows:
            graph.add((r["resource"], r["predicate"], r["object"]))
            if isinstance(r["object"], BNode) and r.get("bnodePredicate") is not None:
                graph.add((r["object"], r["bnodePredicate"], r["bnodeObject"]))
        return Reply(200, accept, graph.serialize(format=GRAPH_TYPES[accept], encoding="utf-8"))
    from ..present import labels_for

    names = bind_prefixes(Graph()).namespace_manager
    linked = sorted({str(r["object"]) for r in rows if isinstance(r["object"], URIRef)} | {str(r["predicate"]) for r in rows}
                    | {str(r["subject"]) for r in incoming} | {str(r["predicate"]) for r in incoming} | {iri})
    labels = labels_for(store, linked, "en")
    zh = labels_for(store, [iri], "zh").get(iri)
    label_rows = [r for r in rows if str(r["predicate"]) == "http://www.w3.org/2000/01/rdf-schema#label"]
    quotes = sorted({str(r["bnodeObject"]) for r in rows if str(r.get("bnodePredicate")) == "http://www.w3.org/ns/oa#exact"})
    quote_rows = _rows(store, "quotes-of", {"resource": [iri]})
    quotes = sorted(set(quotes) | {str(r["quote"]) for r in quote_rows})
    body = [f"<p><code>{html.escape(iri)}</code></p>"]
    names_shown = [f"{html.escape(str(r['object']))} <span class='muted'>@{html.escape(getattr(r['object'], 'language', None) or '')}"
                   "</span>" for r in label_rows]
    body.append("<p id='labels'>" + "; ".join(names_shown) + "</p>")
    if zh and zh != labels.get(iri):
        body.append(f"<p lang='zh'>{html.escape(zh)}</p>")
    body.append("<h2>Statements</h2><table><tr><th>property</th><th>value</th><th>graph</th></tr>")
    for r in rows:
        if isinstance(r["object"], BNode):
            continue
        body.append(f"<tr><td>{_show(r['predicate'], labels, names)}</td><td>{_show(r['object'], labels, names)}</td>"
                    f"<td class='muted'>{html.escape(names.normalizeUri(r['graph']))}</td></tr>")
    body.append("</table>")
    body.append(f"<h2>Quotes ({len(quotes)})</h2>" + ("".join(f"<blockquote>{html.escape(q)}</blockquote>" for q in quotes)
                                                        or "<p class='muted'>No quote is this resource's own evidence.</p>"))
    body.append(f"<h2>Links to it ({len(incoming)})</h2><table><tr><th>from</th><th>property</th><th>graph</th></tr>")
    for r in incoming:
        body.append(f"<tr><td>{_show(r['subject'], labels, names)}</td><td>{_show(r['predicate'], labels, names)}</td>"
                    f"<td class='muted'>{html.escape(names.normalizeUri(r['graph']))}</td></tr>")
    body.append("</table><p class='muted'>Also as <a href='?iri=" + quote(iri, safe="") + "&amp;format=turtle'>Turtle</a> "
                "and <a href='?iri=" + quote(iri, safe="") + "&amp;format=jsonld'>JSON-LD</a>.</p>")
    return Reply(200, "text/html; charset=utf-8", page(labels.get(iri) or iri, "".join(body)))


def search_page(store: Any, text: str) -> Reply:
    form = (f"<form action='/search' method='get'><input type='search' name='q' value='{html.escape(text, quote=True)}' "
            "placeholder='label, en or 中文' autofocus> <button>Search</button></form>")
    if not text.strip():
        return Reply(200, "text/html; charset=utf-8", page("Search", form))
    rows = _rows(store, "search", {"text": text})
    seen: dict[str, tuple[str, str]] = {}
    for r in rows:
        seen.setdefault(str(r["entity"]), (str(r["label"]), str(r.get("class", "")).rsplit("#", 1)[-1]))
    items = "".join(f"<li>{resource_link(iri, label)} <span class='muted'>{html.escape(cls)}</span></li>"
                    for iri, (label, cls) in seen.items())
    body = form + f"<p>{len(seen)} result{'s' if len(seen) != 1 else ''}</p><ul id='results'>{items}</ul>"
    return Reply(200, "text/html; charset=utf-8", page(f"Search: {text}", body))


def report_page(store: Any) -> bytes:
    from ..report import render_html
    from ..validate import assess_with

    return render_html(assess_with(store)[0]).encode("utf-8")


def cooperation_page(store: Any) -> bytes:
    from ..export import build_view, to_html

    return to_html(build_view(store, "cooperation"))
