"""Parsing of one RS single-sheet text export: lines → groups → records (see :mod:`loaders.rs_sheet`).

The text is split into the title, *groups* (a label line and its continuation lines) and stray lines; each
group's handler reads its label/value pairs or its table (realigning rows shifted left of their header) into
records of the equivalent RS table, budget columns and blocks; every cell no handler read is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ontology import codes

from .. import normalize as nz
from ..base import LoadIssue, SourceUnit
from ..rs_model.checks import check
from ..rs_values import CONVERTERS, UNITS, Value, complete_lines, decode, split_org_path
from .document import (
    LOGIC_GROUPS,
    Group,
    Row,
    header_unit,
    norm,
    pairs,
    read_document,
    sheet_identity,
)
from .records import Block, BudgetColumn, Derivation, Figure, Record, RsRecord, SheetInfo


@dataclass
class _Ctx:
    """What group handlers share while parsing one file."""

    year: int
    pid: str
    name: str | None
    counters: dict[str, int] = field(default_factory=dict)
    budget_unit: str | None = None

    def next(self, table: str) -> int:
        """The next number of a counter of this sheet (``policy``, ``payment`` … from 1)."""
        self.counters[table] = self.counters.get(table, 0) + 1
        return self.counters[table]

    def record(self, table: str, line: int, v: dict[str, Value], raw: dict[str, str], ordinal: int = 1) -> RsRecord:
        """An RS-table record of this sheet read from ``line``."""
        return RsRecord(table, line, line, self.year, self.pid, ordinal, v, raw)


Out = Iterator[Record]


def parse(unit: SourceUnit) -> Iterator[Record]:
    """Records of one sheet: a :class:`SheetInfo`, then RS-table records, budget columns, blocks and issues."""
    with unit.open() as fh:
        text, issues = decode(fh.read())
    text, cut = complete_lines(text)
    doc = read_document(text, GROUP_HANDLERS)
    year, pid, written, id_line, id_issues = sheet_identity(doc)
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
    """An RS-table record with its derived values read, and the load issues of its values (cited by line)."""
    record, found = check(record)
    yield record
    for issue in found:
        yield replace(issue, row=None, line=issue.line or issue.row)


def _raw(row: Row) -> str:
    return "\t".join(row.cells).strip()


def _raw_group(g: Group) -> str:
    return "\n".join(_raw(r) for r in g.rows)


def _not_mapped(g: Group, reason: str, severity: str = "info") -> LoadIssue:
    return LoadIssue("not-mapped", reason, severity, None, g.line, g.written, _raw_group(g))  # type: ignore[arg-type]


def _leftovers(g: Group) -> Out:
    """Cells of a group that no handler read and that hold something (not a known label, not ``--``)."""
    for r_i, row in enumerate(g.rows):
        for i, cell in enumerate(row.cells):
            if (r_i == 0 and i == 0) or i in row.used:
                continue
            v = nz.clean(cell)
            if v is None or nz.is_none_marker(v) or norm(v) in KNOWN_LABELS:
                continue
            yield LoadIssue("not-mapped", "cell not read by the loader", "warning", None, row.line, g.written, v)


def _convert(kind: str, value: str, row: Row, column: str, factor: int = 1) -> tuple[Value | None, LoadIssue | None]:
    """``value`` converted by its kind (amounts multiplied by ``factor``), or the load issue of a failure."""
    if kind in ("amount", "ratio"):
        return _decimal(kind, value, row, column, factor)
    try:
        return CONVERTERS[kind](value), None
    except nz.NormalizeError as exc:
        return None, LoadIssue(f"bad-{kind}", exc.reason, "error", None, row.line, column, value)


def _decimal(kind: str, value: str, row: Row, column: str, factor: int = 1) -> tuple[Decimal | None, LoadIssue | None]:
    """An amount (× ``factor``) or a ratio, or the load issue of a value that is not one."""
    try:
        return (nz.parse_amount(value, factor) if kind == "amount" else nz.parse_ratio(value)), None
    except nz.NormalizeError as exc:
        return None, LoadIssue(f"bad-{kind}", exc.reason, "error", None, row.line, column, value)


def _put(
    v: dict[str, Value],
    raw: dict[str, str],
    key: str,
    kind: str,
    value: str | None,
    row: Row,
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


def _factor(unit: str | None, g: Group, issues: list[LoadIssue], line: int | None = None) -> int | None:
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
def _header(row: Row, columns: dict[str, str], start: int = 0) -> dict[str, int]:
    """Positions of the known column labels in a header row (normalised label → key); marks them read."""
    pos: dict[str, int] = {}
    for i in range(start, len(row.cells)):
        label, _ = header_unit(row.cells[i])
        key = columns.get(label)
        if key is not None and key not in pos:
            pos[key] = i
            row.used.add(i)
    return pos


def _offset(row: Row, pos: dict[str, int]) -> int:
    """How far a data row is shifted left of its header (0 when aligned)."""
    if not pos:
        return 0
    anchor = min(pos.values())
    first = row.first()
    return first - anchor if 0 <= first < anchor else 0


def _cells(row: Row, pos: dict[str, int]) -> dict[str, str | None]:
    """The row's values under each header column (realigned when shifted)."""
    off = _offset(row, pos)
    return {key: row.take(i + off) for key, i in pos.items()}


