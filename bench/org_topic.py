"""The organization topic with 2,000 hosts reporting every 5 s: frames/s, bytes per frame,
service CPU and how late a host's new values reach the watching clients (p50/p99).

Starts its own PostgreSQL and Redis in a temp dir, migrates, creates one organization with N
agents, fills the latest-report hash, runs distribution_service as a real uvicorn process
(with its deployed WebSocket options), connects C clients (in a separate process, so their
parsing does not slow the publisher) that subscribe to {"type": "subscribe", "topic": "org"},
then publishes every host's report once per interval, spread evenly, through ingestion's own
appender (the Lua script that stores the latest report and publishes the summaries).
Latency = client receive time - the report's `ts`, set just before publishing; it includes
the topic's batching (at most a frame a second), on purpose. Prints JSON.

    .venv/bin/python -m bench.org_topic [--hosts 2000] [--interval 5] [--clients 20]
                                        [--seconds 30] [--warmup 6]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import psutil
import uvloop
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import create_async_engine

from bench.livefeed import (
    LeanWebSocket,
    agent_report,
    open_lean,
    start_distribution,
    wait_listening,
)
from core.dev.datastores import free_port
from core.live import live_frame
from core.models import Agent
from core.redis import create_fail_fast_redis
from core.settings import Settings
from harness.clients import asgi_client
from harness.datastores import datastores
from harness.factories import register_and_login
from ingestion_service.domain.appender import ReportAppender


def _quantiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p90": cuts[89], "p99": cuts[98], "max": max(values)}


class _TopicClient(LeanWebSocket):
    """Subscribes to the organization topic; records each frame once measuring has begun."""

    def __init__(self) -> None:
        super().__init__()
        self.opened = time.monotonic()
        self.snapshot = asyncio.get_running_loop().create_future()
        self.measuring = False
        self.seq = 0
        self.gaps = 0
        self.frame_bytes: list[int] = []
        self.frame_hosts: list[int] = []
        self.latencies: list[float] = []

    def on_open(self) -> None:
        self.send_text('{"type": "subscribe", "topic": "org"}')

    def on_text(self, payload: bytes, now: float) -> None:
        frame = orjson.loads(payload)
        if frame.get("type") != "org":
            return  # {"type": "subscribed", ...}
        if frame["snapshot"]:
            if not self.snapshot.done():
                waited = time.monotonic() - self.opened
                self.snapshot.set_result((len(payload), len(frame["hosts"]), waited))
        elif frame["seq"] != self.seq + 1:
            self.gaps += 1
        self.seq = frame["seq"]
        if self.measuring and not frame["snapshot"]:
            self.frame_bytes.append(len(payload))
            self.frame_hosts.append(len(frame["hosts"]))
            self.latencies += [now - host["last_seen"] for host in frame["hosts"]]


async def _clients(url: str, count: int) -> None:
    """Child process: `count` clients; "measure" and "stop" on stdin; JSON out."""
    clients = [await open_lean(url, _TopicClient()) for _ in range(count)]
    snapshots = await asyncio.wait_for(asyncio.gather(*(c.snapshot for c in clients)), 120)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)  # "measure"
    started = time.monotonic()
    for client in clients:
        client.measuring = True
    await loop.run_in_executor(None, sys.stdin.readline)  # "stop"
    seconds = time.monotonic() - started
    frames = [len(c.frame_bytes) for c in clients]
    result = {
        "seconds": seconds,
        "frames_per_s_per_client": sum(frames) / len(frames) / seconds,
        "frame_bytes": [b for c in clients for b in c.frame_bytes],
        "frame_hosts": [h for c in clients for h in c.frame_hosts],
        "latencies": [v for c in clients for v in c.latencies],
        "seq_gaps": sum(c.gaps for c in clients),
        "snapshot_bytes": snapshots[0][0],
        "snapshot_hosts": snapshots[0][1],
        "snapshot_wait_s": max(s[2] for s in snapshots),
    }
    sys.stdout.write(json.dumps(result) + "\n")


async def _organization(settings: Settings, hosts: int) -> tuple[str, int, list[int]]:
    """A user's organization with `hosts` agents (inserted directly: the API is not measured)."""
    from auth_service.app import create_app

    async with asgi_client(create_app(settings)) as client:
        user = await register_and_login(client, "bench@example.com")
    assert user.org_id is not None
    now = datetime.now(UTC)
    rows = [
        {
            "org_id": user.org_id,
            "name": f"host-{i:05d}",
            "token_hash": secrets.token_hex(32),
            "token_created_at": now,
            "activation_deadline": None,
        }
        for i in range(hosts)
    ]
    engine = create_async_engine(settings.database_url)
    async with engine.begin() as connection:
        ids = list(await connection.scalars(insert(Agent).returning(Agent.id), rows))
    await engine.dispose()
    return user.access_token, user.org_id, ids


