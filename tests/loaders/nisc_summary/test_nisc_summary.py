"""Single facts of the NISC budget summaries that the loader must get right, what it must refuse to guess, and how
it behaves on other documents of the same kind (each test named after what it guards)."""

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
from loaders.budget_doc.basis import find_citations
from ontology.iri import Minter
from tests.conftest import BASE, ROOT, RS_SAMPLE, map_file, to_graph

SEEDS = ROOT / "data" / "seeds"
FY2024 = SEEDS / "nisc" / "002_4b318ac30c2687dc.txt"
FY2020 = SEEDS / "nisc" / "004_ddf944621e8ed638.txt"
DECK = SEEDS / "deck" / "003_f424b4f1571710bd.txt"
CBKG = rdflib.Namespace("https://w3id.org/cbkg/ontology#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
CODE = "https://w3id.org/cbkg/code/"
M = Minter(BASE)
DOC24 = URIRef(M.document("nisc-cyber-budget-2024"))
DOC20 = URIRef(M.document("nisc-cyber-budget-2020"))
XSD_DEC = rdflib.XSD.decimal


@cache
def mapped(path: Path) -> tuple[rdflib.Graph, rdflib.Graph, tuple[LoadIssue, ...]]:
    data, decl, issues = map_file(nisc_summary, path)
    return to_graph(data), to_graph(decl), tuple(issues)


def g24() -> rdflib.Graph:
    return mapped(FY2024)[0]


def g20() -> rdflib.Graph:
    return mapped(FY2020)[0]


def yen(value: int | str) -> Literal:
    return Literal(str(value), datatype=XSD_DEC)


def item_named(g: rdflib.Graph, name: str) -> URIRef:
    hits = [s for s in g.subjects(RDFS.label, Literal(name, lang="ja")) if (s, RDF.type, CBKG.BudgetSummaryItem) in g]
    assert len(hits) == 1, (name, hits)
    return hits[0]  # type: ignore[return-value]


def observation(g: rdflib.Graph, item: URIRef, year: int, stage: str) -> URIRef | None:
    for line in g.subjects(CBKG.summaryItem, item):
        if (line, RDF.type, CBKG.BudgetLine) not in g or g.value(line, CBKG.budgetYear) != Literal(
            str(year), datatype=rdflib.XSD.gYear
        ):
            continue
        for obs in g.objects(line, QB.observation):
            if g.value(obs, CBKG.budgetStage) == URIRef(CODE + "budget-stage/" + stage):
                return obs  # type: ignore[return-value]
    return None


def amount(g: rdflib.Graph, node: URIRef | None) -> Decimal:
    assert node is not None
    value = g.value(node, CBKG.amount)
    assert value is not None
    return Decimal(str(value))


# -- totals --------------------------------------------------------------------------------------------------------------
def test_fy2024_total_is_exact_yen_with_the_figure_as_written() -> None:
    g = g24()
    total = URIRef(f"{DOC24}/total/2024/initial")
    assert (DOC24, CBKG.totalAmount, total) in g
    assert g.value(total, CBKG.amount) == yen(212_860_000_000)
    assert g.value(total, CBKG.sourceFigure) == Literal("2, 128. 6億円")  # stray spaces as written
    assert g.value(total, CBKG.sourceUnit) == URIRef(CODE + "unit/hundred-million-yen")
    assert g.value(DOC24, CBKG.budgetYear) == Literal("2024", datatype=rdflib.XSD.gYear)
    assert (DOC24, RDF.type, CBKG.BudgetSummaryDocument) in g


def test_fy2024_total_is_compared_with_the_previous_initial_budget() -> None:
    g = g24()
    prev = g.value(URIRef(f"{DOC24}/total/2024/initial"), CBKG.comparedWith)
    assert prev == URIRef(f"{DOC24}/total/2023/initial")
    assert g.value(prev, CBKG.amount) == yen(137_890_000_000)
    assert g.value(prev, CBKG.sourceFigure) == Literal("1, 378. 9億円")
    supp = URIRef(f"{DOC24}/total/2023/supplementary")  # 令和5年度補正予算 238.9億円
    assert g.value(supp, CBKG.amount) == yen(23_890_000_000)


def test_fy2020_total_834_2_oku_yen_from_full_width_digits() -> None:
    g = g20()
    total = URIRef(f"{DOC20}/total/2020/initial")
    assert g.value(total, CBKG.amount) == yen(83_420_000_000)
    assert g.value(total, CBKG.sourceFigure) == Literal("８３４．２億円")
    assert g.value(total, CBKG.stageAsWritten) == Literal("令和２年度予算政府案", lang="ja")
    assert g.value(g.value(total, CBKG.comparedWith), CBKG.amount) == yen(71_290_000_000)


# -- areas ----------------------------------------------------------------------------------------------------------------------
def test_fy2024_area_totals_per_column() -> None:
    g = g24()
    area = URIRef(f"{DOC24}/area/1")
    scheme = URIRef(f"{DOC24}/areas")
    assert (area, RDF.type, SKOS.Concept) in g and (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert (area, SKOS.inScheme, scheme) in g
    assert g.value(area, SKOS.notation) == Literal("(1)")
    assert g.value(area, SKOS.prefLabel) == Literal("経済社会の活力の向上及び持続的発展", lang="ja")
    totals = {
        (str(g.value(n, CBKG.budgetYear)), str(g.value(n, CBKG.budgetStage)).rsplit("/", 1)[1]): amount(g, n)
        for n in g.objects(area, CBKG.totalAmount)
    }
    assert totals == {
        ("2024", "initial"): Decimal(6_320_000_000),
        ("2023", "supplementary"): Decimal(980_000_000),
        ("2023", "initial"): Decimal(4_910_000_000),
    }
    big = URIRef(f"{DOC24}/area/3/total/2024/initial")
    assert g.value(big, CBKG.amount) == yen(152_210_000_000) and g.value(big, CBKG.sourceFigure) == Literal(
        "1,522.1億円"
    )
    assert len(set(g.subjects(SKOS.inScheme, scheme))) == 4


def test_fy2020_area_totals_are_read_once_their_share_agrees_with_the_total() -> None:
    g = g20()
    concepts = set(g.subjects(SKOS.inScheme, URIRef(f"{DOC20}/areas")))
    assert len(concepts) == 5
    assert g.value(URIRef(f"{DOC20}/area/2/total/2020/initial"), CBKG.amount) == yen(39_320_000_000)
    assert g.value(URIRef(f"{DOC20}/area/5"), SKOS.prefLabel) == Literal("推進体制", lang="ja")
    # the name broken over two lines is joined
    assert g.value(URIRef(f"{DOC20}/area/3"), SKOS.prefLabel) == Literal(
        "国際社会の平和・安定及び我が国の安全保障", lang="ja"
    )


# -- items and their budget lines ----------------------------------------------------------------------------------------
def test_meti_industrial_cybersecurity_program_2024_and_2023() -> None:
    g = g24()
    item = item_named(g, "産業サイバーセキュリティ強靱化事業")
    assert g.value(item, CBKG.ministry) == URIRef(M.org("meti"))
    assert g.value(item, CBKG.ministryAsWritten) == Literal("経済産業省", lang="ja")
    assert g.value(item, CBKG.strategyArea) == URIRef(f"{DOC24}/area/1")
    o24 = observation(g, item, 2024, "initial")
    assert amount(g, o24) == Decimal(2_340_000_000)
    assert g.value(o24, CBKG.sourceFigure) == Literal("23.4億円")
    assert g.value(o24, CBKG.stageAsWritten) == Literal("令和6年度 当初予算", lang="ja")
    assert amount(g, observation(g, item, 2023, "initial")) == Decimal(2_350_000_000)
    assert observation(g, item, 2023, "supplementary") is None  # '—'
    line = g.value(predicate=QB.observation, object=o24)
    assert (URIRef(M.dataset("nisc2024-budget")), QB.slice, line) in g
    assert g.value(line, CBKG.account) == URIRef(CODE + "account/total")


def test_dash_cells_give_no_observation() -> None:
    g = g24()
    device = item_named(g, "政府端末情報を活用したサイバーセキュリティ情報の収集・分析に係る実証事業")  # 10.0 — —
    years = {str(g.value(line, CBKG.budgetYear)) for line in g.subjects(CBKG.summaryItem, device)}
    assert "2023" not in years
    env = item_named(g, "産業サイバーセキュリティ対策の強化に向けた環境整備事業")  # — 5.1 —
    lines = list(g.subjects(CBKG.summaryItem, env))
    assert len(lines) == 1 and str(g.value(lines[0], CBKG.budgetYear)) == "2023"
    assert amount(g, observation(g, env, 2023, "supplementary")) == Decimal(510_000_000)
    assert observation(g, env, 2023, "initial") is None


def test_no_review_sheet_property_is_used() -> None:
    for g in (g24(), g20()):
        assert not list(g.triples((None, CBKG.sheet, None)))
        lines = set(g.subjects(RDF.type, CBKG.BudgetLine))
        assert lines and all(g.value(line, CBKG.summaryItem) is not None for line in lines)


def test_every_item_keeps_its_ministry_as_written() -> None:
    g = g20()
    items = set(g.subjects(RDF.type, CBKG.BudgetSummaryItem))
    assert len(items) == 18
    assert all(g.value(i, CBKG.ministryAsWritten) is not None for i in items)
    ppc = [i for i in items if g.value(i, CBKG.ministryAsWritten) == Literal("個人情報保護委", lang="ja")]
    assert len(ppc) == 1 and g.value(ppc[0], CBKG.ministry) == URIRef(M.org("ppc"))
    codes = {(i.code, i.line) for i in mapped(FY2020)[2]}
    assert ("ministry-abbreviated", 38) in codes
    assert len(set(g24().subjects(RDF.type, CBKG.BudgetSummaryItem))) == 31


def test_fy2020_rows_with_two_figures_fill_the_non_supplementary_columns() -> None:
    g = g20()
    item = item_named(g, "デジタルフォレンジック用資機材の増強等")
    assert amount(g, observation(g, item, 2020, "initial")) == Decimal(1_000_000_000)
    assert amount(g, observation(g, item, 2019, "initial")) == Decimal(450_000_000)
    assert observation(g, item, 2019, "supplementary") is None
    nisc = item_named(g, "内閣サイバーセキュリティセンター予算")  # three figures
    assert amount(g, observation(g, nisc, 2019, "supplementary")) == Decimal(4_610_000_000)
    inferred = [i for i in mapped(FY2020)[2] if i.code == "column-inferred"]
    assert inferred and all(i.severity == "warning" and i.line and i.value for i in inferred)


def test_name_running_over_several_lines_is_joined() -> None:
    item_named(
        g20(),
        "特定個人情報（マイナンバーをその内容に含む個人情報）に係るセキュリティの確保を図るための委員会における"
        "監視・監督体制の拡充及び強化",
    )


# -- program pages ---------------------------------------------------------------------------------------------------------------
def test_key_facts_of_a_program_page_go_to_the_item_its_figures_fit() -> None:
    g = g24()
    iot = item_named(g, "IoTの安心・安全かつ適正な利用環境の構築")  # its page has no title line: 1,584百万円 ≈ 15.8億円
    assert str(g.value(iot, CBKG.implementingBody)).startswith("国立研究開発法人情報通信研究機構")
    assert g.value(iot, CBKG.rateAsWritten) == Literal("定額", lang="ja")
    assert g.value(iot, CBKG.rate) is None  # 定額 is no fraction
    assert g.value(iot, CBKG.planPeriod) == Literal("令和元年度～令和7年度", lang="ja")
    assert g.value(iot, CBKG.startYear) == Literal("2019", datatype=rdflib.XSD.gYear)
    assert g.value(iot, CBKG.endYear) == Literal("2025", datatype=rdflib.XSD.gYear)
    assert g.value(iot, CBKG.subsidyTarget) == Literal("人件費、機器費等", lang="ja")
    nctc = item_named(g, "ナショナルサイバートレーニングセンターの強化")
    assert g.value(nctc, CBKG.startYear) == Literal("2014", datatype=rdflib.XSD.gYear)  # 平成26年度
    assert g.value(item_named(g, "産業サイバーセキュリティ強靱化事業"), CBKG.implementingBody) is None


def test_legal_articles_are_resolved_against_the_law_named_in_the_text() -> None:
    g = g24()
    law = "https://w3id.org/cbkg/id/law/426AC1000000104"
    audit = item_named(g, "独立行政法人及び指定法人におけるサイバーセキュリティ施策の評価委託")
    provisions = set(g.objects(audit, CBKG.basedOnProvision))
    assert URIRef(f"{law}/article/31/paragraph/1") in provisions  # サイバーセキュリティ基本法第31条第1項
    assert URIRef(f"{law}/article/26/paragraph/1/item/2") in provisions  # 第二十六条第一項第二号 in the quoted text
    node = URIRef(f"{audit}/legal-basis/1")
    assert (node, RDF.type, CBKG.LegalBasisCitation) in g and (node, CBKG.summaryItem, audit) in g
    assert g.value(node, CBKG.law) == URIRef(law)
    incident = item_named(g, "サイバーセキュリティインシデントに係る調査")  # 「サイバーセキュリティ基本法」※ … 第26条①3
    assert set(g.objects(incident, CBKG.basedOnProvision)) == {URIRef(f"{law}/article/26/paragraph/1/item/3")}
    decl = mapped(FY2024)[1]
    assert (URIRef(f"{law}/article/31/paragraph/1"), RDF.type, CBKG.Paragraph) in decl


def test_an_article_without_a_law_is_an_issue_not_a_guess() -> None:
    g = g24()
    mgmt = item_named(g, "各府省庁等の情報システムに対するマネジメント監査及びペネトレーションテスト")
    assert not list(g.objects(mgmt, CBKG.basedOnProvision))
    issues = [i for i in mapped(FY2024)[2] if i.code == "unresolved-citation"]
    assert {i.value for i in issues} >= {"第26条①2", "サイバーセキュリティ基本法の一部を改正する法律"}


def test_provisions_in_running_text_are_read_with_the_one_citation_grammar() -> None:
    lines = [
        "サイバーセキュリティ基本法第31条第1項※の規定（事務の委託）に基づき、委託する。",
        "監査を行う（サイバーセキュリティ基本法第26条第1項第2号及び第3号）。",
        "第26条①2 国の行政機関",
        "同法26条による",  # no 第: no article in running text
    ]
    cited, issues = find_citations(lines, [1, 2, 3, 4], ["サイバーセキュリティ基本法"])
    got = [(c.line, c.written, c.law_written, c.citation.article, c.citation.paragraph, c.citation.items) for c in cited]
    assert got == [
        (1, "第31条第1項", "サイバーセキュリティ基本法", "31", "1", ()),
        (2, "第26条第1項第2号及び第3号", "サイバーセキュリティ基本法", "26", "1", ("2", "3")),
        (3, "第26条①2", "サイバーセキュリティ基本法", "26", "1", ("2",)),  # the law of the item's pages
    ]
    assert [c.citation.confidence for c in cited] == [1.0, 1.0, 0.72]  # 0.9 (bare item) × 0.8 (law from context)
    assert not issues
    _, unresolved = find_citations(lines[2:3], [1], [])
    assert [(i.code, i.value) for i in unresolved] == [("unresolved-citation", "第26条①2")]


def test_a_page_figure_for_another_budget_is_kept_on_its_item() -> None:
    g = g24()
    device = item_named(g, "政府端末情報を活用したサイバーセキュリティ情報の収集・分析に係る実証事業")
    obs = observation(g, device, 2022, "supplementary-2")  # (令和4年度二次補正 2,000百万円)
    assert amount(g, obs) == Decimal(2_000_000_000)
    assert g.value(obs, CBKG.sourceUnit) == URIRef(CODE + "unit/million-yen")
    assert g.value(obs, CBKG.sourceFigure) == Literal("2,000百万円")


def test_figures_that_are_not_mapped_are_reported_with_line_and_text() -> None:
    issues = mapped(FY2024)[2]
    narrative = [i for i in issues if i.code == "figure-not-mapped" and i.line == 95]
    assert narrative and "749.7億円" in (narrative[0].value or "")
    assert any(i.code == "text-not-mapped" for i in issues)
    assert all(i.line is not None for i in issues)


def test_every_node_is_derived_from_a_line_of_the_file() -> None:
    for g in (g24(), g20()):
        subjects = {s for s in g.subjects() if "#issue-" not in str(s) and "/dataset/" not in str(s)}
        for s in subjects:
            derived = list(g.objects(s, PROV.wasDerivedFrom))
            assert derived and all("#line=" in str(d) for d in derived), s


# -- detection, other documents ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (FY2024, True),
        (FY2020, True),
        (DECK, False),
        *((p, False) for p in sorted(SEEDS.rglob("00[01]_*.txt"))),  # the review-sheet seeds (other loaders)
        (RS_SAMPLE / "2-1_RS_2024_予算・執行_サマリ.csv", False),
        (ROOT / "data" / "laws" / "426AC1000000104.json", False),
    ],
    ids=lambda v: v.name[:12] if isinstance(v, Path) else str(v),
)
def test_detection_by_content(path: Path, expected: bool) -> None:
    unit = SourceUnit(path)
    assert nisc_summary.detect(unit, unit.head()) is expected
    if expected:
        assert not bureau_deck.detect(unit, unit.head())
        assert not rs_csv.detect(unit, unit.head())


