"""The Data Monitoring Tool's `collected_at` without a zone, from hosts in any time zone.

Its agent sends `datetime.now().isoformat()` about a second after reading it, from cron. The
rule (ingestion_service/domain/local_time.py, docs/compatibility.md) must place every report
at the instant it was collected: whole, half and quarter hour zones from -12:00 to +14:00,
daylight-saving changes either way, clocks a little off, and late (buffered) sends.
"""

from __future__ import annotations

import time
import zoneinfo
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from redis.asyncio import Redis

from core.errors import Unprocessable
from harness.factories import Agent
from ingestion_service.domain.local_time import (
    EARLIEST_OFFSET,
    LATEST_OFFSET,
    QUARTER_HOUR,
    ZoneMemories,
    ZoneMemory,
    resolve,
)
from tests.fixtures.older_tools import data_monitoring_tool_agent, local_wall_clock
from tests.ingestion.helpers import stream_reports

SEND_DELAY = 1.2  # its agent reads the clock, then measures the CPU for a second, then sends
ZONES = {
    "+05:30": timedelta(hours=5, minutes=30),  # India
    "+05:45": timedelta(hours=5, minutes=45),  # Nepal
    "-08:00": timedelta(hours=-8),  # US Pacific, winter
    "+14:00": timedelta(hours=14),  # Kiribati, Line Islands
    "-12:00": timedelta(hours=-12),  # Baker Island
    "+12:45": timedelta(hours=12, minutes=45),  # Chatham Islands
    "-09:30": timedelta(hours=-9, minutes=-30),  # Marquesas
    "-03:30": timedelta(hours=-3, minutes=-30),  # Newfoundland
    "+00:00": timedelta(0),
}


def _wall(instant: float, offset: float) -> float:
    """The naive local time a host `offset` seconds east of UTC shows, read as if UTC."""
    return instant + offset


def _first_report(instant: float, offset: float, delay: float = SEND_DELAY) -> float:
    return resolve(_wall(instant, offset), instant + delay, None, "$.collected_at").ts


# --- the rule ------------------------------------------------------------------------------


