"""The whole pipeline with real processes: agent → ingestion → stream → history, live view.

These are the journeys a user makes in the README's quick start, and the outage a user
fears most (Redis down): every report the agent made must end up stored, exactly once.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import websockets

from core.dev.datastores import RedisServer, free_port
from core.settings import Settings
from harness.factories import TestUser, user_with_agent
from harness.live import LiveService, live_service, module_process
from harness.polling import eventually_sync

pytestmark = pytest.mark.e2e


@dataclass
class Platform:
    settings: Settings
    ingestion: LiveService
    history: LiveService
    distribution: LiveService
    worker: subprocess.Popen[bytes]


@contextmanager
def platform(settings: Settings, log_dir: Path) -> Iterator[Platform]:
    with ExitStack() as stack:
        yield Platform(
            settings,
            stack.enter_context(live_service("ingestion_service", settings, log_dir)),
            stack.enter_context(live_service("history_service", settings, log_dir)),
            stack.enter_context(live_service("distribution_service", settings, log_dir)),
            stack.enter_context(module_process("history_service.worker", settings, log_dir)),
        )


@contextmanager
def agent_process(
    ingestion_url: str, token: str, home: Path, log_dir: Path
) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "HOME": str(home),
        "INGESTION_URL": ingestion_url,
        "AGENT_TOKEN": token,
        "INTERVAL": "1",
    }
    log = (log_dir / "agent.log").open("ab")
    command = [sys.executable, "-m", "agent_service"]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def _cpu_points(history: LiveService, user: TestUser, agent_id: int) -> list[float]:
    url = f"{history.url}/history/{agent_id}/cpu"
    response = httpx.get(url, params={"start": "-10m"}, headers=user.headers, timeout=10)
    assert response.status_code == 200, response.text
    series = {s["name"]: s for s in response.json()["series"]}
    return [v for v in series.get("cpu_percent", {"values": []})["values"] if v is not None]


async def test_agent_data_reaches_history_and_websocket_within_seconds(
    auth_client: httpx.AsyncClient, settings: Settings, log_dir: Path, tmp_path: Path
) -> None:
    agent = await user_with_agent(auth_client, "ops@example.com", "e2e-host")
    with platform(settings, log_dir) as p:
        ws_base = p.distribution.url.replace("http", "ws")
        ws_url = f"{ws_base}/ws/{agent.id}?token={agent.owner.access_token}"
        async with websockets.connect(ws_url) as ws:
            with agent_process(p.ingestion.url, agent.token, tmp_path, log_dir):
                frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=20))
                assert frame["target_id"] == agent.id
                assert 0 <= frame["metrics"]["cpu_percent"] <= 100
                points = await asyncio.to_thread(
                    eventually_sync,
                    lambda: _cpu_points(p.history, agent.owner, agent.id),
                    within=20,
                    interval=0.25,
                    what="CPU history",
                )
                assert all(0 <= value <= 100 for value in points)
        overview = (await auth_client.get("/agents/overview", headers=agent.owner.headers)).json()
        assert overview["data"][0]["status"] == "online"
        assert overview["data"][0]["host_info"]["hostname"]


def _stored_report_count(settings: Settings, agent_id: int, since: float) -> int:
    """CPU samples VictoriaMetrics holds for the agent since `since`: one per stored report.

    Ids restart with every test (tables are truncated) while VictoriaMetrics is shared by
    the session, hence the time window.
    """
    httpx.get(f"{settings.tsdb_url}/internal/force_flush", timeout=10)
    response = httpx.get(
        f"{settings.tsdb_url}/api/v1/export",
        params={"match[]": f'sm_cpu_percent{{agent_id="{agent_id}"}}', "start": str(since)},
        timeout=10,
    )
    return sum(len(json.loads(line)["timestamps"]) for line in response.text.splitlines() if line)


def _queued(home: Path) -> int:
    path = home / ".statusmonitor" / "queue.sqlite3"
    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        count: int = db.execute("SELECT count(*) FROM reports").fetchone()[0]
    return count


def _agent_reports_made(log_dir: Path) -> int:
    """The agent logs how many reports it collected when it stops."""
    text = (log_dir / "agent.log").read_text()
    for line in reversed(text.splitlines()):
        if "collected" in line and "reports since start" in line:
            return int(line.split("collected", 1)[1].split()[0])
    raise AssertionError(f"agent did not log its report count:\n{text[-2000:]}")


def _redis_outage(
    settings: Settings,
    redis_server: RedisServer,
    agent_id: int,
    token: str,
    log_dir: Path,
    home: Path,
) -> None:
    since = time.time() - 1
    with (
        platform(settings, log_dir) as p,
        agent_process(p.ingestion.url, token, home, log_dir) as agent,
    ):

        def stored() -> int:
            return _stored_report_count(settings, agent_id, since)

        eventually_sync(
            lambda: stored() >= 2, within=30, interval=0.25, what="first reports stored"
        )
        redis_server.stop()
        refused = httpx.post(
            f"{p.ingestion.url}/ingest",
            headers={"X-Agent-Token": token},
            json={"cpu": {"percent": 1}, "memory": {"percent": 1}},
        )
        assert refused.status_code == 503 and "retry-after" in refused.headers
        eventually_sync(
            lambda: _queued(home) >= 3, within=30, interval=0.25, what="the agent queueing reports"
        )
        redis_server.start()
        eventually_sync(
            lambda: _queued(home) == 0,
            within=60,
            interval=0.25,
            what="the agent replaying its queue",
        )
        agent.send_signal(signal.SIGTERM)
        assert agent.wait(timeout=15) == 0
        made = _agent_reports_made(log_dir)
        eventually_sync(
            lambda: stored() >= made, within=60, interval=0.25, what="every report stored"
        )
        assert stored() == made


async def test_redis_outage_agent_buffers_and_replays_nothing_lost(
    auth_client: httpx.AsyncClient, settings: Settings, log_dir: Path, tmp_path: Path
) -> None:
    # A Redis that persists like production's, so stopping it is an outage, not a wipe.
    with RedisServer(tmp_path / "redis", free_port(), persist=True) as redis_server:
        own = settings.model_copy(update={"redis_url": redis_server.url})
        agent = await user_with_agent(auth_client, "ops@example.com", "e2e-host")
        await asyncio.to_thread(
            _redis_outage, own, redis_server, agent.id, agent.token, log_dir, tmp_path
        )
