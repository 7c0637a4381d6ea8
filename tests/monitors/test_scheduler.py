"""The probe worker against a real HTTP server: on schedule, exactly once across replicas,
taking over a killed replica's monitors, and dependants unreachable while their parent is down.

Monitors are inserted with 2-second intervals (the API's minimum is 20 s) so a few seconds
show several rounds.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Monitor, MonitorCheck, MonitorIncident
from core.settings import Settings
from core.worker_factory import serve
from harness.factories import insert_org
from harness.http_recorder import Recorder, http_recorder
from harness.polling import eventually
from probe_service.config import ProbeSettings
from probe_service.domain.replicas import REPLICAS_KEY
from probe_service.domain.schedule import phase
from probe_service.worker import probe

ROOT = Path(__file__).resolve().parents[2]
INTERVAL = 2
FAST: dict[str, Any] = {
    "heartbeat_seconds": 0.3,
    "replica_ttl_seconds": 1.5,
    "reload_seconds": 1,
    "flush_seconds": 0.3,
    "push_scan_seconds": 0.5,
}


@pytest.fixture
def server() -> Iterator[Recorder]:
    with http_recorder() as recorder:
        yield recorder


async def insert_monitors(
    sessionmaker: async_sessionmaker[AsyncSession], org_id: int, urls: list[str], **extra: object
) -> list[int]:
    rows = [
        {
            "org_id": org_id,
            "name": f"m{i}",
            "type": "http",
            "target": url,
            "config": {},
            "interval_seconds": INTERVAL,
            "retry_interval_seconds": INTERVAL,
            "timeout_seconds": 2,
            "labels": {},
            **extra,
        }
        for i, url in enumerate(urls)
    ]
    async with sessionmaker() as session, session.begin():
        ids = await session.scalars(insert(Monitor).returning(Monitor.id), rows)
        return list(ids)


def gaps(times: list[float]) -> list[float]:
    times = sorted(times)
    return [b - a for a, b in itertools.pairwise(times)]


async def run_replicas(settings: Settings, count: int, seconds: float) -> None:
    stop = asyncio.Event()
    config = ProbeSettings(**FAST)
    workers = [asyncio.create_task(serve(probe, settings, config, stop=stop)) for _ in range(count)]
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*workers)


async def test_two_replicas_check_every_monitor_exactly_once_per_interval(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    server: Recorder,
) -> None:
    org_id = await insert_org(settings)
    paths = [f"/m{i}" for i in range(40)]
    ids = await insert_monitors(sessionmaker, org_id, [server.url(p) for p in paths])
    await run_replicas(settings, 2, seconds=3 * INTERVAL + 1)
    for monitor_id, path in zip(ids, paths, strict=True):
        hits = [r.at for r in server.to(path)]
        assert len(hits) >= 3, (path, hits)
        # Each check starts at or (under load) a little after its grid point: the grid slot
        # it belongs to is the one it started in. Never two checks in one slot.
        offset = phase(monitor_id, INTERVAL)
        slots = [math.floor((at - offset) / INTERVAL) for at in hits]
        assert len(set(slots)) == len(slots), (path, gaps(hits))
    claims = [key async for key in redis.scan_iter("probe:claim:*")]
    owners = {await redis.get(key) for key in claims}
    assert len(owners) == 2  # both replicas did a share of the work
    async with sessionmaker() as session:
        stored = await session.scalar(select(MonitorCheck.id).limit(1))
    assert stored is not None


@pytest.fixture
def worker_processes(settings: Settings, tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "SECRET_KEY": settings.secret_key,
        "PROBE_HEARTBEAT_SECONDS": "0.3",
        "PROBE_REPLICA_TTL_SECONDS": "1.5",
        "PROBE_RELOAD_SECONDS": "1",
        "PROBE_FLUSH_SECONDS": "0.3",
    }
    env.pop("PROBE_METRICS_PORT", None)
    processes: list[subprocess.Popen[bytes]] = []
    for i in range(2):
        log = (tmp_path / f"worker{i}.log").open("wb")
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "probe_service.worker"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    yield processes
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)


async def test_a_killed_replicas_monitors_are_taken_over_within_an_interval(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    server: Recorder,
    worker_processes: list[subprocess.Popen[bytes]],
) -> None:
    org_id = await insert_org(settings)
    paths = [f"/k{i}" for i in range(30)]
    await insert_monitors(sessionmaker, org_id, [server.url(p) for p in paths])
    await eventually(lambda: _zcard(redis, 2), within=30, what="both replicas registered")
    await eventually(lambda: _all_hit(server, paths, 0.0), within=20, what="first checks")

    worker_processes[0].send_signal(signal.SIGKILL)
    killed_at = time.time()
    # The survivor sees the dead one gone after the TTL, then checks its share on the grid.
    await eventually(
        lambda: _all_hit(server, paths, killed_at + 1.5 + INTERVAL),
        within=20,
        what="every monitor checked again after the kill",
    )
    took = max(min(r.at for r in server.to(p) if r.at > killed_at) for p in paths) - killed_at
    assert took < 1.5 + 2 * INTERVAL + 1, took  # TTL + at most one interval (+ slack)
    async with sessionmaker() as session:
        incidents = await session.scalar(select(MonitorIncident.id).limit(1))
    assert incidents is None  # nothing went down while replicas changed


async def _zcard(redis: Redis, count: int) -> bool:
    return await redis.zcard(REPLICAS_KEY) == count


def _all_hit(server: Recorder, paths: list[str], after: float) -> bool:
    return all(any(r.at > after for r in server.to(p)) for p in paths)


async def test_dependants_are_unreachable_while_their_parent_is_down_with_one_incident(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    server: Recorder,
) -> None:
    org_id = await insert_org(settings)
    [router] = await insert_monitors(sessionmaker, org_id, [server.url("/router")])
    servers = await insert_monitors(
        sessionmaker, org_id, [server.url("/a"), server.url("/b")], parent_id=router
    )
    server.status["*"] = 503  # the router is down: so is everything behind it
    await run_replicas(settings, 1, seconds=2 * INTERVAL + 1)
    async with sessionmaker() as session:
        statuses = dict((await session.execute(select(Monitor.id, Monitor.status))).all())
        incidents = list(await session.scalars(select(MonitorIncident)))
    assert statuses[router] == "down"
    assert [statuses[s] for s in servers] == ["unreachable", "unreachable"]
    assert [i.monitor_id for i in incidents] == [router]
    assert "503" in (incidents[0].error or "")

    server.status["*"] = 200
    await run_replicas(settings, 1, seconds=INTERVAL + 1)
    async with sessionmaker() as session:
        statuses = dict((await session.execute(select(Monitor.id, Monitor.status))).all())
        incident = await session.scalar(select(MonitorIncident))
    assert set(statuses.values()) == {"up"}
    assert incident is not None and incident.resolved_at is not None
    assert incident.resolved_at > incident.started_at
