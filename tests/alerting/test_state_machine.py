"""One notification per state change, never spam: the alert state machine under many inputs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from alert_service.domain.state import AlertState, Event, Phase, Policy, acknowledge, step

values = st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=200)


def _run(
    policy: Policy, series: list[float], interval: float = 5
) -> tuple[AlertState, list[Event]]:
    state, events = AlertState(), []
    for i, value in enumerate(series):
        state, new = step(state, policy, value, i * interval)
        events += new
    return state, events


@settings(max_examples=300, deadline=None)
@given(values)
def test_firing_and_resolved_alternate_one_per_state_change(series: list[float]) -> None:
    policy = Policy("gt", 90, renotify_seconds=10**9)
    state, events = _run(policy, series)
    kinds = [e.kind for e in events]
    assert kinds == ["firing", "resolved"] * (len(kinds) // 2) + ["firing"] * (len(kinds) % 2)
    breaches = [v > 90 for v in series]
    changes = sum(
        1 for before, now in zip([False, *breaches], breaches, strict=False) if before != now
    )
    assert len(kinds) == changes
    assert (state.phase is Phase.firing) == breaches[-1]


@settings(max_examples=300, deadline=None)
@given(values)
def test_nothing_fires_before_the_breach_lasted_for_seconds(series: list[float]) -> None:
    policy = Policy("gt", 90, for_seconds=30, renotify_seconds=10**9)
    _, events = _run(policy, series, interval=5)
    longest, run = 0, 0
    for value in series:
        run = run + 1 if value > 90 else 0
        longest = max(longest, run)
    # 30 s at a 5 s interval: the 7th consecutive breaching sample is the first that may fire.
    assert bool(events) == (longest >= 7)


def test_flapping_inside_the_hysteresis_band_does_not_resolve_and_refire() -> None:
    policy = Policy("gt", 90, hysteresis=5, renotify_seconds=10**9)
    _, events = _run(policy, [95, 89, 91, 88, 92, 86, 84, 95])
    assert [e.kind for e in events] == ["firing", "resolved", "firing"]
    assert events[1].value == 84


def test_reminders_every_interval_until_acknowledged_then_one_resolution() -> None:
    policy = Policy("ge", 80, renotify_seconds=300)
    state, first = step(AlertState(), policy, 85, 0)
    reminders = []
    for at in range(60, 1260, 60):
        state, new = step(state, policy, 85, at)
        reminders += new
    assert [e.at for e in first + reminders] == [0, 300, 600, 900, 1200]
    state = acknowledge(state)
    for at in range(1260, 2400, 60):
        state, new = step(state, policy, 85, at)
        assert new == []
    state, last = step(state, policy, 10, 2400)
    assert [e.kind for e in last] == ["resolved"] and state == AlertState()


def test_below_threshold_rules_and_pending_that_recovers_stay_quiet() -> None:
    policy = Policy("lt", 10, for_seconds=60)
    state, events = _run(policy, [5, 5, 50, 5, 5], interval=20)
    assert events == [] and state.phase is Phase.pending
