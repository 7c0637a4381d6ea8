"""The reports stream stays short without ever dropping what a consumer group has not read."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from core.stream_consumer import ensure_group, trim_consumed


async def _fill(redis: Redis, stream: str, count: int) -> list[str]:
    return [str(await redis.xadd(stream, {"n": str(i)})) for i in range(count)]


async def _read_and_ack(redis: Redis, stream: str, group: str, read: int, ack: int) -> None:
    answer: Any = await redis.xreadgroup(group, "c1", {stream: ">"}, count=read)
    entry_ids = [entry_id for entry_id, _ in answer[0][1]]
    await redis.xack(stream, group, *entry_ids[:ack])


async def test_trims_only_what_every_group_acknowledged(redis: Redis) -> None:
    stream = "trim-test"
    ids = await _fill(redis, stream, 10)
    await ensure_group(redis, stream, "fast")
    await ensure_group(redis, stream, "slow")
    await _read_and_ack(redis, stream, "fast", read=10, ack=10)
    # slow: entries 4 and 5 delivered but still pending, 6..9 never read
    await _read_and_ack(redis, stream, "slow", read=6, ack=4)
    assert await trim_consumed(redis, stream) == 4
    remaining: Any = await redis.xrange(stream)
    assert [entry_id for entry_id, _ in remaining] == ids[4:]


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


async def test_pending_entries_acknowledged_meanwhile_by_another_process(
    redis: Redis, monkeypatch: Any
) -> None:
    """XINFO still counts entries as pending that another worker acknowledges before our
    XPENDING: with two groups on the stream (history and alerts) this happens under load."""
    stream = "trim-test-race"
    ids = await _fill(redis, stream, 6)
    await ensure_group(redis, stream, "racing")
    await _read_and_ack(redis, stream, "racing", read=6, ack=2)
    real_xpending = redis.xpending

    async def acknowledged_just_before(name: str, group: str) -> Any:
        await redis.xack(stream, group, *ids[2:])  # the other process finished its batch
        return await real_xpending(name, group)

    monkeypatch.setattr(redis, "xpending", acknowledged_just_before)
    assert await trim_consumed(redis, stream) == 5  # up to last-delivered, which is kept
    remaining: Any = await redis.xrange(stream)
    assert [entry_id for entry_id, _ in remaining] == ids[5:]
