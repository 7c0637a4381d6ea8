"""An alert storm to test and measure: many hosts under a host_offline rule, one Telegram chat
served by a local stand-in for the Bot API, and the hosts' last reports in Redis as ingestion
writes them (tests/e2e/test_alert_storm.py, bench/alert_storm.py)."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

import httpx
from redis.asyncio import Redis

from core.live import latest_key
from core.reports import encode_report
from core.settings import Settings
from harness.database import fetch
from harness.http_recorder import Recorded, Recorder, Reply
from tests.alerting.evaluation import Org, add_rule, make_org, report

BOT_TOKEN = "123456:storm-test-token"
CHAT_ID = "4242"
NAMED = re.compile(r"^#\d+ (host-\d{3}) is offline", re.MULTILINE)


@dataclass
class Storm:
    org: Org
    hosts: dict[int, str]  # agent id -> name
    silent_at: float  # when the last of them reported


def bot_api(got: Recorded) -> Reply:
    """sendMessage as the Bot API answers it."""
    message = {"message_id": 1, "date": int(time.time()), "chat": {"id": 4242, "type": "private"}}
    body = {"ok": True, "result": message | {"text": got.form().get("text", "")}}
    return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


def sent(api: Recorder) -> list[Recorded]:
    return api.to(f"/bot{BOT_TOKEN}/sendMessage")


def named(requests: list[Recorded]) -> list[str]:
    return [name for r in requests for name in NAMED.findall(r.form()["text"])]


def worker_env(api: Recorder, **extra: str) -> dict[str, str]:
    return {"TELEGRAM_API_URL": api.url(), "TELEGRAM_BOT_TOKEN": BOT_TOKEN, **extra}


async def silent_hosts(
    auth_client: httpx.AsyncClient, settings: Settings, count: int, interval: float
) -> Storm:
    """`count` hosts under a host_offline rule (3 missed intervals) with one Telegram chat;
    each last reported at its own moment within one interval before now, as hosts on one
    switch do when it dies."""
    org = await make_org(auth_client, settings)
    db = settings.database_url
    await fetch(db, "DELETE FROM notification_channels WHERE org_id = $1", org.org_id)
    await telegram_channel(settings, org.org_id)
    rows = await fetch(
        db,
        "INSERT INTO agents (org_id, name, token_hash, token_created_at, host_info, labels)"
        " SELECT $1, 'host-' || lpad(i::text, 3, '0'), md5(i::text || random()::text)"
        " || md5(random()::text), now(), '{}', '{}' FROM generate_series(0, $2 - 1) AS i"
        " RETURNING id, name",
        org.org_id,
        count,
    )
    await fetch(db, "DELETE FROM agents WHERE id = $1", org.agent_id)  # only the storm's hosts
    await add_rule(settings, org.org_id, metric="host_offline", condition="ge", threshold=3)
    hosts = {row["id"]: row["name"] for row in rows}
    now = time.time()
    redis = Redis.from_url(settings.redis_url)
    await redis.hset(
        latest_key(org.org_id),
        mapping={
            str(agent_id): encode_report(
                report(org, now - interval * i / count, agent_id=agent_id, interval=interval)
            )
            for i, agent_id in enumerate(hosts)
        },
    )
    await redis.aclose()
    return Storm(org, hosts, now)


async def telegram_channel(settings: Settings, org_id: int) -> int:
    """A Telegram channel to CHAT_ID (the bot token comes from the worker's environment)."""
    rows = await fetch(
        settings.database_url,
        "INSERT INTO notification_channels (org_id, type, name, config, enabled, daily_summary,"
        " updated_at) VALUES ($1, 'telegram', 'on call', jsonb_build_object('chat_id', $2::text),"
        " true, false, now()) RETURNING id",
        org_id,
        CHAT_ID,
    )
    return int(rows[0]["id"])
