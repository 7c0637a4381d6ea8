"""Reports on the stream come back through every history endpoint with the values sent."""

from __future__ import annotations

import time

import httpx
import pytest
from redis.asyncio import Redis

from core import reports as m
from core.reports import Report, Sample
from core.settings import Settings
from harness.factories import invite_and_join, new_agent
from tests.history.conftest import Tenant
from tests.history.helpers import append, drained, report, running_worker, settled

STEP = 5
COUNT = 12


def _grid_start() -> int:
    """A step-aligned time a minute ago, so each report lands exactly on a chart point."""
    return (int(time.time()) // STEP) * STEP - COUNT * STEP


def _host_report(tenant: Tenant, ts: int, i: int, cpu: float) -> Report:
    cores = [Sample(m.CPU_CORE_PERCENT, core + i, {"core": str(core)}) for core in (0, 1, 2, 10)]
    partitions = [
        Sample(m.PARTITION_PERCENT, 50, {"mountpoint": "/", "device": "/dev/sda1"}),
        Sample(m.PARTITION_PERCENT, 70, {"mountpoint": "/mnt/my data", "device": "/dev/sdb1"}),
    ]
    interfaces = [
        Sample(m.NET_IF_SENT_BYTES_PER_S, 10.0 * i, {"interface": "eth0"}),
        Sample(m.NET_IF_RECV_BYTES_PER_S, 20.0 * i, {"interface": "eth0"}),
        Sample(m.NET_IF_SENT_BYTES_PER_S, 1.0, {"interface": "wlan 0"}),
    ]
    extra = [
        Sample(m.TEMPERATURE_CELSIUS, 45.5, {"sensor": "coretemp Package id 0"}),
        Sample("nginx_requests", float(i), {"path": '/a "b"'}),
    ]
    metrics = {
        m.CPU_PERCENT: cpu,
        m.CPU_FREQ_MHZ: 2400,
        m.LOAD_1: 0.5,
        m.MEMORY_PERCENT: 40 + i,
        m.MEMORY_USED_BYTES: 6e9,
        m.MEMORY_TOTAL_BYTES: 16e9,
        m.MEMORY_AVAILABLE_BYTES: 10e9,
        m.SWAP_PERCENT: 1,
        m.DISK_PERCENT: 55,
        m.DISK_USED_BYTES: 55e9,
        m.DISK_TOTAL_BYTES: 100e9,
        m.DISK_READ_BYTES_PER_S: 1000.0 * i,
        m.NET_SENT_BYTES_PER_S: 100.0 * i,
        m.NET_RECV_BYTES_PER_S: 200.0 * i,
    }
    return report(
        tenant.org_id, tenant.agent_id, ts, metrics, cores + partitions + interfaces + extra
    )


@pytest.fixture
async def stored(
    alice: Tenant, bob: Tenant, open_auth: httpx.AsyncClient, settings: Settings, redis: Redis
) -> tuple[int, Tenant]:
    """A minute of Alice's reports, Bob's (another org: always 99 % CPU) and an older
    agent of Alice's that only sends network and disk counters; returns the grid start and that
    agent."""
    start = _grid_start()
    old = Tenant(alice.user, alice.org_id, (await new_agent(open_auth, alice.user, "old")).id)
    reports = []
    for i in range(COUNT):
        ts = start + i * STEP
        reports.append(_host_report(alice, ts, i, cpu=10 + 5 * i))
        reports.append(_host_report(bob, ts, i, cpu=99))
        counters = {
            m.CPU_PERCENT: 1,
            m.MEMORY_PERCENT: 1,
            m.NET_BYTES_SENT: 1e6 + 5000 * i,
            m.DISK_READ_BYTES: 2e6 + 10000 * i,
        }
        reports.append(report(old.org_id, old.agent_id, ts, counters, source="report"))
    reports.append(report(bob.org_id, bob.agent_id, start, {"bob_secret": 1}))
    await append(redis, reports)
    async with running_worker(settings):
        await drained(redis)
    for tenant in (alice, bob, old):
        await settled(settings.tsdb_url, f'{{agent_id="{tenant.agent_id}"}}')
    return start, old


def _series(body: dict, name: str, **labels: str) -> dict[int, float | None]:  # type: ignore[type-arg]
    for series in body["series"]:
        if series["name"] == name and series["labels"] == labels:
            return dict(zip(series["timestamps"], series["values"], strict=True))
    raise AssertionError(
        f"no {name} {labels} in {[(s['name'], s['labels']) for s in body['series']]}"
    )


async def _get(client: httpx.AsyncClient, tenant: Tenant, endpoint: str, **params: str) -> dict:  # type: ignore[type-arg]
    response = await client.get(
        f"/history/{tenant.agent_id}/{endpoint}",
        params={"start": "-2m", **params},
        headers=tenant.user.headers,
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_cpu_chart_shows_each_report_at_its_time(
    stored: tuple[int, Tenant], alice: Tenant, history_client: httpx.AsyncClient
) -> None:
    start, _ = stored
    body = await _get(history_client, alice, "cpu")
    assert body["agent_id"] == alice.agent_id and body["metric"] == "cpu"
    assert body["step_seconds"] == STEP
    cpu = _series(body, "cpu_percent")
    assert [cpu[start + i * STEP] for i in range(COUNT)] == [10 + 5 * i for i in range(COUNT)]
    assert _series(body, "cpu_freq_mhz")[start] == 2400
    assert _series(body, "load_1")[start] == 0.5
    names = [s["name"] for s in body["series"]]
    assert "load_5" not in names  # never reported: no empty series


async def test_memory_disk_and_network_charts(
    stored: tuple[int, Tenant], alice: Tenant, history_client: httpx.AsyncClient
) -> None:
    start, _ = stored
    last = start + (COUNT - 1) * STEP
    memory = await _get(history_client, alice, "memory")
    assert _series(memory, "memory_percent")[last] == 40 + COUNT - 1
    assert _series(memory, "memory_total_bytes")[last] == 16e9
    assert _series(memory, "swap_percent")[last] == 1
    disk = await _get(history_client, alice, "disk")
    assert _series(disk, "disk_percent")[last] == 55
    assert _series(disk, "disk_read_bytes_per_s")[last] == 1000 * (COUNT - 1)
    network = await _get(history_client, alice, "network")
    assert _series(network, "net_sent_bytes_per_s")[last] == 100 * (COUNT - 1)
    assert _series(network, "net_recv_bytes_per_s")[last] == 200 * (COUNT - 1)


async def test_network_and_disk_rates_are_derived_for_agents_that_send_only_counters(
    stored: tuple[int, Tenant], history_client: httpx.AsyncClient
) -> None:
    start, old = stored
    network = await _get(history_client, old, "network")
    sent = _series(network, "net_sent_bytes_per_s")
    # 5,000 bytes more every 5 seconds.
    assert sent[start + 6 * STEP] == pytest.approx(1000)
    disk = await _get(history_client, old, "disk")
    assert _series(disk, "disk_read_bytes_per_s")[start + 6 * STEP] == pytest.approx(2000)


async def test_per_core_partition_interface_and_temperature_charts(
    stored: tuple[int, Tenant], alice: Tenant, history_client: httpx.AsyncClient
) -> None:
    start, _ = stored
    cores = await _get(history_client, alice, "cores")
    assert [s["labels"]["core"] for s in cores["series"]] == ["0", "1", "2", "10"]
    assert _series(cores, "cpu_core_percent", core="10")[start + 3 * STEP] == 13
    partitions = await _get(history_client, alice, "partitions")
    data = _series(partitions, "partition_percent", mountpoint="/mnt/my data", device="/dev/sdb1")
    assert data[start] == 70
    interfaces = await _get(history_client, alice, "interfaces")
    assert _series(interfaces, "net_if_recv_bytes_per_s", interface="eth0")[start + STEP] == 20
    assert _series(interfaces, "net_if_sent_bytes_per_s", interface="wlan 0")[start] == 1
    temperatures = await _get(history_client, alice, "temperatures")
    assert (
        _series(temperatures, "temperature_celsius", sensor="coretemp Package id 0")[start] == 45.5
    )


async def test_summary_gives_min_avg_max_p95_last(
    stored: tuple[int, Tenant], alice: Tenant, history_client: httpx.AsyncClient
) -> None:
    body = await _get(history_client, alice, "summary")
    cpu = body["stats"]["cpu_percent"]
    values = [10 + 5 * i for i in range(COUNT)]
    assert cpu["min"] == 10 and cpu["max"] == 65 and cpu["last"] == 65
    assert cpu["avg"] == pytest.approx(sum(values) / COUNT)
    assert cpu["p95"] == pytest.approx(60 + 0.45 * 5)  # linear interpolation, as Prometheus
    assert body["stats"]["disk_percent"]["p95"] == 55
    empty = await _get(history_client, alice, "summary", start="-10d", stop="-9d")
    assert empty["stats"]["cpu_percent"] == dict.fromkeys(["min", "avg", "max", "p95", "last"])


async def test_any_metric_including_custom_ones_with_label_filters(
    stored: tuple[int, Tenant], alice: Tenant, history_client: httpx.AsyncClient
) -> None:
    start, _ = stored
    names = (await _get(history_client, alice, "metrics"))["metrics"]
    assert {"cpu_percent", "cpu_core_percent", "nginx_requests", "temperature_celsius"} <= set(
        names
    )
    assert "bob_secret" not in names
    custom = await _get(history_client, alice, "metrics/nginx_requests", path='/a "b"')
    assert _series(custom, "nginx_requests", path='/a "b"')[start + 4 * STEP] == 4
    core = await _get(history_client, alice, "metrics/cpu_core_percent", core="1")
    assert [s["labels"] for s in core["series"]] == [{"core": "1"}]
    nothing = await _get(history_client, alice, "metrics/nginx_requests", path="/elsewhere")
    assert nothing["series"] == []


async def test_viewer_of_the_organization_can_read_history(
    stored: tuple[int, Tenant],
    alice: Tenant,
    open_auth: httpx.AsyncClient,
    history_client: httpx.AsyncClient,
) -> None:
    viewer = await invite_and_join(open_auth, alice.user, "viewer@example.com", "viewer")
    assert viewer.org_id == alice.org_id
    as_viewer = Tenant(viewer, alice.org_id, alice.agent_id)
    body = await _get(history_client, as_viewer, "cpu")
    assert _series(body, "cpu_percent")[stored[0]] == 10


async def test_a_week_long_chart_has_at_most_1000_points_and_keeps_spikes(
    alice: Tenant, settings: Settings, redis: Redis, history_client: httpx.AsyncClient
) -> None:
    now = time.time()
    spike_at = now - 3 * 86400 - 150  # between two regular reports
    reports = [
        report(alice.org_id, alice.agent_id, ts, {m.CPU_PERCENT: 100 if ts == spike_at else 20})
        for ts in [now - 300 * i for i in range(1, 7 * 288)] + [spike_at]
    ]
    await append(redis, reports)
    async with running_worker(settings):
        await drained(redis)
    await settled(settings.tsdb_url, f'{{agent_id="{alice.agent_id}"}}', lookback="8d")
    week = await _get(history_client, alice, "cpu", start="-7d")
    assert week["step_seconds"] == 900
    values = week["series"][0]["values"]
    assert len(values) <= 1000 and len(week["series"][0]["timestamps"]) == len(values)
    assert max(v for v in values if v is not None) == 100  # max per step by default
    lows = await _get(history_client, alice, "cpu", start="-7d", agg="min")
    assert max(v for v in lows["series"][0]["values"] if v is not None) == 20


async def test_a_day_long_chart_shows_the_report_in_the_step_still_under_way(
    alice: Tenant, settings: Settings, redis: Redis, history_client: httpx.AsyncClient
) -> None:
    """A day's chart has 2-minute points: a report 30 s into a step, charted 5 s later, is
    its newest point (at the chart's stop), not left out until the step is over."""
    step = 120
    reported = (int(time.time()) // step) * step - step + 30
    await append(redis, [report(alice.org_id, alice.agent_id, reported, {m.CPU_PERCENT: 42})])
    async with running_worker(settings):
        await drained(redis)
    await settled(settings.tsdb_url, f'{{agent_id="{alice.agent_id}"}}')
    day = await _get(history_client, alice, "cpu", start="-24h", stop=str(reported + 5))
    assert day["step_seconds"] == step
    cpu = day["series"][0]
    assert cpu["timestamps"][-1] == reported + 5 and cpu["values"][-1] == 42
    assert cpu["timestamps"][-2] == reported - 30 and cpu["values"][-2] is None
