"""Personal channels (StatusMonitor v1's /recipient) follow their owner's membership: someone who
leaves the organization, or is deactivated, stops hearing about its alerts."""

from __future__ import annotations

import time

import pytest
from redis.asyncio import Redis

from alert_service.app import create_app as create_alert_app
from auth_service.app import create_app as create_auth_app
from core.settings import Settings
from tests.alerting.evaluation import add_rule, alert_worker, entries, make_org, notifications
from tests.alerting.evaluation import report as sample
from tests.harness.clients import asgi_client, invite_and_join
from tests.harness.database import fetch


@pytest.mark.parametrize("how", ["removed", "deactivated"])
async def test_a_member_who_leaves_stops_getting_the_organizations_alerts(
    settings: Settings, redis: Redis, how: str
) -> None:
    open_settings = settings.model_copy(update={"registration_policy": "open"})
    async with (
        asgi_client(create_auth_app(open_settings)) as auth,
        asgi_client(create_alert_app(open_settings)) as alerts,
    ):
        org = await make_org(auth, settings)
        olga = await invite_and_join(auth, org.admin, "olga@example.com", "operator")
        assert olga.org_id == org.org_id
        linked = await alerts.post("/recipient", headers=olga.headers, json={"chat_id": "600"})
        assert linked.status_code == 200, linked.text
        [olgas] = await fetch(
            settings.database_url,
            "SELECT id FROM notification_channels WHERE user_id = $1 AND org_id = $2",
            olga.id,
            org.org_id,
        )
        await add_rule(settings, org.org_id, threshold=80)
        t = time.time() - 100

        async with alert_worker(settings, redis) as worker:
            await worker.handle_reports(entries(sample(org, t, 95)))
        assert {n.channel_id for n in await notifications(redis)} == {org.channel_id, olgas["id"]}

        if how == "removed":
            gone = await auth.delete(f"/members/{olga.id}", headers=org.admin.headers)
            assert gone.status_code == 204, gone.text
        else:
            await fetch(
                settings.database_url, "UPDATE users SET is_active = false WHERE id = $1", olga.id
            )
        before = len(await notifications(redis))
        async with alert_worker(settings, redis) as worker:
            await worker.handle_reports(entries(sample(org, t + 1, 20), sample(org, t + 2, 96)))
        later = (await notifications(redis))[before:]
        assert [n.kind for n in later] == ["resolved", "firing"]
        assert {n.channel_id for n in later} == {org.channel_id}
