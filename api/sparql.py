"""The SPARQL 1.1 Protocol endpoint (``/sparql``): query via GET, POST form or POST sparql-query.

Read-only: updates are refused with 403, and so is ``SERVICE`` (federation is a server-side request-forgery
path) unless ``CBKG_ALLOW_SERVICE`` is set.  Results are negotiated from ``Accept`` (q-values) or a ``format``
parameter.  Queries run in killable worker processes with a time limit and a result cap.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from graph.sparqlutil import query_form, strip_comments

from .conneg import GRAPH_FORMATS, GRAPH_TYPES, SELECT_FORMATS, SELECT_TYPES, negotiate
from .errors import ApiError, BadRequest, Forbidden, NotAcceptable, error_response
from .executor import QueryRequest

router = APIRouter()

_STRINGS_AND_IRIS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>'
)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_LOAD = re.compile(r"\bLOAD\b", re.IGNORECASE)


MAX_NESTING = 200
"""Deepest nesting of brackets accepted: a deeper query would overflow the parser's stack in a worker."""


def nesting_depth(query: str) -> int:
    """The deepest nesting of ``(``, ``{`` and ``[`` outside strings, IRIs and comments."""
    depth = deepest = 0
    for c in _STRINGS_AND_IRIS.sub(" ", strip_comments(query)):
        if c in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif c in ")}]":
            depth = max(0, depth - 1)
    return deepest


def uses_service(query: str) -> bool:
    """True if the query contains a SERVICE clause (outside strings, IRIs and comments)."""
    return bool(_SERVICE.search(_STRINGS_AND_IRIS.sub(" ", strip_comments(query))))


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


def service_description(base_url: str, media_type: str) -> Response:
    ttl = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
<{base_url}sparql> a sd:Service ;
    sd:endpoint <{base_url}sparql> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
        <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>,
        <http://www.w3.org/ns/formats/JSON-LD>, <http://www.w3.org/ns/formats/RDF_XML>,
        <http://www.w3.org/ns/formats/N-Quads>, <http://www.w3.org/ns/formats/TriG> ;
    sd:feature sd:UnionDefaultGraph ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ; void:sparqlEndpoint <{base_url}sparql> ] ] .
"""
    if media_type == "text/turtle":
        return Response(ttl, media_type="text/turtle; charset=utf-8")
    import pyoxigraph as ox

    from graph.results import rdf_format

    data = ox.serialize(ox.parse(ttl, format=ox.RdfFormat.TURTLE), format=rdf_format(media_type))
    return Response(data, media_type=media_type)


async def sparql(request: Request) -> Response:
    """GET/POST /sparql — the SPARQL 1.1 Protocol."""
    state = request.app.state
    try:
        params, body_query = await _params(request)
        if "update" in params or "using-graph-uri" in params:
            raise Forbidden("read-only", "this endpoint is read-only: SPARQL Update is not accepted")
        queries = params.get("query", [])
        if body_query is not None:
            queries.append(body_query)
        if len(queries) > 1:
            raise BadRequest("bad-request", "give exactly one query")
        accept = request.headers.get("accept")
        fmt = (params.get("format") or [None])[0]
        if not queries:
            if fmt is None and negotiate(accept, ["text/html", *GRAPH_TYPES]) == "text/html":
                return HTMLResponse(state.render("sparql.html", request, examples=state.examples))
            mt = GRAPH_FORMATS.get(fmt or "", None) or negotiate(accept, GRAPH_TYPES)
            if mt is None:
                raise NotAcceptable("no acceptable format for the service description")
            return service_description(str(request.base_url), mt)
        query = queries[0]
        if not query.strip():
            raise BadRequest("malformed-query", "the query is empty")
        if nesting_depth(query) > MAX_NESTING:
            raise BadRequest("malformed-query", f"the query nests brackets more than {MAX_NESTING} deep; flatten it")
        form = query_form(query)
        if form == "UPDATE" or _LOAD.match(_STRINGS_AND_IRIS.sub(" ", strip_comments(query)).lstrip()):
            raise Forbidden("read-only", "this endpoint is read-only: SPARQL Update (and LOAD) is not accepted")
        if uses_service(query) and not state.settings.allow_service:
            raise Forbidden(
                "service-disabled", "SERVICE (federated query) is disabled on this endpoint; query the data here only"
            )
        graph_result = form in ("CONSTRUCT", "DESCRIBE")
        if fmt:
            table = GRAPH_FORMATS if graph_result else SELECT_FORMATS
            media_type = table.get(fmt.lower())
            if media_type is None:
                raise NotAcceptable(f"unknown format {fmt!r}; use one of {', '.join(table)}")
        else:
            media_type = negotiate(accept, GRAPH_TYPES if graph_result else SELECT_TYPES)
            if media_type is None:
                offered = ", ".join(GRAPH_TYPES if graph_result else SELECT_TYPES)
                raise NotAcceptable(f"none of the requested types is available for this query; offered: {offered}")
        out_type = "application/sparql-results+json" if media_type == "application/json" else media_type
        req = QueryRequest(
            query,
            out_type,
            tuple(params.get("default-graph-uri", [])),
            tuple(params.get("named-graph-uri", [])),
            state.settings.max_results,
        )
        data = await run_in_threadpool(state.executor.run, req)
        return Response(
            data,
            media_type=media_type + ("; charset=utf-8" if media_type.startswith("text/") else ""),
            headers={"Vary": "Accept"},
        )
    except Exception as exc:
        return error_response(exc)


router.add_api_route("/sparql", sparql, methods=["GET", "POST"], include_in_schema=False)
