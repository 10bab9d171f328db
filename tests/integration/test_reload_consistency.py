"""Readers during a reload: 20 clients query a real server while the full RS 2024 corpus is reloaded beside it.

The corpus is loaded, a server is started on it, then the whole corpus is loaded again (``force``) with one
file changed (program 47's 事業の目的 in table 1-2), while 10 SPARQL readers and 10 REST readers query the
server without pause.  Every answer must be exactly the answer before the reload or exactly the answer after it
(never a mix of the two graphs), no request may fail, and no reader may see the old graph after the new one.
About two minutes: two full loads on two cores.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph import pipeline
from graph.oxistore import OxigraphStore
from graph.settings import Settings
from tests.conftest import BASE, ROOT
from tests.support.servers import Server, start_server, stop

RS2024 = ROOT / "data" / "rs2024"
MARK = "（再読込テスト）"
READERS = 20
THINK = 0.2
"""Seconds each reader waits between its requests: 20 readers still keep the server busy, and the reload gets
a share of the two cores."""

# every source graph's load activity: one distinct start time per load, so a mix shows two
STAMPS = """PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?g ?t WHERE { GRAPH ?g { ?g prov:wasGeneratedBy ?a . ?a prov:startedAtTime ?t } } ORDER BY ?g"""
PURPOSE = f"""PREFIX cbkg: <https://w3id.org/cbkg/ontology#>
SELECT ?purpose (COUNT(*) AS ?sheets) WHERE {{ ?s cbkg:program <{BASE}id/program/47> ; cbkg:purpose ?purpose }}
GROUP BY ?purpose"""


def changed_corpus(dest: Path) -> Path:
    """A copy of the RS 2024 ZIPs with program 47's purpose (1-2 事業の目的) extended by :data:`MARK`."""
    dest.mkdir()
    for z in RS2024.glob("*.zip"):
        if not z.name.startswith("1-2_"):
            shutil.copy(z, dest)
            continue
        with zipfile.ZipFile(z) as zf:
            name = zf.namelist()[0]
            text = zf.read(name).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        pid, purpose = rows[0].index("予算事業ID"), rows[0].index("事業の目的")
        hits = [r for r in rows[1:] if r[pid] == "47"]
        assert hits and all(r[purpose] for r in hits)
        for r in hits:
            r[purpose] += MARK
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        with zipfile.ZipFile(dest / z.name, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(name, "\ufeff" + out.getvalue())
    return dest


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    tmp = tmp_path_factory.mktemp("reload")
    path = tmp / "store"
    settings = Settings(store=f"oxigraph:{path}", base_iri=BASE, workers=2)
    store = OxigraphStore(path, base=BASE)
    pipeline.load([RS2024], store, settings)
    server = start_server(path, CBKG_QUERY_WORKERS="2", CBKG_QUERY_TIMEOUT="30")
    try:
        yield server, changed_corpus(tmp / "changed")
    finally:
        stop(server)


def answer(client: httpx.Client, kind: str) -> str:
    """One reader request; its answer as a canonical string (raises on any failure)."""
    if kind == "sparql":
        r = client.post("/sparql", data={"query": STAMPS}, headers={"Accept": "application/sparql-results+json"})
        r.raise_for_status()
        rows = [(b["g"]["value"], b["t"]["value"]) for b in r.json()["results"]["bindings"]]
        return json.dumps(rows, ensure_ascii=False)
    if kind == "purpose":
        r = client.post("/sparql", data={"query": PURPOSE}, headers={"Accept": "application/sparql-results+json"})
        r.raise_for_status()
        return json.dumps(
            sorted((b["purpose"]["value"], b["sheets"]["value"]) for b in r.json()["results"]["bindings"]),
            ensure_ascii=False,
        )
    r = client.get("/api/programs/47")
    r.raise_for_status()
    return json.dumps(r.json(), sort_keys=True, ensure_ascii=False)


KINDS = ["sparql"] * 6 + ["purpose"] * 4 + ["rest"] * 10


def test_readers_see_the_old_or_the_new_graph_never_a_mix_during_a_full_reload(served) -> None:
    server, changed = served
    with httpx.Client(base_url=server.url, timeout=60) as c:
        old = {k: answer(c, k) for k in set(KINDS)}
        assert old == {k: answer(c, k) for k in set(KINDS)}  # answers are deterministic
    assert MARK not in old["rest"] and len(json.loads(old["sparql"])) == 13

    done = threading.Event()
    seen: list[list[str]] = [[] for _ in KINDS]  # per reader: "old" / "new" / the unexpected answer
    errors: list[str] = []
    answers: dict[str, set[str]] = {k: set() for k in KINDS}
    lock = threading.Lock()

    def reader(i: int) -> None:
        kind = KINDS[i]
        with httpx.Client(base_url=server.url, timeout=60) as c:
            tail = 0
            while tail < 3:  # keep reading until three answers after the reload finished
                if done.is_set():
                    tail += 1
                try:
                    a = answer(c, kind)
                except Exception as exc:
                    with lock:
                        errors.append(f"reader {i} ({kind}): {type(exc).__name__}: {exc}")
                    time.sleep(0.05)
                    continue
                with lock:
                    answers[kind].add(a)
                seen[i].append("old" if a == old[kind] else a)
                time.sleep(THINK)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    t0 = time.monotonic()
    # the operator's reload, in its own process as in production (and off this process's GIL)
    env = {
        **os.environ,
        "CBKG_STORE": f"oxigraph:{server.store}",
        "CBKG_BASE_IRI": BASE,
        "CBKG_WORKERS": "2",
        "COLUMNS": "200",
    }
    cli = [sys.executable, "-c", "from api.cli import main; main()", "load", "--force", str(changed)]
    proc = subprocess.run(cli, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    reload_s = time.monotonic() - t0
    done.set()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "13 loaded" in proc.stdout and "0 refused" in proc.stdout, proc.stdout[-2000:]

    with httpx.Client(base_url=server.url, timeout=60) as c:
        new = {k: answer(c, k) for k in set(KINDS)}
    assert all(new[k] != old[k] for k in new)  # the reload changed every answer: a mix would be visible
    assert MARK in new["rest"] and MARK in new["purpose"]
    stamps = {t for _, t in json.loads(new["sparql"])}
    assert len(stamps) == 1 and stamps != {t for _, t in json.loads(old["sparql"])}

    assert errors == [], errors[:5]
    for kind in KINDS:
        assert answers[kind] <= {old[kind], new[kind]}, f"{kind}: an answer mixing the two graphs"
    for i, s in enumerate(seen):
        marks = ["new" if a == new[KINDS[i]] else a for a in s]
        first_new = marks.index("new")  # every reader saw the new graph at the end
        assert all(a == "old" for a in marks[:first_new]) and all(a == "new" for a in marks[first_new:]), i
    total = sum(len(s) for s in seen)
    during = sum(1 for s in seen for a in s if a == "old")
    assert during >= READERS  # every reader answered at least once before the new graph was published
    print(f"reload {reload_s:.1f} s; {total} answers, {during} of the old graph, {total - during} of the new one")
