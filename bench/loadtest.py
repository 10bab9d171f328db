"""Load test: many concurrent clients on a mix of REST lookups, HTML pages and SPARQL, over the full corpus.

    python bench/loadtest.py --store /tmp/lt/store [--clients 100] [--seconds 60] [--json bench/results/loadtest.json]
                             [--heavy-every 3] [--tree DIR]

``--heavy-every S`` adds one more client that sends a heavy gallery query (one of those left out of the mix,
in turn) every S seconds, recorded as kind ``sparql-heavy``; a 503 with ``Retry-After`` there is the answer the
issue asks for and is counted apart (``heavy_503_with_retry_after``), not as an error of the lookups.
``--tree DIR`` runs the server from another source tree (e.g. ``git archive HEAD | tar -x -C DIR``) with the
same interpreter: a before/after comparison in one session.

Bounded and loopback-only: the server (uvicorn, the project's own app, default settings unless given) listens on
127.0.0.1 and is stopped at the end; the clients run for ``--seconds`` and never retry.  Each client is a
closed loop (next request when the previous one is answered, no think time), so the figures are the
server's capacity under saturation on this machine.  The clients run in this process, on the same cores as the
server: the CPU split between server, clients and everything else on the machine is reported.

Reported: requests, throughput, latency p50/p95/p99/max per kind and overall, errors by kind and status with
sample messages (a 503 from the query-worker pool counts as an error), and the RSS of the server's process tree
(server + query workers) sampled every second (start, peak, end).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
CBKG = "https://w3id.org/cbkg/ontology#"
CS_BASIC_LAW = "426AC1000000104"
SEARCH_TERMS = ["サイバー", "セキュリティ", "情報", "システム", "研究", "防衛", "教育", "国際", "デジタル", "補助"]

# (kind, weight): the mix each client draws its next request from
MIX = [
    ("rest-program", 18),
    ("rest-article", 5),
    ("rest-payee", 8),
    ("rest-ministry", 4),
    ("rest-search", 8),
    ("html-program", 10),
    ("html-search", 5),
    ("html-other", 10),
    ("sparql-example", 12),
    ("sparql-small", 20),
]


# --- the server and its processes ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_tree(pid: int) -> list[int]:
    kids: dict[int, list[int]] = defaultdict(list)
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                kids[int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])].append(int(p.name))
            except (OSError, IndexError, ValueError):
                continue
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    """A memory field of /proc/PID/status (VmRSS, RssAnon, RssFile …) in MiB; 0 if the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of the live tree plus its reaped children (replaced query workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in process_tree(pid):
        try:
            f = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in f[11:15])  # utime stime cutime cstime
        except (OSError, IndexError, ValueError):
            pass
    return total / tick


def machine_cpu_s() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    f = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = f[3] + f[4]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(f) - idle) / tick, sum(f) / tick


def start_server(
    store: Path, env_extra: dict[str, str], keep_alive: float | None, tree: Path = ROOT, processes: int = 1
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "CBKG_STORE": f"oxigraph:{store}", **env_extra}
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
            *(["--timeout-keep-alive", str(keep_alive)] if keep_alive is not None else []),
            *(["--workers", str(processes)] if processes > 1 else []),
        ],
        cwd=tree,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            if httpx.get(url + "/api/ministries", timeout=30).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("server did not start")


class Sampler(threading.Thread):
    """RSS of the server's process tree every ``every`` seconds."""

    def __init__(self, pid: int, every: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.every = every
        # (t, tree MiB, server process MiB, processes, server process anonymous MiB)
        self.series: list[tuple[float, float, float, int, float]] = []
        self.stop = threading.Event()
        self.t0 = time.perf_counter()

    def sample(self) -> None:
        tree = process_tree(self.pid)
        self.series.append(
            (
                round(time.perf_counter() - self.t0, 1),
                round(sum(rss_mib(p) for p in tree), 1),
                round(rss_mib(self.pid), 1),
                len(tree),
                round(rss_mib(self.pid, "RssAnon"), 1),
            )
        )

    def run(self) -> None:
        self.t0 = time.perf_counter()
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.every)


