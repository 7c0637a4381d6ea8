"""Monitors of an organization: create, read, edit, pause, delete; another organization's
monitor (or parent) is a 404 like a missing one."""

from __future__ import annotations

import secrets as random
import time
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import SecretBox, SecretsUnreadable
from core.errors import Conflict, Unprocessable
from core.models import Monitor, MonitorIncident, utcnow
from core.schemas.monitors import (
    MAX_DEPENDENCY_DEPTH,
    MAX_MONITORS_PER_ORG,
    BulkAction,
    MonitorCreate,
    MonitorPublic,
    MonitorTypeInfo,
    MonitorUpdate,
)
from core.tenancy import get_owned
from core.typed_config import secret_fields, split, validate
from probe_service.checks import CHECKS, Check, CheckConfig, get_check
from probe_service.domain.results import Outcome, publish

# Bumped on every change; probe workers reload when it moves (no wait for their timer).
CHANGED_KEY = "probe:monitors:version"
PUSH_KEY_BYTES = 18  # 24 URL-safe characters


def check_of(type_: str) -> Check:
    try:
        return get_check(type_)
    except KeyError:
        known = ", ".join(sorted(CHECKS))
        raise Unprocessable(f"type: unknown monitor type {type_!r}; known types: {known}") from None


def types() -> list[MonitorTypeInfo]:
    return [
        MonitorTypeInfo(
            type=c.type,
            title=c.title,
            target=c.target_label,
            config_schema=c.Config.model_json_schema(),
            secret_fields=sorted(secret_fields(c.Config)),
        )
        for c in sorted(CHECKS.values(), key=lambda c: c.type)
    ]


def parse(check: Check, target: str, config: dict[str, Any]) -> tuple[str, CheckConfig]:
    """The target as stored and the validated config, or a 422 naming the problem."""
    try:
        target = check.validate_target(target.strip())
    except ValueError as exc:
        raise Unprocessable(f"target: {exc}") from None
    return target, validate(check.Config, config)


def to_public(row: Monitor, box: SecretBox, *, show_push: bool) -> MonitorPublic:
    try:
        stored = box.open(row.secrets)
    except SecretsUnreadable:
        stored = {}
    return MonitorPublic.from_row(
        row,
        secret_fields=sorted(name for name, value in stored.items() if value),
        push_path=f"/ping/{row.push_key}" if row.push_key and show_push else None,
    )


async def list_monitors(
    session: AsyncSession,
    org_id: int,
    *,
    search: str | None = None,
    status: str | None = None,
    type_: str | None = None,
    label: tuple[str, str] | None = None,
) -> list[Monitor]:
    query: Select[Any] = select(Monitor).where(Monitor.org_id == org_id)
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(Monitor.name.ilike(pattern) | Monitor.target.ilike(pattern))
    if status:
        query = query.where(Monitor.status == status)
    if type_:
        query = query.where(Monitor.type == type_)
    if label:
        query = query.where(Monitor.labels.contains({label[0]: label[1]}))
    rows = await session.scalars(query.order_by(Monitor.name, Monitor.id))
    return list(rows)


async def get_monitor(session: AsyncSession, org_id: int, monitor_id: int) -> Monitor:
    return await get_owned(session, Monitor, monitor_id, org_id, "monitor")


async def create_monitor(
    session: AsyncSession, box: SecretBox, org_id: int, data: MonitorCreate, user_id: int
) -> Monitor:
    await _refuse_too_many(session, org_id)
    check = check_of(data.type)
    target, config = parse(check, data.target, data.config)
    public, sealed = split(config, box)
    values = data.model_dump(exclude={"type", "target", "config", "retry_interval_seconds"})
    row = Monitor(
        org_id=org_id,
        type=check.type,
        target=target,
        config=public,
        secrets=sealed,
        retry_interval_seconds=data.retry_interval_seconds or data.interval_seconds,
        status="pending" if data.active else "paused",
        status_since=utcnow(),
        push_key=None if check.scheduled else random.token_urlsafe(PUSH_KEY_BYTES),
        created_by=user_id,
        **values,
    )
    if data.parent_id is not None:
        await _check_parent(session, org_id, None, data.parent_id)
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


