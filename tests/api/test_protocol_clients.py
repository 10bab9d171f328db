"""What SPARQL clients send, against a real server: format aliases, Accept types, both endpoint paths, the Graph
Store Protocol read side, and real client programs (SPARQLWrapper, rdflib's SPARQLStore, Redland's roqet)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, RDFXML, SPARQLWrapper

from graph.oxistore import OxigraphStore
from tests.conftest import BASE
from tests.support.servers import Server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/cbkg/ontology#ProgramSheet> }"
CONSTRUCT = "CONSTRUCT { ?s a <https://w3id.org/cbkg/ontology#ProgramSheet> } WHERE { ?s a <https://w3id.org/cbkg/ontology#ProgramSheet> }"
REGISTER = BASE + "graph/register/organizations"


def get(server: Server, path: str = "/sparql", **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
    return httpx.get(server.url + path, timeout=30, **kw)


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("json", "application/sparql-results+json"),
        ("srj", "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("srx", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ],
)
def test_format_and_output_aliases_for_select(server: Server, fmt: str, media: str) -> None:
    for param in ("format", "output"):
        r = get(server, params={"query": COUNT, param: fmt})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media), (param, fmt, r.text[:200])


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("rdf+xml", "application/rdf+xml"),
        ("xml", "application/rdf+xml"),
        ("json", "application/ld+json"),
        ("turtle", "text/turtle"),
        ("n3", "text/turtle"),
        ("nt", "application/n-triples"),
        ("nquads", "application/n-quads"),
    ],
)
def test_format_aliases_for_graph_results(server: Server, fmt: str, media: str) -> None:
    r = get(server, params={"query": CONSTRUCT, "format": fmt})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media), r.text[:200]


def test_an_unknown_format_value_falls_back_to_a_valid_accept(server: Server) -> None:
    r = get(server, params={"query": COUNT, "format": "no-such-format"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.text.splitlines() == ["n", "19"]


def test_a_known_format_value_for_the_other_result_kind_falls_back_to_accept(server: Server) -> None:
    r = get(server, params={"query": COUNT, "format": "turtle"}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["results"]["bindings"][0]["n"]["value"] == "19"


@pytest.mark.parametrize(
    ("accept", "media"),
    [("application/xml", "application/sparql-results+xml"), ("text/xml", "application/sparql-results+xml"),
     ("text/plain", "text/csv"), ("application/json", "application/sparql-results+json")],
)
def test_generic_accept_types_for_select(server: Server, accept: str, media: str) -> None:
    r = get(server, params={"query": COUNT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)


@pytest.mark.parametrize(
    ("accept", "media"),
    [("application/xml", "application/rdf+xml"), ("text/plain", "application/n-triples"),
     ("application/n-quads", "application/n-quads"), ("application/trig", "application/trig")],
)
def test_generic_accept_types_for_graph_results(server: Server, accept: str, media: str) -> None:
    r = get(server, params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)


def test_nothing_acceptable_is_406_with_the_reason(server: Server) -> None:
    r = get(server, params={"query": COUNT}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "SELECT/ASK" in r.json()["message"]


def test_the_endpoint_answers_at_sparql_slash_without_a_redirect(server: Server) -> None:
    r = httpx.post(server.url + "/sparql/", data={"query": COUNT}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["results"]["bindings"][0]["n"]["value"] == "19"
    w = SPARQLWrapper(server.url + "/sparql/")
    w.setQuery(COUNT)
    w.setMethod("POST")
    w.setReturnFormat(JSON)
    assert w.query().convert()["results"]["bindings"][0]["n"]["value"] == "19"


def test_sparqlwrapper_construct_as_rdf_xml(server: Server) -> None:
    w = SPARQLWrapper(server.url + "/sparql")
    w.setQuery(CONSTRUCT)
    w.setReturnFormat(RDFXML)
    g = w.query().convert()
    assert len(g) == 19


def test_rdflib_sparqlstore_reads_a_graph_with_from(server: Server, loaded_store: Path) -> None:
    store = OxigraphStore(loaded_store, base=BASE, read_only=True)
    try:
        expected = store.count(REGISTER)
    finally:
        store.close()
    g = rdflib.Graph(store=SPARQLStore(server.url + "/sparql", returnFormat="json"))
    rows = list(g.query(f"SELECT (COUNT(*) AS ?n) FROM <{REGISTER}> WHERE {{ ?s ?p ?o }}"))
    assert int(rows[0][0]) == expected


def test_graph_store_protocol_get_of_one_graph(server: Server, loaded_store: Path) -> None:
    store = OxigraphStore(loaded_store, base=BASE, read_only=True)
    try:
        expected = store.count(REGISTER)
    finally:
        store.close()
    nt = get(server, params={"graph": REGISTER}, headers={"Accept": "application/n-triples"})
    assert nt.status_code == 200 and nt.headers["content-type"].startswith("application/n-triples")
    assert len(rdflib.Graph().parse(data=nt.text, format="nt")) == expected
    ttl = get(server, params={"graph": REGISTER}, headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200 and len(rdflib.Graph().parse(data=ttl.text, format="turtle")) == expected
    head = httpx.head(server.url + "/sparql", params={"graph": REGISTER}, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""


def test_graph_store_protocol_default_graph_is_the_union(server: Server, loaded_store: Path) -> None:
    store = OxigraphStore(loaded_store, base=BASE, read_only=True)
    try:
        total = store.count()
    finally:
        store.close()
    r = get(server, params={"default": ""}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert sum(1 for line in r.text.splitlines() if line.strip()) == total


def test_graph_store_protocol_unknown_and_hidden_graphs_are_404(server: Server, loaded_store: Path) -> None:
    store = OxigraphStore(loaded_store, base=BASE, read_only=True)
    try:
        hidden = next(g for g in store.graphs(include_hidden=True) if not store.is_live(g))
    finally:
        store.close()
    for g in (BASE + "graph/no-such-graph", hidden):
        r = get(server, params={"graph": g}, headers={"Accept": "text/turtle"})
        assert r.status_code == 404, g


def test_graph_store_protocol_writes_are_refused(server: Server) -> None:
    r = httpx.post(server.url + "/sparql?graph=" + REGISTER, content=b"<a:a> <a:b> <a:c> .",
                   headers={"Content-Type": "application/n-triples"})
    assert r.status_code in (403, 405, 415)
    r = httpx.put(server.url + "/sparql?graph=" + REGISTER, content=b"<a:a> <a:b> <a:c> .",
                  headers={"Content-Type": "application/n-triples"})
    assert r.status_code == 405


@pytest.fixture()
def roqet() -> str:
    path = shutil.which("roqet")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("roqet (Debian rasqal-utils) is not installed on CI")
        pytest.skip("roqet (Debian rasqal-utils) is not installed")
    return path


def test_roqet_queries_the_endpoint_over_the_protocol(server: Server, roqet: str, loaded_store: Path) -> None:
    """Redland's roqet (rasqal) as the client: a plain count, and a FROM it sends in the query text."""
    store = OxigraphStore(loaded_store, base=BASE, read_only=True)
    try:
        expected = store.count(REGISTER)
    finally:
        store.close()

    def run(query: str) -> list[list[str]]:
        out = subprocess.run(
            [roqet, "-q", "-p", server.url + "/sparql", "-r", "csv", "-e", query],
            capture_output=True, text=True, timeout=60, check=True,
        ).stdout
        return list(csv.reader(io.StringIO(out)))

    assert run(COUNT)[-1] == ["19"]
    assert run(f"SELECT (COUNT(*) AS ?n) FROM <{REGISTER}> WHERE {{ ?s ?p ?o }}")[-1] == [str(expected)]
