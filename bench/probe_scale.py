"""Probe scale: 5,000 HTTP monitors at a 60 s interval from one probe process, and 10,000
push monitors each marked late within 1 s of its deadline (issue 12).

Starts its own PostgreSQL and Redis, a local HTTP server in a process of its own (uvicorn,
a tiny ASGI app answering 200), and runs the probe worker in this process so its scheduler's
lags can be read. Prints JSON: lag percentiles (how late each check started after its due
time), checks done, the worker's CPU (per cent of one core) and peak RSS; then the push
lateness (status written down minus deadline) percentiles.

    .venv/bin/python -m bench.probe_scale [--monitors 5000] [--rounds 3] [--push 10000]

(0 skips that part.) --uptime N: the uptime figures of N monitors with a year of rollups;
--rows N: the list's heartbeat bars and sparklines for N rows with a day of checks each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from redis.asyncio import Redis
from sqlalchemy import insert, select, text

from core.db import create_engine, create_sessionmaker
from core.models import Monitor, MonitorCheck, Organization
from core.settings import Settings
from core.worker_factory import serve
from harness.datastores import datastores
from probe_service.config import ProbeSettings
from probe_service.domain import records
from probe_service.domain.prober import Prober
from probe_service.worker import probe

SERVER_APP = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    (root / "okapp.py").write_text(SERVER_APP)
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "uvicorn", "okapp:app", "--port", str(port), "--log-level",
         "warning", "--no-access-log", "--backlog", "4096"],
        cwd=root,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(url, timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the HTTP server did not start")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def insert_org(settings: Settings) -> int:
    engine = create_engine(settings)
    async with create_sessionmaker(engine)() as session, session.begin():
        org_id = await session.scalar(
            insert(Organization).values(name="bench").returning(Organization.id)
        )
    await engine.dispose()
    assert org_id is not None
    return int(org_id)


async def insert_rows(settings: Settings, rows: list[dict[str, Any]]) -> None:
    engine = create_engine(settings)
    async with create_sessionmaker(engine)() as session, session.begin():
        for start in range(0, len(rows), 2000):
            await session.execute(insert(Monitor), rows[start : start + 2000])
    await engine.dispose()


async def http_bench(settings: Settings, url: str, monitors: int, rounds: int) -> dict[str, Any]:
    org_id = await insert_org(settings)
    await insert_rows(
        settings,
        [
            {"org_id": org_id, "name": f"site {i}", "type": "http", "target": f"{url}/m{i}",
             "config": {}, "interval_seconds": 60, "retry_interval_seconds": 60,
             "timeout_seconds": 10, "labels": {}}
            for i in range(monitors)
        ],
    )  # fmt: skip
    kept: list[Prober] = []
    stop = asyncio.Event()
    config = ProbeSettings(max_per_host=64)
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    worker = asyncio.create_task(
        serve(lambda ctx: probe(ctx, kept.append), settings, config, stop=stop)
    )
    await asyncio.sleep(60 * rounds + 5)
    stop.set()
    await worker
    elapsed = time.monotonic() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    lags = list(kept[0].lags)
    engine = create_engine(settings)
    async with create_sessionmaker(engine)() as session:
        stored = len(list(await session.scalars(select(MonitorCheck.id))))
    await engine.dispose()
    return {
        "monitors": monitors,
        "interval_s": 60,
        "seconds": round(elapsed, 1),
        "checks": len(lags),
        "checks_stored": stored,
        "checks_per_s": round(len(lags) / elapsed, 1),
        "lag_p50_ms": round(pct(lags, 0.5) * 1000, 1),
        "lag_p99_ms": round(pct(lags, 0.99) * 1000, 1),
        "lag_max_ms": round(max(lags) * 1000, 1),
        "cpu_percent_of_one_core": round(100 * cpu / elapsed, 1),
        "peak_rss_mb": round(cpu_after.ru_maxrss / 1024, 1),
    }


async def push_bench(settings: Settings, count: int) -> dict[str, Any]:
    org_id = await insert_org(settings)
    start = datetime.now(UTC) + timedelta(seconds=15)
    deadlines = {f"p{i}": start + timedelta(seconds=30 * i / count) for i in range(count)}
    await insert_rows(
        settings,
        [
            {"org_id": org_id, "name": key, "type": "push", "target": "", "status": "up",
             "config": {"period_seconds": 3600, "grace_seconds": 60}, "labels": {},
             "push_key": key + "x" * 20, "push_deadline": deadline}
            for key, deadline in deadlines.items()
        ],
    )  # fmt: skip
    stop = asyncio.Event()
    worker = asyncio.create_task(serve(probe, settings, ProbeSettings(), stop=stop))
    await asyncio.sleep(15 + 30 + 5)
    stop.set()
    await worker
    engine = create_engine(settings)
    async with create_sessionmaker(engine)() as session:
        rows = (
            await session.execute(
                select(Monitor.name, MonitorCheck.checked_at)
                .join(MonitorCheck, MonitorCheck.monitor_id == Monitor.id)
                .where(Monitor.type == "push", MonitorCheck.status == "down")
            )
        ).all()
    await engine.dispose()
    late: dict[str, float] = {}
    for name, checked_at in rows:
        late.setdefault(name, (checked_at - deadlines[name]).total_seconds())
    values = list(late.values())
    return {
        "push_monitors": count,
        "marked_down": len(late),
        "late_by_p50_ms": round(statistics.median(values) * 1000, 1),
        "late_by_p99_ms": round(pct(values, 0.99) * 1000, 1),
        "late_by_max_ms": round(max(values) * 1000, 1),
        "within_1s": sum(1 for v in values if v <= 1.0),
    }


async def uptime_bench(settings: Settings, monitors: int) -> dict[str, Any]:
    """A year of daily and a day of hourly rollups for every monitor, then the figures of all
    of them (the list page) and the daily bars too, as GET /monitors/uptime answers."""
    org_id = await insert_org(settings)
    await insert_rows(
        settings,
        [
            {"org_id": org_id, "name": f"m{i}", "type": "push", "target": "", "config": {},
             "labels": {}}
            for i in range(monitors)
        ],
    )  # fmt: skip
    engine = create_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session, session.begin():
        await session.execute(
            text(
                "INSERT INTO monitor_rollups (monitor_id, period, bucket, org_id, up, degraded,"
                " down, unreachable, response_ms_sum, response_count)"
                " SELECT m.id, p.period, b.bucket, m.org_id, 1400, 20, 20, 0, 140000.0, 1420"
                " FROM monitors m,"
                " (VALUES ('d', interval '1 day', 365), ('h', interval '1 hour', 24))"
                "   AS p(period, step, n),"
                " LATERAL (SELECT date_trunc(CASE p.period WHEN 'd' THEN 'day' ELSE 'hour' END,"
                "   now()) - p.step * g AS bucket FROM generate_series(0, p.n - 1) g) b"
            )
        )
        rows = await session.scalar(text("SELECT count(*) FROM monitor_rollups"))
    async with sessionmaker() as session:
        await session.execute(text("ANALYZE monitor_rollups"))
        redis = Redis.from_url(settings.redis_url)
        timings: dict[str, list[float]] = {
            "figures_uncached": [], "figures_cached": [], "one_monitor": [],
            "figures_and_bars": [],
        }  # fmt: skip
        for _ in range(5):
            for name, kwargs in (
                ("figures_uncached", {}),
                ("figures_cached", {"redis": redis}),
                ("one_monitor", {"monitor_id": 1, "days": True}),
                ("figures_and_bars", {"days": True, "redis": redis}),
            ):
                started = time.perf_counter()
                found = await records.uptime(session, org_id, **kwargs)
                timings[name].append(time.perf_counter() - started)
            found = await records.uptime(session, org_id)
        await redis.aclose()
    await engine.dispose()
    assert len(found) == monitors
    return {
        "monitors": monitors,
        "rollup_rows": rows,
        **{f"{k}_median_ms": round(statistics.median(v) * 1000, 1) for k, v in timings.items()},
    }


async def list_rows_bench(settings: Settings, rows: int) -> dict[str, Any]:
    """The monitors list's rows on screen, each a monitor checked every 60 s for a day: their
    heartbeat bars and sparklines from GET /monitors/heartbeats (one request), against what
    each row fetched before (its 24 h of checks, GET /monitors/{id}/checks)."""
    org_id = await insert_org(settings)
    await insert_rows(
        settings,
        [
            {"org_id": org_id, "name": f"row{i}", "type": "http", "target": "http://x/",
             "config": {}, "labels": {}}
            for i in range(rows)
        ],
    )  # fmt: skip
    engine = create_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session, session.begin():
        ids = list(await session.scalars(select(Monitor.id).where(Monitor.org_id == org_id)))
        await session.execute(
            text(
                "INSERT INTO monitor_checks (monitor_id, org_id, checked_at, status,"
                " response_ms, status_code, details)"
                " SELECT m.id, m.org_id, now() - interval '1 minute' * g, 'up', 80 + g % 40,"
                " 200, '{}' FROM monitors m, generate_series(0, 1439) g WHERE m.org_id = :org"
            ),
            {"org": org_id},
        )
    timings: dict[str, list[float]] = {"heartbeats": [], "checks_per_row": []}
    sizes: dict[str, int] = {}
    async with sessionmaker() as session:
        await session.execute(text("ANALYZE monitor_checks"))
        for _ in range(5):
            started = time.perf_counter()
            beats = await records.heartbeats(session, org_id, ids, 24, 48)
            body = b"[" + b",".join(b.model_dump_json().encode() for b in beats) + b"]"
            timings["heartbeats"].append(time.perf_counter() - started)
            sizes["heartbeats"] = len(body)
            started = time.perf_counter()
            total = 0
            for monitor_id in ids:
                found = await records.recent_checks(session, monitor_id, 24, 1442)
                total += 2 + sum(len(c.model_dump_json()) + 1 for c in found)
            timings["checks_per_row"].append(time.perf_counter() - started)
            sizes["checks_per_row"] = total
    await engine.dispose()
    return {
        "rows": rows,
        **{f"{k}_median_ms": round(statistics.median(v) * 1000, 1) for k, v in timings.items()},
        **{f"{k}_bytes": v for k, v in sizes.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--monitors", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--push", type=int, default=10_000)
    parser.add_argument("--uptime", type=int, default=5000, help="monitors with a year of rollups")
    parser.add_argument("--rows", type=int, default=20, help="list rows with a day of checks")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server, url = start_server(root)
        try:
            result = {}
            if args.monitors:  # 0 skips this part
                with datastores(root / "stores") as settings:
                    result["http"] = asyncio.run(
                        http_bench(settings, url, args.monitors, args.rounds)
                    )
            if args.push:
                with datastores(root / "stores2") as settings:
                    result["push"] = asyncio.run(push_bench(settings, args.push))
            if args.uptime:
                with datastores(root / "stores3") as settings:
                    result["uptime"] = asyncio.run(uptime_bench(settings, args.uptime))
            if args.rows:
                with datastores(root / "stores4") as settings:
                    result["list_rows"] = asyncio.run(list_rows_bench(settings, args.rows))
        finally:
            server.terminate()
            server.wait()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
