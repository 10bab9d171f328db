"""Remote store: any SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, GraphDB, Neptune …).

* Queries go through SPARQLWrapper (SPARQL 1.1 Protocol, POST), with the configured timeout, and retries
  with exponential backoff on connection errors (never on answers: a 4xx/5xx is reported, not retried).
* Graph replacement uses the SPARQL 1.1 Graph Store HTTP Protocol: ``PUT`` the first chunk (replaces the
  graph) then ``POST`` the others, ``DELETE`` to drop; without a GSP URL it falls back to SPARQL Update
  (``DROP SILENT GRAPH`` + ``INSERT DATA`` per chunk).  Chunks have ``remote_chunk_triples`` triples.
* Auth: basic, digest or bearer token from the settings.
* Hidden graphs (per-source declarations) and a snapshot of every loaded graph are kept in a local state
  directory, not on the server: the server's union default graph then contains exactly the live graphs, and
  validation can read the snapshots.  One cbkg instance should load into a given server.

Atomicity: each graph replacement is as atomic as the server makes a GSP ``PUT`` (Oxigraph: yes, per graph;
Virtuoso: per request); a load of several files is *not* atomic across graphs (see docs/remote-stores.md).
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import shutil
import time
import urllib.error
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast

import httpx
import pyoxigraph as ox
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, EndPointNotFound, QueryBadFormed, Unauthorized

from ontology.iri import short_hash
from ontology.terms import IRI, Triple

from . import results
from .oxistore import GraphFile, _count_lines, _scan, to_term
from .prepared import NTriples, canned, prepare
from .settings import Settings
from .store import (
    GraphSource,
    QueryError,
    QueryTimeout,
    ResultTooLarge,
    SelectResult,
    Store,
    StoreError,
    lex,
    term_from_json,
)

_T = TypeVar("_T")


class RemoteStore(Store):
    """A SPARQL 1.1 Protocol server behind the store interface (see the module docstring)."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        *,
        base: str,
        state_dir: Path,
        auth: str = "basic",
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        timeout: float = 60.0,
        retries: int = 3,
        chunk_triples: int = 200_000,
        read_only: bool = False,
        graph_param: str = "graph",
    ) -> None:
        self.base = base if base.endswith("/") else base + "/"
        self.query_url = query_url
        self.update_url = update_url
        self.gsp_url = gsp_url
        self.auth = auth
        self.user, self.password, self.token = user, password, token
        self.timeout = timeout
        self.retries = retries
        self.chunk_triples = chunk_triples
        self.read_only = read_only
        self.graph_param = graph_param
        self.state_dir = state_dir
        (state_dir / "graphs").mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_settings(cls, settings: Settings, *, read_only: bool = False) -> RemoteStore:
        urls = [u.strip() for u in settings.store.removeprefix("sparql:").split(",")]
        query = urls[0]
        update = urls[1] if len(urls) > 1 and urls[1] else None
        gsp = urls[2] if len(urls) > 2 and urls[2] else None
        return cls(
            query,
            update,
            gsp,
            base=settings.base_iri,
            state_dir=settings.remote_state_path(),
            auth=settings.remote_auth,
            user=settings.remote_user,
            password=settings.remote_password,
            token=settings.remote_token,
            timeout=settings.remote_timeout,
            retries=settings.remote_retries,
            chunk_triples=settings.remote_chunk_triples,
            read_only=read_only,
            graph_param=settings.remote_graph_param,
        )

    # -- protocol plumbing ---------------------------------------------------------------------------
    def _wrapper(
        self,
        query: str,
        accept: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        timeout: float | None = None,
    ) -> SPARQLWrapper:
        w = SPARQLWrapper(self.query_url)
        w.setMethod(POST)
        # Form-encoded POST: every SPARQL 1.1 server accepts it (Virtuoso 7.2 never answers a direct POST).
        w.setRequestMethod(URLENCODED)
        w.setQuery(query)
        w.setOnlyConneg(True)
        w.addCustomHttpHeader("Accept", accept)
        w.setTimeout(int(timeout or self.timeout))
        for g in default_graphs or []:
            w.addParameter("default-graph-uri", g)
        for g in named_graphs or []:
            w.addParameter("named-graph-uri", g)
        if self.token:
            w.addCustomHttpHeader("Authorization", f"Bearer {self.token}")
        elif self.user:
            w.setHTTPAuth("DIGEST" if self.auth == "digest" else "BASIC")
            w.setCredentials(self.user, self.password or "")
        return w

    def _retry(self, fn: Callable[[], _T]) -> _T:
        delay = 0.5
        for attempt in range(self.retries + 1):
            try:
                return fn()
            except (urllib.error.URLError, OSError, httpx.TransportError) as exc:
                if isinstance(exc, urllib.error.HTTPError):
                    raise
                reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
                if isinstance(reason, TimeoutError | httpx.TimeoutException) or "timed out" in str(exc).lower():
                    raise QueryTimeout(f"the SPARQL server did not answer within {self.timeout:g} s") from exc
                if attempt == self.retries:
                    raise StoreError(redact(f"cannot reach {self.query_url}: {exc}")) from exc
                time.sleep(delay)
                delay *= 2
        raise StoreError("unreachable")  # pragma: no cover

    def _query_bytes(
        self,
        query: str,
        accept: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        timeout: float | None = None,
        limit: int | None = None,
    ) -> bytes:
        def run() -> bytes:
            try:
                with warnings.catch_warnings():  # SPARQLWrapper guesses the query form; the server decides
                    warnings.simplefilter("ignore", RuntimeWarning)
                    w = self._wrapper(query, accept, default_graphs, named_graphs, timeout)
                    response = w.query().response
                    if limit is None:
                        return response.read()
                    data = response.read(limit + 1)
                    if len(data) > limit:
                        raise ResultTooLarge(
                            f"the SPARQL server's answer is larger than {limit:,} bytes; "
                            "add a LIMIT or narrow the query"
                        )
                    return data
            except QueryBadFormed as exc:
                raise QueryError(_short(exc)) from exc
            except Unauthorized as exc:
                raise StoreError("the SPARQL server refused the credentials") from exc
            except (EndPointNotFound, EndPointInternalError) as exc:
                raise StoreError(_short(exc)) from exc
            except urllib.error.HTTPError as exc:
                raise StoreError(redact(f"HTTP {exc.code} from the SPARQL server: {exc.read()[:300]!r}")) from exc

        return self._retry(run)

    def _http(self) -> httpx.Client:
        auth: httpx.Auth | None = None
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.user:
            auth = (httpx.DigestAuth if self.auth == "digest" else httpx.BasicAuth)(self.user, self.password or "")
        return httpx.Client(auth=auth, headers=headers, timeout=self.timeout)

    # -- reads ---------------------------------------------------------------------------------------
    def select(self, query: str, *, timeout: float | None = None, include_hidden: bool = False) -> SelectResult:
        doc = _results_json(self._query_bytes(query, "application/sparql-results+json", timeout=timeout))
        if "boolean" in doc:
            raise QueryError("not a SELECT query")
        variables = list(doc.get("head", {}).get("vars", []))
        rows = [{v: term_from_json(b) for v, b in row.items()} for row in doc.get("results", {}).get("bindings", [])]
        return SelectResult(variables, rows)

    def ask(self, query: str, *, timeout: float | None = None) -> bool:
        return bool(
            _results_json(self._query_bytes(query, "application/sparql-results+json", timeout=timeout)).get("boolean")
        )

    def construct(self, query: str, *, timeout: float | None = None) -> list[Triple]:
        data = self._query_bytes(query, "application/n-triples", timeout=timeout)
        return [
            (IRI(to_term(t.subject)), IRI(to_term(t.predicate)), to_term(t.object))
            for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        ]

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
        """Stream a query's result, with the dataset rules of :meth:`Store.query_stream` enforced here.

        A server with a union default graph may ignore ``FROM`` (Oxigraph server does), so a query's own
        dataset clause is sent as the protocol dataset, which every server honours.  Relative IRIs and
        predeclared prefixes are resolved by a ``BASE`` and ``PREFIX`` prologue put before the query.  At most
        ``max_bytes`` (times 4, for the exchange format) are read from the server."""
        from .sparqlutil import QUERY_FORMS, scan, with_prologue

        facts = scan(query)
        if facts.form not in QUERY_FORMS:
            raise QueryError("expected a SPARQL query: SELECT, ASK, CONSTRUCT or DESCRIBE after the prologue")
        if default_graphs is None and named_graphs is None and facts.has_dataset:
            if facts.dataset_error:
                raise QueryError(facts.dataset_error)
            default_graphs, named_graphs = facts.from_graphs, facts.from_named
        elif default_graphs is not None or named_graphs is not None:
            default_graphs, named_graphs = default_graphs or [], named_graphs or []
        text = with_prologue(query, base_iri, prefixes)
        limit = max_bytes * 4 if max_bytes else None
        if facts.form in ("CONSTRUCT", "DESCRIBE"):
            data = self._query_bytes(text, "application/n-triples", default_graphs, named_graphs, timeout, limit)
            triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
            return results.serialize_iter(_Triples(triples), media_type, max_results=max_results, max_bytes=max_bytes)
        doc = _results_json(
            self._query_bytes(text, "application/sparql-results+json", default_graphs, named_graphs, timeout, limit)
        )
        res = ox.parse_query_results(json.dumps(doc).encode("utf-8"), format=ox.QueryResultsFormat.JSON)
        return results.serialize_iter(res, media_type, max_results=max_results, max_bytes=max_bytes)

    # -- local state (hidden graphs, snapshots) ---------------------------------------------------------
    def _index(self) -> dict[str, GraphFile]:
        p = self.state_dir / "graphs" / "index.json"
        if not p.exists():
            return {}
        return {g: GraphFile(**v) for g, v in json.loads(p.read_text(encoding="utf-8")).items()}

    def _write_index(self, index: dict[str, GraphFile]) -> None:
        p = self.state_dir / "graphs" / "index.json"
        tmp = p.with_suffix(".tmp")
        tmp.write_text(json.dumps({g: vars(f) for g, f in sorted(index.items())}, ensure_ascii=False, indent=1))
        tmp.replace(p)

    def graphs(self, *, include_hidden: bool = False) -> list[str]:
        return sorted(g for g, f in self._index().items() if include_hidden or f.live)

    def graph_files(self, *, include_hidden: bool = False) -> dict[str, Path]:
        """Local snapshots of the graphs this instance loaded (for dumps and in-memory validation)."""
        return {g: self.state_dir / "graphs" / f.file for g, f in self._index().items() if include_hidden or f.live}

    def graph_predicates(self) -> dict[str, set[str]]:
        return {g: set(f.predicates) for g, f in self._index().items()}

    @property
    def generation(self) -> str | None:
        p = self.state_dir / "graphs" / "index.json"
        return "remote-" + hashlib.sha256(p.read_bytes()).hexdigest()[:12] if p.exists() else None

    def count(self, graph: str | None = None) -> int:
        index = self._index()
        if graph is not None:
            return index[graph].triples if graph in index else 0
        return sum(f.triples for f in index.values() if f.live)

    def server_count(self, graph: str) -> int:
        """Triples of a graph as the server counts them."""
        res = self.select(prepare(canned("graph-count"), graph=IRI(graph)))
        return int(lex(res.rows[0]["n"]))

    def dump_graph(self, graph: str) -> bytes:
        f = self._index().get(graph)
        return (self.state_dir / "graphs" / f.file).read_bytes() if f else b""

    def read_aux(self, name: str) -> bytes | None:
        p = self.state_dir / "graphs" / ("aux-" + name)
        return p.read_bytes() if p.exists() else None

    # -- writes --------------------------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("store opened read-only")
        if not (self.gsp_url or self.update_url):
            raise StoreError("no update or Graph Store URL configured: sparql:QUERY_URL,UPDATE_URL[,GSP_URL]")

    def _gsp(self, method: str, graph: str, body: bytes | None = None) -> None:
        url = self.gsp_url
        assert url is not None
        params = {self.graph_param: graph}
        headers = {"Content-Type": "application/n-triples"} if body is not None else {}

        def run() -> None:
            with self._http() as client:
                r = client.request(method, url, params=params, content=body, headers=headers)
            if method == "DELETE" and r.status_code == 404:
                return
            if r.status_code >= 400:
                raise StoreError(redact(f"Graph Store {method} {graph}: HTTP {r.status_code} {r.text[:300]}"))

        self._retry(run)

    def _update(self, text: str) -> None:
        url = self.update_url
        assert url is not None

        def run() -> None:
            with self._http() as client:
                r = client.post(
                    url,
                    content=text.encode("utf-8"),
                    headers={"Content-Type": "application/sparql-update"},
                )
            if r.status_code >= 400:
                raise StoreError(redact(f"SPARQL Update: HTTP {r.status_code} {r.text[:300]}"))

        self._retry(run)

    def _drop_remote(self, graph: str) -> None:
        if self.gsp_url:
            self._gsp("DELETE", graph)
        else:
            self._update(prepare(canned("drop-graph"), graph=IRI(graph)))

    def _upload(self, graph: str, path: Path, *, replace: bool) -> None:
        """Send the triples of ``path`` to ``graph`` in chunks: the first chunk replaces the graph's content if
        ``replace``, every other chunk is added to it."""
        first = replace
        for chunk in _chunks(path, self.chunk_triples):
            if self.gsp_url:
                self._gsp("PUT" if first else "POST", graph, chunk)
            else:
                if first:
                    self._update(prepare(canned("drop-graph"), graph=IRI(graph)))
                data = NTriples(chunk.decode("utf-8"))
                self._update(prepare(canned("insert-data"), graph=IRI(graph), triples=data))
            first = False

    def replace_graphs(self, updates: Mapping[str, GraphSource]) -> None:
        with self.transaction() as tx:
            tx.replace_graphs(updates)

    def load_file(self, graph: str, path: Path) -> None:
        with self.transaction() as tx:
            tx.load_graph(graph, path)

    @contextmanager
    def transaction(self) -> Iterator[RemoteTransaction]:
        """Changes applied to the server as they are made (no isolation); the local index is saved at the end."""
        self._check_writable()
        tx = RemoteTransaction(self, self._index())
        try:
            yield tx
        finally:
            self._write_index(tx.index)

    def dump(self, out: BinaryIO, media_type: str, *, graph: str | None = None) -> None:
        files = self.graph_files()
        paths = [files[graph]] if graph is not None and graph in files else list(files.values())
        fmt = results.rdf_format(media_type)
        triples = (t for p in paths for t in ox.parse(path=str(p), format=ox.RdfFormat.N_TRIPLES))
        ox.serialize(triples, out, fmt)


