"""SHACL shapes: passing and failing graphs for each rule, and the fast engine agrees with pySHACL."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest
import rdflib

from graph import validate
from graph.oxistore import OxigraphStore, solutions
from ontology import CODES_TTL, ONTOLOGY_TTL

PREFIXES = """
@prefix cbkg: <https://w3id.org/cbkg/ontology#> . @prefix code: <https://w3id.org/cbkg/code/> .
@prefix qb: <http://purl.org/linked-data/cube#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> . @prefix eli: <http://data.europa.eu/eli/ontology#> .
@base <https://w3id.org/cbkg/id/> .
"""
SHAPES = validate.load_shapes()

GOOD_SHEET = """
<program/47> a cbkg:Program ; dcterms:identifier "47" .
<sheet/2024/47> a cbkg:ProgramSheet ; cbkg:program <program/47> ; cbkg:sheetYear "2024"^^xsd:gYear ;
    rdfs:label "サイバーセキュリティ戦略本部等経費"@ja ; cbkg:ministry <org/cas> ; prov:wasDerivedFrom <urn:f#row=2> ;
    cbkg:startYear "2015"^^xsd:gYear ; cbkg:endYear "2030"^^xsd:gYear .
<line> a cbkg:BudgetLine ; cbkg:sheet <sheet/2024/47> ; cbkg:budgetYear "2024"^^xsd:gYear ;
    cbkg:account <https://w3id.org/cbkg/code/account/total> ; prov:wasDerivedFrom <urn:f#row=3> ; qb:observation <line/initial>, <line/executed>, <line/current> .
<line/initial> cbkg:budgetStage <https://w3id.org/cbkg/code/budget-stage/initial> ; cbkg:amount 130191000.0 .
<line/current> cbkg:budgetStage <https://w3id.org/cbkg/code/budget-stage/current> ; cbkg:amount 200000000.0 .
<line/executed> cbkg:budgetStage <https://w3id.org/cbkg/code/budget-stage/executed> ; cbkg:amount 129000000.0 ; cbkg:executionRate 0.645 .
<e1> a cbkg:ExpenseItem ; cbkg:sheet <sheet/2024/47> ; cbkg:amount 1000.0 ; cbkg:payee <corporation/7010001008844> ;
    cbkg:corporateNumberAsWritten "7010001008844" ; prov:wasDerivedFrom <urn:f#row=4> .
