"""Loader ``nisc_summary``: NISC summaries of the government cybersecurity budget (text extractions of the PDFs).

A summary (政府のサイバーセキュリティに関する予算) gives the overall total of one fiscal year with a comparison,
a table of the main programs by strategy area (``(1)`` … ``(5)``; one ``【省庁】`` row per program, one column per
budget: ``令和6年度 当初予算`` | ``令和5年度 補正予算`` | …) and, after the table, one description page per program.
Everything is read by structure, never by line numbers, so another year's summary loads the same way:

* **columns** — a header line whose tab-separated cells are budget labels, or (jumbled PDF text) a run of
  two-line labels ``令和２年度`` / ``予算政府案`` anywhere in the file.  Rows with fewer figures than columns are
  read into the non-supplementary columns when the counts fit exactly (a ``column-inferred`` warning);
* **items** — ``【省庁】name  cells`` (tab- or space-separated; the name may run over several lines), each under
  the last area row; ``—`` / ``－`` cells are no figure; the ministry is resolved with the organisation register
  (an abbreviation such as ``個人情報保護委`` by unique prefix, with a warning);
* **areas** — ``(n) name`` rows carrying one parenthesised total per column, or ``(n) name`` + ``(X億円：Y%)``
  (the share is checked against the headline total before the figure is read as that total);
* **totals** — the figures with budget labels before the first description page (``令和6年度予算額 2,128.6億円``,
  ``(令和5年度当初予算額 1,378.9億円)`` = the comparison);
* **descriptions** — split into blocks at headings, page breaks and lines naming an item; a block belongs to the
  item its heading names, else to the one item its figures fit (``令和6年度予算額1,584百万円`` ≈ 15.8億円), else to
  the previous block's item.  From a block: key facts (``(事業主体)``, ``(補助率)``, ``(計画年度)``,
  ``(事業スキーム)``, ``(補助対象)``), legal articles cited (``第26条①2``, ``サイバーセキュリティ基本法第31条第1項``,
  resolved with :mod:`loaders.legal` against the law named next to the article or in the item's pages), and
  figures for budgets the table does not have (``令和4年度二次補正 2,000百万円``).

Amounts are exact yen (``億円`` × 10⁸, ``百万円`` × 10⁶, ``千円`` × 10³) with the figure as written.  Nothing is
dropped silently: figures that are not mapped become load issues (one per figure); narrative text without figures
is summarised in one ``text-not-mapped`` issue per document.

The helpers in the first part of this module (reading text, figures, budget labels, names, key facts, legal
citations, block attribution) are shared with :mod:`loaders.bureau_deck`.
"""

from __future__ import annotations

import codecs
import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.laws import law_register
from ontology.namespaces import DCTERMS, QB, SKOS
from ontology.registers import org_register
from ontology.terms import IRI, Triple

from . import common, legal
from . import normalize as nz
from .base import LoadIssue, MapContext, SourceUnit, issue_triples

NAME = "nisc_summary"
VERSION = "1.0.0"
TITLE = "NISC summary of the government cybersecurity budget (政府のサイバーセキュリティに関する予算, text)"
__all__ = [
    "NAME",
    "TITLE",
    "VERSION",
    "Area",
    "BudgetCell",
    "Item",
    "ItemCitation",
    "ItemFact",
    "ItemFigure",
    "SummaryDoc",
    "Total",
    "cost",
    "declarations",
    "detect",
    "graph_key",
    "parse",
    "to_triples",
    "units",
]

# ============================================================================================================
# Shared text helpers (also used by loaders.bureau_deck)
# ============================================================================================================

_BOM = codecs.BOM_UTF8
TYPE = t.RDF_TYPE
DERIVED = IRI("http://www.w3.org/ns/prov#wasDerivedFrom")
LABEL = IRI("http://www.w3.org/2000/01/rdf-schema#label")
DCT_TITLE = IRI(DCTERMS + "title")
DCT_PART_OF = IRI(DCTERMS + "isPartOf")
SKOS_CONCEPT = IRI(SKOS + "Concept")
SKOS_SCHEME = IRI(SKOS + "ConceptScheme")
SKOS_IN_SCHEME = IRI(SKOS + "inScheme")
SKOS_TOP = IRI(SKOS + "hasTopConcept")
SKOS_ALT = IRI(SKOS + "altLabel")
QB_SLICE = IRI(QB + "slice")
QB_SLICE_STRUCTURE = IRI(QB + "sliceStructure")
QB_OBSERVATION = IRI(QB + "observation")
TOTAL_ACCOUNT = code("account", "total")

UNITS: dict[str, tuple[int, str]] = {
    "億円": (10**8, "hundred-million-yen"),
    "百万円": (10**6, "million-yen"),
    "千円": (10**3, "thousand-yen"),
    "円": (1, "yen"),
}
"""Amount unit as written → (yen factor, ``code/unit`` notation)."""


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


def nfkc_keep_circled(s: str) -> str:
    """NFKC, except circled numbers (``①`` after an article is its paragraph: ``第26条①2``)."""
    return "".join(ch if ch in _CIRCLED else unicodedata.normalize("NFKC", ch) for ch in s)


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


_MARKUP = re.compile(r"</?b>|\*\*|^\s*#+\s*|^\s*-\s+(?=\S)")


def plain(s: str) -> str:
    """A line without Markdown/HTML markup (``#`` headings, ``**``, ``<b>``, list dashes), NFKC, trimmed."""
    return _MARKUP.sub("", nz.nfkc(s)).strip()


@dataclass(frozen=True, slots=True)
class Figure:
    """An amount as written: exact yen, the text as written, the unit and the precision written."""

    amount: Decimal
    written: str
    unit: str  # code/unit notation
    factor: int
    decimals: int
    line: int
    start: int = 0  # position in the NFKC line (for ordering)
    inner: bool = False  # "…の内数": a total that includes the item, not the item's amount
    approx: bool = False  # "約…"

    @property
    def tolerance(self) -> Decimal:
        """Half a unit of the last digit written (23.4億円 → 5,000,000 yen)."""
        return Decimal(self.factor) * Decimal(10) ** -self.decimals / 2


_NUM = r"\d+(?:\s*[,.]\s*\d+)*"
AMOUNT_RE = re.compile(
    rf"(?<![\d.,])(?P<neg>[▲△]\s*)?(?P<num>{_NUM})\s*(?P<unit>億円|百万円|千円|円)(?P<inner>\s*の内数)?"
)
DASHES = "—―-‐‑‒–−ー─━"
_DASH_CLASS = "".join(re.escape(c) for c in DASHES)


def find_figures(raw: str, line: int) -> list[Figure]:
    """All amounts with a unit in one line (``2, 128. 6億円``, ``８３４．２億円``, ``1,584百万円``)."""
    if "円" not in raw:
        return []
    norm, idx = nfkc_map(raw)
    out: list[Figure] = []
    for m in AMOUNT_RE.finditer(norm):
        num = re.sub(r"\s+", "", m.group("num"))
        if num.count(".") > 1:
            continue
        unit = m.group("unit")
        factor, notation = UNITS[unit]
        try:
            amount = nz.parse_amount(("-" if m.group("neg") else "") + num, factor)
        except nz.NormalizeError:
            continue
        s, e = m.start(), m.end("unit")
        written = raw[idx[s] : idx[e - 1] + 1]
        decimals = len(num.split(".", 1)[1]) if "." in num else 0
        approx = norm[max(0, s - 1) : s] == "約"
        out.append(Figure(amount, written, notation, factor, decimals, line, s, bool(m.group("inner")), approx))
    return out


def parse_cell(raw: str, line: int) -> Figure | str | None:
    """A table cell: a :class:`Figure`, ``None`` for a dash/blank (no figure), or the cell text if unreadable."""
    text = plain(raw)
    text = text.strip("()（） \u3000")
    if not text or all(ch in DASHES or ch.isspace() for ch in text):
        return None
    figs = find_figures(raw, line)
    if len(figs) == 1 and not figs[0].inner:
        rest = AMOUNT_RE.sub("", nz.nfkc(text)).strip("()（） \u3000")
        if not rest:
            return figs[0]
    return raw.strip()


# -- budget labels ----------------------------------------------------------------------------------------------
_STAGE_WORDS = r"(?:第?\s*[\d一二三四五]\s*次\s*|当初|補正|概算|予算|要求|政府案|案|額|\s)*"
LABEL_RE = re.compile(
    r"(?:(?P<era>令和|平成|R|H)\s*(?P<y>元|\d{1,2})|(?P<rel>前|本|今|翌)|(?<![\d年])(?P<g>\d{4})|(?<![\d和成])(?P<y2>\d{1,2}))"
    rf"\s*年度\s*(?P<stage>{_STAGE_WORDS})"
)
_ORDINAL = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


