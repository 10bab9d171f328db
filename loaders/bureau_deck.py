"""Loader ``bureau_deck``: a MIC regional bureau's deck on the ministry's budget requests (text extraction).

A 総合通信局 deck (``総務省の地域情報化支援施策について`` / ``令和６年度地域情報化関連施策資料（概算要求）``) lists the
ministry's main budget requests under numbered policy headings (``１ デジタル基盤整備`` … ``５ サイバーセキュリティ
の確保``), first without figures (overview), then with them (``○光ファイバの整備の推進 66.9億円(45.4億円)``: request
for the deck's fiscal year, and in brackets the previous year's budget, as the legend ``（ ）は令和５年度予算`` says),
then one detail page per measure, where a measure is split into programs (``・高度無線環境整備推進事業``,
``②実践的サイバー防御演習（CYDER）``) with their own figures (``令和６年度要求額 850百万円``) and key facts.

Read by structure, so any bureau's deck of any year loads the same way:

* the document: title, date (``令和5年10月17日`` → 2023-10-17), bureau (``四国総合通信局``, an org unit under the
  ministry named in the title), fiscal year (the ``…年度…概算要求`` phrase);
* policy headings: a line ``N name`` (full- or half-width digit, not a circled one) followed by ``○``/``◎`` lines,
  one SKOS concept per number (other spellings of the same heading become ``skos:altLabel``);
* measures: ``○`` continuing / ``◎`` new (``cbkg:isNew``), the name possibly running over the next line; the same
  measure in the overview, the list and the detail pages is one node (names compared without spaces, brackets and
  の; a one-character difference such as 推進/促進 is merged and reported);
* programs of a measure (``・…``, ``①…`` right under a ``○`` line of a detail page) with ``cbkg:parentItem``;
  acronyms in brackets (``（CYDER）``) or defined on the program's page next to its name (``地域SECUNITY``) become
  ``cbkg:programAcronym``;
* figures: the list's request and previous-year budget, and the detail pages' figures of the same measure (a page
  belongs to the measure its title names, else to the one measure its figures fit).  ``事項要求`` (a request without
  an amount) is kept with the figure as written and reported.

Budget figures are budget lines in the cube ``micdeck{FY}`` (``cbkg:summaryItem`` → measure), amounts in yen with
the figure and unit as written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ontology import terms as t
from ontology.iri import Minter, cbkg, short_hash
from ontology.registers import org_register
from ontology.terms import IRI, Triple

from . import common
from . import normalize as nz
from .base import LoadIssue, MapContext, SourceUnit, issue_triples
from .nisc_summary import (
    DCT_PART_OF,
    DCT_TITLE,
    DERIVED,
    LABEL,
    SKOS_ALT,
    SKOS_CONCEPT,
    SKOS_IN_SCHEME,
    SKOS_SCHEME,
    SKOS_TOP,
    TYPE,
    BudgetCell,
    Fact,
    Figure,
    Statement,
    as_written,
    best_match,
    budget_line_triples,
    consistent,
    era_of,
    fact_issues,
    fact_triples,
    figure_issue,
    find_figures,
    head_text,
    name_key,
    name_score,
    name_text,
    nfkc_map,
    pair_statements,
    plain,
    read_facts,
    read_lines,
)

NAME = "bureau_deck"
VERSION = "1.0.0"
TITLE = "MIC regional bureau deck on budget requests (総合通信局 概算要求資料, text)"
__all__ = [
    "NAME",
    "TITLE",
    "VERSION",
    "DeckArea",
    "DeckDoc",
    "Measure",
    "MeasureFact",
    "MeasureFigure",
    "cost",
    "declarations",
    "detect",
    "graph_key",
    "parse",
    "to_triples",
    "units",
]

BUREAUS = {
    "北海道総合通信局": "hokkaido",
    "東北総合通信局": "tohoku",
    "関東総合通信局": "kanto",
    "信越総合通信局": "shinetsu",
    "北陸総合通信局": "hokuriku",
    "東海総合通信局": "tokai",
    "近畿総合通信局": "kinki",
    "中国総合通信局": "chugoku",
    "四国総合通信局": "shikoku",
    "九州総合通信局": "kyushu",
    "沖縄総合通信事務所": "okinawa",
}
"""The regional bureaus of 総務省 (総合通信局, and the 沖縄総合通信事務所) and the slugs of their decks' keys."""

