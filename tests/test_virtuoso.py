"""Virtuoso as a remote store: Debian's ``virtuoso-opensource`` (installed by ``make system-deps``),
started by the test on 127.0.0.1 with its database in a temporary folder, and stopped afterwards.

The built dataset is pushed the way a user pushes it: Graph Store Protocol and SPARQL Update on
Virtuoso's ``-auth`` endpoints, with HTTP Digest, as a user that has only the ``SPARQL_UPDATE``
role, the password read from an environment variable. Then the in-memory store is disabled and
every library query must give on Virtuoso the answer it gives in memory. A push without
credentials, with a wrong password, or one that fails halfway leaves the graphs as they were.

A fresh Virtuoso already holds a few graphs of its own (``virtrdf#`` and others): the query
that counts over every graph of the store (``stats-classes``) must give
pilotkg's answer plus what it answered on Virtuoso before the push, and nothing else.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset, URIRef

from pilotkg.build import BuildResult, serialize
from pilotkg.cli import main
from pilotkg.errors import PilotkgError, StoreError
from pilotkg.store import (
    GRAPH_PREFIX,
    NO_MEMORY_ENV,
    STAGING_PREFIX,
    Credentials,
    EndpointStore,
    open_store,
    split_nquads,
)

from .test_endpoint import answers, free_port
from .test_library import LIBRARY
from .test_stores import fail_on_third_put

#: Where Debian (and upstream builds) put Virtuoso's server and its SQL shell.
BIN_DIRS = (Path("/usr/bin"), Path("/usr/lib/virtuoso-opensource-7/bin"), Path("/usr/local/virtuoso-opensource/bin"))
USER = "pilotkg"
SECRET_ENV = "PILOTKG_TEST_VIRTUOSO_SECRET"
#: Library queries that count over every graph of the store, Virtuoso's own ones included.
WHOLE_STORE = ("stats-classes",)

# The smallest configuration that serves SPARQL: both ports on the loopback interface, every file
# in the temporary folder, about 80 MB of buffers and few threads for a small shared machine, and
# no cap on result rows below what the library needs (Debian's default cuts answers at 10,000).
INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 256M
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
MaxClientConnections = 8

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""

# A user who may update through SPARQL and the Graph Store Protocol, and nothing more.
SETUP_SQL = """\
DB.DBA.USER_CREATE('{user}', '{secret}');
GRANT SPARQL_UPDATE TO "{user}";
"""


def find_virtuoso() -> tuple[Path, Path]:
    """``virtuoso-t`` and its SQL shell: Debian's ``isql-vt``, or the ``isql`` beside an upstream
    build's server (never unixODBC's ``isql`` found on the PATH)."""
    on_path = shutil.which("virtuoso-t")
    for folder in ([Path(on_path).parent] if on_path else []) + list(BIN_DIRS):
        server = folder / "virtuoso-t"
        if not server.is_file():
            continue
        shells = [folder / "isql-vt", folder / "isql"] + [Path(p) for p in [shutil.which("isql-vt")] if p]
        for shell in shells:
            if shell.is_file():
                return server, shell
    raise AssertionError("Virtuoso (virtuoso-t and isql-vt) is missing: run `make system-deps` "
                         "(it installs Debian's virtuoso-opensource)")


@dataclass
class Virtuoso:
    base: str
    secret: str
    #: the answers of the whole-store queries on the fresh Virtuoso, before pilotkg pushed anything
    before_push: dict[str, set] = field(default_factory=dict)

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    def args(self) -> list[str]:
        """The options of a push, as a user gives them."""
        return ["--store", f"sparql+{self.base}/sparql", "--update-endpoint", f"{self.base}/sparql-auth",
                "--gsp-endpoint", f"{self.base}/sparql-graph-crud-auth",
                "--auth", "digest", "--user", USER, "--secret-env", SECRET_ENV]

    def store(self, credentials: Credentials | None = None, *, gsp: bool = True) -> EndpointStore:
        return EndpointStore(self.sparql, update_endpoint=f"{self.base}/sparql-auth",
                             gsp_endpoint=f"{self.base}/sparql-graph-crud-auth" if gsp else None, credentials=credentials)

    def counts(self) -> dict[str, int]:
        """Triples per named graph, every graph of the store."""
        rows = self.store().query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {str(g): int(n) for g, n in rows}  # type: ignore[misc]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    server, isql = find_virtuoso()
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(dir=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = folder / "console.log"
    with log.open("wb") as console:
        process = subprocess.Popen([str(server), "+foreground", "+configfile", str(ini)], cwd=folder,
                                   stdout=console, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 90  # a new database takes about 5 s here; more on a busy machine
        while True:
            if process.poll() is not None:
                raise AssertionError(f"virtuoso-t stopped at start-up:\n{log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"virtuoso-t did not answer on {base}:\n{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        secret = secrets.token_urlsafe(16)
        # the SQL goes in on stdin: the new password never appears in the process list
        done = subprocess.run([str(isql), f"127.0.0.1:{sql_port}", "dba", "dba"], input=SETUP_SQL.format(user=USER, secret=secret),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "Error" not in done.stdout + done.stderr, done.stdout + done.stderr
        yield Virtuoso(base, secret)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for name in ("virtuoso.db", "virtuoso-temp.db", "virtuoso.trx"):  # 55 MB a run; the log stays
            (folder / name).unlink(missing_ok=True)


@pytest.fixture(scope="module")
def nquads(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built ``pilotkg.nq``, as ``pilotkg build`` writes it."""
    path = tmp_path_factory.mktemp("built") / "pilotkg.nq"
    path.write_bytes(serialize(built.dataset)["pilotkg.nq"])
    return path


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, nquads: Path) -> Virtuoso:
    virtuoso.before_push = {name: answers(virtuoso.store(), name) for name in WHOLE_STORE}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SECRET_ENV, virtuoso.secret)
        patch.setenv(NO_MEMORY_ENV, "1")
        assert main(["push", str(nquads), *virtuoso.args()]) == 0
    return virtuoso


