"""The monitors topic: each check of an organization's uptime monitors, for the monitors pages.

Protocol (on the multiplexed socket, /ws/):

    → {"type": "subscribe", "topic": "monitors"}       the organization of the access token
    ← {"type": "subscribed", "topic": "monitors", "org_id": 7}
    ← {"type": "monitor", "id": 12, "org_id": 7, "ts": 1717171717.1, "status": "down",
       "response_ms": null, "error": "connection refused"}
    → {"type": "unsubscribe", "topic": "monitors"}
    ← {"type": "unsubscribed", "topic": "monitors"}

- One frame per check the probe stored, exactly as it published it (core.live.MonitorFrame):
  `id` is the monitor's, `ts` the check's unix time, `status` up | degraded | down | pending |
  unreachable, `response_ms` and `error` null when the check has none.
- No snapshot: "subscribed" comes once this replica's Redis subscription is confirmed, so a
  page that reads the monitors (GET /api/probes/monitors) after it misses no check; a frame
  older than what the page read (compare `ts`) is stale.
- Frames are not batched and carry no sequence number: a client more than
  WS_CLIENT_QUEUE_FRAMES behind loses the oldest ones, and one more than
  WS_CLIENT_BUFFER_BYTES behind is disconnected (4408), as on any subscription. After a
  reconnect, subscribe again and then read the monitors again.
- Access is that of any subscription: every role of the organization may watch, and the
  socket closes (4401/4403/4000) when access ends.

How: each replica subscribes once per organization that someone on it watches
(core.live.monitors_channel), and queues each frame's text, unchanged, for all its watchers.
A frame is decoded once to check it is a monitor frame of that organization; anything else on
the channel is dropped, so a mistaken publish cannot show one organization another's monitors.
"""

from __future__ import annotations

import asyncio
import contextlib

import msgspec

from core.live import MonitorFrame, monitors_channel
from distribution_service.domain import protocol
from distribution_service.domain.hub import Hub
from distribution_service.domain.metrics import MONITOR_FRAMES, MONITOR_TOPICS
from distribution_service.domain.outbox import Outbox

MONITORS_KEY = protocol.MONITORS_TOPIC  # the outbox key of its frames: leaving purges only those

_decode_frame = msgspec.json.Decoder(MonitorFrame).decode


class MonitorsTopic:
    """Who on this replica watches one organization's monitors."""

    def __init__(self, org_id: int) -> None:
        self.org_id = org_id
        self._members: set[Outbox] = set()
        self.subscribed = asyncio.Event()  # Redis confirmed the channel at least once

    def add(self, outbox: Outbox) -> bool:
        """Holds the outbox's frames back until it has its answer; False when already in."""
        if outbox in self._members:
            return False
        outbox.hold(MONITORS_KEY)
        self._members.add(outbox)
        return True

    def leave(self, outbox: Outbox) -> bool:
        """Stops the outbox's frames; True when nobody on this replica watches any more."""
        self._members.discard(outbox)
        outbox.purge(MONITORS_KEY)
        return not self._members

    def on_message(self, data: str) -> None:
        """A frame from the organization's channel (the hub's reader calls this)."""
        if not self._ours(data):
            MONITOR_FRAMES.labels(outcome="dropped").inc()
            return
        MONITOR_FRAMES.labels(outcome="forwarded").inc()
        for outbox in self._members:
            outbox.deliver(MONITORS_KEY, data)

    def on_subscribed(self) -> None:
        self.subscribed.set()

    def _ours(self, data: str) -> bool:
        try:
            return _decode_frame(data).org_id == self.org_id
        except (msgspec.DecodeError, ValueError):
            return False


class MonitorsTopics:
    """The monitors topics this replica runs: one per organization someone here watches."""

    def __init__(self, hub: Hub, *, confirm_timeout: float = 5.0) -> None:
        self._hub = hub
        self._confirm_timeout = confirm_timeout
        self._topics: dict[int, MonitorsTopic] = {}

    async def join(self, org_id: int, outbox: Outbox, answer: str) -> None:
        """Queues `answer` once the channel is subscribed, then every frame after it."""
        topic = self._topics.get(org_id)
        if topic is None:
            topic = self._topics[org_id] = MonitorsTopic(org_id)
            MONITOR_TOPICS.inc()
            topic.add(outbox)  # before any await, so a leave meanwhile keeps the topic
            channel = monitors_channel(org_id)
            await self._hub.add_listener(channel, topic.on_message, topic.on_subscribed)
        elif not topic.add(outbox):
            outbox.push(None, answer)  # a repeated subscribe: nothing changes
            return
        # Redis away: the hub subscribes once it is back; what is published meanwhile is lost.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._confirm_timeout):
                await topic.subscribed.wait()
        outbox.release(MONITORS_KEY, answer, None)

    async def leave(self, org_id: int, outbox: Outbox) -> None:
        topic = self._topics.get(org_id)
        if topic is None or not topic.leave(outbox):
            return
        del self._topics[org_id]
        MONITOR_TOPICS.dec()
        await self._hub.remove_listener(monitors_channel(org_id))
