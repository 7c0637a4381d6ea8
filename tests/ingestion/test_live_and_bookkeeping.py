"""Side effects of an accepted report: the live view (pub/sub frame and latest-report hash)
and the agent's last-seen time and host info in PostgreSQL."""

from __future__ import annotations

import time
from typing import Any

import httpx
from redis.asyncio import Redis

from core.live import HostSummary, agent_channel, decode_summary, latest_key, org_channel
from core.reports import decode_report
from core.settings import Settings
from harness.clients import asgi_client
from harness.database import fetch
from harness.factories import Agent
from harness.polling import eventually
from ingestion_service.app import create_app
from ingestion_service.config import IngestSettings
from tests.ingestion.helpers import minimal_payload, stream_reports


async def test_accepted_report_is_published_live_and_becomes_the_latest(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    async with redis.pubsub() as pubsub:
        await pubsub.subscribe(agent_channel(agent.id))
        await pubsub.get_message(timeout=1)  # the subscribe confirmation
        response = await ingest.post("/ingest", headers=agent.headers, json=minimal_payload())
        assert response.status_code == 200
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
    assert message is not None
    [(_, stored)] = await stream_reports(redis)
    assert decode_report(message["data"]) == stored
    latest = await redis.hget(latest_key(agent.org_id), str(agent.id))
    assert latest is not None and decode_report(latest) == stored


async def test_replayed_older_report_neither_replaces_the_latest_nor_goes_live(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    now = time.time()
    fresh = minimal_payload(timestamp=now, report_id="fresh")
    assert (await ingest.post("/ingest", headers=agent.headers, json=fresh)).status_code == 200
    async with redis.pubsub() as pubsub:
        await pubsub.subscribe(agent_channel(agent.id))
        await pubsub.get_message(timeout=1)
        backlog = [minimal_payload(timestamp=now - 60 + i, report_id=f"old-{i}") for i in range(3)]
        response = await ingest.post(
            "/ingest/batch", headers=agent.headers, json={"reports": backlog}
        )
        assert response.status_code == 200
        again = await ingest.post("/ingest", headers=agent.headers, json=fresh)  # a retry
        assert again.status_code == 200
        assert await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5) is None
    latest = await redis.hget(latest_key(agent.org_id), str(agent.id))
    assert latest is not None and decode_report(latest).id == "fresh"
    assert [r.id for _, r in await stream_reports(redis)] == [
        "fresh", "old-0", "old-1", "old-2", "fresh"
    ]  # fmt: skip


async def test_a_hosts_new_latest_report_and_nothing_else_is_summarised_for_its_organization(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    """The organization topic follows this channel: one small summary per new latest report;
    a replayed backlog, a retry and custom metrics leave it alone."""
    now = time.time()
    fresh = minimal_payload(timestamp=now, report_id="fresh", interval=5)
    async with redis.pubsub() as pubsub:
        await pubsub.subscribe(org_channel(agent.org_id))
        await pubsub.get_message(timeout=1)
        assert (await ingest.post("/ingest", headers=agent.headers, json=fresh)).status_code == 200
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
        assert message is not None
        [(_, stored)] = await stream_reports(redis)
        assert decode_summary(message["data"]) == HostSummary(
            agent_id=agent.id, cpu=10.0, memory=20.0, disk=None, net_in=None, net_out=None,
            last_seen=stored.ts, interval=5.0,
        )  # fmt: skip
        old = minimal_payload(timestamp=now - 60, report_id="old")
        assert (await ingest.post("/ingest", headers=agent.headers, json=old)).status_code == 200
        assert (await ingest.post("/ingest", headers=agent.headers, json=fresh)).status_code == 200
        custom = await ingest.post(
            "/api/v2/write", headers={"Authorization": f"Token {agent.token}"}, content="q v=1"
        )
        assert custom.status_code == 204
        assert await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5) is None


async def test_custom_metrics_go_live_without_replacing_the_hosts_latest_report(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    host = await ingest.post("/ingest", headers=agent.headers, json=minimal_payload())
    assert host.status_code == 200
    async with redis.pubsub() as pubsub:
        await pubsub.subscribe(agent_channel(agent.id))
        await pubsub.get_message(timeout=1)
        custom = await ingest.post(
            "/api/v2/write", headers={"Authorization": f"Token {agent.token}"}, content="q v=1"
        )
        assert custom.status_code == 204
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
    assert message is not None and decode_report(message["data"]).source == "influx"
    latest = await redis.hget(latest_key(agent.org_id), str(agent.id))
    assert latest is not None and decode_report(latest).id == host.json()["id"]


async def test_last_seen_and_changed_host_info_reach_postgresql(
    agent: Agent, settings: Settings
) -> None:
    options = IngestSettings(activity_flush_seconds=0.2)
    host = {"hostname": "web-1", "os": "Linux", "kernel": "6.1.0", "agent_version": "1.0"}
    async with asgi_client(create_app(settings, options)) as ingest:
        payload = minimal_payload(host_info=host)
        assert (
            await ingest.post("/ingest", headers=agent.headers, json=payload)
        ).status_code == 200

        async def recorded() -> Any:
            [row] = await fetch(settings.database_url, "SELECT last_seen_at, host_info FROM agents")
            return row if row["last_seen_at"] is not None and row["host_info"] else None

        row = await eventually(recorded, within=15, what="last_seen_at and host_info in PostgreSQL")
        assert abs(row["last_seen_at"].timestamp() - time.time()) < 60
        assert '"hostname": "web-1"' in row["host_info"]
        host["kernel"] = "6.2.0"
        payload = minimal_payload(host_info=host)
        assert (
            await ingest.post("/ingest", headers=agent.headers, json=payload)
        ).status_code == 200

        async def updated() -> Any:
            [row] = await fetch(settings.database_url, "SELECT host_info FROM agents")
            return '"6.2.0"' in row["host_info"]

        await eventually(updated, within=15, what="the changed host info in PostgreSQL")


async def test_last_seen_is_written_on_shutdown(agent: Agent, settings: Settings) -> None:
    options = IngestSettings(activity_flush_seconds=3600)
    async with asgi_client(create_app(settings, options)) as ingest:
        response = await ingest.post("/ingest", headers=agent.headers, json=minimal_payload())
        assert response.status_code == 200
        [row] = await fetch(settings.database_url, "SELECT last_seen_at FROM agents")
        assert row["last_seen_at"] is None
    [row] = await fetch(settings.database_url, "SELECT last_seen_at FROM agents")
    assert row["last_seen_at"] is not None
