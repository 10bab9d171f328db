"""Regenerate the 法令標準XML fixture from the e-Gov law_data JSON sample (the same law, the same tree).

    python tests/loaders/egov_law/make_fixture.py

The fixture is ``sample/{法令履歴ID}.xml``, named the way e-Gov names its XML files: the 法令ID and the version
date are not in the XML content. It is indented (ElementTree's indentation), so the loader is also tested on
layout whitespace between elements, which is not law text.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "data" / "laws" / "law_data.415AC0000000057.trimmed.2026-07-10.json"
OUT = Path(__file__).resolve().parent / "sample"


def tree_to_element(node: dict[str, Any]) -> ET.Element:
    """e-Gov's JSON form ``{tag, attr, children}`` as an ElementTree element."""
    el = ET.Element(node["tag"], {k: str(v) for k, v in (node.get("attr") or {}).items()})
    last: ET.Element | None = None
    for child in node.get("children") or []:
        if isinstance(child, str):
            if last is None:
                el.text = (el.text or "") + child
            else:
                last.tail = (last.tail or "") + child
        else:
            last = tree_to_element(child)
            el.append(last)
    return el


def fixture_bytes(source: Path = SOURCE) -> tuple[str, bytes]:
    """(file name, XML bytes) of the fixture made from a law_data JSON."""
    doc = json.loads(source.read_text(encoding="utf-8"))
    root = tree_to_element(doc["law_full_text"])
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    name = doc["revision_info"]["law_revision_id"] + ".xml"
    return name, ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def main() -> None:
    name, data = fixture_bytes()
    OUT.mkdir(exist_ok=True)
    (OUT / name).write_bytes(data)
    print(f"wrote {OUT / name} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
