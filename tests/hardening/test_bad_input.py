"""Bad source input ends in a clear refusal or a recorded load issue: never a crash of the whole load, never a
silent or partial load.

Every test corrupts a copy of the bundled data (the RS 2024 ZIPs, the RS sample, the NTA and JUDGIT! files) in
``tmp_path`` and runs the real pipeline on an on-disk Oxigraph store (``graph.pipeline.load``), asserting what it
does: which file is refused and why, which load issue is recorded (code, severity, row, line, column, raw value),
that the other files still load and that a refused file leaves the store as it was.  ``docs/bad-input.md`` lists
the classes with the test that shows each.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib

from graph import pipeline
from graph.oxistore import OxigraphStore
from graph.settings import Settings
from ontology import CODES_TTL
from tests.conftest import BASE, ROOT, RS_SAMPLE

RS2024 = ROOT / "data" / "rs2024"
HOUJIN = ROOT / "data" / "houjin"
JUDGIT = ROOT / "data" / "judgit"
CBKG = "https://w3id.org/cbkg/ontology#"
BOM = codecs.BOM_UTF8

S61 = RS_SAMPLE / "6-1_RS_2024_その他備考.csv"  # 19 programs, 1 with a remark
S15 = RS_SAMPLE / "1-5_RS_2024_基本情報_関連事業.csv"  # the companion file that must still load
S12 = RS_SAMPLE / "1-2_RS_2024_基本情報_事業概要等.csv"
S13 = RS_SAMPLE / "1-3_RS_2024_基本情報_政策・施策、法令等.csv"
S21 = RS_SAMPLE / "2-1_RS_2024_予算・執行_サマリ.csv"
S53 = RS_SAMPLE / "5-3_RS_2024_支出先_費目・使途.csv"


# -- helpers ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Issue:
    """A load issue as stored in a source graph."""

    code: str
    severity: str
    row: int | None
    line: int | None
    column: str | None
    value: str | None
    reason: str


_DECLARED = {
    str(s).rsplit("/", 1)[1]
    for s in rdflib.Graph().parse(CODES_TTL).subjects(rdflib.SKOS.inScheme, rdflib.URIRef(BASE + "code/issue"))
}


@dataclass
class Env:
    store: OxigraphStore
    settings: Settings
    tmp: Path

    def load(self, *paths: Path, workers: int = 1) -> pipeline.LoadReport:
        settings = self.settings.model_copy(update={"workers": workers})
        return pipeline.load(list(paths), self.store, settings)

    def keys(self) -> list[str]:
        return sorted(g.removeprefix(BASE + "graph/") for g in self.store.graphs() if "/graph/rs/" in g)

    def issues(self, key: str) -> list[Issue]:
        """The load issues of one source graph (every code must be in the issue code list)."""
        rows = self.store.select(f"""PREFIX cbkg: <{CBKG}>
            SELECT ?code ?sev ?row ?line ?col ?val ?why WHERE {{ GRAPH <{BASE}graph/{key}> {{
              ?i a cbkg:LoadIssue ; cbkg:issueCode ?code ; cbkg:severity ?sev ;
                 <http://www.w3.org/2000/01/rdf-schema#comment> ?why .
              OPTIONAL {{ ?i cbkg:rowNumber ?row }} OPTIONAL {{ ?i cbkg:lineNumber ?line }}
              OPTIONAL {{ ?i cbkg:column ?col }} OPTIONAL {{ ?i cbkg:rawValue ?val }} }} }}""")
        out = []
        for r in rows:
            code = str(r["code"]).rsplit("/", 1)[1]
            assert code in _DECLARED, f"issue code {code} is not in ontology/codes.ttl"
            out.append(
                Issue(
                    code,
                    str(r["sev"]).rsplit("/", 1)[1],
                    int(r["row"].lex) if "row" in r else None,  # type: ignore[union-attr]
                    int(r["line"].lex) if "line" in r else None,  # type: ignore[union-attr]
                    r["col"].lex if "col" in r else None,  # type: ignore[union-attr]
                    r["val"].lex if "val" in r else None,  # type: ignore[union-attr]
                    r["why"].lex,  # type: ignore[union-attr]
                )
            )
        return sorted(out)

    def codes(self, key: str) -> list[str]:
        return sorted(i.code for i in self.issues(key))

    def values(self, query: str) -> list[str]:
        """The first variable of a SELECT over the live dataset, as lexical values, sorted."""
        res = self.store.select(f"PREFIX cbkg: <{CBKG}>\n{query}")
        var = res.variables[0]
        return sorted(str(r[var]) if isinstance(r[var], str) else r[var].lex for r in res if var in r)  # type: ignore[union-attr]

    def snapshot(self) -> tuple[str | None, list[str], int]:
        return self.store.generation, self.store.graphs(include_hidden=True), self.store.count()

    def content(self, key: str) -> set[str]:
        """The facts of a source graph without its self-description (PROV/VoID, load issues) and with the source
        file's hash masked, so that two encodings of the same data compare equal."""
        own = (f"<{BASE}graph/{key}", f"<{BASE}source/")  # the graph, its load activity and its source file
        lines = self.store.dump_graph(f"{BASE}graph/{key}").decode("utf-8").splitlines()
        return {re.sub(r"source/[0-9a-f]+", "source/X", ln) for ln in lines if not ln.startswith(own)}


