"""Streaming RDF for synthetic sources: each source folder's stored text, its Turtle files and
its lines of the shared N-Quads file, written as the facts are made, never held as a graph.

A term is a pair of strings, its N-Triples form and its Turtle form, so that every statement is
written once in each syntax with no parsing and no rdflib graph in between.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..namespaces import GRAPH, ID, SYNTH
from ..sources import METADATA_FILE, PLANTED_FILE

#: A term: (N-Triples form, Turtle form).
Term = tuple[str, str]
Pairs = Sequence[tuple[Term, Term]]

XSD = "http://www.w3.org/2001/XMLSchema#"
VOCABULARIES = {
    "pk": "https://w3id.org/pilotkg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
    "unit": "http://qudt.org/vocab/unit/",
    # The six requirements are the one part of the real graph synthetic data points to: the shapes name them.
    "req": str(ID) + "requirement/",
}
#: Prefixes of the synthetic instances shared by all sources, by kind.
KIND_PREFIXES = {
    "place": "pl", "industry": "ind", "classification": "cls", "agent": "ag", "post": "post", "park": "park",
    "platform": "plat", "conference": "conf", "event": "evt", "document": "doc", "chain": "chain",
    "clusters": "clus", "programme": "prog", "batch": "batch", "list": "list", "designation": "des",
    "element": "el", "time": "tm", "source": "src",
}
#: Prefixes of the synthetic instances scoped by their source (README, "IRI policy").
SCOPED_PREFIXES = {"quote": "q", "observation": "obs", "statement": "st", "proposal": "prop", "mention": "nm"}


def escape(text: str) -> str:
    """The body of a short string literal, the same in Turtle and N-Triples."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


@functools.cache
def vocab(prefix: str, local: str) -> Term:
    return f"<{VOCABULARIES[prefix]}{local}>", f"{prefix}:{local}"


def node(kind: str, key: str) -> Term:
    """A synthetic instance shared by every source: ``synth/{kind}/{key}`` (``key`` already a slug)."""
    return f"<{SYNTH}{kind}/{key}>", f"{KIND_PREFIXES[kind]}:{key}"


def scoped(kind: str, source: str, key: str) -> Term:
    """A synthetic instance scoped by its source: ``synth/{kind}/{source}/{key}``."""
    return f"<{SYNTH}{kind}/{source}/{key}>", f"{SCOPED_PREFIXES[kind]}:{key}"


def raw_iri(iri: str) -> Term:
    return f"<{iri}>", f"<{iri}>"


def lit(text: str, lang: str | None = None) -> Term:
    body = f'"{escape(text)}"' + (f"@{lang}" if lang else "")
    return body, body


def typed(lexical: str, datatype: str) -> Term:
    return f'"{lexical}"^^<{XSD}{datatype}>', f'"{lexical}"^^xsd:{datatype}'


def integer(value: int) -> Term:
    return f'"{value}"^^<{XSD}integer>', str(value)


def decimal(lexical: str) -> Term:
    return f'"{lexical}"^^<{XSD}decimal>', lexical if "." in lexical else f'"{lexical}"^^xsd:decimal'


