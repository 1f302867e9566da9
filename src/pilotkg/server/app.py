"""``pilotkg serve``: the SPARQL 1.1 Protocol, the Graph Store Protocol, the query library over
HTTP (with an OpenAPI document), Linked Data pages and a web UI, as one Starlette application.

Safe by default: read-only; updates and Graph Store writes exist only when the server has an
update token, and then need it as a Bearer token. SERVICE, LOAD and FROM (which would make the
server fetch other hosts or read files) are refused unless allowed. Queries run in worker
processes with a time limit and a row limit (:mod:`pilotkg.server.workers`). CORS is off unless
origins are configured. Every asset is served by the application itself.
"""

from __future__ import annotations

import contextlib
import html
import json
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import __version__, querylib
from ..errors import PilotkgError
from . import protocol
from .protocol import GRAPH_MEDIA, SELECT_MEDIA, ProtocolError
from .tasks import page, resource_link
from .workers import LimitError, Recipe, Reply, WorkerPool

ID_BASE = "https://w3id.org/pilotkg/id/"
PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
#: The report and the cooperation page are self-contained: inline code, and no request at all.
INLINE_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; frame-ancestors 'none'"
RDF_PARSERS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml", "application/trig": "trig"}


@dataclass
class ServerConfig:
    recipe: Recipe
    workers: int = 2
    time_limit: float = 10.0
    page_time_limit: float = 120.0
    max_rows: int = 100_000
    max_request_bytes: int = 50_000_000
    update_token: str | None = None
    allow_service: bool = False
    allow_load: bool = False
    cors_origins: tuple[str, ...] = ()
    writer: Callable[[str, dict[str, Any]], None] | None = None


