"""The records ``parse`` yields for one RS single-sheet export.

Besides these, the sheet's groups become :class:`~loaders.rs_model.records.RsRecord` records of the equivalent
RS tables (mapped like the bulk CSV's rows) and load issues.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..base import LoadIssue
from ..rs_model.records import RsRecord

__all__ = ["Block", "BudgetColumn", "Derivation", "Figure", "Record", "RsRecord", "SheetInfo"]


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """The first record: which sheet the file is (事業年度, 予算事業ID as written and canonical, 事業名)."""

    year: int
    program_id: str
    program_id_as_written: str
    name: str | None
    line: int
    budget_unit: str | None = None
    """``code/unit`` notation of the budget table (予算額執行額表), when the file has one."""


@dataclass(frozen=True, slots=True)
class Figure:
    """One cell of the budget table: a stage's amount in yen as read from ``line`` (``raw`` as written)."""

    stage: str
    amount: Decimal
    raw: str
    line: int


@dataclass(frozen=True, slots=True)
class BudgetColumn:
    """One year column of 予算額執行額表: a budget line (account total) of the sheet and its figures.

    ``line`` is the table header's line (where the year column is defined); each figure has its own line.
    ``rate`` is 執行率 as a fraction (``0.1%`` → 0.001) with its raw text and line.
    """

    year: int
    program_id: str
    budget_year: int
    line: int
    unit: str
    figures: tuple[Figure, ...]
    rate: tuple[Decimal, str, int] | None = None


@dataclass(frozen=True, slots=True)
class Derivation:
    """A further line a payment (``sheet/payment/{n}``) was read from: the payee row of a payment whose contract
    details come from the next row."""

    year: int
    program_id: str
    payment: int
    line: int


@dataclass(frozen=True, slots=True)
class Block:
    """A spending block (支出先ブロック A, B …) of the sheet: its letter and name (the 5-2 part of a block)."""

    year: int
    program_id: str
    letter: str
    name: str | None
    line: int


Record = SheetInfo | RsRecord | BudgetColumn | Block | Derivation | LoadIssue
"""What :func:`loaders.rs_sheet.parse.parse` yields."""
