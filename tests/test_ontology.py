"""The ontology declares every cbkg term the loaders use, each with Japanese and English labels and a comment."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS

from ontology import CODES_TTL, ONTOLOGY_TTL

CBKG = "https://w3id.org/cbkg/ontology#"
CODE = "https://w3id.org/cbkg/code/"
GOLDEN = sorted(Path(__file__).parent.glob("loaders/*/*/expected.*.nt"))


def used_terms() -> set[str]:
    used: set[str] = set()
    for f in GOLDEN:
        g = rdflib.Graph().parse(f, format="nt")
        for _s, p, o in g:
            if str(p).startswith(CBKG):
                used.add(str(p))
            if p == RDF.type and str(o).startswith(CBKG):
                used.add(str(o))
    return used


def test_golden_files_exist_for_the_term_check() -> None:
    assert len(GOLDEN) >= 20


def test_every_cbkg_term_used_by_a_loader_is_declared_with_labels_and_comment() -> None:
    onto = rdflib.Graph().parse(ONTOLOGY_TTL)
    missing, unlabelled = [], []
    for term in sorted(used_terms()):
        t = rdflib.URIRef(term)
        kinds = set(onto.objects(t, RDF.type))
        if not kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}:
            missing.append(term)
            continue
        langs = {lab.language for lab in onto.objects(t, RDFS.label)}
        if not {"ja", "en"} <= langs or onto.value(t, RDFS.comment) is None:
            unlabelled.append(term)
    assert not missing, f"terms used but not declared: {missing}"
    assert not unlabelled, f"terms without ja/en labels or comment: {unlabelled}"


def test_every_code_used_by_a_loader_is_in_the_code_lists() -> None:
    codes = rdflib.Graph().parse(CODES_TTL)
    used: set[str] = set()
    for f in GOLDEN:
        for _, _, o in rdflib.Graph().parse(f, format="nt"):
            if str(o).startswith(CODE):
                used.add(str(o))
    undeclared = [c for c in sorted(used) if (rdflib.URIRef(c), RDF.type, rdflib.SKOS.Concept) not in codes]
    assert not undeclared, undeclared