class RemoteTransaction:
    """Changes to a remote store (applied immediately) plus the local index of graphs and snapshots."""

    def __init__(self, store: RemoteStore, index: dict[str, GraphFile]) -> None:
        self.store = store
        self.index = index

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        for g in graphs:
            f = self.index.pop(g, None)
            if self.store.is_live(g):
                self.store._drop_remote(g)
            if f is not None:
                (self.store.state_dir / "graphs" / f.file).unlink(missing_ok=True)

    def load_graph(
        self,
        graph: str,
        path: Path,
        predicates: Iterable[str] | None = None,
        *,
        triples: int | None = None,
        move: bool = False,
    ) -> None:
        live = self.store.is_live(graph)
        if predicates is None:
            n, preds = _scan(path)
        else:
            preds = set(predicates)
            n = triples if triples is not None else _count_lines(path)
        existing = self.index.get(graph)
        if live:  # a graph loaded in parts: the first part replaces it on the server, the others add to it
            self.store._upload(graph, path, replace=existing is None)
        name = "g-" + short_hash(graph, length=20) + ".nt"
        target = self.store.state_dir / "graphs" / name
        if existing is None:
            shutil.copyfile(path, target)
            self.index[graph] = GraphFile(name, live, n, sorted(preds))
        else:
            with target.open("ab") as out, path.open("rb") as src:
                shutil.copyfileobj(src, out)
            existing.triples += n
            existing.predicates = sorted(set(existing.predicates) | preds)

    def replace_graphs(self, updates: Mapping[str, GraphSource]) -> None:
        self.drop_graphs(updates)
        for g, src in updates.items():
            if src is not None:
                self.load_graph(g, src)

    def dump_graph(self, graph: str) -> bytes:
        f = self.index.get(graph)
        return (self.store.state_dir / "graphs" / f.file).read_bytes() if f else b""

    def select(self, query: str) -> SelectResult:
        return self.store.select(query)

    def graphs(self, *, include_hidden: bool = True) -> list[str]:
        return sorted(g for g, f in self.index.items() if include_hidden or f.live)

    def write_aux(self, name: str, data: bytes) -> None:
        (self.store.state_dir / "graphs" / ("aux-" + name)).write_bytes(data)


