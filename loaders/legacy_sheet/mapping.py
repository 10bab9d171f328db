"""RDF mapping of the records of one legacy review sheet (pure: record + context → triples).

The sheet is ``id/sheet/{year}/n/{number}`` (no ``cbkg:program``: identity resolution links it later); every node
cites the lines it was read from (RFC 5147 ``#line=``).  Load issues are mapped by the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator

from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.terms import IRI, Triple
from ontology.vocab import (
    DERIVED,
    LABEL,
    QB_OBSERVATION,
    QB_SLICE,
    QB_SLICE_STRUCTURE,
    SKOS_BROADER,
    SKOS_PREF,
    TYPE,
)

from .. import common, legal
from ..base import LoadIssue, MapContext
from ..rs_model.mapping import TOTAL_ACCOUNT, citation_declarations
from .records import (
    BudgetColumn,
    BudgetCube,
    Citation,
    Organisation,
    Payee,
    PlanRef,
    PolicyRef,
    Record,
    Sheet,
    SheetField,
    SheetRecord,
)

P_SHEET = cbkg("sheet")


def dataset_key(year: int) -> str:
    """The budget cube of one review year's legacy sheets (``legacy2017``)."""
    return f"legacy{year}"


def _sheet(r: SheetRecord, m: Minter) -> IRI:
    return m.review_sheet(r.year, r.key)


def _line(ctx: MapContext, n: int) -> IRI:
    return Minter.line(ctx.source, n)


