"""Silences and maintenance windows: which alerts are muted, and when."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Agent, AlertRule, Monitor, Silence
from core.schemas.alerting import SilenceCreate, SilencePublic
from core.tenancy import get_owned


def matches(
    silence: Silence,
    rule_id: int | None,
    agent_id: int | None,
    labels: dict[str, str],
    monitor_id: int | None = None,
) -> bool:
    """Every matcher the silence gives must hold; a silence without matchers mutes all."""
    if silence.rule_id is not None and silence.rule_id != rule_id:
        return False
    if silence.agent_id is not None and silence.agent_id != agent_id:
        return False
    if silence.monitor_id is not None and silence.monitor_id != monitor_id:
        return False
    return all(labels.get(key) == value for key, value in silence.labels.items())


def active(silence: Silence, at: datetime) -> bool:
    if silence.ends_at is not None:
        return (silence.starts_at is None or silence.starts_at <= at) and at < silence.ends_at
    if not silence.weekdays or not silence.window_start or not silence.window_end:
        return False
    local = at.astimezone(ZoneInfo(silence.timezone))
    start, end = time.fromisoformat(silence.window_start), time.fromisoformat(silence.window_end)
    now = local.time()
    if start <= end:
        return local.weekday() in silence.weekdays and start <= now < end
    # A window across midnight (22:00 to 02:00) belongs to the day it starts on.
    if now >= start:
        return local.weekday() in silence.weekdays
    return (local.weekday() - 1) % 7 in silence.weekdays and now < end


def to_public(silence: Silence) -> SilencePublic:
    return SilencePublic.model_validate(silence)


async def _check_refs(session: AsyncSession, org_id: int, data: SilenceCreate) -> None:
    """A silence may only name this organization's agent, monitor and rule (others are 404)."""
    if data.agent_id is not None:
        await get_owned(session, Agent, data.agent_id, org_id, "agent")
    if data.monitor_id is not None:
        await get_owned(session, Monitor, data.monitor_id, org_id, "monitor")
    if data.rule_id is not None:
        await get_owned(session, AlertRule, data.rule_id, org_id, "rule")


async def list_silences(session: AsyncSession, org_id: int) -> list[SilencePublic]:
    rows = await session.scalars(
        select(Silence).where(Silence.org_id == org_id).order_by(Silence.id)
    )
    return [to_public(silence) for silence in rows]


async def create_silence(
    session: AsyncSession, org_id: int, data: SilenceCreate, user_id: int
) -> SilencePublic:
    await _check_refs(session, org_id, data)
    silence = Silence(org_id=org_id, created_by=user_id, **data.model_dump())
    session.add(silence)
    await session.flush()
    await session.refresh(silence)
    return to_public(silence)


async def delete_silence(session: AsyncSession, org_id: int, silence_id: int) -> None:
    await session.delete(await get_owned(session, Silence, silence_id, org_id, "silence"))
