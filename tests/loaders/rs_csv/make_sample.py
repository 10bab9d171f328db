"""Regenerate the RS sample used by the golden tests: real rows of selected programs from the bundled ZIPs.

    python tests/loaders/rs_csv/make_sample.py

Each output CSV keeps the published header, encoding (UTF-8 with BOM) and line endings (CRLF), and the rows
of the programs below (chosen for the dirt they carry), in their original order.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUT = Path(__file__).resolve().parent / "sample"

PROGRAMS = {
    "47": "NISC サイバーセキュリティ戦略本部等経費: 当初予算 130,191,000 yen in 2024; 要求額 537733000.0",
    "20950": "総務省 地方公共団体サイバーセキュリティ対策事業: 2024 補正 296,325,000 yen, 5-2 flows, 委託先",
    "44": "②サイバーセキュリティ基本法 (circled number in the law name), 第十九条/第十六条",
    "709": "サイバーセキュリティ基本法第16条 (article in the name, no 法令ID)",
    "437": "a quoted article text as the law name",
    "7604": "防衛省: CS基本法 第三十一条 1 1, 第二十六条 1 2",
    "4479": "one program, eight 1-2 rows differing only in 主要経費",
    "1071": "one account split over two 2-1 rows in one year (当初 and 要望額 rows)",
    "1039": "one account under two spellings (エネルギー対策 + 勘定 vs …特別会計…勘定)",
    "1794": "法人番号 7010000500687 with a bad check digit",
    "4528": "法人番号 '0'",
    "3757": "a negative 歳出予算現額",
    "3678": "法令履歴ID 414AC0000000094_20250601_504AC0000000068",
    "4156": "第六条ノ二 / 第六条ノ四 (katakana ノ)",
    "20855": "法令ID 'IDなし', article inside the law name",
    "2773": "identical payment rows in 5-3 (nine × 770,000 yen)",
    "215": "旧事業番号 '政策: 15　施策: 21' (not a program number)",
    "3465": "旧事業番号 with two numbers '2023農水22-0204、2022農水21-0206'",
    "7517": "a negative contract amount in 5-4",
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for zpath in sorted((ROOT / "data" / "rs2024").glob("*.zip")):
        with zipfile.ZipFile(zpath) as zf:
            member = zf.namelist()[0]
            raw = zf.read(member)
        text = raw.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header, body = rows[0], rows[1:]
        keep = [r for r in body if r[2] in PROGRAMS]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(keep)
        (OUT / member).write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
        print(member, len(keep))


if __name__ == "__main__":
    main()
