"""Answers of lookups (REST, pages, IRIs) kept per store generation.

A generation of the embedded store never changes once published, so an answer computed on it stays true until a
load publishes the next one; then the cache starts again, empty, and :meth:`LookupCache.warm` recomputes the
lookups last used on the old generation (the server does this in the background when it notices a new
generation, so the first clients after a load do not pay for it).  Remote stores are never cached: other
clients may write to them (``Store.answers_stable`` is False).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from graph.store import Store

T = TypeVar("T")
_MISSING = object()

WARM_KEYS = 128
"""How many of the most recently used lookups of the old generation :meth:`LookupCache.warm` recomputes."""

_Key = tuple[Callable[..., Any], tuple[Hashable, ...]]
"""A cached lookup: the function and its arguments after the store."""


class LookupCache:
    """A bounded LRU of ``fn(store, *args)`` answers for the generation being read (``size`` 0: no caching)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.generation: str | None = None
        self._data: OrderedDict[_Key, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        self.previous: list[_Key] = []
        """The lookups last used on the previous generation, most recent first (what :meth:`warm` redoes)."""

    def _switch(self, gen: str) -> None:
        """Start the cache of ``gen`` (called holding the lock)."""
        if self._data:
            self.previous = list(reversed(self._data.keys()))[:WARM_KEYS]
        self._data.clear()
        self.generation = gen

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
                    self._switch(gen)
                hit = self._data.get(key, _MISSING)
                if hit is not _MISSING:
                    self._data.move_to_end(key)
                    self.hits += 1
                    return cast(T, hit)
                self.misses += 1
            answer = fn(store, *args)
            with self._lock:
                if gen == self.generation:
                    self._data[key] = answer
                    if len(self._data) > self.size:
                        self._data.popitem(last=False)
            return answer

    def warm(
        self,
        store: Store,
        keys: list[tuple[Callable[..., Any], tuple[Hashable, ...]]] | None = None,
        *,
        seconds: float = 5.0,
        stop: threading.Event | None = None,
    ) -> int:
        """Compute ``keys`` (default: :attr:`previous`) on the generation the store reads now, for at most
        ``seconds``; returns how many were computed.  A lookup that fails is skipped (its request will tell)."""
        if self.size <= 0 or not store.answers_stable:
            return 0
        deadline = time.monotonic() + seconds
        done = 0
        with store.snapshot():
            gen = store.generation
            with self._lock:
                if gen is not None and gen != self.generation:
                    self._switch(gen)
                todo = list(self.previous if keys is None else keys)
            for fn, args in todo:
                if time.monotonic() > deadline or (stop is not None and stop.is_set()):
                    break
                try:
                    self.get(fn, store, *args)
                except Exception:  # a bad key (e.g. a resource gone) is answered by its own request
                    continue
                done += 1
        return done
