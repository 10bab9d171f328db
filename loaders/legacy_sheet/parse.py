"""Parsing of one legacy review sheet's text: lines → the facts the layout ties together, and load issues for
the rest (see :mod:`loaders.legacy_sheet`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ontology.registers import org_register

from .. import legal
from .. import normalize as nz
from ..base import LoadIssue, SourceUnit
from ..rs_values import UNITS, complete_lines, decode, split_org_path
from .records import (
    BudgetColumn,
    BudgetCube,
    Citation,
    Figure,
    Organisation,
    Payee,
    PlanRef,
    PolicyRef,
    Record,
    Sheet,
    SheetField,
)

HEADER = re.compile(r"(平成|令和|昭和)\s*([0-9]{1,2}|元)\s*年度\s*行政事業レビューシート\s*(\S*)")
_ERA_YEAR = re.compile(r"^(平成|令和|昭和)\s*([0-9]{1,2}|元)\s*年度?$")
_NUMBER = re.compile(r"事業番号\s*((?:新\s*)?(?:[0-9]{2}\s*-\s*)?[0-9]{4}(?:-[0-9]{2})?)(?![0-9])")
_FIRST_ROW = re.compile(
    r"^(?:事業名\s+)?(?P<name>\S.*?)\s+担当部局庁\s+(?P<bureau>\S+)(?:\s+作成責任者(?:\s+(?P<author>.+))?)?$"
)
_NAME_ROW = re.compile(r"^事業名\s+(?P<name>\S.*)$")
_OFFICE_ROW = re.compile(r"^担当課室\s+(?P<office>\S+)(?:\s+(?P<rest>\S.*))?$")
_POLICY_ROW = re.compile(r"^(?P<label>政策|施策)\s+(?P<value>\S.*)$")
_PLAN_LINE = re.compile(r"^.+[(](?:平成|令和|昭和)\s*(?:[0-9]{1,2}|元)\s*年[^()]*[)]$")
_UNIT = re.compile(r"単位\s*:\s*(円|千円|百万円|億円)|^\(?(円|千円|百万円|億円)\)$")
_CORPNO = re.compile(r"(?<![0-9])([0-9]{13})(?![0-9])")
_FIGURE = r"[▲△\-]?\s*[0-9][0-9,]*(?:\.[0-9]+)?%?|[-‐―]|#DIV/0!"
_FIGURE_TOKEN = re.compile(rf"^(?:{_FIGURE})$")
_YEAR_TOKEN = re.compile(r"^([0-9]{1,2}|元)年度(要求|当初予算|見込)?$")
_UNIT_COST = re.compile(r"[0-9][0-9,]*\s*(?:円|千円|百万円|億円)\s*/\s*[0-9][0-9,]*\s*\S+")

BUDGET_ROWS = {
    "当初予算": "initial",
    "補正予算": "supplementary",
    "前年度から繰越し": "carried-over-in",
    "翌年度へ繰越し": "carried-over-out",
    "予備費等": "reserve",
    "計": "current",
    "執行額": "executed",
}
_RATE_ROWS = ("執行率(%)", "執行率")
INDICATOR_ROWS = ("成果実績", "目標値", "達成度", "活動実績", "当初見込み")
NOT_EXTRACTED = {
    "事業の目的": "the text block after this label is not reliably its value in the extracted layout",
    "事業概要": "its text is drawn away from the label",
    "主要経費": "its value is drawn away from the label",
    "会計区分": "its value is drawn away from the label",
    "実施方法": "its value is drawn away from the label",
    "成果目標及び": "outcome targets: indicator rows and values are not tied to their years by the layout",
    "活動指標及び": "activity indicators: rows and values are not tied to their years by the layout",
    "点検結果": "review (点検・評価) texts are not mapped",
    "改善の": "review (点検・評価) texts are not mapped",
    "行政事業レビュー推進チームの所見": "review findings are not mapped",
    "外部有識者の所見": "review findings are not mapped",
    "資金の流れ": "the flow-of-funds diagram is not mapped",
    "費目・使途": "expense items (費目・使途) are not tied to their payees by the layout",
    "国庫債務負担行為等による契約先": "contracts under multi-year obligations are not mapped",
    "関連する過去のレビューシートの事業番号": "past sheet numbers are not mapped",
}
"""Labels of fields this loader does not extract (reported as ``not-mapped`` when present) and why."""

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県",
    "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",
    "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県",
    "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県",
    "宮崎県", "鹿児島県", "沖縄県",
)  # fmt: skip
"""The 47 prefectures in JIS X 0401 order (code = position + 1)."""
_PREFECTURE_CORPNO = re.compile(r"^[0-9]000020([0-9]{2})000[0-9]$")
"""法人番号 of a prefecture: check digit, ``000020``, the 6-digit 団体コード ``PP000`` + its check digit."""


@dataclass
class _Line:
    n: int
    raw: str  # as written (stripped)
    text: str  # NFKC, stripped


def read_lines(text: str) -> list[_Line]:
    out = []
    for n, raw in enumerate(text.split("\n"), start=1):
        r = raw.rstrip("\r").strip(" \t\u3000")
        out.append(_Line(n, r, nz.nfkc(r).strip()))
    return out


def sheet_header(lines: list[_Line]) -> tuple[int, str, str | None, int] | None:
    """(review year, era, ministry as written, line) from ``平成２９年度行政事業レビューシート 総務省``."""
    for ln in lines:
        m = HEADER.search(ln.text)
        if m:
            try:
                year = nz.parse_year(f"{m.group(1)}{m.group(2)}年度")
            except nz.NormalizeError:
                continue
            ministry = m.group(3) or None
            return year, m.group(1), ministry, ln.n
    return None


def sheet_numbers(lines: list[_Line]) -> dict[nz.ProgramNumber, list[int]]:
    found: dict[nz.ProgramNumber, list[int]] = {}
    for ln in lines:
        for m in _NUMBER.finditer(ln.text):
            try:
                for pn in nz.parse_program_numbers(m.group(1)):
                    found.setdefault(pn, []).append(ln.n)
            except nz.NormalizeError:
                continue
    return found


def _next(lines: list[_Line], i: int, step: int = 1) -> int | None:
    """Index of the next (or previous, ``step=-1``) non-blank line from index ``i`` (exclusive)."""
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].text:
            return j
        j += step
    return None


def _label_end(lines: list[_Line], i: int, label: str) -> int:
    """Index of the last line of a label drawn over several lines (``根拠法令`` / ``（具体的な`` / ``条項も記載）``)."""
    target = re.sub(r"\s+", "", nz.nfkc(label))
    acc = re.sub(r"\s+", "", lines[i].text)
    end = i
    while acc != target:
        j = _next(lines, end)
        if j is None:
            break
        cand = acc + re.sub(r"\s+", "", lines[j].text)
        if not target.startswith(cand):
            break
        acc, end = cand, j
    return end


def _block(lines: list[_Line], start: int) -> list[int]:
    """Indexes of the block of consecutive non-blank lines starting at ``start``."""
    out = []
    j = start
    while j < len(lines) and lines[j].text:
        out.append(j)
        j += 1
    return out


@dataclass
class _State:
    year: int
    key: str
    era: str
    lines: list[_Line]
    claimed: set[int]
    issues: list[LoadIssue]

    def claim(self, *idx: int) -> None:
        self.claimed.update(idx)

    def warn(
        self, reason: str, line: int | None, column: str | None, value: str | None, code: str = "ambiguous-layout"
    ) -> None:
        """Record a warning load issue."""
        self.issues.append(LoadIssue(code, reason, "warning", None, line, column, value))


def parse(unit: SourceUnit) -> Iterator[Record]:
    """Records of one legacy sheet: :class:`Sheet`, then its facts and load issues."""
    with unit.open() as fh:
        text, issues = decode(fh.read())
    yield from issues
    text, cut = complete_lines(text)
    if cut is not None:
        yield cut
    lines = read_lines(text)
    head = sheet_header(lines)
    numbers = sheet_numbers(lines)
    if head is None or len(numbers) != 1:
        why = "no 平成/令和NN年度行政事業レビューシート header" if head is None else "事業番号 not found"
        value = None
        if head is not None and len(numbers) > 1:
            why = "several different 事業番号"
            value = " | ".join(f"line {ls[0]}: {pn.key()}" for pn, ls in numbers.items())
        yield LoadIssue(
            "missing-value" if value is None else "ambiguous-layout",
            f"{why}: the sheet cannot be identified, nothing mapped",
            "error",
            None,
            head[3] if head else None,
            "事業番号" if head else "header",
            value,
        )
        return
    year, era, ministry, head_line = head
    pn, number_lines = next(iter(numbers.items()))
    abbr = None
    entry = org_register().resolve(ministry)
    if entry is not None:
        abbr = entry.abbreviation
    elif ministry:
        abbr = ministry
        yield LoadIssue(
            "unknown-ministry",
            "ministry not in the organisation register",
            "warning",
            None,
            head_line,
            "府省",
            ministry,
        )
    key = nz.ProgramNumber(None, abbr, pn.new, pn.series, pn.number).sheet_key()
    index = {ln.n: i for i, ln in enumerate(lines)}
    st = _State(year, key, era, lines, set(), [])
    st.claim(index[head_line], *(index[n] for n in number_lines))
    yield Sheet(year, key, pn.number, ministry, (head_line, *number_lines))
    yield from _first_rows(st, ministry)
    yield from _years(st)
    yield from _policy(st, ministry)
    yield from _laws(st)
    yield from _plans(st)
    unit_name = _unit(st)
    yield from _budget(st, unit_name)
    yield from _payees(st, unit_name)
    _unit_cost(st)
    _not_extracted(st)
    _unclaimed_figures(st)
    yield from st.issues


def _first_rows(st: _State, ministry: str | None) -> Iterator[SheetField | Organisation]:
    """事業名 / 担当部局庁 / 作成責任者 and 担当課室 from the sheet's first two table rows."""
    names, bureaus, offices = [], [], []
    author: tuple[str, int] | None = None
    author_pending = False
    for i, ln in enumerate(st.lines):
        m = _FIRST_ROW.match(ln.raw)
        if m:
            st.claim(i)
            names.append((nz.clean(m.group("name")) or "", ln.n))
            bureaus.append((m.group("bureau"), ln.n))
            if m.group("author"):
                author = (nz.clean(m.group("author")) or "", ln.n)
            elif "作成責任者" in ln.raw:
                author_pending = True
            continue
        m = _NAME_ROW.match(ln.raw)
        if m and not any(label in m.group("name") for label in ("担当部局庁", "所管府省")):
            st.claim(i)
            names.append((nz.clean(m.group("name")) or "", ln.n))
            continue
        m = _OFFICE_ROW.match(ln.raw)
        if m:
            st.claim(i)
            offices.append((m.group("office"), ln.n))
            if m.group("rest") and author is None and author_pending:
                author = (nz.clean(m.group("rest")) or "", ln.n)
    for what, found in (("事業名", names), ("担当部局庁", bureaus), ("担当課室", offices)):
        if len({v for v, _ in found}) > 1:
            st.warn(
                f"several candidates for {what}; not mapped",
                found[0][1],
                what,
                " | ".join(f"line {n}: {v}" for v, n in found),
            )
    if len({v for v, _ in names}) == 1:
        yield SheetField(st.year, st.key, "label", names[0][0], names[0][1])
    else:
        st.issues.append(LoadIssue("missing-value", "事業名 not found", "warning", None, None, "事業名", None))
    if author is not None:
        yield SheetField(st.year, st.key, "responsibleOfficial", author[0], author[1])
    units: list[tuple[str, str]] = []
    lines: list[int] = []
    for found in (bureaus, offices):
        if len({v for v, _ in found}) == 1:
            _, levels = split_org_path(found[0][0], ministry)
            units += levels
            lines.append(found[0][1])
    if ministry and units:
        yield Organisation(st.year, st.key, ministry, tuple(units), tuple(lines))


