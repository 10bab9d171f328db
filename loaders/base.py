"""What every loader shares: source units, load issues, the mapping context and the loader protocol.

A *source unit* is one file as the user sees it (a CSV, or the CSV inside a published ZIP, a JSON, a text
extraction).  Each unit becomes one named graph.  A loader splits ``parse(unit) -> records`` (typed, with
load issues for what it cannot read) from ``to_triples(record, ctx)`` (pure mapping to RDF).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, Protocol

from ontology import terms as t
from ontology.iri import Minter, cbkg, code
from ontology.namespaces import PROV, RDFS
from ontology.terms import IRI, Triple


class LoaderError(Exception):
    """A source cannot be loaded at all (unreadable, unrecognised, structurally broken)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[LoaderError], tuple[str, str]]:
        # picklable with both arguments: raised in a worker process, it reaches the pipeline intact
        return (type(self), (self.source, self.reason))


class UnrecognisedSource(LoaderError):
    """No loader recognises the file's content."""


Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class LoadIssue:
    """Something in a source that could not be mapped faithfully; kept, queryable and reported.

    ``error``: data from this row/value is missing from the graph (the raw value is kept here);
    ``warning``: mapped, but the value is suspicious or was normalised in a lossy-looking way;
    ``info``: noteworthy, nothing lost (e.g. a file decoded as CP932).
    """

    code: str
    reason: str
    severity: Severity = "error"
    row: int | None = None
    line: int | None = None
    column: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class SourceUnit:
    """One source file (possibly a member of a ZIP archive) with its identity."""

    path: Path
    member: str | None = None

    @property
    def name(self) -> str:
        """The file name users know (the ZIP member's name for archives)."""
        return Path(self.member).name if self.member else self.path.name

    def open(self) -> IO[bytes]:
        """Open the bytes of the unit (streams ZIP members without extracting them)."""
        if self.member is None:
            return self.path.open("rb", buffering=_BUFFER)
        zf = zipfile.ZipFile(self.path)
        raw = zf.open(self.member)
        return _ClosingMember(raw, zf)

    def sha256(self) -> str:
        """SHA-256 of the unit's bytes (reads all of them: a damaged ZIP member raises :class:`LoaderError`)."""
        h = hashlib.sha256()
        try:
            with self.open() as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        except _DAMAGED_ZIP as exc:
            raise LoaderError(str(self), f"damaged ZIP archive member: {exc}") from exc
        return h.hexdigest()

    def size(self) -> int:
        """Size in bytes of the unit."""
        if self.member is None:
            return self.path.stat().st_size
        with zipfile.ZipFile(self.path) as zf:
            return zf.getinfo(self.member).file_size

    def head(self, n: int = 65536) -> bytes:
        """The first ``n`` bytes (for content sniffing; a damaged ZIP member raises :class:`LoaderError`)."""
        try:
            with self.open() as fh:
                return fh.read(n)
        except _DAMAGED_ZIP as exc:
            raise LoaderError(str(self), f"damaged ZIP archive member: {exc}") from exc

    def __str__(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)


_BUFFER = 1 << 16
_DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError)
"""What reading a corrupt ZIP member raises (bad CRC, bad deflate stream, truncated data)."""


class _ClosingMember(io.BufferedReader):
    def __init__(self, raw: IO[bytes], zf: zipfile.ZipFile) -> None:
        super().__init__(raw, buffer_size=_BUFFER)  # type: ignore[arg-type]
        self._zf = zf

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._zf.close()


@dataclass
class MapContext:
    """Everything ``to_triples`` may need besides the record: the minter and the source identity."""

    minter: Minter
    source: IRI
    graph: IRI
    options: dict[str, Any] = field(default_factory=dict)

    def row(self, n: int) -> IRI:
        """IRI of record ``n`` of this source (RFC 7111)."""
        return Minter.row(self.source, n)


class Loader(Protocol):
    """The module-level interface of a loader (see ``loaders.LOADERS``)."""

    NAME: str
    VERSION: str
    TITLE: str

    def detect(self, unit: SourceUnit, head: bytes) -> bool: ...

    def units(self, path: Path) -> list[SourceUnit]: ...

    def graph_key(self, unit: SourceUnit, head: bytes) -> str: ...

    def parse(self, unit: SourceUnit) -> Iterator[Any]: ...

    def to_triples(self, record: Any, ctx: MapContext) -> Iterator[Triple]: ...

    def declarations(self, record: Any, ctx: MapContext) -> Iterator[Triple]: ...


ISSUE_SEVERITY = {
    "error": code("severity", "error"),
    "warning": code("severity", "warning"),
    "info": code("severity", "info"),
}


def issue_triples(issue: LoadIssue, n: int, ctx: MapContext) -> Iterator[Triple]:
    """The RDF of a load issue (``{graph}#issue-{n}`` in the source's graph)."""
    node = IRI(f"{ctx.graph}#issue-{n}")
    yield node, t.RDF_TYPE, cbkg("LoadIssue")
    yield node, cbkg("issueCode"), code("issue", issue.code)
    yield node, cbkg("severity"), ISSUE_SEVERITY[issue.severity]
    yield node, RDFS_COMMENT, t.text(issue.reason, "en")
    yield node, cbkg("sourceFile"), ctx.source
    if issue.row is not None:
        yield node, PROV_DERIVED, ctx.row(issue.row)
        yield node, cbkg("rowNumber"), t.integer(issue.row)
    if issue.line is not None:
        yield node, cbkg("lineNumber"), t.integer(issue.line)
    if issue.column is not None:
        yield node, cbkg("column"), t.text(issue.column)
    if issue.value is not None:
        yield node, cbkg("rawValue"), t.text(issue.value)


RDFS_COMMENT = IRI(RDFS + "comment")
RDFS_LABEL = IRI(RDFS + "label")
PROV_DERIVED = IRI(PROV + "wasDerivedFrom")
