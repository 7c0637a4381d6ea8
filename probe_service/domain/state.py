"""Where a monitor stands after a check: a pure state machine (no I/O, Hypothesis-tested).

- A passing check is "up" ("degraded" when slower than the monitor's threshold); upside-down
  mode swaps pass and fail (a degraded pass then counts as a pass, i.e. a failure).
- A failing check is retried: the monitor stays "pending" for `retries` failed checks, each
  after the retry interval, and is "down" at the next one. Down opens an incident; the first
  pass after it closes the incident.
- A monitor whose parent is down fails as "unreachable (parent down)": not down, no incident,
  no alert; the parent's own alert says it all. A monitor already down stays down.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from probe_service.checks.base import CheckResult

PARENT_DOWN = "unreachable: parent monitor is down"
BLOCKING_PARENT_STATUSES = frozenset({"down", "unreachable"})


class Verdict(Enum):
    up = "up"
    degraded = "degraded"
    failed = "failed"


class Transition(Enum):
    opened = "opened"  # an incident starts
    closed = "closed"  # the incident ends


@dataclass(frozen=True)
class MonitorState:
    status: str = "pending"
    failures: int = 0  # consecutive failed checks


@dataclass(frozen=True)
class Step:
    state: MonitorState
    transition: Transition | None
    retrying: bool  # the next check comes after the retry interval, not the interval
    error: str | None


def verdict(result: CheckResult, upside_down: bool) -> Verdict:
    passed = result.ok
    if upside_down:
        return Verdict.failed if passed else Verdict.up
    if not passed:
        return Verdict.failed
    return Verdict.degraded if result.degraded else Verdict.up


def step(
    before: MonitorState, seen: Verdict, *, retries: int, parent_down: bool, error: str | None
) -> Step:
    if seen is not Verdict.failed:
        transition = Transition.closed if before.status == "down" else None
        return Step(MonitorState(seen.value, 0), transition, False, error)
    if before.status == "down":
        return Step(MonitorState("down", before.failures + 1), None, False, error)
    if parent_down:
        return Step(MonitorState("unreachable", 0), None, False, PARENT_DOWN)
    failures = before.failures + 1
    if failures > retries:
        return Step(MonitorState("down", failures), Transition.opened, False, error)
    return Step(MonitorState("pending", failures), None, True, error)
