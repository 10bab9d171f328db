"""Loader ``egov_law``: Japanese law texts as ELI linked data.

Three source forms, recognised by content (never by file name):

* an e-Gov 法令API v2 ``law_data`` JSON response (``law_info``, ``revision_info`` and ``law_full_text``, the
  法令標準XML tree as nested ``{tag, attr, children}`` objects);
* a 法令標準XML file (root ``<Law …>`` with a ``<LawBody>``), read with :mod:`xml.etree.ElementTree` into the
  same ``{tag, attr, children}`` form, so that one tree walker reads both;
* a third-party provisions JSON (``id`` = e-Gov 法令ID, ``provisions`` = one object per article with its
  chapter, caption and text; paragraphs are lines, items are ``"  1. …"`` lines).

``parse(unit)`` yields one :class:`LawText` (the law and the version the file gives), then one
:class:`LawNode` per structural node (編・章・節・款・目, 条, 項, 号 and 号の細分) in document order, parents
before children, and :class:`~loaders.base.LoadIssue` for what it cannot read or deliberately leaves out
(附則, 目次, 別表 …).  ``to_triples`` / ``declarations`` are pure functions of a record and the context.

Identity:

* the law (work) is ``id/law/{法令ID}``; its articles ``id/law/{法令ID}/article/{n}`` (declared, shared with
  the citations of RS sheets);
* one text version is ``id/law/{法令ID}/version/{key}``, its nodes nest below it
  (``…/version/{key}/chapter/4/article/30-2/paragraph/2/item/1``).  The version key is the e-Gov revision's
  enforcement date (``YYYY-MM-DD``) when the source gives one, else the ``version_key`` of the file's entry
  in a sibling ``MANIFEST.json``, else ``sha-{first 12 hex digits of the file's SHA-256}``;
* numbers are canonical: ``Num="30_2"`` / 第三十条の二 → ``30-2``.

Provenance: every node carries ``prov:wasDerivedFrom`` a fragment of the source naming where it was read:
an RFC 6901 JSON Pointer for JSON (``#/provisions/30``, ``#/law_full_text/children/1/children/3``) and an
XPointer for XML (``#xpointer(/Law/LawBody/MainProvision/Chapter%5B4%5D/Article%5B3%5D)``; positions are
given where a tag repeats among its siblings), percent-encoded to be valid IRIs.

Law type (``cbkg:lawType`` → ``code/law-type/…``): from e-Gov's ``law_type`` / ``LawType`` (``Constitution``
→ constitution, ``Act`` → act, ``CabinetOrder`` → cabinet-order, ``ImperialOrder`` → imperial-ordinance,
``MinisterialOrdinance`` → ministerial-ordinance, ``Rule`` → rule, ``Misc`` → other), else from the 法令ID's
type letters (``CONSTITUTION`` → constitution, ``AC`` → act, ``CO`` → cabinet-order, ``IO`` →
imperial-ordinance, ``M`` + 2 → ministerial-ordinance, ``R`` + 2 → rule, anything else (太政官布告 ``DF`` …)
→ other).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.namespaces import ELI, PROV
from ontology.terms import IRI, Literal, Triple

from . import common
from . import normalize as nz
from .base import LoaderError, LoadIssue, MapContext, SourceUnit, issue_triples

NAME = "egov_law"
VERSION = "1.0.0"
TITLE = "Japanese law text (e-Gov 法令API v2 law_data JSON, 法令標準XML, provisions JSON)"
__all__ = [
    "NAME",
    "TITLE",
    "VERSION",
    "LawNode",
    "LawText",
    "cost",
    "declarations",
    "detect",
    "graph_key",
    "parse",
    "to_triples",
    "units",
]

FORMAT_EGOV_JSON = "egov-json"
FORMAT_XML = "egov-xml"
FORMAT_PROVISIONS = "provisions-json"


# -- records ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LawText:
    """The first record of a file: which law, which version of its text, and what is known about both.

    ``version`` is the version key (IRI segment); ``version_date`` the ISO date the text is valid from, when
    the source gives it.  ``law_type`` is a ``code/law-type`` notation.
    """

    law_id: str
    version: str
    source_format: str
    title: str | None = None
    version_date: str | None = None
    version_note: str | None = None
    abbrevs: tuple[str, ...] = ()
    titles_en: tuple[str, ...] = ()
    law_number: str | None = None
    promulgation_date: str | None = None
    law_type: str | None = None


@dataclass(frozen=True, slots=True)
class LawNode:
    """One structural node of a law version.

    ``steps`` is its path below the version (``(("chapter", "4"), ("article", "30-2"))``), the last step being
    this node's own kind and canonical number; ``sources`` the source fragments (percent-encoded, without
    ``#``) it was read from.
    """

    law_id: str
    version: str
    kind: str
    steps: tuple[tuple[str, str], ...]
    sources: tuple[str, ...]
    heading: str | None = None
    title: str | None = None
    caption: str | None = None
    text: str | None = None
    order: int | None = None

    @property
    def number(self) -> str:
        return self.steps[-1][1]


# -- vocabulary ---------------------------------------------------------------------------------------------
TYPE = t.RDF_TYPE
DERIVED = IRI(PROV + "wasDerivedFrom")
ELI_LEGAL_RESOURCE = IRI(ELI + "LegalResource")
ELI_SUBDIVISION = IRI(ELI + "LegalResourceSubdivision")
ELI_IS_PART_OF = IRI(ELI + "is_part_of")
ELI_HAS_PART = IRI(ELI + "has_part")
ELI_NUMBER = IRI(ELI + "number")
ELI_TITLE = IRI(ELI + "title")
ELI_TITLE_SHORT = IRI(ELI + "title_short")
ELI_TITLE_ALTERNATIVE = IRI(ELI + "title_alternative")
ELI_DATE_DOCUMENT = IRI(ELI + "date_document")
ELI_VERSION = IRI(ELI + "version")
ELI_VERSION_DATE = IRI(ELI + "version_date")

P_VERSION_OF = cbkg("versionOf")
P_VERSION_KEY = cbkg("versionKey")
P_VERSION_NOTE = cbkg("versionNote")
P_LAW_NUMBER = cbkg("lawNumber")
P_LAW_TYPE = cbkg("lawType")
P_HEADING = cbkg("heading")
P_CAPTION = cbkg("caption")
P_TEXT = cbkg("text")
P_ORDER = cbkg("order")
P_WORK_PROVISION = cbkg("workProvision")
C_LAW_VERSION = cbkg("LawVersion")
CONSOLIDATED = code("law-version", "consolidated")
"""``eli:version`` is an object property whose range is a concept (ELI's ``eli:Version``), hence a code IRI."""

NODE_CLASS = {
    "part": cbkg("Part"),
    "chapter": cbkg("Chapter"),
    "section": cbkg("LawSection"),  # cbkg:Section is the organisational 班
    "subsection": cbkg("LawSubsection"),  # cbkg:Subsection is the organisational 係
    "division": cbkg("LawDivision"),  # cbkg:Division is the organisational 課
    "article": cbkg("Article"),
    "paragraph": cbkg("Paragraph"),
    "item": cbkg("Item"),
    "subitem": cbkg("Item"),
}

LAW_TYPES = {
    "Constitution": "constitution",
    "Act": "act",
    "CabinetOrder": "cabinet-order",
    "ImperialOrder": "imperial-ordinance",
    "MinisterialOrdinance": "ministerial-ordinance",
    "Rule": "rule",
    "Misc": "other",
}
"""e-Gov ``law_type`` / 法令標準XML ``LawType`` → ``code/law-type`` notation."""

ERAS = {"Meiji": "明治", "Taisho": "大正", "Showa": "昭和", "Heisei": "平成", "Reiwa": "令和"}
ERA_CODES = {"Meiji": "1", "Taisho": "2", "Showa": "3", "Heisei": "4", "Reiwa": "5"}


def law_type_from_id(law_id: str) -> str:
    """``code/law-type`` notation from the type letters of a 法令ID (see the module docstring)."""
    kind = law_id[3:]
    if kind.startswith("CONSTITUTION"):
        return "constitution"
    if kind.startswith("AC"):
        return "act"
    if kind.startswith("CO"):
        return "cabinet-order"
    if kind.startswith("IO"):
        return "imperial-ordinance"
    if re.match(r"M[0-9A-Z]{2}", kind):
        return "ministerial-ordinance"
    if re.match(r"R[0-9A-Z]{2}", kind):
        return "rule"
    return "other"


# -- detection ------------------------------------------------------------------------------------------------
_BOM = b"\xef\xbb\xbf"
_XML_ROOT = re.compile(
    r"\A(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?.*?\?>\s*)*(?:<!DOCTYPE[^>]*>\s*)?"
    r"(?:<!--.*?-->\s*|<\?.*?\?>\s*)*<Law[\s>]",
    re.S,
)
_LAW_BODY = re.compile(r"<LawBody[\s>/]")
_JSON_FULL_TEXT = re.compile(r'"law_full_text"\s*:\s*\{')
_JSON_PROVISIONS = re.compile(r'"provisions"\s*:\s*\[')
_JSON_ID = re.compile(r'"id"\s*:\s*"(\d{3}[A-Z][A-Z0-9][0-9A-Z]{10})"')


def _head_text(head: bytes) -> str:
    while head.startswith(_BOM):
        head = head[len(_BOM) :]
    return head.decode("utf-8", errors="ignore").lstrip()


def _sniff(head: bytes, complete: bool = False) -> str | None:
    """The source form of a file from its first bytes (``complete``: ``head`` is the whole file)."""
    text = _head_text(head)
    if text.startswith("<"):
        return FORMAT_XML if _XML_ROOT.match(text) and _LAW_BODY.search(text) else None
    if not text.startswith("{"):
        return None
    if complete:  # the whole file: decide on the parsed document
        try:
            return _json_form(json.loads(text))
        except ValueError:
            pass  # cut or malformed: judge by the keys (a malformed law file is then refused by parse, named)
    if _JSON_FULL_TEXT.search(text):
        return FORMAT_EGOV_JSON
    if _JSON_PROVISIONS.search(text) and _JSON_ID.search(text):
        return FORMAT_PROVISIONS
    return None


def _json_form(obj: Any) -> str | None:
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("law_full_text"), dict):
        return FORMAT_EGOV_JSON
    law_id = obj.get("id")
    if isinstance(obj.get("provisions"), list) and isinstance(law_id, str) and common.LAW_ID.match(law_id):
        return FORMAT_PROVISIONS
    return None


