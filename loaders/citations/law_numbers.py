"""Law numbers (法令番号) and e-Gov law IDs (法令ID): parsing them and checking that they agree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import normalize as nz
from .grammar import LAWNUM_BODY


@dataclass(frozen=True)
class LawNumber:
    """A parsed 法令番号: ``平成二十六年法律第百四号`` → era 平成, era_year 26, year 2014, kind 法律, number 104.

    ``kind`` is 法律, 政令, 勅令, 条約, or the issuer with its form (``総務省令``, ``内閣府令``,
    ``文部省・厚生省令``, ``国家公安委員会規則`` …), NFKC-normalised.
    """

    era: str
    era_year: int
    year: int
    kind: str
    number: int


_LAWNUM_FULL_RE = re.compile(LAWNUM_BODY)


def parse_law_number(s: str) -> LawNumber:
    """Parse a 法令番号: ``令和三年法律第三十六号``, ``平成十三年総務省令第一号``, ``平成14年12月13日法律第151号``.

    Kanji, Arabic or full-width numerals, ``元年``, an optional promulgation date, spaces/underscores,
    surrounding parentheses and a missing 第 (``平成25年法律105号``) are accepted; anything else
    (``明治十九年勅令`` without a number, ``平成十九年第三十号`` without a kind) raises NormalizeError.
    """
    t = _WS_UNDERSCORE_RE.sub(" ", nz.nfkc(s)).strip()
    if t.startswith("(") and t.endswith(")"):
        t = t[1:-1].strip()
    m = _LAWNUM_FULL_RE.fullmatch(t)
    if m is None:
        raise nz.NormalizeError(s, "not a law number")
    era, ey, mo, day, kind, num = m.groups()
    era_y = 1 if ey == "元" else nz.kanji_to_int(ey)
    year = nz.era_year(era, era_y)
    if mo is not None:
        nz.parse_date(f"{era}{ey}年{mo}月{day}日")  # validates the date
    number = nz.kanji_to_int(num)
    if number <= 0:
        raise nz.NormalizeError(s, "law number must be positive")
    return LawNumber(era, era_y, year, kind.replace(" ", ""), number)


_WS_UNDERSCORE_RE = re.compile(r"[\s_]+")


# ---------------------------------------------------------------------------------------------
# e-Gov 法令ID
# ---------------------------------------------------------------------------------------------

_ERA_DIGITS = {"1": "明治", "2": "大正", "3": "昭和", "4": "平成", "5": "令和"}
_LAW_ID_RE = re.compile(r"([1-5])([0-9]{2})([A-Z]+)([0-9A-F]*)")

# Ministry bits of 府省令 IDs (``M`` + period digit + 7 hex digits), by period; verified against every
# M-type ID and 法令番号 pair of the RS 2024 table 1-3 (joint ordinances OR the bits of their issuers).
_MINISTRY_BITS: dict[str, dict[str, int]] = {
    "4": {"文部省": 0x80, "厚生省": 0x100},
    "5": {
        "総理府": 0x2, "自治省": 0x8, "文部省": 0x80, "厚生省": 0x100, "通商産業省": 0x400,
        "運輸省": 0x800, "郵政省": 0x1000, "労働省": 0x2000, "建設省": 0x4000, "農林省": 0x10000,
        "電波監理委員会": 0x80000, "国家公安委員会": 0x400000,
    },
    "6": {
        "内閣府": 0x2, "総務省": 0x8, "法務省": 0x10, "外務省": 0x20, "財務省": 0x40, "文部科学省": 0x80,
        "厚生労働省": 0x100, "農林水産省": 0x200, "経済産業省": 0x400, "国土交通省": 0x800, "環境省": 0x1000,
        "デジタル庁": 0x4000, "公正取引委員会": 0x200000, "国家公安委員会": 0x400000,
        "カジノ管理委員会": 0x2000000,
    },
}  # fmt: skip


@dataclass(frozen=True)
class LawId:
    """The parts of an e-Gov 法令ID (see :func:`parse_law_id`)."""

    law_id: str
    era: str
    era_year: int
    year: int
    type_code: str  # AC, CO, IO, M, RJNJ, …
    number: int
    proposer: str | None = None  # AC: 00 cabinet bill, 10 House of Representatives, 01 House of Councillors
    period: str | None = None  # M: 4, 5 or 6 (see parse_law_id)
    ministries: int | None = None  # M: bit set of the issuing ministries


def parse_law_id(law_id: str) -> LawId:
    """Parse a 15-character e-Gov 法令ID (a 法令履歴ID ``{ID}_{YYYYMMDD}_{amending ID}`` is reduced to its ID).

    Layout, checked against all 909 IDs of the RS 2024 table 1-3::

        4 26 AC 10 00000104    era digit (1 明治 2 大正 3 昭和 4 平成 5 令和), era year (2 digits),
        4 19 CO 0000000124     type letters, then the number:
        2 15 IO 0000000243       AC (法律): 2-digit proposer (00 閣法, 10 衆法, 01 参法) + 8-digit number
        4 13 M 6 0000008 001     CO (政令), IO (勅令): 10-digit number
        4 13 M 6 0001FC2 001     M (府省令・委員会規則): a period digit (in the data 4 for 昭和22–23, 5 for
                                 昭和25–平成12, 6 from 平成13, the 2001 reorganisation), 7 hex digits =
                                 bit set of the issuing ministries (総務省 0x8, 外務省 0x20, 財務省 0x40 …;
                                 a joint ordinance ORs its issuers' bits), 3-digit number

    Other type codes (``RJNJ`` 人事院規則, ``CONSTITUTION`` in ``321CONSTITUTION`` …) are returned with the
    number read from their trailing digits (0 if none).  Raises NormalizeError for anything else.
    """
    v = law_id.strip().upper()
    if len(v) > 15 and v[15:16] == "_":
        v = v[:15]
    m = _LAW_ID_RE.fullmatch(v)
    if m is None or len(v) != 15:
        raise nz.NormalizeError(law_id, "not an e-Gov law ID")
    era_d, ey, code, rest = m.groups()
    era = _ERA_DIGITS[era_d]
    era_y = int(ey)
    try:
        year = nz.era_year(era, era_y)
    except nz.NormalizeError:
        raise nz.NormalizeError(law_id, "era year out of range") from None
    if code == "AC" and rest.isdigit() and len(rest) == 10:
        return LawId(v, era, era_y, year, code, int(rest[2:]), proposer=rest[:2])
    if code in ("CO", "IO") and rest.isdigit():
        return LawId(v, era, era_y, year, code, int(rest))
    if code == "M" and len(rest) == 11 and rest[0].isdigit() and rest[8:].isdigit():
        return LawId(v, era, era_y, year, "M", int(rest[8:]), period=rest[0], ministries=int(rest[1:8], 16))
    if code in ("AC", "CO", "IO", "M"):
        raise nz.NormalizeError(law_id, "not an e-Gov law ID")
    digits = re.search(r"[0-9]+$", rest)
    return LawId(v, era, era_y, year, code, int(digits.group()) if digits else 0)


def law_id_parts(law_id: str) -> tuple[str, int, str, int]:
    """``(era, era_year, type_code, number)`` of an e-Gov 法令ID: ``426AC1000000104`` → ('平成', 26, 'AC', 104).

    ``type_code`` is the ID's type letters: AC 法律, CO 政令, IO 勅令, M 府省令・委員会規則 (the ministry is in
    the hexadecimal digits that follow, see :func:`parse_law_id`), RJNJ 人事院規則 …
    """
    p = parse_law_id(law_id)
    return p.era, p.era_year, p.type_code, p.number


_KIND_CODES = {"法律": "AC", "政令": "CO", "勅令": "IO"}


def _issuers(kind: str) -> list[str] | None:
    """Issuers of a 府省令/規則 kind (``文部省・厚生省令`` → [文部省, 厚生省]); None if not such a kind."""
    if kind.endswith("規則") and kind != "規則":
        return [kind[:-2]]
    if kind.endswith("令") and len(kind) > 2 and kind[-2] in "省府庁":
        return [k.removesuffix("令") for k in kind.split("・")]
    return None


def consistent(law_number: LawNumber, law_id: str) -> bool:
    """True when a parsed 法令番号 and a 法令ID agree on era, era year, kind and number.

    For 府省令 in a period whose ministry bits are known (see :func:`parse_law_id`), the issuing
    ministries must match too; unknown issuers are not held against the pair.
    """
    try:
        p = parse_law_id(law_id)
    except nz.NormalizeError:
        return False
    if (p.era, p.era_year, p.number) != (law_number.era, law_number.era_year, law_number.number):
        return False
    code = _KIND_CODES.get(law_number.kind)
    if code is not None:
        return p.type_code == code
    if law_number.kind == "人事院規則":
        return p.type_code == "RJNJ"
    issuers = _issuers(law_number.kind)
    if issuers is None or p.type_code != "M":
        return False
    bits = _MINISTRY_BITS.get(p.period or "", {})
    if all(i in bits for i in issuers):
        expected = 0
        for i in issuers:
            expected |= bits[i]
        return expected == p.ministries
    return True


def law_type(law_id: str, law_number: LawNumber | None = None) -> str:
    """Law-type notation (``code/law-type/…``) of a 法令ID: act, cabinet-order, imperial-ordinance,
    ministerial-ordinance, rule, constitution, treaty or other.  M-type IDs cover both 府省令 and 委員会規則; a
    ``law_number`` whose kind is a 規則 makes them a rule."""
    try:
        p = parse_law_id(law_id)
    except nz.NormalizeError:
        return "other"
    if p.type_code == "AC":
        return "act"
    if p.type_code == "CO":
        return "cabinet-order"
    if p.type_code == "IO":
        return "imperial-ordinance"
    if p.type_code == "M":
        if law_number is not None and law_number.kind.endswith("規則"):
            return "rule"
        return "ministerial-ordinance"
    if p.type_code == "RJNJ":
        return "rule"
    if p.type_code == "TR":
        return "treaty"
    if p.type_code == "CONSTITUTION":
        return "constitution"
    return "other"
