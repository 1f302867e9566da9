"""Presenting query results: tables with labels beside IRIs (in a chosen language), CSV and
TSV (formulas neutralised), Markdown, SPARQL 1.1 Results JSON, and RDF for graph results.
Labels are looked up with the library's ``labels`` query, so this works on every store."""

from __future__ import annotations

import json
from typing import Any

from rdflib import Literal, URIRef
from rdflib.query import Result, ResultRow

from . import querylib
from .errors import QueryError
from .namespaces import bind_prefixes
from .tables import GRAPH_FORMATS, SELECT_FORMATS, neutralise, render_delimited, render_table

#: rdflib's serializer name of each graph format
SERIALIZERS = {"turtle": "turtle", "jsonld": "json-ld", "trig": "trig"}


def labels_for(store: querylib.Queryable, iris: list[str], lang: str) -> dict[str, str]:
    """Labels of the IRIs in ``lang``, falling back to English, in batches."""
    found: dict[str, str] = {}
    for start in range(0, len(iris), 200):
        batch = iris[start:start + 200]
        for row in querylib.run(store, querylib.get("labels"), {"resource": batch, "lang": lang}):
            assert isinstance(row, ResultRow)
            found[str(row[0])] = str(row[1])
    return found


def short_iri(store: Any, iri: str) -> str:
    """The IRI as a prefixed name where a prefix is bound, else in angle brackets."""
    manager = getattr(store, "namespace_manager", None)
    if manager is None:
        return f"<{iri}>"
    try:
        return manager.normalizeUri(URIRef(iri))
    except Exception:
        return f"<{iri}>"


def _md(cell: str) -> str:
    return cell.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_result(result: Result, store: querylib.Queryable, *, fmt: str | None, lang: str = "en") -> tuple[str, int | None]:
    """The result as text in ``fmt``, and the row count for SELECT results."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        chosen = fmt or "turtle"
        if chosen == "table":
            chosen = "turtle"
        if chosen not in GRAPH_FORMATS:
            raise QueryError(f"a {result.type} result is a graph: use --format turtle, jsonld or trig, not {chosen}")
        assert result.graph is not None
        return bind_prefixes(result.graph).serialize(format=SERIALIZERS[chosen]), None
    chosen = fmt or "table"
    if chosen not in SELECT_FORMATS:
        raise QueryError(f"a {result.type} result is a table: use --format table, csv, tsv, json or md, not {chosen}")
    if result.type == "ASK":
        if chosen == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}) + "\n", None
        return ("true" if result.askAnswer else "false") + "\n", None
    if chosen == "json":
        serialized = result.serialize(format="json")
        return (serialized.decode("utf-8") if serialized else "") + "\n", None
    variables = [str(v) for v in (result.vars or [])]
    terms: list[list[Any]] = []
    for row in result:
        assert isinstance(row, ResultRow)
        terms.append([row.get(v) for v in variables])
    if chosen in ("csv", "tsv"):
        rows = [["" if t is None else str(t) for t in row] for row in terms]
        return render_delimited(variables, rows, delimiter="," if chosen == "csv" else "\t"), len(rows)
    iris = sorted({str(t) for row in terms for t in row if isinstance(t, URIRef)})
    labels = labels_for(store, iris, lang) if iris else {}

    def show(term: Any) -> str:
        if term is None:
            return ""
        if isinstance(term, URIRef):
            label = labels.get(str(term))
            short = short_iri(store, str(term))
            return f"{label} {short}" if label else short
        if isinstance(term, Literal):
            return str(term)
        return str(term)

    rows = [[show(t) for t in row] for row in terms]
    if chosen == "md":
        lines = ["| " + " | ".join(variables) + " |", "|" + "---|" * len(variables)]
        lines += ["| " + " | ".join(_md(neutralise(c)) for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n", len(rows)
    return render_table(variables, rows), len(rows)
