"""Issue 9.1, the attacks that went through Apprise, replayed against a real Redis: an
organization admin points an Apprise channel at our own Redis (IRC, with Redis commands in
the URL's user part) or at the cloud metadata address (rsyslog over UDP), then presses test.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from redis.asyncio import Redis

from core.crypto import SecretBox
from core.settings import Settings
from deploy.services import SERVICES
from harness.database import fetch
from harness.factories import TestUser, register_and_login
from harness.http_recorder import http_recorder
from harness.live import live_service
from tests.alerting.channel_clients import Clients

FORGED_TOKEN_HASH = hashlib.sha256(b"a forged agent token").hexdigest()
FORGED_KEY = f"agent-token:{FORGED_TOKEN_HASH}"


def _irc_injection(redis_port: int) -> str:
    """The attack URL: the IRC plugin writes the user part into NICK/USER lines, so CR LF in
    it starts a line of our own, which Redis reads as a command (SET of a token cache key)."""
    cached = json.dumps({"agent_id": 1, "org_id": 1, "activated": True})
    command = f"SET {FORGED_KEY} {json.dumps(cached)} EX 600"
    user = quote(f"a\r\n{command}\r\n", safe="")
    return f"irc://{user}@127.0.0.1:{redis_port}/#x"


def _redis_port(settings: Settings) -> int:
    port = urlsplit(settings.redis_url).port
    assert port is not None
    return port


async def _store_apprise(settings: Settings, admin: TestUser, url: str) -> int:
    """An Apprise channel written straight to the database, past the API's validation."""
    sealed = SecretBox(settings.secret_key).seal({"url": url})
    [row] = await fetch(
        settings.database_url,
        "INSERT INTO notification_channels (org_id, type, name, config, secrets, enabled,"
        " daily_summary, updated_at) VALUES ($1, 'apprise', 'stored', '{}', $2, true, false,"
        " now()) RETURNING id",
        admin.org_id,
        sealed,
    )
    return int(row["id"])


async def _press_test(clients: Clients, admin: TestUser, channel_id: int) -> dict[str, Any]:
    tested = await clients.alerts.post(f"/channels/{channel_id}/test", headers=admin.headers)
    assert tested.status_code == 200, tested.text
    result: dict[str, Any] = tested.json()
    return result


async def test_irc_url_with_redis_commands_is_refused_at_creation(
    guarded_clients: Clients, settings: Settings, redis: Redis
) -> None:
    admin = await register_and_login(guarded_clients.auth, "mallory@example.com")
    body = {"type": "apprise", "name": "irc", "config": {"url": _irc_injection(6379)}}
    created = await guarded_clients.alerts.post("/channels", headers=admin.headers, json=body)
    assert created.status_code == 422, created.text
    assert created.json()["detail"].startswith("config.url: must not contain CR, LF or NUL")
    assert FORGED_KEY not in created.text

    harmless = {"type": "apprise", "name": "irc", "config": {"url": "irc://bot@203.0.113.9/#x"}}
    made = await guarded_clients.alerts.post("/channels", headers=admin.headers, json=harmless)
    assert made.status_code == 201, made.text
    patched = await guarded_clients.alerts.patch(
        f"/channels/{made.json()['id']}",
        headers=admin.headers,
        json={"config": {"url": _irc_injection(_redis_port(settings))}},
    )
    assert patched.status_code == 422 and "config.url" in patched.json()["detail"]
    assert await redis.exists(FORGED_KEY) == 0


async def test_stored_irc_injection_is_stopped_at_the_socket(
    guarded_clients: Clients, settings: Settings, redis: Redis
) -> None:
    """The URL got into the database anyway: the test send reaches the IRC plugin, which opens
    its own socket to our Redis; the guard refuses that connection, so no command lands."""
    admin = await register_and_login(guarded_clients.auth, "mallory@example.com")
    port = _redis_port(settings)
    channel_id = await _store_apprise(settings, admin, _irc_injection(port))

    result = await _press_test(guarded_clients, admin, channel_id)

    assert await redis.exists(FORGED_KEY) == 0
    assert result["ok"] is False
    # The plugin got as far as connecting to Redis: the guard, not a parse error, stopped it.
    assert f"refused to connect to 127.0.0.1 port {port}" in result["error"]
    assert "loopback" in result["error"]


async def test_rsyslog_to_cloud_metadata_is_never_sent(
    clients: Clients, settings: Settings
) -> None:
    """UDP to 169.254.169.254 answered ok: true before; even with private targets allowed it
    is refused at creation, and at the socket when stored anyway."""
    admin = await register_and_login(clients.auth, "mallory@example.com")
    url = "rsyslog://169.254.169.254:514/"
    body = {"type": "apprise", "name": "syslog", "config": {"url": url}}
    created = await clients.alerts.post("/channels", headers=admin.headers, json=body)
    assert created.status_code == 422 and "link-local" in created.json()["detail"]

    channel_id = await _store_apprise(settings, admin, url)
    result = await _press_test(clients, admin, channel_id)
    assert result["ok"] is False and "169.254.169.254" in result["error"]


async def test_a_webhook_to_the_platforms_own_history_store_is_refused(
    clients: Clients, settings: Settings
) -> None:
    """Private targets allowed (a webhook on the LAN), yet VictoriaMetrics' delete API as a
    webhook would wipe every organization's history: refused at the socket."""
    admin = await register_and_login(clients.auth, "mallory@example.com")
    url = f'{settings.tsdb_url}/api/v1/admin/tsdb/delete_series?match[]={{org_id=~".+"}}'
    body = {"type": "webhook", "name": "wipe", "config": {"url": url}}
    created = await clients.alerts.post("/channels", headers=admin.headers, json=body)
    assert created.status_code == 201, created.text
    result = await _press_test(clients, admin, created.json()["id"])
    assert result["ok"] is False
    assert "this platform's own VictoriaMetrics" in result["error"], result


