"""The SPARQL text of the fast SHACL engine (:mod:`pilotkg.fastshacl`), in one module.

Every query here is generated from a compiled shape, not written by hand: none belongs in
``queries/``. Each returns only the rows a constraint needs (focus nodes and value nodes that may
fail), so that little leaves the store. A *focus* is a function from a variable name to a group
graph pattern that binds that variable to each focus node (duplicates allowed: every query
below is written with ``DISTINCT`` or ``COUNT(DISTINCT ...)``, because a union default graph
repeats a triple held by two graphs).

Conditions (``*_cond``) are SPARQL boolean expressions over one variable, used in ``FILTER``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>"

class Focus:
    """The focus nodes of an evaluation: ``focus(var)`` is a group pattern binding ``var`` to each
    of them. ``scan`` says they are many (a shape's targets): a path from them is then joined as
    one scan a step (a hash join) rather than looked up node by node, which on Oxigraph's on-disk
    store is several times cheaper for thousands of nodes."""

    def __init__(self, body: Callable[[str], str], *, scan: bool) -> None:
        self.body, self.scan = body, scan

    def __call__(self, var: str) -> str:
        return self.body(var)

#: A property path as the SPARQL paths of its steps (a sequence split into its members).
Steps = list[str]


def joined(steps: Steps) -> str:
    return steps[0] if len(steps) == 1 else "(" + " / ".join(steps) + ")"

_counter = itertools.count()


def fresh(stem: str = "v") -> str:
    """A variable name no user query and no other template uses."""
    return f"?_fs{stem}{next(_counter)}"


# ---------------------------------------------------------------------------------------------
# Foci


def targets_focus(classes: Iterable[str], nodes: Iterable[str], subjects_of: Iterable[str],
                  objects_of: Iterable[str], class_paths: Iterable[str] = ()) -> Focus:
    """The focus nodes of a shape's targets: instances of the (already expanded) classes, the
    target nodes, the subjects and objects of the given predicates. ``class_paths`` are classes
    whose subclasses could not be listed (blank nodes): matched with ``rdf:type/rdfs:subClassOf*``."""
    classes, nodes = sorted(set(classes)), sorted(set(nodes))
    subjects_of, objects_of, class_paths = sorted(set(subjects_of)), sorted(set(objects_of)), sorted(set(class_paths))

    def body(var: str) -> str:
        parts = []
        if len(classes) == 1 and not (nodes or subjects_of or objects_of or class_paths):
            return f"{{ SELECT ?_fsany WHERE {{ ?_fsany {RDF_TYPE} {classes[0]} . }} }}".replace("?_fsany", var)
        if classes:
            cls = fresh("c")
            parts.append(f"{{ VALUES {cls} {{ {' '.join(classes)} }} {var} {RDF_TYPE} {cls} . }}")
        for c in class_paths:
            t = fresh("t")
            parts.append(f"{{ {var} {RDF_TYPE} {t} . {t} {SUBCLASS}* {c} . }}")
        if nodes:
            parts.append(f"{{ VALUES {var} {{ {' '.join(nodes)} }} }}")
        parts += [f"{{ {var} {p} {fresh('o')} . }}" for p in subjects_of]
        parts += [f"{{ {fresh('s')} {p} {var} . }}" for p in objects_of]
        if not parts:
            return f"{{ VALUES {var} {{ }} }}"
        return f"{{ SELECT DISTINCT {var} WHERE {{ {' UNION '.join(parts)} }} }}"

    return Focus(body, scan=True)


def values_focus(parent: Focus, path: Steps | None) -> Focus:
    """The value nodes of a parent focus along a path (the parent's focus itself for a node
    shape): the candidates a nested shape (sh:or, sh:node, sh:qualifiedValueShape...) checks."""
    if path is None:
        return parent

    def body(var: str) -> str:
        p = fresh("p")
        return f"{{ SELECT DISTINCT {var} WHERE {{ {parent(p)} {value_pattern(path, p, var)} }} }}"

    return Focus(body, scan=False)


def terms_focus(terms: Iterable[str]) -> Focus:
    """An explicit list of focus nodes (IRIs and literals in SPARQL syntax, never blank nodes)."""
    listed = " ".join(sorted(set(terms)))
    return Focus(lambda var: f"{{ VALUES {var} {{ {listed} }} }}", scan=False)


# ---------------------------------------------------------------------------------------------
# Row queries over a focus and, for a property shape, its path (None for a node shape).


def value_pattern(path: Steps | None, this: str = "?this", value: str = "?value", *, scan: bool = False) -> str:
    """The pattern binding ``value`` to each value of ``this``: one triple pattern a step (Oxigraph
    runs those faster than a sequence path), each in a sub-query of its own with ``scan`` (a
    scan and a hash join); ``BIND`` for a node shape."""
    if path is None:
        return f"BIND({this} AS {value})"
    names = [this] + [fresh("m") for _ in path[:-1]] + [value]
    parts = []
    for step, subject, obj in zip(path, names, names[1:], strict=False):
        simple = step.startswith("<") or (step.startswith("^<") and " " not in step)
        triple = f"{obj} {step[1:]} {subject} ." if step.startswith("^<") and simple else f"{subject} {step} {obj} ."
        parts.append(f"{{ SELECT {subject} {obj} WHERE {{ {triple} }} }}" if scan and simple else triple)
    return " ".join(parts)


def select_focus(focus: Focus, cond: str = "true") -> str:
    return f"SELECT DISTINCT ?this WHERE {{ {focus('?this')} FILTER({cond}) }}"


def select_pairs(focus: Focus, path: Steps | None, cond: str = "true") -> str:
    """Focus and value pairs whose value meets ``cond`` (a condition over ``?value``)."""
    return (f"SELECT DISTINCT ?this ?value WHERE {{ {focus('?this')} {value_pattern(path, scan=focus.scan)} "
            f"FILTER({cond}) }}")


def select_not_instances(focus: Focus, path: Steps | None, classes: list[str]) -> str:
    """sh:class: pairs whose value has none of the classes (listed with their subclasses)."""
    t = fresh("t")
    return (f"SELECT DISTINCT ?this ?value WHERE {{ {focus('?this')} {value_pattern(path, scan=focus.scan)} "
            f"MINUS {{ VALUES {t} {{ {' '.join(classes)} }} ?value {RDF_TYPE} {t} . }} }}")


def select_without(focus: Focus, path: Steps, value: str | None = None) -> str:
    """Focus nodes without any value (or without ``value`` among their values): an anti-join."""
    where = value_pattern(path, scan=focus.scan) + (f" FILTER(sameTerm(?value, {value}))" if value else "")
    return f"SELECT DISTINCT ?this WHERE {{ {focus('?this')} MINUS {{ {where} }} }}"


def select_count_over(focus: Focus, path: Steps, op: str, limit: int) -> str:
    """Focus nodes having some value, whose number of distinct values compares to ``limit`` by
    ``op`` (``<``, ``>``)."""
    return (f"SELECT ?this WHERE {{ {focus('?this')} {value_pattern(path, scan=focus.scan)} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {limit})")


def select_duplicate_langs(focus: Focus, path: Steps) -> str:
    """sh:uniqueLang: each focus node and (lower-cased) language with two values or more."""
    return (f"SELECT ?this ?lang WHERE {{ {focus('?this')} {value_pattern(path, scan=focus.scan)} "
            "FILTER(isLiteral(?value) && LANG(?value) != \"\") BIND(LCASE(LANG(?value)) AS ?lang) } "
            "GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1)")


def select_counts(focus: Focus, path: Steps, cond: str, having: str) -> str:
    """Focus nodes whose number of distinct values meeting ``cond`` (0 when none) meets
    ``having`` (a condition over ``?n``), with that number."""
    return (f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus('?this')} "
            f"OPTIONAL {{ {value_pattern(path, scan=focus.scan)} FILTER({cond}) }} }} GROUP BY ?this "
            f"HAVING ({having.replace('?n', 'COUNT(DISTINCT ?value)')})")


def select_focus_values(focus: Focus, path: Steps) -> str:
    """Every value of every focus node (OPTIONAL: focus nodes without values are listed too)."""
    return f"SELECT DISTINCT ?this ?value WHERE {{ {focus('?this')} OPTIONAL {{ {value_pattern(path)} }} }}"


def select_compare(focus: Focus, path: Steps | None, predicate: str, cond: str) -> str:
    """sh:lessThan(OrEquals): value and compared value pairs of each focus node meeting ``cond``
    (a condition over ``?value`` and ``?other``)."""
    return (f"SELECT DISTINCT ?this ?value ?other WHERE {{ {focus('?this')} {value_pattern(path, scan=focus.scan)} "
            f"?this {predicate} ?other . FILTER({cond}) }}")


def select_subclasses() -> str:
    return f"SELECT DISTINCT ?sub ?sup WHERE {{ ?sub {SUBCLASS} ?sup }}"


def select_description() -> str:
    """The statements about one blank node (bound by substitution), to copy it into a report."""
    return "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"


# ---------------------------------------------------------------------------------------------
# Conditions over one variable


def kind_fail_cond(kind: str, var: str) -> str:
    """True when ``var`` does not match the node kind (local name of sh:IRI, sh:Literal...)."""
    accepted = {"IRI": f"isIRI({var})", "BlankNode": f"isBlank({var})", "Literal": f"isLiteral({var})",
                "BlankNodeOrIRI": f"(isBlank({var}) || isIRI({var}))",
                "BlankNodeOrLiteral": f"(isBlank({var}) || isLiteral({var}))",
                "IRIOrLiteral": f"(isIRI({var}) || isLiteral({var}))"}
    return f"!{accepted[kind]}" if kind in accepted else "true"


def lang_fail_cond(langs: list[str], var: str) -> str:
    """sh:languageIn as pySHACL reads it: the tag, or its first subtag, in the (lower-cased) list."""
    if "*" in langs:
        return f"(!isLiteral({var}) || LANG({var}) = \"\")"
    listed = ", ".join(string_literal(x) for x in langs)
    tag = f"LCASE(LANG({var}))"
    first = f"IF(CONTAINS({tag}, \"-\"), STRBEFORE({tag}, \"-\"), {tag})"
    return (f"(!isLiteral({var}) || LANG({var}) = \"\" || !({tag} IN ({listed}) || {first} IN ({listed})))")


def not_plain_cond(var: str) -> str:
    """A literal other than a plain or language-tagged string: its checks run in Python."""
    return f"(isLiteral({var}) && datatype({var}) != <{XSD}string> && datatype({var}) != {RDF_LANGSTRING})"


def same_any_cond(var: str, terms: Iterable[str]) -> str:
    listed = [f"sameTerm({var}, {t})" for t in terms]
    return "(" + " || ".join(listed) + ")" if listed else "false"


def chain(var: str, path: Steps, last: str, inner: str = "") -> str:
    """``EXISTS`` of a value ``last`` of ``var`` along the path, one nested ``EXISTS`` per step
    (``inner``, a filter on ``last``, goes in the deepest)."""
    names = [fresh("m") for _ in path[:-1]] + [last]
    text = f"{{ {names[-2] if len(names) > 1 else var} {path[-1]} {last} . {inner} }}"
    for i in range(len(path) - 2, -1, -1):
        subject = var if i == 0 else names[i - 1]
        text = f"{{ {subject} {path[i]} {names[i]} . FILTER EXISTS {text} }}"
    return f"EXISTS {text}"


def exists_value(var: str, path: Steps | None, cond: Callable[[str], str]) -> str:
    """True when some value of ``var`` along ``path`` meets ``cond`` (``var`` itself for a node shape)."""
    if path is None:
        return cond(var)
    v = fresh()
    return chain(var, path, v, f"FILTER({cond(v)})")


def no_value(var: str, path: Steps) -> str:
    return f"!{chain(var, path, fresh())}"


def two_values(var: str, path: Steps) -> str:
    a, b = fresh(), fresh()
    return chain(var, path, a, f"FILTER({chain(var, path, b, f'FILTER(!sameTerm({a}, {b}))')})")


def not_instance(var: str, cls: str) -> str:
    t = fresh("t")
    return f"NOT EXISTS {{ {var} {RDF_TYPE} {t} . FILTER EXISTS {{ {t} {SUBCLASS}* {cls} }} }}"


def not_instance_of_any(var: str, classes: list[str]) -> str:
    t = fresh("t")
    return f"NOT EXISTS {{ {var} {RDF_TYPE} {t} . FILTER({t} IN ({', '.join(classes)})) }}"


# ---------------------------------------------------------------------------------------------
# SPARQL-based constraints: run once for every focus node instead of once per focus node


def string_literal(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))
    return f'"{escaped}"'


_SKIP = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<open>\{) | (?P<paren>[()]) | (?P<select>\bSELECT\b)
""", re.VERBOSE | re.DOTALL | re.IGNORECASE)
_PROJECTED_THIS = re.compile(r"[?$]this\b")
_MODIFIER = re.compile(r"\s*(DISTINCT|REDUCED)\b", re.IGNORECASE)


