"""REST API (JSON, documented at /docs): programs, laws and articles, payees, ministries, quality."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from . import queries
from .errors import BadRequest, NotFound

router = APIRouter(prefix="/api", tags=["api"])

LAW_ID = re.compile(r"^[0-9]{3}[A-Z][A-Z0-9][0-9A-Z]{10}$")
PROGRAM_ID = re.compile(r"^[0-9]{1,9}$")
ARTICLE = re.compile(r"^[1-9][0-9]*(-[1-9][0-9]*)*$")
CORP = re.compile(r"^[1-9][0-9]{12}$")
SLUG = re.compile(r"^[a-z0-9-]{1,40}$")


class ProgramSummary(BaseModel):
    id: str = Field(description="予算事業ID")
    year: int = Field(description="事業年度 of the sheet")
    name: str
    ministry: str | None = Field(None, description="ministry slug (id/org/{slug})")
    ministry_name: str | None = None
    iri: str


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
        str | None, Query(max_length=200, description="Substring of name or purpose (width-insensitive)")
    ] = None,
    ministry: Annotated[str | None, Query(max_length=100, description="Ministry slug or Japanese name")] = None,
    fy: Annotated[int | None, Query(ge=1950, le=2100, description="事業年度 of the sheet")] = None,
    law: Annotated[str | None, Query(description="e-Gov 法令ID cited as legal basis")] = None,
    article: Annotated[str | None, Query(description="Article of `law` (canonical, e.g. 16 or 30-2)")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ProgramPage:
    """Program sheets matching all given filters, paged."""
    if law and not LAW_ID.match(law):
        raise BadRequest("bad-parameter", "law must be an e-Gov 法令ID such as 426AC1000000104")
    if article and not ARTICLE.match(article):
        raise BadRequest("bad-parameter", "article must look like 16 or 30-2")
    entries = _state(request).catalogue.search(q, ministry, fy, law, article)
    chunk = entries[(page - 1) * size : page * size]
    return ProgramPage(
        total=len(entries),
        page=page,
        size=size,
        items=[
            ProgramSummary(
                id=e.program_id, year=e.year, name=e.name, ministry=e.ministry, ministry_name=e.ministry_name, iri=e.iri
            )
            for e in chunk
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
async def get_payee(request: Request, corporate_number: str) -> dict[str, Any]:
    """A payee by 法人番号: names as written, programs paying it and amounts."""
    if not CORP.match(corporate_number):
        raise BadRequest("bad-parameter", "a 法人番号 has 13 digits")
    st = _state(request)
    out = await run_in_threadpool(st.lookups.get, queries.payee, st.store, st.minter, corporate_number)
    if out is None:
        raise NotFound(f"no payee with 法人番号 {corporate_number}")
    return out


@router.get("/ministries", responses=ERRORS)
async def list_ministries(request: Request) -> list[dict[str, Any]]:
    """Ministries and agencies with the number of sheets they are responsible for."""
    st = _state(request)
    return await run_in_threadpool(st.lookups.get, queries.ministries, st.store)


@router.get("/ministries/{slug}", responses=ERRORS)
async def get_ministry(request: Request, slug: str) -> dict[str, Any]:
    """A ministry or agency: names, parent, units, program sheets."""
    if not SLUG.match(slug):
        raise BadRequest("bad-parameter", "a ministry id is a slug such as soumu or digital")
    st = _state(request)
    out = await run_in_threadpool(st.lookups.get, queries.ministry, st.store, st.minter, slug, st.catalogue)
    if out is None:
        raise NotFound(f"no ministry {slug}")
    return out


@router.get("/quality", responses=ERRORS)
async def get_quality(request: Request) -> dict[str, Any]:
    """The last SHACL validation report (by shape) and the load issues (by file and kind)."""
    st = _state(request)
    return await run_in_threadpool(st.lookups.get, queries.quality, st.store)
