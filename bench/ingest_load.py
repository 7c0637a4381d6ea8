"""Ingestion throughput and latency: simulated agents POSTing realistic reports to /ingest.

Starts its own PostgreSQL and Redis (AOF on, as `make run` runs it) in a temp dir, migrates,
registers agents through the auth service (in-process), and runs the ingestion service as a
real uvicorn process (uvloop + httptools) with 1 and then 2 workers. For each:

- max throughput: `wrk` (installed with apt-get when missing and we are root), one thread,
  keep-alive connections, every request a different agent's token in turn;
- latency at a fixed 1,000 reports/s: an open-loop asyncio generator in its own process
  (requests are scheduled on a fixed clock and timed from their scheduled start, so a stall
  is not hidden by the generator waiting for it), reporting p50/p95/p99;
- the count: stream entries added during the fixed-rate run equal its 2xx answers exactly
  (wrk abandons requests in flight when it stops, so for it the difference is reported).

    .venv/bin/python -m bench.ingest_load [--workers 1 2] [--seconds 15] [--agents 200]

Prints one JSON object per worker count, then a summary line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
from redis import Redis

from core.dev.datastores import free_port
from core.settings import Settings
from harness.clients import asgi_client
from harness.datastores import datastores
from harness.factories import new_agent, register_and_login
from harness.live import settings_env, wait_healthy
from harness.polling import eventually_sync

TARGET_RPS = 3000
TARGET_P99_MS = 50


def agent_report(cores: int = 4) -> dict[str, Any]:
    """What our agent sends every interval (host info only once per start, so not here)."""
    interface = {
        "bytes_sent": 9_876_543_210, "bytes_recv": 12_345_678_901, "packets_sent": 7_654_321,
        "packets_recv": 9_876_543, "errin": 0, "errout": 0, "dropin": 12, "dropout": 0,
        "sent_bytes_per_s": 10_240.5, "recv_bytes_per_s": 40_960.25,
    }  # fmt: skip
    return {
        "cpu": {
            "percent": 23.5,
            "per_core_usage": [21.0 + core for core in range(cores)],
            "freq": {"current": 2400.0, "min": 800.0, "max": 3600.0},
            "load_avg": [0.42, 0.38, 0.35],
        },
        "memory": {"percent": 61.2, "used": 5_100_000_000, "total": 8_300_000_000,
                   "available": 3_200_000_000},
        "swap": {"percent": 2.0, "used": 40_000_000, "total": 2_000_000_000},
        "disk": {"percent": 48.1, "used": 48_000_000_000, "total": 100_000_000_000,
                 "free": 52_000_000_000},
        "partitions": [
            {"mountpoint": "/", "device": "/dev/sda1", "fstype": "ext4", "percent": 48.1,
             "used": 48_000_000_000, "total": 100_000_000_000},
            {"mountpoint": "/var/lib/data", "device": "/dev/sdb1", "fstype": "xfs",
             "percent": 71.9, "used": 719_000_000_000, "total": 1_000_000_000_000},
        ],
        "disk_io": {"read_bytes_per_s": 102_400.0, "write_bytes_per_s": 409_600.0},
        "network": {
            "bytes_sent": 9_876_543_210, "bytes_recv": 12_345_678_901,
            "packets_sent": 7_654_321, "packets_recv": 9_876_543,
            "sent_bytes_per_s": 10_240.5, "recv_bytes_per_s": 40_960.25,
            "interfaces": {"eth0": interface, "docker0": {**interface, "bytes_sent": 1234}},
        },
        "temperatures": {"coretemp_package_id_0": 51.0, "acpitz": 45.0},
        "uptime_seconds": 864_000.0,
        "process_count": 187,
        "interval": 5.0,
    }  # fmt: skip


# -- the platform under test -----------------------------------------------------------------


async def create_agents(settings: Settings, count: int) -> list[str]:
    from auth_service.app import create_app

    async with asgi_client(create_app(settings)) as client:
        user = await register_and_login(client, "bench@example.com")
        return [(await new_agent(client, user, f"host-{i:04d}")).token for i in range(count)]


@contextmanager
def ingestion_service(settings: Settings, workers: int, log: Path) -> Iterator[str]:
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "ingestion_service.app:create_app",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--loop", "uvloop", "--http", "httptools",
    ]  # fmt: skip
    env = {**os.environ, **settings_env(settings)}
    with log.open("ab") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, server, within=30)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def warm_up(url: str, tokens: list[str], body: bytes) -> None:
    """Every token used once: activates it (a database write) outside the measurement."""
    with httpx.Client(base_url=url, timeout=30) as client:
        for token in tokens:
            answer = client.post("/ingest", headers=_headers(token), content=body)
            answer.raise_for_status()


def _headers(token: str) -> dict[str, str]:
    return {"X-Agent-Token": token, "Content-Type": "application/json"}


def stream_length(settings: Settings) -> int:
    with Redis.from_url(settings.redis_url) as redis:
        return int(redis.xlen("reports"))


def compact_redis(settings: Settings) -> None:
    """Empties the stream and rewrites the append-only file, waiting until that is done."""
    with Redis.from_url(settings.redis_url) as redis:
        redis.delete("reports")
        redis.bgrewriteaof()
        time.sleep(0.2)
        eventually_sync(
            lambda: not redis.info("persistence")["aof_rewrite_in_progress"],
            within=600,
            what="the append-only file rewritten",
        )


# -- max throughput with wrk -----------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: apt-get install wrk")
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)  # noqa: S607
    return shutil.which("wrk") or "wrk"


def _wrk_script(tokens: list[str], body: bytes) -> str:
    token_list = ", ".join(json.dumps(token) for token in tokens)
    return f"""
