"""``pilotkg build``: assemble the ontology, the reference identifiers, every source's facts and
inferences, the ingested spreadsheets (``data/ingested/*.trig``) and the RDFS closure into one RDF
dataset with a named graph each; check it; and only then write it atomically as TriG and
N-Quads with a DCAT/VoID description.

The data flows one way: sources -> build -> dataset.

The project's own data folder never holds a synthetic source (``pilotkg synth`` writes to a folder
of its own): the build refuses one there. A synthetic source's ``planted.ttl`` joins its graph
without the evidence checks, so that validation can be tested on the problems planted in it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD

from . import __version__
from .assets import data_dir, ontology_dir
from .checks import check_evidence, check_quotes, check_references, check_vocabulary, declared_terms, load_term_lists
from .closure import rdfs_closure
from .errors import BuildError, InputError, Problem
from .ingested import asserted_graph, check_ingested, facts_graph, load_ingested, sheet_entity
from .iri import mint
from .namespaces import ONTOLOGY_IRI, PK, bind_prefixes
from .rdfio import parse_file, write_atomically
from .reference import reference_graph
from .sources import PLANTED_FILE, Source, load_sources

ONTOLOGY_GRAPH = mint("graph", "ontology")
REFERENCE_GRAPH = mint("graph", "reference")
CLOSURE_GRAPH = mint("graph", "closure")
META_GRAPH = mint("graph", "meta")
SHAPES_GRAPH = mint("graph", "shapes")
DATASET = mint("dataset", "pilotkg")

LICENCE_NOTE = ("The curated graph and the ontology are published under the MIT licence. The stored source texts "
                "are third-party publications kept for provenance; their rights stay with their publishers.")


@dataclass
class BuildResult:
    #: The dataset in memory (None when built through the store: see ``store``).
    dataset: Dataset | None
    sources: list[Source]
    written: list[Path] = field(default_factory=list)
    #: The spreadsheets ingested into ``data/ingested`` (pilotkg.ingest.Ingested).
    ingested: list = field(default_factory=list)
    #: How many statements the dataset holds.
    statements: int = 0
    #: The embedded store the build left beside its files (a store build), else None.
    store: Path | None = None
    #: "memory" or "store": how it was built.
    engine: str = "memory"


def load_ontology(folder: Path | None = None) -> Graph:
    """All modules of the ontology in one graph."""
    folder = folder or ontology_dir()
    graph = bind_prefixes(Graph())
    for path in sorted(folder.glob("*.ttl")):
        parse_file(path, graph)
    return graph


def ontology_version(ontology: Graph) -> str:
    return str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo) or "unknown")


def stamp_time() -> datetime:
    """The time to write into a build, an ingest or a report: now, or ``SOURCE_DATE_EPOCH`` (seconds
    since 1970) when it is set, which makes the outputs reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def assemble(data: Path | None = None, *, ontology: Path | None = None, validate: bool = True,
             timings: dict[str, float] | None = None) -> BuildResult:
    """Read and check everything; return the dataset. Raises :class:`BuildError` listing every
    problem found, and writes nothing. With ``validate`` the SHACL report and the EARL
    assessments of the six-requirement rule join the dataset as ``graph/validation``.
    ``timings``, when given, receives the seconds of each phase (load, checks, closure,
    validation, describe) for the benchmarks."""
    clock = _Clock(timings)
    started = stamp_time()
    data = data or data_dir()
    onto_folder = ontology or ontology_dir()
    reference = reference_graph(data / "reference")
    sources = load_sources(data)
    _refuse_synthetic_in_shipped_data(data, sources)
    ingested = load_ingested(data)
    clock.lap("load")

    onto, shapes, problems = load_schema(onto_folder, reference)
    term_lists = load_term_lists(onto_folder / "external")
    declared = declared_terms(onto)

    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    _copy(onto, dataset.graph(ONTOLOGY_GRAPH))
    _copy(reference, dataset.graph(REFERENCE_GRAPH))
    _copy(shapes, dataset.graph(SHAPES_GRAPH))
    for source in sources:
        problems += check_quotes(source)
        problems += check_evidence(source)
        problems += check_vocabulary(source.facts, declared, term_lists, source.files, where=source.slug)
        problems += check_vocabulary(source.inferences, declared, term_lists, source.files, where=source.slug)
        _copy(source.facts, dataset.graph(source.graph_name))
        if len(source.planted):
            problems += check_vocabulary(source.planted, declared, term_lists, [source.folder / PLANTED_FILE], where=source.slug)
            _copy(source.planted, dataset.graph(source.graph_name))
        if len(source.inferences):
            _copy(source.inferences, dataset.graph(source.inference_graph_name))
    for item in ingested:
        for graph, name in ((item.facts, facts_graph(item.id)), (item.asserted, asserted_graph(item.id))):
            problems += check_vocabulary(graph, declared, term_lists, [item.path], where=item.id)
            if len(graph):
                _copy(graph, dataset.graph(name))
    union = Graph()
    for graph in [reference] + [s.facts for s in sources] + [s.planted for s in sources] + \
            [g for i in ingested for g in (i.facts, i.asserted)]:
        _copy(graph, union)
    for source in sources:
        problems += check_references(union, source.facts, source)
        problems += check_references(union, source.planted, source)
        problems += check_references(union, source.inferences, source)
    for item in ingested:
        problems += check_ingested(item, union, sources)
    if problems:
        raise BuildError(problems)
    clock.lap("checks")

    closure = rdfs_closure(onto, [reference] + [s.facts for s in sources] + [s.planted for s in sources] + [i.facts for i in ingested])
    _copy(closure, dataset.graph(CLOSURE_GRAPH))
    clock.lap("closure")
    if validate:
        from .compliance import VALIDATION_GRAPH, assess, earl_graph
        from .validate import validate as run_shacl

        _copy(earl_graph(assess(dataset, run_shacl(dataset))), dataset.graph(VALIDATION_GRAPH))
        clock.lap("validation")
    _describe(dataset, sources, version=ontology_version(onto), started=started, ingested=ingested)
    clock.lap("describe")
    return BuildResult(dataset, sources, ingested=ingested, statements=len(dataset))


