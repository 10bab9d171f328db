"""Tiny, fast RDF term types and N-Triples/N-Quads serialisation.

Loaders emit millions of triples; building rdflib or pyoxigraph term objects for each costs 4–10 µs, a
``str`` subclass and a NamedTuple cost a fraction of that and serialise straight to N-Quads, which the
store bulk-loads.  These types are deliberately minimal: an :class:`IRI` is a ``str``; a :class:`Literal`
is a lexical form with either a datatype IRI or a language tag.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple

from .namespaces import RDF, XSD


class IRI(str):
    """An absolute IRI (already valid: minted by :mod:`ontology.iri` or checked by :func:`checked_iri`)."""

    __slots__ = ()

    def nt(self) -> str:
        """N-Triples form ``<…>``."""
        return f"<{self}>"


class Literal(NamedTuple):
    """An RDF literal: lexical form plus datatype IRI (``None`` = xsd:string) or language tag."""

    lex: str
    datatype: str | None = None
    lang: str | None = None

    def nt(self) -> str:
        """N-Triples form with escaping."""
        s = _escape(self.lex)
        if self.lang:
            return f'"{s}"@{self.lang}'
        if self.datatype and self.datatype != XSD_STRING:
            return f'"{s}"^^<{self.datatype}>'
        return f'"{s}"'


Term = IRI | Literal
Triple = tuple[IRI, IRI, Term]

XSD_STRING = XSD + "string"
XSD_DECIMAL = XSD + "decimal"
XSD_INTEGER = XSD + "integer"
XSD_BOOLEAN = XSD + "boolean"
XSD_GYEAR = XSD + "gYear"
XSD_DATE = XSD + "date"
XSD_DATETIME = XSD + "dateTime"
XSD_ANYURI = XSD + "anyURI"
RDF_TYPE = IRI(RDF + "type")

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _escape(s: str) -> str:
    return s.translate(_ESCAPES) if ('"' in s or "\\" in s or "\n" in s or "\r" in s) else s


def text(value: str, lang: str | None = None) -> Literal:
    """A plain string literal (optionally language-tagged)."""
    return Literal(value, None, lang)


def ja(value: str) -> Literal:
    """A Japanese-tagged literal."""
    return Literal(value, None, "ja")


def decimal(value: Decimal | int) -> Literal:
    """An ``xsd:decimal`` literal in canonical form (no exponent, no trailing zeros)."""
    if isinstance(value, int):
        return Literal(str(value), XSD_DECIMAL)
    return Literal(decimal_lex(value), XSD_DECIMAL)


def decimal_lex(value: Decimal) -> str:
    """Canonical xsd:decimal lexical form of ``value`` (``537733000``, ``0.5``, ``-12.25``)."""
    if value == value.to_integral_value():
        return str(int(value))
    s = format(value.normalize(), "f")
    return s


def integer(value: int) -> Literal:
    """An ``xsd:integer`` literal."""
    return Literal(str(value), XSD_INTEGER)


def boolean(value: bool) -> Literal:
    """An ``xsd:boolean`` literal."""
    return Literal("true" if value else "false", XSD_BOOLEAN)


def gyear(year: int) -> Literal:
    """An ``xsd:gYear`` literal (fiscal years are given as the Gregorian year in which they start)."""
    return Literal(f"{year:04d}", XSD_GYEAR)


def date(value: _dt.date) -> Literal:
    """An ``xsd:date`` literal."""
    return Literal(value.isoformat(), XSD_DATE)


def datetime(value: _dt.datetime) -> Literal:
    """An ``xsd:dateTime`` literal (timezone-aware values keep their offset)."""
    return Literal(value.isoformat(), XSD_DATETIME)


def anyuri(value: str) -> Literal:
    """An ``xsd:anyURI`` literal (for URLs that are not valid IRIs and must be kept as written)."""
    return Literal(value, XSD_ANYURI)


def nquad(s: IRI, p: IRI, o: Term, g: IRI | None) -> str:
    """One N-Quads line (no trailing newline)."""
    if g is None:
        return f"<{s}> <{p}> {o.nt()} ."
    return f"<{s}> <{p}> {o.nt()} <{g}> ."


def to_ntriples(triples: Iterable[Triple]) -> Iterator[str]:
    """Serialise triples as N-Triples lines (each ending with a newline)."""
    for s, p, o in triples:
        yield f"<{s}> <{p}> {o.nt()} .\n"


def to_nquads(triples: Iterable[Triple], graph: IRI) -> Iterator[str]:
    """Serialise triples into ``graph`` as N-Quads lines (each ending with a newline)."""
    g = f"<{graph}>"
    for s, p, o in triples:
        yield f"<{s}> <{p}> {o.nt()} {g} .\n"
