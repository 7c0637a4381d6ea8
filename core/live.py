"""The live view's Redis keys: a pub/sub channel per agent and the latest report per org.

Pub/sub is only for the live view, where a missed frame is harmless; the latest-report hash
lets a new WebSocket subscriber and the agents overview start from the current state.
"""

from __future__ import annotations

import contextlib

import msgspec
from redis.asyncio import Redis

from core.reports import Report, encode_report

# The Data Monitoring Tool (/report), the Metrics Collection API (/api/metrics) and line
# protocol do not say how often they report; they are assumed to report once a minute.
DEFAULT_REPORT_INTERVAL_SECONDS = 60.0


def agent_channel(agent_id: int) -> str:
    return f"live:agent:{agent_id}"


def latest_key(org_id: int) -> str:
    """Hash: target id -> the latest encoded Report of that target."""
    return f"live:latest:{org_id}"


def latest_ts_key(org_id: int) -> str:
    """Hash: target id -> the `ts` of the report in latest_key, kept beside it so the script
    that moves the live view forward compares times without parsing the stored JSON."""
    return f"live:latest-ts:{org_id}"


def live_frame(report: Report) -> bytes:
    """What WebSocket clients receive for each new report: the report itself, as JSON."""
    return encode_report(report)


def missed_intervals(last_ts: float, interval: float | None, now: float) -> float:
    """How many report intervals have passed since a target's latest report: the one measure
    of "offline" that the agents overview and host_offline alert rules share."""
    return max(0.0, now - last_ts) / (interval or DEFAULT_REPORT_INTERVAL_SECONDS)


def is_online(last_ts: float, interval: float | None, now: float, max_missed: int) -> bool:
    """Online until more than `max_missed` intervals (Settings.offline_after_missed_intervals)
    have passed: the dashboard and the daily summary count hosts with this."""
    return missed_intervals(last_ts, interval, now) <= max_missed


class LatestReport(msgspec.Struct):
    """What readers of the latest-report hash use: when the target last reported, how often
    it does, and its host-level values (msgspec skips the rest of the Report unparsed)."""

    ts: float
    metrics: dict[str, float] = {}
    interval: float | None = None


_decode_latest = msgspec.json.Decoder(LatestReport).decode


def decode_latest(data: bytes | str) -> LatestReport | None:
    """A stored latest report; None when it is unreadable (written by something else)."""
    try:
        return _decode_latest(data)
    except (msgspec.DecodeError, ValueError):
        return None


async def latest_reports(redis: Redis, org_id: int) -> dict[int, LatestReport]:
    """Every target of the organization that ever reported; unreadable entries are skipped."""
    found = {}
    for target, data in (await redis.hgetall(latest_key(org_id))).items():
        latest = decode_latest(data)
        if latest is not None:
            with contextlib.suppress(ValueError):
                found[int(target)] = latest
    return found


async def latest_report(redis: Redis, org_id: int, target_id: int) -> LatestReport | None:
    data = await redis.hget(latest_key(org_id), str(target_id))
    return None if data is None else decode_latest(data)
