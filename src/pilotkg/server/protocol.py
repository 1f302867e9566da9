"""The SPARQL 1.1 Protocol's rules, apart from the web framework: what kind of operation a text
is, whether it may run (SERVICE and LOAD are refused unless allowed), and which media type to
answer with (content negotiation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import PilotkgError

SELECT_MEDIA = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values")
GRAPH_MEDIA = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")
#: ``?format=`` shortcuts, as Fuseki and Virtuoso accept them.
FORMAT_ALIASES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
                  "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
                  "nt": "application/n-triples", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
                  "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml"}


class ProtocolError(PilotkgError):
    """A request the protocol refuses, with the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class Operation:
    kind: str  # select, ask, construct, describe, update
    uses_service: bool = False
    uses_load: bool = False


def _contains(node: Any, names: set[str], depth: int = 0) -> bool:
    """Whether rdflib's parse tree has a node named one of ``names`` anywhere below."""
    if depth > 200:
        return False
    name = getattr(node, "name", None)
    if isinstance(name, str) and name in names:
        return True
    if isinstance(node, dict):
        return any(_contains(v, names, depth + 1) for v in node.values())
    from pyparsing import ParseResults

    if isinstance(node, (list, tuple, ParseResults)):
        return any(_contains(v, names, depth + 1) for v in node)
    return False


def inspect_query(text: str) -> Operation:
    """The kind of a query, parsed (a malformed one is a 400 with the parser's message)."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(text)
    except Exception as exc:  # pyparsing's errors and others
        raise ProtocolError(400, f"malformed query: {exc}") from exc
    name = str(getattr(parsed[1], "name", ""))
    kind = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct",
            "DescribeQuery": "describe"}.get(name)
    if kind is None:
        raise ProtocolError(400, f"unsupported query form {name}")
    # FROM and FROM NAMED make rdflib fetch the named URL or file: refused as LOAD is
    return Operation(kind, uses_service=_contains(parsed, {"ServiceGraphPattern"}), uses_load=_contains(parsed, {"DatasetClause"}))


def inspect_update(text: str) -> Operation:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except Exception as exc:
        raise ProtocolError(400, f"malformed update: {exc}") from exc
    return Operation("update", uses_service=_contains(parsed, {"ServiceGraphPattern"}),
                     uses_load=_contains(parsed, {"Load", "UsingClause"}))


def check_allowed(operation: Operation, *, allow_service: bool, allow_load: bool) -> None:
    if operation.uses_service and not allow_service:
        raise ProtocolError(403, "SERVICE (federated query) is refused by this server: it would make the server fetch "
                                 "from other hosts. Start it with --allow-service to permit it.")
    if operation.uses_load and not allow_load:
        raise ProtocolError(403, "LOAD (and FROM, FROM NAMED, USING) is refused by this server: it would make the server "
                                 "fetch a URL or read a file. Start it with --allow-load to permit it.")


def _accepted(accept: str) -> list[tuple[str, float]]:
    out = []
    for part in accept.split(","):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        out.append((bits[0].lower(), q))
    return out


def negotiate(accept: str | None, offered: tuple[str, ...], *, format_param: str | None = None) -> str:
    """The offered media type the client prefers (``offered[0]`` when it does not say); 406 when
    it accepts none of them."""
    if format_param:
        chosen = FORMAT_ALIASES.get(format_param.lower(), format_param)
        if chosen not in offered:
            raise ProtocolError(406, f"format {format_param!r} is not offered here; use one of {', '.join(offered)}")
        return chosen
    if not accept:
        return offered[0]
    best, best_q = None, 0.0
    for media, q in _accepted(accept):
        for i, candidate in enumerate(offered):
            major = candidate.split("/")[0]
            if q > 0 and (media == candidate or media == "*/*" or media == f"{major}/*" or
                          (media == "application/json" and candidate == "application/sparql-results+json")):
                score = q - i * 1e-3 - (0.0005 if media.endswith("*") else 0)
                if best is None or score > best_q:
                    best, best_q = candidate, score
    if best is None:
        raise ProtocolError(406, f"none of the accepted types ({accept}) is offered; this answer comes as {', '.join(offered)}")
    return best