def test_detection_does_not_depend_on_the_file_name(tmp_path: Path) -> None:
    copy = tmp_path / "budget"
    copy.write_bytes(FY2020.read_bytes())
    unit = SourceUnit(copy)
    assert nisc_summary.detect(unit, unit.head())
    assert nisc_summary.graph_key(unit, unit.head()) == "nisc/cyber-budget/2020"


@pytest.mark.parametrize("fraction", [0.04, 0.1, 0.33, 0.5, 0.77])
def test_a_truncated_summary_loads_with_issues_instead_of_crashing(tmp_path: Path, fraction: float) -> None:
    data = FY2024.read_bytes()
    cut = int(len(data) * fraction)
    while data[cut] & 0xC0 != 0x80:  # move inside a multi-byte character: the file ends with a broken one
        cut += 1
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:cut])
    triples, _, issues = map_file(nisc_summary, path)
    assert triples
    assert (None, RDF.type, CBKG.BudgetSummaryDocument) in to_graph(triples)
    assert any(i.code == "text-encoding" and i.severity == "warning" for i in issues)


def test_a_row_cut_in_the_middle_is_reported() -> None:
    text = FY2024.read_text(encoding="utf-8")
    cut = text.index("15.8億円") + 5  # 【総務省】IoT…\t15.8億 (the row ends inside its first figure)
    records = list(nisc_summary.parse_lines(text[:cut].split("\n"), []))
    issues = [r for r in records if isinstance(r, LoadIssue)]
    assert any(i.code == "bad-amount" and i.value == "15.8億" for i in issues)


