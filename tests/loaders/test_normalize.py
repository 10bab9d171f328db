"""Tests for loaders.normalize: real dirty values from the sources plus property tests."""

from __future__ import annotations

import pickle
import sys
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.normalize import (
    ERAS,
    NormalizeError,
    ProgramNumber,
    clean,
    corporate_check_digit,
    era_year,
    find_dates,
    is_none_marker,
    kanji_to_int,
    nfkc,
    parse_amount,
    parse_article,
    parse_bool,
    parse_date,
    parse_fraction,
    parse_int,
    parse_item,
    parse_paragraph,
    parse_program_numbers,
    parse_ratio,
    parse_year,
    parse_year_month,
    strip_excel_quote,
    validate_corporate_number,
)

FAST = settings(max_examples=200, deadline=None)

# ---------------------------------------------------------------------------------------------
# helpers used by the property tests
# ---------------------------------------------------------------------------------------------

_KDIGITS = "〇一二三四五六七八九"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def to_kanji(n: int) -> str:
    """Conventional kanji numeral for 0 < n < 10**8 (十, 十三, 二百四十四, 一万, 三万五千)."""

    def section(x: int) -> str:
        out = ""
        for unit, ch in ((1000, "千"), (100, "百"), (10, "十")):
            d, x = divmod(x, unit)
            if d:
                out += ("" if d == 1 else _KDIGITS[d]) + ch
        return out + (_KDIGITS[x] if x else "")

    high, low = divmod(n, 10_000)
    return (section(high) + "万" if high else "") + (section(low) if low else "")


def to_positional_kanji(n: int) -> str:
    return "".join(_KDIGITS[int(c)] for c in str(n))


def to_era(d: date) -> tuple[str, str, int]:
    """(era name, letter, era year) of a date on or after 1989-01-08."""
    if d >= date(2019, 5, 1):
        return "令和", "R", d.year - 2018
    return "平成", "H", d.year - 1988


def reason_of(fn, *args) -> str:
    with pytest.raises(NormalizeError) as exc:
        fn(*args)
    return exc.value.reason


# ---------------------------------------------------------------------------------------------
# NormalizeError
# ---------------------------------------------------------------------------------------------


def test_normalize_error_is_value_error_with_value_and_reason():
    with pytest.raises(ValueError) as exc:
        parse_amount("abc")
    err = exc.value
    assert isinstance(err, NormalizeError)
    assert err.value == "abc"
    assert err.reason == "not a number"
    assert str(err) == "not a number"
    assert "abc" in repr(err)


def test_normalize_error_survives_pickling_for_worker_processes():
    err = pickle.loads(pickle.dumps(NormalizeError("１,2", "not a number")))
    assert (type(err), err.value, err.reason, str(err)) == (
        NormalizeError,
        "１,2",
        "not a number",
        "not a number",
    )


# ---------------------------------------------------------------------------------------------
# Text basics
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("１６", "16"), ("ｲ", "イ"), ("（１）", "(1)"), ("②", "2"), ("㍻", "平成"), ("abc", "abc"), ("", "")],
)
def test_nfkc_folds_width_and_compatibility_forms(raw, expected):
    assert nfkc(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("\u3000\u3000", None),
        ("\u3000総務省\u3000", "総務省"),
        (" abc ", "abc"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("a\tb\nc", "a\tb\nc"),
        ("\x00a\x07b\x1b\x7f\x85c\x9f", "abc"),
        ("\ufeff令和3年\u200b", "令和3年"),
        ("\n\t x \t\n", "x"),
        ("１６", "１６"),  # no NFKC
        ("\xad", "\xad"),  # soft hyphen is not a control character
        ("\x00\x01", None),
    ],
)
def test_clean_strips_whitespace_and_controls_without_nfkc(raw, expected):
    assert clean(raw) == expected


def test_clean_strips_every_unicode_whitespace_character():
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    for sp in spaces:
        assert clean(f"{sp}x{sp}") == "x", hex(ord(sp))


@given(st.text())
@FAST
def test_clean_is_idempotent_and_never_raises(s):
    once = clean(s)
    assert clean(once) == once
    if once is not None:
        assert "\r" not in once
        assert once == once.strip()


