"""Redis client factory: one pool per process, created in the app lifespan."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.settings import Settings


def create_redis(settings: Settings) -> Redis:
    return Redis.from_url(
        settings.redis_url,
        decode_responses=True,
        socket_connect_timeout=2,
        socket_timeout=5,
        health_check_interval=30,
        # The first command after a Redis restart meets a dead pooled connection: retry it on
        # a fresh one instead of failing. (The ingestion hot path uses its own fail-fast client.)
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.1), 3),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )


def create_stream_redis(settings: Settings, block_ms: int) -> Redis:
    """For stream consumers: binary-safe (see core.stream_consumer) and patient enough for a
    blocking read of `block_ms`."""
    return Redis.from_url(
        settings.redis_url,
        socket_connect_timeout=2,
        socket_timeout=block_ms / 1000 + 10,
        health_check_interval=30,
    )
