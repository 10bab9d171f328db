"""The records of a bureau deck: typed, frozen, with every value parsed (the mapping only reads them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..base import LoadIssue
from ..budget_doc.facts import Fact
from ..budget_doc.figures import BudgetCell


@dataclass(frozen=True, slots=True)
class DeckDoc:
    """The deck: fiscal year of the requests, previous year, date, issuing bureau and ministry."""

    key: str
    fy: int | None
    prev_fy: int | None
    title: str
    subtitle: str | None
    date: dt.date | None
    bureau: str | None
    ministry: str | None
    lines: tuple[int, ...]
    unit: str  # code/unit notation


@dataclass(frozen=True, slots=True)
class DeckArea:
    """A policy heading (``５ サイバーセキュリティの確保``)."""

    doc: str
    number: int
    name: str
    alt_names: tuple[str, ...]
    lines: tuple[int, ...]
    first: bool = False  # the first heading: also states the scheme


@dataclass(frozen=True, slots=True)
class Measure:
    """A measure (○/◎) or a program listed under one, with the figures of the list."""

    doc: str
    fy: int
    number: int
    name: str
    area: int
    ministry: str | None
    lines: tuple[int, ...]
    is_new: bool | None = None  # ◎ new, ○ continuing
    parent: int | None = None  # the measure a program is listed under
    alt_names: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    cells: tuple[BudgetCell, ...] = ()


@dataclass(frozen=True, slots=True)
class MeasureFact:
    """A key fact of a measure read from its detail page."""

    doc: str
    measure: int
    fact: Fact


@dataclass(frozen=True, slots=True)
class MeasureFigure:
    """A detail-page figure of a measure for a budget the list does not give."""

    doc: str
    fy: int
    measure: int
    cell: BudgetCell


Record = DeckDoc | DeckArea | Measure | MeasureFact | MeasureFigure
"""A record of a deck (besides its load issues)."""
ParsedRecord = Record | LoadIssue
"""What :func:`loaders.bureau_deck.parse` yields."""
