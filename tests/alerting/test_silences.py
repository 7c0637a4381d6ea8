"""Silences and weekly maintenance windows: what they mute, and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from alert_service.domain.silences import active, matches
from core.models import Silence
from harness.factories import new_agent, register_and_login


def _weekly(days: list[int], start: str, end: str, tz: str = "UTC") -> Silence:
    return Silence(
        org_id=1, labels={}, weekdays=days, window_start=start, window_end=end, timezone=tz
    )


def test_period_silence_is_active_only_inside_its_period() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    silence = Silence(
        org_id=1, labels={}, weekdays=[], starts_at=now, ends_at=now + timedelta(hours=1)
    )
    assert not active(silence, now - timedelta(seconds=1))
    assert active(silence, now) and active(silence, now + timedelta(minutes=59))
    assert not active(silence, now + timedelta(hours=1))


def test_weekly_window_in_local_time_and_across_midnight() -> None:
    # Sunday 22:00 to Monday 02:00 in Berlin (UTC+1 in November); 2026-11-22 is a Sunday.
    silence = _weekly([6], "22:00", "02:00", "Europe/Berlin")
    assert active(silence, datetime(2026, 11, 22, 21, 30, tzinfo=UTC))  # Sun 22:30 local
    assert active(silence, datetime(2026, 11, 23, 0, 30, tzinfo=UTC))  # Mon 01:30 local
    assert not active(silence, datetime(2026, 11, 23, 1, 30, tzinfo=UTC))  # Mon 02:30 local
    assert not active(silence, datetime(2026, 11, 21, 21, 30, tzinfo=UTC))  # Sat 22:30 local
    daytime = _weekly([0, 1, 2, 3, 4], "09:00", "17:00")
    assert active(daytime, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    assert not active(daytime, datetime(2026, 11, 23, 17, 0, tzinfo=UTC))
    assert not active(daytime, datetime(2026, 11, 22, 12, 0, tzinfo=UTC))  # Sunday


def test_matchers_all_must_hold_and_none_mutes_everything() -> None:
    everything = Silence(org_id=1, labels={})
    assert matches(everything, rule_id=3, agent_id=4, labels={})
    scoped = Silence(org_id=1, agent_id=4, rule_id=None, labels={"env": "staging"})
    assert matches(scoped, rule_id=9, agent_id=4, labels={"env": "staging", "role": "db"})
    assert not matches(scoped, rule_id=9, agent_id=4, labels={"env": "prod"})
    assert not matches(scoped, rule_id=9, agent_id=5, labels={"env": "staging"})


async def test_create_list_delete_silences_through_the_api(
    auth_client: httpx.AsyncClient, alert_client: httpx.AsyncClient
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    agent = await new_agent(auth_client, admin, "db-1")
    window = {
        "agent_id": agent.id,
        "weekdays": [6],
        "window_start": "22:00",
        "window_end": "02:00",
        "timezone": "Europe/Berlin",
        "comment": "weekly backup",
    }
    created = await alert_client.post("/silences", headers=admin.headers, json=window)
    assert created.status_code == 201, created.text
    ends = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    period = await alert_client.post("/silences", headers=admin.headers, json={"ends_at": ends})
    assert period.status_code == 201
    listed = (await alert_client.get("/silences", headers=admin.headers)).json()
    assert [s["comment"] for s in listed] == ["weekly backup", ""]
    deleted = await alert_client.delete(f"/silences/{created.json()['id']}", headers=admin.headers)
    assert deleted.status_code == 204
    assert len((await alert_client.get("/silences", headers=admin.headers)).json()) == 1


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({}, "either ends_at"),
        (
            {
                "ends_at": "2030-01-01T00:00:00Z",
                "weekdays": [1],
                "window_start": "01:00",
                "window_end": "02:00",
            },
            "either ends_at",
        ),
        (
            {"starts_at": "2030-01-02T00:00:00Z", "ends_at": "2030-01-01T00:00:00Z"},
            "after starts_at",
        ),
        ({"weekdays": [7], "window_start": "01:00", "window_end": "02:00"}, "weekdays"),
        ({"weekdays": [1], "window_start": "25:00", "window_end": "02:00"}, "window_start"),
        (
            {
                "weekdays": [1],
                "window_start": "01:00",
                "window_end": "02:00",
                "timezone": "Mars/Olympus",
            },
            "time zone",
        ),
        ({"ends_at": "2030-01-01T00:00:00Z", "agent_id": 999}, "agent not found"),
    ],
)
async def test_bad_silences_are_refused_naming_the_problem(
    auth_client: httpx.AsyncClient,
    alert_client: httpx.AsyncClient,
    body: dict[str, object],
    problem: str,
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    response = await alert_client.post("/silences", headers=admin.headers, json=body)
    assert response.status_code in (404, 422)
    assert problem in response.text
    assert (await alert_client.get("/silences", headers=admin.headers)).json() == []