_BUREAU_RE = re.compile(r"([^\s　、。「」()（）]{1,6}総合通信(?:局|事務所))")
_FY_RE = re.compile(r"(令和|平成)\s*(元|\d{1,2})\s*年度[^\n]{0,20}?概算要求")
_LEGEND_PREV = re.compile(r"[(（]\s*[)）]\s*は\s*(令和|平成)\s*(元|\d{1,2})\s*年度\s*(当初予算|予算)")
_HEADING_RE = re.compile(r"^\s*([1-9１-９])[ \u3000]+(\S.{0,40})$")
_MARK_RE = re.compile(r"^\s*([○◎〇])\s*(.*)$")
_SUB_RE = re.compile(r"^\s*(?:・|[①-⑳])\s*(\S.*)$")
_NUM = r"\d+(?:\s*[,.]\s*\d+)*"
_TAIL_RE = re.compile(
    rf"(?P<req>(?:事項要求\s*(?:[(（]\s*新規\s*[)）])?\s*[+＋]?\s*)?{_NUM}\s*(?:億円|百万円)|事項要求\s*(?:[(（]\s*新規\s*[)）])?)"
    rf"\s*[(（]\s*(?P<prev>{_NUM}\s*(?:億円|百万円)|新規)\s*[)）]\s*$"
)


@dataclass(slots=True)
class DeckDoc:
    """The deck: fiscal year of the requests, previous year, date, issuing bureau and ministry."""

    key: str
    fy: int | None
    prev_fy: int | None
    title: str
    subtitle: str | None
    date: dt.date | None
    bureau: str | None
    ministry: str | None
    lines: tuple[int, ...]
    unit: str


@dataclass(slots=True)
class DeckArea:
    """A policy heading (``５ サイバーセキュリティの確保``)."""

    doc: str
    number: int
    name: str
    alt_names: list[str]
    lines: list[int]
    first: bool = False


@dataclass(slots=True)
class Measure:
    """A measure (○/◎) or a program listed under one, with the figures of the list."""

    doc: str
    fy: int
    number: int
    name: str
    area: int
    ministry: str | None
    lines: list[int]
    is_new: bool | None = None
    parent: int | None = None
    alt_names: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    cells: list[BudgetCell] = field(default_factory=list)


@dataclass(slots=True)
class MeasureFact:
    """A key fact of a measure read from its detail page."""

    doc: str
    measure: int
    fact: Fact


@dataclass(slots=True)
class MeasureFigure:
    """A detail-page figure of a measure for a budget the list does not give."""

    doc: str
    fy: int
    measure: int
    cell: BudgetCell


# -- detection -----------------------------------------------------------------------------------------------------
def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for a bureau deck: a 総合通信局 named in the first lines, 概算要求, and ○/◎ measures with figures."""
    text = head_text(head)
    if "\x00" in text or "概算要求" not in text:
        return False
    first = "\n".join(text.split("\n")[:40])
    if not _BUREAU_RE.search(nz.nfkc(first)):
        return False
    marks = sum(1 for raw in text.split("\n") if _MARK_RE.match(raw) and not _is_legend(raw))
    pairs = sum(1 for raw in text.split("\n") if _TAIL_RE.search(nz.nfkc(raw).strip()))
    return marks >= 2 and pairs >= 1


def units(path: Path) -> list[SourceUnit]:
    """One unit per file."""
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file size."""
    return float(unit.size())


def _bureau(lines: Sequence[str]) -> str | None:
    for raw in lines[:40]:
        m = _BUREAU_RE.search(nz.nfkc(raw))
        if m:
            return m.group(1)
    return None


def bureau_slug(bureau: str | None) -> str:
    """``shikoku`` for 四国総合通信局 (a hash for a bureau not in :data:`BUREAUS`)."""
    if bureau is None:
        return "unknown"
    return BUREAUS.get(bureau) or "x-" + short_hash(bureau, length=8)


def _fiscal_year(lines: Sequence[str]) -> int | None:
    for raw in lines[:60]:
        m = _FY_RE.search(nz.nfkc(raw))
        if m:
            try:
                return nz.era_year(m.group(1), m.group(2))
            except nz.NormalizeError:
                return None
    return None


