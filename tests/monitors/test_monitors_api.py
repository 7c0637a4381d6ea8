"""Monitors over the API: what a dashboard user and a script can do, and what they cannot."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from core.settings import Settings
from harness.factories import TestUser, invite_and_join, register_and_login
from harness.http_recorder import http_recorder
from harness.polling import eventually

PUSH = {"name": "nightly backup", "type": "push", "config": {"period_seconds": 3600}}


def http_monitor(**extra: Any) -> dict[str, Any]:
    return {"name": "site", "type": "http", "target": "http://127.0.0.1:9/", **extra}


async def create(client: httpx.AsyncClient, user: TestUser, body: dict[str, Any]) -> dict[str, Any]:
    created = await client.post("/monitors", headers=user.headers, json=body)
    assert created.status_code == 201, created.text
    made: dict[str, Any] = created.json()
    return made


async def test_an_operator_adds_edits_pauses_and_deletes_monitors(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    site = await create(probe_client, admin, http_monitor(labels={"env": "prod"}, retries=2))
    assert (site["status"], site["interval_seconds"], site["retry_interval_seconds"]) == (
        "pending", 60, 60,
    )  # fmt: skip
    backup = await create(probe_client, admin, PUSH)
    assert backup["push_path"].startswith("/ping/") and len(backup["push_path"]) > 20

    edited = await probe_client.patch(
        f"/monitors/{site['id']}",
        headers=admin.headers,
        json={"name": "shop", "parent_id": backup["id"]},
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["name"], edited.json()["parent_id"]) == ("shop", backup["id"])

    paused = await probe_client.post(
        "/monitors/bulk",
        headers=admin.headers,
        json={"ids": [site["id"], backup["id"]], "active": False},
    )
    assert paused.json() == {"updated": 2}
    listed = (await probe_client.get("/monitors?status=paused", headers=admin.headers)).json()
    assert listed["count"] == 2
    found = (await probe_client.get("/monitors?label=env:prod", headers=admin.headers)).json()
    assert [m["id"] for m in found["data"]] == [site["id"]]

    gone = await probe_client.delete(f"/monitors/{site['id']}", headers=admin.headers)
    assert gone.status_code == 204
    missing = await probe_client.get(f"/monitors/{site['id']}", headers=admin.headers)
    assert missing.status_code == 404


async def test_secrets_are_kept_but_never_shown(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    body = http_monitor(config={"auth": "bearer", "token": "s3cr3t-token-value"})
    created = await probe_client.post("/monitors", headers=admin.headers, json=body)
    assert created.status_code == 201, created.text
    assert "s3cr3t-token-value" not in created.text
    assert created.json()["secret_fields"] == ["token"]
    renamed = await probe_client.patch(
        f"/monitors/{created.json()['id']}",
        headers=admin.headers,
        json={"config": {"method": "HEAD"}},
    )
    assert renamed.json()["secret_fields"] == ["token"]  # kept when not sent again


async def test_viewers_read_but_cannot_change_nor_see_push_urls(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    viewer = await invite_and_join(auth_client, admin, "viewer@example.com", "viewer")
    backup = await create(probe_client, admin, PUSH)
    seen = (await probe_client.get(f"/monitors/{backup['id']}", headers=viewer.headers)).json()
    assert seen["name"] == "nightly backup" and seen["push_path"] is None
    refused = await probe_client.post("/monitors", headers=viewer.headers, json=PUSH)
    assert refused.status_code == 403
    refused = await probe_client.delete(f"/monitors/{backup['id']}", headers=viewer.headers)
    assert refused.status_code == 403


async def test_another_organizations_monitor_is_not_found_anywhere(
    open_client: httpx.AsyncClient, probe_client: httpx.AsyncClient
) -> None:
    alice = await register_and_login(open_client, "alice@example.com")
    mallory = await register_and_login(open_client, "mallory@example.com")
    theirs = await create(probe_client, alice, PUSH)
    for method, path in [
        ("GET", f"/monitors/{theirs['id']}"),
        ("PATCH", f"/monitors/{theirs['id']}"),
        ("DELETE", f"/monitors/{theirs['id']}"),
        ("GET", f"/monitors/{theirs['id']}/checks"),
        ("GET", f"/monitors/{theirs['id']}/uptime"),
        ("GET", f"/monitors/{theirs['id']}/push-runs"),
        ("GET", f"/api/monitors/{theirs['id']}"),
    ]:
        answer = await probe_client.request(method, path, headers=mallory.headers, json={})
        assert answer.status_code == 404, (method, path, answer.text)
    as_parent = await probe_client.post(
        "/monitors", headers=mallory.headers, json={**PUSH, "parent_id": theirs["id"]}
    )
    assert as_parent.status_code == 404
    bulk = await probe_client.post(
        "/monitors/bulk", headers=mallory.headers, json={"ids": [theirs["id"]], "active": False}
    )
    assert bulk.json() == {"updated": 0}
    assert (await probe_client.get("/monitors", headers=mallory.headers)).json()["count"] == 0


async def test_dependency_loops_are_refused(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    router = await create(probe_client, admin, PUSH)
    server = await create(probe_client, admin, {**PUSH, "parent_id": router["id"]})
    loop = await probe_client.patch(
        f"/monitors/{router['id']}", headers=admin.headers, json={"parent_id": server["id"]}
    )
    assert loop.status_code == 422 and "itself" in loop.text
    cleared = await probe_client.patch(
        f"/monitors/{server['id']}", headers=admin.headers, json={"parent_id": None}
    )
    assert cleared.json()["parent_id"] is None


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({**PUSH, "name": "a\x00b"}, "NUL"),
        ({**PUSH, "name": ""}, "name"),
        ({**PUSH, "name": "x" * 500}, "name"),
        ({**PUSH, "interval_seconds": 5}, "interval_seconds"),
        ({**PUSH, "retries": 11}, "retries"),
        ({**PUSH, "type": "gopher"}, "unknown monitor type"),
        ({**PUSH, "config": {"period_seconds": 60, "bogus": 1}}, "config.bogus"),
        ({**PUSH, "config": {"cron": "not a cron"}}, "cron"),
        ({**PUSH, "config": {"timezone": "Mars/Olympus"}}, "time zone"),
        ({**PUSH, "labels": {f"k{i}": "v" for i in range(100)}}, "labels"),
        ({**PUSH, "parent_id": 0}, "parent_id"),
        ({**PUSH, "parent_id": 2**40}, "parent_id"),
        ({**PUSH, "config": {"timezone": "UTC\r\nX-Injected: 1"}}, "config.timezone"),
        ({**PUSH, "target": "x"}, "no target"),
        (http_monitor(target="http://169.254.169.254/latest/meta-data"), "forbidden address"),
        (http_monitor(target="gopher://example.com/"), "http"),
        (http_monitor(target="http://example.com/\r\nHost: evil"), "target"),
        ({**PUSH, "config": {"nested": [[[[[[[[[[1]]]]]]]]]]}}, "config.nested"),
    ],
)
async def test_bad_monitors_are_refused_with_the_reason(
    auth_client: httpx.AsyncClient,
    probe_client: httpx.AsyncClient,
    body: dict[str, Any],
    problem: str,
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    refused = await probe_client.post("/monitors", headers=admin.headers, json=body)
    assert refused.status_code == 422, refused.text
    assert problem in refused.text
    assert (await probe_client.get("/monitors", headers=admin.headers)).json()["count"] == 0


@pytest.mark.parametrize("monitor_id", ["0", "-1", str(2**40), "abc", "1%00"])
async def test_hostile_ids_are_a_clear_4xx(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient, monitor_id: str
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    answer = await probe_client.get(f"/monitors/{monitor_id}", headers=admin.headers)
    assert answer.status_code in (400, 404, 422)


async def test_types_describe_their_settings(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    types = {
        t["type"]: t
        for t in (await probe_client.get("/monitors/types", headers=admin.headers)).json()
    }
    assert {"http", "tcp", "ping", "dns", "tls", "push"} <= types.keys()
    assert "period_seconds" in types["push"]["config_schema"]["properties"]


async def test_test_now_shows_a_result_stores_nothing_and_is_rate_limited(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    with http_recorder() as server:
        server.status["/down"] = 500
        up = await probe_client.post(
            "/monitors/test", headers=admin.headers, json=http_monitor(target=server.url("/ok"))
        )
        assert up.status_code == 200, up.text
        assert up.json()["status"] == "up" and up.json()["response_ms"] > 0
        down = await probe_client.post(
            "/monitors/test", headers=admin.headers, json=http_monitor(target=server.url("/down"))
        )
        assert down.json()["status"] == "down" and "500" in down.json()["error"]
        flipped = await probe_client.post(
            "/monitors/test",
            headers=admin.headers,
            json=http_monitor(target=server.url("/ok"), upside_down=True),
        )
        assert flipped.json()["status"] == "down"
    assert (await probe_client.get("/monitors", headers=admin.headers)).json()["count"] == 0
    push = await probe_client.post("/monitors/test", headers=admin.headers, json=PUSH)
    assert push.status_code == 422
    answers = [
        (await probe_client.post("/monitors/test", headers=admin.headers, json=PUSH)).status_code
        for _ in range(65)
    ]
    assert 429 in answers  # PROBE_TEST_NOW_PER_MINUTE (30) per organization and minute


async def test_monitors_never_reach_the_platforms_own_stores(
    auth_client: httpx.AsyncClient, probe_client: httpx.AsyncClient, settings: Settings
) -> None:
    """Private targets are allowed (a LAN install), yet a monitor aimed at VictoriaMetrics'
    delete API or at Redis is refused before it connects: every organization's data stays."""
    mallory = await register_and_login(auth_client, "mallory@example.com")
    async with httpx.AsyncClient(base_url=settings.tsdb_url, trust_env=False) as tsdb:

        async def stored() -> bool:
            exported = await tsdb.post("/api/v1/export", data={"match[]": "victim"})
            return '"values":[7]' in exported.text

        await tsdb.post("/api/v1/import/prometheus", content=b'victim{org_id="1"} 7\n')
        await tsdb.get("/internal/force_flush")
        await eventually(stored, what="the victim's sample")
        wipe = http_monitor(
            target=f"{settings.tsdb_url}/api/v1/admin/tsdb/delete_series?match[]=victim",
            config={"method": "POST"},
        )
        redis_port = urlsplit(settings.redis_url).port
        attacks = [wipe, {"name": "r", "type": "tcp", "target": "127.0.0.1",
                          "config": {"port": redis_port}}]  # fmt: skip
        for attack in attacks:
            tested = await probe_client.post("/monitors/test", headers=mallory.headers, json=attack)
            assert tested.status_code == 200, tested.text
            assert tested.json()["status"] == "down"
            assert "this platform's own" in tested.json()["error"], tested.json()
        assert await stored()


