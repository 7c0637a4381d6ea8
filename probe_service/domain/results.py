"""Check outcomes written down: check rows, monitor state, incidents, rollups, then reports.

One transaction per batch (the worker flushes every PROBE_FLUSH_SECONDS; a push call writes
its own): the check rows, each monitor's new state, incidents opened and closed, and the
hourly and daily counters. Only after it committed do the reports go onto the `reports`
stream, for history, alerting and the live view. A monitor deleted or paused while its
check ran is left out, not resurrected.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import reports as m
from core.live import MonitorFrame, monitor_frame, monitors_channel
from core.models import Monitor, MonitorCheck, MonitorIncident, MonitorRollup
from core.reports import Report
from core.streams import append_reports
from probe_service.domain.state import Transition

MAX_ERROR_LENGTH = 1000


@dataclass(frozen=True)
class Outcome:
    monitor_id: int
    org_id: int
    at: float  # unix seconds
    status: str
    failures: int
    status_changed: bool
    transition: Transition | None = None
    response_ms: float | None = None
    status_code: int | None = None
    error: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    cert_expires_at: datetime | None = None

    @property
    def when(self) -> datetime:
        return datetime.fromtimestamp(self.at, UTC)

    def frame(self) -> MonitorFrame:
        return MonitorFrame(
            id=self.monitor_id,
            org_id=self.org_id,
            ts=self.at,
            status=self.status,
            response_ms=self.response_ms,
            error=_cut(self.error),
        )

    def report(self) -> Report:
        metrics = {
            m.MONITOR_UP: float(self.status in ("up", "degraded")),
            m.MONITOR_DOWN: float(self.status == "down"),
            m.MONITOR_DEGRADED: float(self.status == "degraded"),
            m.MONITOR_UNREACHABLE: float(self.status == "unreachable"),
            **self.metrics,
        }
        if self.response_ms is not None:
            metrics[m.RESPONSE_TIME_MS] = self.response_ms
        return Report(
            id=f"probe:{self.monitor_id}:{self.at:.3f}",
            org_id=self.org_id,
            target_type=m.TARGET_MONITOR,
            target_id=self.monitor_id,
            source="probe",
            ts=self.at,
            metrics=metrics,
        )


async def record(
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    outcomes: Sequence[Outcome],
    *,
    maxlen: int,
) -> int:
    """Writes the outcomes and appends their reports before committing; returns how many
    were kept. Redis failing rolls the batch back, so the caller's retry writes each check
    once (after a commit it would count them twice, in checks, rollups and incidents); the
    process dying between the append and the commit leaves reports without their rows,
    which history and alerting take as the checks they were."""
    if not outcomes:
        return 0
    async with sessionmaker() as session, session.begin():
        kept = await write(session, outcomes)
        if kept:
            await publish(redis, kept, maxlen=maxlen)
    return len(kept)


async def publish(redis: Redis, kept: Sequence[Outcome], *, maxlen: int) -> None:
    """The reports onto the stream, then the live frames (a lost frame is harmless)."""
    await append_reports(redis, [o.report() for o in kept], maxlen=maxlen)
    async with redis.pipeline(transaction=False) as pipe:
        for o in kept:
            pipe.publish(monitors_channel(o.org_id), monitor_frame(o.frame()))
        await pipe.execute()


async def write(session: AsyncSession, outcomes: Sequence[Outcome]) -> list[Outcome]:
    live = await _active_monitors(session, {o.monitor_id for o in outcomes})
    kept = [o for o in outcomes if o.monitor_id in live]
    if not kept:
        return []
    await session.execute(insert(MonitorCheck), [_check_row(o) for o in kept])
    await _update_state(session, _newest_per_monitor(kept))
    await _incidents(session, kept)
    await _rollups(session, kept)
    return kept


async def _active_monitors(session: AsyncSession, ids: set[int]) -> set[int]:
    # KEY SHARE: a concurrent delete waits for this batch instead of breaking its inserts.
    rows = await session.scalars(
        select(Monitor.id)
        .where(Monitor.id.in_(ids), Monitor.active)
        .with_for_update(key_share=True)
    )
    return set(rows)


def _check_row(o: Outcome) -> dict[str, Any]:
    return {
        "monitor_id": o.monitor_id,
        "org_id": o.org_id,
        "checked_at": o.when,
        "status": o.status,
        "response_ms": o.response_ms,
        "status_code": o.status_code,
        "error": _cut(o.error),
        "details": o.details,
    }


def _newest_per_monitor(outcomes: Sequence[Outcome]) -> list[Outcome]:
    newest: dict[int, Outcome] = {}
    for o in outcomes:
        if o.monitor_id not in newest or o.at >= newest[o.monitor_id].at:
            newest[o.monitor_id] = o
    return list(newest.values())


async def _update_state(session: AsyncSession, outcomes: list[Outcome]) -> None:
    changed = [o for o in outcomes if o.status_changed]
    same = [o for o in outcomes if not o.status_changed]
    for rows, with_since in ((changed, True), (same, False)):
        if rows:
            await session.execute(_state_update(with_since), [_state_row(o) for o in rows])


def _state_update(with_since: bool) -> Any:
    values: dict[str, Any] = {
        "status": bindparam("s_status"),
        "failures": bindparam("s_failures"),
        "last_check_at": bindparam("s_at"),
        "last_response_ms": bindparam("s_response_ms"),
        "last_error": bindparam("s_error"),
        "cert_expires_at": bindparam("s_cert"),
    }
    if with_since:
        values["status_since"] = bindparam("s_at")
    # The table, not the mapped class: executemany with our own WHERE (only active monitors),
    # which the ORM's bulk update by primary key would not take.
    table = Monitor.__table__
    assert isinstance(table, Table)  # noqa: S101 - a mapped class's table
    return update(table).where(table.c.id == bindparam("s_id"), table.c.active).values(**values)


def _state_row(o: Outcome) -> dict[str, Any]:
    return {
        "s_id": o.monitor_id,
        "s_status": o.status,
        "s_failures": o.failures,
        "s_at": o.when,
        "s_response_ms": o.response_ms,
        "s_error": _cut(o.error),
        "s_cert": o.cert_expires_at,
    }


async def _incidents(session: AsyncSession, outcomes: list[Outcome]) -> None:
    # executemany: one statement however many monitors changed (a storm of late push
    # monitors opens thousands at once).
    opened = [o for o in outcomes if o.transition is Transition.opened]
    closed = _newest_per_monitor([o for o in outcomes if o.transition is Transition.closed])
    if opened:
        rows = [
            {"org_id": o.org_id, "monitor_id": o.monitor_id, "started_at": o.when,
             "error": _cut(o.error)}
            for o in opened
        ]  # fmt: skip
        # One open incident per monitor (partial unique index): a replay is a no-op.
        await session.execute(pg_insert(MonitorIncident).on_conflict_do_nothing(), rows)
    if closed:
        table = MonitorIncident.__table__
        assert isinstance(table, Table)  # noqa: S101 - a mapped class's table
        await session.execute(
            update(table)
            .where(table.c.monitor_id == bindparam("i_monitor"), table.c.resolved_at.is_(None))
            .values(resolved_at=bindparam("i_at")),
            [{"i_monitor": o.monitor_id, "i_at": o.when} for o in closed],
        )


_COUNTED = {"up": "up", "degraded": "degraded", "down": "down", "unreachable": "unreachable"}


async def _rollups(session: AsyncSession, outcomes: list[Outcome]) -> None:
    counts: dict[tuple[int, str, datetime], Counter[str]] = defaultdict(Counter)
    orgs: dict[int, int] = {}
    for o in outcomes:
        column = _COUNTED.get(o.status)
        if column is None:
            continue  # pending: still retrying, counts for neither
        orgs[o.monitor_id] = o.org_id
        for period, bucket in (("h", hour_of(o.at)), ("d", day_of(o.at))):
            counter = counts[(o.monitor_id, period, bucket)]
            counter[column] += 1
            if o.response_ms is not None and column in ("up", "degraded"):
                counter["response_count"] += 1
                counter["response_ms_sum"] += o.response_ms  # type: ignore[assignment]
    if not counts:
        return
    rows = [
        {
            "monitor_id": monitor_id,
            "period": period,
            "bucket": bucket,
            "org_id": orgs[monitor_id],
            **{c: counter.get(c, 0) for c in (*_COUNTED.values(), "response_count")},
            "response_ms_sum": float(counter.get("response_ms_sum", 0)),
        }
        for (monitor_id, period, bucket), counter in counts.items()
    ]
    # executemany of one cached statement: a multi-row VALUES is compiled anew every time.
    statement = pg_insert(MonitorRollup)
    added = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["monitor_id", "period", "bucket"],
        set_={
            c: getattr(MonitorRollup, c) + getattr(added, c)
            for c in (*_COUNTED.values(), "response_count", "response_ms_sum")
        },
    )
    await session.execute(statement, rows)


def hour_of(ts: float) -> datetime:
    return datetime.fromtimestamp(ts - ts % 3600, UTC)


def day_of(ts: float) -> datetime:
    return datetime.fromtimestamp(ts - ts % 86_400, UTC)


def _cut(text: str | None) -> str | None:
    return None if text is None else text[:MAX_ERROR_LENGTH]
