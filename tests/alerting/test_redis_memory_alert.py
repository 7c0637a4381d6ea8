"""The operators hear of Redis filling up before it refuses writes: past 80 % of maxmemory the
alert worker's check notifies the operators' organization once, and again when it is over."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest
from prometheus_client import REGISTRY
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alert_service.config import AlertSettings
from alert_service.domain.redis_memory import RedisMemoryWatch
from core.dev.datastores import RedisServer
from core.notifications import NOTIFICATION_FIELD, NOTIFICATIONS_STREAM, decode_notification
from core.settings import Settings
from harness.database import fetch
from harness.factories import insert_org


@pytest.fixture
async def small(small_redis: RedisServer) -> AsyncIterator[Redis]:
    client = Redis.from_url(small_redis.url)
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.aclose()


async def _insert(settings: Settings, query: str, *args: object) -> int:
    rows = await fetch(settings.database_url, query + " RETURNING id", *args)
    row_id: int = rows[0]["id"]
    return row_id


async def _org_with_channel(settings: Settings, *, enabled: bool = True) -> tuple[int, int]:
    org = await insert_org(settings)
    channel = await _insert(
        settings,
        "INSERT INTO notification_channels (org_id, type, name, config, enabled)"
        " VALUES ($1, 'webhook', $2, '{}', $3)",
        org,
        secrets.token_hex(4),
        enabled,
    )
    return org, channel


async def _fill_to(redis: Redis, share: float) -> None:
    """In small steps: one big write would be refused while its own bytes are counted."""
    for index in range(10_000):
        info: dict[str, Any] = await redis.info("memory")
        if info["used_memory"] >= share * info["maxmemory"]:
            return
        await redis.set(f"filler:{index}", b"x" * 32 * 1024)


async def _empty(redis: Redis) -> None:
    await redis.delete(*[key async for key in redis.scan_iter("filler:*")])


async def _notes(redis: Redis) -> list[tuple[int, int, str, str]]:
    entries: Any = await redis.xrange(NOTIFICATIONS_STREAM)
    notes = [decode_notification(fields[NOTIFICATION_FIELD.encode()]) for _, fields in entries]
    return [(n.org_id, n.channel_id, n.kind, n.title) for n in notes]


async def test_past_80_percent_the_first_organization_is_told_once_then_resolved(
    settings: Settings, small: Redis, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    operators, channel = await _org_with_channel(settings)
    await _org_with_channel(settings, enabled=False)  # another org: not told
    watch = RedisMemoryWatch(sessionmaker, small, AlertSettings())

    await watch.check()
    assert await _notes(small) == []
    await _fill_to(small, 0.85)
    await watch.check()
    await watch.check()  # still above: said once
    [(org, to, kind, title)] = await _notes(small)
    assert (org, to, kind) == (operators, channel, "firing")
    assert "Redis memory at 8" in title and "of its limit (8.00M)" in title
    ratio = REGISTRY.get_sample_value("statusmonitor_redis_memory_used_ratio")
    assert ratio is not None and 0.8 <= ratio < 1

    await _empty(small)
    await watch.check()
    notes = await _notes(small)
    assert [(kind, title.split(" ")[0]) for _, _, kind, title in notes] == [
        ("firing", "[WARNING]"),
        ("resolved", "[RESOLVED]"),
    ]


async def test_platform_alerts_go_to_the_organizations_configured(
    settings: Settings, small: Redis, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _org_with_channel(settings)
    chosen, channel = await _org_with_channel(settings)
    watch = RedisMemoryWatch(sessionmaker, small, AlertSettings(platform_org_ids=[chosen]))
    await _fill_to(small, 0.97)
    await watch.check()
    [(org, to, kind, title)] = await _notes(small)
    assert (org, to, kind) == (chosen, channel, "firing")
    assert title.startswith("[CRITICAL]")
