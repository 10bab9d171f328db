"""Whole REST answers are kept per store generation (``api.app.Answers``) and never outlive it."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import httpx

from api.app import create_app
from graph import pipeline
from graph.oxistore import OxigraphStore
from graph.settings import Settings
from tests.conftest import BASE


def test_a_rest_answer_is_sent_again_within_a_generation_and_recomputed_after_a_load(
    loaded_store: Path, tmp_path: Path
) -> None:
    path = tmp_path / "store"
    shutil.copytree(loaded_store, path, symlinks=True)
    settings = Settings(store=f"oxigraph:{path}", base_iri=BASE, workers=1)
    app = create_app(settings, start_workers=False)

    async def run() -> None:
        async with app.router.lifespan_context(app):
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
                pid = (await c.get("/api/programs", params={"size": 1})).json()["items"][0]["id"]
                first = await c.get(f"/api/programs/{pid}", headers={"Origin": "https://example.org"})
                again = await c.get(f"/api/programs/{pid}", headers={"Origin": "https://example.org"})
                answers = app.state.answers
                assert first.status_code == again.status_code == 200
                assert answers.hits == 1
                assert again.content == first.content
                assert again.headers.multi_items() == first.headers.multi_items()  # no header added twice
                head = await c.head(f"/api/programs/{pid}", headers={"Origin": "https://example.org"})
                assert head.status_code == 200 and head.content == b"" and answers.hits == 2
                gz = await c.get(f"/api/programs/{pid}", headers={"Accept-Encoding": "gzip"})
                assert gz.json() == first.json() and answers.hits == 2  # other request headers: another answer
                missing = await c.get("/api/programs/999999999")
                assert missing.status_code == 404
                await c.get("/api/programs/999999999")
                assert answers.hits == 2  # errors are never kept
                gen = app.state.store.generation
                writer = OxigraphStore(path, base=BASE)
                await asyncio.to_thread(pipeline.rebuild_derived, writer, settings)
                assert app.state.store.generation != gen
                after = await c.get(f"/api/programs/{pid}", headers={"Origin": "https://example.org"})
                assert after.status_code == 200 and answers.hits == 2  # a new generation: recomputed
                assert after.headers["etag"] != first.headers["etag"]

    asyncio.run(run())
