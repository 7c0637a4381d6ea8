"""Organizations and their members; the last admin can never be removed or demoted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.domain import invitations
from core import accounts
from core.errors import Conflict, Forbidden, NotFound
from core.models import Invitation, Membership, Organization, Role, User
from core.schemas.orgs import MemberPublic, OrgPublic


async def list_mine(session: AsyncSession, user_id: int) -> list[OrgPublic]:
    rows = await session.execute(
        select(Organization, Membership.role)
        .join(Membership, Membership.org_id == Organization.id)
        .where(Membership.user_id == user_id)
        .order_by(Organization.id)
    )
    return [
        OrgPublic(id=org.id, name=org.name, created_at=org.created_at, role=role)
        for org, role in rows.all()
    ]


async def create(session: AsyncSession, user: User, name: str) -> OrgPublic:
    """Any user may start an organization; they become its admin."""
    org = await accounts.create_organization(session, user, name)
    return OrgPublic(id=org.id, name=org.name, created_at=org.created_at, role=Role.admin)


async def membership(session: AsyncSession, user_id: int, org_id: int) -> Membership:
    """The caller's membership; another organization's id answers 404, never 403."""
    found = await session.get(Membership, (user_id, org_id))
    if found is None:
        raise NotFound("organization not found")
    return found


async def rename(session: AsyncSession, user_id: int, org_id: int, name: str) -> OrgPublic:
    member = await membership(session, user_id, org_id)
    if not member.role.allows(Role.admin):
        raise Forbidden("this action needs the admin role")
    org = await session.get_one(Organization, org_id)
    org.name = name
    return OrgPublic(id=org.id, name=org.name, created_at=org.created_at, role=member.role)


async def list_members(session: AsyncSession, org_id: int) -> list[MemberPublic]:
    members = await session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.org_id == org_id)
        .order_by(Membership.created_at)
    )
    result = [_member_public(m.role, m.created_at, user) for m, user in members.all()]
    pending = await session.scalars(
        select(Invitation)
        .where(Invitation.org_id == org_id, invitations.still_open())
        .order_by(Invitation.created_at)
    )
    result += [
        MemberPublic(
            user_id=None,
            invitation_id=inv.id,
            email=inv.email,
            username=None,
            role=inv.role,
            status="invited",
            since=inv.created_at,
        )
        for inv in pending
    ]
    return result


def _member_public(role: Role, since: datetime, user: User) -> MemberPublic:
    return MemberPublic(
        user_id=user.id,
        email=user.email,
        username=user.username,
        role=role,
        status="active",
        since=since,
    )


async def _admin_count(session: AsyncSession, org_id: int) -> int:
    query = select(func.count()).where(Membership.org_id == org_id, Membership.role == Role.admin)
    return int(await session.scalar(query) or 0)


async def _locked_member(session: AsyncSession, org_id: int, user_id: int) -> Membership:
    # Lock every admin row of the org so two concurrent demotions cannot both pass the check.
    await session.execute(
        select(Membership.user_id)
        .where(Membership.org_id == org_id, Membership.role == Role.admin)
        .with_for_update()
    )
    member = await session.get(Membership, (user_id, org_id))
    if member is None:
        raise NotFound("member not found")
    return member


async def change_role(session: AsyncSession, org_id: int, user_id: int, role: Role) -> MemberPublic:
    member = await _locked_member(session, org_id, user_id)
    if (
        member.role == Role.admin
        and role != Role.admin
        and await _admin_count(session, org_id) <= 1
    ):
        raise Conflict("the last admin of an organization cannot be demoted")
    member.role = role
    user = await session.get_one(User, user_id)
    return _member_public(member.role, member.created_at, user)


async def remove_member(session: AsyncSession, org_id: int, user_id: int) -> None:
    member = await _locked_member(session, org_id, user_id)
    if member.role == Role.admin and await _admin_count(session, org_id) <= 1:
        raise Conflict("the last admin of an organization cannot be removed")
    await session.delete(member)
