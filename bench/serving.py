"""Benchmark: every example query (api/examples/*.rq) through the query executor (the path of ``/sparql``: real
worker processes and pipes, no HTTP) with the general workers reading RocksDB and with their in-memory copy,
side by side with raw ``oxigraph serve-read-only`` on a copy of the same generation, in one run.

    python bench/serving.py --store /tmp/full-store [--runs 10] [--only 02,04] [--json OUT]

The three take turns query by query (RocksDB executor, memory-copy executor, raw Oxigraph …) after one untimed
warm-up each.  Each executor has one general worker and one express worker (the server's default is two
general workers; one keeps the two runs from competing for the 2 cores).  The memory-copy executor is used
once its worker reports the copy complete (``QueryExecutor.status``); the time and the worker's resident memory
are recorded.  Every answer of the memory copy and of raw Oxigraph is compared with the RocksDB executor's
(``SelectResult.canonical``).  p50 is the median, p99 the nearest rank.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.executor import QueryExecutor, QueryRequest  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import SelectResult, term_from_json  # noqa: E402
from tests.support.servers import free_port, launch, oxigraph_binary, terminate  # noqa: E402

JSON = "application/sparql-results+json"


def rows(body: bytes) -> list[tuple[tuple[str, str], ...]]:
    """A JSON result's rows in :meth:`SelectResult.canonical` form (order-free; ``GROUP_CONCAT`` lists as sets)."""
    doc = json.loads(body)
    if "boolean" in doc:
        return [(("boolean", str(doc["boolean"])),)]
    bindings = doc["results"]["bindings"]
    result = SelectResult(doc["head"]["vars"], [{v: term_from_json(b) for v, b in row.items()} for row in bindings])
    return result.canonical()


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--only", default="")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    examples = sorted((ROOT / "api" / "examples").glob("*.rq"))
    if args.only:
        examples = [p for p in examples if any(p.stem.startswith(k) for k in args.only.split(","))]
    store = args.store.resolve()
    base = dict(store=f"oxigraph:{store}", query_workers=1, query_timeout=120)
    out: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "store": str(store),
        "runs": args.runs,
        "queries": {},
    }
    disk = QueryExecutor(Settings(**base, query_memory_copy=False), queue_timeout=300)
    t0 = time.monotonic()
    memory = QueryExecutor(Settings(**base), queue_timeout=300)
    while not (note := memory.status()[0][1]).startswith("memory copy of"):
        if note not in ("memory copy in progress", "starting"):
            raise SystemExit(f"no memory copy: {note}")
        time.sleep(0.5)
    out["memory_copy"] = {
        "note": note,
        "ready_after_s": round(time.monotonic() - t0, 1),
        "worker_rss_mib": {
            "rocksdb": round(rss_mib(disk._slots[0].proc.pid)),
            "memory copy": round(rss_mib(memory._slots[0].proc.pid)),
        },
    }
    print(json.dumps(out["memory_copy"], ensure_ascii=False), flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="cbkg-serving-"))
    ox_proc = None
    binary = oxigraph_binary()
    if binary:
        shutil.copytree(store / (store / "CURRENT").read_text().strip() / "db", tmp / "db")
        port = free_port()
        argv = [binary, "serve-read-only", "--location", str(tmp / "db"), "--union-default-graph"]
        argv += ["--bind", f"127.0.0.1:{port}"]
        ox_proc = launch(argv, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=120)
        client = httpx.Client(timeout=300)

    def raw(q: str) -> bytes:
        r = client.post(
            f"http://127.0.0.1:{port}/query",
            content=q.encode(),
            headers={"content-type": "application/sparql-query", "accept": JSON},
        )
        r.raise_for_status()
        return r.content

    runners: dict[str, Any] = {
        "executor, RocksDB": lambda q: disk.run(QueryRequest(q, JSON)).first,
        "executor, memory copy": lambda q: memory.run(QueryRequest(q, JSON)).first,
    }
    if ox_proc:
        runners["raw oxigraph serve-read-only"] = raw
    try:
        for path in examples:
            q = path.read_text(encoding="utf-8")
            times: dict[str, list[float]] = {k: [] for k in runners}
            answers = {k: rows(f(q)) for k, f in runners.items()}  # warm-up, and the answers compared
            ref = answers["executor, RocksDB"]
            for _ in range(args.runs):
                for k, f in runners.items():
                    a = time.perf_counter()
                    f(q)
                    times[k].append((time.perf_counter() - a) * 1000)
            entry = {
                k: {
                    "p50_ms": round(statistics.median(v), 1),
                    "p99_ms": round(pct(v, 99), 1),
                    "same_answer": answers[k] == ref,
                }
                for k, v in times.items()
            }
            entry["rows"] = len(ref)
            out["queries"][path.stem] = entry
            print(path.stem, json.dumps(entry, ensure_ascii=False), flush=True)
    finally:
        disk.close()
        memory.close()
        if ox_proc:
            terminate(ox_proc)
        shutil.rmtree(tmp, ignore_errors=True)
    out["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
