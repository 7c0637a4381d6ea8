"""Every chat service's rate limit, through the real delivery layer: a 429 with "retry after"
holds the whole channel that long, the refused message is sent afterwards and nothing is
marked failed (even with a single attempt allowed), and messages to one channel keep the
service's pace (Telegram one a second per chat, Slack one a second, Discord one every 2 s)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from core.notifications import NOTIFICATION_FIELD, Notification, encode_notification
from core.settings import Settings
from harness.database import fetch
from harness.http_recorder import Recorded, Recorder, Reply, http_recorder
from tests.alerting.evaluation import make_org, running_deliverer

BOT_TOKEN = "123456:rate-limit-test"
JSON = {"Content-Type": "application/json"}


def _telegram(first: bool) -> Reply:
    if first:
        body = {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 2",
            "parameters": {"retry_after": 2},
        }
        return 429, JSON, json.dumps(body).encode()
    message = {"message_id": 1, "date": 1_700_000_000, "chat": {"id": 42, "type": "private"}}
    return 200, JSON, json.dumps({"ok": True, "result": message}).encode()


def _slack(first: bool) -> Reply:
    return (429, {"Retry-After": "2"}, b"rate_limited") if first else (200, {}, b"ok")


def _discord(first: bool) -> Reply:
    if first:
        body = {"message": "You are being rate limited.", "retry_after": 2.0, "global": False}
        return 429, {**JSON, "Retry-After": "2"}, json.dumps(body).encode()
    return 200, JSON, b"{}"


def _config(service: str, api: Recorder) -> dict[str, str]:
    if service == "telegram":
        return {"chat_id": "42"}
    path = "/services/T0/B0/secret" if service == "slack" else "/api/webhooks/1/tok"
    return {"webhook_url": api.url(path)}


SERVICES: dict[str, tuple[Callable[[bool], Reply], float]] = {
    # type: (its answers, the pace messages are sent at)
    "telegram": (_telegram, 1.0),
    "slack": (_slack, 1.0),
    "discord": (_discord, 2.0),
}


def _note(org_id: int, channel_id: int, n: int) -> Notification:
    return Notification(
        key=f"alert:{n}:firing",
        org_id=org_id,
        channel_id=channel_id,
        kind="firing",
        severity="critical",
        title=f"[CRITICAL] web-{n}: cpu 95.0 % > 90.0 %",
        text="busy",
        created=time.time(),
    )


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_a_429_holds_the_channel_as_asked_and_loses_nothing(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    settings: Settings,
    redis: Redis,
    service: str,
) -> None:
    answers, pace = SERVICES[service]
    org = await make_org(auth_client, settings)
    with http_recorder() as api:

        def respond(got: Recorded) -> Reply:
            return answers(api.requests.index(got) == 0)

        api.respond = respond
        created = await alert_client.post(
            "/channels",
            headers=org.admin.headers,
            json={"type": service, "name": service, "config": _config(service, api)},
        )
        assert created.status_code == 201, created.text
        channel_id = created.json()["id"]
        notes = [_note(org.org_id, channel_id, n) for n in (1, 2)]
        async with running_deliverer(
            settings,
            delivery_max_attempts=1,  # were the 429 counted as a failure, it would be final
            telegram_api_url=api.url(),
            telegram_bot_token=BOT_TOKEN,
        ) as deliverer:
            await deliverer.accept(
                [
                    (f"{i + 1}-0", {NOTIFICATION_FIELD.encode(): encode_notification(n)})
                    for i, n in enumerate(notes)
                ]
            )
            await asyncio.to_thread(api.wait_for, lambda r: len(r) == 3, 20)
            await asyncio.sleep(0.5)
    _assert_paced(api, pace)
    rows = await fetch(
        settings.database_url,
        "SELECT status, attempts FROM notification_deliveries WHERE channel_id = $1",
        channel_id,
    )
    assert [(r["status"], r["attempts"]) for r in rows] == [("sent", 1), ("sent", 1)]


def _assert_paced(api: Recorder, pace: float) -> None:
    limited, *sent = api.requests
    assert len(sent) == 2
    # Nothing reached the service during the 2 s it asked for (server-side clock, a little
    # slack for rounding), then the two messages kept its pace.
    assert all(r.at - limited.at >= 1.9 for r in sent)
    assert sent[1].at - sent[0].at >= pace - 0.1
    texts: list[Any] = [r.body for r in sent]
    assert any(b"web-1" in t for t in texts) and any(b"web-2" in t for t in texts)
