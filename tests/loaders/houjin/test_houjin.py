"""Targeted tests of the ``houjin`` loader: the real NTA samples, encodings, history, bad values, detection."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import loaders.egov_law as egov_law
import loaders.gbizinfo as gbizinfo
import loaders.houjin as H
import loaders.rs_csv as rs_csv
from loaders.base import LoaderError, LoadIssue, SourceUnit
from ontology.namespaces import CBKG, PROV, SKOS
from ontology.terms import Literal, Triple
from tests.conftest import ROOT, RS_SAMPLE, map_file

DATA = ROOT / "data" / "houjin"
HITACHI = DATA / "num.7010001008844.2026-07-10.xml"
NUM0_SJIS, NUM0_UTF8, NUM0_XML = DATA / "num_0_ver4_c2.csv", DATA / "num_0_ver4_c4.csv", DATA / "num_0_ver4_x4.xml"
HISTORY = DATA / "num_1_ver4_x4.xml"
NAME_CSV, NAME_XML = DATA / "name_ver4_c4.csv", DATA / "name_ver4_x4.xml"
DIFF_SJIS, DIFF_XML = DATA / "diff_20190404_ver4_c2.csv", DATA / "diff_20190404_ver4_x4.xml"


def records(path: Path) -> list:
    return list(H.parse(H.units(path)[0]))


def corporations(path: Path) -> list[H.NtaCorporation]:
    return [r for r in records(path) if isinstance(r, H.NtaCorporation)]


def issues(path: Path) -> list[LoadIssue]:
    return [r for r in records(path) if isinstance(r, LoadIssue)]


def objects(triples: list[Triple], s: str, p: str) -> set:
    return {o for s_, p_, o in triples if s_ == s and p_ == p}


def write(tmp_path: Path, name: str, data: str | bytes, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return p


CORP = "https://w3id.org/cbkg/id/corporation/"
OFFICIAL = CBKG + "officialName"
ADDRESS = CBKG + "address"
ALT = SKOS + "altLabel"


# -- the real response for 株式会社日立製作所 -------------------------------------------------------------------
def test_hitachi_official_name_and_address_from_the_real_nta_response() -> None:
    data, decl, found = map_file(H, HITACHI)
    corp = CORP + "7010001008844"
    assert objects(decl, corp, OFFICIAL) == {Literal("株式会社日立製作所", None, "ja")}
    assert objects(decl, corp, ADDRESS) == {
        Literal("東京都千代田区丸の内１丁目６番６号", None, "ja"),
        Literal("6-6, Marunouchi 1-chome, Chiyoda-ku, Tokyo", None, "en"),
    }
    assert objects(decl, corp, CBKG + "officialNameEn") == {Literal("Hitachi, Ltd.", None, "en")}
    assert objects(decl, corp, CBKG + "officialNameKana") == {Literal("ヒタチセイサクショ", None, "ja-Kana")}
    assert objects(decl, corp, CBKG + "corporateNumber") == {Literal("7010001008844")}
    assert objects(decl, corp, CBKG + "corporateType") == {"https://w3id.org/cbkg/code/corporate-type/301"}
    assert objects(decl, corp, CBKG + "postCode") == {Literal("1000005")}
    assert objects(decl, corp, CBKG + "prefectureCode") == {Literal("13")}
    assert objects(decl, corp, CBKG + "assignmentDate") == {
        Literal("2015-10-05", "http://www.w3.org/2001/XMLSchema#date")
    }
    assert objects(decl, corp, CBKG + "ntaUpdateDate") == {
        Literal("2018-05-11", "http://www.w3.org/2001/XMLSchema#date")
    }
    types = objects(decl, corp, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert types == {CBKG + "Payee", "http://www.w3.org/ns/org#FormalOrganization"}
    assert found == []  # a clean response: no load issue at all
    # the data graph: one NTA record, derived from its XML element
    (rec,) = [s for s, p, o in data if p == CBKG + "corporation" and o == corp]
    derived = objects(data, rec, PROV + "wasDerivedFrom")
    assert len(derived) == 1 and next(iter(derived)).endswith("#xpointer(/corporations/corporation%5B1%5D)")
    assert objects(data, rec, CBKG + "streetAddress") == {Literal("丸の内１丁目６番６号", None, "ja")}


def test_the_response_line_describes_the_source_file() -> None:
    data, _, _ = map_file(H, NAME_CSV)
    src = next(s for s, p, o in data if p == CBKG + "declaredRecordCount")
    assert objects(data, src, CBKG + "declaredRecordCount") == {
        Literal("10", "http://www.w3.org/2001/XMLSchema#integer")
    }
    assert objects(data, src, CBKG + "lastUpdateDate") == {
        Literal("2017-05-10", "http://www.w3.org/2001/XMLSchema#date")
    }
    assert objects(data, src, CBKG + "divideSize") == {Literal("1", "http://www.w3.org/2001/XMLSchema#integer")}


# -- encodings and forms ---------------------------------------------------------------------------------------
def test_shift_jis_and_utf8_csv_and_xml_give_the_same_declarations() -> None:
    decls = [set(map_file(H, p)[1]) for p in (NUM0_SJIS, NUM0_UTF8, NUM0_XML)]
    assert decls[0] == decls[1] == decls[2]
    assert Literal("株式会社検索対象除外", None, "ja") in {o for _, p, o in decls[0] if p == OFFICIAL}
    assert set(map_file(H, DIFF_SJIS)[1]) == set(map_file(H, DIFF_XML)[1])
    assert set(map_file(H, NAME_CSV)[1]) == set(map_file(H, NAME_XML)[1])


def test_cp932_is_detected_from_the_bytes_and_reported_as_info() -> None:
    sjis = [i for i in issues(NUM0_SJIS) if i.code == "cp932"]
    assert len(sjis) == 1 and sjis[0].severity == "info"
    assert not [i for i in issues(NUM0_UTF8) if i.code == "cp932"]
    (resp,) = [r for r in records(NUM0_SJIS) if isinstance(r, H.NtaResponse)]
    assert (resp.format, resp.encoding, resp.count) == ("csv", "cp932", 1)


def test_the_same_record_in_three_forms_gets_three_file_specific_nodes() -> None:
    """No triple of a data graph is repeated in another file's graph, even for the same NTA record."""
    datas = [set(map_file(H, p)[0]) for p in (NUM0_SJIS, NUM0_UTF8, NUM0_XML)]
    assert not datas[0] & datas[1] and not datas[1] & datas[2] and not datas[0] & datas[2]


