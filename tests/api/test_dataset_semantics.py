"""SPARQL dataset semantics on a real server over the RS sample: FROM / FROM NAMED, the protocol dataset
(complete and partial, SPARQL 1.1 Protocol §2.1.4), and relative IRIs resolved against the endpoint URL.

A wrong dataset gives answers that look valid, so each test compares with the count of the graph itself."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from graph.oxistore import OxigraphStore
from tests.conftest import BASE
from tests.support.servers import Server

REGISTER = BASE + "graph/register/organizations"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(server: Server, query: str, **params: str | list[str]) -> int:
    r = httpx.get(server.url + "/sparql", params={"query": query, "format": "json", **params}, timeout=30)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def sizes(loaded_store: Path) -> dict[str, int]:
    store = OxigraphStore(loaded_store, base=BASE, read_only=True)
    try:
        return {g: store.count(g) for g in store.graphs()} | {"*": store.count()}
    finally:
        store.close()


def test_from_restricts_the_default_graph_to_the_named_graph(server: Server, sizes: dict[str, int]) -> None:
    assert 0 < sizes[REGISTER] < sizes["*"]
    q = f"SELECT (COUNT(*) AS ?n) FROM <{REGISTER}> WHERE {{ ?s ?p ?o }}"
    assert count(server, q) == sizes[REGISTER]


def test_from_twice_merges_exactly_those_two_graphs(server: Server, sizes: dict[str, int]) -> None:
    other = next(g for g in sizes if g not in (REGISTER, "*") and "/rs/" in g)
    q = f"SELECT (COUNT(*) AS ?n) FROM <{REGISTER}> FROM <{other}> WHERE {{ ?s ?p ?o }}"
    assert count(server, q) == sizes[REGISTER] + sizes[other]


def test_from_named_alone_leaves_an_empty_default_graph(server: Server) -> None:
    assert count(server, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{REGISTER}> WHERE {{ ?s ?p ?o }}") == 0


def test_from_named_limits_the_graphs_seen_by_graph(server: Server, sizes: dict[str, int]) -> None:
    q = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{REGISTER}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert count(server, q) == sizes[REGISTER]


def test_from_alone_leaves_no_named_graphs(server: Server) -> None:
    assert count(server, f"SELECT (COUNT(*) AS ?n) FROM <{REGISTER}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == 0


def test_a_prefixed_from_is_resolved_with_the_query_prologue(server: Server, sizes: dict[str, int]) -> None:
    q = f"PREFIX g: <{BASE}graph/> SELECT (COUNT(*) AS ?n) FROM g:register\\/organizations WHERE {{ ?s ?p ?o }}"
    assert count(server, q) == sizes[REGISTER]


def test_without_a_dataset_the_default_graph_is_the_union_of_the_live_graphs(
    server: Server, sizes: dict[str, int]
) -> None:
    assert count(server, COUNT_ALL) == sizes["*"]


def test_protocol_default_graph_uri_overrides_the_query_from(server: Server, sizes: dict[str, int]) -> None:
    other = next(g for g in sizes if g not in (REGISTER, "*"))
    q = f"SELECT (COUNT(*) AS ?n) FROM <{other}> WHERE {{ ?s ?p ?o }}"
    assert count(server, q, **{"default-graph-uri": REGISTER}) == sizes[REGISTER]


def test_only_named_graph_uri_gives_an_empty_default_graph(server: Server, sizes: dict[str, int]) -> None:
    assert count(server, COUNT_ALL, **{"named-graph-uri": REGISTER}) == 0
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(server, q, **{"named-graph-uri": REGISTER}) == sizes[REGISTER]


def test_only_default_graph_uri_makes_no_named_graph_visible(server: Server, sizes: dict[str, int]) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(server, q, **{"default-graph-uri": REGISTER}) == 0
    assert count(server, COUNT_ALL, **{"default-graph-uri": REGISTER}) == sizes[REGISTER]


def test_hidden_declaration_graphs_are_not_reachable_by_from(server: Server, loaded_store: Path) -> None:
    store = OxigraphStore(loaded_store, base=BASE, read_only=True)
    try:
        hidden = [g for g in store.graphs(include_hidden=True) if not store.is_live(g)]
    finally:
        store.close()
    assert hidden
    assert count(server, f"SELECT (COUNT(*) AS ?n) FROM <{hidden[0]}> WHERE {{ ?s ?p ?o }}") == 0


def test_relative_iris_resolve_against_the_endpoint_url(server: Server) -> None:
    r = httpx.get(
        server.url + "/sparql",
        params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
        headers={"Accept": "application/n-triples"},
    )
    assert r.status_code == 200, r.text
    assert r.text.strip() == f'<{server.url}/s> <{server.url}/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    r = httpx.get(server.url + "/sparql", params={"query": "SELECT (<x> AS ?o) {}", "format": "csv"})
    assert r.text.splitlines() == ["o", f"{server.url}/x"]


def test_a_base_in_the_query_still_wins_over_the_endpoint_url(server: Server) -> None:
    r = httpx.get(server.url + "/sparql", params={"query": "BASE <http://e.org/a/> SELECT (<x> AS ?o) {}", "format": "csv"})
    assert r.text.splitlines() == ["o", "http://e.org/a/x"]


def test_cbkg_prefixes_are_predeclared_on_the_endpoint(server: Server) -> None:
    assert count(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s a cbkg:ProgramSheet }") == 19
