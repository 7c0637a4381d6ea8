"""Monitors: CRUD, pause/resume in bulk, "test now", checks, uptime and push runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, status

from core.audit import AuditDep
from core.deps import Operator, RedisDep, SessionDep, SettingsDep, Viewer
from core.models import Role
from core.schemas.common import Id
from core.schemas.monitors import (
    BulkAction,
    BulkResult,
    CheckPublic,
    CheckResultPublic,
    HeartbeatPublic,
    MonitorCreate,
    MonitorPublic,
    MonitorsPublic,
    MonitorTypeInfo,
    MonitorUpdate,
    PushRunPublic,
    Status,
    UptimePublic,
)
from probe_service.deps import ProbeDep
from probe_service.domain import monitors, records
from probe_service.domain.testing import allow_test, test_now

router = APIRouter(prefix="/monitors", tags=["monitors"])

Search = Annotated[str | None, Query(max_length=200)]
Label = Annotated[str | None, Query(max_length=330, pattern=r"^[a-zA-Z_][a-zA-Z0-9_]{0,63}:")]


@router.get("", response_model=MonitorsPublic)
async def list_monitors(
    principal: Viewer,
    session: SessionDep,
    probe: ProbeDep,
    search: Search = None,
    status: Status | None = None,
    type: Annotated[str | None, Query(max_length=16)] = None,
    label: Label = None,
) -> MonitorsPublic:
    pair = tuple(label.split(":", 1)) if label else None
    rows = await monitors.list_monitors(
        session,
        principal.org_id,
        search=search,
        status=status,
        type_=type,
        label=pair,  # type: ignore[arg-type]
    )
    show = principal.role.allows(Role.operator)
    data = [monitors.to_public(row, probe.box, show_push=show) for row in rows]
    return MonitorsPublic(data=data, count=len(data))


@router.get("/types", response_model=list[MonitorTypeInfo])
async def monitor_types(principal: Viewer) -> list[MonitorTypeInfo]:
    return monitors.types()


@router.post("", status_code=status.HTTP_201_CREATED, response_model=MonitorPublic)
async def create_monitor(
    data: MonitorCreate,
    principal: Operator,
    session: SessionDep,
    redis: RedisDep,
    background: BackgroundTasks,
    probe: ProbeDep,
    audit: AuditDep,
) -> MonitorPublic:
    row = await monitors.create_monitor(
        session, probe.box, principal.org_id, data, principal.user.id
    )
    audit.by(principal, "monitor.create", target=("monitor", row.id))
    # After the response, i.e. after the commit: workers reload what is stored.
    background.add_task(monitors.announce_change, redis)
    return monitors.to_public(row, probe.box, show_push=True)


@router.post("/test", response_model=CheckResultPublic)
async def test_monitor(
    data: MonitorCreate, principal: Operator, redis: RedisDep, probe: ProbeDep
) -> CheckResultPublic:
    """Runs one check with these settings now and shows the result; nothing is stored."""
    await allow_test(redis, principal.org_id, probe.config.test_now_per_minute)
    return await test_now(data, probe.checks)


@router.post("/bulk", response_model=BulkResult)
async def bulk_pause_resume(
    data: BulkAction,
    principal: Operator,
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    audit: AuditDep,
) -> BulkResult:
    changed = await monitors.set_active(session, principal.org_id, data)
    audit.by(principal, "monitor.resume" if data.active else "monitor.pause")
    if not data.active:
        paused = [(row.id, row.org_id) for row in changed]
        background.add_task(monitors.report_paused, redis, paused, settings.reports_stream_maxlen)
    # After the response, i.e. after the commit: workers reload what is stored.
    background.add_task(monitors.announce_change, redis)
    return BulkResult(updated=len(changed))


@router.get("/uptime", response_model=list[UptimePublic])
async def all_uptime(
    principal: Viewer, session: SessionDep, redis: RedisDep, days: bool = False
) -> list[UptimePublic]:
    """Every monitor's figures in one query; `days=true` adds each one's 90 daily bars."""
    return await records.uptime(session, principal.org_id, days=days, redis=redis)


@router.get("/heartbeats", response_model=list[HeartbeatPublic])
async def heartbeats(
    principal: Viewer,
    session: SessionDep,
    ids: Annotated[list[Id], Query(min_length=1, max_length=records.MAX_HEARTBEAT_MONITORS)],
    hours: Annotated[float, Query(gt=0, le=48)] = 24,
    slots: Annotated[int, Query(ge=1, le=200)] = 48,
) -> list[HeartbeatPublic]:
    """The list rows' heartbeat bars and sparklines: `slots` equal slots over the last `hours`
    (each with its worst status) and the latest response times, of up to 100 monitors
    (`ids=1&ids=2`); ids of no monitor of the organization are left out."""
    return await records.heartbeats(session, principal.org_id, ids, hours, slots)


@router.get("/{monitor_id}", response_model=MonitorPublic)
async def get_monitor(
    monitor_id: Id, principal: Viewer, session: SessionDep, probe: ProbeDep
) -> MonitorPublic:
    row = await monitors.get_monitor(session, principal.org_id, monitor_id)
    return monitors.to_public(row, probe.box, show_push=principal.role.allows(Role.operator))


@router.patch("/{monitor_id}", response_model=MonitorPublic)
async def update_monitor(
    monitor_id: Id,
    data: MonitorUpdate,
    principal: Operator,
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    probe: ProbeDep,
    audit: AuditDep,
) -> MonitorPublic:
    row, paused = await monitors.update_monitor(
        session, probe.box, principal.org_id, monitor_id, data
    )
    audit.by(principal, "monitor.update", target=("monitor", monitor_id))
    if paused:
        ids = [(row.id, row.org_id)]
        background.add_task(monitors.report_paused, redis, ids, settings.reports_stream_maxlen)
    # After the response, i.e. after the commit: workers reload what is stored.
    background.add_task(monitors.announce_change, redis)
    return monitors.to_public(row, probe.box, show_push=True)


@router.delete("/{monitor_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_monitor(
    monitor_id: Id,
    principal: Operator,
    session: SessionDep,
    redis: RedisDep,
    background: BackgroundTasks,
    audit: AuditDep,
) -> None:
    await monitors.delete_monitor(session, principal.org_id, monitor_id)
    audit.by(principal, "monitor.delete", target=("monitor", monitor_id))
    # After the response, i.e. after the commit: workers reload what is stored.
    background.add_task(monitors.announce_change, redis)


@router.get("/{monitor_id}/checks", response_model=list[CheckPublic])
async def monitor_checks(
    monitor_id: Id,
    principal: Viewer,
    session: SessionDep,
    hours: Annotated[float, Query(gt=0, le=24 * 90)] = 24,
    limit: Annotated[int, Query(ge=1, le=records.MAX_CHECKS)] = 500,
) -> list[CheckPublic]:
    await monitors.get_monitor(session, principal.org_id, monitor_id)
    return await records.recent_checks(session, monitor_id, hours, limit)


@router.get("/{monitor_id}/uptime", response_model=UptimePublic)
async def monitor_uptime(monitor_id: Id, principal: Viewer, session: SessionDep) -> UptimePublic:
    await monitors.get_monitor(session, principal.org_id, monitor_id)
    found = await records.uptime(session, principal.org_id, monitor_id, days=True)
    return found[0]


@router.get("/{monitor_id}/push-runs", response_model=list[PushRunPublic])
async def monitor_push_runs(
    monitor_id: Id,
    principal: Viewer,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[PushRunPublic]:
    await monitors.get_monitor(session, principal.org_id, monitor_id)
    rows = await records.push_runs(session, monitor_id, limit)
    return [PushRunPublic.model_validate(row) for row in rows]