@pytest.mark.parametrize(
    "raw",
    [None, "", " ", "\u3000", "-", "--", "---", "ー", "ｰ", "－", "―", "‐", "−", "—", "\xad",
     "なし", "該当なし", "無し", " なし ", "\u3000－\u3000", "－－", "―――", "- -"],
)  # fmt: skip
def test_is_none_marker_recognises_placeholders(raw):
    assert is_none_marker(raw) is True


@pytest.mark.parametrize("raw", ["0", "0円", "-1", "ーム", "なし崩し", "a", "該当", "－1", "N/A"])
def test_is_none_marker_rejects_real_values(raw):
    assert is_none_marker(raw) is False


@pytest.mark.parametrize(("raw", "expected"), [("'1/2", "1/2"), ("''x", "'x"), ("x'", "x'"), ("", "")])
def test_strip_excel_quote_removes_exactly_one_leading_quote(raw, expected):
    assert strip_excel_quote(raw) == expected


# ---------------------------------------------------------------------------------------------
# kanji_to_int
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一", 1), ("九", 9), ("〇", 0), ("零", 0), ("十", 10), ("十三", 13), ("二十", 20),
        ("二百四十四", 244), ("千二百", 1200), ("一千", 1000), ("三万五千", 35000), ("一〇", 10),
        ("二〇二四", 2024), ("１６", 16), ("16", 16), ("1万2千", 12000), ("12万3456", 123456),
        ("百", 100), ("千〇五", 1005), ("二千三万", 20030000), ("一億二千万", 120000000),
        ("壱万弐千", 12000), ("拾", 10), (" 十四 ", 14), ("0", 0), ("007", 7),
    ],
)  # fmt: skip
def test_kanji_to_int_parses_kanji_arabic_and_mixed_numerals(raw, expected):
    assert kanji_to_int(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", " ", "abc", "十百", "百百", "十十", "万", "〇十", "12千", "十13", "万万", "万億", "1万23456",
     "12345万", "二・三", "1.5", "-3", "一二三x", "١٢"],
)  # fmt: skip
def test_kanji_to_int_rejects_malformed_numerals(raw):
    with pytest.raises(NormalizeError):
        kanji_to_int(raw)


@given(st.integers(min_value=1, max_value=10**8 - 1))
@FAST
def test_kanji_to_int_round_trips_conventional_kanji(n):
    assert kanji_to_int(to_kanji(n)) == n


@given(st.integers(min_value=0, max_value=10**12))
@FAST
def test_kanji_to_int_round_trips_positional_and_fullwidth_digits(n):
    assert kanji_to_int(to_positional_kanji(n)) == n
    assert kanji_to_int(str(n).translate(_FULLWIDTH)) == n


@given(st.text(max_size=30))
@FAST
def test_kanji_to_int_only_raises_normalize_error(s):
    try:
        assert kanji_to_int(s) >= 0
    except NormalizeError:
        pass


# ---------------------------------------------------------------------------------------------
# 条 / 項 / 号
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("第十四条", "14"),
        ("第二百四十四条の五", "244-5"),
        ("第六十一条の二の二", "61-2-2"),
        ("第16条", "16"),
        ("16", "16"),
        ("１６条", "16"),
        ("第三十条の二", "30-2"),
        ("30条の2", "30-2"),
        (" 第 4 条 ", "4"),
        ("第４条", "4"),
        ("244-5", "244-5"),
        ("016", "16"),
        ("第十四條", "14"),
    ],
)
def test_parse_article_canonicalises_article_numbers(raw, expected):
    assert parse_article(raw) == expected


@pytest.mark.parametrize(
    "raw", ["第1号", "abc", "", "第16", "第0条", "0", "第十四条第一項", "第16条の", "条", "16条2", "第1項"]
)
def test_parse_article_rejects_non_articles(raw):
    with pytest.raises(NormalizeError):
        parse_article(raw)


@given(
    st.integers(min_value=1, max_value=9999),
    st.lists(st.integers(min_value=1, max_value=99), max_size=3),
    st.booleans(),
)
@FAST
def test_parse_article_handles_generated_kanji_articles_with_branches(main, branches, fullwidth):
    text = f"第{to_kanji(main)}条" + "".join(f"の{to_kanji(b)}" for b in branches)
    expected = "-".join(str(x) for x in [main, *branches])
    assert parse_article(text) == expected
    arabic = f"第{main}条" + "".join(f"の{b}" for b in branches)
    assert parse_article(arabic.translate(_FULLWIDTH) if fullwidth else arabic) == expected
    assert parse_article(expected) == expected  # canonical form is a fixed point


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", "1"), ("１", "1"), ("二", "2"), ("第2項", "2"), ("②", "2"), ("①", "1"), ("⑳", "20"),
     ("2項", "2"), ("第十二項", "12")],
)  # fmt: skip
def test_parse_paragraph_canonicalises_paragraph_numbers(raw, expected):
    assert parse_paragraph(raw) == expected


