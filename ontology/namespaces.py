"""Namespace IRIs used by cbkg (plain strings: no RDF library needed to mint or compare terms)."""

from __future__ import annotations

from typing import Final

CBKG: Final = "https://w3id.org/cbkg/ontology#"
"""The cbkg ontology namespace (fixed, independent of the configurable data base IRI)."""
CODE: Final = "https://w3id.org/cbkg/code/"
"""Code lists (SKOS concept schemes) shipped with the ontology: budget stages, units, relation kinds, …"""
DEFAULT_BASE: Final = "https://w3id.org/cbkg/"
"""Default base IRI of minted data resources (``{base}id/…``, ``{base}graph/…``, ``{base}source/…``)."""

RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
DCTERMS: Final = "http://purl.org/dc/terms/"
DCAT: Final = "http://www.w3.org/ns/dcat#"
VOID: Final = "http://rdfs.org/ns/void#"
PROV: Final = "http://www.w3.org/ns/prov#"
QB: Final = "http://purl.org/linked-data/cube#"
ORG: Final = "http://www.w3.org/ns/org#"
ELI: Final = "http://data.europa.eu/eli/ontology#"
IMI: Final = "http://imi.go.jp/ns/core/rdf#"
SCHEMA: Final = "https://schema.org/"
ADMS: Final = "http://www.w3.org/ns/adms#"
FOAF: Final = "http://xmlns.com/foaf/0.1/"
SH: Final = "http://www.w3.org/ns/shacl#"
SDMX_ATTRIBUTE: Final = "http://purl.org/linked-data/sdmx/2009/attribute#"

PREFIXES: Final[dict[str, str]] = {
    "cbkg": CBKG,
    "code": CODE,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "prov": PROV,
    "qb": QB,
    "org": ORG,
    "eli": ELI,
    "ic": IMI,
    "schema": SCHEMA,
    "adms": ADMS,
    "foaf": FOAF,
    "sh": SH,
    "sdmx-attribute": SDMX_ATTRIBUTE,
}
"""Prefixes used in the ontology, example queries and serialisations."""


def sparql_prefixes(extra: dict[str, str] | None = None) -> str:
    """The PREFIX block for a SPARQL query (all cbkg prefixes plus ``extra``)."""
    items = {**PREFIXES, **(extra or {})}
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in items.items())
