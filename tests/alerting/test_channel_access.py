"""Who may change which channel, and what members who only read are shown (issue 9.9): a
personal Telegram channel is its owner's (or an admin's) to re-point, disable or delete;
viewers see webhook query strings and custom header values masked."""

from __future__ import annotations

from typing import Any

from core.settings import Settings
from harness.database import fetch
from harness.factories import TestUser, add_member, register_and_login
from tests.alerting.channel_clients import Clients

HOOK_URL = "https://hooks.example.com/notify/team-7?token=tok-9f8e7d&channel=ops"
HOOK_HEADERS = {"X-Api-Key": "key-5a4b3c", "X-Team": "ops"}


async def _personal_channel(clients: Clients, owner: TestUser) -> dict[str, Any]:
    linked = await clients.alerts.post("/recipient", headers=owner.headers, json={"chat_id": "600"})
    assert linked.status_code == 200, linked.text
    channels = (await clients.alerts.get("/channels", headers=owner.headers)).json()
    [mine] = [c for c in channels if c["user_id"] == owner.id]
    return dict(mine)


async def test_only_the_owner_or_an_admin_changes_a_personal_channel(
    clients: Clients, settings: Settings
) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    olga = await add_member(clients.auth, settings, admin, "olga@example.com", "operator")
    oscar = await add_member(clients.auth, settings, admin, "oscar@example.com", "operator")
    channel = await _personal_channel(clients, olga)
    url = f"/channels/{channel['id']}"

    # Oscar, an operator too, can neither re-point Olga's alerts to his chat nor silence them.
    for attempt in (
        {"config": {"chat_id": "666"}},
        {"enabled": False},
        {"name": "mine now"},
    ):
        refused = await clients.alerts.patch(url, headers=oscar.headers, json=attempt)
        assert refused.status_code == 403, refused.text
        assert "personal" in refused.json()["detail"]
    assert (await clients.alerts.delete(url, headers=oscar.headers)).status_code == 403
    [row] = await fetch(
        settings.database_url,
        "SELECT config, enabled FROM notification_channels WHERE id = $1",
        channel["id"],
    )
    assert (row["config"], row["enabled"]) == ('{"chat_id": "600"}', True)

    # Olga herself may, and so may an admin.
    mine = await clients.alerts.patch(
        url, headers=olga.headers, json={"config": {"chat_id": "601"}}
    )
    assert mine.status_code == 200 and mine.json()["config"] == {"chat_id": "601"}
    off = await clients.alerts.patch(url, headers=admin.headers, json={"enabled": False})
    assert off.status_code == 200 and off.json()["enabled"] is False
    # Shared channels stay every operator's to edit.
    shared = await clients.alerts.post(
        "/channels",
        headers=oscar.headers,
        json={"type": "telegram", "name": "ops", "config": {"chat_id": "-100200"}},
    )
    assert shared.status_code == 201
    edited = await clients.alerts.patch(
        f"/channels/{shared.json()['id']}", headers=olga.headers, json={"enabled": False}
    )
    assert edited.status_code == 200
    assert (await clients.alerts.delete(url, headers=admin.headers)).status_code == 204


async def test_viewers_see_webhook_tokens_masked_operators_see_them(
    clients: Clients, settings: Settings
) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    vera = await add_member(clients.auth, settings, admin, "vera@example.com", "viewer")
    oscar = await add_member(clients.auth, settings, admin, "oscar@example.com", "operator")
    body = {"type": "webhook", "name": "hook", "config": {"url": HOOK_URL, "headers": HOOK_HEADERS}}
    created = await clients.alerts.post("/channels", headers=admin.headers, json=body)
    assert created.status_code == 201, created.text
    url = f"/channels/{created.json()['id']}"

    for shown in (
        (await clients.alerts.get(url, headers=vera.headers)).json(),
        (await clients.alerts.get("/channels", headers=vera.headers)).json()[0],
    ):
        assert shown["config"]["url"] == (
            "https://hooks.example.com/notify/team-7?token=***&channel=***"
        )
        assert shown["config"]["headers"] == {"X-Api-Key": "***", "X-Team": "***"}
    listed = (await clients.alerts.get("/channels", headers=vera.headers)).text
    assert "tok-9f8e7d" not in listed and "key-5a4b3c" not in listed

    # Operators edit channels, so they see the values a form would send back...
    seen = (await clients.alerts.get(url, headers=oscar.headers)).json()
    assert seen["config"] == {"url": HOOK_URL, "headers": HOOK_HEADERS}
    # ...and a PATCH that leaves them out keeps them as they were.
    renamed = await clients.alerts.patch(url, headers=oscar.headers, json={"name": "renamed"})
    assert renamed.status_code == 200
    other = await clients.alerts.patch(
        url, headers=oscar.headers, json={"config": {"secret": None}}
    )
    assert other.status_code == 200
    [row] = await fetch(
        settings.database_url,
        "SELECT config FROM notification_channels WHERE id = $1",
        created.json()["id"],
    )
    assert "tok-9f8e7d" in row["config"] and "key-5a4b3c" in row["config"]
    assert "***" not in row["config"]
