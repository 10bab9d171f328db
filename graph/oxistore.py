"""Embedded store: pyoxigraph (RocksDB) on disk by default, in memory for tests.

Writes never touch the data readers see.  An on-disk store is a directory of *generations*::

    store/CURRENT                 name of the published generation (replaced atomically with os.replace)
    store/gen-000007/db/          RocksDB database with the live graphs (immutable once published)
    store/gen-000007/graphs/      one N-Triples file per graph, live and hidden, plus index.json
    store/gen-000008/…            the next generation, being written

    store/LOCK                    the writers' lock (``fcntl.flock``; holds the pid of the writer)
    store/scratch/                temporary files of the writer holding the lock

A transaction hard-links the current generation (RocksDB backups and unchanged graph files are hard
links: instant), drops and bulk-loads the changed graphs in the copy, compacts it, and publishes it by
rewriting ``CURRENT``.  A failure half-way deletes the copy: the published data is exactly as before.

Writers exclude each other: a transaction (and a whole pipeline load, see :meth:`OxigraphStore.write_lock`)
holds an exclusive ``flock`` on ``LOCK``; a second writer waits for it (``lock_timeout`` seconds, then
:class:`StoreLocked`).  At publish time ``CURRENT`` must still name the generation the transaction copied,
else nothing is published (:class:`StaleBase`): a generation built from a stale base never replaces a newer
one.  The lock dies with its process, so whoever takes it next removes what a killed writer left behind (an
unpublished generation, ``scratch/``).  Readers (``read_only=True``) never take the lock.
Readers in this or another process (the server) switch to the new generation on their next query; queries
already running finish on the old one, which is kept until the generation after next is published.

A reader may keep an in-memory copy of the published generation (``memory_copy=True``: the query workers of
the server).  A published generation never changes, so the copy is built once, in a background thread, from
the generation's own N-Triples files; until it is complete and counted, queries read RocksDB, and a newer
generation is read from disk at once (its copy is built in turn, the old one dropped).
Answers never depend on which of the two a query reads.

Hidden graphs (per-source declarations) live only as files, so the union default graph that queries use
never counts a declaration twice.  The N-Triples files also serve as bulk dumps and as the fast input of
validation (an in-memory copy, 10× faster to scan than RocksDB).
"""

from __future__ import annotations

import errno
import fcntl
import itertools
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from ontology.iri import short_hash
from ontology.namespaces import DEFAULT_BASE
from ontology.terms import IRI, Literal, Term, Triple

from . import results
from .sparqlutil import declares_dataset
from .store import GraphSource, QueryError, SelectResult, Store, StoreError

KEEP_GENERATIONS = 2
OPTIMIZE_AFTER_TRIPLES = 100_000
LOCK_TIMEOUT = 3600.0
"""Seconds a writer waits for another writer's lock before giving up (:class:`StoreLocked`)."""
LOCK_POLL = 0.2


class StoreLocked(StoreError):
    """Another writer held the store's lock for longer than the lock timeout."""


class StaleBase(StoreError):
    """``CURRENT`` changed while a transaction ran (a writer that ignores the lock): nothing was published."""


class StoreWriteError(StoreError):
    """Writing the new generation failed (e.g. no space left on the store's disk); nothing was published."""


def to_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Term:
    """A pyoxigraph term as a cbkg term."""
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, None, term.language)
        dt = term.datatype.value
        return Literal(term.value, None if dt.endswith("#string") else dt)
    if isinstance(term, ox.BlankNode):
        return IRI("_:" + term.value)
    raise StoreError(f"unsupported term {term!r}")


def solutions(res: ox.QuerySolutions) -> SelectResult:
    """pyoxigraph solutions as a :class:`SelectResult`."""
    variables = [v.value for v in res.variables]
    try:
        rows = [{v: to_term(sol[v]) for v in variables if sol[v] is not None} for sol in res]
    except (OSError, ValueError) as exc:  # evaluation errors surface while iterating
        raise QueryError(str(exc)) from exc
    return SelectResult(variables, rows)


def union_select(db: ox.Store, query: str) -> SelectResult:
    """A SELECT over the union of the graphs of a pyoxigraph store."""
    res = db.query(query, use_default_graph_as_union=True)
    if not isinstance(res, ox.QuerySolutions):
        raise QueryError("not a SELECT query")
    return solutions(res)


