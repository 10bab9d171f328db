"""Build the law register ``ontology/registers/laws.ttl`` from the bundled RS 2024 table 1-3.

Regenerate (deterministic: same input, byte-identical output) after changing the data or the curated
abbreviations below::

    .venv/bin/python tools/build_law_register.py            # writes ontology/registers/laws.ttl
    .venv/bin/python tools/build_law_register.py --check    # exit 1 if the committed file is stale

For every e-Gov 法令ID in the table's 法令ID column (a 法令履歴ID ``{ID}_{YYYYMMDD}_{amending ID}`` counts
as its ID; junk such as ``IDなし`` is skipped) the register records:

* ``eli:title`` — the most frequent cleaned 法令名 among the rows with that ID (cleaned by
  :func:`loaders.citations.clean_law_name`: bullets, surrounding 「」, parenthesised text, trailing
  provisions and law numbers removed); ties go to the shortest, then the lexically first;
* ``skos:altLabel`` — every other cleaned name seen with the ID, except names of amending acts
  (``…の一部を改正する法律``) filed under the amended law's ID, names containing the title (the title with
  something glued to it) and names that do not read as exactly one law name;
* ``skos:hiddenLabel`` — the curated abbreviations of :data:`ABBREVIATIONS` (and former titles);
* ``cbkg:lawNumber`` (+ ``cbkg:lawNumberEra``, ``cbkg:lawNumberYear``, ``cbkg:lawSerialNumber``) — the most
  frequent 法令番号 written with the ID that is consistent with it
  (:func:`loaders.citations.consistent`; numbers of amending laws are ignored);
* ``cbkg:lawType`` — from the ID's type code (AC act, CO cabinet-order, IO imperial-ordinance, M
  ministerial-ordinance, or rule when the 法令番号 is a 委員会規則).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project packages importable
    sys.path.insert(0, str(ROOT))

from loaders import normalize as nz  # noqa: E402
from loaders.citations import (  # noqa: E402
    LawNumber,
    clean_law_name,
    consistent,
    law_type,
    parse_citations,
    parse_law_number,
)
from loaders.common import split_law_id  # noqa: E402

SOURCE = ROOT / "data" / "rs2024" / "1-3_RS_2024_基本情報_政策・施策、法令等.zip"
TARGET = ROOT / "ontology" / "registers" / "laws.ttl"

ABBREVIATIONS: dict[str, tuple[str, str]] = {
    # abbreviation or former title → (法令ID, why); every ID must be in the register
    "特会法": ("419AC0000000023", "特別会計に関する法律; cited as 特会法第８５条… in the data"),
    "補助金適正化法": ("330AC0000000179", "補助金等に係る予算の執行の適正化に関する法律; cited in the data"),
    "補助金等適正化法": ("330AC0000000179", "補助金等に係る予算の執行の適正化に関する法律"),
    "個人情報保護法": ("415AC0000000057", "個人情報の保護に関する法律"),
    "CS基本法": ("426AC1000000104", "サイバーセキュリティ基本法"),
    "サイバー基本法": ("426AC1000000104", "サイバーセキュリティ基本法"),
    "マイナンバー法": ("425AC0000000027", "行政手続における特定の個人を識別するための番号の利用等に関する法律"),
    "番号法": ("425AC0000000027", "行政手続における特定の個人を識別するための番号の利用等に関する法律"),
    "デジタル手続法": ("414AC0000000151", "情報通信技術を活用した行政の推進等に関する法律"),
    "医薬品医療機器等法": ("335AC0000000145", "医薬品、医療機器等の品質、有効性及び安全性の確保等に関する法律"),
    "薬機法": ("335AC0000000145", "医薬品、医療機器等の品質、有効性及び安全性の確保等に関する法律"),
    "薬事法": ("335AC0000000145", "former title (until 2014) of the same law; cited as 薬事法第55条… in the data"),
    "文化芸術振興基本法": ("413AC1000000148", "former title (until 2017) of 文化芸術基本法; cited in the data"),
    "独法通則法": ("411AC0000000103", "独立行政法人通則法"),
    "入管法": ("326CO0000000319", "出入国管理及び難民認定法"),
    "PFI法": ("411AC1000000117", "民間資金等の活用による公共施設等の整備等の促進に関する法律"),
    "花き振興法": ("426AC1000000102", "花きの振興に関する法律; cited in the data"),
    "カルタヘナ法": (
        "415AC0000000097",
        "遺伝子組換え生物等の使用等の規制による生物の多様性の確保に関する法律; named so in the data",
    ),
    "美しく豊かな自然を保護するための海岸における良好な景観及び環境の保全に係る"
    "海岸漂着物等の処理等の推進に関する法律": (
        "421AC1000000082",
        "former title (until 2018) of the same law; cited in the data",
    ),
    "NEDO法": ("414AC0000000145", "国立研究開発法人新エネルギー・産業技術総合開発機構法"),
    "独占禁止法": ("322AC0000000054", "私的独占の禁止及び公正取引の確保に関する法律"),
    "独禁法": ("322AC0000000054", "私的独占の禁止及び公正取引の確保に関する法律"),
    "海洋汚染等防止法": ("345AC0000000136", "海洋汚染等及び海上災害の防止に関する法律; cited in the data"),
    "文化観光推進法": (
        "502AC0000000018",
        "文化観光拠点施設を中核とした地域における文化観光の推進に関する法律; cited in the data",
    ),
}

_NOT_A_VARIANT = ("一部を改正する", "整備に関する法律", "整備等に関する法律")


@dataclass
class Law:
    law_id: str
    names: Counter[str] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)
    plain: Counter[str] = field(default_factory=Counter)
    title: str | None = None


def read_rows(path: Path = SOURCE) -> list[dict[str, str]]:
    """The rows of table 1-3 (the one CSV inside the ZIP, UTF-8 with BOM)."""
    with zipfile.ZipFile(path) as z:
        (member,) = [n for n in z.namelist() if n.lower().endswith(".csv")]
        text = z.read(member).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _plain(name: str) -> str | None:
    """A name cleaned only of bullets, brackets and parenthesised text (provisions kept)."""
    from loaders.citations.grammar import _basic_clean

    return _basic_clean(name)


def collect(rows: list[dict[str, str]]) -> dict[str, Law]:
    laws: dict[str, Law] = {}
    for r in rows:
        raw_id = nz.clean(r.get("法令ID"))
        if raw_id is None:
            continue
        ref = split_law_id(nz.nfkc(raw_id))
        if ref is None:
            continue
        law = laws.setdefault(ref[0], Law(ref[0]))
        name = nz.clean(r.get("法令名"))
        if name:
            cleaned = clean_law_name(name)
            if cleaned:
                law.names[cleaned] += 1
            plain = _plain(name)
            if plain:
                law.plain[plain] += 1
        number = nz.clean(r.get("法令番号"))
        if number:
            law.numbers[number] += 1
    return laws


def _best(counter: Counter[str]) -> str:
    return min(counter.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]


def _is_variant(name: str, title: str) -> bool:
    """A name worth keeping as an alternative label of the law titled ``title``."""
    if name == title:
        return False
    if title in name:
        return False  # the title with something glued to it (気象業務法気象業務法)
    if any(m in name for m in _NOT_A_VARIANT) and not any(m in title for m in _NOT_A_VARIANT):
        return False  # an amending act filed under the amended law's ID
    cits = parse_citations(name)
    return len(cits) == 1 and cits[0].law_name == name and cits[0].confidence >= 0.85


def titles(laws: dict[str, Law]) -> None:
    """Set each law's title; where cleaning gave two laws the same title (the cleaning cut a title that
    contains provisions, 保健師助産師看護師法第三十七条の二…に関する省令), the laws whose names were cut get
    their most frequent name cleaned only of bullets, brackets and parenthesised text."""
    for law in laws.values():
        law.title = _best(law.names) if law.names else None
    by_title: defaultdict[str, list[Law]] = defaultdict(list)
    for law in laws.values():
        if law.title:
            by_title[law.title].append(law)
    for shared in by_title.values():
        if len(shared) < 2:
            continue
        for law in shared:
            plain = _best(law.plain) if law.plain else None
            if plain and plain != law.title and plain.startswith(law.title):
                law.names[plain] += 0  # keep it among the names
                law.title = plain


def _number(law: Law) -> tuple[str, LawNumber] | None:
    """The most frequent written 法令番号 consistent with the ID (kanji forms win ties)."""
    good: Counter[str] = Counter()
    parsed: dict[str, LawNumber] = {}
    for written, n in law.numbers.items():
        try:
            ln = parse_law_number(written)
        except nz.NormalizeError:
            continue
        if consistent(ln, law.law_id):
            good[written] += n
            parsed[written] = ln
    if not good:
        return None
    best = min(good.items(), key=lambda kv: (-kv[1], any(c.isdigit() for c in nz.nfkc(kv[0])), kv[0]))[0]
    return best, parsed[best]


def _lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


HEADER = """\
# Register of laws (法令) cited by the RS sheets, keyed by e-Gov 法令ID.  GENERATED FILE: do not edit.
# Regenerate with `.venv/bin/python tools/build_law_register.py` (source: the bundled RS 2024 table 1-3;
# curated abbreviations in tools/build_law_register.py).
# Relative IRIs (<id/law/…>) are resolved against the configured data base IRI when the register is loaded.
# eli:title is the most frequent cleaned 法令名 written with the ID; skos:altLabel the other spellings met;
# skos:hiddenLabel curated abbreviations and former titles; cbkg:lawNumber the 法令番号 consistent with the ID.
@prefix eli:     <http://data.europa.eu/eli/ontology#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix cbkg:    <https://w3id.org/cbkg/ontology#> .

