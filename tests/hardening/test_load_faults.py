"""Faults around a load (issue 13): two loads at once, a writer that ignores the lock, a load killed with
``kill -9``, a full disk under the store or under TMPDIR, inputs that used to end in a traceback.

The loads run as real ``cbkg load`` processes on an on-disk store in ``tmp_path``; a full disk is a real tmpfs
(mounted when the tests run as root, else those tests skip with the reason).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.oxistore import OxigraphStore, StaleBase
from tests.conftest import BASE, ROOT
from tests.hardening.test_bad_input import S15, S53, S61, csv_text, read_csv, write
from tests.hardening.test_load_integrity import _patched_zip

CBKG = [sys.executable, "-c", "from api.cli import main; main()"]
JUDGIT = ROOT / "data" / "judgit" / "2019" / "文部科学省" / "0150.json"
LAW = ROOT / "data" / "laws" / "426AC1000000104.json"


def cbkg(store: Path, *args: str, tmpdir: Path | None = None, wait: bool = True) -> subprocess.Popen[str]:
    """A real ``cbkg`` process on ``store`` (one mapping worker; run from ``tmp`` so no ``.env`` applies)."""
    env = {
        **os.environ,
        "CBKG_STORE": f"oxigraph:{store}",
        "CBKG_BASE_IRI": BASE,
        "CBKG_WORKERS": "1",
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "300",
    }
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)
    return subprocess.Popen(
        [*CBKG, *args], cwd=store.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def run(store: Path, *args: str, tmpdir: Path | None = None, timeout: float = 120) -> tuple[int, str, str]:
    proc = cbkg(store, *args, tmpdir=tmpdir)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def graph_keys(store: Path) -> list[str]:
    st = OxigraphStore(store, base=BASE, read_only=True)
    return sorted(g.removeprefix(BASE + "graph/") for g in st.graphs() if "/graph/rs/" in g)


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and 'File "' not in err, err


# -- two writers ---------------------------------------------------------------------------------------------------
def test_two_loads_started_together_both_keep_their_graphs(tmp_path: Path) -> None:
    # regression: both exited 0 and printed success, but only one load's graphs survived
    store = tmp_path / "store"
    run(store, "load", str(S15))  # the store exists: both loads below copy the same base generation
    a = cbkg(store, "load", str(S61))
    b = cbkg(store, "load", str(write(tmp_path / "in" / "5-3.csv", S53.read_text(encoding="utf-8-sig"))))
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in (a, b)]
    assert [rc for rc, _ in results] == [0, 0], results
    assert graph_keys(store) == ["rs/2024/1-5", "rs/2024/5-3", "rs/2024/6-1"]


def test_a_load_waits_for_the_store_lock_with_a_message_and_then_loads(tmp_path: Path) -> None:
    store = tmp_path / "store"
    holder = OxigraphStore(store, base=BASE)
    with holder.write_lock():
        proc = cbkg(store, "load", str(S61))
        deadline = time.monotonic() + 60
        assert proc.stderr is not None
        line = proc.stderr.readline()
        while "waiting" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline()
        assert f"waiting for the store {store} (locked by pid {os.getpid()}, another load or update)" in line
        assert proc.poll() is None  # still waiting while the lock is held
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert graph_keys(store) == ["rs/2024/6-1"]


def test_a_load_gives_up_after_the_lock_timeout_and_changes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    holder = OxigraphStore(store, base=BASE)
    before = holder.generation
    with holder.write_lock():
        rc, _out, err = run(store, "load", "--wait", "1", str(S61))
    assert rc == 2
    assert (
        f"is locked by pid {os.getpid()} (another load or update) and stayed locked for 1 s; nothing was changed" in err
    )
    no_traceback(err)
    assert OxigraphStore(store, base=BASE, read_only=True).generation == before


def test_readers_query_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    store = tmp_path / "store"
    run(store, "load", str(S61))
    writer = OxigraphStore(store, base=BASE)
    with writer.write_lock():
        t0 = time.monotonic()
        rc, out, err = run(store, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-f", "csv")
        assert rc == 0, err
        assert int(out.split()[-1]) > 0 and time.monotonic() - t0 < 60


def test_a_generation_built_from_a_stale_base_is_never_published(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store", base=BASE)
    a = write(tmp_path / "a.nt", '<urn:s> <urn:p> "a" .\n')
    store.replace_graphs({BASE + "graph/a": a})
    base = store.generation
    with pytest.raises(StaleBase, match="was changed by another writer during this transaction"):
        with store.transaction() as tx:
            tx.load_graph(BASE + "graph/b", write(tmp_path / "b.nt", '<urn:s> <urn:p> "b" .\n'))
            # a writer that ignores the lock publishes meanwhile (here: CURRENT rewritten to an older generation)
            (tmp_path / "store" / "CURRENT").write_text("gen-000001\n")
    assert (tmp_path / "store" / "CURRENT").read_text().strip() == "gen-000001"  # not replaced by the stale copy
    assert base != "gen-000001"
    assert sorted(p.name for p in (tmp_path / "store").glob("gen-*") if p.name > base) == []  # the copy is gone


# -- a killed load -------------------------------------------------------------------------------------------------
def test_a_load_killed_with_sigkill_leaves_nothing_once_the_store_is_opened_again(tmp_path: Path) -> None:
    # regression: an unpublished generation and a temporary folder were left forever
    store = tmp_path / "store"
    run(store, "load", str(S15))
    current = (store / "CURRENT").read_text().strip()
    rows = read_csv(S53)
    big = write(tmp_path / "in" / "5-3.csv", csv_text([rows[0]] + rows[1:] * 60))  # ~7 MB: mapped for seconds
    proc = cbkg(store, "load", str(big))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        started = [p for p in store.glob("gen-*") if p.name > current]
        if started and any((store / "scratch").rglob("*.nt")):
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert [p.name for p in store.glob("gen-*") if p.name > current]  # what the killed load left
    assert any((store / "scratch").iterdir())
    reopened = OxigraphStore(store, base=BASE)  # a writable open (as `cbkg load` does) cleans it
    assert [p.name for p in store.glob("gen-*") if p.name > current] == []
    assert not (store / "scratch").exists() or not any((store / "scratch").iterdir())
    assert reopened.generation == current
    assert graph_keys(store) == ["rs/2024/1-5"]


# -- full disks ----------------------------------------------------------------------------------------------------
@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 8 MiB tmpfs (needs root: skips otherwise)."""
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_full_disk_under_the_store_is_a_one_line_error_and_the_store_is_unchanged(tmpfs: Path) -> None:
    # regression: ENOSPC in the store ended in a traceback
    store = tmpfs / "store"
    rc, _, err = run(store, "load", str(S61))
    assert rc == 0, err
    before = ((store / "CURRENT").read_text(), graph_keys(store))
    rc, _out, err = run(store, "load", str(S61.parent))  # all 13 sample tables: more than the 8 MiB hold
    assert rc == 2
    (line,) = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert "No space left on device" in line and "nothing was published" in line
    no_traceback(err)
    assert ((store / "CURRENT").read_text(), graph_keys(store)) == before
    current = before[0].strip()
    assert [p.name for p in store.glob("gen-*") if p.name > current] == []  # no half-written generation left


