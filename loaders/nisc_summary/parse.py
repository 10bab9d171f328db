"""Reading a NISC summary: text → records (:mod:`.records`) and load issues for what cannot be read.

The stages, each by structure: the table (:mod:`.table`), the totals before the first description page, the
areas given as ``(X億円：Y%)``, and the description pages, split into blocks that are attributed to items.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .. import normalize as nz
from ..base import LoadIssue, Severity, SourceUnit
from ..budget_doc.basis import find_citations, laws_named
from ..budget_doc.facts import fact_at, fact_issues, read_facts
from ..budget_doc.figures import (
    BudgetCell,
    Figure,
    Statement,
    candidates,
    column_label,
    consistent,
    figure_issue,
    find_figures,
    find_labels,
    main_unit,
    pair_statements,
    text_not_mapped_issue,
)
from ..budget_doc.text import as_written, best_match, era_of, name_key, plain, read_lines, resolve_ministry
from .records import Area, Item, ItemCitation, ItemFact, ItemFigure, ParsedRecord, SummaryDoc, Total
from .table import AREA_RE, assign, is_item_start, scan_table

TITLE_PHRASE = "サイバーセキュリティに関する予算"
"""The phrase every summary's title contains."""


def is_summary(text: str) -> bool:
    """True for the text of a NISC budget summary: the phrase of its title and ≥ 2 ``【省庁】`` rows."""
    if TITLE_PHRASE not in text or "\x00" in text:
        return False
    rows = 0
    for raw in text.split("\n"):
        if raw.lstrip().startswith("【") and is_item_start(raw) is not None:
            rows += 1
            if rows >= 2:
                return True
    return False


def fy_from_text(lines: Sequence[str]) -> int | None:
    """The fiscal year of a summary: the first column header's, else the first budget label's."""
    era = era_of(lines)
    for i, raw in enumerate(lines, 1):
        if "\t" in raw:
            cells = [c for c in raw.split("\t") if c.strip()]
            labels = [column_label(c, i) for c in cells]
            if len(labels) >= 2 and all(labels) and labels[0] is not None:
                return labels[0].year
    for i, raw in enumerate(lines, 1):
        for lab in find_labels(raw, i, None, era):
            return lab.year
    return None


def doc_key(fy: int | None) -> str:
    """The document key of a summary (``nisc-cyber-budget-2024``)."""
    return f"nisc-cyber-budget-{fy if fy is not None else 'unknown'}"


def parse(unit: SourceUnit) -> Iterator[ParsedRecord]:
    """Records of one NISC summary: the document, totals, areas, items, facts, citations and load issues."""
    lines, issues = read_lines(unit)
    yield from parse_lines(lines, issues)


def parse_lines(lines: list[str], pre_issues: list[LoadIssue]) -> Iterator[ParsedRecord]:
    """All records of a summary given as lines (``pre_issues``: what reading the file reported)."""
    yield from _Summary(lines, pre_issues).run()


@dataclass
class Block:
    """A run of description lines: from a heading, a page break or a line naming an item, to the next."""

    start: int
    lines: list[int]
    heading_item: int | None = None  # the item its first line names
    reset: bool = False  # a new ministry's section or top-level heading: the previous item does not continue


Attributed = tuple[Block, int | None, int | None, bool]
"""A block, the item of its facts, the item of its figures, and whether its figures are attributed directly."""


