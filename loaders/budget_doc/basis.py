"""The legal provisions a description page cites (``第26条①2``, ``サイバーセキュリティ基本法第31条第1項``) and the laws
it names as a basis (``…法に基づき``): read with the grammar of :mod:`loaders.citations`, resolved with
:mod:`loaders.legal` against the law named next to the article, else the one law the item's pages name."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ontology.laws import law_register

from .. import citations as cz
from .. import legal
from .. import normalize as nz
from ..base import LoadIssue
from .text import nfkc_keep_circled

_CONTEXT_FACTOR = 0.8
"""Confidence kept by a citation whose law is only named elsewhere on the item's pages."""


@dataclass(frozen=True, slots=True)
class Cited:
    """A legal provision cited in a description: the resolved citation and how the law was found."""

    citation: legal.ResolvedCitation
    written: str
    law_written: str | None
    line: int

    @property
    def signature(self) -> tuple[str | None, str | None, str | None, tuple[str, ...]]:
        """What the citation cites: law, article, paragraph and items."""
        rc = self.citation
        return rc.law_id, rc.article, rc.paragraph, rc.items


def laws_named(lines: Sequence[str], numbers: Iterable[int]) -> list[str]:
    """Law names (resolvable with the law register) mentioned in the given lines, in order, without repeats."""
    reg = law_register()
    out: list[str] = []
    for n in numbers:
        text = nz.nfkc(lines[n - 1])
        if "法" not in text:
            continue
        for name in cz.law_names(text):
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
    for n in numbers:
        raw = lines[n - 1]
        found += _provisions(raw, n, context_laws, issues)
        text = nfkc_keep_circled(raw)
        if "に基づ" in text and "法" in text:
            found += _bases(text, n, issues)
    return _dedupe(found), issues


def _provisions(raw: str, n: int, context_laws: Sequence[str], issues: list[LoadIssue]) -> list[Cited]:
    """The provisions line ``n`` cites (issues for those that cannot be resolved)."""
    found: list[Cited] = []
    no_cols = legal.columns(None, None, None)
    for s, e in cz.provision_spans(raw):
        written = nfkc_keep_circled(raw[s:e]).strip()
        before = cz.law_before(nfkc_keep_circled(raw[:s]))
        law: str | None = None
        by_context = False
        if before is not None and law_register().resolve(before) is not None:
            law = before
        elif len(context_laws) == 1:
            law, by_context = context_laws[0], True
        if law is None:
            why = (
                "article cited without a law name, and the item's pages name no law (or several)"
                if not context_laws
                else "article cited without a law name; the item's pages name several laws"
            )
            issues.append(LoadIssue("unresolved-citation", f"{why}; not mapped", "warning", line=n, value=written))
            continue
        cits, _ = legal.resolve(law + written, None, None, no_cols)
        for rc in cits:
            if rc.law_id is None or rc.article is None:
                why = "provision not resolved; not mapped"
                issues.append(LoadIssue("unresolved-citation", why, "warning", line=n, value=law + written))
                continue
            conf = rc.confidence * (_CONTEXT_FACTOR if by_context else 1.0)
            rc = dataclasses.replace(rc, cited_text=written, confidence=round(conf, 3))
            found.append(Cited(rc, written, law, n))
    return found


def _bases(text: str, n: int, issues: list[LoadIssue]) -> list[Cited]:
    """The laws line ``n`` names as a basis without an article (issues for those the register does not know)."""
    found: list[Cited] = []
    no_cols = legal.columns(None, None, None)
    for name in cz.bases_named(text):
        if law_register().resolve(name) is None:
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
        found += [Cited(dataclasses.replace(rc, cited_text=name), name, name, n) for rc in cits if rc.law_id]
    return found


def _dedupe(found: list[Cited]) -> list[Cited]:
    """The citations without repeats: a citation of the same provision, or of a law or article another one cites
    more precisely, is dropped."""
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
