"""Measure every bad-input class of ``docs/bad-input.md`` through the real ``cbkg load`` (not a test).

Each class is loaded by a fresh ``cbkg load`` process into a copy of a store holding the 13-table RS sample
(one mapping worker).  Printed per class, as a Markdown table: the exit code, the refusal or error lines (or the
load issues recorded), the store's triple count before and after, and the process's peak RSS (``wait4``)::

    .venv/bin/python -m tests.hardening.bad_input_table [--only SUBSTRING] > /tmp/table.md
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.oxistore import OxigraphStore
from tests.conftest import BASE, ROOT, RS_SAMPLE
from tests.hardening.test_bad_input import (
    AMOUNTS,
    CORPNOS,
    HOUJIN,
    S12,
    S13,
    S15,
    S21,
    S53,
    S61,
    ZIP61,
    csv_text,
    programs,
    read_csv,
    zip_of,
)
from tests.hardening.test_load_integrity import _cp932_named_zip, _patched_zip

CBKG = [sys.executable, "-c", "from api.cli import main; main()"]
MEASURED = [
    sys.executable,
    "-c",
    "import atexit, os\n"
    "def hwm():\n"
    "    kb = [ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM')][0]\n"
    "    open(os.environ['CENSUS_HWM'], 'w').write(kb)\n"
    "atexit.register(hwm)\n"
    "from api.cli import main; main()",
]
"""``cbkg`` writing its peak RSS (``VmHWM``: this process only, reset by exec) to ``$CENSUS_HWM`` on exit."""
JUDGIT = ROOT / "data" / "judgit" / "2019" / "文部科学省" / "0150.json"
LAW = ROOT / "data" / "laws" / "426AC1000000104.json"
CBKG_NS = "https://w3id.org/cbkg/ontology#"


@dataclass
class Case:
    """One class of bad input: how to build it (returns the paths to load) and how to run it."""

    name: str
    build: Callable[[Path], list[Path]]
    env: dict[str, str] = field(default_factory=dict)
    special: str = ""  # "", "concurrent", "overwrite", "kill", "locked", "enospc", "tmpdir"
    fresh: bool = False
    """Start from a store holding only the 1-5 sample (else: the 13-table RS sample)."""


def w(path: Path, data: str | bytes, encoding: str = "utf-8-sig") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def text61() -> str:
    return S61.read_text(encoding="utf-8-sig")


def lines61(extra: list[str], at: int) -> str:
    lines = text61().split("\n")
    lines[at - 1 : at - 1] = extra
    return "\n".join(lines)


def header_variant(sample: Path, change: Callable[[list[str]], list[str]]) -> str:
    rows = read_csv(sample)
    return csv_text([change(list(rows[0])), *rows[1:]])


def renamed(h: list[str]) -> list[str]:
    return [("執行率(%)" if c == "執行率" else c) for c in h]


def cases() -> list[Case]:
    c: list[Case] = []

    def add(name: str, build: Callable[[Path], list[Path]], **kw: object) -> None:
        c.append(Case(name, build, **kw))  # type: ignore[arg-type]

    # archives and files
    def truncated(d: Path) -> list[Path]:
        data = ZIP61.read_bytes()
        return [w(d / "6-1.zip", data[: len(data) // 2]), S15]

    add("Truncated ZIP (cut at 50 %)", truncated)

    def damaged(d: Path) -> list[Path]:
        b = bytearray(ZIP61.read_bytes())
        b[200:240] = b"\xff" * 40
        return [w(d / "6-1.zip", bytes(b)), S15]

    add("ZIP with a damaged member (40 bytes overwritten)", damaged)
    add("ZIP without a CSV", lambda d: [zip_of(d / "x.zip", {"a.txt": b"hello", "dir/": b""}), S15])
    add("ZIP whose CSV is not an RS table", lambda d: [zip_of(d / "x.zip", {"a.csv": b"a,b\n1,2\n"})])
    add("Empty file (0 bytes)", lambda d: [w(d / "6-1.csv", b""), S15])
    add("Directory with an unrelated notes.csv", lambda d: [w(d / "in" / "notes.csv", "a,b\n1,2\n"), S61])

    def extras(d: Path) -> list[Path]:
        w(d / "in" / "README.md", "# notes")
        w(d / "in" / ".hidden.csv", text61())
        w(d / "in" / "6-1.csv", text61())
        w(d / "in" / "sub" / "6-1-copy.csv", text61())
        return [d / "in"]

    add("Directory extras: README, hidden file, two files of one graph", extras)
    # encodings
    add(
        "RS CSV in CP932 (in a ZIP)",
        lambda d: [zip_of(d / "6-1.zip", {"6-1.csv": text61().encode("cp932", errors="replace")})],
    )
    add("No BOM", lambda d: [w(d / "6-1.csv", text61(), "utf-8")])
    add("BOM twice", lambda d: [w(d / "6-1.csv", b"\xef\xbb\xbf" * 2 + text61().encode())])
    add("UTF-16 LE with BOM", lambda d: [w(d / "6-1.csv", text61(), "utf-16"), S15])

    def late_bad(d: Path) -> list[Path]:
        data = S12.read_bytes()
        cut = data.index(b"\n", 70_000) + 5
        return [w(d / "1-2.csv", data[:cut] + b"\xff" + data[cut:]), S15]

    add("Invalid UTF-8 byte after 64 KiB", late_bad)
    # header drift
    add("Renamed column (執行率 → 執行率(%))", lambda d: [w(d / "2-1.csv", header_variant(S21, renamed))])

    def missing(d: Path) -> list[Path]:
        rows = read_csv(S21)
        i = rows[0].index("執行率")
        return [w(d / "2-1.csv", csv_text([r[:i] + r[i + 1 :] for r in rows]))]

    add("Missing optional column", missing)
    add(
        "Missing required column (予算事業ID → 事業ID)",
        lambda d: [
            w(d / "6-1.csv", header_variant(S61, lambda h: [("事業ID" if x == "予算事業ID" else x) for x in h])),
            S15,
        ],
    )

    def extra_col(d: Path) -> list[Path]:
        rows = read_csv(S21)
        return [w(d / "2-1.csv", csv_text([rows[0] + ["追加列"]] + [[*r, "x"] for r in rows[1:]]))]

    add("Extra column", extra_col)

    def repeated(d: Path) -> list[Path]:
        rows = read_csv(S21)
        return [
            w(d / "2-1.csv", csv_text([rows[0] + ["執行率"]] + [[*r, r[rows[0].index("執行率")]] for r in rows[1:]]))
        ]

    add("Repeated header column", repeated)
    add(
        "Full-width header (ＩＤ)",
        lambda d: [w(d / "6-1.csv", header_variant(S61, lambda h: [x.replace("ID", "ＩＤ") for x in h]))],
    )
    add(
        "Header matching no RS table",
        lambda d: [w(d / "x.csv", "シート種別,事業年度,予算事業ID,事業名,foo\nレビューシート,2024,1,a,b\n"), S15],
    )
    # CSV structure
    add(
        "Quote never closed until the end",
        lambda d: [w(d / "6-1.csv", text61() + 'レビューシート,2024,99999,"never closed,1\n')],
    )
    add("Quote not closed mid-file", lambda d: [w(d / "6-1.csv", lines61(['レビューシート,2024,99999,"open'], 3))])

    def open20(d: Path) -> list[Path]:
        return [w(d / "6-1.csv", text61() + 'レビューシート,2024,99999,"' + ("x" * 99 + "\n") * 200_000), S15]

    add("A quote left open over 20 MB", open20)

    def wrong_count(d: Path) -> list[Path]:
        rows = read_csv(S61)
        rows[2] = rows[2] + ["extra"]
        rows[3] = rows[3][:5]
        return [w(d / "6-1.csv", csv_text(rows))]

    add("Rows with too many / too few fields", wrong_count)
    add("Header-only file", lambda d: [w(d / "6-1.csv", text61().split("\n")[0] + "\r\n\r\n")])
    add("Two blank lines between rows", lambda d: [w(d / "6-1.csv", lines61(["", ""], 5))])

    def dups(d: Path) -> list[Path]:
        rows = read_csv(S61)
        return [w(d / "6-1.csv", csv_text([*rows[:9], rows[8], *rows[9:]]))]

    add("Duplicate row (6-1)", dups)
    add(
        "Line breaks inside quoted fields (CRLF, LF, CR)",
        lambda d: [w(d / "6-1.csv", csv_text(programs(S61, {"備考": ["a\r\nb", "a\nb", "a\rb"]})))],
    )
    add(
        "Control characters in text",
        lambda d: [w(d / "6-1.csv", csv_text(programs(S61, {"備考": ["前\x07後", "NUL\x00here"]})))],
    )
    add("HTML in text", lambda d: [w(d / "6-1.csv", csv_text(programs(S61, {"備考": ["<script>alert(1)</script>"]})))])
    # values
    add(
        "Amounts (huge, negative, ▲, non-numeric)",
        lambda d: [w(d / "5-3.csv", csv_text(programs(S53, {"金額": [a[0] for a in AMOUNTS]})))],
    )
    add(
        "Bad 法人番号",
        lambda d: [
            w(
                d / "5-3.csv",
                csv_text(
                    programs(
                        S53,
                        {"法人番号": [x[0] for x in CORPNOS], "支出先名": [f"支出先{n}" for n in range(len(CORPNOS))]},
                    )
                ),
            )
        ],
    )
    add(
        "Unknown / malformed 法令ID",
        lambda d: [w(d / "1-3.csv", csv_text(programs(S13, {"法令ID": ["999AC0000000999", "ABC"]})))],
    )
    # issue 13: data loss or silent corruption
    add("Two `cbkg load` at once on one store", lambda d: [S61, S53], special="concurrent", fresh=True)
    add("CSV overwritten in place during the load", lambda d: [big53(d)], special="overwrite")
    add(
        "IDs in other scripts (１２, ١٣, 𝟗𝟔, ⑨⑧, ⁹⁹)",
        lambda d: [w(d / "1-2.csv", csv_text(programs(S12, {"予算事業ID": ["１２", "١٣", "𝟗𝟔", "⑨⑧", "⁹⁹"]})))],
    )

    def conflict(d: Path) -> list[Path]:
        rows = programs(S12, {"事業名": ["情報セキュリティ対策事業", "別の名前の事業"]})
        rows[2][rows[0].index("予算事業ID")] = rows[1][rows[0].index("予算事業ID")]
        rows[2][rows[0].index("事業の目的")] = "別の行"
        return [w(d / "1-2.csv", csv_text(rows))]

    add("One 予算事業ID with two 事業名 in one file", conflict)
    add(
        "Mixed 事業年度 (first row 2022, the rest 2021)",
        lambda d: [w(d / "1-2.csv", csv_text(programs(S12, {"事業年度": ["2022", "2021", "2021"]})))],
    )
    add(
        "CP932 ZIP member name without the UTF-8 flag",
        lambda d: [_cp932_named_zip(d / "6-1.zip", "6-1_RS_2024_その他備考.csv", S61.read_bytes())],
        fresh=True,
    )
    # bounded work
    header = text61().split("\n")[0]
    add("ZIP of blank lines (1 MB ZIP, 1 GB of CRLF)", lambda d: [bomb(d, header)])
    add("CSV of 1,000,000 blank lines (2 MB)", lambda d: [w(d / "6-1.csv", text61() + "\r\n" * 1_000_000)])
    add("A 1 GiB quoted cell on one line", lambda d: [gib_cell(d)])

    def links(d: Path) -> list[Path]:
        f = w(d / "in" / "6-1.csv", text61())
        (d / "in" / "etc").symlink_to("/etc")
        (d / "in" / "loop").symlink_to(d / "in")
        return [d / "in", f, d / "in"]

    add("Symlinks: etc -> /etc, a loop, the same file named twice", links)
    # tracebacks
    add("Encrypted ZIP member", lambda d: [_patched_zip(d / "enc.zip", flags=0x1), S15])
    add("ZIP member compressed with Deflate64 (method 9)", lambda d: [_patched_zip(d / "d64.zip", method=9), S15])
    deep = "[" * 30_000 + "]" * 30_000
    add(
        "JUDGIT! JSON nested 30,000 deep",
        lambda d: [
            w(d / "deep.json", JUDGIT.read_text(encoding="utf-8").rstrip()[:-1] + f', "deep": {deep}}}', "utf-8"),
            S15,
        ],
    )
    add("Law XML nested 20,000 deep", lambda d: [law_xml(d), S15])
    add("ENOSPC in the store (8 MiB tmpfs)", lambda d: [RS_SAMPLE], special="enospc")
    add("TMPDIR full", lambda d: [S61], special="tmpdir", fresh=True)
    add("CR-only line ends", lambda d: [w(d / "6-1.csv", text61().replace("\r\n", "\n").replace("\n", "\r"))])
    add("`kill -9` during a load, then the next load", lambda d: [big53(d)], special="kill")
    add("Store locked by another writer (`--wait 2`)", lambda d: [S61], special="locked")
    add("NTA 法人番号 file in CP932", lambda d: [HOUJIN / "num_0_ver4_c2.csv"])
    return c


def big53(d: Path, copies: int = 60) -> Path:
    rows = read_csv(S53)
    return w(d / "5-3.csv", csv_text([rows[0]] + rows[1:] * copies))


def bomb(d: Path, header: str) -> Path:
    p = d / "bomb.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf, zf.open("6-1.csv", "w") as fh:
        fh.write((header + "\r\n").encode("utf-8-sig"))
        chunk = b"\r\n" * (1 << 20)
        for _ in range(512):
            fh.write(chunk)
    return p


def gib_cell(d: Path) -> Path:
    p = d / "6-1.csv"
    row = read_csv(S61)[1]
    with p.open("wb") as fh:
        fh.write(text61().encode("utf-8-sig"))
        fh.write((",".join(row[:-1]) + ',"').encode())
        chunk = b"x" * (1 << 20)
        for _ in range(1024):
            fh.write(chunk)
        fh.write(b'"\r\n')
    return p


def law_xml(d: Path) -> Path:
    body = "<Paragraph>" * 20_000 + "x" + "</Paragraph>" * 20_000
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Law Era="Heisei" Year="26" Num="104" LawType="Act" Lang="ja">'
        "<LawNum>平成二十六年法律第百四号</LawNum><LawBody><LawTitle>サイバーセキュリティ基本法</LawTitle>"
        f"<MainProvision>{body}</MainProvision></LawBody></Law>"
    )
    return w(d / "deep-law.xml", xml, "utf-8")


# -- running ------------------------------------------------------------------------------------------------------
def env_for(store: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "CBKG_STORE": f"oxigraph:{store}",
        "CBKG_BASE_IRI": BASE,
        "CBKG_WORKERS": "1",
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "400",
        **(extra or {}),
    }


def start(store: Path, args: list[str], out: Path, extra: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A measured ``cbkg`` process; its output goes to ``out.out`` / ``out.err``, its peak RSS to ``out.hwm``."""
    out.with_suffix(".hwm").unlink(missing_ok=True)
    return subprocess.Popen(
        [*MEASURED, *args],
        cwd=out.parent,
        env={**env_for(store, extra), "CENSUS_HWM": str(out.with_suffix(".hwm"))},
        stdout=(out.with_suffix(".out")).open("wb"),
        stderr=(out.with_suffix(".err")).open("wb"),
    )


