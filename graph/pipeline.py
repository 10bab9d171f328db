"""The build pipeline: detect each file's format → parse and map (in worker processes) → one atomic store
transaction (replace the files' graphs, refresh ontology/registers, rebuild the entities graph).

Every source unit (a CSV, a ZIP member, a JSON, a text file) becomes the named graph
``{base}graph/{loader key}`` and the hidden graph ``{base}declarations/{loader key}``; the data graph also
describes itself with PROV (source file name, SHA-256, size, loader and version, load activity times) and
VoID (triple count, property partitions).  Re-loading a file whose bytes and loader version are unchanged
is skipped unless forced; forced or not, the same bytes always produce the same triples (IRIs are minted
from stable keys), apart from the load activity's timestamps.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import loaders
from loaders.base import Loader, LoaderError, LoadIssue, MapContext, RecordMapper, SourceUnit, Stamp, watch_reads
from ontology import terms as t
from ontology.iri import Minter, cbkg
from ontology.namespaces import DCAT, DCTERMS, PROV, VOID
from ontology.terms import IRI, Triple

from . import identity
from .prepared import canned, prepare
from .settings import Settings
from .store import Store, StoreError, Transaction, lex, value

PIPELINE_VERSION = "2"
PROVENANCE_PREDICATES = {
    t.RDF_TYPE,
    PROV + "wasDerivedFrom",
    PROV + "wasGeneratedBy",
    PROV + "used",
    PROV + "startedAtTime",
    PROV + "endedAtTime",
    DCTERMS + "title",
    DCTERMS + "license",
    DCTERMS + "publisher",
    DCAT + "byteSize",
    DCAT + "downloadURL",
    VOID + "triples",
    VOID + "propertyPartition",
    VOID + "property",
} | {
    cbkg(x)
    for x in (
        "loader",
        "loaderVersion",
        "graphKey",
        "recordCount",
        "sha256",
        "format",
        "archiveName",
        "pipelineVersion",
        "errorIssueCount",
        "warningIssueCount",
        "infoIssueCount",
    )
}


@dataclass(frozen=True)
class UnitPlan:
    """One unit to load: which loader, which graph."""

    loader: str
    unit: SourceUnit
    key: str
    graph: str
    decl_graph: str
    sha256: str
    size: int
    cost: float = 0.0
    stamp: Stamp | None = None
    """The file's size, mtime and inode when it was hashed (see :meth:`loaders.base.ReadWatch.check`)."""


@dataclass
class UnitResult:
    """What mapping one unit produced."""

    plan: UnitPlan
    data_path: Path
    decl_path: Path
    data_parts: list[tuple[Path, int]] = field(default_factory=list)
    """Earlier parts of the data (file, triples), each at most :data:`BULK_CHUNK` triples; ``data_path`` is the last."""
    records: int = 0
    triples: int = 0
    declarations: int = 0
    issues: Counter[str] = field(default_factory=Counter)
    predicates: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


@dataclass
class LoadReport:
    """Outcome of a load: per-unit results, skipped and refused files."""

    loaded: list[UnitResult] = field(default_factory=list)
    unchanged: list[UnitPlan] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    identity: identity.IdentityOutcome | None = None


class LoadAborted(StoreError):
    """The load cannot go on for a reason that is not one file's content (no space for its temporary files, a
    worker process killed …): nothing is published, the store stays as it was."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[LoadAborted], tuple[str, str]]:
        return (type(self), (self.source, self.reason))


def _os_reason(exc: OSError) -> str:
    """An ``OSError`` in one line (``[Errno 28] No space left on device: 'file'``)."""
    text = f"[Errno {exc.errno}] {exc.strerror}" if exc.errno is not None and exc.strerror else str(exc)
    if getattr(exc, "filename", None):
        text += f": {exc.filename}"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        text += " (no space for the load's temporary files)"
    return " ".join(text.split())


def _unreadable(source: str, exc: BaseException) -> LoaderError:
    """The refusal of a file whose loader failed in an unforeseen way (it never aborts the other files)."""
    if isinstance(exc, RecursionError):
        return LoaderError(source, "nested too deeply to read (over the parser's recursion limit); not loaded")
    if isinstance(exc, MemoryError):
        return LoaderError(source, "too big to read in the memory available; not loaded")
    detail = " ".join(str(exc).split())[:300]
    return LoaderError(source, f"unreadable: {type(exc).__name__}: {detail}; not loaded")


def _minter(settings: Settings) -> Minter:
    return Minter(settings.base_iri)


def _write_lock(store: Store) -> contextlib.AbstractContextManager[None]:
    """The store's writer lock (:meth:`graph.oxistore.OxigraphStore.write_lock`), if it has one."""
    lock = getattr(store, "write_lock", None)
    return lock() if lock is not None else contextlib.nullcontext()


