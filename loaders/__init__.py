"""Loaders: one package per source format (``records``, ``parse``, ``mapping``), listed in :data:`LOADERS`.

Each loader exposes ``NAME``, ``VERSION``, ``TITLE``, ``detect(unit, head)``, ``units(path)``,
``graph_key(unit, head)``, ``parse(unit)``, ``to_triples(record, ctx)`` (pure) and ``declarations(record, ctx)``.
A loader imports only :mod:`ontology`, :mod:`loaders.base` and the helper modules that are not loaders
(``common``, ``normalize``, ``citations``, ``legal``, ``budget_doc``, ``rs_values``, ``rs_model``); never another
loader, the store or the web layer.  See ``docs/architecture.md``.
"""

from __future__ import annotations

import codecs
import importlib
import os
import zipfile
from pathlib import Path
from typing import cast

from .base import Loader, LoaderError, LoadIssue, MapContext, SourceUnit, UnrecognisedSource

LOADER_NAMES: tuple[str, ...] = (
    "rs_csv",
    "egov_law",
    "rs_sheet",
    "legacy_sheet",
    "judgit",
    "houjin",
    "gbizinfo",
    "nisc_summary",
    "bureau_deck",
)
"""Every loader (a package ``loaders/<name>/``), in detection order."""

LOADERS: dict[str, Loader]
"""Every loader, by name, in detection order: the modules of :data:`LOADER_NAMES`, imported at first use (so
that importing ``loaders.base`` or a helper, as the web layer does for the error types, costs no loader)."""


def __getattr__(name: str) -> object:
    if name == "LOADERS":
        return _loaders()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _loaders() -> dict[str, Loader]:
    found = globals().get("LOADERS")
    if found is None:
        found = {n: cast(Loader, importlib.import_module(f"{__name__}.{n}")) for n in LOADER_NAMES}
        globals()["LOADERS"] = found
    return found


__all__ = [
    "LOADERS",
    "LOADER_NAMES",
    "LoadIssue",
    "Loader",
    "LoaderError",
    "MapContext",
    "SourceUnit",
    "UnrecognisedSource",
    "detect",
    "expand",
]


def detect(path: Path) -> tuple[Loader, list[SourceUnit]]:
    """The loader that recognises ``path`` by its content, and the units (files) it will load from it.

    Raises :class:`UnrecognisedSource` naming the file when no loader recognises it.
    """
    refusals: list[LoaderError] = []
    for loader in _loaders().values():
        try:
            units = loader.units(path)
        except LoaderError as exc:  # e.g. a ZIP without CSV: another loader may still read it
            refusals.append(exc)
            continue
        if units and all(loader.detect(u, u.head()) for u in units):
            return loader, units
    if refusals:
        raise refusals[0]
    raise UnrecognisedSource(
        str(path),
        _unreadable(path) or f"no loader recognises this file's content (known formats: {', '.join(_loaders())})",
    )


_UTF16_32 = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


def _unreadable(path: Path) -> str | None:
    """Why no loader could read ``path``, when the bytes say so (empty, damaged ZIP, UTF-16); else None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
            whole = not fh.read(1)
    except OSError as exc:
        return f"unreadable file: {exc}"
    if whole and not head.replace(codecs.BOM_UTF8, b"").strip():
        return "empty file" if not head else "empty file (only a byte order mark or white space)"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")) and not zipfile.is_zipfile(path):
        return "damaged ZIP archive: its central directory is missing or unreadable (truncated download?)"
    for bom, name in _UTF16_32.items():  # UTF-32 first: its little-endian BOM starts like UTF-16's
        if head.startswith(bom):
            return f"{name} text (byte order mark {bom.hex(' ').upper()}): sources must be UTF-8 or Shift_JIS (CP932)"
    return None


def expand(paths: list[Path]) -> list[Path]:
    """Files named by ``paths`` (directories are walked recursively, sorted; hidden files skipped).

    Raises :class:`LoaderError` for a path that does not exist or a link :func:`walk` refuses."""
    files, refused = walk(paths)
    if refused:
        raise LoaderError(*refused[0])
    return files


def walk(paths: list[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files named by ``paths`` and the (path, reason) of those refused.

    A directory is walked recursively in sorted order, skipping hidden entries.  Symbolic links inside it are
    not followed out of it: a link whose target lies outside the directory (``etc -> /etc``) or is missing is
    refused by name; a link to a file inside it is kept, and a link to a folder inside it is not walked again
    (its files are reached by their own path, so a loop is walked once).  A path named on the command line is
    taken as named, links included.  Every file is listed once, by its first path, however many paths or links
    lead to it.
    """
    out: list[Path] = []
    refused: list[tuple[str, str]] = []
    seen: set[Path] = set()

    def add(f: Path) -> None:
        real = f.resolve()
        if real not in seen:
            seen.add(real)
            out.append(f)

    for p in paths:
        if p.is_dir():
            root = p.resolve()
            for f, why in _walk_dir(p, root):
                if why is None:
                    add(f)
                else:
                    refused.append((str(f), why))
        elif p.exists():
            add(p)
        else:
            refused.append((str(p), "no such file or directory" if not p.is_symlink() else "broken symbolic link"))
    return out, refused


def _walk_dir(top: Path, root: Path) -> list[tuple[Path, str | None]]:
    """(file, None) for the files under ``top`` and (link, reason) for the links refused, in sorted path order."""
    found: list[tuple[Path, str | None]] = []
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        d = Path(dirpath)
        dirnames[:] = sorted(n for n in dirnames if not n.startswith("."))
        for n in dirnames:
            link = d / n
            if link.is_symlink():
                why = _outside(link, root)
                if why is not None:
                    found.append((link, why))
        for n in filenames:
            if n.startswith("."):
                continue
            f = d / n
            if f.is_symlink():
                why = _outside(f, root)
                if why is not None:
                    found.append((f, why))
                    continue
            if f.is_file():
                found.append((f, None))
    return sorted(found, key=lambda x: x[0])


def _outside(link: Path, root: Path) -> str | None:
    """Why the symbolic link ``link`` is not followed (target missing or outside ``root``), or None."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):  # missing target, or a loop of links
        return f"broken symbolic link (to {os.readlink(link)}): not followed"
    if target != root and root not in target.parents:
        return f"symbolic link to {target}, outside the folder loaded ({root}): not followed"
    return None