def test_csv_records_point_to_their_rfc7111_row() -> None:
    data, _, _ = map_file(H, NAME_CSV)
    corp = CORP + "3040001999901"
    (rec,) = [s for s, p, o in data if p == CBKG + "corporation" and o == corp]
    (derived,) = objects(data, rec, PROV + "wasDerivedFrom")
    assert derived.endswith("#row=11")  # the response line is row 1, the 10th record row 11


def test_fields_follow_the_official_ver4_column_order() -> None:
    (rec,) = corporations(DIFF_SJIS)
    assert len(H.FIELDS) == 30
    assert rec.raw["sequenceNumber"] == "1" and rec.number == "4111101000007"
    assert rec.process == "12" and rec.correct is False and rec.kind == "301"
    assert rec.raw["prefectureCode"] == "13" and rec.raw["cityCode"] == "101" and rec.raw["postCode"] == "1010052"
    assert rec.assignment_date.isoformat() == "2015-10-05" and rec.latest is True and rec.excluded is True
    xml = corporations(DIFF_XML)[0]
    assert rec.raw == xml.raw  # the XML element names are the CSV column names


# -- history -----------------------------------------------------------------------------------------------------
def _history(tmp_path: Path, reverse: bool = False) -> Path:
    """num_1 (history=1) with a name change: record 1 keeps the former name, a process-11 record is added."""
    text = HISTORY.read_text(encoding="utf-8")
    head, _, rest = text.partition("<corporation>")
    first, _, rest = rest.partition("</corporation>")
    second, _, tail = rest.partition("</corporation>")
    second = second.removeprefix("<corporation>")
    name = "株式会社検索対象除外のち所在地変更により検索対象"
    old = first.replace(name, "株式会社旧商号")
    renamed = (
        first.replace("<sequenceNumber>1<", "<sequenceNumber>2<")
        .replace("<process>01<", "<process>11<")
        .replace("<changeDate>2015-10-05<", "<changeDate>2017-06-01<")
    )
    latest = second.replace("<sequenceNumber>2<", "<sequenceNumber>3<")
    parts = [old, renamed, latest]
    if reverse:
        parts.reverse()
    body = "".join(f"<corporation>{p}</corporation>" for p in parts)
    return write(tmp_path, "history.xml", head.replace("<count>2<", "<count>3<") + body + tail)