async def _report_all(
    appender: ReportAppender, org_id: int, ids: list[int], interval: float, seconds: float
) -> int:
    """Each host once per interval, evenly spread (a batch every 50 ms); returns how many."""
    per_second = len(ids) / interval
    started, sent = time.perf_counter(), 0
    while (elapsed := time.perf_counter() - started) < seconds:
        due = round(elapsed * per_second) - sent
        batch = [
            agent_report(org_id, ids[(sent + i) % len(ids)], sent + i, interval=interval)
            for i in range(due)
        ]
        if batch:
            await appender.append(batch, [live_frame(r) for r in batch])
            sent += len(batch)
        await asyncio.sleep(0.05)
    return sent


async def _run(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    token, org_id, ids = await _organization(settings, args.hosts)
    redis = create_fail_fast_redis(settings.redis_url)
    appender = ReportAppender(
        redis, maxlen=100_000, max_batch=500, once_seconds=60, once_max_ids=1000
    )
    appender.start()
    for start in range(0, len(ids), 500):  # every host has reported once: a full snapshot
        batch = [agent_report(org_id, i, 0, interval=args.interval) for i in ids[start:][:500]]
        await appender.append(batch, [live_frame(r) for r in batch])
    port = free_port()
    server = start_distribution(settings, port)
    try:
        await wait_listening(port)
        url = f"ws://127.0.0.1:{port}/ws/?token={token}"
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.org_topic", "--role", "clients", "--url", url,
            "--clients", str(args.clients),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            limit=1 << 30,
        )  # fmt: skip
        assert child.stdout is not None and child.stdin is not None
        assert (await child.stdout.readline()).strip() == b"ready"
        service = psutil.Process(server.pid)
        await _report_all(appender, org_id, ids, args.interval, args.warmup)
        child.stdin.write(b"measure\n")
        await child.stdin.drain()
        service.cpu_percent()
        psutil.cpu_percent()
        sent = await _report_all(appender, org_id, ids, args.interval, args.seconds)
        await asyncio.sleep(1.5)  # the last reports' frame
        cpu, machine_cpu = service.cpu_percent(), psutil.cpu_percent()
        rss = service.memory_info().rss
        child.stdin.write(b"stop\n")
        await child.stdin.drain()
        measured = json.loads(await child.stdout.readline())
        await child.wait()
    finally:
        server.terminate()
        server.wait(timeout=10)
        await appender.stop()
        await redis.aclose()
    return _result(args, sent, measured, cpu, machine_cpu, rss)


def _result(
    args: argparse.Namespace,
    sent: int,
    measured: dict[str, Any],
    cpu: float,
    machine_cpu: float,
    rss: int,
) -> dict[str, Any]:
    latencies = [v * 1000 for v in measured["latencies"]]
    frame_bytes = measured["frame_bytes"]
    return {
        "benchmark": "org_topic",
        "hosts": args.hosts,
        "report_interval_s": args.interval,
        "clients": args.clients,
        "seconds": round(measured["seconds"], 1),
        "reports_published_per_s": round(sent / args.seconds, 1),
        "frames_per_s_per_client": round(measured["frames_per_s_per_client"], 2),
        "bytes_per_frame": {
            "mean": round(statistics.fmean(frame_bytes)),
            **{k: round(v) for k, v in _quantiles(frame_bytes).items() if k != "p90"},
        },
        "hosts_per_frame_mean": round(statistics.fmean(measured["frame_hosts"]), 1),
        "snapshot": {
            "bytes": measured["snapshot_bytes"],
            "hosts": measured["snapshot_hosts"],
            "slowest_client_wait_s": round(measured["snapshot_wait_s"], 2),
        },
        "host_update_latency_ms": {k: round(v, 1) for k, v in _quantiles(latencies).items()},
        "host_updates_received": len(latencies),
        "seq_gaps": measured["seq_gaps"],
        "service_cpu_percent_of_one_core": round(cpu, 1),
        "service_rss_mb": round(rss / 1e6, 1),
        # All cores together (100 = every core busy): shows when something else competed.
        "machine_cpu_percent": round(machine_cpu, 1),
        "cpus": os.cpu_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=2000)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=6, help="seconds reported before timing")
    parser.add_argument("--role", choices=["bench", "clients"], default="bench")
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.role == "clients":
        uvloop.run(_clients(args.url, args.clients))
        return 0
    with (
        tempfile.TemporaryDirectory(prefix="sm-bench-") as tmp,
        datastores(Path(tmp), log_level="WARNING") as settings,
    ):
        result = asyncio.run(_run(args, settings))
    print(json.dumps(result, indent=2))
    return 0 if result["frames_per_s_per_client"] <= 1.05 and not result["seq_gaps"] else 1


if __name__ == "__main__":
    sys.exit(main())