@dataclass(frozen=True, slots=True)
class Label:
    """A budget label: the fiscal year and stage it names (``令和5年度 補正予算`` → 2023, supplementary)."""

    year: int
    stage: str  # code/budget-stage notation
    written: str
    line: int
    start: int = 0
    end: int = 0


def stage_of(words: str) -> str | None:
    """The budget stage named by the words after ``…年度`` (None if they name none)."""
    w = re.sub(r"\s+", "", words)
    if "要求" in w:
        return "request"
    if "補正" in w:
        m = re.search(r"([\d一二三四五])次", w)
        if m:
            n = _ORDINAL.get(m.group(1)) or int(m.group(1))
            return f"supplementary-{n}"
        return "supplementary"
    if any(k in w for k in ("当初", "予算", "政府案")):
        return "initial"
    return None


def find_labels(raw: str, line: int, fy: int | None, era: str = "令和") -> list[Label]:
    """All budget labels in one line; ``fy`` resolves 前年度/本年度 and years written without era (``6年度``)."""
    if "年度" not in raw:
        return []
    norm, idx = nfkc_map(raw)
    out: list[Label] = []
    for m in LABEL_RE.finditer(norm):
        stage = stage_of(m.group("stage"))
        if stage is None:
            continue
        try:
            if m.group("era"):
                e = {"R": "令和", "H": "平成"}.get(m.group("era"), m.group("era"))
                year = nz.era_year(e, m.group("y"))
            elif m.group("g"):
                year = int(m.group("g"))
            elif m.group("y2"):
                year = nz.era_year(era, m.group("y2"))
            else:
                if fy is None:
                    continue
                year = fy - 1 if m.group("rel") == "前" else fy + 1 if m.group("rel") == "翌" else fy
        except nz.NormalizeError:
            continue
        end = m.end("stage")
        while end > m.start() and norm[end - 1].isspace():
            end -= 1
        written = raw[idx[m.start()] : idx[end - 1] + 1]
        out.append(Label(year, stage, written, line, m.start(), end))
    return out


_HEADER_YEAR = re.compile(r"^(?:令和|平成)(?:元|\d{1,2})年度$")
_HEADER_STAGE = re.compile(r"^(?:当初予算|補正予算(?:案)?|予算政府案|予算案|概算要求(?:額)?|要求額|予算額)$")


def column_label(text: str, line: int, fy: int | None = None) -> Label | None:
    """A table header cell that is exactly one budget label (``令和6年度 当初予算``), else None."""
    p = plain(text)
    labels = find_labels(p, line, fy)
    if len(labels) != 1:
        return None
    lab = labels[0]
    rest = (p[: lab.start] + p[lab.end :]).strip(" ()（）")
    return lab if not rest else None


def era_of(lines: Sequence[str]) -> str:
    """The era the document writes years in (for ``6年度`` without era)."""
    for raw in lines[:200]:
        m = re.search(r"(令和|平成)", raw)
        if m:
            return m.group(1)
    return "令和"


# -- statements: labels paired with figures ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Statement:
    """A figure with the budget label it belongs to (``None`` when the text gives none) and its bracket state."""

    figure: Figure
    label: Label | None
    parenthesised: bool


def _open_paren(text: str, pos: int) -> bool:
    before = text[:pos]
    opened = max(before.rfind("("), before.rfind("（"))
    closed = max(before.rfind(")"), before.rfind("）"))
    return opened > closed


def is_prose(raw: str) -> bool:
    """True for a sentence (ends with 。, or long once figures and labels are removed)."""
    p = plain(raw)
    if "。" in p:
        return True
    rest = AMOUNT_RE.sub("", p)
    rest = LABEL_RE.sub("", rest)
    rest = re.sub(r"[\s()（）:：、,・<>＜＞【】\[\]]", "", rest)
    return len(rest) > 40


def statement_view(raw: str) -> str | None:
    """The part of a line that can state figures: the whole line unless it is prose; for a line holding a sentence
    and then a figure (``…を進める。 令和２年度予算政府案：３３．９億円``), the text after the last 。 (the sentence
    blanked out, so positions stay)."""
    if "。" in raw:
        head, _, tail = raw.rpartition("。")
        if tail.strip() and find_figures(tail, 0) and not is_prose(tail):
            return " " * (len(head) + 1) + tail
        return None
    return None if is_prose(raw) else raw


def pair_statements(lines: Sequence[str], numbers: Iterable[int], fy: int | None, era: str) -> list[Statement]:
    """Pair the labels and figures of the given lines (prose skipped, see :func:`statement_view`): a figure takes
    the nearest unpaired label before it (≤ 3 lines, no figure between), else the label right after it (≤ 2
    lines) when that label has no figure of its own.  A label left without a figure states nothing."""
    tokens: list[tuple[int, int, Label | Figure]] = []
    texts: dict[int, str] = {}
    for n in numbers:
        raw = statement_view(lines[n - 1])
        if raw is None:
            continue
        norm = nz.nfkc(raw)
        texts[n] = norm
        for lab in find_labels(raw, n, fy, era):
            tokens.append((n, lab.start, lab))
        for fig in find_figures(raw, n):
            tokens.append((n, fig.start, fig))
    tokens.sort(key=lambda x: (x[0], x[1]))
    paired: set[int] = set()
    out: list[Statement] = []
    for i, (n, _, tok) in enumerate(tokens):
        if not isinstance(tok, Figure):
            continue
        label: Label | None = None
        if i > 0:
            pn, _, prev = tokens[i - 1]
            if isinstance(prev, Label) and (i - 1) not in paired and n - pn <= 3:
                label = prev
                paired.add(i - 1)
        if label is None and i + 1 < len(tokens):
            nn, _, nxt = tokens[i + 1]
            own = i + 2 < len(tokens) and isinstance(tokens[i + 2][2], Figure) and tokens[i + 2][0] - nn <= 3
            if isinstance(nxt, Label) and (i + 1) not in paired and 0 <= nn - n <= 2 and not own:
                label = nxt
                paired.add(i + 1)
        anchor = label if label is not None else tok
        paren = _open_paren(texts[anchor.line], anchor.start)
        out.append(Statement(tok, label, paren))
    return out


def consistent(a: Figure | Decimal, b: Figure) -> bool:
    """True if two figures agree within the precision written (23億円 ≈ 23.4億円; 1,584百万円 ≈ 15.8億円)."""
    if isinstance(a, Figure):
        tol = max(a.tolerance, b.tolerance)
        return abs(a.amount - b.amount) <= tol
    return abs(a - b.amount) <= b.tolerance


# -- names ---------------------------------------------------------------------------------------------------------
_CIRCLED = "".join(chr(0x2460 + i) for i in range(20))
_LEAD = re.compile(rf"^[\s{_CIRCLED}・●○◎◆◇■□▶▷➢⚫※✓\-－―]+")
_ACRONYM_PAREN = re.compile(r"[(（]\s*[A-Za-z][A-Za-z0-9\-/ ]*[)）]")
_PAGE_NO = re.compile(r"\s+\d{1,3}$")
_KEY_DROP = re.compile(r"[\s「」『』“”\"'・、,.:：;；\-－―()（）]")


def name_text(raw: str) -> str:
    """A name as written, without bullets, circled numbers, markup and a trailing page number."""
    s = _LEAD.sub("", _MARKUP.sub("", raw.strip()))
    s = nz.clean(s) or ""
    return _PAGE_NO.sub("", s)


_LEAD_TAGS = re.compile(r"^(?:\s*(?:[(（]\s*\d{1,2}\s*[)）]|【[^】]{1,12}】|\d{1,2}\s+))+")


def name_key(raw: str) -> str:
    """The comparison key of a name: NFKC, without bullets, list numbers, 【tags】, acronyms in brackets, spaces
    and punctuation."""
    s = _LEAD.sub("", _MARKUP.sub("", raw.strip()))
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


# -- key facts -----------------------------------------------------------------------------------------------------
FACT_LABELS = {
    "事業主体": "implementingBody",
    "事業スキーム": "implementationScheme",
    "補助対象": "subsidyTarget",
    "補助率": "rate",
    "計画年度": "planPeriod",
}
_FACT_RE = re.compile(
    r"^(?:[-・●○◆]\s*)?(?:[ア-ン]\s+)?(?:[(（]\s*(?P<p>[^()（）]{2,12}?)\s*[)）]\s*[:：]?|(?P<c>[^\s()（）:：]{2,8})\s*[:：])\s*(?P<v>.*)$"
)


