"""Legal citations: free-text 根拠法令 (:mod:`.grammar`), the same grammar applied to running text
(:mod:`.prose`), law numbers (法令番号) and e-Gov law IDs (法令ID) (:mod:`.law_numbers`).

Pure functions, standard library and :mod:`loaders.normalize` only; nothing happens at import time beyond
compiling regular expressions.  The one grammar of provisions (条 / 項 / 号) every loader uses is here.
"""

from __future__ import annotations

from .grammar import Citation, clean_law_name, parse_citations, unparsed
from .law_numbers import LawId, LawNumber, consistent, law_id_parts, law_type, parse_law_id, parse_law_number
from .prose import bases_named, law_before, law_names, provision_spans

__all__ = [
    "Citation",
    "LawId",
    "LawNumber",
    "bases_named",
    "clean_law_name",
    "consistent",
    "law_before",
    "law_id_parts",
    "law_names",
    "law_type",
    "parse_citations",
    "parse_law_id",
    "parse_law_number",
    "provision_spans",
    "unparsed",
]
