"""The evaluation of compiled shapes (:mod:`pilotkg.fastshacl_shapes`) on a pyoxigraph store.

A shape is evaluated once for all its focus nodes, never node by node: its value constraints
together (:mod:`pilotkg.fastshacl_batch`), the others one query each. Shapes nested in
``sh:and``, ``sh:xone``, ``sh:not``, ``sh:qualifiedValueShape`` and the ``sh:or`` of a property
shape are compiled into one SPARQL condition when every constraint they hold can be written
exactly as one (:meth:`Engine.fail_cond`); otherwise, and for the ``sh:or`` of a node shape,
their conformance is computed as sets of failing nodes, like ``sh:node`` and ``sh:property``.
What is reported follows pySHACL (0.40): which component reports, with which value and path,
the per-row results of SPARQL-based constraints with their messages, the nested results of
``sh:property`` (once per parent and value) and of ``sh:node`` (as ``sh:detail``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from . import fastshacl_sparql as q
from . import fastshacl_values as checks
from .fastshacl_batch import SIMPLE, simple_hits
from .fastshacl_shapes import (
    Constraint,
    FastShaclError,
    Shape,
    ShapesModel,
    SparqlConstraint,
    UnsupportedShapeError,
    component_iri,
    path_sparql,
    path_steps,
)

KINDS = {"IRI", "BlankNode", "Literal", "BlankNodeOrIRI", "BlankNodeOrLiteral", "IRIOrLiteral"}
#: Up to this many failing nodes are listed in the query that checks them against the next shape.
NARROW = 5000


class Data(Protocol):
    """The store the engine reads (implemented in :mod:`pilotkg.fastshacl`)."""

    has_risky: bool

    def select(self, query: str) -> tuple[list[str], list[tuple[Any, ...]]]: ...
    def rdf(self, term: Any) -> Node: ...
    def risky(self, var: str) -> str: ...
    def stable(self, term: Node) -> bool: ...
    def subclasses(self, cls: Node) -> set[Node]: ...
    def sparql_for(self, iris: set[str] | None) -> Data: ...


@dataclass
class Hit:
    """One validation result before it is written down (terms are pyoxigraph's; the report
    writer converts them and adds the shape's path, severity and messages)."""

    shape: Shape
    component: URIRef
    focus: Any
    value: Any = None
    owner: Any = None  # the focus node of the evaluated shape this result makes fail
    sparql_path: Any = None
    source_constraint: Node | None = None
    extra_messages: list[Node] = field(default_factory=list)
    bindings: Any = None
    details: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.owner is None:
            self.owner = self.focus


@dataclass
class Outcome:
    hits: list[Hit]
    all_fail: bool = False  # pySHACL's sh:uniqueLang false: no result, yet never conforms

    @property
    def failing(self) -> set[Any]:
        return {h.owner for h in self.hits}


class Engine:
    """Evaluates every shape of a model on the data; ``conditions=False`` computes nested shapes
    as sets of failing nodes even where a SPARQL condition would do (both must agree: tests)."""

    def __init__(self, model: ShapesModel, data: Data, *, conditions: bool = True) -> None:
        import pyoxigraph

        self.model, self.data, self.use_conditions = model, data, conditions
        self._paths: dict[Node, list[str]] = {}
        self.ox = pyoxigraph

    # -- top level ------------------------------------------------------------------------------

    def run(self) -> tuple[list[Hit], bool]:
        """Every result of every shape with targets, and whether the data conforms."""
        hits: list[Hit] = []
        conforms = True
        for shape in self.model.shapes.values():
            if shape.deactivated or not shape.has_targets:
                continue
            outcome = self.evaluate(shape, self.targets(shape))
            hits += outcome.hits
            if outcome.all_fail and self.data.select(q.select_focus(self.targets(shape)))[1]:
                conforms = False
        return hits, conforms and not hits

    def targets(self, shape: Shape) -> q.Focus:
        classes: set[str] = set()
        paths = []
        for cls in shape.classes:
            if isinstance(cls, BNode):
                raise UnsupportedShapeError(shape.node, "sh:targetClass", "a blank node class")
            found = self.data.subclasses(cls)
            if any(isinstance(c, BNode) for c in found):
                paths.append(checks.sparql_term(cls))
            else:
                classes |= {checks.sparql_term(c) for c in found}
        if any(isinstance(n, BNode) for n in shape.nodes):
            raise UnsupportedShapeError(shape.node, "sh:targetNode", "a blank node target")
        return q.targets_focus(classes, (checks.sparql_term(n) for n in shape.nodes),
                               (checks.sparql_term(p) for p in shape.subjects_of),
                               (checks.sparql_term(p) for p in shape.objects_of), paths)

    def path(self, shape: Shape) -> list[str] | None:
        """The steps of the shape's path, as pySHACL walks it (None for a node shape)."""
        if shape.path is None:
            return None
        if shape.node not in self._paths:
            self._paths[shape.node] = path_steps(self.model.sg, shape.path, pyshacl_inverse=True)
        return self._paths[shape.node]

    # -- one shape ------------------------------------------------------------------------------

    def evaluate(self, shape: Shape, focus: q.Focus) -> Outcome:
        if shape.deactivated:
            return Outcome([])
        all_fail = any(c.kind == "UniqueLang" and not c.args["unique"] for c in shape.constraints)
        simple = [c for c in shape.constraints if c.kind in SIMPLE and not (c.kind == "UniqueLang" and not c.args["unique"])]
        hits = simple_hits(self, shape, simple, focus) if simple else []
        for c in shape.constraints:
            if c.kind not in SIMPLE:
                hits += getattr(self, f"_c_{c.kind}")(shape, c, focus)
        return Outcome(hits, all_fail)

    def failing(self, shape: Shape, focus: q.Focus) -> set[Any]:
        """The focus nodes that do not conform to ``shape``."""
        outcome = self.evaluate(shape, focus)
        if outcome.all_fail:
            return {row[0] for row in self.data.select(q.select_focus(focus))[1]}
        return outcome.failing

    def _pairs(self, focus: q.Focus, path: list[str] | None, cond: str = "true") -> list[tuple[Any, Any]]:
        return [(r[0], r[1]) for r in self.data.select(q.select_pairs(focus, path, cond))[1]]

    def _class_fail(self, var: str, *, cls: Node, shape: Shape) -> str:
        if isinstance(cls, BNode):
            raise UnsupportedShapeError(shape.node, component_iri("Class"), "a blank node class")
        if isinstance(cls, Literal):
            return "true"
        found = self.data.subclasses(cls)
        if any(isinstance(x, BNode) for x in found):
            return q.not_instance(var, checks.sparql_term(cls))
        return q.not_instance_of_any(var, sorted(checks.sparql_term(x) for x in found))

    def _datatype_cond(self, var: str, rule: Node) -> tuple[str, bool]:
        """A candidate condition for sh:datatype, and whether it is exact (no check in Python)."""
        literal = f"isLiteral({var})"
        if rule == RDFS.Literal:
            return f"!{literal}", True
        if rule == XSD.string:
            return f"(!{literal} || datatype({var}) != <{XSD.string}>)", True
        if rule == RDF.langString:
            return f"(!{literal} || LANG({var}) = \"\")", True
        if rule == RDFS.Datatype:
            return f"(!{literal} || datatype({var}) IN (<{XSD.string}>, {q.RDF_LANGSTRING}))", False
        if isinstance(rule, BNode):
            return "true", False
        base = f"(!{literal} || datatype({var}) != {checks.sparql_term(rule)})"
        if not checks.datatype_checked_in_python(rule):
            return base, True
        safe = checks.SURELY_WELL_TYPED.get(rule)  # type: ignore[call-overload]
        if safe is None:
            return "true", False
        return f"({base} || !REGEX(STR({var}), {q.string_literal(safe)}))", False

    @staticmethod
    def _kind_fail(var: str, c: Constraint) -> str:
        kind = c.args["kind"]
        name = str(kind)[len(str(SH)):] if isinstance(kind, URIRef) and str(kind).startswith(str(SH)) else ""
        return q.kind_fail_cond(name, var) if name in KINDS else "true"

    def _c_compare(self, shape: Shape, c: Constraint, focus: q.Focus) -> list[Hit]:
        or_equals = c.kind == "LessThanOrEquals"
        op = "<=" if or_equals else "<"
        hits = []
        for predicate in c.args["predicates"]:
            cond = (f"!(isNumeric(?value) && isNumeric(?other) && ?value {op} ?other) || {self.data.risky('?value')} || "
                    f"{self.data.risky('?other')}")
            query = q.select_compare(focus, self.path(shape), checks.sparql_term(predicate), cond)
            for f, v, o in self.data.select(query)[1]:
                try:
                    failed = checks.compare_fails(self.data.rdf(v), self.data.rdf(o), or_equals=or_equals)
                except (ValueError, TypeError) as exc:
                    raise FastShaclError(f"shape {shape.node}: {exc} (pySHACL stops on this too)") from exc
                if failed:
                    hits.append(Hit(shape, c.component, f, v))
        return hits

    _c_LessThan = _c_LessThanOrEquals = _c_compare

    # -- shapes in shapes -------------------------------------------------------------------------

    def fail_cond(self, shape: Shape, var: str) -> str | None:
        """A SPARQL condition true exactly when ``var`` does not conform to ``shape``, or None."""
        if not self.use_conditions:
            return None
        if shape.deactivated:
            return "false"
        parts = []
        for c in shape.constraints:
            part = self._constraint_fail(shape, c, var)
            if part is None:
                return None
            parts.append(part)
        return "(" + " || ".join(parts) + ")" if parts else "false"

    def _constraint_fail(self, shape: Shape, c: Constraint, var: str) -> str | None:  # noqa: C901
        path, risky = self.path(shape), self.data.has_risky
        each: Callable[[Callable[[str], str]], str] = lambda cond: q.exists_value(var, path, cond)  # noqa: E731
        if c.kind == "MinCount" and path is not None and c.args["n"] <= 1:
            return "false" if c.args["n"] == 0 else q.no_value(var, path)
        if c.kind == "MaxCount" and path is not None and c.args["n"] <= 1:
            return f"!{q.no_value(var, path)}" if c.args["n"] == 0 else q.two_values(var, path)
        if c.kind == "Class":
            return "(" + " || ".join(each(partial(self._class_fail, cls=k, shape=shape)) for k in c.args["classes"]) + ")"
        if c.kind == "NodeKind":
            return each(lambda v: self._kind_fail(v, c))
        if c.kind == "LanguageIn":
            return each(lambda v: q.lang_fail_cond(c.args["langs"], v))
        if c.kind == "Datatype" and not risky:
            cond, exact = self._datatype_cond("?x", c.args["datatype"])
            return each(lambda v: cond.replace("?x", v)) if exact else None
        if c.kind == "HasValue" and all(not isinstance(h, BNode) and self.data.stable(h) for h in c.args["values"]):
            terms = [checks.sparql_term(h) for h in c.args["values"]]
            if path is None:
                return "(" + " || ".join(f"!sameTerm({var}, {t})" for t in terms) + ")"
            return "(" + " || ".join(f"!{q.exists_value(var, path, partial(_same, term=t))}" for t in terms) + ")"
        if c.kind == "In" and all(not isinstance(m, BNode) and self.data.stable(m) for m in c.args["values"]):
            terms = [checks.sparql_term(m) for m in c.args["values"]]
            return each(lambda v: f"!{q.same_any_cond(v, terms)}")
        if c.kind in ("Or", "And", "Xone", "Not"):
            return self._logical_fail(shape, c, var, path)
        return None

    def _logical_fail(self, shape: Shape, c: Constraint, var: str, path: list[str] | None) -> str | None:
        members = self._member_conds(c)
        if members is None:
            return None
        return q.exists_value(var, path, lambda v: self._combine(c, members, v))

    def _member_conds(self, c: Constraint) -> list[list[Callable[[str], str]]] | None:
        lists = c.args.get("lists") or [c.args["shapes"]]
        out: list[list[Callable[[str], str]]] = []
        for lst in lists:
            conds: list[Callable[[str], str]] = []
            for node in lst:
                member = self.model.shapes[node]
                probe = self.fail_cond(member, "?_probe")
                if probe is None:
                    return None
                conds.append(partial(self._member_fail, member))
            out.append(conds)
        return out

    def _member_fail(self, member: Shape, var: str) -> str:
        return self.fail_cond(member, var) or "false"

    @staticmethod
    def _combine(c: Constraint, lists: list[list[Callable[[str], str]]], v: str) -> str:
        """True when ``v`` fails the logical constraint (every list of it, for several lists)."""
        parts = []
        for conds in lists:
            if c.kind == "Or":
                parts.append("(" + " && ".join(f(v) for f in conds) + ")")
            elif c.kind == "And":
                parts.append("(" + " || ".join(f(v) for f in conds) + ")")
            elif c.kind == "Not":
                parts += [f"!{f(v)}" for f in conds]
            else:
                parts.append("((" + " + ".join(f"IF({f(v)}, 0, 1)" for f in conds) + ") != 1)")
        return "(" + " || ".join(parts) + ")"

    def _logical(self, shape: Shape, c: Constraint, focus: q.Focus) -> list[Hit]:
        path = self.path(shape)
        lists = c.args.get("lists") or [[m] for m in c.args["shapes"]]
        if c.kind == "Or" and path is None:
            return [Hit(shape, c.component, f, f) for lst in lists for f in self._failing_all(lst, focus)]
        members = self._member_conds(c)
        if members is not None:
            out: list[Hit] = []
            for conds in (members if c.kind != "Not" else [[f] for f in members[0]]):
                sub = Constraint(c.kind, c.args)
                out += [Hit(shape, c.component, f, v) for f, v in self._pairs(focus, path, self._combine(sub, [conds], "?value"))]
            return out
        candidates = q.values_focus(focus, path)
        pairs = self._pairs(focus, path)
        hits = []
        for lst in lists:
            fails = [self.failing(self.model.shapes[n], candidates) for n in lst]
            for f, v in pairs:
                bad = [v in s for s in fails]
                if ((c.kind == "Or" and all(bad)) or (c.kind == "And" and any(bad))
                        or (c.kind == "Xone" and bad.count(False) != 1) or (c.kind == "Not" and not bad[0])):
                    hits.append(Hit(shape, c.component, f, v))
        return hits

    _c_Or = _c_And = _c_Xone = _c_Not = _logical

    def _failing_all(self, members: list[Node], focus: q.Focus) -> set[Any]:
        """The focus nodes failing every member (sh:or of a node shape): each member's queries
        return only the nodes that fail it, and a later member checks only the nodes that
        failed the earlier ones (listed in the query, when they are IRIs or literals)."""
        failing: set[Any] | None = None
        candidates = focus
        for node in members:
            bad = self.failing(self.model.shapes[node], candidates)
            failing = bad if failing is None else failing & bad
            if not failing:
                return set()
            if len(failing) <= NARROW and not any(isinstance(t, self.ox.BlankNode) for t in failing):
                candidates = q.terms_focus(str(t) for t in failing)
        return failing or set()

    def _c_QualifiedValueShape(self, shape: Shape, c: Constraint, focus: q.Focus) -> list[Hit]:
        path = self.path(shape)
        assert path is not None
        hits = []
        for node in c.args["value_shapes"]:
            counts = self._qualified_counts(shape, c, node, focus, path)
            for f, n in counts.items():
                if c.args["max"] is not None and n > c.args["max"]:
                    hits.append(Hit(shape, SH.QualifiedMaxCountConstraintComponent, f))
                if c.args["min"] is not None and n < c.args["min"]:
                    hits.append(Hit(shape, SH.QualifiedMinCountConstraintComponent, f))
        return hits

    def _qualified_counts(self, shape: Shape, c: Constraint, node: Node, focus: q.Focus,
                          path: list[str]) -> dict[Any, int]:
        value_shape = self.model.shapes[node]
        siblings = [self.model.shapes[s] for s in c.args["siblings"][node]]
        conds = [self.fail_cond(s, "?value") for s in [value_shape] + siblings]
        if all(x is not None for x in conds):
            cond = " && ".join([f"!{conds[0]}"] + [str(x) for x in conds[1:]])
            having = [f"?n {op} {c.args[k]}" for k, op in (("min", "<"), ("max", ">")) if c.args[k] is not None]
            rows = self.data.select(q.select_counts(focus, path, cond, " || ".join(having)))[1]
            return {r[0]: int(r[1].value) for r in rows}
        candidates = q.values_focus(focus, path)
        bad = self.failing(value_shape, candidates)
        sibling_bad = [self.failing(s, candidates) for s in siblings]
        counts: dict[Any, int] = {}
        for f, v in self.data.select(q.select_focus_values(focus, path))[1]:
            counts.setdefault(f, 0)
            if v is not None and v not in bad and all(v in s for s in sibling_bad):
                counts[f] += 1
        return counts

    def _c_Property(self, shape: Shape, c: Constraint, focus: q.Focus) -> list[Hit]:
        path = self.path(shape)
        candidates = q.values_focus(focus, path)
        parents: dict[Any, list[Any]] = defaultdict(list)
        if path is not None:
            for f, v in self._pairs(focus, path):
                parents[v].append(f)
        hits = []
        for node in c.args["shapes"]:
            for h in self.evaluate(self.model.shapes[node], candidates).hits:
                owners = parents[h.owner] if path is not None else [h.owner]
                hits += [Hit(h.shape, h.component, h.focus, h.value, owner, h.sparql_path, h.source_constraint,
                             h.extra_messages, h.bindings, h.details) for owner in owners]
        return hits

    def _c_Node(self, shape: Shape, c: Constraint, focus: q.Focus) -> list[Hit]:
        path = self.path(shape)
        candidates = q.values_focus(focus, path)
        pairs = self._pairs(focus, path)
        hits = []
        for node in c.args["shapes"]:
            outcome = self.evaluate(self.model.shapes[node], candidates)
            details: dict[Any, list[Hit]] = defaultdict(list)
            for h in outcome.hits:
                details[h.owner].append(h)
            everything = outcome.all_fail
            for f, v in pairs:
                if everything or v in details:
                    hits.append(Hit(shape, c.component, f, v, details=details.get(v, [])))
        return hits

    # -- SPARQL-based constraints ---------------------------------------------------------------

    def _c_SPARQL(self, shape: Shape, c: Constraint, focus: q.Focus) -> list[Hit]:
        hits = []
        for sc in c.args["queries"]:
            if not sc.deactivated:
                hits += self._sparql(shape, sc, focus)
        return hits

    def _sparql(self, shape: Shape, sc: SparqlConstraint, focus: q.Focus) -> list[Hit]:
        text, iris = self._prepare(shape, sc)
        pattern = focus("?this")
        if _CURRENT_SHAPE.search(sc.select):
            pattern += f" VALUES ?currentShape {{ {checks.sparql_term(shape.node)} }}"
        names, rows = self.data.sparql_for(iris).select(q.inject_focus(text, pattern))
        hits = []
        seen: set[Any] = set()
        failed: set[Any] = set()
        for row in rows:
            bound = {n: t for n, t in zip(names, row, strict=True) if t is not None}
            this = bound["this"]
            if bound.get("failure") is not None:
                if this in failed:
                    continue
                failed.add(this)
                rest = {k: v for k, v in bound.items() if k != "failure"}
                hits.append(Hit(shape, SH.SPARQLConstraintComponent, this, None if shape.is_property else this,
                                source_constraint=sc.node, extra_messages=sc.messages, bindings=rest))
                continue
            path, value = bound.get("path"), bound.get("value")
            others = tuple((k, t) for k, t in bound.items() if k not in ("this", "path", "value", "failure"))
            key = (this, path, value, others)
            if key in seen:
                continue
            seen.add(key)
            if value is None and not shape.is_property:
                value = this
            hits.append(Hit(shape, SH.SPARQLConstraintComponent, this, value, sparql_path=path,
                            source_constraint=sc.node, extra_messages=sc.messages,
                            bindings=(this, path, value, dict(others))))
        return hits

    def _prepare(self, shape: Shape, sc: SparqlConstraint) -> tuple[str, set[str] | None]:
        """The query to run for a SPARQL-based constraint, and the IRIs it mentions. The checks
        are pySHACL's (``SPARQLQueryHelper``): where it pre-binds, what it refuses."""
        rebound = _AS_VARIABLE.search(sc.select)
        if rebound and rebound.group(1) in ("this", "shapesGraph", "currentShape"):
            raise FastShaclError(f"shape {shape.node}: Cannot use AS to re-bind potentially pre-bound variables such as "
                                 f"{rebound.group(1)} (pySHACL refuses this query too)")
        if _SHAPES_GRAPH.search(sc.select):
            raise UnsupportedShapeError(shape.node, component_iri("SPARQL"), "$shapesGraph")
        if not _BOUND_THIS.search(sc.select) and _ANY_THIS.search(sc.select):
            raise UnsupportedShapeError(shape.node, component_iri("SPARQL"), "$this written where pySHACL does not pre-bind it")
        text = sc.select
        if shape.path is not None:
            text = q.substitute_path(text, path_sparql(self.model.sg, shape.path, pyshacl_inverse=False))
        elif _BOUND_PATH.search(text):
            raise FastShaclError(f"shape {shape.node}: a SPARQL constraint uses $PATH but the shape has no path")
        text = q.prefixed(sc.prefixes, text)
        problem, iris = q.analyse(text)
        if problem:
            raise UnsupportedShapeError(shape.node, component_iri("SPARQL"), problem)
        return text, iris


def _same(v: str, *, term: str) -> str:
    return f"sameTerm({v}, {term})"


_CURRENT_SHAPE = re.compile(r"[\$\?]currentShape\b")
_SHAPES_GRAPH = re.compile(r"[\$\?]shapesGraph\b")
_ANY_THIS = re.compile(r"[\$\?]this\b")
#: pySHACL's own patterns (pyshacl.helper.sparql_query_helper): where it pre-binds $this and $PATH,
#: and how it finds a pre-bound variable re-bound with AS
_BOUND_THIS = re.compile(r"([\s{}()])[\$\?]this", flags=re.M)
_BOUND_PATH = re.compile(r"([\s{}()])[\$\?]PATH", flags=re.M)
_AS_VARIABLE = re.compile(r"[^\w]+AS[\s]+[\$\?](\w+)", flags=re.M | re.I)
