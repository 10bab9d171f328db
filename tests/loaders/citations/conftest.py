"""Shared data for the citation tests: the rows of the bundled RS 2024 table 1-3 (read once)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TABLE_1_3 = ROOT / "data" / "rs2024" / "1-3_RS_2024_基本情報_政策・施策、法令等.zip"


@pytest.fixture(scope="session")
def rows_1_3() -> list[dict[str, str]]:
    with zipfile.ZipFile(TABLE_1_3) as z:
        (member,) = [n for n in z.namelist() if n.lower().endswith(".csv")]
        text = z.read(member).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))
