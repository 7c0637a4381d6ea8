"""The alert worker: evaluation, offline detection, the outbox, delivery and the daily summary.

Run as `python -m alert_service.worker` (one or more processes). It reads the `reports`
stream as consumer group `alerts` and the `notifications` stream as group `delivery`;
replicas share both, and every notification is still sent once (see domain/evaluator.py
and domain/delivery.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alert_service.channels.outbound import create_outbound_client
from alert_service.config import AlertSettings
from alert_service.domain import env_channels, outbox
from alert_service.domain.delivery import Deliverer
from alert_service.domain.evaluator import Change, Evaluator, StaleState
from alert_service.domain.redis_memory import RedisMemoryWatch
from alert_service.domain.rulebook import (
    AGENT,
    MONITOR,
    Observation,
    RuleBook,
    observations,
    target_key,
)
from alert_service.domain.summary import send_daily_summaries
from core import reports as m
from core.crypto import SecretBox
from core.live import latest_reports, missed_intervals
from core.logging import get_logger
from core.models import AlertRule
from core.notifications import NOTIFICATIONS_STREAM
from core.outbound import platform_stores
from core.reports import Report, decode_report
from core.settings import Settings
from core.stream_consumer import (
    Entry,
    PoisonEntries,
    StreamConsumer,
    consumer_name,
    decode_entries,
)
from core.streams import REPORT_FIELD, REPORTS_STREAM
from core.worker_factory import WorkerContext, run_worker

log = get_logger(__name__)

GROUP = "alerts"
DELIVERY_GROUP = "delivery"
RULES_REFRESH_SECONDS = 2.0


class AlertWorker:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        redis: Redis,
        settings: Settings,
        config: AlertSettings,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.redis = redis
        self.settings = settings
        self.config = config
        self.evaluator = Evaluator(config.public_url)
        # Reports and the scanner share the state cache; one change set is persisted at a time.
        self._lock = asyncio.Lock()
        self._book_loaded = 0.0

    async def start(self) -> None:
        async with self.sessionmaker() as session:
            self.evaluator.book = await RuleBook.load(session)
            await self.evaluator.load_states(session)
        self._book_loaded = time.monotonic()
        log.info(
            "evaluator ready",
            rules=len(self.evaluator.book.rules),
            states=len(self.evaluator.states),
        )

    async def refresh_book(self, *, force: bool = False) -> None:
        if not force and time.monotonic() - self._book_loaded < RULES_REFRESH_SECONDS:
            return
        async with self._lock, self.sessionmaker() as session:
            old = self.evaluator.book.rules
            book = await RuleBook.load(session)
            changed = old.keys() ^ book.rules.keys()
            changed |= {
                i for i, r in book.rules.items() if i in old and old[i].updated_at != r.updated_at
            }
            if changed:
                await self.evaluator.reload_rules(session, changed)
            self.evaluator.book = book
        self._book_loaded = time.monotonic()

    # -- reports -----------------------------------------------------------------------------

    async def handle_reports(self, entries: list[Entry]) -> None:
        reports, poison = decode_entries(entries, REPORT_FIELD, decode_report)
        # A monitor's first checks come right after it was made: its name and labels then.
        book = self.evaluator.book
        await self.refresh_book(
            force=any(
                r.target_type == MONITOR and not book.knows(MONITOR, r.target_id)
                for r in reports.values()
            )
        )
        if await self._evaluate(lambda changes: self._judge_reports(reports.values(), changes)):
            await self.flush_outbox()  # at once; the periodic flush only catches up
        if poison:
            raise PoisonEntries(poison)

    def _judge_reports(self, reports: Iterable[Report], changes: list[Change]) -> None:
        book = self.evaluator.book
        for report in sorted(reports, key=lambda r: r.ts):
            if report.target_type not in (AGENT, MONITOR):
                continue
            for rule in book.rules_for(report.org_id, report.target_id, report.target_type):
                if self._unreachable(rule, report):
                    continue
                for obs in observations(rule, report):
                    self.evaluator.observe(rule, obs, report.ts, changes)

    def _unreachable(self, rule: AlertRule, report: Report) -> bool:
        """A monitor behind one that is down — as its report says, or as PostgreSQL last said
        of the parent — is judged by rules on its unreachability only: it raises no alert of
        its own and resolves none (it is not known to be up); the parent's alert is the one
        notification."""
        if report.target_type != MONITOR or rule.metric == m.MONITOR_UNREACHABLE:
            return False
        if report.metrics.get(m.MONITOR_UNREACHABLE):
            return True
        return self.evaluator.book.behind_down_monitor(MONITOR, report.target_id)

    async def _evaluate(self, judge: Callable[[list[Change]], None]) -> bool:
        """Judges and persists; on a conflict with another replica, reloads and judges again.
        True when something changed."""
        for attempt in range(3):
            async with self._lock:
                changes: list[Change] = []
                judge(changes)
                if not changes:
                    return False
                try:
                    async with self.sessionmaker() as session, session.begin():
                        await self.evaluator.persist(session, changes)
                    return True
                except BaseException as exc:
                    # The cache ran ahead of the database: make them agree again.
                    await self._reload({(c.rule.id, c.obs.key) for c in changes})
                    if not isinstance(exc, StaleState) or attempt == 2:
                        raise
                    log.info("state changed by another evaluator; judging again", state=str(exc))
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _reload(self, keys: set[tuple[int, str]]) -> None:
        async with self.sessionmaker() as session:
            await self.evaluator.reload_keys(session, keys)

    # -- periodic ----------------------------------------------------------------------------

    async def scan_offline(self, now: float | None = None) -> None:
        """Hosts silent for N report intervals: the value a host_offline rule judges."""
        await self.refresh_book()
        book = self.evaluator.book
        rules = book.offline_rules()
        if not rules:
            return
        now = time.time() if now is None else now
        seen = {
            org_id: await latest_reports(self.redis, org_id) for org_id in {r.org_id for r in rules}
        }
        observed: list[tuple[AlertRule, Observation]] = []
        for rule in rules:
            for agent in book.agents_of(rule):
                last = seen[rule.org_id].get(agent.id)
                if last is None:
                    continue  # never reported: nothing to miss yet
                if book.behind_down_monitor(AGENT, agent.id):
                    # Unreachable, not offline: the monitor's alert is the one notification.
                    # Judged again (and told, if still silent) once the monitor is back.
                    continue
                missed = missed_intervals(last.ts, last.interval, now)
                key = target_key(AGENT, agent.id)
                observed.append((rule, Observation(key, agent.id, {}, missed)))

        def judge(changes: list[Change]) -> None:
            for rule, obs in observed:
                self.evaluator.observe(rule, obs, now, changes)

        if await self._evaluate(judge):
            await self.flush_outbox()

    async def flush_outbox(self) -> None:
        while True:
            async with self.sessionmaker() as session, session.begin():
                moved = await outbox.flush(session, self.redis)
            if moved < 500:
                return

    async def provision_channels(self) -> None:
        async with self.sessionmaker() as session, session.begin():
            created = await env_channels.provision(
                session, self.config, SecretBox(self.settings.secret_key)
            )
        if created:
            log.info("channels created from the environment", count=created)

    async def daily_summary(self) -> None:
        await send_daily_summaries(
            self.sessionmaker,
            self.redis,
            self.config,
            datetime.now(UTC),
            max_missed=self.settings.offline_after_missed_intervals,
        )


async def alert_worker(context: WorkerContext[AlertSettings]) -> None:
    settings, config = context.settings, context.config
    http = await context.enter(create_outbound_client(config))
    worker = AlertWorker(context.sessionmaker, context.redis, settings, config)
    await worker.start()
    box = SecretBox(settings.secret_key)
    deliverer = Deliverer(context.sessionmaker, config, box, http, platform_stores(settings))
    memory = RedisMemoryWatch(context.sessionmaker, context.redis, config)
    name = consumer_name()
    consumers = [
        StreamConsumer.from_settings(
            context.redis, REPORTS_STREAM, GROUP, name, worker.handle_reports, config
        ),
        StreamConsumer.from_settings(
            context.redis, NOTIFICATIONS_STREAM, DELIVERY_GROUP, name, deliverer.accept, config
        ),
    ]
    context.on_stop(deliverer.stop)
    for consumer in consumers:
        context.on_stop(consumer.stop)
    await asyncio.gather(
        *(consumer.run() for consumer in consumers),
        deliverer.run(),
        context.every(config.offline_scan_seconds, worker.scan_offline),
        context.every(1.0, worker.flush_outbox),
        context.every(60.0, worker.provision_channels),
        context.every(60.0, worker.daily_summary),
        context.every(config.redis_memory_check_seconds, memory.check),
    )


def main() -> None:
    run_worker("alert_worker", alert_worker, AlertSettings)


if __name__ == "__main__":
    main()
