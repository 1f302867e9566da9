"""The ingested spreadsheets as the build reads them: ``data/ingested/ID.trig``, each holding the
facts of one file (``graph/source/ingested/ID``) and, apart, its analyst's own assertions
(``graph/asserted/ID``), and what the build verifies of them. Written by :mod:`pilotkg.ingest`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from .checks import quote_spans
from .errors import InputError, Problem
from .iri import mint
from .namespaces import ID, OA, PK, bind_prefixes
from .sources import Source

FOLDER = "ingested"


def facts_graph(ingest_id: str) -> URIRef:
    return mint("graph", "source", "ingested", ingest_id)


def asserted_graph(ingest_id: str) -> URIRef:
    return mint("graph", "asserted", ingest_id)


def sheet_entity(ingest_id: str) -> URIRef:
    return mint("ingest", ingest_id)


@dataclass
class Ingested:
    """One ``data/ingested/ID.trig``: the facts of a file and, apart, its analyst's assertions."""

    id: str
    path: Path
    facts: Graph
    asserted: Graph


def load_ingested(data: Path) -> list[Ingested]:
    """Every ingested file under ``data/ingested``, sorted by ID; each may hold only its own two graphs."""
    folder = data / FOLDER
    return [read_ingested(path) for path in sorted(folder.glob("*.trig"))] if folder.is_dir() else []


def read_ingested(path: Path) -> Ingested:
    from .rdfio import load_dataset

    dataset = load_dataset(path)
    ident = path.stem
    names = {facts_graph(ident), asserted_graph(ident)}
    stray = sorted(str(g.identifier) for g in dataset.graphs() if len(g) and g.identifier not in names)
    if stray:
        raise InputError(f"holds graphs other than its own: {', '.join(stray)}", file=path,
                         hint=f"an ingested file ID.trig holds only <{facts_graph(ident)}> and <{asserted_graph(ident)}>; "
                              "re-ingest the spreadsheet rather than editing the file")
    return Ingested(ident, path, _copy(dataset.graph(facts_graph(ident))), _copy(dataset.graph(asserted_graph(ident))))


def _copy(graph: Graph) -> Graph:
    out = bind_prefixes(Graph())
    for triple in graph:
        out.add(triple)
    return out


def check_ingested(item: Ingested, union: Graph | Callable[[URIRef], bool], sources: Sequence[Source]) -> list[Problem]:
    """What a build verifies of an ingested file: every instance it points to is described
    somewhere (typed in ``union``, or as the function ``union`` tells), verified quotes still lie
    verbatim at their positions, and no quote of a document whose text is now registered stays
    unverified."""
    problems = []
    texts = {s.document: s for s in sources}
    described = union if callable(union) else (lambda obj: union.value(obj, RDF.type) is not None)
    for graph in (item.facts, item.asserted):
        for obj in sorted({o for o in graph.objects() if isinstance(o, URIRef) and str(o).startswith(str(ID))}):
            if "/graph/" not in str(obj) and not described(obj):
                problems.append(Problem(f"<{obj}> is used but described nowhere (no rdf:type)", item.path,
                                        hint="re-ingest the spreadsheet; it names something the graph no longer has"))
    graph = item.facts
    for quote in sorted(q for q in graph.subjects(PK.verified, None) if isinstance(q, URIRef)):
        document = graph.value(quote, OA.hasSource)
        source = texts.get(document) if isinstance(document, URIRef) else None
        verified = graph.value(quote, PK.verified)
        if isinstance(verified, Literal) and verified.toPython() is True:
            span, issues = quote_spans(graph, quote)
            if source is None or span is None or source.text[span.start:span.end] != span.exact:
                problems.append(Problem(f"quote <{quote}> no longer lies verbatim in its registered source ({'; '.join(issues)})",
                                        item.path, hint="re-ingest the spreadsheet to check its quotes again"))
        elif source is not None:
            problems.append(Problem(f"quote <{quote}> is unverified, but the text of <{source.document}> is now registered",
                                    item.path, hint="re-ingest the spreadsheet so that its quotes are checked"))
    return problems
