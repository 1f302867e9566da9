"""Stores behind one small interface: anything with rdflib's ``query(text)`` returning an rdflib
:class:`~rdflib.query.Result`, so that every library query runs unchanged on each.

* ``memory``: the in-memory rdflib :class:`~rdflib.Dataset` (the default for the article-sized
  graph): built from the shipped data, or loaded from a built dataset file (``--dataset``);
* ``oxigraph:PATH``: :class:`OxigraphStore`, an embedded persistent store (Oxigraph, through
  pyoxigraph) for large graphs, loaded with its bulk loader;
* ``sparql+http(s)://HOST/PATH``: :class:`EndpointStore`, any SPARQL 1.1 Protocol endpoint
  (Oxigraph server, Virtuoso, Fuseki, GraphDB, QLever, Neptune), with its own update and Graph
  Store endpoints when they differ, and credentials (Basic, Digest or Bearer) read from an
  environment variable or a file, never from the command line.

The library's queries address named graphs with ``GRAPH`` and read the rest from the default
graph, so a store's default graph must be the union of its named graphs: Oxigraph is queried
that way; a remote endpoint must be configured so (``oxigraph serve --union-default-graph``,
Fuseki's ``unionDefaultGraph``; Virtuoso's default graph is the union by default).

Writing (``pilotkg push``) goes through ``replace_graphs``, so that a failed push leaves the
previous graphs as they were: on an endpoint, the new graphs are loaded under staging names first,
then swapped in with one SPARQL Update; an embedded store is made anew beside its folder and moved
into place (:meth:`OxigraphStore.replace_with_file`).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result

from .errors import InputError, QueryError, StoreError
from .namespaces import bind_prefixes

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: The named graphs a push replaces: everything pilotkg builds lives under this prefix.
GRAPH_PREFIX = "https://w3id.org/pilotkg/id/graph/"
STAGING_PREFIX = "urn:pilotkg:staging:"


class Queryable(Protocol):
    def query(self, query_object: str) -> Result: ...


# ---------------------------------------------------------------------------------------------
# Credentials: from an environment variable or a file, never from the command line


@dataclass(frozen=True)
class Credentials:
    """How to authenticate to a remote store: ``basic`` or ``digest`` (user and password) or
    ``bearer`` (a token)."""

    scheme: str
    user: str = ""
    secret: str = ""

    def __repr__(self) -> str:  # never print a secret
        return f"Credentials(scheme={self.scheme!r}, user={self.user!r}, secret=***)"

    @classmethod
    def from_options(cls, scheme: str | None, *, user: str | None = None, secret_env: str | None = None,
                     secret_file: str | None = None) -> Credentials | None:
        if scheme is None:
            if secret_env or secret_file or user:
                raise InputError("--user, --secret-env and --secret-file need --auth basic|digest|bearer")
            return None
        if scheme not in ("basic", "digest", "bearer"):
            raise InputError(f"unknown --auth {scheme!r}", hint="use basic, digest or bearer")
        if bool(secret_env) == bool(secret_file):
            raise InputError(f"--auth {scheme} needs the secret from exactly one of --secret-env VAR or --secret-file FILE",
                             hint="secrets never come from the command line, where other users of the machine can see them")
        if secret_env:
            secret = os.environ.get(secret_env)
            if not secret:
                raise InputError(f"the environment variable {secret_env} is not set or empty",
                                 hint=f"export {secret_env}=... before running, or use --secret-file")
        else:
            path = Path(str(secret_file))
            try:
                secret = path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise InputError(f"cannot read the secret file: {exc.strerror}", file=path) from exc
            if not secret:
                raise InputError("the secret file is empty", file=path)
        if scheme != "bearer" and not user:
            raise InputError(f"--auth {scheme} needs --user")
        return cls(scheme, user or "", secret)

    def httpx_auth(self) -> Any:
        import httpx

        if self.scheme == "basic":
            return httpx.BasicAuth(self.user, self.secret)
        if self.scheme == "digest":
            return httpx.DigestAuth(self.user, self.secret)
        return None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"} if self.scheme == "bearer" else {}


# ---------------------------------------------------------------------------------------------
# Terms and results from pyoxigraph to rdflib


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as the rdflib term with the same meaning (``None`` stays ``None``)."""
    if term is None:
        return None
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.DefaultGraph):
        return None
    raise QueryError(f"cannot convert the RDF term {term!r}")


