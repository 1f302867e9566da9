"""Fast SHACL validation for large graphs: the project's shapes compiled to SPARQL run on
Oxigraph, with pySHACL's answers.

``validate_fast`` gives the :class:`~pilotkg.validate.Validation` that ``pilotkg.validate``
gives with pySHACL on a cold, full run: the same results (focus node, path, value, source shape,
constraint component, severity, message) and a report graph of the same shape (an
``sh:ValidationReport`` with its ``sh:result`` nodes, blank nodes copied as pySHACL copies them),
so that :mod:`pilotkg.compliance` and the reports work unchanged. The data validated is the data
pySHACL validates (:func:`pilotkg.validate.data_graph`): the source graphs, the reference, the
ontology and the closure; never the inferences.

* An rdflib :class:`~rdflib.Dataset` (or :class:`~rdflib.Graph`) is bulk-loaded into a temporary
  in-memory Oxigraph store. Oxigraph rewrites some literals (``"1.50"^^xsd:decimal`` as ``1.5``,
  ``xsd:positiveInteger`` as ``xsd:integer``, language tags in lower case), which can merge two
  terms rdflib keeps apart; those are loaded as unique surrogates, so that counts stay rdflib's
  and every check on them is made in Python on the rdflib term.
* An :class:`~pilotkg.store.OxigraphStore` is queried in place: through its union graph when no
  graph left out (inferences, shapes, metadata, reports) holds data, through the list of the
  graphs to validate when they are few, and otherwise through the union graph of a snapshot of
  the store (its table files hard-linked) from which the graphs left out were cleared.

The shapes are compiled by :mod:`pilotkg.fastshacl_shapes` (a shape using a feature the engine
does not implement raises :class:`UnsupportedShapeError`, naming the shape and the component) and
evaluated by :mod:`pilotkg.fastshacl_engine` and :mod:`pilotkg.fastshacl_batch`; the SPARQL text
is generated in :mod:`pilotkg.fastshacl_sparql` and the literal checks that must read a term as
pySHACL reads it are in :mod:`pilotkg.fastshacl_values`.

Example (the shapes default to ``ontology/shapes``)::

    from pilotkg.fastshacl import validate_fast
    validation = validate_fast(dataset)          # or an OxigraphStore, or an rdflib Graph
    validation.conforms, validation.count("violation")
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from . import fastshacl_sparql as q
from .errors import StoreError
from .fastshacl_engine import Engine, Hit
from .fastshacl_shapes import FastShaclError, ShapesModel, UnsupportedShapeError
from .fastshacl_values import sparql_message
from .namespaces import bind_prefixes
from .store import to_oxigraph, to_rdflib

log = logging.getLogger(__name__)

#: Above this many graphs to validate, Oxigraph's query over a list of graphs gets slow
#: (measured: 16 graphs 2x, 64 graphs 7x the union graph); see ``_store_data``.
MAX_LISTED_GRAPHS = 16
#: The datatype of the surrogates of the literals Oxigraph would rewrite (see ``_memory_data``).
SURROGATE = "urn:pilotkg:fastshacl:surrogate"


def validate_fast(source: Any, shapes: Graph | None = None, *, conditions: bool = True,
                  as_written: list[Any] | None = None) -> Any:
    """Validate with the fast engine; returns a :class:`pilotkg.validate.Validation`.

    ``source`` is an rdflib ``Dataset`` (its :func:`~pilotkg.validate.data_graph` is validated),
    an rdflib ``Graph`` (validated whole) or a :class:`~pilotkg.store.OxigraphStore`.
    ``conditions=False`` evaluates nested shapes as sets instead of SPARQL conditions (for
    tests: both must give the same answer). ``as_written``, for a store, are pyoxigraph quads
    whose literal the store holds in Oxigraph's form but the source wrote otherwise (the store
    build finds them): they are validated as written, as pySHACL would read the files (see
    :func:`written_literals`). Neither the data nor the shapes are changed."""
    from .store import OxigraphStore
    from .validate import Validation, load_shapes, read_results

    shapes = shapes if shapes is not None else load_shapes()
    model = ShapesModel(shapes)
    _require_messages(model)
    if as_written is None and isinstance(source, OxigraphStore):
        as_written = source.as_written()
    with open_data(source, model, writable=bool(as_written)) as data, _as_written(data, as_written or []):
        hits, conforms = Engine(model, data, conditions=conditions).run()
        report = build_report(hits, conforms, model, data)
    return Validation(conforms, report, read_results(report), shapes, Graph())


def written_literals(quads: Iterable[Any]) -> list[Any]:
    """Of ``quads`` (pyoxigraph, as parsed from the files), those whose literal Oxigraph would
    store otherwise than written (``"1.50"^^xsd:decimal``, ``xsd:positiveInteger``, ``"x"@zh-Hans``):
    the ``as_written`` of :func:`validate_fast`."""
    listed = list(quads)
    literals = {q.object for q in listed}  # pyoxigraph terms: no conversion for the many repeats
    originals = {lit: to_rdflib(lit) for lit in literals}
    stored = canonical(originals.values())
    rewritten = {lit for lit, original in originals.items() if stored.get(original, original) != original}
    return [q for q in listed if q.object in rewritten]


@contextmanager
def _as_written(data: StoreData, quads: list[Any]) -> Iterator[None]:
    """For the time of a validation, each statement of ``quads`` in the store under a surrogate
    of its literal as written (see ``_memory_data``), mapped back to that literal; then the store
    as it was. SPARQL-based constraints that could read a surrogate run on a copy of the store
    holding the literals as Oxigraph writes them."""
    import pyoxigraph as ox

    if not quads:
        yield
        return
    store = data.store
    written = sorted({to_rdflib(q.object) for q in quads}, key=lambda x: x.n3())
    forms = canonical(written)
    surrogates = {lit: _surrogate(lit, i) for i, lit in enumerate(written)}
    stored = {q: ox.Quad(q.subject, q.predicate, to_oxigraph(forms[to_rdflib(q.object)]), q.graph_name) for q in quads}
    # a statement stays as stored where the source also wrote it in the stored form
    asserted = set(quads)
    removed = [s for s in set(stored.values()) if s not in asserted and s in store]
    swapped = [ox.Quad(q.subject, q.predicate, surrogates[to_rdflib(q.object)], q.graph_name) for q in quads]
    for quad in removed:
        store.remove(quad)
    store.extend(swapped)
    data.originals = {to_rdflib(x): lit for lit, x in surrogates.items()}  # type: ignore[misc]
    data.has_risky = True
    data._terms.clear()
    data.surrogate_predicates = {f"<{q.predicate.value}>" for q in quads}

    def make_plain() -> StoreData:
        dumped = io.BytesIO()
        for graph in data.options.get("default_graph") or [None]:
            store.dump(dumped, format=ox.RdfFormat.N_QUADS, **({"from_graph": graph} if graph is not None else {}))
        copy = ox.Store()
        copy.bulk_load(dumped.getvalue(), format=ox.RdfFormat.N_QUADS)
        for quad in swapped:
            copy.remove(quad)
        copy.extend(removed)
        made = StoreData(copy, {"use_default_graph_as_union": True})
        restored = set(removed)
        for lit, surrogate in surrogates.items():
            key = to_oxigraph(forms[lit])
            if key in made.row_map or any(q not in restored for q in copy.quads_for_pattern(None, None, key)):
                made.ambiguous.add(key)
            made.row_map[key] = surrogate
        made.row_map = {k: v for k, v in made.row_map.items() if k not in made.ambiguous}
        return made

    data.make_plain = make_plain
    try:
        yield
    finally:
        for quad in swapped:
            store.remove(quad)
        store.extend(removed)


@contextmanager
def _snapshot(source: Any, *, drop: list[Any]) -> Iterator[Any]:
    """A writable snapshot of the store of ``source`` (an OxigraphStore) without the graphs
    ``drop``, for the time of a validation; the store itself is never changed. The snapshot lies
    beside the store (else in the temporary folder), so that its table files can be hard links:
    it costs a fraction of a second at 10M statements, and clearing the graphs left out costs
    what deleting their statements costs (4.4 s for a 116,000-statement report at 10M).

    A writable store makes it with RocksDB's checkpoint (``Store.backup``). A store open
    read-only cannot: its checkpoint leaves out what the write-ahead log holds and no table file
    does yet (the last update of a ``pilotkg push``, seen missing), so its files are copied by
    hand: RocksDB never changes a table file (``*.sst``) once written, so those are hard links
    where the file system allows, and the rest (the log among them) is copied."""
    import pyoxigraph as ox

    path = source.path
    log.info("fastshacl: a writable snapshot of the store %s", path)
    folder = None
    for parent in (path.parent, None):
        try:
            folder = Path(tempfile.mkdtemp(prefix=".pilotkg-validate.", suffix=".tmp", dir=parent))
            break
        except OSError:
            continue
    if folder is None:
        raise StoreError(f"cannot make a temporary folder to validate {path}",
                         hint="make the folder of the store or the temporary folder (TMPDIR) writable")
    try:
        target = folder / "store"
        try:
            if source.read_only:
                target.mkdir()
                for item in sorted(path.iterdir()):
                    if item.name == "LOCK" or not item.is_file():
                        continue
                    if item.suffix == ".sst":
                        try:
                            os.link(item, target / item.name)
                            continue
                        except OSError:
                            pass
                    shutil.copy2(item, target / item.name)
            else:
                source.raw.backup(str(target))
            copy = ox.Store(str(target))
            for graph in drop:
                copy.clear_graph(graph)
        except OSError as exc:
            raise StoreError(f"cannot make a writable snapshot of {path} to validate it: {exc}",
                             hint="free some disk space beside the store or in the temporary folder") from exc
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _surrogate(lit: Literal, i: int) -> Any:
    """The stand-in of a literal Oxigraph would rewrite: unique, and telling itself apart."""
    import pyoxigraph as ox

    return (ox.Literal(f"{lit}\u2063{i}", language=lit.language.lower()) if lit.language
            else ox.Literal(str(i), datatype=ox.NamedNode(SURROGATE)))


# ---------------------------------------------------------------------------------------------
# The data: a pyoxigraph store and how to query it


class StoreData:
    """What the engine reads: a pyoxigraph store queried with fixed dataset options, and the
    map back to rdflib's term for the literals loaded as surrogates (see ``_memory_data``)."""

    def __init__(self, store: Any, options: dict[str, Any] | None = None,
                 originals: dict[Node, Node] | None = None) -> None:
        self.store, self.options = store, options or {}
        self.originals = originals or {}
        self.has_risky = bool(self.originals)
        #: the predicates of the statements whose object is a surrogate, and how to make a copy
        #: without surrogates for the SPARQL-based constraints that read them
        self.surrogate_predicates: set[str] = set()
        self.make_plain: Any = None
        self._plain: StoreData | None = None
        #: for such a copy: its literals as the surrogates of this store, and those it cannot map
        self.row_map: dict[Any, Any] = {}
        self.ambiguous: set[Any] = set()
        self._terms: dict[Any, Node] = {}
        self._stable: dict[Node, bool] = {}
        self._children: dict[Node, set[Node]] | None = None

    def select(self, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        try:
            answer = self.store.query(query, **self.options)
        except (SyntaxError, ValueError, OSError) as exc:
            raise FastShaclError(f"Oxigraph refused a query of the fast SHACL engine: {exc}\n{query}") from exc
        names = [v.value for v in answer.variables]
        if not self.row_map and not self.ambiguous:
            return names, [tuple(solution) for solution in answer]
        rows = []
        for solution in answer:
            row = tuple(solution)
            for term in row:
                if term in self.ambiguous:
                    raise FastShaclError(
                        f"a SPARQL-based constraint returned {term}, which stands for several literals of the data "
                        "(Oxigraph writes them alike); validate with --engine pyshacl")
            rows.append(tuple(self.row_map.get(t, t) for t in row))
        return names, rows

    def sparql_for(self, iris: set[str] | None) -> StoreData:
        """Where a SPARQL-based constraint mentioning ``iris`` (None: any predicate) runs: here,
        unless it could read a surrogate; then on a copy loaded as Oxigraph writes literals."""
        if self.make_plain is None or (iris is not None and not iris & self.surrogate_predicates):
            return self
        if self._plain is None:
            self._plain = self.make_plain()
        return self._plain

    def rdf(self, term: Any) -> Node:
        found = self._terms.get(term)
        if found is None:
            found = to_rdflib(term)
            assert found is not None
            found = self.originals.get(found, found)
            self._terms[term] = found
        return found

    def risky(self, var: str) -> str:
        """True for a surrogate literal (never on a store): its checks run in Python."""
        if not self.has_risky:
            return "false"
        return (f"(isLiteral({var}) && (datatype({var}) = <{SURROGATE}> || "
                f"(LANG({var}) != \"\" && CONTAINS(STR({var}), \"\\u2063\"))))")

    def stable(self, term: Node) -> bool:
        """Whether Oxigraph keeps this term as rdflib writes it (a constant of a shape)."""
        if term not in self._stable:
            self._stable[term] = not isinstance(term, Literal) or canonical([term]).get(term, term) == term
        return self._stable[term]

    def subclasses(self, cls: Node) -> set[Node]:
        """``cls`` and its subclasses in the data (``rdfs:subClassOf``, transitively)."""
        if self._children is None:
            self._children = {}
            for sub, sup in self.select(q.select_subclasses())[1]:
                self._children.setdefault(self.rdf(sup), set()).add(self.rdf(sub))
        found, todo = {cls}, [cls]
        while todo:
            for child in self._children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def describe(self, node: BNode) -> list[tuple[Node, Node]]:
        import pyoxigraph as ox

        answer = self.store.query(q.select_description(), substitutions={ox.Variable("s"): to_oxigraph(node)},
                                  **self.options)
        return [(self.rdf(s["p"]), self.rdf(s["o"])) for s in answer]


def canonical(literals: Iterable[Node]) -> dict[Node, Node]:
    """Each literal as Oxigraph stores it, read back into rdflib (found by storing them)."""
    import pyoxigraph as ox

    scratch = ox.Store()
    p = ox.NamedNode("urn:pilotkg:fastshacl:lexical")
    listed = list(literals)
    scratch.bulk_extend(ox.Quad(ox.NamedNode(f"urn:pilotkg:fastshacl:{i}"), p, to_oxigraph(lit))
                        for i, lit in enumerate(listed))
    out: dict[Node, Node] = {}
    for quad in scratch.quads_for_pattern(None, p, None):
        index = int(str(quad.subject).strip("<>").rsplit(":", 1)[1])
        converted = to_rdflib(quad.object)
        assert converted is not None
        out[listed[index]] = converted
    return out


@contextmanager
def open_data(source: Any, model: ShapesModel, *, writable: bool = False) -> Iterator[StoreData]:
    """What the engine reads of ``source`` (see :func:`validate_fast`), for the time of a
    validation; ``writable``: the engine will swap statements in it (see ``_as_written``)."""
    from .store import OxigraphStore

    if isinstance(source, OxigraphStore):
        with _store_data(source, writable=writable) as data:
            yield data
    elif isinstance(source, Graph):
        yield _memory_data(source, model)
    else:
        raise TypeError(f"validate_fast needs an rdflib Dataset or Graph, or an OxigraphStore, not {type(source).__name__}")


def selected_graph(name: str) -> bool:
    """The graphs :func:`pilotkg.validate.data_graph` validates."""
    from .build import CLOSURE_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from .validate import SOURCE_GRAPHS

    return name.startswith(SOURCE_GRAPHS) or name in (str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH), str(CLOSURE_GRAPH))


