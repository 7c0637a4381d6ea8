"""Push monitors: the calls their jobs make, and the scan that marks missed deadlines.

A success (`/ping/<key>`, `/0`, Kuma's `?status=up`) is up and sets the next deadline; a
failure (`/fail`, a non-zero exit status, `?status=down`) is down at once; `/start` begins a
run that must end within the grace time, and the success after it carries the run's
duration. Each call's body (its first 10 KB) is kept as the run's log.

The scan claims late monitors with FOR UPDATE SKIP LOCKED, so replicas share the work and
each missed deadline is marked exactly once; a monitor still silent is marked down again
each period (its uptime keeps counting the missed runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import reports as m
from core.errors import NotFound
from core.models import Monitor, PushRun
from probe_service.checks.push import PushConfig
from probe_service.domain.results import Outcome, publish, write
from probe_service.domain.state import MonitorState, Verdict, step

MAX_LOG_BYTES = 10 * 1024
SCAN_BATCH = 1000


@dataclass(frozen=True)
class Call:
    kind: str  # start | success | fail | log
    exit_status: int | None = None
    body: bytes = b""
    message: str | None = None
    ping_ms: float | None = None  # Uptime Kuma's ?ping=


def log_text(body: bytes) -> str:
    """The first 10 KB as text PostgreSQL can store (no NUL)."""
    return body[:MAX_LOG_BYTES].decode("utf-8", errors="replace").replace("\x00", "\ufffd")


async def receive(
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    key: str,
    call: Call,
    *,
    maxlen: int,
    runs_kept: int,
) -> str:
    """Records one call to the push URL `key`; returns the monitor's status after it."""
    async with sessionmaker() as session, session.begin():
        row = await session.scalar(select(Monitor).where(Monitor.push_key == key).with_for_update())
        if row is None:
            raise NotFound("no push monitor has this URL")
        if not row.active:
            return "paused"
        outcome = _apply(row, call, datetime.now(UTC))
        await _log_run(session, row, call, outcome, runs_kept)
        kept = await write(session, [outcome]) if outcome else []
        if kept:  # before the commit: see results.record
            await publish(redis, kept, maxlen=maxlen)
    return outcome.status if outcome else row.status


def _apply(row: Monitor, call: Call, now: datetime) -> Outcome | None:
    config = PushConfig.model_validate(row.config)
    if call.kind == "log":
        return None
    if call.kind == "start":
        row.push_started_at = now
        row.push_deadline = now + _grace(config)
        return None
    duration = (now - row.push_started_at).total_seconds() if row.push_started_at else None
    row.push_started_at = None
    row.last_ping_at = now
    row.push_deadline = config.deadline(now)
    failed = call.kind == "fail" or (call.exit_status not in (None, 0))
    error = None
    if failed:
        error = call.message or (
            f"the job ended with exit status {call.exit_status}"
            if call.exit_status
            else "the job reported a failure"
        )
    metrics = {m.PUSH_RUN_SECONDS: duration} if duration is not None else {}
    return _outcome(row, Verdict.failed if failed else Verdict.up, now, error, call, metrics)


def _grace(config: PushConfig) -> timedelta:
    return timedelta(seconds=config.grace_seconds)


def _outcome(
    row: Monitor,
    seen: Verdict,
    now: datetime,
    error: str | None,
    call: Call | None = None,
    metrics: dict[str, float] | None = None,
) -> Outcome:
    before = MonitorState(row.status if row.status != "paused" else "pending", row.failures)
    after = step(before, seen, retries=0, parent_down=False, error=error)
    response = call.ping_ms if call and call.ping_ms is not None else None
    if response is None:
        response = _run_ms(metrics)
    return Outcome(
        monitor_id=row.id,
        org_id=row.org_id,
        at=now.timestamp(),
        status=after.state.status,
        failures=after.state.failures,
        status_changed=after.state.status != row.status,
        transition=after.transition,
        response_ms=response,
        error=after.error,
        metrics=metrics or {},
    )


def _run_ms(metrics: dict[str, float] | None) -> float | None:
    """The run's duration (start to success) in ms, when the call ended a timed run."""
    seconds = (metrics or {}).get(m.PUSH_RUN_SECONDS)
    return None if seconds is None else seconds * 1000


async def _log_run(
    session: AsyncSession, row: Monitor, call: Call, outcome: Outcome | None, kept: int
) -> None:
    session.add(
        PushRun(
            monitor_id=row.id,
            org_id=row.org_id,
            kind=call.kind if not (call.kind == "success" and call.exit_status) else "fail",
            exit_status=call.exit_status,
            duration_ms=_run_ms(outcome.metrics) if outcome else None,
            body=log_text(call.body),
            message=call.message[:1000] if call.message else None,
        )
    )
    await session.flush()
    oldest_kept = (
        select(PushRun.id)
        .where(PushRun.monitor_id == row.id)
        .order_by(PushRun.id.desc())
        .offset(kept)
        .limit(1)
        .scalar_subquery()
    )
    await session.execute(
        delete(PushRun).where(PushRun.monitor_id == row.id, PushRun.id <= oldest_kept)
    )


async def mark_late(
    sessionmaker: async_sessionmaker[AsyncSession], redis: Redis, *, maxlen: int
) -> int:
    """Marks push monitors past their deadline down; returns how many."""
    total = 0
    while True:
        now = datetime.now(UTC)
        async with sessionmaker() as session, session.begin():
            rows = list(
                await session.scalars(
                    select(Monitor)
                    .where(Monitor.type == "push", Monitor.active, Monitor.push_deadline <= now)
                    .order_by(Monitor.push_deadline)
                    .limit(SCAN_BATCH)
                    .with_for_update(skip_locked=True)
                )
            )
            outcomes = [_late(row, now) for row in rows]
            kept = await write(session, outcomes) if outcomes else []
            if kept:  # before the commit: see results.record
                await publish(redis, kept, maxlen=maxlen)
        total += len(rows)
        if len(rows) < SCAN_BATCH:
            return total


def _late(row: Monitor, now: datetime) -> Outcome:
    config = PushConfig.model_validate(row.config)
    if row.push_started_at is not None:
        error = f"the run started at {row.push_started_at:%Y-%m-%d %H:%M:%S} UTC did not finish"
    elif row.last_ping_at is not None:
        error = f"late: no ping since {row.last_ping_at:%Y-%m-%d %H:%M:%S} UTC"
    else:
        error = "late: no ping yet"
    row.push_started_at = None
    # The next missed run is counted one period (or cron time) from now: always ahead.
    row.push_deadline = config.deadline(now - _grace(config))
    return _outcome(row, Verdict.failed, now, error)
