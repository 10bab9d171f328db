"""Benchmark: the labels query of the ``/id/`` pages (``api/rq/labels.rq``) before and after it got one UNION
branch per label predicate, on the same store, in one run; the two answers are compared.

    python bench/labels_query.py --store /tmp/full-store [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api import queries  # noqa: E402
from graph.oxistore import OxigraphStore  # noqa: E402
from graph.prepared import Template  # noqa: E402
from ontology.terms import IRI  # noqa: E402

BEFORE = Template("SELECT ?s ?p ?l WHERE { VALUES ?s { $subjects } VALUES ?p { $predicates } ?s ?p ?l } LIMIT $limit")
PREDICATES = [
    IRI("http://www.w3.org/2000/01/rdf-schema#label"),
    IRI("http://www.w3.org/2004/02/skos/core#prefLabel"),
    IRI("http://data.europa.eu/eli/ontology#title"),
]
PAGES = ["id/org/soumu", "id/program/47", "id/law/426AC1000000104"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    st = OxigraphStore(args.store, read_only=True)
    for page in PAGES:
        iri = st.base + page
        d = queries.describe(st, iri)
        linked = sorted({str(o) for _, _, o in d.triples if isinstance(o, IRI)} | {s for s, _, _ in d.triples})
        chunk = [IRI(x) for x in linked[:300]]
        before = queries.sparql(BEFORE, subjects=chunk, predicates=PREDICATES, limit=3000)
        after = queries.sparql(queries.LABELS, subjects=chunk, limit=3000)
        same = st.select(before).canonical() == st.select(after).canonical()
        times: dict[str, list[float]] = {"before": [], "after": [], "describe()": []}
        for _ in range(args.runs):
            for k in times:
                t = time.perf_counter()
                if k == "describe()":
                    queries.describe(st, iri)
                else:
                    st.select(before if k == "before" else after)
                times[k].append((time.perf_counter() - t) * 1000)
        p50 = {k: round(statistics.median(v), 1) for k, v in times.items()}
        print(f"{page}: {len(chunk)} subjects, {len(st.select(after).rows)} labels, same answer: {same}; p50 ms {p50}")


if __name__ == "__main__":
    main()
