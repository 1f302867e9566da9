"""The stores behind ``--store``: the embedded Oxigraph store (``oxigraph:PATH``) and a real
Oxigraph server reached as ``sparql+http://`` (the ``oxigraph`` package, started and stopped by
the test on 127.0.0.1). The in-memory store is disabled while the remote one is used, so that
nothing can quietly fall back to it: pushed data gives every library query the answer it gives
in memory, validation gives the same report, and a push that fails halfway leaves the earlier
graphs as they were."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset

from pilotkg.cli import main
from pilotkg.errors import PilotkgError, StoreError
from pilotkg.store import NO_MEMORY_ENV, EndpointStore, OxigraphStore, StoreOptions, open_store

from .test_endpoint import OXIGRAPH, answers, free_port
from .test_library import LIBRARY


@pytest.fixture(scope="module")
def built_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built_out")
    assert main(["build", "--output", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def embedded(built_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("oxigraph") / "db"
    assert main(["push", str(built_out / "pilotkg.nq"), "--store", f"oxigraph:{folder}"]) == 0
    return folder


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_the_embedded_store_answers_as_memory_does(name: str, embedded: Path, dataset: Dataset) -> None:
    store = OxigraphStore(embedded, read_only=True)
    assert answers(store, name) == answers(dataset, name)


USER_GRAPH = "urn:example:notes"  # a graph of the user's own, not pilotkg's
NOTE = ("<urn:example:a> <urn:example:says> \"kept\"", "<urn:example:b> <urn:example:says> \"1.50\"^^<http://www.w3.org/2001/XMLSchema#decimal>")
OLD_GRAPH = "https://w3id.org/pilotkg/id/graph/retired"  # pilotkg's, pushed earlier, absent from the new dataset


def _counts(folder: Path) -> dict[str, int]:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(folder))
    counts = {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in store.named_graphs()}
    counts[""] = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return counts


def _seed(folder: Path) -> None:
    """A store holding a graph of the user's, a statement in the default graph, and a pilotkg
    graph that the next push does not bring."""
    store = OxigraphStore(folder)
    store.load_nquads(f"{NOTE[0]} <{USER_GRAPH}> .\n{NOTE[1]} <{USER_GRAPH}> .\n{NOTE[0]} .\n"
                      f"<urn:example:c> <urn:example:d> <urn:example:e> <{OLD_GRAPH}> .\n".encode())
    assert [q.object.value for q in store.as_written()] == ["1.50"]  # Oxigraph holds it as 1.5
    store.close()


def test_a_push_into_an_embedded_store_keeps_the_users_graphs_and_replaces_pilotkgs(built_out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "db"
    _seed(folder)
    assert main(["push", str(built_out / "pilotkg.nq"), "--store", f"oxigraph:{folder}"]) == 0
    counts = _counts(folder)
    assert counts[USER_GRAPH] == 2 and counts[""] == 1, "the user's graph and default graph are kept"
    assert OLD_GRAPH not in counts, "pilotkg's earlier graphs go"
    assert main(["push", str(built_out / "pilotkg.nq"), "--store", f"oxigraph:{tmp_path / 'fresh'}"]) == 0
    pushed = _counts(tmp_path / "fresh")
    del pushed[""]
    assert pushed and {g: n for g, n in counts.items() if g.startswith("https://w3id.org/pilotkg/")} == pushed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db", "fresh"], "nothing left beside the stores"
    store = OxigraphStore(folder, read_only=True)
    decimal = [q for q in store.as_written() if q.object.value == "1.50"]
    assert len(decimal) == 1, "the record of the literals as written of a kept graph is kept"


def test_a_push_that_fails_leaves_the_embedded_store_as_it_was(built_out: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    import pilotkg.store

    folder = tmp_path / "db"
    _seed(folder)
    assert main(["push", str(built_out / "pilotkg.nq"), "--store", f"oxigraph:{folder}"]) == 0
    before = _counts(folder)
    lines = (built_out / "pilotkg.nq").read_bytes().splitlines(keepends=True)
    broken = tmp_path / "broken.nq"
    broken.write_bytes(b"".join(lines[:900]) + b"<urn:x> <urn:y> \"unclosed .\n" + b"".join(lines[900:]))
    monkeypatch.setattr(pilotkg.store, "PIECE_BYTES", 4096)  # the bad line comes in a later piece
    capsys.readouterr()
    assert main(["push", str(broken), "--store", f"oxigraph:{folder}"]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:901:" in err and "not valid nquads" in err, err
    assert _counts(folder) == before
    monkeypatch.undo()

    def refuse(staged: Path, target: Path) -> None:
        raise StoreError(f"cannot move the store into place at {target}: no space left on device")

    monkeypatch.setattr(pilotkg.store, "replace_dir", refuse)
    assert main(["push", str(built_out / "pilotkg.nq"), "--store", f"oxigraph:{folder}"]) == 2
    assert "no space left" in capsys.readouterr().err
    assert _counts(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.nq", "db"], "no staging folder left"


def test_replace_dir_puts_the_previous_store_back_when_the_new_cannot_move_in(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from pilotkg.store import replace_dir

    target, staged = tmp_path / "db", tmp_path / "staged"
    target.mkdir()
    (target / "CURRENT").write_text("old")
    staged.mkdir()
    real = Path.rename

    def fail_for_staged(self: Path, to: Path) -> Path:
        if self == staged:
            raise OSError(28, "No space left on device")
        return real(self, to)

    monkeypatch.setattr(Path, "rename", fail_for_staged)
    with pytest.raises(StoreError, match="No space left"):
        replace_dir(staged, target)
    assert (target / "CURRENT").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db", "staged"]


def test_build_into_the_embedded_store_and_query_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "db"
    assert main(["build", "--output", str(tmp_path / "out"), "--store", f"oxigraph:{folder}"]) == 0
    assert "pushed" in capsys.readouterr().err
    assert main(["query", "cq-batch-cities", "--store", f"oxigraph:{folder}", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert all(city in out for city in ("Chengdu", "Deyang", "Mianyang", "Yibin"))


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert OXIGRAPH.is_file(), "the oxigraph server is missing: `pip install -c constraints.txt '.[test]'` installs it"
    port = free_port()
    process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(tmp_path_factory.mktemp("server-db")),
                                "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("the oxigraph server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def remote_args(base: str) -> list[str]:
    return ["--store", f"sparql+{base}/query", "--update-endpoint", f"{base}/update", "--gsp-endpoint", f"{base}/store"]


def remote(base: str) -> EndpointStore:
    store = open_store(options=StoreOptions(f"sparql+{base}/query", f"{base}/update", f"{base}/store"))
    assert isinstance(store, EndpointStore)
    return store


@pytest.fixture(scope="module")
def pushed(oxigraph_server: str, built_out: Path) -> str:
    assert main(["push", str(built_out / "pilotkg.nq"), *remote_args(oxigraph_server)]) == 0
    return oxigraph_server


@pytest.fixture()
def no_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NO_MEMORY_ENV, "1")
    with pytest.raises(StoreError, match="disabled"):
        open_store(None)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_a_pushed_server_answers_as_memory_does(name: str, pushed: str, dataset: Dataset, no_memory: None) -> None:
    assert answers(remote(pushed), name) == answers(dataset, name)


def test_validation_on_the_server_gives_the_same_report(pushed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["validate", "--format", "json", "-o", str(tmp_path / "memory.json")]) == 0
    monkeypatch.setenv(NO_MEMORY_ENV, "1")
    capsys.readouterr()
    assert main(["validate", *remote_args(pushed), "--format", "json", "-o", str(tmp_path / "remote.json")]) == 0
    assert "copied" in capsys.readouterr().err  # it says that it copied the data into memory to validate it
    memory = json.loads((tmp_path / "memory.json").read_text(encoding="utf-8"))
    served = json.loads((tmp_path / "remote.json").read_text(encoding="utf-8"))
    assert memory == served


def test_an_interrupted_push_leaves_the_earlier_graphs(pushed: str, built_out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = remote(pushed)
    before = {g: _count(store, g) for g in store.named_graphs()}
    assert len(before) >= 5
    calls = fail_on_third_put(monkeypatch)
    with pytest.raises(PilotkgError):
        store.replace_graphs((built_out / "pilotkg.nq").read_bytes(), list(before))
    assert calls["n"] == 3
    assert {g: _count(store, g) for g in store.named_graphs()} == before  # no staging graph left, nothing changed
    monkeypatch.undo()
    assert main(["push", str(built_out / "pilotkg.nq"), *remote_args(pushed)]) == 0  # a second full push: same graphs
    assert {g: _count(store, g) for g in store.named_graphs()} == before


def fail_on_third_put(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Make the third Graph Store write of a push fail, as a dropped connection would; the
    returned counter says how many were tried."""
    calls = {"n": 0}
    original = EndpointStore.put_graph

    def fail_halfway(self: EndpointStore, graph: str, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise StoreError("the connection dropped (simulated)")
        original(self, graph, data)

    monkeypatch.setattr(EndpointStore, "put_graph", fail_halfway)
    return calls


def _count(store: EndpointStore, graph: str) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(result))[0])  # type: ignore[index]
