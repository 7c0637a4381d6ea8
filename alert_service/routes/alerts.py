"""The Device Monitoring Backend's alert list (GET /alerts/?page=&per_page=&severity=) and
acknowledge.

Its own clients call them at the service's root: the gateway maps /api/alerts/ to this service's
/, so `GET /api/alerts/?severity=high` and `POST /api/alerts/1/acknowledge` arrive as `GET /` and
`POST /1/acknowledge`. `at_root` serves the same handlers there."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from alert_service.domain import alerts
from alert_service.domain.alerts import AlertStatus
from core.audit import AuditDep
from core.deps import Operator, SessionDep, Viewer
from core.schemas.alerting import (
    Acknowledge,
    AlertPublic,
    AlertsPage,
    SeverityName,
    canonical_severity,
)
from core.schemas.common import Id, PageNumber

router = APIRouter(prefix="/alerts", tags=["alerts"])


@router.get("/", response_model=AlertsPage)
@router.get("", response_model=AlertsPage, include_in_schema=False)
async def list_alerts(
    principal: Viewer,
    session: SessionDep,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 20,
    severity: SeverityName | None = None,
    status: AlertStatus = "all",
    agent_id: Annotated[Id | None, Query(description="Only this host's alerts")] = None,
    monitor_id: Annotated[Id | None, Query(description="Only this monitor's alerts")] = None,
    rule_id: Annotated[Id | None, Query(description="Only this rule's alerts")] = None,
) -> AlertsPage:
    wanted = alerts.AlertFilter(
        severity=canonical_severity(severity) if severity else None,
        status=status,
        agent_id=agent_id,
        monitor_id=monitor_id,
        rule_id=rule_id,
    )
    return await alerts.list_alerts(
        session, principal.org_id, page=page, per_page=per_page, wanted=wanted
    )


@router.post("/{alert_id}/acknowledge", response_model=AlertPublic)
async def acknowledge(
    alert_id: Id,
    principal: Operator,
    session: SessionDep,
    audit: AuditDep,
    data: Acknowledge | None = None,
) -> AlertPublic:
    """Stops reminders for this alert; its resolution is still announced."""
    comment = data.comment if data else None
    alert = await alerts.acknowledge(
        session, principal.org_id, alert_id, principal.user.id, comment
    )
    audit.by(principal, "alert.acknowledge", target=("alert", alert_id))
    return alert


# The same handlers where the Device Monitoring Backend's clients look for them (see above).
at_root = APIRouter(tags=["alerts"])
at_root.add_api_route("/", list_alerts, methods=["GET"], response_model=AlertsPage)
at_root.add_api_route(
    "/{alert_id}/acknowledge", acknowledge, methods=["POST"], response_model=AlertPublic
)
