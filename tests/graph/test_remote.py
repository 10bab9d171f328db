"""One store suite, three stores: embedded Oxigraph, an Oxigraph server and Virtuoso, both on loopback.

The servers are real processes started once per test session (``tests.support.servers``).  On a machine without a
server binary its tests skip with the reason; under CI (``CI`` set) a missing server fails the run instead.
"""

from __future__ import annotations

import http.server
import itertools
import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from graph import open_store, pipeline
from graph.remote import RemoteStore
from graph.settings import Settings
from graph.store import QueryError, QueryTimeout, Store, StoreError
from tests.conftest import RS_SAMPLE
from tests.support import servers

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "api" / "examples").glob("*.rq"))
SAMPLE_SOURCES = [RS_SAMPLE, ROOT / "data" / "judgit", ROOT / "data" / "seeds"]
"""The RS sample (27 programs incl. NISC's 47 and 20950), every JUDGIT sheet and the five seeds: enough for
every example query to have answers, small enough for three stores in the suite."""
KINDS = ["embedded", "oxigraph-server", "virtuoso"]
_counter = itertools.count()


def _server_or_skip(
    kind: str, factory: Callable[[Path], AbstractContextManager[servers.SparqlServer]], tmp: Path
) -> Iterator[servers.SparqlServer]:
    if not servers.available()[kind]:
        reason = f"{kind} is not installed (see .ci/run)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide {kind}: {reason}")
        pytest.skip(reason)
    with factory(tmp) as srv:
        yield srv


@pytest.fixture(scope="session")
def oxigraph_srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.SparqlServer]:
    tmp = tmp_path_factory.mktemp("oxigraph-server")
    yield from _server_or_skip("oxigraph", lambda d: servers.oxigraph_server(d, timeout_s=10), tmp)


@pytest.fixture(scope="session")
def virtuoso_srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.SparqlServer]:
    yield from _server_or_skip("virtuoso", servers.virtuoso_server, tmp_path_factory.mktemp("virtuoso"))


def _settings_for(kind: str, request: pytest.FixtureRequest, tmp: Path) -> Settings:
    """Settings pointing at a fresh, empty dataset on the given store (own base IRI per test on servers)."""
    base = f"https://w3id.org/cbkg-test{next(_counter)}/"
    if kind == "embedded":
        return Settings(store=f"oxigraph:{tmp / 'st'}", base_iri=base, workers=2)
    srv: servers.SparqlServer = request.getfixturevalue("oxigraph_srv" if kind == "oxigraph-server" else "virtuoso_srv")
    return Settings(
        store=srv.store_spec,
        base_iri=base,
        workers=2,
        remote_state=tmp / "remote-state",
        remote_graph_param=srv.env.get("CBKG_REMOTE_GRAPH_PARAM", "graph"),
        remote_timeout=120,
        remote_chunk_triples=5_000,  # several chunks per graph, so chunked GSP POSTs are exercised
    )


@pytest.fixture(params=KINDS)
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, Settings]]:
    settings = _settings_for(request.param, request, tmp_path)
    store = open_store(settings)
    yield store, settings
    if isinstance(store, RemoteStore):  # leave the shared server empty for the next test
        with store.transaction() as tx:
            tx.drop_graphs(store.graphs(include_hidden=True))


def nt(tmp: Path, name: str, lines: list[str]) -> Path:
    p = tmp / name
    p.write_text("".join(lines), encoding="utf-8")
    return p


def triple(i: int) -> str:
    return f'<urn:s:{i}> <urn:p> "{i}"@ja .\n'


def our_count(store: Store) -> int:
    """Triples in this test's graphs, as the store counts them (Virtuoso's union also has system graphs)."""
    q = f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{store.base}")) }}"""
    return int(store.select(q).rows[0]["n"].lex)  # type: ignore[union-attr]


def test_replacing_a_graph_swaps_its_content_on_every_store(any_store, tmp_path: Path) -> None:
    store, _ = any_store
    g1, g2 = store.base + "graph/a", store.base + "graph/b"
    store.replace_graphs({g1: nt(tmp_path, "a.nt", [triple(1), triple(2)]), g2: nt(tmp_path, "b.nt", [triple(3)])})
    assert our_count(store) == 3 and store.count() == 3
    store.replace_graphs({g1: nt(tmp_path, "a2.nt", [triple(4)])})
    assert our_count(store) == 2
    assert store.graphs() == [g1, g2]
    rows = store.select(f"SELECT ?o WHERE {{ GRAPH <{g1}> {{ <urn:s:4> <urn:p> ?o }} }}").rows
    assert [(r["o"].lex, r["o"].lang) for r in rows] == [("4", "ja")]  # type: ignore[union-attr]
    store.drop_graph(g2)
    assert our_count(store) == 1 and store.graphs() == [g1]


