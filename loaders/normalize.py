"""Pure normalisation helpers for dirty Japanese government data.

Every function here is small, side-effect free and uses the standard library only.  Parsers
either return a canonical value or raise :class:`NormalizeError` (a :class:`ValueError`) with a
short English ``reason``; they never guess.  Nothing happens at import time beyond compiling
regular expressions and building constant tables.

Most parsers apply Unicode NFKC first, so full-width digits/letters (``１６``, ``Ｒ３``),
full-width punctuation (``，．／：（）``), half-width katakana (``ｲ``), circled digits (``②``)
and square era signs (``㍻``) are accepted wherever their ASCII/plain counterparts are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from decimal import Context, Decimal, DecimalException, Inexact

__all__ = [
    "ERAS",
    "NormalizeError",
    "ProgramNumber",
    "clean",
    "corporate_check_digit",
    "era_year",
    "find_dates",
    "is_none_marker",
    "kanji_to_int",
    "nfkc",
    "parse_amount",
    "parse_article",
    "parse_bool",
    "parse_date",
    "parse_fraction",
    "parse_int",
    "parse_item",
    "parse_paragraph",
    "parse_program_numbers",
    "parse_ratio",
    "parse_year",
    "parse_year_month",
    "strip_excel_quote",
    "validate_corporate_number",
]


class NormalizeError(ValueError):
    """A value could not be normalised; ``value`` is the offending input, ``reason`` says why."""

    def __init__(self, value: object, reason: str) -> None:
        super().__init__(reason)
        self.value: str = value if isinstance(value, str) else repr(value)
        self.reason: str = reason

    def __repr__(self) -> str:
        return f"NormalizeError(value={self.value!r}, reason={self.reason!r})"

    def __reduce__(self) -> tuple[type[NormalizeError], tuple[str, str]]:
        # Keep the exception picklable (e.g. raised inside a multiprocessing worker).
        return (type(self), (self.value, self.reason))


# ---------------------------------------------------------------------------------------------
# Text basics
# ---------------------------------------------------------------------------------------------

# Every character for which str.isspace() is true, plus zero-width space and BOM.
_STRIP_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
    "\u200b\ufeff"
)
# C0 and C1 controls (and DEL) except \t and \n; \r is folded to \n before this runs.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WS_RE = re.compile(r"\s+")


def nfkc(s: str) -> str:
    """Unicode NFKC normalisation (ASCII strings are returned unchanged without work)."""
    if s.isascii():
        return s
    return unicodedata.normalize("NFKC", s)


def clean(s: str | None) -> str | None:
    """Strip surrounding whitespace (incl. U+3000, ZWSP, BOM), drop control characters.

    ``\\r\\n`` and ``\\r`` become ``\\n``; C0/C1 controls other than ``\\n``/``\\t`` (and DEL)
    are removed.  Returns None for None or an empty result.  The text is *not* NFKC-normalised.
    """
    if s is None:
        return None
    if s.isprintable():  # fast path: no controls, and the only possible whitespace is ' '
        s = s.strip(" ")
        return s or None
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _CONTROL_RE.sub("", s).strip(_STRIP_CHARS)
    return s or None


def strip_excel_quote(s: str) -> str:
    """Remove one leading ``'`` (the spreadsheet "store as text" marker)."""
    return s[1:] if s.startswith("'") else s


_DASHES = frozenset("-－ｰー―‐‑‒–—−\xad")
_NONE_WORDS = frozenset({"なし", "無し", "該当なし", "該当無し"})


def is_none_marker(s: str | None) -> bool:
    """True for None, blank text and placeholders meaning "nothing".

    Placeholders (checked after :func:`clean`): なし / 無し / 該当なし / 該当無し, and any string
    made only of dash-like characters (``- ー ｰ － ― ‐ ‑ ‒ – — −`` and soft hyphen), optionally
    separated by whitespace (``---``, ``－ －``).
    """
    c = clean(s)
    if c is None:
        return True
    if c in _NONE_WORDS:
        return True
    return all(ch in _DASHES or ch.isspace() for ch in c)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

_KANJI_DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "一": 1, "壱": 1, "二": 2, "弐": 2, "三": 3, "参": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    **{str(i): i for i in range(10)},
}  # fmt: skip
_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "千": 1000}
_BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "億": 10**8, "兆": 10**12}
_NO_UNIT = 10**16  # sentinel larger than any unit


