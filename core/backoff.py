"""Exponential delays between attempts: the one retry pace of every reconnect loop."""

from __future__ import annotations


class Backoff:
    """Delays for consecutive failures: base, 2*base, 4*base, ... up to cap; reset() after a
    success starts again at base."""

    def __init__(self, base: float = 0.5, cap: float = 30.0) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0

    def next_delay(self) -> float:
        delay = min(self.cap, self.base * 2.0**self.failures)
        self.failures += 1
        return delay

    def reset(self) -> None:
        self.failures = 0
