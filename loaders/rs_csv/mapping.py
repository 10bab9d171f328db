"""RDF mapping of RS-system records (pure functions: record + context → triples).

Provenance convention: every triple is in the named graph of its source file; every subject a file
describes carries ``prov:wasDerivedFrom <source#row=N>`` (in that graph) for each record that produced its
triples.  Shared entities (org units, payees, accounts, laws, plans, programs) are *declared* by
:func:`declarations` (merged into the entities graph), never asserted here.

Ownership of sheet facts, so that no triple is stated by two files: 1-1 owns the sheet's organisations;
1-2 owns its type, title, program link and overview; the other tables attach their own nodes.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ontology import codes
from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.laws import law_register
from ontology.namespaces import DCTERMS, PROV, QB, RDFS
from ontology.terms import IRI, Triple

from .. import common, legal
from .. import normalize as nz
from ..base import LoadIssue, MapContext, issue_triples
from .tables import ACCOUNT_STAGES, SUMMARY_STAGES

TYPE = t.RDF_TYPE
DERIVED = IRI(PROV + "wasDerivedFrom")
LABEL = IRI(RDFS + "label")
COMMENT = IRI(RDFS + "comment")
SEEALSO = IRI(RDFS + "seeAlso")
QB_DATASET = IRI(QB + "dataSet")
QB_OBSERVATION = IRI(QB + "Observation")
DCT_IDENTIFIER = IRI(DCTERMS + "identifier")

P = cbkg  # short alias in this module
P_SHEET, P_BUDGET_YEAR, P_BUDGET_STAGE, P_ACCOUNT = (
    P("sheet"),
    P("budgetYear"),
    P("budgetStage"),
    P("account"),
)
QB_SLICE = IRI(QB + "slice")
QB_SLICE_STRUCTURE = IRI(QB + "sliceStructure")
QB_OBSERVATION_P = IRI(QB + "observation")


def dataset_key(year: int) -> str:
    """The data cube of one 事業年度's RS sheets (``rs2024``)."""
    return f"rs{year}"


