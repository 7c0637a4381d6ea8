"""The alert worker killed (-9) mid-incident, as a real process: after it comes back, nobody
is told twice, nothing is missed, and a notification still being retried is delivered once,
even though the dead worker was in the middle of sending it (its lease runs out)."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from core.settings import Settings
from core.streams import append_reports
from harness.database import fetch
from harness.http_recorder import Recorded, http_recorder
from harness.live import module_process
from tests.alerting.evaluation import add_rule, make_org, report

pytestmark = pytest.mark.e2e

WORKER_ENV = {
    "ALERT_OUTBOUND_ALLOW_PRIVATE": "true",
    "ALERT_DELIVERY_BACKOFF_SECONDS": "0.5",
    "ALERT_CLAIM_IDLE_MS": "2000",
    "ALERT_DELIVERY_TIMEOUT_SECONDS": "2",  # a dead worker's lease ends 2 s + margin later
    "ALERT_GROUP_WAIT_SECONDS": "0",  # one alert: no group to wait for
    "ALERT_GROUP_INTERVAL_SECONDS": "0",
}


def _kinds(requests: list[Recorded]) -> list[str]:
    return [r.json()["kind"] for r in requests]


async def test_kill_9_mid_incident_no_duplicate_no_missed_notification(
    auth_client: httpx.AsyncClient, settings: Settings, log_dir: Path
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, threshold=80)
    producer = Redis.from_url(settings.redis_url)
    t = time.time() - 300
    with http_recorder() as hook:
        await fetch(
            settings.database_url,
            "UPDATE notification_channels SET config = jsonb_build_object('url', $1::text)",
            hook.url("/hook"),
        )
        hook.status["*"] = 500  # the receiver is down at first: the firing is being retried
        with module_process(
            "alert_service.worker", settings, log_dir, tag="first", extra_env=WORKER_ENV
        ) as first:
            await append_reports(producer, [report(org, t, 95)], maxlen=1000)
            await asyncio.to_thread(hook.wait_for, lambda r: len(r) >= 1, 20)  # failed
            hook.delay["*"] = 60  # the retry hangs: the worker dies holding it
            await asyncio.to_thread(hook.wait_for, lambda r: len(r) >= 2, 20)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        tries = len(hook.requests)
        hook.status["*"] = 200
        hook.delay["*"] = 0
        # While no worker runs, the incident goes on, then ends.
        more = [report(org, t + i, 96) for i in range(1, 5)] + [report(org, t + 5, 20)]
        await append_reports(producer, more, maxlen=1000)
        with module_process(
            "alert_service.worker", settings, log_dir, tag="second", extra_env=WORKER_ENV
        ):
            await asyncio.to_thread(hook.wait_for, lambda r: "resolved" in _kinds(r), 30)
            await asyncio.sleep(2)  # anything duplicated would arrive by now
    await producer.aclose()
    delivered = hook.requests[tries - 1 :]  # the last failed try, then what got through
    assert _kinds(hook.requests[:tries]) == ["firing"] * tries
    assert _kinds(delivered[1:]) == ["firing", "resolved"]
    rows = await fetch(
        settings.database_url,
        "SELECT kind, status FROM notification_deliveries ORDER BY id",
    )
    assert [(r["kind"], r["status"]) for r in rows] == [("firing", "sent"), ("resolved", "sent")]
    alerts = await fetch(settings.database_url, "SELECT resolved_at FROM alerts")
    assert len(alerts) == 1 and alerts[0]["resolved_at"] is not None
