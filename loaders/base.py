"""What every loader shares: source units, load issues, the mapping context and the loader protocol.

A *source unit* is one file as the user sees it (a CSV, or the CSV inside a published ZIP, a JSON, a text
extraction).  Each unit becomes one named graph.  A loader splits ``parse(unit) -> records`` (typed, with
load issues for what it cannot read) from ``to_triples(record, ctx)`` (pure mapping to RDF).
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
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


Stamp = tuple[int, int, int]
"""What identifies one version of a file on disk: size, modification time (ns), inode."""

ZIP_MAX_RATIO = 100
"""Largest accepted expansion of a ZIP member (uncompressed / compressed size; the RS 2024 ZIPs reach 17.3×):
a member beyond it (a ZIP bomb, or a file of blank lines) is refused before it is read."""
ZIP_RATIO_FLOOR = 1 << 20
"""Members smaller than this (uncompressed) are never refused for their ratio: they cost nothing to read."""
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_ZIP_METHOD_NAMES = {9: "Deflate64", 10: "PKWARE DCL Implode", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 98: "PPMd"}
_UTF8_FLAG = 0x800


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its creator wrote it.  Without the UTF-8 flag (bit 11) ``zipfile`` decodes the raw
    name as CP437; Japanese tools (Windows Explorer, the RS and NTA downloads) write CP932, so such a name is
    re-encoded to its raw bytes and decoded as CP932 when that decodes cleanly."""
    name = info.filename
    if info.flag_bits & _UTF8_FLAG or name.isascii():
        return name
    try:
        return name.encode("cp437").decode("cp932")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def zip_units(path: Path, suffixes: tuple[str, ...]) -> list[SourceUnit]:
    """The members of a ZIP whose (decoded) names end with one of ``suffixes`` (folders excluded)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise LoaderError(str(path), f"unreadable ZIP archive: {exc}") from exc
    out = []
    for info in infos:
        shown = zip_member_name(info)
        if not info.is_dir() and shown.lower().endswith(suffixes):
            out.append(SourceUnit(path, info.filename, None if shown == info.filename else shown))
    return out


def zip_refusal(info: zipfile.ZipInfo) -> str | None:
    """Why a ZIP member cannot be read safely (encrypted, unsupported method, implausible expansion), or None."""
    if info.flag_bits & 0x1:
        return "encrypted ZIP archive member (password protected): it cannot be read; publish it unencrypted"
    if info.compress_type not in _ZIP_METHODS:
        method = _ZIP_METHOD_NAMES.get(info.compress_type, "unknown")
        return (
            f"ZIP archive member compressed with method {info.compress_type} ({method}), which cannot be read "
            "here; re-pack it with Deflate"
        )
    if info.file_size > ZIP_RATIO_FLOOR and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        return (
            f"ZIP archive member expands {ratio:,.0f}× ({info.compress_size:,} → {info.file_size:,} bytes), over "
            f"the {ZIP_MAX_RATIO}× limit (real sources reach ~20×): refused unread, as a ZIP bomb"
        )
    return None


@dataclass(frozen=True)
class SourceUnit:
    """One source file (possibly a member of a ZIP archive) with its identity.

    ``member`` is the name ``zipfile`` opens; ``shown`` the member's name as its creator wrote it, when that
    differs (a CP932 name without the UTF-8 flag, see :func:`zip_member_name`).
    """

    path: Path
    member: str | None = None
    shown: str | None = field(default=None, compare=False)

    @property
    def name(self) -> str:
        """The file name users know (the ZIP member's name for archives)."""
        return Path(self.shown or self.member).name if self.member else self.path.name

    def open(self) -> IO[bytes]:
        """Open the bytes of the unit (streams ZIP members without extracting them).

        Inside :func:`watch_reads` the bytes read are hashed as they pass.  A ZIP member that cannot be read
        safely raises :class:`LoaderError` (see :func:`zip_refusal`).
        """
        if self.member is None:
            raw: Any = open(self.path, "rb", buffering=0)  # closed with the returned reader
            return io.BufferedReader(_tap(self, raw), buffer_size=_BUFFER)
        zf = zipfile.ZipFile(self.path)
        try:
            info = zf.getinfo(self.member)
            why = zip_refusal(info)
            if why is not None:
                raise LoaderError(str(self), why)
            member = zf.open(info)
        except BaseException:
            zf.close()
            raise
        return _ClosingMember(_tap(self, member), zf)

    def stamp(self) -> Stamp:
        """Size, modification time and inode of the file (of the archive, for a member)."""
        st = os.stat(self.path)
        return (st.st_size, st.st_mtime_ns, st.st_ino)

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
        return f"{self.path}!{self.shown or self.member}" if self.member else str(self.path)


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


# -- what a loader actually read --------------------------------------------------------------------------------
class _Tap(io.RawIOBase):
    """A raw stream passing the bytes of another, hashing them in the order they are read."""

    def __init__(self, raw: Any) -> None:
        super().__init__()
        self._raw = raw
        self._hash = hashlib.sha256()
        self.bytes = 0
        self.complete = False
        """True once the end of the stream was reached (every byte from the first was hashed, in order)."""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = self._raw.readinto(b)
        if n:
            self._hash.update(memoryview(b)[:n])
            self.bytes += n
        elif n == 0 and len(b):
            self.complete = True
        return n

    def hexdigest(self) -> str:
        return self._hash.hexdigest()

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


class ReadWatch:
    """The reads of one unit inside :func:`watch_reads`: each ``open()`` of it, and the file's stamp before."""

    def __init__(self, unit: SourceUnit) -> None:
        self.unit = unit
        self.taps: list[_Tap] = []
        self.before = unit.stamp()

    def check(self, sha256: str, stamp: Stamp | None = None) -> None:
        """Raise :class:`LoaderError` unless what was read is the file that was planned: every complete read
        hashes to ``sha256``, and the file's stamp is the same now, before the reads and (if given) at planning.

        A file overwritten while it is loaded would otherwise be mapped half old, half new under the old hash
        (and later skipped as unchanged)."""
        try:
            after = self.unit.stamp()
        except OSError as exc:
            raise LoaderError(
                str(self.unit), f"the file disappeared while it was being loaded ({exc.strerror}); not loaded"
            ) from None
        stamps = [s for s in (stamp, self.before, after) if s is not None]
        changed = any(s != stamps[0] for s in stamps)
        read = next((tap for tap in self.taps if tap.complete and tap.hexdigest() != sha256), None)
        if not changed and read is None:
            return
        if changed and stamps[0][0] != after[0]:
            detail = f"size {stamps[0][0]:,} → {after[0]:,} bytes"
        elif read is not None:
            detail = f"the bytes read hash to {read.hexdigest()[:12]}…, not to the {sha256[:12]}… planned"
        else:
            detail = "same size, modified again"
        raise LoaderError(
            str(self.unit),
            f"the file changed while it was being loaded ({detail}); not loaded, its previous graph is kept: "
            "load it again once it is complete",
        )


_watching = threading.local()


def _tap(unit: SourceUnit, raw: Any) -> Any:
    """``raw`` wrapped in a :class:`_Tap` when the reads of ``unit`` are watched (else ``raw`` itself)."""
    watch: ReadWatch | None = getattr(_watching, "watch", None)
    if watch is None or watch.unit != unit:
        return raw
    tap = _Tap(raw)
    watch.taps.append(tap)
    return tap


@contextmanager
def watch_reads(unit: SourceUnit) -> Iterator[ReadWatch]:
    """Watch what this thread reads of ``unit`` in the block (call :meth:`ReadWatch.check` after it)."""
    previous = getattr(_watching, "watch", None)
    _watching.watch = watch = ReadWatch(unit)
    try:
        yield watch
    finally:
        _watching.watch = previous


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
        if issue.row is None:  # a text source: the line is the finest provenance there is
            yield node, PROV_DERIVED, Minter.line(ctx.source, issue.line)
        yield node, cbkg("lineNumber"), t.integer(issue.line)
    if issue.column is not None:
        yield node, cbkg("column"), t.text(issue.column)
    if issue.value is not None:
        yield node, cbkg("rawValue"), t.text(issue.value)


@dataclass(slots=True)
class RecordMapper:
    """Maps the records of one source unit: load issues here, numbered in the order met, all else by the loader.

    Keeping the numbering out of the loaders keeps their ``to_triples`` pure (a record in, triples out)."""

    loader: Loader
    ctx: MapContext
    issues_seen: int = 0

    def data(self, record: Any) -> Iterator[Triple]:
        """The triples of ``record`` in the source's graph."""
        if isinstance(record, LoadIssue):
            self.issues_seen += 1
            return issue_triples(record, self.issues_seen, self.ctx)
        return self.loader.to_triples(record, self.ctx)

    def declarations(self, record: Any) -> Iterator[Triple]:
        """The shared declarations ``record`` brings."""
        return self.loader.declarations(record, self.ctx)


RDFS_COMMENT = IRI(RDFS + "comment")
RDFS_LABEL = IRI(RDFS + "label")
PROV_DERIVED = IRI(PROV + "wasDerivedFrom")
