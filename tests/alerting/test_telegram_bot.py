"""The Telegram bot against a local Bot API: /start tells the chat id, /ack acknowledges alerts."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from alert_service.config import AlertSettings
from alert_service.telegram_bot import run_bot
from core.settings import Settings
from harness.clients import asgi_client
from harness.database import fetch
from harness.factories import TestUser, invite_and_join, register_and_login
from tests.alerting.fake_telegram import FakeBotApi

TOKEN = "123456789:AAE-secret-bot-token_xyz"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
async def bot_api(settings: Settings) -> AsyncIterator[FakeBotApi]:
    """The real polling loop as a task, talking to the fake Bot API and the test database."""
    with FakeBotApi(TOKEN) as api:
        alert_settings = AlertSettings(
            telegram_bot_token=TOKEN, telegram_api_url=api.url, public_url="https://sm.example"
        )
        stop = asyncio.Event()
        task = asyncio.create_task(run_bot(settings, alert_settings, poll_timeout=1, stop=stop))
        try:
            yield api
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)


async def _alert(settings: Settings, org_id: int, *, resolved: bool = False) -> int:
    began = datetime.now(UTC) - timedelta(minutes=30)
    rows = await fetch(
        settings.database_url,
        "INSERT INTO alerts (org_id, metric, condition, severity, value, threshold, started_at,"
        " resolved_at, silenced) VALUES ($1, 'cpu', 'gt', 'critical', 95, 90, $2, $3, false)"
        " RETURNING id",
        org_id,
        began,
        began + timedelta(minutes=10) if resolved else None,
    )
    alert_id: int = rows[0]["id"]
    return alert_id


async def _ack_state(settings: Settings, alert_id: int) -> tuple[int | None, str | None]:
    (row,) = await fetch(
        settings.database_url,
        "SELECT acknowledged_by, ack_comment FROM alerts WHERE id = $1",
        alert_id,
    )
    return row["acknowledged_by"], row["ack_comment"]


async def _set_chat(alert_client: httpx.AsyncClient, user: TestUser, chat_id: int) -> str:
    """Sets the user's recipient; returns the confirmation code it hands out."""
    linked = await alert_client.post(
        "/recipient", headers=user.headers, json={"chat_id": str(chat_id)}
    )
    assert linked.status_code == 200, linked.text
    code: str = linked.json()["confirm_code"]
    return code


async def _link_chat(
    alert_client: httpx.AsyncClient, user: TestUser, chat_id: int, api: FakeBotApi
) -> None:
    """Sets the recipient and confirms it from the chat, as a user following the steps."""
    code = await _set_chat(alert_client, user, chat_id)
    assert "Confirmed" in await _say(api, chat_id, f"/start {code}")


async def _say(api: FakeBotApi, chat_id: int, text: str) -> str:
    """Sends `text` from the chat and returns the bot's answer to it."""
    before = len(api.sent)
    api.send_text(chat_id, text)
    reply = (await asyncio.to_thread(api.wait_sent, before + 1))[-1]
    assert int(reply["chat_id"]) == chat_id
    return str(reply["text"])


async def test_start_tells_the_chat_its_id_and_how_to_use_it(bot_api: FakeBotApi) -> None:
    text = await _say(bot_api, 123456, "/start")
    assert "Your chat id is 123456." in text
    assert '"chat_id": "123456"' in text and "/api/alerts/recipient" in text
    assert "https://sm.example" in text
    assert "Your chat id is -100777." in await _say(bot_api, -100777, "/id@sm_bot")
    assert "/ack <alert id> [comment]" in await _say(bot_api, 123456, "/weather")
    assert f"/bot{TOKEN}/getUpdates" in bot_api.paths
    assert f"/bot{TOKEN}/sendMessage" in bot_api.paths


async def test_handled_updates_are_confirmed_so_a_restart_does_not_answer_twice(
    settings: Settings,
) -> None:
    with FakeBotApi(TOKEN) as api:
        alert_settings = AlertSettings(telegram_bot_token=TOKEN, telegram_api_url=api.url)
        stop = asyncio.Event()
        task = asyncio.create_task(run_bot(settings, alert_settings, poll_timeout=1, stop=stop))
        api.send_text(1, "/start")
        await asyncio.to_thread(api.wait_sent, 1)
        stop.set()
        await asyncio.wait_for(task, 10)
        assert api.pending() == 0
        assert len(api.sent) == 1


