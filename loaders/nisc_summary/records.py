"""The records of a NISC budget summary: typed, frozen, with every value parsed (the mapping only reads them)."""

from __future__ import annotations

from dataclasses import dataclass

from ..base import LoadIssue
from ..budget_doc.basis import Cited
from ..budget_doc.facts import Fact
from ..budget_doc.figures import BudgetCell, Figure


@dataclass(frozen=True, slots=True)
class SummaryDoc:
    """The document: its fiscal year, title and the unit of its table."""

    key: str
    fy: int | None
    title: str
    lines: tuple[int, ...]
    unit: str  # code/unit notation


@dataclass(frozen=True, slots=True)
class Total:
    """A document total for one budget (``令和6年度予算額 2,128.6億円``)."""

    doc: str
    fy: int
    year: int
    stage: str
    stage_written: str
    figure: Figure
    lines: tuple[int, ...]
    compared_with: tuple[int, str] | None = None  # (year, stage) of the total this one is the comparison of


@dataclass(frozen=True, slots=True)
class Area:
    """A strategy area ``(n) name`` with its totals (one per column)."""

    doc: str
    fy: int
    number: int
    notation: str
    name: str
    lines: tuple[int, ...]
    totals: tuple[BudgetCell, ...] = ()
    first: bool = False  # the first area: also states the scheme


@dataclass(frozen=True, slots=True)
class Item:
    """A ``【省庁】`` program row with its figures."""

    doc: str
    fy: int
    number: int
    ministry_written: str
    ministry: str | None  # the register's name, None when the register does not know it
    name: str
    area: int | None
    lines: tuple[int, ...]
    cells: tuple[BudgetCell, ...] = ()


@dataclass(frozen=True, slots=True)
class ItemFact:
    """A key fact of an item read from its description page."""

    doc: str
    item: int
    fact: Fact


@dataclass(frozen=True, slots=True)
class ItemCitation:
    """A legal provision cited on an item's description page (``k``: its number among the item's citations)."""

    doc: str
    item: int
    k: int
    cited: Cited


@dataclass(frozen=True, slots=True)
class ItemFigure:
    """A figure on an item's description page for a budget the table does not give (e.g. an earlier 補正)."""

    doc: str
    fy: int
    item: int
    cell: BudgetCell


Record = SummaryDoc | Total | Area | Item | ItemFact | ItemCitation | ItemFigure
"""A record of a summary (besides its load issues)."""
ParsedRecord = Record | LoadIssue
"""What :func:`loaders.nisc_summary.parse` yields."""
