"""FastAPI application factory (the query interface is built in its own issue; this serves the basics)."""

from __future__ import annotations

from fastapi import FastAPI

from graph import Settings, open_store


def create_app(settings: Settings | None = None) -> FastAPI:
    """Create the web application over the configured store (no work at import time)."""
    settings = settings or Settings()
    app = FastAPI(title="cbkg", version="0.1.0")
    store = open_store(settings, read_only=True)

    @app.get("/api/stats")
    def stats() -> dict[str, int]:
        return {"triples": store.count(), "graphs": len(store.graphs())}

    return app
