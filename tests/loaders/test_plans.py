"""Plan identity from citation text: one plan per edition, spelling variants merged, editions apart."""

from __future__ import annotations

import pytest

from loaders.common import plan_iri, plan_key
from ontology.iri import Minter

M = Minter("https://w3id.org/cbkg/")


@pytest.mark.parametrize(
    ("name", "key", "title", "date"),
    [
        (
            "○サイバーセキュリティ戦略（令和３年９月28日閣議決定）",
            "サイバーセキュリティ戦略|2021-09-28",
            "サイバーセキュリティ戦略",
            "2021-09-28",
        ),
        (
            "「サイバーセキュリティ戦略」(令和3年9月28日 閣議決定)",
            "サイバーセキュリティ戦略|2021-09-28",
            "サイバーセキュリティ戦略",
            "2021-09-28",
        ),
        (
            "サイバーセキュリティ戦略（令和7年12月23日閣議決定）",
            "サイバーセキュリティ戦略|2025-12-23",
            "サイバーセキュリティ戦略",
            "2025-12-23",
        ),
        (
            "サイバーセキュリティ戦略（平成27年9月）",
            "サイバーセキュリティ戦略|2015-09",
            "サイバーセキュリティ戦略",
            None,
        ),
        ("サイバーセキュリティ戦略」（閣議決定）", "サイバーセキュリティ戦略", "サイバーセキュリティ戦略", None),
        (
            "2050年カーボンニュートラルに伴うグリーン成長戦略（令和３年６月、成長戦略会議）",
            "2050年カーボンニュートラルに伴うグリーン成長戦略|2021-06",
            "2050年カーボンニュートラルに伴うグリーン成長戦略",
            None,
        ),
        ("①ＩＴ新改革戦略", "IT新改革戦略", "IT新改革戦略", None),
    ],
)
def test_plan_key_merges_spellings_and_keeps_editions_apart(name: str, key: str, title: str, date: str | None) -> None:
    assert plan_key(name) == (key, title, date)


def test_spelling_variants_of_one_edition_get_one_iri_and_editions_differ() -> None:
    a, _ = plan_iri(M, "○サイバーセキュリティ戦略（令和３年９月28日閣議決定）")
    b, _ = plan_iri(M, "サイバーセキュリティ戦略(令和3年9月28日閣議決定)")
    c, _ = plan_iri(M, "サイバーセキュリティ戦略（令和7年12月23日閣議決定）")
    assert a == b != c


def test_an_edition_known_by_month_records_the_month_not_an_invented_day() -> None:
    _, decls = plan_iri(M, "サイバーセキュリティ戦略（平成27年9月）")
    preds = {str(p).rsplit("#", 1)[-1]: o for _, p, o in decls}
    assert "decisionDate" not in preds
    assert preds["decisionYearMonth"].lex == "2015-09"
