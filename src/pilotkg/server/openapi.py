"""The OpenAPI 3.1 document of the query library over HTTP: one path per named query, its
parameters as query parameters, its results in the SPARQL 1.1 result formats."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import __version__, querylib
from .protocol import SELECT_MEDIA

_SCHEMA = {"iri": {"type": "string", "format": "iri"}, "integer": {"type": "integer"}, "decimal": {"type": "number"},
           "year": {"type": "string", "pattern": "^[0-9]{4}$"}, "lang": {"type": "string", "example": "zh"},
           "page": {"type": "string", "pattern": "^([1-9][0-9]{0,8}|all)$", "example": "2"}}


def document(queries: Iterable[querylib.NamedQuery]) -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/api/queries": {"get": {"operationId": "listQueries", "summary": "The query library: titles, parameters, SPARQL",
                                 "responses": {"200": {"description": "the queries",
                                                       "content": {"application/json": {"schema": {"type": "array"}}}}}}}}
    for q in queries:
        parameters = [{"name": p.name, "in": "query", "required": p.required,
                       "description": (p.doc or p.type) + ("" if p.type in _SCHEMA or p.type == "string" else
                                                          f" (a {p.type}: its IRI, or a label, en or zh)"),
                       "schema": dict(_SCHEMA.get(p.type, {"type": "string"})) | ({"default": p.default} if p.default else {})}
                      for p in q.params]
        parameters.append({"name": "format", "in": "query", "required": False,
                           "description": "the result format, instead of the Accept header",
                           "schema": {"type": "string", "enum": ["json", "xml", "csv", "tsv"]}})
        paths[f"/api/queries/{q.name}"] = {"get": {
            "operationId": "query_" + q.name.replace("-", "_"), "summary": q.title, "description": q.description,
            "parameters": parameters,
            "responses": {"200": {"description": f"the rows ({q.result})",
                                  "content": {media: {"schema": {"type": "string" if media != SELECT_MEDIA[0] else "object"}}
                                              for media in SELECT_MEDIA}},
                          "400": {"description": "a parameter is unknown, malformed or ambiguous",
                                  "content": {"text/plain": {"schema": {"type": "string"}}}},
                          "406": {"description": "none of the accepted formats is offered"},
                          "503": {"description": "the query hit the time or row limit"}}}}
    return {"openapi": "3.1.0",
            "info": {"title": "pilotkg query library", "version": __version__,
                     "description": "Named, parameterised SPARQL queries over the pilotkg knowledge graph. Parameters are "
                                    "bound as escaped RDF terms; they never become query text."},
            "paths": paths}