# -- group handlers -----------------------------------------------------------------------------------------------
def _v1_2(ctx: _Ctx) -> dict[str, Value]:
    return {"program_name": ctx.name} if ctx.name else {}


_ORG = {"府省庁": "ministry", "事業所管課室": "unit", "作成責任者": "author", "その他担当組織": "other"}


def _org(g: Group, ctx: _Ctx) -> Out:
    found = pairs(g, _ORG)
    v: dict[str, Value] = {}
    ministry = found.get("ministry", (None,))[0]
    unit = found.get("unit", (None,))[0]
    if ministry:
        v["ministry"] = ministry
    if unit:
        head, levels = split_org_path(unit, ministry)
        if ministry is None and head is not None:
            v["ministry"] = head
        v.update({lv: name for lv, name in levels})
    author = found.get("author", (None,))[0]
    if author:
        v["author"] = author
    other = found.get("other", (None,))[0]
    if other:
        head, levels = split_org_path(other, ministry)
        if (o_ministry := head or ministry) is not None:
            v["o_ministry"] = o_ministry
        v.update({"o_" + lv: name for lv, name in levels})
    if v or other:
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


def _basic(g: Group, ctx: _Ctx) -> Out:
    found = pairs(g, {k: key for k, (key, _) in _BASIC.items()})
    kinds = {key: kind for key, kind in _BASIC.values()}
    v, raw, issues = _v1_2(ctx), {}, []  # type: ignore[var-annotated]
    for key, (value, row, _) in found.items():
        if key in ("program_id", "year") or value is None:
            continue
        if key == "start_year" and norm(value) in _NO_START:
            v["start_unknown"] = True
            continue
        if key == "end_year" and norm(value) in _NO_END:
            v["no_end"] = True
            continue
        _put(v, raw, key, kinds[key], value, row, _label_of(key, _BASIC), issues)
    yield from _emit(ctx.record("1-2", g.line, v, raw))
    yield from issues


def _label_of(key: str, spec: Mapping[str, tuple[str, str] | str]) -> str:
    return next(lab for lab, val in spec.items() if (val[0] if isinstance(val, tuple) else val) == key)


_OVERVIEW = {
    "事業の目的": ("purpose", "text"),
    "現状・課題": ("issues", "text"),
    "事業の概要": ("overview", "text"),
    "事業概要URL": ("overview_url", "url"),
}


def _overview(g: Group, ctx: _Ctx) -> Out:
    yield from _pairs_record(g, ctx, "1-2", _OVERVIEW, _v1_2(ctx))


