"""Pure parts of identity resolution: name keys, name similarity, candidate retrieval, constrained grouping.

Nothing here touches a store: :mod:`graph.identity` feeds records in and writes the outcome as RDF.

* :func:`name_key` normalises a program name for comparison (NFKC, variant kanji, RS annotations after
  ``／``, a leading ``【省庁】``, punctuation and spaces dropped).
* :func:`similarity` scores two keys in [0, 1] (1 = same key); :data:`MERGE` and :data:`CANDIDATE` are the
  thresholds above which a name match merges, or is only reported as a candidate (``skos:closeMatch``).
* :class:`NameIndex` retrieves likely candidates by shared character bigrams, so matching stays fast on
  many thousands of sheets.
* :class:`Groups` is a union-find over sheets that refuses merges putting two sheets of one year, or two
  different 予算事業ID programs, into one program; refusals are kept as conflicts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

MERGE = 0.9
"""Name similarity at or above which two same-ministry names are taken as one program (recorded as such)."""
CANDIDATE = 0.75
"""Name similarity at or above which a non-merged pair is reported as a candidate (``skos:closeMatch``)."""

_VARIANTS = str.maketrans(
    {"靱": "靭", "髙": "高", "﨑": "崎", "德": "徳", "邊": "辺", "邉": "辺", "濵": "浜", "ヶ": "ケ"}
)
_NOISE = re.compile(r"[\s・･、，,。．.「」『』()（）\[\]［］【】〈〉《》<>〔〕\"'“”‘’\-－ー―‐~〜～:：;；/／]")


_FORMER = re.compile(r"[（(]\s*旧\s*[:：]?\s*([^（()）]+?)\s*[）)]")
_GENERIC_TAIL = re.compile(r"(?:等|の|に係る|に要する|に必要な|関係|関連|事業|経費|費|推進)+$")


def former_names(name: str) -> list[str]:
    """Former names a label records, e.g. ``経済安全保障政策専門員等経費（旧サイバー政策専門員）`` →
    ``["サイバー政策専門員"]`` (RS and JUDGIT sheets note renames this way)."""
    text = unicodedata.normalize("NFKC", name)
    return [m.group(1) for m in _FORMER.finditer(text) if len(m.group(1)) >= 4]


def core_key(key: str) -> str:
    """A name key without generic tails (経費, 事業, 等 …): ``サイバー政策専門員経費`` and ``サイバー政策専門員``
    share the core ``サイバー政策専門員``."""
    core = _GENERIC_TAIL.sub("", key)
    return core if len(core) >= 4 else key


def name_key(name: str) -> str:
    """A comparison key for a program or item name.

    ``【総務省】地域セキュリティコミュニティの強化支援`` → ``地域セキュリティコミュニティの強化支援``;
    ``…地域情報発信力強化事業／（旧 放送コンテンツ…）`` → ``…地域情報発信力強化事業`` (RS notes dropped);
    ``産業サイバーセキュリティ強靱化事業`` and ``…強靭化事業`` give the same key.
    """
    text = unicodedata.normalize("NFKC", name).translate(_VARIANTS)
    text = re.sub(r"^\s*[【\[][^】\]]{1,20}[】\]]\s*", "", text)
    text = _FORMER.sub("", text)
    text = text.split("/", 1)[0] if "/" in text[4:] else text  # RS notes after ／ (NFKC: /)
    return _NOISE.sub("", text).lower()


def similarity(a: str, b: str) -> float:
    """Similarity of two name keys: 1.0 when equal, 0.95 when equal but for a generic tail (経費, 事業 …),
    else difflib's ratio (2·matches / total length)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    if core_key(a) == core_key(b):
        return 0.95
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _bigrams(key: str) -> set[str]:
    return {key[i : i + 2] for i in range(len(key) - 1)} or {key}


