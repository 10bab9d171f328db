"""Single facts of the RS single-sheet export that the loader must get right (each named after what it guards)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Literal, URIRef

import loaders.legacy_sheet as legacy_sheet
import loaders.rs_csv as rs_csv
import loaders.rs_sheet as rs_sheet
from loaders.base import LoadIssue
from loaders.rs_values import split_org_path
from ontology.namespaces import sparql_prefixes
from tests.conftest import BASE, ROOT, RS_SAMPLE, map_file, to_graph

SEED = ROOT / "data" / "seeds" / "sheets" / "000_b4a804753547e4f7.txt"
LEGACY_SEED = ROOT / "data" / "seeds" / "sheets" / "001_093a3c662152e939.txt"
CBKG = rdflib.Namespace("https://w3id.org/cbkg/ontology#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SHEET_2026 = URIRef(BASE + "id/sheet/2026/20950")
P = sparql_prefixes()


@pytest.fixture(scope="module")
def seed() -> tuple[rdflib.Graph, rdflib.Graph, list[LoadIssue]]:
    data, decl, issues = map_file(rs_sheet, SEED)
    return to_graph(data), to_graph(decl), issues


def variant(tmp_path: Path, name: str, edit) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the seed with its text edited (the loader must read any sheet of this kind)."""
    path = tmp_path / name
    path.write_text(edit(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def amount(g: rdflib.Graph, sheet: URIRef, year: int, stage: str) -> list[Decimal]:
    rows = g.query(
        P
        + f"""SELECT ?a WHERE {{ ?line cbkg:sheet <{sheet}> ; cbkg:budgetYear "{year}"^^xsd:gYear ;
            cbkg:account <https://w3id.org/cbkg/code/account/total> ; qb:observation ?o .
            ?o cbkg:budgetStage <https://w3id.org/cbkg/code/budget-stage/{stage}> ; cbkg:amount ?a }}"""
    )
    return [Decimal(str(r.a)) for r in rows]


def test_program_20950_supplementary_2024_is_296325000_yen_as_in_the_rs2024_bulk_csv(seed) -> None:
    """The acceptance test: the 2026 sheet and the 2024 bulk CSV give the same 2024 補正予算 of one program."""
    g = rdflib.Graph()
    g += seed[0]
    for table in ("1-2", "2-1"):
        data, _, _ = map_file(rs_csv, next(RS_SAMPLE.glob(f"{table}_*.csv")))
        g += to_graph(data)
    sheet_2024 = URIRef(BASE + "id/sheet/2024/20950")
    assert amount(g, SHEET_2026, 2024, "supplementary") == [Decimal("296325000")]
    assert amount(g, sheet_2024, 2024, "supplementary") == [Decimal("296325000")]
    sheets = {s for s in g.subjects(CBKG.program, URIRef(BASE + "id/program/20950"))}
    assert sheets == {sheet_2024, SHEET_2026}
    assert all((s, RDF.type, CBKG.ProgramSheet) in g for s in sheets)


def test_sheet_iri_program_and_its_declaration(seed) -> None:
    data, decl, _ = seed
    assert (SHEET_2026, CBKG.program, URIRef(BASE + "id/program/20950")) in data
    assert (SHEET_2026, CBKG.sheetYear, Literal("2026", datatype=rdflib.XSD.gYear)) in data
    assert (URIRef(BASE + "id/program/20950"), rdflib.DCTERMS.identifier, Literal("20950")) in decl
    info = next(r for r in rs_sheet.parse(rs_sheet.units(SEED)[0]) if isinstance(r, rs_sheet.SheetInfo))
    assert (info.program_id, info.program_id_as_written, info.year) == ("20950", "020950", 2026)


def test_thousand_yen_amounts_are_exact_yen_and_keep_the_source_figure(seed) -> None:
    data, decl, _ = seed
    obs = URIRef(BASE + "id/obs/rs2026/20950/2024/total/supplementary")
    assert data.value(obs, CBKG.amount) == Literal("296325000", datatype=rdflib.XSD.decimal)
    assert data.value(obs, CBKG.sourceFigure) == Literal("296,325")
    ds = URIRef(BASE + "id/dataset/rs2026-budget")
    assert decl.value(ds, CBKG.sourceUnit) == URIRef("https://w3id.org/cbkg/code/unit/thousand-yen")
    assert amount(data, SHEET_2026, 2025, "current") == [Decimal("3238201000")]


def test_execution_rate_percent_becomes_a_fraction_on_the_executed_observation(seed) -> None:
    data = seed[0]
    executed = URIRef(BASE + "id/obs/rs2026/20950/2025/total/executed")
    assert Decimal(str(data.value(executed, CBKG.executionRate))) == Decimal("0.001")
    assert amount(data, SHEET_2026, 2025, "executed") == [Decimal("3003000")]


def test_dash_is_no_observation_and_zero_is_zero(seed) -> None:
    data = seed[0]
    assert amount(data, SHEET_2026, 2026, "initial") == []  # 当初予算 2026: --
    assert amount(data, SHEET_2026, 2024, "executed") == [Decimal(0)]  # 執行額 2024: 0
    assert amount(data, SHEET_2026, 2024, "request") == []  # 要求額: -- in every year


def test_request_row_is_the_request_stage_of_its_own_year(tmp_path: Path) -> None:
    path = variant(
        tmp_path, "req.txt", lambda s: s.replace("\t要求額\t--\t--\t--\t--", "\t要求額\t--\t--\t3,100,000\t--")
    )
    g = to_graph(map_file(rs_sheet, path)[0])
    assert amount(g, SHEET_2026, 2026, "request") == [Decimal("3100000000")]


def test_yen_variant_of_the_sheet_parses_with_factor_1(tmp_path: Path) -> None:
    path = variant(
        tmp_path, "yen.txt", lambda s: s.replace("(単位：千円)", "(単位：円)").replace("296,325", "296,325,000")
    )
    data, decl, _ = map_file(rs_sheet, path)
    g = to_graph(data)
    assert amount(g, SHEET_2026, 2024, "supplementary") == [Decimal("296325000")]
    assert amount(g, SHEET_2026, 2025, "current") == [Decimal("3238201")]  # 3,238,201 円, factor 1
    ds = URIRef(BASE + "id/dataset/rs2026-budget")
    assert to_graph(decl).value(ds, CBKG.sourceUnit) == URIRef("https://w3id.org/cbkg/code/unit/yen")


def test_million_yen_variant_uses_factor_one_million(tmp_path: Path) -> None:
    path = variant(
        tmp_path, "m.txt", lambda s: s.replace("予算額執行額表 (単位：千円)", "予算額執行額表 (単位：百万円)")
    )
    g = to_graph(map_file(rs_sheet, path)[0])
    assert amount(g, SHEET_2026, 2024, "supplementary") == [Decimal("296325000000")]


def test_table_without_unit_maps_no_amount_and_says_so(tmp_path: Path) -> None:
    path = variant(tmp_path, "nounit.txt", lambda s: s.replace("予算額執行額表 (単位：千円)", "予算額執行額表"))
    data, _, issues = map_file(rs_sheet, path)
    assert amount(to_graph(data), SHEET_2026, 2024, "supplementary") == []
    assert any(i.code == "missing-value" and i.column == "予算額執行額表" and i.line == 43 for i in issues)


def test_responsible_unit_splits_the_org_path_into_bureau_division_office(seed) -> None:
    data, decl, _ = seed
    soumu = BASE + "id/org/soumu"
    unit = data.value(SHEET_2026, CBKG.responsibleUnit)
    assert data.value(SHEET_2026, CBKG.ministry) == URIRef(soumu)
    office = decl.value(unit, rdflib.SKOS.prefLabel)
    assert str(office) == "サイバーセキュリティ対策室" and (unit, RDF.type, CBKG.Office) in decl
    division = decl.value(unit, rdflib.ORG.subOrganizationOf)
    bureau = decl.value(division, rdflib.ORG.subOrganizationOf)
    assert (division, RDF.type, CBKG.Division) in decl and (bureau, RDF.type, CBKG.Bureau) in decl
    assert decl.value(bureau, rdflib.ORG.subOrganizationOf) == URIRef(soumu)


def test_org_path_levels_come_from_name_suffixes() -> None:
    head, units = split_org_path("総務省 自治行政局 住民制度課 サイバーセキュリティ対策室", "総務省")
    assert head == "総務省"
    assert units == [("bureau", "自治行政局"), ("division", "住民制度課"), ("office", "サイバーセキュリティ対策室")]
    assert split_org_path("大臣官房 参事官", "総務省") == (
        None,
        [("bureau", "大臣官房"), ("department", "参事官")],
    )


def test_html_in_texts_is_kept_as_written(seed) -> None:
    purpose = str(seed[0].value(SHEET_2026, CBKG.purpose))
    assert purpose.startswith("<p>マイナンバーをはじめとした") and purpose.endswith("円滑な更新を促進する。</p>")


def test_legal_basis_rows_resolve_to_articles_paragraphs_and_items(seed) -> None:
    data = seed[0]
    nodes = set(data.subjects(RDF.type, CBKG.LegalBasisCitation))
    assert len(nodes) == 7
    law = BASE + "id/law/"
    assert (SHEET_2026, CBKG.basedOnProvision, URIRef(law + "426AC1000000104/article/16/paragraph/1")) in data
    assert (SHEET_2026, CBKG.basedOnProvision, URIRef(law + "322AC0000000067/article/244-5/paragraph/2")) in data
    assert (SHEET_2026, CBKG.basedOnProvision, URIRef(law + "413M60000008001/article/22/paragraph/6/item/1")) in data
    first = URIRef(str(SHEET_2026) + "/legal-basis/1")
    assert data.value(first, CBKG.lawNameAsWritten) == Literal("サイバーセキュリティ基本法")
    assert data.value(first, CBKG.articleAsWritten) == Literal("第四条")


def test_plan_references_use_the_shared_plan_identity(seed) -> None:
    data, decl, _ = seed
    refs = list(data.subjects(RDF.type, CBKG.PlanReference))
    assert len(refs) == 5
    plans = {data.value(r, CBKG.plan) for r in refs}
    assert all((p, RDF.type, CBKG.Plan) in decl for p in plans)
    assert Literal("2025-12-23", datatype=rdflib.XSD.date) in set(decl.objects(None, CBKG.decisionDate))


def test_subsidy_rate_is_read_like_the_bulk_csv(seed) -> None:
    node = URIRef(str(SHEET_2026) + "/subsidy-rate/1")
    assert Decimal(str(seed[0].value(node, CBKG.rate))) == Decimal("0.5")
    assert str(seed[0].value(node, CBKG.subsidyCap)) == "29.7億円【単年度補助金】"


def test_rows_shifted_left_by_the_export_are_realigned_on_their_header(seed) -> None:
    data = seed[0]
    item = URIRef(str(SHEET_2026) + "/budget-item/2")  # 予算内訳表: <div>前年度から繰越し</div> row, one cell left
    assert data.value(item, CBKG.amount) == Literal("2972216000", datatype=rdflib.XSD.decimal)
    assert data.value(item, CBKG.budgetStage) == URIRef("https://w3id.org/cbkg/code/budget-stage/carried-over-in")
    payment = URIRef(str(SHEET_2026) + "/payment/1")  # contract row, one cell left
    assert int(data.value(payment, CBKG.bidderCount)) == 1
    assert Decimal(str(data.value(payment, CBKG.awardRate))) == Decimal("0.31")
    assert data.value(payment, CBKG.payee) == URIRef(BASE + "id/corporation/1040001112814")


def test_every_node_cites_the_line_it_was_read_from(seed) -> None:
    data = seed[0]
    dataset = URIRef(BASE + "id/dataset/rs2026-budget")
    subjects = {s for s in data.subjects() if s != dataset and "#issue-" not in str(s)}
    for s in subjects:
        derived = [str(o) for o in data.objects(s, PROV.wasDerivedFrom)]
        assert derived and all("#line=" in d for d in derived), s
    obs = URIRef(BASE + "id/obs/rs2026/20950/2024/total/supplementary")
    assert data.value(obs, PROV.wasDerivedFrom).endswith("#line=45,46")  # 補正予算 is line 46


def test_sections_without_an_equivalent_are_reported_per_group(seed) -> None:
    issues = seed[2]
    logic = [i for i in issues if i.code == "not-mapped" and i.severity == "info"]
    assert {i.column for i in logic} >= {"アクティビティ", "アウトプット", "短期アウトカム", "長期アウトカム"}
    assert all(i.line is not None and i.value for i in logic)
    assert not [i for i in issues if i.severity != "info"]


def test_cells_the_loader_does_not_read_are_reported(tmp_path: Path) -> None:
    path = variant(
        tmp_path, "extra.txt", lambda s: s.replace("\t作成責任者\t中山貴洋\t", "\t作成責任者\t中山貴洋\t謎の値")
    )
    issues = map_file(rs_sheet, path)[2]
    assert any(i.code == "not-mapped" and i.value == "謎の値" and i.line == 9 for i in issues)


def test_unknown_budget_row_is_reported_not_guessed(tmp_path: Path) -> None:
    path = variant(tmp_path, "row.txt", lambda s: s.replace("\t予備費等\t--", "\t謎の予算\t5"))
    issues = map_file(rs_sheet, path)[2]
    assert any(i.code == "unknown-code" and "謎の予算" in (i.value or "") for i in issues)


def test_bad_amount_becomes_a_load_issue_with_line_column_and_value(tmp_path: Path) -> None:
    path = variant(tmp_path, "bad.txt", lambda s: s.replace("2,941,876", "2,94l,876"))
    data, _, issues = map_file(rs_sheet, path)
    bad = [i for i in issues if i.code == "bad-amount"]
    assert [(i.line, i.column, i.value) for i in bad] == [(46, "補正予算 2025", "2,94l,876")]
    assert amount(to_graph(data), SHEET_2026, 2025, "supplementary") == []


def test_detection_is_by_content_not_by_file_name(tmp_path: Path) -> None:
    unit = rs_sheet.units(SEED)[0]
    assert rs_sheet.detect(unit, unit.head()) and not legacy_sheet.detect(unit, unit.head())
    legacy = rs_sheet.units(LEGACY_SEED)[0]
    assert not rs_sheet.detect(legacy, legacy.head())
    for csv in (next(RS_SAMPLE.glob("1-3_*.csv")), next(RS_SAMPLE.glob("2-1_*.csv"))):
        u = rs_sheet.units(csv)[0]
        assert not rs_sheet.detect(u, u.head()) and not legacy_sheet.detect(u, u.head())
    renamed = tmp_path / "sheet.csv"
    renamed.write_bytes(SEED.read_bytes())
    u = rs_sheet.units(renamed)[0]
    assert rs_sheet.detect(u, u.head())
    assert rs_sheet.graph_key(u, u.head()) == "rs-sheet/2026/20950"


@pytest.mark.parametrize("cut", [0.25, 0.5, 0.8])
def test_truncated_copy_still_loads_with_load_issues(tmp_path: Path, cut: float) -> None:
    raw = SEED.read_bytes()
    path = tmp_path / "cut.txt"
    path.write_bytes(raw[: int(len(raw) * cut)])  # may cut a UTF-8 character in two
    unit = rs_sheet.units(path)[0]
    assert rs_sheet.detect(unit, unit.head())  # still recognised, so `cbkg load` takes it
    data, _, issues = map_file(rs_sheet, path)
    assert issues, "a truncated sheet must say what is missing"
    g = to_graph(data)
    assert (SHEET_2026, RDF.type, CBKG.ProgramSheet) in g
    if cut < 0.5:
        assert any(i.code == "section-missing" and i.column == "予算額執行額表" for i in issues)


def test_file_without_identity_maps_nothing_but_says_why(tmp_path: Path) -> None:
    path = variant(tmp_path, "noid.txt", lambda s: s.replace("予算事業ID\t020950", "予算事業ID\t--"))
    data, _, issues = map_file(rs_sheet, path)
    assert all("#issue-" in str(s) for s, _, _ in data)
    assert any(i.code == "missing-value" and i.severity == "error" for i in issues)
    u = rs_sheet.units(path)[0]
    assert rs_sheet.graph_key(u, u.head()).startswith("rs-sheet/unknown/")
