"""The Device Monitoring Backend's auth API as its README documents it: POST /login with a JSON
body and GET /profile (the gateway serves them as /api/auth/login and /api/auth/profile).

The same login as POST /token: the same failed-login limits, password hashing and audit trail.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from auth_service.domain import accounts
from auth_service.routes import session_cookie
from core.audit import AuditDep
from core.deps import ClientIP, CurrentPrincipal, RedisDep, SessionDep, SettingsDep
from core.models import Role
from core.schemas.auth import JsonLogin, Profile, ProfileLogin
from core.security.tokens import decode_token

router = APIRouter(tags=["Device Monitoring Backend"])


@router.post("/login", response_model=ProfileLogin)
async def login(
    data: JsonLogin,
    request: Request,
    response: Response,
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    ip: ClientIP,
    audit: AuditDep,
) -> ProfileLogin:
    user, pair = await accounts.login(
        session, redis, settings, username=data.username, password=data.password, ip=ip
    )
    audit.record("user.login", user_id=user.id, org_id=user.last_org_id)
    role = decode_token(settings, pair.access_token, "access").role  # where the login landed
    who = Profile(
        id=user.id, username=user.username, email=user.email, role=Role(role) if role else None
    )
    pair = session_cookie.hand_over(request, response, settings, pair)
    return ProfileLogin(**pair.model_dump(), user=who)


@router.get("/profile", response_model=Profile)
async def profile(principal: CurrentPrincipal) -> Profile:
    user = principal.user
    return Profile(id=user.id, username=user.username, email=user.email, role=principal.role)
