"""pilotkg synth: synthetic data that uses the real ontology, goes through the real build path
(quotes verbatim at their offsets, evidence, vocabulary, references, SHA-256), makes every shape
of the project fire exactly as its manifest says, and can never pass for real data. Everything
is written under pytest's temporary folders."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

import pilotkg.build
from pilotkg import cli
from pilotkg.assets import data_dir
from pilotkg.build import assemble
from pilotkg.cli_synth import add_commands
from pilotkg.errors import BuildError, InputError
from pilotkg.iri import mint, mint_synthetic
from pilotkg.namespaces import GRAPH, ID, PK, SYNTH
from pilotkg.rdfio import load_dataset
from pilotkg.sources import load_sources
from pilotkg.synth import SynthResult, synthesize
from pilotkg.validate import load_shapes, validate

#: The smallest world with room for every planted problem: a few seconds to validate with pySHACL.
SMALL = {"places": 4, "enterprises_per_place": 2, "years": 2, "batches": 2, "proposals_per_place": 1}
SOURCE_GRAPHS = str(GRAPH) + "source/"
REQUIREMENTS = str(ID) + "requirement/"

Key = tuple[str, str, str, "str | tuple[str, ...] | None"]


def files(folder: Path) -> dict[str, bytes]:
    found = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    assert found, f"no files collected under {folder}"
    return found


def report_keys(report: Graph) -> set[Key]:
    """(shape, focus, component, path) of every result; a sequence path as a tuple of IRIs."""
    keys: set[Key] = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        node = report.value(result, SH.resultPath)
        path: str | tuple[str, ...] | None = None
        if isinstance(node, BNode):
            path = tuple(str(p) for p in Collection(report, node))
        elif isinstance(node, URIRef):
            path = str(node)
        keys.add((str(report.value(result, SH.sourceShape)), str(report.value(result, SH.focusNode)),
                  str(report.value(result, SH.sourceConstraintComponent)), path))
    return keys


def manifest_keys(result: SynthResult) -> set[Key]:
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    keys: set[Key] = {(e["shape"], e["focus"], e["component"],
                       tuple(e["path"]) if isinstance(e.get("path"), list) else e.get("path")) for e in manifest["expected"]}
    assert keys, "the manifest expects nothing"
    return keys


def top_level_shapes() -> set[str]:
    shapes = load_shapes()
    return {str(s) for cls in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, cls) if isinstance(s, URIRef)}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return synthesize(**SMALL, seed=11, output=tmp_path_factory.mktemp("synth") / "small")


@pytest.fixture(scope="module")
def nquads(small: SynthResult) -> Dataset:
    return load_dataset(small.nquads)


@pytest.fixture(scope="module")
def built(small: SynthResult, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The synthetic folder through the real build path, from the command line (with validation)."""
    out = tmp_path_factory.mktemp("built")
    assert cli.main(["build", "--data", str(small.output), "--output", str(out)]) == 0
    return load_dataset(out / "pilotkg.nq")


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_data(small: SynthResult, tmp_path: Path) -> None:
    again = synthesize(**SMALL, seed=11, output=tmp_path / "again")
    assert files(small.output) == files(again.output)
    other = synthesize(**SMALL, seed=12, output=tmp_path / "other")
    assert other.nquads.read_bytes() != small.nquads.read_bytes()
    assert set(files(small.output)) <= set(files(other.output)) | {f for f in files(small.output) if "planted" in f}


def test_the_folder_passes_the_build_checks_and_holds_what_the_nquads_hold(built: Dataset, nquads: Dataset,
                                                                         small: SynthResult) -> None:
    names = sorted(str(g.identifier) for g in nquads.graphs() if str(g.identifier).startswith(SOURCE_GRAPHS) and len(g))
    assert len(names) == small.sources >= 5
    for name in names:
        assert isomorphic(built.graph(URIRef(name)), nquads.graph(URIRef(name))), name
    assert sum(len(nquads.graph(URIRef(n))) for n in names) == small.triples


