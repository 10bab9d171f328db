"""The full bundled RS 2024 corpus: counts in the graph match the CSVs (about a minute; CI runs it)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter

import pytest

from graph import pipeline, quality
from graph.oxistore import OxigraphStore
from graph.settings import Settings
from loaders import normalize as nz
from loaders.rs_csv.tables import ACCOUNT_STAGES, SUMMARY_STAGES
from ontology.namespaces import sparql_prefixes
from tests.conftest import BASE, ROOT

DATA = ROOT / "data" / "rs2024"
P = sparql_prefixes()


def csv_rows(prefix: str) -> list[dict[str, str]]:
    z = next(DATA.glob(prefix + "_*.zip"))
    with zipfile.ZipFile(z) as zf:
        text = zf.read(zf.namelist()[0]).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[OxigraphStore, Settings, pipeline.LoadReport]:
    path = tmp_path_factory.mktemp("corpus") / "store"
    settings = Settings(store=f"oxigraph:{path}", base_iri=BASE, workers=2)
    store = OxigraphStore(path, base=BASE)
    report = pipeline.load([DATA], store, settings)
    return store, settings, report


def scalar(store: OxigraphStore, query: str) -> int:
    return int(store.select(P + query).rows[0]["n"].lex)


def test_all_thirteen_tables_load_without_refusal(corpus) -> None:
    store, _, report = corpus
    assert not report.refused
    assert sorted(r.plan.key for r in report.loaded) == sorted(
        f"rs/2024/{t}"
        for t in ("1-1", "1-2", "1-3", "1-4", "1-5", "2-1", "2-2", "3-2", "4-1", "5-2", "5-3", "5-4", "6-1")
    )
    assert scalar(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s a cbkg:ProgramSheet }") == 5664


def test_programs_per_ministry_match_table_1_1(corpus) -> None:
    store, _, _ = corpus
    expected: Counter[str] = Counter()
    for r in csv_rows("1-1"):
        if r["その他担当組織_作成責任者_no"] == "1":
            expected[r["府省庁"].replace("\u3000", " ")] += 1
    rows = store.select(
        P
        + """SELECT ?name (COUNT(DISTINCT ?sheet) AS ?n) WHERE {
        ?sheet cbkg:ministry ?m . ?m skos:prefLabel|skos:altLabel ?name . FILTER(LANG(?name) = "ja") } GROUP BY ?name"""
    )
    got = {r["name"].lex: int(r["n"].lex) for r in rows}
    for name, n in expected.items():
        assert got.get(name) == n, name
    assert sum(expected.values()) == 5664


def test_budget_lines_and_observations_match_table_2_1(corpus) -> None:
    store, _, _ = corpus
    rows = csv_rows("2-1")
    amount_cols = [h for h, _ in (*SUMMARY_STAGES, *ACCOUNT_STAGES)]
    assert all(c in rows[0] for c in amount_cols)
    distinct = {tuple(r.items()) for r in rows}  # one published row is an exact duplicate
    assert len(distinct) == len(rows) - 1
    lines = sum(1 for r in distinct if any(v for k, v in r if k in amount_cols))
    cells = sum(1 for r in distinct for k, v in r if k in amount_cols and v)
    assert scalar(store, "SELECT (COUNT(*) AS ?n) WHERE { ?l a cbkg:BudgetLine }") == lines
    assert scalar(store, "SELECT (COUNT(*) AS ?n) WHERE { ?l qb:observation ?o }") == cells


def test_legal_basis_citations_match_table_1_3_rows(corpus) -> None:
    store, _, _ = corpus
    rows = csv_rows("1-3")
    cited = sum(1 for r in rows if not all(nz.is_none_marker(r[k]) for k in ("法令名", "法令ID", "法令番号")))
    # every cited row gives at least one citation node (more when a cell names several laws); cells that say
    # "nothing" (ー, --, なし: 10 rows) cite nothing
    assert (
        scalar(
            store,
            """SELECT (COUNT(DISTINCT ?row) AS ?n) WHERE {
        ?c a cbkg:LegalBasisCitation ; prov:wasDerivedFrom ?row }""",
        )
        == cited
    )
    with_id = {(r["予算事業ID"], r["番号（根拠法令）"]) for r in rows if r["法令ID"].startswith("426AC1000000104")}
    got = store.select(
        P
        + """SELECT ?c WHERE { ?c cbkg:law <https://w3id.org/cbkg/id/law/426AC1000000104> ;
        cbkg:resolution <https://w3id.org/cbkg/code/citation-resolution/structured> }"""
    )
    assert len(got) == len(with_id)
    # the dirty rows that name the law without an ID (or with the article in the name) resolve too
    dirty = store.select(
        P
        + """SELECT DISTINCT ?id ?article WHERE {
        ?c cbkg:law <https://w3id.org/cbkg/id/law/426AC1000000104> ; cbkg:sheet/cbkg:program/dcterms:identifier ?id .
        FILTER NOT EXISTS { ?c cbkg:resolution <https://w3id.org/cbkg/code/citation-resolution/structured> }
        OPTIONAL { ?c cbkg:articleNumber ?article } }"""
    )
    found = {(r["id"].lex, r["article"].lex if "article" in r else None) for r in dirty}
    assert {("47", None), ("48", None), ("709", "16")} <= found


def test_expense_items_match_table_5_3_rows(corpus) -> None:
    store, _, _ = corpus
    expected = sum(1 for r in csv_rows("5-3") if any(r[k] for k in ("支出先名", "金額", "費目", "支出先ブロック番号")))
    assert scalar(store, "SELECT (COUNT(*) AS ?n) WHERE { ?e a cbkg:ExpenseItem }") == expected


def test_the_four_bad_check_digits_and_the_zero_are_reported(corpus) -> None:
    store, settings, _ = corpus
    outcome = quality.validate_store(store, settings)
    bad = {
        r.value.strip('"')
        for r in outcome.results
        if r.shape.endswith(("#CorporateNumberAsWritten", "#CorporateNumberAsWritten-pattern"))
    }
    assert bad == {"7010000500687", "9013301049995", "9010000101892", "1180001089788", "0"}
    issues = store.select(
        P + """SELECT DISTINCT ?v WHERE { ?i cbkg:issueCode code:issue\\/bad-corpno ; cbkg:rawValue ?v }"""
    )
    assert {r["v"].lex for r in issues} == bad


def test_key_facts_of_the_national_corpus(corpus) -> None:
    store, _, _ = corpus
    for program, stage, amount in (("20950", "supplementary", "296325000"), ("47", "initial", "130191000")):
        rows = store.select(
            P
            + f"""SELECT ?a WHERE {{ ?l cbkg:sheet <{BASE}id/sheet/2024/{program}> ;
            cbkg:budgetYear "2024"^^xsd:gYear ; cbkg:account code:account\\/total ; qb:observation ?o .
            ?o cbkg:budgetStage <https://w3id.org/cbkg/code/budget-stage/{stage}> ; cbkg:amount ?a }}"""
        )
        assert [r["a"].lex for r in rows] == [amount]


def test_reloading_the_corpus_changes_nothing(corpus) -> None:
    store, settings, _ = corpus
    generation = store.generation
    again = pipeline.load([DATA], store, settings)
    assert not again.loaded and len(again.unchanged) == 13
    assert store.generation == generation  # no new generation was published
