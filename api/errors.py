"""The one table mapping domain errors to HTTP status codes (JSON errors carry a code and a message)."""

from __future__ import annotations

import logging
import secrets

from fastapi import Request
from fastapi.responses import JSONResponse

from graph.prepared import BadParameter
from graph.store import QueryError, QueryTimeout, ResultTooLarge, ServiceRefused, StoreError, UpdateRefused
from loaders.base import LoaderError

from .executor import Busy, QueryTooExpensive, WorkerCrashed


class ApiError(Exception):
    """An error raised by the web layer itself (bad parameter, not found, not acceptable …)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class Forbidden(ApiError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(403, code, message)


class NotFound(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(404, "not-found", message)


class NotAcceptable(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(406, "not-acceptable", message)


class BadRequest(ApiError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(400, code, message)


# domain error class → (HTTP status, error code)
STATUS: dict[type[Exception], tuple[int, str]] = {
    QueryError: (400, "malformed-query"),
    BadParameter: (400, "bad-parameter"),
    ResultTooLarge: (422, "result-too-large"),
    QueryTimeout: (503, "query-timeout"),
    Busy: (503, "busy"),
    QueryTooExpensive: (503, "query-too-expensive"),
    UpdateRefused: (403, "read-only"),
    ServiceRefused: (403, "service-disabled"),
    WorkerCrashed: (500, "worker-crashed"),
    LoaderError: (400, "bad-source"),
    StoreError: (500, "store-error"),
}


def status_of(exc: Exception) -> tuple[int, str]:
    """HTTP status and error code of a domain error (most specific class wins)."""
    if isinstance(exc, ApiError):
        return exc.status, exc.code
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500, "internal-error"


PRIVATE_CODES = frozenset({"store-error", "internal-error"})
"""Errors whose text may name internal hosts, paths or credentials: logged, never shown to clients."""
log = logging.getLogger("cbkg.api")


def error_response(exc: Exception, headers: dict[str, str] | None = None) -> JSONResponse:
    status, code = status_of(exc)
    message = exc.message if isinstance(exc, ApiError) else str(exc)
    if code in PRIVATE_CODES:
        incident = secrets.token_hex(4)
        log.error("incident %s: %s: %s", incident, type(exc).__name__, message, exc_info=exc)
        message = f"the server failed to answer (incident {incident}; the details are in the server log)"
    extra = dict(headers or {})
    if status == 503:
        extra.setdefault("Retry-After", "5")
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=extra)


async def handle(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI exception handler for domain and API errors."""
    return error_response(exc)
