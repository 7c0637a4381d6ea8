"""Time ranges, chart steps and PromQL selectors: the rules, checked over many inputs."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import Unprocessable
from history_service.domain.charts import ChartPlan
from history_service.domain.promql import AgentScope, selector
from history_service.domain.timerange import (
    NICE_STEPS,
    TimeRange,
    choose_step,
    parse_instant,
    parse_retention,
    resolve_range,
)

NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
SCOPE = AgentScope(org_id=3, agent_id=4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("-5m", NOW - timedelta(minutes=5)),
        ("-1h", NOW - timedelta(hours=1)),
        ("-24h", NOW - timedelta(hours=24)),
        ("-7d", NOW - timedelta(days=7)),
        ("-2w", NOW - timedelta(weeks=2)),
        ("-30s", NOW - timedelta(seconds=30)),
        ("1740830400", datetime(2025, 3, 1, 12, 0, tzinfo=UTC)),
        ("2025-03-01T10:00:00", datetime(2025, 3, 1, 10, 0, tzinfo=UTC)),  # naive = UTC
        ("2025-03-01T10:00:00Z", datetime(2025, 3, 1, 10, 0, tzinfo=UTC)),
        ("2025-03-01T12:00:00+02:00", datetime(2025, 3, 1, 10, 0, tzinfo=UTC)),
        ("2025-03-01", datetime(2025, 3, 1, tzinfo=UTC)),
    ],
)
def test_statusmonitor_v1_time_formats(text: str, expected: datetime) -> None:
    assert parse_instant(text, NOW, "start") == expected


@pytest.mark.parametrize("text", ["-5x", "5m", "-m", "yesterday", "", "--1h", "-1h; drop"])
def test_unreadable_times_are_refused_naming_the_parameter(text: str) -> None:
    with pytest.raises(Unprocessable, match=r"^stop: "):
        parse_instant(text, NOW, "stop")


def test_range_must_be_ordered_and_within_retention() -> None:
    retention = timedelta(days=90)
    assert resolve_range("-89d", "now", now=NOW, retention=retention).seconds == 89 * 86400
    with pytest.raises(Unprocessable, match=r"^start: must be before stop"):
        resolve_range("-1h", "-2h", now=NOW, retention=retention)
    with pytest.raises(Unprocessable, match=r"^start: history is kept for 90 days"):
        resolve_range("-91d", "now", now=NOW, retention=retention)


@pytest.mark.parametrize(
    ("text", "days"), [("90d", 90), ("12w", 84), ("1y", 365), ("3", 93), ("48h", 2)]
)
def test_retention_reads_victoriametrics_syntax(text: str, days: float) -> None:
    assert parse_retention(text) == timedelta(days=days)


@settings(deadline=None)  # a busy shared machine must not turn slowness into failures
@given(
    seconds=st.floats(min_value=1, max_value=400 * 86400),
    interval=st.floats(min_value=1, max_value=3600),
    max_points=st.integers(min_value=100, max_value=5000),
)
def test_step_is_nice_no_finer_than_the_data_and_bounds_the_points(
    seconds: float, interval: float, max_points: int
) -> None:
    step = choose_step(seconds, interval, max_points)
    assert step >= interval
    assert step in NICE_STEPS or step % 86400 == 0
    start = NOW.timestamp() + 0.37  # not on any grid
    plan = ChartPlan.for_range(
        TimeRange(datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(start + seconds, UTC)),
        interval,
        max_points,
    )
    assert 1 <= len(plan.timestamps) <= max_points
    assert plan.start % step == 0 and plan.end % step == 0
    # The newest point is the step still under way, shown at the chart's stop.
    assert plan.timestamps[-1] == math.ceil(start + seconds) > plan.end - step
    assert plan.timestamps == sorted(set(plan.timestamps))


def test_step_examples() -> None:
    assert choose_step(3600, 5, 1000) == 5  # the last hour at full resolution
    assert choose_step(86400, 5, 1000) == 120
    assert choose_step(7 * 86400, 5, 1000) == 900  # a week: 672 points


@settings(deadline=None)
@given(
    value=st.text(max_size=60),
    key=st.from_regex(r"\A[a-z][a-z0-9_]{0,10}\Z").filter(
        lambda k: k not in {"org_id", "agent_id", "target_id", "target_type", "source"}
    ),
)
def test_any_label_value_stays_inside_its_quotes(value: str, key: str) -> None:
    query = selector("requests", SCOPE, {key: value})
    # Unescape the value the way PromQL does; the selector must be exactly the three matchers.
    match = re.fullmatch(
        r'sm_requests\{org_id="3",agent_id="4",([a-z0-9_]+)="((?:[^"\\]|\\.)*)"\}', query
    )
    assert match is not None, query
    unescaped = re.sub(r"\\(.)", lambda m: {"n": "\n"}.get(m[1], m[1]), match[2])
    assert (match[1], unescaped) == (key, value)


@pytest.mark.parametrize(
    "name",
    ['cpu_percent{org_id="2"}', 'x"} or vector(1) #', "", "a b", "sm_x[5m]", "é", "cpu_percent\n"],
)
def test_crafted_metric_names_never_become_a_selector(name: str) -> None:
    with pytest.raises(Unprocessable, match=r"^metric: "):
        selector(name, SCOPE)