def doc_key(bureau: str | None, fy: int | None) -> str:
    """``mic-deck-shikoku-2024``."""
    return f"mic-deck-{bureau_slug(bureau)}-{fy if fy is not None else 'unknown'}"


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``mic-deck/{bureau}/{FY}``: a newer deck of the same bureau and year replaces the previous load."""
    lines = head_text(head).replace("\r\n", "\n").split("\n")
    fy = _fiscal_year(lines)
    return f"mic-deck/{bureau_slug(_bureau(lines))}/{fy if fy is not None else 'unknown'}"


# -- parsing -------------------------------------------------------------------------------------------------------
def _is_legend(raw: str) -> bool:
    return bool(re.match(r"^\s*[○◎〇]\s*は", raw))


def _is_page_no(raw: str) -> bool:
    return bool(re.fullmatch(r"\s*\d{1,3}\s*", nz.nfkc(raw)))


def _heading(lines: Sequence[str], i: int) -> tuple[int, str] | None:
    """``(number, name)`` if line ``i`` is a policy heading (followed, after blank lines, by a ○/◎ line)."""
    raw = lines[i - 1]
    m = _HEADING_RE.match(raw)
    if m is None or find_figures(raw, i) or "。" in raw:
        return None
    j = i + 1
    while j <= len(lines) and not lines[j - 1].strip():
        j += 1
    if j > len(lines) or not _MARK_RE.match(lines[j - 1]) or _is_legend(lines[j - 1]):
        return None
    return int(nz.nfkc(m.group(1))), name_text(m.group(2))


@dataclass
class _Entry:
    kind: str  # measure | program
    name: str
    lines: list[int]
    area: int
    new: bool | None = None
    request: Figure | None = None
    request_written: str | None = None
    prev: Figure | None = None
    prev_new: bool = False
    parent_entry: int | None = None  # index of the measure entry a program is listed under
    tail_raw: str | None = None


def _read_measure(lines: Sequence[str], i: int, area: int) -> tuple[_Entry, int]:
    """A ○/◎ line (the name may continue on the next line, up to the figures)."""
    m = _MARK_RE.match(lines[i - 1])
    assert m is not None
    text = m.group(2).strip()
    used = [i]
    j = i + 1
    if not _TAIL_RE.search(nz.nfkc(text)):
        while j <= len(lines) and len(used) < 3:
            nxt = lines[j - 1]
            if (
                not nxt.strip()
                or _MARK_RE.match(nxt)
                or _SUB_RE.match(nxt)
                or _HEADING_RE.match(nxt)
                or _is_page_no(nxt)
            ):
                break
            text += nxt.strip()
            used.append(j)
            j += 1
            if _TAIL_RE.search(nz.nfkc(text)):
                break
    entry = _Entry("measure", text, used, area, new=m.group(1) == "◎")
    norm, idx = nfkc_map(text)
    tm = _TAIL_RE.search(norm)
    if tm is None:
        entry.name = name_text(text)
        return entry, j

    def raw(a: int, b: int) -> str:
        return text[idx[a] : idx[b - 1] + 1] if b > a else ""

    entry.name = name_text(raw(0, tm.start()))
    entry.tail_raw = raw(tm.start(), tm.end()).strip()
    req_raw = raw(tm.start("req"), tm.end("req")).strip()
    req_figs = find_figures(req_raw, used[-1])
    entry.request = req_figs[0] if req_figs else None
    entry.request_written = req_raw
    if entry.request is not None and "事項要求" in req_raw:
        entry.request = dataclasses.replace(entry.request, written=req_raw)  # 事項要求（新規）＋50.0億円 as written
    if tm.group("prev").strip() == "新規":
        entry.prev_new = True
    else:
        prev = find_figures(raw(tm.start("prev"), tm.end("prev")), used[-1])
        entry.prev = prev[0] if prev else None
    return entry, j


def parse(unit: SourceUnit) -> Iterator[Any]:
    """Records of one deck: the document, headings, measures, facts, detail figures and load issues."""
    lines, issues = read_lines(unit)
    yield from _parse_lines(lines, issues)


def _parse_lines(lines: list[str], pre_issues: list[LoadIssue]) -> Iterator[Any]:
    """All records of a deck given as lines (``pre_issues``: what reading the file reported)."""
    yield from _Deck(lines, pre_issues).run()


class _Deck:
    """One deck being read: the stages of :func:`_parse_lines` share the lines, the records and the issues."""

    def __init__(self, lines: list[str], pre_issues: list[LoadIssue]) -> None:
        self.lines = lines
        self.issues: list[LoadIssue] = list(pre_issues)
        self.era = era_of(lines)
        self.fy = _fiscal_year(lines)
        self.bureau = _bureau(lines)
        self.key = doc_key(self.bureau, self.fy)
        self.used: set[int] = set()
        self.areas: dict[int, DeckArea] = {}
        self.entries: list[_Entry] = []
        self.runs: list[tuple[int, list[int]]] = []  # (last line of a heading run, its program entries)
        self.measures: list[Measure] = []
        self.entry_measure: dict[int, int] = {}
        self.facts: list[MeasureFact] = []
        self.extra: list[MeasureFigure] = []
        self.narrative: list[int] = []
        self.titled: set[int] = set()
        self.prev_written = "前年度予算"  # the legend's words for the bracketed figures
        self.request_written = ""  # how the deck names its requests (令和６年度概算要求)

    def issue(self, code_: str, reason: str, severity: str, line: int | None, value: str | None = None) -> None:
        self.issues.append(LoadIssue(code_, reason, severity, line=line, value=value))  # type: ignore[arg-type]

    def run(self) -> Iterator[Any]:
        doc = self.read_header()
        if doc.fy is None:
            self.issue(
                "missing-value", "no fiscal year of the requests (…年度…概算要求) found; figures not mapped", "error", 1
            )
            yield doc
            yield from self.issues
            return
        self.scan_headings()
        doc.unit = _main_unit([f for e in self.entries for f in (e.request, e.prev) if f is not None])
        yield doc
        self.merge(doc)
        self.read_details(doc.fy)
        for k, num in enumerate(sorted(self.areas)):
            self.areas[num].first = k == 0
            yield self.areas[num]
        yield from self.measures
        yield from self.facts
        yield from self.extra
        mapped = {i.line for i in self.issues if i.line is not None} | self.titled
        keep = [
            n
            for n in sorted(set(self.narrative) - mapped)
            if plain(self.lines[n - 1]) and not _is_page_no(self.lines[n - 1])
        ]
        if keep:
            self.issue(
                "text-not-mapped",
                f"{len(keep)} lines of narrative text, captions and diagram labels (no "
                f"budget figures) are not mapped (lines {common.describe_ranges(keep)})",
                "info",
                keep[0],
            )
        yield from sorted(self.issues, key=lambda x: (x.line or 0, x.code))

    # -- the first page -------------------------------------------------------------------------------------------
    def read_header(self) -> DeckDoc:
        """Title, subtitle, date, bureau and ministry from the first lines; the previous year from the legend."""
        lines = self.lines
        head = [n for n in range(1, min(len(lines), 40) + 1) if lines[n - 1].strip()]
        title = as_written(lines[head[0] - 1]) if head else "総合通信局 概算要求資料"
        sub_line = next((n for n in head if _FY_RE.search(nz.nfkc(lines[n - 1]))), None)
        subtitle = as_written(lines[sub_line - 1]) if sub_line else None
        doc_lines = head[:1] + ([sub_line] if sub_line else [])
        date = None
        for n in head[:12]:
            found = nz.find_dates(lines[n - 1])
            if found:
                date = found[0][0]
                doc_lines.append(n)
                break
        doc_lines += [n for n in head[:12] if self.bureau and plain(lines[n - 1]) == self.bureau]
        ministry = _ministry(lines, head[:12])
        if self.bureau is None:
            self.issue("missing-value", "no issuing 総合通信局 found in the first lines", "warning", 1)
        if ministry is None:
            self.issue("missing-value", "no ministry named in the first lines; measures have no ministry", "warning", 1)
        self.used.update(doc_lines)
        doc = DeckDoc(
            self.key,
            self.fy,
            None,
            title,
            subtitle,
            date,
            self.bureau,
            ministry,
            tuple(sorted(set(doc_lines))),
            "hundred-million-yen",
        )
        if self.fy is None:
            return doc
        for raw in lines:  # （ ）は令和５年度予算
            norm, idx = nfkc_map(raw)
            m = _LEGEND_PREV.search(norm)
            if m:
                try:
                    doc.prev_fy = nz.era_year(m.group(1), m.group(2))
                    self.prev_written = raw[idx[m.start(1)] : idx[m.end() - 1] + 1]
                except nz.NormalizeError:
                    pass
                break
        if doc.prev_fy is None:
            doc.prev_fy = self.fy - 1
            self.prev_written = "前年度予算"
            self.issue(
                "missing-value",
                "no legend for the bracketed figures; read as the previous fiscal year's budget",
                "info",
                1,
            )
        self.request_written = _request_label(lines, self.fy)
        return doc

    # -- headings and what is listed under them ---------------------------------------------------------------------
    def scan_headings(self) -> None:
        """Every policy heading with the ○/◎ measures and the programs (・, ①) listed right under it."""
        lines = self.lines
        i = 1
        while i <= len(lines):
            h = _heading(lines, i)
            if h is None:
                i += 1
                continue
            number, name = h
            area = self.areas.get(number)
            if area is None:
                self.areas[number] = DeckArea(self.key, number, name, [], [i])
            else:
                area.lines.append(i)
                if name_key(name) != name_key(area.name) and name not in area.alt_names:
                    area.alt_names.append(name)
            self.used.add(i)
            i = self.scan_run(i + 1, number)

    def scan_run(self, i: int, number: int) -> int:
        """The lines listed under a heading from line ``i``; returns the line after them."""
        lines = self.lines
        blanks = 0
        current: int | None = None
        programs: list[int] = []
        end = i - 1
        while i <= len(lines):
            raw = lines[i - 1]
            if not raw.strip():
                blanks += 1
                if blanks >= 3:
                    break
                i += 1
                continue
            blanks = 0
            if _heading(lines, i) is not None:
                break
            if _is_legend(raw) or _is_page_no(raw):
                self.used.add(i)
                i += 1
                continue
            if _MARK_RE.match(raw):
                entry, i = _read_measure(lines, i, number)
                self.entries.append(entry)
                current = len(self.entries) - 1
                self.used.update(entry.lines)
                end = entry.lines[-1]
                continue
            if _SUB_RE.match(raw) is not None and current is not None and not find_figures(raw, i):
                self.entries.append(_Entry("program", name_text(raw), [i], number, parent_entry=current))
                programs.append(len(self.entries) - 1)
                self.used.add(i)
                end = i
                i += 1
                continue
            break
        self.runs.append((end, programs))
        return i

    # -- one node per measure --------------------------------------------------------------------------------------
    def merge(self, doc: DeckDoc) -> None:
        """The overview, the list and the detail pages name the same measures: one node each, with the list's
        figures."""
        lines = self.lines
        for idx, e in enumerate(self.entries):
            if not e.name:
                self.issue(
                    "missing-value",
                    "measure line without a name; not mapped",
                    "warning",
                    e.lines[0],
                    lines[e.lines[0] - 1].strip(),
                )
                continue
            ms = self.measure_for(e, doc.ministry)
            self.entry_measure[idx] = ms.number
            for a in _acronyms(e.name):
                if a not in ms.acronyms:
                    ms.acronyms.append(a)
            if e.kind == "program" and e.parent_entry in self.entry_measure:
                parent = self.entry_measure[e.parent_entry]  # type: ignore[index]
                if parent != ms.number and ms.parent is None:
                    ms.parent = parent
            if e.request is not None or e.prev is not None or e.request_written:
                self.list_figures(e, ms, doc)

    def measure_for(self, e: _Entry, ministry: str | None) -> Measure:
        """The measure an entry names (same heading, same name or a spelling variant), new if none."""
        same_area = [
            (ms.number, name_key(n)) for ms in self.measures if ms.area == e.area for n in (ms.name, *ms.alt_names)
        ]
        hit = best_match(name_key(e.name), same_area)
        if hit is None:
            ms = Measure(self.key, self.fy or 0, len(self.measures) + 1, e.name, e.area, ministry, list(e.lines), e.new)
            self.measures.append(ms)
            return ms
        ms = self.measures[hit - 1]
        ms.lines += [n for n in e.lines if n not in ms.lines]
        if name_key(e.name) != name_key(ms.name) and e.name not in ms.alt_names:
            if max(name_score(name_key(e.name), name_key(n)) for n in (ms.name, *ms.alt_names)) == 1:
                self.issue(
                    "name-variant",
                    f"read as another spelling of measure {ms.number} ({ms.name})",
                    "info",
                    e.lines[0],
                    e.name,
                )
            ms.alt_names.append(e.name)
        if ms.is_new is None:
            ms.is_new = e.new
        elif e.new is not None and e.new != ms.is_new:
            self.issue(
                "name-variant",
                "marked ○ in one list and ◎ in another; the first mark is kept",
                "warning",
                e.lines[0],
                self.lines[e.lines[0] - 1].strip(),
            )
        return ms

    def list_figures(self, e: _Entry, ms: Measure, doc: DeckDoc) -> None:
        """The request and the previous year's budget the list gives for a measure."""
        if ms.cells:
            self.issue(
                "duplicate-row",
                f"figures of measure {ms.number} listed again; not mapped again",
                "warning",
                e.lines[-1],
                e.tail_raw,
            )
            return
        assert doc.fy is not None and doc.prev_fy is not None
        if e.request is not None:
            ms.cells.append(BudgetCell(doc.fy, "request", self.request_written, e.request))
        if e.request_written and "事項要求" in e.request_written:
            self.issue(
                "request-item",
                "事項要求: a request whose amount is not fixed yet"
                + ("; the figure given is mapped as the request" if e.request else "; no amount"),
                "warning",
                e.lines[-1],
                e.request_written,
            )
        if e.prev is not None:
            ms.cells.append(BudgetCell(doc.prev_fy, "initial", self.prev_written, e.prev))

    # -- detail pages ------------------------------------------------------------------------------------------------
    def read_details(self, fy: int) -> None:
        """Key facts, acronyms and figures of the detail pages, each on the measure its page is about: the one its
        title names, or that its figures fit, or the single program the heading page before it lists."""
        lines = self.lines
        keys = [(ms.number, name_key(n)) for ms in self.measures for n in (ms.name, *ms.alt_names)]
        by_number = {ms.number: ms for ms in self.measures}
        rest = [n for n in range(1, len(lines) + 1) if n not in self.used]
        for start, blines, head_item in _blocks(lines, rest, keys):
            if head_item is None:
                head_item = _page_of_single_program(lines, start, self.runs, self.entry_measure)
            if head_item is not None:
                self.titled.add(start)
            stmts = pair_statements(lines, blines, fy, self.era)
            cands = _candidates(stmts, self.measures)
            by_figures = next(iter(cands)) if len(cands) == 1 else None
            fig_owner = by_figures or head_item
            owner = head_item or by_figures
            facts, fact_lines = read_facts(lines, blines)
            for f in facts:
                self.issues.extend(fact_issues(f))
                if not f.value:
                    continue
                if owner is None:
                    self.issue(
                        "fact-not-attributed",
                        f"key fact ({f.kind}) on a page that names no measure of the deck; not mapped",
                        "warning",
                        f.lines[0],
                        " ".join(as_written(lines[n - 1]) for n in f.lines),
                    )
                else:
                    self.facts.append(MeasureFact(self.key, owner, f))
            if owner is not None:
                ms = by_number[owner]
                for a in _defined_acronyms("\n".join(nz.nfkc(lines[n - 1]) for n in blines), ms):
                    if a not in ms.acronyms:
                        ms.acronyms.append(a)
            done: set[int] = set(fact_lines)
            for st in stmts:
                done.update({st.figure.line, st.label.line} if st.label else {st.figure.line})
                found = _place(st, lines, by_number.get(fig_owner) if fig_owner else None, self.extra, self.key, fy)
                if found is not None:
                    self.issues.append(found)
            for n in blines:
                if n in done:
                    continue
                figs = find_figures(lines[n - 1], n)
                for fig in figs:
                    self.issues.append(figure_issue(fig, lines[n - 1], "figure in narrative text; not mapped"))
                if not figs:
                    self.narrative.append(n)


