"""Search over the catalogue (one hit per program, with its sheet years) and over the payees (name, 法人番号).

Matching: the query is NFKC-folded and split on spaces; every word must match (AND).  A word also matches
through a small romaji/English → Japanese table (``cyber`` → サイバー).  An all-digit word matches a 予算事業ID
exactly, and a 13-digit word a 法人番号.  Ranking: ID match, then words in the name (more, earlier), then words
in the purpose only; ties by amount.  Filters: ministry, sheet year (事業年度), fy (予算年度 with a budget figure),
law, article.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .flows import Index
from .queries import CS_BASIC_LAW, fold

SYNONYMS: dict[str, tuple[str, ...]] = {
    "cyber": ("サイバー",),
    "cybersecurity": ("サイバーセキュリティ",),
    "security": ("セキュリティ", "安全"),
    "saiba": ("サイバー",),
    "saibaa": ("サイバー",),
    "sekyuriti": ("セキュリティ",),
    "jinzai": ("人材",),
    "talent": ("人材",),
    "humanresources": ("人材",),
    "workforce": ("人材",),
    "training": ("研修", "訓練", "育成"),
    "research": ("研究",),
    "digital": ("デジタル",),
    "system": ("システム",),
    "information": ("情報",),
    "defense": ("防衛",),
    "defence": ("防衛",),
    "police": ("警察",),
    "local": ("地方",),
    "municipal": ("地方公共団体", "自治体"),
    "network": ("ネットワーク", "通信"),
    "ai": ("ai", "人工知能"),
}
SORTS = ("relevance", "amount", "id", "name")


def words(q: str) -> list[str]:
    return [w for w in re.split(r"\s+", unicodedata.normalize("NFKC", q).lower().strip()) if w]


def alternatives(word: str) -> tuple[str, ...]:
    w = fold(word)
    return (w, *SYNONYMS.get(w, ()))


@dataclass
class ProgramHit:
    id: str
    name: str
    ministry: str | None
    ministry_name: str | None
    sheet_years: list[int]
    name_key: str
    key: str
    laws: set[str] = field(default_factory=set)
    provisions: set[str] = field(default_factory=set)
    budget_years: set[int] = field(default_factory=set)


@dataclass
class Result:
    hit: ProgramHit
    score: float
    amount: Decimal | None
    budget_year: int | None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.hit, name)


def program_hits(ix: Index, catalogue: Any) -> list[ProgramHit]:
    """:func:`programs` of the catalogue, computed once per money index (one store generation)."""
    hits = ix.extra.get("hits")
    if hits is None:
        hits = ix.extra["hits"] = programs(catalogue.entries(), ix)
    return hits


def programs(entries: list[Any], ix: Index) -> list[ProgramHit]:
    """One hit per program from the sheet entries (latest sheet's name and ministry)."""
    by: dict[str, ProgramHit] = {}
    for e in sorted(entries, key=lambda e: -e.year):
        h = by.get(e.program_id)
        if h is None:
            h = by[e.program_id] = ProgramHit(e.program_id, e.name, e.ministry, e.ministry_name, [], "", "")
            h.budget_years = set(ix.budgets.get(e.program_id, {}))
        if e.year not in h.sheet_years:
            h.sheet_years.append(e.year)
        h.name_key += fold(e.name) + " "
        h.key += e.key + " "
        h.laws |= e.laws
        h.provisions |= e.provisions
        if not h.ministry and e.ministry:
            h.ministry, h.ministry_name = e.ministry, e.ministry_name
    for h in by.values():
        h.sheet_years.sort()
    return list(by.values())


def search_programs(
    hits: list[ProgramHit],
    ix: Index,
    q: str = "",
    ministry: str | None = None,
    sheet_year: int | None = None,
    fy: int | None = None,
    law: str | None = None,
    article: str | None = None,
    sort: str = "relevance",
    stage: str = "current",
    minter: Any = None,
) -> list[Result]:
    ws = words(q)
    target = minter.law_part(law or CS_BASIC_LAW, article) if article and minter else None
    out: list[Result] = []
    for h in hits:
        if ministry and ministry not in (h.ministry, h.ministry_name):
            continue
        if sheet_year and sheet_year not in h.sheet_years:
            continue
        if fy and fy not in h.budget_years:
            continue
        if law and law not in h.laws:
            continue
        if target and not any(p == target or p.startswith(target + "/") for p in h.provisions):
            continue
        score = 0.0
        ok = True
        for w in ws:
            if w.isdigit() and w == h.id:
                score += 100
                continue
            alts = alternatives(w)
            pos = min((h.name_key.find(a) for a in alts if a in h.name_key), default=-1)
            if pos >= 0:
                score += 10 + 5 / (1 + pos)
            elif any(a in h.key for a in alts):
                score += 2
            else:
                ok = False
                break
        if not ok:
            continue
        year = fy or _latest_budget_year(h, ix)
        b = ix.budgets.get(h.id, {}).get(year or 0, {})
        out.append(Result(h, score, b.get(stage), year))
    if sort == "amount":
        out.sort(key=lambda h: (h.amount is None, -(h.amount or 0), int(h.id or 0)))
    elif sort == "id":
        out.sort(key=lambda h: int(h.id or 0))
    elif sort == "name":
        out.sort(key=lambda h: h.name)
    else:
        out.sort(key=lambda r: (-r.score, r.amount is None, -(r.amount or 0), int(r.id or 0)))
    return out


def _latest_budget_year(h: ProgramHit, ix: Index) -> int | None:
    """The latest budget year the program has executed or current figures for, at most its latest sheet year."""
    latest_sheet = max(h.sheet_years) if h.sheet_years else None
    years = sorted((y for y in h.budget_years if latest_sheet is None or y <= latest_sheet), reverse=True)
    return years[0] if years else None


def search_payees(payees: list[dict[str, Any]], q: str, limit: int = 20) -> tuple[int, list[dict[str, Any]]]:
    """Payees whose name (any spelling) has every word, or whose 法人番号 is a word; by amount."""
    ws = words(q)
    if not ws:
        return 0, []
    out = []
    for p in payees:
        if any(w.isdigit() and len(w) >= 6 and p["number"] and p["number"].startswith(w) for w in ws):
            out.append((1000, p))
            continue
        keys = [fold(p["name"] or "")] + [fold(n) for n in p["names"]]
        if all(any(any(a in k for k in keys) for a in alternatives(w)) for w in ws):
            out.append((1, p))
    out.sort(key=lambda sp: (-sp[0], -(sp[1]["expense"] or 0)))
    return len(out), [p for _, p in out[:limit]]


def to_csv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else _safe_cell(v) for v in r])
    return "\ufeff" + buf.getvalue()


def _safe_cell(v: Any) -> Any:
    """Spreadsheet formula injection: a text cell starting with = + - @ gets a leading apostrophe."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") and not re.fullmatch(r"-?[0-9.]+", v):
        return "'" + v
    return v
