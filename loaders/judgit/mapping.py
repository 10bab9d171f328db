"""RDF of JUDGIT! records (pure: a record and the context in, triples out; values are read by :mod:`.parse`).

The vocabulary of ``rs_csv`` wherever the concepts coincide: the sheet, its budget lines as RDF Data Cube
slices, its payees (expense items in their blocks), its outcome / output indicators and previous sheets.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from ontology import terms as t
from ontology.iri import Minter, cbkg, code, short_hash
from ontology.terms import IRI, Triple
from ontology.vocab import DERIVED, LABEL, QB_OBSERVATION, QB_SLICE, QB_SLICE_STRUCTURE, SEE_ALSO, TYPE

from .. import common
from ..base import LoadIssue, MapContext
from .records import Budget, Expense, Indicator, PreviousSheet, Record, Sheet
from .values import pointer

P_SHEET = cbkg("sheet")
TOTAL_ACCOUNT = code("account", "total")


def _fragment(ptr: str) -> str:
    return quote(ptr, safe="/()=:@!$&'*+,;-._~?")


def _at(ctx: MapContext, ptr: str) -> IRI:
    """The IRI of a JSON value of the source (``{source}#/予算/2``, percent-encoded)."""
    return IRI(f"{ctx.source}#{_fragment(ptr)}")


def dataset_key(year: int) -> str:
    """The data cube of one 公開年度's JUDGIT sheets (``judgit2022``)."""
    return f"judgit{year}"


def _sheet(r: Record, m: Minter) -> IRI:
    return m.review_sheet(r.year, r.key)


def _org(r: Sheet, m: Minter) -> common.OrgRef | None:
    return common.resolve_org(m, r.ministry, [("bureau", r.bureau), ("division", r.division)])


def to_triples(record: Record, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record in the file's graph (sheets, budget lines, payees, indicators, previous sheets)."""
    if isinstance(record, Sheet):
        yield from _map_sheet(record, ctx)
    elif isinstance(record, Budget):
        yield from _map_budget(record, ctx)
    elif isinstance(record, Expense):
        yield from _map_expense(record, ctx)
    elif isinstance(record, Indicator):
        yield from _map_indicator(record, ctx)
    elif isinstance(record, PreviousSheet):
        sheet = _sheet(record, ctx.minter)
        yield sheet, cbkg("previousReviewSheet"), t.text(record.number)
        if record.sheet_year is not None and record.sheet_key is not None:
            yield sheet, cbkg("previousReviewSheetIri"), ctx.minter.review_sheet(record.sheet_year, record.sheet_key)


def declarations(record: Record | LoadIssue, ctx: MapContext) -> Iterator[Triple]:
    """Declarations of the shared entities: the sheet's organisation units, the budget cube, payees."""
    m = ctx.minter
    if isinstance(record, Sheet):
        ref = _org(record, m)
        if ref is not None:
            yield from ref.declarations
        yield from common.budget_dataset(
            m,
            dataset_key(record.year),
            "million-yen",
            f"JUDGIT! 公開年度 {record.year} 予算・執行（行政事業レビューシート）",
        )
    elif isinstance(record, Expense):
        _, decls = common.payee_iri(m, _sheet(record, m), record.payee, record.corporate_number)
        yield from decls


def _map_sheet(r: Sheet, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    yield sheet, TYPE, cbkg("ProgramSheet")
    yield sheet, DERIVED, ctx.source  # the whole file is the sheet
    yield sheet, LABEL, t.ja(r.name) if r.name else t.text(r.key)
    yield sheet, cbkg("sheetYear"), t.gyear(r.year)
    yield sheet, cbkg("reviewSheetNumber"), t.text(r.key)
    if r.number_as_written is not None and r.number_as_written != r.key:
        yield sheet, cbkg("reviewSheetNumberAsWritten"), t.text(r.number_as_written)
    for value, prop in (
        (r.purpose, "purpose"),
        (r.overview, "overview"),
        (r.official, "responsibleOfficial"),
        (r.no_target_reason, "noQuantitativeTargetReason"),
    ):
        if value is not None:
            yield sheet, cbkg(prop), t.ja(value)
    if r.start_year is not None:
        yield sheet, cbkg("startYear"), t.gyear(r.start_year)
    if r.end_year is not None:
        yield sheet, cbkg("endYear"), t.gyear(r.end_year)
    ref = _org(r, m)
    if ref is not None:
        yield sheet, cbkg("responsibleUnit"), ref.iri
        if ref.ministry is not None:
            yield sheet, cbkg("ministry"), ref.ministry
    for label, method in zip(r.methods, r.method_codes, strict=True):
        if method is not None:
            yield sheet, cbkg("implementationMethod"), method
        else:
            yield sheet, cbkg("implementationMethodAsWritten"), t.ja(label)
    for value in r.major_policies:
        yield sheet, cbkg("majorPolicy"), t.ja(value)
    for value in r.account_classes:
        yield sheet, cbkg("accountClassAsWritten"), t.ja(value)
    if r.url is not None:
        yield sheet, SEE_ALSO, common.url_term(r.url)
    if r.record_id is not None:
        yield sheet, cbkg("judgitRecordId"), t.text(r.record_id)
    if r.program_id is not None:
        yield sheet, cbkg("judgitProgramId"), t.text(r.program_id)
    for letter in r.blocks:
        block = m.block(sheet, letter)
        yield block, P_SHEET, sheet
        yield block, TYPE, cbkg("SpendingBlock")
        yield block, cbkg("blockLetter"), t.text(letter)
        yield block, DERIVED, _at(ctx, "/支出先")


def _map_budget(r: Budget, ctx: MapContext) -> Iterator[Triple]:
    """A 予算 entry as an RDF Data Cube slice, exactly like RS table 2-1's sheet totals (see rs_csv.mapping)."""
    m = ctx.minter
    line = m.observation(dataset_key(r.year), r.key, r.budget_year, r.line_key)
    yield line, TYPE, cbkg("BudgetLine")
    yield line, QB_SLICE_STRUCTURE, cbkg("budgetLineKey")
    yield m.dataset(dataset_key(r.year) + "-budget"), QB_SLICE, line
    yield line, P_SHEET, _sheet(r, m)
    yield line, cbkg("budgetYear"), t.gyear(r.budget_year)
    yield line, cbkg("account"), TOTAL_ACCOUNT
    yield line, DERIVED, _at(ctx, pointer("予算", r.index))
    for stage, amount, written in r.figures:
        obs = m.observation(dataset_key(r.year), r.key, r.budget_year, r.line_key, stage)
        yield line, QB_OBSERVATION, obs
        yield obs, cbkg("budgetStage"), code("budget-stage", stage)
        yield obs, cbkg("amount"), t.decimal(amount)
        yield obs, cbkg("sourceFigure"), t.text(written)  # always: the source unit (百万円) differs


def _map_expense(r: Expense, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    node = m.expense(sheet, r.index + 1)
    yield node, P_SHEET, sheet
    yield node, TYPE, cbkg("ExpenseItem")
    yield node, DERIVED, _at(ctx, pointer("支出先", r.index))
    if r.block is not None:
        yield node, cbkg("block"), m.block(sheet, r.block)
    if r.rank is not None:
        yield node, cbkg("rankInBlock"), t.integer(r.rank)
    payee, _ = common.payee_iri(m, sheet, r.payee, r.corporate_number)
    if payee is not None:
        yield node, cbkg("payee"), payee
    if r.payee is not None:
        yield node, cbkg("payeeName"), t.ja(r.payee)
    if r.corporate_number_as_written is not None:
        yield node, cbkg("corporateNumberAsWritten"), t.text(r.corporate_number_as_written)
    if r.summary is not None:
        yield node, cbkg("contractSummary"), t.ja(r.summary)
    if r.amount is not None:
        yield node, cbkg("amount"), t.decimal(r.amount)
        yield node, cbkg("sourceFigure"), t.text(r.amount_as_written or "")
    if r.budget_year is not None:
        yield node, cbkg("budgetYear"), t.gyear(r.budget_year)


_ELEMENT_CLASS = {"outcome": "Outcome", "output": "Output"}


def _map_indicator(r: Indicator, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    element = m.logic_element(sheet, r.kind, r.index + 1)
    yield element, P_SHEET, sheet
    yield element, TYPE, cbkg(_ELEMENT_CLASS[r.kind])
    yield element, cbkg("elementNumber"), t.integer(r.index + 1)
    yield element, DERIVED, _at(ctx, r.pointer)
    ind = m.indicator(element)
    yield ind, P_SHEET, sheet
    yield ind, TYPE, cbkg("Indicator")
    yield ind, DERIVED, _at(ctx, r.pointer)
    yield ind, cbkg("measuresElement"), element
    for text, prop in ((r.name, "indicatorName"), (r.statement, "statement"), (r.unit, "unitAsWritten")):
        if text is not None:
            yield ind, cbkg(prop), t.ja(text)
    for kind, year, value, written, ptr in r.values:
        parts: list[str | int] = ["value", short_hash(kind, length=6)]
        if year is not None:
            parts.append(year)
        point = m.indicator_value(ind, *parts)
        yield ind, cbkg("indicatorValue"), point
        yield point, TYPE, cbkg("IndicatorValue")
        yield point, cbkg("valueKind"), t.ja(kind)
        if year is not None:
            yield point, cbkg("year"), t.gyear(year)
        if value is not None:
            yield point, cbkg("value"), t.decimal(value)
        else:
            yield point, cbkg("valueAsWritten"), t.text(written)
        yield point, DERIVED, _at(ctx, ptr)