def _reply(reply: Reply, csp: str | None = None) -> Response:
    headers = dict(reply.headers) | {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    if csp:
        headers["Content-Security-Policy"] = csp
    return Response(reply.body, status_code=reply.status, media_type=reply.content_type, headers=headers)


def _error(status: int, message: str, **headers: str) -> Response:
    return Response(message.rstrip() + "\n", status_code=status, media_type="text/plain; charset=utf-8",
                    headers={"X-Content-Type-Options": "nosniff"} | headers)


def create_app(config: ServerConfig) -> Starlette:
    pool = WorkerPool(config.recipe, size=config.workers, max_rows=config.max_rows)
    pages: dict[str, Reply] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        app.state.pool = pool
        yield
        await pool.close()

    def guarded(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def wrapper(request: Request) -> Response:
            try:
                return await handler(request)
            except ProtocolError as exc:
                return _error(exc.status, str(exc))
            except LimitError as exc:
                return _error(503, str(exc), **{"X-Pilotkg-Limit": exc.limit})
            except PilotkgError as exc:
                return _error(400, str(exc))
        return wrapper

    async def run(name: str, args: dict[str, Any], *, page_task: bool = False) -> Reply:
        return await pool.run(name, args, limit=config.page_time_limit if page_task else config.time_limit)

    # -- the SPARQL 1.1 Protocol ---------------------------------------------------------------

    async def _operation(request: Request) -> tuple[str | None, str | None]:
        """The query or update text of a request, by the protocol's three ways of sending it."""
        if request.method == "GET":
            if "update" in request.query_params:
                raise ProtocolError(400, "an update must be sent with POST")
            return request.query_params.get("query"), None
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if len(body) > config.max_request_bytes:
            raise ProtocolError(413, f"the request is larger than {config.max_request_bytes:,} bytes")
        if kind == "application/sparql-query":
            return body.decode("utf-8"), None
        if kind == "application/sparql-update":
            return None, body.decode("utf-8")
        if kind == "application/x-www-form-urlencoded":
            form = await request.form()
            query, update = form.get("query"), form.get("update")
            if query is not None and update is not None:
                raise ProtocolError(400, "send either query or update, not both")
            return (str(query) if query is not None else None), (str(update) if update is not None else None)
        raise ProtocolError(415, f"unsupported content type {kind or '(none)'}: use application/sparql-query, "
                                 "application/sparql-update or application/x-www-form-urlencoded")

    def _authorise(request: Request) -> None:
        if config.update_token is None or config.writer is None:
            raise ProtocolError(403, "this server is read-only: updates and Graph Store writes are enabled only when it is "
                                     "started with an update token (--update-token-env VAR or --update-token-file FILE)")
        given = request.headers.get("authorization", "")
        if not given.lower().startswith("bearer "):
            raise ProtocolError(401, "updates need the server's token: send Authorization: Bearer TOKEN")
        if not secrets.compare_digest(given[7:].strip().encode(), config.update_token.encode()):
            raise ProtocolError(403, "the token is not this server's update token")

    async def write(name: str, args: dict[str, Any]) -> None:
        assert config.writer is not None
        async with pool.exclusive():
            import asyncio

            await asyncio.get_running_loop().run_in_executor(None, config.writer, name, args)
        pages.clear()

    @guarded
    async def sparql(request: Request) -> Response:
        query, update = await _operation(request)
        if update is not None:
            _authorise(request)
            operation = protocol.inspect_update(update)
            protocol.check_allowed(operation, allow_service=config.allow_service, allow_load=config.allow_load)
            await write("update", {"update": update})
            return Response(status_code=204)
        if query is None:
            return service_description(request)
        operation = protocol.inspect_query(query)
        protocol.check_allowed(operation, allow_service=config.allow_service, allow_load=config.allow_load)
        offered = SELECT_MEDIA if operation.kind in ("select", "ask") else GRAPH_MEDIA
        accept = protocol.negotiate(request.headers.get("accept"), offered, format_param=request.query_params.get("format"))
        return _reply(await run("sparql", {"query": query, "accept": accept}))

    def service_description(request: Request) -> Response:
        from rdflib import BNode, Graph, Literal, Namespace, URIRef
        from rdflib.namespace import RDF

        sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
        graph = Graph()
        graph.bind("sd", sd)
        service, endpoint = BNode(), URIRef(str(request.url.replace(query="")))
        graph.add((service, RDF.type, sd.Service))
        graph.add((service, sd.endpoint, endpoint))
        graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
        if config.update_token and config.writer:
            graph.add((service, sd.supportedLanguage, sd.SPARQL11Update))
        graph.add((service, sd.feature, sd.UnionDefaultGraph))
        for media in (*SELECT_MEDIA, *GRAPH_MEDIA):
            graph.add((service, sd.resultFormat, Literal(media)))
        graph.add((service, URIRef("http://purl.org/dc/terms/description"),
                   Literal(f"pilotkg {__version__}: read-only unless started with an update token; SERVICE and LOAD refused "
                           "unless allowed")))
        accept = protocol.negotiate(request.headers.get("accept"), GRAPH_MEDIA)
        formats = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
                   "application/rdf+xml": "xml"}
        return Response(graph.serialize(format=formats[accept], encoding="utf-8"), media_type=accept)

    # -- the Graph Store Protocol --------------------------------------------------------------

    def _graph_param(request: Request) -> str | None:
        if "default" in request.query_params:
            return None
        graph = request.query_params.get("graph")
        if not graph:
            raise ProtocolError(400, "name the graph: ?graph=IRI, or ?default for the default graph")
        if not graph.startswith(("http://", "https://", "urn:")) or querylib.IRI_FORBIDDEN.search(graph):
            raise ProtocolError(400, f"?graph={graph!r} is not an absolute IRI")
        return graph

    @guarded
    async def store(request: Request) -> Response:
        graph = _graph_param(request)
        if request.method in ("GET", "HEAD"):
            accept = protocol.negotiate(request.headers.get("accept"), GRAPH_MEDIA, format_param=request.query_params.get("format"))
            if graph is None:
                reply = await run("sparql", {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "accept": accept})
            else:
                reply = await run("graph", {"graph": graph, "accept": accept})
            return _reply(reply)
        _authorise(request)
        if graph is None:
            raise ProtocolError(400, "writes to the default graph are refused: it is the union of the named graphs")
        if request.method == "DELETE":
            await write("delete", {"graph": graph})
            return Response(status_code=204)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in RDF_PARSERS:
            raise ProtocolError(415, f"unsupported RDF type {kind or '(none)'}; send one of {', '.join(RDF_PARSERS)}")
        body = await request.body()
        if len(body) > config.max_request_bytes:
            raise ProtocolError(413, f"the request is larger than {config.max_request_bytes:,} bytes")
        from rdflib import Graph

        try:
            parsed = Graph().parse(data=body.decode("utf-8"), format=RDF_PARSERS[kind])
        except Exception as exc:
            raise ProtocolError(400, f"the body is not valid {kind}: {exc}") from exc
        ntriples = parsed.serialize(format="nt", encoding="utf-8")
        await write("put" if request.method == "PUT" else "post", {"graph": graph, "ntriples": ntriples})
        return Response(status_code=204 if request.method == "PUT" else 200)

    # -- the query library over HTTP -------------------------------------------------------------

    def _describe_query(q: querylib.NamedQuery) -> dict[str, Any]:
        return {"name": q.name, "title": q.title, "description": q.description, "result": q.result,
                "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default, "doc": p.doc}
                           for p in q.params], "url": f"/api/queries/{q.name}", "sparql": q.text}

    async def api_queries(request: Request) -> Response:
        return JSONResponse([_describe_query(q) for q in querylib.library().values()])

    @guarded
    async def api_query(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            named = querylib.get(name)
        except PilotkgError as exc:
            raise ProtocolError(404, str(exc)) from exc
        declared = {p.name for p in named.params}
        params: dict[str, str | list[str]] = {}
        for key in request.query_params:
            if key == "format":
                continue
            if key not in declared:
                raise ProtocolError(400, f"{name} has no parameter {key!r}; its parameters: {', '.join(sorted(declared)) or 'none'}")
            values = request.query_params.getlist(key)
            params[key] = values if len(values) > 1 else values[0]
        accept = protocol.negotiate(request.headers.get("accept"), SELECT_MEDIA, format_param=request.query_params.get("format"))
        return _reply(await run("library", {"name": name, "params": params, "accept": accept}))

    async def openapi(request: Request) -> Response:
        from .openapi import document

        return JSONResponse(document(querylib.library().values()))

    # -- Linked Data and the web UI ------------------------------------------------------------

    @guarded
    async def resource(request: Request) -> Response:
        iri = request.query_params.get("iri", "")
        return await _entity(request, iri)

    @guarded
    async def by_id(request: Request) -> Response:
        return await _entity(request, ID_BASE + request.path_params["path"])

    async def _entity(request: Request, iri: str) -> Response:
        if not iri.startswith(("http://", "https://", "urn:")) or querylib.IRI_FORBIDDEN.search(iri):
            raise ProtocolError(400, "give an absolute IRI: /resource?iri=...")
        offered = ("text/html", "text/turtle", "application/ld+json", "application/n-triples")
        accept = protocol.negotiate(request.headers.get("accept"), offered, format_param=request.query_params.get("format"))
        return _reply(await run("entity", {"iri": iri, "accept": accept}), PAGE_CSP)

    @guarded
    async def search(request: Request) -> Response:
        return _reply(await run("search", {"text": request.query_params.get("q", "")}), PAGE_CSP)

    @guarded
    async def cached_page(request: Request) -> Response:
        name = request.url.path.strip("/")
        if name not in pages:
            reply = await run(name, {}, page_task=True)
            if reply.status != 200:
                return _reply(reply)
            pages[name] = reply
        return _reply(pages[name], INLINE_CSP)

    async def home(request: Request) -> Response:
        writes = "enabled (with the server's token)" if config.update_token and config.writer else "disabled (read-only)"
        body = (f"<p>A knowledge graph of Sichuan's pilot competitive manufacturing cities and pilot industries.</p>"
                "<form action='/search' method='get'><input type='search' name='q' placeholder='label, en or 中文'> "
                "<button>Search</button></form><ul>"
                "<li><a href='/query'>Query editor</a>, with the query library as examples</li>"
                "<li><a href='/report'>Compliance report</a>: the six requirements per pilot city, with the evidence</li>"
                "<li><a href='/cooperation'>Cooperation graph</a>: who proposes to cooperate with whom</li>"
                f"<li>{resource_link(ID_BASE + 'place/510100', 'Chengdu')}: an entity page</li>"
                "<li>SPARQL endpoint: <code>/sparql</code> (SPARQL 1.1 Protocol); Graph Store: <code>/store</code>; "
                "the library: <a href='/api/queries'>/api/queries</a>, described by <a href='/openapi.json'>/openapi.json</a></li>"
                f"</ul><p class='muted'>Updates: {html.escape(writes)}. pilotkg {html.escape(__version__)}.</p>")
        return _reply(Reply(200, "text/html; charset=utf-8", page("pilotkg", body)), PAGE_CSP)

    async def query_ui(request: Request) -> Response:
        body = ("<div id='editor'><label for='library'>Library</label> <select id='library'><option value=''>"
                "choose a query…</option></select> <span id='description' class='muted'></span><div id='params'></div>"
                "<textarea id='sparql' rows='14' spellcheck='false' aria-label='SPARQL query'>"
                "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10</textarea>"
                "<p><button id='run' type='button'>Run</button> <span id='status' aria-live='polite'></span></p></div>"
                "<div id='results'></div><script src='/static/query.js'></script>")
        return _reply(Reply(200, "text/html; charset=utf-8", page("Query", body)), PAGE_CSP)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        types = {"query.js": "text/javascript; charset=utf-8", "ui.css": "text/css; charset=utf-8"}
        if name not in types:
            return _error(404, "no such file")
        body = (resources.files("pilotkg") / "vendor" / "ui" / name).read_bytes()
        return Response(body, media_type=types[name], headers={"X-Content-Type-Options": "nosniff",
                                                               "Cache-Control": "no-cache"})

    routes = [
        Route("/", home), Route("/query", query_ui), Route("/static/{name}", static),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/store", store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Route("/api/queries", api_queries), Route("/api/queries/{name}", api_query), Route("/openapi.json", openapi),
        Route("/resource", resource), Route("/id/{path:path}", by_id), Route("/search", search),
        Route("/report", cached_page), Route("/cooperation", cached_page),
    ]
    middleware = []
    if config.cors_origins:
        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(Middleware(CORSMiddleware, allow_origins=list(config.cors_origins), allow_methods=["GET", "POST"],
                                     allow_headers=["Accept", "Content-Type", "Authorization"]))
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def snapshot_path(folder: Path) -> Path:
    return folder / "snapshot.nq"
