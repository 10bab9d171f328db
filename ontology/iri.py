"""The one place where cbkg mints IRIs, always from stable keys (never random, never load-order dependent).

Patterns (``{base}`` is configurable, default ``https://w3id.org/cbkg/``)::

    {base}id/program/{予算事業ID}                      a program, across years and sources
    {base}id/sheet/{事業年度}/{予算事業ID}              the program as told in one 事業年度's review sheet
    {base}id/sheet/{年度}/n/{事業番号}                    a legacy/JUDGIT sheet known by its 事業番号 only
    {sheet}/{part}/{n}                                sheet-scoped nodes (legal-basis/1, expense/3, block/A …)
    {base}id/doc/{key}[/item/{n}]                      other documents (NISC summaries, bureau decks)
    {base}id/obs/{dataset}/{…dimensions}              budget observations (RDF Data Cube), one per cube
    {base}id/org/{slug}[/{unit}…]                     ministries/agencies (register slug) and their units
    {base}id/corporation/{法人番号}                    a payee with a valid corporate number
    {base}id/law/{法令ID}[/article/{n}[/paragraph/{n}[/item/{n}]]]      work-level provisions (what is cited)
    {base}id/law/{法令ID}/version/{key}[/chapter/{n}][/article/{n}…]  one text version and its structure
    {base}id/plan/{key}  {base}id/policy/{slug}/{key}  {base}id/account/{key}  {base}id/dataset/{key}
    {base}graph/{key}                                 one named graph per source file
    {base}source/{sha256[:16]}#row={n}                a record of a source file (RFC 7111 fragment)

Name-derived path segments are NFKC-normalised and percent-encoded, so full/half-width spellings of the
same name give the same IRI and every IRI is plain ASCII.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from .namespaces import CBKG, CODE, DEFAULT_BASE
from .terms import IRI

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def _q(value: str) -> str:
    return quote(value, safe="")


def key_text(name: str) -> str:
    """Normalise a name for use as an identity key: NFKC, trimmed, internal whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name)).strip()


def segment(name: str) -> str:
    """A percent-encoded IRI path segment for a name (stable across width/space variants)."""
    return _q(key_text(name))


