"""StatusMonitor v1's /summary: min, avg, max, p95 and last of the headline metrics over a range."""

from __future__ import annotations

import math

from core import reports as m
from history_service.domain.promql import PLATFORM_LABELS, AgentScope, selector
from history_service.domain.timerange import TimeRange
from history_service.domain.tsdb import VictoriaMetrics

SUMMARY_METRICS = (m.CPU_PERCENT, m.MEMORY_PERCENT, m.DISK_PERCENT)

# stat -> (how series of several sources combine, the rollup over the range).
_STATS = {
    "min": ("min", "min_over_time({s})"),
    "avg": ("avg", "avg_over_time({s})"),
    "max": ("max", "max_over_time({s})"),
    "p95": ("max", "quantile_over_time(0.95, {s})"),
    "last": ("max", "last_over_time({s})"),
}

Stats = dict[str, float | None]


def summary_query(scope: AgentScope, seconds: int) -> str:
    """All fifteen numbers in one query, each series tagged with its metric and stat."""
    parts = []
    for metric in SUMMARY_METRICS:
        ranged = f"{selector(metric, scope)}[{seconds}s]"
        for stat, (combine, rollup) in _STATS.items():
            value = f"{combine} without ({PLATFORM_LABELS}) ({rollup.format(s=ranged)})"
            parts.append(f'label_set({value}, "metric", "{metric}", "stat", "{stat}")')
    return f"union({', '.join(parts)})"


async def summarize(
    tsdb: VictoriaMetrics, scope: AgentScope, time_range: TimeRange
) -> dict[str, Stats]:
    seconds = max(1, math.ceil(time_range.seconds))
    rows = await tsdb.query(summary_query(scope, seconds), math.floor(time_range.stop.timestamp()))
    stats: dict[str, Stats] = {metric: dict.fromkeys(_STATS) for metric in SUMMARY_METRICS}
    for row in rows:
        labels, (_, text) = row["metric"], row["value"]
        value = float(text)
        if labels.get("metric") in stats and labels.get("stat") in _STATS:
            stats[labels["metric"]][labels["stat"]] = value if math.isfinite(value) else None
    return stats
