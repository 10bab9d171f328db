"""Result size and worker failures on a real server: the byte cap, streaming, XML-safe output, and a worker
that dies by time, memory or signal — each reported as what it is, with the server still answering."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib

from tests.support.servers import Server, start_server, stop

MAX_BYTES = 1_000_000
INLINE = 64 * 1024
MEMORY_MB = 512


def doubling(levels: int) -> str:
    """A 300-byte query whose one value doubles ``levels`` times (10 × 2**levels characters)."""
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(levels))
    return f'SELECT ?v{levels} WHERE {{ BIND("0123456789" AS ?v0) {binds} }}'


@pytest.fixture(scope="module")
def capped(loaded_store: Path) -> Iterator[Server]:
    s = start_server(
        loaded_store,
        CBKG_QUERY_TIMEOUT="30",
        CBKG_MAX_RESULTS="1000000",
        CBKG_MAX_RESULT_BYTES=str(MAX_BYTES),
        CBKG_INLINE_RESULT_BYTES=str(INLINE),
        CBKG_QUERY_MEMORY_MB=str(MEMORY_MB),
        CBKG_QUERY_WORKERS="1",
    )
    yield s
    stop(s)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_result_over_the_byte_cap_is_refused_and_the_server_does_not_hold_it(capped: Server) -> None:
    before = rss_kib(capped.proc.pid)
    r = httpx.get(capped.url + "/sparql", params={"query": doubling(22), "format": "json"}, timeout=60)
    assert r.status_code == 422, r.text[:300]
    assert r.json()["code"] == "result-too-large" and str(MAX_BYTES) in r.json()["message"]
    assert rss_kib(capped.proc.pid) - before < 20 * 1024  # the 42 MB value never reached the server process


def test_a_large_result_is_streamed_in_chunks_and_arrives_whole(capped: Server) -> None:
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 1500"
    with httpx.stream("GET", capped.url + "/sparql", params={"query": q, "format": "json"}, timeout=60) as r:
        assert r.status_code == 200
        assert r.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in r.headers
        body = r.read()
    assert INLINE < len(body) < MAX_BYTES
    assert len(json.loads(body)["results"]["bindings"]) == 1500


def test_a_cap_exceeded_mid_stream_breaks_the_response_instead_of_ending_it_cleanly(capped: Server) -> None:
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    with pytest.raises(httpx.RemoteProtocolError):
        with httpx.stream("GET", capped.url + "/sparql", params={"query": q, "format": "csv"}, timeout=60) as r:
            assert r.status_code == 200
            r.read()
    assert httpx.get(capped.url + "/sparql", params={"query": "ASK {}", "format": "json"}).json()["boolean"] is True


def test_control_characters_give_well_formed_sparql_xml_and_rdf_xml(capped: Server) -> None:
    q = 'SELECT ?v WHERE { BIND("a\\u0000b\\u001Fc\\td" AS ?v) }'
    r = httpx.get(capped.url + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 200
    literal = ET.fromstring(r.content).find(".//{http://www.w3.org/2005/sparql-results#}literal")
    assert literal is not None and literal.text == "a\ufffdb\ufffdc\td"
    exact = httpx.get(capped.url + "/sparql", params={"query": q, "format": "json"}).json()
    assert exact["results"]["bindings"][0]["v"]["value"] == "a\x00b\x1fc\td"  # JSON keeps the value exactly
    c = 'CONSTRUCT { <http://e/s> <http://e/p> "x\\u0001y" } WHERE {}'
    r = httpx.get(capped.url + "/sparql", params={"query": c}, headers={"Accept": "application/rdf+xml"})
    g = rdflib.Graph().parse(data=r.content, format="xml")
    assert [str(o) for o in g.objects()] == ["x\ufffdy"]


def test_a_worker_out_of_memory_is_reported_as_memory_and_replaced(capped: Server) -> None:
    r = httpx.get(capped.url + "/sparql", params={"query": doubling(27), "format": "json"}, timeout=60)
    assert r.status_code == 503, r.text[:300]
    body = r.json()
    assert body["code"] == "query-too-expensive" and f"{MEMORY_MB} MB" in body["message"]
    assert r.headers.get("retry-after")
    assert httpx.get(capped.url + "/sparql", params={"query": "ASK {}", "format": "json"}).json()["boolean"] is True


def _workers(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmd = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in cmd:
                out.append(int(child))
    return out


def test_a_worker_killed_by_a_signal_is_reported_as_a_crash_and_the_server_stays_up(capped: Server) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    pids = _workers(capped.proc.pid)
    assert pids

    def kill_soon() -> None:
        time.sleep(1.5)
        for p in pids:
            os.kill(p, signal.SIGKILL)

    threading.Thread(target=kill_soon).start()
    r = httpx.get(capped.url + "/sparql", params={"query": slow, "format": "json"}, timeout=60)
    assert r.status_code == 500, r.text
    assert r.json()["code"] == "worker-crashed" and "SIGKILL" in r.json()["message"]
    assert capped.proc.poll() is None
    assert httpx.get(capped.url + "/sparql", params={"query": "ASK {}", "format": "json"}).json()["boolean"] is True


def test_a_client_that_leaves_mid_stream_frees_its_query_worker(capped: Server) -> None:
    """The server has one query worker: if an abandoned stream kept it, the next query would get 503 busy."""
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 3000"
    for _ in range(3):
        with httpx.stream("GET", capped.url + "/sparql", params={"query": q, "format": "csv"}, timeout=60) as r:
            assert r.status_code == 200 and r.headers.get("transfer-encoding") == "chunked"
            next(r.iter_raw())  # read one chunk, then hang up
    r = httpx.get(capped.url + "/sparql", params={"query": "ASK {}", "format": "json"}, timeout=30)
    assert r.status_code == 200, r.text
