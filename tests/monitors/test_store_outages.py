"""Redis going away mid-write (a restart, a full disk): what the probe wrote is rolled back
and written once when it is tried again, never twice and never without its report."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.dev.datastores import free_port
from core.models import MonitorCheck, MonitorRollup, PushRun
from core.settings import Settings
from harness.clients import asgi_client
from harness.factories import insert_org, register_and_login
from probe_service.domain.push import Call, receive
from probe_service.domain.results import record
from tests.monitors.test_push import push_monitor, reports, status
from tests.monitors.test_uptime import checks, monitor


@pytest.fixture
async def gone() -> AsyncIterator[Redis]:
    """A Redis client whose server is not there: every command fails to connect."""
    client = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    yield client
    await client.aclose()


async def _count(
    sessionmaker: async_sessionmaker[AsyncSession], model: Any, org_id: int | None
) -> int:
    async with sessionmaker() as session:
        found = await session.scalar(
            select(func.count()).select_from(model).where(model.org_id == org_id)
        )
        return int(found or 0)


async def test_a_batch_that_cannot_reach_redis_is_written_once_when_retried(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis, gone: Redis
) -> None:
    org_id = await insert_org(settings)
    site = await monitor(sessionmaker, org_id, "site")
    batch = checks(site, org_id, time.time() - 5, ["up", "down", "up"])
    with pytest.raises(RedisConnectionError):
        await record(sessionmaker, gone, batch, maxlen=1000)
    assert await _count(sessionmaker, MonitorCheck, org_id) == 0
    assert await _count(sessionmaker, MonitorRollup, org_id) == 0

    assert await record(sessionmaker, redis, batch, maxlen=1000) == 3  # the writer's retry
    assert await _count(sessionmaker, MonitorCheck, org_id) == 3
    async with sessionmaker() as session:
        counted = await session.scalar(
            select(func.sum(MonitorRollup.up + MonitorRollup.down)).where(
                MonitorRollup.monitor_id == site
            )
        )
    assert counted == 2 * 3  # hourly and daily rollups, each check counted once
    assert len(await reports(redis)) == 3


async def test_a_push_call_that_cannot_be_reported_is_not_stored_and_the_retry_is(
    auth_client: httpx.AsyncClient,
    probe_client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    gone: Redis,
) -> None:
    """A /fail that reached the database but not the stream would be down with no alert."""
    admin = await register_and_login(auth_client, "admin@example.com")
    made = await push_monitor(probe_client, admin)
    key, org_id = made["push_path"].removeprefix("/ping/"), admin.org_id
    with pytest.raises(RedisConnectionError):
        await receive(sessionmaker, gone, key, Call("fail"), maxlen=1000, runs_kept=100)
    assert (await status(probe_client, admin, made["id"]))["status"] == "pending"
    assert await _count(sessionmaker, PushRun, org_id) == 0

    retried = await receive(sessionmaker, redis, key, Call("fail"), maxlen=1000, runs_kept=100)
    assert retried == "down"
    assert await _count(sessionmaker, PushRun, org_id) == 1
    assert [r.target_id for r in await reports(redis)] == [made["id"]]


async def test_the_push_url_answers_503_with_retry_after_while_redis_is_away(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient, settings: Settings
) -> None:
    from probe_service.app import create_app

    admin = await register_and_login(auth_client, "admin@example.com")
    made = await push_monitor(probe_client, admin)
    away = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    async with asgi_client(create_app(away)) as cut_off:
        answer = await cut_off.post(made["push_path"], content=b"done")
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "5"
    assert answer.json()["detail"] == "the call could not be stored just now: try again"
    assert (await status(probe_client, admin, made["id"]))["status"] == "pending"
