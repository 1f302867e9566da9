"""The generated documentation: the pyLODE page of the ontology, the class diagram (SVG and PNG),
the data dictionary of the shapes, and the index. Checked against the ontology and the shapes
themselves, not against copies of their contents; the committed README picture is checked against
a fresh one so it cannot go stale."""

from __future__ import annotations

import doctest
import logging
import sys
import types
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from pilotkg.build import load_ontology
from pilotkg.errors import PilotkgError
from pilotkg.namespaces import PK
from pilotkg.validate import load_shapes

try:  # not optional for the tests: a missing extra fails them, with how to get it
    import matplotlib  # noqa: F401
    import pylode  # noqa: F401
except ImportError as exc:  # pragma: no cover
    raise ImportError(f"{exc}: the docs tests need pip install '.[docs,pictures]' (make test installs them)") from exc

from pilotkg.diagram import class_diagram, draw_class_diagram  # noqa: E402
from pilotkg.dictionary import read_dictionary, render_html, render_markdown  # noqa: E402
from pilotkg.docs import FILES, _ontpub, ontology_html, write_docs  # noqa: E402

COMMITTED_SVG = Path(__file__).resolve().parents[1] / "docs" / "class-diagram.svg"
REGENERATE = "pilotkg docs --output docs-out && cp docs-out/class-diagram.svg docs/"
SVG = "{http://www.w3.org/2000/svg}"
PKS = Namespace("https://w3id.org/pilotkg/shapes#")
EX = Namespace("https://example.org/hostile#")
ONTOLOGY = load_ontology()
SHAPES = load_shapes()


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    output = tmp_path_factory.mktemp("docs")
    written = write_docs(output)
    return {path.name: path for path in written}


class Page(HTMLParser):
    """What a test needs of an HTML page: its text, the resources it loads, its ids and in-page
    links, and the text of each section and table row."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.loads: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.fragments: set[str] = set()
        self.sections: dict[str, list[list[str]]] = {}
        self.headings: dict[str, str] = {}
        self._section: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_h2 = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href", "").startswith("#") and len(a["href"]) > 1:
            self.fragments.add(a["href"][1:])
        if tag in ("script", "img", "iframe", "embed", "source", "audio", "video") and a.get("src"):
            self.loads.append((tag, a["src"]))
        if tag == "link" and "stylesheet" in a.get("rel", "").split():
            self.loads.append((tag, a.get("href", "")))
        if tag == "object" and a.get("data"):
            self.loads.append((tag, a["data"]))
        if tag == "section":
            self._section = a.get("id")
            self.sections[self._section or ""] = []
        if tag == "h2":
            self._in_h2 = True
        if tag == "tr" and self._section is not None:
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr" and self._row is not None and self._section is not None:
            self.sections[self._section].append(self._row)
            self._row = None
        if tag == "h2":
            self._in_h2 = False
        if tag == "section":
            self._section = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._in_h2 and self._section is not None:
            self.headings[self._section] = self.headings.get(self._section, "") + data


def external(page: Page) -> list[tuple[str, str]]:
    return [(tag, url) for tag, url in page.loads if url.strip().lower().startswith(("http:", "https:", "//", "ftp:"))]


def pk_classes() -> list[URIRef]:
    found = sorted(c for c in ONTOLOGY.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and c.startswith(str(PK._NS)))
    assert len(found) >= 50, "pk: classes were not collected"
    return found


# --- the files -----------------------------------------------------------------------------------

def test_write_docs_writes_every_file(docs: dict[str, Path]) -> None:
    assert set(docs) == set(FILES)
    for path in docs.values():
        assert path.stat().st_size > 0, path


@pytest.mark.parametrize("name", ["ontology.html", "data-dictionary.html", "index.html"])
def test_html_loads_nothing_from_the_network(docs: dict[str, Path], name: str) -> None:
    page = Page(docs[name].read_text(encoding="utf-8"))
    assert page.text, f"{name} has no text"
    assert external(page) == [], f"{name} loads external resources"
    assert "@import" not in docs[name].read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["ontology.html", "data-dictionary.html"])
def test_in_page_links_resolve(docs: dict[str, Path], name: str) -> None:
    page = Page(docs[name].read_text(encoding="utf-8"))
    assert page.fragments, f"{name} has no in-page links"
    assert sorted(page.fragments - page.ids) == []


def test_index_links_every_other_file(docs: dict[str, Path]) -> None:
    text = docs["index.html"].read_text(encoding="utf-8")
    for name in set(FILES) - {"index.html"}:
        assert f'href="{name}"' in text, name


# --- the ontology page ---------------------------------------------------------------------------

def test_ontology_page_mentions_every_class_label(docs: dict[str, Path]) -> None:
    text = " ".join(" ".join(Page(docs["ontology.html"].read_text(encoding="utf-8")).text).split())
    labels = {c: [str(v) for v in ONTOLOGY.objects(c, RDFS.label) if isinstance(v, Literal) and v.language == "en"]
              for c in pk_classes()}
    missing = sorted(str(c) for c, values in labels.items() if not values or not any(v in text for v in values))
    assert missing == []


def test_ontology_page_is_titled_after_the_aggregator(docs: dict[str, Path]) -> None:
    title = str(ONTOLOGY.value(URIRef("https://w3id.org/pilotkg/ontology"), RDFS.label))
    assert f"<title>{title}</title>" in docs["ontology.html"].read_text(encoding="utf-8")


def test_ontology_page_leaves_the_graph_alone() -> None:
    graph = load_ontology()
    size = len(graph)
    ontology_html(graph)
    assert len(graph) == size


def test_importing_pylode_leaves_the_root_logger_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyLODE 3.3.4's import sets the root logger to DEBUG with a handler on stderr; pilotkg puts
    it back. A stand-in module does the same on import, since the real one is imported once."""
    root = logging.getLogger()
    before = (root.level, list(root.handlers))

    def configure_on_import(name: str) -> object:
        root.setLevel(logging.DEBUG)
        root.addHandler(logging.StreamHandler())
        return object

    stand_in = types.ModuleType("pylode")
    stand_in.__getattr__ = configure_on_import  # type: ignore[method-assign]
    monkeypatch.setitem(sys.modules, "pylode", stand_in)
    try:
        _ontpub()
        assert (root.level, list(root.handlers)) == before
    finally:
        root.setLevel(before[0])
        root.handlers[:] = before[1]


