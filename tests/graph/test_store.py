"""The embedded store: atomic graph replacement, failure leaves the store as before, readers switch."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.oxistore import OxigraphStore
from graph.store import QueryError

BASE = "https://w3id.org/cbkg/"
G1, G2 = BASE + "graph/a", BASE + "graph/b"
HIDDEN = BASE + "declarations/a"


def nt(tmp: Path, name: str, lines: list[str]) -> Path:
    p = tmp / name
    p.write_text("".join(lines), encoding="utf-8")
    return p


def triple(i: int) -> str:
    return f'<urn:s:{i}> <urn:p> "{i}" .\n'


@pytest.fixture(params=["disk", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> OxigraphStore:
    return OxigraphStore(tmp_path / "st" if request.param == "disk" else None, base=BASE)


def count(store: OxigraphStore) -> int:
    return int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"].lex)


def test_replace_graph_swaps_content(store: OxigraphStore, tmp_path: Path) -> None:
    store.replace_graphs({G1: nt(tmp_path, "a.nt", [triple(1), triple(2)])})
    assert count(store) == 2
    store.replace_graphs({G1: nt(tmp_path, "a2.nt", [triple(3)])})
    assert count(store) == 1
    assert store.graphs() == [G1]


def test_failed_transaction_leaves_store_exactly_as_before(store: OxigraphStore, tmp_path: Path) -> None:
    store.replace_graphs({G1: nt(tmp_path, "a.nt", [triple(1)]), G2: nt(tmp_path, "b.nt", [triple(2)])})
    before = (store.graphs(include_hidden=True), count(store), store.generation)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.drop_graphs([G2])
        tx.load_graph(G1, nt(tmp_path, "big.nt", [triple(i) for i in range(100)]))
        raise RuntimeError("injected failure half-way")
    assert (store.graphs(include_hidden=True), count(store), store.generation) == before


def test_hidden_graphs_are_not_in_the_query_dataset(store: OxigraphStore, tmp_path: Path) -> None:
    store.replace_graphs({HIDDEN: nt(tmp_path, "d.nt", [triple(9)]), G1: nt(tmp_path, "a.nt", [triple(1)])})
    assert count(store) == 1
    assert store.graphs() == [G1]
    assert HIDDEN in store.graphs(include_hidden=True)
    assert store.dump_graph(HIDDEN) == triple(9).encode()


def test_malformed_query_raises_query_error_with_parser_message(store: OxigraphStore) -> None:
    with pytest.raises(QueryError) as exc:
        store.select("SELECT ?x WHERE { ?x ")
    assert str(exc.value)


def test_reader_in_another_process_style_instance_sees_published_generation(tmp_path: Path) -> None:
    writer = OxigraphStore(tmp_path / "st", base=BASE)
    writer.replace_graphs({G1: nt(tmp_path, "a.nt", [triple(1)])})
    reader = OxigraphStore(tmp_path / "st", base=BASE, read_only=True)
    assert count(reader) == 1
    writer.replace_graphs({G1: nt(tmp_path, "a2.nt", [triple(1), triple(2), triple(3)])})
    assert count(reader) == 3  # picks up the new generation on its next query


def test_old_generations_are_collected(tmp_path: Path) -> None:
    st = OxigraphStore(tmp_path / "st", base=BASE)
    for i in range(5):
        st.replace_graphs({G1: nt(tmp_path, f"a{i}.nt", [triple(i)])})
    gens = sorted(p.name for p in (tmp_path / "st").glob("gen-*"))
    assert len(gens) == 2 and gens[-1] == st.generation


def test_snapshot_pins_one_generation_for_the_reads_of_a_page(tmp_path: Path) -> None:
    writer = OxigraphStore(tmp_path / "st", base=BASE)
    writer.replace_graphs({G1: nt(tmp_path, "a.nt", [triple(1)])})
    reader = OxigraphStore(tmp_path / "st", base=BASE, read_only=True)
    with reader.snapshot():
        assert count(reader) == 1
        writer.replace_graphs({G1: nt(tmp_path, "a2.nt", [triple(1), triple(2)])})
        assert count(reader) == 1  # still the generation the block started on
        with reader.snapshot():  # nested blocks keep the outer pin
            assert count(reader) == 1
    assert count(reader) == 2  # the next read outside the block sees the new generation


def test_a_file_bigger_than_one_bulk_batch_is_loaded_in_parts_and_kept_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # regression: the entities file was bulk-loaded in one batch, whose memory grows with the file
    import pyoxigraph as ox

    from graph import oxistore

    class Recording:
        """A real store that records the size of each bulk batch."""

        def __init__(self) -> None:
            self.db, self.batches = ox.Store(str(tmp_path / "db")), []

        def bulk_load(self, **kw: object) -> None:
            data = kw.get("input")
            self.batches.append(len(data.splitlines()) if isinstance(data, bytes) else "whole file")
            self.db.bulk_load(**kw)  # type: ignore[arg-type]

    monkeypatch.setattr(oxistore, "BULK_LINES", 10)
    rec = Recording()
    oxistore._bulk_load(rec, nt(tmp_path, "a.nt", [triple(i) for i in range(25)]), ox.NamedNode(G1), 25)  # type: ignore[arg-type]
    assert rec.batches == [10, 10, 5]
    assert len(rec.db) == 25
    oxistore._bulk_load(rec, nt(tmp_path, "b.nt", [triple(i) for i in range(100, 108)]), ox.NamedNode(G2), 8)  # type: ignore[arg-type]
    assert rec.batches[-1] == "whole file" and len(rec.db) == 33
    store = OxigraphStore(tmp_path / "st", base=BASE)  # and through the store's transaction
    store.replace_graphs({G1: nt(tmp_path, "c.nt", [triple(i) for i in range(25)])})
    assert count(store) == 25
