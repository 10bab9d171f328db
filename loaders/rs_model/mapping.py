"""RDF mapping of RS-table records (pure functions: record + context → triples), shared by ``rs_csv`` and
``rs_sheet``.

Provenance convention: every triple is in the named graph of its source file; every subject a file
describes carries ``prov:wasDerivedFrom <source#row=N>`` (``ctx.row``: a CSV record, or a line of a text export)
for each record that produced its triples.  Shared entities (org units, payees, accounts, laws, plans, programs)
are *declared* by :data:`DECLARERS` (merged into the entities graph), never asserted here.

Ownership of sheet facts, so that no triple is stated by two files: 1-1 owns the sheet's organisations;
1-2 owns its type, title, program link and overview; the other tables attach their own nodes.  Every value is
read at parse time (:mod:`loaders.rs_model.checks`); these functions only read the record's typed fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from ontology import codes
from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.terms import IRI, Triple
from ontology.vocab import (
    DCT_IDENTIFIER,
    DERIVED,
    LABEL,
    QB_OBSERVATION,
    QB_SLICE,
    QB_SLICE_STRUCTURE,
    SEE_ALSO,
    SKOS_BROADER,
    SKOS_PREF,
    TYPE,
)

from .. import common, legal
from .. import normalize as nz
from ..base import MapContext
from .records import ACCOUNT_STAGES, SUMMARY_STAGES, RsRecord

P_SHEET, P_BUDGET_YEAR, P_BUDGET_STAGE, P_ACCOUNT = (
    cbkg("sheet"),
    cbkg("budgetYear"),
    cbkg("budgetStage"),
    cbkg("account"),
)
Mapper = Callable[[RsRecord, MapContext], Iterator[Triple]]


def dataset_key(year: int) -> str:
    """The data cube of one 事業年度's RS sheets (``rs2024``), shared by the bulk CSV and the single sheets."""
    return f"rs{year}"


