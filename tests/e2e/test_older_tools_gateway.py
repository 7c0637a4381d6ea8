"""Every compatible door through the real gateway of `make run`, started once for the module:
the older tools' payloads (tests/fixtures/older_tools.py) sent where their clients send them,
answered as those clients expect, and found in history afterwards."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from harness.make_run import ADMIN_EMAIL, MakeRun
from harness.polling import eventually_sync
from tests.fixtures.older_tools import (
    Payload,
    data_monitoring_tool_agent,
    data_monitoring_tool_first_agent,
    device_monitoring_login,
    local_wall_clock,
    statusmonitor_v1_documented,
    statusmonitor_v1_gui,
    statusmonitor_v1_headless,
)

pytestmark = pytest.mark.e2e

HISTORY_TIMEOUT = 60.0  # history worker → VictoriaMetrics on a loaded 2-core machine


@pytest.fixture(scope="module")
def admin(platform: MakeRun, gateway: httpx.Client) -> dict[str, str]:
    """Logged in through the Device Monitoring Backend's door, as its clients do."""
    body = device_monitoring_login(ADMIN_EMAIL, platform.admin_password())
    response = gateway.post("/api/auth/login", json=body)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _new_agent(gateway: httpx.Client, admin: dict[str, str], name: str) -> tuple[int, str]:
    created = gateway.post("/api/auth/agents", headers=admin, json={"name": name})
    assert created.status_code == 201, created.text
    return created.json()["id"], created.json()["token"]


def _stored_metrics(gateway: httpx.Client, admin: dict[str, str], agent_id: int) -> set[str]:
    response = gateway.get(f"/api/history/{agent_id}/metrics?start=-1h", headers=admin)
    assert response.status_code == 200, response.text
    return set(response.json()["metrics"])


def _wait_for_metrics(
    gateway: httpx.Client, admin: dict[str, str], agent_id: int, expected: set[str]
) -> set[str]:
    def stored() -> bool:
        return expected <= _stored_metrics(gateway, admin, agent_id)

    eventually_sync(stored, within=HISTORY_TIMEOUT, interval=0.5, what=f"{expected} in history")
    return _stored_metrics(gateway, admin, agent_id)


def _host_info(
    gateway: httpx.Client, admin: dict[str, str], agent_id: int, key: str
) -> dict[str, Any]:
    """The agent's host info once it has `key` (ingestion writes it every few seconds)."""

    def info() -> dict[str, Any]:
        response = gateway.get(f"/api/auth/agents/{agent_id}", headers=admin)
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()["host_info"]
        return found

    eventually_sync(lambda: key in info(), within=HISTORY_TIMEOUT, interval=0.5, what=key)
    return info()


def _points(
    gateway: httpx.Client, admin: dict[str, str], agent_id: int, metric: str, around: float
) -> list[tuple[int, Any]]:
    """(timestamp, value) of `metric` within an hour of `around`, oldest first."""
    span = {"start": int(around - 3600), "stop": int(around + 3600)}
    response = gateway.get(f"/api/history/{agent_id}/metrics/{metric}", headers=admin, params=span)
    assert response.status_code == 200, response.text
    return [
        (ts, value)
        for series in response.json()["series"]
        for ts, value in zip(series["timestamps"], series["values"], strict=True)
        if value is not None
    ]


def test_device_monitoring_backend_profile_through_the_gateway(
    gateway: httpx.Client, admin: dict[str, str]
) -> None:
    profile = gateway.get("/api/auth/profile", headers=admin)
    assert profile.status_code == 200, profile.text
    assert profile.json()["username"] == ADMIN_EMAIL and profile.json()["role"] == "admin"
    wrong = gateway.post("/api/auth/login", json=device_monitoring_login(ADMIN_EMAIL, "nope"))
    assert wrong.status_code == 401


def test_device_monitoring_backend_alert_list_through_the_gateway(
    gateway: httpx.Client, admin: dict[str, str]
) -> None:
    listed = gateway.get("/api/alerts/?page=1&per_page=20&severity=high", headers=admin)
    assert listed.status_code == 200, listed.text
    # The platform is shared with the monitors' tests, whose "monitor down" alerts are critical.
    assert listed.json()["page"] == 1 and listed.json()["per_page"] == 20
    assert all(alert["severity"] == "critical" for alert in listed.json()["data"])
    missing = gateway.post("/api/alerts/2147483647/acknowledge", headers=admin)
    assert missing.status_code == 404 and "alert" in missing.text.lower(), missing.text