# --- the class diagram ---------------------------------------------------------------------------

def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(node.itertext()).strip() for node in root.iter(f"{SVG}text")]


def test_svg_shows_the_classes_it_claims(docs: dict[str, Path]) -> None:
    diagram = class_diagram(ONTOLOGY, SHAPES)
    texts = svg_texts(docs["class-diagram.svg"].read_bytes())
    assert diagram.names, "the diagram shows no class"
    assert sorted(set(diagram.names) - set(texts)) == []
    labels = sorted({e.label for e in diagram.edges if e.label})
    assert labels, "the diagram has no object-property arrows"
    assert sorted(set(labels) - set(texts)) == []
    # what is left out is named in the caption, never drawn as a box
    assert sorted({c.name for c in diagram.omitted} & set(texts)) == []
    caption = " ".join(texts)
    assert [c.name for c in diagram.omitted if c.name not in caption] == []


def test_svg_shows_every_class_the_shapes_target() -> None:
    targets = {c for c in SHAPES.objects(None, SH.targetClass) if isinstance(c, URIRef) and c.startswith(str(PK._NS))}
    assert targets
    shown = {c.iri for c in class_diagram(ONTOLOGY, SHAPES).classes}
    assert sorted(targets - shown) == []


def test_svg_is_the_same_on_every_run(docs: dict[str, Path]) -> None:
    again = draw_class_diagram(class_diagram(load_ontology(), load_shapes()))
    assert again["svg"] == docs["class-diagram.svg"].read_bytes()


def test_committed_svg_is_current(docs: dict[str, Path]) -> None:
    assert COMMITTED_SVG.is_file(), f"{COMMITTED_SVG} is missing; make it with: {REGENERATE}"
    assert COMMITTED_SVG.read_bytes() == docs["class-diagram.svg"].read_bytes(), (
        f"docs/class-diagram.svg (shown in the README) is stale; regenerate it with: {REGENERATE}")


def test_png_is_a_png(docs: dict[str, Path]) -> None:
    assert docs["class-diagram.png"].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_pictures_leave_matplotlib_settings_alone() -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    draw_class_diagram(class_diagram(ONTOLOGY, SHAPES))
    assert dict(matplotlib.rcParams) == before


# --- the data dictionary -------------------------------------------------------------------------

def target_classes() -> list[str]:
    names = sorted({SHAPES.namespace_manager.curie(str(c), generate=False) for c in SHAPES.objects(None, SH.targetClass)})
    assert names, "no sh:targetClass collected from the shapes"
    return names


def test_dictionary_lists_every_target_class(docs: dict[str, Path]) -> None:
    page = Page(docs["data-dictionary.html"].read_text(encoding="utf-8"))
    headings = {" ".join(h.split()).split(" ")[0] for h in page.headings.values()}
    assert sorted(set(target_classes()) - headings) == []
    markdown = docs["data-dictionary.md"].read_text(encoding="utf-8")
    assert [c for c in target_classes() if f"\n## {c}\n" not in markdown] == []


