"""The crash drill of issue 9: under `make run`, a real agent reports every second while each
supervised process in turn is killed with SIGKILL. Used by tests/test_make_run_crashes.py
(which asserts) and bench/crash_recovery.py (which prints the figures).

A process is back when supervisord runs a new pid for it and it answers as its clients use
it: a service's /health, the gateway's page, a PostgreSQL login and a Redis PING with make
run's passwords, VictoriaMetrics' /health; a worker once supervisord counts it as started.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import redis

from deploy.services import SERVICES
from deploy.supervisor import DATASTORES_GROUP, LOGS_GROUP
from harness.agent import AgentProcess, agent_env, queued_count
from harness.make_run import ADMIN_EMAIL, MakeRun, healthy
from harness.polling import eventually_sync

INTERVAL_S = 1.0
BACK_WITHIN_S = 10.0
RECOVER_WITHIN_S = 120.0  # backlog delivered after a fault (agent backoff included)
STORED_WITHIN_S = 240.0  # the last reports settled in history (worker claims included)
COLLECTED_LINE = re.compile(r"collected (\d+) reports since start; (\d+) queued")
# Lower than the 60 s default so entries a killed history worker held are taken over sooner.
DRILL_ENV = {"HISTORY_CLAIM_IDLE_MS": "20000", "ALERT_CLAIM_IDLE_MS": "20000"}


@dataclass
class DrillResult:
    restart_seconds: dict[str, float | None] = field(default_factory=dict)
    collected: int = 0
    queued_at_stop: int = 0
    stored: int = 0
    distinct_timestamps: int = 0


def _checks(run: MakeRun, client: httpx.Client) -> dict[str, Callable[[], bool]]:
    """How each program is seen to serve again (workers: absent, supervisord's word)."""

    def answers(url: str) -> Callable[[], bool]:
        return lambda: healthy(client, url)

    checks = {
        s.name: answers(f"http://127.0.0.1:{run.port(f'RUN_{s.env_key}_PORT')}/health")
        for s in SERVICES
    }
    pg_dsn = (
        f"postgresql://statusmonitor:{run.secret('postgres_password')}"
        f"@127.0.0.1:{run.port('RUN_PG_PORT')}/statusmonitor"
    )
    nginx_pid = run.data_dir / "nginx" / "nginx.pid"

    def gateway() -> bool:
        # The killed master's workers answer until they are cleared: wait for the new master.
        try:
            master = int(nginx_pid.read_text())
        except (OSError, ValueError):
            return False
        return master == run.processes()["gateway"]["pid"] and healthy(client, run.gateway + "/")

    checks["gateway"] = gateway
    checks["postgres"] = lambda: _pg_login(pg_dsn)
    checks["redis"] = lambda: _redis_ping(run.port("RUN_REDIS_PORT"), run.secret("redis_password"))
    tsdb = f"http://127.0.0.1:{run.port('RUN_TSDB_PORT')}"
    checks["victoria-metrics"] = answers(tsdb + "/health")
    return checks


def _pg_login(dsn: str) -> bool:
    try:
        psycopg.connect(dsn, connect_timeout=2).close()
    except psycopg.OperationalError:
        return False
    return True


def _redis_ping(port: int, password: str) -> bool:
    client = redis.Redis(port=port, password=password, socket_timeout=2)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def kill_order(run: MakeRun) -> list[str]:
    """Services, workers and the gateway first, then PostgreSQL, Redis, VictoriaMetrics."""
    programs = [info for info in run.processes().values() if info["group"] != LOGS_GROUP]
    programs.sort(key=lambda info: info["group"] == DATASTORES_GROUP)  # stable otherwise
    return [info["name"] for info in programs]


def kill_and_time(run: MakeRun, name: str, check: Callable[[], bool] | None) -> float | None:
    """SIGKILL the program; seconds until a new pid of it serves again (None: not in time)."""
    old_pid = run.processes()[name]["pid"]
    os.kill(old_pid, signal.SIGKILL)

    def back() -> bool:
        info = run.processes()[name]
        if info["pid"] in (0, old_pid):
            return False
        if check is None:
            return bool(info["statename"] == "RUNNING")
        return check()

    return seconds_until(back, BACK_WITHIN_S * 3, interval=0.05)


def seconds_until(check: Callable[[], bool], within: float, interval: float = 0.1) -> float | None:
    """Seconds until `check()` held; None if it did not within `within` s (the drill goes on,
    and its figures show what was late)."""
    start = time.monotonic()
    try:
        eventually_sync(check, within=within, interval=interval)
    except AssertionError:
        return None
    return time.monotonic() - start


def create_agent(run: MakeRun, name: str) -> tuple[int, str]:
    """A new agent of the first admin's organization: (id, token)."""
    with httpx.Client(base_url=run.gateway, trust_env=False, timeout=30) as client:
        login = client.post(
            "/api/auth/token", data={"username": ADMIN_EMAIL, "password": run.admin_password()}
        )
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        created = client.post("/api/auth/agents", headers=headers, json={"name": name})
        created.raise_for_status()
    return int(created.json()["id"]), str(created.json()["token"])


def start_agent(run: MakeRun, work: Path) -> tuple[AgentProcess, Path, int]:
    agent_id, token = create_agent(run, "drill")
    queue = work / "agent-queue.sqlite3"
    env = agent_env(
        work,
        INGESTION_URL=f"{run.gateway}/api",
        AGENT_TOKEN=token,
        COLLECTION_INTERVAL=str(INTERVAL_S),
        AGENT_QUEUE_PATH=str(queue),
    )
    return AgentProcess(env, work / "agent.log"), queue, agent_id


def stored_timestamps(run: MakeRun, agent_id: int) -> list[int]:
    """Timestamps of the agent's CPU samples in VictoriaMetrics (one per report)."""
    tsdb = f"http://127.0.0.1:{run.port('RUN_TSDB_PORT')}"
    match = f'sm_cpu_percent{{agent_id="{agent_id}"}}'
    with httpx.Client(trust_env=False, timeout=30) as client:
        try:
            client.get(f"{tsdb}/internal/force_flush")
            exported = client.post(f"{tsdb}/api/v1/export", data={"match[]": match})
        except httpx.HTTPError:
            return []
    if exported.status_code != 200:
        return []
    return [
        ts for line in exported.text.splitlines() if line for ts in json.loads(line)["timestamps"]
    ]


def run_drill(run: MakeRun, work: Path, log: Callable[[str], None] = lambda _: None) -> DrillResult:
    result = DrillResult()
    agent, queue, agent_id = start_agent(run, work)
    try:
        if seconds_until(lambda: bool(stored_timestamps(run, agent_id)), RECOVER_WITHIN_S) is None:
            raise AssertionError(f"the agent's first report never reached history:\n{agent.logs()}")
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            checks = _checks(run, client)
            for name in kill_order(run):
                seconds = kill_and_time(run, name, checks.get(name))
                result.restart_seconds[name] = None if seconds is None else round(seconds, 2)
                log(f"{name}: back after {seconds}")
                # Reports flow through it again before the next fault.
                time.sleep(2 * INTERVAL_S)
                seconds_until(lambda: queued_count(queue) == 0, RECOVER_WITHIN_S, interval=0.2)
        time.sleep(2 * INTERVAL_S)
        seconds_until(lambda: queued_count(queue) == 0, RECOVER_WITHIN_S, interval=0.2)
    finally:
        code = agent.terminate(timeout=15)
    counts = COLLECTED_LINE.search(agent.logs())
    if code != 0 or counts is None:
        raise AssertionError(f"agent exit {code}:\n{agent.logs()}")
    result.collected, result.queued_at_stop = int(counts.group(1)), int(counts.group(2))
    expected = result.collected - result.queued_at_stop
    seconds_until(
        lambda: len(stored_timestamps(run, agent_id)) >= expected, STORED_WITHIN_S, interval=1
    )
    time.sleep(2)  # a duplicate written late would show now
    stamps = stored_timestamps(run, agent_id)
    result.stored, result.distinct_timestamps = len(stamps), len(set(stamps))
    return result
