"""Facts about SPARQL query text, read by a SPARQL tokeniser (no regular expression over the raw text).

:func:`scan` tokenises a query the way a SPARQL parser does (strings, IRIs, comments, variables, names) and
reports what the endpoint must decide before a query runs: its form, whether it declares a dataset
(``FROM`` / ``FROM NAMED``), how deep its brackets nest, and whether it could contain ``SERVICE``.

The SPARQL grammar cannot be tokenised without context in one place: ``<`` starts an IRI in a pattern and
is the less-than operator in an expression (``FILTER(?a<?b)SERVICE?e#>`` is an IRI to a context-free
lexer, and a comparison followed by ``SERVICE`` to a parser).  So the scan for forbidden keywords follows
*every* tokenisation the grammar allows — at each ``<`` that could start an IRI it goes on both ways, and
likewise where ``'''`` could be a long string or an empty one — and a keyword seen on any of them counts.
Keywords glued to a number or a boolean (``1SERVICE``) or used as a prefix name (``service:x``, which
Oxigraph reads as ``SERVICE :x``) count too.  The answer errs towards refusing, never towards running.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

from .store import QueryError, ServiceRefused, UpdateRefused

_WS = frozenset(" \t\r\n")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LONG = {
    "'": re.compile(r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''", re.DOTALL),
    '"': re.compile(r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""', re.DOTALL),
}
_SHORT = {
    "'": re.compile(r"'(?:[^'\\\n\r]|\\.)*'", re.DOTALL),
    '"': re.compile(r'"(?:[^"\\\n\r]|\\.)*"', re.DOTALL),
}
_NUMERIC = re.compile(r"[0-9.]*(?:[eE][0-9]*)?")
_GLUE_WORDS = frozenset({"TRUE", "FALSE"})
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"}
)
MAX_NESTING = 200
"""Deepest nesting of brackets accepted: a deeper query could overflow the parser's stack."""
MAX_STEPS_PER_CHAR = 64
"""Work bound of the scan: a query that needs more tokenisation steps than this per character is refused."""


class ScanLimit(ValueError):
    """The query is too convoluted to be checked within the scan's work bound."""


def _name_char(c: str) -> bool:
    return c.isalnum() or c in "_-.:%\\·" or ord(c) > 0x7F


@dataclass
class QueryFacts:
    """What :func:`scan` found in a query."""

    form: str | None = None
    """SELECT / ASK / CONSTRUCT / DESCRIBE, ``UPDATE`` for an update request, None if neither."""
    has_dataset: bool = False
    """The query names its own dataset (``FROM`` or ``FROM NAMED``)."""
    depth: int = 0
    """Deepest nesting of ``(``, ``{`` and ``[``, counting a chain of prefix operators (``!!!``) as nesting."""
    service: bool = False
    """Some tokenisation of the query has a ``SERVICE`` clause."""
    from_graphs: list[str] = field(default_factory=list)
    """The IRIs of its ``FROM`` clauses (the default graph)."""
    from_named: list[str] = field(default_factory=list)
    """The IRIs of its ``FROM NAMED`` clauses."""
    dataset_error: str | None = None
    """Why the dataset clause could not be read, if it could not."""


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)

    def skip_ws_comments(self, i: int) -> int:
        t, n = self.text, self.n
        while i < n:
            c = t[i]
            if c in _WS:
                i += 1
            elif c == "#":
                while i < n and t[i] not in "\r\n":
                    i += 1
            else:
                break
        return i

    def run_end(self, i: int) -> int:
        t, n = self.text, self.n
        while i < n and _name_char(t[i]):
            i += 2 if t[i] == "\\" else 1
        return min(i, n)

    def tokens_at(self, i: int) -> list[tuple[str, int, int]]:
        """The tokens that may start at ``i`` (kind, start, end): one, or two where the grammar is ambiguous."""
        t = self.text
        c = t[i]
        if c == "<":
            m = _IRIREF.match(t, i)
            return [("iri", i, m.end()), ("punct", i, i + 1)] if m else [("punct", i, i + 1)]
        if c in "'\"":
            out = []
            if t.startswith(c * 3, i):
                m = _LONG[c].match(t, i)
                if m:
                    out.append(("string", i, m.end()))
            m = _SHORT[c].match(t, i)
            if m:
                out.append(("string", i, m.end()))
            return out or [("bad-string", i, self.n)]
        if c in "?$":
            j = i + 1
            while j < self.n and (t[j].isalnum() or t[j] == "_" or t[j] == "·" or ord(t[j]) > 0x7F):
                j += 1
            return [("var" if j > i + 1 else "punct", i, j if j > i + 1 else i + 1)]
        if _name_char(c) and c not in ".:\\":
            return [("word", i, self.run_end(i))]
        if c in ".:":
            j = self.run_end(i)
            return [("word" if j > i + 1 or c == ":" else "punct", i, max(j, i + 1))]
        return [("punct", i, i + 1)]

    def service_follows(self, j: int) -> bool:
        """True if the text at ``j`` (just after a SERVICE keyword) can continue a SERVICE clause:
        ``[SILENT] (var | IRI | prefixed name) {``."""
        t = self.text
        j = self.skip_ws_comments(j)
        if t[j : j + 6].upper() == "SILENT":
            j = self.skip_ws_comments(j + 6)
        if j >= self.n:
            return False
        c = t[j]
        if c == "<":
            m = _IRIREF.match(t, j)
            if not m:
                return False
            j = m.end()
        elif c in "?$" or _name_char(c):
            j = self.run_end(j + 1)
        else:
            return False
        j = self.skip_ws_comments(j)
        return j < self.n and t[j] == "{"


