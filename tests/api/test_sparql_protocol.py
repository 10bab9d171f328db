"""The SPARQL 1.1 Protocol against a real server: clients, formats, and every refusal path."""

from __future__ import annotations

import csv
import io
import json
import threading
import time

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, N3, TSV, TURTLE, XML, SPARQLWrapper

from tests.support.servers import Server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/cbkg/ontology#ProgramSheet> }"
CONSTRUCT = """CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE {
  ?s a <https://w3id.org/cbkg/ontology#ProgramSheet> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }"""


def wrapper(server: Server, query: str, fmt: str) -> SPARQLWrapper:
    w = SPARQLWrapper(server.url + "/sparql")
    w.setQuery(query)
    w.setReturnFormat(fmt)
    return w


def test_sparqlwrapper_gets_select_results_in_all_four_formats(server: Server) -> None:
    as_json = wrapper(server, COUNT, JSON).query().convert()
    n = int(as_json["results"]["bindings"][0]["n"]["value"])
    assert n == 19  # the sample has 19 programs
    as_xml = wrapper(server, COUNT, XML).query().convert()
    assert as_xml.getElementsByTagName("literal")[0].firstChild.nodeValue == "19"
    as_csv = wrapper(server, COUNT, CSV).query().convert().decode()
    assert list(csv.reader(io.StringIO(as_csv))) == [["n"], ["19"]]
    as_tsv = wrapper(server, COUNT, TSV).query().convert().decode()
    assert as_tsv.splitlines()[0] == "?n" and as_tsv.splitlines()[1].startswith('"19"')


def test_sparqlwrapper_gets_construct_as_turtle_and_ntriples(server: Server) -> None:
    ttl = wrapper(server, CONSTRUCT, TURTLE).query().convert()
    g = rdflib.Graph().parse(data=ttl, format="turtle")
    assert len(g) == 19
    w = wrapper(server, CONSTRUCT, N3)
    w.addCustomHttpHeader("Accept", "application/n-triples")
    nt = w.query().convert()
    assert len(rdflib.Graph().parse(data=nt, format="nt")) == 19


