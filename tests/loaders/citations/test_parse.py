"""parse_citations / unparsed on real 根拠法令 values (RS 2024 table 1-3) and generated ones."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.citations import Citation, clean_law_name, parse_citations, unparsed

CS = "サイバーセキュリティ基本法"


def cit(
    law: str | None = None,
    art: str | None = None,
    para: str | None = None,
    items: tuple[str, ...] = (),
    *,
    number: str | None = None,
    supp: bool = False,
    complete: bool = True,
) -> dict[str, object]:
    return {
        "law_name": law,
        "article": art,
        "paragraph": para,
        "items": items,
        "law_number": number,
        "supplementary": supp,
        "complete": complete,
    }


def view(c: Citation) -> dict[str, object]:
    return {
        "law_name": c.law_name,
        "article": c.article,
        "paragraph": c.paragraph,
        "items": c.items,
        "law_number": c.law_number,
        "supplementary": c.supplementary,
        "complete": c.complete,
    }


TREATY = "日本国とアメリカ合衆国との間の相互協力及び安全保障条約第六条に基づく施設及び区域並びに日本国における合衆国軍隊の地位に関する協定"

CASES: list[tuple[str, list[dict[str, object]], list[str]]] = [
    # (text, expected citations, expected leftovers)
    ("サイバーセキュリティ基本法第16条", [cit(CS, "16")], []),
    ("②サイバーセキュリティ基本法", [cit(CS)], []),
    (
        "サイバーセキュリティ基本法（「国は、重要社会基盤事業者等における…」）",
        [cit(CS, complete=False)],
        ["（「国は、重要社会基盤事業者等における…」）"],
    ),
    ("第二百四十四条の五 2", [cit(None, "244-5", "2")], []),
    (
        "総務省設置法第４条・総務省組織令第７条第１項第27号 高度情報通信ネットワーク社会形成基本法10条",
        [
            cit("総務省設置法", "4"),
            cit("総務省組織令", "7", "1", ("27",)),
            cit("高度情報通信ネットワーク社会形成基本法", "10"),
        ],
        [],
    ),
    ("第26条①2", [cit(None, "26", "1", ("2",))], []),
    ("外務省設置法第4条第1項ロ", [cit("外務省設置法", "4", "1", ("ロ",))], []),
    (
        "財務省設置法第3条第1項、第4条第1項第30号、36号、37号",
        [cit("財務省設置法", "3", "1"), cit("財務省設置法", "4", "1", ("30", "36", "37"))],
        [],
    ),
    ("特会法第８５条第３項第１号イ", [cit("特会法", "85", "3", ("1-イ",))], []),
    (
        "情報通信技術を活用した行政の推進等に関する法律（平成14年12月13日法律第151号）",
        [cit("情報通信技術を活用した行政の推進等に関する法律", number="平成14年12月13日法律第151号")],
        [],
    ),
    (
        "牛の個体識別のための情報の管理及び伝達に関する特別措置法施行令（平成１５年政令第３００号）",
        [cit("牛の個体識別のための情報の管理及び伝達に関する特別措置法施行令", number="平成１５年政令第３００号")],
        [],
    ),
    (
        "外務省設置法第4条第１項、外務省組織例第30条第2項、補助金適正化法第6条第1項",
        [cit("外務省設置法", "4", "1"), cit("外務省組織例", "30", "2"), cit("補助金適正化法", "6", "1")],
        [],
    ),
    ("特別会計に関する法律附則第251条第4項", [cit("特別会計に関する法律", "251", "4", supp=True)], []),
    ("船舶安全法第六条ノ四", [cit("船舶安全法", "6-4")], []),
    (TREATY + "第二十四条", [cit(TREATY, "24")], []),
    (TREATY + "第２４条２項", [cit(TREATY, "24", "2")], []),
    (
        "令 和６年度一般会計予備費使用（令和６年４月23日閣議決定）",
        [],
        ["令 和６年度一般会計予備費使用（令和６年４月23日閣議決定）"],
    ),
    # more real values
    ("（平成26年法律第104号）", [cit(None, number="平成26年法律第104号")], []),
    (
        "昭和二十二年法律第五十四号（私的独占の禁止及び公正取引の確保に関する法律）",
        [cit("私的独占の禁止及び公正取引の確保に関する法律", number="昭和二十二年法律第五十四号")],
        [],
    ),
    ("財務省設置法（第4条第1項第63号）", [cit("財務省設置法", "4", "1", ("63",))], []),
    ("外務省設置法第４条第二・三項", [cit("外務省設置法", "4", "2"), cit("外務省設置法", "4", "3")], []),
    ("外務省設置法第４条第１号イ、２、３号", [cit("外務省設置法", "4", None, ("1-イ", "2", "3"))], []),
    ("外務省設置法第４条第１項口", [cit("外務省設置法", "4", "1", ("ロ",))], []),
    ("外務省設置法第四条第一号ハ、第二十四号", [cit("外務省設置法", "4", None, ("1-ハ", "24"))], []),
    (
        "外務省設置法第４条第一項第１号（ハ）、２４号、及び、同法第７条第一項",
        [cit("外務省設置法", "4", "1", ("1-ハ", "24")), cit("外務省設置法", "7", "1")],
        [],
    ),
    (
        "国立研究開発法人新エネルギー産業技術総合開発機構法第１５条第１項第１号イロハニ、２号",
        [cit("国立研究開発法人新エネルギー産業技術総合開発機構法", "15", "1", ("1-イ", "1-ロ", "1-ハ", "1-ニ", "2"))],
        [],
    ),
    ("内閣府設置法第４条１項１～３号", [cit("内閣府設置法", "4", "1", ("1", "2", "3"))], []),
    (
        "災害対策基本法第九十条の二から第九十条の四まで",
        [cit("災害対策基本法", "90-2"), cit("災害対策基本法", "90-3"), cit("災害対策基本法", "90-4")],
        [],
    ),
    ("第11条第2項及び第3項", [cit(None, "11", "2"), cit(None, "11", "3")], []),
    ("内閣府本府組織規則第41・42条", [cit("内閣府本府組織規則", "41"), cit("内閣府本府組織規則", "42")], []),
    ("地方自治法第二百四十五条の四", [cit("地方自治法", "245-4")], []),
    ("住民基本台帳法第30条の24から第30条の26まで", [cit("住民基本台帳法", f"30-{k}") for k in (24, 25, 26)], []),
    ("附則第５条（不発弾）", [cit(None, "5", supp=True, complete=False)], ["（不発弾）"]),
    (
        "沖縄の復帰に伴う特別措置に関する法律（昭和46年法律第129号）附則第５項",
        [cit("沖縄の復帰に伴う特別措置に関する法律", None, "5", number="昭和46年法律第129号", supp=True)],
        [],
    ),
    (
        "原子力基本法(昭和三十年法律第百八十六号) 第二条の三 1 第2号、第5号",
        [cit("原子力基本法", "2-3", "1", ("2", "5"), number="昭和三十年法律第百八十六号")],
        [],
    ),
    (
        "沖縄振興特別措置法、都市公園法、下水道法\u3000等",
        [cit("沖縄振興特別措置法"), cit("都市公園法"), cit("下水道法")],
        [],
    ),
    (
        "医薬品、医療機器等の品質、有効性及び安全性の確保等に関する法律",
        [cit("医薬品、医療機器等の品質、有効性及び安全性の確保等に関する法律")],
        [],
    ),
    (
        "貿易保険法及び特別会計に関する法律の一部を改正する法律（平成27年法律第59号）附則第24条第3項",
        [
            cit(
                "貿易保険法及び特別会計に関する法律の一部を改正する法律",
                "24",
                "3",
                number="平成27年法律第59号",
                supp=True,
            )
        ],
        [],
    ),
    (
        "国立大学法人法（平成15年法律第112号）第35条において準用する独立行政法人通則法（平成11年法律第103号）第46条",
        [
            cit("国立大学法人法", "35", number="平成15年法律第112号"),
            cit("独立行政法人通則法", "46", number="平成11年法律第103号"),
        ],
        [],
    ),
    (
        "沖縄県の区域内における位置境界不明地域内の各筆の土地の位置境界の明確化等に関する特別措置法（昭和52年法律第40号）及び同法施行令（昭和52年政令第260号）",
        [
            cit(
                "沖縄県の区域内における位置境界不明地域内の各筆の土地の位置境界の明確化等に関する特別措置法",
                number="昭和52年法律第40号",
            ),
            cit(
                "沖縄県の区域内における位置境界不明地域内の各筆の土地の位置境界の明確化等に関する特別措置法施行令",
                number="昭和52年政令第260号",
            ),
        ],
        [],
    ),
    (
        "「伝統的工芸品産業の振興に関する法律」（昭和49年法律第57号）第16条",
        [cit("伝統的工芸品産業の振興に関する法律", "16", number="昭和49年法律第57号")],
        [],
    ),
    (
        "地域的な包括的経済連携（RCEP）協定_第１８・３条",
        [cit("地域的な包括的経済連携（RCEP）協定", "18"), cit("地域的な包括的経済連携（RCEP）協定", "3")],
        [],
    ),
    ("公職選挙法第６章、第１５０条", [cit("公職選挙法", "150", complete=False)], ["第６章"]),
    ("下水道法第二十ニ条の二第２項", [cit("下水道法", "22-2", "2")], []),
    (
        "文化芸術基本法_第22条、第25条障害者による文化芸術活動の推進に関する法律_第9条",
        [
            cit("文化芸術基本法", "22"),
            cit("文化芸術基本法", "25"),
            cit("障害者による文化芸術活動の推進に関する法律", "9"),
        ],
        [],
    ),
    (
        "保健師助産師看護師法第三十七条の二第二項第一号に規定する特定行為及び同項第四号に規定する特定行為研修に関する省令",
        [
            cit(
                "保健師助産師看護師法第三十七条の二第二項第一号に規定する特定行為及び同項第四号に規定する特定行為研修に関する省令"
            )
        ],
        [],
    ),
    ("総務省設置法第4条第1項第38号", [cit("総務省設置法", "4", "1", ("38",))], []),
    ("第５０条第１項第７号", [cit(None, "50", "1", ("7",))], []),
    (
        "文化芸術基本法https://elaws.e-gov.go.jp/document?lawid=413AC1000000148",
        [cit("文化芸術基本法", complete=False)],
        ["https://elaws.e-gov.go.jp/document?lawid=413AC1000000148"],
    ),
    (
        "補助金等に係る予算の執行の適正化に関する法律第６条第１項に基づき交付",
        [cit("補助金等に係る予算の執行の適正化に関する法律", "6", "1", complete=False)],
        ["に基づき交付"],
    ),
    # not law citations
    ("関連事業参照", [], ["関連事業参照"]),
    ("その他、当該事業に関する法律等", [], ["その他、当該事業に関する法律等"]),
    ("ー", [], []),
    ("なし", [], []),
    ("", [], []),
]


@pytest.mark.parametrize(("text", "expected", "leftovers"), CASES, ids=[c[0][:30] for c in CASES])
def test_examples(text: str, expected: list[dict[str, object]], leftovers: list[str]) -> None:
    got = parse_citations(text)
    assert [view(c) for c in got] == expected
    assert unparsed(text, got) == leftovers
    for c in got:
        assert c.raw == text[c.span[0] : c.span[1]]
        assert 0.0 <= c.confidence <= 1.0


def test_span_and_raw_of_carried_law() -> None:
    text = "財務省設置法第3条第1項、第4条第1項第30号、36号、37号"
    first, second = parse_citations(text)
    assert first.raw == "財務省設置法第3条第1項"
    assert second.raw == "第4条第1項第30号、36号、37号"


def test_uncertain_readings_lower_the_confidence() -> None:
    (quoted,) = parse_citations("サイバーセキュリティ基本法（「国は、重要社会基盤事業者等における…」）")
    assert quoted.law_name == CS and not quoted.complete and quoted.confidence < 1
    assert quoted.gaps == ((13, len(quoted.raw)),)
    (sub,) = parse_citations("外務省設置法第4条第1項ロ")
    assert sub.confidence < 1  # sub-item without item number
    (bare,) = parse_citations("第二百四十四条の五 2")
    assert bare.confidence < 1  # a bare number read as the paragraph
    (typo,) = [c for c in parse_citations("外務省組織例第30条第2項")]
    assert typo.confidence < 1  # the name does not end like a law
    assert parse_citations("サイバーセキュリティ基本法第16条")[0].confidence == 1.0


def test_unexpandable_range_keeps_both_ends() -> None:
    got = parse_citations("福島復興再生特別措置法第81条～第89条の13")
    assert [c.article for c in got] == ["81", "89-13"]
    assert not got[-1].complete


def test_clean_law_name() -> None:
    assert clean_law_name("②サイバーセキュリティ基本法") == CS
    assert clean_law_name("特別会計に関する法律(平成十九年法律第二十三号)第八十五条第6項") == "特別会計に関する法律"
    assert clean_law_name("デジタル社会形成基本法（2025年夏頃施行予定）") == "デジタル社会形成基本法"
    assert clean_law_name("・「水俣病被害者の救済及び水俣病問題の解決に関する特別措置法」前文、第35条") == (
        "水俣病被害者の救済及び水俣病問題の解決に関する特別措置法"
    )
    assert clean_law_name("森林・林業基本") == "森林・林業基本"
    assert clean_law_name("  ") is None


# -- properties ----------------------------------------------------------------------------------------------

LAWS = [
    CS,
    "特別会計に関する法律",
    "総務省組織令",
    "外務省設置法",
    "医薬品、医療機器等の品質、有効性及び安全性の確保等に関する法律",
    "特会法",
    "日本国憲法",
    "民法",
    "森林・林業基本法",
]
_DIGITS = "〇一二三四五六七八九"


def kanji(n: int) -> str:
    """Kanji numeral (二百四十四) of 1 ≤ n < 10000."""
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        d, n = divmod(n, value)
        if d:
            out += ("" if d == 1 else _DIGITS[d]) + unit
    return out + (_DIGITS[n] if n else "")


def written(n: int, style: str) -> str:
    if style == "kanji":
        return kanji(n)
    if style == "full":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return str(n)


@given(st.text(max_size=80))
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_never_raises_and_spans_point_into_the_text(text: str) -> None:
    got = parse_citations(text)
    for c in got:
        assert 0 <= c.span[0] < c.span[1] <= len(text)
        assert c.raw == text[c.span[0] : c.span[1]]
        for s, e in c.gaps:
            assert c.span[0] <= s < e <= c.span[1]
        assert 0.0 <= c.confidence <= 1.0
    assert all(isinstance(f, str) and f for f in unparsed(text, got))


_LEGAL = st.lists(
    st.sampled_from(
        ["第", "条", "項", "号", "の", "ノ", "附則", "、", "・", "及び", "（", "）", "(", ")", "「", "」", "法", "令",
         "十", "二", "百", "3", "１", "①", "イ", "ロ", "～", "から", "まで", " ", "_", "同法", "平成", "年", "法律",
         "https://x", "第3章", "施行令", "に基づく", "において準用する", "等"]
    ),
    max_size=25,
).map("".join)  # fmt: skip


@given(_LEGAL)
@settings(max_examples=400)
def test_never_raises_on_legal_looking_text(text: str) -> None:
    got = parse_citations(text)
    for c in got:
        assert c.raw == text[c.span[0] : c.span[1]]
    unparsed(text, got)


@given(
    law=st.sampled_from(LAWS),
    n=st.integers(1, 9999),
    p=st.integers(1, 99),
    i=st.integers(1, 199),
    styles=st.tuples(*[st.sampled_from(["kanji", "arabic", "full"])] * 3),
)
@settings(max_examples=300)
def test_generated_article_paragraph_item(law: str, n: int, p: int, i: int, styles: tuple[str, str, str]) -> None:
    text = f"{law}第{written(n, styles[0])}条第{written(p, styles[1])}項第{written(i, styles[2])}号"
    (c,) = parse_citations(text)
    assert (c.law_name, c.article, c.paragraph, c.items) == (law, str(n), str(p), (str(i),))
    assert c.complete and c.span == (0, len(text)) and c.raw == text
    assert unparsed(text, [c]) == []
