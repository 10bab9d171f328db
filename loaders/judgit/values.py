"""Reading the values of a JUDGIT! sheet: JSON Pointers, missing values, Python-repr strings, and the typed
:class:`Reader` that turns everything it cannot read into a load issue."""

from __future__ import annotations

import ast
import io
import json
import tokenize
from decimal import Decimal, InvalidOperation
from typing import Any

from .. import normalize as nz
from ..base import LoadIssue, Severity

MILLION = 1_000_000
"""JUDGIT amounts (予算, 支出額) are in 百万円."""


# -- JSON pointers ------------------------------------------------------------------------------------------
def pointer(*tokens: str | int) -> str:
    """An RFC 6901 JSON Pointer as people read it (``/予算/2/当初予算``)."""
    return "".join("/" + str(tok).replace("~", "~0").replace("/", "~1") for tok in tokens)


def pointer_join(ptr: str, *tokens: str | int) -> str:
    """``ptr`` extended by ``tokens`` (escaped)."""
    return ptr + pointer(*tokens)


# -- reading values -------------------------------------------------------------------------------------------
_MISSING_WORDS = frozenset({"", "none", "nan", "null"})
NO_VALUE = object()
"""Returned by :meth:`Reader.structured` for a value that could not be read (an issue was recorded)."""


def nan_constant(name: str) -> float:
    """A bare ``NaN`` / ``Infinity`` of the JSON text as a float (``json.loads``'s ``parse_constant``)."""
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


def type_name(v: Any) -> str:
    return {dict: "object", list: "list", tuple: "list", str: "text", bool: "boolean"}.get(type(v), "number")


def _number_text(v: int | float | Decimal) -> str:
    """Plain decimal text of a JSON number (``1E+3`` → ``1000``)."""
    return format(Decimal(str(v)), "f")


class Reader:
    """Typed reading of the values of one sheet; everything unreadable becomes a load issue."""

    def __init__(self) -> None:
        self.issues: list[LoadIssue] = []

    def issue(self, code_: str, reason: str, ptr: str, value: Any, severity: Severity = "error") -> None:
        self.issues.append(LoadIssue(code_, reason, severity, column=ptr, value=None if value is None else _raw(value)))

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
                return NO_VALUE
        return v

    def items(self, ptr: str, v: Any, what: str) -> list[tuple[int, Any]]:
        """``(index, item)`` of a list value (a single non-list value is reported and skipped)."""
        v = self.structured(ptr, v)
        if v is None or v is NO_VALUE:
            return []
        if isinstance(v, (list, tuple)):
            return list(enumerate(v))
        self.issue("bad-shape", f"{what}: expected a list, got {type_name(v)}; not mapped", ptr, v)
        return []

    def text(self, ptr: str, v: Any) -> str | None:
        """Cleaned text (exact characters; only surrounding spaces and control characters removed)."""
        if is_missing(v):
            return None
        if isinstance(v, bool) or isinstance(v, (dict, list, tuple)):
            self.issue("bad-shape", f"expected text, got {type_name(v)}; not mapped", ptr, v)
            return None
        if isinstance(v, (int, float, Decimal)):
            return str(v)
        c = nz.clean(str(v))
        return None if c is None or nz.is_none_marker(c) else c

    def texts(self, ptr: str, v: Any) -> list[tuple[str, str]]:
        """``(pointer, text)`` of a list of strings (a single string counts as a one-item list)."""
        v = self.structured(ptr, v, text_ok=True)
        if v is None or v is NO_VALUE:
            return []
        pairs = (
            [(pointer_join(ptr, i), item) for i, item in enumerate(v)] if isinstance(v, (list, tuple)) else [(ptr, v)]
        )
        out = [(p, self.text(p, item)) for p, item in pairs]
        return [(p, x) for p, x in out if x is not None]

    def year(
        self, ptr: str, v: Any, what: str = "year", severity: Severity = "error", effect: str = "not mapped"
    ) -> int | None:
        if is_missing(v):
            return None
        try:
            if isinstance(v, bool) or not isinstance(v, (int, float, Decimal, str)):
                raise nz.NormalizeError(_raw(v), f"expected a year, got {type_name(v)}")
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
                raise nz.NormalizeError(_raw(v), f"expected an integer, got {type_name(v)}")
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
                raise nz.NormalizeError(_raw(v), f"expected an amount, got {type_name(v)}")
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
            self.issue("bad-shape", f"expected a value, got {type_name(v)}; not mapped", ptr, v)
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
            self.issue("bad-corpno", f"expected a 法人番号, got {type_name(v)}; not mapped", ptr, v)
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
