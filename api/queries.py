"""The read model of the web layer and the CLI: canned SPARQL over the store, shaped into plain dicts.

The REST API, the HTML pages and the ``cbkg`` command share these functions.  Every query is a file
``api/rq/<name>.rq`` named by a module-level template (read at first use); its ``$name`` placeholders are filled
by :mod:`graph.prepared` (checked IRIs, escaped literals): no request text is ever spliced into SPARQL.

A small in-memory catalogue of all program sheets (names, ministries, cited laws) is rebuilt whenever the store
publishes a new generation: it serves search and list filters in microseconds, including the
full-width/half-width-insensitive substring search.
"""

from __future__ import annotations

import hashlib
import json
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, TypeVar

from graph.prepared import BadParameter, Template
from graph.store import SelectResult, Store, Transaction, value
from ontology.iri import Minter
from ontology.terms import IRI, gyear

from .rq import PREFIXES, sparql, template

P = PREFIXES
"""The PREFIX block of the canned queries (kept under this name for its importers)."""
CBKG = "https://w3id.org/cbkg/ontology#"
CODE = "https://w3id.org/cbkg/code/"
CS_BASIC_LAW = "426AC1000000104"
T = TypeVar("T")


def consistent(fn: Callable[..., T], store: Store, *args: Any) -> T:
    """``fn(store, *args)`` on one published state of the store: a page built from several queries never mixes
    the dataset before and after a reload."""
    with store.snapshot():
        return fn(store, *args)


def fold(text: str) -> str:
    """Search key: NFKC, lower case, no spaces (full/half-width and case insensitive)."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


class Source(Protocol):
    """What the read model queries: a store, or a load's transaction."""

    def select(self, query: str) -> SelectResult: ...


Row = dict[str, str | None]
"""One answer row as lexical values; an unbound variable is None."""


def select_rows(store: Source, query: Template, **params: object) -> list[Row]:
    """Rows of the SELECT ``query`` filled with ``params``, as lexical values."""
    res = store.select(sparql(query, **params))
    return [{v: value(r.get(v)) for v in res.variables} for r in res]


def local(iri: str | None) -> str:
    """The last path segment (or fragment) of an IRI."""
    if not iri:
        return ""
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class SheetEntry:
    program_id: str
    year: int
    iri: str
    name: str
    ministry: str | None
    ministry_name: str | None
    key: str
    laws: set[str] = field(default_factory=set)
    provisions: set[str] = field(default_factory=set)


CATALOGUE_AUX = "catalogue.json"
"""The auxiliary file of a generation holding its catalogue (written by the load, see :func:`catalogue_aux`)."""

CATALOGUE_SHEETS = template("catalogue_sheets")
CATALOGUE_LAWS = template("catalogue_laws")
CATALOGUE_PROVISIONS = template("catalogue_provisions")


def build_sheets(source: Source) -> list[SheetEntry]:
    """The catalogue's entries read by SPARQL from ``source``: a store, or a transaction (anything with
    ``select``)."""
    rows = select_rows(source, CATALOGUE_SHEETS)
    by_iri: dict[str, SheetEntry] = {}
    for r in rows:
        iri = r["sheet"] or ""
        e = by_iri.get(iri)
        if e is None:
            e = SheetEntry(
                r["id"] or "",
                int((r["year"] or "0")[:4]),
                iri,
                r["name"] or "",
                local(r["ministry"]) or None,
                r["mname"],
                "",
            )
            by_iri[iri] = e
        e.key += fold((r["name"] or "") + " " + (r["purpose"] or "")) + " "
    for r in select_rows(source, CATALOGUE_LAWS):
        if r["sheet"] in by_iri:
            by_iri[r["sheet"]].laws.add(local(r["law"]))
    for r in select_rows(source, CATALOGUE_PROVISIONS):
        if r["sheet"] in by_iri and r["p"]:
            by_iri[r["sheet"]].provisions.add(r["p"])
    return sorted(by_iri.values(), key=lambda e: (int(e.program_id or 0), e.year))


CATALOGUE_FORMAT = 1
"""Version of the layout of :data:`CATALOGUE_AUX`; a file of another version is ignored (rebuilt)."""

