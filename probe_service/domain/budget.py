"""Per-minute budgets kept in Redis (shared by every probe process): "test now" per
organization, push calls per push URL."""

from __future__ import annotations

import time

from redis.asyncio import Redis

from core.errors import TooManyRequests


async def spend(redis: Redis, key: str, per_minute: int, what: str) -> None:
    """Counts one call against `key` in this clock minute; 429 (with Retry-After) past
    `per_minute`, naming `what` ("test checks")."""
    minute = int(time.time() // 60)
    window = f"{key}:{minute}"
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(window)
        pipe.expire(window, 120)
        count, _ = await pipe.execute()
    if int(count) > per_minute:
        wait = 60 - int(time.time() % 60)
        raise TooManyRequests(f"at most {per_minute} {what} a minute: try again in {wait} s", wait)
