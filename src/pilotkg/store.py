"""Stores behind one small interface: anything with rdflib's ``query(text)``.

* the in-memory rdflib :class:`~rdflib.Dataset` that ``pilotkg build`` assembles (the default,
  its default graph the union of the named graphs);
* :class:`EndpointStore`, any SPARQL 1.1 Protocol endpoint (Oxigraph, Fuseki, Virtuoso, GraphDB,
  QLever, Neptune). The library's queries address named graphs with ``GRAPH`` and read the rest
  from the default graph, so the endpoint's default graph must be the union of its named graphs
  (``oxigraph serve --union-default-graph``, Fuseki's ``unionDefaultGraph``).

:func:`open_store` picks one from a location: nothing (build the shipped data in memory), a
built dataset file (``.trig``, ``.nq``), or an ``http(s)://`` endpoint URL.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.query import Result

from .errors import InputError, QueryError
from .namespaces import bind_prefixes


class EndpointStore:
    """A remote SPARQL 1.1 query endpoint, queried with the same text as the in-memory store."""

    def __init__(self, endpoint: str, *, timeout: float = 60.0) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise InputError(f"{endpoint!r} is not an http(s) SPARQL endpoint URL")
        from rdflib.plugins.stores.sparqlstore import SPARQLStore

        self.endpoint = endpoint
        self._store = SPARQLStore(query_endpoint=endpoint, returnFormat="json", timeout=timeout)
        self._graph = bind_prefixes(Graph(store=self._store))

    @property
    def namespace_manager(self):  # noqa: ANN201 - rdflib's NamespaceManager
        return self._graph.namespace_manager

    def query(self, query_object: str) -> Result:
        try:
            return self._store.query(query_object, initNs={}, initBindings={}, queryGraph="__UNION__", DEBUG=False)
        except Exception as exc:
            raise QueryError(f"the endpoint {self.endpoint} refused or failed the query: {exc}") from exc


def open_store(location: str | Path | None = None, *, data: Path | None = None) -> Dataset | EndpointStore:
    """A store from a location: None builds the data in memory; a .trig/.nq file is loaded; an
    http(s) URL is a SPARQL endpoint."""
    if location is None:
        from .build import assemble

        return assemble(data).dataset
    text = str(location)
    if text.startswith(("http://", "https://")):
        return EndpointStore(text)
    from .rdfio import load_dataset

    return load_dataset(Path(text))
