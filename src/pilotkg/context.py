"""What an ingested row may refer to: the places, industries, designations, agents, proposals and
documents of the graph (reference identifiers, source facts, other ingested sheets, and the rows
of the same file read so far), looked up by label (en or zh, any case), code or IRI, with the
closest names suggested when nothing matches. Registered source texts are kept to check quotes
verbatim.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import cast

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO

from .checks import SENTENCE_BREAK
from .namespaces import ID, PK
from .sources import Source

#: The kinds of reference a cell can make, and the classes (with their subclasses) they accept.
KIND_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "place": (PK.Place,),
    "industry": (PK.Industry,),
    "agent": (PK.Organization, PK.Person, PK.AgentGroup, PROV.Agent),
    "proposal": (PK.CollaborationProposal,),
    "document": (PK.SourceDocument,),
    "entity": (),
}


class LookupProblem(ValueError):
    """A reference that resolves to nothing, or to several things; the message says which."""

    def __init__(self, message: str, hint: str, column: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint
        self.column = column


def fold(text: str) -> str:
    """A label as compared: NFKC, case-folded, inner white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass
class Located:
    """Where a quote lies in a registered text."""

    start: int
    end: int
    exact: str
    paragraph: URIRef


@dataclass
class Context:
    graph: Graph
    sources: dict[str, Source] = field(default_factory=dict)
    labels: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    types: dict[URIRef, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    subclasses: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    ontology: Graph = field(default_factory=Graph)

    @classmethod
    def of(cls, ontology: Graph, graphs: list[Graph], sources: list[Source]) -> Context:
        context = cls(Graph(), {s.slug: s for s in sources}, ontology=ontology)
        for graph in graphs:
            context.add(graph)
        return context

    def add(self, graph: Graph) -> None:
        """Make what ``graph`` says known to later rows."""
        for s, p, o in graph:
            self.graph.add((s, p, o))
            if not isinstance(s, URIRef):
                continue
            if p in (RDFS.label, PK.adminCode, DCTERMS.title, DCTERMS.identifier, SDO.url) and isinstance(o, Literal):
                self.labels[fold(str(o))].add(s)
            elif p == RDF.type and isinstance(o, URIRef):
                self.types[s].add(o)

    def narrower(self, cls: URIRef) -> set[URIRef]:
        """``cls`` and its subclasses in the ontology."""
        if cls not in self.subclasses:
            self.subclasses[cls] = {cast(URIRef, c) for c in self.ontology.transitive_subjects(RDFS.subClassOf, cls)}
        return self.subclasses[cls]

    def is_instance(self, node: URIRef, cls: URIRef) -> bool:
        return bool(self.types.get(node, set()) & self.narrower(cls))

    def is_a(self, node: URIRef, kind: str) -> bool:
        classes = KIND_CLASSES[kind]
        if not classes:
            return bool(self.types.get(node))
        return any(self.is_instance(node, c) for c in classes)

    def known(self, node: URIRef) -> bool:
        return bool(self.types.get(node))

    def resolve(self, text: str, kind: str, *, what: str | None = None) -> URIRef:
        """The one resource of ``kind`` that ``text`` names (label, code or IRI)."""
        what = what or kind
        text = text.strip()
        if text.startswith(str(ID)) or text.startswith("<" + str(ID)):
            node = URIRef(text.strip("<>"))
            if self.is_a(node, kind):
                return node
            raise LookupProblem(f"unknown {what}: <{node}> is not a {what} of the graph",
                                "give the IRI of an existing one, or its label")
        found = sorted(n for n in self.labels.get(fold(text), set()) if self.is_a(n, kind))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise LookupProblem(f"{text!r} names {len(found)} {what}s: " + ", ".join(f"<{n}>" for n in found),
                                "give the IRI of the one you mean")
        raise LookupProblem(f"unknown {what} {text!r}: no {what} of the graph has this name", self.suggest(text, kind))

    def find(self, text: str, kind: str) -> URIRef | None:
        """Like :meth:`resolve`, but None when nothing (or more than one thing) matches."""
        try:
            return self.resolve(text, kind)
        except LookupProblem:
            return None

    def suggest(self, text: str, kind: str) -> str:
        names: dict[str, str] = {}
        for label, nodes in self.labels.items():
            if any(self.is_a(n, kind) for n in nodes):
                names.setdefault(label, label)
        close = difflib.get_close_matches(fold(text), list(names), n=3, cutoff=0.5)
        if close:
            return "did you mean " + " or ".join(repr(self.display(c, kind)) for c in close) + "?"
        return f"check the spelling, or add the {kind} first (the README, 'Data entry from spreadsheets')"

    def display(self, folded: str, kind: str) -> str:
        """The label as written for a folded label (the first, in sorted order)."""
        for node in sorted(self.labels.get(folded, set())):
            for label in sorted(self.graph.objects(node, RDFS.label), key=str):
                if fold(str(label)) == folded:
                    return str(label)
            if self.is_a(node, kind):
                return folded
        return folded

    def label(self, node: URIRef, lang: str = "en") -> str:
        """A resource's label in ``lang`` (the graph's, or the ontology's for its terms)."""
        for graph in (self.graph, self.ontology):
            for value in graph.objects(node, RDFS.label):
                if isinstance(value, Literal) and value.language == lang:
                    return str(value)
        return str(self.graph.value(node, RDFS.label) or str(node).rsplit("/", 1)[-1])

    # --- documents and quotes ------------------------------------------------------------

    def registered(self, where: str, title: str) -> Source | None:
        """The registered source a row cites: by its folder name (``NAME``, ``data/sources/NAME``,
        ``NAME/article.txt``), its IRI, its URL or its exact title."""
        place = fold(where).rstrip("/")
        for source in self.sources.values():
            text_file = fold(str(source.facts.value(source.document, PK.textFile) or ""))
            slug = fold(source.slug)
            names = {slug, fold(str(source.document)), f"{slug}/{text_file}"}
            names |= {fold(str(u)).rstrip("/") for u in source.facts.objects(source.document, SDO.url)}
            folder = place.endswith((f"data/sources/{slug}", f"data/sources/{slug}/{text_file}"))
            titles = {fold(str(t)) for t in source.facts.objects(source.document, DCTERMS.title)}
            if (place and (place in names or folder)) or (title and fold(title) in titles):
                return source
        return None

    def locate(self, source: Source, quote: str) -> Located:
        """Where ``quote`` lies, verbatim (white space may differ), in one body paragraph of the
        source's stored text, at most one sentence; else a LookupProblem saying what is wrong."""
        words = quote.split()
        if not words:
            raise LookupProblem("the quote is empty", "copy the words of the source")
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
        hits = list(pattern.finditer(source.text))
        where = f"the stored text of {source.slug} ({source.folder.name}/{source.facts.value(source.document, PK.textFile)})"
        if not hits:
            raise LookupProblem(f"the quote is not verbatim in {where}", self._closest(source.text, quote))
        if len(hits) > 1:
            raise LookupProblem(f"the quote occurs {len(hits)} times in {where}",
                                "quote a few more words around it so that it occurs once")
        hit = hits[0]
        exact = hit.group(0)
        if SENTENCE_BREAK.search(exact.rstrip()):
            raise LookupProblem("the quote spans more than one sentence", "quote one sentence; split the fact's evidence")
        for paragraph in source.facts.subjects(RDF.type, PK.Paragraph):
            start = int(cast(Literal, source.facts.value(paragraph, PK.startOffset)))
            end = int(cast(Literal, source.facts.value(paragraph, PK.endOffset)))
            if start <= hit.start() and hit.end() <= end:
                if (paragraph, PK.paragraphRole, PK.BodyParagraph) not in source.facts:
                    raise LookupProblem("the quote lies in a title, a heading or page chrome, not the body",
                                        "quote the body paragraph that states the fact")
                return Located(hit.start(), hit.end(), exact, cast(URIRef, paragraph))
        raise LookupProblem("the quote runs over two paragraphs", "quote within one paragraph")

    @staticmethod
    def _closest(text: str, quote: str) -> str:
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|(?<=[。！？])|\n", text) if s.strip()]
        close = difflib.get_close_matches(quote.strip(), sentences, n=1, cutoff=0.6)
        if close:
            return f"the closest sentence is {close[0]!r}: copy the words exactly"
        return "copy the words exactly from the stored text, or cite the document the words are from"


def load_context(data: Path, *, exclude: Collection[str] = ()) -> Context:
    """The context for ingesting into ``data``: ontology, reference identifiers, source facts and
    the ingested sheets except those in ``exclude`` (which a run replaces)."""
    from .ingested import load_ingested
    from .reference import reference_graph
    from .sources import load_sources

    ontology = _ontology()
    sources = load_sources(data)
    graphs = [reference_graph(data / "reference")] + [s.facts for s in sources]
    for ingested in load_ingested(data):
        if ingested.id not in exclude:
            graphs += [ingested.facts, ingested.asserted]
    return Context.of(ontology, graphs, sources)


def _ontology() -> Graph:
    """The ontology, parsed once per process for as long as its files do not change."""
    from .assets import ontology_dir

    folder = ontology_dir()
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.ttl")))
    return _parsed_ontology(str(folder), stamp)


@cache
def _parsed_ontology(folder: str, stamp: tuple) -> Graph:
    from .build import load_ontology

    return load_ontology(Path(folder))
