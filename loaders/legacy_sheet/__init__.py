"""Loader ``legacy_sheet``: a pre-RS 行政事業レビューシート (平成 era, PDF) as extracted text.

The PDF's text comes out in drawing order, not reading order: a label and its value may be far apart, table
cells are scattered and rows are cut.  This loader therefore reads only what is tied together *in the text*
and reports the rest:

* the header ``平成２９年度行政事業レビューシート 総務省`` (review year, era → Gregorian, and ministry);
* ``事業番号 0051`` (label and value on one line) → the canonical number ``2017-総務-0051``
  (:class:`loaders.normalize.ProgramNumber`); the sheet is ``id/sheet/{year}/n/{number}`` with
  ``cbkg:reviewSheetNumber`` and no ``cbkg:program`` (identity resolution links it to a program later);
* the first table row as one line, ``{事業名} 担当部局庁 {局} 作成責任者 [{name}]``, and ``担当課室 {室} [{name}]``
  (the 作成責任者 cell spans the 担当課室 row when its label ends the first line);
* 事業開始年度 / 事業終了（予定）年度: an era year right after its label; for the start year, when its label was
  drawn elsewhere, the era year right before the 事業終了 label (the cell before it in the same row);
* 政策 / 施策 lines (label and value on one line);
* 根拠法令: the text block right after its label (``根拠法令（具体的な条項も記載）``), resolved by
  :func:`loaders.legal.resolve` into one citation node per cited law;
* 関係する計画、通知等: a block of lines each naming a plan with a bracketed era date (``…（平成27年9月）``), when
  exactly one such block exists; year-month dates stay in the name (no day is invented);
* budget rows (``当初予算 …``, ``執行額 …``) only where a budget header line (``26年度 27年度 28年度 29年度
  30年度要求``) gives as many year columns as the row has figures; amounts in the unit the sheet states (百万円);
* 支出先上位 payees: a 法人番号 on the same line as the payee name and/or the amount (``8000020130001 417``); a
  prefecture named alone on a line is paired with a local-government 法人番号 only when the number's embedded
  団体コード is that prefecture's (``…000020`` + ``13000`` + check digit = 東京都).

Everything else is a load issue: ``ambiguous-layout`` warnings for figures whose field or year the layout does
not tell (with the candidate values), ``not-mapped`` infos for fields present but not extracted (事業の目的,
事業概要, 点検・評価 …).  Provenance: every node cites the lines it was read from (RFC 5147 ``#line=``).

Modules: :mod:`.records` (the records), :mod:`.parse` (text → records and load issues), :mod:`.mapping` (records →
triples).
"""

from __future__ import annotations

from pathlib import Path

from ontology.registers import org_register

from .. import common
from .. import normalize as nz
from ..base import SourceUnit
from ..rs_values import decode
from .mapping import dataset_key, declarations, to_triples
from .parse import HEADER, parse, read_lines, sheet_header, sheet_numbers
from .records import BudgetColumn, Citation, Organisation, Payee, PlanRef, PolicyRef, Sheet, SheetField

NAME = "legacy_sheet"
VERSION = "1.1.0"
TITLE = "Legacy administrative review sheet (行政事業レビューシート, 平成 era) as PDF text extraction"
__all__ = [
    "NAME",
    "TITLE",
    "VERSION",
    "BudgetColumn",
    "Citation",
    "Organisation",
    "Payee",
    "PlanRef",
    "PolicyRef",
    "Sheet",
    "SheetField",
    "cost",
    "dataset_key",
    "declarations",
    "detect",
    "graph_key",
    "nz",
    "parse",
    "to_triples",
    "units",
]


_MARKERS = ("事業番号", "事業名", "担当部局庁", "根拠法令", "事業開始年度", "予算額・", "支出先上位", "作成責任者")


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for the text of a legacy review sheet: the ``平成NN年度行政事業レビューシート`` header, at least four of
    the sheet's labels (事業番号, 担当部局庁, 根拠法令 …), and running text rather than tab-separated cells."""
    text = nz.nfkc(head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="ignore"))
    if not HEADER.search(text):
        return False
    lines = [ln for ln in text.split("\n") if ln.strip()]
    tabbed = sum(1 for ln in lines if "\t" in ln)
    return tabbed <= max(2, len(lines) // 20) and sum(1 for m in _MARKERS if m in text) >= 4


def units(path: Path) -> list[SourceUnit]:
    """One unit: the file."""
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file size."""
    return float(unit.size())


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``legacy-sheet/{review year}/{ministry slug}/{事業番号}`` (ASCII: 新 is ``shin``), or
    ``legacy-sheet/unknown/{sha256 prefix}`` when the sheet cannot be identified."""
    with unit.open() as fh:
        text, _ = decode(fh.read())
    lines = read_lines(text)
    head_info = sheet_header(lines)
    numbers = sheet_numbers(lines)
    if head_info is None or len(numbers) != 1:
        return f"legacy-sheet/unknown/{unit.sha256()[:16]}"
    year, _, ministry, _ = head_info
    entry = org_register().resolve(ministry)
    slug = entry.slug if entry else "x-" + common.short_hash(ministry or "", length=12)
    pn = next(iter(numbers))
    series = f"{pn.series:02d}-" if pn.series is not None else ""
    return f"legacy-sheet/{year}/{slug}/{'shin' if pn.new else ''}{series}{pn.number}"