@pytest.fixture
def env(tmp_path: Path) -> Env:
    path = tmp_path / "store"
    return Env(OxigraphStore(path, base=BASE), Settings(store=f"oxigraph:{path}", base_iri=BASE, workers=1), tmp_path)


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def csv_text(rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def write(path: Path, data: str | bytes, encoding: str = "utf-8-sig") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def folder(env: Env, name: str, *files: tuple[str, str | bytes] | Path) -> Path:
    """A folder with copies of real files and written files."""
    d = env.tmp / name
    d.mkdir()
    for f in files:
        if isinstance(f, Path):
            shutil.copy(f, d)
        else:
            write(d / f[0], f[1])
    return d


def programs(sample: Path, values: dict[str, list[str]], first_id: int = 900001) -> list[list[str]]:
    """A table with one row per value, each a new program (予算事業ID ``first_id``, ``first_id + 1`` …) made from
    the first data row of ``sample`` that has a non-empty cell in every given column."""
    rows = read_csv(sample)
    header = rows[0]
    template = next(r for r in rows[1:] if all(r[header.index(c)] for c in values))
    n = len(next(iter(values.values())))
    out = [header]
    for i in range(n):
        row = list(template)
        row[header.index("予算事業ID")] = str(first_id + i)
        for col, vals in values.items():
            row[header.index(col)] = vals[i]
        out.append(row)
    return out


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def member_bytes(zip_path: Path) -> bytes:
    with zipfile.ZipFile(zip_path) as zf:
        return zf.read(zf.namelist()[0])


def refused(report: pipeline.LoadReport) -> dict[str, str]:
    """Refused files by name (ZIP members as ``archive!member``) and their reasons."""
    return {Path(src).name: reason for src, reason in report.refused}


def loaded(report: pipeline.LoadReport) -> list[str]:
    return sorted(r.plan.key for r in report.loaded)


# -- ZIP archives ------------------------------------------------------------------------------------------------
ZIP61 = RS2024 / "6-1_RS_2024_その他備考.zip"
ZIP15 = RS2024 / "1-5_RS_2024_基本情報_関連事業.zip"


@pytest.mark.parametrize("keep", [0.5, 0.99])
def test_truncated_zip_is_refused_as_damaged_and_the_other_files_load(env: Env, keep: float) -> None:
    data = ZIP61.read_bytes()
    d = folder(env, "in", ZIP15, ("6-1.zip", data[: int(len(data) * keep)]))
    report = env.load(d)
    assert refused(report) == {
        "6-1.zip": "damaged ZIP archive: its central directory is missing or unreadable (truncated download?)"
    }
    assert loaded(report) == ["rs/2024/1-5"]
    assert env.keys() == ["rs/2024/1-5"]


@pytest.mark.parametrize(
    ("where", "error"),
    [
        (200, "Error -3 while decompressing data: invalid block type"),  # found while sniffing the first 64 KiB
        (-2000, "Bad CRC-32 for file '6-1_RS_2024_その他備考.csv'"),  # found while hashing the whole member
    ],
)
def test_zip_with_a_damaged_member_is_refused_naming_the_member(env: Env, where: int, error: str) -> None:
    data = bytearray(ZIP61.read_bytes())
    at = where if where > 0 else len(data) + where
    data[at : at + 40] = b"\xff" * 40
    d = folder(env, "in", ZIP15, ("6-1.zip", bytes(data)))
    report = env.load(d)
    assert refused(report) == {"6-1.zip!6-1_RS_2024_その他備考.csv": f"damaged ZIP archive member: {error}"}
    assert loaded(report) == ["rs/2024/1-5"]


def test_zip_without_csv_is_refused_and_the_other_files_load(env: Env) -> None:
    z = zip_of(env.tmp / "docs.zip", {"readme.txt": b"nothing here", "data/": b""})
    report = env.load(z, ZIP15)
    assert refused(report) == {"docs.zip": "ZIP archive contains no CSV file"}
    assert loaded(report) == ["rs/2024/1-5"]


def test_zip_with_a_csv_that_is_not_an_rs_table_is_refused(env: Env) -> None:
    z = zip_of(env.tmp / "other.zip", {"other.csv": b"a,b\n1,2\n"})
    report = env.load(z)
    assert refused(report) == {"other.zip": report.refused[0][1]}
    assert report.refused[0][1].startswith("no loader recognises this file's content (known formats: rs_csv,")
    assert report.loaded == []


# -- encodings and byte order marks ------------------------------------------------------------------------------
def test_rs_csv_reencoded_as_cp932_in_a_zip_loads_the_same_facts_with_an_info_issue(env: Env) -> None:
    env.load(S13)
    utf8 = env.content("rs/2024/1-3")
    text = S13.read_text(encoding="utf-8-sig")
    z = zip_of(env.tmp / "1-3.zip", {S13.name: text.encode("cp932")})
    report = env.load(z)
    assert loaded(report) == ["rs/2024/1-3"] and not report.refused
    assert env.content("rs/2024/1-3") == utf8  # every fact, Japanese text included, decoded identically
    cp932 = [i for i in env.issues("rs/2024/1-3") if i.code == "cp932"]
    assert cp932 == [Issue("cp932", "info", None, None, None, None, "file is not UTF-8; decoded as Shift_JIS (CP932)")]


def test_nta_cp932_file_gives_the_same_corporation_as_its_utf8_twin(env: Env) -> None:
    report = env.load(HOUJIN / "num_0_ver4_c2.csv", HOUJIN / "num_0_ver4_c4.csv")
    assert len(report.loaded) == 2 and not report.refused
    sjis, utf8 = sorted(report.loaded, key=lambda r: r.plan.unit.name)
    assert sjis.plan.unit.name == "num_0_ver4_c2.csv"
    names = env.values(
        f"""SELECT ?g ?name WHERE {{ GRAPH ?g {{ ?r cbkg:officialName ?name
        FILTER(STRSTARTS(STR(?r), "{BASE}id/corporation/5111101000006/nta/")) }} }}"""
    )
    assert (
        len(names) == 2
        and len(
            set(
                env.values(f"""SELECT ?name WHERE {{ GRAPH ?g {{ ?r cbkg:officialName ?name
        FILTER(STRSTARTS(STR(?r), "{BASE}id/corporation/5111101000006/nta/")) }} }}""")
            )
        )
        == 1
    )
    assert [i.code for i in env.issues(sjis.plan.key)] == ["cp932"]
    assert env.issues(utf8.plan.key) == []


def test_rs_csv_without_bom_loads_the_same_facts_with_an_info_issue(env: Env) -> None:
    env.load(S61)
    with_bom = env.content("rs/2024/6-1")
    env.load(write(env.tmp / "6-1.csv", S61.read_bytes().removeprefix(BOM)))
    assert env.content("rs/2024/6-1") == with_bom
    assert env.issues("rs/2024/6-1") == [
        Issue("no-bom", "info", None, None, None, None, "file has no UTF-8 byte order mark (read as UTF-8)")
    ]


def test_rs_csv_with_two_byte_order_marks_loads_the_same_facts_with_a_warning(env: Env) -> None:
    env.load(S61)
    one = env.content("rs/2024/6-1")
    env.load(write(env.tmp / "6-1.csv", BOM + S61.read_bytes()))
    assert env.content("rs/2024/6-1") == one
    assert env.issues("rs/2024/6-1") == [
        Issue("repeated-bom", "warning", None, None, None, None, "file starts with 2 byte order marks")
    ]


@pytest.mark.parametrize(("encoding", "bom"), [("utf-16", "FF FE"), ("utf-16-be", None), ("utf-32", "FF FE 00 00")])
def test_utf16_and_utf32_files_are_refused_by_name(env: Env, encoding: str, bom: str | None) -> None:
    data = S61.read_text(encoding="utf-8-sig").encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
        bom = "FE FF"
    d = folder(env, "in", S15, ("6-1.csv", data))
    report = env.load(d)
    name = "UTF-32" if encoding == "utf-32" else "UTF-16"
    assert refused(report) == {
        "6-1.csv": f"{name} text (byte order mark {bom}): sources must be UTF-8 or Shift_JIS (CP932)"
    }
    assert loaded(report) == ["rs/2024/1-5"]


@pytest.mark.parametrize("workers", [1, 2])
def test_invalid_utf8_byte_refuses_the_file_naming_the_line_and_keeps_its_previous_graph(
    env: Env, workers: int
) -> None:
    env.load(S12)
    before = env.store.dump_graph(f"{BASE}graph/rs/2024/1-2")
    raw = S12.read_bytes()
    late = raw.index(b"\n", 80_000) + 1  # after the 64 KiB sniffing window: found while parsing
    d = folder(env, "in", S15, ("1-2.csv", raw[:late] + b"\xff" + raw[late:]))
    report = env.load(d, workers=workers)
    line = raw[:late].count(b"\n") + 1
    assert refused(report) == {
        "1-2.csv": f"invalid utf-8 byte sequence at line {line}, byte 1 of the line (ff); file not loaded"
    }
    assert loaded(report) == ["rs/2024/1-5"]
    assert env.store.dump_graph(f"{BASE}graph/rs/2024/1-2") == before  # the refused file did not touch it
    assert env.keys() == ["rs/2024/1-2", "rs/2024/1-5"]


def test_invalid_utf8_byte_in_the_first_kilobytes_refuses_the_file_naming_the_line(env: Env) -> None:
    raw = S61.read_bytes()
    at = raw.index("内閣サイバー".encode())
    d = folder(env, "in", S15, ("6-1.csv", raw[:at] + b"\x80" + raw[at:]))
    report = env.load(d)
    column = at - raw.rindex(b"\n", 0, at)  # 1-based position of the bad byte in its line
    assert refused(report) == {
        "6-1.csv": f"invalid utf-8 byte sequence at line 3, byte {column} of the line (80); file not loaded"
    }
    assert loaded(report) == ["rs/2024/1-5"]


# -- header drift ------------------------------------------------------------------------------------------------
def _with_header(rows: list[list[str]], header: list[str]) -> str:
    return csv_text([header, *rows[1:]])


def test_renamed_column_is_reported_missing_and_unknown_and_the_rest_maps_unchanged(env: Env) -> None:
    env.load(S21)
    original = env.content("rs/2024/2-1")
    rows = read_csv(S21)
    header = ["執行率(%)" if h == "執行率" else h for h in rows[0]]
    report = env.load(write(env.tmp / "2-1.csv", _with_header(rows, header)))
    assert loaded(report) == ["rs/2024/2-1"]
    assert env.content("rs/2024/2-1") == {ln for ln in original if "#executionRate>" not in ln}
    assert [i for i in env.issues("rs/2024/2-1") if i.code.startswith("column-")] == [
        Issue("column-missing", "warning", None, None, "執行率", None, "column absent from this file: 執行率"),
        Issue(
            "column-unknown",
            "warning",
            None,
            None,
            "執行率(%)",
            None,
            "column not in the RS 2-1 schema; its 46 non-empty values are not mapped (kept in the source file)",
        ),
    ]


def test_missing_column_is_reported_and_the_rest_maps_unchanged(env: Env) -> None:
    env.load(S21)
    original = env.content("rs/2024/2-1")
    rows = read_csv(S21)
    i = rows[0].index("執行率")
    report = env.load(write(env.tmp / "2-1.csv", csv_text(r[:i] + r[i + 1 :] for r in rows)))
    assert loaded(report) == ["rs/2024/2-1"]
    assert env.content("rs/2024/2-1") == {ln for ln in original if "#executionRate>" not in ln}
    assert [i for i in env.issues("rs/2024/2-1") if i.code.startswith("column-")] == [
        Issue("column-missing", "warning", None, None, "執行率", None, "column absent from this file: 執行率")
    ]


def test_extra_column_is_reported_with_its_value_count_and_the_rest_maps_unchanged(env: Env) -> None:
    env.load(S61)
    original = env.content("rs/2024/6-1")
    rows = read_csv(S61)
    extra = [rows[0] + ["新しい列"]] + [r + ([f"v{n}"] if n % 2 else [""]) for n, r in enumerate(rows[1:])]
    env.load(write(env.tmp / "6-1.csv", csv_text(extra)))
    assert env.content("rs/2024/6-1") == original
    assert env.issues("rs/2024/6-1") == [
        Issue(
            "column-unknown",
            "warning",
            None,
            None,
            "新しい列",
            None,
            "column not in the RS 6-1 schema; its 9 non-empty values are not mapped (kept in the source file)",
        )
    ]


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda h: __import__("unicodedata").normalize("NFKC", h), id="nfkc-halfwidth-brackets"),
        pytest.param(_fullwidth, id="fullwidth-ascii"),  # ＩＤ, （１）…: the regression of the header pre-check
        pytest.param(lambda h: h.replace("ー", "－").replace("（", "(").replace("）", ")"), id="dash-and-brackets"),
        pytest.param(lambda h: f" {h}\u3000", id="surrounding-spaces"),
    ],
)
def test_header_in_width_and_dash_variants_maps_the_same_facts_without_issues(env: Env, variant: object) -> None:
    env.load(S21)
    original = env.content("rs/2024/2-1")
    rows = read_csv(S21)
    header = [variant(h) for h in rows[0]]  # type: ignore[operator]
    assert header != rows[0]
    report = env.load(write(env.tmp / "2-1.csv", _with_header(rows, header)))
    assert loaded(report) == ["rs/2024/2-1"] and not report.refused
    assert env.content("rs/2024/2-1") == original
    assert [i for i in env.issues("rs/2024/2-1") if i.code.startswith("column-")] == []


