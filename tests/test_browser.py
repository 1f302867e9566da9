"""The HTML report in a real browser: Debian's chromium, driven by Playwright with
``executable_path`` (never a downloaded browser). Every request the page makes is recorded and
only ``file:`` URLs may occur; there is no console error; the Chengdu row shows its conference
quote and the Mianyang row shows "not evidenced"."""

from __future__ import annotations

import shutil
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
