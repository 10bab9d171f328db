"""Reading a gBizINFO response: which endpoint produced it, and its records with typed values and load issues."""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from ontology import codes

from .. import common
from .. import normalize as nz
from ..base import LoaderError, LoadIssue, SourceUnit
from .records import GbizAward, GbizCorporation

LIST_KINDS = ("subsidy", "procurement", "patent", "certification", "commendation", "finance", "workplace")
"""Per-corporation endpoints whose records are a list named after the kind."""
MAPPED_KINDS = ("subsidy", "procurement")
BASIC_KEYS = frozenset(
    {
        "kana",
        "kind",
        "process",
        "aggregated_year",
        "representative_name",
        "representative_position",
        "capital_stock",
        "employee_number",
        "company_size_male",
        "company_size_female",
        "business_summary",
        "company_url",
        "founding_year",
        "date_of_establishment",
        "business_items",
        "industry",
        "qualification_grade",
        "close_date",
        "close_cause",
    }
)
"""Keys only the basic-information endpoint returns."""
NULL_STRINGS = frozenset({"Null", "NULL", "null"})
"""gBizINFO writes some missing values as the string ``"Null"``."""

HEADER_KEYS = frozenset({"corporate_number", "name", "location"})
"""The corporation's header fields repeated at the top of every per-corporation response."""
BASIC_MAPPED = frozenset(
    {
        "corporate_number",
        "name",
        "kana",
        "name_en",
        "postal_code",
        "location",
        "kind",
        "close_date",
        "close_cause",
        "representative_name",
        "representative_position",
        "capital_stock",
        "employee_number",
        "business_summary",
        "company_url",
        "founding_year",
        "date_of_establishment",
    }
)
AWARD_MAPPED = {
    "subsidy": frozenset({"date_of_approval", "title", "amount", "government_departments", "note", "meta-data"}),
    "procurement": frozenset({"date_of_order", "title", "amount", "government_departments", "note", "meta-data"}),
}
AWARD_DATE = {"subsidy": "date_of_approval", "procurement": "date_of_order"}


# -- recognising a response -------------------------------------------------------------------------------------
_BOM = b"\xef\xbb\xbf"
HEAD_SIZE = 65536
"""Bytes sniffed by ``detect``: a shorter head is the whole file."""
_HOJIN_INFOS = re.compile(r'"hojin-infos"\s*:\s*(?:\[|null)')
_ENVELOPE = re.compile(r'"(?:id|errors|message)"\s*:')


def sniff(head: bytes) -> bool:
    """True when the first bytes of a file are a gBizINFO v2 response (see :func:`loaders.gbizinfo.detect`)."""
    text = head.removeprefix(_BOM).decode("utf-8", errors="ignore").lstrip()
    if not text.startswith("{"):
        return False
    if len(head) < HEAD_SIZE:  # the whole file: decide on the parsed document
        try:
            return _is_response(json.loads(text))
        except ValueError:
            pass
    return bool(_HOJIN_INFOS.search(text) and _ENVELOPE.search(text))


def _is_response(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and "hojin-infos" in obj
        and (obj["hojin-infos"] is None or isinstance(obj["hojin-infos"], list))
    )


def load(unit: SourceUnit) -> dict[str, Any]:
    """The response as JSON (amounts as decimals); raises :class:`LoaderError` when it is not a response."""
    try:
        with unit.open() as fh:
            data = fh.read()
    except OSError as exc:
        raise LoaderError(str(unit), f"unreadable file: {exc}") from exc
    try:
        obj = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError as exc:
        raise LoaderError(str(unit), f"not UTF-8: {exc}") from exc
    except ValueError as exc:
        raise LoaderError(str(unit), f"malformed JSON: {exc}") from exc
    if not _is_response(obj):
        raise LoaderError(str(unit), "not a gBizINFO response: no hojin-infos list")
    return obj


def _infos(obj: dict[str, Any]) -> list[Any]:
    return obj.get("hojin-infos") or []


def response_kind(obj: dict[str, Any]) -> str:
    """``basic``, one of :data:`LIST_KINDS`, ``search`` or ``unknown``, from the keys of the response."""
    keys: set[str] = set()
    for info in _infos(obj):
        if isinstance(info, dict):
            keys |= info.keys()
    for kind in LIST_KINDS:
        if kind in keys:
            return kind
    if keys & BASIC_KEYS:
        return "basic"
    if "number_of_activity" in keys or (obj.get("id") is None and keys):
        return "search"
    return "unknown"


def corporate_number_of(obj: dict[str, Any]) -> str | None:
    """The first valid 法人番号 of a response (its ``id``, else a ``corporate_number`` of its entries), or None."""
    candidates = [obj.get("id")] + [i.get("corporate_number") for i in _infos(obj) if isinstance(i, dict)]
    for c in candidates:
        if isinstance(c, str):
            try:
                return nz.validate_corporate_number(c)
            except nz.NormalizeError:
                continue
    return None