<corporation/7010001008844> a cbkg:Payee ; cbkg:corporateNumber "7010001008844" ; skos:prefLabel "株式会社日立製作所"@ja .
"""

# (name, turtle that breaks exactly one rule, expected (shape local name, component local name))
FAILING = [
    (
        "sheet without program",
        GOOD_SHEET.replace("cbkg:program <program/47> ;", ""),
        ("ProgramSheet-program", "MinCountConstraintComponent"),
    ),
    (
        "sheet year not a gYear",
        GOOD_SHEET.replace('cbkg:sheetYear "2024"^^xsd:gYear', 'cbkg:sheetYear "2024"'),
        ("ProgramSheet-year", "DatatypeConstraintComponent"),
    ),
    (
        "end year before start year",
        GOOD_SHEET.replace('"2030"^^xsd:gYear', '"2010"^^xsd:gYear'),
        ("ProgramSheetYears", "SPARQLConstraintComponent"),
    ),
    (
        "negative initial budget",
        GOOD_SHEET.replace("130191000.0", "-5.0"),
        ("Observation", "SPARQLConstraintComponent"),
    ),
    (
        "two amounts on one observation",
        GOOD_SHEET + "<line/initial> cbkg:amount 1.0 .",
        ("Observation-amount", "MaxCountConstraintComponent"),
    ),
    (
        "amount not a decimal",
        GOOD_SHEET.replace("130191000.0", '"130191000"'),
        ("Observation-amount", "DatatypeConstraintComponent"),
    ),
    (
        "execution rate inconsistent",
        GOOD_SHEET.replace("0.645", "0.9"),
        ("ExecutionRate", "SPARQLConstraintComponent"),
    ),
    (
        "bad check digit",
        GOOD_SHEET.replace(
            'cbkg:corporateNumberAsWritten "7010001008844"', 'cbkg:corporateNumberAsWritten "7010000500687"'
        ),
        ("CorporateNumberAsWritten", "SPARQLConstraintComponent"),
    ),
    (
        "corporate number 0",
        GOOD_SHEET.replace('cbkg:corporateNumberAsWritten "7010001008844"', 'cbkg:corporateNumberAsWritten "0"'),
        ("CorporateNumberAsWritten-pattern", "PatternConstraintComponent"),
    ),
    (
        "expense without source record",
        GOOD_SHEET.replace("prov:wasDerivedFrom <urn:f#row=4> ", ""),
        ("ExpenseItem-derived", "MinCountConstraintComponent"),
    ),
    (
        "payee not a payee",
        GOOD_SHEET.replace("<corporation/7010001008844> a cbkg:Payee ;", "<corporation/7010001008844> "),
        ("ExpenseItem-payee", "ClassConstraintComponent"),
    ),
    (
        "program id with leading zero",
        GOOD_SHEET.replace('dcterms:identifier "47"', 'dcterms:identifier "047"'),
        ("Program-identifier", "PatternConstraintComponent"),
    ),
]


def data_graph(turtle: str) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(ONTOLOGY_TTL)
    g.parse(CODES_TTL)
    g.parse(data=PREFIXES + turtle, format="turtle")
    return g


def fast_results(g: rdflib.Graph) -> list[validate.Result]:
    db = ox.Store()
    db.load(g.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:g"))
    v = validate.FastValidator(SHAPES, lambda q: solutions(db.query(q, use_default_graph_as_union=True)))
    return v.run(v.compile(), threads=1)


def keys(results: list[validate.Result]) -> set[tuple]:
    return {r.key() for r in results}


def test_good_graph_conforms_with_both_engines() -> None:
    g = data_graph(GOOD_SHEET)
    assert fast_results(g) == []
    assert validate.pyshacl_results(g, SHAPES) == []


@pytest.mark.parametrize(("name", "turtle", "expected"), FAILING, ids=[c[0] for c in FAILING])
def test_each_rule_fails_its_graph_and_engines_agree(name: str, turtle: str, expected: tuple[str, str]) -> None:
    g = data_graph(turtle)
    fast, ref = fast_results(g), validate.pyshacl_results(g, SHAPES)
    assert keys(fast) == keys(ref), f"fast engine and pySHACL disagree on {name}"
    found = {(r.shape.rsplit("#", 1)[1], r.component.rsplit("#", 1)[1]) for r in fast}
    assert found == {expected}


def test_fast_engine_reports_exactly_what_pyshacl_reports_on_the_rs_sample(
    sample_store: OxigraphStore,
) -> None:
    # pySHACL needs minutes for the whole sample; these graphs carry all of its real dirt and every class
    g = rdflib.Graph()
    for name, path in sample_store.graph_files().items():
        if name.endswith(
            (
                "/graph/ontology",
                "/graph/entities",
                "/rs/2024/5-3",
                "/rs/2024/5-4",
                "/rs/2024/1-2",
                "/rs/2024/1-3",
                "/rs/2024/6-1",
            )
        ):
            g.parse(path, format="nt")
    t0 = time.perf_counter()
    ref = validate.pyshacl_results(g, SHAPES)
    t_ref = time.perf_counter() - t0
    fast = fast_results(g)
    assert len(g) > 8_000
    assert keys(fast) == keys(ref)
    assert ref, "the sample carries real dirt (bad 法人番号, negative amounts): results expected"
    print(f"pySHACL {t_ref:.1f} s on {len(g)} triples; {len(ref)} results")


def test_unsupported_shacl_feature_is_refused_not_ignored() -> None:
    shapes = rdflib.Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:qualifiedMinCount 1 ;
            sh:qualifiedValueShape [ sh:datatype <http://www.w3.org/2001/XMLSchema#string> ] ] .""",
        format="turtle",
    )
    v = validate.FastValidator(shapes, lambda q: solutions(ox.Store().query(q)))
    with pytest.raises(validate.UnsupportedShape):
        v.compile()
