"""Lookups over the code lists in ``codes.ttl`` (label as written in a source → concept IRI).

The Turtle file is the single source of truth: a concept's ``skos:prefLabel``/``skos:altLabel`` in Japanese
are the spellings loaders recognise.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from . import CODES_TTL
from .iri import key_text
from .namespaces import CODE, SKOS
from .terms import IRI

_LABELS = (SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel", SKOS + "notation")


@cache
def _index() -> dict[str, dict[str, str]]:
    index: dict[str, dict[str, str]] = {}
    for q in ox.parse(path=str(CODES_TTL)):
        s = q.subject.value
        if not s.startswith(CODE) or q.predicate.value not in _LABELS:
            continue
        scheme, _, notation = s.removeprefix(CODE).partition("/")
        if not notation:
            continue
        index.setdefault(scheme, {})[key_text(q.object.value)] = s
    return index


def lookup(scheme: str, label: str | None) -> IRI | None:
    """The concept of ``scheme`` whose label (any width/space variant) is ``label``, or None."""
    if not label:
        return None
    iri = _index().get(scheme, {}).get(key_text(label))
    return IRI(iri) if iri else None


def concepts(scheme: str) -> set[str]:
    """IRIs of all concepts of a scheme."""
    return set(_index().get(scheme, {}).values())