def kanji_to_int(s: str) -> int:
    """Parse a Japanese or Arabic numeral (``二百四十四``, ``二〇二四``, ``１６``, ``1万2千``) to int.

    Grammar: positional digit runs (``0-9``, ``〇一…九``, also 零/壱/弐/参) optionally combined
    with the units 十百千 (multiplier 1–9, strictly decreasing within a 万-section) and 万億兆
    (strictly decreasing, section value 1–9999).  Anything else raises :class:`NormalizeError`.
    """
    if s.isdigit() and s.isascii():
        return int(s)
    t = nfkc(s).strip()
    if not t:
        raise NormalizeError(s, "empty numeral")
    if t.isdigit() and t.isascii():
        return int(t)
    total = 0
    section = 0
    cur = -1  # pending digit run value, -1 = none
    ndigits = 0
    last_small = _NO_UNIT
    last_big = _NO_UNIT
    for ch in t:
        d = _KANJI_DIGITS.get(ch)
        if d is not None:
            cur = d if cur < 0 else cur * 10 + d
            ndigits += 1
            continue
        u = _SMALL_UNITS.get(ch)
        if u is not None:
            if u >= last_small:
                raise NormalizeError(s, f"misplaced unit {ch!r}")
            if cur < 0:
                cur = 1
            elif ndigits != 1 or cur == 0:
                raise NormalizeError(s, f"bad multiplier before {ch!r}")
            section += cur * u
            last_small = u
            cur, ndigits = -1, 0
            continue
        u = _BIG_UNITS.get(ch)
        if u is not None:
            if u >= last_big:
                raise NormalizeError(s, f"misplaced unit {ch!r}")
            if cur >= 0:
                if cur >= last_small:
                    raise NormalizeError(s, "digits out of place")
                section += cur
            if not 0 < section < 10**4:
                raise NormalizeError(s, f"bad multiplier before {ch!r}")
            total += section * u
            section, cur, ndigits = 0, -1, 0
            last_small = _NO_UNIT
            last_big = u
            continue
        raise NormalizeError(s, "not a number")
    if cur >= 0:
        if cur >= last_small:
            raise NormalizeError(s, "digits out of place")
        section += cur
    if last_big != _NO_UNIT and section >= 10**4:
        raise NormalizeError(s, "digits out of place")
    return total + section


# Wide context for exact arithmetic: precision far above any plausible input, Inexact trapped.
_CTX = Context(prec=120, traps=[Inexact])
_ZERO = Decimal(0)
_ONE = Decimal(1)
_MAX_AMOUNT = Decimal(10**16)
_MAX_NUMBER_LEN = 64  # characters; longer numeric strings are rejected up front

_AMOUNT_RE = re.compile(r"([+\-−▲△])?\s*([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?")


def _canonical(d: Decimal) -> Decimal:
    """``d`` with exponent 0 if integral (``str`` → ``'537733000'``), else without trailing zeros."""
    if not d:
        return _ZERO  # also folds -0 and 0E-3
    exp = d.as_tuple().exponent
    if exp == 0:
        return d
    if d == d.to_integral_value():
        return _CTX.quantize(d, _ONE)
    return _CTX.normalize(d)


def parse_amount(s: str, factor: int | Decimal = 1) -> Decimal:
    """Parse a budget amount and multiply it by ``factor`` (1000 for 千円, 10**6 for 百万円…).

    Accepts optional sign (``+ - −``, and ``▲``/``△`` meaning negative, optionally followed by
    spaces), digits with strict 3-digit comma grouping (``1,234``; ``1,23,4`` is rejected) and an
    optional decimal fraction; full-width forms and one leading ``'`` are tolerated.  Rejects
    exponents, NaN/Infinity, units and anything else.  The result is exact and canonical: integral
    values have exponent 0 (``str`` never shows ``E+``), others carry no trailing zeros.
    ``|result| > 10**16`` yen raises "implausible amount".
    """
    if s.isdigit() and s.isascii():  # fast path: plain non-negative integer
        d = Decimal(s)
        if factor != 1:
            d = _scale(s, d, factor)
        if d.copy_abs() > _MAX_AMOUNT:
            raise NormalizeError(s, "implausible amount")
        return d
    t = nfkc(s).strip()
    if t.startswith("'"):
        t = t[1:].lstrip()
    if len(t) > _MAX_NUMBER_LEN:
        raise NormalizeError(s, "too many digits")
    m = _AMOUNT_RE.fullmatch(t)
    if m is None:
        raise NormalizeError(s, "not a number")
    sign, whole, frac = m.groups()
    text = whole.replace(",", "")
    if frac:
        text = f"{text}.{frac}"
    if sign is not None and sign != "+":
        text = "-" + text
    d = Decimal(text)
    if factor != 1:
        d = _scale(s, d, factor)
    d = _canonical(d)
    if d.copy_abs() > _MAX_AMOUNT:
        raise NormalizeError(s, "implausible amount")
    return d