def _main_unit(figs: Sequence[Figure]) -> str:
    counts: dict[str, int] = {}
    for f in figs:
        counts[f.unit] = counts.get(f.unit, 0) + 1
    return max(sorted(counts), key=lambda u: counts[u]) if counts else "hundred-million-yen"


_REQUEST_LABEL = re.compile(r"(令和|平成)\s*(元|\d{1,2})\s*年度\s*概算要求")


def _request_label(lines: Sequence[str], fy: int) -> str:
    """How the deck names its requests (``令和６年度概算要求``, as written), for the request figures' stage."""
    for raw in lines[:200]:
        norm, idx = nfkc_map(raw)
        m = _REQUEST_LABEL.search(norm)
        if m:
            try:
                if nz.era_year(m.group(1), m.group(2)) == fy:
                    return raw[idx[m.start()] : idx[m.end() - 1] + 1]
            except nz.NormalizeError:
                continue
    return f"{fy}年度概算要求"


def _page_of_single_program(
    lines: Sequence[str], start: int, runs: Sequence[tuple[int, list[int]]], entry_measure: dict[int, int]
) -> int | None:
    """The program a block is about when it continues the page of a heading that lists exactly one program
    (no page break between: fewer than 3 blank lines, page numbers aside)."""
    for end, programs in runs:
        if end >= start or len(programs) != 1 or programs[0] not in entry_measure:
            continue
        between = [lines[k - 1] for k in range(end + 1, start)]
        blanks, ok = 0, True
        for b in between:
            if not b.strip():
                blanks += 1
                if blanks >= 3:
                    ok = False
                    break
            elif _is_page_no(b):
                blanks = 0
            else:
                ok = False
                break
        if ok:
            return entry_measure[programs[0]]
    return None


