"""Alert rules of an organization; another organization's rule, agent or monitor is a 404."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Unprocessable
from core.models import Agent, Alert, AlertRule, AlertState, Monitor, NotificationChannel, utcnow
from core.reports import TARGET_MONITOR
from core.schemas.alerting import (
    RuleCreate,
    RulePublic,
    RuleUpdate,
    percent_threshold_ok,
    rule_metric,
    target_problem,
)
from core.tenancy import get_owned


def to_public(rule: AlertRule) -> RulePublic:
    # The API says metric_type, as StatusMonitor v1's rules did.
    return RulePublic.from_row(rule, metric_type=rule.metric)


async def _check_agent(session: AsyncSession, org_id: int, agent_id: int | None) -> None:
    if agent_id is None:
        return
    await get_owned(session, Agent, agent_id, org_id, "agent")


async def _check_monitor(session: AsyncSession, org_id: int, monitor_id: int | None) -> None:
    if monitor_id is not None:
        await get_owned(session, Monitor, monitor_id, org_id, "monitor")


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
    await _check_monitor(session, org_id, data.monitor_id)
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
    changes = data.model_dump(exclude_unset=True)
    # null leaves a field as it is, except monitor_id, where it means every monitor.
    changes = {k: v for k, v in changes.items() if v is not None or k == "monitor_id"}
    if "metric_type" in changes:
        changes["metric"] = changes.pop("metric_type")
    await _check_monitor(session, org_id, changes.get("monitor_id"))
    await _check_channels(session, org_id, changes.get("channel_ids", []))
    target = _target(rule)
    _retarget(rule, changes.pop("target_type", rule.target_type))
    for field, value in changes.items():
        setattr(rule, field, value)
    _check_rule(rule)
    if changes.get("enabled") is False or target != _target(rule):
        # Watching something else: what it judged of the old target ends here.
        await _end_incidents(session, rule.id)
    await session.flush()
    await session.refresh(rule)
    return to_public(rule)


def _target(rule: AlertRule) -> tuple[str, int | None, int | None]:
    return rule.target_type, rule.agent_id, rule.monitor_id


def _retarget(rule: AlertRule, target_type: str) -> None:
    """Another target type: the old kind's target goes with it."""
    if target_type != rule.target_type:
        rule.target_type, rule.agent_id, rule.monitor_id = target_type, None, None


def _check_rule(rule: AlertRule) -> None:
    """The rule as edited: its target and metric of one kind, its threshold possible."""
    problem = target_problem(rule.target_type, rule.agent_id, rule.monitor_id)
    if problem is not None:
        raise Unprocessable(f"{problem[0]}: {problem[1]}")
    try:
        rule.metric = rule_metric(rule.target_type, rule.metric)
    except ValueError as exc:
        raise Unprocessable(f"metric_type: {exc}") from None
    if rule.target_type == TARGET_MONITOR and rule.match:
        raise Unprocessable("match: a monitor has no per-item metrics: leave match empty")
    if not percent_threshold_ok(rule.metric, rule.threshold):
        raise Unprocessable("threshold: a percentage must be between 0 and 100")


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