def reap(proc: subprocess.Popen[bytes], out: Path) -> tuple[int, int | None]:
    """Exit code and peak RSS (MiB; None when killed) of a finished :func:`start` process."""
    rc = proc.wait()
    hwm = out.with_suffix(".hwm")
    return rc, int(hwm.read_text()) // 1024 if hwm.exists() else None


def summary(out: Path) -> list[str]:
    """The last line ``cbkg load`` printed (``N loaded, M unchanged, K refused …``)."""
    lines = [ln for ln in out.with_suffix(".out").read_text(errors="replace").splitlines() if " loaded, " in ln]
    return [ln.split(" in ")[0] for ln in lines[-1:]]


def count(store: Path) -> int:
    try:
        return OxigraphStore(store, base=BASE, read_only=True).count()
    except Exception:
        return 0


def messages(err: Path) -> list[str]:
    out = []
    for line in err.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(("refused:", "error:", "waiting")) or "Traceback" in line:
            out.append(line.replace(str(err.parent), "…"))
    return out


def issue_summary(store: Path, before: dict[str, tuple[str, ...]]) -> list[str]:
    st = OxigraphStore(store, base=BASE, read_only=True)
    res = st.select(
        f"""PREFIX cbkg: <{CBKG_NS}> SELECT ?g ?code ?sev ?why WHERE {{ GRAPH ?g {{ ?i a cbkg:LoadIssue ;
        cbkg:issueCode ?code ; cbkg:severity ?sev ; <http://www.w3.org/2000/01/rdf-schema#comment> ?why }} }}"""
    )
    counts: Counter[tuple[str, str, str]] = Counter()
    first: dict[tuple[str, str, str], str] = {}
    for r in res:
        g = str(r["g"]).removeprefix(BASE + "graph/")
        key = (g, str(r["code"]).rsplit("/", 1)[1], str(r["sev"]).rsplit("/", 1)[1])
        if (key[1], r["why"].lex) in before.get(g, ()):  # type: ignore[union-attr]
            continue
        counts[key] += 1
        first.setdefault(key, r["why"].lex)  # type: ignore[union-attr]
    return [f"{g}: `{code}` {sev} ×{n}: {first[(g, code, sev)][:140]}" for (g, code, sev), n in sorted(counts.items())]


