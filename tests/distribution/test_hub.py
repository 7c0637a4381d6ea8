"""The hub in-process against the real Redis: one pub/sub connection however many clients."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from core.live import agent_channel
from core.settings import Settings
from distribution_service.domain.hub import Hub
from distribution_service.domain.outbox import Outbox
from harness.polling import eventually


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

        async def unsubscribed() -> bool:
            return await _numsub(redis, 7) == 0

        await eventually(unsubscribed, within=5, interval=0.05, what="the last unsubscribe")
        assert await _numsub(redis, 8) == 1
    finally:
        await hub.stop()


async def _numsub(redis: Redis, agent_id: int) -> int:
    counts = await redis.pubsub_numsub(agent_channel(agent_id))
    return int(counts[0][1])
