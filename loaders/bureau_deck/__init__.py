"""Loader ``bureau_deck``: a MIC regional bureau's deck on the ministry's budget requests (text extraction).

A 総合通信局 deck (``総務省の地域情報化支援施策について`` / ``令和６年度地域情報化関連施策資料（概算要求）``) lists the
ministry's main budget requests under numbered policy headings (``１ デジタル基盤整備`` … ``５ サイバーセキュリティ
の確保``), first without figures (overview), then with them (``○光ファイバの整備の推進 66.9億円(45.4億円)``: request
for the deck's fiscal year, and in brackets the previous year's budget, as the legend ``（ ）は令和５年度予算`` says),
then one detail page per measure, where a measure is split into programs (``・高度無線環境整備推進事業``,
``②実践的サイバー防御演習（CYDER）``) with their own figures (``令和６年度要求額 850百万円``) and key facts.

Read by structure, so any bureau's deck of any year loads the same way:

* the document: title, date (``令和5年10月17日`` → 2023-10-17), bureau (``四国総合通信局``, an org unit under the
  ministry named in the title), fiscal year (the ``…年度…概算要求`` phrase);
* policy headings: a line ``N name`` (full- or half-width digit, not a circled one) followed by ``○``/``◎`` lines,
  one SKOS concept per number (other spellings of the same heading become ``skos:altLabel``);
* measures: ``○`` continuing / ``◎`` new (``cbkg:isNew``), the name possibly running over the next line; the same
  measure in the overview, the list and the detail pages is one node (names compared without spaces, brackets and
  の; a one-character difference such as 推進/促進 is merged and reported);
* programs of a measure (``・…``, ``①…`` right under a ``○`` line of a detail page) with ``cbkg:parentItem``;
  acronyms in brackets (``（CYDER）``) or defined on the program's page next to its name (``地域SECUNITY``) become
  ``cbkg:programAcronym``;
* figures: the list's request and previous-year budget, and the detail pages' figures of the same measure (a page
  belongs to the measure its title names, else to the one measure its figures fit).  ``事項要求`` (a request without
  an amount) is kept with the figure as written and reported.

Budget figures are budget lines in the cube ``micdeck{FY}`` (``cbkg:summaryItem`` → measure), amounts in yen with
the figure and unit as written.

The package: :mod:`.records` (typed records), :mod:`.parse` (text → records and load issues), :mod:`.mapping`
(records → triples).  What the decks share with the NISC summaries is in :mod:`loaders.budget_doc`.
"""

from __future__ import annotations

from pathlib import Path

from ..base import SourceUnit
from ..budget_doc.text import head_lines, head_text
from .mapping import declarations, to_triples
from .parse import BUREAUS, bureau_of, bureau_slug, fiscal_year, is_deck, parse, parse_lines
from .records import DeckArea, DeckDoc, Measure, MeasureFact, MeasureFigure

NAME = "bureau_deck"
VERSION = "1.0.0"
TITLE = "MIC regional bureau deck on budget requests (総合通信局 概算要求資料, text)"
__all__ = [
    "BUREAUS",
    "NAME",
    "TITLE",
    "VERSION",
    "DeckArea",
    "DeckDoc",
    "Measure",
    "MeasureFact",
    "MeasureFigure",
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
    """True for a bureau deck: a 総合通信局 named in the first lines, 概算要求, and ○/◎ measures with figures."""
    return is_deck(head_text(head))


def units(path: Path) -> list[SourceUnit]:
    """One unit per file."""
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file size."""
    return float(unit.size())


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``mic-deck/{bureau}/{FY}``: a newer deck of the same bureau and year replaces the previous load."""
    lines = head_lines(head)
    fy = fiscal_year(lines)
    return f"mic-deck/{bureau_slug(bureau_of(lines))}/{fy if fy is not None else 'unknown'}"
