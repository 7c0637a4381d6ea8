"""What every door does after parsing: who is sending, and append what they sent."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from core.agent_auth import AgentIdentity
from core.errors import Unauthorized
from core.logging import get_logger
from core.reports import Report
from ingestion_service.domain.activity import AgentActivity
from ingestion_service.domain.appender import ReportAppender
from ingestion_service.domain.errors import ServiceUnavailable
from ingestion_service.domain.timestamps import TimeWindow
from ingestion_service.domain.tokens import AgentTokenCache

log = get_logger(__name__)

# Failures of the datastores behind a request: the agent should keep the report and retry.
UNAVAILABLE_ERRORS = (RedisError, SQLAlchemyError, OSError)

# A message for 401 answers, not a secret.
INVALID_TOKEN = (
    "invalid agent token: it is unknown, was not used within its activation window, or was "  # noqa: S105
    "revoked (the agent was deleted or its token regenerated)"
)


@dataclass
class Ingestion:
    tokens: AgentTokenCache
    appender: ReportAppender
    activity: AgentActivity
    window: TimeWindow
    redis: Redis  # fails fast (no client-side retries): an agent retries better than we can
    retry_after: int
    recent_messages: int
    dedup_seconds: int

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
        except UNAVAILABLE_ERRORS as exc:
            raise self.unavailable(exc) from None
        if agent is None:
            raise Unauthorized(INVALID_TOKEN)
        return agent

    async def accept(
        self, agent: AgentIdentity, reports: Sequence[Report], *, once_key: str | None = None
    ) -> list[str | None]:
        """Stream entry ids once Redis has them (None: already stored under `once_key`)."""
        try:
            ids = await self.appender.append(reports, once_key=once_key)
        except UNAVAILABLE_ERRORS as exc:
            raise self.unavailable(exc) from None
        host_info = next((r.host_info for r in reversed(reports) if r.host_info), None)
        self.activity.seen(agent.agent_id, time.time(), host_info)
        return ids
