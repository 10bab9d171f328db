"""The one configuration object of cbkg (environment variables ``CBKG_*`` or a ``.env`` file)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ontology.namespaces import DEFAULT_BASE

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """cbkg settings.

    ``store`` selects the triple store: ``oxigraph:PATH`` (embedded, on disk; the default),
    ``memory`` (embedded, in memory: tests), or ``sparql:QUERY_URL[,UPDATE_URL[,GSP_URL]]`` (remote).
    """

    model_config = SettingsConfigDict(env_prefix="CBKG_", env_file=".env", extra="ignore")

    base_iri: str = Field(DEFAULT_BASE, description="Base IRI of minted resources (ends with '/').")
    store: str = Field("oxigraph:var/store", description="oxigraph:PATH | memory | sparql:QUERY[,UPDATE[,GSP]]")
    workers: int = Field(2, ge=1, description="Processes used to parse and map sources, and to validate.")
    validation_engine: str = Field("fast", description="fast (SHACL compiled to SPARQL) | pyshacl")
    # remote stores (issue: remote stores)
    remote_auth: str = Field("basic", description="basic | digest | bearer (with remote_token)")
    remote_state: Path = Field(PROJECT_ROOT / "var" / "remote-state", description="Local state of a remote store.")
    remote_graph_param: str = Field("graph", description="Graph Store Protocol parameter name (Virtuoso: graph-uri).")
    remote_user: str | None = None
    remote_password: str | None = None
    remote_token: str | None = None
    remote_timeout: float = 60.0
    remote_retries: int = 3
    remote_chunk_triples: int = 200_000
    # serving
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = Field(
        None,
        description="Public URL of the server (ends with '/'), advertised in the service description and VoID and "
        "used as the base of relative IRIs in queries; default http://{host}:{port}/. "
        "The Host header is never trusted.",
    )
    query_timeout: float = Field(30.0, description="Seconds before a SPARQL query is cancelled.")
    max_results: int = Field(100_000, description="Result rows/triples cap of the SPARQL endpoint.")
    max_result_bytes: int = Field(
        64 * 1024 * 1024, ge=1024, description="Result size cap of the SPARQL endpoint (bytes, as serialised)."
    )
    inline_result_bytes: int = Field(
        8 * 1024 * 1024,
        ge=0,
        description="Results up to this size are sent whole (a cap exceeded gives a clean error); larger ones are "
        "streamed, and a cap exceeded mid-stream aborts the response.",
    )
    server_processes: int = Field(
        1,
        ge=1,
        description="Processes of `cbkg serve` sharing its port (uvicorn workers); each has its own query workers, "
        "caches and memory copies.",
    )
    query_workers: int = Field(2, ge=1, description="Processes answering user SPARQL queries (per server process).")
    query_memory_mb: int | None = Field(
        4096, ge=256, description="Address-space limit of each query worker (MB); None for no limit."
    )
    query_memory_copy: bool = Field(
        True,
        description="General query workers answer from an in-memory copy of the published generation (built in "
        "the background after a start or a load, about 400 bytes per triple; RocksDB until then).",
    )
    query_memory_copy_max_triples: int = Field(
        8_000_000, ge=0, description="Generations with more live triples are read from disk (0: no limit)."
    )
    max_body_bytes: int = Field(1_000_000, description="Largest accepted request body.")
    allow_service: bool = Field(False, description="Allow SERVICE (federation) in user queries.")
    lookup_cache: int = Field(
        2048, ge=0, description="Answers of REST/page/IRI lookups kept per store generation (0: none)."
    )

    def public_base(self) -> str:
        """The server's public URL, ending with '/' (``public_url``, else ``http://{host}:{port}/``)."""
        url = self.public_url or f"http://{self.host}:{self.port}/"
        return url if url.endswith("/") else url + "/"

    def remote_state_path(self) -> Path:
        """Where a remote store keeps hidden graphs and snapshots."""
        return self.remote_state if self.remote_state.is_absolute() else PROJECT_ROOT / self.remote_state

    def dumps_path(self) -> Path | None:
        """Where bulk dumps are written: beside the embedded store, or in a remote store's state directory."""
        sp = self.store_path()
        if sp is not None:
            return sp.parent / "dumps"
        if self.store.startswith("sparql:"):
            return self.remote_state_path() / "dumps"
        return None

    def store_path(self) -> Path | None:
        """The directory of the embedded on-disk store, or None for memory/remote stores."""
        if self.store.startswith("oxigraph:"):
            p = Path(self.store.removeprefix("oxigraph:"))
            return p if p.is_absolute() else PROJECT_ROOT / p
        return None
