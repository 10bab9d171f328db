"""Benchmark: the same corpus loaded through cbkg into the embedded store, an Oxigraph server and Virtuoso, in
one run: load time, triples per store, and the latency and answers of every example query (api/examples/*.rq).

    python bench/stores.py [--data data/] [--runs 5] [--stores embedded,oxigraph-server,virtuoso] [--json OUT]

The servers are started by ``tests.support.servers`` on loopback (Oxigraph from the ``oxigraph`` PyPI package, Debian's
``virtuoso-t``) in a temporary directory and stopped by PID at the end.  Every example's answer on each server
is compared with the embedded store's (``SelectResult.canonical``); differences are listed in the output.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import open_store, pipeline  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import Store  # noqa: E402
from tests.support import servers  # noqa: E402

EXAMPLES = sorted((ROOT / "api" / "examples").glob("*.rq"))
KINDS = ["embedded", "oxigraph-server", "virtuoso"]


def settings_for(kind: str, srv: servers.SparqlServer | None, tmp: Path) -> Settings:
    if srv is None:
        return Settings(store=f"oxigraph:{tmp / 'store'}", workers=2)
    return Settings(
        store=srv.store_spec,
        workers=2,
        remote_state=tmp / "remote-state",
        remote_graph_param=srv.env.get("CBKG_REMOTE_GRAPH_PARAM", "graph"),
        remote_timeout=600,
    )


def run_queries(store: Store, runs: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        times: list[float] = []
        answer: list[Any] | None = None
        error = None
        for _ in range(runs):
            t0 = time.perf_counter()
            try:
                res = store.select(text, timeout=120)
            except Exception as exc:
                error = f"{type(exc).__name__}: {str(exc)[:300]}"
                break
            times.append(time.perf_counter() - t0)
            answer = res.canonical()
        out[path.stem] = {
            "rows": None if answer is None else len(answer),
            "median_ms": round(statistics.median(times) * 1000, 1) if times else None,
            "min_ms": round(min(times) * 1000, 1) if times else None,
            "first_ms": round(times[0] * 1000, 1) if times else None,
            "error": error,
            "_answer": answer,
        }
    return out


def bench_store(kind: str, data: list[Path], runs: int, tmp: Path) -> dict[str, Any]:
    factories = {"oxigraph-server": servers.oxigraph_server, "virtuoso": servers.virtuoso_server}
    with contextlib.ExitStack() as stack:
        srv = None
        if kind != "embedded":
            srv = stack.enter_context(factories[kind](tmp / "server", timeout_s=120))
        settings = settings_for(kind, srv, tmp)
        store = open_store(settings)
        t0 = time.perf_counter()
        report = pipeline.load(data, store, settings)
        load_s = time.perf_counter() - t0
        graphs = store.graphs()
        triples = sum(store.count(g) for g in graphs)
        server_triples = None
        if srv is not None:
            server_triples = sum(store.server_count(g) for g in graphs)  # type: ignore[attr-defined]
        queries = run_queries(store, runs)
        return {
            "store": kind,
            "load_s": round(load_s, 1),
            "files_loaded": len(report.loaded),
            "refused": report.refused,
            "graphs": len(graphs),
            "triples": triples,
            "triples_counted_by_server": server_triples,
            "queries": queries,
        }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, nargs="+", default=[ROOT / "data"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--stores", default=",".join(KINDS))
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    kinds = args.stores.split(",")
    available = servers.available()
    results = []
    with tempfile.TemporaryDirectory(prefix="cbkg-bench-stores-") as tmp:
        for kind in kinds:
            need = {"oxigraph-server": "oxigraph", "virtuoso": "virtuoso"}.get(kind)
            if need and not available[need]:
                print(f"{kind}: not installed, skipped", file=sys.stderr)
                continue
            print(f"{kind}: loading {', '.join(map(str, args.data))} …", file=sys.stderr)
            r = bench_store(kind, args.data, args.runs, Path(tmp) / kind)
            print(f"{kind}: loaded {r['triples']:,} triples in {r['load_s']} s", file=sys.stderr)
            results.append(r)
    reference = next((r for r in results if r["store"] == "embedded"), results[0] if results else None)
    for r in results:
        same, differ = 0, []
        for name, q in r["queries"].items():
            ref = reference["queries"][name]["_answer"] if reference else None
            if q["_answer"] is not None and q["_answer"] == ref:
                same += 1
            else:
                differ.append(name)
        r["identical_answers"] = same
        r["different_answers"] = differ
    reference_queries = reference["queries"] if reference else {}
    table = {
        name: {r["store"]: r["queries"][name]["median_ms"] for r in results} | {"rows": reference_queries[name]["rows"]}
        for name in reference_queries
    }
    for r in results:
        for q in r["queries"].values():
            q.pop("_answer")
    out = {
        "command": " ".join([os.path.relpath(sys.executable, ROOT), *sys.argv]),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "arch": platform.machine()},
        "examples": len(EXAMPLES),
        "stores": results,
        "median_ms_by_query": table,
    }
    text = json.dumps(out, ensure_ascii=False, indent=2)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