def load_schema(onto_folder: Path, reference: Graph) -> tuple[Graph, Graph, list[Problem]]:
    """The ontology and the shapes, and what is wrong with their vocabulary and the reference's."""
    onto = load_ontology(onto_folder)
    term_lists = load_term_lists(onto_folder / "external")
    declared = declared_terms(onto)
    problems = check_vocabulary(onto, declared, term_lists, sorted(onto_folder.glob("*.ttl")), where="ontology")
    problems += check_vocabulary(reference, declared, term_lists, [], where="reference")
    shapes = bind_prefixes(Graph())
    shape_files = sorted((onto_folder / "shapes").glob("*.ttl"))
    for path in shape_files:
        parse_file(path, shapes)
    problems += check_vocabulary(shapes, declared, term_lists, shape_files, where="shapes")
    return onto, shapes, problems


class _Clock:
    """Seconds per phase, into ``timings`` when one is given (nothing is kept otherwise), and the
    peak memory of the process so far at the end of each phase, in MB, into ``peaks``."""

    def __init__(self, timings: dict[str, float] | None, peaks: dict[str, float] | None = None) -> None:
        import time

        self._now = time.perf_counter
        self.timings = timings
        self.peaks = peaks
        self.last = self._now()

    def lap(self, phase: str) -> None:
        if self.timings is not None:
            now = self._now()
            self.timings[phase] = self.timings.get(phase, 0.0) + now - self.last
            self.last = now
        if self.peaks is not None:
            import resource

            self.peaks[phase] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _refuse_synthetic_in_shipped_data(data: Path, sources: list[Source]) -> None:
    """Synthetic test data never enters the project's own data folder: refuse it there at once."""
    try:
        shipped = data.resolve() == data_dir().resolve()
    except InputError:  # no installed assets: then this is not the shipped data folder
        shipped = False
    synthetic = [s for s in sources if s.synthetic] if shipped else []
    if synthetic:
        raise BuildError([Problem(f"source {s.slug!r} is synthetic (pk:isSynthetic true) and is in the project's data folder",
                                  s.folder, hint="synthetic data never goes into data/: build it from its own folder with "
                                                 "`pilotkg build --data DIR`, and remove it from data/sources/")
                          for s in synthetic])


def _copy(source: Graph, target: Graph) -> None:
    for triple in source:
        target.add(triple)


def _describe(dataset: Dataset, sources: list[Source], *, version: str, started: datetime, ingested: list | None = None) -> None:
    """The DCAT/VoID description of the dataset and the PROV activity of this build."""
    sizes = {context.identifier: len(context) for context in dataset.graphs()
             if context.identifier != META_GRAPH and len(context)}
    classes: dict[URIRef, set] = {}
    for context in dataset.graphs():
        if context.identifier in sizes and context.identifier != ONTOLOGY_GRAPH:
            for s, cls in context.subject_objects(RDF.type):
                if isinstance(cls, URIRef):
                    classes.setdefault(cls, set()).add(s)
    entities = len(set().union(*classes.values())) if classes else 0
    describe_into(dataset.graph(META_GRAPH), sources, version=version, started=started, ingested=ingested,
                  sizes=sizes, classes={cls: len(members) for cls, members in classes.items()}, entities=entities)


