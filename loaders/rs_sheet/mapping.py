"""RDF mapping of the records of one RS single-sheet export (pure: record + context → triples).

The RS-table records are mapped by the mapping shared with the bulk CSV (:mod:`loaders.rs_model.mapping`), with
a :class:`LineContext` so that they cite the line a value was read from instead of a CSV row.  The budget table
gives one ``cbkg:BudgetLine`` per year column (account total) in the cube ``rs{事業年度}``.  Load issues are
mapped by the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator

from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.terms import IRI, Triple
from ontology.vocab import DERIVED, LABEL, QB_OBSERVATION, TYPE

from .. import common
from ..base import MapContext
from ..rs_model import mapping as rsm
from .records import Block, BudgetColumn, Derivation, Record, RsRecord, SheetInfo


class LineContext(MapContext):
    """A mapping context whose records are lines of a text file: ``row(n)`` is line ``n`` (RFC 5147
    ``#line=``).  The RS-table mapping cites ``ctx.row(record.row)``; with this context it cites the line a value
    was read from."""

    def row(self, n: int) -> IRI:
        return Minter.line(self.source, n)


def _lines(ctx: MapContext) -> LineContext:
    return ctx if isinstance(ctx, LineContext) else LineContext(ctx.minter, ctx.source, ctx.graph, ctx.options)


def dataset_key(year: int) -> str:
    """The budget cube of one 事業年度's RS sheets (``rs2026``), shared with the bulk CSV of that year."""
    return rsm.dataset_key(year)


def to_triples(record: Record, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record (pure: record + context)."""
    lctx = _lines(ctx)
    if isinstance(record, RsRecord):
        yield from rsm.record_triples(record, lctx)
    elif isinstance(record, BudgetColumn):
        yield from _budget_triples(record, lctx)
    elif isinstance(record, Block):
        yield from _block_triples(record, lctx)
    elif isinstance(record, Derivation):
        payment = ctx.minter.payment(ctx.minter.sheet(record.year, record.program_id), record.payment)
        yield payment, DERIVED, lctx.row(record.line)


def declarations(record: Record, ctx: MapContext) -> Iterator[Triple]:
    """Declarations of the shared entities a record mentions (program, org units, laws, plans, payees,
    accounts, the budget cube)."""
    if isinstance(record, RsRecord):
        if record.table == "2-1":
            _, decls = common.account_iri(ctx.minter, record.text("account"), record.text("subaccount"))
            yield from decls
            return
        yield from rsm.record_declarations(record, _lines(ctx))
    elif isinstance(record, SheetInfo) and record.budget_unit is not None:
        yield from common.budget_dataset(
            ctx.minter,
            dataset_key(record.year),
            record.budget_unit,
            f"RS 事業年度 {record.year} 予算・執行（行政事業レビューシート単票 予算額執行額表）",
        )


def _budget_triples(c: BudgetColumn, ctx: LineContext) -> Iterator[Triple]:
    line = rsm.budget_line(ctx.minter, c.year, c.program_id, c.budget_year, "total")
    yield from rsm.budget_line_triples(line, ctx, c.year, c.program_id, c.budget_year, rsm.TOTAL_ACCOUNT, c.line)
    for f in c.figures:
        obs = IRI(f"{line}/{f.stage}")
        yield line, QB_OBSERVATION, obs
        yield obs, rsm.P_BUDGET_STAGE, code("budget-stage", f.stage)
        yield from rsm.amount_triples(obs, f.amount, f.raw)
        yield obs, DERIVED, ctx.row(f.line)
    if c.rate is not None:
        obs = IRI(f"{line}/executed")
        yield obs, cbkg("executionRate"), t.decimal(c.rate[0])
        yield obs, DERIVED, ctx.row(c.rate[2])


def _block_triples(b: Block, ctx: LineContext) -> Iterator[Triple]:
    sheet = ctx.minter.sheet(b.year, b.program_id)
    block = ctx.minter.block(sheet, b.letter)
    yield block, rsm.P_SHEET, sheet
    yield block, TYPE, cbkg("SpendingBlock")
    yield block, cbkg("blockLetter"), t.text(b.letter)
    yield block, DERIVED, ctx.row(b.line)
    if b.name:
        yield block, LABEL, t.ja(b.name)
