"""Benchmark: REST lookups and canned SPARQL queries on the full RS 2024 graph, side by side with a plain
rdflib-endpoint serving the same triples, plus throughput under bounded concurrent load.

    python bench/api.py [--store var/store] [--runs 30] [--clients 8] [--seconds 20] [--skip-rdflib]
                         [--rdflib-timeout 300] [--json OUT]

Both servers run on 127.0.0.1 in their own processes; the same query texts go to both.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CANNED = [  # the point query first, then the aggregations
    "03-programs-citing-cs-basic-law",
    "07-cs-basic-law-articles-with-budget",
    "01-digital-agency-programs",
    "02-initial-budget-per-ministry",
    "04-payees-with-most-programs",
]
LOOKUPS = [
    "/api/programs/47",
    "/api/programs/20950",
    "/api/laws/426AC1000000104/articles/16",
    "/api/payees/8000020130001",
    "/api/programs?q=%E3%82%B5%E3%82%A4%E3%83%90%E3%83%BC&size=20",
    "/api/ministries/soumu",
]

RDFLIB_SERVER = r"""
import sys, rdflib, uvicorn
from rdflib_endpoint import SparqlEndpoint
g = rdflib.Graph()
for path in sys.argv[2:]:
    g.parse(path, format="nt")
print("loaded", len(g), flush=True)
app = SparqlEndpoint(graph=g, title="rdflib-endpoint baseline")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def stop(proc: subprocess.Popen) -> None:
    """Stop a server (SIGKILL if it does not exit within 20 s, e.g. stuck in a long query)."""
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(20)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str, proc: subprocess.Popen, timeout: float) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            httpx.get(url, timeout=5)
            return time.perf_counter() - t0
        except httpx.HTTPError:
            time.sleep(0.5)
    raise RuntimeError("server did not start")


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def percentiles(xs: list[float]) -> dict[str, float]:
    xs = sorted(xs)

    def pct(p: float) -> float:
        return round(1000 * xs[min(len(xs) - 1, int(p * len(xs)))], 2)

    return {"p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99), "n": len(xs)}


def time_sparql(url: str, query: str, runs: int, timeout: float, slow: float = 60) -> dict[str, float | str]:
    """Latency of a query over ``runs`` runs on one keep-alive client (one run only if the first takes over
    ``slow`` seconds); a run that exceeds ``timeout`` is recorded as such, not raised."""
    xs: list[float] = []
    rows = None
    with httpx.Client(timeout=timeout) as c:
        for _ in range(runs):
            t0 = time.perf_counter()
            try:
                r = c.post(url, data={"query": query}, headers={"Accept": "application/sparql-results+json"})
            except httpx.TimeoutException:
                return {"error": f"no answer within {timeout:.0f} s", "timeout_s": timeout}
            xs.append(time.perf_counter() - t0)
            if r.status_code != 200:
                return {"error": f"HTTP {r.status_code}: {r.text[:200]}"}
            rows = len(r.json()["results"]["bindings"])
            if xs[-1] > slow:
                break
    return {**percentiles(xs), "rows": rows or 0}


def load_test(base: str, seconds: float, clients: int, queries: list[str]) -> dict[str, float]:
    stop = time.perf_counter() + seconds
    lat: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client(i: int) -> None:
        nonlocal errors
        with httpx.Client(timeout=60) as c:
            k = i
            while time.perf_counter() < stop:
                k += 1
                t0 = time.perf_counter()
                if k % 4 == 0:
                    r = c.post(
                        base + "/sparql",
                        data={"query": queries[k % len(queries)]},
                        headers={"Accept": "application/sparql-results+json"},
                    )
                else:
                    r = c.get(base + LOOKUPS[k % len(LOOKUPS)])
                dt = time.perf_counter() - t0
                with lock:
                    lat.append(dt)
                    if r.status_code != 200:
                        errors += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return {"requests": len(lat), "errors": errors, "throughput_rps": round(len(lat) / elapsed, 1), **percentiles(lat)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, default=ROOT / "var" / "store")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--skip-rdflib", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--rdflib-timeout", type=float, default=300, help="seconds to wait for one rdflib answer")
    args = ap.parse_args()
    from graph.oxistore import OxigraphStore

    store = OxigraphStore(args.store, read_only=True)
    files = [str(p) for g, p in store.graph_files().items() if not g.endswith(("/graph/quality", "/graph/shapes"))]
    queries = {name: (ROOT / "api" / "examples" / f"{name}.rq").read_text(encoding="utf-8") for name in CANNED}
    results: dict[str, object] = {
        "command": "python " + " ".join(sys.argv),
        "triples": store.count(),
        "machine": f"{os.cpu_count()} cpus",
    }

    port = free_port()
    env = {**os.environ, "CBKG_STORE": f"oxigraph:{args.store}", "CBKG_QUERY_WORKERS": "2"}
    ours = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        results["cbkg_startup_s"] = round(wait(base + "/api/ministries", ours, 120), 1)
        # one keep-alive client, as an API consumer would use (a new httpx client costs ~60 ms of TLS setup)
        with httpx.Client(timeout=60) as c:
            c.get(base + "/api/programs?size=1")  # waits for the program catalogue; the lookup cache stays empty
            lookups = {}
            for u in LOOKUPS:
                t0 = time.perf_counter()
                assert c.get(base + u).status_code == 200
                first = round(1000 * (time.perf_counter() - t0), 2)  # computed: not yet cached
                xs = []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    assert c.get(base + u).status_code == 200
                    xs.append(time.perf_counter() - t0)
                lookups[u] = {"first_ms": first, **percentiles(xs)}
        results["cbkg_lookups"] = lookups
        results["cbkg_sparql"] = {
            n: time_sparql(base + "/sparql", q, max(3, args.runs // 3), 120) for n, q in queries.items()
        }
        results["cbkg_load"] = load_test(base, args.seconds, args.clients, list(queries.values())[:3])
        results["cbkg_peak_rss_mib"] = round(rss_mib(ours.pid))
        print(json.dumps(results, ensure_ascii=False), file=sys.stderr, flush=True)  # kept if the baseline fails
    finally:
        stop(ours)

    if not args.skip_rdflib:
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
            fh.write(RDFLIB_SERVER)

        def start_baseline() -> tuple[subprocess.Popen, str, float]:
            port2 = free_port()
            t0 = time.perf_counter()
            proc = subprocess.Popen([sys.executable, fh.name, str(port2), *files], stdout=subprocess.PIPE, text=True)
            base2 = f"http://127.0.0.1:{port2}"
            wait(base2 + "/", proc, 1800)
            return proc, base2, round(time.perf_counter() - t0, 1)

        # a timed-out query keeps the baseline busy (rdflib cannot cancel it): the next query gets a fresh server
        theirs, base2, results["rdflib_startup_s"] = start_baseline()
        results["rdflib_sparql"], peaks = {}, []
        try:
            for n, q in queries.items():
                res = time_sparql(base2 + "/", q, 3, args.rdflib_timeout)
                results["rdflib_sparql"][n] = res  # type: ignore[index]
                print(n, res, file=sys.stderr, flush=True)
                if "timeout_s" in res and n != list(queries)[-1]:
                    peaks.append(rss_mib(theirs.pid))
                    stop(theirs)
                    theirs, base2, _ = start_baseline()
            peaks.append(rss_mib(theirs.pid))
            results["rdflib_peak_rss_mib"] = round(max(peaks))
        finally:
            stop(theirs)
        speedups = {}
        for n in queries:
            a, b = results["cbkg_sparql"][n], results["rdflib_sparql"][n]  # type: ignore[index]
            if "p50_ms" in a and "timeout_s" in b:
                speedups[n] = f"> {round(1000 * b['timeout_s'] / max(a['p50_ms'], 0.01))}"
            if "p50_ms" in a and "p50_ms" in b:
                speedups[n] = round(b["p50_ms"] / max(a["p50_ms"], 0.01), 1)
                if a.get("rows") != b.get("rows"):
                    speedups[n + " (ROW COUNTS DIFFER)"] = f"{a.get('rows')} vs {b.get('rows')}"
        results["speedup_p50_rdflib_over_cbkg"] = speedups
    text = json.dumps(results, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
