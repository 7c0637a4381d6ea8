"""StatusMonitor v1's alert rule and recipient API, as a user of the dashboard drives it."""

from __future__ import annotations

import httpx
import pytest

from core.settings import Settings
from harness.clients import asgi_client
from harness.database import fetch
from harness.factories import TestUser, invite_and_join, register_and_login, user_with_agent


async def _admin_with_agent(auth_client: httpx.AsyncClient) -> tuple[TestUser, int]:
    agent = await user_with_agent(auth_client, "admin@example.com", "web-1")
    return agent.owner, agent.id


async def test_statusmonitor_v1_rule_payload_works_as_written(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient
) -> None:
    admin, agent_id = await _admin_with_agent(auth_client)
    payload = {
        "agent_id": str(agent_id),
        "metric_type": "cpu",
        "condition": "gt",
        "threshold": 90.0,
        "enabled": True,
    }
    created = await alert_client.post("/rules", headers=admin.headers, json=payload)
    assert created.status_code == 201, created.text
    rule = created.json()
    assert rule["agent_id"] == agent_id and rule["metric_type"] == "cpu"
    assert (rule["severity"], rule["renotify_seconds"], rule["for_seconds"]) == ("warning", 300, 0)
    listed = (await alert_client.get("/rules", headers=admin.headers)).json()
    assert rule["id"] in [r["id"] for r in listed]
    deleted = await alert_client.delete(f"/rules/{rule['id']}", headers=admin.headers)
    assert deleted.status_code == 204
    after = (await alert_client.get("/rules", headers=admin.headers)).json()
    assert rule["id"] not in [r["id"] for r in after]


async def test_a_new_organization_is_watched_by_the_data_monitoring_tools_default_rules(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient
) -> None:
    admin, _ = await _admin_with_agent(auth_client)
    rules = (await alert_client.get("/rules", headers=admin.headers)).json()
    assert sorted(
        (r["target_type"], r["metric_type"], r["condition"], r["threshold"], r["agent_id"])
        for r in rules
    ) == [
        ("agent", "cpu", "gt", 90.0, None),
        ("agent", "disk", "gt", 90.0, None),
        ("agent", "host_offline", "ge", 3.0, None),
        ("agent", "memory", "gt", 90.0, None),
        ("monitor", "monitor_down", "ge", 1.0, None),  # every monitor going down
    ]
    offline = next(r for r in rules if r["metric_type"] == "host_offline")
    edited = await alert_client.patch(
        f"/rules/{offline['id']}", headers=admin.headers, json={"threshold": 5}
    )
    assert edited.status_code == 200 and edited.json()["threshold"] == 5


async def test_rule_for_every_agent_and_patch(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient, settings: Settings
) -> None:
    admin, _ = await _admin_with_agent(auth_client)
    body = {"metric_type": "memory", "condition": "ge", "threshold": 80, "severity": "critical"}
    rule = (await alert_client.post("/rules", headers=admin.headers, json=body)).json()
    assert rule["agent_id"] is None
    patched = await alert_client.patch(
        f"/rules/{rule['id']}", headers=admin.headers, json={"threshold": 95, "enabled": False}
    )
    assert patched.status_code == 200
    assert (patched.json()["threshold"], patched.json()["enabled"]) == (95, False)
    assert patched.json()["severity"] == "critical"
    audit = await fetch(settings.database_url, "SELECT action FROM audit_log ORDER BY id")
    assert [r["action"] for r in audit][-2:] == ["rule.create", "rule.update"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"metric_type": "cpu", "condition": "gt", "threshold": 150}, "threshold"),
        ({"metric_type": "cpu", "condition": "above", "threshold": 50}, "condition"),
        ({"metric_type": 'cpu{org_id="2"}', "condition": "gt", "threshold": 5}, "metric_type"),
        ({"metric_type": "cpu", "condition": "gt", "threshold": "NaN"}, "threshold"),
        ({"metric_type": "cpu", "condition": "gt"}, "threshold"),
        (
            {"metric_type": "cpu", "condition": "gt", "threshold": 5, "severity": "urgent"},
            "severity",
        ),
        (
            {"metric_type": "disk", "condition": "gt", "threshold": 5, "match": {"a b": "x"}},
            "match",
        ),
        ({"metric_type": "cpu", "condition": "gt", "threshold": 5, "hysteresis": -1}, "hysteresis"),
    ],
)
async def test_bad_rules_are_refused_naming_the_problem(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    body: dict[str, object],
    field: str,
) -> None:
    admin, _ = await _admin_with_agent(auth_client)
    before = (await alert_client.get("/rules", headers=admin.headers)).json()
    response = await alert_client.post("/rules", headers=admin.headers, json=body)
    assert response.status_code == 422
    assert field in response.text
    assert (await alert_client.get("/rules", headers=admin.headers)).json() == before


async def test_patch_cannot_make_a_percentage_threshold_impossible(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient
) -> None:
    admin, _ = await _admin_with_agent(auth_client)
    body = {"metric_type": "load", "condition": "gt", "threshold": 150}
    rule = (await alert_client.post("/rules", headers=admin.headers, json=body)).json()
    response = await alert_client.patch(
        f"/rules/{rule['id']}", headers=admin.headers, json={"metric_type": "disk"}
    )
    assert response.status_code == 422
    stored = (await alert_client.get("/rules", headers=admin.headers)).json()
    assert next(r for r in stored if r["id"] == rule["id"])["metric_type"] == "load"


