"""The build through the embedded store (pilotkg.storebuild) gives the memory build's dataset,
refuses what the memory build refuses in the same words, writes atomically, and leaves a store
that later commands open instead of loading the dataset file again (pilotkg.store.dataset_store)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from pilotkg import querylib
from pilotkg.build import build
from pilotkg.cli import main
from pilotkg.compliance import VALIDATION_GRAPH
from pilotkg.errors import BuildError, InputError
from pilotkg.store import STAMP_FILE, OxigraphStore, dataset_store, open_store

EPOCH = "1700000000"
VALIDATOR = URIRef("https://w3id.org/pilotkg/id/agent/pilotkg-validator")


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def canonical_quads(path: Path) -> set[str]:
    """The dataset of a file with its blank nodes canonically named (RDFC-1.0), as N-Quads lines;
    the validator's label, which names its engine and so differs on purpose, left out."""
    import pyoxigraph as ox

    dataset = ox.Dataset(ox.parse(path=str(path)))
    for quad in list(dataset.quads_for_subject(ox.NamedNode(str(VALIDATOR)))):
        if quad.predicate.value == str(RDFS.label) and quad.graph_name.value == str(VALIDATION_GRAPH):
            dataset.remove(quad)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad) for quad in dataset}


def assert_same_dataset(memory: Path, store: Path) -> None:
    a, b = canonical_quads(memory), canonical_quads(store)
    assert len(a) > 1000, "the memory build wrote next to nothing"
    assert sorted(a - b)[:5] == [] and sorted(b - a)[:5] == []


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped data built in memory and through the store."""
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        memory, store = tmp_path_factory.mktemp("memory"), tmp_path_factory.mktemp("store")
        assert build(memory, engine="memory").engine == "memory"
        result = build(store, engine="store")
        assert result.engine == "store" and result.store == store / "pilotkg.oxigraph"
        return memory, store
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def test_the_store_build_writes_the_memory_builds_dataset(both: tuple[Path, Path]) -> None:
    memory, store = both
    assert_same_dataset(memory / "pilotkg.nq", store / "pilotkg.nq")
    assert_same_dataset(memory / "pilotkg.nq", store / "pilotkg.trig")
    assert isomorphic(Graph().parse(memory / "void.ttl"), Graph().parse(store / "void.ttl"))


def test_the_validation_graph_names_the_engine(both: tuple[Path, Path]) -> None:
    labels = {}
    for name, folder in zip(("memory", "store"), both, strict=True):
        dataset = Dataset()
        dataset.parse(folder / "pilotkg.nq", format="nquads")
        labels[name] = str(dataset.graph(VALIDATION_GRAPH).value(VALIDATOR, RDFS.label))
    assert "pySHACL" in labels["memory"] and "fast" in labels["store"]


def test_the_store_build_keeps_the_sources_literals_as_written(both: tuple[Path, Path]) -> None:
    """Oxigraph stores "1"^^xsd:positiveInteger as an xsd:integer; the files keep the source's form."""
    text = (both[1] / "pilotkg.nq").read_text(encoding="utf-8")
    assert '"1"^^<http://www.w3.org/2001/XMLSchema#positiveInteger>' in text


def test_the_store_the_build_leaves_answers_like_memory(both: tuple[Path, Path]) -> None:
    memory, store = both
    stamp = (store / "pilotkg.oxigraph" / STAMP_FILE).read_text(encoding="utf-8")
    assert "pilotkg.nq" in stamp and "pilotkg.trig" in stamp
    writable = OxigraphStore(store / "pilotkg.oxigraph")  # the build released the store: it can be opened for writing
    writable.close()
    embedded = dataset_store(store / "pilotkg.nq")
    assert embedded.path == store / "pilotkg.oxigraph"  # the build's store, not a new load
    in_memory = open_store(memory / "pilotkg.nq")
    checked = 0
    for name in ("cq-batch-cities", "cq-six-requirements", "project-cooperation", "stats-graphs"):
        query = querylib.get(name)
        rows = [sorted(str(v) for v in row) for row in querylib.run(embedded, query, query.example_params())]
        expected = [sorted(str(v) for v in row) for row in querylib.run(in_memory, query, query.example_params())]
        assert sorted(rows) == sorted(expected), name
        checked += len(rows)
    assert checked > 0


BREAKS = {
    "a quote not verbatim": ("quotes.ttl", "ranking 8th in the country", "ranking 7th in the country"),
    "an undeclared term": ("facts.ttl", "pk:hostPlace pl:511500", "pk:hostedIn pl:511500"),
    "a missing quote": ("facts.ttl", "pk:quote q:p20-park .", "pk:quote q:p20-parc ."),
    "an undescribed instance": ("facts.ttl", "pk:hostPlace pl:511500", "pk:hostPlace pl:519999"),
}


@pytest.mark.parametrize("kind", sorted(BREAKS))
def test_the_store_build_refuses_what_the_memory_build_refuses(kind: str, data_copy: Path, tmp_path: Path) -> None:
    name, old, new = BREAKS[kind]
    path = data_copy / "sources" / "sichuan-first-pilot-lists" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = {}
    for engine in ("memory", "store"):
        with pytest.raises(BuildError) as error:
            build(tmp_path / engine, data_copy, engine=engine)
        found[engine] = sorted(str(p) for p in error.value.problems)
        assert not (tmp_path / engine).exists()
    assert found["memory"], kind
    assert found["store"] == found["memory"]


