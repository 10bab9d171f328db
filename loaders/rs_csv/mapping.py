"""RDF mapping of the records of one RS CSV (pure: record + context → triples).

The rows are mapped by the RS-table mapping shared with ``rs_sheet`` (:mod:`loaders.rs_model.mapping`); the
file's :class:`~loaders.rs_csv.records.TableInfo` names its table.  Load issues are mapped by the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator

from ontology import terms as t
from ontology.iri import cbkg
from ontology.terms import Triple

from ..base import LoadIssue, MapContext
from ..rs_model.mapping import record_declarations, record_triples
from .records import RsRecord, TableInfo

Record = TableInfo | RsRecord | LoadIssue
"""What :func:`loaders.rs_csv.parse.parse` yields."""


def to_triples(record: Record, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record (a :class:`TableInfo` or an :class:`RsRecord`)."""
    if isinstance(record, RsRecord):
        yield from record_triples(record, ctx)
    elif isinstance(record, TableInfo):
        yield ctx.graph, cbkg("rsTable"), t.text(record.table)


def declarations(record: Record, ctx: MapContext) -> Iterator[Triple]:
    """Declarations of the shared entities a record mentions."""
    if isinstance(record, RsRecord):
        yield from record_declarations(record, ctx)
