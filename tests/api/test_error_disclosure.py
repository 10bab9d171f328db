"""A failing remote store never shows its URL's credentials (or any internal error text) to clients."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

from graph.remote import redact
from tests.conftest import BASE, ROOT
from tests.support.servers import free_port


def test_redact_masks_user_and_password_of_every_url() -> None:
    text = "cannot reach http://admin:secret@db.internal:8890/sparql (and https://u@h/x): refused"
    assert redact(text) == "cannot reach http://***@db.internal:8890/sparql (and https://***@h/x): refused"


def test_a_remote_store_failure_shows_no_credentials_to_an_anonymous_client(tmp_path) -> None:  # type: ignore[no-untyped-def]
    dead = free_port()  # nothing listens there: every query to the "remote store" fails
    port = free_port()
    env = {
        **os.environ,
        "CBKG_STORE": f"sparql:http://admin:secret@127.0.0.1:{dead}/query",
        "CBKG_REMOTE_PASSWORD": "hunter2",
        "CBKG_REMOTE_USER": "admin",
        "CBKG_REMOTE_RETRIES": "0",
        "CBKG_REMOTE_STATE": str(tmp_path / "state"),
        "CBKG_BASE_IRI": BASE,
        "CBKG_PORT": str(port),
        "CBKG_QUERY_WORKERS": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--port", str(port), "--log-level", "error"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(url + "/sparql", headers={"Accept": "text/turtle"}, timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        bodies = [
            httpx.get(url + "/sparql", params={"query": "ASK {}", "format": "json"}, timeout=30),
            httpx.get(url + "/api/programs/47", timeout=30),
            httpx.get(url + "/api/quality", timeout=30),
        ]
        for r in bodies:
            assert r.status_code >= 500 or r.status_code == 404, (r.status_code, r.text)
            assert "secret" not in r.text and "hunter2" not in r.text and "admin:" not in r.text, r.text
        assert bodies[0].json()["code"] in ("store-error", "internal-error")
        assert "incident" in bodies[0].json()["message"]
    finally:
        proc.terminate()
        proc.wait(10)