def _pairs_record(
    g: Group, ctx: _Ctx, table: str, spec: dict[str, tuple[str, str]], v: dict[str, Value] | None = None
) -> Out:
    found = pairs(g, {k: key for k, (key, _) in spec.items()})
    kinds = {key: kind for key, kind in spec.values()}
    v = dict(v or {})
    raw: dict[str, str] = {}
    issues: list[LoadIssue] = []
    for key, (value, row, _) in found.items():
        _put(v, raw, key, kinds[key], value, row, _label_of(key, spec), issues)
    if v:
        yield from _emit(ctx.record(table, g.line, v, raw))
    yield from issues


def _related(g: Group, ctx: _Ctx) -> Out:
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


def _methods(g: Group, ctx: _Ctx) -> Out:
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


def _remarks(g: Group, ctx: _Ctx) -> Out:
    value = g.rows[0].take(1)
    if value is not None:
        yield from _emit(ctx.record("1-2", g.line, {**_v1_2(ctx), "remarks": value}, {}))


def _table_rows(
    g: Group, ctx: _Ctx, columns: dict[str, tuple[str, str]], header_start: int = 1
) -> Iterator[tuple[Row, dict[str, Value], dict[str, str], list[LoadIssue]]]:
    """Data rows of a table whose header is the group line: (row, values, raw, issues) per non-empty row."""
    header = g.rows[0]
    pos = _header(header, {lab: key for lab, (key, _) in columns.items()}, header_start)
    kinds = {key: kind for key, kind in columns.values()}
    for row in g.rows[1:]:
        cells = _cells(row, pos)
        v: dict[str, Value] = {}
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


def _policy(g: Group, ctx: _Ctx) -> Out:
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


def _laws(g: Group, ctx: _Ctx) -> Out:
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


def _plans(g: Group, ctx: _Ctx) -> Out:
    for row, v, raw, issues in _table_rows(g, ctx, _PLANS):
        if "plan_name" in v:
            v["plan_no"] = ctx.next("plan")
            yield from _emit(ctx.record("1-3", row.line, v, raw))
        elif isinstance(url := v.get("plan_url"), str):
            issues.append(
                LoadIssue(
                    "missing-value",
                    "plan URL without a plan name; not mapped",
                    "warning",
                    None,
                    row.line,
                    "計画・通知名",
                    url,
                )
            )
        yield from issues


_SUBSIDY = {
    "補助対象": ("subsidy_target", "text"),
    "補助率": ("subsidy_rate", "text"),
    "補助上限等": ("subsidy_cap", "text"),
    "補助率URL": ("subsidy_url", "url"),
}


def _subsidy(g: Group, ctx: _Ctx) -> Out:
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


def _budget(g: Group, ctx: _Ctx) -> Out:
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
        label = norm(row.cells[at])
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
                rate, issue = _decimal("ratio", value, row, column)
                if issue is not None:
                    issues.append(issue)
                elif rate is not None:
                    rates[year] = (rate, value, row.line)
                continue
            amount, issue = _decimal("amount", value, row, column, factor)
            if issue is not None:
                issues.append(issue)
            elif amount is not None:
                figures[year].append(Figure(stage, amount, value, row.line))
    unit = UNITS[g.unit][0]  # type: ignore[index]
    for year in sorted(years.values()):
        year_rate = rates.get(year)
        if year_rate is not None and not any(f.stage == "executed" for f in figures[year]):
            issues.append(
                LoadIssue(
                    "orphan-rate",
                    "執行率 given without 執行額; rate not mapped",
                    "error",
                    None,
                    year_rate[2],
                    f"執行率 {year}",
                    year_rate[1],
                )
            )
            year_rate = None
        if figures[year]:
            yield BudgetColumn(ctx.year, ctx.pid, year, header.line, unit, tuple(figures[year]), year_rate)
    yield from issues


