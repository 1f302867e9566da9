"""Compile a SHACL shapes graph into the model the fast engine (:mod:`pilotkg.fastshacl`) runs.

The shapes are found as pySHACL finds them (``ShapesGraph._build_node_shape_cache``), with its
defaults (severity ``sh:Violation``, ``sh:deactivated`` read as Python's ``bool``), and every
constraint parameter is checked against what the engine supports: anything else raises
:class:`UnsupportedShapeError` naming the shape and the constraint component, so that a shape
added later can never be skipped quietly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from .errors import PilotkgError


class FastShaclError(PilotkgError):
    """The fast engine cannot give pySHACL's answer here; the message says why and what to do."""


class UnsupportedShapeError(FastShaclError):
    """A shape uses a SHACL feature the fast engine does not implement."""

    def __init__(self, shape: Node, component: Node | str, detail: str = "") -> None:
        self.shape, self.component = shape, component
        extra = f": {detail}" if detail else ""
        super().__init__(f"the fast SHACL engine does not support {component} (in shape {shape}){extra}; "
                         "validate with --engine pyshacl, or add support to pilotkg.fastshacl")


#: Constraint parameters by the component pySHACL maps them to (pyshacl.constraints).
PARAMETERS: dict[URIRef, str] = {
    SH["class"]: "Class", SH.datatype: "Datatype", SH.nodeKind: "NodeKind", SH.minCount: "MinCount",
    SH.maxCount: "MaxCount", SH.minExclusive: "MinExclusive", SH.minInclusive: "MinInclusive",
    SH.maxExclusive: "MaxExclusive", SH.maxInclusive: "MaxInclusive", SH["not"]: "Not", SH["and"]: "And",
    SH["or"]: "Or", SH.xone: "Xone", SH.minLength: "MinLength", SH.maxLength: "MaxLength", SH.pattern: "Pattern",
    SH.languageIn: "LanguageIn", SH.uniqueLang: "UniqueLang", SH.equals: "Equals", SH.disjoint: "Disjoint",
    SH.lessThan: "LessThan", SH.lessThanOrEquals: "LessThanOrEquals", SH.node: "Node", SH.property: "Property",
    SH.qualifiedValueShape: "QualifiedValueShape", SH.qualifiedMinCount: "QualifiedValueShape",
    SH.qualifiedMaxCount: "QualifiedValueShape", SH.qualifiedValueShapesDisjoint: "QualifiedValueShape",
    SH.closed: "Closed", SH.ignoredProperties: "Closed", SH.hasValue: "HasValue", SH["in"]: "In",
    SH.sparql: "SPARQL",
}
SUPPORTED = {"Class", "Datatype", "NodeKind", "MinCount", "MaxCount", "MinExclusive", "MinInclusive",
             "MaxExclusive", "MaxInclusive", "Not", "And", "Or", "Xone", "MinLength", "MaxLength", "Pattern",
             "LanguageIn", "UniqueLang", "LessThan", "LessThanOrEquals", "Node", "Property",
             "QualifiedValueShape", "HasValue", "In", "SPARQL"}
#: SHACL-AF and SHACL-JS terms: pySHACL ignores them as pilotkg calls it (advanced=False), but
#: a shape that uses them was written for an engine that does not; refuse rather than guess.
REFUSED = {SH.target: "sh:target (SHACL-AF custom targets)", SH.rule: "sh:rule (SHACL-AF rules)",
           SH.expression: "sh:expression (SHACL-AF)", SH.js: "sh:js (SHACL-JS)"}


def component_iri(name: str) -> URIRef:
    return SH[f"{name}ConstraintComponent"]


@dataclass
class Constraint:
    """One constraint component of a shape: ``kind`` is pySHACL's component name (``MinCount``,
    ``Or``, ``SPARQL`` ...) and ``args`` its parameters, read and checked."""

    kind: str
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def component(self) -> URIRef:
        return component_iri(self.kind)


@dataclass
class SparqlConstraint:
    node: Node
    select: str
    prefixes: dict[str, str]
    messages: list[Node]
    deactivated: bool


