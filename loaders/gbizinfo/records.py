"""The records of a gBizINFO response: typed, with every value already read (missing values are None)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class GbizCorporation:
    """The basic information of one corporation (``/hojin-infos/{i}`` of a basic response); missing: None.

    ``pointer`` is the RFC 6901 JSON Pointer of the entry, percent-encoded (an IRI fragment without ``#``);
    ``kind`` and ``close_cause`` are notations of the ``corporate-type`` / ``close-cause`` code lists;
    ``capital_raw`` is 資本金 as written."""

    number: str
    pointer: str
    name: str | None = None
    kana: str | None = None
    name_en: str | None = None
    postal_code: str | None = None
    location: str | None = None
    kind: str | None = None
    close_date: _dt.date | None = None
    close_cause: str | None = None
    representative_name: str | None = None
    representative_position: str | None = None
    capital: Decimal | None = None
    capital_raw: str | None = None
    employees: int | None = None
    founding_year: int | None = None
    established: _dt.date | None = None
    business_summary: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class GbizAward:
    """One subsidy or procurement record of a corporation (``/hojin-infos/{i}/{kind}/{j}``).

    ``kind`` is ``subsidy`` or ``procurement``; ``key`` the IRI key (gBizINFO's ``meta-data.key_field`` or the
    position, ``-2``, ``-3`` … added when it repeats); ``identifier`` the key_field itself; ``amount_raw`` the
    amount as written; ``date`` the date of approval (subsidy) or order (procurement)."""

    kind: str
    number: str
    corporation_name: str | None
    pointer: str
    key: str
    identifier: str | None = None
    title: str | None = None
    amount: Decimal | None = None
    amount_raw: str | None = None
    date: _dt.date | None = None
    department: str | None = None
    note: str | None = None


Record = GbizCorporation | GbizAward
"""What :func:`loaders.gbizinfo.parse` yields besides load issues."""