@contextlib.contextmanager
def _workdir(store: Store, prefix: str) -> Iterator[Path]:
    """A temporary directory for a write: in the store's scratch directory (emptied whenever a writer takes the
    lock, so a killed load leaves nothing for long), else in TMPDIR.  Call it holding :func:`_write_lock`."""
    scratch = getattr(store, "scratch_dir", None)
    base = scratch() if scratch is not None else None
    with tempfile.TemporaryDirectory(prefix=f"cbkg-{prefix}-", dir=base) as d:
        yield Path(d)


def _is_documentation(p: Path) -> bool:
    name = p.name.upper()
    return name.startswith(("README", "LICENSE", "PROVENANCE", "UPSTREAM", "MANIFEST")) or p.suffix.lower() == ".md"


def plan(paths: Iterable[Path], settings: Settings, report: LoadReport) -> list[UnitPlan]:
    """Detect the loader of every file and plan its units; unrecognised files go to ``report.refused``."""
    m = _minter(settings)
    plans: list[UnitPlan] = []
    files: list[Path] = []
    real: set[Path] = set()  # each file once, however many paths or links name it
    for p in paths:
        found, bad = loaders.walk([p])
        report.refused += [b for b in bad if b not in report.refused]  # a folder named twice: told once
        for f in found:
            if not (p.is_dir() and _is_documentation(f)) and f.resolve() not in real:
                real.add(f.resolve())
                files.append(f)
    for f in files:
        try:
            loader, units = loaders.detect(f)
        except LoaderError as exc:
            report.refused.append((exc.source, exc.reason))
            continue
        except OSError as exc:
            report.refused.append((str(f), f"unreadable file: {_os_reason(exc)}"))
            continue
        except Exception as exc:  # one file's surprise never stops the others
            err = _unreadable(str(f), exc)
            report.refused.append((err.source, err.reason))
            continue
        for unit in units:
            try:
                stamp = unit.stamp()
                head = unit.head()
                key = loader.graph_key(unit, head)
                sha = unit.sha256()
                size = unit.size()
                if unit.stamp() != stamp:
                    raise LoaderError(
                        str(unit),
                        "the file changed while it was being hashed; not loaded: load it again once it is complete",
                    )
                cost_fn = getattr(loader, "cost", None)
                cost = cost_fn(unit, head) if cost_fn else float(size)
            except LoaderError as exc:
                report.refused.append((exc.source, exc.reason))
                continue
            except OSError as exc:
                report.refused.append((str(unit), f"unreadable file: {_os_reason(exc)}"))
                continue
            except Exception as exc:
                err = _unreadable(str(unit), exc)
                report.refused.append((err.source, err.reason))
                continue
            plans.append(
                UnitPlan(loader.NAME, unit, key, m.graph(key), m.declarations_graph(key), sha, size, cost, stamp)
            )
    # one graph per key: the last file named wins, and the user is told
    by_key: dict[str, UnitPlan] = {}
    for p_ in plans:
        if p_.key in by_key:
            report.refused.append((str(by_key[p_.key].unit), f"superseded by {p_.unit} (same graph {p_.key})"))
        by_key[p_.key] = p_
    return list(by_key.values())


DEDUP_WINDOW = 100_000
"""Distinct triples remembered to drop repeated ones (at least this many back, at most twice as many), so that
mapping a file of any size needs bounded memory.  A repeated triple restates a fact of the same sheet a few rows
earlier (at most 1,306 distinct triples back in the RS 2024 corpus)."""
BULK_CHUNK = 100_000
"""Most triples bulk-loaded at once: pyoxigraph's bulk loader keeps a whole batch in memory (~0.8 kB a triple)."""
MAX_TRIPLE_BYTES = 4 << 20
"""Longest N-Triples line stored (4 MiB).  Oxigraph's parser refuses lines over 16 MiB, which would fail the whole
load; a longer value (no real sheet comes near: the longest RS 2024 cell is 5.6 kB) is recorded as a load issue
with its row, column, length and first characters instead, and the source row keeps the value."""


