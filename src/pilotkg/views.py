"""Views of the graph for drawing: one of :mod:`pilotkg.network`'s projections turned into a
:class:`View` that every export writer reads (:mod:`pilotkg.export`).

A :class:`View` has nodes with their IRI, en and zh labels, class, a colour, shape and size by
class family, a stable position, their literal properties and the quotes that are their
evidence; edges with their predicate (or relation), label, quote and weight; and the quads of
the view's *subgraph*: every statement about the view's resources (its nodes, and the proposals,
components, designations and elements its edges stand for, and the quotes they cite), in the
named graph it comes from, the RDFS closure left out (``queries/describe.rq``).

:func:`aggregate` turns a view of more than :data:`AGGREGATE_THRESHOLD` nodes into place and
industry groups, for the pages and pictures that must stay readable.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

import networkx as nx
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.query import ResultRow
from rdflib.term import Node as Term

from . import network, querylib
from .errors import QueryError
from .namespaces import bind_prefixes

#: Above this many nodes the HTML page and the pictures aggregate to place and industry groups.
AGGREGATE_THRESHOLD = 2000
PK = "https://w3id.org/pilotkg/ontology#"
QUOTE = URIRef(PK + "quote")
EXACT = URIRef("http://www.w3.org/ns/oa#exact")
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

# ---------------------------------------------------------------------------------------------
# Families of classes: one colour and one shape each (Okabe-Ito colours, told apart by people
# with colour-vision deficiencies; the shape tells them apart in black and white too).


@dataclass(frozen=True)
class Family:
    name: str
    color: str
    shape: str  # a Cytoscape.js shape; GEXF and yEd get the nearest of theirs
    size: float
    classes: frozenset[str] = frozenset()


FAMILIES = (
    Family("place", "#E69F00", "ellipse", 34.0, network.PLACE_CLASSES),
    Family("industry", "#0072B2", "round-rectangle", 28.0,
           frozenset({"Industry", "IndustryClassification", "Sector", "IndustryChain", "ClusterSet"})),
    Family("organisation", "#009E73", "hexagon", 22.0,
           frozenset({"Organization", "Enterprise", "GovernmentBody", "OrganizationalUnit", "ResearchInstitute", "AgentGroup"})),
    Family("park or platform", "#56B4E9", "diamond", 22.0, frozenset({"Park", "InnovationPlatform"})),
    Family("event", "#CC79A7", "triangle", 20.0, frozenset({"Conference", "Meeting"})),
    Family("person or post", "#D55E00", "star", 20.0, frozenset({"Person", "Post", "ChainChiefPost"})),
    Family("designation", "#F0E442", "rectangle", 20.0,
           frozenset({"PilotProgramme", "Batch", "PilotList", "Designation", "PilotCityDesignation",
                      "PilotIndustryDesignation", "Requirement", "TestRequirement", "DesignatedElement", "Criterion"})),
    Family("collaboration", "#8C564B", "vee", 20.0,
           frozenset({"CollaborationProposal", "ProposalComponent", "BiddingMaterials", "CooperationMode"})),
    Family("indicator", "#332288", "tag", 16.0, frozenset({"Observation", "Measure", "Qualifier", "ObservationStatus"})),
    Family("statement", "#999999", "barrel", 16.0,
           frozenset({"Statement", "Norm", "Expectation", "Goal", "DecisionBasis", "Intention", "PolicyDocument"})),
)
OTHER = Family("other", "#BBBBBB", "octagon", 14.0)
GROUP = Family("group", "#444444", "ellipse", 30.0)


def family_of(cls: str) -> Family:
    for family in FAMILIES:
        if cls in family.classes:
            return family
    return GROUP if cls == "Group" else OTHER


# ---------------------------------------------------------------------------------------------
# The view model


@dataclass
class Node:
    id: str
    label: str
    label_zh: str
    cls: str
    family: Family
    size: float
    x: float = 0.0
    y: float = 0.0
    properties: dict[str, list[str]] = field(default_factory=dict)
    quotes: list[str] = field(default_factory=list)
    members: int = 1
    member_classes: dict[str, int] = field(default_factory=dict)

    @property
    def iri(self) -> str:
        return "" if self.cls == "Group" else self.id

    @property
    def color(self) -> str:
        return self.family.color

    @property
    def shape(self) -> str:
        return self.family.shape

    def rgb(self) -> tuple[int, int, int]:
        return int(self.color[1:3], 16), int(self.color[3:5], 16), int(self.color[5:7], 16)


@dataclass
class Edge:
    id: str
    source: str
    target: str
    predicate: str
    label: str
    quote: str = ""
    weight: float = 1.0
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class View:
    name: str
    title: str
    directed: bool
    nodes: list[Node]
    edges: list[Edge]
    quads: list[tuple[Term, Term, Term, Term]] = field(default_factory=list)
    note: str = ""
    total_nodes: int = 0
    aggregated: bool = False
    #: What the drawing does not show, said in the page and the picture's caption.
    remarks: list[str] = field(default_factory=list)

    def caption(self) -> str:
        return " ".join(t for t in [self.note, *self.remarks] if t)

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def classes(self) -> list[tuple[str, Family, int]]:
        """The classes in the view, with their family and node count, for legends and filters."""
        counts = Counter(n.cls for n in self.nodes)
        return sorted(((c, family_of(c), k) for c, k in counts.items()),
                      key=lambda t: (FAMILIES.index(t[1]) if t[1] in FAMILIES else len(FAMILIES), t[0]))


TITLES = {"cooperation": "Cooperation network: who proposes to cooperate with whom",
          "place-industry": "Places and industries", "chain": "Industry chain of a pilot city",
          "full": "Every entity and statement"}
#: Edge data that are shown as the edge's own fields, not as extra attributes.
_EDGE_OWN = {"quote", "relation", "predicate", "weight", "links"}


def build_view(store: querylib.Queryable, view: str, *, city: str | None = None, focus: str | None = None,
               radius: int = 1) -> View:
    """The named view of ``store`` as a :class:`View`, with layout, properties and quotes.

    ``focus`` (an IRI or a label the graph knows) keeps only the nodes within ``radius`` steps of it.
    """
    graph = network.project(store, view, city=city)
    if focus:
        graph = _ego(store, graph, focus, radius)
    directed = graph.is_directed()
    nodes: list[Node] = []
    for node_id in sorted(graph.nodes):
        data = graph.nodes[node_id]
        family = family_of(data.get("cls", ""))
        nodes.append(Node(node_id, str(data.get("label") or node_id), str(data.get("label_zh") or ""),
                          str(data.get("cls") or ""), family, family.size))
    edges: list[Edge] = []
    edge_resources: set[str] = set()
    for number, (u, v, key) in enumerate(sorted(_edge_keys(graph))):
        data = graph.edges[u, v, key] if graph.is_multigraph() else graph.edges[u, v]
        predicate = str(data.get("predicate") or data.get("relation") or key)
        if view == "cooperation":
            predicate = PK + "involvesPlace"
            label = str(data.get("mode", "")) + (f" ({data['industry']})" if data.get("industry") else "")
        else:
            label = str(data.get("relation") or predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
        attributes = {k: str(v) for k, v in sorted(data.items()) if k not in _EDGE_OWN and v not in (None, "")}
        edge_resources |= {attributes[k] for k in ("proposal", "component", "via", "element") if k in attributes}
        edges.append(Edge(f"e{number}", u, v, predicate, label, str(data.get("quote") or ""), 1.0, attributes))
    for node_id in graph.nodes:
        for entry in graph.nodes[node_id].get("unplaced", []) + graph.nodes[node_id].get("own", []):
            edge_resources.add(entry["component"])
        edge_resources |= set(graph.nodes[node_id].get("proposals", []))
    result = View(view, TITLES[view] + (f": {city}" if view == "chain" and city else ""), directed, nodes, edges,
                  total_nodes=len(nodes))
    kept = sorted((str(graph.nodes[n].get("label")), len(graph.nodes[n].get("unplaced", [])) + len(graph.nodes[n].get("own", [])))
                  for n in graph.nodes)
    kept = [(label, k) for label, k in kept if k]
    if kept:
        result.remarks.append("Proposal components that name no other place are not drawn as edges; the page lists them "
                              "with their proposer's quotes: " + ", ".join(f"{label} ({k})" for label, k in kept) + ".")
    if focus:
        result.title += f" (within {radius} step{'s' if radius != 1 else ''} of {focus})"
    _describe(store, result, sorted({n.id for n in nodes} | edge_resources), graph)
    layout(result)
    return result


def _edge_keys(graph: nx.Graph) -> Iterable[tuple[str, str, str]]:
    if graph.is_multigraph():
        return ((u, v, str(k)) for u, v, k in graph.edges(keys=True))
    return ((u, v, "") for u, v in graph.edges())


def _ego(store: querylib.Queryable, graph: nx.Graph, focus: str, radius: int) -> nx.Graph:
    if radius < 0:
        raise QueryError("--radius must be 0 or more")
    from .analytics import resolve_node

    target = resolve_node(store, graph, focus)
    keep = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), target, cutoff=radius)
    return graph.subgraph(sorted(keep)).copy()


def _describe(store: querylib.Queryable, view: View, resources_: list[str], graph: nx.Graph) -> None:
    """Fill ``view.quads`` with the description of the view's resources and of the quotes they
    cite, and each node's properties and quotes."""
    rows = _describe_rows(store, resources_)
    quote_iris = sorted({str(r["object"]) for r in rows if r["predicate"] == QUOTE and isinstance(r["object"], URIRef)})
    rows += _describe_rows(store, [q for q in quote_iris if q not in set(resources_)])
    quads: set[tuple[Term, Term, Term, Term]] = set()
    for r in rows:
        quads.add((r["resource"], r["predicate"], r["object"], r["graph"]))
        if r.get("bnodePredicate") is not None:
            quads.add((r["object"], r["bnodePredicate"], r["bnodeObject"], r["graph"]))
    view.quads = sorted(quads, key=lambda q: tuple(_sort_key(t) for t in q))
    exact = {str(r["resource"]): str(r["bnodeObject"]) for r in rows
             if r.get("bnodePredicate") == EXACT and r["bnodeObject"] is not None}
    names = bind_prefixes(Dataset()).namespace_manager
    labels = {n.id: n.label for n in view.nodes}
    by_node: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_node[str(r["resource"])].append(r)
    for node in view.nodes:
        properties: dict[str, list[str]] = defaultdict(list)
        for r in by_node.get(node.id, []):
            predicate, value = r["predicate"], r["object"]
            if predicate in (LABEL, TYPE):
                continue
            if predicate == QUOTE:
                text = exact.get(str(value))
                if text and text not in node.quotes:
                    node.quotes.append(text)
                continue
            if isinstance(value, BNode):
                continue
            shown = str(value) if isinstance(value, Literal) else labels.get(str(value)) or names.normalizeUri(value)
            name = names.normalizeUri(predicate)
            if shown not in properties[name]:
                properties[name].append(shown)
        node.properties = dict(sorted(properties.items()))
        types = sorted({str(r["object"]).rsplit("#", 1)[-1] for r in by_node.get(node.id, [])
                        if r["predicate"] == TYPE and str(r["object"]).startswith(PK)})
        if node.cls == "Place" and len(types) == 1:  # the cooperation view knows places only as places
            node.cls = types[0]
        data = graph.nodes[node.id]
        for entry in data.get("own", []) + data.get("unplaced", []):
            if entry["quote"] not in node.quotes:
                node.quotes.append(entry["quote"])
    for edge in view.edges:
        for end in (edge.source, edge.target):
            node = view.node(end)
            if edge.quote and edge.quote not in node.quotes:
                node.quotes.append(edge.quote)


