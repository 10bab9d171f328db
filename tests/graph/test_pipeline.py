"""The build pipeline on the RS sample: detection by content, idempotent reloads, refusals, removal."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from graph import pipeline
from graph.oxistore import OxigraphStore
from graph.settings import Settings
from tests.conftest import BASE, RS_SAMPLE

PROV_TIMES = ("http://www.w3.org/ns/prov#startedAtTime", "http://www.w3.org/ns/prov#endedAtTime")


def graph_without_load_times(store: OxigraphStore, graph: str):  # type: ignore[no-untyped-def]
    from rdflib import Graph

    g = Graph().parse(data=store.dump_graph(graph).decode(), format="nt")
    for p in PROV_TIMES:
        g.remove((None, __import__("rdflib").URIRef(p), None))
    return g


@pytest.fixture
def fresh(tmp_path: Path) -> tuple[OxigraphStore, Settings]:
    s = Settings(store=f"oxigraph:{tmp_path / 'st'}", base_iri=BASE, workers=2)
    return OxigraphStore(tmp_path / "st", base=BASE), s


def test_reloading_the_same_files_is_idempotent(fresh, tmp_path: Path) -> None:
    store, settings = fresh
    pipeline.load([RS_SAMPLE], store, settings)
    g = BASE + "graph/rs/2024/5-3"
    first = graph_without_load_times(store, g)
    again = pipeline.load([RS_SAMPLE], store, settings)
    assert not again.loaded and len(again.unchanged) == 13  # unchanged bytes: skipped
    pipeline.load([RS_SAMPLE], store, settings, force=True)
    assert isomorphic(first, graph_without_load_times(store, g))


def test_every_source_graph_describes_its_file_with_prov(fresh) -> None:
    store, settings = fresh
    pipeline.load([RS_SAMPLE / "6-1_RS_2024_その他備考.csv"], store, settings)
    rows = store.select(f"""SELECT ?name ?sha ?v ?start WHERE {{ GRAPH <{BASE}graph/rs/2024/6-1> {{
        <{BASE}graph/rs/2024/6-1> <http://www.w3.org/ns/prov#wasDerivedFrom> ?src ;
            <https://w3id.org/cbkg/ontology#loaderVersion> ?v ; <http://www.w3.org/ns/prov#wasGeneratedBy> ?a .
        ?a <http://www.w3.org/ns/prov#startedAtTime> ?start .
        ?src <http://purl.org/dc/terms/title> ?name ; <https://w3id.org/cbkg/ontology#sha256> ?sha }} }}""")
    assert len(rows) == 1
    assert rows.rows[0]["name"].lex == "6-1_RS_2024_その他備考.csv"
    assert len(rows.rows[0]["sha"].lex) == 64


def test_unrecognised_file_is_refused_by_name_and_the_rest_loads(fresh, tmp_path: Path) -> None:
    store, settings = fresh
    d = tmp_path / "mixed"
    d.mkdir()
    shutil.copy(RS_SAMPLE / "6-1_RS_2024_その他備考.csv", d)
    (d / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    report = pipeline.load([d], store, settings)
    assert [r.plan.key for r in report.loaded] == ["rs/2024/6-1"]
    assert len(report.refused) == 1 and report.refused[0][0].endswith("notes.csv")
    assert "no loader recognises" in report.refused[0][1]


def test_zip_without_csv_is_refused(fresh, tmp_path: Path) -> None:
    import zipfile

    store, settings = fresh
    z = tmp_path / "empty.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("readme.txt", "nothing here")
    report = pipeline.load([z], store, settings)
    assert report.refused and "contains no CSV" in report.refused[0][1]


def test_removing_a_source_removes_its_graphs_and_declarations(fresh) -> None:
    store, settings = fresh
    pipeline.load([RS_SAMPLE], store, settings)
    assert BASE + "declarations/rs/2024/5-3" in store.graphs(include_hidden=True)
    pipeline.remove(["rs/2024/5-3"], store, settings)
    names = store.graphs(include_hidden=True)
    assert BASE + "graph/rs/2024/5-3" not in names and BASE + "declarations/rs/2024/5-3" not in names
    # payees declared only by 5-3 are gone from the entities graph
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?e <https://w3id.org/cbkg/ontology#payee> ?p }")
    assert rows.rows[0]["n"].lex != "0"  # 5-4 still has contracts with payees


def test_load_is_atomic_when_a_unit_fails(fresh, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, settings = fresh
    pipeline.load([RS_SAMPLE / "6-1_RS_2024_その他備考.csv"], store, settings)
    before = (store.generation, store.graphs(include_hidden=True), store.count())

    real = pipeline._map_unit

    def failing(p, base, workdir):  # type: ignore[no-untyped-def]
        if p.key.endswith("5-3"):
            raise OSError(errno.ENOSPC, "No space left on device (injected)")
        return real(p, base, workdir)

    monkeypatch.setattr(pipeline, "_map_unit", failing)
    settings1 = settings.model_copy(update={"workers": 1})
    with pytest.raises(pipeline.LoadAborted) as exc:  # an OSError while mapping ends the load, naming the file
        pipeline.load([RS_SAMPLE], store, settings1, force=True)
    assert exc.value.source.endswith("5-3_RS_2024_支出先_費目・使途.csv")
    assert "No space left on device" in exc.value.reason
    assert (store.generation, store.graphs(include_hidden=True), store.count()) == before
