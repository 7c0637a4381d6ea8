"""Chart time ranges: StatusMonitor v1's `start`/`stop` parameters and the step between points."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.errors import Unprocessable

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_RELATIVE = re.compile(r"^-(\d{1,9})([smhdw])$")
_UNIX = re.compile(r"^\d{1,11}(\.\d{1,9})?$")
# VictoriaMetrics' -retentionPeriod: a number with h, d, w or y; a bare number means months.
_RETENTION = re.compile(r"^(\d+(?:\.\d+)?)([hdwy]?)$")
_RETENTION_UNITS = {"h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400, "": 31 * 86400}
# Steps a human reads easily on an axis; beyond a day, whole days.
NICE_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800,
              21600, 43200, 86400)  # fmt: skip


@dataclass(frozen=True)
class TimeRange:
    start: datetime
    stop: datetime

    @property
    def seconds(self) -> float:
        return (self.stop - self.start).total_seconds()


def parse_instant(value: str, now: datetime, param: str) -> datetime:
    """`now`, `-<n><s|m|h|d|w>`, unix seconds or ISO 8601 (naive means UTC)."""
    try:
        return _instant(value.strip(), now)
    except ValueError:
        raise Unprocessable(
            f"{param}: {value[:50]!r} is not a time; use -5m, -1h, -24h, -7d, now, "
            "unix seconds or ISO 8601"
        ) from None
    except OverflowError:  # -999999d, or year 9999 at -05:00: past the calendar's ends
        raise Unprocessable(f"{param}: {value[:50]!r} is outside the years 1 to 9999") from None


def _instant(text: str, now: datetime) -> datetime:
    if text == "now":
        return now
    if match := _RELATIVE.match(text):
        return now - timedelta(seconds=int(match[1]) * _UNITS[match[2]])
    if _UNIX.match(text):
        return datetime.fromtimestamp(float(text), UTC)
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_retention(value: str) -> timedelta:
    match = _RETENTION.match(value.strip())
    if not match:
        raise ValueError(f"retention {value!r} is not like 90d, 12w, 1y or 3 (months)")
    return timedelta(seconds=float(match[1]) * _RETENTION_UNITS[match[2]])


def resolve_range(start: str, stop: str, *, now: datetime, retention: timedelta) -> TimeRange:
    result = TimeRange(parse_instant(start, now, "start"), parse_instant(stop, now, "stop"))
    if result.start >= result.stop:
        raise Unprocessable("start: must be before stop")
    if result.start < now - retention:
        raise Unprocessable(
            f"start: history is kept for {_days(retention)} days; start within that range"
        )
    return result


def choose_step(range_seconds: float, interval: float, max_points: int) -> int:
    """Seconds between chart points: no finer than the data, at most `max_points` points.

    A query from a to b at step s returns the points of the s-grid in [a, b]: at most
    floor(range/s) + 1 of them, and one more when the range is moved onto the grid.
    """
    floor = max(math.ceil(range_seconds / (max_points - 2)), math.ceil(interval), 1)
    for step in NICE_STEPS:
        if step >= floor:
            return step
    return math.ceil(floor / 86400) * 86400


def _days(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 86400:g}"