def _scale(s: str, d: Decimal, factor: int | Decimal) -> Decimal:
    try:
        return _canonical(_CTX.multiply(d, factor))
    except DecimalException:
        raise NormalizeError(s, "too many digits") from None


_RATIO_RE = re.compile(r"([+\-])?([0-9]+(?:\.[0-9]+)?)(%)?")


def parse_ratio(s: str) -> Decimal:
    """Parse a ratio: ``0.6313`` → 0.6313, ``63.1%`` → 0.631, ``０．５`` → 0.5 (canonical Decimal)."""
    t = _WS_RE.sub("", strip_excel_quote(nfkc(s).strip()))
    if len(t) > _MAX_NUMBER_LEN:
        raise NormalizeError(s, "too many digits")
    m = _RATIO_RE.fullmatch(t)
    if m is None:
        raise NormalizeError(s, "not a number")
    sign, num, pct = m.groups()
    d = Decimal(num if sign != "-" else "-" + num)
    return _canonical(_CTX.scaleb(d, -2) if pct else d)


_INT_RE = re.compile(r"([+\-])?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?")


def parse_int(s: str) -> int:
    """Parse an integer: ``12``, ``１２``, ``12.0``, ``1,234``, ``-3``; ``1.5`` → "not an integer"."""
    if s.isdigit() and s.isascii():
        return int(s)
    t = strip_excel_quote(nfkc(s).strip())
    if len(t) > _MAX_NUMBER_LEN:
        raise NormalizeError(s, "too many digits")
    m = _INT_RE.fullmatch(t)
    if m is None:
        raise NormalizeError(s, "not a number")
    sign, whole, frac = m.groups()
    if frac and frac.strip("0"):
        raise NormalizeError(s, "not an integer")
    n = int(whole.replace(",", ""))
    return -n if sign == "-" else n


_BOOLS: dict[str, bool] = {
    "true": True, "t": True, "1": True,
    "false": False, "f": False, "0": False,
}  # fmt: skip


def parse_bool(s: str) -> bool:
    """Parse ``TRUE/FALSE/true/false/t/f/1/0`` (case-insensitive, full-width ok)."""
    b = _BOOLS.get(s)
    if b is not None:
        return b
    b = _BOOLS.get(nfkc(s).strip().lower())
    if b is None:
        raise NormalizeError(s, "not a boolean")
    return b


# ---------------------------------------------------------------------------------------------
# Legal references: 条 / 項 / 号
# ---------------------------------------------------------------------------------------------

_N = "[0-9〇零一二三四五六七八九十百千]+"
_ARTICLE_RE = re.compile(rf"(第)?({_N})([条條])?((?:[のノ\-]{_N})*)")
_BRANCH_SPLIT_RE = re.compile(r"[のノ\-]")
_PARAGRAPH_RE = re.compile(rf"第({_N})項|({_N})項?")


def _positive(s: str, numeral: str) -> int:
    n = kanji_to_int(numeral)
    if n <= 0:
        raise NormalizeError(s, "number must be positive")
    return n


def _branches(s: str, head: str, tail: str) -> str:
    parts = [str(_positive(s, head))]
    if tail:
        parts.extend(str(_positive(s, p)) for p in _BRANCH_SPLIT_RE.split(tail)[1:])
    return "-".join(parts)


def parse_article(s: str) -> str:
    """Canonical article (条) number: ``第二百四十四条の五`` → ``'244-5'``, ``１６条`` → ``'16'``.

    Grammar (after NFKC, whitespace removed): ``[第] N [条] (の N)*`` where ``第`` requires ``条``
    and ``-`` is accepted in place of ``の``; N is an Arabic or kanji numeral > 0.
    """
    t = _WS_RE.sub("", nfkc(s))
    m = _ARTICLE_RE.fullmatch(t)
    if m is None:
        raise NormalizeError(s, "not an article number")
    dai, head, jo, tail = m.groups()
    if dai and not jo:
        raise NormalizeError(s, "not an article number")
    return _branches(s, head, tail)


def parse_paragraph(s: str) -> str:
    """Canonical paragraph (項) number: ``第2項``, ``２``, ``二``, ``②`` → ``'2'``."""
    t = _WS_RE.sub("", nfkc(s))
    m = _PARAGRAPH_RE.fullmatch(t)
    if m is None:
        raise NormalizeError(s, "not a paragraph number")
    return str(_positive(s, m.group(1) or m.group(2)))