_HEAD_SIZE = 65536


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for a law text: 法令標準XML (``<Law>`` root with ``<LawBody>``), an e-Gov ``law_data`` JSON
    (``law_full_text``) or a provisions JSON (a ``provisions`` list and an e-Gov 法令ID as ``id``)."""
    return _sniff(head, complete=len(head) < _HEAD_SIZE) is not None


def units(path: Path) -> list[SourceUnit]:
    """One unit per file."""
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file size."""
    return float(unit.size())


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``law/{法令ID}/{version key}``: the same version of a law replaces its previous load."""
    doc = _read(unit)
    return f"law/{doc.law_id}/{doc.version}"


# -- reading --------------------------------------------------------------------------------------------------
_NAMED_ID = re.compile(r"(?<![0-9A-Z])(\d{3}[A-Z][A-Z0-9][0-9A-Z]{10})(?:_(\d{8})_([0-9A-Z]{15}))?(?![0-9A-Z])")


@dataclass
class _Doc:
    """A source file read and identified (shared by ``graph_key`` and ``parse``)."""

    fmt: str
    obj: Any
    tree: dict[str, Any] | None
    law_id: str
    version: str
    version_date: str | None
    manifest: dict[str, Any]
    issues: list[LoadIssue] = field(default_factory=list)


def _read_bytes(unit: SourceUnit) -> bytes:
    try:
        with unit.open() as fh:
            return fh.read()
    except OSError as exc:
        raise LoaderError(str(unit), f"unreadable file: {exc}") from exc


def _xml_tree(unit: SourceUnit, data: bytes) -> dict[str, Any]:
    if b"<!ENTITY" in data[:_HEAD_SIZE]:
        raise LoaderError(str(unit), "XML declares entities; refused (法令標準XML uses none)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise LoaderError(str(unit), f"malformed XML: {exc}") from exc
    return element_to_tree(root)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def _keep_text(s: str | None) -> bool:
    # indentation between elements (ASCII white space with a line break) is layout, not law text
    return bool(s) and not (s.strip(" \t\r\n") == "" and "\n" in s)  # type: ignore[operator]


def element_to_tree(el: ET.Element) -> dict[str, Any]:
    """An ElementTree element in e-Gov's JSON form ``{tag, attr, children}`` (children: dicts and strings)."""
    children: list[Any] = []
    if _keep_text(el.text):
        children.append(el.text)
    for child in el:
        if not isinstance(child.tag, str):  # comments and processing instructions
            if _keep_text(child.tail):
                children.append(child.tail)
            continue
        children.append(element_to_tree(child))
        if _keep_text(child.tail):
            children.append(child.tail)
    # merge adjacent strings (left by skipped comments)
    merged: list[Any] = []
    for c in children:
        if isinstance(c, str) and merged and isinstance(merged[-1], str):
            merged[-1] += c
        else:
            merged.append(c)
    return {"tag": _local(el.tag), "attr": {_local(k): v for k, v in el.attrib.items()}, "children": merged}


