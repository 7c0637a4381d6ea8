"""Organization-topic test building blocks: reports through ingestion's own appender (its Lua
script, which publishes the summaries the topic follows) and a client that merges frames."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection

from core import reports as m
from core.live import live_frame
from core.redis import create_fail_fast_redis
from core.reports import Report
from ingestion_service.domain.appender import ReportAppender
from tests.distribution.helpers import receive, report

SUBSCRIBE_ORG = '{"type": "subscribe", "topic": "org"}'


def host_report(
    org_id: int, agent_id: int, cpu: float, *, interval: float = 5.0, ts: float | None = None
) -> Report:
    """A host's report with every value the topic carries (and one it does not: load)."""
    metrics = {
        m.CPU_PERCENT: cpu,
        m.MEMORY_PERCENT: 40.04,
        m.DISK_PERCENT: 70.0,
        m.NET_RECV_BYTES_PER_S: 1234.6,
        m.NET_SENT_BYTES_PER_S: 99.0,
        m.LOAD_1: 0.5,
    }
    base = report(org_id, agent_id, 0, samples=4)
    return msgspec.structs.replace(
        base, metrics=metrics, interval=interval, ts=base.ts if ts is None else ts
    )


@asynccontextmanager
async def ingestion(redis_url: str) -> AsyncIterator[Callable[..., Any]]:
    """`await ingest(*reports)`: appended and published exactly as the ingestion service does."""
    redis = create_fail_fast_redis(redis_url)
    appender = ReportAppender(
        redis, maxlen=100_000, max_batch=500, once_seconds=60, once_max_ids=100
    )
    appender.start()

    async def ingest(*items: Report) -> None:
        await appender.append(items, [live_frame(item) for item in items])

    try:
        yield ingest
    finally:
        await appender.stop()
        await redis.aclose()


class OrgView:
    """What a dashboard holds: the snapshot with every later frame merged in, in order."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        assert snapshot["type"] == "org" and snapshot["snapshot"] is True, snapshot
        self.org_id: int = snapshot["org_id"]
        self.seq: int = snapshot["seq"]
        self.hosts = {host["agent_id"]: host for host in snapshot["hosts"]}
        self.online = {entry["agent_id"]: entry["online"] for entry in snapshot["status"]}
        assert self.online.keys() == self.hosts.keys(), "every host has a status"
        self.seen: set[int] = set(self.hosts)  # every agent id any frame named
        self.frames: list[dict[str, Any]] = []

    def apply(self, frame: dict[str, Any]) -> None:
        assert frame["type"] == "org" and frame["snapshot"] is False, frame
        assert frame["seq"] == self.seq + 1, f"gap: {self.seq} then {frame['seq']}"
        assert frame["hosts"] or frame["status"], "an empty frame"
        self.seq = frame["seq"]
        self.frames.append(frame)
        for host in frame["hosts"]:
            self.hosts[host["agent_id"]] = host
        for entry in frame["status"]:
            self.online[entry["agent_id"]] = entry["online"]
        self.seen |= {host["agent_id"] for host in frame["hosts"]}
        self.seen |= {entry["agent_id"] for entry in frame["status"]}

    async def until(
        self, ws: ClientConnection, done: Callable[[OrgView], bool], within: float = 30
    ) -> None:
        """Merges frames until `done` holds (False while it does not: a timeout fails)."""
        deadline = time.monotonic() + within
        while not done(self):
            try:
                self.apply(await receive(ws, max(0.0, deadline - time.monotonic())))
            except TimeoutError:
                last = str(self.frames[-2:])[:2000]
                raise AssertionError(f"not within {within} s; the last frames: {last}") from None


async def subscribe_org(ws: ClientConnection, org_id: int) -> OrgView:
    await ws.send(SUBSCRIBE_ORG)
    assert await receive(ws) == {"type": "subscribed", "topic": "org", "org_id": org_id}
    return OrgView(await receive(ws))


async def keep_reporting(
    ingest: Callable[..., Any], make: Callable[[int], list[Report]], every: float
) -> None:
    """Ingests make(round) every `every` seconds until cancelled."""
    round_ = 0
    while True:
        await ingest(*make(round_))
        round_ += 1
        await asyncio.sleep(every)
