"""The monitors topic on the multiplexed socket: each stored check of the organization's uptime
monitors, as the probe publishes it (core.live.MonitorFrame on live:monitors:<org>).

A real distribution process and real Redis; frames are published exactly as the probe does.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection

from core.live import MonitorFrame, monitor_frame, monitors_channel
from harness.factories import TestUser, invite_and_join, register_and_login
from harness.live import LiveService
from tests.distribution.helpers import (
    close_of,
    connect,
    metric_value,
    receive,
    until_metric,
    ws_url,
)

pytestmark = pytest.mark.e2e

SUBSCRIBE = '{"type": "subscribe", "topic": "monitors"}'
TOPICS = "statusmonitor_ws_monitor_topics"
DROPPED = "statusmonitor_ws_monitor_frames_total"
_monitor_ids = itertools.count(1)


@pytest.fixture(autouse=True)
async def topics_released(service: LiveService) -> AsyncIterator[None]:
    """Every test leaves no topic (nor its Redis channel) behind."""
    yield
    await until_metric(service, TOPICS, 0)


def check(org_id: int, status: str = "up", **fields: Any) -> MonitorFrame:
    return MonitorFrame(
        id=next(_monitor_ids), org_id=org_id, ts=round(time.time(), 3), status=status, **fields
    )


async def probe_publishes(redis: Redis, frame: MonitorFrame, *, on: int | None = None) -> str:
    """What the probe does after storing a check; the text it published. `on`: another
    organization's channel than the frame's own (a mistaken publish)."""
    text = monitor_frame(frame).decode()
    await redis.publish(monitors_channel(frame.org_id if on is None else on), text)
    return text


async def subscribe(ws: ClientConnection, org_id: int) -> None:
    await ws.send(SUBSCRIBE)
    assert await receive(ws) == {"type": "subscribed", "topic": "monitors", "org_id": org_id}


async def next_text(ws: ClientConnection, within: float = 10) -> str:
    text = await asyncio.wait_for(ws.recv(), within)
    assert isinstance(text, str)
    return text


async def nothing_queued(ws: ClientConnection) -> bool:
    """True when the answer to a ping is the next message: no frame was waiting before it."""
    await ws.send('{"type": "ping"}')
    return await receive(ws) == {"type": "pong"}


async def _org_admin(auth: httpx.AsyncClient, email: str) -> tuple[TestUser, int]:
    user = await register_and_login(auth, email)
    assert user.org_id is not None
    return user, user.org_id


async def test_each_check_of_the_organization_arrives_unchanged(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis
) -> None:
    admin, org = await _org_admin(auth, "mona@example.com")
    frames = [
        check(org, "up", response_ms=12.5),
        check(org, "down", error="connection refused"),
        check(org, "pending"),
    ]
    async with connect(ws_url(service, "/ws", admin.access_token)) as ws:
        await subscribe(ws, org)
        await subscribe(ws, org)  # again: answered again, and the frames still come once
        sent = [await probe_publishes(redis, frame) for frame in frames]
        assert [await next_text(ws) for _ in sent] == sent
        assert await nothing_queued(ws)
    assert orjson.loads(sent[2]) == {
        "type": "monitor",
        "id": frames[2].id,
        "org_id": org,
        "ts": frames[2].ts,
        "status": "pending",
        "response_ms": None,
        "error": None,
    }


async def test_another_organizations_checks_never_arrive(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis
) -> None:
    ours, our_org = await _org_admin(auth, "nils@example.com")
    theirs, their_org = await _org_admin(auth, "opal@example.com")
    dropped = metric_value(service, DROPPED, outcome="dropped")
    async with (
        connect(ws_url(service, "/ws", ours.access_token)) as ws,
        connect(ws_url(service, "/ws", theirs.access_token)) as other,
    ):
        await subscribe(ws, our_org)
        await subscribe(other, their_org)
        foreign = await probe_publishes(redis, check(their_org, "down"))
        # Their frame on our channel (a mistaken publish) is dropped, not shown to us.
        await probe_publishes(redis, check(their_org, "up"), on=our_org)
        mine = await probe_publishes(redis, check(our_org, "degraded", response_ms=900.0))
        # Redis delivers in publish order: anything of theirs would have come first.
        assert await next_text(ws) == mine
        assert await next_text(other) == foreign
        assert await nothing_queued(ws)
        assert await nothing_queued(other)
    assert metric_value(service, DROPPED, outcome="dropped") == dropped + 1


async def test_unsubscribing_stops_the_checks_and_subscribing_again_resumes_them(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis
) -> None:
    admin, org = await _org_admin(auth, "piet@example.com")
    async with (
        connect(ws_url(service, "/ws", admin.access_token)) as leaving,
        connect(ws_url(service, "/ws", admin.access_token)) as staying,
    ):
        await subscribe(leaving, org)
        await subscribe(staying, org)
        await leaving.send('{"type": "unsubscribe", "topic": "monitors"}')
        assert await receive(leaving) == {"type": "unsubscribed", "topic": "monitors"}
        first = await probe_publishes(redis, check(org))
        assert await next_text(staying) == first  # published, and heard by this replica
        assert await nothing_queued(leaving)
        await subscribe(leaving, org)
        second = await probe_publishes(redis, check(org, "down", error="timeout"))
        assert await next_text(leaving) == second
        assert await next_text(staying) == second


async def test_an_unknown_topic_is_answered_with_an_error_naming_the_topics(
    service: LiveService, auth: httpx.AsyncClient
) -> None:
    admin, org = await _org_admin(auth, "quirin@example.com")
    async with connect(ws_url(service, "/ws", admin.access_token)) as ws:
        for kind in ("subscribe", "unsubscribe"):
            await ws.send(f'{{"type": "{kind}", "topic": "monitor"}}')
            answer = await receive(ws)
            assert answer["type"] == "error", answer
            assert "'monitor'" in answer["detail"], answer
            assert '"org"' in answer["detail"] and '"monitors"' in answer["detail"], answer
        await subscribe(ws, org)  # the socket carries on


async def test_a_viewer_watches_until_removed_from_the_organization(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis
) -> None:
    admin, org = await _org_admin(auth, "rhea@example.com")
    viewer = await invite_and_join(auth, admin, "sven@example.com", "viewer")
    async with connect(ws_url(service, "/ws", viewer.access_token)) as ws:
        await subscribe(ws, org)
        sent = await probe_publishes(redis, check(org))
        assert await next_text(ws) == sent
        removed = await auth.delete(f"/members/{viewer.id}", headers=admin.headers)
        assert removed.status_code == 204, removed.text
        code, reason = await close_of(ws, within=20)
    assert (code, reason) == (4403, "you are no longer a member of this organization")
