"""Loader ``gbizinfo``: gBizINFO REST API v2 JSON responses (経済産業省 gBizINFO, ``https://info.gbiz.go.jp/``).

A response is a JSON object ``{"id", "errors", "message", "hojin-infos": [...]}``; which endpoint produced it is
recognised from its content (never from the file name):

* ``basic`` (``GET /v2/hojin/{法人番号}``): the corporation's profile (name, kana, English name, address, kind,
  representative, capital, employees, date of establishment, business summary, URL …);
* ``subsidy`` / ``procurement`` / ``patent`` / ``certification`` / ``commendation`` / ``finance`` / ``workplace``
  (``GET /v2/hojin/{法人番号}/{kind}``): the corporation's header fields plus a list named after the kind;
* ``search`` (``GET /v2/hojin?…``): a list of hits (``id`` is null, hits carry ``number_of_activity``).

Values may be JSON ``null`` or the string ``"Null"``: both are missing values.  Amounts are exact: subsidy
``amount`` is a string, procurement ``amount`` a number (read as a decimal, never a float).

Mapping:

* ``basic`` → *declarations* of ``id/corporation/{法人番号}`` with the same terms as the ``houjin`` loader where they
  mean the same (``cbkg:officialName``, ``cbkg:officialNameKana``, ``cbkg:officialNameEn``, ``cbkg:address``,
  ``cbkg:postCode``, ``cbkg:corporateType``, ``cbkg:closeDate``, ``cbkg:closeCause``) and gBizINFO's own
  (representative, capital, employees, date of establishment, founding year, business summary,
  ``foaf:homepage``); the data graph records where they were read (``prov:wasDerivedFrom <{source}#/hojin-infos/0>``);
* ``subsidy`` / ``procurement`` → data nodes ``cbkg:GovernmentSubsidy`` / ``cbkg:GovernmentProcurement``
  ``{corporation}/gbiz-{kind}/{meta-data.key_field or position}`` with title, amount (yen), date of approval / order,
  awarding body (as written, and its register IRI when it names a 府省庁), note, ``dcterms:identifier`` (gBizINFO's
  key) and ``prov:wasDerivedFrom <{source}#/hojin-infos/0/subsidy/3>`` (RFC 6901 JSON Pointer);
* ``patent`` and the other lists, and ``search`` responses, are not mapped: one ``info`` load issue says how many
  records they hold.  Fields present but not mapped are listed in ``info`` load issues (one per field).

The package: :mod:`.records` (the typed records), :mod:`.parse` (response → records and load issues),
:mod:`.mapping` (records → triples, pure).
"""

from __future__ import annotations

from pathlib import Path

from ..base import SourceUnit
from . import parse as _parse
from .mapping import declarations, to_triples
from .parse import parse
from .records import GbizAward, GbizCorporation

NAME = "gbizinfo"
VERSION = "1.0.0"
TITLE = "gBizINFO REST API v2 response (JSON: basic, subsidy, procurement, patent, search …)"
__all__ = [
    "NAME",
    "TITLE",
    "VERSION",
    "GbizAward",
    "GbizCorporation",
    "cost",
    "declarations",
    "detect",
    "graph_key",
    "parse",
    "to_triples",
    "units",
]


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for a gBizINFO v2 response: a JSON object with a ``hojin-infos`` list (and ``id``, ``errors``,
    ``message``)."""
    return _parse.sniff(head)


def units(path: Path) -> list[SourceUnit]:
    """One unit per file."""
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file size."""
    return float(unit.size())


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``gbizinfo/{kind}/{法人番号}``: a newer response of the same endpoint for the same corporation replaces the
    older; search responses (and responses without a valid number) are keyed by content,
    ``gbizinfo/{kind}/sha-{first 12 hex digits of the SHA-256}``."""
    obj = _parse.load(unit)
    kind = _parse.response_kind(obj)
    number = _parse.corporate_number_of(obj) if kind != "search" else None
    return f"gbizinfo/{kind}/{number or 'sha-' + unit.sha256()[:12]}"
