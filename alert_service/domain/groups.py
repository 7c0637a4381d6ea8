"""Notification groups in PostgreSQL: alert events wait in their group, then leave together.

Alertmanager's model, per channel: the first event of a group starts its group wait; when it
ends, everything waiting is turned into few messages (domain/grouping.py); changes after that
wait until the group interval has passed since that flush.

Crash safety: the intake stores each event as a "waiting" item in the transaction that takes
it off the stream, and a flush is one transaction — it locks the group, writes the messages as
pending deliveries and marks the items "grouped" into them. A worker killed before the flush
commits leaves everything waiting (it is flushed again, whole); killed after, the messages are
there and are sent once by delivery.py. Items are unique per (channel, event), so a replayed
stream entry neither waits twice nor is sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from alert_service.config import AlertSettings
from alert_service.domain import silences as silence_rules
from alert_service.domain.grouping import KINDS, Item, Limits, compose
from core.models import (
    Agent,
    Alert,
    Monitor,
    NotificationDelivery,
    NotificationGroup,
    NotificationGroupItem,
    Silence,
)
from core.notifications import Notification, from_payload, stored_key, to_payload

# Groups flushed per transaction (the rest wait for the next round, a moment later).
FLUSH_BATCH = 20


def group_key(note: Notification, config: AlertSettings) -> str | None:
    """The group an alert event waits in on its channel; None: sent on its own at once
    (tests, summaries, and events queued before grouping existed)."""
    if note.rule_id is None or note.kind not in KINDS:
        return None
    return "org" if config.group_by == "organization" else f"rule:{note.rule_id}"


def delivery_row(note: Notification, now: datetime, group: str | None = None) -> dict[str, Any]:
    """A pending row of the delivery log: what delivery.py sends."""
    return {
        "org_id": note.org_id,
        "channel_id": note.channel_id,
        "event_key": stored_key(note.key),
        "kind": note.kind,
        "alert_id": note.alert_id,
        "status": "pending",
        "attempts": 0,
        "payload": to_payload(note),
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
        "group_key": group,
    }


# --- intake ---------------------------------------------------------------------------------


async def hold(
    session: AsyncSession,
    notes: Sequence[tuple[Notification, str]],
    config: AlertSettings,
    now: datetime,
) -> None:
    """Stores (event, group key) pairs as waiting items and schedules their groups' flush."""
    items = [_item_row(note, key, now) for note, key in notes]
    inserted = await session.execute(
        pg_insert(NotificationGroupItem)
        .values(items)
        .on_conflict_do_nothing(index_elements=["channel_id", "event_key"])
        .returning(
            NotificationGroupItem.org_id,
            NotificationGroupItem.channel_id,
            NotificationGroupItem.group_key,
        )
    )
    # Sorted, so two intakes lock the same groups in the same order (no deadlock).
    touched = sorted({(org, channel, key) for org, channel, key in inserted.all()}, key=_by_channel)
    if touched:
        await _schedule(session, touched, config, now)


def _by_channel(group: tuple[int, int, str]) -> tuple[int, str]:
    return group[1], group[2]


def _item_row(note: Notification, key: str, now: datetime) -> dict[str, Any]:
    return {
        "org_id": note.org_id,
        "channel_id": note.channel_id,
        "event_key": stored_key(note.key),
        "group_key": key,
        "kind": note.kind,
        "alert_id": note.alert_id,
        "status": "waiting",
        "payload": to_payload(note),
        "created_at": now,
    }


async def _schedule(
    session: AsyncSession,
    groups: list[tuple[int, int, str]],
    config: AlertSettings,
    now: datetime,
) -> None:
    """A group with nothing waiting flushes after the group wait, but never sooner than the
    group interval after its previous flush; one already scheduled keeps its time."""
    table = NotificationGroup.__table__.c
    insert = pg_insert(NotificationGroup).values(
        [
            {
                "org_id": org_id,
                "channel_id": channel_id,
                "key": key,
                "flush_at": now + timedelta(seconds=config.group_wait_seconds),
                "created_at": now,
            }
            for org_id, channel_id, key in groups
        ]
    )
    interval = timedelta(seconds=config.group_interval_seconds)
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=["channel_id", "key"],
            set_={
                "flush_at": func.coalesce(
                    table.flush_at,
                    func.greatest(insert.excluded.flush_at, table.flushed_at + interval),
                )
            },
        )
    )


# --- flush ----------------------------------------------------------------------------------


