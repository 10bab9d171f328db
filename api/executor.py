"""Runs user SPARQL queries in worker processes that can be killed: timeouts really stop the work.

pyoxigraph cannot cancel a running query, so each query of the public endpoint runs in one of
``settings.query_workers`` processes.  Each process opens the store read-only.  A query that outlives its
budget has its process terminated and replaced.  The number of processes bounds concurrency: heavy queries
queue for a worker (up to ``queue_timeout``) while the in-process REST lookups keep running.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from graph import Settings, open_store
from graph.store import QueryError, QueryTimeout, ResultTooLarge, StoreError


@dataclass(frozen=True)
class QueryRequest:
    """One query to run: text, result media type, dataset, cap."""

    query: str
    media_type: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_results: int | None = None


class Busy(StoreError):
    """Every query worker stayed busy for the whole queue timeout."""


class QueryTooExpensive(StoreError):
    """The query needed more memory than a query worker may use."""


def _worker(conn: Connection, settings_json: str) -> None:  # pragma: no cover - runs in a child process
    settings = Settings.model_validate_json(settings_json)
    if settings.query_memory_mb:  # a runaway query fails in its own worker instead of exhausting the machine
        limit = settings.query_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    store = open_store(settings, read_only=True)
    conn.send(("ready",))
    while True:
        try:
            req: QueryRequest | None = conn.recv()
        except EOFError:
            return
        if req is None:
            return
        try:
            data = store.query_raw(
                req.query,
                req.media_type,
                default_graphs=list(req.default_graphs) or None,
                named_graphs=list(req.named_graphs) or None,
                max_results=req.max_results,
            )
            conn.send(("ok", data))
        except QueryError as exc:
            conn.send(("query", str(exc)))
        except ResultTooLarge as exc:
            conn.send(("too-large", str(exc)))
        except MemoryError:
            conn.send(("memory", f"the query needed more than {settings.query_memory_mb} MB"))
        except Exception as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Slot:
    def __init__(self, ctx: Any, settings_json: str) -> None:
        self.ctx = ctx
        self.settings_json = settings_json
        self.lock = threading.Lock()
        self._start()

    def _start(self) -> None:
        parent, child = self.ctx.Pipe()
        self.conn = parent
        self.ready = False
        self.proc = self.ctx.Process(target=_worker, args=(child, self.settings_json), daemon=True)
        self.proc.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the worker has opened the store (its start-up does not count against a query's time)."""
        if not self.ready and self.conn.poll(timeout):
            try:
                self.ready = self.conn.recv() == ("ready",)
            except EOFError:
                return False
        return self.ready

    def restart(self) -> None:
        self.proc.terminate()
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()
        self._start()

    def close(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, BrokenPipeError):
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()


class QueryExecutor:
    """A pool of killable query processes over the configured (on-disk or remote) store."""

    def __init__(self, settings: Settings, *, queue_timeout: float = 10.0) -> None:
        self.settings = settings
        self.queue_timeout = queue_timeout
        self._ctx = mp.get_context("spawn")
        payload = settings.model_dump_json()
        self._slots = [_Slot(self._ctx, payload) for _ in range(max(1, settings.query_workers))]
        self._free = threading.Semaphore(len(self._slots))

    def run(self, req: QueryRequest, timeout: float | None = None) -> bytes:
        """Run a query; raise QueryError / QueryTimeout / ResultTooLarge / Busy / StoreError."""
        budget = timeout if timeout is not None else self.settings.query_timeout
        if not self._free.acquire(timeout=self.queue_timeout):
            raise Busy(f"all {len(self._slots)} query workers are busy; try again shortly")
        # a free worker that is ready first: one restarting after a timeout may still be opening the store
        free = sorted(self._slots, key=lambda s: not (s.ready or s.conn.poll()))
        try:
            slot = next(s for s in free if s.lock.acquire(blocking=False))
        except StopIteration:  # pragma: no cover - the semaphore guarantees a free slot
            self._free.release()
            raise Busy("no free query worker") from None
        try:
            if not slot.wait_ready(self.queue_timeout):
                slot.restart()
                raise StoreError("a query worker did not start; try again shortly")
            slot.conn.send(req)
            start = time.monotonic()
            if not slot.conn.poll(budget):
                slot.restart()
                raise QueryTimeout(
                    f"query stopped after {budget:g} s (the time limit of this endpoint); "
                    "narrow it, add a LIMIT, or run it on your own copy of the data (see /dumps/)"
                )
            try:
                kind, *rest = slot.conn.recv()
            except EOFError:  # the worker died: a failed allocation aborts it (the memory limit)
                slot.restart()
                raise QueryTooExpensive(
                    f"the query stopped its worker (more than {self.settings.query_memory_mb} MB of memory?); "
                    "narrow the query or add a LIMIT"
                ) from None
            _ = time.monotonic() - start
            if kind == "ok":
                return rest[0]
            if kind == "query":
                raise QueryError(rest[0])
            if kind == "too-large":
                raise ResultTooLarge(rest[0])
            if kind == "memory":
                slot.restart()  # its heap may be fragmented near the limit: start clean
                raise QueryTooExpensive(rest[0] + "; narrow the query or add a LIMIT")
            raise StoreError(rest[0])
        finally:
            slot.lock.release()
            self._free.release()

    def close(self) -> None:
        for s in self._slots:
            s.close()
