"""Every bundled source in one graph: identity across years and sources, and the README's questions.

Loads all of ``data/`` (RS 2024, laws, JUDGIT 2015–2022, the five seeds, NTA and gBizINFO samples) once, about a
minute, and checks what issue "every source, one graph" asks for on the real data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import loaders
from graph import pipeline
from graph.oxistore import OxigraphStore
from graph.settings import Settings
from graph.store import value
from ontology.namespaces import sparql_prefixes
from tests.conftest import BASE, ROOT

P = sparql_prefixes()
EXAMPLES = ROOT / "api" / "examples"
ID = BASE + "id/"


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> tuple[OxigraphStore, Settings, pipeline.LoadReport]:
    path = tmp_path_factory.mktemp("all") / "store"
    settings = Settings(store=f"oxigraph:{path}", base_iri=BASE, workers=2)
    store = OxigraphStore(path, base=BASE)
    report = pipeline.load([ROOT / "data"], store, settings)
    return store, settings, report


def rows(store: OxigraphStore, query: str) -> list[dict[str, str | None]]:
    res = store.select(P + query)
    return [{v: value(r.get(v)) for v in res.variables} for r in res.rows]


def example(store: OxigraphStore, name: str) -> list[dict[str, str | None]]:
    path = next(EXAMPLES.glob(name + "*.rq"))
    res = store.select(path.read_text(encoding="utf-8"))
    return [{v: value(r.get(v)) for v in res.variables} for r in res.rows]


def test_every_bundled_file_loads_and_every_loader_is_used(everything) -> None:
    _, _, report = everything
    assert not report.refused, report.refused
    assert {r.plan.loader for r in report.loaded} == set(loaders.LOADERS)
    assert report.identity is not None and report.identity.derived_programs > 0


def test_every_sheet_belongs_to_exactly_one_program(everything) -> None:
    store, _, _ = everything
    (r,) = rows(
        store,
        """SELECT (COUNT(?s) AS ?sheets) (SUM(IF(?n = 1, 1, 0)) AS ?one) WHERE {
             { SELECT ?s (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s a cbkg:ProgramSheet OPTIONAL { ?s cbkg:program ?p } }
               GROUP BY ?s } }""",
    )
    assert int(r["sheets"] or 0) > 5664 and r["sheets"] == r["one"]


def test_nisc_program_47_is_one_program_from_2015_to_2024(everything) -> None:
    store, _, _ = everything
    years = rows(
        store,
        """SELECT ?y ?method WHERE { ?s cbkg:program <https://w3id.org/cbkg/id/program/47> ; cbkg:sheetYear ?y .
             OPTIONAL { ?s cbkg:programMatch/cbkg:matchMethod ?m BIND(STRAFTER(STR(?m), "match-method/") AS ?method) }
           } ORDER BY ?y""",
    )
    assert [r["y"] for r in years] == ["2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2024"]
    assert years[-1]["method"] is None  # the RS sheet carries the 予算事業ID itself
    assert {r["method"] for r in years[:-1]} <= {"name", "previous-sheet", "judgit-program-id"}


def test_readme_budget_history_of_program_47_spans_judgit_and_rs(everything) -> None:
    store, _, _ = everything
    history = {r["budgetYear"]: r for r in example(store, "06-")}
    assert set(history) >= {str(y) for y in range(2015, 2025)}
    assert history["2015"]["initial"] == "108000000" and history["2015"]["sheetNumber"] == "官房-0012"
    assert history["2024"]["initial"] == "130191000" and history["2024"]["reportedIn"] == "2024"


def test_program_20950_has_its_2024_and_2026_sheets_and_both_sources_agree(everything) -> None:
    store, _, _ = everything
    found = rows(
        store,
        """SELECT ?sy ?amount WHERE { ?s cbkg:program <https://w3id.org/cbkg/id/program/20950> ; cbkg:sheetYear ?sy .
             ?l cbkg:sheet ?s ; cbkg:budgetYear "2024"^^xsd:gYear ; cbkg:account <https://w3id.org/cbkg/code/account/total> ;
                qb:observation ?o .
             ?o cbkg:budgetStage <https://w3id.org/cbkg/code/budget-stage/supplementary> ; cbkg:amount ?amount }
           ORDER BY ?sy""",
    )
    assert found == [{"sy": "2024", "amount": "296325000"}, {"sy": "2026", "amount": "296325000"}]


def test_readme_nisc_summary_items_find_their_rs_programs(everything) -> None:
    store, _, _ = everything
    items = {r["name"]: r for r in example(store, "14-")}
    assert len(items) >= 25
    hit = items["産業サイバーセキュリティ強靱化事業"]  # 強靱 in the summary, 強靭 in RS
    assert (hit["programId"], hit["method"], hit["score"]) == ("3589", "name", "1")
    assert all(float(r["score"]) >= 0.9 for r in items.values() if r["score"] is not None)


def test_weak_name_matches_are_candidates_never_merges(everything) -> None:
    store, _, _ = everything
    merged = rows(
        store,
        """SELECT (MIN(?score) AS ?min) WHERE { ?x cbkg:programMatch ?m . ?m cbkg:matchScore ?score ;
             cbkg:matchMethod <https://w3id.org/cbkg/code/match-method/name> }""",
    )
    assert float(merged[0]["min"] or 0) >= 0.9
    candidates = rows(
        store,
        """SELECT ?x ?score ?method WHERE { ?x skos:closeMatch ?p ; cbkg:matchCandidate ?c .
             ?c cbkg:matchedProgram ?p ; cbkg:matchScore ?score ; cbkg:matchMethod ?method }""",
    )
    assert candidates
    conflicted = {
        r["m"] for r in rows(store, "SELECT ?m WHERE { ?c a cbkg:IdentityConflict ; cbkg:conflictMember ?m }")
    }
    for c in candidates:  # a strong name match is a candidate only when merging was refused (and reported)
        assert float(c["score"] or 0) < 0.9 or not c["method"].endswith("/name") or c["x"] in conflicted  # type: ignore[union-attr]
        assert not rows(store, f"SELECT ?p WHERE {{ <{c['x']}> cbkg:program ?p . <{c['x']}> skos:closeMatch ?p }}")


def test_readme_payees_of_several_cyber_programs(everything) -> None:
    store, _, _ = everything
    payees = example(store, "15-")
    assert len(payees) == 25 and all(int(r["programs"] or 0) >= 2 for r in payees)
    hitachi = next(r for r in payees if r["corporateNumber"] == "7010001008844")
    assert hitachi["payee"] == "株式会社日立製作所"  # the NTA/gBizINFO registered name is the preferred label


def test_strategy_editions_stay_apart_and_are_versions_of_one_plan(everything) -> None:
    store, _, _ = everything
    editions = rows(
        store,
        """SELECT ?key ?work WHERE { ?e cbkg:planKey ?key ; dcterms:isVersionOf ?work .
             FILTER(STRSTARTS(?key, "サイバーセキュリティ戦略|")) } ORDER BY ?key""",
    )
    assert [r["key"] for r in editions] == [
        "サイバーセキュリティ戦略|2015-09",
        "サイバーセキュリティ戦略|2021-09-28",
        "サイバーセキュリティ戦略|2025-12-23",
    ]
    assert len({r["work"] for r in editions}) == 1


def test_rebuilding_identity_gives_the_same_graph(everything, tmp_path: Path) -> None:
    store, settings, _ = everything
    graph = BASE + "graph/identity"
    before = store.dump_graph(graph)
    pipeline.rebuild_derived(store, settings)
    assert store.dump_graph(graph) == before
