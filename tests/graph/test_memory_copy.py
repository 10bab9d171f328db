"""A reader's in-memory copy of a published generation: same answers as RocksDB, never a stale generation."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import Settings
from graph.oxistore import OxigraphStore
from graph.store import QueryError

BASE = "https://w3id.org/cbkg/"
G1, G2 = BASE + "graph/a", BASE + "graph/b"
HIDDEN = BASE + "declarations/a"

QUERIES = [
    "SELECT ?s ?o WHERE { ?s <urn:p> ?o } ORDER BY ?s ?o",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    f"SELECT ?o FROM <{G2}> WHERE {{ ?s ?p ?o }} ORDER BY ?o",
    f"SELECT ?o WHERE {{ GRAPH <{HIDDEN}> {{ ?s ?p ?o }} }}",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
]


def nt(tmp: Path, name: str, lines: list[str]) -> Path:
    p = tmp / name
    p.write_text("".join(lines), encoding="utf-8")
    return p


def triple(i: int, lang: str = "") -> str:
    return f'<urn:s:{i}> <urn:p> "{i} 予算"{lang} .\n'


@pytest.fixture
def written(tmp_path: Path) -> OxigraphStore:
    store = OxigraphStore(tmp_path / "st", base=BASE)
    store.replace_graphs(
        {
            G1: nt(tmp_path, "a.nt", [triple(i) for i in range(50)]),
            G2: nt(tmp_path, "b.nt", [triple(i, "@ja") for i in range(40, 60)]),
            HIDDEN: nt(tmp_path, "d.nt", [triple(999)]),
        }
    )
    return store


def answers(store: OxigraphStore) -> list[object]:
    return [store.select(q).canonical() for q in QUERIES] + [store.ask("ASK { <urn:s:7> ?p ?o }")]


def test_memory_copy_answers_as_the_disk_store(written: OxigraphStore, tmp_path: Path) -> None:
    disk = OxigraphStore(tmp_path / "st", base=BASE, read_only=True)
    copy = OxigraphStore(tmp_path / "st", base=BASE, read_only=True, memory_copy=True)
    assert copy.wait_for_memory_copy(10)
    assert copy.memory_copy_note.startswith("memory copy of 70 quads")  # the hidden graph stays out
    assert not disk.wait_for_memory_copy(0)
    assert answers(copy) == answers(disk)
    assert answers(copy)[3] == []  # hidden graphs are files only, in the copy as on disk
    with pytest.raises(QueryError):
        copy.select("SELECT * WHERE { ?s ?p }")


def test_memory_copy_never_answers_an_older_generation(written: OxigraphStore, tmp_path: Path) -> None:
    copy = OxigraphStore(tmp_path / "st", base=BASE, read_only=True, memory_copy=True)
    assert copy.wait_for_memory_copy(10)
    first = copy.generation
    written.replace_graphs({G1: nt(tmp_path, "a2.nt", [triple(1000)])})
    # the very next query reads the new generation (from disk until its own copy is complete)
    assert copy.generation != first
    assert copy.ask("ASK { <urn:s:1000> ?p ?o }")
    assert not copy.ask("ASK { <urn:s:3> <urn:p> ?o }")
    assert copy.wait_for_memory_copy(10)
    assert copy.memory_copy_note.startswith("memory copy of 21 quads")
    disk = OxigraphStore(tmp_path / "st", base=BASE, read_only=True)
    assert answers(copy) == answers(disk)


def test_memory_copy_over_its_limit_reads_disk(written: OxigraphStore, tmp_path: Path) -> None:
    copy = OxigraphStore(tmp_path / "st", base=BASE, read_only=True, memory_copy=True, memory_copy_max_triples=69)
    assert not copy.wait_for_memory_copy(10)
    assert "more than the memory copy's limit of 69" in copy.memory_copy_note
    assert copy.select(QUERIES[-1]).rows[0]["n"].lex == "70"


def test_memory_copy_that_does_not_match_the_index_is_discarded(written: OxigraphStore, tmp_path: Path) -> None:
    gen = tmp_path / "st" / (tmp_path / "st" / "CURRENT").read_text().strip() / "graphs"
    victim = next(p for p in gen.glob("*.nt") if triple(0) in p.read_text(encoding="utf-8"))
    victim.write_text(victim.read_text(encoding="utf-8") + triple(5000), encoding="utf-8")  # files changed under us
    copy = OxigraphStore(tmp_path / "st", base=BASE, read_only=True, memory_copy=True)
    assert not copy.wait_for_memory_copy(10)
    assert copy.memory_copy_note == "memory copy discarded: 71 quads, the index counts 70"
    assert not copy.ask("ASK { <urn:s:5000> ?p ?o }")  # RocksDB, the published data, answers


def test_memory_copy_is_abandoned_when_superseded(written: OxigraphStore, tmp_path: Path) -> None:
    copy = OxigraphStore(tmp_path / "st", base=BASE, read_only=True)
    gen = copy._current()
    events: list[tuple[str, int]] = []
    gen.build_memory_copy(lambda: False, lambda e, n: events.append((e, n)))
    assert not gen.in_memory and gen.copied.is_set()
    assert gen.copy_note == "memory copy abandoned: a newer generation is published"
    assert events == [("start", 70)]


def test_memory_copy_settings_reach_the_store(written: OxigraphStore, tmp_path: Path) -> None:
    from graph import open_store

    settings = Settings(store=f"oxigraph:{tmp_path / 'st'}", base_iri=BASE, query_memory_copy_max_triples=10)
    store = open_store(settings, read_only=True, memory_copy=True)
    assert isinstance(store, OxigraphStore)
    assert not store.wait_for_memory_copy(10)
    assert "limit of 10" in store.memory_copy_note
