"""Benchmark: latency of every example query (api/examples/*.rq) and every canned query of the pages and the REST
API (api/queries.py) on the on-disk store, side by side with an in-memory pyoxigraph store loaded from the same
N-Triples snapshot files, in one run.

    python bench/queries.py --store /tmp/full/store [--runs 20] [--only 02,PROGRAM_SHEETS] [--no-memory]
                            [--no-canned] [--baseline DIR] [--explain] [--stats] [--json OUT]
                            [--write-answers DIR] [--check DIR]

For each query the two stores take turns (disk, memory, disk, memory …) after one untimed warm-up run each,
so a busy machine slows both alike.  Reported per store: p50, p99 (nearest rank; with 20 runs it is the
slowest run), first (the warm-up run) and rows.  Every query's answer on the memory store is compared with the
disk store's (``SelectResult.canonical``).

Canned queries are the module-level SPARQL constants of ``api.queries`` filled with real identifiers (program
47, sheet 2024/20950, article 16 of サイバーセキュリティ基本法, payee 8000020130001, ministry soumu …), plus the
read-model functions that compose them (``page:…``: one page or REST answer, all its queries).

``--explain`` prints Oxigraph's plan of each query.  pyoxigraph 0.5 has no explain API (``Store.query`` takes
no such option); the ``oxigraph`` CLI of the same version (the ``[test]`` extra) does: ``oxigraph query
--location DB --union-default-graph --explain`` on the published generation's RocksDB directory, which it opens
read-only.  ``--stats`` adds per-node row counts and durations (the CLI runs the query once more for that).

``--write-answers DIR`` writes the examples' answers as canonical CSV (``NN-name.csv``: variables of
``SelectResult.canonical`` as header, its sorted rows); ``--check DIR`` compares with such files.
``--baseline DIR`` runs earlier versions of examples (``tests/api/examples_before/``) in the same run, just
before the current ones, so before/after ratios are measured under the same load.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api import queries as q  # noqa: E402
from graph.oxistore import OxigraphStore  # noqa: E402
from graph.prepared import FileTemplate, Template, prepare  # noqa: E402
from graph.store import SelectResult, Store  # noqa: E402
from ontology.iri import Minter  # noqa: E402
from ontology.terms import IRI, gyear  # noqa: E402

EXAMPLES = sorted((ROOT / "api" / "examples").glob("*.rq"))
BASE = "https://w3id.org/cbkg/"
OXIGRAPH_CLI = ROOT / ".venv" / "bin" / "oxigraph"
BEFORE = " (before)"
"""Suffix of the name of an example's earlier version (``--baseline``)."""
NONDETERMINISTIC = {
    "LAWS": "LIMIT 200 over ties of the count: which tied laws make the cut depends on the plan",
    "DESCRIBE_IN(org/soumu)": "a page of inbound triples without ORDER BY (by design: index order)",
    "page:laws": "LAWS",
    "page:quality": "SAMPLE() picks any example",
    "page:describe(org/soumu)": "DESCRIBE_IN",
}
"""Queries whose answers may differ between two stores holding the same data (not counted as mismatches)."""


