"""The agents overview: every agent of an organization with its latest values, in one call.

Served from PostgreSQL (names, host info) and the live view's latest-report hash in Redis,
never from VictoriaMetrics, so a dashboard grid of hundreds of hosts stays cheap.
"""

from __future__ import annotations

import time
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core import reports as m
from core.live import LatestReport, is_online, latest_reports
from core.models import Agent
from core.settings import Settings

OVERVIEW_METRICS = (
    m.CPU_PERCENT,
    m.MEMORY_PERCENT,
    m.DISK_PERCENT,
    m.SWAP_PERCENT,
    m.LOAD_1,
    m.NET_SENT_BYTES_PER_S,
    m.NET_RECV_BYTES_PER_S,
)


def _status(latest: LatestReport | None, now: float, missed: int) -> str:
    if latest is None:
        return "never"
    return "online" if is_online(latest.ts, latest.interval, now, missed) else "offline"


async def agents_overview(
    session: AsyncSession, redis: Redis, settings: Settings, org_id: int
) -> dict[str, Any]:
    """Shaped like core.schemas.agents.AgentsOverview; plain dicts because this is the
    dashboard's hottest read and model validation of 1,000 rows would dominate its cost."""
    agents = (
        await session.execute(
            select(Agent.id, Agent.name, Agent.labels, Agent.host_info)
            .where(Agent.org_id == org_id)
            .order_by(Agent.name)
        )
    ).all()
    reports = await latest_reports(redis, org_id)
    now = time.time()
    missed = settings.offline_after_missed_intervals
    rows = []
    for agent_id, name, labels, host_info in agents:
        latest = reports.get(agent_id)
        rows.append(
            {
                "id": agent_id,
                "name": name,
                "labels": labels,
                "host_info": host_info,
                "status": _status(latest, now, missed),
                "last_seen": latest.ts if latest else None,
                "interval": latest.interval if latest else None,
                "values": _values(latest),
            }
        )
    online = sum(row["status"] == "online" for row in rows)
    return {"data": rows, "count": len(rows), "online": online, "offline": len(rows) - online}


def _values(latest: LatestReport | None) -> dict[str, float]:
    if latest is None:
        return {}
    return {key: latest.metrics[key] for key in OVERVIEW_METRICS if key in latest.metrics}
