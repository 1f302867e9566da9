"""The data dictionary: what the SHACL shapes ask of the data, class by class, for people who
do not read SHACL. For each target of the shapes (``sh:targetClass``, and ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``, ``sh:targetNode`` where present) it lists the properties the shapes
constrain (path, required or optional, cardinality, datatype, class, node kind, allowed values,
pattern), their severity, and the shape's name, description and message; then the node-level
checks (SPARQL constraints, ``sh:or``, ``sh:not``, ...), described by their names and messages.

:func:`read_dictionary` turns any shapes graph into plain data (it walks the graph with rdflib;
the graph is not changed); :func:`render_markdown` and :func:`render_html` write it out. Every
text from the graph is escaped for the format it lands in.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from . import __version__

SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
SEVERITY_RANK = {"violation": 0, "warning": 1, "info": 2}
#: The kinds of target, in the order the dictionary lists them, with how to say what they select.
TARGETS = {
    SH.targetClass: ("class", "every instance of {} (and of its subclasses, where the data states them)"),
    SH.targetSubjectsOf: ("subjects-of", "every node that has a {} value"),
    SH.targetObjectsOf: ("objects-of", "every value of {}"),
    SH.targetNode: ("node", "the node {} itself"),
}
NODE_KINDS = {SH.IRI: "an IRI", SH.Literal: "a literal", SH.BlankNode: "a blank node", SH.BlankNodeOrIRI: "an IRI or a blank node",
              SH.BlankNodeOrLiteral: "a blank node or a literal", SH.IRIOrLiteral: "an IRI or a literal"}
COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
PAIRS = {SH.equals: "equal to the values of", SH.disjoint: "none of the values of", SH.lessThan: "less than every value of",
         SH.lessThanOrEquals: "at most every value of"}
LOGICAL = {SH["or"]: "any of", SH["and"]: "all of", SH.xone: "exactly one of"}
PATH_OPERATORS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}
_SLUG = re.compile(r"[^A-Za-z0-9]+")
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$|^$")


@dataclass(frozen=True)
class Rule:
    """One row of the dictionary: a constraint on a property (``path`` set) or a check of the
    node as a whole (``path`` is None)."""

    shape: str
    name: str
    description: str
    message: str
    severity: str
    path: str | None = None
    required: str = ""
    cardinality: str = ""
    values: str = ""
    deactivated: bool = False

    def sort_key(self) -> tuple:
        return (self.path or "", SEVERITY_RANK.get(self.severity, 9), self.shape, self.values)


@dataclass
class Target:
    """What the shapes ask of one target: a class, or the subjects or objects of a property, or one node."""

    kind: str
    term: str
    anchor: str = ""
    label: str = ""
    definition: str = ""
    properties: list[Rule] = field(default_factory=list)
    checks: list[Rule] = field(default_factory=list)
    #: the targets of superclasses, whose rules apply here too: (heading, anchor)
    inherits: list[tuple[str, str]] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return {"class": "{}", "subjects-of": "Subjects of {}", "objects-of": "Values of {}", "node": "The node {}"}[
            self.kind].format(self.term)

    @property
    def selects(self) -> str:
        return next(text for kind, text in TARGETS.values() if kind == self.kind).format(self.term)


class _Names:
    """Short names (``pk:hasQuote``) with the graph's own prefixes; the graph is not changed
    (rdflib's ``qname`` would bind new prefixes on it)."""

    def __init__(self, graph: Graph) -> None:
        bound = [(str(ns), prefix) for prefix, ns in graph.namespaces()]
        self.namespaces = sorted(bound, key=lambda item: (-len(item[0]), item[1]))

    def __call__(self, term: Node) -> str:
        if isinstance(term, URIRef):
            for ns, prefix in self.namespaces:
                if ns and str(term).startswith(ns) and _LOCAL.match(str(term)[len(ns):]):
                    return f"{prefix}:{str(term)[len(ns):]}"
            return f"<{term}>"
        if isinstance(term, Literal):
            if term.language:
                return f'"{term}"@{term.language}'
            if term.datatype is None or str(term.datatype).endswith("#string"):
                return f'"{term}"'
            return str(term)
        return "(a blank node)"


def _text(graph: Graph, node: Node, prop: URIRef) -> str:
    """An English value of ``prop``, else one without a language, else any; the same each time."""
    values = [v for v in graph.objects(node, prop) if isinstance(v, Literal)]
    for wanted in ("en", None):
        chosen = sorted(str(v) for v in values if v.language == wanted)
        if chosen:
            return chosen[0]
    return sorted(str(v) for v in values)[0] if values else ""


def _values(graph: Graph, node: Node, prop: URIRef) -> list[Node]:
    """The values of ``prop`` on ``node``, in a fixed order."""
    return sorted(graph.objects(node, prop), key=lambda v: (type(v).__name__, str(v)))


def _list(graph: Graph, head: Node) -> list[Node]:
    return list(Collection(graph, head)) if isinstance(head, BNode | URIRef) else []


def render_path(graph: Graph, path: Node, names: _Names | None = None) -> str:
    """A SHACL path in the notation of SPARQL property paths: ``a / b`` (sequence), ``^p``
    (inverse), ``(a | b)`` (alternatives), ``p*``, ``p+``, ``p?``.

    >>> g = Graph().parse(format="turtle", data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     @prefix oa: <http://www.w3.org/ns/oa#> .
    ...     [] sh:path ( oa:hasSelector [ sh:inversePath oa:exact ] ) .''')
    >>> render_path(g, next(g.objects(None, SH.path)))
    'oa:hasSelector / ^oa:exact'
    """
    names = names or _Names(graph)
    if isinstance(path, URIRef):
        return names(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _grouped(graph, inverse, names)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(render_path(graph, p, names) for p in _list(graph, alternatives)) + ")"
    for prop, mark in PATH_OPERATORS.items():
        inner = graph.value(path, prop)
        if inner is not None:
            return _grouped(graph, inner, names) + mark
    if graph.value(path, RDF.first) is not None:
        return " / ".join(_grouped(graph, p, names) for p in _list(graph, path))
    return "(a path pilotkg cannot read)"


def _grouped(graph: Graph, path: Node, names: _Names) -> str:
    text = render_path(graph, path, names)
    return f"({text})" if " / " in text else text


def _count(graph: Graph, node: Node, prop: URIRef) -> int | None:
    value = graph.value(node, prop)
    return int(value) if isinstance(value, Literal) and str(value).isdigit() else None


def _range(low: int | None, high: int | None) -> str:
    return f"{low or 0}..{'*' if high is None else high}"


def _describe(graph: Graph, node: Node, names: _Names) -> list[str]:
    """The constraints on ``node`` (a shape) in words, without its path and cardinality."""
    parts: list[str] = []
    for value in _values(graph, node, SH.datatype):
        parts.append(f"datatype {names(value)}")
    for value in _values(graph, node, SH["class"]):
        parts.append(f"instance of {names(value)}")
    for value in _values(graph, node, SH.nodeKind):
        parts.append(NODE_KINDS.get(value, names(value)))  # type: ignore[call-overload]
    for value in _values(graph, node, SH["in"]):
        parts.append("one of: " + ", ".join(names(v) for v in _list(graph, value)))
    for value in _values(graph, node, SH.hasValue):
        parts.append(f"has the value {names(value)}")
    for value in _values(graph, node, SH.pattern):
        flags = graph.value(node, SH.flags)
        parts.append(f"matches the pattern {value}" + (f" (flags {flags})" if flags is not None else ""))
    for value in _values(graph, node, SH.languageIn):
        parts.append("language one of: " + ", ".join(str(v) for v in _list(graph, value)))
    if graph.value(node, SH.uniqueLang) == Literal(True):
        parts.append("at most one value per language")
    for prop, sign in COMPARISONS.items():
        parts += [f"{sign} {names(v)}" for v in _values(graph, node, prop)]
    for prop, word in ((SH.minLength, "at least"), (SH.maxLength, "at most")):
        parts += [f"{word} {v} characters" for v in _values(graph, node, prop)]
    for prop, words in PAIRS.items():
        parts += [f"{words} {names(v)}" for v in _values(graph, node, prop)]
    for value in _values(graph, node, SH.node):
        parts.append(f"each value conforms to {_nested(graph, value, names)}")
    for prop, words in LOGICAL.items():
        for value in _values(graph, node, prop):
            parts.append(f"{words}: " + " | ".join(f"({_nested(graph, v, names)})" for v in _list(graph, value)))
    for value in _values(graph, node, SH["not"]):
        parts.append(f"not: ({_nested(graph, value, names)})")
    if graph.value(node, SH.closed) == Literal(True):
        ignored = [names(v) for v in _list(graph, graph.value(node, SH.ignoredProperties))]  # type: ignore[arg-type]
        parts.append("closed: no properties but those listed" + (f" and {', '.join(ignored)}" if ignored else ""))
    for value in _values(graph, node, SH.sparql):
        own = _text(graph, value, SH.message)
        shape_message = _text(graph, node, SH.message)
        parts.append("a SPARQL check" + (f", reported as \u201c{own}\u201d" if own and own != shape_message else ""))
    return parts


def _nested(graph: Graph, shape: Node, names: _Names) -> str:
    """A shape used inside another (sh:node, sh:or, sh:qualifiedValueShape ...) in one line."""
    if isinstance(shape, URIRef):
        name = _text(graph, shape, SH.name)
        return names(shape) + (f" ({name})" if name else "")
    words = []
    path = graph.value(shape, SH.path)
    low, high = _count(graph, shape, SH.minCount), _count(graph, shape, SH.maxCount)
    if low is not None or high is not None:
        words.append(f"{_range(low, high)} values")
    words += _describe(graph, shape, names)
    text = ", ".join(words) if words else "any value"
    return f"{render_path(graph, path, names)}: {text}" if path is not None else text


def _rule(graph: Graph, shape: Node, names: _Names) -> Rule:
    severity = graph.value(shape, SH.severity)
    rule = Rule(
        shape=names(shape) if isinstance(shape, URIRef) else "(an unnamed shape)",
        name=_text(graph, shape, SH.name), description=_text(graph, shape, SH.description),
        message=_text(graph, shape, SH.message),
        severity="violation" if severity is None else SEVERITY[severity] if isinstance(severity, URIRef) and severity in SEVERITY
        else names(severity),
        deactivated=graph.value(shape, SH.deactivated) == Literal(True),
        values="; ".join(_describe(graph, shape, names)),
    )
    path = graph.value(shape, SH.path)
    if path is None:
        return rule
    low, high = _count(graph, shape, SH.minCount), _count(graph, shape, SH.maxCount)
    qlow, qhigh = _count(graph, shape, SH.qualifiedMinCount), _count(graph, shape, SH.qualifiedMaxCount)
    cardinality = [_range(low, high)] if (low, high) != (None, None) or (qlow, qhigh) == (None, None) else []
    qualified = graph.value(shape, SH.qualifiedValueShape)
    if qualified is not None and (qlow, qhigh) != (None, None):
        cardinality.append(f"{_range(qlow, qhigh)} of the values matching ({_nested(graph, qualified, names)})")
    required = "required" if (low or 0) >= 1 else "required (counting matching values)" if (qlow or 0) >= 1 else "optional"
    return replace(rule, path=render_path(graph, path, names), required=required, cardinality="; ".join(cardinality))


def _anchor(target: Target, taken: set[str]) -> str:
    base = f"{target.kind}-" + _SLUG.sub("-", target.term).strip("-").lower()
    anchor, k = base, 2
    while anchor in taken:
        anchor, k = f"{base}-{k}", k + 1
    taken.add(anchor)
    return anchor


def read_dictionary(shapes: Graph, ontology: Graph | None = None) -> list[Target]:
    """The dictionary of ``shapes``, one :class:`Target` per target, sorted; the labels and
    definitions of classes come from ``ontology`` when given."""
    names = _Names(shapes)
    found: dict[tuple[str, str], Target] = {}
    order = [kind for kind, _ in TARGETS.values()]
    for prop, (kind, _) in TARGETS.items():
        for shape, term in shapes.subject_objects(prop):
            target = found.setdefault((kind, names(term)), Target(kind, names(term)))
            if kind == "class" and ontology is not None and isinstance(term, URIRef):
                target.label = target.label or _text(ontology, term, RDFS.label)
                target.definition = target.definition or _text(ontology, term, SKOS.definition)
            _add_rules(shapes, shape, target, names)
    # a shape that is also a class targets its own instances (SHACL "implicit class targets")
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)):
        if isinstance(shape, URIRef) and {RDFS.Class, OWL.Class} & set(shapes.objects(shape, RDF.type)):
            _add_rules(shapes, shape, found.setdefault(("class", names(shape)), Target("class", names(shape))), names)
    targets = sorted(found.values(), key=lambda t: (order.index(t.kind), t.term))
    taken: set[str] = set()
    for target in targets:
        target.anchor = _anchor(target, taken)
        target.properties = sorted(set(target.properties), key=Rule.sort_key)
        target.checks = sorted(set(target.checks), key=Rule.sort_key)
    if ontology is not None:
        _link_superclasses(shapes, ontology, targets, names)
    return targets


