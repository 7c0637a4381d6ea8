"""The live view's Redis keys: a pub/sub channel per agent and the latest report per org.

Pub/sub is only for the live view, where a missed frame is harmless; the latest-report hash
lets a new WebSocket subscriber and the agents overview start from the current state.
"""

from __future__ import annotations

import contextlib
import math

import msgspec
from redis.asyncio import Redis

from core.reports import (
    CPU_PERCENT,
    DISK_PERCENT,
    MEMORY_PERCENT,
    NET_RECV_BYTES_PER_S,
    NET_SENT_BYTES_PER_S,
    Report,
    encode_report,
)

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


# --- The organization topic (distribution_service/domain/org_topic.py) ---------------------


def org_channel(org_id: int) -> str:
    """Pub/sub: a HostSummary for each agent report that became its agent's latest, so a
    live-view replica follows a whole organization with one subscription."""
    return f"live:org:{org_id}"


def offline_after(last_ts: float, interval: float | None, max_missed: int) -> float:
    """The unix time past which `is_online` turns False for a target that stays silent."""
    return last_ts + (interval or DEFAULT_REPORT_INTERVAL_SECONDS) * max_missed


class HostSummary(msgspec.Struct, frozen=True):
    """A host's values for overview pages: one entry of the organization topic's frames, and
    what ingestion publishes on `org_channel`. Percentages are rounded to 0.1 and byte rates
    to whole bytes per second; a value the host does not report is null."""

    agent_id: int
    cpu: float | None  # cpu_percent
    memory: float | None  # memory_percent
    disk: float | None  # disk_percent (the root filesystem)
    net_in: float | None  # net_recv_bytes_per_s
    net_out: float | None  # net_sent_bytes_per_s
    last_seen: float  # unix seconds: the report's ts
    interval: float | None  # seconds between reports, as the agent said (None: 60 assumed)


def _rounded(metrics: dict[str, float], name: str, digits: int | None) -> float | None:
    value = metrics.get(name)
    if value is None or not math.isfinite(value):  # JSON has no infinity to send
        return None
    return round(value, digits)


def host_summary(
    target_id: int, ts: float, interval: float | None, metrics: dict[str, float]
) -> HostSummary:
    return HostSummary(
        agent_id=target_id,
        cpu=_rounded(metrics, CPU_PERCENT, 1),
        memory=_rounded(metrics, MEMORY_PERCENT, 1),
        disk=_rounded(metrics, DISK_PERCENT, 1),
        net_in=_rounded(metrics, NET_RECV_BYTES_PER_S, None),
        net_out=_rounded(metrics, NET_SENT_BYTES_PER_S, None),
        last_seen=ts,
        interval=interval,
    )


def summary_frame(report: Report) -> bytes:
    """What ingestion publishes on `org_channel` for a report that became the latest."""
    summary = host_summary(report.target_id, report.ts, report.interval, report.metrics)
    return _encode_summary(summary)


_encode_summary = msgspec.json.Encoder().encode
_decode_summary = msgspec.json.Decoder(HostSummary).decode


def decode_summary(data: bytes | str) -> HostSummary | None:
    try:
        return _decode_summary(data)
    except (msgspec.DecodeError, ValueError):
        return None


def latest_summary(target_id: int, data: bytes | str) -> HostSummary | None:
    """The summary of a stored latest report (None when unreadable or not an agent's)."""
    try:
        latest = _decode_latest_agent(data)
    except (msgspec.DecodeError, ValueError):
        return None
    if latest.target_type != "agent":
        return None
    return host_summary(target_id, latest.ts, latest.interval, latest.metrics)


class _LatestAgent(LatestReport):
    target_type: str = "agent"


_decode_latest_agent = msgspec.json.Decoder(_LatestAgent).decode


# --- uptime monitors ------------------------------------------------------------------------


def monitors_channel(org_id: int) -> str:
    """Pub/sub: one frame per monitor check of the organization (the monitors pages)."""
    return f"live:monitors:{org_id}"


class MonitorFrame(msgspec.Struct, tag_field="type", tag="monitor", kw_only=True):
    """What the probe publishes after each check it stored: the monitor's new state."""

    id: int
    org_id: int
    ts: float
    status: str
    response_ms: float | None = None
    error: str | None = None


_monitor_encoder = msgspec.json.Encoder()


def monitor_frame(frame: MonitorFrame) -> bytes:
    return _monitor_encoder.encode(frame)
