"""Alert storms with the real alert worker process and a local server standing in for the
Telegram Bot API (TELEGRAM_API_URL): 200 hosts falling silent at once (a rack, a switch) are
told in at most 10 messages naming all 200 within a minute, paced to Telegram's one message a
second per chat, while the history keeps one alert per host; and a worker killed (-9) after
grouping, mid-send, neither loses nor repeats a group message."""

from __future__ import annotations

import asyncio
import itertools
import signal
from pathlib import Path

import httpx
import pytest

from core.settings import Settings
from harness.database import fetch
from harness.http_recorder import http_recorder
from harness.live import module_process
from tests.alerting.storm import CHAT_ID, bot_api, named, sent, silent_hosts, worker_env

pytestmark = pytest.mark.e2e


async def test_200_silent_hosts_are_told_in_at_most_10_paced_messages_within_a_minute(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    settings: Settings,
    log_dir: Path,
) -> None:
    with http_recorder() as api:
        api.respond = bot_api
        # Default grouping (10 s wait, 60 s interval) and pacing: nothing tuned for the test.
        with module_process("alert_service.worker", settings, log_dir, extra_env=worker_env(api)):
            storm = await silent_hosts(auth_client, settings, 200, interval=5)
            everyone = sorted(storm.hosts.values())
            await asyncio.to_thread(api.wait_for, lambda r: sorted(named(r)) == everyone, 120)
            await asyncio.sleep(3)  # a straggler or a duplicate would arrive by now
        messages = sent(api)
    assert sorted(named(messages)) == everyone  # each host named exactly once
    assert len(messages) <= 10
    assert messages[-1].at - storm.silent_at <= 60
    assert all(r.form()["chat_id"] == CHAT_ID and len(r.form()["text"]) <= 4096 for r in messages)
    # One message a second to one chat (Telegram's limit), by the server's clock.
    assert all(b.at - a.at >= 0.9 for a, b in itertools.pairwise(messages))
    page = await alert_client.get(
        "/alerts/?per_page=200&status=firing", headers=storm.org.admin.headers
    )
    assert page.status_code == 200, page.text
    assert page.json()["count"] == 200
    assert {a["agent_id"] for a in page.json()["data"]} == set(storm.hosts)


async def test_kill_9_after_grouping_mid_send_loses_and_repeats_no_group_message(
    auth_client: httpx.AsyncClient, settings: Settings, log_dir: Path
) -> None:
    env = {
        "ALERT_GROUP_WAIT_SECONDS": "2",
        "ALERT_DELIVERY_TIMEOUT_SECONDS": "2",  # a dead worker's lease ends 2 s + margin later
        "ALERT_CLAIM_IDLE_MS": "2000",
    }
    with http_recorder() as api:
        api.respond = bot_api
        api.delay["*"] = 60  # the first message hangs: the worker dies while sending it
        storm = await silent_hosts(auth_client, settings, 120, interval=1)
        with module_process(
            "alert_service.worker",
            settings,
            log_dir,
            tag="first",
            extra_env=worker_env(api, **env),
        ) as first:
            await asyncio.to_thread(api.wait_for, lambda r: len(r) == 1, 60)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        [hung] = api.requests
        # Grouped and committed, not yet sent: three messages of 50, 50 and 20 hosts.
        rows = await fetch(
            settings.database_url,
            "SELECT status, payload->>'title' AS title FROM notification_deliveries ORDER BY id",
        )
        assert [r["status"] for r in rows] == ["pending"] * 3
        assert rows[0]["title"] == "[CRITICAL] Hosts offline — 120 alerts (1/3)"
        api.release.set()
        api.delay.clear()
        with module_process(
            "alert_service.worker",
            settings,
            log_dir,
            tag="second",
            extra_env=worker_env(api, **env),
        ):
            await asyncio.to_thread(api.wait_for, lambda r: len(r) == 4, 60)
            await asyncio.sleep(3)
    hung_again, *rest = api.requests[1:]
    assert len(api.requests) == 4
    assert hung_again.form()["text"] == hung.form()["text"]  # the same message, sent once more
    assert sorted(named([hung_again, *rest])) == sorted(storm.hosts.values())
    statuses = await fetch(settings.database_url, "SELECT status FROM notification_deliveries")
    assert [r["status"] for r in statuses] == ["sent"] * 3
