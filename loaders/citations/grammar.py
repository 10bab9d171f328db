"""The citation grammar: free-text legal citations (根拠法令) read into :class:`Citation` records.

Pure functions, standard library and :mod:`loaders.normalize` only; nothing happens at import time
beyond compiling regular expressions.

:func:`parse_citations` reads a 法令名 cell such as ``総務省設置法第４条・総務省組織令第７条第１項第27号`` into
:class:`Citation` records (law name as written, law number, canonical article / paragraph / items) and
:func:`unparsed` lists what it could not read.  How the text is read:

* The text is NFKC-normalised character by character (full-width digits, ``（）``, ``　``), keeping a map
  back to the original so that every citation's ``span`` points into the input and
  ``raw == text[span[0]:span[1]]``.  Circled numbers ``①``–``⑳`` are kept: after an article they are a
  paragraph (``第26条①2``), elsewhere a list bullet.  ``_`` counts as a space.
* Provisions: ``[附則][第]N条[のN…]``, ``[第]N項``, ``[第]N号[のN…]`` with Arabic, full-width or kanji
  numerals (kanji without 第 only inside a chain of provisions), lists ``第41・42条`` / ``第５、６号``,
  ranges ``第2条～第4条`` / ``第九十条の二から第九十条の四まで`` (expanded up to 100 elements when both
  ends differ only in their last number; otherwise both ends are kept and the range is marked as not
  understood), sub-items ``第1号イロハ`` / ``第１号（ハ）`` (and the kanji look-alikes ``口二八…`` directly
  after 号/項).  A bare number right after an article is a paragraph (``第二百四十四条の五 2``), right
  after a paragraph or item an item (``第26条①2``, ``第1号イ、２、３号``); both lower the confidence.
  A sub-item with no item number (``第4条第1項ロ``) is recorded as the item ``'ロ'`` with lower confidence.
* Law names are the text before the provisions.  A run of names is split at ``、・,/`` spaces and
  及び/並びに/又は only where the piece before the separator ends like a law (法, 法律, 令, 規則, 規程,
  条約, 協定, 議定書, 憲章, 規約, 公文 …), so ``医薬品、医療機器等の品質、…に関する法律`` stays whole while
  ``沖縄振興特別措置法、都市公園法`` gives two laws.  A name not ending like a law is accepted only when
  provisions or a law number follow (``外務省組織例第30条`` → ``外務省組織例``, lower confidence).
  Leading bullets (``①②・●○※``), surrounding ``「」『』`` and a trailing ``等`` are not part of the name.
  Generic phrases (``その他、当該事業に関する法律等``, ``関係法令``) are not law names.
* A law carries over to the following provisions (``財務省設置法第3条第1項、第4条第1項第30号、36号``),
  also after ``同`` / ``同法`` (``及び同法第７条``); ``同法施行令`` names the previous law's 施行令.
* Text glued to a provision that starts with a particle (``に``, ``の``, ``を`` …) and goes on to a law name
  continues the name: in ``…安全保障条約第六条に基づく…に関する協定第二十四条`` the law is the whole
  agreement (whose name contains ``第六条``) and the article is 24; a title that runs on like this to a
  law-like end of the text (``保健師助産師看護師法第三十七条の二…に関する省令``) is one name.
  ``において準用する`` and ``による改正前の`` instead separate two citations.  Other text glued after a
  provision (``…第６条第１項に基づき交付``) is not understood.
* Parentheses: a law number (``（平成14年12月13日法律第151号）``) becomes ``law_number``; a law name after
  a law number (``昭和二十二年法律第五十四号（私的独占の禁止…に関する法律）``) becomes ``law_name``;
  provisions only (``（第4条第1項第52号）``, ``（第20条ほか）``) are read as provisions of the law before
  them; anything else (``（「国は、…」）``, ``（～平成２７年度）``, ``（第４号を除く）``), a URL, a
  chapter/part (``第３章``, ``附属書十``, ``前文``), a lone ``附則`` or a quotation containing ``。`` is
  *not understood*: attached to the citation it follows as one of its ``gaps`` (so ``complete`` is False
  and the confidence drops by 0.3), else left over.
* Text that is none of these is left over (:func:`unparsed`); a cell with no law at all
  (``令和６年度一般会計予備費使用（…閣議決定）``, ``関連事業参照``, ``ー``) gives ``[]``.

``law_name`` is None when the text names no law (``第二百四十四条の五 2``): the provisions then belong to
the law of the structured columns.  Law names are returned as written (not resolved; see
``ontology/laws.py``).  One citation is returned per (law, article, paragraph); items of the same
paragraph are collected in ``items``.  Confidence starts at 1 and drops for each uncertain reading (name
not ending like a law 0.3, non-statutory instrument such as 指針 0.15, bare number 0.1, sub-item without
item number 0.25, kanji look-alike 0.1, name continued over a provision 0.1, expanded range 0.1, 同法… 0.05,
gaps 0.3).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .. import normalize as nz


@dataclass(frozen=True)
class Citation:
    """One cited law or provision found in free text.

    ``raw`` is ``text[span[0]:span[1]]``; ``law_name`` the law as written (cleaned; None: the text names no
    law); ``law_number`` as written (``平成14年12月13日法律第151号``); ``article`` / ``paragraph`` canonical
    (``'244-5'``, ``'2'``); ``items`` canonical (``'27'``, ``'1-イ'``, or ``'ロ'`` for a sub-item without
    item number); ``supplementary`` for 附則; ``confidence`` in 0–1; ``complete`` is True when every part of
    ``raw`` was understood.  ``gaps`` (an extension) lists the spans inside ``span`` that were not
    understood (an explanatory parenthesis, a quotation, a URL …); ``complete`` is ``not gaps``.
    """

    raw: str
    law_name: str | None
    law_number: str | None
    article: str | None
    paragraph: str | None
    items: tuple[str, ...]
    supplementary: bool
    span: tuple[int, int]
    confidence: float
    complete: bool
    gaps: tuple[tuple[int, int], ...] = ()


# ---------------------------------------------------------------------------------------------
# Normalisation with a map back to the original text
# ---------------------------------------------------------------------------------------------

_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ①..⑳
_CHAR_CACHE: dict[str, str] = {}


def _norm_char(ch: str) -> str:
    n = _CHAR_CACHE.get(ch)
    if n is not None:
        return n
    if ch in _CIRCLED:
        n = ch
    elif ch.isascii():
        n = ch if ch.isprintable() else " "
    else:
        n = unicodedata.normalize("NFKC", ch) or " "
    n = "".join(" " if (c.isspace() or c == "_" or not c.isprintable()) else c for c in n)
    if len(_CHAR_CACHE) < 50_000:
        _CHAR_CACHE[ch] = n
    return n


_KATAKANA_NI_RE = re.compile(r"(?<=[一二三四五六七八九十百千])ニ(?=[一二三四五六七八九十百千条項号])")


def _normalise(text: str) -> tuple[str, list[int]]:
    """NFKC per character (circled numbers kept, spaces/underscores/controls → ' ') and the index map.

    Katakana ニ inside a kanji numeral (``第二十ニ条``) is read as 二."""
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        n = _norm_char(ch)
        out.append(n)
        idx.extend([i] * len(n))
    t = "".join(out)
    if "ニ" in t:
        t = _KATAKANA_NI_RE.sub("二", t)
    return t, idx


# ---------------------------------------------------------------------------------------------
# Token patterns (on the normalised text)
# ---------------------------------------------------------------------------------------------

_NUMC = "0-9〇零一二三四五六七八九十百千"
_NUM = f"[{_NUMC}]+"
_BR = rf"(?: *[のノ] *[{_NUMC}]+(?![部般]))"
_LIST = rf"(?: *[・,、] *(?:第 *)?{_NUM})"
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
_IROHA_SET = frozenset(_IROHA)

_ART_RE = re.compile(rf"(附則 *)?(第 *)?({_NUM}{_LIST}*) *[条條](?![約例件文])({_BR}*)")
_PARA_RE = re.compile(rf"(附則 *)?(第 *)?({_NUM}{_LIST}*) *項")
_ITEM_RE = re.compile(rf"(第 *)?({_NUM}(?: *の *{_NUM})*{_LIST}*) *号({_BR}*)")
_RANGE_RE = re.compile(
    rf"(附則 *)?(第 *)?({_NUM}) *([条條項号])?({_BR}*) *(?:[~〜]|から) *"
    rf"(第 *)?({_NUM}) *([条條項号])(?![約例件文])({_BR}*)( *まで)?"
)
_ERA_NAMES = "明治|大正|昭和|平成|令和"
_KIND = r"法律|政令|勅令|条約|[^\s0-9()第、,。]{1,60}?(?:省令|府令|庁令|規則|告示|訓令)"
LAWNUM_BODY = rf"({_ERA_NAMES}) *(元|{_NUM}) *年(?: *({_NUM}) *月 *({_NUM}) *日)? *({_KIND}) *(?:第 *)?({_NUM}) *号"
_LAWNUM_RE = re.compile(LAWNUM_BODY)
_URL_RE = re.compile(r"https?://[!-~]+")
_CARRY_RE = re.compile(r"同(?:法|令|規則|条|項)? *(?=(?:附則 *)?第)")
_SUBDIV_RE = re.compile(
    rf"第 *{_NUM} *[章編節款目部](?: *の *{_NUM})*|附属書 *[0-9A-Za-z一二三四五六七八九十〇]*"
    rf"|前文|別表(?: *第 *{_NUM})?"
)
_SUB_RE = re.compile(rf"[{_IROHA}]+(?![ァ-ヺー])")
_LOOKALIKE_RE = re.compile(r"[二八口力工夕卜](?![\u3040-\u30ff\u4e00-\u9fff])")
_LOOKALIKES = str.maketrans("二八口力工夕卜", "ニハロカエタト")
_BARE_RE = re.compile(rf"({_NUM})(?! *[{_NUMC}条條項号年月日度章編節款目部時回人円%.・])")
_SEP_CHARS = frozenset(" 、,・/;:")
_NOT_NAME_NEXT = frozenset("(第附「」』等ほ他な及並又若")
_CONN_RE = re.compile(r"及び|および|並びに|ならびに|又は|または|若しくは|もしくは|その他|等|など|ほか|他|まで|柱書")
_REL_RE = re.compile(
    r"において(?:読み替えて)?準用する(?:場合を含む。?)?|による改正[前後]の|の規定によりなおその効力を有するものとされた"
)

_ERA_START = frozenset("明大昭平令")

# law-like endings of a name, and endings of instruments that are cited but are not laws
_LAW_SUFFIX_RE = re.compile(
    r"(?:法|法律|令|規則|規程|規範|細則|条約|協定|議定書|憲章|規約|憲法|公文|付託条項|覚書|法特例)[」』]*$"
)
_INSTRUMENT_SUFFIX_RE = re.compile(r"(?:告示|訓令|指針|要綱|基準)[」』]*$")
_NOT_LAW_END_RE = re.compile(r"(?:[方手用工製寸文技論]法|法令|命令|指令|号令)[」』]*$")
_GENERIC_NAMES = frozenset(
    {
        "法", "法律", "令", "政令", "省令", "府令", "施行令", "施行規則", "規則", "条約", "協定", "法令",
        "関係法令", "関係法律", "関連法", "関係法", "関連法令", "各法", "規程", "憲章",
    }
)  # fmt: skip
_GENERIC_PREFIX_RE = re.compile(r"^(?:その他|そのほか|その外|当該|各種?|関係|関連|ほか|他の|上記|下記|以下)")
_PARTICLES = frozenset("にのをでがはとへもや")
_LEAD_DECOR = frozenset("・●○◎■□◆◇▪▫※*-―ー‐−–—~〜:;、,/ 「『“\"'") | frozenset(_CIRCLED)
_TRAIL_STRIP_RE = re.compile(r"(?:[ 、,・/;:第]|等|など|ほか|その他|他)+$")
_LEAD_CONN_RE = re.compile(r"(?:[ 、,・/;:]|及び|および|並びに|ならびに|又は|または|若しくは|もしくは)+")
# amending and consequential-amendment acts name several laws joined by 及び/並びに
_WHOLE_ACT_RE = re.compile(r"(?:改正する法律|関係法律の整備(?:等)?に関する法律|の施行に伴う[^、,]*法律)[」』]*$")
_NAME_SPLIT_RE = re.compile(
    r" *(?:[、,・/;]|及び|および|並びに|ならびに|又は|または|若しくは|もしくは|その他|そのほか|ほか) *| +"
)


# penalties (subtracted from 1.0)
_P_NO_SUFFIX = 0.3
_P_INSTRUMENT = 0.15
_P_BARE = 0.1
_P_SUB_NO_ITEM = 0.25
_P_LOOKALIKE = 0.1
_P_GAP = 0.3
_P_MERGED = 0.1
_P_RANGE = 0.1
_P_SAME_LAW = 0.05


# ---------------------------------------------------------------------------------------------
# Numbers in provisions
# ---------------------------------------------------------------------------------------------


def _int(s: str) -> int | None:
    try:
        n = nz.kanji_to_int(s.replace(" ", ""))
    except nz.NormalizeError:
        return None
    return n if n > 0 else None


def _branched(head: str, tail: str) -> str | None:
    """Canonical ``N-M-…`` of a number and its ``のM`` branches."""
    parts = [head, *re.split(r" *[のノ] *", tail.strip())[1:]] if tail.strip() else [head]
    out = []
    for p in parts:
        n = _int(p)
        if n is None:
            return None
        out.append(str(n))
    return "-".join(out)


def _numbers(listed: str) -> list[str] | None:
    """Canonical numbers of ``3``, ``41・42``, ``第５、第６`` and ``3の2`` (a branch, in items)."""
    out = []
    for part in re.split(r" *[・,、] *", listed):
        part = part.strip().removeprefix("第").strip()
        head, _, tail = part.partition("の")
        v = _branched(head, "の" + tail if tail else "")
        if v is None:
            return None
        out.append(v)
    return out


def _is_arabic(s: str) -> bool:
    return all(c in "0123456789 ・,、第" for c in s)


# ---------------------------------------------------------------------------------------------
# Scanner: normalised text → tokens
# ---------------------------------------------------------------------------------------------

# token kinds
_TEXT, _SEP, _GLOSS, _LAWNUM, _CARRY, _POPEN, _PCLOSE = "text", "sep", "gloss", "lawnum", "carry", "(", ")"
_PNAME = "pname"  # a law name in parentheses: 昭和二十二年法律第五十四号（私的独占の禁止及び…に関する法律）
_ART, _PARA, _ITEM, _SUB, _BARE, _CIRC, _RANGE = "art", "para", "item", "sub", "bare", "circ", "range"
_PROV_KINDS = frozenset({_ART, _PARA, _ITEM, _SUB, _BARE, _CIRC, _RANGE})
_NUM_CHARS = frozenset("0123456789〇零一二三四五六七八九十百千")
_TOKEN_START = frozenset("附第同前別(「hH") | _NUM_CHARS | _ERA_START


@dataclass
class _Tok:
    kind: str
    start: int
    end: int
    values: list[str] = field(default_factory=list)  # canonical numbers (or sub-item letters)
    supp: bool = False
    unit: str = ""  # ranges: 条 / 項 / 号
    expanded: bool = True  # ranges: False when only the two ends could be kept
    penalty: float = 0.0


class _Scanner:
    def __init__(self, t: str) -> None:
        self.t = t
        self.close = self._match_brackets("(", ")")
        self.qclose = self._match_brackets("「", "」")

    def _match_brackets(self, o: str, c: str) -> dict[int, int]:
        out: dict[int, int] = {}
        stack: list[int] = []
        for i, ch in enumerate(self.t):
            if ch == o:
                stack.append(i)
            elif ch == c and stack:
                out[stack.pop()] = i
        return out

    def scan(self, start: int, end: int) -> list[_Tok]:
        t = self.t
        toks: list[_Tok] = []
        i = start
        chain = False  # inside a chain of provisions (after a provision, across separators)
        adjacent = False  # directly after a provision (only spaces since)
        last_prov: _Tok | None = None
        text_start = -1
        while i < end:
            ch = t[i]
            found: _Tok | list[_Tok] | None = None
            if ch in _TOKEN_START:
                found = self._token(i, end, chain, adjacent, last_prov, text_start >= 0)
            elif adjacent and last_prov is not None:
                found = self._after_prov(i, end, last_prov)
            if found is None and chain:
                m = _CONN_RE.match(t, i, end) or _REL_RE.match(t, i, end)
                if m is not None:
                    found = _Tok(_SEP, i, m.end())
            if found is None and ch in _SEP_CHARS:
                j = i + 1
                if ch == " ":
                    while j < end and t[j] == " ":
                        j += 1
                found = _Tok(_SEP, i, j)
            if found is None:
                if text_start < 0:
                    text_start = i
                i += 1
                chain = adjacent = False
                continue
            if text_start >= 0:
                toks.append(_Tok(_TEXT, text_start, i))
                text_start = -1
            if isinstance(found, list):  # provisions read inside parentheses
                toks.extend(found)
                i = found[-1].end
                chain, adjacent = True, False
                continue
            toks.append(found)
            i = found.end
            if found.kind in _PROV_KINDS:
                chain = adjacent = True
                last_prov = found
            elif found.kind in (_SEP, _CARRY):
                adjacent = adjacent and not t[found.start : found.end].strip()
            elif found.kind != _TEXT:
                chain = adjacent = False
        if text_start >= 0:
            toks.append(_Tok(_TEXT, text_start, end))
        return toks

    def _token(
        self, i: int, end: int, chain: bool, adjacent: bool, last_prov: _Tok | None, in_text: bool
    ) -> _Tok | list[_Tok] | None:
        t = self.t
        ch = t[i]
        if ch in "hH":
            m = _URL_RE.match(t, i, end)
            return _Tok(_GLOSS, i, m.end()) if m else None
        if ch == "(":
            return self._paren(i, end, adjacent, in_text)
        if ch == "「":
            j = self.qclose.get(i)
            if j is not None and j < end and "。" in t[i:j]:
                return _Tok(_GLOSS, i, j + 1)
            return None
        if ch in _ERA_START:
            m = _LAWNUM_RE.match(t, i, end)
            if m is not None:
                return _Tok(_LAWNUM, i, m.end())
            return None
        if ch == "同":
            m = _CARRY_RE.match(t, i, end)
            return _Tok(_CARRY, i, m.end()) if m else None
        if ch in "前別第附":
            m = _SUBDIV_RE.match(t, i, end)
            if m is not None:
                return _Tok(_GLOSS, i, m.end(), unit="subdiv")
            if ch in "前別":
                return None
        found = self._range(i, end, chain) or self._provision(i, end, chain)
        if found is None and adjacent and last_prov is not None:
            found = self._after_prov(i, end, last_prov)
        if found is None and t.startswith("附則", i):
            found = _Tok(_GLOSS, i, i + 2)
        return found

    def _range(self, i: int, end: int, chain: bool) -> _Tok | None:
        m = _RANGE_RE.match(self.t, i, end)
        if m is None:
            return None
        supp, dai1, n1, u1, br1, _dai2, n2, u2, br2, _ = m.groups()
        u1 = "条" if u1 == "條" else u1
        u2 = "条" if u2 == "條" else u2
        if u1 and u1 != u2:
            return None
        if not (dai1 or chain or n1.isascii()):
            return None
        a = _branched(n1, br1 or "")
        b = _branched(n2, br2 or "")
        if a is None or b is None:
            return None
        tok = _Tok(_RANGE, i, m.end(), supp=bool(supp), unit=u2, penalty=_P_RANGE)
        pa, pb = a.split("-"), b.split("-")
        lo, hi = int(pa[-1]), int(pb[-1])
        if len(pa) == len(pb) and pa[:-1] == pb[:-1] and lo < hi and hi - lo < 100:
            prefix = "-".join(pa[:-1])
            tok.values = [f"{prefix}-{k}" if prefix else str(k) for k in range(lo, hi + 1)]
        else:
            tok.values = [a, b]
            tok.expanded = False
        return tok

    def _provision(self, i: int, end: int, chain: bool) -> _Tok | None:
        t = self.t
        m = _ART_RE.match(t, i, end)
        if m is not None:
            supp, dai, nums, br = m.groups()
            if dai or chain or _is_arabic(nums):
                values = _numbers(nums)
                if values is not None and br:
                    last = _branched(values[-1], br)
                    values = None if last is None else [*values[:-1], last]
                if values is not None:
                    return _Tok(_ART, i, m.end(), values, supp=bool(supp))
        m = _PARA_RE.match(t, i, end)
        if m is not None:
            supp, dai, nums = m.groups()
            if dai or chain or _is_arabic(nums):
                values = _numbers(nums)
                if values is not None and all("-" not in v for v in values):
                    return _Tok(_PARA, i, m.end(), values, supp=bool(supp))
        m = _ITEM_RE.match(t, i, end)
        if m is not None:
            dai, nums, br = m.groups()
            if dai or chain or _is_arabic(nums):
                values = _numbers(nums)
                if values is not None and br:
                    last = _branched(values[-1], br)
                    values = None if last is None else [*values[:-1], last]
                if values is not None:
                    return _Tok(_ITEM, i, m.end(), values)
        return None

    def _after_prov(self, i: int, end: int, last: _Tok) -> _Tok | None:
        """Tokens valid only directly after a provision: sub-items, circled paragraphs, bare numbers."""
        t = self.t
        ch = t[i]
        if ch in _IROHA_SET:
            m = _SUB_RE.match(t, i, end)
            return _Tok(_SUB, i, m.end(), list(m.group())) if m else None
        if ch in "二八口力工夕卜" and i > 0 and t[i - 1] in "号項" and _LOOKALIKE_RE.match(t, i, end):
            return _Tok(_SUB, i, i + 1, [ch.translate(_LOOKALIKES)], penalty=_P_LOOKALIKE)
        if ch in _CIRCLED:
            return _Tok(_CIRC, i, i + 1, [str(_CIRCLED[ch])]) if last.kind == _ART else None
        if ch in _NUM_CHARS:
            m = _BARE_RE.match(t, i, end)
            if m is not None:
                v = _int(m.group(1))
                if v is not None:
                    return _Tok(_BARE, i, m.end(), [str(v)], penalty=_P_BARE)
        return None

    def _paren(self, i: int, end: int, adjacent: bool, in_text: bool) -> _Tok | list[_Tok] | None:
        t = self.t
        j = self.close.get(i)
        if j is None or j >= end:
            return None
        inner = t[i + 1 : j].strip()
        if _LAWNUM_RE.fullmatch(inner):
            return _Tok(_LAWNUM, i, j + 1)
        if adjacent and len(inner) == 1 and inner in _IROHA_SET:
            return _Tok(_SUB, i, j + 1, [inner])
        inner_toks = self.scan(i + 1, j)
        if any(x.kind in _PROV_KINDS for x in inner_toks) and all(
            x.kind in _PROV_KINDS or x.kind in (_SEP, _CARRY) for x in inner_toks
        ):
            return [_Tok(_POPEN, i, i + 1), *inner_toks, _Tok(_PCLOSE, j, j + 1)]
        nxt = t[j + 1] if j + 1 < end else ""
        if in_text and nxt and nxt not in _SEP_CHARS and nxt not in _NOT_NAME_NEXT and nxt not in _NUM_CHARS:
            return _Tok(_TEXT, i, j + 1)  # part of a name: 地域的な包括的経済連携（RCEP）協定
        if (
            not in_text
            and all(x.kind in (_TEXT, _SEP) for x in inner_toks)
            and _ends_like_law(inner)
            and _plausible_name(inner.strip("「」『』 "))
        ):
            return _Tok(_PNAME, i, j + 1)
        return _Tok(_GLOSS, i, j + 1)


# ---------------------------------------------------------------------------------------------
# Builder: tokens → citations
# ---------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Law:
    name: str | None
    name_span: tuple[int, int] | None
    start: int
    end: int
    penalty: float = 0.0
    valid: bool = True  # ends like a law (or is only a law number)
    number_span: tuple[int, int] | None = None
    gaps: list[tuple[int, int]] = field(default_factory=list)
    used: bool = False  # a provision citation has taken over the mention (its span starts at the name)
    contig_end: int = -1  # end of the provisions glued to the name (for continuing the name)


@dataclass(eq=False)
class _Cit:
    law: _Law | None
    start: int
    end: int
    article: str | None = None
    paragraph: str | None = None
    items: list[str] = field(default_factory=list)
    supp: bool = False
    penalty: float = 0.0
    gaps: list[tuple[int, int]] = field(default_factory=list)


def _ends_like_law(name: str) -> bool:
    return bool(_LAW_SUFFIX_RE.search(name)) and not _NOT_LAW_END_RE.search(name)


def _plausible_name(core: str) -> bool:
    """Not a generic phrase, not a sentence, at least two characters with a letter."""
    if len(core) < 2 or core in _GENERIC_NAMES or _GENERIC_PREFIX_RE.match(core):
        return False
    if "。" in core or "は、" in core or "を、" in core:
        return False
    return any(ch.isalpha() for ch in core)


class _Builder:
    def __init__(self, text: str, t: str, idx: list[int]) -> None:
        self.text, self.t, self.idx = text, t, idx
        self.cits: list[_Cit] = []
        self.laws: list[_Law] = []
        self.law: _Law | None = None
        self.pend: _Cit | None = None
        self.run: list[_Tok] = []
        self.owner: _Law | _Cit | None = None  # what ended at last_end (gaps attach to it)
        self.last_end = -1
        self.last_prov_end = -1
        self.loose: list[tuple[int, int]] = []
        self.swallow = -1  # tokens before this position were read as part of a law name

    # -- helpers -------------------------------------------------------------------------------
    def orig(self, s: int, e: int) -> tuple[int, int]:
        return self.idx[s], self.idx[e - 1] + 1

    def orig_text(self, s: int, e: int) -> str:
        a, b = self.orig(s, e)
        return self.text[a:b]

    def glued(self, pos: int) -> bool:
        return self.owner is not None and self.last_end <= pos and not self.t[self.last_end : pos].strip()

    def extend(self, end: int) -> None:
        assert self.owner is not None
        self.owner.end = end
        self.last_end = end

    def gap(self, s: int, e: int) -> None:
        while s < e and self.t[s] == " ":
            s += 1
        while e > s and self.t[e - 1] == " ":
            e -= 1
        if e <= s:
            return
        if self.glued(s):
            assert self.owner is not None
            self.owner.gaps.append((s, e))
            self.extend(e)
        else:
            self.loose.append((s, e))

    # -- tokens --------------------------------------------------------------------------------
    def feed(self, tok: _Tok) -> None:
        if tok.start < self.swallow:
            return
        k = tok.kind
        if k == _TEXT:
            self.run.append(tok)
        elif k == _SEP:
            if self.run:
                self.run.append(tok)
        elif k == _POPEN:
            self.flush_run("paren")
        elif k == _PCLOSE:
            if self.glued(tok.start):
                self.extend(tok.end)
        elif k == _CARRY:
            self.flush_run("carry")
            self.contiguous(tok)
        elif k == _LAWNUM:
            self.lawnum(tok)
        elif k == _PNAME:
            self.flush_run("gloss")
            self.paren_name(tok)
        elif k == _GLOSS:
            self.flush_run("gloss")
            self.gap(tok.start, tok.end)
            if tok.unit == "subdiv":
                self.contiguous(tok)
        else:
            self.flush_run("prov")
            self.provision(tok)

    def finish(self) -> list[Citation]:
        self.flush_run("end")
        for law in self.laws:
            if not law.used and law.valid:
                c = _Cit(law, law.start, law.end, gaps=list(law.gaps))
                self.cits.append(c)
        out: list[tuple[int, int, Citation]] = []
        for n, c in enumerate(self.cits):
            out.append((c.start, n, self.citation(c)))
        out.sort(key=lambda x: (x[0], x[1]))
        return [c for _, _, c in out]

    def citation(self, c: _Cit) -> Citation:
        gaps = list(c.gaps)
        for s, e in self.loose:
            if c.start <= s and e <= c.end and (s, e) not in gaps:
                gaps.append((s, e))
        gaps.sort()
        law = c.law
        penalty = c.penalty + (law.penalty if law else 0.0) + (_P_GAP if gaps else 0.0)
        a, b = self.orig(c.start, c.end)
        number = None
        if law is not None and law.number_span is not None:
            number = nz.clean(self.orig_text(*law.number_span))
        return Citation(
            raw=self.text[a:b],
            law_name=law.name if law else None,
            law_number=number,
            article=c.article,
            paragraph=c.paragraph,
            items=tuple(c.items),
            supplementary=c.supp,
            span=(a, b),
            confidence=round(min(1.0, max(0.05, 1.0 - penalty)), 2),
            complete=not gaps,
            gaps=tuple(self.orig(s, e) for s, e in gaps),
        )

    def contiguous(self, tok: _Tok) -> None:
        """A token glued to the provisions right after a law name keeps them contiguous (for merging)."""
        if self.law is not None and self.law.contig_end == tok.start:
            self.law.contig_end = tok.end
            self.last_prov_end = tok.end

    def paren_name(self, tok: _Tok) -> None:
        law = self.law
        s, e = tok.start + 1, tok.end - 1
        if law is not None and law.name is None and self.glued(tok.start):
            made = self.new_law(s, e, strict=True, attach=law)
            if made is not None:
                self.extend(tok.end)
                return
        elif law is None or not self.glued(tok.start):
            made = self.new_law(s, e, strict=True)
            if made is not None:
                made.start, made.end = tok.start, tok.end
                self.last_end = tok.end
                return
        self.gap(tok.start, tok.end)

    def lawnum(self, tok: _Tok) -> None:
        t = self.t
        s, e = tok.start, tok.end
        if t[s] == "(":
            s, e = s + 1, e - 1
        while s < e and t[s] == " ":
            s += 1
        while e > s and t[e - 1] == " ":
            e -= 1
        law = self.flush_run("lawnum")
        if law is not None and law.number_span is None:
            law.number_span = (s, e)
            self.extend(tok.end)
        elif self.law is not None and self.law.number_span is None and self.glued(tok.start):
            self.law.number_span = (s, e)
            self.extend(tok.end)
        else:
            law = _Law(None, None, tok.start, tok.end, number_span=(s, e))
            self.laws.append(law)
            self.law, self.pend, self.owner, self.last_end = law, None, law, tok.end

    # -- names ---------------------------------------------------------------------------------
    def flush_run(self, nxt: str) -> _Law | None:
        """Read the pending run of text as law name(s); returns the law provisions/numbers attach to."""
        if not self.run:
            return None
        t = self.t
        a, b = self.run[0].start, self.run[-1].end
        self.run = []
        while b > a and t[b - 1] in _SEP_CHARS:
            b -= 1
        if b <= a:
            return None
        if all(ch in _LEAD_DECOR or ch in "」』" for ch in t[a:b]):
            return None  # only bullets and punctuation
        followed = nxt in ("prov", "lawnum", "carry")
        law = self.law
        glued = a == self.last_prov_end
        # text glued to the provisions right after a name, starting with a particle, continues the name
        if glued and t[a] in _PARTICLES:
            e0 = self._trim_end(a, b, followed)
            s0 = law.name_span[0] if law is not None and law.name_span is not None else -1
            # a title going on with more provisions to a law-like end (…法第三十七条の二…に規定する特定行為
            # 及び同項第四号に規定する特定行為研修に関する省令) is one name up to the end of the text
            tail = len(t)
            while tail > b and t[tail - 1] in " 、,":
                tail -= 1
            if (
                law is not None
                and s0 >= 0
                and a == law.contig_end
                and tail > b
                and not any(ch in t[a:tail] for ch in "、, /")
                and _ends_like_law(t[s0:tail])
            ):
                e0 = self.swallow = tail
            if (
                law is not None
                and s0 >= 0
                and a == law.contig_end
                and e0 > a
                and (_ends_like_law(t[s0:e0]) or _INSTRUMENT_SUFFIX_RE.search(t[s0:e0]))
            ):
                self.cits = [c for c in self.cits if c.law is not law]
                law.name_span = (s0, e0)
                law.name = nz.clean(self.orig_text(s0, e0))
                law.valid = _ends_like_law(t[s0:e0]) or bool(_INSTRUMENT_SUFFIX_RE.search(t[s0:e0]))
                law.penalty = _P_MERGED + (0.0 if law.valid else _P_NO_SUFFIX)
                law.used = False
                law.start = s0
                law.end = law.contig_end = e0
                law.gaps = []
                self.pend, self.owner, self.last_end = None, law, e0
                if e0 < b:
                    self.gap(e0, b)
                return law
            self.gap(a, b)  # a particle continues something that is not a law name
            return None
        followed = followed and nxt != "carry"
        p = self._trim_start(a, b)
        q = self._trim_end(p, b, followed)
        if p >= q:
            self.gap(a, b)
            return None
        # split a run of names where the piece before a separator ends like a law
        pieces: list[tuple[int, int]] = []
        s = p
        whole_act = bool(_WHOLE_ACT_RE.search(t, p, q))
        for m in _NAME_SPLIT_RE.finditer(t, p, q):
            if m.start() <= s or m.end() >= q:
                continue
            if whole_act and not _SEP_CHARS.intersection(m.group()):
                continue  # 貿易保険法及び特別会計に関する法律の一部を改正する法律 is one law
            left = t[s : m.start()]
            if _ends_like_law(left) and self._acceptable(left):
                pieces.append((s, m.start()))
                s = self._trim_start(m.end(), q)
        pieces.append((s, q))
        made: _Law | None = None
        for n, (ps, pe) in enumerate(pieces):
            last = n == len(pieces) - 1
            # text glued to a provision must end like a law to start a new one (柱書及び…)
            made = self.new_law(ps, pe, strict=not (last and followed) or (n == 0 and glued))
            if made is None:
                self.gap(ps, pe)
        return made if made is not None and made.end == q else None

    def _trim_start(self, p: int, q: int) -> int:
        t = self.t
        while p < q:
            if t[p] in _LEAD_DECOR:
                p += 1
                continue
            m = _LEAD_CONN_RE.match(t, p, q) or _REL_RE.match(t, p, q)
            if m is not None and m.end() > p:
                p = m.end()
                continue
            break
        return p

    def _trim_end(self, p: int, q: int, followed: bool) -> int:
        t = self.t
        m = _TRAIL_STRIP_RE.search(t, p, q)
        if m is not None and m.start() > p:
            q = m.start()
        if followed and q - p > 1 and t[q - 1] == "の":
            q -= 1
        while q > p and t[q - 1] in "「『":
            q -= 1
        return q

    def _acceptable(self, name: str) -> bool:
        return _plausible_name(name.strip("「」『』 "))

    def new_law(self, ps: int, pe: int, strict: bool, attach: _Law | None = None) -> _Law | None:
        t = self.t
        if pe <= ps:
            return None
        ops, ope = ps, pe
        # surrounding quotes are not part of the name
        if t[ps] in "「『" and t[pe - 1] in "」』" and t.count("「", ps, pe) + t.count("『", ps, pe) == 1:
            ps, pe = ps + 1, pe - 1
        elif t[ps] in "「『" and "」" not in t[ps:pe] and "』" not in t[ps:pe]:
            ps += 1
        elif t[pe - 1] in "」』" and "「" not in t[ps:pe] and "『" not in t[ps:pe]:
            pe -= 1
        if pe <= ps:
            return None
        core = t[ps:pe]
        outer = (ops, ope)
        same = None
        if core.startswith("同法") and len(core) > 2 and self.law is not None and self.law.name:
            same = self.law.name
        if not self._acceptable(core):
            return None
        valid = _ends_like_law(core)
        instrument = not valid and bool(_INSTRUMENT_SUFFIX_RE.search(core))
        if strict and not (valid or instrument):
            return None
        penalty = 0.0 if valid else (_P_INSTRUMENT if instrument else _P_NO_SUFFIX)
        name = nz.clean(self.orig_text(ps, pe))
        if same is not None:
            name = same + (nz.clean(self.orig_text(ps + 2, pe)) or "")
            penalty += _P_SAME_LAW
        if attach is not None:  # a name for a law so far known only by its number
            attach.name, attach.name_span, attach.penalty = name, (ps, pe), penalty
            attach.valid = valid or instrument
            return attach
        law = _Law(name, (ps, pe), outer[0], outer[1], penalty=penalty, valid=valid or instrument, contig_end=pe)
        self.laws.append(law)
        self.law, self.pend, self.owner, self.last_end = law, None, law, outer[1]
        return law

    # -- provisions ----------------------------------------------------------------------------
    def new_cit(self, tok: _Tok, **kw: object) -> _Cit:
        law = self.law
        if law is not None and not law.used:
            law.used = True
            c = _Cit(law, law.start, tok.end, gaps=list(law.gaps), **kw)  # type: ignore[arg-type]
        else:
            c = _Cit(law, tok.start, tok.end, **kw)  # type: ignore[arg-type]
        self.cits.append(c)
        self.pend = c
        return c

    def provision(self, tok: _Tok) -> None:
        k, vals = tok.kind, tok.values
        pend = self.pend
        law = self.law
        unit = tok.unit if k == _RANGE else ""
        touched: list[_Cit] = []
        if k == _ART or unit == "条":
            for v in vals:
                touched.append(self.new_cit(tok, article=v, supp=tok.supp))
        elif k in (_PARA, _CIRC) or unit == "項" or (k == _BARE and pend is not None and self._wants_para(pend)):
            for v in vals:
                pend = self.pend
                if pend is not None and self._wants_para(pend) and not (tok.supp and not pend.supp):
                    pend.paragraph = v
                    touched.append(pend)
                elif pend is not None and not (tok.supp and not pend.supp):
                    touched.append(self.new_cit(tok, article=pend.article, paragraph=v, supp=pend.supp))
                else:
                    touched.append(self.new_cit(tok, paragraph=v, supp=tok.supp))
        elif k in (_ITEM, _BARE) or unit == "号":
            if pend is None or (pend.article is None and pend.paragraph is None):
                self.gap(tok.start, tok.end)
                self.contiguous(tok)
                return
            pend.items.extend(vals)
            touched.append(pend)
        elif k == _SUB:
            if pend is None or (pend.article is None and pend.paragraph is None):
                self.gap(tok.start, tok.end)
                self.contiguous(tok)
                return
            for n, letter in enumerate(vals):
                if pend.items:
                    last = pend.items[-1]
                    head, _, tail = last.rpartition("-")
                    has_sub = tail in _IROHA_SET
                    base = head if has_sub else last
                    if n == 0 and not has_sub:
                        pend.items[-1] = f"{base}-{letter}"
                    else:
                        pend.items.append(f"{base}-{letter}" if base else letter)
                else:
                    pend.items.append(letter)
                    pend.penalty += _P_SUB_NO_ITEM
            touched.append(pend)
        for c in touched:
            c.end = max(c.end, tok.end)
            c.penalty += tok.penalty
        if k == _RANGE and not tok.expanded and touched:
            touched[-1].gaps.append((tok.start, tok.end))
        if self.pend is not None:
            self.owner = self.pend
            self.last_end = tok.end
        self.last_prov_end = tok.end
        if law is not None and law.contig_end == tok.start:
            law.contig_end = tok.end

    @staticmethod
    def _wants_para(c: _Cit) -> bool:
        return c.article is not None and c.paragraph is None and not c.items


# ---------------------------------------------------------------------------------------------
# Public API: citations
# ---------------------------------------------------------------------------------------------


def parse_citations(text: str) -> list[Citation]:
    """The legal citations in a free-text 根拠法令 cell (see the module docstring); never raises."""
    if not text or nz.is_none_marker(text):
        return []
    t, idx = _normalise(text)
    sc = _Scanner(t)
    b = _Builder(text, t, idx)
    for tok in sc.scan(0, len(t)):
        b.feed(tok)
    return b.finish()


_LEFTOVER_NOISE_RE = re.compile(
    r"[\s、,，・･/／;；:：.．。\-－ー―‐‑‒–—−~～〜_＿()（）「」『』【】\[\]●○◎■□◆◇▪▫※*＊'\"“”①-⑳]"
    r"|及び|および|並びに|ならびに|又は|または|若しくは|もしくは|その他|等|など|ほか|他|同法|同|まで|から"
    r"|において(?:読み替えて)?準用する|による改正[前後]の"
)


def unparsed(text: str, citations: list[Citation]) -> list[str]:
    """Fragments of ``text`` not understood: outside every citation span (unless only whitespace,
    punctuation, bullets and connectors such as 及び / 並びに / 、 / ・ / 等 / ほか) or in a citation's gaps."""
    if not text or nz.is_none_marker(text):
        return []
    covered = sorted(c.span for c in citations)
    out: list[tuple[int, str]] = []
    pos = 0
    for s, e in [*covered, (len(text), len(text))]:
        if s > pos:
            frag = text[pos:s]
            if _LEFTOVER_NOISE_RE.sub("", nz.nfkc(_LEFTOVER_NOISE_RE.sub("", frag))):
                out.append((pos, frag.strip()))
        pos = max(pos, e)
    for c in citations:
        for s, e in c.gaps:
            out.append((s, text[s:e].strip()))
    out.sort()
    return [f for _, f in out if f]


