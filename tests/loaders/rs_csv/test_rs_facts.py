"""Single facts of the RS sample that the product must get right (each named after what it guards)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from graph.oxistore import OxigraphStore
from graph.store import value
from ontology.namespaces import sparql_prefixes

P = sparql_prefixes()


def one(store: OxigraphStore, query: str) -> list[dict[str, str | None]]:
    res = store.select(P + query)
    return [{k: value(v) for k, v in row.items()} for row in res]


def amount(store: OxigraphStore, program: str, year: int, stage: str, account: str = "code:account\\/total") -> Decimal:
    rows = one(
        store,
        f"""
        SELECT ?a WHERE {{
          ?line cbkg:sheet <https://w3id.org/cbkg/id/sheet/2024/{program}> ; cbkg:budgetYear "{year}"^^xsd:gYear ;
                cbkg:account <https://w3id.org/cbkg/code/account/total> ; qb:observation ?o .
          ?o cbkg:budgetStage <https://w3id.org/cbkg/code/budget-stage/{stage}> ; cbkg:amount ?a }}""",
    )
    assert len(rows) == 1, rows
    return Decimal(rows[0]["a"])


def test_program_20950_supplementary_2024_is_296325000_yen(sample_store: OxigraphStore) -> None:
    assert amount(sample_store, "20950", 2024, "supplementary") == Decimal("296325000")


def test_program_47_initial_budget_2024_is_130191000_yen(sample_store: OxigraphStore) -> None:
    assert amount(sample_store, "47", 2024, "initial") == Decimal("130191000")


def test_decimal_written_with_trailing_zero_is_normalised_and_kept_as_source_figure(sample_store) -> None:
    rows = one(
        sample_store,
        """SELECT ?a ?f WHERE {
        <https://w3id.org/cbkg/id/obs/rs2024/47/2024/total/next-year-request> cbkg:amount ?a ; cbkg:sourceFigure ?f }""",
    )
    assert rows == [{"a": "537733000", "f": "537733000.0"}]


def test_empty_cells_make_no_observation_but_zero_does(sample_store: OxigraphStore) -> None:
    # 20950's summary row gives 当初予算 0 (zero, kept); its account row has no 勘定 (empty, nothing)
    assert amount(sample_store, "20950", 2024, "initial") == 0
    rows = one(
        sample_store,
        """SELECT ?w WHERE { ?l cbkg:sheet <https://w3id.org/cbkg/id/sheet/2024/20950> ;
        cbkg:accountAsWritten ?w }""",
    )
    assert {r["w"] for r in rows} == {"一般会計 / 一般会計"}


def test_one_account_split_over_two_rows_gives_two_budget_lines(sample_store: OxigraphStore) -> None:
    rows = one(
        sample_store,
        """SELECT ?line ?a WHERE { ?line cbkg:sheet <https://w3id.org/cbkg/id/sheet/2024/1071> ;
        cbkg:budgetYear "2024"^^xsd:gYear ; cbkg:account ?acc ; qb:observation ?o .
        FILTER(?acc != code:account\\/total)
        ?o cbkg:budgetStage code:budget-stage\\/initial ; cbkg:amount ?a }""",
    )
    assert sorted(Decimal(r["a"]) for r in rows) == [Decimal(0), Decimal("11738398000")]
    assert len({r["line"] for r in rows}) == 2


def test_account_spelling_variants_share_the_canonical_account(sample_store: OxigraphStore) -> None:
    rows = one(
        sample_store,
        """SELECT DISTINCT ?acc ?w WHERE { ?line cbkg:sheet <https://w3id.org/cbkg/id/sheet/2024/1039> ;
        cbkg:budgetYear "2023"^^xsd:gYear ; cbkg:account ?acc ; cbkg:accountAsWritten ?w }""",
    )
    assert len(rows) == 2 and len({r["acc"] for r in rows}) == 1
    assert rows[0]["acc"].endswith(
        "%E3%82%A8%E3%83%8D%E3%83%AB%E3%82%AE%E3%83%BC%E5%AF%BE%E7%AD%96%E7%89%B9%E5%88%A5"
        "%E4%BC%9A%E8%A8%88/%E3%82%A8%E3%83%8D%E3%83%AB%E3%82%AE%E3%83%BC%E9%9C%80%E7%B5%A6"
        "%E5%8B%98%E5%AE%9A"
    )


def test_multi_row_major_expense_categories_stay_on_one_sheet(sample_store: OxigraphStore) -> None:
    rows = one(
        sample_store,
        """SELECT (COUNT(DISTINCT ?c) AS ?n) (COUNT(DISTINCT ?l) AS ?labels) WHERE {
        <https://w3id.org/cbkg/id/sheet/2024/4479> cbkg:majorExpenseCategory ?c ; rdfs:label ?l }""",
    )
    assert rows == [{"n": "8", "labels": "1"}]


@pytest.mark.parametrize(
    ("program", "law", "articles"),
    [
        ("7604", "426AC1000000104", {"31", "26", "13"}),  # 第三十一条 … in kanji
        ("4156", "308AC0000000011", {"6-2", "6-4"}),  # 第六条ノ二 with katakana ノ
    ],
)
def test_kanji_article_numbers_are_normalised(sample_store, program: str, law: str, articles: set[str]) -> None:
    rows = one(
        sample_store,
        f"""SELECT ?n WHERE {{ ?c cbkg:sheet <https://w3id.org/cbkg/id/sheet/2024/{program}> ;
        cbkg:law <https://w3id.org/cbkg/id/law/{law}> ; cbkg:articleNumber ?n }}""",
    )
    assert articles <= {r["n"] for r in rows}


def test_cs_basic_law_item_citation_points_to_the_item(sample_store: OxigraphStore) -> None:
    rows = one(
        sample_store,
        """SELECT ?p WHERE { <https://w3id.org/cbkg/id/sheet/2024/7604> cbkg:basedOnProvision ?p }""",
    )
    assert "https://w3id.org/cbkg/id/law/426AC1000000104/article/26/paragraph/1/item/2" in {r["p"] for r in rows}


def test_law_revision_id_resolves_to_the_law_with_its_version_date(sample_store: OxigraphStore) -> None:
    rows = one(
        sample_store,
        """SELECT ?law ?d WHERE { ?c cbkg:sheet <https://w3id.org/cbkg/id/sheet/2024/3678> ;
        cbkg:lawIdAsWritten "414AC0000000094_20250601_504AC0000000068" ; cbkg:law ?law ; cbkg:lawVersionDate ?d }""",
    )
    assert rows and {(r["law"], r["d"]) for r in rows} == {
        ("https://w3id.org/cbkg/id/law/414AC0000000094", "2025-06-01")
    }


def test_bad_check_digit_corporate_number_is_kept_reported_and_not_linked(
    sample_store: OxigraphStore,
) -> None:
    rows = one(
        sample_store,
        """SELECT ?payee WHERE { ?e cbkg:sheet <https://w3id.org/cbkg/id/sheet/2024/1794> ;
        cbkg:corporateNumberAsWritten "7010000500687" ; cbkg:payee ?payee }""",
    )
    assert rows and all("/corporation/" not in r["payee"] for r in rows)
    issues = one(
        sample_store,
        """SELECT ?reason WHERE { ?i a cbkg:LoadIssue ; cbkg:issueCode code:issue\\/bad-corpno ;
        cbkg:rawValue "7010000500687" ; rdfs:comment ?reason }""",
    )
    assert issues and "check digit mismatch" in issues[0]["reason"]


def test_zero_corporate_number_is_reported(sample_store: OxigraphStore) -> None:
    issues = one(
        sample_store,
        """SELECT ?row WHERE { ?i a cbkg:LoadIssue ; cbkg:rawValue "0" ;
        cbkg:column "法人番号" ; cbkg:rowNumber ?row }""",
    )
    assert len(issues) == 1


def test_identical_payment_rows_are_all_kept(sample_store: OxigraphStore) -> None:
    rows = one(
        sample_store,
        """SELECT (COUNT(?e) AS ?n) (SUM(?a) AS ?total) WHERE {
        ?e cbkg:sheet <https://w3id.org/cbkg/id/sheet/2024/2773> ; a cbkg:ExpenseItem ; cbkg:amount ?a .
        FILTER(?a = 770000) }""",
    )
    assert rows == [{"n": "9", "total": "6930000"}]


def test_valid_corporate_number_links_one_payee_across_programs(sample_store: OxigraphStore) -> None:
    rows = one(
        sample_store,
        """SELECT ?c (COUNT(DISTINCT ?sheet) AS ?n) WHERE {
        ?e cbkg:payee ?c ; cbkg:sheet ?sheet . ?c cbkg:corporateNumber ?num } GROUP BY ?c HAVING(COUNT(DISTINCT ?sheet) > 1)""",
    )
    assert rows  # at least one corporation paid by two of the sample programs


def test_former_program_numbers_in_every_shape(sample_store: OxigraphStore) -> None:
    rows = one(
        sample_store,
        """SELECT ?n WHERE { <https://w3id.org/cbkg/id/sheet/2024/3465> cbkg:formerProgramNumber ?n }""",
    )
    assert {r["n"] for r in rows} == {"2023-農水-22-0204", "2022-農水-21-0206"}
    junk = one(
        sample_store,
        """SELECT ?i WHERE { ?i cbkg:issueCode code:issue\\/former-number ; cbkg:rawValue ?v .
        FILTER(CONTAINS(?v, "施策")) }""",
    )
    assert len(junk) == 1


def test_every_row_derived_node_points_to_its_source_record(sample_store: OxigraphStore) -> None:
    rows = one(
        sample_store,
        """SELECT (COUNT(?x) AS ?n) WHERE {
        VALUES ?cls { cbkg:ExpenseItem cbkg:Contract cbkg:LegalBasisCitation cbkg:BudgetLine cbkg:BudgetLineItem
                      cbkg:FundFlow cbkg:SubsidyRate cbkg:PolicyReference cbkg:PlanReference }
        ?x a ?cls FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?row FILTER(CONTAINS(STR(?row), "#row=")) } }""",
    )
    assert rows == [{"n": "0"}]


def test_no_triple_is_stated_in_two_graphs(sample_store: OxigraphStore) -> None:
    # the union default graph counts duplicates: shared-entity facts must live only in graph/entities
    rows = one(
        sample_store,
        """SELECT (COUNT(*) AS ?n) WHERE {
        GRAPH ?g1 { ?s ?p ?o } GRAPH ?g2 { ?s ?p ?o } FILTER(STR(?g1) < STR(?g2)) }""",
    )
    assert rows == [{"n": "0"}]
