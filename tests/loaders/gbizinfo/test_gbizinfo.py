"""Targeted tests of the ``gbizinfo`` loader: the real gBizINFO responses, missing values, amounts, detection."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import loaders.egov_law as egov_law
import loaders.gbizinfo as G
import loaders.houjin as houjin
import loaders.rs_csv as rs_csv
from loaders.base import LoaderError, LoadIssue, SourceUnit
from ontology.namespaces import CBKG, DCTERMS, FOAF, PROV
from ontology.terms import Literal, Triple
from tests.conftest import ROOT, RS_SAMPLE, map_file

DATA = ROOT / "data" / "gbizinfo"
BASIC = DATA / "basic.7010001008844.2026-07-10.json"
SUBSIDY = DATA / "subsidy.7010001008844.2026-07-10.json"
EMPTY = DATA / "subsidy.1180301018771.empty.2026-07-10.json"
PROCUREMENT = DATA / "procurement.7010001008844.trimmed.2026-07-10.json"
PATENT = DATA / "patent.7010001008844.trimmed.2026-07-10.json"
SEARCH = DATA / "search.7010001008844.2026-07-10.json"
SEARCH_MINISTRY = DATA / "search.source4-ministry26.2026-07-10.json"
NTA_HITACHI = ROOT / "data" / "houjin" / "num.7010001008844.2026-07-10.xml"
CORP = "https://w3id.org/cbkg/id/corporation/7010001008844"
XSD = "http://www.w3.org/2001/XMLSchema#"


def records(path: Path) -> list:
    return list(G.parse(G.units(path)[0]))


def issues(path: Path) -> list[LoadIssue]:
    return [r for r in records(path) if isinstance(r, LoadIssue)]


def objects(triples: list[Triple], s: str, p: str) -> set:
    return {o for s_, p_, o in triples if s_ == s and p_ == p}


def write_json(tmp_path: Path, name: str, obj: dict) -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(obj, ensure_ascii=False, indent=1), encoding="utf-8")
    return p


# -- basic information -----------------------------------------------------------------------------------------
def test_hitachi_official_name_and_address_from_gbizinfo_basic() -> None:
    data, decl, _ = map_file(G, BASIC)
    assert objects(decl, CORP, CBKG + "officialName") == {Literal("株式会社日立製作所", None, "ja")}
    assert objects(decl, CORP, CBKG + "address") == {Literal("東京都千代田区丸の内１丁目６番６号", None, "ja")}
    assert objects(decl, CORP, CBKG + "officialNameEn") == {Literal("Hitachi, Ltd.", None, "en")}
    assert objects(decl, CORP, CBKG + "officialNameKana") == {Literal("ヒタチセイサクショ", None, "ja-Kana")}
    assert objects(decl, CORP, CBKG + "corporateType") == {"https://w3id.org/cbkg/code/corporate-type/301"}
    assert objects(decl, CORP, CBKG + "capitalStock") == {Literal("466666000000", XSD + "decimal")}
    assert objects(decl, CORP, CBKG + "employeeCount") == {Literal("35631", XSD + "integer")}
    assert objects(decl, CORP, CBKG + "establishmentDate") == {Literal("1920-02-01", XSD + "date")}
    assert objects(decl, CORP, CBKG + "representativeName") == {Literal("執行役社長兼CEO　德永　俊昭", None, "ja")}
    assert objects(decl, CORP, FOAF + "homepage") == {"http://www.hitachi.co.jp"}
    (derived,) = objects(data, CORP, PROV + "wasDerivedFrom")
    assert derived.endswith("#/hojin-infos/0")


def test_gbizinfo_and_nta_state_the_same_facts_in_the_same_terms() -> None:
    """The two sources merge: official name, address, kana, English name, type and postcode are identical."""
    _, gbiz, _ = map_file(G, BASIC)
    _, nta, _ = map_file(houjin, NTA_HITACHI)
    for prop in ("officialName", "officialNameKana", "officialNameEn", "corporateType", "postCode", "corporateNumber"):
        assert objects(gbiz, CORP, CBKG + prop) == objects(nta, CORP, CBKG + prop), prop
    assert objects(gbiz, CORP, CBKG + "address") <= objects(nta, CORP, CBKG + "address")


def test_unmapped_basic_fields_are_reported_as_info() -> None:
    found = issues(BASIC)
    assert {i.severity for i in found} == {"info"}
    columns = {i.column for i in found if i.code == "field-not-mapped"}
    assert "/hojin-infos/*/business_items" in columns and "/hojin-infos/*/qualification_grade" in columns
    assert "/hojin-infos/*/founding_year" not in columns  # null: nothing to report


def test_null_strings_and_json_nulls_are_missing_values(tmp_path: Path) -> None:
    obj = json.loads(BASIC.read_text(encoding="utf-8"))
    info = obj["hojin-infos"][0]
    info.update(
        {
            "close_date": "Null",
            "close_cause": "Null",
            "company_url": "Null",
            "qualification_grade": "Null",
            "capital_stock": "Null",
            "employee_number": None,
            "representative_name": "Null",
            "kana": "Null",
        }
    )
    p = write_json(tmp_path, "basic-nulls.json", obj)
    (corp,) = [r for r in records(p) if isinstance(r, G.GbizCorporation)]
    assert corp.close_date is None and corp.close_cause is None and corp.url is None
    assert corp.capital is None and corp.employees is None and corp.representative_name is None and corp.kana is None
    assert not [i for i in issues(p) if i.severity != "info"]
    assert "/hojin-infos/*/qualification_grade" not in {i.column for i in issues(p)}
    _, decl, _ = map_file(G, p)
    for prop in ("closeDate", "closeCause", "capitalStock", "employeeCount", "representativeName", "officialNameKana"):
        assert not objects(decl, CORP, CBKG + prop), prop
    assert not objects(decl, CORP, FOAF + "homepage")
    assert not [o for _, _, o in decl if isinstance(o, Literal) and o.lex == "Null"]


def test_bad_basic_values_are_load_issues_with_pointer_and_raw_value(tmp_path: Path) -> None:
    obj = json.loads(BASIC.read_text(encoding="utf-8"))
    obj["hojin-infos"][0].update(
        {"capital_stock": "四億円", "date_of_establishment": "1920-02-30", "company_url": "www.hitachi", "kind": "777"}
    )
    found = {(i.code, i.column, i.value) for i in issues(write_json(tmp_path, "bad.json", obj))}
    assert ("bad-amount", "/hojin-infos/0/capital_stock", "四億円") in found
    assert ("bad-date", "/hojin-infos/0/date_of_establishment", "1920-02-30") in found
    assert ("bad-url", "/hojin-infos/0/company_url", "www.hitachi") in found
    assert ("unknown-code", "/hojin-infos/0/kind", "777") in found


# -- subsidies and procurement -------------------------------------------------------------------------------------
def test_subsidies_become_government_subsidy_nodes() -> None:
    data, decl, _ = map_file(G, SUBSIDY)
    nodes = {s for s, p, o in data if o == CBKG + "GovernmentSubsidy"}
    assert len(nodes) == 5
    node = f"{CORP}/gbiz-subsidy/2022_04_17_20230626_00000038"
    assert node in nodes
    assert objects(data, node, CBKG + "amount") == {Literal("76846429", XSD + "decimal")}
    assert not objects(data, node, CBKG + "sourceFigure")  # the string "76846429" is already canonical
    assert objects(data, node, CBKG + "approvalDate") == {Literal("2022-04-01", XSD + "date")}
    assert objects(data, node, CBKG + "payee") == {CORP}
    assert objects(data, node, CBKG + "awardingOrganizationAsWritten") == {Literal("資源エネルギー庁", None, "ja")}
    assert objects(data, node, CBKG + "awardingOrganization") == {"https://w3id.org/cbkg/id/org/enecho"}
    assert objects(data, node, DCTERMS + "identifier") == {Literal("2022_04_17_20230626_00000038")}
    (derived,) = objects(data, node, PROV + "wasDerivedFrom")
    assert derived.endswith("#/hojin-infos/0/subsidy/0")
    fourth = f"{CORP}/gbiz-subsidy/2022_04_15_20230626_00014653"
    assert {o for o in objects(data, fourth, PROV + "wasDerivedFrom")} == {derived.replace("subsidy/0", "subsidy/3")}
    total = sum(Decimal(o.lex) for s, p, o in data if p == CBKG + "amount")
    assert total == 76846429 + 547500 + 348000 + 250000 + 190201119
    mhlw = {s for s, p, o in data if p == CBKG + "awardingOrganization" and o.endswith("/org/mhlw")}
    assert len(mhlw) == 3
    assert objects(decl, CORP, CBKG + "corporateNumber") == {Literal("7010001008844")}


def test_procurement_amount_is_a_number_and_unknown_bodies_stay_as_written() -> None:
    data, _, _ = map_file(G, PROCUREMENT)
    node = f"{CORP}/gbiz-procurement/2021_03_17_20210830_00000025"
    assert (node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", CBKG + "GovernmentProcurement") in set(data)
    assert objects(data, node, CBKG + "amount") == {Literal("75170700", XSD + "decimal")}
    assert objects(data, node, CBKG + "orderDate") == {Literal("2021-05-21", XSD + "date")}
    nedo = "国立研究開発法人新エネルギー・産業技術総合開発機構"
    assert objects(data, node, CBKG + "awardingOrganizationAsWritten") == {Literal(nedo, None, "ja")}
    assert not objects(data, node, CBKG + "awardingOrganization")  # not a 府省庁 of the register


def test_amounts_are_exact_and_the_figure_as_written_is_kept(tmp_path: Path) -> None:
    obj = json.loads(SUBSIDY.read_text(encoding="utf-8"))
    items = obj["hojin-infos"][0]["subsidy"]
    items[0]["amount"] = "1,234,567"
    items[1]["amount"] = "Null"
    items[2]["amount"] = "abc"
    items[3]["amount"] = None
    p = tmp_path / "amounts.json"
    text = json.dumps(obj, ensure_ascii=False).replace('"amount": "190201119"', '"amount": 190201119.50')
    p.write_text(text, encoding="utf-8")
    data, _, found = map_file(G, p)
    first = f"{CORP}/gbiz-subsidy/2022_04_17_20230626_00000038"
    assert objects(data, first, CBKG + "amount") == {Literal("1234567", XSD + "decimal")}
    assert objects(data, first, CBKG + "sourceFigure") == {Literal("1,234,567")}
    assert not objects(data, f"{CORP}/gbiz-subsidy/2022_04_15_20230626_00012834", CBKG + "amount")
    last = f"{CORP}/gbiz-subsidy/2022_04_17_20230626_00000117"
    assert objects(data, last, CBKG + "amount") == {Literal("190201119.5", XSD + "decimal")}  # never a float
    bad = [(i.code, i.column, i.value) for i in found if i.severity != "info"]
    assert bad == [("bad-amount", "/hojin-infos/0/subsidy/2/amount", "abc")]


def test_the_empty_subsidy_response_loads_with_no_records_and_no_error() -> None:
    assert records(EMPTY) == []
    data, decl, found = map_file(G, EMPTY)
    assert data == [] and decl == [] and found == []
    u = G.units(EMPTY)[0]
    assert G.graph_key(u, u.head()) == "gbizinfo/subsidy/1180301018771"


def test_patents_are_counted_not_mapped() -> None:
    (only,) = records(PATENT)
    assert isinstance(only, LoadIssue)
    assert (only.code, only.severity, only.value) == ("not-mapped", "info", "2")


@pytest.mark.parametrize("path", [SEARCH, SEARCH_MINISTRY], ids=["by-number", "by-ministry"])
def test_search_responses_give_one_info_issue(path: Path) -> None:
    (only,) = records(path)
    assert isinstance(only, LoadIssue) and (only.code, only.severity) == ("not-mapped", "info")
    _, decl, _ = map_file(G, path)
    assert decl == []


def test_api_errors_are_reported(tmp_path: Path) -> None:
    p = write_json(
        tmp_path,
        "err.json",
        {"id": None, "errors": [{"item": "x", "message": "bad"}], "message": "400", "hojin-infos": None},
    )
    found = issues(p)
    assert [(i.code, i.severity) for i in found] == [("api-error", "error")]


def test_malformed_json_is_refused_by_name(tmp_path: Path) -> None:
    p = tmp_path / "cut.json"
    p.write_bytes(SUBSIDY.read_bytes()[:300])
    with pytest.raises(LoaderError):
        records(p)


# -- detection and keys ---------------------------------------------------------------------------------------------
GBIZ_FILES = sorted(p for p in DATA.glob("*.json") if p.name != "MANIFEST.json")
OTHER_FILES = [
    *sorted(RS_SAMPLE.glob("*.csv"))[:3],
    *sorted(p for p in (ROOT / "data" / "houjin").iterdir() if p.suffix in (".csv", ".xml")),
    ROOT / "data" / "laws" / "426AC1000000104.json",
    ROOT / "data" / "laws" / "law_data.415AC0000000057.trimmed.2026-07-10.json",
    DATA / "MANIFEST.json",
    ROOT / "data" / "houjin" / "MANIFEST.json",
]


@pytest.mark.parametrize("path", GBIZ_FILES, ids=[p.name for p in GBIZ_FILES])
def test_gbizinfo_recognises_its_responses_by_content_and_no_other_loader_does(tmp_path: Path, path: Path) -> None:
    renamed = tmp_path / "response.txt"
    renamed.write_bytes(path.read_bytes())
    u = SourceUnit(renamed)
    assert G.detect(u, u.head())
    for other in (rs_csv, egov_law, houjin):
        assert not other.detect(u, u.head()), other.NAME


@pytest.mark.parametrize("path", OTHER_FILES, ids=[p.name for p in OTHER_FILES])
def test_gbizinfo_does_not_recognise_other_sources(path: Path) -> None:
    u = SourceUnit(path)
    assert not G.detect(u, u.head())


def test_kind_is_recognised_from_content_and_keys_the_graph() -> None:
    keys = {}
    for p in GBIZ_FILES:
        u = G.units(p)[0]
        keys[p.name.split(".")[0] + ("-empty" if "empty" in p.name else "")] = G.graph_key(u, u.head())
    assert keys["basic"] == "gbizinfo/basic/7010001008844"
    assert keys["subsidy"] == "gbizinfo/subsidy/7010001008844"
    assert keys["procurement"] == "gbizinfo/procurement/7010001008844"
    assert keys["patent"] == "gbizinfo/patent/7010001008844"
    assert keys["search"].startswith("gbizinfo/search/sha-")
    every = [G.graph_key(u, u.head()) for p in GBIZ_FILES for u in G.units(p)]
    assert len(set(every)) == len(GBIZ_FILES) == 7  # the two searches are keyed by content
