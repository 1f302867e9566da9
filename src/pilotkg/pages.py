"""The materialised pages of the paged library queries, kept in an embedded store's folder.

A projection query lists a whole view (``project-entities``: every tie between two resources,
79,749 at 1M statements); on the store it costs seconds however it is asked, because Oxigraph
decodes every term it filters or returns (10 to 13 s at 1M). Such a query is paged
(``# page: SIZE`` in its header, see :mod:`pilotkg.querylib`), and the store build computes its
whole result once, in its order, and keeps it here as pages of SPARQL TSV results::

    pilotkg.oxigraph/pilotkg-pages/pages.json          what was materialised, and from what
    pilotkg.oxigraph/pilotkg-pages/project-entities/000001.tsv, 000002.tsv, ...

A page is then read back as the query would have returned it: the same rows, terms and order
(the TSV is Oxigraph's own serialisation of its answer). Only a query run with no parameter but
``page`` is answered here. The pages are trusted only while they fit the store and the query:

* the store's files: ``pages.json`` records the names and sizes of the store's table files and
  the bytes its logs hold when the pages were made. Every write changes them (a log grows, a
  table file appears), so pages of another state of the store are never read, whoever wrote it.
  The store is opened for writing once before they are recorded, so that opening it so again
  without a write leaves them as they were; whatever else changes them (a compaction) only
  leaves the pages unread, which costs time, never an answer;
* the query: the SHA-256 of its text and its page size.

pilotkg's own writers (:class:`pilotkg.store.OxigraphStore`) remove the pages before they write;
``pilotkg build`` and ``pilotkg push`` make them again (:func:`materialise`).
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib.query import Result

from . import querylib
from .errors import StoreError
from .rdfio import _umask

log = logging.getLogger(__name__)

#: The folder of the pages, inside the store's folder.
PAGES_DIR = "pilotkg-pages"
MANIFEST = "pages.json"
VERSION = 1


def fingerprint(store_dir: Path) -> dict[str, Any]:
    """The names and sizes of the store's table files (``*.sst``), and the bytes its write-ahead
    logs (``*.log``) hold: a log's name changes each time the store is opened for writing."""
    tables, logged = [], 0
    for item in store_dir.iterdir():
        try:
            if item.suffix == ".sst":
                tables.append([item.name, item.stat().st_size])
            elif item.suffix == ".log":
                logged += item.stat().st_size
        except OSError:
            continue  # removed by a compaction while listed: the fingerprint differs anyway
    return {"tables": sorted(tables), "logged": logged}


def _settle(store_dir: Path) -> None:
    """Open the store for writing and close it: RocksDB drops the logs whose statements its
    table files hold, and writes nothing else. Opening it so again then leaves the fingerprint
    as it is. Skipped when the store cannot be opened for writing (held by another process)."""
    import pyoxigraph as ox

    try:
        store = ox.Store(str(store_dir))
    except OSError as exc:
        log.info("pages: the store %s stays as it is (%s)", store_dir, exc)
        return
    store.flush()
    del store


def query_digest(query: Any) -> str:
    return hashlib.sha256(query.text.encode("utf-8")).hexdigest()


def pageable(queries: Iterable[Any]) -> list[Any]:
    """The paged queries that take no parameter but their page: those materialised."""
    return [q for q in queries if q.page_size is not None and all(p.name == querylib.PAGE for p in q.params)]


