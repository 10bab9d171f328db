"""Single facts of the MIC bureau deck that the loader must get right, what it must refuse to guess, and how it
behaves on other decks (each test named after what it guards)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, URIRef

import loaders.bureau_deck as bureau_deck
import loaders.nisc_summary as nisc_summary
import loaders.rs_csv as rs_csv
from loaders.base import LoadIssue, SourceUnit
from ontology.iri import Minter
from tests.conftest import BASE, ROOT, RS_SAMPLE, map_file, to_graph

SEEDS = ROOT / "data" / "seeds"
DECK = SEEDS / "deck" / "003_f424b4f1571710bd.txt"
CBKG = rdflib.Namespace("https://w3id.org/cbkg/ontology#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
CODE = "https://w3id.org/cbkg/code/"
M = Minter(BASE)
DOC = URIRef(M.document("mic-deck-shikoku-2024"))
BUREAU = URIRef(M.org("soumu", "四国総合通信局"))


@cache
def mapped(path: Path = DECK) -> tuple[rdflib.Graph, rdflib.Graph, tuple[LoadIssue, ...]]:
    data, decl, issues = map_file(bureau_deck, path)
    return to_graph(data), to_graph(decl), tuple(issues)


def measure(g: rdflib.Graph, name: str) -> URIRef:
    hits = [s for s in g.subjects(RDFS.label, Literal(name, lang="ja")) if (s, RDF.type, CBKG.BudgetSummaryItem) in g]
    assert len(hits) == 1, (name, hits)
    return hits[0]  # type: ignore[return-value]


def observation(g: rdflib.Graph, item: URIRef, year: int, stage: str) -> URIRef | None:
    for line in g.subjects(CBKG.summaryItem, item):
        if g.value(line, CBKG.budgetYear) != Literal(str(year), datatype=rdflib.XSD.gYear):
            continue
        for obs in g.objects(line, QB.observation):
            if g.value(obs, CBKG.budgetStage) == URIRef(CODE + "budget-stage/" + stage):
                return obs  # type: ignore[return-value]
    return None


def amount(g: rdflib.Graph, node: URIRef | None) -> Decimal:
    assert node is not None
    return Decimal(str(g.value(node, CBKG.amount)))


def test_the_deck_with_its_date_bureau_and_fiscal_year() -> None:
    g, decl, _ = mapped()
    assert (DOC, RDF.type, CBKG.BudgetRequestDocument) in g
    assert g.value(DOC, DCT.date) == Literal("2023-10-17", datatype=rdflib.XSD.date)  # 令和5年10月17日
    assert g.value(DOC, DCT.publisher) == BUREAU
    assert g.value(DOC, CBKG.ministry) == URIRef(M.org("soumu"))
    assert g.value(DOC, CBKG.budgetYear) == Literal("2024", datatype=rdflib.XSD.gYear)  # 令和６年度
    assert g.value(DOC, DCT.title) == Literal("総務省の地域情報化支援施策について", lang="ja")
    assert (BUREAU, RDF.type, CBKG.Bureau) in decl
    assert (BUREAU, ORG.subOrganizationOf, URIRef(M.org("soumu"))) in decl
    assert decl.value(URIRef(M.dataset("micdeck2024-budget")), CBKG.sourceUnit) == URIRef(
        CODE + "unit/hundred-million-yen"
    )


def test_policy_headings_form_one_scheme_per_deck() -> None:
    g = mapped()[0]
    scheme = URIRef(f"{DOC}/areas")
    concepts = set(g.subjects(SKOS.inScheme, scheme))
    assert len(concepts) == 5 and (scheme, RDF.type, SKOS.ConceptScheme) in g
    five = URIRef(f"{DOC}/area/5")
    assert g.value(five, SKOS.notation) == Literal("5")
    assert g.value(five, SKOS.prefLabel) == Literal("サイバーセキュリティの確保", lang="ja")
    assert g.value(URIRef(f"{DOC}/area/4"), SKOS.altLabel) == Literal("国際連携の深化・経済安全保障の推進", lang="ja")


def test_a_measure_with_the_double_circle_is_new() -> None:
    g = mapped()[0]
    dc = measure(g, "データセンター、海底ケーブル等の地方分散によるデジタルインフラ強靱化事業")  # ◎ … 0.5億円(新規)
    assert g.value(dc, CBKG.isNew) == Literal(True)
    assert amount(g, observation(g, dc, 2024, "request")) == Decimal(50_000_000)
    assert observation(g, dc, 2023, "initial") is None  # (新規): no previous budget
    fibre = measure(g, "光ファイバの整備の推進")
    assert g.value(fibre, CBKG.isNew) == Literal(False)


def test_request_and_previous_year_budget_of_a_measure() -> None:
    g = mapped()[0]
    fibre = measure(g, "光ファイバの整備の推進")  # 66.9億円(45.4億円)
    req = observation(g, fibre, 2024, "request")
    assert amount(g, req) == Decimal(6_690_000_000)
    assert g.value(req, CBKG.sourceFigure) == Literal("66.9億円")
    prev = observation(g, fibre, 2023, "initial")
    assert amount(g, prev) == Decimal(4_540_000_000)
    assert g.value(prev, CBKG.stageAsWritten) == Literal(
        "令和５年度予算", lang="ja"
    )  # the legend （ ）は令和５年度予算
    assert g.value(fibre, CBKG.ministry) == URIRef(M.org("soumu"))
    assert g.value(fibre, CBKG.strategyArea) == URIRef(f"{DOC}/area/1")
    zero = measure(g, "通信分野におけるSBOMの導入に向けた課題の調査")  # 4.7億円(0億円): a zero is a figure
    assert amount(g, observation(g, zero, 2023, "initial")) == Decimal(0)


def test_the_cyder_program_is_kept_with_its_name_and_flagged() -> None:
    g = mapped()[0]
    cyder = measure(g, "実践的サイバー防御演習（CYDER）")
    assert g.value(cyder, CBKG.programAcronym) == Literal("CYDER")
    group = measure(g, "サイバー攻撃への自立的な対処能力の向上")
    assert g.value(cyder, CBKG.parentItem) == group
    assert g.value(cyder, CBKG.strategyArea) == URIRef(f"{DOC}/area/5")
    # the deck states no figure for CYDER itself (it runs inside the training-centre measure, which the deck
    # does not say): no budget line is invented
    assert not list(g.subjects(CBKG.summaryItem, cyder))
    nctc = measure(g, "ナショナルサイバートレーニングセンターにおける人材育成")
    assert amount(g, observation(g, nctc, 2024, "request")) == Decimal(1_280_000_000)


def test_cynex_and_secunity_carry_their_acronyms_request_and_facts() -> None:
    g = mapped()[0]
    cynex = measure(g, "サイバーセキュリティ統合知的・人材育成基盤構築")  # also listed as …（CYNEX）の構築
    assert g.value(cynex, CBKG.programAcronym) == Literal("CYNEX")
    assert g.value(cynex, SKOS.altLabel) == Literal(
        "サイバーセキュリティ統合知的・人材育成基盤（CYNEX）の構築", lang="ja"
    )
    assert amount(g, observation(g, cynex, 2024, "request")) == Decimal(850_000_000)
    assert g.value(cynex, CBKG.implementingBody) == Literal("国立研究開発法人情報通信研究機構（NICT）", lang="ja")
    assert g.value(cynex, CBKG.startYear) == Literal("2021", datatype=rdflib.XSD.gYear)
    assert g.value(cynex, CBKG.parentItem) == measure(g, "サイバー攻撃への自立的な対処能力の向上")
    secunity = measure(g, "地域セキュリティコミュニティの強化支援")  # 地域SECUNITY（セキュニティ） on its page
    assert g.value(secunity, CBKG.programAcronym) == Literal("SECUNITY")
    assert amount(g, observation(g, secunity, 2024, "request")) == Decimal(60_000_000)
    assert g.value(secunity, CBKG.planPeriod) == Literal("令和６年度、令和７年度", lang="ja")
    assert g.value(secunity, CBKG.endYear) == Literal("2025", datatype=rdflib.XSD.gYear)


def test_a_request_without_a_fixed_amount_keeps_its_figure_as_written() -> None:
    g, _, issues = mapped()
    auto = measure(g, "自動運転・ドローンの社会実装を促進するためのデジタル基盤整備の推進")
    req = observation(g, auto, 2024, "request")
    assert amount(g, req) == Decimal(5_000_000_000)
    assert g.value(req, CBKG.sourceFigure) == Literal("事項要求（新規）＋50.0億円")
    assert any(i.code == "request-item" and i.line == 56 for i in issues)


def test_one_measure_listed_twice_with_two_spellings_is_one_node() -> None:
    g, _, issues = mapped()
    five_g = measure(g, "５Ｇ等の携帯電話基地局の整備推進")
    assert g.value(five_g, SKOS.altLabel) == Literal("５Ｇ等の携帯電話基地局の整備促進", lang="ja")
    assert amount(g, observation(g, five_g, 2024, "request")) == Decimal(6_000_000_000)
    assert any(i.code == "name-variant" and i.line == 50 for i in issues)


def test_detail_page_figures_for_other_budgets_are_kept() -> None:
    g = mapped()[0]
    area = measure(g, "携帯電話等エリア整備事業")  # a program of the 5G measure, figures on its own page
    assert g.value(area, CBKG.parentItem) == measure(g, "５Ｇ等の携帯電話基地局の整備推進")
    req = observation(g, area, 2024, "request")
    assert amount(g, req) == Decimal(5_000_000_000) and g.value(req, CBKG.sourceFigure) == Literal("５，０００百万円")
    assert g.value(req, CBKG.sourceUnit) == URIRef(CODE + "unit/million-yen")
    assert amount(g, observation(g, area, 2022, "supplementary-2")) == Decimal(1_001_000_000)
    catv = measure(g, "ケーブルテレビ光化等による耐災害性強化事業")  # page figures 2,495百万円 ≈ 25.0億円
    assert amount(g, observation(g, catv, 2022, "supplementary-2")) == Decimal(1_100_000_000)
    assert g.value(catv, CBKG.rateAsWritten) is not None


def test_budget_lines_link_to_their_measure_not_to_a_sheet() -> None:
    g = mapped()[0]
    lines = set(g.subjects(RDF.type, CBKG.BudgetLine))
    assert len(lines) >= 40
    assert not list(g.triples((None, CBKG.sheet, None)))
    for line in lines:
        assert (URIRef(M.dataset("micdeck2024-budget")), QB.slice, line) in g
        assert (g.value(line, CBKG.summaryItem), RDF.type, CBKG.BudgetSummaryItem) in g


def test_every_node_is_derived_from_a_line_of_the_file() -> None:
    g = mapped()[0]
    for s in {s for s in g.subjects() if "#issue-" not in str(s) and "/dataset/" not in str(s)}:
        derived = list(g.objects(s, PROV.wasDerivedFrom))
        assert derived and all("#line=" in str(d) for d in derived), s


def test_unattributable_facts_and_figures_are_reported() -> None:
    issues = mapped()[2]
    codes = {i.code for i in issues}
    assert {"fact-not-attributed", "figure-not-mapped", "text-not-mapped"} <= codes
    assert all(i.line is not None for i in issues)
    page = [i for i in issues if i.code == "figure-not-mapped" and i.line == 1671]  # a page naming no measure
    assert page and "620百万円" in (page[0].value or "")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (DECK, True),
        (SEEDS / "nisc" / "002_4b318ac30c2687dc.txt", False),
        (SEEDS / "nisc" / "004_ddf944621e8ed638.txt", False),
        *((p, False) for p in sorted(SEEDS.rglob("00[01]_*.txt"))),  # the review-sheet seeds (other loaders)
        (RS_SAMPLE / "2-1_RS_2024_予算・執行_サマリ.csv", False),
        (ROOT / "data" / "laws" / "426AC1000000104.json", False),
    ],
    ids=lambda v: v.name[:12] if isinstance(v, Path) else str(v),
)
def test_detection_by_content(path: Path, expected: bool) -> None:
    unit = SourceUnit(path)
    assert bureau_deck.detect(unit, unit.head()) is expected
    if expected:
        assert not nisc_summary.detect(unit, unit.head())
        assert not rs_csv.detect(unit, unit.head())
        assert bureau_deck.graph_key(unit, unit.head()) == "mic-deck/shikoku/2024"


@pytest.mark.parametrize("fraction", [0.002, 0.03, 0.25, 0.6])
def test_a_truncated_deck_loads_with_issues_instead_of_crashing(tmp_path: Path, fraction: float) -> None:
    data = DECK.read_bytes()
    cut = int(len(data) * fraction)
    while data[cut] & 0xC0 != 0x80:
        cut += 1
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:cut])
    triples, _, issues = map_file(bureau_deck, path)
    assert (None, RDF.type, CBKG.BudgetRequestDocument) in to_graph(triples)
    assert any(i.code == "text-encoding" for i in issues)


SYNTHETIC = """\
総務省の地域情報化支援施策について

