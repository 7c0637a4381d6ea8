"""Shared pieces of the history tests: reports, the worker (in-process or a real process),
and reading back what VictoriaMetrics stored."""

from __future__ import annotations

import asyncio
import json
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
from redis.asyncio import Redis

from core.redis import create_stream_redis
from core.reports import Report, Sample
from core.settings import Settings
from core.stream_consumer import StreamConsumer
from core.streams import REPORTS_STREAM, append_reports
from harness.live import module_process
from harness.polling import eventually
from history_service.config import HistorySettings
from history_service.domain.tsdb import VictoriaMetrics, create_client
from history_service.worker import GROUP, build_consumer

# Quick to notice new entries and to take over a dead worker's, so tests stay short.
# durable_after_seconds below claim_idle_ms, as the worker requires.
FAST = {"block_ms": 200, "claim_idle_ms": 1500, "max_deliveries": 3, "durable_after_seconds": 0.5}


def report(
    org_id: int,
    agent_id: int,
    ts: float,
    metrics: Mapping[str, float],
    series: list[Sample] | None = None,
    source: str = "agent",
) -> Report:
    return Report(
        id=uuid.uuid4().hex,
        org_id=org_id,
        target_type="agent",
        target_id=agent_id,
        source=source,
        ts=ts,
        metrics=dict(metrics),
        series=series or [],
        interval=5.0,
    )


async def append(redis: Redis, reports: list[Report]) -> list[str]:
    return await append_reports(redis, reports, maxlen=10_000_000)


@asynccontextmanager
async def running_worker(
    settings: Settings, name: str = "test-worker", **overrides: int
) -> AsyncIterator[StreamConsumer]:
    """The real worker (consumer + VictoriaMetrics handler) as a task in this process."""
    config = HistorySettings().model_copy(update={**FAST, **overrides})
    redis = create_stream_redis(settings, config.block_ms)
    async with create_client(10) as client:
        consumer = build_consumer(redis, VictoriaMetrics(client, settings.tsdb_url), config, name)
        task = asyncio.create_task(consumer.run())
        try:
            yield consumer
        finally:
            consumer.stop()
            await asyncio.wait_for(task, 30)
            await redis.aclose()


async def group_state(redis: Redis, group: str = GROUP) -> tuple[int, int]:
    """(entries not yet delivered, entries delivered but not acknowledged)."""
    for info in await redis.xinfo_groups(REPORTS_STREAM):
        if info["name"] in (group, group.encode()):
            return int(info["lag"] or 0), int(info["pending"])
    return -1, -1


async def drained(redis: Redis, within: float = 30, group: str = GROUP) -> None:
    """Waits until every entry of the stream was handled and acknowledged by the group."""

    async def done() -> bool:
        state = await group_state(redis, group)
        assert state == (0, 0), f"group {group} not drained: (lag, pending)={state}"
        return True

    await eventually(done, within=within, what="draining the stream")


async def stored_samples(tsdb_url: str, match: str) -> int:
    """Samples VictoriaMetrics holds for a selector (after deduplication)."""
    async with httpx.AsyncClient(trust_env=False, timeout=30) as client:
        await client.get(f"{tsdb_url}/internal/force_flush")
        response = await client.post(f"{tsdb_url}/api/v1/export", data={"match[]": match})
        response.raise_for_status()
    return sum(len(json.loads(line)["timestamps"]) for line in response.text.splitlines() if line)


async def settled(tsdb_url: str, match: str, lookback: str = "1h", within: float = 15) -> None:
    """Waits until PromQL sees every series that /export already holds for `match`.

    Right after a write (and a force_flush), PromQL queries over recent time can miss a
    brand-new series for up to about a second on VictoriaMetrics 1.79, while /export
    already returns it.
    """
    async with httpx.AsyncClient(trust_env=False, timeout=30) as client:
        await client.get(f"{tsdb_url}/internal/force_flush")
        exported = await client.post(f"{tsdb_url}/api/v1/export", data={"match[]": match})
        expected = len(exported.text.splitlines())
        query = f"count(last_over_time({match}[{lookback}]))"

        async def seen() -> bool:
            result = await client.post(f"{tsdb_url}/api/v1/query", data={"query": query})
            rows = result.json()["data"]["result"]
            return (int(rows[0]["value"][1]) if rows else 0) >= expected

        await eventually(seen, within=within, what=f"{match}: queries seeing {expected} series")


@contextmanager
def worker_process(
    settings: Settings, log_dir: Path, tag: str, extra_env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m history_service.worker` as a real process, as make run starts it."""
    env = {f"HISTORY_{key.upper()}": str(value) for key, value in FAST.items()}
    with module_process(
        "history_service.worker", settings, log_dir, tag=tag, extra_env=env | (extra_env or {})
    ) as process:
        yield process
