"""Helpers for the ingestion tests: payloads and what landed on the stream."""

from __future__ import annotations

from typing import Any, cast

from redis.asyncio import Redis

from core.reports import Report, decode_report
from core.streams import REPORT_FIELD, REPORTS_STREAM
from tests.fixtures.older_tools import statusmonitor_v1_documented as statusmonitor_v1_payload

__all__ = ["minimal_payload", "statusmonitor_v1_payload", "stream_reports"]


async def stream_reports(redis: Redis) -> list[tuple[str, Report]]:
    """Every report on the stream, oldest first, with its entry id."""
    entries = cast(list[tuple[str, dict[str, str]]], await redis.xrange(REPORTS_STREAM))
    return [(entry_id, decode_report(fields[REPORT_FIELD])) for entry_id, fields in entries]


def minimal_payload(**extra: Any) -> dict[str, Any]:
    return {"cpu": {"percent": 10.0}, "memory": {"percent": 20.0}, **extra}
