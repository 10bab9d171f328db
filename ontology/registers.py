"""Reference registers shipped as Turtle (``ontology/registers/*.ttl``) and their Python lookups.

The organisation register gives every ministry/agency a stable slug (``id/org/{slug}``) and lists the
spellings met in the sources, so loaders can mint the same IRI for ``国土交通省　観光庁`` and ``観光庁``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox

from . import REGISTERS_DIR
from .iri import key_text
from .namespaces import CBKG, ORG, SKOS

_PLACEHOLDER_BASE = "http://register.cbkg.invalid/"


@dataclass(frozen=True)
class OrgEntry:
    """One registered organisation."""

    slug: str
    name_ja: str
    name_en: str
    kind: str  # Ministry | Agency | Bureau
    parent: str | None = None
    abbreviation: str | None = None
    labels: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class OrgRegister:
    """Name → organisation lookups over the organisation register."""

    entries: dict[str, OrgEntry]
    by_label: dict[str, str]
    by_abbreviation: dict[str, str]

    def resolve(self, name: str | None) -> OrgEntry | None:
        """The registered organisation called ``name`` (any known spelling), or None."""
        if not name:
            return None
        slug = self.by_label.get(key_text(name))
        return self.entries[slug] if slug else None

    def resolve_abbreviation(self, abbreviation: str) -> OrgEntry | None:
        """The organisation whose 旧事業番号 abbreviation (``総務``, ``経産`` …) is ``abbreviation``."""
        slug = self.by_abbreviation.get(key_text(abbreviation))
        return self.entries[slug] if slug else None

    def child_named(self, parent_slug: str, name: str) -> OrgEntry | None:
        """A registered organisation directly under ``parent_slug`` called ``name`` (e.g. 資源エネルギー庁)."""
        entry = self.resolve(name)
        if entry is not None and entry.parent == parent_slug:
            return entry
        return None


def _local(iri: str) -> str:
    return iri.removeprefix(_PLACEHOLDER_BASE + "id/org/")


@cache
def org_register() -> OrgRegister:
    """Load the organisation register (cached; parsed on first use, never at import time)."""
    path = REGISTERS_DIR / "organizations.ttl"
    props: dict[str, dict[str, list[str]]] = {}
    for q in ox.parse(path=str(path), base_iri=_PLACEHOLDER_BASE):
        s = q.subject.value
        if not s.startswith(_PLACEHOLDER_BASE + "id/org/"):
            continue
        o = q.object
        value = o.value
        if isinstance(o, ox.Literal) and o.language:
            value = f"{o.value}@{o.language}"
        props.setdefault(_local(s), {}).setdefault(q.predicate.value, []).append(value)
    entries: dict[str, OrgEntry] = {}
    by_label: dict[str, str] = {}
    by_abbr: dict[str, str] = {}
    for slug, p in props.items():
        pref = p.get(SKOS + "prefLabel", [])
        ja = next((v[:-3] for v in pref if v.endswith("@ja")), slug)
        en = next((v[:-3] for v in pref if v.endswith("@en")), slug)
        alts = {v.rsplit("@", 1)[0] for v in p.get(SKOS + "altLabel", [])}
        kind = next(
            (t.removeprefix(CBKG) for t in p.get("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", [])),
            "Org",
        )
        parent = next((_local(v) for v in p.get(ORG + "subOrganizationOf", [])), None)
        abbr = next(iter(p.get(CBKG + "abbreviation", [])), None)
        labels = frozenset(key_text(x) for x in {ja, *alts})
        entries[slug] = OrgEntry(slug, ja, en, kind, parent, abbr, labels)
        for label in labels:
            by_label[label] = slug
        if abbr:
            by_abbr[key_text(abbr)] = slug
    return OrgRegister(entries, by_label, by_abbr)