def to_triples(record: Record, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record (pure: record + context)."""
    m = ctx.minter
    if isinstance(record, (BudgetCube, LoadIssue)):
        return
    sheet = _sheet(record, m)
    if isinstance(record, Sheet):
        yield sheet, TYPE, cbkg("ProgramSheet")
        yield sheet, cbkg("sheetYear"), t.gyear(record.year)
        yield sheet, cbkg("reviewSheetNumber"), t.text(record.key)
        ministry, _ = common.ministry_iri(m, record.ministry)
        if ministry is not None:
            yield sheet, cbkg("ministry"), ministry
        for n in record.lines:
            yield sheet, DERIVED, _line(ctx, n)
    elif isinstance(record, SheetField):
        value = record.value
        if isinstance(value, bool):
            yield sheet, cbkg(record.prop), t.boolean(value)
        elif isinstance(value, int):
            yield sheet, cbkg(record.prop), t.gyear(value)
        elif record.prop == "label":
            yield sheet, LABEL, t.ja(value)
        else:
            yield sheet, cbkg(record.prop), t.ja(value)
        yield sheet, DERIVED, _line(ctx, record.line)
    elif isinstance(record, Organisation):
        ref = common.resolve_org(m, record.ministry, list(record.units))
        if ref is not None:
            yield sheet, cbkg("responsibleUnit"), ref.iri
        for n in record.lines:
            yield sheet, DERIVED, _line(ctx, n)
    elif isinstance(record, PolicyRef):
        node = m.sheet_policy(sheet, 1)
        owner, p_iri, m_iri = _policy_iris(record, m)
        yield node, P_SHEET, sheet
        yield node, TYPE, cbkg("PolicyReference")
        if owner is not None:
            yield node, cbkg("policyOwner"), owner
        if p_iri is not None:
            yield node, cbkg("policy"), p_iri
        if m_iri is not None:
            yield node, cbkg("measure"), m_iri
        for n in record.lines:
            yield node, DERIVED, _line(ctx, n)
    elif isinstance(record, Citation):
        node = m.legal_basis(sheet, record.n)
        yield node, P_SHEET, sheet
        yield node, TYPE, cbkg("LegalBasisCitation")
        yield node, cbkg("sheetYear"), t.gyear(record.year)
        for n in record.lines:
            yield node, DERIVED, _line(ctx, n)
        yield from legal.citation_triples(node, sheet, record.rc, m)
    elif isinstance(record, PlanRef):
        node = m.sheet_plan(sheet, record.n)
        plan, _ = common.plan_iri(m, record.name)
        yield node, P_SHEET, sheet
        yield node, TYPE, cbkg("PlanReference")
        yield node, DERIVED, _line(ctx, record.line)
        yield node, cbkg("planNameAsWritten"), t.ja(record.name)
        yield node, cbkg("plan"), plan
        yield sheet, cbkg("relatedPlan"), plan
    elif isinstance(record, BudgetColumn):
        yield from _budget_triples(record, ctx)
    elif isinstance(record, Payee):
        node = m.payment(sheet, record.n)
        payee, _ = _payee(record, m)
        yield node, P_SHEET, sheet
        yield node, TYPE, cbkg("Payment")
        for n in record.lines:
            yield node, DERIVED, _line(ctx, n)
        if payee is not None:
            yield node, cbkg("payee"), payee
        if record.name:
            yield node, cbkg("payeeName"), t.ja(record.name)
        if record.corporate_number:
            yield node, cbkg("corporateNumberAsWritten"), t.text(record.corporate_number)
        if record.amount is not None:
            lit = t.decimal(record.amount)
            yield node, cbkg("amount"), lit
            if record.raw_amount is not None and lit.lex != record.raw_amount:
                yield node, cbkg("sourceFigure"), t.text(record.raw_amount)


def _policy_iris(r: PolicyRef, m: Minter) -> tuple[IRI | None, IRI | None, IRI | None]:
    owner, entry = common.ministry_iri(m, r.ministry)
    slug = entry.slug if entry else "unknown"
    p_iri = m.policy(slug, r.policy) if r.policy else None
    m_iri = m.policy(slug, r.policy or "", r.measure) if r.measure else None
    return owner, p_iri, m_iri


def _payee(r: Payee, m: Minter) -> tuple[IRI | None, list[Triple]]:
    return common.payee_iri(m, _sheet(r, m), r.name, r.corporate_number if r.valid else None)


def _budget_triples(c: BudgetColumn, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    line = m.observation(dataset_key(c.year), c.key, c.budget_year, "total")
    yield line, TYPE, cbkg("BudgetLine")
    yield line, QB_SLICE_STRUCTURE, cbkg("budgetLineKey")
    yield m.dataset(dataset_key(c.year) + "-budget"), QB_SLICE, line
    yield line, P_SHEET, m.review_sheet(c.year, c.key)
    yield line, cbkg("budgetYear"), t.gyear(c.budget_year)
    yield line, cbkg("account"), TOTAL_ACCOUNT
    if c.line:
        yield line, DERIVED, _line(ctx, c.line)
    for f in c.figures:
        obs = IRI(f"{line}/{f.stage}")
        lit = t.decimal(f.amount)
        yield line, QB_OBSERVATION, obs
        yield obs, cbkg("budgetStage"), code("budget-stage", f.stage)
        yield obs, cbkg("amount"), lit
        if lit.lex != f.raw:
            yield obs, cbkg("sourceFigure"), t.text(f.raw)
        yield obs, DERIVED, _line(ctx, f.line)
    if c.rate is not None:
        obs = IRI(f"{line}/executed")
        yield obs, cbkg("executionRate"), t.decimal(c.rate[0])
        yield obs, DERIVED, _line(ctx, c.rate[2])


def declarations(record: Record, ctx: MapContext) -> Iterator[Triple]:
    """Declarations of the shared entities a record mentions (org units, laws, plans, policies, payees, cube)."""
    m = ctx.minter
    if isinstance(record, Organisation):
        ref = common.resolve_org(m, record.ministry, list(record.units))
        if ref is not None:
            yield from ref.declarations
    elif isinstance(record, Citation):
        yield from citation_declarations(m, (record.rc,), None)
    elif isinstance(record, PlanRef):
        _, decls = common.plan_iri(m, record.name)
        yield from decls
    elif isinstance(record, PolicyRef):
        owner, p_iri, m_iri = _policy_iris(record, m)
        if p_iri is not None:
            yield p_iri, TYPE, cbkg("Policy")
            yield p_iri, SKOS_PREF, t.ja(record.policy or "")
            if owner is not None:
                yield p_iri, cbkg("policyOwner"), owner
        if m_iri is not None:
            yield m_iri, TYPE, cbkg("Measure")
            yield m_iri, SKOS_PREF, t.ja(record.measure or "")
            if p_iri is not None:
                yield m_iri, SKOS_BROADER, p_iri
    elif isinstance(record, Payee):
        _, decls = _payee(record, m)
        yield from decls
    elif isinstance(record, BudgetCube):
        yield from common.budget_dataset(
            m, dataset_key(record.year), record.unit, f"行政事業レビューシート {record.year} 年度 予算額・執行額"
        )
