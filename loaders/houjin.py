"""Loader ``houjin``: National Tax Agency 法人番号 data (法人番号システム Web-API Ver.4 responses and downloads).

Source forms, recognised by content (never by file name):

* CSV, Shift_JIS (``type=01``, ``_c2``) or UTF-8 (``type=02``, ``_c4``); the encoding is detected from the bytes
  and a CP932 file gets an ``info`` load issue.  A Web-API response starts with the line
  ``{lastUpdateDate},{count},{divideNumber},{divideSize}``; the bulk downloads (全件・差分データ) have no such line.
  Every other line is one corporation record of 30 columns, without a header;
* XML (``type=12``): ``<corporations>`` with ``<lastUpdateDate>``, ``<count>``, ``<divideNumber>``, ``<divideSize>``
  and one ``<corporation>`` per record, whose child elements carry the same 30 fields.

The 30 fields of Ver.4, in CSV column order and with their XML element names, are :data:`FIELDS`
(一連番号, 法人番号, 処理区分, 訂正区分, 更新年月日, 変更年月日, 商号又は名称, 商号又は名称イメージID,
法人種別, 国内所在地（都道府県・市区町村・丁目番地等）, 国内所在地イメージID, 都道府県コード, 市区町村コード,
郵便番号, 国外所在地, 国外所在地イメージID, 登記記録の閉鎖等年月日, 登記記録の閉鎖等の事由, 承継先法人番号,
変更事由の詳細, 法人番号指定年月日, 最新履歴, 英語表記の商号・所在地, フリガナ, 検索対象除外).

``parse(unit)`` yields one :class:`NtaResponse` (the response line / header elements), one :class:`NtaCorporation`
per record whose 法人番号 passes the check digit, and :class:`~loaders.base.LoadIssue` for everything else.

Mapping:

* data graph (``to_triples``): one ``cbkg:NtaRecord`` per record, ``{corporation}/nta/{source id}/{n}`` (``n`` the
  record's position in the file; the source id makes the node file-specific, so that the same NTA record read from
  the CSV and the XML form of one response never puts the same triple in two graphs), with every field as written
  and ``prov:wasDerivedFrom`` the record: ``{source}#row=N`` for CSV (RFC 7111, the response line is row 1) and
  ``{source}#xpointer(/corporations/corporation%5BN%5D)`` for XML.  The response line describes the source file
  (``cbkg:lastUpdateDate``, ``cbkg:declaredRecordCount``, ``cbkg:divideNumber``, ``cbkg:divideSize``).
* declarations (merged with the payees of the budget sources): every record declares its corporation
  ``id/corporation/{法人番号}`` as a ``cbkg:Payee`` with its name as ``skos:altLabel`` (so a history response keeps
  all former names).  The record flagged ``latest=1`` gives the current facts (``cbkg:officialName`` …); when a
  file holds several such records for one number, the newest (update date, change date, position) wins, and older
  records never contribute current facts.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ontology import codes
from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.namespaces import PROV
from ontology.terms import IRI, Triple

from . import common
from . import normalize as nz
from .base import LoaderError, LoadIssue, MapContext, SourceUnit, issue_triples, zip_units

NAME = "houjin"
VERSION = "1.0.0"
TITLE = "National Tax Agency 法人番号 data (Web-API Ver.4 / download: CSV Shift_JIS or UTF-8, XML)"
__all__ = [
    "FIELDS",
    "NAME",
    "TITLE",
    "VERSION",
    "NtaCorporation",
    "NtaResponse",
    "cost",
    "declarations",
    "detect",
    "graph_key",
    "parse",
    "to_triples",
    "units",
]

csv.field_size_limit(min(sys.maxsize, 1 << 26))

FIELDS: tuple[str, ...] = (
    "sequenceNumber",  # 一連番号
    "corporateNumber",  # 法人番号
    "process",  # 処理区分
    "correct",  # 訂正区分
    "updateDate",  # 更新年月日
    "changeDate",  # 変更年月日
    "name",  # 商号又は名称
    "nameImageId",  # 商号又は名称イメージID
    "kind",  # 法人種別
    "prefectureName",  # 国内所在地（都道府県）
    "cityName",  # 国内所在地（市区町村）
    "streetNumber",  # 国内所在地（丁目番地等）
    "addressImageId",  # 国内所在地イメージID
    "prefectureCode",  # 都道府県コード
    "cityCode",  # 市区町村コード
    "postCode",  # 郵便番号
    "addressOutside",  # 国外所在地
    "addressOutsideImageId",  # 国外所在地イメージID
    "closeDate",  # 登記記録の閉鎖等年月日
    "closeCause",  # 登記記録の閉鎖等の事由
    "successorCorporateNumber",  # 承継先法人番号
    "changeCause",  # 変更事由の詳細
    "assignmentDate",  # 法人番号指定年月日
    "latest",  # 最新履歴
    "enName",  # 商号又は名称（英語表記）
    "enPrefectureName",  # 国内所在地（都道府県）（英語表記）
    "enCityName",  # 国内所在地（市区町村丁目番地等）（英語表記）
    "enAddressOutside",  # 国外所在地（英語表記）
    "furigana",  # フリガナ
    "hihyoji",  # 検索対象除外
)
"""The 30 fields of a Ver.4 record: CSV column order = XML element names."""

PROCESS_CODES = {
    "01": "新規",
    "11": "商号又は名称の変更",
    "12": "国内所在地の変更",
    "13": "国外所在地の変更",
    "21": "登記記録の閉鎖等",
    "22": "登記記録の復活等",
    "71": "吸収合併",
    "72": "吸収合併無効",
    "81": "商号の登記の抹消",
    "99": "削除",
}
"""処理区分 (code list ``nta-process``)."""
CLOSE_CAUSES = {
    "01": "清算の結了等",
    "11": "合併による解散等",
    "21": "登記官による閉鎖",
    "31": "その他の清算の結了等",
}
"""登記記録の閉鎖等の事由 (code list ``close-cause``)."""
NAME_CHANGE = "11"

FORMAT_CSV = "csv"
FORMAT_XML = "xml"


# -- records ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NtaResponse:
    """The first record of a file: its form and the response line (absent from bulk downloads)."""

    format: str
    encoding: str
    last_update: _dt.date | None = None
    count: int | None = None
    divide_number: int | None = None
    divide_size: int | None = None
    raw: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class NtaCorporation:
    """One record of a corporation, with a valid 法人番号.

    ``ordinal`` is the record's position among the file's records (1-based), ``fragment`` the source fragment
    (without ``#``) it was read from, ``raw`` its non-empty fields as written.  Typed values are set only when the
    field could be read (a bad value is a load issue and stays in ``raw``).  ``current`` marks the record that
    gives the corporation's current facts in this file; ``name_change_date`` is the date of the latest name
    change (処理区分 11) the file records for the number (set on the current record only).
    """

    number: str
    ordinal: int
    fragment: str
    raw: dict[str, str]
    sequence: int | None = None
    process: str | None = None
    correct: bool | None = None
    update_date: _dt.date | None = None
    change_date: _dt.date | None = None
    close_date: _dt.date | None = None
    assignment_date: _dt.date | None = None
    kind: str | None = None
    close_cause: str | None = None
    successor: str | None = None
    latest: bool | None = None
    excluded: bool | None = None
    current: bool = False
    name_change_date: _dt.date | None = None

    def get(self, name: str) -> str | None:
        return self.raw.get(name)

    def recency(self) -> tuple[str, str, int]:
        """Sort key of the records of one number: update date, change date, position."""
        return (
            self.update_date.isoformat() if self.update_date else "",
            self.change_date.isoformat() if self.change_date else "",
            self.ordinal,
        )


# -- detection ----------------------------------------------------------------------------------------------
_BOM = codecs.BOM_UTF8
_HEAD_SIZE = 65536
_META_RE = re.compile(r"(\d{4}-\d{2}-\d{2}),(\d+),(\d+),(\d+)")
_XML_ROOT = re.compile(
    r"\A(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<corporations\s*>\s*"
    r"(?:<(?:lastUpdateDate|count|divideNumber|divideSize|corporation)[\s>/]|</corporations\s*>)",
    re.S,
)
_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _encoding(data: bytes, complete: bool) -> str | None:
    """``utf-8`` or ``cp932`` for the bytes of a file (``complete``: all of it), None if neither decodes."""
    data = data.removeprefix(_BOM)
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if not complete and exc.start > len(data) - 4 and exc.reason == "unexpected end of data":
            return "utf-8"  # a character cut by the sniffing window
    try:
        data.decode("cp932")
        return "cp932"
    except UnicodeDecodeError as exc:
        if not complete and exc.start >= len(data) - 1:
            return "cp932"
    # neither decodes cleanly (a damaged byte): the encoding that needs fewer replacements; its bad records
    # become load issues
    bad = {enc: data.decode(enc, errors="replace").count("\ufffd") for enc in ("utf-8", "cp932")}
    return min(bad, key=lambda enc: (bad[enc], enc != "utf-8"))


def _looks_like_record(line: str) -> bool:
    try:
        fields = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return False
    return (
        len(fields) >= 24
        and fields[0].strip().isdigit()
        and re.fullmatch(r"[0-9]{13}", fields[1].strip()) is not None
        and _DATE_LIKE.fullmatch(fields[4].strip()) is not None
    )


def _sniff(head: bytes, complete: bool) -> tuple[str, str, bool] | None:
    """``(format, encoding, has response line)`` of a file from its first bytes, or None if it is not NTA data."""
    if not head:
        return None
    text = head.removeprefix(_BOM).decode("utf-8", errors="ignore").lstrip()
    if text.startswith("<"):
        return (FORMAT_XML, "utf-8", True) if _XML_ROOT.match(text) else None
    enc = _encoding(head, complete)
    if enc is None:
        return None
    text = head.removeprefix(_BOM).decode(enc, errors="ignore")
    lines = text.split("\n", 2)
    first = lines[0].rstrip("\r")
    if _META_RE.fullmatch(first):
        second = lines[1].rstrip("\r") if len(lines) > 1 else ""
        if not second.strip():
            return FORMAT_CSV, enc, True  # an empty response: the response line only
        if len(lines) > 2 or complete:  # the second line is complete: it must be a record
            return (FORMAT_CSV, enc, True) if _looks_like_record(second) else None
        return FORMAT_CSV, enc, True
    if (len(lines) > 1 or complete) and _looks_like_record(first):
        return FORMAT_CSV, enc, False
    return None


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for NTA 法人番号 data: a ``<corporations>`` XML, or a CSV whose first line is the Web-API response line
    (``date,count,divideNumber,divideSize``) or a 30-column record with a 13-digit 法人番号."""
    return _sniff(head, complete=len(head) < _HEAD_SIZE) is not None


def units(path: Path) -> list[SourceUnit]:
    """The file itself, or the ``.csv``/``.xml`` members of a ZIP download (none: an empty list, not an error)."""
    if zipfile.is_zipfile(path):
        return zip_units(path, (".csv", ".xml"))
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file is read twice and every record gives ~30 triples."""
    return unit.size() * 3.0


_XML_DATE = re.compile(r"<lastUpdateDate>\s*([^<]*?)\s*</lastUpdateDate>")


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``houjin/{lastUpdateDate}/{first 12 hex digits of the SHA-256}``: every response is its own graph (responses
    overlap: one corporation is in the number, name and diff responses), reloading the same bytes replaces it."""
    sniffed = _sniff(head, complete=len(head) < _HEAD_SIZE)
    date = "undated"
    if sniffed is not None:
        fmt, enc, has_meta = sniffed
        if fmt == FORMAT_XML:
            m = _XML_DATE.search(head.decode("utf-8", errors="ignore"))
            if m and _DATE_LIKE.fullmatch(m.group(1)):
                date = m.group(1)
        elif has_meta:
            first = head.removeprefix(_BOM).decode(enc, errors="ignore").split("\n", 1)[0].strip()
            mm = _META_RE.fullmatch(first)
            if mm:
                date = mm.group(1)
    return f"houjin/{date}/{unit.sha256()[:12]}"


# -- reading: one raw record per corporation, in both forms ----------------------------------------------------
@dataclass(slots=True)
class _Raw:
    """A record as read: its fields (or why it could not be read) and where it is."""

    ordinal: int
    fragment: str
    fields: dict[str, str]
    where: Callable[[str | None], dict[str, Any]]
    problem: LoadIssue | None = None


@dataclass
class _Reading:
    """What the reader learnt about the file besides its records."""

    response: NtaResponse | None = None
    issues: list[LoadIssue] = field(default_factory=list)
    unknown: Counter[str] = field(default_factory=Counter)
    records: int = 0


def _fragment(s: str) -> str:
    return quote(s, safe="/()=:@!$&'*+,;-._~?")


def _open(unit: SourceUnit) -> Any:
    try:
        return unit.open()
    except OSError as exc:
        raise LoaderError(str(unit), f"unreadable file: {exc}") from exc


def _read(unit: SourceUnit, reading: _Reading) -> Iterator[_Raw]:
    head = unit.head(_HEAD_SIZE)
    sniffed = _sniff(head, complete=len(head) < _HEAD_SIZE)
    if sniffed is None:
        raise LoaderError(str(unit), "not NTA 法人番号 data (neither a <corporations> XML nor a 30-column NTA CSV)")
    fmt, enc, has_meta = sniffed
    if fmt == FORMAT_XML:
        yield from _read_xml(unit, head, reading)
    else:
        yield from _read_csv(unit, enc, has_meta, reading)


def _read_csv(unit: SourceUnit, enc: str, has_meta: bool, reading: _Reading) -> Iterator[_Raw]:
    bad_lines: dict[int, str] = {}

    def lines(raw: Iterable[bytes]) -> Iterator[str]:
        for i, b in enumerate(raw, 1):
            if i == 1:
                b = b.removeprefix(_BOM)
            try:
                yield b.decode(enc)
            except UnicodeDecodeError as exc:
                bad_lines[i] = f"invalid {enc} byte sequence at byte {exc.start}"
                yield b.decode(enc, errors="replace")

    if enc == "cp932":
        reading.issues.append(LoadIssue("cp932", "file is not UTF-8; decoded as Shift_JIS (CP932)", "info"))
    if not has_meta:  # a bulk download: no response line
        reading.response = NtaResponse(FORMAT_CSV, enc)
    with _open(unit) as fh:
        reader = csv.reader(lines(fh))
        row_no, line = 0, 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                reading.issues.append(
                    LoadIssue("csv-syntax", f"CSV syntax error: {exc}; rest of the file not read", "error", line=line)
                )
                break
            row_no += 1
            start, line = line, reader.line_num + 1
            if row_no == 1 and has_meta:
                reading.response = _response_line(fields, enc, row_no, start, reading)
                continue
            if not fields or fields == [""]:
                reading.issues.append(LoadIssue("blank-row", "blank line", "info", row=row_no, line=start))
                continue
            reading.records += 1

            def where(column: str | None, _row: int = row_no, _line: int = start) -> dict[str, Any]:
                return {"row": _row, "line": _line, "column": column}

            raw = _Raw(reading.records, f"row={row_no}", {}, where)
            bad = [bad_lines[n] for n in range(start, line) if n in bad_lines]
            if bad:
                raw.problem = LoadIssue(
                    "bad-encoding", f"{bad[0]}; record not mapped", "error", row_no, start, None, _join(fields)
                )
            elif len(fields) != len(FIELDS):
                raw.problem = LoadIssue(
                    "column-count",
                    f"record has {len(fields)} fields, NTA Ver.4 has {len(FIELDS)}; record not mapped",
                    "error",
                    row_no,
                    start,
                    None,
                    _join(fields),
                )
            else:
                cleaned = ((k, nz.clean(cell)) for k, cell in zip(FIELDS, fields, strict=True))
                raw.fields = {k: v for k, v in cleaned if v is not None}
            yield raw
    if reading.response is None:
        reading.response = NtaResponse(FORMAT_CSV, enc)


def _response_line(fields: list[str], enc: str, row: int, line: int, reading: _Reading) -> NtaResponse:
    names = ("lastUpdateDate", "count", "divideNumber", "divideSize")
    raw = tuple((n, v) for n, v in zip(names, fields, strict=False) if v)
    values = dict(raw)
    kw: dict[str, Any] = {}
    for name, key, conv in (
        ("lastUpdateDate", "last_update", _iso_date),
        ("count", "count", _count),
        ("divideNumber", "divide_number", _count),
        ("divideSize", "divide_size", _count),
    ):
        v = values.get(name)
        if v is None:
            continue
        try:
            kw[key] = conv(v)
        except nz.NormalizeError as exc:
            reading.issues.append(LoadIssue("bad-header", exc.reason, "warning", row, line, name, v))
    return NtaResponse(FORMAT_CSV, enc, raw=raw, **kw)


def _join(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue()


_XML_HEADER = ("lastUpdateDate", "count", "divideNumber", "divideSize")


def _read_xml(unit: SourceUnit, head: bytes, reading: _Reading) -> Iterator[_Raw]:
    root_at = head.find(b"<corporations")
    if b"<!DOCTYPE" in head[: root_at if root_at >= 0 else len(head)] or b"<!ENTITY" in head:
        raise LoaderError(str(unit), "XML declares a DTD or entities; refused (NTA responses use none)")
    header: dict[str, str] = {}
    root: ET.Element | None = None
    depth = 0
    n = 0
    fields: dict[str, str] = {}
    with _open(unit) as fh:
        try:
            for event, el in ET.iterparse(fh, events=("start", "end")):
                if event == "start":
                    depth += 1
                    if depth == 1:
                        root = el
                    if depth == 1 and el.tag != "corporations":
                        raise LoaderError(str(unit), f"not NTA data: XML root is <{el.tag}>, expected <corporations>")
                    if depth == 2 and el.tag == "corporation":
                        if reading.response is None:
                            reading.response = _xml_response(header, reading)
                        n += 1
                        fields = {}
                    continue
                depth -= 1
                if depth == 1:
                    if el.tag in _XML_HEADER:
                        if el.text and el.text.strip():
                            header[el.tag] = el.text.strip()
                    elif el.tag != "corporation":
                        reading.unknown[f"/corporations/{el.tag}"] += 1
                    elif el.tag == "corporation":
                        reading.records += 1
                        path = f"/corporations/corporation[{n}]"

                        def where(column: str | None, _path: str = path) -> dict[str, Any]:
                            return {"column": f"{_path}/{column}" if column else _path}

                        yield _Raw(n, _fragment(f"xpointer({path})"), fields, where)
                        if root is not None:
                            root.clear()  # streaming: drop the records read so far
                    el.clear()
                elif depth == 2:
                    if el.tag in FIELDS:
                        v = nz.clean(el.text)
                        if v is not None:
                            fields[el.tag] = v
                    else:
                        reading.unknown[f"/corporations/corporation/{el.tag}"] += 1
        except ET.ParseError as exc:
            reading.issues.append(
                LoadIssue(
                    "malformed-xml", f"malformed XML: {exc}; rest of the file not read", "error", line=exc.position[0]
                )
            )
    if reading.response is None:
        reading.response = _xml_response(header, reading)


def _xml_response(header: dict[str, str], reading: _Reading) -> NtaResponse:
    kw: dict[str, Any] = {}
    for name, key, conv in (
        ("lastUpdateDate", "last_update", _iso_date),
        ("count", "count", _count),
        ("divideNumber", "divide_number", _count),
        ("divideSize", "divide_size", _count),
    ):
        v = header.get(name)
        if v is None:
            continue
        try:
            kw[key] = conv(v)
        except nz.NormalizeError as exc:
            reading.issues.append(
                LoadIssue("bad-header", exc.reason, "warning", column=f"/corporations/{name}", value=v)
            )
    return NtaResponse(FORMAT_XML, "utf-8", raw=tuple((k, header[k]) for k in _XML_HEADER if k in header), **kw)


# -- typed values ---------------------------------------------------------------------------------------------
def _iso_date(v: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(v.strip())
    except ValueError:
        return nz.parse_date(v)


def _count(v: str) -> int:
    n = nz.parse_int(v)
    if n < 0:
        raise nz.NormalizeError(v, "negative count")
    return n


def _flag(v: str) -> bool:
    s = nz.nfkc(v).strip()
    if s in ("0", "1"):
        return s == "1"
    raise nz.NormalizeError(v, "not a flag (expected 0 or 1)")


_CORPORATE_TYPES = frozenset(n.rsplit("/", 1)[1] for n in codes.concepts("corporate-type"))


def _typed(raw: _Raw) -> tuple[NtaCorporation | None, list[LoadIssue]]:
    """The typed record of a raw record (None when it has no valid 法人番号) and the issues of its values."""
    if raw.problem is not None:
        return None, [raw.problem]
    f = raw.fields
    issues: list[LoadIssue] = []

    def issue(code_: str, reason: str, column: str, value: str, severity: str = "warning") -> None:
        issues.append(LoadIssue(code_, reason, severity, value=value, **raw.where(column)))  # type: ignore[arg-type]

    number_raw = f.get("corporateNumber")
    if number_raw is None:
        issue("missing-value", "法人番号 is empty; record not mapped", "corporateNumber", "", "error")
        return None, issues
    try:
        number = nz.validate_corporate_number(number_raw)
    except nz.NormalizeError as exc:
        issue("bad-corpno", f"{exc.reason}; record not mapped", "corporateNumber", number_raw, "error")
        return None, issues
    kw: dict[str, Any] = {}
    for name, key, conv, code_ in (
        ("sequenceNumber", "sequence", nz.parse_int, "bad-int"),
        ("correct", "correct", _flag, "bad-flag"),
        ("latest", "latest", _flag, "bad-flag"),
        ("hihyoji", "excluded", _flag, "bad-flag"),
        ("updateDate", "update_date", _iso_date, "bad-date"),
        ("changeDate", "change_date", _iso_date, "bad-date"),
        ("closeDate", "close_date", _iso_date, "bad-date"),
        ("assignmentDate", "assignment_date", _iso_date, "bad-date"),
    ):
        v = f.get(name)
        if v is None:
            continue
        try:
            kw[key] = conv(v)
        except nz.NormalizeError as exc:
            issue(code_, f"{exc.reason}; not mapped (the value as written is kept in this issue)", name, v, "error")
    for name, key, known in (
        ("process", "process", PROCESS_CODES),
        ("closeCause", "close_cause", CLOSE_CAUSES),
        ("kind", "kind", _CORPORATE_TYPES),
    ):
        v = f.get(name)
        if v is None:
            continue
        if v in known:
            kw[key] = v
        else:
            issue(
                "unknown-code",
                f"unknown {name} code; not mapped (the value as written is kept in this issue)",
                name,
                v,
                "error",
            )
    succ = f.get("successorCorporateNumber")
    if succ is not None:
        try:
            kw["successor"] = nz.validate_corporate_number(succ)
        except nz.NormalizeError as exc:
            issue("bad-corpno", f"successor {exc.reason}; not linked", "successorCorporateNumber", succ)
    for name, pattern, reason in (
        ("prefectureCode", r"[0-9]{2}", "not a 2-digit prefecture code"),
        ("cityCode", r"[0-9]{3}", "not a 3-digit city code"),
        ("postCode", r"[0-9]{7}", "not a 7-digit postal code"),
    ):
        v = f.get(name)
        if v is not None and not re.fullmatch(pattern, v):
            issue("bad-code", f"{reason}; kept as written on the NTA record only", name, v)
    return NtaCorporation(number, raw.ordinal, raw.fragment, dict(f), **kw), issues


# -- parsing --------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Summary:
    """What the first pass learns about one 法人番号: its current record, latest-flag count, last name change."""

    best: tuple[str, str, int] | None = None
    flagged: int = 0
    name_change: _dt.date | None = None


def parse(unit: SourceUnit) -> Iterator[NtaResponse | NtaCorporation | LoadIssue]:
    """Stream the records of one NTA file: an :class:`NtaResponse`, then corporations and load issues.

    The file is read twice: the first pass finds, for every 法人番号, the record that gives its current facts, so
    that the second pass can stream without keeping records in memory.
    """
    summaries: dict[str, _Summary] = {}
    for raw in _read(unit, _Reading()):
        rec, _ = _typed(raw)
        if rec is None:
            continue
        s = summaries.setdefault(rec.number, _Summary())
        if rec.latest:
            s.flagged += 1
            if s.best is None or rec.recency() > s.best:
                s.best = rec.recency()
        if (
            rec.process == NAME_CHANGE
            and rec.change_date
            and (s.name_change is None or rec.change_date > s.name_change)
        ):
            s.name_change = rec.change_date

    reading = _Reading()
    first = True
    for raw in _read(unit, reading):
        if first:
            assert reading.response is not None
            yield reading.response
            yield from reading.issues
            reading.issues.clear()
            first = False
        rec, issues = _typed(raw)
        if rec is not None:
            s = summaries.get(rec.number, _Summary())
            if rec.latest and s.best == rec.recency():
                rec = replace(rec, current=True, name_change_date=s.name_change)
            yield rec
        yield from issues
    if first:  # no record at all
        assert reading.response is not None
        yield reading.response
    yield from reading.issues
    for number, s in summaries.items():
        if s.best is None:
            yield LoadIssue(
                "no-current-record",
                f"no record of {number} is flagged latest (最新履歴=1); only its names are declared, the other "
                "fields stay on its NTA records",
                "info",
                value=number,
            )
        elif s.flagged > 1:
            yield LoadIssue(
                "several-current-records",
                f"{s.flagged} records of {number} are flagged latest; the newest (update date, change date, "
                "position) gives the current facts",
                "warning",
                value=number,
            )
    for path, n in sorted(reading.unknown.items()):
        yield LoadIssue(
            "column-unknown", f"element not in the NTA Ver.4 schema ({n}×); not mapped", "warning", column=path
        )
    yield from _count_issues(reading)


def _count_issues(reading: _Reading) -> Iterator[LoadIssue]:
    r = reading.response
    if r is None or r.count is None:
        return
    size = r.divide_size or 1
    if r.divide_number is not None and r.divide_size is not None and r.divide_number > r.divide_size:
        yield LoadIssue(
            "count-mismatch",
            f"divideNumber {r.divide_number} is larger than divideSize {r.divide_size}",
            "warning",
            column="divideNumber",
            value=str(r.divide_number),
        )
    if size == 1 and reading.records != r.count:
        yield LoadIssue(
            "count-mismatch",
            f"the response declares {r.count} records, the file holds {reading.records}",
            "warning",
            column="count",
            value=str(r.count),
        )
    elif size > 1 and reading.records > r.count:
        yield LoadIssue(
            "count-mismatch",
            f"the response declares {r.count} records in all, this part alone holds {reading.records}",
            "warning",
            column="count",
            value=str(r.count),
        )


# -- mapping (pure) -------------------------------------------------------------------------------------------
TYPE = t.RDF_TYPE
DERIVED = IRI(PROV + "wasDerivedFrom")
P = cbkg
C_NTA_RECORD = P("NtaRecord")

_TEXT_JA = (
    ("name", "officialName"),
    ("prefectureName", "prefectureName"),
    ("cityName", "cityName"),
    ("streetNumber", "streetAddress"),
    ("addressOutside", "addressOutside"),
    ("changeCause", "changeCause"),
)
_TEXT_EN = (
    ("enName", "officialNameEn"),
    ("enPrefectureName", "prefectureName"),
    ("enCityName", "cityName"),
    ("enAddressOutside", "addressOutside"),
)
_PLAIN = (
    ("nameImageId", "nameImageId"),
    ("addressImageId", "addressImageId"),
    ("addressOutsideImageId", "addressOutsideImageId"),
    ("prefectureCode", "prefectureCode"),
    ("cityCode", "cityCode"),
    ("postCode", "postCode"),
)


def kana(value: str) -> t.Literal:
    """A reading in katakana (``@ja-Kana``)."""
    return t.Literal(value, None, "ja-Kana")


def record_iri(ctx: MapContext, r: NtaCorporation) -> IRI:
    """``{corporation}/nta/{source id}/{position}`` (the source id: the file's content-addressed IRI segment)."""
    return Minter.part(ctx.minter.corporation(r.number), "nta", ctx.source.rsplit("/", 1)[-1], r.ordinal)


def to_triples(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record in the file's graph: the NTA record as written, the response line, load issues."""
    if isinstance(record, NtaCorporation):
        yield from _record_triples(record, ctx)
    elif isinstance(record, NtaResponse):
        src = ctx.source
        if record.last_update is not None:
            yield src, P("lastUpdateDate"), t.date(record.last_update)
        if record.count is not None:
            yield src, P("declaredRecordCount"), t.integer(record.count)
        if record.divide_number is not None:
            yield src, P("divideNumber"), t.integer(record.divide_number)
        if record.divide_size is not None:
            yield src, P("divideSize"), t.integer(record.divide_size)
    elif isinstance(record, LoadIssue):
        n = ctx.options.setdefault("_issue_no", 0) + 1
        ctx.options["_issue_no"] = n
        yield from issue_triples(record, n, ctx)


def _record_triples(r: NtaCorporation, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    corp = m.corporation(r.number)
    node = record_iri(ctx, r)
    source = IRI(f"{ctx.source}#{r.fragment}")
    yield node, TYPE, C_NTA_RECORD
    yield node, P("corporation"), corp
    yield node, DERIVED, source
    if r.current:
        yield corp, DERIVED, source
    if r.sequence is not None:
        yield node, P("sequenceNumber"), t.integer(r.sequence)
    if r.process is not None:
        yield node, P("ntaProcess"), code("nta-process", r.process)
    if r.correct is not None:
        yield node, P("ntaCorrection"), t.boolean(r.correct)
    if r.update_date is not None:
        yield node, P("ntaUpdateDate"), t.date(r.update_date)
    if r.change_date is not None:
        yield node, P("ntaChangeDate"), t.date(r.change_date)
    for key, prop in _TEXT_JA:
        v = r.get(key)
        if v is not None:
            yield node, P(prop), t.ja(v)
    for key, prop in _TEXT_EN:
        v = r.get(key)
        if v is not None:
            yield node, P(prop), t.text(v, "en")
    for key, prop in _PLAIN:
        v = r.get(key)
        if v is not None:
            yield node, P(prop), t.text(v)
    if r.get("furigana") is not None:
        yield node, P("officialNameKana"), kana(r.raw["furigana"])
    if r.kind is not None:
        yield node, P("corporateType"), code("corporate-type", r.kind)
    if r.close_date is not None:
        yield node, P("closeDate"), t.date(r.close_date)
    if r.close_cause is not None:
        yield node, P("closeCause"), code("close-cause", r.close_cause)
    if r.successor is not None:
        yield node, P("successor"), m.corporation(r.successor)
    if r.assignment_date is not None:
        yield node, P("assignmentDate"), t.date(r.assignment_date)
    if r.latest is not None:
        yield node, P("ntaLatest"), t.boolean(r.latest)
    if r.excluded is not None:
        yield node, P("ntaSearchExcluded"), t.boolean(r.excluded)


def japanese_address(r: NtaCorporation) -> str | None:
    """都道府県 + 市区町村 + 丁目番地等 as one string (as the NTA site and gBizINFO print it); else 国外所在地."""
    parts = [v for v in (r.get("prefectureName"), r.get("cityName"), r.get("streetNumber")) if v]
    return "".join(parts) if parts else r.get("addressOutside")


def english_address(r: NtaCorporation) -> str | None:
    """``{市区町村丁目番地等}, {都道府県}`` in English; else the English 国外所在地."""
    parts = [v for v in (r.get("enCityName"), r.get("enPrefectureName")) if v]
    return ", ".join(parts) if parts else r.get("enAddressOutside")


def declarations(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """The corporation a record describes: a payee with its name as a spelling; the current facts from the
    current record only."""
    if not isinstance(record, NtaCorporation):
        return
    m = ctx.minter
    corp, decls = common.payee_iri(m, IRI(""), record.get("name"), record.number)
    assert corp is not None
    yield from decls
    if not record.current:
        return
    r = record
    if r.get("name") is not None:
        yield corp, P("officialName"), t.ja(r.raw["name"])
    if r.get("furigana") is not None:
        yield corp, P("officialNameKana"), kana(r.raw["furigana"])
    if r.get("enName") is not None:
        yield corp, P("officialNameEn"), t.text(r.raw["enName"], "en")
    if r.kind is not None:
        yield corp, P("corporateType"), code("corporate-type", r.kind)
    ja_address, en_address = japanese_address(r), english_address(r)
    if ja_address:
        yield corp, P("address"), t.ja(ja_address)
    if en_address:
        yield corp, P("address"), t.text(en_address, "en")
    for key in ("prefectureCode", "postCode"):
        v = r.get(key)
        if v is not None and re.fullmatch(r"[0-9]+", v):
            yield corp, P(key), t.text(v)
    if r.assignment_date is not None:
        yield corp, P("assignmentDate"), t.date(r.assignment_date)
    if r.name_change_date is not None:
        yield corp, P("nameChangeDate"), t.date(r.name_change_date)
    if r.close_date is not None:
        yield corp, P("closeDate"), t.date(r.close_date)
    if r.close_cause is not None:
        yield corp, P("closeCause"), code("close-cause", r.close_cause)
    if r.successor is not None:
        yield corp, P("successor"), m.corporation(r.successor)
    if r.update_date is not None:
        yield corp, P("ntaUpdateDate"), t.date(r.update_date)