class NameIndex:
    """Names (keys) of things, retrievable by shared bigrams within a block (e.g. a ministry)."""

    def __init__(self) -> None:
        self._postings: defaultdict[tuple[str, str], set[int]] = defaultdict(set)
        self._entries: list[tuple[str, str, str]] = []  # (block, key, owner)

    def add(self, block: str, key: str, owner: str) -> None:
        i = len(self._entries)
        self._entries.append((block, key, owner))
        for g in _bigrams(key):
            self._postings[(block, g)].add(i)

    def candidates(
        self, block: str, key: str, limit: int = 8, skip: Callable[[str], bool] | None = None
    ) -> list[tuple[float, str, str]]:
        """Up to ``limit`` best ``(score, owner, matched key)`` in ``block``, best first (ties by owner);
        owners for which ``skip`` is true (e.g. the same group) are left out before the limit applies."""
        counts: Counter[int] = Counter()
        for g in _bigrams(key):
            counts.update(self._postings.get((block, g), ()))
        shortlist = [i for i, _ in counts.most_common() if skip is None or not skip(self._entries[i][2])]
        shortlist = shortlist[: limit * 4]
        best: dict[str, tuple[float, str]] = {}
        for i in shortlist:
            _, other, owner = self._entries[i]
            s = similarity(key, other)
            if owner not in best or s > best[owner][0]:
                best[owner] = (s, other)
        ranked = sorted(((s, owner, k) for owner, (s, k) in best.items()), key=lambda x: (-x[0], x[1]))
        return ranked[:limit]


@dataclass
class Edge:
    """Why a member joined its group: the method, score and the member it was matched with."""

    method: str
    score: float
    other: str


@dataclass
class Conflict:
    """A merge that was refused, with the reason and the members involved."""

    reason: str
    members: tuple[str, ...]
    method: str
    score: float


@dataclass
class _Group:
    members: list[str]
    years: set[int]
    programs: set[str]


@dataclass
class Groups:
    """Union-find over sheets; a group is one program.  Merges that would put two sheets of the same year or
    two different registered programs (予算事業ID) into one group are refused and recorded."""

    _parent: dict[str, str] = field(default_factory=dict)
    _groups: dict[str, _Group] = field(default_factory=dict)
    accepted: list[tuple[str, str, str, float]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def add(self, member: str, year: int, program: str | None) -> None:
        if member not in self._parent:
            self._parent[member] = member
            self._groups[member] = _Group([member], {year}, {program} if program else set())

    def find(self, member: str) -> str:
        root = member
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[member] != root:
            self._parent[member], member = root, self._parent[member]
        return root

    def group(self, member: str) -> _Group:
        return self._groups[self.find(member)]

    def union(self, a: str, b: str, method: str, score: float, *, report: bool = True) -> bool:
        """Merge the groups of ``a`` and ``b``; False if refused (recorded as a conflict when ``report``)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ga, gb = self._groups[ra], self._groups[rb]
        reason = None
        if ga.years & gb.years:
            reason = f"both have a sheet for {min(ga.years & gb.years)}"
        elif len(ga.programs | gb.programs) > 1:
            reason = "they belong to different registered programs (予算事業ID)"
        if reason is not None:
            if report:
                self.conflicts.append(Conflict(reason, (a, b), method, score))
            return False
        self.accepted.append((a, b, method, score))
        big, small = (ra, rb) if len(ga.members) >= len(gb.members) else (rb, ra)
        self._parent[small] = big
        gbig, gsmall = self._groups[big], self._groups.pop(small)
        gbig.members += gsmall.members
        gbig.years |= gsmall.years
        gbig.programs |= gsmall.programs
        return True

    def roots(self) -> list[str]:
        return sorted(self._groups)

    def members(self, root: str) -> list[str]:
        return sorted(self._groups[root].members)

    def program_of(self, root: str) -> str | None:
        progs = self._groups[root].programs
        return next(iter(progs)) if len(progs) == 1 else None

    def explain(self, root: str, anchors: Iterable[str]) -> dict[str, Edge]:
        """How each member of a group is connected to its anchors (breadth-first over the accepted merges,
        strongest first): ``member → Edge(method, score, neighbour)``; anchors themselves are absent."""
        members = set(self._groups[root].members)
        adj: defaultdict[str, list[tuple[float, str, str]]] = defaultdict(list)
        for a, b, method, score in self.accepted:
            if a in members:
                adj[a].append((score, method, b))
                adj[b].append((score, method, a))
        out: dict[str, Edge] = {}
        frontier = sorted(a for a in anchors if a in members)
        seen = set(frontier)
        while frontier:
            nxt: list[str] = []
            for node in frontier:
                for score, method, other in sorted(adj[node], key=lambda e: (-e[0], e[1], e[2])):
                    if other not in seen:
                        seen.add(other)
                        out[other] = Edge(method, score, node)
                        nxt.append(other)
            frontier = sorted(nxt)
        return out


def best_label(labels: Iterable[tuple[int, str]]) -> str | None:
    """The label of the latest year (ties: lexical order), for naming a program after its newest sheet."""
    items = sorted(labels, key=lambda x: (-x[0], x[1]))
    return items[0][1] if items else None
