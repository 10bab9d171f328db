"""The JUDGIT! loader: detection by content, identity of sheets, exact amounts, payees, odd shapes, the full set."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import loaders
from graph import open_store, pipeline
from graph.settings import Settings
from loaders import egov_law, judgit, rs_csv
from loaders.base import LoaderError, LoadIssue, MapContext, SourceUnit
from ontology.iri import Minter
from ontology.namespaces import sparql_prefixes
from ontology.terms import IRI, Literal, Triple
from tests.conftest import BASE, ROOT, RS_SAMPLE

DATA = ROOT / "data" / "judgit"
FILES = sorted(p for p in DATA.rglob("*.json") if p.name != "MANIFEST.json")
CBKG = "https://w3id.org/cbkg/ontology#"
M = Minter(BASE)

NISC_2015 = DATA / "2015/内閣官房/0013.json"
MEXT_2022 = DATA / "2022/文部科学省/2022-文科-21-0234.json"


def records(path: Path) -> list[Any]:
    return list(judgit.parse(SourceUnit(path)))


def issues(path: Path) -> list[LoadIssue]:
    return [r for r in records(path) if isinstance(r, LoadIssue)]


def mapped(path: Path, source: str = "https://w3id.org/cbkg/source/test") -> tuple[set[Triple], set[Triple]]:
    """(data, declarations) of a file, with a fixed source IRI (so that two files can be compared)."""
    ctx = MapContext(M, IRI(source), IRI(M.graph("judgit/test")))
    data: set[Triple] = set()
    decl: set[Triple] = set()
    for rec in judgit.parse(SourceUnit(path)):
        data.update(judgit.to_triples(rec, ctx))
        decl.update(judgit.declarations(rec, ctx))
    return data, decl


def objects(triples: set[Triple], s: str, p: str) -> set[Any]:
    return {o for s_, p_, o in triples if s_ == s and p_ == CBKG + p}


def write(tmp_path: Path, obj: Any, name: str = "sheet.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


# -- the bundled files ------------------------------------------------------------------------------------------
def test_all_173_bundled_files_are_recognised_with_distinct_ascii_graph_keys() -> None:
    assert len(FILES) == 173
    keys = set()
    for f in FILES:
        unit = judgit.units(f)[0]
        head = unit.head()
        assert judgit.detect(unit, head), f
        assert not rs_csv.detect(unit, head) and not egov_law.detect(unit, head), f
        key = judgit.graph_key(unit, head)
        assert key.isascii() and key.startswith("judgit/20"), key
        keys.add(key)
    assert len(keys) == 173  # 2020 新02-0003 exists for 外務省 and 防衛省: the ministry keeps them apart


def test_the_bundled_manifest_lists_every_file_with_its_checksum() -> None:
    import hashlib

    manifest = json.loads((DATA / "MANIFEST.json").read_text(encoding="utf-8"))
    entries = {e["path"]: e for e in manifest["files"]}
    assert sorted(entries) == sorted(f.relative_to(DATA).as_posix() for f in FILES)
    for f in FILES:
        e = entries[f.relative_to(DATA).as_posix()]
        assert e["sha256"] == hashlib.sha256(f.read_bytes()).hexdigest() and e["bytes"] == f.stat().st_size
        assert e["license"].startswith("CC BY 4.0") and e["url"].startswith(("https://", "http://"))


def test_all_bundled_files_load_through_the_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(loaders.LOADERS, "judgit", judgit)
    settings = Settings(store="memory", base_iri=BASE, workers=1)
    store = open_store(settings)
    report = pipeline.load([DATA], store, settings)
    assert not report.refused, report.refused[:3]
    assert len(report.loaded) == len(FILES)
    q = sparql_prefixes() + "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a cbkg:ProgramSheet } }"
    assert int(store.select(q).rows[0]["n"].lex) == len(FILES)
    q = sparql_prefixes() + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a cbkg:ExpenseItem } }"
    assert int(store.select(q).rows[0]["n"].lex) == 2414  # every 支出先 entry but one "-" row with 0.0
    q = sparql_prefixes() + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a cbkg:BudgetLine } }"
    assert int(store.select(q).rows[0]["n"].lex) == 865  # every 予算 entry


# -- identity -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "ministry", "key"),
    [
        ("0013", "内閣官房", "官房-0013"),
        ("新28-0016", "文部科学省", "文科-新28-0016"),
        ("2022-文科-21-0234", "文部科学省", "2022-文科-21-0234"),
        ("2021-総務-新22-0007", None, "2021-総務-新22-0007"),
        ("2022-外務-21-0085-1", "外務省", "2022-外務-21-0085-1"),
        ("２０２２－文科－２１－０２３４", None, "2022-文科-21-0234"),
        ("0013", None, "0013"),
    ],
)
def test_canonical_numbers(text: str, ministry: str | None, key: str) -> None:
    pn = judgit.canonical_number(text, ministry)
    assert pn is not None and pn.key() == key


@pytest.mark.parametrize("text", ["abc", "", "0013 0014", "政策: 15"])
def test_unreadable_numbers_give_none(text: str) -> None:
    assert judgit.canonical_number(text, "内閣官房") is None


def test_sheet_iri_number_and_previous_sheets() -> None:
    data, _ = mapped(DATA / "2019/内閣官房/0022.json")
    sheet = M.review_sheet(2019, "官房-0022")
    assert objects(data, sheet, "reviewSheetNumber") == {Literal("官房-0022")}
    assert objects(data, sheet, "reviewSheetNumberAsWritten") == {Literal("0022")}
    assert objects(data, sheet, "previousReviewSheet") == {Literal("官房-0012")}
    # the previous sheet's IRI is the IRI the 2018 file gives its sheet
    assert objects(data, sheet, "previousReviewSheetIri") == {M.review_sheet(2018, "官房-0012")}
    data2018, _ = mapped(DATA / "2018/内閣官房/0012.json")
    assert (M.review_sheet(2018, "官房-0012"), t_type(), IRI(CBKG + "ProgramSheet")) in data2018
    assert not objects(data, sheet, "program")  # decided later by identity resolution


def t_type() -> IRI:
    return IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def test_a_previous_sheet_with_an_era_year_keeps_its_number_without_an_iri() -> None:
    data, _ = mapped(DATA / "2018/内閣官房/0012.json")
    sheet = M.review_sheet(2018, "官房-0012")
    assert objects(data, sheet, "previousReviewSheet") == {Literal("官房-0013")}
    assert not objects(data, sheet, "previousReviewSheetIri")
    found = [i for i in issues(DATA / "2018/内閣官房/0012.json") if i.code == "bad-year"]
    assert [(i.column, i.value) for i in found] == [("/関連する過去のレビューシート/0/年度", "24")]


# -- budgets --------------------------------------------------------------------------------------------------
def test_budget_amounts_are_exact_yen_with_the_figure_as_written() -> None:
    data, decl = mapped(MEXT_2022)
    line = M.observation("judgit2022", "文科-21-0234", 2019, "total")
    initial = IRI(f"{line}/initial")
    assert objects(data, initial, "amount") == {Literal("3051000000", "http://www.w3.org/2001/XMLSchema#decimal")}
    assert objects(data, initial, "sourceFigure") == {Literal("3051.0")}
    # 翌年度へ繰越し is negative in JUDGIT (subtractive); stored positive as in RS, the figure kept as written
    out = IRI(f"{M.observation('judgit2022', '文科-21-0234', 2021, 'total')}/carried-over-out")
    assert objects(data, out, "amount") == {Literal("413932000", "http://www.w3.org/2001/XMLSchema#decimal")}
    assert objects(data, out, "sourceFigure") == {Literal("-413.932")}
    ds = M.dataset("judgit2022-budget")
    assert (ds, IRI(CBKG + "sourceUnit"), IRI("https://w3id.org/cbkg/code/unit/million-yen")) in decl


def test_budget_years_and_stages_of_a_sheet() -> None:
    budgets = [r for r in records(NISC_2015) if isinstance(r, judgit.Budget)]
    assert [b.budget_year for b in budgets] == [2012, 2013, 2014, 2015, 2016]
    stages = {b.budget_year: [s for s, _, _ in b.figures] for b in budgets}
    assert stages[2014] == [
        "initial",
        "supplementary",
        "carried-over-in",
        "carried-over-out",
        "reserve",
        "current",
        "executed",
    ]
    assert "executed" not in stages[2015]  # not executed yet when the sheet was published
    assert stages[2016] == ["request"]
    assert {a for b in budgets for s, a, _ in b.figures if s == "initial"} >= {Decimal(67_000_000)}


def test_zero_is_a_value_and_missing_is_nothing(tmp_path: Path) -> None:
    obj = json.loads(NISC_2015.read_text(encoding="utf-8"))
    obj["予算"] = [{"年度": 2014, "当初予算": 0.0, "補正予算": None, "予備費等": "None", "執行額": "nan"}]
    (b,) = [r for r in records(write(tmp_path, obj)) if isinstance(r, judgit.Budget)]
    assert b.figures == (("initial", Decimal(0), "0.0"),)


# -- payees ---------------------------------------------------------------------------------------------------
def test_payee_with_a_valid_corporate_number_is_the_corporation() -> None:
    data, decl = mapped(MEXT_2022)
    sheet = M.review_sheet(2022, "文科-21-0234")
    item = M.part(sheet, "expense", 1)
    corp = M.corporation("1030005007111")
    assert objects(data, item, "payee") == {corp}
    assert objects(data, item, "payeeName") == {Literal("国立研究開発法人理化学研究所", None, "ja")}
    assert objects(data, item, "corporateNumberAsWritten") == {Literal("1030005007111")}
    assert objects(data, item, "amount") == {Literal("3478402000", "http://www.w3.org/2001/XMLSchema#decimal")}
    assert objects(data, item, "block") == {M.part(sheet, "block", "A")}
    assert objects(data, item, "budgetYear") == {Literal("2021", "http://www.w3.org/2001/XMLSchema#gYear")}
    assert (corp, IRI(CBKG + "corporateNumber"), Literal("1030005007111")) in decl


def test_payees_without_corporate_number_are_sheet_scoped() -> None:
    data, _ = mapped(NISC_2015)
    sheet = M.review_sheet(2015, "官房-0013")
    payees = {o for s, p, o in data if p == CBKG + "payee"}
    assert payees and all(str(o).startswith(f"{sheet}/payee/") for o in payees)
    assert not {o for s, p, o in data if p == CBKG + "corporateNumberAsWritten"}


def test_a_bad_corporate_number_is_an_issue_and_the_payee_stays_sheet_scoped() -> None:
    path = DATA / "2018/警察庁/0061.json"
    (bad,) = [i for i in issues(path) if i.code == "bad-corpno"]
    assert bad.value == "101000114543" and bad.column.startswith("/支出先/") and bad.column.endswith("/法人番号")
    data, _ = mapped(path)
    index = int(bad.column.split("/")[2])
    item = M.part(M.review_sheet(2018, "警察-0061"), "expense", index + 1)
    (payee,) = objects(data, item, "payee")
    assert "/payee/" in payee
    assert objects(data, item, "corporateNumberAsWritten") == {Literal("101000114543")}


# -- detection and refusal ------------------------------------------------------------------------------------
def test_detection_is_by_content_not_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renamed = tmp_path / "whatever.txt"
    shutil.copy(NISC_2015, renamed)
    unit = judgit.units(renamed)[0]
    assert judgit.detect(unit, unit.head())
    monkeypatch.setitem(loaders.LOADERS, "judgit", judgit)
    loader, _ = loaders.detect(renamed)
    assert loader is judgit
    # other formats are not taken for a JUDGIT sheet
    for other in (*sorted(RS_SAMPLE.glob("*.csv"))[:2], *sorted((ROOT / "data" / "laws").glob("4*.json"))):
        u = SourceUnit(other)
        assert not judgit.detect(u, u.head()), other
    not_a_sheet = write(tmp_path, {"事業名": "x"}, "partial.json")
    assert not judgit.detect(SourceUnit(not_a_sheet), not_a_sheet.read_bytes())


def test_a_sheet_exported_with_escaped_unicode_is_detected_in_a_cut_head(tmp_path: Path) -> None:
    obj = json.loads(NISC_2015.read_text(encoding="utf-8"))
    obj["事業概要"] = "x" * 70_000
    path = tmp_path / "escaped.json"
    path.write_text(json.dumps(obj, ensure_ascii=True), encoding="ascii")
    unit = SourceUnit(path)
    assert len(unit.head()) == 65536 and judgit.detect(unit, unit.head())
    assert any(isinstance(r, judgit.Sheet) for r in judgit.parse(unit))


def test_malformed_json_is_refused_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(NISC_2015.read_bytes()[:3000])
    unit = SourceUnit(broken)
    assert judgit.detect(unit, unit.head())  # recognised by its keys …
    with pytest.raises(LoaderError) as exc:  # … and refused by name
        list(judgit.parse(unit))
    assert "broken.json" in str(exc.value) and "malformed JSON" in exc.value.reason
    with pytest.raises(LoaderError):
        judgit.graph_key(unit, unit.head())
    monkeypatch.setitem(loaders.LOADERS, "judgit", judgit)
    settings = Settings(store="memory", base_iri=BASE, workers=1)
    shutil.copy(NISC_2015, tmp_path / "good.json")
    report = pipeline.load([tmp_path], open_store(settings), settings)
    assert [Path(src).name for src, _ in report.refused] == ["broken.json"]
    assert len(report.loaded) == 1


def test_a_sheet_without_any_year_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, {"事業名": "x", "府省庁": "内閣官房", "事業番号": "0013", "予算": []})
    with pytest.raises(LoaderError, match="公開年度"):
        list(judgit.parse(SourceUnit(path)))


# -- odd shapes ---------------------------------------------------------------------------------------------
def _as_repr(obj: dict[str, Any]) -> dict[str, Any]:
    """The sheet as older exports write it: structures as Python-repr strings, null as 'None'."""
    out: dict[str, Any] = {}
    for k, v in obj.items():
        if isinstance(v, (list, dict)):
            out[k] = repr(v)
        elif v is None:
            out[k] = "None"
        else:
            out[k] = v
    return out


@pytest.mark.parametrize("path", [NISC_2015, MEXT_2022, DATA / "2018/防衛省/0251.json"], ids=lambda p: p.stem)
def test_python_repr_strings_map_like_json(path: Path, tmp_path: Path) -> None:
    obj = json.loads(path.read_text(encoding="utf-8"))
    as_json = mapped(path)
    as_repr = mapped(write(tmp_path, _as_repr(obj)))
    assert as_repr == as_json


def test_pandas_nan_inside_a_repr_string_is_missing(tmp_path: Path) -> None:
    obj = json.loads(NISC_2015.read_text(encoding="utf-8"))
    obj["予算"] = "[{'年度': 2014, '当初予算': 78.0, '補正予算': nan, '執行額': 66.0}]"
    (b,) = [r for r in records(write(tmp_path, obj)) if isinstance(r, judgit.Budget)]
    assert [s for s, _, _ in b.figures] == ["initial", "executed"]


def test_garbage_loads_with_issues_not_a_crash(tmp_path: Path) -> None:
    obj = json.loads(NISC_2015.read_text(encoding="utf-8"))
    obj.update(
        {
            "新しい項目": "some value",
            "空の項目": None,
            "開始年度": "昔",
            "終了年度": {"a": 1},
            "会計区分": "['一般会計'",  # broken repr
            "実施方法": ["直接実施", "くじ引き"],
            "主要施策": 42,
            "作成責任者": ["a", "b"],
            "関連する過去のレビューシート": [{"年度": "H29", "府省庁": "内閣官房", "事業番号2": "0013"}, "abc", 3.5],
            "アウトカム": {"成果目標": "not a list"},
            "アウトプット": [
                "text",
                {
                    "活動指標": "件数",
                    "単位": "件",
                    "活動実績": [{"年度": "x", "活動実績": 1}, {"年度": 2014, "活動実績": "多数"}],
                },
            ],
        }
    )
    obj["予算"] = [
        {"年度": 2014, "当初予算": True, "補正予算": "1,2,3", "予算計": "12.5", "要望額": 3, "謎": 1},
        {"当初予算": 5},
        "nonsense",
        {"年度": 2015, "当初予算": float("inf")},
        {"年度": 2016, "当初予算": 1e20},
    ]
    obj["支出先"] = [
        {
            "年度": 2014,
            "グループ": "Ａ",
            "番号": "一",
            "支出先名": "株式会社X",
            "法人番号": 1234,
            "支出額": "abc",
            "追加": 1,
        },
        {"年度": 2014, "グループ": "B", "番号": 1, "支出先名": "株式会社Y", "法人番号": "7010001008844", "支出額": 1.5},
        [1, 2],
    ]
    path = tmp_path / "garbage.json"
    path.write_text(json.dumps(obj, ensure_ascii=False, allow_nan=True), encoding="utf-8")
    recs = records(path)
    found = [r for r in recs if isinstance(r, LoadIssue)]
    codes = {(i.code, i.column) for i in found}
    assert ("column-unknown", "/新しい項目") in codes
    assert ("bad-year", "/開始年度") in codes and ("bad-year", "/終了年度") in codes
    assert ("bad-shape", "/会計区分") in codes and ("bad-shape", "/作成責任者") in codes
    assert ("unknown-code", "/実施方法/1") in codes
    assert ("bad-amount", "/予算/0/当初予算") in codes and ("bad-amount", "/予算/0/補正予算") in codes
    assert ("column-unknown", "/予算/0/謎") in codes
    assert ("missing-value", "/予算/1") in codes and ("bad-shape", "/予算/2") in codes
    assert ("bad-amount", "/予算/3/当初予算") in codes and ("bad-amount", "/予算/4/当初予算") in codes
    assert ("bad-corpno", "/支出先/0/法人番号") in codes and ("bad-amount", "/支出先/0/支出額") in codes
    assert ("bad-int", "/支出先/0/番号") in codes and ("column-unknown", "/支出先/0/追加") in codes
    assert ("bad-shape", "/支出先/2") in codes and ("bad-shape", "/アウトカム") in codes
    assert ("bad-shape", "/アウトプット/0") in codes
    assert ("former-number", "/関連する過去のレビューシート/1") in codes
    assert ("bad-shape", "/関連する過去のレビューシート/2") in codes
    assert all(i.value is None or isinstance(i.value, str) for i in found)
    (sheet,) = [r for r in recs if isinstance(r, judgit.Sheet)]
    assert sheet.start_year is None and sheet.account_classes == ("['一般会計'",) and sheet.major_policies == ("42",)
    assert sheet.methods == ("直接実施", "くじ引き")
    budgets = {b.index: b for b in recs if isinstance(b, judgit.Budget)}
    # 予算計 '12.5' read, 要望額 found in the code list by its label
    assert budgets[0].figures == (
        ("current", Decimal(12_500_000), "12.5"),
        ("priority-request", Decimal(3_000_000), "3"),
    )
    (prev, _) = [r for r in recs if isinstance(r, judgit.PreviousSheet)]
    assert (prev.number, prev.sheet_year, prev.sheet_key) == ("官房-0013", 2017, "官房-0013")
    (output,) = [r for r in recs if isinstance(r, judgit.Indicator)]
    assert [(k, y, v, w) for k, y, v, w, _ in output.values] == [("活動実績", 2014, None, "多数")]
    payees = [r for r in recs if isinstance(r, judgit.Expense)]
    assert [(p.block, p.payee, p.corporate_number) for p in payees] == [
        ("A", "株式会社X", None),
        ("B", "株式会社Y", "7010001008844"),
    ]
    ctx = MapContext(M, IRI("https://w3id.org/cbkg/source/x"), IRI(M.graph("judgit/x")))
    for rec in recs:  # every record maps
        list(judgit.to_triples(rec, ctx))
        list(judgit.declarations(rec, ctx))
    data, _ = mapped(path)
    sheet_iri = M.review_sheet(2015, "官房-0013")
    assert objects(data, sheet_iri, "implementationMethodAsWritten") == {Literal("くじ引き", None, "ja")}


def test_a_repeated_key_is_reported(tmp_path: Path) -> None:
    text = NISC_2015.read_text(encoding="utf-8").replace('"事業名":', '"事業名": "古い名前", "事業名":', 1)
    path = tmp_path / "dup.json"
    path.write_text(text, encoding="utf-8")
    (dup,) = [i for i in issues(path) if i.code == "bad-shape"]
    assert dup.column == "事業名" and dup.value == "古い名前"


def test_the_bundled_files_raise_only_the_known_issues() -> None:
    found = sorted((i.code, i.severity) for f in FILES for i in issues(f))
    assert found == sorted(
        [("bad-corpno", "error")] * 4
        + [("bad-year", "warning")] * 2
        + [("sheet-number", "info")] * 5
        + [("missing-value", "info")]  # 2017 防衛-0209: a 支出先 row "-" with 0.0
    )