@dataclass
class Shape:
    node: Node
    path: Node | None
    deactivated: bool
    severity: Node
    messages: list[Node]
    #: focus node declarations: target classes (and the shape itself when it is a class), nodes, predicates
    classes: list[Node] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    subjects_of: list[Node] = field(default_factory=list)
    objects_of: list[Node] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)

    @property
    def is_property(self) -> bool:
        return self.path is not None

    @property
    def has_targets(self) -> bool:
        return bool(self.classes or self.nodes or self.subjects_of or self.objects_of)

    def __str__(self) -> str:
        return str(self.node)


class ShapesModel:
    """Every shape of a shapes graph, compiled; ``shapes[node]``."""

    def __init__(self, sg: Graph) -> None:
        self.sg = sg
        self.shapes: dict[Node, Shape] = {}
        _refuse_custom_components(sg)
        for node, path in _discover(sg).items():
            self.shapes[node] = _base_shape(sg, node, path)
        for shape in self.shapes.values():
            shape.constraints = _constraints(self, shape)
        _refuse_recursion(self)

    def get(self, node: Node, by: Shape, kind: str) -> Shape:
        try:
            return self.shapes[node]
        except KeyError:
            raise FastShaclError(f"shape {by.node}: the shape {node} its sh:{kind.lower()} points to is not a "
                                 "well-formed SHACL shape") from None


# ---------------------------------------------------------------------------------------------
# Finding the shapes, as pySHACL does


def _discover(g: Graph) -> dict[Node, Node | None]:
    node_shapes = set(g.subjects(RDF.type, SH.NodeShape))
    for s in node_shapes:
        if g.value(s, SH.path) is not None:
            raise FastShaclError(f"{s}: a shape defined as a NodeShape cannot be the subject of a 'sh:path' predicate")
    found: dict[Node, Node | None] = {}
    for s in set(g.subjects(RDF.type, SH.PropertyShape)):
        if s in node_shapes:
            raise FastShaclError(f"{s}: a shape defined as a NodeShape cannot also be defined as a PropertyShape")
        paths = list(g.objects(s, SH.path))
        if len(paths) != 1:
            raise FastShaclError(f"{s}: a PropertyShape must have exactly one sh:path (it has {len(paths)})")
        found[s] = paths[0]
    for s in node_shapes:
        found[s] = None
    implied = {s for p in (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf, SH.property,
                           SH.node) for s, _ in g.subject_objects(p)}
    valued = {o for p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape) for _, o in g.subject_objects(p)}
    for p in (SH["and"], SH["or"], SH.xone):
        for _, lst in g.subject_objects(p):
            members = set(g.items(lst))
            if not members:
                raise FastShaclError(f"the value of {p} on a shape is not a well-formed RDF list with 1 or more members")
            valued |= members
    for s in list(implied) + list(valued):
        if s in found:
            continue
        paths = list(g.objects(s, SH.path))
        if len(paths) > 1:
            raise FastShaclError(f"{s}: an implicit PropertyShape cannot have more than one sh:path")
        found[s] = paths[0] if paths else None
    return found


def _base_shape(g: Graph, node: Node, path: Node | None) -> Shape:
    deactivated = set(g.objects(node, SH.deactivated))
    if len(deactivated) > 1:
        raise FastShaclError(f"{node}: a SHACL shape cannot have more than one sh:deactivated")
    flag = False
    if deactivated:
        d = next(iter(deactivated))
        if not isinstance(d, Literal):
            raise FastShaclError(f"{node}: the value of sh:deactivated must be a literal")
        flag = bool(d.value)  # pySHACL's reading: "false" as a plain string is True
    severities = set(g.objects(node, SH.severity))
    shape = Shape(node=node, path=path, deactivated=flag,
                  severity=next(iter(severities)) if severities else SH.Violation,
                  messages=list(set(g.objects(node, SH.message))))
    shape.classes = list(g.objects(node, SH.targetClass))
    classes_of_classes = set(g.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class, OWL.Class}
    if any(t in classes_of_classes for t in g.objects(node, RDF.type)):
        shape.classes.append(node)  # an implicit class target
    shape.nodes = list(g.objects(node, SH.targetNode))
    shape.subjects_of = list(g.objects(node, SH.targetSubjectsOf))
    shape.objects_of = list(g.objects(node, SH.targetObjectsOf))
    for predicate, what in REFUSED.items():
        if g.value(node, predicate) is not None:
            raise UnsupportedShapeError(node, what)
    return shape


