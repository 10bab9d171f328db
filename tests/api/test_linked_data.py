"""Dereferencing beyond /id/: source files, named graphs, the dataset, code lists; canonical IRIs; inbound
paging; the 303s to HTML pages."""

from __future__ import annotations

import httpx
import pytest
import rdflib

from tests.support.servers import Server

BASE = "https://w3id.org/cbkg/"
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
CBKG = rdflib.Namespace("https://w3id.org/cbkg/ontology#")
SKOS = rdflib.SKOS
ACCOUNT = "id/account/%E4%B8%80%E8%88%AC%E4%BC%9A%E8%A8%88"  # 一般会計: 338 inbound triples in the RS sample


def turtle(server: Server, path: str, **params: str) -> tuple[httpx.Response, rdflib.Graph]:
    r = httpx.get(server.url + path, params=params, headers={"Accept": "text/turtle"})
    assert r.status_code == 200, (path, r.status_code, r.text[:200])
    return r, rdflib.Graph().parse(data=r.text, format="turtle")


def sparql_count(server: Server, query: str) -> int:
    r = httpx.get(server.url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_every_prov_source_dereferences_without_its_row_fragment(server: Server) -> None:
    _, sheet = turtle(server, "/id/sheet/2024/47")
    sources = {str(o).split("#", 1)[0] for o in sheet.objects(None, PROV.wasDerivedFrom)}
    assert sources and all(s.startswith(BASE + "source/") for s in sources)
    for src in sources:
        for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")):
            r = httpx.get(server.url + "/" + src.removeprefix(BASE), headers={"Accept": accept})
            assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
            g = rdflib.Graph().parse(data=r.text, format=fmt)
            sha = g.value(rdflib.URIRef(src), CBKG.sha256)
            assert sha is not None and str(sha).startswith(src.rsplit("/", 1)[1])
            # the graph read from the file points at it
            assert any(str(s).startswith(BASE + "graph/") for s in g.subjects(PROV.wasDerivedFrom, rdflib.URIRef(src)))
    r = httpx.get(server.url + "/" + next(iter(sources)).removeprefix(BASE), headers={"Accept": "text/html"})
    assert r.status_code == 200 and "sha256" in r.text


def test_a_named_graph_dereferences_to_its_prov_and_void_not_its_triples(server: Server) -> None:
    g_iri = rdflib.URIRef(BASE + "graph/rs/2024/1-1")
    r, g = turtle(server, "/graph/rs/2024/1-1")
    assert (g_iri, rdflib.RDF.type, VOID.Dataset) in g
    triples = int(g.value(g_iri, VOID.triples))
    activity = g.value(g_iri, PROV.wasGeneratedBy)
    assert g.value(activity, PROV.startedAtTime) is not None and g.value(activity, PROV.endedAtTime) is not None
    source = g.value(g_iri, PROV.wasDerivedFrom)
    assert str(g.value(source, rdflib.DCTERMS.title)).startswith("1-1_RS_2024")
    assert list(g.objects(g_iri, VOID.propertyPartition)) and all(
        g.value(p, VOID.property) is not None for p in g.objects(g_iri, VOID.propertyPartition)
    )
    # its own metadata only: none of the sheets described in it
    assert len(g) < triples and not any(str(s).startswith(BASE + "id/sheet/") for s in g.subjects())
    assert "Accept" in r.headers["vary"]


def test_the_dataset_iri_dereferences_to_its_void_description(server: Server) -> None:
    _, g = turtle(server, "/dataset")
    ds = rdflib.URIRef(BASE + "dataset")
    assert (ds, rdflib.RDF.type, VOID.Dataset) in g and g.value(ds, VOID.sparqlEndpoint) is not None
    r = httpx.get(server.url + "/dataset", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and len(rdflib.Graph().parse(data=r.text, format="json-ld")) == len(g)
    r = httpx.get(server.url + "/dataset", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html") and "sparqlEndpoint" in r.text


def test_a_code_iri_serves_only_its_concept_and_its_scheme_only_its_concepts(server: Server) -> None:
    _, concept = turtle(server, "/code/budget-stage/initial")
    subjects = set(concept.subjects())
    assert subjects == {rdflib.URIRef(BASE + "code/budget-stage/initial"), rdflib.URIRef(BASE + "code/budget-stage")}
    assert str(concept.value(rdflib.URIRef(BASE + "code/budget-stage/initial"), SKOS.notation)) == "initial"
    _, scheme = turtle(server, "/code/budget-stage")
    schemes = {scheme.value(s, SKOS.inScheme) for s in scheme.subjects(rdflib.RDF.type, SKOS.Concept)}
    assert schemes == {rdflib.URIRef(BASE + "code/budget-stage")} and len(scheme) > len(concept)


@pytest.mark.parametrize("path", ["/code/no-such-scheme", "/code/no-such-scheme/initial", "/code/budget-stage/no-such-stage"])
def test_an_unknown_code_or_code_list_is_404(server: Server, path: str) -> None:
    r = httpx.get(server.url + path, headers={"Accept": "text/turtle"})
    assert r.status_code == 404 and r.json()["code"] == "not-found"


@pytest.mark.parametrize(
    ("sent", "canonical"),
    [
        ("/id/account/%e4%b8%80%e8%88%ac%e4%bc%9a%e8%a8%88", "/" + ACCOUNT),
        ("/id/program/47/", "/id/program/47"),
        ("/id/program/%34%37", "/id/program/47"),
        ("/id/sheet/2024/47/legal-basis/1/", "/id/sheet/2024/47/legal-basis/1"),
    ],
    ids=["lower-case-escapes", "trailing-slash", "escaped-unreserved", "trailing-slash-deep"],
)
def test_a_non_canonical_spelling_of_an_existing_iri_redirects_to_it(server: Server, sent: str, canonical: str) -> None:
    r = httpx.get(server.url + sent + "?format=ttl", headers={"Accept": "text/turtle"})
    assert r.status_code == 301 and r.headers["location"] == canonical + "?format=ttl"
    assert httpx.get(server.url + r.headers["location"]).status_code == 200


def test_a_trailing_slash_on_an_unknown_iri_is_still_404(server: Server) -> None:
    r = httpx.get(server.url + "/id/program/999999999/", headers={"Accept": "text/turtle"})
    assert r.status_code == 404


def test_inbound_triples_beyond_200_are_paged_and_the_next_page_is_linked(server: Server) -> None:
    iri = rdflib.URIRef(BASE + ACCOUNT)
    total = sparql_count(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p <{iri}> }}")
    assert 200 < total <= 400
    r1, g1 = turtle(server, "/" + ACCOUNT)
    view1 = rdflib.URIRef(f"{iri}?inbound-page=1")
    assert (iri, HYDRA.view, view1) in g1 and (view1, rdflib.RDF.type, HYDRA.PartialCollectionView) in g1
    assert g1.value(view1, HYDRA.next) == rdflib.URIRef(f"{iri}?inbound-page=2")
    assert f'</{ACCOUNT}?inbound-page=2>; rel="next"' in r1.headers["link"]
    r2, g2 = turtle(server, "/" + ACCOUNT, **{"inbound-page": "2"})
    view2 = rdflib.URIRef(f"{iri}?inbound-page=2")
    assert g2.value(view2, HYDRA.next) is None and g2.value(view2, HYDRA.previous) == view1
    assert 'rel="next"' not in r2.headers["link"] and f'</{ACCOUNT}?inbound-page=1>; rel="prev"' in r2.headers["link"]
    in1 = {(s, p) for s, p in g1.subject_predicates(iri) if p != HYDRA.view}
    in2 = {(s, p) for s, p in g2.subject_predicates(iri) if p != HYDRA.view}
    assert len(in1) == 200 and len(in1) + len(in2) == total and not in1 & in2
    assert httpx.get(server.url + "/" + ACCOUNT, params={"inbound-page": "3"}, headers={"Accept": "text/turtle"}).status_code == 404
    html = httpx.get(server.url + "/" + ACCOUNT, headers={"Accept": "text/html"}).text
    assert 'href="?inbound-page=2"' in html


def test_a_description_with_few_inbound_triples_says_nothing_about_pages(server: Server) -> None:
    r, g = turtle(server, "/id/sheet/2024/47")
    assert not list(g.triples((None, HYDRA.view, None))) and 'rel="next"' not in r.headers["link"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "2.5", "99999999999999999999", "501"])
def test_a_bad_inbound_page_is_400(server: Server, page: str) -> None:
    r = httpx.get(server.url + "/" + ACCOUNT, params={"inbound-page": page}, headers={"Accept": "text/turtle"})
    assert r.status_code == 400 and r.json()["code"] == "bad-parameter"


def test_the_303_to_a_page_varies_on_accept_and_happens_only_when_the_page_exists(server: Server) -> None:
    r = httpx.get(server.url + "/id/program/47", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"] == "/programs/47"
    assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")]
    for path in ("/id/program/999999999", "/id/corporation/1234567890123", "/id/org/no-such-ministry", "/id/law/999AC0000000999"):
        r = httpx.get(server.url + path, headers={"Accept": "text/html"})
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), path


def test_a_sheet_iri_goes_to_its_year_on_the_program_page(server: Server) -> None:
    r = httpx.get(server.url + "/id/sheet/2024/47", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"] == "/programs/47#fy2024"
    assert httpx.get(server.url + "/programs/47").status_code == 200


def test_rdf_xml_of_a_resource_with_control_characters_is_well_formed() -> None:
    """Source values keep U+0000–U+001F (cbkg:rawValue); RDF/XML writes the ones XML 1.0 forbids as U+FFFD."""
    import rdflib

    from api.ld import serialize
    from ontology.terms import Literal

    raw = "bad\x00cell\x1f\tend"
    data = serialize([("https://w3id.org/cbkg/id/x", "https://w3id.org/cbkg/ontology#rawValue", Literal(raw))],
                     "application/rdf+xml")
    g = rdflib.Graph().parse(data=data, format="xml")
    assert [str(o) for o in g.objects()] == ["bad\ufffdcell\ufffd\tend"]
    exact = serialize([("https://w3id.org/cbkg/id/x", "https://w3id.org/cbkg/ontology#rawValue", Literal(raw))],
                      "application/n-triples")
    assert [str(o) for o in rdflib.Graph().parse(data=exact, format="nt").objects()] == [raw]