class _Window:
    """Digests of the lines seen recently: at least :data:`DEDUP_WINDOW` back, at most twice as many (bounded
    memory).  A line repeated further back is written again; the store keeps each triple once anyway."""

    __slots__ = ("older", "seen")

    def __init__(self) -> None:
        self.seen: set[bytes] = set()
        self.older: set[bytes] = set()

    def first(self, line: str) -> bool:
        """True if ``line`` was not seen within the window (it is remembered from now on)."""
        key = hashlib.blake2b(line.encode("utf-8"), digest_size=16).digest()
        if key in self.seen or key in self.older:
            return False
        if len(self.seen) >= DEDUP_WINDOW:
            self.older, self.seen = self.seen, set()
        self.seen.add(key)
        return True


def _oversize(line: str) -> int:
    """The UTF-8 size of ``line`` if it is over :data:`MAX_TRIPLE_BYTES`, else 0."""
    if len(line) <= MAX_TRIPLE_BYTES // 4:  # at most 4 bytes a character: surely small enough
        return 0
    size = len(line.encode("utf-8"))
    return size if size > MAX_TRIPLE_BYTES else 0


def _oversize_issue(record: object, pr: str, o: t.Term, size: int) -> LoadIssue:
    """The load issue for a value too long to store (see :data:`MAX_TRIPLE_BYTES`)."""
    lex = str(getattr(o, "lex", o))
    return LoadIssue(
        "value-too-long",
        f"value of {size:,} bytes exceeds the {MAX_TRIPLE_BYTES >> 20} MiB limit of one stored value; not stored "
        f"(first 200 characters kept here, the full value stays in the source row)",
        "error",
        row=getattr(record, "row", None),
        line=getattr(record, "line", None),
        column=pr,
        value=lex[:200] + "…",
    )


TEMP_RATIO = 64
"""Most temporary N-Triples a unit may write per byte of source (the bundled sources write up to 33×: RS 2-1 21×)."""
TEMP_FLOOR = 256 << 20
"""Temporary N-Triples any unit may write, whatever its size (256 MiB)."""


class _DataParts:
    """The data file of a unit, written in parts of at most :data:`BULK_CHUNK` triples (``res.data_parts``),
    within a budget of temporary disk (:data:`TEMP_RATIO`, :data:`TEMP_FLOOR`)."""

    def __init__(self, res: UnitResult) -> None:
        self.res = res
        self.file = res.data_path.open("w", encoding="utf-8")
        self.part = 0  # triples in the part being written
        self.stem = res.data_path.stem
        self.written = 0  # characters written (at least the bytes / 4)
        self.budget = max(TEMP_FLOOR, TEMP_RATIO * res.plan.size)

    def charge(self, lines: list[str]) -> None:
        """Count ``lines`` against the budget; refuse the unit (:class:`LoaderError`) when it is exceeded."""
        self.written += sum(map(len, lines))
        if self.written > self.budget:
            p = self.res.plan
            raise LoaderError(
                str(p.unit),
                f"mapping it writes over {self.budget >> 20:,} MiB of temporary triples ({TEMP_RATIO}× its "
                f"{p.size:,} bytes, at least {TEMP_FLOOR >> 20} MiB; real sources need up to 33×); refused, not loaded",
            )

    def writelines(self, lines: list[str]) -> None:
        self.charge(lines)
        i = 0
        while i < len(lines):
            if self.part == BULK_CHUNK:  # this part is full: a new file follows
                self.file.close()
                res = self.res
                res.data_parts.append((res.data_path, self.part))
                res.data_path = res.data_path.with_name(f"{self.stem}.{len(res.data_parts)}.nt")
                self.file, self.part = res.data_path.open("w", encoding="utf-8"), 0
            chunk = lines[i : i + BULK_CHUNK - self.part]
            self.file.writelines(chunk)
            self.part += len(chunk)
            i += len(chunk)

    def __enter__(self) -> _DataParts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def map_unit(p: UnitPlan, base: str, workdir: str) -> UnitResult:
    """Parse and map one unit to N-Triples files (runs in a worker process).

    Raises :class:`LoaderError` to refuse the unit: its loader refused it, failed on it in an unforeseen way,
    or the bytes read are not the bytes planned (the file changed during the load); and :class:`LoadAborted`
    on an ``OSError`` (no space for temporary files …), which ends the whole load.
    """
    watch = None
    try:
        with watch_reads(p.unit) as watch:
            res = _map_unit(p, base, workdir)
    except Exception as exc:
        if watch is not None:
            watch.check(p.sha256, p.stamp)  # a file changed under its loader: that is the reason, not the symptom
        if isinstance(exc, LoaderError):
            raise
        if isinstance(exc, OSError):
            raise LoadAborted(str(p.unit), _os_reason(exc)) from None
        raise _unreadable(str(p.unit), exc) from None  # RecursionError, MemoryError, a loader bug: this unit only
    watch.check(p.sha256, p.stamp)
    return res