def _link_superclasses(shapes: Graph, ontology: Graph, targets: list[Target], names: _Names) -> None:
    """Note, on each class, the targets of its superclasses (whose rules apply to it as well)."""
    by_term = {t.term: t for t in targets if t.kind == "class"}
    for cls in {c for c in shapes.objects(None, SH.targetClass) if isinstance(c, URIRef)}:
        target = by_term[names(cls)]
        supers = {names(s) for s in ontology.transitive_objects(cls, RDFS.subClassOf) if isinstance(s, URIRef)} - {target.term}
        target.inherits = sorted((by_term[s].heading, by_term[s].anchor) for s in supers if s in by_term)


def _add_rules(shapes: Graph, shape: Node, target: Target, names: _Names) -> None:
    rule = _rule(shapes, shape, names)
    if rule.path is not None:
        target.properties.append(rule)
    elif rule.values:
        target.checks.append(rule)
    for nested in shapes.objects(shape, SH.property):
        target.properties.append(_rule(shapes, nested, names))


# --- rendering ----------------------------------------------------------------------------------

TITLE = "pilotkg data dictionary"
INTRO = ("What the SHACL shapes of pilotkg (ontology/shapes/*.ttl) ask of the data, by class. "
         "Severity: a violation is malformed or contradictory data; a warning is a gap worth closing "
         "(for the six requirements: not evidenced in the sources); an info is worth knowing. "
         "Paths: a / b is b of a; ^p is p read backwards; (a | b) is either; p* p+ p? repeat p. "
         "Cardinality min..max, * meaning no maximum.")
