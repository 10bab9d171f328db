"""Lookup answers are cached per store generation and never outlive it."""

from __future__ import annotations

import threading
from pathlib import Path

from api.cache import LookupCache
from graph.oxistore import OxigraphStore
from graph.store import Store

BASE = "https://w3id.org/cbkg/"
G = BASE + "graph/a"


def nt(tmp: Path, name: str, values: list[int]) -> Path:
    p = tmp / name
    p.write_text("".join(f'<urn:s:{v}> <urn:p> "{v}" .\n' for v in values), encoding="utf-8")
    return p


class Counting:
    """A lookup that counts how often it really ran."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, store: Store, subject: str) -> list[str]:
        self.calls += 1
        return sorted(r["o"].lex for r in store.select(f"SELECT ?o WHERE {{ <{subject}> ?p ?o }}"))  # type: ignore[union-attr]


def test_a_cached_answer_is_reused_within_a_generation_and_recomputed_after_a_load(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "st", base=BASE)
    store.replace_graphs({G: nt(tmp_path, "a.nt", [1, 2])})
    lookups, fn = LookupCache(16), Counting()
    assert lookups.get(fn, store, "urn:s:1") == ["1"]
    assert lookups.get(fn, store, "urn:s:1") == ["1"]
    assert fn.calls == 1 and lookups.hits == 1
    assert lookups.get(fn, store, "urn:s:2") == ["2"] and fn.calls == 2  # other arguments: another answer
    # a reader process sees the writer's new generation: the old answer is not served
    writer = OxigraphStore(tmp_path / "st", base=BASE)
    writer.replace_graphs({G: nt(tmp_path, "b.nt", [3])})
    assert lookups.get(fn, store, "urn:s:1") == []
    assert lookups.get(fn, store, "urn:s:3") == ["3"]
    assert fn.calls == 4


def test_the_cache_keeps_at_most_its_size_dropping_the_least_recently_used(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "st", base=BASE)
    store.replace_graphs({G: nt(tmp_path, "a.nt", [1, 2, 3])})
    lookups, fn = LookupCache(2), Counting()
    for s in ("urn:s:1", "urn:s:2", "urn:s:1", "urn:s:3"):  # 2 is the least recently used when 3 comes
        lookups.get(fn, store, s)
    assert fn.calls == 3
    lookups.get(fn, store, "urn:s:1")
    assert fn.calls == 3
    lookups.get(fn, store, "urn:s:2")
    assert fn.calls == 4


def test_stores_without_stable_generations_and_size_zero_are_never_cached(tmp_path: Path) -> None:
    memory = OxigraphStore(None, base=BASE)
    memory.replace_graphs({G: nt(tmp_path, "a.nt", [1])})
    assert not memory.answers_stable
    lookups, fn = LookupCache(16), Counting()
    lookups.get(fn, memory, "urn:s:1")
    lookups.get(fn, memory, "urn:s:1")
    assert fn.calls == 2
    disk = OxigraphStore(tmp_path / "st", base=BASE)
    disk.replace_graphs({G: nt(tmp_path, "b.nt", [1])})
    off, fn2 = LookupCache(0), Counting()
    off.get(fn2, disk, "urn:s:1")
    off.get(fn2, disk, "urn:s:1")
    assert fn2.calls == 2


def test_generation_inside_a_snapshot_names_the_pinned_generation_not_a_newer_one(tmp_path: Path) -> None:
    # regression: `generation` named the newest published generation even while a snapshot pinned an older one,
    # so a per-generation cache could file an old answer under the new generation
    store = OxigraphStore(tmp_path / "st", base=BASE)
    store.replace_graphs({G: nt(tmp_path, "a.nt", [1])})
    with store.snapshot():
        pinned = store.generation
        OxigraphStore(tmp_path / "st", base=BASE).replace_graphs({G: nt(tmp_path, "b.nt", [2])})
        other = threading.Thread(target=store.count)  # another request's thread moves to the new generation
        other.start()
        other.join()
        assert store.generation == pinned
        assert store.count() == 1
    assert store.generation != pinned
