"""Serialisation of query results to the SPARQL 1.1 result formats and RDF syntaxes, with a size cap."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
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


def rdf_format(media_type: str) -> ox.RdfFormat:
    """The pyoxigraph RDF format of a media type."""
    try:
        return RDF_TYPES[media_type]
    except KeyError:
        raise ValueError(f"unsupported RDF media type {media_type}") from None


def serialize(
    res: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, media_type: str, *, max_results: int | None
) -> bytes:
    """Serialise a pyoxigraph query result; raise :class:`ResultTooLarge` beyond ``max_results``."""
    if isinstance(res, ox.QueryTriples) or not isinstance(res, ox.QuerySolutions | ox.QueryBoolean):
        triples = _capped(res, max_results)
        out = io.BytesIO()
        fmt = rdf_format(media_type)
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            ox.serialize((ox.Quad(t.subject, t.predicate, t.object) for t in triples), out, fmt)
        else:
            ox.serialize(triples, out, fmt)
        return out.getvalue()
    kind = SELECT_TYPES.get(media_type)
    if kind is None:
        raise ValueError(f"unsupported result media type {media_type}")
    if isinstance(res, ox.QueryBoolean):
        return _boolean(bool(res), kind)
    variables = [v.value for v in res.variables]
    rows = _capped(res, max_results)
    return _solutions(variables, rows, kind)


def _capped(it: Iterable, cap: int | None) -> list:
    out = []
    for x in it:
        out.append(x)
        if cap is not None and len(out) > cap:
            raise ResultTooLarge(f"the result has more than {cap} rows; add a LIMIT or narrow the query")
    return out


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


def _nt(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return str(term)


def _solutions(variables: list[str], rows: list[ox.QuerySolution], kind: str) -> bytes:
    if kind == "json":
        bindings = []
        for sol in rows:
            b = {}
            for v in variables:
                term = sol[v]
                if term is not None:
                    b[v] = _json_term(term)
            bindings.append(b)
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False).encode()
    if kind == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for sol in rows:
            parts.append("<result>")
            for v in variables:
                term = sol[v]
                if term is None:
                    continue
                parts.append(f"<binding name={quoteattr(v)}>")
                if isinstance(term, ox.NamedNode):
                    parts.append(f"<uri>{escape(term.value)}</uri>")
                elif isinstance(term, ox.BlankNode):
                    parts.append(f"<bnode>{escape(term.value)}</bnode>")
                else:
                    attr = ""
                    if term.language:
                        attr = f" xml:lang={quoteattr(term.language)}"
                    elif term.datatype.value != XSD_STRING:
                        attr = f" datatype={quoteattr(term.datatype.value)}"
                    parts.append(f"<literal{attr}>{escape(term.value)}</literal>")
                parts.append("</binding>")
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode()
    if kind == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(variables)
        for sol in rows:
            w.writerow([("" if sol[v] is None else sol[v].value) for v in variables])
        return out.getvalue().encode()
    # TSV: terms in SPARQL/Turtle syntax
    lines = ["\t".join("?" + v for v in variables)]
    for sol in rows:
        lines.append("\t".join("" if sol[v] is None else _nt(sol[v]) for v in variables))
    return ("\n".join(lines) + "\n").encode()
