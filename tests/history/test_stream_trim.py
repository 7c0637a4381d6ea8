"""The reports stream stays short without ever dropping what a consumer group has not read."""

from __future__ import annotations

from redis.asyncio import Redis

from core.stream_consumer import ensure_group, trim_consumed


async def _fill(redis: Redis, stream: str, count: int) -> list[str]:
    return [await redis.xadd(stream, {"n": str(i)}) for i in range(count)]


async def test_trims_only_what_every_group_acknowledged(redis: Redis) -> None:
    stream = "trim-test"
    ids = await _fill(redis, stream, 10)
    await ensure_group(redis, stream, "fast")
    await ensure_group(redis, stream, "slow")
    fast = await redis.xreadgroup("fast", "c1", {stream: ">"}, count=10)
    await redis.xack(stream, "fast", *[entry_id for entry_id, _ in fast[0][1]])
    slow = await redis.xreadgroup("slow", "c1", {stream: ">"}, count=6)
    await redis.xack(stream, "slow", *[entry_id for entry_id, _ in slow[0][1][:4]])
    # slow: entries 4 and 5 delivered but pending, 6..9 never read
    assert await trim_consumed(redis, stream) == 4
    remaining = [entry_id for entry_id, _ in await redis.xrange(stream)]
    assert remaining == ids[4:]


async def test_a_group_that_read_nothing_keeps_everything(redis: Redis) -> None:
    stream = "trim-test-idle"
    await _fill(redis, stream, 5)
    await redis.xgroup_create(stream, "idle", id="0")
    assert await trim_consumed(redis, stream) == 0
    assert await redis.xlen(stream) == 5


async def test_no_group_no_trim(redis: Redis) -> None:
    stream = "trim-test-nogroup"
    await _fill(redis, stream, 3)
    assert await trim_consumed(redis, stream) == 0
    assert await redis.xlen(stream) == 3
