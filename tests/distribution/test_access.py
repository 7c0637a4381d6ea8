"""Who may open a live stream: the token (in the URL or a first message), the organization, the
page's Origin; and what a viewer gets once in (the latest report, then every new one in order)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from jose import jwt
from redis.asyncio import Redis

from core.settings import Settings
from harness.factories import user_with_agent
from harness.live import LiveService, live_service
from tests.distribution.helpers import (
    close_of,
    connect,
    publish,
    receive,
    receive_cpu_values,
    refusal,
    report,
    store_latest,
    ws_url,
)

pytestmark = pytest.mark.e2e


async def test_token_in_url_gets_latest_report_then_every_new_one_in_order(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis
) -> None:
    agent = await user_with_agent(auth, "ana@example.com")
    latest = report(agent.org_id, agent.id, 7)
    await store_latest(redis, latest)
    async with connect(ws_url(service, f"/ws/{agent.id}", agent.owner.access_token)) as ws:
        snapshot = await receive(ws)
        assert snapshot["id"] == latest.id and snapshot["target_id"] == agent.id
        for seq in range(50):
            await publish(redis, report(agent.org_id, agent.id, seq))
        assert await receive_cpu_values(ws, 50) == [float(seq) for seq in range(50)]


async def test_token_in_first_auth_message_is_accepted(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis
) -> None:
    agent = await user_with_agent(auth, "ben@example.com")
    await store_latest(redis, report(agent.org_id, agent.id, 1))
    async with connect(ws_url(service, f"/ws/{agent.id}")) as ws:
        await ws.send(json.dumps({"type": "auth", "token": agent.owner.access_token}))
        assert (await receive(ws))["target_id"] == agent.id
        await publish(redis, report(agent.org_id, agent.id, 2))
        assert await receive_cpu_values(ws, 1) == [2.0]


def _expired_access_token(settings: Settings, user_id: int, org_id: int | None) -> str:
    """A correctly signed access token whose expiry has passed."""
    now = int(datetime.now(UTC).timestamp())
    claims = {
        "sub": str(user_id),
        "org": org_id,
        "role": "admin",
        "jti": uuid.uuid4().hex,
        "typ": "access",
        "iat": now - 3600,
        "exp": now - 60,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "ver": 0,
    }
    return str(jwt.encode(claims, settings.secret_key, algorithm="HS256"))


async def test_missing_bad_expired_and_logged_out_tokens_are_refused_with_4401(
    service: LiveService, auth: httpx.AsyncClient, settings: Settings
) -> None:
    agent = await user_with_agent(auth, "cy@example.com")
    path = f"/ws/{agent.id}"
    no_token = await refusal(ws_url(service, path), first_message='{"type": "subscribe"}')
    assert no_token[0] == 4401 and "not authenticated" in no_token[1]
    garbage = await refusal(ws_url(service, path, "not-a-jwt"))
    assert garbage == (4401, "invalid or expired access token")
    expired = _expired_access_token(settings, agent.owner.id, agent.org_id)
    assert await refusal(ws_url(service, path, expired)) == (
        4401,
        "invalid or expired access token",
    )
    bad_auth_message = json.dumps({"type": "auth", "token": "forged"})
    assert (await refusal(ws_url(service, "/ws"), first_message=bad_auth_message))[0] == 4401
    assert (await auth.post("/logout", headers=agent.owner.headers)).status_code == 200
    logged_out = await refusal(ws_url(service, path, agent.owner.access_token))
    assert logged_out == (4401, "this session has been logged out")


async def test_another_organizations_agent_is_refused_like_a_missing_one(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis
) -> None:
    agent = await user_with_agent(auth, "dora@example.com")
    stranger = (await user_with_agent(auth, "eve@example.com")).owner
    await store_latest(redis, report(agent.org_id, agent.id, 1))
    foreign = await refusal(ws_url(service, f"/ws/{agent.id}", stranger.access_token))
    missing = await refusal(ws_url(service, "/ws/999999", stranger.access_token))
    assert foreign == missing == (4404, "agent not found")


async def test_foreign_origin_is_refused_own_and_configured_origins_and_none_accepted(
    base_settings: Settings, auth: httpx.AsyncClient, redis: Redis, log_dir: Path
) -> None:
    configured = base_settings.model_copy(update={"cors_origins": ["http://localhost:5173"]})
    agent = await user_with_agent(auth, "fay@example.com")
    await store_latest(redis, report(agent.org_id, agent.id, 3))
    with live_service("distribution_service", configured, log_dir) as live:
        url = ws_url(live, f"/ws/{agent.id}", agent.owner.access_token)
        # The client sends Host: 127.0.0.1:<port>, so the page's own origin is live.url.
        for origin in (None, live.url, "http://localhost:5173"):
            async with connect(url, origin=origin) as ws:
                assert (await receive(ws))["target_id"] == agent.id, origin
        for origin in ("https://evil.example", "null", "http://localhost:5174"):
            assert await refusal(url, origin=origin) == (4403, "origin not allowed"), origin


async def test_access_log_shows_the_websocket_without_its_token(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis
) -> None:
    agent = await user_with_agent(auth, "gus@example.com")
    await store_latest(redis, report(agent.org_id, agent.id, 1))
    async with connect(ws_url(service, f"/ws/{agent.id}", agent.owner.access_token)) as ws:
        await receive(ws)
    logs = service.logs()  # uvicorn logged the handshake before the snapshot was sent
    assert f"/ws/{agent.id}?token=[redacted]" in logs
    assert agent.owner.access_token not in logs
    assert agent.owner.access_token.split(".")[2] not in logs  # not even the signature


async def test_server_closes_a_socket_whose_client_sends_garbage_before_authenticating(
    service: LiveService,
) -> None:
    async with connect(ws_url(service, "/ws")) as ws:
        await ws.send(b"\x00\x01")
        code, _ = await close_of(ws)
    assert code == 4401
