"""``pilotkg ingest``: facts from the analysts' spreadsheets, checked row by row before anything is
written, each file kept as one named graph in ``data/ingested/ID.trig``.

* Every row is checked first: required cells, types, references (with the closest names
  suggested), duplicate keys, units, multipliers, qualifiers and statuses, the quote. Any problem
  refuses the whole run (:class:`~pilotkg.errors.IngestError`, ``file:sheet:row:column: what;
  how to fix``) and nothing is written.
* Facts go to ``graph/source/ingested/ID`` with their evidence: a quote of the source document,
  checked verbatim and located when the document's text is registered in ``data/sources/``,
  else kept with ``pk:verified false``. Each quote records the file, sheet and row it came from.
* A row marked as the analyst's own assertion goes to ``graph/asserted/ID``, apart: the
  validation and the reports never see it, so it is never evidence for a requirement.
* IRIs come from stable keys (:mod:`pilotkg.rowfacts`), so ingesting the same file twice gives
  the same graph; a file whose facts did not change leaves ``ID.trig`` as it was.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .context import Context, Located, LookupProblem, load_context
from .errors import CellProblem, IngestError, InputError
from .ingested import FOLDER, asserted_graph, facts_graph, read_ingested, sheet_entity
from .iri import KEY_PATTERN, mint, slug
from .namespaces import ID, OA, PK, bind_prefixes
from .rowfacts import WORKSHEET_FILL, Builder, Facts, iri_key, key_of
from .sheets import NO_SHEET, NumberError, Row, Table, parse_number, read_tables, unneutralise
from .sources import Source
from .templates import KINDS, Column, Kind, candidates, closest_kind, normalise_header, vocabularies

#: Kinds in the order their rows are read, so that a row can name what an earlier kind made.
ORDER = ["source-document", "city-pilot", "industry-pilot", "enterprise", "park", "innovation-platform", "conference",
         "chain-chief-post", "collaboration-proposal", "proposal-component", "element-park", "element-pillar-industry",
         "element-chain-leader-enterprise", "element-chain-chief", "element-innovation-platform",
         "element-world-brand-conference", "gap-worksheet", "observation"]
assert sorted(ORDER) == sorted(KINDS)
YES = {"yes", "y", "true", "1", "是", "x"}
NO = {"no", "n", "false", "0", "否", ""}
FORMATS = {".csv": "text/csv", ".txt": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class CellError(ValueError):
    def __init__(self, message: str, hint: str, column: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint
        self.column = column


@dataclass
class Report:
    """What ingesting one file did."""

    id: str
    file: Path
    target: Path
    rows: int = 0
    skipped: int = 0
    verified: int = 0
    assertions: int = 0
    unverified: list[str] = field(default_factory=list)
    status: str = "checked"
    facts: Graph = field(default_factory=Graph)
    asserted: Graph = field(default_factory=Graph)


class FileReader:
    """Reads the tables of one file into its facts and assertions, collecting every problem."""

    def __init__(self, ctx: Context, ingest_id: str, path: Path) -> None:
        self.ctx, self.id, self.path = ctx, ingest_id, path
        self.builder = Builder(ctx)
        self.vocabs = vocabularies()
        self.problems: list[CellProblem] = []
        self.report = Report(ingest_id, path, Path())
        self.facts = bind_prefixes(Graph())
        self.asserted = bind_prefixes(Graph())
        self.seen: dict[URIRef, str] = {}

    def read(self, tables: list[Table]) -> None:
        typed = []
        for table in tables:
            kind, header = self.header(table)
            if kind is not None and header is not None:
                typed.append((ORDER.index(kind.name), table, kind, header))
        for _, table, kind, header in sorted(typed, key=lambda t: t[0]):
            for row in table.rows:
                if row is header or row.is_blank() or row.is_comment():
                    continue
                self.row(table, kind, header, row)

    def header(self, table: Table) -> tuple[Kind | None, Row | None]:
        header = next((r for r in table.rows if not r.is_comment()), None)
        if header is None:
            self.problems.append(table.problem(None, "-", "the sheet has no header row", "put the template's header first"))
            return None, None
        names = [normalise_header(c.text) for c in header.cells]
        doubled = sorted({n for n in names if n and names.count(n) > 1})
        if doubled:
            self.problems.append(table.problem(header.number, doubled[0], f"the column {doubled[0]} appears twice",
                                               "keep one column of each name"))
            return None, header
        found = candidates(names)
        if len(found) == 1:
            return found[0], header
        kind = closest_kind(names)
        unknown = [n for n in names if n and n not in kind.names]
        missing = sorted(kind.required - set(names))
        for name in unknown:
            close = difflib.get_close_matches(name, kind.names, n=1)
            self.problems.append(table.problem(header.number, name or "-", f"unknown column {name!r} for a {kind.name} sheet",
                                               f"did you mean {close[0]!r}?" if close else "remove it, or see `pilotkg templates "
                                               f"{kind.name}`"))
        for name in missing:
            self.problems.append(table.problem(header.number, name, f"the required column {name} is missing (the sheet looks "
                                               f"like {kind.name})", f"add it; `pilotkg template {kind.name}` writes the template"))
        if not unknown and not missing:
            self.problems.append(table.problem(header.number, "-", "the header fits several kinds: " +
                                               ", ".join(k.name for k in found), "use the header of one template"))
        return None, header

    def row(self, table: Table, kind: Kind, header: Row, row: Row) -> None:
        names = [normalise_header(c.text) for c in header.cells]
        cells = {name: unneutralise(cell.text.strip()) for name, cell in zip(names, row.cells, strict=False) if name}
        if any(c.text.strip() for c in row.cells[len(names):]):
            self.problems.append(table.problem(row.number, "-", f"the row has cells beyond the header's {len(names)} columns",
                                               "remove them, or give the column a header"))
            return
        if kind.name == "gap-worksheet" and not any(cells.get(c) for c in WORKSHEET_FILL):
            self.report.skipped += 1
            return
        self.report.rows += 1
        errors: list[CellError] = []
        values: dict[str, Any] = {}
        for column in kind.columns:
            text = cells.get(column.name, "")
            if not text:
                if self.required(kind, column, cells):
                    errors.append(CellError(f"the required cell {column.name} is empty", f"give the {column.name}: "
                                            f"{column.meaning}", column.name))
                continue
            try:
                values[column.name] = self.parse(column, text)
            except CellError as exc:
                exc.column = exc.column or column.name
                errors.append(exc)
            except LookupProblem as exc:
                errors.append(CellError(str(exc), exc.hint, column.name))
        if not errors and kind.name == "observation":
            errors += self.figure(values, cells)
        if errors:
            self.problems += [table.problem(row.number, e.column or "-", str(e), e.hint) for e in errors]
            return
        try:
            self.build(table, kind, row, values)
        except CellError as exc:
            self.problems.append(table.problem(row.number, exc.column or "-", str(exc), exc.hint))
        except LookupProblem as exc:
            self.problems.append(table.problem(row.number, exc.column or "-", str(exc), exc.hint))

    @staticmethod
    def required(kind: Kind, column: Column, cells: dict[str, str]) -> bool:
        if column.required:
            return True
        if kind.name == "gap-worksheet":
            return column.name == "status" or (column.name == "element_label" and not cells.get("element_iri"))
        return kind.name == "observation" and column.name == "qualifier"

    def parse(self, column: Column, text: str) -> Any:
        folded = unicodedata.normalize("NFKC", text).strip()
        kind = column.type
        if kind in ("text", "name-zh", "agent"):
            return text
        if kind == "name":
            if not slug(text):
                raise CellError(f"{text!r} has no Latin letter or digit: the English name makes the IRI",
                                "write the English name here; a Chinese name goes in the _zh column")
            return text
        if kind == "integer":
            if not re.fullmatch(r"\d{1,6}", folded) or int(folded) < 1:
                raise CellError(f"{text!r} is not a whole number from 1", "write digits, such as 1")
            return int(folded)
        if kind == "year":
            year = folded.removesuffix("年")
            if not re.fullmatch(r"\d{4}", year):
                raise CellError(f"{text!r} is not a year", "write four digits, such as 2021")
            return year
        if kind == "number":
            try:
                return parse_number(text)
            except NumberError as exc:
                raise CellError(str(exc), "write the figure with digits, for example 1,542.82 or 1542.82亿元") from exc
        if kind in ("place", "industry", "entity"):
            return self.ctx.resolve(text, kind)
        if kind == "places":
            return [self.ctx.resolve(p, "place") for p in re.split(r"[;,、]", folded) if p.strip()]
        if kind == "choice":
            vocab = self.vocabs[column.vocabulary or ""]
            value = vocab.get(folded)
            if value is None:
                close = difflib.get_close_matches(folded.casefold(), list(vocab.values), n=1)
                raise CellError(f"{text!r} is not an allowed {column.name}: one of {', '.join(vocab.shown)}",
                                f"did you mean {close[0]!r}?" if close else "write one of the allowed values")
            return value
        if kind == "boolean":
            if folded.casefold() in YES:
                return True
            if folded.casefold() in NO:
                return False
            raise CellError(f"{text!r} is neither yes nor no", "write yes or no")
        if kind == "iri":
            if not folded.startswith(str(ID)) or re.search(r"\s", folded):
                raise CellError(f"{text!r} is not an IRI of the graph ({ID}...)", "copy the IRI, or leave the cell empty")
            return URIRef(folded)
        if kind == "key":
            if not KEY_PATTERN.match(folded):
                raise CellError(f"{text!r} is not a key", "use lower-case letters, digits and hyphens")
            return folded
        raise AssertionError(f"no reader for column type {kind}")

    def figure(self, v: dict[str, Any], cells: dict[str, str]) -> list[CellError]:
        """Unit and multiplier of a figure: from their columns or the value's words, which must agree."""
        errors = []
        number = v["value"]
        unit_word = self.vocabs["unit"].get(number.unit) if number.unit else None
        if number.unit and v.get("unit") is not None and unit_word != v["unit"]:
            errors.append(CellError(f"the value says {number.unit} but the unit column says {cells['unit']}",
                                    "make them agree, or leave the unit column empty", "unit"))
        v["unit"] = v.get("unit") or unit_word
        if v["unit"] is None:
            errors.append(CellError("the figure has no unit", f"give the unit: one of {', '.join(self.vocabs['unit'].shown)}",
                                    "unit"))
        allowed = set(self.vocabs["multiplier"].values.values())
        if number.multiplier is not None and number.multiplier not in allowed:
            errors.append(CellError(f"the value's magnitude is 10^{number.multiplier}, outside the multipliers a figure may "
                                    f"have ({', '.join(self.vocabs['multiplier'].shown)})",
                                    "write the figure in one of those magnitudes (1.5 million is 150万)", "value"))
        elif number.multiplier is not None and v.get("multiplier") is not None and v["multiplier"] != number.multiplier:
            errors.append(CellError(f"the value's magnitude is 10^{number.multiplier} but the multiplier column says "
                                    f"{cells['multiplier']}", "make them agree, or leave the multiplier empty", "multiplier"))
        v["multiplier"] = v.get("multiplier") if v.get("multiplier") is not None else (number.multiplier or 0)
        v["lexical_form"] = v.get("lexical_form") or cells["value"]
        return errors

    def build(self, table: Table, kind: Kind, row: Row, v: dict[str, Any]) -> None:
        own = bool(v.get("own_assertion"))
        source: Source | None = None
        document: URIRef | None = None
        doc_graph = Graph()
        located: Located | None = None
        if kind.evidence and not own:
            source, document, located = self.evidence(v, doc_graph)
        if own and v.get("quote"):
            raise CellError("the row is marked as the analyst's own assertion and also quotes a source",
                            "empty own_assertion (a quoted fact), or the quote (an own assertion)", "own_assertion")
        scope = key_of(document) if document is not None else f"asserted-{self.id}"
        facts: Facts = self.builder.build(kind, v, scope)
        if facts.main in self.seen:
            raise CellError(f"duplicate key: {self.seen[facts.main]} already gives <{facts.main}>",
                            "keep one row per fact (merge the rows), or correct the key cells", _key_column(kind))
        self.seen[facts.main] = f"row {row.number}" + (f" of sheet {table.sheet}" if table.sheet != NO_SHEET else "")
        target = self.asserted if own else self.facts
        graph = facts.graph + doc_graph
        key = iri_key(facts.main)
        if own:
            record = mint("ingest", self.id, key)
            graph.add((record, RDF.type, PROV.Entity))
            graph.add((record, RDFS.comment, Literal("The analyst's own assertion, from no source: never evidence.", lang="en")))
            self.provenance(graph, record, table, row)
            for node in facts.quoted or [facts.main]:
                graph.add((node, PROV.wasDerivedFrom, record))
            self.report.assertions += 1
        elif kind.evidence:
            quote = mint("quote", "ingested", self.id, key)
            self.quote(graph, quote, v, source, document, located, table, row)
            for node in facts.quoted:
                graph.add((node, PK.quote, quote))
        else:
            record = mint("ingest", self.id, key)
            graph.add((record, RDF.type, PROV.Entity))
            self.provenance(graph, record, table, row)
            graph.add((facts.main, PROV.wasDerivedFrom, record))
        if v.get("notes"):
            graph.add((facts.main, SKOS.editorialNote, Literal(v["notes"])))
        for triple in graph:
            target.add(triple)
        self.ctx.add(graph)

    def evidence(self, v: dict[str, Any], out: Graph) -> tuple[Source | None, URIRef, Located | None]:
        quote, title, where = v.get("quote"), v.get("source_title") or "", v.get("source_url_or_file") or ""
        if not quote:
            raise CellError("the row has no quote: a fact without a source is refused",
                            "give the source document and its verbatim words, or write yes in own_assertion "
                            "(kept apart, never evidence)", "quote")
        if not title and not where:
            raise CellError("the quote names no source document", "give source_title or source_url_or_file",
                            "source_url_or_file")
        source = self.ctx.registered(where, title)
        if source is not None:
            try:
                return source, source.document, self.ctx.locate(source, quote)
            except LookupProblem as exc:
                raise CellError(str(exc), exc.hint, "quote") from exc
        document = (self.ctx.find(where, "document") if where else None) or (self.ctx.find(title, "document") if title else None)
        if document is not None:
            return None, document, None
        if not title:
            registered = ", ".join(sorted(self.ctx.sources)) or "none"
            raise CellError(f"unknown source document {where!r}: not registered in data/sources/ (registered: {registered}) and "
                            "no title is given", "give the folder name of a registered source, or the document's title in "
                            "source_title", "source_url_or_file")
        key = slug(title) or slug(where)
        if not key:
            raise CellError(f"the document {title!r} needs a key for its IRI, and its title has no Latin letter or digit",
                            "give its URL or file name in source_url_or_file, or describe it in a source-document row with a key",
                            "source_title")
        document = mint("source", key)
        out.add((document, RDF.type, PK.SourceDocument))
        out.add((document, DCTERMS.title, Literal(title)))
        if where:
            out.add((document, DCTERMS.identifier, Literal(where)))
        return None, document, None

    def quote(self, g: Graph, quote: URIRef, v: dict[str, Any], source: Source | None, document: URIRef | None,
              located: Located | None, table: Table, row: Row) -> None:
        assert document is not None
        g.add((quote, RDF.type, PK.Quote))
        g.add((quote, OA.hasSource, document))
        g.add((quote, PROV.wasAttributedTo, self.speaker(g, v.get("speaker"), document)))
        text_selector = BNode()
        g.add((quote, OA.hasSelector, text_selector))
        g.add((text_selector, RDF.type, OA.TextQuoteSelector))
        g.add((text_selector, OA.exact, Literal(located.exact if located else v["quote"])))
        g.add((quote, PK.verified, Literal(located is not None)))
        if located is not None:
            position = BNode()
            g.add((quote, OA.hasSelector, position))
            g.add((position, RDF.type, OA.TextPositionSelector))
            g.add((position, OA.start, Literal(located.start)))
            g.add((position, OA.end, Literal(located.end)))
            g.add((quote, PK.inParagraph, located.paragraph))
            self.report.verified += 1
        else:
            where = f"row {row.number}" + (f" of sheet {table.sheet}" if table.sheet != NO_SHEET else "")
            self.report.unverified.append(f"{where}: the text of <{document}> is not registered in data/sources/")
        self.provenance(g, quote, table, row)

    def speaker(self, g: Graph, name: str | None, document: URIRef) -> URIRef:
        if name:
            known = self.ctx.find(name, "agent")
            if known is not None:
                return known
            agent = mint("agent", name)
            g.add((agent, RDF.type, PROV.Agent))
            g.add((agent, RDFS.label, Literal(name, lang="en")))
            return agent
        author = mint("agent", "author-of", key_of(document))
        if not self.ctx.known(author):
            title = self.ctx.graph.value(document, DCTERMS.title) or g.value(document, DCTERMS.title) or key_of(document)
            g.add((author, RDF.type, PROV.Agent))
            g.add((author, RDFS.label, Literal(f"the author of \u201c{title}\u201d", lang="en")))
            g.add((author, SKOS.note, Literal("Unnamed: the sheet does not say who says the quoted words; they are "
                                              "attributed to whoever wrote the document.", lang="en")))
        return author

    def provenance(self, g: Graph, node: URIRef, table: Table, row: Row) -> None:
        g.add((node, PROV.wasDerivedFrom, sheet_entity(self.id)))
        g.add((node, PK.rowNumber, Literal(str(row.number), datatype=XSD.positiveInteger)))
        if table.sheet != NO_SHEET:
            g.add((node, PK.sheetName, Literal(table.sheet)))


