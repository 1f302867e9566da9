"""The store is a parameter: every library query runs unchanged on a SPARQL 1.1 endpoint and
gives the answers it gives in memory. The endpoint is a real Oxigraph server (the `oxigraph`
package of the test extra), loaded with the built dataset, started on a free loopback port and
stopped afterwards."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import Dataset

from pilotkg import querylib
from pilotkg.build import build
from pilotkg.store import EndpointStore

from .test_library import LIBRARY, example_params

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory):
    assert OXIGRAPH.is_file(), "the oxigraph server is missing: `pip install -c constraints.txt '.[test]'` installs it"
    out = tmp_path_factory.mktemp("endpoint")
    build(out)
    location = out / "db"
    subprocess.run([str(OXIGRAPH), "load", "--location", str(location), "--file", str(out / "pilotkg.nq")],
                   check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                               "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the oxigraph server did not start")
        yield EndpointStore(url)
    finally:
        server.terminate()
        server.wait(timeout=10)


#: The in-memory answers, computed once per session: the endpoint, the embedded store and
#: Virtuoso are each compared with them (rdflib takes half a minute on project-entities alone).
_MEMORY: dict[tuple[int, str], set[tuple[tuple[str, str], ...]]] = {}


def answers(store, name: str) -> set[tuple[tuple[str, str], ...]]:
    key = (id(store), name)
    if isinstance(store, Dataset) and key in _MEMORY:
        return _MEMORY[key]
    rows = querylib.run(store, LIBRARY[name], example_params(name))
    found = {tuple(sorted((k, _norm(v)) for k, v in row.asdict().items())) for row in rows}
    if isinstance(store, Dataset):
        _MEMORY[key] = found
    return found


def _norm(value) -> str:
    python = value.toPython() if hasattr(value, "toPython") else value
    try:
        return repr(float(python))
    except (TypeError, ValueError):
        return str(python)


# stats-classes and stats-graphs count triples of the store; Oxigraph's default graph is the union
# of named graphs without duplicates, which is what the library needs, so they agree too.
@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_the_endpoint_answers_as_memory_does(name: str, endpoint: EndpointStore, dataset: Dataset) -> None:
    assert answers(endpoint, name) == answers(dataset, name)