_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
_ITEM_SPLIT_RE = re.compile(r"、|,|;|・|及び|および|並びに|ならびに|又は|または|若しくは|もしくは")
_SUB = rf"[{_IROHA}](?:\([0-9]+\))?|\([0-9]+\)"
_ITEM_RE = re.compile(rf"(第)?(?:({_N})((?:の{_N})*))?(号)?((?:の{_N})*)({_SUB})?")
# Kanji that look like iroha katakana, only rewritten right after an explicit 号.
_LOOKALIKE_RE = re.compile(r"号([二八口力工夕卜])(?=$|\()")
_LOOKALIKES = str.maketrans("二八口力工夕卜", "ニハロカエタト")


def parse_item(s: str) -> list[tuple[str, str | None]]:
    """Parse 号 references, possibly several, to ``[(item, sub_item_or_None), ...]``.

    After NFKC and whitespace removal the text is split on 、 , ; ・ 及び 並びに 又は 若しくは
    (and hiragana spellings).  Each part is ``[第] N (の N)* [号] [SUB]`` where SUB is an iroha
    katakana (optionally followed by ``(n)``) or ``(n)``; N is Arabic or kanji (> 0); ``の N``
    branches (before or after 号) are joined with ``-`` (``第3号の2`` → ``'3-2'``).  Hiragana へ is
    read as katakana ヘ, and a kanji look-alike directly after 号 (二八口力工夕卜) as its katakana
    twin.  A bare SUB
    (``ロ`` in ``第1号イ及びロ``) inherits the preceding item number; with no preceding number it
    raises "sub-item without item number".  Ranges and anything else raise.
    """
    t = _WS_RE.sub("", nfkc(s)).replace("へ", "ヘ")
    if not t:
        raise NormalizeError(s, "empty item")
    out: list[tuple[str, str | None]] = []
    prev: str | None = None
    for part in _ITEM_SPLIT_RE.split(t):
        if "号" in part:
            part = _LOOKALIKE_RE.sub(lambda m: "号" + m.group(1).translate(_LOOKALIKES), part)
        m = _ITEM_RE.fullmatch(part)
        if m is None:
            raise NormalizeError(s, "not an item number")
        dai, num, branch, go, branch_after, sub = m.groups()
        if num is None:
            if dai or go or branch_after or sub is None:
                raise NormalizeError(s, "not an item number")
            if prev is None:
                raise NormalizeError(s, "sub-item without item number")
            out.append((prev, sub))
            continue
        if branch and branch_after:
            raise NormalizeError(s, "not an item number")
        prev = _branches(s, num, branch or branch_after)
        out.append((prev, sub))
    return out


# ---------------------------------------------------------------------------------------------
# Eras, years and dates
# ---------------------------------------------------------------------------------------------

# Era name or one-letter abbreviation (half or full width) → Gregorian year of its 元年.
ERAS: dict[str, int] = {
    "明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019,
    "M": 1868, "T": 1912, "S": 1926, "H": 1989, "R": 2019,
    "Ｍ": 1868, "Ｔ": 1912, "Ｓ": 1926, "Ｈ": 1989, "Ｒ": 2019,
}  # fmt: skip

# Last valid era year (e.g. 昭和64 = 1989, 平成31 = 2019); None = current era.
_ERA_LAST_YEAR: dict[int, int | None] = {1868: 45, 1912: 15, 1926: 64, 1989: 31, 2019: None}
_MIN_YEAR = 1868
_MAX_YEAR = 2200
_ERA = "明治|大正|昭和|平成|令和|[MTSHR]"
_Y = "[0-9〇零一二三四五六七八九十百千]+"  # year/month/day numeral (after NFKC)


def _era_start(s: str, era: str) -> int:
    start = ERAS.get(era)
    if start is None:
        start = ERAS.get(nfkc(era).strip().upper())
        if start is None:
            raise NormalizeError(s, f"unknown era {era!r}")
    return start


def _era_year(s: str, start: int, year: str | int) -> int:
    if isinstance(year, int):
        n = year
    else:
        y = nfkc(year).strip()
        n = 1 if y == "元" else kanji_to_int(y)
    last = _ERA_LAST_YEAR[start]
    if n < 1 or (last is not None and n > last):
        raise NormalizeError(s, f"year {n} out of range for era")
    return start + n - 1


