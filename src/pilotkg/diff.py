"""``pilotkg diff OLD [NEW]``: what changed between two built datasets (or a dataset and the
current build): the facts added, removed and changed, grouped by named graph and entity, and the
requirement assessments that changed (gaps closed or opened, contradictions), with the quotes
behind the new outcome.

Statements are compared per named graph and subject; a blank node (a quote's selector) is
compared by what it says, so the same data parsed twice shows no change. The build's own
description (``graph/meta``), the RDFS closure and the validation report are left out of the
facts (they follow from the rest); the assessments are read from the validation graph, or
computed when a dataset has none.

>>> outcome_word(EARL.cantTell, requirement=True)
'not evidenced'
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH
from rdflib.term import Node

from .build import CLOSURE_GRAPH, META_GRAPH
from .compliance import EARL, VALIDATION_GRAPH
from .namespaces import OA, PK, bind_prefixes

LEFT_OUT = {META_GRAPH, CLOSURE_GRAPH, VALIDATION_GRAPH}
REQUIREMENT_WORDS = {EARL.passed: "evidenced", EARL.cantTell: "not evidenced", EARL.failed: "contradicted",
                     EARL.inapplicable: "not applicable"}
CHECK_WORDS = {EARL.passed: "agrees", EARL.cantTell: "cannot tell", EARL.failed: "contradicts", EARL.inapplicable: "no element"}
FORMATS = ("text", "md", "json")

Facts = dict[URIRef, dict[str, dict[str, set[str]]]]


def outcome_word(outcome: Node | None, *, requirement: bool) -> str:
    if outcome is None:
        return "absent"
    return (REQUIREMENT_WORDS if requirement else CHECK_WORDS).get(outcome, str(outcome))  # type: ignore[call-overload]


@dataclass
class FactChange:
    predicate: str
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


@dataclass
class EntityChange:
    graph: str
    entity: str
    label: str
    #: added (the graph did not speak of it), removed (it no longer does), or changed.
    status: str
    #: Whether the whole dataset did not know the entity before (or no longer knows it).
    new_to_dataset: bool
    facts: list[FactChange] = field(default_factory=list)


@dataclass
class AssessmentChange:
    designation: str
    city_label: str
    test: str
    label: str
    #: requirement or cross-check
    kind: str
    before: str
    after: str
    change: str
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DatasetDiff:
    graphs_added: list[str] = field(default_factory=list)
    graphs_removed: list[str] = field(default_factory=list)
    entities: list[EntityChange] = field(default_factory=list)
    assessments: list[AssessmentChange] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        facts = [f for e in self.entities for f in e.facts]
        return {"graphs_added": len(self.graphs_added), "graphs_removed": len(self.graphs_removed),
                "entities": len(self.entities), "statements_added": sum(len(f.added) for f in facts),
                "statements_removed": sum(len(f.removed) for f in facts),
                "requirement_changes": sum(1 for a in self.assessments if a.kind == "requirement"),
                "crosscheck_changes": sum(1 for a in self.assessments if a.kind == "cross-check")}

    def closed_gaps(self) -> list[AssessmentChange]:
        return [a for a in self.assessments if a.change == "gap closed"]


class _Terms:
    """Terms as text: IRIs compacted with pilotkg's prefixes, blank nodes by what they say."""

    def __init__(self) -> None:
        self.names = bind_prefixes(Graph()).namespace_manager

    def text(self, graph: Graph, term: Node, seen: frozenset = frozenset()) -> str:
        if isinstance(term, URIRef):
            try:
                return self.names.normalizeUri(term)
            except Exception:  # rdflib refuses some IRIs as names
                return f"<{term}>"
        if isinstance(term, Literal):
            return _canonical(term).n3(self.names)
        if isinstance(term, BNode):
            if term in seen:
                return "[...]"
            inner = sorted(f"{self.text(graph, p, seen)} {self.text(graph, o, seen | {term})}"
                           for p, o in graph.predicate_objects(term))
            return "[ " + " ; ".join(inner) + " ]"
        return str(term)


def _canonical(term: Literal) -> Literal:
    """A literal by its value where serialisations differ in lexical form ("33.0" and "33" as
    xsd:decimal, "1"^^xsd:boolean and "true"), so that TriG and N-Quads compare equal."""
    value = term.value if term.datatype is not None else None
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, Decimal):
        return Literal(format(value.normalize(), "f"), datatype=term.datatype)
    if isinstance(value, int):
        return Literal(str(value), datatype=term.datatype)
    return term


