"""The front end over HTTP (real server on the RS sample): money flow, payees, ministries, search, years,
languages, CSV, the quality page.  The browser journeys are in ``test_frontend_browser.py``."""

from __future__ import annotations

import csv
import io
import re

import httpx

from api.pages import kanji_number, safe_html
from tests.support.servers import Server

FUJITSU = "1020001071491"  # paid by 総務省 program 709 in the sample's 5-3 table


def test_payee_keeps_measures_apart_with_ministry_and_years(server: Server) -> None:
    p = httpx.get(server.url + f"/api/payees/{FUJITSU}").json()
    assert p["name"] == "富士通株式会社"
    assert p["totals"] == {"expense": "36752000"}  # 費目・使途 only: no contract amount mixed in
    assert p["by_year"] == [{"sheet_year": 2024, "expense": "36752000"}]
    assert p["by_ministry"] == [{"slug": "soumu", "name": "総務省", "programs": 1, "expense": "36752000"}]
    assert [(r["id"], r["ministry"]) for r in p["programs"]] == [("709", "soumu")]
    assert p["links"]["gbizinfo"].endswith(FUJITSU) and p["links"]["nta"].endswith(FUJITSU)
    html = httpx.get(server.url + f"/payees/{FUJITSU}").text
    assert 'id="payee-by-ministry"' in html and "総務省" in html
    assert 'value="36752000"' in html  # exact yen carried by the <data> element
    assert "費目・使途の合計" in html and "info.gbiz.go.jp" in html


def test_payee_filters_and_csv(server: Server) -> None:
    r = httpx.get(server.url + f"/api/payees/{FUJITSU}", params={"sheet_year": 2023}).json()
    assert r["programs"] == [] and r["totals"] == {}
    r = httpx.get(server.url + f"/api/payees/{FUJITSU}", params={"cyber": "true"}).json()
    assert [x["id"] for x in r["programs"]] == ["709"]  # 自治体情報セキュリティ強化対策事業
    c = httpx.get(server.url + f"/payees/{FUJITSU}", params={"format": "csv"})
    assert c.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(c.text.lstrip("\ufeff"))))
    assert rows[0][:2] == ["program_id", "name"] and rows[1][0] == "709" and rows[1][4] == "36752000"


def test_ministry_totals_programs_by_amount_and_top_payees(server: Server) -> None:
    m = httpx.get(server.url + "/api/ministries/soumu").json()["money"]
    assert m["fy"] == 2024
    y2024 = next(y for y in m["years"] if y["budget_year"] == 2024)
    assert y2024["supplementary"] == "296325000" and y2024["programs"] >= 1
    assert m["top_payees"][0]["number"] == FUJITSU
    html = httpx.get(server.url + "/ministries/soumu", params={"sort": "amount"}).text
    assert 'id="ministry-by-year"' in html and 'id="top-payees"' in html and 'class="sankey"' in html
    assert f'href="/payees/{FUJITSU}"' in html


def test_money_flow_ministry_to_payee_and_back(server: Server) -> None:
    f = httpx.get(server.url + "/api/flows", params={"ministry": "soumu"}).json()
    cols = {n["id"]: n["col"] for n in f["nodes"]}
    assert {0, 1, 2} <= set(cols.values())
    assert any(ln["source"] == "p:709" and ln["target"].endswith(FUJITSU) for ln in f["links"])
    back = httpx.get(server.url + "/api/flows", params={"payee": FUJITSU}).json()
    assert back["total"] == "36752000" and any(n["id"] == "m:soumu" for n in back["nodes"])
    html = httpx.get(server.url + "/flows", params={"payee": FUJITSU}).text
    assert "<svg" in html and 'class="sankey"' in html and "cdn" not in html.lower()
    assert httpx.get(server.url + "/flows", params={"measure": "nope"}).status_code == 400


def test_search_words_ids_payees_romaji_and_one_row_per_program(server: Server) -> None:
    def count(q: str, **extra: str) -> int:
        html = httpx.get(server.url + "/search", params={"q": q, **extra}).text
        return int(re.search(r'id="result-count">[^<]*?(\d+) 件', html).group(1))  # type: ignore[union-attr]

    assert count("セキュリティ 地方") >= 1  # both words (AND), in any order
    assert count("セキュリティ 存在しない語") == 0
    assert count("cyber") == count("サイバー") > 0  # English → サイバー
    r = httpx.get(server.url + "/api/programs", params={"q": "20950"}).json()
    assert r["items"][0]["id"] == "20950"
    ids = [i["id"] for i in httpx.get(server.url + "/api/programs", params={"size": 500}).json()["items"]]
    assert len(ids) == len(set(ids))  # one row per program
    html = httpx.get(server.url + "/search", params={"q": FUJITSU}).text
    assert f'href="/payees/{FUJITSU}"' in html  # payees by 法人番号
    assert 'href="/payees/' in httpx.get(server.url + "/search", params={"q": "富士通"}).text  # and by name
    c = httpx.get(server.url + "/search", params={"q": "サイバー", "format": "csv"})
    assert c.headers["content-type"].startswith("text/csv") and c.text.lstrip("\ufeff").startswith("program_id,")


