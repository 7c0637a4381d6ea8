"""Alert latency: a breaching report accepted → the webhook request received, under load.

Targets (issue 5): p99 < 2 s with 1,000 rules active and the pipeline taking 1,000 reports/s;
a host that stops reporting → offline notification within 3 intervals + 5 s.

Starts its own PostgreSQL, Redis and VictoriaMetrics, then ingestion, the history worker and
the alert worker as real processes, and a local webhook receiver. Background agents post
batches through /ingest/batch at the target rate while a probe agent alternates breaching
and healthy reports (each a firing or a resolved notification) and another agent stops.

Grouping is off here (ALERT_GROUP_WAIT_SECONDS=0, ALERT_GROUP_INTERVAL_SECONDS=0): this
measures the pipeline itself (evaluation, outbox, stream, group flush, paced delivery). With
the defaults, the first alert of a group also waits the group wait (10 s) on purpose, and
later changes to the same group up to the group interval (60 s); bench/alert_storm.py
measures that side.

    .venv/bin/python -m bench.alert_latency [--seconds 40] [--rate 1000] [--rules 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.ingest_load import agent_report
from core.settings import Settings
from harness.clients import asgi_client
from harness.database import fetch
from harness.datastores import datastores
from harness.factories import Agent, new_agent, register_and_login
from harness.http_recorder import Recorder, http_recorder
from harness.live import LiveService, live_service, module_process

LOAD_AGENTS = 20
# Each alert told alone and at once: the latency of the pipeline, not of the group wait.
NO_GROUPING = {"ALERT_GROUP_WAIT_SECONDS": "0", "ALERT_GROUP_INTERVAL_SECONDS": "0"}
# Never-breached rules spread over the load agents: every report is judged against many.
QUIET_RULES = [
    ("cpu", "gt", 99.5),
    ("memory", "gt", 99.0),
    ("disk", "gt", 99.0),
    ("swap", "gt", 99.0),
    ("load", "gt", 1000.0),
    ("temperature", "gt", 150.0),
    ("network_in", "gt", 1e12),
    ("process_count", "gt", 100_000.0),
]


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "count": len(values),
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


@contextmanager
def _platform(root: Path) -> Iterator[tuple[Settings, LiveService, Recorder]]:
    with ExitStack() as stack:
        settings = stack.enter_context(datastores(root, tsdb=True))
        logs = root / "logs"
        logs.mkdir()
        hook = stack.enter_context(http_recorder())
        ingestion = stack.enter_context(live_service("ingestion_service", settings, logs))
        stack.enter_context(module_process("history_service.worker", settings, logs))
        env = {
            "ALERT_OUTBOUND_ALLOW_PRIVATE": "true",
            "ALERT_OFFLINE_SCAN_SECONDS": "1",
            **NO_GROUPING,
        }
        stack.enter_context(module_process("alert_service.worker", settings, logs, extra_env=env))
        yield settings, ingestion, hook


async def _setup(settings: Settings, hook: Recorder, rules: int) -> dict[str, Any]:
    from auth_service.app import create_app

    async with asgi_client(create_app(settings)) as auth:
        user = await register_and_login(auth, "bench@example.com")
        agents = [await new_agent(auth, user, f"host-{i}") for i in range(LOAD_AGENTS + 2)]
    org_id, db = user.org_id, settings.database_url
    await fetch(db, "DELETE FROM alert_rules")
    await fetch(
        db,
        "INSERT INTO notification_channels (org_id, type, name, config, enabled, daily_summary,"
        " updated_at) VALUES ($1, 'webhook', 'bench', jsonb_build_object('url', $2::text), true,"
        " false, now())",
        org_id,
        hook.url("/hook"),
    )
    probe, offline, load = agents[0], agents[1], agents[2:]
    specs = [(probe.id, "cpu", "gt", 90.0), (offline.id, "host_offline", "ge", 3.0)]
    for i in range(rules - len(specs)):
        metric, condition, threshold = QUIET_RULES[i % len(QUIET_RULES)]
        specs.append((load[i % len(load)].id, metric, condition, threshold + i * 1e-3))
    for agent_id, metric, condition, threshold in specs:
        await fetch(
            db,
            "INSERT INTO alert_rules (org_id, agent_id, metric, condition, threshold, for_seconds,"
            " severity, renotify_seconds, enabled, updated_at) VALUES ($1, $2, $3, $4, $5, 0,"
            " 'critical', 3600, true, now())",
            org_id,
            agent_id,
            metric,
            condition,
            threshold,
        )
    return {"probe": probe, "offline": offline, "load": load}


def _report(cpu: float, interval: float = 5.0) -> dict[str, Any]:
    report = agent_report()
    report["cpu"]["percent"] = cpu
    return report | {"report_id": uuid.uuid4().hex, "timestamp": time.time(), "interval": interval}


async def _load(
    http: httpx.AsyncClient, url: str, agents: list[Agent], rate: float, stop: float
) -> int:
    """Batches of 10 reports per agent request, paced to `rate` reports/s in total."""
    per_request = 10
    period = per_request * len(agents) / rate
    sent = 0

    async def one_agent(token: str, offset: float) -> None:
        nonlocal sent
        await asyncio.sleep(offset)
        next_at = time.monotonic()
        while time.monotonic() < stop:
            batch = {"reports": [_report(cpu=30.0) for _ in range(per_request)]}
            response = await http.post(
                f"{url}/ingest/batch", json=batch, headers={"X-Agent-Token": token}
            )
            if response.status_code < 300:
                sent += per_request
            next_at += period
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))

    await asyncio.gather(
        *(one_agent(a.token, i * period / len(agents)) for i, a in enumerate(agents))
    )
    return sent


async def _probe(http: httpx.AsyncClient, url: str, token: str, stop: float) -> list[float]:
    """Alternates breach / recovery every 2 s; returns when each report was accepted."""
    accepted: list[float] = []
    breach = True
    while time.monotonic() < stop - 4:
        response = await http.post(
            f"{url}/ingest",
            json=_report(99.0 if breach else 10.0),
            headers={"X-Agent-Token": token},
        )
        response.raise_for_status()
        accepted.append(time.time())
        breach = not breach
        await asyncio.sleep(2)
    return accepted


async def _offline(http: httpx.AsyncClient, url: str, token: str) -> float:
    """Reports every second for 5 s, then stops; returns when the last one was accepted."""
    last = 0.0
    for _ in range(5):
        response = await http.post(
            f"{url}/ingest", json=_report(10.0, interval=1.0), headers={"X-Agent-Token": token}
        )
        response.raise_for_status()
        last = time.time()
        await asyncio.sleep(1)
    return last


async def _run(
    settings: Settings,
    ingestion: LiveService,
    hook: Recorder,
    seconds: float,
    rate: float,
    rules: int,
) -> dict[str, Any]:
    agents = await _setup(settings, hook, rules)
    await asyncio.sleep(3)  # the worker reloads its rule book every 2 s
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        started = time.monotonic()
        stop = started + seconds
        load, accepted, last_offline = await asyncio.gather(
            _load(http, ingestion.url, agents["load"], rate, stop),
            _probe(http, ingestion.url, agents["probe"].token, stop),
            _offline(http, ingestion.url, agents["offline"].token),
        )
        elapsed = time.monotonic() - started
    probe_name, offline_name = agents["probe"].name, agents["offline"].name
    await asyncio.to_thread(
        hook.wait_for,
        lambda r: (
            sum(1 for x in r if x.json()["fields"].get("host") == probe_name) >= len(accepted)
        ),
        30,
    )
    arrivals = [r for r in hook.to("/hook") if r.json()["fields"].get("host") == probe_name]
    latencies = [got.at - sent for sent, got in zip(accepted, arrivals, strict=False)]
    offline = [r for r in hook.to("/hook") if r.json()["fields"].get("host") == offline_name]
    offline_after = offline[0].at - last_offline if offline else None
    return {
        "benchmark": "alert_latency",
        "rules": rules,
        "load_reports_per_s": round(load / elapsed, 1),
        "target_reports_per_s": rate,
        "notifications": [r.json()["kind"] for r in arrivals][:6],
        "breach_to_webhook": {**_stats(latencies), "target_p99_ms": 2000},
        "offline_after_last_report_s": None if offline_after is None else round(offline_after, 2),
        "offline_target_s": 3 * 1 + 5,
        "grouping": NO_GROUPING,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--rules", type=int, default=1000)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="sm-alerts-") as tmp,
        _platform(Path(tmp)) as (settings, ingestion, hook),
    ):
        try:
            result = asyncio.run(
                _run(settings, ingestion, hook, args.seconds, args.rate, args.rules)
            )
        except BaseException:
            kept = shutil.copytree(
                Path(tmp) / "logs", tempfile.mkdtemp(prefix="sm-alerts-logs-"), dirs_exist_ok=True
            )
            print(f"benchmark failed; service logs kept in {kept}", file=sys.stderr)
            raise
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