async def test_a_host_can_depend_on_a_monitor_of_its_own_organization(
    open_client: httpx.AsyncClient, probe_client: httpx.AsyncClient
) -> None:
    alice = await register_and_login(open_client, "alice@example.com")
    mallory = await register_and_login(open_client, "mallory@example.com")
    router = await create(probe_client, alice, {**PUSH, "name": "router"})
    theirs = await create(probe_client, mallory, PUSH)
    host = (await open_client.post("/agents", headers=alice.headers, json={"name": "nas"})).json()
    linked = await open_client.patch(
        f"/agents/{host['id']}", headers=alice.headers, json={"parent_monitor_id": router["id"]}
    )
    assert linked.status_code == 200, linked.text
    assert linked.json()["parent_monitor_id"] == router["id"]
    foreign = await open_client.patch(
        f"/agents/{host['id']}", headers=alice.headers, json={"parent_monitor_id": theirs["id"]}
    )
    assert foreign.status_code == 404
    renamed = await open_client.patch(
        f"/agents/{host['id']}", headers=alice.headers, json={"name": "nas-1"}
    )
    assert renamed.json()["parent_monitor_id"] == router["id"]  # untouched when not sent
    cleared = await open_client.patch(
        f"/agents/{host['id']}", headers=alice.headers, json={"parent_monitor_id": None}
    )
    assert cleared.json()["parent_monitor_id"] is None
