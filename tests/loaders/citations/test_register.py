"""The law register (ontology/registers/laws.ttl): generation, content and lookups."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from loaders.citations import consistent, parse_law_number
from ontology.laws import LawRegister, law_register, normalise_name

ROOT = Path(__file__).resolve().parents[3]
LAWS_TTL = ROOT / "ontology" / "registers" / "laws.ttl"
CS = "426AC1000000104"


@pytest.fixture(scope="module")
def reg() -> LawRegister:
    return law_register()


def test_committed_register_is_up_to_date() -> None:
    sys.path.insert(0, str(ROOT))
    from tools.build_law_register import build

    assert build() == LAWS_TTL.read_text(encoding="utf-8"), "regenerate with tools/build_law_register.py"


def test_register_resolves_against_the_base_iri() -> None:
    base = "https://example.org/kg/"
    quads = list(ox.parse(path=str(LAWS_TTL), base_iri=base))
    subjects = {q.subject.value for q in quads if q.predicate.value.endswith("#type")}
    assert f"{base}id/law/{CS}" in subjects
    assert all(s.startswith(base + "id/law/") for s in subjects)


def test_register_content(reg: LawRegister, rows_1_3: list[dict[str, str]]) -> None:
    from loaders.common import split_law_id
    from loaders.normalize import nfkc

    ids = {ref[0] for r in rows_1_3 if r["法令ID"].strip() and (ref := split_law_id(nfkc(r["法令ID"].strip())))}
    raw = {r["法令ID"].strip() for r in rows_1_3 if r["法令ID"].strip()}
    assert len(raw) == 926  # distinct 法令ID cells, incl. 法令履歴IDs and junk (IDなし, law numbers …)
    assert len(ids) == len(reg) == 909
    assert set(reg.entries) == ids
    e = reg.entry(CS)
    assert e is not None
    assert (e.title, e.number, e.era, e.year, e.serial, e.law_type) == (
        "サイバーセキュリティ基本法", "平成二十六年法律第百四号", "平成", 2014, 104, "act",
    )  # fmt: skip
    assert reg.title("419CO0000000124") == "特別会計に関する法律施行令"
    assert reg.number("419CO0000000124") == "平成十九年政令第百二十四号"
    assert reg.entry("332M50400000002").law_type == "rule"  # 国家公安委員会規則 (犯罪捜査規範)
    titles = [x.title for x in reg.entries.values()]
    assert all(titles) and len(set(titles)) == len(titles)  # every law has a title, no two share one
    for law_id, x in reg.entries.items():  # numbers are always consistent with the ID
        if x.number:
            assert consistent(parse_law_number(x.number), law_id), law_id
    assert sum(1 for x in reg.entries.values() if x.number) >= 905


def test_abbreviations_are_hidden_labels(reg: LawRegister) -> None:
    text = LAWS_TTL.read_text(encoding="utf-8")
    assert re.search(r'<id/law/419AC0000000023>[^.]*skos:hiddenLabel "特会法"@ja', text)
    assert reg.resolve("特会法") == ("419AC0000000023", "abbreviation", 0.95)
    assert reg.resolve("補助金適正化法") == ("330AC0000000179", "abbreviation", 0.95)
    assert reg.resolve("個人情報保護法") == ("415AC0000000057", "abbreviation", 0.95)
    assert reg.resolve("CS基本法") == (CS, "abbreviation", 0.95)
    assert reg.resolve("ＣＳ基本法") == (CS, "abbreviation", 0.95)
    assert reg.resolve("薬事法") == ("335AC0000000145", "abbreviation", 0.95)  # former title


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("サイバーセキュリティ基本法", (CS, "exact", 1.0)),
        ("ｻｲﾊﾞｰｾｷｭﾘﾃｨ基本法", (CS, "exact", 1.0)),
        ("サイバーセキュリティ　基本法", (CS, "normalised", 0.9)),
        ("②サイバーセキュリティ基本法", (CS, "normalised", 0.9)),
        ("「サイバーセキュリティ基本法」", (CS, "normalised", 0.9)),
        ("サイバーセキュリティ基本法（平成26年法律第104号）", (CS, "normalised", 0.9)),
        ("サイバーセキュリティ基本法施行令", ("426CO0000000400", "exact", 1.0)),
        ("サイバーセキュリティ基本法第16条", (CS, "prefix", 0.7)),
        ("外務省組織例", ("412CO0000000249", "normalised", 0.9)),  # typo table
        ("外務組織令", ("412CO0000000249", "normalised", 0.9)),
        ("官庁施設の建設等に関する法律", ("326AC1000000181", "normalised", 0.9)),
        ("気象業務法気象業務法", ("327AC0000000165", "normalised", 0.9)),
        ("平成１３年改正前の自動車損害賠償保障法", ("330AC0000000097", "normalised", 0.9)),
        ("こどもの貧困の解消に向けた対策の推進に関する法律", ("425AC1000000064", "exact", 1.0)),  # new title
        ("消防法第３章\u3000等", ("323AC1000000186", "prefix", 0.7)),
        ("サイバーセキュリティ基本法施行規則", None),  # not in the register; never the 法律
        ("サイバーセキュリティ", None),
        ("サイバー", None),
        ("金融サービスの提供及び利用環境の整備等に関する法律", None),  # cited without ID only
        ("基本法", None),
        ("", None),
        ("   ", None),
    ],
)
def test_resolve(reg: LawRegister, name: str, expected: tuple[str, str, float] | None) -> None:
    assert reg.resolve(name) == expected


def test_resolve_number(reg: LawRegister) -> None:
    assert reg.resolve_number(2014, "法律", 104) == CS
    assert reg.resolve_number(2007, "政令", 124) == "419CO0000000124"
    assert reg.resolve_number(2001, "総務省令", 1) == "413M60000008001"
    assert reg.resolve_number(2014, "法律", 9999) is None


def test_normalise_name() -> None:
    assert normalise_name("・「特別会計に関する法律」（平成十九年法律第二十三号）等") == "特別会計に関する法律"
    assert normalise_name("外務省組織例") == "外務省組織令"


def test_ambiguous_labels_do_not_resolve() -> None:
    from ontology.laws import LawEntry

    entries = {
        "A": LawEntry("A", "甲法", frozenset({"乙法"})),
        "B": LawEntry("B", "丙法", frozenset({"乙法"})),
    }
    reg = LawRegister(entries, {"甲法": frozenset({"A"}), "乙法": frozenset({"A", "B"})}, {}, {}, {})
    assert reg.resolve("甲法") == ("A", "exact", 1.0)
    assert reg.resolve("乙法") is None
