"""The dashboard's home page with 2,000 hosts reporting every 5 s, in a real Chromium.

Starts the platform as `make run` does (harness/make_run.py: temp data dir, free ports; the
gateway serves frontend/dist, so build it first: `python -m deploy.frontend build`, or pass
--build), creates N agents through the API, posts a report for each every interval (spread
evenly, concurrent httpx to /api/ingest, random CPU so every report changes something), then
drives Chromium through Playwright (bench/dashboard_speed.mjs, with the frontend's own
Playwright) and measures:

- initial JS: the scripts a cold load of /hosts transfers (as sent: compressed) — target ≤ 200 KB;
- hosts shown / interactive: navigation start → every host in the grid's model and a card
  painted; interactive = the end of the last long task before 2 quiet seconds after that
  (the TTI rule with a 2 s window) — target ≤ 1.5 s;
- while updates stream in: every frame's duration (requestAnimationFrame deltas), long tasks
  (PerformanceObserver "longtask"), for --minutes, then 15 s of scrolling the grid and 15 s
  of the table — target: no frame and no task over 50 ms;
  each phase is also traced: the renderer main thread's tasks by CPU time (the trace's thread
  duration), which a machine busy with other work does not stretch;
- the JS heap every 10 s and after a forced GC at both ends (the first after 30 s of live
  updates: the sparkline rings fill, code gets optimised) — target: flat.
Also the search box (keys to filtered grid) and a sort click (input to paint). Prints JSON;
exits 1 when a target is missed.

    .venv/bin/python -m bench.dashboard_speed [--hosts 2000] [--interval 5] [--minutes 10]
                                              [--build]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
import psutil
import uvloop

from deploy import frontend
from harness.make_run import ADMIN_EMAIL, MakeRun, make_run, run_env

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend"
BROWSER_SCRIPT = Path(__file__).with_suffix(".mjs")
TARGETS = {"initial_js_kb": 200, "interactive_ms": 1500, "frame_ms": 50}


class Reporter:
    """Every host's report once per interval, evenly spread (open loop: a report is due on a
    fixed clock, whether or not the platform kept up), over keep-alive HTTP/1.1 connections
    written by hand: at 400 reports/s a general client's own CPU would compete with the page
    measured. Counts answers by status and how far the platform fell behind."""

    def __init__(self, gateway: str, tokens: list[str], interval: float, connections: int = 48):
        address = urlsplit(gateway)
        self.host, self.port = address.hostname or "127.0.0.1", address.port or 80
        self.tokens = tokens
        self.interval = interval
        self.connections = connections
        self.sent = 0  # due and started
        self.done = 0  # answered (2xx or not)
        self.backlog_max = 0  # due but not yet answered: the platform fell behind
        self.failed: dict[str, int] = {}
        self.latencies: list[float] = []
        self._idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None] = (
            asyncio.Queue()
        )

    @staticmethod
    def body(index: int) -> dict[str, Any]:
        base = 10 + index % 70
        return {
            "cpu": {"percent": round(min(100.0, max(0.0, base + random.uniform(-10, 25))), 1)},
            "memory": {"percent": round(30 + index % 60 + random.uniform(0, 5), 1)},
            "disk": {"percent": round(20 + index % 75, 1)},
            "network": {
                "recv_bytes_per_s": random.randint(1_000, 5_000_000),
                "sent_bytes_per_s": random.randint(500, 1_000_000),
            },
            "interval": 5,
            "timestamp": time.time(),
        }

    def _request(self, index: int) -> bytes:
        body = orjson.dumps(self.body(index))
        head = (
            f"POST /api/ingest HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"X-Agent-Token: {self.tokens[index]}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def post(self, index: int, due: float) -> None:
        connection = await self._idle.get()
        key: str | None = None
        try:
            if connection is None:
                connection = await asyncio.open_connection(self.host, self.port)
            reader, writer = connection
            writer.write(self._request(index))
            head = await reader.readuntil(b"\r\n\r\n")
            length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            if length:
                await reader.readexactly(int(length.group(1)))
            elif re.search(rb"(?i)\r\ntransfer-encoding: *chunked", head):
                await reader.readuntil(b"0\r\n\r\n")
            status = int(head[9:12])
            key = None if 200 <= status < 300 else str(status)
            if re.search(rb"(?i)\r\nconnection: *close", head):  # nginx's keepalive_requests
                writer.close()
                connection = None
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            key = type(exc).__name__
            if connection is not None:
                connection[1].close()
            connection = None
        finally:
            self._idle.put_nowait(connection)  # None: the next user connects anew
        self.latencies.append(time.perf_counter() - due)  # from when it was due: waits count
        self.done += 1
        if key is not None:
            self.failed[key] = self.failed.get(key, 0) + 1

    async def run(self, stop: asyncio.Event) -> None:
        for _ in range(self.connections):
            self._idle.put_nowait(None)
        per_second = len(self.tokens) / self.interval
        started, pending = time.perf_counter(), set()
        while not stop.is_set():
            now = time.perf_counter()
            for _ in range(round((now - started) * per_second) - self.sent):
                task = asyncio.create_task(self.post(self.sent % len(self.tokens), now))
                pending.add(task)
                task.add_done_callback(pending.discard)
                self.sent += 1
            self.backlog_max = max(self.backlog_max, self.sent - self.done)
            await asyncio.sleep(0.05)
        for task in pending:  # what the platform did not take in time is not waited for
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        while not self._idle.empty():
            connection = self._idle.get_nowait()
            if connection is not None:
                connection[1].close()


async def _post(client: httpx.AsyncClient, url: str, **kwargs: Any) -> httpx.Response:
    """A POST that rides out a busy gateway (502/503/504, dropped connections) a few times."""
    for attempt in range(6):
        try:
            answer = await client.post(url, **kwargs)
            if answer.status_code not in (502, 503, 504):
                return answer.raise_for_status()
        except httpx.TransportError:
            if attempt == 5:
                raise
        await asyncio.sleep(0.5 * 2**attempt)
    return answer.raise_for_status()


async def _create_agents(client: httpx.AsyncClient, token: str, count: int) -> list[str]:
    """`count` agents, each activated by a first report right away (tokens expire unused)."""
    headers = {"Authorization": f"Bearer {token}"}
    tokens: list[str] = [""] * count
    limit = asyncio.Semaphore(32)

    async def one(index: int) -> None:
        async with limit:
            created = await _post(
                client,
                "/api/auth/agents",
                headers=headers,
                json={"name": f"host-{index:05d}", "labels": {"rack": f"r{index % 20}"}},
            )
            tokens[index] = created.json()["token"]
            await _post(
                client,
                "/api/ingest",
                json=Reporter.body(index),
                headers={"X-Agent-Token": tokens[index]},
            )

    await asyncio.gather(*(one(i) for i in range(count)))
    return tokens


async def _browser(run: MakeRun, args: argparse.Namespace, password: str) -> dict[str, Any]:
    settings = {
        "baseURL": run.gateway,
        "username": ADMIN_EMAIL,
        "password": password,
        "hosts": args.hosts,
        "seconds": args.minutes * 60,
        "chromium": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
    }
    child = await asyncio.create_subprocess_exec(
        shutil.which("node") or "node",
        str(BROWSER_SCRIPT),
        json.dumps(settings),
        stdout=asyncio.subprocess.PIPE,
        limit=1 << 24,
    )
    out, _ = await child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"the browser script failed ({child.returncode})")
    result: dict[str, Any] = json.loads(out)
    print(f"browser: {out.decode().strip()}", file=sys.stderr, flush=True)  # kept if we die later
    return result


async def _scenario(run: MakeRun, args: argparse.Namespace) -> dict[str, Any]:
    password = run.admin_password()
    limits = httpx.Limits(max_connections=128, max_keepalive_connections=128)
    async with httpx.AsyncClient(base_url=run.gateway, timeout=30, limits=limits) as client:
        login = await client.post(
            "/api/auth/token", data={"username": ADMIN_EMAIL, "password": password}
        )
        login.raise_for_status()
        started = time.perf_counter()
        tokens = await _create_agents(client, login.json()["access_token"], args.hosts)
        created_s = time.perf_counter() - started
        print(f"{args.hosts} agents created in {created_s:.0f} s", file=sys.stderr)
        reporter = Reporter(run.gateway, tokens, args.interval)
        stop = asyncio.Event()
        reporting = asyncio.create_task(reporter.run(stop))
        await asyncio.sleep(args.interval + 1)  # every host has a fresh report: all online
        if args.hold:  # a platform to point a profiler at, reports streaming, no measurement
            print(f"holding: {run.gateway} {ADMIN_EMAIL} {password}", file=sys.stderr, flush=True)
            await asyncio.sleep(args.hold * 60)
            stop.set()
            await reporting
            return {
                "held_minutes": args.hold,
                "reports_sent": reporter.sent,
                "failed": reporter.failed,
            }
        psutil.cpu_percent()
        sent_before, done_before, t0 = reporter.sent, reporter.done, time.perf_counter()
        try:
            browser = await _browser(run, args, password)
        finally:
            machine_cpu = psutil.cpu_percent()
            seconds = time.perf_counter() - t0
            stop.set()
            await reporting
    latencies = sorted(reporter.latencies)
    browser["reports"] = {
        "scheduled_per_s": round((reporter.sent - sent_before) / seconds, 1),
        "answered_per_s": round((reporter.done - done_before) / seconds, 1),
        "backlog_max": reporter.backlog_max,
        "failed": reporter.failed,
        "p99_ms_from_due": round(latencies[int(0.99 * (len(latencies) - 1))] * 1000, 1),
    }
    browser["machine_cpu_percent"] = round(machine_cpu, 1)
    return browser


def _verdict(result: dict[str, Any]) -> dict[str, bool]:
    frames = [result[k] for k in ("streaming", "scroll_grid", "scroll_table")]
    heap = result["heap_mb"]
    return {
        "initial_js": result["initial_js"]["transferred_kb"] <= TARGETS["initial_js_kb"],
        "initial_js_precompressed": result["initial_js"]["gzip9_kb"] <= TARGETS["initial_js_kb"],
        "interactive": result["load"]["interactive_ms"] <= TARGETS["interactive_ms"],
        "frames": all(p["longest_frame_ms"] <= TARGETS["frame_ms"] for p in frames),
        "long_tasks": all(p["long_tasks"] == 0 for p in frames),
        # The page's own work: no main-thread task over 50 ms of CPU (a busy machine stretches
        # wall-clock frames with time spent waiting for a core).
        "main_thread_cpu": all(
            p["main_thread"]["longest_task_cpu_ms"] <= TARGETS["frame_ms"] for p in frames
        ),
        # Flat: the retained heap after a GC grew by less than 10 % (and 5 MB) over the run.
        "heap_flat": heap["after_gc_end"] - heap["after_gc_start"]
        <= max(5.0, 0.1 * heap["after_gc_start"]),
    }


def _stop_cleanly() -> None:
    """SIGINT and SIGTERM unwind the `with` blocks, so the platform is stopped even when run in
    the background (where a shell starts it with SIGINT ignored)."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)