# ------------------------------------------------------------------------------------------------ answers
def answer_csv(res: SelectResult) -> str:
    """An answer as canonical CSV: header of the compared variables, then the sorted canonical rows."""
    rows = res.canonical()
    header = [v for v in res.variables if v != "loadedAt"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([value for _, value in row])
    return buf.getvalue()


def read_answer(path: Path) -> list[tuple[tuple[str, str], ...]]:
    """A canonical CSV written by :func:`answer_csv`, as ``SelectResult.canonical()`` rows."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return sorted(tuple(zip(header, row, strict=True)) for row in reader)


# ------------------------------------------------------------------------------------------------ queries
Query = tuple[str, str]  # (name, SPARQL text)


def examples() -> list[Query]:
    return [(p.stem, p.read_text(encoding="utf-8")) for p in EXAMPLES]


def canned(store: Store) -> tuple[list[Query], list[tuple[str, Callable[[Store], Any]]]]:
    """The canned queries of api/queries.py with real parameters (picked on ``store``), and the read-model
    functions that compose them."""
    m = Minter(BASE)
    P = q.P

    def fill(t: Template | str, **params: object) -> str:
        return P + (prepare(t, **params) if isinstance(t, Template) else t)

    def first(t: Template, var: str, **params: object) -> str:
        rows = store.select(fill(t, **params)).rows
        return str(rows[0][var]) if rows and var in rows[0] else ""

    sheet = m.sheet(2024, "20950")
    law = m.law(q.CS_BASIC_LAW)
    unit = first(q.PROGRAM_SHEETS, "unit", program=m.program("20950"))
    version = first(q.LAW_VERSIONS, "v", law=law)
    article16 = next(
        (str(r["a"]) for r in store.select(fill(q.LAW_ARTICLES, version=IRI(version))).rows if r["n"].lex == "16"),
        "",
    )
    cited = sorted({str(r["sheet"]) for r in store.select(fill(q.ARTICLE_CITATIONS, law=law, number="16")).rows})
    payee = m.corporation("8000020130001")
    big_payee = m.corporation("7010001008844")
    org = m.org("soumu")
    out: list[Query] = [
        ("PROGRAM_SHEETS(47)", fill(q.PROGRAM_SHEETS, program=m.program("47"))),
        ("PROGRAM_LABEL(47)", fill(q.PROGRAM_LABEL, program=m.program("47"))),
        ("UNIT_PATH", fill(q.UNIT_PATH, unit=IRI(unit))),
        ("BUDGETS(2024/20950)", fill(q.BUDGETS, sheet=sheet, total=q.TOTAL)),
        ("LEGAL_BASIS(2024/20950)", fill(q.LEGAL_BASIS, sheet=sheet)),
        ("PLANS(2024/20950)", fill(q.PLANS, sheet=sheet)),
        ("PAYEES_OF_SHEET(2024/20950)", fill(q.PAYEES_OF_SHEET, sheet=sheet)),
        ("PROVENANCE(2024/20950)", fill(q.PROVENANCE, sheet=sheet)),
        ("LAW_INFO", fill(q.LAW_INFO, law=law)),
        ("LAW_VERSIONS", fill(q.LAW_VERSIONS, law=law)),
        ("LAW_ARTICLES", fill(q.LAW_ARTICLES, version=IRI(version))),
        ("LAW_CITATIONS", fill(q.LAW_CITATIONS, law=law)),
        ("ARTICLE_TEXT(16)", fill(q.ARTICLE_TEXT, article=IRI(article16))),
        ("ARTICLE_CITATIONS(16)", fill(q.ARTICLE_CITATIONS, law=law, number="16")),
        (
            "CURRENT_BUDGETS(16)",
            fill(
                q.CURRENT_BUDGETS,
                sheets=[IRI(s) for s in cited],
                year=gyear(2024),
                total=q.TOTAL,
                current=q.CURRENT,
            ),
        ),
        ("PAYEE_NAMES", fill(q.PAYEE_NAMES, payee=payee)),
        ("PAYEE_PROGRAMS(8000020130001)", fill(q.PAYEE_PROGRAMS, payee=payee)),
        ("PAYEE_PROGRAMS(7010001008844)", fill(q.PAYEE_PROGRAMS, payee=big_payee)),
        ("MINISTRY(soumu)", fill(q.MINISTRY, org=org)),
        ("MINISTRY_UNITS(soumu)", fill(q.MINISTRY_UNITS, org=org)),
        ("LAWS", fill(q.LAWS)),
        ("DESCRIBE_OUT(org/soumu)", fill(q.DESCRIBE_OUT, iri=org, limit=q.OUTBOUND_LIMIT + 1)),
        ("DESCRIBE_IN(org/soumu)", fill(q.DESCRIBE_IN, iri=org, offset=0, limit=q.INBOUND_PAGE_SIZE + 1)),
    ]
    # Every query file without parameters, as it is (those with parameters are the named ones above or run
    # through the read-model functions below).
    for package in ("api", "graph"):
        for path in sorted((ROOT / package / "rq").glob("*.rq")):
            t = FileTemplate(package, path.stem, P)
            body = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and ln[0] != "#"]
            if not t.names and body and body[0].lstrip().upper().startswith("SELECT"):
                out.append((f"rq:{package}/{path.stem}", prepare(t)))
    # The read-model functions (one page / REST answer each); the catalogue is what search and the ministry
    # page read, rebuilt once per generation.
    cat_holder: dict[str, q.Catalogue] = {}

    def catalogue(s: Store) -> q.Catalogue:
        c = q.Catalogue(s, m)
        cat_holder["c"] = c
        return c.entries()  # type: ignore[return-value]

    pages: list[tuple[str, Callable[[Store], Any]]] = [
        ("page:program(47)", lambda s: q.program(s, m, "47")),
        ("page:program(20950)", lambda s: q.program(s, m, "20950")),
        ("page:law(cs-basic-law)", lambda s: q.law(s, m, q.CS_BASIC_LAW)),
        ("page:article(16)", lambda s: q.article(s, m, q.CS_BASIC_LAW, "16")),
        ("page:payee(8000020130001)", lambda s: q.payee(s, m, "8000020130001")),
        ("page:payee(7010001008844)", lambda s: q.payee(s, m, "7010001008844")),
        ("page:ministries", q.ministries),
        ("page:laws", q.laws),
        ("page:quality", q.quality),
        ("page:describe(program/47)", lambda s: q.describe(s, str(m.program("47")))),
        ("page:describe(org/soumu)", lambda s: q.describe(s, str(org))),
        ("page:catalogue (built once per generation)", catalogue),
    ]
    return out, pages


# ------------------------------------------------------------------------------------------------ stores
def memory_copy(disk: OxigraphStore) -> tuple[OxigraphStore, float]:
    """An in-memory store with the live graphs of ``disk``, loaded from its N-Triples snapshot files."""
    t0 = time.perf_counter()
    mem = OxigraphStore(None, base=disk.base)
    mem.replace_graphs(dict(disk.graph_files()))
    return mem, time.perf_counter() - t0


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-pct * len(s) // 100)) - 1))
    return s[k]


def explain(store_path: Path, text: str, stats: bool) -> str:
    """Oxigraph's plan of ``text`` on the published generation of the store at ``store_path`` (oxigraph CLI),
    as an indented tree; with ``stats``, each node's rows and milliseconds."""
    gen = (store_path / "CURRENT").read_text().strip()
    with tempfile.TemporaryDirectory() as tmp:
        qf = Path(tmp) / "q.rq"
        qf.write_text(text, encoding="utf-8")
        ef = Path(tmp) / "plan.json"
        cmd = [
            str(OXIGRAPH_CLI),
            "query",
            "--location",
            str(store_path / gen / "db"),
            "--union-default-graph",
            "--query-file",
            str(qf),
            "--results-file",
            str(Path(tmp) / "out.csv"),
            "--explain-file",
            str(ef),
        ]
        if stats:
            cmd.append("--stats")
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if done.returncode:
            return f"(oxigraph CLI failed: {done.stderr.strip()[:500]})"
        plan = json.loads(ef.read_text(encoding="utf-8"))
    lines: list[str] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        figures = ""
        if "number of results" in node:
            figures = f"{node['duration in seconds'] * 1000:10.1f} ms {node['number of results']:>9} rows  "
        lines.append(f"    {figures}{'  ' * depth}{node['name']}")
        for child in node.get("children", []):
            walk(child, depth + 1)

    walk(plan["plan"], 0)
    return "\n".join(lines)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t0) * 1000, out


