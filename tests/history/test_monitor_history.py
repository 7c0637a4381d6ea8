"""An uptime monitor's checks, as reports on the stream, come back as its charts."""

from __future__ import annotations

import time

import httpx
from redis.asyncio import Redis

from core import reports as m
from core.reports import Report
from core.settings import Settings
from harness.clients import asgi_client
from tests.history.conftest import Tenant
from tests.history.helpers import append, drained, running_worker, settled

STEP = 60


def check_report(org_id: int, monitor_id: int, ts: float, response_ms: float) -> Report:
    return Report(
        id=f"probe:{monitor_id}:{ts}",
        org_id=org_id,
        target_type=m.TARGET_MONITOR,
        target_id=monitor_id,
        source="probe",
        ts=ts,
        metrics={m.MONITOR_UP: 1.0, m.RESPONSE_TIME_MS: response_ms, m.CERT_DAYS_LEFT: 42.0},
    )


async def test_a_monitors_response_times_are_charted_and_stay_in_its_organization(
    alice: Tenant,
    bob: Tenant,
    history_client: httpx.AsyncClient,
    settings: Settings,
    redis: Redis,
) -> None:
    from probe_service.app import create_app

    async with asgi_client(create_app(settings)) as probe:
        body = {"name": "site", "type": "push"}
        monitor = (await probe.post("/monitors", headers=alice.user.headers, json=body)).json()
    start = (int(time.time()) // STEP) * STEP - 5 * STEP
    # The monitor's id as an agent id of another organization must not mix the two.
    await append(
        redis,
        [check_report(alice.org_id, monitor["id"], start + i * STEP, 100 + i) for i in range(5)]
        + [check_report(bob.org_id, alice.agent_id, start, 999.0)],
    )
    async with running_worker(settings):
        await drained(redis)
    await settled(settings.tsdb_url, f'{{target_type="monitor",target_id="{monitor["id"]}"}}')

    chart = await history_client.get(
        f"/history/monitors/{monitor['id']}/metrics/response_time_ms",
        params={"start": "-10m"},
        headers=alice.user.headers,
    )
    assert chart.status_code == 200, chart.text
    [series] = chart.json()["series"]
    points = dict(zip(series["timestamps"], series["values"], strict=True))
    assert [points.get(start + i * STEP) for i in range(5)] == [100, 101, 102, 103, 104]

    theirs = await history_client.get(
        f"/history/monitors/{monitor['id']}/metrics/response_time_ms", headers=bob.user.headers
    )
    assert theirs.status_code == 404
    agent_chart = await history_client.get(
        f"/history/{alice.agent_id}/metrics/response_time_ms",
        params={"start": "-10m"},
        headers=alice.user.headers,
    )
    assert agent_chart.json()["series"] == []  # Bob's monitor report is not Alice's host's