def describe_into(meta: Graph, sources: list[Source], *, version: str, started: datetime, ingested: list | None,
                  sizes: dict, classes: dict, entities: int) -> None:
    """The DCAT/VoID description, given the statements of each non-empty graph but the
    description's own (``sizes``), the instances of each class outside the ontology
    (``classes``) and of all of them (``entities``); and the PROV activity of this build."""
    build = mint("build", f"{__version__}-{started.strftime('%Y%m%dt%H%M%Sz')}")
    meta.add((DATASET, RDF.type, VOID.Dataset))
    meta.add((DATASET, RDF.type, DCAT.Dataset))
    meta.add((DATASET, DCTERMS.title, Literal("pilotkg: Sichuan's pilot work to build a province strong in manufacturing", lang="en")))
    meta.add((DATASET, DCTERMS.description, Literal(
        "The first pilot competitive manufacturing cities and pilot special advantageous industries of Sichuan, "
        "every fact with a verbatim quote of its source.", lang="en")))
    meta.add((DATASET, DCTERMS.rights, Literal(LICENCE_NOTE, lang="en")))
    meta.add((DATASET, DCTERMS.conformsTo, ONTOLOGY_IRI))
    meta.add((DATASET, DCTERMS.hasVersion, Literal(__version__)))
    meta.add((DATASET, OWL.versionInfo, Literal(f"pilotkg {__version__}; ontology {version}")))
    meta.add((DATASET, DCTERMS.issued, Literal(started.isoformat(), datatype=XSD.dateTime)))
    meta.add((DATASET, PROV.wasGeneratedBy, build))
    meta.add((build, RDF.type, PK.BuildActivity))
    meta.add((build, RDFS.label, Literal(f"pilotkg build {__version__}", lang="en")))
    meta.add((build, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)))
    meta.add((build, PROV.endedAtTime, Literal(stamp_time().isoformat(), datatype=XSD.dateTime)))
    for source in sources:
        meta.add((DATASET, DCTERMS.source, source.document))
        meta.add((build, PROV.used, source.document))
        meta.add((source.document, PK.sourceGraph, source.graph_name))
    for item in ingested or []:
        meta.add((build, PROV.used, sheet_entity(item.id)))
        meta.add((sheet_entity(item.id), PK.sourceGraph, facts_graph(item.id)))
    for name in sorted(sizes, key=str):
        subset = mint("dataset", "pilotkg", str(name).rsplit("/graph/", 1)[-1].replace("/", "-"))
        meta.add((DATASET, VOID.subset, subset))
        meta.add((subset, RDF.type, VOID.Dataset))
        meta.add((subset, DCTERMS.identifier, Literal(str(name))))
        meta.add((subset, VOID.triples, Literal(sizes[name])))
    meta.add((DATASET, VOID.triples, Literal(sum(sizes.values()))))
    meta.add((DATASET, VOID.entities, Literal(entities)))
    names = bind_prefixes(Graph()).namespace_manager
    for cls in sorted(classes):
        prefix, _, local = names.compute_qname(cls)
        partition = mint("dataset", "pilotkg", "class", f"{prefix}-{local}")
        meta.add((DATASET, VOID.classPartition, partition))
        meta.add((partition, VOID["class"], cls))
        meta.add((partition, VOID.entities, Literal(classes[cls])))


def serialize(dataset: Dataset) -> dict[str, bytes]:
    """The dataset as TriG and N-Quads, and its description alone as Turtle."""
    trig = dataset.serialize(format="trig", encoding="utf-8")
    nquads = dataset.serialize(format="nquads", encoding="utf-8")
    meta = bind_prefixes(Graph())
    _copy(dataset.graph(META_GRAPH), meta)
    void = meta.serialize(format="turtle", encoding="utf-8")
    return {"pilotkg.trig": trig, "pilotkg.nq": nquads, "void.ttl": void}


#: The build goes through the embedded store (:mod:`pilotkg.storebuild`) when its sources hold at
#: least this many bytes of RDF (about 50,000 statements of Turtle; the article is 0.1 MiB)
#: and pyoxigraph is installed, unless told otherwise; ``PILOTKG_STORE_BUILD_BYTES`` sets another
#: threshold. Below it the memory build, whose validation is pySHACL itself, costs little.
STORE_BUILD_BYTES = 2 * 1024 * 1024


def build_engine(data: Path | None, engine: str = "auto") -> str:
    """``memory`` or ``store``: what ``engine`` (memory, store or auto) means for ``data``."""
    if engine not in ("memory", "store", "auto"):
        raise InputError(f"unknown build engine {engine!r}", hint="use memory, store or auto")
    if engine != "auto":
        return engine
    import importlib.util

    from .storebuild import sources_size

    threshold = os.environ.get("PILOTKG_STORE_BUILD_BYTES", "")
    limit = int(threshold) if threshold.isdigit() else STORE_BUILD_BYTES
    large = sources_size(data or data_dir()) >= limit
    return "store" if large and importlib.util.find_spec("pyoxigraph") is not None else "memory"


def build(output: Path, data: Path | None = None, *, timings: dict[str, float] | None = None,
          engine: str = "auto", peaks: dict[str, float] | None = None) -> BuildResult:
    """Assemble, check, and write ``pilotkg.trig``, ``pilotkg.nq`` and ``void.ttl`` to ``output``:
    in memory, or through the embedded store (``engine``: memory, store, or auto, which takes the
    store above :data:`STORE_BUILD_BYTES` of sources)."""
    if build_engine(data, engine) == "store":
        from .storebuild import build_in_store

        result = build_in_store(output, data, timings=timings, peaks=peaks)
        result.engine = "store"
        return result
    clock = _Clock(timings)
    result = assemble(data, timings=timings)
    clock.last = clock._now()
    assert result.dataset is not None
    files = serialize(result.dataset)
    result.written = write_atomically((output / name, content) for name, content in files.items())
    clock.lap("write")
    return result