@dataclass(frozen=True, slots=True)
class Fact:
    """A key fact as written: ``kind`` is a key of :data:`FACT_LABELS` (or another label, not mapped)."""

    kind: str
    value: str
    lines: tuple[int, ...]


def as_written(raw: str) -> str:
    """A line as written, without Markdown/HTML markup and surrounding space (not NFKC-normalised)."""
    return (nz.clean(_MARKUP.sub("", raw)) or "").strip()


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


def fact_at(raw: str) -> tuple[str, str] | None:
    """``(label, value)`` if the line is a key-fact line such as ``(事業主体) NICT`` or ``○補助率：１／２``
    (both as written)."""
    m = _FACT_RE.match(as_written(raw))
    if m is None:
        return None
    label = (m.group("p") or m.group("c") or "").strip()
    base = re.sub(r"[(（].*$", "", nz.nfkc(label)).strip()
    if base not in FACT_LABELS:
        return None
    return label, m.group("v").strip()


def read_facts(lines: Sequence[str], numbers: Sequence[int]) -> tuple[list[Fact], set[int]]:
    """Key facts in the given lines.  A value continues on the next line when that line is one bracketed expression
    (``（NICT）``) or the value ends with 、."""
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
        facts.append(Fact(label, value, tuple(got)))
        used.update(got)
        i = j
    return facts, used


_PERIOD_YEAR = re.compile(r"(令和|平成)\s*(元|\d{1,2})\s*年度?|(\d{4})\s*年度?")


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


def fact_triples(node: IRI, fact: Fact, derived: Iterable[IRI]) -> Iterator[Triple]:
    """The triples of one key fact on an item."""
    base = re.sub(r"[(（].*$", "", nz.nfkc(fact.kind)).strip()
    prop = FACT_LABELS[base]
    qualifier = fact.kind[len(base) :].strip() if nz.nfkc(fact.kind).startswith(base) else ""
    value = f"{qualifier} {fact.value}" if qualifier else fact.value  # 補助率（③のみ） 1/2
    if prop == "rate":
        yield node, cbkg("rateAsWritten"), t.ja(value)
        rate = nz.parse_fraction(value)
        if rate is not None:
            yield node, cbkg("rate"), t.decimal(rate)
    elif prop == "planPeriod":
        yield node, cbkg("planPeriod"), t.ja(value)
        start, end = plan_years(value)
        if start is not None:
            yield node, cbkg("startYear"), t.gyear(start)
        if end is not None:
            yield node, cbkg("endYear"), t.gyear(end)
    else:
        yield node, cbkg(prop), t.ja(value)
    for d in derived:
        yield node, DERIVED, d


def fact_issues(fact: Fact) -> list[LoadIssue]:
    """Load issues of a key fact (a label without value; a qualified label such as 補助率（③のみ）)."""
    out: list[LoadIssue] = []
    if not fact.value:
        out.append(
            LoadIssue(
                "fact-not-mapped",
                f"key fact ({fact.kind}) without a value on its line; not mapped",
                "warning",
                line=fact.lines[0],
                value=fact.kind,
            )
        )
    return out


# -- legal citations in descriptions -------------------------------------------------------------------------------
_KNUM = "[0-9０-９〇一二三四五六七八九十百千]+"
PROVISION_RE = re.compile(
    rf"第\s*{_KNUM}\s*条(?:\s*の\s*{_KNUM})*"
    rf"(?:\s*(?:[{_CIRCLED}]|第\s*{_KNUM}\s*項))?"
    rf"(?:\s*(?:第\s*{_KNUM}\s*号|[0-9０-９]+(?![0-9０-９]*\s*[年月日条項%％]))"
    rf"(?:\s*(?:又は|及び|並びに|、|・)\s*(?:同項)?\s*第\s*{_KNUM}\s*号)*)?"
)
_LAW_BEFORE = re.compile(r"[「『]?([^\s、。「」『』（）()※]{2,40}?(?:法律|法|令|規則))[」』]?\s*$")
_LAW_NAMED = re.compile(r"[「『]?([^\s、。「」『』（）()※]{2,40}?(?:法律|法))[」』]?")
_LEAD_IN = re.compile(r"^.*?(?:した|された|では|には|において|における)")
_BASED_ON = re.compile(r"[「『]?([^\s、。「」『』]{2,60}?(?:法律|法))[」』]?(?:（[^）]*）)?(?:※)?に基づ")


@dataclass(frozen=True, slots=True)
class Cited:
    """A legal provision cited in a description: the resolved citation and how the law was found."""

    citation: legal.ResolvedCitation
    written: str
    law_written: str | None
    line: int


def laws_named(lines: Sequence[str], numbers: Iterable[int]) -> list[str]:
    """Law names (resolvable with the law register) mentioned in the given lines, in order, without repeats."""
    reg = law_register()
    out: list[str] = []
    for n in numbers:
        text = nz.nfkc(lines[n - 1])
        if "法" not in text:
            continue
        for m in _LAW_NAMED.finditer(text):
            name = m.group(1)
            if text[m.end() : m.end() + 8].startswith("の一部を改正する"):
                continue
            if reg.resolve(name) is not None and name not in out:
                out.append(name)
    return out


def find_citations(
    lines: Sequence[str], numbers: Sequence[int], context_laws: Sequence[str]
) -> tuple[list[Cited], list[LoadIssue]]:
    """Legal provisions cited in the given lines, resolved against the law named right before them, else the one
    law named in the item's pages; laws said to be the basis (``…法に基づき``) without an article; issues for the
    rest (no law, or a law the register does not know)."""
    found: list[Cited] = []
    issues: list[LoadIssue] = []
    no_cols = legal.columns(None, None, None)
    for n in numbers:
        raw = lines[n - 1]
        text = nfkc_keep_circled(raw)
        if "条" in text:
            for m in PROVISION_RE.finditer(text):
                written = m.group().strip()
                before = _LAW_BEFORE.search(text[: m.start()])
                law: str | None = None
                method_note = None
                if before and law_register().resolve(before.group(1)) is not None:
                    law = before.group(1)
                elif len(context_laws) == 1:
                    law, method_note = context_laws[0], "context"
                if law is None:
                    why = (
                        "article cited without a law name, and the item's pages name no law (or several)"
                        if not context_laws
                        else "article cited without a law name; the item's pages name several laws"
                    )
                    issues.append(
                        LoadIssue("unresolved-citation", f"{why}; not mapped", "warning", line=n, value=written)
                    )
                    continue
                cits, _ = legal.resolve(law + written, None, None, no_cols)
                for rc in cits:
                    if rc.law_id is None or rc.article is None:
                        issues.append(
                            LoadIssue(
                                "unresolved-citation",
                                "provision not resolved; not mapped",
                                "warning",
                                line=n,
                                value=law + written,
                            )
                        )
                        continue
                    conf = rc.confidence * (0.8 if method_note else 1.0)
                    rc = dataclasses.replace(rc, cited_text=written, confidence=round(conf, 3))
                    found.append(Cited(rc, written, law, n))
        if "に基づ" in text and "法" in text:
            for m in _BASED_ON.finditer(text):
                name = _LEAD_IN.sub("", m.group(1))
                if PROVISION_RE.search(text[m.start() : m.end() + 20]):
                    continue  # an article follows: handled above
                hit = law_register().resolve(name)
                if hit is None:
                    issues.append(
                        LoadIssue(
                            "unresolved-citation",
                            "law named as the basis is not in the law register; not mapped",
                            "warning",
                            line=n,
                            value=name,
                        )
                    )
                    continue
                cits, _ = legal.resolve(name, None, None, no_cols)
                for rc in cits:
                    if rc.law_id is not None:
                        found.append(Cited(dataclasses.replace(rc, cited_text=name), name, name, n))
    return _dedupe(found), issues


def _dedupe(found: list[Cited]) -> list[Cited]:
    out: list[Cited] = []
    for c in found:
        rc = c.citation
        dup = False
        for o in out:
            orc = o.citation
            if orc.law_id != rc.law_id:
                continue
            same = (orc.article, orc.paragraph, orc.items) == (rc.article, rc.paragraph, rc.items)
            covered = rc.article is None or (orc.article == rc.article and rc.paragraph is None and not rc.items)
            if same or covered:
                dup = True
                break
        if not dup:
            out.append(c)
    return out


def citation_node_triples(node: IRI, item: IRI, cited: Cited, ctx: MapContext) -> Iterator[Triple]:
    """A legal-basis node of an item (``cbkg:LegalBasisCitation``, linked with ``cbkg:summaryItem``)."""
    yield node, TYPE, cbkg("LegalBasisCitation")
    yield node, cbkg("summaryItem"), item
    yield node, DERIVED, Minter.line(ctx.source, cited.line)
    if cited.law_written:
        yield node, cbkg("lawNameAsWritten"), t.ja(cited.law_written)
    yield from legal.citation_triples(node, item, cited.citation, ctx.minter)


