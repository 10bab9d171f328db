"""Loads that cannot lose or invent data (issue 13): rows whose key or name cannot be trusted, files that change
while they are read, archives and folders that would make a load read what it should not, and inputs whose
size would make the work unbounded.

Every test runs the real pipeline on an on-disk Oxigraph store in ``tmp_path`` (see ``test_bad_input.py`` for the
helpers) and asserts what is refused, which load issue is recorded and what is (not) in the store.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

import pytest

from graph import pipeline
from loaders import rs_csv
from loaders.base import LoaderError, SourceUnit, watch_reads
from tests.hardening.test_bad_input import (
    BASE,
    S12,
    S15,
    S21,
    S53,
    S61,
    Env,
    Issue,
    csv_text,
    folder,
    loaded,
    programs,
    read_csv,
    refused,
    write,
    zip_of,
)

RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def sheets(e: Env) -> list[str]:
    """The program sheets in the store, as ``{year}/{id}``."""
    return [s.removeprefix(f"{BASE}id/sheet/") for s in e.values("SELECT ?s WHERE { ?s a cbkg:ProgramSheet }")]


# -- keys in other scripts ---------------------------------------------------------------------------------------
def test_program_ids_in_other_scripts_are_refused_and_full_width_ids_are_read_with_a_warning(env: Env) -> None:
    # regression: int() and NFKC read ١٣ as 13, 𝟗𝟔 as 96, ⑨⑧ as 98, ⁹⁹ as 99: rows landed on other programs' sheets
    ids = ["１２", "١٣", "𝟗𝟔", "⑨⑧", "⁹⁹", "77"]
    rows = programs(S12, {"予算事業ID": ids})
    env.load(write(env.tmp / "1-2.csv", csv_text(rows)))
    assert sheets(env) == ["2024/12", "2024/77"]
    issues = env.issues("rs/2024/1-2")
    assert (
        Issue(
            "bad-program-id",
            "warning",
            2,
            2,
            "予算事業ID",
            "１２",
            "予算事業ID written in full-width digits; read as 12",
        )
        in issues
    )
    refused_rows = {i.row: i.reason for i in issues if i.code == "row-key"}
    assert sorted(refused_rows) == [3, 4, 5, 6]
    assert refused_rows[3] == (
        "予算事業ID is written with digits of another script (١ U+0661 ARABIC-INDIC DIGIT ONE, ٣ U+0663 ARABIC-INDIC "
        "DIGIT THREE); not read as a number; row not mapped"
    )
    assert "U+1D7D7 MATHEMATICAL BOLD DIGIT NINE" in refused_rows[4]
    assert "U+2468 CIRCLED DIGIT NINE" in refused_rows[5]
    assert "U+2079 SUPERSCRIPT NINE" in refused_rows[6]
    assert all(
        i.value and i.column == "事業年度/予算事業ID" for i in issues if i.code == "row-key"
    )  # the row as written


def test_a_year_in_other_script_digits_is_refused_not_read_as_that_year(env: Env) -> None:
    rows = programs(S12, {"事業年度": ["2024", "𝟐𝟎𝟐𝟒"]})
    env.load(write(env.tmp / "1-2.csv", csv_text(rows)))
    assert sheets(env) == ["2024/900001"]
    (issue,) = [i for i in env.issues("rs/2024/1-2") if i.code == "row-key"]
    assert issue.row == 3 and "事業年度 is written with digits of another script" in issue.reason


# -- conflicting names, mixed years --------------------------------------------------------------------------------
def test_one_program_named_twice_in_a_file_is_a_conflict_issue_and_keeps_one_label(env: Env) -> None:
    # regression: two rdfs:label for one sheet, no issue
    rows = programs(S12, {"事業名": ["情報セキュリティ対策事業", "別の名前の事業", "情報セキュリティ対策事業"]})
    for r in rows[1:]:
        r[rows[0].index("予算事業ID")] = "900001"
    rows[2][rows[0].index("事業の目的")] = "二行目の目的"  # not a duplicate row: a second row of the program
    rows[3][rows[0].index("事業の目的")] = "三行目の目的"
    env.load(write(env.tmp / "1-2.csv", csv_text(rows)))
    labels = env.values(f"SELECT ?l WHERE {{ <{BASE}id/sheet/2024/900001> <{RDFS}label> ?l }}")
    assert labels == ["情報セキュリティ対策事業"]
    conflicts = [i for i in env.issues("rs/2024/1-2") if i.code == "duplicate-key"]
    assert conflicts == [
        Issue(
            "duplicate-key",
            "error",
            3,
            3,
            "事業名",
            "別の名前の事業",
            "予算事業ID 900001 is named 「情報セキュリティ対策事業」 in row 2 and differently here; the first name is "
            "kept as the program's 事業名, this one is not mapped",
        )
    ]


def test_rows_of_another_year_in_one_file_are_errors_and_never_land_in_its_graph(env: Env) -> None:
    # regression: the first row said 2022, the other rows' 2021 sheets were stored in graph rs/2022/… silently
    rows = programs(S12, {"事業年度": ["2022", "2021", "2021"]})
    report = env.load(write(env.tmp / "1-2.csv", csv_text(rows)))
    assert loaded(report) == ["rs/2022/1-2"]
    assert sheets(env) == ["2022/900001"]
    issues = [i for i in env.issues("rs/2022/1-2") if i.code == "row-key"]
    assert [(i.row, i.column, i.severity) for i in issues] == [(3, "事業年度", "error"), (4, "事業年度", "error")]
    assert issues[0].reason == (
        "事業年度 2021 differs from the file's 事業年度 2022 (its first data row's, which names its graph "
        "rs/2022/1-2); row not mapped: load each 事業年度 from a file of its own"
    )
    assert issues[0].value is not None and ",2021,900002," in issues[0].value


# -- files that change while they are read -------------------------------------------------------------------------
def _big_5_3(path: Path, copies: int = 8) -> Path:
    """The 5-3 sample with its data rows repeated (~0.9 MB: read in many buffers)."""
    rows = read_csv(S53)
    return write(path, csv_text([rows[0]] + rows[1:] * copies))


def test_a_file_overwritten_while_it_is_parsed_is_refused_not_mapped_under_its_old_hash(env: Env) -> None:
    # regression: exit 0 with the graph truncated under the original sha256; the good file was then skipped
    path = _big_5_3(env.tmp / "5-3.csv")
    unit = SourceUnit(path)
    sha, stamp = unit.sha256(), unit.stamp()
    with watch_reads(unit) as watch:
        records = rs_csv.parse(unit)
        for _ in range(20):
            next(records)
        data = path.read_bytes()
        with path.open("r+b") as fh:  # overwritten in place (cut after a line: the parser reads on happily)
            fh.truncate(data.rindex(b"\n", 0, len(data) // 3) + 1)
        list(records)
    with pytest.raises(
        LoaderError, match=r"the file changed while it was being loaded \(size [0-9,]+ → [0-9,]+ bytes\)"
    ):
        watch.check(sha, stamp)


def test_a_file_changed_between_planning_and_mapping_is_refused_and_loads_when_reloaded(env: Env) -> None:
    path = _big_5_3(env.tmp / "5-3.csv")
    original = path.read_bytes()
    report = pipeline.LoadReport()
    (plan,) = pipeline.plan([path], env.settings, report)
    path.write_bytes(original[: len(original) // 2 + 1])  # cut in place mid-character after it was hashed
    with pytest.raises(LoaderError, match="the file changed while it was being loaded"):  # not "invalid utf-8"
        pipeline.map_unit(plan, BASE, str(env.tmp))
    path.write_bytes(original)
    again = env.load(path)  # the whole file, hashed again: loaded, not skipped as unchanged
    assert loaded(again) == ["rs/2024/5-3"] and not again.unchanged


def test_the_bytes_hashed_while_parsing_must_be_the_bytes_planned(env: Env) -> None:
    path = write(env.tmp / "6-1.csv", S61.read_text(encoding="utf-8-sig"))
    unit = SourceUnit(path)
    with watch_reads(unit) as watch:
        list(rs_csv.parse(unit))
    watch.check(unit.sha256(), unit.stamp())  # the same bytes: no error
    with pytest.raises(LoaderError, match="the bytes read hash to"):
        watch.check("0" * 64, unit.stamp())


# -- ZIP archives --------------------------------------------------------------------------------------------------
def _cp932_named_zip(path: Path, name: str, data: bytes) -> Path:
    """A ZIP whose member name is stored as CP932 bytes without the UTF-8 flag (as Windows tools write it)."""
    raw = name.encode("cp932")
    placeholder = "x" * len(raw)
    zip_of(path, {placeholder: data})
    blob = path.read_bytes()
    assert blob.count(placeholder.encode()) == 2  # local header and central directory
    path.write_bytes(blob.replace(placeholder.encode(), raw))
    with zipfile.ZipFile(path) as zf:
        assert not zf.infolist()[0].flag_bits & 0x800
    return path


def test_a_cp932_member_name_without_the_utf8_flag_is_decoded_as_cp932(env: Env) -> None:
    # regression: the name was stored as mojibake (zipfile decodes such names as CP437)
    name = "6-1_RS_2024_その他備考.csv"
    z = _cp932_named_zip(env.tmp / "6-1.zip", name, S61.read_bytes())
    report = env.load(z)
    assert loaded(report) == ["rs/2024/6-1"]
    titles = env.values(
        f"SELECT ?t WHERE {{ GRAPH <{BASE}graph/rs/2024/6-1> {{ ?s a cbkg:SourceFile ; <http://purl.org/dc/terms/title> ?t }} }}"
    )
    assert titles == [name]


def _patched_zip(path: Path, *, flags: int = 0, method: int | None = None) -> Path:
    """The 6-1 sample in a ZIP whose headers (local and central) get ``flags`` or'ed in and ``method`` set."""
    zip_of(path, {"6-1_RS_2024_その他備考.csv": S61.read_bytes()})
    b = bytearray(path.read_bytes())
    cd = b.index(b"PK\x01\x02")
    for at in (6, cd + 8):
        struct.pack_into("<H", b, at, struct.unpack_from("<H", b, at)[0] | flags)
        if method is not None:
            struct.pack_into("<H", b, at + 2, method)
    path.write_bytes(bytes(b))
    return path


