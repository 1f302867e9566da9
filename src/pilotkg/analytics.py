"""Linkage analytics on the network projections (:mod:`pilotkg.network`): centralities,
communities, components, explained paths, places linked through shared industries, and
collaboration suggestions. Every function is deterministic: nodes are visited in sorted order,
Louvain has a fixed seed, and scores are rounded, so two runs give the same answer whatever the
hash seed or the order the triples were loaded in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx

from . import network, querylib
from .errors import QueryError

SEED = 20221
DIGITS = 6


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), DIGITS) + 0.0


def _weighted(target: nx.Graph, graph: nx.Graph, pairs: list[tuple[str, str]]) -> nx.Graph:
    """``target`` with the nodes of ``graph`` (sorted) and one edge per distinct pair, ``weight`` =
    how many times the pair occurs; loops are dropped."""
    for node in sorted(graph.nodes):
        target.add_node(node, **graph.nodes[node])
    for u, v in sorted(pairs):
        if u == v:
            continue
        if target.has_edge(u, v):
            target.edges[u, v]["weight"] += 1
        else:
            target.add_edge(u, v, weight=1)
    return target


def _simple(graph: nx.Graph) -> nx.Graph:
    """The undirected simple view, ``weight`` = number of parallel edges, nodes in sorted order."""
    return _weighted(nx.Graph(), graph, [(min(a, b), max(a, b)) for a, b, *_ in graph.edges])


def _directed(graph: nx.Graph) -> nx.DiGraph:
    """The directed simple view (an undirected graph's edges count both ways)."""
    pairs = [(a, b) for a, b, *_ in graph.edges] if graph.is_directed() else \
        [p for a, b, *_ in graph.edges for p in ((a, b), (b, a))]
    return _weighted(nx.DiGraph(), graph, pairs)


@dataclass
class Centrality:
    node: str
    label: str
    cls: str
    degree: float | None
    in_degree: int
    out_degree: int
    betweenness: float | None
    pagerank: float | None
    eigenvector: float | None


#: Exact betweenness costs time in nodes times edges (minutes for the full view of a province);
#: above this many nodes it is estimated from a seeded sample of source nodes (Brandes and Pich).
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_PIVOTS = 500


def centrality(graph: nx.Graph, *, lang: str = "en") -> tuple[list[Centrality], list[str]]:
    """Degree and betweenness (undirected), PageRank (directed view), eigenvector centrality
    (undirected view only: it is undefined on a directed acyclic network such as a single proposer's
    star). Returns the rows, sorted by betweenness then degree, and notes on what is undefined."""
    notes: list[str] = []
    simple = _simple(graph)
    directed = _directed(graph)
    if simple.number_of_nodes() == 0:
        return [], ["the network is empty: the sources give nothing to rank"]
    degree = nx.degree_centrality(simple) if simple.number_of_nodes() > 1 else {n: 0.0 for n in simple}
    if simple.number_of_nodes() > EXACT_BETWEENNESS_LIMIT:
        betweenness = nx.betweenness_centrality(simple, normalized=True, k=BETWEENNESS_PIVOTS, seed=7)
        notes.append(f"betweenness is estimated from {BETWEENNESS_PIVOTS} sampled source nodes (fixed seed): the network has "
                     f"{simple.number_of_nodes():,} nodes, more than the {EXACT_BETWEENNESS_LIMIT:,} computed exactly")
    else:
        betweenness = nx.betweenness_centrality(simple, normalized=True)
    pagerank: dict[str, float] = {}
    if directed.number_of_edges():
        pagerank = nx.pagerank(directed, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
    else:
        notes.append("PageRank is undefined without edges")
    eigen: dict[str, float] = {}
    if simple.number_of_edges():
        try:
            eigen = nx.eigenvector_centrality(simple, max_iter=10_000, tol=1e-12, weight="weight")
        except nx.PowerIterationFailedConvergence:
            notes.append("eigenvector centrality did not converge on this network; it is left out")
    else:
        notes.append("eigenvector centrality is undefined without edges")
    if nx.number_connected_components(simple) > 1:
        notes.append("the network has several components: eigenvector centrality is concentrated on the largest")
    rows = [Centrality(node, network.node_label(graph, node, lang), str(graph.nodes[node].get("cls", "")),
                       _round(degree.get(node)), directed.in_degree(node), directed.out_degree(node),
                       _round(betweenness.get(node)), _round(pagerank.get(node)) if pagerank else None,
                       _round(eigen.get(node)) if eigen else None)
            for node in sorted(simple.nodes)]
    rows.sort(key=lambda r: (-(r.betweenness or 0), -(r.degree or 0), r.label, r.node))
    return rows, notes


def communities(graph: nx.Graph, *, lang: str = "en") -> list[list[dict[str, str]]]:
    """Louvain communities (fixed seed) of the undirected view, largest first; isolated nodes are
    their own communities."""
    simple = _simple(graph)
    if simple.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(simple, weight="weight", seed=SEED)
    groups = [sorted(({"node": n, "label": network.node_label(graph, n, lang)} for n in group), key=lambda d: d["label"])
              for group in found]
    return sorted(groups, key=lambda g: (-len(g), g[0]["label"]))


def components(graph: nx.Graph, *, lang: str = "en") -> list[list[str]]:
    simple = _simple(graph)
    parts = [sorted(network.node_label(graph, n, lang) for n in part) for part in nx.connected_components(simple)]
    return sorted(parts, key=lambda p: (-len(p), p[0]))


@dataclass
class Step:
    source: str
    source_label: str
    target: str
    target_label: str
    statements: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Path:
    nodes: list[str]
    labels: list[str]
    steps: list[Step]


def resolve_node(store: querylib.Queryable | None, graph: nx.Graph, text: str) -> str:
    """A node of ``graph`` named by IRI or label (en or zh)."""
    if text in graph:
        return text
    matches = sorted(n for n in graph.nodes if text.lower() in (str(graph.nodes[n].get("label", "")).lower(),
                                                                 str(graph.nodes[n].get("label_zh", "")).lower()))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise QueryError(f"{text!r} is ambiguous in this view: {', '.join(matches)}; give the IRI")
    iri = ""
    if store is not None:
        try:
            iri = str(querylib.to_term(querylib.Param("entity", "entity"), text, store))
        except QueryError:
            iri = ""
    if iri in graph:
        return iri
    raise QueryError(f"{text!r} is not a node of the {graph.graph.get('view', '')} view; "
                     "give a label (en or zh) or an IRI of one of its nodes")


def paths(store: querylib.Queryable | None, graph: nx.Graph, source: str, target: str, *, max_length: int = 4,
          limit: int = 20, lang: str = "en") -> list[Path]:
    """The shortest paths and then every other simple path up to ``max_length`` steps between two
    nodes (undirected), each step explained by the RDF statements behind it, with their quotes."""
    start, end = resolve_node(store, graph, source), resolve_node(store, graph, target)
    simple = _simple(graph)
    if start == end:
        raise QueryError("a path needs two different entities")
    if not nx.has_path(simple, start, end):
        return []
    found = sorted(nx.all_simple_paths(simple, start, end, cutoff=max_length), key=lambda p: (len(p), p))[:limit]
    explained = [_explain(graph, p, lang) for p in found]
    _attach_quotes(store, explained)
    return explained


def _explain(graph: nx.Graph, nodes: list[str], lang: str) -> Path:
    steps = []
    for u, v in zip(nodes, nodes[1:], strict=False):
        step = Step(u, network.node_label(graph, u, lang), v, network.node_label(graph, v, lang))
        for a, b in ((u, v), (v, u)):
            if not graph.has_edge(a, b):
                continue
            data = graph.get_edge_data(a, b)
            edges = data.values() if graph.is_multigraph() else [data]
            for edge in sorted(edges, key=lambda e: str(sorted(e.items()))):
                step.statements += _statements(a, b, edge)
        steps.append(step)
    return Path(nodes, [network.node_label(graph, n, lang) for n in nodes], steps)


def _statements(a: str, b: str, edge: dict[str, Any]) -> list[dict[str, str]]:
    pk = network.PK
    if "component" in edge:  # a cooperation edge stands for three statements of a proposal
        return [{"subject": edge["proposal"], "predicate": pk + "proposer", "object": a},
                {"subject": edge["proposal"], "predicate": pk + "hasComponent", "object": edge["component"]},
                {"subject": edge["component"], "predicate": pk + "involvesPlace", "object": b}]
    if "predicate" in edge:
        predicate = edge["predicate"] if edge["predicate"].startswith("http") else pk + edge["predicate"]
        return [{"subject": a, "predicate": predicate, "object": b, "quote": edge.get("quote", "")}]
    return [{"subject": a, "predicate": edge.get("relation", ""), "object": b, "quote": edge.get("quote", "")}]


def _attach_quotes(store: querylib.Queryable | None, explained: list[Path]) -> None:
    subjects = sorted({s["subject"] for p in explained for step in p.steps for s in step.statements
                       if not s.get("quote") and str(s["subject"]).startswith(("http://", "https://"))})
    quotes: dict[str, list[str]] = {}
    if subjects and store is not None:
        for row in querylib.run(store, querylib.get("quotes-of"), {"resource": subjects}):
            quotes.setdefault(str(row[0]), []).append(str(row[1]))  # type: ignore[index]
    for p in explained:
        for step in p.steps:
            for statement in step.statements:
                if not statement.get("quote"):
                    statement["quote"] = " | ".join(sorted(set(quotes.get(statement["subject"], []))))


@dataclass
class Suggestion:
    place: str
    place_label: str
    other: str
    other_label: str
    adamic_adar: float
    jaccard: float
    shared: list[str]
    reason: str


def suggestions(ties: nx.Graph, cooperating: nx.Graph, *, lang: str = "en") -> list[Suggestion]:
    """Pairs of places tied to the same industries (place-industry view) that have no proposal
    together (cooperation view), ranked by Adamic-Adar over the shared industries (each weighted
    1/log of how many places it ties), then Jaccard; each with its reason."""
    places = sorted(n for n in ties.nodes if ties.nodes[n].get("cls") in network.PLACE_CLASSES)
    industries_of: dict[str, set[str]] = {}
    for place in places:
        linked = set()
        for neighbour in ties.neighbors(place):
            if ties.nodes[neighbour].get("cls") == "Industry":
                linked.add(neighbour)
            elif ties.nodes[neighbour].get("cls") == "Enterprise":  # an enterprise located here ties its industry
                linked |= {i for i in ties.neighbors(neighbour) if ties.nodes[i].get("cls") == "Industry"}
        industries_of[place] = linked
    reach: dict[str, int] = {}
    for linked in industries_of.values():
        for industry in linked:
            reach[industry] = reach.get(industry, 0) + 1
    together = _simple(cooperating)
    for component in _co_involved(cooperating):
        for a, b in combinations(sorted(component), 2):
            together.add_edge(a, b)
    found = []
    for a, b in combinations(places, 2):
        shared = sorted(industries_of[a] & industries_of[b])
        if not shared or together.has_edge(a, b):
            continue
        adamic = sum(1 / math.log(reach[i]) for i in shared)
        jaccard = len(shared) / len(industries_of[a] | industries_of[b])
        names = [network.node_label(ties, i, lang) for i in shared]
        found.append(Suggestion(a, network.node_label(ties, a, lang), b, network.node_label(ties, b, lang),
                                _round(adamic) or 0.0, _round(jaccard) or 0.0, names,
                                f"both are tied to {', '.join(names)} and have no proposal together"))
    return sorted(found, key=lambda s: (-s.adamic_adar, -s.jaccard, s.place_label, s.other_label))


def _co_involved(cooperating: nx.Graph) -> list[set[str]]:
    """Places named together in one proposal component (with its proposer)."""
    groups: dict[str, set[str]] = {}
    for u, v, data in cooperating.edges(data=True):
        groups.setdefault(data.get("component", ""), set()).update({u, v})
    return list(groups.values())


def shared_industries(ties: nx.Graph, *, lang: str = "en") -> list[dict[str, Any]]:
    """Pairs of places tied to the same industry, with the industries."""
    rows = []
    industries = sorted(n for n in ties.nodes if ties.nodes[n].get("cls") == "Industry")
    for industry in industries:
        places = sorted(n for n in ties.neighbors(industry) if ties.nodes[n].get("cls") in network.PLACE_CLASSES)
        for a, b in combinations(places, 2):
            rows.append({"place": network.node_label(ties, a, lang), "other": network.node_label(ties, b, lang),
                         "industry": network.node_label(ties, industry, lang)})
    return rows


# --- a summary, and the results back into RDF --------------------------------------------------

def cooperation_summary(store: querylib.Queryable, *, lang: str = "en", top: int = 5) -> dict[str, Any]:
    """The cooperation network's places and proposals, the most central places and the top
    suggestions: what ``make run`` prints and writes."""
    coop = network.cooperation(store)
    rows, notes = centrality(coop, lang=lang)
    proposals: dict[str, dict[str, Any]] = {}
    for u, v, data in sorted(coop.edges(data=True), key=lambda e: (e[2]["proposal"], e[2]["component"], e[1])):
        entry = proposals.setdefault(data["proposal"], {"proposer": network.node_label(coop, u, lang), "components": {}})
        component = entry["components"].setdefault(data["component"], {"mode": data["mode"], "places": [], "quote": data["quote"]})
        component["places"].append(network.node_label(coop, v, lang))
    for node in sorted(coop.nodes):
        for item in coop.nodes[node].get("own", []) + coop.nodes[node].get("unplaced", []):
            entry = proposals.setdefault(next(p for p in coop.nodes[node]["proposals"] if item["component"].startswith(p)),
                                         {"proposer": network.node_label(coop, node, lang), "components": {}})
            itself = [network.node_label(coop, node, lang)] if item in coop.nodes[node].get("own", []) else []
            if item["component"] in entry["components"]:  # the proposer names itself beside other places
                entry["components"][item["component"]]["places"][:0] = itself
            else:
                entry["components"][item["component"]] = {"mode": item["mode"], "places": itself, "scope": item["scope"],
                                                          "quote": item["quote"]}
    suggested = suggestions(network.place_industry(store), coop, lang=lang)
    return {
        "places": sorted(network.node_label(coop, n, lang) for n in coop.nodes),
        "proposals": proposals,
        "central": [vars(r) for r in rows[:top]],
        "communities": [[m["label"] for m in group] for group in communities(coop, lang=lang)],
        "suggestions": [vars(s) for s in suggested[:top]],
        "notes": notes + ([] if suggested else [
            "no suggestion: no two places the sources tie to one industry are without a proposal together"]),
    }


def to_rdf(view: str, *, rows: list[Centrality] | None = None, groups: list[list[dict[str, str]]] | None = None,
           suggested: list[Suggestion] | None = None, started: str = "", parameters: dict[str, Any] | None = None):
    """The results as RDF for the ``analytics`` named graph: scores as typed literals, each
    generated by a run with its method and parameters, and the run as a PROV activity."""
    import json

    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import PROV, RDF, RDFS, XSD

    from .iri import mint, slug
    from .namespaces import PK, bind_prefixes

    graph = bind_prefixes(Graph())
    run = mint("analytics", "run", view, slug(started) or "undated")
    graph.add((run, RDF.type, PK.AnalyticsRun))
    graph.add((run, RDFS.label, Literal(f"analytics on the {view} view", lang="en")))
    graph.add((run, PK.networkView, Literal(view)))
    graph.add((run, PK.method, Literal("networkx degree_centrality, betweenness_centrality, pagerank, eigenvector_centrality, "
                                       "louvain_communities; Adamic-Adar and Jaccard over shared industries")))
    graph.add((run, PK.parameters, Literal(json.dumps(parameters or {"seed": SEED, "pagerank_alpha": 0.85}, sort_keys=True))))
    if started:
        graph.add((run, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime)))

    def key(iri: str) -> str:
        return slug(iri.split("/id/", 1)[-1])

    def score(node: str, metric: str, value: float | None) -> None:
        if value is None:
            return
        item = mint("analytics", view, metric, key(node))
        graph.add((item, RDF.type, PK.Score))
        graph.add((item, PK.scoreOf, URIRef(node)))
        graph.add((item, PK.metric, Literal(metric)))
        graph.add((item, PK.scoreValue, Literal(float(value), datatype=XSD.double)))
        graph.add((item, PROV.wasGeneratedBy, run))

    for row in rows or []:
        for metric in ("degree", "betweenness", "pagerank", "eigenvector"):
            score(row.node, metric, getattr(row, metric))
    for number, group in enumerate(groups or []):
        for member in group:
            score(member["node"], "community", number)
    for s in suggested or []:
        item = mint("analytics", "suggestion", key(s.place), key(s.other))
        graph.add((item, RDF.type, PK.Suggestion))
        graph.add((item, PK.suggestedPlace, URIRef(s.place)))
        graph.add((item, PK.suggestedPlace, URIRef(s.other)))
        graph.add((item, PK.metric, Literal("adamic-adar")))
        graph.add((item, PK.scoreValue, Literal(float(s.adamic_adar), datatype=XSD.double)))
        graph.add((item, PK.reasonText, Literal(s.reason, lang="en")))
        graph.add((item, PROV.wasGeneratedBy, run))
    return graph
