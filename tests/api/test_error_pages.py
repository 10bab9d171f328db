"""Error pages: a 404 or 400 is a 404 or 400 (an HTML page for browsers, JSON for other clients), never a 500,
and the keep-alive connection survives it."""

from __future__ import annotations

import socket

import httpx
import pytest

from tests.support.servers import Server

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSON = {"Accept": "application/json"}

NOT_FOUND = [
    "/programs/999999999",
    "/laws/999AC0000000999",
    "/laws/999AC0000000999/articles/4",
    "/payees/1234567890123",
    "/ministries/no-such-ministry",
    "/id/program/999999999",
    "/id/sheet/2024/999999999",
    "/source/0000000000000000",
    "/graph/no/such/graph",
    "/code/budget-stage/no-such-stage",
]
BAD_REQUEST = [
    "/programs/abc",
    "/programs/%E3%81",  # invalid UTF-8 in a percent-encoding
    "/laws/not-a-law-id",
    "/laws/426AC1000000104/articles/x",
    "/laws/426AC1000000104/articles/4?fy=x",
    "/laws/426AC1000000104/articles/4?fy=1800",
    "/payees/12",
    "/ministries/NOT_A_SLUG",
    "/search?page=0",
    "/search?page=abc",
    "/search?q=" + "x" * 201,
    "/id/program/47%zz",
    "/id/program/47?inbound-page=0",
]


@pytest.mark.parametrize("path", NOT_FOUND)
def test_an_unknown_resource_is_a_404_page_for_browsers(server: Server, path: str) -> None:
    r = httpx.get(server.url + path, headers=HTML)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "<h1>404</h1>" in r.text and 'class="muted">not-found' in r.text


@pytest.mark.parametrize("path", NOT_FOUND)
def test_an_unknown_resource_is_a_json_404_for_other_clients(server: Server, path: str) -> None:
    for headers in (JSON, {"Accept": "text/turtle"}):
        r = httpx.get(server.url + path, headers=headers)
        assert r.status_code == 404 and r.json()["code"] == "not-found", (path, headers)


@pytest.mark.parametrize("path", BAD_REQUEST)
def test_a_bad_parameter_is_a_400_page_for_browsers_and_json_for_other_clients(server: Server, path: str) -> None:
    r = httpx.get(server.url + path, headers=HTML)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html") and "<h1>400</h1>" in r.text
    r = httpx.get(server.url + path, headers=JSON)
    assert r.status_code == 400 and r.json()["code"] == "bad-parameter"


@pytest.mark.parametrize("path", ["/programs/%E3%81", "/api/programs/%E3%81", "/id/%E3%81", "/payees/%FF%FE"])
def test_invalid_utf8_percent_encoding_is_never_a_500(server: Server, path: str) -> None:
    for headers in (HTML, JSON):
        r = httpx.get(server.url + path, headers=headers)
        assert r.status_code in (400, 404), (path, r.status_code)


def _read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    assert "chunked" not in headers.get("transfer-encoding", "")
    length = int(headers["content-length"])
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        body += chunk
    return int(lines[0].split(" ", 2)[1]), headers, body


def test_the_keep_alive_connection_survives_error_pages(server: Server) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        for path, status in (("/programs/999999999", 404), ("/programs/abc", 400), ("/id/program/999999999", 404), ("/programs/47", 200)):
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n".encode())
            got, headers, _ = _read_response(sock)
            assert got == status and headers.get("connection", "").lower() != "close", path


@pytest.mark.parametrize("path", ["/no-such-page", "/programs", "/static/no-such-file.css"])
def test_an_unknown_path_is_an_html_404_page_for_browsers_and_json_for_others(server: Server, path: str) -> None:
    page = httpx.get(server.url + path, headers=HTML)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    data = httpx.get(server.url + path, headers=JSON)
    assert data.status_code == 404 and data.json()["code"] == "not-found"


def test_an_unknown_api_path_is_always_json(server: Server) -> None:
    r = httpx.get(server.url + "/api/no-such-endpoint", headers=HTML)
    assert r.status_code == 404 and r.json()["code"] == "not-found"