def test_search_filters_sort_and_paging(server: Server) -> None:
    r = httpx.get(server.url + "/api/programs", params={"q": "サイバー", "sort": "amount"}).json()
    amounts = [int(i["current_budget"]) for i in r["items"] if i["current_budget"] is not None]
    assert amounts == sorted(amounts, reverse=True)
    one = httpx.get(server.url + "/search", params={"q": "サイバー", "size": 1}).text
    assert 'rel="next"' in one and "1 / " in one
    two = httpx.get(server.url + "/search", params={"q": "サイバー", "size": 1, "page": 2}).text
    assert 'rel="prev"' in two
    art = httpx.get(server.url + "/search", params={"law": "426AC1000000104", "article": "26"}).text
    assert 'href="/programs/7604"' in art
    assert httpx.get(server.url + "/search", params={"q": "x", "sort": "bogus"}).status_code == 400


def test_fy_is_the_budget_year_on_rest_and_the_article_page(server: Server) -> None:
    law = "426AC1000000104"
    listed = {
        i["id"]
        for i in httpx.get(server.url + "/api/programs", params={"law": law, "fy": 2024, "size": 500}).json()["items"]
    }
    for n in ("16", "4"):
        art = httpx.get(server.url + f"/api/laws/{law}/articles/{n}", params={"fy": 2024}).json()
        assert {p["id"] for p in art["programs"]} <= listed, n
    # a budget year no program reports: nothing, and the amounts shown stay unknown, never 0
    assert httpx.get(server.url + "/api/programs", params={"fy": 1990}).json()["total"] == 0


def test_program_page_has_one_chart_and_sanitised_text(server: Server) -> None:
    html = httpx.get(server.url + "/programs/20950").text
    assert html.count('class="chart years-chart"') == 1
    assert 'id="budget-table"' in html
    assert "; name" not in html and "; text" not in html
    for pid in ("47", "709", "7604"):  # codes (review findings, contract methods …) are shown by their labels
        page = httpx.get(server.url + f"/programs/{pid}").text
        assert "w3id.org/cbkg/code/" not in page, pid
        assert page.count('class="chart years-chart"') == 1, pid


def test_japanese_numerals() -> None:
    assert [kanji_number(n) for n in ("1", "10", "16", "21", "30-2", "111", "20950", "")] == [
        "一",
        "十",
        "十六",
        "二十一",
        "三十の二",
        "百十一",
        "二万九百五十",
        "",
    ]


def test_safe_html_keeps_structure_and_drops_the_rest() -> None:
    out = str(safe_html('<p class="x">段落</p><script>alert(1)</script><img src=x onerror=alert(1)>a&b<br>c'))
    assert out == "<p>段落</p>a&amp;b<br>c"
    assert str(safe_html("<ul><li>open")) == "<ul><li>open</li></ul>"


def test_quality_page_header_box_and_languages(server: Server) -> None:
    html = httpx.get(server.url + "/quality").text
    box = re.search(r'<input id="top-q"[^>]*>', html).group(0)  # type: ignore[union-attr]
    assert 'value=""' in box and "{" not in box
    en = httpx.get(server.url + "/quality", params={"lang": "en"})
    assert '<html lang="en">' in en.text and "Data quality" in en.text and "Load issues" in en.text
    al = httpx.get(server.url + "/search", headers={"Accept-Language": "en-GB,en;q=0.9,ja;q=0.5"})
    assert '<html lang="en">' in al.text and al.headers["content-language"] == "en"
    ja = httpx.get(server.url + "/search", headers={"Accept-Language": "en;q=0.4,ja"})
    assert '<html lang="ja">' in ja.text
    prog = httpx.get(server.url + "/programs/709", params={"lang": "en"}).text
    assert "Budget and execution" in prog and "Current budget" in prog and 'lang="ja"' in prog


def test_quality_messages_are_japanese_on_the_japanese_page_and_english_on_the_english_one(server: Server) -> None:
    from api.i18n import SHAPE_MESSAGES_JA

    ja = httpx.get(server.url + "/quality", params={"lang": "ja"}).text
    en = httpx.get(server.url + "/quality", params={"lang": "en"}).text
    shown_ja = [m for m in SHAPE_MESSAGES_JA.values() if m in ja]
    shown_en = [m for m in SHAPE_MESSAGES_JA if m.replace("'", "&#39;") in en or m in en]
    assert shown_ja, "the sample's validation report shows no message at all"
    assert len(shown_ja) == len(shown_en)
    assert '<td lang="ja">' in ja and '<td lang="en">' in en
