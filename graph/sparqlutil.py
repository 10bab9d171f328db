"""Small, dependency-free facts about SPARQL query text (form, prologue)."""

from __future__ import annotations

import re

_COMMENT = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>)|#[^\n]*""")
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", re.IGNORECASE)
_FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def strip_comments(query: str) -> str:
    """The query without ``#`` comments (strings and IRIs are kept intact)."""
    return _COMMENT.sub(lambda m: m.group(1) or "", query)


def query_form(query: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; ``UPDATE`` for update requests; None if unknown."""
    body = _PROLOGUE.sub("", strip_comments(query), count=1)
    m = _FORM.match(body)
    if m:
        return m.group(1).upper()
    if _UPDATE.match(body):
        return "UPDATE"
    return None


def has_prologue_prefix(query: str, prefix: str) -> bool:
    """True if the query declares ``PREFIX prefix:``."""
    return re.search(rf"PREFIX\s+{re.escape(prefix)}\s*:", query, re.IGNORECASE) is not None