def test_header_without_a_required_column_is_refused_naming_the_column(env: Env) -> None:
    rows = read_csv(S61)
    header = ["事業ID" if h == "予算事業ID" else h for h in rows[0]]
    d = folder(env, "in", S15, ("6-1.csv", _with_header(rows, header)))
    report = env.load(d)
    assert refused(report) == {"6-1.csv": "required columns missing: 予算事業ID"}
    assert loaded(report) == ["rs/2024/1-5"]


def test_repeated_header_column_is_reported_as_repeated_and_the_first_one_is_mapped(env: Env) -> None:
    env.load(S21)
    original = env.content("rs/2024/2-1")
    rows = read_csv(S21)
    i = rows[0].index("執行率")
    doubled = [rows[0] + ["執行率"]] + [[*r, "0.99" if r[i] else ""] for r in rows[1:]]
    env.load(write(env.tmp / "2-1.csv", csv_text(doubled)))
    assert env.content("rs/2024/2-1") == original  # the first 執行率 column is mapped as before
    assert [i for i in env.issues("rs/2024/2-1") if i.code.startswith("column-")] == [
        Issue(
            "column-repeated",
            "warning",
            None,
            None,
            "執行率",
            None,
            f"column {len(rows[0]) + 1} repeats the header of an earlier column; its 46 non-empty values are not "
            "mapped (kept in the source file)",
        )
    ]