def citation_declarations(cited: Cited, m: Minter) -> Iterator[Triple]:
    """Declarations of the law and provisions a description cites."""
    rc = cited.citation
    if rc.law_id is None:
        return
    yield from common.law_declarations(m, rc.law_id)
    if cited.law_written:
        yield m.law(rc.law_id), cbkg("citedAs"), t.ja(cited.law_written)
    for art, para, item in legal.provisions(rc):
        yield from common.provision_declarations(m, rc.law_id, art, para, item)


# -- amounts in RDF ------------------------------------------------------------------------------------------------
def amount_triples(node: IRI, fig: Figure) -> Iterator[Triple]:
    """``cbkg:amount`` in yen, the figure as written and its unit."""
    yield node, cbkg("amount"), t.decimal(fig.amount)
    yield node, cbkg("sourceFigure"), t.text(fig.written)
    yield node, cbkg("sourceUnit"), code("unit", fig.unit)


@dataclass(frozen=True, slots=True)
class BudgetCell:
    """One figure of an item for one budget (fiscal year × stage)."""

    year: int
    stage: str
    stage_written: str
    figure: Figure


def budget_line_triples(
    ctx: MapContext,
    dataset: str,
    item: IRI,
    dims: tuple[str | int, ...],
    cells: Sequence[BudgetCell],
    lines: Iterable[int],
) -> Iterator[Triple]:
    """Budget lines (one per fiscal year) with one observation per stage, in cube ``{dataset}-budget``."""
    m = ctx.minter
    ds = m.dataset(dataset + "-budget")
    derived = [Minter.line(ctx.source, n) for n in lines]
    for year in sorted({c.year for c in cells}):
        line = m.observation(dataset, *dims, year)
        yield line, TYPE, cbkg("BudgetLine")
        yield line, QB_SLICE_STRUCTURE, cbkg("summaryLineKey")
        yield ds, QB_SLICE, line
        yield line, cbkg("summaryItem"), item
        yield line, cbkg("budgetYear"), t.gyear(year)
        yield line, cbkg("account"), TOTAL_ACCOUNT
        for d in derived:
            yield line, DERIVED, d
        for c in cells:
            if c.year != year:
                continue
            obs = IRI(f"{line}/{c.stage}")
            yield line, QB_OBSERVATION, obs
            yield obs, cbkg("budgetStage"), code("budget-stage", c.stage)
            yield obs, cbkg("stageAsWritten"), t.ja(c.stage_written)
            yield from amount_triples(obs, c.figure)
            yield obs, DERIVED, Minter.line(ctx.source, c.figure.line)


# -- blocks and attribution ----------------------------------------------------------------------------------------
@dataclass
class Block:
    """A run of description lines: from a heading, a page break or a line naming an item, to the next."""

    start: int
    lines: list[int]
    heading_item: int | None = None  # the item its first line names
    reset: bool = False  # a new ministry's section or top-level heading: the previous item does not continue


def text_not_mapped_issue(lines: Sequence[str], numbers: Sequence[int]) -> LoadIssue | None:
    """One info issue listing the lines of narrative text (no figures) that no record maps."""
    keep = [n for n in numbers if plain(lines[n - 1]) and not re.fullmatch(r"\d{1,3}", plain(lines[n - 1]))]
    if not keep:
        return None
    return LoadIssue(
        "text-not-mapped",
        f"{len(keep)} lines of narrative text, captions and diagram labels (no budget figures) are not mapped "
        f"(lines {common.describe_ranges(keep)})",
        "info",
        line=keep[0],
    )


def figure_issue(
    fig: Figure, raw: str, reason: str, severity: str = "info", code_: str = "figure-not-mapped"
) -> LoadIssue:
    return LoadIssue(code_, reason, severity, line=fig.line, value=nz.clean(raw) or raw)  # type: ignore[arg-type]


# ============================================================================================================
# NISC summaries
# ============================================================================================================


@dataclass(slots=True)
class SummaryDoc:
    """The document: its fiscal year, title and the unit of its table."""

    key: str
    fy: int | None
    title: str
    lines: tuple[int, ...]
    unit: str


@dataclass(slots=True)
class Total:
    """A document total for one budget (``令和6年度予算額 2,128.6億円``)."""

    doc: str
    fy: int
    year: int
    stage: str
    stage_written: str
    figure: Figure
    lines: list[int]
    compared_with: tuple[int, str] | None = None  # the total this one is the comparison of


@dataclass(slots=True)
class Area:
    """A strategy area ``(n) name`` with its totals (one per column)."""

    doc: str
    fy: int
    number: int
    notation: str
    name: str
    lines: list[int]
    totals: list[BudgetCell] = field(default_factory=list)
    first: bool = False  # the first area: also states the scheme


@dataclass(slots=True)
class Item:
    """A ``【省庁】`` program row with its figures."""

    doc: str
    fy: int
    number: int
    ministry_written: str
    ministry: str | None
    name: str
    area: int | None
    lines: list[int]
    cells: list[BudgetCell] = field(default_factory=list)


@dataclass(slots=True)
class ItemFact:
    """A key fact of an item read from its description page."""

    doc: str
    item: int
    fact: Fact


@dataclass(slots=True)
class ItemCitation:
    """A legal provision cited on an item's description page (``k``: its number among the item's citations)."""

    doc: str
    item: int
    k: int
    cited: Cited


@dataclass(slots=True)
class ItemFigure:
    """A figure on an item's description page for a budget the table does not give (e.g. an earlier 補正)."""

    doc: str
    fy: int
    item: int
    cell: BudgetCell


# -- detection -----------------------------------------------------------------------------------------------------
_ITEM_RE = re.compile(r"^\s*【([^】]{1,20})】\s*(.*)$")
_MINISTRY_LIKE = re.compile(r"(?:省|庁|官房|委員会|委|府|本部|院|会議)$")
_TITLE = "サイバーセキュリティに関する予算"


def _is_item_start(raw: str) -> tuple[str, str] | None:
    m = _ITEM_RE.match(raw.strip())
    if m is None:
        return None
    bracket = nz.nfkc(m.group(1)).strip()
    name, _ = resolve_ministry(bracket)
    if name is None and not _MINISTRY_LIKE.search(bracket):
        return None
    return m.group(1), m.group(2)


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for a NISC budget summary: the phrase サイバーセキュリティに関する予算 and ≥ 2 ``【省庁】`` rows."""
    text = head_text(head)
    if _TITLE not in text or "\x00" in text:
        return False
    rows = 0
    for raw in text.split("\n"):
        if raw.lstrip().startswith("【") and _is_item_start(raw) is not None:
            rows += 1
            if rows >= 2:
                return True
    return False


def units(path: Path) -> list[SourceUnit]:
    """One unit per file."""
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file size."""
    return float(unit.size())


def _fy_from_text(lines: Sequence[str]) -> int | None:
    era = era_of(lines)
    for i, raw in enumerate(lines, 1):
        if "\t" in raw:
            cells = [c for c in raw.split("\t") if c.strip()]
            labels = [column_label(c, i) for c in cells]
            if len(labels) >= 2 and all(labels):
                return labels[0].year  # type: ignore[union-attr]
    for i, raw in enumerate(lines, 1):
        for lab in find_labels(raw, i, None, era):
            return lab.year
    return None


