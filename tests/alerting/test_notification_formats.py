"""Messages the previous releases wrote and that are still in flight at an upgrade — an alert
event waiting in the outbox, an entry on the `notifications` stream from before grouping, a
pending row of the delivery log — are each delivered, whole, by this one (real PostgreSQL,
Redis and HTTP receiver)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
from redis.asyncio import Redis

from core.notifications import NOTIFICATION_FIELD, NOTIFICATIONS_STREAM
from core.settings import Settings
from tests.alerting.evaluation import (
    alert_worker,
    make_org,
    point_channel_at,
    relay,
    running_deliverer,
)
from tests.harness.database import fetch
from tests.harness.http_recorder import http_recorder

NOW = time.time()
# alert_events.payload as the evaluator wrote it when it was a plain dict.
OUTBOX_MESSAGE = {
    "kind": "firing",
    "severity": "critical",
    "title": "[CRITICAL] web-1: cpu 95.0 % > 80.0 %",
    "text": "[CRITICAL] web-1: cpu 95.0 % > 80.0 %\n\nHost: web-1",
    "fields": {"host": "web-1", "metric": "cpu", "value": "95.0 %", "threshold": "80.0 %"},
    "link": "https://status.example.com/alerts",
    "alert_id": None,
    "created": NOW - 30,
    "rule_id": 7,
    "subject": "cpu > 80.0 %",
}
# A stream entry from before grouping: no rule_id, subject or alerts; an integer time.
STREAM_ENTRY = (
    '{"key":"alert:3:resolved","org_id":%d,"channel_id":%d,"kind":"resolved",'
    '"severity":"warning","title":"[RESOLVED] db-1: memory back to 40.0 %%","text":"back",'
    '"fields":{"host":"db-1"},"link":null,"alert_id":null,"created":%d}'
)


def _delivery_row(org_id: int, channel_id: int) -> dict[str, Any]:
    """A pending row of the delivery log, as the previous release stored it."""
    return {
        "key": f"summary:{org_id}:2025-01-01",
        "org_id": org_id,
        "channel_id": channel_id,
        "kind": "summary",
        "severity": "info",
        "title": "Daily summary",
        "text": "3 alerts yesterday",
        "fields": {},
        "link": None,
        "alert_id": None,
        "created": NOW - 60,
        "rule_id": None,
        "subject": "",
        "alerts": [],
    }


async def test_messages_in_flight_at_an_upgrade_are_all_delivered(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    db = settings.database_url
    await fetch(
        db,
        "INSERT INTO alert_events (org_id, key, kind, channel_ids, payload)"
        " VALUES ($1, 'r7:1:1700000000.000:firing', 'firing', $2::jsonb, $3::jsonb)",
        org.org_id,
        json.dumps([org.channel_id]),
        json.dumps(OUTBOX_MESSAGE),
    )
    await redis.xadd(
        NOTIFICATIONS_STREAM,
        {NOTIFICATION_FIELD: STREAM_ENTRY % (org.org_id, org.channel_id, int(NOW))},
    )
    pending = _delivery_row(org.org_id, org.channel_id)
    await fetch(
        db,
        "INSERT INTO notification_deliveries (org_id, channel_id, event_key, kind, status,"
        " attempts, payload, next_attempt_at, updated_at)"
        " VALUES ($1, $2, $3, 'summary', 'pending', 0, $4::jsonb, now(), now())",
        org.org_id,
        org.channel_id,
        pending["key"],
        json.dumps(pending),
    )
    binary = Redis.from_url(settings.redis_url)
    with http_recorder() as hook:
        await point_channel_at(settings, org.channel_id, hook.url("/hook"))
        async with (
            alert_worker(settings, redis) as worker,
            running_deliverer(settings, group_wait_seconds=0.3) as deliverer,
        ):
            await worker.flush_outbox()
            await relay(binary, deliverer)
            await asyncio.to_thread(hook.wait_for, lambda r: len(r) >= 3, 30)
            await asyncio.sleep(1)  # anything more would have arrived by now
    await binary.aclose()
    bodies = {body["key"]: body for body in (r.json() for r in hook.requests)}
    assert len(hook.requests) == 3
    firing = bodies["r7:1:1700000000.000:firing"]
    assert {k: firing[k] for k in OUTBOX_MESSAGE} == OUTBOX_MESSAGE
    assert firing["channel_id"] == org.channel_id and firing["org_id"] == org.org_id
    resolved = bodies["alert:3:resolved"]
    assert resolved["title"] == "[RESOLVED] db-1: memory back to 40.0 %"
    assert resolved["fields"] == {"host": "db-1"} and resolved["created"] == int(NOW)
    assert bodies[pending["key"]] == pending