def test_header_matching_no_rs_table_is_refused_as_unrecognised(env: Env) -> None:
    rows = read_csv(S21)
    d = folder(env, "in", S15, ("2-1.csv", csv_text(r[:5] for r in rows)))  # 5 of 44 columns
    report = env.load(d)
    assert list(refused(report)) == ["2-1.csv"]
    assert refused(report)["2-1.csv"].startswith("no loader recognises this file's content")
    assert loaded(report) == ["rs/2024/1-5"]


# -- CSV structure -----------------------------------------------------------------------------------------------
def _six_one(extra_rows: list[str], at: int = 3) -> tuple[list[str], str]:
    """The 6-1 sample's lines with ``extra_rows`` inserted before line ``at`` (1-based), as text."""
    lines = S61.read_text(encoding="utf-8-sig").split("\n")
    lines[at - 1 : at - 1] = extra_rows
    return lines, "\n".join(lines)


def test_quote_never_closed_until_the_end_of_the_file_is_one_column_count_error(env: Env) -> None:
    text = S61.read_text(encoding="utf-8-sig") + 'レビューシート,2024,99999,"never closed,1\n'
    env.load(write(env.tmp / "6-1.csv", text))
    assert env.issues("rs/2024/6-1") == [
        Issue(
            "column-count",
            "error",
            21,
            21,
            None,
            'レビューシート,2024,99999,"never closed,1\n"',
            "row has 4 fields, header has 14; row not mapped",
        )
    ]
    assert env.values("SELECT ?s WHERE { ?s cbkg:otherRemarks ?r }") == [BASE + "id/sheet/2024/1071"]  # the rest loaded


def test_quote_not_closed_mid_file_names_the_lines_it_swallowed(env: Env) -> None:
    lines, _ = _six_one(['レビューシート,2024,99999,"opened here,1,内閣官房'], at=3)
    closing = next(n for n, ln in enumerate(lines, 1) if n > 3 and '"' in ln)  # the next quote: 1071's remark
    assert closing == 9 and lines[11].startswith("レビューシート,2024,3465,") and lines[11].endswith(",")
    lines[11] += "後の備考"  # a remark after the damage
    env.load(write(env.tmp / "6-1.csv", "\n".join(lines)))
    [issue] = env.issues("rs/2024/6-1")
    assert (issue.code, issue.severity, issue.row, issue.line) == ("column-count", "error", 3, 3)
    assert issue.reason == (
        "row has 15 fields, header has 14; the record runs over lines 3–9: a quote is probably not closed; "
        "row not mapped"
    )
    assert issue.value is not None and all(ln.split(",")[2] in issue.value for ln in lines[3:8])  # kept there
    # the rows it swallowed (1071's remark among them) are not in the graph: the issue is their only trace;
    # reading resumes after the record
    assert env.values("SELECT ?s WHERE { ?s cbkg:otherRemarks ?r }") == [f"{BASE}id/sheet/2024/3465"]


