"""Golden files: representative real JUDGIT! sheets (from ``data/judgit``) map to exactly the expected graphs.

Expected graphs are sorted N-Triples (exact lexical forms; readable diffs).  Regenerate after an intended
mapping change with ``CBKG_UPDATE_GOLDEN=1 pytest tests/loaders/judgit`` and review the diff of ``expected/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from loaders import judgit
from ontology.terms import to_ntriples
from tests.conftest import ROOT, map_file, to_graph

DATA = ROOT / "data" / "judgit"
EXPECTED = Path(__file__).resolve().parent / "expected"
CASES = {
    # earliest shape (2015): number 0013 without ministry, 法人番号 null; NISC サイバーセキュリティ戦略本部等経費
    "2015-cas-0013": "2015/内閣官房/0013.json",
    # a 新 number and a special account (エネルギー対策特別会計エネルギー需給勘定)
    "2016-meti-shin29-0017": "2016/経済産業省/新29-0017.json",
    # NISC 2018: a previous sheet whose 年度 is 24 (not a Gregorian year), placeholder payees
    "2018-cas-0012": "2018/内閣官房/0012.json",
    # a 12-digit 法人番号 (bad-corpno), a previous sheet with its IRI
    "2018-npa-0061": "2018/警察庁/0061.json",
    # a previous sheet written with 事業番号3 '0'
    "2018-mod-0251": "2018/防衛省/0251.json",
    # NISC 2022 shape (2022-官房-21-0025), JUDGIT ids null
    "2022-cas-21-0025": "2022/内閣官房/2022-官房-21-0025.json",
    # 2022 shape with negative, fractional 翌年度へ繰越し (-316.034 百万円) and outcomes
    "2022-mext-21-0234": "2022/文部科学省/2022-文科-21-0234.json",
    # a one-digit branch in the number (2022-外務-21-0085-1), no payees
    "2022-mofa-21-0085-1": "2022/外務省/2022-外務-21-0085-1.json",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_judgit_sheet_maps_to_golden_graphs(name: str) -> None:
    data, decl, _ = map_file(judgit, DATA / CASES[name])
    for kind, triples in (("data", data), ("decl", decl)):
        got = to_graph(triples)
        expected_file = EXPECTED / f"{name}.{kind}.nt"
        if os.environ.get("CBKG_UPDATE_GOLDEN"):
            EXPECTED.mkdir(exist_ok=True)
            expected_file.write_text("".join(sorted(set(to_ntriples(triples)))), encoding="utf-8")
            continue
        expected = type(got)().parse(expected_file, format="nt")
        if not isomorphic(got, expected):
            _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
            sample = "\n".join(sorted(f"+ {t}" for t in only_got)[:10] + sorted(f"- {t}" for t in only_expected)[:10])
            pytest.fail(f"{name} {kind}: {len(only_got)} unexpected, {len(only_expected)} missing\n{sample}")
