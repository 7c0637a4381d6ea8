"""What monitors did: recent checks, incidents, uptime figures and daily bars.

Uptime counts checks: up and degraded are up, down is down; pending (retrying) and
unreachable (parent down) count for neither. The last 24 h come from the hourly rollups,
longer windows and the daily bars from the daily ones (kept PROBE_ROLLUP_RETENTION_DAYS),
so one query answers for one monitor or all of an organization's.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Monitor, MonitorCheck, MonitorIncident, MonitorRollup, PushRun
from core.schemas.monitors import CheckPublic, IncidentPublic, UptimeDay, UptimePublic

WINDOWS_DAYS = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}
BAR_DAYS = 90
MAX_CHECKS = 5000


async def recent_checks(
    session: AsyncSession, monitor_id: int, hours: float, limit: int
) -> list[CheckPublic]:
    since = datetime.now(UTC) - timedelta(hours=hours)
    rows = await session.scalars(
        select(MonitorCheck)
        .where(MonitorCheck.monitor_id == monitor_id, MonitorCheck.checked_at >= since)
        .order_by(MonitorCheck.checked_at.desc())
        .limit(min(limit, MAX_CHECKS))
    )
    return [CheckPublic.model_validate(row) for row in rows]


async def incidents(
    session: AsyncSession,
    org_id: int,
    *,
    limit: int,
    monitor_id: int | None = None,
    open_: bool | None = None,
) -> list[IncidentPublic]:
    query = (
        select(MonitorIncident, Monitor.name)
        .join(Monitor, Monitor.id == MonitorIncident.monitor_id)
        .where(MonitorIncident.org_id == org_id)
    )
    if monitor_id is not None:
        query = query.where(MonitorIncident.monitor_id == monitor_id)
    if open_ is not None:
        resolved = MonitorIncident.resolved_at
        query = query.where(resolved.is_(None) if open_ else resolved.is_not(None))
    rows = await session.execute(
        query.order_by(MonitorIncident.started_at.desc(), MonitorIncident.id.desc()).limit(limit)
    )
    return [_incident(incident, name) for incident, name in rows.all()]


def _incident(row: MonitorIncident, name: str) -> IncidentPublic:
    seconds = (row.resolved_at - row.started_at).total_seconds() if row.resolved_at else None
    shown = seconds if seconds is not None else (datetime.now(UTC) - row.started_at).total_seconds()
    return IncidentPublic(
        id=row.id,
        monitor_id=row.monitor_id,
        monitor_name=name,
        started_at=row.started_at,
        resolved_at=row.resolved_at,
        duration_seconds=seconds,
        duration=human_duration(shown),
        error=row.error,
    )


def human_duration(seconds: float) -> str:
    """Python Monitor's format: "2h 30m", "45s", "3d 4h"."""
    total = max(0, int(seconds))
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")]
    shown = [f"{value}{unit}" for value, unit in parts if value][:2]
    return " ".join(shown) or "0s"


def _window(condition: ColumnElement[bool]) -> list[Any]:
    r = MonitorRollup
    return [
        func.sum(r.up + r.degraded).filter(condition),
        func.sum(r.up + r.degraded + r.down).filter(condition),
        func.sum(r.response_ms_sum).filter(condition),
        func.sum(r.response_count).filter(condition),
    ]


async def uptime(
    session: AsyncSession, org_id: int, monitor_id: int | None = None, *, days: bool = False
) -> list[UptimePublic]:
    """Figures for each monitor of the organization (or one), aggregated in PostgreSQL;
    `days`: the 90 daily bars too."""
    now = datetime.now(UTC)
    today = now.date()
    r = MonitorRollup
    windows = {"24h": and_(r.period == "h", r.bucket > now - timedelta(hours=24))}
    for name, count in WINDOWS_DAYS.items():
        windows[name] = and_(r.period == "d", r.bucket >= _day_start(today, count - 1))
    columns = [column for condition in windows.values() for column in _window(condition)]
    query = (
        select(Monitor.id, *columns)
        .outerjoin(r, and_(r.monitor_id == Monitor.id, r.bucket >= _day_start(today, 364)))
        .where(Monitor.org_id == org_id)
        .group_by(Monitor.id)
        .order_by(Monitor.id)
    )
    if monitor_id is not None:
        query = query.where(Monitor.id == monitor_id)
    bars = await _bars(session, org_id, monitor_id, today) if days else {}
    result = []
    for row in (await session.execute(query)).all():
        values = list(row)[1:]
        figures, response = {}, {}
        for index, name in enumerate(windows):
            up, total, ms_sum, ms_count = values[index * 4 : index * 4 + 4]
            figures[name] = round(100 * up / total, 3) if total else None
            response[name] = round(ms_sum / ms_count, 2) if ms_count else None
        result.append(
            UptimePublic(
                monitor_id=row[0], uptime=figures, avg_response_ms=response,
                days=_day_list(bars.get(row[0], {}), today) if days else [],
            )
        )  # fmt: skip
    return result


def _day_start(today: date, back: int) -> datetime:
    return datetime.combine(today - timedelta(days=back), datetime.min.time(), UTC)


async def _bars(
    session: AsyncSession, org_id: int, monitor_id: int | None, today: date
) -> dict[int, dict[date, MonitorRollup]]:
    query = select(MonitorRollup).where(
        MonitorRollup.org_id == org_id,
        MonitorRollup.period == "d",
        MonitorRollup.bucket >= _day_start(today, BAR_DAYS - 1),
    )
    if monitor_id is not None:
        query = query.where(MonitorRollup.monitor_id == monitor_id)
    found: dict[int, dict[date, MonitorRollup]] = defaultdict(dict)
    for row in await session.scalars(query):
        found[row.monitor_id][row.bucket.date()] = row
    return found


def _day_list(rows: dict[date, MonitorRollup], today: date) -> list[UptimeDay]:
    bars = []
    for back in range(BAR_DAYS - 1, -1, -1):
        day = today - timedelta(days=back)
        row = rows.get(day)
        total = row.up + row.degraded + row.down if row else 0
        bars.append(
            UptimeDay(
                day=day.isoformat(),
                uptime=round(100 * (row.up + row.degraded) / total, 3) if row and total else None,
                checks=total,
                down=row.down if row else 0,
            )
        )
    return bars


async def push_runs(session: AsyncSession, monitor_id: int, limit: int) -> list[PushRun]:
    rows = await session.scalars(
        select(PushRun)
        .where(PushRun.monitor_id == monitor_id)
        .order_by(PushRun.received_at.desc(), PushRun.id.desc())
        .limit(limit)
    )
    return list(rows)


async def status_counts(session: AsyncSession, org_id: int) -> dict[str, int]:
    rows = await session.execute(
        select(Monitor.status, func.count())
        .where(Monitor.org_id == org_id)
        .group_by(Monitor.status)
    )
    return {status: count for status, count in rows.all()}
