"""The older tools' agents as they really are (tests/fixtures/older_tools.py): StatusMonitor v1's
headless and GUI agents on POST /ingest, the Data Monitoring Tool's agents on POST /report.
Each report answers exactly 200 (both agents count nothing else as sent) and every value it
carries is stored."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from redis.asyncio import Redis

from core import reports as m
from core.reports import Report, Sample
from harness.factories import Agent
from tests.fixtures.older_tools import (
    V1_LINUX_DISK_IO,
    Payload,
    data_monitoring_tool_agent,
    data_monitoring_tool_first_agent,
    local_wall_clock,
    statusmonitor_v1_gui,
    statusmonitor_v1_gui_first,
    statusmonitor_v1_headless,
    statusmonitor_v1_headless_bare,
)
from tests.ingestion.helpers import stream_reports

INDIA = timedelta(hours=5, minutes=30)
_V1_DISK_COUNTERS = {
    m.DISK_READ_COUNT: V1_LINUX_DISK_IO["read_count"],
    m.DISK_WRITE_COUNT: V1_LINUX_DISK_IO["write_count"],
    m.DISK_READ_BYTES: V1_LINUX_DISK_IO["read_bytes"],
    m.DISK_WRITE_BYTES: V1_LINUX_DISK_IO["write_bytes"],
    m.DISK_READ_TIME_MS: V1_LINUX_DISK_IO["read_time"],
    m.DISK_WRITE_TIME_MS: V1_LINUX_DISK_IO["write_time"],
    m.DISK_READ_MERGED_COUNT: V1_LINUX_DISK_IO["read_merged_count"],
    m.DISK_WRITE_MERGED_COUNT: V1_LINUX_DISK_IO["write_merged_count"],
    m.DISK_BUSY_TIME_MS: V1_LINUX_DISK_IO["busy_time"],
}
_V1_NETWORK = {
    m.NET_BYTES_SENT: 3021449216,
    m.NET_BYTES_RECV: 19872411648,
    m.NET_PACKETS_SENT: 9120331,
    m.NET_PACKETS_RECV: 17220445,
    m.NET_ERRORS_IN: 3,
    m.NET_ERRORS_OUT: 1,
    m.NET_DROPS_IN: 112,
    m.NET_DROPS_OUT: 7,
}


async def _sent(
    ingest: httpx.AsyncClient, redis: Redis, path: str, headers: dict[str, str], body: Payload
) -> tuple[httpx.Response, Report]:
    response = await ingest.post(path, headers=headers, json=body)
    assert response.status_code == 200, response.text  # exactly 200: what the agents count
    [(_, report)] = await stream_reports(redis)
    return response, report


def _cores(percents: list[float]) -> list[Sample]:
    return [Sample(m.CPU_CORE_PERCENT, value, {"core": str(i)}) for i, value in enumerate(percents)]


def _partitions(payload: Payload) -> list[Sample]:
    samples = []
    for partition in payload["disk"]["partitions"]:
        labels = {
            key: partition[key] for key in ("mountpoint", "device", "fstype") if key in partition
        }
        for field, metric in (
            ("percent", m.PARTITION_PERCENT),
            ("used", m.PARTITION_USED_BYTES),
            ("total", m.PARTITION_TOTAL_BYTES),
            ("free", m.PARTITION_FREE_BYTES),
        ):
            samples.append(Sample(metric, partition[field], labels))
    return samples


async def test_statusmonitor_v1_headless_agent_report_is_stored_with_every_value(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    payload = statusmonitor_v1_headless(time.time() - 1)
    _, report = await _sent(ingest, redis, "/ingest", agent.headers, payload)
    assert (report.source, report.ts, report.host_info) == ("agent", payload["timestamp"], None)
    root = payload["disk"]["partitions"][0]  # mounted at "/": also the host's disk
    assert report.metrics == {
        m.CPU_PERCENT: 12.5,
        m.CPU_FREQ_MHZ: 2995.2,
        m.CPU_FREQ_MIN_MHZ: 400.0,
        m.CPU_FREQ_MAX_MHZ: 4700.0,
        m.LOAD_1: 0.52,
        m.LOAD_5: 0.61,
        m.LOAD_15: 0.7,
        m.MEMORY_PERCENT: 40.7,
        m.MEMORY_TOTAL_BYTES: 16663343104,
        m.MEMORY_AVAILABLE_BYTES: 9876543488,
        m.DISK_PERCENT: root["percent"],
        m.DISK_USED_BYTES: root["used"],
        m.DISK_TOTAL_BYTES: root["total"],
        m.DISK_FREE_BYTES: root["free"],
        **_V1_DISK_COUNTERS,
        **_V1_NETWORK,
    }
    assert report.series == _cores([10.0, 15.1, 12.2, 12.7]) + _partitions(payload)


async def test_statusmonitor_v1_gui_agent_report_is_stored_with_every_value(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    payload = statusmonitor_v1_gui(time.time() - 1)
    _, report = await _sent(ingest, redis, "/ingest", agent.headers, payload)
    assert report.ts == payload["timestamp"]
    drive_c = payload["disk"]["partitions"][0]  # no "/" on Windows: the first drive
    assert report.metrics == {
        m.CPU_PERCENT: 8.3,
        m.CPU_FREQ_MHZ: 4389.6,
        m.CPU_FREQ_MIN_MHZ: 0,
        m.CPU_FREQ_MAX_MHZ: 3600.0,
        m.MEMORY_PERCENT: 52.4,
        m.MEMORY_USED_BYTES: 17955635200,
        m.MEMORY_TOTAL_BYTES: 34263060480,
        m.MEMORY_AVAILABLE_BYTES: 16307425280,
        m.DISK_PERCENT: drive_c["percent"],
        m.DISK_USED_BYTES: drive_c["used"],
        m.DISK_TOTAL_BYTES: drive_c["total"],
        m.DISK_FREE_BYTES: drive_c["free"],
        m.NET_BYTES_SENT: 811233280,
        m.NET_BYTES_RECV: 7340032000,
        m.NET_PACKETS_SENT: 2210442,
        m.NET_PACKETS_RECV: 5533102,
    }
    assert report.series == _cores(payload["cpu"]["per_core_usage"]) + _partitions(payload)
    assert report.host_info == {"cpu_cores": 4, "cpu_threads": 8}


@pytest.mark.parametrize(
    "build", [statusmonitor_v1_headless_bare, statusmonitor_v1_gui_first], ids=lambda b: b.__name__
)
async def test_statusmonitor_v1_agents_sparser_reports_are_accepted(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis, build: Callable[[float], Payload]
) -> None:
    """A VM without CPU frequency nor disk counters (`{}`), no readable partition; the GUI
    agent's first version with CPU percent and core counts only."""
    payload = build(time.time())
    _, report = await _sent(ingest, redis, "/ingest", agent.headers, payload)
    assert report.metrics[m.CPU_PERCENT] == payload["cpu"]["usage_percent"]
    assert report.metrics[m.MEMORY_PERCENT] == payload["memory"]["used_percent"]