def _era_value(st: _State, i: int | None, text: str | None = None) -> int | None:
    """The Gregorian year if ``text`` (default: line ``i``) is an era year alone (``平成２７年度``)."""
    if text is None:
        if i is None:
            return None
        text = st.lines[i].text
    if not _ERA_YEAR.match(text):
        return None
    try:
        return nz.parse_year(text)
    except nz.NormalizeError:
        return None


def _years(st: _State) -> Iterator[SheetField]:
    """事業開始年度 / 事業終了（予定）年度: the era year right after each label.  A start year whose label was drawn
    elsewhere is the era year right before the 事業終了 label (the previous cell of the same table row); used
    only when no start year follows its own label."""
    starts: list[tuple[int, int, int]] = []  # (year, line, index) after the label
    fallback: tuple[int, int, int] | None = None
    end: tuple[int, int] | None = None
    for i, ln in enumerate(st.lines):
        if ln.text.startswith("事業開始年度"):
            rest = ln.text.removeprefix("事業開始年度").strip()
            j = i if rest else _next(st.lines, i)
            v = _era_value(st, j, rest or None)
            if v is not None and j is not None:
                starts.append((v, st.lines[j].n, j))
                st.claim(i, j)
        elif ln.text.startswith("事業終了"):
            last = _label_end(st.lines, i, "事業終了(予定)年度")
            rest = re.sub(r"^事業終了\s*\(予定\)\s*年度", "", ln.text).strip() if last == i else ""
            j = i if rest else _next(st.lines, last)
            v = _era_value(st, j, rest or None)
            if v is not None and j is not None:
                end = (v, st.lines[j].n)
                st.claim(*range(i, last + 1), j)
            elif j is not None and "終了予定なし" in (rest or st.lines[j].text):
                st.claim(*range(i, last + 1), j)
                yield SheetField(st.year, st.key, "noPlannedEnd", True, st.lines[j].n)
            k = _next(st.lines, i, -1)
            before = _era_value(st, k)
            if before is not None and k is not None:
                fallback = (before, st.lines[k].n, k)
    if len({y for y, _, _ in starts}) > 1:
        values = " | ".join(st.lines[j].raw for _, _, j in starts)
        st.warn("several 事業開始年度 values; not mapped", starts[0][1], "事業開始年度", values)
    elif starts:
        yield SheetField(st.year, st.key, "startYear", starts[0][0], starts[0][1])
    elif fallback is not None:
        st.claim(fallback[2])
        yield SheetField(st.year, st.key, "startYear", fallback[0], fallback[1])
    if end is not None:
        yield SheetField(st.year, st.key, "endYear", end[0], end[1])


