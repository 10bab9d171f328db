"""The RDF the budget documents share: amounts as written, budget lines, strategy areas, key facts and legal-basis
nodes (pure functions of parsed records)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.terms import IRI, Triple
from ontology.vocab import (
    DCT_PART_OF,
    DERIVED,
    QB_OBSERVATION,
    QB_SLICE,
    QB_SLICE_STRUCTURE,
    SKOS_ALT,
    SKOS_CONCEPT,
    SKOS_IN_SCHEME,
    SKOS_NOTATION,
    SKOS_PREF,
    SKOS_SCHEME,
    SKOS_TOP,
    TYPE,
)

from .. import common, legal
from ..base import MapContext
from .basis import Cited
from .facts import Fact
from .figures import BudgetCell, Figure

TOTAL_ACCOUNT = code("account", "total")


def lines_derived(node: IRI, src: IRI, lines: Iterable[int]) -> Iterator[Triple]:
    """``prov:wasDerivedFrom`` the given lines of the source."""
    for n in lines:
        yield node, DERIVED, Minter.line(src, n)


def amount_triples(node: IRI, fig: Figure) -> Iterator[Triple]:
    """``cbkg:amount`` in yen, the figure as written and its unit."""
    yield node, cbkg("amount"), t.decimal(fig.amount)
    yield node, cbkg("sourceFigure"), t.text(fig.written)
    yield node, cbkg("sourceUnit"), code("unit", fig.unit)


def budget_line_triples(
    ctx: MapContext,
    dataset: str,
    item: IRI,
    dims: tuple[str | int, ...],
    cells: Sequence[BudgetCell],
    lines: Iterable[int],
) -> Iterator[Triple]:
    """Budget lines (one per fiscal year) with one observation per stage, in cube ``{dataset}-budget``."""
    m = ctx.minter
    ds = m.dataset(dataset + "-budget")
    derived = [Minter.line(ctx.source, n) for n in lines]
    for year in sorted({c.year for c in cells}):
        line = m.observation(dataset, *dims, year)
        yield line, TYPE, cbkg("BudgetLine")
        yield line, QB_SLICE_STRUCTURE, cbkg("summaryLineKey")
        yield ds, QB_SLICE, line
        yield line, cbkg("summaryItem"), item
        yield line, cbkg("budgetYear"), t.gyear(year)
        yield line, cbkg("account"), TOTAL_ACCOUNT
        for d in derived:
            yield line, DERIVED, d
        for c in cells:
            if c.year != year:
                continue
            obs = IRI(f"{line}/{c.stage}")
            yield line, QB_OBSERVATION, obs
            yield obs, cbkg("budgetStage"), code("budget-stage", c.stage)
            yield obs, cbkg("stageAsWritten"), t.ja(c.stage_written)
            yield from amount_triples(obs, c.figure)
            yield obs, DERIVED, Minter.line(ctx.source, c.figure.line)


def scheme_triples(scheme: IRI, doc: IRI, label_ja: str, label_en: str, line: int, src: IRI) -> Iterator[Triple]:
    """The concept scheme of a document's areas (stated once, with the first area)."""
    yield scheme, TYPE, SKOS_SCHEME
    yield scheme, SKOS_PREF, t.ja(label_ja)
    yield scheme, SKOS_PREF, t.text(label_en, "en")
    yield scheme, DCT_PART_OF, doc
    yield scheme, DERIVED, Minter.line(src, line)


def concept_triples(
    concept: IRI, scheme: IRI, notation: str, name: str, alt_names: Iterable[str], lines: Iterable[int], src: IRI
) -> Iterator[Triple]:
    """An area of a document: a SKOS concept of its scheme."""
    yield concept, TYPE, SKOS_CONCEPT
    yield concept, SKOS_IN_SCHEME, scheme
    yield scheme, SKOS_TOP, concept
    yield concept, SKOS_NOTATION, t.text(notation)
    yield concept, SKOS_PREF, t.ja(name)
    for alt in alt_names:
        yield concept, SKOS_ALT, t.ja(alt)
    yield from lines_derived(concept, src, lines)


def ministry_triples(node: IRI, m: Minter, ministry: str | None) -> Iterator[Triple]:
    """``cbkg:ministry`` of a node when the register knows the ministry."""
    if ministry is None:
        return
    iri, _ = common.ministry_iri(m, ministry)
    if iri is not None:
        yield node, cbkg("ministry"), iri


def fact_triples(node: IRI, fact: Fact, src: IRI) -> Iterator[Triple]:
    """The triples of one key fact on an item."""
    if fact.prop == "rate":
        yield node, cbkg("rateAsWritten"), t.ja(fact.stated)
        if fact.rate is not None:
            yield node, cbkg("rate"), t.decimal(fact.rate)
    elif fact.prop == "planPeriod":
        yield node, cbkg("planPeriod"), t.ja(fact.stated)
        if fact.start_year is not None:
            yield node, cbkg("startYear"), t.gyear(fact.start_year)
        if fact.end_year is not None:
            yield node, cbkg("endYear"), t.gyear(fact.end_year)
    else:
        yield node, cbkg(fact.prop), t.ja(fact.stated)
    yield from lines_derived(node, src, fact.lines)


def citation_node_triples(node: IRI, item: IRI, cited: Cited, ctx: MapContext) -> Iterator[Triple]:
    """A legal-basis node of an item (``cbkg:LegalBasisCitation``, linked with ``cbkg:summaryItem``)."""
    yield node, TYPE, cbkg("LegalBasisCitation")
    yield node, cbkg("summaryItem"), item
    yield node, DERIVED, Minter.line(ctx.source, cited.line)
    if cited.law_written:
        yield node, cbkg("lawNameAsWritten"), t.ja(cited.law_written)
    yield from legal.citation_triples(node, item, cited.citation, ctx.minter)


def citation_declarations(cited: Cited, m: Minter) -> Iterator[Triple]:
    """Declarations of the law and provisions a description cites."""
    rc = cited.citation
    if rc.law_id is None:
        return
    yield from common.law_declarations(m, rc.law_id)
    if cited.law_written:
        yield m.law(rc.law_id), cbkg("citedAs"), t.ja(cited.law_written)
    for art, para, item in legal.provisions(rc):
        yield from common.provision_declarations(m, rc.law_id, art, para, item)
