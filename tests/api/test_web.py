"""Linked data, REST lookups and HTML pages against the real server."""

from __future__ import annotations

import csv
from pathlib import Path

import httpx
import pytest
import rdflib

from graph import pipeline
from graph.oxistore import OxigraphStore
from graph.settings import Settings
from tests.conftest import RS_SAMPLE
from tests.support.servers import Server, start_server, stop

BASE = "https://w3id.org/cbkg/"


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_minted_iris_dereference_with_content_negotiation(server: Server, accept: str, fmt: str) -> None:
    r = httpx.get(server.url + "/id/sheet/2024/47", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert "Accept" in r.headers.get("vary", "")
    g = rdflib.Graph().parse(data=r.text, format=fmt)
    sheet = rdflib.URIRef(BASE + "id/sheet/2024/47")
    assert (sheet, rdflib.RDFS.label, None) in g
    # labels of linked resources come along (the program's label)
    assert (rdflib.URIRef(BASE + "id/org/cas"), rdflib.SKOS.prefLabel, None) in g


def test_every_kind_of_minted_iri_dereferences(server: Server) -> None:
    for path in (
        "id/program/20950",
        "id/obs/rs2024/47/2024/total",
        "id/obs/rs2024/47/2024/total/initial",
        "id/sheet/2024/7604/legal-basis/1",
        "id/corporation/7120001060149",
        "id/org/soumu",
        "id/law/426AC1000000104",
        "id/law/426AC1000000104/article/31",
        "id/account/%E4%B8%80%E8%88%AC%E4%BC%9A%E8%A8%88",
    ):
        r = httpx.get(server.url + "/" + path, headers={"Accept": "text/turtle"})
        assert r.status_code == 200, path
        assert len(rdflib.Graph().parse(data=r.text, format="turtle")) > 0, path


def test_browsers_get_html_pages(server: Server) -> None:
    r = httpx.get(server.url + "/id/program/47", headers={"Accept": "text/html"}, follow_redirects=True)
    assert r.status_code == 200 and "サイバーセキュリティ戦略本部等経費" in r.text
    r = httpx.get(server.url + "/id/obs/rs2024/47/2024/total", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")


def test_unknown_iri_is_404(server: Server) -> None:
    r = httpx.get(server.url + "/id/program/999999999", headers={"Accept": "text/turtle"})
    assert r.status_code == 404


def test_ontology_codes_and_shapes_are_served(server: Server) -> None:
    for path in ("/ontology", "/code/budget-stage", "/shapes"):
        r = httpx.get(server.url + path, headers={"Accept": "text/turtle"})
        assert r.status_code == 200 and len(rdflib.Graph().parse(data=r.text, format="turtle")) > 50, path


def test_void_describes_the_dataset_and_its_sources(server: Server) -> None:
    r = httpx.get(server.url + "/.well-known/void", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = next(g.subjects(rdflib.RDF.type, void.Dataset))
    assert g.value(ds, void.sparqlEndpoint) is not None
    assert len(list(g.objects(None, void.subset))) == 13


def test_rest_program_has_sheets_budgets_legal_basis_payees_and_provenance(server: Server) -> None:
    p = httpx.get(server.url + "/api/programs/20950").json()
    sheet = p["sheets"][0]
    sup = [b for b in sheet["budgets"] if b["budget_year"] == 2024 and b["stage"] == "supplementary"]
    assert sup == [
        {
            "budget_year": 2024,
            "stage": "supplementary",
            "amount": "296325000",
            "line": BASE + "id/obs/rs2024/20950/2024/total",
        }
    ]
    assert sheet["ministry"]["slug"] == "soumu"
    assert sheet["provenance"] and all(len(x["sha256"]) == 64 for x in sheet["provenance"])


def test_rest_lists_filter_by_law_and_article(server: Server) -> None:
    r = httpx.get(server.url + "/api/programs", params={"law": "426AC1000000104", "article": "26"}).json()
    assert [i["id"] for i in r["items"]] == ["7604"]
    r = httpx.get(server.url + "/api/programs", params={"q": "ｻｲﾊﾞｰｾｷｭﾘﾃｨ"}).json()  # half-width katakana
    assert {"47", "20950"} <= {i["id"] for i in r["items"]}


def test_rest_article_lists_citing_programs_with_money(server: Server) -> None:
    a = httpx.get(server.url + "/api/laws/426AC1000000104/articles/31").json()
    assert [p["id"] for p in a["programs"]] == ["7604"]
    assert a["programs"][0]["current_budget"] is not None


def test_rest_payee_ministry_quality(server: Server) -> None:
    assert httpx.get(server.url + "/api/ministries/soumu").json()["name"] == "総務省"
    q = httpx.get(server.url + "/api/quality").json()
    assert q["violations"] >= 1 and any(i["code"] == "bad-corpno" for i in q["load_issues"])
    assert httpx.get(server.url + "/openapi.json").json()["paths"]["/api/programs"]


@pytest.mark.parametrize(
    "path",
    [
        "/dumps/..%2F..%2Fetc%2Fpasswd",
        "/dumps/../../etc/passwd",
        "/dumps/%2e%2e/CURRENT",
        "/static/..%2F..%2Fgraph%2Fsettings.py",
        "/id/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_no_file_system_path_is_reachable(server: Server, path: str) -> None:
    r = httpx.get(server.url + path, headers={"Accept": "text/turtle"})
    assert r.status_code in (404, 400, 406)
    assert "root:" not in r.text and "BaseSettings" not in r.text


def test_pages_escape_query_strings_and_set_security_headers(server: Server) -> None:
    payload = '<script>alert("x")</script>'
    r = httpx.get(server.url + "/search", params={"q": payload})
    assert r.status_code == 200 and payload not in r.text and "&lt;script&gt;" in r.text
    for h in ("x-content-type-options", "x-frame-options", "content-security-policy", "referrer-policy"):
        assert h in r.headers
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_program_page_sanitises_html_from_the_sources(tmp_path: Path) -> None:
    # a 1-2 table whose 事業名 and 事業の目的 carry HTML: the name shows escaped, the purpose sanitised
    sample = RS_SAMPLE / "1-2_RS_2024_基本情報_事業概要等.csv"
    with sample.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    head, row = rows[0], list(rows[1])
    name, purpose = "<img src=x onerror=alert(1)>事業", '<script>alert("x")</script><p>段落</p>'
    row[head.index("予算事業ID")], row[head.index("事業名")], row[head.index("事業の目的")] = "900001", name, purpose
    src = tmp_path / "in" / sample.name
    src.parent.mkdir()
    with src.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([head, row])
    store_path = tmp_path / "store"
    settings = Settings(store=f"oxigraph:{store_path}", base_iri=BASE, workers=1)
    pipeline.load([src.parent], OxigraphStore(store_path, base=BASE), settings)
    server = start_server(store_path)
    try:
        r = httpx.get(server.url + "/programs/900001")
    finally:
        stop(server)
    assert r.status_code == 200
    # names are plain text (escaped); text cells are sanitised: <p> kept without attributes, script dropped
    assert "<img src=x" not in r.text and "<script>alert" not in r.text and 'alert("x")' not in r.text
    assert "&lt;img src=x onerror=alert(1)&gt;事業" in r.text
    assert "<p>段落</p>" in r.text and "&lt;p&gt;段落" not in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
