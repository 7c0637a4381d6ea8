"""Login flood: /health and /refresh latency while N logins run at once (target p95 < 50 ms).

Starts its own PostgreSQL and Redis in a temp dir, runs the auth service as a real uvicorn
process, registers N users, then keeps each of them logging in, all at once, for a while (each
login an argon2 verification) and meanwhile times /health and a chain of /refresh calls.
The same probes are timed first on the idle service for comparison. Prints JSON.

    .venv/bin/python -m bench.login_flood [--logins 16] [--seconds 10] [--hash-workers N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import httpx

from core.settings import Settings
from harness.datastores import datastores
from harness.live import live_service

PASSWORD = "benchmark password"  # noqa: S105 - a throwaway local account
PAUSE = 0.02  # between two probes of one kind


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(name: str, timings: list[float]) -> dict[str, float | int]:
    return {
        f"{name}_requests": len(timings),
        f"{name}_p50_ms": round(statistics.median(timings), 1),
        f"{name}_p95_ms": round(_percentile(timings, 0.95), 1),
        f"{name}_max_ms": round(max(timings), 1),
    }


async def _timed(request: Awaitable[httpx.Response]) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = await request
    return (time.perf_counter() - started) * 1000, response


async def _probe_health(client: httpx.AsyncClient, stop: asyncio.Event) -> list[float]:
    timings = []
    while not stop.is_set():
        elapsed, response = await _timed(client.get("/health"))
        response.raise_for_status()
        timings.append(elapsed)
        await asyncio.sleep(PAUSE)
    return timings


async def _probe_refresh(
    client: httpx.AsyncClient, refresh_token: str, stop: asyncio.Event
) -> list[float]:
    """Refresh tokens are single use: each call spends the token the previous one returned."""
    timings = []
    while not stop.is_set():
        elapsed, response = await _timed(
            client.post("/refresh", json={"refresh_token": refresh_token})
        )
        response.raise_for_status()
        refresh_token = response.json()["refresh_token"]
        timings.append(elapsed)
        await asyncio.sleep(PAUSE)
    return timings


def _user(i: int) -> str:
    return f"bench-{i}@example.com"


async def _login(client: httpx.AsyncClient, username: str) -> httpx.Response:
    return await client.post("/token", data={"username": username, "password": PASSWORD})


async def _keep_logging_in(
    client: httpx.AsyncClient, username: str, stop: asyncio.Event
) -> list[float]:
    timings = []
    while not stop.is_set():
        elapsed, response = await _timed(_login(client, username))
        response.raise_for_status()
        timings.append(elapsed)
    return timings


async def _probes(base: str, seconds: float, logins: int) -> dict[str, list[float]]:
    limits = httpx.Limits(max_connections=logins + 4)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        refresh_token = (await _login(client, _user(0))).json()["refresh_token"]
        stop = asyncio.Event()
        floods = [
            asyncio.create_task(_keep_logging_in(client, _user(i), stop)) for i in range(logins)
        ]
        if logins:
            await asyncio.sleep(1)  # let the flood build up before measuring
        health = asyncio.create_task(_probe_health(client, stop))
        refresh = asyncio.create_task(_probe_refresh(client, refresh_token, stop))
        await asyncio.sleep(seconds)
        stop.set()
        login_timings = [t for flood in floods for t in await flood]
        return {"health": await health, "refresh": await refresh, "login": login_timings}


def _run(settings: Settings, log_dir: Path, args: argparse.Namespace) -> dict[str, object]:
    with live_service("auth_service", settings, log_dir) as service:
        for i in range(max(args.logins, 1)):
            registered = httpx.post(
                f"{service.url}/register",
                json={"username": _user(i), "password": PASSWORD},
                timeout=30,
            )
            registered.raise_for_status()
        idle = asyncio.run(_probes(service.url, min(args.seconds, 3), 0))
        flood = asyncio.run(_probes(service.url, args.seconds, args.logins))
    return {
        "benchmark": "login_flood",
        "concurrent_logins": args.logins,
        "seconds": args.seconds,
        "password_hash_workers": settings.password_hash_workers,
        "logins_completed": len(flood["login"]),
        "login_p50_ms": round(statistics.median(flood["login"]), 1),
        **_summary("health", flood["health"]),
        **_summary("refresh", flood["refresh"]),
        "idle_health_p95_ms": round(_percentile(idle["health"], 0.95), 1),
        "idle_refresh_p95_ms": round(_percentile(idle["refresh"], 0.95), 1),
        "target_p95_ms": 50,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logins", type=int, default=16, help="logins kept in flight")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--hash-workers", type=int, default=None)
    args = parser.parse_args()
    overrides: dict[str, Any] = {"log_level": "WARNING", "registration_policy": "open"}
    if args.hash_workers:
        overrides["password_hash_workers"] = args.hash_workers
    with (
        tempfile.TemporaryDirectory(prefix="sm-bench-") as tmp,
        datastores(Path(tmp), **overrides) as settings,
    ):
        result = _run(settings, Path(tmp), args)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
