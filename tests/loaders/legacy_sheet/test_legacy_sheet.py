"""Single facts of the legacy review sheet (PDF text) that the loader must get right, and what it must refuse to
guess (each test named after what it guards)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Literal, URIRef

import loaders.legacy_sheet as legacy_sheet
import loaders.rs_sheet as rs_sheet
from loaders.base import LoadIssue
from ontology.iri import Minter
from tests.conftest import BASE, ROOT, RS_SAMPLE, map_file, to_graph

SEED = ROOT / "data" / "seeds" / "sheets" / "001_093a3c662152e939.txt"
CBKG = rdflib.Namespace("https://w3id.org/cbkg/ontology#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
M = Minter(BASE)
SHEET = URIRef(M.review_sheet(2017, "総務-0051"))
YEAR = rdflib.XSD.gYear


@pytest.fixture(scope="module")
def seed() -> tuple[rdflib.Graph, rdflib.Graph, list[LoadIssue]]:
    data, decl, issues = map_file(legacy_sheet, SEED)
    return to_graph(data), to_graph(decl), issues


def payments(g: rdflib.Graph) -> dict[str, URIRef]:
    return {str(g.value(p, CBKG.payeeName)): p for p in g.subjects(RDF.type, CBKG.Payment)}


def test_tokyo_8000020130001_is_paid_417_million_yen(seed) -> None:
    data, decl, _ = seed
    tokyo = payments(data)["東京都"]
    assert data.value(tokyo, CBKG.payee) == URIRef(BASE + "id/corporation/8000020130001")
    assert data.value(tokyo, CBKG.amount) == Literal("417000000", datatype=rdflib.XSD.decimal)
    assert data.value(tokyo, CBKG.sourceFigure) == Literal("417")
    assert data.value(tokyo, CBKG.corporateNumberAsWritten) == Literal("8000020130001")
    corp = URIRef(BASE + "id/corporation/8000020130001")
    assert (corp, RDF.type, CBKG.Payee) in decl and (corp, rdflib.SKOS.altLabel, Literal("東京都", lang="ja")) in decl


def test_prefecture_payees_are_paired_only_by_their_dantai_code(seed) -> None:
    data = seed[0]
    found = {name: str(data.value(p, CBKG.corporateNumberAsWritten)) for name, p in payments(data).items()}
    assert found["神奈川県"] == "1000020140007" and found["広島県"] == "7000020340006"
    assert len(found) == 10
    # no amount is guessed for the nine payees whose amounts are not on their 法人番号's line
    assert [n for n, p in payments(data).items() if data.value(p, CBKG.amount) is not None] == ["東京都"]


def test_citations_resolve_to_the_three_laws_and_their_provisions(seed) -> None:
    data, decl, issues = seed
    law = BASE + "id/law/"
    provisions = set(data.objects(SHEET, CBKG.basedOnProvision))
    assert provisions == {
        URIRef(law + "411AC0000000091/article/4"),  # 総務省設置法 第4条
        URIRef(law + "412CO0000000246/article/7/paragraph/1/item/27"),  # 総務省組織令 第7条第1項第27号
        URIRef(law + "412AC0000000144/article/10"),  # 高度情報通信ネットワーク社会形成基本法 10条 (in the register)
    }
    assert len(set(data.subjects(RDF.type, CBKG.LegalBasisCitation))) == 3
    assert not [i for i in issues if i.code in ("unresolved-citation", "citation-leftover")]
    texts = {str(o) for o in data.objects(None, CBKG.citedText)}
    assert "総務省組織令第７条第１項第27号" in texts  # the PDF line break inside 第27/号 is joined
    assert (URIRef(law + "412CO0000000246"), CBKG.citedAs, Literal("総務省組織令", lang="ja")) in decl


def test_era_years_are_gregorian(seed) -> None:
    data = seed[0]
    assert data.value(SHEET, CBKG.sheetYear) == Literal("2017", datatype=YEAR)  # 平成２９年度
    assert data.value(SHEET, CBKG.startYear) == Literal("2015", datatype=YEAR)  # 平成２７年度
    assert data.value(SHEET, CBKG.endYear) == Literal("2016", datatype=YEAR)  # 平成２８年度


def test_sheet_is_keyed_by_its_canonical_review_number_and_has_no_program(seed) -> None:
    data = seed[0]
    key = legacy_sheet.nz.ProgramNumber(year=2017, ministry="総務", new=False, series=None, number="0051").sheet_key()
    assert key == "総務-0051"
    assert (SHEET, RDF.type, CBKG.ProgramSheet) in data
    assert data.value(SHEET, CBKG.reviewSheetNumber) == Literal(key)
    assert data.value(SHEET, CBKG.program) is None
    assert str(data.value(SHEET, rdflib.RDFS.label)) == "自治体情報セキュリティ強化対策事業"
    assert data.value(SHEET, CBKG.ministry) == URIRef(BASE + "id/org/soumu")


def test_bureau_office_and_author_come_from_the_first_two_rows(seed) -> None:
    data, decl, _ = seed
    unit = data.value(SHEET, CBKG.responsibleUnit)
    assert str(decl.value(unit, rdflib.SKOS.prefLabel)) == "地域情報政策室" and (unit, RDF.type, CBKG.Office) in decl
    bureau = decl.value(unit, rdflib.ORG.subOrganizationOf)
    assert str(decl.value(bureau, rdflib.SKOS.prefLabel)) == "自治行政局"
    assert str(data.value(SHEET, CBKG.responsibleOfficial)) == "室長\u3000稲原\u3000浩"


def test_plans_keep_year_month_dates_without_inventing_a_day(seed) -> None:
    data, decl, _ = seed
    names = {str(data.value(r, CBKG.planNameAsWritten)) for r in data.subjects(RDF.type, CBKG.PlanReference)}
    assert names == {
        "「日本再興戦略」改訂2015（平成27年6月）",
        "サイバーセキュリティ戦略（平成27年9月）",
        "サイバーセキュリティ2015（平成27年9月）",
    }
    assert not list(decl.objects(None, CBKG.decisionDate))


def test_jumbled_budget_figures_are_reported_with_candidates_not_guessed(seed) -> None:
    data, decl, issues = seed
    assert not list(data.subjects(RDF.type, CBKG.BudgetLine))
    assert not list(decl.subjects(CBKG.sourceUnit, None))
    warned = {(i.line, i.value) for i in issues if i.code == "ambiguous-layout"}
    assert (99, "執行率（％） - 94% 92%") in warned
    assert (95, "0 65 25,434 0 0") in warned
    assert (861, "8000020130001 417") not in warned  # read: number and amount on one line


def test_unit_cost_figures_are_reported_as_candidates(seed) -> None:
    unit_cost = [i for i in seed[2] if i.column == "単位当たりコスト"]
    assert len(unit_cost) == 1 and unit_cost[0].severity == "warning"
    assert "23,285百万円/1,767団体" in unit_cost[0].value and "61百万円/6団体" in unit_cost[0].value


def test_fields_present_but_not_extracted_are_reported(seed) -> None:
    reported = {i.column for i in seed[2] if i.code == "not-mapped"}
    assert {"事業の目的", "事業概要", "成果目標及び", "資金の流れ"} <= reported


def test_every_node_cites_the_lines_it_was_read_from(seed) -> None:
    data = seed[0]
    for s in {s for s in data.subjects() if "#issue-" not in str(s)}:
        derived = [str(o) for o in data.objects(s, PROV.wasDerivedFrom)]
        assert derived and all("#line=" in d for d in derived), s
    tokyo = payments(data)["東京都"]
    assert {str(o).rsplit("#", 1)[1] for o in data.objects(tokyo, PROV.wasDerivedFrom)} == {
        "line=860,861",  # 8000020130001 417
        "line=929,930",  # 東京都
    }


CLEAN = """平成３０年度行政事業レビューシート 経済産業省
事業番号 0123
サイバーセキュリティ対策事業 担当部局庁 商務情報政策局 作成責任者 課長 山田 太郎
事業開始年度 平成２６年度
事業終了（予定）年度 終了予定なし
担当課室 サイバーセキュリティ課
根拠法令（具体的な条項も記載）
サイバーセキュリティ基本法第13条

