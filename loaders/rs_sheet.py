"""Loader ``rs_sheet``: one RS review sheet exported as tab-separated text (行政事業レビューシート, 単票).

The RS system (行政事業レビュー見える化サイト) shows one sheet as a page of HTML tables; its text export is one
line per table row with the cells separated by tabs.  The document structure this loader reads:

* the 事業名 alone on the first non-blank line;
* section headers alone on a line (基本情報, 予算・執行, 効果発現経路, 点検・評価, その他備考);
* *groups*: a line whose first cell is a group label (組織情報, 根拠法令, ``予算額執行額表 (単位：千円)`` …),
  followed by its continuation lines.  A continuation line starts with an empty cell, or (where the HTML table
  had a spanning cell) with a value shifted one cell to the left; a shifted row is realigned on its table
  header (its first filled cell is put under the header's first column label);
* a group is label/value pairs (組織情報: ``府省庁`` ``総務省`` …), a table whose header is the group line
  (根拠法令: 法令名 法令番号 条 項 号・号の細分), or a table with year columns (予算額執行額表).

Amounts are read in the unit the table header states (``(単位：千円)``, ``反映額(千円)``: 円, 千円, 百万円,
億円), converted exactly to yen and kept as written in ``cbkg:sourceFigure``.  ``--`` is an empty cell (no
value, no observation), ``0`` is zero.

Mapping: the same ontology as the bulk CSV.  Each group becomes records of the equivalent RS table
(:class:`loaders.rs_csv.RsRecord` with that table's column keys: 1-1 組織情報, 1-2 事業概要等, 1-3 政策・施策、
法令、計画, 1-4 補助率等, 2-2 予算種別・歳出予算項目, 4-1 点検・評価, 5-1/5-3/5-4 支出先, 6-1 その他備考), mapped by
:mod:`loaders.rs_csv.mapping`; so the sheet of 事業年度 2026 read here and the sheet of 2024 read from the CSVs
are described alike and share their program (``id/program/{予算事業ID}``).  Provenance is the line a value was
read from (RFC 5147 ``#line=``; :class:`LineContext` makes the rs_csv mapping cite lines instead of CSV rows).
The budget table (予算額執行額表) gives one ``cbkg:BudgetLine`` per year column (account total) in the cube
``rs{事業年度}``: 要求額 → stage ``request``, 当初予算 → ``initial``, 補正予算 → ``supplementary``, 前年度から繰越し →
``carried-over-in``, 予備費等 → ``reserve``, 計 → ``current``, 執行額 → ``executed`` (with 執行率 as
``cbkg:executionRate``).  The account rows of 予算内訳表 give account lines (要望額) and its items 2-2 budget line
items of the 事業年度.  主な増減理由 and その他特記事項 (given once per sheet) go to the 事業年度's
``cbkg:BudgetYearNote``.

Not mapped (reported as ``not-mapped`` load issues, one per group): 関連事業 entries and 効果発現経路 (the single
sheet numbers logic-model elements by path codes such as ``101-201-301-501``, not by the CSV's per-kind numbers,
so its elements cannot be given the CSV's identities without guessing); any cell a group handler did not read;
a last line without a line break (a truncated file: ``296,325`` cut to ``296`` must not be read as a figure).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ontology import codes
from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.namespaces import PROV, QB, RDFS
from ontology.registers import org_register
from ontology.terms import IRI, Triple

from . import common
from . import normalize as nz
from .base import LoadIssue, MapContext, SourceUnit, issue_triples
from .rs_csv import CONVERTERS, RsRecord
from .rs_csv import mapping as rsm

NAME = "rs_sheet"
VERSION = "1.1.0"
TITLE = "RS-system review sheet, single-sheet text export (行政事業レビューシート 単票, tab-separated)"
__all__ = [
    "NAME",
    "TITLE",
    "VERSION",
    "Block",
    "BudgetColumn",
    "Derivation",
    "Figure",
    "LineContext",
    "SheetInfo",
    "complete_lines",
    "cost",
    "declarations",
    "decode",
    "detect",
    "graph_key",
    "parse",
    "to_triples",
    "units",
]

TYPE = t.RDF_TYPE
DERIVED = IRI(PROV + "wasDerivedFrom")
LABEL = IRI(RDFS + "label")
QB_OBSERVATION = IRI(QB + "observation")

UNITS: dict[str, tuple[str, int]] = {
    "円": ("yen", 1),
    "千円": ("thousand-yen", 1000),
    "百万円": ("million-yen", 10**6),
    "億円": ("hundred-million-yen", 10**8),
}
"""Amount units as written → (``code/unit`` notation, yen factor)."""


# -- records ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SheetInfo:
    """The first record: which sheet the file is (事業年度, 予算事業ID as written and canonical, 事業名)."""

    year: int
    program_id: str
    program_id_as_written: str
    name: str | None
    line: int
    budget_unit: str | None = None
    """``code/unit`` notation of the budget table (予算額執行額表), when the file has one."""


@dataclass(frozen=True, slots=True)
class Figure:
    """One cell of the budget table: a stage's amount in yen as read from ``line`` (``raw`` as written)."""

    stage: str
    amount: Decimal
    raw: str
    line: int


@dataclass(frozen=True, slots=True)
class BudgetColumn:
    """One year column of 予算額執行額表: a budget line (account total) of the sheet and its figures.

    ``line`` is the table header's line (where the year column is defined); each figure has its own line.
    ``rate`` is 執行率 as a fraction (``0.1%`` → 0.001) with its raw text and line.
    """

    year: int
    program_id: str
    budget_year: int
    line: int
    unit: str
    figures: tuple[Figure, ...]
    rate: tuple[Decimal, str, int] | None = None


