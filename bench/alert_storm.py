"""Alert storms: how many messages people get, and how soon every target is named.

Issue 9's target: 200 hosts falling silent at once give at most 10 messages naming all 200
within a minute; one report with 300 partitions at 99 % is 300 alerts but few messages per
channel. Starts its own PostgreSQL and Redis, the alert worker as a real process with its
default grouping and pacing, and local servers standing in for the Telegram Bot API and a
webhook.

    .venv/bin/python -m bench.alert_storm [--hosts 200] [--interval 5] [--partitions 300]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from core.reports import Sample
from core.settings import Settings
from core.streams import append_reports
from harness.clients import asgi_client
from harness.database import fetch
from harness.datastores import datastores
from harness.factories import insert_agent
from harness.http_recorder import Recorded, Recorder, http_recorder
from harness.live import module_process
from tests.alerting.evaluation import Org, add_rule, report
from tests.alerting.storm import bot_api, named, sent, silent_hosts, worker_env


def _gaps(messages: list[Recorded]) -> float | None:
    gaps = [b.at - a.at for a, b in itertools.pairwise(messages)]
    return round(min(gaps), 2) if gaps else None


async def _quiet(recorders: list[Recorder], settle: float = 5) -> None:
    """Waits until no request has arrived for `settle` seconds (the storm is over)."""
    count, quiet_since = -1, time.monotonic()
    while time.monotonic() - quiet_since < settle:
        now_count = sum(len(r.requests) for r in recorders)
        if now_count != count:
            count, quiet_since = now_count, time.monotonic()
        await asyncio.sleep(0.2)


async def _silent_hosts(
    settings: Settings, bot: Recorder, hosts: int, interval: float
) -> tuple[dict[str, Any], Org]:
    from auth_service.app import create_app

    async with asgi_client(create_app(settings)) as auth:
        storm = await silent_hosts(auth, settings, hosts, interval)
    everyone = sorted(storm.hosts.values())
    await asyncio.to_thread(bot.wait_for, lambda r: sorted(set(named(r))) == everyone, 180)
    await _quiet([bot])
    messages = sent(bot)
    named_at = next(
        m.at for i, m in enumerate(messages) if sorted(set(named(messages[: i + 1]))) == everyone
    )
    return {
        "hosts": hosts,
        "report_interval_s": interval,
        "messages": len(messages),
        "hosts_named": len(named(messages)),
        "first_message_after_silence_s": round(messages[0].at - storm.silent_at, 1),
        "all_named_after_silence_s": round(named_at - storm.silent_at, 1),
        "min_gap_between_messages_s": _gaps(messages),
        "target": "<= 10 messages naming all within 60 s",
    }, storm.org


async def _full_partitions(
    settings: Settings, org: Org, bot: Recorder, hook: Recorder, count: int
) -> dict[str, Any]:
    """One more host of the same organization, a disk rule for it, and a webhook beside the
    Telegram chat; then one report with `count` full partitions."""
    agent_id = await insert_agent(settings, org.org_id, "db-1")
    db = settings.database_url
    await fetch(
        db,
        "INSERT INTO notification_channels (org_id, type, name, config, enabled, daily_summary,"
        " updated_at) VALUES ($1, 'webhook', 'hook', jsonb_build_object('url', $2::text), true,"
        " false, now())",
        org.org_id,
        hook.url("/hook"),
    )
    await add_rule(settings, org.org_id, agent_id=agent_id, metric="disk", threshold=90)
    await asyncio.sleep(3)  # the worker reloads its rule book every 2 s
    before = len(bot.requests)
    full = [Sample("partition_percent", 99, {"mountpoint": f"/srv/{i:03d}"}) for i in range(count)]
    redis = Redis.from_url(settings.redis_url)
    started = time.time()
    await append_reports(redis, [report(org, started, agent_id=agent_id, series=full)], maxlen=1000)
    await redis.aclose()
    await asyncio.to_thread(hook.wait_for, lambda r: len(r) > 0, 60)
    await _quiet([bot, hook])
    rows = await fetch(db, "SELECT count(*) AS n FROM alerts WHERE agent_id = $1", agent_id)
    telegram = sent(bot)[before:]
    return {
        "partitions_at_99_percent": count,
        "alert_rows": rows[0]["n"],
        "messages_per_channel": {"telegram": len(telegram), "webhook": len(hook.requests)},
        "last_message_after_report_s": round(max(r.at for r in telegram) - started, 1),
    }


async def _run(settings: Settings, root: Path, args: argparse.Namespace) -> dict[str, Any]:
    logs = root / "logs"
    logs.mkdir()
    with http_recorder() as bot, http_recorder() as hook:
        bot.respond = bot_api
        env = worker_env(bot, ALERT_OUTBOUND_ALLOW_PRIVATE="true")
        with module_process("alert_service.worker", settings, logs, extra_env=env):
            silent, org = await _silent_hosts(settings, bot, args.hosts, args.interval)
            disks = await _full_partitions(settings, org, bot, hook, args.partitions)
    return {
        "benchmark": "alert_storm",
        "grouping": {"group_wait_s": 10, "group_interval_s": 60, "telegram_pace_s": 1.0},
        "silent_hosts": silent,
        "full_partitions": disks,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--interval", type=float, default=5)
    parser.add_argument("--partitions", type=int, default=300)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="sm-storm-") as tmp,
        datastores(Path(tmp)) as settings,
    ):
        result = asyncio.run(_run(settings, Path(tmp), args))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
