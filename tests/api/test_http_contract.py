"""The HTTP contract of a linked-data server, against a real uvicorn server (issue 12).

HEAD wherever GET works, ``Vary`` on negotiated responses, ETag / Last-Modified per store generation with
304s, Cache-Control, gzip, CORS preflight, the public base instead of ``Host``, and /docs and /redoc from
bundled assets under the site's CSP.  The module's server runs over a copy of the session's store with the
bulk dumps written (the last test publishes a new generation into it).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import shutil
from collections.abc import Iterator
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

import httpx
import pytest
import rdflib

from graph.dumps import write_dumps
from graph.oxistore import OxigraphStore
from tests.conftest import BASE, ROOT
from tests.support.servers import Server, start_server, stop

IDENTITY = {"Accept-Encoding": "identity"}
TURTLE = {"Accept": "text/turtle", **IDENTITY}
SHEET = "/id/sheet/2024/47"  # a minted IRI of the RS sample


@pytest.fixture(scope="module")
def site(loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server over a private copy of the loaded store, with its dumps written."""
    path = tmp_path_factory.mktemp("contract") / "store"
    shutil.copytree(loaded_store, path)
    store = OxigraphStore(path, base=BASE, read_only=True)
    write_dumps(store, path.parent / "dumps")
    s = start_server(path)
    yield s
    stop(s)


def vary(r: httpx.Response) -> list[str]:
    """The Vary tokens of a response, lower-cased, in order (duplicates kept)."""
    return [t.strip().lower() for t in ",".join(r.headers.get_list("vary")).split(",") if t.strip()]


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/sparql?query=ASK%7B%7D", {"Accept": "application/sparql-results+json"}, 200),
        (SHEET, {"Accept": "text/turtle"}, 200),
        (SHEET, {"Accept": "application/ld+json"}, 200),
        ("/id/program/47", {"Accept": "text/html"}, 303),  # to the program page
        ("/.well-known/void", {"Accept": "text/turtle"}, 200),
        ("/sparql", {"Accept": "text/turtle"}, 200),  # the service description
        ("/dumps/", {}, 200),
        ("/dumps/cbkg.nt.gz", {}, 200),
        ("/dumps/cbkg.ttl.gz", {}, 200),
        ("/api/programs/47", {}, 200),
        ("/programs/47", {}, 200),
        ("/static/site.css", {}, 200),
        ("/id/program/999999999", {"Accept": "text/turtle"}, 404),
        ("/sparql?query=SELEC", {}, 400),
    ],
)
def test_head_answers_with_the_status_and_headers_of_get_and_no_body(
    site: Server, path: str, headers: dict[str, str], status: int
) -> None:
    with httpx.Client(base_url=site.url, headers=IDENTITY) as c:
        get = c.get(path, headers=headers)
        head = c.head(path, headers=headers)
    assert get.status_code == status, get.text
    assert head.status_code == status
    assert head.content == b""
    for h in ("content-type", "content-length", "etag", "last-modified", "cache-control", "vary", "location"):
        assert head.headers.get(h) == get.headers.get(h), h
    if status == 200:
        assert int(head.headers["content-length"]) == len(get.content) > 0


def test_head_and_304_on_streamed_sparql_results_do_not_hold_the_query_workers(site: Server) -> None:
    # ~13 MB of CSV: more than the executor sends inline, so the worker streams it
    q = {"query": "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 40000"}
    with httpx.Client(base_url=site.url, headers={"Accept": "text/csv", **IDENTITY}, timeout=60) as c:
        get = c.get("/sparql", params=q)
        assert get.status_code == 200 and "content-length" not in get.headers  # streamed
        for _ in range(3):  # more than the server's two workers
            assert c.head("/sparql", params=q).status_code == 200
            assert c.get("/sparql", params=q, headers={"If-None-Match": "*"}).status_code == 304
        after = c.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    assert after.status_code == 200, after.text


def test_head_with_gzip_reports_the_compressed_length(site: Server) -> None:
    with httpx.Client(base_url=site.url) as c:
        get = c.get("/.well-known/void", headers={"Accept": "text/turtle", "Accept-Encoding": "gzip"})
        head = c.head("/.well-known/void", headers={"Accept": "text/turtle", "Accept-Encoding": "gzip"})
    assert get.headers["content-encoding"] == head.headers["content-encoding"] == "gzip"
    assert head.headers["content-length"] == get.headers["content-length"]
    assert int(get.headers["content-length"]) == get.num_bytes_downloaded < len(get.content)


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/.well-known/void", "text/turtle"),
        ("/sparql", "text/turtle"),  # service description
        ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
        ("/id/program/47", "text/html"),  # 303
        (SHEET, "text/turtle"),
        ("/ontology", "text/turtle"),
        ("/dumps/", "text/html"),
    ],
)
def test_every_negotiated_response_varies_on_accept_and_accept_encoding_once(
    site: Server, path: str, accept: str
) -> None:
    r = httpx.get(site.url + path, headers={"Accept": accept})
    assert r.status_code in (200, 303), r.text
    v = vary(r)
    assert v.count("accept") == 1 and v.count("accept-encoding") == 1, v