def _policy(st: _State, ministry: str | None) -> Iterator[PolicyRef]:
    found: dict[str, list[tuple[str, int, int]]] = {"政策": [], "施策": []}
    for i, ln in enumerate(st.lines):
        m = _POLICY_ROW.match(ln.raw)
        if m:
            found[m.group("label")].append((m.group("value").strip(), ln.n, i))
    values = {}
    for label, hits in found.items():
        if len({v for v, _, _ in hits}) == 1:
            values[label] = hits[0]
            st.claim(*(i for _, _, i in hits))
        elif hits:
            st.warn(f"several {label} lines; not mapped", hits[0][1], label, " | ".join(v for v, _, _ in hits))
    if values:
        pol, mea = values.get("政策"), values.get("施策")
        yield PolicyRef(
            st.year,
            st.key,
            ministry,
            pol[0] if pol else None,
            mea[0] if mea else None,
            tuple(v[1] for v in (pol, mea) if v),
        )


def _laws(st: _State) -> Iterator[Citation]:
    at = next((i for i, ln in enumerate(st.lines) if ln.text.startswith("根拠法令")), None)
    if at is None:
        st.issues.append(LoadIssue("missing-value", "no 根拠法令 label", "warning", None, None, "根拠法令", None))
        return
    last = _label_end(st.lines, at, "根拠法令(具体的な条項も記載)")
    st.claim(*range(at, last + 1))
    start = _next(st.lines, last)
    block = _block(st.lines, start) if start is not None else []
    text = _join([st.lines[i].raw for i in block])
    cits, leftovers = legal.resolve(text, None, None, legal.columns(None, None, None)) if text else ([], [])
    found = [c for c in cits if c.method != "unresolved" or c.article]
    if not found:
        st.warn(
            "no law citation in the block after the 根拠法令 label; not mapped",
            st.lines[at].n,
            "根拠法令",
            text or None,
        )
        return
    st.claim(*block)
    lines = tuple(st.lines[i].n for i in block)
    for n, rc in enumerate(cits, start=1):
        yield Citation(st.year, st.key, n, rc, lines)
        if rc.law_id is None:
            st.warn(
                "no e-Gov 法令ID found for this law name; cited as written",
                lines[0],
                "根拠法令",
                rc.cited_text or rc.law_name,
                "unresolved-citation",
            )
    for frag in leftovers:
        st.issues.append(
            LoadIssue(
                "citation-leftover",
                "part of 根拠法令 not understood as a citation; kept in the source",
                "info",
                None,
                lines[0],
                "根拠法令",
                frag,
            )
        )