def clean_law_name(name: str) -> str | None:
    """A law name cleaned for use as a title: bullets, surrounding 「」, parenthesised text, trailing
    provisions and law numbers removed (``②サイバーセキュリティ基本法`` → ``サイバーセキュリティ基本法``,
    ``特別会計に関する法律(平成十九年法律第二十三号)第八十五条第6項`` → ``特別会計に関する法律``)."""
    c = nz.clean(name)
    if c is None:
        return None
    basic = _basic_clean(c)
    for cit in parse_citations(c):
        if cit.law_name:
            # a title with provisions inside (…法律第六条第二項の名簿及び…に関する省令) stays whole
            rest = c[cit.span[1] :].lstrip()
            if cit.article is not None and rest[:1] in _PARTICLES and basic and _ends_like_law(basic):
                return basic
            return cit.law_name
    return basic


def _basic_clean(c: str) -> str | None:
    t = c
    prev = None
    while prev != t:
        prev = t
        t = re.sub(r"\([^()（）]*\)|（[^()（）]*）|\([^()（）]*）|（[^()（）]*\)", "", t)
    t = re.sub(r"https?://\S+", "", t)
    t = re.sub(r"^[\s・●○◎■□◆◇※\-―ー「『①-⑳]+|[\s「」『』等]+$", "", t)
    t = re.sub(r"^[「『](.*)[」』]$", r"\1", t)
    return nz.clean(t)