_ACCOUNTS = {
    "会計区分": "account_class",
    "会計": "account",
    "勘定": "subaccount",
    "要望額": "priority",
    "備考": "remarks",
}
_UNKNOWN_STAGE = "unknown 予算種別; kept only in the source"
"""The reason of the load issue of an item whose stage mark (``<div …>当初予算</div>``) is empty."""
_ITEMS = {"予算種別/歳出予算項目": "item", "備考": "remarks", "予算額": "amount", "翌年度要求額": "request_amount"}
_STAGE_MARK = re.compile(r"^\s*<div[^>]*>(.*?)</div>\s*(.*)$", re.S)


def _breakdown(g: Group, ctx: _Ctx) -> Out:
    """予算内訳表: account rows (会計区分 / 会計 / 勘定 / 要望額 / 備考) each followed by its items (a stage marked
    ``<div …>当初予算</div>`` then 会計 / 所管 / 組織 / 項 / 目 as written, 備考, 予算額, 翌年度要求額)."""
    issues: list[LoadIssue] = []
    factor = _factor(g.unit, g, issues)
    acc_pos = _header(g.rows[0], _ACCOUNTS, 1)
    item_pos: dict[str, int] = {}
    account: dict[str, Value] = {}
    for row in g.rows[1:]:
        hdr = _header(Row(row.line, row.cells), _ITEMS)
        if "item" in hdr and "amount" in hdr:
            item_pos = _header(row, _ITEMS)
            continue
        m = _STAGE_MARK.match(row.cells[row.first()])
        if m is not None and item_pos:
            cells = _cells(row, item_pos)
            v: dict[str, Value] = {"budget_year": ctx.year, **account}
            raw: dict[str, str] = {}
            stage = nz.clean(m.group(1))
            if stage is not None:
                v["budget_kind"] = stage
            note = nz.clean(m.group(2))
            if note and not nz.is_none_marker(note):
                v["item_note"] = note
            if remarks := cells.get("remarks"):
                v["remarks"] = remarks
            if factor is not None:
                for key, column in (("amount", "予算額"), ("request_amount", "翌年度要求額")):
                    _put(v, raw, key, "amount", cells.get(key), row, column, issues, factor)
            yield from _emit(ctx.record("2-2", row.line, v, raw, ctx.next("2-2")))
            if stage is None:  # an empty stage mark: no 予算種別 to map
                yield LoadIssue("unknown-code", _UNKNOWN_STAGE, "error", None, row.line, "予算種別", None)
            continue
        cells = _cells(row, acc_pos)
        account = {k: c for k in ("account_class", "account", "subaccount") if (c := cells.get(k))}
        v = {"budget_year": ctx.year, **account}
        raw = {}
        if cells.get("priority") and factor is not None:
            _put(v, raw, "a:priority-request", "amount", cells["priority"], row, "要望額", issues, factor)
        if remarks := cells.get("remarks"):
            v["remarks"] = remarks
        if "a:priority-request" in v or "remarks" in v:
            yield from _emit(ctx.record("2-1", row.line, v, raw))
    yield from issues


_REASONS = {"主な増減理由": ("change_reason", "text"), "その他特記事項": ("special_notes", "text")}


def _reasons(g: Group, ctx: _Ctx) -> Out:
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


def _review(spec: dict[str, tuple[str, str]]) -> Callable[[Group, _Ctx], Out]:
    def handler(g: Group, ctx: _Ctx) -> Out:
        yield from _pairs_record(g, ctx, "4-1", spec)

    return handler


