"""Runs user SPARQL queries in worker processes that can be killed: timeouts really stop the work.

pyoxigraph cannot cancel a running query, so each query of the public endpoint runs in one of
``settings.query_workers`` processes.  Each process opens the store read-only.  A query that outlives its
budget has its process terminated and replaced; so has a process that dies (a crash, or its memory limit),
and the caller is told which of the three happened.  The number of processes bounds concurrency: heavy
queries queue for a worker (up to ``queue_timeout``) while the in-process REST lookups keep running, and an
express lane answers small queries while every general worker is busy (see :class:`QueryExecutor`).

Results are streamed: a worker sends a small result whole, and a large one in chunks, so the server never
holds a large result in memory; the row and byte caps are enforced in the worker as it serialises.

A worker over the embedded store has no network at all (it moves into a network namespace of its own where
the kernel allows it), so no query can make it fetch anything, whatever the query check lets through.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import resource
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph import Settings, open_store
from graph.store import QueryError, QueryTimeout, ResultTooLarge, StoreError

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


@dataclass(frozen=True)
class QueryRequest:
    """One query to run: text, result media type, protocol dataset (None: not given), base, caps."""

    query: str
    media_type: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_results: int | None = None
    max_bytes: int | None = None
    base_iri: str | None = None
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class WorkerStatus:
    """Asks a worker how it reads the store (its memory copy's state); answered ``("status", text)``."""


@dataclass
class QueryResult:
    """A result: its first part, and the rest as a stream (None when ``first`` is the whole result)."""

    first: bytes
    rest: ResultStream | None = None


class ResultStream:
    """The rest of a streamed result: iterate it, and close it when done or abandoned (a client that went
    away).  It holds its query worker until it is read to the end or closed; closing it early stops the
    worker mid-result.  ``close`` may be called from any thread, also while another one waits in ``next``."""

    def __init__(self, executor: QueryExecutor, slot: _Slot, deadline: float, budget: float) -> None:
        self._ex = executor
        self._slot = slot
        self._deadline = deadline
        self._budget = budget
        self._mu = threading.Lock()
        self._open = True

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        with self._mu:
            if not self._open:
                raise StopIteration
            conn = self._slot.conn  # this worker's pipe: close() in another thread replaces it
        try:
            ready = conn.poll(max(0.0, self._deadline - time.monotonic()))
            message = conn.recv() if ready else None
        except (EOFError, OSError, ValueError):
            with self._mu:
                closed = not self._open
            if closed:  # close() stopped the worker under us
                raise StopIteration from None
            error = self._slot.death(self._ex.settings.query_memory_mb)
            self._finish(restart=True)
            raise error from None
        if message is None:
            if self._finish(restart=True):
                raise timeout_error(self._budget)
            raise StopIteration
        kind, *rest = message
        if kind == "chunk":
            return bytes(rest[0])
        if kind == "end":
            self._finish(restart=False)
            raise StopIteration
        error = self._ex._fail(self._slot, kind, rest[0])  # the worker reported it and takes the next query
        self._finish(restart=False)
        raise error

    def close(self) -> None:
        """Stop reading: a worker still sending is stopped and replaced, and freed for the next query."""
        self._finish(restart=True)

    def _finish(self, *, restart: bool) -> bool:
        """Free the worker (replacing it first if ``restart``); False if that was already done."""
        with self._mu:
            if not self._open:
                return False
            self._open = False
        if restart:
            self._slot.restart()
        self._ex._release(self._slot)
        return True

    def __del__(self) -> None:  # a stream dropped unread must not keep its worker forever
        if getattr(self, "_open", False):
            self.close()


class Busy(StoreError):
    """Every query worker stayed busy for the whole queue timeout."""


class _Demoted(Exception):
    """A query outlived the express lane's budget and goes back to the queue of the general workers."""


class QueryTooExpensive(StoreError):
    """The query needed more memory than a query worker may use."""


class WorkerCrashed(StoreError):
    """The query worker died of a signal while running the query (not its time or memory limit)."""


def timeout_error(budget: float) -> QueryTimeout:
    return QueryTimeout(
        f"query stopped after {budget:g} s (the time limit of this endpoint); "
        "narrow it, add a LIMIT, or run it on your own copy of the data (see /dumps/)"
    )


def isolate_network() -> bool:
    """Move this process into a network namespace of its own (no interface but a downed loopback).

    Works as root, or unprivileged where user namespaces are enabled; returns False where neither works."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - not Linux
        return False
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return True
    return False


COPY_BYTES_PER_TRIPLE = 768
"""Memory a query worker allows for each triple of its memory copy while building it (measured: ~380 bytes)."""


def _data_bytes() -> int:
    """This process's data segment (``VmData``, what ``RLIMIT_DATA`` limits), in bytes; 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _query_memory_limit(limit: int) -> Callable[[str, int], None]:
    """A memory-copy hook keeping ``limit`` bytes for queries on top of the copy: room for the copy while it is
    built, then exactly what it took."""

    def move(event: str, triples: int) -> None:
        extra = triples * COPY_BYTES_PER_TRIPLE if event == "start" else 0
        hard = resource.getrlimit(resource.RLIMIT_DATA)[1]
        soft = _data_bytes() + extra + limit
        resource.setrlimit(resource.RLIMIT_DATA, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))

    return move


