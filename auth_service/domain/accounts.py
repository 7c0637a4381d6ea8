"""Registration under the configured policy, password login and password change."""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.domain import invitations, organizations, ratelimit, sessions
from core import accounts
from core.errors import Forbidden, Unauthorized
from core.models import User, utcnow
from core.schemas.auth import RegisterRequest, TokenPair, UserPublic
from core.security.passwords import hash_password, hashing_turn, needs_rehash, verify_password
from core.settings import Settings


async def register(session: AsyncSession, settings: Settings, data: RegisterRequest) -> User:
    """Creates the account; who may register depends on REGISTRATION_POLICY.

    open: anyone; invite: only with an invitation token; first-user: the very first account
    (which becomes admin of the first organization), then only with an invitation token. A
    token lets its invited address sign up under any policy and join that organization; the
    account's e-mail must be that address (it is taken from the invitation when omitted).
    """
    # Serialise sign-ups so two concurrent "first" users cannot both become admins.
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('statusmonitor.register'))"))
    is_first = await accounts.count_users(session) == 0
    invitation = None
    if data.invitation_token is not None:
        invitation = await invitations.by_token(session, data.invitation_token)
    policy = settings.registration_policy
    if invitation is None and not (policy == "open" or (policy == "first-user" and is_first)):
        raise Forbidden("registration is by invitation: ask an admin to invite this e-mail")
    email = data.email or (invitation.email if invitation else None)
    assert email is not None  # noqa: S101 - the schema asks for it unless a token is given
    if invitation is not None:
        invitations.check_addressee(invitation, email)
    user = await accounts.create_user(
        session, settings, email=email, username=data.username, password=data.password
    )
    if invitation is not None:
        await invitations.join(session, invitation, user)
    else:
        name = "Default organization" if is_first else accounts.default_org_name(user)
        await accounts.create_organization(session, user, name)
    return user


async def login(
    session: AsyncSession,
    redis: Redis,
    settings: Settings,
    *,
    username: str,
    password: str,
    ip: str | None,
) -> tuple[User, TokenPair]:
    await ratelimit.reserve_login_attempt(redis, settings, ip, username)
    async with hashing_turn(settings):  # before the first query: see hashing_turn
        user = await accounts.find_user(session, username)
        password_hash = user.password_hash if user else None
        verified = await verify_password(settings, password, password_hash)
    if not verified or user is None:
        raise Unauthorized("incorrect username or password")
    await ratelimit.refund_login_attempt(redis, settings, ip, username)
    if not user.is_active:
        raise Unauthorized("this account is disabled")
    if needs_rehash(user.password_hash):
        user.password_hash = await hash_password(settings, password)
    user.last_login_at = utcnow()
    org_id = await sessions.default_org(session, user)
    return user, await sessions.issue_token_pair(session, settings, user, org_id)


async def change_password(
    session: AsyncSession,
    settings: Settings,
    user: User,
    *,
    current: str,
    new: str,
    org_id: int | None,
) -> TokenPair:
    """Every other session ends: refresh tokens revoked, older access tokens refused."""
    if not await verify_password(settings, current, user.password_hash):
        raise Unauthorized("the current password is incorrect")
    accounts.check_password_policy(settings, new)
    user.password_hash = await hash_password(settings, new)
    user.token_version += 1
    await sessions.revoke_all_for_user(session, user.id)
    return await sessions.issue_token_pair(session, settings, user, org_id)


async def user_public(session: AsyncSession, user_id: int, org_id: int | None) -> UserPublic:
    user = await session.get_one(User, user_id)
    orgs = await organizations.list_mine(session, user_id)
    role = next((org.role for org in orgs if org.id == org_id), None)
    return UserPublic(
        id=user.id,
        username=user.username,
        email=user.email,
        created_at=user.created_at,
        org_id=org_id if role else None,
        role=role,
        organizations=orgs,
    )
