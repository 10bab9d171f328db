"""No request text reaches SPARQL: request paths and parameters are checked and bound by graph.prepared.

Before the fix, ``/id/…`` spliced the raw path into ``<…>``: a path with ``>`` and brackets ran any SPARQL in
the server process with no time limit, could make SERVICE requests, and 6,000 nested brackets crashed the
server.  The attacks here are sent byte for byte over a raw socket (an HTTP client would percent-encode them).
"""

from __future__ import annotations

import ast
import socket
import time
from decimal import Decimal

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.prepared import BadParameter, Template, check_iri, prepare, string_term
from ontology.terms import IRI, Literal
from tests.conftest import ROOT
from tests.support.servers import Server, free_port


def raw_get(server: Server, path: bytes, accept: str = "text/turtle", timeout: float = 30) -> tuple[int, bytes]:
    """Send ``GET path`` exactly as given; the status and body of the answer."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nAccept: " + accept.encode() + b"\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def alive(server: Server) -> bool:
    return server.proc.poll() is None and httpx.get(server.url + "/api/ministries", timeout=10).status_code == 200


# --------------------------------------------------------------------------------------- over a real server
# ``?`` would start the query string, so the attacks use SPARQL's other variable syntax, ``$v``.
ID = b"https://w3id.org/cbkg/id/"


def test_a_path_with_brackets_cannot_run_sparql(server: Server) -> None:
    # closed the IRI of program 47 and joined the triples of program 20950, which then came back as its own
    status, body = raw_get(server, b"/id/program/47>$a$b.<" + ID + b"program/20950>$p$o.<" + ID + b"program/20950")
    assert status == 400 and b"bad-parameter" in body
    assert "地方公共団体".encode() not in body  # the name of program 20950


def test_a_path_closing_the_iri_cannot_start_a_cartesian_product(server: Server) -> None:
    # ran a four-way product of the whole store in the server process, with no time limit
    t = time.monotonic()
    status, _ = raw_get(server, b"/id/program/47>$a$b.$c$d$e.$f$g$h.$i$j$k.<" + ID + b"program/47", timeout=5)
    assert status == 400 and time.monotonic() - t < 2


def test_a_path_cannot_make_the_server_fetch_a_service(server: Server) -> None:
    port = free_port()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()
        listener.settimeout(1.5)
        service = f"http://127.0.0.1:{port}/sparql".encode()
        path = b"/id/program/47>$a$b.SERVICE<" + service + b">{$s$t$u}.<" + ID + b"program/47"
        status, _ = raw_get(server, path, timeout=5)
        with pytest.raises(TimeoutError):
            listener.accept()
    assert status == 400


@pytest.mark.parametrize(
    "path",
    [
        b"/id/program/47>$a$b." + b"{" * 6000 + b"$c$d$e" + b"}" * 6000 + b".<" + ID + b"program/47",
        b"/id/" + b"(" * 6000,
        b"/id/" + b"%7B" * 3000,
    ],
    ids=["nested-groups", "parentheses", "encoded-braces"],
)
def test_six_thousand_nested_brackets_do_not_crash_the_server(server: Server, path: bytes) -> None:
    # 6,000 nested groups overflowed the SPARQL parser's stack: the server died of a segmentation fault
    status, _ = raw_get(server, path, timeout=10)
    assert status in (400, 404)
    assert alive(server)


@pytest.mark.parametrize("char", list(b'<>"{}|^`\\'))
def test_a_path_with_a_character_no_iri_can_hold_is_a_400(server: Server, char: int) -> None:
    status, body = raw_get(server, b"/id/program/47" + bytes([char]))
    assert status == 400 and b"bad-parameter" in body


def test_percent_encoded_brackets_are_part_of_the_iri_not_of_the_query(server: Server) -> None:
    r = httpx.get(server.url + "/id/x%3E%20%3Fp%20%3Fo%20%7D%23", headers={"Accept": "text/turtle"})
    assert r.status_code == 404 and r.json()["code"] == "not-found"


def test_no_canned_query_is_built_with_an_f_string() -> None:
    keywords = ("SELECT ", "WHERE {", "ASK ", "CONSTRUCT", "VALUES ?")
    for name in ("queries.py", "pages.py", "rest.py", "ld.py"):
        tree = ast.parse((ROOT / "api" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
                assert not any(k in text for k in keywords), f"api/{name}:{node.lineno} builds SPARQL in an f-string"


def test_every_query_template_runs_once_filled() -> None:
    from api import queries

    store = ox.Store()
    sample: dict[str, object] = {
        "limit": 10,
        "offset": 0,
        "number": "16",
        "year": Literal("2024", "http://www.w3.org/2001/XMLSchema#gYear"),
    }
    templates = {k: v for k, v in vars(queries).items() if isinstance(v, Template)}
    assert len(templates) >= 20
    for t in templates.values():
        params = {p: sample.get(p, IRI("https://w3id.org/cbkg/id/x")) for p in t.names}
        if "subjects" in params or "sheets" in params or "predicates" in params:
            params = {**params, **{k: [IRI("urn:a"), IRI("urn:b")] for k in ("subjects", "sheets", "predicates") if k in params}}
        store.query(queries.P + t(**params))  # parses and runs (on an empty store)


# ------------------------------------------------------------------------------------ the strict serialiser
@pytest.mark.parametrize(
    "bad",
    [
        "https://w3id.org/cbkg/id/x> ?p ?o } #",
        "https://w3id.org/cbkg/id/{x}",
        'https://w3id.org/cbkg/id/"',
        "https://w3id.org/cbkg/id/a|b",
        "https://w3id.org/cbkg/id/a^b",
        "https://w3id.org/cbkg/id/a`b",
        "https://w3id.org/cbkg/id/a\\b",
        "https://w3id.org/cbkg/id/a b",
        "https://w3id.org/cbkg/id/a\x00b",
        "https://w3id.org/cbkg/id/a\nb",
        "https://w3id.org/cbkg/id/\ud800",
        "https://w3id.org/cbkg/id/%zz",
        "relative/path",
        "_:blank",
        "https://w3id.org/" + "a" * 5000,
    ],
)
def test_an_iri_parameter_that_could_leave_its_brackets_is_refused(bad: str) -> None:
    with pytest.raises(BadParameter):
        prepare("SELECT * WHERE { $s ?p ?o }", s=IRI(bad))


def test_templates_fill_only_their_own_placeholders() -> None:
    t = Template('SELECT ?x WHERE { $s <urn:p#$no> "$no" ; ?p $o } # $no\nLIMIT $n')
    assert t.names == {"s", "o", "n"}
    q = t(s=IRI("urn:s"), o="it's \"quoted\"", n=5)
    assert q == 'SELECT ?x WHERE { <urn:s> <urn:p#$no> "$no" ; ?p "it\'s \\"quoted\\"" } # $no\nLIMIT 5'
    with pytest.raises(TypeError):
        t(s=IRI("urn:s"), o="x")  # missing n
    with pytest.raises(TypeError):
        t(s=IRI("urn:s"), o="x", n=1, extra=2)
    with pytest.raises(TypeError):
        t(s=IRI("urn:s"), o=object(), n=1)


def test_numbers_lists_and_typed_literals_are_written_as_sparql_terms() -> None:
    store = ox.Store()
    q = prepare(
        "SELECT ?v WHERE { VALUES ?v { $values } }",
        values=[1, Decimal("2.50"), True, Literal("2024", "http://www.w3.org/2001/XMLSchema#gYear"), Literal("x", lang="ja")],
    )
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert [r["v"] for r in store.query(q)] == [
        ox.Literal("1", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal("2.5", datatype=ox.NamedNode(xsd + "decimal")),  # the store keeps the canonical form
        ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean")),
        ox.Literal("2024", datatype=ox.NamedNode(xsd + "gYear")),
        ox.Literal("x", language="ja"),
    ]
    with pytest.raises(BadParameter):
        prepare("SELECT * WHERE { ?s ?p $o }", o=Literal("x", lang="ja\" } #"))
    with pytest.raises(BadParameter):
        prepare("SELECT * WHERE { ?s ?p $o }", o=Decimal("NaN"))


ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60) | st.sampled_from(
    ['"', "\\", '\\"', "\\u0022", "\\U00000022", "\\\\u0022", '"} ?s ?p ?o { "', "\n", "\r", "\x00", "\x7f", "'''", '"""']
)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_a_string_parameter_is_always_exactly_one_literal_with_the_same_text(text: str) -> None:
    rows = list(ox.Store().query(prepare("SELECT ?v WHERE { BIND($v AS ?v) }", v=text)))
    assert len(rows) == 1 and rows[0]["v"] == ox.Literal(text)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_a_string_parameter_reads_the_same_where_unicode_escapes_are_expanded_before_parsing(text: str) -> None:
    # SPARQL 1.1 §19.2 lets a server expand \\uXXXX / \\UXXXXXXXX everywhere before parsing: the literal
    # must still be one literal with the same text
    import re

    term = string_term(text)
    expanded = re.sub(
        r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m.group(1) or m.group(2), 16)), term
    )
    rows = list(ox.Store().query(f"SELECT ?v WHERE {{ BIND({expanded} AS ?v) }}"))
    assert len(rows) == 1 and rows[0]["v"] == ox.Literal(text)


@settings(max_examples=300, deadline=None)
@given(tail=st.text(max_size=40))
def test_an_iri_parameter_is_refused_or_is_exactly_that_iri(tail: str) -> None:
    iri = "https://w3id.org/cbkg/id/" + tail
    try:
        checked = check_iri(iri)
    except BadParameter:
        return
    rows = list(ox.Store().query(prepare("SELECT ?v WHERE { BIND($v AS ?v) }", v=checked)))
    assert len(rows) == 1 and rows[0]["v"] == ox.NamedNode(iri)
