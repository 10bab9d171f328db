"""The rewritten gallery queries answer exactly what they answered before they were rewritten for speed.

``tests/api/examples_before/`` keeps the text of each example as it was before its rewrite (issue 14: same
answers, faster plans on the on-disk store).  On the RS sample, each current example and its earlier version
must give the same canonical answer.  Where the sample has no rows for an example as written (no デジタル庁
program in the sample, no payee paid by two cyber programs), both texts are also run with the same constant
changed, so that no comparison is vacuous.  The full corpus is compared with recorded answers in
``tests/integration/test_example_answers.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.oxistore import OxigraphStore
from graph.store import SelectResult
from tests.conftest import ROOT

EXAMPLES = ROOT / "api" / "examples"
BEFORE = Path(__file__).resolve().parent / "examples_before"
REWRITTEN = sorted(BEFORE.glob("*.rq"))

VARIANTS: dict[str, list[tuple[str, str]]] = {
    "01-digital-agency-programs": [
        ("org/digital", "org/soumu"),
        ("org/digital", "org/cas"),
        ("org/digital", "org/mlit"),
    ],
    "15-payees-of-several-cyber-programs": [(">= 2)", ">= 1)")],
}
"""Per example, (text, replacement) pairs applied to both versions, each run as one more comparison."""

CASES = [(p.stem, None) for p in REWRITTEN] + [
    (stem, change) for stem, changes in VARIANTS.items() for change in changes
]


def test_every_rewritten_example_has_its_earlier_version_and_vice_versa() -> None:
    assert REWRITTEN, "no earlier versions kept"
    for p in REWRITTEN:
        assert (EXAMPLES / p.name).exists(), f"{p.name}: no such example any more"
        assert p.read_text(encoding="utf-8") != (EXAMPLES / p.name).read_text(encoding="utf-8"), p.name
    assert set(VARIANTS) <= {p.stem for p in REWRITTEN}


@pytest.mark.parametrize(("stem", "change"), CASES, ids=[s + (f"[{c[1]}]" if c else "") for s, c in CASES])
def test_rewritten_example_gives_the_answer_of_its_earlier_version(
    sample_store: OxigraphStore, stem: str, change: tuple[str, str] | None
) -> None:
    before = (BEFORE / f"{stem}.rq").read_text(encoding="utf-8")
    now = (EXAMPLES / f"{stem}.rq").read_text(encoding="utf-8")
    if change is not None:
        assert change[0] in before and change[0] in now
        before, now = before.replace(*change), now.replace(*change)
    expected = sample_store.select(before)
    got = sample_store.select(now)
    assert got.variables == expected.variables
    assert got.canonical() == expected.canonical()
    assert in_order(got) == in_order(expected)  # the same ORDER BY: the same order (no ties in these answers)
    if change is not None or stem not in VARIANTS:
        assert len(expected) > 0, f"{stem} {change}: no rows on the sample, the comparison is vacuous"


def in_order(res: SelectResult) -> list[tuple[tuple[str, str], ...]]:
    """The canonical form of each row, in the order the query returned them."""
    return [SelectResult(res.variables, [row]).canonical()[0] for row in res.rows]
