"""The RDF of a bureau deck's records (pure: a record in, triples out; every value was parsed before)."""

from __future__ import annotations

from collections.abc import Iterator

from ontology import terms as t
from ontology.iri import Minter, cbkg
from ontology.terms import Triple
from ontology.vocab import DCT_ALTERNATIVE, DCT_DATE, DCT_PART_OF, DCT_PUBLISHER, DCT_TITLE, LABEL, SKOS_ALT, TYPE

from .. import common
from ..base import MapContext
from ..budget_doc.mapping import (
    budget_line_triples,
    concept_triples,
    fact_triples,
    lines_derived,
    ministry_triples,
    scheme_triples,
)
from .records import DeckArea, DeckDoc, Measure, MeasureFact, MeasureFigure, ParsedRecord, Record


def dataset_key(fy: int) -> str:
    """The budget cube of a deck's figures (``micdeck2024``)."""
    return f"micdeck{fy}"


def _bureau_ref(m: Minter, ministry: str | None, bureau: str | None) -> common.OrgRef | None:
    """The issuing bureau as an org unit of the ministry (None when either is unknown)."""
    if ministry is None or bureau is None:
        return None
    return common.resolve_org(m, ministry, [("bureau", bureau)])


def to_triples(record: Record, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record (pure)."""
    m = ctx.minter
    src = ctx.source
    if isinstance(record, DeckDoc):
        doc = m.document(record.key)
        yield doc, TYPE, cbkg("BudgetRequestDocument")
        yield doc, DCT_TITLE, t.ja(record.title)
        if record.subtitle:
            yield doc, DCT_ALTERNATIVE, t.ja(record.subtitle)
        if record.fy is not None:
            yield doc, cbkg("budgetYear"), t.gyear(record.fy)
        if record.date is not None:
            yield doc, DCT_DATE, t.date(record.date)
        ref = _bureau_ref(m, record.ministry, record.bureau)
        if ref is not None:
            yield doc, DCT_PUBLISHER, ref.iri
        yield from ministry_triples(doc, m, record.ministry)
        yield from lines_derived(doc, src, record.lines or (1,))
    elif isinstance(record, DeckArea):
        doc = m.document(record.doc)
        scheme = m.area_scheme(doc)
        if record.first:
            yield from scheme_triples(
                scheme, doc, "主要事項の分野", "Policy headings of the budget requests", record.lines[0], src
            )
        yield from concept_triples(
            m.area(doc, record.number), scheme, str(record.number), record.name, record.alt_names, record.lines, src
        )
    elif isinstance(record, Measure):
        doc = m.document(record.doc)
        item = m.measure(doc, record.number)
        yield item, TYPE, cbkg("BudgetSummaryItem")
        yield item, DCT_PART_OF, doc
        yield item, LABEL, t.ja(record.name)
        for alt in record.alt_names:
            yield item, SKOS_ALT, t.ja(alt)
        yield item, cbkg("strategyArea"), m.area(doc, record.area)
        yield from ministry_triples(item, m, record.ministry)
        if record.is_new is not None:
            yield item, cbkg("isNew"), t.boolean(record.is_new)
        if record.parent is not None:
            yield item, cbkg("parentItem"), m.measure(doc, record.parent)
        for a in record.acronyms:
            yield item, cbkg("programAcronym"), t.text(a)
        yield from lines_derived(item, src, record.lines)
        lines = sorted({c.figure.line for c in record.cells})
        yield from budget_line_triples(
            ctx, dataset_key(record.fy), item, ("measure", record.number), record.cells, lines
        )
    elif isinstance(record, MeasureFact):
        yield from fact_triples(m.measure(m.document(record.doc), record.measure), record.fact, src)
    elif isinstance(record, MeasureFigure):
        item = m.measure(m.document(record.doc), record.measure)
        yield from budget_line_triples(
            ctx, dataset_key(record.fy), item, ("measure", record.measure), [record.cell], [record.cell.figure.line]
        )


def declarations(record: ParsedRecord, ctx: MapContext) -> Iterator[Triple]:
    """Shared entities: the issuing bureau (an org unit of the ministry) and the budget cube."""
    if isinstance(record, DeckDoc):
        ref = _bureau_ref(ctx.minter, record.ministry, record.bureau)
        if ref is not None:
            yield from ref.declarations
        if record.fy is not None:
            title = f"{record.bureau or '総合通信局'} {record.subtitle or '概算要求資料'}"
            yield from common.budget_dataset(
                ctx.minter, dataset_key(record.fy), record.unit, title, structure="summaryBudgetStructure"
            )
