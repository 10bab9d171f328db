"""The records ``parse`` yields for one legacy review sheet (and load issues)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..base import LoadIssue
from ..legal import ResolvedCitation

__all__ = [
    "BudgetColumn",
    "BudgetCube",
    "Citation",
    "Figure",
    "Organisation",
    "Payee",
    "PlanRef",
    "PolicyRef",
    "Record",
    "Sheet",
    "SheetField",
    "SheetRecord",
]


@dataclass(frozen=True, slots=True)
class Sheet:
    """The first record: review year (Gregorian), canonical 事業番号 (the sheet's key), ministry as written."""

    year: int
    key: str
    number: str
    ministry: str | None
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SheetField:
    """A literal fact of the sheet (``cbkg:{prop}``) read from ``line``: 事業名, 開始/終了年度, 作成責任者."""

    year: int
    key: str
    prop: str
    value: str | int | bool
    line: int


@dataclass(frozen=True, slots=True)
class Organisation:
    """担当部局庁 / 担当課室 under the ministry (``cbkg:responsibleUnit``)."""

    year: int
    key: str
    ministry: str
    units: tuple[tuple[str, str], ...]
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PolicyRef:
    """政策 / 施策 the sheet serves."""

    year: int
    key: str
    ministry: str | None
    policy: str | None
    measure: str | None
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited law of 根拠法令 (free text), resolved."""

    year: int
    key: str
    n: int
    rc: ResolvedCitation
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PlanRef:
    """One plan of 関係する計画、通知等, as written."""

    year: int
    key: str
    n: int
    name: str
    line: int


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of the budget table: a stage's amount in yen as read from ``line`` (``raw`` as written)."""

    stage: str
    amount: Decimal
    raw: str
    line: int


@dataclass(frozen=True, slots=True)
class BudgetColumn:
    """One 予算年度 of the budget table (account total) with its figures in yen."""

    year: int
    key: str
    budget_year: int
    line: int
    figures: tuple[Figure, ...]
    rate: tuple[Decimal, str, int] | None = None


@dataclass(frozen=True, slots=True)
class Payee:
    """One payee of 支出先上位１０者リスト: name, 法人番号 (as written; ``valid`` after the check digit) and amount."""

    year: int
    key: str
    n: int
    name: str | None
    corporate_number: str | None
    valid: bool
    amount: Decimal | None
    raw_amount: str | None
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class BudgetCube:
    """The budget data cube of the legacy sheets of one review year (declared once per file)."""

    year: int
    unit: str


SheetRecord = Sheet | SheetField | Organisation | PolicyRef | Citation | PlanRef | BudgetColumn | Payee
"""The records that describe the sheet (all carry its review year and key)."""
Record = SheetRecord | BudgetCube | LoadIssue
"""What :func:`loaders.legacy_sheet.parse.parse` yields."""