local tokens = {{{token_list}}}
local body = {json.dumps(body.decode())}
local n = 0
request = function()
  n = n + 1
  local headers = {{["X-Agent-Token"] = tokens[(n % #tokens) + 1],
                   ["Content-Type"] = "application/json"}}
  return wrk.format("POST", "/ingest", headers, body)
end
"""


def run_wrk(
    wrk: str, url: str, tokens: list[str], body: bytes, seconds: int, connections: int
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_wrk_script(tokens, body))
    try:
        command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s"]
        output = subprocess.run(  # noqa: S603
            [*command, script.name, url], check=True, capture_output=True, text=True
        ).stdout
    finally:
        os.unlink(script.name)
    completed = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "reports_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        "completed": completed,
        "accepted": completed - (int(non_2xx.group(1)) if non_2xx else 0),
        "socket_errors": errors.group(1).strip() if errors else None,
        "p50_ms": _wrk_percentile(output, "50%"),
        "p99_ms": _wrk_percentile(output, "99%"),
    }


def _wrk_percentile(output: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()  # type: ignore[union-attr]
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)


# -- latency at a fixed rate: an open-loop generator in its own process ----------------------


async def _generate(
    port: int, requests: list[bytes], rate: float, total: int, conns: int
) -> dict[str, Any]:
    idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(conns):
        idle.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    tasks = []
    start = time.perf_counter() + 0.2

    async def send(index: int, scheduled: float) -> None:
        reader, writer = await idle.get()  # waiting for a free connection counts as latency
        writer.write(requests[index % len(requests)])
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - scheduled)
        statuses[int(head[9:12])] += 1
        idle.put_nowait((reader, writer))

    for index in range(total):
        scheduled = start + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(index, scheduled)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "rate_target": rate,
        "rate_achieved": round(total / elapsed, 1),
        "requests": total,
        "statuses": {str(k): v for k, v in statuses.items()},
        **{f"p{q}_ms": round(latencies[int(len(latencies) * q / 100) - 1] * 1000, 2)
           for q in (50, 95, 99)},
        "max_ms": round(latencies[-1] * 1000, 2),
    }  # fmt: skip


def _http_request(token: str, body: bytes) -> bytes:
    head = (
        f"POST /ingest HTTP/1.1\r\nHost: bench\r\nX-Agent-Token: {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def generator_main(spec: dict[str, Any]) -> None:
    import uvloop

    requests = [_http_request(token, spec["body"].encode()) for token in spec["tokens"]]
    total = int(spec["rate"] * spec["seconds"])
    result = uvloop.run(_generate(spec["port"], requests, spec["rate"], total, spec["connections"]))
    sys.stdout.write(json.dumps(result) + "\n")


def run_fixed_rate(
    url: str, tokens: list[str], body: bytes, rate: int, seconds: int, connections: int
) -> dict[str, Any]:
    spec = {
        "port": int(url.rsplit(":", 1)[1]),
        "tokens": tokens,
        "body": body.decode(),
        "rate": rate,
        "seconds": seconds,
        "connections": connections,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as spec_file:
        json.dump(spec, spec_file)
    try:
        run = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.ingest_load", "--generator", spec_file.name],
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(spec_file.name)
    if run.returncode != 0:
        raise RuntimeError(f"the load generator failed:\n{run.stderr[-3000:]}")
    output = run.stdout
    result: dict[str, Any] = json.loads(output)
    return result


# -- the benchmark ---------------------------------------------------------------------------


def measure(
    settings: Settings, tokens: list[str], workers: int, args: argparse.Namespace, log: Path
) -> dict[str, Any]:
    body = orjson.dumps(agent_report())
    wrk = ensure_wrk()
    with ingestion_service(settings, workers, log) as url:
        warm_up(url, tokens, body)
        # Latency first, on a compact Redis: the burst below appends hundreds of megabytes,
        # and the AOF rewrite that triggers would otherwise land in the middle of this run.
        compact_redis(settings)
        before = stream_length(settings)
        steady = run_fixed_rate(url, tokens, body, args.rate, args.seconds, args.connections)
        steady["stream_entries"] = stream_length(settings) - before
        compact_redis(settings)
        before = stream_length(settings)
        burst = run_wrk(wrk, url, tokens, body, args.seconds, args.connections)
        time.sleep(1)  # requests wrk abandoned in flight finish
        burst["stream_entries"] = stream_length(settings) - before
        burst["in_flight_when_wrk_stopped"] = burst["stream_entries"] - burst["accepted"]
    return {
        "benchmark": "ingest_load",
        "workers": workers,
        "report_bytes": len(body),
        "agents": len(tokens),
        "max_reports_per_s": burst["reports_per_s"],
        "max_run": burst,
        f"p99_ms_at_{args.rate}_rps": steady["p99_ms"],
        "fixed_rate_run": steady,
        "accepted": steady["statuses"].get("200", 0),
        "stream_entries": steady["stream_entries"],
        "count_matches": steady["statuses"].get("200", 0) == steady["stream_entries"],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--generator", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generator:
        generator_main(json.loads(Path(args.generator).read_text()))
        return 0
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="sm-bench-ingest-") as tmp,
        datastores(Path(tmp), persist_redis=True) as settings,
    ):
        tokens = asyncio.run(create_agents(settings, args.agents))
        logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per warm-up request
        for workers in args.workers:
            result = measure(settings, tokens, workers, args, Path(tmp) / "ingestion.log")
            results.append(result)
            sys.stdout.write(json.dumps(result) + "\n")
            sys.stdout.flush()
    one = next((r for r in results if r["workers"] == 1), None)
    if one is not None:
        summary = {
            "target_reports_per_s": TARGET_RPS,
            "target_p99_ms": TARGET_P99_MS,
            "throughput_ok": one["max_reports_per_s"] >= TARGET_RPS,
            "latency_ok": one[f"p99_ms_at_{args.rate}_rps"] < TARGET_P99_MS,
            "counts_ok": all(r["count_matches"] for r in results),
        }
        sys.stdout.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
