"""``pilotkg build`` through the embedded store, for data too large for memory.

The same build as :func:`pilotkg.build.assemble` (the same checks, closure, validation and
description; the same files), with the data in an Oxigraph store instead of rdflib's memory:

1. **load**: every file is parsed once (pyoxigraph's parser) and its statements go, a chunk of
   100,000 at a time, into ``pilotkg.nq`` and ``pilotkg.trig`` and into the store by the bulk
   loader, which works on a thread of its own (:class:`_Writer`), so that memory stays bounded by
   the chunk and the store's work overlaps Python's. The same pass
   feeds the RDFS closure (:class:`pilotkg.closure.Closure`) and notes the IRIs each source's fact
   files describe, for the evidence check. The files are written from the parsed terms, not from
   the store, because Oxigraph keeps a literal's value rather than its lexical form
   (``"1.50"^^xsd:decimal`` reads back as ``1.5``, ``xsd:positiveInteger`` as ``xsd:integer``):
   the files keep the sources' forms. Planted problems of synthetic sources wait in a staging
   graph of the store until the checks are done.
2. **checks**: the build's checks, on what the load noted of each source (its evidence, its
   vocabulary, the instances it points to, the IRIs typed anywhere), their verdicts given by the
   functions of :mod:`pilotkg.checks`, which the memory build uses too: a problem is reported in
   the same words, file and line either way. Nothing is moved into place when one is found.
3. **closure**: the entailed statements, into the store and the files.
4. **validation**: the fast SHACL engine on the store (:mod:`pilotkg.fastshacl`), and the EARL
   assessments of :mod:`pilotkg.compliance`.
5. **describe**: the DCAT/VoID description, its counts by the queries in ``queries/storebuild/``.
6. **pages**: the whole result of each paged library query, kept as pages beside the store, so
   that a page is read rather than computed (:mod:`pilotkg.pages`).

The store is kept beside the files as ``pilotkg.oxigraph/``, stamped with the files it holds, so
that later commands on ``pilotkg.nq`` or ``pilotkg.trig`` open it instead of loading the file
again (:func:`pilotkg.store.dataset_store`). Every output, the store included, is staged and
moved into place only when the whole build succeeded.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .assets import data_dir, ontology_dir, queries_dir
from .build import (
    CLOSURE_GRAPH,
    META_GRAPH,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    SHAPES_GRAPH,
    BuildResult,
    _Clock,
    _refuse_synthetic_in_shipped_data,
    describe_into,
    load_schema,
    ontology_version,
    stamp_time,
)
from .checks import check_described, check_evidence, check_quotes, check_terms, check_vocabulary
from .closure import Closure
from .errors import BuildError, InputError, OutputError, Problem
from .ingested import asserted_graph, check_ingested, facts_graph, load_ingested
from .iri import mint
from .namespaces import ID, OA, PK, PREFIXES, bind_prefixes
from .pages import materialise
from .rdfio import staged_files
from .reference import reference_graph
from .sources import INFERENCES_FILE, PLANTED_FILE, Source, check_planted, discover, read_document, source_files
from .store import STORE_SUFFIX, OxigraphStore, replace_dir, rewritable_literals, to_oxigraph, write_stamp

#: Graphs a source's planted problems wait in until the checks are done.
STAGING = "urn:pilotkg:build:"
OUTPUTS = ("pilotkg.trig", "pilotkg.nq", "void.ttl")


@dataclass
class _Layout:
    """Where one source folder's files go."""

    folder: Path
    files: list[Path]
    inferences: Path | None
    planted: Path | None
    source: Source | None = None
    graph: Any = None
    planted_graph: Any = None
    inferred: Any = None
    #: the IRIs the fact files describe (pilotkg.checks.fact_subjects)
    subjects: set[URIRef] = field(default_factory=set)
    #: the statements the quote and evidence checks read (see :func:`_evidence_predicates`)
    evidence: list[Any] = field(default_factory=list)
    #: what the source's files use: its facts and metadata, its inferences, its planted problems
    facts: _Uses = field(default_factory=lambda: _Uses())
    inferred_uses: _Uses = field(default_factory=lambda: _Uses())
    planted_uses: _Uses = field(default_factory=lambda: _Uses())