def _worker(  # pragma: no cover
    conn: Connection, settings_json: str, stderr_path: str, niceness: int = 0, memory_copy: bool = False
) -> None:
    settings = Settings.model_validate_json(settings_json)
    if niceness:  # heavy queries yield the CPU to the server's lookups and to the express lane
        os.nice(niceness)
    fd = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)  # what the engine prints before it dies (e.g. a failed allocation) tells the parent why
    os.close(fd)
    options: dict[str, Any] = {}
    if settings.query_memory_mb:  # a runaway query fails in its own worker instead of exhausting the machine
        limit = settings.query_memory_mb * 1024 * 1024
        hard = resource.getrlimit(resource.RLIMIT_DATA)[1]
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))  # soft: raised by a memory copy's size
        options["on_memory_copy"] = _query_memory_limit(limit)
    isolated = False
    if not settings.store.startswith("sparql:") and not settings.allow_service:
        isolated = isolate_network()
    copy = memory_copy and settings.query_memory_copy and settings.store.startswith("oxigraph:")
    store = open_store(settings, read_only=True, memory_copy=copy, **(options if copy else {}))
    conn.send(("ready", isolated))
    while True:
        try:
            req: QueryRequest | WorkerStatus | None = conn.recv()
        except EOFError:
            return
        if req is None:
            return
        if isinstance(req, WorkerStatus):
            conn.send(("status", getattr(store, "memory_copy_note", "remote store")))
            continue
        started = False
        try:
            stream = store.query_stream(
                req.query,
                req.media_type,
                default_graphs=None if req.default_graphs is None else list(req.default_graphs),
                named_graphs=None if req.named_graphs is None else list(req.named_graphs),
                base_iri=req.base_iri,
                prefixes=dict(req.prefixes),
                max_results=req.max_results,
                max_bytes=req.max_bytes,
            )
            buf: list[bytes] = []
            size = 0
            for chunk in stream:
                if started:
                    conn.send(("chunk", chunk))
                    continue
                buf.append(chunk)
                size += len(chunk)
                if size > settings.inline_result_bytes:
                    conn.send(("head", b"".join(buf)))
                    started, buf = True, []
            conn.send(("end",) if started else ("ok", b"".join(buf)))
        except QueryError as exc:
            conn.send(("query", str(exc)))
        except ResultTooLarge as exc:
            conn.send(("too-large", str(exc)))
        except MemoryError:
            conn.send(("memory", f"the query needed more than {settings.query_memory_mb} MB"))
        except Exception as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Slot:
    def __init__(
        self,
        ctx: Any,
        settings_json: str,
        stderr_dir: Path,
        index: int,
        *,
        express: bool = False,
        niceness: int = 0,
        memory_copy: bool = False,
    ) -> None:
        self.ctx = ctx
        self.settings_json = settings_json
        self.express = express
        self.niceness = niceness
        self.memory_copy = memory_copy
        self.stderr_path = stderr_dir / f"worker-{index}.stderr"
        self.lock = threading.Lock()
        self.isolated: bool | None = None
        self._start()

    def _start(self) -> None:
        parent, child = self.ctx.Pipe()
        self.conn = parent
        self.ready = False
        self.proc = self.ctx.Process(
            target=_worker,
            args=(child, self.settings_json, str(self.stderr_path), self.niceness, self.memory_copy),
            daemon=True,
        )
        self.proc.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the worker has opened the store (its start-up does not count against a query's time)."""
        if not self.ready and self.conn.poll(timeout):
            try:
                msg = self.conn.recv()
            except EOFError:
                return False
            self.ready = msg[0] == "ready"
            self.isolated = bool(msg[1]) if self.ready else None
        return self.ready

    def death(self, memory_mb: int | None) -> StoreError:
        """Why the worker died, as the error to report (memory limit, or a crash by signal)."""
        self.proc.join(5)
        code = self.proc.exitcode
        try:
            with open(self.stderr_path, "rb") as fh:  # what the engine printed as it died (with a backtrace)
                tail = fh.read(1 << 16).decode("utf-8", "replace")
        except OSError:
            tail = ""
        if "memory allocation" in tail or "MemoryError" in tail or "out of memory" in tail.lower():
            return QueryTooExpensive(
                f"the query ran out of the {memory_mb} MB of memory a query worker may use; "
                "narrow the query or add a LIMIT"
            )
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            hint = " (a stack overflow: the query nests too deeply)" if -code == signal.SIGSEGV else ""
            return WorkerCrashed(f"the query crashed its worker: killed by {name}{hint}; simplify the query")
        return WorkerCrashed(f"the query worker exited unexpectedly (exit code {code})")

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
    """A pool of killable query processes over the configured (on-disk or remote) store, in two lanes.

    The ``query_workers`` general workers run at a lower CPU priority (``niceness``), so heavy queries never
    starve the server's in-process lookups.  ``express`` more workers, at normal priority, take a query only
    when every general worker is busy, and give it ``express_budget`` seconds to answer: a small query
    (an ``ASK``, a lookup by IRI) is answered at once however many heavy queries run; a query that needs longer
    is stopped there and queued for a general worker (or answered ``Busy`` when none frees up in time)."""

    def __init__(
        self,
        settings: Settings,
        *,
        queue_timeout: float = 10.0,
        express: int = 1,
        express_budget: float = 1.0,
        niceness: int = 10,
    ) -> None:
        self.settings = settings
        self.queue_timeout = queue_timeout
        self.express_budget = express_budget
        self._ctx = mp.get_context("spawn")
        self._tmp = tempfile.TemporaryDirectory(prefix="cbkg-workers-")
        payload = settings.model_dump_json()
        n = max(1, settings.query_workers)
        tmp = Path(self._tmp.name)
        # general workers answer from a memory copy once built; the express lane (small queries, restarted at
        # every demotion) reads RocksDB
        self._slots = [_Slot(self._ctx, payload, tmp, i, niceness=niceness, memory_copy=True) for i in range(n)]
        self._slots += [_Slot(self._ctx, payload, tmp, n + i, express=True) for i in range(express)]
        self._cond = threading.Condition()

    def _take(self, *, express: bool) -> _Slot | None:
        """A free slot of one lane, ready ones first (one restarting after a timeout may still be starting)."""
        lane = [s for s in self._slots if s.express == express]
        for s in sorted(lane, key=lambda s: not (s.ready or s.conn.poll())):
            if s.lock.acquire(blocking=False):
                return s
        return None

    def _acquire(self, deadline: float, *, express: bool = True) -> _Slot:
        """A free worker: a general one if any, else (if ``express``) an express one; wait until ``deadline``."""
        with self._cond:
            while True:
                slot = self._take(express=False) or (self._take(express=True) if express else None)
                if slot is not None:
                    return slot
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._cond.wait(remaining):
                    general = sum(not s.express for s in self._slots)
                    raise Busy(f"all {general} query workers are busy; try again shortly")

    def _release(self, slot: _Slot) -> None:
        slot.lock.release()
        with self._cond:
            self._cond.notify_all()

    def _receive(self, slot: _Slot, deadline: float, budget: float) -> tuple[Any, ...]:
        """The worker's next message, or the error of its timeout or death (the worker is then replaced)."""
        if not slot.conn.poll(max(0.0, deadline - time.monotonic())):
            slot.restart()
            raise timeout_error(budget)
        try:
            return tuple(slot.conn.recv())
        except (EOFError, OSError):
            err = slot.death(self.settings.query_memory_mb)
            slot.restart()
            raise err from None

    def _fail(self, slot: _Slot, kind: str, message: str) -> StoreError:
        if kind == "query":
            return QueryError(message)
        if kind == "too-large":
            return ResultTooLarge(message)
        if kind == "memory":
            slot.restart()  # its heap may be fragmented near the limit: start clean
            return QueryTooExpensive(message + "; narrow the query or add a LIMIT")
        return StoreError(message)

    def run(self, req: QueryRequest, timeout: float | None = None) -> QueryResult:
        """Run a query; raise QueryError / QueryTimeout / ResultTooLarge / Busy / QueryTooExpensive /
        WorkerCrashed / StoreError.  A streamed result keeps its worker until the stream is read or closed."""
        budget = timeout if timeout is not None else self.settings.query_timeout
        queue_deadline = time.monotonic() + self.queue_timeout
        slot = self._acquire(queue_deadline)
        if slot.express and budget > self.express_budget:
            try:
                return self._run_on(slot, req, budget, first_within=self.express_budget)
            except _Demoted:  # too long for the express lane: wait for a general worker
                slot = self._acquire(queue_deadline, express=False)
        return self._run_on(slot, req, budget)

    def _run_on(self, slot: _Slot, req: QueryRequest, budget: float, first_within: float | None = None) -> QueryResult:
        """Run ``req`` on ``slot`` (acquired; released here unless a stream keeps it).  With ``first_within``,
        a worker that has not answered within that many seconds is stopped and :class:`_Demoted` raised."""
        streaming = False
        try:
            if not slot.proc.is_alive():  # died while idle (killed from outside): start it again first
                slot.restart()
            if not slot.wait_ready(self.queue_timeout):
                slot.restart()
                raise StoreError("a query worker did not start; try again shortly")
            started = time.monotonic()
            deadline = started + budget
            slot.conn.send(req)
            if first_within is not None and not slot.conn.poll(first_within):
                slot.restart()
                raise _Demoted
            kind, *rest = self._receive(slot, deadline, budget)
            if kind == "ok":
                return QueryResult(rest[0])
            if kind == "head":
                streaming = True
                return QueryResult(rest[0], self._stream(slot, deadline, budget))
            raise self._fail(slot, kind, rest[0])
        finally:
            if not streaming:
                self._release(slot)

    def _stream(self, slot: _Slot, deadline: float, budget: float) -> ResultStream:
        return ResultStream(self, slot, deadline, budget)

    def status(self, timeout: float = 10.0) -> list[tuple[str, str]]:
        """Each worker's lane (``general``/``express``) and how it reads the store (e.g. ``memory copy of N
        quads in S s``, ``memory copy in progress``, ``read from disk``); waits for busy workers."""
        out: list[tuple[str, str]] = []
        for slot in self._slots:
            if not slot.lock.acquire(timeout=timeout):
                out.append(("express" if slot.express else "general", "busy"))
                continue
            try:
                if not slot.proc.is_alive():
                    slot.restart()
                note = "starting"
                if slot.wait_ready(timeout):
                    slot.conn.send(WorkerStatus())
                    if slot.conn.poll(timeout):
                        _, note = slot.conn.recv()
                    else:  # its late answer would be read as the next query's: start it again
                        slot.restart()
                        note = "no answer"
            finally:
                self._release(slot)
            out.append(("express" if slot.express else "general", note))
        return out

    @property
    def isolated(self) -> bool | None:
        """True if every started worker runs without network (None before any has started)."""
        states = [s.isolated for s in self._slots if s.isolated is not None]
        return all(states) if states else None

    def close(self) -> None:
        for s in self._slots:
            s.close()
        self._tmp.cleanup()
