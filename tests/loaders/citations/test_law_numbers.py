"""法令番号 parsing, e-Gov 法令ID layout and their consistency."""

from __future__ import annotations

import pytest

from loaders.citations import LawNumber, consistent, law_id_parts, law_type, parse_law_id, parse_law_number
from loaders.normalize import NormalizeError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("平成二十六年法律第百四号", LawNumber("平成", 26, 2014, "法律", 104)),
        ("令和三年法律第三十六号", LawNumber("令和", 3, 2021, "法律", 36)),
        ("平成十三年総務省令第一号", LawNumber("平成", 13, 2001, "総務省令", 1)),
        ("平成十九年政令第百二十四号", LawNumber("平成", 19, 2007, "政令", 124)),
        ("昭和二十二年法律第六十七号", LawNumber("昭和", 22, 1947, "法律", 67)),
        ("平成14年12月13日法律第151号", LawNumber("平成", 14, 2002, "法律", 151)),
        ("平成１１年法律第１０３号", LawNumber("平成", 11, 1999, "法律", 103)),
        ("（平成25年法律105号）", LawNumber("平成", 25, 2013, "法律", 105)),
        ("令和2年3月27日_厚生労働省令第44号", LawNumber("令和", 2, 2020, "厚生労働省令", 44)),
        ("令和元年法律第十九号", LawNumber("令和", 1, 2019, "法律", 19)),
        ("大正十五年勅令第二百四十三号", LawNumber("大正", 15, 1926, "勅令", 243)),
        ("明治二十九年法律第八十九号", LawNumber("明治", 29, 1896, "法律", 89)),
        ("昭和二十六年文部省・厚生省令第一号", LawNumber("昭和", 26, 1951, "文部省・厚生省令", 1)),
        ("昭和三十二年国家公安委員会規則第二号", LawNumber("昭和", 32, 1957, "国家公安委員会規則", 2)),
        ("令和四年条約第二号", LawNumber("令和", 4, 2022, "条約", 2)),
    ],
)
def test_parse_law_number(text: str, expected: LawNumber) -> None:
    assert parse_law_number(text) == expected


@pytest.mark.parametrize(
    "text",
    ["明治十九年勅令", "平成十九年第三十号", "89", "第97号", "令和六年五月十七日 施行", "平成十一年法率第九十一号",
     "平成32年法律第1号", "平成14年2月30日法律第1号", "平成二十六年法律第〇号", ""],
)  # fmt: skip
def test_parse_law_number_rejects(text: str) -> None:
    with pytest.raises(NormalizeError):
        parse_law_number(text)


@pytest.mark.parametrize(
    ("law_id", "parts"),
    [
        ("426AC1000000104", ("平成", 26, "AC", 104)),  # 衆法 (proposer 10)
        ("503AC0000000036", ("令和", 3, "AC", 36)),  # 閣法 (00)
        ("413AC0100000031", ("平成", 13, "AC", 31)),  # 参法 (01)
        ("419CO0000000124", ("平成", 19, "CO", 124)),
        ("215IO0000000243", ("大正", 15, "IO", 243)),
        ("413M60000008001", ("平成", 13, "M", 1)),
        ("413M60001FC2001", ("平成", 13, "M", 1)),
        ("503M62000000001", ("令和", 3, "M", 1)),
        ("426AC1000000104_20240401_000000000000000", ("平成", 26, "AC", 104)),  # 法令履歴ID
    ],
)
def test_law_id_parts(law_id: str, parts: tuple[str, int, str, int]) -> None:
    assert law_id_parts(law_id) == parts


def test_law_id_details() -> None:
    p = parse_law_id("413M60001FC2001")
    assert (p.period, p.ministries) == (
        "6",
        0x1FC2,
    )  # 内閣府・財務省・文部科学省・厚生労働省・農林水産省・経済産業省・国土交通省・環境省
    assert parse_law_id("413AC0100000031").proposer == "01"
    assert parse_law_id("321CONSTITUTION").type_code == "CONSTITUTION"
    assert law_type("321CONSTITUTION") == "constitution"


@pytest.mark.parametrize(
    "bad", ["IDなし", "★", "426AC0000426AC0000000048000048", "平成二十五年法律第七十号", "926AC1000000104", ""]
)
def test_law_id_parts_rejects(bad: str) -> None:
    with pytest.raises(NormalizeError):
        law_id_parts(bad)


@pytest.mark.parametrize(
    ("number", "law_id", "ok"),
    [
        ("平成二十六年法律第百四号", "426AC1000000104", True),
        ("平成十九年政令第百二十四号", "419CO0000000124", True),
        ("平成十三年総務省令第一号", "413M60000008001", True),
        ("平成十三年外務省令第一号", "413M60000020001", True),
        ("平成十三年外務省令第一号", "413M60000008001", False),  # ministry bits say 総務省
        ("昭和二十六年文部省・厚生省令第一号", "326M50000180001", True),
        (
            "平成十三年内閣府・財務省・文部科学省・厚生労働省・農林水産省・経済産業省・国土交通省・環境省令第一号",
            "413M60001FC2001",
            True,
        ),
        ("昭和三十二年国家公安委員会規則第二号", "332M50400000002", True),
        ("令和三年カジノ管理委員会規則第一号", "503M62000000001", True),
        ("大正十五年勅令第二百四十三号", "215IO0000000243", True),
        ("平成十九年法律第二十四号", "419CO0000000124", False),  # kind and number differ
        ("令和六年政令第百八十六号", "419CO0000000124", False),  # an amending order's number
        ("平成二十六年法律第百四号", "427AC1000000104", False),
        ("平成二十六年政令第百四号", "426AC1000000104", False),
    ],
)
def test_consistent(number: str, law_id: str, ok: bool) -> None:
    assert consistent(parse_law_number(number), law_id) is ok


def test_law_type() -> None:
    assert law_type("426AC1000000104") == "act"
    assert law_type("419CO0000000124") == "cabinet-order"
    assert law_type("215IO0000000243") == "imperial-ordinance"
    assert law_type("413M60000008001") == "ministerial-ordinance"
    assert law_type("332M50400000002", parse_law_number("昭和三十二年国家公安委員会規則第二号")) == "rule"
    assert law_type("IDなし") == "other"