def _describe_rows(store: querylib.Queryable, iris: Sequence[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for start in range(0, len(iris), 500):  # VALUES blocks of a size every endpoint accepts
        chunk = list(iris[start:start + 500])
        if chunk:
            result = cast(Iterable[ResultRow], querylib.run(store, querylib.get("describe"), {"resource": chunk}))
            out += [row.asdict() for row in result]
    return out


def _sort_key(term: Term | None) -> tuple[int, str]:
    if term is None:
        return (0, "")
    return ({URIRef: 1, BNode: 2, Literal: 3}.get(type(term), 4), str(term) + (getattr(term, "language", None) or ""))


# ---------------------------------------------------------------------------------------------
# Layout and aggregation


def layout(view: View, *, seed: int = 7) -> None:
    """A stable layout: the same view gets the same positions on every run.

    Each connected component is laid out on its own (force-directed, seeded) and the components
    are packed in rows, largest first, so that a lone node is not flung to a far corner.
    """
    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in view.nodes)
    for edge in view.edges:
        if edge.source != edge.target:
            w = graph.edges[edge.source, edge.target]["weight"] + edge.weight if graph.has_edge(edge.source, edge.target) else edge.weight
            graph.add_edge(edge.source, edge.target, weight=w)
    if not len(graph):
        return
    unit = 70.0  # pixels per node, on the side of a component's square
    parts = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    placed: dict[str, tuple[float, float]] = {}
    row_width = max(unit * 3 * math.sqrt(len(graph)), unit * math.sqrt(len(parts[0])) * 2.2)
    x = y = row_height = 0.0
    for part in parts:
        side = unit * (math.sqrt(len(part)) * 2.2 if len(part) > 1 else 1.0)
        if len(part) == 1:
            local = {part[0]: (0.0, 0.0)}
        elif len(part) > FORCE_LAYOUT_LIMIT:
            local = _sunflower(part)
        else:
            sub = graph.subgraph(part)
            iterations = 100 if len(part) <= 500 else 50
            local = {n: (float(p[0]), float(p[1])) for n, p in nx.spring_layout(sub, seed=seed, iterations=iterations).items()}
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height + unit, 0.0
        for node, (px, py) in local.items():
            placed[node] = (x + side / 2 + px * side / 2, y + side / 2 - py * side / 2)
        x += side + unit
        row_height = max(row_height, side)
    for node in view.nodes:
        node.x, node.y = round(placed[node.id][0], 1), round(placed[node.id][1], 1)


#: Components of more nodes than this are not laid out force-directed (networkx takes minutes from
#: a few thousand nodes) but placed on a sunflower spiral in IRI order: the HTML page and the
#: pictures show such views aggregated anyway, and Gephi or Cytoscape lay out what they import.
FORCE_LAYOUT_LIMIT = 1000


def _sunflower(nodes: list[str]) -> dict[str, tuple[float, float]]:
    """Evenly spread points in the unit disc (Vogel's spiral), one per node, in the given order."""
    golden = math.pi * (3 - math.sqrt(5))
    count = len(nodes)
    return {node: (math.sqrt((i + 0.5) / count) * math.cos(i * golden), math.sqrt((i + 0.5) / count) * math.sin(i * golden))
            for i, node in enumerate(nodes)}


def aggregate(view: View, threshold: int = AGGREGATE_THRESHOLD) -> View:
    """The view as place and industry groups when it has more than ``threshold`` nodes; else itself.

    Each place and each industry anchors a group; every other node joins the group of the first
    place it links to, else of the first industry, else one group of the rest. Edges between
    groups are merged, their weight the number of edges merged.
    """
    if len(view.nodes) <= threshold:
        return view
    families = {n.id: n.family.name for n in view.nodes}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in view.edges:
        neighbours[edge.source].add(edge.target)
        neighbours[edge.target].add(edge.source)
    group: dict[str, str] = {}
    for node in view.nodes:
        if node.family.name in ("place", "industry"):
            group[node.id] = node.id
        else:
            near = sorted(neighbours[node.id])
            group[node.id] = next((m for m in near if families[m] == "place"),
                                  next((m for m in near if families[m] == "industry"), "group:rest"))
    members: dict[str, list[Node]] = defaultdict(list)
    for node in view.nodes:
        members[group[node.id]].append(node)
    nodes: list[Node] = []
    for anchor_id in sorted(members):
        inside = members[anchor_id]
        anchor = next((n for n in inside if n.id == anchor_id), None)
        classes = dict(sorted(Counter(n.cls for n in inside).items()))
        others = len(inside) - (1 if anchor else 0)
        if anchor is not None:
            label, label_zh = f"{anchor.label} (+{others})" if others else anchor.label, anchor.label_zh
            node = replace(anchor, label=label, properties=dict(anchor.properties), quotes=list(anchor.quotes))
        else:
            label, label_zh = f"Not linked to a place or industry ({others})", ""
            node = Node(anchor_id, label, label_zh, "Group", GROUP, GROUP.size)
        node.members, node.member_classes = len(inside), classes
        node.size = node.family.size * (1.0 + math.log10(len(inside)))
        nodes.append(node)
    weights: Counter[tuple[str, str]] = Counter()
    for edge in view.edges:
        a, b = group[edge.source], group[edge.target]
        if a != b:
            weights[(a, b) if view.directed else tuple(sorted((a, b)))] += 1  # type: ignore[index]
    edges = [Edge(f"g{i}", a, b, "aggregate", f"{w} link{'s' if w != 1 else ''}", "", float(w))
             for i, ((a, b), w) in enumerate(sorted(weights.items()))]
    note = (f"This view has {len(view.nodes):,} nodes, more than {threshold:,}: it is shown as {len(nodes):,} "
            f"place and industry groups (each place or industry with the nodes linked to it). "
            f"The GraphML, GEXF, CSV and RDF exports keep every node.")
    result = View(view.name, view.title, view.directed, nodes, edges, view.quads, note, len(view.nodes), True,
                  list(view.remarks))
    layout(result)
    return result
