"""Golden files: each law sample maps to exactly the expected graphs (data and declarations).

The cases are the two real files bundled in ``data/laws/`` and the 法令標準XML fixture made from the e-Gov sample
(``make_fixture.py``). Expected graphs are sorted N-Triples, which give readable diffs. After an intended
mapping change, regenerate them with ``CBKG_UPDATE_GOLDEN=1 pytest tests/loaders/egov_law`` and review the diff
of ``expected/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import loaders.egov_law as egov_law
from ontology.terms import to_ntriples
from tests.conftest import ROOT, map_file, to_graph

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
CASES = {
    "cs-basic-law.provisions-json": ROOT / "data" / "laws" / "426AC1000000104.json",
    "kojin-joho.egov-json": ROOT / "data" / "laws" / "law_data.415AC0000000057.trimmed.2026-07-10.json",
    "kojin-joho.egov-xml": HERE / "sample" / "415AC0000000057_20260624_508AC0000000046.xml",
}


@pytest.mark.parametrize("case", list(CASES))
def test_law_sample_maps_to_golden_graphs(case: str) -> None:
    path = CASES[case]
    data, decl, _ = map_file(egov_law, path)
    for kind, triples in (("data", data), ("decl", decl)):
        got = to_graph(triples)
        expected_file = EXPECTED / f"{case}.{kind}.nt"
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