def _key_column(kind: Kind) -> str:
    return next((c.name for c in kind.columns if c.required and c.type in ("name", "place", "iri")), kind.columns[0].name)


def ingest_id(path: Path, given: str | None) -> str:
    key = given if given is not None else slug(path.stem)
    if not key or not KEY_PATTERN.match(key):
        raise InputError(f"{key!r} is not a valid ingest ID" if key else "the file name gives no ID (no Latin letter or digit)",
                         file=path, hint="give --source-id with lower-case letters, digits and hyphens, e.g. chengdu-plan-2023")
    return key


def ingest(files: Sequence[Path], *, data: Path | None = None, source_id: str | None = None,
           encoding: str | None = None, check: bool = False, now: str | None = None) -> list[Report]:
    """Check every row of ``files``; unless ``check``, write each as ``data/ingested/ID.trig``,
    all or nothing. Raises :class:`IngestError` listing every problem; then nothing is written."""
    from .assets import data_dir
    from .build import stamp_time
    from .rdfio import write_atomically

    if not files:
        raise InputError("no file to ingest", hint="give one or more .csv or .xlsx files")
    if source_id is not None and len(files) > 1:
        raise InputError("--source-id names one file's graph; several files were given", hint="ingest them one at a time")
    data = data or data_dir()
    ids = [ingest_id(Path(f), source_id) for f in files]
    doubled = sorted({i for i in ids if ids.count(i) > 1})
    if doubled:
        raise InputError(f"two files would have the ID {doubled[0]!r}", hint="rename one, or ingest them one at a time")
    ctx = load_context(data, exclude=set(ids))
    problems: list[CellProblem] = []
    reports = []
    stamp = now or stamp_time().isoformat()
    for path, ident in zip(files, ids, strict=True):
        path = Path(path)
        tables, unreadable = read_tables(path, encoding=encoding)
        reader = FileReader(ctx, ident, path)
        problems += unreadable
        if not unreadable:
            if not tables:
                problems.append(CellProblem("the file holds no table", path, None, "put a header row and rows below it",
                                            sheet=NO_SHEET))
            reader.read(tables)
        problems += reader.problems
        report = reader.report
        report.target = data / FOLDER / f"{ident}.trig"
        report.facts, report.asserted = reader.facts, reader.asserted
        _describe(report, path, tables[0].encoding if tables else "", stamp)
        reports.append(report)
    if problems:
        raise IngestError(problems)
    outputs = []
    for report in reports:
        if check:
            continue
        if _unchanged(report):
            report.status = "unchanged"
            continue
        report.status = "written"
        outputs.append((report.target, serialize(report)))
    write_atomically(outputs)
    return reports


