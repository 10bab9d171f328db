"""Golden files: every case ``tests/loaders/<source>/<case>/`` maps to exactly its expected graphs.

A case is a directory found by glob, named ``<case>`` under the directory of its loader (``<source>``, a key of
:data:`loaders.LOADERS`).  It holds

- ``case.toml``: ``input = "…"``, the file the loader reads, relative to the repository root (bundled sources
  stay in ``data/``; the file keeps its own name, from which graph names and provenance are derived);
- ``expected.data.nt`` and ``expected.decl.nt``: the data and declaration graphs as sorted N-Triples (exact
  lexical forms, readable diffs).

The input is mapped as a load maps it (:func:`tests.conftest.map_file`) and each graph is compared with its
expected file as an isomorphic graph; a mismatch lists up to ten unexpected (``+``) and ten missing (``-``)
triples.  A case directory without ``case.toml`` or an expected file, or under a directory that names no loader,
fails.  After an intended mapping change (or to write a new case's expected files), regenerate with
``CBKG_UPDATE_GOLDEN=1 pytest tests/loaders/test_golden.py [-k <source>/]`` and review the diff.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from loaders import LOADERS
from ontology.terms import to_ntriples
from tests.conftest import ROOT, map_file, to_graph

HERE = Path(__file__).resolve().parent
CASES = sorted({p.parent for pattern in ("*/*/case.toml", "*/*/expected.*.nt") for p in HERE.glob(pattern)})
"""Every case directory: one holding a ``case.toml`` or an expected file."""
KINDS = ("data", "decl")
SAMPLE_FOLDERS = ("data/gbizinfo", "data/houjin", "tests/loaders/rs_csv/sample")
"""Folders whose every sample is a case's input (a sample added there needs its case)."""
NOT_SAMPLES = {"MANIFEST.json", "README.md"}


def case_id(case: Path) -> str:
    """``<source>/<case>``."""
    return f"{case.parent.name}/{case.name}"


def case_input(case: Path) -> Path:
    """The input file named by the case's ``case.toml``; fails the test when it is missing or malformed."""
    spec = case / "case.toml"
    if not spec.is_file():
        pytest.fail(f"{case_id(case)}: no case.toml naming its input")
    fields = tomllib.loads(spec.read_text(encoding="utf-8"))
    if set(fields) != {"input"} or not isinstance(fields["input"], str):
        pytest.fail(f"{case_id(case)}: case.toml must hold exactly one string, input = …; got {fields}")
    path = ROOT / fields["input"]
    if not path.is_file():
        pytest.fail(f"{case_id(case)}: input {fields['input']} does not exist")
    return path


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_case_maps_to_golden_graphs(case: Path) -> None:
    name = case_id(case)
    loader = LOADERS.get(case.parent.name)
    if loader is None:
        pytest.fail(f"{name}: no loader named {case.parent.name!r} (loaders.LOADERS: {', '.join(LOADERS)})")
    data, decl, _ = map_file(loader, case_input(case))
    for kind, triples in zip(KINDS, (data, decl), strict=True):
        expected_file = case / f"expected.{kind}.nt"
        if os.environ.get("CBKG_UPDATE_GOLDEN"):
            expected_file.write_text("".join(sorted(set(to_ntriples(triples)))), encoding="utf-8")
            continue
        if not expected_file.is_file():
            pytest.fail(f"{name}: {expected_file.name} is missing (write it with CBKG_UPDATE_GOLDEN=1, then review)")
        got = to_graph(triples)
        expected = type(got)().parse(expected_file, format="nt")
        if not isomorphic(got, expected):
            _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
            sample = "\n".join(sorted(f"+ {t}" for t in only_got)[:10] + sorted(f"- {t}" for t in only_expected)[:10])
            pytest.fail(f"{name} {kind}: {len(only_got)} unexpected, {len(only_expected)} missing\n{sample}")


def test_every_loader_has_a_golden_case() -> None:
    assert set(LOADERS) <= {c.parent.name for c in CASES}, set(LOADERS) - {c.parent.name for c in CASES}


def test_every_bundled_sample_is_a_golden_case() -> None:
    inputs = {case_input(c) for c in CASES}
    samples = {p for folder in SAMPLE_FOLDERS for p in (ROOT / folder).iterdir() if p.name not in NOT_SAMPLES}
    assert not samples - inputs, sorted(str(p.relative_to(ROOT)) for p in samples - inputs)
