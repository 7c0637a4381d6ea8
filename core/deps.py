"""Named FastAPI dependencies shared by every service: settings, DB session, Redis, the caller."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from core.db import transaction
from core.errors import Forbidden, Unauthorized
from core.models import Membership, Role, User
from core.security.tokens import InvalidToken, TokenClaims, decode_token
from core.settings import Settings
from core.state import AppState, core_state

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", auto_error=False)

REVOKED_JTI_KEY = "auth:revoked-jti:{jti}"
# A revoked login (logout, refresh-token reuse) kills every access token of its family.
REVOKED_FAMILY_KEY = "auth:revoked-family:{family}"


def get_core(connection: HTTPConnection) -> AppState:
    return core_state(connection.app)


def get_settings_dep(request: Request) -> Settings:
    return core_state(request.app).settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's transaction. SessionDep scopes it to the handler ("function"), so the
    commit runs before the response is sent and a failed commit is the answer, not a 2xx."""
    async with transaction(core_state(request.app).sessionmaker) as session:
        yield session


def get_redis(request: Request) -> Redis:
    return core_state(request.app).redis


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parse_ip(value: str | None) -> IPAddress | None:
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    # A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; compare them as IPv4.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress, proxies: list[IPNetwork]) -> bool:
    return any(address in network for network in proxies)


def _forwarded_client(request: Request, proxies: list[IPNetwork]) -> IPAddress | None:
    """Who a trusted proxy says the client is: X-Real-IP (our nginx sets it), else the
    right-most X-Forwarded-For hop that is not itself a trusted proxy; None if unparseable."""
    real_ip = request.headers.get("x-real-ip")
    if real_ip is not None:
        return _parse_ip(real_ip)
    hops = [_parse_ip(hop) for hop in request.headers.get("x-forwarded-for", "").split(",")]
    for hop in reversed(hops):
        if hop is None or not _is_trusted(hop, proxies):
            return hop
    return None


def client_ip(request: Request) -> str | None:
    """The caller's address: the direct peer, unless that peer is a trusted proxy
    (TRUSTED_PROXIES) naming a valid client address in X-Real-IP / X-Forwarded-For.
    Always a valid IP address or None, so the audit log's inet column never refuses it."""
    proxies = get_settings_dep(request).trusted_proxies
    peer = _parse_ip(request.client.host if request.client else None)
    if peer is not None and _is_trusted(peer, proxies):
        peer = _forwarded_client(request, proxies) or peer
    return str(peer) if peer is not None else None


def served_over_tls(request: Request) -> bool:
    """Whether the browser reached us over https: the scheme a trusted proxy (TRUSTED_PROXIES)
    names in X-Forwarded-Proto, else our own. Anyone else's X-Forwarded-Proto is ignored."""
    peer = _parse_ip(request.client.host if request.client else None)
    proxies = get_settings_dep(request).trusted_proxies
    forwarded = request.headers.get("x-forwarded-proto")
    if forwarded and peer is not None and _is_trusted(peer, proxies):
        # A chain of proxies may list one scheme per hop; the first is the browser's.
        return forwarded.split(",", 1)[0].strip().lower() == "https"
    return request.url.scheme == "https"


CoreDep = Annotated[AppState, Depends(get_core)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
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
