"""Data quality: run SHACL validation, keep the report in the store (``graph/quality``), render it readably.

Validation is incremental: every compiled constraint is fingerprinted with the graphs it can read (those
whose recorded predicates it uses) and their content; a constraint whose fingerprint did not change since
the last run reuses its cached results.  Dirty constraints run on an in-memory copy of just the graphs
they read, loaded from the store's N-Triples snapshots (a full corpus scan is ~10× faster in memory than
in RocksDB).  Remote stores have no snapshots: there the constraints run as SPARQL on the server.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from ontology import terms as t
from ontology.iri import Minter, cbkg
from ontology.namespaces import DCTERMS, RDF, SH

from . import validate
from .oxistore import union_select
from .prepared import canned, prepare
from .settings import Settings
from .store import SelectResult, Store, lex

CACHE_NAME = "validation-cache.json"
ENGINE_VERSION = "1"


@dataclass
class ValidationOutcome:
    """Results of a validation run and how it went."""

    results: list[validate.Result]
    engine: str
    constraints: int
    reused: int = 0
    seconds: float = 0.0
    load_seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    rows: dict[str, list[str]] = field(default_factory=dict)

    @property
    def violations(self) -> int:
        return sum(1 for r in self.results if r.severity == validate.VIOLATION)

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.results if r.severity == validate.WARNING)

    @property
    def conforms(self) -> bool:
        return not self.results


def _fingerprint_graph(path: Path) -> str:
    st = path.stat()
    if st.st_size < 64 << 20:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return f"{st.st_size}-{st.st_mtime_ns}"


def _relevant(c: validate.Constraint, predicates: dict[str, set[str]]) -> list[str]:
    needed = set(c.predicates) | {RDF + "type", "http://www.w3.org/2000/01/rdf-schema#subClassOf"}
    return sorted(g for g, preds in predicates.items() if preds & needed)


def _load_memory(files: list[Path], threads: int) -> ox.Store:
    mem = ox.Store()

    def one(item: tuple[int, Path]) -> None:
        i, path = item
        mem.load(
            path=str(path),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode(f"urn:cbkg:v:{i}"),
            lenient=True,
        )

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        list(pool.map(one, enumerate(sorted(files, key=lambda p: -p.stat().st_size))))
    return mem


def validate_store(
    store: Store,
    settings: Settings,
    *,
    engine: str | None = None,
    force: bool = False,
    sample_rows: bool = True,
) -> ValidationOutcome:
    """Validate the live dataset with the shapes of ``ontology/shapes`` and store the report."""
    engine = engine or settings.validation_engine
    t0 = time.perf_counter()
    shapes = validate.load_shapes()
    cache: bytes | None = None
    if engine == "pyshacl":
        outcome = _validate_pyshacl(store, shapes)
    elif store.graph_files():
        outcome, cache = _validate_fast_snapshots(store, shapes, settings, force=force)
    else:
        v = validate.FastValidator(shapes, store.select)
        cs = v.compile()
        outcome = ValidationOutcome(v.run(cs, threads=settings.workers), "fast", len(cs))
    outcome.seconds = time.perf_counter() - t0
    if sample_rows:
        outcome.rows = source_rows(store, [r.focus for r in outcome.results])
    write_report(store, outcome, Minter(settings.base_iri), cache)
    return outcome


def _validate_fast_snapshots(
    store: Store, shapes: rdflib.Graph, settings: Settings, *, force: bool
) -> tuple[ValidationOutcome, bytes]:
    m = Minter(settings.base_iri)
    skip = {m.graph("quality"), m.graph("shapes")}
    files = {g: p for g, p in store.graph_files().items() if g not in skip}
    all_predicates = store.graph_predicates()
    predicates = {g: all_predicates.get(g, set()) for g in files}
    prints = {g: _fingerprint_graph(p) for g, p in files.items()}
    cache: dict[str, Any] = {}
    raw = store.read_aux(CACHE_NAME)
    if raw and not force:
        cache = json.loads(raw)
        if cache.get("engine") != ENGINE_VERSION:
            cache = {}
    cached = cache.get("constraints", {})

    # compile against a small in-memory copy of the ontology graph (subclass closures)
    onto = [p for g, p in files.items() if g.endswith("/graph/ontology")]
    onto_db = _load_memory(onto, 1)
    v = validate.FastValidator(shapes, lambda q: union_select(onto_db, q))
    constraints = v.compile()
    todo: list[tuple[validate.Constraint, str, list[str]]] = []
    results: list[validate.Result] = []
    new_cache: dict[str, Any] = {}
    reused = 0
    for c in constraints:
        rel = _relevant(c, predicates)
        key = hashlib.sha256((c.shape + c.component + c.query).encode()).hexdigest()[:20]
        fp = hashlib.sha256(json.dumps([c.query, [(g, prints[g]) for g in rel]]).encode()).hexdigest()[:20]
        hit = cached.get(key)
        if hit and hit["fingerprint"] == fp:
            rs = [validate.Result(**r) for r in hit["results"]]
            results += rs
            new_cache[key] = hit
            reused += 1
        else:
            todo.append((c, key, rel))
            new_cache[key] = {"fingerprint": fp, "results": []}
    outcome = ValidationOutcome([], "fast", len(constraints), reused=reused)
    if todo:
        needed = sorted({g for _, _, rel in todo for g in rel})
        t1 = time.perf_counter()
        mem = _load_memory([files[g] for g in needed], settings.workers)
        outcome.load_seconds = time.perf_counter() - t1
        runner = validate.FastValidator(shapes, lambda q: union_select(mem, q))
        runner._closure = v._closure
        by_constraint = runner.run_each([c for c, _, _ in todo], threads=settings.workers, timings=outcome.timings)
        for (_c, key, _), rs in zip(todo, by_constraint, strict=True):
            new_cache[key]["results"] = [asdict(r) for r in rs]
            results += rs
    outcome.results = sorted(set(results))
    cache_bytes = json.dumps({"engine": ENGINE_VERSION, "constraints": new_cache}, ensure_ascii=False).encode()
    return outcome, cache_bytes


def _validate_pyshacl(store: Store, shapes: rdflib.Graph) -> ValidationOutcome:
    data = rdflib.Graph()
    files = store.graph_files()
    skip = ("/graph/quality", "/graph/shapes")
    if files:
        for g, path in files.items():
            if not g.endswith(skip):
                data.parse(path, format="nt")
    else:
        for g in store.graphs():
            if not g.endswith(skip):
                data.parse(data=store.dump_graph(g).decode("utf-8"), format="nt")
    results = validate.pyshacl_results(data, shapes)
    return ValidationOutcome(results, "pyshacl", 0)


def source_rows(store: Store, focus_nodes: list[str], limit: int = 100_000) -> dict[str, list[str]]:
    """The source records (``prov:wasDerivedFrom``) of focus nodes, directly or through their budget line."""
    out: dict[str, list[str]] = defaultdict(list)
    nodes = sorted({f for f in focus_nodes if f.startswith("http")})[:limit]
    for i in range(0, len(nodes), 1000):
        rows = store.select(prepare(canned("source-rows"), nodes=[t.IRI(n) for n in nodes[i : i + 1000]]))
        for r in rows:
            out[str(r["f"])].append(str(r["row"]))
    return dict(out)


def write_report(store: Store, outcome: ValidationOutcome, m: Minter, cache: bytes | None = None) -> None:
    """Replace ``graph/quality`` with the SHACL report of ``outcome``."""
    g = m.graph("quality")
    report = t.IRI(g + "#report")
    sh = SH
    triples: list[t.Triple] = [
        (report, t.RDF_TYPE, t.IRI(sh + "ValidationReport")),
        (report, t.IRI(sh + "conforms"), t.boolean(outcome.conforms)),
        (report, t.IRI(DCTERMS + "created"), t.datetime(dt.datetime.now(dt.UTC).replace(microsecond=0))),
        (report, cbkg("validationEngine"), t.text(outcome.engine)),
        (report, cbkg("violationCount"), t.integer(outcome.violations)),
        (report, cbkg("warningCount"), t.integer(outcome.warnings)),
    ]
    for i, r in enumerate(outcome.results, 1):
        node = t.IRI(f"{g}#r{i}")
        triples += [
            (report, t.IRI(sh + "result"), node),
            (node, t.RDF_TYPE, t.IRI(sh + "ValidationResult")),
            (node, t.IRI(sh + "focusNode"), t.IRI(r.focus)),
            (node, t.IRI(sh + "sourceShape"), t.IRI(r.shape)),
            (node, t.IRI(sh + "sourceConstraintComponent"), t.IRI(r.component)),
            (node, t.IRI(sh + "resultSeverity"), t.IRI(r.severity)),
        ]
        if r.message:
            triples.append((node, t.IRI(sh + "resultMessage"), t.text(r.message, "en")))
        if r.path and not r.path.startswith("^"):
            triples.append((node, t.IRI(sh + "resultPath"), t.IRI(r.path)))
        if r.value is not None:
            triples.append((node, t.IRI(sh + "value"), _parse_value(r.value)))
        for row in outcome.rows.get(r.focus, [])[:3]:
            triples.append((node, cbkg("sourceRecord"), t.IRI(row)))
    with tempfile.TemporaryDirectory(prefix="cbkg-q-") as d:
        path = Path(d) / "quality.nt"
        path.write_text("".join(f"<{s}> <{p}> {o.nt()} .\n" for s, p, o in triples), encoding="utf-8")
        with store.transaction() as tx:
            tx.replace_graphs({g: path})
            if cache is not None and hasattr(tx, "write_aux"):
                tx.write_aux(CACHE_NAME, cache)


def _parse_value(value: str) -> t.Term:
    if value.startswith('"'):
        parsed = next(iter(ox.parse(input=f"<urn:s> <urn:p> {value} .", format=ox.RdfFormat.N_TRIPLES)))
        lit = parsed.object
        dtype = lit.datatype.value if lit.datatype else None
        return t.Literal(lit.value, None if lit.language or dtype == t.XSD_STRING else dtype, lit.language)
    return t.IRI(value)


def render(outcome: ValidationOutcome, issues: SelectResult | None = None, *, examples: int = 3) -> str:
    """A readable text report: results grouped by shape with examples and their source records."""
    lines = [
        f"SHACL validation ({outcome.engine} engine): {outcome.violations} violations, "
        f"{outcome.warnings} warnings, {len(outcome.results)} results; {outcome.constraints} constraints "
        f"({outcome.reused} reused from the last run), {outcome.seconds:.1f} s",
    ]
    groups: dict[tuple[str, str, str], list[validate.Result]] = defaultdict(list)
    for r in outcome.results:
        groups[(r.severity, r.shape, r.component)].append(r)
    for (sev, shape, comp), rs in sorted(
        groups.items(), key=lambda kv: (validate.SEVERITY_ORDER[kv[0][0]], -len(kv[1]))
    ):
        lines.append(
            f"\n[{sev.rsplit('#', 1)[1]}] {shape.rsplit('#', 1)[-1]} "
            f"({comp.rsplit('#', 1)[1].removesuffix('ConstraintComponent')}): {len(rs)}"
        )
        lines.append(f"    {rs[0].message}")
        for r in rs[:examples]:
            src = ", ".join(outcome.rows.get(r.focus, [])[:2]) or "-"
            val = f" value={r.value}" if r.value is not None else ""
            lines.append(f"    · {r.focus}{val}\n      source: {src}")
    if issues is not None and len(issues):
        lines.append("\nLoad issues (rows or values the loaders could not map faithfully):")
        for row in issues:
            severity, code, n, file = (lex(row[v]) for v in ("severity", "code", "n", "file"))
            lines.append(f"    {severity:7} {code:24} {n:>6}  {file}")
    return "\n".join(lines)


def issue_summary(store: Store) -> SelectResult:
    """Load issues counted by file, severity and code."""
    return store.select(prepare(canned("issue-summary")))