def map_in_memory(
    loader: Loader, unit: SourceUnit, minter: Minter
) -> tuple[list[Triple], list[Triple], list[LoadIssue]]:
    """Map one source unit without a store: (data triples, declaration triples, load issues), in order.

    The same mapping as a load (graph key, source IRI, issue numbering), without deduplication or the size guard;
    the golden-file tests use it."""
    key = loader.graph_key(unit, unit.head())
    ctx = MapContext(minter, minter.source(unit.sha256()), IRI(minter.graph(key)))
    mapper = RecordMapper(loader, ctx)
    data: list[Triple] = []
    decl: list[Triple] = []
    issues: list[LoadIssue] = []
    for record in loader.parse(unit):
        if isinstance(record, LoadIssue):
            issues.append(record)
        data += mapper.data(record)
        decl += mapper.declarations(record)
    return data, decl, issues


def _map_unit(p: UnitPlan, base: str, workdir: str) -> UnitResult:
    start = time.perf_counter()
    loader = loaders.LOADERS[p.loader]
    m = Minter(base)
    source = m.source(p.sha256)
    ctx = MapContext(m, source, IRI(p.graph))
    safe = p.key.replace("/", "_")
    res = UnitResult(p, Path(workdir) / f"{safe}.data.nt", Path(workdir) / f"{safe}.decl.nt")
    predicates: Counter[str] = Counter()
    with _DataParts(res) as data, res.decl_path.open("w", encoding="utf-8") as decl:
        buf: list[str] = []
        dbuf: list[str] = []
        add, dadd = buf.append, dbuf.append
        data_seen, decl_seen = _Window(), _Window()  # rows repeat facts of their sheet: keep each triple once
        n = nd = 0
        mapper = RecordMapper(loader, ctx)
        to_triples, declarations = mapper.data, mapper.declarations
        for record in loader.parse(p.unit):
            if isinstance(record, LoadIssue):
                res.issues[record.severity] += 1
            else:
                res.records += 1
            too_long: list[LoadIssue] = []
            for s, pr, o in to_triples(record):
                line = f"<{s}> <{pr}> {o.nt()} .\n"
                if size := _oversize(line):
                    too_long.append(_oversize_issue(record, pr, o, size))
                elif data_seen.first(line):
                    add(line)
                    predicates[pr] += 1
            for s, pr, o in declarations(record):
                line = f"<{s}> <{pr}> {o.nt()} .\n"
                if size := _oversize(line):
                    too_long.append(_oversize_issue(record, pr, o, size))
                elif decl_seen.first(line):
                    dadd(line)
            for issue in too_long:
                res.issues[issue.severity] += 1
                for s, pr, o in to_triples(issue):
                    line = f"<{s}> <{pr}> {o.nt()} .\n"
                    add(line)
                    predicates[pr] += 1
            if len(buf) > 50_000:
                n += len(buf)
                data.writelines(buf)
                buf.clear()
            if len(dbuf) > 50_000:
                nd += len(dbuf)
                data.charge(dbuf)
                decl.writelines(dbuf)
                dbuf.clear()
        n += len(buf)
        nd += len(dbuf)
        data.writelines(buf)
        data.charge(dbuf)
        decl.writelines(dbuf)
    res.triples, res.declarations, res.predicates = n, nd, predicates
    res.seconds = time.perf_counter() - start
    return res