@pytest.mark.parametrize("raw", ["", "0", "第2号", "⑴", "abc", "第2", "2条"])
def test_parse_paragraph_rejects_non_paragraphs(raw):
    with pytest.raises(NormalizeError):
        parse_paragraph(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("十三", [("13", None)]),
        ("第３号", [("3", None)]),
        ("3", [("3", None)]),
        ("1号", [("1", None)]),
        ("第1号イ", [("1", "イ")]),
        ("第１号ヘ", [("1", "ヘ")]),
        ("第1号へ", [("1", "ヘ")]),  # hiragana へ typed for katakana ヘ
        ("第10号及び第11号", [("10", None), ("11", None)]),
        ("第1号、第2号", [("1", None), ("2", None)]),
        ("1,2", [("1", None), ("2", None)]),
        ("第二・三号", [("2", None), ("3", None)]),
        ("第2号、第3号及び第9号", [("2", None), ("3", None), ("9", None)]),
        ("第1号ニ、第3号", [("1", "ニ"), ("3", None)]),
        ("第七十号", [("70", None)]),
        ("第１号ヘ及び第２号", [("1", "ヘ"), ("2", None)]),
        ("第1号(1)", [("1", "(1)")]),
        ("第1号（１）", [("1", "(1)")]),
        ("第1号イ(2)", [("1", "イ(2)")]),
        ("第1号ｲ", [("1", "イ")]),
        ("第1号イ及びロ", [("1", "イ"), ("1", "ロ")]),
        ("第1号二", [("1", "ニ")]),  # kanji look-alike right after 号
        ("第3号の2", [("3-2", None)]),
        ("第三号の二イ", [("3-2", "イ")]),
        ("第3の2号", [("3-2", None)]),
        ("第2号又は第5号", [("2", None), ("5", None)]),
    ],
)
def test_parse_item_parses_items_sub_items_and_lists(raw, expected):
    assert parse_item(raw) == expected


def test_parse_item_rejects_bare_sub_item():
    assert reason_of(parse_item, "ロ") == "sub-item without item number"
    assert reason_of(parse_item, "(1)") == "sub-item without item number"


@pytest.mark.parametrize(
    "raw",
    [
        "等",
        "",
        "第1号等",
        "第0号",
        "1,",
        "第号",
        "第1号ン",
        "1-3",
        "第1条",
        "第1号から第3号まで",
        "第1の2号の3",
    ],
)
def test_parse_item_rejects_non_items(raw):
    with pytest.raises(NormalizeError):
        parse_item(raw)


@given(st.text(max_size=20))
@FAST
def test_parse_item_only_raises_normalize_error(s):
    try:
        parse_item(s)
    except NormalizeError:
        pass


# ---------------------------------------------------------------------------------------------
# amounts, ratios, ints, bools
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "factor", "expected"),
    [
        ("537733000", 1, "537733000"),
        ("537733000.0", 1, "537733000"),
        ("1,234", 1, "1234"),
        ("１，２３４", 1, "1234"),
        ("-1000000", 1, "-1000000"),
        ("▲25,434", 1, "-25434"),
        ("△1,000", 1, "-1000"),
        ("▲ 25,434", 1, "-25434"),
        ("+5", 1, "5"),
        ("12.5", 1000, "12500"),
        ("12.5", 1, "12.5"),
        ("12.50", 1, "12.5"),
        (" 296,325 ", 1, "296325"),
        ("296,325", 1000, "296325000"),
        ("296", 1_000_000, "296000000"),
        ("1.2345", 1000, "1234.5"),
        ("0", 1, "0"),
        ("-0", 1, "0"),
        ("▲0.0", 1, "0"),
        ("−7", 1, "-7"),
        ("'1,234", 1, "1234"),
        ("10000000000000000", 1, "10000000000000000"),
        ("10000000000", 1_000_000, "10000000000000000"),
        ("5", Decimal("1E+3"), "5000"),
        ("0012", 1, "12"),
    ],
)
def test_parse_amount_parses_budget_amounts_exactly(raw, factor, expected):
    result = parse_amount(raw, factor)
    assert isinstance(result, Decimal)
    assert str(result) == expected
    assert result == Decimal(expected)


