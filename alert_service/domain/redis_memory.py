"""A platform alert before Redis reaches its memory ceiling.

At maxmemory Redis refuses writes (noeviction, see core/dev/datastores/redis_server.py) and
ingestion answers 503 until there is room, so the operators hear of it first: the alert worker
reads INFO memory every ALERT_REDIS_MEMORY_CHECK_SECONDS, exports the used share as the gauge
statusmonitor_redis_memory_used_ratio, and past ALERT_REDIS_MEMORY_ALERT_RATIO (80 %) notifies
the channels of the operators' organizations (ALERT_PLATFORM_ORG_IDS; by default the first
organization, the one `make run` and `docker compose` create with the first admin). It is
said once (a Redis marker, shared by replicas), again every REMIND_SECONDS while it lasts,
and resolved once use is back under the ratio by a margin.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from prometheus_client import Gauge
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alert_service.config import AlertSettings
from alert_service.domain.channels import receiving
from core.logging import get_logger
from core.models import NotificationChannel, Organization
from core.notifications import Kind, Notification, enqueue

log = get_logger(__name__)

USED_RATIO = Gauge(
    "statusmonitor_redis_memory_used_ratio",
    "Redis used_memory over its maxmemory (or the machine's memory when it has none)",
)
MARKER = "platform-alert:redis-memory"  # holds when the alert began; present while it fires
REMIND_SECONDS = 6 * 3600
RESOLVE_MARGIN = 0.05  # resolved below ratio - margin, so use hovering at the line cannot flap
CRITICAL_RATIO = 0.95


def used_ratio(info: dict[str, Any]) -> float | None:
    """used_memory over maxmemory from INFO memory; None when neither limit is known."""
    ceiling = int(info.get("maxmemory") or 0) or int(info.get("total_system_memory") or 0)
    return int(info["used_memory"]) / ceiling if ceiling else None


class RedisMemoryWatch:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        redis: Redis,
        config: AlertSettings,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.redis = redis
        self.config = config

    async def check(self) -> None:
        info = await self.redis.info("memory")
        ratio = used_ratio(info)
        if ratio is None:
            return
        USED_RATIO.set(ratio)
        threshold = self.config.redis_memory_alert_ratio
        now = time.time()
        if ratio >= threshold:
            if await self.redis.set(MARKER, str(now), nx=True, ex=REMIND_SECONDS):
                await self._notify("firing", ratio, info, now)
        elif ratio < threshold - RESOLVE_MARGIN and await self.redis.getdel(MARKER):
            await self._notify("resolved", ratio, info, now)

    async def _notify(self, kind: Kind, ratio: float, info: dict[str, Any], now: float) -> None:
        async with self.sessionmaker() as session:
            channels = await operator_channels(session, self.config.platform_org_ids)
        notes = [
            _notification(kind, ratio, info, now, org_id, channel_id, self.config)
            for org_id, channel_id in channels
        ]
        log.warning("redis memory", state=kind, used_ratio=round(ratio, 3), channels=len(notes))
        if notes:
            await enqueue(self.redis, notes)


async def operator_channels(session: AsyncSession, org_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(organization, channel) of every channel that receives platform alerts."""
    if not org_ids:
        first = await session.scalar(select(func.min(Organization.id)))
        org_ids = [] if first is None else [first]
    rows = await session.execute(
        select(NotificationChannel.org_id, NotificationChannel.id)
        .where(receiving(), NotificationChannel.org_id.in_(org_ids))
        .order_by(NotificationChannel.id)
    )
    return [(org_id, channel_id) for org_id, channel_id in rows]


def _notification(
    kind: Kind,
    ratio: float,
    info: dict[str, Any],
    now: float,
    org_id: int,
    channel_id: int,
    config: AlertSettings,
) -> Notification:
    limit = info.get("maxmemory_human") or "the machine's memory"
    used = info.get("used_memory_human", "?")
    severity = "critical" if ratio >= CRITICAL_RATIO else "warning"
    if kind == "resolved":
        severity = "info"
        title = f"[RESOLVED] Redis memory back to {ratio:.0%} of its limit"
        text = f"Redis uses {used} of {limit} ({ratio:.0%})."
    else:
        title = f"[{severity.upper()}] Redis memory at {ratio:.0%} of its limit ({limit})"
        text = (
            f"Redis uses {used} of {limit} ({ratio:.0%}). At the limit it refuses writes: "
            "ingestion answers 503 and agents keep their reports until there is room.\n"
            "Check that the history and alert workers run (unread reports stay in the "
            "stream), or raise REDIS_MAXMEMORY."
        )
    return Notification(
        key=f"platform:redis-memory:{int(now)}:{kind}",
        org_id=org_id,
        channel_id=channel_id,
        kind=kind,
        severity=severity,
        title=title,
        text=text,
        fields={
            "host": "redis",
            "metric": "redis_memory_used_ratio",
            "value": f"{ratio:.3f}",
            "threshold": f"{config.redis_memory_alert_ratio:.2f}",
        },
        created=now,
    )
