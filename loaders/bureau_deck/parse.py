"""Reading a bureau deck: text → records (:mod:`.records`) and load issues for what cannot be read.

The stages, each by structure: the first page (title, date, bureau, ministry, the legend of the bracketed
figures), the policy headings with the measures and programs listed under them, one node per measure, and the
detail pages, split into blocks that are attributed to measures.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ontology.iri import short_hash
from ontology.registers import org_register

from .. import normalize as nz
from ..base import LoadIssue, Severity, SourceUnit
from ..budget_doc.facts import fact_issues, read_facts
from ..budget_doc.figures import (
    NUM,
    BudgetCell,
    Figure,
    Statement,
    candidates,
    consistent,
    figure_issue,
    find_figures,
    main_unit,
    narrative_issue,
    pair_statements,
)
from ..budget_doc.text import (
    as_written,
    best_match,
    era_of,
    name_key,
    name_score,
    name_text,
    nfkc_map,
    plain,
    read_lines,
)
from .records import DeckArea, DeckDoc, Measure, MeasureFact, MeasureFigure, ParsedRecord

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
_TAIL_RE = re.compile(
    rf"(?P<req>(?:事項要求\s*(?:[(（]\s*新規\s*[)）])?\s*[+＋]?\s*)?{NUM}\s*(?:億円|百万円)|事項要求\s*(?:[(（]\s*新規\s*[)）])?)"
    rf"\s*[(（]\s*(?P<prev>{NUM}\s*(?:億円|百万円)|新規)\s*[)）]\s*$"
)


def bureau_of(lines: Sequence[str]) -> str | None:
    """The 総合通信局 (or 総合通信事務所) named in the first lines."""
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


def fiscal_year(lines: Sequence[str]) -> int | None:
    """The fiscal year of the requests (the ``…年度…概算要求`` phrase of the first lines)."""
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


def is_deck(text: str) -> bool:
    """True for the text of a bureau deck: a 総合通信局 named in the first lines, 概算要求, and ○/◎ measures with
    figures."""
    if "\x00" in text or "概算要求" not in text:
        return False
    first = "\n".join(text.split("\n")[:40])
    if not _BUREAU_RE.search(nz.nfkc(first)):
        return False
    marks = sum(1 for raw in text.split("\n") if _MARK_RE.match(raw) and not _is_legend(raw))
    pairs = sum(1 for raw in text.split("\n") if _TAIL_RE.search(nz.nfkc(raw).strip()))
    return marks >= 2 and pairs >= 1


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
    """A ○/◎ measure line or a program line under one, as listed (before entries naming one measure merge)."""

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


@dataclass
class _Draft:
    """A measure while the lists and pages are read (what becomes a :class:`Measure`)."""

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

    def freeze(self) -> Measure:
        """The measure as read."""
        return Measure(
            self.doc,
            self.fy,
            self.number,
            self.name,
            self.area,
            self.ministry,
            tuple(self.lines),
            self.is_new,
            self.parent,
            tuple(self.alt_names),
            tuple(self.acronyms),
            tuple(self.cells),
        )


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


def parse(unit: SourceUnit) -> Iterator[ParsedRecord]:
    """Records of one deck: the document, headings, measures, facts, detail figures and load issues."""
    lines, issues = read_lines(unit)
    yield from parse_lines(lines, issues)


def parse_lines(lines: list[str], pre_issues: list[LoadIssue]) -> Iterator[ParsedRecord]:
    """All records of a deck given as lines (``pre_issues``: what reading the file reported)."""
    yield from _Deck(lines, pre_issues).run()


class _Deck:
    """One deck being read: the stages of :func:`parse_lines` share the lines, the records and the issues."""

    def __init__(self, lines: list[str], pre_issues: list[LoadIssue]) -> None:
        self.lines = lines
        self.issues: list[LoadIssue] = list(pre_issues)
        self.era = era_of(lines)
        self.fy = fiscal_year(lines)
        self.bureau = bureau_of(lines)
        self.key = doc_key(self.bureau, self.fy)
        self.used: set[int] = set()
        self.areas: dict[int, DeckArea] = {}
        self.entries: list[_Entry] = []
        self.runs: list[tuple[int, list[int]]] = []  # (last line of a heading run, its program entries)
        self.measures: list[_Draft] = []
        self.entry_measure: dict[int, int] = {}
        self.facts: list[MeasureFact] = []
        self.extra: list[MeasureFigure] = []
        self.narrative: list[int] = []
        self.titled: set[int] = set()
        self.prev_written = "前年度予算"  # the legend's words for the bracketed figures
        self.request_written = ""  # how the deck names its requests (令和６年度概算要求)

    def issue(self, code_: str, reason: str, severity: Severity, line: int | None, value: str | None = None) -> None:
        self.issues.append(LoadIssue(code_, reason, severity, line=line, value=value))

    def run(self) -> Iterator[ParsedRecord]:
        """The records: document, headings, measures, facts, detail figures, then the load issues by line."""
        doc = self.read_header()
        if doc.fy is None:
            self.issue(
                "missing-value", "no fiscal year of the requests (…年度…概算要求) found; figures not mapped", "error", 1
            )
            yield doc
            yield from self.issues
            return
        fy = doc.fy
        self.scan_headings()
        doc = dataclasses.replace(
            doc, unit=main_unit([f for e in self.entries for f in (e.request, e.prev) if f is not None])
        )
        yield doc
        self.merge(doc)
        self.read_details(fy)
        for k, num in enumerate(sorted(self.areas)):
            yield dataclasses.replace(self.areas[num], first=k == 0)
        yield from (ms.freeze() for ms in self.measures)
        yield from self.facts
        yield from self.extra
        mapped = {i.line for i in self.issues if i.line is not None} | self.titled
        keep = [
            n
            for n in sorted(set(self.narrative) - mapped)
            if plain(self.lines[n - 1]) and not _is_page_no(self.lines[n - 1])
        ]
        if keep:
            self.issues.append(narrative_issue(keep))
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
        prev_fy = None if self.fy is None else self.read_legend(self.fy)
        return DeckDoc(
            self.key,
            self.fy,
            prev_fy,
            title,
            subtitle,
            date,
            self.bureau,
            ministry,
            tuple(sorted(set(doc_lines))),
            "hundred-million-yen",
        )

    def read_legend(self, fy: int) -> int:
        """The year of the bracketed figures (``（ ）は令和５年度予算``; else the previous fiscal year, reported) and
        how the deck names its requests."""
        prev_fy: int | None = None
        for raw in self.lines:  # （ ）は令和５年度予算
            norm, idx = nfkc_map(raw)
            m = _LEGEND_PREV.search(norm)
            if m:
                try:
                    prev_fy = nz.era_year(m.group(1), m.group(2))
                    self.prev_written = raw[idx[m.start(1)] : idx[m.end() - 1] + 1]
                except nz.NormalizeError:
                    pass
                break
        if prev_fy is None:
            prev_fy = fy - 1
            self.prev_written = "前年度予算"
            self.issue(
                "missing-value",
                "no legend for the bracketed figures; read as the previous fiscal year's budget",
                "info",
                1,
            )
        self.request_written = _request_label(self.lines, fy)
        return prev_fy

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
                self.areas[number] = DeckArea(self.key, number, name, (), (i,))
            else:
                alt = name_key(name) != name_key(area.name) and name not in area.alt_names
                self.areas[number] = dataclasses.replace(
                    area, lines=(*area.lines, i), alt_names=(*area.alt_names, name) if alt else area.alt_names
                )
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
            if e.kind == "program" and e.parent_entry is not None and e.parent_entry in self.entry_measure:
                parent = self.entry_measure[e.parent_entry]
                if parent != ms.number and ms.parent is None:
                    ms.parent = parent
            if e.request is not None or e.prev is not None or e.request_written:
                self.list_figures(e, ms, doc)

    def measure_for(self, e: _Entry, ministry: str | None) -> _Draft:
        """The measure an entry names (same heading, same name or a spelling variant), new if none."""
        same_area = [
            (ms.number, name_key(n)) for ms in self.measures if ms.area == e.area for n in (ms.name, *ms.alt_names)
        ]
        hit = best_match(name_key(e.name), same_area)
        if hit is None:
            ms = _Draft(self.key, self.fy or 0, len(self.measures) + 1, e.name, e.area, ministry, list(e.lines), e.new)
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

    def list_figures(self, e: _Entry, ms: _Draft, doc: DeckDoc) -> None:
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
            cands = candidates(stmts, ((ms.number, ms.cells) for ms in self.measures))
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


def _defined_acronyms(text: str, ms: _Draft) -> list[str]:
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


def _place(
    st: Statement, lines: Sequence[str], ms: _Draft | None, extra: list[MeasureFigure], key: str, fy: int
) -> LoadIssue | None:
    """Check a detail-page figure against its measure's list figures; keep figures of other budgets."""
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
