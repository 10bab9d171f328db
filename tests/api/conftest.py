"""A real uvicorn server on a free loopback port over a store loaded with the RS sample."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph import pipeline, quality
from graph.oxistore import OxigraphStore
from graph.settings import Settings
from tests.conftest import BASE, ROOT, RS_SAMPLE


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, proc: subprocess.Popen, store: Path) -> None:
        self.url = url
        self.proc = proc
        self.store = store


def start_server(store_path: Path, **env: str) -> Server:
    port = free_port()
    environ = {
        **os.environ,
        "CBKG_STORE": f"oxigraph:{store_path}",
        "CBKG_BASE_IRI": BASE,
        "CBKG_QUERY_WORKERS": "2",
        "CBKG_HOST": "127.0.0.1",
        "CBKG_PORT": str(port),
        **env,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stdout.read().decode() if proc.stdout else "server died")
        try:
            if httpx.get(url + "/api/ministries", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("server did not start")
    return Server(url, proc, store_path)


def stop(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(10)
    except subprocess.TimeoutExpired:
        server.proc.kill()


@pytest.fixture(scope="session")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "store"
    settings = Settings(store=f"oxigraph:{path}", base_iri=BASE, workers=2)
    store = OxigraphStore(path, base=BASE)
    pipeline.load([RS_SAMPLE], store, settings)
    quality.validate_store(store, settings)
    return path


@pytest.fixture(scope="session")
def server(loaded_store: Path) -> Iterator[Server]:
    s = start_server(loaded_store, CBKG_QUERY_TIMEOUT="3", CBKG_MAX_RESULTS="5000", CBKG_MAX_BODY_BYTES="20000")
    yield s
    stop(s)
