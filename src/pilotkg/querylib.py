"""The library of named, parameterised SPARQL queries in ``queries/*.rq``.

Every file starts with a comment header::

    # title: Pilot cities of a batch
    # description: Which cities are pilot competitive manufacturing cities of a batch?
    # param: batch integer = 1 : the batch number
    # example: pilotkg query cq-batch-cities --param batch=1
    # result: city cityLabel designation
    # paragraphs: sichuan-first-pilot-lists 3

Parameters reach the query as serialised, escaped RDF terms in a ``VALUES`` block placed at the
start of the outermost ``WHERE`` group: raw input never becomes query text, and the same query
text works on a remote endpoint. A parameter without a default, when not given, stays unbound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from .assets import queries_dir
from .errors import QueryError

HEADER = re.compile(r"^#\s*(title|description|param|example|result|paragraphs)\s*:\s*(.*)$")
PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)(?:\s*=\s*(?P<default>[^:]+?))?\s*(?::\s*(?P<doc>.*))?$")
WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')
PARAM_TYPES = ("iri", "string", "integer", "decimal", "year", "lang")


@dataclass
class Param:
    name: str
    type: str
    default: str | None = None
    doc: str = ""


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    result: str = ""
    paragraphs: dict[str, list[int]] = field(default_factory=dict)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (its parameters: {known})")


def parse_header(name: str, path: Path, text: str) -> NamedQuery:
    query = NamedQuery(name, path, text)
    last = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        match = HEADER.match(line)
        if match is None:
            if last == "description" and line.startswith("#  "):
                query.description += " " + line[1:].strip()
            continue
        key, value = match.group(1), match.group(2).strip()
        last = key
        if key == "title":
            query.title = value
        elif key == "description":
            query.description = value
        elif key == "example":
            query.examples.append(value)
        elif key == "result":
            query.result = value
        elif key == "param":
            pm = PARAM.match(value)
            if pm is None or pm.group("type") not in PARAM_TYPES:
                raise QueryError(f"{path}:{number}: malformed parameter {value!r}; write "
                                 f"'# param: NAME TYPE [= DEFAULT] : DOC' with TYPE one of {', '.join(PARAM_TYPES)}")
            query.params.append(Param(pm.group("name"), pm.group("type"),
                                      pm.group("default").strip() if pm.group("default") else None,
                                      (pm.group("doc") or "").strip()))
        elif key == "paragraphs":
            source, _, numbers = value.partition(" ")
            try:
                query.paragraphs[source] = [int(n) for n in re.split(r"[\s,]+", numbers.strip()) if n]
            except ValueError as exc:
                raise QueryError(f"{path}:{number}: paragraphs must be 'SOURCE N, N, ...'") from exc
    if not query.title:
        raise QueryError(f"{path}:1: the query has no '# title:' header line")
    return query


def library(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query, by name (the file name without ``.rq``)."""
    folder = folder or queries_dir()
    return {p.stem: load(p) for p in sorted(folder.glob("*.rq"))}


def load(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"cannot read query {path}: {exc.strerror}") from exc
    return parse_header(path.stem, path, text)


def get(name: str, folder: Path | None = None) -> NamedQuery:
    queries = library(folder)
    if name not in queries:
        raise QueryError(f"no query named {name!r}; `pilotkg queries` lists them")
    return queries[name]


def to_term(param: Param, value: str) -> URIRef | Literal:
    """Turn a parameter's text into an RDF term of its declared type, or refuse it."""
    if param.type == "iri":
        if not value or IRI_FORBIDDEN.search(value) or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            raise QueryError(f"parameter {param.name!r}: {value!r} is not an absolute IRI")
        return URIRef(value)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise QueryError(f"parameter {param.name!r}: {value!r} is not an integer")
        return Literal(int(value))
    if param.type == "decimal":
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value):
            raise QueryError(f"parameter {param.name!r}: {value!r} is not a decimal number")
        return Literal(value, datatype=XSD.decimal)
    if param.type == "year":
        if not re.fullmatch(r"\d{4}", value):
            raise QueryError(f"parameter {param.name!r}: {value!r} is not a four-digit year")
        return Literal(value, datatype=XSD.gYear)
    if param.type == "lang":
        if not re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", value):
            raise QueryError(f"parameter {param.name!r}: {value!r} is not a language tag")
        return Literal(value)
    return Literal(value)


def bind(query: NamedQuery, values: dict[str, str]) -> str:
    """The query text with a VALUES block for every given or defaulted parameter."""
    terms: dict[str, URIRef | Literal] = {}
    for name in values:
        query.param(name)  # refuses unknown names
    for param in query.params:
        raw = values.get(param.name, param.default)
        if raw is not None:
            terms[param.name] = to_term(param, raw)
    if not terms:
        return query.text
    names = " ".join(f"?{n}" for n in terms)
    row = " ".join(t.n3() for t in terms.values())
    block = f" VALUES ({names}) {{ ({row}) }} "
    body = _strip_comments(query.text)
    match = WHERE.search(body)
    if match is None:
        raise QueryError(f"{query.path}: the query has parameters but no WHERE clause to bind them in")
    return query.text[:match.end()] + block + query.text[match.end():]


def _strip_comments(text: str) -> str:
    """Blank out comments (keeping offsets) so that WHERE in a comment is not matched."""
    return re.sub(r"(?m)(?:^|(?<=\s))#[^\n]*", lambda m: " " * len(m.group()), text)


def run(graph: Graph, query: NamedQuery, values: dict[str, str] | None = None) -> Result:
    text = bind(query, values or {})
    try:
        return graph.query(text)
    except Exception as exc:
        raise QueryError(f"query {query.name!r} failed: {exc}") from exc


def run_text(graph: Graph, text: str) -> Result:
    try:
        return graph.query(text)
    except Exception as exc:
        raise QueryError(f"query failed: {exc}") from exc
