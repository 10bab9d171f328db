"""Column specifications of the RS-system bulk CSV tables (行政事業レビュー見える化サイト, 事業年度 2024 format).

Each table maps its Japanese header to a canonical key and a value kind.  Headers are matched after
:func:`header_key` folding (NFKC, no spaces, every dash/long-vowel mark as ``-``), so the real header drift
(``翌年度への繰越し(合計）``, ``実施方法ー直接実施`` vs ``－``) does not matter.  The kinds are converted by
``parse`` (:mod:`loaders.rs_csv.parse`); failures become load issues, never silent drops.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..rs_model.records import ACCOUNT_STAGES, SUMMARY_STAGES

Kind = str
"""text | int | amount | ratio | year | bool | flag | url | corpno | raw"""

_DASHES = re.compile(r"[ー－―‐\-−—–ｰ]")
_SPACE = re.compile(r"\s+")


def header_key(h: str) -> str:
    """Fold a header for matching: NFKC, strip BOM/spaces, unify dashes."""
    h = unicodedata.normalize("NFKC", h.replace("\ufeff", ""))
    return _DASHES.sub("-", _SPACE.sub("", h))


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: Kind = "text"
    required: bool = False


@dataclass(frozen=True)
class Table:
    """One RS table: its id (``1-3``), title, columns, and the keys whose emptiness marks a placeholder row."""

    id: str
    title: str
    columns: tuple[Column, ...]
    payload: tuple[str, ...] = ()
    sequence: tuple[str, ...] = ()
    """Keys whose repetition within a program is numbered (``RsRecord.seq``): the RS export splits one
    account of one 予算年度 over several 2-1 rows (e.g. the 当初 and the 補正 amounts)."""
    items: bool = False
    """Rows are items (payments, contracts, budget line items): identical rows are separate items (the RS
    export lists nine identical 770,000-yen meeting payments as nine rows) and are all mapped.  In the other
    tables an identical row restates a fact and is not mapped twice."""

    def by_header(self) -> dict[str, Column]:
        return {header_key(c.header): c for c in self.columns}


COMMON = (
    Column("シート種別", "sheet_kind", "text", True),
    Column("事業年度", "year", "year", True),
    Column("予算事業ID", "program_id", "raw", True),
    Column("事業名", "program_name", "text", True),
    Column("府省庁の建制順", "precedence", "int"),
    Column("政策所管府省庁", "policy_ministry", "text"),
    Column("府省庁", "ministry", "text"),
    Column("局・庁", "bureau", "text"),
    Column("部", "department", "text"),
    Column("課", "division", "text"),
    Column("室", "office", "text"),
    Column("班", "section", "text"),
    Column("係", "subsection", "text"),
)
COMMON_KEYS = frozenset(c.key for c in COMMON)


def _t(
    id_: str,
    title: str,
    cols: list[Column],
    common: tuple[Column, ...] = COMMON,
    sequence: tuple[str, ...] = (),
    items: bool = False,
) -> Table:
    specific = tuple(cols)
    return Table(id_, title, common + specific, tuple(c.key for c in specific), sequence, items)


TABLES: dict[str, Table] = {}


def _register(t: Table) -> None:
    TABLES[t.id] = t


_register(
    _t(
        "1-1",
        "基本情報_組織情報",
        [
            Column("その他担当組織_作成責任者_no", "org_no", "int"),
            Column("府省庁（その他担当組織）", "o_ministry"),
            Column("局・庁（その他担当組織）", "o_bureau"),
            Column("部（その他担当組織）", "o_department"),
            Column("課（その他担当組織）", "o_division"),
            Column("室（その他担当組織）", "o_office"),
            Column("班（その他担当組織）", "o_section"),
            Column("係（その他担当組織）", "o_subsection"),
            Column("作成責任者", "author"),
        ],
        common=(
            Column("シート種別", "sheet_kind", "text", True),
            Column("事業年度", "year", "year", True),
            Column("予算事業ID", "program_id", "raw", True),
            Column("事業名", "program_name", "text", True),
            Column("建制順", "precedence", "int"),
            Column("所管府省庁", "policy_ministry", "text"),
            Column("府省庁", "ministry", "text"),
            Column("局・庁", "bureau", "text"),
            Column("部", "department", "text"),
            Column("課", "division", "text"),
            Column("室", "office", "text"),
            Column("班", "section", "text"),
            Column("係", "subsection", "text"),
        ),
    )
)
_register(
    _t(
        "1-2",
        "基本情報_事業概要等",
        [
            Column("事業の目的", "purpose"),
            Column("現状・課題", "issues"),
            Column("事業の概要", "overview"),
            Column("事業概要URL", "overview_url", "url"),
            Column("事業区分", "category"),
            Column("事業開始年度", "start_year", "year"),
            Column("開始年度不明", "start_unknown", "bool"),
            Column("事業終了（予定）年度", "end_year", "year"),
            Column("終了予定なし", "no_end", "bool"),
            Column("主要経費", "major_expense"),
            Column("備考", "remarks"),
            Column("実施方法ー直接実施", "m_direct", "flag"),
            Column("実施方法ー補助", "m_subsidy", "flag"),
            Column("実施方法ー負担", "m_burden", "flag"),
            Column("実施方法ー交付", "m_grant", "flag"),
            Column("実施方法ー分担金・拠出金", "m_contribution", "flag"),
            Column("実施方法ーその他", "m_other", "flag"),
            Column("旧事業番号", "former_number"),
            Column("整理表表示順", "summary_order", "int"),
        ],
    )
)
_register(
    _t(
        "1-3",
        "基本情報_政策・施策、法令等",
        [
            Column("番号（政策・施策）", "policy_no", "int"),
            Column("政策所管府省庁_P", "policy_owner"),
            Column("政策", "policy"),
            Column("施策", "measure"),
            Column("政策・施策URL", "policy_url", "url"),
            Column("番号（根拠法令）", "law_no", "int"),
            Column("法令名", "law_name"),
            Column("法令番号", "law_number"),
            Column("法令ID", "law_id", "raw"),
            Column("条", "article"),
            Column("項", "paragraph"),
            Column("号・号の細分", "item"),
            Column("番号（関係する計画・通知等）", "plan_no", "int"),
            Column("計画通知名", "plan_name"),
            Column("計画通知等URL", "plan_url", "url"),
        ],
    )
)
_register(
    _t(
        "1-4",
        "基本情報_補助率等",
        [
            Column("番号（補助率等）", "rate_no", "int"),
            Column("補助対象", "subsidy_target"),
            Column("補助率", "subsidy_rate"),
            Column("補助上限等", "subsidy_cap"),
            Column("補助率URL", "subsidy_url", "url"),
        ],
    )
)
_register(
    _t(
        "1-5",
        "基本情報_関連事業",
        [
            Column("番号（関連事業）", "rel_no", "int"),
            Column("関連事業の事業ID", "rel_id", "raw"),
            Column("関連事業の事業名", "rel_name"),
            Column("関連性", "relation"),
        ],
    )
)
_register(
    _t(
        "2-1",
        "予算・執行_サマリ",
        [
            Column("予算年度", "budget_year", "year"),
            *(Column(h, "s:" + k, "amount") for h, k in SUMMARY_STAGES),
            Column("執行率", "execution_rate", "ratio"),
            Column("主な増減理由", "change_reason"),
            Column("その他特記事項", "special_notes"),
            Column("会計区分", "account_class"),
            Column("会計", "account"),
            Column("勘定", "subaccount"),
            *(Column(h, "a:" + k, "amount") for h, k in ACCOUNT_STAGES),
            Column("備考", "remarks"),
        ],
        sequence=("budget_year", "account_class", "account", "subaccount"),
    )
)
_register(
    _t(
        "2-2",
        "予算・執行_予算種別・歳出予算項目",
        [
            Column("予算年度", "budget_year", "year"),
            Column("会計区分", "account_class"),
            Column("会計", "account"),
            Column("勘定", "subaccount"),
            Column("予算種別", "budget_kind"),
            Column("所管", "jurisdiction"),
            Column("組織・勘定", "organisation_account"),
            Column("項", "kou"),
            Column("目", "moku"),
            Column("歳出予算項目の補足情報", "item_note"),
            Column("予算額（歳出予算項目ごと）", "amount", "amount"),
            Column("翌年度要求額（歳出予算項目ごと）", "request_amount", "amount"),
            Column("備考（歳出予算項目ごと）", "remarks"),
        ],
        items=True,
    )
)
_register(
    _t(
        "3-1",
        "効果発現経路_目標・実績",
        [
            Column("事業に関連するKPIが定められている閣議決定等の名称", "kpi_decision"),
            Column("事業に関連するKPIが定められている閣議決定等の該当箇所", "kpi_location"),
            Column("事業に関連するKPIが定められている閣議決定等のURL", "kpi_url", "url"),
            Column("アクティビティ・アウトプット・アウトカムの番号", "node_no", "int"),
            Column("種別（アクティビティ・アウトプット・アウトカム）", "node_kind"),
            Column("アウトカムの期間", "node_term"),
            Column("成果目標の種類", "target_kind"),
            Column("アクティビティ／活動目標／成果目標", "node_text"),
            Column("活動指標／成果指標", "indicator"),
            Column("単位", "unit"),
            Column("改善の上向き／下向き", "direction"),
            Column("成果実績及び目標値の根拠として用いた統計・データ名（出典）", "data_source"),
            Column("定性的なアウトカム目標を設定している理由", "qualitative_reason"),
            Column("定性的なアウトカムに関する成果実績", "qualitative_result"),
            Column("目標年度／目標値／実績値／達成率", "value_kind"),
            *(Column(str(y), f"y:{y}", "raw") for y in range(2007, 2061)),
        ],
    )
)
_register(
    _t(
        "3-2",
        "効果発現経路_目標のつながり",
        [
            Column("派生元ーアクティビティ・アウトプット・アウトカムの番号", "from_no", "int"),
            Column("派生元ー種別（アクティビティ・アウトプット・アウトカム）", "from_kind"),
            Column("派生元ーアウトカムの期間", "from_term"),
            Column("派生元ーアクティビティの内容/ 活動目標／成果目標", "from_text"),
            Column("派生先ーアクティビティ・アウトプット・アウトカムの番号", "to_no", "int"),
            Column("派生先ー種別（アクティビティ・アウトプット・アウトカム）", "to_kind"),
            Column("派生先ーアウトカムの期間", "to_term"),
            Column("派生先ー 活動目標／成果目標", "to_text"),
            Column("後続アウトカムへのつながり", "link_text"),
            Column("アウトカムを複数段階で設定できない理由", "single_stage_reason"),
        ],
    )
)
_register(
    _t(
        "4-1",
        "点検・評価",
        [
            Column("事業所管部局による点検・改善ー点検結果", "self_check"),
            Column("事業所管部局による点検・改善ー改善の方向性", "improvement"),
            Column("事業所管部局による点検・改善－目標年度における効果測定に関する評価", "effect_eval"),
            Column("外部有識者による点検ー最終実施年度", "ext_year", "year"),
            Column("外部有識者による点検ー点検対象", "ext_target"),
            Column("外部有識者による点検ー対象の理由", "ext_reason"),
            Column("外部有識者による点検ー所見", "ext_opinion"),
            Column("公開プロセス結果概要", "public_process"),
            Column("行政事業レビュー推進チームの所見", "team_finding"),
            Column("行政事業レビュー推進チームの所見の詳細", "team_finding_detail"),
            Column("所見を踏まえた改善点／概算要求における反映状況", "reflection"),
            Column("所見を踏まえた改善点／概算要求における反映状況の詳細", "reflection_detail"),
            Column("反映額（一般会計）", "reflect_general", "amount"),
            Column("反映額（特別会計）－会計", "reflect_special_account"),
            Column("反映額（特別会計）－勘定", "reflect_special_subaccount"),
            Column("反映額（特別会計）－反映額", "reflect_special", "amount"),
            Column("過去に受けた指摘事項－区分", "past_kind"),
            Column("過去に受けた指摘事項－取りまとめ年度", "past_year", "year"),
            Column("過去に受けた指摘事項－取りまとめ内容", "past_content"),
            Column("過去に受けた指摘事項－対応状況", "past_status"),
            Column("その他の指摘事項－調査等の名称", "other_name"),
            Column("その他の指摘事項－指摘年度", "other_year", "year"),
            Column("その他の指摘事項－指摘内容", "other_content"),
            Column("その他の指摘事項－対応状況", "other_status"),
        ],
    )
)
_register(
    _t(
        "5-1",
        "支出先_支出情報",
        [
            Column("支出先ブロック番号", "block"),
            Column("支出先ブロック名", "block_name"),
            Column("支出先の数", "payee_count", "int"),
            Column("事業を行う上での役割", "block_role"),
            Column("ブロックの合計支出額", "block_total", "amount"),
            Column("支出先名", "payee"),
            Column("法人番号", "corporate_number", "corpno"),
            Column("所在地", "location"),
            Column("法人種別", "corporate_type"),
            Column("その他支出先", "other_payees", "bool"),
            Column("支出先の合計支出額", "payee_total", "amount"),
            Column("契約概要", "contract_summary"),
            Column("金額", "amount", "amount"),
            Column("契約方式等", "contract_method"),
            Column("具体的な契約方式等", "contract_method_detail"),
            Column("入札者数", "bidders", "int"),
            Column("落札率", "award_rate", "ratio"),
            Column(
                "一者応札・一者応募又は競争性のない随意契約となった理由及び改善策（支出額10億円以上）",
                "single_bid_reason",
            ),
            Column("その他の契約", "other_contract", "bool"),
        ],
        items=True,
    )
)
_register(
    _t(
        "5-2",
        "支出先_支出ブロックのつながり",
        [
            Column("支出元の支出先ブロック", "from_block"),
            Column("支出元の支出先ブロック名", "from_name"),
            Column("担当組織からの支出", "from_org", "bool"),
            Column("支出先の支出先ブロック", "to_block"),
            Column("支出先の支出先ブロック名", "to_name"),
            Column("資金の流れの補足情報", "flow_note"),
            Column("国自らが支出する間接経費", "indirect"),
            Column("国自らが支出する間接経費の項目", "indirect_item"),
            Column("国自らが支出する間接経費の金額", "indirect_amount", "amount"),
        ],
        items=True,
    )
)
_register(
    _t(
        "5-3",
        "支出先_費目・使途",
        [
            Column("支出先ブロック番号", "block"),
            Column("支出先名", "payee"),
            Column("法人番号", "corporate_number", "corpno"),
            Column("契約概要", "contract_summary"),
            Column("費目", "expense_category"),
            Column("使途", "use"),
            Column("金額", "amount", "amount"),
        ],
        items=True,
    )
)
_C = "（国庫債務負担行為等による契約）"
_register(
    _t(
        "5-4",
        "支出先_国庫債務負担行為等による契約",
        [
            Column("支出先ブロック" + _C, "block"),
            Column("契約先名" + _C, "payee"),
            Column("契約先の法人番号" + _C, "corporate_number", "corpno"),
            Column("契約先の所在地" + _C, "location"),
            Column("契約先の法人種別" + _C, "corporate_type"),
            Column("契約概要（契約名）" + _C, "contract_summary"),
            Column("その他の契約", "other_contract_flag", "bool"),
            Column("契約額" + _C, "amount", "amount"),
            Column("契約方式等" + _C, "contract_method"),
            Column("具体的な契約方式等" + _C, "contract_method_detail"),
            Column("入札者数（応募者数）" + _C, "bidders", "int"),
            Column("落札率（％）" + _C, "award_rate_percent", "ratio"),
            Column(
                "一者応札・一者応募又は競争性のない随意契約となった理由及び改善策（契約額10億円以上）" + _C,
                "single_bid_reason",
            ),
            Column("その他の契約" + _C, "other_contract", "bool"),
        ],
        items=True,
    )
)
_register(_t("6-1", "その他備考", [Column("備考", "remarks")]))


def identify(headers: list[str]) -> tuple[Table | None, float]:
    """The table whose columns best match ``headers`` and the share of its columns found (0–1)."""
    keys = {header_key(h) for h in headers}
    best: tuple[Table | None, float] = (None, 0.0)
    for table in TABLES.values():
        cols = table.by_header()
        found = len(keys & cols.keys())
        # both directions: the table's columns found in the file, and the file's columns known to the table
        score = min(found / len(cols), found / max(len(keys), 1))
        if score > best[1]:
            best = (table, score)
    return best