TYPE: Term = ("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "a")
LABEL = vocab("rdfs", "label")
QUOTE = vocab("pk", "quote")
TRUE = typed("true", "boolean")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a stored text: its number, node and the spans of its sentences."""

    number: int
    node: Term
    spans: tuple[tuple[int, int, str], ...]


class SourceWriter:
    """One synthetic source document: its stored text (``text.txt``), its metadata
    (``source.ttl``), its facts (``facts.ttl``), its quotes (``quotes.ttl``) and, when problems
    are planted that the build's evidence checks would refuse, ``planted.ttl``. Every statement
    also goes, as it is made, to the N-Quads stream in the source's named graph."""

    TEXT_FILE = "text.txt"

    def __init__(self, root: Path, slug: str, nquads: TextIO, bnodes: Iterator[int], *, title: str, notice: str) -> None:
        self.slug = slug
        self.folder = root / "sources" / slug
        self.folder.mkdir(parents=True)
        self.document = node("source", slug)
        self._graph = f"<{GRAPH}source/{slug}>"
        self._nq = nquads
        self._bnodes = bnodes
        self._text: list[str] = []
        self._position = 0
        self._paragraphs: list[tuple[int, str, int, int]] = []
        self._header = self._prefixes()
        self._facts = (self.folder / "facts.ttl").open("w", encoding="utf-8", newline="\n")
        self._facts.write(self._header + "# Synthetic facts (pilotkg synth), each with its quote in quotes.ttl. Not real data.\n\n")
        self._quotes = (self.folder / "quotes.ttl").open("w", encoding="utf-8", newline="\n")
        self._quotes.write(self._header + f"# Quotes: verbatim spans of {self.TEXT_FILE}; oa:start/oa:end count code points from 0.\n\n")
        self._planted: list[str] = []
        self.triples = 0
        self.title = title
        self.paragraph([title], role="TitleParagraph")
        self.paragraph([notice], role="ChromeParagraph")

    def _prefixes(self) -> str:
        lines = [f"@prefix {p}: <{ns}> ." for p, ns in VOCABULARIES.items()]
        lines += [f"@prefix {p}: <{SYNTH}{kind}/> ." for kind, p in KIND_PREFIXES.items()]
        lines += [f"@prefix {p}: <{SYNTH}{kind}/{self.slug}/> ." for kind, p in SCOPED_PREFIXES.items()]
        return "\n".join(lines) + "\n\n"

    # -- the stored text -------------------------------------------------------------------------

    def paragraph(self, sentences: Sequence[str], *, role: str = "BodyParagraph") -> Paragraph:
        """Append a paragraph (one line of the text, its sentences joined by spaces)."""
        if self._text:
            self._text.append("\n\n")
            self._position += 2
        start = self._position
        spans = []
        at = start
        for sentence in sentences:
            spans.append((at, at + len(sentence), sentence))
            at += len(sentence) + 1
        text = " ".join(sentences)
        self._text.append(text)
        self._position += len(text)
        number = len(self._paragraphs) + 1
        self._paragraphs.append((number, role, start, start + len(text)))
        return Paragraph(number, node("source", f"{self.slug}-p{number}"), tuple(spans))

    # -- statements --------------------------------------------------------------------------------

    def entity(self, subject: Term, pairs: Pairs, *, planted: bool = False) -> None:
        """Write ``subject``'s statements: to facts.ttl (or planted.ttl) and to the N-Quads."""
        ttl = subject[1] + " " + " ;\n    ".join(f"{p[1]} {o[1]}" for p, o in pairs) + " .\n\n"
        if planted:
            self._planted.append(ttl)
        else:
            self._facts.write(ttl)
        s, g = subject[0], self._graph
        self._nq.write("".join(f"{s} {p[0]} {o[0]} {g} .\n" for p, o in pairs))
        self.triples += len(pairs)

    def quote(self, paragraph: Paragraph, index: int, tag: str, speaker: Term | None, *, flaw: str | None = None,
              planted: bool = False, position_node: Term | None = None) -> Term:
        """A quote of sentence ``index`` of ``paragraph``: a pk:Quote with a TextQuoteSelector and a
        TextPositionSelector. ``flaw`` plants one problem: ``exact-lang`` (the exact words
        language-tagged), ``start-type`` (oa:start an xsd:nonNegativeInteger), ``no-source``,
        ``no-position`` or ``swapped`` (start after end, on the IRI ``position_node``)."""
        start, end, exact = paragraph.spans[index]
        quote = scoped("quote", self.slug, f"p{paragraph.number}-{tag}")
        pairs: list[tuple[Term, Term]] = [(TYPE, vocab("pk", "Quote"))]
        if flaw != "no-source":
            pairs.append((vocab("oa", "hasSource"), self.document))
        pairs.append((vocab("pk", "inParagraph"), paragraph.node))
        if speaker is not None:
            pairs.append((vocab("prov", "wasAttributedTo"), speaker))
        exact_term = lit(exact, "en" if flaw == "exact-lang" else None)
        text_sel = next(self._bnodes)
        selectors = [f"[ a oa:TextQuoteSelector ; oa:exact {exact_term[1]} ]"]
        self._nq_bnode(text_sel, [(TYPE, vocab("oa", "TextQuoteSelector")), (vocab("oa", "exact"), exact_term)])
        nq_selectors = [f"_:b{text_sel}"]
        if flaw == "swapped" and position_node is not None:
            selectors.append(position_node[1])
            nq_selectors.append(position_node[0])
        elif flaw != "no-position":
            start_term = typed(str(start), "nonNegativeInteger") if flaw == "start-type" else integer(start)
            pos_sel = next(self._bnodes)
            selectors.append(f"[ a oa:TextPositionSelector ; oa:start {start_term[1]} ; oa:end {end} ]")
            self._nq_bnode(pos_sel, [(TYPE, vocab("oa", "TextPositionSelector")), (vocab("oa", "start"), start_term),
                                     (vocab("oa", "end"), integer(end))])
            nq_selectors.append(f"_:b{pos_sel}")
        ttl = quote[1] + " " + " ;\n    ".join(f"{p[1]} {o[1]}" for p, o in pairs)
        ttl += " ;\n    oa:hasSelector " + " ,\n        ".join(selectors) + " .\n\n"
        (self._planted.append if planted else self._quotes.write)(ttl)
        g = self._graph
        has_selector = vocab("oa", "hasSelector")[0]
        self._nq.write("".join(f"{quote[0]} {p[0]} {o[0]} {g} .\n" for p, o in pairs) +
                       "".join(f"{quote[0]} {has_selector} {sel} {g} .\n" for sel in nq_selectors))
        self.triples += len(pairs) + len(nq_selectors)
        if flaw == "swapped" and position_node is not None:
            self.entity(position_node, [(TYPE, vocab("oa", "TextPositionSelector")), (vocab("oa", "start"), integer(end)),
                                        (vocab("oa", "end"), integer(start))], planted=True)
        return quote

    def _nq_bnode(self, label: int, pairs: Pairs) -> None:
        g = self._graph
        self._nq.write("".join(f"_:b{label} {p[0]} {o[0]} {g} .\n" for p, o in pairs))
        self.triples += len(pairs)

    # -- the end -----------------------------------------------------------------------------------

    def close(self, metadata: Pairs, extra: Sequence[tuple[Term, Pairs]] = ()) -> str:
        """Write the stored text, then ``source.ttl``: the document (``metadata`` plus its text
        file and SHA-256) and its paragraphs, and ``extra`` nodes of metadata. Returns the text."""
        text = "".join(self._text) + "\n"
        raw = text.encode("utf-8")
        (self.folder / self.TEXT_FILE).write_bytes(raw)
        self._facts.close()
        self._quotes.close()
        meta = (self.folder / METADATA_FILE).open("w", encoding="utf-8", newline="\n")
        meta.write(self._header + "# The synthetic source document and its paragraphs. Generated test data, not a real document.\n\n")
        self._facts = meta
        self.entity(self.document, [*metadata, (vocab("pk", "textFile"), lit(self.TEXT_FILE)),
                                    (vocab("pk", "sha256"), typed(hashlib.sha256(raw).hexdigest(), "hexBinary")),
                                    (vocab("pk", "isSynthetic"), TRUE)])
        for subject, pairs in extra:
            self.entity(subject, pairs)
        for number, role, start, end in self._paragraphs:
            self.entity(node("source", f"{self.slug}-p{number}"), [
                (TYPE, vocab("pk", "Paragraph")), (vocab("dcterms", "isPartOf"), self.document),
                (vocab("pk", "paragraphNumber"), integer(number)), (vocab("pk", "paragraphRole"), vocab("pk", role)),
                (vocab("pk", "startOffset"), integer(start)), (vocab("pk", "endOffset"), integer(end))])
        meta.close()
        if self._planted:
            with (self.folder / PLANTED_FILE).open("w", encoding="utf-8", newline="\n") as handle:
                handle.write(self._header + "# Problems planted on purpose for validation to find (see manifest.json); the build "
                                            "takes them without its evidence checks because the source is synthetic.\n\n")
                handle.write("".join(self._planted))
        return text


def bnode_counter() -> Iterator[int]:
    """Blank node labels, unique in the N-Quads file and the same on every run."""
    return itertools.count(1)
