"""The HTML report and the interactive export in a real browser: Debian's chromium, driven by Playwright with
``executable_path`` (never a downloaded browser). Every request the page makes is recorded and
only ``file:`` URLs may occur; there is no console error; the Chengdu row shows its conference
quote and the Mianyang row shows "not evidenced"."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from pilotkg.cli import main

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    assert Path(CHROMIUM).is_file(), "chromium is missing: run `make system-deps` (apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")  # a new, empty profile
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=FLAGS,
                                                                headless=True)
        yield context
        context.close()


def until(page, expression: str, timeout: float = 30.0) -> None:
    """Wait until ``expression`` is true in the page. Not ``page.wait_for_function``: when its first
    check fails it polls with a function made by eval inside the page, which the pages' Content
    Security Policy (no 'unsafe-eval') refuses, so the wait failed whenever the page was slower
    than that first check. ``page.evaluate`` goes through DevTools and is not refused."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true after {timeout:g} s: {expression}"
        page.wait_for_timeout(50)


def test_html_report_in_chromium(browser, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    assert main(["validate", "-o", str(report)]) == 0
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    assert requests and all(url.startswith("file:") for url in requests), requests
    assert errors == []
    chengdu = page.locator('tr[data-city="Chengdu"]').inner_text()
    assert "will hold the 2022 World Conference on Display Industry" in chengdu
    mianyang = page.locator('tr[data-city="Mianyang"]').inner_text()
    assert "not evidenced" in mianyang and "evidenced:" not in mianyang
    # it prints: a PDF of the page has pages
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.close()


def _open(browser, path: Path) -> tuple:
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    until(page, "window.pkGraph !== undefined")
    return page, requests, errors


def test_interactive_export_in_chromium(browser, tmp_path: Path) -> None:
    """The cooperation page: only file: requests, the expected nodes drawn, the search finds
    Mianyang, a real click on Chengdu shows its quote, the language switch shows zh labels."""
    from pilotkg import network
    from pilotkg.store import open_store

    expected = network.cooperation(open_store(None)).number_of_nodes()
    page_file = tmp_path / "cooperation.html"
    assert main(["export", "--view", "cooperation", "--output", str(page_file)]) == 0
    page, requests, errors = _open(browser, page_file)
    assert requests and all(url.startswith("file:") for url in requests), requests
    assert errors == []
    assert expected == 5
    assert page.evaluate("window.pkGraph.nodes(':visible').length") == expected
    # the legend is a filter: unticking a class hides its nodes
    page.locator('#pk-filter input[data-class="Municipality"]').uncheck()
    assert page.evaluate("window.pkGraph.nodes(':visible').length") == expected - 1
    page.locator('#pk-filter input[data-class="Municipality"]').check()
    # search
    page.fill("#pk-search", "mianyang")
    assert page.inner_text("#pk-count") == "1 match"
    assert page.inner_text("#pk-matches").strip() == "Mianyang"
    assert page.evaluate("window.pkGraph.nodes('.match').map(n => n.data('label'))") == ["Mianyang"]
    page.fill("#pk-search", "")
    # a real mouse click where Chengdu is drawn
    where = page.evaluate("""() => {
        const node = window.pkGraph.nodes().filter(n => n.data('label') === 'Chengdu')[0];
        const p = node.renderedPosition(), box = document.getElementById('pk-graph').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y}; }""")
    page.mouse.click(where["x"], where["y"])
    details = page.inner_text("#pk-details")
    assert details.startswith("Chengdu")
    assert ("Chengdu proposed to jointly build a new display manufacturing hub by relying on the projects in "
            "Chengdu, Chongqing, Mianyang and Meishan.") in details
    assert "510100" in details  # its properties: the administrative code
    page.click("#pk-lang")
    assert "成都市" in page.evaluate("window.pkGraph.nodes().map(n => n.data('display'))")
    page.screenshot(path=str(tmp_path / "cooperation.png"))
    assert (tmp_path / "cooperation.png").stat().st_size > 10_000
    page.close()


def test_a_large_view_is_aggregated_and_says_so(browser, tmp_path: Path) -> None:
    """Forced over the threshold, the full view is drawn as place and industry groups with a note."""
    from pilotkg import network
    from pilotkg.store import open_store

    total = network.full(open_store(None)).number_of_nodes()
    page_file = tmp_path / "full.html"
    assert main(["export", "--view", "full", "--aggregate-threshold", "50", "--output", str(page_file)]) == 0
    page, requests, errors = _open(browser, page_file)
    assert all(url.startswith("file:") for url in requests) and errors == []
    note = page.inner_text("#pk-note")
    assert "more than 50" in note and "place and industry groups" in note
    drawn = page.evaluate("window.pkGraph.nodes().length")
    assert 1 < drawn < 50
    # every node of the view is in exactly one group
    assert page.evaluate("window.pkGraph.nodes().map(n => n.data('members') || 1).reduce((a, b) => a + b, 0)") == total
    page.screenshot(path=str(tmp_path / "full.png"))
    page.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    from .test_server import PILOTKG, start_server

    assert PILOTKG.is_file(), "the pilotkg command is missing: make test installs the package"
    process, base = start_server(["--time-limit", "20"])
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_the_web_ui_in_chromium(browser, served: str, tmp_path: Path) -> None:
    """Run a library query from the editor and see its rows; open an entity page from a result;
    every request goes to the server on 127.0.0.1, and nothing else."""
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(served + "/query")
    until(page, "document.querySelectorAll('#library option').length > 10")
    page.select_option("#library", "cq-batch-cities")
    assert "cq-batch-cities" in page.input_value("#library") and "SELECT" in page.input_value("#sparql")
    page.click("#run")
    page.wait_for_selector("#results table tr:nth-child(2)")
    text = page.inner_text("#results")
    assert all(city in text for city in ("Chengdu", "Deyang", "Mianyang", "Yibin"))
    assert "rows" in page.inner_text("#status")
    page.screenshot(path=str(tmp_path / "query.png"))
    page.locator("#results a", has_text="place/510100").first.click()
    page.wait_for_load_state("load")
    assert "/resource?iri=" in page.url
    body = page.inner_text("main")
    assert "Chengdu" in body and "成都市" in body and "510100" in body
    page.goto(served + "/cooperation")
    until(page, "window.pkGraph !== undefined")
    assert page.evaluate("window.pkGraph.nodes().length") == 5
    page.goto(served + "/report")
    assert "Chengdu" in page.inner_text("body")
    assert errors == []
    assert requests and all(url.startswith(served + "/") for url in requests), requests
    page.close()
