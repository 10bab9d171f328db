"""Citations in running text (the description pages of budget documents): the provisions a sentence cites and
the laws it names, read with the grammar of :mod:`.grammar`."""

from __future__ import annotations

import re

from .grammar import (
    _ART,
    _BARE,
    _CARRY,
    _CIRC,
    _GLOSS,
    _ITEM,
    _PARA,
    _RANGE,
    _SEP,
    _SUB,
    _TEXT,
    _normalise,
    _Scanner,
)

_LAW_BEFORE_RE = re.compile(r"[「『]?([^\s、。「」『』（）()※]{2,40}?(?:法律|法|令|規則))[」』]?\s*$")
_LAW_NAMED_RE = re.compile(r"[「『]?([^\s、。「」『』（）()※]{2,40}?(?:法律|法))[」』]?")
_LEAD_IN_RE = re.compile(r"^.*?(?:した|された|では|には|において|における)")
_BASED_ON_RE = re.compile(r"[「『]?([^\s、。「」『』]{2,60}?(?:法律|法))[」』]?(?:（[^）]*）)?(?:※)?に基づ")
_MENTION_PARTS = frozenset({_PARA, _CIRC, _ITEM, _BARE, _SUB})


def provision_spans(text: str) -> list[tuple[int, int]]:
    """Spans (into ``text``) of the provisions a sentence cites, read with the grammar of :func:`parse_citations`.

    A span is one article written with 第 (``第26条``, ``第二十六条``, a range ``第2条から第4条まで``) and the
    paragraph, items and sub-items written right after it (``第26条①2``, ``第31条第1項``, ``第1号及び同項第3号``):
    in running text a number before 条 without 第 is no article, and each article starts a span of its own.
    Provisions inside a parenthesis or a quotation are read too."""
    if "条" not in text and "條" not in text:
        return []
    t, idx = _normalise(text)
    spans = _mentions(_Scanner(t), t, 0, len(t))
    return [(idx[s], idx[e - 1] + 1) for s, e in spans]


def _mentions(sc: _Scanner, t: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans (in the normalised text) of :func:`provision_spans` between ``start`` and ``end``."""
    spans: list[tuple[int, int]] = []
    cur: list[int] | None = None  # [start, end] of the span being read
    joined = False  # a connector (及び, 、, 同項 …) since the last provision of the span
    for tok in sc.scan(start, end):
        k = tok.kind
        is_article = k == _ART or (k == _RANGE and tok.unit == "条")
        is_part = k in _MENTION_PARTS or (k == _RANGE and tok.unit in ("項", "号"))
        if is_article and "第" in t[tok.start : tok.end].split("条", 1)[0]:
            if cur is not None:
                spans.append((cur[0], cur[1]))
            cur, joined = [tok.start, tok.end], False
        elif cur is not None and is_part and (not joined or k in (_ITEM, _RANGE)):
            cur[1], joined = tok.end, False
        elif cur is not None and k in (_SEP, _CARRY) and (k == _CARRY or t[tok.start : tok.end].strip()):
            joined = True
        elif k != _SEP:  # anything else ends the span (white space does not)
            if cur is not None:
                spans.append((cur[0], cur[1]))
                cur = None
            if k in (_GLOSS, _TEXT) and t[tok.start] in "(「" and tok.end - tok.start > 2:
                spans += _mentions(sc, t, tok.start + 1, tok.end - 1)  # a note, a quotation, a name's bracket
    if cur is not None:
        spans.append((cur[0], cur[1]))
    return spans


def law_before(text: str) -> str | None:
    """The law-like name (…法律, …法, …令, …規則; 「」 dropped) that running text ends with, as written: the law of
    a provision cited right after it.  None when the text does not end with one."""
    m = _LAW_BEFORE_RE.search(text)
    return m.group(1) if m else None


def law_names(text: str) -> list[str]:
    """Law-like names (…法律, …法) mentioned in running text, in order; the laws an amending act names
    (``サイバーセキュリティ基本法の一部を改正する法律``) are not mentions of those laws."""
    amending = "の一部を改正する"
    return [m.group(1) for m in _LAW_NAMED_RE.finditer(text) if not text[m.end() :].startswith(amending)]


def bases_named(text: str) -> list[str]:
    """Laws running text names as a basis (``「…法」に基づき``) with no article cited with them; the lead-in of the
    sentence (``…では``, ``…において``) is not part of the name."""
    return [
        _LEAD_IN_RE.sub("", m.group(1))
        for m in _BASED_ON_RE.finditer(text)
        if not provision_spans(text[m.start() : m.end() + 20])
    ]