def _refuse_custom_components(g: Graph) -> None:
    declared = set(g.subjects(RDF.type, SH.ConstraintComponent))
    for sub in set(g.subjects(RDFS.subClassOf, SH.ConstraintComponent)):
        declared |= set(g.subjects(RDF.type, sub))
    for component in declared:
        if isinstance(component, URIRef) and str(component).startswith(str(SH)):
            continue
        params = [g.value(p, SH.path) for p in g.objects(component, SH.parameter)]
        mandatory = [p for p, node in zip(params, g.objects(component, SH.parameter), strict=True)
                     if p is not None and not bool(getattr(g.value(node, SH.optional), "value", False))]
        users = [s for s in set(g.subjects()) if mandatory and all(g.value(s, p) is not None for p in mandatory)]
        raise UnsupportedShapeError(users[0] if users else component, f"the custom constraint component {component}")


def _refuse_recursion(model: ShapesModel) -> None:
    def walk(shape: Shape, seen: tuple[Node, ...]) -> None:
        for c in shape.constraints:
            for child in c.args.get("shapes", []):
                if child in seen:
                    raise UnsupportedShapeError(shape.node, component_iri(c.kind), f"recursive shape reference to {child}")
                walk(model.shapes[child], seen + (child,))

    for node, shape in model.shapes.items():
        walk(shape, (node,))


# ---------------------------------------------------------------------------------------------
# Reading each constraint component


def _one(g: Graph, shape: Shape, predicate: URIRef, kind: str) -> Node:
    values = list(g.objects(shape.node, predicate))
    if len(values) != 1:
        raise FastShaclError(f"{shape.node}: {kind}ConstraintComponent must have exactly one {predicate}")
    return values[0]


def _count(g: Graph, shape: Shape, predicate: URIRef, kind: str) -> int:
    if not shape.is_property:
        raise FastShaclError(f"{shape.node}: {kind}ConstraintComponent can only be present on a PropertyShape")
    value = _one(g, shape, predicate, kind)
    if not (isinstance(value, Literal) and value.datatype == XSD.integer) or int(value.value) < 0:
        raise FastShaclError(f"{shape.node}: {predicate} must be a non-negative xsd:integer")
    return int(value.value)


def _list_shapes(model: ShapesModel, shape: Shape, predicate: URIRef, kind: str) -> list[list[Node]]:
    lists = []
    for lst in model.sg.objects(shape.node, predicate):
        members = list(model.sg.items(lst))
        if not members:
            raise FastShaclError(f"{shape.node}: the list of {predicate} is not a valid RDF list")
        lists.append([model.get(m, shape, kind).node for m in members])
    return lists


def _constraints(model: ShapesModel, shape: Shape) -> list[Constraint]:
    g = model.sg
    kinds: list[str] = []
    for p in g.predicates(shape.node):
        kind = PARAMETERS.get(p)  # type: ignore[call-overload]
        if kind is not None and kind not in kinds:
            kinds.append(kind)
    out = []
    for kind in kinds:
        if kind not in SUPPORTED:
            raise UnsupportedShapeError(shape.node, component_iri(kind))
        c = _read(model, shape, kind)
        if c is not None:
            out.append(c)
    return out


