"""Labels of the web pages in Japanese and English.

The language is ``?lang=ja|en``, else the first of ``ja``/``en`` in ``Accept-Language``, else Japanese.
Source text (names of programs, payees, laws) stays as written, in Japanese, and the templates mark it
``lang="ja"`` when the page is English.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

CODES_TTL = Path(__file__).resolve().parent.parent / "ontology" / "codes.ttl"

LANGS = ("ja", "en")

LABELS: dict[str, tuple[str, str]] = {
    # navigation and common
    "site": ("サイバーセキュリティ予算の知識グラフ", "Knowledge graph of Japan's cybersecurity budget"),
    "nav.search": ("検索", "Search"),
    "nav.laws": ("法令", "Laws"),
    "nav.ministries": ("府省庁", "Ministries"),
    "nav.quality": ("品質", "Quality"),
    "nav.flow": ("資金の流れ", "Money flow"),
    "search.placeholder": ("事業名・支出先・法人番号・予算事業ID", "program, payee, 法人番号 or program ID"),
    "search.label": ("事業と支出先を検索", "Search programs and payees"),
    "search.button": ("検索", "Search"),
    "lang.switch": ("English", "日本語"),
    "unknown": ("不明", "unknown"),
    "total": ("合計", "Total"),
    "download.csv": ("CSV をダウンロード", "Download CSV"),
    "fy": ("予算年度", "Budget year"),
    "sheet_year": ("事業年度（シート）", "Sheet year"),
    "all_years": ("全年度", "All years"),
    "apply": ("表示", "Apply"),
    "ministry": ("府省庁", "Ministry"),
    "program": ("事業", "Program"),
    "program_id": ("予算事業ID", "Program ID"),
    "programs": ("事業", "Programs"),
    "payee": ("支出先", "Payee"),
    "payees": ("支出先", "Payees"),
    "corporate_number": ("法人番号", "Corporate number"),
    "amount": ("金額", "Amount"),
    "years": ("年度", "Years"),
    "law": ("法令", "Law"),
    "article": ("条", "Article"),
    "sort": ("並べ替え", "Sort"),
    "sort.relevance": ("関連度", "Relevance"),
    "sort.amount": ("金額", "Amount"),
    "sort.id": ("予算事業ID", "Program ID"),
    "sort.name": ("事業名", "Name"),
    "prev": ("前へ", "Previous"),
    "next": ("次へ", "Next"),
    "results": ("件", "results"),
    "cyber_only": (
        "サイバー関係の事業のみ（名称にサイバー・セキュリティ）",
        "Cyber programs only (name has サイバー/セキュリティ)",
    ),
    "stage": ("段階", "Stage"),
    "items": ("件数", "Items"),
    "sources": ("出典", "Sources"),
    # measures
    "measure.expense": ("費目・使途の合計（5-3 支出先の費目・使途）", "Expense items (RS 5-3)"),
    "measure.contract": ("国庫債務負担行為等の契約額（5-4）", "Multi-year contracts (RS 5-4)"),
    "measure.payment": ("支出額（5-1）", "Payments (RS 5-1)"),
    "measure.note": (
        "測度は別々に示し、足し合わせません。契約額は複数年度にわたる契約の総額で、その年度の支出額ではありません。",
        "The measures are shown apart and never added up: a contract amount is the whole multi-year contract, "
        "not a year's payment.",
    ),
    # pages
    "home.title": ("日本のサイバーセキュリティ予算の知識グラフ", "The knowledge graph of Japan's cybersecurity budget"),
    "search.title": ("検索", "Search"),
    "search.programs": ("事業", "Programs"),
    "search.payees": ("支出先", "Payees"),
    "search.none": ("該当なし", "No match"),
    "payee.by_year": ("年度別の合計", "Totals by year"),
    "payee.by_ministry": ("府省庁別", "By ministry"),
    "payee.programs": ("支払った事業", "Programs paying this payee"),
    "payee.flow": (
        "資金の出どころ（府省庁 → 事業 → 支出先）",
        "Where the money comes from (ministry → program → payee)",
    ),
    "payee.links": ("外部データ", "External data"),
    "payee.variants": ("表記", "Spellings"),
    "ministry.by_year": ("予算年度別の合計（全事業・総額行）", "Totals by budget year (all programs, total lines)"),
    "ministry.programs": ("事業（金額順）", "Programs (by amount)"),
    "ministry.top_payees": ("主な支出先（費目・使途の合計）", "Top payees (expense items)"),
    "ministry.flow": ("資金の流れ（府省庁 → 事業 → 支出先）", "Money flow (ministry → program → payee)"),
    "ministry.units": ("組織", "Units"),
    "flow.title": ("資金の流れ", "Money flow"),
    "flow.measure": ("測度", "Measure"),
    "flow.none": ("この条件の支出先データはありません。", "No payee data for these settings."),
    "program.budget": ("予算・執行（予算年度 × 段階）", "Budget and execution (budget year × stage)"),
    "program.budget_note": (
        "各予算年度はその年度を記載した最新のシートの値。空欄は記載なし（不明）。",
        "Each budget year comes from the latest sheet reporting it. An empty cell means not reported (unknown).",
    ),
    "program.sheets": ("年度別レビューシート", "Review sheets by year"),
    "program.sheet": ("年度レビューシート", "review sheet"),
    "program.purpose": ("事業の目的", "Purpose"),
    "program.overview": ("事業の概要", "Overview"),
    "program.legal_basis": ("根拠法令", "Legal basis"),
    "program.plans": ("関係する計画・通知等", "Plans and notices"),
    "program.payees": ("支出先（費目・使途の合計）", "Payees (expense items)"),
    "program.period": ("事業期間", "Period"),
    "program.none": ("記載なし", "none"),
    "quality.title": ("データ品質", "Data quality"),
    "quality.load_issues": ("読込みの問題", "Load issues"),
    "quality.not_validated": ("まだ検証されていません", "Not validated yet"),
    "quality.shape": ("制約（shape）", "Shape"),
    "quality.severity": ("重大度", "Severity"),
    "quality.count": ("件数", "Count"),
    "quality.message": ("メッセージ", "Message"),
    "quality.example": ("例", "Example"),
    "quality.file": ("ファイル", "File"),
    "quality.kind": ("種類", "Kind"),
    "quality.summary": ("SHACL 検証: 違反 {v} 件、警告 {w} 件", "SHACL validation: {v} violations, {w} warnings"),
    "severity.Violation": ("違反", "Violation"),
    "severity.Warning": ("警告", "Warning"),
    "severity.Info": ("情報", "Info"),
    "severity.error": ("エラー", "error"),
    "severity.warning": ("警告", "warning"),
    "severity.info": ("情報", "info"),
    "laws.title": ("根拠法令として引用された法令", "Laws cited as legal basis"),
    "ministries.title": ("府省庁", "Ministries and agencies"),
    "sheets": ("シート数", "Sheets"),
    "law.cited": ("根拠法令として引用", "Cited as legal basis"),
    "law.by_article": ("条ごとの引用", "Citations by article"),
    "law.no_article": ("条の記載なし", "No article given"),
    "law.toc": ("目次", "Contents"),
    "law.egov": ("e-Gov 法令検索で見る", "View on e-Gov"),
    "article.programs": ("この条を根拠とする事業", "Programs based on this article"),
    "article.not_loaded": ("この条の本文は読み込まれた版にありません。", "This article is not in the loaded text."),
    "resolution.name": ("法令名から特定", "resolved by law name"),
    "resolution.id": ("法令IDから特定", "resolved by 法令ID"),
    "resolution.text": ("本文の記載から特定", "resolved from the text"),
    "resolution.number": ("法令番号から特定", "resolved by law number"),
    "as_written": ("記載", "as written"),
    "logic.Activity": ("活動", "Activity"),
    "logic.Output": ("アウトプット", "Output"),
    "logic.Outcome": ("アウトカム", "Outcome"),
}

STAGES: dict[str, tuple[str, str]] = {
    "initial": ("当初予算", "Initial budget"),
    "supplementary": ("補正予算", "Supplementary"),
    "supplementary-1": ("第1次補正", "1st supplementary"),
    "supplementary-2": ("第2次補正", "2nd supplementary"),
    "carried-over-in": ("前年度から繰越し", "Carried over in"),
    "reserve": ("予備費等", "Reserve funds"),
    "current": ("歳出予算現額", "Current budget"),
    "executed": ("執行額", "Executed"),
    "carried-over-out": ("翌年度への繰越し", "Carried over out"),
    "next-year-request": ("翌年度要求額", "Next-year request"),
    "priority-request": ("要望額", "Priority request"),
}


SHAPE_MESSAGES_JA: dict[str, str] = {
    "A program has at most one 予算事業ID (digits, no leading zero).": "事業の予算事業IDは1つまで（数字のみ、先頭に0なし）。",
    "A program has a 予算事業ID, or is known from its first review sheet (older than the RS system).":
        "事業には予算事業IDがあるか、RSシステム以前の最初のレビューシートから知られている。",
    "A sheet describes exactly one program.": "レビューシートはちょうど1つの事業を記述する。",
    "A sheet has exactly one 事業名.": "レビューシートの事業名はちょうど1つ。",
    "The sheet's 府省庁 is unknown (organisation table 1-1 not loaded?).":
        "レビューシートの府省庁が不明（組織情報の表1-1が未読込？）。",
    "Every sheet points to the source records it was read from.": "すべてのレビューシートは読み取り元のレコードを示す。",
    "事業終了（予定）年度 is before 事業開始年度.": "事業終了（予定）年度が事業開始年度より前。",
    "A budget line belongs to exactly one review sheet (cbkg:sheet) or one item of a budget document "
    "(cbkg:summaryItem).": "予算行はちょうど1つのレビューシート（cbkg:sheet）または予算資料の1項目（cbkg:summaryItem）に属する。",
    "An observation has exactly one amount in yen (xsd:decimal).": "観測値には円単位の金額（xsd:decimal）がちょうど1つ。",
    "This budget stage cannot be negative (当初予算, 歳出予算現額, 執行額, 繰越し, 要求額).":
        "この予算段階は負にならない（当初予算、歳出予算現額、執行額、繰越し、要求額）。",
    "執行率 differs from 執行額 / 歳出予算現額 by more than 0.0005.": "執行率が 執行額 ÷ 歳出予算現額 と0.0005を超えて異なる。",
    "A citation is made by exactly one review sheet (cbkg:sheet) or one item of a budget document "
    "(cbkg:summaryItem).": "法令の引用はちょうど1つのレビューシート（cbkg:sheet）または予算資料の1項目（cbkg:summaryItem）による。",
    "A citation points to one law, and that law exists in the graph.": "引用は1つの法令を指し、その法令はグラフにある。",
    "法人番号 must be 13 digits.": "法人番号は13桁。",
    "法人番号 check digit mismatch (NTA rule: check = 9 − (Σ Pn·Qn mod 9)).":
        "法人番号のチェックデジットが合わない（国税庁の規則：9 −（Σ Pn·Qn を9で割った余り））。",
    "A negative expense amount (refund?).": "支出額が負（返納？）。",
    "Award rate (落札率) outside 0–100 %.": "落札率が0〜100％の範囲外。",
    "The cited article is not in the loaded text of the law (numbering may differ between versions).":
        "引用された条が読み込んだ法令本文にない（版により条番号が異なる場合がある）。",
    "法令番号 and 法令ID name different laws (era, year, kind or number disagree).":
        "法令番号と法令IDが別の法令を指す（元号・年・種別・番号が一致しない）。",
}
"""Japanese text of the SHACL messages (``ontology/shapes/*.ttl`` holds them in English, as validators report
them); keyed by the English text."""


def shape_message(text: str | None, lang: str) -> tuple[str, str]:
    """A validation message and its language for a page in ``lang`` (the English original when no Japanese
    text is known)."""
    if not text:
        return "", lang
    if lang == "ja" and text in SHAPE_MESSAGES_JA:
        return SHAPE_MESSAGES_JA[text], "ja"
    return text, "en"


def lang_of(request: Any) -> str:
    """``?lang=``, else ``Accept-Language`` (ja or en, by q-value order), else ``ja``."""
    q = request.query_params.get("lang") if request is not None else None
    if q in LANGS:
        return q
    header = request.headers.get("accept-language", "") if request is not None else ""
    best: tuple[float, str] | None = None
    for part in header.split(","):
        bits = part.strip().split(";")
        tag = bits[0].strip().lower()[:2]
        qv = 1.0
        for b in bits[1:]:
            if b.strip().startswith("q="):
                try:
                    qv = float(b.strip()[2:])
                except ValueError:
                    qv = 0.0
        if tag in LANGS and (best is None or qv > best[0]):
            best = (qv, tag)
    return best[1] if best else "ja"


def t(key: str, lang: str, **fmt: Any) -> str:
    pair = LABELS.get(key) or STAGES.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**fmt) if fmt else text


def stage(code: str, lang: str) -> str:
    pair = STAGES.get(code)
    return (pair[1] if lang == "en" else pair[0]) if pair else code


@functools.cache
def _codes() -> dict[str, dict[str, str]]:
    """Labels of the code lists (``ontology/codes.ttl``): IRI → language → label."""
    import rdflib

    g = rdflib.Graph().parse(CODES_TTL, format="turtle")
    out: dict[str, dict[str, str]] = {}
    for s, o in g.subject_objects(rdflib.SKOS.prefLabel):
        out.setdefault(str(s), {})[getattr(o, "language", None) or "ja"] = str(o)
    return out


def code(iri: str | None, lang: str) -> str:
    """The label of a code (``…/code/review-finding/partial-improvement`` → 事業内容の一部改善); else as given."""
    if not iri:
        return ""
    labels = _codes().get(iri)
    if not labels:
        return iri.rsplit("/", 1)[-1]
    return labels.get(lang) or labels.get("ja") or next(iter(labels.values()))
