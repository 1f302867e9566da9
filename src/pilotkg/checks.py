"""What a build verifies before it writes anything.

* every quote is verbatim in its source at the position its selector gives, within one
  paragraph, at most one sentence, with a prefix or suffix where the same words recur;
* every fact-bearing node of a source graph carries a quote of that source;
* every class and property used is declared in the ontology or listed in the term list of its
  external vocabulary (``ontology/external/*.txt``), so a typo in a PROV, OA, SDMX or QUDT IRI fails;
* every instance IRI used is described somewhere in the dataset.

Each check returns :class:`~pilotkg.errors.Problem` objects naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Identifier

from .errors import Problem
from .namespaces import ID, OA, PK
from .sources import INFERENCES_FILE, METADATA_FILE, Source

#: A sentence ends inside a quote where a full stop, question or exclamation mark (perhaps
#: followed by a closing quotation mark) is followed by white space and a capital letter.
SENTENCE_BREAK = re.compile(r"[.!?][\"\u201d]?\s+[\"\u201c]?[A-Z]")
#: Classes whose instances are evidence or document structure, not facts.
EVIDENCE_CLASSES = {PK.Quote, PK.Paragraph, PK.SourceDocument}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    exact: str


def locate(files: Iterable[Path], node: URIRef | BNode | str) -> tuple[Path | None, int | None]:
    """The first file and line that mention ``node`` (by full IRI or by its last segment as a
    prefixed name), for error messages."""
    text = str(node)
    local = re.split(r"[/#]", text)[-1]
    patterns = [re.escape(f"<{text}>")]
    if local:
        patterns.append(r"[A-Za-z0-9_-]*:" + re.escape(local) + r"(?![A-Za-z0-9_-])")
    mention = re.compile("|".join(patterns))
    definition = re.compile(r"^(?:" + "|".join(patterns) + r")\s")
    first: tuple[Path | None, int | None] = (None, None)
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, 1):
            if definition.match(line):
                return path, number
            if first[0] is None and mention.search(line):
                first = (path, number)
    return first


def _problem(source: Source, node: URIRef | BNode, message: str, hint: str | None = None) -> Problem:
    file, line = locate(source.files, node)
    return Problem(message, file or source.folder, line, hint)


def quote_spans(graph: Graph, quote: URIRef | BNode) -> tuple[Span | None, list[str]]:
    """The span a quote selects, and what is wrong with its selectors."""
    issues: list[str] = []
    exact: Literal | None = None
    start: Literal | None = None
    end: Literal | None = None
    for selector in graph.objects(quote, OA.hasSelector):
        if (selector, RDF.type, OA.TextQuoteSelector) in graph:
            exact = cast("Literal | None", graph.value(selector, OA.exact))
        elif (selector, RDF.type, OA.TextPositionSelector) in graph:
            start = cast("Literal | None", graph.value(selector, OA.start))
            end = cast("Literal | None", graph.value(selector, OA.end))
    if exact is None:
        issues.append("has no oa:TextQuoteSelector with oa:exact")
    if start is None or end is None:
        issues.append("has no oa:TextPositionSelector with oa:start and oa:end")
    if issues or start is None or end is None:  # no issues means start and end are set
        return None, issues
    return Span(int(start), int(end), str(exact)), []


def check_quotes(source: Source) -> list[Problem]:
    graph, text = source.facts, source.text
    problems: list[Problem] = []
    paragraphs = {
        p: (int(cast(Literal, graph.value(p, PK.startOffset))), int(cast(Literal, graph.value(p, PK.endOffset))))
        for p in graph.subjects(RDF.type, PK.Paragraph)
    }
    body = {p for p in paragraphs if (p, PK.paragraphRole, PK.BodyParagraph) in graph}
    for quote in sorted(cast("Iterable[URIRef | BNode]", graph.subjects(RDF.type, PK.Quote))):
        span, issues = quote_spans(graph, quote)
        for issue in issues:
            problems.append(_problem(source, quote, f"quote {quote} {issue}"))
        if span is None:
            continue
        if graph.value(quote, OA.hasSource) != source.document:
            problems.append(_problem(source, quote, f"quote {quote} does not have oa:hasSource <{source.document}>"))
        found = text[span.start:span.end]
        if found != span.exact:
            where = text.find(span.exact)
            hint = (f"the words occur at {where}-{where + len(span.exact)}" if where >= 0
                    else "the words do not occur in the text at all: quote verbatim")
            problems.append(_problem(source, quote,
                                     f"quote {quote}: the text at {span.start}-{span.end} is {found!r}, not the quoted words",
                                     hint + " (tools/anchor_quotes.py re-anchors)"))
            continue
        selector = next((s for s in graph.objects(quote, OA.hasSelector)
                         if (s, RDF.type, OA.TextQuoteSelector) in graph), None)
        prefix = cast("Literal | None", graph.value(selector, OA.prefix))
        suffix = cast("Literal | None", graph.value(selector, OA.suffix))
        if prefix is not None and text[max(0, span.start - len(prefix)):span.start] != str(prefix):
            problems.append(_problem(source, quote, f"quote {quote}: oa:prefix does not precede the quote in the text"))
        if suffix is not None and text[span.end:span.end + len(suffix)] != str(suffix):
            problems.append(_problem(source, quote, f"quote {quote}: oa:suffix does not follow the quote in the text"))
        if text.count(span.exact) > 1 and prefix is None and suffix is None:
            problems.append(_problem(source, quote, f"quote {quote}: the words occur {text.count(span.exact)} times "
                                                    "but the selector has neither oa:prefix nor oa:suffix",
                                     "add oa:prefix or oa:suffix so the quote is unambiguous"))
        if SENTENCE_BREAK.search(span.exact.rstrip()):
            problems.append(_problem(source, quote, f"quote {quote} spans more than one sentence",
                                     "quote at most one sentence; give a fact several quotes if it needs them"))
        holder = [p for p, (a, b) in paragraphs.items() if a <= span.start and span.end <= b]
        if not holder:
            problems.append(_problem(source, quote, f"quote {quote} is not within one paragraph"))
        elif graph.value(quote, PK.inParagraph) != holder[0]:
            problems.append(_problem(source, quote, f"quote {quote}: pk:inParagraph should be <{holder[0]}>"))
        elif holder[0] not in body:
            problems.append(_problem(source, quote, f"quote {quote} lies in page chrome, a title or a heading",
                                     "facts come from body paragraphs; chrome is document metadata"))
    return problems


def fact_subjects(source: Source, subjects: set[URIRef] | None = None) -> set[URIRef]:
    """Subjects of the source's fact files (all but ``source.ttl`` and the inferences) that are
    not themselves evidence (quotes, paragraphs, documents). ``subjects`` are the IRIs those
    files describe when the caller read them already (the store build does); by default the
    files are read."""
    if subjects is None:
        subjects = set()
        for path in source.files:
            if path.name in (METADATA_FILE, INFERENCES_FILE):
                continue
            graph = Graph().parse(path, format="turtle")
            subjects.update(s for s in graph.subjects() if isinstance(s, URIRef))
    return {s for s in subjects if not set(source.facts.objects(s, RDF.type)) & EVIDENCE_CLASSES}


def check_evidence(source: Source, subjects: set[URIRef] | None = None) -> list[Problem]:
    """Every fact-bearing node has a quote, and every quote it cites exists in this source
    (``subjects``: as :func:`fact_subjects` takes them)."""
    graph = source.facts
    problems = []
    quotes = set(graph.subjects(RDF.type, PK.Quote))
    for node in sorted(fact_subjects(source, subjects)):
        cited = set(graph.objects(node, PK.quote))
        if not cited:
            problems.append(_problem(source, node, f"{node} states facts but has no pk:quote",
                                     "add pk:quote with the quote that states it"))
        for quote in sorted(cast("set[Identifier]", cited - quotes)):
            problems.append(_problem(source, node, f"{node} cites {quote}, which is not a pk:Quote of this source",
                                     "define the quote in quotes.ttl"))
    return problems


def load_term_lists(folder: Path) -> dict[str, set[str]]:
    """Namespace IRI -> the set of term IRIs of that vocabulary (``ontology/external/*.txt``)."""
    lists: dict[str, set[str]] = {}
    for path in sorted(folder.glob("*.txt")):
        namespace = None
        terms: set[str] = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# vocabulary:"):
                namespace = line.split(":", 1)[1].strip()
            elif line and not line.startswith("#"):
                terms.add(line.strip())
        if namespace:
            lists.setdefault(namespace, set()).update(terms)
    return lists


def _namespace_of(iri: str, namespaces: Iterable[str]) -> str | None:
    best = None
    for ns in namespaces:
        if iri.startswith(ns) and (best is None or len(ns) > len(best)):
            best = ns
    return best


def vocabulary_terms(graph: Graph) -> set[URIRef]:
    """The vocabulary IRIs a graph uses: predicates, classes, and objects in vocabulary position."""
    used: set[URIRef] = set()
    for s, p, o in graph:
        used.add(cast(URIRef, p))  # predicates are IRIs
        if isinstance(o, URIRef) and not str(o).startswith(str(ID)):
            used.add(o)
        if isinstance(s, URIRef) and not str(s).startswith(str(ID)):
            used.add(s)
    return used


def check_vocabulary(graph: Graph, declared: set[URIRef], term_lists: dict[str, set[str]],
                     files: list[Path], *, where: str) -> list[Problem]:
    """Every pk: term used is declared in the ontology; every term of a listed external
    vocabulary is in its list."""
    return check_terms(vocabulary_terms(graph), declared, term_lists, files, where=where)


def check_terms(terms: set[URIRef], declared: set[URIRef], term_lists: dict[str, set[str]],
                files: list[Path], *, where: str) -> list[Problem]:
    """:func:`check_vocabulary` of the vocabulary IRIs a graph uses (:func:`vocabulary_terms`)."""
    problems = []
    pk_ns = str(PK._NS)
    for term in sorted(terms):
        iri = str(term)
        if iri.startswith(pk_ns):
            if term not in declared:
                file, line = locate(files, term)
                problems.append(Problem(f"{where}: {iri} is not declared in the ontology", file, line,
                                        "declare it in ontology/*.ttl or correct the spelling"))
            continue
        namespace = _namespace_of(iri, term_lists)
        if namespace is not None and iri not in term_lists[namespace] and iri != namespace:
            if re.fullmatch(r"_\d+", iri[len(namespace):]):  # rdf:_1, rdf:_2, ...
                continue
            file, line = locate(files, term)
            problems.append(Problem(f"{where}: {iri} is not a term of <{namespace}>", file, line,
                                    "check the spelling against ontology/external/"))
    return problems


def check_references(dataset_graph: Graph, graph: Graph, source: Source) -> list[Problem]:
    """Every instance IRI a source graph points to is described (typed) somewhere."""
    return check_described({o for o in graph.objects() if isinstance(o, URIRef) and str(o).startswith(str(ID))},
                           lambda obj: dataset_graph.value(obj, RDF.type) is not None, source)


def check_described(objects: set[URIRef], described: Callable[[URIRef], bool], source: Source) -> list[Problem]:
    """:func:`check_references` of the instance IRIs a source graph points to, given how to tell
    whether one is described."""
    problems = []
    for obj in sorted(objects):
        if "/graph/" in str(obj):
            continue
        if not described(obj):
            problems.append(_problem(source, obj, f"{obj} is used but described nowhere (no rdf:type)",
                                     "define it, or correct the IRI"))
    return problems


def declared_terms(ontology: Graph) -> set[URIRef]:
    return {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(PK._NS))}


__all__ = ["Span", "check_described", "check_evidence", "check_quotes", "check_references", "check_terms", "check_vocabulary",
           "declared_terms", "load_term_lists", "locate", "quote_spans"]
