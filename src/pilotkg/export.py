"""Exports of the graph views for the tools people draw networks with: Gephi, yEd, Cytoscape
desktop, Cytoscape.js, spreadsheets, RDF tools and the browser.

Every writer takes a :class:`pilotkg.views.View` and returns bytes, so the CLI writes them
atomically; the writers never read the store, so each file of one export says the same thing.
The RDF formats carry the view's subgraph (see :mod:`pilotkg.views`). Above
:data:`AGGREGATE_THRESHOLD` nodes the HTML page and the pictures show the view aggregated to
place and industry groups and say so; the other formats keep every node, since the desktop
tools handle large graphs.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, cast

from rdflib import Dataset, Graph, URIRef

from . import __version__
from .errors import InputError, QueryError
from .namespaces import bind_prefixes
from .tables import neutralise
from .views import AGGREGATE_THRESHOLD, Edge, Family, Node, View, aggregate, build_view, family_of, layout

__all__ = ["AGGREGATE_THRESHOLD", "FORMATS", "Edge", "Family", "Node", "View", "aggregate", "build_view", "family_of",
           "layout", "render", "to_csv", "to_cytoscape", "to_gexf", "to_graphml", "to_html", "to_rdf"]

#: The export formats, in the order the CLI lists them.
FORMATS = ("graphml", "gexf", "cytoscape", "csv", "jsonld", "turtle", "trig", "nquads", "html", "svg", "png")
RDF_FORMATS = {"jsonld": "json-ld", "turtle": "turtle", "trig": "trig", "nquads": "nquads"}
SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".cyjs": "cytoscape", ".json": "cytoscape", ".jsonld": "jsonld",
            ".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".html": "html", ".htm": "html", ".svg": "svg",
            ".png": "png"}
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


# ---------------------------------------------------------------------------------------------
# GraphML (Gephi, yEd, Cytoscape desktop, igraph)

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
YFILES_NS = "http://www.yworks.com/xml/graphml"
_YED_SHAPES = {"ellipse": "ellipse", "round-rectangle": "roundrectangle", "hexagon": "hexagon", "diamond": "diamond",
               "triangle": "triangle", "star": "star5", "rectangle": "rectangle", "vee": "trapezoid", "tag": "parallelogram",
               "barrel": "ellipse", "octagon": "octagon"}
_NODE_KEYS = (("label", "string"), ("label_zh", "string"), ("iri", "string"), ("class", "string"), ("family", "string"),
              ("color", "string"), ("r", "int"), ("g", "int"), ("b", "int"), ("size", "double"), ("shape", "string"),
              ("x", "double"), ("y", "double"), ("quotes", "string"))
_EDGE_KEYS = (("label", "string"), ("predicate", "string"), ("quote", "string"), ("weight", "double"))


def _edge_attribute_names(view: View) -> list[str]:
    return sorted({k for e in view.edges for k in e.attributes} - {k for k, _ in _EDGE_KEYS})


def _node_values(node: Node) -> dict[str, Any]:
    r, g, b = node.rgb()
    return {"label": node.label, "label_zh": node.label_zh, "iri": node.iri, "class": node.cls, "family": node.family.name,
            "color": node.color, "r": r, "g": g, "b": b, "size": node.size, "shape": node.shape, "x": node.x, "y": node.y,
            "quotes": "\n".join(node.quotes)}


def _text(value: Any) -> str:
    return repr(float(value)) if isinstance(value, float) else str(value)


def to_graphml(view: View) -> bytes:
    """GraphML with typed ``<key>`` declarations (read as columns by Gephi, Cytoscape desktop and
    igraph; ``label``, ``r``/``g``/``b``, ``size``, ``x``/``y`` and ``weight`` are the names Gephi
    maps to its own) and yFiles graphics, which yEd needs to show labels, colours and shapes."""
    ET.register_namespace("", GRAPHML_NS)
    ET.register_namespace("y", YFILES_NS)
    ET.register_namespace("xsi", XSI_NS)
    q = f"{{{GRAPHML_NS}}}"
    root = ET.Element(q + "graphml", {f"{{{XSI_NS}}}schemaLocation": f"{GRAPHML_NS} http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd"})
    for name, kind in _NODE_KEYS:
        ET.SubElement(root, q + "key", {"id": f"n_{name}", "for": "node", "attr.name": name, "attr.type": kind})
    extra = _edge_attribute_names(view)
    for name, kind in (*_EDGE_KEYS, *((n, "string") for n in extra)):
        ET.SubElement(root, q + "key", {"id": f"e_{name}", "for": "edge", "attr.name": name, "attr.type": kind})
    ET.SubElement(root, q + "key", {"id": "n_graphics", "for": "node", "yfiles.type": "nodegraphics"})
    ET.SubElement(root, q + "key", {"id": "e_graphics", "for": "edge", "yfiles.type": "edgegraphics"})
    graph = ET.SubElement(root, q + "graph", {"id": view.name, "edgedefault": "directed" if view.directed else "undirected"})
    ET.SubElement(graph, q + "desc").text = view.title
    y = f"{{{YFILES_NS}}}"
    for node in view.nodes:
        element = ET.SubElement(graph, q + "node", {"id": node.id})
        for name, value in _node_values(node).items():
            ET.SubElement(element, q + "data", {"key": f"n_{name}"}).text = _text(value)
        shape = ET.SubElement(ET.SubElement(element, q + "data", {"key": "n_graphics"}), y + "ShapeNode")
        ET.SubElement(shape, y + "Geometry", {"x": _text(node.x), "y": _text(node.y), "width": _text(node.size * 2),
                                             "height": _text(node.size * 2)})
        ET.SubElement(shape, y + "Fill", {"color": node.color, "transparent": "false"})
        ET.SubElement(shape, y + "NodeLabel").text = node.label
        ET.SubElement(shape, y + "Shape", {"type": _YED_SHAPES.get(node.shape, "ellipse")})
    for edge in view.edges:
        element = ET.SubElement(graph, q + "edge", {"id": edge.id, "source": edge.source, "target": edge.target})
        values = {"label": edge.label, "predicate": edge.predicate, "quote": edge.quote, "weight": edge.weight} | edge.attributes
        for name in [k for k, _ in _EDGE_KEYS] + extra:
            if name in values:
                ET.SubElement(element, q + "data", {"key": f"e_{name}"}).text = _text(values[name])
        line = ET.SubElement(ET.SubElement(element, q + "data", {"key": "e_graphics"}), y + "PolyLineEdge")
        ET.SubElement(line, y + "Arrows", {"source": "none", "target": "standard" if view.directed else "none"})
        ET.SubElement(line, y + "EdgeLabel").text = edge.label
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# ---------------------------------------------------------------------------------------------
# GEXF 1.3 (Gephi, graphology)

GEXF_NS = "http://gexf.net/1.3"
GEXF_VIZ = "http://gexf.net/1.3/viz"
_GEXF_SHAPES = {"ellipse": "disc", "diamond": "diamond", "triangle": "triangle"}
#: Colour, size, position and shape travel in the viz module, which readers map to their own fields.
#: Types are those every GEXF importer knows (Gephi's among them): IRIs travel as strings.
_GEXF_NODE_ATTRS = (("iri", "string"), ("label_zh", "string"), ("class", "string"), ("family", "string"),
                    ("quotes", "string"))


def to_gexf(view: View) -> bytes:
    """GEXF 1.3: typed node and edge attributes, and the viz module's colour, size, position and shape."""
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", GEXF_VIZ)
    ET.register_namespace("xsi", XSI_NS)
    q, viz = f"{{{GEXF_NS}}}", f"{{{GEXF_VIZ}}}"
    root = ET.Element(q + "gexf", {"version": "1.3",
                                   f"{{{XSI_NS}}}schemaLocation": f"{GEXF_NS} http://gexf.net/1.3/gexf.xsd"})
    meta = ET.SubElement(root, q + "meta")
    ET.SubElement(meta, q + "creator").text = f"pilotkg {__version__}"
    ET.SubElement(meta, q + "description").text = view.title
    graph = ET.SubElement(root, q + "graph", {"defaultedgetype": "directed" if view.directed else "undirected", "mode": "static"})
    node_attrs = ET.SubElement(graph, q + "attributes", {"class": "node", "mode": "static"})
    for name, kind in _GEXF_NODE_ATTRS:
        ET.SubElement(node_attrs, q + "attribute", {"id": name, "title": name, "type": kind})
    edge_attrs = ET.SubElement(graph, q + "attributes", {"class": "edge", "mode": "static"})
    extra = _edge_attribute_names(view)
    for name in ["predicate", "quote", *extra]:
        ET.SubElement(edge_attrs, q + "attribute", {"id": name, "title": name, "type": "string"})
    nodes = ET.SubElement(graph, q + "nodes")
    for node in view.nodes:
        element = ET.SubElement(nodes, q + "node", {"id": node.id, "label": node.label})
        values = _node_values(node)
        attvalues = ET.SubElement(element, q + "attvalues")
        for name, _ in _GEXF_NODE_ATTRS:
            if values[name] != "":
                ET.SubElement(attvalues, q + "attvalue", {"for": name, "value": str(values[name])})
        r, g, b = node.rgb()
        ET.SubElement(element, viz + "color", {"r": str(r), "g": str(g), "b": str(b)})
        ET.SubElement(element, viz + "size", {"value": _text(node.size)})
        ET.SubElement(element, viz + "position", {"x": _text(node.x), "y": _text(-node.y), "z": "0.0"})
        ET.SubElement(element, viz + "shape", {"value": _GEXF_SHAPES.get(node.shape, "square")})
    edges = ET.SubElement(graph, q + "edges")
    for edge in view.edges:
        element = ET.SubElement(edges, q + "edge", {"id": edge.id, "source": edge.source, "target": edge.target,
                                                    "label": edge.label, "weight": _text(edge.weight),
                                                    "kind": edge.predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]})
        attvalues = ET.SubElement(element, q + "attvalues")
        values = {"predicate": edge.predicate, "quote": edge.quote} | edge.attributes
        for name in ["predicate", "quote", *extra]:
            if values.get(name):
                ET.SubElement(attvalues, q + "attvalue", {"for": name, "value": values[name]})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# ---------------------------------------------------------------------------------------------