def inject_focus(query: str, focus_pattern: str) -> str:
    """The query with ``focus_pattern`` (binding ``?this``) joined first into its WHERE group and
    ``?this`` projected: for the simple queries this is used on (checked beforehand: no
    sub-queries, aggregates, VALUES, MINUS, GRAPH or solution modifiers), the same rows as
    running the query once per focus node with ``$this`` pre-bound."""
    select_at = None
    depth = 0
    for m in _SKIP.finditer(query):
        if m.group("select") and select_at is None:
            select_at = m.end()
        elif m.group("paren") and select_at is not None:
            depth += 1 if m.group("paren") == "(" else -1
        elif m.group("open") and select_at is not None and depth == 0:
            brace = m.end()
            projection = query[select_at:m.start()]
            head = query[:select_at]
            modifier = _MODIFIER.match(projection)
            cut = modifier.end() if modifier else 0
            if "*" not in projection and not _PROJECTED_THIS.search(projection):
                projection = projection[:cut] + " ?this" + projection[cut:]
            return f"{head}{projection}{query[m.start():brace]} {focus_pattern} {query[brace:]}"
    raise ValueError("no SELECT ... WHERE { } found in the query")


def substitute_path(query: str, path: str) -> str:
    """``$PATH`` replaced as pySHACL replaces it (after a space, brace or parenthesis)."""
    return re.sub(r"([\s{}()])[\$\?]PATH", lambda m: m.group(1) + path, query, flags=re.M)


