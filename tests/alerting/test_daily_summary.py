"""The Device Monitoring Backend's daily summary: once a day per organization, to the channels that
asked for it."""

from __future__ import annotations

import functools
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alert_service.config import AlertSettings
from alert_service.domain.summary import build_summary, send_daily_summaries
from core.live import latest_key, live_frame
from core.notifications import (
    NOTIFICATION_FIELD,
    NOTIFICATIONS_STREAM,
    Notification,
    decode_notification,
)
from core.reports import Report
from core.settings import Settings
from tests.harness.database import fetch

NOW = datetime(2025, 3, 4, 8, 0, 30, tzinfo=UTC)
ALERT_SETTINGS = AlertSettings(daily_summary_hour=8, public_url="https://sm.example/")


async def _one(settings: Settings, query: str, *args: object) -> int:
    rows = await fetch(settings.database_url, query + " RETURNING id", *args)
    row_id: int = rows[0]["id"]
    return row_id


async def _org(settings: Settings, name: str) -> int:
    return await _one(settings, "INSERT INTO organizations (name) VALUES ($1)", name)


async def _agent(
    settings: Settings,
    redis: Redis,
    org_id: int,
    name: str,
    seen: datetime | None,
    interval: float | None = None,
) -> int:
    """An agent whose latest report (as ingestion keeps it) arrived at `seen`."""
    agent_id = await _one(
        settings,
        "INSERT INTO agents (org_id, name, token_hash, token_created_at, last_seen_at,"
        " host_info, labels) VALUES ($1, $2, $3, $4, $5, '{}', '{}')",
        org_id,
        name,
        secrets.token_hex(32),
        NOW - timedelta(days=30),
        seen,
    )
    if seen is not None:
        report = Report(
            id=secrets.token_hex(8),
            org_id=org_id,
            target_type="agent",
            target_id=agent_id,
            source="agent",
            ts=seen.timestamp(),
            metrics={},
            interval=interval,
        )
        await redis.hset(latest_key(org_id), str(agent_id), live_frame(report))
    return agent_id


async def _channel(settings: Settings, org_id: int, *, summary: bool, enabled: bool = True) -> int:
    return await _one(
        settings,
        "INSERT INTO notification_channels (org_id, type, name, config, enabled, daily_summary)"
        " VALUES ($1, 'webhook', $2, '{}', $3, $4)",
        org_id,
        secrets.token_hex(4),
        enabled,
        summary,
    )


async def _alert(
    settings: Settings,
    org_id: int,
    severity: str,
    metric: str,
    *,
    agent_id: int | None,
    started: timedelta,
    lasted: timedelta | None = None,
    labels: str = "{}",
) -> int:
    """An alert that began `started` before NOW and, with `lasted`, resolved after that long."""
    began = NOW - started
    return await _one(
        settings,
        "INSERT INTO alerts (org_id, agent_id, metric, condition, severity, value, threshold,"
        " started_at, resolved_at, silenced, labels)"
        " VALUES ($1, $2, $3, 'gt', $4, 95, 90, $5, $6, false, $7::jsonb)",
        org_id,
        agent_id,
        metric,
        severity,
        began,
        began + lasted if lasted else None,
        labels,
    )


async def _stream(redis: Redis) -> list[Notification]:
    entries: Any = await redis.xrange(NOTIFICATIONS_STREAM)
    return [decode_notification(fields[NOTIFICATION_FIELD]) for _, fields in entries]


