"""What every door does after parsing: who is sending, and append what they sent."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from redis.asyncio import Redis

from core.agent_auth import AgentIdentity
from core.errors import STORES_UNAVAILABLE, Unauthorized
from core.logging import get_logger
from core.reports import Report, encode_report
from ingestion_service.domain.activity import AgentActivity
from ingestion_service.domain.appender import Once, ReportAppender
from ingestion_service.domain.errors import PayloadTooLarge, ServiceUnavailable
from ingestion_service.domain.series import SeriesGate
from ingestion_service.domain.timestamps import TimeWindow
from ingestion_service.domain.tokens import AgentTokenCache

log = get_logger(__name__)

# A message for 401 answers, not a secret.
INVALID_TOKEN = (
    "invalid agent token: it is unknown, was not used within its activation window, or was "  # noqa: S105
    "revoked (the agent was deleted or its token regenerated)"
)


@dataclass(frozen=True)
class StoredSize:
    """How many bytes one report, and all reports of one request, may take on the stream (and
    in the live view): what a request stores can grow only so far past what it sent."""

    per_report: int
    per_request: int


@dataclass
class Ingestion:
    tokens: AgentTokenCache
    appender: ReportAppender
    activity: AgentActivity
    window: TimeWindow
    redis: Redis  # fails fast (no client-side retries): an agent retries better than we can
    retry_after: int
    recent_messages: int
    series: SeriesGate
    stored_size: StoredSize

    def unavailable(self, exc: BaseException) -> ServiceUnavailable:
        log.warning("datastore unavailable", error=f"{type(exc).__name__}: {exc}")
        return ServiceUnavailable(
            "the metrics store is temporarily unavailable; keep the report and retry later",
            self.retry_after,
        )

    async def authenticate(self, token: str | None, how_to_send: str) -> AgentIdentity:
        if not token:
            raise Unauthorized(f"missing agent token: {how_to_send}")
        try:
            agent = await self.tokens.resolve(token)
        except STORES_UNAVAILABLE as exc:
            raise self.unavailable(exc) from None
        if agent is None:
            raise Unauthorized(INVALID_TOKEN)
        return agent

    async def accept(
        self, agent: AgentIdentity, reports: Sequence[Report], *, once: Once | None = None
    ) -> list[str | None]:
        """Stream entry ids once Redis has them (None: already stored, as `once` found).

        Refused whole, before anything is stored: 413 when the reports would take too many
        bytes, 429 when they would add series past the agent's or organization's cap."""
        frames = self._encode(reports)
        try:
            await self.series.admit(agent, reports)
            ids = await self.appender.append(reports, frames, once=once)
        except STORES_UNAVAILABLE as exc:
            raise self.unavailable(exc) from None
        host_info = next((r.host_info for r in reversed(reports) if r.host_info), None)
        self.activity.seen(agent.agent_id, time.time(), host_info)
        return ids

    def _encode(self, reports: Sequence[Report]) -> list[bytes]:
        limit = self.stored_size
        frames = [encode_report(report) for report in reports]
        for index, frame in enumerate(frames):
            if len(frame) > limit.per_report:
                which = "the report" if len(frames) == 1 else f"report {index + 1} of {len(frames)}"
                raise PayloadTooLarge(
                    f"{which} would take {len(frame)} bytes when stored: the limit is "
                    f"{limit.per_report} (INGEST_MAX_REPORT_BYTES); send fewer items or "
                    "shorter names"
                )
        total = sum(map(len, frames))
        if total > limit.per_request:
            raise PayloadTooLarge(
                f"the request would take {total} bytes when stored: the limit is "
                f"{limit.per_request} (INGEST_MAX_REQUEST_REPORT_BYTES); send fewer reports "
                "per request"
            )
        return frames