def _service_offsets(word: str) -> list[int]:
    """Offsets at which a SPARQL parser may read the keyword SERVICE inside a name run: at its start (also as
    a prefix name, ``service:x``), or glued after a number or a boolean (``1SERVICE``, ``trueSERVICE``)."""
    upper = word.upper()
    out = []
    start = upper.find("SERVICE")
    while start >= 0:
        head = upper[:start]
        if start == 0 or (":" not in head and (_NUMERIC.fullmatch(head) or head in _GLUE_WORDS)):
            out.append(start)
        start = upper.find("SERVICE", start + 1)
    return out


def scan(query: str) -> QueryFacts:
    """Tokenise ``query`` and report its form, dataset clause, nesting and forbidden keywords.

    Raises :class:`ScanLimit` if the query needs too much work to check."""
    s = _Scanner(query)
    facts = QueryFacts()
    _main_path(s, facts)
    _all_paths(s, facts)
    return facts


def _main_path(s: _Scanner, facts: QueryFacts) -> None:
    """The tokenisation a parser takes on a valid query (longest match): form, dataset, depth."""
    i, depth, unary = 0, 0, 0
    toks: list[tuple[str, str]] = []
    t = s.text
    while True:
        i = s.skip_ws_comments(i)
        if i >= s.n:
            break
        kind, start, end = s.tokens_at(i)[0]
        if kind == "punct":
            c = t[start]
            if c in "({[":
                depth += 1
                facts.depth = max(facts.depth, depth)
            elif c in ")}]":
                depth = max(0, depth - 1)
            # a chain of prefix operators (!!!…, - - -…, ^^^…) nests a parser as deeply as brackets do
            unary = unary + 1 if c in "!+-^" else 0
            facts.depth = max(facts.depth, depth + unary)
        else:
            unary = 0
        if kind in ("word", "iri"):
            toks.append((kind, t[start:end]))
        elif kind == "bad-string":
            break
        i = end
    # the prologue (PREFIX p: <iri> / BASE <iri>), then the form
    prefixes: dict[str, str] = {}
    base: str | None = None
    k = 0
    while k < len(toks) and toks[k][0] == "word" and toks[k][1].upper() in ("PREFIX", "BASE"):
        if toks[k][1].upper() == "PREFIX" and k + 2 < len(toks) and toks[k + 2][0] == "iri":
            prefixes[toks[k + 1][1].rstrip(":")] = _resolve(toks[k + 2][1][1:-1], base)
            k += 3
        elif toks[k][1].upper() == "BASE" and k + 1 < len(toks) and toks[k + 1][0] == "iri":
            base = _resolve(toks[k + 1][1][1:-1], base)
            k += 2
        else:
            break
    first = toks[k][1].upper() if k < len(toks) and toks[k][0] == "word" else None
    if first in QUERY_FORMS:
        facts.form = first
    elif first in UPDATE_KEYWORDS:
        facts.form = "UPDATE"
    # the dataset clause: FROM [NAMED] (IRI | prefixed name)
    for j, (kind, text) in enumerate(toks):
        if kind != "word" or text.upper() != "FROM":
            continue
        facts.has_dataset = True
        named = j + 1 < len(toks) and toks[j + 1][0] == "word" and toks[j + 1][1].upper() == "NAMED"
        at = j + 2 if named else j + 1
        ref = toks[at] if at < len(toks) else None
        iri = _graph_ref(ref, prefixes, base)
        if iri is None:
            facts.dataset_error = "a FROM clause does not name a graph IRI"
        else:
            (facts.from_named if named else facts.from_graphs).append(iri)


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base and not _ABSOLUTE.match(iri) else iri


