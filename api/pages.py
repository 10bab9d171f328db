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
from jinja2 import Environment, pass_context
from markupsafe import Markup

from ontology.namespaces import sparql_prefixes

from . import flows, i18n, queries
from . import search as searching
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


def oku(value: Any) -> str:
    """A short amount: 億円 / 百万円 / 円; ``None`` → unknown (never 0)."""
    if value in (None, ""):
        return "–"
    d = Decimal(str(value))
    if abs(d) >= 100_000_000:
        return f"{d / 100_000_000:,.1f} 億円"
    if abs(d) >= 1_000_000:
        return f"{d / 1_000_000:,.1f} 百万円"
    return f"{d:,.0f} 円"


def oku_en(value: Any) -> str:
    """A short amount for English pages: ``¥55.1 bn``, ``¥90.0 m``, ``¥1,234``."""
    d = Decimal(str(value))
    if abs(d) >= 1_000_000_000:
        return f"¥{d / 1_000_000_000:,.2f} bn"
    if abs(d) >= 1_000_000:
        return f"¥{d / 1_000_000:,.1f} m"
    return f"¥{d:,.0f}"


@pass_context
def money(ctx: Any, value: Any) -> Markup:
    """A short amount in a ``<data>`` element carrying the exact yen (value and title); unknown → ``–``."""
    if value in (None, ""):
        return Markup('<span class="unknown">–</span>')
    d = Decimal(str(value))
    exact = f"{d:,.0f} 円" if d == d.to_integral_value() else f"{d:,} 円"
    short = oku_en(d) if _lang(ctx) == "en" else oku(d)
    return Markup(f'<data value="{escape(str(d))}" title="{escape(exact)}">{escape(short)}</data>')


KANJI_DIGITS = "〇一二三四五六七八九"