def test_encrypted_and_deflate64_members_are_refused_by_name_and_the_other_files_load(env: Env) -> None:
    # regression: RuntimeError / NotImplementedError tracebacks
    enc = _patched_zip(env.tmp / "enc.zip", flags=0x1)
    d64 = _patched_zip(env.tmp / "d64.zip", method=9)
    report = env.load(folder(env, "in", S15), enc, d64)
    assert refused(report) == {
        "enc.zip!6-1_RS_2024_その他備考.csv": "encrypted ZIP archive member (password protected): it cannot be read; "
        "publish it unencrypted",
        "d64.zip!6-1_RS_2024_その他備考.csv": "ZIP archive member compressed with method 9 (Deflate64), which cannot "
        "be read here; re-pack it with Deflate",
    }
    assert loaded(report) == ["rs/2024/1-5"]


def test_a_zip_member_expanding_over_the_ratio_limit_is_refused_unread(env: Env) -> None:
    # regression: a 1 MB ZIP of blank lines wrote 11 GB of temporary files and 73 M triples
    header = S61.read_text(encoding="utf-8-sig").split("\n")[0]
    bomb = zip_of(env.tmp / "bomb.zip", {"6-1.csv": (header + "\r\n" + "\r\n" * 4_000_000).encode()})
    assert bomb.stat().st_size < 20_000
    report = env.load(bomb, folder(env, "in", S15))
    (reason,) = refused(report).values()
    assert reason.startswith("ZIP archive member expands ") and "over the 100× limit" in reason
    assert loaded(report) == ["rs/2024/1-5"]


