"""The Data Monitoring Tool's POST /report and the Metrics Collection API's /api/metrics,
/api/recent and /api/health."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx
from redis.asyncio import Redis

from core import reports as m
from core.reports import Sample
from harness.factories import Agent, new_agent
from tests.fixtures.older_tools import data_monitoring_tool_documented
from tests.ingestion.helpers import stream_reports


def metrics_collection_api_message(message_id: str, ts: float) -> dict[str, object]:
    """The Metrics Collection API's README example, with a current timestamp."""
    return {
        "message_id": message_id,
        "timestamp": ts,
        "device_id": "local-system-001",
        "source": "local",
        "metrics": [
            {"metric_name": "cpu_usage", "metric_value": 45.2},
            {"metric_name": "ram_usage", "metric_value": 7234.5},
        ],
    }


async def test_data_monitoring_tool_report_is_accepted_as_documented(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    # The Data Monitoring Tool sends its local time without a zone: here a host on UTC.
    collected = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    response = await ingest.post(
        "/report",
        headers={"Authorization": f"Bearer {agent.token}"},
        json=data_monitoring_tool_documented(agent.token, collected.isoformat()),
    )
    assert response.status_code == 200, response.text
    [(entry_id, report)] = await stream_reports(redis)
    assert response.json() == {"ok": True, "data_id": entry_id}
    assert report.source == "report" and report.target_id == agent.id
    assert report.ts == collected.replace(tzinfo=UTC).timestamp()
    assert report.metrics == {
        m.CPU_PERCENT: 15.5,
        m.MEMORY_USED_BYTES: 4096 * 1024**2,
        m.MEMORY_TOTAL_BYTES: 16384 * 1024**2,
        m.MEMORY_PERCENT: 25.0,
        m.DISK_USED_BYTES: 125.5 * 1024**3,
        m.DISK_TOTAL_BYTES: 500.0 * 1024**3,
        m.DISK_PERCENT: 25.1,
    }
    assert report.host_info == {"ip": "192.168.1.100", "os": "Linux", "kernel": "5.15.0"}


async def test_data_monitoring_tool_report_needs_the_host_key_header_and_a_metric(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    missing = await ingest.post("/report", json={"cpu_pct": 1})
    assert missing.status_code == 401 and "Authorization: Bearer" in missing.json()["detail"]
    empty = await ingest.post(
        "/report", headers={"Authorization": f"Bearer {agent.token}"}, json={"int_ip": "10.0.0.1"}
    )
    assert empty.status_code == 422 and "cpu_pct" in empty.json()["detail"]
    over = await ingest.post(
        "/report", headers={"Authorization": f"Bearer {agent.token}"}, json={"mem_pct": 250}
    )
    assert over.status_code == 422 and "$.mem_pct" in over.json()["detail"]
    assert await redis.xlen("reports") == 0


async def test_metrics_collection_api_metrics_are_accepted_and_a_repeated_message_is_stored_once(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    ts = time.time() - 5
    headers = {"X-API-Key": agent.token}
    answers = [
        await ingest.post(
            "/api/metrics", headers=headers, json=metrics_collection_api_message("test-001", ts)
        )
        for _ in range(3)
    ]
    expected = {"status": "success", "message_id": "test-001", "metrics_count": 2}
    assert [(a.status_code, a.json()) for a in answers] == [(200, expected)] * 3
    [(_, report)] = await stream_reports(redis)
    assert (report.id, report.source, report.ts) == ("test-001", "api_metrics", ts)
    labels = {"device": "local-system-001", "origin": "local"}
    assert report.series == [Sample("cpu_usage", 45.2, labels), Sample("ram_usage", 7234.5, labels)]
    assert report.metrics == {}


async def test_metrics_collection_api_message_ids_are_per_agent(
    ingest: httpx.AsyncClient, agent: Agent, auth_client: httpx.AsyncClient, redis: Redis
) -> None:
    other = await new_agent(auth_client, agent.owner, "web-2")
    for sender in (agent, other):
        response = await ingest.post(
            "/api/metrics",
            headers={"X-API-Key": sender.token},
            json=metrics_collection_api_message("same-id", time.time()),
        )
        assert response.status_code == 200
    assert await redis.xlen("reports") == 2


async def test_metrics_collection_api_recent_lists_newest_first_for_that_agent(
    ingest: httpx.AsyncClient, agent: Agent
) -> None:
    headers = {"X-API-Key": agent.token}
    for i in range(12):
        message = metrics_collection_api_message(f"m-{i}", time.time())
        assert (await ingest.post("/api/metrics", headers=headers, json=message)).status_code == 200
    await ingest.post(
        "/api/metrics", headers=headers, json=metrics_collection_api_message("m-11", time.time())
    )
    default = (await ingest.get("/api/recent", headers=headers)).json()
    assert default["count"] == 10
    assert [msg["message_id"] for msg in default["messages"]] == [
        f"m-{i}" for i in range(11, 1, -1)
    ]
    first = default["messages"][0]
    assert first["device_id"] == "local-system-001" and first["source"] == "local"
    assert first["metrics"][0] == {"metric_name": "cpu_usage", "metric_value": 45.2}
    three = (await ingest.get("/api/recent", params={"limit": 3}, headers=headers)).json()
    assert three["count"] == 3
    assert (
        await ingest.get("/api/recent", params={"limit": 101}, headers=headers)
    ).status_code == 422
    assert (await ingest.get("/api/recent")).status_code == 401


async def test_metrics_collection_api_bad_metric_names_are_refused(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    message = metrics_collection_api_message("bad", time.time())
    message["metrics"] = [
        {"metric_name": "ok", "metric_value": 1},
        {"metric_name": 'x"} or org_id!="1', "metric_value": 2},
    ]
    response = await ingest.post("/api/metrics", headers={"X-API-Key": agent.token}, json=message)
    assert response.status_code == 422 and "$.metrics[1].metric_name" in response.json()["detail"]
    assert await redis.xlen("reports") == 0


async def test_metrics_collection_api_health_answers_as_documented(
    ingest: httpx.AsyncClient,
) -> None:
    response = await ingest.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "healthy"
