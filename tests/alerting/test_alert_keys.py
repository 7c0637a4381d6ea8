"""Every target keeps its own alert state and every event its own key, against real
PostgreSQL, Redis and an HTTP receiver: with long label values (a partition mounted at a
300-character path) every firing and every resolution reaches the channel — none is taken
for another event because their keys were cut to the same prefix — and two label sets that
print alike are two targets."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from redis.asyncio import Redis

from alert_service.domain.delivery import Deliverer
from alert_service.domain.evaluator import event_key
from alert_service.domain.rulebook import state_key
from core.models.alerting import EVENT_KEY_LENGTH, TARGET_KEY_LENGTH
from core.reports import Sample
from core.settings import Settings
from tests.alerting.evaluation import (
    Org,
    add_rule,
    alert_worker,
    entries,
    make_org,
    notifications,
    point_channel_at,
    relay,
    report,
    running_deliverer,
)
from tests.harness.database import fetch
from tests.harness.http_recorder import Recorded, Recorder, http_recorder

FAST_GROUPS = {"group_wait_seconds": 0.3, "group_interval_seconds": 0.3}


def _events(requests: list[Recorded]) -> list[tuple[str, str]]:
    """(kind, metric field) of every alert the receiver was told about, group messages
    unfolded."""
    found = []
    for request in requests:
        body: dict[str, Any] = request.json()
        for alert in body["alerts"] or [body]:
            found.append((body["kind"], alert["fields"]["metric"]))
    return found


def _disks(org: Org, ts: float, mountpoints: list[str], percent: float) -> list[Any]:
    series = [Sample("partition_percent", percent, {"mountpoint": m}) for m in mountpoints]
    return entries(report(org, ts, series=series))


async def _step(
    binary: Redis, deliverer: Deliverer, hook: Recorder, last: str, expected: int
) -> str:
    last = await relay(binary, deliverer, last)
    await asyncio.to_thread(hook.wait_for, lambda r: len(_events(r)) >= expected, 30)
    return last


@pytest.mark.parametrize("length", [250, 300, 1000])
async def test_every_firing_and_resolution_of_long_labels_reaches_the_channel(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis, length: int
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, metric="disk", threshold=90)
    # Two partitions whose paths differ only in their last character.
    mountpoints = [f"/{'d' * (length - 2)}{n}" for n in (1, 2)]
    t = time.time() - 100
    binary = Redis.from_url(settings.redis_url)
    with http_recorder() as hook:
        await point_channel_at(settings, org.channel_id, hook.url("/hook"))
        async with (
            alert_worker(settings, redis) as worker,
            running_deliverer(settings, **FAST_GROUPS) as deliverer,
        ):
            last = "-"
            # Two incidents of each partition: full, back to normal, full, back to normal.
            for step, percent in enumerate([99, 10, 98, 20], start=1):
                await worker.handle_reports(_disks(org, t + step * 10, mountpoints, percent))
                last = await _step(binary, deliverer, hook, last, 2 * step)
            await asyncio.sleep(1)  # anything more would have arrived by now
    await binary.aclose()
    told = _events(hook.requests)
    for mountpoint in mountpoints:
        kinds = [kind for kind, metric in told if metric == f"disk {mountpoint}"]
        assert kinds == ["firing", "resolved", "firing", "resolved"], (mountpoint[-8:], told)
    assert len(told) == 8
    alerts = await fetch(
        settings.database_url, "SELECT count(*) AS n FROM alerts WHERE resolved_at IS NOT NULL"
    )
    assert alerts[0]["n"] == 4  # two incidents of each partition, each ended


async def test_label_sets_that_print_alike_alert_on_their_own(
    auth_client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    org = await make_org(auth_client, settings)
    await add_rule(settings, org.org_id, metric="queue_depth", threshold=50)
    alike = [{"path": "a,zone=b"}, {"path": "a", "zone": "b"}]  # both "path=a,zone=b"
    series = [Sample("queue_depth", 99, labels) for labels in alike]
    async with alert_worker(settings, redis) as worker:
        await worker.handle_reports(entries(report(org, time.time() - 10, series=series)))
    notes = await notifications(redis)
    assert [n.kind for n in notes] == ["firing", "firing"]
    assert len({n.key for n in notes}) == 2
    rows = await fetch(settings.database_url, "SELECT labels FROM alerts ORDER BY id")
    assert sorted((json.loads(r["labels"]) for r in rows), key=str) == sorted(alike, key=str)


_label_sets = st.dictionaries(
    st.sampled_from(["mountpoint", "interface", "path", "zone"]),
    st.text(alphabet="ab,=|#/", max_size=400),
    max_size=3,
)


@given(st.lists(_label_sets, min_size=2, max_size=2, unique_by=lambda d: tuple(sorted(d.items()))))
def test_distinct_label_sets_have_distinct_state_keys_that_fit(pair: list[dict[str, str]]) -> None:
    one, two = (state_key(17, labels) for labels in pair)
    assert one != two
    assert len(one) <= TARGET_KEY_LENGTH and len(two) <= TARGET_KEY_LENGTH


_event_parts = st.tuples(
    st.integers(1, 2**31 - 1),
    st.text(alphabet="1|m=/ab,#", min_size=1, max_size=TARGET_KEY_LENGTH),
    st.floats(0, 9_999_999_999, allow_nan=False),
    st.sampled_from(["firing", "reminder", "resolved"]),
    st.integers(0, 10**6),
)


def _as_keyed(event: tuple[int, str, float, str, int]) -> tuple[object, ...]:
    rule_id, target, since, kind, reminder = event
    return rule_id, target, f"{since:.3f}", kind, reminder  # starts a millisecond apart


@given(st.lists(_event_parts, min_size=2, max_size=2, unique_by=_as_keyed))
def test_distinct_events_have_distinct_keys_that_fit(
    pair: list[tuple[int, str, float, str, int]],
) -> None:
    one, two = (event_key(*event) for event in pair)
    assert one != two
    assert len(one) <= EVENT_KEY_LENGTH and len(two) <= EVENT_KEY_LENGTH
