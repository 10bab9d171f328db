"""Reading the text of one RS single-sheet export: lines split into cells, grouped under their group labels.

A *group* is a line whose first cell is a group label and its continuation lines; section headers alone on a
line close the current group; the 事業名 is the first line alone before any group.  :func:`sheet_identity` reads
the sheet's 事業年度 and 予算事業ID from its 基本情報 group.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from .. import normalize as nz
from ..base import LoadIssue


@dataclass
class Row:
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
class Group:
    """A group label line and its continuation lines."""

    label: str  # normalised label (see _norm)
    written: str  # the label cell as written
    unit: str | None  # amount unit of the group title (円, 千円 …), if stated
    rows: list[Row]

    @property
    def line(self) -> int:
        return self.rows[0].line


@dataclass
class Doc:
    title: tuple[str, int] | None
    groups: list[Group]
    orphans: list[Row]  # non-blank lines before any group that are not the title


_SPACES = re.compile(r"\s+")
_UNIT_IN_TITLE = re.compile(r"^(.*?)\s*\(\s*単位\s*:\s*([^)]+?)\s*\)\s*$")
_UNIT_IN_HEADER = re.compile(r"^(.*?)\s*\(\s*(円|千円|百万円|億円)\s*\)\s*$")


def norm(s: str) -> str:
    """A label for matching: NFKC (full-width brackets, slashes, colons folded), no whitespace."""
    return _SPACES.sub("", nz.nfkc(s))


def split_unit(cell: str) -> tuple[str, str | None]:
    """``予算額執行額表 (単位：千円)`` → (``予算額執行額表``, ``千円``); labels without a unit → (label, None)."""
    m = _UNIT_IN_TITLE.match(nz.nfkc(cell).strip())
    if m:
        return norm(m.group(1)), norm(m.group(2))
    return norm(cell), None


def header_unit(cell: str) -> tuple[str, str | None]:
    """``反映額(千円)`` → (``反映額``, ``千円``)."""
    m = _UNIT_IN_HEADER.match(nz.nfkc(cell).strip())
    if m:
        return norm(m.group(1)), m.group(2)
    return norm(cell), None


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


def read_document(text: str, labels: Collection[str]) -> Doc:
    """Split the text into the title, groups (a line whose first cell is one of ``labels``) and stray lines."""
    title: tuple[str, int] | None = None
    groups: list[Group] = []
    orphans: list[Row] = []
    current: Group | None = None
    seen_structure = False
    for n, raw in enumerate(text.split("\n"), start=1):
        cells = raw.rstrip("\r").split("\t")
        row = Row(n, cells)
        first = row.first()
        if first < 0:
            continue
        filled = sum(1 for c in cells if nz.clean(c) is not None)
        label, unit = split_unit(cells[0]) if first == 0 else ("", None)
        if label in labels and (filled > 1 or label in SINGLE_CELL_GROUPS):
            current = Group(label, nz.clean(cells[0]) or label, unit, [row])
            groups.append(current)
            seen_structure = True
        elif first == 0 and filled == 1 and (label in SECTIONS or _LOGIC_PATH.match(label)):
            current = None
            seen_structure = True
            if _LOGIC_PATH.match(label):
                current = Group("発現経路", nz.clean(cells[0]) or label, None, [row])
                groups.append(current)
        elif current is not None:
            current.rows.append(row)
        elif not seen_structure and title is None and filled == 1:
            title = (nz.clean(cells[first]) or "", n)
        else:
            orphans.append(row)
    return Doc(title, groups, orphans)


def pairs(group: Group, labels: dict[str, str]) -> dict[str, tuple[str | None, Row, int]]:
    """Label/value pairs of a group: for every cell that is one of ``labels`` (normalised label → key), the
    value is the next cell.  Returns key → (value or None, row, value index)."""
    out: dict[str, tuple[str | None, Row, int]] = {}
    for r_i, row in enumerate(group.rows):
        for i in range(len(row.cells)):
            if r_i == 0 and i == 0:
                continue  # the group label
            key = labels.get(norm(row.cells[i]))
            if key is None or key in out or (i in row.used):
                continue
            row.used.add(i)
            out[key] = (row.take(i + 1), row, i + 1)
    return out


_ID_LABELS = {"予算事業ID": "program_id", "事業年度": "year"}


def sheet_identity(doc: Doc) -> tuple[int | None, str | None, str | None, int, list[LoadIssue]]:
    """(事業年度, canonical 予算事業ID, 予算事業ID as written, line, issues) from the 基本情報 group."""
    issues: list[LoadIssue] = []
    for g in doc.groups:
        if g.label != "基本情報":
            continue
        found = pairs(Group(g.label, g.written, None, [Row(r.line, list(r.cells)) for r in g.rows]), _ID_LABELS)
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
