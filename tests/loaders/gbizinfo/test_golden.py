"""Golden files: each bundled gBizINFO sample (data/gbizinfo) maps to exactly the expected graphs (data and declarations).

Expected graphs are sorted N-Triples, which give readable diffs. After an intended mapping change, regenerate them
with ``CBKG_UPDATE_GOLDEN=1 pytest tests/loaders/gbizinfo`` and review the diff of ``expected/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import loaders.gbizinfo as gbizinfo
from ontology.terms import to_ntriples
from tests.conftest import ROOT, map_file, to_graph

EXPECTED = Path(__file__).resolve().parent / "expected"
CASES = sorted(p for p in (ROOT / "data" / "gbizinfo").glob("*.json") if p.name != "MANIFEST.json")


def test_all_seven_samples_are_bundled() -> None:
    assert len(CASES) == 7


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_gbizinfo_sample_maps_to_golden_graphs(path: Path) -> None:
    data, decl, _ = map_file(gbizinfo, path)
    for kind, triples in (("data", data), ("decl", decl)):
        got = to_graph(triples)
        expected_file = EXPECTED / f"{path.name}.{kind}.nt"
        if os.environ.get("CBKG_UPDATE_GOLDEN"):
            EXPECTED.mkdir(exist_ok=True)
            lines = sorted(set(to_ntriples(triples)))
            expected_file.write_text("".join(lines), encoding="utf-8")
            continue
        expected = type(got)().parse(expected_file, format="nt")
        if not isomorphic(got, expected):
            _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
            sample = "\n".join(sorted(f"+ {t}" for t in only_got)[:10] + sorted(f"- {t}" for t in only_expected)[:10])
            pytest.fail(f"{path.name} {kind}: {len(only_got)} unexpected, {len(only_expected)} missing\n{sample}")
