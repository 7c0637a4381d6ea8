"""Uptime monitors as alert targets: one alert when a monitor goes down and its resolution,
none for what depends on a down monitor (monitors and hosts), monitors and agents never
mistaken for each other, and the rules API for monitor rules."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from alert_service.domain.messages import render
from core.live import latest_key
from core.models import AlertRule
from core.notifications import Kind
from core.reports import encode_report
from core.settings import Settings
from harness.database import fetch
from harness.factories import register_and_login
from tests.alerting.evaluation import (
    add_rule,
    alert_worker,
    down,
    entries,
    insert_monitor,
    kinds,
    make_org,
    monitor_report,
    notifications,
    report,
    set_monitor_status,
    unreachable,
    up,
)


async def _alerts(settings: Settings) -> list[dict[str, Any]]:
    rows = await fetch(settings.database_url, "SELECT * FROM alerts ORDER BY id")
    return [dict(row) for row in rows]


async def _monitor_down_rule(settings: Settings, org_id: int, **values: Any) -> int:
    rule = {"metric": "monitor_down", "condition": "ge", "threshold": 1} | values
    return await add_rule(settings, org_id, target_type="monitor", **rule)


# --- evaluation ---------------------------------------------------------------------------


async def test_a_down_monitor_alerts_once_naming_it_and_resolves_when_up(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    shop = await insert_monitor(settings, org.org_id, "shop")
    rule_id = await _monitor_down_rule(settings, org.org_id)
    t = time.time() - 100
    checks = [up(response_time_ms=80), down(), down(), down()]
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(
            entries(*(monitor_report(org, shop, t + i, **c) for i, c in enumerate(checks)))
        )
        await worker.handle_reports(entries(monitor_report(org, shop, t + 10, **up())))
    firing, resolved = await notifications(redis)
    assert (firing.kind, firing.title) == ("firing", "[CRITICAL] Monitor shop is down")
    assert firing.fields["monitor"] == "shop" and "host" not in firing.fields
    assert firing.fields["value"] == "down" and "threshold" not in firing.fields
    assert (resolved.kind, resolved.title) == ("resolved", "[RESOLVED] Monitor shop is up again")
    assert resolved.alert_id == firing.alert_id
    [alert] = await _alerts(settings)
    assert (alert["monitor_id"], alert["agent_id"], alert["rule_id"]) == (shop, None, rule_id)
    assert (alert["resolved_at"] - alert["started_at"]).total_seconds() == 9
    events = await fetch(settings.database_url, "SELECT kind, key FROM alert_events ORDER BY id")
    assert [e["kind"] for e in events] == ["firing", "resolved"]
    assert events[0]["key"].startswith(f"r{rule_id}:m{shop}:")


async def test_a_dependant_behind_a_down_monitor_raises_no_alert_of_its_own(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    router = await insert_monitor(settings, org.org_id, "router")
    site = await insert_monitor(settings, org.org_id, "site", parent_id=router)
    await _monitor_down_rule(settings, org.org_id)  # every monitor of the organization
    t = time.time() - 100
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(
            entries(
                monitor_report(org, router, t, **down()),
                monitor_report(org, site, t + 1, **unreachable()),
            )
        )
        # The probe records the router down; a check of the site that raced it still says
        # "down": the site is behind a down monitor all the same.
        await set_monitor_status(settings, router, "down")
        await worker.refresh_book(force=True)
        await worker.handle_reports(entries(monitor_report(org, site, t + 2, **down())))
    [only] = await notifications(redis)
    assert only.title == "[CRITICAL] Monitor router is down"
    assert [a["monitor_id"] for a in await _alerts(settings)] == [router]


async def test_an_unreachable_dependant_neither_resolves_nor_alerts_until_its_parent_is_back(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    router = await insert_monitor(settings, org.org_id, "router")
    site = await insert_monitor(settings, org.org_id, "site", parent_id=router)
    await _monitor_down_rule(settings, org.org_id)
    t = time.time() - 100
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(entries(monitor_report(org, site, t, **down())))
        assert [n.title for n in await notifications(redis)] == ["[CRITICAL] Monitor site is down"]
        # Unreachable says nothing about the site itself: not "up again".
        await worker.handle_reports(entries(monitor_report(org, site, t + 1, **unreachable())))
        assert await kinds(redis) == ["firing"]
        await worker.handle_reports(entries(monitor_report(org, site, t + 2, **up())))
    assert await kinds(redis) == ["firing", "resolved"]


@pytest.mark.parametrize("parent_status", ["down", "unreachable"])
async def test_a_host_behind_a_down_monitor_is_reported_offline_only_once_it_is_back(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis, parent_status: str
) -> None:
    org = await make_org(auth_client, settings)
    router = await insert_monitor(settings, org.org_id, "router", status=parent_status)
    await fetch(
        settings.database_url,
        "UPDATE agents SET parent_monitor_id = $1 WHERE id = $2",
        router,
        org.agent_id,
    )
    await add_rule(settings, org.org_id, metric="host_offline", condition="ge", threshold=3)
    last = time.time()
    await redis.hset(
        latest_key(org.org_id), str(org.agent_id), encode_report(report(org, last, 5, interval=5))
    )
    async with alert_worker(settings, redis) as worker:
        await worker.scan_offline(now=last + 60)  # 12 intervals silent, behind a down router
        assert await kinds(redis) == []
        await set_monitor_status(settings, router, "up")
        await worker.refresh_book(force=True)
        await worker.scan_offline(now=last + 65)  # still silent with its router up: offline
    [offline] = await notifications(redis)
    assert offline.title == "[CRITICAL] web-1 is offline (13.0 report intervals missed)"
    [alert] = await _alerts(settings)
    assert (alert["agent_id"], alert["monitor_id"]) == (org.agent_id, None)


async def test_a_monitor_and_an_agent_with_the_same_id_are_never_mistaken(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    twin = await insert_monitor(settings, org.org_id, "api")
    assert twin == org.agent_id  # both tables start at 1: the case that must not cross
    cpu_rule = await add_rule(settings, org.org_id, agent_id=org.agent_id, threshold=80)
    slow_rule = await add_rule(
        settings,
        org.org_id,
        target_type="monitor",
        monitor_id=twin,
        metric="response_time_ms",
        condition="gt",
        threshold=500,
    )
    t = time.time() - 100
    # Each target reports the other's metric too: a rule reading the wrong kind would fire.
    agent = report(org, t, 10)
    agent.metrics["response_time_ms"] = 900
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(
            entries(agent, monitor_report(org, twin, t, **up(response_time_ms=90, cpu_percent=99)))
        )
        assert await kinds(redis) == []
        slow = monitor_report(org, twin, t + 1, **up(response_time_ms=900))
        await worker.handle_reports(entries(report(org, t + 1, 95), slow))
    titles = sorted(n.title for n in await notifications(redis))
    assert titles == [
        "[CRITICAL] Monitor api: response time 900 ms (> 500 ms)",
        "[CRITICAL] web-1: cpu 95.0 % > 80.0 %",
    ]
    targets = {a["rule_id"]: (a["agent_id"], a["monitor_id"]) for a in await _alerts(settings)}
    assert targets == {cpu_rule: (org.agent_id, None), slow_rule: (None, twin)}
    states = await fetch(settings.database_url, "SELECT rule_id, target_key FROM alert_states")
    assert {(s["rule_id"], s["target_key"]) for s in states} == {
        (cpu_rule, str(org.agent_id)),
        (slow_rule, f"m{twin}"),
    }


async def test_silences_match_monitors_by_labels_and_an_agents_silence_only_its_agent(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    twin = await insert_monitor(settings, org.org_id, "api")  # same id as the agent
    shop = await insert_monitor(settings, org.org_id, "shop", labels='{"env": "staging"}')
    await _monitor_down_rule(settings, org.org_id)
    for matcher in ({"agent_id": org.agent_id}, {"labels": '{"env": "staging"}'}):
        await fetch(
            settings.database_url,
            "INSERT INTO silences (org_id, agent_id, labels, starts_at, ends_at, weekdays,"
            " timezone, comment) VALUES ($1, $2, $3::jsonb, now() - interval '1 hour',"
            " now() + interval '1 hour', '[]', 'UTC', '')",
            org.org_id,
            matcher.get("agent_id"),
            matcher.get("labels", "{}"),
        )
    t = time.time() - 100
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(
            entries(monitor_report(org, twin, t, **down()), monitor_report(org, shop, t, **down()))
        )
    assert [n.title for n in await notifications(redis)] == ["[CRITICAL] Monitor api is down"]
    silenced = {a["monitor_id"]: a["silenced"] for a in await _alerts(settings)}
    assert silenced == {twin: False, shop: True}


async def test_a_silence_naming_a_monitor_mutes_only_that_monitor(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    settings: Settings,
    redis: Redis,
) -> None:
    org = await make_org(auth_client, settings)
    shop = await insert_monitor(settings, org.org_id, "shop")
    api = await insert_monitor(settings, org.org_id, "api")
    await _monitor_down_rule(settings, org.org_id)
    body = {"monitor_id": shop, "ends_at": "2999-01-01T00:00:00Z", "comment": "maintenance"}
    created = await alert_client.post("/silences", headers=org.admin.headers, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["monitor_id"] == shop
    foreign = await alert_client.post(
        "/silences", headers=org.admin.headers, json={**body, "monitor_id": 10**6}
    )
    assert foreign.status_code == 404
    t = time.time() - 100
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(
            entries(monitor_report(org, shop, t, **down()), monitor_report(org, api, t, **down()))
        )
    assert [n.title for n in await notifications(redis)] == ["[CRITICAL] Monitor api is down"]


def test_monitor_messages_say_what_happened_in_the_monitors_terms() -> None:
    def title(kind: Kind, metric: str, condition: str, threshold: float, value: float) -> str:
        rule = AlertRule(
            id=1, org_id=1, target_type="monitor", metric=metric, condition=condition,
            threshold=threshold, severity="warning",
        )  # fmt: skip
        message = render(
            kind, rule, "shop", {}, value, at=10, since=0, alert_id=7,
            public_url="https://status.example.com",
        )  # fmt: skip
        return message.title

    assert title("firing", "cert_days_left", "le", 14, 9) == (
        "[WARNING] Monitor shop: certificate expires in 9 days (≤ 14 days)"
    )
    assert title("firing", "cert_days_left", "le", 14, -2) == (
        "[WARNING] Monitor shop: certificate expired 2 days ago (≤ 14 days)"
    )
    assert title("resolved", "cert_days_left", "le", 14, 89) == (
        "[RESOLVED] Monitor shop: certificate valid for 89 more days"
    )
    assert title("firing", "monitor_degraded", "ge", 1, 1) == (
        "[WARNING] Monitor shop is degraded (slow)"
    )
    assert title("resolved", "response_time_ms", "gt", 1000, 120) == (
        "[RESOLVED] Monitor shop: response time back to 120 ms"
    )
    # An unusual rule on a state is told in numbers, not as "is down".
    assert title("firing", "monitor_down", "lt", 1, 0) == (
        "[WARNING] Monitor shop: monitor_down 0 (< 1)"
    )


# --- the rules and alerts API ---------------------------------------------------------------


async def test_a_new_organization_is_told_when_any_monitor_goes_down(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient
) -> None:
    admin = await register_and_login(auth_client, "ops@example.com")
    second = await auth_client.post("/organizations", headers=admin.headers, json={"name": "Two"})
    assert second.status_code == 201, second.text
    for org_id in (admin.org_id, second.json()["id"]):
        switched = await auth_client.post(f"/organizations/{org_id}/switch", headers=admin.headers)
        headers = {"Authorization": f"Bearer {switched.json()['access_token']}"}
        rules = (await alert_client.get("/rules", headers=headers)).json()
        [monitor_rule] = [r for r in rules if r["target_type"] == "monitor"]
        assert {k: monitor_rule[k] for k in ("metric_type", "condition", "threshold")} == {
            "metric_type": "monitor_down",
            "condition": "ge",
            "threshold": 1.0,
        }
        assert (monitor_rule["severity"], monitor_rule["for_seconds"]) == ("critical", 0)
        assert (monitor_rule["monitor_id"], monitor_rule["agent_id"]) == (None, None)


async def test_monitor_rules_by_short_name_and_defaults(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await register_and_login(auth_client, "ops@example.com")
    assert admin.org_id is not None
    shop = await insert_monitor(settings, admin.org_id, "shop")
    made = []
    for body in (
        {"metric_type": "cert_expiry", "monitor_id": shop},
        {"metric_type": "certificate", "threshold": 7, "severity": "critical"},
        {"metric_type": "response_time", "condition": "gt", "threshold": 800},
        {"metric_type": "degraded", "monitor_id": str(shop)},
        {"metric_type": "monitor_down"},
    ):
        created = await alert_client.post(
            "/rules", headers=admin.headers, json={"target_type": "monitor", **body}
        )
        assert created.status_code == 201, created.text
        rule = created.json()
        made.append((rule["metric_type"], rule["condition"], rule["threshold"], rule["monitor_id"]))
    assert made == [
        ("cert_days_left", "le", 14, shop),
        ("cert_days_left", "le", 7, None),
        ("response_time_ms", "gt", 800, None),
        ("monitor_degraded", "ge", 1, shop),
        ("monitor_down", "ge", 1, None),
    ]


_CPU = {"metric_type": "cpu", "condition": "gt", "threshold": 1}
_MONITOR = {"target_type": "monitor"}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({**_MONITOR, "agent_id": 1, "metric_type": "down"}, "agent_id", "monitor_id"),
        ({**_CPU, "monitor_id": 1}, "monitor_id", "target_type"),
        ({**_MONITOR, **_CPU}, "metric_type", "not a monitor metric"),
        ({**_MONITOR, **_CPU, "metric_type": "host_offline"}, "metric_type", "not a"),
        ({**_CPU, "metric_type": "monitor_down"}, "metric_type", "target_type"),
        ({**_MONITOR, "metric_type": "response_time", "condition": "gt"}, "threshold", "required"),
        ({**_MONITOR, "metric_type": "down", "match": {"a": "b"}}, "match", "per-item"),
        ({**_CPU, "target_type": "host"}, "target_type", "monitor"),
    ],
)
async def test_rules_naming_the_other_kind_of_target_or_metric_are_refused_saying_so(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    settings: Settings,
    body: dict[str, Any],
    field: str,
    words: str,
) -> None:
    admin = await register_and_login(auth_client, "ops@example.com")
    assert admin.org_id is not None
    await insert_monitor(settings, admin.org_id, "shop")
    response = await alert_client.post("/rules", headers=admin.headers, json=body)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", field] and words in error["msg"], error


@pytest.mark.parametrize("hostile", [0, -1, 2**40, "shop", 1.5, [1], None])
async def test_hostile_monitor_ids_are_refused(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient, hostile: object
) -> None:
    admin = await register_and_login(auth_client, "ops@example.com")
    body = {"target_type": "monitor", "metric_type": "down", "monitor_id": hostile}
    created = await alert_client.post("/rules", headers=admin.headers, json=body)
    if hostile is None:  # null: every monitor, as if not given
        assert created.status_code == 201 and created.json()["monitor_id"] is None
        return
    assert created.status_code == 422, created.text
    assert created.json()["detail"][0]["loc"] == ["body", "monitor_id"]
    listed = await alert_client.get(
        "/alerts/", headers=admin.headers, params={"monitor_id": json.dumps(hostile)}
    )
    assert listed.status_code == 422, listed.text
    assert listed.json()["detail"][0]["loc"] == ["query", "monitor_id"]


async def test_another_organizations_monitor_is_404_in_rules_and_absent_from_alerts(
    open_client: httpx.AsyncClient, alert_client: httpx.AsyncClient, settings: Settings
) -> None:
    alice = await register_and_login(open_client, "alice@example.com")
    mallory = await register_and_login(open_client, "mallory@example.com")
    assert alice.org_id is not None and mallory.org_id is not None
    alices = await insert_monitor(settings, alice.org_id, "alice's shop")
    await fetch(
        settings.database_url,
        "INSERT INTO alerts (org_id, monitor_id, metric, condition, severity, value, threshold,"
        " started_at, silenced) VALUES ($1, $2, 'monitor_down', 'ge', 'critical', 1, 1, now(),"
        " false)",
        alice.org_id,
        alices,
    )
    body = {"target_type": "monitor", "metric_type": "down", "monitor_id": alices}
    stolen = await alert_client.post("/rules", headers=mallory.headers, json=body)
    assert stolen.status_code == 404 and stolen.json()["detail"] == "monitor not found"
    own = (await alert_client.get("/rules", headers=mallory.headers)).json()
    [default] = [r for r in own if r["target_type"] == "monitor"]
    patched = await alert_client.patch(
        f"/rules/{default['id']}", headers=mallory.headers, json={"monitor_id": alices}
    )
    assert patched.status_code == 404
    theirs = await alert_client.get(
        "/alerts/", headers=mallory.headers, params={"monitor_id": alices}
    )
    assert theirs.status_code == 200 and theirs.json()["count"] == 0
    mine = await alert_client.get("/alerts/", headers=alice.headers, params={"monitor_id": alices})
    [alert] = mine.json()["data"]
    assert (alert["monitor_id"], alert["agent_id"]) == (alices, None)
    assert (await alert_client.post("/rules", headers=alice.headers, json=body)).status_code == 201


async def test_a_rule_changed_to_watch_monitors_drops_its_agent_and_ends_its_alerts(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient, settings: Settings
) -> None:
    org = await make_org(auth_client, settings)
    shop = await insert_monitor(settings, org.org_id, "shop")
    body = {"agent_id": org.agent_id, "metric_type": "cpu", "condition": "gt", "threshold": 80}
    rule = (await alert_client.post("/rules", headers=org.admin.headers, json=body)).json()
    await fetch(
        settings.database_url,
        "INSERT INTO alerts (org_id, rule_id, agent_id, metric, condition, severity, value,"
        " threshold, started_at, silenced) VALUES ($1, $2, $3, 'cpu', 'gt', 'warning', 95, 80,"
        " now(), false)",
        org.org_id,
        rule["id"],
        org.agent_id,
    )
    url = f"/rules/{rule['id']}"
    kept = await alert_client.patch(url, headers=org.admin.headers, json={"target_type": "monitor"})
    assert kept.status_code == 422 and "not a monitor metric" in kept.text  # still on cpu
    moved = await alert_client.patch(
        url,
        headers=org.admin.headers,
        json={"target_type": "monitor", "monitor_id": shop, "metric_type": "cert_expiry"},
    )
    assert moved.status_code == 200, moved.text
    after = moved.json()
    assert (after["target_type"], after["agent_id"], after["monitor_id"]) == ("monitor", None, shop)
    assert after["metric_type"] == "cert_days_left"
    [ended] = await _alerts(settings)
    assert ended["resolved_at"] is not None
    wrong = await alert_client.patch(url, headers=org.admin.headers, json={"match": {"a": "b"}})
    assert wrong.status_code == 422 and "per-item" in wrong.text