def to_oxigraph(term: Any) -> Any:
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot convert the RDF term {term!r}")


def result_from_oxigraph(answer: Any) -> Result:
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, ox.QuerySolutions):
        variables = [Variable(v.value) for v in answer.variables]
        result = Result("SELECT")
        result.vars = variables
        # a term repeats from row to row (classes, predicates, graphs): each is converted once
        converted: dict[Any, Any] = {}
        rows: list[Any] = []
        for solution in answer:
            row = {}
            for variable, term in zip(variables, solution, strict=True):
                if term is not None:
                    value = converted.get(term, converted)  # the dict itself: not converted yet
                    if value is converted:
                        value = converted[term] = to_rdflib(term)
                    if value is not None:  # the default graph
                        row[variable] = value
            rows.append(row)
        result.bindings = rows
        return result
    graph = bind_prefixes(Graph())
    for triple in answer:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    result = Result("CONSTRUCT")
    result.graph = graph
    return result


# ---------------------------------------------------------------------------------------------
# The embedded store


class OxigraphStore:
    """An embedded, persistent Oxigraph store in a folder. Queries see the union of the named
    graphs as the default graph, like the in-memory dataset."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        try:
            import pyoxigraph as ox
        except ImportError as exc:
            from .errors import MissingExtraError

            raise MissingExtraError("the oxigraph store needs pyoxigraph: pip install 'pilotkg[oxigraph]'") from exc
        self.path = Path(path)
        self.read_only = read_only
        try:
            if read_only:
                if not (self.path / "CURRENT").is_file():
                    raise InputError("no Oxigraph store here", file=self.path,
                                     hint="build into it first: pilotkg build --store oxigraph:PATH")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the Oxigraph store at {self.path}: {exc}",
                             hint="another pilotkg or oxigraph process may hold it open for writing") from exc
        self.namespace_manager = bind_prefixes(Graph()).namespace_manager

    def __repr__(self) -> str:
        return f"OxigraphStore({str(self.path)!r})"

    @property
    def raw(self) -> Any:
        """The pyoxigraph ``Store`` (for its bulk loader and native serialisers)."""
        return self._store

    def query(self, query_object: str) -> Result:
        try:
            answer = self._store.query(str(query_object), use_default_graph_as_union=True)
            return result_from_oxigraph(answer)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"Oxigraph refused or failed the query: {exc}") from exc

    def materialised_page(self, query: Any, page: int | None) -> Result | None:
        """A page of a paged library query (None: every page) from the pages the build kept
        in the store's folder, or None when it kept none that fit the store (:mod:`pilotkg.pages`)."""
        from .pages import read

        return read(self.path, query, page)

    def _before_write(self) -> None:
        """Every write goes through here: the materialised pages of the store go first."""
        from .pages import drop

        if self.read_only:
            raise StoreError("this store is open read-only")
        drop(self.path)

    def update(self, text: str) -> None:
        self._before_write()
        try:
            self._store.update(text)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"Oxigraph refused or failed the update: {exc}") from exc

    def __len__(self) -> int:
        return len(self._store)

    # rdflib's triple-pattern reading, over the union of the graphs (what pilotkg.compliance reads)

    def triples(self, pattern: tuple[Any, Any, Any]) -> Iterator[tuple[Any, Any, Any]]:
        """Each statement matching ``(s, p, o)`` (None for any) once, in rdflib terms."""
        s, p, o = (None if term is None else to_oxigraph(term) for term in pattern)
        seen: set[tuple[Any, Any, Any]] = set()
        for quad in self._store.quads_for_pattern(s, p, o, None):
            triple = (quad.subject, quad.predicate, quad.object)
            if triple not in seen:
                seen.add(triple)
                yield to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)

    def __contains__(self, triple: tuple[Any, Any, Any]) -> bool:
        return next(iter(self.triples(triple)), None) is not None

    def objects(self, subject: Any = None, predicate: Any = None) -> Iterator[Any]:
        return (o for _, _, o in self.triples((subject, predicate, None)))

    def subjects(self, predicate: Any = None, object: Any = None) -> Iterator[Any]:
        return (s for s, _, _ in self.triples((None, predicate, object)))

    def value(self, subject: Any = None, predicate: Any = None, object: Any = None) -> Any:
        """One term filling the pattern's single gap, or None (as rdflib's ``Graph.value``)."""
        for s, p, o in self.triples((subject, predicate, object)):
            return o if object is None else s if subject is None else p
        return None

    def as_written(self) -> list[Any]:
        """The statements recorded in :data:`AS_WRITTEN_FILE`, with their literals as the dataset
        files wrote them (empty when the store has no record); see
        :func:`pilotkg.fastshacl.validate_fast`."""
        import pyoxigraph as ox

        record = self.path / AS_WRITTEN_FILE
        if not record.is_file():
            return []
        return list(ox.parse(path=str(record), format=ox.RdfFormat.N_QUADS, rename_blank_nodes=False))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def load_nquads(self, data: bytes) -> None:
        """Bulk-load N-Quads. The statements whose literal the store holds otherwise than written
        are added to the store's record (see :meth:`as_written`)."""
        self._before_write()
        self.record_written(self._written(self.load_lines(data.splitlines(keepends=True))), replaced=lambda graph: False)

    def extend(self, quads: Iterable[Any]) -> None:
        """Add pyoxigraph quads (in one transaction)."""
        self._before_write()
        self._store.extend(quads)

    def _written(self, candidates: list[Any]) -> list[Any]:
        """Flush what was loaded; of ``candidates`` (:func:`rewritable_literals`), the statements
        whose literal Oxigraph rewrites, as written, in their graphs as the data names them."""
        from .fastshacl import written_literals

        self._store.flush()
        return written_literals(candidates)

    def load_lines(self, lines: list[bytes]) -> list[Any]:
        """Load lines of N-Quads; return the candidates of the record of literals as written
        (:func:`rewritable_literals`). Statements with a blank node are added as parsed: Oxigraph's
        loader renames blank nodes, and the record must name the store's own. The others go to
        the loader, which parses without Python's lock, while the typed ones are parsed here. A
        SyntaxError gives the line among ``lines``."""
        from concurrent.futures import ThreadPoolExecutor

        import pyoxigraph as ox

        def parse(text: bytes) -> list[Any]:
            return list(ox.parse(text, format=ox.RdfFormat.N_QUADS))

        self._before_write()
        blank = [line for line in lines if b"_:" in line]
        try:
            with ThreadPoolExecutor(1) as pool:
                loaded = pool.submit(self._store.bulk_load, b"".join(line for line in lines if b"_:" not in line)
                                     if blank else b"".join(lines), format=ox.RdfFormat.N_QUADS)
                blank_quads = parse(b"".join(blank)) if blank else []
                typed = [line for line in lines if b'"^^<' in line and b"_:" not in line]
                candidates = rewritable_literals(blank_quads) + rewritable_literals(parse(b"".join(typed)))
                loaded.result()
        except SyntaxError:
            parse(b"".join(lines))  # raises again, with the line among all of them
            raise
        if blank_quads:
            self._store.bulk_extend(blank_quads)
        return candidates

    def record_written(self, found: list[Any], *, replaced: Callable[[str], bool] = lambda graph: True) -> None:
        """Rewrite the record of the literals as written (:meth:`as_written`): ``found``, and what
        it held of the graphs for which ``replaced(name)`` is false (by default none); atomically."""
        import pyoxigraph as ox

        kept = [q for q in self.as_written()
                if not (isinstance(q.graph_name, ox.NamedNode) and replaced(q.graph_name.value))]
        record = self.path / AS_WRITTEN_FILE
        if not kept and not found:
            record.unlink(missing_ok=True)
            return
        tmp = record.with_name(record.name + ".tmp")
        old = set(kept)
        ox.serialize(kept + [q for q in found if q not in old], str(tmp), format=ox.RdfFormat.N_QUADS)
        tmp.replace(record)

    def to_dataset(self) -> Dataset:
        """A copy of everything in memory (for pySHACL), with the literals of the store's record
        as the data wrote them (see :meth:`as_written`), as the fast engine reads them."""
        import pyoxigraph as ox

        dataset = Dataset(default_union=True)
        bind_prefixes(dataset)
        dumped = self._store.dump(format=ox.RdfFormat.N_QUADS) or b""
        written = self.as_written()
        if written:
            scratch = ox.Store()
            scratch.extend(written)
            stored = set((ox.serialize(list(scratch), format=ox.RdfFormat.N_QUADS) or b"").splitlines())
            lines = [line for line in dumped.splitlines() if line not in stored]
            dumped = b"\n".join(lines + (ox.serialize(written, format=ox.RdfFormat.N_QUADS) or b"").splitlines()) + b"\n"
        dataset.parse(data=dumped.decode("utf-8"), format="nquads")
        return dataset

    def replace_graphs(self, nquads: bytes, graphs: Iterable[str]) -> None:
        """Replace pilotkg's graphs (those under :data:`GRAPH_PREFIX`) and ``graphs`` with the
        graphs of ``nquads``, as :meth:`replace_with_file` does."""
        self._replace(lambda fresh: fresh.load_lines(nquads.splitlines(keepends=True)), set(graphs))

    def replace_with_file(self, path: Path) -> list[str]:
        """Replace pilotkg's graphs (those under :data:`GRAPH_PREFIX`) with the graphs of the
        N-Quads file ``path``, read a piece at a time (:data:`PIECE_BYTES`), so that memory is
        bounded by a piece, not by the file. Returns the file's named graphs.

        The new store is made in a folder beside this one: the file is bulk-loaded into it, this
        store's other graphs (its default graph, and named graphs that are neither pilotkg's nor
        in the file) and their record of literals as written are copied over, and the folder is
        moved into place. Nothing is moved inside a transaction: one SPARQL Update moving the
        staged graphs, as a remote store is swapped, took 218 s and 6.3 GB for a million
        statements (Oxigraph holds a transaction in memory). A failure before the folders are
        swapped leaves this store as it was; a process that holds the store open keeps reading
        the graphs it opened until it opens the store again."""
        return self._replace(lambda fresh: load_file_in_pieces(fresh, path), set())

    def _replace(self, load: Callable[[OxigraphStore], list[Any]], graphs: set[str]) -> list[str]:
        import gc

        import pyoxigraph as ox

        if self.read_only:
            raise StoreError("this store is open read-only")
        staging = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.", suffix=".push", dir=self.path.parent))
        fresh: OxigraphStore | None = None
        try:
            fresh = OxigraphStore(staging)
            found = fresh._written(load(fresh))
            incoming = fresh.named_graphs()
            dropped = set(incoming) | graphs
            kept = {g for g in self.named_graphs() if not g.startswith(GRAPH_PREFIX) and g not in dropped}
            graphs_kept: list[ox.DefaultGraph | ox.NamedNode] = [ox.DefaultGraph(), *(ox.NamedNode(g) for g in sorted(kept))]
            for graph in graphs_kept:
                fresh.raw.bulk_extend(self._store.quads_for_pattern(None, None, None, graph))
            record = [q for q in self.as_written() if not isinstance(q.graph_name, ox.NamedNode) or q.graph_name.value in kept]
            fresh.raw.flush()
            fresh.raw.optimize()  # the pieces' table files overlap: merged, the pages of the 1M push took 25 s, not 50
            fresh.record_written(record + found)
            fresh.close()
            self.close()
            gc.collect()  # the last reference to each pyoxigraph Store goes: RocksDB lets the folders go
            replace_dir(staging, self.path)
        except BaseException:
            if fresh is not None and hasattr(fresh, "_store"):
                fresh.close()  # before its folder goes: RocksDB would write into it again
                gc.collect()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            if not hasattr(self, "_store"):
                try:
                    self._store = ox.Store(str(self.path))
                except OSError as exc:  # another process took the store meanwhile: its files are whole
                    raise StoreError(f"cannot open the Oxigraph store at {self.path} again: {exc}",
                                     hint="another pilotkg or oxigraph process may hold it open for writing") from exc
        return incoming

    def close(self) -> None:
        """Release the store (its files stay); the object cannot be used afterwards. Closing a
        closed store does nothing."""
        if hasattr(self, "_store"):
            del self._store


