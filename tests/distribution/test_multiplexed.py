"""One socket for many agents (/ws): subscribe, unsubscribe, and answers to what it cannot do."""

from __future__ import annotations

import json

import httpx
import pytest
from redis.asyncio import Redis

from tests.distribution.helpers import (
    connect,
    publish,
    quiet,
    receive,
    report,
    store_latest,
    user_with_agent,
    ws_url,
)
from tests.harness.live import LiveService

pytestmark = pytest.mark.e2e


def _message(kind: str, agent_id: int | str) -> str:
    return json.dumps({"type": kind, "agent_id": agent_id})


async def test_subscribed_agents_stream_side_by_side_and_unsubscribe_stops_one(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis
) -> None:
    user, web = await user_with_agent(auth, "hal@example.com")
    assert user.org_id is not None
    db = (await auth.post("/agents", headers=user.headers, json={"name": "db"})).json()["id"]
    latest = report(user.org_id, web, 5)
    await store_latest(redis, latest)
    async with connect(ws_url(service, "/ws", user.access_token)) as ws:
        await ws.send(_message("subscribe", web))
        assert await receive(ws) == {"type": "subscribed", "agent_id": web}
        assert (await receive(ws))["id"] == latest.id
        await ws.send(
            _message("subscribe", str(db))
        )  # StatusMonitor v1's clients send ids as strings
        assert await receive(ws) == {"type": "subscribed", "agent_id": db}
        await publish(redis, report(user.org_id, web, 1))
        await publish(redis, report(user.org_id, db, 2))
        frames = [await receive(ws), await receive(ws)]
        assert [(f["target_id"], f["metrics"]["cpu_percent"]) for f in frames] == [
            (web, 1.0),
            (db, 2.0),
        ]
        await ws.send(_message("unsubscribe", web))
        assert await receive(ws) == {"type": "unsubscribed", "agent_id": web}
        for seq in range(20):
            await publish(redis, report(user.org_id, web, seq))
        await publish(redis, report(user.org_id, db, 3))
        assert (await receive(ws))["target_id"] == db
        assert await quiet(ws)


async def test_subscribing_to_a_foreign_or_unknown_agent_answers_not_found_and_stays_open(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis
) -> None:
    owner, agent = await user_with_agent(auth, "ida@example.com")
    stranger, own = await user_with_agent(auth, "jo@example.com")
    assert owner.org_id is not None and stranger.org_id is not None
    async with connect(ws_url(service, "/ws", stranger.access_token)) as ws:
        for target in (agent, 424242, -1):
            await ws.send(_message("subscribe", target))
            assert await receive(ws) == {
                "type": "error",
                "detail": "agent not found",
                "agent_id": target,
            }
        await publish(redis, report(owner.org_id, agent, 1))
        await ws.send(_message("subscribe", own))
        assert await receive(ws) == {"type": "subscribed", "agent_id": own}
        await publish(redis, report(stranger.org_id, own, 9))
        assert (await receive(ws))["target_id"] == own
        assert await quiet(ws)


async def test_malformed_messages_are_answered_with_an_error_and_ping_with_pong(
    service: LiveService, auth: httpx.AsyncClient
) -> None:
    user, _ = await user_with_agent(auth, "kit@example.com")
    async with connect(ws_url(service, "/ws/", user.access_token)) as ws:
        for bad in ("not json", '{"type": "subscribe"}', '{"type": "dance"}', b"\x00"):
            await ws.send(bad)
            answer = await receive(ws)
            assert answer["type"] == "error" and answer["detail"], bad
        await ws.send('{"type": "ping"}')
        assert await receive(ws) == {"type": "pong"}


async def test_ids_past_32_bits_and_deep_nesting_are_answered_with_an_error_naming_them(
    service: LiveService, auth: httpx.AsyncClient
) -> None:
    """Echoing agent_id 2**70 in the error frame crashed the socket's handler (orjson encodes
    64 bits at most), and a message nested 5,000 levels deep crashed the decoder."""
    user, agent = await user_with_agent(auth, "lev@example.com")
    async with connect(ws_url(service, "/ws", user.access_token)) as ws:
        await ws.send(_message("subscribe", 2**70))
        answer = await receive(ws)
        assert answer["type"] == "error" and "2147483647" in answer["detail"]
        await ws.send('{"type": "subscribe", "x": ' + "[" * 5000 + "}")
        answer = await receive(ws)
        assert answer["type"] == "error" and "nested too deeply" in answer["detail"]
        await ws.send(_message("subscribe", agent))
        assert await receive(ws) == {"type": "subscribed", "agent_id": agent}