def era_year(era: str, year: str | int) -> int:
    """Gregorian year of ``era`` year ``year``: ``('令和', '3')`` → 2021, ``('平成', '元')`` → 1989.

    ``year`` may be an int, Arabic/kanji numeral or ``元``; it must lie within the era
    (昭和 ≤ 64, 平成 ≤ 31, …).
    """
    s = f"{era}{year}"
    return _era_year(s, _era_start(s, era), year)


def _checked_year(s: str, y: int) -> int:
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        raise NormalizeError(s, "implausible year")
    return y


def _prep(s: str) -> str:
    return _WS_RE.sub("", strip_excel_quote(nfkc(s).strip())).upper()


_YEAR_RE = re.compile(rf"(?:FY)?({_Y})(?:年度?)?|({_ERA})(元|{_Y})(?:年度?)?")


def parse_year(s: str) -> int:
    """Gregorian year of ``2024``, ``２０２４``, ``2024年度``, ``平成29年``, ``令和元年度``, ``R3``.

    Also ``H29年度``, ``FY2024`` and kanji numerals.  Era years are range-checked; Gregorian
    years must lie in 1868–2200.
    """
    if len(s) == 4 and s.isdigit() and s.isascii():
        return _checked_year(s, int(s))
    m = _YEAR_RE.fullmatch(_prep(s))
    if m is None:
        raise NormalizeError(s, "not a year")
    greg, era, ey = m.groups()
    if greg is not None:
        return _checked_year(s, kanji_to_int(greg))
    return _era_year(s, ERAS[era], ey)


_TIME_SUFFIX_RE = re.compile(r"(?<=\d)(?:T|\s+)0?0:00(?::00(?:\.0+)?)?$")
_WEEKDAY_RE = re.compile(r"\(([月火水木金土日])(?:曜日?)?\)$")
_WEEKDAYS = "月火水木金土日"
_DATE_RE = re.compile(
    rf"({_Y})年({_Y})月({_Y})日"
    r"|([0-9]{4})([/.\-])([0-9]{1,2})\5([0-9]{1,2})"
    r"|([0-9]{4})([0-9]{2})([0-9]{2})"
    rf"|({_ERA})(元|{_Y})年({_Y})月({_Y})日"
    rf"|({_ERA})(元|[0-9]{{1,2}})([./\-])([0-9]{{1,2}})\17([0-9]{{1,2}})"
)
_YEAR_MONTH_RE = re.compile(
    rf"({_Y})年({_Y})月"
    r"|([0-9]{4})([/.\-])([0-9]{1,2})"
    rf"|({_ERA})(元|{_Y})年({_Y})月"
    rf"|({_ERA})(元|[0-9]{{1,2}})[./\-]([0-9]{{1,2}})"
)


def _make_date(s: str, y: int, mo: str, d: str) -> date:
    month, day = kanji_to_int(mo), kanji_to_int(d)
    try:
        return date(y, month, day)
    except (ValueError, OverflowError):
        raise NormalizeError(s, f"invalid date: {y}-{month}-{day}") from None


def parse_date(s: str) -> date:
    """Parse a full date.

    Forms: ``2024年6月21日``, ``2024/6/21``, ``2024-06-21``, ``2024.6.21``, ``20240621``,
    ``令和3年9月28日`` (Arabic, full-width or kanji numerals, ``元``), ``R3.9.28``/``H27.9.4``.
    Tolerated: one leading ``'``, a trailing weekday ``(金)`` (checked against the date) and a
    trailing midnight time ``[0]0:00[:00]``.  The calendar date and the era year range are validated
    (the day is not checked against the exact day an era began, so ``平成31年5月1日`` is 2019-05-01).
    """
    t = nfkc(s).strip()
    if ":" in t:
        t = _TIME_SUFFIX_RE.sub("", t)
    t = _prep(t)
    weekday = -1
    if t.endswith(")"):
        wm = _WEEKDAY_RE.search(t)
        if wm is not None:
            weekday = _WEEKDAYS.index(wm.group(1))
            t = t[: wm.start()]
    m = _DATE_RE.fullmatch(t)
    if m is None:
        raise NormalizeError(s, "not a date")
    g = m.groups()
    if g[0] is not None:
        result = _make_date(s, _checked_year(s, kanji_to_int(g[0])), g[1], g[2])
    elif g[3] is not None:
        result = _make_date(s, _checked_year(s, int(g[3])), g[5], g[6])
    elif g[7] is not None:
        result = _make_date(s, _checked_year(s, int(g[7])), g[8], g[9])
    elif g[10] is not None:
        result = _make_date(s, _era_year(s, ERAS[g[10]], g[11]), g[12], g[13])
    else:
        result = _make_date(s, _era_year(s, ERAS[g[14]], g[15]), g[17], g[18])
    if weekday >= 0 and result.weekday() != weekday:
        raise NormalizeError(s, "weekday does not match date")
    return result


