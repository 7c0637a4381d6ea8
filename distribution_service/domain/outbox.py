"""What one client is about to receive: a bounded queue that drops its oldest frame when full.

Each client drains its own outbox in its own task, so a slow or stuck client only ever loses
its own oldest frames and never delays the fan-out to anyone else.
"""

from __future__ import annotations

import asyncio
from collections import deque

from distribution_service.domain.metrics import FRAMES_DROPPED

# Queue items are (agent id, text); control messages carry None so that purging an agent's
# frames on unsubscribe never removes an answer the client is waiting for.
_Item = tuple[int | None, str]


class Outbox:
    def __init__(self, max_frames: int) -> None:
        self._items: deque[_Item] = deque()
        self._max_frames = max_frames
        self._ready = asyncio.Event()
        # Agents being subscribed: their frames wait here until the snapshot is queued first.
        self._held: dict[int, list[str]] = {}
        # The snapshot just queued per agent; the same frame arriving live is not sent twice.
        self._snapshots: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._items)

    def push(self, agent_id: int | None, text: str) -> None:
        if len(self._items) >= self._max_frames:
            self._items.popleft()
            FRAMES_DROPPED.inc()
        self._items.append((agent_id, text))
        self._ready.set()

    def deliver(self, agent_id: int, frame: str) -> None:
        """A live frame from the hub."""
        held = self._held.get(agent_id)
        if held is not None:
            held.append(frame)
            if len(held) > self._max_frames:
                del held[0]
                FRAMES_DROPPED.inc()
            return
        if self._snapshots and self._snapshots.pop(agent_id, None) == frame:
            return
        self.push(agent_id, frame)

    def hold(self, agent_id: int) -> None:
        """Keeps the agent's live frames back until `release`, so none overtakes the snapshot."""
        self._held[agent_id] = []

    def release(self, agent_id: int, answer: str | None, snapshot: str | None) -> None:
        """Queues the answer to the subscribe, then the snapshot, then the frames held back."""
        held = self._held.pop(agent_id, [])
        if answer is not None:
            self.push(None, answer)
        if snapshot is not None and snapshot not in held:
            self.push(agent_id, snapshot)
            if not held:
                self._snapshots[agent_id] = snapshot
        for frame in held:
            self.push(agent_id, frame)

    def purge(self, agent_id: int) -> None:
        """Forgets every frame of an agent the client unsubscribed from."""
        self._held.pop(agent_id, None)
        self._snapshots.pop(agent_id, None)
        self._items = deque(item for item in self._items if item[0] != agent_id)

    async def get(self) -> str:
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()[1]