def _manifest(unit: SourceUnit) -> tuple[dict[str, Any], LoadIssue | None]:
    """The entry of this file in a ``MANIFEST.json`` next to it (looked up by file name)."""
    if unit.member is not None:
        return {}, None
    path = unit.path.parent / "MANIFEST.json"
    if not path.is_file():
        return {}, None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        entries = manifest.get("files", []) if isinstance(manifest, dict) else []
        for entry in entries:
            if isinstance(entry, dict) and Path(str(entry.get("path", ""))).name == unit.name:
                return entry, None
    except (OSError, ValueError) as exc:
        return {}, LoadIssue("law-metadata", f"MANIFEST.json next to the file is unreadable: {exc}", "warning")
    return {}, None


def _iso_date(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return _dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def _read(unit: SourceUnit) -> _Doc:
    """Read, recognise and identify a law file (raises :class:`LoaderError` when it is not a law text)."""
    data = _read_bytes(unit)
    text_head = _head_text(data[:4096])[:1]
    issues: list[LoadIssue] = []
    tree: dict[str, Any] | None = None
    obj: Any = None
    if text_head.startswith("<"):
        fmt = FORMAT_XML
        tree = _xml_tree(unit, data)
        if tree["tag"] != "Law":
            raise LoaderError(str(unit), f"not a law text: XML root is <{tree['tag']}>, expected <Law>")
    elif text_head.startswith("{"):
        try:
            obj = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise LoaderError(str(unit), f"not UTF-8: {exc}") from exc
        except ValueError as exc:
            raise LoaderError(str(unit), f"malformed JSON: {exc}") from exc
        form = _json_form(obj)
        if form is None:
            raise LoaderError(
                str(unit), "not a law text: JSON has neither law_full_text nor provisions with an e-Gov 法令ID"
            )
        fmt = form
        if fmt == FORMAT_EGOV_JSON:
            tree = obj["law_full_text"]
            if tree.get("tag") != "Law":
                raise LoaderError(str(unit), f"not a law text: law_full_text is <{tree.get('tag')}>, expected <Law>")
    else:
        raise LoaderError(str(unit), "not a law text (neither 法令標準XML nor JSON)")

    entry, problem = _manifest(unit)
    if problem is not None:
        issues.append(problem)
    law_id, version_date = _identify(unit, fmt, obj, tree, entry)
    manifest_key = entry.get("version_key")
    if version_date is not None:
        version = version_date
        if isinstance(manifest_key, str) and manifest_key.strip() and manifest_key.strip() != version_date:
            issues.append(
                LoadIssue(
                    "law-metadata",
                    "MANIFEST.json version_key not used: the source gives the version's enforcement date",
                    "info",
                    value=manifest_key,
                )
            )
    elif isinstance(entry.get("version_key"), str) and entry["version_key"].strip():
        version = entry["version_key"].strip()
    else:
        version = "sha-" + hashlib.sha256(data).hexdigest()[:12]
    return _Doc(fmt, obj, tree, law_id, version, version_date, entry, issues)


def _identify(
    unit: SourceUnit, fmt: str, obj: Any, tree: dict[str, Any] | None, entry: dict[str, Any]
) -> tuple[str, str | None]:
    """(法令ID, version date) of a file."""
    if fmt == FORMAT_PROVISIONS:
        return obj["id"], None
    if fmt == FORMAT_EGOV_JSON:
        info = obj.get("law_info") if isinstance(obj.get("law_info"), dict) else {}
        rev = obj.get("revision_info") if isinstance(obj.get("revision_info"), dict) else {}
        law_id = info.get("law_id") if isinstance(info.get("law_id"), str) else None
        date = None
        rid = rev.get("law_revision_id")
        split = common.split_law_id(rid) if isinstance(rid, str) else None
        if split is not None:
            law_id = law_id or split[0]
            date = split[1]
        date = date or _iso_date(rev.get("amendment_enforcement_date"))
        if law_id is None or common.split_law_id(law_id) is None:
            raise LoaderError(str(unit), "e-Gov law_data without a valid law_info.law_id")
        return law_id.strip().upper(), date
    # 法令標準XML: the ID is not in the content; e-Gov names files by 法令ID or 法令履歴ID
    assert tree is not None
    m = _NAMED_ID.search(unit.name)
    law_id, date = None, None
    if m is not None:
        law_id = m.group(1)
        if m.group(2):
            split = common.split_law_id(m.group(0))
            date = split[1] if split else None
    elif isinstance(entry.get("law_id"), str) and common.split_law_id(entry["law_id"]):
        law_id = entry["law_id"].strip().upper()
    if law_id is None:
        raise LoaderError(
            str(unit),
            "法令標準XML does not state its 法令ID: name the file by its 法令ID or 法令履歴ID "
            "(as e-Gov does) or give law_id in its MANIFEST.json entry",
        )
    attr = tree.get("attr") if isinstance(tree.get("attr"), dict) else {}
    era, year, num = attr.get("Era"), attr.get("Year"), attr.get("Num")
    contradicts = False
    if era in ERA_CODES and isinstance(year, str) and year.isdigit():
        contradicts = law_id[:3] != f"{ERA_CODES[era]}{int(year):02d}"
    if isinstance(num, str) and num.isdigit() and law_id[-6:].isdigit():
        contradicts = contradicts or int(law_id[-6:]) != int(num)
    if contradicts:
        raise LoaderError(str(unit), f"法令ID {law_id} (from the file name) contradicts the <Law> attributes")
    return law_id, date


# -- text helpers ---------------------------------------------------------------------------------------------
def _is_el(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("tag"), str)


def plain_text(node: Any) -> str:
    """The text of a node: all its strings in order, without ruby readings (``Rt``)."""
    if isinstance(node, str):
        return node
    if not _is_el(node) or node["tag"] == "Rt":
        return ""
    children = node.get("children")
    if not isinstance(children, list):
        return ""
    return "".join(plain_text(c) for c in children)


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


_CANONICAL_NUM = re.compile(r"\d+(?:_\d+)*")
_KEPT_NUM = re.compile(r"[0-9A-Za-z][0-9A-Za-z:\-]*")
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


def _label_number(kind: str, label: str) -> str | None:
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


def _fragment(s: str) -> str:
    return quote(s, safe="/()=:@!$&'*+,;-._~?")


def json_pointer(*tokens: str | int) -> str:
    """An RFC 6901 JSON Pointer, escaped and percent-encoded for an IRI fragment."""
    return _fragment("".join("/" + str(tok).replace("~", "~0").replace("/", "~1") for tok in tokens))


# a node's location: (index among the parent's children, tag, position among same-tag siblings, their count)
_Step = tuple[int, str, int, int]


def _render(fmt: str, path: tuple[_Step, ...]) -> str:
    if fmt == FORMAT_XML:
        xp = "/Law" + "".join(f"/{tag}" + (f"[{pos}]" if n > 1 else "") for _, tag, pos, n in path)
        return _fragment(f"xpointer({xp})")
    tokens: list[str | int] = ["law_full_text"]
    for i, *_ in path:
        tokens += ["children", i]
    return json_pointer(*tokens)


# -- the tree walker (one implementation for XML and e-Gov JSON) ----------------------------------------------
_DIVISIONS = {
    "Part": "part",
    "Chapter": "chapter",
    "Section": "section",
    "Subsection": "subsection",
    "Division": "division",
}
_SKIPPED_PARTS = {
    "TOC": "table of contents not mapped (it repeats the headings)",
    "SupplProvision": "supplementary provisions not mapped (附則)",
    "EnactStatement": "enacting statement not mapped (制定文)",
    "Preamble": "preamble not mapped (前文)",
    "AppdxTable": "appended tables not mapped (別表)",
    "AppdxNote": "appended notes not mapped (別記)",
    "AppdxStyle": "appended styles not mapped (別記様式)",
    "AppdxFormat": "appended formats not mapped (別記書式)",
    "AppdxFig": "appended figures not mapped (別図)",
    "Appdx": "appendices not mapped (付録)",
}


class _Walker:
    def __init__(self, fmt: str, law_id: str, version: str) -> None:
        self.fmt = fmt
        self.law_id = law_id
        self.version = version
        self.order = 0
        self.seen: set[tuple[tuple[str, str], ...]] = set()
        self.skipped: dict[tuple[str, str, str], list[str]] = {}

    # helpers ---------------------------------------------------------------------------------------------
    def loc(self, path: tuple[_Step, ...]) -> str:
        return _render(self.fmt, path)

    def where(self, path: tuple[_Step, ...]) -> str:
        """The location for people (issue reasons): not percent-encoded."""
        return unquote(self.loc(path))

    def skip(self, code_: str, severity: str, reason: str, path: tuple[_Step, ...]) -> None:
        self.skipped.setdefault((code_, severity, reason), []).append(self.where(path))

    def skipped_issues(self) -> Iterator[LoadIssue]:
        for (code_, severity, reason), locs in self.skipped.items():
            where = f"at {locs[0]}" if len(locs) == 1 else f"{len(locs)} elements, first at {locs[0]}"
            yield LoadIssue(code_, f"{reason} ({where})", severity)  # type: ignore[arg-type]

    def elements(self, node: dict[str, Any], path: tuple[_Step, ...]) -> Iterator[tuple[dict[str, Any], tuple]]:
        children = node.get("children")
        if children is None:
            return
        if not isinstance(children, list):
            self.skip("law-structure", "error", "children is not a list; content not mapped", path)
            return
        counts = Counter(c["tag"] for c in children if _is_el(c))
        pos: Counter[str] = Counter()
        for i, c in enumerate(children):
            if _is_el(c):
                pos[c["tag"]] += 1
                yield c, (*path, (i, c["tag"], pos[c["tag"]], counts[c["tag"]]))
            elif isinstance(c, str):
                if c.strip():
                    self.skip("law-content-not-mapped", "warning", "text outside any provision not mapped", path)
            else:
                self.skip("law-structure", "error", "a child that is neither an element nor text; not mapped", path)

    def number(
        self, kind: str, node: dict[str, Any], label: str, path: tuple[_Step, ...], fallback: int
    ) -> tuple[str, list[LoadIssue]]:
        """Canonical number of a node from its ``Num`` attribute, checked against its printed label."""
        issues: list[LoadIssue] = []
        attr = node.get("attr") if isinstance(node.get("attr"), dict) else {}
        raw = attr.get("Num")
        stated = _label_number(kind, label) if label else None
        if isinstance(raw, str) and _CANONICAL_NUM.fullmatch(raw.strip()):
            num = "-".join(str(int(p)) for p in raw.strip().split("_"))
            if stated is not None and stated != num:
                issues.append(
                    LoadIssue(
                        "law-numbering",
                        f"{kind} Num={raw!r} but its label reads {stated}; Num used ({self.where(path)})",
                        "warning",
                        value=label,
                    )
                )
            return num, issues
        kept = nz.nfkc(raw).strip().replace("_", "-") if isinstance(raw, str) else ""
        if _KEPT_NUM.fullmatch(kept):  # ASCII only: the number is also an IRI path segment
            num = kept
            issues.append(
                LoadIssue(
                    "law-numbering",
                    f"{kind} number {raw!r} is not canonical (e.g. a range of deleted provisions); kept as written "
                    f"({self.where(path)})",
                    "info",
                    value=raw,
                )
            )
            return num, issues
        if stated is not None:
            return stated, issues
        issues.append(
            LoadIssue(
                "law-numbering",
                f"{kind} without Num; numbered {fallback} by its position ({self.where(path)})",
                "warning",
                value=label or None,
            )
        )
        return str(fallback), issues

    def node(
        self, kind: str, steps: tuple[tuple[str, str], ...], path: tuple[_Step, ...], **kw: Any
    ) -> LawNode | LoadIssue:
        if steps in self.seen:
            return LoadIssue(
                "law-structure",
                f"a second {kind} numbered {steps[-1][1]} in the same place; not mapped ({self.where(path)})",
                "error",
                value=kw.get("heading") or kw.get("text"),
            )
        self.seen.add(steps)
        return LawNode(self.law_id, self.version, kind, steps, (self.loc(path),), **kw)

    # structure -------------------------------------------------------------------------------------------
    def walk(self, root: dict[str, Any]) -> Iterator[LawNode | LoadIssue]:
        for el, path in self.elements(root, ()):
            if el["tag"] == "LawNum":
                continue
            if el["tag"] != "LawBody":
                self.skip("law-content-not-mapped", "warning", f"<{el['tag']}> under <Law> not mapped", path)
                continue
            for part, ppath in self.elements(el, path):
                tag = part["tag"]
                if tag == "LawTitle":
                    continue
                if tag == "MainProvision":
                    yield from self.container(part, ppath, ())
                elif tag in _SKIPPED_PARTS:
                    self.skip("law-part-not-mapped", "info", _SKIPPED_PARTS[tag], ppath)
                else:
                    self.skip("law-content-not-mapped", "warning", f"<{tag}> under <LawBody> not mapped", ppath)
        yield from self.skipped_issues()

    def container(
        self, node: dict[str, Any], path: tuple[_Step, ...], steps: tuple[tuple[str, str], ...]
    ) -> Iterator[LawNode | LoadIssue]:
        title_tag = f"{node['tag']}Title"
        for el, epath in self.elements(node, path):
            tag = el["tag"]
            if tag == title_tag:
                continue
            if tag in _DIVISIONS:
                yield from self.division(el, epath, steps)
            elif tag == "Article":
                yield from self.article(el, epath, steps)
            elif tag == "Paragraph":
                yield from self.paragraph(el, epath, steps)
            else:
                self.skip("law-content-not-mapped", "warning", f"<{tag}> in <{node['tag']}> not mapped", epath)

    def _child_text(self, node: dict[str, Any], tag: str) -> str | None:
        for c in node.get("children") or []:
            if _is_el(c) and c["tag"] == tag:
                return plain_text(c)
        return None

    def division(
        self, node: dict[str, Any], path: tuple[_Step, ...], steps: tuple[tuple[str, str], ...]
    ) -> Iterator[LawNode | LoadIssue]:
        kind = _DIVISIONS[node["tag"]]
        heading = self._child_text(node, f"{node['tag']}Title")
        num, issues = self.number(kind, node, heading or "", path, path[-1][2])
        yield from issues
        title = split_division_title(heading)[1] if heading else None
        own = (*steps, (kind, num))
        rec = self.node(kind, own, path, heading=heading or None, title=title)
        yield rec
        if isinstance(rec, LawNode):
            yield from self.container(node, path, own)

    def article(
        self, node: dict[str, Any], path: tuple[_Step, ...], steps: tuple[tuple[str, str], ...]
    ) -> Iterator[LawNode | LoadIssue]:
        heading = self._child_text(node, "ArticleTitle")
        caption = self._child_text(node, "ArticleCaption")
        num, issues = self.number("article", node, heading or "", path, path[-1][2])
        yield from issues
        own = (*steps, ("article", num))
        self.order += 1
        rec = self.node("article", own, path, heading=heading or None, caption=caption or None, order=self.order)
        yield rec
        if not isinstance(rec, LawNode):
            return
        for el, epath in self.elements(node, path):
            tag = el["tag"]
            if tag in ("ArticleTitle", "ArticleCaption"):
                continue
            if tag == "Paragraph":
                yield from self.paragraph(el, epath, own)
            else:
                self.skip("law-content-not-mapped", "warning", f"<{tag}> in <Article> not mapped", epath)

    def sentence_text(self, node: dict[str, Any], path: tuple[_Step, ...]) -> str:
        """Text of a …Sentence element: its sentences in order; columns (Column) separated by a full-width space."""
        parts: list[str] = []
        columns = False
        for el, epath in self.elements(node, path):
            tag = el["tag"]
            if tag == "Column":
                columns = True
                parts.append(self.sentence_text(el, epath))
            elif tag == "Sentence":
                parts.append(plain_text(el))
            else:
                self.skip("law-content-not-mapped", "warning", f"<{tag}> in <{node['tag']}> not mapped", epath)
        return ("\u3000" if columns else "").join(parts)

    def paragraph(
        self, node: dict[str, Any], path: tuple[_Step, ...], steps: tuple[tuple[str, str], ...]
    ) -> Iterator[LawNode | LoadIssue]:
        label = self._child_text(node, "ParagraphNum") or ""
        num, issues = self.number("paragraph", node, label, path, path[-1][2])
        yield from issues
        own = (*steps, ("paragraph", num))
        text = None
        for el, epath in self.elements(node, path):
            if el["tag"] == "ParagraphSentence":
                text = self.sentence_text(el, epath)
        caption = self._child_text(node, "ParagraphCaption")
        rec = self.node("paragraph", own, path, heading=label.strip() or None, caption=caption or None, text=text)
        yield rec
        if not isinstance(rec, LawNode):
            return
        for el, epath in self.elements(node, path):
            tag = el["tag"]
            if tag in ("ParagraphNum", "ParagraphSentence", "ParagraphCaption"):
                continue
            if tag == "Item":
                yield from self.item(el, epath, own, 0)
            else:
                self.skip("law-content-not-mapped", "warning", f"<{tag}> in <Paragraph> not mapped", epath)

    def item(
        self, node: dict[str, Any], path: tuple[_Step, ...], steps: tuple[tuple[str, str], ...], level: int
    ) -> Iterator[LawNode | LoadIssue]:
        tag = node["tag"]
        kind = "item" if level == 0 else "subitem"
        label = self._child_text(node, f"{tag}Title") or ""
        num, issues = self.number(kind, node, label, path, path[-1][2])
        yield from issues
        own = (*steps, (kind, num))
        text = None
        for el, epath in self.elements(node, path):
            if el["tag"] == f"{tag}Sentence":
                text = self.sentence_text(el, epath)
        rec = self.node(kind, own, path, heading=label.strip() or None, text=text)
        yield rec
        if not isinstance(rec, LawNode):
            return
        sub = f"Subitem{level + 1}"
        for el, epath in self.elements(node, path):
            ctag = el["tag"]
            if ctag in (f"{tag}Title", f"{tag}Sentence"):
                continue
            if ctag == sub:
                yield from self.item(el, epath, own, level + 1)
            else:
                self.skip("law-content-not-mapped", "warning", f"<{ctag}> in <{tag}> not mapped", epath)


# -- metadata -------------------------------------------------------------------------------------------------
def _tree_meta(tree: dict[str, Any]) -> dict[str, Any]:
    """What the 法令標準XML tree says about the law: title, abbreviations, number, promulgation date, type."""
    out: dict[str, Any] = {}
    attr = tree.get("attr") if isinstance(tree.get("attr"), dict) else {}
    for c in tree.get("children") or []:
        if not _is_el(c):
            continue
        if c["tag"] == "LawNum":
            out["law_number"] = plain_text(c).strip() or None
        elif c["tag"] == "LawBody":
            for b in c.get("children") or []:
                if _is_el(b) and b["tag"] == "LawTitle":
                    out["title"] = plain_text(b).strip() or None
                    battr = b.get("attr") if isinstance(b.get("attr"), dict) else {}
                    out["abbrev"] = battr.get("Abbrev")
    out["law_type"] = attr.get("LawType")
    era, year, month, day = (attr.get(k) for k in ("Era", "Year", "PromulgateMonth", "PromulgateDay"))
    if era in ERAS and all(isinstance(v, str) and v.isdigit() for v in (year, month, day)):
        try:
            y = nz.era_year(ERAS[era], int(year))
            out["promulgation_date"] = _dt.date(y, int(month), int(day)).isoformat()
        except (nz.NormalizeError, ValueError):
            out["promulgation_date"] = None
    return out


def _abbrevs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, str):
        return ()
    return tuple(dict.fromkeys(a.strip() for a in re.split(r"[,，、]", value) if a.strip()))