# -- values ----------------------------------------------------------------------------------------------------
def json_pointer(*tokens: str | int) -> str:
    """An RFC 6901 JSON Pointer, percent-encoded for an IRI fragment."""
    p = "".join("/" + str(tok).replace("~", "~0").replace("/", "~1") for tok in tokens)
    return quote(p, safe="/()=:@!$&'*+,;-._~?")


def missing(value: Any) -> bool:
    """True for JSON null, the string ``"Null"`` and blank strings."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in NULL_STRINGS or nz.clean(value) is None
    if isinstance(value, list | dict):
        return not value
    return False


def _text(value: Any) -> str | None:
    if missing(value):
        return None
    return nz.clean(value if isinstance(value, str) else str(value))


class _Values:
    """Reads the values of one JSON object, collecting load issues with their JSON Pointer."""

    def __init__(self, obj: dict[str, Any], pointer: tuple[str | int, ...], issues: list[LoadIssue]) -> None:
        self.obj, self.pointer, self.issues = obj, pointer, issues

    def issue(self, key: str, code_: str, reason: str, value: Any) -> None:
        where = "/".join(str(p) for p in (*self.pointer, key))
        self.issues.append(LoadIssue(code_, reason, "warning", column="/" + where, value=str(value)))

    def text(self, key: str) -> str | None:
        return _text(self.obj.get(key))

    def date(self, key: str) -> _dt.date | None:
        v = self.obj.get(key)
        if missing(v):
            return None
        s = str(v).strip()
        try:
            if "T" in s:
                moment = _dt.datetime.fromisoformat(s)
                if moment.time() != _dt.time(0, 0):
                    self.issue(key, "bad-date", "a time of day other than midnight; only the date is mapped", v)
                return moment.date()
            return _dt.date.fromisoformat(s)
        except ValueError:
            pass
        try:
            return nz.parse_date(s)
        except nz.NormalizeError as exc:
            self.issue(key, "bad-date", f"{exc.reason}; not mapped", v)
            return None

    def amount(self, key: str) -> tuple[Decimal | None, str | None]:
        v = self.obj.get(key)
        if missing(v):
            return None, None
        if isinstance(v, bool):
            self.issue(key, "bad-amount", "not an amount; not mapped", v)
            return None, None
        raw = str(v)
        try:
            if isinstance(v, int | Decimal):
                d = Decimal(v)
                if not d.is_finite():
                    raise nz.NormalizeError(raw, "not a finite number")
                return (d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()), raw
            return nz.parse_amount(raw), raw
        except nz.NormalizeError as exc:
            self.issue(key, "bad-amount", f"{exc.reason}; not mapped", v)
            return None, raw

    def integer(self, key: str) -> int | None:
        v = self.obj.get(key)
        if missing(v):
            return None
        if isinstance(v, int) and not isinstance(v, bool):
            return v
        try:
            return nz.parse_int(str(v))
        except nz.NormalizeError as exc:
            self.issue(key, "bad-int", f"{exc.reason}; not mapped", v)
            return None

    def code(self, key: str, known: set[str] | frozenset[str] | dict[str, str]) -> str | None:
        v = self.text(key)
        if v is None:
            return None
        if v in known:
            return v
        self.issue(key, "unknown-code", f"unknown {key} code; not mapped", v)
        return None


_CORPORATE_TYPES = frozenset(n.rsplit("/", 1)[1] for n in codes.concepts("corporate-type"))
CLOSE_CAUSES = frozenset({"01", "11", "21", "31"})
"""登記記録の閉鎖等の事由 (NTA codes, code list ``close-cause``)."""


# -- parsing --------------------------------------------------------------------------------------------------
def parse(unit: SourceUnit) -> Iterator[GbizCorporation | GbizAward | LoadIssue]:
    """The records of one response: corporations (basic), subsidies and procurements, and load issues."""
    obj = load(unit)
    kind = response_kind(obj)
    infos = _infos(obj)
    unmapped: Counter[str] = Counter()
    errors = obj.get("errors")
    if not missing(errors):
        yield LoadIssue("api-error", "the response reports errors", "error", column="/errors", value=_dump(errors))
    if kind == "search":
        yield LoadIssue(
            "not-mapped",
            f"gBizINFO search response with {len(infos)} hits; search results are not mapped (load the "
            "per-corporation responses instead)",
            "info",
            column="/hojin-infos",
            value=str(len(infos)),
        )
        return
    if kind == "unknown":
        if infos:
            yield LoadIssue(
                "not-mapped",
                f"gBizINFO response of an unrecognised endpoint ({len(infos)} entries); not mapped",
                "info",
                column="/hojin-infos",
            )
        return
    for i, info in enumerate(infos):
        if not isinstance(info, dict):
            yield LoadIssue(
                "bad-record", "hojin-infos entry is not an object; not mapped", "error", column=f"/hojin-infos/{i}"
            )
            continue
        issues: list[LoadIssue] = []
        raw_number = info.get("corporate_number")
        try:
            number = nz.validate_corporate_number(str(raw_number))
        except nz.NormalizeError as exc:
            yield LoadIssue(
                "bad-corpno",
                f"{exc.reason}; entry not mapped",
                "error",
                column=f"/hojin-infos/{i}/corporate_number",
                value=str(raw_number),
            )
            continue
        if kind == "basic":
            yield _basic(info, number, i, issues)
            unmapped.update(f"/hojin-infos/*/{k}" for k, v in info.items() if k not in BASIC_MAPPED and not missing(v))
        else:
            unmapped.update(
                f"/hojin-infos/*/{k}" for k, v in info.items() if k not in HEADER_KEYS and k != kind and not missing(v)
            )
            items = info.get(kind)
            if not isinstance(items, list):
                if not missing(items):
                    issues.append(
                        LoadIssue(
                            "bad-record",
                            f"{kind} is not a list; not mapped",
                            "error",
                            column=f"/hojin-infos/{i}/{kind}",
                        )
                    )
                items = []
            if kind in MAPPED_KINDS:
                yield from _awards(kind, info, number, i, items, issues, unmapped)
            elif items:
                issues.append(
                    LoadIssue(
                        "not-mapped",
                        f"{len(items)} {kind} record(s) of {number}; not mapped",
                        "info",
                        column=f"/hojin-infos/{i}/{kind}",
                        value=str(len(items)),
                    )
                )
        yield from issues
    for key, n in sorted(unmapped.items()):
        yield LoadIssue(
            "field-not-mapped",
            f"field present in {n} record(s) but not mapped (kept in the source file)",
            "info",
            column=key,
        )


def _dump(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _basic(info: dict[str, Any], number: str, i: int, issues: list[LoadIssue]) -> GbizCorporation:
    v = _Values(info, ("hojin-infos", i), issues)
    capital, capital_raw = v.amount("capital_stock")
    url = v.text("company_url")
    if url is not None and not common.is_url(url):
        v.issue("company_url", "bad-url", "not an http(s) URL; not mapped", url)
        url = None
    founding = v.text("founding_year")
    year = None
    if founding is not None:
        try:
            year = nz.parse_year(founding)
        except nz.NormalizeError as exc:
            v.issue("founding_year", "bad-year", f"{exc.reason}; not mapped", founding)
    return GbizCorporation(
        number=number,
        pointer=json_pointer("hojin-infos", i),
        name=v.text("name"),
        kana=v.text("kana"),
        name_en=v.text("name_en"),
        postal_code=v.text("postal_code"),
        location=v.text("location"),
        kind=v.code("kind", _CORPORATE_TYPES),
        close_date=v.date("close_date"),
        close_cause=v.code("close_cause", CLOSE_CAUSES),
        representative_name=v.text("representative_name"),
        representative_position=v.text("representative_position"),
        capital=capital,
        capital_raw=capital_raw,
        employees=v.integer("employee_number"),
        founding_year=year,
        established=v.date("date_of_establishment"),
        business_summary=v.text("business_summary"),
        url=url,
    )


def _awards(
    kind: str,
    info: dict[str, Any],
    number: str,
    i: int,
    items: list[Any],
    issues: list[LoadIssue],
    unmapped: Counter[str],
) -> Iterator[GbizAward]:
    seen: Counter[str] = Counter()
    corp_name = _text(info.get("name"))
    for j, item in enumerate(items):
        pointer = ("hojin-infos", i, kind, j)
        if not isinstance(item, dict):
            issues.append(
                LoadIssue(
                    "bad-record",
                    f"{kind} entry is not an object; not mapped",
                    "error",
                    column="/" + "/".join(map(str, pointer)),
                )
            )
            continue
        v = _Values(item, pointer, issues)
        meta_data = item.get("meta-data")
        meta: dict[str, Any] = meta_data if isinstance(meta_data, dict) else {}
        identifier = _text(meta.get("key_field"))
        prefix = f"/hojin-infos/*/{kind}/*"
        unmapped.update(f"{prefix}/{k}" for k, x in item.items() if k not in AWARD_MAPPED[kind] and not missing(x))
        unmapped.update(f"{prefix}/meta-data/{k}" for k, x in meta.items() if k != "key_field" and not missing(x))
        key = identifier or str(j + 1)
        seen[key] += 1
        if seen[key] > 1:
            issues.append(
                LoadIssue(
                    "duplicate-key",
                    f"{kind} key {key} repeats; this record is keyed {key}-{seen[key]}",
                    "warning",
                    column="/" + "/".join(map(str, pointer)),
                    value=key,
                )
            )
            key = f"{key}-{seen[key]}"
        amount, amount_raw = v.amount("amount")
        yield GbizAward(
            kind=kind,
            number=number,
            corporation_name=corp_name,
            pointer=json_pointer(*pointer),
            key=key,
            identifier=identifier,
            title=v.text("title"),
            amount=amount,
            amount_raw=amount_raw,
            date=v.date(AWARD_DATE[kind]),
            department=v.text("government_departments"),
            note=v.text("note"),
        )