def test_declaration_graphs_stay_out_of_the_query_dataset_on_every_store(any_store, tmp_path: Path) -> None:
    store, _ = any_store
    hidden, live = store.base + "declarations/a", store.base + "graph/a"
    store.replace_graphs({hidden: nt(tmp_path, "d.nt", [triple(9)]), live: nt(tmp_path, "a.nt", [triple(1)])})
    assert our_count(store) == 1
    assert store.graphs() == [live] and hidden in store.graphs(include_hidden=True)
    assert store.dump_graph(hidden) == triple(9).encode()


def test_malformed_query_is_a_query_error_with_the_servers_reason(any_store) -> None:
    store, _ = any_store
    with pytest.raises(QueryError) as exc:
        store.select("SELECT ?x WHERE { ?x ")
    assert str(exc.value).strip()


def test_large_graph_is_uploaded_in_chunks_and_counted_the_same(any_store, tmp_path: Path) -> None:
    store, _ = any_store
    g = store.base + "graph/big"
    store.replace_graphs({g: nt(tmp_path, "big.nt", [triple(i) for i in range(12_345)])})
    assert our_count(store) == 12_345 == store.count(g)


def test_a_graph_loaded_in_parts_keeps_every_part_on_every_store(any_store, tmp_path: Path) -> None:
    """Regression: the pipeline bulk-loads big graphs in parts; remote stores replaced the graph with each part
    (only 844,479 of 3,944,479 triples reached the servers on the full corpus)."""
    store, _ = any_store
    g = store.base + "graph/parts"
    with store.transaction() as tx:
        tx.drop_graphs([g])
        tx.load_graph(g, nt(tmp_path, "p1.nt", [triple(i) for i in range(0, 7_000)]))
        tx.load_graph(g, nt(tmp_path, "p2.nt", [triple(i) for i in range(7_000, 9_000)]))
        tx.load_graph(g, nt(tmp_path, "p3.nt", [triple(9_000)]))
    assert our_count(store) == 9_001 == store.count(g)
    if isinstance(store, RemoteStore):
        assert store.server_count(g) == 9_001


def _canonical(store: Store, query: str) -> list[tuple[tuple[str, str], ...]]:
    """A SELECT result in the store-independent form of :meth:`SelectResult.canonical`."""
    return store.select(query).canonical()


@pytest.fixture(scope="module")
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Store]]:
    """The sample sources loaded through the pipeline into each available store (same base IRI everywhere)."""
    out: dict[str, Store] = {}
    for kind in KINDS:
        tmp = tmp_path_factory.mktemp(kind)
        try:
            settings = _settings_for(kind, request, tmp)
        except pytest.skip.Exception:
            continue
        settings = settings.model_copy(update={"base_iri": "https://w3id.org/cbkg/"})
        store = open_store(settings)
        report = pipeline.load(SAMPLE_SOURCES, store, settings)
        assert not report.refused, report.refused
        out[kind] = store
    yield out
    for store in out.values():
        if isinstance(store, RemoteStore):
            with store.transaction() as tx:
                tx.drop_graphs(store.graphs(include_hidden=True))


def test_pipeline_load_gives_the_same_graphs_and_counts_on_every_store(loaded: dict[str, Store]) -> None:
    assert "embedded" in loaded
    if os.environ.get("CI"):
        assert set(loaded) == set(KINDS)
    embedded = loaded["embedded"]
    for kind, store in loaded.items():
        assert store.graphs() == embedded.graphs(), kind
        for g in embedded.graphs():
            assert store.count(g) == embedded.count(g), (kind, g)
            if isinstance(store, RemoteStore):
                assert store.server_count(g) == embedded.count(g), (kind, g)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_queries_give_identical_answers_on_every_store(loaded: dict[str, Store], example: Path) -> None:
    text = example.read_text(encoding="utf-8")
    expected = _canonical(loaded["embedded"], text)
    assert expected or example.stem in SPARSE_ON_SAMPLE, f"{example.stem} has no answer on the sample: vacuous"
    for kind, store in loaded.items():
        assert _canonical(store, text) == expected, kind


