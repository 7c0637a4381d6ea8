"""Issue 12's "done when" through `make run`'s gateway: a website and what sits behind it are
monitored; when the site goes down there is one incident and one alert (none for its
dependant), and a resolution when it is back. Python Monitor's API and a cron job's push URL
answer where their users call them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from harness.http_recorder import Recorder, http_recorder
from harness.make_run import ADMIN_EMAIL, MakeRun
from harness.polling import eventually_sync

pytestmark = pytest.mark.e2e

WITHIN = 90.0  # a 20 s interval, the check, the writer, the alert worker and the group wait


@pytest.fixture(scope="module")
def site() -> Iterator[Recorder]:
    with http_recorder() as recorder:
        yield recorder


@pytest.fixture(scope="module")
def admin(platform: MakeRun, gateway: httpx.Client) -> dict[str, str]:
    form = {"username": ADMIN_EMAIL, "password": platform.admin_password()}
    response = gateway.post("/api/auth/token", data=form)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _create(gateway: httpx.Client, admin: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    created = gateway.post("/api/probes/monitors", headers=admin, json=body)
    assert created.status_code == 201, created.text
    made: dict[str, Any] = created.json()
    return made


def _status(gateway: httpx.Client, admin: dict[str, str], monitor_id: int) -> str:
    answer = gateway.get(f"/api/monitors/{monitor_id}", headers=admin)  # Python Monitor's door
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "success"
    return str(answer.json()["data"]["status"])


def _wait_status(gateway: httpx.Client, admin: dict[str, str], monitor_id: int, want: str) -> None:
    eventually_sync(
        lambda: _status(gateway, admin, monitor_id) == want,
        within=WITHIN,
        interval=1,
        what=f"monitor {monitor_id} {want}",
    )


def test_a_site_goes_down_and_recovers_with_one_incident_and_one_alert(
    gateway: httpx.Client, admin: dict[str, str], site: Recorder
) -> None:
    with http_recorder() as hook:
        channel = gateway.post(
            "/api/alerts/channels",
            headers=admin,
            json={"type": "webhook", "name": "ops", "config": {"url": hook.url("/hook")}},
        )
        assert channel.status_code == 201, channel.text
        common = {"type": "http", "interval_seconds": 20}
        shop = _create(gateway, admin, {**common, "name": "shop", "target": site.url("/shop")})
        api = _create(
            gateway,
            admin,
            {**common, "name": "api", "target": site.url("/api"), "parent_id": shop["id"]},
        )
        _wait_status(gateway, admin, shop["id"], "up")
        _wait_status(gateway, admin, api["id"], "up")

        site.status["*"] = 503  # the site and what sits behind it stop answering
        _wait_status(gateway, admin, shop["id"], "down")
        _wait_status(gateway, admin, api["id"], "unreachable")
        incidents = gateway.get("/api/incidents?limit=50", headers=admin).json()["data"]
        assert [i["monitor_name"] for i in incidents] == ["shop"]
        assert "503" in incidents[0]["error"]
        firing = hook.wait_for(lambda got: len(got) >= 1, timeout=WITHIN)
        assert "shop" in firing[0].body.decode() and "api" not in firing[0].json()["title"]

        site.status["*"] = 200
        _wait_status(gateway, admin, shop["id"], "up")
        _wait_status(gateway, admin, api["id"], "up")
        sent = hook.wait_for(lambda got: len(got) >= 2, timeout=WITHIN)
        assert [r.json()["kind"] for r in sent] == ["firing", "resolved"]
        incidents = gateway.get("/api/incidents", headers=admin).json()["data"]
        assert len(incidents) == 1 and incidents[0]["resolved_at"] is not None
        alerts = gateway.get(f"/api/alerts/alerts/?monitor_id={api['id']}", headers=admin)
        assert alerts.status_code == 200 and alerts.json()["count"] == 0
    uptime = gateway.get(f"/api/probes/monitors/{shop['id']}/uptime", headers=admin).json()
    assert 0 < uptime["uptime"]["24h"] < 100


def test_a_cron_jobs_push_url_and_python_monitors_status(
    gateway: httpx.Client, admin: dict[str, str]
) -> None:
    backup = _create(gateway, admin, {"name": "backup", "type": "push"})
    assert gateway.post(backup["push_path"], content=b"12 GB saved").json()["status"] == "up"
    failed = gateway.get(f"{backup['push_path']}/2")
    assert failed.json()["status"] == "down"
    status = gateway.get("/api/status", headers=admin)
    assert status.status_code == 200 and status.json()["status"] == "success"
    assert status.json()["data"]["by_status"].get("down", 0) >= 1
    missing = gateway.get("/api/monitors/999999", headers=admin)
    assert missing.status_code == 404
    assert missing.json()["status"] == "error" and missing.json()["message"]