def parse_year_month(s: str) -> tuple[int, int]:
    """Parse a year and month: ``平成27年6月`` → (2015, 6); also ``2015年6月``, ``2015/6``, ``H27.6``."""
    m = _YEAR_MONTH_RE.fullmatch(_prep(s))
    if m is None:
        raise NormalizeError(s, "not a year and month")
    g = m.groups()
    if g[0] is not None:
        y, mo = _checked_year(s, kanji_to_int(g[0])), g[1]
    elif g[2] is not None:
        y, mo = _checked_year(s, int(g[2])), g[4]
    elif g[5] is not None:
        y, mo = _era_year(s, ERAS[g[5]], g[6]), g[7]
    else:
        y, mo = _era_year(s, ERAS[g[8]], g[9]), g[10]
    month = kanji_to_int(mo)
    if not 1 <= month <= 12:
        raise NormalizeError(s, f"invalid month {month}")
    return y, month


_FD = "[0-9０-９〇一二三四五六七八九十]{1,3}"  # month/day numeral in raw text
_FS = "[ \u3000]*"
_FIND_DATES_RE = re.compile(
    rf"(?:明治|大正|昭和|平成|令和|[㍾㍽㍼㍻㋿]){_FS}(?:元|[0-9０-９〇一二三四五六七八九十百]{{1,4}})"
    rf"{_FS}年{_FS}{_FD}{_FS}月{_FS}{_FD}{_FS}日"
    rf"|(?<![0-9０-９])[0-9０-９]{{4}}{_FS}年{_FS}{_FD}{_FS}月{_FS}{_FD}{_FS}日"
    rf"|(?<![〇一二三四五六七八九])[〇一二三四五六七八九]{{4}}{_FS}年{_FS}{_FD}{_FS}月{_FS}{_FD}{_FS}日"
    r"|(?<![0-9０-９])[0-9０-９]{4}([/／\-－])[0-9０-９]{1,2}\1[0-9０-９]{1,2}(?![0-9０-９]|\1[0-9０-９])"
    r"|(?<![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])[MTSHRＭＴＳＨＲ][0-9０-９]{1,2}([.．])[0-9０-９]{1,2}\2[0-9０-９]{1,2}"
    r"(?![0-9０-９]|[.．][0-9０-９])"
)


def find_dates(text: str) -> list[tuple[date, str]]:
    """All full dates in free text as ``(date, matched_text)`` in order of appearance.

    Finds the :func:`parse_date` forms written with 年月日 (era or 4-digit Gregorian year, any
    numerals, spaces allowed), ``YYYY/M/D``, ``YYYY-MM-DD`` and ``R3.9.28`` (not when glued to
    further digits, as in ``R3.9.28.1``).  Candidates that are not real dates (``2月30日``,
    ``昭和65年…``) are skipped.
    """
    out: list[tuple[date, str]] = []
    for m in _FIND_DATES_RE.finditer(text):
        raw = m.group()
        try:
            out.append((parse_date(raw), raw))
        except NormalizeError:
            continue
    return out


# ---------------------------------------------------------------------------------------------
# Corporate numbers (法人番号)
# ---------------------------------------------------------------------------------------------


def corporate_check_digit(base12: str) -> int:
    """Check digit of a 12-digit corporate-number base: ``9 - (Σ P_n·Q_n mod 9)``.

    P_n is the n-th digit counted from the right (n = 1..12), Q_n = 1 for odd n, 2 for even n.
    """
    if len(base12) != 12 or not (base12.isdigit() and base12.isascii()):
        raise NormalizeError(base12, "not 12 digits")
    total = 0
    for n, ch in enumerate(reversed(base12), 1):
        total += (ord(ch) - 48) * (2 if n % 2 == 0 else 1)
    return 9 - total % 9


def validate_corporate_number(s: str) -> str:
    """Canonical 13-digit corporate number (check digit first), or NormalizeError.

    Tolerates full-width digits, surrounding whitespace, a leading ``'`` and a trailing ``.0``
    from spreadsheet export.  Reasons: "not 13 digits", "all zeros",
    "check digit mismatch: expected X, got Y".
    """
    t = strip_excel_quote(nfkc(s).strip())
    if t.endswith(".0"):
        t = t[:-2]
    if len(t) != 13 or not (t.isdigit() and t.isascii()):
        raise NormalizeError(s, "not 13 digits")
    if t == "0000000000000":
        raise NormalizeError(s, "all zeros")
    expected = corporate_check_digit(t[1:])
    if int(t[0]) != expected:
        raise NormalizeError(s, f"check digit mismatch: expected {expected}, got {t[0]}")
    return t


