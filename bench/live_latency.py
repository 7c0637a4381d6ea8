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
import base64
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import psutil
import uvloop
from redis.asyncio import Redis

from core import reports as m
from core.dev.datastores import free_port
from core.live import agent_channel, latest_key, live_frame
from core.reports import Report, Sample
from core.settings import Settings
from distribution_service.serving import uvicorn_flags
from harness.clients import asgi_client
from harness.datastores import datastores
from harness.factories import Agent, user_with_agent
from harness.live import settings_env, wait_healthy


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _report(org_id: int, agent_id: int, seq: int) -> Report:
    """About the size of a real agent report (~2 KB): 8 cores, 3 disks, 3 interfaces."""
    series = [Sample(m.CPU_CORE_PERCENT, 10.0 + c, {"core": str(c)}) for c in range(8)]
    series += [Sample(m.CPU_CORE_FREQ_MHZ, 2400.0, {"core": str(c)}) for c in range(8)]
    for mount in ("/", "/home", "/var"):
        series += [Sample(m.PARTITION_PERCENT, 42.0, {"mountpoint": mount, "fstype": "ext4"})]
    for nic in ("eth0", "eth1", "lo"):
        series += [
            Sample(name, 1000.0 + seq, {"interface": nic})
            for name in (m.NET_IF_SENT_BYTES_PER_S, m.NET_IF_RECV_BYTES_PER_S, m.NET_IF_ERRORS_IN)
        ]
    return Report(
        id=uuid.uuid4().hex,
        org_id=org_id,
        target_type="agent",
        target_id=agent_id,
        source="agent",
        ts=time.time(),
        interval=5.0,
        metrics={
            m.CPU_PERCENT: float(seq % 100),
            m.LOAD_1: 0.5,
            m.LOAD_5: 0.4,
            m.LOAD_15: 0.3,
            m.MEMORY_PERCENT: 55.0,
            m.MEMORY_USED_BYTES: 8.0e9,
            m.MEMORY_TOTAL_BYTES: 16.0e9,
            m.SWAP_PERCENT: 1.0,
            m.DISK_PERCENT: 61.0,
            m.DISK_READ_BYTES_PER_S: 1.0e5,
            m.DISK_WRITE_BYTES_PER_S: 2.0e5,
            m.NET_SENT_BYTES_PER_S: 3.0e5,
            m.NET_RECV_BYTES_PER_S: 4.0e5,
            m.UPTIME_SECONDS: 86400.0,
            m.PROCESS_COUNT: 312.0,
        },
        series=series,
    )


class _LeanClient(asyncio.Protocol):
    """A WebSocket client that reads the server's frames straight off the socket.

    On two cores, 50 `websockets` clients in one process cost more CPU than the service they
    measure; this one only splits frames and reads `ts`, so the service is what is timed.
    Server frames are unmasked and, without per-message deflate, plain text.
    """

    def __init__(self, frames: int, warmup: int) -> None:
        self.expected = frames + warmup
        self.warmup = warmup
        self.buffer = bytearray()
        self.upgraded = False
        self.latencies: list[float] = []
        self.subscribed = asyncio.get_running_loop().create_future()
        self.finished = asyncio.get_running_loop().create_future()

    def data_received(self, data: bytes) -> None:
        now = time.time()
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if not self.buffer.startswith(b"HTTP/1.1 101"):
                raise RuntimeError(f"handshake refused: {bytes(self.buffer[:200])!r}")
            del self.buffer[: end + 4]
            self.upgraded = True
        while (payload := self._next_frame()) is not None:
            self._on_frame(payload, now)

    def _next_frame(self) -> bytes | None:
        if len(self.buffer) < 2:
            return None
        length, offset = self.buffer[1] & 0x7F, 2
        if length == 126:
            length, offset = int.from_bytes(self.buffer[2:4], "big"), 4
        elif length == 127:
            length, offset = int.from_bytes(self.buffer[2:10], "big"), 10
        if len(self.buffer) < offset + length:
            return None
        payload = bytes(self.buffer[offset : offset + length])
        del self.buffer[: offset + length]
        return payload  # the service sends text frames only (pings are 20 s apart)

    def _on_frame(self, payload: bytes, now: float) -> None:
        if not self.subscribed.done():
            self.subscribed.set_result(None)  # the snapshot: this client is subscribed
            return
        self.latencies.append(now - orjson.loads(payload)["ts"])
        if len(self.latencies) == self.expected:
            self.finished.set_result(None)


async def _lean_client(url: str, frames: int, warmup: int) -> _LeanClient:
    parts = urlsplit(url)
    loop = asyncio.get_running_loop()
    transport, client = await loop.create_connection(
        lambda: _LeanClient(frames, warmup), parts.hostname or "127.0.0.1", parts.port or 80
    )
    key = base64.b64encode(os.urandom(16)).decode()
    transport.write(
        f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    return client


async def _clients(url: str, count: int, frames: int, warmup: int) -> None:
    """Child process: `count` clients, each timing `frames` frames after `warmup`; JSON out."""
    clients = [await _lean_client(url, frames, warmup) for _ in range(count)]
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
        report = _report(org_id, agent_id, seq)
        async with redis.pipeline(transaction=False) as pipe:
            pipe.hset(latest_key(org_id), str(agent_id), live_frame(report))
            pipe.publish(agent_channel(agent_id), live_frame(report))
            await pipe.execute()
    return frames / (time.perf_counter() - started)


async def _user_with_agent(settings: Settings) -> Agent:
    from auth_service.app import create_app

    async with asgi_client(create_app(settings)) as client:
        return await user_with_agent(client, "bench@example.com", "bench-host")


def _start_service(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, **settings_env(settings)}
    command = [sys.executable, "-m", "uvicorn", "--factory", "distribution_service.app:create_app"]
    command += ["--port", str(port), "--log-level", "warning", *uvicorn_flags()]
    return subprocess.Popen(command, env=env)  # noqa: S603 - our own service


async def _run(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    agent = await _user_with_agent(settings)
    token, agent_id, org_id = agent.owner.access_token, agent.id, agent.org_id
    redis = Redis.from_url(settings.redis_url)
    await redis.hset(latest_key(org_id), str(agent_id), live_frame(_report(org_id, agent_id, 0)))
    port = free_port()
    server = _start_service(settings, port)
    try:
        await asyncio.to_thread(wait_healthy, f"http://127.0.0.1:{port}", server)
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
        "frame_bytes": len(live_frame(_report(org_id, agent_id, 0))),
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
