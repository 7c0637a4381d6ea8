"""Live view latency: report published on Redis → received by WebSocket clients (p99 < 250 ms).

Isolates the distribution service: starts its own PostgreSQL and Redis in a temp dir,
migrates, creates a user with one agent, runs distribution_service as a real uvicorn process
(with the WebSocket options it is deployed with, distribution_service/serving.py),
connects N WebSocket clients (in a separate process, so their parsing does not slow the
publisher) all watching that agent, then publishes realistic reports exactly as ingestion
does (HSET latest + PUBLISH) at a steady rate. Latency = client receive time - the report's
`ts`, set just before publishing. Prints JSON.

    .venv/bin/python -m bench.live_latency [--clients 50] [--frames 2000] [--rate 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
import psutil
import uvloop
from redis.asyncio import Redis

from bench.livefeed import (
    LeanWebSocket,
    agent_report,
    open_lean,
    start_distribution,
    wait_listening,
)
from core.dev.datastores import free_port
from core.live import agent_channel, latest_key, live_frame
from core.settings import Settings
from harness.clients import asgi_client
from harness.datastores import datastores
from harness.factories import Agent, user_with_agent


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class _LeanClient(LeanWebSocket):
    """Times each frame after the first (the snapshot, which says it is subscribed)."""

    def __init__(self, frames: int, warmup: int) -> None:
        super().__init__()
        self.expected = frames + warmup
        self.warmup = warmup
        self.latencies: list[float] = []
        self.subscribed = asyncio.get_running_loop().create_future()
        self.finished = asyncio.get_running_loop().create_future()

    def on_text(self, payload: bytes, now: float) -> None:
        if not self.subscribed.done():
            self.subscribed.set_result(None)  # the snapshot: this client is subscribed
            return
        self.latencies.append(now - orjson.loads(payload)["ts"])
        if len(self.latencies) == self.expected:
            self.finished.set_result(None)


async def _clients(url: str, count: int, frames: int, warmup: int) -> None:
    """Child process: `count` clients, each timing `frames` frames after `warmup`; JSON out."""
    clients = [await open_lean(url, _LeanClient(frames, warmup)) for _ in range(count)]
    await asyncio.wait_for(asyncio.gather(*(c.subscribed for c in clients)), 30)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    await asyncio.wait_for(asyncio.gather(*(c.finished for c in clients)), 120)
    latencies = [v for c in clients for v in c.latencies[warmup:]]
    sys.stdout.write(json.dumps(latencies) + "\n")


async def _publish(redis: Redis, org_id: int, agent_id: int, frames: int, rate: float) -> float:
    """Publishes at a steady rate as ingestion does; returns the achieved rate."""
    started = time.perf_counter()
    for seq in range(frames):
        delay = started + seq / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        report = agent_report(org_id, agent_id, seq)
        async with redis.pipeline(transaction=False) as pipe:
            pipe.hset(latest_key(org_id), str(agent_id), live_frame(report))
            pipe.publish(agent_channel(agent_id), live_frame(report))
            await pipe.execute()
    return frames / (time.perf_counter() - started)


async def _user_with_agent(settings: Settings) -> Agent:
    from auth_service.app import create_app

    async with asgi_client(create_app(settings)) as client:
        return await user_with_agent(client, "bench@example.com", "bench-host")


async def _run(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    agent = await _user_with_agent(settings)
    token, agent_id, org_id = agent.owner.access_token, agent.id, agent.org_id
    redis = Redis.from_url(settings.redis_url)
    first = live_frame(agent_report(org_id, agent_id, 0))
    await redis.hset(latest_key(org_id), str(agent_id), first)
    port = free_port()
    server = start_distribution(settings, port)
    try:
        await wait_listening(port)
        url = f"ws://127.0.0.1:{port}/ws/{agent_id}?token={token}"
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.live_latency", "--role", "clients", "--url", url,
            "--clients", str(args.clients), "--frames", str(args.frames),
            "--warmup", str(args.warmup),
            stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert child.stdout is not None
        assert (await child.stdout.readline()).strip() == b"ready"
        service, clients = psutil.Process(server.pid), psutil.Process(child.pid)
        service.cpu_percent()
        clients.cpu_percent()
        psutil.cpu_percent()
        await _publish(redis, org_id, agent_id, args.warmup, args.rate)
        rate = await _publish(redis, org_id, agent_id, args.frames, args.rate)
        cpu = service.cpu_percent()
        clients_cpu = clients.cpu_percent()
        machine_cpu = psutil.cpu_percent()
        latencies = [v * 1000 for v in json.loads(await child.stdout.read())]
        await child.wait()
    finally:
        server.terminate()
        server.wait(timeout=10)
        await redis.aclose()
    return {
        "benchmark": "live_latency",
        "clients": args.clients,
        "frames": args.frames,
        "warmup_frames": args.warmup,
        "target_rate_per_s": args.rate,
        "achieved_rate_per_s": round(rate, 1),
        "deliveries": len(latencies),
        "frame_bytes": len(live_frame(agent_report(org_id, agent_id, 0))),
        "latency_ms": {
            "p50": round(_percentile(latencies, 0.50), 2),
            "p90": round(_percentile(latencies, 0.90), 2),
            "p99": round(_percentile(latencies, 0.99), 2),
            "max": round(max(latencies), 2),
        },
        "service_cpu_percent_of_one_core": round(cpu, 1),
        "clients_process_cpu_percent_of_one_core": round(clients_cpu, 1),
        # All cores together (100 = every core busy): shows when something else competed.
        "machine_cpu_percent": round(machine_cpu, 1),
        "target_p99_ms": 250,
        "cpus": os.cpu_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--frames", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--warmup", type=int, default=250, help="frames sent before timing")
    parser.add_argument("--role", choices=["bench", "clients"], default="bench")
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.role == "clients":
        # uvloop, as the service has: the clients must not be what is measured.
        uvloop.run(_clients(args.url, args.clients, args.frames, args.warmup))
        return 0
    with (
        tempfile.TemporaryDirectory(prefix="sm-bench-") as tmp,
        datastores(Path(tmp), log_level="WARNING") as settings,
    ):
        result = asyncio.run(_run(args, settings))
    print(json.dumps(result, indent=2))
    return 0 if result["latency_ms"]["p99"] < result["target_p99_ms"] else 1


if __name__ == "__main__":
    sys.exit(main())
