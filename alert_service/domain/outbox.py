"""Moves alert events from the PostgreSQL outbox onto the `notifications` stream.

Events are written in the same transaction as the state change that caused them, so none is
lost if the process dies right after; this puts them on the stream (one entry per channel)
and marks them. Dying between the two puts an event on the stream twice, which the delivery
log's unique (channel, event) absorbs.
"""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import AlertEvent, utcnow
from core.notifications import Message, Notification, addressed, enqueue, from_payload


def notifications_of(event: AlertEvent) -> list[Notification]:
    message = from_payload(event.payload, Message)
    return [
        addressed(message, key=event.key, org_id=event.org_id, channel_id=channel_id)
        for channel_id in event.channel_ids
    ]


async def flush(session: AsyncSession, redis: Redis, *, limit: int = 500) -> int:
    """Enqueues up to `limit` waiting events in the caller's transaction; returns how many."""
    events = (
        await session.scalars(
            select(AlertEvent)
            .where(AlertEvent.enqueued_at.is_(None))
            .order_by(AlertEvent.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    if not events:
        return 0
    await enqueue(redis, [note for event in events for note in notifications_of(event)])
    now = utcnow()
    for event in events:
        event.enqueued_at = now
    return len(events)
