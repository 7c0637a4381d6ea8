"""The alert history: list with filters and paging, acknowledge (stops reminders)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict
from core.models import Alert, utcnow
from core.schemas.alerting import AlertPublic, AlertsPage, Severity
from core.tenancy import get_owned

AlertStatus = Literal["firing", "resolved", "all"]


def to_public(alert: Alert) -> AlertPublic:
    ended = alert.resolved_at
    duration = (ended - alert.started_at).total_seconds() if ended else None
    return AlertPublic.from_row(alert, duration_seconds=duration)


@dataclass(frozen=True)
class AlertFilter:
    """What GET /alerts/ narrows the list to; None means any."""

    severity: Severity | None = None
    status: AlertStatus = "all"
    agent_id: int | None = None
    monitor_id: int | None = None
    rule_id: int | None = None


def _filtered(query: Select[Any], org_id: int, wanted: AlertFilter) -> Select[Any]:
    query = query.where(Alert.org_id == org_id)
    if wanted.severity is not None:
        query = query.where(Alert.severity == wanted.severity)
    if wanted.agent_id is not None:
        query = query.where(Alert.agent_id == wanted.agent_id)
    if wanted.monitor_id is not None:
        query = query.where(Alert.monitor_id == wanted.monitor_id)
    if wanted.rule_id is not None:
        query = query.where(Alert.rule_id == wanted.rule_id)
    if wanted.status == "firing":
        query = query.where(Alert.resolved_at.is_(None))
    elif wanted.status == "resolved":
        query = query.where(Alert.resolved_at.is_not(None))
    return query


async def list_alerts(
    session: AsyncSession, org_id: int, *, page: int, per_page: int, wanted: AlertFilter
) -> AlertsPage:
    count_query = _filtered(select(Alert), org_id, wanted).with_only_columns(func.count())
    count = int(await session.scalar(count_query) or 0)
    rows = await session.scalars(
        _filtered(select(Alert), org_id, wanted)
        .order_by(Alert.started_at.desc(), Alert.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return AlertsPage(
        data=[to_public(alert) for alert in rows], count=count, page=page, per_page=per_page
    )


async def acknowledge(
    session: AsyncSession, org_id: int, alert_id: int, user_id: int, comment: str | None
) -> AlertPublic:
    alert = await get_owned(session, Alert, alert_id, org_id, "alert", for_update=True)
    if alert.resolved_at is not None:
        raise Conflict("this alert is already resolved")
    if alert.acknowledged_at is not None:
        raise Conflict("this alert is already acknowledged")
    alert.acknowledged_at = utcnow()
    alert.acknowledged_by = user_id
    alert.ack_comment = comment
    await session.flush()
    return to_public(alert)
