"""Targeted tests of the ``egov_law`` loader: the real samples, detection, identity, robustness."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

import loaders.egov_law as L
from loaders import common
from loaders import normalize as nz
from loaders.base import LoaderError, LoadIssue, MapContext, SourceUnit
from loaders.egov_law.mapping import P_LAW_NUMBER, P_LAW_TYPE, P_VERSION_NOTE, P_WORK_PROVISION
from loaders.egov_law.parse import law_type_from_id
from loaders.egov_law.text import article_heading, kanji_numeral, split_division_title
from ontology.iri import Minter
from ontology.namespaces import ELI, PROV
from ontology.terms import IRI, Triple
from ontology.vocab import ELI_DATE_DOCUMENT, ELI_VERSION_DATE
from tests.conftest import BASE, ROOT, map_file, to_graph

from .make_fixture import fixture_bytes

HERE = Path(__file__).resolve().parent
LAWS = ROOT / "data" / "laws"
CS_JSON = LAWS / "426AC1000000104.json"
KOJIN_JSON = LAWS / "law_data.415AC0000000057.trimmed.2026-07-10.json"
KOJIN_XML = HERE / "sample" / "415AC0000000057_20260624_508AC0000000046.xml"
CS = "426AC1000000104"
KOJIN = "415AC0000000057"
M = Minter(BASE)

CS_ARTICLES = [str(n) for n in range(1, 31)] + ["30-2"] + [str(n) for n in range(31, 39)]
"""The 39 main-provision articles of サイバーセキュリティ基本法 after the 2025 amendment, in order."""
CS_WITHOUT_CAPTION = {"12", "38"}
"""第十二条 and 第三十八条 have no caption (見出し) in the law; the source gives their heading instead."""


def records(path: Path) -> list:
    return list(L.parse(L.units(path)[0]))


def nodes(path: Path, kind: str) -> list[L.LawNode]:
    return [r for r in records(path) if isinstance(r, L.LawNode) and r.kind == kind]


def issues(path: Path) -> list[LoadIssue]:
    return [r for r in records(path) if isinstance(r, LoadIssue)]


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def minimal_xml(body: str, attrs: str = 'Era="Heisei" Year="26" Num="104" LawType="Act"') -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Law Lang="ja" {attrs}>'
        "<LawNum>平成二十六年法律第百四号</LawNum><LawBody><LawTitle>サイバーセキュリティ基本法</LawTitle>"
        f"<MainProvision>{body}</MainProvision></LawBody></Law>"
    )


# -- the real samples --------------------------------------------------------------------------------------------
def test_cs_basic_law_has_all_39_articles_with_their_captions() -> None:
    arts = nodes(CS_JSON, "article")
    assert [a.number for a in arts] == CS_ARTICLES
    assert [a.order for a in arts] == list(range(1, 40))
    by_no = {a.number: a for a in arts}
    assert by_no["1"].caption == "（目的）"
    assert by_no["30-2"].caption == "（サイバーセキュリティ推進専門家会議）"
    assert by_no["30-2"].heading == "第三十条の二"
    assert by_no["38"].heading == "第三十八条"
    for a in arts:
        if a.number in CS_WITHOUT_CAPTION:
            assert a.caption is None, a.number
        else:
            assert a.caption and a.caption.startswith("（") and a.caption.endswith("）"), a.number
        assert nz.parse_article(a.heading) == a.number


def test_cs_basic_law_article_30_2_has_3_paragraphs_and_paragraph_2_has_2_items() -> None:
    recs = [r for r in records(CS_JSON) if isinstance(r, L.LawNode)]
    art = ("chapter", "4"), ("article", "30-2")
    paras = [r for r in recs if r.kind == "paragraph" and r.steps[:-1] == art]
    assert [p.number for p in paras] == ["1", "2", "3"]
    assert paras[1].text == "専門家会議は、次に掲げる事務をつかさどる。"
    items = [r for r in recs if r.kind == "item" and r.steps[:-1] == (*art, ("paragraph", "2"))]
    assert [i.number for i in items] == ["1", "2"]
    assert items[0].text == "第二十六条第三項の規定により本部長に意見を述べること。"
    assert not [
        r for r in recs if r.kind == "item" and r.steps[:-1] in ((*art, ("paragraph", "1")), (*art, ("paragraph", "3")))
    ]


def test_cs_basic_law_chapters_and_version_key() -> None:
    chapters = nodes(CS_JSON, "chapter")
    assert [(c.number, c.heading, c.title) for c in chapters] == [
        ("1", "第一章\u3000総則", "総則"),
        ("2", "第二章\u3000サイバーセキュリティ戦略", "サイバーセキュリティ戦略"),
        ("3", "第三章\u3000基本的施策", "基本的施策"),
        ("4", "第四章\u3000サイバーセキュリティ戦略本部", "サイバーセキュリティ戦略本部"),
        ("5", "第五章\u3000罰則", "罰則"),
    ]
    law = records(CS_JSON)[0]
    assert isinstance(law, L.LawText)
    assert (law.law_id, law.version, law.version_date) == (CS, "post-2025-amendment", None)
    assert law.version_note and "2025" in law.version_note
    unit = L.units(CS_JSON)[0]
    assert L.graph_key(unit, unit.head()) == f"law/{CS}/post-2025-amendment"


def test_kojin_joho_sample_articles_present_with_captions() -> None:
    arts = nodes(KOJIN_JSON, "article")
    assert [(a.steps, a.heading, a.caption) for a in arts] == [
        ((("chapter", "1"), ("article", "1")), "第一条", "（目的）"),
        ((("chapter", "1"), ("article", "2")), "第二条", "（定義）"),
        ((("chapter", "1"), ("article", "3")), "第三条", "（基本理念）"),
        ((("chapter", "2"), ("article", "4")), "第四条", "（国の責務）"),
        ((("chapter", "2"), ("article", "5")), "第五条", "（地方公共団体の責務）"),
    ]
    paras = [p for p in nodes(KOJIN_JSON, "paragraph") if p.steps[1] == ("article", "2")]
    assert [p.number for p in paras] == [str(n) for n in range(1, 12)]
    law = records(KOJIN_JSON)[0]
    assert (law.version, law.version_date, law.law_number, law.promulgation_date, law.law_type) == (
        "2026-06-24",
        "2026-06-24",
        "平成十五年法律第五十七号",
        "2003-05-30",
        "act",
    )
    assert law.abbrevs == ("個人情報保護法",)


def test_item_with_columns_keeps_both_columns_as_written() -> None:
    item = next(
        i for i in nodes(KOJIN_JSON, "item") if i.steps[1:] == (("article", "2"), ("paragraph", "5"), ("item", "1"))
    )
    assert item.text is not None
    assert item.text.startswith("第一項第一号に該当する個人情報\u3000当該個人情報に含まれる記述等の一部を削除すること")
    assert item.heading == "一"


def test_texts_are_kept_exactly_as_written() -> None:
    source = json.loads(CS_JSON.read_text(encoding="utf-8"))["provisions"][0]["content"]
    para = next(p for p in nodes(CS_JSON, "paragraph") if p.steps[-2:] == (("article", "1"), ("paragraph", "1")))
    assert para.text == source  # full-width brackets and punctuation untouched (no NFKC)


def test_skipped_parts_are_reported_not_dropped_silently() -> None:
    found = issues(KOJIN_JSON)
    codes = {(i.code, i.severity) for i in found}
    assert ("law-part-not-mapped", "info") in codes
    assert any("table of contents" in i.reason for i in found)
    assert any("appended tables" in i.reason and "2 elements" in i.reason for i in found)


def test_supplementary_provisions_are_reported_as_info(tmp_path: Path) -> None:
    body = (
        '<Article Num="1"><ArticleTitle>第一条</ArticleTitle><Paragraph Num="1"><ParagraphNum/>'
        "<ParagraphSentence><Sentence>本文。</Sentence></ParagraphSentence></Paragraph></Article>"
    )
    xml = minimal_xml(body).replace(
        "</LawBody>",
        '<SupplProvision><SupplProvisionLabel>附　則</SupplProvisionLabel><Paragraph Num="1"><ParagraphNum/>'
        "<ParagraphSentence><Sentence>この法律は、公布の日から施行する。</Sentence></ParagraphSentence></Paragraph>"
        "</SupplProvision></LawBody>",
    )
    found = issues(write(tmp_path, f"{CS}.xml", xml))
    suppl = [i for i in found if "supplementary provisions not mapped" in i.reason]
    assert len(suppl) == 1 and suppl[0].severity == "info"


# -- one walker for XML and JSON ---------------------------------------------------------------------------------
def test_xml_fixture_is_the_json_sample_as_xml() -> None:
    name, data = fixture_bytes(KOJIN_JSON)
    assert name == KOJIN_XML.name
    assert KOJIN_XML.read_bytes() == data, "regenerate with python tests/loaders/egov_law/make_fixture.py"


def _law_graph(triples: list[Triple]) -> list[Triple]:
    """The law's own triples: without load issues and without provenance (whose fragment syntax differs)."""
    return [
        (s, p, o) for s, p, o in triples if "#issue-" not in s and p != PROV + "wasDerivedFrom" and p != P_VERSION_NOTE
    ]


