"""Golden files: the bundled RS single-sheet export maps to exactly the expected graphs (data and declarations).

Expected graphs are sorted N-Triples (exact lexical forms; readable diffs).  Regenerate after an intended mapping
change with ``CBKG_UPDATE_GOLDEN=1 pytest tests/loaders/rs_sheet`` and review the diff of ``expected/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import loaders.rs_sheet as rs_sheet
from ontology.terms import to_ntriples
from tests.conftest import ROOT, map_file, to_graph

EXPECTED = Path(__file__).resolve().parent / "expected"
CASES = {"rs2026-20950": ROOT / "data" / "seeds" / "sheets" / "000_b4a804753547e4f7.txt"}


@pytest.mark.parametrize("case", list(CASES))
def test_rs_sheet_seed_maps_to_golden_graphs(case: str) -> None:
    data, decl, _ = map_file(rs_sheet, CASES[case])
    for kind, triples in (("data", data), ("decl", decl)):
        got = to_graph(triples)
        expected_file = EXPECTED / f"{case}.{kind}.nt"
        if os.environ.get("CBKG_UPDATE_GOLDEN"):
            EXPECTED.mkdir(exist_ok=True)
            expected_file.write_text("".join(sorted(set(to_ntriples(triples)))), encoding="utf-8")
            continue
        expected = type(got)().parse(expected_file, format="nt")
        if not isomorphic(got, expected):
            _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
            sample = "\n".join(sorted(f"+ {t}" for t in only_got)[:10] + sorted(f"- {t}" for t in only_expected)[:10])
            pytest.fail(f"{case} {kind}: {len(only_got)} unexpected, {len(only_expected)} missing\n{sample}")
