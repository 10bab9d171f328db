"""A real browser (Playwright driving Debian's Chromium, headless) through the main user journey.

Skipped with a stated reason when Chromium or Playwright is missing, except in CI (``CI`` set), where a
missing browser is a failure.  Screenshots of the pages go to ``docs/screenshots/`` (README).
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import ROOT
from tests.support.servers import Server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = ROOT / "docs" / "screenshots"

try:
    from playwright.sync_api import ConsoleMessage, Page, Request, expect, sync_playwright
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


REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
"""Hard-coded in ReDoc's sidebar footer; the CSP (img-src 'self' data:) blocks it and ReDoc hides it."""


@pytest.mark.parametrize(
    ("path", "rendered"),
    [
        ("/docs", ".swagger-ui .opblock-summary-path"),  # Swagger UI listed the operations
        ("/redoc", "[data-section-id^='tag/'], [data-section-id^='operation/']"),  # ReDoc rendered the spec
    ],
)
def test_api_docs_render_from_bundled_assets_under_the_csp(
    page: Page, server: Server, path: str, rendered: str
) -> None:
    violations: list[str] = []  # CSP reports other than the Redocly logo
    foreign: list[str] = []  # requests that left this origin
    failed: dict[str, str] = {}

    def on_console(m: ConsoleMessage) -> None:
        if "Content Security Policy" in m.text and REDOCLY_LOGO not in m.text:
            violations.append(m.text)

    def on_request(r: Request) -> None:
        if not r.url.startswith((server.url, "blob:" + server.url)):  # ReDoc's search worker is a blob:
            foreign.append(r.url)

    def on_failed(r: Request) -> None:
        failed[r.url] = r.failure or ""

    page.on("console", on_console)
    page.on("request", on_request)
    page.on("requestfailed", on_failed)
    try:
        page.goto(server.url + path)
        expect(page.locator(rendered).first).to_be_visible(timeout=20000)
        expect(page.locator("body")).to_contain_text("/api/programs")
        page.wait_for_load_state("networkidle")
        shot(page, "6-docs" if path == "/docs" else "7-redoc")
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("request", on_request)
        page.remove_listener("requestfailed", on_failed)
    assert not violations, violations
    for url in foreign:  # only the logo tries to leave, and the CSP stops it before the network
        assert url == REDOCLY_LOGO and "csp" in failed.get(url, "").lower(), (url, failed)
    assert not {u for u in failed if u.startswith(server.url)}, failed
    assert not page.errors, page.errors  # type: ignore[attr-defined]
