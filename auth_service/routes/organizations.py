"""Organizations: create, list mine, switch (new tokens scoped to it), rename, members."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from auth_service.domain import invitations, organizations, sessions
from auth_service.routes import session_cookie
from core import access_events
from core.access_events import AccessChange
from core.audit import AuditDep
from core.deps import Admin, CurrentPrincipal, RedisDep, SessionDep, SettingsDep, Viewer
from core.schemas.auth import TokenPair
from core.schemas.common import Id
from core.schemas.orgs import (
    InvitationCreated,
    MemberInvite,
    MemberPublic,
    MemberRoleUpdate,
    OrgCreate,
    OrgPublic,
    OrgUpdate,
)

router = APIRouter(tags=["organizations"])


@router.get("/organizations", response_model=list[OrgPublic])
async def list_organizations(principal: CurrentPrincipal, session: SessionDep) -> list[OrgPublic]:
    return await organizations.list_mine(session, principal.user.id)


@router.post("/organizations", status_code=status.HTTP_201_CREATED, response_model=OrgPublic)
async def create_organization(
    data: OrgCreate, principal: CurrentPrincipal, session: SessionDep, audit: AuditDep
) -> OrgPublic:
    org = await organizations.create(session, principal.user, data.name)
    audit.record("org.create", user_id=principal.user.id, org_id=org.id)
    return org


@router.patch("/organizations/{org_id}", response_model=OrgPublic)
async def rename_organization(
    org_id: Id, data: OrgUpdate, principal: CurrentPrincipal, session: SessionDep, audit: AuditDep
) -> OrgPublic:
    org = await organizations.rename(session, principal.user.id, org_id, data.name)
    audit.record("org.rename", user_id=principal.user.id, org_id=org_id)
    return org


@router.post("/organizations/{org_id}/switch", response_model=TokenPair)
async def switch_organization(
    org_id: Id,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
) -> TokenPair:
    """New tokens scoped to another organization the caller belongs to."""
    await organizations.membership(session, principal.user.id, org_id)
    principal.user.last_org_id = org_id
    pair = await sessions.issue_token_pair(session, settings, principal.user, org_id)
    return session_cookie.hand_over(request, response, settings, pair)


@router.get("/members", response_model=list[MemberPublic])
async def list_members(principal: Viewer, session: SessionDep) -> list[MemberPublic]:
    return await organizations.list_members(session, principal.org_id)


@router.post("/members", status_code=status.HTTP_201_CREATED, response_model=InvitationCreated)
async def invite_member(
    data: MemberInvite,
    principal: Admin,
    session: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> InvitationCreated:
    """Invites an e-mail address; the answer carries the one-time token to pass on to them.

    Nobody joins here, existing account or not: the invited person accepts with the token
    (`POST /invitations/accept`) or signs up with it (`POST /register`)."""
    created = await invitations.invite(session, settings, principal.org_id, data, principal.user.id)
    audit.by(
        principal,
        "member.invite",
        target=("invitation", created.id),
        details={"role": data.role.value},
    )
    return created


@router.patch("/members/{user_id}", response_model=MemberPublic)
async def change_member_role(
    user_id: Id,
    data: MemberRoleUpdate,
    principal: Admin,
    session: SessionDep,
    redis: RedisDep,
    audit: AuditDep,
) -> MemberPublic:
    member = await organizations.change_role(session, principal.org_id, user_id, data.role)
    audit.by(principal, "member.role_change", target=("user", user_id), details={"role": data.role})
    change = AccessChange(user_id, "role", principal.org_id)
    access_events.publish_after_commit(session, redis, change)
    return member


@router.delete("/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(
    user_id: Id, principal: Admin, session: SessionDep, redis: RedisDep, audit: AuditDep
) -> None:
    await organizations.remove_member(session, principal.org_id, user_id)
    audit.by(principal, "member.remove", target=("user", user_id))
    change = AccessChange(user_id, "removed", principal.org_id)
    access_events.publish_after_commit(session, redis, change)