<graph/register/laws> dcterms:title "法令レジスタ"@ja, "Register of laws"@en ;
    dcterms:description "RS 2024 の根拠法令に現れる法令（e-Gov 法令ID）の題名・表記ゆれ・略称・法令番号・種別。"@ja ,
        "Titles, spelling variants, abbreviations, law numbers and types of the laws cited in RS 2024."@en .
"""


def render(laws: dict[str, Law]) -> str:
    hidden: defaultdict[str, list[str]] = defaultdict(list)
    for abbr, (law_id, _why) in ABBREVIATIONS.items():
        if law_id not in laws:
            raise SystemExit(f"abbreviation {abbr}: {law_id} is not in the register")
        hidden[law_id].append(abbr)
    titles(laws)
    out = [HEADER]
    for law_id in sorted(laws):
        law = laws[law_id]
        lines = [f"<id/law/{law_id}> a eli:LegalResource", f"eli:id_local {_lit(law_id)}"]
        title = law.title
        if title:
            lines.append(f"eli:title {_lit(title)}@ja")
            variants = sorted(n for n in law.names if _is_variant(n, title))
            if variants:
                lines.append("skos:altLabel " + ", ".join(f"{_lit(v)}@ja" for v in variants))
        if hidden.get(law_id):
            lines.append("skos:hiddenLabel " + ", ".join(f"{_lit(h)}@ja" for h in sorted(hidden[law_id])))
        num = _number(law)
        ln = num[1] if num else None
        if num is not None and ln is not None:
            lines += [
                f"cbkg:lawNumber {_lit(num[0])}",
                f"cbkg:lawNumberEra {_lit(ln.era)}",
                f'cbkg:lawNumberYear "{ln.year}"^^xsd:gYear',
                f"cbkg:lawSerialNumber {ln.number}",
            ]
        lines.append(f"cbkg:lawType <https://w3id.org/cbkg/code/law-type/{law_type(law_id, ln)}>")
        out.append(" ;\n    ".join(lines) + " .\n")
    return "\n".join(out)


def build(source: Path = SOURCE) -> str:
    """The Turtle text of the register built from ``source``."""
    return render(collect(read_rows(source)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=SOURCE)
    ap.add_argument("--output", type=Path, default=TARGET)
    ap.add_argument("--check", action="store_true", help="exit 1 if the output file differs from a fresh build")
    args = ap.parse_args(argv)
    text = build(args.source)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale; regenerate with tools/build_law_register.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({text.count(' a eli:LegalResource')} laws)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