CATALOGUE_PREDICATES = frozenset(
    {
        CBKG + "program",
        CBKG + "sheetYear",
        CBKG + "purpose",
        CBKG + "ministry",
        CBKG + "basedOnLaw",
        CBKG + "basedOnProvision",
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://purl.org/dc/terms/identifier",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
    }
)
"""The predicates the catalogue reads besides ``rdf:type`` (see :data:`CATALOGUE_SHEETS`)."""


def catalogue_fingerprint(files: dict[str, Path], predicates: dict[str, set[str]]) -> str:
    """A digest of the live graph files the catalogue can depend on: each graph that uses one of
    :data:`CATALOGUE_PREDICATES` (or whose predicates are not recorded), with its file's size and mtime.

    A generation links the files of the graphs it does not change from the one before, so an aux file carried
    over into a generation that changed no such graph (e.g. the validation report's) stays valid, and one
    carried over into a generation that did is recognised and ignored."""
    h = hashlib.sha256()
    for g in sorted(files):
        preds = predicates.get(g)
        if preds and not preds & CATALOGUE_PREDICATES:
            continue
        st = files[g].stat()
        h.update(f"{g}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def catalogue_to_bytes(sheets: list[SheetEntry], fingerprint: str) -> bytes:
    """The catalogue as the JSON of :data:`CATALOGUE_AUX`, valid for the data of ``fingerprint``."""
    rows = [
        [e.program_id, e.year, e.iri, e.name, e.ministry, e.ministry_name, e.key, sorted(e.laws), sorted(e.provisions)]
        for e in sheets
    ]
    doc = {"format": CATALOGUE_FORMAT, "fingerprint": fingerprint, "sheets": rows}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def catalogue_from_bytes(data: bytes, fingerprint: str) -> list[SheetEntry] | None:
    """The entries of a :data:`CATALOGUE_AUX` file if it was written for the data of ``fingerprint`` (else None)."""
    try:
        doc = json.loads(data)
        if doc.get("format") != CATALOGUE_FORMAT or doc.get("fingerprint") != fingerprint:
            return None
        return [SheetEntry(a, int(b), c, d, e, f, g, set(h), set(i)) for a, b, c, d, e, f, g, h, i in doc["sheets"]]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def catalogue_aux(tx: Transaction) -> bytes | None:
    """The :data:`CATALOGUE_AUX` file of the generation an embedded store's transaction writes (None for other
    transactions).  Named in :data:`graph.pipeline.AUX_BUILDERS`, so every load, removal and rebuild writes it."""
    gen = getattr(tx, "gen", None)
    if gen is None or getattr(gen, "name", None) is None or not getattr(tx, "on_disk", False):
        return None
    files = {g: gen.graphs_dir / f.file for g, f in gen.index.items() if f.live}
    predicates = {g: set(f.predicates) for g, f in gen.index.items()}
    return catalogue_to_bytes(build_sheets(tx), catalogue_fingerprint(files, predicates))


class Catalogue:
    """All program sheets with their search keys and cited laws (one per store generation).

    A generation's catalogue is read from its :data:`CATALOGUE_AUX` file when the load wrote one, else built
    from SPARQL (about 1.5 s on the full corpus)."""

    def __init__(self, store: Store, minter: Minter) -> None:
        self.store = store
        self.m = minter
        self._lock = threading.Lock()
        self._generation: object = object()
        self.sheets: list[SheetEntry] = []
        self.source = ""
        """How the current entries were obtained: ``aux`` (read from the generation) or ``sparql`` (built)."""

    def _current_generation(self) -> object:
        return getattr(self.store, "generation", None) or id(self.store)

    def entries(self) -> list[SheetEntry]:
        gen = self._current_generation()
        if gen != self._generation:
            with self._lock:
                if self._current_generation() != self._generation:
                    with self.store.snapshot():  # the generation named and the one read are the same
                        gen = self._current_generation()
                        self.sheets, self.source = self._load(gen)
                        self._generation = gen
        return self.sheets

    def _load(self, gen: object) -> tuple[list[SheetEntry], str]:
        if isinstance(gen, str) and self.store.answers_stable:
            try:
                raw = self.store.read_aux(CATALOGUE_AUX)
                fingerprint = catalogue_fingerprint(self.store.graph_files(), self.store.graph_predicates())
            except OSError:
                raw = None
            sheets = catalogue_from_bytes(raw, fingerprint) if raw else None
            if sheets is not None:
                return sheets, "aux"
        return self._build(), "sparql"

    def _build(self) -> list[SheetEntry]:
        return build_sheets(self.store)

    def search(
        self,
        q: str | None = None,
        ministry: str | None = None,
        fy: int | None = None,
        law: str | None = None,
        article: str | None = None,
    ) -> list[SheetEntry]:
        key = fold(q) if q else None
        out = []
        for e in self.entries():
            if key and key not in e.key:
                continue
            if ministry and ministry not in (e.ministry, e.ministry_name):
                continue
            if fy and e.year != fy:
                continue
            if law and law not in e.laws:
                continue
            if article:
                target = self.m.law_part(law or CS_BASIC_LAW, article)
                if not any(p == target or p.startswith(target + "/") for p in e.provisions):
                    continue
            out.append(e)
        return out


# ------------------------------------------------------------------------------------------------ programs
PROGRAM_SHEETS = template("program_sheets")
PROGRAM_LABEL = template("program_label")


def program(store: Store, m: Minter, program_id: str) -> dict[str, Any] | None:
    """A program with its sheets (by year): budgets, legal basis, plans, payees, provenance."""
    prog = m.program(program_id)
    sheets = select_rows(store, PROGRAM_SHEETS, program=prog)
    if not sheets:
        return None
    label = select_rows(store, PROGRAM_LABEL, program=prog)
    out: dict[str, Any] = {
        "id": program_id,
        "iri": prog,
        "name": (label[0]["l"] if label else sheets[0]["name"]),
        "sheets": [],
    }
    seen: set[str] = set()
    for s in sheets:
        iri = s["sheet"] or ""
        if iri in seen:
            continue
        seen.add(iri)
        out["sheets"].append(
            {
                "iri": iri,
                "year": int((s["year"] or "0")[:4]),
                "name": s["name"],
                "purpose": s["purpose"],
                "overview": s["overview"],
                "ministry": {"slug": local(s["ministry"]), "name": s["mname"], "iri": s["ministry"]},
                "unit": unit_path(store, s["unit"]) if s["unit"] else [],
                "start_year": s["start"],
                "end_year": s["end"],
                "budgets": budgets(store, iri),
                "legal_basis": legal_basis(store, iri),
                "plans": plans(store, iri),
                "payees": payees_of_sheet(store, iri),
                "provenance": provenance(store, iri),
            }
        )
    return out


UNIT_PATH = template("unit_path")


def unit_path(store: Store, unit: str) -> list[dict[str, str | None]]:
    """The organisational path of a unit from the ministry down."""
    rows = select_rows(store, UNIT_PATH, unit=IRI(unit))
    return [{"iri": r["o"], "name": r["name"]} for r in rows]


BUDGETS = template("budgets")
TOTAL = IRI(CODE + "account/total")
CURRENT = IRI(CODE + "budget-stage/current")


def budgets(store: Store, sheet: str) -> list[dict[str, Any]]:
    """Budget observations of a sheet's total lines: year, stage, amount (yen)."""
    rows = select_rows(store, BUDGETS, sheet=IRI(sheet), total=TOTAL)
    return [
        {
            "budget_year": int((r["year"] or "0")[:4]),
            "stage": local(r["stage"]),
            "amount": r["amount"],
            "line": r["line"],
        }
        for r in rows
    ]


LEGAL_BASIS = template("legal_basis")


def legal_basis(store: Store, sheet: str) -> list[dict[str, Any]]:
    """The legal-basis citations of a sheet, as written and as resolved."""
    rows = select_rows(store, LEGAL_BASIS, sheet=IRI(sheet))
    merged: dict[str, dict[str, Any]] = {}
    for r in rows:
        e = merged.setdefault(
            r["c"] or "",
            {
                "iri": r["c"],
                "name_as_written": r["name"],
                "law_number": r["number"],
                "law_id": local(r["law"]) or None,
                "law_title": r["title"],
                "article": r["article"],
                "paragraph": r["paragraph"],
                "items": [],
                "provisions": [],
                "resolution": local(r["method"]) or None,
            },
        )
        if r["item"] and r["item"] not in e["items"]:
            e["items"].append(r["item"])
        if r["provision"] and r["provision"] not in e["provisions"]:
            e["provisions"].append(r["provision"])
    return list(merged.values())


PLANS = template("plans")


def plans(store: Store, sheet: str) -> list[dict[str, Any]]:
    """The plans a sheet refers to."""
    rows = select_rows(store, PLANS, sheet=IRI(sheet))
    return [{"name": r["name"], "plan": r["plan"], "decision_date": r["date"], "url": r["url"]} for r in rows]


PAYEES_OF_SHEET = template("payees_of_sheet")


def payees_of_sheet(store: Store, sheet: str) -> list[dict[str, Any]]:
    """The payees of a sheet's expense items with their amounts."""
    rows = select_rows(store, PAYEES_OF_SHEET, sheet=IRI(sheet))
    return [
        {
            "iri": r["payee"],
            "name": r["name"],
            "corporate_number": r["number"],
            "amount": r["total"],
            "items": int(r["items"] or 0),
        }
        for r in rows
    ]


PROVENANCE = template("provenance")


def provenance(store: Store, sheet: str) -> list[dict[str, Any]]:
    """The source files (graph, name, SHA-256, load time, URL) a sheet's facts come from."""
    rows = select_rows(store, PROVENANCE, sheet=IRI(sheet))
    return [
        {"graph": r["g"], "file": r["file"], "sha256": r["sha"], "loaded_at": r["loaded"], "url": r["url"]}
        for r in rows
    ]


# ---------------------------------------------------------------------------------------------------- laws
LAW_INFO = template("law_info")
LAW_VERSIONS = template("law_versions")
LAW_ARTICLES = template("law_articles")
LAW_CITATIONS = template("law_citations")


def law(store: Store, m: Minter, law_id: str) -> dict[str, Any] | None:
    """A law: title, number, type, loaded text versions, articles (latest version) and citation counts."""
    iri = m.law(law_id)
    info = select_rows(store, LAW_INFO, law=iri)
    if not info:
        return None
    versions = select_rows(store, LAW_VERSIONS, law=iri)
    articles: list[dict[str, Any]] = []
    if versions:
        v = versions[0]["v"]
        rows = select_rows(store, LAW_ARTICLES, version=IRI(v or ""))
        for r in rows:
            articles.append(
                {
                    "number": r["n"],
                    "iri": r["a"],
                    "heading": r["heading"],
                    "caption": r["caption"],
                    "chapter": r["ctitle"],
                    "order": int(r["order"] or 0),
                    "text": article_text(store, r["a"] or ""),
                }
            )
        articles.sort(key=lambda a: (a["order"], _num_key(a["number"])))
    citing = select_rows(store, LAW_CITATIONS, law=iri)
    counts = {r["article"]: int(r["n"] or 0) for r in citing}
    for a in articles:
        a["programs"] = counts.get(a["number"], 0)
    first = info[0]
    return {
        "law_id": law_id,
        "iri": iri,
        "title": first["title"] or next((r["alt"] for r in info if r["alt"]), None),
        "number": first["number"],
        "type": local(first["type"]) or None,
        "names_as_cited": sorted({r["alt"] for r in info if r["alt"]}),
        "versions": [{"iri": v["v"], "key": v["key"], "date": v["date"], "note": v["note"]} for v in versions],
        "articles": articles,
        "citing_sheets_total": sum(counts.values()),
        "citing_by_article": dict(sorted(counts.items(), key=lambda kv: _num_key(kv[0] or ""))),
    }


def _num_key(n: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in (n or "0").split("-"))
    except ValueError:
        return (10**9,)


ARTICLE_TEXT = template("article_text")


def article_text(store: Store, article: str) -> list[dict[str, Any]]:
    """The paragraphs and items of an article (of one text version), in order."""
    rows = select_rows(store, ARTICLE_TEXT, article=IRI(article))
    paras: dict[str, dict[str, Any]] = {}
    for r in rows:
        p = paras.setdefault(r["p"] or "", {"number": r["pn"], "text": r["ptext"], "items": []})
        if r["i"] and not any(i["iri"] == r["i"] for i in p["items"]):
            p["items"].append({"iri": r["i"], "number": r["in"], "text": r["itext"]})
    out = sorted(paras.values(), key=lambda p: _num_key(p["number"] or ""))
    for p in out:
        p["items"].sort(key=lambda i: _num_key((i["number"] or "").split("-")[0]))
    return out


ARTICLE_CITATIONS = template("article_citations")


def article(store: Store, m: Minter, law_id: str, number: str, fy: int = 2024) -> dict[str, Any] | None:
    """An article of a law with its text (latest loaded version) and the programs citing it with money."""
    lw = law(store, m, law_id)
    if lw is None:
        return None
    art = next((a for a in lw["articles"] if a["number"] == number), None)
    work = m.law_part(law_id, number)
    rows = select_rows(store, ARTICLE_CITATIONS, law=m.law(law_id), number=number)
    current = _current_budgets(store, sorted({r["sheet"] for r in rows if r["sheet"]}), fy)
    for r in rows:
        r["current"] = current.get(r["sheet"] or "")
    programs: dict[str, dict[str, Any]] = {}
    for r in rows:
        p = programs.setdefault(
            r["sheet"] or "",
            {
                "id": r["id"],
                "name": r["name"],
                "ministry": r["mname"],
                "sheet": r["sheet"],
                "current_budget": r["current"],
                "paragraphs": [],
                "items": [],
            },
        )
        for k, key in (("paragraph", "paragraphs"), ("item", "items")):
            if r[k] and r[k] not in p[key]:
                p[key].append(r[k])
    total = sum(Decimal(p["current_budget"]) for p in programs.values() if p["current_budget"])
    return {
        "law_id": law_id,
        "law_title": lw["title"],
        "number": number,
        "iri": work,
        "heading": art["heading"] if art else None,
        "caption": art["caption"] if art else None,
        "text": art["text"] if art else [],
        "in_loaded_text": art is not None,
        "version": lw["versions"][0] if lw["versions"] else None,
        "budget_year": fy,
        "programs": list(programs.values()),
        "total_current_budget": str(total),
    }


CURRENT_BUDGETS = template("current_budgets")


def _current_budgets(store: Store, sheets: list[str], fy: int) -> dict[str, str]:
    """歳出予算現額 (sheet total) of ``fy`` per sheet (looked up by sheet: fast on disk)."""
    out: dict[str, str] = {}
    for i in range(0, len(sheets), 200):
        chunk = [IRI(s) for s in sheets[i : i + 200]]
        for r in select_rows(store, CURRENT_BUDGETS, sheets=chunk, year=gyear(fy), total=TOTAL, current=CURRENT):
            out[r["sheet"] or ""] = r["amount"] or "0"
    return out


# ---------------------------------------------------------------------------------------- payees, ministries
PAYEE_NAMES = template("payee_names")
PAYEE_PROGRAMS = template("payee_programs")


def payee(store: Store, m: Minter, number: str) -> dict[str, Any] | None:
    """A payee by 法人番号: names as written, the sheets paying it and the amounts."""
    iri = m.corporation(number)
    names = select_rows(store, PAYEE_NAMES, payee=iri)
    if not names:
        return None
    rows = select_rows(store, PAYEE_PROGRAMS, payee=iri)
    return {
        "corporate_number": number,
        "iri": iri,
        "name": names[0]["pref"],
        "name_variants": sorted({r["alt"] for r in names if r["alt"]}),
        "programs": [
            {
                "id": r["id"],
                "name": r["name"],
                "sheet": r["sheet"],
                "year": r["year"],
                "amount": r["total"],
                "items": int(r["items"] or 0),
            }
            for r in rows
        ],
        "total": str(sum(Decimal(r["total"]) for r in rows if r["total"])),
    }


MINISTRY = template("ministry")
MINISTRY_UNITS = template("ministry_units")


def ministry(store: Store, m: Minter, slug: str, catalogue: Catalogue) -> dict[str, Any] | None:
    """A ministry or agency: names, parent, units and program sheets."""
    iri = m.org(slug)
    rows = select_rows(store, MINISTRY, org=iri)
    if not rows:
        return None
    children = select_rows(store, MINISTRY_UNITS, org=iri)
    progs = [e for e in catalogue.entries() if e.ministry == slug]
    return {
        "slug": slug,
        "iri": iri,
        "name": rows[0]["ja"],
        "name_en": rows[0]["en"],
        "parent": {"iri": rows[0]["parent"], "name": rows[0]["pname"]} if rows[0]["parent"] else None,
        "units": [{"iri": r["c"], "name": r["name"]} for r in children],
        "programs": [{"id": e.program_id, "name": e.name, "year": e.year} for e in progs],
    }


MINISTRIES = template("ministries")


def ministries(store: Store) -> list[dict[str, Any]]:
    """Ministries and agencies with the number of sheets they are responsible for (most first)."""
    rows = select_rows(store, MINISTRIES)
    return [{"slug": local(r["m"]), "name": r["ja"], "name_en": r["en"], "sheets": int(r["n"] or 0)} for r in rows]


LAWS = template("laws")


def laws(store: Store) -> list[dict[str, str | None]]:
    """The 200 most cited laws with their titles and the number of sheets citing each."""
    return select_rows(store, LAWS)


QUALITY_REPORT = template("quality_report")
QUALITY_SHAPES = template("quality_shapes")
QUALITY_ISSUES = template("quality_issues")


def quality(store: Store) -> dict[str, Any]:
    """The last SHACL validation report (results by shape) and the load issues (by file and kind)."""
    head = select_rows(store, QUALITY_REPORT)
    shapes = select_rows(store, QUALITY_SHAPES)
    issues = select_rows(store, QUALITY_ISSUES)
    h = head[0] if head else {}
    return {
        "validated_at": h.get("created"),
        "engine": h.get("engine"),
        "conforms": h.get("conforms") == "true" if head else None,
        "violations": int(h.get("v") or 0),
        "warnings": int(h.get("w") or 0),
        "by_shape": [
            {
                "shape": local(r["shape"]),
                "severity": local(r["severity"]),
                "message": r["message"],
                "count": int(r["n"] or 0),
                "example": r["example"],
                "example_source": r["source"],
            }
            for r in shapes
        ],
        "load_issues": [
            {
                "file": r["file"],
                "severity": r["severity"],
                "code": r["code"],
                "count": int(r["n"] or 0),
                "example": r["example"],
            }
            for r in issues
        ],
    }


INBOUND_PAGE_SIZE = 200
"""Triples pointing at a resource served per page of its description (``?inbound-page=N``)."""
MAX_INBOUND_PAGE = 500
"""Deepest inbound page served (bounds the OFFSET of the inbound query; beyond it, use SPARQL)."""
OUTBOUND_LIMIT = 2000
"""Most triples of a resource itself served in its description."""
EXISTS = template("exists")
DESCRIBE_OUT = template("describe_out")
DESCRIBE_IN = template("describe_in")
DESCRIBE_PARTS = template("describe_parts")
LABELS = template("labels")


@dataclass(frozen=True)
class Description:
    """A bounded description of one resource (see :func:`describe`)."""

    iri: str
    triples: list[tuple[str, str, Any]]
    page: int
    inbound: int
    has_next: bool
    outbound_truncated: bool


def exists(store: Store, iri: str) -> bool:
    """True if ``iri`` is the subject or the object of some triple."""
    return store.ask(sparql(EXISTS, iri=IRI(iri)))


def describe(store: Store, iri: str, inbound_page: int = 1, expand: tuple[str, ...] = ()) -> Description:
    """Bounded description of a resource: up to ``OUTBOUND_LIMIT`` of its own triples, page ``inbound_page`` of
    the triples pointing at it (``INBOUND_PAGE_SIZE`` each), the triples of the nodes it owns (``{iri}#…``) and
    of the objects of the ``expand`` predicates, and the labels of every resource it links to."""
    subject = IRI(iri)
    if not 1 <= inbound_page <= MAX_INBOUND_PAGE:
        raise BadParameter(f"inbound-page must be 1 … {MAX_INBOUND_PAGE} (use SPARQL for more)")
    out: list[tuple[str, str, Any]] = []
    rows = store.select(sparql(DESCRIBE_OUT, iri=subject, limit=OUTBOUND_LIMIT + 1)).rows
    outbound_truncated = len(rows) > OUTBOUND_LIMIT
    linked: set[str] = set()
    parts: set[str] = set()
    for r in rows[:OUTBOUND_LIMIT]:
        o = r["o"]
        out.append((iri, str(r["p"]), o))
        if isinstance(o, IRI) and not o.startswith("_:"):
            linked.add(str(o))
            if o.startswith(iri + "#") or str(r["p"]) in expand:
                parts.add(str(o))
    offset = (inbound_page - 1) * INBOUND_PAGE_SIZE
    inbound = store.select(sparql(DESCRIBE_IN, iri=subject, offset=offset, limit=INBOUND_PAGE_SIZE + 1)).rows
    has_next = len(inbound) > INBOUND_PAGE_SIZE
    for r in inbound[:INBOUND_PAGE_SIZE]:
        out.append((str(r["s"]), str(r["p"]), subject))
        if not str(r["s"]).startswith("_:"):
            linked.add(str(r["s"]))
    if parts:
        for r in store.select(
            sparql(DESCRIBE_PARTS, subjects=[IRI(x) for x in sorted(parts)], limit=OUTBOUND_LIMIT)
        ).rows:
            out.append((str(r["s"]), str(r["p"]), r["o"]))
    ordered = sorted(linked)
    for start in range(0, len(ordered), 300):
        chunk = [IRI(x) for x in ordered[start : start + 300]]
        for r in store.select(sparql(LABELS, subjects=chunk, limit=3000)).rows:
            out.append((str(r["s"]), str(r["p"]), r["l"]))
    return Description(iri, out, inbound_page, min(len(inbound), INBOUND_PAGE_SIZE), has_next, outbound_truncated)


def labels_by_subject(triples: list[tuple[str, str, Any]]) -> dict[str, str]:
    """A display label per subject (Japanese preferred)."""
    best: dict[str, tuple[int, str]] = {}
    rank = {
        "http://www.w3.org/2004/02/skos/core#prefLabel": 0,
        "http://www.w3.org/2000/01/rdf-schema#label": 1,
        "http://data.europa.eu/eli/ontology#title": 2,
    }
    for s, p, o in triples:
        if p in rank and hasattr(o, "lex"):
            score = rank[p] * 2 + (0 if getattr(o, "lang", None) in ("ja", None) else 1)
            if s not in best or score < best[s][0]:
                best[s] = (score, o.lex)
    return {s: v for s, (_, v) in best.items()}


# ------------------------------------------------------------------------------- the command line's tables
LAW_ARTICLE_SUMMARY = template("law_article_summary")
PROGRAM_BASIS = template("program_basis")
IDENTITY_MATCHES = template("identity_matches")
IDENTITY_CONFLICTS = template("identity_conflicts")
RESOURCE_COUNTS = template("resource_counts")
SHEETS_PER_MINISTRY = template("sheets_per_ministry")
LOAD_ISSUES = template("load_issues")


def law_article_summary(store: Store, m: Minter, law_id: str, fy: int) -> list[Row]:
    """Per cited article of a law (in article order): caption, programs citing it, their ministries and the sum
    of their 歳出予算現額 of ``fy`` (``cbkg articles``)."""
    law_iri = m.law(law_id)
    rows = select_rows(
        store,
        LAW_ARTICLE_SUMMARY,
        law=law_iri,
        year=gyear(fy),
        total=TOTAL,
        current=CURRENT,
        articles=law_iri + "/article/",
    )
    return sorted(rows, key=lambda r: tuple(int(x) for x in (r["article"] or "0").split("-")))


def program_basis(store: Store, m: Minter, program_id: int) -> list[Row]:
    """Every legal-basis citation of a program's sheets by year: law, article, paragraph, item as written and as
    resolved, with the text version matched and its caveat (``cbkg basis``)."""
    return select_rows(store, PROGRAM_BASIS, program=m.program(str(program_id)))


def identity_matches(store: Store) -> list[Row]:
    """Sheets and document items matched to programs (``match``) or proposed (``candidate``), per method."""
    return select_rows(store, IDENTITY_MATCHES)


def identity_conflicts(store: Store) -> list[Row]:
    """The first 200 identity conflicts (merges refused), with their reason and label."""
    return select_rows(store, IDENTITY_CONFLICTS)


def resource_counts(store: Store) -> list[Row]:
    """How many programs, sheets, budget lines, observations, citations, laws, payees … the graph holds."""
    return select_rows(store, RESOURCE_COUNTS)


def sheets_per_ministry(store: Store) -> list[Row]:
    """Program sheets per ministry (Japanese name), most first."""
    return select_rows(store, SHEETS_PER_MINISTRY)


def load_issues(store: Store, file: str | None, code: str | None, limit: int) -> list[Row]:
    """Load issues (file, row, line, column, raw value, code, severity, reason) of the files whose title contains
    ``file`` and of the issue ``code`` (each filter only when given), by file and row."""
    return select_rows(store, LOAD_ISSUES, file=file or "", code=code or "", limit=limit)
