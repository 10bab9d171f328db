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
"""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ontology import codes
from ontology import terms as t
from ontology.iri import Minter, cbkg, code, key_text, short_hash
from ontology.namespaces import PROV, QB, RDFS
from ontology.registers import org_register
from ontology.terms import IRI, Triple

from . import common
from . import normalize as nz
from .base import LoaderError, LoadIssue, MapContext, SourceUnit, issue_triples

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

MILLION = 1_000_000
"""JUDGIT amounts (予算, 支出額) are in 百万円."""

# -- records ------------------------------------------------------------------------------------------------
Figure = tuple[str, Decimal, str]
"""``(budget-stage notation, amount in yen, figure as written)``."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """The sheet itself (the first record of a file).  ``key`` is the canonical 事業番号 (IRI key)."""

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


# -- vocabulary ---------------------------------------------------------------------------------------------
TYPE = t.RDF_TYPE
DERIVED = IRI(PROV + "wasDerivedFrom")
LABEL = IRI(RDFS + "label")
SEEALSO = IRI(RDFS + "seeAlso")
QB_SLICE = IRI(QB + "slice")
QB_SLICE_STRUCTURE = IRI(QB + "sliceStructure")
QB_OBSERVATION_P = IRI(QB + "observation")
P = cbkg
P_SHEET = P("sheet")
TOTAL_ACCOUNT = code("account", "total")

STAGES: dict[str, str] = {
    "当初予算": "initial",
    "補正予算": "supplementary",
    "前年度から繰越し": "carried-over-in",
    # JUDGIT writes 翌年度へ繰越し as a negative number (it is subtracted to give 予算計) where RS writes the
    # same stage as a positive amount; the amount is stored as RS has it, the figure as written (sourceFigure).
    "翌年度へ繰越し": "carried-over-out",
    "予備費等": "reserve",
    "予算計": "current",
    "執行額": "executed",
    "要求額": "request",  # the amount requested for that 年度 (not RS's 翌年度要求額)
}
"""JUDGIT 予算 keys → ``code/budget-stage`` notations (other keys are looked up in the code list by label)."""

METHOD_FALLBACK: dict[str, str] = {"委託・請負": "contract"}
"""JUDGIT 実施方法 labels not (yet) in ``codes.ttl`` → ``code/implementation-method`` notations.  The code
list is consulted first; this table only covers the old sheets' 委託・請負 (RS 2024 has no such box)."""

FINAL_TARGET = "目標値（目標最終年度）"
"""Value kind of an outcome's 目標値 for its 目標最終年度 (kept apart from the per-year 目標値)."""

SHEET_KEYS = frozenset(
    {
        "ID",
        "事業ID",
        "url",
        "公開年度",
        "事業名",
        "開始年度",
        "終了年度",
        "府省庁",
        "事業番号",
        "事業番号1",
        "事業番号2",
        "事業番号3",
        "事業番号4",
        "事業番号5",
        "担当部局庁",
        "担当課室",
        "作成責任者",
        "会計区分",
        "事業目的",
        "事業概要",
        "実施方法",
        "主要施策",
        "予算",
        "支出先",
        "アウトカム",
        "定量的な目標が設定できない理由",
        "アウトプット",
        "関連する過去のレビューシート",
    }
)
EXPENSE_KEYS = frozenset({"年度", "グループ", "番号", "支出先名", "法人番号", "業務概要", "支出額"})
PREVIOUS_KEYS = frozenset({"年度", "府省庁", "事業番号", *(f"事業番号{i}" for i in range(1, 6))})


@dataclass(frozen=True)
class _IndicatorSpec:
    kind: str
    texts: dict[str, str]  # JSON key → Indicator field
    series: str  # key of the yearly list
    final: tuple[str, str] | None = None  # (target key, target-year key)


INDICATORS = {
    "アウトカム": _IndicatorSpec(
        "outcome", {"成果指標": "name", "成果目標": "statement", "単位": "unit"}, "成果実績", ("目標値", "目標最終年度")
    ),
    "アウトプット": _IndicatorSpec("output", {"活動指標": "name", "単位": "unit"}, "活動実績"),
}
"""How the two indicator lists are read.  Every key of a yearly entry other than 年度 is a value kind."""


# -- JSON pointers ------------------------------------------------------------------------------------------
def pointer(*tokens: str | int) -> str:
    """An RFC 6901 JSON Pointer as people read it (``/予算/2/当初予算``)."""
    return "".join("/" + str(tok).replace("~", "~0").replace("/", "~1") for tok in tokens)


def _fragment(ptr: str) -> str:
    return quote(ptr, safe="/()=:@!$&'*+,;-._~?")


def _at(ctx: MapContext, ptr: str) -> IRI:
    """The IRI of a JSON value of the source (``{source}#/予算/2``, percent-encoded)."""
    return IRI(f"{ctx.source}#{_fragment(ptr)}")


# -- detection ----------------------------------------------------------------------------------------------
_BOM = b"\xef\xbb\xbf"
_HEAD_SIZE = 65536
_MAX_DETECT = 64 << 20  # bytes read at most when the keys are not all in the first 64 KiB


def _key_pattern(key: str) -> re.Pattern[str]:
    escaped = json.dumps(key)[1:-1]  # \uXXXX form of an ensure_ascii export
    forms = {re.escape(key), re.escape(escaped)}
    return re.compile(r'"(?:' + "|".join(sorted(forms)) + r')"\s*:', re.I)


