"""The /channels API as the dashboard drives it, with a real local webhook receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest

from alert_service.config import AlertSettings
from core.settings import Settings
from tests.alerting.channel_clients import Clients, channel_clients
from tests.harness.clients import TestUser, invite_and_join, login, register_and_login
from tests.harness.database import fetch
from tests.harness.http_recorder import Recorded, Recorder, http_recorder

SECRET = "whsec-7Qm2-correct-horse-signing-key"
TEST_TITLE = "StatusMonitor test notification"


@pytest.fixture
def receiver() -> Iterator[Recorder]:
    """A webhook endpoint on a free local port that records what it gets (at /hook)."""
    with http_recorder() as recorder:
        yield recorder


def _hook(receiver: Recorder) -> str:
    return receiver.url("/hook")


def _webhook(url: str, secret: str | None = SECRET, name: str = "Ops hook") -> dict[str, Any]:
    config: dict[str, Any] = {"url": url, "headers": {"X-Team": "ops"}}
    if secret is not None:
        config["secret"] = secret
    return {"type": "webhook", "name": name, "config": config}


async def _create(clients: Clients, user: TestUser, body: dict[str, Any]) -> dict[str, Any]:
    created = await clients.alerts.post("/channels", headers=user.headers, json=body)
    assert created.status_code == 201, created.text
    channel: dict[str, Any] = created.json()
    return channel


def _signature_ok(request: Recorded, secret: str) -> bool:
    timestamp = request.headers["x-statusmonitor-timestamp"]
    signed = f"{timestamp}.".encode() + request.body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers["x-statusmonitor-signature"], expected)


async def _deliveries(clients: Clients, user: TestUser, channel_id: int) -> list[dict[str, Any]]:
    response = await clients.alerts.get(f"/channels/{channel_id}/deliveries", headers=user.headers)
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


async def test_webhook_secret_is_sealed_and_never_shown(
    clients: Clients, receiver: Recorder, settings: Settings
) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    created = await clients.alerts.post(
        "/channels", headers=admin.headers, json=_webhook(_hook(receiver))
    )
    assert created.status_code == 201, created.text
    assert SECRET not in created.text
    channel = created.json()
    assert channel["secrets_set"] == ["secret"]
    assert channel["config"]["url"] == _hook(receiver)
    assert channel["config"]["headers"] == {"X-Team": "ops"}
    assert "secret" not in channel["config"]
    assert channel["type"] == "webhook"
    assert (channel["enabled"], channel["daily_summary"]) == (True, False)

    listed = await clients.alerts.get("/channels", headers=admin.headers)
    assert SECRET not in listed.text
    assert [c["secrets_set"] for c in listed.json() if c["id"] == channel["id"]] == [["secret"]]
    one = await clients.alerts.get(f"/channels/{channel['id']}", headers=admin.headers)
    assert SECRET not in one.text and one.json()["secrets_set"] == ["secret"]

    (row,) = await fetch(
        settings.database_url,
        "SELECT config::text AS config, secrets FROM notification_channels WHERE id = $1",
        channel["id"],
    )
    assert row["secrets"] and SECRET not in row["secrets"]
    assert SECRET not in row["config"] and "secret" not in json.loads(row["config"])
    audit = await fetch(settings.database_url, "SELECT action, details::text FROM audit_log")
    assert "channel.create" in [r["action"] for r in audit]
    assert all(SECRET not in r["details"] for r in audit)


async def test_renamed_channel_still_signs_and_the_test_is_logged_as_sent(
    clients: Clients, receiver: Recorder, settings: Settings
) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    channel = await _create(clients, admin, _webhook(_hook(receiver)))
    renamed = await clients.alerts.patch(
        f"/channels/{channel['id']}", headers=admin.headers, json={"name": "Pager bridge"}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Pager bridge"
    assert renamed.json()["secrets_set"] == ["secret"]
    # Changing other settings keeps the stored secret too.
    rerouted = await clients.alerts.patch(
        f"/channels/{channel['id']}",
        headers=admin.headers,
        json={"config": {"headers": {"X-Team": "sre"}}},
    )
    assert rerouted.status_code == 200, rerouted.text
    assert rerouted.json()["secrets_set"] == ["secret"]
    assert rerouted.json()["config"] == {"url": _hook(receiver), "headers": {"X-Team": "sre"}}

    tested = await clients.alerts.post(f"/channels/{channel['id']}/test", headers=admin.headers)
    assert tested.status_code == 200, tested.text
    assert tested.json()["ok"] is True

    (request,) = receiver.requests
    assert request.path == "/hook"
    assert request.headers["x-statusmonitor-event"] == "test"
    assert request.headers["x-team"] == "sre"
    assert _signature_ok(request, SECRET)
    payload = json.loads(request.body)
    assert payload["title"] == TEST_TITLE and payload["kind"] == "test"
    assert payload["channel_id"] == channel["id"]

    (delivery,) = await _deliveries(clients, admin, channel["id"])
    assert (delivery["kind"], delivery["status"], delivery["attempts"]) == ("test", "sent", 1)
    assert delivery["event_key"] == request.headers["x-statusmonitor-delivery"]
    assert delivery["event_key"].startswith("test:") and delivery["error"] is None
    audit = await fetch(settings.database_url, "SELECT action FROM audit_log ORDER BY id")
    assert [r["action"] for r in audit][-4:] == [
        "channel.create",
        "channel.update",
        "channel.update",
        "channel.test",
    ]


async def test_failing_receiver_is_reported_and_logged_newest_first(
    clients: Clients, receiver: Recorder
) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    channel = await _create(clients, admin, _webhook(_hook(receiver)))
    first = await clients.alerts.post(f"/channels/{channel['id']}/test", headers=admin.headers)
    assert first.json() == {"ok": True, "error": None}

    receiver.status["*"] = 500
    failed = await clients.alerts.post(f"/channels/{channel['id']}/test", headers=admin.headers)
    assert failed.status_code == 200, failed.text
    assert failed.json()["ok"] is False
    assert "500" in failed.json()["error"]
    assert len(receiver.requests) == 2

    newest, oldest = await _deliveries(clients, admin, channel["id"])
    assert (newest["status"], oldest["status"]) == ("failed", "sent")
    assert newest["error"] == failed.json()["error"]
    assert newest["event_key"] != oldest["event_key"]
    limited = await clients.alerts.get(
        f"/channels/{channel['id']}/deliveries?limit=1", headers=admin.headers
    )
    assert [d["status"] for d in limited.json()] == ["failed"]


async def test_secret_set_to_null_is_cleared_and_a_new_one_replaces_it(
    clients: Clients, receiver: Recorder
) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    channel = await _create(clients, admin, _webhook(_hook(receiver)))
    url = f"/channels/{channel['id']}"

    cleared = await clients.alerts.patch(
        url, headers=admin.headers, json={"config": {"secret": None}}
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["secrets_set"] == []
    assert cleared.json()["config"]["url"] == _hook(receiver)  # the rest of the config is kept
    assert (await clients.alerts.post(f"{url}/test", headers=admin.headers)).json()["ok"] is True
    assert "x-statusmonitor-signature" not in receiver.requests[-1].headers

    new_secret = "another-signing-key-9f8e"
    replaced = await clients.alerts.patch(
        url, headers=admin.headers, json={"config": {"secret": new_secret}, "enabled": False}
    )
    assert replaced.json()["secrets_set"] == ["secret"] and replaced.json()["enabled"] is False
    assert new_secret not in replaced.text
    assert (await clients.alerts.post(f"{url}/test", headers=admin.headers)).json()["ok"] is True
    assert _signature_ok(receiver.requests[-1], new_secret)


async def test_loopback_receiver_is_refused_unless_allowed(
    guarded_clients: Clients, receiver: Recorder
) -> None:
    admin = await register_and_login(guarded_clients.auth, "admin@example.com")
    channel = await _create(guarded_clients, admin, _webhook(_hook(receiver)))
    tested = await guarded_clients.alerts.post(
        f"/channels/{channel['id']}/test", headers=admin.headers
    )
    assert tested.status_code == 200
    assert tested.json()["ok"] is False and "127.0.0.1" in tested.json()["error"]
    assert receiver.requests == []
    (delivery,) = await _deliveries(guarded_clients, admin, channel["id"])
    assert delivery["status"] == "failed"


async def test_metadata_address_is_refused_when_saving(
    clients: Clients, receiver: Recorder
) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    metadata = "http://169.254.169.254/latest/meta-data/"
    refused = await clients.alerts.post("/channels", headers=admin.headers, json=_webhook(metadata))
    assert refused.status_code == 422, refused.text
    assert "config.url" in refused.text

    channel = await _create(clients, admin, _webhook(_hook(receiver)))
    moved = await clients.alerts.patch(
        f"/channels/{channel['id']}", headers=admin.headers, json={"config": {"url": metadata}}
    )
    assert moved.status_code == 422 and "config.url" in moved.text
    kept = await clients.alerts.get(f"/channels/{channel['id']}", headers=admin.headers)
    assert kept.json()["config"]["url"] == _hook(receiver)
    assert (await clients.alerts.get("/channels", headers=admin.headers)).json() == [kept.json()]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"type": "webhook", "name": "x", "config": {}}, "config.url"),
        ({"type": "webhook", "name": "x", "config": {"url": "ftp://example.com/"}}, "config.url"),
        (
            {"type": "webhook", "name": "x", "config": {"url": "https://example.com", "tls": 1}},
            "config.tls",
        ),
        ({"type": "slack", "name": "x", "config": {"webhook_url": 42}}, "config.webhook_url"),
        ({"type": "pigeon", "name": "x", "config": {}}, "webhook"),
        ({"type": "webhook", "name": "", "config": {"url": "https://example.com"}}, "name"),
    ],
)
async def test_invalid_channels_are_422_naming_the_problem(
    clients: Clients, body: dict[str, Any], named: str
) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    response = await clients.alerts.post("/channels", headers=admin.headers, json=body)
    assert response.status_code == 422, response.text
    assert named in response.text
    assert (await clients.alerts.get("/channels", headers=admin.headers)).json() == []


async def test_unknown_type_lists_the_known_ones(clients: Clients) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    body = {"type": "pigeon", "name": "x", "config": {}}
    response = await clients.alerts.post("/channels", headers=admin.headers, json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "pigeon" in detail
    for known in ("telegram", "slack", "webhook"):
        assert known in detail


async def test_types_describe_the_forms_with_secret_fields(clients: Clients) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    response = await clients.alerts.get("/channels/types", headers=admin.headers)
    assert response.status_code == 200, response.text
    types = {t["type"]: t for t in response.json()}
    assert {"telegram", "slack", "webhook"} <= types.keys()
    assert types["webhook"]["secret_fields"] == ["secret", "secret_headers"]
    assert {"url", "headers", "secret"} <= types["webhook"]["config_schema"]["properties"].keys()
    assert types["slack"]["secret_fields"] == ["webhook_url"]
    assert types["telegram"]["secret_fields"] == ["bot_token"]
    assert "chat_id" in types["telegram"]["config_schema"]["required"]
    assert all(t["label"] for t in types.values())


async def test_viewer_reads_but_cannot_change_or_test(clients: Clients, receiver: Recorder) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    channel = await _create(clients, admin, _webhook(_hook(receiver)))
    viewer = await invite_and_join(clients.auth, admin, "v@example.com", "viewer")
    url = f"/channels/{channel['id']}"

    created = await clients.alerts.post(
        "/channels", headers=viewer.headers, json=_webhook(_hook(receiver))
    )
    assert created.status_code == 403
    patched = await clients.alerts.patch(url, headers=viewer.headers, json={"name": "mine"})
    assert patched.status_code == 403
    assert (await clients.alerts.post(f"{url}/test", headers=viewer.headers)).status_code == 403
    assert (await clients.alerts.delete(url, headers=viewer.headers)).status_code == 403
    assert receiver.requests == []

    listed = await clients.alerts.get("/channels", headers=viewer.headers)
    assert listed.status_code == 200
    assert [(c["id"], c["name"]) for c in listed.json()] == [(channel["id"], "Ops hook")]
    assert SECRET not in listed.text
    assert (await clients.alerts.get(f"{url}/deliveries", headers=viewer.headers)).json() == []


async def test_another_organizations_channel_is_404(clients: Clients, receiver: Recorder) -> None:
    alice = await register_and_login(clients.auth, "alice@example.com")
    mallory = await register_and_login(clients.auth, "mallory@example.com")
    assert alice.org_id != mallory.org_id
    channel = await _create(clients, alice, _webhook(_hook(receiver)))
    url = f"/channels/{channel['id']}"

    assert (await clients.alerts.get(url, headers=mallory.headers)).status_code == 404
    assert (
        await clients.alerts.get(f"{url}/deliveries", headers=mallory.headers)
    ).status_code == 404
    patched = await clients.alerts.patch(url, headers=mallory.headers, json={"name": "stolen"})
    assert patched.status_code == 404
    assert (await clients.alerts.post(f"{url}/test", headers=mallory.headers)).status_code == 404
    assert (await clients.alerts.delete(url, headers=mallory.headers)).status_code == 404
    assert (await clients.alerts.get("/channels", headers=mallory.headers)).json() == []

    assert receiver.requests == []
    kept = await clients.alerts.get(url, headers=alice.headers)
    assert kept.status_code == 200 and kept.json()["name"] == "Ops hook"


async def test_delete_removes_the_channel_and_its_log(
    clients: Clients, receiver: Recorder, settings: Settings
) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    channel = await _create(clients, admin, _webhook(_hook(receiver)))
    url = f"/channels/{channel['id']}"
    await clients.alerts.post(f"{url}/test", headers=admin.headers)

    deleted = await clients.alerts.delete(url, headers=admin.headers)
    assert deleted.status_code == 204
    assert (await clients.alerts.get("/channels", headers=admin.headers)).json() == []
    assert (await clients.alerts.get(f"{url}/deliveries", headers=admin.headers)).status_code == 404
    assert (await clients.alerts.post(f"{url}/test", headers=admin.headers)).status_code == 404
    left = await fetch(settings.database_url, "SELECT count(*) AS n FROM notification_deliveries")
    assert left[0]["n"] == 0
    audit = await fetch(settings.database_url, "SELECT action FROM audit_log ORDER BY id")
    assert [r["action"] for r in audit][-1] == "channel.delete"


async def test_statusmonitor_v1_recipient_shows_up_as_a_personal_telegram_channel(
    clients: Clients,
) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    set_ = await clients.alerts.post(
        "/recipient", headers=admin.headers, json={"chat_id": "123456"}
    )
    assert set_.status_code == 200, set_.text
    (channel,) = (await clients.alerts.get("/channels", headers=admin.headers)).json()
    assert (channel["type"], channel["user_id"]) == ("telegram", admin.id)
    assert channel["config"] == {"chat_id": "123456"} and channel["secrets_set"] == []
    # Giving it its own bot token keeps the chat id and seals the token.
    token = "123456:AAE-personal-bot-token-value"
    patched = await clients.alerts.patch(
        f"/channels/{channel['id']}", headers=admin.headers, json={"config": {"bot_token": token}}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["config"]["chat_id"] == "123456"
    assert patched.json()["secrets_set"] == ["bot_token"] and token not in patched.text


async def test_secrets_sealed_under_an_old_secret_key_must_be_entered_again(
    settings: Settings, receiver: Recorder
) -> None:
    allow = AlertSettings(outbound_allow_private=True, delivery_timeout_seconds=3)
    async with channel_clients(settings, allow) as before:
        admin = await register_and_login(before.auth, "admin@example.com")
        channel = await _create(before, admin, _webhook(_hook(receiver)))

    rotated = settings.model_copy(update={"secret_key": "a-brand-new-secret-key-" + "x" * 40})
    async with channel_clients(rotated, allow) as after:
        tokens = (await login(after.auth, admin.email, admin.password)).json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        url = f"/channels/{channel['id']}"
        shown = (await after.alerts.get(url, headers=headers)).json()
        assert shown["secrets_unreadable"] is True and shown["secrets_set"] == []

        tested = (await after.alerts.post(f"{url}/test", headers=headers)).json()
        assert tested["ok"] is False and "SECRET_KEY" in tested["error"]
        assert receiver.requests == []

        partial = await after.alerts.patch(
            url, headers=headers, json={"config": {"headers": {"X-Team": "sre"}}}
        )
        assert partial.status_code == 422 and "secret" in partial.json()["detail"]
        # Every secret field is named, unset ones as null: nothing is dropped silently.
        again = {"config": {"secret": SECRET, "secret_headers": None}}
        fixed = await after.alerts.patch(url, headers=headers, json=again)
        assert fixed.status_code == 200, fixed.text
        assert fixed.json()["secrets_unreadable"] is False
        assert fixed.json()["secrets_set"] == ["secret"]
        assert (await after.alerts.post(f"{url}/test", headers=headers)).json()["ok"] is True
        assert _signature_ok(receiver.requests[-1], SECRET)


async def test_webhook_credential_headers_are_sealed_and_sent(
    clients: Clients, receiver: Recorder, settings: Settings
) -> None:
    admin = await register_and_login(clients.auth, "admin@example.com")
    body = _webhook(_hook(receiver), secret=None)
    body["config"]["secret_headers"] = "Authorization: Bearer hidden-api-key"
    channel = await _create(clients, admin, body)
    assert channel["secrets_set"] == ["secret_headers"]
    listed = await clients.alerts.get("/channels", headers=admin.headers)
    assert "hidden-api-key" not in listed.text
    (row,) = await fetch(
        settings.database_url,
        "SELECT config::text || coalesce(secrets, '') AS stored FROM notification_channels",
    )
    assert "hidden-api-key" not in row["stored"]
    tested = await clients.alerts.post(f"/channels/{channel['id']}/test", headers=admin.headers)
    assert tested.json() == {"ok": True, "error": None}
    assert receiver.requests[-1].headers["authorization"] == "Bearer hidden-api-key"
