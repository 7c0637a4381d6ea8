"""Silences and maintenance windows: list, create, delete."""

from __future__ import annotations

from fastapi import APIRouter, status

from alert_service.domain import silences
from core.audit import AuditDep
from core.deps import Operator, SessionDep, Viewer
from core.schemas.alerting import SilenceCreate, SilencePublic
from core.schemas.common import Id

router = APIRouter(prefix="/silences", tags=["silences"])


@router.get("", response_model=list[SilencePublic])
async def list_silences(principal: Viewer, session: SessionDep) -> list[SilencePublic]:
    return await silences.list_silences(session, principal.org_id)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SilencePublic)
async def create_silence(
    data: SilenceCreate, principal: Operator, session: SessionDep, audit: AuditDep
) -> SilencePublic:
    silence = await silences.create_silence(session, principal.org_id, data, principal.user.id)
    audit.by(principal, "silence.create", target=("silence", silence.id))
    return silence


@router.delete("/{silence_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_silence(
    silence_id: Id, principal: Operator, session: SessionDep, audit: AuditDep
) -> None:
    await silences.delete_silence(session, principal.org_id, silence_id)
    audit.by(principal, "silence.delete", target=("silence", silence_id))
