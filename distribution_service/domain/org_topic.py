"""The organization topic: every host of an organization on one subscription, for overview pages.

Protocol (on the multiplexed socket, /ws/):

    → {"type": "subscribe", "topic": "org"}            the organization of the access token
    ← {"type": "subscribed", "topic": "org", "org_id": 7}
    ← {"type": "org", "org_id": 7, "seq": 41, "ts": 1717171717.123, "snapshot": true,
       "hosts": [{"agent_id": 3, "cpu": 12.5, "memory": 40.1, "disk": 71.0,
                  "net_in": 18234, "net_out": 5120, "last_seen": 1717171716.9,
                  "interval": 5.0}, ...],
       "status": [{"agent_id": 3, "online": true}, ...]}
    ← {"type": "org", "org_id": 7, "seq": 42, "ts": ..., "snapshot": false,
       "hosts": [...only hosts with a new report...],
       "status": [...only hosts that went online or offline...]}
    → {"type": "unsubscribe", "topic": "org"}
    ← {"type": "unsubscribed", "topic": "org"}

- The snapshot (`snapshot: true`) comes first and holds every agent of the organization that
  has reported (agents that never did are absent, "never" in GET /agents/overview), each with
  a status entry. Frames after it (`snapshot: false`) carry only what changed since the
  previous frame: a host's entry replaces its previous one whole; a status entry says the
  host went online or offline. At most one such frame every WS_ORG_FRAME_SECONDS (1 s), and
  none while nothing changes. Both lists may be empty in a snapshot, never both in a delta.
- Host entry: `cpu`, `memory`, `disk` are percentages (0.1 steps), `net_in`/`net_out` bytes
  per second (whole numbers), null when the host does not report them; `last_seen` is the
  report's unix time in seconds; `interval` the seconds between its reports (null: 60 are
  assumed). The same values as GET /agents/overview's `values` cpu_percent, memory_percent,
  disk_percent, net_recv_bytes_per_s and net_sent_bytes_per_s, and its `last_seen`.
- `online` follows the overview's rule (offline after OFFLINE_AFTER_MISSED_INTERVALS missed
  intervals) and is decided here, by the clock: a host that falls silent turns offline within
  about a second of its window without any report arriving.
- `seq` counts this topic's delta frames; the snapshot carries the `seq` of the last delta
  before it, so the next frame has `seq + 1`. Anything else (a gap) means frames were lost
  (a client too slow for its queue): send the subscribe again to get a fresh snapshot. A
  new connection always starts with a snapshot; `seq` is per server replica, so compare it
  only within one connection. No gap between the snapshot and the first delta: a change
  is either in the snapshot, in the first delta, or in both (applying it twice is harmless).
- An `agent_id` not in the overview the client holds is an agent created since: refetch it.
- Sizes: a host entry is ~140 bytes, a snapshot ~165 bytes per host (330 KB for 2,000), so
  WS_CLIENT_BUFFER_BYTES (1 MB) holds the snapshot of up to ~6,000 hosts; raise it beyond.
- Access is that of any subscription: every role of the organization may watch, and the
  socket closes (4401/4403/4000) when access ends.

How: each replica subscribes once per organization that someone on it watches (core.live.
org_channel, where ingestion publishes a small summary of every report that becomes a host's
latest), keeps every host's latest summary and status in memory (a few hundred bytes per
host, dropped when the last watcher leaves), and encodes each frame once for all watchers.
Offline deadlines sit in a heap (one entry per online host); a host past its deadline is
checked against the latest-report hash before it is called offline, so a lost pub/sub
message never makes a reporting host flicker.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import math
import time

from core.errors import STORES_UNAVAILABLE
from core.live import HostSummary, decode_summary, offline_after, org_channel
from core.logging import get_logger
from core.tasks import stop_task
from distribution_service.domain import protocol
from distribution_service.domain.hub import Hub
from distribution_service.domain.latest import LatestHosts
from distribution_service.domain.metrics import ORG_FRAME_BYTES, ORG_FRAMES, ORG_TOPICS
from distribution_service.domain.outbox import Outbox
from distribution_service.domain.protocol import HostStatus, OrgFrame

log = get_logger(__name__)

ORG_KEY = "org"  # the outbox key of topic frames: leaving the topic purges only those
_RETRY_SECONDS = 1.0  # a failed load of the latest-report hash is tried again this soon


class OrgTopic:
    """One organization's hosts as this replica last heard of them, and who watches them."""

    def __init__(self, org_id: int, store: LatestHosts, *, period: float, max_missed: int):
        self.org_id = org_id
        self._store = store
        self._period = period
        self._max_missed = max_missed
        self._members: set[Outbox] = set()
        self._joining: set[Outbox] = set()  # waiting for the first load's snapshot
        self._hosts: dict[int, HostSummary] = {}
        self._online: dict[int, bool] = {}
        self._deadlines: list[tuple[float, int]] = []  # (offline after, agent id), a heap
        self._scheduled: set[int] = set()  # hosts with an entry in the heap
        self._changed: set[int] = set()  # hosts with a new summary since the last frame
        self._flipped: set[int] = set()  # hosts whose status changed since the last frame
        self._seq = 0
        self._last_frame = -math.inf
        self._snapshot: str | None = None  # the encoded snapshot, until the next frame
        self._loaded = False
        self._stale = False  # the hash must be (re)read: messages may have been missed
        self._retry_at = 0.0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"org-topic-{self.org_id}")

    async def stop(self) -> None:
        if self._task is not None:
            await stop_task(self._task)

    def join(self, outbox: Outbox) -> None:
        """Sends the outbox a snapshot (now, or once loaded), then every frame after it."""
        outbox.purge(ORG_KEY)  # a resubscribe: the snapshot supersedes what is queued
        self._members.discard(outbox)
        if self._loaded:
            outbox.push(ORG_KEY, self._snapshot_text())
            self._members.add(outbox)
        else:
            self._joining.add(outbox)

    def leave(self, outbox: Outbox) -> bool:
        """Stops the outbox's frames; True when nobody on this replica watches any more."""
        self._members.discard(outbox)
        self._joining.discard(outbox)
        outbox.purge(ORG_KEY)
        return not (self._members or self._joining)

    def on_message(self, data: str) -> None:
        """A summary from the organization's channel (the hub's reader calls this)."""
        summary = decode_summary(data)
        if summary is not None:
            self._apply(summary, time.time())
            self._wake.set()

    def on_subscribed(self) -> None:
        """Redis confirmed the channel (again): read the hash for what was published before."""
        self._stale = True
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                await self._step()
            except Exception:  # a bug must not silence the topic for good
                log.exception("organization topic failed; going on", org_id=self.org_id)
                await asyncio.sleep(_RETRY_SECONDS)

    async def _step(self) -> None:
        await self._until_work()
        if self._stale and time.monotonic() >= self._retry_at:
            await self._reload()
        await self._expire()
        if self._changed or self._flipped:
            delay = self._last_frame + self._period - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)  # changes meanwhile join this frame
            self._flush()

    async def _until_work(self) -> None:
        if self._changed or self._flipped:
            return
        waits = []
        if self._stale:
            waits.append(self._retry_at - time.monotonic())
        if self._deadlines:
            waits.append(self._deadlines[0][0] - time.time())
        self._wake.clear()  # no await since the checks above: nothing can slip in between
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max(0.0, min(waits)) if waits else None):
                await self._wake.wait()

    async def _reload(self) -> None:
        self._stale = False
        try:
            fresh = await self._store.all(self.org_id)
        except STORES_UNAVAILABLE as exc:  # the hub reconnects; until then, try again now and then
            log.warning("cannot load an organization's hosts", org_id=self.org_id, error=repr(exc))
            self._stale, self._retry_at = True, time.monotonic() + _RETRY_SECONDS
            return
        for gone in self._hosts.keys() - fresh.keys():  # deleted agents
            self._forget(gone)
        now = time.time()
        for summary in fresh.values():
            self._apply(summary, now)
        if not self._loaded:  # nobody has seen anything yet: the snapshot says it all
            self._loaded = True
            self._changed.clear()
            self._flipped.clear()
            log.info("organization topic loaded", org_id=self.org_id, hosts=len(self._hosts))
        for outbox in self._joining:
            outbox.push(ORG_KEY, self._snapshot_text())
        self._members |= self._joining
        self._joining.clear()

    def _apply(self, summary: HostSummary, now: float) -> None:
        """Takes a host's summary unless an equal or newer one is known (the view moves
        forward only, whichever of the channel and the hash tells first)."""
        agent_id = summary.agent_id
        known = self._hosts.get(agent_id)
        if known is not None and known.last_seen >= summary.last_seen:
            return
        self._hosts[agent_id] = summary
        self._changed.add(agent_id)
        deadline = offline_after(summary.last_seen, summary.interval, self._max_missed)
        self._set_online(agent_id, now <= deadline)
        if now <= deadline and agent_id not in self._scheduled:
            heapq.heappush(self._deadlines, (deadline, agent_id))
            self._scheduled.add(agent_id)

    def _set_online(self, agent_id: int, online: bool) -> None:
        if self._online.get(agent_id) != online:
            self._online[agent_id] = online
            self._flipped.add(agent_id)

    def _forget(self, agent_id: int) -> None:
        del self._hosts[agent_id]
        self._online.pop(agent_id, None)
        self._changed.discard(agent_id)
        self._flipped.discard(agent_id)
        self._snapshot = None

    async def _expire(self) -> None:
        """Turns offline the hosts whose window has passed, after asking the hash whether a
        newer report was stored (a summary lost on the way must not make a host flicker)."""
        due = self._due(time.time())
        if not due:
            return
        try:
            for fresher in await self._store.some(self.org_id, due):
                self._apply(fresher, time.time())
        except STORES_UNAVAILABLE as exc:  # nothing newer can be known: what we know stands
            log.warning("cannot re-read silent hosts", org_id=self.org_id, error=repr(exc))
        now = time.time()
        for agent_id in due:
            summary = self._hosts.get(agent_id)
            if summary is not None and now > offline_after(
                summary.last_seen, summary.interval, self._max_missed
            ):
                self._set_online(agent_id, False)

    def _due(self, now: float) -> list[int]:
        """Online hosts past their deadline; those that reported since are rescheduled."""
        due = []
        while self._deadlines and self._deadlines[0][0] < now:
            _, agent_id = heapq.heappop(self._deadlines)
            self._scheduled.discard(agent_id)
            summary = self._hosts.get(agent_id)
            if summary is None:
                continue
            deadline = offline_after(summary.last_seen, summary.interval, self._max_missed)
            if deadline >= now:
                heapq.heappush(self._deadlines, (deadline, agent_id))
                self._scheduled.add(agent_id)
            elif self._online.get(agent_id):
                due.append(agent_id)
        return due

    def _flush(self) -> None:
        """One frame of everything that changed, encoded once for every watcher."""
        hosts = [self._hosts[i] for i in self._changed if i in self._hosts]
        status = [HostStatus(i, self._online[i]) for i in self._flipped if i in self._online]
        self._changed.clear()
        self._flipped.clear()
        self._last_frame = time.monotonic()
        if not (hosts or status):
            return
        self._seq += 1
        self._snapshot = None
        text = self._encode(hosts, status, snapshot=False)
        for outbox in self._members:
            outbox.push(ORG_KEY, text)

    def _snapshot_text(self) -> str:
        """Shared by everyone joining before the next frame: all of it is in that frame too."""
        if self._snapshot is None:
            status = [HostStatus(i, online) for i, online in self._online.items()]
            self._snapshot = self._encode(list(self._hosts.values()), status, snapshot=True)
        return self._snapshot

    def _encode(self, hosts: list[HostSummary], status: list[HostStatus], snapshot: bool) -> str:
        ts = round(time.time(), 3)
        text = protocol.org_frame(OrgFrame(self.org_id, self._seq, ts, snapshot, hosts, status))
        ORG_FRAMES.labels(kind="snapshot" if snapshot else "delta").inc()
        ORG_FRAME_BYTES.labels(kind="snapshot" if snapshot else "delta").inc(len(text))
        return text