_WRAP_END = re.compile(r"[0-9０-９一二三四五六七八九十百千第]$")
_WRAP_START = re.compile(r"^[号項条のノ0-9０-９]")


def _join(parts: list[str]) -> str:
    """Join the lines of a text cell: a line cut inside a provision number (``第27`` / ``号``) is joined without
    a separator, other lines with a newline."""
    out = ""
    for p in parts:
        if out and not (_WRAP_END.search(out) and _WRAP_START.match(p)):
            out += "\n"
        out += p
    return out


def _plans(st: _State) -> Iterator[PlanRef]:
    label = next((i for i, ln in enumerate(st.lines) if ln.text.startswith("関係する計画")), None)
    blocks: list[list[int]] = []
    i = 0
    while i < len(st.lines):
        if st.lines[i].text and (i == 0 or not st.lines[i - 1].text):
            block = _block(st.lines, i)
            if all(_PLAN_LINE.match(st.lines[j].text) for j in block):
                blocks.append(block)
            i += len(block)
        else:
            i += 1
    if label is not None:
        st.claim(label, *(j for j in [_next(st.lines, label)] if j is not None and st.lines[j].text == "通知等"))
    if len(blocks) > 1:
        st.warn(
            "several blocks of dated plan names; 関係する計画、通知等 not mapped",
            st.lines[blocks[0][0]].n,
            "関係する計画、通知等",
            " | ".join(st.lines[j].raw for b in blocks for j in b),
        )
        return
    if not blocks:
        if label is not None:
            st.issues.append(
                LoadIssue(
                    "not-mapped",
                    "関係する計画、通知等: its contents could not be located",
                    "info",
                    None,
                    st.lines[label].n,
                    "関係する計画、通知等",
                    None,
                )
            )
        return
    st.claim(*blocks[0])
    for n, j in enumerate(blocks[0], start=1):
        yield PlanRef(st.year, st.key, n, st.lines[j].raw, st.lines[j].n)


