"""URLs from source cells become IRIs that strict RDF parsers accept (regression: an RS 1-3 plan URL
``…pdf#page=[42]`` was refused by the Oxigraph server's Graph Store), or stay literals."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.common import is_url, url_iri, url_term
from ontology.terms import IRI


@pytest.mark.parametrize(
    ("written", "iri"),
    [
        (
            "https://www.caa.go.jp/policies/policy/consumer_policy/basic_plan/assets/basic_plan_210615_0001.pdf#page=[42]",
            "https://www.caa.go.jp/policies/policy/consumer_policy/basic_plan/assets/basic_plan_210615_0001.pdf#page=%5B42%5D",
        ),
        ("https://www.soumu.go.jp/main_content/000123.pdf", "https://www.soumu.go.jp/main_content/000123.pdf"),
        ("  http://example.jp/a b|c ", "http://example.jp/a%20b%7Cc"),
        ("https://example.jp/100%/x%41", "https://example.jp/100%25/x%41"),
        ("https://example.jp/p#a#b", "https://example.jp/p#a%23b"),
        ("HTTPS://example.jp/日本語?q=サイバー", "https://example.jp/日本語?q=サイバー"),
        ("https://[2001:db8::1]/x", "https://[2001:db8::1]/x"),
    ],
)
def test_source_urls_become_iris_a_strict_parser_accepts(written: str, iri: str) -> None:
    assert url_iri(written) == iri
    assert url_term(written) == IRI(iri)
    ox.NamedNode(iri)  # raises on an invalid IRI


@pytest.mark.parametrize("written", ["参考資料", "www.example.jp", "https://exa mple.jp/", "ftp://example.jp/x", ""])
def test_text_that_is_not_an_http_url_stays_a_literal(written: str) -> None:
    assert url_iri(written) is None and not is_url(written)
    assert not isinstance(url_term(written), IRI)


@given(st.text(max_size=60))
def test_any_path_after_a_host_gives_a_valid_iri(tail: str) -> None:
    iri = url_iri("https://example.jp/" + tail)
    assert iri is not None
    ox.NamedNode(iri)


@given(st.text(max_size=40))
def test_any_text_after_the_scheme_gives_a_valid_iri_or_none(rest: str) -> None:
    iri = url_iri("https://" + rest)
    if iri is not None:
        ox.NamedNode(iri)