def doc_key(fy: int | None) -> str:
    """The document key of a summary (``nisc-cyber-budget-2024``)."""
    return f"nisc-cyber-budget-{fy if fy is not None else 'unknown'}"


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``nisc/cyber-budget/{FY}``: another file of the same year replaces the previous load."""
    lines = head_text(head).replace("\r\n", "\n").split("\n")
    fy = _fy_from_text(lines)
    return f"nisc/cyber-budget/{fy if fy is not None else 'unknown'}"


# -- parsing -------------------------------------------------------------------------------------------------------
@dataclass
class _Row:
    kind: str  # item | area
    lines: list[int]
    number: int = 0
    bracket: str = ""
    name: str = ""
    cells: list[Figure | str | None] = field(default_factory=list)
    header: int | None = None  # index into headers
    area: int | None = None
    share: Decimal | None = None
    share_figure: Figure | None = None


_AREA_RE = re.compile(r"^[(（]\s*([1-9])\s*[)）]\s*(.*)$")
_SHARE_RE = re.compile(r"^[(（]\s*(?P<fig>[^:：()（）]*?円)\s*[:：]\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*[)）]$")
_TAIL_RE = re.compile(rf"(?:(?:\s+|^)(?:[(（]?\s*[▲△]?{_NUM}\s*(?:億円|百万円|千円|円)\s*[)）]?|[{_DASH_CLASS}]))+\s*$")
_CELL_TOKEN = re.compile(rf"[(（]?\s*[▲△]?{_NUM}\s*(?:億円|百万円|千円|円)\s*[)）]?|[{_DASH_CLASS}]")


def _split_cells(raw: str, line: int) -> tuple[str, list[Figure | str | None]]:
    """``(name, cells)`` of a table row: tab-separated cells, else figures/dashes at the end of the line."""
    if "\t" in raw:
        parts = raw.rstrip().split("\t")
        while len(parts) > 1 and not parts[-1].strip():
            parts.pop()  # trailing empty cells are layout, not columns
        return parts[0], [parse_cell(c, line) for c in parts[1:]]
    norm, idx = nfkc_map(raw.rstrip())
    m = _TAIL_RE.search(norm)
    if m is None or not m.group().strip():
        return raw, []
    head = raw[: idx[m.start()]] if m.start() < len(idx) else raw
    cells: list[Figure | str | None] = []
    for tok in _CELL_TOKEN.finditer(m.group()):
        s = m.start() + tok.start()
        e = m.start() + tok.end()
        cells.append(parse_cell(raw[idx[s] : idx[e - 1] + 1], line))
    return head, cells


def parse(unit: SourceUnit) -> Iterator[Any]:
    """Records of one NISC summary: the document, totals, areas, items, facts, citations and load issues."""
    lines, issues = read_lines(unit)
    yield from _parse_lines(lines, issues)


def _parse_lines(lines: list[str], pre_issues: list[LoadIssue]) -> Iterator[Any]:
    """All records of a summary given as lines (``pre_issues``: what reading the file reported)."""
    doc = _Summary(lines, pre_issues)
    yield from doc.run()


@dataclass
class _Table:
    """What the scan of the table found: column headers, rows, and the lines they used."""

    headers: list[list[Label]] = field(default_factory=list)
    late_header: int | None = None  # a header written after the rows (PDF text in drawing order)
    rows: list[_Row] = field(default_factory=list)
    used: set[int] = field(default_factory=set)


def _scan_table(lines: Sequence[str]) -> _Table:
    """Column headers, item rows and area rows, wherever they are in the file."""
    tab = _Table()
    current_area: int | None = None
    current_header: int | None = None
    area_names: dict[int, str] = {}
    i = 1
    while i <= len(lines):
        raw = lines[i - 1]
        if not raw.strip():
            i += 1
            continue
        if "\t" in raw:  # a header: tab cells that are all budget labels
            labels = [column_label(c, i) for c in raw.split("\t") if c.strip()]
            if len(labels) >= 2 and all(labels):
                tab.headers.append([lab for lab in labels if lab is not None])
                current_header, current_area = len(tab.headers) - 1, None
                tab.used.add(i)
                i += 1
                continue
        run, run_lines, nxt = _header_run(lines, i)
        if len(run) >= 2:  # a header as two-line labels (令和２年度 / 予算政府案)
            tab.headers.append(run)
            if tab.late_header is None and current_header is None:
                tab.late_header = len(tab.headers) - 1
            tab.used.update(run_lines)
            i = nxt
            continue
        start = _is_item_start(raw)
        if start is not None:
            row, i = _read_item(lines, i, start)
            row.header, row.area = current_header, current_area
            tab.rows.append(row)
            tab.used.update(row.lines)
            continue
        am = _AREA_RE.match(plain(raw))
        if am is not None:
            row, nxt = _read_area(lines, i)
            if row is not None:
                row.header = current_header
                tab.rows.append(row)
                area_names.setdefault(row.number, row.name)
                tab.used.update(row.lines)
                if row.share is None:
                    current_area = row.number
                i = nxt
                continue
            known = area_names.get(int(am.group(1)))
            if known and _restates(am.group(2), known):
                tab.used.add(i)  # a known area named again (a chart caption, a reference in a description)
        i += 1
    return tab


def _header_run(lines: Sequence[str], i: int) -> tuple[list[Label], list[int], int]:
    """Consecutive two-line column labels from line ``i`` (blank lines between allowed)."""
    run: list[Label] = []
    run_lines: list[int] = []
    j = i
    while j <= len(lines):
        if not lines[j - 1].strip():
            j += 1
            continue
        f = _header_fragment(lines, j)
        if f is None:
            break
        run.append(f[0])
        run_lines += f[1]
        j = f[1][-1] + 1
    return run, run_lines, j


class _Summary:
    """One summary being read: the stages of :func:`_parse_lines` share the lines, the records and the issues."""

    def __init__(self, lines: list[str], pre_issues: list[LoadIssue]) -> None:
        self.lines = lines
        self.issues: list[LoadIssue] = list(pre_issues)
        self.era = era_of(lines)
        self.table = _scan_table(lines)
        self.used = self.table.used
        self.items: list[Item] = []
        self.areas: dict[int, Area] = {}
        self.totals: dict[tuple[int, str], Total] = {}
        self.facts: list[ItemFact] = []
        self.citations: list[ItemCitation] = []
        self.extra: list[ItemFigure] = []
        self.narrative: list[int] = []
        self.key = ""
        self.fy = 0

    def issue(self, code_: str, reason: str, severity: str, line: int | None, value: str | None = None) -> None:
        self.issues.append(LoadIssue(code_, reason, severity, line=line, value=value))  # type: ignore[arg-type]

    def run(self) -> Iterator[Any]:
        lines, tab = self.lines, self.table
        fy = tab.headers[0][0].year if tab.headers else None
        if fy is None:
            fy = next((lab.year for n, raw in enumerate(lines, 1) for lab in find_labels(raw, n, None, self.era)), None)
        self.key = doc_key(fy)
        title, title_lines = _title(lines)
        self.used.update(title_lines)
        unit = _main_unit([c for r in tab.rows for c in r.cells if isinstance(c, Figure)])
        if fy is None:
            self.issue(
                "missing-value",
                "no fiscal year found (no column header, no budget label); figures not mapped",
                "error",
                1,
            )
            yield SummaryDoc(self.key, None, title, tuple(title_lines), unit)
            yield from self.issues
            return
        self.fy = fy
        yield SummaryDoc(self.key, fy, title, tuple(title_lines), unit)
        self.read_rows()
        item_keys = [(it.number, name_key(it.name)) for it in self.items if it.name]
        desc_start = _description_start(lines, self.used, item_keys)
        self.read_totals(desc_start)
        self.read_shares()
        blocks = _blocks(lines, [n for n in range(desc_start, len(lines) + 1) if n not in self.used], item_keys)
        self.read_descriptions(blocks)
        yield from sorted(self.totals.values(), key=lambda x: x.lines[0])
        for k, rec in enumerate(sorted(self.areas.values(), key=lambda a: a.number)):
            rec.first = k == 0
            yield rec
        yield from self.items
        yield from self.facts
        yield from self.citations
        yield from self.extra
        mapped = {i.line for i in self.issues if i.line is not None}  # lines whose text an issue keeps
        mapped |= {ic.cited.line for ic in self.citations}
        mapped |= {b.start for b in blocks if b.heading_item is not None}  # item names restated as page titles
        nm = text_not_mapped_issue(lines, sorted(set(self.narrative) - mapped))
        if nm is not None:
            self.issues.append(nm)
        yield from sorted(self.issues, key=lambda x: (x.line or 0, x.code))

    # -- the table -------------------------------------------------------------------------------------------------
    def read_rows(self) -> None:
        """Items and areas with their figures placed in the columns of their table."""
        tab, lines = self.table, self.lines
        for row in tab.rows:
            if row.kind == "area" and row.share is not None:
                continue  # read_shares
            hdr = row.header if row.header is not None else tab.late_header
            cells, row_issues = _assign(row, tab.headers[hdr] if hdr is not None else [])
            self.issues.extend(row_issues)
            if row.kind == "area":
                rec = self.areas.get(row.number)
                if rec is None:
                    self.areas[row.number] = Area(
                        self.key, self.fy, row.number, f"({row.number})", row.name, list(row.lines), cells
                    )
                else:
                    rec.lines += row.lines
                    self.issue(
                        "duplicate-row",
                        f"area ({row.number}) listed again; its figures not mapped again",
                        "warning",
                        row.lines[0],
                        lines[row.lines[0] - 1],
                    )
                continue
            ministry, abbreviated = resolve_ministry(row.bracket)
            if ministry is None:
                self.issue(
                    "unknown-ministry",
                    "ministry/agency not in the organisation register; kept as written",
                    "warning",
                    row.lines[0],
                    row.bracket,
                )
            elif abbreviated:
                self.issue(
                    "ministry-abbreviated",
                    f"abbreviated ministry name read as {ministry} (the only registered name it begins)",
                    "warning",
                    row.lines[0],
                    row.bracket,
                )
            if not row.name:
                self.issue("missing-value", "item row without a name", "warning", row.lines[0], lines[row.lines[0] - 1])
            self.items.append(
                Item(
                    self.key,
                    self.fy,
                    len(self.items) + 1,
                    nz.nfkc(row.bracket).strip(),
                    ministry,
                    row.name,
                    row.area,
                    list(row.lines),
                    cells,
                )
            )

    # -- totals ----------------------------------------------------------------------------------------------------
    def read_totals(self, desc_start: int) -> None:
        """Figures with budget labels before the description pages: the document's totals (a bracketed one is the
        comparison of the total before it)."""
        lines = self.lines
        summary = [n for n in range(1, desc_start) if n not in self.used and lines[n - 1].strip()]
        stmts = pair_statements(lines, summary, self.fy, self.era)
        done: set[int] = set()
        last_main: tuple[int, str] | None = None
        for st in stmts:
            fig = st.figure
            done.add(fig.line)
            if fig.inner or fig.approx:
                self.issues.append(
                    figure_issue(fig, lines[fig.line - 1], "figure given as a part or an approximation; not mapped")
                )
                continue
            if st.label is None:
                same = [tt for tt in self.totals.values() if tt.figure.amount == fig.amount]
                if same:
                    same[0].lines.append(fig.line)
                else:
                    self.issues.append(
                        figure_issue(fig, lines[fig.line - 1], "figure without a budget label; not mapped")
                    )
                continue
            k = (st.label.year, st.label.stage)
            done.add(st.label.line)
            known = self.totals.get(k)
            if known is not None:
                if consistent(known.figure, fig):
                    known.lines += sorted({fig.line, st.label.line} - set(known.lines))
                else:
                    self.issues.append(
                        figure_issue(
                            fig,
                            lines[fig.line - 1],
                            f"total of {k[0]} {k[1]} restated "
                            f"with a different figure ({known.figure.written}); not mapped",
                            "warning",
                            "figure-mismatch",
                        )
                    )
                continue
            compared = last_main if st.parenthesised else None
            self.totals[k] = Total(
                self.key, self.fy, k[0], k[1], st.label.written, fig, sorted({st.label.line, fig.line}), compared
            )
            if not st.parenthesised:
                last_main = k
        for n in summary:
            if n in done:
                continue
            for fig in find_figures(lines[n - 1], n):
                if not any(fig.amount == tt.figure.amount for tt in self.totals.values()):
                    self.issues.append(figure_issue(fig, lines[n - 1], "figure in narrative text; not mapped"))
            if not find_figures(lines[n - 1], n):
                self.narrative.append(n)

    def read_shares(self) -> None:
        """Areas given as ``(X億円：Y%)``: the figure is read as the headline total's budget once the share agrees."""
        lines = self.lines
        headline = _headline(self.totals, self.fy)
        for row in (r for r in self.table.rows if r.kind == "area" and r.share is not None):
            fig = row.share_figure
            assert fig is not None and row.share is not None
            cells: list[BudgetCell] = []
            if headline is None:
                self.issues.append(
                    figure_issue(
                        fig,
                        lines[fig.line - 1],
                        "area figure with a share but no headline total to check it against; not mapped",
                        "warning",
                    )
                )
            else:
                share = fig.amount / headline.figure.amount * 100
                if abs(share - row.share) > Decimal("0.051") + fig.tolerance / headline.figure.amount * 100:
                    self.issues.append(
                        figure_issue(
                            fig,
                            lines[fig.line - 1],
                            f"share {row.share}% does not agree "
                            f"with the headline total {headline.figure.written}; not mapped",
                            "warning",
                            "figure-mismatch",
                        )
                    )
                else:
                    cells = [BudgetCell(headline.year, headline.stage, headline.stage_written, fig)]
            rec = self.areas.get(row.number)
            if rec is None:
                self.areas[row.number] = Area(
                    self.key, self.fy, row.number, f"({row.number})", row.name, list(row.lines), cells
                )
            else:
                rec.lines += row.lines
                have = {(c.year, c.stage) for c in rec.totals}
                rec.totals += [c for c in cells if (c.year, c.stage) not in have]
        for n in sorted(self.used):  # area names restated elsewhere (chart captions): provenance of the area
            am = _AREA_RE.match(plain(lines[n - 1]))
            rec = self.areas.get(int(am.group(1))) if am else None
            if rec is not None and n not in rec.lines and not any(n in r.lines for r in self.table.rows):
                rec.lines.append(n)

    # -- description pages -----------------------------------------------------------------------------------------
    def read_descriptions(self, blocks: list[Block]) -> None:
        """Key facts, legal citations and figures of the program pages, each on the item its page is about."""
        lines, fy = self.lines, self.fy
        by_number = {it.number: it for it in self.items}
        known_amounts = {tt.figure.amount for tt in self.totals.values()} | {
            c.figure.amount for a in self.areas.values() for c in a.totals
        }
        attributed = _attribute(blocks, lines, by_number, fy, self.era)
        for item_no, section in _sections(attributed):
            if item_no is not None:
                self.read_citations(item_no, [n for b in section for n in b.lines])
        for blk, owner, fig_owner, direct in attributed:
            facts, fact_lines = read_facts(lines, blk.lines)
            for f in facts:
                self.issues.extend(fact_issues(f))
                if not f.value:
                    continue
                if owner is None:
                    self.issue(
                        "fact-not-attributed",
                        f"key fact ({f.kind}) on a page that names no item of the table; not mapped",
                        "warning",
                        f.lines[0],
                        " ".join(as_written(lines[n - 1]) for n in f.lines),
                    )
                else:
                    self.facts.append(ItemFact(self.key, owner, f))
            rest = [n for n in blk.lines if n not in fact_lines]
            stmts = pair_statements(lines, rest, fy, self.era)
            done: set[int] = set()
            owner_item = by_number.get(fig_owner) if fig_owner else None
            for st in stmts:
                done.update({st.figure.line, st.label.line} if st.label else {st.figure.line})
                found = _place_figure(
                    st, lines, self.totals, known_amounts, owner_item, direct, self.extra, self.key, fy
                )
                if found is not None:
                    self.issues.append(found)
            for n in rest:
                if n in done:
                    continue
                figs = find_figures(lines[n - 1], n)
                for fig in figs:
                    if fig.amount not in known_amounts:
                        self.issues.append(figure_issue(fig, lines[n - 1], "figure in narrative text; not mapped"))
                if not figs:
                    self.narrative.append(n)

    def read_citations(self, item_no: int, numbers: list[int]) -> None:
        """The legal provisions an item's pages cite (the law named next to the article, else the one law the
        pages name)."""
        cited, cite_issues = find_citations(self.lines, numbers, laws_named(self.lines, numbers))
        self.issues.extend(cite_issues)
        mine = [ic for ic in self.citations if ic.item == item_no]
        known = {_signature(ic.cited) for ic in mine}
        for c in cited:
            if _signature(c) in known:
                continue
            known.add(_signature(c))
            mine.append(ItemCitation(self.key, item_no, len(mine) + 1, c))
            self.citations.append(mine[-1])