@pytest.mark.parametrize(
    "raw", ["", " ", "abc", "1.2.3", "1,23,4", "12,34", "NaN", "nan", "Infinity", "-Infinity", "1e5",
            "1E5", "1,234円", "▲", "-", "1.", ".5", "(1,234)", "1 234", "▲-5", "--5", "0x10", "5-"]
)  # fmt: skip
def test_parse_amount_rejects_non_amounts(raw):
    with pytest.raises(NormalizeError):
        parse_amount(raw)


@pytest.mark.parametrize(
    ("raw", "factor"), [("10000000000000001", 1), ("10000001", 10**9), ("▲1,000,000,000,000", 10**6)]
)
def test_parse_amount_rejects_implausible_amounts(raw, factor):
    assert reason_of(parse_amount, raw, factor) == "implausible amount"


def test_parse_amount_rejects_absurdly_long_numbers():
    with pytest.raises(NormalizeError):
        parse_amount("0." + "0" * 200 + "1", 1000)


@given(st.text())
@FAST
def test_parse_amount_only_raises_normalize_error(s):
    try:
        parse_amount(s)
    except NormalizeError:
        pass


@given(st.integers(min_value=-(10**16), max_value=10**16))
@FAST
def test_parse_amount_round_trips_comma_grouped_integers(n):
    assert parse_amount(f"{n:,}") == n
    assert parse_amount(str(n)) == n
    assert str(parse_amount(f"{n:,}")) == str(n)


@given(st.integers(min_value=1, max_value=10**16), st.sampled_from(["▲", "△", "▲ "]))
@FAST
def test_parse_amount_reads_triangle_prefix_as_negative(n, mark):
    assert parse_amount(f"{mark}{n:,}") == -n
    assert parse_amount(f"{mark}{n:,}".translate(_FULLWIDTH)) == -n


@given(st.integers(min_value=0, max_value=10**10), st.sampled_from([1, 1000, 1_000_000]))
@FAST
def test_parse_amount_applies_factor_without_exponent_notation(n, factor):
    result = parse_amount(f"{n}.0", factor)
    assert result == n * factor
    assert str(result) == str(n * factor)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0.6313", "0.6313"), ("1", "1"), ("63.1%", "0.631"), ("０．５", "0.5"), ("100%", "1"), ("50％", "0.5"),
     ("-0.25", "-0.25"), ("0.50", "0.5"), ("'0.5", "0.5")],
)  # fmt: skip
def test_parse_ratio_parses_decimals_and_percentages(raw, expected):
    assert str(parse_ratio(raw)) == expected


@pytest.mark.parametrize("raw", ["", "abc", "1/2", "%", "1e-3", "NaN", "0.5.1", "５割"])
def test_parse_ratio_rejects_non_numeric(raw):
    with pytest.raises(NormalizeError):
        parse_ratio(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), ("１２", 12), ("12.0", 12), (" 12 ", 12), ("-3", -3), ("1,234", 1234), ("12.00", 12)],
)
def test_parse_int_parses_integers(raw, expected):
    assert parse_int(raw) == expected


@pytest.mark.parametrize("raw", ["", "1.5", "abc", "1e3", "12,34", "十二"])
def test_parse_int_rejects_non_integers(raw):
    with pytest.raises(NormalizeError):
        parse_int(raw)


def test_parse_int_says_not_an_integer_for_fractions():
    assert reason_of(parse_int, "1.5") == "not an integer"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("TRUE", True), ("FALSE", False), ("true", True), ("false", False), ("t", True), ("f", False),
     ("1", True), ("0", False), ("True", True), (" FALSE ", False), ("ＴＲＵＥ", True)],
)  # fmt: skip
def test_parse_bool_parses_boolean_spellings(raw, expected):
    assert parse_bool(raw) is expected


@pytest.mark.parametrize("raw", ["", "yes", "no", "2", "truee", "○", "1.0"])
def test_parse_bool_rejects_other_values(raw):
    with pytest.raises(NormalizeError):
        parse_bool(raw)


# ---------------------------------------------------------------------------------------------
# eras, years, dates
# ---------------------------------------------------------------------------------------------