async def test_ack_from_a_linked_chat_acknowledges_as_that_user(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    settings: Settings,
    bot_api: FakeBotApi,
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    assert admin.org_id is not None
    await _link_chat(alert_client, admin, 555, bot_api)
    firing = await _alert(settings, admin.org_id)
    resolved = await _alert(settings, admin.org_id, resolved=True)

    reply = await _say(bot_api, 555, f"/ack {firing} looking into it")
    assert f"Alert #{firing}" in reply and "acknowledged as admin@example.com" in reply
    assert "reminders stop" in reply
    assert await _ack_state(settings, firing) == (admin.id, "looking into it")
    audit = await fetch(
        settings.database_url,
        "SELECT user_id, org_id, target_id, details FROM audit_log WHERE action = $1",
        "alert.acknowledge",
    )
    assert [(r["user_id"], r["org_id"], r["target_id"]) for r in audit] == [
        (admin.id, admin.org_id, str(firing))
    ]
    assert '"telegram"' in audit[0]["details"]

    assert "already acknowledged" in await _say(bot_api, 555, f"/ack #{firing}")
    assert "already resolved" in await _say(bot_api, 555, f"/ack {resolved}")
    assert await _ack_state(settings, resolved) == (None, None)
    assert (await _say(bot_api, 555, "/ack")).startswith("Usage: /ack <alert id>")
    assert (await _say(bot_api, 555, "/ack seventeen")).startswith("Usage: /ack <alert id>")


async def test_ack_without_a_comment_says_it_came_from_telegram(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    settings: Settings,
    bot_api: FakeBotApi,
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    assert admin.org_id is not None
    await _link_chat(alert_client, admin, 555, bot_api)
    firing = await _alert(settings, admin.org_id)
    assert "acknowledged" in await _say(bot_api, 555, f"/ack@sm_bot {firing}")
    assert await _ack_state(settings, firing) == (admin.id, "acknowledged from Telegram")


async def test_ack_is_refused_for_viewers_strangers_and_other_organizations(
    settings: Settings, bot_api: FakeBotApi
) -> None:
    from alert_service.app import create_app as create_alert_app
    from auth_service.app import create_app as create_auth_app

    open_settings = settings.model_copy(update={"registration_policy": "open"})
    async with (
        asgi_client(create_auth_app(open_settings)) as auth,
        asgi_client(create_alert_app(open_settings)) as alerts,
    ):
        alice = await register_and_login(auth, "alice@example.com")
        assert alice.org_id is not None
        olga = await invite_and_join(auth, alice, "olga@example.com", "operator")
        await _link_chat(alerts, olga, 600, bot_api)
        # Demoted after linking her chat: the chat must not keep her old rights.
        demoted = await auth.patch(
            f"/members/{olga.id}", headers=alice.headers, json={"role": "viewer"}
        )
        assert demoted.status_code == 200, demoted.text
        mallory = await register_and_login(auth, "mallory@example.com")
        await _link_chat(alerts, mallory, 700, bot_api)
        alert_id = await _alert(settings, alice.org_id)

        viewer_reply = await _say(bot_api, 600, f"/ack {alert_id}")
        assert "Viewers cannot acknowledge" in viewer_reply
        stranger_reply = await _say(bot_api, 999, f"/ack {alert_id}")
        assert "not linked" in stranger_reply and "/start" in stranger_reply
        other_org_reply = await _say(bot_api, 700, f"/ack {alert_id} mine now")
        assert f"There is no alert #{alert_id} for you." == other_org_reply
        assert await _say(bot_api, 700, "/ack 424242") == "There is no alert #424242 for you."
        assert await _ack_state(settings, alert_id) == (None, None)


async def test_a_chat_acts_for_its_owner_only_once_confirmed_from_that_chat(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    settings: Settings,
    bot_api: FakeBotApi,
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    assert admin.org_id is not None
    firing = await _alert(settings, admin.org_id)
    set_ = await alert_client.post("/recipient", headers=admin.headers, json={"chat_id": "555"})
    body = set_.json()
    code = body["confirm_code"]
    assert body["confirmed"] is False and len(code) == 8
    assert f"/start {code}" in body["next_step"]
    # The chat is set but unproven: whoever owns chat 555 cannot act as the admin yet.
    assert "not confirmed yet" in await _say(bot_api, 555, f"/ack {firing}")
    assert "does not belong" in await _say(bot_api, 555, "/start WRONGCODE")
    assert "does not belong" in await _say(bot_api, 556, f"/start {code}")  # bound to 555
    assert await _ack_state(settings, firing) == (None, None)

    confirmed = await _say(bot_api, 555, f"/start {code.lower()}")
    assert "Confirmed" in confirmed and "admin@example.com" in confirmed
    state = (await alert_client.get("/recipient", headers=admin.headers)).json()
    assert state["confirmed"] is True and state["confirm_code"] is None
    assert "does not belong" in await _say(bot_api, 555, f"/start {code}")  # used up
    again = await alert_client.post("/recipient", headers=admin.headers, json={"chat_id": "555"})
    assert again.json()["confirmed"] is True and again.json()["confirm_code"] is None

    # Someone re-points the channel to another chat: the confirmation does not follow it.
    (channel,) = (await alert_client.get("/channels", headers=admin.headers)).json()
    moved = await alert_client.patch(
        f"/channels/{channel['id']}", headers=admin.headers, json={"config": {"chat_id": "557"}}
    )
    assert moved.status_code == 200, moved.text
    assert "not confirmed yet" in await _say(bot_api, 557, f"/ack {firing}")
    assert "not linked" in await _say(bot_api, 555, f"/ack {firing}")
    assert (await alert_client.get("/recipient", headers=admin.headers)).json()[
        "confirmed"
    ] is False

    new_code = await _set_chat(alert_client, admin, 555)
    assert new_code != code
    assert "Confirmed" in await _say(bot_api, 555, f"/start {new_code}")
    assert "acknowledged as admin@example.com" in await _say(bot_api, 555, f"/ack {firing}")


def _bot_process(api_url: str, settings: Settings, token: str, cwd: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": api_url,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "LOG_LEVEL": "DEBUG",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "alert_service.telegram_bot"],
        cwd=cwd,  # away from the repository's .env
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )


async def test_process_outlives_bot_api_errors_hides_its_token_and_stops_on_sigterm(
    settings: Settings, tmp_path: Path
) -> None:
    with FakeBotApi(TOKEN) as api:
        api.fail_get_updates = 2
        proc = _bot_process(api.url, settings, TOKEN, tmp_path)
        try:
            api.send_text(4321, "/start")
            reply = await asyncio.to_thread(api.wait_sent, 1, 30)
            assert "Your chat id is 4321." in reply[0]["text"]
            proc.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.to_thread(proc.communicate, timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, stderr
    assert "telegram getUpdates failed" in stderr and "Bad Gateway" in stderr
    assert "telegram bot stopped" in stderr
    assert TOKEN not in stderr and TOKEN.split(":")[1] not in stderr


async def test_process_without_a_token_says_so_and_exits_cleanly(
    settings: Settings, tmp_path: Path
) -> None:
    proc = _bot_process("http://127.0.0.1:9", settings, "", tmp_path)
    _, stderr = await asyncio.to_thread(proc.communicate, timeout=30)
    assert proc.returncode == 0
    assert "set TELEGRAM_BOT_TOKEN" in stderr


def test_a_blank_token_means_no_bot_and_the_api_url_may_end_in_a_slash() -> None:
    # make run starts the bot only for a token; a blank one must not start a process that
    # exits at once (which would stop the whole supervisor).
    assert AlertSettings(telegram_bot_token="  ").telegram_bot_token is None
    token = AlertSettings(telegram_bot_token=f" {TOKEN} ").telegram_bot_token
    assert token is not None and token.get_secret_value() == TOKEN
    local = AlertSettings(telegram_api_url="http://127.0.0.1:8081/")
    assert local.telegram_bot_base_url == "http://127.0.0.1:8081/bot"