def short_hash(*parts: str, length: int = 16) -> str:
    """A deterministic hexadecimal digest of normalised ``parts`` (for long free-text keys)."""
    h = hashlib.sha256("\x1f".join(key_text(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


def cbkg(local: str) -> IRI:
    """A term of the cbkg ontology."""
    return IRI(CBKG + local)


def code(scheme: str, notation: str) -> IRI:
    """A concept of a cbkg code list (``code/{scheme}/{notation}``)."""
    return IRI(f"{CODE}{scheme}/{notation}")


class Minter:
    """Mints data IRIs under one base IRI."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not base.endswith("/"):
            base += "/"
        self.base = base
        self.id = base + "id/"

    # programs and sheets -------------------------------------------------------------------------------
    def program(self, program_id: str) -> IRI:
        return IRI(f"{self.id}program/{program_id}")

    def program_from_sheet(self, year: int, number: str) -> IRI:
        """A program known only from review sheets older than the RS system (no 予算事業ID), named after its
        earliest loaded sheet by identity resolution (``graph/identity``)."""
        return IRI(f"{self.id}program/sheet/{year}/{_q(number)}")

    def sheet(self, year: int, program_id: str) -> IRI:
        return IRI(f"{self.id}sheet/{year}/{program_id}")

    def review_sheet(self, year: int, number: str) -> IRI:
        """A review sheet known only by its 事業番号 (legacy and JUDGIT sheets: ``2022-文科-21-0234``).

        Which program it belongs to is decided by identity resolution (``graph/identity``), not here."""
        return IRI(f"{self.id}sheet/{year}/n/{_q(number)}")

    def document(self, key: str) -> IRI:
        """A source document that is not a review sheet (a NISC budget summary, a bureau budget deck)."""
        return IRI(f"{self.id}doc/{_q(key)}")

    @staticmethod
    def part(parent: IRI, *parts: str | int) -> IRI:
        """A node scoped under another resource, e.g. ``part(sheet, "legal-basis", 2)``."""
        return IRI(parent + "".join(f"/{_q(str(p))}" for p in parts))

    # nodes scoped under a review sheet (one method per shape; ``n`` is the row's ordinal or number) --------
    def sheet_policy(self, sheet: IRI, n: str | int) -> IRI:
        """A 政策・施策 row of a sheet."""
        return self.part(sheet, "policy", n)

    def legal_basis(self, parent: IRI, n: str | int) -> IRI:
        """A 根拠法令 row of a sheet, or the k-th legal basis of a budget-summary item."""
        return self.part(parent, "legal-basis", n)

    def sheet_plan(self, sheet: IRI, n: str | int) -> IRI:
        """A 関係する計画・通知等 row of a sheet."""
        return self.part(sheet, "plan", n)

    def subsidy_rate(self, sheet: IRI, n: str | int) -> IRI:
        return self.part(sheet, "subsidy-rate", n)

    def related_program(self, sheet: IRI, n: str | int) -> IRI:
        """A 関連事業 row of a sheet."""
        return self.part(sheet, "related", n)

    def budget_line(self, sheet: IRI, year: str | int) -> IRI:
        """The budget table of a sheet for one fiscal year (the slice of its observations)."""
        return self.part(sheet, "budget", year)

    def budget_item(self, sheet: IRI, n: str | int) -> IRI:
        """A 歳出予算項目 row of a sheet."""
        return self.part(sheet, "budget-item", n)

    def logic_element(self, sheet: IRI, kind: str, n: str | int) -> IRI:
        """An element (activity, output, outcome …) of a sheet's logic model."""
        return self.part(sheet, "logic", kind, n)

    def logic_link(self, sheet: IRI, n: str | int) -> IRI:
        return self.part(sheet, "logic-link", n)

    def indicator(self, parent: IRI, key: str | None = None) -> IRI:
        """The indicator of a logic element (``key`` tells several apart)."""
        return self.part(parent, "indicator") if key is None else self.part(parent, "indicator", key)

    def indicator_value(self, indicator: IRI, *dims: str | int) -> IRI:
        """One value (target or result, one year) of an indicator."""
        return self.part(indicator, *dims)

    def review(self, sheet: IRI) -> IRI:
        """The review (点検・評価) section of a sheet."""
        return self.part(sheet, "review")

    def review_finding(self, review: IRI, kind: str, n: str | int) -> IRI:
        """A finding of a review (``kind`` e.g. ``external``, ``admin``)."""
        return self.part(review, kind + "-finding", n)

    def special_account_reflection(self, review: IRI, n: str | int) -> IRI:
        return self.part(review, "special-account-reflection", n)

    def block(self, sheet: IRI, letter: str) -> IRI:
        """A payee block (A, B, …) of a sheet's money flow."""
        return self.part(sheet, "block", letter)

    def flow(self, sheet: IRI, n: str | int) -> IRI:
        """An edge of a sheet's money-flow diagram."""
        return self.part(sheet, "flow", n)

    def indirect_cost(self, sheet: IRI, n: str | int) -> IRI:
        return self.part(sheet, "indirect-cost", n)

    def expense(self, sheet: IRI, n: str | int) -> IRI:
        """A 費目・使途 row of a sheet."""
        return self.part(sheet, "expense", n)

    def contract(self, sheet: IRI, n: str | int) -> IRI:
        return self.part(sheet, "contract", n)

    def payment(self, sheet: IRI, n: str | int) -> IRI:
        """A 支出先 row of a sheet (a payment to one payee)."""
        return self.part(sheet, "payment", n)

    # nodes scoped under a budget document (NISC summary, bureau deck) ----------------------------------------
    def total(self, parent: IRI, year: str | int, stage: str) -> IRI:
        """A total of a document or of one of its areas for one fiscal year and budget stage."""
        return self.part(parent, "total", year, stage)

    def area_scheme(self, doc: IRI) -> IRI:
        """The concept scheme of a document's strategy areas."""
        return self.part(doc, "areas")

    def area(self, doc: IRI, number: str | int) -> IRI:
        """A strategy area of a document."""
        return self.part(doc, "area", number)

    def summary_item(self, doc: IRI, number: str | int) -> IRI:
        """An item (one program line) of a NISC budget summary."""
        return self.part(doc, "item", number)

    def measure(self, doc: IRI, number: str | int) -> IRI:
        """A measure (施策) of a bureau budget deck."""
        return self.part(doc, "measure", number)

    # records about a corporation from one register -------------------------------------------------------------
    def nta_record(self, corporate_number: str, file_name: str, ordinal: int) -> IRI:
        """One record of the NTA 法人番号 publication file about a corporation."""
        return self.part(self.corporation(corporate_number), "nta", file_name, ordinal)

    def gbiz_record(self, corporate_number: str, kind: str, key: str) -> IRI:
        """One gBizINFO record (subsidy, procurement, …) about a corporation."""
        return self.part(self.corporation(corporate_number), f"gbiz-{kind}", key)

    # identity resolution -------------------------------------------------------------------------------------
    def identity_conflict(self, key: str) -> IRI:
        """A refused merge recorded by identity resolution (``key``: a digest of the members and the method)."""
        return IRI(f"{self.id}identity/conflict/{key}")

    def payee_name(self, name: str) -> IRI:
        """A payee name that carries several 法人番号 (recorded by identity resolution)."""
        return IRI(f"{self.id}identity/payee-name/{short_hash(name)}")

    # declarations ---------------------------------------------------------------------------------------------
    def declarations_graph(self, key: str) -> IRI:
        """The graph of the shared declarations (organisations, laws, plans) that source graph ``key`` brings."""
        return IRI(f"{self.declarations_base}{key}")

    @property
    def declarations_base(self) -> str:
        """The prefix of every declarations graph (``{base}declarations/``)."""
        return self.base + "declarations/"

    def observation(self, dataset: str, *dims: str | int) -> IRI:
        return IRI(f"{self.id}obs/{dataset}/" + "/".join(_q(str(d)) for d in dims))

    def dataset(self, key: str) -> IRI:
        return IRI(f"{self.id}dataset/{key}")

    # organisations, payees ---------------------------------------------------------------------------
    def org(self, slug: str, *units: str) -> IRI:
        return IRI(f"{self.id}org/{slug}" + "".join(f"/{segment(u)}" for u in units))

    def corporation(self, corporate_number: str) -> IRI:
        return IRI(f"{self.id}corporation/{corporate_number}")

    def local_payee(self, sheet: IRI, name: str) -> IRI:
        """A payee without a valid 法人番号: scoped to the sheet, never merged across programs."""
        return IRI(f"{sheet}/payee/{short_hash(name)}")

    # laws ------------------------------------------------------------------------------------------------
    def law(self, law_id: str) -> IRI:
        return IRI(f"{self.id}law/{law_id}")

    def law_part(self, law_id: str, article: str, paragraph: str | None = None, item: str | None = None) -> IRI:
        """Article / paragraph / item of a law (numbers canonical: ``30-2`` for 第三十条の二)."""
        iri = f"{self.id}law/{law_id}/article/{article}"
        if paragraph is not None:
            iri += f"/paragraph/{paragraph}"
        if item is not None:
            if paragraph is None:
                iri += "/paragraph/1"
            iri += f"/item/{quote(item, safe='-')}"
        return IRI(iri)

    def law_version(self, law_id: str, version: str) -> IRI:
        """One version (text as in force from a date, or as published by one source) of a law."""
        return IRI(f"{self.id}law/{law_id}/version/{_q(version)}")

    @staticmethod
    def version_part(version: IRI, *steps: tuple[str, str]) -> IRI:
        """A subdivision of a law version: ``version_part(v, ("chapter", "4"), ("article", "30-2"))``."""
        return IRI(version + "".join(f"/{kind}/{_q(num)}" for kind, num in steps))

    # plans, policies, accounts -----------------------------------------------------------------------
    def plan(self, key: str) -> IRI:
        return IRI(f"{self.id}plan/{short_hash(key)}")

    def policy(self, ministry_slug: str, *names: str) -> IRI:
        return IRI(f"{self.id}policy/{ministry_slug}/" + "/".join(short_hash(n, length=12) for n in names))

    def account(self, *parts: str) -> IRI:
        return IRI(f"{self.id}account/" + "/".join(segment(p) for p in parts))

    # named graphs and sources ------------------------------------------------------------------------
    def graph(self, key: str) -> IRI:
        return IRI(f"{self.base}graph/{key}")

    def source(self, sha256: str) -> IRI:
        """A source file, content-addressed: the same bytes always get the same IRI."""
        return IRI(f"{self.base}source/{sha256[:16]}")

    @staticmethod
    def row(source: IRI, row: int) -> IRI:
        """Record ``row`` of a source file (RFC 7111 ``#row=``; the header is row 1)."""
        return IRI(f"{source}#row={row}")

    @staticmethod
    def line(source: IRI, line: int) -> IRI:
        """Line ``line`` of a text source (RFC 5147 ``#line=``, zero-based start of the line)."""
        return IRI(f"{source}#line={line - 1},{line}")

    def is_local(self, iri: str) -> bool:
        """True if ``iri`` was minted under this base."""
        return iri.startswith(self.base)
