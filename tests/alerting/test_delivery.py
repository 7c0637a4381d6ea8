"""Delivery against real local servers: retries with backoff, a hanging or failing channel
never delays the others, every event is sent once per channel, and all of it is logged."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import httpx
import msgspec
import pytest
from redis.asyncio import Redis

from core.notifications import NOTIFICATION_FIELD, Notification, encode_notification
from core.settings import Settings
from harness.database import fetch
from harness.http_recorder import http_recorder
from tests.alerting.evaluation import make_org, running_deliverer


async def _webhook(settings: Settings, org_id: int, url: str) -> int:
    rows = await fetch(
        settings.database_url,
        "INSERT INTO notification_channels (org_id, type, name, config, enabled, daily_summary,"
        " updated_at) VALUES ($1, 'webhook', 'hook', jsonb_build_object('url', $2::text), true,"
        " false, now()) RETURNING id",
        org_id,
        url,
    )
    return int(rows[0]["id"])


def _note(org_id: int, channel_id: int, key: str = "alert:1:firing") -> Notification:
    return Notification(
        key=key,
        org_id=org_id,
        channel_id=channel_id,
        kind="firing",
        severity="critical",
        title="[CRITICAL] web-1: cpu 95.0 % > 90.0 %",
        text="web-1 is busy",
        fields={"host": "web-1"},
        created=time.time(),
    )


def _entries(*notes: Notification) -> list[tuple[str, dict[bytes, bytes]]]:
    return [
        (f"{i + 1}-0", {NOTIFICATION_FIELD.encode(): encode_notification(n)})
        for i, n in enumerate(notes)
    ]


async def _log(settings: Settings, channel_id: int) -> list[dict[str, Any]]:
    rows = await fetch(
        settings.database_url,
        "SELECT event_key, status, attempts, error FROM notification_deliveries"
        " WHERE channel_id = $1 ORDER BY id",
        channel_id,
    )
    return [dict(r) for r in rows]


async def test_a_hanging_channel_does_not_delay_the_others_and_is_retried(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    with http_recorder() as slow, http_recorder() as fast:
        slow.delay["*"] = 30
        hanging = await _webhook(settings, org.org_id, slow.url("/hook"))
        healthy = await _webhook(settings, org.org_id, fast.url("/hook"))
        async with running_deliverer(settings, delivery_timeout_seconds=1) as deliverer:
            started = time.time()
            await deliverer.accept(_entries(_note(org.org_id, hanging), _note(org.org_id, healthy)))
            arrived = await asyncio.to_thread(fast.wait_for, lambda r: len(r) == 1, 5)
            assert arrived[0].at - started < 1.0  # not behind the hanging one
            assert arrived[0].json()["title"].startswith("[CRITICAL] web-1")
            await asyncio.to_thread(slow.wait_for, lambda r: len(r) >= 2, 10)
        [stuck] = await _log(settings, hanging)
        assert stuck["attempts"] >= 2 and "no answer within 1 s" in str(stuck["error"])
        assert [r["status"] for r in await _log(settings, healthy)] == ["sent"]
        assert len(fast.requests) == 1


async def test_a_500_is_retried_with_backoff_until_it_gets_through(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    with http_recorder() as hook:
        hook.status["*"] = 500
        channel = await _webhook(settings, org.org_id, hook.url("/hook"))
        async with running_deliverer(settings) as deliverer:
            await deliverer.accept(_entries(_note(org.org_id, channel)))
            tries = await asyncio.to_thread(hook.wait_for, lambda r: len(r) >= 3, 10)
            gaps = [b.at - a.at for a, b in itertools.pairwise(tries)]
            assert gaps[1] > gaps[0] * 1.5  # exponential, not a tight loop
            hook.status["*"] = 200
            await asyncio.to_thread(hook.wait_for, lambda r: len(r) >= 4, 10)
            await asyncio.sleep(0.3)
        [row] = await _log(settings, channel)
        assert row["status"] == "sent" and row["attempts"] == 4 and row["error"] is None


async def test_a_refused_request_is_not_retried_and_the_reason_is_logged(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    with http_recorder() as hook:
        hook.status["*"] = 404
        channel = await _webhook(settings, org.org_id, hook.url("/gone"))
        async with running_deliverer(settings) as deliverer:
            await deliverer.accept(_entries(_note(org.org_id, channel)))
            await asyncio.to_thread(hook.wait_for, lambda r: len(r) == 1, 5)
            await asyncio.sleep(1)
        [row] = await _log(settings, channel)
        assert row["status"] == "failed" and row["attempts"] == 1 and "404" in str(row["error"])
        assert len(hook.requests) == 1


@pytest.mark.parametrize("rule_id", [None, 7], ids=["alone", "in a group"])
async def test_the_same_event_twice_is_sent_once(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis, rule_id: int | None
) -> None:
    org = await make_org(auth_client, settings)
    with http_recorder() as hook:
        channel = await _webhook(settings, org.org_id, hook.url("/hook"))
        async with running_deliverer(settings, group_wait_seconds=0.3) as deliverer:
            note = msgspec.structs.replace(_note(org.org_id, channel), rule_id=rule_id)
            await deliverer.accept(_entries(note, note))
            await asyncio.sleep(0.5)  # grouped notes: the group has flushed
            await deliverer.accept(_entries(note))
            await asyncio.to_thread(hook.wait_for, lambda r: len(r) == 1, 5)
            await asyncio.sleep(1)
        assert len(hook.requests) == 1
        assert hook.requests[0].json()["key"] == note.key
        assert [r["status"] for r in await _log(settings, channel)] == ["sent"]


async def test_a_personal_channel_stops_once_its_owner_is_deactivated(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    with http_recorder() as personal, http_recorder() as shared:
        own = await _webhook(settings, org.org_id, personal.url("/hook"))
        ops = await _webhook(settings, org.org_id, shared.url("/hook"))
        await fetch(
            settings.database_url,
            "UPDATE notification_channels SET user_id = $1 WHERE id = $2",
            org.admin.id,
            own,
        )
        # Queued while the owner was still active, sent after they were deactivated.
        await fetch(
            settings.database_url, "UPDATE users SET is_active = false WHERE id = $1", org.admin.id
        )
        async with running_deliverer(settings) as deliverer:
            await deliverer.accept(_entries(_note(org.org_id, own), _note(org.org_id, ops)))
            await asyncio.to_thread(shared.wait_for, lambda r: len(r) == 1, 5)
            await asyncio.sleep(0.5)
        assert personal.requests == []
        [row] = await _log(settings, own)
        assert row["status"] == "failed" and "owner left" in str(row["error"])
