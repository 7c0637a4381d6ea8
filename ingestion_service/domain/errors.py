"""The ingestion answers core.errors does not have: 413, 415 and 503 with Retry-After."""

from __future__ import annotations

from core.errors import DomainError


class PayloadTooLarge(DomainError):
    status_code = 413


class UnsupportedMediaType(DomainError):
    status_code = 415


class ServiceUnavailable(DomainError):
    """Redis or PostgreSQL is unreachable: the agent keeps the report and retries later."""

    status_code = 503

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, {"Retry-After": str(retry_after)})
