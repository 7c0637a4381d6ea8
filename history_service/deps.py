"""The history API's dependencies: its VictoriaMetrics client, the agent, the time range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Query, Request

from core.deps import SessionDep, SettingsDep, Viewer
from core.schemas.common import Id
from history_service.config import HistorySettings
from history_service.domain.agents import owned_agent
from history_service.domain.promql import AgentScope
from history_service.domain.timerange import TimeRange, parse_retention, resolve_range
from history_service.domain.tsdb import VictoriaMetrics


@dataclass
class HistoryState:
    config: HistorySettings
    tsdb: VictoriaMetrics


def get_history(request: Request) -> HistoryState:
    state: HistoryState = request.app.state.history
    return state


HistoryDep = Annotated[HistoryState, Depends(get_history)]


async def get_agent_scope(
    agent_id: Id,
    principal: Viewer,
    session: SessionDep,
) -> AgentScope:
    return await owned_agent(session, principal.org_id, agent_id)


AgentDep = Annotated[AgentScope, Depends(get_agent_scope)]

_TIME_HELP = "-5m, -1h, -24h, -7d (any -<n><s|m|h|d|w>), now, unix seconds or ISO 8601 (UTC)"


_retention = lru_cache(parse_retention)


def _range(settings: SettingsDep, start: str, stop: str) -> TimeRange:
    retention = _retention(settings.tsdb_retention)
    return resolve_range(start, stop, now=datetime.now(UTC), retention=retention)


def get_chart_range(
    settings: SettingsDep,
    start: Annotated[str, Query(max_length=64, description=_TIME_HELP)] = "-1h",
    stop: Annotated[str, Query(max_length=64, description=_TIME_HELP)] = "now",
) -> TimeRange:
    return _range(settings, start, stop)


def get_listing_range(
    settings: SettingsDep,
    start: Annotated[str, Query(max_length=64, description=_TIME_HELP)] = "-7d",
    stop: Annotated[str, Query(max_length=64, description=_TIME_HELP)] = "now",
) -> TimeRange:
    return _range(settings, start, stop)


ChartRange = Annotated[TimeRange, Depends(get_chart_range)]
ListingRange = Annotated[TimeRange, Depends(get_listing_range)]
