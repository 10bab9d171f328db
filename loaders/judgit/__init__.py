"""Loader ``judgit``: review sheets from 行政事業レビューシートLOD (JUDGIT!), one JSON object per sheet.

The files (公開年度 2015–2022) hold the main items of an administrative review sheet: 事業名, 府省庁, 事業番号
(``0013`` and ``新28-0016`` up to 2020, ``2022-文科-21-0234`` from 2021), 担当部局庁, 担当課室, 予算 per 年度 (in
百万円), 支出先 (the top payees per block, 百万円), アウトカム / アウトプット and 関連する過去のレビューシート.  A file
is recognised by its content (a JSON object with 事業名, 府省庁 and 予算 or 事業番号), never by its name.

Values come in several shapes across the years and exports: JSON lists and objects, Python-repr strings of them
(``"['一般会計']"``, ``"[{'年度': 2019, '当初予算': nan}]"``, read with :func:`ast.literal_eval`, never
``eval``), ``null`` and the strings ``'None'`` / ``'nan'`` / ``''`` (missing).  ``parse`` reads what it can and
yields a :class:`~loaders.base.LoadIssue` (with the JSON Pointer of the value as ``column`` and the raw value)
for everything else; it never guesses.

Identity:

* the sheet is ``id/sheet/{公開年度}/n/{key}`` (:meth:`Minter.review_sheet`), ``key`` the canonical 事業番号
  (:meth:`loaders.normalize.ProgramNumber.key`).  Numbers written without a ministry (``0013``, ``新28-0016``,
  up to 2020) are qualified with the ministry's 事業番号 abbreviation (``官房-0013``, ``文科-新28-0016``):
  each ministry numbers its own sheets, so ``新02-0003`` is both a 外務省 and a 防衛省 sheet of 2020.  A
  one-digit branch that :func:`~loaders.normalize.parse_program_numbers` does not read (``2022-外務-21-0085-1``)
  is kept as written in the number (``0085-1``).
* which RS program a sheet belongs to is decided by identity resolution (from its number, its previous numbers,
  its JUDGIT 事業ID and its name), not here: no ``cbkg:program`` is stated.
* graph key ``judgit/{公開年度}/{key, percent-encoded}``.

Mapping (the vocabulary of ``rs_csv`` wherever the concepts coincide):

* the sheet: ``cbkg:ProgramSheet`` with its label, year, number (``cbkg:reviewSheetNumber``, and
  ``…AsWritten`` when different), texts, years, organisation (``cbkg:ministry``/``cbkg:responsibleUnit``),
  implementation methods (code list), 主要施策 (``cbkg:majorPolicy``), 会計区分 (``cbkg:accountClassAsWritten``),
  JUDGIT ids, and ``cbkg:previousReviewSheet`` (+ ``…Iri`` when the earlier sheet's year is known);
* 予算: one ``cbkg:BudgetLine`` per entry in the cube ``id/dataset/judgit{公開年度}-budget`` (account ``total``),
  one observation per non-empty stage, amounts in yen (百万円 × 10⁶, exact) with the figure as written;
* 支出先: one ``cbkg:ExpenseItem`` per entry (payee by valid 法人番号, else sheet-scoped), in its block;
* アウトカム / アウトプット: a ``cbkg:Outcome`` / ``cbkg:Output`` element with one ``cbkg:Indicator`` and its
  ``cbkg:IndicatorValue`` per year and kind (成果実績, 目標値, 活動実績, 当初見込み, 目標値（目標最終年度）).

Provenance: the sheet is derived from the whole file; every other node from an RFC 6901 JSON Pointer fragment of
it (``#/予算/2``, ``#/支出先/14``, ``#/アウトカム/0/成果実績/1``), percent-encoded to be a valid IRI.

The package: :mod:`.records` (the typed records), :mod:`.values` (reading JSON values), :mod:`.parse` (file →
records and load issues), :mod:`.mapping` (records → triples, pure).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from ..base import SourceUnit
from . import parse as _parse
from .mapping import declarations, to_triples
from .parse import canonical_number, parse
from .records import Budget, Expense, Indicator, PreviousSheet, Sheet

NAME = "judgit"
VERSION = "1.0.0"
TITLE = "JUDGIT! review-sheet JSON (行政事業レビューシートLOD, 公開年度 2015–2022)"
__all__ = [
    "NAME",
    "TITLE",
    "VERSION",
    "Budget",
    "Expense",
    "Indicator",
    "PreviousSheet",
    "Sheet",
    "canonical_number",
    "cost",
    "declarations",
    "detect",
    "graph_key",
    "parse",
    "to_triples",
    "units",
]


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for a JSON object with the keys 事業名, 府省庁 and 予算 or 事業番号 (a JUDGIT! review sheet)."""
    return _parse.sniff(unit, head)


def units(path: Path) -> list[SourceUnit]:
    """One unit per file."""
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file size."""
    return float(unit.size())


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``judgit/{公開年度}/{canonical 事業番号}`` (percent-encoded): a new file for the same sheet replaces it."""
    doc = _parse.read(unit)
    return f"judgit/{doc.year}/{quote(doc.key, safe='-')}"
