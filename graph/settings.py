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
    data_dir: Path = Field(PROJECT_ROOT / "data", description="Bundled source files.")
    workers: int = Field(2, ge=1, description="Processes used to parse and map sources, and to validate.")
    validation_engine: str = Field("fast", description="fast (SHACL compiled to SPARQL) | pyshacl")
    # remote stores (issue: remote stores)
    remote_user: str | None = None
    remote_password: str | None = None
    remote_token: str | None = None
    remote_timeout: float = 60.0
    remote_retries: int = 3
    remote_chunk_triples: int = 200_000
    # serving
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = Field(30.0, description="Seconds before a SPARQL query is cancelled.")
    max_results: int = Field(100_000, description="Result rows/triples cap of the SPARQL endpoint.")
    query_workers: int = Field(2, ge=1, description="Processes answering user SPARQL queries.")
    max_body_bytes: int = Field(1_000_000, description="Largest accepted request body.")
    allow_service: bool = Field(False, description="Allow SERVICE (federation) in user queries.")

    def store_path(self) -> Path | None:
        """The directory of the embedded on-disk store, or None for memory/remote stores."""
        if self.store.startswith("oxigraph:"):
            p = Path(self.store.removeprefix("oxigraph:"))
            return p if p.is_absolute() else PROJECT_ROOT / p
        return None