@pytest.mark.parametrize("reverse", [False, True], ids=["oldest-first", "latest-first"])
def test_history_keeps_all_names_and_the_latest_record_wins(tmp_path: Path, reverse: bool) -> None:
    data, decl, found = map_file(H, _history(tmp_path, reverse))
    corp = CORP + "4111101000007"
    name = "株式会社検索対象除外のち所在地変更により検索対象"
    assert objects(decl, corp, ALT) == {Literal("株式会社旧商号", None, "ja"), Literal(name, None, "ja")}
    assert objects(decl, corp, OFFICIAL) == {Literal(name, None, "ja")}
    # the older records (former street, former postcode) never overwrite the latest one
    assert objects(decl, corp, ADDRESS) == {Literal("東京都千代田区神田小川町１丁目２０番地", None, "ja")}
    assert objects(decl, corp, CBKG + "postCode") == {Literal("1010052")}
    assert objects(decl, corp, CBKG + "nameChangeDate") == {
        Literal("2017-06-01", "http://www.w3.org/2001/XMLSchema#date")
    }
    # every record stays in the data graph, as written
    recs = {s for s, p, o in data if p == CBKG + "corporation" and o == corp}
    assert len(recs) == 3
    latest = {
        s
        for s in recs
        if (s, CBKG + "ntaLatest", Literal("true", "http://www.w3.org/2001/XMLSchema#boolean")) in set(data)
    }
    assert len(latest) == 1
    assert not [i for i in found if i.severity != "info"]


def test_real_history_response_latest_record_gives_the_current_address() -> None:
    recs = corporations(HISTORY)
    assert [(r.ordinal, r.latest, r.current) for r in recs] == [(1, False, False), (2, True, True)]
    _, decl, _ = map_file(H, HISTORY)
    assert objects(decl, CORP + "4111101000007", ADDRESS) == {
        Literal("東京都千代田区神田小川町１丁目２０番地", None, "ja")
    }


def test_a_record_not_flagged_latest_only_declares_its_name() -> None:
    _, decl, found = map_file(H, NAME_CSV)
    corp = CORP + "7040001999906"  # the sample's only record with latest=0
    assert objects(decl, corp, ALT) == {Literal("株式会社国税商事亜亜亜", None, "ja")}
    assert not objects(decl, corp, OFFICIAL) and not objects(decl, corp, ADDRESS)
    assert [i.value for i in found if i.code == "no-current-record"] == ["7040001999906"]


def test_two_records_flagged_latest_the_newest_wins_with_a_warning(tmp_path: Path) -> None:
    lines = NAME_CSV.read_text(encoding="utf-8").splitlines()
    newer = lines[1].replace("2015-12-01", "2016-01-01").replace("中央４丁目５番８号", "中央１丁目１番１号")
    p = write(tmp_path, "twice.csv", "\n".join([lines[0].replace(",10,", ",2,"), newer, lines[1]]) + "\n")
    _, decl, found = map_file(H, p)
    assert objects(decl, CORP + "2040001999902", ADDRESS) == {
        Literal("千葉県千葉市中央区中央１丁目１番１号", None, "ja")
    }
    assert [i.code for i in found if i.severity == "warning"] == ["several-current-records"]


