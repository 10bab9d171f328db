"""The query executor's two lanes: small queries are answered while heavy ones hold every general worker.

Real worker processes over a real on-disk store (the RS sample); the heavy query is a cross product that runs
until its time limit."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.executor import Busy, QueryExecutor, QueryRequest
from graph.settings import Settings
from graph.store import QueryTimeout
from tests.conftest import BASE

JSON = "application/sparql-results+json"
HEAVY = QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", JSON)
SMALL = QueryRequest("ASK { ?s ?p ?o }", JSON)


@pytest.fixture()
def executor(loaded_store: Path) -> Iterator[QueryExecutor]:
    settings = Settings(store=f"oxigraph:{loaded_store}", base_iri=BASE, query_workers=1, query_timeout=6)
    ex = QueryExecutor(settings, queue_timeout=2.5, express=1, express_budget=0.5)
    for slot in ex._slots:  # started, so that timings below measure queries, not process start-up
        assert slot.wait_ready(30)
    yield ex
    ex.close()


def _hold_general_worker(ex: QueryExecutor) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def heavy() -> None:
        try:
            ex.run(HEAVY)
        except BaseException as exc:  # handed to the test
            errors.append(exc)

    th = threading.Thread(target=heavy)
    th.start()
    general = [s for s in ex._slots if not s.express]
    deadline = time.monotonic() + 5
    while not all(s.lock.locked() for s in general):
        assert time.monotonic() < deadline, "the heavy query never took the general worker"
        time.sleep(0.01)
    return th, errors


def test_a_small_query_is_answered_at_once_while_heavy_queries_hold_every_general_worker(
    executor: QueryExecutor,
) -> None:
    th, errors = _hold_general_worker(executor)
    t0 = time.monotonic()
    result = executor.run(SMALL)
    elapsed = time.monotonic() - t0
    assert b"true" in result.first
    assert elapsed < 0.5, f"the small query waited {elapsed:.2f} s behind the heavy one"
    th.join()
    assert len(errors) == 1 and isinstance(errors[0], QueryTimeout)  # the heavy one still ran to its own limit


def test_a_heavy_query_meeting_a_full_general_lane_leaves_the_express_lane_and_gets_busy(
    executor: QueryExecutor,
) -> None:
    th, errors = _hold_general_worker(executor)
    t0 = time.monotonic()
    with pytest.raises(Busy):
        executor.run(HEAVY)
    elapsed = time.monotonic() - t0
    assert 0.5 <= elapsed < 4.0  # its express budget, then the rest of the queue timeout; never its 6 s limit
    assert b"true" in executor.run(SMALL).first  # the express lane was restarted and answers again
    th.join()
    assert isinstance(errors[0], QueryTimeout)


def test_a_heavy_query_demoted_from_the_express_lane_runs_when_a_general_worker_frees_up(
    loaded_store: Path,
) -> None:
    settings = Settings(store=f"oxigraph:{loaded_store}", base_iri=BASE, query_workers=1, query_timeout=1.5)
    ex = QueryExecutor(settings, queue_timeout=10, express=1, express_budget=0.3)
    try:
        for slot in ex._slots:
            assert slot.wait_ready(30)
        th, errors = _hold_general_worker(ex)  # times out after 1.5 s and frees the general worker
        t0 = time.monotonic()
        with pytest.raises(QueryTimeout):  # demoted after 0.3 s, then run to its own 1.5 s limit
            ex.run(HEAVY)
        assert time.monotonic() - t0 >= 1.5
        th.join()
        assert isinstance(errors[0], QueryTimeout)
    finally:
        ex.close()


def test_general_workers_run_at_a_lower_cpu_priority_than_the_express_lane(executor: QueryExecutor) -> None:
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    nice = {s.express: os.getpriority(os.PRIO_PROCESS, s.proc.pid) for s in executor._slots}
    assert nice[False] == min(mine + 10, 19)
    assert nice[True] == mine


def test_a_general_worker_with_a_memory_copy_answers_the_generation_published_after_it_started(
    tmp_path: Path,
) -> None:
    from graph.oxistore import OxigraphStore

    path = tmp_path / "store"
    writer = OxigraphStore(path, base=BASE)
    data = tmp_path / "a.nt"
    data.write_text("<urn:s:1> <urn:p> <urn:o:1> .\n", encoding="utf-8")
    writer.replace_graphs({BASE + "graph/a": data})
    settings = Settings(store=f"oxigraph:{path}", base_iri=BASE, query_workers=1, query_timeout=6)
    assert settings.query_memory_copy
    ex = QueryExecutor(settings, queue_timeout=2.5, express=1)

    def copied(quads: int) -> None:
        deadline = time.monotonic() + 10
        while True:
            (lane, note), express = ex.status()
            if note.startswith(f"memory copy of {quads} quads"):
                assert lane == "general" and express == ("express", "read from disk")
                return
            assert time.monotonic() < deadline, note
            time.sleep(0.05)

    try:
        ask = QueryRequest("ASK { <urn:s:2> ?p ?o }", JSON)
        assert b"false" in ex.run(ask).first
        copied(1)
        data.write_text("<urn:s:2> <urn:p> <urn:o:2> .\n<urn:s:3> <urn:p> <urn:o:3> .\n", encoding="utf-8")
        writer.replace_graphs({BASE + "graph/a": data})
        assert b"true" in ex.run(ask).first  # the copy of the old generation is not read
        assert b"false" in ex.run(QueryRequest("ASK { <urn:s:1> ?p ?o }", JSON)).first
        copied(2)
        assert b"true" in ex.run(ask).first
    finally:
        ex.close()
