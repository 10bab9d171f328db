"""Start and stop real SPARQL servers on loopback for tests and benchmarks: Oxigraph server and Virtuoso.

    with oxigraph_server(tmp) as srv: srv.settings_store  # "sparql:http://127.0.0.1:P/query,…/update,…/store"

Servers run as child processes on free 127.0.0.1 ports with their data in a given directory and are
terminated by PID when the context exits.  ``available()`` tells whether the binaries are installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx


@dataclass
class Server:
    """A running server: its kind, PID, URLs and the cbkg settings that point at it."""

    kind: str
    pid: int
    query_url: str
    update_url: str
    gsp_url: str
    env: dict[str, str] = field(default_factory=dict)

    @property
    def store_spec(self) -> str:
        return f"sparql:{self.query_url},{self.update_url},{self.gsp_url}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    cand = Path(sys.executable).parent / "oxigraph"
    return str(cand) if cand.exists() else shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t") if shutil.which("isql-vt") or shutil.which("isql") else None


def available() -> dict[str, bool]:
    return {
        "oxigraph": oxigraph_binary() is not None,
        "virtuoso": virtuoso_binary() is not None,
    }


def _wait(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=3)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not start within {timeout} s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


@contextmanager
def oxigraph_server(workdir: Path, *, timeout_s: int = 60) -> Iterator[Server]:
    """An Oxigraph server (``oxigraph serve``) with the union default graph, on a free loopback port; queries
    are stopped by the server after ``timeout_s`` seconds."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph CLI is not installed (pip install oxigraph)")
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [
            binary,
            "serve",
            "--location",
            str(workdir / "oxigraph"),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "oxigraph.log").open("wb"),
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/", proc)
        yield Server("oxigraph", proc.pid, base + "/query", base + "/update", base + "/store")
    finally:
        _stop(proc)


VIRTUOSO_INI_TEMPLATE = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase
[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0
[Parameters]
ServerPort               = 127.0.0.1:{isql_port}
DisableUnixSocket        = 1
MaxClientConnections     = 20
CheckpointInterval       = 60
CaseMode                 = 2
DirsAllowed              = ., {db}
NumberOfBuffers          = {buffers}
MaxDirtyBuffers          = {dirty}
MaxQueryMem              = 2G
ThreadsPerQuery          = 2
[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {db}
MaxClientConnections        = 20
ServerThreads               = 20
Charset                     = UTF-8
EnabledGzipContent          = 0
[URIQA]
DefaultHost  = 127.0.0.1:{http_port}
[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = {timeout_s}
"""


@contextmanager
def virtuoso_server(workdir: Path, *, timeout_s: int = 60, buffers: int = 340_000) -> Iterator[Server]:
    """Virtuoso Open Source (Debian ``virtuoso-t``) on free loopback ports, from an ini file of our own (nothing
    of a system instance is used), with SPARQL Update and the Graph Store open to the anonymous SPARQL user of
    this private instance.  ``buffers`` x 8 KiB is its page cache (340,000 = 2.7 GB, Virtuoso's advice for 4 GB)."""
    binary = virtuoso_binary()
    if binary is None:
        raise RuntimeError("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "virtuoso"
    db.mkdir(exist_ok=True)
    http_port, isql_port = free_port(), free_port()
    ini = VIRTUOSO_INI_TEMPLATE.format(
        db=db, isql_port=isql_port, http_port=http_port, buffers=buffers, dirty=buffers * 3 // 4, timeout_s=timeout_s
    )
    (db / "virtuoso.ini").write_text(ini, encoding="utf-8")
    proc = subprocess.Popen(
        [binary, "-f", "-c", str(db / "virtuoso.ini")],
        cwd=db,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "virtuoso.log").open("wb"),
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait(base + "/sparql?query=ASK%7B%7D", proc, timeout=120)
        isql = shutil.which("isql-vt") or shutil.which("isql")
        if isql is None:
            raise RuntimeError("isql-vt not found")
        grants = (
            'GRANT SPARQL_UPDATE TO "SPARQL"; '
            "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7); "
            'GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL"; '
            'GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";'
        )
        subprocess.run(
            [isql, f"127.0.0.1:{isql_port}", "dba", "dba", f"exec={grants}"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        yield Server(
            "virtuoso",
            proc.pid,
            base + "/sparql",
            base + "/sparql",
            base + "/sparql-graph-crud",
            env={"CBKG_REMOTE_GRAPH_PARAM": "graph-uri"},
        )
    finally:
        _stop(proc)