def main() -> int:
    _stop_cleanly()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=2000)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--minutes", type=float, default=10.0, help="live updates watched")
    parser.add_argument("--build", action="store_true", help="npm run build first")
    parser.add_argument(
        "--hold", type=float, default=0, help="only serve the reporting platform this many minutes"
    )
    args = parser.parse_args()
    if args.build:
        # make run's own build step, .gz files included: the bytes measured are those it serves.
        frontend.build(frontend.find_node())
    if not (FRONTEND / "dist" / "index.html").is_file():
        print("frontend/dist is missing: python -m deploy.frontend build", file=sys.stderr)
        return 2
    with (
        tempfile.TemporaryDirectory(prefix="sm-bench-") as tmp,
        make_run(run_env(Path(tmp) / "data")) as run,
    ):
        run.wait_until_up()
        result = uvloop.run(_scenario(run, args))
        run.stop()
    result = {
        "benchmark": "dashboard_speed",
        "hosts": args.hosts,
        "report_interval_s": args.interval,
        "minutes": args.minutes,
        **result,
        "targets": TARGETS,
        "cpus": os.cpu_count(),
    }
    if args.hold:
        print(json.dumps(result, indent=2))
        return 0
    result["met"] = _verdict(result)
    print(json.dumps(result, indent=2))
    return 0 if all(result["met"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