def test_etag_and_last_modified_answer_304_and_cache_control(site: Server) -> None:
    with httpx.Client(base_url=site.url, headers=TURTLE) as c:
        r = c.get(SHEET)
        etag, modified = r.headers["etag"], r.headers["last-modified"]
        assert r.status_code == 200 and "max-age" in r.headers["cache-control"]
        assert parsedate_to_datetime(modified).timestamp() > 0

        nm = c.get(SHEET, headers={"If-None-Match": etag})
        assert nm.status_code == 304 and nm.content == b""
        assert nm.headers["etag"] == etag and nm.headers["last-modified"] == modified
        assert "accept" in vary(nm) and nm.headers["cache-control"] == r.headers["cache-control"]
        assert c.head(SHEET, headers={"If-None-Match": f'"other", {etag}'}).status_code == 304
        assert c.get(SHEET, headers={"If-None-Match": '"other"'}).status_code == 200

        assert c.get(SHEET, headers={"If-Modified-Since": modified}).status_code == 304
        earlier = formatdate(parsedate_to_datetime(modified).timestamp() - 3600, usegmt=True)
        assert c.get(SHEET, headers={"If-Modified-Since": earlier}).status_code == 200
        # If-None-Match wins over If-Modified-Since
        assert c.get(SHEET, headers={"If-None-Match": '"other"', "If-Modified-Since": modified}).status_code == 200


def test_sparql_query_results_are_validated_by_the_generation(site: Server) -> None:
    q = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    with httpx.Client(base_url=site.url, headers={"Accept": "application/sparql-results+json"}) as c:
        r = c.get("/sparql", params=q)
        assert r.status_code == 200 and r.headers["etag"].startswith('W/"gen-')
        assert c.get("/sparql", params=q, headers={"If-None-Match": r.headers["etag"]}).status_code == 304
        other = c.get("/sparql", params={"query": "ASK {}"})
        assert other.headers["etag"] != r.headers["etag"]


def test_each_representation_has_its_own_etag(site: Server) -> None:
    with httpx.Client(base_url=site.url, headers=IDENTITY) as c:
        ttl = c.get(SHEET, headers={"Accept": "text/turtle"})
        jsonld = c.get(SHEET, headers={"Accept": "application/ld+json"})
        gz = c.get(SHEET, headers={"Accept": "text/turtle", "Accept-Encoding": "gzip"})
        assert len({ttl.headers["etag"], jsonld.headers["etag"], gz.headers["etag"]}) == 3
        stale = c.get(SHEET, headers={"Accept": "application/ld+json", "If-None-Match": ttl.headers["etag"]})
        assert stale.status_code == 200 and stale.headers["content-type"].startswith("application/ld+json")


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/id/program/999999999", {"Accept": "text/turtle"}, 404),
        ("/sparql?query=SELEC", {}, 400),
        ("/sparql?query=ASK%7B%7D", {"Accept": "image/png"}, 406),
        ("/dumps/nope.gz", {}, 404),
        ("/api/programs/999999999", {}, 404),
    ],
)
def test_error_responses_carry_no_validators_and_are_never_stored(
    site: Server, path: str, headers: dict[str, str], status: int
) -> None:
    r = httpx.get(site.url + path, headers=headers)
    assert r.status_code == status
    assert "etag" not in r.headers and "last-modified" not in r.headers
    assert r.headers["cache-control"] == "no-store"