def test_construct_and_ask_give_identical_answers_on_every_store(loaded: dict[str, Store]) -> None:
    query = """CONSTRUCT { ?s <https://w3id.org/cbkg/ontology#programName> ?name } WHERE {
        ?s a <https://w3id.org/cbkg/ontology#ProgramSheet> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }"""
    expected = sorted(loaded["embedded"].construct(query))
    assert len(expected) > 10
    for kind, store in loaded.items():
        assert sorted(store.construct(query)) == expected, kind
        assert store.ask("ASK { ?s a <https://w3id.org/cbkg/ontology#ProgramSheet> }") is True, kind
        assert store.ask("ASK { ?s a <https://w3id.org/cbkg/ontology#NoSuchClass> }") is False, kind


SPARSE_ON_SAMPLE = {"01-digital-agency-programs", "05-bad-corporate-numbers", "08-single-bidder-large-contracts"}
"""Examples whose answers need rows the sample does not have (they are compared anyway)."""


def test_a_read_only_remote_store_refuses_writes(oxigraph_srv: servers.SparqlServer, tmp_path: Path) -> None:
    store = RemoteStore(
        oxigraph_srv.query_url,
        oxigraph_srv.update_url,
        oxigraph_srv.gsp_url,
        base="https://w3id.org/cbkg-ro/",
        state_dir=tmp_path,
        read_only=True,
    )
    with pytest.raises(StoreError, match="read-only"):
        store.replace_graphs({"https://w3id.org/cbkg-ro/graph/a": nt(tmp_path, "a.nt", [triple(1)])})


def test_an_unreachable_server_is_a_store_error_after_retries(tmp_path: Path) -> None:
    port = servers.free_port()  # nothing listens there
    store = RemoteStore(f"http://127.0.0.1:{port}/query", base="https://w3id.org/x/", state_dir=tmp_path, retries=2)
    with pytest.raises(StoreError, match="cannot reach"):
        store.select("SELECT * WHERE { ?s ?p ?o }")


def test_a_query_that_outlives_the_timeout_is_a_query_timeout(
    oxigraph_srv: servers.SparqlServer, tmp_path: Path
) -> None:
    store = RemoteStore(oxigraph_srv.query_url, base="https://w3id.org/x/", state_dir=tmp_path, timeout=1)
    q = """SELECT (COUNT(*) AS ?n) WHERE { VALUES ?a { 1 2 3 4 5 6 7 8 9 10 } VALUES ?b { 1 2 3 4 5 6 7 8 9 10 }
      VALUES ?c { 1 2 3 4 5 6 7 8 9 10 } VALUES ?d { 1 2 3 4 5 6 7 8 9 10 } VALUES ?e { 1 2 3 4 5 6 7 8 9 10 }
      VALUES ?f { 1 2 3 4 5 6 7 8 9 10 } VALUES ?g { 1 2 3 4 5 6 7 8 9 10 } VALUES ?h { 1 2 3 4 5 6 7 8 9 10 } }"""
    with pytest.raises(QueryTimeout):
        store.select(q)


class _AuthHandler(http.server.BaseHTTPRequestHandler):
    """A tiny real SPARQL endpoint that answers only requests with the expected Authorization header."""

    expected = ""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
            self.end_headers()
            return
        body = json.dumps(
            {"head": {"vars": ["ok"]}, "results": {"bindings": [{"ok": {"type": "literal", "value": "1"}}]}}
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(
    ("kwargs", "header"),
    [({"token": "s3cret"}, "Bearer s3cret"), ({"user": "ann", "password": "pw"}, "Basic YW5uOnB3")],
    ids=["bearer", "basic"],
)
def test_credentials_from_settings_are_sent_and_a_refusal_is_reported(tmp_path: Path, kwargs, header) -> None:  # type: ignore[no-untyped-def]
    handler = type("H", (_AuthHandler,), {"expected": header})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_address[1]}/sparql"
    try:
        good = RemoteStore(url, base="https://w3id.org/x/", state_dir=tmp_path, **kwargs)
        assert good.select("SELECT ?ok WHERE {}").values("ok") == ["1"]
        bad = RemoteStore(url, base="https://w3id.org/x/", state_dir=tmp_path, token="wrong")
        with pytest.raises(StoreError, match="refused the credentials"):
            bad.select("SELECT ?ok WHERE {}")
    finally:
        srv.shutdown()


def test_the_api_serves_a_remote_store_unchanged(loaded: dict[str, Store]) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    for kind, store in loaded.items():
        if not isinstance(store, RemoteStore):
            continue
        settings = Settings(
            store=f"sparql:{store.query_url}", base_iri=store.base, remote_state=store.state_dir, query_workers=1
        )
        with TestClient(create_app(settings)) as client:
            r = client.get("/api/programs", params={"q": "サイバー"})
            assert r.status_code == 200, (kind, r.text)
            assert r.json()["items"], kind
            r = client.post("/sparql", data={"update": "DROP ALL"})
            assert r.status_code == 403, kind
