"""Python Monitor's API as its README documents it, at its own paths: every answer is the
`{status, data, message, timestamp}` envelope, errors included. It was open to anyone; here
it needs a signed-in member like the rest of the API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from core.deps import RedisDep, SessionDep, Viewer
from core.errors import DomainError, domain_error_response
from core.models import Role
from core.schemas.common import Id
from core.schemas.monitors import (
    CheckPublic,
    Envelope,
    IncidentPublic,
    MonitorPublic,
    StatusSummary,
)
from probe_service.deps import ProbeDep
from probe_service.domain import monitors, records

router = APIRouter(prefix="/api", tags=["Python Monitor API"])


def _ok(data: Any, message: str | None = None) -> dict[str, Any]:
    return {"status": "success", "data": data, "message": message, "timestamp": datetime.now(UTC)}


async def error_envelope(request: Request, exc: Exception) -> JSONResponse:
    """Errors of these paths in the envelope; the rest of the service answers as usual."""
    if not request.url.path.startswith(router.prefix + "/"):
        return await domain_error_response(request, exc)
    assert isinstance(exc, DomainError)  # noqa: S101 - registered for DomainError only
    body = {
        "status": "error",
        "data": None,
        "message": str(exc),
        "timestamp": datetime.now(UTC).isoformat(),
    }
    return JSONResponse(body, status_code=exc.status_code)


@router.get("/status", response_model=Envelope[StatusSummary])
async def system_status(principal: Viewer, session: SessionDep, redis: RedisDep) -> dict[str, Any]:
    counts = await records.status_counts(session, principal.org_id)
    figures = await records.uptime(session, principal.org_id, redis=redis)
    open_incidents = await records.open_incident_count(session, principal.org_id)
    total = sum(counts.values())
    up_24h = [f.uptime["24h"] for f in figures if f.uptime["24h"] is not None]
    overall: Literal["operational", "degraded", "outage", "no monitors"] = "no monitors"
    if total:
        overall = "outage" if counts.get("down") else "operational"
        if overall == "operational" and counts.get("degraded"):
            overall = "degraded"
    summary = StatusSummary(
        total_monitors=total,
        active_monitors=total - counts.get("paused", 0),
        by_status=counts,
        open_incidents=open_incidents,
        uptime_24h=round(sum(up_24h) / len(up_24h), 3) if up_24h else None,
        overall=overall,
    )
    return _ok(summary)


@router.get("/monitors", response_model=Envelope[list[MonitorPublic]])
async def all_monitors(principal: Viewer, session: SessionDep, probe: ProbeDep) -> dict[str, Any]:
    rows = await monitors.list_monitors(session, principal.org_id)
    show = principal.role.allows(Role.operator)
    return _ok([monitors.to_public(r, probe.box, show_push=show) for r in rows if r.active])


@router.get("/monitors/{monitor_id}", response_model=Envelope[MonitorPublic])
async def monitor_details(
    monitor_id: Id, principal: Viewer, session: SessionDep, probe: ProbeDep
) -> dict[str, Any]:
    row = await monitors.get_monitor(session, principal.org_id, monitor_id)
    show = principal.role.allows(Role.operator)
    return _ok(monitors.to_public(row, probe.box, show_push=show))


@router.get("/monitors/{monitor_id}/checks", response_model=Envelope[list[CheckPublic]])
async def monitor_history(
    monitor_id: Id,
    principal: Viewer,
    session: SessionDep,
    hours: Annotated[float, Query(gt=0, le=24 * 90)] = 24,
) -> dict[str, Any]:
    await monitors.get_monitor(session, principal.org_id, monitor_id)
    return _ok(await records.recent_checks(session, monitor_id, hours, records.MAX_CHECKS))


@router.get("/incidents", response_model=Envelope[list[IncidentPublic]])
async def recent_incidents(
    principal: Viewer, session: SessionDep, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> dict[str, Any]:
    return _ok(await records.incidents(session, principal.org_id, limit=limit))
