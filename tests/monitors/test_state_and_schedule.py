"""The monitor state machine and the schedule grid, without any I/O."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from probe_service.checks import CheckResult
from probe_service.domain.schedule import Timetable, next_due, phase, slot
from probe_service.domain.state import (
    PARENT_DOWN,
    MonitorState,
    Transition,
    Verdict,
    step,
    verdict,
)


def run(verdicts: list[Verdict], retries: int, parent_down: bool = False) -> list[str]:
    state, seen = MonitorState(), []
    for v in verdicts:
        result = step(state, v, retries=retries, parent_down=parent_down, error="boom")
        state = result.state
        seen.append(state.status)
    return seen


def test_retries_keep_a_failing_monitor_pending_before_it_is_down() -> None:
    fail, up = Verdict.failed, Verdict.up
    assert run([up, fail, fail, fail, up], retries=2) == ["up", "pending", "pending", "down", "up"]
    assert run([up, fail], retries=0) == ["up", "down"]


def test_down_opens_one_incident_and_recovery_closes_it() -> None:
    state = MonitorState("up")
    transitions = []
    for v in [Verdict.failed, Verdict.failed, Verdict.failed, Verdict.degraded, Verdict.up]:
        result = step(state, v, retries=0, parent_down=False, error="x")
        transitions.append(result.transition)
        state = result.state
    assert transitions == [Transition.opened, None, None, Transition.closed, None]


def test_a_monitor_whose_parent_is_down_is_unreachable_not_down() -> None:
    result = step(MonitorState("up"), Verdict.failed, retries=0, parent_down=True, error="x")
    assert result.state.status == "unreachable"
    assert result.transition is None
    assert result.error == PARENT_DOWN
    # Already down before the parent went: it stays down (its incident is open).
    still = step(MonitorState("down", 3), Verdict.failed, retries=0, parent_down=True, error="x")
    assert still.state.status == "down"


def test_upside_down_swaps_pass_and_fail_and_degraded_is_up_but_slow() -> None:
    assert verdict(CheckResult(ok=True), upside_down=True) is Verdict.failed
    assert verdict(CheckResult(ok=False), upside_down=True) is Verdict.up
    assert verdict(CheckResult(ok=True, degraded=True), upside_down=False) is Verdict.degraded


@given(st.lists(st.sampled_from(list(Verdict)), max_size=60), st.integers(0, 10))
def test_incidents_alternate_and_down_needs_more_failures_than_retries(
    verdicts: list[Verdict], retries: int
) -> None:
    state, open_incident, streak = MonitorState(), False, 0
    for v in verdicts:
        result = step(state, v, retries=retries, parent_down=False, error="x")
        streak = streak + 1 if v is Verdict.failed else 0
        if result.transition is Transition.opened:
            assert not open_incident and streak == retries + 1
            open_incident = True
        if result.transition is Transition.closed:
            assert open_incident
            open_incident = False
        assert (result.state.status == "down") == open_incident
        state = result.state


@given(st.integers(1, 10**6), st.integers(20, 86_400), st.floats(0, 10**9))
def test_due_times_lie_on_the_monitor_grid_and_never_drift(
    monitor_id: int, interval: int, after: float
) -> None:
    due = next_due(monitor_id, interval, after)
    assert after < due <= after + interval + 1e-6
    again = next_due(monitor_id, interval, due + 0.5)  # a check that took half a second
    assert abs(again - due - interval) < 1e-6
    assert slot(monitor_id, interval, again) == slot(monitor_id, interval, due) + 1


def test_monitors_with_one_interval_are_spread_over_it() -> None:
    phases = sorted(phase(i, 60) for i in range(1, 601))
    per_second = [sum(1 for p in phases if s <= p < s + 1) for s in range(60)]
    assert max(per_second) <= 25  # 10 per second on average: no thundering herd


def test_timetable_pops_due_monitors_in_order_and_forgets_rescheduled_entries() -> None:
    table = Timetable()
    table.schedule(1, 10.0)
    table.schedule(2, 5.0)
    table.schedule(1, 3.0)  # rescheduled: the 10.0 entry is stale
    assert table.pop_due(7.0, limit=10) == [(1, 3.0), (2, 5.0)]
    assert table.pop_due(100.0, limit=10) == []
    assert len(table) == 0
