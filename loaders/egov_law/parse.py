"""Reading a law file: recognising its form, identifying the law and the version, its metadata and its nodes.

法令標準XML and e-Gov JSON are read into one tree form and walked by :class:`~.tree.Walker`; the provisions JSON
is read here (articles with their chapter, paragraphs as lines, items as ``"  1. …"`` lines).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import common
from .. import normalize as nz
from ..base import LoaderError, LoadIssue, SourceUnit
from .records import FORMAT_EGOV_JSON, FORMAT_PROVISIONS, FORMAT_XML, LawNode, LawText
from .text import article_heading, json_pointer, label_number, split_division_title
from .tree import Walker, attributes, element_to_tree, is_el, plain_text

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


# -- recognising a law file -------------------------------------------------------------------------------------
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


def sniff(head: bytes, complete: bool = False) -> str | None:
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


HEAD_SIZE = 65536
"""Bytes sniffed by ``detect``: a shorter head is the whole file."""


# -- reading --------------------------------------------------------------------------------------------------
_NAMED_ID = re.compile(r"(?<![0-9A-Z])(\d{3}[A-Z][A-Z0-9][0-9A-Z]{10})(?:_(\d{8})_([0-9A-Z]{15}))?(?![0-9A-Z])")


@dataclass
class Document:
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
    if b"<!ENTITY" in data[:HEAD_SIZE]:
        raise LoaderError(str(unit), "XML declares entities; refused (法令標準XML uses none)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise LoaderError(str(unit), f"malformed XML: {exc}") from exc
    return element_to_tree(root)


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


def read(unit: SourceUnit) -> Document:
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
    return Document(fmt, obj, tree, law_id, version, version_date, entry, issues)


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
    attr = attributes(tree)
    era, year, num = attr.get("Era"), attr.get("Year"), attr.get("Num")
    contradicts = False
    if era in ERA_CODES and isinstance(year, str) and year.isdigit():
        contradicts = law_id[:3] != f"{ERA_CODES[era]}{int(year):02d}"
    if isinstance(num, str) and num.isdigit() and law_id[-6:].isdigit():
        contradicts = contradicts or int(law_id[-6:]) != int(num)
    if contradicts:
        raise LoaderError(str(unit), f"法令ID {law_id} (from the file name) contradicts the <Law> attributes")
    return law_id, date


# -- metadata -------------------------------------------------------------------------------------------------
def _tree_meta(tree: dict[str, Any]) -> dict[str, Any]:
    """What the 法令標準XML tree says about the law: title, abbreviations, number, promulgation date, type."""
    out: dict[str, Any] = {}
    attr = attributes(tree)
    for c in tree.get("children") or []:
        if not is_el(c):
            continue
        if c["tag"] == "LawNum":
            out["law_number"] = plain_text(c).strip() or None
        elif c["tag"] == "LawBody":
            for b in c.get("children") or []:
                if is_el(b) and b["tag"] == "LawTitle":
                    out["title"] = plain_text(b).strip() or None
                    out["abbrev"] = attributes(b).get("Abbrev")
    out["law_type"] = attr.get("LawType")
    era, year, month, day = (attr.get(k) for k in ("Era", "Year", "PromulgateMonth", "PromulgateDay"))
    if (
        era in ERAS
        and isinstance(year, str)
        and isinstance(month, str)
        and isinstance(day, str)
        and all(v.isdigit() for v in (year, month, day))
    ):
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


def _law_text(doc: Document) -> tuple[LawText, list[LoadIssue]]:
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


def _provisions(doc: Document) -> Iterator[LawNode | LoadIssue]:
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
        raw_title = p.get("title")
        title = raw_title.strip() if isinstance(raw_title, str) else ""
        caption = title if _CAPTION.fullmatch(title) else None
        heading = article_heading(num)
        if title and caption is None:
            stated = label_number("article", title)
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
    doc = read(unit)
    law, issues = _law_text(doc)
    yield law
    yield from doc.issues
    yield from issues
    if doc.fmt == FORMAT_PROVISIONS:
        yield from _provisions(doc)
    else:
        assert doc.tree is not None
        yield from Walker(doc.fmt, doc.law_id, doc.version).walk(doc.tree)