class _Triples:
    """Adapter so graph results parsed from N-Triples serialise like pyoxigraph QueryTriples."""

    def __init__(self, it: Iterable[ox.Triple]) -> None:
        self.it = it

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self.it)


def _chunks(path: Path, size: int) -> Iterator[bytes]:
    buf: list[bytes] = []
    with path.open("rb") as fh:
        for line in fh:
            buf.append(line)
            if len(buf) >= size:
                yield b"".join(buf)
                buf.clear()
    if buf:
        yield b"".join(buf)


def _results_json(data: bytes) -> dict[str, Any]:
    """SPARQL JSON results, normalised across servers: Virtuoso's ``nodeID://b1`` blank nodes and
    ``typed-literal`` bindings become standard ones."""
    try:
        doc = json.loads(data)
    except ValueError as exc:
        raise StoreError(f"unreadable SPARQL results: {exc}: {data[:200]!r}") from exc
    for row in doc.get("results", {}).get("bindings", []):
        for b in row.values():
            if b.get("type") == "bnode":
                b["value"] = _BNODE_UNSAFE.sub("_", b["value"].removeprefix("nodeID://"))
            elif b.get("type") == "typed-literal":
                b["type"] = "literal"
    return cast(dict[str, Any], doc)


_BNODE_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@")


def redact(text: str) -> str:
    """``text`` with the user name and password of every URL in it masked."""
    return _USERINFO.sub(r"\1***@", text)


def _short(exc: Exception) -> str:
    text = redact(str(exc))
    if "Response:" not in text:
        return text[:500]
    tail = text.split("Response:", 1)[-1].strip()
    if tail.startswith(("b'", 'b"')):
        try:
            tail = ast.literal_eval(tail).decode("utf-8", "replace")
        except (ValueError, SyntaxError):
            pass
    return tail.strip()[:500]


__all__ = ["RemoteStore", "redact"]
