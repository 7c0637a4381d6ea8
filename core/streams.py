"""Redis Stream names and the producer side of the pipeline.

Consumers (history, alerts) read with consumer groups; see core/stream_consumer.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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
    return await append_encoded(
        redis, [encode_report(r) for r in reports], maxlen=maxlen, stream=stream
    )


async def append_encoded(
    redis: Redis,
    payloads: Iterable[bytes],
    *,
    maxlen: int,
    stream: str = REPORTS_STREAM,
    field: str = REPORT_FIELD,
) -> list[str]:
    """Appends each payload as its own entry, in one round trip; returns the entry ids.
    Raises when Redis refuses."""
    prefix = xadd_prefix(maxlen=maxlen, stream=stream, field=field)
    async with redis.pipeline(transaction=False) as pipe:
        for payload in payloads:
            pipe.execute_command(*prefix, payload)
        ids = await pipe.execute()
    return [entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id) for entry_id in ids]


def xadd_prefix(
    *, maxlen: int, stream: str = REPORTS_STREAM, field: str = REPORT_FIELD
) -> tuple[str | int, ...]:
    """The XADD that appends one entry, up to (not including) its encoded payload;
    producers that serialise their own pipelines (the ingestion service) build on it."""
    return ("XADD", stream, "MAXLEN", "~", maxlen, "*", field)