def test_rows_with_too_many_or_too_few_fields_are_errors_and_the_other_rows_map(env: Env) -> None:
    lines = S61.read_text(encoding="utf-8-sig").split("\n")
    long_, short = lines[3] + ",extra", ",".join(lines[4].split(",")[:5])
    lines[3], lines[4] = long_, short
    lines[8] = lines[8]  # 1071, with its remark, untouched
    env.load(write(env.tmp / "6-1.csv", "\n".join(lines)))
    assert env.issues("rs/2024/6-1") == [
        Issue("column-count", "error", 4, 4, None, long_, "row has 15 fields, header has 14; row not mapped"),
        Issue("column-count", "error", 5, 5, None, short, "row has 5 fields, header has 14; row not mapped"),
    ]
    assert env.values("SELECT ?s WHERE { ?s cbkg:otherRemarks ?r }") == [f"{BASE}id/sheet/2024/1071"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (BOM, "empty file (only a byte order mark or white space)"),
        (BOM + b"\r\n\r\n  \n", "empty file (only a byte order mark or white space)"),
    ],
)
def test_empty_file_is_refused_as_empty_and_the_other_files_load(env: Env, data: bytes, reason: str) -> None:
    d = folder(env, "in", S15, ("6-1.csv", data))
    report = env.load(d)
    assert refused(report) == {"6-1.csv": reason}
    assert loaded(report) == ["rs/2024/1-5"]


def test_header_only_file_loads_an_empty_table_with_a_warning(env: Env) -> None:
    header = S61.read_text(encoding="utf-8-sig").split("\n")[0]
    report = env.load(write(env.tmp / "6-1.csv", header + "\r\n\r\n"))
    assert loaded(report) == ["rs/unknown/6-1"]  # no data row: no 事業年度 to name the graph with
    assert env.issues("rs/unknown/6-1") == [
        Issue("blank-row", "info", 2, 2, None, None, "blank line"),
        Issue(
            "no-data-rows", "warning", None, None, None, None, "the file has a header but no data rows: nothing to map"
        ),
    ]


def test_blank_lines_between_rows_are_one_info_issue_counting_them(env: Env) -> None:
    _lines, text = _six_one(["", ""], at=5)
    env.load(write(env.tmp / "6-1.csv", text))
    assert env.issues("rs/2024/6-1") == [
        Issue("blank-row", "info", 5, 5, None, None, "2 blank lines (lines 5–6); nothing to map"),
    ]
    assert env.values("SELECT ?s WHERE { ?s cbkg:otherRemarks ?r }") == [f"{BASE}id/sheet/2024/1071"]


def test_a_flood_of_blank_lines_makes_no_triples_and_a_single_issue(env: Env) -> None:
    # regression: every blank line was an issue of ~8 triples (a 935-byte ZIP of blank lines gave 1.6 M triples)
    env.load(write(env.tmp / "clean" / "6-1.csv", S61.read_text(encoding="utf-8-sig")))
    clean = env.store.count(f"{BASE}graph/rs/2024/6-1")
    _lines, text = _six_one([""] * 50_000, at=5)
    env.load(write(env.tmp / "6-1.csv", text))
    (issue,) = env.issues("rs/2024/6-1")
    assert issue.code == "blank-row" and issue.row == 5 and issue.line == 5
    assert issue.reason == "50,000 blank lines (lines 5–24 … (49,980 more)); nothing to map"
    extra = env.store.count(f"{BASE}graph/rs/2024/6-1") - clean  # the issue, its count, its VoID partitions
    assert extra < 40, extra  # not 50,000 issues


def test_duplicate_rows_are_not_mapped_twice_in_fact_tables_and_kept_as_items_in_payment_tables(env: Env) -> None:
    lines = S61.read_text(encoding="utf-8-sig").split("\n")
    lines.insert(9, lines[8])  # 1071's row (with its remark) twice
    rows53 = read_csv(S53)
    rows53.insert(3, rows53[2])  # a payment row twice
    report = env.load(write(env.tmp / "6-1.csv", "\n".join(lines)), write(env.tmp / "5-3.csv", csv_text(rows53)))
    assert loaded(report) == ["rs/2024/5-3", "rs/2024/6-1"]
    assert env.issues("rs/2024/6-1") == [
        Issue(
            "duplicate-row",
            "warning",
            10,
            10,
            None,
            None,
            "identical to row 9; not mapped again (it restates the facts of that row)",
        )
    ]
    dup = [i for i in env.issues("rs/2024/5-3") if i.code == "duplicate-row" and i.row == 4]
    assert dup == [
        Issue(
            "duplicate-row",
            "info",
            4,
            4,
            None,
            None,
            "identical to row 3; mapped as a separate item (repeated identical payments are listed this way)",
        )
    ]
    program = rows53[2][rows53[0].index("予算事業ID")]
    amounts = env.values(f"SELECT ?a WHERE {{ ?e cbkg:sheet <{BASE}id/sheet/2024/{program}> ; cbkg:amount ?a }}")
    pid, amount = rows53[0].index("予算事業ID"), rows53[0].index("金額")
    same = [r for r in rows53[1:] if r[pid] == program and r[amount] == rows53[2][amount]]
    assert len(same) == 3 and amounts.count(rows53[2][amount]) == 3  # the repeated payment is there twice