# -- bad values ------------------------------------------------------------------------------------------------
def test_a_csv_row_with_a_bad_check_digit_is_a_load_issue(tmp_path: Path) -> None:
    text = NAME_CSV.read_text(encoding="utf-8").replace("2040001999902", "9040001999902", 1)
    p = write(tmp_path, "bad.csv", text)
    recs = records(p)
    numbers = [r.number for r in recs if isinstance(r, H.NtaCorporation)]
    assert len(numbers) == 9 and "9040001999902" not in numbers
    (bad,) = [r for r in recs if isinstance(r, LoadIssue) and r.code == "bad-corpno"]
    assert (bad.severity, bad.row, bad.line, bad.column, bad.value) == (
        "error",
        2,
        2,
        "corporateNumber",
        "9040001999902",
    )
    assert "check digit mismatch" in bad.reason
    data, decl, _ = map_file(H, p)
    assert not [t for t in decl if "9040001999902" in t[0]]
    assert any(p_ == CBKG + "rawValue" and o == Literal("9040001999902") for _, p_, o in data)


def test_bad_values_are_load_issues_with_location_and_raw_value(tmp_path: Path) -> None:
    lines = NUM0_UTF8.read_text(encoding="utf-8").splitlines()
    row = (
        lines[1]
        .replace(",01,1,2019-04-03,", ",7,1,2019-04-31,")
        .replace(",301,", ",999,")
        .replace(",,,,,,,2015-10-05,", ",,,2020-01-01,42,123,,2015-10-05,")
    )
    p = write(tmp_path, "bad-values.csv", "\n".join([lines[0], row, "1,2,3", ""]) + "\n")
    found = {(i.code, i.column, i.value) for i in issues(p)}
    assert ("unknown-code", "process", "7") in found
    assert ("bad-date", "updateDate", "2019-04-31") in found
    assert ("unknown-code", "kind", "999") in found
    assert ("unknown-code", "closeCause", "42") in found
    assert ("bad-corpno", "successorCorporateNumber", "123") in found
    assert ("column-count", None, "1,2,3") in found
    assert ("count-mismatch", "count", "1") in found  # 1 declared, 2 record rows
    (rec,) = corporations(p)
    assert rec.update_date is None and rec.raw["updateDate"] == "2019-04-31"  # kept as written, not typed
    _, decl, _ = map_file(H, p)
    corp = CORP + "5111101000006"
    assert objects(decl, corp, CBKG + "closeDate") == {Literal("2020-01-01", "http://www.w3.org/2001/XMLSchema#date")}
    assert not objects(decl, corp, CBKG + "corporateType") and not objects(decl, corp, CBKG + "closeCause")


def test_close_cause_and_successor_are_declared(tmp_path: Path) -> None:
    lines = NUM0_UTF8.read_text(encoding="utf-8").splitlines()
    row = lines[1].replace(",,,,,,,2015-10-05,", ",,,2020-01-01,11,7010001008844,合併,2015-10-05,")
    _, decl, found = map_file(H, write(tmp_path, "closed.csv", f"{lines[0]}\n{row}\n"))
    corp = CORP + "5111101000006"
    assert objects(decl, corp, CBKG + "closeCause") == {"https://w3id.org/cbkg/code/close-cause/11"}
    assert objects(decl, corp, CBKG + "successor") == {CORP + "7010001008844"}
    assert not [i for i in found if i.severity != "info"]


def test_a_bad_byte_sequence_only_costs_its_record(tmp_path: Path) -> None:
    raw = NAME_CSV.read_bytes().replace("株式会社国税商事井".encode(), b"\xff\xfe", 1)
    found = issues(write(tmp_path, "bytes.csv", raw))
    assert [(i.code, i.row) for i in found if i.severity == "error"] == [("bad-encoding", 3)]
    assert len(corporations(tmp_path / "bytes.csv")) == 9