def test_rdflib_sparqlstore_reads_the_endpoint(server: Server) -> None:
    store = SPARQLStore(server.url + "/sparql", returnFormat="json")
    g = rdflib.Graph(store=store)
    rows = list(
        g.query(
            "SELECT ?l WHERE { <https://w3id.org/cbkg/id/sheet/2024/47> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        )
    )
    assert str(rows[0][0]) == "サイバーセキュリティ戦略本部等経費"


@pytest.mark.parametrize("method", ["get", "form", "body"])
def test_query_by_get_post_form_and_post_body(server: Server, method: str) -> None:
    headers = {"Accept": "application/sparql-results+json"}
    if method == "get":
        r = httpx.get(server.url + "/sparql", params={"query": COUNT}, headers=headers)
    elif method == "form":
        r = httpx.post(server.url + "/sparql", data={"query": COUNT}, headers=headers)
    else:
        r = httpx.post(
            server.url + "/sparql",
            content=COUNT.encode(),
            headers={**headers, "Content-Type": "application/sparql-query"},
        )
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "19"


def test_accept_q_values_pick_the_preferred_format(server: Server) -> None:
    r = httpx.get(
        server.url + "/sparql",
        params={"query": COUNT},
        headers={"Accept": "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"},
    )
    assert r.headers["content-type"].startswith("text/csv")
    r = httpx.get(server.url + "/sparql", params={"query": COUNT, "format": "xml"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")


def test_construct_in_jsonld_rdfxml_and_nquads(server: Server) -> None:
    for mt, fmt in (
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-quads", "nquads"),
    ):
        r = httpx.get(server.url + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": mt})
        assert r.status_code == 200 and r.headers["content-type"].startswith(mt)
        assert len(rdflib.Dataset().parse(data=r.text, format=fmt)) == 19


def test_default_graph_uri_restricts_the_dataset(server: Server) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/cbkg/ontology#ExpenseItem> }"
    all_ = httpx.get(server.url + "/sparql", params={"query": q, "format": "json"}).json()
    only_14 = httpx.get(
        server.url + "/sparql",
        params={"query": q, "format": "json", "default-graph-uri": "https://w3id.org/cbkg/graph/rs/2024/1-4"},
    ).json()
    assert int(all_["results"]["bindings"][0]["n"]["value"]) > 0
    assert only_14["results"]["bindings"][0]["n"]["value"] == "0"


def test_named_graph_uri_limits_graph_queries(server: Server) -> None:
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = httpx.get(
        server.url + "/sparql",
        params={"query": q, "format": "json", "named-graph-uri": "https://w3id.org/cbkg/graph/rs/2024/6-1"},
    ).json()
    assert [b["g"]["value"] for b in r["results"]["bindings"]] == ["https://w3id.org/cbkg/graph/rs/2024/6-1"]


def test_malformed_query_is_400_with_the_parser_message(server: Server) -> None:
    r = httpx.get(server.url + "/sparql", params={"query": "SELECT ?x WHERE { ?x "})
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "malformed-query" and body["message"]


def test_nothing_acceptable_is_406(server: Server) -> None:
    r = httpx.get(server.url + "/sparql", params={"query": COUNT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = httpx.get(server.url + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert r.status_code == 406


@pytest.mark.parametrize("how", ["update-param", "update-body", "insert-as-query", "load-as-query"])
def test_updates_are_refused(server: Server, how: str) -> None:
    upd = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if how == "update-param":
        r = httpx.post(server.url + "/sparql", data={"update": upd})
    elif how == "update-body":
        r = httpx.post(server.url + "/sparql", content=upd, headers={"Content-Type": "application/sparql-update"})
    elif how == "insert-as-query":
        r = httpx.post(server.url + "/sparql", data={"query": upd})
    else:
        r = httpx.post(server.url + "/sparql", data={"query": "LOAD <http://example.org/x.ttl>"})
    assert r.status_code == 403 and r.json()["code"] == "read-only"
    assert (
        httpx.get(server.url + "/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }", "format": "json"}).json()[
            "boolean"
        ]
        is False
    )


def test_service_is_refused_before_any_request(server: Server) -> None:
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    r = httpx.get(server.url + "/sparql", params={"query": q})
    assert r.status_code == 403 and r.json()["code"] == "service-disabled"
    # the word inside a string or an IRI is not a SERVICE clause
    ok = httpx.get(server.url + "/sparql", params={"query": 'SELECT ("SERVICE" AS ?x) WHERE {}', "format": "json"})
    assert ok.status_code == 200


def test_get_without_query_and_turtle_gives_the_service_description(server: Server) -> None:
    r = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, rdflib.RDF.type, sd.Service) in g


def test_slow_query_is_stopped_with_503_and_lookups_keep_answering(server: Server) -> None:
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    latencies: list[float] = []
    stop = threading.Event()

    def lookups() -> None:
        while not stop.is_set():
            t0 = time.perf_counter()
            assert httpx.get(server.url + "/api/programs/47", timeout=10).status_code == 200
            latencies.append(time.perf_counter() - t0)

    t = threading.Thread(target=lookups)
    t.start()
    t0 = time.perf_counter()
    r = httpx.get(server.url + "/sparql", params={"query": heavy}, timeout=30)
    elapsed = time.perf_counter() - t0
    stop.set()
    t.join()
    assert r.status_code == 503 and r.json()["code"] == "query-timeout"
    assert elapsed < 10  # the 3 s limit of this test server, plus process restart
    assert latencies and max(latencies) < 2.0
    # the worker was replaced: queries work again
    assert httpx.get(server.url + "/sparql", params={"query": COUNT, "format": "json"}).status_code == 200


def test_result_cap_refuses_oversized_results(server: Server) -> None:
    r = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "json"})
    assert r.status_code == 422 and r.json()["code"] == "result-too-large"
    r = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10", "format": "json"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 10


def test_request_body_limit(server: Server) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 30_000
    r = httpx.post(server.url + "/sparql", data={"query": big})
    assert r.status_code == 413


def test_cors_is_on_for_get_and_post(server: Server) -> None:
    r = httpx.options(
        server.url + "/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}
    )
    assert r.headers.get("access-control-allow-origin") == "*"
    r = httpx.get(
        server.url + "/sparql", params={"query": COUNT, "format": "json"}, headers={"Origin": "https://x.org"}
    )
    assert r.headers.get("access-control-allow-origin") == "*"


def test_json_errors_have_code_and_message(server: Server) -> None:
    r = httpx.get(server.url + "/api/programs/abc")
    assert r.status_code == 400 and set(r.json()) == {"code", "message"}
    r = httpx.get(server.url + "/api/programs/999999")
    assert r.status_code == 404 and r.json()["code"] == "not-found"
    assert json.loads(httpx.get(server.url + "/api/laws/notalaw").text)["code"] == "bad-parameter"
