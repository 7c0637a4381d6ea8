"""Named FastAPI dependencies shared by every service: settings, DB session, Redis, the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import session_scope
from core.errors import Forbidden, Unauthorized
from core.models import Membership, Role, User
from core.security.tokens import InvalidToken, TokenClaims, decode_token
from core.settings import Settings

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", auto_error=False)

REVOKED_JTI_KEY = "auth:revoked-jti:{jti}"
# A revoked login (logout, refresh-token reuse) kills every access token of its family.
REVOKED_FAMILY_KEY = "auth:revoked-family:{family}"


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.core.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async for session in session_scope(request.app.state.core.sessionmaker):
        yield session


def get_redis(request: Request) -> Redis:
    redis: Redis = request.app.state.core.redis
    return redis


def client_ip(request: Request) -> str | None:
    """The caller's address; behind our gateway nginx puts it in X-Real-IP."""
    settings = get_settings_dep(request)
    if settings.trust_forwarded_for:
        real_ip = request.headers.get("x-real-ip")
        if real_ip:
            return real_ip.strip()
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.client.host if request.client else None


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
RedisDep = Annotated[Redis, Depends(get_redis)]
ClientIP = Annotated[str | None, Depends(client_ip)]


@dataclass(frozen=True)
class Principal:
    """The authenticated caller and their role in the organization their token is scoped to."""

    user: User
    claims: TokenClaims
    org_id: int | None
    role: Role | None


async def authenticate_access_token(
    settings: Settings, session: AsyncSession, redis: Redis, token: str | None
) -> Principal:
    """The caller behind an access token; also used where no HTTP header exists (WebSocket)."""
    if not token:
        raise Unauthorized("not authenticated: send 'Authorization: Bearer <access token>'")
    try:
        claims = decode_token(settings, token, "access")
    except InvalidToken:
        raise Unauthorized("invalid or expired access token") from None
    revoked_keys = [REVOKED_JTI_KEY.format(jti=claims.jti)]
    if claims.family:
        revoked_keys.append(REVOKED_FAMILY_KEY.format(family=claims.family))
    if await redis.exists(*revoked_keys):
        raise Unauthorized("this session has been logged out")
    user = await session.get(User, claims.sub)
    if user is None or not user.is_active or claims.version != user.token_version:
        raise Unauthorized("this session is no longer valid; log in again")
    role = None
    if claims.org is not None:
        role = await session.scalar(
            select(Membership.role).where(
                Membership.user_id == user.id, Membership.org_id == claims.org
            )
        )
    # A token for an organization the user has since left is scoped to nothing.
    org_id = claims.org if role is not None else None
    return Principal(user=user, claims=claims, org_id=org_id, role=role)


async def get_principal(
    settings: SettingsDep,
    session: SessionDep,
    redis: RedisDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal:
    return await authenticate_access_token(settings, session, redis, token)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


@dataclass(frozen=True)
class OrgPrincipal(Principal):
    org_id: int
    role: Role


def require_role(required: Role) -> Callable[[Principal], Awaitable[OrgPrincipal]]:
    """Dependency factory: the caller must belong to an organization with at least this role."""

    async def dependency(principal: CurrentPrincipal) -> OrgPrincipal:
        if principal.org_id is None or principal.role is None:
            raise Forbidden("you are not a member of any organization yet")
        if not principal.role.allows(required):
            raise Forbidden(f"this action needs the {required.value} role")
        return OrgPrincipal(principal.user, principal.claims, principal.org_id, principal.role)

    return dependency


Viewer = Annotated[OrgPrincipal, Depends(require_role(Role.viewer))]
Operator = Annotated[OrgPrincipal, Depends(require_role(Role.operator))]
Admin = Annotated[OrgPrincipal, Depends(require_role(Role.admin))]
