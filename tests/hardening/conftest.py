"""Fixtures of the hardening tests: a fresh on-disk store per test (``env``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.oxistore import OxigraphStore
from graph.settings import Settings
from tests.conftest import BASE
from tests.hardening.test_bad_input import Env


@pytest.fixture
def env(tmp_path: Path) -> Env:
    """The real pipeline on an on-disk Oxigraph store in ``tmp_path`` (one worker: runs in this process)."""
    path = tmp_path / "store"
    return Env(OxigraphStore(path, base=BASE), Settings(store=f"oxigraph:{path}", base_iri=BASE, workers=1), tmp_path)