def test_line_breaks_inside_quoted_fields_crlf_lf_or_cr_are_kept_as_newlines(env: Env) -> None:
    rows = programs(S61, {"備考": ["一行目\r\n二行目", "一行目\n二行目", "一行目\r二行目", "末尾の改行\r\n"]})
    report = env.load(write(env.tmp / "6-1.csv", csv_text(rows)))
    assert loaded(report) == ["rs/2024/6-1"]
    assert env.issues("rs/2024/6-1") == []
    remarks = env.values("SELECT ?r WHERE { ?s cbkg:otherRemarks ?r }")
    assert remarks == sorted(["一行目\n二行目", "一行目\n二行目", "一行目\n二行目", "末尾の改行"])


# -- amounts -----------------------------------------------------------------------------------------------------
AMOUNTS: list[tuple[str, str | None, str | None, str | None]] = [
    # cell as written, amount stored (xsd:decimal), cbkg:sourceFigure kept, load issue reason (bad-amount, error)
    ("1000000000000000", "1000000000000000", None, None),  # 10^15 yen: kept exactly, no float rounding
    ("1000000000000001", "1000000000000001", None, None),
    ("10000000000000000", "10000000000000000", None, None),  # 10^16: the largest accepted
    ("10000000000000001", None, None, "implausible amount"),
    ("99999999999999999999999", None, None, "implausible amount"),
    ("-5000", "-5000", None, None),  # negative: kept (SHACL flags it where a stage cannot be negative)
    ("▲5,000", "-5000", "▲5,000", None),
    ("△ 12", "-12", "△ 12", None),
    ("－300", "-300", None, None),  # full-width minus: the same figure after NFKC
    ("１２，０００", "12000", "１２，０００", None),
    ("12000000.50", "12000000.5", "12000000.50", None),
    ("'123", "123", "'123", None),
    ("約100万", None, None, "not a number"),
    ("100円", None, None, "not a number"),
    ("1,23,4", None, None, "not a number"),
    ("1e6", None, None, "not a number"),
    ("NaN", None, None, "not a number"),
    ("-", None, None, None),  # a dash: explicitly nothing
]


def test_amounts_huge_negative_triangle_and_non_numeric(env: Env) -> None:
    rows = programs(S53, {"金額": [a[0] for a in AMOUNTS]})
    env.load(write(env.tmp / "5-3.csv", csv_text(rows)))
    stored = {
        r["p"].rsplit("/", 1)[1]: (r["a"].lex if "a" in r else None, r["f"].lex if "f" in r else None)  # type: ignore[union-attr]
        for r in env.store.select(f"""PREFIX cbkg: <{CBKG}> SELECT ?p ?a ?f WHERE {{
            ?e cbkg:sheet ?p . OPTIONAL {{ ?e cbkg:amount ?a }} OPTIONAL {{ ?e cbkg:sourceFigure ?f }} }}""")
    }
    issues = {i.row: i for i in env.issues("rs/2024/5-3")}
    for n, (cell, amount, figure, reason) in enumerate(AMOUNTS):
        assert stored[str(900001 + n)] == (amount, figure), cell  # the payment itself is always there
        if reason is None:
            assert n + 2 not in issues, cell
        else:
            assert issues[n + 2] == Issue("bad-amount", "error", n + 2, n + 2, "金額", cell, reason)
    assert len(issues) == sum(1 for a in AMOUNTS if a[3])


# -- 法人番号 ----------------------------------------------------------------------------------------------------
CORPNOS: list[tuple[str, str | None, str | None]] = [
    # cell as written, payee linked to id/corporation/…, load issue reason (bad-corpno, error)
    ("7010005007677", "7010005007677", None),
    ("７０１０００５００７６７７", "7010005007677", None),  # full-width digits
    ("7010005007677.0", "7010005007677", None),  # spreadsheet float export
    ("'7010005007677", "7010005007677", None),
    ("701000500767", None, "not 13 digits"),
    ("70100050076770", None, "not 13 digits"),
    ("7010005007678", None, "check digit mismatch: expected 6, got 7"),
    ("0", None, "not 13 digits"),
    ("0000000000000", None, "all zeros"),
    ("abcdefghijklm", None, "not 13 digits"),
]


def test_bad_corporate_numbers_are_errors_and_the_payee_is_kept_by_name_only(env: Env) -> None:
    rows = programs(S53, {"法人番号": [c[0] for c in CORPNOS], "支出先名": [f"支出先{n}" for n in range(len(CORPNOS))]})
    env.load(write(env.tmp / "5-3.csv", csv_text(rows)))
    got = {
        r["p"].rsplit("/", 1)[1]: (r["w"].lex, str(r["payee"]))  # type: ignore[union-attr]
        for r in env.store.select(f"""PREFIX cbkg: <{CBKG}> SELECT ?p ?w ?payee WHERE {{
            ?e cbkg:sheet ?p ; cbkg:corporateNumberAsWritten ?w ; cbkg:payee ?payee ; cbkg:payeeName ?name }}""")
    }
    issues = {i.row: i for i in env.issues("rs/2024/5-3")}
    for n, (cell, number, reason) in enumerate(CORPNOS):
        written, payee = got[str(900001 + n)]
        assert written == cell  # the number as written is always kept
        if number is not None:
            assert payee == f"{BASE}id/corporation/{number}" and n + 2 not in issues
        else:
            assert payee.startswith(f"{BASE}id/sheet/2024/{900001 + n}/payee/"), payee  # named, sheet-scoped
            assert issues[n + 2] == Issue("bad-corpno", "error", n + 2, n + 2, "法人番号", cell, reason)
    corporations = env.values("SELECT DISTINCT ?c WHERE { ?c cbkg:corporateNumber ?n }")
    assert corporations == [f"{BASE}id/corporation/7010005007677"]  # no corporation minted from a bad number


