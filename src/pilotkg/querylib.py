"""The library of named, parameterised SPARQL queries in ``queries/*.rq``.

Every file starts with a comment header::

    # title: Pilot cities of a batch
    # description: Which cities are pilot competitive manufacturing cities of a batch?
    # param: batch integer = 1 : the batch number
    # example: pilotkg query cq-batch-cities --param batch=1
    # result: city cityLabel designation
    # paragraphs: sichuan-first-pilot-lists 3

A query whose result can be long is paged: its header says how many rows a page holds
(``# page: 1000``), its ``ORDER BY`` sorts on every column it returns, and it takes a ``page``
parameter (1 by default, or ``all``). The page is cut with ``LIMIT`` and ``OFFSET``, written from
the checked number; on an embedded store whose build materialised the result
(:mod:`pilotkg.pages`), the page is read from there instead, the same rows in the same order.

Parameters reach the query as serialised, escaped RDF terms in a ``VALUES`` block placed at the
start of the outermost ``WHERE`` group: raw input never becomes query text, and the same query
text works on a remote endpoint. A parameter without a default, when not given, stays unbound,
unless it is marked ``required``. Each value is checked against the declared type:

``iri``, ``string``, ``integer``, ``decimal``, ``year`` (four digits), ``lang`` (a language tag),
and the resolvable types ``place``, ``industry``, ``requirement``, ``measure`` and ``entity``,
which accept an IRI or a label (en or zh, any case; a place also its GB/T 2260 code): a label is
looked up with ``resolve-label.rq`` on the same store, and an ambiguous one is an error listing
the candidates.

The store is a parameter: anything with rdflib's ``query(text)`` (an in-memory graph or dataset,
or :class:`pilotkg.store.EndpointStore` for a SPARQL 1.1 endpoint) runs every query unchanged.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result, ResultRow

from .assets import queries_dir
from .errors import QueryError

HEADER = re.compile(r"^#\s*(title|description|param|example|result|paragraphs|page)\s*:\s*(.*)$")
PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)(?P<required>\s+required)?"
                   r"(?:\s*=\s*(?P<default>[^:]+?))?\s*(?::\s*(?P<doc>.*))?$")
WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')
PK_NS = "https://w3id.org/pilotkg/ontology#"
#: Types whose values may be labels, resolved to an IRI of this class (None: any labelled resource).
RESOLVABLE: dict[str, str | None] = {"place": PK_NS + "Place", "industry": PK_NS + "Industry",
                                     "requirement": PK_NS + "Requirement", "measure": PK_NS + "Measure", "entity": None}
PARAM_TYPES = ("iri", "string", "integer", "decimal", "year", "lang", *RESOLVABLE)
MAX_VALUE_LENGTH = 2000
#: The parameter a paged query takes (``# page: SIZE``), of its own type: a page number from 1, or ``all``.
PAGE = "page"


class Queryable(Protocol):
    """A store the library can run on: an rdflib Graph or Dataset, or an endpoint wrapper."""

    def query(self, query_object: str) -> Result: ...


@dataclass
class Param:
    name: str
    type: str
    default: str | None = None
    doc: str = ""
    required: bool = False

    def describe(self) -> str:
        bits = [f"{self.name} ({self.type}{', required' if self.required else ''}"
                f"{', default ' + self.default if self.default else ''})"]
        return " ".join(bits) + (f": {self.doc}" if self.doc else "")


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
    #: The rows of a page, for a paged query (``# page: SIZE``); None for the others.
    page_size: int | None = None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryError(f"query {self.name!r} has no parameter {name!r}; {self.signature()}")

    def example_params(self) -> dict[str, str]:
        """The parameters of the header's first example (``--param NAME=VALUE``)."""
        import shlex

        argv = shlex.split(self.examples[0]) if self.examples else []
        return dict(argv[i + 1].partition("=")[::2] for i, word in enumerate(argv[:-1]) if word == "--param")

    def signature(self) -> str:
        if not self.params:
            return f"{self.name} takes no parameters"
        return f"{self.name} takes: " + "; ".join(p.describe() for p in self.params)


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
                                      (pm.group("doc") or "").strip(), bool(pm.group("required"))))
        elif key == "paragraphs":
            source, _, numbers = value.partition(" ")
            try:
                query.paragraphs[source] = [int(n) for n in re.split(r"[\s,]+", numbers.strip()) if n]
            except ValueError as exc:
                raise QueryError(f"{path}:{number}: paragraphs must be 'SOURCE N, N, ...'") from exc
        elif key == "page":
            if not re.fullmatch(r"[1-9][0-9]{0,6}", value):
                raise QueryError(f"{path}:{number}: '# page:' takes the number of rows of a page, from 1 to 9,999,999")
            query.page_size = int(value)
    if not query.title:
        raise QueryError(f"{path}:1: the query has no '# title:' header line")
    if query.page_size is not None:
        if any(p.name == PAGE for p in query.params):
            raise QueryError(f"{path}: a paged query takes the parameter {PAGE!r} of its own; name the other one otherwise")
        if not re.search(r"\bORDER\s+BY\b", _strip_comments(text), re.IGNORECASE):
            raise QueryError(f"{path}: a paged query needs an ORDER BY on every column it returns, so that a page "
                             "holds the same rows on every store")
        query.params.append(Param(PAGE, PAGE, "1", f"the page of {query.page_size:,} rows, from 1, or all"))
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


