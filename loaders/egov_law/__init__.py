"""Loader ``egov_law``: Japanese law texts as ELI linked data.

Three source forms, recognised by content (never by file name):

* an e-Gov 法令API v2 ``law_data`` JSON response (``law_info``, ``revision_info`` and ``law_full_text``, the
  法令標準XML tree as nested ``{tag, attr, children}`` objects);
* a 法令標準XML file (root ``<Law …>`` with a ``<LawBody>``), read with :mod:`xml.etree.ElementTree` into the
  same ``{tag, attr, children}`` form, so that one tree walker reads both;
* a third-party provisions JSON (``id`` = e-Gov 法令ID, ``provisions`` = one object per article with its
  chapter, caption and text; paragraphs are lines, items are ``"  1. …"`` lines).

``parse(unit)`` yields one :class:`LawText` (the law and the version the file gives), then one
:class:`LawNode` per structural node (編・章・節・款・目, 条, 項, 号 and 号の細分) in document order, parents
before children, and :class:`~loaders.base.LoadIssue` for what it cannot read or deliberately leaves out
(附則, 目次, 別表 …).  ``to_triples`` / ``declarations`` are pure functions of a record and the context.

Identity:

* the law (work) is ``id/law/{法令ID}``; its articles ``id/law/{法令ID}/article/{n}`` (declared, shared with
  the citations of RS sheets);
* one text version is ``id/law/{法令ID}/version/{key}``, its nodes nest below it
  (``…/version/{key}/chapter/4/article/30-2/paragraph/2/item/1``).  The version key is the e-Gov revision's
  enforcement date (``YYYY-MM-DD``) when the source gives one, else the ``version_key`` of the file's entry
  in a sibling ``MANIFEST.json``, else ``sha-{first 12 hex digits of the file's SHA-256}``;
* numbers are canonical: ``Num="30_2"`` / 第三十条の二 → ``30-2``.

Provenance: every node carries ``prov:wasDerivedFrom`` a fragment of the source naming where it was read:
an RFC 6901 JSON Pointer for JSON (``#/provisions/30``, ``#/law_full_text/children/1/children/3``) and an
XPointer for XML (``#xpointer(/Law/LawBody/MainProvision/Chapter%5B4%5D/Article%5B3%5D)``; positions are
given where a tag repeats among its siblings), percent-encoded to be valid IRIs.

Law type (``cbkg:lawType`` → ``code/law-type/…``): from e-Gov's ``law_type`` / ``LawType`` (``Constitution``
→ constitution, ``Act`` → act, ``CabinetOrder`` → cabinet-order, ``ImperialOrder`` → imperial-ordinance,
``MinisterialOrdinance`` → ministerial-ordinance, ``Rule`` → rule, ``Misc`` → other), else from the 法令ID's
type letters (``CONSTITUTION`` → constitution, ``AC`` → act, ``CO`` → cabinet-order, ``IO`` →
imperial-ordinance, ``M`` + 2 → ministerial-ordinance, ``R`` + 2 → rule, anything else (太政官布告 ``DF`` …)
→ other).

The package: :mod:`.records` (the typed records), :mod:`.parse` (file → records and load issues), with
:mod:`.tree` (the 法令標準XML tree and its walker) and :mod:`.text` (numerals, headings, fragments), and
:mod:`.mapping` (records → triples, pure).
"""

from __future__ import annotations

from pathlib import Path

from ..base import SourceUnit
from . import parse as _parse
from .mapping import declarations, to_triples
from .parse import parse
from .records import LawNode, LawText

NAME = "egov_law"
VERSION = "1.0.0"
TITLE = "Japanese law text (e-Gov 法令API v2 law_data JSON, 法令標準XML, provisions JSON)"
__all__ = [
    "NAME",
    "TITLE",
    "VERSION",
    "LawNode",
    "LawText",
    "cost",
    "declarations",
    "detect",
    "graph_key",
    "parse",
    "to_triples",
    "units",
]


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for a law text: 法令標準XML (``<Law>`` root with ``<LawBody>``), an e-Gov ``law_data`` JSON
    (``law_full_text``) or a provisions JSON (a ``provisions`` list and an e-Gov 法令ID as ``id``)."""
    return _parse.sniff(head, complete=len(head) < _parse.HEAD_SIZE) is not None


def units(path: Path) -> list[SourceUnit]:
    """One unit per file."""
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file size."""
    return float(unit.size())


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``law/{法令ID}/{version key}``: the same version of a law replaces its previous load."""
    doc = _parse.read(unit)
    return f"law/{doc.law_id}/{doc.version}"
