"""Redis Stream names and the producer side of the pipeline.

Consumers (history, alerts) read with consumer groups; see core/stream_consumer.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis

from core.reports import Report, encode_report

REPORTS_STREAM = "reports"
REPORT_FIELD = "r"  # each entry holds one encoded Report under this field


def dead_letter_stream(stream: str) -> str:
    """Where a consumer group parks entries that failed too often, instead of looping."""
    return f"{stream}:dead"


async def append_reports(
    redis: Redis, reports: Sequence[Report], *, maxlen: int, stream: str = REPORTS_STREAM
) -> list[str]:
    """Appends in one round trip; returns the entry ids. Raises when Redis refuses."""
    async with redis.pipeline(transaction=False) as pipe:
        for report in reports:
            pipe.execute_command(*xadd_prefix(maxlen=maxlen, stream=stream), encode_report(report))
        ids = await pipe.execute()
    return [entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id) for entry_id in ids]


def xadd_prefix(*, maxlen: int, stream: str = REPORTS_STREAM) -> tuple[str | int, ...]:
    """The XADD that appends one report, up to (not including) the encoded report itself;
    producers that serialise their own pipelines (the ingestion service) build on it."""
    return ("XADD", stream, "MAXLEN", "~", maxlen, "*", REPORT_FIELD)