def test_validation_gives_exactly_the_manifest_and_every_shape_fires(nquads: Dataset, small: SynthResult) -> None:
    expected = manifest_keys(small)
    got = report_keys(validate(nquads).report)
    assert expected - got == set(), "planted problems validation did not find"
    assert got - expected == set(), "results the manifest did not expect"
    fired = {key[0] for key in got}
    shapes = top_level_shapes()
    assert fired and shapes and fired == shapes
    assert small.not_covered == () and small.shapes_covered == small.shapes_total == len(shapes)


def test_the_build_reports_the_same_results(built: Dataset, small: SynthResult) -> None:
    assert report_keys(built.graph(mint("graph", "validation"))) == manifest_keys(small)


def test_the_build_through_the_store_reports_the_same_results(built: Dataset, small: SynthResult, tmp_path: Path) -> None:
    """Among the planted problems are literals Oxigraph stores otherwise than written (an offset
    typed xsd:nonNegativeInteger): the store build must still find what pySHACL finds in the files."""
    assert cli.main(["build", "--engine", "store", "--data", str(small.output), "--output", str(tmp_path)]) == 0
    through_store = load_dataset(tmp_path / "pilotkg.nq")
    assert report_keys(through_store.graph(mint("graph", "validation"))) == manifest_keys(small)
    names = [g.identifier for g in built.graphs() if str(g.identifier).startswith(SOURCE_GRAPHS)]
    assert names
    for name in names + [mint("graph", "closure")]:
        assert isomorphic(through_store.graph(name), built.graph(name)), name