def test_xml_and_json_forms_of_the_same_law_give_isomorphic_graphs() -> None:
    data_json, decl_json, _ = map_file(L, KOJIN_JSON)
    data_xml, decl_xml, _ = map_file(L, KOJIN_XML)
    assert isomorphic(to_graph(decl_json), to_graph(decl_xml))
    assert isomorphic(to_graph(_law_graph(data_json)), to_graph(_law_graph(data_xml)))
    # and every node has its provenance in both forms
    for data in (data_json, data_xml):
        subjects = {s for s, p, o in data if p == ELI + "is_part_of"}
        derived = {s for s, p, o in data if p == PROV + "wasDerivedFrom"}
        assert subjects <= derived


def test_provenance_fragments_point_into_the_source() -> None:
    unit = L.units(KOJIN_JSON)[0]
    doc = json.loads(KOJIN_JSON.read_text(encoding="utf-8"))
    data, _, _ = map_file(L, KOJIN_JSON)
    art2 = M.version_part(M.law_version(KOJIN, "2026-06-24"), ("chapter", "1"), ("article", "2"))
    frag = next(o for s, p, o in data if s == art2 and p == PROV + "wasDerivedFrom")
    assert frag == f"{M.source(unit.sha256())}#/law_full_text/children/1/children/2/children/0/children/2"
    node = doc
    for tok in frag.split("#", 1)[1].strip("/").split("/"):
        node = node[int(tok)] if tok.isdigit() else node[tok]
    assert node["tag"] == "Article" and node["attr"]["Num"] == "2"
    data_xml, _, _ = map_file(L, KOJIN_XML)
    frag_xml = next(o for s, p, o in data_xml if s == art2 and p == PROV + "wasDerivedFrom")
    assert frag_xml.endswith("#xpointer(/Law/LawBody/MainProvision/Chapter%5B1%5D/Article%5B2%5D)")