def _unit(st: _State) -> str | None:
    found = {u for ln in st.lines for m in [_UNIT.search(ln.text)] if m for u in [m.group(1) or m.group(2)]}
    if len(found) == 1:
        return found.pop()
    st.warn(
        "amount unit not stated" if not found else "several amount units; amounts not mapped",
        None,
        "単位",
        " | ".join(sorted(found)) or None,
        "missing-value" if not found else "ambiguous-layout",
    )
    return None


def _tokens(text: str) -> list[str]:
    """Whitespace-separated figures, with a detached sign joined (``▲ 25,434`` → ``▲25,434``)."""
    out: list[str] = []
    for tok in text.split():
        if out and out[-1] in ("▲", "△"):
            out[-1] += tok
        else:
            out.append(tok)
    return out


_ERA_BEFORE = {"令和": "平成", "平成": "昭和"}


def _column_year(st: _State, n: int) -> int:
    """Gregorian year of a column header ``NN年度`` written in the sheet's era (a number too large for the sheet's
    era, such as ``30年度`` on a 令和2 sheet, is of the era before)."""
    year = nz.era_year(st.era, n)
    if year > st.year + 1 and st.era in _ERA_BEFORE:
        year = nz.era_year(_ERA_BEFORE[st.era], n)
    return year


def _year_columns(st: _State) -> list[tuple[list[tuple[int, bool]], int]]:
    """Budget header lines: ([(year, is request column)], index) for lines made only of ``NN年度`` tokens with a
    request column (``26年度 27年度 28年度 29年度 30年度要求``): the header of 予算額・執行額, not of the indicator
    tables (which have no request column)."""
    out = []
    for i, ln in enumerate(st.lines):
        ms = [_YEAR_TOKEN.match(tok) for tok in ln.text.split()]
        if len(ms) >= 3 and all(ms) and any(m.group(2) == "要求" for m in ms if m):
            cols = [
                (_column_year(st, 1 if m.group(1) == "元" else int(m.group(1))), m.group(2) == "要求") for m in ms if m
            ]
            out.append((cols, i))
    return out


