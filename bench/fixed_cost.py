"""Benchmark: the fixed cost of a request, startup, and the CLI's start (issue 14).

    python bench/fixed_cost.py fixed   --store /tmp/full/store [--requests 2000] [--seconds 5] [--clients 16]
    python bench/fixed_cost.py startup --store /tmp/full/store [--runs 2] [--baseline-tree DIR]
    python bench/fixed_cost.py cli     --store /tmp/full/store [--runs 10] [--baseline-tree DIR]
    (each with [--json OUT])

``fixed`` serves the store three ways, one after the other in the same run: raw ``oxigraph serve-read-only`` on a
copy of the current generation's database, the app on uvicorn with asyncio + h11 (uvicorn's pure-Python
default when ``uvicorn[standard]`` is not installed) and the app on uvicorn with uvloop + httptools (what ``cbkg
serve`` uses when they are installed).  For each it measures the latency of sequential requests on one
keep-alive connection (p50 / p90 / p99, a raw-socket client) and the throughput of ``--clients`` keep-alive
connections for ``--seconds`` (an asyncio raw-socket client in a process of its own).  Paths: ``ASK {}`` on the
SPARQL endpoint and a cached REST lookup.

``startup`` starts ``cbkg serve`` and times the first 200 of a few paths; ``cli`` times ``cbkg query 'ASK {}'``
as a process.  With ``--baseline-tree DIR`` (e.g. ``git archive HEAD | tar -x -C DIR``) the same is measured
for that source tree, alternating run by run, with the same interpreter and store.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

ASK = "/sparql?query=ASK%7B%7D"
LOOKUP = "/api/programs/47"
OX_ASK = "/query?query=ASK%7B%7D"

APP_SERVER = r"""
import sys, uvicorn
from api.app import create_app
from graph import Settings
loop, http, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
uvicorn.run(create_app(Settings()), host="127.0.0.1", port=port, log_level="warning", loop=loop, http=http,
            timeout_keep_alive=75)
"""

LOAD_CLIENT = r"""
import asyncio, json, sys, time
port, path, clients, seconds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
try:
    import uvloop; uvloop.install()
except ImportError:
    pass
REQ = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n".encode()
async def one(stop, counts):
    r, w = await asyncio.open_connection("127.0.0.1", port)
    while time.monotonic() < stop:
        w.write(REQ)
        head = await r.readuntil(b"\r\n\r\n")
        n = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                n = int(line.split(b":")[1])
        if n:
            await r.readexactly(n)
        counts[int(head[9:12]) == 200] += 1
    w.close()
async def main():
    counts = [0, 0]
    t0 = time.monotonic()
    await asyncio.gather(*(one(t0 + seconds, counts) for _ in range(clients)))
    dt = time.monotonic() - t0
    print(json.dumps({"ok": counts[1], "errors": counts[0], "seconds": round(dt, 2), "rps": round(counts[1] / dt)}))
asyncio.run(main())
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def current_db(store: Path) -> Path:
    return store / (store / "CURRENT").read_text().strip() / "db"


