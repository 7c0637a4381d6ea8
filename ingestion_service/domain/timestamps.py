"""Report timestamps: unix seconds or ISO 8601, inside the window history can store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from core.errors import Unprocessable


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """How far from the server's clock a report's own timestamp may be."""

    max_future_seconds: float
    max_age_seconds: float

    def check(self, ts: float, now: float, field: str) -> float:
        if ts > now + self.max_future_seconds:
            raise Unprocessable(
                f"{field} is {ts - now:.0f} s in the future (more than "
                f"{self.max_future_seconds:.0f} s): check the sender's clock (NTP)"
            )
        if ts < now - self.max_age_seconds:
            raise Unprocessable(
                f"{field} is {(now - ts) / 86400:.1f} days old (more than "
                f"{self.max_age_seconds / 86400:g} days): too old to be stored"
            )
        return ts

    def resolve(self, value: float | str | None, now: float, field: str) -> float:
        """The report's time: its own (checked) or, when it sent none, the time received."""
        if value is None:
            return now
        ts = parse_iso8601(value, field) if isinstance(value, str) else float(value)
        return self.check(ts, now, field)


def parse_iso8601(value: str, field: str) -> float:
    """ISO 8601 to unix seconds; a time without an offset is taken as UTC. (The Data Monitoring
    Tool's local times without an offset are read by ingestion_service.domain.local_time.)"""
    moment = parse_datetime(value, field)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def parse_datetime(value: str, field: str) -> datetime:
    """An ISO 8601 date-time, with or without its UTC offset."""
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise Unprocessable(
            f"{field} is not a unix time or an ISO 8601 date-time: {value[:40]!r}"
        ) from None
