"""A real uvicorn server on a free loopback port over a store loaded with the RS sample (``tests.support.servers``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import pipeline, quality
from graph.oxistore import OxigraphStore
from graph.settings import Settings
from tests.conftest import BASE, RS_SAMPLE
from tests.support.servers import Server, start_server, stop


@pytest.fixture(scope="session")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store loaded with the RS sample and validated (shared by the API tests)."""
    path = tmp_path_factory.mktemp("api") / "store"
    settings = Settings(store=f"oxigraph:{path}", base_iri=BASE, workers=2)
    store = OxigraphStore(path, base=BASE)
    pipeline.load([RS_SAMPLE], store, settings)
    quality.validate_store(store, settings)
    return path


@pytest.fixture(scope="session")
def server(loaded_store: Path) -> Iterator[Server]:
    """The shared cbkg server over it (3 s query timeout, 5,000 results, 20,000-byte bodies)."""
    s = start_server(loaded_store, CBKG_QUERY_TIMEOUT="3", CBKG_MAX_RESULTS="5000", CBKG_MAX_BODY_BYTES="20000")
    yield s
    stop(s)
