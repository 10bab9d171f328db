"""cbkg ontology: Turtle files (ontology, code lists, registers, SHACL shapes), namespaces and IRI minting.

This is the bottom layer: it imports nothing else from cbkg.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ONTOLOGY_TTL = HERE / "cbkg.ttl"
CODES_TTL = HERE / "codes.ttl"
SHAPES_DIR = HERE / "shapes"
REGISTERS_DIR = HERE / "registers"


def shape_files() -> list[Path]:
    """All SHACL shape files, sorted."""
    return sorted(SHAPES_DIR.glob("*.ttl"))


def register_files() -> list[Path]:
    """All register files (reference data with relative IRIs, resolved against the data base IRI)."""
    return sorted(REGISTERS_DIR.glob("*.ttl"))
