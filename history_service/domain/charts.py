"""Chart data: which series each panel shows, the PromQL for them, columnar answers.

Answers are uPlot-friendly: every series of a chart shares one time grid (unix seconds, one
point per step) and gaps are null. On wide ranges each point is an aggregate over its step
(max by default, so a spike between two points still shows).
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from core import reports as m
from history_service.domain.promql import PLATFORM_LABELS, AgentScope, selector
from history_service.domain.timerange import TimeRange, choose_step
from history_service.domain.tsdb import Series, VictoriaMetrics

Aggregate = Literal["max", "avg", "min", "last"]


@dataclass(frozen=True)
class ChartSeries:
    metric: str
    # Agents that only send counters since boot (StatusMonitor v1: network bytes, disk I/O)
    # get the rate derived from them.
    counter: str | None = None


class Panel(StrEnum):
    cpu = "cpu"
    memory = "memory"
    disk = "disk"
    network = "network"
    cores = "cores"
    partitions = "partitions"
    interfaces = "interfaces"
    temperatures = "temperatures"


PANELS: dict[Panel, tuple[ChartSeries, ...]] = {
    Panel.cpu: (
        ChartSeries(m.CPU_PERCENT),
        ChartSeries(m.CPU_FREQ_MHZ),
        ChartSeries(m.LOAD_1),
        ChartSeries(m.LOAD_5),
        ChartSeries(m.LOAD_15),
    ),
    Panel.memory: (
        ChartSeries(m.MEMORY_PERCENT),
        ChartSeries(m.MEMORY_USED_BYTES),
        ChartSeries(m.MEMORY_TOTAL_BYTES),
        ChartSeries(m.MEMORY_AVAILABLE_BYTES),
        ChartSeries(m.SWAP_PERCENT),
    ),
    Panel.disk: (
        ChartSeries(m.DISK_PERCENT),
        ChartSeries(m.DISK_USED_BYTES),
        ChartSeries(m.DISK_TOTAL_BYTES),
        ChartSeries(m.DISK_READ_BYTES_PER_S, counter=m.DISK_READ_BYTES),
        ChartSeries(m.DISK_WRITE_BYTES_PER_S, counter=m.DISK_WRITE_BYTES),
    ),
    Panel.network: (
        ChartSeries(m.NET_SENT_BYTES_PER_S, counter=m.NET_BYTES_SENT),
        ChartSeries(m.NET_RECV_BYTES_PER_S, counter=m.NET_BYTES_RECV),
    ),
    Panel.cores: (ChartSeries(m.CPU_CORE_PERCENT),),
    Panel.partitions: (ChartSeries(m.PARTITION_PERCENT),),
    Panel.interfaces: (
        ChartSeries(m.NET_IF_SENT_BYTES_PER_S, counter=m.NET_IF_BYTES_SENT),
        ChartSeries(m.NET_IF_RECV_BYTES_PER_S, counter=m.NET_IF_BYTES_RECV),
    ),
    Panel.temperatures: (ChartSeries(m.TEMPERATURE_CELSIUS),),
}


@dataclass(frozen=True)
class ChartPlan:
    """The step grid of a chart: points at start, start+step, ..., end (unix seconds), each
    for the step that ends there. `end` is the end of the step holding `stop`, which the
    chart shows at `stop` itself."""

    start: int
    end: int
    step: int
    interval: float  # seconds between the agent's reports
    stop: int

    @classmethod
    def for_range(cls, time_range: TimeRange, interval: float, max_points: int) -> ChartPlan:
        step = choose_step(time_range.seconds, interval, max_points)
        stop = math.ceil(time_range.stop.timestamp())
        # The step still under way is charted too (VictoriaMetrics answers for a grid point
        # after now): a week's chart shows the last minutes, not only up to the last whole
        # 15-minute step.
        end = math.ceil(stop / step) * step
        start = min(math.ceil(time_range.start.timestamp() / step) * step, end)
        return cls(start, end, step, interval, stop)

    @property
    def raw(self) -> bool:
        """Steps this fine show samples as they are; aggregating would only blur them."""
        return self.step < 2 * self.interval

    @property
    def rate_window(self) -> int:
        return math.ceil(max(self.step, 2 * self.interval))

    @property
    def timestamps(self) -> list[int]:
        grid = list(range(self.start, self.end + 1, self.step))
        grid[-1] = self.stop  # end - step < stop <= end
        return grid


def chart_query(
    series: ChartSeries,
    scope: AgentScope,
    plan: ChartPlan,
    aggregate: Aggregate = "max",
    labels: Mapping[str, str] | None = None,
) -> str:
    metric = selector(series.metric, scope, labels)
    value = metric if plan.raw else f"{aggregate}_over_time({metric}[{plan.step}s])"
    query = f"max without ({PLATFORM_LABELS}) ({value})"
    if series.counter:
        counter = selector(series.counter, scope, labels)
        rate = f"rate({counter}[{plan.rate_window}s])"
        query = f"{query} or max without ({PLATFORM_LABELS}) ({rate})"
    return query


async def chart_series(
    tsdb: VictoriaMetrics,
    scope: AgentScope,
    wanted: Sequence[ChartSeries],
    plan: ChartPlan,
    aggregate: Aggregate = "max",
    labels: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One entry per stored series, in panel order, each on the plan's grid."""
    queries = [chart_query(s, scope, plan, aggregate, labels) for s in wanted]
    results = await asyncio.gather(
        *(tsdb.query_range(q, plan.start, plan.end, plan.step) for q in queries)
    )
    timestamps = plan.timestamps
    return [
        {
            "name": chart.metric,
            "labels": _labels(row),
            "timestamps": timestamps,
            "values": _on_grid(row.get("values", []), plan, len(timestamps)),
        }
        for chart, rows in zip(wanted, results, strict=True)
        for row in sorted(rows, key=lambda row: _natural(_labels(row)))
    ]


def _labels(row: Series) -> dict[str, str]:
    return {k: v for k, v in row["metric"].items() if k != "__name__"}


def _on_grid(points: list[list[Any]], plan: ChartPlan, size: int) -> list[float | None]:
    values: list[float | None] = [None] * size
    for timestamp, text in points:
        index = (int(timestamp) - plan.start) // plan.step
        value = float(text)
        if 0 <= index < size and math.isfinite(value):
            values[index] = value
    return values


_DIGITS = re.compile(r"(\d+)")


def _natural(labels: Mapping[str, str]) -> list[Any]:
    """Sort key so core 2 comes before core 10 and eth1 before eth10."""
    key: list[Any] = []
    for name in sorted(labels):
        parts = _DIGITS.split(labels[name])
        key.append([name, [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts]])
    return key
