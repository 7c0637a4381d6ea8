"""Alert rules of an organization; another organization's rule or agent is a 404."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Unprocessable
from core.models import Agent, AlertRule
from core.schemas.alerting import RuleCreate, RulePublic, RuleUpdate, percent_threshold_ok
from core.tenancy import get_owned


def to_public(rule: AlertRule) -> RulePublic:
    return RulePublic(
        id=rule.id,
        agent_id=rule.agent_id,
        metric_type=rule.metric,
        condition=rule.condition,
        threshold=rule.threshold,
        enabled=rule.enabled,
        severity=rule.severity,
        for_seconds=rule.for_seconds,
        renotify_seconds=rule.renotify_seconds,
        created_at=rule.created_at,
    )


async def _check_agent(session: AsyncSession, org_id: int, agent_id: int | None) -> None:
    if agent_id is None:
        return
    await get_owned(session, Agent, agent_id, org_id, "agent")


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
    rule = AlertRule(
        org_id=org_id,
        agent_id=data.agent_id,
        metric=data.metric_type,
        condition=data.condition,
        threshold=data.threshold,
        enabled=data.enabled,
        severity=data.severity,
        for_seconds=data.for_seconds,
        renotify_seconds=data.renotify_seconds,
        created_by=user_id,
    )
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
    for field, value in changes.items():
        setattr(rule, field, value)
    if not percent_threshold_ok(rule.metric, rule.threshold):
        raise Unprocessable("threshold: a percentage must be between 0 and 100")
    await session.flush()
    await session.refresh(rule)
    return to_public(rule)


async def delete_rule(session: AsyncSession, org_id: int, rule_id: int) -> None:
    await session.delete(await get_rule(session, org_id, rule_id))