# -- 法令ID ------------------------------------------------------------------------------------------------------
LAW = "サイバーセキュリティ基本法"
LAW_NO = "平成二十六年法律第百四号"
LAW_IDS: list[tuple[str, str, str, str | None, tuple[str, str, str] | None]] = [
    # 法令ID, 法令名, 法令番号 as written; law linked; load issue (code, severity, reason)
    ("426AC1000000104", LAW, LAW_NO, "426AC1000000104", None),
    ("４２６ＡＣ１００００００１０４", LAW, LAW_NO, "426AC1000000104", None),  # full width
    ("426AC1000000104_20230401_000000000000000", LAW, LAW_NO, "426AC1000000104", None),  # 法令履歴ID
    (
        "999AC0000000999",
        "架空の法律",
        "",
        "999AC0000000999",
        (
            "unknown-law-id",
            "info",
            "法令ID not in the law register: the law is linked by this ID as written, without a title or 法令番号",
        ),
    ),
    (
        "ABC",
        LAW,
        LAW_NO,
        "426AC1000000104",
        (
            "bad-law-id",
            "warning",
            "法令ID is not an e-Gov law ID (e.g. 426AC1000000104); law resolved from the name instead",
        ),
    ),
]


def test_unknown_and_malformed_law_ids_are_reported_and_kept_as_written(env: Env) -> None:
    rows = programs(
        S13,
        {
            "法令ID": [x[0] for x in LAW_IDS],
            "法令名": [x[1] for x in LAW_IDS],
            "法令番号": [x[2] for x in LAW_IDS],
            "条": ["第十六条"] * len(LAW_IDS),
        },
    )
    env.load(write(env.tmp / "1-3.csv", csv_text(rows)))
    issues = {i.row: i for i in env.issues("rs/2024/1-3") if i.column == "法令ID"}
    for n, (law_id, _, _, linked, issue) in enumerate(LAW_IDS):
        sheet = f"{BASE}id/sheet/2024/{900001 + n}"
        assert env.values(f"SELECT ?l WHERE {{ <{sheet}> cbkg:basedOnLaw ?l }}") == [f"{BASE}id/law/{linked}"]
        written = env.values(f"SELECT ?w WHERE {{ ?c cbkg:sheet <{sheet}> ; cbkg:lawIdAsWritten ?w }}")
        assert written == [law_id]
        if issue is None:
            assert n + 2 not in issues, law_id
        else:
            assert issues[n + 2] == Issue(issue[0], issue[1], n + 2, n + 2, "法令ID", law_id, issue[2])
    assert len(issues) == 2


# -- dates and years in every era form ---------------------------------------------------------------------------
YEARS: list[tuple[str, str | None, str | None]] = [
    # 事業開始年度 as written, xsd:gYear stored, bad-year reason (error)
    ("明治元年度", "1868", None),
    ("明治45年", "1912", None),
    ("大正元年", "1912", None),
    ("大正15年度", "1926", None),
    ("昭和元年", "1926", None),
    ("昭和64年", "1989", None),
    ("平成元年度", "1989", None),
    ("平成三十一年度", "2019", None),  # kanji numerals
    ("令和元年", "2019", None),
    ("令和２年度", "2020", None),  # full-width digits
    ("令和二年度", "2020", None),
    ("R3", "2021", None),
    ("Ｈ２９年度", "2017", None),
    ("㍻元年", "1989", None),  # the square era sign
    ("二〇二一", "2021", None),
    ("２０２１年度", "2021", None),
    ("FY2019", "2019", None),
    ("昭和65年度", None, "year 65 out of range for era"),
    ("平成32年度", None, "year 32 out of range for era"),
    ("令和0年度", None, "year 0 out of range for era"),
    ("慶応3年", None, "not a year"),
    ("1867", None, "implausible year"),
    ("2024/04/01", None, "not a year"),
]


def test_years_in_every_era_form_become_gregorian_years_or_errors(env: Env) -> None:
    rows = programs(S12, {"事業開始年度": [y[0] for y in YEARS]})
    env.load(write(env.tmp / "1-2.csv", csv_text(rows)))
    issues = {i.row: i for i in env.issues("rs/2024/1-2") if i.code == "bad-year"}
    for n, (cell, year, reason) in enumerate(YEARS):
        sheet = f"{BASE}id/sheet/2024/{900001 + n}"
        got = env.values(f"SELECT ?y WHERE {{ <{sheet}> cbkg:startYear ?y }}")
        assert got == ([year] if year else []), cell
        if reason is None:
            assert n + 2 not in issues, cell
        else:
            assert issues[n + 2] == Issue("bad-year", "error", n + 2, n + 2, "事業開始年度", cell, reason)
    assert len(issues) == sum(1 for y in YEARS if y[2])


DATES: list[tuple[str, str | None, str | None]] = [
    # NTA 変更年月日 as written, xsd:date stored, bad-date reason
    ("2015-10-05", "2015-10-05", None),
    ("明治45年7月29日", "1912-07-29", None),
    ("大正元年7月30日", "1912-07-30", None),
    ("大正15年12月24日", "1926-12-24", None),
    ("昭和元年12月25日", "1926-12-25", None),
    ("昭和64年1月7日", "1989-01-07", None),
    ("平成元年1月8日", "1989-01-08", None),
    ("平成31年4月30日", "2019-04-30", None),
    ("令和元年5月1日", "2019-05-01", None),
    ("令和２年１２月３日", "2020-12-03", None),  # full-width digits
    ("令和二年十二月三日", "2020-12-03", None),  # kanji numerals
    ("R1.5.1", "2019-05-01", None),
    ("H31.4.30", "2019-04-30", None),
    ("2020年1月1日", "2020-01-01", None),
    ("昭和65年1月1日", None, "year 65 out of range for era"),
    ("2019-02-30", None, "invalid date: 2019-2-30"),
    ("令和元年13月1日", None, "invalid date: 2019-13-1"),
    ("令和2年2月30日(月)", None, "invalid date: 2020-2-30"),
]