@pytest.mark.parametrize("path", [CS_JSON, KOJIN_JSON, KOJIN_XML], ids=["provisions", "json", "xml"])
def test_every_iri_is_valid_for_the_store(path: Path) -> None:
    data, decl, _ = map_file(L, path)
    for s, p, o in data + decl:
        ox.NamedNode(s)
        ox.NamedNode(p)
        if isinstance(o, IRI):
            ox.NamedNode(o)


# -- identity ----------------------------------------------------------------------------------------------------
def test_iris_are_stable_mapping_twice_gives_identical_triples() -> None:
    for path in (CS_JSON, KOJIN_JSON, KOJIN_XML):
        first = map_file(L, path)
        second = map_file(L, path)
        assert first[0] == second[0] and first[1] == second[1]


def test_articles_link_to_the_work_provisions_that_citations_use() -> None:
    data, decl, _ = map_file(L, CS_JSON)
    work = {o for s, p, o in data if p == P_WORK_PROVISION}
    assert M.law_part(CS, "30-2") in work and len(work) == 39
    expected = {t for n in CS_ARTICLES for t in common.provision_declarations(M, CS, n)}
    assert expected <= set(decl)
    assert (M.law(CS), P_LAW_TYPE, IRI("https://w3id.org/cbkg/code/law-type/act")) in decl