class _Uses:
    """What some graph uses, noted as its files are parsed: its vocabulary IRIs (as
    :func:`pilotkg.checks.vocabulary_terms` finds them) and the instance IRIs it points to."""

    INSTANCES = str(ID)

    def __init__(self) -> None:
        self.terms: set[str] = set()
        self.objects: set[str] = set()

    def note(self, triples: list[Any]) -> None:
        import pyoxigraph as ox

        named = ox.NamedNode
        objects = {t.object.value for t in triples if type(t.object) is named}
        subjects = {t.subject.value for t in triples if type(t.subject) is named}
        self.terms |= {t.predicate.value for t in triples}
        self.terms |= {iri for iri in objects | subjects if not iri.startswith(self.INSTANCES)}
        self.objects |= {iri for iri in objects if iri.startswith(self.INSTANCES)}

    def vocabulary(self) -> set[URIRef]:
        return {URIRef(iri) for iri in self.terms}

    def instances(self) -> set[URIRef]:
        return {URIRef(iri) for iri in self.objects}


def build_in_store(output: Path, data: Path | None = None, *, timings: dict[str, float] | None = None,
                   peaks: dict[str, float] | None = None) -> BuildResult:
    """Build through the embedded store; write ``pilotkg.trig``, ``pilotkg.nq``, ``void.ttl`` and
    the store ``pilotkg.oxigraph/`` to ``output``. Raises :class:`BuildError` listing every
    problem found, and leaves the previous output as it was."""
    import pyoxigraph as ox

    clock = _Clock(timings, peaks)
    started = stamp_time()
    data = data or data_dir()
    reference = reference_graph(data / "reference")
    onto, shapes, problems = load_schema(ontology_dir(), reference)
    folders = discover(data)
    ingested = load_ingested(data)
    created = not output.exists()
    try:
        output.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".pilotkg{STORE_SUFFIX}.", suffix=".tmp", dir=output))
    except OSError as exc:
        raise OutputError(f"cannot write to {output}: {exc.strerror}") from exc
    store: OxigraphStore | None = None
    writer: _Writer | None = None
    targets = [output / name for name in OUTPUTS]
    done = False
    # millions of parsed terms and no reference cycles: the cyclic collector would only walk them
    paused = gc.isenabled()
    gc.disable()
    try:
        with staged_files(targets) as (trig, nquads, void):
            store = OxigraphStore(staging)
            raw = store.raw
            writer = _Writer(raw, trig, nquads)
            closure = Closure(onto, iri_of=lambda t: t.value if type(t) is ox.NamedNode else None,
                              is_literal=lambda t: type(t) is ox.Literal, make_iri=ox.NamedNode)
            # the shapes graph is written after validation: the union graph is then what is validated,
            # queried in place, where a graph left out would need a snapshot of the store
            small = [(ONTOLOGY_GRAPH, onto, False), (REFERENCE_GRAPH, reference, True)]
            small += [(name, graph, feeds) for item in ingested
                      for name, graph, feeds in ((facts_graph(item.id), item.facts, True),
                                                 (asserted_graph(item.id), item.asserted, False)) if len(graph)]
            for name, graph, feeds in small:
                if name != ONTOLOGY_GRAPH:
                    writer.typed.update(str(s) for s in graph.subjects(RDF.type) if isinstance(s, URIRef))
                target = ox.NamedNode(str(name))
                for s, p, o in graph:
                    quad = ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target)
                    if feeds:
                        closure.feed(quad.subject, quad.predicate, quad.object)
                    writer.add(quad)
            layouts = [_load_source(writer, closure, folder) for folder in folders]
            writer.flush()
            raw.flush()
            clock.lap("load")

            sources = [_read_source(layout) for layout in layouts]
            _refuse_synthetic_in_shipped_data(data, sources)
            problems += _check(layouts, ingested, onto, writer.typed)
            if problems:
                raise BuildError(problems)
            for layout in layouts:
                if layout.planted_graph is not None:
                    raw.extend([ox.Quad(q.subject, q.predicate, q.object, layout.graph)
                                for q in raw.quads_for_pattern(None, None, None, layout.planted_graph)])
                    raw.remove_graph(layout.planted_graph)
            clock.lap("checks")

            closure_graph = ox.NamedNode(str(CLOSURE_GRAPH))
            batch: list[Any] = []
            for s, p, o in closure.statements():
                batch.append(ox.Triple(s, p, o))
                if len(batch) >= _Writer.CHUNK:
                    writer.triples(batch, closure_graph)
                    batch = []
            writer.triples(batch, closure_graph)
            writer.flush()
            clock.lap("closure")

            from .compliance import VALIDATION_GRAPH, assess, earl_graph
            from .fastshacl import validate_fast, written_literals

            written = written_literals(writer.rewritable)
            store.record_written(written)
            validation = validate_fast(store, as_written=written)
            validation.engine = "fast"
            writer.graph(VALIDATION_GRAPH, earl_graph(assess(store, validation)))
            writer.graph(SHAPES_GRAPH, shapes)
            clock.lap("validation")

            meta = bind_prefixes(Graph())
            sizes, classes, entities = _counts(raw)
            describe_into(meta, sources, version=ontology_version(onto), started=started, ingested=ingested,
                          sizes=sizes, classes=classes, entities=entities)
            writer.graph(META_GRAPH, meta)
            void.write(meta.serialize(format="turtle", encoding="utf-8"))
            raw.flush()
            statements = len(raw)
            clock.lap("describe")
            writer.loader.close()
            writer.loader.raw = raw = None  # the last references: the store is released when it is closed
            store.close()
            store = None
        materialise(staging)
        clock.lap("pages")
        write_stamp(staging, targets[:2])
        replace_dir(staging, output / f"pilotkg{STORE_SUFFIX}")
        clock.lap("write")
        done = True
        return BuildResult(None, sources, written=targets, ingested=ingested, statements=statements,
                           store=output / f"pilotkg{STORE_SUFFIX}")
    finally:
        if writer is not None:
            writer.loader.close()  # before the store closes: it may still be loading
        if paused:
            gc.enable()
        if store is not None:
            store.close()
            del store
            gc.collect()
        shutil.rmtree(staging, ignore_errors=True)
        if created and not done:
            shutil.rmtree(output, ignore_errors=True)  # made for this build, holding nothing else


