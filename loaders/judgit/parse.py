"""Reading a JUDGIT! sheet: recognising and identifying it, then its records with typed values and load issues."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ontology import codes
from ontology.iri import Minter, code, key_text, short_hash
from ontology.registers import org_register
from ontology.terms import IRI

from .. import common
from .. import normalize as nz
from ..base import LoaderError, LoadIssue, SourceUnit
from .records import Budget, Expense, Figure, Indicator, IndicatorPoint, PreviousSheet, Record, Sheet
from .values import NO_VALUE, Reader, is_missing, nan_constant, pointer, pointer_join, type_name

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


# -- detection ----------------------------------------------------------------------------------------------
_BOM = b"\xef\xbb\xbf"
HEAD_SIZE = 65536
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


def sniff(unit: SourceUnit, head: bytes) -> bool:
    """True for a JSON object with the keys 事業名, 府省庁 and 予算 or 事業番号 (a JUDGIT! review sheet)."""
    text = _strip_bom(head).decode("utf-8", errors="ignore").lstrip()
    if not text.startswith("{"):
        return False
    if len(head) < HEAD_SIZE:  # the whole file: decide on the parsed document
        try:
            return _is_sheet(json.loads(text, parse_float=Decimal))
        except (ValueError, RecursionError):
            pass  # malformed: judge by the keys, so that parse refuses it by name
    found = {k: bool(p.search(text)) for k, p in _DETECT_KEYS.items()}
    if found["事業名"] and found["府省庁"] and not (found["予算"] or found["事業番号"]) and len(head) >= HEAD_SIZE:
        # a long text before 予算 pushed it out of the sniffing window: look at the whole file
        try:
            with unit.open() as fh:
                rest = _strip_bom(fh.read(_MAX_DETECT)).decode("utf-8", errors="ignore")
        except OSError:
            return False
        found["予算"] = bool(_DETECT_KEYS["予算"].search(rest))
        found["事業番号"] = bool(_DETECT_KEYS["事業番号"].search(rest))
    return found["事業名"] and found["府省庁"] and (found["予算"] or found["事業番号"])


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


def _parts_text(reader: Reader, ptr: str, obj: dict[str, Any]) -> str | None:
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
class Document:
    """A sheet file read and identified (shared by ``graph_key`` and ``parse``): the JSON, the 公開年度, the
    canonical 事業番号 (``key``), the number as written, the ministry, and the reader holding the issues so far."""

    obj: dict[str, Any]
    year: int
    key: str
    written: str | None
    ministry: str | None
    reader: Reader = field(default_factory=Reader)


def read(unit: SourceUnit) -> Document:
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
        obj = json.loads(text, parse_float=Decimal, parse_constant=nan_constant, object_pairs_hook=pairs)
    except ValueError as exc:
        raise LoaderError(str(unit), f"malformed JSON: {exc}") from exc
    except RecursionError:
        raise LoaderError(str(unit), "malformed JSON: nested too deeply") from None
    if not _is_sheet(obj):
        got = "an object without 事業名, 府省庁 and 予算/事業番号" if isinstance(obj, dict) else type_name(obj)
        raise LoaderError(str(unit), f"not a JUDGIT review sheet: the JSON is {got}")
    reader = Reader()
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
    return Document(obj, year, key, written or from_parts, ministry, reader)


# -- parsing --------------------------------------------------------------------------------------------------
def parse(unit: SourceUnit) -> Iterator[Record | LoadIssue]:
    """Read one sheet: a :class:`Sheet`, then its budgets, payees, indicators, previous sheets and load issues."""
    doc = read(unit)
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
    method_codes = tuple(method_code(m) for _, m in methods)
    for (ptr, m), found in zip(methods, method_codes, strict=True):
        if found is None:
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
        method_codes=method_codes,
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
    r: Reader, obj: dict[str, Any], name: str, known: frozenset[str] | None
) -> Iterator[tuple[int, str, dict]]:
    """``(index, pointer, object)`` of the entries of a list of objects; other items are reported."""
    for i, item in r.items(pointer(name), obj.get(name), name):
        ptr = pointer(name, i)
        item = r.structured(ptr, item)
        if item is None or item is NO_VALUE:
            continue
        if not isinstance(item, dict):
            r.issue("bad-shape", f"{name} entry: expected an object, got {type_name(item)}; not mapped", ptr, item)
            continue
        if known is not None:
            r.unknown_keys(ptr, item, known, name)
        yield i, ptr, item


def method_code(label: str) -> IRI | None:
    """The ``code/implementation-method`` concept of a 実施方法 label (the code list, then :data:`METHOD_FALLBACK`)."""
    found = codes.lookup("implementation-method", label)
    if found is not None:
        return found
    notation = METHOD_FALLBACK.get(key_text(label))
    return code("implementation-method", notation) if notation else None


def _stage(label: str) -> str | None:
    notation = STAGES.get(key_text(label))
    if notation is not None:
        return notation
    iri = codes.lookup("budget-stage", label)
    return iri.rsplit("/", 1)[1] if iri else None


def _budgets(r: Reader, obj: dict[str, Any], year: int, key: str) -> Iterator[Budget]:
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
                amount, written = got
                if stage == "carried-over-out" and amount < 0:
                    amount = -amount  # JUDGIT's subtractive sign (see STAGES); ▲75 百万円 carried out = 75,000,000 yen
                figures.append((stage, amount, written))
        if by is None:
            if figures:
                r.issue("missing-value", "予算 entry without 年度; its figures are not mapped", ptr, entry)
            continue
        if not figures:
            continue
        seen[by] = seen.get(by, 0) + 1
        line_key = "total" if seen[by] == 1 else f"total-{seen[by]}"
        yield Budget(year, key, i, by, line_key, tuple(figures))


def _expenses(r: Reader, obj: dict[str, Any], year: int, key: str) -> Iterator[Expense]:
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
    r: Reader, obj: dict[str, Any], year: int, key: str, name: str, spec: _IndicatorSpec
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
            if point is None or point is NO_VALUE:
                continue
            if not isinstance(point, dict):
                r.issue("bad-shape", f"{spec.series} entry: expected an object, got {type_name(point)}", pptr, point)
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


def _previous(r: Reader, obj: dict[str, Any], year: int, key: str, ministry: str | None) -> Iterator[PreviousSheet]:
    for i, item in r.items(
        "/関連する過去のレビューシート", obj.get("関連する過去のレビューシート"), "関連する過去のレビューシート"
    ):
        ptr = pointer("関連する過去のレビューシート", i)
        item = r.structured(ptr, item)
        if item is None or item is NO_VALUE:
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
            r.issue("bad-shape", f"expected an object or a number, got {type_name(item)}; not mapped", ptr, item)
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
