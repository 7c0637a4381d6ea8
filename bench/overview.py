"""Agents overview for a grid of 1,000 hosts: GET /agents/overview latency (target < 200 ms).

Starts its own PostgreSQL, Redis and VictoriaMetrics in a temp dir, migrates, creates one
organization with N agents that all reported recently, runs the auth service as a real
uvicorn process and times the overview through HTTP. Prints JSON.

    .venv/bin/python -m bench.overview [--agents 1000] [--requests 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from redis.asyncio import Redis

from core import reports as m
from core.dev.datastores import free_port
from core.live import latest_key, live_frame
from core.reports import Report
from core.settings import Settings
from harness.datastores import datastores
from harness.factories import new_agent, register_and_login
from harness.live import settings_env, wait_healthy


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _populate(client: httpx.AsyncClient, settings: Settings, agents: int) -> dict[str, str]:
    user = await register_and_login(client, "bench@example.com")
    redis = Redis.from_url(settings.redis_url)
    for i in range(agents):
        agent = await new_agent(client, user, f"host-{i:04d}")
        report = Report(
            id=uuid.uuid4().hex,
            org_id=agent.org_id,
            target_type="agent",
            target_id=agent.id,
            source="agent",
            ts=time.time(),
            interval=5.0,
            metrics={
                m.CPU_PERCENT: 20.0 + i % 50,
                m.MEMORY_PERCENT: 50.0,
                m.DISK_PERCENT: 60.0,
                m.NET_SENT_BYTES_PER_S: 1e5,
                m.NET_RECV_BYTES_PER_S: 2e5,
                m.LOAD_1: 0.5,
            },
            series=[m.Sample(m.CPU_CORE_PERCENT, 20.0, {"core": str(c)}) for c in range(8)],
        )
        await redis.hset(latest_key(agent.org_id), str(agent.id), live_frame(report))
    await redis.aclose()
    return user.headers


async def _measure(base_url: str, headers: dict[str, str], requests: int) -> list[float]:
    timings = []
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        for _ in range(5):  # warm-up: connection pools, caches
            await client.get("/agents/overview", headers=headers)
        for _ in range(requests):
            started = time.perf_counter()
            response = await client.get("/agents/overview", headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="sm-bench-") as tmp,
        datastores(Path(tmp)) as settings,
    ):
        port = free_port()
        env = {**os.environ, **settings_env(settings)}
        server = subprocess.Popen(  # noqa: S603 - our own service
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "auth_service.app:create_app",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, server, within=10)

            async def scenario() -> tuple[list[float], int]:
                async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                    headers = await _populate(client, settings, args.agents)
                    count = (await client.get("/agents/overview", headers=headers)).json()["count"]
                return await _measure(base, headers, args.requests), count

            timings, count = asyncio.run(scenario())
        finally:
            server.terminate()
            server.wait()
    result = {
        "benchmark": "agents_overview",
        "agents": count,
        "requests": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
        "target_ms": 200,
    }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
