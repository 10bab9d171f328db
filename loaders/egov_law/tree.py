"""The 法令標準XML tree, one form for XML and e-Gov JSON (``{tag, attr, children}``), and the walker that reads
its structure (編・章・節・款・目, 条, 項, 号 and 号の細分) into :class:`~.records.LawNode` records."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from .. import normalize as nz
from ..base import LoadIssue, Severity
from .records import FORMAT_XML, LawNode
from .text import fragment, json_pointer, label_number, split_division_title


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def _keep_text(s: str | None) -> bool:
    # indentation between elements (ASCII white space with a line break) is layout, not law text
    if not s:
        return False
    return not (s.strip(" \t\r\n") == "" and "\n" in s)


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


def is_el(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("tag"), str)


def attributes(node: dict[str, Any]) -> dict[str, Any]:
    """The attributes of an element of the tree (none when ``attr`` is missing or not an object)."""
    attr = node.get("attr")
    return attr if isinstance(attr, dict) else {}


def plain_text(node: Any) -> str:
    """The text of a node: all its strings in order, without ruby readings (``Rt``)."""
    if isinstance(node, str):
        return node
    if not is_el(node) or node["tag"] == "Rt":
        return ""
    children = node.get("children")
    if not isinstance(children, list):
        return ""
    return "".join(plain_text(c) for c in children)


_CANONICAL_NUM = re.compile(r"\d+(?:_\d+)*")
_KEPT_NUM = re.compile(r"[0-9A-Za-z][0-9A-Za-z:\-]*")


_Step = tuple[int, str, int, int]


def _render(fmt: str, path: tuple[_Step, ...]) -> str:
    if fmt == FORMAT_XML:
        xp = "/Law" + "".join(f"/{tag}" + (f"[{pos}]" if n > 1 else "") for _, tag, pos, n in path)
        return fragment(f"xpointer({xp})")
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


class Walker:
    """Reads the structure of one law version from its tree: nodes in document order, parents first, and load
    issues (what is skipped is reported once per reason, with its first location)."""

    def __init__(self, fmt: str, law_id: str, version: str) -> None:
        self.fmt = fmt
        self.law_id = law_id
        self.version = version
        self.order = 0
        self.seen: set[tuple[tuple[str, str], ...]] = set()
        self.skipped: dict[tuple[str, Severity, str], list[str]] = {}

    # helpers ---------------------------------------------------------------------------------------------
    def loc(self, path: tuple[_Step, ...]) -> str:
        return _render(self.fmt, path)

    def where(self, path: tuple[_Step, ...]) -> str:
        """The location for people (issue reasons): not percent-encoded."""
        return unquote(self.loc(path))

    def skip(self, code_: str, severity: Severity, reason: str, path: tuple[_Step, ...]) -> None:
        self.skipped.setdefault((code_, severity, reason), []).append(self.where(path))

    def skipped_issues(self) -> Iterator[LoadIssue]:
        for (code_, severity, reason), locs in self.skipped.items():
            where = f"at {locs[0]}" if len(locs) == 1 else f"{len(locs)} elements, first at {locs[0]}"
            yield LoadIssue(code_, f"{reason} ({where})", severity)

    def elements(
        self, node: dict[str, Any], path: tuple[_Step, ...]
    ) -> Iterator[tuple[dict[str, Any], tuple[_Step, ...]]]:
        children = node.get("children")
        if children is None:
            return
        if not isinstance(children, list):
            self.skip("law-structure", "error", "children is not a list; content not mapped", path)
            return
        counts = Counter(c["tag"] for c in children if is_el(c))
        pos: Counter[str] = Counter()
        for i, c in enumerate(children):
            if is_el(c):
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
        raw = attributes(node).get("Num")
        stated = label_number(kind, label) if label else None
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
            if is_el(c) and c["tag"] == tag:
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