async def test_allowed_apprise_target_still_gets_the_test(clients: Clients) -> None:
    admin = await register_and_login(clients.auth, "ops@example.com")
    with http_recorder() as receiver:
        url = f"json://127.0.0.1:{receiver.port}/notify"
        body = {"type": "apprise", "name": "json", "config": {"url": url}}
        created = await clients.alerts.post("/channels", headers=admin.headers, json=body)
        assert created.status_code == 201, created.text
        result = await _press_test(clients, admin, created.json()["id"])
        assert result == {"ok": True, "error": None}
        assert [r.path for r in receiver.requests] == ["/notify"]


VALID_CONFIGS: dict[str, dict[str, Any]] = {
    "webhook": {"url": "https://hooks.example.com/x"},
    "telegram": {"chat_id": "12345"},
    "email": {"to": ["ops@example.com"]},
    "slack": {"webhook_url": "https://hooks.slack.com/services/T/B/C"},
    "apprise": {"url": "ntfy://ntfy.example.com/alerts"},
}


def _config_with(field: str, value: Any) -> tuple[str, dict[str, Any]]:
    """(type, a valid config of that type with `field` ("webhook.headers.X-Team") set)."""
    type_, *path = field.split(".")
    config = json.loads(json.dumps(VALID_CONFIGS[type_]))
    target = config
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value
    return type_, config


LINE_BREAKS = [
    ("webhook.url", "https://hooks.example.com/x?a=1%0d%0aHost:%20evil", "config.url"),
    ("webhook.url", "https://user:pa%00ss@hooks.example.com/x", "config.url"),
    ("webhook.url", "https://hooks.example.com/x?a=%250a", "config.url"),
    ("webhook.headers.X-Team", "ops%0D%0AX-Injected: 1", "config.headers.X-Team"),
    ("webhook.headers.X-Team", "ops\nX-Injected: 1", "config.headers.X-Team"),
    ("webhook.secret_headers", "Authorization: Bearer a%0d%0ab", "config.secret_headers"),
    ("webhook.secret_headers", "Authorization: Bearer a\rb", "config.secret_headers"),
    ("telegram.chat_id", "12345\r\n", "config.chat_id"),
    ("email.to", ["ops@example.com\r\nRCPT TO:<x@evil.example>"], "config.to.0"),
    ("email.username", "alerts\r\nAUTH PLAIN", "config.username"),
    ("email.from_address", "Alerts <alerts@example.com>%0d%0aBcc: x@evil", "config.from_address"),
    ("slack.webhook_url", "https://hooks.slack.com/services/T/B/C%0a", "config.webhook_url"),
    ("apprise.url", "ntfy://user:pa%0Ass@ntfy.example.com/alerts", "config.url"),
    ("apprise.url", "ntfy://ntfy.example.com/alerts\x00", "config.url"),
]


@pytest.mark.parametrize(("field", "value", "named"), LINE_BREAKS)
async def test_line_breaks_anywhere_in_a_config_are_refused(
    guarded_clients: Clients, field: str, value: Any, named: str
) -> None:
    admin = await register_and_login(guarded_clients.auth, "ops@example.com")
    type_, config = _config_with(field, value)
    body = {"type": type_, "name": "broken", "config": config}
    created = await guarded_clients.alerts.post("/channels", headers=admin.headers, json=body)
    assert created.status_code == 422, created.text
    assert created.json()["detail"].startswith(f"{named}: must not contain CR, LF or NUL")

    valid = {"type": type_, "name": "fine", "config": VALID_CONFIGS[type_]}
    made = await guarded_clients.alerts.post("/channels", headers=admin.headers, json=valid)
    assert made.status_code == 201, made.text
    patched = await guarded_clients.alerts.patch(
        f"/channels/{made.json()['id']}", headers=admin.headers, json={"config": config}
    )
    assert patched.status_code == 422, patched.text
    assert patched.json()["detail"].startswith(f"{named}: must not contain CR, LF or NUL")


async def test_secret_headers_keep_one_line_per_header(guarded_clients: Clients) -> None:
    admin = await register_and_login(guarded_clients.auth, "ops@example.com")
    _, config = _config_with("webhook.secret_headers", "Authorization: Bearer t\r\nX-Key: k\n")
    body = {"type": "webhook", "name": "two headers", "config": config}
    created = await guarded_clients.alerts.post("/channels", headers=admin.headers, json=body)
    assert created.status_code == 201, created.text


async def test_the_alert_service_as_make_run_starts_it_guards_test_sends(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis, log_dir: Path
) -> None:
    """A real uvicorn process with make run's flags for the alert service: the guard needs
    asyncio's own loop (uvicorn would pick uvloop, whose sockets it cannot see)."""
    [alert] = [service for service in SERVICES if service.name == "alert"]
    admin = await register_and_login(auth_client, "mallory@example.com")
    port = _redis_port(settings)
    channel_id = await _store_apprise(settings, admin, _irc_injection(port))
    env = {"ALERT_OUTBOUND_ALLOW_PRIVATE": "false", "ALERT_DELIVERY_TIMEOUT_SECONDS": "3"}
    with live_service(
        "alert_service", settings, log_dir, extra_env=env, uvicorn_args=alert.uvicorn_args
    ) as service:
        async with httpx.AsyncClient(base_url=service.url, timeout=30) as client:
            tested = await client.post(f"/channels/{channel_id}/test", headers=admin.headers)
    assert tested.status_code == 200, tested.text
    assert await redis.exists(FORGED_KEY) == 0
    assert f"refused to connect to 127.0.0.1 port {port}" in tested.json()["error"]
