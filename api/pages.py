"""Server-rendered HTML pages (Jinja2, autoescaped): home, search, program, law, article, payee, ministry,
quality, SPARQL query page with an example gallery.

Errors (unknown resource, bad parameter, store failure) are an HTML page for clients that accept HTML and
the JSON error of :mod:`api.errors` for the others (:func:`error_page`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from decimal import Decimal
from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment
from markupsafe import Markup

from . import queries
from .conneg import negotiate
from .errors import BadRequest, NotFound, error_response
from .rest import ARTICLE, CORP, LAW_ID, PROGRAM_ID, SLUG

router = APIRouter(include_in_schema=False)

STAGE_LABELS = {
    "initial": "当初予算",
    "supplementary": "補正予算",
    "carried-over-in": "前年度から繰越し",
    "reserve": "予備費等",
    "current": "歳出予算現額",
    "executed": "執行額",
    "carried-over-out": "翌年度への繰越し",
    "next-year-request": "翌年度要求額",
    "priority-request": "要望額",
}
CHART_STAGES = ("initial", "supplementary", "current", "executed")
CHART_COLOURS = {"initial": "#2b6cb0", "supplementary": "#9f7aea", "current": "#38a169", "executed": "#dd6b20"}


def yen(value: Any) -> str:
    """``1234567`` → ``1,234,567 円`` (and 億/百万 hint for big amounts)."""
    if value in (None, ""):
        return "–"
    d = Decimal(str(value))
    s = f"{d:,.0f} 円" if d == d.to_integral_value() else f"{d:,} 円"
    if abs(d) >= 100_000_000:
        s += f"（{d / 100_000_000:,.1f} 億円）"
    elif abs(d) >= 1_000_000:
        s += f"（{d / 1_000_000:,.1f} 百万円）"
    return s


def register_filters(env: Environment) -> None:
    env.filters["yen"] = yen
    env.filters["local"] = queries.local
    env.filters["stage"] = lambda s: STAGE_LABELS.get(s, s)
    env.globals["budget_chart"] = budget_chart


def budget_chart(budgets: list[dict[str, Any]]) -> Markup:
    """An SVG bar chart of budget stages by 予算年度 (server-rendered, no script; every label escaped)."""
    years = sorted({b["budget_year"] for b in budgets})
    data = {(b["budget_year"], b["stage"]): Decimal(b["amount"]) for b in budgets if b["stage"] in CHART_STAGES}
    if not years or not data:
        return Markup('<p class="muted">予算・執行の記載なし / no budget figures</p>')
    top = max(max(data.values()), Decimal(1))
    width, height, pad = 640, 220, 40
    group = (width - pad) / len(years)
    bar = group / (len(CHART_STAGES) + 1)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height + 40}" role="img" aria-label="budget by year">']
    for i, y in enumerate(years):
        x0 = pad + i * group
        for j, st in enumerate(CHART_STAGES):
            v = data.get((y, st))
            if v is None:
                continue
            h = float(max(v, Decimal(0)) / top) * height
            x = x0 + j * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bar * 0.9:.1f}" height="{h:.1f}" '
                f'fill="{CHART_COLOURS[st]}"><title>{escape(str(y))} {escape(STAGE_LABELS[st])}: '
                f"{escape(yen(v))}</title></rect>"
            )
        parts.append(f'<text x="{x0 + group / 2 - bar:.1f}" y="{height + 16}" font-size="12">{escape(str(y))}</text>')
    for j, st in enumerate(CHART_STAGES):
        parts.append(
            f'<rect x="{pad + j * 130}" y="{height + 24}" width="10" height="10" fill="{CHART_COLOURS[st]}"/>'
            f'<text x="{pad + j * 130 + 14}" y="{height + 33}" font-size="11">{escape(STAGE_LABELS[st])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _page(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    """``template`` rendered with ``ctx`` (and ``status``) as the response of ``status``."""
    return HTMLResponse(request.app.state.render(template, request, status=status, **ctx), status_code=status)


def wants_html(request: Request) -> bool:
    """True if the client takes HTML before JSON (browsers, ``*/*`` and no ``Accept``)."""
    return negotiate(request.headers.get("accept"), ["text/html", "application/json"]) == "text/html"


def error_page(request: Request, exc: Exception, headers: dict[str, str] | None = None) -> Response:
    """A domain or API error as the JSON error of :mod:`api.errors`, or, for clients that accept HTML, as an
    HTML page with the same status, code, message and headers."""
    response = error_response(exc, headers)
    if not wants_html(request):
        return response
    body = json.loads(bytes(response.body))
    html = request.app.state.render(
        "error.html", request, status=response.status_code, code=body["code"], message=body["message"]
    )
    extra = {k: v for k, v in response.headers.items() if k.lower() not in ("content-type", "content-length")}
    return HTMLResponse(html, status_code=response.status_code, headers=extra)


def not_found(request: Request, message: str) -> Response:
    """404: an HTML page, or JSON for clients that do not accept HTML."""
    return error_page(request, NotFound(message))


def bad_request(request: Request, message: str) -> Response:
    """400 ``bad-parameter``: an HTML page, or JSON for clients that do not accept HTML."""
    return error_page(request, BadRequest("bad-parameter", message))


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high] (BadRequest otherwise)."""
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    if not (text.isascii() and text.isdigit() and len(text) <= 6 and low <= int(text) <= high):
        raise BadRequest("bad-parameter", f"{name} must be a whole number from {low} to {high}")
    return int(text)


def html_errors(fn: Callable[..., Awaitable[Response]]) -> Callable[..., Awaitable[Response]]:
    """Answer any error of a page handler with :func:`error_page` (never an unhandled exception)."""

    @functools.wraps(fn)
    async def wrapper(request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return await fn(request, *args, **kwargs)
        except Exception as exc:
            return error_page(request, exc)

    return wrapper


@router.get("/")
@html_errors
async def home(request: Request) -> HTMLResponse:
    st = request.app.state
    entries = await run_in_threadpool(st.catalogue.entries)
    cyber = [e for e in entries if "サイバー" in e.name][:30]
    return _page(request, "home.html", sheets=len(entries), cyber=cyber, examples=st.examples[:5])


@router.get("/search")
@html_errors
async def search(request: Request) -> HTMLResponse:
    q = request.query_params.get("q", "")
    if len(q) > 200:
        raise BadRequest("bad-parameter", "q: at most 200 characters")
    page = int_param(request, "page", 1, 1, 10_000)
    st = request.app.state
    results = await run_in_threadpool(st.catalogue.search, q) if q.strip() else []
    size = 50
    return _page(
        request,
        "search.html",
        q=q,
        total=len(results),
        page=page,
        size=size,
        results=results[(page - 1) * size : page * size],
    )


@router.get("/programs/{program_id}")
@html_errors
async def program_page(request: Request, program_id: str) -> Response:
    if not PROGRAM_ID.match(program_id):
        return bad_request(request, "a program id is the numeric 予算事業ID")
    st = request.app.state
    prog = await run_in_threadpool(st.lookups.get, queries.program, st.store, st.minter, str(int(program_id)))
    if prog is None:
        return not_found(request, f"no program {program_id}")
    return _page(request, "program.html", p=prog)


@router.get("/laws")
@html_errors
async def laws_page(request: Request) -> HTMLResponse:
    st = request.app.state
    rows = await run_in_threadpool(st.lookups.get, queries.laws, st.store)
    return _page(request, "laws.html", laws=rows)


@router.get("/laws/{law_id}")
@html_errors
async def law_page(request: Request, law_id: str) -> Response:
    if not LAW_ID.match(law_id):
        return bad_request(request, "a law is identified by its e-Gov 法令ID, e.g. 426AC1000000104")
    st = request.app.state
    lw = await run_in_threadpool(st.lookups.get, queries.law, st.store, st.minter, law_id)
    if lw is None:
        return not_found(request, f"no law {law_id}")
    return _page(request, "law.html", law=lw)


@router.get("/laws/{law_id}/articles/{number}")
@html_errors
async def article_page(request: Request, law_id: str, number: str) -> Response:
    if not LAW_ID.match(law_id) or not ARTICLE.match(number):
        return bad_request(request, "use /laws/{法令ID}/articles/{16 | 30-2}")
    fy = int_param(request, "fy", 2024, 1950, 2100)
    st = request.app.state
    art = await run_in_threadpool(st.lookups.get, queries.article, st.store, st.minter, law_id, number, fy)
    if art is None:
        return not_found(request, f"no law {law_id}")
    return _page(request, "article.html", a=art)


@router.get("/payees/{number}")
@html_errors
async def payee_page(request: Request, number: str) -> Response:
    if not CORP.match(number):
        return bad_request(request, "a 法人番号 has 13 digits")
    st = request.app.state
    pe = await run_in_threadpool(st.lookups.get, queries.payee, st.store, st.minter, number)
    if pe is None:
        return not_found(request, f"no payee with 法人番号 {number}")
    return _page(request, "payee.html", p=pe)


@router.get("/ministries")
@html_errors
async def ministries_page(request: Request) -> HTMLResponse:
    st = request.app.state
    return _page(
        request, "ministries.html", ministries=await run_in_threadpool(st.lookups.get, queries.ministries, st.store)
    )


@router.get("/ministries/{slug}")
@html_errors
async def ministry_page(request: Request, slug: str) -> Response:
    if not SLUG.match(slug):
        return bad_request(request, "a ministry id is a slug such as soumu")
    st = request.app.state
    mi = await run_in_threadpool(st.lookups.get, queries.ministry, st.store, st.minter, slug, st.catalogue)
    if mi is None:
        return not_found(request, f"no ministry {slug}")
    return _page(request, "ministry.html", m=mi)


@router.get("/quality")
@html_errors
async def quality_page(request: Request) -> HTMLResponse:
    st = request.app.state
    return _page(request, "quality.html", q=await run_in_threadpool(st.lookups.get, queries.quality, st.store))


@router.get("/query")
@html_errors
async def query_page(request: Request) -> HTMLResponse:
    return _page(request, "sparql.html", examples=request.app.state.examples)