def _reflection(g: Group, ctx: _Ctx) -> Out:
    """改善点・反映状況, 詳細, and the 反映額 table under them (会計 / 勘定 / 反映額(unit); 一般会計 or a special
    account)."""
    issues: list[LoadIssue] = []
    for k, header in enumerate(g.rows):
        labels = [header_unit(c) for c in header.cells]
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
            if norm(row.cells[row.first()]) in _REFLECTION:
                break
            cells = _cells(row, pos)
            if cells["amount"] is None or factor is None:
                continue
            v: dict[str, Value] = {}
            raw: dict[str, str] = {}
            general = cells["account"] is None or norm(cells["account"]) == "一般会計"
            key = "reflect_general" if general else "reflect_special"
            _put(v, raw, key, "amount", cells["amount"], row, "反映額", issues, factor)
            account = cells["account"]
            if account is not None and not general and v:
                v["reflect_special_account"] = account
                if subaccount := cells.get("subaccount"):
                    v["reflect_special_subaccount"] = subaccount
            if v:
                yield from _emit(ctx.record("4-1", row.line, v, raw))
        break
    yield from _pairs_record(g, ctx, "4-1", _REFLECTION)
    yield from issues


def _findings(key: str) -> Callable[[Group, _Ctx], Out]:
    """公開プロセス・秋のレビュー取りまとめ (past findings) / その他の指摘事項: the group's own value."""

    def handler(g: Group, ctx: _Ctx) -> Out:
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
    cells: dict[str, str | None], row: Row, g: Group, factor: int | None, issues: list[LoadIssue]
) -> tuple[dict[str, Value], dict[str, str]]:
    v: dict[str, Value] = {}
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


@dataclass
class _Payee:
    """A payee row of 支出先上位者リスト while its contract rows are read."""

    v: dict[str, Value]
    raw: dict[str, str]
    row: Row
    has_contracts: bool = False


_BLOCK_LETTER = re.compile(r"^[A-Z]$")


def _payees(g: Group, ctx: _Ctx) -> Out:
    """支出先上位者リスト: per block a block row (letter, name, total, count, role; recognised by its one-letter
    first cell and aligned on the group line), a 支出先名 header and payee rows, a 契約概要 header and contract
    rows.  Each contract row belongs to the payee row listed before it and gives one payment (RS table 5-1) with
    the payee's total; a payee without contract rows gives one payment with its total only."""
    issues: list[LoadIssue] = []
    factor = _factor(g.unit, g, issues)
    block_pos = _header(g.rows[0], _BLOCK, 1)
    mode, pos = "", {}
    block: str | None = None
    payee: _Payee | None = None

    def flush() -> Out:
        if payee is not None and not payee.has_contracts:
            yield from _emit(ctx.record("5-1", payee.row.line, dict(payee.v), dict(payee.raw), ctx.next("payment")))

    for row in g.rows[1:]:
        probe = Row(row.line, row.cells)
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
            payee = _Payee(v, raw, row) if ("payee" in v or "corporate_number" in raw) else None
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
            payee.has_contracts = True
            n = ctx.next("payment")
            yield from _emit(ctx.record("5-1", row.line, {**payee.v, **v}, {**payee.raw, **raw}, n))
            yield Derivation(ctx.year, ctx.pid, n, payee.row.line)
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


def _item_table(table: str, spec: dict[str, str]) -> Callable[[Group, _Ctx], Out]:
    """費目・使途 (5-3) and 国庫債務負担行為等による契約先リスト (5-4): one item per non-empty row."""

    def handler(g: Group, ctx: _Ctx) -> Out:
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


def _other_remarks(g: Group, ctx: _Ctx) -> Out:
    for row in g.rows[1:]:
        value = "\n".join(v for i in range(len(row.cells)) if (v := row.take(i)))
        if value:
            yield from _emit(ctx.record("6-1", row.line, {"remarks": value}, {}))


def _logic(g: Group, ctx: _Ctx) -> Out:
    for row in g.rows:
        row.used.update(range(len(row.cells)))
    if any(nz.clean(c) and not nz.is_none_marker(c) for r in g.rows for c in r.cells[1:]):
        yield _not_mapped(
            g,
            "効果発現経路 of the single-sheet export is not mapped: its elements are numbered by path codes "
            "(101-201-301-501), not by the bulk CSV's per-kind numbers, so they cannot be given the CSV's "
            "identities without guessing",
        )


GROUP_HANDLERS: dict[str, Callable[[Group, _Ctx], Out]] = {
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
    norm(s)
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
