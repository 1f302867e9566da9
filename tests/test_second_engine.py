"""A second, independent SHACL engine (pyrudof, in Rust; it supports SHACL-SPARQL) agrees with
pySHACL on conformance and on the (shape, focus node, severity) of every result, over the shape
fixtures and over the graph built from the article."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from pilotkg.validate import data_graph, validate_graph

from .test_shapes import CASES, SHAPES, base_graph, top_level_shapes, violating_graph

try:
    import pyrudof
except ImportError:  # pragma: no cover - the test extra installs it
    pyrudof = None

def rudof_results(data: Graph, shapes: Graph) -> tuple[bool, set[tuple[str, str, str]]]:
    assert pyrudof is not None, "pyrudof is missing: `pip install -c constraints.txt '.[test]'` installs it"
    with tempfile.TemporaryDirectory() as folder:
        data_path, shapes_path = Path(folder, "data.nt"), Path(folder, "shapes.ttl")
        data.serialize(data_path, format="nt", encoding="utf-8")
        shapes.serialize(shapes_path, format="turtle", encoding="utf-8")
        engine = pyrudof.Rudof(pyrudof.RudofConfig())
        engine.read_data(str(data_path), format=pyrudof.RDFFormat.NTriples)
        engine.read_shacl(str(shapes_path))
        report = engine.validate_shacl()
        return report.conforms, {(e.source_shape, e.focus_node, e.severity.lower()) for e in report.violations}


def compare(data: Graph, label: str) -> set[tuple[str, str, str]]:
    ours = validate_graph(data, SHAPES)
    theirs_conforms, theirs = rudof_results(data, SHAPES)
    mine = {(str(r.source_shape), str(r.focus), r.severity) for r in ours.results}
    assert theirs_conforms == ours.conforms, label
    assert mine == theirs, f"{label}: only pySHACL: {mine - theirs}; only pyrudof: {theirs - mine}"
    return mine


def test_agree_on_the_article(dataset: Dataset) -> None:
    compared = compare(data_graph(dataset), "the article")
    assert len(compared) >= 20


def test_agree_on_every_fixture_and_cover_every_shape() -> None:
    compared = list(compare(base_graph(), "base.ttl"))
    assert compared == []
    for shape in sorted(CASES):
        compared += compare(violating_graph(shape), f"case {shape}")
    shapes = {str(s) for s in top_level_shapes(SHAPES)}
    seen = {shape for shape, _, _ in compared}
    assert len(compared) >= len(shapes), f"only {len(compared)} results compared for {len(shapes)} shapes"
    assert shapes <= seen, f"shapes never compared: {sorted(shapes - seen)}"