def _facts(dataset: Dataset, terms: _Terms) -> Facts:
    found: Facts = {}
    for graph in dataset.graphs():
        name = graph.identifier
        if not isinstance(name, URIRef) or name in LEFT_OUT or not len(graph):
            continue
        by_subject: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        objects = set(graph.objects())
        for s, p, o in graph:
            if isinstance(s, BNode) and s in objects:
                continue  # described where it is used
            by_subject[terms.text(graph, s)][terms.text(graph, p)].add(terms.text(graph, o))
        found[name] = by_subject
    return found


def _label(datasets: tuple[Dataset, ...], text: str, terms: _Terms) -> str:
    node = _expand(text, terms)
    if node is None:
        return text
    for dataset in datasets:
        for prop in (RDFS.label, DCTERMS.title):
            values = sorted(dataset.objects(node, prop), key=lambda v: (getattr(v, "language", None) != "en", str(v)))
            if values:
                return str(values[0])
    return text


def _expand(text: str, terms: _Terms) -> URIRef | None:
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if ":" in text and not text.startswith(("[", '"')):
        try:
            return terms.names.expand_curie(text)
        except ValueError:
            return None
    return None


def _assessments(dataset: Dataset) -> dict[tuple[URIRef, URIRef], tuple[URIRef | None, list[URIRef]]]:
    graph = dataset.graph(VALIDATION_GRAPH)
    if not len(graph):
        from .compliance import assess, earl_graph
        from .validate import validate

        graph = earl_graph(assess(dataset, validate(dataset)))
    found = {}
    for assertion in graph.subjects(RDF.type, EARL.Assertion):
        subject, test = graph.value(assertion, EARL.subject), graph.value(assertion, EARL.test)
        result = graph.value(assertion, EARL.result)
        outcome = graph.value(result, EARL.outcome) if result is not None else None
        evidence = sorted(e for e in graph.objects(result, PK.evidence) if isinstance(e, URIRef)) if result is not None else []
        if isinstance(subject, URIRef) and isinstance(test, URIRef):
            found[(subject, test)] = (outcome if isinstance(outcome, URIRef) else None, evidence)
    return found


def _quote(dataset: Dataset, quote: URIRef) -> dict[str, Any]:
    exact = next((dataset.value(s, OA.exact) for s in dataset.objects(quote, OA.hasSelector)
                  if dataset.value(s, OA.exact) is not None), None)
    source = dataset.value(quote, OA.hasSource)
    title = dataset.value(source, DCTERMS.title) if source is not None else None
    return {"node": str(quote), "quote": str(exact or ""), "source": str(source or ""), "source_title": str(title or source or ""),
            "verified": (quote, PK.verified, Literal(False)) not in dataset}


def _change(before: str, after: str, requirement: bool) -> str:
    if not requirement:
        return f"{before} \u2192 {after}"
    if after == "evidenced" and before in ("not evidenced", "absent"):
        return "gap closed"
    if after == "not evidenced" and before == "evidenced":
        return "gap opened"
    if after == "contradicted":
        return "contradicted"
    if before == "contradicted":
        return "contradiction resolved"
    return f"{before} \u2192 {after}"


def diff(old: Dataset, new: Dataset) -> DatasetDiff:
    """The differences from ``old`` to ``new``."""
    terms = _Terms()
    before, after = _facts(old, terms), _facts(new, terms)
    result = DatasetDiff(sorted(str(g) for g in set(after) - set(before)), sorted(str(g) for g in set(before) - set(after)))
    subjects_before = {s for g in before.values() for s in g}
    subjects_after = {s for g in after.values() for s in g}
    for name in sorted(set(before) | set(after), key=str):
        old_graph, new_graph = before.get(name, {}), after.get(name, {})
        for subject in sorted(set(old_graph) | set(new_graph)):
            was, now = old_graph.get(subject, {}), new_graph.get(subject, {})
            changes = []
            for predicate in sorted(set(was) | set(now)):
                removed, added = sorted(was.get(predicate, set()) - now.get(predicate, set())), sorted(
                    now.get(predicate, set()) - was.get(predicate, set()))
                if removed or added:
                    changes.append(FactChange(predicate, removed, added))
            if not changes:
                continue
            status = "added" if not was else "removed" if not now else "changed"
            new_to_dataset = (status == "added" and subject not in subjects_before) or (
                status == "removed" and subject not in subjects_after)
            result.entities.append(EntityChange(str(name), subject, _label((new, old), subject, terms), status, new_to_dataset,
                                                changes))
    old_assessments, new_assessments = _assessments(old), _assessments(new)
    for key in sorted(set(old_assessments) | set(new_assessments)):
        (was_outcome, _), (now_outcome, evidence) = old_assessments.get(key, (None, [])), new_assessments.get(key, (None, []))
        if was_outcome == now_outcome:
            continue
        designation, test = key
        requirement = (test, RDF.type, PK.Requirement) in new or (test, RDF.type, PK.Requirement) in old
        was_word, now_word = outcome_word(was_outcome, requirement=requirement), outcome_word(now_outcome, requirement=requirement)
        place = new.value(designation, PK.designatedPlace) or old.value(designation, PK.designatedPlace)
        city = _label((new, old), terms.text(new, place), terms) if place is not None else str(designation)
        label = next((str(v) for d in (new, old) for v in (d.value(test, RDFS.label), d.value(test, SH.name)) if v is not None),
                     str(test))
        result.assessments.append(AssessmentChange(
            str(designation), city, str(test), label, "requirement" if requirement else "cross-check", was_word, now_word,
            _change(was_word, now_word, requirement), [_quote(new, q) for q in evidence] if requirement else []))
    return result


