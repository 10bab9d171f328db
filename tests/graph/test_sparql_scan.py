"""The SPARQL tokeniser that decides, before a query runs, its form, its dataset and whether it may contain
SERVICE: examples, a differential fuzz against Oxigraph's own parser, and its work bound."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.sparqlutil import MAX_NESTING, ScanLimit, check_read_query, declares_dataset, scan
from graph.store import QueryError, ServiceRefused, UpdateRefused


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * {}", "SELECT"),
        ("PREFIX : <http://a/> ASK {}", "ASK"),
        ("BASE <http://a/> PREFIX p: <b> # c\nCONSTRUCT {} {}", "CONSTRUCT"),
        ("describe <http://a>", "DESCRIBE"),
        ("PREFIX : <http://a/> INSERT DATA { :a :b :c }", "UPDATE"),
        ("LOAD <http://a/>", "UPDATE"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
        ("# only a comment", None),
    ],
)
def test_the_form_is_the_first_keyword_after_the_prologue(query: str, form: str | None) -> None:
    assert scan(query).form == form


def test_from_is_found_as_a_keyword_only() -> None:
    assert declares_dataset("SELECT * FROM <http://g> {}")
    assert declares_dataset("select * from named <http://g> {}")
    assert not declares_dataset("SELECT ?from { ?from <http://from/> 'FROM' } # FROM <x>")
    assert not declares_dataset("PREFIX from: <http://a/> SELECT * { ?s from:p ?o }")


def test_update_and_service_are_refused_as_such() -> None:
    with pytest.raises(UpdateRefused):
        check_read_query("CLEAR ALL")
    with pytest.raises(ServiceRefused):
        check_read_query("ASK { SERVICE <http://a/> {} }")
    assert check_read_query("ASK { SERVICE <http://a/> {} }", allow_service=True).service


def test_deep_nesting_and_long_prefix_operator_chains_are_refused_before_they_reach_a_parser() -> None:
    with pytest.raises(QueryError):
        check_read_query("ASK {" + "{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1) + "}")
    with pytest.raises(QueryError):  # 10,000 '!' overflow Oxigraph's parser stack (a segfault)
        check_read_query("ASK { FILTER(" + "!" * 10_000 + "true) }")


def test_the_scan_is_bounded_on_hostile_text() -> None:
    for text in ["'''" * 50_000, "<a" * 100_000, "SELECT * {" + "<" * 100_000, "#" * 200_000, '"' * 100_000]:
        try:
            scan(text)
        except ScanLimit:
            pass


PIECES = [
    " ", "\n", "#c\n", "{", "}", "(", ")", ".", ";", ",", "<", ">", "?x", "$y", "1", "1.5", "true", "'s'",
    '"s"', "'''", '"""', "<http://e/p>", "ex:p", ":", "a", "FILTER", "BIND", "AS", "LATERAL", "OPTIONAL",
    "MINUS", "EXISTS", "VALUES", "SILENT", "SERVICE", "service", "<=", "!", "*", "=",
]
FRAGMENTS = [
    " ", "\n", "#c\n", "#>\n", "FILTER(?x<2)", "FILTER(?x<=2)", "FILTER(?x<?x)", "FILTER(1<2)", "BIND(2 AS ?y)",
    "{}", "OPTIONAL{}", "LATERAL{}", ".", "?x ?x ?x.", "VALUES ?z {1}", "FILTER(true)", "'''a'''", "<http://e/a>",
    "FILTER(?x<<http://e/>)", 'FILTER("<"<">")', "FILTER(?x)", "MINUS{}", "LATERAL", "OPTIONAL", "{", "}",
]
"""Fragments that keep a query valid often (about a quarter of the generated queries evaluate SERVICE)."""
TARGET = "<http://127.0.0.1:9/>"  # Oxigraph refuses port 9 before connecting: proof that SERVICE was evaluated


def evaluates_service(query: str) -> bool:
    try:
        res = ox.Store().query(query)
        if not isinstance(res, ox.QueryBoolean):
            list(res)
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
        return "port 9" in str(exc)
    return False


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=0, max_size=14), st.lists(st.sampled_from(PIECES), max_size=6))
def test_every_service_oxigraph_evaluates_is_seen_by_the_scan(before: list[str], after: list[str]) -> None:
    query = "SELECT * WHERE { BIND(1 AS ?x) " + "".join(before) + f"SERVICE {TARGET} {{ }}" + "".join(after) + " }"
    if evaluates_service(query):
        assert scan(query).service, query


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=6), st.lists(st.sampled_from(FRAGMENTS), max_size=3))
def test_every_service_in_mostly_valid_queries_is_seen_by_the_scan(before: list[str], after: list[str]) -> None:
    query = "SELECT * WHERE { BIND(1 AS ?x) " + "".join(before) + f"SERVICE {TARGET} {{ }}" + "".join(after) + " }"
    if evaluates_service(query):
        assert scan(query).service, query


def test_the_differential_fuzz_really_reaches_service() -> None:
    """Guards the fuzz above against passing vacuously: its fragments give queries Oxigraph evaluates."""
    rng = random.Random(2)
    hits = sum(
        evaluates_service(
            "SELECT * WHERE { BIND(1 AS ?x) "
            + "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 6)))
            + f"SERVICE {TARGET} {{ }} }}"
        )
        for _ in range(200)
    )
    assert hits > 20


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_the_scan_never_fails_on_any_text(text: str) -> None:
    try:
        facts = scan(text)
    except ScanLimit:
        return
    assert facts.depth >= 0
