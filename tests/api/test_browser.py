"""A real browser (Playwright driving Debian's Chromium, headless) through the main user journey.

Skipped with a stated reason when Chromium or Playwright is missing, except in CI (``CI`` set), where a
missing browser is a failure.  Screenshots of the pages go to ``docs/screenshots/`` (README).
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.api.conftest import Server
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = ROOT / "docs" / "screenshots"

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # pragma: no cover
    sync_playwright = None  # type: ignore[assignment]

if (CHROMIUM is None or sync_playwright is None) and not os.environ.get("CI"):
    pytest.skip(
        "Chromium (Debian package 'chromium') or the 'playwright' package is not installed", allow_module_level=True
    )


@pytest.fixture(scope="module")
def page(server: Server):  # type: ignore[no-untyped-def]
    assert CHROMIUM, "CI requires /usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        pg = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.errors = errors  # type: ignore[attr-defined]
        yield pg
        browser.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_home_search_program_law_article_journey(page: Page, server: Server) -> None:
    page.goto(server.url + "/")
    expect(page.locator("h1")).to_contain_text("サイバーセキュリティ予算")
    shot(page, "1-home")
    page.fill("#home-q", "ｻｲﾊﾞｰｾｷｭﾘﾃｨ")  # half-width input finds full-width names
    page.press("#home-q", "Enter")
    expect(page.locator("p.count")).to_contain_text("件")
    shot(page, "2-search")
    page.locator("a.program-link", has_text="政府全体のサイバーセキュリティ能力向上に関する経費").click()
    expect(page.locator("#program-name")).to_have_text("政府全体のサイバーセキュリティ能力向上に関する経費")
    expect(page.locator("svg.chart")).to_be_visible()
    shot(page, "3-program")
    page.locator("ul.legal-basis a.article-link", has_text="第31条").first.click()
    expect(page.locator("#article-title")).to_contain_text("サイバーセキュリティ基本法")
    expect(page.locator("table.citing")).to_contain_text("7604")
    shot(page, "4-article")


def test_sparql_page_runs_an_example_query(page: Page, server: Server) -> None:
    page.goto(server.url + "/query")
    page.wait_for_function("window.cbkgYasgui !== undefined", timeout=15000)
    page.locator("a.example").nth(5).click()  # budget history of NISC's program 47
    results = page.locator(".yasr")
    expect(results).to_contain_text("2024", timeout=20000)
    expect(results).to_contain_text("initial")
    shot(page, "5-sparql")
    assert not page.errors, page.errors  # type: ignore[attr-defined]
