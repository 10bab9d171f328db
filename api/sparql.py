"""The SPARQL 1.1 Protocol endpoint (``/sparql`` and ``/sparql/``): query via GET, POST form or POST
sparql-query, and the read side of the Graph Store Protocol (``?graph=IRI``, ``?default``).

Read-only: updates are refused with 403, and so is ``SERVICE`` (federation is a server-side request-forgery
path) unless ``CBKG_ALLOW_SERVICE`` is set.  Both are decided by :func:`graph.sparqlutil.check_read_query` on
the tokenised query, and the embedded store's query workers have no network at all.  The dataset follows
the protocol and the query (``default-graph-uri`` / ``named-graph-uri`` over ``FROM`` / ``FROM NAMED`` over
the union default graph); relative IRIs resolve against the endpoint's public URL; the cbkg prefixes are
predeclared.  Results are negotiated from ``format`` / ``output`` or ``Accept``, run in killable worker
processes with a time limit, capped in rows and bytes, and streamed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from graph.results import rdf_format
from graph.sparqlutil import check_read_query
from ontology.namespaces import PREFIXES

from .conneg import GRAPH_FORMATS, GRAPH_TYPES, SELECT_FORMATS, choose_result_type, negotiate
from .errors import ApiError, BadRequest, Forbidden, NotAcceptable, NotFound, error_response
from .executor import QueryRequest, QueryResult
from .rq import template

router = APIRouter()

GRAPH_QUERY = template("graph_store_read")
"""The Graph Store Protocol read of one graph, over a protocol dataset naming it (no IRI in the text)."""


async def _params(request: Request) -> tuple[dict[str, list[str]], str | None]:
    """Protocol parameters (URL and form) and the query of a POST sparql-query body."""
    params: dict[str, list[str]] = {}
    for k, v in request.query_params.multi_items():
        params.setdefault(k, []).append(v)
    body_query: str | None = None
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if ctype == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError as exc:
                raise BadRequest("bad-encoding", "the form body is not UTF-8") from exc
            for k, vs in form.items():
                params.setdefault(k, []).extend(vs)
        elif ctype == "application/sparql-query":
            try:
                body_query = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BadRequest("bad-encoding", "the query body is not UTF-8") from exc
        elif ctype == "application/sparql-update":
            raise Forbidden("read-only", "this endpoint is read-only: SPARQL Update is not accepted")
        else:
            raise ApiError(
                415,
                "unsupported-media-type",
                "POST a query as application/x-www-form-urlencoded (query=…) or application/sparql-query",
            )
    return params, body_query


def endpoint_url(request: Request) -> str:
    """The endpoint's public URL (configured, never taken from the request's Host header)."""
    return request.app.state.settings.public_base() + "sparql"


def service_description(endpoint: str, media_type: str) -> Response:
    ttl = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
        <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>,
        <http://www.w3.org/ns/formats/JSON-LD>, <http://www.w3.org/ns/formats/RDF_XML>,
        <http://www.w3.org/ns/formats/N-Quads>, <http://www.w3.org/ns/formats/TriG> ;
    sd:feature sd:UnionDefaultGraph ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ; void:sparqlEndpoint <{endpoint}> ] ] .
"""
    headers = {"Vary": "Accept"}
    if media_type == "text/turtle":
        return Response(ttl, media_type="text/turtle; charset=utf-8", headers=headers)
    data = ox.serialize(ox.parse(ttl, format=ox.RdfFormat.TURTLE), format=rdf_format(media_type))
    return Response(data, media_type=media_type, headers=headers)


def _media(media_type: str) -> str:
    return media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")


def _respond(result: QueryResult, media_type: str) -> Response:
    headers = {"Vary": "Accept"}
    if result.rest is None:
        return Response(result.first, media_type=_media(media_type), headers=headers)
    return StreamingResponse(_body(result), media_type=_media(media_type), headers=headers)


async def _body(result: QueryResult) -> AsyncIterator[bytes]:
    """The chunks of a streamed result; the stream is closed however this ends (a client that goes away
    cancels it), which frees its query worker."""
    rest = result.rest
    assert rest is not None
    try:
        yield result.first
        while (chunk := await run_in_threadpool(next, rest, None)) is not None:
            yield chunk
    finally:
        with anyio.CancelScope(shield=True):  # a client that went away cancels us: still free the worker
            await run_in_threadpool(rest.close)


def _format(params: dict[str, list[str]]) -> str | None:
    """The ``format`` / ``output`` parameter: clients send several (SPARQLWrapper: one per result form it
    could get); the first known value wins, else the first value (which negotiation then ignores)."""
    values = [v for name in ("format", "output") for v in params.get(name, []) if v.strip()]
    known = [v for v in values if v.strip().lower() in SELECT_FORMATS or v.strip().lower() in GRAPH_FORMATS]
    return (known or values)[0] if values else None


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(set(values)) > 1:
        raise BadRequest("bad-request", f"give {name} once")
    return values[0]