def test_eras_map_names_and_letter_abbreviations_to_first_year():
    assert ERAS["明治"] == ERAS["M"] == ERAS["Ｍ"] == 1868
    assert ERAS["大正"] == ERAS["T"] == ERAS["Ｔ"] == 1912
    assert ERAS["昭和"] == ERAS["S"] == ERAS["Ｓ"] == 1926
    assert ERAS["平成"] == ERAS["H"] == ERAS["Ｈ"] == 1989
    assert ERAS["令和"] == ERAS["R"] == ERAS["Ｒ"] == 2019


@pytest.mark.parametrize(
    ("era", "year", "expected"),
    [("令和", "3", 2021), ("令和", 3, 2021), ("令和", "元", 2019), ("平成", "元", 1989),
     ("平成", "二十六", 2014), ("平成", "31", 2019), ("昭和", "64", 1989), ("H", "29", 2017),
     ("Ｒ", "５", 2023), ("r", "1", 2019),
     ("明治", "45", 1912), ("大正", "15", 1926)],
)  # fmt: skip
def test_era_year_converts_to_gregorian(era, year, expected):
    assert era_year(era, year) == expected


@pytest.mark.parametrize(
    ("era", "year"),
    [("昭和", "65"), ("平成", "32"), ("令和", "0"), ("令和", 0), ("X", "3"), ("令和", "abc"), ("大正", 16)],
)
def test_era_year_rejects_unknown_eras_and_out_of_range_years(era, year):
    with pytest.raises(NormalizeError):
        era_year(era, year)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2024", 2024), ("２０２４", 2024), ("平成29年", 2017), ("平成２９年度", 2017), ("令和元年度", 2019),
     ("R3", 2021), ("H29年度", 2017), ("2024年度", 2024), ("令和５年度\u3000", 2023), ("㍻29年度", 2017),
     ("FY2024", 2024), ("平成 29 年度", 2017), ("二〇二四年", 2024), ("令和六年度", 2024)],
)  # fmt: skip
def test_parse_year_parses_gregorian_and_era_years(raw, expected):
    assert parse_year(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "abc", "昭和65年", "平成32年度", "24", "令和", "1500", "2024年6月", "R", "令和0年"]
)
def test_parse_year_rejects_invalid_years(raw):
    with pytest.raises(NormalizeError):
        parse_year(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("令和3年9月28日", date(2021, 9, 28)),
        ("令和３年９月２８日", date(2021, 9, 28)),
        ("2024年6月21日", date(2024, 6, 21)),
        ("2024/6/21", date(2024, 6, 21)),
        ("2024-06-21", date(2024, 6, 21)),
        ("2024.6.21", date(2024, 6, 21)),
        ("20240621", date(2024, 6, 21)),
        ("R3.9.28", date(2021, 9, 28)),
        ("H27.9.4", date(2015, 9, 4)),
        ("Ｈ２７．９．４", date(2015, 9, 4)),
        ("平成二十六年十一月十二日", date(2014, 11, 12)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("令和 3 年 9 月 28 日", date(2021, 9, 28)),
        ("2024年6月21日（金）", date(2024, 6, 21)),
        ("2024-06-21 00:00:00", date(2024, 6, 21)),
        ("2024-06-21T00:00:00", date(2024, 6, 21)),
        ("2019/5/1 0:00", date(2019, 5, 1)),
        ("'2024/6/21", date(2024, 6, 21)),
        ("二〇二四年六月二十一日", date(2024, 6, 21)),
        ("昭和64年1月7日", date(1989, 1, 7)),
    ],
)
def test_parse_date_parses_full_dates(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "abc", "平成27年6月", "2024年2月30日", "令和3年2月29日", "昭和65年1月1日", "平成32年1月1日",
     "2024/6/21/1", "2024/6-21", "2024-06-21 12:30:00", "2024年6月21日（月）", "令和3年9月28日閣議決定",
     "R3.13.1", "24/6/21", "1700年1月1日", "2024年0月1日"],
)  # fmt: skip
def test_parse_date_rejects_partial_invalid_and_out_of_era_dates(raw):
    with pytest.raises(NormalizeError):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("平成27年6月", (2015, 6)), ("2015年6月", (2015, 6)), ("2015/6", (2015, 6)), ("H27.6", (2015, 6)),
     ("令和元年十二月", (2019, 12)), ("２０２４－０６", (2024, 6))],
)  # fmt: skip
def test_parse_year_month_parses_year_and_month(raw, expected):
    assert parse_year_month(raw) == expected


