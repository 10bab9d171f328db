"""FastAPI application factory: SPARQL endpoint, linked data, REST API, HTML pages, VoID and dumps.

``create_app(settings)`` does no work at import time; the store is opened and the query workers started in
the application's lifespan.  Around the routes: HEAD as GET without a body (:class:`HeadAsGet`), CORS,
security headers and the body limit (:class:`Guard`), Vary / ETag / Last-Modified / Cache-Control and 304s
(:class:`Representations`), gzip.  /docs and /redoc are served from bundled Swagger UI and ReDoc.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


NO_STORE = {"Cache-Control": "no-store"}
"""Headers of error responses: never stored by caches."""


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


class Guard:
    """Security headers on every response; request bodies above the limit refused with 413.

    A pure ASGI middleware: a response that fails after it started streaming is aborted (the connection
    closes without the final chunk), never ended cleanly as if it were complete."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    def _too_big(self) -> JSONResponse:
        return JSONResponse(
            {"code": "body-too-large", "message": f"request body larger than {self.max_body} bytes"},
            status_code=413,
            headers=NO_STORE,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                bad = JSONResponse(
                    {"code": "bad-request", "message": "invalid Content-Length"}, status_code=400, headers=NO_STORE
                )
                await self._send_with_headers(bad, scope, receive, send)
                return
            if too_big:
                await self._send_with_headers(self._too_big(), scope, receive, send)
                return
        elif scope["method"] in ("POST", "PUT", "PATCH") and "chunked" in headers.get("transfer-encoding", ""):
            chunks: list[bytes] = []
            size = 0
            while True:  # never buffer more than the limit
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.max_body:
                    await self._send_with_headers(self._too_big(), scope, receive, send)
                    return
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
            replay: list[Message] = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

            async def replayed() -> Message:
                return replay.pop() if replay else await receive()

            receive = replayed
        await self.app(scope, receive, self._secured(send))

    @staticmethod
    def _secured(send: Send) -> Send:
        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for k, v in SECURITY_HEADERS.items():
                    if k not in out:
                        out[k] = v
            await send(message)

        return send_secured

    async def _send_with_headers(self, response: Response, scope: Scope, receive: Receive, send: Send) -> None:
        await response(scope, receive, self._secured(send))


NEGOTIATED_PREFIXES = ("/sparql", "/id/", "/.well-known/void", "/ontology", "/code/", "/shapes", "/dumps")
"""Paths whose representation is chosen from ``Accept`` (they carry ``Vary: Accept``)."""

NOT_STORE_DATA = ("/static/", "/docs", "/redoc", "/openapi.json")
"""GET paths that do not depend on the store: no generation validators, no data Cache-Control."""

CACHE_WITH_GENERATION = "public, max-age=60"
"""Cache-Control of data responses validated by the store generation (ETag, Last-Modified)."""

CACHE_WITHOUT_GENERATION = "no-cache"
"""Cache-Control of data responses with no generation (remote or in-memory store): always revalidate."""

NOT_MODIFIED_HEADERS = frozenset(
    {b"etag", b"last-modified", b"cache-control", b"vary", b"expires", b"content-location"}
)
"""Headers a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5)."""


def negotiated(path: str) -> bool:
    """True if the response at ``path`` is chosen by content negotiation on ``Accept``."""
    if path.startswith("/dumps/") and path != "/dumps/":
        return False  # a dump file is one fixed representation; the index negotiates HTML or JSON
    return path.startswith(NEGOTIATED_PREFIXES)


def code_fingerprint(settings: Settings) -> tuple[str, float]:
    """A token of the code and settings the responses depend on, and the newest source file's mtime.

    Both enter the validators, so a deployment with new templates, code or settings never answers 304
    with a representation it no longer produces."""
    root = HERE.parent
    newest = 0.0
    h = hashlib.sha256(settings.model_dump_json().encode())
    for pkg in ("api", "graph", "ontology", "loaders"):
        for f in sorted((root / pkg).rglob("*")):
            if f.suffix in (".py", ".html", ".ttl", ".rq", ".js", ".css") and f.is_file():
                st = f.stat()
                newest = max(newest, st.st_mtime)
                h.update(f"{f.relative_to(root)}:{st.st_mtime_ns}:{st.st_size}\n".encode())
    return h.hexdigest()[:12], newest


def _etag_values(header: str) -> list[str]:
    """The entity tags of an ``If-None-Match`` header, ``W/`` stripped (weak comparison)."""
    return [t.strip().removeprefix("W/") for t in header.split(",") if t.strip()]


def _http_date(header: str | None) -> float | None:
    """Seconds since the epoch of an HTTP date, or None if absent or invalid."""
    if not header:
        return None
    try:
        return parsedate_to_datetime(header).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def not_modified(request: Headers, response: MutableHeaders | Headers) -> bool:
    """RFC 9110 §13.1.2/§13.1.3 for a 200 GET: ``If-None-Match`` (weak) first, else ``If-Modified-Since``."""
    inm = request.get("if-none-match")
    if inm is not None:
        etag = response.get("etag")
        return inm.strip() == "*" or (etag is not None and etag.removeprefix("W/") in _etag_values(inm))
    since, modified = _http_date(request.get("if-modified-since")), _http_date(response.get("last-modified"))
    return since is not None and modified is not None and int(modified) <= since


class _HeadersOnly:
    """Forwards a response's start (possibly rewritten) and an empty body, then swallows the real body.

    The body is still produced to its end, never cancelled: a streamed SPARQL result releases its query
    worker only when its stream is read to the end.  So the app is not told of the disconnect the server
    reports once the short response is complete (a stream would stop mid-result)."""

    def __init__(self, receive: Receive, send: Send) -> None:
        self._receive = receive
        self._send = send
        self.done = False

    async def finish(self, start: Message) -> None:
        """Send ``start`` and an empty final body; later messages of the response are dropped."""
        await self._send(start)
        await self._send({"type": "http.response.body", "body": b"", "more_body": False})
        self.done = True

    async def receive(self) -> Message:
        """The app's ``receive``: a disconnect after :meth:`finish` waits until the app is done instead."""
        message = await self._receive()
        if message["type"] == "http.disconnect" and self.done:
            await anyio.sleep_forever()  # cancelled by the app itself when its body is complete
        return message


class HeadAsGet:
    """Answer HEAD wherever GET works: the app sees a GET, and only its status and headers (Content-Length
    included) are sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        out = _HeadersOnly(receive, send)

        async def send_head(message: Message) -> None:
            if out.done:
                return
            if message["type"] == "http.response.start":
                await out.finish(message)
            elif message["type"] not in ("http.response.body", "http.response.pathsend"):
                await send(message)

        await self.app({**scope, "method": "GET"}, out.receive, send_head)


class Representations:
    """HTTP caching and negotiation headers of every response.

    * ``Vary: Accept`` on negotiated paths, ``Vary: Accept-Encoding`` everywhere (never duplicated);
    * GET data responses (status 200) get a weak ``ETag`` of the store generation, the code and settings,
      and the request's path, query, ``Accept`` and gzip acceptance — so each representation has its own —
      and ``Last-Modified`` (when the generation was written); with no generation (remote store) neither;
    * ``Cache-Control`` on GET data responses; errors (4xx/5xx) get ``no-store`` and no validators;
    * ``If-None-Match`` with a tag of this generation is answered 304 before the route runs;
      other ``If-None-Match`` / ``If-Modified-Since`` are checked against the 200's own validators.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.fingerprint, self.code_time = code_fingerprint(settings)
        self._written: dict[str, float] = {}

    def generation(self, scope: Scope) -> tuple[str, float] | None:
        """The store generation this request reads and when it was written, or None (remote / in memory)."""
        store = getattr(scope["app"].state, "store", None)
        gen = getattr(store, "generation", None) if store is not None else None
        if not gen:
            return None
        if gen not in self._written:
            folder = getattr(store, "path", None)
            try:
                written = (Path(folder) / gen).stat().st_mtime if folder else time.time()
            except OSError:
                written = time.time()
            self._written[gen] = written
        return gen, max(self._written[gen], self.code_time)

    def etag(self, generation: str, scope: Scope, request: Headers) -> str:
        """The weak entity tag of the representation this request selects in ``generation``."""
        gzip = "gzip" if "gzip" in request.get("accept-encoding", "") else ""
        key = b"\n".join(
            [
                scope.get("raw_path") or scope["path"].encode(),
                scope.get("query_string", b""),
                request.get("accept", "").encode("latin-1", "replace"),
                gzip.encode(),
            ]
        )
        return f'W/"{generation}-{self.fingerprint}-{hashlib.sha256(key).hexdigest()[:16]}"'

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        request = Headers(scope=scope)
        vary = ["Accept", "Accept-Encoding"] if negotiated(path) else ["Accept-Encoding"]
        data = scope["method"] == "GET" and not path.startswith(NOT_STORE_DATA)
        etag = modified = None
        if data and (gen := self.generation(scope)) is not None:
            etag, written = self.etag(gen[0], scope, request), gen[1]
            modified = formatdate(written, usegmt=True)
            if etag.removeprefix("W/") in _etag_values(request.get("if-none-match", "")):
                headers = [(b"etag", etag.encode()), (b"last-modified", modified.encode())]
                headers += [(b"cache-control", CACHE_WITH_GENERATION.encode()), (b"vary", ", ".join(vary).encode())]
                await send({"type": "http.response.start", "status": 304, "headers": headers})
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return

        out = _HeadersOnly(receive, send)

        async def send_with_headers(message: Message) -> None:
            if out.done:
                return
            if message["type"] != "http.response.start":
                await send(message)
                return
            status: int = message["status"]
            headers = MutableHeaders(scope=message)
            present = {v.strip().lower() for v in ",".join(headers.getlist("vary")).split(",") if v.strip()}
            for token in vary:
                if token.lower() not in present:
                    headers.add_vary_header(token)
            if status >= 400:
                for name in ("etag", "last-modified"):
                    if name in headers:
                        del headers[name]
                headers["cache-control"] = "no-store"
            elif data:
                if status == 200 and etag is not None and "etag" not in headers:
                    headers["etag"] = etag
                    headers.setdefault("last-modified", modified or "")
                headers.setdefault("cache-control", CACHE_WITH_GENERATION if etag else CACHE_WITHOUT_GENERATION)
                if status == 200 and not_modified(request, headers):
                    kept = [(k, v) for k, v in message["headers"] if k.lower() in NOT_MODIFIED_HEADERS]
                    await out.finish({"type": "http.response.start", "status": 304, "headers": kept})
                    return
            await send(message)

        await self.app(scope, out.receive, send_with_headers)


ANSWER_PREFIXES = ("/api/",)
"""GET paths whose whole 200 answers :class:`Answers` keeps per store generation (the REST lookups)."""

ANSWER_MAX_BYTES = 1 << 20
"""Largest answer body :class:`Answers` keeps; bigger ones are recomputed each time."""

ANSWERS_TOTAL_BYTES = 64 << 20
"""Most bytes of answer bodies :class:`Answers` holds at once."""

_NOT_IN_KEY = frozenset({b"if-none-match", b"if-modified-since", b"connection"})
"""Request headers that do not select the answer (the conditionals are answered by :class:`Representations`)."""


class Answers:
    """The whole 200 answers (status, headers, body) of the REST API, kept per store generation.

    A published generation never changes, so the same request (path, query and request headers, conditionals
    aside) gets the same answer until a load publishes the next one: it is sent again without routing,
    validation and JSON serialisation.  Only single-part bodies up to :data:`ANSWER_MAX_BYTES`; stores without
    stable generations (remote) and a lookup cache of size 0 turn it off, as they do the lookup cache.  It sits
    inside :class:`Representations` (validators, ``Vary`` and ``Cache-Control`` are still added per request) and
    outside the gzip layer (a gzipped answer is kept as such, for requests that accept it)."""

    def __init__(self, app: ASGIApp, size: int) -> None:
        self.app = app
        self.size = size
        self.generation: str | None = None
        self._data: OrderedDict[tuple[Any, ...], tuple[list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        self._bytes = 0
        self.hits = self.misses = 0

    def _key(self, scope: Scope) -> tuple[Any, ...]:
        headers = tuple(sorted((k.lower(), v) for k, v in scope["headers"] if k.lower() not in _NOT_IN_KEY))
        return (scope.get("raw_path") or scope["path"].encode(), scope.get("query_string", b""), headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or self.size <= 0
            or not scope["path"].startswith(ANSWER_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        state.answers = self
        store = getattr(state, "store", None)
        gen = store.generation if store is not None and store.answers_stable else None
        if not gen:
            await self.app(scope, receive, send)
            return
        if gen != self.generation:
            self._data.clear()
            self._bytes = 0
            self.generation = gen
        key = self._key(scope)
        hit = self._data.get(key)
        if hit is not None:
            self._data.move_to_end(key)
            self.hits += 1
            await send({"type": "http.response.start", "status": 200, "headers": list(hit[0])})
            await send({"type": "http.response.body", "body": hit[1], "more_body": False})
            return
        self.misses += 1
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        body: bytes | None = None
        parts = 0

        async def capture(message: Message) -> None:
            nonlocal status, headers, body, parts
            if message["type"] == "http.response.start":  # copied before the outer layers add their headers
                status = message["status"]
                headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
            elif message["type"] == "http.response.body":
                parts += 1
                if parts == 1 and not message.get("more_body", False):
                    body = bytes(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if (
            status == 200
            and body is not None
            and parts == 1
            and len(body) <= ANSWER_MAX_BYTES
            and gen == self.generation
        ):
            if any(k.lower() == b"set-cookie" for k, _ in headers):
                return
            self._data[key] = (headers, body)
            self._bytes += len(body)
            while self._data and (len(self._data) > self.size or self._bytes > ANSWERS_TOTAL_BYTES):
                _, (_, old) = self._data.popitem(last=False)
                self._bytes -= len(old)


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def allowing_inline_scripts(page: HTMLResponse) -> HTMLResponse:
    """The page with a Content-Security-Policy that admits exactly its own inline scripts (by hash)."""
    html = bytes(page.body).decode("utf-8")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(html)
    )
    csp = SECURITY_HEADERS["Content-Security-Policy"].replace("script-src 'self'", f"script-src 'self' {hashes}")
    return HTMLResponse(html, headers={"Content-Security-Policy": csp})


def package_version() -> str:
    """The installed cbkg version (pyproject.toml is the one place it is written)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cbkg")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
        return "unknown"


THREADS = 256
"""Threads for the routes that block (lookups, and requests waiting for a query worker)."""

GENERATION_POLL = 1.0
"""Seconds between two looks of the warmer at the store's current generation."""

WARM_SECONDS = 10.0
"""At most this long spent recomputing the previous generation's lookups on a new one."""

QUERY_WORKER_NICE = 10
"""Nice value of the query worker processes: when the cores are short, the lookups (in the server process) get
them first and the user queries wait (they have a time limit and a queue with 503 + Retry-After)."""


def renice_children(done: set[int]) -> None:
    """Lower the priority of the server's child processes (the query workers, also those restarted since)."""
    import multiprocessing

    for proc in multiprocessing.active_children():
        if proc.pid is not None and proc.pid not in done:
            try:
                os.setpriority(os.PRIO_PROCESS, proc.pid, QUERY_WORKER_NICE)
            except OSError:
                pass
            done.add(proc.pid)


def start_lookups(st: Any) -> list[tuple[Any, tuple[Any, ...]]]:
    """Lookups warmed when the server starts (there is no previous generation to take them from)."""
    from . import queries

    return [(queries.ministries, ()), (queries.laws, ())]


def warm_indexes(st: Any) -> None:
    """Build the in-memory indexes of the current generation that lookups use besides the catalogue."""
    from . import flows

    flows.index(st.store, st.catalogue)  # the money-flow index (search, payees, ministries)


def warm_generations(st: Any, stop: threading.Event) -> None:
    """The warmer thread: on each new generation, load its catalogue, build the indexes and recompute the lookups
    that were in use.  A step that fails is logged and not retried on that generation (its requests will meet
    the error themselves)."""
    log = logging.getLogger("cbkg.warmer")
    seen: str | None = None
    first = True
    reniced: set[int] = set()
    while not stop.is_set():
        renice_children(reniced)
        try:
            gen = st.store.generation
        except Exception:
            log.warning("cannot read the store's generation", exc_info=True)
            gen = seen
        if first or gen != seen:
            t0 = time.perf_counter()
            n = 0
            for step in ("catalogue", "indexes", "lookups"):
                try:
                    if step == "catalogue":
                        st.catalogue.entries()
                    elif step == "indexes":
                        warm_indexes(st)
                    else:
                        keys = start_lookups(st) if first else None
                        n = st.lookups.warm(st.store, keys, seconds=WARM_SECONDS, stop=stop)
                except Exception:
                    log.warning("warming the %s of generation %s failed", step, gen, exc_info=True)
            log.info(
                "generation %s: catalogue (%s), indexes and %d lookups warmed in %.2f s",
                gen,
                st.catalogue.source,
                n,
                time.perf_counter() - t0,
            )
            seen, first = gen, False
            st.warmed_generation = gen
            st.warmed.set()
        stop.wait(GENERATION_POLL)


def create_app(settings: Settings | None = None, *, start_workers: bool = True) -> FastAPI:
    """Create the web application over the configured store."""
    settings = settings or Settings()
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html", "xml"]))
    pages.register_filters(env)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        st = app.state
        # requests waiting for a query worker (up to the executor's queue timeout) hold a thread each: with
        # anyio's default of 40 threads, heavy queries would leave none to the lookups
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        st.store = open_store(settings, read_only=True)
        st.catalogue = Catalogue(st.store, st.minter)
        st.lookups = LookupCache(settings.lookup_cache)
        st.warmed = threading.Event()  # set each time the warmer is done with a generation (for tests)
        st.warmed_generation = None
        stop = threading.Event()
        # the catalogue (read from the generation's aux file, else built) and the cache are warmed off the
        # request path, at start and whenever a load publishes a new generation
        warmer = threading.Thread(target=warm_generations, args=(st, stop), name="warmer", daemon=True)
        warmer.start()
        st.executor = QueryExecutor(settings) if start_workers else None
        try:
            yield
        finally:
            stop.set()
            if st.executor is not None:
                st.executor.close()

    app = FastAPI(
        title="cbkg — the knowledge graph of Japan's cybersecurity budget",
        version=package_version(),
        description="SPARQL endpoint at /sparql, linked data under /id/, this REST API under /api/. "
        "Errors are JSON objects with a `code` and a `message`.",
        lifespan=lifespan,
        docs_url=None,  # served below from the bundled assets (the CSP blocks CDNs)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.minter = Minter(settings.base_iri)
    app.state.examples = load_examples()
    app.state.env = env

    def render(template: str, request: Request, **ctx: Any) -> str:
        return env.get_template(template).render(request=request, settings=settings, **ctx)

    app.state.render = render
    # added innermost first: HeadAsGet → CORS → Guard → Representations → Answers → GZip → routes (CORS and the
    # security headers thus reach the 304s that Representations answers itself)
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    app.add_middleware(Answers, size=settings.lookup_cache)
    app.add_middleware(Representations, settings=settings)
    app.add_middleware(Guard, max_body=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=[
            "Accept",
            "Accept-Language",
            "Content-Type",
            "Authorization",
            "X-Requested-With",
            "Cache-Control",
            "If-None-Match",
            "If-Modified-Since",
        ],
        expose_headers=["Content-Type", "Link", "Retry-After", "ETag", "Last-Modified"],
    )
    app.add_middleware(HeadAsGet)
    for exc_cls in (*errors.STATUS, errors.ApiError):
        app.add_exception_handler(exc_cls, errors.handle)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return JSONResponse(
            {"code": "bad-parameter", "message": f"{where}: {first.get('msg', 'invalid')}"}, status_code=400
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """Unknown paths and methods: an HTML page for browsers, JSON for the API, the endpoint and clients."""
        codes = {404: "not-found", 405: "method-not-allowed"}
        err = errors.ApiError(exc.status_code, codes.get(exc.status_code, "http-error"), str(exc.detail))
        if exc.status_code == 404:
            err.message = f"nothing is served at {request.url.path}"
        if request.url.path.startswith(("/api/", "/sparql")):
            return errors.error_response(err, dict(exc.headers or {}))
        return pages.error_page(request, err, dict(exc.headers or {}))

    swagger = allowing_inline_scripts(
        get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=app.title + " — Swagger UI",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )
    )
    redoc = get_redoc_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=app.title + " — ReDoc",
        redoc_js_url="/static/vendor/redoc/redoc.standalone.js",
        redoc_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        with_google_fonts=False,
    )

    swagger_csp = swagger.headers["content-security-policy"]

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(swagger.body, headers={"Content-Security-Policy": swagger_csp})

    # ReDoc's search index runs in a worker it creates from a blob: URL
    redoc_csp = SECURITY_HEADERS["Content-Security-Policy"] + "; worker-src 'self' blob:"

    @app.get("/redoc", include_in_schema=False)
    async def redoc_page() -> HTMLResponse:
        return HTMLResponse(redoc.body, headers={"Content-Security-Policy": redoc_csp})

    app.include_router(sparql.router)
    app.include_router(rest.router)
    app.include_router(void.router)
    app.include_router(ld.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app