def test_validating_a_store_later_reads_the_literals_as_written(small: SynthResult, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The store the build leaves, opened read-only, and a store loaded from the dataset file both
    record the statements whose literal Oxigraph rewrites: the fast engine on them still gives
    exactly the manifest."""
    import shutil

    from pilotkg.fastshacl import validate_fast
    from pilotkg.store import OxigraphStore, open_store

    assert cli.main(["build", "--engine", "store", "--data", str(small.output), "--output", str(tmp_path / "out")]) == 0
    left = OxigraphStore(tmp_path / "out" / "pilotkg.oxigraph", read_only=True)
    assert left.as_written(), "the synthetic data plants a literal Oxigraph rewrites"
    before = sorted(map(str, left.raw))
    assert report_keys(validate_fast(left).report) == manifest_keys(small)
    # the swap happened in a snapshot, which is gone; the store is as the build left it
    assert sorted(map(str, left.raw)) == before
    assert not list((tmp_path / "out").glob(".pilotkg-validate.*"))
    left.close()
    again = OxigraphStore(tmp_path / "out" / "pilotkg.oxigraph", read_only=True)
    assert sorted(map(str, again.raw)) == before
    again.close()
    shutil.copy(tmp_path / "out" / "pilotkg.nq", tmp_path / "copy.nq")
    monkeypatch.setenv("PILOTKG_STORE_ABOVE_BYTES", "1")
    loaded = open_store(tmp_path / "copy.nq")
    assert isinstance(loaded, OxigraphStore) and loaded.as_written()
    assert report_keys(validate_fast(loaded).report) == manifest_keys(small)


def test_a_pushed_store_validates_as_the_files(small: SynthResult, tmp_path: Path) -> None:
    """``pilotkg push`` records the literals Oxigraph rewrites, as the store build does, and
    keeps the record with the graphs: both engines on the pushed store, open read-only, find what
    pySHACL finds in the files, after a first push and after a second one over it."""
    from pilotkg.store import AS_WRITTEN_FILE, OxigraphStore
    from pilotkg.validate import validate_with

    assert cli.main(["build", "--data", str(small.output), "--output", str(tmp_path / "out")]) == 0
    nq = tmp_path / "out" / "pilotkg.nq"
    for push in (1, 2):
        assert cli.main(["push", str(nq), "--store", f"oxigraph:{tmp_path / 'pushed'}"]) == 0
        record = (tmp_path / "pushed" / AS_WRITTEN_FILE).read_bytes()
        assert record and len(record.splitlines()) == len(set(record.splitlines())), f"push {push}: the record repeats"
        store = OxigraphStore(tmp_path / "pushed", read_only=True)
        for engine in ("fast", "pyshacl") if push == 1 else ("fast",):
            validation, _ = validate_with(store, engine)
            assert report_keys(validation.report) == manifest_keys(small), f"push {push}, {engine}"
        store.close()


def test_synthetic_data_is_flagged_and_in_its_own_namespace(nquads: Dataset, small: SynthResult) -> None:
    documents = set(nquads.subjects(RDF.type, PK.SourceDocument))
    assert documents and all(str(d).startswith(str(SYNTH)) for d in documents)
    assert all(nquads.value(d, PK.isSynthetic).toPython() is True for d in documents)  # type: ignore[union-attr]
    real = set()
    for s, _p, o, g in nquads.quads():
        if str(g).startswith(SOURCE_GRAPHS):
            real |= {t for t in (s, o) if isinstance(t, URIRef) and str(t).startswith(str(ID)) and not str(t).startswith(str(SYNTH))}
    assert real and all(str(t).startswith(REQUIREMENTS) for t in real), "synthetic data points only to the six requirements"
    assert str(mint_synthetic("place", "910100")) == str(SYNTH) + "place/910100"
    with pytest.raises(ValueError):
        mint("synth", "place", "910100")
    manifest = json.loads(small.manifest.read_text(encoding="utf-8"))
    assert manifest["namespace"] == str(SYNTH) and manifest["generator"] == "pilotkg synth"


def test_the_project_data_holds_no_synthetic_source() -> None:
    sources = load_sources(data_dir())
    assert sources and not any(s.synthetic for s in sources)
    texts = [p.read_text(encoding="utf-8") for p in data_dir().rglob("*.ttl")]
    assert texts and not any(str(SYNTH) in t for t in texts)


def test_the_build_refuses_a_synthetic_source_in_the_project_data(small: SynthResult, data_copy: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(small.output / "sources" / "synth-programme", data_copy / "sources" / "synth-programme")
    monkeypatch.setattr(pilotkg.build, "data_dir", lambda: data_copy)
    with pytest.raises(BuildError, match="is synthetic .* in the project's data folder"):
        assemble(data_copy, validate=False)


def test_planted_problems_are_only_for_synthetic_sources(data_copy: Path) -> None:
    (data_copy / "sources" / "sichuan-first-pilot-lists" / "planted.ttl").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="planted.ttl is only for synthetic sources"):
        load_sources(data_copy)


def test_synth_writes_only_to_a_folder_of_its_own(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="project's data folder"):
        synthesize(**SMALL, seed=1, output=data_dir() / "sources" / "synth")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not empty"):
        synthesize(**SMALL, seed=1, output=foreign)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"
    with pytest.raises(InputError, match="at least 4"):
        synthesize(3, 2, seed=1, output=tmp_path / "tiny")
    assert not (tmp_path / "tiny").exists()


def test_the_command_has_help_and_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="pilotkg")
    add_commands(parser.add_subparsers(), lambda *args, **kwargs: None)
    with pytest.raises(SystemExit) as exit_:
        parser.parse_args(["synth", "--help"])
    assert exit_.value.code == 0
    assert "about 1M" in capsys.readouterr().out
    args = parser.parse_args(["synth", "--places", "4", "--enterprises-per-place", "2", "--years", "2", "--seed", "3",
                              "--output", str(tmp_path / "cli")])
    assert args.func(args) == 0
    assert "covering 60 of 60 shapes" in capsys.readouterr().err or (tmp_path / "cli" / "manifest.json").is_file()
    assert {"README.md", "manifest.json", "synth.nq"} <= {p.name for p in (tmp_path / "cli").iterdir()}


@pytest.fixture(scope="module")
def ten_k(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """The documented 10k size (``--places 8 --enterprises-per-place 6``), as ``make bench`` makes it."""
    return synthesize(8, 6, seed=1, output=tmp_path_factory.mktemp("synth") / "10k")


@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_the_10k_size_validates_with_exactly_its_manifest(ten_k: SynthResult, engine: str) -> None:
    """At the 10k size, with pySHACL and with the fast engine forced: the manifest's results, every shape firing."""
    from pilotkg.validate import validate_with

    assert ten_k.triples > 9000
    validation, note = validate_with(load_dataset(ten_k.nquads), engine)
    assert note is None and validation.engine == engine
    got = report_keys(validation.report)
    assert got == manifest_keys(ten_k)
    assert {key[0] for key in got} == top_level_shapes()
