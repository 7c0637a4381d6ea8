"""The Metrics Collection API's bookkeeping in Redis: message ids already stored, and the last
messages."""

from __future__ import annotations

import msgspec
from redis.asyncio import Redis

from ingestion_service.domain.appender import Once
from ingestion_service.domain.legacy_clients import MetricsMessage

# Abandoned agents' lists go away on their own.
_RECENT_TTL_SECONDS = 30 * 86_400
_decode_messages = msgspec.json.Decoder(list[MetricsMessage])


def once(agent_id: int, message_id: str) -> Once:
    """Stores a message once per sender (ids are only unique per sender): the agent's stored
    ids are one sorted set, bounded in count and age (INGEST_DEDUP_MAX_IDS, _SECONDS)."""
    return Once(f"ingest:api-metrics:seen:{agent_id}", message_id)


def _recent_key(agent_id: int) -> str:
    return f"ingest:api-metrics:recent:{agent_id}"


async def remember(redis: Redis, agent_id: int, message: MetricsMessage, keep: int) -> None:
    key = _recent_key(agent_id)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.lpush(key, msgspec.json.encode(message))
        pipe.ltrim(key, 0, keep - 1)
        pipe.expire(key, _RECENT_TTL_SECONDS)
        await pipe.execute()


async def recent(redis: Redis, agent_id: int, limit: int) -> list[MetricsMessage]:
    """Newest first."""
    raw = await redis.lrange(_recent_key(agent_id), 0, limit - 1)
    return _decode_messages.decode(b"[" + b",".join(_as_bytes(item) for item in raw) + b"]")


def _as_bytes(item: str | bytes) -> bytes:
    return item.encode() if isinstance(item, str) else item