def summary(times: list[float], first: float) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p99_ms": round(percentile(times, 99), 1),
        "first_ms": round(first, 1),
    }


def normal(x: Any) -> Any:
    """A read-model result with every list sorted (the order of rows that tie is not part of the answer)."""
    if isinstance(x, dict):
        return sorted((str(k), normal(v)) for k, v in x.items())
    if isinstance(x, list | tuple | set):
        return sorted((normal(v) for v in x), key=repr)
    if hasattr(x, "__dict__"):
        return normal(vars(x))
    return repr(x)


def bench(stores: dict[str, Store], name: str, run: Callable[[Store], Any], runs: int, answer: bool) -> dict[str, Any]:
    firsts: dict[str, float] = {}
    results: dict[str, Any] = {}
    for k, s in stores.items():
        firsts[k], results[k] = timed(lambda s=s: run(s))
    times: dict[str, list[float]] = {k: [] for k in stores}
    for _ in range(runs):
        for k, s in stores.items():
            times[k].append(timed(lambda s=s: run(s))[0])
    row: dict[str, Any] = {"name": name}
    for k in stores:
        row[k] = summary(times[k], firsts[k])
        if answer:
            row[k]["rows"] = len(results[k])
    if answer and len(stores) > 1:
        base = next(iter(stores))
        row["same_answers"] = all(results[k].canonical() == results[base].canonical() for k in stores)
    elif len(stores) > 1:
        base = next(iter(stores))
        row["same_answers"] = all(normal(results[k]) == normal(results[base]) for k in stores)
    row["_result"] = results[next(iter(stores))]
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=Path(os.environ.get("CBKG_BENCH_STORE", "/tmp/full/store")))
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--only", help="comma-separated name prefixes (e.g. 01,02,PROGRAM_SHEETS,page:)")
    ap.add_argument("--no-memory", action="store_true", help="the on-disk store only")
    ap.add_argument("--no-canned", action="store_true", help="the examples only")
    ap.add_argument("--explain", action="store_true", help="print Oxigraph's plan of each query (oxigraph CLI)")
    ap.add_argument("--stats", action="store_true", help="with --explain: row counts and durations per node")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument(
        "--baseline",
        type=Path,
        help="a folder of earlier versions of some examples (same file names): each runs too, just before the "
        "current version, and is compared with the same answers",
    )
    ap.add_argument("--write-answers", type=Path, help="write the examples' canonical answers (CSV) here")
    ap.add_argument("--check", type=Path, help="compare the examples' answers with the CSV files here")
    args = ap.parse_args()
    if args.explain and not OXIGRAPH_CLI.exists():
        print(f"--explain needs the oxigraph CLI at {OXIGRAPH_CLI} (pip install -e '.[test]')", file=sys.stderr)
        return 2

    disk = OxigraphStore(args.store, base=BASE, read_only=True)
    stores: dict[str, Store] = {"disk": disk}
    load_s = None
    if not args.no_memory:
        mem, load_s = memory_copy(disk)
        stores["memory"] = mem
        print(f"memory store loaded from {len(disk.graph_files())} snapshot files in {load_s:.1f} s", flush=True)

    wanted = [w for w in (args.only or "").split(",") if w]

    def selected(name: str) -> bool:
        return not wanted or any(name.startswith(w) for w in wanted)

    todo: list[tuple[str, Callable[[Store], Any], bool, str | None]] = []
    before = {p.stem: p.read_text(encoding="utf-8") for p in sorted((args.baseline or Path("-")).glob("*.rq"))}
    for name, text in examples():
        if name in before:
            todo.append((name + BEFORE, lambda s, t=before[name]: s.select(t), True, before[name]))
        todo.append((name, lambda s, t=text: s.select(t), True, text))
    if not args.no_canned:
        cq, pages = canned(disk)
        for name, text in cq:
            todo.append((name, lambda s, t=text: s.select(t), True, text))
        for name, fn in pages:
            todo.append((name, fn, False, None))

    report: dict[str, Any] = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
        "load_average_start": os.getloadavg(),
        "store": str(args.store),
        "triples": disk.count(),
        "runs": args.runs,
        "memory_load_s": None if load_s is None else round(load_s, 1),
        "queries": [],
    }
    mismatches: list[str] = []
    kinds = list(stores)
    head = f"{'query':46s} " + " ".join(f"{k + ' p50':>11s} {k + ' p99':>11s}" for k in kinds) + "  rows  same"
    print(head, flush=True)
    for name, fn, is_query, text in todo:
        if not selected(name):
            continue
        try:
            row = bench(stores, name, fn, args.runs, is_query)
        except Exception as exc:  # one failing query (or read-model function) does not stop the run
            print(f"{name[:46]:46s} failed: {type(exc).__name__}: {str(exc)[:200]}", flush=True)
            report["queries"].append({"name": name, "error": f"{type(exc).__name__}: {exc}"})
            mismatches.append(name + " (error)")
            continue
        result = row.pop("_result")
        if is_query and name[:2].isdigit():
            stem = name.removesuffix(BEFORE)
            if args.write_answers and stem == name:
                args.write_answers.mkdir(parents=True, exist_ok=True)
                (args.write_answers / f"{stem}.csv").write_text(answer_csv(result), encoding="utf-8")
            if args.check:
                golden = args.check / f"{stem}.csv"
                row["matches_golden"] = golden.exists() and read_answer(golden) == result.canonical()
                if not row["matches_golden"]:
                    mismatches.append(name)
        if name in NONDETERMINISTIC and row.get("same_answers") is False:
            row["same_answers"] = None
            row["answers_may_differ"] = NONDETERMINISTIC[name]
        if row.get("same_answers") is False:
            mismatches.append(name + " (disk ≠ memory)")
        report["queries"].append(row)
        cells = " ".join(f"{row[k]['p50_ms']:11.1f} {row[k]['p99_ms']:11.1f}" for k in kinds)
        rows = row["disk"].get("rows", "")
        flag = {True: "yes", False: "NO", None: "n/a" if len(kinds) > 1 else ""}[row.get("same_answers")]
        if "matches_golden" in row:
            flag += " golden" if row["matches_golden"] else " GOLDEN-DIFF"
        print(f"{name[:46]:46s} {cells} {rows!s:>5} {flag}", flush=True)
        if args.explain and text is not None:
            print(explain(args.store, text, args.stats), flush=True)
    report["load_average_end"] = os.getloadavg()
    report["mismatches"] = mismatches
    print(f"load average: start {report['load_average_start']}, end {report['load_average_end']}")
    if mismatches:
        print("answers differ:", ", ".join(mismatches))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
