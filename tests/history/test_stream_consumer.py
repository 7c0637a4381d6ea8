"""core.stream_consumer against a real Redis: nothing acknowledged before it was handled."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from redis.asyncio import Redis

from core.backoff import Backoff
from core.settings import Settings
from core.stream_consumer import Entry, PoisonEntries, StreamConsumer, ensure_group
from core.streams import dead_letter_stream

STREAM = "test-events"
GROUP = "testers"


@pytest.fixture
async def raw_redis(settings: Settings, redis: Redis) -> AsyncIterator[Redis]:
    """A binary-safe client, as the consumer needs (`redis` also flushes the database)."""
    client = Redis.from_url(settings.redis_url)
    yield client
    await client.aclose()


def consumer(
    redis: Redis, name: str, handler: Callable[[list[Entry]], Awaitable[None]], **options: int
) -> StreamConsumer:
    defaults = {"batch_size": 50, "block_ms": 100, "claim_idle_ms": 60_000, "max_deliveries": 3}
    merged: dict[str, Any] = {**defaults, **options}
    return StreamConsumer(redis, STREAM, GROUP, name, handler, backoff=Backoff(0.02, 0.1), **merged)


async def add(redis: Redis, count: int) -> list[str]:
    async with redis.pipeline(transaction=False) as pipe:
        for i in range(count):
            pipe.xadd(STREAM, {"n": str(i)})
        ids = await pipe.execute()
    return [i.decode() for i in ids]


async def pending(redis: Redis) -> int:
    return int((await redis.xpending(STREAM, GROUP))["pending"])


async def until(condition: Callable[[], Awaitable[bool]], within: float = 15) -> None:
    deadline = time.monotonic() + within
    while not await condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_entries_stay_pending_while_the_handler_fails_and_are_acknowledged_after(
    raw_redis: Redis,
) -> None:
    """A store outage longer than max_deliveries attempts dead-letters nothing."""
    ids = await add(raw_redis, 10)
    attempts: list[list[str]] = []

    async def handler(entries: list[Entry]) -> None:
        attempts.append([entry_id for entry_id, _ in entries])
        if len(attempts) <= 6:
            assert await pending(raw_redis) == 10  # nothing acknowledged yet
            raise ConnectionError("store down")

    worker = consumer(raw_redis, "c1", handler)
    task = asyncio.create_task(worker.run())
    await until(lambda: _eq(len(attempts), 7))
    await until(lambda: _zero(pending(raw_redis)))
    worker.stop()
    await task
    assert all(batch == ids for batch in attempts)  # the same batch, retried whole
    assert await raw_redis.xlen(dead_letter_stream(STREAM)) == 0


async def test_two_consumers_share_the_work_without_duplicates(raw_redis: Redis) -> None:
    ids = await add(raw_redis, 1000)
    seen: dict[str, list[str]] = {"a": [], "b": []}

    def recorder(name: str) -> Callable[[list[Entry]], Awaitable[None]]:
        async def handler(entries: list[Entry]) -> None:
            seen[name].extend(entry_id for entry_id, _ in entries)
            await asyncio.sleep(0.01)  # a little work, so both get a share

        return handler

    workers = [consumer(raw_redis, name, recorder(name), batch_size=20) for name in seen]
    tasks = [asyncio.create_task(w.run()) for w in workers]
    await until(lambda: _eq(len(seen["a"]) + len(seen["b"]), 1000))
    await until(lambda: _zero(pending(raw_redis)))
    for w in workers:
        w.stop()
    await asyncio.gather(*tasks)
    assert seen["a"] and seen["b"]
    assert sorted(seen["a"] + seen["b"]) == sorted(ids)  # each exactly once


async def test_a_dead_consumers_pending_entries_are_claimed_once_idle(raw_redis: Redis) -> None:
    ids = await add(raw_redis, 30)
    await ensure_group(raw_redis, STREAM, GROUP)
    # A worker that read the entries and died before acknowledging them.
    await raw_redis.xreadgroup(GROUP, "dead-worker", {STREAM: ">"}, count=30)
    handled: list[str] = []

    async def handler(entries: list[Entry]) -> None:
        handled.extend(entry_id for entry_id, _ in entries)

    worker = consumer(raw_redis, "live", handler, claim_idle_ms=300)
    task = asyncio.create_task(worker.run())
    await until(lambda: _zero(pending(raw_redis)))
    worker.stop()
    await task
    assert sorted(handled) == sorted(ids)
    owners = await raw_redis.xinfo_consumers(STREAM, GROUP)
    assert {c["name"].decode(): c["pending"] for c in owners} == {"dead-worker": 0, "live": 0}


async def test_a_restarted_consumer_first_finishes_its_own_pending_entries(
    raw_redis: Redis,
) -> None:
    await ensure_group(raw_redis, STREAM, GROUP)
    await ensure_group(raw_redis, STREAM, GROUP)  # idempotent
    before_crash = await add(raw_redis, 5)
    await raw_redis.xreadgroup(GROUP, "c1", {STREAM: ">"}, count=5)  # read, then crashed
    after_crash = await add(raw_redis, 5)
    batches: list[list[str]] = []

    async def handler(entries: list[Entry]) -> None:
        batches.append([entry_id for entry_id, _ in entries])

    worker = consumer(raw_redis, "c1", handler)  # same name: claim_idle_ms is not involved
    task = asyncio.create_task(worker.run())
    await until(lambda: _zero(pending(raw_redis)))
    await until(lambda: _eq(sum(map(len, batches)), 10))
    worker.stop()
    await task
    assert batches == [before_crash, after_crash]


async def test_cancelling_finishes_and_acknowledges_the_batch_in_hand(raw_redis: Redis) -> None:
    await add(raw_redis, 5)
    started, finished = asyncio.Event(), asyncio.Event()

    async def slow_handler(entries: list[Entry]) -> None:
        started.set()
        await asyncio.sleep(0.3)
        finished.set()

    task = asyncio.create_task(consumer(raw_redis, "c1", slow_handler).run())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert finished.is_set()
    assert await pending(raw_redis) == 0


async def test_a_poison_entry_is_dead_lettered_with_its_reason_and_the_rest_acknowledged(
    raw_redis: Redis,
) -> None:
    ids = await add(raw_redis, 3)
    seen: Counter[str] = Counter()

    async def handler(entries: list[Entry]) -> None:
        seen.update(entry_id for entry_id, _ in entries)
        if ids[1] in seen:
            raise PoisonEntries({ids[1]: "cannot decode"})

    worker = consumer(raw_redis, "c1", handler, max_deliveries=3)
    task = asyncio.create_task(worker.run())
    await until(lambda: _eq_async(raw_redis.xlen(dead_letter_stream(STREAM)), 1))
    worker.stop()
    await task
    dead: Any = await raw_redis.xrange(dead_letter_stream(STREAM))
    [(_, fields)] = dead
    assert fields[b"n"] == b"1" and fields[b"dead:id"] == ids[1].encode()
    assert fields[b"dead:error"] == b"cannot decode" and fields[b"dead:deliveries"] == b"3"
    assert seen == {ids[0]: 1, ids[1]: 3, ids[2]: 1}  # healthy entries handled once
    assert await pending(raw_redis) == 0


def test_a_decoding_client_is_refused(settings: Settings) -> None:
    async def handler(entries: list[Entry]) -> None:
        return None

    decoding = Redis.from_url(settings.redis_url, decode_responses=True)
    with pytest.raises(ValueError, match="decode_responses"):
        consumer(decoding, "c1", handler)


async def _eq(value: int, expected: int) -> bool:
    return value == expected


async def _zero(value: Awaitable[int]) -> bool:
    return await value == 0


async def _eq_async(value: Awaitable[int], expected: int) -> bool:
    return await value == expected
