"""Reading NTA 法人番号 files (CSV in Shift_JIS or UTF-8, XML): records with typed values, and load issues."""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import IO, Any
from urllib.parse import quote

from ontology import codes

from .. import normalize as nz
from ..base import LoaderError, LoadIssue, SourceUnit
from .records import FIELDS, FORMAT_CSV, FORMAT_XML, NtaCorporation, NtaResponse

csv.field_size_limit(min(sys.maxsize, 1 << 26))

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


# -- recognising a file -----------------------------------------------------------------------------------------
_BOM = codecs.BOM_UTF8
HEAD_SIZE = 65536
"""Bytes sniffed by ``detect``: a shorter head is the whole file."""
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


def sniff(head: bytes, complete: bool) -> tuple[str, str, bool] | None:
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


_XML_DATE = re.compile(r"<lastUpdateDate>\s*([^<]*?)\s*</lastUpdateDate>")


def response_date(head: bytes) -> str | None:
    """The ``lastUpdateDate`` of a response from its first bytes (None for a bulk download or no date)."""
    sniffed = sniff(head, complete=len(head) < HEAD_SIZE)
    if sniffed is None:
        return None
    fmt, enc, has_meta = sniffed
    if fmt == FORMAT_XML:
        m = _XML_DATE.search(head.decode("utf-8", errors="ignore"))
        if m and _DATE_LIKE.fullmatch(m.group(1)):
            return m.group(1)
    elif has_meta:
        first = head.removeprefix(_BOM).decode(enc, errors="ignore").split("\n", 1)[0].strip()
        mm = _META_RE.fullmatch(first)
        if mm:
            return mm.group(1)
    return None


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


def _open(unit: SourceUnit) -> IO[bytes]:
    try:
        return unit.open()
    except OSError as exc:
        raise LoaderError(str(unit), f"unreadable file: {exc}") from exc


def _read(unit: SourceUnit, reading: _Reading) -> Iterator[_Raw]:
    head = unit.head(HEAD_SIZE)
    sniffed = sniff(head, complete=len(head) < HEAD_SIZE)
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
    for name, key in (("prefectureCode", "prefecture_code"), ("postCode", "post_code")):
        v = f.get(name)
        if v is not None and re.fullmatch(r"[0-9]+", v):
            kw[key] = v
    kw["address_ja"] = japanese_address(f)
    kw["address_en"] = english_address(f)
    return NtaCorporation(number, raw.ordinal, raw.fragment, dict(f), **kw), issues


def japanese_address(f: dict[str, str]) -> str | None:
    """都道府県 + 市区町村 + 丁目番地等 of a record's fields as one string (as the NTA site and gBizINFO print it);
    else 国外所在地."""
    parts = [v for v in (f.get("prefectureName"), f.get("cityName"), f.get("streetNumber")) if v]
    return "".join(parts) if parts else f.get("addressOutside")


def english_address(f: dict[str, str]) -> str | None:
    """``{市区町村丁目番地等}, {都道府県}`` in English of a record's fields; else the English 国外所在地."""
    parts = [v for v in (f.get("enCityName"), f.get("enPrefectureName")) if v]
    return ", ".join(parts) if parts else f.get("enAddressOutside")


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
