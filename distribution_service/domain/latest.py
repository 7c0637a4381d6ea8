"""Where the organization topic starts from: the latest-report hash ingestion keeps in Redis.

Only agents that still exist are read (the hash keeps a deleted agent's last report), as the
agents overview does, so the topic and GET /agents/overview list the same hosts.
"""

from __future__ import annotations

from collections.abc import Iterable

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.live import HostSummary, latest_key, latest_summary
from distribution_service.domain.access import org_agent_ids


class LatestHosts:
    def __init__(self, redis: Redis, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._redis = redis
        self._sessions = sessions

    async def all(self, org_id: int) -> dict[int, HostSummary]:
        """Every agent of the organization that has reported; raises when a store is down."""
        agents = await org_agent_ids(self._sessions, org_id)
        stored = await self._redis.hgetall(latest_key(org_id))
        found = {}
        for field, data in stored.items():
            agent_id = int(field) if field.isdigit() else None
            if agent_id in agents and (summary := latest_summary(agent_id, data)) is not None:
                found[agent_id] = summary
        return found

    async def some(self, org_id: int, agent_ids: Iterable[int]) -> list[HostSummary]:
        """The stored latest values of these agents (those that have any)."""
        ids = list(agent_ids)
        stored = await self._redis.hmget(latest_key(org_id), [str(i) for i in ids])
        found = []
        for agent_id, data in zip(ids, stored, strict=True):
            if data is not None and (summary := latest_summary(agent_id, data)) is not None:
                found.append(summary)
        return found
