"""The HTTP server (``pilotkg serve``): see :mod:`pilotkg.server.app`.

:func:`prepare` turns the store the command line names into what the worker processes open (a
:class:`~pilotkg.server.workers.Recipe`) and into the function that applies writes while the
workers are stopped; :func:`serve` runs the application with uvicorn.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..errors import MissingExtraError
from ..store import EndpointStore, OxigraphStore
from .workers import Recipe


def require_server() -> None:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("pilotkg serve needs Starlette and uvicorn: pip install 'pilotkg[server]'") from exc


def prepare(store: Any, workdir: Path) -> tuple[Recipe, Any]:
    """The workers' recipe for ``store`` and the writer that applies an update or a Graph Store
    write to it (called with the workers stopped)."""
    if isinstance(store, OxigraphStore):
        path = store.path
        store.close()  # the workers open it read-only; writes reopen it for writing

        def write_oxigraph(name: str, args: dict[str, Any]) -> None:
            target = OxigraphStore(path)
            try:
                _apply(target, name, args)
            finally:
                target.close()
        return Recipe("oxigraph", str(path)), write_oxigraph
    if isinstance(store, EndpointStore):
        def write_endpoint(name: str, args: dict[str, Any]) -> None:
            _apply(store, name, args)
        return (Recipe("endpoint", store.endpoint, store.credentials, store.update_endpoint, store.gsp_endpoint),
                write_endpoint)
    snapshot = workdir / "snapshot.nq"
    snapshot.write_bytes(store.serialize(format="nquads", encoding="utf-8"))

    def write_memory(name: str, args: dict[str, Any]) -> None:
        from rdflib import Dataset

        from ..rdfio import write_atomically

        dataset = Dataset(default_union=True)
        dataset.parse(snapshot, format="nquads")
        _apply(dataset, name, args)
        write_atomically([(snapshot, dataset.serialize(format="nquads", encoding="utf-8"))])
    return Recipe("memory", str(snapshot)), write_memory


def _apply(store: Any, name: str, args: dict[str, Any]) -> None:
    from rdflib import Dataset, Graph, URIRef

    if name == "update":
        store.update(args["update"])
        return
    graph = args["graph"]
    if isinstance(store, Dataset):
        if name in ("put", "delete"):
            store.remove_graph(URIRef(graph))
        if name in ("put", "post"):
            target = store.graph(URIRef(graph))
            for triple in Graph().parse(data=args["ntriples"].decode("utf-8"), format="nt"):
                target.add(triple)
        return
    if name in ("put", "delete"):
        store.update(f"DROP SILENT GRAPH <{graph}>")
    if name in ("put", "post"):
        if isinstance(store, EndpointStore):
            store.put_graph(graph, args["ntriples"]) if name == "put" else store.update(
                f"INSERT DATA {{ GRAPH <{graph}> {{\n{args['ntriples'].decode('utf-8')}\n}} }}")
        else:
            import pyoxigraph as ox

            triples = ox.parse(args["ntriples"], format=ox.RdfFormat.N_TRIPLES)
            store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in triples)


def serve(store: Any, *, host: str, port: int, workers: int, time_limit: float, max_rows: int,
          update_token: str | None, allow_service: bool, allow_load: bool, cors_origins: tuple[str, ...],
          log: Any = None) -> None:
    require_server()
    import uvicorn

    from .app import ServerConfig, create_app

    with tempfile.TemporaryDirectory(prefix="pilotkg-serve-") as workdir:
        recipe, writer = prepare(store, Path(workdir))
        config = ServerConfig(recipe, workers=workers, time_limit=time_limit, max_rows=max_rows, update_token=update_token,
                              allow_service=allow_service, allow_load=allow_load, cors_origins=cors_origins,
                              writer=writer if update_token else None)
        uvicorn.run(create_app(config), host=host, port=port, log_level="warning", access_log=False)