def render(found: DatasetDiff, fmt: str = "text", *, old: str = "OLD", new: str = "NEW") -> str:
    """The diff as ``text``, ``md`` (Markdown) or ``json``."""
    if fmt == "json":
        return json.dumps({"old": old, "new": new, "counts": found.counts(), "graphs_added": found.graphs_added,
                           "graphs_removed": found.graphs_removed,
                           "assessments": [asdict(a) for a in found.assessments],
                           "entities": [asdict(e) for e in found.entities]}, indent=2, ensure_ascii=False) + "\n"
    md = fmt == "md"

    def esc(text: str) -> str:
        if not md:
            return text
        out = text.replace("\\", "\\\\").replace("|", "\\|")
        for ch in "*_`[]<>#":
            out = out.replace(ch, "\\" + ch)
        return out

    counts = found.counts()
    out = [f"# pilotkg diff: {esc(old)} \u2192 {esc(new)}" if md else f"pilotkg diff: {old} -> {new}", ""]
    out.append(f"{counts['statements_added']} statement(s) added, {counts['statements_removed']} removed, about "
               f"{counts['entities']} entity(ies); {counts['requirement_changes']} requirement assessment(s) and "
               f"{counts['crosscheck_changes']} cross-check(s) changed.")
    for title, graphs in (("Named graphs added", found.graphs_added), ("Named graphs removed", found.graphs_removed)):
        if graphs:
            out += ["", f"## {title}" if md else f"{title}:"] + [f"- {esc(g)}" if md else f"  {g}" for g in graphs]
    for kind, title in (("requirement", "Requirement assessments that changed"), ("cross-check", "Cross-checks that changed")):
        changed = [a for a in found.assessments if a.kind == kind]
        out += ["", f"## {title}" if md else f"{title}:"]
        if not changed:
            out.append("none" if md else "  none")
        for a in changed:
            line = f"{a.city_label} / {a.label}: {a.before} \u2192 {a.after}" + (f" ({a.change})" if a.kind == "requirement" else "")
            out.append(f"- **{esc(line)}**" if md else f"  {line}")
            for e in a.evidence:
                mark = "" if e["verified"] else " [unverified quote]"
                quote = f"\u201c{e['quote']}\u201d \u2014 {e['source_title']}{mark}"
                out.append(f"  > {esc(quote)}" if md else f"      {quote}")
    out += ["", "## Facts, by named graph and entity" if md else "Facts, by named graph and entity:"]
    graph = None
    for entity in found.entities:
        if entity.graph != graph:
            graph = entity.graph
            out += ["", f"### {esc(graph)}"] if md else [f"  {graph}"]
        sign = {"added": "+", "removed": "-", "changed": "~"}[entity.status]
        note = " (new to the dataset)" if entity.new_to_dataset and entity.status == "added" else (
            " (gone from the dataset)" if entity.new_to_dataset else "")
        head = f"{sign} {entity.entity}" + (f" \u201c{entity.label}\u201d" if entity.label != entity.entity else "") + note
        out.append(f"- {esc(head)}" if md else f"    {head}")
        for fact in entity.facts:
            for sign, values in (("-", fact.removed), ("+", fact.added)):
                for value in values:
                    out.append(f"  - {sign} {esc(fact.predicate)} {esc(value)}" if md else f"        {sign} {fact.predicate} {value}")
    if not found.entities:
        out.append("none" if md else "  none")
    return "\n".join(out) + "\n"


def load(location: str, *, data: Any = None) -> Dataset:
    """A dataset to compare: a built file (.trig, .nq), or ``None`` for the current build."""
    from pathlib import Path

    if location is None:
        from .build import assemble

        return assemble(Path(data) if data else None).dataset
    from .rdfio import load_dataset

    return load_dataset(Path(location))