def _ministry(lines: Sequence[str], numbers: Sequence[int]) -> str | None:
    """The ministry named in the deck's first lines (the earliest registered ministry or agency name)."""
    reg = org_register()
    best: tuple[int, int, str] | None = None
    for n in numbers:
        text = nz.nfkc(lines[n - 1])
        for label, slug in reg.by_label.items():
            entry = reg.entries[slug]
            if entry.kind not in ("Ministry", "Agency") or len(label) < 3:
                continue
            pos = text.find(label)
            if pos >= 0 and (best is None or (n, pos) < best[:2]):
                best = (n, pos, entry.name_ja)
    return best[2] if best else None


def _acronyms(name: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"[(（]\s*([A-Z][A-Z0-9]{2,})\s*[)）]", nz.nfkc(name))]


_DEFINED = re.compile(
    r"([^\s(（)）、。]{2,30})[(（]\s*[^\s()（）A-Za-z]{0,6}?([A-Z][A-Z0-9]{3,})\s*(?:[(（][^()（）]*[)）])?\s*[)）]"
)


def _defined_acronyms(text: str, ms: Measure) -> list[str]:
    """Acronyms defined on a measure's page right after a part (≥ 6 characters) of its name:
    ``…セキュリティコミュニティ（地域SECUNITY（セキュニティ））`` for 地域セキュリティコミュニティの強化支援."""
    names = [nz.nfkc(n).replace(" ", "") for n in (ms.name, *ms.alt_names)]
    out: list[str] = []
    for m in _DEFINED.finditer(text):
        phrase = m.group(1)
        for k in range(len(phrase) - 6, -1, -1):
            if any(phrase[k:] in n for n in names):
                out.append(m.group(2))
                break
    return out