@dataclass
class GraphFile:
    """The snapshot file of one graph: name, whether it is queryable, line count, predicates used."""

    file: str
    live: bool
    triples: int
    predicates: list[str] = field(default_factory=list)


COPY_CHUNK_LINES = 5_000
"""N-Triples lines per ``load`` call of a memory copy (each call holds the GIL while it runs)."""


class Generation:
    """One generation: a pyoxigraph database plus the N-Triples file of every graph."""

    def __init__(self, db: ox.Store, graphs_dir: Path, index: dict[str, GraphFile], name: str | None = None) -> None:
        self.db = db
        self.graphs_dir = graphs_dir
        self.index = index
        self.name = name  # the directory name on disk (``gen-000042``); None in memory
        self.in_memory = False
        """True once :attr:`db` is the complete in-memory copy of this (on-disk) generation."""
        self.copied = threading.Event()
        """Set when the memory copy of this generation is complete, given up or not wanted."""
        self.copy_note = ""
        """Why this generation is read from disk (no copy wanted, too large, failed), or how the copy went."""

    def live_triples(self) -> int:
        return sum(f.triples for f in self.index.values() if f.live)

    def build_memory_copy(
        self, still_wanted: Callable[[], bool], on_event: Callable[[str, int], None] | None = None
    ) -> None:
        """Load the live graphs' files into an in-memory store and switch :attr:`db` to it once complete.

        Runs in its own thread (at the process's CPU priority: a query worker's is lowered); gives up (keeping
        RocksDB) as soon as ``still_wanted()`` is false, a file cannot be read or the copy's size differs from
        the index."""
        started = time.monotonic()
        try:
            if on_event:
                on_event("start", self.live_triples())
            mem = ox.Store()
            for graph, f in sorted(self.index.items()):
                if not f.live:
                    continue
                target = ox.NamedNode(graph)
                with open(self.graphs_dir / f.file, "rb") as fh:
                    while chunk := b"".join(itertools.islice(fh, COPY_CHUNK_LINES)):
                        if not still_wanted():
                            self.copy_note = "memory copy abandoned: a newer generation is published"
                            return
                        mem.load(chunk, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
            expected, got = self.live_triples(), len(mem)
            if got != expected:
                self.copy_note = f"memory copy discarded: {got:,} quads, the index counts {expected:,}"
                return
            self.copy_note = f"memory copy of {got:,} quads in {time.monotonic() - started:.1f} s"
            self.db = mem  # then the flag: a reader seeing ``in_memory`` also sees the note
            self.in_memory = True
            if on_event:
                on_event("done", got)
        except (OSError, SyntaxError, ValueError, MemoryError) as exc:
            self.copy_note = f"memory copy failed ({type(exc).__name__}: {exc}); reading from disk"
        finally:
            self.copied.set()

    @staticmethod
    def read_index(graphs_dir: Path) -> dict[str, GraphFile]:
        p = graphs_dir / "index.json"
        if not p.exists():
            return {}
        return {g: GraphFile(**v) for g, v in json.loads(p.read_text(encoding="utf-8")).items()}

    def write_index(self) -> None:
        data = {g: vars(f) for g, f in sorted(self.index.items())}
        tmp = self.graphs_dir / "index.json.tmp"
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.graphs_dir / "index.json")

    def file_of(self, graph: str) -> Path | None:
        f = self.index.get(graph)
        return self.graphs_dir / f.file if f else None