# Cytoscape.js elements JSON (also what Cytoscape desktop imports as .cyjs)


def _node_json(node: Node) -> dict[str, Any]:
    data = {"id": node.id, "label": node.label, "label_zh": node.label_zh, "iri": node.iri, "class": node.cls,
            "family": node.family.name, "color": node.color, "shape": node.shape, "size": node.size,
            "properties": node.properties, "quotes": node.quotes}
    if node.members > 1 or node.cls == "Group":
        data |= {"members": node.members, "member_classes": node.member_classes}
    return {"data": data, "position": {"x": node.x, "y": node.y}}


def _edge_json(edge: Edge) -> dict[str, Any]:
    return {"data": {"id": edge.id, "source": edge.source, "target": edge.target, "label": edge.label,
                     "predicate": edge.predicate, "quote": edge.quote, "weight": edge.weight} | edge.attributes}


def cytoscape_document(view: View) -> dict[str, Any]:
    return {"format_version": "1.0", "generated_by": f"pilotkg {__version__}", "target_cytoscapejs_version": "~3",
            "data": {"name": view.title, "view": view.name, "directed": view.directed, "aggregated": view.aggregated,
                     "note": view.caption(), "total_nodes": view.total_nodes},
            "elements": {"nodes": [_node_json(n) for n in view.nodes], "edges": [_edge_json(e) for e in view.edges]}}


