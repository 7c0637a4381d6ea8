"""Redis has a memory ceiling that never evicts, and ingestion answers a full Redis with 503
and Retry-After (the agent keeps the report and retries), never a 500 or a silent loss."""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import OutOfMemoryError

from core.dev.datastores import RedisServer
from core.settings import Settings
from harness.clients import asgi_client
from harness.datastores import Datastores
from harness.factories import Agent
from ingestion_service.app import create_app
from tests.ingestion.helpers import minimal_payload


async def test_the_test_and_make_run_redis_never_evicts(
    datastores: Datastores, redis: Redis
) -> None:
    config = await redis.config_get("maxmemory*")
    assert config["maxmemory-policy"] == "noeviction"
    assert config["maxmemory"] == str(1024**3)  # core.bounds.DEFAULT_REDIS_MAXMEMORY


async def _fill(redis: Redis) -> None:
    """Writes ever smaller values until Redis refuses even a tiny one: it is past its ceiling
    (a big write is refused while its own bytes are counted, a small one is not)."""
    names = itertools.count()
    for size in (256 * 1024, 16 * 1024, 1024, 16):
        with pytest.raises(OutOfMemoryError):
            for _ in range(100_000):
                await redis.set(f"filler:{next(names)}", b"x" * size)


@pytest.fixture
async def full_redis_ingest(
    settings: Settings, small_redis: RedisServer, agent: Agent
) -> AsyncIterator[httpx.AsyncClient]:
    redis = Redis.from_url(small_redis.url)
    await redis.flushdb()
    app = create_app(settings.model_copy(update={"redis_url": small_redis.url}))
    try:
        async with asgi_client(app) as client:
            # Known to the ingestion process, so what fails below is the write, not the lookup.
            warm = await client.post("/ingest", headers=agent.headers, json=minimal_payload())
            assert warm.status_code == 200, warm.text
            await _fill(redis)
            yield client
    finally:
        await redis.flushdb()
        await redis.aclose()


async def test_a_full_redis_answers_503_with_retry_after_at_every_door(
    full_redis_ingest: httpx.AsyncClient, agent: Agent
) -> None:
    token = agent.token
    message = {"message_id": "m-1", "timestamp": time.time(), "metrics": [
        {"metric_name": "x", "metric_value": 1}
    ]}  # fmt: skip
    for path, headers, body in (
        ("/ingest", agent.headers, {"json": minimal_payload()}),
        ("/ingest/batch", agent.headers, {"json": {"reports": [minimal_payload()] * 3}}),
        ("/report", {"Authorization": f"Bearer {token}"}, {"json": {"cpu_pct": 5.0}}),
        ("/api/metrics", {"X-API-Key": token}, {"json": message}),
        ("/api/v2/write", {"Authorization": f"Token {token}"}, {"content": "m,t=new v=1"}),
    ):
        response = await full_redis_ingest.post(path, headers=headers, **body)
        assert response.status_code == 503, (path, response.text)
        assert int(response.headers["Retry-After"]) > 0, path