def test_truncated_xml_keeps_the_records_read_and_reports_the_rest(tmp_path: Path) -> None:
    text = NAME_XML.read_text(encoding="utf-8")
    cut = text[: text.index("<corporation><sequenceNumber>4<") + 60]
    p = write(tmp_path, "cut.xml", cut)
    assert len(corporations(p)) == 3
    codes = [i.code for i in issues(p)]
    assert "malformed-xml" in codes and "count-mismatch" in codes


def test_xml_refuses_a_dtd(tmp_path: Path) -> None:
    text = NUM0_XML.read_text(encoding="utf-8").replace(
        "<corporations>", '<!DOCTYPE corporations [<!ENTITY x "y">]><corporations>', 1
    )
    with pytest.raises(LoaderError):
        records(write(tmp_path, "dtd.xml", text))


def test_bulk_download_csv_without_response_line_and_zip(tmp_path: Path) -> None:
    lines = NAME_CSV.read_text(encoding="utf-8").splitlines()[1:]
    p = write(tmp_path, "13_tokyo_all_20240329.csv", "\r\n".join(lines) + "\r\n")
    u = H.units(p)[0]
    assert H.detect(u, u.head())
    recs = records(p)
    assert isinstance(recs[0], H.NtaResponse) and recs[0].count is None
    assert len([r for r in recs if isinstance(r, H.NtaCorporation)]) == 10
    assert corporations(p)[0].fragment == "row=1"  # no response line: the first record is row 1
    z = tmp_path / "13_tokyo_all_20240329.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(p, p.name)
    (member,) = H.units(z)
    assert member.member == p.name and H.detect(member, member.head())
    assert len([r for r in H.parse(member) if isinstance(r, H.NtaCorporation)]) == 10


def test_an_empty_response_loads_with_no_records(tmp_path: Path) -> None:
    p = write(tmp_path, "empty.csv", "2024-01-01,0,1,1\r\n")
    u = H.units(p)[0]
    assert H.detect(u, u.head())
    recs = records(p)
    assert len(recs) == 1 and isinstance(recs[0], H.NtaResponse) and recs[0].count == 0


# -- detection and keys ------------------------------------------------------------------------------------------
NTA_FILES = sorted(p for p in DATA.iterdir() if p.suffix in (".csv", ".xml"))
OTHER_FILES = [
    *sorted(RS_SAMPLE.glob("*.csv"))[:3],
    *sorted((ROOT / "data" / "gbizinfo").glob("*.json")),  # with MANIFEST.json
    ROOT / "data" / "laws" / "426AC1000000104.json",
    ROOT / "tests" / "loaders" / "egov_law" / "sample" / "415AC0000000057_20260624_508AC0000000046.xml",
]


@pytest.mark.parametrize("path", NTA_FILES, ids=[p.name for p in NTA_FILES])
def test_houjin_recognises_nta_files_by_content_and_no_other_loader_does(tmp_path: Path, path: Path) -> None:
    renamed = write(tmp_path, "download.bin", path.read_bytes())  # the name says nothing
    u = SourceUnit(renamed)
    assert H.detect(u, u.head())
    for other in (rs_csv, egov_law, gbizinfo):
        assert not other.detect(u, u.head()), other.NAME


@pytest.mark.parametrize("path", OTHER_FILES, ids=[p.name for p in OTHER_FILES])
def test_houjin_does_not_recognise_other_sources(path: Path) -> None:
    u = SourceUnit(path)
    assert not H.detect(u, u.head())


def test_graph_keys_are_date_and_content_keyed() -> None:
    u = H.units(HITACHI)[0]
    key = H.graph_key(u, u.head())
    assert key == f"houjin/2026-07-10/{u.sha256()[:12]}"
    keys = {H.graph_key(x, x.head()) for p in NTA_FILES for x in H.units(p)}
    assert len(keys) == len(NTA_FILES)  # the three forms of one response do not replace one another


def test_map_is_pure_and_deterministic() -> None:
    a = map_file(H, HISTORY)
    b = map_file(H, HISTORY)
    assert a[0] == b[0] and a[1] == b[1]
