"""Accuracy of parse_citations + law resolution over every 法令名 of the bundled RS 2024 table 1-3.

A row is *fully* parsed when it gives at least one citation, every citation is complete, nothing is
left over (:func:`unparsed`) and every citation resolves to a 法令ID: by its law name
(``law_register().resolve``), else by its law number (``resolve_number``), else — for a citation that
names no law and no number (``第11条第2項``) — through the row's own 法令ID column.  *Partly*: some citation
but leftovers, incomplete citations or an unresolved law.  *Not at all*: no citation.

The counts are pinned below so that changes to the parser or the register cannot silently make things
worse; raise them when an improvement lands.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest

from loaders import normalize as nz
from loaders.citations import Citation, parse_citations, parse_law_number, unparsed
from loaders.common import split_law_id
from ontology.laws import LawRegister, law_register

CS = "426AC1000000104"

# Measured 2026-11-23 on data/rs2024 (14,991 rows, 8,073 with 法令名: 7,287 with a valid 法令ID, 786 without one: 763 empty, 23 junk such as IDなし).
ROWS_WITH_NAME = 8073
WITH_ID = {"full": 7216, "partly": 70, "none": 1}
WITHOUT_ID = {"full": 477, "partly": 267, "none": 42}
WITHOUT_ID_RESOLVED = 511  # rows without 法令ID where at least one citation resolves to a 法令ID
MAX_DISAGREEMENTS = 2  # rows whose first named law resolves to another ID than the row's 法令ID column
CS_ROWS = 35  # rows naming サイバーセキュリティ基本法 (any spelling; not its 施行令)


@dataclass
class Measure:
    with_id: Counter[str] = field(default_factory=Counter)
    without_id: Counter[str] = field(default_factory=Counter)
    without_id_resolved: int = 0
    disagreements: list[tuple[str, str, str]] = field(default_factory=list)
    cs_rows: list[tuple[str, str, list[str | None]]] = field(default_factory=list)  # (program, name, IDs)
    by_program: dict[str, list[tuple[str, list[Citation], list[str | None]]]] = field(default_factory=dict)


def resolve(reg: LawRegister, c: Citation, row_id: str | None) -> str | None:
    if c.law_name:
        hit = reg.resolve(c.law_name)
        if hit is not None:
            return hit[0]
    if c.law_number:
        try:
            n = parse_law_number(c.law_number)
        except nz.NormalizeError:
            return None
        return reg.resolve_number(n.year, n.kind, n.number)
    return row_id if c.law_name is None else None


def measure(rows: list[dict[str, str]], reg: LawRegister) -> Measure:
    m = Measure()
    for r in rows:
        name = r["法令名"]
        if not name.strip():
            continue
        raw_id = r["法令ID"].strip()
        ref = split_law_id(nz.nfkc(raw_id)) if raw_id else None
        row_id = ref[0] if ref else None
        cits = parse_citations(name)
        ids = [resolve(reg, c, row_id) for c in cits]
        if not cits:
            verdict = "none"
        elif all(c.complete for c in cits) and all(ids) and not unparsed(name, cits):
            verdict = "full"
        else:
            verdict = "partly"
        (m.with_id if row_id else m.without_id)[verdict] += 1
        if row_id is None and any(ids):
            m.without_id_resolved += 1
        if row_id and cits and cits[0].law_name and ids[0] and ids[0] != row_id:
            m.disagreements.append((name, ids[0], row_id))
        if "サイバーセキュリティ基本法" in nz.nfkc(name).replace(" ", "") and not any(
            "施行令" in (c.law_name or "") for c in cits
        ):
            m.cs_rows.append((r["予算事業ID"], name, ids))
        m.by_program.setdefault(r["予算事業ID"], []).append((name, cits, ids))
    return m


@pytest.fixture(scope="module")
def result(rows_1_3: list[dict[str, str]]) -> Measure:
    return measure(rows_1_3, law_register())


def test_accuracy_does_not_regress(result: Measure) -> None:
    w, wo = result.with_id, result.without_id
    total = sum(w.values()) + sum(wo.values())
    print(
        f"\n法令名 rows: {total}"
        f"\n  with 法令ID    ({sum(w.values())}): full {w['full']}, partly {w['partly']}, none {w['none']}"
        f"\n  without 法令ID ({sum(wo.values())}): full {wo['full']}, partly {wo['partly']}, none {wo['none']}"
        f"\n  without 法令ID but resolved to a 法令ID: {result.without_id_resolved}"
        f"\n  disagreements with the 法令ID column: {len(result.disagreements)}"
    )
    assert total == ROWS_WITH_NAME
    assert w["full"] >= WITH_ID["full"] and w["none"] <= WITH_ID["none"]
    assert wo["full"] >= WITHOUT_ID["full"] and wo["none"] <= WITHOUT_ID["none"]
    assert result.without_id_resolved >= WITHOUT_ID_RESOLVED
    assert len(result.disagreements) <= MAX_DISAGREEMENTS, result.disagreements


def test_cybersecurity_basic_law_always_resolves(result: Measure) -> None:
    assert len(result.cs_rows) >= CS_ROWS
    for program, name, ids in result.cs_rows:
        assert CS in ids, (program, name, ids)


@pytest.mark.parametrize("program", ["47", "48"])
def test_programs_citing_the_cs_basic_law_by_name_and_number(result: Measure, program: str) -> None:
    (name1, cits1, ids1), (name2, cits2, ids2) = result.by_program[program]
    assert (name1, [c.law_name for c in cits1], ids1) == (
        "サイバーセキュリティ基本法",
        ["サイバーセキュリティ基本法"],
        [CS],
    )
    assert (name2, [c.law_number for c in cits2], ids2) == ("（平成26年法律第104号）", ["平成26年法律第104号"], [CS])


def test_program_709(result: Measure) -> None:
    rows = result.by_program["709"]
    name, cits, ids = rows[0]
    assert name == "サイバーセキュリティ基本法第16条"
    assert [(c.law_name, c.article) for c in cits] == [("サイバーセキュリティ基本法", "16")] and ids == [CS]
    assert [ids for _, _, ids in rows[1:]] == [["503AC0000000035"], ["412CO0000000246"], ["411AC0000000091"]]
    assert [c.article for _, cits, _ in rows[1:] for c in cits] == ["33", "7", "4"]