class OrgTopics:
    """The organization topics this replica runs: one per organization someone here watches."""

    def __init__(self, hub: Hub, store: LatestHosts, *, period: float, max_missed: int):
        self._hub = hub
        self._store = store
        self._period = period
        self._max_missed = max_missed
        self._topics: dict[int, OrgTopic] = {}

    async def join(self, org_id: int, outbox: Outbox, answer: str) -> None:
        """Queues `answer`, then the snapshot (now or once loaded), then every frame after it."""
        outbox.push(None, answer)
        topic = self._topics.get(org_id)
        if topic is not None:
            topic.join(outbox)
            return
        topic = self._topics[org_id] = OrgTopic(
            org_id, self._store, period=self._period, max_missed=self._max_missed
        )
        ORG_TOPICS.inc()
        topic.join(outbox)
        topic.start()
        await self._hub.add_listener(org_channel(org_id), topic.on_message, topic.on_subscribed)

    async def leave(self, org_id: int, outbox: Outbox) -> None:
        topic = self._topics.get(org_id)
        if topic is None or not topic.leave(outbox):
            return
        del self._topics[org_id]
        ORG_TOPICS.dec()
        await self._hub.remove_listener(org_channel(org_id))
        await topic.stop()

    async def stop(self) -> None:
        for topic in self._topics.values():
            await topic.stop()
