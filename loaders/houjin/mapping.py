"""RDF of NTA records (pure: a record and the context in, triples out; values are read by :mod:`.parse`).

The data graph holds one ``cbkg:NtaRecord`` per record, with every field as written, and the response line as
facts of the source file; the declarations give the corporation (a payee) and, from its current record only,
its current facts.
"""

from __future__ import annotations

from collections.abc import Iterator

from ontology import terms as t
from ontology.iri import cbkg, code
from ontology.terms import IRI, Triple
from ontology.vocab import DERIVED, TYPE

from .. import common
from ..base import LoadIssue, MapContext
from .records import NtaCorporation, NtaResponse, Record

C_NTA_RECORD = cbkg("NtaRecord")

_TEXT_JA = (
    ("name", "officialName"),
    ("prefectureName", "prefectureName"),
    ("cityName", "cityName"),
    ("streetNumber", "streetAddress"),
    ("addressOutside", "addressOutside"),
    ("changeCause", "changeCause"),
)
_TEXT_EN = (
    ("enName", "officialNameEn"),
    ("enPrefectureName", "prefectureName"),
    ("enCityName", "cityName"),
    ("enAddressOutside", "addressOutside"),
)
_PLAIN = (
    ("nameImageId", "nameImageId"),
    ("addressImageId", "addressImageId"),
    ("addressOutsideImageId", "addressOutsideImageId"),
    ("prefectureCode", "prefectureCode"),
    ("cityCode", "cityCode"),
    ("postCode", "postCode"),
)


def kana(value: str) -> t.Literal:
    """A reading in katakana (``@ja-Kana``)."""
    return t.Literal(value, None, "ja-Kana")


def record_iri(ctx: MapContext, r: NtaCorporation) -> IRI:
    """``{corporation}/nta/{source id}/{position}`` (the source id: the file's content-addressed IRI segment)."""
    return ctx.minter.nta_record(r.number, ctx.source.rsplit("/", 1)[-1], r.ordinal)


def to_triples(record: Record, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record in the file's graph: the NTA record as written, or the response line."""
    if isinstance(record, NtaCorporation):
        yield from _record_triples(record, ctx)
    elif isinstance(record, NtaResponse):
        src = ctx.source
        if record.last_update is not None:
            yield src, cbkg("lastUpdateDate"), t.date(record.last_update)
        if record.count is not None:
            yield src, cbkg("declaredRecordCount"), t.integer(record.count)
        if record.divide_number is not None:
            yield src, cbkg("divideNumber"), t.integer(record.divide_number)
        if record.divide_size is not None:
            yield src, cbkg("divideSize"), t.integer(record.divide_size)


def _record_triples(r: NtaCorporation, ctx: MapContext) -> Iterator[Triple]:
    m = ctx.minter
    corp = m.corporation(r.number)
    node = record_iri(ctx, r)
    source = IRI(f"{ctx.source}#{r.fragment}")
    yield node, TYPE, C_NTA_RECORD
    yield node, cbkg("corporation"), corp
    yield node, DERIVED, source
    if r.current:
        yield corp, DERIVED, source
    if r.sequence is not None:
        yield node, cbkg("sequenceNumber"), t.integer(r.sequence)
    if r.process is not None:
        yield node, cbkg("ntaProcess"), code("nta-process", r.process)
    if r.correct is not None:
        yield node, cbkg("ntaCorrection"), t.boolean(r.correct)
    if r.update_date is not None:
        yield node, cbkg("ntaUpdateDate"), t.date(r.update_date)
    if r.change_date is not None:
        yield node, cbkg("ntaChangeDate"), t.date(r.change_date)
    for key, prop in _TEXT_JA:
        v = r.get(key)
        if v is not None:
            yield node, cbkg(prop), t.ja(v)
    for key, prop in _TEXT_EN:
        v = r.get(key)
        if v is not None:
            yield node, cbkg(prop), t.text(v, "en")
    for key, prop in _PLAIN:
        v = r.get(key)
        if v is not None:
            yield node, cbkg(prop), t.text(v)
    if r.get("furigana") is not None:
        yield node, cbkg("officialNameKana"), kana(r.raw["furigana"])
    if r.kind is not None:
        yield node, cbkg("corporateType"), code("corporate-type", r.kind)
    if r.close_date is not None:
        yield node, cbkg("closeDate"), t.date(r.close_date)
    if r.close_cause is not None:
        yield node, cbkg("closeCause"), code("close-cause", r.close_cause)
    if r.successor is not None:
        yield node, cbkg("successor"), m.corporation(r.successor)
    if r.assignment_date is not None:
        yield node, cbkg("assignmentDate"), t.date(r.assignment_date)
    if r.latest is not None:
        yield node, cbkg("ntaLatest"), t.boolean(r.latest)
    if r.excluded is not None:
        yield node, cbkg("ntaSearchExcluded"), t.boolean(r.excluded)


def declarations(record: Record | LoadIssue, ctx: MapContext) -> Iterator[Triple]:
    """The corporation a record describes: a payee with its name as a spelling; the current facts from the
    current record only."""
    if not isinstance(record, NtaCorporation):
        return
    m = ctx.minter
    corp, decls = common.payee_iri(m, IRI(""), record.get("name"), record.number)
    assert corp is not None
    yield from decls
    if not record.current:
        return
    r = record
    if r.get("name") is not None:
        yield corp, cbkg("officialName"), t.ja(r.raw["name"])
    if r.get("furigana") is not None:
        yield corp, cbkg("officialNameKana"), kana(r.raw["furigana"])
    if r.get("enName") is not None:
        yield corp, cbkg("officialNameEn"), t.text(r.raw["enName"], "en")
    if r.kind is not None:
        yield corp, cbkg("corporateType"), code("corporate-type", r.kind)
    if r.address_ja:
        yield corp, cbkg("address"), t.ja(r.address_ja)
    if r.address_en:
        yield corp, cbkg("address"), t.text(r.address_en, "en")
    if r.prefecture_code is not None:
        yield corp, cbkg("prefectureCode"), t.text(r.prefecture_code)
    if r.post_code is not None:
        yield corp, cbkg("postCode"), t.text(r.post_code)
    if r.assignment_date is not None:
        yield corp, cbkg("assignmentDate"), t.date(r.assignment_date)
    if r.name_change_date is not None:
        yield corp, cbkg("nameChangeDate"), t.date(r.name_change_date)
    if r.close_date is not None:
        yield corp, cbkg("closeDate"), t.date(r.close_date)
    if r.close_cause is not None:
        yield corp, cbkg("closeCause"), code("close-cause", r.close_cause)
    if r.successor is not None:
        yield corp, cbkg("successor"), m.corporation(r.successor)
    if r.update_date is not None:
        yield corp, cbkg("ntaUpdateDate"), t.date(r.update_date)