@given(
    quarter=st.integers(EARLIEST_OFFSET // QUARTER_HOUR, LATEST_OFFSET // QUARTER_HOUR),
    instant=st.floats(1.5e9, 2.5e9),
    delay=st.floats(0, 7 * 60),
)
def test_any_quarter_hour_zone_is_placed_exactly_when_sent_within_7_minutes(
    quarter: int, instant: float, delay: float
) -> None:
    offset = quarter * QUARTER_HOUR
    assert _first_report(instant, offset, delay) == pytest.approx(instant, abs=1e-6)


def test_every_zone_of_the_tz_database_is_placed_exactly_in_winter_and_summer() -> None:
    moments = [datetime(2025, 1, 15, 12, tzinfo=UTC), datetime(2025, 7, 15, 12, tzinfo=UTC)]
    wrong = []
    for name in sorted(zoneinfo.available_timezones()):
        for moment in moments:
            offset = moment.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
            assert offset is not None
            instant = moment.timestamp()
            if _first_report(instant, offset.total_seconds()) != instant:
                wrong.append(f"{name} {offset}")
    assert wrong == []


def _stream(zone: str, start: datetime, reports: int, every: timedelta) -> list[float]:
    """The instants a cron agent in `zone` collects at, and what the rule places them at."""
    placed, memory = [], None
    tz = zoneinfo.ZoneInfo(zone)
    for i in range(reports):
        moment = start + i * every
        wall = moment.astimezone(tz).replace(tzinfo=UTC).timestamp()
        resolved = resolve(wall, moment.timestamp() + SEND_DELAY, memory, "$.collected_at")
        placed.append(resolved.ts - moment.timestamp())
        memory = resolved.memory
    return placed


@pytest.mark.parametrize(
    ("zone", "change"),
    [
        ("Europe/Berlin", datetime(2025, 3, 30, 0, 30, tzinfo=UTC)),  # +01:00 -> +02:00
        ("Europe/Berlin", datetime(2025, 10, 26, 0, 30, tzinfo=UTC)),  # +02:00 -> +01:00
        ("America/Los_Angeles", datetime(2025, 11, 2, 8, 30, tzinfo=UTC)),  # -07:00 -> -08:00
        ("Australia/Lord_Howe", datetime(2025, 4, 5, 14, 30, tzinfo=UTC)),  # +11:00 -> +10:30
        ("Australia/Lord_Howe", datetime(2025, 10, 4, 15, 0, tzinfo=UTC)),  # +10:30 -> +11:00
    ],
)
def test_daylight_saving_changes_either_way_keep_every_report_at_its_instant(
    zone: str, change: datetime
) -> None:
    """Reports every minute for two hours across the change (the clocks going back repeat an
    hour of wall-clock times: the rule must not take them for late sends)."""
    assert _stream(zone, change, 120, timedelta(minutes=1)) == [0.0] * 120


def test_a_host_clock_a_few_minutes_fast_is_stored_when_received_not_refused() -> None:
    instant = 1_750_000_000.0
    fast = resolve(_wall(instant, 19800) + 240, instant + SEND_DELAY, None, "$")
    assert fast.ts == instant + SEND_DELAY  # it cannot have been collected after it arrived
    slow = resolve(_wall(instant, 19800) - 240, instant + SEND_DELAY, None, "$")
    assert slow.ts == instant - 240  # as its clock says


def test_a_backlog_sent_late_is_placed_with_the_remembered_offset() -> None:
    """The host (+05:30) reported until 10:00, could not send for two hours, then sends what it
    kept, oldest first, and carries on."""
    offset, last = 19800, 1_750_000_000.0
    memory = ZoneMemory(offset, last)
    now = last + 7200
    collected = [last + 60 * i for i in range(1, 121, 20)] + [now]
    for at in collected:
        resolved = resolve(_wall(at, offset), now, memory, "$")
        assert resolved.ts == at
        memory = resolved.memory
        now += 0.5
    assert memory.offset == offset and memory.lateness is None


def test_a_host_off_across_the_clocks_going_back_is_right_from_its_second_report() -> None:
    """The limit docs/compatibility.md states: its first report reads like one sent an hour
    late (+02:00 remembered, +01:00 now); the next ones, just as "late", cannot be a backlog."""
    last = datetime(2025, 10, 24, 12, tzinfo=UTC).timestamp()  # Friday, +02:00
    memory = ZoneMemory(7200, last)
    monday = datetime(2025, 10, 27, 8, tzinfo=UTC).timestamp()  # +01:00 since Sunday
    first = resolve(_wall(monday, 3600), monday + SEND_DELAY, memory, "$")
    assert first.ts == monday - 3600
    second = resolve(_wall(monday + 60, 3600), monday + 60 + SEND_DELAY, first.memory, "$")
    assert second.ts == monday + 60 and second.memory.offset == 3600


@pytest.mark.parametrize("hours", [15, -13, -24 * 400])
def test_a_local_time_further_off_than_any_zone_is_refused(hours: float) -> None:
    instant = 1_750_000_000.0
    with pytest.raises(Unprocessable, match=r"-12:00 to \+14:00"):
        resolve(_wall(instant, hours * 3600), instant, None, "$.collected_at")


# --- through POST /report ------------------------------------------------------------------


async def _report(ingest: httpx.AsyncClient, agent: Agent, collected_at: str) -> httpx.Response:
    return await ingest.post(
        "/report",
        headers={"Authorization": f"Bearer {agent.token}"},
        json=data_monitoring_tool_agent(agent.token, collected_at),
    )


@pytest.mark.parametrize("zone", list(ZONES))
async def test_a_host_in_any_zone_is_stored_at_the_right_instant(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis, zone: str
) -> None:
    collected = time.time()
    response = await _report(ingest, agent, local_wall_clock(collected, ZONES[zone]))
    assert response.status_code == 200, response.text
    [(_, report)] = await stream_reports(redis)
    assert report.ts == pytest.approx(collected, abs=1e-3)


async def test_a_buffered_backlog_is_stored_at_the_instants_it_was_collected(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    india = ZONES["+05:30"]
    now = time.time()
    # What the service kept after this agent's last report, two hours ago (a test cannot wait
    # for that report to age).
    await ZoneMemories(redis).put(agent.id, ZoneMemory(int(india.total_seconds()), now - 7200))
    collected = [now - 60 * minutes for minutes in (110, 80, 50, 20)] + [time.time()]
    for at in collected:
        response = await _report(ingest, agent, local_wall_clock(at, india))
        assert response.status_code == 200, response.text
    stored = [report.ts for _, report in await stream_reports(redis)]
    assert stored == pytest.approx(collected, abs=1e-3)


@pytest.mark.parametrize(
    ("collected_at", "expected"),
    [
        ("2024-01-15T10:30:00", "-12:00 to +14:00"),  # the README's example: long ago
        (local_wall_clock(time.time(), timedelta(hours=20)), "-12:00 to +14:00"),
        ("2024-13-45T10:30:00", "ISO 8601"),
    ],
    ids=["readme-example", "20-hours-ahead", "not-a-date"],
)
async def test_impossible_local_times_are_refused_naming_the_field(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis, collected_at: str, expected: str
) -> None:
    response = await _report(ingest, agent, collected_at)
    assert response.status_code == 422
    assert "$.collected_at" in response.json()["detail"] and expected in response.json()["detail"]
    assert await redis.xlen("reports") == 0
