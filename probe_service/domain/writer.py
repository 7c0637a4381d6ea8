"""Outcomes of the scheduler's checks, written in batches (results.record) every flush."""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.logging import get_logger
from probe_service.domain.results import Outcome, record

log = get_logger(__name__)

# While PostgreSQL or Redis is down, outcomes wait here; past this many the oldest go (the
# monitors' current state is in the newest ones).
MAX_WAITING = 200_000


class Writer:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis, *, maxlen: int
    ) -> None:
        self.sessionmaker = sessionmaker
        self.redis = redis
        self.maxlen = maxlen
        self.waiting: list[Outcome] = []
        self.written = 0

    def add(self, outcome: Outcome) -> None:
        self.waiting.append(outcome)
        if len(self.waiting) > MAX_WAITING:
            del self.waiting[: len(self.waiting) - MAX_WAITING]

    async def flush(self) -> None:
        batch, self.waiting = self.waiting, []
        if not batch:
            return
        try:
            self.written += await record(self.sessionmaker, self.redis, batch, maxlen=self.maxlen)
        except Exception:
            self.waiting = batch + self.waiting  # tried again next time, in order
            raise