def test_dictionary_says_a_required_property_is_required_with_its_message(docs: dict[str, Path]) -> None:
    shape = PKS["observation-value"]
    assert SHAPES.value(shape, SH.path) == PK.value and int(str(SHAPES.value(shape, SH.minCount))) >= 1
    assert SHAPES.value(shape, SH.targetClass) == PK.Observation
    message = str(SHAPES.value(shape, SH.message))
    page = Page(docs["data-dictionary.html"].read_text(encoding="utf-8"))
    (section,) = [s for s, h in page.headings.items() if h.split()[0] == "pk:Observation"]
    rows = [r for r in page.sections[section] if r and r[0] == "pk:value"]
    assert len(rows) == 1
    assert rows[0][1] == "required" and rows[0][2] == "1..1" and "xsd:decimal" in rows[0][3]
    assert rows[0][-1] == message and "pks:observation-value" in rows[0][-2]
    markdown = docs["data-dictionary.md"].read_text(encoding="utf-8")
    section_md = markdown.split("\n## pk:Observation\n", 1)[1].split("\n## ", 1)[0]
    (line,) = [x for x in section_md.splitlines() if x.startswith("| pk:value |")]
    assert line.startswith("| pk:value | required | 1..1 |") and line.rstrip(" |").endswith(message.replace("_", "\\_"))


def test_dictionary_describes_node_level_checks(docs: dict[str, Path]) -> None:
    shape = PKS["requirement-denied"]
    assert SHAPES.value(shape, SH.sparql) is not None
    page = Page(docs["data-dictionary.html"].read_text(encoding="utf-8"))
    (section,) = [s for s, h in page.headings.items() if h.split()[0] == "pk:PilotCityDesignation"]
    rows = [r for r in page.sections[section] if r and r[0] == str(SHAPES.value(shape, SH.name))]
    assert len(rows) == 1 and "SPARQL" in rows[0][1] and rows[0][-1] == str(SHAPES.value(shape, SH.message))


def hostile_shapes() -> tuple[Graph, Graph]:
    shapes = Graph()
    shapes.bind("ex", EX)
    shapes.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/hostile#> .
        ex:shape a sh:PropertyShape ;
            sh:targetClass ex:Thing ;
            sh:name "<b>bold</b> & co" ;
            sh:description "Ends the table: </td></tr></table> | and a pipe" ;
            sh:message "<script>alert(1)</script>" ;
            sh:path ( ex:a [ sh:inversePath ex:b ] ) ;
            sh:minCount 1 .
        ex:other a sh:PropertyShape ;
            sh:targetSubjectsOf ex:c ;
            sh:message "plain" ;
            sh:path [ sh:alternativePath ( ex:d [ sh:zeroOrMorePath ex:e ] ) ] ;
            sh:in ( "<i>x</i>" ex:f ) .
        """, format="turtle")
    ontology = Graph()
    ontology.add((EX.Thing, RDFS.label, Literal('<img src="x" onerror="alert(2)">', lang="en")))
    return shapes, ontology


def test_dictionary_escapes_hostile_text() -> None:
    shapes, ontology = hostile_shapes()
    targets = read_dictionary(shapes, ontology)
    page = render_html(targets)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "<b>" not in page and "</td></tr></table> |" not in page
    parsed = Page(page)
    assert external(parsed) == []
    assert "<script>alert(1)</script>" in " ".join(parsed.text)  # shown to the reader as text
    markdown = render_markdown(targets)
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown and "<img" not in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| ex:a"))
    assert row.count(" | ") == 6, "a | in the text split the Markdown row"


def test_dictionary_docstring_examples() -> None:
    import pilotkg.dictionary

    result = doctest.testmod(pilotkg.dictionary)
    assert result.attempted > 0 and result.failed == 0


def test_dictionary_renders_paths_and_targets_readably() -> None:
    shapes, ontology = hostile_shapes()
    targets = {t.heading: t for t in read_dictionary(shapes, ontology)}
    assert set(targets) == {"ex:Thing", "Subjects of ex:c"}
    (rule,) = targets["ex:Thing"].properties
    assert (rule.path, rule.required, rule.cardinality) == ("ex:a / ^ex:b", "required", "1..*")
    (other,) = targets["Subjects of ex:c"].properties
    assert other.path == "(ex:d | ex:e*)" and other.required == "optional"
    assert other.values == 'one of: "<i>x</i>", ex:f'


# --- optional dependencies -----------------------------------------------------------------------

def test_missing_pylode_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pylode", None)
    with pytest.raises(PilotkgError, match=r"pip install 'pilotkg\[docs\]'"):
        ontology_html(ONTOLOGY)


def test_broken_pylode_says_which_version_works(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(name: str) -> object:
        raise ImportError("cannot import name 'ConjunctiveGraph' from 'rdflib'", name="rdflib")

    stand_in = types.ModuleType("pylode")
    stand_in.__getattr__ = broken  # type: ignore[method-assign]
    monkeypatch.setitem(sys.modules, "pylode", stand_in)
    with pytest.raises(PilotkgError, match=r"installed but cannot be imported .*ConjunctiveGraph.*pyLODE 3\.3\.4"):
        ontology_html(ONTOLOGY)


def test_missing_matplotlib_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(PilotkgError, match=r"pip install 'pilotkg\[pictures\]'"):
        draw_class_diagram(class_diagram(ONTOLOGY, SHAPES))
