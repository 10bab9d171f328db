"""Linked data: every minted IRI ``{base}id/…`` dereferences at ``/id/…`` by direct content negotiation.

Browsers (``Accept: text/html``) get an HTML page; ``text/turtle``, ``application/ld+json``,
``application/n-triples``, ``application/rdf+xml`` (or ``?format=ttl|jsonld|nt|rdfxml``) get the resource's
description: its own triples, up to 200 triples pointing at it, and the labels of the resources it links
to.  The response carries ``Vary: Accept`` and a ``Link`` to the alternate formats (no 303 redirect: the
same URL serves every representation).  The ontology, code lists and shapes dereference the same way at
their namespace IRIs when the base is the default one, and always at /ontology, /code/…, /shapes.
"""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graph.results import rdf_format
from ontology import CODES_TTL, ONTOLOGY_TTL, shape_files
from ontology.terms import IRI, Literal

from . import queries
from .conneg import GRAPH_FORMATS, GRAPH_TYPES, negotiate
from .errors import NotAcceptable, NotFound, error_response

router = APIRouter(include_in_schema=False)

LD_TYPES = ["text/html", *[t for t in GRAPH_TYPES if t not in ("application/n-quads", "application/trig")]]


def _to_ox(term: object) -> ox.NamedNode | ox.Literal:
    if isinstance(term, Literal):
        if term.lang:
            return ox.Literal(term.lex, language=term.lang)
        return ox.Literal(term.lex, datatype=ox.NamedNode(term.datatype)) if term.datatype else ox.Literal(term.lex)
    return ox.NamedNode(str(term))


def serialize(triples: list[tuple[str, str, object]], media_type: str) -> bytes:
    from ontology.namespaces import PREFIXES

    data = [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), _to_ox(o)) for s, p, o in triples if not s.startswith("_:")]
    fmt = rdf_format(media_type)
    kwargs = {"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
    return ox.serialize(data, format=fmt, **kwargs)


def pick(request: Request) -> str:
    fmt = request.query_params.get("format")
    if fmt:
        mt = GRAPH_FORMATS.get(fmt.lower()) or ("text/html" if fmt.lower() == "html" else None)
        if mt is None:
            raise NotAcceptable(f"unknown format {fmt!r}")
        return mt
    mt = negotiate(request.headers.get("accept"), LD_TYPES)
    if mt is None:
        raise NotAcceptable("available: " + ", ".join(LD_TYPES))
    return mt


def iri_of(request: Request, path: str) -> str:
    """The minted IRI a request path names (``/id/…`` under the configured base)."""
    raw = request.scope.get("raw_path", b"").decode("ascii", "replace").split("?", 1)[0]
    tail = raw[len("/id/") :] if raw.startswith("/id/") else quote(path, safe="/%")
    return request.app.state.settings.base_iri + "id/" + tail


@router.get("/id/{path:path}")
async def resource(request: Request, path: str) -> Response:
    st = request.app.state
    try:
        mt = pick(request)
        iri = iri_of(request, path)
        # pages with a dedicated view
        if mt == "text/html":
            target = pages_for(iri, st.minter)
            if target:
                return RedirectResponse(target, status_code=303)
        triples, truncated = await run_in_threadpool(queries.consistent, queries.describe, st.store, iri)
        if not triples:
            raise NotFound(f"nothing is known about {iri}")
        raw_path = request.scope.get("raw_path", b"").decode("ascii", "replace").split("?", 1)[0]
        alternates = ", ".join(
            f'<{raw_path}?format={f}>; rel="alternate"; type="{t}"'
            for f, t in (
                ("ttl", "text/turtle"),
                ("jsonld", "application/ld+json"),
                ("nt", "application/n-triples"),
                ("rdfxml", "application/rdf+xml"),
            )
        )
        headers = {"Vary": "Accept", "Link": alternates}
        if mt == "text/html":
            labels = queries.labels_by_subject(triples)
            html = st.render("resource.html", request, iri=iri, triples=triples, labels=labels, truncated=truncated)
            return HTMLResponse(html, headers=headers)
        return Response(serialize(triples, mt), media_type=mt, headers=headers)
    except Exception as exc:
        return error_response(exc)


def pages_for(iri: str, m: object) -> str | None:
    """The dedicated HTML page of a minted IRI, if it has one (program, sheet, law, article, payee, ministry)."""
    mid = m.id  # type: ignore[attr-defined]
    if not iri.startswith(mid):
        return None
    parts = iri[len(mid) :].split("/")
    if parts[0] == "program" and len(parts) == 2:
        return f"/programs/{parts[1]}"
    if parts[0] == "sheet" and len(parts) == 3:
        return f"/programs/{parts[2]}#fy{parts[1]}"
    if parts[0] == "law" and len(parts) == 2:
        return f"/laws/{parts[1]}"
    if parts[0] == "law" and len(parts) == 4 and parts[2] == "article":
        return f"/laws/{parts[1]}/articles/{parts[3]}"
    if parts[0] == "corporation" and len(parts) == 2:
        return f"/payees/{parts[1]}"
    if parts[0] == "org" and len(parts) == 2:
        return f"/ministries/{parts[1]}"
    return None


def _static_rdf(request: Request, files: list, name: str) -> Response:
    try:
        mt = pick(request)
        if mt == "text/html":
            mt = "text/turtle"
        data = [ox.Triple(q.subject, q.predicate, q.object) for f in files for q in ox.parse(path=str(f))]
        return Response(ox.serialize(data, format=rdf_format(mt)), media_type=mt, headers={"Vary": "Accept"})
    except Exception as exc:
        return error_response(exc)


@router.get("/ontology")
async def ontology(request: Request) -> Response:
    return _static_rdf(request, [ONTOLOGY_TTL], "ontology")


@router.get("/code/{scheme}")
@router.get("/code/{scheme}/{notation}")
async def code(request: Request, scheme: str, notation: str | None = None) -> Response:
    return _static_rdf(request, [CODES_TTL], "codes")


@router.get("/shapes")
async def shapes(request: Request) -> Response:
    return _static_rdf(request, shape_files(), "shapes")


def html_not_found(request: Request, message: str) -> HTMLResponse:
    return HTMLResponse(request.app.state.render("error.html", request, status=404, message=message), 404)


__all__ = ["IRI", "html_not_found", "router"]
