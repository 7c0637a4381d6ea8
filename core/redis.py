"""Redis client factory: one pool per process, created in the app lifespan."""

from __future__ import annotations

from redis.asyncio import Redis

from core.settings import Settings


def create_redis(settings: Settings) -> Redis:
    return Redis.from_url(
        settings.redis_url,
        decode_responses=True,
        socket_connect_timeout=2,
        socket_timeout=5,
        health_check_interval=30,
    )
