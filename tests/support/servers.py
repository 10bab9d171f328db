"""Real servers on loopback for tests and benchmarks: cbkg itself (uvicorn), an Oxigraph server and Virtuoso.

    server = start_server(store_path, CBKG_QUERY_TIMEOUT="3")   # cbkg over an embedded store …
    stop(server)                                                 # … stopped by PID
    with oxigraph_server(tmp) as srv: srv.store_spec  # "sparql:http://127.0.0.1:P/query,…/update,…/store"

Every server is a child process in its own session on a free 127.0.0.1 port, started by :func:`launch`, which
returns once it answers over HTTP, and stopped by PID by :func:`terminate`.  The store servers keep their data
and log in a given directory; :func:`available` tells whether their binaries are installed.
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

from ontology.namespaces import DEFAULT_BASE

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def launch(
    argv: list[str],
    ready_url: str,
    *,
    timeout: float,
    log: Path | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``argv`` in a session of its own and return it once ``ready_url`` answers with a success.

    Its standard error goes to ``log`` (its output is discarded), or, without a log, both are piped to the caller.
    If it exits or does not answer within ``timeout`` seconds it is stopped and :class:`RuntimeError` raised with
    its output."""
    if log is None:
        proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
    else:
        with log.open("wb") as err:
            proc = subprocess.Popen(
                argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
            )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{argv[0]} exited with {proc.returncode}: {_output(proc, log)}")
        try:
            if httpx.get(ready_url, timeout=5).is_success:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    terminate(proc)
    raise RuntimeError(f"{argv[0]} did not answer at {ready_url} within {timeout} s: {_output(proc, log)}")


def _output(proc: subprocess.Popen[bytes], log: Path | None) -> str:
    """The end of what a stopped process wrote (its piped output, or its log file)."""
    out = proc.stdout.read() if proc.stdout else log.read_bytes() if log else b""
    return out.decode(errors="replace")[-4000:]


def terminate(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process started by :func:`launch`, by PID: SIGTERM, then SIGKILL after 20 s; whatever it left in
    its session (e.g. worker processes) is killed too."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:  # nothing left in its process group
        pass
    proc.wait(10)


# -- cbkg ------------------------------------------------------------------------------------------------------


@dataclass
class Server:
    """A cbkg server (uvicorn) on loopback: its base URL, its process and the store it serves."""

    url: str
    proc: subprocess.Popen[bytes]
    store: Path


def start_server(store_path: Path, *, cli: bool = False, log: Path | None = None, **env: str) -> Server:
    """``api.app`` under uvicorn over the embedded store at ``store_path``, with ``env`` (``CBKG_*`` settings)
    added to the environment; ready once ``/api/ministries`` answers.  With ``cli``, started as ``cbkg serve``
    (``python -m api.cli serve``) instead; ``log`` takes its standard error.  Stop it with :func:`stop`."""
    port = free_port()
    environ = {
        **os.environ,
        "CBKG_STORE": f"oxigraph:{store_path}",
        "CBKG_BASE_IRI": DEFAULT_BASE,
        "CBKG_QUERY_WORKERS": "2",
        "CBKG_HOST": "127.0.0.1",
        "CBKG_PORT": str(port),
        **env,
    }
    if cli:
        argv = [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    else:
        argv = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
        argv += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    url = f"http://127.0.0.1:{port}"
    proc = launch(argv, url + "/api/ministries", timeout=60 if not cli else 90, cwd=ROOT, env=environ, log=log)
    return Server(url, proc, store_path)


def stop(server: Server) -> None:
    """Stop a server started by :func:`start_server`."""
    terminate(server.proc)


# -- SPARQL store servers --------------------------------------------------------------------------------------


@dataclass
class SparqlServer:
    """A running SPARQL store server: its kind, PID, URLs and the cbkg settings that point at it."""

    kind: str
    pid: int
    query_url: str
    update_url: str
    gsp_url: str
    env: dict[str, str] = field(default_factory=dict)

    @property
    def store_spec(self) -> str:
        """The ``CBKG_STORE`` value that reaches this server."""
        return f"sparql:{self.query_url},{self.update_url},{self.gsp_url}"


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` CLI: the one of this Python environment, else the one on PATH."""
    cand = Path(sys.executable).parent / "oxigraph"
    return str(cand) if cand.exists() else shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    """Debian's ``virtuoso-t``, when its ``isql`` client is installed too."""
    return shutil.which("virtuoso-t") if shutil.which("isql-vt") or shutil.which("isql") else None


def available() -> dict[str, bool]:
    """Which store servers are installed, by kind."""
    return {
        "oxigraph": oxigraph_binary() is not None,
        "virtuoso": virtuoso_binary() is not None,
    }


@contextmanager
def oxigraph_server(workdir: Path, *, timeout_s: int = 60) -> Iterator[SparqlServer]:
    """An Oxigraph server (``oxigraph serve``) with the union default graph, on a free loopback port; queries
    are stopped by the server after ``timeout_s`` seconds."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph CLI is not installed (pip install oxigraph)")
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    argv = [binary, "serve", "--location", str(workdir / "oxigraph"), "--bind", f"127.0.0.1:{port}"]
    base = f"http://127.0.0.1:{port}"
    proc = launch([*argv, "--union-default-graph"], base + "/", timeout=90, log=workdir / "oxigraph.log")
    try:
        yield SparqlServer("oxigraph", proc.pid, base + "/query", base + "/update", base + "/store")
    finally:
        terminate(proc)


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
"""Virtuoso's configuration: a private instance in ``{db}``, on loopback only."""

VIRTUOSO_GRANTS = (
    'GRANT SPARQL_UPDATE TO "SPARQL"; '
    "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7); "
    'GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL"; '
    'GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";'
)
"""SPARQL Update and the Graph Store opened to the anonymous SPARQL user of the private instance."""


@contextmanager
def virtuoso_server(workdir: Path, *, timeout_s: int = 60, buffers: int = 340_000) -> Iterator[SparqlServer]:
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
    base = f"http://127.0.0.1:{http_port}"
    argv = [binary, "-f", "-c", str(db / "virtuoso.ini")]
    proc = launch(argv, base + "/sparql?query=ASK%7B%7D", timeout=120, log=workdir / "virtuoso.log", cwd=db)
    try:
        isql = shutil.which("isql-vt") or shutil.which("isql")
        if isql is None:
            raise RuntimeError("isql-vt not found")
        subprocess.run(
            [isql, f"127.0.0.1:{isql_port}", "dba", "dba", f"exec={VIRTUOSO_GRANTS}"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        yield SparqlServer(
            "virtuoso",
            proc.pid,
            base + "/sparql",
            base + "/sparql",
            base + "/sparql-graph-crud",
            env={"CBKG_REMOTE_GRAPH_PARAM": "graph-uri"},
        )
    finally:
        terminate(proc)
