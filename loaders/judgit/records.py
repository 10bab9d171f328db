"""The records of a JUDGIT! sheet: typed, with every value already read (amounts in yen, years, codes)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ontology.terms import IRI

Figure = tuple[str, Decimal, str]
"""``(budget-stage notation, amount in yen, figure as written)``.  The amount is signed as RS has it: JUDGIT's
翌年度へ繰越し is negative (it is subtracted to give 予算計), its amount here is positive; the figure is as written."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """The sheet itself (the first record of a file).  ``key`` is the canonical 事業番号 (IRI key).

    ``methods`` are the 実施方法 as written, ``method_codes`` their ``code/implementation-method`` concepts, one
    for each (None when the label is not in the code list); ``blocks`` the letters of the payee blocks, in the
    order met."""

    year: int
    key: str
    number_as_written: str | None
    name: str | None = None
    ministry: str | None = None
    bureau: str | None = None
    division: str | None = None
    official: str | None = None
    purpose: str | None = None
    overview: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    account_classes: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    method_codes: tuple[IRI | None, ...] = ()
    major_policies: tuple[str, ...] = ()
    no_target_reason: str | None = None
    url: str | None = None
    record_id: str | None = None
    program_id: str | None = None
    blocks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Budget:
    """One 予算 entry: the sheet's total (all accounts) for one 年度, one figure per budget stage."""

    year: int
    key: str
    index: int
    budget_year: int
    line_key: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True, slots=True)
class Expense:
    """One 支出先 entry (a payee of a block, with the amount paid in its 年度)."""

    year: int
    key: str
    index: int
    budget_year: int | None = None
    block: str | None = None
    rank: int | None = None
    payee: str | None = None
    corporate_number: str | None = None
    corporate_number_as_written: str | None = None
    summary: str | None = None
    amount: Decimal | None = None
    amount_as_written: str | None = None


IndicatorPoint = tuple[str, int | None, Decimal | None, str, str]
"""``(value kind as written, year, value, value as written, JSON Pointer)``."""


@dataclass(frozen=True, slots=True)
class Indicator:
    """One アウトカム (``outcome``) or アウトプット (``output``) entry with its yearly values."""

    year: int
    key: str
    kind: str
    index: int
    pointer: str
    name: str | None = None
    statement: str | None = None
    unit: str | None = None
    values: tuple[IndicatorPoint, ...] = ()


@dataclass(frozen=True, slots=True)
class PreviousSheet:
    """One 関連する過去のレビューシート entry: the number of an earlier sheet of the same program.

    ``number`` is canonical when it could be read (else as written); ``sheet_year``/``sheet_key`` identify the
    earlier sheet's IRI when both are known."""

    year: int
    key: str
    index: int
    number: str
    sheet_year: int | None = None
    sheet_key: str | None = None


Record = Sheet | Budget | Expense | Indicator | PreviousSheet
"""What :func:`loaders.judgit.parse` yields besides load issues."""
