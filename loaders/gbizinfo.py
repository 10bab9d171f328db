"""Loader ``gbizinfo``: gBizINFO REST API v2 JSON responses (経済産業省 gBizINFO, ``https://info.gbiz.go.jp/``).

A response is a JSON object ``{"id", "errors", "message", "hojin-infos": [...]}``; which endpoint produced it is
recognised from its content (never from the file name):

* ``basic`` (``GET /v2/hojin/{法人番号}``): the corporation's profile (name, kana, English name, address, kind,
  representative, capital, employees, date of establishment, business summary, URL …);
* ``subsidy`` / ``procurement`` / ``patent`` / ``certification`` / ``commendation`` / ``finance`` / ``workplace``
  (``GET /v2/hojin/{法人番号}/{kind}``): the corporation's header fields plus a list named after the kind;
* ``search`` (``GET /v2/hojin?…``): a list of hits (``id`` is null, hits carry ``number_of_activity``).

Values may be JSON ``null`` or the string ``"Null"``: both are missing values.  Amounts are exact: subsidy
``amount`` is a string, procurement ``amount`` a number (read as a decimal, never a float).

Mapping:

* ``basic`` → *declarations* of ``id/corporation/{法人番号}`` with the same terms as the ``houjin`` loader where they
  mean the same (``cbkg:officialName``, ``cbkg:officialNameKana``, ``cbkg:officialNameEn``, ``cbkg:address``,
  ``cbkg:postCode``, ``cbkg:corporateType``, ``cbkg:closeDate``, ``cbkg:closeCause``) and gBizINFO's own
  (representative, capital, employees, date of establishment, founding year, business summary,
  ``foaf:homepage``); the data graph records where they were read (``prov:wasDerivedFrom <{source}#/hojin-infos/0>``);
* ``subsidy`` / ``procurement`` → data nodes ``cbkg:GovernmentSubsidy`` / ``cbkg:GovernmentProcurement``
  ``{corporation}/gbiz-{kind}/{meta-data.key_field or position}`` with title, amount (yen), date of approval / order,
  awarding body (as written, and its register IRI when it names a 府省庁), note, ``dcterms:identifier`` (gBizINFO's
  key) and ``prov:wasDerivedFrom <{source}#/hojin-infos/0/subsidy/3>`` (RFC 6901 JSON Pointer);
* ``patent`` and the other lists, and ``search`` responses, are not mapped: one ``info`` load issue says how many
  records they hold.  Fields present but not mapped are listed in ``info`` load issues (one per field).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ontology import codes
from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.namespaces import DCTERMS, FOAF, PROV, SKOS
from ontology.terms import IRI, Triple

from . import common
from . import normalize as nz
from .base import LoaderError, LoadIssue, MapContext, SourceUnit, issue_triples

NAME = "gbizinfo"
VERSION = "1.0.0"
TITLE = "gBizINFO REST API v2 response (JSON: basic, subsidy, procurement, patent, search …)"
__all__ = [
    "NAME",
    "TITLE",
    "VERSION",
    "GbizAward",
    "GbizCorporation",
    "cost",
    "declarations",
    "detect",
    "graph_key",
    "parse",
    "to_triples",
    "units",
]

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
AWARD_CLASS = {"subsidy": "GovernmentSubsidy", "procurement": "GovernmentProcurement"}
AWARD_DATE_PROP = {"subsidy": "approvalDate", "procurement": "orderDate"}


# -- records ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GbizCorporation:
    """The basic information of one corporation (``/hojin-infos/{i}`` of a basic response); missing: None."""

    number: str
    pointer: str
    name: str | None = None
    kana: str | None = None
    name_en: str | None = None
    postal_code: str | None = None
    location: str | None = None
    kind: str | None = None
    close_date: _dt.date | None = None
    close_cause: str | None = None
    representative_name: str | None = None
    representative_position: str | None = None
    capital: Decimal | None = None
    capital_raw: str | None = None
    employees: int | None = None
    founding_year: int | None = None
    established: _dt.date | None = None
    business_summary: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class GbizAward:
    """One subsidy or procurement record of a corporation (``/hojin-infos/{i}/{kind}/{j}``)."""

    kind: str
    number: str
    corporation_name: str | None
    pointer: str
    key: str
    identifier: str | None = None
    title: str | None = None
    amount: Decimal | None = None
    amount_raw: str | None = None
    date: _dt.date | None = None
    department: str | None = None
    note: str | None = None


# -- detection ----------------------------------------------------------------------------------------------
_BOM = b"\xef\xbb\xbf"
_HEAD_SIZE = 65536
_HOJIN_INFOS = re.compile(r'"hojin-infos"\s*:\s*(?:\[|null)')
_ENVELOPE = re.compile(r'"(?:id|errors|message)"\s*:')


def _head_text(head: bytes) -> str:
    return head.removeprefix(_BOM).decode("utf-8", errors="ignore").lstrip()


def _is_response(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and "hojin-infos" in obj
        and (obj["hojin-infos"] is None or isinstance(obj["hojin-infos"], list))
    )


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for a gBizINFO v2 response: a JSON object with a ``hojin-infos`` list (and ``id``, ``errors``,
    ``message``)."""
    text = _head_text(head)
    if not text.startswith("{"):
        return False
    if len(head) < _HEAD_SIZE:  # the whole file: decide on the parsed document
        try:
            return _is_response(json.loads(text))
        except ValueError:
            pass
    return bool(_HOJIN_INFOS.search(text) and _ENVELOPE.search(text))


