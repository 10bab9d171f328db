"""The table of a NISC summary: column headers, ``【省庁】`` item rows and ``(n)`` area rows, wherever they are in
the file, and the placing of a row's figures in the columns of its header."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .. import normalize as nz
from ..base import LoadIssue
from ..budget_doc.figures import DASH_CLASS, NUM, BudgetCell, Figure, Label, column_label, find_figures, parse_cell
from ..budget_doc.text import MARKUP, name_key, name_text, nfkc_map, plain, resolve_ministry

_ITEM_RE = re.compile(r"^\s*【([^】]{1,20})】\s*(.*)$")
_MINISTRY_LIKE = re.compile(r"(?:省|庁|官房|委員会|委|府|本部|院|会議)$")


def is_item_start(raw: str) -> tuple[str, str] | None:
    """``(ministry, rest)`` as written if the line starts an item row ``【省庁】name…``, else None."""
    m = _ITEM_RE.match(raw.strip())
    if m is None:
        return None
    bracket = nz.nfkc(m.group(1)).strip()
    name, _ = resolve_ministry(bracket)
    if name is None and not _MINISTRY_LIKE.search(bracket):
        return None
    return m.group(1), m.group(2)


@dataclass
class Row:
    """A row of the table as read: an item or an area, its lines and its cells (before they meet the columns)."""

    kind: str  # item | area
    lines: list[int]
    number: int = 0
    bracket: str = ""
    name: str = ""
    cells: list[Figure | str | None] = field(default_factory=list)
    header: int | None = None  # index into headers
    area: int | None = None
    share: Decimal | None = None
    share_figure: Figure | None = None


AREA_RE = re.compile(r"^[(（]\s*([1-9])\s*[)）]\s*(.*)$")
_SHARE_RE = re.compile(r"^[(（]\s*(?P<fig>[^:：()（）]*?円)\s*[:：]\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*[)）]$")
_TAIL_RE = re.compile(rf"(?:(?:\s+|^)(?:[(（]?\s*[▲△]?{NUM}\s*(?:億円|百万円|千円|円)\s*[)）]?|[{DASH_CLASS}]))+\s*$")
_CELL_TOKEN = re.compile(rf"[(（]?\s*[▲△]?{NUM}\s*(?:億円|百万円|千円|円)\s*[)）]?|[{DASH_CLASS}]")


def _split_cells(raw: str, line: int) -> tuple[str, list[Figure | str | None]]:
    """``(name, cells)`` of a table row: tab-separated cells, else figures/dashes at the end of the line."""
    if "\t" in raw:
        parts = raw.rstrip().split("\t")
        while len(parts) > 1 and not parts[-1].strip():
            parts.pop()  # trailing empty cells are layout, not columns
        return parts[0], [parse_cell(c, line) for c in parts[1:]]
    norm, idx = nfkc_map(raw.rstrip())
    m = _TAIL_RE.search(norm)
    if m is None or not m.group().strip():
        return raw, []
    head = raw[: idx[m.start()]] if m.start() < len(idx) else raw
    cells: list[Figure | str | None] = []
    for tok in _CELL_TOKEN.finditer(m.group()):
        s = m.start() + tok.start()
        e = m.start() + tok.end()
        cells.append(parse_cell(raw[idx[s] : idx[e - 1] + 1], line))
    return head, cells


@dataclass
class Table:
    """What the scan of the table found: column headers, rows, and the lines they used."""

    headers: list[list[Label]] = field(default_factory=list)
    late_header: int | None = None  # a header written after the rows (PDF text in drawing order)
    rows: list[Row] = field(default_factory=list)
    used: set[int] = field(default_factory=set)


def scan_table(lines: Sequence[str]) -> Table:
    """Column headers, item rows and area rows, wherever they are in the file."""
    tab = Table()
    current_area: int | None = None
    current_header: int | None = None
    area_names: dict[int, str] = {}
    i = 1
    while i <= len(lines):
        raw = lines[i - 1]
        if not raw.strip():
            i += 1
            continue
        if "\t" in raw:  # a header: tab cells that are all budget labels
            labels = [column_label(c, i) for c in raw.split("\t") if c.strip()]
            if len(labels) >= 2 and all(labels):
                tab.headers.append([lab for lab in labels if lab is not None])
                current_header, current_area = len(tab.headers) - 1, None
                tab.used.add(i)
                i += 1
                continue
        run, run_lines, nxt = _header_run(lines, i)
        if len(run) >= 2:  # a header as two-line labels (令和２年度 / 予算政府案)
            tab.headers.append(run)
            if tab.late_header is None and current_header is None:
                tab.late_header = len(tab.headers) - 1
            tab.used.update(run_lines)
            i = nxt
            continue
        start = is_item_start(raw)
        if start is not None:
            row, i = _read_item(lines, i, start)
            row.header, row.area = current_header, current_area
            tab.rows.append(row)
            tab.used.update(row.lines)
            continue
        am = AREA_RE.match(plain(raw))
        if am is not None:
            area_row, nxt = _read_area(lines, i)
            if area_row is not None:
                area_row.header = current_header
                tab.rows.append(area_row)
                area_names.setdefault(area_row.number, area_row.name)
                tab.used.update(area_row.lines)
                if area_row.share is None:
                    current_area = area_row.number
                i = nxt
                continue
            known = area_names.get(int(am.group(1)))
            if known and _restates(am.group(2), known):
                tab.used.add(i)  # a known area named again (a chart caption, a reference in a description)
        i += 1
    return tab


def _header_run(lines: Sequence[str], i: int) -> tuple[list[Label], list[int], int]:
    """Consecutive two-line column labels from line ``i`` (blank lines between allowed)."""
    run: list[Label] = []
    run_lines: list[int] = []
    j = i
    while j <= len(lines):
        if not lines[j - 1].strip():
            j += 1
            continue
        f = _header_fragment(lines, j)
        if f is None:
            break
        run.append(f[0])
        run_lines += f[1]
        j = f[1][-1] + 1
    return run, run_lines, j


_HEADER_YEAR = re.compile(r"^(?:令和|平成)(?:元|\d{1,2})年度$")
_HEADER_STAGE = re.compile(r"^(?:当初予算|補正予算(?:案)?|予算政府案|予算案|概算要求(?:額)?|要求額|予算額)$")


def _header_fragment(lines: Sequence[str], i: int) -> tuple[Label, list[int]] | None:
    """A two-line column label (``令和２年度`` then ``予算政府案``) starting at line ``i``."""
    p = plain(lines[i - 1])
    if not _HEADER_YEAR.match(p):
        return None
    j = i + 1
    while j <= len(lines) and not lines[j - 1].strip():
        j += 1
    if j > len(lines) or j - i > 2:
        return None
    q = plain(lines[j - 1])
    if not _HEADER_STAGE.match(q):
        return None
    lab = column_label(f"{p} {q}", i)
    return (lab, [i, j]) if lab is not None else None


def _read_item(lines: Sequence[str], i: int, start: tuple[str, str]) -> tuple[Row, int]:
    """An item row from line ``i``: the name may continue over the next lines until its figures."""
    bracket, rest = start
    raw = lines[i - 1]
    after = raw.split("】", 1)[1] if "】" in raw else rest
    row_lines = [i]
    name_part, cells = _split_cells(after, i)
    name = name_text(name_part)
    j = i + 1
    if not cells:
        blanks = 0
        while j <= len(lines) and len(row_lines) < 6:
            nxt = lines[j - 1]
            if not nxt.strip():
                blanks += 1
                if blanks > 1:
                    break
                j += 1
                continue
            if is_item_start(nxt) or AREA_RE.match(plain(nxt)) or nxt.lstrip().startswith("#"):
                break
            blanks = 0
            part, cells = _split_cells(nxt, j)
            name += name_text(part)
            row_lines.append(j)
            j += 1
            if cells:
                break
    return Row("item", row_lines, bracket=bracket, name=name, cells=cells), j


def _read_area(lines: Sequence[str], i: int) -> tuple[Row | None, int]:
    """An area row at line ``i``: ``(n) name`` with one bracketed figure per column, or ``(n) name`` (over one or
    more lines) followed by ``(X億円：Y%)``.  (None, i) when the line is neither."""
    raw = lines[i - 1]
    am = AREA_RE.match(plain(raw))
    assert am is not None
    number = int(am.group(1))
    name_part, cells = _split_cells(MARKUP.sub("", raw.strip()), i)
    nm = AREA_RE.match(plain(name_part))
    name = name_text(nm.group(2)) if nm else ""
    if cells and name and all(isinstance(c, Figure) or c is None for c in cells):
        return Row("area", [i], number, name=name, cells=cells), i + 1
    name_lines = [i]
    j = i + 1
    seen = 0
    while j <= len(lines) and seen < 4:
        nxt = lines[j - 1]
        if not nxt.strip():
            j += 1
            continue
        seen += 1
        sm = _SHARE_RE.match(plain(nxt))
        if sm is not None:
            figs = find_figures(nxt, j)
            full = name_text(am.group(2)) + "".join(name_text(lines[k - 1]) for k in name_lines[1:])
            if len(figs) == 1 and full:
                row = Row(
                    "area", [*name_lines, j], number, name=full, share=Decimal(sm.group("pct")), share_figure=figs[0]
                )
                return row, j + 1
            break
        if AREA_RE.match(plain(nxt)) or find_figures(nxt, j) or len(plain(nxt)) > 30:
            break
        name_lines.append(j)
        j += 1
    return None, i


def _restates(written: str, known: str) -> bool:
    """True if ``written`` is the start of the known area name (a caption cut by a line break)."""
    k, w = name_key(known), name_key(written)
    w = re.sub(r"\d+$", "", w)  # a trailing page or circled number
    return len(w) >= 4 and (k.startswith(w) or w.startswith(k))


def assign(row: Row, columns: Sequence[Label]) -> tuple[list[BudgetCell], list[LoadIssue]]:
    """The budget cells of a table row, and issues for what could not be placed."""
    issues: list[LoadIssue] = []
    where = row.lines[-1]
    raw_row = " | ".join(c.written if isinstance(c, Figure) else (c or "—") for c in row.cells)
    for c in row.cells:
        if isinstance(c, str):
            issues.append(LoadIssue("bad-amount", "cell is not an amount; not mapped", "error", line=where, value=c))
    if not row.cells:
        if row.kind == "item":
            issues.append(
                LoadIssue(
                    "missing-value",
                    "no figures found for this item; amounts not mapped",
                    "error",
                    line=row.lines[0],
                    value=row.name,
                )
            )
        return [], issues
    if not columns:
        issues.append(
            LoadIssue(
                "no-columns",
                "no column header (budget year and stage) for this table; figures not mapped",
                "error",
                line=where,
                value=raw_row,
            )
        )
        return [], issues
    cols: list[Label] = list(columns)
    if len(row.cells) != len(cols):
        main = [c for c in cols if not c.stage.startswith("supplementary")]
        if len(row.cells) == len(main) and len(main) < len(cols):
            cols = main
            issues.append(
                LoadIssue(
                    "column-inferred",
                    f"{len(row.cells)} figures for {len(columns)} columns: read as the "
                    "columns other than the supplementary budget (blank in this text)",
                    "warning",
                    line=where,
                    value=raw_row,
                )
            )
        else:
            issues.append(
                LoadIssue(
                    "column-count",
                    f"{len(row.cells)} figures for {len(columns)} columns; figures not mapped",
                    "error",
                    line=where,
                    value=raw_row,
                )
            )
            return [], issues
    out = [
        BudgetCell(col.year, col.stage, col.written, cell)
        for col, cell in zip(cols, row.cells, strict=True)
        if isinstance(cell, Figure)
    ]
    return out, issues
