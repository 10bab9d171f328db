"""Resolving a cited legal basis to laws and provisions (shared by every loader that reads 根拠法令).

Input: what a source wrote — a law name (possibly with articles, several laws, bullets, quotations), the
law number, the e-Gov 法令ID (possibly a 法令履歴ID), and structured 条 / 項 / 号 columns when the source
has them.  Output: :class:`ResolvedCitation` records, one per cited law, each with the method used
(``structured`` 法令ID, ``name`` lookup, ``text`` parsing, ``unresolved``), a confidence, and the text it
was read from.  Nothing is guessed: a name the register cannot resolve stays unresolved (and becomes a load
issue upstream).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.laws import law_register
from ontology.terms import IRI, Triple

from . import citations as cz
from . import common
from . import normalize as nz


@dataclass(frozen=True)
class ResolvedCitation:
    """One cited law (and provision) with how it was resolved."""

    law_id: str | None
    law_name: str | None
    article: str | None
    paragraph: str | None
    items: tuple[str, ...]
    supplementary: bool
    method: str  # structured | name | text | unresolved
    confidence: float
    cited_text: str | None
    law_number_consistent: bool | None = None
    version_date: str | None = None
    amending_law: str | None = None


@dataclass(frozen=True)
class Columns:
    """Structured provision columns (条, 項, 号) already normalised, and their problems."""

    article: str | None
    paragraph: str | None
    items: tuple[str, ...]
    errors: tuple[tuple[str, str, str], ...]


def columns(article: str | None, paragraph: str | None, item: str | None) -> Columns:
    """Normalise 条 / 項 / 号・号の細分 cells; unparsable cells are reported in ``errors`` (column, value, reason)."""
    errors: list[tuple[str, str, str]] = []
    art = para = None
    items: tuple[str, ...] = ()
    for col, value, fn in (("条", article, nz.parse_article), ("項", paragraph, nz.parse_paragraph)):
        if value is None:
            continue
        try:
            out = fn(value)
        except nz.NormalizeError as exc:
            errors.append((col, value, exc.reason))
            continue
        if col == "条":
            art = out
        else:
            para = out
    if item is not None:
        try:
            items = tuple(f"{no}-{sub}" if sub else no for no, sub in nz.parse_item(item))
        except nz.NormalizeError as exc:
            errors.append(("号・号の細分", item, exc.reason))
    return Columns(art, para, items, tuple(errors))


def _number_consistent(law_number: str | None, law_id: str) -> bool | None:
    if not law_number:
        return None
    try:
        return cz.consistent(cz.parse_law_number(law_number), law_id)
    except (nz.NormalizeError, ValueError):
        return None


def _by_number(law_number: str | None) -> str | None:
    if not law_number:
        return None
    try:
        ln = cz.parse_law_number(law_number)
    except (nz.NormalizeError, ValueError):
        return None
    return law_register().resolve_number(ln.year, ln.kind, ln.number)


def resolve(
    name: str | None,
    law_number: str | None,
    law_id: str | None,
    cols: Columns,
) -> tuple[list[ResolvedCitation], list[str]]:
    """Citations of one cited row, and the fragments of the name that could not be read."""
    ref = common.split_law_id(nz.nfkc(law_id)) if law_id else None
    if ref is not None:
        ref_id, vdate, amending = ref
        article, paragraph, items = cols.article, cols.paragraph, cols.items
        if article is None and name:  # the article written into the name (サイバーセキュリティ基本法第16条)
            for c in cz.parse_citations(name):
                if c.article:
                    article, paragraph, items = c.article, c.paragraph, c.items
                    break
        clean = cz.clean_law_name(name) if name else None
        return [
            ResolvedCitation(
                ref_id,
                clean,
                article,
                paragraph,
                items,
                False,
                "structured",
                1.0,
                None,
                _number_consistent(law_number, ref_id),
                vdate,
                amending,
            )
        ], []
    if not name:
        lid = _by_number(law_number)
        if lid is None:
            return [], []
        return [
            ResolvedCitation(lid, None, cols.article, cols.paragraph, cols.items, False, "name", 0.9, law_number)
        ], []
    found = cz.parse_citations(name)
    leftovers = cz.unparsed(name, found)
    out: list[ResolvedCitation] = []
    register = law_register()
    for c in found:
        lid, score = None, 0.0
        if c.law_name:
            hit = register.resolve(c.law_name)
            if hit is not None:
                lid, _, score = hit
        if lid is None:
            lid = _by_number(c.law_number) or (_by_number(law_number) if len(found) == 1 else None)
            score = 0.9 if lid else 0.0
        article, paragraph, items = c.article, c.paragraph, c.items
        if article is None and len(found) == 1:
            article, paragraph, items = cols.article, cols.paragraph, cols.items
        method = (
            "unresolved" if lid is None else ("text" if (c.article or len(found) > 1 or not c.complete) else "name")
        )
        confidence = round(c.confidence * (score or 0.0), 3) if lid else 0.0
        out.append(
            ResolvedCitation(
                lid,
                c.law_name,
                article,
                paragraph,
                items,
                c.supplementary,
                method,
                confidence,
                c.raw,
                _number_consistent(c.law_number or law_number, lid) if lid else None,
            )
        )
    if not found:
        out.append(
            ResolvedCitation(None, name, cols.article, cols.paragraph, cols.items, False, "unresolved", 0.0, name)
        )
    return out, leftovers


def citation_triples(node: IRI, sheet: IRI, rc: ResolvedCitation, m: Minter) -> Iterator[Triple]:
    """The resolved part of a citation node, and the sheet's shortcut triples to the law and provisions."""
    if rc.cited_text is not None:
        yield node, cbkg("citedText"), t.text(rc.cited_text)
    if rc.article:
        yield node, cbkg("articleNumber"), t.text(rc.article)
    if rc.paragraph:
        yield node, cbkg("paragraphNumber"), t.text(rc.paragraph)
    for item in rc.items:
        yield node, cbkg("itemNumber"), t.text(item)
    if rc.supplementary:
        yield node, cbkg("supplementaryProvision"), t.boolean(True)
    yield node, cbkg("resolution"), code("citation-resolution", rc.method)
    if rc.method != "structured":
        yield node, cbkg("confidence"), t.decimal(Decimal(str(rc.confidence)))
    if rc.law_id is None:
        return
    law = m.law(rc.law_id)
    yield node, cbkg("law"), law
    yield sheet, cbkg("basedOnLaw"), law
    if rc.version_date:
        yield node, cbkg("lawVersionDate"), t.Literal(rc.version_date, t.XSD_DATE)
    if rc.amending_law:
        yield node, cbkg("lastAmendedBy"), m.law(rc.amending_law)
    if rc.law_number_consistent is not None:
        yield node, cbkg("lawNumberConsistent"), t.boolean(rc.law_number_consistent)
    if rc.supplementary:
        return  # 附則 articles are not the main provision's articles
    for art, para, number in provisions(rc):
        prov = m.law_part(rc.law_id, art, para, number)
        yield node, cbkg("citedProvision"), prov
        yield sheet, cbkg("basedOnProvision"), prov


def provisions(rc: ResolvedCitation) -> list[tuple[str, str | None, str | None]]:
    """(article, paragraph, item) of each cited provision (one per item)."""
    if rc.article is None:
        return []
    items = [i for i in rc.items if i[:1].isdigit()]
    if not items:
        return [(rc.article, rc.paragraph, None)]
    return [(rc.article, rc.paragraph, item) for item in items]