def to_term(param: Param, value: str, store: Queryable | None = None) -> URIRef | Literal:
    """Turn a parameter's text into an RDF term of its declared type, or refuse it clearly."""
    if len(value) > MAX_VALUE_LENGTH:
        raise QueryError(f"parameter {param.name!r}: the value is {len(value)} characters long; "
                         f"at most {MAX_VALUE_LENGTH} are accepted")
    if param.type in RESOLVABLE:
        if _looks_like_iri(value):
            return to_term(Param(param.name, "iri"), value)
        if store is None:
            raise QueryError(f"parameter {param.name!r}: {value!r} is not an IRI, and no store was given to look the label up in")
        return resolve(store, param, value)
    if param.type == PAGE:
        raise QueryError(f"parameter {param.name!r} chooses a page of the result, not a value in the query")
    if param.type == "iri":
        if not _looks_like_iri(value):
            raise QueryError(f"parameter {param.name!r}: {value!r} is not an absolute IRI "
                             "(no spaces, quotes, braces or angle brackets)")
        return URIRef(value)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", value):
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
        return Literal(value.lower())
    return Literal(value)


def _looks_like_iri(value: str) -> bool:
    return bool(value) and not IRI_FORBIDDEN.search(value) and bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S", value))


def resolve(store: Queryable, param: Param, text: str) -> URIRef:
    """The one resource of the parameter's class whose label (or code) is ``text``."""
    cls = RESOLVABLE[param.type]
    values = {"text": text}
    if cls is not None:
        values["class"] = cls
    candidates: dict[str, str] = {}
    for row in run(store, get("resolve-label"), values):
        assert isinstance(row, ResultRow)
        candidates.setdefault(str(row[0]), str(row[1]))
    if len(candidates) == 1:
        return URIRef(next(iter(candidates)))
    what = param.type if cls is not None else "resource"
    if not candidates:
        raise QueryError(f"parameter {param.name!r}: no {what} is labelled {text!r}; give its label (en or zh) or its IRI; "
                         "`pilotkg query search --param text=...` finds labels")
    listing = "; ".join(f"{label} <{iri}>" for iri, label in sorted(candidates.items()))
    raise QueryError(f"parameter {param.name!r}: {text!r} is ambiguous, {len(candidates)} candidates: {listing}; "
                     "give the IRI")


def page_number(query: NamedQuery, value: str | Sequence[str] | None) -> int | None:
    """The page asked of a paged query: a number from 1, or None for ``all``; 1 when not given."""
    if value is None:
        return 1
    if not isinstance(value, str):
        raise QueryError(f"parameter {PAGE!r}: one page at a time, not a list")
    text = value.strip()
    if text.lower() == "all":
        return None
    if not re.fullmatch(r"[1-9][0-9]{0,8}", text):
        raise QueryError(f"parameter {PAGE!r}: {value!r} is not a page; give a number from 1 "
                         f"(each page holds {query.page_size:,} rows), or all")
    return int(text)


def bind(query: NamedQuery, values: Mapping[str, str | Sequence[str]], store: Queryable | None = None) -> str:
    """The query text with a VALUES block for every given or defaulted parameter. A parameter
    given a list of values gets one row per value (several lists: every combination). A paged
    query gets the LIMIT and OFFSET of its page."""
    for name in values:
        query.param(name)  # refuses unknown names, listing the known ones
    text = query.text
    if query.page_size is not None:
        page = page_number(query, values.get(PAGE))
        if page is not None:
            text = f"{text.rstrip()}\nLIMIT {query.page_size} OFFSET {(page - 1) * query.page_size}\n"
    terms: dict[str, list[URIRef | Literal]] = {}
    for param in query.params:
        if param.type == PAGE:
            continue
        raw = values.get(param.name, param.default)
        if raw is None:
            if param.required:
                raise QueryError(f"query {query.name!r} needs parameter {param.name!r}; {query.signature()}")
            continue
        items = [raw] if isinstance(raw, str) else list(raw)
        if not items:
            raise QueryError(f"parameter {param.name!r}: an empty list of values")
        terms[param.name] = [to_term(param, item, store) for item in items]
    if not terms:
        return text
    names = " ".join(f"?{n}" for n in terms)
    rows = " ".join("(" + " ".join(t.n3() for t in combo) + ")" for combo in itertools.product(*terms.values()))
    block = f" VALUES ({names}) {{ {rows} }} "
    body = _strip_comments(text)
    match = WHERE.search(body)
    if match is None:
        raise QueryError(f"{query.path}: the query has parameters but no WHERE clause to bind them in")
    return text[:match.end()] + block + text[match.end():]


def _strip_comments(text: str) -> str:
    """Blank out comments (keeping offsets) so that WHERE in a comment is not matched."""
    return re.sub(r"(?m)(?:^|(?<=\s))#[^\n]*", lambda m: " " * len(m.group()), text)


def run(store: Queryable, query: NamedQuery, values: Mapping[str, str | Sequence[str]] | None = None) -> Result:
    """Run a named query with its parameters on any store. A page of a paged query comes from
    the store's materialised pages when it has them for this query (:mod:`pilotkg.pages`)."""
    values = values or {}
    if query.page_size is not None and set(values) <= {PAGE}:
        materialised = getattr(store, "materialised_page", None)
        if materialised is not None:
            found = materialised(query, page_number(query, values.get(PAGE)))
            if found is not None:
                return found
    text = bind(query, values, store)
    try:
        return store.query(text)
    except QueryError:
        raise
    except Exception as exc:
        raise QueryError(f"query {query.name!r} failed: {exc}") from exc


def run_text(store: Queryable, text: str) -> Result:
    try:
        return store.query(text)
    except Exception as exc:
        raise QueryError(f"query failed: {exc}") from exc