class _Writer:
    """Statements into the store and both files, a chunk at a time; memory stays bounded by the
    chunk.

    A parsed file's statements stay triples of one named graph: pyoxigraph serialises them as
    N-Triples, which become N-Quads by naming the graph at each line's end (a line of N-Triples
    ends in `` .`` and nowhere else: newlines in literals are escaped). That text is appended to
    ``pilotkg.nq`` and handed to the store's bulk loader, which parses it in Rust on another thread
    (:class:`_Loader`) while Python goes on with the next file: no quad object is made, and the
    store's work overlaps the parse, the closure and the checks' notes. A statement with a blank
    node goes to the store as a quad instead, because a parser would give the blank node a new
    name, and the files and the store must agree. Statements the build makes itself arrive as
    quads and go the same way."""

    CHUNK = 100_000

    def __init__(self, raw: Any, trig: BinaryIO, nquads: BinaryIO) -> None:
        self.trig, self.nquads = trig, nquads
        #: (graph, triples, where) for parsed statements, (None, quads, where) for the build's own;
        #: where: into the files and the store, or only one of them
        self.segments: list[tuple[Any, list[Any], str]] = []
        self.size = 0
        self.prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        #: statements whose literal Oxigraph may store otherwise than written (see
        #: :func:`pilotkg.fastshacl.written_literals`), for the validation
        self.rewritable: list[Any] = []
        #: the IRIs typed in the graphs the reference check reads (all but the ontology, the
        #: shapes and the inferences)
        self.typed: set[str] = set()
        self.loader = _Loader(raw)

    def add(self, quad: Any) -> None:
        if not self.segments or self.segments[-1][0] is not None or self.segments[-1][2] != _BOTH:
            self.segments.append((None, [], _BOTH))
        self.segments[-1][1].append(quad)
        self.size += 1
        if self.size >= self.CHUNK:
            self._spill()

    def extend(self, quads: list[Any]) -> None:
        self._segment(None, list(quads), _BOTH)

    def triples(self, triples: list[Any], graph: Any, *, to: str = "both") -> None:
        """Parsed ``triples`` (pyoxigraph terms) in the named graph ``graph``: into the files and
        the store (``to="both"``), the files alone (``"files"``) or the store alone (``"store"``)."""
        self._segment(graph, triples, to)

    def _segment(self, graph: Any, statements: list[Any], to: str) -> None:
        self.segments.append((graph, statements, to))
        self.size += len(statements)
        if self.size >= self.CHUNK:
            self._spill()

    def flush(self) -> None:
        """Everything written, and in the store once the loader is done (read it only then)."""
        self._spill()
        self.loader.wait()

    def _spill(self) -> None:
        """The chunk to the files now, and to the loader as one text and one list of quads."""
        texts: list[bytes] = []
        quads: list[Any] = []
        for graph, statements, to in self.segments:
            if to != _STORE:  # what the dataset finally holds: planted statements in their source's graph
                self.rewritable += (rewritable_literals(statements) if graph is None else
                                    [_quad(t, graph) for t in rewritable_literals(statements)])
            if graph is None:
                self._quads(statements, to, quads)
            else:
                self._triples(graph, statements, to, texts, quads)
        if texts:
            text = b"".join(texts)
            texts.clear()  # the pieces go before the loader takes the whole: one copy in memory
            self.loader.text(text)
        if quads:
            self.loader.quads(quads)
        self.segments, self.size = [], 0

    def _quads(self, statements: list[Any], to: str, quads: list[Any]) -> None:
        import pyoxigraph as ox

        if to != _STORE:
            ox.serialize(statements, self.nquads, format=ox.RdfFormat.N_QUADS)
            ox.serialize(statements, self.trig, format=ox.RdfFormat.TRIG, prefixes=self.prefixes)
        if to != _FILES:
            quads += statements

    def _triples(self, graph: Any, triples: list[Any], to: str, texts: list[bytes], quads: list[Any]) -> None:
        import pyoxigraph as ox

        if not triples:
            return
        blank = ox.BlankNode
        named = [t for t in triples if type(t.subject) is not blank and type(t.object) is not blank]
        blanks = ([_quad(t, graph) for t in triples if type(t.subject) is blank or type(t.object) is blank]
                  if len(named) < len(triples) else [])
        text = _text(ox.serialize(named, format=ox.RdfFormat.N_TRIPLES)).replace(b" .\n", f" {graph} .\n".encode())
        if to != _STORE:
            self.nquads.write(text)
            if blanks:
                ox.serialize(blanks, self.nquads, format=ox.RdfFormat.N_QUADS)
            turtle = _text(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=self.prefixes))
            body = 0
            while turtle.startswith(b"@prefix ", body):  # prefixes may not stand inside a graph's braces
                body = turtle.index(b"\n", body) + 1
            self.trig.write(turtle[:body] + f"{graph} {{\n".encode() + turtle[body:] + b"}\n")
        if to != _FILES:
            texts.append(text)
            quads += blanks

    def graph(self, name: URIRef, graph: Graph) -> None:
        """A graph the build made, whole."""
        import pyoxigraph as ox

        target = ox.NamedNode(str(name))
        self.extend([ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target) for s, p, o in graph])
        self.flush()