def _read(model: ShapesModel, shape: Shape, kind: str) -> Constraint | None:  # noqa: C901 - one branch a component
    g, node = model.sg, shape.node
    if kind in ("MinCount", "MaxCount"):
        return Constraint(kind, {"n": _count(g, shape, SH.minCount if kind == "MinCount" else SH.maxCount, kind)})
    if kind == "Class":
        return Constraint(kind, {"classes": list(g.objects(node, SH["class"]))})
    if kind == "Datatype":
        return Constraint(kind, {"datatype": _one(g, shape, SH.datatype, kind)})
    if kind == "NodeKind":
        return Constraint(kind, {"kind": _one(g, shape, SH.nodeKind, kind)})
    if kind in ("MinExclusive", "MinInclusive", "MaxExclusive", "MaxInclusive"):
        bounds = list(g.objects(node, SH[kind[0].lower() + kind[1:]]))
        if not all(isinstance(b, Literal) for b in bounds):
            raise FastShaclError(f"{node}: the value of sh:{kind[0].lower() + kind[1:]} must be a literal")
        return Constraint(kind, {"bounds": bounds})
    if kind in ("MinLength", "MaxLength"):
        n = _one(g, shape, SH.minLength if kind == "MinLength" else SH.maxLength, kind)
        if not isinstance(n, Literal) or not isinstance(n.value, int) or n.value < 0:
            raise FastShaclError(f"{node}: the length of {kind}ConstraintComponent must be a non-negative integer")
        return Constraint(kind, {"n": n.value})
    if kind == "Pattern":
        return _read_pattern(g, shape)
    if kind == "LanguageIn":
        given = list(g.objects(node, SH.languageIn))
        if len(given) != 1:
            raise UnsupportedShapeError(node, component_iri(kind), "more than one sh:languageIn")
        langs = []
        for item in g.items(given[0]):
            if not isinstance(item, Literal) or not isinstance(item.value, str):
                raise FastShaclError(f"{node}: all languages in sh:languageIn must be literals of type xsd:string")
            langs.append(str(item.value).lower())
        return Constraint(kind, {"langs": langs})
    if kind == "UniqueLang":
        if not shape.is_property:
            raise FastShaclError(f"{node}: UniqueLangConstraintComponent can only be present on a PropertyShape")
        flag = _one(g, shape, SH.uniqueLang, kind)
        if not isinstance(flag, Literal) or not isinstance(flag.value, bool):
            raise FastShaclError(f"{node}: sh:uniqueLang must be an xsd:boolean literal")
        return Constraint(kind, {"unique": flag.value})
    if kind in ("LessThan", "LessThanOrEquals"):
        if not shape.is_property:
            raise FastShaclError(f"{node}: {kind}ConstraintComponent can only be present on a PropertyShape")
        predicate = SH.lessThan if kind == "LessThan" else SH.lessThanOrEquals
        others = list(g.objects(node, predicate))
        if not all(isinstance(o, URIRef) for o in others):
            raise FastShaclError(f"{node}: the value of {predicate} must be an IRI")
        return Constraint(kind, {"predicates": others})
    if kind in ("Or", "And", "Xone"):
        lists = _list_shapes(model, shape, SH[kind.lower()], kind)
        return Constraint(kind, {"lists": lists, "shapes": [m for lst in lists for m in lst]})
    if kind == "Not":
        return Constraint(kind, {"shapes": [model.get(m, shape, kind).node for m in g.objects(node, SH["not"])]})
    if kind in ("Node", "Property"):
        referenced = [model.get(m, shape, kind) for m in g.objects(node, SH.node if kind == "Node" else SH.property)]
        if any(r.is_property != (kind == "Property") for r in referenced):
            raise FastShaclError(f"{node}: a shape referenced by sh:{kind.lower()} is not a well-formed "
                                 f"{'PropertyShape' if kind == 'Property' else 'NodeShape'}")
        return Constraint(kind, {"shapes": [r.node for r in referenced]})
    if kind == "QualifiedValueShape":
        return _read_qualified(model, shape)
    if kind == "HasValue":
        return Constraint(kind, {"values": list(set(g.objects(node, SH.hasValue)))})
    if kind == "In":
        in_lists = list(g.objects(node, SH["in"]))
        if len(in_lists) != 1:
            raise FastShaclError(f"{node}: InConstraintComponent must have exactly one sh:in")
        return Constraint(kind, {"values": set(g.items(in_lists[0]))})
    if kind == "SPARQL":
        return Constraint(kind, {"queries": [_read_sparql(g, shape, s) for s in set(g.objects(node, SH.sparql))]})
    raise UnsupportedShapeError(node, component_iri(kind))  # pragma: no cover - SUPPORTED is checked first