def _triples(source: Graph) -> Iterator[tuple[Node, Node, Node]]:
    if isinstance(source, Dataset):
        for graph in source.graphs():
            if selected_graph(str(graph.identifier)):
                yield from graph
    else:
        yield from source


def _memory_data(source: Graph, model: ShapesModel) -> StoreData:
    """A temporary in-memory store holding what pySHACL would validate.

    Oxigraph rewrites some literals (``"1.50"^^xsd:decimal`` as ``1.5``, ``xsd:positiveInteger``
    as ``xsd:integer``, language tags in lower case, ``"x"^^xsd:string`` as ``"x"``), which can
    merge two terms rdflib keeps apart. Each such literal is loaded as a unique surrogate (a
    literal of a private datatype, or with a private suffix when it has a language tag): counts
    stay rdflib's, every filter lets surrogates through and their final check runs in Python on
    the rdflib term. SPARQL-based constraints, which may read literal values, run on a second
    copy loaded as Oxigraph writes it."""
    import pyoxigraph as ox

    triples = list(_triples(source))
    to_check: set[Node] = {o for _, _, o in triples if isinstance(o, Literal) and
                           (o.datatype is not None or (o.language and o.language != o.language.lower()))}
    changed = {lit: stored for lit, stored in canonical(to_check).items() if stored != lit}
    surrogates: dict[Node, Any] = {}
    for i, lit in enumerate(sorted(changed, key=lambda x: x.n3())):
        assert isinstance(lit, Literal)
        surrogates[lit] = _surrogate(lit, i)
    nodes: dict[Node, Any] = {}
    literal = ox.Literal

    def term(node: Node) -> Any:
        if type(node) is Literal:
            if surrogates and (node.datatype is not None or node.language) and node in surrogates:
                return surrogates[node]
            if node.language:
                return literal(node, language=node.language)
            return literal(node) if node.datatype is None else literal(node, datatype=term(node.datatype))
        found = nodes.get(node)
        if found is None:
            found = nodes[node] = to_oxigraph(node)
        return found

    store = ox.Store()
    store.bulk_extend(ox.Quad(term(s), term(p), term(o)) for s, p, o in triples)
    data = StoreData(store, {}, {to_rdflib(x): lit for lit, x in surrogates.items()})  # type: ignore[misc]
    if surrogates:
        data.surrogate_predicates = {f"<{p}>" for _, p, o in triples if type(o) is Literal
                                     and (o.datatype is not None or o.language) and o in surrogates}
        data.make_plain = lambda: _plain_copy(triples, changed, surrogates)
    return data


