"""Uptime figures and daily bars from known check sequences."""

from __future__ import annotations

import time

from redis.asyncio import Redis
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Monitor
from core.settings import Settings
from harness.factories import insert_org
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