_BOTH, _FILES, _STORE = "both", "files", "store"


def _quad(triple: Any, graph: Any) -> Any:
    import pyoxigraph as ox

    return ox.Quad(triple.subject, triple.predicate, triple.object, graph)


class _Loader:
    """The store's side of :class:`_Writer`, on its own thread, in the order given: N-Quads text
    goes to Oxigraph's bulk loader, which parses it without holding Python's lock; quads go to
    ``bulk_extend`` (or, when few, a plain transaction). At most one chunk waits while another loads,
    so memory stays bounded. The first error is raised again by :meth:`wait`, in the building thread."""

    def __init__(self, raw: Any) -> None:
        import queue
        import threading

        self.raw = raw
        self.queue: queue.Queue[tuple[str, Any] | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="pilotkg-store-loader", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        import pyoxigraph as ox

        while (item := self.queue.get()) is not None:
            kind, payload = item
            try:
                if self.error is None:
                    if kind == "text":  # our own serialisation of parsed terms: checked already
                        load = self.raw.bulk_load if len(payload) >= BULK_BYTES else self.raw.load
                        load(payload, format=ox.RdfFormat.N_QUADS, lenient=True)
                    else:
                        (self.raw.bulk_extend if len(payload) >= BULK_QUADS else self.raw.extend)(payload)
            except BaseException as exc:  # noqa: BLE001 - handed to the building thread by wait()
                self.error = exc
            finally:
                self.queue.task_done()
        self.queue.task_done()

    def text(self, text: bytes) -> None:
        self._put(("text", text))

    def quads(self, quads: list[Any]) -> None:
        self._put(("quads", quads))

    def _put(self, item: tuple[str, Any]) -> None:
        if not self.thread.is_alive():
            raise OutputError("the store's loader has stopped")
        self.queue.put(item)

    def wait(self) -> None:
        """Return once everything handed over is in the store; raise the loader's error if any."""
        self.queue.join()
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def close(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()


#: Below this many statements a chunk goes into the store by a plain transaction: the bulk
#: loader writes new index files at every call, which costs more than it saves on small inputs.
BULK_QUADS = 5_000
#: The same for N-Quads text (about 5,000 statements).
BULK_BYTES = 1_000_000


def _parse(path: Path) -> list[Any]:
    import pyoxigraph as ox

    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise InputError(f"not valid turtle: {exc.msg}", file=path, line=exc.lineno,
                         hint="correct the syntax at that line; Oxigraph's message is quoted") from exc
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=path) from exc


def _note_typed(typed: set[str], triples: list[Any]) -> None:
    """The IRIs given an rdf:type (what pilotkg.checks.check_references calls described)."""
    import pyoxigraph as ox

    rdf_type = ox.NamedNode(str(RDF.type))
    typed.update(t.subject.value for t in triples if t.predicate == rdf_type and type(t.subject) is ox.NamedNode)


def _load_source(writer: _Writer, closure: Closure, folder: Path) -> _Layout:
    """One source folder, parsed once: into the store and the files, fed to the closure, and the
    IRIs its fact files describe noted for the evidence check. Planted problems wait in a
    staging graph of the store until the checks are done (the files have them in place)."""
    import pyoxigraph as ox

    files = source_files(folder)
    inferences = folder / INFERENCES_FILE
    planted = folder / PLANTED_FILE
    layout = _Layout(folder, files, inferences if inferences.is_file() else None, planted if planted.is_file() else None)
    slug = folder.name
    layout.graph = graph = ox.NamedNode(str(mint("graph", "source", slug)))
    for index, path in enumerate(files):
        triples = _parse(path)
        if index:  # a fact file, not the metadata
            layout.subjects.update(URIRef(t.subject.value) for t in triples if type(t.subject) is ox.NamedNode)
        _note_typed(writer.typed, triples)
        layout.facts.note(triples)
        keep = _evidence_predicates()
        layout.evidence += [t for t in triples if t.predicate in keep]
        for t in triples:
            closure.feed(t.subject, t.predicate, t.object)
        writer.triples(triples, graph)
    if layout.inferences:
        layout.inferred = ox.NamedNode(str(mint("graph", "inferred", slug)))
        triples = _parse(layout.inferences)
        layout.inferred_uses.note(triples)
        writer.triples(triples, layout.inferred)
    if layout.planted:
        triples = _parse(layout.planted)
        _note_typed(writer.typed, triples)
        layout.planted_uses.note(triples)
        for t in triples:
            closure.feed(t.subject, t.predicate, t.object)
        layout.planted_graph = ox.NamedNode(f"{STAGING}planted:{slug}")
        writer.triples(triples, graph, to=_FILES)
        writer.triples(triples, layout.planted_graph, to=_STORE)
    return layout


def _query(raw: Any, name: str, graphs: list[Any] | None = None, bindings: dict[str, Any] | None = None) -> Any:
    """One of the build's queries (``queries/storebuild/NAME.rq``), over ``graphs`` as its default
    graph (all of them when None), with variables bound to terms (never spliced into the text)."""
    import pyoxigraph as ox

    text = (queries_dir() / "storebuild" / f"{name}.rq").read_text(encoding="utf-8")
    options: dict[str, Any] = {"default_graph": graphs} if graphs is not None else {"use_default_graph_as_union": True}
    return raw.query(text, substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()}, **options)