# -- bounded work --------------------------------------------------------------------------------------------------
def test_a_line_longer_than_the_line_limit_is_refused_before_it_is_read_whole(env: Env) -> None:
    # regression: a 1 GiB quoted cell peaked at 3.2 GB RSS; here 17 Mi characters, over the 16 Mi limit
    lines = S61.read_text(encoding="utf-8-sig").split("\n")
    row = next(csv_row for csv_row in read_csv(S61)[1:])
    row[-1] = "x" * (rs_csv.LINE_LIMIT + (1 << 20))
    text = "\n".join(lines[:2]) + "\n" + csv_text([row])
    report = env.load(write(env.tmp / "in" / "6-1.csv", text), folder(env, "other", S15))
    assert refused(report) == {
        "6-1.csv": f"line 3 is longer than {rs_csv.LINE_LIMIT:,} characters (no RS row comes near); file not loaded"
    }
    assert loaded(report) == ["rs/2024/1-5"]


def test_mapping_that_writes_more_temporary_triples_than_the_budget_is_refused(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "TEMP_FLOOR", 100_000)  # lowered so that a small real file exceeds it
    monkeypatch.setattr(pipeline, "TEMP_RATIO", 1)
    report = env.load(folder(env, "in", S21, S15))
    assert refused(report) == {
        "2-1_RS_2024_予算・執行_サマリ.csv": "mapping it writes over 0 MiB of temporary triples (1× its 48,151 bytes, "
        "at least 0 MiB; real sources need up to 33×); refused, not loaded"
    }
    assert loaded(report) == ["rs/2024/1-5"]


