"""The history API's dependencies: its VictoriaMetrics client, the agent, the time range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Query

from core.deps import SessionDep, Viewer
from core.schemas.common import Id
from core.state import state_dependency
from history_service.config import HistorySettings
from history_service.domain.agents import owned_agent, owned_monitor
from history_service.domain.promql import AgentScope
from history_service.domain.timerange import TimeRange, resolve_range
from history_service.domain.tsdb import VictoriaMetrics


@dataclass
class HistoryState:
    config: HistorySettings
    tsdb: VictoriaMetrics
    retention: timedelta  # how far back VictoriaMetrics keeps data (TSDB_RETENTION)


get_history = state_dependency(HistoryState)
HistoryDep = Annotated[HistoryState, Depends(get_history)]


async def get_agent_scope(
    agent_id: Id,
    principal: Viewer,
    session: SessionDep,
) -> AgentScope:
    return await owned_agent(session, principal.org_id, agent_id)


AgentDep = Annotated[AgentScope, Depends(get_agent_scope)]


async def get_monitor_scope(monitor_id: Id, principal: Viewer, session: SessionDep) -> AgentScope:
    return await owned_monitor(session, principal.org_id, monitor_id)


MonitorDep = Annotated[AgentScope, Depends(get_monitor_scope)]

_TIME_HELP = "-5m, -1h, -24h, -7d (any -<n><s|m|h|d|w>), now, unix seconds or ISO 8601 (UTC)"


def _range(history: HistoryState, start: str, stop: str) -> TimeRange:
    return resolve_range(start, stop, now=datetime.now(UTC), retention=history.retention)


def get_chart_range(
    history: HistoryDep,
    start: Annotated[str, Query(max_length=64, description=_TIME_HELP)] = "-1h",
    stop: Annotated[str, Query(max_length=64, description=_TIME_HELP)] = "now",
) -> TimeRange:
    return _range(history, start, stop)


def get_listing_range(
    history: HistoryDep,
    start: Annotated[str, Query(max_length=64, description=_TIME_HELP)] = "-7d",
    stop: Annotated[str, Query(max_length=64, description=_TIME_HELP)] = "now",
) -> TimeRange:
    return _range(history, start, stop)


ChartRange = Annotated[TimeRange, Depends(get_chart_range)]
ListingRange = Annotated[TimeRange, Depends(get_listing_range)]