def provenance_triples(
    res: UnitResult, m: Minter, started: dt.datetime, ended: dt.datetime, manifest: dict[str, Any]
) -> list[t.Triple]:
    """PROV/VoID description of a source graph (stored inside the graph itself)."""
    p = res.plan
    g, src = IRI(p.graph), m.source(p.sha256)
    act = IRI(f"{p.graph}#load")
    loader = loaders.LOADERS[p.loader]
    out: list[t.Triple] = [
        (g, t.RDF_TYPE, cbkg("SourceGraph")),
        (g, t.RDF_TYPE, IRI(VOID + "Dataset")),
        (g, IRI(PROV + "wasDerivedFrom"), src),
        (g, IRI(PROV + "wasGeneratedBy"), act),
        (g, cbkg("loader"), t.text(p.loader)),
        (g, cbkg("loaderVersion"), t.text(loader.VERSION)),
        (g, cbkg("graphKey"), t.text(p.key)),
        (g, IRI(VOID + "triples"), t.integer(res.triples)),
        (g, cbkg("recordCount"), t.integer(res.records)),
        (src, t.RDF_TYPE, cbkg("SourceFile")),
        (src, t.RDF_TYPE, IRI(DCAT + "Distribution")),
        (src, IRI(DCTERMS + "title"), t.text(p.unit.name)),
        (src, cbkg("sha256"), t.text(p.sha256)),
        (src, IRI(DCAT + "byteSize"), t.integer(p.size)),
        (src, cbkg("format"), t.text(loader.TITLE)),
        (act, t.RDF_TYPE, IRI(PROV + "Activity")),
        (act, IRI(PROV + "used"), src),
        (act, IRI(PROV + "startedAtTime"), t.datetime(started)),
        (act, IRI(PROV + "endedAtTime"), t.datetime(ended)),
        (act, cbkg("pipelineVersion"), t.text(PIPELINE_VERSION)),
    ]
    if p.unit.member:
        out.append((src, cbkg("archiveName"), t.text(p.unit.path.name)))
    for sev, n in sorted(res.issues.items()):
        out.append((g, cbkg(f"{sev}IssueCount"), t.integer(n)))
    entry = _manifest_entry(manifest, p)
    if entry:
        if entry.get("url"):
            out.append((src, IRI(DCAT + "downloadURL"), IRI(entry["url"])))
        if entry.get("license"):
            out.append((src, IRI(DCTERMS + "license"), t.text(entry["license"])))
        if entry.get("publisher"):
            out.append((src, IRI(DCTERMS + "publisher"), t.ja(entry["publisher"])))
    for i, (pred, n) in enumerate(sorted(res.predicates.items())):
        pp = IRI(f"{p.graph}#property-{i}")
        out += [
            (g, IRI(VOID + "propertyPartition"), pp),
            (pp, IRI(VOID + "property"), IRI(pred)),
            (pp, IRI(VOID + "triples"), t.integer(n)),
        ]
    return out


def _manifests(plans: list[UnitPlan]) -> dict[str, Any]:
    """Entries of the ``MANIFEST.json`` files in the folders above the loaded files, keyed by the absolute path
    of the file they describe and by its sha256 (so copies elsewhere are still recognised)."""
    out: dict[str, Any] = {}
    seen: set[Path] = set()
    for d in {p.unit.path.resolve().parent for p in plans}:
        for folder in [d, *list(d.parents)[:4]]:
            cand = folder / "MANIFEST.json"
            if cand in seen or not cand.exists():
                continue
            seen.add(cand)
            try:
                entries = json.loads(cand.read_text(encoding="utf-8")).get("files", [])
            except (ValueError, AttributeError):
                continue  # not a manifest of ours: provenance extras only, never a reason to fail a load
            for entry in entries:
                if isinstance(entry, dict) and "path" in entry:
                    out.setdefault(str((folder / entry["path"]).resolve()), entry)
                    if entry.get("sha256"):
                        out.setdefault(entry["sha256"], entry)
    return out


def _manifest_entry(manifest: dict[str, Any], p: UnitPlan) -> dict[str, Any] | None:
    return manifest.get(str(p.unit.path.resolve())) or (None if p.unit.member else manifest.get(p.sha256))