def to_triples(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record (a :class:`TableInfo`, an :class:`RsRecord` or a :class:`LoadIssue`)."""
    from . import RsRecord, TableInfo  # local import: the package imports this module

    if isinstance(record, RsRecord):
        yield from MAPPERS[record.table](record, ctx)
    elif isinstance(record, TableInfo):
        yield from _table_info(record, ctx)
    elif isinstance(record, LoadIssue):
        n = ctx.options.setdefault("_issue_no", 0) + 1
        ctx.options["_issue_no"] = n
        yield from issue_triples(record, n, ctx)


def declarations(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Declarations of the shared entities a record mentions."""
    from . import RsRecord

    if isinstance(record, RsRecord):
        fn = DECLARERS.get(record.table)
        if fn is not None:
            yield from fn(record, ctx)


# -- helpers -------------------------------------------------------------------------------------------------
def _sheet(r: Any, m: Minter) -> IRI:
    return m.sheet(r.year, r.program_id)


def _lit(value: str) -> t.Literal:
    return t.ja(value)


def _text_props(node: IRI, r: Any, pairs: tuple[tuple[str, str], ...]) -> Iterator[Triple]:
    for key, prop in pairs:
        v = r.v.get(key)
        if v is not None:
            yield node, P(prop), _lit(v)


def _url(node: IRI, r: Any, key: str, prop: IRI = SEEALSO) -> Iterator[Triple]:
    v = r.v.get(key)
    if v is not None:
        yield node, prop, common.url_term(v)


def _amount(node: IRI, r: Any, key: str, prop: str = "amount") -> Iterator[Triple]:
    v = r.v.get(key)
    if v is not None:
        lit = t.decimal(v)
        yield node, P(prop), lit
        raw = r.raw[key]
        if lit.lex != raw and lit.lex != nz.nfkc(raw).strip():
            yield node, P("sourceFigure"), t.text(raw)


def _org_units(r: Any, prefix: str = "") -> list[tuple[str, str | None]]:
    return [(lvl, r.v.get(prefix + lvl)) for lvl in common.UNIT_LEVELS]


def _table_info(info: Any, ctx: MapContext) -> Iterator[Triple]:
    yield ctx.graph, P("rsTable"), t.text(info.table)


# -- 1-1 組織情報 ---------------------------------------------------------------------------------------------
def _map_1_1(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    yield sheet, DERIVED, ctx.row(r.row)
    if r.v.get("org_no", 1) == 1 or r.ordinal == 1:
        ref = common.resolve_org(m, r.v.get("ministry"), _org_units(r))
        if ref is not None:
            yield sheet, P("responsibleUnit"), ref.iri
            if ref.ministry is not None:
                yield sheet, P("ministry"), ref.ministry
        pm, _ = common.ministry_iri(m, r.v.get("policy_ministry"))
        if pm is not None:
            yield sheet, P("policyMinistry"), pm
    other = common.resolve_org(m, r.v.get("o_ministry"), _org_units(r, "o_"))
    if other is not None:
        yield sheet, P("otherResponsibleUnit"), other.iri
    if "author" in r.v:
        yield sheet, P("responsibleOfficial"), _lit(r.v["author"])


def _decl_1_1(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    for prefix in ("", "o_"):
        ref = common.resolve_org(m, r.v.get(prefix + "ministry"), _org_units(r, prefix))
        if ref is not None:
            yield from ref.declarations


def issues_1_1(r: Any) -> Iterator[LoadIssue]:
    """Load issues the mapping of a 1-1 row raises (unknown ministries)."""
    for col, key in (
        ("府省庁", "ministry"),
        ("府省庁（その他担当組織）", "o_ministry"),
        ("所管府省庁", "policy_ministry"),
    ):
        v = r.v.get(key)
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


# -- 1-2 事業概要等 -------------------------------------------------------------------------------------------
_METHODS = (
    ("m_direct", "direct"),
    ("m_subsidy", "subsidy"),
    ("m_burden", "burden"),
    ("m_grant", "grant"),
    ("m_contribution", "contribution"),
    ("m_other", "other"),
)


def _map_1_2(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    yield sheet, DERIVED, ctx.row(r.row)
    yield sheet, TYPE, P("ProgramSheet")
    yield sheet, P("program"), m.program(r.program_id)
    yield sheet, P("sheetYear"), t.gyear(r.year)
    yield sheet, LABEL, _lit(r.v["program_name"]) if "program_name" in r.v else t.text(r.program_id)
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
    yield from _url(sheet, r, "overview_url", P("overviewPage"))
    cat = codes.lookup("program-category", r.v.get("category"))
    if cat is not None:
        yield sheet, P("programCategory"), cat
    elif "category" in r.v:
        yield sheet, P("programCategoryAsWritten"), _lit(r.v["category"])
    if "start_year" in r.v:
        yield sheet, P("startYear"), t.gyear(r.v["start_year"])
    if "start_unknown" in r.v:
        yield sheet, P("startYearUnknown"), t.boolean(r.v["start_unknown"])
    if "end_year" in r.v:
        yield sheet, P("endYear"), t.gyear(r.v["end_year"])
    if "no_end" in r.v:
        yield sheet, P("noPlannedEnd"), t.boolean(r.v["no_end"])
    for key, notation in _METHODS:
        if r.v.get(key):
            yield sheet, P("implementationMethod"), code("implementation-method", notation)
    if "former_number" in r.v:
        yield sheet, P("formerProgramNumberAsWritten"), t.text(r.v["former_number"])
        for pn in former_numbers(r.v["former_number"]):
            yield sheet, P("formerProgramNumber"), t.text(pn.key())
    if "summary_order" in r.v:
        yield sheet, P("summaryTableOrder"), t.integer(r.v["summary_order"])


def _decl_1_2(r: Any, ctx: MapContext) -> Iterator[Triple]:
    prog = ctx.minter.program(r.program_id)
    yield prog, TYPE, P("Program")
    yield prog, DCT_IDENTIFIER, t.text(r.program_id)


def issues_1_2(r: Any) -> Iterator[LoadIssue]:
    """Load issues of a 1-2 row: 旧事業番号 with no recognisable program number, unknown 事業区分."""
    fn = r.v.get("former_number")
    if fn and not former_numbers(fn):
        yield LoadIssue(
            "former-number",
            "旧事業番号 holds no recognisable program number; kept as written",
            "warning",
            r.row,
            r.line,
            "旧事業番号",
            fn,
        )
    if "category" in r.v and codes.lookup("program-category", r.v["category"]) is None:
        yield LoadIssue(
            "unknown-code",
            "unknown 事業区分; kept as written",
            "warning",
            r.row,
            r.line,
            "事業区分",
            r.v["category"],
        )


# -- 1-3 政策・施策、法令、計画 ------------------------------------------------------------------------------------
def _policy_iris(r: Any, m: Minter) -> tuple[IRI | None, IRI | None, IRI | None]:
    owner, entry = common.ministry_iri(m, r.v.get("policy_owner") or r.v.get("ministry"))
    slug = entry.slug if entry else "unknown"
    pol = r.v.get("policy")
    mea = r.v.get("measure")
    p_iri = m.policy(slug, pol) if pol else None
    m_iri = m.policy(slug, pol or "", mea) if mea else None
    return owner, p_iri, m_iri


def _law_ref(r: Any) -> tuple[str, str | None, str | None] | None:
    v = r.v.get("law_id")
    return None if v is None else common.split_law_id(nz.nfkc(v))


def former_numbers(value: str) -> list[nz.ProgramNumber]:
    """Program numbers in a 旧事業番号 cell ([] when none can be read without guessing)."""
    try:
        return nz.parse_program_numbers(value)
    except nz.NormalizeError:
        return []


def _map_1_3(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    yield sheet, DERIVED, ctx.row(r.row)
    if "policy_no" in r.v or "policy" in r.v:
        node = m.part(sheet, "policy", r.v.get("policy_no", r.ordinal))
        owner, p_iri, m_iri = _policy_iris(r, m)
        yield node, P_SHEET, sheet
        yield node, TYPE, P("PolicyReference")
        yield node, DERIVED, ctx.row(r.row)
        if owner is not None:
            yield node, P("policyOwner"), owner
        if p_iri is not None:
            yield node, P("policy"), p_iri
        if m_iri is not None:
            yield node, P("measure"), m_iri
        yield from _url(node, r, "policy_url")
    for i, rc in enumerate(r.v.get("_citations", ())):
        number = r.v.get("law_no", r.ordinal)
        node = m.part(sheet, "legal-basis", number if i == 0 else f"{number}-{i + 1}")
        yield node, P_SHEET, sheet
        yield node, TYPE, P("LegalBasisCitation")
        yield node, DERIVED, ctx.row(r.row)
        yield node, P("sheetYear"), t.gyear(r.year)
        for key, prop in (
            ("law_name", "lawNameAsWritten"),
            ("law_number", "lawNumberAsWritten"),
            ("law_id", "lawIdAsWritten"),
            ("article", "articleAsWritten"),
            ("paragraph", "paragraphAsWritten"),
            ("item", "itemAsWritten"),
        ):
            if key in r.v:
                yield node, P(prop), t.text(r.v[key])
        yield from legal.citation_triples(node, sheet, rc, m)
    if "plan_no" in r.v or "plan_name" in r.v:
        node = m.part(sheet, "plan", r.v.get("plan_no", r.ordinal))
        yield node, P_SHEET, sheet
        yield node, TYPE, P("PlanReference")
        yield node, DERIVED, ctx.row(r.row)
        if "plan_name" in r.v:
            yield node, P("planNameAsWritten"), _lit(r.v["plan_name"])
            plan, _ = common.plan_iri(m, r.v["plan_name"])
            yield node, P("plan"), plan
            yield sheet, P("relatedPlan"), plan
        yield from _url(node, r, "plan_url")


def _decl_1_3(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    owner, p_iri, m_iri = _policy_iris(r, m)
    if p_iri is not None:
        yield p_iri, TYPE, P("Policy")
        yield p_iri, common.SKOS_PREF, _lit(r.v["policy"])
        if owner is not None:
            yield p_iri, P("policyOwner"), owner
    if m_iri is not None:
        yield m_iri, TYPE, P("Measure")
        yield m_iri, common.SKOS_PREF, _lit(r.v["measure"])
        if p_iri is not None:
            yield m_iri, common.SKOS_BROADER, p_iri
    for rc in r.v.get("_citations", ()):
        if rc.law_id is None:
            continue
        yield from common.law_declarations(m, rc.law_id)
        if rc.law_name:
            yield m.law(rc.law_id), P("citedAs"), _lit(rc.law_name)
        if "law_number" in r.v and rc.method == "structured":
            yield m.law(rc.law_id), P("lawNumberAsCited"), _lit(r.v["law_number"])
        if not rc.supplementary:
            for art, para, item in legal.provisions(rc):
                yield from common.provision_declarations(m, rc.law_id, art, para, item)
    if "plan_name" in r.v:
        _, decls = common.plan_iri(m, r.v["plan_name"])
        yield from decls
        if "plan_url" in r.v and common.is_url(r.v["plan_url"]):
            plan, _ = common.plan_iri(m, r.v["plan_name"])
            yield plan, SEEALSO, common.url_term(r.v["plan_url"])


def issues_1_3(r: Any) -> Iterator[LoadIssue]:
    """Resolve the row's legal basis (into ``r.v["_citations"]``) and report what could not be read."""
    if not ("law_no" in r.v or "law_name" in r.v or "law_id" in r.v):
        return
    raw_id = r.v.get("law_id")
    ref = _law_ref(r) if raw_id else None
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
    cols = legal.columns(r.v.get("article"), r.v.get("paragraph"), r.v.get("item"))
    for col, value, reason in cols.errors:
        yield LoadIssue("bad-provision", f"{reason}; kept as written", "warning", r.row, r.line, col, value)
    cits, leftovers = legal.resolve(r.v.get("law_name"), r.v.get("law_number"), r.v.get("law_id"), cols)
    r.v["_citations"] = tuple(cits)
    for frag in leftovers:
        yield LoadIssue(
            "citation-leftover",
            "part of the law name not understood as a citation; kept as written",
            "info",
            r.row,
            r.line,
            "法令名",
            frag,
        )
    for rc in cits:
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
                r.v.get("law_number"),
            )


# -- 1-4 補助率等 ----------------------------------------------------------------------------------------------
def _map_1_4(r: Any, ctx: MapContext) -> Iterator[Triple]:
    sheet = _sheet(r, ctx.minter)
    node = ctx.minter.part(sheet, "subsidy-rate", r.v.get("rate_no", r.ordinal))
    yield node, P_SHEET, sheet
    yield node, TYPE, P("SubsidyRate")
    yield node, DERIVED, ctx.row(r.row)
    yield from _text_props(node, r, (("subsidy_target", "subsidyTarget"), ("subsidy_cap", "subsidyCap")))
    rate = r.v.get("subsidy_rate")
    if rate is not None:
        written = nz.strip_excel_quote(rate)
        if written and not nz.is_none_marker(written):
            yield node, P("rateAsWritten"), _lit(written)
            value = nz.parse_fraction(written)
            if value is not None:
                yield node, P("rate"), t.decimal(value)
    yield from _url(node, r, "subsidy_url")


# -- 1-5 関連事業 ----------------------------------------------------------------------------------------------
def _map_1_5(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    node = m.part(sheet, "related", r.v.get("rel_no", r.ordinal))
    yield sheet, DERIVED, ctx.row(r.row)
    yield node, P_SHEET, sheet
    yield node, TYPE, P("ProgramRelation")
    yield node, DERIVED, ctx.row(r.row)
    rel_id = _related_id(r)
    if rel_id is not None:
        yield node, P("relatedProgram"), m.program(rel_id)
        yield sheet, P("relatedProgram"), m.program(rel_id)
    if "rel_name" in r.v:
        yield node, P("relatedProgramName"), _lit(r.v["rel_name"])
    kind = codes.lookup("program-relation", r.v.get("relation"))
    if kind is not None:
        yield node, P("relationKind"), kind
    elif "relation" in r.v:
        yield node, P("relationKindAsWritten"), _lit(r.v["relation"])


def _related_id(r: Any) -> str | None:
    v = r.v.get("rel_id")
    if v is None:
        return None
    v = nz.nfkc(v).strip().removesuffix(".0")
    return str(int(v)) if v.isdigit() else None


def _decl_1_5(r: Any, ctx: MapContext) -> Iterator[Triple]:
    rel_id = _related_id(r)
    if rel_id is not None:
        prog = ctx.minter.program(rel_id)
        yield prog, TYPE, P("Program")
        yield prog, DCT_IDENTIFIER, t.text(rel_id)


def issues_1_5(r: Any) -> Iterator[LoadIssue]:
    """Load issues of a 1-5 row: related program id not a number, unknown relation kind."""
    if "rel_id" in r.v and _related_id(r) is None:
        yield LoadIssue(
            "bad-program-id",
            "関連事業の事業ID is not a program ID",
            "error",
            r.row,
            r.line,
            "関連事業の事業ID",
            r.v["rel_id"],
        )
    if "relation" in r.v and codes.lookup("program-relation", r.v["relation"]) is None:
        yield LoadIssue(
            "unknown-code",
            "unknown 関連性; kept as written",
            "warning",
            r.row,
            r.line,
            "関連性",
            r.v["relation"],
        )


# -- 2-1 予算・執行サマリ ------------------------------------------------------------------------------------------
_STAGE_CODES = {k: code("budget-stage", k) for _, k in (*SUMMARY_STAGES, *ACCOUNT_STAGES)}
TOTAL_ACCOUNT = code("account", "total")
UNSPECIFIED_ACCOUNT = code("account", "unspecified")


class _BudgetLine:
    """A 2-1 row as an RDF Data Cube slice (``cbkg:BudgetLine``): sheet × 予算年度 × account fixed, one
    observation per budget stage.  Observations are in the cube's abbreviated form: their type, data set,
    sheet, year and account follow from their line (the qb normalisation rules, spec §10.1, give the full
    form); this halves the size of the largest table without losing a fact."""

    __slots__ = ("iri",)

    def __init__(self, r: Any, ctx: MapContext, year: int, account: IRI, account_key: str) -> None:
        self.iri = ctx.minter.observation(dataset_key(r.year), r.program_id, year, account_key)

    def triples(self, r: Any, ctx: MapContext, year: int, account: IRI) -> Iterator[Triple]:
        m, line = ctx.minter, self.iri
        dataset = m.dataset(dataset_key(r.year) + "-budget")
        yield line, TYPE, P("BudgetLine")
        yield line, QB_SLICE_STRUCTURE, P("budgetLineKey")
        yield dataset, QB_SLICE, line
        yield line, P_SHEET, _sheet(r, m)
        yield line, P_BUDGET_YEAR, t.gyear(year)
        yield line, P_ACCOUNT, account
        yield line, DERIVED, ctx.row(r.row)
        written = " / ".join(r.v[k] for k in ("account_class", "account", "subaccount") if k in r.v)
        if written:
            yield line, P("accountAsWritten"), t.text(written)


def _observation(r: Any, line: IRI, stage: str, key: str) -> Iterator[Triple]:
    obs = IRI(f"{line}/{stage}")
    yield line, QB_OBSERVATION_P, obs
    yield obs, P_BUDGET_STAGE, _STAGE_CODES[stage]
    yield from _amount(obs, r, key)


def account_key(r: Any, m: Minter) -> tuple[IRI | None, str]:
    """The account IRI of a 2-1/2-2 row and the key of its budget line (``total`` for sheet totals).

    One account can fill several rows of one 予算年度 (e.g. one row with the 当初 amounts and one with the
    補正 amounts): the second and later rows get ``-2``, ``-3`` … in file order.

    The key hashes the account *as written*: the RS export sometimes lists one account twice under two
    spellings (``エネルギー対策`` + ``エネルギー需給勘定`` with the amounts, and
    ``エネルギー対策特別会計エネルギー需給勘定`` with zeros for the summary table); both rows are kept as
    separate budget lines of the same canonical account.
    """
    acc, _ = common.account_iri(m, r.v.get("account"), r.v.get("subaccount"))
    if acc is None:
        return None, "total"
    written = "|".join(r.v.get(k) or "" for k in ("account_class", "account", "subaccount"))
    key = common.short_hash(written, length=8)
    return acc, key if r.seq == 1 else f"{key}-{r.seq}"


def _map_2_1(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    year = r.v.get("budget_year")
    if year is None:
        return
    # a row is a summary row (…（合計） columns) and/or an account row (per-account columns); the columns
    # decide, not the 会計 cell: two real rows give per-account amounts with an empty 会計
    acc, akey = account_key(r, m)
    parts = []
    if any("s:" + stage in r.v for _, stage in SUMMARY_STAGES):
        parts.append((TOTAL_ACCOUNT, "total" if r.seq == 1 else f"total-{r.seq}", SUMMARY_STAGES, "s:"))
    if any("a:" + stage in r.v for _, stage in ACCOUNT_STAGES):
        if acc is None:
            acc, akey = UNSPECIFIED_ACCOUNT, "unspecified" if r.seq == 1 else f"unspecified-{r.seq}"
        parts.append((acc, akey, ACCOUNT_STAGES, "a:"))
    for account, key, stages, prefix in parts:
        line = _BudgetLine(r, ctx, year, account, key)
        yield from line.triples(r, ctx, year, account)
        for _, stage in stages:
            if prefix + stage in r.v:
                yield from _observation(r, line.iri, stage, prefix + stage)
        if prefix == "s:" and "execution_rate" in r.v and "s:executed" in r.v:
            yield IRI(f"{line.iri}/executed"), P("executionRate"), t.decimal(r.v["execution_rate"])
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
        node = m.part(sheet, "budget", year)
        yield node, P_SHEET, sheet
        yield node, TYPE, P("BudgetYearNote")
        yield node, P("budgetYear"), t.gyear(year)
        yield node, DERIVED, ctx.row(r.row)
        for k, p in texts:
            yield node, P(p), _lit(r.v[k])


def _decl_accounts(r: Any, ctx: MapContext) -> Iterator[Triple]:
    _, decls = common.account_iri(ctx.minter, r.v.get("account"), r.v.get("subaccount"))
    yield from decls
    if r.table == "2-1":
        yield from common.budget_dataset(
            ctx.minter, dataset_key(r.year), "yen", f"RS 事業年度 {r.year} 予算・執行（2-1 予算・執行_サマリ）"
        )


def issues_2_1(r: Any) -> Iterator[LoadIssue]:
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


# -- 2-2 予算種別・歳出予算項目 -------------------------------------------------------------------------------------
def _map_2_2(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    node = m.part(sheet, "budget-item", r.ordinal)
    yield node, P_SHEET, sheet
    yield node, TYPE, P("BudgetLineItem")
    yield node, DERIVED, ctx.row(r.row)
    if "budget_year" in r.v:
        yield node, P("budgetYear"), t.gyear(r.v["budget_year"])
    stage = codes.lookup("budget-stage", r.v.get("budget_kind"))
    if stage is not None:
        yield node, P("budgetStage"), stage
    acc, _ = account_key(r, m)
    if acc is not None:
        yield node, P("account"), acc
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


def issues_2_2(r: Any) -> Iterator[LoadIssue]:
    """Load issues of a 2-2 row: unknown 予算種別."""
    if "budget_kind" in r.v and codes.lookup("budget-stage", r.v["budget_kind"]) is None:
        yield LoadIssue(
            "unknown-code",
            "unknown 予算種別; kept only in the source",
            "error",
            r.row,
            r.line,
            "予算種別",
            r.v["budget_kind"],
        )


# -- 3-1 目標・実績 / 3-2 目標のつながり ------------------------------------------------------------------------------
_KIND_CLASS = {"activity": "Activity", "output": "Output", "outcome": "Outcome"}


def _element(sheet: IRI, kind_label: str | None, no: int | None, m: Minter) -> tuple[IRI, str] | None:
    kind = codes.lookup("logic-kind", kind_label)
    if kind is None or no is None:
        return None
    notation = kind.rsplit("/", 1)[1]
    return m.part(sheet, "logic", notation, no), notation


def _map_3_2(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    ends = []
    for side in ("from", "to"):
        el = _element(sheet, r.v.get(f"{side}_kind"), r.v.get(f"{side}_no"), m)
        if el is None:
            ends.append(None)
            continue
        node, notation = el
        ends.append(node)
        yield node, P_SHEET, sheet
        yield node, TYPE, P(_KIND_CLASS[notation])
        yield node, P("elementNumber"), t.integer(r.v[f"{side}_no"])
        yield node, DERIVED, ctx.row(r.row)
        term = codes.lookup("outcome-term", r.v.get(f"{side}_term"))
        if term is not None:
            yield node, P("outcomeTerm"), term
        if f"{side}_text" in r.v:
            yield node, P("statement"), _lit(r.v[f"{side}_text"])
    src, dst = ends
    if src is not None and dst is not None:
        yield src, P("leadsTo"), dst
    if "link_text" in r.v or "single_stage_reason" in r.v:
        link = m.part(sheet, "logic-link", r.ordinal)
        yield link, TYPE, P("LogicLink")
        yield link, DERIVED, ctx.row(r.row)
        if src is not None:
            yield link, P("fromElement"), src
        if dst is not None:
            yield link, P("toElement"), dst
        yield from _text_props(link, r, (("link_text", "connectionText"), ("single_stage_reason", "singleStageReason")))


def issues_3_2(r: Any) -> Iterator[LoadIssue]:
    """Load issues of a 3-2 row: element kinds not recognised."""
    for side, col in (("from", "派生元ー種別"), ("to", "派生先ー種別")):
        label = r.v.get(f"{side}_kind")
        if label is not None and codes.lookup("logic-kind", label) is None:
            yield LoadIssue(
                "unknown-code",
                "unknown logic-model element kind; element not mapped",
                "error",
                r.row,
                r.line,
                col,
                label,
            )


def _map_3_1(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    el = _element(sheet, r.v.get("node_kind"), r.v.get("node_no"), m)
    ind_key = nz.nfkc(r.v.get("indicator") or r.v.get("node_text") or str(r.ordinal))
    parent = el[0] if el else sheet
    ind = m.part(parent, "indicator", common.short_hash(ind_key, length=10))
    yield ind, P_SHEET, sheet
    yield ind, TYPE, P("Indicator")
    yield ind, DERIVED, ctx.row(r.row)
    if el is not None:
        yield ind, P("measuresElement"), el[0]
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
    kind = r.v.get("value_kind")
    for key in (k for k in r.v if k.startswith("y:")):
        year = int(key[2:])
        value = r.v[key]
        point = m.part(ind, "value", common.short_hash(kind or "", length=6), year)
        yield ind, P("indicatorValue"), point
        yield point, TYPE, P("IndicatorValue")
        yield point, P("valueKind"), _lit(kind or "")
        yield point, P("year"), t.gyear(year)
        try:
            yield point, P("value"), t.decimal(nz.parse_amount(value))
        except nz.NormalizeError:
            yield point, P("valueAsWritten"), t.text(value)
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


def _map_4_1(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    review = m.part(sheet, "review")
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
        yield review, TYPE, P("ReviewResult")
        yield review, DERIVED, ctx.row(r.row)
        yield from _text_props(review, r, _REVIEW_TEXT)
        if "ext_year" in r.v:
            yield review, P("externalReviewYear"), t.gyear(r.v["ext_year"])
        for key, scheme, prop in (
            ("ext_target", "external-review", "externalReview"),
            ("team_finding", "review-finding", "reviewTeamFinding"),
            ("reflection", "reflection", "reflectionStatus"),
        ):
            c = codes.lookup(scheme, r.v.get(key))
            if c is not None:
                yield review, P(prop), c
            elif key in r.v:
                yield review, P(prop + "AsWritten"), _lit(r.v[key])
        yield from _amount(review, r, "reflect_general", "reflectedAmountGeneralAccount")
        if "reflect_special" in r.v:
            acc, _ = common.account_iri(m, r.v.get("reflect_special_account"), r.v.get("reflect_special_subaccount"))
            node = m.part(review, "special-account-reflection", r.ordinal)
            yield review, P("specialAccountReflection"), node
            yield node, TYPE, P("AccountAmount")
            yield from _amount(node, r, "reflect_special")
            if acc is not None:
                yield node, P("account"), acc
    for prefix, cls in (("past", "PastFinding"), ("other", "OtherFinding")):
        keys = [k for k in r.v if k.startswith(prefix + "_")]
        if not keys:
            continue
        node = m.part(review, prefix + "-finding", r.ordinal)
        yield node, P("reviewResult"), review
        yield node, TYPE, P(cls)
        yield node, DERIVED, ctx.row(r.row)
        if f"{prefix}_year" in r.v:
            yield node, P("findingYear"), t.gyear(r.v[f"{prefix}_year"])
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


def _decl_4_1(r: Any, ctx: MapContext) -> Iterator[Triple]:
    if "reflect_special" in r.v:
        _, decls = common.account_iri(
            ctx.minter, r.v.get("reflect_special_account"), r.v.get("reflect_special_subaccount")
        )
        yield from decls


# -- 5-x 支出先 ---------------------------------------------------------------------------------------------------
def _block(sheet: IRI, letter: str | None, m: Minter) -> IRI | None:
    if not letter:
        return None
    return m.part(sheet, "block", nz.nfkc(letter).strip())


def _map_5_2(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    for side in ("from", "to"):
        block = _block(sheet, r.v.get(f"{side}_block"), m)
        if block is None:
            continue
        yield block, P_SHEET, sheet
        yield block, TYPE, P("SpendingBlock")
        yield block, P("blockLetter"), t.text(nz.nfkc(r.v[f"{side}_block"]).strip())
        yield block, DERIVED, ctx.row(r.row)
        if f"{side}_name" in r.v:
            yield block, LABEL, _lit(r.v[f"{side}_name"])
    if "to_block" in r.v or "to_name" in r.v:
        flow = m.part(sheet, "flow", r.ordinal)
        yield flow, P_SHEET, sheet
        yield flow, TYPE, P("FundFlow")
        yield flow, DERIVED, ctx.row(r.row)
        src = _block(sheet, r.v.get("from_block"), m)
        if src is not None:
            yield flow, P("fromBlock"), src
        elif r.v.get("from_org") or "from_name" in r.v:
            org, _ = common.ministry_iri(m, r.v.get("from_name"))
            if org is not None:
                yield flow, P("fromOrganization"), org
            if "from_name" in r.v:
                yield flow, P("fromName"), _lit(r.v["from_name"])
        if "from_org" in r.v:
            yield flow, P("fromResponsibleOrganization"), t.boolean(r.v["from_org"])
        dst = _block(sheet, r.v.get("to_block"), m)
        if dst is not None:
            yield flow, P("toBlock"), dst
        if "flow_note" in r.v:
            yield flow, P("flowNote"), _lit(r.v["flow_note"])
    if "indirect" in r.v or "indirect_amount" in r.v:
        node = m.part(sheet, "indirect-cost", r.ordinal)
        yield node, P_SHEET, sheet
        yield node, TYPE, P("IndirectCost")
        yield node, DERIVED, ctx.row(r.row)
        yield from _text_props(node, r, (("indirect", "costKind"), ("indirect_item", "costItem")))
        yield from _amount(node, r, "indirect_amount")


def _payee_name(r: Any) -> str | None:
    return r.v.get("payee")


def _payee(r: Any, m: Minter) -> tuple[IRI | None, list[Triple]]:
    return common.payee_iri(m, _sheet(r, m), _payee_name(r), r.v.get("corporate_number"))


def _payee_props(node: IRI, r: Any, m: Minter) -> Iterator[Triple]:
    payee, _ = _payee(r, m)
    if payee is not None:
        yield node, P("payee"), payee
    if "payee" in r.v:
        yield node, P("payeeName"), _lit(r.v["payee"])
    if "corporate_number" in r.raw:
        yield node, P("corporateNumberAsWritten"), t.text(r.raw["corporate_number"])


def _map_5_3(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    node = m.part(sheet, "expense", r.ordinal)
    yield node, P_SHEET, sheet
    yield node, TYPE, P("ExpenseItem")
    yield node, DERIVED, ctx.row(r.row)
    block = _block(sheet, r.v.get("block"), m)
    if block is not None:
        yield node, P("block"), block
    yield from _payee_props(node, r, m)
    yield from _text_props(
        node,
        r,
        (("contract_summary", "contractSummary"), ("expense_category", "expenseCategory"), ("use", "use")),
    )
    yield from _amount(node, r, "amount")


def _contract_props(node: IRI, r: Any, m: Minter) -> Iterator[Triple]:
    method = codes.lookup("contract-method", r.v.get("contract_method"))
    if method is not None:
        yield node, P("contractMethod"), method
    elif "contract_method" in r.v:
        yield node, P("contractMethodAsWritten"), _lit(r.v["contract_method"])
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
    ctype = codes.lookup("corporate-type", r.v.get("corporate_type"))
    if ctype is not None:
        yield node, P("corporateType"), ctype
    if "bidders" in r.v:
        yield node, P("bidderCount"), t.integer(r.v["bidders"])
    if "award_rate_percent" in r.v:
        yield node, P("awardRate"), t.decimal(r.v["award_rate_percent"] / Decimal(100))
    if "award_rate" in r.v:
        yield node, P("awardRate"), t.decimal(r.v["award_rate"])
    for key in ("other_contract", "other_contract_flag"):
        if key in r.v:
            yield node, P("otherContract"), t.boolean(r.v[key])


def _map_5_4(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    node = m.part(sheet, "contract", r.ordinal)
    yield node, P_SHEET, sheet
    yield node, TYPE, P("Contract")
    yield node, DERIVED, ctx.row(r.row)
    block = _block(sheet, r.v.get("block"), m)
    if block is not None:
        yield node, P("block"), block
    yield from _payee_props(node, r, m)
    yield from _contract_props(node, r, m)
    yield from _amount(node, r, "amount")


def _map_5_1(r: Any, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    sheet = _sheet(r, m)
    block = _block(sheet, r.v.get("block"), m)
    if block is not None and ({"block_name", "payee_count", "block_role", "block_total"} & r.v.keys()):
        yield block, P_SHEET, sheet
        yield block, DERIVED, ctx.row(r.row)
        yield from _text_props(block, r, (("block_role", "blockRole"),))
        if "payee_count" in r.v:
            yield block, P("payeeCount"), t.integer(r.v["payee_count"])
        yield from _amount(block, r, "block_total", "blockTotal")
    if "payee" in r.v or "payee_total" in r.v or "amount" in r.v:
        node = m.part(sheet, "payment", r.ordinal)
        yield node, P_SHEET, sheet
        yield node, TYPE, P("Payment")
        yield node, DERIVED, ctx.row(r.row)
        if block is not None:
            yield node, P("block"), block
        yield from _payee_props(node, r, m)
        yield from _contract_props(node, r, m)
        yield from _amount(node, r, "payee_total", "payeeTotal")
        yield from _amount(node, r, "amount")
        if "other_payees" in r.v:
            yield node, P("otherPayees"), t.boolean(r.v["other_payees"])


def _decl_payee(r: Any, ctx: MapContext) -> Iterator[Triple]:
    _, decls = _payee(r, ctx.minter)
    yield from decls


def _map_6_1(r: Any, ctx: MapContext) -> Iterator[Triple]:
    sheet = _sheet(r, ctx.minter)
    yield sheet, DERIVED, ctx.row(r.row)
    if "remarks" in r.v:
        yield sheet, P("otherRemarks"), _lit(r.v["remarks"])


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
ISSUERS = {
    "1-1": issues_1_1,
    "1-2": issues_1_2,
    "1-3": issues_1_3,
    "1-5": issues_1_5,
    "2-1": issues_2_1,
    "2-2": issues_2_2,
    "3-2": issues_3_2,
}
