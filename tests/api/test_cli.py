"""The ``cbkg`` lookups (stats, issues, articles, basis, identity) answer from the read model on the RS sample,
and a load plans its files once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from api.cli import app
from graph import pipeline
from tests.conftest import BASE, RS_SAMPLE


def cbkg(store: Path, *args: str) -> Result:
    env = {"CBKG_STORE": f"oxigraph:{store}", "CBKG_BASE_IRI": BASE, "CBKG_WORKERS": "1"}
    return CliRunner().invoke(app, list(args), env=env)


def test_stats_counts_resources_and_sheets_per_ministry(loaded_store: Path) -> None:
    r = cbkg(loaded_store, "stats")
    assert r.exit_code == 0, r.output
    assert "Resources" in r.output and "│ program sheets          │ 19 " in r.output
    assert "府省庁" in r.output and "│ 国土交通省 │ 4 " in r.output


def test_issues_filter_by_code_and_file_as_bound_strings(loaded_store: Path) -> None:
    r = cbkg(loaded_store, "issues", "--code", "bad-corpno")
    assert r.exit_code == 0, r.output
    assert "bad-corpno" in r.output and "check digit mismatch" in r.output
    r = cbkg(loaded_store, "issues", "--file", 'x") || true || ("', "--code", "a\\b")
    assert r.exit_code == 0, r.output
    assert "bad-corpno" not in r.output  # the quote is part of the searched text, never of the query


def test_articles_of_the_cs_basic_law_and_a_bad_law_id(loaded_store: Path) -> None:
    r = cbkg(loaded_store, "articles")
    assert r.exit_code == 0, r.output
    assert "Programs per article of 426AC1000000104" in r.output and "│ 16 " in r.output
    r = cbkg(loaded_store, "articles", "--law", "bad law")
    assert r.exit_code == 2 and "not an IRI" in r.output


def test_basis_and_identity(loaded_store: Path) -> None:
    r = cbkg(loaded_store, "basis", "20950")
    assert r.exit_code == 0, r.output
    assert "Legal basis of program 20950" in r.output
    r = cbkg(loaded_store, "identity")
    assert r.exit_code == 0, r.output
    assert "identity resolution" in r.output and "identity conflicts (never merged)" in r.output


def test_a_load_plans_its_files_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    plan = pipeline.plan

    def counted(*args: object, **kwargs: object) -> list[pipeline.UnitPlan]:
        calls.append(1)
        return plan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "plan", counted)
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(next(RS_SAMPLE.glob("6-1_*.csv")), src)
    r = cbkg(tmp_path / "store", "load", str(src))
    assert r.exit_code == 0, r.output
    assert "1 loaded, 0 unchanged, 0 refused" in r.output and len(calls) == 1