# ---------------------------------------------------------------------------------------------
# Former program numbers (旧事業番号)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramNumber:
    """A 行政事業レビュー program number such as ``2023-経産-新23-0008``.

    ``year``: review year; ``ministry``: abbreviation (``経産``); ``new``: the ``新`` flag;
    ``series``: the two-digit series after the ministry (23); ``number``: the 4-digit serial,
    kept as written (zero-padded, possibly with a ``-NN`` branch such as ``0001-04``).
    """

    year: int | None
    ministry: str | None
    new: bool
    series: int | None
    number: str

    def sheet_key(self) -> str:
        """The key of a review sheet known by this number: the canonical string without the year, which the
        sheet's IRI carries anyway (``経産-新23-0008``, ``官房-0013``); the same for every source."""
        return replace(self, year=None).key()

    def key(self) -> str:
        """Canonical string: present parts joined with ``-`` (``2023-経産-新23-0008``, ``0333``)."""
        parts: list[str] = []
        if self.year is not None:
            parts.append(str(self.year))
        if self.ministry is not None:
            parts.append(self.ministry)
        if self.series is not None:
            parts.append(f"{'新' if self.new else ''}{self.series:02d}")
        elif self.new:
            parts.append("新")
        parts.append(self.number)
        return "-".join(parts)


# Full names → 旧事業番号 abbreviations (ontology/registers/organizations.ttl); other names only
# lose a trailing 省/庁.
_MINISTRY_ALIASES: dict[str, str] = {
    "内閣官房": "官房", "内閣府": "府", "公正取引委員会": "公取", "警察庁": "警察",
    "個人情報保護委員会": "個情", "金融庁": "金融", "消費者庁": "消費者", "こども家庭庁": "こども",
    "デジタル庁": "デジ", "デジタル": "デジ", "復興庁": "復興", "総務省": "総務", "法務省": "法務",
    "外務省": "外務", "財務省": "財務", "文部科学省": "文科", "厚生労働省": "厚労",
    "農林水産省": "農水", "経済産業省": "経産", "国土交通省": "国交", "環境省": "環境",
    "原子力規制委員会": "原規", "防衛省": "防衛",
}  # fmt: skip
_PN_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー", "-"))
_PN_SEP = r"[\s\-:]*"
_PN_CJK = "ぁ-ゖァ-ヺ々〆一-鿿"
_PN_MIN = rf"(?P<min>(?![年度新])[{_PN_CJK}]{{1,10}}?)"
_PN_NUMBER = r"(?P<number>[0-9]{4}(?:-[0-9]{2})?)(?![0-9])"
_PN_LABEL_RE = re.compile(r"旧?事業番号[\s:]*")
_PN_RE = re.compile(
    # year - ministry - [新]series - number
    rf"(?<![0-9])(?P<year>(?:19|20)[0-9]{{2}}){_PN_SEP}{_PN_MIN}{_PN_SEP}(?P<new>新)?{_PN_SEP}"
    rf"(?P<series>[0-9]{{2}}){_PN_SEP}{_PN_NUMBER}"
    # [ministry] [新] series - number
    rf"|(?<![0-9{_PN_CJK}])(?:(?P<min2>(?![年度新])[{_PN_CJK}]{{1,10}}?){_PN_SEP})?(?P<new2>新)?"
    rf"{_PN_SEP}(?<![0-9])(?P<series2>[0-9]{{2}}){_PN_SEP}(?P<number2>[0-9]{{4}}(?:-[0-9]{{2}})?)(?![0-9])"
    # bare number
    rf"|(?<![0-9\-:{_PN_CJK}])(?P<number3>[0-9]{{4}}(?:-[0-9]{{2}})?)(?![0-9])"
    rf"(?!{_PN_SEP}[{_PN_CJK}])(?!{_PN_SEP}[0-9]{{2}}{_PN_SEP}[0-9]{{4}}(?![0-9]))"
)
_PN_NOISE_RE = re.compile(r"(?:明治|大正|昭和|平成|令和|[MTSHR])\s*(?:[0-9]{1,2}|元)\s*年度?|(?:19|20)[0-9]{2}\s*年度?")


def _ministry(name: str) -> str:
    alias = _MINISTRY_ALIASES.get(name)
    if alias is not None:
        return alias
    if len(name) > 2 and name[-1] in "省庁":
        return name[:-1]
    return name