async def flush_due(session: AsyncSession, config: AlertSettings, now: datetime) -> int:
    """Turns the waiting items of due groups into pending messages; returns groups flushed.
    Replicas skip groups another one is flushing (SKIP LOCKED)."""
    groups = (
        await session.scalars(
            select(NotificationGroup)
            .where(NotificationGroup.flush_at <= now)
            .order_by(NotificationGroup.flush_at)
            .limit(FLUSH_BATCH)
            .with_for_update(skip_locked=True)
        )
    ).all()
    limits = Limits(config.group_message_targets, config.group_max_messages, config.public_url)
    for group in groups:
        await _flush(session, group, limits, now)
        group.flush_at, group.flushed_at = None, now
    return len(groups)


async def _flush(
    session: AsyncSession, group: NotificationGroup, limits: Limits, now: datetime
) -> None:
    rows = (
        await session.execute(
            select(NotificationGroupItem.id, NotificationGroupItem.payload)
            .where(
                NotificationGroupItem.channel_id == group.channel_id,
                NotificationGroupItem.group_key == group.key,
                NotificationGroupItem.status == "waiting",
            )
            .order_by(NotificationGroupItem.id)
        )
    ).all()
    items = [Item(row.id, from_payload(row.payload, Notification)) for row in rows]
    left_out = await _left_out(session, group.org_id, items, now)
    if left_out:
        await _mark(session, list(left_out), "dropped", None)
    for message in compose([i for i in items if i.id not in left_out], limits):
        message_id = await _insert_message(session, message.note, group.key, now)
        await _mark(session, message.items, "grouped", message_id)


async def _insert_message(
    session: AsyncSession, note: Notification, key: str, now: datetime
) -> int | None:
    """The message as a pending delivery; None if that event was already in the log (queued
    before an upgrade to grouping, and replayed)."""
    return await session.scalar(
        pg_insert(NotificationDelivery)
        .values(delivery_row(note, now, key))
        .on_conflict_do_nothing(index_elements=["channel_id", "event_key"])
        .returning(NotificationDelivery.id)
    )


async def _mark(
    session: AsyncSession, item_ids: list[int], status: str, message_id: int | None
) -> None:
    await session.execute(
        update(NotificationGroupItem)
        .where(NotificationGroupItem.id.in_(item_ids))
        .values(status=status, message_id=message_id)
    )


# --- silenced or acknowledged while waiting -------------------------------------------------


async def _left_out(
    session: AsyncSession, org_id: int, items: list[Item], now: datetime
) -> set[int]:
    """Items to leave out: a firing or reminder whose target a silence now covers, a reminder
    of an acknowledged alert, anything of an alert that is silenced. A firing left out this
    way records its alert as silenced, as if the silence had been there at its start, so its
    resolution is not announced either (the evaluator's own rule)."""
    alert_ids = {i.note.alert_id for i in items if i.note.alert_id is not None}
    if not alert_ids:
        return set()
    alerts = await _alerts(session, alert_ids)
    silences = list(await session.scalars(select(Silence).where(Silence.org_id == org_id)))
    muted = {a.id for a in alerts.values() if not a.silenced and _muted(a, silences, now)}
    newly_silenced = {i.note.alert_id or 0 for i in items if i.note.kind == "firing"} & muted
    if newly_silenced:
        await session.execute(
            update(Alert).where(Alert.id.in_(newly_silenced)).values(silenced=True)
        )
    silenced = newly_silenced | {a.id for a in alerts.values() if a.silenced}
    acknowledged = {a.id for a in alerts.values() if a.acknowledged_at is not None}
    return {
        item.id
        for item in items
        if item.note.alert_id in silenced
        or (item.note.kind == "reminder" and item.note.alert_id in muted | acknowledged)
    }


async def _alerts(session: AsyncSession, alert_ids: set[int]) -> dict[int, Any]:
    rows = await session.execute(
        select(
            Alert.id,
            Alert.rule_id,
            Alert.agent_id,
            Alert.monitor_id,
            Alert.labels,
            Alert.silenced,
            Alert.acknowledged_at,
            Agent.labels.label("agent_labels"),
            Monitor.labels.label("monitor_labels"),
        )
        .outerjoin(Agent, Agent.id == Alert.agent_id)
        .outerjoin(Monitor, Monitor.id == Alert.monitor_id)
        .where(Alert.id.in_(alert_ids))
    )
    return {row.id: row for row in rows}


def _muted(alert: Any, silences: list[Silence], now: datetime) -> bool:
    target = alert.agent_labels or alert.monitor_labels or {}
    labels = {**target, **(alert.labels or {})}
    return any(
        silence_rules.matches(s, alert.rule_id, alert.agent_id, labels, alert.monitor_id)
        and silence_rules.active(s, now)
        for s in silences
    )
