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
(:class:`loaders.rs_model.records.RsRecord` with that table's column keys: 1-1 組織情報, 1-2 事業概要等,
1-3 政策・施策、法令、計画, 1-4 補助率等, 2-2 予算種別・歳出予算項目, 4-1 点検・評価, 5-1/5-3/5-4 支出先,
6-1 その他備考), mapped by :mod:`loaders.rs_model.mapping` as the bulk CSV's rows are; so the sheet of
事業年度 2026 read here and the sheet of 2024 read from the CSVs are described alike and share their program
(``id/program/{予算事業ID}``).  Provenance is the line a value was read from (RFC 5147 ``#line=``;
:class:`~.mapping.LineContext` makes the RS-table mapping cite lines instead of CSV rows).
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

Modules: :mod:`.records` (the records), :mod:`.document` (text → groups of cells), :mod:`.parse` (groups →
records and load issues), :mod:`.mapping` (records → triples).
"""

from __future__ import annotations

from pathlib import Path

from ..base import SourceUnit
from ..rs_values import decode
from .document import norm, read_document, sheet_identity, split_unit
from .mapping import LineContext, dataset_key, declarations, to_triples
from .parse import GROUP_HANDLERS, parse
from .records import Block, BudgetColumn, Derivation, Figure, SheetInfo

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
    "cost",
    "dataset_key",
    "declarations",
    "decode",
    "detect",
    "graph_key",
    "parse",
    "to_triples",
    "units",
]


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
        label, _ = split_unit(cells[0])
        if label in GROUP_HANDLERS:
            labels.add(label)
        if any(norm(c) == "予算事業ID" for c in cells):
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
    year, pid, _, _, _ = sheet_identity(read_document(text, GROUP_HANDLERS))
    if year is None or pid is None:
        return f"rs-sheet/unknown/{unit.sha256()[:16]}"
    return f"rs-sheet/{year}/{pid}"
