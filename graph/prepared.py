"""Prepared SPARQL: query templates with ``$name`` placeholders, filled with strictly serialised RDF terms.

No text from a request is ever spliced into SPARQL.  A template is a module-level constant; a placeholder
``$name`` (SPARQL's other variable syntax, so a template parses as SPARQL before it is filled) is replaced by
exactly one SPARQL term, or by a space-separated list of terms for ``VALUES``:

=====================================  ===========================================================================
value                                  written as
=====================================  ===========================================================================
:class:`ontology.terms.IRI`,           ``<…>``, after checking the IRIREF grammar (no ``<>"{}|^`\\``, nothing
``pyoxigraph.NamedNode``               ≤ U+0020) and RFC 3987 (an absolute IRI)
:class:`ontology.terms.Literal`,       a quoted literal escaped per STRING_LITERAL_QUOTE (every control character
``str``                                escaped), with a checked language tag or datatype IRI
``int``                                an integer token (``LIMIT $limit``); ``bool``: ``true`` / ``false``
``Decimal``                            ``"…"^^xsd:decimal`` (finite values only)
list, tuple, set, frozenset            the terms of its members, space-separated (sets sorted)
:class:`NTriples`                      its lines as they are (cbkg's own N-Triples, the body of ``INSERT DATA``)
=====================================  ===========================================================================

A value that cannot be written safely raises :class:`BadParameter` (HTTP 400 ``bad-parameter``).  A missing,
unknown or unsupported parameter is a programming error and raises ``TypeError``.

The fixed queries of ``graph/`` are files, ``graph/rq/<name>.rq``: :func:`canned` reads one at first use (never
at import time) and keeps it as a :class:`Template` after the PREFIX block of every cbkg prefix
(:func:`ontology.namespaces.sparql_prefixes`), so a query names ``cbkg:program``, not the namespace IRI.
"""

from __future__ import annotations

import re
import threading
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources

import pyoxigraph as ox

from ontology.namespaces import XSD, sparql_prefixes
from ontology.terms import IRI, Literal

MAX_IRI_LENGTH = 4096
"""Longest IRI accepted as a parameter (minted IRIs are far shorter)."""

# characters IRIREF excludes: <>"{}|^`\ and everything up to U+0020
_IRIREF_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
# In a template: strings, IRIs and comments are copied verbatim; ``$name`` outside them is a placeholder.
_TOKENS = re.compile(
    r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|\#[^\n]*)|\$([A-Za-z_][A-Za-z0-9_]*)"""
)
_ECHAR = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
XSD_STRING = XSD + "string"
XSD_DECIMAL = XSD + "decimal"


class NTriples(str):
    """N-Triples lines written by cbkg (a graph's snapshot file), the body of an ``INSERT DATA``: a parameter
    of this type is written as it is, so never make one of text that cbkg did not serialise itself."""

    __slots__ = ()


class BadParameter(ValueError):
    """A value cannot be used in a query: not a valid IRI, an unencodable string, a bad language tag …"""


def check_iri(value: str) -> IRI:
    """``value`` as an :class:`IRI` if it is an absolute IRI that SPARQL's IRIREF can carry; else BadParameter."""
    if len(value) > MAX_IRI_LENGTH:
        raise BadParameter(f"IRI longer than {MAX_IRI_LENGTH} characters")
    bad = _IRIREF_FORBIDDEN.search(value)
    if bad:
        raise BadParameter(f"not an IRI: it contains {bad.group()!r} at position {bad.start()}")
    try:
        ox.NamedNode(value)
    except (ValueError, UnicodeError) as exc:
        raise BadParameter(f"not an IRI: {exc}") from None
    return IRI(value)


def iri_term(value: str) -> str:
    """The SPARQL form ``<…>`` of a checked IRI."""
    return f"<{check_iri(value)}>"