class OxigraphStore(Store):
    """pyoxigraph store with copy-on-write generations (see module docstring)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        base: str = DEFAULT_BASE,
        read_only: bool = False,
        lock_timeout: float = LOCK_TIMEOUT,
        on_lock_wait: Callable[[str], None] | None = None,
        memory_copy: bool = False,
        memory_copy_max_triples: int = 0,
        on_memory_copy: Callable[[str, int], None] | None = None,
    ) -> None:
        self.base = base if base.endswith("/") else base + "/"
        self.path = path
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        """Seconds :meth:`write_lock` waits for another writer."""
        self.on_lock_wait = on_lock_wait
        """Called once with a message when :meth:`write_lock` has to wait for another writer."""
        self.memory_copy = memory_copy and read_only and path is not None
        """Read each published generation from an in-memory copy once it is built (readers on disk only)."""
        self.memory_copy_max_triples = memory_copy_max_triples
        """Generations with more live triples than this are read from disk only (0: no limit)."""
        self.on_memory_copy = on_memory_copy
        """Called as ``("start", triples)`` before a memory copy is built and ``("done", triples)`` after it
        (in the copying thread); a query worker moves its memory limit with it."""
        self._lock = threading.RLock()
        self._wlock = threading.RLock()  # the thread holding the store's flock
        self._flock_fd: int | None = None
        self._flock_depth = 0
        self._pin = threading.local()  # .gen: the generation a snapshot() block of this thread reads
        self._gen_name: str | None = None
        self._current_mtime: int | None = None
        if path is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="cbkg-mem-")
            self._gen = Generation(ox.Store(), Path(self._tmp.name), {})
        elif read_only:
            self._gen = self._open_current()
            self._start_memory_copy(self._gen)
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._open_writable()

    # -- the writers' lock ---------------------------------------------------------------------------
    def _lock_file(self) -> Path:
        assert self.path is not None
        return self.path / "LOCK"

    def _try_flock(self) -> int | None:
        """The fd of ``LOCK`` locked exclusively by this process, or None if another process holds it."""
        fd = os.open(self._lock_file(), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return None
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return fd

    def _holder(self) -> str:
        try:
            pid = self._lock_file().read_text().strip()
        except OSError:
            pid = ""
        return f"pid {pid}" if pid.isdigit() else "another process"

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the store's exclusive writer lock for the block (re-entrant in this thread).

        Waits for another writer up to :attr:`lock_timeout` seconds (telling :attr:`on_lock_wait` once), then
        raises :class:`StoreLocked`.  On taking the lock, what a killed writer left is removed
        (:meth:`_clean_abandoned`).  In-memory stores have nothing to lock.
        """
        if self.read_only:
            raise StoreError("store opened read-only")
        if self.path is None:
            yield
            return
        with self._wlock:
            if self._flock_depth == 0:
                fd = self._try_flock()
                if fd is None:
                    holder = self._holder()
                    if self.on_lock_wait is not None:
                        self.on_lock_wait(
                            f"waiting for the store {self.path} (locked by {holder}, another load or update); "
                            f"giving up after {self.lock_timeout:g} s"
                        )
                    deadline = time.monotonic() + self.lock_timeout
                    while fd is None:
                        if time.monotonic() >= deadline:
                            raise StoreLocked(
                                f"store {self.path} is locked by {holder} (another load or update) and stayed "
                                f"locked for {self.lock_timeout:g} s; nothing was changed: try again when it ends"
                            )
                        time.sleep(LOCK_POLL)
                        fd = self._try_flock()
                self._flock_fd = fd
                try:
                    self._clean_abandoned()
                except BaseException:
                    self._release_flock()
                    raise
            self._flock_depth += 1
            try:
                yield
            finally:
                self._flock_depth -= 1
                if self._flock_depth == 0:
                    self._release_flock()

    def _release_flock(self) -> None:
        fd, self._flock_fd = self._flock_fd, None
        if fd is not None:
            os.close(fd)  # closing the fd releases the flock

    def scratch_dir(self) -> Path | None:
        """A directory for the temporary files of the writer holding the lock (``store/scratch``), on the store's
        own disk (moving a mapped file into a generation is then a rename); None in memory.  It is emptied
        whenever the lock is taken, so a killed writer's files never outlive the next write."""
        if self.path is None:
            return None
        d = self.path / "scratch"
        d.mkdir(exist_ok=True)
        return d

    def _open_writable(self) -> None:
        """Open the current generation (creating the first one), cleaning a killed writer's leftovers when no
        writer is running now."""
        assert self.path is not None
        fd = self._try_flock()
        if fd is None:  # a writer is at work: its files are not leftovers
            if self._current_file().exists():
                self._gen = self._open_current()
            else:  # wait for it (it may be creating the store), then create the first generation if it did not
                with self.write_lock():
                    self._gen = self._open_current()
            return
        with self._wlock:
            self._flock_fd, self._flock_depth = fd, 1
            try:
                self._clean_abandoned()
                self._gen = self._open_current()
            finally:
                self._flock_depth = 0
                self._release_flock()

    # -- generations ---------------------------------------------------------------------------------
    def _current_file(self) -> Path:
        assert self.path is not None
        return self.path / "CURRENT"

    def _open_generation(self, name: str) -> Generation:
        assert self.path is not None
        d = self.path / name
        return Generation(ox.Store.read_only(str(d / "db")), d / "graphs", Generation.read_index(d / "graphs"), name)

    def _start_memory_copy(self, gen: Generation) -> None:
        """Build ``gen``'s memory copy in the background if this reader wants one (``gen`` is now current)."""
        if not self.memory_copy:
            gen.copied.set()
        elif self.memory_copy_max_triples and gen.live_triples() > self.memory_copy_max_triples:
            gen.copy_note = (
                f"read from disk: {gen.live_triples():,} triples, more than the memory copy's limit of "
                f"{self.memory_copy_max_triples:,}"
            )
            gen.copied.set()
        else:
            threading.Thread(
                target=gen.build_memory_copy,
                args=(lambda: self._gen is gen, self.on_memory_copy),
                name=f"memory-copy-{gen.name}",
                daemon=True,
            ).start()

    def wait_for_memory_copy(self, timeout: float | None = None) -> bool:
        """Wait until the current generation's memory copy is complete (or given up); True if queries now read
        memory."""
        if not self.memory_copy:
            return False
        gen = self._current()
        gen.copied.wait(timeout)
        return gen.in_memory

    @property
    def memory_copy_note(self) -> str:
        """How the current generation is read (memory copy built, in progress, not wanted or given up)."""
        gen = self._current()
        if gen.copy_note:
            return gen.copy_note
        return "memory copy in progress" if self.memory_copy else "read from disk"

    def _open_current(self) -> Generation:
        assert self.path is not None
        cur = self._current_file()
        if not cur.exists():
            if self.read_only:
                raise StoreError(f"no store at {self.path} (build it with `cbkg load`)")
            with self.write_lock():
                if not cur.exists():
                    name = self._new_generation_name()
                    (self.path / name / "graphs").mkdir(parents=True)
                    ox.Store(str(self.path / name / "db")).flush()
                    self._publish(name)
        self._gen_name = cur.read_text().strip()
        self._current_mtime = cur.stat().st_mtime_ns
        return self._open_generation(self._gen_name)

    def _current(self) -> Generation:
        """The generation to read: the one pinned by snapshot() in this thread, else the newest published one
        (reopened if another writer published a newer one)."""
        if self.path is None:
            return self._gen
        pinned: Generation | None = getattr(self._pin, "gen", None)
        if pinned is not None:
            return pinned
        try:
            mtime = self._current_file().stat().st_mtime_ns
        except FileNotFoundError:
            return self._gen
        if mtime != self._current_mtime:
            with self._lock:
                if mtime != self._current_mtime:
                    name = self._current_file().read_text().strip()
                    if name != self._gen_name:
                        self._gen = self._open_generation(name)
                        self._gen_name = name
                        self._start_memory_copy(self._gen)
                    self._current_mtime = mtime
        return self._gen

    def _new_generation_name(self) -> str:
        assert self.path is not None
        nums = [int(p.name[4:]) for p in self.path.glob("gen-*") if p.name[4:].isdigit()]
        return f"gen-{max(nums, default=0) + 1:06d}"

    def _publish(self, name: str) -> None:
        assert self.path is not None
        tmp = self.path / "CURRENT.tmp"
        tmp.write_text(name + "\n")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, self._current_file())

    def _collect_garbage(self) -> None:
        """Remove the generations older than the last :data:`KEEP_GENERATIONS` (called holding the lock)."""
        assert self.path is not None
        current = self._current_file().read_text().strip()
        gens = sorted(p.name for p in self.path.glob("gen-*") if p.is_dir() and p.name <= current)
        for name in gens[:-KEEP_GENERATIONS]:
            shutil.rmtree(self.path / name, ignore_errors=True)

    def _clean_abandoned(self) -> None:
        """Remove what killed writers left: unpublished generations (newer than ``CURRENT``), ``CURRENT.tmp`` and
        the scratch directory.  Only called holding the lock, so no live writer owns any of them."""
        assert self.path is not None
        cur = self._current_file()
        current = cur.read_text().strip() if cur.exists() else ""
        for p in self.path.glob("gen-*"):
            if p.is_dir() and p.name > current:
                shutil.rmtree(p, ignore_errors=True)
        (self.path / "CURRENT.tmp").unlink(missing_ok=True)
        shutil.rmtree(self.path / "scratch", ignore_errors=True)

    @property
    def generation(self) -> str | None:
        """Name of the generation this store reads: the pinned one inside :meth:`snapshot` (None in memory)."""
        return self._current().name

    @property
    def answers_stable(self) -> bool:
        """On disk, a generation is never changed once published (in memory there is no generation name)."""
        return self.path is not None

    @contextmanager
    def snapshot(self) -> Iterator[OxigraphStore]:
        """Pin the current generation for the reads of this thread inside the block (nests)."""
        if self.path is None or getattr(self._pin, "gen", None) is not None:
            yield self
            return
        self._pin.gen = self._current()
        try:
            yield self
        finally:
            self._pin.gen = None

    # -- reads ---------------------------------------------------------------------------------------
    def _query(
        self,
        query: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        *,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Evaluate a query with the SPARQL 1.1 dataset rules of :meth:`Store.query_stream`."""
        db = self._current().db
        kwargs: dict[str, Any] = {}
        if base_iri:
            kwargs["base_iri"] = base_iri
        if prefixes:
            kwargs["prefixes"] = dict(prefixes)
        try:
            if default_graphs is not None or named_graphs is not None:  # the protocol's dataset wins
                kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs or []]
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or []]
            elif not declares_dataset(query):  # else Oxigraph reads the query's own FROM / FROM NAMED
                kwargs["use_default_graph_as_union"] = True
            return db.query(query, **kwargs)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(str(exc)) from exc

    def select(self, query: str, *, timeout: float | None = None, include_hidden: bool = False) -> SelectResult:
        res = self._query(query)
        if not isinstance(res, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        return solutions(res)

    def ask(self, query: str, *, timeout: float | None = None) -> bool:
        res = self._query(query)
        if not isinstance(res, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(res)

    def construct(self, query: str, *, timeout: float | None = None) -> list[Triple]:
        res = self._query(query)
        if not isinstance(res, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        return [(IRI(to_term(tr.subject)), IRI(to_term(tr.predicate)), to_term(tr.object)) for tr in res]

    def query_stream(
        self,
        query: str,
        media_type: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        timeout: float | None = None,
        max_results: int | None = None,
        max_bytes: int | None = None,
    ) -> Iterator[bytes]:
        res = self._query(query, default_graphs, named_graphs, base_iri=base_iri, prefixes=prefixes)
        return results.serialize_iter(res, media_type, max_results=max_results, max_bytes=max_bytes)

    def graphs(self, *, include_hidden: bool = False) -> list[str]:
        gen = self._current()
        return sorted(g for g, f in gen.index.items() if include_hidden or f.live)

    def graph_files(self, *, include_hidden: bool = False) -> dict[str, Path]:
        """The N-Triples snapshot file of every graph (for dumps and in-memory validation)."""
        gen = self._current()
        return {g: gen.graphs_dir / f.file for g, f in gen.index.items() if include_hidden or f.live}

    def graph_predicates(self) -> dict[str, set[str]]:
        return {g: set(f.predicates) for g, f in self._current().index.items()}

    def count(self, graph: str | None = None) -> int:
        gen = self._current()
        if graph is not None:
            f = gen.index.get(graph)
            return f.triples if f else 0
        return sum(f.triples for f in gen.index.values() if f.live)

    def dump_graph(self, graph: str) -> bytes:
        path = self._current().file_of(graph)
        return path.read_bytes() if path else b""

    def load_file(self, graph: str, path: Path) -> None:
        with self.transaction() as tx:
            tx.load_graph(graph, path)

    def read_aux(self, name: str) -> bytes | None:
        """An auxiliary file of the current generation (e.g. the validation cache), if present."""
        p = self._current().graphs_dir / ("aux-" + name)
        return p.read_bytes() if p.exists() else None

    # -- writes --------------------------------------------------------------------------------------
    def replace_graphs(self, updates: Mapping[str, GraphSource]) -> None:
        with self.transaction() as tx:
            tx.replace_graphs(updates)

    @contextmanager
    def transaction(self) -> Iterator[OxTransaction]:
        """A private copy of the dataset to change and query; published on success, discarded on error.

        Holds the writer lock (:meth:`write_lock`) throughout.  The copy is published only if ``CURRENT`` still
        names the generation it was copied from (else :class:`StaleBase`).  An ``OSError`` while the copy is
        written (a full disk …) becomes :class:`StoreWriteError`; either way the published data is as before.
        """
        if self.read_only:
            raise StoreError("store opened read-only")
        with self.write_lock(), self._lock:
            if self.path is None:
                yield from self._memory_transaction()
                return
            current = self._current_file().read_text().strip()
            name = self._new_generation_name()
            target = self.path / name
            stage = "copying the current generation"
            try:
                src = self.path / current
                (target / "graphs").mkdir(parents=True)
                ox.Store.read_only(str(src / "db")).backup(str(target / "db"))
                for f in (src / "graphs").iterdir():
                    if f.name != "index.json":
                        os.link(f, target / "graphs" / f.name)
                index = Generation.read_index(src / "graphs")
                gen = Generation(ox.Store(str(target / "db")), target / "graphs", index, name)
                tx = OxTransaction(self, gen, on_disk=True)
                stage = "writing the new generation"
                yield tx
                stage = "finishing the new generation"
                gen.write_index()
                if tx.loaded_triples >= OPTIMIZE_AFTER_TRIPLES:
                    gen.db.optimize()
                gen.db.flush()
                tx.gen = None
                del gen
                now = self._current_file().read_text().strip()
                if now != current:
                    raise StaleBase(
                        f"store {self.path} was changed by another writer during this transaction (it started "
                        f"from {current}, {now} is now published); nothing was published: run it again"
                    )
                stage = "publishing the new generation"
                self._publish(name)
            except OSError as exc:
                shutil.rmtree(target, ignore_errors=True)
                raise StoreWriteError(
                    f"store {self.path}: {stage} {name} failed: {_os_reason(exc)}; nothing was published "
                    f"(the store is unchanged at {current})"
                ) from exc
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise
            self._current()
            self._collect_garbage()

    def _memory_transaction(self) -> Iterator[OxTransaction]:
        old = self._gen
        db = ox.Store()
        db.extend(old.db)
        graphs_dir = Path(tempfile.mkdtemp(prefix="gen-", dir=self._tmp.name))
        for _g, f in old.index.items():
            shutil.copy(old.graphs_dir / f.file, graphs_dir / f.file)
        gen = Generation(db, graphs_dir, dict(old.index))
        tx = OxTransaction(self, gen, on_disk=False)
        yield tx
        self._gen = gen

    def dump(self, out: BinaryIO, media_type: str, *, graph: str | None = None) -> None:
        gen = self._current()
        fmt = results.rdf_format(media_type)
        files = (
            [gen.file_of(graph)]
            if graph is not None
            else [gen.graphs_dir / f.file for f in gen.index.values() if f.live]
        )
        if fmt == ox.RdfFormat.N_TRIPLES:
            for path in files:
                if path is not None:
                    with path.open("rb") as fh:
                        shutil.copyfileobj(fh, out)
            return
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            graphs = [graph] if graph is not None else [g for g, f in gen.index.items() if f.live]
            ox.serialize(
                (q for g in graphs for q in gen.db.quads_for_pattern(None, None, None, ox.NamedNode(g))),
                out,
                fmt,
            )
            return
        triples = (
            tr for path in files if path is not None for tr in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        )
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in triples), out, fmt)

    def close(self) -> None:
        pass


def _os_reason(exc: OSError) -> str:
    """An ``OSError`` in one line: ``[Errno 28] No space left on device`` (plus the file, when known)."""
    text = f"[Errno {exc.errno}] {exc.strerror}" if exc.errno is not None and exc.strerror else str(exc)
    if getattr(exc, "filename", None):
        text += f": {exc.filename}"
    return " ".join(text.split())


BULK_LINES = 100_000
"""Most N-Triples lines given to one ``bulk_load`` call: pyoxigraph's bulk loader holds a whole batch in memory
(~0.8 kB a triple), so a big file is loaded in parts of this size."""


def _bulk_load(db: ox.Store, path: Path, graph: ox.NamedNode, triples: int) -> None:
    """Bulk-load an N-Triples file into ``graph`` in parts of at most :data:`BULK_LINES` lines (bounded memory)."""
    if triples <= BULK_LINES:
        db.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)
        return
    with path.open("rb") as fh:
        part: list[bytes] = []
        for line in fh:
            part.append(line)
            if len(part) == BULK_LINES:
                db.bulk_load(input=b"".join(part), format=ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)
                part.clear()
        if part:
            db.bulk_load(input=b"".join(part), format=ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)


class OxTransaction:
    """A writable, queryable copy of the dataset (see :meth:`OxigraphStore.transaction`)."""

    def __init__(self, store: OxigraphStore, gen: Generation, *, on_disk: bool) -> None:
        self.store = store
        self.gen: Generation | None = gen
        self.on_disk = on_disk
        self.loaded_triples = 0
        self._lock = threading.Lock()

    def _gen(self) -> Generation:
        assert self.gen is not None, "transaction already finished"
        return self.gen

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Remove graphs (no error for graphs that do not exist)."""
        gen = self._gen()
        for graph in graphs:
            f = gen.index.pop(graph, None)
            if f is None:
                continue
            if f.live:
                gen.db.remove_graph(ox.NamedNode(graph))
            (gen.graphs_dir / f.file).unlink(missing_ok=True)

    def load_graph(
        self,
        graph: str,
        path: Path,
        predicates: Iterable[str] | None = None,
        *,
        triples: int | None = None,
        move: bool = False,
    ) -> None:
        """Add an N-Triples file to a graph (live graphs go to the database too); thread-safe.

        ``predicates`` (the predicates the file uses) and ``triples`` (its line count) are recorded for
        incremental validation and statistics; they are computed from the file when not given.  With
        ``move`` the file is moved into the generation instead of copied.
        """
        gen = self._gen()
        live = self.store.is_live(graph)
        name = "g-" + short_hash(graph, length=20) + ".nt"
        target = gen.graphs_dir / name
        if predicates is None:
            triples, preds = _scan(path)
        else:
            preds = set(predicates)
            triples = _count_lines(path) if triples is None else triples
        if live and triples:
            if self.on_disk:
                _bulk_load(gen.db, path, ox.NamedNode(graph), triples)
            else:
                gen.db.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph), lenient=True)
        with self._lock:
            existing = gen.index.get(graph)
            if existing is None:
                target.unlink(missing_ok=True)
                if move:
                    try:
                        os.replace(path, target)
                    except OSError:
                        shutil.move(path, target)
                else:
                    shutil.copyfile(path, target)
                gen.index[graph] = GraphFile(name, live, triples, sorted(preds))
            else:
                with target.open("ab") as out, path.open("rb") as src:
                    shutil.copyfileobj(src, out)
                existing.triples += triples
                existing.predicates = sorted(set(existing.predicates) | preds)
            self.loaded_triples += triples

    def replace_graphs(self, updates: Mapping[str, GraphSource]) -> None:
        """Drop the named graphs and load their new content (N-Triples files; None = drop only)."""
        self.drop_graphs(updates)
        for graph, src in updates.items():
            if src is not None:
                self.load_graph(graph, src)

    def dump_graph(self, graph: str) -> bytes:
        """One graph as N-Triples."""
        path = self._gen().file_of(graph)
        return path.read_bytes() if path else b""

    def write_aux(self, name: str, data: bytes) -> None:
        """Write an auxiliary file into the new generation (replacing the linked copy)."""
        p = self._gen().graphs_dir / ("aux-" + name)
        p.unlink(missing_ok=True)
        p.write_bytes(data)

    def select(self, query: str) -> SelectResult:
        """SELECT over the live graphs of this transaction (their union is the default graph)."""
        return union_select(self._gen().db, query)

    def graphs(self, *, include_hidden: bool = True) -> list[str]:
        return sorted(g for g, f in self._gen().index.items() if include_hidden or f.live)


def _scan(path: Path) -> tuple[int, set[str]]:
    """Line count and predicate IRIs of an N-Triples file written by cbkg (``<s> <p> o .`` lines)."""
    n, preds = 0, set()
    with path.open("r", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(("<", "_:")):
                n += 1
                rest = line.split(" ", 2)
                if len(rest) > 1 and rest[1].startswith("<"):
                    preds.add(rest[1][1:-1])
    return n, preds


def _count_lines(path: Path) -> int:
    n = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            n += chunk.count(b"\n")
    return n