@pytest.mark.parametrize("raw", ["", "平成27年13月", "平成27年0月", "平成27年6月1日", "昭和65年1月", "abc"])
def test_parse_year_month_rejects_invalid_values(raw):
    with pytest.raises(NormalizeError):
        parse_year_month(raw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("サイバーセキュリティ戦略（令和３年９月28日閣議決定）", [(date(2021, 9, 28), "令和３年９月28日")]),
        (
            "平成27年9月4日閣議決定、令和3年9月28日改定",
            [(date(2015, 9, 4), "平成27年9月4日"), (date(2021, 9, 28), "令和3年9月28日")],
        ),
        (
            "施行日 2024/6/21 及び 2024-07-01",
            [(date(2024, 6, 21), "2024/6/21"), (date(2024, 7, 1), "2024-07-01")],
        ),
        ("改定(R3.9.28)", [(date(2021, 9, 28), "R3.9.28")]),
        ("ver R3.9.28.1 と 2020/1/1/5 と 12020/1/1", []),
        ("㍻27年9月4日", [(date(2015, 9, 4), "㍻27年9月4日")]),
        ("２０２４／６／２１", [(date(2024, 6, 21), "２０２４／６／２１")]),
        ("令和元年5月1日", [(date(2019, 5, 1), "令和元年5月1日")]),
        ("平成二十六年十一月十二日公布", [(date(2014, 11, 12), "平成二十六年十一月十二日")]),
        ("2024年2月30日と平成27年6月", []),
        ("予算額 2024年度 12,345千円", []),
        ("", []),
    ],
)
def test_find_dates_finds_full_dates_in_free_text(text, expected):
    assert find_dates(text) == expected


_ERA_DATES = st.dates(min_value=date(1989, 1, 8), max_value=date(2030, 12, 31))


@given(_ERA_DATES)
@FAST
def test_era_dates_round_trip_through_all_spellings(d):
    name, letter, y = to_era(d)
    ys = "元" if y == 1 else str(y)
    spellings = [
        f"{name}{ys}年{d.month}月{d.day}日",
        f"{name}{ys}年{d.month}月{d.day}日".translate(_FULLWIDTH),
        f"{name}{'元' if y == 1 else to_kanji(y)}年{to_kanji(d.month)}月{to_kanji(d.day)}日",
        f"{letter}{y}.{d.month}.{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        d.isoformat(),
        f"{d.year}/{d.month}/{d.day}",
    ]
    for text in spellings:
        assert parse_date(text) == d, text
    assert parse_year(f"{name}{ys}年度") == d.year
    assert parse_year_month(f"{name}{ys}年{d.month}月") == (d.year, d.month)
    assert find_dates(f"（{spellings[1]}閣議決定）") == [(d, spellings[1])]


@given(st.dates(min_value=date(1989, 1, 8), max_value=date(2030, 12, 31)), st.integers(1, 3))
@FAST
def test_parse_date_rejects_days_past_month_end(d, extra):
    first_next = (d.replace(day=1) + timedelta(days=32)).replace(day=1)
    last_day = (first_next - timedelta(days=1)).day
    name, _, y = to_era(d)
    with pytest.raises(NormalizeError):
        parse_date(f"{name}{y}年{d.month}月{last_day + extra}日")


@given(st.text())
@FAST
def test_parse_date_and_parse_year_only_raise_normalize_error(s):
    for fn in (parse_date, parse_year, parse_year_month):
        try:
            fn(s)
        except NormalizeError:
            pass
    assert all(isinstance(d, date) for d, _ in find_dates(s))


@given(st.text(alphabet="令和平成昭RH元年月日度0123456789０１２３４５６７８９一二三十/.- ", max_size=16))
@FAST
def test_date_parsers_only_raise_normalize_error_on_date_like_text(s):
    for fn in (parse_date, parse_year, parse_year_month):
        try:
            fn(s)
        except NormalizeError:
            pass
    for d, raw in find_dates(s):
        assert parse_date(raw) == d


