"""Source documents under ``data/sources/<slug>/``: each folder holds the stored text, its
metadata (``source.ttl``), the facts taken from it with their quotes (any other ``*.ttl``), and,
kept apart, the curators' inferences (``inferences.ttl``).

A synthetic source (``pk:isSynthetic true``, as ``pilotkg synth`` writes them; its document may be
minted under the synthetic base) may also carry ``planted.ttl``: problems planted on purpose for
validation to find, which the build joins to the source's graph without its evidence checks.
Any other source with a ``planted.ttl`` is refused.

A new source is added as files alone: a folder with those files, no code change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from .errors import InputError
from .iri import KEY_PATTERN, mint, mint_synthetic
from .namespaces import PK, bind_prefixes
from .rdfio import parse_file

INFERENCES_FILE = "inferences.ttl"
METADATA_FILE = "source.ttl"
PLANTED_FILE = "planted.ttl"


@dataclass
class Source:
    """One source document and what was taken from it."""

    slug: str
    folder: Path
    document: URIRef
    text: str
    facts: Graph
    inferences: Graph
    files: list[Path] = field(default_factory=list)
    #: A synthetic source's planted problems (``planted.ttl``), kept out of the evidence checks.
    planted: Graph = field(default_factory=Graph)

    @property
    def synthetic(self) -> bool:
        """Whether the source is generated test data (``pk:isSynthetic true``)."""
        return self.facts.value(self.document, PK.isSynthetic) == Literal(True)

    @property
    def graph_name(self) -> URIRef:
        return mint("graph", "source", self.slug)

    @property
    def inference_graph_name(self) -> URIRef:
        return mint("graph", "inferred", self.slug)


def discover(data: Path) -> list[Path]:
    """The source folders under ``data/sources``, sorted by name."""
    root = data / "sources"
    if not root.is_dir():
        raise InputError("no sources folder", file=root, hint="create data/sources/<slug>/ with source.ttl and the text")
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def load_source(folder: Path) -> Source:
    """Read one source folder; check that its text is the one its metadata describes."""
    files = source_files(folder)
    facts = bind_prefixes(Graph())
    for path in files:
        parse_file(path, facts)
    inferences = bind_prefixes(Graph())
    if (folder / INFERENCES_FILE).is_file():
        parse_file(folder / INFERENCES_FILE, inferences)
        files.append(folder / INFERENCES_FILE)

    document, text = read_document(folder.name, folder, facts)
    source = Source(folder.name, folder, document, text, facts, inferences, files)
    if (folder / PLANTED_FILE).is_file():
        check_planted(source)
        parse_file(folder / PLANTED_FILE, source.planted)
    return source


def source_files(folder: Path) -> list[Path]:
    """The metadata file, then the fact files, of a source folder whose name and metadata file
    are checked (the inferences and planted problems are not among them)."""
    slug = folder.name
    if not KEY_PATTERN.match(slug):
        raise InputError(f"source folder name {slug!r} is not a valid key", file=folder,
                         hint="use lowercase letters, digits and hyphens, e.g. sichuan-first-pilot-lists")
    meta_path = folder / METADATA_FILE
    if not meta_path.is_file():
        raise InputError("the source has no metadata file", file=meta_path,
                         hint="describe the document in source.ttl (see the README, 'Adding a source')")
    return [meta_path] + sorted(p for p in folder.glob("*.ttl") if p.name not in (METADATA_FILE, INFERENCES_FILE, PLANTED_FILE))


def check_planted(source: Source) -> None:
    """Only a synthetic source may carry planted problems."""
    if not source.synthetic:
        raise InputError(f"{PLANTED_FILE} is only for synthetic sources (pk:isSynthetic true)", file=source.folder / PLANTED_FILE,
                         hint="move its facts, with their quotes, into a fact file such as facts.ttl")


def read_document(slug: str, folder: Path, facts: Graph) -> tuple[URIRef, str]:
    """The source's document IRI (under the real or, flagged synthetic, the synthetic base) and
    its stored text, checked against the SHA-256 that ``facts`` (its metadata) declares."""
    meta_path = folder / METADATA_FILE
    document = mint("source", slug)
    if (document, RDF.type, PK.SourceDocument) not in facts and \
            (mint_synthetic("source", slug), RDF.type, PK.SourceDocument) in facts:
        document = mint_synthetic("source", slug)
        if facts.value(document, PK.isSynthetic) != Literal(True):
            raise InputError(f"<{document}> is under the synthetic base but not flagged pk:isSynthetic true", file=meta_path,
                             hint="only generated test data (pilotkg synth) uses https://w3id.org/pilotkg/id/synth/")
    if (document, RDF.type, PK.SourceDocument) not in facts:
        raise InputError(f"source.ttl does not describe <{document}> as a pk:SourceDocument", file=meta_path,
                         hint="the document's IRI is minted from the folder name")
    text_name = facts.value(document, PK.textFile)
    if text_name is None:
        raise InputError("the document has no pk:textFile", file=meta_path, hint='add pk:textFile "article.txt"')
    text_path = folder / str(text_name)
    try:
        raw = text_path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the stored text: {exc.strerror}", file=text_path) from exc
    declared = facts.value(document, PK.sha256)
    actual = hashlib.sha256(raw).hexdigest()
    if declared is None or str(declared).lower() != actual:
        raise InputError(f"the stored text's SHA-256 is {actual}, but source.ttl declares {declared}",
                         file=meta_path,
                         hint="the text must not change after facts were quoted from it; if the change is "
                              "intended, re-anchor the quotes (tools/anchor_quotes.py) and update pk:sha256")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the stored text is not UTF-8 (byte {exc.start})", file=text_path) from exc
    return document, text


def load_sources(data: Path) -> list[Source]:
    return [load_source(folder) for folder in discover(data)]
