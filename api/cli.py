"""The ``cbkg`` command line: load, validate, query, stats, export, remove, issues, serve.

A thin layer: argument parsing and output formatting only.  Every lookup is a function of the read model the
REST API uses (:mod:`api.queries`), loads and validation are :mod:`graph.pipeline` and :mod:`graph.quality`.
Imports are lazy: each command imports what it needs (the loaders, the pipeline, validation, the web app), so
a short command such as ``cbkg query 'ASK {}'`` starts in a fraction of a second.
"""

from __future__ import annotations

import json
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, TypedDict

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graph import Settings, open_store
from graph.store import QueryError, Store, StoreError, value
from ontology.namespaces import PREFIXES

if TYPE_CHECKING:
    from graph import pipeline
    from graph.identity import IdentityOutcome
    from ontology.iri import Minter

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="cbkg: the knowledge graph of Japan's cybersecurity budget.",
)
console = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 200)


def with_default_prefixes(text: str) -> str:
    """Declare the cbkg prefixes the query uses but does not declare itself."""
    from graph.sparqlutil import with_prologue

    return with_prologue(text, None, PREFIXES)


def _settings() -> Settings:
    return Settings()  # every field has a default (pydantic-settings reads the rest)


def _minter() -> Minter:
    from ontology.iri import Minter

    return Minter(_settings().base_iri)


def _store(read_only: bool = False) -> Store:
    try:
        return open_store(_settings(), read_only=read_only)
    except StoreError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _writable_store(wait: float | None = None) -> Store:
    """The store opened for writing; when another writer holds its lock, a message says so while it waits."""
    try:
        store = _store()
    except OSError as exc:  # e.g. no space to create the first generation
        _fail(f"cannot open the store: {exc}")
    if hasattr(store, "on_lock_wait"):
        store.on_lock_wait = lambda msg: console.print(f"[yellow]{escape(msg)}[/yellow]", soft_wrap=True)
        if wait is not None:
            store.lock_timeout = wait  # type: ignore[attr-defined]
    return store


def _fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-line error and exit with ``code`` (never a traceback)."""
    console.print(f"[red]error:[/red] {escape(' '.join(message.split()))}", soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="Files, ZIP archives or folders.")],
    force: Annotated[bool, typer.Option(help="Reload files even if unchanged.")] = False,
    wait: Annotated[
        float | None, typer.Option(help="Seconds to wait for another load of the same store (default 3600).")
    ] = None,
) -> None:
    """Load source files (format recognised by content) into the store, atomically.

    Exit codes: 0 loaded; 1 loaded, but some files were refused (named, with the reason); 2 nothing published
    (the store is unchanged): the store is locked, full or unwritable, or the load was aborted.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from graph import pipeline
    from loaders.base import LoaderError

    settings = _settings()
    store = _writable_store(wait)
    t0 = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} stored"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("mapping and storing", total=None)

        def on_event(event: str, res: pipeline.UnitResult | None) -> None:
            if event == "stored" and res is not None:
                progress.advance(task)
                progress.update(task, description=f"stored {res.plan.key}")
            elif event == "entities":
                progress.update(task, description="entities merged")

        try:
            report = pipeline.load(paths, store, settings, force=force, progress=on_event)
        except (LoaderError, StoreError) as exc:
            _fail(f"{exc}" + ("" if "nothing was" in str(exc) else "; nothing was published"))
        except OSError as exc:
            _fail(f"{exc}; nothing was published (the store is unchanged)")
        except Exception as exc:  # a bug: one line, never a traceback
            _fail(f"load failed: {type(exc).__name__}: {exc}; nothing was published (the store is unchanged)", 3)
    table = Table(title="Loaded", show_lines=False)
    for col in ("graph", "loader", "file", "records", "triples", "errors", "warnings", "s"):
        table.add_column(col, justify="right" if col in ("records", "triples", "errors", "warnings", "s") else "left")
    for res in sorted(report.loaded, key=lambda r: r.plan.key):
        table.add_row(
            res.plan.key,
            res.plan.loader,
            res.plan.unit.name,
            f"{res.records:,}",
            f"{res.triples:,}",
            str(res.issues.get("error", 0)),
            str(res.issues.get("warning", 0)),
            f"{res.seconds:.1f}",
        )
    if report.loaded:
        out.print(table)
    for p in report.unchanged:
        out.print(f"unchanged (skipped): {p.key}  {p.unit.name}")
    for src, reason in report.refused:
        console.print(f"[red]refused:[/red] {escape(src)}: {escape(reason)}", soft_wrap=True)
    if report.identity is not None:
        _print_identity(report.identity)
    out.print(
        f"{len(report.loaded)} loaded, {len(report.unchanged)} unchanged, {len(report.refused)} refused "
        f"in {time.perf_counter() - t0:.1f} s; store now has {store.count():,} triples in "
        f"{len(store.graphs())} graphs"
    )
    if report.refused:
        raise typer.Exit(1)