class _Summary:
    """One summary being read: the stages of :func:`parse_lines` share the lines, the records and the issues."""

    def __init__(self, lines: list[str], pre_issues: list[LoadIssue]) -> None:
        self.lines = lines
        self.issues: list[LoadIssue] = list(pre_issues)
        self.era = era_of(lines)
        self.table = scan_table(lines)
        self.used = self.table.used
        self.items: list[Item] = []
        self.areas: dict[int, Area] = {}
        self.totals: dict[tuple[int, str], Total] = {}
        self.facts: list[ItemFact] = []
        self.citations: list[ItemCitation] = []
        self.extra: list[ItemFigure] = []
        self.narrative: list[int] = []
        self.key = ""
        self.fy = 0

    def issue(self, code_: str, reason: str, severity: Severity, line: int | None, value: str | None = None) -> None:
        self.issues.append(LoadIssue(code_, reason, severity, line=line, value=value))

    def run(self) -> Iterator[ParsedRecord]:
        """The records in the order the mapping numbers nothing by: document, totals, areas, items, facts,
        citations, page figures, then the load issues by line."""
        lines, tab = self.lines, self.table
        fy = tab.headers[0][0].year if tab.headers else None
        if fy is None:
            fy = next((lab.year for n, raw in enumerate(lines, 1) for lab in find_labels(raw, n, None, self.era)), None)
        self.key = doc_key(fy)
        title, title_lines = _title(lines)
        self.used.update(title_lines)
        unit = main_unit([c for r in tab.rows for c in r.cells if isinstance(c, Figure)])
        if fy is None:
            self.issue(
                "missing-value",
                "no fiscal year found (no column header, no budget label); figures not mapped",
                "error",
                1,
            )
            yield SummaryDoc(self.key, None, title, tuple(title_lines), unit)
            yield from self.issues
            return
        self.fy = fy
        yield SummaryDoc(self.key, fy, title, tuple(title_lines), unit)
        self.read_rows()
        item_keys = [(it.number, name_key(it.name)) for it in self.items if it.name]
        desc_start = _description_start(lines, self.used, item_keys)
        self.read_totals(desc_start)
        self.read_shares()
        blocks = _blocks(lines, [n for n in range(desc_start, len(lines) + 1) if n not in self.used], item_keys)
        self.read_descriptions(blocks)
        yield from sorted(self.totals.values(), key=lambda x: x.lines[0])
        for k, rec in enumerate(sorted(self.areas.values(), key=lambda a: a.number)):
            yield dataclasses.replace(rec, first=k == 0)
        yield from self.items
        yield from self.facts
        yield from self.citations
        yield from self.extra
        mapped = {i.line for i in self.issues if i.line is not None}  # lines whose text an issue keeps
        mapped |= {ic.cited.line for ic in self.citations}
        mapped |= {b.start for b in blocks if b.heading_item is not None}  # item names restated as page titles
        nm = text_not_mapped_issue(lines, sorted(set(self.narrative) - mapped))
        if nm is not None:
            self.issues.append(nm)
        yield from sorted(self.issues, key=lambda x: (x.line or 0, x.code))

    # -- the table -------------------------------------------------------------------------------------------------
    def read_rows(self) -> None:
        """Items and areas with their figures placed in the columns of their table."""
        tab, lines = self.table, self.lines
        for row in tab.rows:
            if row.kind == "area" and row.share is not None:
                continue  # read_shares
            hdr = row.header if row.header is not None else tab.late_header
            cells, row_issues = assign(row, tab.headers[hdr] if hdr is not None else [])
            self.issues.extend(row_issues)
            if row.kind == "area":
                rec = self.areas.get(row.number)
                if rec is None:
                    self.areas[row.number] = Area(
                        self.key, self.fy, row.number, f"({row.number})", row.name, tuple(row.lines), tuple(cells)
                    )
                else:
                    self.areas[row.number] = dataclasses.replace(rec, lines=rec.lines + tuple(row.lines))
                    self.issue(
                        "duplicate-row",
                        f"area ({row.number}) listed again; its figures not mapped again",
                        "warning",
                        row.lines[0],
                        lines[row.lines[0] - 1],
                    )
                continue
            ministry, abbreviated = resolve_ministry(row.bracket)
            if ministry is None:
                self.issue(
                    "unknown-ministry",
                    "ministry/agency not in the organisation register; kept as written",
                    "warning",
                    row.lines[0],
                    row.bracket,
                )
            elif abbreviated:
                self.issue(
                    "ministry-abbreviated",
                    f"abbreviated ministry name read as {ministry} (the only registered name it begins)",
                    "warning",
                    row.lines[0],
                    row.bracket,
                )
            if not row.name:
                self.issue("missing-value", "item row without a name", "warning", row.lines[0], lines[row.lines[0] - 1])
            self.items.append(
                Item(
                    self.key,
                    self.fy,
                    len(self.items) + 1,
                    nz.nfkc(row.bracket).strip(),
                    ministry,
                    row.name,
                    row.area,
                    tuple(row.lines),
                    tuple(cells),
                )
            )

    # -- totals ----------------------------------------------------------------------------------------------------
    def read_totals(self, desc_start: int) -> None:
        """Figures with budget labels before the description pages: the document's totals (a bracketed one is the
        comparison of the total before it)."""
        lines = self.lines
        summary = [n for n in range(1, desc_start) if n not in self.used and lines[n - 1].strip()]
        stmts = pair_statements(lines, summary, self.fy, self.era)
        done: set[int] = set()
        last_main: tuple[int, str] | None = None
        for st in stmts:
            fig = st.figure
            done.add(fig.line)
            if fig.inner or fig.approx:
                self.issues.append(
                    figure_issue(fig, lines[fig.line - 1], "figure given as a part or an approximation; not mapped")
                )
                continue
            if st.label is None:
                same = next((k for k, tt in self.totals.items() if tt.figure.amount == fig.amount), None)
                if same is not None:
                    have = self.totals[same]
                    self.totals[same] = dataclasses.replace(have, lines=(*have.lines, fig.line))
                else:
                    self.issues.append(
                        figure_issue(fig, lines[fig.line - 1], "figure without a budget label; not mapped")
                    )
                continue
            k = (st.label.year, st.label.stage)
            done.add(st.label.line)
            known = self.totals.get(k)
            if known is not None:
                if consistent(known.figure, fig):
                    more = sorted({fig.line, st.label.line} - set(known.lines))
                    self.totals[k] = dataclasses.replace(known, lines=known.lines + tuple(more))
                else:
                    self.issues.append(
                        figure_issue(
                            fig,
                            lines[fig.line - 1],
                            f"total of {k[0]} {k[1]} restated "
                            f"with a different figure ({known.figure.written}); not mapped",
                            "warning",
                            "figure-mismatch",
                        )
                    )
                continue
            compared = last_main if st.parenthesised else None
            self.totals[k] = Total(
                self.key, self.fy, k[0], k[1], st.label.written, fig, tuple(sorted({st.label.line, fig.line})), compared
            )
            if not st.parenthesised:
                last_main = k
        for n in summary:
            if n in done:
                continue
            for fig in find_figures(lines[n - 1], n):
                if not any(fig.amount == tt.figure.amount for tt in self.totals.values()):
                    self.issues.append(figure_issue(fig, lines[n - 1], "figure in narrative text; not mapped"))
            if not find_figures(lines[n - 1], n):
                self.narrative.append(n)

    def read_shares(self) -> None:
        """Areas given as ``(X億円：Y%)``: the figure is read as the headline total's budget once the share agrees."""
        lines = self.lines
        headline = _headline(self.totals, self.fy)
        for row in (r for r in self.table.rows if r.kind == "area" and r.share is not None):
            fig = row.share_figure
            assert fig is not None and row.share is not None
            cells: list[BudgetCell] = []
            if headline is None:
                self.issues.append(
                    figure_issue(
                        fig,
                        lines[fig.line - 1],
                        "area figure with a share but no headline total to check it against; not mapped",
                        "warning",
                    )
                )
            else:
                share = fig.amount / headline.figure.amount * 100
                if abs(share - row.share) > Decimal("0.051") + fig.tolerance / headline.figure.amount * 100:
                    self.issues.append(
                        figure_issue(
                            fig,
                            lines[fig.line - 1],
                            f"share {row.share}% does not agree "
                            f"with the headline total {headline.figure.written}; not mapped",
                            "warning",
                            "figure-mismatch",
                        )
                    )
                else:
                    cells = [BudgetCell(headline.year, headline.stage, headline.stage_written, fig)]
            rec = self.areas.get(row.number)
            if rec is None:
                self.areas[row.number] = Area(
                    self.key, self.fy, row.number, f"({row.number})", row.name, tuple(row.lines), tuple(cells)
                )
            else:
                have = {(c.year, c.stage) for c in rec.totals}
                more = tuple(c for c in cells if (c.year, c.stage) not in have)
                self.areas[row.number] = dataclasses.replace(
                    rec, lines=rec.lines + tuple(row.lines), totals=rec.totals + more
                )
        for n in sorted(self.used):  # area names restated elsewhere (chart captions): provenance of the area
            am = AREA_RE.match(plain(lines[n - 1]))
            rec = self.areas.get(int(am.group(1))) if am else None
            if rec is not None and n not in rec.lines and not any(n in r.lines for r in self.table.rows):
                self.areas[rec.number] = dataclasses.replace(rec, lines=(*rec.lines, n))

    # -- description pages -----------------------------------------------------------------------------------------
    def read_descriptions(self, blocks: list[Block]) -> None:
        """Key facts, legal citations and figures of the program pages, each on the item its page is about."""
        lines, fy = self.lines, self.fy
        by_number = {it.number: it for it in self.items}
        known_amounts = {tt.figure.amount for tt in self.totals.values()} | {
            c.figure.amount for a in self.areas.values() for c in a.totals
        }
        attributed = _attribute(blocks, lines, by_number, fy, self.era)
        for item_no, section in _sections(attributed):
            if item_no is not None:
                self.read_citations(item_no, [n for b in section for n in b.lines])
        for blk, owner, fig_owner, direct in attributed:
            facts, fact_lines = read_facts(lines, blk.lines)
            for f in facts:
                self.issues.extend(fact_issues(f))
                if not f.value:
                    continue
                if owner is None:
                    self.issue(
                        "fact-not-attributed",
                        f"key fact ({f.kind}) on a page that names no item of the table; not mapped",
                        "warning",
                        f.lines[0],
                        " ".join(as_written(lines[n - 1]) for n in f.lines),
                    )
                else:
                    self.facts.append(ItemFact(self.key, owner, f))
            rest = [n for n in blk.lines if n not in fact_lines]
            stmts = pair_statements(lines, rest, fy, self.era)
            done: set[int] = set()
            owner_item = by_number.get(fig_owner) if fig_owner else None
            for st in stmts:
                done.update({st.figure.line, st.label.line} if st.label else {st.figure.line})
                found = _place_figure(
                    st, lines, self.totals, known_amounts, owner_item, direct, self.extra, self.key, fy
                )
                if found is not None:
                    self.issues.append(found)
            for n in rest:
                if n in done:
                    continue
                figs = find_figures(lines[n - 1], n)
                for fig in figs:
                    if fig.amount not in known_amounts:
                        self.issues.append(figure_issue(fig, lines[n - 1], "figure in narrative text; not mapped"))
                if not figs:
                    self.narrative.append(n)

    def read_citations(self, item_no: int, numbers: list[int]) -> None:
        """The legal provisions an item's pages cite (the law named next to the article, else the one law the
        pages name)."""
        cited, cite_issues = find_citations(self.lines, numbers, laws_named(self.lines, numbers))
        self.issues.extend(cite_issues)
        mine = [ic for ic in self.citations if ic.item == item_no]
        known = {ic.cited.signature for ic in mine}
        for c in cited:
            if c.signature in known:
                continue
            known.add(c.signature)
            mine.append(ItemCitation(self.key, item_no, len(mine) + 1, c))
            self.citations.append(mine[-1])