# ---------------------------------------------------------------------------------------------
# corporate numbers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["7010001008844", "8000020130001", "6010001030403"])
def test_corporate_check_digit_matches_published_numbers(number):
    assert corporate_check_digit(number[1:]) == int(number[0])
    assert validate_corporate_number(number) == number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("７０１０００１００８８４４", "7010001008844"), (" 7010001008844\u3000", "7010001008844"),
     ("7010001008844.0", "7010001008844"), ("'8000020130001", "8000020130001")],
)  # fmt: skip
def test_validate_corporate_number_tolerates_export_artefacts(raw, expected):
    assert validate_corporate_number(raw) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [("7010000500687", 5), ("9013301049995", 7), ("9010000101892", 3), ("1180001089788", 4)],
)
def test_validate_corporate_number_rejects_published_numbers_with_bad_check_digit(number, expected):
    assert reason_of(validate_corporate_number, number) == f"check digit mismatch: expected {expected}, got {number[0]}"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("0", "not 13 digits"), ("", "not 13 digits"), ("701000100884", "not 13 digits"),
     ("70100010088444", "not 13 digits"), ("7010001008844.5", "not 13 digits"),
     ("701000100884a", "not 13 digits"), ("7.010001008844E+12", "not 13 digits"),
     ("0000000000000", "all zeros")],
)  # fmt: skip
def test_validate_corporate_number_reports_why_it_rejects(raw, reason):
    assert reason_of(validate_corporate_number, raw) == reason


@pytest.mark.parametrize("base", ["", "12345678901", "1234567890123", "12345678901a"])
def test_corporate_check_digit_requires_twelve_digits(base):
    with pytest.raises(NormalizeError):
        corporate_check_digit(base)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(0, 9))
@FAST
def test_corporate_number_with_computed_check_digit_validates_and_others_fail(base, other):
    check = corporate_check_digit(base)
    assert 1 <= check <= 9
    assert validate_corporate_number(f"{check}{base}") == f"{check}{base}"
    if other != check:
        with pytest.raises(NormalizeError):
            validate_corporate_number(f"{other}{base}")


# ---------------------------------------------------------------------------------------------
# program numbers (旧事業番号)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "keys"),
    [
        ("2023-デジ-22-0001", ["2023-デジ-22-0001"]),
        ("2023-官房-22-0006", ["2023-官房-22-0006"]),
        ("2023警察220059", ["2023-警察-22-0059"]),
        ("2023－復興－22－0058", ["2023-復興-22-0058"]),
        ("2023 - 文科 - 22 - 0130", ["2023-文科-22-0130"]),
        ("2023ｰ経産ｰ22ｰ0252", ["2023-経産-22-0252"]),
        ("2023厚労220261", ["2023-厚労-22-0261"]),
        ("2023-経産-新23-0019", ["2023-経産-新23-0019"]),
        ("2023-国交－新23-0321", ["2023-国交-新23-0321"]),
        ("2023環境新240004", ["2023-環境-新24-0004"]),
        ("令和５年度\u30002023環境22 0150", ["2023-環境-22-0150"]),
        ("2023年度：2023-経産-新23-0008", ["2023-経産-新23-0008"]),
        ("旧事業番号 2023-厚労-22-0328", ["2023-厚労-22-0328"]),
        ("事業番号：0333", ["0333"]),
        ("2023-経産-22-0001 2023-経産-22-0002", ["2023-経産-22-0001", "2023-経産-22-0002"]),
        ("2023農水22-0204、2022農水21-0206", ["2023-農水-22-0204", "2022-農水-21-0206"]),
        ("2021環境新220011、2022環境新220009", ["2021-環境-新22-0011", "2022-環境-新22-0009"]),
        ("2023-経産-新23--0068", ["2023-経産-新23-0068"]),
        ("2023-総務省-22-0100", ["2023-総務-22-0100"]),
        ("2023こども新230067", ["2023-こども-新23-0067"]),
        ("2022-経産-新22-0028", ["2022-経産-新22-0028"]),
        ("新02-0026、経産20-0435、経産21-0412", ["新02-0026", "経産-20-0435", "経産-21-0412"]),
        (
            "経産新21：0034\u3000経産21：0414\u3000経産22：0436",
            ["経産-新21-0034", "経産-21-0414", "経産-22-0436"],
        ),
        ("0333", ["0333"]),
        ("0407,0416", ["0407", "0416"]),
        ("0001-04", ["0001-04"]),
        ("220107", ["22-0107"]),
        ("1000", ["1000"]),
        ("新23-0002", ["新23-0002"]),
        ("0051", ["0051"]),
        ("新28-0016", ["新28-0016"]),
        ("2019-文科-18-0170", ["2019-文科-18-0170"]),
        ("2023-内閣府-22-0001", ["2023-府-22-0001"]),
        ("２０２３－経産－２２－０２５２", ["2023-経産-22-0252"]),
        ("2021-官房-新21", []),
        ("政策: 15\u3000施策: 21", []),
        ("--", []),
        ("", []),
        ("なし", []),
    ],
)
def test_parse_program_numbers_reads_real_rs_spellings(raw, keys):
    assert [p.key() for p in parse_program_numbers(raw)] == keys