SYNTHETIC = """\
政府のサイバーセキュリティに関する予算

### 令和7年度予算額

**234,567百万円**

(令和6年度当初予算額 212,860百万円)

\t令和7年度 当初予算\t令和6年度 補正予算\t令和6年度 当初予算
(1) 経済社会の活力の向上及び持続的発展\t(8,120百万円)\t(1,005百万円)\t(6,320百万円)
【経済産業省】産業サイバーセキュリティ強靱化事業\t2,450百万円\t－\t2,340百万円
【総務省】 地域セキュリティ人材育成事業\t305百万円\t120百万円\t—
(2) 国民が安全で安心して暮らせるデジタル社会の実現\t(40,000百万円)\t(—)\t(38,540百万円)
【デジタル庁】サイバーセキュリティ確保環境整備費\t140百万円\t—\t130百万円
"""


def test_a_summary_in_million_yen_parses_with_the_right_factor(tmp_path: Path) -> None:
    path = tmp_path / "fy2025.txt"
    path.write_text(SYNTHETIC, encoding="utf-8")
    unit = SourceUnit(path)
    assert nisc_summary.detect(unit, unit.head())
    assert nisc_summary.graph_key(unit, unit.head()) == "nisc/cyber-budget/2025"
    data, decl, issues = map_file(nisc_summary, path)
    g, d = to_graph(data), to_graph(decl)
    doc = URIRef(M.document("nisc-cyber-budget-2025"))
    total = URIRef(f"{doc}/total/2025/initial")
    assert g.value(total, CBKG.amount) == yen(234_567_000_000)
    assert g.value(total, CBKG.sourceUnit) == URIRef(CODE + "unit/million-yen")
    assert g.value(g.value(total, CBKG.comparedWith), CBKG.amount) == yen(212_860_000_000)
    item = item_named(g, "産業サイバーセキュリティ強靱化事業")
    assert amount(g, observation(g, item, 2025, "initial")) == Decimal(2_450_000_000)
    assert amount(g, observation(g, item, 2024, "initial")) == Decimal(2_340_000_000)
    assert observation(g, item, 2024, "supplementary") is None  # '－'
    local = item_named(g, "地域セキュリティ人材育成事業")
    assert amount(g, observation(g, local, 2024, "supplementary")) == Decimal(120_000_000)
    assert g.value(URIRef(f"{doc}/area/1/total/2024/supplementary"), CBKG.amount) == yen(1_005_000_000)
    assert g.value(item_named(g, "サイバーセキュリティ確保環境整備費"), CBKG.strategyArea) == URIRef(f"{doc}/area/2")
    assert d.value(URIRef(M.dataset("nisc2025-budget")), CBKG.sourceUnit) == URIRef(CODE + "unit/million-yen")
    assert not [i for i in issues if i.severity == "error"]


