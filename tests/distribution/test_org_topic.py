"""The organization topic on the multiplexed socket: one subscription for a whole overview page.

A real distribution process and real Redis; reports go through ingestion's own appender, so
what the topic follows is what ingestion publishes.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis

from core.live import latest_key, latest_summary
from core.reports import Report
from core.settings import Settings
from harness.factories import Agent, TestUser, invite_and_join, user_with_agent
from harness.live import LiveService
from tests.distribution.helpers import (
    close_of,
    connect,
    quiet,
    receive,
    store_latest,
    until_metric,
    ws_url,
)
from tests.distribution.org_helpers import (
    SUBSCRIBE_ORG,
    OrgView,
    host_report,
    ingestion,
    keep_reporting,
    subscribe_org,
)

pytestmark = pytest.mark.e2e

TOPICS = "statusmonitor_ws_org_topics"


@pytest.fixture(autouse=True)
async def topics_released(service: LiveService) -> AsyncIterator[None]:
    """Every test leaves no topic behind (ids restart per test; so does a topic's memory)."""
    yield
    await until_metric(service, TOPICS, 0)


def _owner_and_agent(agent: Agent) -> tuple[TestUser, int]:
    return agent.owner, agent.id


async def _agents(auth: httpx.AsyncClient, owner: TestUser, count: int) -> list[int]:
    ids = []
    for i in range(count):
        made = await auth.post("/agents", headers=owner.headers, json={"name": f"host-{i:03d}"})
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    return ids


async def _truth(redis: Redis, org_id: int) -> dict[int, float | None]:
    """Each host's CPU as the latest-report hash holds it now."""
    stored = await redis.hgetall(latest_key(org_id))
    summaries = (latest_summary(int(field), data) for field, data in stored.items())
    return {s.agent_id: s.cpu for s in summaries if s is not None}


async def test_snapshot_then_at_most_a_frame_a_second_with_the_changes_of_many_hosts(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis, base_settings: Settings
) -> None:
    """Subscribing while 40 hosts report as fast as they can: the snapshot and the deltas
    after it add up to exactly the stored latest values (no gap), in few, batched frames."""
    owner, first = _owner_and_agent(await user_with_agent(auth, "olga@example.com"))
    assert owner.org_id is not None
    org = owner.org_id
    hosts = [first, *await _agents(auth, owner, 39)]

    def burst(round_: int) -> list[Report]:
        return [host_report(org, agent, round_ + i / 10) for i, agent in enumerate(hosts)]

    async with ingestion(base_settings.redis_url) as ingest:
        await ingest(*[host_report(org, agent, 5.0) for agent in hosts[:10]])
        flow = asyncio.create_task(keep_reporting(ingest, burst, 0.05))
        try:
            async with connect(ws_url(service, "/ws", owner.access_token)) as ws:
                view = await subscribe_org(ws, org)
                assert set(hosts[:10]) <= view.hosts.keys() <= set(hosts)
                assert all(view.online[agent] for agent in view.hosts)
                await view.until(ws, lambda v: len(v.frames) >= 3)
                flow.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await flow
                truth = await _truth(redis, org)
                assert truth.keys() == set(hosts)

                def caught_up(v: OrgView) -> bool:
                    return {a: h["cpu"] for a, h in v.hosts.items()} == truth

                await view.until(ws, caught_up)
        finally:
            flow.cancel()
    entries = sum(len(frame["hosts"]) for frame in view.frames)
    assert len(view.frames) < entries / 10, "frames are batched, not one per report"
    assert max(len(frame["hosts"]) for frame in view.frames) >= 20
    stamps = [frame["ts"] for frame in view.frames]
    assert all(b - a >= 0.95 for a, b in itertools.pairwise(stamps)), stamps
    sample = view.hosts[hosts[3]]
    assert sample["memory"] == 40.0 and sample["disk"] == 70.0  # 0.1 steps
    assert (sample["net_in"], sample["net_out"]) == (1235, 99)  # whole bytes per second
    assert sample["interval"] == 5.0 and sample["last_seen"] > 0


async def test_a_host_that_falls_silent_turns_offline_within_its_window_without_a_report(
    service: LiveService, auth: httpx.AsyncClient, base_settings: Settings
) -> None:
    """Reports every 1 s, offline after 3 missed intervals: the silent host's offline status
    arrives in a frame 3 s (plus a frame) after its last report; the busy one stays online."""
    owner, silent = _owner_and_agent(await user_with_agent(auth, "paul@example.com"))
    assert owner.org_id is not None
    org = owner.org_id
    [busy] = await _agents(auth, owner, 1)
    async with (
        ingestion(base_settings.redis_url) as ingest,
        connect(ws_url(service, "/ws/", owner.access_token)) as ws,
    ):
        last = host_report(org, silent, 50.0, interval=1.0)
        await ingest(last, host_report(org, busy, 1.0, interval=2.0))
        view = await subscribe_org(ws, org)
        assert view.online == {silent: True, busy: True}
        flow = asyncio.create_task(
            keep_reporting(ingest, lambda n: [host_report(org, busy, n, interval=2.0)], 0.3)
        )
        try:
            await view.until(ws, lambda v: v.online[silent] is False, within=30)
        finally:
            flow.cancel()
        [flip] = [f for f in view.frames if {"agent_id": silent, "online": False} in f["status"]]
        waited = flip["ts"] - last.ts
        assert 3.0 <= waited < 3.0 + 10, waited  # never early; late only by a loaded machine
        assert view.hosts[silent]["last_seen"] == last.ts  # no report made it go offline
        assert view.online[busy] is True
        assert not any(entry["agent_id"] == busy for f in view.frames for entry in f["status"])
        # It comes back with its next report.
        await ingest(host_report(org, silent, 51.0, interval=1.0))
        await view.until(ws, lambda v: v.online[silent] is True)


async def test_another_organizations_hosts_never_appear(
    service: LiveService, auth: httpx.AsyncClient, base_settings: Settings
) -> None:
    ours, agent = _owner_and_agent(await user_with_agent(auth, "quin@example.com"))
    theirs, foreign = _owner_and_agent(await user_with_agent(auth, "rosa@example.com"))
    assert ours.org_id is not None and theirs.org_id is not None
    async with (
        ingestion(base_settings.redis_url) as ingest,
        connect(ws_url(service, "/ws", ours.access_token)) as ws,
        connect(ws_url(service, "/ws", theirs.access_token)) as other,
    ):
        await ingest(host_report(theirs.org_id, foreign, 1.0), host_report(ours.org_id, agent, 1.0))
        view = await subscribe_org(ws, ours.org_id)
        their_view = await subscribe_org(other, theirs.org_id)
        for cpu in range(2, 6):
            await ingest(host_report(theirs.org_id, foreign, cpu))
            await ingest(host_report(ours.org_id, agent, cpu))
        await view.until(ws, lambda v: v.hosts[agent]["cpu"] == 5.0)
        await their_view.until(other, lambda v: v.hosts[foreign]["cpu"] == 5.0)
    assert view.seen == {agent} and {f["org_id"] for f in view.frames} == {ours.org_id}
    assert their_view.seen == {foreign}


async def test_losing_access_closes_the_topic_and_viewers_may_watch_until_then(
    service: LiveService, auth: httpx.AsyncClient, base_settings: Settings
) -> None:
    admin, agent = _owner_and_agent(await user_with_agent(auth, "sam@example.com"))
    assert admin.org_id is not None
    viewer = await invite_and_join(auth, admin, "tia@example.com", "viewer")
    async with (
        ingestion(base_settings.redis_url) as ingest,
        connect(ws_url(service, "/ws", viewer.access_token)) as ws,
    ):
        await ingest(host_report(admin.org_id, agent, 1.0))
        view = await subscribe_org(ws, admin.org_id)
        assert view.hosts.keys() == {agent}
        removed = await auth.delete(f"/members/{viewer.id}", headers=admin.headers)
        assert removed.status_code == 204, removed.text
        await ingest(host_report(admin.org_id, agent, 2.0))
        code, reason = await close_of(ws, within=20)
    assert (code, reason) == (4403, "you are no longer a member of this organization")


async def test_resubscribing_gives_a_fresh_snapshot_and_unsubscribing_stops_the_frames(
    service: LiveService, auth: httpx.AsyncClient, base_settings: Settings
) -> None:
    """The way back from a gap in `seq`; and a page that leaves the overview stops its frames
    while the socket's agent subscriptions carry on."""
    owner, agent = _owner_and_agent(await user_with_agent(auth, "uma@example.com"))
    assert owner.org_id is not None
    async with (
        ingestion(base_settings.redis_url) as ingest,
        connect(ws_url(service, "/ws", owner.access_token)) as ws,
    ):
        await ingest(host_report(owner.org_id, agent, 1.0))
        view = await subscribe_org(ws, owner.org_id)
        await ingest(host_report(owner.org_id, agent, 2.0))
        await view.until(ws, lambda v: v.hosts[agent]["cpu"] == 2.0)
        again = await subscribe_org(ws, owner.org_id)
        assert again.seq == view.seq and again.hosts[agent]["cpu"] == 2.0
        await ws.send(f'{{"type": "subscribe", "agent_id": {agent}}}')
        assert (await receive(ws))["type"] == "subscribed"
        assert (await receive(ws))["target_id"] == agent  # its latest report
        await ws.send('{"type": "unsubscribe", "topic": "org"}')
        assert await receive(ws) == {"type": "unsubscribed", "topic": "org"}
        await until_metric(service, TOPICS, 0)
        await ingest(host_report(owner.org_id, agent, 3.0))
        frame = await receive(ws)
        assert frame["target_id"] == agent and frame["metrics"]["cpu_percent"] == 3.0
        assert await quiet(ws, 1.5)  # no topic frame follows


async def test_unknown_topics_and_ambiguous_subscriptions_are_answered_with_an_error(
    service: LiveService, auth: httpx.AsyncClient
) -> None:
    owner, agent = _owner_and_agent(await user_with_agent(auth, "vera@example.com"))
    async with connect(ws_url(service, "/ws", owner.access_token)) as ws:
        for bad in (
            '{"type": "subscribe", "topic": "everything"}',
            f'{{"type": "subscribe", "topic": "org", "agent_id": {agent}}}',
            '{"type": "unsubscribe"}',
        ):
            await ws.send(bad)
            answer = await receive(ws)
            assert answer["type"] == "error" and "topic" in answer["detail"], bad
        await ws.send(SUBSCRIBE_ORG)
        assert (await receive(ws))["type"] == "subscribed"


async def test_deleted_agents_are_not_in_the_snapshot(
    service: LiveService, auth: httpx.AsyncClient, base_settings: Settings
) -> None:
    """The latest-report hash keeps a deleted agent's report; the overview and the topic
    both list only agents that exist."""
    owner, kept = _owner_and_agent(await user_with_agent(auth, "wim@example.com"))
    assert owner.org_id is not None
    [gone] = await _agents(auth, owner, 1)
    async with ingestion(base_settings.redis_url) as ingest:
        await ingest(host_report(owner.org_id, kept, 1.0), host_report(owner.org_id, gone, 1.0))
    deleted = await auth.delete(f"/agents/{gone}", headers=owner.headers)
    assert deleted.status_code == 204, deleted.text
    async with connect(ws_url(service, "/ws", owner.access_token)) as ws:
        view = await subscribe_org(ws, owner.org_id)
    assert view.hosts.keys() == {kept}


async def test_a_host_whose_summaries_were_lost_stays_online_on_its_stored_reports(
    service: LiveService, auth: httpx.AsyncClient, redis: Redis, base_settings: Settings
) -> None:
    """Pub/sub may drop a message (a replica reconnecting): before calling a host offline the
    topic reads the latest-report hash, so a host that does report never flickers offline."""
    owner, agent = _owner_and_agent(await user_with_agent(auth, "xia@example.com"))
    assert owner.org_id is not None
    org = owner.org_id
    async with (
        ingestion(base_settings.redis_url) as ingest,
        connect(ws_url(service, "/ws", owner.access_token)) as ws,
    ):
        await ingest(host_report(org, agent, 1.0, interval=2.0))
        view = await subscribe_org(ws, org)

        async def report_without_publishing() -> None:
            for n in range(2, 100):
                await store_latest(redis, host_report(org, agent, n, interval=2.0))
                await asyncio.sleep(0.5)

        stored_only = asyncio.create_task(report_without_publishing())
        try:  # past the 6 s window at least once: the stored reports are found there
            await view.until(ws, lambda v: v.hosts[agent]["cpu"] >= 16, within=40)
        finally:
            stored_only.cancel()
    assert all(entry["online"] for frame in view.frames for entry in frame["status"])
    assert view.online[agent] is True
