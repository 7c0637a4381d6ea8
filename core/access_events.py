"""'A user's access changed': told to every live-view replica, so open sockets do not outlive it.

The auth service (logout, password change, member removal or role change, refresh-token reuse)
and the admin CLI (deactivation) publish an AccessChange on a Redis pub/sub channel once the
change is committed; each distribution replica re-checks that user's sockets against the
database and closes those whose access is gone. Pub/sub may lose a message (a replica
reconnecting), so replicas also re-check every socket after a reconnect and periodically.

The message only says whom to re-check: what access remains is always read from the committed
database and Redis state, never from the message, so a forged or stale one can close nothing
that is still valid.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import msgspec
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from core.logging import get_logger

log = get_logger(__name__)

ACCESS_CHANNEL = "auth:access-changed"

Reason = Literal["logout", "password", "removed", "role", "deactivated"]


class AccessChange(msgspec.Struct, frozen=True):
    user_id: int
    reason: Reason
    # The organization concerned; None for a change to the account itself (every organization).
    org_id: int | None = None


_decoder = msgspec.json.Decoder(AccessChange)


def decode(data: str | bytes) -> AccessChange | None:
    """The change in a channel message; None (and a log line) for anything unreadable."""
    try:
        return _decoder.decode(data)
    except msgspec.DecodeError as exc:
        log.warning("unreadable access change", error=str(exc))
        return None


async def publish(redis: Redis, change: AccessChange) -> None:
    """Tells the live-view replicas now; call only once the change is committed.

    A failure is logged, not raised: the change itself stands, and the replicas' periodic
    re-check (WS_ACCESS_RECHECK_SECONDS) closes the sockets a little later.
    """
    try:
        await redis.publish(ACCESS_CHANNEL, msgspec.json.encode(change))
    except (RedisError, OSError) as exc:
        log.warning("cannot publish an access change", reason=change.reason, error=repr(exc))


_PENDING = "statusmonitor.access_changes"
# Publishing tasks still running: the event loop only keeps weak references to tasks.
_publishing: set[asyncio.Task[None]] = set()


def publish_after_commit(session: AsyncSession, redis: Redis, change: AccessChange) -> None:
    """Publishes `change` once `session`'s transaction has committed, wherever that commit
    happens (a replica re-checking any earlier would still read the old state and keep the
    socket open); nothing is published if it rolls back."""
    session.info.setdefault(_PENDING, []).append((redis, change))


@event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    pending: list[tuple[Redis, AccessChange]] | None = session.info.pop(_PENDING, None)
    if not pending:
        return
    # A synchronous hook inside AsyncSession.commit(): the publishing runs as its own task.
    task = asyncio.get_running_loop().create_task(_publish_all(pending))
    _publishing.add(task)
    task.add_done_callback(_publishing.discard)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session, *_: Any) -> None:
    session.info.pop(_PENDING, None)


async def _publish_all(pending: list[tuple[Redis, AccessChange]]) -> None:
    for redis, change in pending:
        await publish(redis, change)
