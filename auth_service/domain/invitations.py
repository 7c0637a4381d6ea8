"""Invitations: an admin offers a role in their organization to one e-mail address.

The invite answers a one-time token (only its SHA-256 is stored) that the admin passes on;
nothing is looked up about the address, so the answer never tells whether an account uses it.
The invitation is redeemed only with that token, before it expires, by an account whose e-mail
is the invited address: an existing account accepts (or declines) it, a new one registers with
it. Holding the token is the proof: the auth service sends no e-mail, and the inviting admin
vouches for whoever they hand it to.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, DomainError, Forbidden, Gone, NotFound
from core.models import Invitation, InvitationStatus, Membership, Organization, User, utcnow
from core.schemas.orgs import (
    InvitationCreated,
    InvitationForMe,
    InvitationPublic,
    MemberInvite,
    OrgPublic,
)
from core.security.tokens import sha256_hex
from core.settings import Settings
from core.tenancy import get_owned

TOKEN_PREFIX = "smi_"  # noqa: S105 - a public prefix, not a secret
_TOKEN_BYTES = 32  # 256 bits: guessing one is hopeless, so no rate limit is needed
PENDING = InvitationStatus.pending


def still_open() -> ColumnElement[bool]:
    """Pending and not expired: what can still be accepted."""
    return and_(Invitation.status == PENDING, Invitation.expires_at > utcnow())


def _status(invitation: Invitation, now: datetime) -> InvitationStatus:
    if invitation.status == PENDING and invitation.expires_at <= now:
        return InvitationStatus.expired
    return invitation.status


def _public(invitation: Invitation, now: datetime) -> InvitationPublic:
    public = InvitationPublic.model_validate(invitation)
    public.status = _status(invitation, now)
    return public


def _close(invitation: Invitation, status: InvitationStatus) -> None:
    invitation.status = status
    invitation.closed_at = utcnow()


def _no_longer_open(invitation: Invitation, now: datetime) -> DomainError | None:
    """Why this invitation cannot be used any more, or None while it is pending."""
    status = _status(invitation, now)
    if status == PENDING:
        return None
    if status == InvitationStatus.accepted:
        return Conflict("this invitation has already been accepted")
    if status == InvitationStatus.expired:
        return Gone("this invitation has expired: ask the organization's admin for a new one")
    return Gone(f"this invitation was {status.value}: ask the organization's admin for a new one")


async def invite(
    session: AsyncSession, settings: Settings, org_id: int, data: MemberInvite, invited_by: int
) -> InvitationCreated:
    now = utcnow()
    previous = await session.scalar(
        select(Invitation)
        .where(Invitation.org_id == org_id, Invitation.email == data.email)
        .where(Invitation.status == PENDING)
        .with_for_update()
    )
    if previous is not None and previous.expires_at > now:
        raise Conflict("this address has a pending invitation: cancel it to issue a new link")
    if previous is not None:
        _close(previous, InvitationStatus.expired)
        await session.flush()
    token = TOKEN_PREFIX + secrets.token_urlsafe(_TOKEN_BYTES)
    invitation = Invitation(
        org_id=org_id,
        email=data.email,
        role=data.role,
        invited_by=invited_by,
        token_hash=sha256_hex(token),
        expires_at=now + timedelta(days=settings.invitation_expire_days),
    )
    try:
        async with session.begin_nested():
            session.add(invitation)
    except IntegrityError:
        # A concurrent invite of the same address won the partial unique index.
        raise Conflict(
            "this address has a pending invitation: cancel it to issue a new link"
        ) from None
    return InvitationCreated(**_public(invitation, now).model_dump(), token=token)


async def list_pending(session: AsyncSession, org_id: int) -> list[InvitationPublic]:
    """Open invitations of the organization, expired ones included (inviting again replaces
    them); accepted, declined and cancelled ones are in the audit log."""
    rows = await session.scalars(
        select(Invitation)
        .where(Invitation.org_id == org_id, Invitation.status == PENDING)
        .order_by(Invitation.created_at)
    )
    now = utcnow()
    return [_public(invitation, now) for invitation in rows]


async def list_for(session: AsyncSession, user: User) -> list[InvitationForMe]:
    rows = await session.execute(
        select(Invitation, Organization.name)
        .join(Organization, Organization.id == Invitation.org_id)
        .where(Invitation.email == user.email, still_open())
        .order_by(Invitation.created_at)
    )
    return [
        InvitationForMe(
            id=invitation.id,
            org_id=invitation.org_id,
            org_name=name,
            role=invitation.role,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
        )
        for invitation, name in rows.all()
    ]


async def cancel(session: AsyncSession, org_id: int, invitation_id: int) -> None:
    invitation = await get_owned(
        session, Invitation, invitation_id, org_id, "invitation", for_update=True
    )
    if invitation.status != PENDING:
        raise Conflict(f"this invitation is no longer pending: it was {invitation.status.value}")
    _close(invitation, InvitationStatus.cancelled)


async def by_token(session: AsyncSession, token: str) -> Invitation:
    """The pending invitation this token opens, locked until the transaction ends (so it is
    redeemed once), or a 4xx saying why not."""
    invitation = await session.scalar(
        select(Invitation).where(Invitation.token_hash == sha256_hex(token)).with_for_update()
    )
    if invitation is None:
        raise NotFound("invitation not found: check the link, or ask for a new one")
    error = _no_longer_open(invitation, utcnow())
    if error is not None:
        raise error
    return invitation


def check_addressee(invitation: Invitation, email: str) -> None:
    """Only an account with the invited address may use the invitation; e-mails are compared,
    never usernames."""
    if email.strip().lower() != invitation.email:
        raise Forbidden(
            "this invitation is for another e-mail address: use the account with that address"
        )


async def join(session: AsyncSession, invitation: Invitation, user: User) -> Membership:
    """Redeems the invitation: `user` becomes a member with the invited role."""
    check_addressee(invitation, user.email)
    if await session.get(Membership, (user.id, invitation.org_id)) is not None:
        raise Conflict("you are already a member of this organization")
    member = Membership(user_id=user.id, org_id=invitation.org_id, role=invitation.role)
    session.add(member)
    user.last_org_id = user.last_org_id or invitation.org_id
    _close(invitation, InvitationStatus.accepted)
    await session.flush()
    return member


async def accept(session: AsyncSession, user: User, token: str) -> OrgPublic:
    invitation = await by_token(session, token)
    member = await join(session, invitation, user)
    org = await session.get_one(Organization, member.org_id)
    return OrgPublic(id=org.id, name=org.name, created_at=org.created_at, role=member.role)


async def decline(session: AsyncSession, user: User, token: str) -> Invitation:
    invitation = await by_token(session, token)
    check_addressee(invitation, user.email)
    _close(invitation, InvitationStatus.declined)
    return invitation
