"""The agents overview a dashboard grid shows: status and latest values of every agent."""

from __future__ import annotations

import time
import uuid

import httpx
from redis.asyncio import Redis

from core import reports as m
from core.live import latest_key, live_frame
from core.reports import Report
from core.settings import Settings
from tests.harness.clients import TestUser, asgi_client, register_and_login


async def _agent(client: httpx.AsyncClient, user: TestUser, name: str) -> int:
    response = await client.post("/agents", headers=user.headers, json={"name": name})
    assert response.status_code == 201
    agent_id: int = response.json()["id"]
    return agent_id


async def _latest(
    redis: Redis, org_id: int, agent_id: int, *, age: float, interval: float | None
) -> None:
    report = Report(
        id=uuid.uuid4().hex,
        org_id=org_id,
        target_type="agent",
        target_id=agent_id,
        source="agent",
        ts=time.time() - age,
        interval=interval,
        metrics={
            m.CPU_PERCENT: 12.5,
            m.MEMORY_PERCENT: 40.0,
            m.DISK_PERCENT: 71.0,
            m.UPTIME_SECONDS: 99,
        },
    )
    await redis.hset(latest_key(org_id), str(agent_id), live_frame(report))


async def test_overview_shows_online_offline_and_never_reported(
    auth_client: httpx.AsyncClient, redis: Redis
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    assert admin.org_id is not None
    fresh = await _agent(auth_client, admin, "a-fresh")
    stale = await _agent(auth_client, admin, "b-stale")
    silent = await _agent(auth_client, admin, "c-silent")
    await _latest(redis, admin.org_id, fresh, age=7, interval=5)  # 1.4 intervals late: online
    await _latest(redis, admin.org_id, stale, age=16, interval=5)  # 3 missed intervals: offline
    response = await auth_client.get("/agents/overview", headers=admin.headers)
    assert response.status_code == 200
    body = response.json()
    assert [(a["name"], a["status"]) for a in body["data"]] == [
        ("a-fresh", "online"),
        ("b-stale", "offline"),
        ("c-silent", "never"),
    ]
    assert (body["count"], body["online"], body["offline"]) == (3, 1, 2)
    first = body["data"][0]
    assert first["values"] == {"cpu_percent": 12.5, "memory_percent": 40.0, "disk_percent": 71.0}
    assert first["interval"] == 5 and time.time() - first["last_seen"] < 60
    assert body["data"][2]["values"] == {} and body["data"][2]["last_seen"] is None
    assert silent


async def test_clients_without_interval_count_as_reporting_every_minute(
    auth_client: httpx.AsyncClient, redis: Redis
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    assert admin.org_id is not None
    agent = await _agent(auth_client, admin, "legacy")
    await _latest(redis, admin.org_id, agent, age=120, interval=None)
    body = (await auth_client.get("/agents/overview", headers=admin.headers)).json()
    assert body["data"][0]["status"] == "online"


async def test_overview_never_shows_another_organizations_agents(
    settings: Settings, redis: Redis
) -> None:
    from auth_service.app import create_app

    async with asgi_client(
        create_app(settings.model_copy(update={"registration_policy": "open"}))
    ) as client:
        alice = await register_and_login(client, "alice@example.com")
        bob = await register_and_login(client, "bob@example.com")
        assert alice.org_id is not None
        agent = await _agent(client, alice, "alice-db")
        await _latest(redis, alice.org_id, agent, age=1, interval=5)
        assert (await client.get("/agents/overview", headers=bob.headers)).json()["data"] == []
        assert (await client.get(f"/agents/{agent}", headers=bob.headers)).status_code == 404
        assert (await client.get(f"/agents/{agent}", headers=alice.headers)).json()[
            "name"
        ] == "alice-db"
