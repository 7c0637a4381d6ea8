"""Bad input is refused with a 4xx naming the problem, and nothing of it is stored."""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import AsyncIterator

import httpx
import orjson
import pytest
from redis.asyncio import Redis

from core.streams import REPORTS_STREAM
from tests.ingestion.helpers import Agent, minimal_payload, statusmonitor_v1_payload

MB = 1024 * 1024


async def _refused(
    ingest: httpx.AsyncClient, redis: Redis, response: httpx.Response, status: int
) -> str:
    assert response.status_code == status, response.text
    assert await redis.xlen(REPORTS_STREAM) == 0
    detail: str = response.json()["detail"]
    return detail


async def test_body_over_one_megabyte_is_refused_with_413(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    padded = minimal_payload(padding="x" * (2 * MB))
    response = await ingest.post("/ingest", headers=agent.headers, json=padded)
    assert "too large" in await _refused(ingest, redis, response, 413)


async def test_streamed_body_without_length_is_cut_off_at_the_limit(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(40):
            yield b"x" * 64 * 1024

    response = await ingest.post("/ingest", headers=agent.headers, content=chunks())
    await _refused(ingest, redis, response, 413)


async def test_gzip_bomb_is_refused_with_413(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    # 1 KB on the wire that would inflate to 100 MB.
    bomb = orjson.dumps(minimal_payload())[:-1] + b', "pad": "' + b" " * (100 * MB) + b'"}'
    compressed = gzip.compress(bomb, compresslevel=9)
    assert len(compressed) < 200 * 1024
    headers = {**agent.headers, "Content-Encoding": "gzip"}
    response = await ingest.post("/ingest", headers=headers, content=compressed)
    assert "decompressed" in await _refused(ingest, redis, response, 413)


async def test_corrupt_gzip_is_refused_with_400(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    headers = {**agent.headers, "Content-Encoding": "gzip"}
    body = gzip.compress(orjson.dumps(statusmonitor_v1_payload()))
    for broken in (b"not gzip at all", body[: len(body) // 2]):
        response = await ingest.post("/ingest", headers=headers, content=broken)
        assert "gzip" in await _refused(ingest, redis, response, 400)
    deflated = zlib.compress(orjson.dumps(statusmonitor_v1_payload()))
    response = await ingest.post(
        "/ingest", headers={**agent.headers, "Content-Encoding": "br"}, content=deflated
    )
    await _refused(ingest, redis, response, 415)


async def test_invalid_json_is_refused_with_400(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    response = await ingest.post("/ingest", headers=agent.headers, content=b'{"cpu": {"percent": ')
    assert "invalid JSON" in await _refused(ingest, redis, response, 400)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"cpu": {"percent": "high"}, "memory": {"percent": 1}}', "$.cpu.percent"),
        (b'{"cpu": {"percent": 101}, "memory": {"percent": 1}}', "<= 100"),
        (b'{"cpu": {"percent": -1}, "memory": {"percent": 1}}', ">= 0"),
        (b'{"cpu": {"percent": 1}, "memory": {"percent": 1}, "disk": {"percent": 100.5}}',
         "$.disk.percent"),
        (b'{"memory": {"percent": 1}}', "missing required field `cpu`"),
        (b'{"cpu": {"percent": NaN}, "memory": {"percent": 1}}', "NaN and Infinity"),
        (b'{"cpu": {"percent": 1}, "memory": {"percent": Infinity}}', "NaN and Infinity"),
        (b'{"cpu": {"percent": 1}, "memory": {"percent": 1}, "temperatures": {"x": -Infinity}}',
         "NaN and Infinity"),
        (b'{"cpu": {"percent": 1}, "memory": {"percent": 1}, "temperatures": {"x": 1e999}}',
         "NaN and Infinity"),
    ],
)  # fmt: skip
async def test_wrong_types_ranges_and_non_finite_numbers_are_refused_with_422(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis, body: bytes, expected: str
) -> None:
    response = await ingest.post("/ingest", headers=agent.headers, content=body)
    assert expected in await _refused(ingest, redis, response, 422)


@pytest.mark.parametrize(("offset", "expected"), [(600, "in the future"), (8 * 86400, "days old")])
async def test_timestamps_out_of_the_storable_window_are_refused_with_422(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis, offset: float, expected: str
) -> None:
    ts = time.time() + offset if expected == "in the future" else time.time() - offset
    response = await ingest.post(
        "/ingest", headers=agent.headers, json=minimal_payload(timestamp=ts)
    )
    detail = await _refused(ingest, redis, response, 422)
    assert "$.timestamp" in detail and expected in detail


async def test_garbage_timestamp_string_is_refused_with_422(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    payload = minimal_payload(timestamp="yesterday")
    response = await ingest.post("/ingest", headers=agent.headers, json=payload)
    assert "ISO 8601" in await _refused(ingest, redis, response, 422)


async def test_oversized_batch_is_refused(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    batch = {"reports": [minimal_payload() for _ in range(1001)]}
    response = await ingest.post("/ingest/batch", headers=agent.headers, json=batch)
    assert "length <= 1000" in await _refused(ingest, redis, response, 422)
    response = await ingest.post("/ingest/batch", headers=agent.headers, json={"reports": []})
    await _refused(ingest, redis, response, 422)