@pytest.fixture()
def no_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NO_MEMORY_ENV, "1")
    with pytest.raises(StoreError, match="disabled"):
        open_store(None)


def test_the_push_loads_every_graph(pushed: Virtuoso, nquads: Path) -> None:
    expected = {g: data.count(b"\n") for g, data in split_nquads(nquads.read_bytes()).items() if g}
    assert len(expected) >= 5
    counts = pushed.counts()
    assert {g: n for g, n in counts.items() if g.startswith(GRAPH_PREFIX)} == expected
    assert not [g for g in counts if g.startswith(STAGING_PREFIX)]
    assert set(pushed.store().named_graphs()) == set(counts)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_virtuoso_answers_as_memory_does(name: str, pushed: Virtuoso, dataset: Dataset, no_memory: None) -> None:
    expected = answers(dataset, name) | pushed.before_push.get(name, set())
    assert answers(pushed.store(), name) == expected


def test_queries_of_every_form(pushed: Virtuoso, no_memory: None) -> None:
    """Virtuoso answers in the format asked for whatever the query's form: the store asks for the
    right one, so an ASK is a boolean and a CONSTRUCT a graph, not a table."""
    store = pushed.store()
    chengdu = URIRef("https://w3id.org/pilotkg/id/place/510100")
    assert store.query(f"ASK {{ <{chengdu}> ?p ?o }}").askAnswer is True
    assert store.query("ASK { <urn:pilotkg:nothing> ?p ?o }").askAnswer is False
    graph = store.query(f"CONSTRUCT {{ <{chengdu}> ?p ?o }} WHERE {{ <{chengdu}> ?p ?o }}").graph
    assert graph is not None and len(graph) >= 7 and set(graph.subjects()) == {chengdu}


def test_an_answer_cut_by_virtuoso_is_an_error(pushed: Virtuoso) -> None:
    # Virtuoso cuts every answer at its ResultSetMaxRows (here lowered to 5 for one request) and says so only in a header
    store = EndpointStore(f"{pushed.sparql}?maxrows=5")
    with pytest.raises(StoreError, match="cut the answer at 5 rows"):
        store.query("SELECT ?s WHERE { ?s ?p ?o }")


def _half(nquads: Path, tmp: Path) -> tuple[Path, list[str]]:
    """A different dataset to push: every other statement of the built one."""
    lines = nquads.read_bytes().splitlines(keepends=True)
    path = tmp / "half.nq"
    path.write_bytes(b"".join(lines[::2]))
    return path, sorted(g for g in split_nquads(path.read_bytes()) if g)


@pytest.mark.parametrize("secret", [None, "not-the-password"], ids=["no credentials", "wrong password"])
def test_a_refused_push_leaves_the_graphs(pushed: Virtuoso, nquads: Path, tmp_path: Path, secret: str | None) -> None:
    before = pushed.counts()
    half, graphs = _half(nquads, tmp_path)
    credentials = None if secret is None else Credentials("digest", USER, secret)
    with pytest.raises(StoreError, match=r"sparql-graph-crud-auth refused the credentials \(401\)"):
        pushed.store(credentials).replace_graphs(half.read_bytes(), graphs)
    assert pushed.counts() == before


def test_the_command_line_says_the_credentials_were_refused(pushed: Virtuoso, nquads: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    before = pushed.counts()
    half, _ = _half(nquads, tmp_path)
    monkeypatch.setenv(NO_MEMORY_ENV, "1")
    monkeypatch.setenv(SECRET_ENV, "not-the-password")
    capsys.readouterr()
    assert main(["push", str(half), *pushed.args()]) == 2
    assert "refused the credentials (401)" in capsys.readouterr().err
    without = pushed.args()[:6]  # the store and its endpoints, no --auth
    assert main(["push", str(half), *without]) == 2
    assert "refused the credentials (401)" in capsys.readouterr().err
    assert pushed.counts() == before


def test_an_interrupted_push_leaves_the_graphs(pushed: Virtuoso, nquads: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    before = pushed.counts()
    half, graphs = _half(nquads, tmp_path)
    calls = fail_on_third_put(monkeypatch)
    with pytest.raises(StoreError, match="simulated"):
        pushed.store(Credentials("digest", USER, pushed.secret)).replace_graphs(half.read_bytes(), graphs)
    assert calls["n"] == 3
    assert pushed.counts() == before  # the two staged graphs were dropped, nothing else changed


def test_without_a_graph_store_endpoint_the_push_fails_cleanly(pushed: Virtuoso, nquads: Path) -> None:
    """Without ``--gsp-endpoint`` the graphs go in as SPARQL ``INSERT DATA``, which Virtuoso refuses
    when they hold blank nodes (SP031); the push fails, and leaves the graphs as they were."""
    before = pushed.counts()
    data = nquads.read_bytes()
    with pytest.raises(PilotkgError, match="SP031"):
        pushed.store(Credentials("digest", USER, pushed.secret), gsp=False).replace_graphs(data, sorted(g for g in split_nquads(data) if g))
    assert pushed.counts() == before
