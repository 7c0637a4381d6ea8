"""Which probe replica checks which monitor: rendezvous hashing over the live replicas.

Each replica announces itself in a Redis sorted set (score: its last heartbeat). A monitor
belongs to the live replica with the highest hash of (replica, monitor): every replica
computes the same owner from the same member list, a new replica takes about 1/N of the
monitors, and when one dies only its own monitors move. A replica silent for the TTL is
gone; the others see it at their next heartbeat, well within the shortest interval (20 s).
"""

from __future__ import annotations

import time
import uuid

from redis.asyncio import Redis

from probe_service.domain.schedule import stable_hash

REPLICAS_KEY = "probe:replicas"


class Membership:
    def __init__(self, redis: Redis, ttl_seconds: float, replica_id: str | None = None) -> None:
        self.redis = redis
        self.ttl = ttl_seconds
        self.replica_id = replica_id or uuid.uuid4().hex
        self.members: list[str] = [self.replica_id]

    async def heartbeat(self) -> bool:
        """Announces this replica and reads the live ones; True when the set changed."""
        now = time.time()
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zadd(REPLICAS_KEY, {self.replica_id: now})
            pipe.zremrangebyscore(REPLICAS_KEY, "-inf", now - self.ttl)
            pipe.zrange(REPLICAS_KEY, 0, -1)
            *_, raw = await pipe.execute()
        members = sorted(m.decode() if isinstance(m, bytes) else str(m) for m in raw)
        if self.replica_id not in members:
            members = sorted([*members, self.replica_id])
        changed = members != self.members
        self.members = members
        return changed

    async def leave(self) -> None:
        await self.redis.zrem(REPLICAS_KEY, self.replica_id)

    def owns(self, monitor_id: int) -> bool:
        return owner(self.members, monitor_id) == self.replica_id


def owner(members: list[str], monitor_id: int) -> str:
    return max(members, key=lambda member: stable_hash(f"{member}:{monitor_id}"))