_EGOV_USED = {
    "law_info": {"law_id", "law_num", "promulgation_date", "law_type"},
    "revision_info": {"law_revision_id", "law_title", "abbrev", "law_type", "amendment_enforcement_date"},
}


def _law_text(doc: _Doc) -> tuple[LawText, list[LoadIssue]]:
    issues: list[LoadIssue] = []
    note = doc.manifest.get("version_note") if isinstance(doc.manifest.get("version_note"), str) else None
    if doc.fmt == FORMAT_PROVISIONS:
        obj = doc.obj
        titles_en = tuple(
            dict.fromkeys(
                v.strip() for v in (obj.get("title_en"), obj.get("short_name")) if isinstance(v, str) and v.strip()
            )
        )
        number = obj.get("law_number") if isinstance(obj.get("law_number"), str) else None
        unmapped = {
            k: v
            for k, v in obj.items()
            if k not in ("id", "title", "title_en", "short_name", "law_number", "provisions") and v not in (None, "")
        }
        if unmapped:
            issues.append(
                LoadIssue(
                    "law-metadata",
                    f"metadata not mapped: {', '.join(unmapped)}",
                    "info",
                    value=json.dumps(unmapped, ensure_ascii=False, sort_keys=True),
                )
            )
        title = obj.get("title") if isinstance(obj.get("title"), str) else None
        return (
            LawText(
                doc.law_id,
                doc.version,
                doc.fmt,
                title=title.strip() if title and title.strip() else None,
                version_date=doc.version_date,
                version_note=note,
                titles_en=titles_en,
                law_number=number.strip() if number and number.strip() else None,
                law_type=law_type_from_id(doc.law_id),
            ),
            issues,
        )
    assert doc.tree is not None
    meta = _tree_meta(doc.tree)
    if doc.fmt == FORMAT_EGOV_JSON:
        info = doc.obj.get("law_info") if isinstance(doc.obj.get("law_info"), dict) else {}
        rev = doc.obj.get("revision_info") if isinstance(doc.obj.get("revision_info"), dict) else {}
        for key, value in (
            ("title", rev.get("law_title")),
            ("abbrev", rev.get("abbrev")),
            ("law_number", info.get("law_num")),
            ("law_type", info.get("law_type") or rev.get("law_type")),
        ):
            if isinstance(value, str) and value.strip():
                meta[key] = value.strip()
        if "promulgation_date" in info:
            iso = _iso_date(info.get("promulgation_date"))
            if iso is None and info.get("promulgation_date") is not None:
                issues.append(
                    LoadIssue(
                        "law-metadata",
                        "law_info.promulgation_date is not a date; not mapped",
                        "warning",
                        value=str(info.get("promulgation_date")),
                    )
                )
            meta["promulgation_date"] = iso or meta.get("promulgation_date")
        unmapped = {
            f"{section}.{k}": v
            for section, d in (("law_info", info), ("revision_info", rev))
            for k, v in d.items()
            if k not in _EGOV_USED[section] and v not in (None, "")
        }
        unmapped.update({k: v for k, v in doc.obj.items() if k not in _EGOV_USED and k != "law_full_text" and v})
        if unmapped:
            issues.append(
                LoadIssue(
                    "law-metadata",
                    f"metadata not mapped: {', '.join(unmapped)}",
                    "info",
                    value=json.dumps(unmapped, ensure_ascii=False, sort_keys=True),
                )
            )
    raw_type = meta.get("law_type")
    law_type = LAW_TYPES.get(raw_type) if isinstance(raw_type, str) else None
    by_id = law_type_from_id(doc.law_id)
    if law_type is None:
        if raw_type:
            issues.append(
                LoadIssue("law-metadata", "unknown law type; derived from the 法令ID", "warning", value=raw_type)
            )
        law_type = by_id
    elif law_type != by_id and not (law_type == "other" or by_id == "other"):
        issues.append(
            LoadIssue(
                "law-metadata",
                f"law type {raw_type} disagrees with the 法令ID {doc.law_id} ({by_id}); the stated type is used",
                "warning",
                value=raw_type,
            )
        )
    return (
        LawText(
            doc.law_id,
            doc.version,
            doc.fmt,
            title=meta.get("title"),
            version_date=doc.version_date,
            version_note=note,
            abbrevs=_abbrevs(meta.get("abbrev")),
            law_number=meta.get("law_number"),
            promulgation_date=meta.get("promulgation_date"),
            law_type=law_type,
        ),
        issues,
    )


