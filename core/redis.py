"""Redis client factory: one pool per process, created in the app lifespan."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff, NoBackoff
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
        # a fresh one instead of failing. (create_fail_fast_redis is for those that must not.)
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


def create_fail_fast_redis(redis_url: str) -> Redis:
    """A client that never retries on its own, for callers with their own recovery.

    The ingestion hot path: create_redis's client would retry a failed pipeline for seconds
    (and may re-send appends that did arrive); instead a failure answers 503 at once and the
    agent, which keeps the report on disk, retries. Pub/sub readers: their loop reconnects
    and resubscribes, and create_redis's health checks would make a SUBSCRIBE sent while the
    reader waits read a PING reply itself, racing the reader for the same socket."""
    return Redis.from_url(
        redis_url,
        decode_responses=True,
        socket_connect_timeout=2,
        socket_timeout=5,
        socket_keepalive=True,
        retry=Retry(NoBackoff(), 0),
    )
