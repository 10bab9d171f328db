"""SERVICE can never make the server fetch anything (server-side request forgery).

Two layers, each tested on its own against a real HTTP listener on loopback that records every request:
the query check refuses every wrapping of SERVICE with 403 (GET, form POST and direct POST), and the
embedded store's query workers have no network, so even a SERVICE that reached them could not connect."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from api.executor import QueryExecutor, QueryRequest
from graph.settings import Settings
from graph.store import QueryError, StoreError
from tests.conftest import BASE
from tests.support.servers import Server


class Listener:
    """An HTTP server on loopback that answers every request with a SPARQL result and counts the hits."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                hits.append(self.path)
                body = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"LEAK"}}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.hits = hits
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


def wrappings(url: str) -> dict[str, str]:
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "lower-case": f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        "variable": f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        "lateral-after-less-than": f"SELECT * WHERE {{ VALUES ?e {{<{url}>}} FILTER(1<2) LATERAL{{SERVICE ?e {{?s ?p ?o}}}} }}",
        "less-than-read-as-an-iri": f"SELECT * WHERE {{ VALUES (?x ?e) {{(1 <{url}>)}} FILTER(?x<2)SERVICE?e#>\n{{?s?p?o}} }}",
        "long-string-after-less-than": f'SELECT * WHERE {{ VALUES (?a ?b ?e) {{(1 2 <{url}>)}} FILTER(?a<?b)#>"""\nSERVICE ?e {{?s ?p ?o}}\n#"""\n}}',
        "exists": f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "not-exists": f"ASK {{ FILTER NOT EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "minus": f"SELECT * WHERE {{ BIND(1 AS ?x) MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "optional": f"SELECT * WHERE {{ BIND(1 AS ?x) OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "union": f"SELECT * WHERE {{ {{ BIND(1 AS ?x) }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        "graph": f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "construct": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "describe": f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "glued-to-a-number": f"SELECT * WHERE {{ ?s ?p 1SERVICE <{url}> {{ ?a ?b ?c }} }}",
        "glued-to-a-boolean": f"ASK {{ ?s ?p trueSERVICE <{url}> {{ ?a ?b ?c }} }}",
        "prefix-named-service": f"PREFIX service: <{url}> ASK {{ ?x ?y ?z service:a {{ ?a ?b ?c }} }}",
        "comments-between": f"ASK {{ SERVICE#x\n<{url}>#y\n{{ ?s ?p ?o }} }}",
        "prefixed-endpoint": f"PREFIX e: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
        "after-a-dot": f"SELECT * WHERE {{ ?s ?p ?o.SERVICE <{url}> {{ ?a ?b ?c }} }}",
    }


WRAPPINGS = list(wrappings("http://x/"))


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct"])
@pytest.mark.parametrize("name", WRAPPINGS)
def test_service_is_refused_in_every_wrapping_and_nothing_is_fetched(
    server: Server, listener: Listener, name: str, how: str
) -> None:
    query = wrappings(listener.url)[name]
    before = len(listener.hits)
    url = server.url + "/sparql"
    if how == "get":
        r = httpx.get(url, params={"query": query}, timeout=30)
    elif how == "post-form":
        r = httpx.post(url, data={"query": query}, timeout=30)
    else:
        r = httpx.post(url, content=query.encode(), headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert r.status_code == 403, r.text
    assert r.json()["code"] == "service-disabled"
    assert "LEAK" not in r.text
    assert len(listener.hits) == before


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" } LIMIT 1',
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> SELECT * WHERE { ?s a sd:Service }",
        "SELECT * WHERE { ?s <http://example.org/service/x> ?o }",
        "SELECT * WHERE { ?s ?p ?o # SERVICE <http://x/> { }\n} LIMIT 1",
    ],
)
def test_the_word_service_outside_a_service_clause_is_not_refused(server: Server, query: str) -> None:
    r = httpx.get(server.url + "/sparql", params={"query": query, "format": "json"}, timeout=30)
    assert r.status_code == 200, r.text


@pytest.fixture(scope="module")
def executor(loaded_store: Path) -> Iterator[QueryExecutor]:
    ex = QueryExecutor(Settings(store=f"oxigraph:{loaded_store}", base_iri=BASE, query_workers=1, query_timeout=20))
    yield ex
    ex.close()


def test_a_query_worker_has_no_network_even_for_a_service_past_the_check(
    executor: QueryExecutor, listener: Listener
) -> None:
    """The second layer alone: the query check is bypassed by calling the executor directly."""
    before = len(listener.hits)
    req = QueryRequest(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}", "application/sparql-results+json")
    with pytest.raises((QueryError, StoreError)) as err:
        executor.run(req)
    if executor.isolated is False:
        if os.environ.get("CI"):
            pytest.fail("the query workers could not be isolated from the network on CI")
        pytest.skip("this kernel allows no network namespace for an unprivileged process")
    assert executor.isolated is True
    assert len(listener.hits) == before
    assert "LEAK" not in str(err.value)
    # and the worker still answers queries that need no network
    ok = executor.run(QueryRequest("ASK {}", "application/sparql-results+json"))
    assert b"true" in ok.first
