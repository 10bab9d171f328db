"""Loader ``houjin``: National Tax Agency 法人番号 data (法人番号システム Web-API Ver.4 responses and downloads).

Source forms, recognised by content (never by file name):

* CSV, Shift_JIS (``type=01``, ``_c2``) or UTF-8 (``type=02``, ``_c4``); the encoding is detected from the bytes
  and a CP932 file gets an ``info`` load issue.  A Web-API response starts with the line
  ``{lastUpdateDate},{count},{divideNumber},{divideSize}``; the bulk downloads (全件・差分データ) have no such line.
  Every other line is one corporation record of 30 columns, without a header;
* XML (``type=12``): ``<corporations>`` with ``<lastUpdateDate>``, ``<count>``, ``<divideNumber>``, ``<divideSize>``
  and one ``<corporation>`` per record, whose child elements carry the same 30 fields.

The 30 fields of Ver.4, in CSV column order and with their XML element names, are :data:`FIELDS`
(一連番号, 法人番号, 処理区分, 訂正区分, 更新年月日, 変更年月日, 商号又は名称, 商号又は名称イメージID,
法人種別, 国内所在地（都道府県・市区町村・丁目番地等）, 国内所在地イメージID, 都道府県コード, 市区町村コード,
郵便番号, 国外所在地, 国外所在地イメージID, 登記記録の閉鎖等年月日, 登記記録の閉鎖等の事由, 承継先法人番号,
変更事由の詳細, 法人番号指定年月日, 最新履歴, 英語表記の商号・所在地, フリガナ, 検索対象除外).

``parse(unit)`` yields one :class:`NtaResponse` (the response line / header elements), one :class:`NtaCorporation`
per record whose 法人番号 passes the check digit, and :class:`~loaders.base.LoadIssue` for everything else.

Mapping:

* data graph (``to_triples``): one ``cbkg:NtaRecord`` per record, ``{corporation}/nta/{source id}/{n}`` (``n`` the
  record's position in the file; the source id makes the node file-specific, so that the same NTA record read from
  the CSV and the XML form of one response never puts the same triple in two graphs), with every field as written
  and ``prov:wasDerivedFrom`` the record: ``{source}#row=N`` for CSV (RFC 7111, the response line is row 1) and
  ``{source}#xpointer(/corporations/corporation%5BN%5D)`` for XML.  The response line describes the source file
  (``cbkg:lastUpdateDate``, ``cbkg:declaredRecordCount``, ``cbkg:divideNumber``, ``cbkg:divideSize``).
* declarations (merged with the payees of the budget sources): every record declares its corporation
  ``id/corporation/{法人番号}`` as a ``cbkg:Payee`` with its name as ``skos:altLabel`` (so a history response keeps
  all former names).  The record flagged ``latest=1`` gives the current facts (``cbkg:officialName`` …); when a
  file holds several such records for one number, the newest (update date, change date, position) wins, and older
  records never contribute current facts.

The package: :mod:`.records` (the typed records), :mod:`.parse` (file → records and load issues),
:mod:`.mapping` (records → triples, pure).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..base import SourceUnit, zip_units
from . import parse as _parse
from .mapping import declarations, to_triples
from .parse import parse
from .records import FIELDS, NtaCorporation, NtaResponse

NAME = "houjin"
VERSION = "1.0.0"
TITLE = "National Tax Agency 法人番号 data (Web-API Ver.4 / download: CSV Shift_JIS or UTF-8, XML)"
__all__ = [
    "FIELDS",
    "NAME",
    "TITLE",
    "VERSION",
    "NtaCorporation",
    "NtaResponse",
    "cost",
    "declarations",
    "detect",
    "graph_key",
    "parse",
    "to_triples",
    "units",
]


def detect(unit: SourceUnit, head: bytes) -> bool:
    """True for NTA 法人番号 data: a ``<corporations>`` XML, or a CSV whose first line is the Web-API response line
    (``date,count,divideNumber,divideSize``) or a 30-column record with a 13-digit 法人番号."""
    return _parse.sniff(head, complete=len(head) < _parse.HEAD_SIZE) is not None


def units(path: Path) -> list[SourceUnit]:
    """The file itself, or the ``.csv``/``.xml`` members of a ZIP download (none: an empty list, not an error)."""
    if zipfile.is_zipfile(path):
        return zip_units(path, (".csv", ".xml"))
    return [SourceUnit(path)]


def cost(unit: SourceUnit, head: bytes) -> float:
    """Expected work: the file is read twice and every record gives ~30 triples."""
    return unit.size() * 3.0


def graph_key(unit: SourceUnit, head: bytes) -> str:
    """``houjin/{lastUpdateDate}/{first 12 hex digits of the SHA-256}``: every response is its own graph (responses
    overlap: one corporation is in the number, name and diff responses), reloading the same bytes replaces it."""
    return f"houjin/{_parse.response_date(head) or 'undated'}/{unit.sha256()[:12]}"
