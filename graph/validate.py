"""SHACL validation: a fast engine that compiles the shapes to SPARQL run inside the store, and pySHACL.

pySHACL is the reference implementation.  It holds the whole data graph in rdflib and takes minutes on the
national corpus, so ``cbkg validate`` uses the fast engine by default: every constraint of
``ontology/shapes/*.ttl`` becomes one SPARQL query over the store's live dataset, run on several threads
(pyoxigraph releases the GIL).  The fast engine supports exactly the SHACL features the cbkg shapes use —
targets (class with subclasses, subjects-of, objects-of, node), predicate and inverse paths, min/max count,
datatype, class, node kind, pattern, value ranges, in, has value, min/max length, SPARQL-based constraints
— and refuses any other feature rather than ignore it.  A test checks that both engines report the same
results on sample graphs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, SH, BNode, URIRef
from rdflib import Literal as RLiteral

from ontology import shape_files
from ontology.terms import IRI, XSD_DECIMAL, XSD_INTEGER, XSD_STRING, Literal, Term, decimal_lex

from .prepared import canned, prepare
from .store import SelectResult

SHN = str(SH)
VIOLATION, WARNING, INFO = SHN + "Violation", SHN + "Warning", SHN + "Info"
SEVERITY_ORDER = {VIOLATION: 0, WARNING: 1, INFO: 2}


class UnsupportedShape(Exception):
    """The fast engine does not implement a SHACL feature used by a shape (use the pyshacl engine)."""


@dataclass(frozen=True, order=True)
class Result:
    """One validation result, comparable across engines."""

    shape: str
    component: str
    focus: str
    path: str | None
    value: str | None
    severity: str
    message: str = field(default="", compare=False)

    def key(self) -> tuple[str, str, str, str | None, str | None, str]:
        return (self.shape, self.component, self.focus, self.path, self.value, self.severity)


@dataclass
class Constraint:
    """One compiled constraint: the SPARQL query and how to read its rows into results."""

    shape: str
    component: str
    severity: str
    message: str
    path: str | None
    query: str
    per_value: bool
    predicates: frozenset[str] = frozenset()


def load_shapes(files: Iterable[Path] | None = None) -> rdflib.Graph:
    """The shapes graph (all ``ontology/shapes/*.ttl`` by default)."""
    g = rdflib.Graph()
    for f in files if files is not None else shape_files():
        g.parse(f, format="turtle")
    return g


def _n3(term: rdflib.term.Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, RLiteral):
        return term.n3()
    raise UnsupportedShape(f"blank node {term} used as a constraint value")


def _int(term: rdflib.term.Node) -> int:
    """The value of an integer parameter (``sh:minCount`` …)."""
    if not isinstance(term, RLiteral):
        raise UnsupportedShape(f"{term} used as an integer parameter")
    return int(term)


def _value_key(term: Term | rdflib.term.Node | None) -> str | None:
    """A canonical string for a result value (IRI, or literal in N-Triples form with numbers canonical, as
    stores normalise them differently: rdflib keeps ``-5.0``, Oxigraph stores ``-5``)."""
    if term is None:
        return None
    if isinstance(term, RLiteral):
        term = Literal(str(term), str(term.datatype) if term.datatype else None, term.language)
    if isinstance(term, Literal):
        if term.datatype == XSD_STRING:
            term = Literal(term.lex)
        elif term.datatype in (XSD_DECIMAL, XSD_INTEGER):
            try:
                term = Literal(decimal_lex(Decimal(term.lex)), term.datatype)
            except InvalidOperation:
                pass
        return term.nt()
    return str(term)


SUPPORTED_PARAMS = {
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH["class"],
    SH.nodeKind,
    SH.pattern,
    SH.flags,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH["in"],
    SH.hasValue,
    SH.minLength,
    SH.maxLength,
    SH.sparql,
    SH.path,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    SH.deactivated,
    SH.order,
    SH.group,
    SH.property,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    RDF.type,
    RDFS.label,
    RDFS.comment,
}


class FastValidator:
    """Compiles a shapes graph to SPARQL queries and runs them against a store."""

    def __init__(self, shapes: rdflib.Graph, select: Callable[[str], SelectResult]) -> None:
        self.shapes = shapes
        self.select = select
        self._closure: dict[str, list[str]] = {}

    # -- compilation --------------------------------------------------------------------------------
    def _subclasses(self, cls: str) -> list[str]:
        if cls not in self._closure:
            rows = self.select(prepare(canned("subclasses"), superclass=IRI(cls)))
            found = {str(r["c"]) for r in rows if "c" in r} | {cls}
            self._closure[cls] = sorted(found)
        return self._closure[cls]

    def _target(self, shape: rdflib.term.Node) -> str:
        g = self.shapes
        parts: list[str] = []
        for cls in g.objects(shape, SH.targetClass):
            values = " ".join(f"<{c}>" for c in self._subclasses(str(cls)))
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ VALUES ?_type {{ {values} }} ?this a ?_type }} }}")
        for p in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this <{p}> ?_o }} }}")
        for p in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?_s <{p}> ?this }} }}")
        nodes = list(g.objects(shape, SH.targetNode))
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(_n3(n) for n in nodes) + " } }")
        if not parts:
            return ""
        return " UNION ".join(parts)

    def _path(self, ps: rdflib.term.Node) -> tuple[str, str]:
        path = self.shapes.value(ps, SH.path)
        if isinstance(path, URIRef):
            return f"<{path}>", str(path)
        inv = self.shapes.value(path, SH.inversePath) if path is not None else None
        if isinstance(inv, URIRef):
            return f"^<{inv}>", f"^{inv}"
        raise UnsupportedShape(f"property shape {ps}: only IRI and inverse paths are supported")

    def _check_params(self, node: rdflib.term.Node) -> None:
        for p in self.shapes.predicates(node, None):
            if p not in SUPPORTED_PARAMS:
                raise UnsupportedShape(f"{node}: SHACL parameter {p} is not supported by the fast engine")

    def _message(self, node: rdflib.term.Node, default: str) -> str:
        msgs = [str(m) for m in self.shapes.objects(node, SH.message)]
        return msgs[0] if msgs else default

    def compile(self) -> list[Constraint]:
        """All constraints of the shapes graph as queries."""
        g = self.shapes
        out: list[Constraint] = []
        node_shapes = set(g.subjects(RDF.type, SH.NodeShape)) | {
            s
            for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
            for s in g.subjects(p, None)
        }
        for shape in sorted(node_shapes, key=str):
            if g.value(shape, SH.deactivated) == RLiteral(True):
                continue
            self._check_params(shape)
            target = self._target(shape)
            if not target:
                continue
            severity = str(g.value(shape, SH.severity) or VIOLATION)
            for ps in sorted(g.objects(shape, SH.property), key=str):
                if g.value(ps, SH.deactivated) == RLiteral(True):
                    continue
                self._check_params(ps)
                out += self._property_constraints(ps, target, str(g.value(ps, SH.severity) or VIOLATION))
            for sc in g.objects(shape, SH.sparql):
                out.append(self._sparql_constraint(shape, sc, target, severity, None))
            out += self._node_constraints(shape, target, severity)
        return out

    def _node_constraints(self, shape: rdflib.term.Node, target: str, severity: str) -> list[Constraint]:
        # value-type constraints directly on a node shape apply to the focus node itself
        for p in (
            SH.datatype,
            SH["class"],
            SH.nodeKind,
            SH.pattern,
            SH["in"],
            SH.minLength,
            SH.maxLength,
            SH.minInclusive,
            SH.maxInclusive,
            SH.minExclusive,
            SH.maxExclusive,
            SH.hasValue,
        ):
            if g_has(self.shapes, shape, p):
                raise UnsupportedShape(f"{shape}: node-level {p} is not supported by the fast engine")
        return []

    def _property_constraints(self, ps: rdflib.term.Node, target: str, severity: str) -> list[Constraint]:
        g = self.shapes
        shape = str(ps)
        path_sparql, path_key = self._path(ps)
        pred = path_key.lstrip("^")
        out: list[Constraint] = []
        where = f"{target} ?this {path_sparql} ?value ."

        def add(component: str, query: str, per_value: bool, default_msg: str) -> None:
            out.append(
                Constraint(
                    shape,
                    SHN + component,
                    severity,
                    self._message(ps, default_msg),
                    path_key,
                    query,
                    per_value,
                    frozenset({pred}),
                )
            )

        min_c = g.value(ps, SH.minCount)
        max_c = g.value(ps, SH.maxCount)
        if min_c is not None and _int(min_c) > 0:
            n = _int(min_c)
            if n == 1:
                q = f"SELECT ?this WHERE {{ {target} MINUS {{ ?this {path_sparql} ?value }} }}"
            else:
                q = (
                    f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path_sparql} ?value }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})"
                )
            add("MinCountConstraintComponent", q, False, f"Less than {n} values on {path_key}")
        if max_c is not None:
            n = _int(max_c)
            if n == 1:  # a self-join is much cheaper than grouping every subject
                q = (
                    f"SELECT DISTINCT ?this WHERE {{ ?this {path_sparql} ?value . ?this {path_sparql} ?_v2 . "
                    f"FILTER (!sameTerm(?value, ?_v2)) {target} }}"
                )
            else:
                q = (
                    f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ "
                    f"?this {path_sparql} ?value }} GROUP BY ?this }} FILTER (?n > {n}) {target} }}"
                )
            add("MaxCountConstraintComponent", q, False, f"More than {n} values on {path_key}")
        dt = g.value(ps, SH.datatype)
        if dt is not None:
            q = f"SELECT ?this ?value WHERE {{ {where} FILTER (!isLiteral(?value) || datatype(?value) != <{dt}>) }}"
            add("DatatypeConstraintComponent", q, True, f"Value is not a literal of datatype {dt}")
        cls = g.value(ps, SH["class"])
        if cls is not None:
            values = " ".join(f"<{c}>" for c in self._subclasses(str(cls)))
            q = f"SELECT ?this ?value WHERE {{ {where} MINUS {{ VALUES ?_ct {{ {values} }} ?value a ?_ct }} }}"
            add("ClassConstraintComponent", q, True, f"Value is not an instance of {cls}")
        kind = g.value(ps, SH.nodeKind)
        if kind is not None:
            tests: dict[rdflib.term.Node, str] = {
                SH.IRI: "isIRI(?value)",
                SH.BlankNode: "isBlank(?value)",
                SH.Literal: "isLiteral(?value)",
                SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
                SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
                SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
            }
            q = f"SELECT ?this ?value WHERE {{ {where} FILTER (!{tests[kind]}) }}"
            add("NodeKindConstraintComponent", q, True, f"Value is not of node kind {kind}")
        pattern = g.value(ps, SH.pattern)
        if pattern is not None:
            flags = g.value(ps, SH.flags)
            args = f"{RLiteral(str(pattern)).n3()}" + (f", {RLiteral(str(flags)).n3()}" if flags else "")
            q = f"SELECT ?this ?value WHERE {{ {where} FILTER (isBlank(?value) || !REGEX(STR(?value), {args})) }}"
            add("PatternConstraintComponent", q, True, f"Value does not match pattern {pattern}")
        for comp, op, name in (
            (SH.minInclusive, ">=", "MinInclusive"),
            (SH.maxInclusive, "<=", "MaxInclusive"),
            (SH.minExclusive, ">", "MinExclusive"),
            (SH.maxExclusive, "<", "MaxExclusive"),
        ):
            bound = g.value(ps, comp)
            if bound is not None:
                q = f"SELECT ?this ?value WHERE {{ {where} FILTER (!COALESCE(?value {op} {_n3(bound)}, false)) }}"
                add(name + "ConstraintComponent", q, True, f"Value is not {op} {bound}")
        for comp, op, name in ((SH.minLength, "<", "MinLength"), (SH.maxLength, ">", "MaxLength")):
            length = g.value(ps, comp)
            if length is not None:
                cond = f"isBlank(?value) || STRLEN(STR(?value)) {op} {_int(length)}"
                q = f"SELECT ?this ?value WHERE {{ {where} FILTER ({cond}) }}"
                add(name + "ConstraintComponent", q, True, f"Value length {op} {length}")
        in_list = g.value(ps, SH["in"])
        if in_list is not None:
            members = list(rdflib.collection.Collection(g, in_list))
            cond = " || ".join(f"sameTerm(?value, {_n3(m)})" for m in members) or "false"
            q = f"SELECT ?this ?value WHERE {{ {where} FILTER (!({cond})) }}"
            add("InConstraintComponent", q, True, "Value is not in the allowed list")
        has = g.value(ps, SH.hasValue)
        if has is not None:
            q = f"SELECT ?this WHERE {{ {target} MINUS {{ ?this {path_sparql} {_n3(has)} }} }}"
            add("HasValueConstraintComponent", q, False, f"Missing value {has}")
        for sc in g.objects(ps, SH.sparql):
            out.append(self._sparql_constraint(ps, sc, target, severity, path_key))
        return out

    def _prefixes(self, sc: rdflib.term.Node) -> str:
        g = self.shapes
        lines = []
        for holder in g.objects(sc, SH.prefixes):
            for decl in g.objects(holder, SH.declare):
                prefix, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
                lines.append(f"PREFIX {prefix}: <{ns}>")
        return "\n".join(lines) + "\n"

    def _sparql_constraint(
        self, shape: rdflib.term.Node, sc: rdflib.term.Node, target: str, severity: str, path: str | None
    ) -> Constraint:
        g = self.shapes
        select = g.value(sc, SH.select)
        if select is None:
            raise UnsupportedShape(f"{sc}: only sh:select SPARQL constraints are supported")
        text = str(select)
        if "$PATH" in text:
            raise UnsupportedShape(f"{sc}: $PATH is not supported by the fast engine")
        body = text.replace("$this", "?this")
        m = re.search(r"\bWHERE\s*\{", body, re.IGNORECASE)
        if m is None:
            raise UnsupportedShape(f"{sc}: cannot find the WHERE clause")
        query = self._prefixes(sc) + body[: m.end()] + f" {target} " + body[m.end() :]
        per_value = "?value" in body
        preds = frozenset(re.findall(r"<([^>\s]+)>", query))
        msg = self._message(sc, self._message(shape, "SPARQL constraint"))
        return Constraint(str(shape), SHN + "SPARQLConstraintComponent", severity, msg, path, query, per_value, preds)

    # -- execution ----------------------------------------------------------------------------------
    def run_each(
        self, constraints: list[Constraint], *, threads: int = 2, timings: dict[str, float] | None = None
    ) -> list[list[Result]]:
        """Run compiled constraints (in threads); the results of each, in order."""

        def one(c: Constraint) -> list[Result]:
            t0 = time.perf_counter()
            rows = self.select(c.query)
            if timings is not None:
                timings[f"{c.shape} {c.component.rsplit('#', 1)[1]}"] = time.perf_counter() - t0
            results = set()
            for r in rows:
                focus = r.get("this")
                if focus is None:
                    continue
                value = _value_key(r.get("value")) if c.per_value else None
                results.add(Result(c.shape, c.component, str(focus), c.path, value, c.severity, c.message))
            return sorted(results)

        with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
            return list(pool.map(one, constraints))

    def run(
        self, constraints: list[Constraint], *, threads: int = 2, timings: dict[str, float] | None = None
    ) -> list[Result]:
        """Run compiled constraints (in threads) and return all results, sorted."""
        return sorted({r for rs in self.run_each(constraints, threads=threads, timings=timings) for r in rs})


def g_has(g: rdflib.Graph, s: rdflib.term.Node, p: rdflib.term.Node) -> bool:
    return (s, p, None) in g


def pyshacl_results(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Result]:
    """Validate with pySHACL (the reference) and return comparable results."""
    import pyshacl

    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)
    out = set()
    for res in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(res, SH.sourceShape)
        path = report.value(res, SH.resultPath)
        value = report.value(res, SH.value)
        comp = report.value(res, SH.sourceConstraintComponent)
        path_key = None
        if isinstance(path, URIRef):
            path_key = str(path)
        elif isinstance(path, BNode):
            inv = report.value(path, SH.inversePath)
            path_key = f"^{inv}" if inv is not None else None
        per_value = str(comp) not in (
            SHN + "MinCountConstraintComponent",
            SHN + "MaxCountConstraintComponent",
            SHN + "HasValueConstraintComponent",
        )
        out.add(
            Result(
                str(shape),
                str(comp),
                str(report.value(res, SH.focusNode)),
                path_key,
                _value_key(value) if per_value else None,
                str(report.value(res, SH.resultSeverity)),
                str(report.value(res, SH.resultMessage) or ""),
            )
        )
    return sorted(out)
