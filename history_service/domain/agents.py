"""The agent a history request is about: it must belong to the caller's organization."""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.live import latest_report
from core.models import Agent, Monitor
from history_service.domain.promql import AgentScope

# Bounds on a reported interval used for the chart step; anything else is a broken agent.
_MIN_INTERVAL, _MAX_INTERVAL = 1.0, 3600.0


async def owned_agent(session: AsyncSession, org_id: int, agent_id: int) -> AgentScope:
    """404 alike for a missing agent and another organization's: ids reveal nothing."""
    found = await session.scalar(
        select(Agent.id).where(Agent.id == agent_id, Agent.org_id == org_id)
    )
    if found is None:
        raise NotFound("agent not found")
    return AgentScope(org_id=org_id, agent_id=agent_id)


async def owned_monitor(session: AsyncSession, org_id: int, monitor_id: int) -> AgentScope:
    """404 alike for a missing monitor and another organization's."""
    found = await session.scalar(
        select(Monitor.id).where(Monitor.id == monitor_id, Monitor.org_id == org_id)
    )
    if found is None:
        raise NotFound("monitor not found")
    return AgentScope(org_id=org_id, agent_id=monitor_id, target_type="monitor")


async def monitor_interval(session: AsyncSession, scope: AgentScope) -> float:
    interval = await session.scalar(
        select(Monitor.interval_seconds).where(Monitor.id == scope.agent_id)
    )
    return float(interval or 60)


async def report_interval(redis: Redis, scope: AgentScope, default: float) -> float:
    """The agent's report interval, from its latest report in the live view."""
    latest = await latest_report(redis, scope.org_id, scope.agent_id)
    if latest is None or latest.interval is None:
        return default
    return min(max(latest.interval, _MIN_INTERVAL), _MAX_INTERVAL)