def _signature(c: Cited) -> tuple[Any, ...]:
    rc = c.citation
    return rc.law_id, rc.article, rc.paragraph, rc.items


def _header_fragment(lines: Sequence[str], i: int) -> tuple[Label, list[int]] | None:
    """A two-line column label (``令和２年度`` then ``予算政府案``) starting at line ``i``."""
    p = plain(lines[i - 1])
    if not _HEADER_YEAR.match(p):
        return None
    j = i + 1
    while j <= len(lines) and not lines[j - 1].strip():
        j += 1
    if j > len(lines) or j - i > 2:
        return None
    q = plain(lines[j - 1])
    if not _HEADER_STAGE.match(q):
        return None
    lab = column_label(f"{p} {q}", i)
    return (lab, [i, j]) if lab is not None else None


def _read_item(lines: Sequence[str], i: int, start: tuple[str, str]) -> tuple[_Row, int]:
    """An item row from line ``i``: the name may continue over the next lines until its figures."""
    bracket, rest = start
    raw = lines[i - 1]
    after = raw.split("】", 1)[1] if "】" in raw else rest
    row_lines = [i]
    name_part, cells = _split_cells(after, i)
    name = name_text(name_part)
    j = i + 1
    if not cells:
        blanks = 0
        while j <= len(lines) and len(row_lines) < 6:
            nxt = lines[j - 1]
            if not nxt.strip():
                blanks += 1
                if blanks > 1:
                    break
                j += 1
                continue
            if _is_item_start(nxt) or _AREA_RE.match(plain(nxt)) or nxt.lstrip().startswith("#"):
                break
            blanks = 0
            part, cells = _split_cells(nxt, j)
            name += name_text(part)
            row_lines.append(j)
            j += 1
            if cells:
                break
    return _Row("item", row_lines, bracket=bracket, name=name, cells=cells), j


