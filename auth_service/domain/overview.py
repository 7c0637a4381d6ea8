"""The agents overview: every agent of an organization with its latest values, in one call.

Served from PostgreSQL (names, host info) and the live view's latest-report hash in Redis,
never from VictoriaMetrics, so a dashboard grid of hundreds of hosts stays cheap.
"""

from __future__ import annotations

import time

import msgspec
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core import reports as m
from core.live import latest_key
from core.models import Agent
from core.schemas.agents import AgentOverview, AgentsOverview
from core.settings import Settings

# Seed clients (/report, /api/metrics) do not say how often they report; assume once a minute.
DEFAULT_INTERVAL_SECONDS = 60.0
OVERVIEW_METRICS = (
    m.CPU_PERCENT,
    m.MEMORY_PERCENT,
    m.DISK_PERCENT,
    m.SWAP_PERCENT,
    m.LOAD_1,
    m.NET_SENT_BYTES_PER_S,
    m.NET_RECV_BYTES_PER_S,
)


class _Latest(msgspec.Struct):
    """The part of a stored Report the overview needs; msgspec skips the rest unparsed."""

    ts: float
    metrics: dict[str, float]
    interval: float | None = None


_decode_latest = msgspec.json.Decoder(_Latest).decode


def _status(latest: _Latest | None, now: float, missed: int) -> str:
    if latest is None:
        return "never"
    interval = latest.interval or DEFAULT_INTERVAL_SECONDS
    return "online" if now - latest.ts <= missed * interval else "offline"


async def agents_overview(
    session: AsyncSession, redis: Redis, settings: Settings, org_id: int
) -> AgentsOverview:
    agents = (
        await session.scalars(select(Agent).where(Agent.org_id == org_id).order_by(Agent.name))
    ).all()
    frames = await redis.hgetall(latest_key(org_id))
    now = time.time()
    rows = []
    for agent in agents:
        raw = frames.get(str(agent.id))
        latest = _decode_latest(raw) if raw else None
        rows.append(
            AgentOverview(
                id=agent.id,
                name=agent.name,
                labels=agent.labels,
                host_info=agent.host_info,
                status=_status(latest, now, settings.offline_after_missed_intervals),
                last_seen=latest.ts if latest else None,
                interval=latest.interval if latest else None,
                values={k: latest.metrics[k] for k in OVERVIEW_METRICS if k in latest.metrics}
                if latest
                else {},
            )
        )
    online = sum(row.status == "online" for row in rows)
    return AgentsOverview(data=rows, count=len(rows), online=online, offline=len(rows) - online)
