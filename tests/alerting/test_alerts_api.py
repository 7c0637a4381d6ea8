"""The Device Monitoring Backend's alert history: list with paging and severity filter,
acknowledge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from core.settings import Settings
from harness.clients import asgi_client
from harness.database import fetch
from harness.factories import (
    TestUser,
    insert_agent,
    insert_org,
    invite_and_join,
    register_and_login,
)


async def _alerts(settings: Settings, org_id: int, specs: list[tuple[str, bool]]) -> list[int]:
    """Alerts as the evaluator records them: (severity, resolved), oldest first."""
    start = datetime.now(UTC) - timedelta(hours=len(specs))
    ids = []
    for i, (severity, resolved) in enumerate(specs):
        began = start + timedelta(hours=i)
        rows = await fetch(
            settings.database_url,
            "INSERT INTO alerts (org_id, metric, condition, severity, value, threshold,"
            " started_at, resolved_at, silenced) VALUES ($1, 'cpu', 'gt', $2, 95, 90, $3, $4,"
            " false) RETURNING id",
            org_id,
            severity,
            began,
            began + timedelta(minutes=10) if resolved else None,
        )
        ids.append(rows[0]["id"])
    return ids


async def _admin(auth_client: httpx.AsyncClient) -> TestUser:
    return await register_and_login(auth_client, "admin@example.com")


async def test_list_pages_newest_first_and_filters_by_severity(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await _admin(auth_client)
    assert admin.org_id is not None
    specs = [
        ("warning", True),
        ("critical", True),
        ("warning", False),
        ("info", False),
        ("critical", False),
    ]
    ids = await _alerts(settings, admin.org_id, specs)
    page1 = (await alert_client.get("/alerts/?page=1&per_page=2", headers=admin.headers)).json()
    page3 = (await alert_client.get("/alerts/?page=3&per_page=2", headers=admin.headers)).json()
    assert [a["id"] for a in page1["data"]] == [ids[4], ids[3]] and page1["count"] == 5
    assert [a["id"] for a in page3["data"]] == [ids[0]]
    assert page3["data"][0]["duration_seconds"] == 600
    critical = (await alert_client.get("/alerts/?severity=critical", headers=admin.headers)).json()
    assert [a["id"] for a in critical["data"]] == [ids[4], ids[1]]
    firing = (await alert_client.get("/alerts/?status=firing", headers=admin.headers)).json()
    assert {a["id"] for a in firing["data"]} == {ids[2], ids[3], ids[4]}
    assert all(a["duration_seconds"] is None for a in firing["data"])
    # The Device Monitoring Backend's own words work as written: high is our critical, medium
    # warning, low info.
    high = (
        await alert_client.get("/alerts/?page=1&per_page=20&severity=high", headers=admin.headers)
    ).json()
    assert [a["id"] for a in high["data"]] == [ids[4], ids[1]]
    low = (await alert_client.get("/alerts/?severity=low", headers=admin.headers)).json()
    assert [a["id"] for a in low["data"]] == [ids[3]]
    bad = await alert_client.get("/alerts/?severity=urgent", headers=admin.headers)
    assert bad.status_code == 422


async def test_acknowledge_records_who_when_and_why_once(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await _admin(auth_client)
    assert admin.org_id is not None
    firing, resolved = await _alerts(
        settings, admin.org_id, [("critical", False), ("warning", True)]
    )
    acked = await alert_client.post(
        f"/alerts/{firing}/acknowledge", headers=admin.headers, json={"comment": "on it"}
    )
    assert acked.status_code == 200, acked.text
    body = acked.json()
    assert body["acknowledged_by"] == admin.id and body["ack_comment"] == "on it"
    assert body["acknowledged_at"] is not None
    again = await alert_client.post(f"/alerts/{firing}/acknowledge", headers=admin.headers)
    assert again.status_code == 409
    done = await alert_client.post(f"/alerts/{resolved}/acknowledge", headers=admin.headers)
    assert done.status_code == 409 and "resolved" in done.json()["detail"]


async def test_viewer_cannot_acknowledge_and_other_orgs_alerts_are_404(settings: Settings) -> None:
    from alert_service.app import create_app as create_alert_app
    from auth_service.app import create_app as create_auth_app

    open_settings = settings.model_copy(update={"registration_policy": "open"})
    async with (
        asgi_client(create_auth_app(open_settings)) as auth,
        asgi_client(create_alert_app(open_settings)) as alerts,
    ):
        alice = await _admin(auth)
        assert alice.org_id is not None
        viewer = await invite_and_join(auth, alice, "v@example.com", "viewer")
        mallory = await register_and_login(auth, "mallory@example.com")
        (alert_id,) = await _alerts(settings, alice.org_id, [("critical", False)])
        refused = await alerts.post(f"/alerts/{alert_id}/acknowledge", headers=viewer.headers)
        assert refused.status_code == 403
        assert (await alerts.get("/alerts/", headers=viewer.headers)).json()["count"] == 1
        hidden = await alerts.post(f"/alerts/{alert_id}/acknowledge", headers=mallory.headers)
        assert hidden.status_code == 404
        assert (await alerts.get("/alerts/", headers=mallory.headers)).json()["count"] == 0


async def test_device_monitoring_backend_paths_at_the_root_work_as_written(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient, settings: Settings
) -> None:
    """Its clients call GET /api/alerts/?… and POST /api/alerts/{id}/acknowledge: the gateway
    hands them to this service as GET / and POST /{id}/acknowledge."""
    admin = await _admin(auth_client)
    assert admin.org_id is not None
    warning, critical = await _alerts(
        settings, admin.org_id, [("warning", False), ("critical", False)]
    )
    high = await alert_client.get("/?page=1&per_page=20&severity=high", headers=admin.headers)
    assert high.status_code == 200, high.text
    assert [a["id"] for a in high.json()["data"]] == [critical]
    acked = await alert_client.post(
        f"/{warning}/acknowledge", headers=admin.headers, json={"comment": "on it"}
    )
    assert acked.status_code == 200, acked.text
    assert acked.json()["acknowledged_by"] == admin.id
    anonymous = await alert_client.get("/?severity=high")
    assert anonymous.status_code == 401


async def test_list_filters_by_host_and_rule_within_the_organization(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await _admin(auth_client)
    assert admin.org_id is not None
    other_org = await insert_org(settings, "elsewhere")
    mine = await _alerts(settings, admin.org_id, [("warning", False)] * 3)
    theirs = await _alerts(settings, other_org, [("warning", False)])
    agents = [await insert_agent(settings, admin.org_id, name) for name in ("a", "b")]
    placements = ((mine[0], agents[0]), (mine[1], agents[0]), (mine[2], agents[1]))
    for alert_id, agent_id in placements:
        await fetch(
            settings.database_url, "UPDATE alerts SET agent_id=$2 WHERE id=$1", alert_id, agent_id
        )
    # The other organization's alert names our host id: it must still never show.
    await fetch(
        settings.database_url, "UPDATE alerts SET agent_id=$2 WHERE id=$1", theirs[0], agents[0]
    )

    async def ids(query: str) -> set[int]:
        answer = await alert_client.get(f"/alerts/?{query}", headers=admin.headers)
        assert answer.status_code == 200, answer.text
        return {a["id"] for a in answer.json()["data"]}

    assert await ids(f"agent_id={agents[0]}") == {mine[0], mine[1]}
    assert await ids(f"agent_id={agents[1]}&status=firing") == {mine[2]}
    assert await ids("rule_id=999999") == set()
    for bad in ("agent_id=abc", "agent_id=-1", "rule_id=99999999999999999999", "agent_id=1%00"):
        answer = await alert_client.get(f"/alerts/?{bad}", headers=admin.headers)
        assert answer.status_code == 422, bad
