"""Reading a budget document's text: decoding, markup, NFKC with a map back to the text as written, and names."""

from __future__ import annotations

import codecs
import difflib
import re
import unicodedata
from collections.abc import Sequence

from ontology.registers import org_register

from .. import normalize as nz
from ..base import LoadIssue, SourceUnit

_BOM = codecs.BOM_UTF8


def head_text(head: bytes) -> str:
    """The first bytes of a file as text (UTF-8 with or without BOM, else CP932; undecodable bytes dropped)."""
    while head.startswith(_BOM):
        head = head[len(_BOM) :]
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a character cut by the sniffing window
            return head[: exc.start].decode("utf-8", errors="ignore")
    try:
        return head.decode("cp932")
    except UnicodeDecodeError:
        return head.decode("utf-8", errors="ignore")


def head_lines(head: bytes) -> list[str]:
    """The lines of the first bytes of a file (for the graph key)."""
    return head_text(head).replace("\r\n", "\n").split("\n")


def read_lines(unit: SourceUnit) -> tuple[list[str], list[LoadIssue]]:
    """The lines of a text unit (``\\r\\n``/``\\r`` folded) and load issues about its encoding."""
    with unit.open() as fh:
        data = fh.read()
    issues: list[LoadIssue] = []
    while data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp932")
            issues.append(LoadIssue("cp932", "file is not UTF-8; decoded as Shift_JIS (CP932)", "info"))
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="replace")
            where = "at the end of the file (truncated?)" if exc.start > len(data) - 4 else f"at byte {exc.start}"
            issues.append(
                LoadIssue(
                    "text-encoding",
                    f"invalid UTF-8 {where}; undecodable bytes replaced by U+FFFD",
                    "warning",
                    line=text.count("\n", 0, len(data[: exc.start].decode("utf-8", errors="replace"))) + 1,
                )
            )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n"), issues


CIRCLED = "".join(chr(0x2460 + i) for i in range(20))
"""The circled numbers ``①`` … ``⑳``."""


def nfkc_keep_circled(s: str) -> str:
    """NFKC, except circled numbers (``①`` after an article is its paragraph: ``第26条①2``)."""
    return "".join(ch if ch in CIRCLED else unicodedata.normalize("NFKC", ch) for ch in s)


def nfkc_map(s: str) -> tuple[str, list[int]]:
    """NFKC of ``s`` character by character, with the index in ``s`` of every output character."""
    if s.isascii():
        return s, list(range(len(s)))
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(s):
        n = unicodedata.normalize("NFKC", ch)
        out.append(n)
        idx.extend([i] * len(n))
    return "".join(out), idx


MARKUP = re.compile(r"</?b>|\*\*|^\s*#+\s*|^\s*-\s+(?=\S)")
"""Markdown/HTML markup of a text extraction: ``#`` headings, ``**``, ``<b>``, list dashes."""


def plain(s: str) -> str:
    """A line without Markdown/HTML markup (``#`` headings, ``**``, ``<b>``, list dashes), NFKC, trimmed."""
    return MARKUP.sub("", nz.nfkc(s)).strip()


def as_written(raw: str) -> str:
    """A line as written, without Markdown/HTML markup and surrounding space (not NFKC-normalised)."""
    return (nz.clean(MARKUP.sub("", raw)) or "").strip()


def era_of(lines: Sequence[str]) -> str:
    """The era the document writes years in (for ``6年度`` without era)."""
    for raw in lines[:200]:
        m = re.search(r"(令和|平成)", raw)
        if m:
            return m.group(1)
    return "令和"


# -- names ---------------------------------------------------------------------------------------------------------
_LEAD = re.compile(rf"^[\s{CIRCLED}・●○◎◆◇■□▶▷➢⚫※✓\-－―]+")
_ACRONYM_PAREN = re.compile(r"[(（]\s*[A-Za-z][A-Za-z0-9\-/ ]*[)）]")
_PAGE_NO = re.compile(r"\s+\d{1,3}$")
_KEY_DROP = re.compile(r"[\s「」『』“”\"'・、,.:：;；\-－―()（）]")
_LEAD_TAGS = re.compile(r"^(?:\s*(?:[(（]\s*\d{1,2}\s*[)）]|【[^】]{1,12}】|\d{1,2}\s+))+")


def name_text(raw: str) -> str:
    """A name as written, without bullets, circled numbers, markup and a trailing page number."""
    s = _LEAD.sub("", MARKUP.sub("", raw.strip()))
    s = nz.clean(s) or ""
    return _PAGE_NO.sub("", s)


def name_key(raw: str) -> str:
    """The comparison key of a name: NFKC, without bullets, list numbers, 【tags】, acronyms in brackets, spaces
    and punctuation."""
    s = _LEAD.sub("", MARKUP.sub("", raw.strip()))
    s = _PAGE_NO.sub("", nz.nfkc(s).strip())
    s = _LEAD_TAGS.sub("", s)
    s = _ACRONYM_PAREN.sub("", s)
    return _KEY_DROP.sub("", s)


def name_score(line_key: str, item_key: str) -> int:
    """How well a line names an item: 3 equal, 2 the line starts with the name (or is most of its beginning),
    1 nearly equal (a character or two differ), 0 not."""
    if not line_key or not item_key:
        return 0
    if line_key == item_key:
        return 3
    short = min(len(line_key), len(item_key))
    if short >= 8 and line_key.startswith(item_key):
        return 2
    if short >= 8 and item_key.startswith(line_key) and len(line_key) >= 0.8 * len(item_key):
        return 2
    if short >= 8 and difflib.SequenceMatcher(None, line_key, item_key).ratio() >= 0.88:
        return 1
    return 0


def best_match(line_key: str, keys: Sequence[tuple[int, str]], minimum: int = 1) -> int | None:
    """The one item (by id) the line names best (score ≥ ``minimum``); None if none or a tie."""
    best, who = 0, []
    for ident, key in keys:
        s = name_score(line_key, key)
        if s < minimum:
            continue
        if s > best:
            best, who = s, [ident]
        elif s == best and s > 0 and ident not in who:
            who.append(ident)
    if not best or len(who) != 1:
        return None
    if best == 2:  # the line starts with the name: the rest must not name another item (two names run together)
        key = dict(keys)[who[0]]
        rest = line_key[len(key) :] if line_key.startswith(key) else ""
        if rest and any(name_score(rest, k) >= 2 for i, k in keys if i != who[0]):
            return None
    return who[0]


def resolve_ministry(name: str) -> tuple[str | None, bool]:
    """The register name of a ministry as written (``個人情報保護委`` → ``個人情報保護委員会`` by unique prefix).

    Returns (name, abbreviated); (None, False) if the register knows no such organisation."""
    reg = org_register()
    key = nz.nfkc(name).strip()
    if reg.resolve(key) is not None:
        return key, False
    if len(key) >= 3:
        hits = {slug for label, slug in reg.by_label.items() if label.startswith(key)}
        if len(hits) == 1:
            return reg.entries[hits.pop()].name_ja, True
    return None, False