@dataclass(frozen=True, slots=True)
class Derivation:
    """A further line a sheet-scoped node was read from (``sheet/{part…}``), e.g. the payee row of a payment
    whose contract details come from the next row."""

    year: int
    program_id: str
    part: tuple[str | int, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Block:
    """A spending block (支出先ブロック A, B …) of the sheet: its letter and name (the 5-2 part of a block)."""

    year: int
    program_id: str
    letter: str
    name: str | None
    line: int


# -- reading the document -----------------------------------------------------------------------------------
@dataclass
class _Row:
    """One line split into cells; ``used`` marks the cells a handler has read."""

    line: int
    cells: list[str]
    used: set[int] = field(default_factory=set)

    def text(self, i: int) -> str | None:
        """Cell ``i`` cleaned (None when absent or blank)."""
        return nz.clean(self.cells[i]) if 0 <= i < len(self.cells) else None

    def take(self, i: int) -> str | None:
        """Read cell ``i`` (marks it read); None for a blank cell or the ``--`` empty marker."""
        if 0 <= i < len(self.cells):
            self.used.add(i)
        v = self.text(i)
        return None if v is None or nz.is_none_marker(v) else v

    def first(self) -> int:
        """Index of the first non-blank cell (-1 for none)."""
        return next((i for i, c in enumerate(self.cells) if nz.clean(c) is not None), -1)


@dataclass
class _Group:
    """A group label line and its continuation lines."""

    label: str  # normalised label (see _norm)
    written: str  # the label cell as written
    unit: str | None  # amount unit of the group title (円, 千円 …), if stated
    rows: list[_Row]

    @property
    def line(self) -> int:
        return self.rows[0].line


@dataclass
class _Doc:
    title: tuple[str, int] | None
    groups: list[_Group]
    orphans: list[_Row]  # non-blank lines before any group that are not the title


_SPACES = re.compile(r"\s+")
_UNIT_IN_TITLE = re.compile(r"^(.*?)\s*\(\s*単位\s*:\s*([^)]+?)\s*\)\s*$")
_UNIT_IN_HEADER = re.compile(r"^(.*?)\s*\(\s*(円|千円|百万円|億円)\s*\)\s*$")


def _norm(s: str) -> str:
    """A label for matching: NFKC (full-width brackets, slashes, colons folded), no whitespace."""
    return _SPACES.sub("", nz.nfkc(s))


def _split_unit(cell: str) -> tuple[str, str | None]:
    """``予算額執行額表 (単位：千円)`` → (``予算額執行額表``, ``千円``); labels without a unit → (label, None)."""
    m = _UNIT_IN_TITLE.match(nz.nfkc(cell).strip())
    if m:
        return _norm(m.group(1)), _norm(m.group(2))
    return _norm(cell), None


def _header_unit(cell: str) -> tuple[str, str | None]:
    """``反映額(千円)`` → (``反映額``, ``千円``)."""
    m = _UNIT_IN_HEADER.match(nz.nfkc(cell).strip())
    if m:
        return _norm(m.group(1)), m.group(2)
    return _norm(cell), None


SECTIONS = frozenset({"基本情報", "予算・執行", "効果発現経路", "点検・評価", "支出先", "活動・成果目標等のつながり"})
"""Headers alone on a line: they close the current group."""
SINGLE_CELL_GROUPS = frozenset({"その他備考"})
"""Group labels alone on a line whose content follows on the next lines."""
LOGIC_GROUPS = frozenset(
    {
        "アクティビティ",
        "アウトプット",
        "短期アウトカム",
        "中期アウトカム",
        "長期アウトカム",
        "活動・成果目標と実績",
        "↓後続アウトカムへのつながり",
        "事業に関連するKPIが定められている閣議決定等",
    }
)
_LOGIC_PATH = re.compile(r"^アクティビティからの発現経路")


def decode(data: bytes) -> tuple[str, list[LoadIssue]]:
    """The text of a file: UTF-8 (BOM optional; a multi-byte character cut at the very end, as in a truncated
    file, is dropped with a warning), else CP932, else UTF-8 with replacement characters (warning)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            reason = "file ends inside a UTF-8 character (truncated?); its last bytes are dropped"
            line = data.count(b"\n") + 1
            issue = LoadIssue("bad-encoding", reason, "warning", None, line, None, data[exc.start :].hex())
            return data[: exc.start].decode("utf-8", errors="replace"), [issue]
    try:
        return data.decode("cp932"), [LoadIssue("cp932", "file is not UTF-8; decoded as Shift_JIS (CP932)", "info")]
    except UnicodeDecodeError as exc:
        issue = LoadIssue(
            "bad-encoding",
            f"invalid UTF-8 and CP932 byte sequences (first at byte {exc.start}) replaced by U+FFFD",
            "warning",
        )
        return data.decode("utf-8", errors="replace"), [issue]


def complete_lines(text: str) -> tuple[str, LoadIssue | None]:
    """The text without a last line that has no line break (the file was cut: a figure such as ``296,325`` cut
    to ``296`` would be read wrong), and the load issue that reports that line."""
    if not text or text.endswith("\n"):
        return text, None
    head, _, last = text.rpartition("\n")
    reason = "last line has no line break (file truncated?); not mapped"
    return head + "\n" if head else "", LoadIssue(
        "not-mapped", reason, "warning", None, text.count("\n") + 1, None, last.strip() or None
    )


def _read(text: str) -> _Doc:
    """Split the text into the title, groups and stray lines."""
    title: tuple[str, int] | None = None
    groups: list[_Group] = []
    orphans: list[_Row] = []
    current: _Group | None = None
    seen_structure = False
    for n, raw in enumerate(text.split("\n"), start=1):
        cells = raw.rstrip("\r").split("\t")
        row = _Row(n, cells)
        first = row.first()
        if first < 0:
            continue
        filled = sum(1 for c in cells if nz.clean(c) is not None)
        label, unit = _split_unit(cells[0]) if first == 0 else ("", None)
        if label in GROUP_HANDLERS and (filled > 1 or label in SINGLE_CELL_GROUPS):
            current = _Group(label, nz.clean(cells[0]) or label, unit, [row])
            groups.append(current)
            seen_structure = True
        elif first == 0 and filled == 1 and (label in SECTIONS or _LOGIC_PATH.match(label)):
            current = None
            seen_structure = True
            if _LOGIC_PATH.match(label):
                current = _Group("発現経路", nz.clean(cells[0]) or label, None, [row])
                groups.append(current)
        elif current is not None:
            current.rows.append(row)
        elif not seen_structure and title is None and filled == 1:
            title = (nz.clean(cells[first]) or "", n)
        else:
            orphans.append(row)
    return _Doc(title, groups, orphans)


# -- the sheet's identity -------------------------------------------------------------------------------------
def _pairs(group: _Group, labels: dict[str, str]) -> dict[str, tuple[str | None, _Row, int]]:
    """Label/value pairs of a group: for every cell that is one of ``labels`` (normalised label → key), the
    value is the next cell.  Returns key → (value or None, row, value index)."""
    out: dict[str, tuple[str | None, _Row, int]] = {}
    for r_i, row in enumerate(group.rows):
        for i in range(len(row.cells)):
            if r_i == 0 and i == 0:
                continue  # the group label
            key = labels.get(_norm(row.cells[i]))
            if key is None or key in out or (i in row.used):
                continue
            row.used.add(i)
            out[key] = (row.take(i + 1), row, i + 1)
    return out


_ID_LABELS = {"予算事業ID": "program_id", "事業年度": "year"}


def _identity(doc: _Doc) -> tuple[int | None, str | None, str | None, int, list[LoadIssue]]:
    """(事業年度, canonical 予算事業ID, 予算事業ID as written, line, issues) from the 基本情報 group."""
    issues: list[LoadIssue] = []
    for g in doc.groups:
        if g.label != "基本情報":
            continue
        found = _pairs(_Group(g.label, g.written, None, [_Row(r.line, list(r.cells)) for r in g.rows]), _ID_LABELS)
        year = pid = written = None
        line = g.line
        if "year" in found and found["year"][0] is not None:
            value, row, _ = found["year"]
            try:
                year = nz.parse_year(value)  # type: ignore[arg-type]
            except nz.NormalizeError as exc:
                issues.append(LoadIssue("bad-year", exc.reason, "error", None, row.line, "事業年度", value))
        if "program_id" in found and found["program_id"][0] is not None:
            value, row, _ = found["program_id"]
            written = value
            line = row.line
            v = nz.nfkc(value or "").strip()
            if v.isdigit():
                pid = str(int(v))
            else:
                issues.append(
                    LoadIssue(
                        "bad-program-id", "予算事業ID is not a number", "error", None, row.line, "予算事業ID", value
                    )
                )
        return year, pid, written, line, issues
    return None, None, None, 0, issues


# -- detection ------------------------------------------------------------------------------------------------
def _head_text(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.decode("utf-8", errors="ignore")


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for the text export of one RS sheet: tab-separated lines with at least three of the sheet's group
    labels (組織情報, 基本情報, 根拠法令 …) as first cells, and a 予算事業ID cell."""
    labels: set[str] = set()
    has_id = False
    for raw in _head_text(head).split("\n")[:600]:
        if "\t" not in raw:
            continue
        cells = raw.split("\t")
        label, _ = _split_unit(cells[0])
        if label in GROUP_HANDLERS:
            labels.add(label)
        if any(_norm(c) == "予算事業ID" for c in cells):
            has_id = True
    return has_id and len(labels) >= 3


def units(path: Path) -> list[SourceUnit]:
    """One unit: the file."""
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file size (a sheet is small)."""
    return float(unit.size())


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``rs-sheet/{事業年度}/{予算事業ID}``: a new export of the same sheet replaces the previous one."""
    with unit.open() as fh:
        text, _ = decode(fh.read())
    year, pid, _, _, _ = _identity(_read(text))
    if year is None or pid is None:
        return f"rs-sheet/unknown/{unit.sha256()[:16]}"
    return f"rs-sheet/{year}/{pid}"


# -- parsing ----------------------------------------------------------------------------------------------------
@dataclass
class _Ctx:
    """What group handlers share while parsing one file."""

    year: int
    pid: str
    name: str | None
    counters: dict[str, int] = field(default_factory=dict)
    budget_unit: str | None = None

    def next(self, table: str) -> int:
        self.counters[table] = self.counters.get(table, 0) + 1
        return self.counters[table]

    def record(self, table: str, line: int, v: dict[str, Any], raw: dict[str, str], ordinal: int = 1) -> RsRecord:
        return RsRecord(table, line, line, self.year, self.pid, ordinal, v, raw)


Out = Iterator[Any]


def parse(unit: SourceUnit) -> Iterator[SheetInfo | RsRecord | BudgetColumn | Block | LoadIssue]:
    """Records of one sheet: a :class:`SheetInfo`, then RS-table records, budget columns, blocks and issues."""
    with unit.open() as fh:
        text, issues = decode(fh.read())
    text, cut = complete_lines(text)
    doc = _read(text)
    year, pid, written, id_line, id_issues = _identity(doc)
    yield from issues
    if cut is not None:
        yield cut
    yield from id_issues
    if year is None or pid is None:
        yield LoadIssue(
            "missing-value",
            "事業年度 or 予算事業ID not found in 基本情報: the sheet cannot be identified, nothing mapped",
            "error",
            None,
            id_line or None,
            "基本情報",
            None,
        )
        for g in doc.groups:
            yield _not_mapped(g, "sheet not identified")
        return
    ctx = _Ctx(year, pid, doc.title[0] if doc.title else None)
    budget = next((g for g in doc.groups if g.label == "予算額執行額表"), None)
    unit_code = UNITS[budget.unit][0] if budget is not None and budget.unit in UNITS else None
    yield SheetInfo(year, pid, written or pid, ctx.name, id_line, unit_code)
    if doc.title is not None:
        yield from _emit(ctx.record("1-2", doc.title[1], _v1_2(ctx), {}))
    else:
        yield LoadIssue("missing-value", "no 事業名 line at the top of the sheet", "warning", None, 1, "事業名", None)
    for row in doc.orphans:
        yield LoadIssue(
            "not-mapped", "line outside any known group; not mapped", "warning", None, row.line, None, _raw(row)
        )
    present = {g.label for g in doc.groups}
    for label in EXPECTED_GROUPS - present:
        yield LoadIssue(
            "section-missing",
            "group absent from this export (truncated file or another layout); its facts are not in the graph",
            "warning",
            None,
            None,
            label,
            None,
        )
    for g in doc.groups:
        handler = GROUP_HANDLERS[g.label]
        try:
            yield from handler(g, ctx)
        except (IndexError, ValueError, KeyError) as exc:  # a malformed group must not stop the file
            yield LoadIssue(
                "not-mapped",
                f"group could not be read ({type(exc).__name__}: {exc})",
                "error",
                None,
                g.line,
                g.written,
                _raw_group(g),
            )
            continue
        yield from _leftovers(g)


def _emit(record: RsRecord) -> Out:
    """An RS-table record and the load issues its rs_csv issuer finds (which may add derived values)."""
    issuer = rsm.ISSUERS.get(record.table)
    found = list(issuer(record)) if issuer is not None else []
    yield record
    for issue in found:
        yield replace(issue, row=None, line=issue.line or issue.row)


def _raw(row: _Row) -> str:
    return "\t".join(row.cells).strip()


def _raw_group(g: _Group) -> str:
    return "\n".join(_raw(r) for r in g.rows)


def _not_mapped(g: _Group, reason: str, severity: str = "info") -> LoadIssue:
    return LoadIssue("not-mapped", reason, severity, None, g.line, g.written, _raw_group(g))  # type: ignore[arg-type]


def _leftovers(g: _Group) -> Out:
    """Cells of a group that no handler read and that hold something (not a known label, not ``--``)."""
    for r_i, row in enumerate(g.rows):
        for i, cell in enumerate(row.cells):
            if (r_i == 0 and i == 0) or i in row.used:
                continue
            v = nz.clean(cell)
            if v is None or nz.is_none_marker(v) or _norm(v) in KNOWN_LABELS:
                continue
            yield LoadIssue("not-mapped", "cell not read by the loader", "warning", None, row.line, g.written, v)


def _convert(kind: str, value: str, row: _Row, column: str, factor: int = 1) -> tuple[Any, LoadIssue | None]:
    try:
        if kind == "amount":
            return nz.parse_amount(value, factor), None
        return CONVERTERS[kind](value), None
    except nz.NormalizeError as exc:
        return None, LoadIssue(f"bad-{kind}", exc.reason, "error", None, row.line, column, value)


def _put(
    v: dict[str, Any],
    raw: dict[str, str],
    key: str,
    kind: str,
    value: str | None,
    row: _Row,
    column: str,
    issues: list[LoadIssue],
    factor: int = 1,
) -> None:
    """Convert ``value`` into ``v[key]`` (keeping ``raw``); a conversion failure becomes a load issue."""
    if value is None:
        return
    out, issue = _convert(kind, value, row, column, factor)
    if issue is not None:
        issues.append(issue)
        return
    if out is not None:
        v[key] = out
        raw[key] = value


def _factor(unit: str | None, g: _Group, issues: list[LoadIssue], line: int | None = None) -> int | None:
    if unit in UNITS:
        return UNITS[unit][1]
    issues.append(
        LoadIssue(
            "missing-value",
            f"amount unit {'not stated' if unit is None else 'not understood'}; amounts of this table not mapped",
            "error",
            None,
            line or g.line,
            g.written,
            unit,
        )
    )
    return None


# -- tables: header alignment ---------------------------------------------------------------------------------
def _header(row: _Row, columns: dict[str, str], start: int = 0) -> dict[str, int]:
    """Positions of the known column labels in a header row (normalised label → key); marks them read."""
    pos: dict[str, int] = {}
    for i in range(start, len(row.cells)):
        label, _ = _header_unit(row.cells[i])
        key = columns.get(label)
        if key is not None and key not in pos:
            pos[key] = i
            row.used.add(i)
    return pos


def _offset(row: _Row, pos: dict[str, int]) -> int:
    """How far a data row is shifted left of its header (0 when aligned)."""
    if not pos:
        return 0
    anchor = min(pos.values())
    first = row.first()
    return first - anchor if 0 <= first < anchor else 0


def _cells(row: _Row, pos: dict[str, int]) -> dict[str, str | None]:
    """The row's values under each header column (realigned when shifted)."""
    off = _offset(row, pos)
    return {key: row.take(i + off) for key, i in pos.items()}


# -- group handlers -----------------------------------------------------------------------------------------------
def _v1_2(ctx: _Ctx) -> dict[str, Any]:
    return {"program_name": ctx.name} if ctx.name else {}


_ORG = {"府省庁": "ministry", "事業所管課室": "unit", "作成責任者": "author", "その他担当組織": "other"}
_LEVEL_SUFFIXES = (
    ("局", "bureau"),
    ("庁", "bureau"),
    ("部", "department"),
    ("課", "division"),
    ("室", "office"),
    ("班", "section"),
    ("係", "subsection"),
)


def split_org_path(path: str, ministry: str | None) -> tuple[str | None, list[tuple[str, str]]]:
    """``総務省 自治行政局 住民制度課 サイバーセキュリティ対策室`` → (``総務省``, [(bureau, 自治行政局),
    (division, 住民制度課), (office, サイバーセキュリティ対策室)]).

    The first name is the ministry when it names the same organisation as ``ministry`` (or when no ministry
    is given and the register knows it).  Levels come from the name's suffix (局・庁 → bureau, 部, 課, 室, 班,
    係); a name with another suffix (大臣官房, 参事官) takes the level after the previous one."""
    names = [n for n in _SPACES.split(path.strip()) if n]
    head = None
    if names:
        entry = org_register().resolve(names[0])
        mentry = org_register().resolve(ministry) if ministry else None
        if entry is not None and (mentry is None or entry.slug == mentry.slug):
            head = names.pop(0)
    levels = list(common.UNIT_LEVELS)
    out: list[tuple[str, str]] = []
    prev = -1
    for name in names:
        level = next((lv for suf, lv in _LEVEL_SUFFIXES if name.endswith(suf)), None)
        idx = levels.index(level) if level else prev + 1
        if idx <= prev:
            idx = prev + 1
        idx = min(idx, len(levels) - 1)
        out.append((levels[idx], name))
        prev = idx
    return head, out


def _org(g: _Group, ctx: _Ctx) -> Out:
    found = _pairs(g, _ORG)
    v: dict[str, Any] = {}
    ministry = found.get("ministry", (None,))[0]
    unit = found.get("unit", (None,))[0]
    if ministry:
        v["ministry"] = ministry
    if unit:
        head, levels = split_org_path(unit, ministry)
        if ministry is None and head is not None:
            v["ministry"] = head
        v.update({lv: name for lv, name in levels})
    if found.get("author", (None,))[0]:
        v["author"] = found["author"][0]
    other = found.get("other", (None,))[0]
    if other:
        head, levels = split_org_path(other, ministry)
        v["o_ministry"] = head or ministry
        v.update({"o_" + lv: name for lv, name in levels})
    if v:
        yield from _emit(ctx.record("1-1", g.line, v, {}))


_BASIC = {
    "予算事業ID": ("program_id", "raw"),
    "事業年度": ("year", "year"),
    "事業開始年度": ("start_year", "year"),
    "事業終了(予定)年度": ("end_year", "year"),
    "事業区分": ("category", "text"),
    "旧事業番号": ("former_number", "text"),
}
_NO_START = {"不明", "開始年度不明"}
_NO_END = {"終了予定なし", "なし"}


def _basic(g: _Group, ctx: _Ctx) -> Out:
    found = _pairs(g, {k: key for k, (key, _) in _BASIC.items()})
    kinds = {key: kind for key, kind in _BASIC.values()}
    v, raw, issues = _v1_2(ctx), {}, []  # type: ignore[var-annotated]
    for key, (value, row, _) in found.items():
        if key in ("program_id", "year") or value is None:
            continue
        if key == "start_year" and _norm(value) in _NO_START:
            v["start_unknown"] = True
            continue
        if key == "end_year" and _norm(value) in _NO_END:
            v["no_end"] = True
            continue
        _put(v, raw, key, kinds[key], value, row, _label_of(key, _BASIC), issues)
    yield from _emit(ctx.record("1-2", g.line, v, raw))
    yield from issues


def _label_of(key: str, spec: dict[str, Any]) -> str:
    return next(lab for lab, val in spec.items() if (val[0] if isinstance(val, tuple) else val) == key)


_OVERVIEW = {
    "事業の目的": ("purpose", "text"),
    "現状・課題": ("issues", "text"),
    "事業の概要": ("overview", "text"),
    "事業概要URL": ("overview_url", "url"),
}


def _overview(g: _Group, ctx: _Ctx) -> Out:
    yield from _pairs_record(g, ctx, "1-2", _OVERVIEW, _v1_2(ctx))


def _pairs_record(
    g: _Group, ctx: _Ctx, table: str, spec: dict[str, tuple[str, str]], v: dict[str, Any] | None = None
) -> Out:
    found = _pairs(g, {k: key for k, (key, _) in spec.items()})
    kinds = {key: kind for key, kind in spec.values()}
    v = dict(v or {})
    raw: dict[str, str] = {}
    issues: list[LoadIssue] = []
    for key, (value, row, _) in found.items():
        _put(v, raw, key, kinds[key], value, row, _label_of(key, spec), issues)
    if v:
        yield from _emit(ctx.record(table, g.line, v, raw))
    yield from issues


def _related(g: _Group, ctx: _Ctx) -> Out:
    label_row = g.rows[0]
    related = label_row.take(1)
    if related is not None:
        yield LoadIssue(
            "not-mapped",
            "関連事業 entries are not mapped (the layout of filled entries in this export is not known)",
            "info",
            None,
            g.line,
            "関連事業",
            related,
        )
    yield from _pairs_record(g, ctx, "1-2", {"主要経費": ("major_expense", "text")}, _v1_2(ctx))


_METHOD_KEYS = {
    "direct": "m_direct",
    "subsidy": "m_subsidy",
    "burden": "m_burden",
    "grant": "m_grant",
    "contribution": "m_contribution",
    "other": "m_other",
}


def _methods(g: _Group, ctx: _Ctx) -> Out:
    v = _v1_2(ctx)
    issues = []
    for row in g.rows:
        for i in range(1 if row is g.rows[0] else 0, len(row.cells)):
            value = row.take(i)
            if value is None:
                continue
            for part in re.split(r"[、,，]", value):
                part = part.strip()
                concept = codes.lookup("implementation-method", part)
                if concept is None:
                    issues.append(
                        LoadIssue(
                            "unknown-code", "unknown 実施方法; not mapped", "warning", None, row.line, "実施方法", part
                        )
                    )
                    continue
                v[_METHOD_KEYS[concept.rsplit("/", 1)[1]]] = True
    yield from _emit(ctx.record("1-2", g.line, v, {}))
    yield from issues


def _remarks(g: _Group, ctx: _Ctx) -> Out:
    value = g.rows[0].take(1)
    if value is not None:
        yield from _emit(ctx.record("1-2", g.line, {**_v1_2(ctx), "remarks": value}, {}))


def _table_rows(
    g: _Group, ctx: _Ctx, columns: dict[str, tuple[str, str]], header_start: int = 1
) -> Iterator[tuple[_Row, dict[str, Any], dict[str, str], list[LoadIssue]]]:
    """Data rows of a table whose header is the group line: (row, values, raw, issues) per non-empty row."""
    header = g.rows[0]
    pos = _header(header, {lab: key for lab, (key, _) in columns.items()}, header_start)
    kinds = {key: kind for key, kind in columns.values()}
    for row in g.rows[1:]:
        cells = _cells(row, pos)
        v: dict[str, Any] = {}
        raw: dict[str, str] = {}
        issues: list[LoadIssue] = []
        for key, value in cells.items():
            _put(v, raw, key, kinds[key], value, row, _label_of(key, columns), issues)
        if v or issues:
            yield row, v, raw, issues


_POLICY = {
    "政策所管": ("policy_owner", "text"),
    "政策": ("policy", "text"),
    "施策": ("measure", "text"),
    "政策体系・評価書URL": ("policy_url", "url"),
    "政策・施策URL": ("policy_url", "url"),
}


def _policy(g: _Group, ctx: _Ctx) -> Out:
    for row, v, raw, issues in _table_rows(g, ctx, _POLICY):
        if {"policy", "measure"} & v.keys():
            v["policy_no"] = ctx.next("policy")
            yield from _emit(ctx.record("1-3", row.line, v, raw))
        yield from issues


_LAWS = {
    "法令名": ("law_name", "text"),
    "法令番号": ("law_number", "text"),
    "法令ID": ("law_id", "raw"),
    "条": ("article", "text"),
    "項": ("paragraph", "text"),
    "号・号の細分": ("item", "text"),
}


def _laws(g: _Group, ctx: _Ctx) -> Out:
    for row, v, raw, issues in _table_rows(g, ctx, _LAWS):
        if {"law_name", "law_number", "law_id"} & v.keys():
            v["law_no"] = ctx.next("law")
            yield from _emit(ctx.record("1-3", row.line, v, raw))
        else:
            issues.append(
                LoadIssue(
                    "missing-value",
                    "根拠法令 row without a law; not mapped",
                    "warning",
                    None,
                    row.line,
                    "法令名",
                    _raw(row),
                )
            )
        yield from issues


_PLANS = {
    "計画・通知名": ("plan_name", "text"),
    "計画通知名": ("plan_name", "text"),
    "計画・通知等URL": ("plan_url", "url"),
    "計画通知等URL": ("plan_url", "url"),
}


def _plans(g: _Group, ctx: _Ctx) -> Out:
    for row, v, raw, issues in _table_rows(g, ctx, _PLANS):
        if "plan_name" in v:
            v["plan_no"] = ctx.next("plan")
            yield from _emit(ctx.record("1-3", row.line, v, raw))
        elif "plan_url" in v:
            issues.append(
                LoadIssue(
                    "missing-value",
                    "plan URL without a plan name; not mapped",
                    "warning",
                    None,
                    row.line,
                    "計画・通知名",
                    v["plan_url"],
                )
            )
        yield from issues


_SUBSIDY = {
    "補助対象": ("subsidy_target", "text"),
    "補助率": ("subsidy_rate", "text"),
    "補助上限等": ("subsidy_cap", "text"),
    "補助率URL": ("subsidy_url", "url"),
}


def _subsidy(g: _Group, ctx: _Ctx) -> Out:
    for row, v, raw, issues in _table_rows(g, ctx, _SUBSIDY):
        v["rate_no"] = ctx.next("rate")
        yield from _emit(ctx.record("1-4", row.line, v, raw))
        yield from issues


# budget table -----------------------------------------------------------------------------------------------------
BUDGET_ROWS = {
    "要求額": "request",
    "当初予算": "initial",
    "補正予算": "supplementary",
    "前年度から繰越し": "carried-over-in",
    "前年度からの繰越し": "carried-over-in",
    "予備費等": "reserve",
    "計": "current",
    "執行額": "executed",
    "翌年度への繰越し": "carried-over-out",
    "翌年度要求額": "next-year-request",
    "要望額": "priority-request",
}
"""Row labels of 予算額執行額表 → ``code/budget-stage`` notation (要求額 is that year's own request)."""
_RATE_ROW = "執行率"
_YEAR_CELL = re.compile(r"((?:19|20)\d{2}|(?:明治|大正|昭和|平成|令和)\s*(?:\d{1,2}|元))\s*年?度?$")


def _year_of(cell: str) -> int | None:
    m = _YEAR_CELL.search(nz.nfkc(cell).strip())
    if m is None:
        return None
    try:
        return nz.parse_year(m.group(1))
    except nz.NormalizeError:
        return None


def _budget(g: _Group, ctx: _Ctx) -> Out:
    issues: list[LoadIssue] = []
    factor = _factor(g.unit, g, issues)
    header = g.rows[0]
    years = {i: y for i, c in enumerate(header.cells) if i > 0 and (y := _year_of(c)) is not None}
    header.used.update(years)
    if not years or factor is None:
        if not years:
            issues.append(_not_mapped(g, "budget table without year columns; not mapped", "error"))
        yield from issues
        return
    label_col = min(years) - 1
    figures: dict[int, list[Figure]] = {y: [] for y in years.values()}
    rates: dict[int, tuple[Decimal, str, int]] = {}
    for row in g.rows[1:]:
        at = row.first()
        label = _norm(row.cells[at])
        row.used.add(at)
        stage = BUDGET_ROWS.get(label)
        if stage is None and label != _RATE_ROW:
            issues.append(
                LoadIssue(
                    "unknown-code",
                    "unknown row of the budget table; not mapped",
                    "warning",
                    None,
                    row.line,
                    g.written,
                    _raw(row),
                )
            )
            row.used.update(range(len(row.cells)))
            continue
        for col, year in years.items():
            value = row.take(at + col - label_col)
            if value is None:
                continue
            column = f"{row.cells[at].strip()} {year}"
            if stage is None:
                rate, issue = _convert("ratio", value, row, column)
                if issue is not None:
                    issues.append(issue)
                else:
                    rates[year] = (rate, value, row.line)
                continue
            amount, issue = _convert("amount", value, row, column, factor)
            if issue is not None:
                issues.append(issue)
            else:
                figures[year].append(Figure(stage, amount, value, row.line))
    unit = UNITS[g.unit][0]  # type: ignore[index]
    for year in sorted(years.values()):
        rate = rates.get(year)
        if rate is not None and not any(f.stage == "executed" for f in figures[year]):
            issues.append(
                LoadIssue(
                    "orphan-rate",
                    "執行率 given without 執行額; rate not mapped",
                    "error",
                    None,
                    rate[2],
                    f"執行率 {year}",
                    rate[1],
                )
            )
            rate = None
        if figures[year]:
            yield BudgetColumn(ctx.year, ctx.pid, year, header.line, unit, tuple(figures[year]), rate)
    yield from issues


_ACCOUNTS = {
    "会計区分": "account_class",
    "会計": "account",
    "勘定": "subaccount",
    "要望額": "priority",
    "備考": "remarks",
}
_ITEMS = {"予算種別/歳出予算項目": "item", "備考": "remarks", "予算額": "amount", "翌年度要求額": "request_amount"}
_STAGE_MARK = re.compile(r"^\s*<div[^>]*>(.*?)</div>\s*(.*)$", re.S)


def _breakdown(g: _Group, ctx: _Ctx) -> Out:
    """予算内訳表: account rows (会計区分 / 会計 / 勘定 / 要望額 / 備考) each followed by its items (a stage marked
    ``<div …>当初予算</div>`` then 会計 / 所管 / 組織 / 項 / 目 as written, 備考, 予算額, 翌年度要求額)."""
    issues: list[LoadIssue] = []
    factor = _factor(g.unit, g, issues)
    acc_pos = _header(g.rows[0], _ACCOUNTS, 1)
    item_pos: dict[str, int] = {}
    account: dict[str, Any] = {}
    for row in g.rows[1:]:
        hdr = _header(_Row(row.line, row.cells), _ITEMS)
        if "item" in hdr and "amount" in hdr:
            item_pos = _header(row, _ITEMS)
            continue
        m = _STAGE_MARK.match(row.cells[row.first()])
        if m is not None and item_pos:
            cells = _cells(row, item_pos)
            v: dict[str, Any] = {"budget_year": ctx.year, **account}
            raw: dict[str, str] = {}
            v["budget_kind"] = nz.clean(m.group(1))
            note = nz.clean(m.group(2))
            if note and not nz.is_none_marker(note):
                v["item_note"] = note
            if cells.get("remarks"):
                v["remarks"] = cells["remarks"]
            if factor is not None:
                for key, column in (("amount", "予算額"), ("request_amount", "翌年度要求額")):
                    _put(v, raw, key, "amount", cells.get(key), row, column, issues, factor)
            yield from _emit(ctx.record("2-2", row.line, v, raw, ctx.next("2-2")))
            continue
        cells = _cells(row, acc_pos)
        account = {k: cells[k] for k in ("account_class", "account", "subaccount") if cells.get(k)}
        v = {"budget_year": ctx.year, **account}
        raw = {}
        if cells.get("priority") and factor is not None:
            _put(v, raw, "a:priority-request", "amount", cells["priority"], row, "要望額", issues, factor)
        if cells.get("remarks"):
            v["remarks"] = cells["remarks"]
        if "a:priority-request" in v or "remarks" in v:
            yield from _emit(ctx.record("2-1", row.line, v, raw))
    yield from issues


_REASONS = {"主な増減理由": ("change_reason", "text"), "その他特記事項": ("special_notes", "text")}


def _reasons(g: _Group, ctx: _Ctx) -> Out:
    for row, v, raw, issues in _table_rows(g, ctx, _REASONS, header_start=0):
        v["budget_year"] = ctx.year
        yield from _emit(ctx.record("2-1", row.line, v, raw))
        yield from issues


# 点検・評価 ----------------------------------------------------------------------------------------------------------
_SELF_CHECK = {
    "点検結果": ("self_check", "text"),
    "目標年度における効果測定に関する評価": ("effect_eval", "text"),
    "改善の方向性": ("improvement", "text"),
}
_EXTERNAL = {
    "点検対象": ("ext_target", "text"),
    "最終実施年度": ("ext_year", "year"),
    "対象の理由": ("ext_reason", "text"),
    "所見": ("ext_opinion", "text"),
    "公開プロセス結果概要": ("public_process", "text"),
}
_TEAM = {"所見": ("team_finding", "text"), "詳細": ("team_finding_detail", "text")}
_REFLECTION = {"改善点・反映状況": ("reflection", "text"), "詳細": ("reflection_detail", "text")}
_REFLECTED = {"会計": "account", "勘定": "subaccount", "反映額": "amount"}


def _review(spec: dict[str, tuple[str, str]]) -> Callable[[_Group, _Ctx], Out]:
    def handler(g: _Group, ctx: _Ctx) -> Out:
        yield from _pairs_record(g, ctx, "4-1", spec)

    return handler


def _reflection(g: _Group, ctx: _Ctx) -> Out:
    """改善点・反映状況, 詳細, and the 反映額 table under them (会計 / 勘定 / 反映額(unit); 一般会計 or a special
    account)."""
    issues: list[LoadIssue] = []
    for k, header in enumerate(g.rows):
        labels = [_header_unit(c) for c in header.cells]
        names = [name for name, _ in labels]
        amount_at = next((i for i, (name, unit) in enumerate(labels) if name == "反映額" and unit), None)
        if "会計" not in names or amount_at is None:
            continue
        pos = {"account": names.index("会計"), "amount": amount_at}
        if "勘定" in names:
            pos["subaccount"] = names.index("勘定")
        header.used.update(i for i, name in enumerate(names) if name in ("会計", "勘定", "反映額"))
        factor = _factor(labels[amount_at][1], g, issues, header.line)
        for row in g.rows[k + 1 :]:
            if _norm(row.cells[row.first()]) in _REFLECTION:
                break
            cells = _cells(row, pos)
            if cells["amount"] is None or factor is None:
                continue
            v: dict[str, Any] = {}
            raw: dict[str, str] = {}
            general = cells["account"] is None or _norm(cells["account"]) == "一般会計"
            key = "reflect_general" if general else "reflect_special"
            _put(v, raw, key, "amount", cells["amount"], row, "反映額", issues, factor)
            if not general and v:
                v["reflect_special_account"] = cells["account"]
                if cells.get("subaccount"):
                    v["reflect_special_subaccount"] = cells["subaccount"]
            if v:
                yield from _emit(ctx.record("4-1", row.line, v, raw))
        break
    yield from _pairs_record(g, ctx, "4-1", _REFLECTION)
    yield from issues


def _findings(key: str) -> Callable[[_Group, _Ctx], Out]:
    """公開プロセス・秋のレビュー取りまとめ (past findings) / その他の指摘事項: the group's own value."""

    def handler(g: _Group, ctx: _Ctx) -> Out:
        for row in g.rows:
            for i in range(1 if row is g.rows[0] else 0, len(row.cells)):
                value = row.take(i)
                if value is not None:
                    yield from _emit(ctx.record("4-1", row.line, {key: value}, {}, ctx.next("4-1:" + key)))

    return handler


# 支出先 ---------------------------------------------------------------------------------------------------------------
_BLOCK = {
    "支出先ブロック名": "block",
    "合計支出額": "block_total",
    "支出先数": "payee_count",
    "事業を行う上での役割": "block_role",
}
_PAYEE = {"支出先名": "payee", "支出額": "payee_total", "法人番号": "corporate_number"}
_CONTRACT = {
    "契約概要(契約名)/契約方式等": "contract",
    "支出額": "amount",
    "入札者数": "bidders",
    "落札率(%)": "award_rate_percent",
    "一者応札等の理由と改善策/落札率非公開の理由": "single_bid_reason",
}
_KINDS = {
    "block_total": "amount",
    "payee_total": "amount",
    "amount": "amount",
    "payee_count": "int",
    "bidders": "int",
    "award_rate_percent": "ratio",
    "corporate_number": "corpno",
}


def _typed(
    cells: dict[str, str | None], row: _Row, g: _Group, factor: int | None, issues: list[LoadIssue]
) -> tuple[dict[str, Any], dict[str, str]]:
    v: dict[str, Any] = {}
    raw: dict[str, str] = {}
    for key, value in cells.items():
        if value is None:
            continue
        kind = _KINDS.get(key, "text")
        if kind == "amount" and factor is None:
            continue
        _put(v, raw, key, kind, value, row, f"{g.written}: {key}", issues, factor or 1)
        if kind == "corpno":
            raw[key] = value  # kept as written even when the check digit fails
    return v, raw


def split_contract(text: str) -> tuple[str | None, str | None]:
    """``補助金審査業務の補助 一般競争契約（最低価格）`` → (契約名, 契約方式): the last space-separated part is the
    contract method when the code list knows it; otherwise the whole text is the contract name."""
    name, _, method = text.rpartition(" ")
    if name and codes.lookup("contract-method", method) is not None:
        return name.strip(), method
    if codes.lookup("contract-method", text) is not None:
        return None, text
    return text, None


_BLOCK_LETTER = re.compile(r"^[A-Z]$")


def _payees(g: _Group, ctx: _Ctx) -> Out:
    """支出先上位者リスト: per block a block row (letter, name, total, count, role; recognised by its one-letter
    first cell and aligned on the group line), a 支出先名 header and payee rows, a 契約概要 header and contract
    rows.  Each contract row belongs to the payee row listed before it and gives one payment (rs_csv 5-1) with
    the payee's total; a payee without contract rows gives one payment with its total only."""
    issues: list[LoadIssue] = []
    factor = _factor(g.unit, g, issues)
    block_pos = _header(g.rows[0], _BLOCK, 1)
    mode, pos = "", {}
    block: str | None = None
    payee: list[Any] | None = None  # [values, raw, row, has contracts]

    def flush() -> Out:
        if payee is not None and not payee[3]:
            yield from _emit(ctx.record("5-1", payee[2].line, dict(payee[0]), dict(payee[1]), ctx.next("payment")))

    for row in g.rows[1:]:
        probe = _Row(row.line, row.cells)
        header = next(
            (name for name, spec in (("payee", _PAYEE), ("contract", _CONTRACT)) if len(_header(probe, spec)) >= 2),
            None,
        )
        if header is not None:
            mode, pos = header, _header(row, _PAYEE if header == "payee" else _CONTRACT)
            continue
        if _BLOCK_LETTER.match(nz.nfkc(row.cells[row.first()]).strip()) and "block" in block_pos:
            yield from flush()
            payee, mode = None, ""
            cells = _cells(row, block_pos)
            block = nz.nfkc(cells.pop("block") or "").strip()
            name = row.take(block_pos["block"] + _offset(row, block_pos) + 1)
            v, raw = _typed(cells, row, g, factor, issues)
            v["block"] = block
            if name:
                v["block_name"] = name
            yield Block(ctx.year, ctx.pid, block, name, row.line)
            yield from _emit(ctx.record("5-1", row.line, v, raw, ctx.next("block")))
            continue
        cells = _cells(row, pos)
        if mode == "payee":
            yield from flush()
            v, raw = _typed(cells, row, g, factor, issues)
            if block:
                v["block"] = block
            payee = [v, raw, row, False] if ("payee" in v or "corporate_number" in raw) else None
        elif mode == "contract":
            contract = cells.pop("contract", None)
            v, raw = _typed(cells, row, g, factor, issues)
            if contract:
                summary, method = split_contract(contract)
                v.update({"contract_summary": summary} if summary else {})
                v.update({"contract_method": method} if method else {})
            if not v:
                continue
            if payee is None:
                issues.append(
                    LoadIssue(
                        "not-mapped",
                        "contract row before any payee row; not mapped",
                        "warning",
                        None,
                        row.line,
                        g.written,
                        _raw(row),
                    )
                )
                continue
            payee[3] = True
            n = ctx.next("payment")
            yield from _emit(ctx.record("5-1", row.line, {**payee[0], **v}, {**payee[1], **raw}, n))
            yield Derivation(ctx.year, ctx.pid, ("payment", n), payee[2].line)
    yield from flush()
    yield from issues


_EXPENSES = {
    "支出先名": "payee",
    "契約概要(契約名)": "contract_summary",
    "費目": "expense_category",
    "使途": "use",
    "金額": "amount",
}
_CONTRACTS = {
    "契約先名": "payee",
    "契約額": "amount",
    "法人番号": "corporate_number",
    "契約概要(契約名)": "contract_summary",
}


def _item_table(table: str, spec: dict[str, str]) -> Callable[[_Group, _Ctx], Out]:
    """費目・使途 (5-3) and 国庫債務負担行為等による契約先リスト (5-4): one item per non-empty row."""

    def handler(g: _Group, ctx: _Ctx) -> Out:
        issues: list[LoadIssue] = []
        pos = _header(g.rows[0], spec, 1)
        factor: int | None = None
        for row in g.rows[1:]:
            cells = _cells(row, pos)
            if not any(cells.values()):
                continue
            if factor is None:
                factor = _factor(g.unit, g, issues)
            v, raw = _typed(cells, row, g, factor, issues)
            if v:
                yield from _emit(ctx.record(table, row.line, v, raw, ctx.next(table)))
        yield from issues

    return handler


def _other_remarks(g: _Group, ctx: _Ctx) -> Out:
    for row in g.rows[1:]:
        value = "\n".join(v for i in range(len(row.cells)) if (v := row.take(i)))
        if value:
            yield from _emit(ctx.record("6-1", row.line, {"remarks": value}, {}))


def _logic(g: _Group, ctx: _Ctx) -> Out:
    for row in g.rows:
        row.used.update(range(len(row.cells)))
    if any(nz.clean(c) and not nz.is_none_marker(c) for r in g.rows for c in r.cells[1:]):
        yield _not_mapped(
            g,
            "効果発現経路 of the single-sheet export is not mapped: its elements are numbered by path codes "
            "(101-201-301-501), not by the bulk CSV's per-kind numbers, so they cannot be given the CSV's "
            "identities without guessing",
        )


GROUP_HANDLERS: dict[str, Callable[[_Group, _Ctx], Out]] = {
    "組織情報": _org,
    "基本情報": _basic,
    "政策・施策": _policy,
    "関連事業": _related,
    "概要・目的": _overview,
    "根拠法令": _laws,
    "関係する計画・通知等": _plans,
    "実施方法": _methods,
    "補助率等": _subsidy,
    "備考": _remarks,
    "予算額執行額表": _budget,
    "予算内訳表": _breakdown,
    "主な増減理由": _reasons,
    "事業所管部局による点検・改善": _review(_SELF_CHECK),
    "外部有識者による点検": _review(_EXTERNAL),
    "行政事業レビュー推進チームの所見に至る過程及び所見": _review(_TEAM),
    "所見を踏まえた改善点/概算要求における反映状況": _reflection,
    "公開プロセス・秋の年次公開検証(秋のレビュー)における取りまとめ": _findings("past_content"),
    "その他の指摘事項": _findings("other_content"),
    "支出先上位者リスト": _payees,
    "費目・使途": _item_table("5-3", _EXPENSES),
    "国庫債務負担行為等による契約先リスト": _item_table("5-4", _CONTRACTS),
    "その他備考": _other_remarks,
    **dict.fromkeys(LOGIC_GROUPS, _logic),
    "発現経路": _logic,
}
"""Group label (normalised) → handler."""

EXPECTED_GROUPS = frozenset(
    {
        "組織情報",
        "基本情報",
        "政策・施策",
        "概要・目的",
        "根拠法令",
        "関係する計画・通知等",
        "実施方法",
        "予算額執行額表",
        "予算内訳表",
        "主な増減理由",
        "事業所管部局による点検・改善",
        "支出先上位者リスト",
        "その他備考",
    }
)
"""Groups the export always has (``--`` when empty); their absence is reported (truncated file, other layout)."""

KNOWN_LABELS = frozenset(
    _norm(s)
    for s in (
        *GROUP_HANDLERS,
        *_ORG,
        *_BASIC,
        *_OVERVIEW,
        *_POLICY,
        *_LAWS,
        *_PLANS,
        *_SUBSIDY,
        *_ACCOUNTS,
        *_ITEMS,
        *_SELF_CHECK,
        *_EXTERNAL,
        *_TEAM,
        *_REFLECTION,
        *_REFLECTED,
        *_BLOCK,
        *_PAYEE,
        *_CONTRACT,
        *_EXPENSES,
        *_CONTRACTS,
        "主要経費",
        "反映額",
    )
)


# -- mapping ---------------------------------------------------------------------------------------------------------
class LineContext(MapContext):
    """A mapping context whose records are lines of a text file: ``row(n)`` is line ``n`` (RFC 5147
    ``#line=``).  The rs_csv mapping functions cite ``ctx.row(record.row)``; with this context they cite the
    line a value was read from."""

    def row(self, n: int) -> IRI:
        return Minter.line(self.source, n)


def _lines(ctx: MapContext) -> LineContext:
    return ctx if isinstance(ctx, LineContext) else LineContext(ctx.minter, ctx.source, ctx.graph, ctx.options)


def dataset_key(year: int) -> str:
    """The budget cube of one 事業年度's RS sheets (``rs2026``), shared with the bulk CSV of that year."""
    return rsm.dataset_key(year)


def to_triples(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record (pure: record + context)."""
    lctx = _lines(ctx)
    if isinstance(record, RsRecord):
        yield from rsm.MAPPERS[record.table](record, lctx)
    elif isinstance(record, BudgetColumn):
        yield from _budget_triples(record, lctx)
    elif isinstance(record, Block):
        yield from _block_triples(record, lctx)
    elif isinstance(record, Derivation):
        yield (
            ctx.minter.part(ctx.minter.sheet(record.year, record.program_id), *record.part),
            DERIVED,
            lctx.row(record.line),
        )
    elif isinstance(record, LoadIssue):
        n = ctx.options.setdefault("_issue_no", 0) + 1
        ctx.options["_issue_no"] = n
        yield from issue_triples(record, n, ctx)
        if record.line is not None:
            yield IRI(f"{ctx.graph}#issue-{n}"), DERIVED, Minter.line(ctx.source, record.line)


def declarations(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Declarations of the shared entities a record mentions (program, org units, laws, plans, payees,
    accounts, the budget cube)."""
    lctx = _lines(ctx)
    if isinstance(record, RsRecord):
        if record.table == "2-1":
            _, decls = common.account_iri(ctx.minter, record.v.get("account"), record.v.get("subaccount"))
            yield from decls
            return
        fn = rsm.DECLARERS.get(record.table)
        if fn is not None:
            yield from fn(record, lctx)
    elif isinstance(record, SheetInfo) and record.budget_unit is not None:
        yield from common.budget_dataset(
            ctx.minter,
            dataset_key(record.year),
            record.budget_unit,
            f"RS 事業年度 {record.year} 予算・執行（行政事業レビューシート単票 予算額執行額表）",
        )


def _budget_triples(c: BudgetColumn, ctx: LineContext) -> Iterator[Triple]:
    r = SimpleNamespace(year=c.year, program_id=c.program_id, row=c.line, v={})
    line = rsm._BudgetLine(r, ctx, c.budget_year, rsm.TOTAL_ACCOUNT, "total")
    yield from line.triples(r, ctx, c.budget_year, rsm.TOTAL_ACCOUNT)
    for f in c.figures:
        obs = IRI(f"{line.iri}/{f.stage}")
        yield line.iri, QB_OBSERVATION, obs
        yield obs, rsm.P_BUDGET_STAGE, code("budget-stage", f.stage)
        yield from rsm._amount(obs, SimpleNamespace(v={"a": f.amount}, raw={"a": f.raw}), "a")
        yield obs, DERIVED, ctx.row(f.line)
    if c.rate is not None:
        obs = IRI(f"{line.iri}/executed")
        yield obs, cbkg("executionRate"), t.decimal(c.rate[0])
        yield obs, DERIVED, ctx.row(c.rate[2])


def _block_triples(b: Block, ctx: LineContext) -> Iterator[Triple]:
    sheet = ctx.minter.sheet(b.year, b.program_id)
    block = ctx.minter.part(sheet, "block", b.letter)
    yield block, rsm.P_SHEET, sheet
    yield block, TYPE, cbkg("SpendingBlock")
    yield block, cbkg("blockLetter"), t.text(b.letter)
    yield block, DERIVED, ctx.row(b.line)
    if b.name:
        yield block, LABEL, t.ja(b.name)