def materialise(store_dir: Path, queries: Iterable[Any] | None = None) -> dict[str, int]:
    """Run each paged query of the library (or ``queries``) whole on the store in ``store_dir``,
    and keep its result as pages; the previous pages are replaced at once. The store must not be
    open for writing elsewhere. Returns the rows of each query."""
    import pyoxigraph as ox

    chosen = pageable(queries if queries is not None else querylib.library().values())
    target = store_dir / PAGES_DIR
    gc.collect()  # a handle of the store held in a reference cycle is only closed when collected
    drop(store_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{PAGES_DIR}.", suffix=".tmp", dir=store_dir))
    manifest: dict[str, Any] = {"version": VERSION, "queries": {}}
    rows: dict[str, int] = {}
    try:
        _settle(store_dir)
        manifest["store"] = fingerprint(store_dir)
        store = ox.Store.read_only(str(store_dir))
        try:
            for query in chosen:
                answer = store.query(query.text, use_default_graph_as_union=True)
                if not isinstance(answer, ox.QuerySolutions):
                    raise StoreError(f"the paged query {query.name!r} is not a SELECT query")
                folder = staging / query.name
                folder.mkdir()
                whole = folder / "whole.tsv"
                answer.serialize(str(whole), format=ox.QueryResultsFormat.TSV)
                count, pages = _split(whole, folder, query.page_size)
                whole.unlink()
                manifest["queries"][query.name] = {"sha256": query_digest(query), "page_size": query.page_size,
                                                   "rows": count, "pages": pages}
                rows[query.name] = count
                log.info("pages: %s, %d rows in %d pages", query.name, count, pages)
        finally:
            del store
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        os.chmod(staging, 0o777 & ~_umask())  # a temporary folder is private
        staging.rename(target)
    except OSError as exc:
        raise StoreError(f"cannot write the materialised pages into {store_dir}: {exc.strerror}") from exc
    except RuntimeError as exc:  # RocksDB's own errors
        raise StoreError(f"cannot read the store {store_dir} to materialise its pages: {exc}",
                         hint="close every other program that has the store open for writing") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return rows


def _split(whole: Path, folder: Path, size: int) -> tuple[int, int]:
    """Cut a TSV result into files of ``size`` rows, each with the header line. A row is one
    line: the format escapes line breaks within terms."""
    count = pages = 0
    out = None
    with whole.open("rb") as lines:
        header = lines.readline()
        for line in lines:  # every line a row, though it be empty (a single column unbound)
            if count % size == 0:
                if out is not None:
                    out.close()
                pages += 1
                out = (folder / f"{pages:06d}.tsv").open("wb")
                out.write(header)
            out.write(line)  # type: ignore[union-attr]
            count += 1
    if out is not None:
        out.close()
    if pages == 0:  # an empty result still names its variables
        (folder / f"{1:06d}.tsv").write_bytes(header)
        pages = 1
    return count, pages


def drop(store_dir: Path) -> None:
    """Remove the pages (before a write to the store): moved aside at once, then deleted."""
    target = store_dir / PAGES_DIR
    if not target.exists():
        return
    try:
        aside = Path(tempfile.mkdtemp(prefix=f".{PAGES_DIR}.", suffix=".old", dir=store_dir))
        target.rename(aside / PAGES_DIR)
    except OSError as exc:
        raise StoreError(f"cannot remove the materialised pages {target} before writing to the store: {exc.strerror}",
                         hint="make the store's folder writable") from exc
    shutil.rmtree(aside, ignore_errors=True)


def read(store_dir: Path, query: Any, page: int | None) -> Result | None:
    """Page ``page`` (from 1; None: every page) of ``query`` as the store would answer it, or
    None when the store holds no pages of it that can be trusted (see the module's text)."""
    import pyoxigraph as ox

    from .store import result_from_oxigraph

    folder = store_dir / PAGES_DIR
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        entry = manifest["queries"][query.name]
        if (manifest.get("version") != VERSION or entry["sha256"] != query_digest(query)
                or entry["page_size"] != query.page_size or manifest["store"] != fingerprint(store_dir)):
            log.info("pages: those of %s do not fit the store or the query; running it", query.name)
            return None
        last = entry["pages"]
        # past the last page: the last one's variables, and no row, as an OFFSET past the end gives
        numbers = range(1, last + 1) if page is None else [min(page, last)]
        result: Result | None = None
        for number in numbers:
            path = folder / query.name / f"{number:06d}.tsv"
            part = result_from_oxigraph(ox.parse_query_results(path=path, format=ox.QueryResultsFormat.TSV))
            if result is None:
                result = part
            else:
                result.bindings.extend(part.bindings)
        if result is not None and page is not None and page > last:
            result.bindings = []
        return result
    except (OSError, ValueError, KeyError, TypeError, SyntaxError) as exc:
        log.info("pages: none to read for %s (%s); running it", query.name, exc)
        return None