# --- what the clients ask ------------------------------------------------------------------------------------


def sparql_json(url: str, query: str) -> list[dict[str, str]]:
    r = httpx.post(
        url + "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=120
    )
    r.raise_for_status()
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def discover(url: str) -> dict[str, list[str]]:
    """Real identifiers from the store: programs, payees with 法人番号, articles, ministries."""
    programs: list[str] = []
    page = 1
    while True:
        body = httpx.get(url + "/api/programs", params={"size": 500, "page": page}, timeout=120).json()
        programs += [it["id"] for it in body["items"]]
        if page * 500 >= body["total"]:
            break
        page += 1
    payees = [
        r["n"]
        for r in sparql_json(
            url,
            f"""SELECT DISTINCT ?n WHERE {{ ?e <{CBKG}payee> ?p . ?p <{CBKG}corporateNumber> ?n }} LIMIT 3000""",
        )
    ]
    law = httpx.get(url + f"/api/laws/{CS_BASIC_LAW}", timeout=120).json()
    articles = [a["number"] for a in law["articles"] if a.get("number")]
    ministries = [m["slug"] for m in httpx.get(url + "/api/ministries", timeout=120).json() if m.get("slug")]
    return {"programs": programs, "payees": payees, "articles": articles, "ministries": ministries}


def small_queries(ids: dict[str, list[str]], rng: random.Random) -> Callable[[], str]:
    def make() -> str:
        pid = rng.choice(ids["programs"])
        prog = f"<https://w3id.org/cbkg/id/program/{pid}>"
        return rng.choice(
            [
                f"ASK {{ ?s <{CBKG}program> {prog} }}",
                f"SELECT ?sheet ?year WHERE {{ ?sheet <{CBKG}program> {prog} ; <{CBKG}sheetYear> ?year }}",
                f"SELECT ?p ?o WHERE {{ {prog} ?p ?o }} LIMIT 50",
                f"SELECT (COUNT(*) AS ?n) WHERE {{ ?sheet <{CBKG}program> {prog} . ?e <{CBKG}sheet> ?sheet }}",
                f'ASK {{ ?p <{CBKG}corporateNumber> "{rng.choice(ids["payees"])}" }}',
            ]
        )

    return make