def _title(lines: Sequence[str]) -> tuple[str, list[int]]:
    """The title as written and its line (a default title and no line when the file has none)."""
    for n, raw in enumerate(lines, 1):
        p = plain(raw)
        if TITLE_PHRASE in p and len(p) <= 40:
            return as_written(raw), [n]
    return "政府のサイバーセキュリティに関する予算", []


def _headline(totals: dict[tuple[int, str], Total], fy: int) -> Total | None:
    """The document's total for its own fiscal year (the first one that is no comparison)."""
    for tot in sorted(totals.values(), key=lambda x: x.lines[0]):
        if tot.year == fy and tot.compared_with is None:
            return tot
    return None


def _short_name_line(raw: str) -> str | None:
    """The line (plain) if it could be a name: short, no sentence, no figure, no key fact."""
    p = plain(raw)
    if not p or len(p) > 60 or p.endswith("。") or find_figures(raw, 0) or fact_at(raw):
        return None
    return p


def _name_before_figures(raw: str) -> str | None:
    """The text before the first figure of a line such as ``○サイバーセキュリティ経済基盤構築事業 ： 20.0億円``."""
    figs = find_figures(raw, 0)
    if not figs:
        return None
    norm = nz.nfkc(raw)
    head = plain(norm[: figs[0].start]).rstrip(" :：")
    labels = find_labels(head, 0, None)
    if labels:
        head = head[: labels[0].start].rstrip(" :：")
    return head if 6 <= len(head) <= 60 and "。" not in head else None