def test_a_syntax_error_names_file_and_line(data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = data_copy / "sources" / "sichuan-first-pilot-lists" / "facts.ttl"
    lines = facts.read_text(encoding="utf-8").splitlines()
    lines[60] = lines[60] + " this is not turtle"
    facts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["build", "--engine", "store", "--data", str(data_copy), "--output", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "facts.ttl:61" in err
    assert not (tmp_path / "o").exists()


def test_a_failed_store_build_leaves_the_previous_output_and_store(both: tuple[Path, Path], data_copy: Path,
                                                                   tmp_path: Path) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(both[1], out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    facts = data_copy / "sources" / "sichuan-first-pilot-lists" / "facts.ttl"
    facts.write_text(facts.read_text(encoding="utf-8").replace("pk:quote q:p20-park .", "pk:quote q:p20-parc .", 1),
                     encoding="utf-8")
    with pytest.raises(BuildError):
        build(out, data_copy, engine="store")
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # no temporary file or folder left either


def test_auto_takes_the_store_above_the_threshold(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PILOTKG_STORE_BUILD_BYTES", "1")
    assert main(["build", "--output", str(tmp_path / "a")]) == 0
    assert "through the embedded store" in capsys.readouterr().err
    monkeypatch.setenv("PILOTKG_STORE_BUILD_BYTES", str(10**12))
    assert main(["build", "--output", str(tmp_path / "b")]) == 0
    assert "through the embedded store" not in capsys.readouterr().err
    assert not (tmp_path / "b" / "pilotkg.oxigraph").exists()


def test_a_large_dataset_file_opens_in_the_store_beside_it(both: tuple[Path, Path], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    dataset = tmp_path / "copy.trig"
    shutil.copy(both[0] / "pilotkg.trig", dataset)
    monkeypatch.setenv("PILOTKG_STORE_ABOVE_BYTES", "1")
    first = open_store(dataset)
    assert isinstance(first, OxigraphStore) and first.path == tmp_path / "copy.oxigraph"
    count = len(first)
    assert count > 5000
    stamp = (first.path / STAMP_FILE).stat().st_mtime_ns
    first.close()
    again = open_store(dataset)
    assert (again.path / STAMP_FILE).stat().st_mtime_ns == stamp  # opened, not loaded again
    again.close()
    dataset.write_bytes(dataset.read_bytes() + b"\n<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n")
    changed = open_store(dataset)
    assert len(changed) == count + 1
    assert [str(o) for o in changed.objects(URIRef("https://example.org/a"))] == ["https://example.org/c"]
    monkeypatch.setenv("PILOTKG_STORE_ABOVE_BYTES", str(10**12))
    assert isinstance(open_store(dataset), Dataset)


def test_a_dataset_file_that_is_not_rdf_is_refused_with_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PILOTKG_STORE_ABOVE_BYTES", "1")
    bad = tmp_path / "bad.nq"
    bad.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\nnot rdf\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        open_store(bad)
    assert error.value.problem.file == bad and error.value.problem.line == 2
    assert not (tmp_path / "bad.oxigraph").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.nq"]


@pytest.mark.parametrize("piece", [1 << 26, 1], ids=["one-piece", "a-line-a-piece"])
def test_a_bad_line_among_blank_nodes_and_typed_literals_is_refused_with_its_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int) -> None:
    """The loader reads the statements with a blank node, the typed ones and the rest apart, and
    a file in pieces: the line named is still the file's."""
    import pilotkg.store as store_module

    monkeypatch.setenv("PILOTKG_STORE_ABOVE_BYTES", "1")
    monkeypatch.setattr(store_module, "PIECE_BYTES", piece)
    bad = tmp_path / "bad.nq"
    bad.write_text('_:b <https://example.org/p> "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> <https://example.org/g> .\n'
                   '<https://example.org/a> <https://example.org/p> "7"^^<http://www.w3.org/2001/XMLSchema#positiveInteger> .\n'
                   "<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n"
                   "<https://example.org/a> <https://example.org/b> not rdf .\n"
                   "<https://example.org/a> <https://example.org/b> <https://example.org/d> .\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        open_store(bad)
    assert error.value.problem.file == bad and error.value.problem.line == 4
    assert [p.name for p in tmp_path.iterdir()] == ["bad.nq"]
    good = tmp_path / "good.nq"
    good.write_text("".join(line for line in bad.read_text(encoding="utf-8").splitlines(keepends=True) if "not rdf" not in line),
                    encoding="utf-8")
    loaded = open_store(good)
    assert isinstance(loaded, OxigraphStore) and len(loaded) == 4
    assert {str(q.object) for q in loaded.as_written()} == {
        '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"7"^^<http://www.w3.org/2001/XMLSchema#positiveInteger>'}
    blank = [q for q in loaded.as_written() if q.object.value == "1.50"]
    assert blank and list(loaded.raw.quads_for_pattern(blank[0].subject, None, None)), "the record names the store's blank node"