_DETECT_KEYS = {k: _key_pattern(k) for k in ("事業名", "府省庁", "予算", "事業番号")}


def _is_sheet(obj: Any) -> bool:
    return isinstance(obj, dict) and "事業名" in obj and "府省庁" in obj and ("予算" in obj or "事業番号" in obj)


def _strip_bom(data: bytes) -> bytes:
    while data.startswith(_BOM):
        data = data[len(_BOM) :]
    return data


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for a JSON object with the keys 事業名, 府省庁 and 予算 or 事業番号 (a JUDGIT! review sheet)."""
    text = _strip_bom(head).decode("utf-8", errors="ignore").lstrip()
    if not text.startswith("{"):
        return False
    if len(head) < _HEAD_SIZE:  # the whole file: decide on the parsed document
        try:
            return _is_sheet(json.loads(text, parse_float=Decimal))
        except (ValueError, RecursionError):
            pass  # malformed: judge by the keys, so that parse refuses it by name
    found = {k: bool(p.search(text)) for k, p in _DETECT_KEYS.items()}
    if found["事業名"] and found["府省庁"] and not (found["予算"] or found["事業番号"]) and len(head) >= _HEAD_SIZE:
        # a long text before 予算 pushed it out of the sniffing window: look at the whole file
        try:
            with unit.open() as fh:
                rest = _strip_bom(fh.read(_MAX_DETECT)).decode("utf-8", errors="ignore")
        except OSError:
            return False
        found["予算"] = bool(_DETECT_KEYS["予算"].search(rest))
        found["事業番号"] = bool(_DETECT_KEYS["事業番号"].search(rest))
    return found["事業名"] and found["府省庁"] and (found["予算"] or found["事業番号"])


def units(path: Path) -> list[SourceUnit]:
    """One unit per file."""
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file size."""
    return float(unit.size())


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``judgit/{公開年度}/{canonical 事業番号}`` (percent-encoded): a new file for the same sheet replaces it."""
    doc = _read(unit)
    return f"judgit/{doc.year}/{quote(doc.key, safe='-')}"


# -- reading values -------------------------------------------------------------------------------------------
_MISSING_WORDS = frozenset({"", "none", "nan", "null"})
_NO_VALUE = object()
"""Returned by :meth:`_Reader.structured` for a value that could not be read (an issue was recorded)."""


def _nan_constant(name: str) -> float:
    return float(name.replace("Infinity", "inf"))


def is_missing(v: Any) -> bool:
    """True for JSON null, NaN and the strings 'None', 'nan', 'null' and '' (any case, surrounding spaces)."""
    if v is None:
        return True
    if isinstance(v, float):
        return v != v
    if isinstance(v, Decimal):
        return v.is_nan()
    if isinstance(v, str):
        return v.strip().lower() in _MISSING_WORDS
    return False


def literal(s: str) -> Any:
    """A Python-repr value (``"[{'年度': 2019, '当初予算': 67.0}]"``) read with :func:`ast.literal_eval`.

    pandas writes a missing number as a bare ``nan``: such tokens (outside strings) are read as None.
    Raises ValueError when the text is not a Python literal.
    """
    try:
        return ast.literal_eval(s)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        first: Exception = exc
    try:
        toks = [
            (tok.type, "None" if tok.type == tokenize.NAME and tok.string in ("nan", "NaN") else tok.string)
            for tok in tokenize.generate_tokens(io.StringIO(s).readline)
        ]
        return ast.literal_eval(tokenize.untokenize(toks))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError, tokenize.TokenError):
        raise ValueError(f"not a Python literal ({first})") from None


def _raw(v: Any, limit: int = 2000) -> str:
    """A value as written, for a load issue (JSON text for structures; long values shortened)."""
    if isinstance(v, str):
        s = v
    else:
        try:
            s = json.dumps(v, ensure_ascii=False, default=str)
        except (TypeError, ValueError, RecursionError):
            s = repr(v)
    return s if len(s) <= limit else s[:limit] + "…"


def _type_name(v: Any) -> str:
    return {dict: "object", list: "list", tuple: "list", str: "text", bool: "boolean"}.get(type(v), "number")


def _number_text(v: int | float | Decimal) -> str:
    """Plain decimal text of a JSON number (``1E+3`` → ``1000``)."""
    return format(Decimal(str(v)), "f")


class _Reader:
    """Typed reading of the values of one sheet; everything unreadable becomes a load issue."""

    def __init__(self) -> None:
        self.issues: list[LoadIssue] = []

    def issue(self, code_: str, reason: str, ptr: str, value: Any, severity: str = "error") -> None:
        self.issues.append(
            LoadIssue(code_, reason, severity, column=ptr, value=None if value is None else _raw(value))  # type: ignore[arg-type]
        )

    def structured(self, ptr: str, v: Any, text_ok: bool = False) -> Any:
        """The value, with Python-repr strings of lists/objects read; None when missing.

        A string that looks like a repr but is none is reported; with ``text_ok`` it is kept as text."""
        if is_missing(v):
            return None
        if isinstance(v, str) and v.strip()[:1] in ("[", "{", "("):
            try:
                return literal(v.strip())
            except ValueError as exc:
                if text_ok:
                    self.issue("bad-shape", f"not a Python-repr list ({exc}); kept as text", ptr, v, "warning")
                    return v
                self.issue("bad-shape", f"Python-repr value could not be read ({exc}); not mapped", ptr, v)
                return _NO_VALUE
        return v

    def items(self, ptr: str, v: Any, what: str) -> list[tuple[int, Any]]:
        """``(index, item)`` of a list value (a single non-list value is reported and skipped)."""
        v = self.structured(ptr, v)
        if v is None or v is _NO_VALUE:
            return []
        if isinstance(v, (list, tuple)):
            return list(enumerate(v))
        self.issue("bad-shape", f"{what}: expected a list, got {_type_name(v)}; not mapped", ptr, v)
        return []

    def text(self, ptr: str, v: Any) -> str | None:
        """Cleaned text (exact characters; only surrounding spaces and control characters removed)."""
        if is_missing(v):
            return None
        if isinstance(v, bool) or isinstance(v, (dict, list, tuple)):
            self.issue("bad-shape", f"expected text, got {_type_name(v)}; not mapped", ptr, v)
            return None
        if isinstance(v, (int, float, Decimal)):
            return str(v)
        c = nz.clean(str(v))
        return None if c is None or nz.is_none_marker(c) else c

    def texts(self, ptr: str, v: Any) -> list[tuple[str, str]]:
        """``(pointer, text)`` of a list of strings (a single string counts as a one-item list)."""
        v = self.structured(ptr, v, text_ok=True)
        if v is None or v is _NO_VALUE:
            return []
        pairs = (
            [(pointer_join(ptr, i), item) for i, item in enumerate(v)] if isinstance(v, (list, tuple)) else [(ptr, v)]
        )
        out = [(p, self.text(p, item)) for p, item in pairs]
        return [(p, x) for p, x in out if x is not None]

    def year(
        self, ptr: str, v: Any, what: str = "year", severity: str = "error", effect: str = "not mapped"
    ) -> int | None:
        if is_missing(v):
            return None
        try:
            if isinstance(v, bool) or not isinstance(v, (int, float, Decimal, str)):
                raise nz.NormalizeError(_raw(v), f"expected a year, got {_type_name(v)}")
            if isinstance(v, (float, Decimal)):
                d = Decimal(str(v))
                if d != d.to_integral_value():
                    raise nz.NormalizeError(str(v), "not a whole year")
                v = str(int(d))
            s = str(v)
            if nz.is_none_marker(s):
                return None
            return nz.parse_year(s.strip())
        except (nz.NormalizeError, InvalidOperation, ValueError) as exc:
            reason = exc.reason if isinstance(exc, nz.NormalizeError) else str(exc)
            self.issue("bad-year", f"{what}: {reason}; {effect}", ptr, v, severity)
            return None

    def integer(self, ptr: str, v: Any) -> int | None:
        if is_missing(v):
            return None
        try:
            if isinstance(v, bool) or not isinstance(v, (int, float, Decimal, str)):
                raise nz.NormalizeError(_raw(v), f"expected an integer, got {_type_name(v)}")
            return nz.parse_int(_number_text(v) if not isinstance(v, str) else v)
        except (nz.NormalizeError, InvalidOperation, ValueError) as exc:
            reason = exc.reason if isinstance(exc, nz.NormalizeError) else str(exc)
            self.issue("bad-int", f"{reason}; not mapped", ptr, v)
            return None

    def amount(self, ptr: str, v: Any, factor: int = MILLION) -> tuple[Decimal, str] | None:
        """``(amount × factor, figure as written)``; None when missing."""
        if is_missing(v):
            return None
        try:
            if isinstance(v, bool) or not isinstance(v, (int, float, Decimal, str)):
                raise nz.NormalizeError(_raw(v), f"expected an amount, got {_type_name(v)}")
            if isinstance(v, str):
                written = v.strip()
                if nz.is_none_marker(written):
                    return None  # '-': explicitly nothing
                return nz.parse_amount(written, factor=factor), written
            if isinstance(v, (float, Decimal)) and not Decimal(str(v)).is_finite():
                raise nz.NormalizeError(str(v), "not a finite number")
            written = str(v)
            return nz.parse_amount(_number_text(v), factor=factor), written
        except (nz.NormalizeError, InvalidOperation, ValueError) as exc:
            reason = exc.reason if isinstance(exc, nz.NormalizeError) else str(exc)
            self.issue("bad-amount", f"{reason}; not mapped", ptr, v)
            return None

    def value(self, ptr: str, v: Any) -> tuple[Decimal | None, str] | None:
        """An indicator value: ``(number or None, as written)``; None when missing."""
        if is_missing(v):
            return None
        if isinstance(v, bool) or isinstance(v, (dict, list, tuple)):
            self.issue("bad-shape", f"expected a value, got {_type_name(v)}; not mapped", ptr, v)
            return None
        if isinstance(v, (int, float, Decimal)):
            try:
                if not Decimal(str(v)).is_finite():
                    raise nz.NormalizeError(str(v), "not a finite number")
                return nz.parse_amount(_number_text(v)), str(v)
            except nz.NormalizeError as exc:
                self.issue("bad-amount", f"{exc.reason}; not mapped", ptr, v)
                return None
        written = nz.clean(str(v))
        if written is None or nz.is_none_marker(written):
            return None
        try:
            return nz.parse_amount(written), written
        except nz.NormalizeError:
            return None, written  # kept as written (e.g. 定性的な目標)

    def corporate_number(self, ptr: str, v: Any) -> tuple[str | None, str | None]:
        """``(valid 法人番号 or None, as written or None)``."""
        if is_missing(v):
            return None, None
        if isinstance(v, bool) or not isinstance(v, (int, float, Decimal, str)):
            self.issue("bad-corpno", f"expected a 法人番号, got {_type_name(v)}; not mapped", ptr, v)
            return None, None
        written = str(v) if isinstance(v, int) else (_number_text(v) if not isinstance(v, str) else nz.clean(v))
        if written is None or nz.is_none_marker(written):
            return None, None
        try:
            return nz.validate_corporate_number(written), written
        except (nz.NormalizeError, InvalidOperation, ValueError) as exc:
            reason = exc.reason if isinstance(exc, nz.NormalizeError) else str(exc)
            self.issue("bad-corpno", f"{reason}; payee not linked to a corporation", ptr, v)
            return None, written

    def unknown_keys(self, ptr: str, obj: dict[Any, Any], known: frozenset[str] | set[str], what: str) -> None:
        for k, v in obj.items():
            if k in known:
                continue
            filled = not is_missing(v) and v != [] and v != {}
            self.issue(
                "column-unknown",
                f"key not in the JUDGIT {what} schema; its value is not mapped (kept in the source file)",
                pointer_join(ptr, str(k)),
                v,
                "warning" if filled else "info",
            )


def pointer_join(ptr: str, *tokens: str | int) -> str:
    """``ptr`` extended by ``tokens`` (escaped)."""
    return ptr + pointer(*tokens)


# -- 事業番号 ----------------------------------------------------------------------------------------------------
_BRANCH = re.compile(r"^(?P<head>.*[0-9]{4})-(?P<branch>[0-9]{1,2})$")
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー－", "-"))
_OLD_SERIES = re.compile(r"^新?[0-9]{2}$")


def ministry_abbreviation(name: str | None) -> str | None:
    """The 事業番号 abbreviation of a ministry (``内閣官房`` → ``官房``, ``警察庁`` → ``警察``) or None."""
    name = nz.clean(name)
    if name is None:
        return None
    entry = org_register().resolve(name)
    if entry is not None and entry.abbreviation:
        return entry.abbreviation
    text = key_text(name)
    return text[:-1] if len(text) > 2 and text[-1] in "省庁" else text


def canonical_number(text: str, ministry: str | None) -> nz.ProgramNumber | None:
    """The program number a 事業番号 names, qualified with the ministry when it has none; None if unreadable.

    ``0013`` + 内閣官房 → ``官房-0013``; ``2022-外務-21-0085-1`` → ``2022-外務-21-0085-1`` (one-digit branch
    kept in the number); text with no or several numbers → None.
    """
    t_ = nz.nfkc(text).strip().translate(_DASHES)
    branch = None
    try:
        found = nz.parse_program_numbers(t_)
    except nz.NormalizeError:
        found = []
    if len(found) != 1:
        m = _BRANCH.match(t_)
        if m is None:
            return None
        try:
            found = nz.parse_program_numbers(m.group("head"))
        except nz.NormalizeError:
            return None
        if len(found) != 1 or "-" in found[0].number:
            return None
        branch = m.group("branch")
    pn = found[0]
    if branch is not None:
        pn = replace(pn, number=f"{pn.number}-{branch}")
    if pn.ministry is None:
        abbr = ministry_abbreviation(ministry)
        if abbr is not None:
            pn = replace(pn, ministry=abbr)
    return pn


def _parts_text(reader: _Reader, ptr: str, obj: dict[str, Any]) -> str | None:
    """The 事業番号 spelled by the 事業番号1…5 parts of an object, or None when there are none.

    Old sheets (up to 2020) use 事業番号1 = ``新NN`` or empty, 事業番号2 = the 4-digit number; some references
    (防衛省, 2018–2019) add 事業番号3 = ``0``, which names no branch (reported as info)."""
    parts = [reader.text(pointer_join(ptr, f"事業番号{i}"), obj.get(f"事業番号{i}")) for i in range(1, 6)]
    if not any(parts):
        return None
    first, second, *rest = parts
    if second and re.fullmatch(r"[0-9]{4}", nz.nfkc(second)) and (first is None or _OLD_SERIES.match(nz.nfkc(first))):
        head = "-".join(p for p in (first, second) if p)
        tail = [p for p in rest if p]
        if tail and all(p == "0" for p in tail):
            reader.issue(
                "sheet-number",
                "事業番号3 '0' of an old-style number read as 'no branch'",
                pointer_join(ptr, "事業番号3"),
                tail[0],
                "info",
            )
            tail = []
        return "-".join([head, *tail])
    return "-".join(p for p in parts if p)


# -- the document ---------------------------------------------------------------------------------------------
@dataclass
class _Doc:
    obj: dict[str, Any]
    year: int
    key: str
    written: str | None
    ministry: str | None
    reader: _Reader = field(default_factory=_Reader)


def _read(unit: SourceUnit) -> _Doc:
    """Read and identify a sheet (raises :class:`LoaderError` naming the file when it cannot be loaded at all)."""
    try:
        with unit.open() as fh:
            data = fh.read()
    except OSError as exc:
        raise LoaderError(str(unit), f"unreadable file: {exc}") from exc
    try:
        text = _strip_bom(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoaderError(str(unit), f"not UTF-8 JSON: {exc}") from exc
    duplicates: list[tuple[str, Any]] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                duplicates.append((k, out[k]))
            out[k] = v
        return out

    try:
        obj = json.loads(text, parse_float=Decimal, parse_constant=_nan_constant, object_pairs_hook=pairs)
    except ValueError as exc:
        raise LoaderError(str(unit), f"malformed JSON: {exc}") from exc
    except RecursionError:
        raise LoaderError(str(unit), "malformed JSON: nested too deeply") from None
    if not _is_sheet(obj):
        got = "an object without 事業名, 府省庁 and 予算/事業番号" if isinstance(obj, dict) else _type_name(obj)
        raise LoaderError(str(unit), f"not a JUDGIT review sheet: the JSON is {got}")
    reader = _Reader()
    for k, v in duplicates:
        reader.issue("bad-shape", f"key {k!r} repeated in a JSON object: the earlier value is not mapped", k, v)
    ministry = reader.text("/府省庁", obj.get("府省庁"))
    written = reader.text("/事業番号", obj.get("事業番号"))
    from_parts = _parts_text(reader, "", obj)
    pn = canonical_number(written, ministry) if written else None
    pn_parts = canonical_number(from_parts, ministry) if from_parts else None
    if pn is None and written is not None:
        reader.issue(
            "sheet-number",
            "事業番号 is not a recognisable review-sheet number"
            + ("; read from 事業番号1…5" if pn_parts else "; kept as written"),
            "/事業番号",
            written,
            "warning",
        )
    elif pn is not None and pn_parts is not None and pn.key() != pn_parts.key():
        reader.issue(
            "sheet-number",
            f"事業番号1…5 spell {pn_parts.key()}, not {pn.key()}; 事業番号 used",
            "/事業番号1",
            from_parts,
            "warning",
        )
    pn = pn or pn_parts
    year = reader.year("/公開年度", obj.get("公開年度"), "公開年度")
    if year is None and pn is not None and pn.year is not None:
        year = pn.year
        reader.issue(
            "missing-value", f"公開年度 missing; taken from the 事業番号 ({year})", "/公開年度", None, "warning"
        )
    if year is None:
        raise LoaderError(str(unit), "cannot identify the sheet: no readable 公開年度 (nor a year in its 事業番号)")
    if pn is not None and pn.year is not None and pn.year != year:
        reader.issue(
            "sheet-number", f"事業番号 names the year {pn.year}, 公開年度 is {year}", "/事業番号", written, "warning"
        )
    if pn is not None:
        key = pn.sheet_key()
    elif written or from_parts:
        key = key_text(written or from_parts or "")
    else:
        key = "x-" + short_hash(json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str))
        reader.issue(
            "missing-value",
            f"no 事業番号: the sheet is identified by a hash of its content ({key})",
            "/事業番号",
            None,
            "error",
        )
    return _Doc(obj, year, key, written or from_parts, ministry, reader)


# -- parsing --------------------------------------------------------------------------------------------------
def parse(unit: SourceUnit) -> Iterator[Record | LoadIssue]:
    """Read one sheet: a :class:`Sheet`, then its budgets, payees, indicators, previous sheets and load issues."""
    doc = _read(unit)
    r, obj, year, key = doc.reader, doc.obj, doc.year, doc.key
    r.unknown_keys("", obj, SHEET_KEYS, "sheet")
    for k in ("事業名", "府省庁"):
        if is_missing(obj.get(k)):
            r.issue("missing-value", f"{k} is empty", pointer(k), None, "warning")

    budgets = list(_budgets(r, obj, year, key))
    expenses = list(_expenses(r, obj, year, key))
    indicators = [ind for name, spec in INDICATORS.items() for ind in _indicators(r, obj, year, key, name, spec)]
    ministry = doc.ministry
    previous = list(_previous(r, obj, year, key, ministry))
    if ministry and common.ministry_iri(Minter(), ministry)[1] is None:
        r.issue(
            "unknown-ministry",
            "ministry/agency not in the organisation register; minted a hashed IRI",
            "/府省庁",
            ministry,
            "warning",
        )
    methods = r.texts("/実施方法", obj.get("実施方法"))
    for ptr, m in methods:
        if _method(m) is None:
            r.issue("unknown-code", "unknown 実施方法; kept as written", ptr, m, "warning")
    blocks: list[str] = []
    for e in expenses:
        if e.block is not None and e.block not in blocks:
            blocks.append(e.block)
    sheet = Sheet(
        year=year,
        key=key,
        number_as_written=doc.written,
        name=r.text("/事業名", obj.get("事業名")),
        ministry=ministry,
        bureau=r.text("/担当部局庁", obj.get("担当部局庁")),
        division=r.text("/担当課室", obj.get("担当課室")),
        official=r.text("/作成責任者", obj.get("作成責任者")),
        purpose=r.text("/事業目的", obj.get("事業目的")),
        overview=r.text("/事業概要", obj.get("事業概要")),
        start_year=r.year("/開始年度", obj.get("開始年度"), "開始年度"),
        end_year=r.year("/終了年度", obj.get("終了年度"), "終了年度"),
        account_classes=tuple(x for _, x in r.texts("/会計区分", obj.get("会計区分"))),
        methods=tuple(x for _, x in methods),
        major_policies=tuple(x for _, x in r.texts("/主要施策", obj.get("主要施策"))),
        no_target_reason=r.text("/定量的な目標が設定できない理由", obj.get("定量的な目標が設定できない理由")),
        url=r.text("/url", obj.get("url")),
        record_id=r.text("/ID", obj.get("ID")),
        program_id=r.text("/事業ID", obj.get("事業ID")),
        blocks=tuple(blocks),
    )
    yield sheet
    yield from budgets
    yield from expenses
    yield from indicators
    yield from previous
    yield from r.issues


def _entries(
    r: _Reader, obj: dict[str, Any], name: str, known: frozenset[str] | None
) -> Iterator[tuple[int, str, dict]]:
    """``(index, pointer, object)`` of the entries of a list of objects; other items are reported."""
    for i, item in r.items(pointer(name), obj.get(name), name):
        ptr = pointer(name, i)
        item = r.structured(ptr, item)
        if item is None or item is _NO_VALUE:
            continue
        if not isinstance(item, dict):
            r.issue("bad-shape", f"{name} entry: expected an object, got {_type_name(item)}; not mapped", ptr, item)
            continue
        if known is not None:
            r.unknown_keys(ptr, item, known, name)
        yield i, ptr, item


def _stage(label: str) -> str | None:
    notation = STAGES.get(key_text(label))
    if notation is not None:
        return notation
    iri = codes.lookup("budget-stage", label)
    return iri.rsplit("/", 1)[1] if iri else None


def _budgets(r: _Reader, obj: dict[str, Any], year: int, key: str) -> Iterator[Budget]:
    seen: dict[int, int] = {}
    for i, ptr, entry in _entries(r, obj, "予算", None):
        by = r.year(pointer_join(ptr, "年度"), entry.get("年度"), "予算 年度")
        figures: list[Figure] = []
        for k, v in entry.items():
            if k == "年度":
                continue
            stage = _stage(str(k))
            if stage is None:
                r.issue(
                    "column-unknown",
                    "key not in the JUDGIT 予算 schema (no budget stage of that name); not mapped",
                    pointer_join(ptr, str(k)),
                    v,
                    "info" if is_missing(v) else "warning",
                )
                continue
            got = r.amount(pointer_join(ptr, str(k)), v)
            if got is not None:
                figures.append((stage, got[0], got[1]))
        if by is None:
            if figures:
                r.issue("missing-value", "予算 entry without 年度; its figures are not mapped", ptr, entry)
            continue
        if not figures:
            continue
        seen[by] = seen.get(by, 0) + 1
        line_key = "total" if seen[by] == 1 else f"total-{seen[by]}"
        yield Budget(year, key, i, by, line_key, tuple(figures))


def _expenses(r: _Reader, obj: dict[str, Any], year: int, key: str) -> Iterator[Expense]:
    for i, ptr, e in _entries(r, obj, "支出先", EXPENSE_KEYS):
        corp, corp_written = r.corporate_number(pointer_join(ptr, "法人番号"), e.get("法人番号"))
        amount = r.amount(pointer_join(ptr, "支出額"), e.get("支出額"))
        group = r.text(pointer_join(ptr, "グループ"), e.get("グループ"))
        rec = Expense(
            year=year,
            key=key,
            index=i,
            budget_year=r.year(pointer_join(ptr, "年度"), e.get("年度"), "支出先 年度"),
            block=nz.nfkc(group).strip() if group else None,
            rank=r.integer(pointer_join(ptr, "番号"), e.get("番号")),
            payee=r.text(pointer_join(ptr, "支出先名"), e.get("支出先名")),
            corporate_number=corp,
            corporate_number_as_written=corp_written,
            summary=r.text(pointer_join(ptr, "業務概要"), e.get("業務概要")),
            amount=amount[0] if amount else None,
            amount_as_written=amount[1] if amount else None,
        )
        if rec.payee is None and rec.summary is None and corp_written is None and not rec.amount:
            if rec.amount is not None:  # '-' with 0.0: the sheet says "no payee"
                r.issue("missing-value", "支出先 entry without a payee ('-') and amount 0; not mapped", ptr, e, "info")
            continue  # an empty row of the 支出先 table: nothing else to map
        yield rec


def _indicators(
    r: _Reader, obj: dict[str, Any], year: int, key: str, name: str, spec: _IndicatorSpec
) -> Iterator[Indicator]:
    known = set(spec.texts) | {spec.series} | (set(spec.final) if spec.final else set())
    for i, ptr, e in _entries(r, obj, name, frozenset(known)):
        fields = {f: r.text(pointer_join(ptr, k), e.get(k)) for k, f in spec.texts.items()}
        values: list[IndicatorPoint] = []
        if spec.final is not None:
            target_key, year_key = spec.final
            got = r.value(pointer_join(ptr, target_key), e.get(target_key))
            ty = r.year(pointer_join(ptr, year_key), e.get(year_key), year_key, "warning")
            if got is not None:
                values.append((FINAL_TARGET, ty, got[0], got[1], ptr))
        series_ptr = pointer_join(ptr, spec.series)
        for j, point in r.items(series_ptr, e.get(spec.series), spec.series):
            pptr = pointer_join(series_ptr, j)
            point = r.structured(pptr, point)
            if point is None or point is _NO_VALUE:
                continue
            if not isinstance(point, dict):
                r.issue("bad-shape", f"{spec.series} entry: expected an object, got {_type_name(point)}", pptr, point)
                continue
            py = r.year(pointer_join(pptr, "年度"), point.get("年度"), f"{spec.series} 年度")
            for k, v in point.items():
                if k == "年度":
                    continue
                got = r.value(pointer_join(pptr, str(k)), v)
                if got is None:
                    continue
                if py is None:
                    r.issue("missing-value", f"{spec.series} value without a readable 年度; not mapped", pptr, point)
                    break
                values.append((str(k), py, got[0], got[1], pptr))
        if not any(fields.values()) and not values:
            continue  # an empty entry ('-' in every cell)
        yield Indicator(year, key, spec.kind, i, ptr, values=tuple(values), **fields)


def _previous(r: _Reader, obj: dict[str, Any], year: int, key: str, ministry: str | None) -> Iterator[PreviousSheet]:
    for i, item in r.items(
        "/関連する過去のレビューシート", obj.get("関連する過去のレビューシート"), "関連する過去のレビューシート"
    ):
        ptr = pointer("関連する過去のレビューシート", i)
        item = r.structured(ptr, item)
        if item is None or item is _NO_VALUE:
            continue
        ref_year = None
        ref_ministry = ministry
        if isinstance(item, dict):
            r.unknown_keys(ptr, item, PREVIOUS_KEYS, "関連する過去のレビューシート")
            ref_ministry = r.text(pointer_join(ptr, "府省庁"), item.get("府省庁")) or ministry
            text = r.text(pointer_join(ptr, "事業番号"), item.get("事業番号")) or _parts_text(r, ptr, item)
            ref_year = r.year(
                pointer_join(ptr, "年度"),
                item.get("年度"),
                "年度 of a previous sheet",
                "warning",
                "the number is kept, the earlier sheet's IRI is not minted (an era year is not guessed)",
            )
        elif isinstance(item, (str, int)) and not isinstance(item, bool):
            text = r.text(ptr, item)
        else:
            r.issue("bad-shape", f"expected an object or a number, got {_type_name(item)}; not mapped", ptr, item)
            continue
        if not text:
            r.issue("missing-value", "previous sheet without a 事業番号; not mapped", ptr, item)
            continue
        pn = canonical_number(text, ref_ministry)
        if pn is None:
            r.issue("former-number", "previous sheet number not recognisable; kept as written", ptr, text, "warning")
            yield PreviousSheet(year, key, i, key_text(text))
            continue
        if ref_year is None and pn.year is not None:
            ref_year = pn.year
        yield PreviousSheet(year, key, i, pn.sheet_key(), ref_year, pn.sheet_key() if ref_year is not None else None)


# -- mapping (pure) -------------------------------------------------------------------------------------------
def dataset_key(year: int) -> str:
    """The data cube of one 公開年度's JUDGIT sheets (``judgit2022``)."""
    return f"judgit{year}"