def _read_pattern(g: Graph, shape: Shape) -> Constraint:
    import re

    patterns = list(g.objects(shape.node, SH.pattern))
    if not all(isinstance(p, Literal) for p in patterns):
        raise FastShaclError(f"{shape.node}: sh:pattern must be a literal")
    flags_found = set(g.objects(shape.node, SH.flags))
    flags_text = str(getattr(next(iter(flags_found)), "value", "")).lower() if flags_found else ""
    re_flags = (re.I if "i" in flags_text else 0) | (re.M if "m" in flags_text else 0)
    compiled = []
    for p in patterns:
        assert isinstance(p, Literal)
        text = str(p.value) if p.value is not None and len(p.value) > 1 else str(p)
        compiled.append((p, text, re.compile(text, re_flags)))
    return Constraint("Pattern", {"patterns": compiled, "flags": re_flags})


def _read_qualified(model: ShapesModel, shape: Shape) -> Constraint | None:
    g, node = model.sg, shape.node
    if not shape.is_property:
        return None  # pySHACL ignores sh:qualifiedValueShape on a node shape (with a warning)
    value_shapes = [model.get(v, shape, "QualifiedValueShape").node for v in set(g.objects(node, SH.qualifiedValueShape))]
    counts: dict[str, int | None] = {}
    for name, predicate in (("min", SH.qualifiedMinCount), ("max", SH.qualifiedMaxCount)):
        found = set(g.objects(node, predicate))
        if len(found) > 1:
            raise FastShaclError(f"{node}: at most one {predicate}")
        value = next(iter(found)) if found else None
        if value is not None and (not isinstance(value, Literal) or not isinstance(value.value, int)):
            raise FastShaclError(f"{node}: {predicate} must be an integer literal")
        counts[name] = value.value if isinstance(value, Literal) else None
    if counts["min"] is None and counts["max"] is None:
        raise FastShaclError(f"{node}: sh:qualifiedValueShape needs sh:qualifiedMinCount or sh:qualifiedMaxCount")
    disjoint = any(isinstance(d, Literal) and isinstance(d.value, bool) and d.value
                   for d in g.objects(node, SH.qualifiedValueShapesDisjoint))
    siblings: dict[Node, list[Node]] = {}
    for v in value_shapes:
        others: set[Node] = set()
        if disjoint:
            for parent in set(g.subjects(SH.property, node)):
                for s in set(g.objects(parent, SH.property)):
                    others |= {q for q in g.objects(s, SH.qualifiedValueShape) if q != v}
        siblings[v] = [s for s in others if s in model.shapes]
    everything = value_shapes + [s for lst in siblings.values() for s in lst]
    return Constraint("QualifiedValueShape", {"value_shapes": value_shapes, "min": counts["min"], "max": counts["max"],
                                              "siblings": siblings, "shapes": everything})


def _read_sparql(g: Graph, shape: Shape, node: Node) -> SparqlConstraint:
    selects = list(g.objects(node, SH.select))
    if len(selects) != 1 or not isinstance(selects[0], Literal) or not isinstance(selects[0].value, str):
        raise FastShaclError(f"{shape.node}: a SPARQL constraint needs exactly one sh:select string")
    if g.value(node, SH.ask) is not None:
        raise UnsupportedShapeError(shape.node, "sh:ask in a SPARQL constraint")
    messages = list(set(g.objects(node, SH.message)))
    deactivated = False
    found = list(g.objects(node, SH.deactivated))
    if found:
        d = found[0]
        if not (isinstance(d, Literal) and isinstance(d.value, bool)):
            raise FastShaclError(f"{shape.node}: sh:deactivated of a SPARQL constraint must be an xsd:boolean")
        deactivated = d.value
    return SparqlConstraint(node, str(selects[0].value), _prefixes(g, node), messages, deactivated)