def test_parse_program_numbers_fills_fields():
    assert parse_program_numbers("2023環境新240004") == [ProgramNumber(2023, "環境", True, 24, "0004")]
    assert parse_program_numbers("経産20-0435") == [ProgramNumber(None, "経産", False, 20, "0435")]
    assert parse_program_numbers("0333") == [ProgramNumber(None, None, False, None, "0333")]
    assert parse_program_numbers("新02-0026") == [ProgramNumber(None, None, True, 2, "0026")]


@pytest.mark.parametrize("raw", ["2023-経産-22-0001、2021-官房-新21", "0001-045", "2023 220150", "2023-22-0001"])
def test_parse_program_numbers_raises_on_unexplained_digits_rather_than_dropping(raw):
    with pytest.raises(NormalizeError):
        parse_program_numbers(raw)


@given(
    st.integers(2000, 2099),
    st.sampled_from(["経産", "総務", "デジ", "こども", "府", "消費者", "個情"]),
    st.booleans(),
    st.integers(0, 99),
    st.integers(0, 9999),
    st.sampled_from(["-", "", " - ", "－", "ｰ"]),
)
@FAST
def test_parse_program_numbers_round_trips_generated_numbers(year, ministry, new, series, number, sep):
    p = ProgramNumber(year, ministry, new, series, f"{number:04d}")
    text = sep.join([str(year), ministry, f"{'新' if new else ''}{series:02d}", f"{number:04d}"])
    assert parse_program_numbers(text) == [p]
    assert parse_program_numbers(p.key()) == [p]


@given(st.text(max_size=40))
@FAST
def test_parse_program_numbers_only_raises_normalize_error(s):
    try:
        result = parse_program_numbers(s)
    except NormalizeError:
        return
    assert all(len(p.number) in (4, 7) for p in result)


# ---------------------------------------------------------------------------------------------
# subsidy rates
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1/2", "0.5"), ("１／２", "0.5"), ("10/10", "1"), ("２分の１", "0.5"), ("10分の５", "0.5"),
     ("100%", "1"), ("100％", "1"), ("0.5", "0.5"), ("国費1/2", "0.5"), ("1/2以内", "0.5"), ("'1/2", "0.5"),
     ("二分の一", "0.5"),
     ("3/4", "0.75"), ("50%", "0.5"), ("補助率：2/3", "0.6666666666666666666666666667"), (" 1 / 2 ", "0.5")],
)  # fmt: skip
def test_parse_fraction_parses_single_simple_rates(raw, expected):
    assert str(parse_fraction(raw)) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "定額",
        "定額、1/2",
        "1/2、1/3等",
        "",
        "補助対象経費の1/2以内（ただし上限あり）",
        "1/0",
        "abc",
        "1/2/3",
        "%",
        "1e-1",
    ],
)
def test_parse_fraction_returns_none_for_anything_but_a_single_rate(raw):
    assert parse_fraction(raw) is None


@given(st.text(max_size=30))
@FAST
def test_parse_fraction_never_raises(s):
    result = parse_fraction(s)
    assert result is None or isinstance(result, Decimal)


@given(st.integers(1, 1000), st.integers(1, 1000))
@FAST
def test_parse_fraction_agrees_across_slash_and_bun_no_forms(num, den):
    assert parse_fraction(f"{num}/{den}") == parse_fraction(f"{den}分の{num}")


# ---------------------------------------------------------------------------------------------
# speed of the hot path
# ---------------------------------------------------------------------------------------------


@pytest.mark.skipif(sys.gettrace() is not None, reason="timing is meaningless under a tracer/coverage")
def test_parse_amount_plain_digits_fast_path_is_fast():
    import timeit

    per_call = min(timeit.repeat(lambda: parse_amount("537733000"), number=20_000, repeat=3)) / 20_000
    assert per_call < 5e-6  # ~0.5 µs on a laptop; generous bound for slow CI
