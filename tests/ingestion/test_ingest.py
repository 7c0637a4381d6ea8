"""POST /ingest and /ingest/batch: StatusMonitor v1's payload, our agent's richer one, gzip,
batches."""

from __future__ import annotations

import gzip
import time

import httpx
import orjson
from redis.asyncio import Redis

from core import reports as m
from core.reports import Sample
from tests.ingestion.helpers import Agent, minimal_payload, statusmonitor_v1_payload, stream_reports


async def test_statusmonitor_v1_payload_is_accepted_as_documented_and_normalised(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    before = time.time()
    response = await ingest.post("/ingest", headers=agent.headers, json=statusmonitor_v1_payload())
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"
    [(_, report)] = await stream_reports(redis)
    assert report.id == response.json()["id"]
    assert (report.org_id, report.target_type, report.target_id) == (
        agent.org_id,
        "agent",
        agent.id,
    )
    assert report.source == "agent" and before <= report.ts <= time.time()
    assert report.interval is None and report.host_info is None
    assert report.metrics == {
        m.CPU_PERCENT: 45.2,
        m.CPU_FREQ_MHZ: 3600,
        m.CPU_FREQ_MIN_MHZ: 800,
        m.CPU_FREQ_MAX_MHZ: 4500,
        m.MEMORY_PERCENT: 67.5,
        m.MEMORY_USED_BYTES: 10737418240,
        m.MEMORY_TOTAL_BYTES: 17179869184,
        m.MEMORY_AVAILABLE_BYTES: 5368709120,
        m.DISK_PERCENT: 45.0,
        m.DISK_USED_BYTES: 214748364800,
        m.DISK_TOTAL_BYTES: 500000000000,
        m.DISK_FREE_BYTES: 285251635200,
        m.NET_BYTES_SENT: 1073741824,
        m.NET_BYTES_RECV: 5368709120,
        m.NET_PACKETS_SENT: 1000000,
        m.NET_PACKETS_RECV: 2000000,
    }
    assert report.series == [
        Sample(m.CPU_CORE_PERCENT, v, {"core": str(i)})
        for i, v in enumerate([42.1, 48.3, 44.7, 45.8])
    ]


def rich_payload(ts: float) -> dict[str, object]:
    return {
        "cpu": {"percent": 12.5, "load_avg": [0.5, 0.4, 0.3], "per_core_freq": [2400, 2500]},
        "memory": {"percent": 40},
        "swap": {"percent": 1.5, "used": 1024, "total": 4096},
        "partitions": [
            {"mountpoint": "/", "device": "/dev/sda1", "fstype": "ext4", "percent": 55,
             "used": 100, "total": 200},
            {"mountpoint": "/data", "percent": 10},
        ],
        "disk_io": {"read_bytes_per_s": 1000, "write_bytes_per_s": 2000},
        "network": {
            "sent_bytes_per_s": 10, "recv_bytes_per_s": 20,
            "interfaces": {"eth0": {"bytes_sent": 5, "errin": 1, "recv_bytes_per_s": 7}},
        },
        "temperatures": {"coretemp_package": 48.0},
        "uptime_seconds": 3600,
        "process_count": 212,
        "host_info": {"hostname": "web-1", "os": "Linux", "kernel": "6.1.0", "cpu_cores": 2},
        "timestamp": ts,
        "interval": 5,
        "report_id": "r-0001",
    }  # fmt: skip


async def test_richer_agent_payload_keeps_every_section_with_labels(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    ts = time.time() - 30
    response = await ingest.post("/ingest", headers=agent.headers, json=rich_payload(ts))
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "accepted", "id": "r-0001"}
    [(_, report)] = await stream_reports(redis)
    assert report.ts == ts and report.interval == 5
    assert report.host_info == {
        "hostname": "web-1",
        "os": "Linux",
        "kernel": "6.1.0",
        "cpu_cores": 2,
    }
    assert report.metrics[m.LOAD_15] == 0.3 and report.metrics[m.SWAP_USED_BYTES] == 1024
    assert report.metrics[m.DISK_WRITE_BYTES_PER_S] == 2000
    assert report.metrics[m.UPTIME_SECONDS] == 3600 and report.metrics[m.PROCESS_COUNT] == 212
    assert report.metrics[m.NET_RECV_BYTES_PER_S] == 20
    series = {(s.name, tuple(sorted(s.labels.items()))): s.value for s in report.series}
    root = (("device", "/dev/sda1"), ("fstype", "ext4"), ("mountpoint", "/"))
    assert series[(m.PARTITION_PERCENT, root)] == 55
    assert series[(m.PARTITION_TOTAL_BYTES, root)] == 200
    assert series[(m.PARTITION_PERCENT, (("mountpoint", "/data"),))] == 10
    assert series[(m.CPU_CORE_FREQ_MHZ, (("core", "1"),))] == 2500
    assert series[(m.NET_IF_ERRORS_IN, (("interface", "eth0"),))] == 1
    assert series[(m.NET_IF_RECV_BYTES_PER_S, (("interface", "eth0"),))] == 7
    assert series[(m.TEMPERATURE_CELSIUS, (("sensor", "coretemp_package"),))] == 48.0


async def test_unknown_fields_are_ignored(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    payload = minimal_payload(gpu={"percent": 99}, agent_build="2030.1")
    payload["cpu"]["vendor_extension"] = [1, 2, 3]
    response = await ingest.post("/ingest", headers=agent.headers, json=payload)
    assert response.status_code == 200, response.text
    [(_, report)] = await stream_reports(redis)
    assert report.metrics == {m.CPU_PERCENT: 10.0, m.MEMORY_PERCENT: 20.0}


async def test_gzip_body_and_bearer_token_are_accepted(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    response = await ingest.post(
        "/ingest",
        headers={"Authorization": f"Bearer {agent.token}", "Content-Encoding": "gzip"},
        content=gzip.compress(orjson.dumps(statusmonitor_v1_payload())),
    )
    assert response.status_code == 200, response.text
    [(_, report)] = await stream_reports(redis)
    assert report.metrics[m.CPU_PERCENT] == 45.2


async def test_batch_is_appended_in_order(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    start = time.time() - 600
    reports = [
        minimal_payload(timestamp=start + i * 5, report_id=f"b-{i}", interval=5) for i in range(50)
    ]
    response = await ingest.post("/ingest/batch", headers=agent.headers, json={"reports": reports})
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "accepted", "count": 50}
    stored = [report for _, report in await stream_reports(redis)]
    assert [r.id for r in stored] == [f"b-{i}" for i in range(50)]
    assert [r.ts for r in stored] == [start + i * 5 for i in range(50)]


async def test_one_bad_report_refuses_the_whole_batch_naming_it(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    reports = [minimal_payload() for _ in range(5)]
    reports[3]["cpu"]["percent"] = 180
    response = await ingest.post("/ingest/batch", headers=agent.headers, json={"reports": reports})
    assert response.status_code == 422
    assert "$.reports[3].cpu.percent" in response.json()["detail"]
    reports[3] = minimal_payload(timestamp=time.time() + 3600)
    response = await ingest.post("/ingest/batch", headers=agent.headers, json={"reports": reports})
    assert response.status_code == 422
    assert "$.reports[3].timestamp" in response.json()["detail"]
    assert await redis.xlen("reports") == 0


async def test_iso_8601_timestamps_are_understood(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    payload = minimal_payload(timestamp="2030-01-01T00:00:00Z")
    refused = await ingest.post("/ingest", headers=agent.headers, json=payload)
    assert refused.status_code == 422 and "in the future" in refused.json()["detail"]
    ts = time.time() - 60
    iso = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts))
    response = await ingest.post(
        "/ingest", headers=agent.headers, json=minimal_payload(timestamp=iso)
    )
    assert response.status_code == 200, response.text
    [(_, report)] = await stream_reports(redis)
    assert report.ts == int(ts)
