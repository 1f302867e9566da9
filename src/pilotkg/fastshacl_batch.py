"""The value constraints of one shape, with as few walks of the store and as few terms read
back as can be.

Cost on Oxigraph's on-disk store comes from two things: walking from the focus nodes along the
path (a scan and a hash join a step, for a shape's targets), and decoding each term a query
returns (a lookup of its text). So the constraints that SPARQL decides exactly return only their
violations: counts with ``GROUP BY ... HAVING``, missing values and ``sh:class`` with ``MINUS``.
The other value constraints of the shape share one query that returns only the values that may
fail (a superset: a SPARQL filter never drops a failing value), and each is decided in Python on
the exact term, as pySHACL decides it (:mod:`pilotkg.fastshacl_values`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from . import fastshacl_sparql as q
from . import fastshacl_values as checks
from .fastshacl_shapes import Constraint, Shape
from .store import to_oxigraph

if TYPE_CHECKING:
    from .fastshacl_engine import Engine, Hit

SIMPLE = {"MinCount", "MaxCount", "Class", "Datatype", "NodeKind", "In", "HasValue", "Pattern", "LanguageIn",
          "UniqueLang", "MinLength", "MaxLength", "MinInclusive", "MinExclusive", "MaxInclusive", "MaxExclusive"}
#: decided in Python on the candidates of one shared query
CHECKED = {"Datatype", "NodeKind", "In", "Pattern", "LanguageIn", "MinLength", "MaxLength", "MinInclusive",
           "MinExclusive", "MaxInclusive", "MaxExclusive"}
Values = dict[Any, dict[Any, tuple[Any, ...]]]
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_INTEGER = re.compile("-?[0-9]+")
NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


def simple_hits(engine: Engine, shape: Shape, constraints: list[Constraint], focus: q.Focus) -> list[Hit]:
    """The results of ``constraints`` (all of kinds in :data:`SIMPLE`) of ``shape``."""
    data, path = engine.data, engine.path(shape)
    hits: list[Hit] = []
    checked = [c for c in constraints if c.kind in CHECKED]
    for c in constraints:
        if c.kind == "MinCount" and c.args["n"] > 0:
            assert path is not None
            found = {r[0] for r in data.select(q.select_without(focus, path))[1]}
            if c.args["n"] > 1:
                found |= {r[0] for r in data.select(q.select_count_over(focus, path, "<", c.args["n"]))[1]}
            hits += [_hit(shape, c, f) for f in found]
        elif c.kind == "MaxCount":
            assert path is not None
            hits += [_hit(shape, c, r[0]) for r in data.select(q.select_count_over(focus, path, ">", c.args["n"]))[1]]
        elif c.kind == "UniqueLang":
            assert path is not None
            hits += [_hit(shape, c, r[0]) for r in data.select(q.select_duplicate_langs(focus, path))[1]]
        elif c.kind == "Class":
            for cls in c.args["classes"]:
                hits += [_hit(shape, c, f, v) for f, v in _not_instances(engine, shape, focus, cls)]
        elif c.kind == "HasValue":
            hits += _has_value(engine, shape, c, focus)
    if checked:
        judge = _Judge(engine)
        conds = [judge.candidates(c) for c in checked]
        cond = "true" if "true" in conds else " || ".join(f"({x})" for x in conds)
        values: Values = {}
        for f, v in data.select(q.select_pairs(focus, path, f"{cond} || {data.risky('?value')}"))[1]:
            values.setdefault(f, {})[v] = ()
        for c in checked:
            hits += getattr(judge, c.kind)(shape, c, values)
    return hits


def _not_instances(engine: Engine, shape: Shape, focus: q.Focus, cls: Node) -> list[tuple[Any, Any]]:
    path = engine.path(shape)
    if isinstance(cls, Literal):
        return [(r[0], r[1]) for r in engine.data.select(q.select_pairs(focus, path))[1]]
    found = engine.data.subclasses(cls) if not isinstance(cls, BNode) else {cls}
    if any(isinstance(x, BNode) for x in found):
        return [(r[0], r[1]) for r in engine.data.select(q.select_pairs(focus, path, engine._class_fail(
            "?value", cls=cls, shape=shape)))[1]]
    classes = sorted(checks.sparql_term(x) for x in found)
    return [(r[0], r[1]) for r in engine.data.select(q.select_not_instances(focus, path, classes))[1]]


def _has_value(engine: Engine, shape: Shape, c: Constraint, focus: q.Focus) -> list[Hit]:
    data, path, hits = engine.data, engine.path(shape), []
    for hv in c.args["values"]:
        if isinstance(hv, BNode):
            from .fastshacl_shapes import UnsupportedShapeError

            raise UnsupportedShapeError(shape.node, c.component, "a blank node value")
        if data.stable(hv):  # exact even with surrogates: none of them stands for a term equal to hv
            term = checks.sparql_term(hv)
            query = q.select_focus(focus, f"!sameTerm(?this, {term})") if path is None else q.select_without(focus, path, term)
            hits += [_hit(shape, c, r[0]) for r in data.select(query)[1]]
            continue
        values: dict[Any, set[Node]] = {r[0]: set() for r in data.select(q.select_focus(focus))[1]}
        if path is None:
            values = {f: {data.rdf(f)} for f in values}
        else:
            for f, v in data.select(q.select_pairs(focus, path))[1]:
                values.setdefault(f, set()).add(data.rdf(v))
        hits += [_hit(shape, c, f) for f, found in values.items() if hv not in found]
    return hits


def _hit(shape: Shape, c: Constraint, focus: Any, value: Any = None) -> Hit:
    from .fastshacl_engine import Hit

    return Hit(shape, c.component, focus, value)


def _class_hits(shape: Shape, c: Constraint, values: Values, indexes: list[int]) -> list[Hit]:
    return [_hit(shape, c, f, v) for i in indexes for f, found in values.items() for v, row in found.items()
            if row[i] is not None and row[i].value == "true"]


class _Judge:
    """Each component's decision on the pairs, as pySHACL makes it (see ``fastshacl_values``)."""

    def __init__(self, engine: Engine) -> None:
        import pyoxigraph as ox

        self.engine, self.data = engine, engine.data
        self.ox = ox

    def rdf(self, term: Any) -> Node:
        return self.data.rdf(term)

    def candidates(self, c: Constraint) -> str:
        """A SPARQL condition over ``?value`` true for every value that may fail ``c``."""
        v = "?value"
        if c.kind == "Datatype":
            return self.engine._datatype_cond(v, c.args["datatype"])[0]
        if c.kind == "NodeKind":
            return self.engine._kind_fail(v, c)
        if c.kind == "In":
            members = [m for m in c.args["values"] if not isinstance(m, BNode) and self.data.stable(m)]
            return f"!{q.same_any_cond(v, [checks.sparql_term(m) for m in members])}"
        if c.kind == "LanguageIn":
            return q.lang_fail_cond(c.args["langs"], v)
        if c.kind == "Pattern":
            if c.args["flags"] or not all(_safe_regex(text) for _, text, _ in c.args["patterns"]):
                return "true"
            regexes = " || ".join(f"!REGEX(STR({v}), {q.string_literal(text)})" for _, text, _ in c.args["patterns"])
            return f"isBlank({v}) || {q.not_plain_cond(v)} || {regexes}"
        if c.kind in ("MinLength", "MaxLength"):
            op = "<" if c.kind == "MinLength" else ">"
            return f"isBlank({v}) || {q.not_plain_cond(v)} || STRLEN(STR({v})) {op} {c.args['n']}"
        op = {"MinInclusive": ">=", "MinExclusive": ">", "MaxInclusive": "<=", "MaxExclusive": "<"}[c.kind]
        tests = []
        for bound in c.args["bounds"]:
            if type(bound.value).__name__ in ("int", "Decimal", "float") and str(bound.datatype) in NUMERIC:
                tests.append(f"!(isNumeric({v}) && {v} {op} {checks.sparql_term(bound)})")
            else:
                return "true"
        return " || ".join(tests) or "false"

    def each(self, shape: Shape, c: Constraint, values: Values, fails: Callable[[Any], bool]) -> list[Hit]:
        return [_hit(shape, c, f, v) for f, found in values.items() for v in found if fails(v)]

    def plain_text(self, v: Any) -> str | None:
        """The string pySHACL matches a pattern or a length against, when it is the store's own
        (an IRI, a plain or language-tagged string that is no surrogate); else None."""
        if isinstance(v, self.ox.NamedNode):
            return v.value
        surrogate = self.data.has_risky and isinstance(v, self.ox.Literal) and v.language and "\u2063" in v.value
        if isinstance(v, self.ox.Literal) and (v.language or v.datatype.value == checks.XSD_STRING) and not surrogate:
            return v.value
        return None

    def NodeKind(self, shape: Shape, c: Constraint, values: Values) -> list[Hit]:
        kind = c.args["kind"]
        name = str(kind)[len(str(SH)):] if isinstance(kind, URIRef) and str(kind).startswith(str(SH)) else ""
        accepted = {"IRI": (self.ox.NamedNode,), "BlankNode": (self.ox.BlankNode,), "Literal": (self.ox.Literal,),
                    "BlankNodeOrIRI": (self.ox.BlankNode, self.ox.NamedNode),
                    "BlankNodeOrLiteral": (self.ox.BlankNode, self.ox.Literal),
                    "IRIOrLiteral": (self.ox.NamedNode, self.ox.Literal)}.get(name, ())
        return self.each(shape, c, values, lambda v: not isinstance(v, accepted))

    def Datatype(self, shape: Shape, c: Constraint, values: Values) -> list[Hit]:
        rule = c.args["datatype"]
        iri = str(rule)
        safe = checks.SURELY_WELL_TYPED.get(rule)  # type: ignore[call-overload]
        matcher = re.compile(safe) if safe else None
        checked = checks.datatype_checked_in_python(rule)

        def fails(v: Any) -> bool:
            if isinstance(v, self.ox.Literal):
                if v.language:
                    if rule == RDF.langString:
                        return False
                elif v.datatype.value == iri and (not checked or (matcher is not None and matcher.fullmatch(v.value))):
                    return False
            return not checks.datatype_ok(self.rdf(v), rule)

        return self.each(shape, c, values, fails)

    def In(self, shape: Shape, c: Constraint, values: Values) -> list[Hit]:
        members = c.args["values"]
        stable = {to_oxigraph(m) for m in members if not isinstance(m, Literal) or self.data.stable(m)}
        return self.each(shape, c, values, lambda v: v not in stable and self.rdf(v) not in members)

    def Pattern(self, shape: Shape, c: Constraint, values: Values) -> list[Hit]:
        hits = []
        for _, _, matcher in c.args["patterns"]:
            def fails(v: Any, matcher: re.Pattern[str] = matcher) -> bool:
                if isinstance(v, self.ox.BlankNode):
                    return True
                text = self.plain_text(v)
                if text is None:
                    return not checks.pattern_ok(self.rdf(v), matcher)
                return not (matcher.match(text) or matcher.search(text))
            hits += self.each(shape, c, values, fails)
        return hits

    def LanguageIn(self, shape: Shape, c: Constraint, values: Values) -> list[Hit]:
        langs = c.args["langs"]

        def fails(v: Any) -> bool:  # Oxigraph writes tags in lower case; pySHACL compares them so
            if not isinstance(v, self.ox.Literal) or not v.language:
                return True
            tag = v.language.lower()
            return not ("*" in langs or tag in langs or tag.split("-")[0] in langs)

        return self.each(shape, c, values, fails)

    def _length(self, shape: Shape, c: Constraint, values: Values) -> list[Hit]:
        n, minimum = c.args["n"], c.kind == "MinLength"

        def fails(v: Any) -> bool:
            text = self.plain_text(v)
            if text is None or (minimum and n == 0):
                return not checks.length_ok(self.rdf(v), n, minimum=minimum)
            return len(text) < n if minimum else len(text) > n

        return self.each(shape, c, values, fails)

    MinLength = MaxLength = _length

    def _range(self, shape: Shape, c: Constraint, values: Values) -> list[Hit]:
        hits = []
        for bound in c.args["bounds"]:
            hits += self.each(shape, c, values, partial(self._out_of_range, bound=bound, kind=c.kind))
        return hits

    def _out_of_range(self, v: Any, *, bound: Literal, kind: str) -> bool:
        if (type(bound.value) is int and not bound.ill_typed and isinstance(v, self.ox.Literal) and v.datatype.value == INTEGER
                and _INTEGER.fullmatch(v.value)):  # what rdflib's comparison of two integers comes to
            a, b = int(v.value), bound.value
            return not {"MinInclusive": a >= b, "MinExclusive": a > b, "MaxInclusive": a <= b, "MaxExclusive": a < b}[kind]
        return not checks.range_ok(self.rdf(v), bound, kind)

    MinInclusive = MinExclusive = MaxInclusive = MaxExclusive = _range


_SAFE = re.compile(r"(?:\\[.\-/\\^$*+?()\[\]{}|]|\[\^?(?:\\.|[^\\\]\[])+\]|\{[0-9]+(?:,[0-9]*)?\}|[^\\.\[\]{}]|\.)*")


def _safe_regex(text: str) -> bool:
    """Patterns that Python's ``re`` and Oxigraph's regular expressions read alike, except that
    Python's ``$`` also matches before a final newline (so a SPARQL mismatch only makes a
    candidate): characters, escaped punctuation, classes, groups, ``|``, quantifiers."""
    if any(x in text for x in ("(?", "&&", "--", "~~", "[[", "*+", "++", "?+", "}+")):
        return False
    return _SAFE.fullmatch(text) is not None
