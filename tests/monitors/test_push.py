"""Push monitors as a cron job uses them: on time, late, failing, with logs and durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from redis.asyncio import Redis
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import reports as m
from core.models import Monitor
from core.reports import decode_report
from core.settings import Settings
from harness.factories import TestUser, register_and_login
from probe_service.domain.push import MAX_LOG_BYTES, mark_late


async def push_monitor(
    client: httpx.AsyncClient, user: TestUser, **config: object
) -> dict[str, Any]:
    body = {"name": "backup", "type": "push", "config": {"period_seconds": 3600, **config}}
    created = await client.post("/monitors", headers=user.headers, json=body)
    assert created.status_code == 201, created.text
    made: dict[str, Any] = created.json()
    return made


async def status(client: httpx.AsyncClient, user: TestUser, monitor_id: int) -> dict[str, Any]:
    answer = await client.get(f"/monitors/{monitor_id}", headers=user.headers)
    seen: dict[str, Any] = answer.json()
    return seen


async def reports(redis: Redis) -> list[m.Report]:
    entries = await redis.xrange("reports")
    return [decode_report(fields["r"]) for _, fields in entries or []]  # type: ignore[index]


async def make_late(sessionmaker: async_sessionmaker[AsyncSession], monitor_id: int) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(Monitor)
            .where(Monitor.id == monitor_id)
            .values(push_deadline=datetime.now(UTC) - timedelta(seconds=1))
        )


async def test_pings_on_time_keep_it_up_and_a_missed_deadline_opens_one_incident(
    auth_client: httpx.AsyncClient,
    probe_client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    settings: Settings,
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    monitor = await push_monitor(probe_client, admin, grace_seconds=60)
    assert monitor["status"] == "pending" and monitor["push_deadline"] is None  # new: no deadline

    pinged = await probe_client.post(monitor["push_path"], content=b"backup done: 12 GB")
    assert pinged.json() == {"ok": True, "status": "up"}
    seen = await status(probe_client, admin, monitor["id"])
    deadline = datetime.fromisoformat(seen["push_deadline"])
    assert timedelta(seconds=3650) < deadline - datetime.now(UTC) <= timedelta(seconds=3660)

    assert await mark_late(sessionmaker, redis, maxlen=1000) == 0  # on time: nothing late
    await make_late(sessionmaker, monitor["id"])
    assert await mark_late(sessionmaker, redis, maxlen=1000) == 1
    assert await mark_late(sessionmaker, redis, maxlen=1000) == 0  # marked once, not again
    down = await status(probe_client, admin, monitor["id"])
    assert down["status"] == "down" and "late" in down["last_error"]
    incidents = (await probe_client.get("/incidents", headers=admin.headers)).json()
    assert len(incidents) == 1 and incidents[0]["resolved_at"] is None

    await probe_client.get(monitor["push_path"])
    incidents = (await probe_client.get("/incidents", headers=admin.headers)).json()
    assert incidents[0]["resolved_at"] is not None and incidents[0]["duration_seconds"] >= 0
    states = [(r.metrics[m.MONITOR_UP], r.metrics[m.MONITOR_DOWN]) for r in await reports(redis)]
    assert states == [(1.0, 0.0), (0.0, 1.0), (1.0, 0.0)]
    assert all(r.target_type == "monitor" for r in await reports(redis))


async def test_fail_and_exit_status_are_down_at_once_with_the_reason(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    monitor = await push_monitor(probe_client, admin)
    path = monitor["push_path"]
    assert (await probe_client.get(f"{path}/fail")).json()["status"] == "down"
    assert (await probe_client.get(path)).json()["status"] == "up"
    assert (await probe_client.post(f"{path}/3", content=b"disk full")).json()["status"] == "down"
    seen = await status(probe_client, admin, monitor["id"])
    assert seen["last_error"] == "the job ended with exit status 3"
    assert (await probe_client.get(f"{path}/0")).json()["status"] == "up"
    runs = (
        await probe_client.get(f"/monitors/{monitor['id']}/push-runs", headers=admin.headers)
    ).json()
    assert [r["kind"] for r in runs] == ["success", "fail", "success", "fail"]
    assert runs[1]["body"] == "disk full" and runs[1]["exit_status"] == 3
    assert (await probe_client.get(f"{path}/256")).status_code == 422
    incidents = (await probe_client.get("/incidents", headers=admin.headers)).json()
    assert len(incidents) == 2 and all(i["resolved_at"] for i in incidents)


async def test_a_run_with_start_reports_its_duration_and_a_stuck_run_goes_down(
    auth_client: httpx.AsyncClient,
    probe_client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    monitor = await push_monitor(probe_client, admin, grace_seconds=600)
    path = monitor["push_path"]
    await probe_client.get(f"{path}/start")
    started = await status(probe_client, admin, monitor["id"])
    deadline = datetime.fromisoformat(started["push_deadline"])
    assert deadline - datetime.now(UTC) <= timedelta(seconds=600)  # the run's grace, not the period
    await probe_client.get(path)
    runs = (
        await probe_client.get(f"/monitors/{monitor['id']}/push-runs", headers=admin.headers)
    ).json()
    assert runs[0]["kind"] == "success" and runs[0]["duration_ms"] is not None
    assert any(m.PUSH_RUN_SECONDS in r.metrics for r in await reports(redis))

    await probe_client.get(f"{path}/start")
    await make_late(sessionmaker, monitor["id"])
    await mark_late(sessionmaker, redis, maxlen=1000)
    stuck = await status(probe_client, admin, monitor["id"])
    assert stuck["status"] == "down" and "did not finish" in stuck["last_error"]


async def test_uptime_kuma_push_form_and_logs_are_kept_bounded(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    monitor = await push_monitor(probe_client, admin)
    key = monitor["push_path"].removeprefix("/ping/")
    down = await probe_client.get(f"/api/push/{key}?status=down&msg=db%20unreachable&ping=12")
    assert down.json()["status"] == "down"
    assert (await status(probe_client, admin, monitor["id"]))["last_error"] == "db unreachable"
    up = await probe_client.get(f"/api/push/{key}?status=up&msg=OK&ping=15.5")
    assert up.json()["status"] == "up"
    assert (await status(probe_client, admin, monitor["id"]))["last_response_ms"] == 15.5
    huge = b"\x00log line\n" * 5000
    await probe_client.post(f"/ping/{key}", content=huge)
    runs = (
        await probe_client.get(f"/monitors/{monitor['id']}/push-runs", headers=admin.headers)
    ).json()
    assert len(runs[0]["body"]) == MAX_LOG_BYTES and "\x00" not in runs[0]["body"]
    unknown = await probe_client.get("/ping/AAAAAAAAAAAAAAAAAAAAAAAA")
    assert unknown.status_code == 404
    hostile = await probe_client.get("/ping/abc%0d%0aSet-Cookie:x")
    assert hostile.status_code in (404, 422)


async def test_a_push_url_called_in_a_loop_gets_429s_and_fills_nothing(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient
) -> None:
    """A script stuck in a loop: past PROBE_PUSH_PER_MINUTE (60) calls a minute each call is
    a 429 with Retry-After (curl --retry waits for it), and only accepted calls are runs."""
    admin = await register_and_login(auth_client, "admin@example.com")
    monitor = await push_monitor(probe_client, admin, period_seconds=60)
    other = await push_monitor(probe_client, admin, period_seconds=60)
    key = monitor["push_path"].removeprefix("/ping/")
    # 130 calls span at most two clock minutes: one of them holds more than 60.
    answers = [(await probe_client.post(f"/ping/{key}", content=b"ok")) for _ in range(130)]
    refused = [a for a in answers if a.status_code == 429]
    assert refused and all(a.status_code in (200, 429) for a in answers)
    assert 1 <= int(refused[0].headers["retry-after"]) <= 60
    assert "at most 60 calls to one push URL a minute" in refused[0].json()["detail"]
    runs = await probe_client.get(
        f"/monitors/{monitor['id']}/push-runs", headers=admin.headers, params={"limit": 500}
    )
    accepted = len(answers) - len(refused)
    assert len(runs.json()) == min(accepted, 100)  # PROBE_PUSH_RUNS_KEPT
    # Another push URL of the same organization is not held back.
    other_key = other["push_path"].removeprefix("/ping/")
    assert (await probe_client.post(f"/ping/{other_key}")).status_code == 200


async def test_cron_schedules_in_a_time_zone_set_the_deadline(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    monitor = await push_monitor(
        probe_client, admin, cron="30 2 * * *", timezone="Europe/Berlin", grace_seconds=900
    )
    await probe_client.get(monitor["push_path"])
    deadline = datetime.fromisoformat(
        (await status(probe_client, admin, monitor["id"]))["push_deadline"]
    )
    local = (deadline - timedelta(seconds=900)).astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.hour, local.minute) == (2, 30)
    assert timedelta(0) < deadline - datetime.now(UTC) <= timedelta(days=1, seconds=900)


async def test_pausing_a_down_monitor_ends_its_incident_and_reports_it_paused(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient, redis: Redis
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    monitor = await push_monitor(probe_client, admin)
    await probe_client.get(f"{monitor['push_path']}/fail")
    paused = await probe_client.post(
        "/monitors/bulk", headers=admin.headers, json={"ids": [monitor["id"]], "active": False}
    )
    assert paused.json() == {"updated": 1}
    incidents = (await probe_client.get("/incidents", headers=admin.headers)).json()
    assert incidents[0]["resolved_at"] is not None
    last = (await reports(redis))[-1]
    assert (last.metrics[m.MONITOR_DOWN], last.metrics[m.MONITOR_UP]) == (0.0, 0.0)  # alerts end
    ignored = await probe_client.get(monitor["push_path"])
    assert ignored.json()["status"] == "paused"


async def test_pausing_one_monitor_by_editing_it_also_reports_it_paused(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient, redis: Redis
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    monitor = await push_monitor(probe_client, admin)
    await probe_client.get(f"{monitor['push_path']}/fail")
    edited = await probe_client.patch(
        f"/monitors/{monitor['id']}", headers=admin.headers, json={"active": False}
    )
    assert edited.json()["status"] == "paused"
    last = (await reports(redis))[-1]
    assert (last.metrics[m.MONITOR_DOWN], last.metrics[m.MONITOR_UP]) == (0.0, 0.0)
    again = await probe_client.patch(
        f"/monitors/{monitor['id']}", headers=admin.headers, json={"name": "renamed"}
    )
    assert again.status_code == 200
    assert len(await reports(redis)) == 2  # the fail, the pause: an edit of a paused one adds none