def prefixed(prefixes: dict[str, str], query: str) -> str:
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    return f"{head}\n{query}"


_STRIP = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
""", re.VERBOSE | re.DOTALL)
_PREFIX = re.compile(r"PREFIX\s+([\w.-]*):\s*(<[^>]*>)", re.IGNORECASE)
_REFUSED = re.compile(r"(?<![\w:?$])(LIMIT|OFFSET|ORDER\s+BY|GROUP\s+BY|HAVING|VALUES|MINUS|SERVICE|GRAPH|FROM|"
                      r"(?:COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\()(?![\w:])", re.IGNORECASE)
_SELECT = re.compile(r"(?<![\w:?$])SELECT(?![\w:])", re.IGNORECASE)
_PNAME = re.compile(r"(?<![\w?$:<.-])([A-Za-z][\w.-]*|):([\w.%-]*[\w%-]|)")
_TERM = r"(?:[?$]\w+|<>|[\w.-]*:[\w.%-]*|_:\w+|[\]);,\[])"
_VARIABLE_PREDICATE = re.compile(_TERM + r"\s*[?$]\w+\s+(?:[?$]\w+|<>|[\w-]*:|_:|\"|'|[\d+-]|\[|\(|true\b|false\b)")
_NEGATED = re.compile(r"!\s*(?:\(\s*)?(?:<>|\^|a\b|[\w.-]*:)")
#: rdf:type (``a``) in a predicate or path position reaching a variable: the query reads any class
_ANY_CLASS = re.compile(r"(?<![\w:?$])(?:a|rdf:type)(?:\s*/\s*[^\s?$/]+)*\s+[?$]\w")


def analyse(query: str) -> tuple[str, set[str] | None]:
    """Read a SPARQL-based constraint's query (prefixes applied) without parsing it: why running it
    once for all focus nodes could differ from once per focus node with ``$this`` pre-bound ("" if
    it cannot: no sub-query, aggregate, solution modifier, VALUES, MINUS, SERVICE, GRAPH or FROM),
    and every IRI it mentions, None when it may read a predicate it does not name (a variable
    predicate or a negated property set: found conservatively)."""
    iris = {f"<{RDF_TYPE[1:-1]}>"}
    prefixes: dict[str, str] = {}
    for m in _PREFIX.finditer(query):
        prefixes[m.group(1)] = m.group(2)
    for m in _STRIP.finditer(query):
        if m.group("iri"):
            iris.add(m.group("iri"))
    body = _STRIP.sub(lambda m: (" a " if m.group("iri") == RDF_TYPE else "<>") if m.group("iri")
                      else (" " if m.group("comment") else '""'), query)
    body = _PREFIX.sub(" ", body)
    refused = sorted({" ".join(m.group(1).upper().split()).rstrip("(").strip() for m in _REFUSED.finditer(body)})
    if len(_SELECT.findall(body)) > 1:
        refused.append("a sub-query")
    if refused:
        return "a query with " + ", ".join(refused), None
    for m in _PNAME.finditer(body):
        if m.group(1) in prefixes:
            iris.add(f"<{prefixes[m.group(1)][1:-1]}{m.group(2)}>")
    where = body[body.find("{"):]
    if _VARIABLE_PREDICATE.search(where) or _NEGATED.search(where) or _ANY_CLASS.search(where):
        return "", None
    return "", iris