def string_term(text: str) -> str:
    """A SPARQL STRING_LITERAL_QUOTE for ``text``.

    ``"``, ``\\``, line breaks, tabs, backspace and form feed use their ECHAR escapes and every other control
    character (U+0000–U+001F, U+007F–U+009F) a ``\\uXXXX`` escape.  A ``u``/``U`` right after a backslash of
    the text is written ``\\u0075``/``\\u0055``, so even a server that expands ``\\u`` escapes before parsing
    (as SPARQL 1.1 §19.2 describes) reads the same string.  Lone surrogates raise BadParameter."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadParameter("text is not valid Unicode (lone surrogate)") from None
    out = ['"']
    prev = ""
    for ch in text:
        if ch in _ECHAR:
            out.append(_ECHAR[ch])
        elif ch < " " or "\x7f" <= ch <= "\x9f":
            out.append(f"\\u{ord(ch):04X}")
        elif prev == "\\" and ch in "uU":
            out.append("\\u0075" if ch == "u" else "\\u0055")
        else:
            out.append(ch)
        prev = ch
    out.append('"')
    return "".join(out)


def literal_term(lex: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A SPARQL literal: quoted lexical form with a checked language tag or datatype IRI."""
    s = string_term(lex)
    if lang:
        if not _LANG.match(lang):
            raise BadParameter(f"not a language tag: {lang!r}")
        return f"{s}@{lang}"
    if datatype and datatype != XSD_STRING:
        return f"{s}^^{iri_term(datatype)}"
    return s


def term(value: object) -> str:
    """The SPARQL text of one parameter value (see the module docstring for the mapping)."""
    if isinstance(value, NTriples):
        return str(value)
    if isinstance(value, IRI):
        return iri_term(value)
    if isinstance(value, Literal):
        return literal_term(value.lex, value.datatype, value.lang)
    if isinstance(value, ox.NamedNode):
        return iri_term(value.value)
    if isinstance(value, ox.Literal):
        return literal_term(value.value, value.datatype.value, value.language)
    if isinstance(value, str):
        return string_term(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise BadParameter(f"not a decimal number: {value}")
        return literal_term(format(value, "f"), XSD_DECIMAL)
    if isinstance(value, (set, frozenset)):
        return " ".join(sorted(term(v) for v in value))
    if isinstance(value, (list, tuple)):
        return " ".join(term(v) for v in value)
    raise TypeError(f"cannot use a {type(value).__name__} as a SPARQL parameter")


class Template:
    """A SPARQL query with ``$name`` placeholders (outside strings, IRIs and comments)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._parts: list[tuple[str, str | None]] = []  # (verbatim text, placeholder name after it)
        pos = 0
        for m in _TOKENS.finditer(text):
            if m.group(2) is None:
                continue
            self._parts.append((text[pos : m.start()], m.group(2)))
            pos = m.end()
        self._parts.append((text[pos:], None))
        self.names = frozenset(name for _, name in self._parts if name)

    def __call__(self, **params: object) -> str:
        """The query with every placeholder replaced by its serialised value."""
        missing = self.names - params.keys()
        extra = params.keys() - self.names
        if missing or extra:
            raise TypeError(f"template parameters: missing {sorted(missing)}, unknown {sorted(extra)}")
        values = {k: term(v) for k, v in params.items()}
        return "".join(text + (values[name] if name else "") for text, name in self._parts)

    def __repr__(self) -> str:
        return f"Template({self.text[:60]!r}…)"


@lru_cache(maxsize=256)
def _compiled(text: str) -> Template:
    return Template(text)


def prepare(template: str | Template, **params: object) -> str:
    """The query ``template`` with its ``$name`` placeholders filled from ``params``."""
    t = template if isinstance(template, Template) else _compiled(template)
    return t(**params)


@cache
def rq_text(package: str, name: str) -> str:
    """The text of ``{package}/rq/{name}.rq`` (read once)."""
    return (resources.files(package) / "rq" / f"{name}.rq").read_text(encoding="utf-8")


class FileTemplate(Template):
    """A :class:`Template` whose text is ``{package}/rq/{name}.rq`` after ``prefix``, read when first used.

    It can be a module-level constant: nothing is read at import time."""

    def __init__(self, package: str, name: str, prefix: str = "") -> None:  # Template.__init__ runs at first use
        self.package, self.name, self.prefix = package, name, prefix

    def __getattr__(self, attr: str) -> object:
        """Called only for attributes not set yet: the first use parses the file into this template."""
        if attr.startswith("__") or attr in ("package", "name", "prefix"):
            raise AttributeError(attr)
        with _file_lock:
            if "names" not in self.__dict__:
                parsed = Template(self.prefix + rq_text(self.package, self.name))
                self.__dict__.update({k: v for k, v in vars(parsed).items() if k != "names"})
                self.names = parsed.names  # last: a template with names is complete
        return object.__getattribute__(self, attr)

    def __repr__(self) -> str:
        return f"FileTemplate({self.package!r}, {self.name!r})"


_file_lock = threading.Lock()


@cache
def canned(name: str) -> Template:
    """The fixed query ``graph/rq/{name}.rq`` after the cbkg PREFIX block, read at its first use."""
    return FileTemplate("graph", name, sparql_prefixes())