# -- line ends -----------------------------------------------------------------------------------------------------
def test_cr_only_line_ends_are_read_like_crlf(env: Env) -> None:
    # regression: the whole file was refused as unrecognised
    text = S61.read_text(encoding="utf-8-sig")
    env.load(write(env.tmp / "crlf" / "6-1.csv", text.replace("\r\n", "\n").replace("\n", "\r\n")))
    clean = env.content("rs/2024/6-1")
    report = env.load(write(env.tmp / "cr" / "6-1.csv", text.replace("\r\n", "\n").replace("\n", "\r")))
    assert loaded(report) == ["rs/2024/6-1"] and not report.refused
    assert env.content("rs/2024/6-1") == clean
    assert env.issues("rs/2024/6-1") == []


# -- folders and links ---------------------------------------------------------------------------------------------
def test_links_out_of_a_folder_are_not_followed_and_every_file_is_loaded_once(env: Env) -> None:
    # regression: etc -> /etc read 1,061 host files; a loop or a file named twice was "superseded by" itself
    d = folder(env, "in", S61)
    (d / "etc").symlink_to("/etc")
    (d / "loop").symlink_to(d)
    (d / "again.csv").symlink_to(d / S61.name)
    (d / "gone.csv").symlink_to(env.tmp / "missing.csv")
    report = env.load(d, d / S61.name, d)
    assert refused(report) == {
        "etc": f"symbolic link to /etc, outside the folder loaded ({d.resolve()}): not followed",
        "gone.csv": f"broken symbolic link (to {env.tmp / 'missing.csv'}): not followed",
    }
    assert loaded(report) == ["rs/2024/6-1"]
    assert not any("superseded" in reason for _, reason in report.refused)


def test_a_folder_holding_a_link_to_its_own_file_under_another_name_loads_it_once(env: Env) -> None:
    d = env.tmp / "in"
    d.mkdir()
    real = write(env.tmp / "elsewhere" / "6-1.csv", S61.read_text(encoding="utf-8-sig"))
    os.symlink(real, d / "6-1.csv")  # a link out of the folder named on the command line is followed
    report = env.load(d / "6-1.csv", real)
    assert loaded(report) == ["rs/2024/6-1"] and not report.refused
