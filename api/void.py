"""Dataset description (VoID + DCAT at /.well-known/void) and bulk dumps (/dumps/…)."""

from __future__ import annotations

import json

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from graph.dumps import DUMPS, dumps_dir
from graph.results import rdf_format
from ontology.namespaces import PREFIXES

from .conneg import GRAPH_FORMATS, negotiate
from .errors import NotAcceptable, NotFound, error_response
from .ld import LD_TYPES
from .queries import select_rows
from .rq import template

router = APIRouter(include_in_schema=False)

VOID_CLASSES = template("void_classes")
VOID_SOURCES = template("void_sources")


def void_turtle(request: Request) -> str:
    """The VoID + DCAT description in Turtle; endpoint, landing page and dumps under the configured public
    base (``Settings.public_base()``), never the request's ``Host``."""
    st = request.app.state
    base = st.settings.public_base()
    ds = st.settings.base_iri + "dataset"
    total = st.store.count()
    classes = select_rows(st.store, VOID_CLASSES)
    sources = select_rows(st.store, VOID_SOURCES)
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()]
    lines += [
        f"<{ds}> a void:Dataset, dcat:Dataset ;",
        '    dcterms:title "cbkg：日本のサイバーセキュリティ予算の知識グラフ"@ja, "cbkg: the knowledge graph of Japan\'s cybersecurity budget"@en ;',
        '    dcterms:description "Programs, budgets, legal bases, plans and payees of the Japanese administrative review sheets, with provenance to each source record."@en ;',
        f"    void:sparqlEndpoint <{base}sparql> ;",
        f'    void:uriSpace "{st.settings.base_iri}id/" ;',
        f"    void:triples {total} ;",
        "    void:vocabulary <https://w3id.org/cbkg/ontology#>, qb:, eli:, org:, prov:, skos: ;",
        f"    dcat:landingPage <{base}> ;",
    ]
    for name in DUMPS:
        lines.append(f"    void:dataDump <{base}dumps/{name}> ;")
    for _i, c in enumerate(classes):
        lines.append(f"    void:classPartition [ void:class <{c['c']}> ; void:entities {c['n']} ] ;")
    for s in sources:
        lines.append(f"    void:subset <{s['g']}> ;")
    lines[-1] = lines[-1][:-2] + " ."
    for s in sources:
        lines.append(
            f'<{s["g"]}> a void:Dataset ; void:triples {s["triples"]} ; prov:generatedAtTime "{s["loaded"]}"^^xsd:dateTime ;'
        )
        lines.append(
            f'    dcterms:source [ dcterms:title {json.dumps(s["file"], ensure_ascii=False)} ; cbkg:sha256 "{s["sha"]}"'
            + (f" ; dcat:downloadURL <{s['url']}>" if s["url"] else "")
            + (f" ; dcterms:license {json.dumps(s['license'], ensure_ascii=False)}" if s["license"] else "")
            + " ] ."
        )
    return "\n".join(lines) + "\n"


@router.get("/.well-known/void")
async def void_description(request: Request) -> Response:
    try:
        fmt = request.query_params.get("format")
        mt = GRAPH_FORMATS.get(fmt or "") if fmt else negotiate(request.headers.get("accept"), LD_TYPES)
        if mt is None:
            raise NotAcceptable("available: " + ", ".join(LD_TYPES))
        ttl = await run_in_threadpool(void_turtle, request)
        if mt in ("text/turtle", "text/html"):
            return Response(ttl, media_type="text/turtle; charset=utf-8")
        data = ox.serialize(ox.parse(ttl, format=ox.RdfFormat.TURTLE), format=rdf_format(mt))
        return Response(data, media_type=mt)
    except Exception as exc:
        return error_response(exc)


@router.get("/dumps/")
@router.get("/dumps")
async def dumps_index(request: Request) -> Response:
    st = request.app.state
    sp = st.settings.dumps_path()
    folder = dumps_dir(sp, st.store) if sp is not None else None
    meta = {}
    if folder is not None and (folder / "index.json").exists():
        meta = json.loads((folder / "index.json").read_text())
    if "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(st.render("dumps.html", request, dumps=meta, names=DUMPS))
    return JSONResponse(
        {
            "generation": getattr(st.store, "generation", None),
            "dumps": meta,
            "note": "written by `cbkg dumps` after each load" if not meta else None,
        }
    )


@router.get("/dumps/{name}")
async def dump_file(request: Request, name: str) -> Response:
    st = request.app.state
    if name not in DUMPS:  # fixed names only: no path reaches the file system from the URL
        return error_response(NotFound(f"no dump {name!r}; available: {', '.join(DUMPS)}"))
    sp = st.settings.dumps_path()
    if sp is None:
        return error_response(NotFound("dumps are written for on-disk stores"))
    path = dumps_dir(sp, st.store) / name
    if not path.exists():
        return error_response(NotFound(f"{name} has not been written for this generation yet (run `cbkg dumps`)"))
    return FileResponse(
        path, media_type="application/gzip", filename=name, headers={"Content-Encoding-Note": DUMPS[name][0]}
    )
