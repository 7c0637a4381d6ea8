"""The scheduler: checks this replica's monitors on their grid and hands outcomes to the writer.

- Monitors are loaded from PostgreSQL (all active scheduled ones: a dependant may need its
  parent's settings) and reloaded every PROBE_RELOAD_SECONDS or as soon as the API bumps the
  change counter. This replica checks the ones it owns (replicas.Membership).
- A due monitor is claimed in Redis for its slot (SET NX): while replicas come and go two
  may both think they own it for a moment, and only one checks it.
- Checks run as asyncio tasks under a global and a per-host semaphore.
- A failing monitor with a parent first re-checks the parent right away: if the parent fails
  too, the monitor is "unreachable (parent down)" instead of down, so only the parent alerts.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from prometheus_client import Counter, Histogram
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import reports as m
from core.crypto import SecretBox, SecretsUnreadable
from core.logging import get_logger
from core.models import Monitor
from probe_service.checks import CHECKS, Check, CheckContext, CheckResult, Target
from probe_service.checks._run import run_check
from probe_service.config import ProbeSettings
from probe_service.domain.monitors import CHANGED_KEY
from probe_service.domain.replicas import Membership
from probe_service.domain.results import Outcome
from probe_service.domain.schedule import Timetable, next_due, slot
from probe_service.domain.state import (
    BLOCKING_PARENT_STATUSES,
    MonitorState,
    Verdict,
    step,
    verdict,
)

log = get_logger(__name__)

CHECKS_RUN = Counter("statusmonitor_probe_checks_total", "Checks run", ["type", "status"])
LAG = Histogram(
    "statusmonitor_probe_schedule_lag_seconds",
    "How late a check started after its due time",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10),
)
CLAIM_KEY = "probe:claim:{id}:{slot}"


@dataclass
class Spec:
    """One monitor as the scheduler holds it."""

    id: int
    org_id: int
    check: Check
    target: Target
    host: str
    interval: int
    retry_interval: int
    retries: int
    upside_down: bool
    parent_id: int | None
    updated_at: datetime
    state: MonitorState
    db_status: str  # the status as stored (for the dependants' view of it)


class Prober:
    def __init__(
        self,
        config: ProbeSettings,
        sessionmaker: async_sessionmaker[AsyncSession],
        redis: Redis,
        box: SecretBox,
        ctx: CheckContext,
        membership: Membership,
        emit: Callable[[Outcome], None],  # the writer's add
    ) -> None:
        self.config = config
        self.sessionmaker = sessionmaker
        self.redis = redis
        self.box = box
        self.ctx = ctx
        self.membership = membership
        self.emit = emit
        self.specs: dict[int, Spec] = {}
        self.timetable = Timetable()
        self.running: set[int] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.slots = asyncio.Semaphore(config.max_concurrency)
        self.per_host: dict[str, asyncio.Semaphore] = {}
        self.wakeup = asyncio.Event()
        self.version: bytes | str | None = None
        self.lags: deque[float] = deque(maxlen=100_000)  # seconds late, for benchmarks

    # -- loading -------------------------------------------------------------------------------

    async def reload(self) -> None:
        async with self.sessionmaker() as session:
            rows = await session.scalars(
                select(Monitor).where(
                    Monitor.active, Monitor.type.in_([t for t, c in CHECKS.items() if c.scheduled])
                )
            )
            fresh = {row.id: row for row in rows}
        for monitor_id in list(self.specs):
            if monitor_id not in fresh:
                self.specs.pop(monitor_id)
                self.timetable.remove(monitor_id)
        for row in fresh.values():
            self._load(row)
        self.reschedule()

    def _load(self, row: Monitor) -> None:
        known = self.specs.get(row.id)
        if known is not None and known.updated_at == row.updated_at:
            known.db_status = row.status
            return
        spec = self._spec(row)
        if spec is None:
            return
        if known is not None and known.interval != spec.interval:
            self.timetable.remove(row.id)
        self.specs[row.id] = spec

    def _spec(self, row: Monitor) -> Spec | None:
        check = CHECKS[row.type]
        try:
            config = check.Config.model_validate({**row.config, **self.box.open(row.secrets)})
        except (SecretsUnreadable, ValueError) as exc:
            log.warning("monitor cannot be checked", monitor_id=row.id, error=str(exc))
            return None
        return Spec(
            id=row.id,
            org_id=row.org_id,
            check=check,
            target=Target(row.target, config, row.timeout_seconds),
            host=_host_of(row.target),
            interval=row.interval_seconds,
            retry_interval=row.retry_interval_seconds,
            retries=row.retries,
            upside_down=row.upside_down,
            parent_id=row.parent_id,
            updated_at=row.updated_at,
            state=MonitorState(row.status, row.failures),
            db_status=row.status,
        )

    def reschedule(self) -> None:
        """Owned monitors on the timetable, others off it (after a reload or a membership
        change)."""
        now = time.time()
        for spec in self.specs.values():
            owned = self.membership.owns(spec.id)
            if not owned:
                self.timetable.remove(spec.id)
            elif spec.id not in self.timetable and spec.id not in self.running:
                self.timetable.schedule(spec.id, next_due(spec.id, spec.interval, now))
        self.wakeup.set()

    async def reload_if_changed(self) -> None:
        version = await self.redis.get(CHANGED_KEY)
        if version != self.version:
            self.version = version
            await self.reload()

    # -- dispatching ---------------------------------------------------------------------------

    async def dispatch(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            now = time.time()
            due = self.timetable.pop_due(now, limit=500)
            if due:
                for monitor_id, at in await self._claim(due):
                    await self.slots.acquire()
                    self._start(monitor_id, at)
                continue
            upcoming = self.timetable.next_time()
            wait = 0.5 if upcoming is None else min(max(upcoming - now, 0), 0.5)
            self.wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wakeup.wait(), wait)

    async def _claim(self, due: list[tuple[int, float]]) -> list[tuple[int, float]]:
        claimable = [(i, at) for i, at in due if i in self.specs]
        async with self.redis.pipeline(transaction=False) as pipe:
            for monitor_id, at in claimable:
                spec = self.specs[monitor_id]
                key = CLAIM_KEY.format(id=monitor_id, slot=_slot_name(spec, at))
                pipe.set(key, self.membership.replica_id, nx=True, ex=2 * spec.interval)
            answers = await pipe.execute()
        won = []
        for (monitor_id, at), answer in zip(claimable, answers, strict=True):
            if answer:
                won.append((monitor_id, at))
            else:  # another replica has this slot: come back at the next one
                spec = self.specs[monitor_id]
                self.timetable.schedule(monitor_id, next_due(monitor_id, spec.interval, at))
        return won

    def _start(self, monitor_id: int, due: float) -> None:
        self.running.add(monitor_id)
        task = asyncio.create_task(self._check(monitor_id, due))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _check(self, monitor_id: int, due: float) -> None:
        try:
            spec = self.specs.get(monitor_id)
            if spec is not None:
                started = time.time()
                self.lags.append(max(0.0, started - due))
                LAG.observe(max(0.0, started - due))
                result = await self._run(spec)
                retrying = await self._judge(spec, result, started)
                self._next(spec, due, retrying)
        except Exception as exc:  # never lose a monitor from the timetable
            log.warning("check failed unexpectedly", monitor_id=monitor_id, error=repr(exc))
            spec = self.specs.get(monitor_id)
            if spec is not None:
                self._next(spec, due, False)
        finally:
            self.running.discard(monitor_id)
            self.slots.release()

    async def _run(self, spec: Spec) -> CheckResult:
        host_slots = self.per_host.setdefault(
            spec.host, asyncio.Semaphore(self.config.max_per_host)
        )
        async with host_slots:
            return await run_check(spec.check, spec.target, self.ctx)

    def _next(self, spec: Spec, due: float, retrying: bool) -> None:
        if spec.id not in self.specs or not self.membership.owns(spec.id):
            return
        now = time.time()
        if retrying:
            self.timetable.schedule(spec.id, now + spec.retry_interval)
        else:
            self.timetable.schedule(spec.id, next_due(spec.id, spec.interval, max(due, now)))
        self.wakeup.set()

    # -- judging -------------------------------------------------------------------------------

    async def _judge(self, spec: Spec, result: CheckResult, at: float) -> bool:
        seen = verdict(result, spec.upside_down)
        error = result.error
        if spec.upside_down and result.ok:
            error = "the check passed, which upside-down mode counts as down"
        parent_down = seen is Verdict.failed and await self._parent_down(spec)
        outcome_step = step(
            spec.state, seen, retries=spec.retries, parent_down=parent_down, error=error
        )
        before = spec.state.status
        spec.state = outcome_step.state
        CHECKS_RUN.labels(spec.check.type, spec.state.status).inc()
        self.emit(
            Outcome(
                monitor_id=spec.id,
                org_id=spec.org_id,
                at=at,
                status=spec.state.status,
                failures=spec.state.failures,
                status_changed=spec.state.status != before,
                transition=outcome_step.transition,
                response_ms=result.response_ms,
                status_code=result.status_code,
                error=outcome_step.error if seen is Verdict.failed else result.error,
                metrics=result.metrics,
                details=result.details,
                cert_expires_at=_cert_expiry(result, at),
            )
        )
        return outcome_step.retrying

    async def _parent_down(self, spec: Spec) -> bool:
        """Whether the parent is down now: as stored, or failing a check made right away."""
        if spec.parent_id is None:
            return False
        parent = self.specs.get(spec.parent_id)
        if parent is None:  # paused, or not a scheduled type: as PostgreSQL says
            async with self.sessionmaker() as session:
                status = await session.scalar(
                    select(Monitor.status).where(Monitor.id == spec.parent_id)
                )
            return status in BLOCKING_PARENT_STATUSES
        if parent.state.status in BLOCKING_PARENT_STATUSES or parent.db_status in (
            BLOCKING_PARENT_STATUSES
        ):
            return True
        result = await self._run(parent)
        return verdict(result, parent.upside_down) is Verdict.failed


def _slot_name(spec: Spec, at: float) -> str:
    on_grid = abs(next_due(spec.id, spec.interval, at - spec.interval) - at) < 1e-6
    return str(slot(spec.id, spec.interval, at)) if on_grid else f"r{at:.3f}"


def _host_of(target: str) -> str:
    if "://" in target:
        return (urlsplit(target).hostname or target).lower()
    return target.lower()


def _cert_expiry(result: CheckResult, at: float) -> datetime | None:
    days = result.metrics.get(m.CERT_DAYS_LEFT)
    if days is None:
        return None
    return datetime.fromtimestamp(at, UTC) + timedelta(days=days)