def units(path: Path) -> list[SourceUnit]:
    """One unit per file."""
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file size."""
    return float(unit.size())


def _load(unit: SourceUnit) -> dict[str, Any]:
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


def _number_of(obj: dict[str, Any]) -> str | None:
    candidates = [obj.get("id")] + [i.get("corporate_number") for i in _infos(obj) if isinstance(i, dict)]
    for c in candidates:
        if isinstance(c, str):
            try:
                return nz.validate_corporate_number(c)
            except nz.NormalizeError:
                continue
    return None


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``gbizinfo/{kind}/{法人番号}``: a newer response of the same endpoint for the same corporation replaces the
    older; search responses (and responses without a valid number) are keyed by content,
    ``gbizinfo/{kind}/sha-{first 12 hex digits of the SHA-256}``."""
    obj = _load(unit)
    kind = response_kind(obj)
    number = _number_of(obj) if kind != "search" else None
    return f"gbizinfo/{kind}/{number or 'sha-' + unit.sha256()[:12]}"


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
    obj = _load(unit)
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
        meta = item.get("meta-data") if isinstance(item.get("meta-data"), dict) else {}
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


# -- mapping (pure) -------------------------------------------------------------------------------------------
TYPE = t.RDF_TYPE
DERIVED = IRI(PROV + "wasDerivedFrom")
DCT_TITLE = IRI(DCTERMS + "title")
DCT_IDENTIFIER = IRI(DCTERMS + "identifier")
FOAF_HOMEPAGE = IRI(FOAF + "homepage")
SKOS_NOTE = IRI(SKOS + "note")
P = cbkg


def award_iri(m: Minter, r: GbizAward) -> IRI:
    """``{corporation}/gbiz-{kind}/{key}``."""
    return Minter.part(m.corporation(r.number), f"gbiz-{r.kind}", r.key)


def to_triples(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record in the file's graph: subsidies and procurements, where basic information was read,
    load issues."""
    m = ctx.minter
    if isinstance(record, GbizAward):
        node = award_iri(m, record)
        yield node, TYPE, P(AWARD_CLASS[record.kind])
        yield node, P("payee"), m.corporation(record.number)
        yield node, DERIVED, IRI(f"{ctx.source}#{record.pointer}")
        if record.identifier is not None:
            yield node, DCT_IDENTIFIER, t.text(record.identifier)
        if record.title is not None:
            yield node, DCT_TITLE, t.ja(record.title)
        if record.amount is not None:
            lit = t.decimal(record.amount)
            yield node, P("amount"), lit
            if record.amount_raw is not None and lit.lex != record.amount_raw:
                yield node, P("sourceFigure"), t.text(record.amount_raw)
        if record.date is not None:
            yield node, P(AWARD_DATE_PROP[record.kind]), t.date(record.date)
        if record.department is not None:
            yield node, P("awardingOrganizationAsWritten"), t.ja(record.department)
            org, _ = common.ministry_iri(m, record.department)
            if org is not None:
                yield node, P("awardingOrganization"), org
        if record.note is not None:
            yield node, SKOS_NOTE, t.ja(record.note)
    elif isinstance(record, GbizCorporation):
        yield m.corporation(record.number), DERIVED, IRI(f"{ctx.source}#{record.pointer}")
    elif isinstance(record, LoadIssue):
        n = ctx.options.setdefault("_issue_no", 0) + 1
        ctx.options["_issue_no"] = n
        yield from issue_triples(record, n, ctx)


def kana(value: str) -> t.Literal:
    """A reading in katakana (``@ja-Kana``)."""
    return t.Literal(value, None, "ja-Kana")


def declarations(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """The corporation: every payee of a subsidy or procurement, and the full profile of a basic response."""
    m = ctx.minter
    if isinstance(record, GbizAward):
        _, decls = common.payee_iri(m, IRI(""), record.corporation_name, record.number)
        yield from decls
        return
    if not isinstance(record, GbizCorporation):
        return
    r = record
    corp, decls = common.payee_iri(m, IRI(""), r.name, r.number)
    assert corp is not None
    yield from decls
    if r.name is not None:
        yield corp, P("officialName"), t.ja(r.name)
    if r.kana is not None:
        yield corp, P("officialNameKana"), kana(r.kana)
    if r.name_en is not None:
        yield corp, P("officialNameEn"), t.text(r.name_en, "en")
    if r.kind is not None:
        yield corp, P("corporateType"), code("corporate-type", r.kind)
    if r.location is not None:
        yield corp, P("address"), t.ja(r.location)
    if r.postal_code is not None:
        yield corp, P("postCode"), t.text(r.postal_code)
    if r.close_date is not None:
        yield corp, P("closeDate"), t.date(r.close_date)
    if r.close_cause is not None:
        yield corp, P("closeCause"), code("close-cause", r.close_cause)
    if r.representative_name is not None:
        yield corp, P("representativeName"), t.ja(r.representative_name)
    if r.representative_position is not None:
        yield corp, P("representativePosition"), t.ja(r.representative_position)
    if r.capital is not None:
        yield corp, P("capitalStock"), t.decimal(r.capital)
    if r.employees is not None:
        yield corp, P("employeeCount"), t.integer(r.employees)
    if r.established is not None:
        yield corp, P("establishmentDate"), t.date(r.established)
    if r.founding_year is not None:
        yield corp, P("foundingYear"), t.gyear(r.founding_year)
    if r.business_summary is not None:
        yield corp, P("businessSummary"), t.ja(r.business_summary)
    if r.url is not None:
        yield corp, FOAF_HOMEPAGE, common.url_term(r.url)