PROPERTY_COLUMNS = ["Property", "Required?", "Cardinality", "Values", "Severity", "Shape", "Message"]
CHECK_COLUMNS = ["Check", "What it checks", "Severity", "Shape", "Message"]


def _md(text: str) -> str:
    """Escape text for a Markdown table cell."""
    out = text.replace("\\", "\\\\").replace("\n", " ")
    for ch in "|*_`[]#":
        out = out.replace(ch, "\\" + ch)
    return html.escape(out, quote=False)


def _severity(rule: Rule) -> str:
    return rule.severity + (" (deactivated)" if rule.deactivated else "")


def render_markdown(targets: list[Target]) -> str:
    out = [f"# {TITLE}", "", _md(INTRO), ""]
    out += [f"- [{_md(t.heading)}](#{t.anchor})" + (f": {_md(t.label)}" if t.label else "") for t in targets]
    for t in targets:
        out += ["", f'<a id="{html.escape(t.anchor)}"></a>', "", f"## {_md(t.heading)}", ""]
        if t.label or t.definition:
            out += [" ".join(_md(x) for x in (f"{t.label}:" if t.label else "", t.definition) if x), ""]
        out += [f"Applies to {_md(t.selects)}.", ""]
        if t.inherits:
            out += ["The rules of its superclasses apply as well: " + ", ".join(f"[{_md(h)}](#{a})" for h, a in t.inherits) + ".", ""]
        if t.properties:
            out += ["| " + " | ".join(PROPERTY_COLUMNS) + " |", "|" + "---|" * len(PROPERTY_COLUMNS)]
            out += ["| " + " | ".join(_md(c) for c in (r.path or "", r.required, r.cardinality, r.values, _severity(r),
                                                       f"{r.name} ({r.shape}): {r.description}", r.message)) + " |"
                    for r in t.properties]
            out.append("")
        if t.checks:
            out += ["Checks of the node as a whole:", "", "| " + " | ".join(CHECK_COLUMNS) + " |", "|" + "---|" * len(CHECK_COLUMNS)]
            out += ["| " + " | ".join(_md(c) for c in (r.name, r.values, _severity(r), f"{r.shape}: {r.description}", r.message))
                    + " |" for r in t.checks]
    out += ["", f"_Generated from the shapes by pilotkg {_md(__version__)}._"]
    return "\n".join(out) + "\n"


CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem;color:#222;max-width:1400px}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #bbb;padding:.3rem .45rem;vertical-align:top;text-align:left}
th{background:#f0f0f0}code{font-size:.92em}.label{font-weight:400;color:#555}.small{color:#666;font-size:.85em}
.violation{background:#ffcdd2}.warning{background:#ffe0b2}.info{background:#e3f2fd}.required{font-weight:600}
nav ul{columns:3;padding-left:1.2rem}
@media print{body{margin:0;font-size:10pt}tr,td{page-break-inside:avoid}a{color:inherit;text-decoration:none}}
"""


def render_html(targets: list[Target]) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(TITLE)}</title>", f"<style>{CSS}</style></head><body>", f"<h1>{e(TITLE)}</h1>", f"<p>{e(INTRO)}</p>",
           "<nav><ul>"]
    out += [f'<li><a href="#{e(t.anchor)}">{e(t.heading)}</a>' + (f' <span class="label">{e(t.label)}</span>' if t.label else "")
            + "</li>" for t in targets]
    out.append("</ul></nav>")
    for t in targets:
        out.append(f'<section id="{e(t.anchor)}"><h2>{e(t.heading)}'
                   + (f' <span class="label">{e(t.label)}</span>' if t.label else "") + "</h2>")
        if t.definition:
            out.append(f"<p>{e(t.definition)}</p>")
        out.append(f"<p>Applies to {e(t.selects)}.</p>")
        if t.inherits:
            out.append("<p>The rules of its superclasses apply as well: "
                       + ", ".join(f'<a href="#{e(a)}">{e(h)}</a>' for h, a in t.inherits) + ".</p>")
        if t.properties:
            out.append("<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in PROPERTY_COLUMNS) + "</tr></thead><tbody>")
            for r in t.properties:
                out.append(
                    f"<tr><td><code>{e(r.path or '')}</code></td>"
                    f'<td class="{"required" if r.required.startswith("required") else ""}">{e(r.required)}</td>'
                    f"<td>{e(r.cardinality)}</td><td>{e(r.values)}</td>"
                    f'<td class="{e(r.severity)}">{e(_severity(r))}</td>'
                    f'<td><strong>{e(r.name)}</strong> <code class="small">{e(r.shape)}</code><br>{e(r.description)}</td>'
                    f"<td>{e(r.message)}</td></tr>")
            out.append("</tbody></table>")
        if t.checks:
            out.append("<p>Checks of the node as a whole:</p><table><thead><tr>"
                       + "".join(f"<th>{e(c)}</th>" for c in CHECK_COLUMNS) + "</tr></thead><tbody>")
            out += [f"<tr><td><strong>{e(r.name)}</strong></td><td>{e(r.values)}</td>"
                    f'<td class="{e(r.severity)}">{e(_severity(r))}</td>'
                    f'<td><code class="small">{e(r.shape)}</code><br>{e(r.description)}</td><td>{e(r.message)}</td></tr>'
                    for r in t.checks]
            out.append("</tbody></table>")
        out.append("</section>")
    out.append(f'<p class="small">Generated from the shapes by pilotkg {e(__version__)}.</p></body></html>')
    return "\n".join(out) + "\n"
