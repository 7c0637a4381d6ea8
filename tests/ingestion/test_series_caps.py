"""New series per agent and per organization are capped at ingest, with a 429 naming the cap,
while series already counted keep being accepted (the attack: three line-protocol writes
added 30,001 series to VictoriaMetrics)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from core.settings import Settings
from harness.clients import asgi_client
from harness.factories import Agent, new_agent
from harness.polling import eventually
from ingestion_service.app import create_app
from ingestion_service.config import IngestSettings
from ingestion_service.domain.series import agent_key, org_key
from tests.history.helpers import drained, running_worker
from tests.ingestion.helpers import stream_reports


def _lines(run: str, first: int, count: int, fields: str = "v=1") -> str:
    return "\n".join(f"attack,run={run},n={n} {fields}" for n in range(first, first + count))


async def _write(ingest: httpx.AsyncClient, agent: Agent, body: str) -> httpx.Response:
    headers = {"Authorization": f"Token {agent.token}"}
    return await ingest.post("/api/v2/write", headers=headers, content=body)


async def _series_in_tsdb(tsdb_url: str, match: str, expected: int, within: float = 120) -> int:
    """How many series VictoriaMetrics holds for `match`, once it shows `expected`."""
    async with httpx.AsyncClient(trust_env=False, timeout=60) as client:

        async def count() -> int:
            await client.get(f"{tsdb_url}/internal/force_flush")
            response = await client.post(f"{tsdb_url}/api/v1/series", data={"match[]": match})
            found = len(response.json()["data"])
            assert found >= expected, f"VictoriaMetrics holds {found} of {expected} series"
            return found

        return await eventually(count, within=within, interval=0.5, what=f"{expected} series")


async def test_three_line_protocol_writes_cannot_add_thirty_thousand_series(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis, settings: Settings
) -> None:
    limit = IngestSettings().series_per_agent
    assert limit == 10_000
    run = uuid.uuid4().hex  # VictoriaMetrics outlives the test: count only this run's series

    first = await _write(ingest, agent, _lines(run, 0, 10_000))
    assert first.status_code == 204, first.text
    for body in (_lines(run, 10_000, 10_000), _lines(run, 20_000, 5_001, "a=1,b=2")):
        refused = await _write(ingest, agent, body)
        assert refused.status_code == 429, refused.text
        assert "the limit is 10000 (INGEST_SERIES_PER_AGENT)" in refused.json()["message"]
        assert int(refused.headers["Retry-After"]) > 0
    again = await _write(ingest, agent, _lines(run, 0, 10_000))
    assert again.status_code == 204, again.text  # series already counted keep working

    stored = {s.labels["n"] for _, r in await stream_reports(redis) for s in r.series}
    assert stored == {str(n) for n in range(10_000)}
    assert await redis.zcard(agent_key(agent.org_id, agent.id)) == limit
    async with running_worker(settings):
        await drained(redis, within=120)
    assert await _series_in_tsdb(settings.tsdb_url, f'{{run="{run}"}}', limit) == limit


@pytest.fixture
async def small_caps(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    options = IngestSettings(series_per_agent=50, series_per_org=80, series_window_seconds=3)
    async with asgi_client(create_app(settings, options)) as client:
        yield client


async def test_the_organization_cap_holds_across_its_agents(
    small_caps: httpx.AsyncClient, agent: Agent, auth_client: httpx.AsyncClient, redis: Redis
) -> None:
    other = await new_agent(auth_client, agent.owner, "web-2")
    assert (await _write(small_caps, agent, _lines("a", 0, 50))).status_code == 204
    assert (await _write(small_caps, other, _lines("b", 0, 30))).status_code == 204
    refused = await _write(small_caps, other, _lines("b", 30, 1))
    assert refused.status_code == 429, refused.text
    message = refused.json()["message"]
    assert "its organization has 80 series" in message and "INGEST_SERIES_PER_ORG" in message
    assert await redis.zcard(org_key(agent.org_id)) == 80


async def test_the_agent_payload_counts_its_series_too(
    small_caps: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    def report(cores: int) -> dict[str, Any]:
        return {"cpu": {"percent": 1, "per_core_usage": [1] * cores}, "memory": {"percent": 2}}

    first = await small_caps.post("/ingest", headers=agent.headers, json=report(40))
    assert first.status_code == 200, first.text
    # 62 series: past the agent's 50
    refused = await small_caps.post("/ingest", headers=agent.headers, json=report(60))
    assert refused.status_code == 429, refused.text
    assert "this agent has 42 series" in refused.json()["detail"]
    assert len(await stream_reports(redis)) == 1


async def test_series_unseen_for_the_window_stop_counting(
    small_caps: httpx.AsyncClient, agent: Agent
) -> None:
    assert (await _write(small_caps, agent, _lines("old", 0, 50))).status_code == 204
    assert (await _write(small_caps, agent, _lines("new", 0, 50))).status_code == 429

    async def accepted() -> httpx.Response | None:
        answer = await _write(small_caps, agent, _lines("new", 0, 50))
        return None if answer.status_code == 429 else answer

    answer = await eventually(
        accepted, within=60, interval=0.5, what="the old series to stop counting"
    )
    assert answer.status_code == 204, answer.text