def _blocks(
    lines: Sequence[str], numbers: Sequence[int], keys: Sequence[tuple[int, str]]
) -> list[tuple[int, list[int], int | None]]:
    """Detail-page blocks: split at page breaks (≥ 3 blank lines), at the heading runs and at title lines naming a
    measure."""
    blocks: list[tuple[int, list[int], int | None]] = []
    prev = None
    for n in numbers:
        raw = lines[n - 1]
        if not raw.strip():
            continue
        between = [lines[k - 1] for k in range(prev + 1, n)] if prev is not None else []
        # a page break (≥ 3 blank lines) or a structural line (heading run, document header) between
        gap = prev is None or any(b.strip() for b in between) or sum(1 for b in between if not b.strip()) >= 3
        p = plain(raw)
        named = None
        if p and len(p) <= 60 and "。" not in p and not find_figures(raw, n):
            named = best_match(name_key(p), keys, 2)
        if gap or named is not None or not blocks:
            blocks.append((n, [], named))
        blocks[-1][1].append(n)
        prev = n
    return blocks


def _candidates(stmts: Sequence[Statement], measures: Sequence[Measure]) -> set[int]:
    labelled = [s for s in stmts if s.label is not None and not s.figure.inner]
    out: set[int] = set()
    if not labelled:
        return out
    for ms in measures:
        cells = {(c.year, c.stage): c.figure for c in ms.cells}
        ok, anchor = True, False
        for s in labelled:
            assert s.label is not None
            have = cells.get((s.label.year, s.label.stage))
            if have is None:
                continue
            if not consistent(have, s.figure):
                ok = False
                break
            anchor = True
        if ok and anchor:
            out.add(ms.number)
    return out