async def test_viewer_cannot_create_rules_or_set_recipient(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient
) -> None:
    admin, _ = await _admin_with_agent(auth_client)
    viewer = await invite_and_join(auth_client, admin, "v@example.com", "viewer")
    body = {"metric_type": "cpu", "condition": "gt", "threshold": 90}
    assert (await alert_client.post("/rules", headers=viewer.headers, json=body)).status_code == 403
    recipient = await alert_client.post("/recipient", headers=viewer.headers, json={"chat_id": "1"})
    assert recipient.status_code == 403
    assert (await alert_client.get("/rules", headers=viewer.headers)).status_code == 200


async def test_another_organizations_rules_and_agents_are_404(settings: Settings) -> None:
    from alert_service.app import create_app as create_alert_app
    from auth_service.app import create_app as create_auth_app

    open_settings = settings.model_copy(update={"registration_policy": "open"})
    async with (
        asgi_client(create_auth_app(open_settings)) as auth,
        asgi_client(create_alert_app(open_settings)) as alerts,
    ):
        alice, alice_agent = await _admin_with_agent(auth)
        mallory = await register_and_login(auth, "mallory@example.com")
        body = {"metric_type": "cpu", "condition": "gt", "threshold": 90}
        rule = (await alerts.post("/rules", headers=alice.headers, json=body)).json()
        for method, url, payload in [
            ("PATCH", f"/rules/{rule['id']}", {"threshold": 1}),
            ("DELETE", f"/rules/{rule['id']}", None),
            ("POST", "/rules", {**body, "agent_id": alice_agent}),
        ]:
            response = await alerts.request(method, url, headers=mallory.headers, json=payload)
            assert response.status_code == 404, (method, url, response.text)
        mallorys = (await alerts.get("/rules", headers=mallory.headers)).json()
        # Each has its 5 default rules; alice also the one she made.
        assert rule["id"] not in [r["id"] for r in mallorys] and len(mallorys) == 5
        assert len((await alerts.get("/rules", headers=alice.headers)).json()) == 6


async def test_recipient_chat_id_is_per_user_and_validated(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient, settings: Settings
) -> None:
    admin, _ = await _admin_with_agent(auth_client)
    unset = (await alert_client.get("/recipient", headers=admin.headers)).json()
    assert unset["chat_id"] is None and unset["confirmed"] is False
    saved = await alert_client.post(
        "/recipient", headers=admin.headers, json={"chat_id": "123456789"}
    )
    assert saved.status_code == 200 and saved.json()["chat_id"] == "123456789"
    await alert_client.post("/recipient", headers=admin.headers, json={"chat_id": "-1001234"})
    current = (await alert_client.get("/recipient", headers=admin.headers)).json()
    assert current["chat_id"] == "-1001234" and current["confirm_code"] is None
    channels = await fetch(settings.database_url, "SELECT type, config FROM notification_channels")
    assert len(channels) == 1 and channels[0]["type"] == "telegram"
    bad = await alert_client.post(
        "/recipient", headers=admin.headers, json={"chat_id": "not a chat"}
    )
    assert bad.status_code == 422


async def test_health_and_readiness(alert_client: httpx.AsyncClient) -> None:
    assert (await alert_client.get("/health")).json() == {
        "status": "ok",
        "service": "alert_service",
    }
    assert (await alert_client.get("/ready")).status_code == 200


async def test_rules_target_labels_and_items_and_name_their_channels(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient, settings: Settings
) -> None:
    admin, _ = await _admin_with_agent(auth_client)
    channel = await alert_client.post(
        "/channels",
        headers=admin.headers,
        json={
            "type": "slack",
            "name": "ops",
            "config": {"webhook_url": "https://hooks.slack.com/services/T/B/x"},
        },
    )
    assert channel.status_code == 201, channel.text
    body = {
        "metric_type": "disk",
        "condition": "gt",
        "threshold": 85,
        "labels": {"env": "prod"},
        "match": {"mountpoint": "/data"},
        "hysteresis": 5,
        "channel_ids": [channel.json()["id"]],
        "severity": "high",  # the Device Monitoring Backend's word for critical
    }
    created = await alert_client.post("/rules", headers=admin.headers, json=body)
    assert created.status_code == 201, created.text
    rule = created.json()
    assert rule["labels"] == {"env": "prod"} and rule["match"] == {"mountpoint": "/data"}
    assert (rule["hysteresis"], rule["channel_ids"], rule["severity"]) == (
        5,
        [channel.json()["id"]],
        "critical",
    )
    from auth_service.app import create_app as create_auth_app

    open_settings = settings.model_copy(update={"registration_policy": "open"})
    async with asgi_client(create_auth_app(open_settings)) as open_auth:
        other = await register_and_login(open_auth, "other@example.com")
    foreign = await alert_client.post(
        "/channels",
        headers=other.headers,
        json={
            "type": "slack",
            "name": "theirs",
            "config": {"webhook_url": "https://hooks.slack.com/services/T/B/y"},
        },
    )
    refused = await alert_client.patch(
        f"/rules/{rule['id']}", headers=admin.headers, json={"channel_ids": [foreign.json()["id"]]}
    )
    assert refused.status_code == 404 and "channel" in refused.text
    kept = (await alert_client.get("/rules", headers=admin.headers)).json()
    assert next(r for r in kept if r["id"] == rule["id"])["channel_ids"] == [channel.json()["id"]]