async def test_summary_goes_once_a_day_to_the_chosen_channels_with_the_days_counts(
    settings: Settings, redis: Redis, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    acme = await _org(settings, "Acme")
    # Sent without an interval, once a minute: web-1 missed 1 interval (online), db-1 120 (offline).
    web = await _agent(settings, redis, acme, "web-1", NOW - timedelta(minutes=1))
    db = await _agent(settings, redis, acme, "db-1", NOW - timedelta(hours=2))
    await _agent(settings, redis, acme, "never-connected", None)
    h = timedelta(hours=1)
    cpu = await _alert(settings, acme, "critical", "cpu", agent_id=web, started=2 * h)
    await _alert(settings, acme, "warning", "memory", agent_id=db, started=5 * h, lasted=h)
    disk = await _alert(
        settings, acme, "warning", "disk", agent_id=db, started=30 * h, labels='{"mount": "/d"}'
    )
    await _alert(settings, acme, "info", "load", agent_id=None, started=3 * h, lasted=h / 6)
    old = await _alert(settings, acme, "critical", "swap", agent_id=web, started=72 * h, lasted=h)
    await _alert(settings, acme, "warning", "net", agent_id=web, started=26 * h, lasted=6 * h)
    chosen = await _channel(settings, acme, summary=True)
    await _channel(settings, acme, summary=False)
    await _channel(settings, acme, summary=True, enabled=False)
    quiet = await _org(settings, "Quiet Co")
    quiet_channel = await _channel(settings, quiet, summary=True)
    await _channel(settings, await _org(settings, "No Summary"), summary=False)
    send = functools.partial(
        send_daily_summaries,
        sessionmaker,
        redis,
        ALERT_SETTINGS,
        max_missed=settings.offline_after_missed_intervals,
    )

    assert await send(NOW) == 2
    notes = {note.org_id: note for note in await _stream(redis)}
    assert set(notes) == {acme, quiet}
    note = notes[acme]
    assert (note.channel_id, note.kind, note.severity) == (chosen, "summary", "info")
    assert note.key == f"summary:{acme}:2025-03-04"
    assert note.link == "https://sm.example/alerts"
    assert note.title == "Daily summary for Acme: 2 firing, 3 new"
    lines = note.text.splitlines()
    assert "New alerts: 3 (1 critical, 1 warning, 1 info)" in lines
    assert "Resolved: 3" in lines and "Firing now: 2" in lines
    assert f"  #{cpu} critical cpu on web-1 since 06:00" in lines
    assert f"  #{disk} warning disk (mount=/d) on db-1 since 2025-03-03 02:00" in lines
    assert f"Longest incident: #{disk} warning disk (mount=/d) on db-1, 1 d 6 h, still firing" in (
        lines
    )
    assert "Agents: 1 online, 1 offline" in lines
    assert f"#{old} " not in note.text
    assert note.fields["alerts"] == "3" and note.fields["firing"] == "2"
    assert notes[quiet].channel_id == quiet_channel
    assert "All quiet: no alerts in the last 24 hours and nothing firing." in notes[quiet].text

    later_that_hour = NOW + timedelta(minutes=58)
    assert await send(later_that_hour) == 0
    assert await send(NOW + h) == 0
    assert await send(NOW - h) == 0
    assert len(await _stream(redis)) == 2
    next_day = NOW + timedelta(days=1)
    assert await send(next_day) == 2
    assert {n.key for n in (await _stream(redis))[2:]} == {
        f"summary:{acme}:2025-03-05",
        f"summary:{quiet}:2025-03-05",
    }


async def test_firing_list_stops_at_ten_most_severe_first(
    settings: Settings, redis: Redis, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    org = await _org(settings, "Busy")
    started = timedelta(minutes=30)
    warnings = [
        await _alert(settings, org, "warning", f"m{i}", agent_id=None, started=started)
        for i in range(11)
    ]
    critical = await _alert(settings, org, "critical", "cpu", agent_id=None, started=started)
    async with sessionmaker() as session:
        title, text, fields = await build_summary(
            session, redis, org, NOW, max_missed=settings.offline_after_missed_intervals
        )
    lines = text.splitlines()
    assert "Firing now: 12" in lines and fields["firing"] == "12"
    listed = [line for line in lines if line.startswith("  #")]
    assert len(listed) == 10 and listed[0].startswith(f"  #{critical} critical")
    assert "  ... and 2 more" in lines
    assert f"#{warnings[-1]} " not in text
    assert title == "Daily summary for Busy: 12 firing, 12 new"


async def test_hosts_count_as_offline_exactly_when_the_dashboard_says_so(
    settings: Settings, redis: Redis, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """An agent reporting every 5 s and silent for a minute has missed 12 intervals: offline
    in the agents overview, so offline in the summary too."""
    org = await _org(settings, "Fast")
    await _agent(settings, redis, org, "fast-1", NOW - timedelta(seconds=60), interval=5)
    await _agent(settings, redis, org, "fast-2", NOW - timedelta(seconds=10), interval=5)
    async with sessionmaker() as session:
        _, text, fields = await build_summary(
            session, redis, org, NOW, max_missed=settings.offline_after_missed_intervals
        )
    assert "Agents: 1 online, 1 offline" in text.splitlines()
    assert (fields["agents_online"], fields["agents_offline"]) == ("1", "1")
