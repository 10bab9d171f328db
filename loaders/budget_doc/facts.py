"""Key facts of a program page (``(事業主体) NICT``, ``○補助率：１／２``, ``(計画年度) 令和元年度～令和7年度``), read
into typed values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .. import normalize as nz
from ..base import LoadIssue
from .figures import find_figures, find_labels
from .text import as_written

FACT_LABELS = {
    "事業主体": "implementingBody",
    "事業スキーム": "implementationScheme",
    "補助対象": "subsidyTarget",
    "補助率": "rate",
    "計画年度": "planPeriod",
}
"""The key-fact labels read, and the ``cbkg:`` property of each."""
_FACT_RE = re.compile(
    r"^(?:[-・●○◆]\s*)?(?:[ア-ン]\s+)?(?:[(（]\s*(?P<p>[^()（）]{2,12}?)\s*[)）]\s*[:：]?|(?P<c>[^\s()（）:：]{2,8})\s*[:：])\s*(?P<v>.*)$"
)
_PERIOD_YEAR = re.compile(r"(令和|平成)\s*(元|\d{1,2})\s*年度?|(\d{4})\s*年度?")


@dataclass(frozen=True, slots=True)
class Fact:
    """A key fact: its label and value as written, and what they say.

    ``prop`` is the ``cbkg:`` property of the label (:data:`FACT_LABELS`); ``stated`` the value with the label's
    qualifier (``補助率（③のみ） 1/2`` → ``（③のみ） 1/2``); ``rate`` a 補助率 as a number when it is one;
    ``start_year`` / ``end_year`` the fiscal years of a 計画年度."""

    kind: str
    value: str
    lines: tuple[int, ...]
    prop: str
    stated: str
    rate: Decimal | None = None
    start_year: int | None = None
    end_year: int | None = None


def _base_label(label: str) -> str:
    return re.sub(r"[(（].*$", "", nz.nfkc(label)).strip()


def fact_at(raw: str) -> tuple[str, str] | None:
    """``(label, value)`` if the line is a key-fact line such as ``(事業主体) NICT`` or ``○補助率：１／２``
    (both as written)."""
    m = _FACT_RE.match(as_written(raw))
    if m is None:
        return None
    label = (m.group("p") or m.group("c") or "").strip()
    if _base_label(label) not in FACT_LABELS:
        return None
    return label, m.group("v").strip()


def plan_years(value: str) -> tuple[int | None, int | None]:
    """(start, end) fiscal years of a 計画年度: ``令和元年度～令和7年度``, ``平成30年度～`` (no end),
    ``令和６年度、令和７年度``."""
    v = nz.nfkc(value)
    years: list[int] = []
    for m in _PERIOD_YEAR.finditer(v):
        try:
            years.append(nz.era_year(m.group(1), m.group(2)) if m.group(1) else int(m.group(3)))
        except nz.NormalizeError:
            return None, None
    if not years:
        return None, None
    if len(years) == 1:
        open_end = bool(re.search(r"[～〜~\-－]\s*$", v.strip()))
        return years[0], (None if open_end else years[0])
    return min(years), max(years)


def make_fact(label: str, value: str, lines: tuple[int, ...]) -> Fact:
    """A key fact read from its label and value as written (the label one of :data:`FACT_LABELS`)."""
    base = _base_label(label)
    prop = FACT_LABELS[base]
    qualifier = label[len(base) :].strip() if nz.nfkc(label).startswith(base) else ""
    stated = f"{qualifier} {value}" if qualifier else value
    if not value:
        return Fact(label, value, lines, prop, stated)
    if prop == "rate":
        return Fact(label, value, lines, prop, stated, rate=nz.parse_fraction(stated))
    if prop == "planPeriod":
        start, end = plan_years(stated)
        return Fact(label, value, lines, prop, stated, start_year=start, end_year=end)
    return Fact(label, value, lines, prop, stated)


def _whole_bracket(text: str) -> bool:
    """True if the text is one bracketed expression (``（NICT）``, ``（…を含む。）``)."""
    if not text or text[0] not in "(（" or text[-1] not in ")）":
        return False
    depth = 0
    for k, ch in enumerate(text):
        depth += ch in "(（"
        depth -= ch in ")）"
        if depth == 0 and k < len(text) - 1:
            return False
    return depth == 0


def read_facts(lines: Sequence[str], numbers: Sequence[int]) -> tuple[list[Fact], set[int]]:
    """Key facts in the given lines, and the lines they use.  A value continues on the next line when that line is
    one bracketed expression (``（NICT）``) or the value ends with 、."""
    facts: list[Fact] = []
    used: set[int] = set()
    ordered = list(numbers)
    i = 0
    while i < len(ordered):
        n = ordered[i]
        hit = fact_at(lines[n - 1])
        if hit is None:
            i += 1
            continue
        label, value = hit
        got = [n]
        j = i + 1
        while j < len(ordered) and ordered[j] == got[-1] + 1 and value:
            nxt = as_written(lines[ordered[j] - 1])
            if not nxt or fact_at(nxt) or find_figures(nxt, 0) or find_labels(nxt, 0, None):
                break
            if not (_whole_bracket(nxt) or value.endswith(("、", "，", ","))):
                break
            value += nxt
            got.append(ordered[j])
            j += 1
        facts.append(make_fact(label, value, tuple(got)))
        used.update(got)
        i = j
    return facts, used


def fact_issues(fact: Fact) -> list[LoadIssue]:
    """Load issues of a key fact (a label without a value)."""
    if fact.value:
        return []
    return [
        LoadIssue(
            "fact-not-mapped",
            f"key fact ({fact.kind}) without a value on its line; not mapped",
            "warning",
            line=fact.lines[0],
            value=fact.kind,
        )
    ]