def _prefixes(g: Graph, node: Node) -> dict[str, str]:
    """The prefixes of a SPARQL constraint, collected as pySHACL collects them."""
    prefixes = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}
    values = set(g.objects(node, SH.prefixes))
    ontologies = set(g.subjects(RDF.type, OWL.Ontology))
    named = set(g.objects(g.identifier, SH.declare))
    everywhere = named | {d for o in ontologies for d in g.objects(o, SH.declare)}
    for value in values:
        own = set(g.objects(value, SH.declare))
        declares = own | named if own and value in ontologies else everywhere | own
        for dec in declares:
            if isinstance(dec, Literal):
                raise FastShaclError("sh:declare value must be either a URIRef or a BNode")
            prefix, namespace = list(g.objects(dec, SH.prefix)), list(g.objects(dec, SH.namespace))
            if len(prefix) != 1 or len(namespace) != 1 or not isinstance(prefix[0], Literal):
                raise FastShaclError(f"sh:declare {dec} must have exactly one sh:prefix and one sh:namespace")
            ns = namespace[0]
            prefixes[str(prefix[0].value)] = str(ns.value) if isinstance(ns, Literal) else str(ns)
    return prefixes


def path_steps(g: Graph, path: Node, *, pyshacl_inverse: bool, inverse: bool = False, depth: int = 0) -> list[str]:
    """A SHACL property path as the SPARQL property paths of its steps (a sequence is split: a
    query checks a value through nested single-step patterns, which Oxigraph runs far faster
    inside ``EXISTS`` than one sequence path). With ``pyshacl_inverse`` an inverse is pushed down
    to the predicates, keeping the order of a sequence, as pySHACL's value-node evaluation does
    (``[sh:inversePath (a b)]`` reaches ``^a/^b``); without it, as pySHACL writes ``$PATH``."""
    if depth > 10:
        raise FastShaclError(f"path {path} is too deep")
    if isinstance(path, URIRef):
        return [f"^<{path}>" if inverse else f"<{path}>"]
    if not isinstance(path, BNode):
        raise FastShaclError(f"values of a property path cannot be a literal ({path!r})")

    def sub(node: Node, flip: bool = False) -> list[str]:
        return path_steps(g, node, pyshacl_inverse=pyshacl_inverse, inverse=inverse != flip, depth=depth + 1)

    def one(node: Node) -> str:
        steps = sub(node)
        return steps[0] if len(steps) == 1 else "(" + " / ".join(steps) + ")"

    if g.value(path, RDF.first) is not None:
        items = list(g.items(path))
        if len(items) < 2 and depth == 0:
            raise FastShaclError("a list of SHACL paths must contain at least two path items")
        return [step for i in items for step in sub(i)]
    target = g.value(path, SH.inversePath)
    if target is not None:
        return sub(target, flip=True) if pyshacl_inverse else [f"^{one(target)}"]
    target = g.value(path, SH.alternativePath)
    if target is not None:
        items = list(g.items(target))
        if len(items) < 2:
            raise FastShaclError("a list of SHACL alternate paths must have at least two path items")
        return ["(" + " | ".join(one(i) for i in items) + ")"]
    for predicate, mod in ((SH.zeroOrMorePath, "*"), (SH.zeroOrOnePath, "?"), (SH.oneOrMorePath, "+")):
        target = g.value(path, predicate)
        if target is not None:
            return [f"({one(target)}){mod}"]
    raise FastShaclError(f"{path} is not a SHACL property path")


def path_sparql(g: Graph, path: Node, *, pyshacl_inverse: bool) -> str:
    """The whole path as one SPARQL property path (see :func:`path_steps`)."""
    steps = path_steps(g, path, pyshacl_inverse=pyshacl_inverse)
    return steps[0] if len(steps) == 1 else "(" + " / ".join(steps) + ")"
