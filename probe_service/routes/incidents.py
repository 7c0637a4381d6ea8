"""Incidents: when monitors went down and came back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from core.deps import SessionDep, Viewer
from core.schemas.common import Id
from core.schemas.monitors import IncidentPublic
from probe_service.domain import records

router = APIRouter(prefix="/incidents", tags=["incidents"])


@router.get("", response_model=list[IncidentPublic])
async def list_incidents(
    principal: Viewer,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    monitor_id: Id | None = None,
    open: bool | None = None,
) -> list[IncidentPublic]:
    return await records.incidents(
        session, principal.org_id, limit=limit, monitor_id=monitor_id, open_=open
    )
