"""Serialisation of query results to the SPARQL 1.1 result formats and RDF syntaxes, streamed in chunks and
capped both in rows and in bytes.

XML 1.0 cannot carry the control characters U+0000–U+0008, U+000B, U+000C, U+000E–U+001F (nor U+FFFE,
U+FFFF and lone surrogates), not even as character references.  Source values sometimes hold them, so the
two XML formats (SPARQL results XML and RDF/XML) write each such character as U+FFFD; every other format
carries the exact value.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .store import ResultTooLarge

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
}
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
CHUNK_BYTES = 64 * 1024
"""Size of the chunks a result is streamed in."""
BATCH_TRIPLES = 2_000
"""Triples serialised per batch in the statement-based RDF syntaxes (N-Triples, N-Quads, Turtle, TriG)."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot represent replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def rdf_format(media_type: str) -> ox.RdfFormat:
    """The pyoxigraph RDF format of a media type."""
    try:
        return RDF_TYPES[media_type]
    except KeyError:
        raise ValueError(f"unsupported RDF media type {media_type}") from None


class _Budget:
    """Counts rows and bytes against the caps."""

    def __init__(self, max_results: int | None, max_bytes: int | None) -> None:
        self.max_results = max_results
        self.max_bytes = max_bytes
        self.rows = 0
        self.bytes = 0

    def row(self) -> None:
        self.rows += 1
        if self.max_results is not None and self.rows > self.max_results:
            raise ResultTooLarge(f"the result has more than {self.max_results} rows; add a LIMIT or narrow the query")

    def out(self, data: bytes) -> bytes:
        self.bytes += len(data)
        if self.max_bytes is not None and self.bytes > self.max_bytes:
            raise ResultTooLarge(
                f"the result is larger than {self.max_bytes} bytes; add a LIMIT, select fewer or shorter "
                "values, or use the bulk dumps (/dumps/)"
            )
        return data


def serialize(
    res: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Iterable[ox.Triple],
    media_type: str,
    *,
    max_results: int | None,
    max_bytes: int | None = None,
) -> bytes:
    """Serialise a pyoxigraph query result whole; raise :class:`ResultTooLarge` beyond a cap."""
    return b"".join(serialize_iter(res, media_type, max_results=max_results, max_bytes=max_bytes))


def serialize_iter(
    res: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Iterable[ox.Triple],
    media_type: str,
    *,
    max_results: int | None,
    max_bytes: int | None = None,
) -> Iterator[bytes]:
    """Serialise a pyoxigraph query result as a stream of chunks of about :data:`CHUNK_BYTES`.

    Raises :class:`ResultTooLarge` (while iterating) as soon as the rows or bytes exceed a cap."""
    budget = _Budget(max_results, max_bytes)
    if isinstance(res, ox.QueryBoolean):
        kind = _select_kind(media_type)
        yield budget.out(_boolean(bool(res), kind))
        return
    if isinstance(res, ox.QuerySolutions):
        parts = _solutions([v.value for v in res.variables], res, _select_kind(media_type), budget)
    else:
        parts = _triples(res, rdf_format(media_type), budget)
    yield from _chunked(parts, budget)


def _select_kind(media_type: str) -> str:
    kind = SELECT_TYPES.get(media_type)
    if kind is None:
        raise ValueError(f"unsupported result media type {media_type}")
    return kind


def _chunked(parts: Iterable[bytes], budget: _Budget) -> Iterator[bytes]:
    buf: list[bytes] = []
    size = 0
    for p in parts:
        buf.append(p)
        size += len(p)
        if size >= CHUNK_BYTES:
            yield budget.out(b"".join(buf))
            buf, size = [], 0
    if buf or budget.bytes == 0:
        yield budget.out(b"".join(buf))


def _triples(res: Iterable[ox.Triple], fmt: ox.RdfFormat, budget: _Budget) -> Iterator[bytes]:
    quads = fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)
    xml = fmt == ox.RdfFormat.RDF_XML

    def counted() -> Iterator[ox.Triple]:
        for t in res:
            budget.row()
            yield xml_safe_triple(t) if xml else t

    if fmt in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML):  # one document: serialised whole (rows are capped)
        yield _in_memory(ox.serialize(list(counted()), format=fmt))
        return
    batch: list[ox.Triple] = []
    for t in counted():
        batch.append(t)
        if len(batch) >= BATCH_TRIPLES:
            yield _statements(batch, fmt, quads)
            batch = []
    if batch:
        yield _statements(batch, fmt, quads)


def _statements(batch: list[ox.Triple], fmt: ox.RdfFormat, quads: bool) -> bytes:
    if quads:
        return _in_memory(ox.serialize((ox.Quad(t.subject, t.predicate, t.object) for t in batch), format=fmt))
    return _in_memory(ox.serialize(batch, format=fmt))


def _in_memory(data: bytes | None) -> bytes:
    """What ``ox.serialize`` returns without an output: the bytes (its stub says ``bytes | None`` for both uses)."""
    assert data is not None
    return data


def xml_safe_triple(t: ox.Triple) -> ox.Triple:
    """``t`` with its literal made writable in XML (see :func:`xml_safe`)."""
    o = t.object
    if isinstance(o, ox.Literal) and _NOT_XML.search(o.value):
        v = xml_safe(o.value)
        o = ox.Literal(v, language=o.language) if o.language else ox.Literal(v, datatype=o.datatype)
        return ox.Triple(t.subject, t.predicate, o)
    return t


def _boolean(value: bool, kind: str) -> bytes:
    v = "true" if value else "false"
    if kind == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if kind == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{v}</boolean></sparql>\n"
        ).encode()
    return f"_askResult\r\n{v}\r\n".encode() if kind == "csv" else f"?_askResult\n{v}\n".encode()


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    d = {"type": "literal", "value": term.value}
    if term.language:
        d["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        d["datatype"] = term.datatype.value
    return d


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    attr = ""
    if term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != XSD_STRING:
        attr = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attr}>{escape(xml_safe(term.value))}</literal>"


def _solutions(variables: list[str], rows: Iterable[ox.QuerySolution], kind: str, budget: _Budget) -> Iterator[bytes]:
    if kind == "json":
        head = json.dumps({"head": {"vars": variables}}, ensure_ascii=False)[:-1].encode()
        yield head + b', "results": {"bindings": ['
        sep = b""
        for sol in rows:
            budget.row()
            b = {v: _json_term(sol[v]) for v in variables if sol[v] is not None}
            yield sep + json.dumps(b, ensure_ascii=False).encode()
            sep = b", "
        yield b"]}}"
    elif kind == "xml":
        names = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        yield (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{names}</head><results>"
        ).encode()
        for sol in rows:
            budget.row()
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(sol[v])}</binding>" for v in variables if sol[v] is not None
            )
            yield f"<result>{cells}</result>".encode()
        yield b"</results></sparql>\n"
    elif kind == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(variables)
        yield out.getvalue().encode()
        for sol in rows:
            budget.row()
            out.seek(0)
            out.truncate()
            w.writerow([("" if sol[v] is None else sol[v].value) for v in variables])
            yield out.getvalue().encode()
    else:  # TSV: terms in SPARQL/Turtle syntax
        yield ("\t".join("?" + v for v in variables) + "\n").encode()
        for sol in rows:
            budget.row()
            yield ("\t".join("" if sol[v] is None else str(sol[v]) for v in variables) + "\n").encode()