def _print_identity(o: IdentityOutcome) -> None:
    sheets = ", ".join(f"{k} {v:,}" for k, v in sorted(o.sheets_by_method.items(), key=lambda kv: -kv[1]))
    items = ", ".join(f"{k} {v:,}" for k, v in sorted(o.items_by_method.items(), key=lambda kv: -kv[1]))
    out.print(f"identity: sheets → programs by method: {sheets or 'none'}")
    out.print(
        f"identity: document items → programs: {items or 'none'}; {o.derived_programs:,} programs known only "
        f"from older sheets; {o.candidates:,} candidates (skos:closeMatch, not merged); {o.conflicts:,} refused "
        f"merges; {o.payee_name_conflicts:,} payee names with several 法人番号"
    )


@app.command("identity")
def identity_cmd(
    rebuild: Annotated[bool, typer.Option(help="Recompute identity, entities and citation links first.")] = False,
) -> None:
    """How sheets and document items were matched to programs (by method), candidates and conflicts."""
    from graph import pipeline

    store = _store(read_only=not rebuild)
    if rebuild:
        _print_identity(pipeline.rebuild_derived(store, _settings()))
    from api import queries

    table = Table("kind", "method", "resources", title="identity resolution (graph/identity)")
    for r in queries.identity_matches(store):
        table.add_row(r["kind"], r["method"], f"{int(r['n'] or 0):,}")
    out.print(table)
    conflicts = queries.identity_conflicts(store)
    out.print(f"{len(conflicts)} identity conflicts (never merged)" + (":" if conflicts else ""))
    for r in conflicts[:20]:
        out.print(f"  {r['label'] or r['c']}: {r['why']}")


class FailOn(StrEnum):
    violation = "violation"
    warning = "warning"
    never = "never"


