"""What one client is about to receive: a queue bounded in frames and in bytes.

Each client drains its own outbox in its own task, so a slow or stuck client only ever loses
its own oldest frames and never delays the fan-out to anyone else. Past `max_frames` the
oldest frame is dropped (a live view wants the newest); past `max_bytes` waiting (a client
that does not read, or large frames) the outbox stops taking frames and calls `on_overflow`,
and the connection closes: the memory one client can hold is bounded however big frames are.
"""

from __future__ import annotations

import asyncio
import sys
from collections import deque
from collections.abc import Callable

from distribution_service.domain.metrics import FRAMES_DROPPED

# Queue items are (key, text, size in bytes). The key says what a frame belongs to: an agent's
# id, or a topic's name ("org", "monitors"; domain/org_topic.py, domain/monitors_topic.py);
# control messages carry None, so that purging a subscription's frames never removes an answer
# the client is waiting for.
Key = int | str | None
Subscription = int | str  # an agent's id or a topic's name
_Item = tuple[Key, str, int]


def _size(text: str) -> int:
    """Bytes on the wire; isascii() is O(1) and report frames are ASCII JSON almost always."""
    return len(text) if text.isascii() else len(text.encode())


class Outbox:
    def __init__(
        self,
        max_frames: int,
        max_bytes: int = sys.maxsize,
        on_overflow: Callable[[int], None] | None = None,
    ) -> None:
        self._items: deque[_Item] = deque()
        self._max_frames = max_frames
        self._max_bytes = max_bytes
        self._on_overflow = on_overflow
        self._queued_bytes = 0
        # The frame handed to the sender last, until it asks for the next one (being written).
        self._sending_bytes = 0
        self.overflowed = False
        self._ready = asyncio.Event()
        # Subscriptions being made: their frames wait here until the answer (and the snapshot)
        # is queued first.
        self._held: dict[Subscription, list[str]] = {}
        # The snapshot just queued per agent; the same frame arriving live is not sent twice.
        self._snapshots: dict[Subscription, str] = {}

    def __len__(self) -> int:
        return len(self._items)

    @property
    def pending_bytes(self) -> int:
        return self._queued_bytes + self._sending_bytes

    def push(self, key: Key, text: str) -> None:
        if self.overflowed:
            return
        if len(self._items) >= self._max_frames:
            self._queued_bytes -= self._items.popleft()[2]
            FRAMES_DROPPED.inc()
        size = _size(text)
        # A frame is always taken when nothing else waits, so one larger than the bound still
        # reaches a client that keeps up.
        if self.pending_bytes and self.pending_bytes + size > self._max_bytes:
            self._overflow(self.pending_bytes + size)
            return
        self._items.append((key, text, size))
        self._queued_bytes += size
        self._ready.set()

    def deliver(self, key: Subscription, frame: str) -> None:
        """A live frame from the hub (or a topic)."""
        held = self._held.get(key)
        if held is not None:
            held.append(frame)
            if len(held) > self._max_frames:
                del held[0]
                FRAMES_DROPPED.inc()
            return
        if self._snapshots and self._snapshots.pop(key, None) == frame:
            return
        self.push(key, frame)

    def hold(self, key: Subscription) -> None:
        """Keeps the live frames back until `release`, so none overtakes the answer or snapshot."""
        self._held[key] = []

    def release(self, key: Subscription, answer: str | None, snapshot: str | None) -> None:
        """Queues the answer to the subscribe, then the snapshot, then the frames held back."""
        held = self._held.pop(key, [])
        if answer is not None:
            self.push(None, answer)
        if snapshot is not None and snapshot not in held:
            self.push(key, snapshot)
            if not held:
                self._snapshots[key] = snapshot
        for frame in held:
            self.push(key, frame)

    def purge(self, key: Subscription) -> None:
        """Forgets every frame of a subscription the client ended (an agent, or a topic)."""
        self._held.pop(key, None)
        self._snapshots.pop(key, None)
        self._items = deque(item for item in self._items if item[0] != key)
        self._queued_bytes = sum(item[2] for item in self._items)

    async def get(self) -> str:
        """The next text to send; calling it again means the previous one has been written."""
        self._sending_bytes = 0
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        _, text, size = self._items.popleft()
        self._queued_bytes -= size
        self._sending_bytes = size
        return text

    def _overflow(self, pending: int) -> None:
        self.overflowed = True
        self._items.clear()  # the client is being disconnected: free its backlog now
        self._queued_bytes = 0
        if self._on_overflow is not None:
            self._on_overflow(pending)