def test_declarations_and_version_carry_only_known_facts() -> None:
    data, decl, _ = map_file(L, CS_JSON)
    version = M.law_version(CS, "post-2025-amendment")
    assert not [t for t in data if t[0] == version and t[1] == ELI_VERSION_DATE]
    assert not [t for t in decl if t[1] in (P_LAW_NUMBER, ELI_DATE_DOCUMENT)]  # empty law_number, no date
    data, decl, _ = map_file(L, KOJIN_JSON)
    version = M.law_version(KOJIN, "2026-06-24")
    assert [o.lex for s, p, o in data if s == version and p == ELI_VERSION_DATE] == ["2026-06-24"]
    assert [o.lex for s, p, o in decl if p == ELI_DATE_DOCUMENT] == ["2003-05-30"]


def test_version_key_falls_back_to_the_manifest_then_to_the_sha(tmp_path: Path) -> None:
    copy = tmp_path / CS_JSON.name
    shutil.copyfile(CS_JSON, copy)
    unit = L.units(copy)[0]
    assert L.graph_key(unit, unit.head()) == f"law/{CS}/sha-{unit.sha256()[:12]}"
    law = records(copy)[0]
    assert law.version_note is None
    (tmp_path / "MANIFEST.json").write_text(
        json.dumps({"files": [{"path": f"laws/{copy.name}", "version_key": "v1", "version_note": "n"}]}),
        encoding="utf-8",
    )
    assert L.graph_key(unit, unit.head()) == f"law/{CS}/v1"
    assert records(copy)[0].version_note == "n"


def test_article_numbers_are_canonical() -> None:
    assert article_heading("30-2") == "第三十条の二"
    assert article_heading("244-5") == "第二百四十四条の五"
    assert split_division_title("第二章の二　雑則") == ("2-2", "雑則")
    for n in range(1, 2100):
        assert nz.kanji_to_int(kanji_numeral(n)) == n


@pytest.mark.parametrize(
    ("law_id", "expected"),
    [
        ("415AC0000000057", "act"),
        ("426AC1000000104", "act"),
        ("426CO0000000400", "cabinet-order"),
        ("322IO0000000207", "imperial-ordinance"),
        ("415M60000008001", "ministerial-ordinance"),
        ("321CONSTITUTION", "constitution"),
        ("105DF0000000337", "other"),
    ],
)
def test_law_type_from_the_law_id(law_id: str, expected: str) -> None:
    assert law_type_from_id(law_id) == expected


