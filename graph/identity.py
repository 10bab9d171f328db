"""Identity: one resource per real-world entity, stated once.

``build_entities`` merges the hidden per-source declaration graphs into ``graph/entities`` (a set: each
declaration once, however many files made it) and adds what only the whole dataset can tell: a program's
label (its latest sheet's title), a payee's preferred name (its most frequent spelling), a plan's title.
``reference_graphs`` provides the ontology, code lists and registers as graphs of the dataset.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ontology import CODES_TTL, ONTOLOGY_TTL, register_files, shape_files
from ontology.iri import Minter
from ontology.namespaces import CBKG, RDFS, SKOS

from .store import Transaction

PREF = f"<{SKOS}prefLabel>"
ALT = f"<{SKOS}altLabel>"
LABEL = f"<{RDFS}label>"
TITLE_CANDIDATE = f"<{CBKG}titleCandidate>"
CITED_AS = f"<{CBKG}citedAs>"


class _StableBlankNodes:
    """Relabels blank nodes by order of appearance, so the same files always serialise to the same bytes."""

    def __init__(self) -> None:
        self.labels: dict[str, ox.BlankNode] = {}

    def __call__(self, term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return self.labels.setdefault(term.value, ox.BlankNode(f"r{len(self.labels)}"))
        return term


def entities_graph(m: Minter) -> str:
    return m.graph("entities")


def reference_graphs(m: Minter, workdir: Path) -> dict[str, Path | None]:
    """Ontology + code lists, SHACL shapes and registers as N-Triples files for their graphs."""
    out: dict[str, Path | None] = {}
    groups = {
        m.graph("ontology"): [ONTOLOGY_TTL, CODES_TTL],
        m.graph("shapes"): shape_files(),
        **{m.graph(f"register/{f.stem}"): [f] for f in register_files()},
    }
    for graph, files in groups.items():
        path = workdir / (graph.rsplit("/", 1)[1] + ".ref.nt")
        stable = _StableBlankNodes()

        with path.open("wb") as fh:
            for f in files:
                if f.exists():
                    ox.serialize(
                        (ox.Triple(stable(q.subject), q.predicate, stable(q.object))
                         for q in ox.parse(path=str(f), base_iri=m.base)),
                        fh,
                        ox.RdfFormat.N_TRIPLES,
                    )
        out[graph] = path
    return out


def build_entities(reader: Transaction, m: Minter, workdir: Path) -> dict[str, Path | None]:
    """Merge all declaration graphs and derive entity labels; returns ``{entities graph: N-Triples file}``."""
    lines: set[str] = set()
    alt: defaultdict[str, Counter[str]] = defaultdict(Counter)
    has_pref: set[str] = set()
    candidates: defaultdict[str, Counter[str]] = defaultdict(Counter)
    prefix = m.base + "declarations/"
    for g in reader.graphs(include_hidden=True):
        if not g.startswith(prefix):
            continue
        for line in reader.dump_graph(g).decode("utf-8").splitlines(keepends=True):
            if line in lines or not line.strip():
                continue
            lines.add(line)
            s, p, o = line.rstrip(" .\n").split(" ", 2)
            if p == ALT:
                alt[s][o] += 1
            elif p == PREF:
                has_pref.add(s)
            elif p in (TITLE_CANDIDATE, CITED_AS):
                candidates[s][o] += 1
    # a preferred label for entities that only have spellings
    for s, counter in alt.items():
        if s not in has_pref:
            lines.add(f"{s} {PREF} {_best(counter)} .\n")
            has_pref.add(s)
    for s, counter in candidates.items():
        if s not in has_pref:
            lines.add(f"{s} {PREF} {_best(counter)} .\n")
    # program labels: the title of the latest sheet
    rows = reader.select(
        f"""SELECT ?prog ?year ?label WHERE {{
              ?sheet <{CBKG}program> ?prog ; <{CBKG}sheetYear> ?year ; <{RDFS}label> ?label }}"""
    )
    latest: dict[str, tuple[str, str]] = {}
    for r in rows:
        prog, year, label = str(r["prog"]), r["year"].lex, r["label"]
        if prog not in latest or year > latest[prog][0]:
            latest[prog] = (year, label.nt())
    for prog, (_, label) in latest.items():
        lines.add(f"<{prog}> {LABEL} {label} .\n")
    # what a register (or the ontology) already states is not stated again
    for g in reader.graphs(include_hidden=True):
        if g.startswith((m.base + "graph/register/", m.graph("ontology"))):
            lines.difference_update(reader.dump_graph(g).decode("utf-8").splitlines(keepends=True))
    path = workdir / "entities.nt"
    with path.open("w", encoding="utf-8") as fh:
        fh.writelines(sorted(lines))
    return {entities_graph(m): path}


def _best(counter: Counter[str]) -> str:
    """The most frequent value; ties broken by the shortest, then lexical order (deterministic)."""
    return min(counter.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]