def _plain_copy(triples: list[tuple[Node, Node, Node]], changed: dict[Node, Node], surrogates: dict[Node, Any]) -> StoreData:
    import pyoxigraph as ox

    literals = {o for _, _, o in triples if isinstance(o, Literal)}
    copy = ox.Store()
    copy.bulk_extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples)
    plain = StoreData(copy, {})
    seen: dict[Any, Any] = {}
    for lit, stored in changed.items():
        key = to_oxigraph(stored)
        if key in seen or stored in literals:
            plain.ambiguous.add(key)
        seen[key] = surrogates[lit]
    plain.row_map = {k: v for k, v in seen.items() if k not in plain.ambiguous}
    return plain


@contextmanager
def _store_data(source: Any, *, writable: bool) -> Iterator[StoreData]:
    """Query an Oxigraph store, seeing only the graphs pySHACL would validate: in place through
    the union graph when no other graph holds data, or through the list of the graphs to validate
    when they are few; otherwise through the union graph of a snapshot of the store from which
    the graphs left out were cleared. A store open read-only that must be written to is also
    read through a snapshot."""
    import pyoxigraph as ox

    store = source.raw
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    included = [n for n in names if selected_graph(n)]
    others: list[Any] = [ox.NamedNode(n) for n in names if not selected_graph(n) and _nonempty(store, ox.NamedNode(n))]
    if _nonempty(store, ox.DefaultGraph()):
        others.append(ox.DefaultGraph())
    if others and len(included) > MAX_LISTED_GRAPHS:
        log.info("fastshacl: querying the union graph of a snapshot without the graphs left out (%d)", len(others))
        with _snapshot(source, drop=others) as copy:
            yield StoreData(copy, {"use_default_graph_as_union": True})
        return
    if others:
        log.info("fastshacl: querying the %d graphs to validate", len(included))
        options: dict[str, Any] = {"default_graph": [ox.NamedNode(n) for n in included]}
    else:
        log.info("fastshacl: querying the union graph (no other graph holds data)")
        options = {"use_default_graph_as_union": True}
    if writable and source.read_only:
        with _snapshot(source, drop=[]) as copy:
            yield StoreData(copy, options)
    else:
        yield StoreData(store, options)


