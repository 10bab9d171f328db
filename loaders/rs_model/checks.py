"""Parse-time checks of RS-table records: the values read from other values, and the load issues they raise.

:func:`check` runs once per record, in the loader's ``parse``: it resolves a 1-3 row's legal basis, reads the
旧事業番号 of a 1-2 row, the related 予算事業ID of a 1-5 row, the 補助率 of a 1-4 row and the yearly values of a
3-1 indicator into typed fields of the record, and reports what it could not read (unknown ministries and
codes, unresolved laws …).  The mapping (:mod:`loaders.rs_model.mapping`) only reads those fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from ontology import codes
from ontology.iri import Minter
from ontology.laws import law_register

from .. import common, legal
from .. import normalize as nz
from .. import rs_values as rv
from ..base import LoadIssue
from .records import IndicatorPoint, RsRecord


def check(r: RsRecord) -> tuple[RsRecord, list[LoadIssue]]:
    """``r`` with its derived values read, and the load issues of its values (in the order found)."""
    if r.table == "1-3":
        return _check_1_3(r)
    derive = DERIVERS.get(r.table)
    if derive is not None:
        r = derive(r)
    issuer = ISSUERS.get(r.table)
    return r, list(issuer(r)) if issuer is not None else []


# -- derived values ------------------------------------------------------------------------------------------------
def _derive_1_2(r: RsRecord) -> RsRecord:
    written = r.text("former_number")
    return replace(r, former_numbers=rv.former_numbers(written)) if written else r


def _derive_1_4(r: RsRecord) -> RsRecord:
    rate = r.text("subsidy_rate")
    if rate is None:
        return r
    written, value = rv.subsidy_rate(rate)
    return replace(r, rate_written=written, rate=value)


def _derive_1_5(r: RsRecord) -> RsRecord:
    rel = r.text("rel_id")
    return replace(r, related_id=rv.related_program_id(rel)) if rel is not None else r


def _derive_3_1(r: RsRecord) -> RsRecord:
    points = tuple(
        IndicatorPoint(int(k[2:]), value, rv.indicator_value(value))
        for k, value in r.v.items()
        if k.startswith("y:") and isinstance(value, str)
    )
    return replace(r, indicator_values=points)


DERIVERS: dict[str, Callable[[RsRecord], RsRecord]] = {
    "1-2": _derive_1_2,
    "1-4": _derive_1_4,
    "1-5": _derive_1_5,
    "3-1": _derive_3_1,
}


# -- load issues ---------------------------------------------------------------------------------------------------
def issues_1_1(r: RsRecord) -> Iterator[LoadIssue]:
    """Load issues of a 1-1 row: unknown ministries."""
    for col, key in (
        ("府省庁", "ministry"),
        ("府省庁（その他担当組織）", "o_ministry"),
        ("所管府省庁", "policy_ministry"),
    ):
        v = r.text(key)
        if v and common.ministry_iri(Minter(), v)[1] is None:
            yield LoadIssue(
                "unknown-ministry",
                "ministry/agency not in the organisation register; minted a hashed IRI",
                "warning",
                r.row,
                r.line,
                col,
                v,
            )


def issues_1_2(r: RsRecord) -> Iterator[LoadIssue]:
    """Load issues of a 1-2 row: 旧事業番号 with no recognisable program number, unknown 事業区分."""
    fn = r.text("former_number")
    if fn and not r.former_numbers:
        yield LoadIssue(
            "former-number",
            "旧事業番号 holds no recognisable program number; kept as written",
            "warning",
            r.row,
            r.line,
            "旧事業番号",
            fn,
        )
    category = r.text("category")
    if category is not None and codes.lookup("program-category", category) is None:
        reason = "unknown 事業区分; kept as written"
        yield LoadIssue("unknown-code", reason, "warning", r.row, r.line, "事業区分", category)


def _check_1_3(r: RsRecord) -> tuple[RsRecord, list[LoadIssue]]:
    """A 1-3 row with its legal basis resolved (``citations``), and what could not be read: a bad or unknown
    法令ID, provisions, citations not resolved."""
    if not ("law_no" in r.v or "law_name" in r.v or "law_id" in r.v):
        return r, []
    issues = list(_law_id_issues(r))
    cols = legal.columns(r.text("article"), r.text("paragraph"), r.text("item"))
    for col, value, reason in cols.errors:
        issues.append(LoadIssue("bad-provision", f"{reason}; kept as written", "warning", r.row, r.line, col, value))
    cits, leftovers = legal.resolve(r.text("law_name"), r.text("law_number"), r.text("law_id"), cols)
    r = replace(r, citations=tuple(cits))
    issues += (
        LoadIssue(
            "citation-leftover",
            "part of the law name not understood as a citation; kept as written",
            "info",
            r.row,
            r.line,
            "法令名",
            frag,
        )
        for frag in leftovers
    )
    issues += _citation_issues(r)
    return r, issues


def _law_id_issues(r: RsRecord) -> Iterator[LoadIssue]:
    """A 法令ID that is not one, or that the law register does not know."""
    raw_id = r.text("law_id")
    ref = common.split_law_id(nz.nfkc(raw_id)) if raw_id else None
    if raw_id and ref is None:
        yield LoadIssue(
            "bad-law-id",
            "法令ID is not an e-Gov law ID (e.g. 426AC1000000104); law resolved from the name instead",
            "warning",
            r.row,
            r.line,
            "法令ID",
            raw_id,
        )
    elif ref is not None and ref[0] not in law_register():
        yield LoadIssue(
            "unknown-law-id",
            "法令ID not in the law register: the law is linked by this ID as written, without a title or 法令番号",
            "info",
            r.row,
            r.line,
            "法令ID",
            raw_id,
        )


def _citation_issues(r: RsRecord) -> Iterator[LoadIssue]:
    """Citations without a 法令ID, or whose 法令番号 names another law."""
    for rc in r.citations:
        if rc.law_id is None:
            yield LoadIssue(
                "unresolved-citation",
                "no e-Gov 法令ID found for this law name; cited as written",
                "warning",
                r.row,
                r.line,
                "法令名",
                rc.cited_text or rc.law_name,
            )
        elif rc.law_number_consistent is False:
            yield LoadIssue(
                "law-number-mismatch",
                "法令番号 and 法令ID name different laws",
                "warning",
                r.row,
                r.line,
                "法令番号",
                r.text("law_number"),
            )


def issues_1_5(r: RsRecord) -> Iterator[LoadIssue]:
    """Load issues of a 1-5 row: related program id not a number, unknown relation kind."""
    rel = r.text("rel_id")
    if rel is not None and r.related_id is None:
        yield LoadIssue(
            "bad-program-id", "関連事業の事業ID is not a program ID", "error", r.row, r.line, "関連事業の事業ID", rel
        )
    relation = r.text("relation")
    if relation is not None and codes.lookup("program-relation", relation) is None:
        yield LoadIssue("unknown-code", "unknown 関連性; kept as written", "warning", r.row, r.line, "関連性", relation)


def issues_2_1(r: RsRecord) -> Iterator[LoadIssue]:
    """Load issues of a 2-1 row: a summary row without 予算年度, 執行率 without 執行額."""
    if "budget_year" not in r.v:
        yield LoadIssue(
            "missing-value",
            "予算年度 is empty; budget figures of this row not mapped",
            "error",
            r.row,
            r.line,
            "予算年度",
            None,
        )
    if any(k.startswith("a:") for k in r.v) and "account" not in r.v:
        yield LoadIssue(
            "missing-value",
            "per-account amounts without 会計; mapped to the account 'unspecified'",
            "warning",
            r.row,
            r.line,
            "会計",
            None,
        )
    if "execution_rate" in r.v and "s:executed" not in r.v:
        yield LoadIssue(
            "orphan-rate",
            "執行率 given without 執行額（合計）; rate not mapped",
            "error",
            r.row,
            r.line,
            "執行率",
            r.raw.get("execution_rate"),
        )


def issues_2_2(r: RsRecord) -> Iterator[LoadIssue]:
    """Load issues of a 2-2 row: unknown 予算種別."""
    kind = r.text("budget_kind")
    if kind is not None and codes.lookup("budget-stage", kind) is None:
        reason = "unknown 予算種別; kept only in the source"
        yield LoadIssue("unknown-code", reason, "error", r.row, r.line, "予算種別", kind)


def issues_3_1(r: RsRecord) -> Iterator[LoadIssue]:
    """Load issues of a 3-1 row: a yearly value that is not a number (kept as written, not as a number)."""
    for point in r.indicator_values:
        if point.value is None and not nz.is_none_marker(point.written):
            yield LoadIssue(
                "bad-amount",
                "indicator value is not a number; kept as written (cbkg:valueAsWritten)",
                "warning",
                r.row,
                r.line,
                str(point.year),
                point.written,
            )


def issues_3_2(r: RsRecord) -> Iterator[LoadIssue]:
    """Load issues of a 3-2 row: element kinds not recognised."""
    for side, col in (("from", "派生元ー種別"), ("to", "派生先ー種別")):
        label = r.text(f"{side}_kind")
        if label is not None and codes.lookup("logic-kind", label) is None:
            reason = "unknown logic-model element kind; element not mapped"
            yield LoadIssue("unknown-code", reason, "error", r.row, r.line, col, label)


ISSUERS: dict[str, Callable[[RsRecord], Iterator[LoadIssue]]] = {
    "1-1": issues_1_1,
    "1-2": issues_1_2,
    "1-5": issues_1_5,
    "2-1": issues_2_1,
    "2-2": issues_2_2,
    "3-1": issues_3_1,
    "3-2": issues_3_2,
}