def _budget(st: _State, unit_name: str | None) -> Iterator[BudgetColumn | BudgetCube]:
    """Budget rows (``当初予算 - 65 1,773 1,788 1,500``) under the one budget header line, when the row has one
    figure per column; the request column's 当初予算 figure is that year's 要求額 (stage ``request``)."""
    headers = _year_columns(st)
    header = headers[0] if len(headers) == 1 else None
    factor = UNITS[unit_name][1] if unit_name in UNITS else None
    figures: dict[int, list[Figure]] = {}
    rates: dict[int, tuple[Decimal, str, int]] = {}
    for i, ln in enumerate(st.lines):
        label = next((lab for lab in (*BUDGET_ROWS, *_RATE_ROWS) if ln.text.startswith(lab + " ")), None)
        toks = _tokens(ln.text[len(label) :]) if label else []
        if not toks or not all(_FIGURE_TOKEN.match(tok) for tok in toks):
            continue
        st.claim(i)
        if all(nz.is_none_marker(tok) for tok in toks):
            continue
        if header is None or factor is None or len(header[0]) != len(toks):
            why = "no budget header line with as many year columns" if factor else "no amount unit"
            st.warn(f"budget row whose figures cannot be tied to years ({why}); not mapped", ln.n, label, ln.raw)
            continue
        st.claim(header[1])
        for (year, request), tok in zip(header[0], toks, strict=True):
            if nz.is_none_marker(tok) or tok == "#DIV/0!":
                continue
            column = f"{label} {year}{'要求' if request else ''}"
            if request and label != "当初予算":
                reason = "figure in the request column of a row other than 当初予算; not mapped"
                st.issues.append(LoadIssue("not-mapped", reason, "info", None, ln.n, column, tok))
                continue
            kind = "ratio" if label in _RATE_ROWS else "amount"
            try:
                value = nz.parse_ratio(tok) if kind == "ratio" else nz.parse_amount(tok, factor)
            except nz.NormalizeError as exc:
                st.issues.append(LoadIssue(f"bad-{kind}", exc.reason, "error", None, ln.n, column, tok))
                continue
            if kind == "ratio":
                rates[year] = (value, tok, ln.n)
            else:
                stage = "request" if request else BUDGET_ROWS[label]  # type: ignore[index]
                figures.setdefault(year, []).append(Figure(stage, value, tok, ln.n))
    if figures and unit_name is not None:
        yield BudgetCube(st.year, UNITS[unit_name][0])
    for year in sorted(figures):
        rate = rates.pop(year, None)
        if rate is not None and not any(f.stage == "executed" for f in figures[year]):
            rates[year] = rate
            rate = None
        yield BudgetColumn(st.year, st.key, year, st.lines[header[1]].n if header else 0, tuple(figures[year]), rate)
    for year, (_, raw, line) in rates.items():
        reason = "執行率 without 執行額; rate not mapped"
        st.issues.append(LoadIssue("orphan-rate", reason, "error", None, line, f"執行率 {year}", raw))


