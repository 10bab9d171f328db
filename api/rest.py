"""REST API (JSON, documented at /docs): programs, laws and articles, payees, ministries, quality."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from . import flows, queries
from . import search as searching
from .errors import BadRequest, NotFound

router = APIRouter(prefix="/api", tags=["api"])

LAW_ID = re.compile(r"^[0-9]{3}[A-Z][A-Z0-9][0-9A-Z]{10}$")
PROGRAM_ID = re.compile(r"^[0-9]{1,9}$")
ARTICLE = re.compile(r"^[1-9][0-9]*(-[1-9][0-9]*)*$")
CORP = re.compile(r"^[1-9][0-9]{12}$")
SLUG = re.compile(r"^[a-z0-9-]{1,40}$")


class ProgramSummary(BaseModel):
    id: str = Field(description="予算事業ID")
    year: int = Field(description="事業年度 of the latest sheet (of `sheet_year` when given)")
    sheet_years: list[int] = Field(default_factory=list, description="事業年度 of every sheet of the program")
    name: str
    ministry: str | None = Field(None, description="ministry slug (id/org/{slug})")
    ministry_name: str | None = None
    iri: str
    budget_year: int | None = Field(None, description="予算年度 of `current_budget` (`fy`, else the latest)")
    current_budget: str | None = Field(None, description="歳出予算現額 in yen; null when not reported (unknown)")


class ProgramPage(BaseModel):
    total: int
    page: int
    size: int
    items: list[ProgramSummary]


class ErrorBody(BaseModel):
    code: str
    message: str


ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorBody}, 404: {"model": ErrorBody}}


def _state(request: Request) -> Any:
    return request.app.state




@router.get("/programs", response_model=ProgramPage, responses=ERRORS)
def list_programs(
    request: Request,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Words (all must match) of name or purpose, width-insensitive; a 予算事業ID; "
            "English/romaji such as cyber",
        ),
    ] = None,
    ministry: Annotated[str | None, Query(max_length=100, description="Ministry slug or Japanese name")] = None,
    fy: Annotated[
        int | None,
        Query(ge=1950, le=2100, description="予算年度 (budget year): programs with a budget figure for it"),
    ] = None,
    sheet_year: Annotated[int | None, Query(ge=1950, le=2100, description="事業年度 of a sheet of the program")] = None,
    law: Annotated[str | None, Query(description="e-Gov 法令ID cited as legal basis")] = None,
    article: Annotated[str | None, Query(description="Article of `law` (canonical, e.g. 16 or 30-2)")] = None,
    sort: Annotated[str, Query(description="relevance | amount | id | name")] = "id",
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ProgramPage:
    """Programs (one row each, with their sheet years) matching all given filters, paged.

    ``fy`` means the 予算年度 here as on the article page and in ``cbkg articles --fy``."""
    if law and not LAW_ID.match(law):
        raise BadRequest("bad-parameter", "law must be an e-Gov 法令ID such as 426AC1000000104")
    if article and not ARTICLE.match(article):
        raise BadRequest("bad-parameter", "article must look like 16 or 30-2")
    if sort not in searching.SORTS:
        raise BadRequest("bad-parameter", f"sort must be one of {', '.join(searching.SORTS)}")
    st = _state(request)
    ix = flows.index(st.store, st.catalogue)
    found = searching.search_programs(
        searching.program_hits(ix, st.catalogue),
        ix,
        q or "",
        ministry,
        sheet_year,
        fy,
        law,
        article,
        sort,
        minter=st.minter,
    )
    chunk = found[(page - 1) * size : page * size]
    return ProgramPage(
        total=len(found),
        page=page,
        size=size,
        items=[
            ProgramSummary(
                id=r.id,
                year=sheet_year or max(r.sheet_years),
                sheet_years=r.sheet_years,
                name=r.name,
                ministry=r.ministry,
                ministry_name=r.ministry_name,
                iri=st.minter.program(r.id),
                budget_year=r.budget_year,
                current_budget=None if r.amount is None else str(r.amount),
            )
            for r in chunk
        ],
    )


@router.get("/programs/{program_id}", responses=ERRORS)
async def get_program(request: Request, program_id: str) -> dict[str, Any]:
    """A program: its sheets by year with budgets, legal basis, plans, payees and provenance."""
    if not PROGRAM_ID.match(program_id):
        raise BadRequest("bad-parameter", "a program id is the numeric 予算事業ID")
    st = _state(request)
    out = await run_in_threadpool(st.lookups.get, queries.program, st.store, st.minter, str(int(program_id)))
    if out is None:
        raise NotFound(f"no program {program_id}")
    return out


@router.get("/laws/{law_id}", responses=ERRORS)
async def get_law(request: Request, law_id: str) -> dict[str, Any]:
    """A law: title, number, type, loaded text versions, articles with captions and how often each is cited."""
    if not LAW_ID.match(law_id):
        raise BadRequest("bad-parameter", "law_id must be an e-Gov 法令ID such as 426AC1000000104")
    st = _state(request)
    out = await run_in_threadpool(st.lookups.get, queries.law, st.store, st.minter, law_id)
    if out is None:
        raise NotFound(f"no law {law_id} in the graph")
    return out


@router.get("/laws/{law_id}/articles/{article}", responses=ERRORS)
async def get_article(
    request: Request, law_id: str, article: str, fy: Annotated[int, Query(ge=1950, le=2100)] = 2024
) -> dict[str, Any]:
    """An article: its text (latest loaded version) and the programs citing it with their 歳出予算現額 in ``fy``."""
    if not LAW_ID.match(law_id) or not ARTICLE.match(article):
        raise BadRequest("bad-parameter", "use /api/laws/{法令ID}/articles/{16 | 30-2}")
    st = _state(request)
    out = await run_in_threadpool(st.lookups.get, queries.article, st.store, st.minter, law_id, article, fy)
    if out is None:
        raise NotFound(f"no law {law_id} in the graph")
    return out


@router.get("/payees/{corporate_number}", responses=ERRORS)
async def get_payee(
    request: Request,
    corporate_number: str,
    sheet_year: Annotated[int | None, Query(ge=1950, le=2100, description="事業年度 of the reporting sheets")] = None,
    cyber: Annotated[bool, Query(description="only programs whose name has サイバー or セキュリティ")] = False,
) -> dict[str, Any]:
    """A payee by 法人番号: names, programs paying it (with ministry and 事業年度), totals per year and per
    ministry; 費目・使途 (5-3), 契約 (5-4) and 支出 (5-1) amounts apart, never added together."""
    if not CORP.match(corporate_number):
        raise BadRequest("bad-parameter", "a 法人番号 has 13 digits")
    st = _state(request)
    ix = await run_in_threadpool(flows.index, st.store, st.catalogue)
    out = flows.payee(ix, st.minter.corporation(corporate_number), sheet_year, cyber)
    if out is None:
        raise NotFound(f"no payee with 法人番号 {corporate_number}")
    return out


@router.get("/ministries", responses=ERRORS)
async def list_ministries(request: Request) -> list[dict[str, Any]]:
    """Ministries and agencies with the number of sheets they are responsible for."""
    st = _state(request)
    return await run_in_threadpool(st.lookups.get, queries.ministries, st.store)


@router.get("/ministries/{slug}", responses=ERRORS)
async def get_ministry(
    request: Request,
    slug: str,
    fy: Annotated[int | None, Query(ge=1950, le=2100, description="予算年度 of the program amounts")] = None,
) -> dict[str, Any]:
    """A ministry or agency: names, parent, units, program sheets; totals by 予算年度 and stage, programs with
    their amounts in ``fy`` and the top payees (費目・使途)."""
    if not SLUG.match(slug):
        raise BadRequest("bad-parameter", "a ministry id is a slug such as soumu or digital")
    st = _state(request)
    out = await run_in_threadpool(st.lookups.get, queries.ministry, st.store, st.minter, slug, st.catalogue)
    if out is None:
        raise NotFound(f"no ministry {slug}")
    ix = await run_in_threadpool(flows.index, st.store, st.catalogue)
    return {**out, "money": flows.ministry_money(ix, slug, fy)}


@router.get("/flows", responses=ERRORS)
async def get_flow(
    request: Request,
    ministry: Annotated[str | None, Query(description="ministry slug: ministry → program → payee")] = None,
    payee: Annotated[
        str | None, Query(description="法人番号: the payee's sources (ministry → program → payee)")
    ] = None,
    sheet_year: Annotated[int | None, Query(ge=1950, le=2100, description="事業年度 of the reporting sheets")] = None,
    measure: Annotated[str, Query(description="expense (5-3) | contract (5-4) | payment (5-1)")] = "expense",
    top: Annotated[int, Query(ge=3, le=40)] = 12,
    cyber: Annotated[bool, Query(description="only programs whose name has サイバー or セキュリティ")] = False,
) -> dict[str, Any]:
    """Money flow as nodes (3 columns) and links with amounts in yen (the data of the Sankey diagrams)."""
    if measure not in flows.MEASURES:
        raise BadRequest("bad-parameter", "measure must be expense, contract or payment")
    if payee is not None and not CORP.match(payee):
        raise BadRequest("bad-parameter", "payee must be a 13-digit 法人番号")
    if payee is None and (ministry is None or not SLUG.match(ministry)):
        raise BadRequest("bad-parameter", "give ministry (a slug such as soumu) or payee (a 法人番号)")
    st = _state(request)
    ix = await run_in_threadpool(flows.index, st.store, st.catalogue)
    if payee:
        return flows.flow_payee(ix, st.minter.corporation(payee), sheet_year, measure, top, cyber)
    return flows.flow_ministry(ix, ministry or "", sheet_year, measure, top, cyber)


@router.get("/quality", responses=ERRORS)
async def get_quality(request: Request) -> dict[str, Any]:
    """The last SHACL validation report (by shape) and the load issues (by file and kind)."""
    st = _state(request)
    return await run_in_threadpool(st.lookups.get, queries.quality, st.store)
