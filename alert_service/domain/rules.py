"""Alert rules of an organization; another organization's rule or agent is a 404."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Unprocessable
from core.models import Agent, Alert, AlertRule, AlertState, NotificationChannel, utcnow
from core.schemas.alerting import RuleCreate, RulePublic, RuleUpdate, percent_threshold_ok
from core.tenancy import get_owned


def to_public(rule: AlertRule) -> RulePublic:
    # The API says metric_type, as StatusMonitor v1's rules did.
    return RulePublic.from_row(rule, metric_type=rule.metric)


async def _check_agent(session: AsyncSession, org_id: int, agent_id: int | None) -> None:
    if agent_id is None:
        return
    await get_owned(session, Agent, agent_id, org_id, "agent")


async def _check_channels(session: AsyncSession, org_id: int, channel_ids: list[int]) -> None:
    for channel_id in channel_ids:
        await get_owned(session, NotificationChannel, channel_id, org_id, "channel")


async def list_rules(session: AsyncSession, org_id: int) -> list[RulePublic]:
    rules = await session.scalars(
        select(AlertRule).where(AlertRule.org_id == org_id).order_by(AlertRule.id)
    )
    return [to_public(rule) for rule in rules]


async def get_rule(session: AsyncSession, org_id: int, rule_id: int) -> AlertRule:
    return await get_owned(session, AlertRule, rule_id, org_id, "rule")


async def create_rule(
    session: AsyncSession, org_id: int, data: RuleCreate, user_id: int
) -> RulePublic:
    await _check_agent(session, org_id, data.agent_id)
    await _check_channels(session, org_id, data.channel_ids)
    values = data.model_dump()
    rule = AlertRule(org_id=org_id, metric=values.pop("metric_type"), created_by=user_id, **values)
    session.add(rule)
    await session.flush()
    await session.refresh(rule)
    return to_public(rule)


async def update_rule(
    session: AsyncSession, org_id: int, rule_id: int, data: RuleUpdate
) -> RulePublic:
    rule = await get_rule(session, org_id, rule_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "metric_type" in changes:
        changes["metric"] = changes.pop("metric_type")
    await _check_channels(session, org_id, changes.get("channel_ids", []))
    for field, value in changes.items():
        setattr(rule, field, value)
    if not percent_threshold_ok(rule.metric, rule.threshold):
        raise Unprocessable("threshold: a percentage must be between 0 and 100")
    if changes.get("enabled") is False:
        await _end_incidents(session, rule.id)
    await session.flush()
    await session.refresh(rule)
    return to_public(rule)


async def delete_rule(session: AsyncSession, org_id: int, rule_id: int) -> None:
    rule = await get_rule(session, org_id, rule_id)
    await _end_incidents(session, rule.id)
    await session.delete(rule)


async def _end_incidents(session: AsyncSession, rule_id: int) -> None:
    """A rule switched off or deleted judges nothing any more: its open alerts end now
    (without a notification: the user did it) and a re-enabled rule starts afresh."""
    await session.execute(
        update(Alert)
        .where(Alert.rule_id == rule_id, Alert.resolved_at.is_(None))
        .values(resolved_at=utcnow())
    )
    await session.execute(delete(AlertState).where(AlertState.rule_id == rule_id))
