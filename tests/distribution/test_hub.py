"""The hub in-process against the real Redis: one pub/sub connection however many clients."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from core.live import agent_channel
from core.settings import Settings
from distribution_service.domain.hub import Hub
from distribution_service.domain.outbox import Outbox


async def _pubsub_connections(redis: Redis) -> int:
    return len(await redis.client_list(_type="pubsub"))


async def test_one_redis_subscription_per_agent_and_process_whatever_the_clients(
    settings: Settings, redis: Redis
) -> None:
    hub = Hub(settings.redis_url)
    await hub.start()
    try:
        clients = [Outbox(10) for _ in range(3)]
        assert all([await hub.subscribe(7, outbox) for outbox in clients])
        assert await hub.subscribe(8, clients[0])
        assert await redis.pubsub_numsub(agent_channel(7), agent_channel(8)) == [
            (agent_channel(7), 1),
            (agent_channel(8), 1),
        ]
        assert await _pubsub_connections(redis) == 1
        assert await redis.publish(agent_channel(7), "frame") == 1
        for outbox in clients:
            assert await asyncio.wait_for(outbox.get(), 5) == "frame"
        for outbox in clients:
            await hub.unsubscribe(7, outbox)
        await _until(lambda: _numsub(redis, 7), 0)
        assert await _numsub(redis, 8) == 1
    finally:
        await hub.stop()


async def _numsub(redis: Redis, agent_id: int) -> int:
    counts = await redis.pubsub_numsub(agent_channel(agent_id))
    return int(counts[0][1])


async def _until(probe: Callable[[], Awaitable[int]], expected: int) -> None:
    for _ in range(100):
        if await probe() == expected:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never reached {expected}")
