"""Agents' last-seen times and host info, kept in memory and written to PostgreSQL in one
statement every few seconds, so no request waits for the database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import session_scope
from core.logging import get_logger

log = get_logger(__name__)

_SET_HOST_INFO = text(
    "UPDATE agents SET host_info = CAST(:host_info AS jsonb) WHERE id = :agent_id"
)
# Never moves last_seen_at backwards: another replica may have written a later time.
_TOUCH = text(
    """
    UPDATE agents AS a SET last_seen_at = v.seen
    FROM unnest(CAST(:ids AS integer[]), CAST(:seen AS timestamptz[])) AS v(id, seen)
    WHERE a.id = v.id AND (a.last_seen_at IS NULL OR a.last_seen_at < v.seen)
    """
)


class AgentActivity:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._seen: dict[int, float] = {}
        self._host_info: dict[int, dict[str, Any]] = {}  # changed since the last flush
        self._known_host_info: dict[int, dict[str, Any]] = {}  # as last written

    def seen(self, agent_id: int, at: float, host_info: dict[str, Any] | None) -> None:
        self._seen[agent_id] = at
        if host_info is not None and self._known_host_info.get(agent_id) != host_info:
            self._host_info[agent_id] = host_info
            self._known_host_info[agent_id] = host_info

    async def flush(self) -> None:
        """Writes what accumulated; on failure keeps it for the next attempt."""
        seen, self._seen = self._seen, {}
        host_info, self._host_info = self._host_info, {}
        if not seen and not host_info:
            return
        try:
            async for session in session_scope(self._sessionmaker):
                await _write(session, seen, host_info)
        except Exception as exc:
            self._restore(seen, host_info)
            log.warning("could not record agent activity; will retry", error=str(exc))

    def _restore(self, seen: dict[int, float], host_info: dict[int, dict[str, Any]]) -> None:
        for agent_id, at in seen.items():
            self._seen[agent_id] = max(at, self._seen.get(agent_id, at))
        for agent_id, info in host_info.items():
            self._host_info.setdefault(agent_id, info)

    async def run(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            await self.flush()


async def _write(
    session: AsyncSession, seen: dict[int, float], host_info: dict[int, dict[str, Any]]
) -> None:
    if seen:
        ids = list(seen)
        moments = [datetime.fromtimestamp(seen[agent_id], UTC) for agent_id in ids]
        await session.execute(_TOUCH, {"ids": ids, "seen": moments})
    if host_info:
        rows = [
            {"agent_id": agent_id, "host_info": orjson.dumps(info).decode()}
            for agent_id, info in host_info.items()
        ]
        await session.execute(_SET_HOST_INFO, rows)
