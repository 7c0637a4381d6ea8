"""StatusMonitor v1's history API (cpu, memory, disk, network, summary) plus per-item and any
metric.

Every route needs a user's access token (any role) and an agent of the caller's organization.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request, Response

from core.deps import RedisDep, SessionDep
from history_service.deps import AgentDep, ChartRange, HistoryDep, ListingRange, MonitorDep
from history_service.domain.agents import monitor_interval, report_interval
from history_service.domain.charts import (
    PANELS,
    Aggregate,
    ChartPlan,
    ChartSeries,
    Panel,
    chart_series,
)
from history_service.domain.metrics import metric_names
from history_service.domain.promql import AgentScope, validate_labels, validate_metric_name
from history_service.domain.summary import summarize
from history_service.domain.timerange import TimeRange
from history_service.schemas import ChartOut, MetricNamesOut, SummaryOut

router = APIRouter(prefix="/history", tags=["history"])

AggregateParam = Annotated[
    Aggregate, Query(description="how a point sums up its step on wide ranges (spikes: max)")
]
# Query parameters of /metrics/{name} that are not label filters.
_RESERVED_PARAMS = frozenset({"start", "stop", "agg"})


def _json(body: dict[str, Any]) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


@router.get("/monitors/{monitor_id}/metrics/{name}", response_model=ChartOut)
async def monitor_metric(
    name: str,
    monitor: MonitorDep,
    time_range: ChartRange,
    history: HistoryDep,
    session: SessionDep,
    agg: AggregateParam = "max",
) -> Response:
    """An uptime monitor's series: response_time_ms, monitor_up, cert_days_left, ping_*...
    (`agent_id` in the answer is the monitor's id)."""
    interval = await monitor_interval(session, monitor)
    plan = ChartPlan.for_range(time_range, interval, history.config.max_points)
    wanted = (ChartSeries(validate_metric_name(name)),)
    series = await chart_series(history.tsdb, monitor, wanted, plan, agg)
    body = {**_head(monitor, name, time_range), "step_seconds": plan.step, "series": series}
    return _json(body)


@router.get("/{agent_id}/summary", response_model=SummaryOut)
async def summary(agent: AgentDep, time_range: ChartRange, history: HistoryDep) -> Response:
    """Min, avg, max, p95 and last of CPU, memory and disk usage over the range."""
    stats = await summarize(history.tsdb, agent, time_range)
    return _json({**_head(agent, "summary", time_range), "stats": stats})


@router.get("/{agent_id}/metrics", response_model=MetricNamesOut)
async def list_metrics(agent: AgentDep, time_range: ListingRange, history: HistoryDep) -> Response:
    """Names of every metric the agent stored in the range (default: the last 7 days)."""
    names = await metric_names(history.tsdb, agent, time_range)
    span = {"start": time_range.start, "stop": time_range.stop}
    return _json({"agent_id": agent.agent_id, **span, "metrics": names})


@router.get("/{agent_id}/metrics/{name}", response_model=ChartOut)
async def any_metric(
    name: str,
    request: Request,
    agent: AgentDep,
    time_range: ChartRange,
    history: HistoryDep,
    redis: RedisDep,
    agg: AggregateParam = "max",
) -> Response:
    """Any metric, custom ones included; other query parameters filter on labels (?core=0)."""
    labels = {k: v for k, v in request.query_params.items() if k not in _RESERVED_PARAMS}
    wanted = (ChartSeries(validate_metric_name(name)),)
    return await _chart(
        agent, name, wanted, time_range, history, redis, agg, validate_labels(labels)
    )


@router.get("/{agent_id}/{panel}", response_model=ChartOut)
async def panel_chart(
    panel: Panel,
    agent: AgentDep,
    time_range: ChartRange,
    history: HistoryDep,
    redis: RedisDep,
    agg: AggregateParam = "max",
) -> Response:
    """cpu, memory, disk, network (StatusMonitor v1); cores, partitions, interfaces,
    temperatures."""
    return await _chart(agent, panel.value, PANELS[panel], time_range, history, redis, agg)


async def _chart(
    agent: AgentScope,
    metric: str,
    wanted: tuple[ChartSeries, ...],
    time_range: TimeRange,
    history: HistoryDep,
    redis: RedisDep,
    agg: Aggregate,
    labels: dict[str, str] | None = None,
) -> Response:
    interval = await report_interval(redis, agent, history.config.default_interval_seconds)
    plan = ChartPlan.for_range(time_range, interval, history.config.max_points)
    series = await chart_series(history.tsdb, agent, wanted, plan, agg, labels)
    return _json({**_head(agent, metric, time_range), "step_seconds": plan.step, "series": series})


def _head(agent: AgentScope, metric: str, time_range: TimeRange) -> dict[str, Any]:
    return {
        "agent_id": agent.agent_id,
        "metric": metric,
        "start": time_range.start,
        "stop": time_range.stop,
    }
