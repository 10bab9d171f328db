"""Random paths, query strings and Accept headers against /id/ (and /source/, /graph/, /code/), /api/* and the
HTML pages of a real server: never a 5xx, and the server is alive and answers afterwards.

Requests go byte for byte over a raw socket, so brackets, quotes, broken percent-escapes and bytes above 0x7F
reach the server as sent (an HTTP client would clean them up first).  About 600 requests, a few seconds.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.servers import Server, start_server, stop

PREFIXES = [
    "/id/",
    "/id/program/",
    "/id/sheet/2024/",
    "/id/law/426AC1000000104/article/",
    "/source/",
    "/graph/",
    "/dataset",
    "/code/",
    "/code/budget-stage/",
    "/ontology",
    "/api/programs",
    "/api/programs/",
    "/api/laws/",
    "/api/laws/426AC1000000104/articles/",
    "/api/payees/",
    "/api/ministries/",
    "/api/quality",
    "/",
    "/search",
    "/programs/",
    "/laws",
    "/laws/",
    "/laws/426AC1000000104/articles/",
    "/payees/",
    "/ministries",
    "/ministries/",
    "/quality",
]
PIECES = [
    "47",
    "20950",
    "2024/47",
    "soumu",
    "426AC1000000104",
    "7120001060149",
    "rs/2024/1-1",
    "initial",
    "..",
    "/",
    "//",
    "%2F",
    "%E3%81",
    "%e3%81%82",
    "%zz",
    "%",
    "%00",
    ">",
    "<",
    "{",
    "}",
    '"',
    "|",
    "\\",
    "^",
    "`",
    "'",
    "?p?o}",
    "(" * 300,
    "{" * 300,
    "%7B" * 200,
    "\u4e00",
    "\x7f",
]
ASCII = st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters="#?")
TAIL = st.lists(st.sampled_from(PIECES) | st.text(ASCII, min_size=1, max_size=8), max_size=6).map("".join)
KEYS = ["q", "page", "size", "fy", "law", "article", "ministry", "format", "inbound-page", "x"]
VALUES = st.sampled_from(["1", "0", "-1", "2024", "abc", "ttl", "html", "426AC1000000104", "16", "9" * 30, ""]) | st.text(
    ASCII, max_size=12
)
QUERY = st.lists(st.tuples(st.sampled_from(KEYS), VALUES), max_size=3).map(
    lambda kv: "&".join(f"{k}={v.replace('&', '%26').replace('#', '%23')}" for k, v in kv)
)
ACCEPT = st.sampled_from(
    [
        "text/html",
        "text/html,application/xhtml+xml,*/*;q=0.8",
        "text/turtle",
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
        "application/json",
        "*/*",
        "",
        "text/html;q=0, */*;q=0",
        "image/png",
        "garbage;;q=x",
    ]
)


@pytest.fixture(scope="module")
def fuzzed(loaded_store: Path) -> Iterator[Server]:
    s = start_server(loaded_store, CBKG_QUERY_TIMEOUT="3", CBKG_QUERY_WORKERS="1")
    yield s
    stop(s)


def send(server: Server, target: bytes, accept: str) -> int:
    """Status of ``GET target`` sent exactly as given."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nAccept: " + accept.encode() + b"\r\nConnection: close\r\n\r\n")
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            assert chunk, f"no answer to {target!r}"
            data += chunk
    return int(data.split(b" ", 2)[1])


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), tail=TAIL, query=QUERY, accept=ACCEPT)
def test_random_requests_never_get_a_server_error(fuzzed: Server, prefix: str, tail: str, query: str, accept: str) -> None:
    target = (prefix + tail).encode("utf-8") + (b"?" + query.encode("utf-8") if query else b"")
    status = send(fuzzed, target, accept)
    assert status < 500, (target, accept, status)


def test_the_fuzzed_server_is_alive_and_answers_afterwards(fuzzed: Server) -> None:
    # runs after the fuzz test (file order): the process is up and answers lookups and linked data
    assert fuzzed.proc.poll() is None
    assert httpx.get(fuzzed.url + "/api/programs/47", timeout=10).json()["id"] == "47"
    r = httpx.get(fuzzed.url + "/id/sheet/2024/47", headers={"Accept": "text/turtle"}, timeout=10)
    assert r.status_code == 200 and "サイバーセキュリティ戦略本部等経費" in r.text
