"""Which metrics an agent has, custom ones included (for a metric picker)."""

from __future__ import annotations

import math

from history_service.domain.line_protocol import SERIES_PREFIX
from history_service.domain.promql import AgentScope, scope_matcher
from history_service.domain.timerange import TimeRange
from history_service.domain.tsdb import VictoriaMetrics


async def metric_names(
    tsdb: VictoriaMetrics, scope: AgentScope, time_range: TimeRange
) -> list[str]:
    names = await tsdb.label_values(
        "__name__",
        scope_matcher(scope),
        math.floor(time_range.start.timestamp()),
        math.ceil(time_range.stop.timestamp()),
    )
    return sorted(n.removeprefix(SERIES_PREFIX) for n in names if n.startswith(SERIES_PREFIX))