def baseline_issues(store: Path) -> dict[str, tuple[str, ...]]:
    st = OxigraphStore(store, base=BASE, read_only=True)
    res = st.select(
        f"""PREFIX cbkg: <{CBKG_NS}> SELECT ?g ?code ?why WHERE {{ GRAPH ?g {{ ?i a cbkg:LoadIssue ;
        cbkg:issueCode ?code ; <http://www.w3.org/2000/01/rdf-schema#comment> ?why }} }}"""
    )
    out: dict[str, list[tuple[str, str]]] = {}
    for r in res:
        out.setdefault(str(r["g"]).removeprefix(BASE + "graph/"), []).append(
            (str(r["code"]).rsplit("/", 1)[1], r["why"].lex)  # type: ignore[union-attr]
        )
    return {g: tuple(v) for g, v in out.items()}  # type: ignore[misc]


def _scratch_files(store: Path) -> int:
    return sum(1 for _ in (store / "scratch").rglob("*")) if (store / "scratch").exists() else 0


def run_case(case: Case, base_store: Path, fresh_store: Path, work: Path) -> dict[str, object]:
    """Load one class into a copy of the baseline store and measure it."""
    d = work / "case"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir()
    store = d / "store"
    mnt: Path | None = None
    extra = dict(case.env)
    if case.special in ("enospc", "tmpdir"):
        mnt = d / "tmpfs"
        mnt.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mnt)], check=True)
        if case.special == "enospc":
            store = mnt / "store"
            subprocess.run([*CBKG, "load", str(S61)], env=env_for(store), cwd=d, capture_output=True, check=True)
        else:
            with (mnt / "fill").open("wb") as fh:
                try:
                    while True:
                        fh.write(b"\0" * (1 << 16))
                        fh.flush()
                except OSError:
                    pass
            extra["TMPDIR"] = str(mnt)
    if case.special != "enospc":
        shutil.copytree(fresh_store if case.fresh else base_store, store, symlinks=True)
    try:
        paths = case.build(d)
        before = count(store)
        base_issues = baseline_issues(store)
        out = d / "load"
        args = ["load", *map(str, paths)]
        rss: list[int | None] = []
        codes: list[int] = []
        msgs: list[str] = []
        if case.special == "concurrent":
            procs = [
                (start(store, ["load", str(path)], d / name), d / name) for path, name in zip(paths, "ab", strict=True)
            ]
            for proc, o in procs:
                rc, m = reap(proc, o)
                codes.append(rc)
                rss.append(m)
                msgs += messages(o.with_suffix(".err")) + summary(o)
            keys = sorted(g.removeprefix(BASE + "graph/") for g in OxigraphStore(store, read_only=True).graphs())
            msgs.append("source graphs after: " + ", ".join(k for k in keys if k.startswith("rs/")))
        elif case.special == "locked":
            holder = OxigraphStore(store, base=BASE)
            with holder.write_lock():
                proc = start(store, ["load", "--wait", "2", *map(str, paths)], out)
                rc, m = reap(proc, out)
            codes, rss, msgs = [rc], [m], messages(out.with_suffix(".err"))
        elif case.special == "overwrite":
            original = paths[0].read_bytes()
            proc = start(store, args, out)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not any((store / "scratch").rglob("*.data.nt")):
                time.sleep(0.01)  # mapping has begun
            with paths[0].open("r+b") as fh:  # overwritten in place, cut after a line
                fh.truncate(original.rindex(b"\n", 0, len(original) // 3) + 1)
            rc, m = reap(proc, out)
            codes, rss, msgs = [rc], [m], messages(out.with_suffix(".err")) + summary(out)
            paths[0].write_bytes(original)
            again = d / "again"
            rc2, m2 = reap(start(store, args, again), again)
            codes.append(rc2)
            rss.append(m2)
            msgs += [f"then the whole file again: {' '.join(summary(again))}"]
        elif case.special == "kill":
            current = (store / "CURRENT").read_text().strip()
            proc = start(store, args, out)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not [p for p in store.glob("gen-*") if p.name > current]:
                time.sleep(0.02)
            time.sleep(0.3)
            os.kill(proc.pid, signal.SIGKILL)
            rc, m = reap(proc, out)
            left = sorted(p.name for p in store.glob("gen-*") if p.name > current)
            scratch = _scratch_files(store)
            nxt = d / "next"
            rc2, m2 = reap(start(store, ["load", str(S15)], nxt), nxt)
            now = (store / "CURRENT").read_text().strip()
            left2 = sorted(p.name for p in store.glob("gen-*") if p.name > now)
            codes, rss = [rc, rc2], [m, m2]
            msgs = [
                f"killed: it left the unpublished {', '.join(left)} and {scratch} scratch files; the next load "
                f"(exit {rc2}, {' '.join(summary(nxt))}) removed them: unpublished generations left: {left2 or 'none'}, "
                f"scratch files left: {_scratch_files(store)}"
            ]
        else:
            proc = start(store, args, out, extra)
            rc, m = reap(proc, out)
            codes, rss, msgs = [rc], [m], messages(out.with_suffix(".err")) + summary(out)
        after = count(store)
        issues = issue_summary(store, base_issues) if after else []
        tb = any("Traceback" in p.read_text(errors="replace") for p in d.glob("*.err"))
        return {"codes": codes, "msgs": msgs, "issues": issues, "before": before, "after": after, "rss": rss, "tb": tb}
    finally:
        if mnt is not None:
            subprocess.run(["umount", "-l", str(mnt)], check=False)


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cbkg-census-") as tmp:
        work = Path(tmp)
        base, fresh = work / "base", work / "fresh"
        subprocess.run([*CBKG, "load", str(RS_SAMPLE)], env=env_for(base), cwd=work, capture_output=True, check=True)
        subprocess.run([*CBKG, "load", str(S15)], env=env_for(fresh), cwd=work, capture_output=True, check=True)
        print(
            "| input | exit | message (refusals, errors; else the load issues recorded) | triples before → after | peak RSS |"
        )
        print("|---|---|---|---|---|")
        for case in cases():
            if args.only and args.only not in case.name:
                continue
            t0 = time.perf_counter()
            r = run_case(case, base, fresh, work)
            msg = "<br>".join(cell(m) for m in [*r["msgs"], *r["issues"]][:7]) or "(no issue)"  # type: ignore[misc]
            if r["tb"]:
                msg = "**TRACEBACK** " + msg
            codes = ", ".join(map(str, r["codes"]))  # type: ignore[call-overload]
            rss = ", ".join("killed" if m is None else f"{m} MiB" for m in r["rss"])  # type: ignore[attr-defined]
            print(f"| {cell(case.name)} | {codes} | {msg} | {r['before']:,} → {r['after']:,} | {rss} |", flush=True)
            print(f"{case.name}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