def test_nta_dates_in_every_era_form_become_iso_dates_or_errors(env: Env) -> None:
    lines = (HOUJIN / "name_ver4_c4.csv").read_text(encoding="utf-8-sig").splitlines()
    record = next(csv.reader([lines[1]]))
    out = [f"2017-05-10,{len(DATES)},1,1"]  # the Web-API response line
    numbers = ["2040001999902", "1040001999903"]  # valid 法人番号 (check digit) of the NTA sample
    for n, (cell, _, _) in enumerate(DATES):
        r = list(record)
        r[0], r[5] = str(n + 1), cell  # 一連番号, 変更年月日
        r[1] = numbers[0] if n % 2 == 0 else numbers[1]
        out.append(csv_text([r]).rstrip("\r\n"))
    report = env.load(write(env.tmp / "nta.csv", "\n".join(out) + "\n", "utf-8"))
    [res] = report.loaded
    key = res.plan.key
    issues = {i.row: i for i in env.issues(key) if i.code == "bad-date"}
    for n, (cell, date, reason) in enumerate(DATES):
        number = numbers[n % 2]
        node = f"{BASE}id/corporation/{number}/nta/{key.rsplit('/', 1)[1]}"
        got = env.values(f"""SELECT ?d WHERE {{ ?r cbkg:sequenceNumber {n + 1} ; cbkg:ntaChangeDate ?d
            FILTER(STRSTARTS(STR(?r), "{node}")) }}""")
        assert got == ([date] if date else []), cell
        if reason is None:
            assert n + 2 not in issues, cell
        else:
            assert issues[n + 2] == Issue(
                "bad-date",
                "error",
                n + 2,
                n + 2,
                "changeDate",
                cell,
                f"{reason}; not mapped (the value as written is kept in this issue)",
            )
    assert len(issues) == sum(1 for d in DATES if d[2])


# -- text values -------------------------------------------------------------------------------------------------
def test_control_characters_are_removed_from_text_with_a_warning_keeping_the_raw_value(env: Env) -> None:
    rows = programs(S61, {"備考": ["前\x07後", "NUL\x00here", "タブ\tは残る"]})
    env.load(write(env.tmp / "6-1.csv", csv_text(rows)))
    assert env.values("SELECT ?r WHERE { ?s cbkg:otherRemarks ?r }") == sorted(["前後", "NULhere", "タブ\tは残る"])
    issues = env.issues("rs/2024/6-1")
    assert [(i.code, i.severity, i.row, i.column, i.value, i.reason) for i in issues] == [
        ("control-character", "warning", 2, "備考", "前\x07後", "control characters removed from the text: U+0007"),
        ("control-character", "warning", 3, "備考", "NUL\x00here", "control characters removed from the text: U+0000"),
    ]


def test_html_in_text_cells_is_kept_as_written_without_an_issue(env: Env) -> None:
    html = ['<script>alert("x")</script><p>段落</p>', "<img src=x onerror=alert(1)>事業"]
    env.load(write(env.tmp / "6-1.csv", csv_text(programs(S61, {"備考": html}))))
    assert env.values("SELECT ?r WHERE { ?s cbkg:otherRemarks ?r }") == sorted(html)
    assert env.issues("rs/2024/6-1") == []


def test_a_value_over_the_stored_value_limit_is_an_issue_and_the_rest_of_the_load_is_kept(env: Env) -> None:
    # regression: one 17 MB cell made Oxigraph's parser refuse the graph file and failed the whole load
    huge = "長い備考" * 1_700_000  # 6.8 M characters, 20.4 MB in UTF-8
    rows = programs(S61, {"備考": [huge, "普通の備考"]})
    d = folder(env, "in", ("6-1.csv", csv_text(rows)), S15)
    report = env.load(d)
    assert report.refused == []
    assert loaded(report) == ["rs/2024/1-5", "rs/2024/6-1"]
    assert env.values("SELECT ?r WHERE { ?s cbkg:otherRemarks ?r }") == ["普通の備考"]
    [issue] = env.issues("rs/2024/6-1")
    assert (issue.code, issue.severity, issue.row, issue.column) == (
        "value-too-long",
        "error",
        2,
        CBKG + "otherRemarks",
    )
    assert issue.value == huge[:200] + "…"
    assert issue.reason.startswith("value of 20,400,099 bytes")  # the N-Triples line of the literal
    assert "exceeds the 4 MiB limit" in issue.reason
    assert env.store.count() > 0 and len(env.content("rs/2024/1-5")) > 0


def test_a_quote_left_open_over_20_mb_is_a_column_count_error_and_the_other_file_still_loads(env: Env) -> None:
    # regression: the swallowed text, kept as the issue's raw value, was one N-Triples line over Oxigraph's 16 MiB
    swallowed = "\n".join(f"レビューシート,2024,{i},備考の行{i}" for i in range(600_000))  # ~21 MB
    text = S61.read_text(encoding="utf-8-sig") + 'レビューシート,2024,99999,"never closed,1\n' + swallowed
    report = env.load(folder(env, "in", ("6-1.csv", text), S15))
    assert report.refused == [] and loaded(report) == ["rs/2024/1-5", "rs/2024/6-1"]
    issues = env.issues("rs/2024/6-1")
    assert [(i.code, i.severity, i.row, i.column) for i in issues] == [
        ("column-count", "error", 21, None),
        ("value-too-long", "error", 21, CBKG + "rawValue"),
    ]
    count = next(i for i in issues if i.code == "column-count")
    assert count.value is None  # too long to store: the value-too-long issue keeps its first characters
    assert count.reason == (
        "row has 4 fields, header has 14; the record runs over lines 21–600021: a quote is probably not closed; "
        "row not mapped"
    )
    assert env.values("SELECT ?s WHERE { ?s cbkg:otherRemarks ?r }") == [BASE + "id/sheet/2024/1071"]
