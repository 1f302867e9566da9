"""The reference identifiers (``data/reference/*.csv``) as RDF: places with GB/T 2260 codes and
Chinese names, industries with Chinese names, and their GB/T 4754-2017 close and related matches.

These are identifiers and mappings, not claims of a source article; they go to their own named
graph. Empty cells stay unknown.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from .errors import InputError
from .iri import mint
from .namespaces import PK, WD, bind_prefixes

PLACE_CLASSES: dict[str, URIRef] = {
    "province": PK.Province,
    "prefecture-level city": PK.PrefectureLevelCity,
    "autonomous prefecture": PK.AutonomousPrefecture,
    "municipality": PK.Municipality,
}
MATCHES: dict[str, URIRef] = {"close": SKOS.closeMatch, "related": SKOS.relatedMatch}
ADMIN_CODE = re.compile(r"^\d{6}$")
INDUSTRY_CODE = re.compile(r"^\d{2,4}$")
WIKIDATA = re.compile(r"^Q\d+$")

INDUSTRY_SCHEME = mint("industry", "scheme")
GBT4754 = mint("classification", "gbt4754-2017")


def _rows(path: Path, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"missing column(s) {', '.join(missing)}", file=path, line=1,
                                 hint=f"the header must name: {', '.join(columns)}")
            return [(reader.line_num, {k: (v or "").strip() for k, v in row.items()}) for row in reader]
    except OSError as exc:
        raise InputError(f"cannot read reference table: {exc.strerror}", file=path) from exc


def _source_node(graph: Graph, path: Path) -> URIRef:
    node = mint("reference", path.stem)
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, RDFS.label, Literal(f"reference identifiers: {path.name}", lang="en")))
    graph.add((node, DCTERMS.description, Literal(
        "Identifiers for linking entities to public schemes; not claims of a source article.", lang="en")))
    return node


def places_graph(path: Path, graph: Graph) -> None:
    origin = _source_node(graph, path)
    for line, row in _rows(path, ["name_en", "name_zh", "level", "admin_code_gbt2260", "parent_admin_code", "wikidata"]):
        code = row["admin_code_gbt2260"]
        if not ADMIN_CODE.match(code):
            raise InputError(f"admin code {code!r} is not six digits", file=path, line=line,
                             hint="give the GB/T 2260 code, for example 510100")
        cls = PLACE_CLASSES.get(row["level"])
        if cls is None:
            raise InputError(f"unknown level {row['level']!r}", file=path, line=line,
                             hint=f"use one of: {', '.join(PLACE_CLASSES)}")
        place = mint("place", code)
        graph.add((place, RDF.type, cls))
        graph.add((place, PK.adminCode, Literal(code)))
        graph.add((place, RDFS.label, Literal(row["name_en"], lang="en")))
        if row["name_zh"]:
            graph.add((place, RDFS.label, Literal(row["name_zh"], lang="zh")))
        parent = row["parent_admin_code"]
        if parent:
            if not ADMIN_CODE.match(parent):
                raise InputError(f"parent admin code {parent!r} is not six digits", file=path, line=line)
            graph.add((place, PK.withinPlace, mint("place", parent)))
        if row["wikidata"]:
            if not WIKIDATA.match(row["wikidata"]):
                raise InputError(f"wikidata item {row['wikidata']!r} is not a Q-number", file=path, line=line)
            graph.add((place, SKOS.exactMatch, WD[row["wikidata"]]))
        graph.add((place, PROV.wasDerivedFrom, origin))


def industries_graph(path: Path, graph: Graph) -> None:
    origin = _source_node(graph, path)
    graph.add((INDUSTRY_SCHEME, RDF.type, SKOS.ConceptScheme))
    graph.add((INDUSTRY_SCHEME, RDFS.label, Literal("industries named in the sources", lang="en")))
    graph.add((GBT4754, RDF.type, SKOS.ConceptScheme))
    graph.add((GBT4754, RDFS.label, Literal("GB/T 4754-2017", lang="en")))
    graph.add((GBT4754, SKOS.notation, Literal("GB/T 4754-2017")))
    for line, row in _rows(path, ["industry_en", "industry_zh", "scheme", "code", "code_name_zh", "match"]):
        if row["scheme"] != "GB/T 4754-2017":
            raise InputError(f"unknown scheme {row['scheme']!r}", file=path, line=line,
                             hint="only GB/T 4754-2017 codes are supported")
        if not INDUSTRY_CODE.match(row["code"]):
            raise InputError(f"industry code {row['code']!r} is not 2 to 4 digits", file=path, line=line)
        match = MATCHES.get(row["match"])
        if match is None:
            raise InputError(f"match {row['match']!r} is neither close nor related", file=path, line=line,
                             hint="reference codes are never exact matches: use close or related")
        industry = mint("industry", row["industry_en"])
        graph.add((industry, RDF.type, PK.Industry))
        graph.add((industry, SKOS.inScheme, INDUSTRY_SCHEME))
        graph.add((industry, RDFS.label, Literal(row["industry_en"], lang="en")))
        graph.add((industry, SKOS.prefLabel, Literal(row["industry_en"], lang="en")))
        if row["industry_zh"]:
            graph.add((industry, RDFS.label, Literal(row["industry_zh"], lang="zh")))
            graph.add((industry, SKOS.prefLabel, Literal(row["industry_zh"], lang="zh")))
        graph.add((industry, PROV.wasDerivedFrom, origin))
        code = mint("classification", "gbt4754-2017", row["code"])
        graph.add((code, RDF.type, PK.IndustryClassification))
        graph.add((code, SKOS.inScheme, GBT4754))
        graph.add((code, SKOS.notation, Literal(row["code"])))
        if row["code_name_zh"]:
            graph.add((code, SKOS.prefLabel, Literal(row["code_name_zh"], lang="zh")))
            graph.add((code, RDFS.label, Literal(row["code_name_zh"], lang="zh")))
        graph.add((industry, match, code))


def reference_graph(folder: Path) -> Graph:
    """Read ``places.csv`` and ``industry-codes.csv`` from ``folder`` into one graph."""
    graph = bind_prefixes(Graph())
    for name, reader in (("places.csv", places_graph), ("industry-codes.csv", industries_graph)):
        path = folder / name
        if not path.is_file():
            raise InputError("reference table is missing", file=path,
                             hint="copy it from shared/reference into data/reference")
        reader(path, graph)
    return graph
