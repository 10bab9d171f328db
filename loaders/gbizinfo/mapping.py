"""RDF of gBizINFO records (pure: a record and the context in, triples out; values are read by :mod:`.parse`).

Subsidies and procurements are data nodes ``{corporation}/gbiz-{kind}/{key}`` in the file's graph; the
corporation's profile (basic information) is a declaration, merged with the payees of the budget sources, and
the data graph records where it was read.
"""

from __future__ import annotations

from collections.abc import Iterator

from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.terms import IRI, Triple
from ontology.vocab import DCT_IDENTIFIER, DCT_TITLE, DERIVED, FOAF_HOMEPAGE, SKOS_NOTE, TYPE

from .. import common
from ..base import LoadIssue, MapContext
from .records import GbizAward, GbizCorporation, Record

AWARD_CLASS = {"subsidy": cbkg("GovernmentSubsidy"), "procurement": cbkg("GovernmentProcurement")}
AWARD_DATE_PROP = {"subsidy": cbkg("approvalDate"), "procurement": cbkg("orderDate")}


def award_iri(m: Minter, r: GbizAward) -> IRI:
    """``{corporation}/gbiz-{kind}/{key}``."""
    return m.gbiz_record(r.number, r.kind, r.key)


def to_triples(record: Record, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record in the file's graph: a subsidy or procurement, or where basic information was read."""
    m = ctx.minter
    if isinstance(record, GbizAward):
        node = award_iri(m, record)
        yield node, TYPE, AWARD_CLASS[record.kind]
        yield node, cbkg("payee"), m.corporation(record.number)
        yield node, DERIVED, IRI(f"{ctx.source}#{record.pointer}")
        if record.identifier is not None:
            yield node, DCT_IDENTIFIER, t.text(record.identifier)
        if record.title is not None:
            yield node, DCT_TITLE, t.ja(record.title)
        if record.amount is not None:
            lit = t.decimal(record.amount)
            yield node, cbkg("amount"), lit
            if record.amount_raw is not None and lit.lex != record.amount_raw:
                yield node, cbkg("sourceFigure"), t.text(record.amount_raw)
        if record.date is not None:
            yield node, AWARD_DATE_PROP[record.kind], t.date(record.date)
        if record.department is not None:
            yield node, cbkg("awardingOrganizationAsWritten"), t.ja(record.department)
            org, _ = common.ministry_iri(m, record.department)
            if org is not None:
                yield node, cbkg("awardingOrganization"), org
        if record.note is not None:
            yield node, SKOS_NOTE, t.ja(record.note)
    elif isinstance(record, GbizCorporation):
        yield m.corporation(record.number), DERIVED, IRI(f"{ctx.source}#{record.pointer}")


def kana(value: str) -> t.Literal:
    """A reading in katakana (``@ja-Kana``)."""
    return t.Literal(value, None, "ja-Kana")


def declarations(record: Record | LoadIssue, ctx: MapContext) -> Iterator[Triple]:
    """The corporation: every payee of a subsidy or procurement, and the full profile of a basic response."""
    m = ctx.minter
    if isinstance(record, GbizAward):
        _, decls = common.payee_iri(m, IRI(""), record.corporation_name, record.number)
        yield from decls
    elif isinstance(record, GbizCorporation):
        yield from _profile(record, m)


def _profile(r: GbizCorporation, m: Minter) -> Iterator[Triple]:
    corp, decls = common.payee_iri(m, IRI(""), r.name, r.number)
    assert corp is not None
    yield from decls
    if r.name is not None:
        yield corp, cbkg("officialName"), t.ja(r.name)
    if r.kana is not None:
        yield corp, cbkg("officialNameKana"), kana(r.kana)
    if r.name_en is not None:
        yield corp, cbkg("officialNameEn"), t.text(r.name_en, "en")
    if r.kind is not None:
        yield corp, cbkg("corporateType"), code("corporate-type", r.kind)
    if r.location is not None:
        yield corp, cbkg("address"), t.ja(r.location)
    if r.postal_code is not None:
        yield corp, cbkg("postCode"), t.text(r.postal_code)
    if r.close_date is not None:
        yield corp, cbkg("closeDate"), t.date(r.close_date)
    if r.close_cause is not None:
        yield corp, cbkg("closeCause"), code("close-cause", r.close_cause)
    if r.representative_name is not None:
        yield corp, cbkg("representativeName"), t.ja(r.representative_name)
    if r.representative_position is not None:
        yield corp, cbkg("representativePosition"), t.ja(r.representative_position)
    if r.capital is not None:
        yield corp, cbkg("capitalStock"), t.decimal(r.capital)
    if r.employees is not None:
        yield corp, cbkg("employeeCount"), t.integer(r.employees)
    if r.established is not None:
        yield corp, cbkg("establishmentDate"), t.date(r.established)
    if r.founding_year is not None:
        yield corp, cbkg("foundingYear"), t.gyear(r.founding_year)
    if r.business_summary is not None:
        yield corp, cbkg("businessSummary"), t.ja(r.business_summary)
    if r.url is not None:
        yield corp, FOAF_HOMEPAGE, common.url_term(r.url)