def _read_area(lines: Sequence[str], i: int) -> tuple[_Row | None, int]:
    """An area row at line ``i``: ``(n) name`` with one bracketed figure per column, or ``(n) name`` (over one or
    more lines) followed by ``(X億円：Y%)``.  (None, i) when the line is neither."""
    raw = lines[i - 1]
    am = _AREA_RE.match(plain(raw))
    assert am is not None
    number = int(am.group(1))
    name_part, cells = _split_cells(_MARKUP.sub("", raw.strip()), i)
    nm = _AREA_RE.match(plain(name_part))
    name = name_text(nm.group(2)) if nm else ""
    if cells and name and all(isinstance(c, Figure) or c is None for c in cells):
        return _Row("area", [i], number, name=name, cells=cells), i + 1
    name_lines = [i]
    j = i + 1
    seen = 0
    while j <= len(lines) and seen < 4:
        nxt = lines[j - 1]
        if not nxt.strip():
            j += 1
            continue
        seen += 1
        sm = _SHARE_RE.match(plain(nxt))
        if sm is not None:
            figs = find_figures(nxt, j)
            full = name_text(am.group(2)) + "".join(name_text(lines[k - 1]) for k in name_lines[1:])
            if len(figs) == 1 and full:
                row = _Row(
                    "area", [*name_lines, j], number, name=full, share=Decimal(sm.group("pct")), share_figure=figs[0]
                )
                return row, j + 1
            break
        if _AREA_RE.match(plain(nxt)) or find_figures(nxt, j) or len(plain(nxt)) > 30:
            break
        name_lines.append(j)
        j += 1
    return None, i


def _restates(written: str, known: str) -> bool:
    """True if ``written`` is the start of the known area name (a caption cut by a line break)."""
    k, w = name_key(known), name_key(written)
    w = re.sub(r"\d+$", "", w)  # a trailing page or circled number
    return len(w) >= 4 and (k.startswith(w) or w.startswith(k))


def _assign(row: _Row, columns: Sequence[Label]) -> tuple[list[BudgetCell], list[LoadIssue]]:
    """The budget cells of a table row, and issues for what could not be placed."""
    issues: list[LoadIssue] = []
    where = row.lines[-1]
    raw_row = " | ".join(c.written if isinstance(c, Figure) else (c or "—") for c in row.cells)
    for c in row.cells:
        if isinstance(c, str):
            issues.append(LoadIssue("bad-amount", "cell is not an amount; not mapped", "error", line=where, value=c))
    if not row.cells:
        if row.kind == "item":
            issues.append(
                LoadIssue(
                    "missing-value",
                    "no figures found for this item; amounts not mapped",
                    "error",
                    line=row.lines[0],
                    value=row.name,
                )
            )
        return [], issues
    if not columns:
        issues.append(
            LoadIssue(
                "no-columns",
                "no column header (budget year and stage) for this table; figures not mapped",
                "error",
                line=where,
                value=raw_row,
            )
        )
        return [], issues
    cols: list[Label] = list(columns)
    if len(row.cells) != len(cols):
        main = [c for c in cols if not c.stage.startswith("supplementary")]
        if len(row.cells) == len(main) and len(main) < len(cols):
            cols = main
            issues.append(
                LoadIssue(
                    "column-inferred",
                    f"{len(row.cells)} figures for {len(columns)} columns: read as the "
                    "columns other than the supplementary budget (blank in this text)",
                    "warning",
                    line=where,
                    value=raw_row,
                )
            )
        else:
            issues.append(
                LoadIssue(
                    "column-count",
                    f"{len(row.cells)} figures for {len(columns)} columns; figures not mapped",
                    "error",
                    line=where,
                    value=raw_row,
                )
            )
            return [], issues
    out = [
        BudgetCell(col.year, col.stage, col.written, cell)
        for col, cell in zip(cols, row.cells, strict=True)
        if isinstance(cell, Figure)
    ]
    return out, issues


def _title(lines: Sequence[str]) -> tuple[str, list[int]]:
    for n, raw in enumerate(lines, 1):
        p = plain(raw)
        if _TITLE in p and len(p) <= 40:
            return as_written(raw), [n]
    return "政府のサイバーセキュリティに関する予算", []


def _main_unit(figs: Sequence[Figure]) -> str:
    if not figs:
        return "hundred-million-yen"
    counts: dict[str, int] = {}
    for f in figs:
        counts[f.unit] = counts.get(f.unit, 0) + 1
    return max(sorted(counts), key=lambda u: counts[u])


def _headline(totals: dict[tuple[int, str], Total], fy: int) -> Total | None:
    for tot in sorted(totals.values(), key=lambda x: x.lines[0]):
        if tot.year == fy and tot.compared_with is None:
            return tot
    return None


def _short_name_line(raw: str) -> str | None:
    p = plain(raw)
    if not p or len(p) > 60 or p.endswith("。") or find_figures(raw, 0) or fact_at(raw):
        return None
    return p


def _name_before_figures(raw: str) -> str | None:
    """The text before the first figure of a line such as ``○サイバーセキュリティ経済基盤構築事業 ： 20.0億円``."""
    figs = find_figures(raw, 0)
    if not figs:
        return None
    norm = nz.nfkc(raw)
    head = plain(norm[: figs[0].start]).rstrip(" :：")
    labels = find_labels(head, 0, None)
    if labels:
        head = head[: labels[0].start].rstrip(" :：")
    return head if 6 <= len(head) <= 60 and "。" not in head else None


def _description_start(lines: Sequence[str], used: set[int], item_keys: Sequence[tuple[int, str]]) -> int:
    """The first line (outside the table) that names an item: where the description pages begin."""
    for n, raw in enumerate(lines, 1):
        if n in used:
            continue
        p = _short_name_line(raw)
        if p is None:
            continue
        if best_match(name_key(p), item_keys, 2) is not None:
            return n
    return len(lines) + 1


def _blocks(lines: Sequence[str], numbers: Sequence[int], item_keys: Sequence[tuple[int, str]]) -> list[Block]:
    """Split the description lines at headings, page breaks (≥ 3 blank lines), lines naming an item, and lines
    giving a named figure (``○中小企業…促進事業 ： 4.0億円``: a program of its own, perhaps not in the table)."""
    blocks: list[Block] = []
    cur: Block | None = None
    prev = None
    for n in numbers:
        raw = lines[n - 1]
        if not raw.strip():
            continue
        gap = prev is not None and n - prev > 3 and all(not lines[k - 1].strip() for k in range(prev + 1, n))
        heading = raw.lstrip().startswith("#")
        entry = _name_before_figures(raw)
        p = _short_name_line(raw) or entry
        named = best_match(name_key(p), item_keys, 2) if p else None
        marker = len(plain(raw)) <= 30 and plain(raw).endswith(("施策例", "施策"))
        if cur is None or gap or heading or named is not None or marker or entry:
            level1 = bool(re.match(r"^\s*#\s", raw))
            cur = Block(n, [], named, reset=marker or (level1 and named is None))
            blocks.append(cur)
        cur.lines.append(n)
        prev = n
    return blocks


def _figure_candidates(stmts: Sequence[Statement], items: dict[int, Item], fy: int) -> set[int]:
    """Items whose table figures agree with every labelled figure of a block that they can be compared with (at
    least one)."""
    labelled = [s for s in stmts if s.label is not None and not s.figure.inner]
    if not labelled:
        return set()
    out: set[int] = set()
    for it in items.values():
        cells = {(c.year, c.stage): c.figure for c in it.cells}
        anchor = False
        ok = True
        for s in labelled:
            assert s.label is not None
            have = cells.get((s.label.year, s.label.stage))
            if have is None:
                continue
            if not consistent(have, s.figure):
                ok = False
                break
            anchor = True
        if ok and anchor:
            out.add(it.number)
    return out


