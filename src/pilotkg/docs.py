"""``pilotkg docs``: the documentation of the ontology and the shapes, generated, never edited by
hand. :func:`write_docs` writes into one folder, all or nothing:

- ``ontology.html``: the ontology modules merged, as a page made by pyLODE (self-contained: its
  CSS is inline and it loads nothing from the network);
- ``class-diagram.svg`` and ``class-diagram.png``: the pk: classes and how they link
  (:mod:`pilotkg.diagram`); the SVG is the same, byte for byte, on every run;
- ``data-dictionary.html`` and ``data-dictionary.md``: what the shapes ask of the data, class by
  class (:mod:`pilotkg.dictionary`);
- ``context.jsonld``: the published JSON-LD context of the exports;
- ``index.html``: links to the others.

pyLODE (``pip install 'pilotkg[docs]'``) and matplotlib (``pip install 'pilotkg[pictures]'``) are
optional; each is imported only here, and a missing one is an error that says what to install.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, SKOS, VANN, XSD

from . import __version__
from .assets import ontology_dir
from .build import load_ontology, ontology_version
from .diagram import ClassDiagram, class_diagram, draw_class_diagram
from .dictionary import read_dictionary, render_html, render_markdown
from .errors import MissingExtraError, PilotkgError
from .namespaces import ONTOLOGY_IRI, PK, bind_prefixes
from .rdfio import write_atomically
from .validate import load_shapes

PYLODE_TESTED = "3.3.4"


class DocsError(PilotkgError):
    """A documentation tool failed on the ontology; the message names the tool and its version."""


FILES = ("index.html", "ontology.html", "class-diagram.svg", "class-diagram.png", "data-dictionary.html", "data-dictionary.md",
         "context.jsonld")


def _ontpub() -> Any:
    """pyLODE's ``OntPub``. Importing pyLODE 3.3.4 sets the root logger to DEBUG with a handler on
    stderr (``logging.basicConfig`` in its supermodel loader); the root logger is put back as it was."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        from pylode import OntPub
    except ImportError as exc:
        if exc.name == "pylode":
            raise MissingExtraError(
                "the ontology page needs pyLODE, which is not installed; install it with: pip install 'pilotkg[docs]'"
            ) from exc
        raise DocsError(f"pyLODE is installed but cannot be imported ({exc}); pilotkg is tested with pyLODE "
                        f"{PYLODE_TESTED}: pip install 'pilotkg[docs]'") from exc
    except Exception as exc:  # a broken release fails at import in its own ways
        raise DocsError(f"pyLODE is installed but cannot be imported ({type(exc).__name__}: {exc}); pilotkg is tested "
                        f"with pyLODE {PYLODE_TESTED}: pip install 'pilotkg[docs]'") from exc
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
    return OntPub


def pylode_graph(ontology: Graph) -> Graph:
    """A copy of ``ontology`` that pyLODE documents as one ontology. pyLODE expects a single
    ``owl:Ontology`` and takes the title and metadata of every ``owl:Ontology`` and
    ``skos:ConceptScheme`` it finds (it would title the page after the last scheme), so the copy
    keeps the aggregator as the only ontology and drops those two types from the modules and the
    schemes. pyLODE's page lists classes and properties, not schemes, so nothing it shows is lost;
    the modules keep their labels for the "is defined by" links. The copy also states the terms'
    namespace (``vann:preferredNamespaceUri``): without it pyLODE takes every IRI under the
    ontology's IRI, the modules' included, for a term of the page and links it to a missing anchor."""
    graph = bind_prefixes(Graph())
    for s, p, o in ontology:
        if p == RDF.type and ((o == OWL.Ontology and s != ONTOLOGY_IRI) or o == SKOS.ConceptScheme):
            continue
        graph.add((s, p, o))
    graph.add((ONTOLOGY_IRI, VANN.preferredNamespaceUri, Literal(str(PK._NS), datatype=XSD.anyURI)))
    graph.add((ONTOLOGY_IRI, VANN.preferredNamespacePrefix, Literal("pk")))
    return graph


def ontology_html(ontology: Graph) -> str:
    """The ontology as one HTML page made by pyLODE."""
    ontpub = _ontpub()
    try:
        return str(ontpub(ontology=pylode_graph(ontology), sort_subjects=True).make_html())
    except Exception as exc:  # pyLODE raises plain exceptions of many kinds
        import pylode

        version = getattr(pylode, "__version__", "unknown")
        raise DocsError(
            f"pyLODE {version} could not document the ontology ({type(exc).__name__}: {exc}); pilotkg is tested with "
            f"pyLODE {PYLODE_TESTED}: pip install 'pilotkg[docs]'"
        ) from exc


CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem;color:#222;max-width:1100px}
h1{font-size:1.6rem}li{margin:.3rem 0}.small{color:#666;font-size:.85em}img{max-width:100%;border:1px solid #ddd}
"""


def index_html(diagram: ClassDiagram, *, version: str, classes_documented: int) -> str:
    e = html.escape
    items = [
        ("ontology.html", "The ontology", f"every class and property, with labels and definitions (pyLODE); version {version}"),
        ("class-diagram.svg", "Class diagram (SVG)", diagram.caption),
        ("class-diagram.png", "Class diagram (PNG)", "the same picture as a bitmap"),
        ("data-dictionary.html", "Data dictionary", f"what the SHACL shapes ask of the data, for {classes_documented} targets"),
        ("data-dictionary.md", "Data dictionary (Markdown)", "the same, as Markdown"),
        ("context.jsonld", "JSON-LD context", "the prefixes pilotkg's JSON-LD exports use (embedded in each of them)"),
    ]
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">', "<title>pilotkg documentation</title>",
           f"<style>{CSS}</style></head><body>", "<h1>pilotkg documentation</h1>",
           "<p>Generated from the ontology (ontology/*.ttl) and the shapes (ontology/shapes/*.ttl); "
           "regenerate with <code>pilotkg docs --output DIR</code>.</p>", "<ul>"]
    out += [f'<li><a href="{e(href)}">{e(title)}</a>: {e(note)}</li>' for href, title, note in items]
    out += ["</ul>", '<p><a href="class-diagram.svg"><img src="class-diagram.svg" alt="Class diagram of the pk: classes"></a></p>',
            f'<p class="small">pilotkg {e(__version__)}</p></body></html>']
    return "\n".join(out) + "\n"


def render_docs(ontology: Graph, shapes: Graph) -> dict[str, bytes]:
    """Every file of the documentation, by name, from the given graphs; nothing is written."""
    page = ontology_html(ontology)  # first: a missing pyLODE fails before any drawing
    diagram = class_diagram(ontology, shapes)
    pictures = draw_class_diagram(diagram)
    targets = read_dictionary(shapes, ontology)
    files = {
        "index.html": index_html(diagram, version=ontology_version(ontology), classes_documented=len(targets)).encode("utf-8"),
        "ontology.html": page.encode("utf-8"),
        "class-diagram.svg": pictures["svg"],
        "class-diagram.png": pictures["png"],
        "data-dictionary.html": render_html(targets).encode("utf-8"),
        "data-dictionary.md": render_markdown(targets).encode("utf-8"),
        "context.jsonld": (ontology_dir() / "context.jsonld").read_bytes(),
    }
    return files


def write_docs(output: Path) -> list[Path]:
    """Generate the documentation of the shipped ontology and shapes into ``output``: every file is
    made first and then written atomically, so a failure leaves the previous docs untouched."""
    files = render_docs(load_ontology(), load_shapes())
    return write_atomically((output / name, files[name]) for name in FILES)
