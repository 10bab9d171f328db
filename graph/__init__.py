"""graph: the store (embedded Oxigraph or a remote SPARQL server), identity, validation and the build pipeline."""

from __future__ import annotations

from typing import Any

from .settings import Settings
from .store import QueryError, Store, StoreError


def open_store(settings: Settings, *, read_only: bool = False, memory_copy: bool = False, **options: Any) -> Store:
    """The store selected by ``settings.store`` (``oxigraph:PATH`` | ``memory`` | ``sparql:…``).

    ``memory_copy`` (an on-disk store opened read-only) answers from an in-memory copy of each published
    generation once built, within ``settings.query_memory_copy_max_triples``; ``options`` go to that store."""
    spec = settings.store
    if spec == "memory":
        from .oxistore import OxigraphStore

        return OxigraphStore(None, base=settings.base_iri)
    if spec.startswith("oxigraph:"):
        from .oxistore import OxigraphStore

        return OxigraphStore(
            settings.store_path(),
            base=settings.base_iri,
            read_only=read_only,
            memory_copy=memory_copy,
            memory_copy_max_triples=settings.query_memory_copy_max_triples,
            **options,
        )
    if spec.startswith("sparql:"):
        from .remote import RemoteStore

        return RemoteStore.from_settings(settings, read_only=read_only)
    raise StoreError(f"unknown store {spec!r} (expected oxigraph:PATH, memory or sparql:QUERY_URL[,UPDATE,GSP])")


__all__ = ["QueryError", "Settings", "Store", "StoreError", "open_store"]
