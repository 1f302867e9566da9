"""One benchmark task, run in a process of its own so that its peak memory is its own:
``python bench/task.py NAME DIR [ARG]`` prints one JSON object (seconds, peak_mb, and what the
task measured). DIR holds a ``pilotkg synth`` output (``synth.nq``, ``data/``). The tasks call the
code paths the CLI calls; the baselines call the plain libraries.
"""

from __future__ import annotations

import json
import resource
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class Capped(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Capped()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def oxigraph_store(folder: Path) -> Any:
    """The fast store, loaded with the bulk loader: what --store oxigraph:PATH gives."""
    from pilotkg.store import OxigraphStore

    store = OxigraphStore(Path(tempfile.mkdtemp(prefix="bench-ox-")))
    store.load_nquads((folder / "synth.nq").read_bytes())
    return store


def task_load_bulk(folder: Path, _: str) -> dict[str, Any]:
    """Baseline of the load phase: pyoxigraph's bulk load of the same N-Quads."""
    import pyoxigraph as ox

    store = ox.Store(tempfile.mkdtemp(prefix="bench-bulk-"))
    seconds, _ = timed(lambda: store.bulk_load(path=str(folder / "synth.nq"), format=ox.RdfFormat.N_QUADS))
    return {"seconds": seconds}


def task_load_store(folder: Path, _: str) -> dict[str, Any]:
    """pilotkg's load into the fast store (OxigraphStore.load_nquads, as push and build --store use)."""
    seconds, _ = timed(lambda: oxigraph_store(folder))
    return {"seconds": seconds}


def task_parse_rdflib(folder: Path, _: str) -> dict[str, Any]:
    """Baseline of the whole build: rdflib parsing the same N-Quads."""
    from rdflib import Dataset

    seconds, _ = timed(lambda: Dataset().parse(folder / "synth.nq", format="nquads"))
    return {"seconds": seconds}


def task_build(folder: Path, _: str) -> dict[str, Any]:
    """pilotkg build --data DIR: the whole build (assemble and write), with its phases."""
    from pilotkg.build import build

    timings: dict[str, float] = {}
    out = Path(tempfile.mkdtemp(prefix="bench-build-"))
    seconds, _ = timed(lambda: build(out, folder, timings=timings))
    return {"seconds": seconds, "phases": timings}


def _queries() -> list[Any]:
    from pilotkg import querylib

    # the library's own examples: the parameters its header documents
    return [q for q in querylib.library().values()]


#: For parameters whose documented example names a real entity, an entity of the synthetic data
#: of the same kind (the first in IRI order), so each query does its real work at every size.
STAND_INS = {
    "place": "SELECT ?x WHERE { ?d a <https://w3id.org/pilotkg/ontology#PilotCityDesignation> ; "
             "<https://w3id.org/pilotkg/ontology#designatedPlace> ?x } ORDER BY ?x LIMIT 1",
    "industry": "SELECT ?x WHERE { ?x a <https://w3id.org/pilotkg/ontology#Industry> } ORDER BY ?x LIMIT 1",
    "graph": "SELECT ?x WHERE { GRAPH ?x { ?s ?p ?o } FILTER (STRSTARTS(STR(?x), 'https://w3id.org/pilotkg/id/graph/source/')) } "
             "ORDER BY ?x LIMIT 1",
    "proposal": "SELECT ?x WHERE { ?x a <https://w3id.org/pilotkg/ontology#CollaborationProposal> } ORDER BY ?x LIMIT 1",
}


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


def task_queries_fast(folder: Path, _: str) -> dict[str, Any]:
    """Each library query on the fast store, median of 5 runs."""
    from pilotkg import querylib

    store = oxigraph_store(folder)
    medians: dict[str, float] = {}
    for query in _queries():
        params = _params(query, store)
        runs = []
        for _ in range(5):
            seconds, _ = timed(lambda q=query, p=params: list(querylib.run(store, q, p)))
            runs.append(seconds)
        medians[query.name] = statistics.median(runs)
    return {"seconds": sum(medians.values()), "queries": medians}


def task_queries_rdflib(folder: Path, cap: str) -> dict[str, Any]:
    """Baseline: each library query on rdflib's in-memory dataset, one run each, capped."""
    from rdflib import Dataset

    from pilotkg import querylib

    dataset = Dataset(default_union=True)
    dataset.parse(folder / "synth.nq", format="nquads")
    found: dict[str, float | None] = {}
    signal.signal(signal.SIGALRM, _alarm)
    for query in _queries():
        params = _params(query, dataset)
        signal.alarm(max(1, int(float(cap))))
        try:
            seconds, _ = timed(lambda q=query, p=params: list(querylib.run(dataset, q, p)))
            found[query.name] = seconds
        except Capped:
            found[query.name] = None
        except RecursionError:
            found[query.name] = None
        finally:
            signal.alarm(0)
    return {"seconds": sum(v for v in found.values() if v is not None), "queries": found}


def _dataset(folder: Path) -> Any:
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(folder / "synth.nq", format="nquads")
    return dataset


def task_validate_pyshacl(folder: Path, _: str) -> dict[str, Any]:
    """pySHACL on an in-memory graph (the reference engine, and the baseline)."""
    from pilotkg.validate import validate

    dataset = _dataset(folder)
    seconds, validation = timed(lambda: validate(dataset))
    return {"seconds": seconds, "results": len(validation.results)}


def task_validate_fast(folder: Path, _: str) -> dict[str, Any]:
    """The fast engine, cold and full, on the fast store."""
    from pilotkg.fastshacl import validate_fast

    store = oxigraph_store(folder)
    seconds, validation = timed(lambda: validate_fast(store))
    return {"seconds": seconds, "results": len(validation.results)}


def task_analytics(folder: Path, _: str) -> dict[str, Any]:
    """The cooperation projection and its centralities, and communities, on the fast store."""
    from pilotkg import analytics, network

    store = oxigraph_store(folder)
    seconds_projection, graph = timed(lambda: network.cooperation(store))
    seconds_centrality, _ = timed(lambda: analytics.centrality(graph))
    seconds_communities, _ = timed(lambda: analytics.communities(graph))
    return {"seconds": seconds_projection + seconds_centrality, "projection": seconds_projection,
            "centrality": seconds_centrality, "communities": seconds_communities, "nodes": graph.number_of_nodes()}


def task_export_html(folder: Path, _: str) -> dict[str, Any]:
    """The interactive HTML export of the cooperation view, on the fast store."""
    from pilotkg.export import build_view, to_html

    store = oxigraph_store(folder)
    seconds, page = timed(lambda: to_html(build_view(store, "cooperation")))
    return {"seconds": seconds, "bytes": len(page)}


TASKS = {name[len("task_"):].replace("_", "-"): fn for name, fn in globals().items() if name.startswith("task_")}


def main() -> None:
    name, folder = sys.argv[1], Path(sys.argv[2])
    arg = sys.argv[3] if len(sys.argv) > 3 else ""
    outcome = TASKS[name](folder, arg)
    outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(outcome))


if __name__ == "__main__":
    main()
