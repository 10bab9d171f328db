"""Bulk dumps of the live dataset, written once per store generation (``cbkg dumps``).

Files: ``cbkg.nt.gz`` (all live graphs merged; duplicates across graphs are impossible by construction),
``cbkg.nq.gz`` (graphs kept), ``cbkg.ttl.gz`` and ``cbkg.jsonld.gz``.  Each generation gets its own folder,
so a dump always matches the data the endpoint serves.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from ontology.namespaces import PREFIXES

from .store import Store

DUMPS = {
    "cbkg.nt.gz": ("application/n-triples", "N-Triples, gzip"),
    "cbkg.nq.gz": ("application/n-quads", "N-Quads (one named graph per source file), gzip"),
    "cbkg.ttl.gz": ("text/turtle", "Turtle, gzip"),
    "cbkg.jsonld.gz": ("application/ld+json", "JSON-LD, gzip"),
}


def dumps_dir(root: Path, store: Store) -> Path:
    """The dump folder of the store's current generation."""
    return root / (store.generation or "memory")


def write_dumps(store: Store, root: Path, names: list[str] | None = None) -> dict[str, dict[str, object]]:
    """Write the dumps of the current generation (skipping those already written); returns their metadata."""
    target = dumps_dir(root, store)
    target.mkdir(parents=True, exist_ok=True)
    files = store.graph_files()
    meta_path = target / "index.json"
    meta: dict[str, dict[str, object]] = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    for name in names or list(DUMPS):
        out = target / name
        if out.exists() and name in meta:
            continue
        t0 = time.perf_counter()
        tmp = target / (name + ".tmp")
        with gzip.open(tmp, "wb", compresslevel=3) as gz:
            if name == "cbkg.nt.gz":
                for path in files.values():
                    with path.open("rb") as fh:
                        shutil.copyfileobj(fh, gz, 1 << 20)
            elif name == "cbkg.nq.gz":
                for graph, path in files.items():
                    suffix = f" <{graph}> .\n".encode()
                    with path.open("rb") as fh:
                        for line in fh:
                            if line.endswith(b" .\n"):
                                gz.write(line[:-3] + suffix)
            else:
                fmt = ox.RdfFormat.TURTLE if name == "cbkg.ttl.gz" else ox.RdfFormat.JSON_LD
                triples = (
                    t for path in files.values() for t in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)
                )
                prefixes = dict(PREFIXES) if fmt == ox.RdfFormat.TURTLE else None
                # pyoxigraph writes to any binary file object; its stub asks for typing.IO, which GzipFile is not
                ox.serialize(triples, gz, fmt, prefixes=prefixes)  # type: ignore[arg-type]
        tmp.replace(out)
        h = hashlib.sha256()
        with out.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        meta[name] = {
            "bytes": out.stat().st_size,
            "sha256": h.hexdigest(),
            "seconds": round(time.perf_counter() - t0, 1),
            "media_type": DUMPS[name][0],
            "description": DUMPS[name][1],
            "generation": store.generation,
        }
        meta_path.write_text(json.dumps(meta, indent=1))
    return meta
