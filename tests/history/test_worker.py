"""The history worker as a real process: crashes and store outages lose nothing, and store
nothing twice; a broken entry is parked instead of blocking the stream."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from redis.asyncio import Redis

from core import reports as m
from core.reports import Sample
from core.settings import Settings
from core.streams import REPORTS_STREAM, dead_letter_stream
from harness.datastores import Datastores
from harness.polling import eventually
from tests.history.conftest import Tenant
from tests.history.helpers import (
    append,
    drained,
    group_state,
    report,
    running_worker,
    stored_samples,
    worker_process,
)


def _agent() -> tuple[int, int]:
    """Ids no other test uses: VictoriaMetrics keeps every test's data for the session."""
    return random.randrange(10**9, 2 * 10**9), random.randrange(10**9, 2 * 10**9)


async def _produce(redis: Redis, org_id: int, agent_id: int, total: int, per_second: int) -> None:
    """Reports at a steady rate, each 10 ms apart in report time, like many busy agents."""
    base = time.time() - 3600
    chunk = max(1, per_second // 20)
    cores = [Sample(m.CPU_CORE_PERCENT, 5.0, {"core": str(c)}) for c in range(4)]
    for first in range(0, total, chunk):
        batch = [
            report(org_id, agent_id, base + i / 100, {m.CPU_PERCENT: i % 100, m.LOAD_1: 1}, cores)
            for i in range(first, min(first + chunk, total))
        ]
        await append(redis, batch)
        await asyncio.sleep(0.05)


def _cpu_of(agent_id: int) -> str:
    return f'sm_cpu_percent{{agent_id="{agent_id}"}}'


async def test_kill_9_mid_stream_then_restart_stores_every_report_exactly_once(
    settings: Settings, redis: Redis, log_dir: Path
) -> None:
    org_id, agent_id = _agent()
    total = 4000
    producer = asyncio.create_task(_produce(redis, org_id, agent_id, total, per_second=1000))
    with worker_process(settings, log_dir, "first") as first:

        async def some_stored() -> bool:
            return await stored_samples(settings.tsdb_url, _cpu_of(agent_id)) > 300

        await eventually(some_stored, within=30, what="the first worker storing some reports")
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    assert not producer.done(), "the crash should happen while reports still flow"
    with worker_process(settings, log_dir, "second") as second:
        await producer
        await drained(redis, within=60)
        second.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(second.wait, 15) == 0  # a clean stop
    assert await stored_samples(settings.tsdb_url, _cpu_of(agent_id)) == total
    assert await redis.xlen(dead_letter_stream(REPORTS_STREAM)) == 0


async def test_victoriametrics_killed_right_after_accepting_writes_loses_nothing(
    datastores: Datastores, settings: Settings, redis: Redis, log_dir: Path
) -> None:
    """VictoriaMetrics answers 204 while samples are still only in its memory (for up to
    ~10 s on 1.79): a SIGKILL then loses them, unless the worker acknowledges late and writes
    again what a restarted store may have lost."""
    org_id, agent_id = _agent()
    total = 300
    env = {"HISTORY_DURABLE_AFTER_SECONDS": "5", "HISTORY_CLAIM_IDLE_MS": "60000"}
    with worker_process(settings, log_dir, "store-crash", env | {"HISTORY_RETRY_MAX_SECONDS": "2"}):
        await _produce(redis, org_id, agent_id, total, per_second=100)

        async def all_written() -> bool:
            return await stored_samples(settings.tsdb_url, _cpu_of(agent_id)) == total

        await eventually(all_written, within=30, what="the worker writing every report")
        await asyncio.to_thread(datastores.victoria.kill)
        await asyncio.to_thread(datastores.victoria.start)
        await drained(redis, within=60)
    assert await stored_samples(settings.tsdb_url, _cpu_of(agent_id)) == total


async def _victoria_outage(
    datastores: Datastores,
    settings: Settings,
    redis: Redis,
    log_dir: Path,
    seconds: float,
    meanwhile: Callable[[], Awaitable[None]],
) -> None:
    """Reports flow before, during and after VictoriaMetrics is stopped for `seconds`."""
    org_id, agent_id = _agent()
    rate = 100
    total = int(rate * (seconds + 4))
    env = {"HISTORY_RETRY_MAX_SECONDS": "2"}  # recover promptly once the store is back
    with worker_process(settings, log_dir, "outage", env):
        producer = asyncio.create_task(_produce(redis, org_id, agent_id, total, per_second=rate))
        await asyncio.sleep(2)
        await asyncio.to_thread(datastores.victoria.stop)
        try:
            await meanwhile()
            await asyncio.sleep(seconds)
            lag, pending = await group_state(redis)
            assert lag + pending > 0  # held in Redis meanwhile, not dropped
        finally:
            await asyncio.to_thread(datastores.victoria.start)
        await producer
        await drained(redis, within=60)
    assert await stored_samples(settings.tsdb_url, _cpu_of(agent_id)) == total
    assert await redis.xlen(dead_letter_stream(REPORTS_STREAM)) == 0


async def test_victoriametrics_down_for_30_seconds_under_load_loses_nothing(
    datastores: Datastores,
    settings: Settings,
    redis: Redis,
    log_dir: Path,
    alice: Tenant,
    history_client: httpx.AsyncClient,
) -> None:
    async def the_api_says_so() -> None:
        chart = await history_client.get(
            f"/history/{alice.agent_id}/cpu", headers=alice.user.headers
        )
        assert chart.status_code == 503 and chart.headers["retry-after"] == "5"
        assert "history store is unavailable" in chart.json()["detail"]
        ready = await history_client.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["victoria-metrics"] == "down"

    await _victoria_outage(datastores, settings, redis, log_dir, 30, the_api_says_so)


async def test_undecodable_entries_go_to_the_dead_letter_stream_while_the_rest_flows(
    settings: Settings, redis: Redis
) -> None:
    org_id, agent_id = _agent()
    before = [
        report(org_id, agent_id, time.time() - 100 + i, {m.CPU_PERCENT: i}) for i in range(20)
    ]
    after = [report(org_id, agent_id, time.time() - 50 + i, {m.CPU_PERCENT: i}) for i in range(20)]
    await append(redis, before)
    garbage = await redis.xadd(REPORTS_STREAM, {"r": "not a report"})
    no_field = await redis.xadd(REPORTS_STREAM, {"something": "else"})
    await append(redis, after)
    async with running_worker(settings, max_deliveries=3):
        await drained(redis)
    dead: Any = await redis.xrange(dead_letter_stream(REPORTS_STREAM))
    assert {fields["dead:id"] for _, fields in dead} == {garbage, no_field}
    assert all(fields["dead:deliveries"] == "3" for _, fields in dead)
    assert "undecodable" in next(f["dead:error"] for _, f in dead if f["dead:id"] == garbage)
    assert await stored_samples(settings.tsdb_url, _cpu_of(agent_id)) == 40
