"""Identity: one resource per real-world entity, stated once.

``build_identity`` (``graph/identity``) decides which review sheets of which years and sources are one
program — 予算事業ID, the sheets' own links to previous sheets, 旧事業番号, JUDGIT's 事業ID, then same ministry
and similar name — and which RS program a budget-document item (NISC summary, bureau deck) is; every decision
records its method and score, weak name matches are only ``skos:closeMatch`` candidates, refused merges and
payee names written with several 法人番号 are conflicts; plan editions become versions of one plan.
``build_entities`` merges the hidden per-source declaration graphs into ``graph/entities`` (a set: each
declaration once, however many files made it) and adds what only the whole dataset can tell: a program's
label (its latest sheet's title), a payee's preferred name (its registered name, else its most frequent
spelling), a plan's title.  ``reference_graphs`` provides the ontology, code lists and registers.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from loaders import normalize as nz
from ontology import CODES_TTL, ONTOLOGY_TTL, register_files, shape_files
from ontology import terms as t
from ontology.iri import Minter, short_hash
from ontology.namespaces import CBKG, CODE, DCTERMS, RDF, RDFS, SKOS
from ontology.registers import org_register

from . import matching
from .prepared import canned, prepare
from .store import Transaction, lex

PREF = f"<{SKOS}prefLabel>"
ALT = f"<{SKOS}altLabel>"
LABEL = f"<{RDFS}label>"
TITLE_CANDIDATE = f"<{CBKG}titleCandidate>"
CITED_AS = f"<{CBKG}citedAs>"
OFFICIAL = f"<{CBKG}officialName>"

_Node = TypeVar("_Node", ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)


class _StableBlankNodes:
    """Relabels blank nodes by order of appearance, so the same files always serialise to the same bytes."""

    def __init__(self) -> None:
        self.labels: dict[str, ox.BlankNode] = {}

    def __call__(self, term: _Node) -> _Node:
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
    official: defaultdict[str, Counter[str]] = defaultdict(Counter)
    prefix = m.declarations_base
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
            elif p == OFFICIAL and o.endswith("@ja"):
                official[s][o] += 1
            elif p == PREF:
                has_pref.add(s)
            elif p in (TITLE_CANDIDATE, CITED_AS):
                candidates[s][o] += 1
    # a payee's registered name (NTA / gBizINFO) is its preferred label; otherwise its most frequent spelling
    for s, counter in official.items():
        if s not in has_pref:
            lines.add(f"{s} {PREF} {_best(counter)} .\n")
            has_pref.add(s)
    for s, counter in alt.items():
        if s not in has_pref:
            lines.add(f"{s} {PREF} {_best(counter)} .\n")
            has_pref.add(s)
    for s, counter in candidates.items():
        if s not in has_pref:
            lines.add(f"{s} {PREF} {_best(counter)} .\n")
    # program labels: the title of the latest sheet
    latest: dict[str, tuple[str, str]] = {}
    for r in reader.select(prepare(canned("program-labels"))):
        prog, year = str(r["prog"]), lex(r["year"])
        if prog not in latest or year > latest[prog][0]:
            latest[prog] = (year, r["label"].nt())
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
    versions = reader.select(prepare(canned("law-versions")))
    by_law: dict[str, list[tuple[str, str | None, str, str | None]]] = defaultdict(list)
    for r in versions:
        by_law[str(r["law"])].append(
            (
                str(r["v"]),
                lex(r["date"]) if "date" in r else None,
                lex(r["key"]) if "key" in r else "",
                lex(r["note"]) if "note" in r else None,
            )
        )
    lines: list[str] = []
    if by_law:
        text_of: dict[str, list[str]] = defaultdict(list)
        for r in reader.select(prepare(canned("work-provisions"))):
            text_of[str(r["work"])].append(str(r["va"]))
        cites = reader.select(prepare(canned("law-citations"), laws=[t.IRI(law) for law in by_law]))
        for r in cites:
            c, law, number = str(r["c"]), str(r["law"]), lex(r["n"])
            fy = int(lex(r["year"])[:4])
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


# -- programs across years and sources ------------------------------------------------------------------------
@dataclass
class SheetRecord:
    """What identity resolution needs of one review sheet."""

    iri: str
    year: int
    labels: list[str] = field(default_factory=list)
    ministries: list[str] = field(default_factory=list)
    program: str | None = None
    number: str | None = None
    judgit_id: str | None = None


@dataclass
class IdentityOutcome:
    """Counts of what identity resolution did, by method (for reports and tests)."""

    sheets_by_method: Counter[str] = field(default_factory=Counter)
    items_by_method: Counter[str] = field(default_factory=Counter)
    derived_programs: int = 0
    candidates: int = 0
    conflicts: int = 0
    payee_name_conflicts: int = 0


def identity_graph(m: Minter) -> str:
    return m.graph("identity")


NumberKey = tuple[int | None, str | None, bool, int | None, str]
"""A comparable 事業番号: (year, ministry slug or abbreviation, new, series, number)."""


def _number_key(text: str, year: int | None) -> NumberKey | None:
    """A comparable key of a 事業番号: (year, ministry slug or abbreviation, new, series, number)."""
    try:
        found = nz.parse_program_numbers(text)
    except nz.NormalizeError:
        return None
    if len(found) != 1:
        return None
    pn = found[0]
    entry = org_register().resolve_abbreviation(pn.ministry) if pn.ministry else None
    ministry = entry.slug if entry else pn.ministry
    return (pn.year if pn.year is not None else year, ministry, pn.new, pn.series, pn.number)


def _read_sheets(reader: Transaction) -> dict[str, SheetRecord]:
    out: dict[str, SheetRecord] = {}
    for r in reader.select(prepare(canned("program-sheets"))):
        s = str(r["s"])
        rec = out.get(s)
        if rec is None:
            rec = out[s] = SheetRecord(s, int(lex(r["y"])[:4]))
        if "l" in r and lex(r["l"]) not in rec.labels:
            rec.labels.append(lex(r["l"]))
        if "m" in r and str(r["m"]) not in rec.ministries:
            rec.ministries.append(str(r["m"]))
        if "p" in r:
            rec.program = str(r["p"])
        if "n" in r:
            rec.number = lex(r["n"])
        if "j" in r:
            rec.judgit_id = lex(r["j"])
    return out


def resolve_programs(
    sheets: dict[str, SheetRecord],
    former: list[tuple[str, str]],
    previous: list[tuple[str, str]],
) -> tuple[matching.Groups, list[tuple[str, str, str, float]]]:
    """Group sheets into programs: registered program (予算事業ID), the sheet's own list of previous sheets,
    旧事業番号, JUDGIT's 事業ID, then same ministry + similar name.  Returns the groups and the candidate pairs
    ``(sheet, other sheet, method, score)`` that were not merged (weak name matches, other ministries)."""
    groups = matching.Groups()
    for rec in sorted(sheets.values(), key=lambda r: r.iri):
        groups.add(rec.iri, rec.year, rec.program)
    by_program: defaultdict[str, list[str]] = defaultdict(list)
    for rec in sheets.values():
        if rec.program:
            by_program[rec.program].append(rec.iri)
    for iris in by_program.values():
        iris.sort()
        for other in iris[1:]:
            groups.union(iris[0], other, "program-id", 1.0)
    for s, prev in sorted(previous):
        if s in sheets and prev in sheets:
            groups.union(s, prev, "previous-sheet", 1.0)
    by_number: dict[NumberKey, str] = {}
    for rec in sorted(sheets.values(), key=lambda r: r.iri):
        if rec.number and not rec.program:
            number = _number_key(rec.number, rec.year)
            if number is not None:
                by_number.setdefault(number, rec.iri)
    for s, text in sorted(former):
        number = _number_key(text, None)
        if s in sheets and number is not None and number in by_number:
            groups.union(s, by_number[number], "former-number", 1.0)
    by_judgit: defaultdict[str, list[SheetRecord]] = defaultdict(list)
    for rec in sheets.values():
        if rec.judgit_id:
            by_judgit[rec.judgit_id].append(rec)
    for recs in by_judgit.values():
        recs.sort(key=lambda r: (r.year, r.iri))
        for a, b in itertools.pairwise(recs):
            groups.union(a.iri, b.iri, "judgit-program-id", 1.0)

    # names: same ministry, similar name; groups with no registered program look for one, newest first
    index = matching.NameIndex()
    exact_elsewhere: defaultdict[str, list[str]] = defaultdict(list)
    for rec in sorted(sheets.values(), key=lambda r: r.iri):
        for label in rec.labels:
            key = matching.name_key(label)
            exact_elsewhere[key].append(rec.iri)
            for mnt in rec.ministries or ["?"]:
                index.add(mnt, key, rec.iri)
                for old in matching.former_names(label):  # a renamed program is found by its former name too
                    index.add(mnt, matching.name_key(old), rec.iri)
    candidates: list[tuple[str, str, str, float]] = []
    pending = [r for r in groups.roots() if groups.program_of(r) is None]
    pending.sort(key=lambda r: (-max(groups.group(r).years), r))
    for root in pending:
        root = groups.find(root)
        if groups.program_of(root) is not None:
            continue
        members = [sheets[s] for s in groups.members(root)]
        newest = sorted(members, key=lambda r: (-r.year, r.iri))
        merged = False
        best: tuple[float, str, str] | None = None
        for rec in newest:

            def same_group(other: str, sheet: str = rec.iri) -> bool:
                return groups.find(other) == groups.find(sheet)

            for label in rec.labels:
                for mnt in rec.ministries or ["?"]:
                    found = [
                        c
                        for key in [matching.name_key(label), *map(matching.name_key, matching.former_names(label))]
                        for c in index.candidates(mnt, key, skip=same_group)
                    ]
                    for score, owner, _ in sorted(found, key=lambda c: (-c[0], c[1])):
                        if groups.find(owner) == groups.find(rec.iri):
                            continue
                        if score >= matching.MERGE and groups.union(
                            owner, rec.iri, "name", round(score, 3), report=False
                        ):
                            merged = True
                            break
                        if best is None or score > best[0]:
                            best = (score, rec.iri, owner)
                    if merged:
                        break
                if merged:
                    break
            if merged:
                break
        if merged:
            continue
        if best is not None and best[0] >= matching.MERGE:  # a strong name match that cannot be one program
            groups.union(best[2], best[1], "name", round(best[0], 3))  # refused again: recorded as a conflict
        if best is not None and best[0] >= matching.CANDIDATE:
            candidates.append((best[1], best[2], "name", round(best[0], 3)))
            continue
        for rec in newest:  # the same name under another ministry (reorganisations): reported, never merged
            others = [
                o
                for label in rec.labels
                for o in exact_elsewhere[matching.name_key(label)]
                if groups.find(o) != groups.find(rec.iri) and not set(sheets[o].ministries) & set(rec.ministries)
            ]
            if others:
                candidates.append((rec.iri, sorted(others)[0], "name-other-ministry", 0.85))
                break
    return groups, candidates


def _read_items(reader: Transaction) -> list[tuple[str, int | None, list[str], list[str], list[str]]]:
    """Budget-document items: (item, fiscal year of the document, labels, ministries, acronyms)."""
    items: dict[str, tuple[str, int | None, list[str], list[str], list[str]]] = {}
    for r in reader.select(prepare(canned("summary-items"))):
        i = str(r["i"])
        fy = int(lex(r["fy"])[:4]) if "fy" in r else None
        rec = items.setdefault(i, (i, fy, [], [], []))
        for var, bucket in (("l", rec[2]), ("m", rec[3]), ("a", rec[4])):
            if var in r:
                v = lex(r[var]) if var != "m" else str(r[var])
                if v not in bucket:
                    bucket.append(v)
    return [items[k] for k in sorted(items)]


def build_identity(reader: Transaction, m: Minter, workdir: Path) -> tuple[dict[str, Path | None], IdentityOutcome]:
    """Resolve programs across years and sources, and document items to programs; write ``graph/identity``.

    Drops the previous identity graph first (in the transaction), so it is computed from the sources alone.
    Every assignment carries its method and score (``cbkg:programMatch``); weak name matches are stated as
    ``skos:closeMatch`` with a ``cbkg:MatchCandidate`` node, never merged; refused merges are conflicts.
    """
    graph = identity_graph(m)
    reader.drop_graphs([graph])
    out = IdentityOutcome()
    sheets = _read_sheets(reader)
    former = [(str(r["s"]), lex(r["f"])) for r in reader.select(prepare(canned("former-numbers")))]
    previous = [(str(r["s"]), str(r["p"])) for r in reader.select(prepare(canned("previous-sheets")))]
    groups, candidates = resolve_programs(sheets, former, previous)

    lines: list[str] = []
    add = lines.append
    program_of: dict[str, str] = {}
    for root in groups.roots():
        members = groups.members(root)
        registered = groups.program_of(root)
        if registered is not None:
            program = registered
            anchors = [s for s in members if sheets[s].program == registered]
        else:
            first = min((sheets[s] for s in members), key=lambda r: (r.year, r.iri))
            number = first.number or first.iri.rsplit("/", 1)[-1]
            program = m.program_from_sheet(first.year, number)
            anchors = [first.iri]
            out.derived_programs += 1
            add(f"<{program}> <{RDF}type> <{CBKG}Program> .\n")
            add(f"<{program}> <{CBKG}firstSheet> <{first.iri}> .\n")
            label = matching.best_label((sheets[x].year, lab) for x in members for lab in sheets[x].labels)
            if label:  # named after its latest sheet, like registered programs (graph/entities)
                add(f"<{program}> <{RDFS}label> {_lit(label, 'ja')} .\n")
            add(f"<{first.iri}> <{CBKG}program> <{program}> .\n")
            _match(add, first.iri, program, "first-sheet", 1.0, None)
            out.sheets_by_method["first-sheet"] += 1
        for s in members:
            program_of[s] = program
        for s, edge in groups.explain(root, anchors).items():
            if sheets[s].program is None:
                add(f"<{s}> <{CBKG}program> <{program}> .\n")
            _match(add, s, program, edge.method, edge.score, edge.other)
            out.sheets_by_method[edge.method] += 1
        for s in anchors:
            if sheets[s].program is not None:
                out.sheets_by_method["program-id"] += 1
    for s, other, method, score in candidates:
        _candidate(add, s, program_of[other], method, score, other)
        out.candidates += 1
    for i, c in enumerate(groups.conflicts):
        node = m.identity_conflict(short_hash(*c.members, c.method))
        add(f"<{node}> <{RDF}type> <{CBKG}IdentityConflict> .\n")
        add(f"<{node}> <{CBKG}matchMethod> <{CODE}match-method/{c.method}> .\n")
        add(f"<{node}> <{RDFS}comment> {_lit(c.reason, 'en')} .\n")
        for mem in c.members:
            add(f"<{node}> <{CBKG}conflictMember> <{mem}> .\n")
        out.conflicts = i + 1

    # budget-document items → programs (same ministry, similar name or acronym; the nearest year wins ties)
    index = matching.NameIndex()
    for rec in sorted(sheets.values(), key=lambda r: r.iri):
        for label in rec.labels:
            for mnt in rec.ministries or ["?"]:
                index.add(mnt, matching.name_key(label), rec.iri)
    for item, fy, labels, ministries, acronyms in _read_items(reader):
        found: list[tuple[float, int, str, str]] = []  # (score, -year distance, sheet, method)
        for label in labels:
            for mnt in ministries or ["?"]:
                for score, owner, _ in index.candidates(mnt, matching.name_key(label)):
                    dist = abs(sheets[owner].year - fy) if fy else 0
                    found.append((score, -dist, owner, "name"))
        for acr in acronyms:
            needle = matching.name_key(acr)
            for rec in sheets.values():
                if set(rec.ministries) & set(ministries) and any(
                    needle and needle in matching.name_key(lab) for lab in rec.labels
                ):
                    found.append((0.95, -(abs(rec.year - fy) if fy else 0), rec.iri, "acronym"))
        if not found:
            continue
        score, _, owner, method = max(found, key=lambda f: (f[0], f[1], f[2]))
        score = round(score, 3)
        program = program_of[owner]
        if score >= matching.MERGE:
            add(f"<{item}> <{CBKG}program> <{program}> .\n")
            _match(add, item, program, method, score, owner)
            out.items_by_method[method] += 1
        elif score >= matching.CANDIDATE:
            _candidate(add, item, program, method, score, owner)
            out.candidates += 1

    # plans: each dated edition (サイバーセキュリティ戦略 2015-09, 2021-09-28, 2025-12-23) is a version of the plan
    # as a whole, which undated citations name; the editions stay distinct resources
    keys = {lex(r["key"]): str(r["plan"]) for r in reader.select(prepare(canned("plan-keys")))}
    for key, plan in sorted(keys.items()):
        if "|" not in key:
            continue
        title = key.split("|", 1)[0]
        work = keys.get(title) or m.plan(title)
        if title not in keys:
            add(f"<{work}> <{RDF}type> <{CBKG}Plan> .\n")
            add(f"<{work}> <{CBKG}planKey> {_lit(title)} .\n")
            add(f"<{work}> <{SKOS}prefLabel> {_lit(title, 'ja')} .\n")
        add(f"<{plan}> <{DCTERMS}isVersionOf> <{work}> .\n")

    # payees: one name written with several 法人番号 is reported (never merged)
    for r in reader.select(prepare(canned("payee-name-conflicts"))):
        name = lex(r["n"])
        if name in PLACEHOLDER_NAMES:
            continue
        node = m.payee_name(name)
        add(f"<{node}> <{RDF}type> <{CBKG}IdentityConflict> .\n")
        note = "one name written with " + lex(r["k"]) + " corporate numbers"
        add(f"<{node}> <{RDFS}comment> {_lit(note, 'en')} .\n")
        add(f"<{node}> <{CBKG}conflictLabel> {_lit(name, 'ja')} .\n")
        for p in sorted(lex(r["ps"]).split()):
            add(f"<{node}> <{CBKG}conflictMember> <{p}> .\n")
        out.payee_name_conflicts += 1

    path = workdir / "identity.nt"
    with path.open("w", encoding="utf-8") as fh:
        fh.writelines(sorted(set(lines)))
    return {graph: path}, out


PLACEHOLDER_NAMES = frozenset({"その他", "委託先", "A社", "Ａ社", "B社", "Ｂ社", "非公表", "-", "－"})
"""Names that stand for an unnamed payee: never evidence that two corporate numbers are one payee."""


_Add = Callable[[str], None]
"""Appends one N-Triples line to the graph being written."""


def _lit(text: str, lang: str | None = None) -> str:
    return t.Literal(text, None, lang).nt()


def _match(add: _Add, subject: str, program: str, method: str, score: float, other: str | None) -> None:
    node = f"{subject}/program-match"
    add(f"<{subject}> <{CBKG}programMatch> <{node}> .\n")
    add(f"<{node}> <{RDF}type> <{CBKG}IdentityMatch> .\n")
    add(f"<{node}> <{CBKG}matchMethod> <{CODE}match-method/{method}> .\n")
    add(f"<{node}> <{CBKG}matchScore> {t.decimal(Decimal(str(score))).nt()} .\n")
    add(f"<{node}> <{CBKG}matchedProgram> <{program}> .\n")
    if other is not None:
        add(f"<{node}> <{CBKG}matchedWith> <{other}> .\n")


def _candidate(add: _Add, subject: str, program: str, method: str, score: float, other: str) -> None:
    node = f"{subject}/candidate/{short_hash(program)}"
    add(f"<{subject}> <{SKOS}closeMatch> <{program}> .\n")
    add(f"<{subject}> <{CBKG}matchCandidate> <{node}> .\n")
    add(f"<{node}> <{RDF}type> <{CBKG}MatchCandidate> .\n")
    add(f"<{node}> <{CBKG}matchMethod> <{CODE}match-method/{method}> .\n")
    add(f"<{node}> <{CBKG}matchScore> {t.decimal(Decimal(str(score))).nt()} .\n")
    add(f"<{node}> <{CBKG}matchedProgram> <{program}> .\n")
    add(f"<{node}> <{CBKG}matchedWith> <{other}> .\n")
