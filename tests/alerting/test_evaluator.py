"""The evaluator against real PostgreSQL and Redis: told once when it breaks, once when it
recovers — across replays, restarts, two replicas, silences and acknowledgements."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_for_hypothesis
from hypothesis import strategies as st
from redis.asyncio import Redis

from core.live import latest_key
from core.reports import Sample, encode_report
from core.settings import Settings
from harness.database import fetch, truncate_all
from harness.factories import insert_agent
from tests.alerting.evaluation import (
    add_rule,
    alert_worker,
    entries,
    kinds,
    make_org,
    notifications,
    report,
)


async def _alerts(settings: Settings) -> list[dict[str, object]]:
    rows = await fetch(settings.database_url, "SELECT * FROM alerts ORDER BY id")
    return [dict(row) for row in rows]


async def test_one_firing_and_one_resolved_message_with_what_happened(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    rule_id = await add_rule(settings, org.org_id, threshold=80)
    t = time.time() - 100
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(
            entries(*(report(org, t + i, cpu) for i, cpu in enumerate([10, 95, 97, 99])))
        )
        await worker.handle_reports(entries(report(org, t + 10, 40), report(org, t + 11, 30)))
    notes = await notifications(redis)
    assert [n.kind for n in notes] == ["firing", "resolved"]
    firing, resolved = notes
    assert firing.channel_id == org.channel_id and firing.severity == "critical"
    assert "web-1" in firing.title and "95.0 %" in firing.title and "80.0 %" in firing.title
    assert firing.fields["host"] == "web-1" and firing.fields["value"] == "95.0 %"
    assert firing.link == f"https://status.example.com/alerts/{firing.alert_id}"
    assert resolved.alert_id == firing.alert_id and "back to 40.0 %" in resolved.title
    [alert] = await _alerts(settings)
    assert (
        alert["rule_id"] == rule_id and alert["value"] == 95 and alert["agent_id"] == org.agent_id
    )
    assert alert["resolved_at"] is not None and alert["silenced"] is False
    assert (alert["resolved_at"] - alert["started_at"]).total_seconds() == 9  # type: ignore[operator]


async def test_replayed_entries_and_a_restart_mid_incident_change_nothing(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, threshold=80)
    t = time.time() - 100
    breach = entries(report(org, t, 90), report(org, t + 1, 91))
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(breach)
        await worker.handle_reports(breach)  # redelivered after a crash before XACK
    async with alert_worker(settings, redis) as restarted:  # a fresh process: state from PG
        await restarted.handle_reports(breach)
        await restarted.handle_reports(entries(report(org, t + 2, 92)))
        assert await kinds(redis) == ["firing"]
        await restarted.handle_reports(entries(report(org, t + 3, 20)))
    async with alert_worker(settings, redis) as again:
        await again.handle_reports(entries(report(org, t + 3, 20), report(org, t + 4, 21)))
    assert await kinds(redis) == ["firing", "resolved"]
    assert len(await _alerts(settings)) == 1


async def test_two_replicas_judging_the_same_reports_notify_once(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, threshold=80)
    t = time.time() - 100
    async with alert_worker(settings, redis) as one, alert_worker(settings, redis) as two:
        for i in range(20):
            cpu = 95 if (i // 5) % 2 == 0 else 10  # fires, resolves, fires, resolves
            batch = entries(report(org, t + i, cpu))
            await asyncio.gather(one.handle_reports(batch), two.handle_reports(batch))
    assert await kinds(redis) == ["firing", "resolved"] * 2
    assert len(await _alerts(settings)) == 2


async def test_for_duration_survives_a_restart_and_flapping_does_not_fire(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, threshold=80, for_seconds=30, hysteresis=10)
    t = time.time() - 1000
    async with alert_worker(settings, redis) as worker:
        # Flapping: never 30 s in breach.
        await worker.handle_reports(
            entries(*(report(org, t + i * 10, 95 if i % 2 else 50) for i in range(11)))
        )
        await worker.handle_reports(entries(report(org, t + 200, 95), report(org, t + 215, 96)))
    assert await kinds(redis) == []
    async with alert_worker(settings, redis) as restarted:
        await restarted.handle_reports(entries(report(org, t + 231, 97)))  # 31 s since t+200
        assert await kinds(redis) == ["firing"]
        await restarted.handle_reports(entries(report(org, t + 240, 75)))  # inside hysteresis
        assert await kinds(redis) == ["firing"]
        await restarted.handle_reports(entries(report(org, t + 250, 69)))
    assert await kinds(redis) == ["firing", "resolved"]
    [alert] = await _alerts(settings)
    assert alert["started_at"].timestamp() == pytest.approx(t + 200, abs=0.001)  # type: ignore[attr-defined]


async def test_reminders_while_firing_stop_once_acknowledged(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    settings: Settings,
    redis: Redis,
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, threshold=80, renotify_seconds=60)
    t = time.time() - 1000
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(entries(report(org, t, 95), report(org, t + 30, 95)))
        await worker.handle_reports(entries(report(org, t + 61, 95), report(org, t + 100, 95)))
        assert await kinds(redis) == ["firing", "reminder"]
        reminder = (await notifications(redis))[1]
        assert reminder.title.startswith("[STILL CRITICAL]")
        acked = await alert_client.post(
            f"/alerts/{reminder.alert_id}/acknowledge", headers=org.admin.headers
        )
        assert acked.status_code == 200, acked.text
        await worker.handle_reports(entries(report(org, t + 200, 95), report(org, t + 400, 95)))
        await worker.handle_reports(entries(report(org, t + 500, 10)))
    assert await kinds(redis) == ["firing", "reminder", "resolved"]


async def test_silenced_alerts_are_recorded_but_not_sent(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    settings: Settings,
    redis: Redis,
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, threshold=80)
    other = await insert_agent(settings, org.org_id, "db-1")
    muted = await alert_client.post(
        "/silences",
        headers=org.admin.headers,
        json={"agent_id": org.agent_id, "ends_at": "2999-01-01T00:00:00Z", "comment": "upgrade"},
    )
    assert muted.status_code == 201, muted.text
    t = time.time() - 100
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(entries(report(org, t, 95), report(org, t, 95, agent_id=other)))
        await worker.handle_reports(
            entries(report(org, t + 1, 5), report(org, t + 1, 5, agent_id=other))
        )
    notes = await notifications(redis)
    assert [(n.kind, n.fields["host"]) for n in notes] == [("firing", "db-1"), ("resolved", "db-1")]
    alerts = await _alerts(settings)
    assert [(a["agent_id"], a["silenced"]) for a in alerts] == [
        (org.agent_id, True),
        (other, False),
    ]


async def test_disk_rules_watch_each_partition_or_a_named_mountpoint(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, metric="disk", threshold=90)
    await add_rule(
        settings, org.org_id, metric="disk", threshold=50, match='{"mountpoint": "/data"}'
    )

    def disks(root: float, data: float) -> list[Sample]:
        return [
            Sample("partition_percent", root, {"mountpoint": "/"}),
            Sample("partition_percent", data, {"mountpoint": "/data"}),
        ]

    t = time.time() - 100
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(entries(report(org, t, series=disks(95, 60))))
    titles = sorted(n.title for n in await notifications(redis))
    assert len(titles) == 2
    assert "disk / 95.0 % > 90.0 %" in titles[0] and "disk /data 60.0 % > 50.0 %" in titles[1]
    alerts = await _alerts(settings)
    assert sorted(json.loads(a["labels"])["mountpoint"] for a in alerts) == ["/", "/data"]  # type: ignore[arg-type]


async def test_label_rules_watch_only_agents_with_those_labels(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    prod = await insert_agent(settings, org.org_id, "prod-1", '{"env": "prod"}')
    await add_rule(settings, org.org_id, threshold=80, labels='{"env": "prod"}')
    t = time.time() - 100
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(entries(report(org, t, 95), report(org, t, 95, agent_id=prod)))
    assert [n.fields["host"] for n in await notifications(redis)] == ["prod-1"]


async def test_a_silent_host_is_reported_offline_and_back_online(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, metric="host_offline", condition="ge", threshold=3)
    last = time.time()
    await redis.hset(
        latest_key(org.org_id), str(org.agent_id), encode_report(report(org, last, 5, interval=5))
    )
    async with alert_worker(settings, redis) as worker:
        await worker.scan_offline(now=last + 10)  # two intervals: still fine
        assert await kinds(redis) == []
        await worker.scan_offline(now=last + 15)
        await worker.scan_offline(now=last + 60)
        [offline] = await notifications(redis)
        assert (
            offline.kind == "firing"
            and offline.title == "[CRITICAL] web-1 is offline (3.0 report intervals missed)"
        )
        await redis.hset(
            latest_key(org.org_id),
            str(org.agent_id),
            encode_report(report(org, last + 61, 5, interval=5)),
        )
        await worker.scan_offline(now=last + 62)
    assert await kinds(redis) == ["firing", "resolved"]
    assert (await notifications(redis))[1].title == "[RESOLVED] web-1 is back online"


async def test_disabling_a_firing_rule_ends_its_alert_and_reenabling_starts_afresh(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    settings: Settings,
    redis: Redis,
) -> None:
    org = await make_org(auth_client, settings)
    rule_id = await add_rule(settings, org.org_id, threshold=80)
    t = time.time() - 100
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(entries(report(org, t, 95)))
        off = await alert_client.patch(
            f"/rules/{rule_id}", headers=org.admin.headers, json={"enabled": False}
        )
        assert off.status_code == 200, off.text
        [ended] = await _alerts(settings)
        assert ended["resolved_at"] is not None
        await worker.refresh_book(force=True)
        await worker.handle_reports(entries(report(org, t + 1, 96)))
        assert await kinds(redis) == ["firing"]
        on = await alert_client.patch(
            f"/rules/{rule_id}", headers=org.admin.headers, json={"enabled": True}
        )
        assert on.status_code == 200, on.text
        await worker.refresh_book(force=True)
        await worker.handle_reports(entries(report(org, t + 2, 97)))
    assert await kinds(redis) == ["firing", "firing"]
    assert [a["resolved_at"] is None for a in await _alerts(settings)] == [False, True]


async def test_a_crash_between_storing_the_state_and_queueing_still_notifies_once(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, threshold=80)
    breach = report(org, time.time() - 10, 95)
    async with alert_worker(settings, redis) as doomed:
        # The state change and its event are committed; the process dies before the
        # notification is put on the stream, and before the report is acknowledged.
        await doomed._evaluate(lambda changes: doomed._judge_reports([breach], changes))
    assert await kinds(redis) == []
    async with alert_worker(settings, redis) as restarted:
        await restarted.flush_outbox()  # what the worker's periodic job does on start
        await restarted.handle_reports(entries(breach))  # the unacknowledged entry again
    assert await kinds(redis) == ["firing"]


@settings_for_hypothesis(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    values=st.lists(st.sampled_from([10.0, 50.0, 79.9, 80.0, 80.1, 95.0]), min_size=1, max_size=30),
    muted=st.booleans(),
)
async def test_generated_values_one_message_per_state_change_and_none_while_silenced(
    auth_client: httpx.AsyncClient,
    settings: Settings,
    redis: Redis,
    values: list[float],
    muted: bool,
) -> None:
    await truncate_all(settings.database_url)
    await redis.flushdb()
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, threshold=80)
    if muted:
        await fetch(
            settings.database_url,
            "INSERT INTO silences (org_id, labels, weekdays, timezone, comment, ends_at)"
            " VALUES ($1, '{}', '[]', 'UTC', 'maintenance', now() + interval '1 hour')",
            org.org_id,
        )
    expected: list[str] = []
    firing = False
    for value in values:  # the model: gt 80, no for-duration, no hysteresis
        if value > 80 and not firing:
            expected.append("firing")
        elif value <= 80 and firing:
            expected.append("resolved")
        firing = value > 80
    t = time.time() - 1000
    async with alert_worker(settings, redis) as worker:
        for i, value in enumerate(values):
            await worker.handle_reports(entries(report(org, t + i, value)))
    assert await kinds(redis) == ([] if muted else expected)
    assert len(await _alerts(settings)) == expected.count("firing")


async def test_temperature_and_custom_metrics_alert_per_sensor_and_series(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, metric="temperature", threshold=85)
    # A custom metric pushed with line protocol: `queue,queue=mail depth=250`.
    await add_rule(settings, org.org_id, metric="queue_depth", threshold=100)
    samples = [
        Sample("temperature_celsius", 91, {"sensor": "coretemp"}),
        Sample("temperature_celsius", 40, {"sensor": "acpitz"}),
        Sample("queue_depth", 250, {"queue": "mail"}),
        Sample("queue_depth", 3, {"queue": "web"}),
    ]
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(entries(report(org, time.time() - 10, series=samples)))
    titles = sorted(n.title for n in await notifications(redis))
    assert titles == [
        "[CRITICAL] web-1: queue_depth (queue=mail) 250 > 100",
        "[CRITICAL] web-1: temperature coretemp 91.0 °C > 85.0 °C",
    ]