def _place(
    st: Statement, lines: Sequence[str], ms: Measure | None, extra: list[MeasureFigure], key: str, fy: int
) -> LoadIssue | None:
    fig = st.figure
    raw = lines[fig.line - 1]
    if fig.inner or fig.approx:
        return figure_issue(fig, raw, "figure given as a part (の内数) or an approximation; not mapped")
    if ms is None:
        return figure_issue(fig, raw, "figure on a page that names no measure of the deck; not mapped")
    if st.label is None:
        if any(consistent(c.figure, fig) for c in ms.cells):
            return None
        return figure_issue(fig, raw, f"figure without a budget label on the page of measure {ms.number}; not mapped")
    k = (st.label.year, st.label.stage)
    for c in ms.cells:
        if (c.year, c.stage) == k:
            if consistent(c.figure, fig):
                return None
            return figure_issue(
                fig,
                raw,
                f"differs from the list figure of measure {ms.number} for {k[0]} {k[1]} "
                f"({c.figure.written}); not mapped",
                "warning",
                "figure-mismatch",
            )
    for e in extra:
        if e.measure == ms.number and (e.cell.year, e.cell.stage) == k:
            if consistent(e.cell.figure, fig):
                return None
            return figure_issue(
                fig,
                raw,
                f"second, different figure for {k[0]} {k[1]} of measure {ms.number}; not mapped",
                "warning",
                "figure-mismatch",
            )
    extra.append(MeasureFigure(key, fy, ms.number, BudgetCell(k[0], k[1], st.label.written, fig)))
    return None


# -- mapping -------------------------------------------------------------------------------------------------------
def dataset_key(fy: int) -> str:
    """The budget cube of a deck's figures (``micdeck2024``)."""
    return f"micdeck{fy}"


def _bureau_ref(m: Minter, ministry: str | None, bureau: str | None) -> common.OrgRef | None:
    if ministry is None or bureau is None:
        return None
    return common.resolve_org(m, ministry, [("bureau", bureau)])


