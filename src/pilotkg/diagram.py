"""The class diagram of the ontology: the ``pk:`` classes as boxes coloured by their module,
``rdfs:subClassOf`` arrows between them, and one labelled arrow per object property whose
``rdfs:domain`` and ``rdfs:range`` are both ``pk:`` classes.

The sixty-odd classes do not fit in one readable picture, so above :data:`MAX_CLASSES` the
diagram keeps the main classes (the targets of SHACL shapes and the domains and ranges of those object
properties) and its caption names the ones it leaves out. The layout is a layered one computed
here, with no randomness (superclasses and domains above, subclasses and ranges below), so the
same ontology always gives the same picture.

:func:`class_diagram` decides what is shown (pure data, no matplotlib); :func:`draw_class_diagram`
draws it (needs ``pip install 'pilotkg[pictures]'``).
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from .namespaces import PK
from .pictures import deterministic, figure_bytes, new_figure

PK_NS = str(PK._NS)
#: Above this many classes only the main ones are drawn.
MAX_CLASSES = 45
SUBCLASS = "subclass"
PROPERTY = "property"
#: Light fills, one per module in the order of the module names; each box also names its module,
#: so colour is never the only cue.
PALETTE = ["#cfe3f3", "#fde3c0", "#cdeee3", "#f9d9e8", "#e6e1f5", "#fff4b8", "#dfe8c9", "#f3d3c7", "#dddddd",
           "#c9e9f5", "#efe0cf", "#e0f0e0"]

# Geometry, in inches.
BOX_W, BOX_H = 1.85, 0.46
SLOT = 2.1
LAYER_GAP = 1.25
DUMMY_W = 0.25
NAME_PT, MODULE_PT, LABEL_PT = 8.5, 6.5, 6.5


@dataclass(frozen=True, order=True)
class DiagramClass:
    name: str
    iri: URIRef
    module: str


@dataclass(frozen=True, order=True)
class DiagramEdge:
    """``subclass``: source is a subclass of target (``indirect`` when classes not shown lie
    between). ``property``: the object property ``label`` goes from its domain (source) to its
    range (target)."""

    kind: str
    source: URIRef
    target: URIRef
    label: str = ""
    indirect: bool = False


@dataclass
class ClassDiagram:
    classes: list[DiagramClass]
    edges: list[DiagramEdge]
    omitted: list[DiagramClass] = field(default_factory=list)
    total: int = 0

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.classes]

    @property
    def caption(self) -> str:
        arrows = "Object properties are drawn where both their rdfs:domain and rdfs:range are pk: classes."
        if not self.omitted:
            return f"All {self.total} pk: classes of the ontology. {arrows}"
        left = ", ".join(c.name for c in self.omitted)
        return (f"{len(self.classes)} of the {self.total} pk: classes: those that SHACL shapes target and the domains "
                f"and ranges of object properties. Not shown ({len(self.omitted)}): {left}. {arrows}")


def _module(ontology: Graph, cls: URIRef) -> str:
    module = ontology.value(cls, RDFS.isDefinedBy)
    return str(module).rstrip("/").rsplit("/", 1)[-1] if module is not None else "(no module)"


def pk_classes(ontology: Graph) -> set[URIRef]:
    return {c for kind in (OWL.Class, RDFS.Class) for c in ontology.subjects(RDF.type, kind)
            if isinstance(c, URIRef) and str(c).startswith(PK_NS)}


def shape_targets(shapes: Graph) -> set[URIRef]:
    return {c for c in shapes.objects(None, SH.targetClass) if isinstance(c, URIRef)}


def property_edges(ontology: Graph, classes: set[URIRef]) -> list[DiagramEdge]:
    """One edge per (object property, domain, range) with both ends among ``classes``."""
    edges = []
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        if not isinstance(prop, URIRef) or not str(prop).startswith(PK_NS):
            continue
        for domain in ontology.objects(prop, RDFS.domain):
            for range_ in ontology.objects(prop, RDFS.range):
                if domain in classes and range_ in classes:
                    edges.append(DiagramEdge(PROPERTY, domain, range_, str(prop)[len(PK_NS):]))  # type: ignore[arg-type]
    return sorted(set(edges))


def subclass_edges(ontology: Graph, classes: set[URIRef], shown: set[URIRef]) -> list[DiagramEdge]:
    """``rdfs:subClassOf`` between shown classes; through classes not shown, marked indirect."""
    edges = set()
    for cls in shown:
        todo = [(s, False) for s in ontology.objects(cls, RDFS.subClassOf)]
        seen: set = set()
        while todo:
            sup, through = todo.pop()
            if sup in seen or sup not in classes or sup == cls:
                continue
            seen.add(sup)
            if sup in shown:
                edges.add(DiagramEdge(SUBCLASS, cls, sup, indirect=through))  # type: ignore[arg-type]
            else:
                todo += [(s, True) for s in ontology.objects(sup, RDFS.subClassOf)]
    return sorted(edges)


def class_diagram(ontology: Graph, shapes: Graph, *, max_classes: int = MAX_CLASSES) -> ClassDiagram:
    """What the diagram shows: every pk: class, or the main ones when there are more than
    ``max_classes``."""
    classes = pk_classes(ontology)
    props = property_edges(ontology, classes)
    shown = set(classes)
    if len(classes) > max_classes:
        shown = (shape_targets(shapes) & classes) | {e.source for e in props} | {e.target for e in props}
    edges = [e for e in props if e.source in shown and e.target in shown] + subclass_edges(ontology, classes, shown)

    def entry(c: URIRef) -> DiagramClass:
        return DiagramClass(str(c)[len(PK_NS):], c, _module(ontology, c))

    return ClassDiagram(sorted(entry(c) for c in shown), sorted(edges), sorted(entry(c) for c in classes - shown),
                        total=len(classes))


# --- layout -------------------------------------------------------------------------------------

@dataclass
class _Layout:
    x: dict[object, float]
    layer: dict[object, int]
    routes: dict[DiagramEdge, list[object]]  # node, dummy nodes ..., node (in drawing order)
    isolated: list[URIRef]
    layers: int


def _layout(diagram: ClassDiagram) -> _Layout:
    """Each connected part laid out in layers (superclasses and domains on top), the parts side by
    side, largest first; classes with no drawn link are left for a row of their own."""
    linked = {n for e in diagram.edges if e.source != e.target for n in (e.source, e.target)}
    dag = nx.DiGraph()
    dag.add_nodes_from(sorted(linked))
    oriented: dict[DiagramEdge, tuple[URIRef, URIRef]] = {}
    # subclass edges first (superclass above); a property edge that would close a cycle is turned round
    for edge in sorted(diagram.edges, key=lambda e: (e.kind != SUBCLASS, e)):
        if edge.source == edge.target:
            continue
        top, bottom = (edge.target, edge.source) if edge.kind == SUBCLASS else (edge.source, edge.target)
        if nx.has_path(dag, bottom, top):
            top, bottom = bottom, top
        dag.add_edge(top, bottom)
        oriented[edge] = (top, bottom)
    parts = sorted((sorted(part) for part in nx.weakly_connected_components(dag)), key=lambda p: (-len(p), p[0]))
    result = _Layout({}, {}, {}, [c.iri for c in diagram.classes if c.iri not in linked], 0)
    offset = 0.0
    for part in parts:
        members = set(part)
        lay = _layout_part(dag.subgraph(part), {e: o for e, o in oriented.items() if o[0] in members}, diagram)
        result.x.update({n: v + offset for n, v in lay.x.items()})
        result.layer.update(lay.layer)
        result.routes.update(lay.routes)
        result.layers = max(result.layers, lay.layers)
        offset = max(result.x[n] + _width(n) / 2 for n in result.x)
    return result


def _layout_part(dag: nx.DiGraph, oriented: dict[DiagramEdge, tuple[URIRef, URIRef]], diagram: ClassDiagram) -> _Layout:
    """Layers by longest path, dummy nodes on long edges, barycentre ordering, then x by least
    squares; deterministic throughout."""
    order_key = {n: i for i, n in enumerate(sorted(dag.nodes))}
    layer: dict[object, int] = {}
    for node in nx.lexicographical_topological_sort(dag, key=order_key.get):
        layer[node] = max((layer[p] + 1 for p in dag.predecessors(node)), default=0)
    # a class nothing points to goes to the least crowded layer above all its successors, the lowest of equals
    sizes: dict[int, int] = defaultdict(int)
    for node in layer:
        sizes[layer[node]] += 1
    for node in sorted(dag.nodes, key=lambda n: order_key[n]):
        if dag.in_degree(node) == 0 and dag.out_degree(node) > 0:
            sizes[layer[node]] -= 1
            layer[node] = min(range(min(layer[s] for s in dag.successors(node))), key=lambda k: (sizes[k], -k))
            sizes[layer[node]] += 1
    # dummy nodes, so long edges run between the boxes
    routes: dict[DiagramEdge, list[object]] = {}
    adjacent: dict[object, set] = defaultdict(set)
    for edge, (top, bottom) in sorted(oriented.items()):
        chain: list[object] = [top]
        for level in range(layer[top] + 1, layer[bottom]):
            dummy = ("dummy", edge, level)
            layer[dummy] = level
            chain.append(dummy)
        chain.append(bottom)
        for a, b in zip(chain, chain[1:], strict=False):
            adjacent[a].add(b)
            adjacent[b].add(a)
        routes[edge] = chain if chain[0] == edge.source else chain[::-1]
    height = max(layer.values(), default=-1) + 1
    rows: list[list[object]] = [[] for _ in range(height)]
    names = {c.iri: (c.module, c.name) for c in diagram.classes}

    def initial(n: object) -> tuple:
        return names[n] if n in names else ("~", str(n[1]), n[2])  # type: ignore[index]

    for node in sorted(layer, key=initial):
        rows[layer[node]].append(node)
    rows = _order(rows, adjacent, layer)
    return _Layout(_place(rows, adjacent, layer), layer, routes, [], height)


def _crossings(rows: list[list[object]], adjacent: dict[object, set], layer: dict[object, int]) -> int:
    total = 0
    for upper, lower in zip(rows, rows[1:], strict=False):
        pos = {n: i for i, n in enumerate(lower)}
        pairs = sorted((i, pos[b]) for i, a in enumerate(upper) for b in adjacent[a] if layer[b] == layer[a] + 1)
        total += sum(1 for k, (a1, b1) in enumerate(pairs) for a2, b2 in pairs[k + 1:] if a2 > a1 and b2 < b1)
    return total


def _order(rows: list[list[object]], adjacent: dict[object, set], layer: dict[object, int]) -> list[list[object]]:
    """Barycentre sweeps down and up; keeps the ordering with the fewest crossings."""
    best, best_cost = [list(r) for r in rows], _crossings(rows, adjacent, layer)
    for sweep in range(24):
        indices = range(1, len(rows)) if sweep % 2 == 0 else range(len(rows) - 2, -1, -1)
        for i in indices:
            ref = i - 1 if sweep % 2 == 0 else i + 1
            pos = {n: k for k, n in enumerate(rows[ref])}

            def centre(n: object, k: int, pos: dict = pos, ref: int = ref) -> float:
                near = [pos[m] for m in adjacent[n] if layer[m] == ref]
                return sum(near) / len(near) if near else float(k)

            rows[i] = [n for _, _, n in sorted((centre(n, k), k, n) for k, n in enumerate(rows[i]))]
        cost = _crossings(rows, adjacent, layer)
        if cost < best_cost:
            best, best_cost = [list(r) for r in rows], cost
    return best


def _width(node: object) -> float:
    return DUMMY_W if isinstance(node, tuple) else SLOT


def _isotonic(values: list[float]) -> list[float]:
    """The non-decreasing sequence closest to ``values`` (least squares; pool adjacent violators)."""
    blocks: list[list[float]] = []  # [sum, count]
    for v in values:
        blocks.append([v, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    out: list[float] = []
    for total, count in blocks:
        out += [total / count] * int(count)
    return out


def _place(rows: list[list[object]], adjacent: dict[object, set], layer: dict[object, int]) -> dict[object, float]:
    """x of each node: each row in turn moved as close as it can be to the mean x of its
    neighbours (least squares), keeping its order and the spacing of its boxes."""
    x: dict[object, float] = {}
    for row in rows:
        at = 0.0
        for node in row:
            x[node] = at + _width(node) / 2
            at += _width(node)
    for sweep in range(40):
        step = (1, -1, 0)[sweep % 3] if sweep < 36 else 0
        for row in rows if step >= 0 else rows[::-1]:
            wanted = []
            for node in row:
                near = [x[m] for m in adjacent[node] if step == 0 or layer[m] == layer[node] - step]
                wanted.append(sum(near) / len(near) if near else x[node])
            gaps = [0.0]
            for a, b in zip(row, row[1:], strict=False):
                gaps.append(gaps[-1] + (_width(a) + _width(b)) / 2)
            fitted = _isotonic([w - g for w, g in zip(wanted, gaps, strict=True)])
            for node, value, gap in zip(row, fitted, gaps, strict=True):
                x[node] = value + gap
    left = min((x[n] - _width(n) / 2 for n in x), default=0.0)
    return {n: round(v - left, 4) for n, v in x.items()}


# --- drawing ------------------------------------------------------------------------------------

MARGIN = 0.35
TITLE_H = 0.55


def _colours(diagram: ClassDiagram) -> dict[str, str]:
    modules = sorted({c.module for c in diagram.classes + diagram.omitted})
    return {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(modules)}


def _text_box(x: float, y: float, text: str, size: float) -> tuple[float, float, float, float]:
    """An estimate of the box a label of ``size`` points takes, centred on (x, y), in inches."""
    w = len(text) * size * 0.56 / 72 + 0.08
    h = size * 1.5 / 72
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def draw_class_diagram(diagram: ClassDiagram, *, title: str = "pilotkg ontology: class diagram") -> dict[str, bytes]:
    """The diagram as ``{"svg": ..., "png": ...}``; the SVG is the same, byte for byte, every time."""
    with deterministic():
        return _draw(diagram, title)


Box = tuple[float, float, float, float]
Point = tuple[float, float]
PROPERTY_COLOUR, SUBCLASS_COLOUR = "#1f4e79", "#333333"


def _ports(lay: _Layout, centre: dict[object, Point]) -> dict[tuple[DiagramEdge, int], Point]:
    """Where each edge leaves and reaches its boxes: spread along the bottom or top of the box, in
    the order of where the edges go, so arrows into one box do not meet at one point."""
    ends: dict[tuple[object, str], list[tuple[float, DiagramEdge, int]]] = defaultdict(list)
    for edge, route in lay.routes.items():
        for k in (0, len(route) - 1):
            other = route[1] if k == 0 else route[-2]
            side = "bottom" if lay.layer[other] > lay.layer[route[k]] else "top"
            ends[(route[k], side)].append((centre[other][0], edge, k))
    port: dict[tuple[DiagramEdge, int], Point] = {}
    span = BOX_W * 0.7
    for (node, side), items in ends.items():
        items.sort(key=lambda t: (t[0], t[1], t[2]))
        x, y = centre[node]
        for i, (_, edge, k) in enumerate(items):
            dx = 0.0 if len(items) == 1 else -span / 2 + span * i / (len(items) - 1)
            port[(edge, k)] = (x + dx, y - BOX_H / 2 if side == "bottom" else y + BOX_H / 2)
    return port


def _label_spot(points: list[Point], label: str, taken: list[Box]) -> Point:
    """The place along an edge, between layers, where its label overlaps least with the boxes and
    labels already drawn; the middle of the edge when it is free."""
    segments = [(a, b) for a, b in zip(points, points[1:], strict=False) if abs(a[1] - b[1]) > BOX_H + 0.01] or [(points[0], points[-1])]
    best: tuple[float, Point] | None = None
    for t in (0.5, 0.35, 0.65, 0.22, 0.78):
        for a, b in segments:
            spot = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
            cost = sum(_overlap(_text_box(*spot, label, LABEL_PT), other) for other in taken)
            if best is None or cost < best[0] - 1e-9:
                best = (cost, spot)
        if best is not None and best[0] == 0:
            break
    return best[1] if best is not None else points[0]


def _draw(diagram: ClassDiagram, title: str) -> dict[str, bytes]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

    lay = _layout(diagram)
    colours = _colours(diagram)
    by_iri = {c.iri: c for c in diagram.classes}
    graph_w = max((lay.x[n] + _width(n) / 2 for n in lay.x), default=SLOT)
    iso_per_row = max(1, int(graph_w // SLOT))
    iso_rows = -(-len(lay.isolated) // iso_per_row)
    legend_rows = -(-len(colours) // 6)
    width = max(graph_w, 6 * SLOT) + 2 * MARGIN
    caption = textwrap.wrap(diagram.caption, width=int((width - 2 * MARGIN) * 72 / (7.5 * 0.52)))
    graph_h = lay.layers * BOX_H + max(lay.layers - 1, 0) * LAYER_GAP
    iso_h = (0.45 + iso_rows * (BOX_H + 0.25)) if iso_rows else 0.0
    height = TITLE_H + graph_h + 0.4 + iso_h + (0.35 + 0.28 * (legend_rows + 1)) + (0.2 + 0.17 * len(caption)) + MARGIN
    fig = new_figure(width, height)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    ax.text(MARGIN, height - MARGIN, title, fontsize=13, fontweight="bold", va="top", ha="left")
    top = height - TITLE_H
    x0 = MARGIN + (width - 2 * MARGIN - graph_w) / 2
    centre = {n: (x0 + lay.x[n], top - BOX_H / 2 - lay.layer[n] * (BOX_H + LAYER_GAP)) for n in lay.x}
    taken: list[Box] = []

    def box(cls: DiagramClass, x: float, y: float) -> None:
        ax.add_patch(FancyBboxPatch((x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H, boxstyle="round,pad=0,rounding_size=0.06",
                                    facecolor=colours[cls.module], edgecolor="#333333", linewidth=0.8, zorder=3))
        ax.text(x, y + 0.07, cls.name, fontsize=NAME_PT, ha="center", va="center", zorder=4)
        ax.text(x, y - 0.12, cls.module, fontsize=MODULE_PT, ha="center", va="center", color="#555555", zorder=4)
        taken.append((x - BOX_W / 2, y - BOX_H / 2, x + BOX_W / 2, y + BOX_H / 2))

    def label(x: float, y: float, text: str) -> None:
        ax.text(x, y, text, fontsize=LABEL_PT, style="italic", ha="center", va="center", color=PROPERTY_COLOUR, zorder=5,
                bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})
        taken.append(_text_box(x, y, text, LABEL_PT))

    for iri, cls in sorted(by_iri.items()):
        if iri in centre:
            box(cls, *centre[iri])

    # edges: a polyline through their dummy nodes, the arrow head on the last stretch
    port = _ports(lay, centre)
    paths: list[tuple[DiagramEdge, list[Point]]] = []
    for edge, route in sorted(lay.routes.items()):
        points = [port[(edge, 0)]]
        for k, node in enumerate(route[1:-1], start=1):
            x, y = centre[node]
            down = lay.layer[node] > lay.layer[route[k - 1]]
            points += [(x, y + BOX_H / 2), (x, y - BOX_H / 2)] if down else [(x, y - BOX_H / 2), (x, y + BOX_H / 2)]
        points.append(port[(edge, len(route) - 1)])
        style: Literal["--", "-"] = "--" if edge.indirect else "-"
        colour = PROPERTY_COLOUR if edge.kind == PROPERTY else SUBCLASS_COLOUR
        if len(points) > 2:
            ax.add_line(Line2D([p[0] for p in points[:-1]], [p[1] for p in points[:-1]], color=colour, linewidth=0.9,
                               linestyle=style, zorder=2))
        ax.add_patch(FancyArrowPatch(points[-2], points[-1], arrowstyle="-|>", mutation_scale=11, shrinkA=0, shrinkB=0,
                                     edgecolor=colour, facecolor="white" if edge.kind == SUBCLASS else colour,
                                     linewidth=0.9, linestyle=style, zorder=2))
        if edge.kind == PROPERTY:
            paths.append((edge, points))
    for edge in sorted(e for e in diagram.edges if e.source == e.target):  # a property from a class to itself
        x, y = centre[edge.source]
        ax.add_patch(FancyArrowPatch((x + BOX_W / 2, y + 0.1), (x + BOX_W / 2, y - 0.1), connectionstyle="arc3,rad=-1.6",
                                     arrowstyle="-|>", mutation_scale=9, color=PROPERTY_COLOUR, linewidth=0.9, shrinkA=0,
                                     shrinkB=0, zorder=2))
        label(x + BOX_W / 2 + 0.22 + len(edge.label) * LABEL_PT * 0.28 / 72, y, edge.label)
    for edge, points in paths:
        label(*_label_spot(points, edge.label, taken), edge.label)

    y = top - graph_h - 0.4
    if lay.isolated:
        ax.text(MARGIN, y, "Shown, with no subclass or object-property link to another class shown:", fontsize=8,
                va="top", ha="left", color="#333333")
        y -= 0.3
        for i, iri in enumerate(lay.isolated):
            row, col = divmod(i, iso_per_row)
            box(by_iri[iri], MARGIN + SLOT / 2 + col * SLOT, y - BOX_H / 2 - row * (BOX_H + 0.25))
        y -= iso_h - 0.3

    # legend: modules, then the two kinds of arrow; then the caption
    y -= 0.1
    ax.text(MARGIN, y, "Modules:", fontsize=8, va="center", ha="left", fontweight="bold")
    for i, (module, colour) in enumerate(colours.items()):
        row, col = divmod(i, 6)
        lx, ly = MARGIN + 0.8 + col * 1.6, y - row * 0.28
        ax.add_patch(Rectangle((lx, ly - 0.08), 0.28, 0.16, facecolor=colour, edgecolor="#333333", linewidth=0.6))
        ax.text(lx + 0.36, ly, module, fontsize=8, va="center", ha="left")
    y -= 0.28 * legend_rows
    ax.add_patch(FancyArrowPatch((MARGIN + 0.8, y), (MARGIN + 1.4, y), arrowstyle="-|>", mutation_scale=11,
                                 edgecolor=SUBCLASS_COLOUR, facecolor="white", shrinkA=0, shrinkB=0))
    ax.text(MARGIN + 1.5, y, "subclass of (dashed: through classes not shown)", fontsize=8, va="center", ha="left")
    ax.add_patch(FancyArrowPatch((MARGIN + 5.0, y), (MARGIN + 5.6, y), arrowstyle="-|>", mutation_scale=11,
                                 color=PROPERTY_COLOUR, shrinkA=0, shrinkB=0))
    ax.text(MARGIN + 5.7, y, "object property, from its domain to its range", fontsize=8, va="center", ha="left")
    y -= 0.35
    for k, line in enumerate(caption):
        ax.text(MARGIN, y - k * 0.17, line, fontsize=7.5, va="top", ha="left", color="#333333")
    return {fmt: figure_bytes(fig, fmt) for fmt in ("svg", "png")}