async def update_monitor(
    session: AsyncSession, box: SecretBox, org_id: int, monitor_id: int, data: MonitorUpdate
) -> tuple[Monitor, bool]:
    """The edited monitor, and whether this edit paused it (its alerts are then resolved)."""
    paused = False
    row = await get_owned(session, Monitor, monitor_id, org_id, "monitor", for_update=True)
    changes = data.model_dump(exclude_unset=True)
    if "target" in changes or "config" in changes:
        _apply_settings(row, box, changes.pop("target", None), changes.pop("config", None))
    if "parent_id" in changes and changes["parent_id"] is not None:
        await _check_parent(session, org_id, row.id, changes["parent_id"])
    if "active" in changes and changes["active"] != row.active:
        _set_active(row, changes.pop("active"))
        if not row.active:
            paused = True
            await end_incidents(session, [row.id])
    for name, value in changes.items():
        if value is not None or name == "parent_id":
            setattr(row, name, value)
    row.updated_at = utcnow()
    await session.flush()
    await session.refresh(row)
    return row, paused


def _apply_settings(
    row: Monitor, box: SecretBox, target: str | None, config: dict[str, Any] | None
) -> None:
    """New target and/or config; secrets not sent again keep their stored values."""
    check = check_of(row.type)
    stored = box.open(row.secrets) if row.secrets else {}
    merged = {**row.config, **stored, **(config or {})}
    new_target, parsed = parse(check, row.target if target is None else target, merged)
    row.target = new_target
    row.config, row.secrets = split(parsed, box)


def _set_active(row: Monitor, active: bool) -> None:
    row.active = active
    row.status = "pending" if active else "paused"
    row.status_since = utcnow()
    row.failures = 0


async def delete_monitor(session: AsyncSession, org_id: int, monitor_id: int) -> None:
    row = await get_owned(session, Monitor, monitor_id, org_id, "monitor", for_update=True)
    await session.delete(row)


async def set_active(session: AsyncSession, org_id: int, action: BulkAction) -> list[Monitor]:
    """Pauses or resumes the named monitors of the organization (others are ignored);
    returns the ones changed."""
    rows = await session.scalars(
        update(Monitor)
        .where(
            Monitor.org_id == org_id,
            Monitor.id.in_(action.ids),
            Monitor.active.is_not(action.active),
        )
        .values(
            active=action.active,
            status="pending" if action.active else "paused",
            status_since=utcnow(),
            failures=0,
            updated_at=utcnow(),
        )
        .returning(Monitor)
    )
    changed = list(rows)
    if not action.active:
        await end_incidents(session, [row.id for row in changed])
    return changed


async def end_incidents(session: AsyncSession, monitor_ids: list[int]) -> None:
    """A paused monitor is not down any more: its open incident ends now."""
    if monitor_ids:
        await session.execute(
            update(MonitorIncident)
            .where(
                MonitorIncident.monitor_id.in_(monitor_ids),
                MonitorIncident.resolved_at.is_(None),
            )
            .values(resolved_at=utcnow())
        )


async def report_paused(redis: Redis, rows: list[tuple[int, int]], maxlen: int) -> None:
    """A report per paused (monitor id, org id): its alerts resolve, the live view shows it
    paused. Sent after the commit."""
    now = time.time()
    outcomes = [
        Outcome(monitor_id=i, org_id=org, at=now, status="paused", failures=0, status_changed=True)
        for i, org in rows
    ]
    if outcomes:
        await publish(redis, outcomes, maxlen=maxlen)


async def announce_change(redis: Redis) -> None:
    await redis.incr(CHANGED_KEY)


async def _refuse_too_many(session: AsyncSession, org_id: int) -> None:
    count = await session.scalar(select(func.count()).where(Monitor.org_id == org_id))
    if (count or 0) >= MAX_MONITORS_PER_ORG:
        raise Conflict(f"an organization can have at most {MAX_MONITORS_PER_ORG} monitors")


async def _check_parent(
    session: AsyncSession, org_id: int, monitor_id: int | None, parent_id: int
) -> None:
    """The parent exists in the organization, and following parents never comes back to the
    monitor (a loop) nor goes deeper than MAX_DEPENDENCY_DEPTH."""
    current: int | None = parent_id
    for _ in range(MAX_DEPENDENCY_DEPTH):
        if current is None:
            return
        if current == monitor_id:
            raise Unprocessable("parent_id: a monitor cannot depend on itself, even indirectly")
        parent = await get_owned(session, Monitor, current, org_id, "parent monitor")
        current = parent.parent_id
    if current is not None:
        raise Unprocessable(f"parent_id: dependencies go at most {MAX_DEPENDENCY_DEPTH} deep")
