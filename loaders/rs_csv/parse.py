"""Parsing of one RS CSV: bytes → a :class:`~loaders.rs_csv.records.TableInfo`, typed row records and load issues.

The CSV is streamed (UTF-8 with or without BOM, CP932 fallback, CRLF, quoted multi-line fields); its table is
identified by the header (not the file name); every cell is converted to a typed value
(:data:`loaders.rs_values.CONVERTERS`), and the values read from other values (legal basis, 旧事業番号, 補助率 …)
are read by :func:`loaders.rs_model.checks.check`.  What cannot be read becomes a load issue (wrong column
count, unparsable amount, bad 法人番号 …), never a silent drop.
"""

from __future__ import annotations

import _csv
import codecs
import csv
import hashlib
import io
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Generator, Iterator

from .. import normalize as nz
from ..base import LoaderError, LoadIssue, SourceUnit
from ..common import describe_ranges
from ..rs_model.checks import check
from ..rs_values import CONVERTERS, Value
from .records import RsRecord, TableInfo
from .tables import Column, Table, header_key, identify

csv.field_size_limit(min(sys.maxsize, 1 << 26))  # 64 MiB: a never-closed quote is reported, not a crash
LINE_LIMIT = 1 << 24
"""Longest physical line read (16 Mi characters; the longest RS 2024 line has ~6 k): a longer one refuses the
file before it is held in memory whole (a 1 GiB quoted cell on one line).  Fields running over several lines
are bounded by ``csv.field_size_limit`` (64 Mi characters)."""
_LINE_END = re.compile(r"\r\n|\r|\n")

_BOM = codecs.BOM_UTF8


# -- format detection -------------------------------------------------------------------------------------
def _decode_head(head: bytes) -> tuple[str, str]:
    stripped = head
    while stripped.startswith(_BOM):
        stripped = stripped[len(_BOM) :]
    try:
        return stripped.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(stripped) - 4:  # a multi-byte character cut by the sniffing window
            return stripped[: exc.start].decode("utf-8"), "utf-8"
    try:
        return stripped.decode("cp932", errors="strict"), "cp932"
    except UnicodeDecodeError:
        pass
    # damaged bytes that neither encoding decodes: the encoding needing fewer replacements (parse then refuses
    # the file, naming the line of the first bad byte)
    utf8, sjis = stripped.decode("utf-8", errors="replace"), stripped.decode("cp932", errors="replace")
    return (utf8, "utf-8") if utf8.count("\ufffd") <= sjis.count("\ufffd") else (sjis, "cp932")


def read_header(head: bytes) -> list[str] | None:
    """The header row of a CSV from its first bytes (None when the first line is not a comma-separated row)."""
    text, _ = _decode_head(head)
    first = _LINE_END.split(text, 1)[0]  # CRLF, LF or CR-only line ends
    if "," not in first:  # the header is matched by its columns (identify), not by one of their names
        return None
    try:
        return next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return None


def file_year(head: bytes, header: list[str]) -> int | None:
    """The 事業年度 of the first data row in ``head`` that has one (the year the file's graph is named by)."""
    text, _ = _decode_head(head)
    try:
        idx = [header_key(h) for h in header].index(header_key("事業年度"))
    except ValueError:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        next(reader)
        for cols in reader:
            if not cols or cols == [""]:
                continue
            try:
                return _key_year(cols[idx])
            except (nz.NormalizeError, IndexError):
                return None
    except csv.Error:
        return None
    return None


