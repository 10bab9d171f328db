"""FastAPI application factory: SPARQL endpoint, linked data, REST API, HTML pages, VoID and dumps.

``create_app(settings)`` does no work at import time; the store is opened and the query workers started in
the application's lifespan.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from graph import Settings, open_store
from ontology.iri import Minter

from . import errors, ld, pages, rest, sparql, void
from .cache import LookupCache
from .executor import QueryExecutor
from .queries import Catalogue

HERE = Path(__file__).resolve().parent
EXAMPLES_DIR = HERE / "examples"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
    # pages are server-rendered; scripts only from this origin (the bundled YASGUI) and no inline scripts
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
}


@dataclass(frozen=True)
class Example:
    """One query of the gallery."""

    name: str
    title: str
    query: str


def load_examples() -> list[Example]:
    out = []
    for f in sorted(EXAMPLES_DIR.glob("*.rq")):
        text = f.read_text(encoding="utf-8")
        title = text.splitlines()[0].lstrip("# ").strip() if text.startswith("#") else f.stem
        out.append(Example(f.stem, title, text))
    return out


class Guard(BaseHTTPMiddleware):
    """Security headers on every response; request bodies above the limit refused with 413."""

    def __init__(self, app: Any, max_body: int) -> None:
        super().__init__(app)
        self.max_body = max_body

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        length = request.headers.get("content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                return JSONResponse({"code": "bad-request", "message": "invalid Content-Length"}, status_code=400)
            if too_big:
                return JSONResponse(
                    {"code": "body-too-large", "message": f"request body larger than {self.max_body} bytes"},
                    status_code=413,
                )
        elif request.method in ("POST", "PUT", "PATCH") and "chunked" in request.headers.get("transfer-encoding", ""):
            chunks: list[bytes] = []
            size = 0
            async for chunk in request.stream():  # never buffer more than the limit
                size += len(chunk)
                if size > self.max_body:
                    return JSONResponse(
                        {"code": "body-too-large", "message": f"request body larger than {self.max_body} bytes"},
                        status_code=413,
                    )
                chunks.append(chunk)
            request._body = b"".join(chunks)  # what request.body() returns downstream
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response


def create_app(settings: Settings | None = None, *, start_workers: bool = True) -> FastAPI:
    """Create the web application over the configured store."""
    settings = settings or Settings()
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html", "xml"]))
    pages.register_filters(env)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        st = app.state
        st.store = open_store(settings, read_only=True)
        st.catalogue = Catalogue(st.store, st.minter)
        st.lookups = LookupCache(settings.lookup_cache)
        # warm the catalogue off the request path
        threading.Thread(target=st.catalogue.entries, name="catalogue", daemon=True).start()
        st.executor = QueryExecutor(settings) if start_workers else None
        try:
            yield
        finally:
            if st.executor is not None:
                st.executor.close()

    app = FastAPI(
        title="cbkg — the knowledge graph of Japan's cybersecurity budget",
        version="0.1.0",
        description="SPARQL endpoint at /sparql, linked data under /id/, this REST API under /api/. "
        "Errors are JSON objects with a `code` and a `message`.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.minter = Minter(settings.base_iri)
    app.state.examples = load_examples()
    app.state.env = env

    def render(template: str, request: Request, **ctx: Any) -> str:
        return env.get_template(template).render(request=request, settings=settings, **ctx)

    app.state.render = render
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["Content-Type"],
    )
    app.add_middleware(Guard, max_body=settings.max_body_bytes)
    for exc_cls in (*errors.STATUS, errors.ApiError):
        app.add_exception_handler(exc_cls, errors.handle)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return JSONResponse(
            {"code": "bad-parameter", "message": f"{where}: {first.get('msg', 'invalid')}"}, status_code=400
        )

    app.include_router(sparql.router)
    app.include_router(rest.router)
    app.include_router(void.router)
    app.include_router(ld.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app