def to_triples(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record (pure)."""
    m = ctx.minter
    src = ctx.source
    if isinstance(record, LoadIssue):
        n = ctx.options.setdefault("_issue_no", 0) + 1
        ctx.options["_issue_no"] = n
        yield from issue_triples(record, n, ctx)
    elif isinstance(record, DeckDoc):
        doc = m.document(record.key)
        yield doc, TYPE, cbkg("BudgetRequestDocument")
        yield doc, DCT_TITLE, t.ja(record.title)
        if record.subtitle:
            yield doc, IRI("http://purl.org/dc/terms/alternative"), t.ja(record.subtitle)
        if record.fy is not None:
            yield doc, cbkg("budgetYear"), t.gyear(record.fy)
        if record.date is not None:
            yield doc, IRI("http://purl.org/dc/terms/date"), t.date(record.date)
        ref = _bureau_ref(m, record.ministry, record.bureau)
        if ref is not None:
            yield doc, IRI("http://purl.org/dc/terms/publisher"), ref.iri
        if record.ministry is not None:
            iri, _ = common.ministry_iri(m, record.ministry)
            if iri is not None:
                yield doc, cbkg("ministry"), iri
        for n in record.lines or (1,):
            yield doc, DERIVED, Minter.line(src, n)
    elif isinstance(record, DeckArea):
        doc = m.document(record.doc)
        scheme = Minter.part(doc, "areas")
        concept = Minter.part(doc, "area", record.number)
        if record.first:
            yield scheme, TYPE, SKOS_SCHEME
            yield scheme, common.SKOS_PREF, t.ja("主要事項の分野")
            yield scheme, common.SKOS_PREF, t.text("Policy headings of the budget requests", "en")
            yield scheme, DCT_PART_OF, doc
            yield scheme, DERIVED, Minter.line(src, record.lines[0])
        yield concept, TYPE, SKOS_CONCEPT
        yield concept, SKOS_IN_SCHEME, scheme
        yield scheme, SKOS_TOP, concept
        yield concept, common.SKOS_NOTATION, t.text(str(record.number))
        yield concept, common.SKOS_PREF, t.ja(record.name)
        for alt in record.alt_names:
            yield concept, SKOS_ALT, t.ja(alt)
        for n in record.lines:
            yield concept, DERIVED, Minter.line(src, n)
    elif isinstance(record, Measure):
        doc = m.document(record.doc)
        item = Minter.part(doc, "measure", record.number)
        yield item, TYPE, cbkg("BudgetSummaryItem")
        yield item, DCT_PART_OF, doc
        yield item, LABEL, t.ja(record.name)
        for alt in record.alt_names:
            yield item, SKOS_ALT, t.ja(alt)
        yield item, cbkg("strategyArea"), Minter.part(doc, "area", record.area)
        if record.ministry is not None:
            iri, _ = common.ministry_iri(m, record.ministry)
            if iri is not None:
                yield item, cbkg("ministry"), iri
        if record.is_new is not None:
            yield item, cbkg("isNew"), t.boolean(record.is_new)
        if record.parent is not None:
            yield item, cbkg("parentItem"), Minter.part(doc, "measure", record.parent)
        for a in record.acronyms:
            yield item, cbkg("programAcronym"), t.text(a)
        for n in record.lines:
            yield item, DERIVED, Minter.line(src, n)
        lines = sorted({c.figure.line for c in record.cells})
        yield from budget_line_triples(
            ctx, dataset_key(record.fy), item, ("measure", record.number), record.cells, lines
        )
    elif isinstance(record, MeasureFact):
        item = Minter.part(m.document(record.doc), "measure", record.measure)
        yield from fact_triples(item, record.fact, [Minter.line(src, n) for n in record.fact.lines])
    elif isinstance(record, MeasureFigure):
        item = Minter.part(m.document(record.doc), "measure", record.measure)
        yield from budget_line_triples(
            ctx, dataset_key(record.fy), item, ("measure", record.measure), [record.cell], [record.cell.figure.line]
        )


def declarations(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Shared entities: the issuing bureau (an org unit of the ministry) and the budget cube."""
    if isinstance(record, DeckDoc):
        ref = _bureau_ref(ctx.minter, record.ministry, record.bureau)
        if ref is not None:
            yield from ref.declarations
        if record.fy is not None:
            title = f"{record.bureau or '総合通信局'} {record.subtitle or '概算要求資料'}"
            yield from common.budget_dataset(
                ctx.minter, dataset_key(record.fy), record.unit, title, structure="summaryBudgetStructure"
            )