def swap_update(rename: Mapping[str, str], existing: Iterable[str]) -> str:
    """One SPARQL Update that drops the pilotkg graphs (those under :data:`GRAPH_PREFIX`) and
    moves each staged graph to its real name."""
    ops = [f"DROP SILENT GRAPH <{g}>" for g in sorted(existing) if g.startswith(GRAPH_PREFIX) and g not in rename]
    ops += [f"MOVE SILENT GRAPH <{staged}> TO GRAPH <{g}>" for g, staged in sorted(rename.items())]
    return " ;\n".join(ops)


# ---------------------------------------------------------------------------------------------
# A remote SPARQL 1.1 endpoint


class EndpointStore:
    """A remote SPARQL 1.1 Protocol endpoint, queried with the same text as the in-memory store,
    updated through its update endpoint and written through its Graph Store Protocol endpoint."""

    def __init__(self, endpoint: str, *, update_endpoint: str | None = None, gsp_endpoint: str | None = None,
                 credentials: Credentials | None = None, timeout: float = 60.0) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise InputError(f"{endpoint!r} is not an http(s) SPARQL endpoint URL")
        import httpx

        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.gsp_endpoint = gsp_endpoint
        self.credentials = credentials
        headers = {"User-Agent": "pilotkg"} | (credentials.headers() if credentials else {})
        self._client = httpx.Client(timeout=timeout, headers=headers, auth=credentials.httpx_auth() if credentials else None,
                                    follow_redirects=False, trust_env=False)
        self.namespace_manager = bind_prefixes(Graph()).namespace_manager

    def __repr__(self) -> str:
        return f"EndpointStore({self.endpoint!r})"

    def _post(self, url: str, **kwargs: Any) -> Any:
        import httpx

        try:
            response = self._client.post(url, **kwargs)
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach {url}: {exc}", hint="is the store running, and the URL right?") from exc
        _refuse_credentials(url, response)
        if response.status_code >= 400:
            raise QueryError(f"{url} answered {response.status_code}: {response.text[:500]}")
        return response

    def query(self, query_object: str) -> Result:
        text = str(query_object)
        form = query_form(text)
        # Ask for the one format that fits the query's form: Virtuoso answers with the client's first
        # choice whatever the form (a CONSTRUCT as a table of s, p, o; an ASK as a one-column table).
        accept = "application/n-triples, text/turtle;q=0.9" if form in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
        response = self._post(self.endpoint, data={"query": text}, headers={"Accept": accept})
        if "x-sparql-maxrows" in response.headers:  # Virtuoso's sign that it cut the answer at its ResultSetMaxRows
            raise StoreError(f"{self.endpoint} cut the answer at {response.headers['x-sparql-maxrows']} rows: it may be incomplete",
                             hint="raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini")
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        try:
            if kind in ("application/sparql-results+json", "application/json"):
                result = Result.parse(source=io.BytesIO(response.content), format="json")
                if form == "ASK" and result.type == "SELECT":  # Virtuoso: a table with a row when true
                    answer = Result("ASK")
                    answer.askAnswer = any(bool(value.toPython()) for row in result for value in row  # type: ignore[union-attr]
                                           if value is not None)
                    return answer
                return result
            graph = bind_prefixes(Graph())
            graph.parse(data=response.text, format="nt" if "n-triples" in kind else "turtle")
            result = Result("CONSTRUCT")
            result.graph = graph
            return result
        except Exception as exc:
            raise QueryError(f"the endpoint {self.endpoint} answered what is not a SPARQL result ({kind}): {exc}") from exc

    def update(self, text: str) -> None:
        self._post(self.update_endpoint, data={"update": text})

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace one graph with the Graph Store Protocol (or INSERT DATA without a GSP endpoint)."""
        if self.gsp_endpoint:
            import httpx

            try:
                response = self._client.put(self.gsp_endpoint, params={"graph": graph}, content=ntriples,
                                            headers={"Content-Type": "application/n-triples"})
            except httpx.HTTPError as exc:
                raise StoreError(f"cannot reach {self.gsp_endpoint}: {exc}") from exc
            _refuse_credentials(self.gsp_endpoint, response)
            if response.status_code >= 400:
                raise StoreError(f"{self.gsp_endpoint} refused the graph {graph} ({response.status_code}): {response.text[:300]}")
            return
        for chunk in _chunks(ntriples.decode("utf-8").splitlines(), 5000):
            self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(chunk) + "\n}}")

    def named_graphs(self) -> list[str]:
        # not `GRAPH ?g { }`, which Virtuoso answers with one row that leaves ?g unbound, and GROUP BY
        # rather than DISTINCT, which takes Virtuoso seconds where GROUP BY takes milliseconds
        result = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sorted(str(row[0]) for row in result)  # type: ignore[index]

    def replace_graphs(self, nquads: bytes, graphs: Iterable[str]) -> None:
        """Stage each graph under a temporary name with the Graph Store Protocol, then swap them in
        with one SPARQL Update. Whether that update is one transaction depends on the store
        (Oxigraph: yes; Virtuoso and Fuseki: per request, see the README)."""
        by_graph = split_nquads(nquads)
        token = secrets.token_hex(6)
        rename = {g: f"{STAGING_PREFIX}{token}:{g}" for g in graphs}
        try:
            for graph, staged in sorted(rename.items()):
                self.put_graph(staged, by_graph.get(graph, b""))
            self.update(swap_update(rename, self.named_graphs()))
        except BaseException:
            for staged in rename.values():
                with contextlib.suppress(Exception):  # the first error is the one to report
                    self.update(f"DROP SILENT GRAPH <{staged}>")
            raise

    def to_dataset(self) -> Dataset:
        """A copy of every named graph in memory (for pySHACL)."""
        result = self.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        dataset = Dataset(default_union=True)
        bind_prefixes(dataset)
        for g, s, p, o in result:  # type: ignore[misc]
            dataset.graph(g).add((s, p, o))
        return dataset


def _refuse_credentials(url: str, response: Any) -> None:
    if response.status_code in (401, 403):
        raise StoreError(f"{url} refused the credentials ({response.status_code})",
                         hint="give --auth and the secret (--secret-env or --secret-file); Virtuoso needs digest")


_COMMENT = re.compile(r"(?m)(?:^|(?<=\s))#[^\n]*")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(text: str) -> str:
    r"""``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first such keyword outside comments
    and IRIs (only the prologue, PREFIX and BASE, may come before it).

    >>> query_form("PREFIX ex: <http://example.org/ask#> # select\nconstruct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    match = _FORM.search(re.sub(r"<[^>\s]*>", "<>", _COMMENT.sub("", text)))
    return match.group(1).upper() if match else "SELECT"


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def split_nquads(nquads: bytes) -> dict[str, bytes]:
    """N-Quads split by named graph, each as N-Triples (pyoxigraph's parser when installed, it is
    fast; rdflib's otherwise)."""
    out: dict[str, list[str]] = {}
    try:
        import pyoxigraph as ox
    except ImportError:
        dataset = Dataset()
        dataset.parse(data=nquads.decode("utf-8"), format="nquads")
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = "" if g is None or str(g) == str(DATASET_DEFAULT_GRAPH_ID) else str(g)
            out.setdefault(name, []).append(f"{s.n3()} {p.n3()} {o.n3()} .")
    else:
        for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
            graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
            out.setdefault(graph, []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    return {g: ("\n".join(lines) + "\n").encode("utf-8") for g, lines in out.items()}


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreOptions:
    """What the command line says about the store: ``--store`` and the options of a remote one."""

    store: str | None = None
    update_endpoint: str | None = None
    gsp_endpoint: str | None = None
    credentials: Credentials | None = None


def describe(store: Any) -> str:
    if isinstance(store, OxigraphStore):
        return f"the Oxigraph store at {store.path}"
    if isinstance(store, EndpointStore):
        return f"the SPARQL endpoint {store.endpoint}"
    return "memory"


def open_store(location: str | Path | None = None, *, data: Path | None = None, options: StoreOptions | None = None,
               read_only: bool = True) -> Dataset | EndpointStore | OxigraphStore:
    """The store to work on. An explicit ``options.store`` always wins: ``memory``,
    ``oxigraph:PATH`` or ``sparql+http(s)://...``. Otherwise ``location``: None builds the
    shipped data (or ``data``) in memory; a ``.trig``/``.nq`` file is loaded into memory; an
    ``http(s)://`` URL is a SPARQL endpoint."""
    options = options or StoreOptions()
    spec = options.store
    if spec is not None:
        if spec == "memory":
            _memory_allowed()
            return open_store(location if location and not str(location).startswith("http") else None, data=data)
        if spec.startswith("oxigraph:"):
            path = spec[len("oxigraph:"):]
            if not path:
                raise InputError("--store oxigraph: needs a folder: --store oxigraph:PATH")
            return OxigraphStore(Path(path), read_only=read_only)
        if spec.startswith(("sparql+http://", "sparql+https://")):
            return EndpointStore(spec[len("sparql+"):], update_endpoint=options.update_endpoint,
                                 gsp_endpoint=options.gsp_endpoint, credentials=options.credentials)
        raise InputError(f"unknown --store {spec!r}",
                         hint="use memory, oxigraph:PATH or sparql+http(s)://HOST/PATH")
    text = "" if location is None else str(location)
    if text.startswith(("http://", "https://")):
        return EndpointStore(text, credentials=options.credentials)
    if location is not None and _above_threshold(Path(text)):
        return dataset_store(Path(text))
    _memory_allowed()
    if location is None:
        from .build import assemble

        dataset = assemble(data).dataset
        assert dataset is not None
        return dataset
    from .rdfio import load_dataset

    return load_dataset(Path(text))


# ---------------------------------------------------------------------------------------------
# A dataset file too large for memory: the embedded store beside it

#: A dataset file of at least this many bytes (about 200,000 statements of N-Quads) is opened in
#: the embedded store beside it rather than loaded into memory, unless ``--store`` says otherwise;
#: ``PILOTKG_STORE_ABOVE_BYTES`` sets another threshold.
STORE_ABOVE_BYTES = 32 * 1024 * 1024
#: The store kept beside ``NAME.nq`` and ``NAME.trig`` is ``NAME.oxigraph/``.
STORE_SUFFIX = ".oxigraph"
#: The file in that store naming the dataset files it holds (name, size and modification time).
STAMP_FILE = "pilotkg-dataset.json"
#: The file in a store recording, as N-Quads, the statements whose literal the files wrote otherwise
#: than Oxigraph stores it ("1.50"^^xsd:decimal, xsd:positiveInteger): validation reads them as written.
AS_WRITTEN_FILE = "pilotkg-as-written.nq"


def _above_threshold(path: Path) -> bool:
    setting = os.environ.get("PILOTKG_STORE_ABOVE_BYTES", "")
    limit = int(setting) if setting.isdigit() else STORE_ABOVE_BYTES
    try:
        return path.is_file() and path.stat().st_size >= limit
    except OSError:
        return False


def _fingerprint(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def write_stamp(store_dir: Path, files: Iterable[Path]) -> None:
    """Record in ``store_dir`` that it holds the dataset of each of ``files`` as they are now."""
    import json

    stamp = {"files": {path.name: _fingerprint(path) for path in files}}
    (store_dir / STAMP_FILE).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")


def _stamped(store_dir: Path, path: Path) -> bool:
    import json

    try:
        stamp = json.loads((store_dir / STAMP_FILE).read_text(encoding="utf-8"))
        return bool(stamp["files"].get(path.name) == _fingerprint(path))
    except (OSError, ValueError, KeyError, AttributeError):
        return False


def replace_dir(staged: Path, target: Path) -> None:
    """Move a finished store into place, the previous one out of the way first. The folder gets
    the permissions of a folder made with ``mkdir`` (a temporary folder is private)."""
    from .rdfio import _umask

    old = None
    try:
        os.chmod(staged, 0o777 & ~_umask())
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            target.rename(old / target.name)
        staged.rename(target)
    except OSError as exc:
        if old is not None and (old / target.name).exists() and not target.exists():
            (old / target.name).rename(target)  # the previous store goes back: nothing is lost
        raise StoreError(f"cannot move the store into place at {target}: {exc.strerror}") from exc
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


_PLAIN = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_CANONICAL_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")


def rewritable_literals(quads: list[Any]) -> list[Any]:
    """The quads whose literal Oxigraph might store otherwise than written (a cheap first sieve:
    every typed literal but a string or an integer written canonically)."""
    import pyoxigraph as ox

    literal = ox.Literal
    return [q for q in quads if type(q.object) is literal and q.object.datatype.value not in _PLAIN
            and not (q.object.datatype.value == _INTEGER and _CANONICAL_INTEGER.fullmatch(q.object.value))]


#: How much of an N-Quads file :func:`load_file_in_pieces` loads at a time.
PIECE_BYTES = 1 << 26


def load_file_in_pieces(store: OxigraphStore, path: Path) -> list[Any]:
    """Bulk-load the N-Quads file ``path`` into ``store`` :data:`PIECE_BYTES` at a time, so that
    memory stays bounded; return the candidates of the record of literals as written
    (:meth:`OxigraphStore.load_lines`). A syntax error is an :class:`InputError` naming the line
    of the file."""
    first = 1
    candidates: list[Any] = []
    try:
        with path.open("rb") as handle:
            while lines := handle.readlines(PIECE_BYTES):
                try:
                    candidates += store.load_lines(lines)
                except SyntaxError as exc:
                    raise InputError(f"not valid nquads: {exc.msg}", file=path, line=(exc.lineno or 1) + first - 1,
                                     hint="rebuild it with pilotkg build, or fix the line") from exc
                first += len(lines)
    except OSError as exc:
        raise InputError(f"cannot read the dataset: {exc.strerror}", file=path, hint="run pilotkg build first") from exc
    return candidates


def dataset_store(path: Path) -> OxigraphStore:
    """The embedded store holding the dataset file ``path``: the one beside it (``NAME.oxigraph/``,
    as the build leaves it) when its stamp says it holds this very file; otherwise one made now by
    bulk-loading the file, kept beside it for the next time (or, where that folder cannot be
    written, in a temporary folder removed at exit)."""
    import atexit

    from .rdfio import _format_of

    if not path.is_file():
        raise InputError("dataset not found", file=path, hint="run `pilotkg build` first, or pass --dataset")
    fmt = _format_of(path)
    if fmt not in ("trig", "nquads"):
        raise InputError(f"a dataset must be TriG or N-Quads, not {fmt}", file=path)
    beside = path.parent / f"{path.stem}{STORE_SUFFIX}"
    if _stamped(beside, path):
        return OxigraphStore(beside, read_only=True)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{beside.name}.", suffix=".tmp", dir=path.parent))
        kept = True
    except OSError:
        staging = Path(tempfile.mkdtemp(prefix="pilotkg-dataset-"))
        atexit.register(shutil.rmtree, staging, True)
        kept = False
    try:
        import pyoxigraph as ox

        store = OxigraphStore(staging)
        rewritable: list[Any] = []
        try:
            if fmt == "nquads":
                rewritable = load_file_in_pieces(store, path)
            else:  # the parsed quads themselves, so that the record below names the store's blank nodes
                chunk: list[Any] = []
                for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
                    chunk.append(quad)
                    if len(chunk) >= 250_000:
                        rewritable += rewritable_literals(chunk)
                        store.raw.bulk_extend(chunk)
                        chunk = []
                rewritable += rewritable_literals(chunk)
                store.raw.bulk_extend(chunk)
        except SyntaxError as exc:
            raise InputError(f"not valid {fmt}: {exc.msg}", file=path, line=exc.lineno) from exc
        store.raw.flush()
        store.raw.optimize()  # merges the overlapping table files of the pieces: later queries read fewer
        from .fastshacl import written_literals

        store.record_written(written_literals(rewritable))
        store.close()
        del store
        import gc

        gc.collect()
        if not kept:
            return OxigraphStore(staging, read_only=True)
        write_stamp(staging, [path])
        try:
            replace_dir(staging, beside)
        except StoreError:
            if not _stamped(beside, path):
                raise
            shutil.rmtree(staging, ignore_errors=True)  # another process loaded the same file meanwhile
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return OxigraphStore(beside, read_only=True)


#: Set (to anything) to make every in-memory store an error: a test of a remote or embedded store
#: can then be sure that nothing quietly falls back to memory.
NO_MEMORY_ENV = "PILOTKG_NO_MEMORY_STORE"


def _memory_allowed() -> None:
    if os.environ.get(NO_MEMORY_ENV):
        raise StoreError(f"the in-memory store is disabled ({NO_MEMORY_ENV} is set)",
                         hint="name the store with --store oxigraph:PATH or --store sparql+http(s)://...")


def as_dataset(store: Any) -> tuple[Dataset, str | None]:
    """An in-memory dataset for work that needs one (pySHACL), and a note when it was copied."""
    if isinstance(store, Dataset):
        return store, None
    dataset = store.to_dataset()
    return dataset, f"copied {len(dataset)} statements from {describe(store)} into memory to validate them"