def _sheet(r: Record, m: Minter) -> IRI:
    return m.review_sheet(r.year, r.key)


def _method(label: str) -> IRI | None:
    found = codes.lookup("implementation-method", label)
    if found is not None:
        return found
    notation = METHOD_FALLBACK.get(key_text(label))
    return code("implementation-method", notation) if notation else None


def _org(r: Sheet, m: Minter) -> common.OrgRef | None:
    return common.resolve_org(m, r.ministry, [("bureau", r.bureau), ("division", r.division)])


def to_triples(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record in the file's graph (sheets, budget lines, payees, indicators, load issues)."""
    if isinstance(record, Sheet):
        yield from _map_sheet(record, ctx)
    elif isinstance(record, Budget):
        yield from _map_budget(record, ctx)
    elif isinstance(record, Expense):
        yield from _map_expense(record, ctx)
    elif isinstance(record, Indicator):
        yield from _map_indicator(record, ctx)
    elif isinstance(record, PreviousSheet):
        sheet = _sheet(record, ctx.minter)
        yield sheet, P("previousReviewSheet"), t.text(record.number)
        if record.sheet_year is not None and record.sheet_key is not None:
            yield sheet, P("previousReviewSheetIri"), ctx.minter.review_sheet(record.sheet_year, record.sheet_key)
    elif isinstance(record, LoadIssue):
        n = ctx.options.setdefault("_issue_no", 0) + 1
        ctx.options["_issue_no"] = n
        yield from issue_triples(record, n, ctx)


def declarations(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Declarations of the shared entities: the sheet's organisation units, the budget cube, payees."""
    m = ctx.minter
    if isinstance(record, Sheet):
        ref = _org(record, m)
        if ref is not None:
            yield from ref.declarations
        yield from common.budget_dataset(
            m,
            dataset_key(record.year),
            "million-yen",
            f"JUDGIT! 公開年度 {record.year} 予算・執行（行政事業レビューシート）",
        )
    elif isinstance(record, Expense):
        _, decls = common.payee_iri(m, _sheet(record, m), record.payee, record.corporate_number)
        yield from decls


def _map_sheet(r: Sheet, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    yield sheet, TYPE, P("ProgramSheet")
    yield sheet, DERIVED, ctx.source  # the whole file is the sheet
    yield sheet, LABEL, t.ja(r.name) if r.name else t.text(r.key)
    yield sheet, P("sheetYear"), t.gyear(r.year)
    yield sheet, P("reviewSheetNumber"), t.text(r.key)
    if r.number_as_written is not None and r.number_as_written != r.key:
        yield sheet, P("reviewSheetNumberAsWritten"), t.text(r.number_as_written)
    for value, prop in (
        (r.purpose, "purpose"),
        (r.overview, "overview"),
        (r.official, "responsibleOfficial"),
        (r.no_target_reason, "noQuantitativeTargetReason"),
    ):
        if value is not None:
            yield sheet, P(prop), t.ja(value)
    if r.start_year is not None:
        yield sheet, P("startYear"), t.gyear(r.start_year)
    if r.end_year is not None:
        yield sheet, P("endYear"), t.gyear(r.end_year)
    ref = _org(r, m)
    if ref is not None:
        yield sheet, P("responsibleUnit"), ref.iri
        if ref.ministry is not None:
            yield sheet, P("ministry"), ref.ministry
    for label in r.methods:
        method = _method(label)
        if method is not None:
            yield sheet, P("implementationMethod"), method
        else:
            yield sheet, P("implementationMethodAsWritten"), t.ja(label)
    for value in r.major_policies:
        yield sheet, P("majorPolicy"), t.ja(value)
    for value in r.account_classes:
        yield sheet, P("accountClassAsWritten"), t.ja(value)
    if r.url is not None:
        yield sheet, SEEALSO, common.url_term(r.url)
    if r.record_id is not None:
        yield sheet, P("judgitRecordId"), t.text(r.record_id)
    if r.program_id is not None:
        yield sheet, P("judgitProgramId"), t.text(r.program_id)
    for letter in r.blocks:
        block = m.part(sheet, "block", letter)
        yield block, P_SHEET, sheet
        yield block, TYPE, P("SpendingBlock")
        yield block, P("blockLetter"), t.text(letter)
        yield block, DERIVED, _at(ctx, "/支出先")


def _map_budget(r: Budget, ctx: MapContext) -> Iterator[Triple]:
    """A 予算 entry as an RDF Data Cube slice, exactly like RS table 2-1's sheet totals (see rs_csv.mapping)."""
    m = ctx.minter
    line = m.observation(dataset_key(r.year), r.key, r.budget_year, r.line_key)
    yield line, TYPE, P("BudgetLine")
    yield line, QB_SLICE_STRUCTURE, P("budgetLineKey")
    yield m.dataset(dataset_key(r.year) + "-budget"), QB_SLICE, line
    yield line, P_SHEET, _sheet(r, m)
    yield line, P("budgetYear"), t.gyear(r.budget_year)
    yield line, P("account"), TOTAL_ACCOUNT
    yield line, DERIVED, _at(ctx, pointer("予算", r.index))
    for stage, amount, written in r.figures:
        obs = IRI(f"{line}/{stage}")
        yield line, QB_OBSERVATION_P, obs
        yield obs, P("budgetStage"), code("budget-stage", stage)
        if stage == "carried-over-out" and amount < 0:
            amount = -amount  # JUDGIT's subtractive sign (see STAGES); ▲75 百万円 carried out = 75,000,000 yen
        yield obs, P("amount"), t.decimal(amount)
        yield obs, P("sourceFigure"), t.text(written)  # always: the source unit (百万円) differs


def _map_expense(r: Expense, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    node = m.part(sheet, "expense", r.index + 1)
    yield node, P_SHEET, sheet
    yield node, TYPE, P("ExpenseItem")
    yield node, DERIVED, _at(ctx, pointer("支出先", r.index))
    if r.block is not None:
        yield node, P("block"), m.part(sheet, "block", r.block)
    if r.rank is not None:
        yield node, P("rankInBlock"), t.integer(r.rank)
    payee, _ = common.payee_iri(m, sheet, r.payee, r.corporate_number)
    if payee is not None:
        yield node, P("payee"), payee
    if r.payee is not None:
        yield node, P("payeeName"), t.ja(r.payee)
    if r.corporate_number_as_written is not None:
        yield node, P("corporateNumberAsWritten"), t.text(r.corporate_number_as_written)
    if r.summary is not None:
        yield node, P("contractSummary"), t.ja(r.summary)
    if r.amount is not None:
        yield node, P("amount"), t.decimal(r.amount)
        yield node, P("sourceFigure"), t.text(r.amount_as_written or "")
    if r.budget_year is not None:
        yield node, P("budgetYear"), t.gyear(r.budget_year)


_ELEMENT_CLASS = {"outcome": "Outcome", "output": "Output"}


def _map_indicator(r: Indicator, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    element = m.part(sheet, "logic", r.kind, r.index + 1)
    yield element, P_SHEET, sheet
    yield element, TYPE, P(_ELEMENT_CLASS[r.kind])
    yield element, P("elementNumber"), t.integer(r.index + 1)
    yield element, DERIVED, _at(ctx, r.pointer)
    ind = m.part(element, "indicator")
    yield ind, P_SHEET, sheet
    yield ind, TYPE, P("Indicator")
    yield ind, DERIVED, _at(ctx, r.pointer)
    yield ind, P("measuresElement"), element
    for value, prop in ((r.name, "indicatorName"), (r.statement, "statement"), (r.unit, "unitAsWritten")):
        if value is not None:
            yield ind, P(prop), t.ja(value)
    for kind, year, value, written, ptr in r.values:
        parts: list[str | int] = ["value", short_hash(kind, length=6)]
        if year is not None:
            parts.append(year)
        point = m.part(ind, *parts)
        yield ind, P("indicatorValue"), point
        yield point, TYPE, P("IndicatorValue")
        yield point, P("valueKind"), t.ja(kind)
        if year is not None:
            yield point, P("year"), t.gyear(year)
        if value is not None:
            yield point, P("value"), t.decimal(value)
        else:
            yield point, P("valueAsWritten"), t.text(written)
        yield point, DERIVED, _at(ctx, ptr)
