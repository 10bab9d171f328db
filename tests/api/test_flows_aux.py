"""The money-flow index is written with each generation at load time and read back instead of being rebuilt."""

from __future__ import annotations

from pathlib import Path

from api import flows
from api.queries import Catalogue
from graph import pipeline, quality
from graph.oxistore import OxigraphStore
from graph.settings import Settings
from ontology.iri import Minter
from tests.conftest import BASE, RS_SAMPLE


def _summary(ix: flows.Index) -> tuple:
    return (
        sorted((s.iri, s.program_id, s.year, s.name, s.ministry, s.ministry_name) for s in ix.sheets.values()),
        sorted((pid, y, st, a) for pid, ys in ix.budgets.items() for y, v in ys.items() for st, a in v.items()),
        sorted((p.iri, p.name, p.number, tuple(sorted(p.names))) for p in ix.payees.values()),
        sorted((f.kind, f.sheet, f.payee, f.name, f.amount) for p in ix.payees.values() for f in p.facts),
        sorted((k, len(v)) for k, v in ix.facts_by_sheet.items()),
    )


def test_the_flows_index_of_a_load_is_read_back_identical_to_one_built_by_sparql(tmp_path: Path) -> None:
    path = tmp_path / "store"
    settings = Settings(store=f"oxigraph:{path}", base_iri=BASE, workers=1)
    pipeline.load([RS_SAMPLE], OxigraphStore(path, base=BASE), settings)
    store = OxigraphStore(path, base=BASE, read_only=True)
    raw = store.read_aux(flows.FLOWS_AUX)
    assert raw, "the load wrote no flows.json"
    fingerprint = flows._fingerprint(store.graph_files(), store.graph_predicates())
    from_file = flows.index_from_bytes(raw, fingerprint)
    assert from_file is not None
    built = flows._build(store, Catalogue(store, Minter(BASE)))
    assert _summary(from_file) == _summary(built)
    assert from_file.payees and from_file.budgets  # not vacuously equal
    assert flows.index_from_bytes(raw, "another-fingerprint") is None


def test_validation_keeps_the_flows_file_valid_and_a_data_change_makes_it_stale(tmp_path: Path) -> None:
    path = tmp_path / "store"
    settings = Settings(store=f"oxigraph:{path}", base_iri=BASE, workers=1)
    writer = OxigraphStore(path, base=BASE)
    pipeline.load([RS_SAMPLE], writer, settings)
    quality.validate_store(writer, settings)  # a new generation with the report graph, no new flows.json
    store = OxigraphStore(path, base=BASE, read_only=True)
    assert flows._read_aux(store) is not None
    files = store.graph_files()
    rs = next(g for g in files if "/rs/" in g and g.endswith("5-3"))
    files[rs] = next(f for g, f in files.items() if g != rs)  # as if 5-3 had changed
    assert flows.index_from_bytes(store.read_aux(flows.FLOWS_AUX) or b"", flows._fingerprint(files, store.graph_predicates())) is None
