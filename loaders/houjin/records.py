"""The records of an NTA 法人番号 file: the response line and one typed record per corporation record."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

FIELDS: tuple[str, ...] = (
    "sequenceNumber",  # 一連番号
    "corporateNumber",  # 法人番号
    "process",  # 処理区分
    "correct",  # 訂正区分
    "updateDate",  # 更新年月日
    "changeDate",  # 変更年月日
    "name",  # 商号又は名称
    "nameImageId",  # 商号又は名称イメージID
    "kind",  # 法人種別
    "prefectureName",  # 国内所在地（都道府県）
    "cityName",  # 国内所在地（市区町村）
    "streetNumber",  # 国内所在地（丁目番地等）
    "addressImageId",  # 国内所在地イメージID
    "prefectureCode",  # 都道府県コード
    "cityCode",  # 市区町村コード
    "postCode",  # 郵便番号
    "addressOutside",  # 国外所在地
    "addressOutsideImageId",  # 国外所在地イメージID
    "closeDate",  # 登記記録の閉鎖等年月日
    "closeCause",  # 登記記録の閉鎖等の事由
    "successorCorporateNumber",  # 承継先法人番号
    "changeCause",  # 変更事由の詳細
    "assignmentDate",  # 法人番号指定年月日
    "latest",  # 最新履歴
    "enName",  # 商号又は名称（英語表記）
    "enPrefectureName",  # 国内所在地（都道府県）（英語表記）
    "enCityName",  # 国内所在地（市区町村丁目番地等）（英語表記）
    "enAddressOutside",  # 国外所在地（英語表記）
    "furigana",  # フリガナ
    "hihyoji",  # 検索対象除外
)
"""The 30 fields of a Ver.4 record: CSV column order = XML element names."""

FORMAT_CSV = "csv"
FORMAT_XML = "xml"


@dataclass(frozen=True, slots=True)
class NtaResponse:
    """The first record of a file: its form and the response line (absent from bulk downloads)."""

    format: str
    encoding: str
    last_update: _dt.date | None = None
    count: int | None = None
    divide_number: int | None = None
    divide_size: int | None = None
    raw: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class NtaCorporation:
    """One record of a corporation, with a valid 法人番号.

    ``ordinal`` is the record's position among the file's records (1-based), ``fragment`` the source fragment
    (without ``#``) it was read from, ``raw`` its non-empty fields as written.  Typed values are set only when the
    field could be read (a bad value is a load issue and stays in ``raw``).  ``current`` marks the record that
    gives the corporation's current facts in this file; ``name_change_date`` is the date of the latest name
    change (処理区分 11) the file records for the number (set on the current record only).

    The corporation's own facts: ``address_ja`` is 都道府県 + 市区町村 + 丁目番地等 as one string (as the NTA site
    and gBizINFO print it), else 国外所在地; ``address_en`` is ``{市区町村丁目番地等}, {都道府県}`` in English, else
    the English 国外所在地; ``prefecture_code`` and ``post_code`` are the codes when they are digits (as written,
    whatever they are, they stay in ``raw``).
    """

    number: str
    ordinal: int
    fragment: str
    raw: dict[str, str]
    sequence: int | None = None
    process: str | None = None
    correct: bool | None = None
    update_date: _dt.date | None = None
    change_date: _dt.date | None = None
    close_date: _dt.date | None = None
    assignment_date: _dt.date | None = None
    kind: str | None = None
    close_cause: str | None = None
    successor: str | None = None
    latest: bool | None = None
    excluded: bool | None = None
    address_ja: str | None = None
    address_en: str | None = None
    prefecture_code: str | None = None
    post_code: str | None = None
    current: bool = False
    name_change_date: _dt.date | None = None

    def get(self, name: str) -> str | None:
        """A field as written (None when empty)."""
        return self.raw.get(name)

    def recency(self) -> tuple[str, str, int]:
        """Sort key of the records of one number: update date, change date, position."""
        return (
            self.update_date.isoformat() if self.update_date else "",
            self.change_date.isoformat() if self.change_date else "",
            self.ordinal,
        )


Record = NtaResponse | NtaCorporation
"""What :func:`loaders.houjin.parse` yields besides load issues."""