def wait_port(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class Conn:
    """A blocking keep-alive HTTP/1.1 connection: the smallest client overhead Python allows."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def get(self, path: str) -> int:
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n".encode())
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.sock.recv(65536)
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        while len(rest) < length:
            rest += self.sock.recv(65536)
        self.buf = rest[length:]
        return int(head[9:12])


def latency(port: int, path: str, n: int) -> dict[str, float]:
    c = Conn(port)
    for _ in range(min(200, n)):
        assert c.get(path) == 200, path
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        status = c.get(path)
        times.append((time.perf_counter() - t0) * 1000)
        assert status == 200, (path, status)
    times.sort()
    return {
        "p50_ms": round(times[len(times) // 2], 3),
        "p90_ms": round(times[int(len(times) * 0.9)], 3),
        "p99_ms": round(times[int(len(times) * 0.99)], 3),
        "requests": n,
    }


def throughput(port: int, path: str, clients: int, seconds: float) -> dict[str, float]:
    out = subprocess.run(
        [PY, "-c", LOAD_CLIENT, str(port), path, str(clients), str(seconds)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def fixed(args: argparse.Namespace) -> dict:
    store = Path(args.store)
    env = dict(os.environ, CBKG_STORE=f"oxigraph:{store}", PYTHONPATH=str(ROOT))
    results: dict[str, dict] = {}
    tmp = Path(tempfile.mkdtemp(prefix="fixed-cost-"))
    try:
        shutil.copytree(current_db(store), tmp / "db")
        servers = {
            "oxigraph serve-read-only": (
                [
                    str(Path(PY).parent / "oxigraph"),
                    "serve-read-only",
                    "--location",
                    str(tmp / "db"),
                    "--union-default-graph",
                    "--bind",
                ],
                {"ask": OX_ASK},
            ),
            "app, uvicorn asyncio + h11": ([PY, "-c", APP_SERVER, "asyncio", "h11"], {"ask": ASK, "lookup": LOOKUP}),
            "app, uvicorn uvloop + httptools": (
                [PY, "-c", APP_SERVER, "uvloop", "httptools"],
                {"ask": ASK, "lookup": LOOKUP},
            ),
        }
        for name, (cmd, paths) in servers.items():
            port = free_port()
            argv = [*cmd, f"127.0.0.1:{port}"] if cmd[-1] == "--bind" else [*cmd, str(port)]
            proc = subprocess.Popen(
                argv, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                wait_port(port, proc)
                time.sleep(3)  # the app's warmer and query workers start
                res: dict[str, dict] = {}
                for kind, path in paths.items():
                    res[kind] = latency(port, path, args.requests) | {"path": path}
                    res[kind]["throughput"] = throughput(port, path, args.clients, args.seconds)
                    print(name, kind, res[kind], file=sys.stderr, flush=True)
                results[name] = res
            finally:
                stop(proc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results


START_PATHS = [ASK, LOOKUP, "/api/laws/426AC1000000104/articles/13", "/programs/47", "/api/programs?q=%E3%82%BB"]
"""Timed in this order, each from the start of the process (the search last: it waits for the money index)."""


def startup_once(tree: Path, store: Path) -> dict[str, float]:
    import httpx

    port = free_port()
    env = dict(os.environ, CBKG_STORE=f"oxigraph:{store}")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [PY, "-c", "from api.cli import main; main()", "serve", "--port", str(port)],
        cwd=tree,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    out: dict[str, float] = {}
    try:
        wait_port(port, proc)
        out["listening_s"] = round(time.perf_counter() - t0, 2)
        for path in START_PATHS:
            while True:
                t1 = time.perf_counter()
                try:
                    r = httpx.get(f"http://127.0.0.1:{port}{path}", timeout=60)
                except httpx.TransportError:
                    time.sleep(0.05)
                    continue
                if r.status_code == 200:
                    now = time.perf_counter()
                    out[path] = {"first_200_s": round(now - t0, 2), "request_ms": round((now - t1) * 1000)}
                    break
                time.sleep(0.05)
    finally:
        stop(proc)
    return out


def startup(args: argparse.Namespace) -> dict:
    trees = {"this tree": ROOT} | ({"baseline": Path(args.baseline_tree)} if args.baseline_tree else {})
    runs: dict[str, list] = {k: [] for k in trees}
    for _ in range(args.runs):
        for name, tree in trees.items():
            runs[name].append(startup_once(tree, Path(args.store)))
            print(name, runs[name][-1], file=sys.stderr, flush=True)
    return runs


def cli(args: argparse.Namespace) -> dict:
    trees = {"this tree": ROOT} | ({"baseline": Path(args.baseline_tree)} if args.baseline_tree else {})
    env = dict(os.environ, CBKG_STORE=f"oxigraph:{args.store}")
    times: dict[str, list[float]] = {k: [] for k in trees}
    for _ in range(args.runs):
        for name, tree in trees.items():
            t0 = time.perf_counter()
            subprocess.run(
                [PY, "-c", "from api.cli import main; main()", "query", "ASK {}"],
                cwd=tree,
                env=env,
                check=True,
                capture_output=True,
            )
            times[name].append(time.perf_counter() - t0)
    return {
        k: {
            "median_s": round(statistics.median(v), 3),
            "min_s": round(min(v), 3),
            "max_s": round(max(v), 3),
            "runs": len(v),
        }
        for k, v in times.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["fixed", "startup", "cli"])
    ap.add_argument("--store", required=True)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--baseline-tree")
    ap.add_argument("--json")
    args = ap.parse_args()
    args.runs = args.runs or {"startup": 2, "cli": 10}.get(args.mode, 1)
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    load_before = os.getloadavg()
    result = {"fixed": fixed, "startup": startup, "cli": cli}[args.mode](args)
    doc = {
        "command": " ".join(sys.argv),
        "started": started,
        "loadavg_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
        "result": result,
    }
    text = json.dumps(doc, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
