"""Invitations: admins list and cancel them; the invited person accepts or declines with the
token the inviting admin passed on (POST /members creates them)."""

from __future__ import annotations

from fastapi import APIRouter, status

from auth_service.domain import invitations
from core.audit import AuditDep
from core.deps import Admin, CurrentPrincipal, SessionDep
from core.schemas.common import Id
from core.schemas.orgs import InvitationAnswer, InvitationForMe, InvitationPublic, OrgPublic

router = APIRouter(tags=["invitations"])


@router.get("/invitations", response_model=list[InvitationPublic])
async def list_invitations(principal: Admin, session: SessionDep) -> list[InvitationPublic]:
    """The organization's pending invitations (status `expired` once their link ran out)."""
    return await invitations.list_pending(session, principal.org_id)


@router.delete("/invitations/{invitation_id}", status_code=status.HTTP_204_NO_CONTENT)
async def cancel_invitation(
    invitation_id: Id, principal: Admin, session: SessionDep, audit: AuditDep
) -> None:
    await invitations.cancel(session, principal.org_id, invitation_id)
    audit.by(principal, "invitation.cancel", target=("invitation", invitation_id))


@router.get("/users/me/invitations", response_model=list[InvitationForMe])
async def my_invitations(principal: CurrentPrincipal, session: SessionDep) -> list[InvitationForMe]:
    """Pending invitations for the caller's e-mail address; accepting one needs its token."""
    return await invitations.list_for(session, principal.user)


@router.post("/invitations/accept", response_model=OrgPublic)
async def accept_invitation(
    data: InvitationAnswer, principal: CurrentPrincipal, session: SessionDep, audit: AuditDep
) -> OrgPublic:
    """Joins the organization with the invited role; then `POST /organizations/{id}/switch`."""
    org = await invitations.accept(session, principal.user, data.token)
    audit.record("invitation.accept", user_id=principal.user.id, org_id=org.id)
    return org


@router.post("/invitations/decline", status_code=status.HTTP_204_NO_CONTENT)
async def decline_invitation(
    data: InvitationAnswer, principal: CurrentPrincipal, session: SessionDep, audit: AuditDep
) -> None:
    invitation = await invitations.decline(session, principal.user, data.token)
    audit.record(
        "invitation.decline",
        user_id=principal.user.id,
        org_id=invitation.org_id,
        target=("invitation", invitation.id),
    )