def _attribute(
    blocks: Sequence[Block], lines: Sequence[str], items: dict[int, Item], fy: int, era: str
) -> list[tuple[Block, int | None, int | None, bool]]:
    """For each block: (block, item of its facts, item of its figures, figures attributed directly)."""
    out: list[tuple[Block, int | None, int | None, bool]] = []
    inherited: int | None = None
    for blk in blocks:
        if blk.reset:
            inherited = None
        stmts = pair_statements(lines, blk.lines, fy, era)
        cands = _figure_candidates(stmts, items, fy)
        head = blk.heading_item
        if head is not None:
            owner, fig_owner, direct = head, head, True
        elif len(cands) == 1:
            owner = fig_owner = next(iter(cands))
            direct = True
        elif inherited is not None and (not cands or inherited in cands):
            owner, fig_owner, direct = inherited, inherited, False
        else:
            owner, fig_owner, direct = None, None, False
        if head is not None and cands and head not in cands and len(cands) == 1:
            fig_owner = head  # the heading wins; figures that disagree are reported
        out.append((blk, owner, fig_owner, direct))
        if owner is not None:
            inherited = owner
    return out


def _sections(
    attributed: Sequence[tuple[Block, int | None, int | None, bool]],
) -> Iterator[tuple[int | None, list[Block]]]:
    """Consecutive blocks of the same item (the item's pages)."""
    cur: int | None = None
    acc: list[Block] = []
    for blk, owner, _, _ in attributed:
        if acc and owner != cur:
            yield cur, acc
            acc = []
        cur = owner
        acc.append(blk)
    if acc:
        yield cur, acc


def _place_figure(
    st: Statement,
    lines: Sequence[str],
    totals: dict[tuple[int, str], Total],
    known_amounts: set[Decimal],
    item: Item | None,
    direct: bool,
    extra: list[ItemFigure],
    key: str,
    fy: int,
) -> LoadIssue | None:
    """Check a description figure against the document totals and its item; keep figures of other budgets."""
    fig = st.figure
    raw = lines[fig.line - 1]
    if fig.inner or fig.approx:
        return figure_issue(fig, raw, "figure given as a part (の内数) or an approximation; not mapped")
    if st.label is not None:
        tot = totals.get((st.label.year, st.label.stage))
        if tot is not None and consistent(tot.figure, fig):
            return None  # a restatement of a document total
    elif fig.amount in known_amounts:
        return None  # a document or area total repeated (a chart label)
    if item is None:
        return figure_issue(fig, raw, "figure on a page that names no item of the table; not mapped")
    cells = {(c.year, c.stage): c for c in item.cells}
    if st.label is None:
        if any(consistent(c.figure, fig) for c in item.cells):
            return None
        return figure_issue(fig, raw, f"figure without a budget label on the page of item {item.number}; not mapped")
    k = (st.label.year, st.label.stage)
    if k in cells:
        if consistent(cells[k].figure, fig):
            return None
        if direct:
            return figure_issue(
                fig,
                raw,
                f"differs from the table figure of item {item.number} for {k[0]} {k[1]} "
                f"({cells[k].figure.written}); not mapped",
                "warning",
                "figure-mismatch",
            )
        return figure_issue(
            fig, raw, f"does not match item {item.number}'s table figure for {k[0]} {k[1]} (a component?); not mapped"
        )
    if not direct:
        return figure_issue(
            fig, raw, f"figure for {k[0]} {k[1]} on a page only presumed to be item {item.number}'s; not mapped"
        )
    if any(e.item == item.number and (e.cell.year, e.cell.stage) == k for e in extra):
        prev = next(e for e in extra if e.item == item.number and (e.cell.year, e.cell.stage) == k)
        if consistent(prev.cell.figure, fig):
            return None
        return figure_issue(
            fig,
            raw,
            f"second, different figure for {k[0]} {k[1]} of item {item.number}; not mapped",
            "warning",
            "figure-mismatch",
        )
    extra.append(ItemFigure(key, fy, item.number, BudgetCell(k[0], k[1], st.label.written, fig)))
    return None


# -- mapping -------------------------------------------------------------------------------------------------------
def dataset_key(fy: int) -> str:
    """The budget cube of a summary (``nisc2024``)."""
    return f"nisc{fy}"


def _doc(m: Minter, key: str) -> IRI:
    return m.document(key)


def to_triples(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record (pure)."""
    m = ctx.minter
    src = ctx.source
    if isinstance(record, LoadIssue):
        n = ctx.options.setdefault("_issue_no", 0) + 1
        ctx.options["_issue_no"] = n
        yield from issue_triples(record, n, ctx)
    elif isinstance(record, SummaryDoc):
        doc = _doc(m, record.key)
        yield doc, TYPE, cbkg("BudgetSummaryDocument")
        yield doc, DCT_TITLE, t.ja(record.title)
        if record.fy is not None:
            yield doc, cbkg("budgetYear"), t.gyear(record.fy)
        for n in record.lines or (1,):
            yield doc, DERIVED, Minter.line(src, n)
    elif isinstance(record, Total):
        doc = _doc(m, record.doc)
        node = Minter.part(doc, "total", record.year, record.stage)
        yield doc, cbkg("totalAmount"), node
        yield from _amount_node(node, record.year, record.stage, record.stage_written, record.figure, record.lines, src)
        if record.compared_with is not None:
            yield Minter.part(doc, "total", *record.compared_with), cbkg("comparedWith"), node
    elif isinstance(record, Area):
        doc = _doc(m, record.doc)
        scheme = Minter.part(doc, "areas")
        concept = Minter.part(doc, "area", record.number)
        if record.first:
            yield scheme, TYPE, SKOS_SCHEME
            yield scheme, common.SKOS_PREF, t.ja("サイバーセキュリティ戦略の分野")
            yield scheme, common.SKOS_PREF, t.text("Cybersecurity strategy areas", "en")
            yield scheme, DCT_PART_OF, doc
            yield scheme, DERIVED, Minter.line(src, record.lines[0])
        yield concept, TYPE, SKOS_CONCEPT
        yield concept, SKOS_IN_SCHEME, scheme
        yield scheme, SKOS_TOP, concept
        yield concept, common.SKOS_NOTATION, t.text(record.notation)
        yield concept, common.SKOS_PREF, t.ja(record.name)
        for n in record.lines:
            yield concept, DERIVED, Minter.line(src, n)
        for c in record.totals:
            node = Minter.part(concept, "total", c.year, c.stage)
            yield concept, cbkg("totalAmount"), node
            yield from _amount_node(node, c.year, c.stage, c.stage_written, c.figure, [c.figure.line], src)
    elif isinstance(record, Item):
        doc = _doc(m, record.doc)
        item = Minter.part(doc, "item", record.number)
        yield item, TYPE, cbkg("BudgetSummaryItem")
        yield item, DCT_PART_OF, doc
        if record.name:
            yield item, LABEL, t.ja(record.name)
        yield item, cbkg("ministryAsWritten"), t.ja(record.ministry_written)
        if record.ministry is not None:
            iri, _ = common.ministry_iri(m, record.ministry)
            if iri is not None:
                yield item, cbkg("ministry"), iri
        if record.area is not None:
            yield item, cbkg("strategyArea"), Minter.part(doc, "area", record.area)
        for n in record.lines:
            yield item, DERIVED, Minter.line(src, n)
        yield from budget_line_triples(
            ctx, dataset_key(record.fy), item, ("item", record.number), record.cells, record.lines
        )
    elif isinstance(record, ItemFact):
        item = Minter.part(_doc(m, record.doc), "item", record.item)
        yield from fact_triples(item, record.fact, [Minter.line(src, n) for n in record.fact.lines])
    elif isinstance(record, ItemCitation):
        item = Minter.part(_doc(m, record.doc), "item", record.item)
        node = Minter.part(item, "legal-basis", record.k)
        yield from citation_node_triples(node, item, record.cited, ctx)
    elif isinstance(record, ItemFigure):
        item = Minter.part(_doc(m, record.doc), "item", record.item)
        yield from budget_line_triples(
            ctx, dataset_key(record.fy), item, ("item", record.item), [record.cell], [record.cell.figure.line]
        )


def _amount_node(
    node: IRI, year: int, stage: str, written: str, fig: Figure, lines: Iterable[int], src: IRI
) -> Iterator[Triple]:
    yield node, TYPE, cbkg("BudgetAmount")
    yield node, cbkg("budgetYear"), t.gyear(year)
    yield node, cbkg("budgetStage"), code("budget-stage", stage)
    yield node, cbkg("stageAsWritten"), t.ja(written)
    yield from amount_triples(node, fig)
    for n in lines:
        yield node, DERIVED, Minter.line(src, n)


def declarations(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Shared entities: the budget cube, and the laws and provisions cited."""
    if isinstance(record, SummaryDoc) and record.fy is not None:
        yield from common.budget_dataset(
            ctx.minter,
            dataset_key(record.fy),
            record.unit,
            f"NISC 政府のサイバーセキュリティに関する予算 {record.fy}年度",
            structure="summaryBudgetStructure",
        )
    elif isinstance(record, ItemCitation):
        yield from citation_declarations(record.cited, ctx.minter)
