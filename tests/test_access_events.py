"""An access change reaches the live-view replicas only once it is committed, never if the
transaction rolls back: a replica re-checking earlier would still read the old state."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from sqlalchemy import text

from core import access_events
from core.access_events import ACCESS_CHANNEL, AccessChange
from core.db import create_engine, create_sessionmaker
from core.settings import Settings


async def _next_change(pubsub: PubSub, within: float) -> AccessChange | None:
    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=within)
    return None if message is None else access_events.decode(message["data"])


async def test_an_access_change_is_published_after_commit_and_never_after_rollback(
    settings: Settings, redis: Redis
) -> None:
    engine = create_engine(settings)
    sessions = create_sessionmaker(engine)
    pubsub = redis.pubsub()
    await pubsub.subscribe(ACCESS_CHANNEL)
    try:
        async with sessions() as session:
            await session.execute(text("SELECT 1"))
            access_events.publish_after_commit(session, redis, AccessChange(1, "removed", 2))
            await session.rollback()
        async with sessions() as session:
            await session.execute(text("SELECT 1"))
            access_events.publish_after_commit(session, redis, AccessChange(2, "logout"))
            assert await _next_change(pubsub, within=1) is None  # not committed yet
            await session.commit()
        assert await _next_change(pubsub, within=10) == AccessChange(2, "logout")
        assert await _next_change(pubsub, within=1) is None  # the rolled back one never came
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        await engine.dispose()
