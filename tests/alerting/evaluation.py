"""Helpers for the evaluator tests: an organization with agents and channels, reports as
stream entries, and what reached the `notifications` stream."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from redis.asyncio import Redis

from alert_service.channels.outbound import create_outbound_client
from alert_service.config import AlertSettings
from alert_service.domain.delivery import Deliverer
from alert_service.worker import AlertWorker
from core.crypto import SecretBox
from core.db import create_engine, create_sessionmaker
from core.notifications import NOTIFICATIONS_STREAM, Notification, decode_notification
from core.outbound import platform_stores
from core.reports import Report, Sample, encode_report
from core.settings import Settings
from core.stream_consumer import Entry
from harness.database import fetch
from harness.factories import TestUser, insert_agent, register_and_login


@dataclass
class Org:
    admin: TestUser
    org_id: int
    agent_id: int
    channel_id: int


async def make_org(
    auth_client: httpx.AsyncClient, settings: Settings, email: str = "ops@example.com"
) -> Org:
    """An organization without its default rules, one agent "web-1" and one webhook channel."""
    admin = await register_and_login(auth_client, email)
    assert admin.org_id is not None
    await fetch(settings.database_url, "DELETE FROM alert_rules WHERE org_id = $1", admin.org_id)
    agent_id = await insert_agent(settings, admin.org_id, "web-1")
    rows = await fetch(
        settings.database_url,
        "INSERT INTO notification_channels (org_id, type, name, config, enabled, daily_summary,"
        " updated_at) VALUES ($1, 'webhook', 'ops hook', '{\"url\": \"http://127.0.0.1:9/\"}',"
        " true, false, now()) RETURNING id",
        admin.org_id,
    )
    return Org(admin, admin.org_id, agent_id, rows[0]["id"])


async def point_channel_at(settings: Settings, channel_id: int, url: str) -> None:
    """The webhook channel now posts to `url` (a test's receiver)."""
    await fetch(
        settings.database_url,
        "UPDATE notification_channels SET config = jsonb_build_object('url', $1::text)"
        " WHERE id = $2",
        url,
        channel_id,
    )


async def add_rule(settings: Settings, org_id: int, **values: Any) -> int:
    rule = {
        "target_type": "agent",
        "agent_id": None,
        "monitor_id": None,
        "metric": "cpu",
        "condition": "gt",
        "threshold": 80.0,
        "for_seconds": 0,
        "severity": "critical",
        "renotify_seconds": 300,
        "labels": "{}",
        "match": "{}",
        "hysteresis": 0.0,
        "channel_ids": "[]",
    } | values
    rows = await fetch(
        settings.database_url,
        "INSERT INTO alert_rules (org_id, target_type, agent_id, monitor_id, metric, condition,"
        " threshold, for_seconds, severity, renotify_seconds, enabled, labels, match, hysteresis,"
        " channel_ids, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true,"
        " $11::jsonb, $12::jsonb, $13, $14::jsonb, now()) RETURNING id",
        org_id,
        *rule.values(),
    )
    return int(rows[0]["id"])


async def insert_monitor(
    settings: Settings,
    org_id: int,
    name: str,
    *,
    labels: str = "{}",
    status: str = "up",
    parent_id: int | None = None,
) -> int:
    """A monitor row as the probe keeps it (an HTTP check of example.com), in `status`."""
    rows = await fetch(
        settings.database_url,
        "INSERT INTO monitors (org_id, name, type, target, config, interval_seconds,"
        " retry_interval_seconds, retries, timeout_seconds, upside_down, labels, description,"
        " active, parent_id, updated_at, status, status_since, failures) VALUES ($1, $2,"
        " 'http', 'https://example.com/', '{}', 60, 60, 0, 10, false, $3::jsonb, '', true, $4,"
        " now(), $5, now(), 0) RETURNING id",
        org_id,
        name,
        labels,
        parent_id,
        status,
    )
    return int(rows[0]["id"])


async def set_monitor_status(settings: Settings, monitor_id: int, status: str) -> None:
    """What the probe writes when the monitor's state changes."""
    await fetch(
        settings.database_url,
        "UPDATE monitors SET status = $1, status_since = now() WHERE id = $2",
        status,
        monitor_id,
    )


_sequence = 0


def report(
    org: Org,
    ts: float,
    cpu: float | None = None,
    *,
    agent_id: int | None = None,
    series: list[Sample] | None = None,
    interval: float = 5,
) -> Report:
    return Report(
        id=secrets.token_hex(8),
        org_id=org.org_id,
        target_type="agent",
        target_id=agent_id or org.agent_id,
        source="agent",
        ts=ts,
        metrics={} if cpu is None else {"cpu_percent": cpu},
        series=series or [],
        interval=interval,
    )


def monitor_report(org: Org, monitor_id: int, ts: float, **metrics: float) -> Report:
    """A check's outcome as probe_service publishes it (metrics: `up()`, `down()`...)."""
    return Report(
        id=secrets.token_hex(8),
        org_id=org.org_id,
        target_type="monitor",
        target_id=monitor_id,
        source="probe",
        ts=ts,
        metrics=metrics,
        interval=60,
    )


# The state metrics of a check that found the monitor up, down, or behind a down parent.
def up(**extra: float) -> dict[str, float]:
    return {"monitor_up": 1, "monitor_down": 0, "monitor_unreachable": 0, **extra}


def down(**extra: float) -> dict[str, float]:
    return {"monitor_up": 0, "monitor_down": 1, "monitor_unreachable": 0, **extra}


def unreachable() -> dict[str, float]:
    return {"monitor_up": 0, "monitor_down": 0, "monitor_unreachable": 1}


def entries(*reports: Report) -> list[Entry]:
    global _sequence
    found = []
    for r in reports:
        _sequence += 1
        found.append((f"{int(time.time() * 1000)}-{_sequence}", {b"r": encode_report(r)}))
    return found


async def notifications(redis: Redis) -> list[Notification]:
    raw: list[tuple[str, dict[str, str]]] = await redis.xrange(NOTIFICATIONS_STREAM)  # type: ignore[assignment]
    return [decode_notification(fields["n"]) for _id, fields in raw]


async def kinds(redis: Redis) -> list[str]:
    return [n.kind for n in await notifications(redis)]


@asynccontextmanager
async def alert_worker(
    settings: Settings, redis: Redis, **config: Any
) -> AsyncIterator[AlertWorker]:
    """The worker's evaluation side in-process (a fresh cache: what a restart sees)."""
    engine = create_engine(settings)
    binary = Redis.from_url(settings.redis_url)  # as the worker has it: bytes, not str
    try:
        worker = AlertWorker(
            create_sessionmaker(engine),
            binary,
            settings,
            AlertSettings(public_url="https://status.example.com", **config),
        )
        await worker.start()
        yield worker
    finally:
        await binary.aclose()
        await engine.dispose()


@asynccontextmanager
async def running_deliverer(settings: Settings, **config: Any) -> AsyncIterator[Deliverer]:
    """The worker's delivery side in-process, sending until the block ends."""
    alert_settings = AlertSettings(
        outbound_allow_private=True, delivery_backoff_seconds=0.2, **config
    )
    engine = create_engine(settings)
    async with create_outbound_client(alert_settings) as http:
        deliverer = Deliverer(
            create_sessionmaker(engine),
            alert_settings,
            SecretBox(settings.secret_key),
            http,
            platform_stores(settings),
        )
        runner = asyncio.create_task(deliverer.run())
        try:
            yield deliverer
        finally:
            deliverer.stop()
            await runner
            await engine.dispose()


async def relay(redis: Redis, deliverer: Deliverer, after: str = "-") -> str:
    """Hands the `notifications` entries after `after` to the deliverer, as its stream
    consumer would; returns the last entry id (to pass next time)."""
    raw: list[tuple[bytes, dict[bytes, bytes]]] = await redis.xrange(  # type: ignore[assignment]
        NOTIFICATIONS_STREAM, min=after if after == "-" else f"({after}"
    )
    if raw:
        await deliverer.accept([(entry_id.decode(), fields) for entry_id, fields in raw])
        return raw[-1][0].decode()
    return after
