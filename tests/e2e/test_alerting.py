"""Issue 5's "done when", with real processes: a user sets a CPU rule with a webhook and their
Telegram chat, a real agent crosses it, and exactly one "firing" and one "resolved" message
arrive on each; /ack from Telegram acknowledges; a stopped host is reported offline in time."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from core.settings import Settings
from tests.alerting.fake_telegram import FakeBotApi
from tests.e2e.test_pipeline import agent_process
from tests.harness.clients import register_and_login
from tests.harness.database import fetch
from tests.harness.http_recorder import Recorded, http_recorder
from tests.harness.live import live_service, module_process

pytestmark = pytest.mark.e2e

BOT_TOKEN = "123456:TEST-bot-token-for-e2e"
CHAT_ID = 4242


def _kinds(requests: list[Recorded]) -> list[str]:
    return [r.json()["kind"] for r in requests]


def _sent_to_chat(bot: FakeBotApi) -> list[str]:
    return [str(m["text"]) for m in bot.sent if str(m.get("chat_id")) == str(CHAT_ID)]


async def _wait(condition: object, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await asyncio.to_thread(condition):  # type: ignore[arg-type]
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


async def test_cpu_rule_webhook_and_telegram_firing_ack_resolved_and_offline(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    settings: Settings,
    log_dir: Path,
    tmp_path: Path,
) -> None:
    admin = await register_and_login(auth_client, "oncall@example.com")
    await fetch(settings.database_url, "DELETE FROM alert_rules")
    created = await auth_client.post("/agents", headers=admin.headers, json={"name": "web-1"})
    agent = created.json()
    worker_env = {
        "TELEGRAM_API_URL": "",  # set below, once the fake Bot API has its port
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "ALERT_OUTBOUND_ALLOW_PRIVATE": "true",
        "ALERT_PUBLIC_URL": "https://status.example.com",
        # One alert at a time, told at once: grouping has its own tests (test_alert_storm.py).
        "ALERT_GROUP_WAIT_SECONDS": "0",
        "ALERT_GROUP_INTERVAL_SECONDS": "0",
    }
    with http_recorder() as hook, FakeBotApi(BOT_TOKEN) as bot:
        worker_env["TELEGRAM_API_URL"] = bot.url
        channel = await alert_client.post(
            "/channels",
            headers=admin.headers,
            json={
                "type": "webhook",
                "name": "ops",
                "config": {"url": hook.url("/hook"), "secret": "a-webhook-secret"},
            },
        )
        assert channel.status_code == 201, channel.text
        recipient = await alert_client.post(
            "/recipient", headers=admin.headers, json={"chat_id": str(CHAT_ID)}
        )
        assert recipient.status_code == 200, recipient.text
        code = recipient.json()["confirm_code"]
        # StatusMonitor v1's rule payload as written; ≥ 0 % is crossed by the first report.
        rule = await alert_client.post(
            "/rules",
            headers=admin.headers,
            json={
                "agent_id": str(agent["id"]),
                "metric_type": "cpu",
                "condition": "ge",
                "threshold": 0,
                "enabled": True,
            },
        )
        assert rule.status_code == 201, rule.text
        offline_rule = await alert_client.post(
            "/rules",
            headers=admin.headers,
            json={"metric_type": "host_offline", "condition": "ge", "threshold": 3},
        )
        assert offline_rule.status_code == 201, offline_rule.text
        with (
            live_service("ingestion_service", settings, log_dir) as ingestion,
            module_process("alert_service.worker", settings, log_dir, extra_env=worker_env),
            module_process("alert_service.telegram_bot", settings, log_dir, extra_env=worker_env),
            agent_process(ingestion.url, agent["token"], tmp_path, log_dir) as agent_proc,
        ):
            await _wait(lambda: _kinds(hook.to("/hook")) == ["firing"], 30, "the firing webhook")
            firing = hook.to("/hook")[0].json()
            assert firing["fields"]["host"] == "web-1" and firing["alert_id"]
            await _wait(lambda: len(_sent_to_chat(bot)) == 1, 10, "the firing Telegram message")
            message = _sent_to_chat(bot)[0]
            assert "web-1" in message and "cpu" in message and "status.example.com" in message

            # The chat is confirmed with the code from /recipient, then acknowledges.
            bot.send_text(CHAT_ID, f"/start {code}")
            await _wait(lambda: len(_sent_to_chat(bot)) == 2, 10, "the confirmation")
            assert "Confirmed" in _sent_to_chat(bot)[1]
            bot.send_text(CHAT_ID, f"/ack {firing['alert_id']} looking into it")
            await _wait(lambda: len(_sent_to_chat(bot)) == 3, 10, "the /ack reply")
            assert "acknowledged" in _sent_to_chat(bot)[2]
            [acked] = await fetch(
                settings.database_url,
                "SELECT acknowledged_by, ack_comment FROM alerts WHERE id = $1",
                firing["alert_id"],
            )
            assert acked["acknowledged_by"] == admin.id
            assert acked["ack_comment"] == "looking into it"

            # The user raises the threshold out of reach: resolved, once.
            patched = await alert_client.patch(
                f"/rules/{rule.json()['id']}",
                headers=admin.headers,
                json={"condition": "gt", "threshold": 100},
            )
            assert patched.status_code == 200, patched.text
            await _wait(
                lambda: _kinds(hook.to("/hook")) == ["firing", "resolved"], 20, "the resolution"
            )
            await _wait(lambda: len(_sent_to_chat(bot)) == 4, 10, "the resolved Telegram message")
            assert "RESOLVED" in _sent_to_chat(bot)[3]
            await asyncio.sleep(3)  # more reports arrive: nothing more is said
            assert _kinds(hook.to("/hook")) == ["firing", "resolved"]
            assert len(_sent_to_chat(bot)) == 4

            # The host stops: offline within 3 intervals (1 s each) + 5 s of its last report.
            agent_proc.terminate()
            agent_proc.wait(timeout=15)
            stopped = time.time()
            await _wait(lambda: len(hook.to("/hook")) == 3, 15, "the offline notification")
            offline = hook.to("/hook")[2]
            assert offline.json()["title"].startswith("[WARNING] web-1 is offline")
            assert offline.at - stopped < 3 * 1 + 5
