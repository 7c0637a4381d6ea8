"""The VictoriaMetrics HTTP API as the history service uses it: write lines, run PromQL."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import httpx
import orjson

from core.errors import DomainError

# Samples keep millisecond timestamps; identical (series, timestamp) pairs written twice are
# stored once thanks to -dedup.minScrapeInterval=1ms, which makes replays after a crash safe.
WRITE_PATH = "/api/v2/write"
WRITE_PARAMS = {"precision": "ms"}
START_TIME_METRICS = ("vm_app_start_timestamp", "process_start_time_seconds")

Series = dict[str, Any]  # {"metric": {label: value}, "values": [[ts, "v"], ...]} or "value"


class TsdbUnavailable(DomainError):
    """VictoriaMetrics cannot be reached or failed; the caller may retry later."""

    status_code = 503

    def __init__(self, detail: str) -> None:
        super().__init__(f"the history store is unavailable: {detail}", {"Retry-After": "5"})


class TsdbRejected(Exception):
    """VictoriaMetrics refused a request as invalid (4xx): retrying it unchanged cannot help."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"VictoriaMetrics answered {status}: {body[:300]}")
        self.status = status


class VictoriaMetrics:
    def __init__(self, client: httpx.AsyncClient, base_url: str) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")

    async def write(self, lines: Sequence[str]) -> None:
        body = "\n".join(lines).encode()
        await self._request("POST", WRITE_PATH, params=WRITE_PARAMS, content=body)

    async def query_range(self, query: str, start: int, end: int, step: int) -> list[Series]:
        params = {"query": query, "start": start, "end": end, "step": f"{step}s"}
        return await self._query("/api/v1/query_range", params)

    async def query(self, query: str, at: int) -> list[Series]:
        return await self._query("/api/v1/query", {"query": query, "time": at})

    async def label_values(self, label: str, match: str, start: int, end: int) -> list[str]:
        params = {"match[]": match, "start": start, "end": end}
        response = await self._request("GET", f"/api/v1/label/{label}/values", params=params)
        values: list[str] = orjson.loads(response.content)["data"]
        return values

    async def health(self) -> None:
        await self._request("GET", "/health")

    async def start_time(self) -> str:
        """When this VictoriaMetrics process started (its own metric): a restart changes it."""
        response = await self._request("GET", "/metrics")
        for line in response.text.splitlines():
            name, _, value = line.partition(" ")
            if name in START_TIME_METRICS:
                return value.strip()
        return "unknown"  # not VictoriaMetrics: restarts go unnoticed

    async def _query(self, path: str, params: dict[str, Any]) -> list[Series]:
        # POST keeps long queries out of URLs (and access logs); VictoriaMetrics accepts both.
        response = await self._request("POST", path, data=params)
        result: list[Series] = orjson.loads(response.content)["data"]["result"]
        return result

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self.client.request(method, f"{self.base_url}{path}", **kwargs)
        except httpx.HTTPError as exc:
            raise TsdbUnavailable(type(exc).__name__) from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise TsdbUnavailable(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise TsdbRejected(response.status_code, response.text)
        return response


def create_client(timeout: float) -> httpx.AsyncClient:
    # httpx logs every request at INFO: one line per write or query would drown the logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # trust_env=False: an HTTP(S)_PROXY meant for the outside world must not capture the store.
    return httpx.AsyncClient(
        timeout=timeout, trust_env=False, limits=httpx.Limits(max_keepalive_connections=20)
    )
