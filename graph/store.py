"""The store interface: select / ask / raw query (any form, serialised), atomic graph replacement, export.

Graph conventions (``{base}`` = the data base IRI):

* ``{base}graph/…`` — *live* graphs, the dataset users query: one per source file, plus ``graph/entities``
  (merged declarations and identity links), ``graph/ontology``, ``graph/register/…`` and ``graph/quality``.
* ``{base}declarations/…`` — per-source declarations of shared entities; kept out of the query dataset
  (they are merged into ``graph/entities``), so no fact is ever counted twice by the union default graph.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from ontology.terms import IRI, Literal, Term, Triple


class StoreError(Exception):
    """The store failed (I/O, unreachable server, corrupt data)."""


class QueryError(StoreError):
    """The query is malformed or uses a feature the store rejects (the message is the parser's)."""


class QueryTimeout(StoreError):
    """The query exceeded its time budget and was stopped."""


class ResultTooLarge(StoreError):
    """The query's result exceeded the configured cap."""


class QueryRefused(StoreError):
    """A read-only endpoint refuses the request as such (not because it is malformed)."""


class UpdateRefused(QueryRefused):
    """The request is a SPARQL Update (or LOAD): the query endpoint is read-only."""


class ServiceRefused(QueryRefused):
    """The query contains SERVICE (federated query), which the endpoint does not run."""


@dataclass(frozen=True)
class SelectResult:
    """Variables and rows of a SELECT query; unbound variables are absent from a row."""

    variables: list[str]
    rows: list[dict[str, Term]]

    def __iter__(self) -> Iterator[dict[str, Term]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def values(self, var: str) -> list[str]:
        """The lexical values of one variable over all rows (None-free)."""
        return [text for r in self.rows if (text := value(r.get(var))) is not None]

    def canonical(self, ignore: frozenset[str] = frozenset({"loadedAt"})) -> list[tuple[tuple[str, str], ...]]:
        """The rows in a store-independent form, to compare answers across stores: sorted rows of
        (variable, value) with blank nodes blanked out, numbers compared by value (servers print 1.50, 1.5 or
        1.5E0 for one decimal), ``GROUP_CONCAT`` lists (", "-separated) as sets, and ``ignore``d variables
        (when each store loaded a file differs by nature) left out."""
        out = []
        for row in self.rows:
            cells = []
            for v in self.variables:
                if v in ignore:
                    continue
                text = value(row.get(v)) or ""
                cells.append((v, "_:b" if text.startswith("_:") else _comparable(text)))
            out.append(tuple(cells))
        return sorted(out)


def _comparable(text: str) -> str:
    if ", " in text:
        return ", ".join(sorted(text.split(", ")))
    if any(c.isdigit() for c in text) and text.strip("-+.0123456789eE") == "":
        try:
            return repr(float(text))
        except ValueError:
            return text
    return text


def value(term: Term | None) -> str | None:
    """The lexical value of a term (IRI string or literal lexical form)."""
    if term is None:
        return None
    return term.lex if isinstance(term, Literal) else str(term)


def lex(term: Term) -> str:
    """The lexical form of a literal (a variable a query binds to literals); TypeError for an IRI."""
    if not isinstance(term, Literal):
        raise TypeError(f"expected a literal, got the IRI <{term}>")
    return term.lex


GraphSource = Path | None
"""What to put in a graph on replacement: an N-Triples/N-Quads file (triples go to the graph), or None to drop."""


class Store(ABC):
    """A quad store holding the cbkg dataset."""

    base: str

    # -- reads ---------------------------------------------------------------------------------------
    @abstractmethod
    def select(self, query: str, *, timeout: float | None = None, include_hidden: bool = False) -> SelectResult:
        """Run a SELECT over the live dataset (union of the live graphs; with the hidden ones if asked)."""

    @abstractmethod
    def ask(self, query: str, *, timeout: float | None = None) -> bool:
        """Run an ASK over the live dataset."""

    @abstractmethod
    def construct(self, query: str, *, timeout: float | None = None) -> list[Triple]:
        """Run a CONSTRUCT/DESCRIBE over the live dataset."""

    def query_raw(
        self,
        query: str,
        media_type: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        timeout: float | None = None,
        max_results: int | None = None,
        max_bytes: int | None = None,
    ) -> bytes:
        """Run any read query and serialise its whole result in ``media_type`` (see :meth:`query_stream`)."""
        return b"".join(
            self.query_stream(
                query,
                media_type,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                base_iri=base_iri,
                prefixes=prefixes,
                timeout=timeout,
                max_results=max_results,
                max_bytes=max_bytes,
            )
        )

    @abstractmethod
    def query_stream(
        self,
        query: str,
        media_type: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        timeout: float | None = None,
        max_results: int | None = None,
        max_bytes: int | None = None,
    ) -> Iterator[bytes]:
        """Run any read query and stream its result serialised in ``media_type`` (SPARQL results or RDF).

        The dataset follows SPARQL 1.1: a protocol dataset (``default_graphs`` / ``named_graphs``; a list
        that is None when the other is given counts as empty) overrides the query's ``FROM`` / ``FROM
        NAMED``; with neither, the default graph is the union of the live graphs and every live graph is a
        named graph.  Relative IRIs resolve against ``base_iri``; ``prefixes`` are predeclared.  The caps
        raise :class:`ResultTooLarge` while the stream is read."""

    @abstractmethod
    def graphs(self, *, include_hidden: bool = False) -> list[str]:
        """Names of the live graphs (and of the hidden declaration graphs if asked)."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads in a graph, or in all live graphs."""

    # -- writes --------------------------------------------------------------------------------------
    @abstractmethod
    def replace_graphs(self, updates: Mapping[str, GraphSource]) -> None:
        """Atomically replace (or drop, for None) several graphs: readers see all changes or none."""

    def drop_graph(self, graph: str) -> None:
        """Drop one graph (atomically)."""
        self.replace_graphs({graph: None})

    @abstractmethod
    def load_file(self, graph: str, path: Path) -> None:
        """Add the triples of an N-Triples file to a graph (not atomic on its own)."""

    @abstractmethod
    def dump_graph(self, graph: str) -> bytes:
        """One graph (live or hidden) as N-Triples."""

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Group changes.  Stores that can (embedded Oxigraph) publish them atomically on exit and discard
        them on error; this default applies each change immediately (documented for remote stores)."""
        yield DirectTransaction(self)

    @abstractmethod
    def dump(self, out: BinaryIO, media_type: str, *, graph: str | None = None) -> None:
        """Write the live dataset (or one graph) to ``out`` in an RDF syntax."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources."""

    # -- local snapshots (optional) --------------------------------------------------------------------
    def graph_files(self, *, include_hidden: bool = False) -> dict[str, Path]:
        """N-Triples snapshot files of the graphs, for stores that keep them locally (dumps, fast validation)."""
        return {}

    def graph_predicates(self) -> dict[str, set[str]]:
        """The predicates used in each snapshot graph (lets validation skip constraints a graph cannot break)."""
        return {}

    @property
    def generation(self) -> str | None:
        """A name that changes whenever the dataset changes (None if the store cannot tell)."""
        return None

    @property
    def answers_stable(self) -> bool:
        """True if only this store's own loads change its data, so a read's answer is fixed for a given
        :attr:`generation` and may be cached per generation (False where other clients may write)."""
        return False

    @contextmanager
    def snapshot(self) -> Iterator[Store]:
        """Reads in this thread inside the block see one published state of the dataset, even if a load
        publishes a new one meanwhile (embedded store: one generation).  Remote stores cannot pin a state:
        there the block is a no-op (see docs/remote-stores.md)."""
        yield self

    def read_aux(self, name: str) -> bytes | None:
        """An auxiliary file kept with the current dataset (e.g. the validation cache), if any."""
        return None

    # -- helpers -------------------------------------------------------------------------------------
    def is_live(self, graph: str) -> bool:
        """True for graphs of the query dataset (``{base}graph/…``)."""
        return graph.startswith(self.base + "graph/")


class Transaction(Protocol):
    """Changes and reads inside :meth:`Store.transaction`."""

    def drop_graphs(self, graphs: Iterable[str]) -> None: ...

    def load_graph(
        self,
        graph: str,
        path: Path,
        predicates: Iterable[str] | None = None,
        *,
        triples: int | None = None,
        move: bool = False,
    ) -> None:
        """Add the triples of an N-Triples file to ``graph`` (a graph may be loaded in several parts)."""
        ...

    def replace_graphs(self, updates: Mapping[str, GraphSource]) -> None: ...

    def dump_graph(self, graph: str) -> bytes: ...

    def select(self, query: str) -> SelectResult: ...

    def graphs(self, *, include_hidden: bool = True) -> list[str]: ...


class DirectTransaction:
    """A transaction that applies every change at once (no isolation, no rollback)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        self.store.replace_graphs(dict.fromkeys(graphs))

    def load_graph(
        self,
        graph: str,
        path: Path,
        predicates: Iterable[str] | None = None,
        *,
        triples: int | None = None,
        move: bool = False,
    ) -> None:
        self.store.load_file(graph, path)

    def replace_graphs(self, updates: Mapping[str, GraphSource]) -> None:
        self.store.replace_graphs(updates)

    def dump_graph(self, graph: str) -> bytes:
        return self.store.dump_graph(graph)

    def select(self, query: str) -> SelectResult:
        return self.store.select(query, include_hidden=True)

    def graphs(self, *, include_hidden: bool = True) -> list[str]:
        return self.store.graphs(include_hidden=include_hidden)


def term_from_json(binding: dict[str, str]) -> Term:
    """A term from a SPARQL 1.1 JSON results binding."""
    kind = binding["type"]
    if kind == "uri":
        return IRI(binding["value"])
    if kind == "bnode":
        return IRI("_:" + binding["value"])
    return Literal(binding["value"], binding.get("datatype"), binding.get("xml:lang"))