# -- parsing ------------------------------------------------------------------------------------------------
_NUMERIC = frozenset({"int", "amount", "ratio", "year"})
_TEXTUAL = frozenset({"text", "raw", "url"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""The control characters :func:`~loaders.normalize.clean` removes from text (\\t, \\n and \\r are kept or folded)."""


_ID_RE = re.compile(r"([0-9０-９]+)(?:[.．][0０])?")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _foreign_digits(value: str) -> list[str]:
    """The digits in ``value`` that are neither ASCII nor full-width (``١``, ``𝟗``, ``⑨``, ``⁹`` …)."""
    return [c for c in value if not c.isascii() and not "０" <= c <= "９" and unicodedata.category(c) in ("Nd", "No")]


def _foreign_reason(column: str, foreign: list[str]) -> str:
    names = ", ".join(dict.fromkeys(f"{c} U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in foreign))
    return f"{column} is written with digits of another script ({names}); not read as a number"


def _program_id(value: str) -> tuple[str, bool]:
    """The 予算事業ID of a cell (``12``, ``12.0``) and whether it was written in full-width digits (``１２``).

    Only ASCII and full-width digits are read: Python's ``int()`` and NFKC would also turn Arabic-Indic
    (``١٣``), mathematical (``𝟗𝟔``), circled (``⑨⑧``) or superscript (``⁹⁹``) digits into another program's ID."""
    v = value.strip(" \t\u3000")
    m = _ID_RE.fullmatch(v)
    if m is None:
        foreign = _foreign_digits(value)
        if foreign:
            raise nz.NormalizeError(value, _foreign_reason("予算事業ID", foreign))
        raise nz.NormalizeError(value, "予算事業ID is not a number")
    digits = m.group(1)
    wide = digits != digits.translate(_FULLWIDTH_DIGITS)
    return str(int(digits.translate(_FULLWIDTH_DIGITS))), wide


def _key_year(value: str) -> int:
    """The 事業年度 of a cell (:func:`~loaders.normalize.parse_year`), refusing digits of other scripts."""
    foreign = _foreign_digits(value)
    if foreign:
        raise nz.NormalizeError(value, _foreign_reason("事業年度", foreign))
    return nz.parse_year(value)


def _lines(fh: io.TextIOWrapper, unit: SourceUnit) -> Iterator[str]:
    """The physical lines of ``fh`` (CRLF, LF or CR ends), refusing a line over :data:`LINE_LIMIT` characters
    before it is read whole."""
    n = 0
    while True:
        line = fh.readline(LINE_LIMIT + 1)
        if not line:
            return
        n += 1
        if len(line) > LINE_LIMIT and line[-1] not in "\r\n":
            raise LoaderError(
                str(unit),
                f"line {n} is longer than {LINE_LIMIT:,} characters (no RS row comes near); file not loaded",
            )
        yield line


def _open_text(unit: SourceUnit) -> tuple[io.TextIOWrapper, str, list[LoadIssue]]:
    raw = unit.open()
    head = raw.peek(65536)[:65536] if hasattr(raw, "peek") else b""
    issues: list[LoadIssue] = []
    boms = 0
    while head.startswith(_BOM * (boms + 1)):
        boms += 1
    _, encoding = _decode_head(head)
    if boms == 0 and encoding == "utf-8":
        issues.append(LoadIssue("no-bom", "file has no UTF-8 byte order mark (read as UTF-8)", "info"))
    if boms > 1:
        issues.append(LoadIssue("repeated-bom", f"file starts with {boms} byte order marks", "warning"))
    if encoding == "cp932":
        issues.append(LoadIssue("cp932", "file is not UTF-8; decoded as Shift_JIS (CP932)", "info"))
    enc = "utf-8-sig" if encoding == "utf-8" else "cp932"
    return io.TextIOWrapper(raw, encoding=enc, newline="", errors="strict"), encoding, issues


def parse(unit: SourceUnit) -> Iterator[TableInfo | RsRecord | LoadIssue]:
    """Stream the records of one RS CSV: a :class:`TableInfo`, then rows and load issues."""
    fh, encoding, issues = _open_text(unit)
    with fh:
        reader = csv.reader(_lines(fh, unit))
        try:
            header = next(reader)
        except StopIteration:
            raise LoaderError(str(unit), "empty file (no header row)") from None
        except UnicodeDecodeError as exc:
            raise LoaderError(str(unit), _bad_bytes(unit, encoding)) from exc
        except csv.Error as exc:
            raise LoaderError(str(unit), f"unreadable header: {exc}") from exc
        header = [h.lstrip("\ufeff") for h in header]
        table, score = identify(header)
        if table is None or score < 0.6:
            raise LoaderError(str(unit), "header matches no RS table")
        spec = table.by_header()
        plan: list[tuple[int, Column]] = []
        unknown: list[str] = []
        unknown_idx: list[int] = []  # positions of the columns not mapped: not in the schema, or repeated
        repeated: set[int] = set()
        seen: set[str] = set()
        for i, h in enumerate(header):
            col = spec.get(header_key(h))
            if col is None or col.key in seen:
                unknown.append(h)
                unknown_idx.append(i)
                if col is not None:
                    repeated.add(i)
                continue
            seen.add(col.key)
            plan.append((i, col))
        missing = [c.header for c in table.columns if c.key not in seen]
        required_missing = [c.header for c in table.columns if c.required and c.key not in seen]
        if required_missing:
            raise LoaderError(str(unit), f"required columns missing: {', '.join(required_missing)}")
        info = TableInfo(table.id, table.title, None, encoding, tuple(header), tuple(missing), tuple(unknown))
        yield info
        yield from issues
        for h in missing:
            yield LoadIssue("column-missing", f"column absent from this file: {h}", "warning", column=h)
        unknown_values: Counter[int] = Counter()
        year = file_year(unit.head(), header)
        rows = yield from _rows(unit, encoding, reader, table, plan, header, unknown_idx, unknown_values, year)
        if rows == 0:
            yield LoadIssue("no-data-rows", "the file has a header but no data rows: nothing to map", "warning")
        for i in unknown_idx:
            if i in repeated:
                yield LoadIssue(
                    "column-repeated",
                    f"column {i + 1} repeats the header of an earlier column; its {unknown_values[i]} non-empty "
                    "values are not mapped (kept in the source file)",
                    "warning" if unknown_values[i] else "info",
                    column=header[i],
                )
                continue
            yield LoadIssue(
                "column-unknown",
                f"column not in the RS {table.id} schema; its {unknown_values[i]} non-empty values are "
                "not mapped (kept in the source file)",
                "warning" if unknown_values[i] else "info",
                column=header[i],
            )


ROW_WINDOW = 100_000
"""Rows remembered for duplicate detection (at least this many back, at most twice as many): memory stays bounded
on files of any size.  Identical rows in the RS export are neighbours (at most 10 rows apart in RS 2024).  The
事業名 of the programs seen last are remembered in the same way (to report a program given two names)."""
BLANK_LINES_LISTED = 20
"""Line numbers of blank lines named in their (single) ``blank-row`` issue; the rest are counted."""


class _Names:
    """The first 事業名 of each 予算事業ID among the last :data:`ROW_WINDOW` to :data:`ROW_WINDOW` × 2 programs."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[str, int]] = {}
        self.older: dict[str, tuple[str, int]] = {}

    def first(self, pid: str, name: str, row: int) -> tuple[str, int]:
        """The first (name, row) of ``pid``; ``(name, row)`` is remembered if ``pid`` is new."""
        hit = self.seen.get(pid) or self.older.get(pid)
        if hit is not None:
            return hit
        if len(self.seen) >= ROW_WINDOW:
            self.older, self.seen = self.seen, {}
        self.seen[pid] = (name, row)
        return name, row


def _rows(
    unit: SourceUnit,
    encoding: str,
    reader: _csv.Reader,
    table: Table,
    plan: list[tuple[int, Column]],
    header: list[str],
    unknown_idx: list[int],
    unknown_values: Counter[int],
    file_year: int | None = None,
) -> Generator[RsRecord | LoadIssue, None, int]:
    """The records and issues of the data rows; returns the number of non-blank rows read.

    ``file_year`` is the 事業年度 the file's graph is named by (:func:`graph_key`): a row of another year is not
    mapped into it (an error issue).  Blank lines make no triples: one ``blank-row`` issue counts them."""
    width = len(header)
    names = _Names()
    blank_rows: list[int] = []
    blank_lines: list[int] = []
    blanks = 0
    ordinals: Counter[str] = Counter()
    sequences: Counter[tuple[str | None, ...]] = Counter()
    seen_rows: dict[bytes, int] = {}
    older_rows: dict[bytes, int] = {}
    payload = set(table.payload)
    idx_year = next(i for i, c in plan if c.key == "year")
    idx_pid = next(i for i, c in plan if c.key == "program_id")
    row_no, line = 1, reader.line_num + 1
    read = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            if blanks:
                listed = describe_ranges(blank_lines, "–") + (
                    f" … ({blanks - len(blank_lines):,} more)" if blanks > len(blank_lines) else ""
                )
                yield LoadIssue(
                    "blank-row",
                    "blank line" if blanks == 1 else f"{blanks:,} blank lines (lines {listed}); nothing to map",
                    "info",
                    row=blank_rows[0],
                    line=blank_lines[0],
                )
            return read
        except csv.Error as exc:
            raise LoaderError(str(unit), f"CSV syntax error near line {reader.line_num}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise LoaderError(str(unit), _bad_bytes(unit, encoding)) from exc
        row_no += 1
        start, line = line, reader.line_num + 1
        if not fields or fields == [""]:
            blanks += 1
            if len(blank_lines) < BLANK_LINES_LISTED:
                blank_rows.append(row_no)
                blank_lines.append(start)
            continue
        read += 1
        if len(fields) != width:
            spans = (
                f"; the record runs over lines {start}–{line - 1}: a quote is probably not closed"
                if line - 1 > start
                else ""
            )
            yield LoadIssue(
                "column-count",
                f"row has {len(fields)} fields, header has {width}{spans}; row not mapped",
                "error",
                row=row_no,
                line=start,
                value=_join(fields),
            )
            continue
        # a digest of the length-prefixed fields: no two different rows share it (unlike a 64-bit hash())
        fingerprint = hashlib.blake2b("".join(f"{len(f)}:{f}" for f in fields).encode("utf-8"), digest_size=16).digest()
        first = seen_rows.get(fingerprint) or older_rows.get(fingerprint)
        if first is not None:
            if table.items:
                yield LoadIssue(
                    "duplicate-row",
                    f"identical to row {first}; mapped as a "
                    "separate item (repeated identical payments are listed this way)",
                    "info",
                    row=row_no,
                    line=start,
                )
            else:
                yield LoadIssue(
                    "duplicate-row",
                    f"identical to row {first}; not mapped again (it restates the facts of that row)",
                    "warning",
                    row=row_no,
                    line=start,
                )
                continue
        else:
            if len(seen_rows) >= ROW_WINDOW:
                older_rows, seen_rows = seen_rows, {}
            seen_rows[fingerprint] = row_no
        for i in unknown_idx:
            if fields[i].strip():
                unknown_values[i] += 1
        try:
            year = _key_year(fields[idx_year])
            pid, wide = _program_id(fields[idx_pid])
        except nz.NormalizeError as exc:
            yield LoadIssue(
                "row-key",
                f"{exc.reason}; row not mapped",
                "error",
                row=row_no,
                line=start,
                column="事業年度/予算事業ID",
                value=_join(fields),
            )
            continue
        if file_year is None:
            file_year = year
        elif year != file_year:
            yield LoadIssue(
                "row-key",
                f"事業年度 {year} differs from the file's 事業年度 {file_year} (its first data row's, which names its "
                f"graph rs/{file_year}/{table.id}); row not mapped: load each 事業年度 from a file of its own",
                "error",
                row=row_no,
                line=start,
                column="事業年度",
                value=_join(fields),
            )
            continue
        if wide:
            yield LoadIssue(
                "bad-program-id",
                f"予算事業ID written in full-width digits; read as {pid}",
                "warning",
                row=row_no,
                line=start,
                column="予算事業ID",
                value=fields[idx_pid],
            )
        v: dict[str, Value] = {}
        raw: dict[str, str] = {}
        for i, col in plan:
            cell = fields[i]
            if not cell or (col.kind in _NUMERIC and not cell.strip()):
                continue
            if col.key in ("year", "program_id"):
                continue
            if col.kind in _TEXTUAL and not cell.isprintable() and _CONTROL.search(cell):
                codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(cell)}))
                yield LoadIssue(
                    "control-character",
                    f"control characters removed from the text: {codes}",
                    "warning",
                    row=row_no,
                    line=start,
                    column=col.header,
                    value=cell,
                )
            try:
                value = CONVERTERS[col.kind](cell)
            except nz.NormalizeError as exc:
                if col.kind in _NUMERIC and nz.is_none_marker(cell):
                    continue  # '-' in a numeric column: explicitly nothing
                yield LoadIssue(
                    f"bad-{col.kind}",
                    exc.reason,
                    "error",
                    row=row_no,
                    line=start,
                    column=col.header,
                    value=cell,
                )
                raw[col.key] = cell
                continue
            if value is None:
                continue
            v[col.key] = value
            raw[col.key] = cell
        name = v.get("program_name")
        if isinstance(name, str):
            first_name, first_row = names.first(pid, name, row_no)
            if first_name != name:
                yield LoadIssue(
                    "duplicate-key",
                    f"予算事業ID {pid} is named 「{first_name}」 in row {first_row} and differently here; the first "
                    "name is kept as the program's 事業名, this one is not mapped",
                    "error",
                    row=row_no,
                    line=start,
                    column="事業名",
                    value=name,
                )
                v["program_name"] = first_name
        if not any(k in payload for k in v) and not any(k in payload for k in raw):
            continue  # the RS export lists every program once per table, with empty cells: nothing to map
        ordinals[pid] += 1
        seq = 1
        if table.sequence:
            skey = (pid, *(raw.get(k) for k in table.sequence))
            sequences[skey] += 1
            seq = sequences[skey]
        record, found = check(RsRecord(table.id, row_no, start, year, pid, ordinals[pid], v, raw, seq))
        yield record
        yield from found


def _bad_bytes(unit: SourceUnit, encoding: str) -> str:
    """Where the first undecodable bytes of the file are (read again line by line: the decoder works in chunks)."""
    with unit.open() as fh:
        for n, raw in enumerate(fh, 1):
            skip = 0
            while n == 1 and raw.startswith(_BOM, skip):
                skip += len(_BOM)
            try:
                raw[skip:].decode(encoding)
            except UnicodeDecodeError as exc:
                at = skip + exc.start
                return (
                    f"invalid {encoding} byte sequence at line {n}, byte {at + 1} of the line "
                    f"({raw[at : skip + exc.end].hex(' ')}); file not loaded"
                )
    return f"invalid {encoding} byte sequence; file not loaded"


def _join(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue()