def record_triples(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one RS-table record."""
    return MAPPERS[r.table](r, ctx)


def record_declarations(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    """Declarations of the shared entities an RS-table record mentions."""
    fn = DECLARERS.get(r.table)
    return fn(r, ctx) if fn is not None else iter(())


# -- helpers -------------------------------------------------------------------------------------------------
def _sheet(r: RsRecord, m: Minter) -> IRI:
    return m.sheet(r.year, r.program_id)


def _lit(value: str) -> t.Literal:
    return t.ja(value)


def _text_props(node: IRI, r: RsRecord, pairs: tuple[tuple[str, str], ...]) -> Iterator[Triple]:
    for key, prop in pairs:
        v = r.text(key)
        if v is not None:
            yield node, cbkg(prop), _lit(v)


def _url(node: IRI, r: RsRecord, key: str, prop: IRI = SEE_ALSO) -> Iterator[Triple]:
    v = r.text(key)
    if v is not None:
        yield node, prop, common.url_term(v)


def amount_triples(node: IRI, amount: Decimal, raw: str, prop: str = "amount") -> Iterator[Triple]:
    """``node cbkg:{prop} amount``, and the figure as written (``cbkg:sourceFigure``) when it reads otherwise."""
    lit = t.decimal(amount)
    yield node, cbkg(prop), lit
    if lit.lex != raw and lit.lex != nz.nfkc(raw).strip():
        yield node, cbkg("sourceFigure"), t.text(raw)


def _amount(node: IRI, r: RsRecord, key: str, prop: str = "amount") -> Iterator[Triple]:
    v = r.amount(key)
    if v is not None:
        yield from amount_triples(node, v, r.raw[key], prop)


def _no(r: RsRecord, key: str) -> int:
    """The row's number in column ``key`` (``政策No`` …), or its ordinal when the column is empty."""
    n = r.number(key)
    return r.ordinal if n is None else n


def _org_units(r: RsRecord, prefix: str = "") -> list[tuple[str, str | None]]:
    return [(lvl, r.text(prefix + lvl)) for lvl in common.UNIT_LEVELS]


# -- 1-1 組織情報 ---------------------------------------------------------------------------------------------
def _map_1_1(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    yield sheet, DERIVED, ctx.row(r.row)
    if r.number("org_no") in (None, 1) or r.ordinal == 1:
        ref = common.resolve_org(m, r.text("ministry"), _org_units(r))
        if ref is not None:
            yield sheet, cbkg("responsibleUnit"), ref.iri
            if ref.ministry is not None:
                yield sheet, cbkg("ministry"), ref.ministry
        pm, _ = common.ministry_iri(m, r.text("policy_ministry"))
        if pm is not None:
            yield sheet, cbkg("policyMinistry"), pm
    other = common.resolve_org(m, r.text("o_ministry"), _org_units(r, "o_"))
    if other is not None:
        yield sheet, cbkg("otherResponsibleUnit"), other.iri
    if (author := r.text("author")) is not None:
        yield sheet, cbkg("responsibleOfficial"), _lit(author)


def _decl_1_1(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    for prefix in ("", "o_"):
        ref = common.resolve_org(m, r.text(prefix + "ministry"), _org_units(r, prefix))
        if ref is not None:
            yield from ref.declarations


# -- 1-2 事業概要等 -------------------------------------------------------------------------------------------
_METHODS = (
    ("m_direct", "direct"),
    ("m_subsidy", "subsidy"),
    ("m_burden", "burden"),
    ("m_grant", "grant"),
    ("m_contribution", "contribution"),
    ("m_other", "other"),
)


def _map_1_2(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    yield sheet, DERIVED, ctx.row(r.row)
    yield sheet, TYPE, cbkg("ProgramSheet")
    yield sheet, cbkg("program"), m.program(r.program_id)
    yield sheet, cbkg("sheetYear"), t.gyear(r.year)
    name = r.text("program_name")
    yield sheet, LABEL, _lit(name) if name is not None else t.text(r.program_id)
    yield from _text_props(
        sheet,
        r,
        (
            ("purpose", "purpose"),
            ("issues", "currentIssues"),
            ("overview", "overview"),
            ("major_expense", "majorExpenseCategory"),
            ("remarks", "remarks"),
        ),
    )
    yield from _url(sheet, r, "overview_url", cbkg("overviewPage"))
    category = r.text("category")
    cat = codes.lookup("program-category", category)
    if cat is not None:
        yield sheet, cbkg("programCategory"), cat
    elif category is not None:
        yield sheet, cbkg("programCategoryAsWritten"), _lit(category)
    if (start_year := r.number("start_year")) is not None:
        yield sheet, cbkg("startYear"), t.gyear(start_year)
    if (start_unknown := r.flag("start_unknown")) is not None:
        yield sheet, cbkg("startYearUnknown"), t.boolean(start_unknown)
    if (end_year := r.number("end_year")) is not None:
        yield sheet, cbkg("endYear"), t.gyear(end_year)
    if (no_end := r.flag("no_end")) is not None:
        yield sheet, cbkg("noPlannedEnd"), t.boolean(no_end)
    for key, notation in _METHODS:
        if r.flag(key):
            yield sheet, cbkg("implementationMethod"), code("implementation-method", notation)
    if (former := r.text("former_number")) is not None:
        yield sheet, cbkg("formerProgramNumberAsWritten"), t.text(former)
        for pn in r.former_numbers:
            yield sheet, cbkg("formerProgramNumber"), t.text(pn.key())
    if (summary_order := r.number("summary_order")) is not None:
        yield sheet, cbkg("summaryTableOrder"), t.integer(summary_order)


def _decl_1_2(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    prog = ctx.minter.program(r.program_id)
    yield prog, TYPE, cbkg("Program")
    yield prog, DCT_IDENTIFIER, t.text(r.program_id)


# -- 1-3 政策・施策、法令、計画 ------------------------------------------------------------------------------------
def _policy_iris(r: RsRecord, m: Minter) -> tuple[IRI | None, IRI | None, IRI | None]:
    owner, entry = common.ministry_iri(m, r.text("policy_owner") or r.text("ministry"))
    slug = entry.slug if entry else "unknown"
    pol = r.text("policy")
    mea = r.text("measure")
    p_iri = m.policy(slug, pol) if pol else None
    m_iri = m.policy(slug, pol or "", mea) if mea else None
    return owner, p_iri, m_iri


def _map_1_3(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    yield sheet, DERIVED, ctx.row(r.row)
    if "policy_no" in r.v or "policy" in r.v:
        node = m.sheet_policy(sheet, _no(r, "policy_no"))
        owner, p_iri, m_iri = _policy_iris(r, m)
        yield node, P_SHEET, sheet
        yield node, TYPE, cbkg("PolicyReference")
        yield node, DERIVED, ctx.row(r.row)
        if owner is not None:
            yield node, cbkg("policyOwner"), owner
        if p_iri is not None:
            yield node, cbkg("policy"), p_iri
        if m_iri is not None:
            yield node, cbkg("measure"), m_iri
        yield from _url(node, r, "policy_url")
    for i, rc in enumerate(r.citations):
        number = _no(r, "law_no")
        node = m.legal_basis(sheet, number if i == 0 else f"{number}-{i + 1}")
        yield node, P_SHEET, sheet
        yield node, TYPE, cbkg("LegalBasisCitation")
        yield node, DERIVED, ctx.row(r.row)
        yield node, cbkg("sheetYear"), t.gyear(r.year)
        for key, prop in (
            ("law_name", "lawNameAsWritten"),
            ("law_number", "lawNumberAsWritten"),
            ("law_id", "lawIdAsWritten"),
            ("article", "articleAsWritten"),
            ("paragraph", "paragraphAsWritten"),
            ("item", "itemAsWritten"),
        ):
            if (written := r.text(key)) is not None:
                yield node, cbkg(prop), t.text(written)
        yield from legal.citation_triples(node, sheet, rc, m)
    if "plan_no" in r.v or "plan_name" in r.v:
        node = m.sheet_plan(sheet, _no(r, "plan_no"))
        yield node, P_SHEET, sheet
        yield node, TYPE, cbkg("PlanReference")
        yield node, DERIVED, ctx.row(r.row)
        if (plan_name := r.text("plan_name")) is not None:
            yield node, cbkg("planNameAsWritten"), _lit(plan_name)
            plan, _ = common.plan_iri(m, plan_name)
            yield node, cbkg("plan"), plan
            yield sheet, cbkg("relatedPlan"), plan
        yield from _url(node, r, "plan_url")


def _decl_1_3(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    owner, p_iri, m_iri = _policy_iris(r, m)
    if p_iri is not None:
        yield p_iri, TYPE, cbkg("Policy")
        yield p_iri, SKOS_PREF, _lit(r.text("policy") or "")
        if owner is not None:
            yield p_iri, cbkg("policyOwner"), owner
    if m_iri is not None:
        yield m_iri, TYPE, cbkg("Measure")
        yield m_iri, SKOS_PREF, _lit(r.text("measure") or "")
        if p_iri is not None:
            yield m_iri, SKOS_BROADER, p_iri
    yield from citation_declarations(m, r.citations, r.text("law_number"))
    plan_name = r.text("plan_name")
    if plan_name is not None:
        plan, decls = common.plan_iri(m, plan_name)
        yield from decls
        url = r.text("plan_url")
        if url is not None and common.is_url(url):
            yield plan, SEE_ALSO, common.url_term(url)


def citation_declarations(
    m: Minter, citations: tuple[legal.ResolvedCitation, ...], law_number: str | None
) -> Iterator[Triple]:
    """Declarations of the laws and provisions a legal basis cites (``law_number``: the 法令番号 as written)."""
    for rc in citations:
        if rc.law_id is None:
            continue
        yield from common.law_declarations(m, rc.law_id)
        if rc.law_name:
            yield m.law(rc.law_id), cbkg("citedAs"), _lit(rc.law_name)
        if law_number is not None and rc.method == "structured":
            yield m.law(rc.law_id), cbkg("lawNumberAsCited"), _lit(law_number)
        if not rc.supplementary:
            for art, para, item in legal.provisions(rc):
                yield from common.provision_declarations(m, rc.law_id, art, para, item)


# -- 1-4 補助率等 ----------------------------------------------------------------------------------------------
def _map_1_4(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    sheet = _sheet(r, ctx.minter)
    node = ctx.minter.subsidy_rate(sheet, _no(r, "rate_no"))
    yield node, P_SHEET, sheet
    yield node, TYPE, cbkg("SubsidyRate")
    yield node, DERIVED, ctx.row(r.row)
    yield from _text_props(node, r, (("subsidy_target", "subsidyTarget"), ("subsidy_cap", "subsidyCap")))
    if r.rate_written is not None:
        yield node, cbkg("rateAsWritten"), _lit(r.rate_written)
        if r.rate is not None:
            yield node, cbkg("rate"), t.decimal(r.rate)
    yield from _url(node, r, "subsidy_url")


# -- 1-5 関連事業 ----------------------------------------------------------------------------------------------
def _map_1_5(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    node = m.related_program(sheet, _no(r, "rel_no"))
    yield sheet, DERIVED, ctx.row(r.row)
    yield node, P_SHEET, sheet
    yield node, TYPE, cbkg("ProgramRelation")
    yield node, DERIVED, ctx.row(r.row)
    rel_id = r.related_id
    if rel_id is not None:
        yield node, cbkg("relatedProgram"), m.program(rel_id)
        yield sheet, cbkg("relatedProgram"), m.program(rel_id)
    if (rel_name := r.text("rel_name")) is not None:
        yield node, cbkg("relatedProgramName"), _lit(rel_name)
    relation = r.text("relation")
    kind = codes.lookup("program-relation", relation)
    if kind is not None:
        yield node, cbkg("relationKind"), kind
    elif relation is not None:
        yield node, cbkg("relationKindAsWritten"), _lit(relation)


def _decl_1_5(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    rel_id = r.related_id
    if rel_id is not None:
        prog = ctx.minter.program(rel_id)
        yield prog, TYPE, cbkg("Program")
        yield prog, DCT_IDENTIFIER, t.text(rel_id)


# -- 2-1 予算・執行サマリ ------------------------------------------------------------------------------------------
_STAGE_CODES = {k: code("budget-stage", k) for _, k in (*SUMMARY_STAGES, *ACCOUNT_STAGES)}
TOTAL_ACCOUNT = code("account", "total")
UNSPECIFIED_ACCOUNT = code("account", "unspecified")


def budget_line(m: Minter, year: int, program_id: str, budget_year: int, account_key: str) -> IRI:
    """The budget line of a sheet (事業年度 ``year``) for one 予算年度 and account (``total`` for sheet totals)."""
    return m.observation(dataset_key(year), program_id, budget_year, account_key)


def budget_line_triples(
    line: IRI, ctx: MapContext, year: int, program_id: str, budget_year: int, account: IRI, row: int, written: str = ""
) -> Iterator[Triple]:
    """A budget line as an RDF Data Cube slice (``cbkg:BudgetLine``): sheet × 予算年度 × account fixed, one
    observation per budget stage.  Observations are in the cube's abbreviated form: their type, data set,
    sheet, year and account follow from their line (the qb normalisation rules, spec §10.1, give the full
    form); this halves the size of the largest table without losing a fact.  ``written``: the account as
    written (会計区分 / 会計 / 勘定)."""
    m = ctx.minter
    yield line, TYPE, cbkg("BudgetLine")
    yield line, QB_SLICE_STRUCTURE, cbkg("budgetLineKey")
    yield m.dataset(dataset_key(year) + "-budget"), QB_SLICE, line
    yield line, P_SHEET, m.sheet(year, program_id)
    yield line, P_BUDGET_YEAR, t.gyear(budget_year)
    yield line, P_ACCOUNT, account
    yield line, DERIVED, ctx.row(row)
    if written:
        yield line, cbkg("accountAsWritten"), t.text(written)


def _observation(r: RsRecord, line: IRI, stage: str, key: str) -> Iterator[Triple]:
    obs = IRI(f"{line}/{stage}")
    yield line, QB_OBSERVATION, obs
    yield obs, P_BUDGET_STAGE, _STAGE_CODES[stage]
    yield from _amount(obs, r, key)


def account_key(r: RsRecord, m: Minter) -> tuple[IRI | None, str]:
    """The account IRI of a 2-1/2-2 row and the key of its budget line (``total`` for sheet totals).

    One account can fill several rows of one 予算年度 (e.g. one row with the 当初 amounts and one with the
    補正 amounts): the second and later rows get ``-2``, ``-3`` … in file order.

    The key hashes the account *as written*: the RS export sometimes lists one account twice under two
    spellings (``エネルギー対策`` + ``エネルギー需給勘定`` with the amounts, and
    ``エネルギー対策特別会計エネルギー需給勘定`` with zeros for the summary table); both rows are kept as
    separate budget lines of the same canonical account.
    """
    acc, _ = common.account_iri(m, r.text("account"), r.text("subaccount"))
    if acc is None:
        return None, "total"
    written = "|".join(r.text(k) or "" for k in ("account_class", "account", "subaccount"))
    key = common.short_hash(written, length=8)
    return acc, key if r.seq == 1 else f"{key}-{r.seq}"


def _map_2_1(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    year = r.number("budget_year")
    if year is None:
        return
    written = " / ".join(v for k in ("account_class", "account", "subaccount") if (v := r.text(k)) is not None)
    # a row is a summary row (…（合計） columns) and/or an account row (per-account columns); the columns
    # decide, not the 会計 cell: two real rows give per-account amounts with an empty 会計
    acc, akey = account_key(r, m)
    parts: list[tuple[IRI, str, tuple[tuple[str, str], ...], str]] = []
    if any("s:" + stage in r.v for _, stage in SUMMARY_STAGES):
        parts.append((TOTAL_ACCOUNT, "total" if r.seq == 1 else f"total-{r.seq}", SUMMARY_STAGES, "s:"))
    if any("a:" + stage in r.v for _, stage in ACCOUNT_STAGES):
        if acc is None:
            acc, akey = UNSPECIFIED_ACCOUNT, "unspecified" if r.seq == 1 else f"unspecified-{r.seq}"
        parts.append((acc, akey, ACCOUNT_STAGES, "a:"))
    for account, key, stages, prefix in parts:
        line = budget_line(m, r.year, r.program_id, year, key)
        yield from budget_line_triples(line, ctx, r.year, r.program_id, year, account, r.row, written)
        for _, stage in stages:
            if prefix + stage in r.v:
                yield from _observation(r, line, stage, prefix + stage)
        rate = r.amount("execution_rate")
        if prefix == "s:" and rate is not None and "s:executed" in r.v:
            yield IRI(f"{line}/executed"), cbkg("executionRate"), t.decimal(rate)
    texts = [
        (k, p)
        for k, p in (
            ("change_reason", "changeReason"),
            ("special_notes", "specialNotes"),
            ("remarks", "accountRemarks"),
        )
        if k in r.v
    ]
    if texts:
        node = m.budget_line(sheet, year)
        yield node, P_SHEET, sheet
        yield node, TYPE, cbkg("BudgetYearNote")
        yield node, cbkg("budgetYear"), t.gyear(year)
        yield node, DERIVED, ctx.row(r.row)
        for k, p in texts:
            yield node, cbkg(p), _lit(r.text(k) or "")


def _decl_accounts(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    _, decls = common.account_iri(ctx.minter, r.text("account"), r.text("subaccount"))
    yield from decls
    if r.table == "2-1":
        yield from common.budget_dataset(
            ctx.minter, dataset_key(r.year), "yen", f"RS 事業年度 {r.year} 予算・執行（2-1 予算・執行_サマリ）"
        )


# -- 2-2 予算種別・歳出予算項目 -------------------------------------------------------------------------------------
def _map_2_2(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    node = m.budget_item(sheet, r.ordinal)
    yield node, P_SHEET, sheet
    yield node, TYPE, cbkg("BudgetLineItem")
    yield node, DERIVED, ctx.row(r.row)
    if (budget_year := r.number("budget_year")) is not None:
        yield node, cbkg("budgetYear"), t.gyear(budget_year)
    stage = codes.lookup("budget-stage", r.text("budget_kind"))
    if stage is not None:
        yield node, cbkg("budgetStage"), stage
    acc, _ = account_key(r, m)
    if acc is not None:
        yield node, cbkg("account"), acc
    yield from _text_props(
        node,
        r,
        (
            ("jurisdiction", "jurisdiction"),
            ("organisation_account", "organisationAccount"),
            ("kou", "expenditureItem"),
            ("moku", "expenditureSubItem"),
            ("item_note", "itemNote"),
            ("remarks", "remarks"),
        ),
    )
    yield from _amount(node, r, "amount")
    yield from _amount(node, r, "request_amount", "nextYearRequestAmount")


# -- 3-1 目標・実績 / 3-2 目標のつながり ------------------------------------------------------------------------------
_KIND_CLASS = {"activity": "Activity", "output": "Output", "outcome": "Outcome"}


def _element(sheet: IRI, kind_label: str | None, no: int | None, m: Minter) -> tuple[IRI, str] | None:
    kind = codes.lookup("logic-kind", kind_label)
    if kind is None or no is None:
        return None
    notation = kind.rsplit("/", 1)[1]
    return m.logic_element(sheet, notation, no), notation


def _map_3_2(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    ends: list[IRI | None] = []
    for side in ("from", "to"):
        no = r.number(f"{side}_no")
        el = _element(sheet, r.text(f"{side}_kind"), no, m)
        if el is None or no is None:
            ends.append(None)
            continue
        node, notation = el
        ends.append(node)
        yield node, P_SHEET, sheet
        yield node, TYPE, cbkg(_KIND_CLASS[notation])
        yield node, cbkg("elementNumber"), t.integer(no)
        yield node, DERIVED, ctx.row(r.row)
        term = codes.lookup("outcome-term", r.text(f"{side}_term"))
        if term is not None:
            yield node, cbkg("outcomeTerm"), term
        if (statement := r.text(f"{side}_text")) is not None:
            yield node, cbkg("statement"), _lit(statement)
    src, dst = ends
    if src is not None and dst is not None:
        yield src, cbkg("leadsTo"), dst
    if "link_text" in r.v or "single_stage_reason" in r.v:
        link = m.logic_link(sheet, r.ordinal)
        yield link, TYPE, cbkg("LogicLink")
        yield link, DERIVED, ctx.row(r.row)
        if src is not None:
            yield link, cbkg("fromElement"), src
        if dst is not None:
            yield link, cbkg("toElement"), dst
        yield from _text_props(link, r, (("link_text", "connectionText"), ("single_stage_reason", "singleStageReason")))


def _map_3_1(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    el = _element(sheet, r.text("node_kind"), r.number("node_no"), m)
    ind_key = nz.nfkc(r.text("indicator") or r.text("node_text") or str(r.ordinal))
    parent = el[0] if el else sheet
    ind = m.indicator(parent, common.short_hash(ind_key, length=10))
    yield ind, P_SHEET, sheet
    yield ind, TYPE, cbkg("Indicator")
    yield ind, DERIVED, ctx.row(r.row)
    if el is not None:
        yield ind, cbkg("measuresElement"), el[0]
    yield from _text_props(
        ind,
        r,
        (
            ("indicator", "indicatorName"),
            ("node_text", "statement"),
            ("unit", "unitAsWritten"),
            ("direction", "improvementDirection"),
            ("data_source", "dataSource"),
            ("target_kind", "targetKind"),
            ("qualitative_reason", "qualitativeReason"),
            ("qualitative_result", "qualitativeResult"),
            ("kpi_decision", "kpiDecision"),
            ("kpi_location", "kpiLocation"),
        ),
    )
    yield from _url(ind, r, "kpi_url")
    kind = r.text("value_kind") or ""
    for value in r.indicator_values:
        point = m.indicator_value(ind, "value", common.short_hash(kind, length=6), value.year)
        yield ind, cbkg("indicatorValue"), point
        yield point, TYPE, cbkg("IndicatorValue")
        yield point, cbkg("valueKind"), _lit(kind)
        yield point, cbkg("year"), t.gyear(value.year)
        if value.value is not None:
            yield point, cbkg("value"), t.decimal(value.value)
        else:
            yield point, cbkg("valueAsWritten"), t.text(value.written)
        yield point, DERIVED, ctx.row(r.row)


# -- 4-1 点検・評価 -------------------------------------------------------------------------------------------
_REVIEW_TEXT = (
    ("self_check", "selfCheck"),
    ("improvement", "improvementPlan"),
    ("effect_eval", "effectEvaluation"),
    ("ext_reason", "externalReviewReason"),
    ("ext_opinion", "externalReviewOpinion"),
    ("public_process", "publicProcessSummary"),
    ("team_finding_detail", "reviewTeamFindingDetail"),
    ("reflection_detail", "reflectionDetail"),
)


def _map_4_1(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    review = m.review(sheet)
    main_keys = {k for k, _ in _REVIEW_TEXT} | {
        "ext_year",
        "ext_target",
        "team_finding",
        "reflection",
        "reflect_general",
        "reflect_special",
    }
    if main_keys & r.v.keys():
        yield review, P_SHEET, sheet
        yield review, TYPE, cbkg("ReviewResult")
        yield review, DERIVED, ctx.row(r.row)
        yield from _text_props(review, r, _REVIEW_TEXT)
        if (ext_year := r.number("ext_year")) is not None:
            yield review, cbkg("externalReviewYear"), t.gyear(ext_year)
        for key, scheme, prop in (
            ("ext_target", "external-review", "externalReview"),
            ("team_finding", "review-finding", "reviewTeamFinding"),
            ("reflection", "reflection", "reflectionStatus"),
        ):
            written = r.text(key)
            c = codes.lookup(scheme, written)
            if c is not None:
                yield review, cbkg(prop), c
            elif written is not None:
                yield review, cbkg(prop + "AsWritten"), _lit(written)
        yield from _amount(review, r, "reflect_general", "reflectedAmountGeneralAccount")
        if "reflect_special" in r.v:
            acc, _ = common.account_iri(m, r.text("reflect_special_account"), r.text("reflect_special_subaccount"))
            node = m.special_account_reflection(review, r.ordinal)
            yield review, cbkg("specialAccountReflection"), node
            yield node, TYPE, cbkg("AccountAmount")
            yield from _amount(node, r, "reflect_special")
            if acc is not None:
                yield node, cbkg("account"), acc
    for prefix, cls in (("past", "PastFinding"), ("other", "OtherFinding")):
        keys = [k for k in r.v if k.startswith(prefix + "_")]
        if not keys:
            continue
        node = m.review_finding(review, prefix, r.ordinal)
        yield node, cbkg("reviewResult"), review
        yield node, TYPE, cbkg(cls)
        yield node, DERIVED, ctx.row(r.row)
        if (year := r.number(f"{prefix}_year")) is not None:
            yield node, cbkg("findingYear"), t.gyear(year)
        yield from _text_props(
            node,
            r,
            (
                (f"{prefix}_kind", "findingKind"),
                (f"{prefix}_name", "findingSource"),
                (f"{prefix}_content", "findingContent"),
                (f"{prefix}_status", "findingResponse"),
            ),
        )


def _decl_4_1(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    if "reflect_special" in r.v:
        _, decls = common.account_iri(
            ctx.minter, r.text("reflect_special_account"), r.text("reflect_special_subaccount")
        )
        yield from decls


# -- 5-x 支出先 ---------------------------------------------------------------------------------------------------
def _block(sheet: IRI, letter: str | None, m: Minter) -> IRI | None:
    if not letter:
        return None
    return m.block(sheet, nz.nfkc(letter).strip())


def _map_5_2(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    for side in ("from", "to"):
        letter = r.text(f"{side}_block")
        block = _block(sheet, letter, m)
        if block is None or letter is None:
            continue
        yield block, P_SHEET, sheet
        yield block, TYPE, cbkg("SpendingBlock")
        yield block, cbkg("blockLetter"), t.text(nz.nfkc(letter).strip())
        yield block, DERIVED, ctx.row(r.row)
        if (name := r.text(f"{side}_name")) is not None:
            yield block, LABEL, _lit(name)
    if "to_block" in r.v or "to_name" in r.v:
        flow = m.flow(sheet, r.ordinal)
        yield flow, P_SHEET, sheet
        yield flow, TYPE, cbkg("FundFlow")
        yield flow, DERIVED, ctx.row(r.row)
        src = _block(sheet, r.text("from_block"), m)
        if src is not None:
            yield flow, cbkg("fromBlock"), src
        elif r.flag("from_org") or "from_name" in r.v:
            org, _ = common.ministry_iri(m, r.text("from_name"))
            if org is not None:
                yield flow, cbkg("fromOrganization"), org
            if (from_name := r.text("from_name")) is not None:
                yield flow, cbkg("fromName"), _lit(from_name)
        if (from_org := r.flag("from_org")) is not None:
            yield flow, cbkg("fromResponsibleOrganization"), t.boolean(from_org)
        dst = _block(sheet, r.text("to_block"), m)
        if dst is not None:
            yield flow, cbkg("toBlock"), dst
        if (flow_note := r.text("flow_note")) is not None:
            yield flow, cbkg("flowNote"), _lit(flow_note)
    if "indirect" in r.v or "indirect_amount" in r.v:
        node = m.indirect_cost(sheet, r.ordinal)
        yield node, P_SHEET, sheet
        yield node, TYPE, cbkg("IndirectCost")
        yield node, DERIVED, ctx.row(r.row)
        yield from _text_props(node, r, (("indirect", "costKind"), ("indirect_item", "costItem")))
        yield from _amount(node, r, "indirect_amount")


def _payee_name(r: RsRecord) -> str | None:
    return r.text("payee")


def _payee(r: RsRecord, m: Minter) -> tuple[IRI | None, list[Triple]]:
    return common.payee_iri(m, _sheet(r, m), _payee_name(r), r.text("corporate_number"))


def _payee_props(node: IRI, r: RsRecord, m: Minter) -> Iterator[Triple]:
    payee, _ = _payee(r, m)
    if payee is not None:
        yield node, cbkg("payee"), payee
    if (name := r.text("payee")) is not None:
        yield node, cbkg("payeeName"), _lit(name)
    if "corporate_number" in r.raw:
        yield node, cbkg("corporateNumberAsWritten"), t.text(r.raw["corporate_number"])


def _map_5_3(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    node = m.expense(sheet, r.ordinal)
    yield node, P_SHEET, sheet
    yield node, TYPE, cbkg("ExpenseItem")
    yield node, DERIVED, ctx.row(r.row)
    block = _block(sheet, r.text("block"), m)
    if block is not None:
        yield node, cbkg("block"), block
    yield from _payee_props(node, r, m)
    yield from _text_props(
        node,
        r,
        (("contract_summary", "contractSummary"), ("expense_category", "expenseCategory"), ("use", "use")),
    )
    yield from _amount(node, r, "amount")


def _contract_props(node: IRI, r: RsRecord, m: Minter) -> Iterator[Triple]:
    written = r.text("contract_method")
    method = codes.lookup("contract-method", written)
    if method is not None:
        yield node, cbkg("contractMethod"), method
    elif written is not None:
        yield node, cbkg("contractMethodAsWritten"), _lit(written)
    yield from _text_props(
        node,
        r,
        (
            ("contract_method_detail", "contractMethodDetail"),
            ("contract_summary", "contractSummary"),
            ("location", "payeeLocation"),
            ("single_bid_reason", "singleBidReason"),
        ),
    )
    ctype = codes.lookup("corporate-type", r.text("corporate_type"))
    if ctype is not None:
        yield node, cbkg("corporateType"), ctype
    if (bidders := r.number("bidders")) is not None:
        yield node, cbkg("bidderCount"), t.integer(bidders)
    if (award_rate_percent := r.amount("award_rate_percent")) is not None:
        yield node, cbkg("awardRate"), t.decimal(award_rate_percent / Decimal(100))
    if (award_rate := r.amount("award_rate")) is not None:
        yield node, cbkg("awardRate"), t.decimal(award_rate)
    for key in ("other_contract", "other_contract_flag"):
        if (other := r.flag(key)) is not None:
            yield node, cbkg("otherContract"), t.boolean(other)


def _map_5_4(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    node = m.contract(sheet, r.ordinal)
    yield node, P_SHEET, sheet
    yield node, TYPE, cbkg("Contract")
    yield node, DERIVED, ctx.row(r.row)
    block = _block(sheet, r.text("block"), m)
    if block is not None:
        yield node, cbkg("block"), block
    yield from _payee_props(node, r, m)
    yield from _contract_props(node, r, m)
    yield from _amount(node, r, "amount")


def _map_5_1(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    block = _block(sheet, r.text("block"), m)
    if block is not None and ({"block_name", "payee_count", "block_role", "block_total"} & r.v.keys()):
        yield block, P_SHEET, sheet
        yield block, DERIVED, ctx.row(r.row)
        yield from _text_props(block, r, (("block_role", "blockRole"),))
        if (payee_count := r.number("payee_count")) is not None:
            yield block, cbkg("payeeCount"), t.integer(payee_count)
        yield from _amount(block, r, "block_total", "blockTotal")
    if "payee" in r.v or "payee_total" in r.v or "amount" in r.v:
        node = m.payment(sheet, r.ordinal)
        yield node, P_SHEET, sheet
        yield node, TYPE, cbkg("Payment")
        yield node, DERIVED, ctx.row(r.row)
        if block is not None:
            yield node, cbkg("block"), block
        yield from _payee_props(node, r, m)
        yield from _contract_props(node, r, m)
        yield from _amount(node, r, "payee_total", "payeeTotal")
        yield from _amount(node, r, "amount")
        if (other_payees := r.flag("other_payees")) is not None:
            yield node, cbkg("otherPayees"), t.boolean(other_payees)


def _decl_payee(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    _, decls = _payee(r, ctx.minter)
    yield from decls


def _map_6_1(r: RsRecord, ctx: MapContext) -> Iterator[Triple]:
    sheet = _sheet(r, ctx.minter)
    yield sheet, DERIVED, ctx.row(r.row)
    if (remarks := r.text("remarks")) is not None:
        yield sheet, cbkg("otherRemarks"), _lit(remarks)


MAPPERS = {
    "1-1": _map_1_1,
    "1-2": _map_1_2,
    "1-3": _map_1_3,
    "1-4": _map_1_4,
    "1-5": _map_1_5,
    "2-1": _map_2_1,
    "2-2": _map_2_2,
    "3-1": _map_3_1,
    "3-2": _map_3_2,
    "4-1": _map_4_1,
    "5-1": _map_5_1,
    "5-2": _map_5_2,
    "5-3": _map_5_3,
    "5-4": _map_5_4,
    "6-1": _map_6_1,
}
DECLARERS = {
    "1-1": _decl_1_1,
    "1-2": _decl_1_2,
    "1-3": _decl_1_3,
    "1-5": _decl_1_5,
    "2-1": _decl_accounts,
    "2-2": _decl_accounts,
    "4-1": _decl_4_1,
    "5-1": _decl_payee,
    "5-3": _decl_payee,
    "5-4": _decl_payee,
}