def _evidence_predicates() -> frozenset[Any]:
    """What :func:`pilotkg.checks.check_quotes`, ``check_evidence`` and
    :func:`pilotkg.sources.read_document` read of a source: the typings, the quotes' selectors,
    sources and paragraphs, the selectors' words and offsets, the paragraphs' offsets and roles,
    the document's text file, checksum and flag, and every pk:quote link."""
    global _EVIDENCE
    if _EVIDENCE is None:
        import pyoxigraph as ox

        _EVIDENCE = frozenset(ox.NamedNode(str(term)) for term in (
            RDF.type, OA.hasSelector, OA.hasSource, PK.inParagraph, OA.exact, OA.prefix, OA.suffix, OA.start, OA.end,
            PK.startOffset, PK.endOffset, PK.paragraphRole, PK.textFile, PK.sha256, PK.isSynthetic, PK.quote))
    return _EVIDENCE


_EVIDENCE: frozenset[Any] | None = None


def _read_source(layout: _Layout) -> Source:
    """The source as the checks read it: its evidence (quotes, selectors, paragraphs, document,
    pk:quote links), its document and its checked text."""
    evidence = cast(Graph, _Evidence(layout.evidence))
    layout.evidence = []
    folder = layout.folder
    document, text = read_document(folder.name, folder, evidence)
    files = list(layout.files) + ([layout.inferences] if layout.inferences else [])
    layout.source = Source(folder.name, folder, document, text, evidence, bind_prefixes(Graph()), files)
    if layout.planted:
        check_planted(layout.source)
    return layout.source


