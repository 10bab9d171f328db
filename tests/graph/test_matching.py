"""The pure parts of identity resolution: name keys, similarity, candidate retrieval, constrained grouping."""

from __future__ import annotations

import pytest

from graph import matching
from graph.matching import Groups, NameIndex, core_key, former_names, name_key, similarity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("産業サイバーセキュリティ強靱化事業", "産業サイバーセキュリティ強靭化事業"),  # variant kanji
        ("【総務省】地域デジタル基盤活用推進事業", "地域デジタル基盤活用推進事業"),  # ministry prefix
        ("ＩｏＴの安心・安全かつ適正な利用環境の構築", "IoTの安心・安全かつ適正な利用環境の構築"),  # width
        (
            "放送コンテンツによる地域情報発信力強化事業／（旧　放送コンテンツ海外展開強化事業）",
            "放送コンテンツによる地域情報発信力強化事業",
        ),
        ("経済安全保障政策専門員等経費（旧サイバー政策専門員）", "経済安全保障政策専門員等経費"),
    ],
)
def test_spelling_variants_share_a_name_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_a_former_name_in_a_label_is_found() -> None:
    assert former_names("経済安全保障政策専門員等経費（旧サイバー政策専門員）") == ["サイバー政策専門員"]
    assert former_names("サイバーセキュリティ戦略本部等経費") == []


def test_generic_tails_are_a_strong_but_not_exact_match() -> None:
    a, b = name_key("サイバー政策専門員経費"), name_key("サイバー政策専門員")
    assert core_key(a) == core_key(b)
    assert similarity(a, b) == 0.95 >= matching.MERGE


def test_different_programs_with_similar_names_stay_below_the_merge_threshold() -> None:
    a, b = name_key("サイバー分野における研究機能の強化"), name_key("サイバー分野における教育機能の強化")
    assert similarity(a, b) < matching.MERGE


def test_name_index_finds_the_exact_name_even_when_the_own_group_fills_the_shortlist() -> None:
    index = NameIndex()
    for i in range(12):
        index.add("cas", name_key("サイバーセキュリティ戦略本部等経費"), f"judgit-{i:02d}")
    index.add("cas", name_key("サイバーセキュリティ戦略本部等経費"), "rs-47")
    index.add("soumu", name_key("サイバーセキュリティ戦略本部等経費"), "other-ministry")
    found = index.candidates(
        "cas", name_key("サイバーセキュリティ戦略本部等経費"), skip=lambda o: o.startswith("judgit")
    )
    assert found[0][:2] == (1.0, "rs-47")
    assert all(owner != "other-ministry" for _, owner, _ in found)


def test_groups_refuse_two_sheets_of_one_year_and_two_registered_programs() -> None:
    g = Groups()
    g.add("a2023", 2023, None)
    g.add("b2023", 2023, None)
    g.add("p1", 2024, "program/1")
    g.add("p2", 2025, "program/2")
    assert not g.union("a2023", "b2023", "name", 1.0)
    assert g.conflicts[-1].reason.startswith("both have a sheet for 2023")
    assert not g.union("p1", "p2", "former-number", 1.0)
    assert "different registered programs" in g.conflicts[-1].reason
    assert not g.union("a2023", "b2023", "name", 1.0, report=False) and len(g.conflicts) == 2
    assert g.union("a2023", "p1", "previous-sheet", 1.0)
    assert g.program_of(g.find("a2023")) == "program/1"


def test_every_member_is_explained_by_a_path_to_the_anchor() -> None:
    g = Groups()
    for s, y in (("s2015", 2015), ("s2016", 2016), ("s2022", 2022), ("rs2024", 2024)):
        g.add(s, y, "program/47" if s == "rs2024" else None)
    g.union("s2015", "s2016", "judgit-program-id", 1.0)
    g.union("s2016", "s2022", "previous-sheet", 1.0)
    g.union("rs2024", "s2022", "name", 1.0)
    why = g.explain(g.find("rs2024"), ["rs2024"])
    assert {k: (e.method, e.other) for k, e in why.items()} == {
        "s2022": ("name", "rs2024"),
        "s2016": ("previous-sheet", "s2022"),
        "s2015": ("judgit-program-id", "s2016"),
    }
