"""Loader ``nisc_summary``: NISC summaries of the government cybersecurity budget (text extractions of the PDFs).

A summary (政府のサイバーセキュリティに関する予算) gives the overall total of one fiscal year with a comparison,
a table of the main programs by strategy area (``(1)`` … ``(5)``; one ``【省庁】`` row per program, one column per
budget: ``令和6年度 当初予算`` | ``令和5年度 補正予算`` | …) and, after the table, one description page per program.
Everything is read by structure, never by line numbers, so another year's summary loads the same way:

* **columns** — a header line whose tab-separated cells are budget labels, or (jumbled PDF text) a run of
  two-line labels ``令和２年度`` / ``予算政府案`` anywhere in the file.  Rows with fewer figures than columns are
  read into the non-supplementary columns when the counts fit exactly (a ``column-inferred`` warning);
* **items** — ``【省庁】name  cells`` (tab- or space-separated; the name may run over several lines), each under
  the last area row; ``—`` / ``－`` cells are no figure; the ministry is resolved with the organisation register
  (an abbreviation such as ``個人情報保護委`` by unique prefix, with a warning);
* **areas** — ``(n) name`` rows carrying one parenthesised total per column, or ``(n) name`` + ``(X億円：Y%)``
  (the share is checked against the headline total before the figure is read as that total);
* **totals** — the figures with budget labels before the first description page (``令和6年度予算額 2,128.6億円``,
  ``(令和5年度当初予算額 1,378.9億円)`` = the comparison);
* **descriptions** — split into blocks at headings, page breaks and lines naming an item; a block belongs to the
  item its heading names, else to the one item its figures fit (``令和6年度予算額1,584百万円`` ≈ 15.8億円), else to
  the previous block's item.  From a block: key facts (``(事業主体)``, ``(補助率)``, ``(計画年度)``,
  ``(事業スキーム)``, ``(補助対象)``), legal articles cited (``第26条①2``, ``サイバーセキュリティ基本法第31条第1項``,
  resolved with :mod:`loaders.legal` against the law named next to the article or in the item's pages), and
  figures for budgets the table does not have (``令和4年度二次補正 2,000百万円``).

Amounts are exact yen (``億円`` × 10⁸, ``百万円`` × 10⁶, ``千円`` × 10³) with the figure as written.  Nothing is
dropped silently: figures that are not mapped become load issues (one per figure); narrative text without figures
is summarised in one ``text-not-mapped`` issue per document.

The package: :mod:`.records` (typed records), :mod:`.table` and :mod:`.parse` (text → records and load issues),
:mod:`.mapping` (records → triples).  What the NISC summaries share with the bureau decks (reading text, figures,
budget labels, names, key facts, legal citations) is in :mod:`loaders.budget_doc`.
"""

from __future__ import annotations

from pathlib import Path

from ..base import SourceUnit
from ..budget_doc.figures import BudgetCell
from ..budget_doc.text import head_lines, head_text
from .mapping import declarations, to_triples
from .parse import fy_from_text, is_summary, parse, parse_lines
from .records import Area, Item, ItemCitation, ItemFact, ItemFigure, SummaryDoc, Total

NAME = "nisc_summary"
VERSION = "1.0.0"
TITLE = "NISC summary of the government cybersecurity budget (政府のサイバーセキュリティに関する予算, text)"
__all__ = [
    "NAME",
    "TITLE",
    "VERSION",
    "Area",
    "BudgetCell",
    "Item",
    "ItemCitation",
    "ItemFact",
    "ItemFigure",
    "SummaryDoc",
    "Total",
    "cost",
    "declarations",
    "detect",
    "graph_key",
    "parse",
    "parse_lines",
    "to_triples",
    "units",
]


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for a NISC budget summary: the phrase サイバーセキュリティに関する予算 and ≥ 2 ``【省庁】`` rows."""
    return is_summary(head_text(head))


def units(path: Path) -> list[SourceUnit]:
    """One unit per file."""
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file size."""
    return float(unit.size())


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``nisc/cyber-budget/{FY}``: another file of the same year replaces the previous load."""
    fy = fy_from_text(head_lines(head))
    return f"nisc/cyber-budget/{fy if fy is not None else 'unknown'}"
