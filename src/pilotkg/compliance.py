"""Compliance of the pilot cities with the six-requirement rule, as an analyst reads it.

Combines the SHACL results (what is contradicted, what is a gap) with the evidence the source
graphs give (``queries/report-evidence.rq``), the cross-checks with what cannot be told
(``report-crosschecks.rq``) and what is known of the industry pilots
(``report-industry-pilots.rq``). Only source facts count as evidence: never the requirement
itself, never an inference. The result is also expressed in RDF: one EARL assertion per pilot
and requirement (and per pilot and cross-check), with the evidence linked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from rdflib.query import ResultRow
from rdflib.term import Node

from . import __version__, querylib
from .iri import mint
from .namespaces import OA, PK, bind_prefixes
from .validate import Validation, shape_requirement

if TYPE_CHECKING:
    from .store import OxigraphStore

    #: What the assessment reads: the dataset in memory, or the embedded store in place.
    Readable = Dataset | OxigraphStore

EARL = Namespace("http://www.w3.org/ns/earl#")
VALIDATION_GRAPH = mint("graph", "validation")
ASSERTOR = mint("agent", "pilotkg-validator")

EVIDENCED, GAP, CONTRADICTED = "evidenced", "not evidenced", "contradicted"
OUTCOMES = {EVIDENCED: EARL.passed, GAP: EARL.cantTell, CONTRADICTED: EARL.failed}
CHECK_OUTCOMES = {"agrees": EARL.passed, "contradicts": EARL.failed, "cannot tell": EARL.cantTell,
                  "no element": EARL.inapplicable}


@dataclass
class Evidence:
    quote: str
    source: str
    source_title: str
    node: str = ""
    #: False for a quote entered from a spreadsheet whose document's text is not registered, so
    #: that its words could not be checked (``pk:verified false``); reports mark it.
    verified: bool = True


@dataclass
class Element:
    node: str
    label: str
    status: str
    source_role: str | None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Cell:
    requirement: str
    order: int
    label: str
    state: str = GAP
    elements: list[Element] = field(default_factory=list)
    contrary: list[Evidence] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


@dataclass
class PilotRow:
    designation: str
    city: str
    city_label: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class CrossCheck:
    designation: str
    city_label: str
    check: str
    name: str
    element_label: str
    outcome: str
    known: str
    inferred: str
    message: str = ""


@dataclass
class Gap:
    designation: str
    city_label: str
    requirement: str
    requirement_label: str
    closes_with: str
    element_class: str


@dataclass
class IndustryPilot:
    designation: str
    city_label: str
    industry_label: str
    industry_label_zh: str
    figures: list[dict[str, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


@dataclass
class Compliance:
    rows: list[PilotRow]
    crosschecks: list[CrossCheck]
    gaps: list[Gap]
    industry_pilots: list[IndustryPilot]
    validation: Validation

    def cell(self, city_label: str, requirement_order: int) -> Cell:
        row = next(r for r in self.rows if r.city_label == city_label)
        return next(c for c in row.cells if c.order == requirement_order)


def _rows(graph: querylib.Queryable, name: str, **params: str) -> list[dict[str, str]]:
    result = cast(Iterable[ResultRow], querylib.run(graph, querylib.get(name), params))
    return [{k: str(v) for k, v in row.asdict().items()} for row in result]


def _quotes_of(dataset: Readable, node: Node) -> list[Evidence]:
    found = []
    for quote in dataset.objects(node, PK.quote):
        for selector in dataset.objects(quote, OA.hasSelector):
            exact = dataset.value(selector, OA.exact)
            if exact is not None:
                source = dataset.value(quote, OA.hasSource)
                title = dataset.value(source, DCTERMS.title) if source is not None else None
                found.append(Evidence(str(exact), str(source), str(title or source), str(quote), _verified(dataset, quote)))
    return found


def _verified(dataset: Readable, quote: Node) -> bool:
    """Whether a quote's words were checked against its source's stored text (all but the
    spreadsheet quotes of unregistered documents)."""
    return (quote, PK.verified, Literal(False)) not in dataset


def assess(dataset: Readable, validation: Validation) -> Compliance:
    """The compliance matrix, cross-checks, gaps and industry pilots of ``dataset``."""
    shapes = validation.shapes
    rows: dict[str, PilotRow] = {}
    for r in _rows(dataset, "report-evidence"):
        row = rows.setdefault(r["designation"], PilotRow(r["designation"], r["city"], r["cityLabel"]))
        cell = next((c for c in row.cells if c.requirement == r["requirement"]), None)
        if cell is None:
            cell = Cell(r["requirement"], int(float(r["order"])), r["requirementLabel"])
            row.cells.append(cell)
        if r.get("element"):
            element = next((e for e in cell.elements if e.node == r["element"]), None)
            if element is None:
                element = Element(r["element"], r.get("elementLabel", r["element"]), r["status"], r.get("sourceRole"))
                cell.elements.append(element)
            evidence = Evidence(r["quote"], r["source"], r.get("sourceTitle", r["source"]), r["quoteNode"],
                                _verified(dataset, URIRef(r["quoteNode"])))
            if evidence not in element.evidence:
                element.evidence.append(evidence)
            cell.state = EVIDENCED
    # contradictions come from the shapes' violations on the designation
    for result in validation.results:
        if result.severity != "violation" or str(result.focus) not in rows:
            continue
        requirement = shape_requirement(shapes, result.source_shape)
        if requirement is None and isinstance(result.value, URIRef) and (result.value, RDF.type, PK.Requirement) in dataset:
            requirement = result.value
        row = rows[str(result.focus)]
        for cell in row.cells:
            if requirement is not None and cell.requirement == str(requirement):
                cell.state = CONTRADICTED
                cell.messages.append(result.message)
                for element in cell.elements:
                    for evidence in _quotes_of(dataset, URIRef(element.node)):
                        if evidence not in cell.contrary and evidence not in element.evidence:
                            cell.contrary.append(evidence)
                for statement in dataset.subjects(PK.about, URIRef(row.designation)):
                    if (statement, PK.deniesRequirement, requirement) in dataset:
                        cell.contrary.extend(e for e in _quotes_of(dataset, statement) if e not in cell.contrary)
    for row in rows.values():
        row.cells.sort(key=lambda c: c.order)

    crosschecks = _crosschecks(dataset, validation, rows)

    gaps = []
    for row in rows.values():
        for cell in row.cells:
            if cell.state == GAP:
                required = dataset.value(URIRef(cell.requirement), PK.requiredClass)
                cls = dataset.value(required, RDFS.label) if required is not None else None
                gaps.append(Gap(row.designation, row.city_label, cell.requirement, cell.label,
                                f"pk:hasElement of <{row.designation}>: a pk:DesignatedElement with "
                                f"pk:forRequirement <{cell.requirement}>, pk:element, pk:elementStatus and pk:quote",
                                str(cls or required or "")))

    pilots: dict[str, IndustryPilot] = {}
    for r in _rows(dataset, "report-industry-pilots"):
        pilot = pilots.setdefault(r["designation"], IndustryPilot(r["designation"], r["cityLabel"], r["industryLabel"],
                                                                   r.get("industryLabelZh", "")))
        if r.get("measureLabel"):
            figure = {k: r.get(k, "") for k in ("measureLabel", "value", "lexicalForm", "unit", "multiplier",
                                                 "qualifierLabel", "statusLabel", "year", "period", "quote")}
            if figure not in pilot.figures:
                pilot.figures.append(figure)
    for pilot in pilots.values():
        statuses = {f["statusLabel"] for f in pilot.figures}
        for status, text in (("actual", "actual figures (revenue, output value, growth)"),
                             ("expected", "expected figures"), ("target", "targets for the end of the pilot")):
            if status not in statuses:
                pilot.unknown.append(f"no {text} in the sources")

    ordered = sorted(rows.values(), key=lambda r: r.city)
    return Compliance(ordered, crosschecks, sorted(gaps, key=lambda g: (g.city_label, g.requirement)),
                      sorted(pilots.values(), key=lambda p: p.city_label), validation)


#: The cross-checks: shape, the requirement whose element it checks, and the fact it needs.
CROSS_CHECKS = (
    ("park-elsewhere", "park", PK.locatedIn),
    ("enterprise-other-industry", "chain-leader-enterprise", PK.industry),
    ("chief-other-government", "chain-chief", PK.holdsPost),
    ("conference-elsewhere", "world-brand-conference", PK.hostPlace),
)
SHAPES_NS = "https://w3id.org/pilotkg/shapes#"


def _crosschecks(dataset: Readable, validation: Validation, rows: dict[str, PilotRow]) -> list[CrossCheck]:
    """Each cross-check per pilot: agrees or contradicts when the source facts it needs are known
    (the shape decides), cannot tell when one is unknown, no element when there is nothing to check.
    An inference about the needed fact is reported beside, as such, never as the answer."""
    violations = {(str(r.focus), str(r.source_shape)): r.message for r in validation.results if r.severity == "violation"}
    facts = _rows(dataset, "report-element-facts")
    checks = []
    for row in rows.values():
        for key, requirement_key, needed in CROSS_CHECKS:
            shape = SHAPES_NS + key
            requirement = str(mint("requirement", requirement_key))
            mine = [f for f in facts if f["designation"] == row.designation and f["requirement"] == requirement]
            known = sorted({f.get("valueLabel") or f["value"] for f in mine
                            if f.get("property") == str(needed) and "/graph/source/" in f.get("graph", "")})
            inferred = sorted({f.get("valueLabel") or f["value"] for f in mine
                               if f.get("property") == str(needed) and "/graph/inferred/" in f.get("graph", "")})
            message = violations.get((row.designation, shape), "")
            if not mine:
                outcome = "no element"
            elif message:
                outcome = "contradicts"
            elif known:
                outcome = "agrees"
            else:
                outcome = "cannot tell"
            name = validation.shapes.value(URIRef(shape), URIRef("http://www.w3.org/ns/shacl#name"))
            labels = sorted({f.get("elementLabel") or f["element"] for f in mine})
            checks.append(CrossCheck(row.designation, row.city_label, shape, str(name or key), "; ".join(labels),
                                     outcome, "; ".join(known), "; ".join(inferred), message))
    return sorted(checks, key=lambda c: (c.city_label, c.check))


def earl_graph(compliance: Compliance) -> Graph:
    """The ``sh:ValidationReport`` and one EARL assertion per pilot and requirement, and per pilot
    and cross-check, with the evidence linked: the graph ``graph/validation`` of the dataset."""
    graph = bind_prefixes(Graph())
    graph.bind("earl", EARL)
    for triple in compliance.validation.report:
        graph.add(triple)
    graph.add((ASSERTOR, RDF.type, EARL.Assertor))
    graph.add((ASSERTOR, RDF.type, PROV.SoftwareAgent))
    engine = _ENGINES.get(compliance.validation.engine, compliance.validation.engine)
    graph.add((ASSERTOR, RDFS.label, Literal(f"pilotkg {__version__} validator ({engine})", lang="en")))
    for row in compliance.rows:
        key = row.designation.rsplit("/", 1)[-1]
        for cell in row.cells:
            req_key = cell.requirement.rsplit("/", 1)[-1]
            _assertion(graph, mint("assessment", key, req_key), row.designation, cell.requirement, OUTCOMES[cell.state],
                       _cell_info(cell), [e for el in cell.elements for e in el.evidence], cell.contrary)
            graph.add((URIRef(cell.requirement), RDF.type, EARL.TestRequirement))
    for check in compliance.crosschecks:
        key = check.designation.rsplit("/", 1)[-1]
        check_key = check.check.rsplit("#", 1)[-1]
        info = f"{check.name}: {check.outcome}" + (f" ({check.known})" if check.known else "")
        _assertion(graph, mint("assessment", key, check_key), check.designation, check.check,
                   CHECK_OUTCOMES[check.outcome], info, [], [])
    return graph


def _cell_info(cell: Cell) -> str:
    if cell.state == EVIDENCED:
        return "; ".join(f"{e.label} ({e.status})" for e in cell.elements)
    if cell.state == CONTRADICTED:
        return " ".join(cell.messages)
    return "Not evidenced in the sources."


def _assertion(graph: Graph, node: URIRef, subject: str, test: str, outcome: URIRef, info: str,
               evidence: list[Evidence], contrary: list[Evidence]) -> None:
    result = URIRef(str(node) + "/result")
    graph.add((node, RDF.type, EARL.Assertion))
    graph.add((node, EARL.assertedBy, ASSERTOR))
    graph.add((node, EARL.subject, URIRef(subject)))
    graph.add((node, EARL.test, URIRef(test)))
    graph.add((node, EARL.mode, EARL.automatic))
    graph.add((node, EARL.result, result))
    graph.add((result, RDF.type, EARL.TestResult))
    graph.add((result, EARL.outcome, outcome))
    graph.add((result, EARL.info, Literal(info, lang="en")))
    for item in evidence:
        if item.node:
            graph.add((result, PK.evidence, URIRef(item.node)))
    for item in contrary:
        if item.node:
            graph.add((result, PK.contraryEvidence, URIRef(item.node)))


_ENGINES = {"pyshacl": "pySHACL", "fast": "pilotkg fast SHACL engine"}


def as_json(compliance: Compliance) -> dict[str, Any]:
    """The documented JSON of the report (README, 'The validation report as JSON')."""
    v = compliance.validation
    return {
        "conforms": v.conforms,
        "engine": v.engine,
        "counts": {s: v.count(s) for s in ("violation", "warning", "info")},
        "matrix": [{
            "designation": row.designation, "city": row.city, "city_label": row.city_label,
            "cells": [{
                "requirement": c.requirement, "order": c.order, "label": c.label, "state": c.state,
                "elements": [{"node": e.node, "label": e.label, "status": e.status, "source_role": e.source_role,
                              "evidence": [vars(x) for x in e.evidence]} for e in c.elements],
                "contrary": [vars(x) for x in c.contrary], "messages": c.messages,
            } for c in row.cells],
        } for row in compliance.rows],
        "crosschecks": [vars(c) for c in compliance.crosschecks],
        "gaps": [vars(g) for g in compliance.gaps],
        "industry_pilots": [vars(p) for p in compliance.industry_pilots],
        "results": [{"severity": r.severity, "focus": str(r.focus), "message": r.message,
                     "source_shape": str(r.source_shape), "component": str(r.component),
                     "path": str(r.path) if r.path is not None else None,
                     "value": str(r.value) if r.value is not None else None} for r in v.results],
    }
