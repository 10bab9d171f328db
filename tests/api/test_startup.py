"""Startup and reloads without a cold start (issue 14): the catalogue is computed by the load and stored with
the generation, a new generation is warmed in the background, and the CLI starts without the heavy imports."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

from api import queries
from api.app import create_app
from graph import pipeline
from graph.oxistore import OxigraphStore
from graph.settings import Settings
from ontology.iri import Minter
from tests.conftest import BASE, ROOT


def entries_as_tuples(entries: list[queries.SheetEntry]) -> list[tuple]:
    return [
        (e.program_id, e.year, e.iri, e.name, e.ministry, e.ministry_name, e.key, e.laws, e.provisions) for e in entries
    ]


def test_the_load_stores_the_catalogue_and_the_server_reads_it_instead_of_querying(loaded_store: Path) -> None:
    store = OxigraphStore(loaded_store, base=BASE, read_only=True)
    assert store.read_aux(queries.CATALOGUE_AUX)  # written by the load
    cat = queries.Catalogue(store, Minter(BASE))
    entries = cat.entries()
    assert cat.source == "aux"  # the validation's generation (after the load's) changed no catalogue graph
    assert entries and entries_as_tuples(entries) == entries_as_tuples(queries.build_sheets(store))
    assert cat.search("サイバー") == [e for e in entries if "サイバー" in e.key]


def test_an_aux_file_carried_into_a_generation_that_changed_catalogue_data_is_ignored(
    loaded_store: Path, tmp_path: Path
) -> None:
    path = tmp_path / "store"
    shutil.copytree(loaded_store, path, symlinks=True)
    store = OxigraphStore(path, base=BASE)
    sheet = BASE + "id/sheet/test-only"
    nt = tmp_path / "extra.nt"
    nt.write_text(
        f"<{sheet}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{queries.CBKG}ProgramSheet> .\n"
        f'<{sheet}> <http://www.w3.org/2000/01/rdf-schema#label> "追加の事業" .\n'
        f'<{sheet}> <{queries.CBKG}sheetYear> "2024"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n'
        f"<{sheet}> <{queries.CBKG}program> <{BASE}id/program/99999999> .\n"
        f'<{BASE}id/program/99999999> <http://purl.org/dc/terms/identifier> "99999999" .\n',
        encoding="utf-8",
    )
    store.replace_graphs({BASE + "graph/test-extra": nt})  # a transaction that does not rewrite the aux file
    cat = queries.Catalogue(store, Minter(BASE))
    assert any(e.program_id == "99999999" for e in cat.entries())
    assert cat.source == "sparql"


def test_a_new_generation_is_warmed_in_the_background(loaded_store: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "store"
    shutil.copytree(loaded_store, path, symlinks=True)
    monkeypatch.setattr("api.app.GENERATION_POLL", 0.05)
    settings = Settings(store=f"oxigraph:{path}", base_iri=BASE, workers=1)
    app = create_app(settings, start_workers=False)

    async def run() -> None:
        async with app.router.lifespan_context(app):
            st = app.state
            assert await asyncio.to_thread(st.warmed.wait, 30)
            first = st.warmed_generation
            assert st.catalogue.source == "aux"
            ids = [e.program_id for e in st.catalogue.entries()[:3]]
            for pid in ids:
                st.lookups.get(queries.program, st.store, st.minter, pid)
            st.warmed.clear()
            writer = OxigraphStore(path, base=BASE)
            await asyncio.to_thread(pipeline.rebuild_derived, writer, settings)  # a new generation, as a load
            assert await asyncio.to_thread(st.warmed.wait, 30)
            assert st.warmed_generation != first
            assert st.catalogue.source == "aux"  # the rebuild wrote the catalogue of its generation
            assert st.lookups.generation == st.warmed_generation
            misses = st.lookups.misses
            for pid in ids:  # recomputed by the warmer: answered from the cache
                st.lookups.get(queries.program, st.store, st.minter, pid)
            assert st.lookups.misses == misses

    asyncio.run(run())


def test_cbkg_query_answers_without_importing_loaders_pipeline_or_validation(loaded_store: Path) -> None:
    code = (
        "import sys\n"
        "from api.cli import main\n"
        "sys.argv = ['cbkg', 'query', 'ASK { ?s a cbkg:ProgramSheet }']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "heavy = [m for m in ('loaders', 'graph.pipeline', 'graph.quality', 'rdflib', 'fastapi') if m in sys.modules]\n"
        "print('heavy:', heavy)\n"
    )
    env = {**os.environ, "CBKG_STORE": f"oxigraph:{loaded_store}", "CBKG_BASE_IRI": BASE}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "heavy:", "[]"], out.stdout
