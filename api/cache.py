"""Answers of lookups (REST, pages, IRIs) kept per store generation.

A generation of the embedded store never changes once published, so an answer computed on it stays true until a
load publishes the next one; then the cache starts again, empty.  Remote stores are never cached: other clients
may write to them (``Store.answers_stable`` is False).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from graph.store import Store

T = TypeVar("T")
_MISSING = object()


class LookupCache:
    """A bounded LRU of ``fn(store, *args)`` answers for the generation being read (``size`` 0: no caching)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.generation: str | None = None
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, fn: Callable[..., T], store: Store, *args: Hashable) -> T:
        """``fn(store, *args)`` on one published state of the store (see ``queries.consistent``), from the cache
        when this generation already answered it.  Callers must not change the answer they get."""
        with store.snapshot():
            gen = store.generation if self.size > 0 and store.answers_stable else None
            if gen is None:
                return fn(store, *args)
            key = (fn, args)
            with self._lock:
                if gen != self.generation:  # a load published a new generation (or a reader still on the old)
                    self._data.clear()
                    self.generation = gen
                hit = self._data.get(key, _MISSING)
                if hit is not _MISSING:
                    self._data.move_to_end(key)
                    self.hits += 1
                    return hit  # type: ignore[no-any-return]
                self.misses += 1
            answer = fn(store, *args)
            with self._lock:
                if gen == self.generation:
                    self._data[key] = answer
                    if len(self._data) > self.size:
                        self._data.popitem(last=False)
            return answer