# -- through the pipeline ------------------------------------------------------------------------------------------------
def test_the_summaries_load_through_the_pipeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the loader listed in loaders.LOADERS, `cbkg load` recognises both files by content, each in its own
    graph, with the MANIFEST provenance; the budget cube and cited laws land in the entities graph."""
    import loaders
    from graph import pipeline
    from graph.oxistore import OxigraphStore
    from graph.settings import Settings

    monkeypatch.setitem(loaders.LOADERS, "nisc_summary", nisc_summary)  # type: ignore[arg-type]
    store = OxigraphStore(tmp_path / "st", base=BASE)
    report = pipeline.load(
        [SEEDS / "nisc"], store, Settings(store=f"oxigraph:{tmp_path / 'st'}", base_iri=BASE, workers=1)
    )
    assert not report.refused, report.refused
    assert sorted(r.plan.key for r in report.loaded) == ["nisc/cyber-budget/2020", "nisc/cyber-budget/2024"]
    rows = store.select(f"""SELECT ?amount ?publisher WHERE {{
        GRAPH <{BASE}graph/nisc/cyber-budget/2024> {{
            <{DOC24}> <{CBKG.totalAmount}> ?t . ?t <{CBKG.budgetYear}> "2024"^^<http://www.w3.org/2001/XMLSchema#gYear> ;
                <{CBKG.budgetStage}> <{CODE}budget-stage/initial> ; <{CBKG.amount}> ?amount .
            ?src <http://purl.org/dc/terms/publisher> ?publisher }} }}""")
    assert len(rows) == 1 and rows.rows[0]["amount"].lex == "212860000000"
    twice = store.select("""SELECT ?s ?p ?o WHERE { GRAPH ?g1 { ?s ?p ?o } GRAPH ?g2 { ?s ?p ?o }
        FILTER(STR(?g1) < STR(?g2)) } LIMIT 5""")
    assert len(twice) == 0, twice.rows
