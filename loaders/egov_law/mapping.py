"""RDF of law records (pure: a record and the context in, triples out; values are read by :mod:`.parse`).

The data graph holds the version (``id/law/{法令ID}/version/{key}``) and its structure as ELI subdivisions; the
declarations give the law (work) and its articles, shared with the citations of the budget sources.
"""

from __future__ import annotations

from collections.abc import Iterator

from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.terms import IRI, Literal, Triple
from ontology.vocab import (
    DERIVED,
    ELI_DATE_DOCUMENT,
    ELI_HAS_PART,
    ELI_IS_PART_OF,
    ELI_LEGAL_RESOURCE,
    ELI_NUMBER,
    ELI_SUBDIVISION,
    ELI_TITLE,
    ELI_TITLE_ALTERNATIVE,
    ELI_TITLE_SHORT,
    ELI_VERSION,
    ELI_VERSION_DATE,
    TYPE,
)

from .. import common
from ..base import LoadIssue, MapContext
from .records import LawNode, LawText, Record

P_VERSION_OF = cbkg("versionOf")
P_VERSION_KEY = cbkg("versionKey")
P_VERSION_NOTE = cbkg("versionNote")
P_LAW_NUMBER = cbkg("lawNumber")
P_LAW_TYPE = cbkg("lawType")
P_HEADING = cbkg("heading")
P_CAPTION = cbkg("caption")
P_TEXT = cbkg("text")
P_ORDER = cbkg("order")
P_WORK_PROVISION = cbkg("workProvision")
C_LAW_VERSION = cbkg("LawVersion")
CONSOLIDATED = code("law-version", "consolidated")
"""``eli:version`` is an object property whose range is a concept (ELI's ``eli:Version``), hence a code IRI."""

NODE_CLASS = {
    "part": cbkg("Part"),
    "chapter": cbkg("Chapter"),
    "section": cbkg("LawSection"),  # cbkg:Section is the organisational 班
    "subsection": cbkg("LawSubsection"),  # cbkg:Subsection is the organisational 係
    "division": cbkg("LawDivision"),  # cbkg:Division is the organisational 課
    "article": cbkg("Article"),
    "paragraph": cbkg("Paragraph"),
    "item": cbkg("Item"),
    "subitem": cbkg("Item"),
}


def _node_iri(m: Minter, r: LawNode, steps: tuple[tuple[str, str], ...]) -> IRI:
    version = m.law_version(r.law_id, r.version)
    return Minter.version_part(version, *steps) if steps else version


def to_triples(record: Record, ctx: MapContext) -> Iterator[Triple]:
    """Triples of one record, in the file's graph: the version, or one node of its structure."""
    m = ctx.minter
    if isinstance(record, LawNode):
        node = _node_iri(m, record, record.steps)
        parent = _node_iri(m, record, record.steps[:-1])
        yield node, TYPE, ELI_SUBDIVISION
        yield node, TYPE, NODE_CLASS[record.kind]
        yield node, ELI_NUMBER, t.text(record.number)
        yield node, ELI_IS_PART_OF, parent
        yield parent, ELI_HAS_PART, node
        for frag in record.sources:
            yield node, DERIVED, IRI(f"{ctx.source}#{frag}")
        if record.heading:
            yield node, P_HEADING, t.ja(record.heading)
        if record.title:
            yield node, ELI_TITLE, t.ja(record.title)
        if record.caption:
            yield node, P_CAPTION, t.ja(record.caption)
        if record.text is not None:
            yield node, P_TEXT, t.ja(record.text)
        if record.order is not None:
            yield node, P_ORDER, t.integer(record.order)
        if record.kind == "article":
            yield node, P_WORK_PROVISION, m.law_part(record.law_id, record.number)
    elif isinstance(record, LawText):
        v = m.law_version(record.law_id, record.version)
        yield v, TYPE, ELI_LEGAL_RESOURCE
        yield v, TYPE, C_LAW_VERSION
        yield v, P_VERSION_OF, m.law(record.law_id)
        yield v, ELI_VERSION, CONSOLIDATED
        if record.version_date:
            yield v, ELI_VERSION_DATE, Literal(record.version_date, t.XSD_DATE)
        yield v, P_VERSION_KEY, t.text(record.version)
        if record.version_note:
            yield v, P_VERSION_NOTE, t.text(record.version_note, "en")
        if record.title:
            yield v, ELI_TITLE, t.ja(record.title)
        yield v, DERIVED, ctx.source


def declarations(record: Record | LoadIssue, ctx: MapContext) -> Iterator[Triple]:
    """Declarations of the shared entities: the law (work) and its articles."""
    m = ctx.minter
    if isinstance(record, LawNode):
        if record.kind == "article":
            yield from common.provision_declarations(m, record.law_id, record.number)
    elif isinstance(record, LawText):
        law = m.law(record.law_id)
        yield from common.law_declarations(m, record.law_id)
        if record.title:
            yield law, ELI_TITLE, t.ja(record.title)
        for abbrev in record.abbrevs:
            yield law, ELI_TITLE_SHORT, t.ja(abbrev)
        for title in record.titles_en:
            yield law, ELI_TITLE_ALTERNATIVE, t.text(title, "en")
        if record.law_number:
            yield law, P_LAW_NUMBER, t.text(record.law_number)
        if record.promulgation_date:
            yield law, ELI_DATE_DOCUMENT, Literal(record.promulgation_date, t.XSD_DATE)
        if record.law_type:
            yield law, P_LAW_TYPE, code("law-type", record.law_type)
