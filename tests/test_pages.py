"""Paged library queries (``# page: SIZE``) and their materialised pages (pilotkg.pages): a page
holds the same rows in the same order on every store, read from the pages the store build kept
or computed by the query; pages of another state of the store are never read."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset

from pilotkg import pages, querylib
from pilotkg.build import build
from pilotkg.cli import main
from pilotkg.errors import QueryError
from pilotkg.store import OxigraphStore

PROJECTIONS = ("project-entities", "project-place-industry")
#: Rows of a page in the copies of the projections tested here: the article's rows fill several.
SMALL = {"project-entities": 100, "project-place-industry": 2}


def small_pages(name: str) -> querylib.NamedQuery:
    """A library projection with pages of SMALL[name] rows."""
    query = querylib.get(name)
    text = query.text.replace("# page: 1000\n", f"# page: {SMALL[name]}\n")
    assert text != query.text
    return querylib.parse_header(f"{name}-small", query.path, text)


@pytest.fixture(scope="module")
def store_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data built through the store, with pages of SMALL rows materialised too."""
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        out = tmp_path_factory.mktemp("built")
        build(out, engine="store")
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    folder = out / "pilotkg.oxigraph"
    library = list(querylib.library().values())
    rows = pages.materialise(folder, [*pages.pageable(library), *(small_pages(n) for n in PROJECTIONS)])
    assert set(rows) == {*PROJECTIONS, *(f"{n}-small" for n in PROJECTIONS)}
    return folder


def table(result: Any) -> list[tuple[Any, ...]]:
    return [tuple(row.get(v) for v in result.vars) for row in result.bindings]


# --- the header and the parameter -------------------------------------------------------------

HEAD = "# title: t\n# page: 5\n"


def test_a_paged_query_takes_a_page_parameter() -> None:
    query = querylib.parse_header("q", Path("q.rq"), HEAD + "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n")
    assert query.page_size == 5
    assert [(p.name, p.type, p.default) for p in query.params] == [("page", "page", "1")]
    assert "page (page, default 1)" in query.signature()


@pytest.mark.parametrize(("text", "said"), [
    (HEAD + "SELECT ?s WHERE { ?s ?p ?o }\n", "ORDER BY"),
    (HEAD + "SELECT ?s WHERE { ?s ?p ?o } # ORDER BY ?s\n", "ORDER BY"),
    ("# title: t\n# page: 0\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n", "number of rows"),
    ("# title: t\n# page: ten\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n", "number of rows"),
    (HEAD + "# param: page integer : mine\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n", "of its own"),
])
def test_a_malformed_paged_query_is_refused(text: str, said: str) -> None:
    with pytest.raises(QueryError, match=said):
        querylib.parse_header("q", Path("q.rq"), text)


def test_a_page_is_cut_with_limit_and_offset() -> None:
    query = querylib.parse_header("q", Path("q.rq"), HEAD + "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n")
    assert querylib.bind(query, {}).endswith("ORDER BY ?s\nLIMIT 5 OFFSET 0\n")
    assert querylib.bind(query, {"page": "3"}).endswith("ORDER BY ?s\nLIMIT 5 OFFSET 10\n")
    assert "LIMIT" not in querylib.bind(query, {"page": "all"})
    assert "LIMIT" not in querylib.bind(query, {"page": " ALL "})


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "two", "1 } DROP ALL #", "", "9999999999"])
def test_a_bad_page_is_refused(value: str) -> None:
    query = querylib.parse_header("q", Path("q.rq"), HEAD + "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n")
    with pytest.raises(QueryError, match="not a page"):
        querylib.bind(query, {"page": value})


def test_a_list_of_pages_is_refused() -> None:
    query = querylib.parse_header("q", Path("q.rq"), HEAD + "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n")
    with pytest.raises(QueryError, match="one page at a time"):
        querylib.bind(query, {"page": ["1", "2"]})


def test_the_library_projections_are_paged() -> None:
    library = querylib.library()
    assert [q.name for q in pages.pageable(library.values())] == list(PROJECTIONS)


# --- the same pages everywhere ----------------------------------------------------------------

