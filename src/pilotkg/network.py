"""Projections from the RDF dataset to networkx, each built from a library query so that it works
on every store (``queries/project-*.rq``). Nodes and edges are added in sorted order, so that
every analytic on them is deterministic.

* **cooperation** (``project-cooperation.rq``): places as nodes; a directed edge from the proposer
  to each other place a proposal component names, carrying the proposal, the component, its mode,
  industry, theme and the quote (a ``MultiDiGraph``: one edge per component). A component that
  names no place is kept on the proposer as ``unplaced`` (with its scope, such as "across the
  province"), and one that names the proposer itself as ``own``: never as invented edges.
  :func:`undirected` gives the undirected view, with the
  number of components between two places as ``weight``.
* **place-industry** (``project-place-industry.rq``): places, industries and enterprises; edges for
  a pilot industry of a place, the pillar industry of a pilot city, an enterprise's place and its
  industry.
* **chain** (``project-chain.rq``): one pilot city's designation, its elements and the facts tying
  them to places and to each other.
* **full** (``project-entities.rq``): every statement between two resources of the instance
  namespace (literals and evidence links left out), one edge per statement, keyed by predicate.

Every node carries ``iri``, ``label`` (en), ``label_zh`` and ``cls`` (the asserted pilotkg class);
every edge ``predicate`` or ``relation`` and, where there is one, ``quote``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import networkx as nx
from rdflib.query import ResultRow

from . import querylib
from .errors import QueryError

VIEWS = ("cooperation", "place-industry", "chain", "full")
#: The pilotkg classes of places (local names), as the projections record them in ``cls``.
PLACE_CLASSES = frozenset({"Place", "Country", "Province", "Municipality", "PrefectureLevelCity", "AutonomousPrefecture",
                           "PrefectureLevelDivision", "AdministrativeDivision", "Region"})
PK = "https://w3id.org/pilotkg/ontology#"


def _rows(store: querylib.Queryable, name: str, **params: str) -> list[dict[str, str]]:
    """Every row of a projection query (all its pages, for a paged one)."""
    query = querylib.get(name)
    if query.page_size is not None:
        params[querylib.PAGE] = "all"
    result = cast(Iterable[ResultRow], querylib.run(store, query, params))
    rows = [{k: str(v) for k, v in row.asdict().items()} for row in result]
    return sorted(rows, key=lambda r: tuple(sorted(r.items())))


def _short_class(iri: str | None) -> str:
    return iri.rsplit("#", 1)[-1] if iri else ""


def _add_node(graph: nx.Graph, iri: str, label: str | None = None, label_zh: str | None = None,
              cls: str | None = None) -> None:
    data = graph.nodes[iri] if iri in graph else {}
    if iri not in graph:
        graph.add_node(iri, iri=iri, label=label or iri.rsplit("/", 1)[-1], label_zh=label_zh or "", cls=_short_class(cls))
        return
    if label and data.get("label") == iri.rsplit("/", 1)[-1]:
        data["label"] = label
    if label_zh and not data.get("label_zh"):
        data["label_zh"] = label_zh
    if cls and not data.get("cls"):
        data["cls"] = _short_class(cls)


def cooperation(store: querylib.Queryable) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(view="cooperation")
    for r in _rows(store, "project-cooperation"):
        proposer = r["proposer"]
        _add_node(graph, proposer, r.get("proposerLabel"), r.get("proposerLabelZh"), PK + "Place")
        node = graph.nodes[proposer]
        node.setdefault("proposals", [])
        if r["proposal"] not in node["proposals"]:
            node["proposals"].append(r["proposal"])
        place = r.get("place")
        if place is None:
            unplaced = node.setdefault("unplaced", [])
            entry = {"component": r["component"], "mode": r["mode"], "scope": r.get("scope", ""),
                     "theme": r.get("theme", ""), "quote": r["quote"]}
            if entry not in unplaced:
                unplaced.append(entry)
            continue
        _add_node(graph, place, r.get("placeLabel"), r.get("placeLabelZh"), PK + "Place")
        if place == proposer:  # the proposer names itself: no edge, kept on the node
            own = graph.nodes[proposer].setdefault("own", [])
            entry = {"component": r["component"], "mode": r["mode"], "scope": r.get("scope", ""),
                     "theme": r.get("theme", ""), "quote": r["quote"]}
            if entry not in own:
                own.append(entry)
            continue
        graph.add_edge(proposer, place, key=r["component"], relation="proposes cooperation with",
                       proposal=r["proposal"], component=r["component"], mode=r["mode"],
                       industry=r.get("industry", ""), theme=r.get("theme", ""), scope=r.get("scope", ""),
                       quote=r["quote"])
    return graph


def undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected view: one edge per pair, ``weight`` = number of components, the edges' data kept in ``links``."""
    view = nx.Graph(view=graph.graph.get("view", "") + " (undirected)")
    for node in sorted(graph.nodes):
        view.add_node(node, **graph.nodes[node])
    for u, v, key in sorted(graph.edges(keys=True)):
        a, b = sorted((u, v))
        data = graph.edges[u, v, key]
        if view.has_edge(a, b):
            view.edges[a, b]["weight"] += 1
            view.edges[a, b]["links"].append(dict(data, source=u, target=v))
        else:
            view.add_edge(a, b, weight=1, links=[dict(data, source=u, target=v)], quote=data.get("quote", ""))
    return view