# -- detection ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [CS_JSON, KOJIN_JSON, KOJIN_XML], ids=["provisions", "json", "xml"])
def test_detection_is_by_content_a_renamed_txt_copy_is_still_detected(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "renamed.txt"
    shutil.copyfile(path, copy)
    unit = L.units(copy)[0]
    assert L.detect(unit, unit.head())
    truncated = unit.head(4096)  # a cut head (no complete JSON document) is recognised too
    assert L.detect(unit, truncated)


@pytest.mark.parametrize(
    "content",
    [
        json.dumps({"total_count": 1, "laws": [{"law_info": {"law_id": KOJIN}}]}),  # a laws search response
        json.dumps({"files": [{"path": "426AC1000000104.json"}]}),  # a manifest
        json.dumps({"id": "not-a-law", "provisions": []}),
        '<?xml version="1.0"?><html><body>Law</body></html>',
        '<Law Era="Heisei"><LawNum>x</LawNum></Law>',  # no LawBody
        "予算事業ID,事業名\n1,x\n",
        "",
    ],
)
def test_unrelated_files_are_not_detected(content: str, tmp_path: Path) -> None:
    path = write(tmp_path, "426AC1000000104.json", content)
    unit = L.units(path)[0]
    assert not L.detect(unit, unit.head())


# -- robustness --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.json", CS_JSON.read_text(encoding="utf-8")[:5000], "malformed JSON"),
        ("broken.xml", KOJIN_XML.read_text(encoding="utf-8")[:5000], "malformed XML"),
        ("other.json", json.dumps({"laws": []}), "not a law text"),
        ("plain.txt", "第一条　この法律は…", "not a law text"),
        ("law.xml", minimal_xml(""), "法令ID"),  # the XML does not say its ID and the name does not either
        (f"{KOJIN}.xml", minimal_xml(""), "contradicts"),  # named as another law
    ],
)
def test_a_file_that_is_not_a_readable_law_raises_loader_error_naming_it(
    name: str, content: str, reason: str, tmp_path: Path
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(LoaderError) as exc:
        list(L.parse(L.units(path)[0]))
    assert name in str(exc.value) and reason in exc.value.reason


def test_unreadable_nodes_become_load_issues_not_crashes(tmp_path: Path) -> None:
    tree = {
        "tag": "Law",
        "attr": {"Era": "Heisei", "Year": "26", "Num": "104", "LawType": "Act"},
        "children": [
            {"tag": "LawBody", "children": [
                {"tag": "LawTitle", "children": ["テスト法"]},
                {"tag": "MainProvision", "children": [
                    {"tag": "Article", "attr": {"Num": "1"}, "children": [
                        {"tag": "ArticleTitle", "children": ["第二条"]},  # label disagrees with Num
                        {"tag": "Paragraph", "attr": {"Num": "1"}, "children": "not a list"},
                        {"tag": "Paragraph", "attr": {}, "children": [
                            {"tag": "ParagraphNum", "children": ["２"]},
                            {"tag": "ParagraphSentence", "children": [{"tag": "Sentence", "children": ["本文。"]}]},
                            {"tag": "TableStruct", "children": []},
                            42,
                        ]},
                    ]},
                    {"tag": "Article", "attr": {"Num": "1"}, "children": []},  # duplicate
                    {"tag": "Article", "attr": {"Num": "10:12"}, "children": [
                        {"tag": "ArticleTitle", "children": ["第十条から第十二条まで"]}]},
                    "stray text",
                ]},
            ]},
        ],
    }  # fmt: skip
    path = write(tmp_path, "law.json", json.dumps({"law_info": {"law_id": CS}, "law_full_text": tree}))
    recs = records(path)
    arts = [r for r in recs if isinstance(r, L.LawNode) and r.kind == "article"]
    assert [a.number for a in arts] == ["1", "10:12"]
    paras = [r for r in recs if isinstance(r, L.LawNode) and r.kind == "paragraph"]
    assert [(p.number, p.text) for p in paras] == [("1", None), ("2", "本文。")]
    found = {(i.code, i.severity) for i in recs if isinstance(i, LoadIssue)}
    assert {
        ("law-numbering", "warning"),
        ("law-numbering", "info"),
        ("law-structure", "error"),
        ("law-content-not-mapped", "warning"),
    } <= found
    law = recs[0]
    assert law.version.startswith("sha-")  # no revision date, no manifest
    m = Minter(BASE)
    ctx = MapContext(m, m.source("0" * 64), m.graph("law/x"))
    triples = [t for r in recs for t in L.to_triples(r, ctx)]
    assert to_graph(triples)  # serialisable


def test_provisions_json_with_bad_entries_reports_them(tmp_path: Path) -> None:
    doc = {
        "id": CS,
        "title": "テスト法",
        "provisions": [
            {"provision_ref": "art-1", "chapter": "Chapter 1: 第一章　総則", "title": "（目的）", "content": "本文。"},
            {"provision_ref": "suppl-1", "content": "附則。"},
            "not an object",
            {"provision_ref": "art-2", "chapter": "", "title": "第二条", "content": "  1. 項の前の号\n本文。\n  1. 号"},
            {"provision_ref": "art-1", "chapter": "Chapter 1: 第一章　総則", "content": "重複。"},
        ],
    }
    recs = records(write(tmp_path, "x.json", json.dumps(doc, ensure_ascii=False)))
    arts = [(r.steps, r.caption, r.heading) for r in recs if isinstance(r, L.LawNode) and r.kind == "article"]
    assert arts == [
        ((("chapter", "1"), ("article", "1")), "（目的）", "第一条"),
        ((("article", "2"),), None, "第二条"),
    ]
    items = [r for r in recs if isinstance(r, L.LawNode) and r.kind == "item"]
    assert [(i.steps[-2:], i.text) for i in items] == [((("paragraph", "1"), ("item", "1")), "号")]
    errors = [i for i in recs if isinstance(i, LoadIssue) and i.severity == "error"]
    assert len(errors) == 4  # suppl-1, not an object, item before any paragraph, duplicate article


def test_source_units_from_head_only_in_pipeline_plan() -> None:
    unit = SourceUnit(KOJIN_XML)
    assert L.graph_key(unit, unit.head()) == f"law/{KOJIN}/2026-06-24"
    assert L.cost(unit, unit.head()) == float(KOJIN_XML.stat().st_size)


# -- through the pipeline ----------------------------------------------------------------------------------------
def test_bundled_law_files_load_through_the_pipeline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import loaders
    from graph import pipeline
    from graph.oxistore import OxigraphStore
    from graph.settings import Settings

    monkeypatch.setitem(loaders.LOADERS, L.NAME, L)  # until egov_law is listed in loaders.LOADERS
    store = OxigraphStore(tmp_path / "st", base=BASE)
    report = pipeline.load([LAWS], store, Settings(store=f"oxigraph:{tmp_path / 'st'}", base_iri=BASE, workers=1))
    assert not report.refused, report.refused  # MANIFEST.json and README.md are skipped as documentation
    assert sorted(r.plan.key for r in report.loaded) == [f"law/{KOJIN}/2026-06-24", f"law/{CS}/post-2025-amendment"]
    rows = store.select(f"""SELECT ?caption ?url WHERE {{
        ?v <https://w3id.org/cbkg/ontology#versionOf> <{M.law(CS)}> ; <{ELI}has_part>/<{ELI}has_part> ?a .
        ?a <https://w3id.org/cbkg/ontology#workProvision> <{M.law_part(CS, "30-2")}> ;
           <https://w3id.org/cbkg/ontology#caption> ?caption .
        <{M.law_part(CS, "30-2")}> <{ELI}is_part_of> <{M.law(CS)}> .
        GRAPH ?g {{ ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?src . ?src <http://www.w3.org/ns/dcat#downloadURL> ?url }}
        FILTER(STRENDS(STR(?g), "post-2025-amendment")) }}""")
    assert [(r["caption"].lex, str(r["url"])) for r in rows.rows] == [
        ("（サイバーセキュリティ推進専門家会議）", "https://laws.e-gov.go.jp/law/426AC1000000104")
    ]
