"""Linked data: the minted IRIs dereference by direct content negotiation.

``{base}id/…`` at ``/id/…``, ``{base}source/{sha256[:16]}`` (the source files every ``prov:wasDerivedFrom``
points into; a ``#row=N`` fragment never reaches the server) at ``/source/…``, ``{base}graph/…`` (a named
graph: its own PROV/VoID metadata, not its triples) at ``/graph/…`` and the dataset ``{base}dataset`` (VoID)
at ``/dataset``.  Browsers (``Accept: text/html``) get an HTML page; ``text/turtle``, ``application/ld+json``,
``application/n-triples``, ``application/rdf+xml`` (or ``?format=ttl|jsonld|nt|rdfxml``) get the resource's
description: its own triples, one page of the triples pointing at it (``?inbound-page=N``, 200 a page, the
next page linked by ``hydra:next`` and ``Link: <…>; rel="next"``), and the labels of the resources it links
to.  Resources with a dedicated page (program, sheet, law, article, payee, ministry) send browsers there with
a 303, only when that page exists.  Responses carry ``Vary: Accept`` and a ``Link`` to the alternate formats.

The request path is never put into SPARQL: it is normalised (RFC 3986: upper-case percent-escapes,
unreserved characters decoded, non-ASCII bytes percent-encoded), refused with 400 if it holds a character no
IRI path can hold, and the IRI is a checked parameter of a prepared query (:mod:`graph.prepared`).  A
non-canonical spelling of an existing IRI (lower-case escapes, a trailing slash) is redirected (301) to the
canonical path.  The ontology, code lists and shapes are served at /ontology, /code/{scheme}[/{notation}] and
/shapes.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graph.prepared import BadParameter
from graph.results import rdf_format, xml_safe_triple
from ontology import CODES_TTL, ONTOLOGY_TTL, shape_files
from ontology.namespaces import CODE, PREFIXES, PROV, RDF, SKOS
from ontology.terms import IRI, Literal

from . import queries
from .conneg import GRAPH_FORMATS, GRAPH_TYPES, negotiate
from .errors import NotAcceptable, NotFound
from .pages import error_page
from .rest import ARTICLE, CORP, LAW_ID, PROGRAM_ID, SLUG

router = APIRouter(include_in_schema=False)

LD_TYPES = ["text/html", *[t for t in GRAPH_TYPES if t not in ("application/n-quads", "application/trig")]]
HYDRA = "http://www.w3.org/ns/hydra/core#"
RDF_PREFIXES = {**PREFIXES, "hydra": HYDRA}
VARY = {"Vary": "Accept"}
ALTERNATES = (
    ("ttl", "text/turtle"),
    ("jsonld", "application/ld+json"),
    ("nt", "application/n-triples"),
    ("rdfxml", "application/rdf+xml"),
)
# RFC 3986: unreserved characters (decoded when percent-encoded) and the other characters a path may hold
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_CHARS = _UNRESERVED | frozenset(b"!$&'()*+,;=:@/")
_HEX = frozenset(b"0123456789abcdefABCDEF")


def _to_ox(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, Literal):
        if term.lang:
            return ox.Literal(term.lex, language=term.lang)
        return ox.Literal(term.lex, datatype=ox.NamedNode(term.datatype)) if term.datatype else ox.Literal(term.lex)
    if str(term).startswith("_:"):
        return ox.BlankNode(str(term)[2:])
    return ox.NamedNode(str(term))


def serialize(triples: list[tuple[str, str, object]], media_type: str) -> bytes:
    """Triples (cbkg terms; ``_:`` strings are blank nodes) in an RDF syntax."""
    data = [
        ox.Triple(ox.BlankNode(s[2:]) if s.startswith("_:") else ox.NamedNode(s), ox.NamedNode(p), _to_ox(o))
        for s, p, o in triples
    ]
    fmt = rdf_format(media_type)
    if fmt == ox.RdfFormat.RDF_XML:  # XML 1.0 cannot carry some control characters kept from sources
        data = [xml_safe_triple(t) for t in data]
    prefixes = RDF_PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return cast(bytes, ox.serialize(data, format=fmt, prefixes=prefixes))  # no output file: the bytes


def pick(request: Request) -> str:
    """The media type to answer with: ``?format=`` if given, else the best match of ``Accept``."""
    fmt = request.query_params.get("format")
    if fmt:
        mt = GRAPH_FORMATS.get(fmt.lower()) or ("text/html" if fmt.lower() == "html" else None)
        if mt is None or mt not in LD_TYPES:
            raise NotAcceptable(f"unknown format {fmt[:40]!r}; available: ttl, jsonld, nt, rdfxml, html")
        return mt
    mt = negotiate(request.headers.get("accept"), LD_TYPES)
    if mt is None:
        raise NotAcceptable("available: " + ", ".join(LD_TYPES))
    return mt


def normalise_path(raw: bytes) -> str:
    """The canonical form of a URI path (RFC 3986 §6.2.2): percent-escapes upper-case, unreserved characters
    decoded, bytes above 0x7F (an IRI's UTF-8) percent-encoded.  A character no path may hold (space, ``<>"{}|
    \\^```, controls …) or a broken escape raises BadParameter."""
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        b = raw[i]
        if b == 0x25:  # %
            if i + 2 >= n or raw[i + 1] not in _HEX or raw[i + 2] not in _HEX:
                raise BadParameter("malformed percent-encoding in the path")
            octet = int(raw[i + 1 : i + 3], 16)
            out.append(chr(octet) if octet in _UNRESERVED else f"%{octet:02X}")
            i += 3
            continue
        if b in _PATH_CHARS:
            out.append(chr(b))
        elif b >= 0x80:
            out.append(f"%{b:02X}")
        else:
            raise BadParameter(f"the path holds {chr(b)!r}, which no IRI path can hold (percent-encode it)")
        i += 1
    return "".join(out)


def raw_path(request: Request) -> bytes:
    """The request path exactly as sent (percent-escapes kept)."""
    raw = request.scope.get("raw_path") or request.scope["path"].encode("utf-8", "surrogateescape")
    return bytes(raw).split(b"?", 1)[0]


def inbound_page(request: Request) -> int:
    """The ``inbound-page`` query parameter (default 1)."""
    text = request.query_params.get("inbound-page")
    if text is None:
        return 1
    if not (text.isascii() and text.isdigit() and len(text) <= 6 and 1 <= int(text) <= queries.MAX_INBOUND_PAGE):
        raise BadParameter(f"inbound-page must be a number from 1 to {queries.MAX_INBOUND_PAGE}")
    return int(text)


def _with_query(path: str, request: Request, **changes: str | None) -> str:
    """``path`` with the request's query parameters, some of them changed (None: removed), re-encoded."""
    params = dict(request.query_params.items())
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = v
    return path + ("?" + urlencode(params) if params else "")


def paging(iri: str, d: queries.Description) -> list[tuple[str, str, object]]:
    """Hydra triples saying that the inbound triples are split into pages, and where the others are."""
    if not d.has_next and d.page == 1:
        return []
    view = IRI(f"{iri}?inbound-page={d.page}")
    out: list[tuple[str, str, object]] = [
        (iri, HYDRA + "view", view),
        (view, RDF + "type", IRI(HYDRA + "PartialCollectionView")),
        (view, HYDRA + "first", IRI(f"{iri}?inbound-page=1")),
    ]
    if d.has_next:
        out.append((view, HYDRA + "next", IRI(f"{iri}?inbound-page={d.page + 1}")))
    if d.page > 1:
        out.append((view, HYDRA + "previous", IRI(f"{iri}?inbound-page={d.page - 1}")))
    return out


def link_header(request: Request, canonical: str, d: queries.Description | None) -> str:
    """``Link`` to the alternate formats and, when inbound triples are paged, to the first/next/previous page."""
    page = str(d.page) if d is not None and d.page > 1 else None
    links = [
        f'<{_with_query(canonical, request, format=f, **{"inbound-page": page})}>; rel="alternate"; type="{t}"'
        for f, t in ALTERNATES
    ]
    if d is not None and (d.has_next or d.page > 1):
        links.append(f'<{_with_query(canonical, request, **{"inbound-page": "1"})}>; rel="first"')
        if d.has_next:
            links.append(f'<{_with_query(canonical, request, **{"inbound-page": str(d.page + 1)})}>; rel="next"')
        if d.page > 1:
            links.append(f'<{_with_query(canonical, request, **{"inbound-page": str(d.page - 1)})}>; rel="prev"')
    return ", ".join(links)


def page_for(st: Any, iri: str) -> str | None:
    """The dedicated HTML page of a minted IRI, if it has one and that page exists (program, sheet, law,
    article, payee, ministry); None otherwise."""
    mid = st.minter.id
    if not iri.startswith(mid):
        return None
    parts = iri[len(mid) :].split("/")
    kind, n = parts[0], len(parts)
    get, store, m = st.lookups.get, st.store, st.minter
    if kind == "program" and n == 2 and PROGRAM_ID.match(parts[1]) and str(int(parts[1])) == parts[1]:
        return f"/programs/{parts[1]}" if get(queries.program, store, m, parts[1]) is not None else None
    if kind == "sheet" and n == 3 and PROGRAM_ID.match(parts[2]) and str(int(parts[2])) == parts[2]:
        prog = get(queries.program, store, m, parts[2])
        if prog is not None and any(s["iri"] == iri for s in prog["sheets"]):
            return f"/programs/{parts[2]}#fy{parts[1]}"
        return None
    if kind == "law" and n in (2, 4) and LAW_ID.match(parts[1]):
        if n == 4 and (parts[2] != "article" or not ARTICLE.match(parts[3])):
            return None
        if get(queries.law, store, m, parts[1]) is None:
            return None
        return f"/laws/{parts[1]}" if n == 2 else f"/laws/{parts[1]}/articles/{parts[3]}"
    if kind == "corporation" and n == 2 and CORP.match(parts[1]):
        return f"/payees/{parts[1]}" if get(queries.payee, store, m, parts[1]) is not None else None
    if kind == "org" and n == 2 and SLUG.match(parts[1]):
        found = get(queries.ministry, store, m, parts[1], st.catalogue)
        return f"/ministries/{parts[1]}" if found is not None else None
    return None


def _redirect(location: str, status: int) -> RedirectResponse:
    return RedirectResponse(location, status_code=status, headers=VARY)


async def dereference(request: Request, prefix: str, expand: tuple[str, ...] = (), pages: bool = False) -> Response:
    """Serve the minted IRI ``{base}{prefix}…`` named by the request path ``/{prefix}…``."""
    st = request.app.state
    try:
        page = inbound_page(request)
        sent = raw_path(request)
        canonical = normalise_path(sent)
        if not canonical.startswith("/" + prefix):
            raise NotFound("no such resource")
        iri = st.settings.base_iri + canonical[1:]
        # not cached: a description can be large, and the lookup cache bounds entries, not bytes
        d = await run_in_threadpool(queries.consistent, queries.describe, st.store, iri, page, expand)
        if not d.triples:
            if page == 1 and canonical.endswith("/") and len(canonical) > len(prefix) + 1:
                if await run_in_threadpool(queries.exists, st.store, iri[:-1]):
                    return _redirect(_with_query(canonical[:-1], request), 301)
            raise NotFound(f"nothing is known about {iri}")
        if canonical.encode("ascii") != sent:
            return _redirect(_with_query(canonical, request), 301)
        if page > 1 and d.inbound == 0:
            raise NotFound(f"{iri} has no inbound page {page}")
        mt = pick(request)  # after the checks: an unknown resource is 404 whatever the client accepts
        if mt == "text/html" and pages and page == 1:
            target = await run_in_threadpool(page_for, st, iri)
            if target:
                return _redirect(target, 303)
        headers = {**VARY, "Link": link_header(request, canonical, d)}
        if mt == "text/html":
            html = st.render(
                "resource.html",
                request,
                iri=iri,
                triples=d.triples,
                labels=queries.labels_by_subject(d.triples),
                d=d,
                page_size=queries.INBOUND_PAGE_SIZE,
            )
            return HTMLResponse(html, headers=headers)
        return Response(serialize([*d.triples, *paging(iri, d)], mt), media_type=mt, headers=headers)
    except Exception as exc:
        return error_page(request, exc, VARY)


@router.get("/id/{path:path}")
async def resource(request: Request, path: str) -> Response:
    """A resource minted under ``{base}id/``."""
    return await dereference(request, "id/", pages=True)


@router.get("/source/{path:path}")
async def source(request: Request, path: str) -> Response:
    """A source file (``{base}source/{sha256[:16]}``): name, SHA-256, size, format, and the graphs read from it."""
    return await dereference(request, "source/")


@router.get("/graph/{path:path}")
async def graph(request: Request, path: str) -> Response:
    """A named graph's own description (PROV load activity, source file, VoID partitions), not its triples."""
    return await dereference(request, "graph/", expand=(PROV + "wasDerivedFrom", PROV + "wasGeneratedBy"))


@router.get("/dataset")
async def dataset(request: Request) -> Response:
    """The dataset ``{base}dataset``: its VoID + DCAT description (as at /.well-known/void)."""
    from .void import void_turtle  # void imports this module

    st = request.app.state
    try:
        mt = pick(request)
        ttl = await run_in_threadpool(void_turtle, request)
        data = list(ox.parse(ttl, format=ox.RdfFormat.TURTLE))
        headers = {**VARY, "Link": link_header(request, "/dataset", None)}
        if mt != "text/html":
            prefixes = RDF_PREFIXES if mt in ("text/turtle", "application/rdf+xml") else None
            body = cast(bytes, ox.serialize(data, format=rdf_format(mt), prefixes=prefixes))
            return Response(body, media_type=mt, headers=headers)
        iri = st.settings.base_iri + "dataset"
        triples = [(_term(t.subject), t.predicate.value, _term(t.object)) for t in data]
        html = st.render(
            "resource.html",
            request,
            iri=iri,
            triples=triples,
            labels=queries.labels_by_subject(triples),
            d=None,
            page_size=queries.INBOUND_PAGE_SIZE,
        )
        return HTMLResponse(html, headers=headers)
    except Exception as exc:
        return error_page(request, exc, VARY)


def _term(t: Any) -> Any:
    if isinstance(t, ox.Literal):
        return Literal(t.value, None if t.language else t.datatype.value, t.language)
    if isinstance(t, ox.BlankNode):
        return IRI("_:" + t.value)
    return IRI(t.value)


@lru_cache(maxsize=8)
def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """The IRI, blank node id or lexical form of a term ("" for a quoted triple)."""
    return "" if isinstance(term, ox.Triple) else term.value


def _parsed(*files: str) -> tuple[ox.Triple, ...]:
    return tuple(ox.Triple(q.subject, q.predicate, q.object) for f in files for q in ox.parse(path=f))


def _static_rdf(request: Request, triples: tuple[ox.Triple, ...] | list[ox.Triple]) -> Response:
    mt = pick(request)
    if mt == "text/html":
        mt = "text/turtle"
    return Response(ox.serialize(triples, format=rdf_format(mt)), media_type=mt, headers=VARY)


@router.get("/ontology")
async def ontology(request: Request) -> Response:
    """The cbkg ontology."""
    try:
        return _static_rdf(request, _parsed(str(ONTOLOGY_TTL)))
    except Exception as exc:
        return error_page(request, exc, VARY)


@router.get("/code/{scheme}")
@router.get("/code/{scheme}/{notation}")
async def code(request: Request, scheme: str, notation: str | None = None) -> Response:
    """One code list (the scheme and its concepts), or one concept of it; 404 for an unknown one."""
    try:
        triples = _parsed(str(CODES_TTL))
        scheme_iri = CODE + scheme
        in_scheme = ox.NamedNode(SKOS + "inScheme")
        concepts = {t.subject for t in triples if t.predicate == in_scheme and _value(t.object) == scheme_iri}
        if not any(_value(t.subject) == scheme_iri for t in triples):
            raise NotFound(f"no code list {scheme[:80]!r}")
        if notation is None:
            keep = [t for t in triples if _value(t.subject) == scheme_iri or t.subject in concepts]
        else:
            concept = f"{scheme_iri}/{notation}"
            keep = [t for t in triples if _value(t.subject) == concept and t.subject in concepts]
            if not keep:
                raise NotFound(f"no code {notation[:80]!r} in {scheme[:80]!r}")
            keep += [t for t in triples if _value(t.subject) == scheme_iri and t.predicate.value == SKOS + "prefLabel"]
        return _static_rdf(request, keep)
    except Exception as exc:
        return error_page(request, exc, VARY)


@router.get("/shapes")
async def shapes(request: Request) -> Response:
    """The SHACL shapes."""
    try:
        return _static_rdf(request, _parsed(*(str(f) for f in shape_files())))
    except Exception as exc:
        return error_page(request, exc, VARY)


def html_not_found(request: Request, message: str) -> Response:
    """A 404 as an HTML page (JSON for clients that do not accept HTML)."""
    return error_page(request, NotFound(message))


__all__ = ["IRI", "html_not_found", "router"]
