"""Benchmark: ingest + validate the full bundled RS 2024 corpus from a clean store.

Measures wall time of each phase, triples/s, peak RSS of the process and of its worker processes, and the
validation time (fresh, then incremental with nothing changed), and optionally pySHACL on a sample.

    python bench/ingest.py [--store DIR] [--data DIR] [--pyshacl-sample N] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import pipeline, quality  # noqa: E402
from graph.oxistore import OxigraphStore  # noqa: E402
from graph.settings import Settings  # noqa: E402


def rss_mb() -> tuple[float, float]:
    """Peak RSS of this process and of its (finished) children, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, default=None, help="store directory (default: a temporary one)")
    ap.add_argument("--data", type=Path, default=ROOT / "data" / "rs2024")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    tmp = None
    if args.store is None:
        tmp = tempfile.mkdtemp(prefix="cbkg-bench-")
        args.store = Path(tmp) / "store"
    shutil.rmtree(args.store, ignore_errors=True)
    settings = Settings(store=f"oxigraph:{args.store}", workers=args.workers)
    store = OxigraphStore(args.store, base=settings.base_iri)
    phases: dict[str, float] = {}
    t0 = time.perf_counter()

    def on_event(event: str, res: object) -> None:
        phases[f"{event}@"] = round(time.perf_counter() - t0, 2)

    report = pipeline.load([args.data], store, settings, progress=on_event)
    ingest = time.perf_counter() - t0
    triples = store.count()
    t1 = time.perf_counter()
    outcome = quality.validate_store(store, settings, force=True)
    validate_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    again = quality.validate_store(store, settings)
    validate_again = time.perf_counter() - t2
    own, children = rss_mb()
    figures = {
        "command": "python " + " ".join(sys.argv),
        "machine": f"{platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}",
        "units": len(report.loaded),
        "records": sum(r.records for r in report.loaded),
        "triples_in_store": triples,
        "ingest_s": round(ingest, 1),
        "triples_per_s": round(triples / ingest),
        "validate_fresh_s": round(validate_s, 1),
        "validate_fresh_memory_load_s": round(outcome.load_seconds, 1),
        "validate_incremental_unchanged_s": round(validate_again, 1),
        "constraints": outcome.constraints,
        "reused_when_unchanged": again.reused,
        "violations": outcome.violations,
        "warnings": outcome.warnings,
        "ingest_plus_validate_s": round(ingest + validate_s, 1),
        "peak_rss_main_mib": round(own),
        "peak_rss_largest_worker_mib": round(children),
        "store_disk_mib": round(sum(f.stat().st_size for f in args.store.rglob("*") if f.is_file()) / 2**20),
        "slowest_constraints_s": dict(sorted(outcome.timings.items(), key=lambda kv: -kv[1])[:5]),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