def kanji_number(n: Any) -> str:
    """``16`` → ``十六``, ``30-2`` → ``三十の二`` (article and item numbers as the law writes them)."""
    text = str(n or "")
    if not text:
        return ""
    out = []
    for part in text.split("-"):
        if not part.isdigit():
            return text
        v = int(part)
        if v == 0:
            out.append("〇")
            continue
        if v >= 100_000_000:
            return text
        s = ""
        if v >= 10_000:
            s, v = kanji_number(str(v // 10_000)) + "万", v % 10_000
        for unit, name in ((1000, "千"), (100, "百"), (10, "十")):
            d, v = divmod(v, unit)
            if d:
                s += ("" if d == 1 else KANJI_DIGITS[d]) + name
        if v:
            s += KANJI_DIGITS[v]
        out.append(s)
    return "の".join(out)


def _lang(ctx: Any) -> str:
    return ctx.get("lang") or i18n.lang_of(ctx.get("request"))


@pass_context
def _t(ctx: Any, key: str, **fmt: Any) -> str:
    return i18n.t(key, _lang(ctx), **fmt)


@pass_context
def _ministry(ctx: Any, slug: str | None, ja: str | None) -> str:
    """A ministry's name in the page language (English from the organisation register)."""
    if _lang(ctx) != "en" or not slug:
        return ja or slug or ""
    request = ctx.get("request")
    try:
        st = request.app.state
        names = {m["slug"]: m["name_en"] for m in st.lookups.get(queries.ministries, st.store)}
    except Exception:  # no store (an error page): the Japanese name
        return ja or slug
    return names.get(slug) or ja or slug


@pass_context
def _code(ctx: Any, iri: str | None) -> str:
    return i18n.code(iri, _lang(ctx))


@pass_context
def _stage(ctx: Any, code: str) -> str:
    return i18n.stage(code, _lang(ctx))


@pass_context
def _shape_message(ctx: Any, text: str | None) -> tuple[str, str]:
    return i18n.shape_message(text, _lang(ctx))


@pass_context
def _url(ctx: Any, **changes: Any) -> str:
    """The current URL with some query parameters changed (None removes one); page resets unless given."""
    from urllib.parse import urlencode

    request = ctx.get("request")
    params = dict(request.query_params) if request is not None else {}
    if "page" not in changes:
        params.pop("page", None)
    for k, v in changes.items():
        if v is None or v == "":
            params.pop(k, None)
        else:
            params[k] = str(v)
    path = request.url.path if request is not None else ""
    return path + ("?" + urlencode(params) if params else "")


def register_filters(env: Environment) -> None:
    env.filters["yen"] = yen
    env.filters["oku"] = oku
    env.filters["money"] = money
    env.filters["kanji"] = kanji_number
    env.filters["code"] = _code
    env.filters["local"] = queries.local
    env.filters["stage"] = _stage
    env.filters["safe_html"] = safe_html
    env.globals["budget_chart"] = budget_chart
    env.globals["years_chart"] = years_chart
    env.globals["t"] = _t
    env.globals["ministry_name"] = _ministry
    env.globals["url_with"] = _url
    env.globals["shape_message"] = _shape_message


ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u", "sub", "sup", "span", "div"}


def safe_html(text: Any) -> Markup:
    """Source text that may hold HTML, sanitised: the tags of ``ALLOWED_TAGS`` are kept without attributes,
    every other tag (and the content of script/style) is dropped, everything else is escaped text; line
    breaks are kept."""
    from html.parser import HTMLParser

    if text in (None, ""):
        return Markup("")
    out: list[str] = []
    skip = [0]

    class P(HTMLParser):
        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in ("script", "style"):
                skip[0] += 1
            elif tag in ALLOWED_TAGS and not skip[0]:
                out.append(f"<{tag}>")

        def handle_startendtag(self, tag: str, attrs: Any) -> None:
            if tag == "br" and not skip[0]:
                out.append("<br>")

        def handle_endtag(self, tag: str) -> None:
            if tag in ("script", "style"):
                skip[0] = max(0, skip[0] - 1)
            elif tag in ALLOWED_TAGS and tag != "br" and not skip[0]:
                out.append(f"</{tag}>")

        def handle_data(self, data: str) -> None:
            if not skip[0]:
                out.append(escape(data, quote=False).replace("\n", "<br>"))

    parser = P(convert_charrefs=True)
    parser.feed(str(text))
    parser.close()
    html = "".join(out)
    # close what the source left open (a stray </p> is harmless; an open <ul> would swallow the page)
    for tag in ("li", "ul", "ol", "p", "div", "span", "strong", "em", "b", "i", "u", "sub", "sup"):
        diff = html.count(f"<{tag}>") - html.count(f"</{tag}>")
        html += f"</{tag}>" * max(diff, 0)
    return Markup(html)


def merged_budgets(sheets: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Budget year → stage → amount, each budget year from the latest sheet reporting it (sheets latest first)."""
    out: dict[int, dict[str, Any]] = {}
    for s in sorted(sheets, key=lambda s: -s["year"]):
        years: dict[int, dict[str, Any]] = {}
        for b in s["budgets"]:
            years.setdefault(b["budget_year"], {})[b["stage"]] = b["amount"]
        for y, st in years.items():
            if y not in out:
                out[y] = {**st, "_sheet_year": s["year"]}
    return dict(sorted(out.items()))


@pass_context
def years_chart(ctx: Any, merged: dict[int, dict[str, Any]]) -> Markup:
    """One SVG chart of all budget years × stages, with a value axis, year labels and values as titles."""
    lang = _lang(ctx)
    years = list(merged)
    data = {(y, st): Decimal(str(v[st])) for y, v in merged.items() for st in CHART_STAGES if v.get(st) is not None}
    if not years or not data:
        return Markup(f'<p class="muted">{escape(i18n.t("program.none", lang))}</p>')
    top = max(max(data.values()), Decimal(1))
    step = _nice_step(top)
    ticks = int(top / step) + 1
    axis_top = step * ticks
    width, height, left, bottom = 900, 260, 80, 50
    plot_w = width - left - 10
    group = plot_w / len(years)
    bar = group / (len(CHART_STAGES) + 1)
    label = "budget by year and stage" if lang == "en" else "予算年度・段階別の予算と執行"
    parts = [
        f'<svg class="chart years-chart" viewBox="0 0 {width} {height + bottom}" role="img" '
        f'aria-label="{escape(label)}">'
    ]
    for k in range(ticks + 1):
        v = step * k
        yy = height - float(v / axis_top) * (height - 10)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - 10}" y1="{yy:.1f}" y2="{yy:.1f}"/>'
            f'<text class="tick" x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(oku(v) if v else '0')}</text>"
        )
    for i, y in enumerate(years):
        x0 = left + i * group
        for j, st in enumerate(CHART_STAGES):
            amount = data.get((y, st))
            if amount is None:
                continue
            h = float(max(amount, Decimal(0)) / axis_top) * (height - 10)
            x = x0 + bar / 2 + j * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bar * 0.9:.1f}" height="{h:.1f}" '
                f'fill="{CHART_COLOURS[st]}"><title>{escape(str(y))} {escape(i18n.stage(st, lang))}: '
                f"{escape(yen(amount))}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + group / 2:.1f}" y="{height + 16}" font-size="12" text-anchor="middle">'
            f"{escape(str(y))}</text>"
        )
    parts.append(f'<line class="axis" x1="{left}" x2="{width - 10}" y1="{height}" y2="{height}"/>')
    for j, st in enumerate(CHART_STAGES):
        parts.append(
            f'<rect x="{left + j * 170}" y="{height + 30}" width="10" height="10" fill="{CHART_COLOURS[st]}"/>'
            f'<text x="{left + j * 170 + 14}" y="{height + 39}" font-size="12">{escape(i18n.stage(st, lang))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _nice_step(top: Decimal) -> Decimal:
    raw = top / 4
    mag = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal(1)
    for m in (1, 2, 5, 10):
        if raw <= mag * m:
            return mag * m
    return mag * 10


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
    ctx.setdefault("lang", i18n.lang_of(request))
    st = request.app.state
    if getattr(st, "catalogue", None) is not None:
        flows.warm(st.store, st.catalogue)  # the money index is built off the request path after any page
    return HTMLResponse(
        request.app.state.render(template, request, status=status, **ctx),
        status_code=status,
        headers={"Content-Language": ctx["lang"], "Vary": "Accept, Accept-Language"},
    )


def _index(st: Any) -> flows.Index:
    return flows.index(st.store, st.catalogue)




def _payees(ix: flows.Index) -> list[dict[str, Any]]:
    p = ix.extra.get("payees")
    if p is None:
        p = ix.extra["payees"] = flows.payee_index(ix)
    return p


def csv_response(name: str, header: list[str], rows: list[list[Any]]) -> Response:
    return Response(
        searching.to_csv(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def year_param(request: Request, name: str) -> int | None:
    text = request.query_params.get(name)
    if text in (None, "", "all"):
        return None
    return int_param(request, name, 0, 1950, 2100)


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
async def search(request: Request) -> Response:
    qp = request.query_params
    q = qp.get("q", "")
    if len(q) > 200:
        raise BadRequest("bad-parameter", "q: at most 200 characters")
    page = int_param(request, "page", 1, 1, 10_000)
    size = int_param(request, "size", 50, 1, 500)
    fy = year_param(request, "fy")
    sheet_year = year_param(request, "sheet_year")
    ministry = qp.get("ministry") or None
    law = qp.get("law") or None
    article = qp.get("article") or None
    sort = qp.get("sort") or "relevance"
    if law and not LAW_ID.match(law):
        raise BadRequest("bad-parameter", "law must be an e-Gov 法令ID such as 426AC1000000104")
    if article and not ARTICLE.match(article):
        raise BadRequest("bad-parameter", "article must look like 16 or 30-2")
    if sort not in searching.SORTS:
        raise BadRequest("bad-parameter", f"sort must be one of {', '.join(searching.SORTS)}")
    if ministry and not SLUG.match(ministry):
        raise BadRequest("bad-parameter", "ministry must be a slug such as soumu")
    st = request.app.state
    ix = await run_in_threadpool(_index, st)
    hits = searching.program_hits(ix, st.catalogue)
    filtered = bool(fy or sheet_year or ministry or law or article)
    results = (
        searching.search_programs(hits, ix, q, ministry, sheet_year, fy, law, article, sort, minter=st.minter)
        if (q.strip() or filtered)
        else []
    )
    payee_total, payees = searching.search_payees(_payees(ix), q, 20) if q.strip() else (0, [])
    what = qp.get("table", "programs")
    if qp.get("format") == "csv":
        if what == "payees":
            _, allp = searching.search_payees(_payees(ix), q, 100_000)
            return csv_response(
                "payees",
                ["corporate_number", "name", "programs", "expense_items_yen", "contracts_yen"],
                [[p["number"], p["name"], p["programs"], p["expense"], p["contract"]] for p in allp],
            )
        return csv_response(
            "programs",
            ["program_id", "name", "ministry", "sheet_years", "budget_year", "current_budget_yen"],
            [
                [r.id, r.name, r.ministry_name, " ".join(map(str, r.sheet_years)), r.budget_year, r.amount]
                for r in results
            ],
        )
    mins = sorted({(h.ministry, h.ministry_name) for h in hits if h.ministry}, key=lambda m: m[1] or "")
    all_fy = sorted({y for h in hits for y in h.budget_years})
    all_sheet = sorted({y for h in hits for y in h.sheet_years})
    laws = [{"id": queries.CS_BASIC_LAW, "title": "サイバーセキュリティ基本法"}]
    pages = max(1, -(-len(results) // size))
    return _page(
        request,
        "search.html",
        q=q,
        total=len(results),
        page=page,
        pages=pages,
        size=size,
        results=results[(page - 1) * size : page * size],
        payees=payees,
        payee_total=payee_total,
        f={"fy": fy, "sheet_year": sheet_year, "ministry": ministry, "law": law, "article": article, "sort": sort},
        ministries=mins,
        fy_years=all_fy,
        sheet_years=all_sheet,
        laws=laws,
        searched=bool(q.strip() or filtered),
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
    texts = await run_in_threadpool(
        st.lookups.get, flows.sheet_texts, st.store, tuple(s["iri"] for s in prog["sheets"])
    )
    merged = merged_budgets(prog["sheets"])
    stages = [s for s in STAGE_LABELS if any(s in v for v in merged.values())]
    return _page(request, "program.html", p=prog, merged=merged, stages=stages, texts=texts)


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
    entries = await run_in_threadpool(st.catalogue.entries)
    prefix = st.minter.law(law_id) + "/"
    no_article: dict[str, Any] = {}
    for e in entries:
        if law_id in e.laws and not any(p.startswith(prefix) for p in e.provisions):
            no_article.setdefault(e.program_id, e)
    chapters: list[dict[str, Any]] = []
    for a in sorted(lw["articles"], key=lambda a: a["order"]):
        if not chapters or chapters[-1]["title"] != a["chapter"]:
            chapters.append({"title": a["chapter"], "articles": []})
        chapters[-1]["articles"].append(a)
    counts = {str(k): v for k, v in lw["citing_by_article"].items()}
    return _page(
        request,
        "law.html",
        law=lw,
        chapters=chapters,
        counts=counts,
        no_article=sorted(no_article.values(), key=lambda e: _id_key(e.program_id)),
    )


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
    sheet_year = year_param(request, "sheet_year")
    cyber = request.query_params.get("cyber") in ("1", "on", "true")
    measure = request.query_params.get("measure") or "expense"
    if measure not in flows.MEASURES:
        raise BadRequest("bad-parameter", "measure must be expense, contract or payment")
    ix = await run_in_threadpool(_index, st)
    pe = flows.payee(ix, st.minter.corporation(number), sheet_year, cyber)
    if pe is None:
        return not_found(request, f"no payee with 法人番号 {number}")
    if request.query_params.get("format") == "csv":
        return csv_response(
            f"payee-{number}",
            ["program_id", "name", "ministry", "sheet_year", "expense_items_yen", "contracts_yen", "payments_yen"],
            [
                [
                    r["id"],
                    r["name"],
                    r["ministry_name"],
                    r["sheet_year"],
                    r["amounts"].get("expense"),
                    r["amounts"].get("contract"),
                    r["amounts"].get("payment"),
                ]
                for r in pe["programs"]
            ],
        )
    flow = _localise(flows.flow_payee(ix, pe["iri"], sheet_year, measure, cyber=cyber), request)
    svg = Markup(flows.sankey_svg(flow, oku, label=f"{pe['name']}: ministry → program → payee"))
    return _page(request, "payee.html", p=pe, flow=flow, sankey=svg, measure=measure)


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
    fy = year_param(request, "fy")
    sort = request.query_params.get("sort") or "amount"
    if sort not in ("amount", "id", "name"):
        raise BadRequest("bad-parameter", "sort must be amount, id or name")
    ix = await run_in_threadpool(_index, st)
    money = flows.ministry_money(ix, slug, fy)
    progs = money["programs"]
    if sort == "amount":
        progs.sort(key=lambda p: (p["amount"] is None, -Decimal(p["amount"] or 0), _id_key(p["id"])))
    elif sort == "id":
        progs.sort(key=lambda p: _id_key(p["id"]))
    else:
        progs.sort(key=lambda p: p["name"])
    if request.query_params.get("format") == "csv":
        return csv_response(
            f"ministry-{slug}-{money['fy']}",
            ["program_id", "name", "sheet_years", "budget_year", "initial_yen", "current_yen", "executed_yen"],
            [
                [
                    p["id"],
                    p["name"],
                    " ".join(map(str, p["sheet_years"])),
                    money["fy"],
                    p["initial"],
                    p["amount"],
                    p["executed"],
                ]
                for p in progs
            ],
        )
    flow = _localise(flows.flow_ministry(ix, slug, None), request)
    svg = Markup(flows.sankey_svg(flow, oku, label=f"{mi['name']}: ministry → program → payee"))
    return _page(request, "ministry.html", m=mi, money=money, sort=sort, sankey=svg, flow=flow)


OTHER_EN = {"p:other": "Other programs", "y:other": "Other payees"}


def _localise(flow: dict[str, Any], request: Request) -> dict[str, Any]:
    """The flow's own node labels (その他の事業 / その他の支出先) in the page language."""
    if i18n.lang_of(request) == "en":
        for n in flow["nodes"]:
            if n["id"] in OTHER_EN:
                n["label"] = OTHER_EN[n["id"]]
    return flow


def _id_key(pid: str) -> tuple[int, int, str]:
    return (0, int(pid), "") if pid.isdigit() else (1, 0, pid)


@router.get("/flows")
@html_errors
async def flow_page(request: Request) -> Response:
    """Money flow: ministry → program → payee of one ministry, or payee → sources of one 法人番号."""
    qp = request.query_params
    st = request.app.state
    ministry = qp.get("ministry") or "soumu"
    payee_no = qp.get("payee") or None
    sheet_year = year_param(request, "sheet_year")
    measure = qp.get("measure") or "expense"
    top = int_param(request, "top", 12, 3, 40)
    cyber = qp.get("cyber") in ("1", "on", "true")
    if measure not in flows.MEASURES:
        raise BadRequest("bad-parameter", "measure must be expense, contract or payment")
    if not SLUG.match(ministry) or (payee_no and not CORP.match(payee_no)):
        raise BadRequest("bad-parameter", "ministry is a slug (soumu), payee a 13-digit 法人番号")
    ix = await run_in_threadpool(_index, st)
    if payee_no:
        flow = flows.flow_payee(ix, st.minter.corporation(payee_no), sheet_year, measure, top, cyber)
        title = (ix.payees.get(st.minter.corporation(payee_no)) or flows.PayeeInfo("", payee_no, payee_no)).name
    else:
        flow = flows.flow_ministry(ix, ministry, sheet_year, measure, top, cyber)
        title = next((n[1] or ministry for n in [ix.program_ministry(p) for p in ix.program_sheets] if n[0] == ministry), ministry)
    flow = _localise(flow, request)
    if qp.get("format") == "csv":
        labels = {n["id"]: n["label"] for n in flow["nodes"]}
        return csv_response(
            "flow",
            ["source", "target", "amount_yen"],
            [[labels.get(ln["source"]), labels.get(ln["target"]), ln["value"]] for ln in flow["links"]],
        )
    years = sorted({s.year for s in ix.sheets.values()})
    mins = sorted(
        {ix.program_ministry(p) for p in ix.program_sheets if ix.program_ministry(p)[0]}, key=lambda m: m[1] or ""
    )
    svg = Markup(flows.sankey_svg(flow, oku, label=f"{title}: money flow"))
    return _page(
        request,
        "flow.html",
        flow=flow,
        sankey=svg,
        title=title,
        ministry=ministry,
        payee=payee_no,
        sheet_year=sheet_year,
        measure=measure,
        top=top,
        cyber=cyber,
        years=years,
        ministries=mins,
    )


@router.get("/quality")
@html_errors
async def quality_page(request: Request) -> HTMLResponse:
    st = request.app.state
    return _page(request, "quality.html", qr=await run_in_threadpool(st.lookups.get, queries.quality, st.store))


@router.get("/query")
@html_errors
async def query_page(request: Request) -> HTMLResponse:
    examples = request.app.state.examples
    name = request.query_params.get("example")
    chosen = next((ex for ex in examples if ex.name == name), examples[0] if examples else None)
    text = request.query_params.get("sparql")
    if text is not None and len(text) > 20_000:
        raise BadRequest("bad-parameter", "sparql: at most 20,000 characters")
    return _page(
        request,
        "sparql.html",
        examples=examples,
        initial=text if text is not None else (chosen.query if chosen else ""),
        prefixes=sparql_prefixes(),
    )
