"""HTTP to the ingestion service: one keep-alive client, gzip bodies, answers sorted by meaning."""

from __future__ import annotations

import enum
import math
import ssl
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

from agent_service import __version__

TIMEOUT_S = 10.0
RETRY_AFTER_CAP_S = 3600.0  # a server asking for more is treated as asking for an hour


class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    RETRY = "retry"  # unreachable, 5xx, 408, 429: keep the reports and try later
    UNAUTHORIZED = "unauthorized"  # 401: the token is wrong, expired or revoked
    NOT_FOUND = "not found"  # 404: an old server without /ingest/batch, or a wrong URL
    TOO_LARGE = "too large"  # 413: split the batch
    REJECTED = "rejected"  # any other 4xx: the server will never take these reports


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    detail: str  # the status and the server's explanation, for the log
    retry_after: float | None = None


class Sender:
    def __init__(self, server_url: str, token: str, timeout: float = TIMEOUT_S) -> None:
        self._client = httpx.AsyncClient(
            base_url=server_url,
            timeout=timeout,
            verify=_tls_context(server_url),
            headers={
                "X-Agent-Token": token,
                "Content-Type": "application/json",
                "Content-Encoding": "gzip",
                "User-Agent": f"statusmonitor-agent/{__version__}",
            },
        )

    async def post_report(self, gzipped_json: bytes) -> Answer:
        return await self._post("/ingest", gzipped_json)

    async def post_batch(self, gzipped_json: bytes) -> Answer:
        return await self._post("/ingest/batch", gzipped_json)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _post(self, path: str, body: bytes) -> Answer:
        try:
            response = await self._client.post(path, content=body)
        except httpx.HTTPError as exc:  # connection refused, reset, timeout...
            return Answer(Outcome.RETRY, f"{type(exc).__name__}: {exc or 'no detail'}")
        return _classify(response)


def _tls_context(server_url: str) -> ssl.SSLContext:
    """The host's trust store for https (it holds an in-house CA if the admin installed one).

    A plain-http server needs no CA bundle at all: loading one would cost over 1 MB of the
    agent's memory budget. That context still verifies, so it would refuse any TLS peer.
    """
    if server_url.startswith("https://"):
        return ssl.create_default_context()
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _classify(response: httpx.Response) -> Answer:
    status = response.status_code
    if 200 <= status < 300:
        return Answer(Outcome.ACCEPTED, str(status))
    detail = f"{status} {response.text[:300].strip()}"
    if status == 401:
        return Answer(Outcome.UNAUTHORIZED, detail)
    if status == 404:
        return Answer(Outcome.NOT_FOUND, detail)
    if status == 413:
        return Answer(Outcome.TOO_LARGE, detail)
    if status in (408, 429) or status >= 500:
        return Answer(Outcome.RETRY, detail, _retry_after(response.headers.get("Retry-After")))
    return Answer(Outcome.REJECTED, detail)


def _retry_after(value: str | None) -> float | None:
    """Retry-After in delta-seconds or as an HTTP date (RFC 9110 allows both)."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP_S)