# -- the provisions JSON --------------------------------------------------------------------------------------
_REF = re.compile(r"art-(\d+(?:_\d+)*)")
_CHAPTER = re.compile(r"Chapter\s+(\d+(?:[_-]\d+)*)\s*:\s*(.*)", re.S)
_ITEM_LINE = re.compile(r"[ \t]+(\d+)\.[ \t]?(.*)", re.S)
_CAPTION = re.compile(r"（.*）", re.S)


def _provisions(doc: _Doc) -> Iterator[LawNode | LoadIssue]:
    law_id, version = doc.law_id, doc.version
    provisions = doc.obj["provisions"]
    # chapters first (a chapter is read from the chapter field of every provision in it)
    chapters: dict[str, tuple[str, list[str]]] = {}
    placement: list[tuple[str, ...] | None] = []
    for i, p in enumerate(provisions):
        ch = p.get("chapter") if isinstance(p, dict) else None
        if not isinstance(ch, str) or not ch.strip():
            placement.append(())
            continue
        m = _CHAPTER.fullmatch(ch.strip())
        heading = m.group(2).strip() if m else ch.strip()
        num = "-".join(str(int(x)) for x in re.split(r"[_-]", m.group(1))) if m else None
        stated = split_division_title(heading)[0]
        if num is None:
            num = stated
        if num is None:
            placement.append(None)
            continue
        chapters.setdefault(num, (heading, []))[1].append(json_pointer("provisions", i, "chapter"))
        placement.append(("chapter", num))
    issues_done: set[str] = set()
    seen_chapters: set[str] = set()
    seen_articles: set[tuple[tuple[str, str], ...]] = set()
    order = 0
    for i, p in enumerate(provisions):
        here = json_pointer("provisions", i)
        if not isinstance(p, dict):
            yield LoadIssue("law-structure", f"provision is not an object; not mapped ({here})", "error")
            continue
        ref = p.get("provision_ref")
        m = _REF.fullmatch(ref.strip()) if isinstance(ref, str) else None
        if m is None:
            yield LoadIssue(
                "law-structure",
                f"provision_ref is not an article reference (art-N); provision not mapped ({here})",
                "error",
                value=str(ref),
            )
            continue
        num = "-".join(str(int(x)) for x in m.group(1).split("_"))
        where = placement[i]
        steps: tuple[tuple[str, str], ...] = ()
        if where is None:
            yield LoadIssue(
                "law-structure",
                f"chapter not readable; article placed directly in the version ({here}/chapter)",
                "warning",
                value=str(p.get("chapter")),
            )
        elif where:
            cnum = where[1]
            heading, sources = chapters[cnum]
            steps = (("chapter", cnum),)
            if cnum not in seen_chapters:
                seen_chapters.add(cnum)
                stated = split_division_title(heading)[0]
                if stated is not None and stated != cnum:
                    yield LoadIssue(
                        "law-numbering",
                        f"chapter {cnum} but its heading reads {stated}; {cnum} used ({sources[0]})",
                        "warning",
                        value=heading,
                    )
                yield LawNode(
                    law_id,
                    version,
                    "chapter",
                    steps,
                    tuple(sources),
                    heading=heading,
                    title=split_division_title(heading)[1],
                )
        own = (*steps, ("article", num))
        if own in seen_articles:
            yield LoadIssue("law-structure", f"a second article {num}; not mapped ({here})", "error", value=str(ref))
            continue
        seen_articles.add(own)
        title = p.get("title").strip() if isinstance(p.get("title"), str) else ""
        caption = title if _CAPTION.fullmatch(title) else None
        heading = article_heading(num)
        if title and caption is None:
            stated = _label_number("article", title)
            if stated is None:
                caption = title
            else:
                heading = title
                if stated != num:
                    yield LoadIssue(
                        "law-numbering",
                        f"article {num} but its title reads {stated}; {num} used ({here})",
                        "warning",
                        value=title,
                    )
        order += 1
        yield LawNode(law_id, version, "article", own, (here,), heading=heading, caption=caption, order=order)
        section = p.get("section")
        if section not in (None, "", m.group(1)):
            yield LoadIssue("law-metadata", f"section field not mapped ({here}/section)", "info", value=str(section))
        if p.get("content_en"):
            yield LoadIssue("law-content-not-mapped", f"English text not mapped ({here}/content_en)", "warning")
        for key in p:
            if (
                key
                not in (
                    "provision_ref",
                    "chapter",
                    "section",
                    "title",
                    "content",
                    "content_en",
                    "language",
                    "order_index",
                )
                and key not in issues_done
            ):
                issues_done.add(key)
                yield LoadIssue("law-metadata", f"provision field {key!r} not mapped ({here}/{key})", "info")
        yield from _content(law_id, version, own, p.get("content"), json_pointer("provisions", i, "content"))


