"""Shared fixtures: the RS sample, stores loaded with it, rdflib conversions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import rdflib

from graph import pipeline
from graph.oxistore import OxigraphStore
from graph.settings import Settings
from loaders.base import Loader, LoadIssue
from ontology.iri import Minter
from ontology.terms import Triple, to_ntriples

ROOT = Path(__file__).resolve().parent.parent
RS_SAMPLE = ROOT / "tests" / "loaders" / "rs_csv" / "sample"
BASE = "https://w3id.org/cbkg/"


def to_graph(triples: Iterable[Triple]) -> rdflib.Graph:
    """Triples (cbkg terms) as an rdflib graph, through N-Triples (so escaping is tested too)."""
    g = rdflib.Graph()
    g.parse(data="".join(to_ntriples(triples)), format="nt")
    return g


def map_file(loader: Loader, path: Path) -> tuple[list[Triple], list[Triple], list[LoadIssue]]:
    """Run a loader on one file as a load does: (data triples, declaration triples, load issues)."""
    return pipeline.map_in_memory(loader, loader.units(path)[0], Minter(BASE))


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(store="memory", base_iri=BASE, workers=1)


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """An on-disk store with the RS sample loaded (shared by read-only tests)."""
    path = tmp_path_factory.mktemp("store") / "store"
    settings = Settings(store=f"oxigraph:{path}", base_iri=BASE, workers=2)
    store = OxigraphStore(path, base=BASE)
    report = pipeline.load([RS_SAMPLE], store, settings)
    assert not report.refused, report.refused
    yield store
