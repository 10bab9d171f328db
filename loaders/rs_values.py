"""Value parsing shared by the RS loaders (``rs_csv``, ``rs_sheet``, ``legacy_sheet``).

Cell converters by value kind, amount units, subsidy-rate fractions, 旧事業番号 and related program IDs,
organisation paths (``総務省 自治行政局 住民制度課``), and the decoding of a sheet's text export.  Everything
here runs at parse time: the mapping modules only read the typed values it produces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from ontology.registers import org_register

from . import common
from . import normalize as nz
from .base import LoadIssue

Value = str | int | Decimal | bool
"""A converted cell value (text, integer or year, amount or ratio, flag)."""

UNITS: dict[str, tuple[str, int]] = {
    "円": ("yen", 1),
    "千円": ("thousand-yen", 1000),
    "百万円": ("million-yen", 10**6),
    "億円": ("hundred-million-yen", 10**8),
}
"""Amount units as written → (``code/unit`` notation, yen factor)."""


# -- cell converters by value kind ------------------------------------------------------------------------------
def _corpno(v: str) -> str:
    return nz.validate_corporate_number(v)


def _flag(v: str) -> bool:
    if nz.nfkc(v).strip() in ("1", "○", "〇", "TRUE", "true"):
        return True
    raise nz.NormalizeError(v, "not a check mark (expected 1)")


def _text(v: str) -> str | None:
    c = nz.clean(v)
    if c is None or nz.is_none_marker(c):
        return None
    return c


def _raw(v: str) -> str | None:
    return nz.clean(v)


CONVERTERS: dict[str, Callable[[str], Value | None]] = {
    "text": _text,
    "raw": _raw,
    "url": _raw,
    "int": nz.parse_int,
    "amount": nz.parse_amount,
    "ratio": nz.parse_ratio,
    "year": nz.parse_year,
    "bool": nz.parse_bool,
    "flag": _flag,
    "corpno": _corpno,
}
"""Value kind (:data:`loaders.rs_csv.tables.Kind`) → converter; a converter raises
:class:`~loaders.normalize.NormalizeError` for a value it cannot read and returns None for an empty one."""


# -- values read from text cells -----------------------------------------------------------------------------------
def former_numbers(value: str) -> tuple[nz.ProgramNumber, ...]:
    """Program numbers in a 旧事業番号 cell (empty when none can be read without guessing)."""
    try:
        return tuple(nz.parse_program_numbers(value))
    except nz.NormalizeError:
        return ()


def related_program_id(value: str) -> str | None:
    """The 予算事業ID of a 関連事業の事業ID cell (``12``, ``１２``, ``12.0``), or None when it is not a number."""
    v = nz.nfkc(value).strip().removesuffix(".0")
    return str(int(v)) if v.isdigit() else None


def subsidy_rate(value: str) -> tuple[str | None, Decimal | None]:
    """A 補助率 cell as written (Excel text marker and ``-`` removed; None when empty) and as a fraction when it
    is one simple rate (``1/2`` → 0.5; None for ``定額`` or prose)."""
    written = nz.strip_excel_quote(value)
    if not written or nz.is_none_marker(written):
        return None, None
    return written, nz.parse_fraction(written)


def indicator_value(value: str) -> Decimal | None:
    """An indicator's target or result for one year, when it is a number (else None: kept as written)."""
    try:
        return nz.parse_amount(value)
    except nz.NormalizeError:
        return None


_SPACES = re.compile(r"\s+")
_LEVEL_SUFFIXES = (
    ("局", "bureau"),
    ("庁", "bureau"),
    ("部", "department"),
    ("課", "division"),
    ("室", "office"),
    ("班", "section"),
    ("係", "subsection"),
)


def split_org_path(path: str, ministry: str | None) -> tuple[str | None, list[tuple[str, str]]]:
    """``総務省 自治行政局 住民制度課 サイバーセキュリティ対策室`` → (``総務省``, [(bureau, 自治行政局),
    (division, 住民制度課), (office, サイバーセキュリティ対策室)]).

    The first name is the ministry when it names the same organisation as ``ministry`` (or when no ministry
    is given and the register knows it).  Levels come from the name's suffix (局・庁 → bureau, 部, 課, 室, 班,
    係); a name with another suffix (大臣官房, 参事官) takes the level after the previous one."""
    names = [n for n in _SPACES.split(path.strip()) if n]
    head = None
    if names:
        entry = org_register().resolve(names[0])
        mentry = org_register().resolve(ministry) if ministry else None
        if entry is not None and (mentry is None or entry.slug == mentry.slug):
            head = names.pop(0)
    levels = list(common.UNIT_LEVELS)
    out: list[tuple[str, str]] = []
    prev = -1
    for name in names:
        level = next((lv for suf, lv in _LEVEL_SUFFIXES if name.endswith(suf)), None)
        idx = levels.index(level) if level else prev + 1
        if idx <= prev:
            idx = prev + 1
        idx = min(idx, len(levels) - 1)
        out.append((levels[idx], name))
        prev = idx
    return head, out


# -- text exports of a sheet -------------------------------------------------------------------------------------
def decode(data: bytes) -> tuple[str, list[LoadIssue]]:
    """The text of a file: UTF-8 (BOM optional; a multi-byte character cut at the very end, as in a truncated
    file, is dropped with a warning), else CP932, else UTF-8 with replacement characters (warning)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            reason = "file ends inside a UTF-8 character (truncated?); its last bytes are dropped"
            line = data.count(b"\n") + 1
            issue = LoadIssue("bad-encoding", reason, "warning", None, line, None, data[exc.start :].hex())
            return data[: exc.start].decode("utf-8", errors="replace"), [issue]
    try:
        return data.decode("cp932"), [LoadIssue("cp932", "file is not UTF-8; decoded as Shift_JIS (CP932)", "info")]
    except UnicodeDecodeError as exc:
        issue = LoadIssue(
            "bad-encoding",
            f"invalid UTF-8 and CP932 byte sequences (first at byte {exc.start}) replaced by U+FFFD",
            "warning",
        )
        return data.decode("utf-8", errors="replace"), [issue]


def complete_lines(text: str) -> tuple[str, LoadIssue | None]:
    """The text without a last line that has no line break (the file was cut: a figure such as ``296,325`` cut
    to ``296`` would be read wrong), and the load issue that reports that line."""
    if not text or text.endswith("\n"):
        return text, None
    head, _, last = text.rpartition("\n")
    reason = "last line has no line break (file truncated?); not mapped"
    return head + "\n" if head else "", LoadIssue(
        "not-mapped", reason, "warning", None, text.count("\n") + 1, None, last.strip() or None
    )
