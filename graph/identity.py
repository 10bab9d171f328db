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
from ontology.namespaces import CBKG, CODE, ELI, RDFS, SKOS

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
        seen: set[ox.Triple] = set()  # a triple stated in two files is one triple (counts stay exact)
        triples = []
        for f in files:
            if f.exists():
                for q in ox.parse(path=str(f), base_iri=m.base):
                    tr = ox.Triple(stable(q.subject), q.predicate, stable(q.object))
                    if tr not in seen:
                        seen.add(tr)
                        triples.append(tr)
        with path.open("wb") as fh:
            ox.serialize(triples, fh, ox.RdfFormat.N_TRIPLES)
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


def build_citation_links(reader: Transaction, m: Minter, workdir: Path) -> dict[str, Path | None]:
    """Link article-level citations to the loaded law text of the version in force in their sheet year.

    A citation of 第十六条 in a 事業年度 2024 sheet needs the text in force in FY2024 (2024-04-01 …
    2025-03-31).  When a loaded version has a version date on or before the end of that fiscal year, the
    latest such version is in force and the citation gets ``cbkg:textProvision`` (its article there).  When
    the only loaded versions are later or undated, the link is still made to the nearest loaded text but is
    flagged with ``cbkg:versionMatch`` and an explanation, because article numbering may have changed
    (サイバーセキュリティ基本法 after the 2025 amendment has 第三十条の二).
    """
    versions = reader.select(
        f"""SELECT ?v ?law ?date ?key ?note WHERE {{ ?v <{CBKG}versionOf> ?law .
            OPTIONAL {{ ?v <{ELI}version_date> ?date }} OPTIONAL {{ ?v <{CBKG}versionKey> ?key }}
            OPTIONAL {{ ?v <{CBKG}versionNote> ?note }} }}"""
    )
    by_law: dict[str, list[tuple[str, str | None, str, str | None]]] = defaultdict(list)
    for r in versions:
        by_law[str(r["law"])].append(
            (
                str(r["v"]),
                r["date"].lex if "date" in r else None,
                r["key"].lex if "key" in r else "",
                r["note"].lex if "note" in r else None,
            )
        )
    lines: list[str] = []
    if by_law:
        articles = reader.select(f"""SELECT ?va ?work WHERE {{ ?va <{CBKG}workProvision> ?work }}""")
        text_of: dict[str, list[str]] = defaultdict(list)
        for r in articles:
            text_of[str(r["work"])].append(str(r["va"]))
        laws = " ".join(f"<{law}>" for law in by_law)
        cites = reader.select(
            f"""SELECT ?c ?law ?year ?n WHERE {{ VALUES ?law {{ {laws} }}
                ?c <{CBKG}law> ?law ; <{CBKG}articleNumber> ?n ; <{CBKG}sheetYear> ?year }}"""
        )
        for r in cites:
            c, law, number = str(r["c"]), str(r["law"]), r["n"].lex
            fy = int(r["year"].lex[:4])
            fy_end = f"{fy + 1}-03-31"
            candidates = by_law[law]
            dated = sorted((v for v in candidates if v[1]), key=lambda v: v[1] or "")
            in_force = [v for v in dated if (v[1] or "") <= fy_end]
            if in_force:
                chosen, match, caveat = in_force[-1], "in-force", None
            elif dated:
                chosen, match = dated[0], "later-version"
                caveat = (
                    f"only a later text ({chosen[1]}) is loaded; the article numbering in force in FY{fy} may differ"
                )
            else:
                chosen, match = sorted(candidates, key=lambda v: v[2])[-1], "undated-version"
                caveat = (
                    f"the loaded text ({chosen[2]}) has no version date"
                    + (f" ({chosen[3]})" if chosen[3] else "")
                    + f"; the article numbering in force in FY{fy} may differ"
                )
            work = m.law_part(law.rsplit("/", 1)[1], number)
            target = next((va for va in text_of.get(work, []) if va.startswith(chosen[0] + "/")), None)
            lines.append(f"<{c}> <{CBKG}textVersion> <{chosen[0]}> .\n")
            lines.append(f"<{c}> <{CBKG}versionMatch> <{CODE}version-match/{match}> .\n")
            if target is not None:
                lines.append(f"<{c}> <{CBKG}textProvision> <{target}> .\n")
            else:
                caveat = (caveat + "; " if caveat else "") + f"article {number} is not in the loaded text"
            if caveat:
                lines.append(f'<{c}> <{CBKG}versionCaveat> "{caveat}"@en .\n')
    path = workdir / "citation-links.nt"
    path.write_text("".join(sorted(set(lines))), encoding="utf-8")
    return {m.graph("citation-links"): path}