令和6年11月1日

令和７年度地域情報化関連施策資料（概算要求）

関東総合通信局

１ デジタル基盤整備

○光ファイバの整備の推進 6,690百万円(4,540百万円)

◎衛星通信の地域展開支援事業
1,200百万円(新規)

５ サイバーセキュリティの確保

○地域セキュリティコミュニティの強化支援 60百万円(41百万円)

◎は新規施策、○は継続施策、（ ）は令和６年度予算
"""


def test_another_bureaus_deck_in_million_yen(tmp_path: Path) -> None:
    path = tmp_path / "kanto.txt"
    path.write_text(SYNTHETIC, encoding="utf-8")
    unit = SourceUnit(path)
    assert bureau_deck.detect(unit, unit.head())
    assert bureau_deck.graph_key(unit, unit.head()) == "mic-deck/kanto/2025"
    data, decl, issues = map_file(bureau_deck, path)
    g, d = to_graph(data), to_graph(decl)
    doc = URIRef(M.document("mic-deck-kanto-2025"))
    assert g.value(doc, DCT.date) == Literal("2024-11-01", datatype=rdflib.XSD.date)
    assert g.value(doc, DCT.publisher) == URIRef(M.org("soumu", "関東総合通信局"))
    fibre = measure(g, "光ファイバの整備の推進")
    req = observation(g, fibre, 2025, "request")
    assert amount(g, req) == Decimal(6_690_000_000)
    assert g.value(req, CBKG.sourceUnit) == URIRef(CODE + "unit/million-yen")
    assert amount(g, observation(g, fibre, 2024, "initial")) == Decimal(4_540_000_000)
    sat = measure(g, "衛星通信の地域展開支援事業")  # the figures on the next line
    assert g.value(sat, CBKG.isNew) == Literal(True)
    assert amount(g, observation(g, sat, 2025, "request")) == Decimal(1_200_000_000)
    assert d.value(URIRef(M.dataset("micdeck2025-budget")), CBKG.sourceUnit) == URIRef(CODE + "unit/million-yen")
    assert not [i for i in issues if i.severity == "error"]


def test_the_deck_loads_through_the_pipeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the loader listed in loaders.LOADERS, `cbkg load` recognises the deck by content; the bureau is declared
    once in the entities graph as a unit of 総務省."""
    import loaders
    from graph import pipeline
    from graph.oxistore import OxigraphStore
    from graph.settings import Settings

    monkeypatch.setitem(loaders.LOADERS, "bureau_deck", bureau_deck)  # type: ignore[arg-type]
    store = OxigraphStore(tmp_path / "st", base=BASE)
    settings = Settings(store=f"oxigraph:{tmp_path / 'st'}", base_iri=BASE, workers=1)
    report = pipeline.load([SEEDS / "deck"], store, settings)
    assert not report.refused, report.refused
    assert [r.plan.key for r in report.loaded] == ["mic-deck/shikoku/2024"]
    rows = store.select(f"""SELECT ?g WHERE {{ GRAPH ?g {{ <{BUREAU}> <{ORG.subOrganizationOf}> ?m }} }}""")
    assert [r["g"] for r in rows.rows] == [f"{BASE}graph/entities"]
    rows = store.select(f"""SELECT (COUNT(?line) AS ?n) WHERE {{ GRAPH <{BASE}graph/mic-deck/shikoku/2024> {{
        ?line <{CBKG.summaryItem}> ?m }} }}""")
    assert int(rows.rows[0]["n"].lex) >= 40