def to_cytoscape(view: View) -> bytes:
    return (json.dumps(cytoscape_document(view), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# CSV for Gephi's spreadsheet importer: a nodes table (Id, Label, ...) and an edges table
# (Source, Target, Type, Id, Label, Weight, ...). Cells that look like formulas are neutralised.

NODE_COLUMNS = ("Id", "Label", "Label_zh", "IRI", "Class", "Family", "Color", "Size", "X", "Y", "Quotes")
EDGE_COLUMNS = ("Source", "Target", "Type", "Id", "Label", "Weight", "Predicate", "Quote")


def to_csv(view: View) -> tuple[bytes, bytes]:
    """``(nodes.csv, edges.csv)``, UTF-8 with a byte-order mark so that spreadsheets read Chinese right."""
    def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise(_text(c)) for c in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    extra = _edge_attribute_names(view)
    nodes = table(NODE_COLUMNS, ([n.id, n.label, n.label_zh, n.iri, n.cls, n.family.name, n.color, n.size, n.x, n.y,
                                  " | ".join(n.quotes)] for n in view.nodes))
    kind = "Directed" if view.directed else "Undirected"
    edges = table((*EDGE_COLUMNS, *(c.capitalize() for c in extra)),
                  ([e.source, e.target, kind, e.id, e.label, e.weight, e.predicate, e.quote,
                    *(e.attributes.get(c, "") for c in extra)] for e in view.edges))
    return nodes, edges


# ---------------------------------------------------------------------------------------------
# RDF: the view's subgraph


def context() -> dict[str, Any]:
    """The published JSON-LD context (``ontology/context.jsonld``)."""
    from .assets import ontology_dir

    path = ontology_dir() / "context.jsonld"
    try:
        return cast(dict[str, Any], json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the JSON-LD context: {exc}", file=path) from exc


def subgraph(view: View) -> Dataset:
    dataset = Dataset()
    bind_prefixes(dataset)
    for s, p, o, g in view.quads:
        dataset.graph(cast(URIRef, g)).add((s, p, o))
    return dataset


def to_rdf(view: View, fmt: str) -> bytes:
    dataset = subgraph(view)
    if fmt == "turtle":
        union = bind_prefixes(Graph())
        for s, p, o, _ in view.quads:
            union.add((s, p, o))
        return union.serialize(format="turtle").encode("utf-8")
    if fmt == "jsonld":
        return dataset.serialize(format="json-ld", context=context()["@context"], indent=1).encode("utf-8")
    return dataset.serialize(format=RDF_FORMATS[fmt]).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The interactive page


def _vendored(name: str) -> str:
    return (resources.files("pilotkg") / "vendor" / name).read_text(encoding="utf-8")


def _script_json(document: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survive as such."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _script(text: str) -> str:
    """A vendored script, made safe to inline: it cannot close the element that holds it."""
    return text.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def to_html(view: View, *, threshold: int = AGGREGATE_THRESHOLD) -> bytes:
    """One self-contained page: Cytoscape.js and the data inlined, no request leaves the file."""
    shown = aggregate(view, threshold)
    legend = [{"class": c, "family": f.name, "color": f.color, "shape": f.shape, "count": k} for c, f, k in shown.classes()]
    document = cytoscape_document(shown) | {"legend": legend}
    page = _vendored("export.html")
    values = {"TITLE": html.escape(shown.title), "NOTE": html.escape(shown.caption()), "DATA": _script_json(document),
              "CYTOSCAPE": _script(_vendored("cytoscape/cytoscape.min.js")), "APP": _script(_vendored("export.js")),
              "VERSION": html.escape(__version__)}
    # one pass over the template: a label that reads "{{APP}}" stays text
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: values[m.group(1)], page).encode("utf-8")


# ---------------------------------------------------------------------------------------------


def format_for(path: str) -> str | None:
    return SUFFIXES.get(Path(path).suffix.lower())


def render(view: View, fmt: str, output: Path, *, threshold: int = AGGREGATE_THRESHOLD,
           lang: str = "en") -> list[tuple[Path, bytes]]:
    """The files of one export: ``(path, content)`` pairs for :func:`pilotkg.rdfio.write_atomically`."""
    if fmt == "graphml":
        return [(output, to_graphml(view))]
    if fmt == "gexf":
        return [(output, to_gexf(view))]
    if fmt == "cytoscape":
        return [(output, to_cytoscape(view))]
    if fmt == "csv":
        if output.suffix.lower() == ".csv":
            raise InputError("csv writes two files, nodes.csv and edges.csv: give --output a folder", file=output,
                             hint="for example --output out/cooperation-csv")
        nodes, edges = to_csv(view)
        return [(output / "nodes.csv", nodes), (output / "edges.csv", edges)]
    if fmt in RDF_FORMATS:
        return [(output, to_rdf(view, fmt))]
    if fmt == "html":
        return [(output, to_html(view, threshold=threshold))]
    if fmt in ("svg", "png"):
        from .figures import view_picture

        return [(output, view_picture(aggregate(view, threshold), fmt, lang=lang))]
    raise QueryError(f"unknown export format {fmt!r}; the formats are {', '.join(FORMATS)}")
