"""Freshness: a report accepted by ingestion → on a WebSocket client, and → queryable in history.

Targets: WebSocket p99 < 250 ms; history p99 < 5 s. Starts its own PostgreSQL, Redis and
VictoriaMetrics in a temp dir, then ingestion, distribution, history and the history worker
as real processes, creates an agent through the auth service (in-process) and posts reports
at a steady rate while a WebSocket client listens and a poller watches the history API.

    .venv/bin/python -m bench.freshness [--reports 300] [--rate 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import websockets

from core.settings import Settings
from harness.clients import asgi_client
from harness.datastores import datastores
from harness.factories import user_with_agent
from harness.live import LiveService, live_service, module_process
from harness.polling import eventually


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "count": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "p99_ms": round(_percentile(values, 0.99), 1),
        "max_ms": round(max(values), 1),
    }


@contextmanager
def _platform(root: Path) -> Iterator[tuple[Settings, dict[str, LiveService]]]:
    with ExitStack() as stack:
        settings = stack.enter_context(datastores(root, tsdb=True))
        logs = root / "logs"
        logs.mkdir()
        services = {
            name: stack.enter_context(live_service(f"{name}_service", settings, logs))
            for name in ("ingestion", "distribution", "history")
        }
        stack.enter_context(module_process("history_service.worker", settings, logs))
        yield settings, services


def _report(seq: int) -> dict[str, object]:
    return {
        "report_id": uuid.uuid4().hex,
        "timestamp": time.time(),
        "interval": 1,
        "cpu": {"percent": float(seq % 100), "per_core_usage": [10.0, 20.0, 30.0, 40.0]},
        "memory": {"percent": 50.0, "used": 8e9, "total": 16e9, "available": 8e9},
        "disk": {"percent": 40.0, "used": 2e11, "total": 5e11, "free": 3e11},
    }


async def _run(
    settings: Settings, services: dict[str, LiveService], reports: int, rate: float, warmup: float
) -> dict[str, object]:
    from auth_service.app import create_app

    async with asgi_client(create_app(settings)) as auth:
        agent = await user_with_agent(auth, "bench@example.com", "fresh")
    user = agent.owner
    ws_url = (
        services["distribution"].url.replace("http", "ws")
        + f"/ws/{agent.id}?token={user.access_token}"
    )
    accepted_at: dict[float, float] = {}  # cpu percent value is not unique; key by report ts
    ws_latency: list[float] = []
    history_latency: list[float] = []
    async with websockets.connect(ws_url) as ws, httpx.AsyncClient(timeout=10) as http:

        async def listen() -> None:
            while len(ws_latency) < reports:
                frame = json.loads(await ws.recv())
                if "ts" in frame and frame["ts"] in accepted_at:
                    ws_latency.append((time.perf_counter() - accepted_at[frame["ts"]]) * 1000)

        async def watch_history(ts: float, accepted: float) -> None:
            url = f"{services['history'].url}/history/{agent.id}/cpu"

            async def stored() -> bool:
                body = (await http.get(url, params={"start": "-2m"}, headers=user.headers)).json()
                stamps = [
                    t
                    for s in body["series"]
                    if s["name"] == "cpu_percent"
                    for t, v in zip(s["timestamps"], s["values"], strict=True)
                    if v is not None
                ]
                return bool(stamps) and max(stamps) >= int(ts)

            await eventually(stored, within=60, what="the report in history")
            history_latency.append((time.perf_counter() - accepted) * 1000)

        for seq in range(int(warmup * rate)):  # the worker and new series settle first
            await http.post(
                f"{services['ingestion'].url}/ingest",
                json=_report(seq),
                headers={"X-Agent-Token": agent.token},
            )
            await asyncio.sleep(1 / rate)
        listener = asyncio.create_task(listen())
        watchers = []
        for seq in range(reports):
            payload = _report(seq)
            ts = float(str(payload["timestamp"]))
            # Timed from the send: the frame may reach the socket before the 2xx reaches us.
            started = accepted_at[ts] = time.perf_counter()
            response = await http.post(
                f"{services['ingestion'].url}/ingest",
                json=payload,
                headers={"X-Agent-Token": agent.token},
            )
            response.raise_for_status()
            if seq % 10 == 0:
                watchers.append(asyncio.create_task(watch_history(ts, started)))
            await asyncio.sleep(1 / rate)
        await asyncio.wait_for(listener, timeout=30)
        await asyncio.wait_for(asyncio.gather(*watchers), timeout=60)
    return {
        "benchmark": "freshness",
        "reports": reports,
        "rate_per_s": rate,
        "warmup_s": warmup,
        "to_websocket": {**_stats(ws_latency), "target_p99_ms": 250},
        "to_history": {**_stats(history_latency), "target_p99_ms": 5000},
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=10, help="seconds before measuring")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="sm-fresh-") as tmp,
        _platform(Path(tmp)) as (settings, services),
    ):
        result = asyncio.run(_run(settings, services, args.reports, args.rate, args.warmup))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
