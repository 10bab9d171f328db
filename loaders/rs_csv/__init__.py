"""Loader ``rs_csv``: the RS-system bulk CSVs (行政事業レビュー見える化サイト), read straight from the ZIPs.

``parse(unit)`` (:mod:`.parse`) streams one CSV, identifies its table by the header (:mod:`.tables`), converts
every cell to a typed value and yields a :class:`TableInfo`, then one :class:`RsRecord` per data row
(:mod:`.records`) — or a :class:`~loaders.base.LoadIssue` for what cannot be read (wrong column count,
unparsable amount, bad 法人番号 …).  ``to_triples`` / ``declarations`` (:mod:`.mapping`) map the rows with the
RS-table mapping shared with ``rs_sheet`` (:mod:`loaders.rs_model.mapping`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..base import LoaderError, SourceUnit, zip_units
from .mapping import declarations, to_triples
from .parse import LINE_LIMIT, ROW_WINDOW, file_year, parse, read_header
from .records import RsRecord, TableInfo
from .tables import TABLES, identify

NAME = "rs_csv"
VERSION = "1.2.0"  # 1.2: blank lines aggregated; other-script keys, name conflicts, mixed years reported
TITLE = "RS-system bulk CSV (行政事業レビュー 一括ダウンロード)"
__all__ = [
    "LINE_LIMIT",
    "NAME",
    "ROW_WINDOW",
    "TITLE",
    "VERSION",
    "RsRecord",
    "TableInfo",
    "cost",
    "declarations",
    "detect",
    "graph_key",
    "identify",
    "parse",
    "table_ids",
    "to_triples",
    "units",
]


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True if the unit is a CSV whose header matches an RS table."""
    header = read_header(head)
    if header is None:
        return False
    table, score = identify(header)
    return table is not None and score >= 0.6


def units(path: Path) -> list[SourceUnit]:
    """The CSVs of a path: the file itself, or every ``.csv`` member of a ZIP (error if there is none)."""
    if zipfile.is_zipfile(path):
        members = zip_units(path, (".csv",))
        if not members:
            raise LoaderError(str(path), "ZIP archive contains no CSV file")
        return members
    return [SourceUnit(path)]


COST_WEIGHT = {"2-1": 5.0, "1-3": 1.5}
"""Relative mapping cost per byte of the tables (2-1 yields a budget line plus ~12 observations per row)."""


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work for this unit (the pipeline maps the most expensive units first)."""
    table, _ = identify(read_header(head) or [])
    return unit.size() * COST_WEIGHT.get(table.id if table else "", 1.0)


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``rs/{事業年度}/{table}`` — the same table of the same year replaces the previous file.

    The 事業年度 is the first data row's (blank lines skipped); ``parse`` reports rows of another year."""
    header = read_header(head) or []
    table, _ = identify(header)
    year = file_year(head, header) if table is not None else None
    return f"rs/{year or 'unknown'}/{table.id if table else 'unknown'}"


def table_ids() -> list[str]:
    """All table ids this loader knows (``1-1`` … ``6-1``, including ``3-1`` and ``5-1``)."""
    return list(TABLES)
