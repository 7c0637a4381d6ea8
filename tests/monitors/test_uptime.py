"""Uptime figures and daily bars from known check sequences."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Monitor
from core.settings import Settings
from harness.factories import insert_org, register_and_login
from probe_service.domain import records
from probe_service.domain.results import Outcome, day_of, write

DAY = 86_400


async def monitor(sessionmaker: async_sessionmaker[AsyncSession], org_id: int, name: str) -> int:
    async with sessionmaker() as session, session.begin():
        row = {"org_id": org_id, "name": name, "type": "push", "config": {}, "labels": {}}
        found = await session.scalar(insert(Monitor).values(row).returning(Monitor.id))
        assert found is not None
        return int(found)


def checks(monitor_id: int, org_id: int, at: float, statuses: list[str]) -> list[Outcome]:
    return [
        Outcome(
            monitor_id=monitor_id,
            org_id=org_id,
            at=at + i * 0.001,
            status=status,
            failures=0,
            status_changed=False,
            response_ms=100.0 * (i + 1) if status in ("up", "degraded") else None,
        )
        for i, status in enumerate(statuses)
    ]


async def test_uptime_counts_up_and_degraded_against_down_over_each_window(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis
) -> None:
    org_id = await insert_org(settings)
    site = await monitor(sessionmaker, org_id, "site")
    quiet = await monitor(sessionmaker, org_id, "quiet")
    now = time.time()
    today = now - 1 if now - day_of(now).timestamp() > 2 else now  # stay inside today
    outcomes = (
        # today: 3 up, 1 degraded, 1 down; pending and unreachable count for neither
        checks(site, org_id, today - 1, ["up", "up", "degraded", "down", "up", "pending"])
        + checks(site, org_id, today - 0.5, ["unreachable"])
        + checks(site, org_id, now - 10 * DAY, ["up", "down"])  # 10 days ago: 50 %
        + checks(site, org_id, now - 100 * DAY, ["down", "down"])  # in the year only
        + checks(site, org_id, now - 400 * DAY, ["up"])  # older than a year: not counted
    )
    async with sessionmaker() as session, session.begin():
        await write(session, outcomes)
    async with sessionmaker() as session:
        found = {u.monitor_id: u for u in await records.uptime(session, org_id, days=True)}
    figures = found[site].uptime
    assert figures == {
        "24h": 80.0,
        "7d": 80.0,
        "30d": round(100 * 5 / 7, 3),
        "90d": round(100 * 5 / 7, 3),
        "365d": round(100 * 5 / 9, 3),
    }
    assert found[site].avg_response_ms["24h"] == round((100 + 200 + 300 + 500) / 4, 2)
    bars = found[site].days
    assert len(bars) == 90
    assert (bars[-1].uptime, bars[-1].checks, bars[-1].down) == (80.0, 5, 1)
    assert (bars[-11].uptime, bars[-11].checks) == (50.0, 2)
    assert [b.uptime for b in bars[:-11]] == [None] * 79
    assert set(found[quiet].uptime.values()) == {None}  # no checks: no figure, not 0 or 100

    # The list page's path: past days from the day's cache, today and the last 24 h live.
    async with sessionmaker() as session:
        listed = {u.monitor_id: u for u in await records.uptime(session, org_id, redis=redis)}
    assert listed[site].uptime == figures and listed[site].days == []
    async with sessionmaker() as session, session.begin():
        await write(session, checks(site, org_id, today - 0.2, ["down", "down", "down"]))
    async with sessionmaker() as session:
        again = {u.monitor_id: u for u in await records.uptime(session, org_id, redis=redis)}
        one = (await records.uptime(session, org_id, site))[0]
    assert again[site].uptime["24h"] == 50.0  # 4 of 8: today's checks are never cached
    assert again[site].uptime["365d"] == round(100 * 5 / 12, 3)
    assert one.uptime == again[site].uptime


async def test_heartbeats_give_a_rows_slots_and_latest_response_times_in_one_request(
    auth_client: httpx.AsyncClient,
    probe_client: httpx.AsyncClient,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """What the list draws per row (a 24 h bar of 30-minute slots, each its worst status,
    and a sparkline), for all rows on screen at once; another organization's id is left out."""
    admin = await register_and_login(auth_client, "admin@example.com")
    assert admin.org_id is not None
    site = await monitor(sessionmaker, admin.org_id, "site")
    quiet = await monitor(sessionmaker, admin.org_id, "quiet")
    other_org = await insert_org(settings)
    foreign = await monitor(sessionmaker, other_org, "foreign")
    now = time.time()
    outcomes = (
        checks(site, admin.org_id, now - 25 * 3600, ["down"])  # before the 24 h
        + checks(site, admin.org_id, now - 23 * 3600 - 600, ["up", "down", "up"])  # slot 1
        + checks(site, admin.org_id, now - 60, ["up", "degraded"])  # the last slot
    )
    async with sessionmaker() as session, session.begin():
        await write(session, outcomes)
        await write(session, checks(foreign, other_org, now - 60, ["down"]))
    answer = await probe_client.get(
        "/monitors/heartbeats",
        params={"ids": [site, quiet, foreign]},
        headers=admin.headers,
    )
    assert answer.status_code == 200, answer.text
    found = {beat["monitor_id"]: beat for beat in answer.json()}
    assert found.keys() == {site, quiet}
    slots = found[site]["slots"]
    assert found[site]["slot_seconds"] == 1800 and len(slots) == 48
    assert slots[1] == {"status": "down", "checks": 3, "down": 1}
    assert slots[47] == {"status": "degraded", "checks": 2, "down": 0}
    assert [s["checks"] for s in slots[2:47]] == [0] * 45 and slots[0]["status"] is None
    assert found[site]["recent_ms"] == [100.0, None, 300.0, 100.0, 200.0]
    assert abs(datetime.fromisoformat(found[site]["latest_at"]).timestamp() - (now - 60)) < 0.01
    assert found[quiet]["recent_ms"] == [] and found[quiet]["latest_at"] is None
    assert {slot["status"] for slot in found[quiet]["slots"]} == {None}


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({}, "ids"),
        ({"ids": [0]}, "ids"),
        ({"ids": ["x"]}, "ids"),
        ({"ids": list(range(1, 102))}, "ids"),
        ({"ids": [1], "hours": 49}, "hours"),
        ({"ids": [1], "slots": 0}, "slots"),
    ],
)
async def test_heartbeats_refuse_bad_asks_naming_them(
    auth_client: httpx.AsyncClient,
    probe_client: httpx.AsyncClient,
    params: dict[str, Any],
    problem: str,
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    answer = await probe_client.get("/monitors/heartbeats", params=params, headers=admin.headers)
    assert answer.status_code == 422 and problem in answer.text, answer.text