def time_examples(url: str, runs: int) -> dict[str, dict[str, object]]:
    """Each gallery query, alone, ``runs`` times: which are fast enough for the mix."""
    out: dict[str, dict[str, object]] = {}
    for f in sorted((ROOT / "api" / "examples").glob("*.rq")):
        q = f.read_text(encoding="utf-8")
        xs = []
        r = None
        for _ in range(runs):
            t0 = time.perf_counter()
            r = httpx.post(
                url + "/sparql",
                data={"query": q},
                headers={"Accept": "application/sparql-results+json, text/turtle;q=0.5"},
                timeout=120,
            )
            xs.append(time.perf_counter() - t0)
            if r.status_code != 200:
                break
        assert r is not None
        out[f.stem] = {"status": r.status_code, "median_ms": round(1000 * sorted(xs)[len(xs) // 2], 1), "query": q}
        if r.status_code != 200:
            out[f.stem]["error"] = r.text[:200]
    return out


class Mix:
    """Draws the next request of a client: (kind, method, path, form data)."""

    def __init__(self, ids: dict[str, list[str]], examples: list[str], seed: int) -> None:
        self.ids = ids
        self.examples = examples
        self.rng = random.Random(seed)
        self.small = small_queries(ids, self.rng)
        self.kinds = [k for k, _ in MIX]
        self.weights = [w for _, w in MIX]

    def next(self) -> tuple[str, str, str, dict[str, str] | None]:
        rng, ids = self.rng, self.ids
        kind = rng.choices(self.kinds, self.weights)[0]
        if kind == "rest-program":
            return kind, "GET", f"/api/programs/{rng.choice(ids['programs'])}", None
        if kind == "rest-article":
            return kind, "GET", f"/api/laws/{CS_BASIC_LAW}/articles/{rng.choice(ids['articles'])}", None
        if kind == "rest-payee":
            return kind, "GET", f"/api/payees/{rng.choice(ids['payees'])}", None
        if kind == "rest-ministry":
            return kind, "GET", f"/api/ministries/{rng.choice(ids['ministries'])}", None
        if kind == "rest-search":
            return kind, "GET", f"/api/programs?q={quote(rng.choice(SEARCH_TERMS))}&size=20", None
        if kind == "html-program":
            return kind, "GET", f"/programs/{rng.choice(ids['programs'])}", None
        if kind == "html-search":
            return kind, "GET", f"/search?q={quote(rng.choice(SEARCH_TERMS))}", None
        if kind == "html-other":
            path = rng.choice(
                [
                    "/",
                    f"/ministries/{rng.choice(ids['ministries'])}",
                    f"/payees/{rng.choice(ids['payees'])}",
                    f"/laws/{CS_BASIC_LAW}/articles/{rng.choice(ids['articles'])}",
                    f"/id/program/{rng.choice(ids['programs'])}",
                ]
            )
            return kind, "GET", path, None
        if kind == "sparql-example":
            return kind, "POST", "/sparql", {"query": rng.choice(self.examples)}
        return "sparql-small", "POST", "/sparql", {"query": self.small()}


# --- the run -------------------------------------------------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.lat: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[tuple[str, str]] = Counter()
        self.samples: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.loop_lag: list[float] = []

    def record(self, kind: str, dt: float, status: str, detail: str | None) -> None:
        self.lat[kind].append(dt)
        if status != "200":
            self.errors[(kind, status)] += 1
            if detail and len(self.samples[(kind, status)]) < 3:
                self.samples[(kind, status)].append(detail[:300])


async def client(
    base: str, mix: Mix, stop_at: float, tally: Tally, http: httpx.AsyncClient, record: bool = True
) -> None:
    while time.perf_counter() < stop_at:
        kind, method, path, data = mix.next()
        t0 = time.perf_counter()
        detail = None
        try:
            if method == "GET":
                r = await http.get(base + path)
            else:
                r = await http.post(
                    base + path,
                    data=data,
                    headers={"Accept": "application/sparql-results+json, text/turtle;q=0.5"},
                )
            status = str(r.status_code)
            if r.status_code != 200:
                detail = f"{method} {path if method == 'GET' else data and data['query'][:80]!r}: {r.text[:200]}"
        except httpx.HTTPError as exc:
            status = f"exception:{type(exc).__name__}"
            cause = exc.__cause__ or exc.__context__
            detail = f"{method} {path} after {time.perf_counter() - t0:.2f} s: {exc!r} (cause: {cause!r})"
        if record:
            tally.record(kind, time.perf_counter() - t0, status, detail)


async def heavy_client(
    base: str, queries: list[str], every: float, stop_at: float, tally: Tally, http: httpx.AsyncClient
) -> None:
    """One heavy query every ``every`` seconds (each in its own task, so a slow one does not delay the next)."""
    tasks = []

    async def one(q: str) -> None:
        t0 = time.perf_counter()
        detail = None
        try:
            r = await http.post(
                base + "/sparql", data={"query": q}, headers={"Accept": "application/sparql-results+json"}
            )
            status = str(r.status_code)
            if r.status_code == 503 and r.headers.get("retry-after"):
                status = "503+retry-after"
            if r.status_code != 200:
                detail = r.text[:200]
        except httpx.HTTPError as exc:
            status, detail = f"exception:{type(exc).__name__}", repr(exc)
        tally.record("sparql-heavy", time.perf_counter() - t0, status, detail)

    i = 0
    while time.perf_counter() < stop_at and queries:
        tasks.append(asyncio.create_task(one(queries[i % len(queries)])))
        i += 1
        await asyncio.sleep(every)
    await asyncio.gather(*tasks)


async def loop_lag(stop_at: float, out: list[float]) -> None:
    """How late this process's event loop wakes up: latency the clients themselves add when starved of CPU."""
    while time.perf_counter() < stop_at:
        t0 = time.perf_counter()
        await asyncio.sleep(0.1)
        out.append(time.perf_counter() - t0 - 0.1)


async def run_clients(
    base: str,
    ids: dict[str, list[str]],
    examples: list[str],
    clients: int,
    seconds: float,
    seed: int,
    record: bool = True,
    heavy: list[str] | None = None,
    heavy_every: float = 0,
) -> tuple[Tally, float]:
    tally = Tally()
    lag: list[float] = tally.loop_lag
    # Idle connections are dropped after 2 s, before uvicorn's 5 s keep-alive timeout: with both at 5 s (httpx's
    # default), a connection the server is closing is now and then reused, and that request fails (ReadError).
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2.0)
    # follow_redirects: /id/… IRIs answer 303 See Other to their page, as linked data should
    async with httpx.AsyncClient(timeout=120, limits=limits, follow_redirects=True) as http:
        stop_at = time.perf_counter() + seconds
        t0 = time.perf_counter()
        await asyncio.gather(
            loop_lag(stop_at, lag),
            *(client(base, Mix(ids, examples, seed + i), stop_at, tally, http, record) for i in range(clients)),
            *([heavy_client(base, heavy, heavy_every, stop_at, tally, http)] if heavy and heavy_every > 0 else []),
        )
        elapsed = time.perf_counter() - t0
    return tally, elapsed


def percentiles(xs: list[float]) -> dict[str, float]:
    xs = sorted(xs)
    if not xs:
        return {"n": 0}

    def pct(p: float) -> float:
        return round(1000 * xs[min(len(xs) - 1, int(p * len(xs)))], 1)

    return {"n": len(xs), "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99), "max_ms": pct(1.0)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=ROOT / "var" / "store")
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--warmup", type=float, default=5, help="seconds of load before measuring (not counted)")
    ap.add_argument("--fast-ms", type=float, default=300, help="gallery queries slower than this alone are left out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mix", default="", help="gallery queries in the mix by number, e.g. 01,03 (default: --fast-ms)")
    ap.add_argument(
        "--env", action="append", default=[], metavar="CBKG_X=V", help="server setting (default: the app defaults)"
    )
    ap.add_argument(
        "--keep-alive", type=float, default=None, help="uvicorn --timeout-keep-alive (default: uvicorn's, 5 s)"
    )
    ap.add_argument("--heavy-every", type=float, default=0, help="seconds between heavy queries (0: none)")
    ap.add_argument("--tree", type=Path, default=ROOT, help="source tree the server runs from")
    ap.add_argument(
        "--server-processes", type=int, default=1, help="uvicorn --workers: server processes (each with its executor)"
    )
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    if args.clients < 1 or args.clients > 1000 or args.seconds <= 0 or args.seconds > 3600:
        ap.error("--clients must be 1..1000 and --seconds 0..3600")
    env_extra = dict(e.split("=", 1) for e in args.env)

    results: dict[str, object] = {
        "command": "python " + " ".join(sys.argv),
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "mem_total_mib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20),
            "loadavg_before": Path("/proc/loadavg").read_text().split()[:3],
        },
        "server_env": env_extra or "defaults (CBKG_QUERY_WORKERS=2, CBKG_QUERY_TIMEOUT=30, CBKG_MAX_RESULTS=100000)",
        "clients": args.clients,
        "seconds": args.seconds,
    }
    proc, base = start_server(args.store, env_extra, args.keep_alive, args.tree, args.server_processes)
    results["server_tree"] = str(args.tree)
    sampler = Sampler(proc.pid)
    try:
        t0 = time.perf_counter()
        ids = discover(base)
        results["targets"] = {k: len(v) for k, v in ids.items()}
        timed = time_examples(base, 3)
        if args.mix:  # the same mix in every run, however fast the examples were alone at start
            wanted = tuple(args.mix.split(","))
            examples = [v["query"] for k, v in timed.items() if v.get("status") == 200 and k.startswith(wanted)]
        else:
            examples = [
                v["query"] for v in timed.values() if v.get("status") == 200 and float(v["median_ms"]) <= args.fast_ms
            ]
        results["examples_alone"] = {
            k: {kk: vv for kk, vv in v.items() if kk != "query"} | {"in_mix": v.get("query") in examples}
            for k, v in timed.items()
        }
        heavy = [v["query"] for v in timed.values() if v.get("status") == 200 and v["query"] not in examples]
        results["heavy_every_s"] = args.heavy_every
        results["setup_s"] = round(time.perf_counter() - t0, 1)
        asyncio.run(run_clients(base, ids, examples, min(args.clients, 20), args.warmup, args.seed + 10_000, False))

        sampler.start()
        while not sampler.series:
            time.sleep(0.01)
        rss_start = sampler.series[0]
        cpu0, busy0, total0 = tree_cpu_s(proc.pid), *machine_cpu_s()
        me0 = os.times()
        tally, elapsed = asyncio.run(
            run_clients(base, ids, examples, args.clients, args.seconds, args.seed, True, heavy, args.heavy_every)
        )
        me1 = os.times()
        cpu1, busy1, total1 = tree_cpu_s(proc.pid), *machine_cpu_s()
        sampler.stop.set()
        sampler.join()
        time.sleep(2)
        sampler.sample()
        alive = proc.poll() is None
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    log = proc.stdout.read() if proc.stdout else ""

    heavy_lat = tally.lat.pop("sparql-heavy", [])
    heavy_status = Counter(s for (k, s), n in tally.errors.items() for _ in range(n) if k == "sparql-heavy")
    heavy_status["200"] = len(heavy_lat) - sum(heavy_status.values())
    tally.errors = Counter({(k, s): n for (k, s), n in tally.errors.items() if k != "sparql-heavy"})
    lookup_kinds = [k for k in tally.lat if not k.startswith("sparql")]
    lookup_lat = [x for k in lookup_kinds for x in tally.lat[k]]
    all_lat = [x for xs in tally.lat.values() for x in xs]
    errors_total = sum(tally.errors.values())
    by_status: Counter[str] = Counter()
    for (_, status), n in tally.errors.items():
        by_status[status] += n
    series = sampler.series
    capacity = (total1 - total0) or 1.0
    client_cpu = (me1.user - me0.user) + (me1.system - me0.system)
    results |= {
        "requests": len(all_lat),
        "elapsed_s": round(elapsed, 1),
        "throughput_rps": round(len(all_lat) / elapsed, 1),
        "latency": {
            "overall": percentiles(all_lat),
            "lookups (REST + HTML)": percentiles(lookup_lat),
            **{k: percentiles(v) for k, v in sorted(tally.lat.items())},
        },
        "heavy": {"latency": percentiles(heavy_lat), "by_status": dict(heavy_status)} if heavy_lat else None,
        "errors": {
            "total": errors_total,
            "rate": round(errors_total / max(1, len(all_lat)), 5),
            "by_status": dict(by_status),
            "by_kind_and_status": {f"{k} {s}": n for (k, s), n in sorted(tally.errors.items())},
            "samples": {f"{k} {s}": v for (k, s), v in sorted(tally.samples.items())},
        },
        "client_loop_lag": percentiles(tally.loop_lag),
        "server_rss_mib": {
            "start": rss_start[1],
            "peak": max(s[1] for s in series),
            "end": series[-1][1],
            "server_process": {"start": rss_start[2], "peak": max(s[2] for s in series), "end": series[-1][2]},
            "server_process_anon": {"start": rss_start[4], "end": series[-1][4]},
            "query_workers_end": round(series[-1][1] - series[-1][2], 1),
            "processes": sorted({s[3] for s in series}),
            "series_every_5s": [[s[0], s[1], s[2]] for s in series[::5]],
        },
        "cpu_share_of_machine": {
            "server_tree": round((cpu1 - cpu0) / capacity, 3),
            "load_clients": round(client_cpu / capacity, 3),
            "other_processes": round(max(0.0, (busy1 - busy0) - (cpu1 - cpu0) - client_cpu) / capacity, 3),
            "idle": round(1 - (busy1 - busy0) / capacity, 3),
        },
        "server_alive_after": alive,
        "server_log_tail": log[-2000:],
    }
    results["machine"]["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]  # type: ignore[index]
    text = json.dumps(results, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
