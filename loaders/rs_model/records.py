"""The record of one RS-table row, as the bulk CSV (``rs_csv``) and the single-sheet export (``rs_sheet``) read it.

Both loaders describe a program's sheet with the column keys of the RS tables (``1-1`` 組織情報 … ``6-1``
その他備考), so one mapping (:mod:`loaders.rs_model.mapping`) serves both.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import normalize as nz
from ..legal import ResolvedCitation
from ..rs_values import Value

SUMMARY_STAGES = (
    ("当初予算（合計）", "initial"),
    ("補正予算（合計）", "supplementary"),
    ("前年度からの繰越し（合計）", "carried-over-in"),
    ("予備費等（合計）", "reserve"),
    ("計（歳出予算現額合計）", "current"),
    ("執行額（合計）", "executed"),
    ("翌年度への繰越し(合計）", "carried-over-out"),
    ("翌年度要求額（合計）", "next-year-request"),
)
"""The 2-1 sheet-total columns (header, ``code/budget-stage`` notation): values ``s:{stage}`` of a record."""
ACCOUNT_STAGES = (
    ("当初予算", "initial"),
    ("第1次補正予算", "supplementary-1"),
    ("第2次補正予算", "supplementary-2"),
    ("第3次補正予算", "supplementary-3"),
    ("第4次補正予算", "supplementary-4"),
    ("第5次補正予算", "supplementary-5"),
    ("前年度から繰越し", "carried-over-in"),
    ("予備費等1", "reserve-1"),
    ("予備費等2", "reserve-2"),
    ("予備費等3", "reserve-3"),
    ("予備費等4", "reserve-4"),
    ("歳出予算現額", "current"),
    ("執行額", "executed"),
    ("翌年度要求額", "next-year-request"),
    ("要望額", "priority-request"),
)
"""The 2-1 per-account columns (header, ``code/budget-stage`` notation): values ``a:{stage}`` of a record."""


@dataclass(frozen=True, slots=True)
class IndicatorPoint:
    """One year's value of a 3-1 indicator row: as written, and as a number when it is one."""

    year: int
    written: str
    value: Decimal | None


@dataclass(frozen=True, slots=True)
class RsRecord:
    """One row of an RS table with typed values.

    ``row`` is the RFC 7111 record number (header = 1) — for a text export, the line — and ``line`` the physical
    line where it starts; ``ordinal`` its position among this program's rows in this file (used for stable
    sheet-scoped IRIs); ``seq`` numbers the rows of one 2-1 account and 予算年度.  ``v`` holds the converted values
    of non-empty cells only (by column key), ``raw`` the cleaned source text of those cells.

    The other fields are read from ``v`` at parse time (:func:`loaders.rs_model.checks.check`): the resolved
    legal basis of a 1-3 row, the 旧事業番号 of a 1-2 row, the related 予算事業ID of a 1-5 row, the 補助率 of a 1-4
    row and the yearly values of a 3-1 indicator.
    """

    table: str
    row: int
    line: int
    year: int
    program_id: str
    ordinal: int
    v: dict[str, Value]
    raw: dict[str, str]
    seq: int = 1
    citations: tuple[ResolvedCitation, ...] = ()
    former_numbers: tuple[nz.ProgramNumber, ...] = ()
    related_id: str | None = None
    rate_written: str | None = None
    rate: Decimal | None = None
    indicator_values: tuple[IndicatorPoint, ...] = ()

    def text(self, key: str) -> str | None:
        """The text value of column ``key`` (None when empty)."""
        value = self.v.get(key)
        return value if isinstance(value, str) else None

    def number(self, key: str) -> int | None:
        """The integer (or year) value of column ``key`` (None when empty)."""
        value = self.v.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def amount(self, key: str) -> Decimal | None:
        """The amount (or ratio) value of column ``key`` (None when empty)."""
        value = self.v.get(key)
        return value if isinstance(value, Decimal) else None

    def flag(self, key: str) -> bool | None:
        """The boolean value of column ``key`` (None when empty)."""
        value = self.v.get(key)
        return value if isinstance(value, bool) else None
