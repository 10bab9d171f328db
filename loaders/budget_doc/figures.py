"""Figures of a budget document: amounts with their unit, budget labels, labels paired with figures, and the load
issues of what is not mapped."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .. import common
from .. import normalize as nz
from ..base import LoadIssue, Severity
from .text import nfkc_map, plain

UNITS: dict[str, tuple[int, str]] = {
    "億円": (10**8, "hundred-million-yen"),
    "百万円": (10**6, "million-yen"),
    "千円": (10**3, "thousand-yen"),
    "円": (1, "yen"),
}
"""Amount unit as written → (yen factor, ``code/unit`` notation)."""


@dataclass(frozen=True, slots=True)
class Figure:
    """An amount as written: exact yen, the text as written, the unit and the precision written."""

    amount: Decimal
    written: str
    unit: str  # code/unit notation
    factor: int
    decimals: int
    line: int
    start: int = 0  # position in the NFKC line (for ordering)
    inner: bool = False  # "…の内数": a total that includes the item, not the item's amount
    approx: bool = False  # "約…"

    @property
    def tolerance(self) -> Decimal:
        """Half a unit of the last digit written (23.4億円 → 5,000,000 yen)."""
        return Decimal(self.factor) * Decimal(10) ** -self.decimals / 2


@dataclass(frozen=True, slots=True)
class BudgetCell:
    """One figure of an item for one budget (fiscal year × stage)."""

    year: int
    stage: str  # code/budget-stage notation
    stage_written: str
    figure: Figure


NUM = r"\d+(?:\s*[,.]\s*\d+)*"
"""A number as PDF text writes it (``2, 128. 6``)."""
AMOUNT_RE = re.compile(
    rf"(?<![\d.,])(?P<neg>[▲△]\s*)?(?P<num>{NUM})\s*(?P<unit>億円|百万円|千円|円)(?P<inner>\s*の内数)?"
)
DASHES = "—―-‐‑‒–−ー─━"
"""The dashes a table writes for no figure."""
DASH_CLASS = "".join(re.escape(c) for c in DASHES)


def find_figures(raw: str, line: int) -> list[Figure]:
    """All amounts with a unit in one line (``2, 128. 6億円``, ``８３４．２億円``, ``1,584百万円``)."""
    if "円" not in raw:
        return []
    norm, idx = nfkc_map(raw)
    out: list[Figure] = []
    for m in AMOUNT_RE.finditer(norm):
        num = re.sub(r"\s+", "", m.group("num"))
        if num.count(".") > 1:
            continue
        unit = m.group("unit")
        factor, notation = UNITS[unit]
        try:
            amount = nz.parse_amount(("-" if m.group("neg") else "") + num, factor)
        except nz.NormalizeError:
            continue
        s, e = m.start(), m.end("unit")
        written = raw[idx[s] : idx[e - 1] + 1]
        decimals = len(num.split(".", 1)[1]) if "." in num else 0
        approx = norm[max(0, s - 1) : s] == "約"
        out.append(Figure(amount, written, notation, factor, decimals, line, s, bool(m.group("inner")), approx))
    return out


def parse_cell(raw: str, line: int) -> Figure | str | None:
    """A table cell: a :class:`Figure`, ``None`` for a dash/blank (no figure), or the cell text if unreadable."""
    text = plain(raw)
    text = text.strip("()（） \u3000")
    if not text or all(ch in DASHES or ch.isspace() for ch in text):
        return None
    figs = find_figures(raw, line)
    if len(figs) == 1 and not figs[0].inner:
        rest = AMOUNT_RE.sub("", nz.nfkc(text)).strip("()（） \u3000")
        if not rest:
            return figs[0]
    return raw.strip()


def main_unit(figs: Sequence[Figure]) -> str:
    """The unit most figures are written in (億円 when there are none)."""
    counts: dict[str, int] = {}
    for f in figs:
        counts[f.unit] = counts.get(f.unit, 0) + 1
    return max(sorted(counts), key=lambda u: counts[u]) if counts else "hundred-million-yen"


def consistent(a: Figure | Decimal, b: Figure) -> bool:
    """True if two figures agree within the precision written (23億円 ≈ 23.4億円; 1,584百万円 ≈ 15.8億円)."""
    if isinstance(a, Figure):
        tol = max(a.tolerance, b.tolerance)
        return abs(a.amount - b.amount) <= tol
    return abs(a - b.amount) <= b.tolerance


# -- budget labels ----------------------------------------------------------------------------------------------
_STAGE_WORDS = r"(?:第?\s*[\d一二三四五]\s*次\s*|当初|補正|概算|予算|要求|政府案|案|額|\s)*"
LABEL_RE = re.compile(
    r"(?:(?P<era>令和|平成|R|H)\s*(?P<y>元|\d{1,2})|(?P<rel>前|本|今|翌)|(?<![\d年])(?P<g>\d{4})|(?<![\d和成])(?P<y2>\d{1,2}))"
    rf"\s*年度\s*(?P<stage>{_STAGE_WORDS})"
)
_ORDINAL = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


@dataclass(frozen=True, slots=True)
class Label:
    """A budget label: the fiscal year and stage it names (``令和5年度 補正予算`` → 2023, supplementary)."""

    year: int
    stage: str  # code/budget-stage notation
    written: str
    line: int
    start: int = 0
    end: int = 0


def stage_of(words: str) -> str | None:
    """The budget stage named by the words after ``…年度`` (None if they name none)."""
    w = re.sub(r"\s+", "", words)
    if "要求" in w:
        return "request"
    if "補正" in w:
        m = re.search(r"([\d一二三四五])次", w)
        if m:
            n = _ORDINAL.get(m.group(1)) or int(m.group(1))
            return f"supplementary-{n}"
        return "supplementary"
    if any(k in w for k in ("当初", "予算", "政府案")):
        return "initial"
    return None


def find_labels(raw: str, line: int, fy: int | None, era: str = "令和") -> list[Label]:
    """All budget labels in one line; ``fy`` resolves 前年度/本年度 and years written without era (``6年度``)."""
    if "年度" not in raw:
        return []
    norm, idx = nfkc_map(raw)
    out: list[Label] = []
    for m in LABEL_RE.finditer(norm):
        stage = stage_of(m.group("stage"))
        if stage is None:
            continue
        try:
            if m.group("era"):
                e = {"R": "令和", "H": "平成"}.get(m.group("era"), m.group("era"))
                year = nz.era_year(e, m.group("y"))
            elif m.group("g"):
                year = int(m.group("g"))
            elif m.group("y2"):
                year = nz.era_year(era, m.group("y2"))
            else:
                if fy is None:
                    continue
                year = fy - 1 if m.group("rel") == "前" else fy + 1 if m.group("rel") == "翌" else fy
        except nz.NormalizeError:
            continue
        end = m.end("stage")
        while end > m.start() and norm[end - 1].isspace():
            end -= 1
        written = raw[idx[m.start()] : idx[end - 1] + 1]
        out.append(Label(year, stage, written, line, m.start(), end))
    return out


def column_label(text: str, line: int, fy: int | None = None) -> Label | None:
    """A table header cell that is exactly one budget label (``令和6年度 当初予算``), else None."""
    p = plain(text)
    labels = find_labels(p, line, fy)
    if len(labels) != 1:
        return None
    lab = labels[0]
    rest = (p[: lab.start] + p[lab.end :]).strip(" ()（）")
    return lab if not rest else None


# -- statements: labels paired with figures ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Statement:
    """A figure with the budget label it belongs to (``None`` when the text gives none) and its bracket state."""

    figure: Figure
    label: Label | None
    parenthesised: bool


def _open_paren(text: str, pos: int) -> bool:
    before = text[:pos]
    opened = max(before.rfind("("), before.rfind("（"))
    closed = max(before.rfind(")"), before.rfind("）"))
    return opened > closed


def is_prose(raw: str) -> bool:
    """True for a sentence (ends with 。, or long once figures and labels are removed)."""
    p = plain(raw)
    if "。" in p:
        return True
    rest = AMOUNT_RE.sub("", p)
    rest = LABEL_RE.sub("", rest)
    rest = re.sub(r"[\s()（）:：、,・<>＜＞【】\[\]]", "", rest)
    return len(rest) > 40


def statement_view(raw: str) -> str | None:
    """The part of a line that can state figures: the whole line unless it is prose; for a line holding a sentence
    and then a figure (``…を進める。 令和２年度予算政府案：３３．９億円``), the text after the last 。 (the sentence
    blanked out, so positions stay)."""
    if "。" in raw:
        head, _, tail = raw.rpartition("。")
        if tail.strip() and find_figures(tail, 0) and not is_prose(tail):
            return " " * (len(head) + 1) + tail
        return None
    return None if is_prose(raw) else raw


def pair_statements(lines: Sequence[str], numbers: Iterable[int], fy: int | None, era: str) -> list[Statement]:
    """Pair the labels and figures of the given lines (prose skipped, see :func:`statement_view`): a figure takes
    the nearest unpaired label before it (≤ 3 lines, no figure between), else the label right after it (≤ 2
    lines) when that label has no figure of its own.  A label left without a figure states nothing."""
    tokens: list[tuple[int, int, Label | Figure]] = []
    texts: dict[int, str] = {}
    for n in numbers:
        raw = statement_view(lines[n - 1])
        if raw is None:
            continue
        norm = nz.nfkc(raw)
        texts[n] = norm
        for lab in find_labels(raw, n, fy, era):
            tokens.append((n, lab.start, lab))
        for fig in find_figures(raw, n):
            tokens.append((n, fig.start, fig))
    tokens.sort(key=lambda x: (x[0], x[1]))
    paired: set[int] = set()
    out: list[Statement] = []
    for i, (n, _, tok) in enumerate(tokens):
        if not isinstance(tok, Figure):
            continue
        label: Label | None = None
        if i > 0:
            pn, _, prev = tokens[i - 1]
            if isinstance(prev, Label) and (i - 1) not in paired and n - pn <= 3:
                label = prev
                paired.add(i - 1)
        if label is None and i + 1 < len(tokens):
            nn, _, nxt = tokens[i + 1]
            own = i + 2 < len(tokens) and isinstance(tokens[i + 2][2], Figure) and tokens[i + 2][0] - nn <= 3
            if isinstance(nxt, Label) and (i + 1) not in paired and 0 <= nn - n <= 2 and not own:
                label = nxt
                paired.add(i + 1)
        anchor = label if label is not None else tok
        paren = _open_paren(texts[anchor.line], anchor.start)
        out.append(Statement(tok, label, paren))
    return out


def candidates(stmts: Sequence[Statement], cells_of: Iterable[tuple[int, Sequence[BudgetCell]]]) -> set[int]:
    """The items (by number) whose figures agree with every labelled figure of a block that they can be compared
    with (at least one); ``cells_of`` gives each item's number and budget cells."""
    labelled = [s for s in stmts if s.label is not None and not s.figure.inner]
    out: set[int] = set()
    if not labelled:
        return out
    for number, item_cells in cells_of:
        cells = {(c.year, c.stage): c.figure for c in item_cells}
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
            out.add(number)
    return out


# -- load issues ---------------------------------------------------------------------------------------------------
def figure_issue(
    fig: Figure, raw: str, reason: str, severity: Severity = "info", code_: str = "figure-not-mapped"
) -> LoadIssue:
    """A figure that is not mapped, with its line as written."""
    return LoadIssue(code_, reason, severity, line=fig.line, value=nz.clean(raw) or raw)


def text_not_mapped_issue(lines: Sequence[str], numbers: Sequence[int]) -> LoadIssue | None:
    """One info issue listing the lines of narrative text (no figures) that no record maps."""
    keep = [n for n in numbers if plain(lines[n - 1]) and not re.fullmatch(r"\d{1,3}", plain(lines[n - 1]))]
    if not keep:
        return None
    return narrative_issue(keep)


def narrative_issue(keep: Sequence[int]) -> LoadIssue:
    """The info issue for the given lines of narrative text that are not mapped."""
    return LoadIssue(
        "text-not-mapped",
        f"{len(keep)} lines of narrative text, captions and diagram labels (no budget figures) are not mapped "
        f"(lines {common.describe_ranges(keep)})",
        "info",
        line=keep[0],
    )