async def test_a_report_without_any_cpu_percent_is_refused_naming_both_names(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    body = {"cpu": {"per_core_usage": [1.0]}, "memory": {"used_percent": 3}}
    response = await ingest.post("/ingest", headers=agent.headers, json=body)
    assert response.status_code == 422
    assert "`percent` (or `usage_percent`) - at `$.cpu`" in response.json()["detail"]
    assert await redis.xlen("reports") == 0


async def test_data_monitoring_tool_agent_report_is_stored_with_every_value(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    collected = time.time()
    payload = data_monitoring_tool_agent(agent.token, local_wall_clock(collected, INDIA))
    headers = {"Authorization": f"Bearer {agent.token}"}
    response, report = await _sent(ingest, redis, "/report", headers, payload)
    [(entry_id, _)] = await stream_reports(redis)
    assert response.json() == {"ok": True, "data_id": entry_id}
    assert report.ts == pytest.approx(collected, abs=1e-3)
    assert report.metrics == {
        m.CPU_PERCENT: 3.2,
        m.MEMORY_USED_BYTES: 2048 * 1024**2,
        m.MEMORY_TOTAL_BYTES: 7936 * 1024**2,
        m.MEMORY_PERCENT: 31.4,
        m.DISK_USED_BYTES: 22.57 * 1024**3,
        m.DISK_TOTAL_BYTES: 58.37 * 1024**3,
        m.DISK_PERCENT: 40.8,
    }
    assert report.host_info == {"os": "Linux", "kernel": payload["kernel_version"]}


async def test_data_monitoring_tool_first_agent_report_is_stored_with_every_value(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    collected = datetime.now(UTC).replace(microsecond=0)
    payload = data_monitoring_tool_first_agent(collected.isoformat(timespec="seconds"))
    headers = {"Authorization": f"Bearer {agent.token}"}
    _, report = await _sent(ingest, redis, "/report", headers, payload)
    assert report.ts == collected.timestamp()
    assert report.metrics[m.MEMORY_USED_BYTES] == 1523 * 1024**2 and len(report.metrics) == 7
    assert report.host_info == {
        "ip": "10.0.4.17",
        "os": "Linux",
        "kernel": "6.1.0-31-amd64",
        "hostname": "web-01",
        "agent_version": "0.1.0",
    }


async def test_data_monitoring_tool_key_may_come_in_the_body_but_never_contradict_the_header(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    payload = data_monitoring_tool_agent(agent.token, local_wall_clock(time.time(), INDIA))
    in_body = await ingest.post("/report", json=payload)
    assert in_body.status_code == 200, in_body.text
    contradicted = await ingest.post(
        "/report",
        headers={"Authorization": f"Bearer {agent.token}"},
        json={**payload, "host_key": "sm_other"},
    )
    assert contradicted.status_code == 401 and "host_key" in contradicted.json()["detail"]
    assert await redis.xlen("reports") == 1


async def test_data_monitoring_tool_data_pipeline_fields_are_stored_as_dataset_series(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    now = time.time()
    payload = {
        **data_monitoring_tool_agent(agent.token, local_wall_clock(now, INDIA)),
        "dataset_name": "orders",
        "partition_key": "2025-03-10",
        "files_count": 12,
        "size_bytes": 1048576,
        "min_event_ts": local_wall_clock(now - 3600, INDIA),  # local, like collected_at
        "max_event_ts": "2025-03-10T08:00:00+00:00",
    }
    _, report = await _sent(
        ingest, redis, "/report", {"Authorization": f"Bearer {agent.token}"}, payload
    )
    labels = {"dataset": "orders", "partition": "2025-03-10"}
    assert [(s.name, s.labels) for s in report.series] == [
        (m.DATASET_FILES_COUNT, labels),
        (m.DATASET_SIZE_BYTES, labels),
        (m.DATASET_MIN_EVENT_TS, labels),
        (m.DATASET_MAX_EVENT_TS, labels),
    ]
    max_event = datetime(2025, 3, 10, 8, tzinfo=UTC).timestamp()
    expected = [12, 1048576, now - 3600, max_event]
    assert [s.value for s in report.series] == pytest.approx(expected, abs=1e-3)