@app.command()
def validate(
    engine: Annotated[str, typer.Option(help="fast (SHACL compiled to SPARQL) or pyshacl (reference).")] = "fast",
    force: Annotated[bool, typer.Option(help="Ignore cached results of unchanged constraints.")] = False,
    fail_on: Annotated[
        FailOn, typer.Option(help="Exit non-zero on violations, warnings, or never.")
    ] = FailOn.violation,
    examples: Annotated[int, typer.Option(help="Examples shown per shape.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Validate the graph with the SHACL shapes; print a report grouped by shape with source records."""
    from graph import quality

    settings = _settings()
    store = _store()
    outcome = quality.validate_store(store, settings, engine=engine, force=force)
    if as_json:
        out.print_json(
            json.dumps(
                [r.__dict__ | {"sources": outcome.rows.get(r.focus, [])} for r in outcome.results],
                ensure_ascii=False,
            )
        )
    else:
        out.print(quality.render(outcome, quality.issue_summary(store), examples=examples), highlight=False)
    if fail_on == FailOn.violation and outcome.violations:
        raise typer.Exit(1)
    if fail_on == FailOn.warning and (outcome.violations or outcome.warnings):
        raise typer.Exit(1)


class Fmt(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    xml = "xml"
    turtle = "turtle"
    ntriples = "ntriples"
    jsonld = "jsonld"


_MEDIA = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or @file.rq. cbkg prefixes are predeclared.")],
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")] = Fmt.table,
) -> None:
    """Run a SPARQL query against the graph."""
    text = Path(sparql[1:]).read_text(encoding="utf-8") if sparql.startswith("@") else sparql
    from graph.sparqlutil import query_form

    text = with_default_prefixes(text)
    form = query_form(text)
    if form is None or form == "UPDATE":
        console.print("[red]error:[/red] not a SELECT, ASK, CONSTRUCT or DESCRIBE query (the graph is read-only)")
        raise typer.Exit(2)
    store = _store(read_only=True)
    try:
        if fmt == Fmt.table:
            if form in ("CONSTRUCT", "DESCRIBE"):
                fmt = Fmt.turtle
            elif form == "ASK":
                out.print(store.ask(text))
                return
        if fmt == Fmt.table:
            res = store.select(text)
            table = Table(*res.variables)
            for row in res:
                table.add_row(*[value(row.get(v)) or "" for v in res.variables])
            out.print(table)
            console.print(f"{len(res)} rows")
        else:
            data = store.query_raw(text, _MEDIA[fmt.value])
            sys.stdout.buffer.write(data)
    except QueryError as exc:
        console.print(f"[red]query error:[/red] {exc}")
        raise typer.Exit(2) from exc


@app.command()
def stats() -> None:
    """Counts: graphs and triples, programs per ministry, budget observations, citations, payees, issues."""
    store = _store(read_only=True)
    table = Table("graph", "triples", title="Graphs")
    for g in store.graphs():
        table.add_row(g, f"{store.count(g):,}")
    out.print(table)
    from api import queries

    table = Table("what", "count", title="Resources")
    for row in queries.resource_counts(store):
        table.add_row(row["what"] or "", f"{int(row['n'] or 0):,}")
    out.print(table)
    table = Table("府省庁", "sheets", title="Program sheets per ministry")
    for row in queries.sheets_per_ministry(store):
        table.add_row(row["ministry"] or "", row["sheets"] or "")
    out.print(table)


class ExportFmt(StrEnum):
    turtle = "turtle"
    ntriples = "ntriples"
    nquads = "nquads"
    trig = "trig"
    jsonld = "jsonld"
    rdfxml = "rdfxml"


_EXPORT = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


@app.command()
def export(
    fmt: Annotated[ExportFmt, typer.Option("--format", "-f")] = ExportFmt.nquads,
    graph: Annotated[str | None, typer.Option(help="Only this graph (IRI).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File (default: stdout).")] = None,
) -> None:
    """Export the live dataset (or one graph) as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML."""
    store = _store(read_only=True)
    if fmt in (ExportFmt.turtle, ExportFmt.jsonld, ExportFmt.rdfxml, ExportFmt.ntriples) and graph is None:
        console.print("note: a triple format merges all graphs; use nquads or trig to keep them apart")
    if output is None:
        store.dump(sys.stdout.buffer, _EXPORT[fmt.value], graph=graph)
    else:
        with output.open("wb") as fh:
            store.dump(fh, _EXPORT[fmt.value], graph=graph)
        console.print(f"wrote {output} ({output.stat().st_size:,} bytes)")


@app.command()
def remove(
    keys: Annotated[list[str], typer.Argument(help="Graph keys (e.g. rs/2024/6-1) or graph IRIs.")],
) -> None:
    """Remove sources' graphs (atomically) and rebuild the entities graph."""
    from graph import pipeline

    store = _writable_store()
    known = set(store.graphs())
    settings = _settings()
    for k in keys:
        g = k if k.startswith("http") else settings.base_iri + "graph/" + k
        if g not in known:
            console.print(f"[red]error:[/red] no graph {g}")
            raise typer.Exit(2)
    try:
        removed = pipeline.remove(keys, store, settings)
    except (StoreError, OSError) as exc:
        _fail(f"{exc}" + ("" if "nothing was" in str(exc) else "; nothing was published"))
    out.print(f"removed {len(removed) // 2} source graphs")


@app.command()
def issues(
    file: Annotated[str | None, typer.Option(help="Only issues of files whose name contains this.")] = None,
    code: Annotated[str | None, typer.Option(help="Only this issue code (e.g. bad-corpno).")] = None,
    limit: Annotated[int, typer.Option()] = 50,
) -> None:
    """List load issues: file, record, line, column, raw value, reason."""
    from api import queries

    store = _store(read_only=True)
    table = Table("file", "row", "line", "column", "value", "code", "severity", "reason")
    for r in queries.load_issues(store, file, code, limit):
        table.add_row(*[(r[v] or "")[:60] for v in ("file", "row", "line", "column", "raw", "code", "sev", "reason")])
    out.print(table)


CS_BASIC_LAW = "426AC1000000104"
"""サイバーセキュリティ基本法 (``api.queries.CS_BASIC_LAW``; repeated so that ``--help`` imports no read model)."""


@app.command()
def articles(
    law: Annotated[str, typer.Option(help="e-Gov 法令ID")] = CS_BASIC_LAW,
    fy: Annotated[int, typer.Option(help="予算年度 of the 歳出予算現額")] = 2024,
) -> None:
    """Programs per article of a law (default サイバーセキュリティ基本法) with ministries and 歳出予算現額."""
    from api import queries
    from graph.prepared import BadParameter

    store = _store(read_only=True)
    try:
        rows = queries.law_article_summary(store, _minter(), law, fy)
    except BadParameter as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    table = Table("条", "見出し", "事業数", "府省庁", f"{fy} 歳出予算現額 (円)", title=f"Programs per article of {law}")
    for r in rows:
        table.add_row(
            r["article"] or "",
            r["caption"] or "",
            r["programs"] or "",
            r["ministries"] or "",
            f"{int(float(r['budget'] or 0)):,}",
        )
    out.print(table)


@app.command()
def basis(program_id: Annotated[str, typer.Argument(help="予算事業ID")]) -> None:
    """The full legal basis of one program: every cited law, article, paragraph and item, as written and resolved."""
    from api import queries

    store = _store(read_only=True)
    rows = queries.program_basis(store, _minter(), int(program_id))
    table = Table(
        "年度", "記載", "法令ID", "法令", "条", "項", "号", "解決", "版", title=f"Legal basis of program {program_id}"
    )
    for r in rows:
        table.add_row(
            *[
                r[k] or ""
                for k in ("year", "written", "lawId", "title", "article", "paragraph", "item", "method", "match")
            ]
        )
    out.print(table)
    for c in sorted({r["caveat"] for r in rows if r["caveat"]}):
        out.print(f"note: {c}")


@app.command()
def dumps(
    all_formats: Annotated[bool, typer.Option("--all/--basic", help="Also Turtle and JSON-LD (slower).")] = True,
) -> None:
    """Write the bulk dumps of the current store generation (served at /dumps/)."""
    from graph.dumps import DUMPS, write_dumps

    settings = _settings()
    store = _store(read_only=True)
    dp = settings.dumps_path()
    if dp is None or not store.graph_files():
        console.print("[red]error:[/red] dumps are written for on-disk stores (embedded or remote with local state)")
        raise typer.Exit(2)
    names = list(DUMPS) if all_formats else ["cbkg.nt.gz", "cbkg.nq.gz"]
    meta = write_dumps(store, dp, names)
    for name, m in meta.items():
        out.print(f"{name}: {m['bytes']:,} bytes ({m['seconds']} s)")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Serve the SPARQL endpoint, linked-data pages, REST API and web front end."""
    import uvicorn

    from api.app import create_app

    settings = _settings()
    settings = settings.model_copy(update={"host": host or settings.host, "port": port or settings.port})
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "info",
        "proxy_headers": False,
        "timeout_keep_alive": 75,  # longer than clients keep idle connections (httpx, browsers: 5-60 s)
        **fast_server_options(),
    }
    if settings.server_processes > 1:  # each process builds its app from the environment, as this one did
        os.environ.update(CBKG_HOST=settings.host, CBKG_PORT=str(settings.port))
        uvicorn.run("api.app:create_app", factory=True, workers=settings.server_processes, **options)
    else:
        uvicorn.run(create_app(settings), **options)


class ServerOptions(TypedDict):
    """The event loop and HTTP parser uvicorn runs with."""

    loop: Literal["uvloop", "asyncio"]
    http: Literal["httptools", "h11"]


def fast_server_options() -> ServerOptions:
    """uvicorn's C event loop and HTTP parser (uvloop, httptools: ``uvicorn[standard]``) when installed, else
    its pure-Python asyncio loop and h11 (see bench/README.md, *fixed cost*)."""
    from importlib.util import find_spec

    return {
        "loop": "uvloop" if find_spec("uvloop") else "asyncio",
        "http": "httptools" if find_spec("httptools") else "h11",
    }


def main() -> None:
    """Entry point of the ``cbkg`` command."""
    app()


if __name__ == "__main__":
    main()
