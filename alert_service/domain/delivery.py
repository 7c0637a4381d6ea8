"""Delivery: from the `notifications` stream to the channels, grouped, paced, with retries
and a log.

Stream entries are turned into rows of the delivery log (unique per channel and event, so a
duplicate entry is delivered once) and acknowledged — alert events first wait in their
notification group (domain/groups.py), whose flush turns them into few group messages.
Senders then take due rows from PostgreSQL. A row is held by moving its next attempt past the
send timeout (a lease), so a sender that dies mid-send leaves it to be retried, and replicas
never take the same row. Each send runs as its own task with a timeout: a failing or hanging
channel holds one slot and its own retry schedule, never the queue.

Pacing: one message at a time per channel, and the next one only after the channel's pace
(Channel.pace: its service's rate limit) or the wait a "429 retry after" named — that wait is
not a failed attempt. The hold is the channel row's `send_after`, so replicas share it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from prometheus_client import Counter, Histogram
from sqlalchemy import ColumnElement, Exists, exists, or_, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from alert_service.channels import SendContext
from alert_service.config import AlertSettings
from alert_service.domain import groups
from alert_service.domain.channels import Outcome, receiving, send_once
from core.crypto import SecretBox
from core.logging import get_logger
from core.models import NotificationChannel, NotificationDelivery, utcnow
from core.notifications import (
    NOTIFICATION_FIELD,
    Notification,
    decode_notification,
    from_payload,
)
from core.outbound import OwnStores
from core.stream_consumer import Entry, PoisonEntries, decode_entries

log = get_logger(__name__)

# A claimed row is held for the send timeout plus this margin (for recording the outcome).
# Short on purpose: a row held by a worker that died is only retried once its lease ends.
LEASE_MARGIN_SECONDS = 5.0
# A message a service keeps refusing with "retry after" is given up after this long.
RATE_LIMITED_FOR_AT_MOST = timedelta(days=1)

SENT = Counter("statusmonitor_notifications_total", "Notification attempts by outcome", ["outcome"])
LATENCY = Histogram(
    "statusmonitor_notification_latency_seconds",
    "From the event to the channel accepting it",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)


@dataclass(frozen=True)
class Due:
    id: int
    channel_id: int
    payload: dict[str, Any]
    attempts: int
    created_at: datetime


def backoff_seconds(config: AlertSettings, attempts: int) -> float:
    """Wait before attempt `attempts + 1`: base, 2 base, 4 base... up to the cap."""
    return float(
        min(
            config.delivery_backoff_max_seconds,
            config.delivery_backoff_seconds * 2 ** (attempts - 1),
        )
    )


class Deliverer:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        config: AlertSettings,
        box: SecretBox,
        http: httpx.AsyncClient,
        own_stores: OwnStores,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.config = config
        self.box = box
        self.context = SendContext(config, http, own_stores)
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._slots = asyncio.Semaphore(config.delivery_concurrency)
        self._tasks: set[asyncio.Task[None]] = set()

    # -- stream side -----------------------------------------------------------------------------

    async def accept(self, entries: list[Entry]) -> None:
        """StreamConsumer handler: records each notification as a pending delivery."""
        notes, poison = decode_entries(entries, NOTIFICATION_FIELD, decode_notification)
        if notes:
            async with self.sessionmaker() as session, session.begin():
                await self._record(session, list(notes.values()))
            self._wake.set()
        if poison:
            raise PoisonEntries(poison)

    async def _record(self, session: AsyncSession, notes: list[Notification]) -> None:
        wanted = {n.channel_id for n in notes}
        existing = set(
            await session.scalars(
                select(NotificationChannel.id).where(NotificationChannel.id.in_(wanted))
            )
        )
        kept = [note for note in notes if note.channel_id in existing]
        if len(kept) < len(notes):
            log.info("notifications for deleted channels dropped", count=len(notes) - len(kept))
        now = utcnow()
        keyed = [(note, groups.group_key(note, self.config)) for note in kept]
        waiting = [(note, key) for note, key in keyed if key is not None]
        if waiting:
            await groups.hold(session, waiting, self.config, now)
        rows = [groups.delivery_row(note, now) for note, key in keyed if key is None]
        if rows:
            await session.execute(
                pg_insert(NotificationDelivery)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["channel_id", "event_key"])
            )

    # -- sending ---------------------------------------------------------------------------------

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    async def run(self) -> None:
        """Sends due deliveries until stop(); waits for the sends in flight before returning."""
        while not self._stop.is_set():
            # Cleared before the work, so a wake-up during it (new notifications, a send
            # done) starts the next round at once instead of after the poll interval.
            self._wake.clear()
            try:
                await self.flush_groups()
                await self.dispatch_due()
            except Exception as exc:  # the database may be down: keep trying
                log.warning("cannot take due deliveries", error=f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(1)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 0.5)
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def flush_groups(self) -> int:
        """Turns due notification groups into pending messages; returns groups flushed."""
        flushed = 0
        while True:
            async with self.sessionmaker() as session, session.begin():
                count = await groups.flush_due(session, self.config, utcnow())
            flushed += count
            if count < groups.FLUSH_BATCH:
                return flushed

    async def dispatch_due(self) -> int:
        free = self.config.delivery_concurrency - len(self._tasks)
        if free <= 0:
            return 0
        due = await self._claim(free)
        for row in due:
            task = asyncio.create_task(self._deliver(row))
            self._tasks.add(task)
            task.add_done_callback(self._done)
        return len(due)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._wake.set()  # a slot is free

    async def _claim(self, limit: int) -> list[Due]:
        """Takes the first due row of up to `limit` channels that are free to send: none of
        their messages in flight, their pace or a service's "retry after" waited out."""
        now = utcnow()
        lease = now + timedelta(seconds=self.config.delivery_timeout_seconds + LEASE_MARGIN_SECONDS)
        async with self.sessionmaker() as session, session.begin():
            free = (
                await session.scalars(
                    select(NotificationChannel.id)
                    .where(
                        or_(
                            NotificationChannel.send_after.is_(None),
                            NotificationChannel.send_after <= now,
                        ),
                        exists().where(
                            NotificationDelivery.channel_id == NotificationChannel.id,
                            _sendable(now),
                        ),
                    )
                    .limit(limit)
                    # NO KEY: deliveries being inserted for the channel do not block this.
                    .with_for_update(skip_locked=True, key_share=True)
                )
            ).all()
            if not free:
                return []
            first = (
                select(NotificationDelivery.id)
                .where(NotificationDelivery.channel_id.in_(free), _sendable(now))
                .order_by(
                    NotificationDelivery.channel_id,
                    NotificationDelivery.next_attempt_at,
                    NotificationDelivery.id,
                )
                .ext(distinct_on(NotificationDelivery.channel_id))
            )
            result = await session.execute(
                update(NotificationDelivery)
                .where(NotificationDelivery.id.in_(first.scalar_subquery()))
                .values(next_attempt_at=lease)
                .returning(
                    NotificationDelivery.id,
                    NotificationDelivery.channel_id,
                    NotificationDelivery.payload,
                    NotificationDelivery.attempts,
                    NotificationDelivery.created_at,
                )
            )
            due = [Due(*row) for row in result.all()]
            # Held while the message is in flight; _finish sets the pace after it.
            await _hold_channels(session, [d.channel_id for d in due], lease)
            return due

    async def _deliver(self, due: Due) -> None:
        note = from_payload(due.payload, Notification)
        await self._finish(due, note, await self._attempt(due, note))

    async def _attempt(self, due: Due, note: Notification) -> Outcome:
        try:
            async with self.sessionmaker() as session:
                row = await session.scalar(
                    select(NotificationChannel).where(
                        NotificationChannel.id == due.channel_id, receiving()
                    )
                )
        except Exception as exc:  # the database is down: try again later
            return Outcome(f"cannot read the channel: {type(exc).__name__}", True)
        if row is None:
            return Outcome("the channel was deleted or disabled, or its owner left")
        return await send_once(
            row, self.box, note, self.context, self.config.delivery_timeout_seconds
        )

    async def _finish(self, due: Due, note: Notification, outcome: Outcome) -> None:
        if outcome.retry_after is not None and utcnow() - due.created_at < RATE_LIMITED_FOR_AT_MOST:
            values, pause = self._rate_limited(due, note, outcome, outcome.retry_after)
        else:
            values, pause = self._attempted(due, note, outcome), outcome.pause
        SENT.labels(values["status"] if outcome.retry_after is None else "rate_limited").inc()
        async with self.sessionmaker() as session, session.begin():
            await session.execute(
                update(NotificationDelivery)
                .where(NotificationDelivery.id == due.id)
                .values(**values)
            )
            await _hold_channels(session, [due.channel_id], utcnow() + timedelta(seconds=pause))
        asyncio.get_running_loop().call_later(pause, self._wake.set)  # the channel is free

    def _rate_limited(
        self, due: Due, note: Notification, outcome: Outcome, wait: float
    ) -> tuple[dict[str, Any], float]:
        """The service said when to come back: wait that long, and keep the attempt count (a
        rate limit is not a failure; giving up would lose the message)."""
        log.info(
            "rate limited; waiting as asked",
            channel_id=due.channel_id,
            key=note.key,
            retry_in_s=wait,
        )
        retry_at = utcnow() + timedelta(seconds=wait)
        values = {"status": "pending", "error": outcome.error, "next_attempt_at": retry_at}
        return values, max(wait, outcome.pause)

    def _attempted(self, due: Due, note: Notification, outcome: Outcome) -> dict[str, Any]:
        attempts = due.attempts + 1
        reason = outcome.error
        status = "sent" if reason is None else "failed"
        values: dict[str, Any] = {"attempts": attempts, "error": reason, "status": status}
        if (
            reason is not None
            and outcome.retryable
            and attempts < self.config.delivery_max_attempts
        ):
            delay = backoff_seconds(self.config, attempts)
            values |= {"status": "pending", "next_attempt_at": utcnow() + timedelta(seconds=delay)}
            asyncio.get_running_loop().call_later(delay, self._wake.set)  # on time, not polled
            log.warning(
                "delivery failed; will retry",
                channel_id=due.channel_id,
                key=note.key,
                attempt=attempts,
                retry_in_s=delay,
                reason=reason,
            )
        elif reason is not None:
            log.error(
                "delivery failed for good", channel_id=due.channel_id, key=note.key, reason=reason
            )
        else:
            values["next_attempt_at"] = None
            if note.created:
                LATENCY.observe(max(0.0, time.time() - note.created))
        return values


async def _hold_channels(session: AsyncSession, channel_ids: list[int], until: datetime) -> None:
    if channel_ids:
        await session.execute(
            update(NotificationChannel)
            .where(NotificationChannel.id.in_(channel_ids))
            # Pacing is not an edit of the channel: its updated_at stays.
            .values(send_after=until, updated_at=NotificationChannel.updated_at)
        )


def _sendable(now: datetime) -> ColumnElement[bool]:
    return (
        (NotificationDelivery.status == "pending")
        & (NotificationDelivery.next_attempt_at <= now)
        & ~_behind_an_earlier_message()
    )


def _behind_an_earlier_message() -> Exists:
    """One alert's (and one group's) messages reach a channel in order: "resolved" never
    overtakes a "firing" that is still being retried (it waits until that one is sent or
    given up)."""
    earlier = aliased(NotificationDelivery)
    return exists().where(
        earlier.channel_id == NotificationDelivery.channel_id,
        or_(
            earlier.alert_id == NotificationDelivery.alert_id,
            earlier.group_key == NotificationDelivery.group_key,
        ),
        earlier.status == "pending",
        earlier.id < NotificationDelivery.id,
    )