def test_a_too_large_body_is_refused_with_no_store(site: Server) -> None:
    r = httpx.post(site.url + "/sparql", content=b"x" * 2_000_000, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and r.headers["cache-control"] == "no-store"


def test_gzip_is_used_when_accepted_and_vary_says_so(site: Server) -> None:
    plain = httpx.get(site.url + "/.well-known/void", headers=TURTLE)
    zipped = httpx.get(site.url + "/.well-known/void", headers={"Accept": "text/turtle", "Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip" and zipped.text == plain.text
    assert "accept-encoding" in vary(plain) and "accept-encoding" in vary(zipped)
    small = httpx.get(site.url + "/sparql?query=ASK%7B%7D", headers={"Accept-Encoding": "gzip"})
    assert "accept-encoding" in vary(small)  # not compressed (too small), still a variant


def test_streamed_responses_still_stream_under_gzip(site: Server) -> None:
    js = ROOT / "api" / "static" / "vendor" / "swagger-ui" / "swagger-ui-bundle.js"
    with httpx.stream("GET", site.url + "/static/vendor/swagger-ui/swagger-ui-bundle.js") as r:
        assert r.headers["content-encoding"] == "gzip"
        assert r.headers.get("transfer-encoding") == "chunked" and "content-length" not in r.headers
        body = b"".join(r.iter_bytes())
    assert body == js.read_bytes()


def test_dumps_are_not_compressed_twice(site: Server) -> None:
    r = httpx.get(site.url + "/dumps/cbkg.nt.gz", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and "content-encoding" not in r.headers
    assert gzip.decompress(r.content).count(b"\n") > 100


def test_cors_preflight_allows_authorization_and_cache_headers(site: Server) -> None:
    r = httpx.options(
        site.url + "/sparql",
        headers={
            "Origin": "https://client.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization, X-Requested-With, Cache-Control, If-None-Match",
        },
    )
    assert r.status_code == 200, r.text
    allowed = {h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "x-requested-with", "cache-control", "if-none-match"} <= allowed
    g = httpx.get(site.url + SHEET, headers={"Origin": "https://client.example", **TURTLE})
    exposed = {h.strip().lower() for h in g.headers["access-control-expose-headers"].split(",")}
    assert {"link", "retry-after", "etag", "content-type", "last-modified"} <= exposed
    nm = httpx.get(
        site.url + SHEET, headers={"Origin": "https://client.example", "If-None-Match": g.headers["etag"], **TURTLE}
    )
    assert nm.status_code == 304 and nm.headers["access-control-allow-origin"] == "*"


def test_a_spoofed_host_header_does_not_leak_into_void(site: Server) -> None:
    r = httpx.get(site.url + "/.well-known/void", headers={"Host": "evil.example", "Accept": "text/turtle"})
    assert r.status_code == 200 and "evil.example" not in r.text
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert set(g.objects(None, void.sparqlEndpoint)) == {rdflib.URIRef(site.url + "/sparql")}
    assert rdflib.URIRef(site.url + "/dumps/cbkg.nt.gz") in set(g.objects(None, void.dataDump))


def test_a_spoofed_host_header_does_not_leak_into_the_service_description(site: Server) -> None:
    r = httpx.get(site.url + "/sparql", headers={"Host": "evil.example", "Accept": "text/turtle"})
    assert r.status_code == 200 and "evil.example" not in r.text
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert set(g.objects(None, sd.endpoint)) == {rdflib.URIRef(site.url + "/sparql")}


def test_relative_iris_do_not_resolve_against_a_spoofed_host(site: Server) -> None:
    r = httpx.get(site.url + "/sparql", params={"query": "SELECT (<x> AS ?o) {}", "format": "csv"},
                  headers={"Host": "evil.example"})
    assert r.text.splitlines() == ["o", site.url + "/x"]


@pytest.mark.parametrize(("path", "marker"), [("/docs", "SwaggerUIBundle"), ("/redoc", "<redoc spec-url")])
def test_docs_and_redoc_load_only_local_assets_allowed_by_the_csp(site: Server, path: str, marker: str) -> None:
    r = httpx.get(site.url + path)
    assert r.status_code == 200 and marker in r.text
    csp = r.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", csp)
    assert script_src is not None and "'unsafe-inline'" not in script_src.group(1)
    assets = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert assets and all(a.startswith("/static/vendor/") for a in assets), assets
    for a in assets:
        assert httpx.get(site.url + a).status_code == 200, a
    for inline in re.findall(r"<script>(.*?)</script>", r.text, re.DOTALL):  # admitted by hash, nothing else
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src.group(1)
    spec = httpx.get(site.url + "/openapi.json")
    assert spec.status_code == 200 and "/api/programs" in spec.json()["paths"]


def test_a_new_generation_changes_the_etag_and_the_old_one_gets_200(site: Server, tmp_path: Path) -> None:
    """Runs last: publishes a new generation (one more small graph) into the module's store."""
    with httpx.Client(base_url=site.url, headers=TURTLE) as c:
        before = c.get(SHEET)
        nt = tmp_path / "extra.nt"
        nt.write_text('<https://example.org/s> <https://example.org/p> "o" .\n')
        OxigraphStore(site.store, base=BASE).load_file("https://example.org/graph/extra", nt)
        after = c.get(SHEET, headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
        assert parsedate_to_datetime(after.headers["last-modified"]) >= parsedate_to_datetime(
            before.headers["last-modified"]
        )
        assert c.get(SHEET, headers={"If-None-Match": after.headers["etag"]}).status_code == 304