def _description_start(lines: Sequence[str], used: set[int], item_keys: Sequence[tuple[int, str]]) -> int:
    """The first line (outside the table) that names an item: where the description pages begin."""
    for n, raw in enumerate(lines, 1):
        if n in used:
            continue
        p = _short_name_line(raw)
        if p is None:
            continue
        if best_match(name_key(p), item_keys, 2) is not None:
            return n
    return len(lines) + 1


def _blocks(lines: Sequence[str], numbers: Sequence[int], item_keys: Sequence[tuple[int, str]]) -> list[Block]:
    """Split the description lines at headings, page breaks (≥ 3 blank lines), lines naming an item, and lines
    giving a named figure (``○中小企業…促進事業 ： 4.0億円``: a program of its own, perhaps not in the table)."""
    blocks: list[Block] = []
    cur: Block | None = None
    prev = None
    for n in numbers:
        raw = lines[n - 1]
        if not raw.strip():
            continue
        gap = prev is not None and n - prev > 3 and all(not lines[k - 1].strip() for k in range(prev + 1, n))
        heading = raw.lstrip().startswith("#")
        entry = _name_before_figures(raw)
        p = _short_name_line(raw) or entry
        named = best_match(name_key(p), item_keys, 2) if p else None
        marker = len(plain(raw)) <= 30 and plain(raw).endswith(("施策例", "施策"))
        if cur is None or gap or heading or named is not None or marker or entry:
            level1 = bool(re.match(r"^\s*#\s", raw))
            cur = Block(n, [], named, reset=marker or (level1 and named is None))
            blocks.append(cur)
        cur.lines.append(n)
        prev = n
    return blocks


