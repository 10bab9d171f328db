"""The records ``parse`` yields for one RS CSV: a :class:`TableInfo`, then an :class:`RsRecord` per data row
(the record shared with ``rs_sheet``, :mod:`loaders.rs_model.records`) and load issues."""

from __future__ import annotations

from dataclasses import dataclass

from ..rs_model.records import RsRecord

__all__ = ["RsRecord", "TableInfo"]


@dataclass(frozen=True, slots=True)
class TableInfo:
    """The first record of every file: which table it is and how its header was matched."""

    table: str
    title: str
    year: int | None
    encoding: str
    columns: tuple[str, ...]
    missing: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