def _nonempty(store: Any, graph: Any) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None


# ---------------------------------------------------------------------------------------------
# The report, as pySHACL writes it


def _require_messages(model: ShapesModel) -> None:
    """pySHACL makes up a message when a shape has none; the fast engine does not imitate
    those texts: a shape whose results are reported must carry sh:message."""
    seen: set[Node] = set()
    todo = [s for s in model.shapes.values() if s.has_targets and not s.deactivated]
    while todo:
        shape = todo.pop()
        if shape.node in seen:
            continue
        seen.add(shape.node)
        for c in shape.constraints:
            if c.kind in ("Property", "Node"):
                todo += [model.shapes[n] for n in c.args["shapes"]]
            if c.kind not in ("SPARQL", "Property") and not shape.messages:
                raise UnsupportedShapeError(shape.node, c.component,
                                            "pySHACL's generic message for a shape without sh:message")


def build_report(hits: list[Hit], conforms: bool, model: ShapesModel, data: StoreData) -> Graph:
    if not conforms and not hits:
        raise FastShaclError("A Non-Conformant Validation Report must have at least one result "
                             "(pySHACL stops here too: a shape with sh:uniqueLang false)")
    report = Graph(bind_namespaces="core")
    for prefix, namespace in Graph().namespaces():
        report.bind(prefix, namespace)
    bind_prefixes(report)
    writer = _ReportWriter(report, model, data)
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(conforms)))
    for hit in hits:
        report.add((root, SH.result, writer.result(hit)))
    return report