def _describe(report: Report, path: Path, encoding: str, stamp: str) -> None:
    g = report.facts
    entity = sheet_entity(report.id)
    raw = path.read_bytes() if path.is_file() else b""
    media = FORMATS.get(path.suffix.lower(), "text/csv")
    g.add((entity, RDF.type, PROV.Entity))
    g.add((entity, RDFS.label, Literal(f"spreadsheet {path.name}", lang="en")))
    g.add((entity, DCTERMS.identifier, Literal(path.name)))
    g.add((entity, DCTERMS.format, Literal(f"{media}; charset={encoding}" if media == "text/csv" and encoding else media)))
    g.add((entity, PK.sha256, Literal(hashlib.sha256(raw).hexdigest(), datatype=XSD.hexBinary)))
    for graph, name in ((report.facts, facts_graph(report.id)), (report.asserted, asserted_graph(report.id))):
        if graph is report.asserted and not len(graph):
            continue
        graph.add((name, PROV.wasDerivedFrom, entity))
        graph.add((name, PROV.generatedAtTime, Literal(stamp, datatype=XSD.dateTime)))


def _timeless(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if p != PROV.generatedAtTime:
            out.add((s, p, o))
    return out


def _unchanged(report: Report) -> bool:
    if not report.target.is_file():
        return False
    try:
        before = read_ingested(report.target)
    except InputError:
        return False
    return isomorphic(_timeless(before.facts), _timeless(report.facts)) and isomorphic(
        _timeless(before.asserted), _timeless(report.asserted))


def serialize(report: Report) -> bytes:
    dataset = Dataset()
    bind_prefixes(dataset)
    for graph, name in ((report.facts, facts_graph(report.id)), (report.asserted, asserted_graph(report.id))):
        target = dataset.graph(name)
        for triple in graph:
            target.add(triple)
    return dataset.serialize(format="trig", encoding="utf-8")

