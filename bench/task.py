"""One benchmark task, run in a process of its own so that its peak memory is its own:
``python bench/task.py NAME SPEC`` where SPEC is a JSON object (see :func:`main`). The task prints
JSON objects, one a line: progress as it goes (so that a task stopped at its cap still reports
what it finished) and, last, its outcome with ``seconds`` and ``peak_mb``. ``bench/run.py``
merges the lines.

The tasks call the code paths the CLI calls (``analyze`` and ``export`` call ``pilotkg.cli.main``
itself, on ``--store oxigraph:PATH``); the baselines call the plain libraries. Every file a task
writes goes under ``SPEC["tmp"]``, a folder that ``bench/run.py`` removes after the task, whether
it finished, failed or was stopped at its cap.
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import signal
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class Capped(BaseException):
    """A step ran past its cap (a BaseException, so that no ``except Exception`` of the code
    measured swallows it)."""


def _alarm(signum: int, frame: Any) -> None:
    raise Capped()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def emit(line: dict[str, Any]) -> None:
    """One line of progress (merged by bench/run.py, kept when the task is capped)."""
    print(json.dumps(line, default=str), flush=True)


class Spec:
    """What a task works on: ``synth`` (the ``pilotkg synth`` folder, the build's input), ``nq``
    (the N-Quads the fast store was loaded from, and that the baselines read), ``store`` (an
    Oxigraph folder to open read-only), ``tmp`` (the task's scratch folder), ``cap`` (seconds),
    ``arg`` (the task's own argument)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.synth = Path(document["synth"])
        self.nq = Path(document.get("nq") or self.synth / "synth.nq")
        self.store_path = Path(document["store"]) if document.get("store") else None
        self.tmp = Path(document["tmp"])
        self.cap = float(document.get("cap") or 60)
        self.arg: Any = document.get("arg")
        self.started = float(document.get("started") or time.time())

    def store(self) -> Any:
        """The fast store, open read-only, as ``--store oxigraph:PATH`` opens it."""
        from pilotkg.store import OxigraphStore

        if self.store_path is None:
            raise SystemExit("bench: this task needs a store (SPEC['store'])")
        return OxigraphStore(self.store_path, read_only=True)

    def dataset(self) -> Any:
        """The N-Quads in memory, as ``--dataset FILE`` loads them."""
        from pilotkg.rdfio import load_dataset

        return load_dataset(self.nq)


# --- the load phase and the build -------------------------------------------------------------

def task_load_bulk(spec: Spec) -> dict[str, Any]:
    """Baseline of the load phase: pyoxigraph's bulk load of the synthetic N-Quads."""
    import pyoxigraph as ox

    store = ox.Store(str(spec.tmp / "bulk"))
    seconds, _ = timed(lambda: store.bulk_load(path=str(spec.synth / "synth.nq"), format=ox.RdfFormat.N_QUADS))
    return {"seconds": seconds, "statements": len(store)}


def task_load_store(spec: Spec) -> dict[str, Any]:
    """pilotkg's load into the fast store as ``pilotkg push`` does it (OxigraphStore.replace_with_file:
    the file a piece at a time into a new store, moved into place), without the pages."""
    from pilotkg.store import OxigraphStore

    def load() -> Any:
        store = OxigraphStore(spec.tmp / "store")
        store.replace_with_file(spec.synth / "synth.nq")
        return store

    seconds, store = timed(load)
    return {"seconds": seconds, "statements": len(store)}


def task_parse_rdflib(spec: Spec) -> dict[str, Any]:
    """Baseline of the whole build: rdflib parsing the synthetic N-Quads."""
    from rdflib import Dataset

    seconds, dataset = timed(lambda: Dataset().parse(spec.synth / "synth.nq", format="nquads"))
    return {"seconds": seconds, "statements": len(dataset)}


def task_build(spec: Spec) -> dict[str, Any]:
    """pilotkg build --data SYNTH --output ARG: the whole build, with its phases (the build chooses
    its engine, memory or the embedded store, by the size of the sources, as the CLI does)."""
    from pilotkg.build import build

    timings: dict[str, float] = {}
    peaks: dict[str, float] = {}
    out = Path(spec.arg)
    seconds, result = timed(lambda: build(out, spec.synth, timings=timings, peaks=peaks))
    statements = getattr(result, "statements", None) or (len(result.dataset) if result.dataset is not None else None)
    return {"seconds": seconds, "phases": timings, "phase_peaks": peaks, "statements": statements,
            "engine": getattr(result, "engine", "memory"),
            "files": sorted(p.name for p in out.iterdir())}


def task_stage(spec: Spec) -> dict[str, Any]:
    """Bench setup, not a CLI path: bulk-load SPEC["nq"] into the Oxigraph folder ARG, which the
    later tasks open read-only (bench/run.py removes it after the size), and materialise its
    pages, as ``pilotkg push`` into an embedded store does."""
    from pilotkg.pages import materialise
    from pilotkg.store import OxigraphStore

    def load() -> Any:
        store = OxigraphStore(Path(spec.arg))
        store.replace_with_file(spec.nq)
        return store

    seconds, store = timed(load)
    statements = len(store)
    store.close()
    del store
    pages, _ = timed(lambda: materialise(Path(spec.arg)))
    return {"seconds": seconds, "statements": statements, "pages_seconds": pages}


#: For parameters whose documented example names a real entity, an entity of the synthetic data
#: of the same kind (the first in IRI order), so each query does its real work at every size.
STAND_INS = {
    "place": "SELECT ?x WHERE { ?d a <https://w3id.org/pilotkg/ontology#PilotCityDesignation> ; "
             "<https://w3id.org/pilotkg/ontology#designatedPlace> ?x } ORDER BY ?x LIMIT 1",
    "industry": "SELECT ?x WHERE { ?x a <https://w3id.org/pilotkg/ontology#Industry> } ORDER BY ?x LIMIT 1",
    # the graphs, not their statements: reading every statement took over 300 s at 10M
    "graph": "SELECT ?x WHERE { GRAPH ?x { } FILTER (STRSTARTS(STR(?x), 'https://w3id.org/pilotkg/id/graph/source/')) } "
             "ORDER BY ?x LIMIT 1",
    "proposal": "SELECT ?x WHERE { ?x a <https://w3id.org/pilotkg/ontology#CollaborationProposal> } ORDER BY ?x LIMIT 1",
}


def task_stand_ins(spec: Spec) -> dict[str, Any]:
    """Bench setup: the entities the analytics and exports are run on (the pilot city of the chain
    view; the two ends of the path: the first and last place, in IRI order, of the largest
    connected part of the cooperation network)."""
    import networkx as nx

    from pilotkg import network

    store = spec.store()
    rows = list(store.query(STAND_INS["place"]))
    found: dict[str, Any] = {"designation": str(rows[0][0]) if rows else None, "path": None}
    graph = network.cooperation(store)
    parts = sorted(nx.connected_components(graph.to_undirected(as_view=True)), key=lambda p: (-len(p), sorted(p)[0]))
    if parts and len(parts[0]) > 1:
        ends = sorted(parts[0])
        found["path"] = [ends[0], ends[-1]]
    return {"seconds": 0.0, "stand_ins": found}


# --- the library queries ----------------------------------------------------------------------

def _queries() -> list[Any]:
    from pilotkg import querylib

    return list(querylib.library().values())


def _params(query: Any, store: Any) -> dict[str, str]:
    """The example's parameters, with real entities replaced by synthetic stand-ins."""
    params = query.example_params()
    for param in query.params:
        if param.name not in params:
            continue
        kind = "graph" if param.name == "graph" else "proposal" if "proposal" in params[param.name] else \
            param.type if param.type in ("place", "industry") else "place" if param.type in ("entity", "iri") else None
        if kind is None or (param.type not in ("place", "industry", "entity", "iri")):
            continue
        rows = list(store.query(STAND_INS[kind]))
        if rows:
            params[param.name] = str(rows[0][0])
    return params


#: The row of a paged query asked for every page, beside the row of its first page.
EVERY_PAGE = " --param page=all"


def _asked() -> list[tuple[str, Any, dict[str, str] | None]]:
    """What is asked of the library: each query as its example asks it, and each paged query for
    every page too (``NAME --param page=all``), as ``analyze`` and ``export`` ask it."""
    asked: list[tuple[str, Any, dict[str, str] | None]] = []
    for query in _queries():
        asked.append((query.name, query, None))
        if query.page_size is not None:
            asked.append((query.name + EVERY_PAGE, query, {"page": "all"}))
    return asked


def _each_query(spec: Spec, store: Any, runs: int) -> dict[str, float | None]:
    """Each library query (but those in ARG["skip"]; ARG["first"] first): the median of ``runs``
    runs, fewer when they add up to more than the cap; None when one run passes the cap (Oxigraph
    is only interrupted when it hands back to Python: a query can run past the cap, and a
    query that never does is left to bench/run.py, which stops the task and runs it again
    without it). Lines of progress: ``running`` (the query and when it started) and ``queries``."""
    from pilotkg import querylib

    arg = spec.arg or {}
    skip, first = set(arg.get("skip") or ()), arg.get("first")
    asked = sorted((a for a in _asked() if a[0] not in skip), key=lambda a: (a[0] != first, a[0]))
    found: dict[str, float | None] = {}
    signal.signal(signal.SIGALRM, _alarm)
    for name, query, fixed in asked:
        emit({"running": name, "at": time.time() - spec.started})
        params = fixed if fixed is not None else _params(query, store)
        times: list[float] = []

        def once(q: Any = query, p: dict[str, str] = params) -> list[Any]:
            return list(querylib.run(store, q, p))

        try:
            while len(times) < runs and (not times or sum(times) < spec.cap):
                signal.alarm(max(1, int(spec.cap)))
                try:
                    times.append(timed(once)[0])
                finally:
                    signal.alarm(0)
            found[name] = statistics.median(times)
        except Capped:
            found[name] = None
        except Exception as exc:  # one query failing is that query's row, not the others'
            found[name] = None
            emit({"errors": {name: f"{type(exc).__name__}: {exc}"}})
        emit({"queries": {name: found[name]}, "runs": {name: len(times)}, "running": None})
    return found


def task_queries_fast(spec: Spec) -> dict[str, Any]:
    """Each library query on the fast store (querylib.run, as `pilotkg query --store oxigraph:PATH`), median of 5."""
    found = _each_query(spec, spec.store(), 5)
    return {"seconds": sum(v for v in found.values() if v is not None), "queries": found}


def task_queries_rdflib(spec: Spec) -> dict[str, Any]:
    """Baseline: each library query on rdflib's in-memory dataset (rdflib's SPARQL engine), one run, capped."""
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(spec.nq, format="nquads")
    found = _each_query(spec, dataset, 1)
    return {"seconds": sum(v for v in found.values() if v is not None), "queries": found}


# --- validation -------------------------------------------------------------------------------

def task_validate_baseline(spec: Spec) -> dict[str, Any]:
    """Baseline: plain pySHACL (pyshacl.validate) on an in-memory graph: the statements pilotkg
    validates (pilotkg.validate.data_graph) against the project's shapes, the CLI's options."""
    import pyshacl

    from pilotkg.validate import data_graph, load_shapes

    data, shapes = data_graph(spec.dataset()), load_shapes()
    seconds, (conforms, report, _) = timed(lambda: pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=False, allow_infos=False,
        advanced=False, meta_shacl=False, inplace=False))
    return {"seconds": seconds, "conforms": bool(conforms), "statements": len(data)}


def _validate(store: Any, engine: str) -> dict[str, Any]:
    from pilotkg.validate import validate_with

    seconds, (validation, note) = timed(lambda: validate_with(store, engine))
    return {"seconds": seconds, "results": len(validation.results), "engine": validation.engine, "note": note}


def task_validate_fast(spec: Spec) -> dict[str, Any]:
    """`pilotkg validate --engine fast --store oxigraph:PATH`: the fast engine, cold and full, on the fast store."""
    return _validate(spec.store(), "fast")


def task_validate_fast_memory(spec: Spec) -> dict[str, Any]:
    """`pilotkg validate --engine fast --dataset FILE`: the fast engine on the dataset in memory
    (``data_mb``: the peak once rdflib holds the dataset, before the engine starts)."""
    dataset = spec.dataset()
    data_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return _validate(dataset, "fast") | {"data_mb": data_mb}


def task_validate_pyshacl(spec: Spec) -> dict[str, Any]:
    """`pilotkg validate --engine pyshacl --dataset FILE`: the reference engine on the dataset in memory."""
    return _validate(spec.dataset(), "pyshacl")


# --- analyze and export: pilotkg.cli.main itself -------------------------------------------------

class _Laps:
    """Seconds spent in some functions, summed, while a CLI command runs (wrapping, not changing them)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._undo: list[tuple[Any, str, Any]] = []

    def wrap(self, module: Any, name: str, lap: str) -> None:
        original = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[lap] = self.seconds.get(lap, 0.0) + time.perf_counter() - started

        setattr(module, name, wrapper)
        self._undo.append((module, name, original))

    def undo(self) -> None:
        for module, name, original in reversed(self._undo):
            setattr(module, name, original)


def _cli(argv: list[str], laps: _Laps, *, pictures: bool = False) -> tuple[float, str]:
    """``pilotkg ARGV`` in this process: its seconds and its standard output. Modules are imported
    first, so the seconds are the command's work, as a long-running process would see them."""
    started = time.perf_counter()
    _imports(pictures)
    from pilotkg import cli

    laps.seconds["imports"] = time.perf_counter() - started

    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            seconds, code = timed(lambda: cli.main(argv))
    finally:
        laps.undo()
    if code != 0:
        said = [line for line in err.getvalue().splitlines() if line.strip()]
        raise SystemExit(f"pilotkg {' '.join(argv[:2])} exited {code}: {said[-1] if said else ''}")
    return seconds, out.getvalue()


def _imports(pictures: bool) -> None:
    """What the commands import on first use (scipy for PageRank and the layout, pyoxigraph for
    the store, and matplotlib for the pictures): a second or two that a process pays once."""
    import importlib

    for name in ("numpy", "scipy.sparse", "scipy.sparse.linalg", "networkx", "pyoxigraph", "pilotkg.store", "pilotkg.rdfio",
                 "pilotkg.tables", "pilotkg.analytics", "pilotkg.export", "pilotkg.figures", "pilotkg.pictures"):
        importlib.import_module(name)
    if not pictures:
        return
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.font_manager
        import matplotlib.pyplot  # noqa: F401

        matplotlib.font_manager.fontManager.findfont("DejaVu Sans")
    except ImportError:  # the pictures are an extra: their rows will say what is missing
        pass


def _projections(laps: _Laps) -> None:
    from pilotkg import network

    for name in ("cooperation", "place_industry", "chain", "full"):
        laps.wrap(network, name, "projection")


def task_analyze(spec: Spec) -> dict[str, Any]:
    """`pilotkg analyze WHAT [ENTITY ...] --view VIEW [--designation CITY] --format json --store oxigraph:PATH`."""
    arg: dict[str, Any] = spec.arg
    argv = ["analyze", arg["what"], *arg.get("entities", []), "--format", "json", "--store", f"oxigraph:{spec.store_path}"]
    if arg["what"] != "cooperation":
        argv += ["--view", arg.get("view", "cooperation")]
    if arg.get("designation"):
        argv += ["--designation", arg["designation"]]
    laps = _Laps()
    _projections(laps)
    seconds, output = _cli(argv, laps)
    document = json.loads(output)
    key = {"centrality": "rows", "communities": "communities", "suggest": "suggestions", "cooperation": "places"}
    items = len(document) if isinstance(document, list) else len(document.get(key.get(arg["what"], ""), []))
    return {"seconds": seconds, "projection": laps.seconds.get("projection"), "items": items,
            "imports": laps.seconds.get("imports"), "argv": argv}


#: The file name each export format is written to (csv writes a folder).
EXPORT_NAMES = {"graphml": "view.graphml", "gexf": "view.gexf", "cytoscape": "view.cyjs", "csv": "view-csv",
                "jsonld": "view.jsonld", "turtle": "view.ttl", "trig": "view.trig", "nquads": "view.nq", "html": "view.html",
                "svg": "view.svg", "png": "view.png"}


def task_export(spec: Spec) -> dict[str, Any]:
    """`pilotkg export --view VIEW [--designation CITY] --format FORMAT --output FILE --store oxigraph:PATH`."""
    from pilotkg import export, views

    arg: dict[str, Any] = spec.arg
    output = spec.tmp / EXPORT_NAMES[arg["format"]]
    argv = ["export", "--view", arg["view"], "--format", arg["format"], "--output", str(output),
            "--store", f"oxigraph:{spec.store_path}"]
    if arg.get("designation"):
        argv += ["--designation", arg["designation"]]
    laps = _Laps()
    _projections(laps)
    laps.wrap(export, "render", "render")
    laps.wrap(views, "layout", "layout")
    seconds, _ = _cli(argv, laps, pictures=arg["format"] in ("svg", "png"))
    written = [output] if output.is_file() else sorted(output.glob("*"))
    return {"seconds": seconds, "projection": laps.seconds.get("projection"), "layout": laps.seconds.get("layout"),
            "render": laps.seconds.get("render"), "bytes": sum(p.stat().st_size for p in written),
            "imports": laps.seconds.get("imports"), "argv": argv}


TASKS = {name[len("task_"):].replace("_", "-"): fn for name, fn in globals().items() if name.startswith("task_")}


def main() -> None:
    name, spec = sys.argv[1], Spec(json.loads(sys.argv[2]))
    outcome = TASKS[name](spec)
    outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    outcome["done"] = True
    emit(outcome)


if __name__ == "__main__":
    main()