予算額・執行額（単位:百万円）
27年度 28年度 29年度 30年度 31年度要求
当初予算 100 120 130 140 150
補正予算 - 10 - - -
計 100 130 130 140 -
執行額 90 125 - - -
執行率（％） 90% 96% - - -

支出先上位１０者リスト
株式会社日立製作所 7010001008844 システム構築 45 一般競争契約 3 95%
"""


def test_clean_layout_budget_rows_map_to_million_yen_budget_lines(tmp_path: Path) -> None:
    """Any document of this kind: where a row has one figure per column of the budget header, it is read."""
    path = tmp_path / "clean.txt"
    path.write_text(CLEAN, encoding="utf-8")
    data, decl, issues = map_file(legacy_sheet, path)
    g, d = to_graph(data), to_graph(decl)
    sheet = URIRef(M.review_sheet(2018, "経産-0123"))
    assert g.value(sheet, CBKG.startYear) == Literal("2014", datatype=YEAR)
    assert g.value(sheet, CBKG.noPlannedEnd) == Literal(True)
    obs = BASE + "id/obs/legacy2018/%E7%B5%8C%E7%94%A3-0123/"
    assert g.value(URIRef(obs + "2015/total/initial"), CBKG.amount) == Literal("100000000", datatype=rdflib.XSD.decimal)
    assert g.value(URIRef(obs + "2015/total/initial"), CBKG.sourceFigure) == Literal("100")
    assert Decimal(str(g.value(URIRef(obs + "2015/total/executed"), CBKG.executionRate))) == Decimal("0.9")
    assert g.value(URIRef(obs + "2019/total/request"), CBKG.amount) == Literal("150000000", datatype=rdflib.XSD.decimal)
    assert (URIRef(obs + "2016/total"), CBKG.sheet, sheet) in g
    ds = URIRef(BASE + "id/dataset/legacy2018-budget")
    assert d.value(ds, CBKG.sourceUnit) == URIRef("https://w3id.org/cbkg/code/unit/million-yen")
    hitachi = payments(g)["株式会社日立製作所"]
    assert g.value(hitachi, CBKG.payee) == URIRef(BASE + "id/corporation/7010001008844")
    assert g.value(hitachi, CBKG.amount) == Literal("45000000", datatype=rdflib.XSD.decimal)
    assert (sheet, CBKG.basedOnProvision, URIRef(BASE + "id/law/426AC1000000104/article/13")) in g
    assert not [i for i in issues if i.severity != "info"], issues


def test_prefecture_name_with_another_prefectures_number_is_not_paired(tmp_path: Path) -> None:
    text = CLEAN.replace(
        "株式会社日立製作所 7010001008844 システム構築 45 一般競争契約 3 95%", "1000020140007\n\n東京都"
    )
    path = tmp_path / "pref.txt"
    path.write_text(text, encoding="utf-8")
    data, _, issues = map_file(legacy_sheet, path)
    assert not list(to_graph(data).subjects(RDF.type, CBKG.Payment))
    assert {i.value for i in issues if i.code == "ambiguous-layout"} >= {"1000020140007", "東京都"}


def test_detection_is_by_content_not_by_file_name(tmp_path: Path) -> None:
    unit = legacy_sheet.units(SEED)[0]
    assert legacy_sheet.detect(unit, unit.head()) and not rs_sheet.detect(unit, unit.head())
    rs = legacy_sheet.units(ROOT / "data" / "seeds" / "sheets" / "000_b4a804753547e4f7.txt")[0]
    assert not legacy_sheet.detect(rs, rs.head())
    csv = legacy_sheet.units(next(RS_SAMPLE.glob("1-2_*.csv")))[0]
    assert not legacy_sheet.detect(csv, csv.head())
    renamed = tmp_path / "review.pdf.txt.csv"
    renamed.write_bytes(SEED.read_bytes())
    u = legacy_sheet.units(renamed)[0]
    assert legacy_sheet.detect(u, u.head())
    assert legacy_sheet.graph_key(u, u.head()) == "legacy-sheet/2017/soumu/0051"


@pytest.mark.parametrize("cut", [0.03, 0.1, 0.25, 0.5, 0.78])
def test_truncated_copy_still_loads_with_load_issues(tmp_path: Path, cut: float) -> None:
    raw = SEED.read_bytes()
    path = tmp_path / "cut.txt"
    path.write_bytes(raw[: int(len(raw) * cut)])  # may cut a UTF-8 character or a figure in two
    unit = legacy_sheet.units(path)[0]
    assert legacy_sheet.detect(unit, unit.head()) == (cut >= 0.25)  # the first tenth has too few labels
    data, _, issues = map_file(legacy_sheet, path)
    assert issues
    g = to_graph(data)
    text = path.read_bytes().decode("utf-8", errors="ignore")
    if "行政事業レビューシート 総務省" in text and "事業番号 0051" in text:
        assert (SHEET, RDF.type, CBKG.ProgramSheet) in g
    else:
        assert all("#issue-" in str(s) for s in g.subjects())  # nothing but load issues
        assert any(i.severity == "error" and i.code == "missing-value" for i in issues)
    for p in g.subjects(RDF.type, CBKG.Payment):  # a cut line is never read as a (wrong) figure
        assert g.value(p, CBKG.amount) in (None, Literal("417000000", datatype=rdflib.XSD.decimal))