def _payees(st: _State, unit_name: str | None) -> Iterator[Payee]:
    """Payees of 支出先上位リスト (from its title to the end of the document)."""
    start = next((i for i, ln in enumerate(st.lines) if "支出先上位" in ln.text), None)
    if start is None:
        return
    factor = UNITS[unit_name][1] if unit_name in UNITS else None
    numbers: list[tuple[str, int, str | None, str | None]] = []  # (法人番号, index, name on the line, amount)
    names: list[tuple[str, int]] = []
    for i in range(start, len(st.lines)):
        ln = st.lines[i]
        m = _CORPNO.search(ln.text)
        if m:
            before = ln.text[: m.start()].strip() or None
            after = _tokens(ln.text[m.end() :])
            amount = next((a for a in after if re.fullmatch(r"[0-9][0-9,]*", a)), None)
            numbers.append((m.group(1), i, before, amount))
            continue
        if ln.text in PREFECTURES:
            names.append((ln.text, i))
    paired_names: set[int] = set()
    entries: list[tuple[str | None, str, str | None, tuple[int, ...]]] = []
    for corp, i, name, amount in numbers:
        used = [i]
        if name is None:
            pm = _PREFECTURE_CORPNO.match(corp)
            hits = [(n_, j) for n_, j in names if pm and PREFECTURES.index(n_) + 1 == int(pm.group(1))]
            if len(hits) == 1:
                name = hits[0][0]
                used.append(hits[0][1])
                paired_names.add(hits[0][1])
        entries.append((name, corp, amount, tuple(used)))
    n = 0
    for name, corp, amount, lines_used in entries:
        if name is None and amount is None:
            st.warn(
                "法人番号 of 支出先上位リスト whose payee and amount cannot be told from the layout; not mapped",
                st.lines[lines_used[0]].n,
                "法人番号",
                corp,
            )
            st.claim(*lines_used)
            continue
        n += 1
        st.claim(*lines_used)
        valid = True
        try:
            nz.validate_corporate_number(corp)
        except nz.NormalizeError as exc:
            valid = False
            st.issues.append(
                LoadIssue("bad-corpno", exc.reason, "error", None, st.lines[lines_used[0]].n, "法人番号", corp)
            )
        value = None
        if amount is not None and factor is not None:
            try:
                value = nz.parse_amount(amount, factor)
            except nz.NormalizeError as exc:
                st.issues.append(
                    LoadIssue("bad-amount", exc.reason, "error", None, st.lines[lines_used[0]].n, "支出額", amount)
                )
        if name is None:
            st.warn(
                "payee name of this 法人番号 cannot be told from the layout", st.lines[lines_used[0]].n, "支出先", corp
            )
        if amount is None:
            st.warn(
                "amount of this payee cannot be told from the layout",
                st.lines[lines_used[0]].n,
                "支出額",
                f"{name} {corp}",
            )
        yield Payee(
            st.year,
            st.key,
            n,
            name,
            corp,
            valid,
            value,
            amount if value is not None else None,
            tuple(sorted(st.lines[j].n for j in lines_used)),
        )
    for name, j in names:
        if j not in paired_names:
            st.claim(j)
            st.warn(
                "payee name whose 法人番号 and amount cannot be told from the layout; not mapped",
                st.lines[j].n,
                "支出先",
                name,
            )


def _unit_cost(st: _State) -> None:
    label = next((i for i, ln in enumerate(st.lines) if ln.text.startswith("単位当たり")), None)
    if label is None:
        return
    found = [i for i, ln in enumerate(st.lines) if _UNIT_COST.search(ln.text) and i not in st.claimed]
    st.claim(*found)
    st.warn(
        "単位当たりコスト: figures found but their years cannot be told from the layout; not mapped",
        st.lines[label].n,
        "単位当たりコスト",
        " | ".join(f"line {st.lines[i].n}: {st.lines[i].raw}" for i in found) or None,
    )


def _not_extracted(st: _State) -> None:
    for label, why in NOT_EXTRACTED.items():
        at = next((i for i, ln in enumerate(st.lines) if ln.text.startswith(label) and i not in st.claimed), None)
        if at is not None:
            st.issues.append(LoadIssue("not-mapped", f"{label}: {why}", "info", None, st.lines[at].n, label, None))


_GLUED_FIGURE = re.compile(r"[^\s0-9,.][0-9][0-9,]*$")


def _unclaimed_figures(st: _State) -> None:
    """Lines of figures no extractor tied to a field (``0 65 25,434 0 0``, ``226``, ``補助金等交付230``)."""
    for i, ln in enumerate(st.lines):
        if i in st.claimed or not any(ch.isdigit() for ch in ln.text):
            continue
        toks = _tokens(ln.text)
        figures = [t_ for t_ in toks if _FIGURE_TOKEN.match(t_) and any(ch.isdigit() for ch in t_)]
        if (figures and len(figures) * 2 >= len(toks)) or (len(toks) == 1 and _GLUED_FIGURE.search(ln.text)):
            st.warn("figures whose field and year cannot be told from the layout; not mapped", ln.n, None, ln.raw)
