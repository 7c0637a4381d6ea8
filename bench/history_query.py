"""History chart latency: 7 days of 5-second data for one agent, CPU chart p95 < 150 ms.

Starts its own PostgreSQL, Redis and VictoriaMetrics in a temp dir (or uses DATABASE_URL,
REDIS_URL and TSDB_URL with --use-env, on an already migrated database), creates a user and
an agent, backfills 7 days of the agent's usual host-level metrics every 5 seconds (121k
points per series) through line protocol in big batches, runs the history API as a real
uvicorn process (one worker) and times GET /history/{id}/cpu for -7d, -24h and -1h. Also
times the same 7-day query straight against VictoriaMetrics with its cache bypassed, the cost
a first viewer pays. Prints JSON.

    .venv/bin/python -m bench.history_query [--requests 60] [--days 7] [--use-env]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from redis.asyncio import Redis

from core import reports as m
from core.dev.datastores import free_port
from core.live import latest_key, live_frame
from core.reports import Report, Sample
from core.settings import Settings
from harness.clients import asgi_client
from harness.datastores import datastores
from harness.factories import user_with_agent
from harness.live import settings_env, wait_healthy
from history_service.domain.line_protocol import report_lines

INTERVAL = 5
BATCH = 2000  # reports per write request (about 3 MB of line protocol)
RANGES = ("-7d", "-24h", "-1h")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _stats(timings: list[float]) -> dict[str, float]:
    return {
        "requests": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
    }


def _report(org_id: int, agent_id: int, ts: float, i: int) -> Report:
    wave = 30 + 25 * math.sin(i / 720)  # an hour-long swing, so aggregates differ per step
    metrics = {
        m.CPU_PERCENT: wave,
        m.CPU_FREQ_MHZ: 2400 + i % 800,
        m.LOAD_1: wave / 25,
        m.LOAD_5: wave / 30,
        m.LOAD_15: wave / 35,
        m.MEMORY_PERCENT: 60 + wave / 10,
        m.MEMORY_USED_BYTES: 9.6e9,
        m.MEMORY_TOTAL_BYTES: 16e9,
        m.MEMORY_AVAILABLE_BYTES: 6.4e9,
        m.SWAP_PERCENT: 2,
        m.DISK_PERCENT: 41,
        m.DISK_USED_BYTES: 205e9,
        m.DISK_TOTAL_BYTES: 500e9,
        m.DISK_READ_BYTES_PER_S: 1e5 + i % 1000,
        m.DISK_WRITE_BYTES_PER_S: 2e5 + i % 1000,
        m.NET_SENT_BYTES_PER_S: 1e5 + wave,
        m.NET_RECV_BYTES_PER_S: 3e5 + wave,
        m.NET_BYTES_SENT: 1e9 + i * 5e5,
        m.NET_BYTES_RECV: 3e9 + i * 1.5e6,
        m.UPTIME_SECONDS: 1e6 + i * INTERVAL,
        m.PROCESS_COUNT: 230,
    }
    cores = [Sample(m.CPU_CORE_PERCENT, wave + c, {"core": str(c)}) for c in range(4)]
    return Report(
        id=uuid.uuid4().hex,
        org_id=org_id,
        target_type="agent",
        target_id=agent_id,
        source="agent",
        ts=ts,
        metrics=metrics,
        series=cores,
        interval=INTERVAL,
    )


async def _backfill(tsdb_url: str, org_id: int, agent_id: int, days: float) -> dict[str, float]:
    now = time.time()
    count = int(days * 86400 / INTERVAL)
    started = time.perf_counter()
    async with httpx.AsyncClient(trust_env=False, timeout=120) as client:
        for first in range(0, count, BATCH):
            lines = [
                line
                for i in range(first, min(first + BATCH, count))
                for line in report_lines(_report(org_id, agent_id, now - (count - i) * INTERVAL, i))
            ]
            response = await client.post(
                f"{tsdb_url}/api/v2/write", params={"precision": "ms"}, content="\n".join(lines)
            )
            response.raise_for_status()
        await client.get(f"{tsdb_url}/internal/force_flush")
    return {"reports": count, "seconds": round(time.perf_counter() - started, 1)}


async def _setup(settings: Settings, days: float) -> tuple[dict[str, str], int, dict[str, float]]:
    from auth_service.app import create_app

    async with asgi_client(create_app(settings)) as auth:
        agent = await user_with_agent(auth, f"bench-{uuid.uuid4().hex[:8]}@example.com", "bench")
    redis = Redis.from_url(settings.redis_url)
    latest = _report(agent.org_id, agent.id, time.time(), 0)
    await redis.hset(latest_key(agent.org_id), str(agent.id), live_frame(latest))
    await redis.aclose()
    backfill = await _backfill(settings.tsdb_url, agent.org_id, agent.id, days)
    return agent.owner.headers, agent.id, backfill


async def _measure(
    base_url: str, headers: dict[str, str], path: str, start: str, requests: int
) -> tuple[list[float], dict[str, Any]]:
    timings = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30, trust_env=False) as client:
        for _ in range(requests + 3):  # the first three warm connections and caches
            began = time.perf_counter()
            response = await client.get(path, params={"start": start}, headers=headers)
            timings.append((time.perf_counter() - began) * 1000)
            response.raise_for_status()
    return timings[3:], response.json()


async def _victoria_uncached(tsdb_url: str, agent_id: int, requests: int) -> list[float]:
    """The 7-day CPU query straight to VictoriaMetrics with nocache=1: a cold chart."""
    query = (
        "max without (org_id, target_type, target_id, agent_id, source) "
        f'(max_over_time(sm_cpu_percent{{agent_id="{agent_id}"}}[900s]))'
    )
    end = int(time.time()) // 900 * 900
    timings = []
    async with httpx.AsyncClient(trust_env=False, timeout=30) as client:
        for _ in range(requests):
            began = time.perf_counter()
            response = await client.post(
                f"{tsdb_url}/api/v1/query_range",
                data={
                    "query": query,
                    "start": end - 7 * 86400,
                    "end": end,
                    "step": "900s",
                    "nocache": "1",
                },
            )
            timings.append((time.perf_counter() - began) * 1000)
            response.raise_for_status()
    return timings


@contextmanager
def _datastores(use_env: bool) -> Iterator[Settings]:
    if use_env:
        yield Settings()
        return
    with (
        tempfile.TemporaryDirectory(prefix="sm-bench-history-") as tmp,
        datastores(Path(tmp), tsdb=True) as settings,
    ):
        yield settings


@contextmanager
def _history_api(settings: Settings) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "history_service.app:create_app"]
    command += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    env = {**os.environ, **settings_env(settings), "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(command, env=env)  # noqa: S603 - our own service
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server)
        yield base
    finally:
        server.terminate()
        server.wait()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--days", type=float, default=7)
    parser.add_argument("--use-env", action="store_true", help="DATABASE_URL, REDIS_URL, TSDB_URL")
    args = parser.parse_args()
    with _datastores(args.use_env) as settings:
        headers, agent_id, backfill = asyncio.run(_setup(settings, args.days))
        time.sleep(5)  # let VictoriaMetrics finish merging the fresh parts
        results = {}
        with _history_api(settings) as base:
            for start in RANGES:
                path = f"/history/{agent_id}/cpu"
                timings, body = asyncio.run(_measure(base, headers, path, start, args.requests))
                results[f"cpu_{start.lstrip('-')}"] = {
                    **_stats(timings),
                    "series": len(body["series"]),
                    "points_per_series": max(len(s["values"]) for s in body["series"]),
                    "step_seconds": body["step_seconds"],
                }
            summary, _ = asyncio.run(
                _measure(base, headers, f"/history/{agent_id}/summary", "-7d", 20)
            )
            results["summary_7d"] = _stats(summary)
        uncached = asyncio.run(_victoria_uncached(settings.tsdb_url, agent_id, 20))
        results["victoria_7d_cpu_nocache"] = _stats(uncached)
    result = {
        "benchmark": "history_query",
        "backfill": {**backfill, "days": args.days, "interval_seconds": INTERVAL},
        **results,
        "target": "cpu_7d p95_ms < 150",
        "cpus": os.cpu_count(),
    }
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