@pytest.mark.parametrize("name", PROJECTIONS)
def test_pages_hold_the_same_rows_in_the_same_order_on_every_store(name: str, store_build: Path,
                                                                   dataset: Dataset) -> None:
    """Memory (rdflib), the store computing the page, and the store reading its pages agree on
    every page, and the pages in turn are every row. (rdflib runs the whole query for each page:
    it is asked the first, the last and the one past it.)"""
    query, size = small_pages(name), SMALL[name]
    store = OxigraphStore(store_build, read_only=True)
    everything = table(querylib.run(dataset, query, {"page": "all"}))
    assert len(everything) > 2 * size, "the article's projection should fill several pages"
    assert len(set(everything)) == len(everything)
    assert table(store.query(querylib.bind(query, {"page": "all"}))) == everything
    read = pages.read(store_build, query, None)
    assert read is not None and table(read) == everything
    assert [str(v) for v in read.vars] == [str(v) for v in querylib.run(dataset, query, {"page": "1"}).vars]
    last = -(-len(everything) // size)
    joined = []
    for number in range(1, last + 2):  # one page past the last: empty
        page = {"page": str(number)}
        computed = table(store.query(querylib.bind(query, page)))
        materialised = pages.read(store_build, query, number)
        assert materialised is not None
        assert computed == table(materialised) == table(querylib.run(store, query, page)), number
        if number in (1, last, last + 1):
            assert table(querylib.run(dataset, query, page)) == computed, number
        joined += computed
    assert joined == everything


def test_the_network_views_read_every_page(store_build: Path, dataset: Dataset) -> None:
    from pilotkg import network

    store = OxigraphStore(store_build, read_only=True)
    for view in (network.full, network.place_industry):
        a, b = view(store), view(dataset)
        assert a.number_of_edges() == b.number_of_edges() > 0
        assert sorted(a.nodes) == sorted(b.nodes)


# --- pages of another state are not read --------------------------------------------------------

@pytest.fixture()
def copy(store_build: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(store_build, target)
    return target


def test_a_store_opened_for_writing_without_a_write_keeps_its_pages(copy: Path) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(copy))
    del store
    gc.collect()
    assert pages.read(copy, querylib.get("project-entities"), 1) is not None


def test_pages_of_a_store_another_program_wrote_to_are_not_read(copy: Path) -> None:
    import pyoxigraph as ox

    query = querylib.get("project-entities")
    assert pages.read(copy, query, 1) is not None
    store = ox.Store(str(copy))
    store.add(ox.Quad(ox.NamedNode("https://w3id.org/pilotkg/id/x"), ox.NamedNode("https://w3id.org/pilotkg/ontology#partner"),
                      ox.NamedNode("https://w3id.org/pilotkg/id/y"), ox.NamedNode("https://w3id.org/pilotkg/id/graph/reference")))
    del store
    gc.collect()
    assert pages.read(copy, query, 1) is None
    rows = table(querylib.run(OxigraphStore(copy, read_only=True), query, {"page": "all"}))
    assert any(str(row[0]) == "https://w3id.org/pilotkg/id/x" for row in rows)  # computed: the new tie is there


def test_pages_of_another_text_of_the_query_are_not_read(copy: Path) -> None:
    query = querylib.get("project-entities")
    changed = querylib.parse_header(query.name, query.path, query.text + "# a comment\n")
    assert pages.read(copy, query, 1) is not None and pages.read(copy, changed, 1) is None


def test_a_write_through_pilotkg_removes_the_pages(copy: Path) -> None:
    store = OxigraphStore(copy)
    store.update("INSERT DATA { GRAPH <https://w3id.org/pilotkg/id/graph/reference> { "
                 "<https://w3id.org/pilotkg/id/x> <https://w3id.org/pilotkg/ontology#partner> <https://w3id.org/pilotkg/id/y> } }")
    store.close()
    assert not (copy / pages.PAGES_DIR).exists()
    assert [p.name for p in copy.iterdir() if p.name.startswith(".")] == []  # nothing left aside


def test_push_makes_the_pages_again(store_build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "pushed"
    nquads = store_build.parent / "pilotkg.nq"
    for _ in range(2):  # into a new store, then over it
        assert main(["push", str(nquads), "--store", f"oxigraph:{target}"]) == 0
        assert "materialised the pages of project-entities" in capsys.readouterr().err
        for name in PROJECTIONS:
            query = querylib.get(name)
            read = pages.read(target, query, None)
            assert read is not None and len(read.bindings) > 0
            assert table(read) == table(pages.read(store_build, query, None))  # type: ignore[arg-type]


def test_the_cli_says_where_the_next_page_is(store_build: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    queries = tmp_path / "queries"
    shutil.copytree(querylib.queries_dir(), queries)
    text = (queries / "project-entities.rq").read_text(encoding="utf-8")
    (queries / "project-entities.rq").write_text(text.replace("# page: 1000\n", "# page: 40\n"), encoding="utf-8")
    monkeypatch.setattr(querylib, "queries_dir", lambda: queries)
    assert main(["query", "project-entities", "--store", f"oxigraph:{store_build}", "--format", "csv",
                 "--param", "page=2"]) == 0
    out, err = capsys.readouterr()
    assert len(out.strip().splitlines()) == 40 + 1
    assert "page 2 of project-entities" in err and "--param page=3" in err
