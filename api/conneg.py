"""HTTP content negotiation: parse ``Accept`` with q-values and pick the best offered media type."""

from __future__ import annotations

from dataclasses import dataclass

SELECT_FORMATS = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "sparql-results+json": "application/sparql-results+json",
    "application/sparql-results+json": "application/sparql-results+json",
    "application/json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "sparql-results+xml": "application/sparql-results+xml",
    "application/sparql-results+xml": "application/sparql-results+xml",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "text/csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "text/tab-separated-values": "text/tab-separated-values",
}
"""``format=`` / ``output=`` values of SELECT and ASK results (the usual aliases of SPARQL servers and clients)."""
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "text/turtle": "text/turtle",
    "n3": "text/turtle",  # SPARQLWrapper asks format=n3: Turtle is valid N3
    "text/n3": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "application/n-triples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "application/ld+json": "application/ld+json",
    "json": "application/ld+json",  # SPARQLWrapper's default return format, asked of a CONSTRUCT too
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "application/rdf+xml": "application/rdf+xml",
    "nquads": "application/n-quads",
    "nq": "application/n-quads",
    "n-quads": "application/n-quads",
    "application/n-quads": "application/n-quads",
    "trig": "application/trig",
    "application/trig": "application/trig",
}
"""``format=`` / ``output=`` values of CONSTRUCT and DESCRIBE results."""
SELECT_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
    "text/plain",
]
"""Media types offered for SELECT/ASK results by ``Accept`` (the last four are served as JSON, XML, XML, CSV)."""
GRAPH_TYPES = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-quads",
    "application/trig",
]
GRAPH_ACCEPT_TYPES = [*GRAPH_TYPES, "application/xml", "text/xml", "text/plain"]
"""Media types offered for graph results by ``Accept`` (the last three are served as RDF/XML, RDF/XML, N-Triples)."""
ACCEPT_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "text/csv",
}
GRAPH_ACCEPT_ALIASES = {
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "text/plain": "application/n-triples",
}


def choose_result_type(accept: str | None, fmt: str | None, graph: bool) -> str | None:
    """The media type of a query result: a known ``format``/``output`` value for this kind of result first
    (clients such as SPARQLWrapper send one with a matching Accept), else the best ``Accept`` match; an
    unknown ``format`` value falls back to Accept.  None if nothing acceptable can be produced."""
    table = GRAPH_FORMATS if graph else SELECT_FORMATS
    if fmt:
        mt = table.get(fmt.strip().lower())
        if mt:
            return mt
    offers = GRAPH_ACCEPT_TYPES if graph else SELECT_TYPES
    aliases = GRAPH_ACCEPT_ALIASES if graph else ACCEPT_ALIASES
    chosen = negotiate(accept, offers)
    return aliases.get(chosen, chosen) if chosen else None


@dataclass(frozen=True)
class Range:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> int:
        """Specificity of the match (2 exact, 1 type/*, 0 */*), or -1."""
        t, _, s = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type == t and self.subtype == "*":
            return 1
        if self.type == t and self.subtype == s:
            return 2
        return -1


def parse_accept(header: str | None) -> list[Range]:
    """The media ranges of an Accept header (malformed parts are ignored); empty header → ``*/*``."""
    if not header or not header.strip():
        return [Range("*", "*", 1.0, 0)]
    out: list[Range] = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mt = fields[0].lower()
        if "/" not in mt:
            continue
        q = 1.0
        for f in fields[1:]:
            k, _, v = f.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(v)))
                except ValueError:
                    q = 0.0
        t, _, s = mt.partition("/")
        out.append(Range(t, s, q, i))
    return out


def negotiate(header: str | None, offers: list[str]) -> str | None:
    """The offered media type the client prefers most (ties: the server's order); None if none is acceptable."""
    ranges = parse_accept(header)
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for pos, offer in enumerate(offers):
        q, spec = 0.0, -1
        for r in ranges:
            m = r.matches(offer)
            if m > spec:
                q, spec = r.q, m
        if spec < 0 or q <= 0:
            continue
        key = (q, spec, -pos)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


def wants_html(header: str | None) -> bool:
    """True if the client prefers HTML over the RDF formats (browsers)."""
    return negotiate(header, ["text/html", *GRAPH_TYPES]) == "text/html" and "text/html" in (header or "")
