"""Old check rows, hourly rollups and daily rollups past their retention are deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import MonitorCheck, MonitorRollup
from probe_service.config import ProbeSettings

HOURLY_KEPT = timedelta(hours=48)


async def prune(sessionmaker: async_sessionmaker[AsyncSession], config: ProbeSettings) -> None:
    now = datetime.now(UTC)
    async with sessionmaker() as session, session.begin():
        await session.execute(
            delete(MonitorCheck).where(
                MonitorCheck.checked_at < now - timedelta(hours=config.checks_retention_hours)
            )
        )
        await session.execute(
            delete(MonitorRollup).where(
                MonitorRollup.period == "h", MonitorRollup.bucket < now - HOURLY_KEPT
            )
        )
        await session.execute(
            delete(MonitorRollup).where(
                MonitorRollup.period == "d",
                MonitorRollup.bucket < now - timedelta(days=config.rollup_retention_days),
            )
        )
