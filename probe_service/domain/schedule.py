"""When each monitor is due: a fixed grid per monitor, spread over its interval, no drift.

A monitor's checks fall at `phase + k * interval`, where the phase is a stable hash of its id:
monitors with the same interval are spread evenly (jitter without randomness, the same on
every replica), and a slow check never pushes the next one later (no drift). A retry after a
failure is due `retry_interval` after that failure instead, then the grid resumes.

`slot()` numbers the grid points: two replicas that both think they own a monitor (for a
moment, while replicas come and go) claim the same slot in Redis and only one checks.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from dataclasses import dataclass, field


def stable_hash(text: str) -> int:
    """The same on every replica and run (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def phase(monitor_id: int, interval: float) -> float:
    return (stable_hash(f"phase:{monitor_id}") % 1_000_000) / 1_000_000 * interval


def next_due(monitor_id: int, interval: float, after: float) -> float:
    """The first grid point strictly after `after`."""
    offset = phase(monitor_id, interval)
    k = math.floor((after - offset) / interval) + 1
    return offset + k * interval


def slot(monitor_id: int, interval: float, due: float) -> int:
    return round((due - phase(monitor_id, interval)) / interval)


@dataclass(order=True)
class _Entry:
    due: float
    monitor_id: int = field(compare=False)
    version: int = field(compare=False)


class Timetable:
    """Due times of the monitors this replica checks, soonest first. Rescheduling a monitor
    makes its older entries stale (skipped when popped) instead of searching the heap."""

    def __init__(self) -> None:
        self._heap: list[_Entry] = []
        self._version: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._version)

    def __contains__(self, monitor_id: int) -> bool:
        return monitor_id in self._version

    def schedule(self, monitor_id: int, due: float) -> None:
        version = self._version.get(monitor_id, 0) + 1
        self._version[monitor_id] = version
        heapq.heappush(self._heap, _Entry(due, monitor_id, version))

    def remove(self, monitor_id: int) -> None:
        self._version.pop(monitor_id, None)

    def next_time(self) -> float | None:
        self._drop_stale()
        return self._heap[0].due if self._heap else None

    def pop_due(self, now: float, limit: int) -> list[tuple[int, float]]:
        """Up to `limit` (monitor id, due time) that are due at `now`, soonest first; each is
        out of the table until scheduled again."""
        found: list[tuple[int, float]] = []
        while len(found) < limit:
            self._drop_stale()
            if not self._heap or self._heap[0].due > now:
                break
            entry = heapq.heappop(self._heap)
            del self._version[entry.monitor_id]
            found.append((entry.monitor_id, entry.due))
        return found

    def _drop_stale(self) -> None:
        while self._heap and self._version.get(self._heap[0].monitor_id) != self._heap[0].version:
            heapq.heappop(self._heap)