class _ReportWriter:
    def __init__(self, report: Graph, model: ShapesModel, data: StoreData) -> None:
        self.report, self.model, self.data = report, model, data
        self.cloned: dict[tuple[str, str], Node] = {}

    def result(self, hit: Hit) -> BNode:
        r, add = BNode(), self.report.add
        shape, rdf = hit.shape, self.data.rdf
        add((r, RDF.type, SH.ValidationResult))
        add((r, SH.sourceConstraintComponent, hit.component))
        add((r, SH.sourceShape, self.clone("sg", shape.node)))
        add((r, SH.resultSeverity, shape.severity))
        add((r, SH.focusNode, self.clone("data", rdf(hit.focus))))
        if hit.value is not None:
            add((r, SH.value, self.clone("data", rdf(hit.value))))
        path = rdf(hit.sparql_path) if hit.sparql_path is not None else shape.path
        if path is not None:
            add((r, SH.resultPath, self.clone("sg", path)))
        if hit.source_constraint is not None:
            add((r, SH.sourceConstraint, self.clone("sg", hit.source_constraint)))
        for message in self.messages(hit):
            add((r, SH.resultMessage, message))
        for detail in hit.details:
            add((r, SH.detail, self.result(detail)))
        return r

    def messages(self, hit: Hit) -> list[Node]:
        own = hit.shape.messages
        if hit.bindings is None:
            return list(own)
        rdf = self.data.rdf
        if isinstance(hit.bindings, tuple):
            this, path, value, others = hit.bindings
            bindings: Any = (rdf(this), None if path is None else rdf(path), None if value is None else rdf(value),
                             {k: rdf(v) for k, v in others.items()})
        else:
            bindings = {k: rdf(v) for k, v in hit.bindings.items()}
        out = [sparql_message(m, bindings) for m in hit.extra_messages if m not in own]
        return out + [sparql_message(m, bindings) for m in own]

    def clone(self, source: str, node: Node) -> Node:
        """A node of the shapes or the data graph in the report: a blank node is copied with its
        statements, keeping its identifier, as pySHACL copies it (nested ones get new ones)."""
        if isinstance(node, Literal):
            return node
        key = (source, str(node))
        if key not in self.cloned:
            self.cloned[key] = self._copy(source, node, keep=True, depth=0) if isinstance(node, BNode) else URIRef(str(node))
        return self.cloned[key]

    def _statements(self, source: str, node: BNode) -> list[tuple[Node, Node]]:
        if source == "sg":
            return list(self.model.sg.predicate_objects(node))
        return self.data.describe(node)

    def _copy(self, source: str, node: BNode, *, keep: bool, depth: int) -> BNode:
        from rdflib.collection import Collection

        copy = BNode(str(node)) if keep else BNode()
        if depth >= 10:
            return copy
        statements = self._statements(source, node)
        if any(p == RDF.first for p, _ in statements):
            items: list[Node] = []
            cell: Node | None = node
            while isinstance(cell, BNode) and cell != RDF.nil:
                cell_statements = self._statements(source, cell)
                items += [o for p, o in cell_statements if p == RDF.first]
                cell = next((o for p, o in cell_statements if p == RDF.rest), None)
            Collection(self.report, copy, [self._nested(source, i, depth + 1) for i in items])
            return copy
        for p, o in statements:
            self.report.add((copy, p, self._nested(source, o, depth + 1)))
        return copy

    def _nested(self, source: str, node: Node, depth: int) -> Node:
        return self._copy(source, node, keep=False, depth=depth + 1) if isinstance(node, BNode) else node


__all__ = ["FastShaclError", "UnsupportedShapeError", "validate_fast"]
