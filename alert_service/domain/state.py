"""The alert state machine of one (rule, target): OK → PENDING → FIRING → resolved (OK).

Pure logic, no I/O: the evaluator feeds it each new value and persists the returned state,
so a restart continues where it stopped. Users are told once when something breaks and
once when it recovers; while it stays broken they are reminded every `renotify_seconds`
unless someone acknowledged it. Flapping around the threshold is absorbed by `for_seconds`
(stay in breach this long before firing) and `hysteresis` (recover only this far back).
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
    "eq": operator.eq,
    "ne": operator.ne,
}


class Phase(enum.StrEnum):
    ok = "ok"
    pending = "pending"
    firing = "firing"


@dataclass(frozen=True)
class Policy:
    condition: str
    threshold: float
    for_seconds: float = 0
    renotify_seconds: float = 300
    hysteresis: float = 0  # in the metric's unit: "gt 90" with 5 resolves at <= 85


@dataclass(frozen=True)
class AlertState:
    phase: Phase = Phase.ok
    since: float | None = None  # when the current breach began
    notified_at: float | None = None  # last firing or reminder sent
    acknowledged: bool = False


@dataclass(frozen=True)
class Event:
    kind: Literal["firing", "reminder", "resolved"]
    value: float
    at: float


def breached(policy: Policy, value: float) -> bool:
    return _COMPARE[policy.condition](value, policy.threshold)


def recovered(policy: Policy, value: float) -> bool:
    """Out of breach by at least the hysteresis, in the direction that matters."""
    if policy.hysteresis <= 0 or policy.condition in ("eq", "ne"):
        return not breached(policy, value)
    if policy.condition in ("gt", "ge"):
        return value <= policy.threshold - policy.hysteresis
    return value >= policy.threshold + policy.hysteresis


def step(
    state: AlertState, policy: Policy, value: float, at: float
) -> tuple[AlertState, list[Event]]:
    """The next state after observing `value` at time `at`, and what to tell people."""
    if state.phase is Phase.firing:
        return _while_firing(state, policy, value, at)
    if not breached(policy, value):
        return AlertState(), []
    since = state.since if state.phase is Phase.pending and state.since is not None else at
    if at - since >= policy.for_seconds:
        return AlertState(Phase.firing, since, at), [Event("firing", value, at)]
    return AlertState(Phase.pending, since), []


def _while_firing(
    state: AlertState, policy: Policy, value: float, at: float
) -> tuple[AlertState, list[Event]]:
    if recovered(policy, value):
        return AlertState(), [Event("resolved", value, at)]
    last = state.notified_at if state.notified_at is not None else at
    if not state.acknowledged and at - last >= policy.renotify_seconds:
        return replace(state, notified_at=at), [Event("reminder", value, at)]
    return state, []


def acknowledge(state: AlertState) -> AlertState:
    """Stops reminders for the current incident; the resolution is still announced."""
    return replace(state, acknowledged=True) if state.phase is Phase.firing else state
