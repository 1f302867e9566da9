"""Validation with pySHACL against the shapes in ``ontology/shapes/``.

The data graph is a copy of the source graphs, the reference identifiers, the ontology (for the
class hierarchy) and the RDFS closure. The curators' inference graphs are left out: an
inference is never evidence for a requirement. Neither the dataset nor the shapes are changed.
Results come back typed, with the severity taken from ``sh:resultSeverity``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .assets import ontology_dir
from .build import CLOSURE_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from .iri import mint
from .namespaces import PK, bind_prefixes
from .rdfio import parse_file

SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
#: Severity ranks for --fail-on: a result fails the run when its rank reaches the threshold.
RANK = {"info": 1, "warning": 2, "violation": 3}
SOURCE_GRAPHS = str(mint("graph", "source")) + "/"


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, in the terms a report needs."""

    severity: str
    focus: Node
    message: str
    source_shape: Node
    component: URIRef
    path: Node | None = None
    value: Node | None = None


@dataclass
class Validation:
    conforms: bool
    report: Graph
    results: list[ValidationResult] = field(default_factory=list)
    shapes: Graph = field(default_factory=Graph)
    data: Graph = field(default_factory=Graph)
    #: The engine that made the report: ``pyshacl`` (the reference) or ``fast`` (pilotkg.fastshacl).
    engine: str = "pyshacl"

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def fails(self, threshold: str) -> bool:
        """Whether any result reaches ``threshold`` (info, warning or violation)."""
        return any(RANK[r.severity] >= RANK[threshold] for r in self.results)


def load_shapes(folder: Path | None = None) -> Graph:
    folder = folder or ontology_dir() / "shapes"
    shapes = bind_prefixes(Graph())
    for path in sorted(folder.glob("*.ttl")):
        parse_file(path, shapes)
    return shapes


def data_graph(dataset: Dataset) -> Graph:
    """The graph pySHACL validates: source facts, reference, ontology and closure; no inferences."""
    data = bind_prefixes(Graph())
    for graph in dataset.graphs():
        name = str(graph.identifier)
        if name.startswith(SOURCE_GRAPHS) or graph.identifier in (ONTOLOGY_GRAPH, REFERENCE_GRAPH, CLOSURE_GRAPH):
            for triple in graph:
                data.add(triple)
    return data


def validate_graph(data: Graph, shapes: Graph) -> Validation:
    """Run pySHACL on ``data`` with ``shapes``; neither graph is changed.

    pySHACL adds OWL/RDFS axioms to the shapes graph it is given, so it gets copies of both."""
    import pyshacl

    conforms, report, _ = pyshacl.validate(
        _copy(data), shacl_graph=_copy(shapes), inference="none", abort_on_first=False, allow_warnings=False,
        allow_infos=False, advanced=False, meta_shacl=False, inplace=False,
    )
    assert isinstance(report, Graph)
    bind_prefixes(report)
    return Validation(bool(conforms), report, read_results(report), shapes, data)


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def validate(dataset: Dataset, *, shapes: Graph | None = None) -> Validation:
    return validate_graph(data_graph(dataset), shapes if shapes is not None else load_shapes())


def read_results(report: Graph) -> list[ValidationResult]:
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        level = report.value(node, SH.resultSeverity)
        severity = SEVERITIES.get(level, "violation") if isinstance(level, URIRef) else "violation"
        message = report.value(node, SH.resultMessage)
        results.append(ValidationResult(
            severity=severity,
            focus=report.value(node, SH.focusNode),  # type: ignore[arg-type]
            message=str(message) if isinstance(message, Literal) else "",
            source_shape=report.value(node, SH.sourceShape),  # type: ignore[arg-type]
            component=report.value(node, SH.sourceConstraintComponent),  # type: ignore[arg-type]
            path=report.value(node, SH.resultPath),
            value=report.value(node, SH.value),
        ))
    return sorted(results, key=lambda r: (-RANK[r.severity], str(r.focus), str(r.source_shape)))


#: Above this many statements ``--engine auto`` picks the fast engine for data in memory too.
FAST_ABOVE = 200_000


def validate_with(store: object, engine: str = "auto") -> tuple[Validation, str | None]:
    """Validate ``store`` (a Dataset, an OxigraphStore or an endpoint) with ``engine`` (pyshacl,
    fast or auto) and return the validation with a note for the user, if any. ``auto`` takes the
    fast engine for the embedded store and for large data in memory, pySHACL otherwise, and
    falls back to pySHACL where the fast engine refuses a shape."""
    from .store import OxigraphStore, as_dataset

    if engine not in ("pyshacl", "fast", "auto"):
        raise ValueError(f"unknown engine {engine!r}")
    wants_fast = engine == "fast" or (engine == "auto" and (
        isinstance(store, OxigraphStore) or (isinstance(store, Dataset) and len(store) > FAST_ABOVE)))
    if wants_fast and (isinstance(store, (Dataset, OxigraphStore))):
        from .fastshacl import validate_fast
        from .fastshacl_shapes import FastShaclError

        try:
            validation = validate_fast(store)
            validation.engine = "fast"
            return validation, None
        except FastShaclError as exc:
            if engine == "fast":
                raise
            note = f"the fast engine cannot check these shapes ({exc}); validated with pySHACL"
    elif engine == "fast":
        from .errors import StoreError

        raise StoreError("the fast engine validates data in memory or in the embedded store, not a remote endpoint",
                         hint="use --engine pyshacl (the data is copied into memory) or push to --store oxigraph:PATH")
    else:
        note = None
    dataset, copied = as_dataset(store)
    return validate(dataset), "; ".join(n for n in (copied, note) if n) or None


def assess_with(store: object, engine: str = "auto") -> tuple[Any, str | None]:
    """Validate ``store`` as :func:`validate_with` does and assess compliance with the six
    requirements (a :class:`pilotkg.compliance.Compliance`), with the note for the user. The
    assessment reads the store in place when it is in memory or embedded, else a copy in memory."""
    from .compliance import assess
    from .store import OxigraphStore, as_dataset

    validation, note = validate_with(store, engine)
    readable = store if isinstance(store, (Dataset, OxigraphStore)) else as_dataset(store)[0]
    return assess(readable, validation), note  # type: ignore[arg-type]


def shape_requirement(shapes: Graph, shape: Node) -> URIRef | None:
    """The requirement a shape checks (pk:requirement on the shape), if any."""
    value = shapes.value(shape, PK.requirement)
    return value if isinstance(value, URIRef) else None


__all__ = ["Validation", "ValidationResult", "data_graph", "load_shapes", "read_results", "shape_requirement",
           "validate", "validate_graph", "validate_with"]
