"""Labels survive the trip report → line protocol → VictoriaMetrics → PromQL exactly, and
invalid names never reach the store."""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, datetime

import httpx

from core.reports import Sample
from core.settings import Settings
from history_service.domain.charts import ChartPlan, ChartSeries, chart_series
from history_service.domain.line_protocol import report_lines
from history_service.domain.promql import AgentScope
from history_service.domain.timerange import TimeRange
from history_service.domain.tsdb import VictoriaMetrics, create_client
from tests.history.helpers import report, settled

AWKWARD_VALUES = [
    "a b",
    "a,b",
    "a=b",
    "back\\slash",
    "trailing\\",
    '"quoted"',
    'x"} or vector(1) #',
    "tab\there",
    "é ü 中",
    "=,\\ ",
]


def test_line_layout_and_escaping() -> None:
    sample = Sample("partition_percent", 70.5, {"mountpoint": "/mnt/my data,x=y"})
    lines = report_lines(report(3, 4, 1700000000.1234, {"cpu_percent": 12.0}, [sample]))
    assert lines == [
        "sm,org_id=3,target_type=agent,target_id=4,agent_id=4,source=agent "
        "cpu_percent=12.0 1700000000123",
        "sm,org_id=3,target_type=agent,target_id=4,agent_id=4,source=agent,"
        "mountpoint=/mnt/my\\ data\\,x\\=y partition_percent=70.5 1700000000123",
    ]


def test_invalid_names_labels_and_values_are_dropped() -> None:
    samples = [
        Sample("ok", 1, {"core": "0"}),
        Sample("bad-name", 1),
        Sample("newline\n", 1),  # `$` in the name patterns accepts a trailing newline
        Sample("ok8", 1, {"core\n": "0"}),
        Sample("ok2", 1, {"org_id": "999"}),  # a platform label cannot be forged
        Sample("ok3", 1, {"__name__": "x"}),
        Sample("ok4", 1, {"bad key": "x"}),
        Sample("ok5", 1, {"path": "line\nbreak"}),
        Sample("ok6", float("nan")),
        Sample("ok7", 2, {"empty": ""}),  # an empty label is no label
    ]
    lines = report_lines(report(3, 4, 1700000000, {"x y": 1, "inf": float("inf")}, samples))
    assert [line.split(" ")[0].removeprefix("sm,") for line in lines] == [
        "org_id=3,target_type=agent,target_id=4,agent_id=4,source=agent,core=0",
        "org_id=3,target_type=agent,target_id=4,agent_id=4,source=agent",
    ]
    assert [line.split(" ")[1] for line in lines] == ["ok=1.0", "ok7=2.0"]


async def test_awkward_label_values_round_trip_through_victoriametrics(
    settings: Settings,
) -> None:
    scope = AgentScope(org_id=random.randrange(10**9), agent_id=random.randrange(10**9))
    now = int(time.time()) // 5 * 5
    samples = [Sample("requests", i, {"path": value}) for i, value in enumerate(AWKWARD_VALUES)]
    lines = report_lines(report(scope.org_id, scope.agent_id, now, {}, samples))
    async with create_client(10) as client:
        tsdb = VictoriaMetrics(client, settings.tsdb_url)
        await tsdb.write(lines)
        await settled(settings.tsdb_url, _match(scope))
        stored = await _export(client, settings.tsdb_url, scope)
        assert sorted(stored) == sorted(AWKWARD_VALUES)
        plan = ChartPlan.for_range(
            TimeRange(datetime.fromtimestamp(now - 60, UTC), datetime.fromtimestamp(now, UTC)),
            5,
            1000,
        )
        for i, value in enumerate(AWKWARD_VALUES):
            found = await chart_series(
                tsdb, scope, [ChartSeries("requests")], plan, labels={"path": value}
            )
            assert [(s["labels"], s["values"][-1]) for s in found] == [({"path": value}, i)]


def _match(scope: AgentScope) -> str:
    return f'{{org_id="{scope.org_id}",agent_id="{scope.agent_id}"}}'


async def _export(client: httpx.AsyncClient, url: str, scope: AgentScope) -> list[str]:
    response = await client.post(f"{url}/api/v1/export", data={"match[]": _match(scope)})
    return [json.loads(line)["metric"]["path"] for line in response.text.splitlines()]