def test_statusmonitor_v1_agents_get_200_and_every_value_reaches_history(
    gateway: httpx.Client, admin: dict[str, str]
) -> None:
    """The headless agent posts to INGESTION_URL + "/ingest", the GUI agent to server_url +
    "/ingest": with the gateway's /api as that URL, both land on /api/ingest."""
    expected = {
        "headless": {"disk_read_count", "disk_busy_time_ms", "net_errors_in", "net_drops_in",
                     "partition_free_bytes", "memory_available_bytes", "load_1", "disk_percent"},
        "gui": {"cpu_percent", "cpu_freq_mhz", "memory_used_bytes", "partition_percent",
                "disk_percent", "net_bytes_sent"},
        "documented": {"cpu_percent", "cpu_core_percent", "disk_free_bytes", "net_packets_recv"},
    }  # fmt: skip
    builders: dict[str, Callable[[float], Payload]] = {
        "headless": statusmonitor_v1_headless,
        "gui": statusmonitor_v1_gui,
        "documented": lambda ts: {**statusmonitor_v1_documented(), "timestamp": ts},
    }
    agents = {}
    for kind, build in builders.items():
        agent_id, token = agents[kind] = _new_agent(gateway, admin, f"v1-{kind}")
        response = gateway.post(
            "/api/ingest", headers={"X-Agent-Token": token}, json=build(time.time())
        )
        assert response.status_code == 200, response.text
    for kind, (agent_id, _) in agents.items():
        stored = _wait_for_metrics(gateway, admin, agent_id, expected[kind])
        assert expected[kind] <= stored, kind
    assert _host_info(gateway, admin, agents["gui"][0], "cpu_threads") == {
        "cpu_cores": 4,
        "cpu_threads": 8,
    }


@pytest.mark.parametrize(
    "offset", [timedelta(hours=5, minutes=30), timedelta(hours=-8), timedelta(hours=5, minutes=45)]
)
def test_data_monitoring_tool_reports_from_any_zone_are_stored_at_their_instant(
    gateway: httpx.Client, admin: dict[str, str], offset: timedelta
) -> None:
    agent_id, token = _new_agent(gateway, admin, f"dmt-{offset.total_seconds():g}")
    collected = time.time()
    payload = data_monitoring_tool_agent(token, local_wall_clock(collected, offset))
    response = gateway.post("/report", headers={"Authorization": f"Bearer {token}"}, json=payload)
    assert response.status_code == 200, response.text
    assert response.json()["ok"] is True and response.json()["data_id"]
    _wait_for_metrics(gateway, admin, agent_id, {"cpu_percent", "disk_total_bytes"})
    # VictoriaMetrics lists a new series' name a moment before its samples can be queried.
    points = eventually_sync(
        lambda: _points(gateway, admin, agent_id, "cpu_percent", collected),
        within=HISTORY_TIMEOUT,
        interval=0.5,
        what="cpu_percent within an hour of its collection",
    )
    # The chart repeats a sample on the steps after it; the first is where it was stored.
    assert {value for _, value in points} == {payload["cpu_pct"]}
    assert abs(points[0][0] - collected) <= 60, (points, collected)


def test_data_monitoring_tool_first_agent_with_utc_and_extra_through_the_gateway(
    gateway: httpx.Client, admin: dict[str, str]
) -> None:
    agent_id, token = _new_agent(gateway, admin, "dmt-first")
    collected = datetime.now(UTC)
    payload = data_monitoring_tool_first_agent(collected.isoformat(timespec="seconds"))
    response = gateway.post("/report", headers={"Authorization": f"Bearer {token}"}, json=payload)
    assert response.status_code == 200, response.text
    _wait_for_metrics(gateway, admin, agent_id, {"memory_used_bytes"})
    info = _host_info(gateway, admin, agent_id, "hostname")
    assert info["hostname"] == "web-01" and info["agent_version"] == "0.1.0"


def test_metrics_collection_api_through_the_gateway(
    gateway: httpx.Client, admin: dict[str, str]
) -> None:
    agent_id, token = _new_agent(gateway, admin, "collector")
    message = {
        "message_id": "gw-1",
        "timestamp": time.time(),
        "device_id": "local-system-001",
        "source": "local",
        "metrics": [{"metric_name": "cpu_usage", "metric_value": 45.2}],
    }
    sent = gateway.post("/api/metrics", headers={"X-API-Key": token}, json=message)
    assert sent.status_code == 200 and sent.json()["status"] == "success", sent.text
    recent = gateway.get("/api/recent", headers={"X-API-Key": token})
    assert recent.status_code == 200 and recent.json()["messages"][0]["message_id"] == "gw-1"
    assert gateway.get("/api/health").json() == {"status": "healthy", "database": "connected"}
    _wait_for_metrics(gateway, admin, agent_id, {"cpu_usage"})
