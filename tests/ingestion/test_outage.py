"""When Redis is down nothing can be appended: ingestion answers 503 with Retry-After at once,
so agents keep their reports and retry; after Redis is back, reports are accepted again."""

from __future__ import annotations

import httpx
from redis.asyncio import Redis

from harness.datastores import Datastores
from harness.factories import Agent, new_agent
from tests.ingestion.helpers import minimal_payload


async def test_redis_down_answers_503_with_retry_after_then_recovers(
    ingest: httpx.AsyncClient,
    auth_client: httpx.AsyncClient,
    agent: Agent,
    datastores: Datastores,
    redis: Redis,
) -> None:
    cached = await ingest.post("/ingest", headers=agent.headers, json=minimal_payload())
    assert cached.status_code == 200
    other = await new_agent(auth_client, agent.owner, "never-seen")
    datastores.redis.stop()
    try:
        for headers in (agent.headers, other.headers):  # token cached in memory, and not
            refused = await ingest.post("/ingest", headers=headers, json=minimal_payload())
            assert refused.status_code == 503, refused.text
            assert refused.headers["retry-after"] == "5"
            assert "retry" in refused.json()["detail"]
        health = await ingest.get("/api/health")
        assert health.status_code == 503 and health.json()["status"] == "unhealthy"
    finally:
        datastores.redis.start()
    for headers in (agent.headers, other.headers):
        accepted = await ingest.post("/ingest", headers=headers, json=minimal_payload())
        assert accepted.status_code == 200, accepted.text
    assert await redis.xlen("reports") == 2