def _content(
    law_id: str, version: str, article: tuple[tuple[str, str], ...], content: Any, src: str
) -> Iterator[LawNode | LoadIssue]:
    if not isinstance(content, str):
        if content is not None:
            yield LoadIssue("law-structure", f"content is not text; not mapped ({src})", "error", value=str(content))
        return
    para: tuple[tuple[str, str], ...] | None = None
    paragraphs = 0
    items: set[str] = set()
    for line in content.split("\n"):
        if not line.strip():
            continue
        m = _ITEM_LINE.fullmatch(line)
        if m is None:
            paragraphs += 1
            para = (*article, ("paragraph", str(paragraphs)))
            items = set()
            yield LawNode(law_id, version, "paragraph", para, (src,), text=line)
            continue
        if para is None:
            yield LoadIssue("law-structure", f"item before any paragraph; not mapped ({src})", "error", value=line)
            continue
        num = str(int(m.group(1)))
        if num in items:
            yield LoadIssue(
                "law-structure", f"a second item {num} in a paragraph; not mapped ({src})", "error", value=line
            )
            continue
        items.add(num)
        yield LawNode(law_id, version, "item", (*para, ("item", num)), (src,), text=m.group(2))


# -- parse ----------------------------------------------------------------------------------------------------
def parse(unit: SourceUnit) -> Iterator[LawText | LawNode | LoadIssue]:
    """Stream the records of one law file: a :class:`LawText`, then its nodes and load issues."""
    doc = _read(unit)
    law, issues = _law_text(doc)
    yield law
    yield from doc.issues
    yield from issues
    if doc.fmt == FORMAT_PROVISIONS:
        yield from _provisions(doc)
    else:
        assert doc.tree is not None
        yield from _Walker(doc.fmt, doc.law_id, doc.version).walk(doc.tree)