def place_industry(store: querylib.Queryable) -> nx.MultiGraph:
    graph = nx.MultiGraph(view="place-industry")
    for r in _rows(store, "project-place-industry"):
        _add_node(graph, r["source"], r.get("sourceLabel"), r.get("sourceLabelZh"), r.get("sourceClass"))
        _add_node(graph, r["target"], r.get("targetLabel"), r.get("targetLabelZh"), r.get("targetClass"))
        graph.add_edge(r["source"], r["target"], key=r["relation"], relation=r["relation"], quote=r["evidence"],
                       via=r.get("via", ""), element=r.get("element", ""))
    return graph


def chain(store: querylib.Queryable, city: str) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(view="chain")
    rows = _rows(store, "project-chain", city=city)
    if not rows:
        raise QueryError(f"{city!r} has no pilot city designation: the chain view needs a pilot competitive manufacturing city")
    for r in rows:
        _add_node(graph, r["source"], r.get("sourceLabel"), None, r.get("sourceClass"))
        _add_node(graph, r["target"], r.get("targetLabel"), None, r.get("targetClass"))
        predicate = r["predicate"].rsplit("#", 1)[-1]
        if not graph.has_edge(r["source"], r["target"], key=predicate):
            graph.add_edge(r["source"], r["target"], key=predicate, predicate=predicate, quote=r["quote"], via=r.get("via", ""))
    return graph


def full(store: querylib.Queryable) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(view="full")
    labels = _labels(store)
    for r in _rows(store, "project-entities"):
        for end in ("source", "target"):
            _add_node(graph, r[end], labels.get(r[end], (None, None))[0], labels.get(r[end], (None, None))[1],
                      r.get(end + "Class"))
        predicate = r["predicate"]
        key = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if not graph.has_edge(r["source"], r["target"], key=key):
            graph.add_edge(r["source"], r["target"], key=key, predicate=predicate, graph=r["graph"])
    return graph


def _labels(store: querylib.Queryable) -> dict[str, tuple[str | None, str | None]]:
    en = {r["resource"]: r["label"] for r in _rows(store, "labels", lang="en")}
    zh = {r["resource"]: r["label"] for r in _rows(store, "labels", lang="zh")}
    return {iri: (en.get(iri), zh[iri] if zh.get(iri) != en.get(iri) else None) for iri in set(en) | set(zh)}


def project(store: querylib.Queryable, view: str, *, city: str | None = None) -> nx.Graph:
    """The named view of ``store``."""
    if view == "cooperation":
        return cooperation(store)
    if view == "place-industry":
        return place_industry(store)
    if view == "chain":
        if not city:
            raise QueryError("the chain view needs --designation (a pilot city, by label or IRI)")
        return chain(store, city)
    if view == "full":
        return full(store)
    raise QueryError(f"unknown view {view!r}; the views are {', '.join(VIEWS)}")


def node_label(graph: nx.Graph, node: str, lang: str = "en") -> str:
    data: dict[str, Any] = graph.nodes[node]
    if lang == "zh" and data.get("label_zh"):
        return str(data["label_zh"])
    return str(data.get("label") or node)
