"""The two user tasks of issue 15 as scripted click paths in a real browser (Playwright on Debian's Chromium),
and axe-core on every page kind (0 serious or critical findings, WCAG 2 A/AA rules).

axe-core is vendored for this test only (``tests/api/vendor/axe.min.js``, from ``npm pack axe-core``) and
injected into the page with the CSP bypassed for the audit context; it is never served by the app.

With ``CBKG_TEST_FULL_STORE=PATH`` (a store of all of ``data/``) the journalist task also runs on the full
corpus with the real question: how much did 総務省 pay 法人番号 7010001008844 (株式会社日立製作所), by year.
Screenshots go to ``docs/screenshots/``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.support.servers import Server, start_server, stop

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = ROOT / "docs" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # pragma: no cover
    sync_playwright = None  # type: ignore[assignment]

if (CHROMIUM is None or sync_playwright is None) and not os.environ.get("CI"):
    pytest.skip(
        "Chromium (Debian package 'chromium') or the 'playwright' package is not installed", allow_module_level=True
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM, "CI requires /usr/bin/chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    ctx.close()


def shot(page: Page, name: str, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def yen_of(page: Page, selector: str) -> str:
    """The exact yen of the ``<data>`` element in ``selector``."""
    return page.locator(selector).locator("data").first.get_attribute("value") or ""


def test_researcher_programs_on_article_16_and_how_much(page: Page, server: Server) -> None:
    """ "programs on サイバーセキュリティ基本法 article 16, and how much?" — home → law → article 16 (2 clicks)."""
    page.goto(server.url + "/")
    page.get_by_role("link", name="サイバーセキュリティ基本法（平成二十六年法律第百四号）").click()
    expect(page.locator("#law-title")).to_contain_text("サイバーセキュリティ基本法")
    page.locator("a.article-link[href$='/articles/16']").first.click()
    expect(page.locator("#article-title")).to_contain_text("第十六条")
    ids = page.locator("table.citing tbody tr td:first-child").all_inner_texts()
    assert ids == ["44", "709"]  # the sample's two RS programs citing article 16, with their FY2024 現額
    expect(page.locator("table.citing tfoot")).to_contain_text("158,369,000 円")
    shot(page, "10-researcher-article-16")
    assert not page.errors, page.errors  # type: ignore[attr-defined]


def test_journalist_how_much_did_soumu_pay_a_payee(page: Page, server: Server) -> None:
    """ "how much did 総務省 pay 法人番号 X, across years?" — ministries → 総務省 → top payee → payee page
    (by ministry, by year, measures apart) → its money flow; then the same payee found by its 法人番号."""
    page.goto(server.url + "/")
    page.locator("header nav a", has_text="府省庁").click()
    page.get_by_role("link", name="総務省", exact=True).click()
    expect(page.locator("#ministry-name")).to_contain_text("総務省")
    expect(page.locator("svg.sankey")).to_be_visible()
    shot(page, "11-ministry-soumu")
    page.locator("#top-payees a.payee-link", has_text="富士通株式会社").click()
    expect(page.locator("#payee-name")).to_have_text("富士通株式会社")
    soumu = page.locator("#payee-by-ministry tbody tr", has_text="総務省")
    assert yen_of(page, "#payee-by-ministry tbody tr:has-text('総務省') td.m-expense") == "36752000"
    expect(soumu).to_contain_text("36.8 百万円")
    years = page.locator("#payee-by-year tbody tr th").all_inner_texts()
    assert years == ["2024"]
    expect(page.locator("#payee-totals thead")).to_contain_text("費目・使途の合計")
    shot(page, "12-payee")
    page.locator("figure.flow a", has_text="資金の流れ").click()
    expect(page.locator("svg.sankey")).to_be_visible()
    assert yen_of(page, "#flow-total") == "36752000"
    shot(page, "13-flow-payee")
    page.fill("#top-q", "1020001071491")
    page.press("#top-q", "Enter")
    page.locator("#payee-results a.payee-link").first.click()
    expect(page.locator("#corporate-number")).to_have_text("1020001071491")
    assert not page.errors, page.errors  # type: ignore[attr-defined]


def test_search_and_language_switch(page: Page, server: Server) -> None:
    page.goto(server.url + "/search?q=cyber")
    expect(page.locator("#result-count")).to_contain_text("件")
    assert page.locator("table.programs a.program-link").count() > 0
    shot(page, "14-search")
    page.locator("#lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Search")
    expect(page.locator("#result-count")).to_contain_text("results")
    page.goto(server.url + "/programs/709?lang=en")
    expect(page.locator("#budget h2")).to_contain_text("Budget and execution")
    assert page.locator("svg.years-chart").count() == 1
    shot(page, "15-program-en")


PAGES = [
    "/",
    "/search?q=サイバー",
    "/programs/709",
    "/programs/709?lang=en",
    "/laws/426AC1000000104",
    "/laws/426AC1000000104/articles/16",
    "/payees/1020001071491",
    "/ministries",
    "/ministries/soumu",
    "/flows?ministry=soumu",
    "/quality",
    "/quality?lang=en",
    "/query",
]


def axe(browser: Browser, url: str) -> list[dict[str, Any]]:
    ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        pg = ctx.new_page()
        pg.goto(url)
        pg.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        res = pg.evaluate(
            "async () => { const r = await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}); return r.violations.map(v => "
            "({id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, "
            "targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }"
        )
        return list(res)
    finally:
        ctx.close()


def test_axe_finds_no_serious_or_critical_issue(browser: Browser, server: Server) -> None:
    report: dict[str, list[dict[str, Any]]] = {}
    for path in PAGES:
        report[path] = axe(browser, server.url + path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "axe-report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    bad = {p: [v for v in vs if v["impact"] in ("serious", "critical")] for p, vs in report.items()}
    assert not any(bad.values()), bad


@pytest.fixture(scope="module")
def full_server() -> Iterator[Server]:
    path = os.environ.get("CBKG_TEST_FULL_STORE")
    if not path or not Path(path).is_dir():
        pytest.skip("set CBKG_TEST_FULL_STORE to a store of all of data/ to run the full-corpus journeys")
    s = start_server(Path(path))
    yield s
    stop(s)


def test_full_corpus_journalist_hitachi_paid_by_soumu(page: Page, full_server: Server) -> None:
    page.set_default_timeout(60000)
    page.goto(full_server.url + "/")
    page.fill("#top-q", "7010001008844")
    page.press("#top-q", "Enter")
    page.locator("#payee-results a.payee-link", has_text="株式会社日立製作所").click()
    expect(page.locator("#payee-name")).to_have_text("株式会社日立製作所")
    row = "#payee-by-ministry tbody tr:has-text('総務省')"
    expense = int(yen_of(page, row + " td.m-expense"))
    # the expense items (5-3, and JUDGIT! 支出先) of 総務省's sheets, all years; contracts are a column apart
    assert expense == 1_564_315_200, expense  # 6 programs: RS 729, 720, 5617 and three JUDGIT!-only chains
    years = page.locator("#payee-by-year tbody tr th").all_inner_texts()
    assert years == ["2016", "2017", "2018", "2019", "2020", "2021", "2022", "2024"]
    assert yen_of(page, "#payee-totals td.m-expense") == "55148694424"  # all ministries, expense items only
    assert yen_of(page, "#payee-totals td.m-contract") == "103537300064"  # contracts (5-4), a column apart
    expect(page.locator("#payee-totals thead")).to_contain_text("国庫債務負担行為等の契約額")
    shot(page, "16-full-payee-hitachi")
    page.goto(full_server.url + "/payees/7010001008844?cyber=1")
    shot(page, "17-full-payee-hitachi-cyber")
    page.goto(full_server.url + "/flows?payee=7010001008844")
    expect(page.locator("svg.sankey")).to_be_visible()
    shot(page, "18-full-flow-hitachi")
    page.goto(full_server.url + "/ministries/soumu")
    expect(page.locator("#ministry-programs tbody tr").first).to_be_visible()
    shot(page, "19-full-ministry-soumu")


def test_sparql_example_permalink_chart_and_shareable_url(page: Page, server: Server) -> None:
    page.goto(server.url + "/query?example=06-nisc-budget-history")  # the permalink loads and runs it
    page.wait_for_function("window.cbkgYasgui !== undefined", timeout=15000)
    expect(page.locator(".yasr")).to_contain_text("2024", timeout=20000)
    page.locator("button.chart-kind[data-kind='bar']").click()
    expect(page.locator("#chart svg.result-chart rect").first).to_be_attached(timeout=10000)
    page.locator("button.chart-kind[data-kind='line']").click()
    expect(page.locator("#chart svg.result-chart polyline").first).to_be_attached()
    shot(page, "20-sparql-chart")
    assert "?sparql=" in page.url  # the address now carries the query
    shared = page.url
    page.goto(server.url + "/")
    page.goto(shared)
    expect(page.locator(".yasr")).to_contain_text("2024", timeout=20000)
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    # typed cells are shown as values, not as "2024"^^xsd:gYear
    expect(page.locator(".yasr table")).not_to_contain_text("^^")
