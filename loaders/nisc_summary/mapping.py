"""The RDF of a NISC summary's records (pure: a record in, triples out; every value was parsed before)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ontology import terms as t
from ontology.iri import cbkg, code
from ontology.terms import IRI, Triple
from ontology.vocab import DCT_PART_OF, DCT_TITLE, LABEL, TYPE

from .. import common
from ..base import MapContext
from ..budget_doc.figures import Figure
from ..budget_doc.mapping import (
    amount_triples,
    budget_line_triples,
    citation_declarations,
    citation_node_triples,
    concept_triples,
    fact_triples,
    lines_derived,
    ministry_triples,
    scheme_triples,
)
from .records import Area, Item, ItemCitation, ItemFact, ItemFigure, ParsedRecord, Record, SummaryDoc, Total


def dataset_key(fy: int) -> str:
    """The budget cube of a summary (``nisc2024``)."""
    return f"nisc{fy}"


def to_triples(record: Record, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record (pure)."""
    m = ctx.minter
    src = ctx.source
    if isinstance(record, SummaryDoc):
        doc = m.document(record.key)
        yield doc, TYPE, cbkg("BudgetSummaryDocument")
        yield doc, DCT_TITLE, t.ja(record.title)
        if record.fy is not None:
            yield doc, cbkg("budgetYear"), t.gyear(record.fy)
        yield from lines_derived(doc, src, record.lines or (1,))
    elif isinstance(record, Total):
        doc = m.document(record.doc)
        node = m.total(doc, record.year, record.stage)
        yield doc, cbkg("totalAmount"), node
        yield from _amount_node(node, record.year, record.stage, record.stage_written, record.figure, record.lines, src)
        if record.compared_with is not None:
            yield m.total(doc, *record.compared_with), cbkg("comparedWith"), node
    elif isinstance(record, Area):
        doc = m.document(record.doc)
        scheme = m.area_scheme(doc)
        concept = m.area(doc, record.number)
        if record.first:
            yield from scheme_triples(
                scheme, doc, "サイバーセキュリティ戦略の分野", "Cybersecurity strategy areas", record.lines[0], src
            )
        yield from concept_triples(concept, scheme, record.notation, record.name, (), record.lines, src)
        for c in record.totals:
            node = m.total(concept, c.year, c.stage)
            yield concept, cbkg("totalAmount"), node
            yield from _amount_node(node, c.year, c.stage, c.stage_written, c.figure, [c.figure.line], src)
    elif isinstance(record, Item):
        doc = m.document(record.doc)
        item = m.summary_item(doc, record.number)
        yield item, TYPE, cbkg("BudgetSummaryItem")
        yield item, DCT_PART_OF, doc
        if record.name:
            yield item, LABEL, t.ja(record.name)
        yield item, cbkg("ministryAsWritten"), t.ja(record.ministry_written)
        yield from ministry_triples(item, m, record.ministry)
        if record.area is not None:
            yield item, cbkg("strategyArea"), m.area(doc, record.area)
        yield from lines_derived(item, src, record.lines)
        yield from budget_line_triples(
            ctx, dataset_key(record.fy), item, ("item", record.number), record.cells, record.lines
        )
    elif isinstance(record, ItemFact):
        yield from fact_triples(m.summary_item(m.document(record.doc), record.item), record.fact, src)
    elif isinstance(record, ItemCitation):
        item = m.summary_item(m.document(record.doc), record.item)
        yield from citation_node_triples(m.legal_basis(item, record.k), item, record.cited, ctx)
    elif isinstance(record, ItemFigure):
        item = m.summary_item(m.document(record.doc), record.item)
        yield from budget_line_triples(
            ctx, dataset_key(record.fy), item, ("item", record.item), [record.cell], [record.cell.figure.line]
        )


def _amount_node(
    node: IRI, year: int, stage: str, written: str, fig: Figure, lines: Iterable[int], src: IRI
) -> Iterator[Triple]:
    """A ``cbkg:BudgetAmount`` node: a total for one fiscal year and stage."""
    yield node, TYPE, cbkg("BudgetAmount")
    yield node, cbkg("budgetYear"), t.gyear(year)
    yield node, cbkg("budgetStage"), code("budget-stage", stage)
    yield node, cbkg("stageAsWritten"), t.ja(written)
    yield from amount_triples(node, fig)
    yield from lines_derived(node, src, lines)


def declarations(record: ParsedRecord, ctx: MapContext) -> Iterator[Triple]:
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
