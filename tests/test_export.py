"""``pilotkg export``: every format read back by an independent reader, never the library that
wrote it (GraphML by igraph, GEXF by graphology-gexf under Node, RDF by pyoxigraph, Cytoscape
JSON and CSV by the standard json and csv modules), and compared with the projection it came
from: the same nodes, the same edges, and the same labels, classes and quotes.

Also: the HTML page is self-contained and escapes what it shows; large views aggregate; CSV
cells cannot become formulas; outputs are atomic and deterministic; the vendored Cytoscape.js
is the file its README records.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Dataset

from pilotkg import export, network
from pilotkg.cli import main

ROOT = Path(__file__).resolve().parents[1]
READERS_JS = ROOT / "tests" / "js"
PK = "https://w3id.org/pilotkg/ontology#"
EXACT = "http://www.w3.org/ns/oa#exact"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SOURCE_GRAPH = "https://w3id.org/pilotkg/id/graph/source/sichuan-first-pilot-lists"
#: The views, with the options each needs.
VIEWS: dict[str, list[str]] = {"cooperation": [], "place-industry": [], "chain": ["--designation", "Chengdu"], "full": []}
FILES = {"graphml": "view.graphml", "gexf": "view.gexf", "cytoscape": "view.cyjs", "csv": "csv", "jsonld": "view.jsonld",
         "turtle": "view.ttl", "trig": "view.trig", "nquads": "view.nq"}


@pytest.fixture(scope="module")
def built_trig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built")
    assert main(["build", "--output", str(out)]) == 0
    return out / "pilotkg.trig"


@pytest.fixture(scope="module")
def exported(built_trig: Path, dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[nx.Graph, Path]]:
    """Each view projected from the dataset, and exported once in every format by the CLI."""
    out: dict[str, tuple[nx.Graph, Path]] = {}
    for view, options in VIEWS.items():
        folder = tmp_path_factory.mktemp(view)
        outputs = [arg for name in FILES.values() for arg in ("--output", str(folder / name))]
        assert main(["export", "--view", view, *options, "--dataset", str(built_trig), *outputs]) == 0
        out[view] = (network.project(dataset, view, city="Chengdu" if view == "chain" else None), folder)
    return out


# -- what each reader found, in one shape: nodes {id: attributes}, edges [(source, target, attributes)]


def read_graphml(path: Path) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, dict[str, Any]]], bool]:
    import igraph

    graph = igraph.Graph.Read_GraphML(str(path))
    nodes = {v["id"]: v.attributes() for v in graph.vs}
    edges = [(graph.vs[e.source]["id"], graph.vs[e.target]["id"], e.attributes()) for e in graph.es]
    return nodes, edges, graph.is_directed()


def read_gexf(path: Path) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, dict[str, Any]]], bool]:
    node = shutil.which("node")
    assert node, "Node.js is missing: run `make system-deps` (Debian nodejs), then `make test`"
    assert (READERS_JS / "node_modules" / "graphology-gexf").is_dir(), (
        "graphology-gexf is missing: run `make test` (it runs `npm ci --prefix tests/js`)")
    found = json.loads(subprocess.run([node, str(READERS_JS / "read_gexf.js"), str(path)], check=True, capture_output=True,
                                      text=True).stdout)
    nodes = {n["key"]: n["attributes"] for n in found["nodes"]}
    edges = [(e["source"], e["target"], e["attributes"]) for e in found["edges"]]
    return nodes, edges, found["type"] == "directed"


def read_cytoscape(path: Path) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, dict[str, Any]]], bool]:
    document = json.loads(path.read_text(encoding="utf-8"))
    nodes = {n["data"]["id"]: n["data"] for n in document["elements"]["nodes"]}
    edges = [(e["data"]["source"], e["data"]["target"], e["data"]) for e in document["elements"]["edges"]]
    return nodes, edges, document["data"]["directed"]


def read_csv(folder: Path) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, dict[str, Any]]], bool]:
    with (folder / "nodes.csv").open(encoding="utf-8-sig", newline="") as handle:
        nodes = {row["Id"]: {"label": row["Label"], "label_zh": row["Label_zh"], "class": row["Class"], "iri": row["IRI"]}
                 for row in csv.DictReader(handle)}
    with (folder / "edges.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    edges = [(r["Source"], r["Target"], {"quote": r["Quote"], "label": r["Label"], "predicate": r["Predicate"]}) for r in rows]
    return nodes, edges, all(r["Type"] == "Directed" for r in rows) if rows else True


READERS: dict[str, Callable[[Path], Any]] = {"graphml": read_graphml, "gexf": read_gexf, "cytoscape": read_cytoscape,
                                            "csv": read_csv}


def test_the_reader_lists_are_not_empty() -> None:
    assert READERS and VIEWS and set(READERS) < set(FILES) and set(FILES) <= set(export.FORMATS)


def _pair(graph: nx.Graph, u: str, v: str) -> tuple[str, ...]:
    return (u, v) if graph.is_directed() else tuple(sorted((u, v)))


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("fmt", list(READERS))
def test_graph_formats_round_trip(fmt: str, view: str, exported: dict[str, tuple[nx.Graph, Path]]) -> None:
    projection, folder = exported[view]
    assert projection.number_of_nodes() > 0 and projection.number_of_edges() > 0
    nodes, edges, directed = READERS[fmt](folder / FILES[fmt])
    assert directed == projection.is_directed()
    assert set(nodes) == set(projection.nodes)
    for node, data in projection.nodes(data=True):
        assert nodes[node]["label"] == data["label"], node
        assert (nodes[node].get("label_zh") or "") == data.get("label_zh", ""), node
        assert nodes[node]["iri"] == node
        # the projection knows a cooperating place as a Place; the export names its own class
        assert nodes[node]["class"] == data["cls"] or (data["cls"] == "Place" and nodes[node]["class"] in network.PLACE_CLASSES)
    expected = Counter(_pair(projection, u, v) for u, v in projection.edges())
    assert Counter(_pair(projection, s, t) for s, t, _ in edges) == expected
    quotes = Counter((_pair(projection, u, v), d.get("quote", "")) for u, v, d in projection.edges(data=True))
    assert Counter((_pair(projection, s, t), a.get("quote") or "") for s, t, a in edges) == quotes


RDF = {"jsonld": "JSON_LD", "turtle": "TURTLE", "trig": "TRIG", "nquads": "N_QUADS"}


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("fmt", list(RDF))
def test_rdf_formats_carry_the_views_subgraph(fmt: str, view: str, exported: dict[str, tuple[nx.Graph, Path]],
                                               dataset: Dataset) -> None:
    import pyoxigraph as ox

    projection, folder = exported[view]
    quads = list(ox.parse(path=str(folder / FILES[fmt]), format=getattr(ox.RdfFormat, RDF[fmt])))
    assert quads
    triples = {(_value(q.subject), _value(q.predicate), _value(q.object)) for q in quads}
    subjects = {s for s, _, _ in triples}
    labels = {(s, o) for s, p, o in triples if p == LABEL}
    exact = {o for _, p, o in triples if p == EXACT}
    for node, data in projection.nodes(data=True):
        assert node in subjects
        if data["label"] != node.rsplit("/", 1)[-1]:  # a label the data gives
            assert (node, data["label"]) in labels
    for u, v, data in projection.edges(data=True):
        if view == "cooperation":
            assert (data["component"], PK + "involvesPlace", v) in triples
            assert (data["proposal"], PK + "proposer", u) in triples
        elif view == "place-industry":
            assert data["via"] in subjects
        elif view == "chain" and data["predicate"] == "hasElement":  # the designation, its element, what it names
            assert (u, PK + "hasElement", data["via"]) in triples and (data["via"], PK + "element", v) in triples
        else:
            predicate = data["predicate"] if view == "full" else PK + data["predicate"]
            assert (u, predicate, v) in triples
        if data.get("quote"):
            assert data["quote"] in exact
    if fmt != "turtle":  # the named graphs travel with the statements
        graphs = {_value(q.graph_name) for q in quads}
        assert SOURCE_GRAPH in graphs and "https://w3id.org/pilotkg/id/graph/closure" not in graphs
    # nothing invented: every statement without a blank node is in the dataset
    from rdflib import Literal, URIRef

    def term(t: Any) -> Any:
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        plain_string = t.language or t.datatype.value == "http://www.w3.org/2001/XMLSchema#string"
        return Literal(t.value, lang=t.language, datatype=None if plain_string else URIRef(t.datatype.value))

    plain = [q for q in quads if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)]
    missing = [q for q in plain if (term(q.subject), term(q.predicate), term(q.object)) not in dataset
               # a decimal may come back in another lexical form of the same value (33 and 33.0)
               and not any(o.eq(term(q.object)) for o in dataset.objects(term(q.subject), term(q.predicate)))]
    assert plain and missing == []


def _value(term: Any) -> str:
    return str(getattr(term, "value", term))


def test_jsonld_uses_the_published_context(exported: dict[str, tuple[nx.Graph, Path]]) -> None:
    document = json.loads((exported["cooperation"][1] / "view.jsonld").read_text(encoding="utf-8"))
    published = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == published["@context"]
    from pilotkg.namespaces import PREFIXES

    assert published["@context"] == {k: str(v) for k, v in PREFIXES.items()}, "regenerate ontology/context.jsonld"


def test_graphml_declares_typed_keys_and_yed_graphics(exported: dict[str, tuple[nx.Graph, Path]]) -> None:
    root = ET.parse(exported["cooperation"][1] / "view.graphml").getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns", "y": "http://www.yworks.com/xml/graphml"}
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.findall("g:key", ns) if k.get("attr.name")}
    assert keys[("node", "size")] == "double" and keys[("node", "r")] == "int" and keys[("edge", "weight")] == "double"
    assert keys[("node", "label")] == keys[("edge", "quote")] == "string"
    assert {k.get("yfiles.type") for k in root.findall("g:key", ns)} >= {"nodegraphics", "edgegraphics"}
    assert {label.text for label in root.iter(f"{{{ns['y']}}}NodeLabel")} >= {"Chengdu", "Mianyang"}


def test_gexf_is_version_1_3_with_viz(exported: dict[str, tuple[nx.Graph, Path]]) -> None:
    root = ET.parse(exported["cooperation"][1] / "view.gexf").getroot()
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    viz = "{http://gexf.net/1.3/viz}"
    node = root.find(".//{http://gexf.net/1.3}node")
    assert node is not None and node.find(viz + "color") is not None and node.find(viz + "size") is not None
    nodes, _, _ = read_gexf(exported["cooperation"][1] / "view.gexf")
    chengdu = nodes["https://w3id.org/pilotkg/id/place/510100"]
    assert chengdu["color"] == "rgb(230,159,0)" and chengdu["size"] == 34 and isinstance(chengdu["x"], (int, float))


# -- the interactive page, the pictures and the safety of what they show


def test_html_is_self_contained(exported: dict[str, tuple[nx.Graph, Path]], tmp_path: Path, built_trig: Path) -> None:
    page = tmp_path / "view.html"
    assert main(["export", "--dataset", str(built_trig), "--output", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text) is None
    assert "cytoscape" in text and "Chengdu" in text
    assert "default-src 'none'" in text  # the page may not fetch anything, even if it tried


def _hostile_view() -> export.View:
    family = export.family_of("PrefectureLevelCity")
    evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)> {{APP}}'
    nodes = [export.Node("https://example.org/a", evil, "=1+1", "PrefectureLevelCity", family, 30.0, quotes=[evil]),
             export.Node("https://example.org/b", "=HYPERLINK(\"http://x\")", "", "PrefectureLevelCity", family, 30.0)]
    edges = [export.Edge("e0", nodes[0].id, nodes[1].id, PK + "involvesPlace", evil, evil)]
    view = export.View("cooperation", evil, True, nodes, edges)
    export.layout(view)
    return view


def test_html_escapes_labels_and_quotes() -> None:
    page = export.to_html(_hostile_view()).decode("utf-8")
    # the only script elements are the page's three; the label cannot close or open one
    assert page.count("<script") == 3 and page.lower().count("</script") == 3
    assert "<img src=x" not in page
    title = re.search(r"<title>(.*)</title>", page, re.S)
    assert title and "&lt;/script&gt;" in title.group(1)
    data = re.search(r'<script type="application/json" id="pk-data">(.*?)</script>', page, re.S)
    assert data and json.loads(data.group(1))["elements"]["nodes"][0]["data"]["label"].startswith("</script>")


def test_csv_cells_cannot_become_formulas() -> None:
    nodes, edges = export.to_csv(_hostile_view())
    rows = list(csv.reader(nodes.decode("utf-8-sig").splitlines()))
    assert rows[0][:2] == ["Id", "Label"]
    assert rows[1][2] == "'=1+1" and rows[2][1].startswith("'=HYPERLINK")
    assert list(csv.reader(edges.decode("utf-8-sig").splitlines()))[0][:6] == ["Source", "Target", "Type", "Id", "Label",
                                                                                "Weight"]


def _big_view(n_places: int = 30, per_place: int = 80) -> export.View:
    """A view larger than the threshold: places, each with enterprises, and a few industries."""
    place, org, industry = (export.family_of(c) for c in ("PrefectureLevelCity", "Enterprise", "Industry"))
    nodes = [export.Node(f"p{i}", f"Place {i}", "", "PrefectureLevelCity", place, 30.0) for i in range(n_places)]
    nodes += [export.Node(f"i{k}", f"Industry {k}", "", "Industry", industry, 24.0) for k in range(5)]
    edges = []
    for i in range(n_places):
        for j in range(per_place):
            nodes.append(export.Node(f"p{i}-e{j}", f"Enterprise {i}.{j}", "", "Enterprise", org, 16.0))
            edges.append(export.Edge(f"l{i}-{j}", f"p{i}-e{j}", f"p{i}", PK + "locatedIn", "located in"))
            edges.append(export.Edge(f"w{i}-{j}", f"p{i}-e{j}", f"i{j % 5}", PK + "industry", "works in"))
    nodes.append(export.Node("lonely", "Lonely", "", "Enterprise", org, 16.0))
    return export.View("place-industry", "big", False, nodes, edges)


def test_large_views_aggregate_to_place_and_industry_groups() -> None:
    big = _big_view()
    assert len(big.nodes) > export.AGGREGATE_THRESHOLD
    shown = export.aggregate(big)
    assert shown.aggregated and len(shown.nodes) == 30 + 5 + 1
    assert f"{len(big.nodes):,} nodes" in shown.note and "groups" in shown.note
    assert sum(n.members for n in shown.nodes) == len(big.nodes)
    p0 = shown.node("p0")
    assert p0.members == 81 and p0.member_classes == {"Enterprise": 80, "PrefectureLevelCity": 1}
    # 80 enterprises of place 0 work in 5 industries: 16 each, merged into one weighted edge per pair
    assert {(e.source, e.target, e.weight) for e in shown.edges if "p0" in (e.source, e.target)} == {
        ("i0", "p0", 16.0), ("i1", "p0", 16.0), ("i2", "p0", 16.0), ("i3", "p0", 16.0), ("i4", "p0", 16.0)}
    assert export.aggregate(big, threshold=len(big.nodes)) is big
    page = export.to_html(big).decode("utf-8")
    assert "shown as 36 place and industry groups" in page


def test_pictures_are_svg_and_png_with_labels_and_a_legend(exported: dict[str, tuple[nx.Graph, Path]],
                                                            built_trig: Path, tmp_path: Path) -> None:
    svg, png = tmp_path / "view.svg", tmp_path / "view.png"
    assert main(["export", "--dataset", str(built_trig), "-o", str(svg), "-o", str(png)]) == 0
    root = ET.parse(svg).getroot()
    texts = {"".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Chengdu", "Mianyang", "Chongqing", "Meishan", "Yibin"} <= texts  # labels are text, not paths
    assert "PrefectureLevelCity (4)" in texts and "Municipality (1)" in texts  # the legend
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    again = tmp_path / "again.svg"
    assert main(["export", "--dataset", str(built_trig), "-o", str(again)]) == 0
    assert again.read_bytes() == svg.read_bytes(), "the same view must give the same picture"


def test_the_compliance_matrix_picture(built_trig: Path, tmp_path: Path) -> None:
    svg = tmp_path / "matrix.svg"
    assert main(["validate", "--dataset", str(built_trig), "--output", str(svg)]) == 0
    texts = ["".join(t.itertext()).strip() for t in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}text")]
    assert {"Chengdu", "Deyang", "Mianyang", "Yibin"} <= set(texts)
    assert texts.count("evidenced") > 0 and texts.count("not evidenced") > 0
    png = tmp_path / "matrix.png"
    assert main(["validate", "--dataset", str(built_trig), "--output", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG")


def test_exports_are_deterministic(built_trig: Path, tmp_path: Path) -> None:
    """The same data gives the same files: byte for byte, and for RDF the same graph."""
    from rdflib.compare import isomorphic

    names = ["a.graphml", "a.gexf", "a.cyjs", "a.html", "a.trig"]
    for run in ("one", "two"):
        outputs = [arg for name in names for arg in ("-o", str(tmp_path / run / name))]
        assert main(["export", "--view", "full", "--dataset", str(built_trig), *outputs]) == 0
    for name in names[:-1]:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    one, two = (Dataset().parse(tmp_path / run / "a.trig") for run in ("one", "two"))
    assert {str(g.identifier) for g in one.graphs()} == {str(g.identifier) for g in two.graphs()}
    for graph in one.graphs():
        assert isomorphic(graph, two.graph(graph.identifier)), graph.identifier


def test_focus_keeps_the_neighbourhood(built_trig: Path, tmp_path: Path) -> None:
    out = tmp_path / "ego.cyjs"
    assert main(["export", "--dataset", str(built_trig), "--focus", "Mianyang", "-o", str(out)]) == 0
    nodes, edges, _ = read_cytoscape(out)
    assert {n["label"] for n in nodes.values()} == {"Mianyang", "Chengdu"} and len(edges) == 1


def test_bad_requests_get_clear_errors_and_leave_outputs(built_trig: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    kept = tmp_path / "kept.graphml"
    kept.write_text("previous", encoding="utf-8")
    assert main(["export", "--dataset", str(built_trig), "-o", str(kept), "-o", str(tmp_path / "x.unknown")]) == 2
    assert "cannot tell the export format" in capsys.readouterr().err and kept.read_text(encoding="utf-8") == "previous"
    assert main(["export", "--dataset", str(built_trig), "--format", "csv", "-o", str(tmp_path / "a.csv")]) == 2
    assert "give --output a folder" in capsys.readouterr().err
    assert main(["export", "--view", "chain", "--dataset", str(built_trig), "-o", str(kept)]) == 2
    assert "--designation" in capsys.readouterr().err and kept.read_text(encoding="utf-8") == "previous"
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    assert main(["export", "--dataset", str(built_trig), "-o", str(kept), "-o", str(blocked / "x.svg")]) == 2
    assert kept.read_text(encoding="utf-8") == "previous", "a failed export leaves the previous output intact"


def test_vendored_cytoscape_is_the_recorded_file() -> None:
    from importlib import resources

    vendored = Path(str(resources.files("pilotkg"))) / "vendor" / "cytoscape" / "cytoscape.min.js"
    digest = hashlib.sha256(vendored.read_bytes()).hexdigest()
    assert digest == "71fa9ebec21a7ca2c40cff6aacc30d1f6464e363662ad4b2c197e1adc770cd94"
    assert digest in (ROOT / "src" / "pilotkg" / "vendor" / "README.md").read_text(encoding="utf-8")