def loaded_sources(store: Store, settings: Settings) -> dict[str, tuple[str, str]]:
    """graph IRI → (sha256, loader version) of the source graphs in the store (mapped by this pipeline version;
    graphs built by another pipeline version are reported with an empty version, so they are rebuilt)."""
    return {
        str(r["g"]): (lex(r["sha"]), lex(r["v"]) if value(r.get("pv")) == PIPELINE_VERSION else "")
        for r in store.select(prepare(canned("loaded-sources")))
    }


ProgressFn = Callable[[str, UnitResult | None], None]


def load(
    paths: Iterable[Path],
    store: Store,
    settings: Settings,
    *,
    force: bool = False,
    progress: ProgressFn | None = None,
) -> LoadReport:
    """Load files into the store in one transaction; returns what happened to each file.

    Mapping runs in ``settings.workers`` processes; each unit's graph is bulk-loaded as soon as it is
    mapped, while the other units are still being mapped.
    """
    t0 = time.perf_counter()
    report = LoadReport()
    plans = plan(list(paths), settings, report)
    try:
        return _load(plans, store, settings, report, t0, force=force, progress=progress)
    except OSError as exc:  # outside a unit's mapping (reference graphs, the work directory …)
        raise LoadAborted(f"store {getattr(store, 'path', '') or ''}".strip(), _os_reason(exc)) from exc


def _load(
    plans: list[UnitPlan],
    store: Store,
    settings: Settings,
    report: LoadReport,
    t0: float,
    *,
    force: bool,
    progress: ProgressFn | None,
) -> LoadReport:
    """The store side of :func:`load`: skip unchanged units, map and store the others in one transaction."""
    m = _minter(settings)
    manifest = _manifests(plans)
    # one writer at a time, from reading what is loaded to publishing: two loads never build on one base
    with _write_lock(store), _workdir(store, "load") as wd:
        existing = loaded_sources(store, settings)
        todo: list[UnitPlan] = []
        for p in plans:
            version = loaders.LOADERS[p.loader].VERSION
            if not force and existing.get(p.graph) == (p.sha256, version):
                report.unchanged.append(p)
            else:
                todo.append(p)
        (wd / "ref").mkdir()
        refs = identity.reference_graphs(m, wd / "ref")
        if not todo and all(p is not None and store.dump_graph(g) == p.read_bytes() for g, p in refs.items()):
            report.seconds = time.perf_counter() - t0
            return report  # nothing changed: no new generation
        with store.transaction() as tx:
            started = dt.datetime.now(dt.UTC).replace(microsecond=0)
            report.loaded = _map_and_load(todo, tx, m, wd, settings, manifest, started, progress, report.refused)
            tx.replace_graphs(identity.reference_graphs(m, wd))  # before the entities graph, which subtracts them
            report.identity = _derive(tx, m, wd)
            if progress:
                progress("entities", None)
    report.seconds = time.perf_counter() - t0
    return report