def _graph_ref(tok: tuple[str, str] | None, prefixes: dict[str, str], base: str | None) -> str | None:
    if tok is None:
        return None
    kind, text = tok
    if kind == "iri":
        return _resolve(text[1:-1], base)
    prefix, sep, local = text.partition(":")
    if not sep or prefix not in prefixes:
        return None
    return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)


def _all_paths(s: _Scanner, facts: QueryFacts) -> None:
    """Every tokenisation: record a SERVICE clause found on any of them."""
    t = s.text
    seen: set[int] = set()
    todo = [0]
    steps, budget = 0, MAX_STEPS_PER_CHAR * (s.n + 16)
    while todo:
        i = s.skip_ws_comments(todo.pop())
        if i >= s.n or i in seen:
            continue
        seen.add(i)
        for kind, start, end in s.tokens_at(i):
            steps += 1 + (end - start) // 64
            if steps > budget:
                raise ScanLimit("the query is too convoluted to be checked; simplify it")
            if kind == "word":
                word = t[start:end]
                for off in _service_offsets(word):
                    if s.service_follows(start + off + 7):
                        facts.service = True
                        return
                    # a keyword glued inside a run ends the name there for a parser: go on from it too
                    if off:
                        todo.append(start + off + 7)
            if kind != "bad-string" and end not in seen:
                todo.append(end)


def check_read_query(query: str, *, allow_service: bool = False) -> QueryFacts:
    """The facts of a query a read-only endpoint may run; raise :class:`UpdateRefused` for an update,
    :class:`ServiceRefused` for a query that may contain SERVICE, :class:`QueryError` for one too convoluted
    or too deeply nested to check safely."""
    try:
        facts = scan(query)
    except ScanLimit as exc:
        raise QueryError(str(exc)) from exc
    if facts.form == "UPDATE":
        raise UpdateRefused("this endpoint is read-only: SPARQL Update (and LOAD) is not accepted")
    if facts.depth > MAX_NESTING:
        raise QueryError(f"the query nests brackets more than {MAX_NESTING} deep; flatten it")
    if facts.service and not allow_service:
        raise ServiceRefused(
            "SERVICE (federated query) is disabled on this endpoint; query the data here only "
            "(a prefix named service: reads as the SERVICE keyword too: rename it)"
        )
    return facts


def declares_dataset(query: str) -> bool:
    """True if the query has a ``FROM`` or ``FROM NAMED`` clause (read on the parser's tokenisation)."""
    if "from" not in query.lower():
        return False
    facts = QueryFacts()
    _main_path(_Scanner(query), facts)
    return facts.has_dataset


def query_form(query: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; ``UPDATE`` for update requests; None if unknown."""
    facts = QueryFacts()
    _main_path(_Scanner(query), facts)
    return facts.form


def has_prologue_prefix(query: str, prefix: str) -> bool:
    """True if the query declares ``PREFIX prefix:``."""
    return re.search(rf"PREFIX\s+{re.escape(prefix)}\s*:", query, re.IGNORECASE) is not None


def with_prologue(query: str, base_iri: str | None, prefixes: Mapping[str, str] | None) -> str:
    """The query with a ``BASE`` and the predeclared ``PREFIX``es it uses but does not declare put before it
    (on its first line, so the server's line numbers stay right)."""
    head = f"BASE <{base_iri}> " if base_iri else ""
    for p, ns in (prefixes or {}).items():
        if f"{p}:" in query and not has_prologue_prefix(query, p):
            head += f"PREFIX {p}: <{ns}> "
    return head + query