class _Evidence:
    """The reads of an rdflib ``Graph`` that the checks make (``value``, ``objects``,
    ``subjects`` of a predicate and object, membership), over pyoxigraph triples: only the terms
    read are converted to rdflib's, which is most of the checks' time on a large source."""

    def __init__(self, triples: list[Any]) -> None:
        self.spo: dict[Any, dict[Any, list[Any]]] = {}
        self.pos: dict[tuple[Any, Any], list[Any]] = {}
        for t in triples:
            self.spo.setdefault(t.subject, {}).setdefault(t.predicate, []).append(t.object)
            self.pos.setdefault((t.predicate, t.object), []).append(t.subject)
        self._ox: dict[Any, Any] = {}
        self._rdf: dict[Any, Any] = {}

    def _to_ox(self, term: Any) -> Any:
        found = self._ox.get(term)
        if found is None:
            found = self._ox[term] = to_oxigraph(term)
        return found

    def _to_rdf(self, term: Any) -> Any:
        from .store import to_rdflib

        found = self._rdf.get(term)
        if found is None:
            found = self._rdf[term] = to_rdflib(term)
        return found

    def objects(self, subject: Any = None, predicate: Any = None) -> Iterator[Any]:
        assert subject is not None and predicate is not None, "the checks read objects of a subject and a predicate"
        return (self._to_rdf(o) for o in self.spo.get(self._to_ox(subject), {}).get(self._to_ox(predicate), ()))

    def subjects(self, predicate: Any = None, object: Any = None) -> Iterator[Any]:
        assert predicate is not None and object is not None, "the checks read subjects of a predicate and an object"
        return (self._to_rdf(s) for s in self.pos.get((self._to_ox(predicate), self._to_ox(object)), ()))

    def value(self, subject: Any = None, predicate: Any = None) -> Any:
        if subject is None:
            return None
        return next(self.objects(subject, predicate), None)

    def __contains__(self, triple: tuple[Any, Any, Any]) -> bool:
        s, p, o = (self._to_ox(term) for term in triple)
        return o in self.spo.get(s, {}).get(p, ())


