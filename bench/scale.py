"""Benchmark: growth with the number of RS years (a synthetic multi-year corpus built from RS 2024).

Year ``k`` (0 = 2024, 1 = 2023, …) is a copy of every RS 2024 ZIP with 事業年度 and every 予算年度 moved back by
``k`` years and, with ``--shift-ids`` (the default), every 予算事業ID moved by ``k × 100000`` (so each year adds
5,664 programs: the issue's "10× RS 2024 with shifted years and ids"); ``--same-ids`` keeps the IDs, so one
program gets one sheet per year, as in the real RS data.  Each corpus size is then loaded into a fresh on-disk
store, validated, and every example query is timed on it (``bench/queries.py``, on-disk store), each size in its
own process so that peak RSS is per size.

    python bench/scale.py --years 1,3,10 [--workdir /tmp/cbkg-scale] [--runs 5] [--json bench/results/scale.json]
    python bench/scale.py --build-only --years 10      # just write the corpus
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RS2024 = ROOT / "data" / "rs2024"
ID_SHIFT = 100_000


def shifted(rows: list[list[str]], k: int, shift_ids: bool) -> list[list[str]]:
    """The rows of one RS CSV (header first) moved back ``k`` years (and IDs moved, with ``shift_ids``)."""
    header = rows[0]
    years = [i for i, h in enumerate(header) if h.lstrip("\ufeff") in ("事業年度", "予算年度")]
    ids = [i for i, h in enumerate(header) if "予算事業ID" in h]
    out = [header]
    for row in rows[1:]:
        row = list(row)
        for i in years:
            if i < len(row) and row[i].strip().isdigit():
                row[i] = str(int(row[i]) - k)
        if shift_ids:
            for i in ids:
                if i < len(row) and row[i].strip().isdigit():
                    row[i] = str(int(row[i]) + k * ID_SHIFT)
        out.append(row)
    return out


def build(years: int, out: Path, shift_ids: bool) -> Path:
    """Write the ``years``-year corpus under ``out`` (reused when already complete) and return its folder."""
    target = out / f"corpus-{years}y-{'ids' if shift_ids else 'same'}"
    done = target / ".complete"
    if done.exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for src in sorted(RS2024.glob("*.zip")):
        with zipfile.ZipFile(src) as zin:
            members = [(info, zin.read(info)) for info in zin.infolist() if not info.is_dir()]
        for k in range(years):
            year = 2024 - k
            name = re.sub(r"_RS_2024_", f"_RS_{year}_", src.name)
            with zipfile.ZipFile(target / name, "w", zipfile.ZIP_DEFLATED) as zout:
                for info, data in members:
                    text = data.decode("utf-8-sig")
                    rows = list(csv.reader(io.StringIO(text, newline="")))
                    buf = io.StringIO(newline="")
                    csv.writer(buf, lineterminator="\r\n").writerows(shifted(rows, k, shift_ids))
                    zout.writestr(info.filename.replace("_RS_2024_", f"_RS_{year}_"), "\ufeff" + buf.getvalue())
    done.write_text("ok\n")
    return target


def one_size(corpus: Path, store_dir: Path, runs: int) -> dict[str, object]:
    """Load, validate and query one corpus in this process (called through ``--one``)."""
    sys.path.insert(0, str(ROOT))
    from graph import pipeline, quality
    from graph.oxistore import OxigraphStore
    from graph.settings import Settings

    shutil.rmtree(store_dir, ignore_errors=True)
    settings = Settings(store=f"oxigraph:{store_dir}", workers=2)
    store = OxigraphStore(store_dir, base=settings.base_iri)
    t0 = time.perf_counter()
    report = pipeline.load([corpus], store, settings)
    ingest = time.perf_counter() - t0
    triples = store.count()
    rss_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t1 = time.perf_counter()
    outcome = quality.validate_store(store, settings, force=True)
    validate = time.perf_counter() - t1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    store.close()
    qjson = store_dir.parent / f"{store_dir.name}-queries.json"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "queries.py"), "--store", str(store_dir), "--runs", str(runs),
         "--no-memory", "--no-canned", "--json", str(qjson)],
        check=True, stdout=subprocess.DEVNULL,
    )
    queries = json.loads(qjson.read_text())
    return {
        "files": len(report.loaded),
        "triples": triples,
        "ingest_s": round(ingest, 1),
        "validate_s": round(validate, 1),
        "violations": outcome.violations,
        "warnings": outcome.warnings,
        "peak_rss_load_mib": round(rss_load),
        "peak_rss_mib": round(rss),
        "peak_rss_workers_mib": round(children),
        "queries": queries,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--years", default="1,3,10", help="comma-separated corpus sizes in years")
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("CBKG_SCALE_DIR", "/tmp/cbkg-scale")))
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each example query")
    ids = ap.add_mutually_exclusive_group()
    ids.add_argument("--shift-ids", dest="shift_ids", action="store_true", default=True)
    ids.add_argument("--same-ids", dest="shift_ids", action="store_false")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the stores (default: removed after each size)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--one", nargs=2, metavar=("CORPUS", "STORE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one_size(Path(args.one[0]), Path(args.one[1]), args.runs)))
        return 0
    sizes = [int(y) for y in args.years.split(",")]
    args.workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {
        "command": "python " + " ".join(sys.argv),
        "machine": f"{platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}",
        "ids": "shifted" if args.shift_ids else "same",
        "sizes": {},
    }
    for years in sizes:
        t0 = time.perf_counter()
        corpus = build(years, args.workdir, args.shift_ids)
        print(f"{years} years: corpus in {time.perf_counter() - t0:.0f} s at {corpus}", file=sys.stderr)
        if args.build_only:
            continue
        store = args.workdir / f"store-{years}y"
        proc = subprocess.run(
            [sys.executable, __file__, "--runs", str(args.runs), "--one", str(corpus), str(store)],
            check=True, capture_output=True, text=True,
        )
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        results["sizes"][str(years)] = figures  # type: ignore[index]
        print(f"{years} years: {json.dumps({k: v for k, v in figures.items() if k != 'queries'})}", file=sys.stderr)
        if not args.keep:
            shutil.rmtree(store, ignore_errors=True)
    if args.json and not args.build_only:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