def _attribute(
    blocks: Sequence[Block], lines: Sequence[str], items: dict[int, Item], fy: int, era: str
) -> list[tuple[Block, int | None, int | None, bool]]:
    """For each block: (block, item of its facts, item of its figures, figures attributed directly)."""
    out: list[tuple[Block, int | None, int | None, bool]] = []
    inherited: int | None = None
    for blk in blocks:
        if blk.reset:
            inherited = None
        stmts = pair_statements(lines, blk.lines, fy, era)
        cands = candidates(stmts, ((it.number, it.cells) for it in items.values()))
        head = blk.heading_item
        if head is not None:
            owner, fig_owner, direct = head, head, True
        elif len(cands) == 1:
            owner = fig_owner = next(iter(cands))
            direct = True
        elif inherited is not None and (not cands or inherited in cands):
            owner, fig_owner, direct = inherited, inherited, False
        else:
            owner, fig_owner, direct = None, None, False
        if head is not None and cands and head not in cands and len(cands) == 1:
            fig_owner = head  # the heading wins; figures that disagree are reported
        out.append((blk, owner, fig_owner, direct))
        if owner is not None:
            inherited = owner
    return out


def _sections(
    attributed: Sequence[tuple[Block, int | None, int | None, bool]],
) -> Iterator[tuple[int | None, list[Block]]]:
    """Consecutive blocks of the same item (the item's pages)."""
    cur: int | None = None
    acc: list[Block] = []
    for blk, owner, _, _ in attributed:
        if acc and owner != cur:
            yield cur, acc
            acc = []
        cur = owner
        acc.append(blk)
    if acc:
        yield cur, acc


def _place_figure(
    st: Statement,
    lines: Sequence[str],
    totals: dict[tuple[int, str], Total],
    known_amounts: set[Decimal],
    item: Item | None,
    direct: bool,
    extra: list[ItemFigure],
    key: str,
    fy: int,
) -> LoadIssue | None:
    """Check a description figure against the document totals and its item; keep figures of other budgets."""
    fig = st.figure
    raw = lines[fig.line - 1]
    if fig.inner or fig.approx:
        return figure_issue(fig, raw, "figure given as a part (の内数) or an approximation; not mapped")
    if st.label is not None:
        tot = totals.get((st.label.year, st.label.stage))
        if tot is not None and consistent(tot.figure, fig):
            return None  # a restatement of a document total
    elif fig.amount in known_amounts:
        return None  # a document or area total repeated (a chart label)
    if item is None:
        return figure_issue(fig, raw, "figure on a page that names no item of the table; not mapped")
    cells = {(c.year, c.stage): c for c in item.cells}
    if st.label is None:
        if any(consistent(c.figure, fig) for c in item.cells):
            return None
        return figure_issue(fig, raw, f"figure without a budget label on the page of item {item.number}; not mapped")
    k = (st.label.year, st.label.stage)
    if k in cells:
        if consistent(cells[k].figure, fig):
            return None
        if direct:
            return figure_issue(
                fig,
                raw,
                f"differs from the table figure of item {item.number} for {k[0]} {k[1]} "
                f"({cells[k].figure.written}); not mapped",
                "warning",
                "figure-mismatch",
            )
        return figure_issue(
            fig, raw, f"does not match item {item.number}'s table figure for {k[0]} {k[1]} (a component?); not mapped"
        )
    if not direct:
        return figure_issue(
            fig, raw, f"figure for {k[0]} {k[1]} on a page only presumed to be item {item.number}'s; not mapped"
        )
    if any(e.item == item.number and (e.cell.year, e.cell.stage) == k for e in extra):
        prev = next(e for e in extra if e.item == item.number and (e.cell.year, e.cell.stage) == k)
        if consistent(prev.cell.figure, fig):
            return None
        return figure_issue(
            fig,
            raw,
            f"second, different figure for {k[0]} {k[1]} of item {item.number}; not mapped",
            "warning",
            "figure-mismatch",
        )
    extra.append(ItemFigure(key, fy, item.number, BudgetCell(k[0], k[1], st.label.written, fig)))
    return None