async def sparql(request: Request) -> Response:
    """GET/POST /sparql — the SPARQL 1.1 Protocol; GET ?graph= / ?default — the Graph Store Protocol."""
    state = request.app.state
    try:
        params, body_query = await _params(request)
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            raise Forbidden("read-only", "this endpoint is read-only: SPARQL Update is not accepted")
        queries = params.get("query", [])
        if body_query is not None:
            queries.append(body_query)
        if len(queries) > 1:
            raise BadRequest("bad-request", "give exactly one query")
        accept = request.headers.get("accept")
        fmt = _format(params)
        if not queries:
            if "graph" in params or "default" in params:
                return await graph_store(request, params, accept, fmt)
            if fmt is None and negotiate(accept, ["text/html", *GRAPH_TYPES]) == "text/html":
                return HTMLResponse(
                    state.render("sparql.html", request, examples=state.examples), headers={"Vary": "Accept"}
                )
            mt = GRAPH_FORMATS.get((fmt or "").lower()) or negotiate(accept, GRAPH_TYPES)
            if mt is None:
                raise NotAcceptable("no acceptable format for the service description")
            return service_description(endpoint_url(request), mt)
        query = queries[0]
        if not query.strip():
            raise BadRequest("malformed-query", "the query is empty")
        facts = await run_in_threadpool(check_read_query, query, allow_service=state.settings.allow_service)
        graph_result = facts.form in ("CONSTRUCT", "DESCRIBE")
        media_type = choose_result_type(accept, fmt, graph_result)
        if media_type is None:
            kind = "graph" if graph_result else "SELECT/ASK"
            raise NotAcceptable(
                f"no acceptable media type for a {kind} result"
                + (f" (format {fmt!r} is unknown)" if fmt else "")
                + "; see the service description (GET /sparql with Accept: text/turtle)"
            )
        dataset_given = "default-graph-uri" in params or "named-graph-uri" in params
        req = QueryRequest(
            query,
            media_type,
            tuple(params.get("default-graph-uri", [])) if dataset_given else None,
            tuple(params.get("named-graph-uri", [])) if dataset_given else None,
            max_results=state.settings.max_results,
            max_bytes=state.settings.max_result_bytes,
            base_iri=endpoint_url(request),
            prefixes=tuple(PREFIXES.items()),
        )
        result = await run_in_threadpool(state.executor.run, req)
        return _respond(result, media_type)
    except Exception as exc:
        return error_response(exc)


async def graph_store(request: Request, params: dict[str, list[str]], accept: str | None, fmt: str | None) -> Response:
    """The read side of the Graph Store Protocol: one live graph (``?graph=IRI``) or the default graph
    (``?default``: the union of the live graphs).  N-Triples streams the graph's snapshot file; the other
    syntaxes go through the query workers, with the endpoint's caps."""
    state = request.app.state
    if request.method != "GET":
        raise ApiError(405, "method-not-allowed", "the Graph Store Protocol is read-only here: use GET or HEAD")
    graph = _one(params, "graph")
    if graph is not None and "default" in params:
        raise BadRequest("bad-request", "give either graph=IRI or default, not both")
    media_type = choose_result_type(accept, fmt, True)
    if media_type is None:
        raise NotAcceptable("available: " + ", ".join(GRAPH_TYPES))
    files = state.store.graph_files()
    if graph is not None and graph not in files:
        raise NotFound(f"no graph named {graph} in this dataset (see /.well-known/void for the graphs)")
    chosen = [files[graph]] if graph is not None else [files[g] for g in sorted(files)]
    if media_type == "application/n-triples" and all(p.exists() for p in chosen):
        return StreamingResponse(_read_files(chosen), media_type=media_type, headers={"Vary": "Accept"})
    req = QueryRequest(
        GRAPH_QUERY.text,
        media_type,
        (graph,) if graph is not None else None,
        () if graph is not None else None,
        max_results=state.settings.max_results,
        max_bytes=state.settings.max_result_bytes,
    )
    result = await run_in_threadpool(state.executor.run, req)
    return _respond(result, media_type)


def _read_files(paths: list, size: int = 1 << 16) -> Iterator[bytes]:
    for p in paths:
        with open(p, "rb") as fh:
            while chunk := fh.read(size):
                yield chunk


router.add_api_route("/sparql", sparql, methods=["GET", "POST"], include_in_schema=False)
router.add_api_route("/sparql/", sparql, methods=["GET", "POST"], include_in_schema=False)