def parse_program_numbers(s: str) -> list[ProgramNumber]:
    """All program numbers (旧事業番号) in ``s``.

    After NFKC (dash look-alikes and ``ｰ``/``ー`` read as ``-``; ``旧事業番号`` labels ignored) the
    text is scanned for, in order of preference (separators between parts: any run of
    spaces, ``-`` or ``:``, possibly empty)::

        YYYY  MINISTRY  [新]SS  NNNN     2023-経産-新23-0008, 2023警察220059, 2023環境22 0150
        [MINISTRY] [新]SS  NNNN          経産新21：0034, 新02-0026, 220107
        NNNN                             0333, 1000 (not followed by a ministry or 年)

    YYYY is 19xx/20xx, SS two digits, NNNN four digits optionally followed by a ``-NN`` branch
    (kept in ``number``: ``0001-04``).  Ministry names lose 省/庁 or are mapped to their
    abbreviation (``総務省`` → ``総務``).  Text containing no complete number (``--``,
    ``政策: 15 施策: 21``, or the number-less ``2021-官房-新21``) gives ``[]``.  If at least one
    number is found but other digits remain unexplained (other than era/Gregorian years such as
    ``令和5年度``), NormalizeError "unparsed text" is raised rather than dropping data.
    """
    t = nfkc(s)
    if not t.isascii():
        t = _PN_LABEL_RE.sub(" ", t.translate(_PN_DASHES))
    out: list[ProgramNumber] = []
    residue: list[str] = []
    pos = 0
    for m in _PN_RE.finditer(t):
        residue.append(t[pos : m.start()])
        pos = m.end()
        if m.group("number") is not None:
            new = m.group("new") is not None
            out.append(
                ProgramNumber(
                    int(m.group("year")),
                    _ministry(m.group("min")),
                    new,
                    int(m.group("series")),
                    m.group("number"),
                )
            )
        elif m.group("number2") is not None:
            ministry = m.group("min2")
            out.append(
                ProgramNumber(
                    None,
                    _ministry(ministry) if ministry else None,
                    m.group("new2") is not None,
                    int(m.group("series2")),
                    m.group("number2"),
                )
            )
        else:
            out.append(ProgramNumber(None, None, False, None, m.group("number3")))
    if not out:
        return out
    residue.append(t[pos:])
    rest = _PN_NOISE_RE.sub("", "".join(residue))
    if any(ch.isdigit() for ch in rest):
        raise NormalizeError(s, f"unparsed text in program numbers: {rest.strip()!r}")
    return out


# ---------------------------------------------------------------------------------------------
# Subsidy rates
# ---------------------------------------------------------------------------------------------

_FRACTION_PREFIXES = ("国費", "補助率", "負担率")
_FRACTION_SUFFIX = "以内"
_FN = "[0-9〇一二三四五六七八九十百]+"
_FRACTION_RE = re.compile(rf"({_FN})/({_FN})|({_FN})分の({_FN})|([0-9]+(?:\.[0-9]+)?)(%)?")
_FRACTION_CTX = Context(prec=28)


def parse_fraction(s: str) -> Decimal | None:
    """A single simple rate as a Decimal (``1/2``, ``２分の１``, ``100%``, ``0.5``, ``国費1/2``,
    ``1/2以内`` → 0.5), or None when the text is anything else (``定額``, ``1/2、1/3等``, prose).

    A leading ``'`` is stripped.  Non-terminating fractions are rounded to 28 significant digits
    (``1/3`` → 0.3333333333333333333333333333); a zero denominator gives None.
    """
    t = _WS_RE.sub("", strip_excel_quote(nfkc(s).strip()))
    for prefix in _FRACTION_PREFIXES:
        if t.startswith(prefix):
            t = t[len(prefix) :].lstrip(":")
            break
    t = t.removesuffix(_FRACTION_SUFFIX)
    if len(t) > _MAX_NUMBER_LEN:
        return None
    m = _FRACTION_RE.fullmatch(t)
    if m is None:
        return None
    num_a, den_a, den_b, num_b, dec, pct = m.groups()
    if dec is not None:
        d = Decimal(dec)
        return _canonical(_CTX.scaleb(d, -2) if pct else d)
    try:
        if num_a is not None:
            num, den = kanji_to_int(num_a), kanji_to_int(den_a)
        else:
            num, den = kanji_to_int(num_b), kanji_to_int(den_b)
    except NormalizeError:
        return None
    if den == 0:
        return None
    return _canonical(_FRACTION_CTX.divide(Decimal(num), Decimal(den)))
