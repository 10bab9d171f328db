"""`cbkg serve` with several server processes (CBKG_SERVER_PROCESSES): one port, each process with its workers."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.support.servers import start_server, stop


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")


def test_cbkg_serve_with_two_server_processes_serves_one_port_with_workers_each(
    loaded_store: Path, tmp_path: Path
) -> None:
    server = start_server(
        loaded_store, cli=True, log=tmp_path / "serve.log", CBKG_SERVER_PROCESSES="2", CBKG_QUERY_WORKERS="1"
    )
    proc, url = server.proc, server.url
    try:
        servers = [c for c in _children(proc.pid) if "spawn_main" in _cmdline(c)]
        assert len(servers) == 2, [_cmdline(c) for c in _children(proc.pid)]
        # each server process starts its own query workers (one general, one express) as it starts
        deadline = time.monotonic() + 30
        while not all(len([w for w in _children(s) if "spawn_main" in _cmdline(w)]) == 2 for s in servers):
            assert time.monotonic() < deadline, [[_cmdline(w) for w in _children(s)] for s in servers]
            time.sleep(0.1)
        with httpx.Client(timeout=30) as client:
            ministries = client.get(url + "/api/ministries")
            assert ministries.status_code == 200 and ministries.json()
            for _ in range(20):  # new connections: the kernel spreads them over both processes' accept()
                with httpx.Client(timeout=30) as fresh:
                    r = fresh.get(
                        url + "/sparql",
                        params={"query": "ASK { ?s ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"},
                    )
                    assert r.status_code == 200 and r.json()["boolean"] is True
                    assert fresh.get(url + "/api/ministries").json() == ministries.json()
    finally:
        stop(server)
    assert proc.poll() is not None
    deadline = time.monotonic() + 10  # the server processes are gone with their supervisor (reaped by init)
    while any(Path(f"/proc/{s}").exists() for s in servers):
        assert time.monotonic() < deadline, "a server process outlived `cbkg serve`"
        time.sleep(0.1)