def _check(layouts: list[_Layout], ingested: list, onto: Graph, typed: set[str]) -> list[Problem]:
    """The memory build's checks of the sources and the ingested files, on what the load noted."""
    from .checks import declared_terms, load_term_lists

    term_lists = load_term_lists(ontology_dir() / "external")
    declared = declared_terms(onto)
    problems: list[Problem] = []
    for layout in layouts:
        source = layout.source
        assert source is not None
        problems += check_quotes(source)
        problems += check_evidence(source, layout.subjects)
        problems += check_terms(layout.facts.vocabulary(), declared, term_lists, source.files, where=source.slug)
        problems += check_terms(layout.inferred_uses.vocabulary(), declared, term_lists, source.files, where=source.slug)
        if layout.planted:
            problems += check_terms(layout.planted_uses.vocabulary(), declared, term_lists, [layout.planted],
                                    where=source.slug)
    for item in ingested:
        for graph in (item.facts, item.asserted):
            problems += check_vocabulary(graph, declared, term_lists, [item.path], where=item.id)

    def described(node: URIRef) -> bool:
        return str(node) in typed

    for layout in layouts:
        source = layout.source
        assert source is not None
        problems += check_described(layout.facts.instances(), described, source)
        problems += check_described(layout.planted_uses.instances(), described, source)
        problems += check_described(layout.inferred_uses.instances(), described, source)
    for item in ingested:
        problems += check_ingested(item, described, [layout.source for layout in layouts if layout.source])
    return problems


def _counts(raw: Any) -> tuple[dict[URIRef, int], dict[URIRef, int], int]:
    """The statements of each graph but the description's, the instances of each class, and
    all typed instances, for the VoID description."""
    import pyoxigraph as ox

    sizes = {URIRef(row["graph"].value): int(row["statements"].value) for row in _query(raw, "graph-sizes")
             if row["graph"].value != str(META_GRAPH)}
    exclude = {"ontology": ox.NamedNode(str(ONTOLOGY_GRAPH)), "meta": ox.NamedNode(str(META_GRAPH))}
    classes = {URIRef(row["class"].value): int(row["instances"].value) for row in _query(raw, "class-sizes", None, exclude)}
    entities = next(iter(_query(raw, "entities", None, exclude)))["entities"]
    return sizes, classes, int(entities.value)


def sources_size(data: Path) -> int:
    """The bytes of RDF a build of ``data`` reads (its sources and ingested files), to choose
    between the memory and the store build."""
    total = 0
    for folder in (data / "sources", data / "ingested"):
        if folder.is_dir():
            total += sum(p.stat().st_size for p in folder.rglob("*") if p.suffix in (".ttl", ".trig") and p.is_file())
    return total


__all__ = ["build_in_store", "sources_size"]


def _text(serialised: bytes | None) -> bytes:
    """What ``pyoxigraph.serialize`` returns when given no output (typed as maybe None)."""
    assert serialised is not None
    return serialised
