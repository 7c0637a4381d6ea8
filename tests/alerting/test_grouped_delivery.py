"""Grouping from the evaluator to the receiver, against real PostgreSQL, Redis and HTTP
servers: a report with 300 full partitions is 300 alerts but few messages per channel; a
target silenced, or an alert acknowledged, while its group waits is left out of the message;
reminders and resolutions are grouped the same way."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from redis.asyncio import Redis

from core.reports import Sample
from core.settings import Settings
from tests.alerting.evaluation import (
    add_agent,
    add_rule,
    alert_worker,
    entries,
    make_org,
    point_channel_at,
    relay,
    report,
    running_deliverer,
)
from tests.harness.database import fetch
from tests.harness.http_recorder import Recorded, http_recorder

FAST_GROUPS = {"group_wait_seconds": 0.5, "group_interval_seconds": 0.5}


def _hosts(request: Recorded) -> list[str]:
    body: dict[str, Any] = request.json()
    alerts = body["alerts"] or [{"fields": body["fields"]}]  # a group of one reads as itself
    return sorted(a["fields"]["host"] for a in alerts)


async def test_300_full_partitions_are_300_alerts_in_a_few_messages_per_channel(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, metric="disk", threshold=90)
    full = [Sample("partition_percent", 99, {"mountpoint": f"/srv/{i:03d}"}) for i in range(300)]
    binary = Redis.from_url(settings.redis_url)
    with http_recorder() as first, http_recorder() as second:
        await point_channel_at(settings, org.channel_id, first.url("/hook"))
        other = await fetch(
            settings.database_url,
            "INSERT INTO notification_channels (org_id, type, name, config, enabled,"
            " daily_summary, updated_at) VALUES ($1, 'webhook', 'second',"
            " jsonb_build_object('url', $2::text), true, false, now()) RETURNING id",
            org.org_id,
            second.url("/hook"),
        )
        assert other
        async with (
            alert_worker(settings, redis) as worker,
            running_deliverer(settings, **FAST_GROUPS) as deliverer,
        ):
            await worker.handle_reports(entries(report(org, time.time() - 5, series=full)))
            await relay(binary, deliverer)
            for hook in (first, second):
                await asyncio.to_thread(hook.wait_for, lambda r: len(r) == 4, 20)
            await asyncio.sleep(1.5)  # anything more would have arrived by now
    await binary.aclose()
    alerts = await fetch(settings.database_url, "SELECT count(*) AS n FROM alerts")
    assert alerts[0]["n"] == 300  # the history keeps one row per partition
    for hook in (first, second):
        bodies = [r.json() for r in hook.requests]
        assert len(bodies) == 4
        assert bodies[0]["title"] == "[CRITICAL] disk > 90.0 % — 300 alerts (1/4)"
        assert sum(len(b["alerts"]) for b in bodies) == 200
        assert bodies[-1]["text"].endswith("\nand 100 more")
        assert "web-1: disk /srv/000 99.0 % > 90.0 %" in bodies[0]["text"]


async def test_silenced_and_acknowledged_while_waiting_are_left_out(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    settings: Settings,
    redis: Redis,
) -> None:
    org = await make_org(auth_client, settings)  # host web-1
    agents = {"web-1": org.agent_id}
    for name in ("web-2", "web-3", "web-4"):
        agents[name] = await add_agent(settings, org.org_id, name)
    await add_rule(settings, org.org_id, threshold=80, renotify_seconds=60)
    t = time.time() - 1000
    binary = Redis.from_url(settings.redis_url)

    def at(ts: float, cpu: float) -> list[Any]:
        return entries(*(report(org, ts, cpu, agent_id=agent) for agent in agents.values()))

    with http_recorder() as hook:
        await point_channel_at(settings, org.channel_id, hook.url("/hook"))
        async with (
            alert_worker(settings, redis) as worker,
            running_deliverer(settings, **FAST_GROUPS) as deliverer,
        ):
            await worker.handle_reports(at(t, 95))
            # Silenced after the evaluator judged, while the firing waits in its group.
            muted = await alert_client.post(
                "/silences",
                headers=org.admin.headers,
                json={"agent_id": agents["web-3"], "ends_at": "2999-01-01T00:00:00Z"},
            )
            assert muted.status_code == 201, muted.text
            last = await relay(binary, deliverer)
            await asyncio.to_thread(hook.wait_for, lambda r: len(r) == 1, 20)

            await worker.handle_reports(at(t + 61, 95))  # reminders
            [web1] = await fetch(
                settings.database_url, "SELECT id FROM alerts WHERE agent_id = $1", org.agent_id
            )
            acked = await alert_client.post(
                f"/alerts/{web1['id']}/acknowledge", headers=org.admin.headers
            )
            assert acked.status_code == 200, acked.text
            last = await relay(binary, deliverer, last)
            await asyncio.to_thread(hook.wait_for, lambda r: len(r) == 2, 20)

            await worker.handle_reports(at(t + 100, 10))  # all recover
            await relay(binary, deliverer, last)
            await asyncio.to_thread(hook.wait_for, lambda r: len(r) == 3, 20)
            await asyncio.sleep(1.5)
    await binary.aclose()
    firing, reminder, resolved = hook.requests
    assert len(hook.requests) == 3
    assert firing.json()["title"] == "[CRITICAL] cpu > 80.0 % — 3 alerts"
    assert _hosts(firing) == ["web-1", "web-2", "web-4"]
    assert reminder.json()["title"] == "[STILL CRITICAL] cpu > 80.0 % — 2 alerts"
    assert _hosts(reminder) == ["web-2", "web-4"]
    assert resolved.json()["title"] == "[RESOLVED] cpu > 80.0 % — 3 alerts"
    assert _hosts(resolved) == ["web-1", "web-2", "web-4"]
    rows = await fetch(
        settings.database_url,
        "SELECT agent_id, silenced FROM alerts WHERE silenced ORDER BY agent_id",
    )
    assert [(r["agent_id"], r["silenced"]) for r in rows] == [(agents["web-3"], True)]
