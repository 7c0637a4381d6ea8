"""Login sessions: access + refresh token pairs, rotation with reuse detection, logout."""

from __future__ import annotations

import uuid
from datetime import timedelta

from redis.asyncio import Redis
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import access_events
from core.access_events import AccessChange
from core.deps import REVOKED_FAMILY_KEY
from core.errors import Unauthorized
from core.logging import get_logger
from core.models import Membership, RefreshToken, Role, User, utcnow
from core.schemas.auth import TokenPair
from core.security.tokens import InvalidToken, TokenClaims, create_token, decode_token, sha256_hex
from core.settings import Settings

log = get_logger(__name__)


async def role_in(session: AsyncSession, user_id: int, org_id: int | None) -> Role | None:
    if org_id is None:
        return None
    role: Role | None = await session.scalar(
        select(Membership.role).where(Membership.user_id == user_id, Membership.org_id == org_id)
    )
    return role


async def default_org(session: AsyncSession, user: User) -> int | None:
    """The organization a login lands in: the last one used, else the oldest membership."""
    if user.last_org_id is not None and await role_in(session, user.id, user.last_org_id):
        return user.last_org_id
    org_id: int | None = await session.scalar(
        select(Membership.org_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.created_at)
    )
    return org_id


async def issue_token_pair(
    session: AsyncSession,
    settings: Settings,
    user: User,
    org_id: int | None,
    family: str | None = None,
) -> TokenPair:
    """A new access + refresh pair; a new login starts a new refresh-token family."""
    role = await role_in(session, user.id, org_id)
    family = family or uuid.uuid4().hex
    role_name = role.value if role else None
    access, _ = create_token(
        settings,
        typ="access",
        user_id=user.id,
        org_id=org_id,
        role=role_name,
        family=family,
        version=user.token_version,
    )
    refresh, claims = create_token(
        settings, typ="refresh", user_id=user.id, org_id=org_id, role=role_name, family=family
    )
    session.add(
        RefreshToken(
            jti=claims.jti,
            user_id=user.id,
            org_id=org_id,
            family_id=family,
            token_hash=sha256_hex(refresh),
            expires_at=claims.exp,
        )
    )
    await session.flush()
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=settings.access_token_expire_minutes * 60,
    )


async def revoke_family(
    session: AsyncSession, redis: Redis, settings: Settings, family: str
) -> None:
    """No refresh token of the family works again, nor any access token issued to it."""
    await redis.set(
        REVOKED_FAMILY_KEY.format(family=family), "1", ex=settings.access_token_expire_minutes * 60
    )
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def revoke_all_for_user(session: AsyncSession, user_id: int) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def rotate(
    session: AsyncSession, redis: Redis, settings: Settings, refresh_token: str
) -> TokenPair:
    """Single use: a used token presented again revokes its whole family (reuse detection)."""
    try:
        claims = decode_token(settings, refresh_token, "refresh")
    except InvalidToken:
        raise Unauthorized("invalid or expired refresh token") from None
    stored = await session.get(RefreshToken, claims.jti, with_for_update=True)
    if stored is None or stored.token_hash != sha256_hex(refresh_token):
        raise Unauthorized("invalid or expired refresh token")
    if stored.revoked_at is not None:
        raise Unauthorized("this session has been revoked; log in again")
    if stored.used_at is not None and await _retry_of_lost_answer(session, settings, stored):
        log.info("refresh retried within the grace", user_id=stored.user_id)
    elif stored.used_at is not None:
        await revoke_family(session, redis, settings, stored.family_id)
        log.warning("refresh token reuse detected", user_id=stored.user_id, family=stored.family_id)
        change = AccessChange(stored.user_id, "logout")
        access_events.publish_after_commit(session, redis, change)
        # Committed despite the 401: the revocation is the point.
        await session.commit()
        raise Unauthorized("refresh token reuse detected: every session of this login is revoked")
    stored.used_at = stored.used_at or utcnow()
    user = await session.get(User, stored.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("this account is disabled")
    org_id = stored.org_id if await role_in(session, user.id, stored.org_id) else None
    return await issue_token_pair(session, settings, user, org_id, family=stored.family_id)


async def _retry_of_lost_answer(
    session: AsyncSession, settings: Settings, stored: RefreshToken
) -> bool:
    """True when `stored` was used moments ago and the token that use issued was never
    presented: its answer was lost, e.g. to a page reload. That successor then counts as used,
    so if it does turn up later (the replay was a thief's, not a retry) the whole login is
    revoked as for any reuse. A replay after the grace, or after the successor was used,
    revokes the login at once."""
    grace = timedelta(seconds=settings.refresh_reuse_grace_seconds)
    if stored.used_at is None or utcnow() - stored.used_at > grace:
        return False
    newer = list(
        await session.scalars(
            select(RefreshToken)
            .where(
                RefreshToken.family_id == stored.family_id,
                RefreshToken.created_at >= stored.created_at,
                RefreshToken.jti != stored.jti,
            )
            .with_for_update()
        )
    )
    if len(newer) != 1 or newer[0].used_at is not None or newer[0].revoked_at is not None:
        return False
    newer[0].used_at = utcnow()
    return True


async def logout(
    session: AsyncSession, redis: Redis, settings: Settings, claims: TokenClaims
) -> None:
    """Ends this login: its refresh tokens and every access token issued to it stop working."""
    if claims.family:
        await revoke_family(session, redis, settings, claims.family)


async def logout_everywhere(session: AsyncSession, user: User) -> None:
    """Every login of the user ends: refresh tokens revoked, access tokens issued so far refused."""
    user.token_version += 1
    await revoke_all_for_user(session, user.id)
