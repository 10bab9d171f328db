"""Property: a mutated real RS row is either mapped or a load issue, never silently dropped (issue 13).

Rows of the bundled RS sample (``tests/loaders/rs_csv/sample``, the one ``tests/conftest.py`` loads) get one
mutation each: a cell replaced by hostile text (digits of other scripts, full-width digits, quotes, commas, line
breaks, control characters, implausible numbers, other years), a field dropped or added.  The file is parsed by
the real loader and every record and issue is mapped to triples.  Then each row in is exactly one of: a mapped
record, or a row named by an issue saying it is not mapped — rows in = rows mapped + rows with issues.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import rs_csv
from loaders.base import LoadIssue, MapContext, SourceUnit
from loaders.normalize import is_none_marker
from loaders.rs_csv.tables import header_key
from ontology.iri import Minter
from ontology.terms import IRI
from tests.conftest import BASE
from tests.hardening.test_bad_input import S12, S21, S53, csv_text, read_csv

ROWS_PER_FILE = 8
HOSTILE = [
    "",
    "-",
    "１２",
    "١٣",
    "𝟗𝟔",
    "⑨⑧",
    "⁹⁹",
    "2021",
    "令和6年度",
    "NaN",
    "1e6",
    "▲5,000",
    "99999999999999999999999",
    '"',
    'a,"b"',
    "一行目\r\n二行目",
    "\x07",
    "\x00",
    "<script>x</script>",
    "7010005007678",
]


def _template(sample: Path) -> tuple[list[str], list[list[str]], str]:
    """The header and the first data rows of ``sample`` with at least two non-empty payload cells."""
    rows = read_csv(sample)
    header = rows[0]
    table, _ = rs_csv.identify(header)
    assert table is not None
    by_header = {header_key(c.header): c.key for c in table.columns}
    payload = [i for i, h in enumerate(header) if by_header.get(header_key(h)) in set(table.payload)]
    good = [r for r in rows[1:] if sum(1 for i in payload if r[i].strip() and not is_none_marker(r[i])) >= 2]
    return header, good[:ROWS_PER_FILE], table.id


TEMPLATES = {p.name: _template(p) for p in (S12, S21, S53)}


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, list[list[str]]]:
    """A table (name) and its template rows, each with at most one mutation."""
    name = draw(st.sampled_from(sorted(TEMPLATES)))
    header, rows, _ = TEMPLATES[name]
    out = [header]
    for row in rows:
        row = list(row)
        kind = draw(st.sampled_from(["none", "cell", "cell", "cell", "drop", "add"]))
        if kind == "cell":
            col = draw(st.integers(0, len(row) - 1))
            row[col] = draw(st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=12)))
        elif kind == "drop":
            row.pop(draw(st.integers(0, len(row) - 1)))
        elif kind == "add":
            row.insert(draw(st.integers(0, len(row))), draw(st.sampled_from(HOSTILE)))
        out.append(row)
    return name, out


ROW_REFUSALS = {"column-count", "row-key"}
"""Issue codes meaning "this row is not mapped" (``duplicate-row`` too, when it says "not mapped again")."""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=mutated())
def test_every_mutated_rs_row_is_mapped_or_a_load_issue(case: tuple[str, list[list[str]]], tmp_path: Path) -> None:
    name, rows = case
    path = tmp_path / name
    path.write_bytes(csv_text(rows).encode("utf-8-sig"))
    unit = SourceUnit(path)
    m = Minter(BASE)
    ctx = MapContext(m, m.source("0" * 64), IRI(m.graph(rs_csv.graph_key(unit, unit.head()))))
    mapped: set[int] = set()
    unmapped: set[int] = set()
    for rec in rs_csv.parse(unit):
        list(rs_csv.to_triples(rec, ctx))  # mapping never raises, whatever the record
        list(rs_csv.declarations(rec, ctx))
        if isinstance(rec, rs_csv.RsRecord):
            assert rec.row not in mapped, f"row {rec.row} mapped twice"
            mapped.add(rec.row)
        elif isinstance(rec, LoadIssue) and rec.row is not None:
            if rec.code in ROW_REFUSALS or (rec.code == "duplicate-row" and "not mapped again" in rec.reason):
                assert rec.severity in ("error", "warning") and "not mapped" in rec.reason
                unmapped.add(rec.row)
    rows_in = set(range(2, len(rows) + 1))  # RFC 7111 record numbers: the header is row 1
    assert not mapped & unmapped, f"rows both mapped and reported as not mapped: {sorted(mapped & unmapped)}"
    assert mapped | unmapped == rows_in, f"rows neither mapped nor reported: {sorted(rows_in - mapped - unmapped)}"
    assert len(rows_in) == len(mapped) + len(unmapped)
