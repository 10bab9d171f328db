"""Numbers and headings of law text (kanji numerals, 第…条 headings, printed labels) and source fragments."""

from __future__ import annotations

import re
from urllib.parse import quote

from .. import normalize as nz

_KD = "〇一二三四五六七八九"


def kanji_numeral(n: int) -> str:
    """Kanji numeral as written in law headings: 30 → 三十, 111 → 百十一, 1000 → 千."""
    if n <= 0:
        return _KD[0]
    if n >= 10000:
        high, low = divmod(n, 10000)
        return kanji_numeral(high) + "万" + (kanji_numeral(low) if low else "")
    out = ""
    for unit, ch in ((1000, "千"), (100, "百"), (10, "十")):
        d, n = divmod(n, unit)
        if d:
            out += ("" if d == 1 else _KD[d]) + ch
    if n:
        out += _KD[n]
    return out


def article_heading(number: str) -> str | None:
    """The heading of an article from its canonical number: ``30-2`` → 第三十条の二."""
    parts = number.split("-")
    if not all(p.isdigit() and int(p) > 0 for p in parts):
        return None
    head, *branches = (int(p) for p in parts)
    return f"第{kanji_numeral(head)}条" + "".join(f"の{kanji_numeral(b)}" for b in branches)


_LABEL = re.compile(
    r"第([0-9０-９〇一二三四五六七八九十百千]+)([編章節款目])((?:[のノ][0-9０-９〇一二三四五六七八九十百千]+)*)"
    r"[\s\u3000]*(.*)",
    re.S,
)


def split_division_title(text: str) -> tuple[str | None, str | None]:
    """``第四章　サイバーセキュリティ戦略本部`` → (canonical number ``4``, name ``サイバーセキュリティ戦略本部``)."""
    m = _LABEL.fullmatch(text.strip())
    if m is None:
        return None, text.strip() or None
    try:
        nums = [nz.kanji_to_int(m.group(1))] + [nz.kanji_to_int(b) for b in re.split(r"[のノ]", m.group(3))[1:]]
    except nz.NormalizeError:
        return None, m.group(4).strip() or None
    return "-".join(str(n) for n in nums), m.group(4).strip() or None


def label_number(kind: str, label: str) -> str | None:
    """The canonical number a printed label states (None when it states none or cannot be read)."""
    label = label.strip()
    if not label:
        return None
    try:
        if kind == "article":
            return nz.parse_article(label)
        if kind == "paragraph":
            return nz.parse_paragraph(label)
        if kind == "item":
            items = nz.parse_item(label)
            return items[0][0] if len(items) == 1 and items[0][1] is None else None
    except nz.NormalizeError:
        return None
    if kind in ("part", "chapter", "section", "subsection", "division"):
        return split_division_title(label)[0]
    return None


def fragment(s: str) -> str:
    """``s`` percent-encoded for an IRI fragment (the characters RFC 3986 allows unencoded in a fragment are kept)."""
    return quote(s, safe="/()=:@!$&'*+,;-._~?")


def json_pointer(*tokens: str | int) -> str:
    """An RFC 6901 JSON Pointer, escaped and percent-encoded for an IRI fragment."""
    return fragment("".join("/" + str(tok).replace("~", "~0").replace("/", "~1") for tok in tokens))