def _map_and_load(
    todo: list[UnitPlan],
    tx: Transaction,
    m: Minter,
    workdir: Path,
    settings: Settings,
    manifest: dict[str, Any],
    started: dt.datetime,
    progress: ProgressFn | None,
    refused: list[tuple[str, str]],
) -> list[UnitResult]:
    """Map the units and store each one's graphs; a unit whose loader raises :class:`LoaderError` (found unreadable
    half-way) is refused: its previous graphs stay as they were and the other units load."""
    results: list[UnitResult] = []
    order = sorted(todo, key=lambda p: -p.cost)  # costly units first: better packing on few cores

    def finish(res: UnitResult) -> None:
        ended = dt.datetime.now(dt.UTC).replace(microsecond=0)
        prov = provenance_triples(res, m, started, ended, manifest)
        with res.data_path.open("a", encoding="utf-8") as fh:
            for s, p_, o in prov:
                fh.write(f"<{s}> <{p_}> {o.nt()} .\n")
        predicates = set(res.predicates) | PROVENANCE_PREDICATES
        tx.drop_graphs([res.plan.graph, res.plan.decl_graph])  # only once mapped: a refused unit keeps its graphs
        tx.load_graph(res.plan.decl_graph, res.decl_path, triples=res.declarations, move=True)
        for path, n in res.data_parts:  # bulk-loaded part by part: bounded memory
            tx.load_graph(res.plan.graph, path, predicates=predicates, triples=n, move=True)
        tx.load_graph(
            res.plan.graph,
            res.data_path,
            predicates=predicates,
            triples=res.triples - sum(n for _, n in res.data_parts) + len(prov),
            move=True,
        )
        if progress:
            progress("stored", res)

    # one storer: a graph is dropped only once its unit is mapped, and never while another graph is bulk-loaded
    storers = ThreadPoolExecutor(max_workers=1)
    pending: list[Future[None]] = []

    def mapped(res: UnitResult) -> None:
        results.append(res)
        if progress:
            progress("mapped", res)
        pending.append(storers.submit(finish, res))

    with storers:
        if settings.workers > 1 and len(order) > 1:
            pool = ProcessPoolExecutor(max_workers=min(settings.workers, len(order)))
            try:
                futures = {pool.submit(map_unit, p, m.base, str(workdir)): p for p in order}
                for fut in as_completed(futures):
                    try:
                        res = fut.result()
                    except LoaderError as exc:
                        refused.append((exc.source, exc.reason))
                        continue
                    except BrokenProcessPool:
                        raise LoadAborted(
                            str(futures[fut].unit),
                            "a mapping worker process died (killed, or out of memory) while this file was mapped",
                        ) from None
                    mapped(res)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
        else:
            for p in order:
                try:
                    res = map_unit(p, m.base, str(workdir))
                except LoaderError as exc:
                    refused.append((exc.source, exc.reason))
                    continue
                mapped(res)
        for f in pending:
            f.result()
    return results


def _derive(tx: Transaction, m: Minter, workdir: Path) -> identity.IdentityOutcome:
    """Rebuild the derived graphs from the source graphs: entities (merged declarations), then identity (which
    reads entities: plan keys, payee names), then citation links.  The old identity graph goes first, so
    nothing derived is derived from itself."""
    tx.drop_graphs([identity.identity_graph(m)])
    tx.replace_graphs(identity.build_entities(tx, m, workdir))
    ident, outcome = identity.build_identity(tx, m, workdir)
    tx.replace_graphs(ident)
    tx.replace_graphs(identity.build_citation_links(tx, m, workdir))
    _write_derived_aux(tx)  # issue 14: read models stored with the generation
    return outcome


# ---- issue 14: auxiliary read models computed once per generation, at the end of every transaction above ----
AUX_BUILDERS: dict[str, str] = {"catalogue.json": "api.queries:catalogue_aux", "flows.json": "api.flows:flows_aux"}
"""Auxiliary files written into each new generation: name → ``module:function`` (``fn(tx) -> bytes | None``).
The function is imported only when called, so this layer does not import the web layer at import time."""


def _write_derived_aux(tx: Transaction) -> None:
    """Write each :data:`AUX_BUILDERS` file into the generation ``tx`` writes.  A builder that fails costs only
    its file (its reader then computes the model itself); the load goes on."""
    import importlib
    import logging

    if not hasattr(tx, "write_aux"):
        return
    for name, target in AUX_BUILDERS.items():
        module, fn = target.split(":")
        try:
            data = getattr(importlib.import_module(module), fn)(tx)
        except Exception:  # never lose a load for a cache
            logging.getLogger(__name__).warning("auxiliary file %s not written", name, exc_info=True)
            continue
        if data is not None:
            tx.write_aux(name, data)


def rebuild_derived(store: Store, settings: Settings) -> identity.IdentityOutcome:
    """Recompute the derived graphs (entities, identity, citation links) from the loaded sources, atomically."""
    m = _minter(settings)
    with _write_lock(store), _workdir(store, "derive") as wd, store.transaction() as tx:
        return _derive(tx, m, wd)


def remove(graph_keys: Iterable[str], store: Store, settings: Settings) -> list[str]:
    """Remove the graphs of sources (by graph key or IRI) and rebuild the entities graph."""
    m = _minter(settings)
    graphs: list[str] = []
    for key in graph_keys:
        g = key if key.startswith(m.base) else m.graph(key)
        graphs += [g, m.declarations_graph(g.removeprefix(m.base + "graph/"))]
    with _write_lock(store), _workdir(store, "rm") as wd, store.transaction() as tx:
        tx.drop_graphs(graphs)
        _derive(tx, m, wd)
    return graphs