# -- mapping (pure) -------------------------------------------------------------------------------------------
def _node_iri(m: Minter, r: LawNode, steps: tuple[tuple[str, str], ...]) -> IRI:
    version = m.law_version(r.law_id, r.version)
    return Minter.version_part(version, *steps) if steps else version


def to_triples(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record, in the file's graph: the version and its structure (and load issues)."""
    m = ctx.minter
    if isinstance(record, LawNode):
        node = _node_iri(m, record, record.steps)
        parent = _node_iri(m, record, record.steps[:-1])
        yield node, TYPE, ELI_SUBDIVISION
        yield node, TYPE, NODE_CLASS[record.kind]
        yield node, ELI_NUMBER, t.text(record.number)
        yield node, ELI_IS_PART_OF, parent
        yield parent, ELI_HAS_PART, node
        for frag in record.sources:
            yield node, DERIVED, IRI(f"{ctx.source}#{frag}")
        if record.heading:
            yield node, P_HEADING, t.ja(record.heading)
        if record.title:
            yield node, ELI_TITLE, t.ja(record.title)
        if record.caption:
            yield node, P_CAPTION, t.ja(record.caption)
        if record.text is not None:
            yield node, P_TEXT, t.ja(record.text)
        if record.order is not None:
            yield node, P_ORDER, t.integer(record.order)
        if record.kind == "article":
            yield node, P_WORK_PROVISION, m.law_part(record.law_id, record.number)
    elif isinstance(record, LawText):
        v = m.law_version(record.law_id, record.version)
        yield v, TYPE, ELI_LEGAL_RESOURCE
        yield v, TYPE, C_LAW_VERSION
        yield v, P_VERSION_OF, m.law(record.law_id)
        yield v, ELI_VERSION, CONSOLIDATED
        if record.version_date:
            yield v, ELI_VERSION_DATE, Literal(record.version_date, t.XSD_DATE)
        yield v, P_VERSION_KEY, t.text(record.version)
        if record.version_note:
            yield v, P_VERSION_NOTE, t.text(record.version_note, "en")
        if record.title:
            yield v, ELI_TITLE, t.ja(record.title)
        yield v, DERIVED, ctx.source
    elif isinstance(record, LoadIssue):
        n = ctx.options.setdefault("_issue_no", 0) + 1
        ctx.options["_issue_no"] = n
        yield from issue_triples(record, n, ctx)


def declarations(record: Any, ctx: MapContext) -> Iterator[Triple]:
    """Declarations of the shared entities: the law (work) and its articles."""
    m = ctx.minter
    if isinstance(record, LawNode):
        if record.kind == "article":
            yield from common.provision_declarations(m, record.law_id, record.number)
    elif isinstance(record, LawText):
        law = m.law(record.law_id)
        yield from common.law_declarations(m, record.law_id)
        if record.title:
            yield law, ELI_TITLE, t.ja(record.title)
        for abbrev in record.abbrevs:
            yield law, ELI_TITLE_SHORT, t.ja(abbrev)
        for title in record.titles_en:
            yield law, ELI_TITLE_ALTERNATIVE, t.text(title, "en")
        if record.law_number:
            yield law, P_LAW_NUMBER, t.text(record.law_number)
        if record.promulgation_date:
            yield law, ELI_DATE_DOCUMENT, Literal(record.promulgation_date, t.XSD_DATE)
        if record.law_type:
            yield law, P_LAW_TYPE, code("law-type", record.law_type)
