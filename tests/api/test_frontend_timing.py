"""Page load p50 on the full corpus: every page kind ≤ 300 ms once the server is warm.

Runs with ``CBKG_TEST_FULL_STORE=PATH`` (a store of all of ``data/``, e.g. built by ``make run``), and skips
otherwise.  The figures are printed (``pytest -s``): cold (first request) and p50/p90 of the next 11.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.servers import Server, start_server, stop

PAGES = [
    "/",
    "/search?q=サイバー 人材",
    "/search?q=cyber",
    "/search?q=7010001008844",
    "/search?q=サイバー&fy=2024&ministry=soumu&sort=amount",
    "/search?q=サイバー&format=csv",
    "/programs/47",
    "/programs/20950",
    "/laws",
    "/laws/426AC1000000104",
    "/laws/426AC1000000104/articles/16?fy=2024",
    "/payees/7010001008844",
    "/payees/7010001008844?cyber=1&sheet_year=2024",
    "/ministries",
    "/ministries/soumu",
    "/ministries/mhlw?sort=name",
    "/flows?ministry=soumu",
    "/flows?payee=7010001008844",
    "/quality",
    "/query",
    "/api/programs?law=426AC1000000104&fy=2024",
]


@pytest.fixture(scope="module")
def full() -> Iterator[Server]:
    path = os.environ.get("CBKG_TEST_FULL_STORE")
    if not path or not Path(path).is_dir():
        pytest.skip("set CBKG_TEST_FULL_STORE to a store of all of data/ to time the pages on the full corpus")
    s = start_server(Path(path))
    yield s
    stop(s)


def test_every_page_p50_within_300_ms_on_the_full_corpus(full: Server) -> None:
    slow = {}
    with httpx.Client(base_url=full.url, timeout=120) as c:
        c.get("/")  # the first page starts building the money index in the background
        c.get("/flows")  # … and this one waits for it
        for path in PAGES:
            t0 = time.perf_counter()
            assert c.get(path).status_code == 200, path
            cold = (time.perf_counter() - t0) * 1000
            times = []
            for _ in range(11):
                t0 = time.perf_counter()
                r = c.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, path
            times.sort()
            p50 = statistics.median(times)
            print(f"{path:58s} cold {cold:8.1f} ms  p50 {p50:6.1f} ms  p90 {times[9]:6.1f} ms")
            if p50 > 300:
                slow[path] = p50
    assert not slow, slow
