"""Value checks of the fast SHACL engine that must read a literal exactly as pySHACL reads it.

SPARQL narrows the candidates (a superset of the failing values); the last word on a literal is
said here, on the rdflib term, with pySHACL's own logic (``pyshacl.constraints.core``): rdflib's
idea of an ill-typed literal, Python's ``re`` for ``sh:pattern``, pySHACL's ``compare_literal``
for the value ranges. Term conversion from pyoxigraph to rdflib lives here too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node, _toPythonMapping

from .store import to_oxigraph

XSD_STRING = str(XSD.string)

#: Lexical forms (as Oxigraph writes a valid value) that rdflib certainly reads as a well-typed
#: value of the datatype pySHACL asks for: literals matching them need no check in Python.
SURELY_WELL_TYPED = {
    XSD.integer: "^-?[0-9]+$",
    XSD.decimal: "^-?[0-9]+([.][0-9]+)?$",
    XSD.boolean: "^(true|false)$",
}


def sparql_term(term: Node) -> str:
    """An IRI or literal in SPARQL syntax (blank nodes have none: the caller avoids them)."""
    if isinstance(term, BNode):
        raise ValueError("a blank node cannot be written in a query")
    return str(to_oxigraph(term))


# ---------------------------------------------------------------------------------------------
# pySHACL's checks, on rdflib terms


def datatype_ok(v: Node, rule: Node) -> bool:
    """pySHACL's DatatypeConstraintComponent for one value node."""
    if not isinstance(v, Literal):
        return False
    datatype, lang = v.datatype, v.language
    if datatype == rule:
        return v.ill_typed is not True and _actual_datatype(v, rule)
    if rule == RDFS.Literal:
        return True
    if rule == RDFS.Datatype and datatype:
        return True
    if datatype is None and lang is None and rule == XSD.string:
        return _actual_datatype(v, rule)
    if rule == RDF.langString and lang:
        return _actual_datatype(v, rule)
    return False


def _actual_datatype(v: Literal, rule: Node) -> bool:
    value = v.value
    checks: dict[Node, Any] = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int,
                               XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date,
                               XSD.time: time, XSD.dateTime: datetime}
    expected = checks.get(rule)
    return True if expected is None else isinstance(value, expected)


def datatype_checked_in_python(rule: Node) -> bool:
    """Whether rdflib converts this datatype's lexical forms (so that one can be ill-typed)."""
    return rule in _toPythonMapping and _toPythonMapping[rule] is not None  # type: ignore[index]


def node_string(v: Node) -> str:
    """pySHACL's ``value_node_to_string`` (sh:pattern, sh:minLength, sh:maxLength)."""
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


def pattern_ok(v: Node, matcher: re.Pattern[str]) -> bool:
    if isinstance(v, BNode):
        return False
    text = node_string(v)
    return bool(matcher.match(text) or matcher.search(text))


def length_ok(v: Node, n: int, *, minimum: bool) -> bool:
    if minimum and n == 0:
        return True
    if isinstance(v, BNode):
        return False
    return len(node_string(v)) >= n if minimum else len(node_string(v)) <= n


def language_ok(v: Node, langs: list[str]) -> bool:
    if not isinstance(v, Literal) or not v.language:
        return False
    if "*" in langs:
        return True
    tag = str(v.language)
    return tag.lower() in langs or tag.split("-")[0].lower() in langs


def range_ok(v: Node, bound: Literal, kind: str) -> bool:
    """pySHACL's value range components (MinInclusive ...) for one value node."""
    from pyshacl.rdfutil.compare import compare_literal

    if not isinstance(v, Literal):
        return False
    bound_is_string, v_is_string = isinstance(bound.value, str), isinstance(v.value, str)
    if bound_is_string != v_is_string:
        return False
    try:
        cmp = compare_literal(v, bound)
    except (TypeError, NotImplementedError):
        return False
    return {"MinInclusive": cmp >= 0, "MinExclusive": cmp > 0, "MaxInclusive": cmp <= 0, "MaxExclusive": cmp < 0}[kind]


def compare_fails(value: Node, other: Node, *, or_equals: bool) -> bool:
    """pySHACL's sh:lessThan (sh:lessThanOrEquals) for one pair; blank nodes are its error."""
    if isinstance(value, BNode) or isinstance(other, BNode):
        name = "sh:lessThanOrEquals" if or_equals else "sh:lessThan"
        raise ValueError(f"Cannot use {name} to compare a BlankNode.")

    def plain(n: Node) -> tuple[Any, bool]:
        if isinstance(n, URIRef):
            return str(n), True
        if isinstance(n, Literal) and isinstance(n.value, str):
            return n.value, True
        return n, False

    a, a_str = plain(value)
    b, b_str = plain(other)
    if a_str != b_str:
        return True
    return not (a <= b if or_equals else a < b)


def sparql_message(message: Node, bindings: Any) -> Node:
    """A message of a SPARQL-based result with ``{$var}``/``{?var}`` replaced as pySHACL
    replaces them (``_format_sparql_based_result_message``): the language tag is dropped."""
    if not isinstance(message, Literal):
        return message
    text = str(message.value)
    values: dict[str, Any] = {}
    if isinstance(bindings, tuple):
        this, path, value, others = bindings
        values.update(others)
        for name, term in (("this", this), ("path", path), ("value", value)):
            if term is not None:
                values[name] = term
    elif isinstance(bindings, Mapping):
        values.update(bindings)
    for var, val in values.items():
        text = re.sub(f"{{[?$]{var}}}", str(val), text)
    return Literal(text)

