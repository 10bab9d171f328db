"""The external terms the loaders emit, declared once (W3C and community vocabularies).

cbkg's own terms are minted with :func:`ontology.iri.cbkg` (``cbkg("legalBasis")``); the terms of the reused
vocabularies (RDF, RDFS, SKOS, DCTERMS, PROV-O, RDF Data Cube, W3C ORG, ELI, FOAF) are constants here, so a
loader never re-declares ``rdf:type`` or ``prov:wasDerivedFrom`` and a typo is an import error, not a silent
new predicate.
"""

from __future__ import annotations

from typing import Final

from .namespaces import DCTERMS, ELI, FOAF, ORG, PROV, QB, RDF, RDFS, SKOS
from .terms import IRI

# RDF, RDFS ------------------------------------------------------------------------------------------------
TYPE: Final = IRI(RDF + "type")
LABEL: Final = IRI(RDFS + "label")
COMMENT: Final = IRI(RDFS + "comment")
SEE_ALSO: Final = IRI(RDFS + "seeAlso")

# PROV-O -----------------------------------------------------------------------------------------------------
DERIVED: Final = IRI(PROV + "wasDerivedFrom")

# DCTERMS ----------------------------------------------------------------------------------------------------
DCT_TITLE: Final = IRI(DCTERMS + "title")
DCT_IDENTIFIER: Final = IRI(DCTERMS + "identifier")
DCT_PART_OF: Final = IRI(DCTERMS + "isPartOf")
DCT_ALTERNATIVE: Final = IRI(DCTERMS + "alternative")
DCT_DATE: Final = IRI(DCTERMS + "date")
DCT_PUBLISHER: Final = IRI(DCTERMS + "publisher")

# SKOS -------------------------------------------------------------------------------------------------------
SKOS_CONCEPT: Final = IRI(SKOS + "Concept")
SKOS_SCHEME: Final = IRI(SKOS + "ConceptScheme")
SKOS_PREF: Final = IRI(SKOS + "prefLabel")
SKOS_ALT: Final = IRI(SKOS + "altLabel")
SKOS_NOTE: Final = IRI(SKOS + "note")
SKOS_NOTATION: Final = IRI(SKOS + "notation")
SKOS_IN_SCHEME: Final = IRI(SKOS + "inScheme")
SKOS_TOP: Final = IRI(SKOS + "hasTopConcept")
SKOS_BROADER: Final = IRI(SKOS + "broader")

# RDF Data Cube ----------------------------------------------------------------------------------------------
QB_OBSERVATION_CLASS: Final = IRI(QB + "Observation")
QB_OBSERVATION: Final = IRI(QB + "observation")
"""``qb:observation``: a slice (budget line) → one of its observations."""
QB_DATASET: Final = IRI(QB + "dataSet")
QB_SLICE: Final = IRI(QB + "slice")
QB_SLICE_STRUCTURE: Final = IRI(QB + "sliceStructure")

# W3C ORG, FOAF ----------------------------------------------------------------------------------------------
ORG_SUB: Final = IRI(ORG + "subOrganizationOf")
FOAF_HOMEPAGE: Final = IRI(FOAF + "homepage")

# ELI --------------------------------------------------------------------------------------------------------
ELI_LEGAL_RESOURCE: Final = IRI(ELI + "LegalResource")
ELI_SUBDIVISION: Final = IRI(ELI + "LegalResourceSubdivision")
ELI_NUMBER: Final = IRI(ELI + "number")
ELI_IS_PART_OF: Final = IRI(ELI + "is_part_of")
ELI_HAS_PART: Final = IRI(ELI + "has_part")
ELI_TITLE: Final = IRI(ELI + "title")
ELI_TITLE_SHORT: Final = IRI(ELI + "title_short")
ELI_TITLE_ALTERNATIVE: Final = IRI(ELI + "title_alternative")
ELI_ID_LOCAL: Final = IRI(ELI + "id_local")
ELI_VERSION: Final = IRI(ELI + "version")
ELI_VERSION_DATE: Final = IRI(ELI + "version_date")
ELI_DATE_DOCUMENT: Final = IRI(ELI + "date_document")