def test_a_full_tmpdir_does_not_stop_a_load(tmp_path: Path, tmpfs: Path) -> None:
    # regression: a full TMPDIR ended in a traceback; the load's temporary files are now in the store's scratch
    with (tmpfs / "fill").open("wb") as fh:
        try:
            while True:
                fh.write(b"\0" * (1 << 16))
                fh.flush()
        except OSError:
            pass
    rc, _out, err = run(tmp_path / "store", "load", str(S61), str(S15), tmpdir=tmpfs)
    assert rc == 0, err
    no_traceback(err)
    assert graph_keys(tmp_path / "store") == ["rs/2024/1-5", "rs/2024/6-1"]


# -- inputs that ended in tracebacks -------------------------------------------------------------------------------
def test_archives_and_nesting_that_crashed_the_load_are_refused_by_name_in_one_line(tmp_path: Path) -> None:
    # regression: encrypted ZIP, Deflate64, JSON 30,000 deep, law XML 20,000 deep ended in tracebacks
    d = tmp_path / "in"
    d.mkdir()
    _patched_zip(d / "encrypted.zip", flags=0x1)
    _patched_zip(d / "deflate64.zip", method=9)
    deep = "[" * 30_000 + "]" * 30_000
    sheet = JUDGIT.read_text(encoding="utf-8").rstrip()
    write(d / "deep-judgit.json", sheet[:-1] + f', "deep": {deep}}}', "utf-8")
    law = LAW.read_text(encoding="utf-8").rstrip()
    write(d / "deep-law.json", law[:-1] + f', "deep": {deep}}}', "utf-8")
    body = "<Paragraph>" * 20_000 + "x" + "</Paragraph>" * 20_000
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Law Era="Heisei" Year="26" Num="104" LawType="Act" Lang="ja">'
        f"<LawNum>平成二十六年法律第百四号</LawNum><LawBody><LawTitle>サイバーセキュリティ基本法</LawTitle>"
        f"<MainProvision>{body}</MainProvision></LawBody></Law>"
    )
    write(d / "deep-law.xml", xml, "utf-8")
    write(d / "6-1.csv", S61.read_text(encoding="utf-8-sig"))
    rc, _out, err = run(tmp_path / "store", "load", str(d))
    assert rc == 1  # loaded, with refusals
    no_traceback(err)
    lines = [ln for ln in err.splitlines() if ln.startswith("refused:")]
    by_file = {ln.split(": ", 2)[1].rsplit("/", 1)[-1]: ln.split(": ", 2)[2] for ln in lines}
    assert by_file == {
        "deflate64.zip!6-1_RS_2024_その他備考.csv": "ZIP archive member compressed with method 9 (Deflate64), which "
        "cannot be read here; re-pack it with Deflate",
        "encrypted.zip!6-1_RS_2024_その他備考.csv": "encrypted ZIP archive member (password protected): it cannot be "
        "read; publish it unencrypted",
        "deep-judgit.json": by_file["deep-judgit.json"],
        "deep-law.json": "nested too deeply to read (over the parser's recursion limit); not loaded",
        "deep-law.xml": "nested too deeply to read (over the parser's recursion limit); not loaded",
    }
    assert "nested too deeply" in by_file["deep-judgit.json"]
    assert graph_keys(tmp_path / "store") == ["rs/2024/6-1"]
