"""Benchmark: load one very large RS bulk CSV (about 2 GB) and measure whether memory stays bounded.

Generates the file in a temporary directory, streamed (never held in memory at once): the header of one real
RS 2024 table (default ``5-3`` 支出先_費目・使途) followed by its data rows repeated.  By default copy ``k``
shifts every 予算事業ID by ``k × 100,000``, so no row repeats an earlier one and each copy is a new set of
programs (and of sheet-scoped payees).  With ``--same-programs 使途`` the IDs are kept and copy ``k`` appends
`` #k`` to that column instead: the same programs and payees, only more rows.  Then loads the file with the real
pipeline (``graph.pipeline.load``) into a fresh on-disk Oxigraph store and reports, as JSON: file size, rows,
triples, load seconds, and the peak RSS of the process tree (this process and any worker process) sampled from
``/proc`` by a thread every 0.1 s (and this process's own high-water mark), per pipeline phase and as a timeline.

    python bench/big_file.py [--size-gb 2.0] [--table 5-3] [--same-programs 使途] [--tmp DIR] [--keep] [--json OUT]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import re
import resource
import shutil
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import pipeline  # noqa: E402
from graph.oxistore import OxigraphStore  # noqa: E402
from graph.settings import Settings  # noqa: E402
from loaders import rs_csv  # noqa: E402

RS2024 = ROOT / "data" / "rs2024"
BASE = "https://w3id.org/cbkg/"
PID_STEP = 100_000
"""予算事業ID shift per copy (the RS 2024 IDs are below 21,060)."""
PAGE = os.sysconf("SC_PAGE_SIZE")


# -- the file ----------------------------------------------------------------------------------------------------
def source_zip(table: str) -> Path:
    [path] = [p for p in RS2024.glob("*.zip") if p.name.split("_", 1)[0] == table]
    return path


def _rows(zip_path: Path) -> Any:
    """The rows of the (only) CSV of a ZIP, streamed."""
    zf = zipfile.ZipFile(zip_path)
    [member] = [m for m in zf.namelist() if m.lower().endswith(".csv")]
    with zf, zf.open(member) as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as fh:
        yield from csv.reader(fh)


def generate(zip_path: Path, out: Path, size: int, vary: str | None = None) -> dict[str, int]:
    """Write header + data rows of ``zip_path``'s table, repeated until ``size`` bytes.

    Copy ``k`` shifts every 予算事業ID by ``k × PID_STEP`` (new programs, new sheet-scoped payees: the number of
    entities grows with the file).  With ``vary`` (a text column), the IDs are kept and copy ``k`` appends
    `` #k`` to that column instead (the same programs and payees, only more rows; empty cells stay empty, so
    those rows repeat the previous copy's and are reported as duplicate rows).
    """
    rows = copies = 0
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        it = _rows(zip_path)
        header = next(it)
        pid = header.index("予算事業ID")
        col = header.index(vary) if vary else None
        writer.writerow(header)
        it.close()
        while fh.tell() < size:
            it = _rows(zip_path)
            next(it)  # the header
            for row in it:
                if col is not None:
                    row[col] = f"{row[col]} #{copies}" if copies and row[col] else row[col]
                elif row[pid].isdigit():
                    row[pid] = str(int(row[pid]) + copies * PID_STEP)
                writer.writerow(row)
                rows += 1
                if rows % 4096 == 0 and fh.tell() >= size:
                    break
            copies += 1
    return {"rows": rows, "copies": copies}


# -- memory ------------------------------------------------------------------------------------------------------
def _tree(root: int) -> list[int]:
    """``root`` and its descendants (from /proc/*/stat)."""
    parent: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", "rb") as fh:
                    stat = fh.read()
            except OSError:
                continue
            parent[int(d)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    out, frontier = [root], [root]
    while frontier:
        frontier = [p for p, pp in parent.items() if pp in frontier]
        out += frontier
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except OSError:
        return 0


class Sampler(threading.Thread):
    """Samples the RSS of this process tree every ``interval`` seconds (the tree itself is listed again every
    ``rescan`` seconds) and keeps the largest value of each ``keep`` seconds."""

    def __init__(self, interval: float = 0.1, rescan: float = 1.0, keep: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.interval, self.rescan, self.keep = interval, rescan, keep
        self.t0 = time.perf_counter()
        self.samples: list[tuple[float, int, int]] = []  # (seconds, tree RSS, processes), one per ``keep`` s
        self.marks: list[dict[str, Any]] = []
        self._pids: list[int] = [os.getpid()]
        self._scanned = -rescan
        self._halt = threading.Event()

    def sample(self) -> tuple[float, int, int]:
        now = time.perf_counter() - self.t0
        if now - self._scanned >= self.rescan:
            self._pids, self._scanned = _tree(os.getpid()), now
        return now, sum(_rss(p) for p in self._pids), len(self._pids)

    def run(self) -> None:
        best = (0.0, 0, 0)
        start = 0.0
        while not self._halt.wait(self.interval):
            s = self.sample()
            if s[1] >= best[1]:
                best = s
            if s[0] - start >= self.keep:
                self.samples.append(best)
                best, start = (0.0, 0, 0), s[0]

    def mark(self, event: str) -> None:
        s = self.sample()
        self.marks.append({"event": event, "at_s": round(s[0], 1), "tree_rss_mib": mib(s[1]), "tree_rss_bytes": s[1]})

    def phase_peaks(self) -> dict[str, float]:
        """Largest RSS (MiB) between consecutive marks, named ``{mark}→{next mark}``."""
        out: dict[str, float] = {}
        for a, b in zip(self.marks, self.marks[1:], strict=False):
            inside = [s[1] for s in self.samples if a["at_s"] <= s[0] <= b["at_s"]]
            peak = max([*inside, a["tree_rss_bytes"], b["tree_rss_bytes"]])
            out[f"{a['event']}→{b['event']}"] = mib(peak)
        return out

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def timeline(self, points: int = 40) -> list[list[float]]:
        """About ``points`` evenly spaced samples, each the largest RSS of its stretch: [seconds, MiB]."""
        if not self.samples:
            return []
        step = max(1, len(self.samples) // points)
        return [
            [round(part[-1][0], 1), mib(max(s[1] for s in part))]
            for part in (self.samples[i : i + step] for i in range(0, len(self.samples), step))
        ]


def mib(n: float) -> float:
    return round(n / 2**20, 1)


def maxrss() -> tuple[float, float]:
    """High-water RSS (MiB) of this process and of its largest waited-for child process."""
    return (
        mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024),
        mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024),
    )


def disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# -- main --------------------------------------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-gb", type=float, default=2.0, help="size of the generated CSV in GB (10^9 bytes)")
    ap.add_argument("--table", default="5-3", help="RS 2024 table whose rows are repeated (e.g. 5-3, 2-1)")
    ap.add_argument(
        "--same-programs",
        metavar="COLUMN",
        default=None,
        help="keep the 予算事業IDs and make copies distinct by suffixing this text column instead (e.g. 使途)",
    )
    ap.add_argument("--workers", type=int, default=2, help="Settings.workers (one unit is mapped in-process)")
    ap.add_argument("--tmp", type=Path, default=None, help="directory for the file and the store (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the generated file and store")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cbkg-big-", dir=args.tmp))
    sampler = Sampler()
    sampler.start()
    try:
        src = source_zip(args.table)
        csv_path = work / f"{args.table}_big.csv"
        t0 = time.perf_counter()
        gen = generate(src, csv_path, int(args.size_gb * 1e9), args.same_programs)
        gen_s = time.perf_counter() - t0
        sampler.mark("generated")
        store_dir = work / "store"
        settings = Settings(store=f"oxigraph:{store_dir}", base_iri=BASE, workers=args.workers)
        store = OxigraphStore(store_dir, base=BASE)

        def progress(event: str, res: object) -> None:
            sampler.mark(event)

        t1 = time.perf_counter()
        sampler.mark("load-start")
        report = pipeline.load([csv_path], store, settings, progress=progress)
        load_s = time.perf_counter() - t1
        sampler.mark("load-end")
        sampler.stop()
        own, children = maxrss()
        ru_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # the tree holds this process
        [res] = report.loaded or [None]
        during_load = [s for s in sampler.samples if s[0] >= t1 - sampler.t0]
        figures = {
            "command": "python " + " ".join(sys.argv),
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}",
            "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
            "table": src.name,
            "copies_are": f"the same programs, {args.same_programs} suffixed"
            if args.same_programs
            else f"new programs (予算事業ID + k × {PID_STEP:,})",
            "file_bytes": csv_path.stat().st_size,
            "rows": gen["rows"],
            "copies_of_the_table": gen["copies"],
            "generate_s": round(gen_s, 1),
            "refused": report.refused,
            "records": res.records if res else 0,
            "issues": dict(res.issues) if res else {},
            "triples_of_the_graph": (res.triples if res else 0),
            "declarations": res.declarations if res else 0,
            "triples_in_store": store.count(),
            "map_s": round(res.seconds, 1) if res else None,
            "load_s": round(load_s, 1),
            "rows_per_s": round(gen["rows"] / load_s),
            # the sampled tree RSS can miss a short peak; this process's own high-water mark cannot
            "peak_rss_tree_mib": mib(max([s[1] for s in during_load] + [ru_self])),
            "peak_rss_tree_sampled_mib": mib(max((s[1] for s in during_load), default=0)),
            "peak_rss_tree_at_s": round(max(during_load, key=lambda s: s[1])[0] - (t1 - sampler.t0), 1)
            if during_load
            else None,
            "max_processes": max((s[2] for s in during_load), default=0),
            "ru_maxrss_self_mib": own,
            "ru_maxrss_children_mib": children,
            "bounds": {
                "DEDUP_WINDOW": pipeline.DEDUP_WINDOW,
                "BULK_CHUNK": pipeline.BULK_CHUNK,
                "ROW_WINDOW": rs_csv.ROW_WINDOW,
            },
            "store_disk_mib": mib(disk(store_dir)),
            "marks": [{k: v for k, v in m.items() if k != "tree_rss_bytes"} for m in sampler.marks],
            "phase_peak_rss_mib": sampler.phase_peaks(),
            "timeline_s_mib": sampler.timeline(),
        }
    finally:
        if sampler.is_alive():
            sampler.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = re.sub(  # short lists on one line
        r"\[\s*([^\[\]{}]*?)\s*\]",
        lambda mt: "[" + re.sub(r",\s+", ", ", mt.group(1)) + "]",
        json.dumps(figures, ensure_ascii=False, indent=2),
    )
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
