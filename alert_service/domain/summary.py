"""The Device Monitoring Backend's daily summary: once a day, per organization, the day's alerts and
what fires now.

`send_daily_summaries` is cheap to call every minute (the evaluator does): outside the
configured hour it does nothing, and a Redis marker per organization and day makes the rest
of that hour a no-op, across restarts and replicas.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alert_service.config import AlertSettings
from alert_service.domain.channels import receiving
from alert_service.domain.messages import duration_text
from core.live import is_online, latest_reports
from core.logging import get_logger
from core.models import Agent, Alert, Monitor, NotificationChannel, Organization
from core.notifications import Notification, enqueue

log = get_logger(__name__)

PERIOD = timedelta(hours=24)
SEVERITIES = ("critical", "warning", "info")
MAX_FIRING_LISTED = 10
SENT_MARKER_TTL = int(timedelta(days=2).total_seconds())

Summary = tuple[str, str, dict[str, str]]


@dataclass(frozen=True)
class _Row:
    alert: Alert
    agent: str | None  # the name of the host or monitor


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _since(started: datetime, now: datetime) -> str:
    started = _as_utc(started)
    # Older than a day, a bare HH:MM would read as today.
    return started.strftime("%H:%M" if now - started < PERIOD else "%Y-%m-%d %H:%M")


def _describe(row: _Row) -> str:
    alert = row.alert
    labels = ", ".join(f"{k}={v}" for k, v in sorted(alert.labels.items()))
    metric = f"{alert.metric} ({labels})" if labels else alert.metric
    where = f" on {row.agent}" if row.agent else ""
    return f"#{alert.id} {alert.severity} {metric}{where}"


# --- Queries --------------------------------------------------------------------------------


async def _alerts_of_the_day(session: AsyncSession, org_id: int, now: datetime) -> list[_Row]:
    """Every alert open at some point of the last 24 h (still firing ones whatever their age)."""
    rows = await session.execute(
        select(Alert, func.coalesce(Agent.name, Monitor.name))
        .outerjoin(Agent, Agent.id == Alert.agent_id)
        .outerjoin(Monitor, Monitor.id == Alert.monitor_id)
        .where(
            Alert.org_id == org_id,
            Alert.started_at <= now,
            or_(Alert.resolved_at.is_(None), Alert.resolved_at >= now - PERIOD),
        )
        .order_by(Alert.started_at, Alert.id)
    )
    return [_Row(alert, agent) for alert, agent in rows]


async def _agents_online(
    session: AsyncSession, redis: Redis, org_id: int, now: datetime, max_missed: int
) -> tuple[int, int]:
    """(online, offline) among agents that ever reported, as the dashboard counts them."""
    agent_ids = set(await session.scalars(select(Agent.id).where(Agent.org_id == org_id)))
    seen = await latest_reports(redis, org_id)
    reported = [seen[i] for i in agent_ids & seen.keys()]
    online = sum(is_online(s.ts, s.interval, now.timestamp(), max_missed) for s in reported)
    return online, len(reported) - online


# --- The summary ----------------------------------------------------------------------------


def _new_alerts_line(new: Sequence[_Row]) -> str:
    by_severity = Counter(row.alert.severity for row in new)
    detail = ", ".join(f"{by_severity[s]} {s}" for s in SEVERITIES if by_severity[s])
    return f"New alerts: {len(new)}" + (f" ({detail})" if detail else "")


def _firing_lines(firing: Sequence[_Row], now: datetime) -> list[str]:
    lines = [f"Firing now: {len(firing)}"]
    # Most severe first, then oldest: what the reader should look at first.
    ranked = sorted(firing, key=lambda r: (SEVERITIES.index(r.alert.severity), r.alert.started_at))
    for row in ranked[:MAX_FIRING_LISTED]:
        notes = " (acknowledged)" if row.alert.acknowledged_at else ""
        notes += " (silenced)" if row.alert.silenced else ""
        lines.append(f"  {_describe(row)} since {_since(row.alert.started_at, now)}{notes}")
    if len(ranked) > MAX_FIRING_LISTED:
        lines.append(f"  ... and {len(ranked) - MAX_FIRING_LISTED} more")
    return lines


def _longest_line(rows: Sequence[_Row], now: datetime) -> str:
    def length(row: _Row) -> timedelta:
        return _as_utc(row.alert.resolved_at or now) - _as_utc(row.alert.started_at)

    longest = max(rows, key=length)
    state = ", still firing" if longest.alert.resolved_at is None else ""
    lasted = duration_text(length(longest).total_seconds())
    return f"Longest incident: {_describe(longest)}, {lasted}{state}"


def _fields(
    new: Sequence[_Row], resolved: int, firing: int, agents: tuple[int, int], now: datetime
) -> dict[str, str]:
    by_severity = Counter(row.alert.severity for row in new)
    return {
        "period_start": (now - PERIOD).isoformat(),
        "period_end": now.isoformat(),
        "alerts": str(len(new)),
        **{s: str(by_severity[s]) for s in SEVERITIES},
        "resolved": str(resolved),
        "firing": str(firing),
        "agents_online": str(agents[0]),
        "agents_offline": str(agents[1]),
    }


async def build_summary(
    session: AsyncSession, redis: Redis, org_id: int, now: datetime, *, max_missed: int
) -> Summary:
    """(title, text, fields) for the 24 hours up to `now`; hosts count as offline after
    `max_missed` report intervals (Settings.offline_after_missed_intervals)."""
    now = _as_utc(now)
    name = await session.scalar(select(Organization.name).where(Organization.id == org_id))
    rows = await _alerts_of_the_day(session, org_id, now)
    agents = await _agents_online(session, redis, org_id, now, max_missed)
    new = [r for r in rows if _as_utc(r.alert.started_at) >= now - PERIOD]
    firing = [r for r in rows if r.alert.resolved_at is None]
    resolved = len(rows) - len(firing)
    lines = [f"Daily summary for {name}: the 24 hours to {now:%Y-%m-%d %H:%M} UTC"]
    if not rows:
        lines.append("All quiet: no alerts in the last 24 hours and nothing firing.")
    else:
        lines += [_new_alerts_line(new), f"Resolved: {resolved}", *_firing_lines(firing, now)]
        lines.append(_longest_line(rows, now))
    if sum(agents):
        lines.append(f"Agents: {agents[0]} online, {agents[1]} offline")
    state = f"{len(firing)} firing, {len(new)} new" if rows else "all quiet"
    title = f"Daily summary for {name}: {state}"
    return title, "\n".join(lines), _fields(new, resolved, len(firing), agents, now)


# --- Sending --------------------------------------------------------------------------------


async def _summary_channels(session: AsyncSession) -> dict[int, list[int]]:
    """Organization → its enabled channels that asked for the summary."""
    rows = await session.execute(
        select(NotificationChannel.org_id, NotificationChannel.id)
        .where(receiving(), NotificationChannel.daily_summary.is_(True))
        .order_by(NotificationChannel.org_id, NotificationChannel.id)
    )
    channels: dict[int, list[int]] = {}
    for org_id, channel_id in rows:
        channels.setdefault(org_id, []).append(channel_id)
    return channels


def _notes(
    org_id: int, channel_ids: Sequence[int], summary: Summary, now: datetime, link: str
) -> list[Notification]:
    title, text, fields = summary
    return [
        Notification(
            key=f"summary:{org_id}:{now.date().isoformat()}",
            org_id=org_id,
            channel_id=channel_id,
            kind="summary",
            severity="info",
            title=title,
            text=text,
            fields=fields,
            link=link,
            created=now.timestamp(),
        )
        for channel_id in channel_ids
    ]


async def _send_one(
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    org_id: int,
    channel_ids: Sequence[int],
    now: datetime,
    link: str,
    max_missed: int,
) -> int:
    marker = f"alerting:summary-sent:{org_id}:{now.date().isoformat()}"
    if not await redis.set(marker, now.isoformat(), nx=True, ex=SENT_MARKER_TTL):
        return 0
    try:
        async with sessionmaker() as session:
            summary = await build_summary(session, redis, org_id, now, max_missed=max_missed)
        await enqueue(redis, _notes(org_id, channel_ids, summary, now, link))
    except BaseException:
        # Not sent: let the next call (a minute later, same hour) try again.
        await redis.delete(marker)
        raise
    log.info("daily summary enqueued", org_id=org_id, channels=len(channel_ids))
    return len(channel_ids)


async def send_daily_summaries(
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    alert_settings: AlertSettings,
    now: datetime,
    *,
    max_missed: int,
) -> int:
    """At the configured hour (UTC), one summary per organization and day; returns how many
    notifications were enqueued. Call it as often as you like."""
    now = _as_utc(now)
    if now.hour != alert_settings.daily_summary_hour:
        return 0
    async with sessionmaker() as session:
        channels = await _summary_channels(session)
    link = alert_settings.public_url.rstrip("/") + "/alerts"
    sent = 0
    for org_id, channel_ids in channels.items():
        try:
            sent += await _send_one(sessionmaker, redis, org_id, channel_ids, now, link, max_missed)
        except Exception:
            # One organization's failure must not cost the others their summary.
            log.exception("daily summary failed", org_id=org_id)
    return sent
