"""StatusMonitor v1's auth API: /register, /token, /refresh, /users/me; plus logout (of this login
or every one) and password change. The dashboard's session cookie: routes/session_cookie.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Form, Request, Response, status

from auth_service.domain import accounts, sessions
from auth_service.routes import session_cookie
from core import access_events
from core.access_events import AccessChange
from core.audit import AuditDep
from core.deps import ClientIP, CurrentPrincipal, RedisDep, SessionDep, SettingsDep
from core.schemas.auth import (
    LoginForm,
    Message,
    PasswordChange,
    RefreshRequest,
    RegisterRequest,
    TokenPair,
    UserPublic,
)

router = APIRouter(tags=["auth"])


@router.post("/register", status_code=status.HTTP_201_CREATED, response_model=UserPublic)
async def register(
    data: RegisterRequest, session: SessionDep, settings: SettingsDep, audit: AuditDep
) -> UserPublic:
    user = await accounts.register(session, settings, data)
    audit.record("user.register", user_id=user.id, org_id=user.last_org_id)
    return await accounts.user_public(session, user.id, user.last_org_id)


@router.post("/token", response_model=TokenPair)
async def login(
    form: Annotated[LoginForm, Form()],
    request: Request,
    response: Response,
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    ip: ClientIP,
    audit: AuditDep,
) -> TokenPair:
    user, pair = await accounts.login(
        session, redis, settings, username=form.username, password=form.password, ip=ip
    )
    audit.record("user.login", user_id=user.id, org_id=user.last_org_id)
    return session_cookie.hand_over(request, response, settings, pair)


@router.post("/refresh", response_model=TokenPair)
async def refresh(
    request: Request,
    response: Response,
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    data: Annotated[RefreshRequest | None, Body()] = None,
) -> TokenPair:
    """Rotates the refresh token in the JSON body (scripts) or, with no body, the one in the
    dashboard's session cookie."""
    if data is not None:
        pair = await sessions.rotate(session, redis, settings, data.refresh_token)
        return session_cookie.hand_over(request, response, settings, pair)
    token = session_cookie.presented(request, settings)
    pair = await sessions.rotate(session, redis, settings, token)
    return session_cookie.hand_over(request, response, settings, pair, from_cookie=True)


@router.post("/logout", response_model=Message)
async def logout(
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> Message:
    """Ends this login: its access and refresh tokens stop working, the session cookie goes."""
    await sessions.logout(session, redis, settings, principal.claims)
    audit.by(principal, "user.logout")
    access_events.publish_after_commit(session, redis, AccessChange(principal.user.id, "logout"))
    session_cookie.clear(request, response, settings)
    return Message(detail="logged out")


@router.post("/logout/all", response_model=Message)
async def logout_everywhere(
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> Message:
    """Ends every login of this user, on every device, this one included."""
    await sessions.logout_everywhere(session, principal.user)
    audit.by(principal, "user.logout_all")
    access_events.publish_after_commit(session, redis, AccessChange(principal.user.id, "logout"))
    session_cookie.clear(request, response, settings)
    return Message(detail="logged out everywhere")


@router.get("/users/me", response_model=UserPublic)
async def me(principal: CurrentPrincipal, session: SessionDep) -> UserPublic:
    return await accounts.user_public(session, principal.user.id, principal.org_id)


@router.post("/users/me/password", response_model=TokenPair)
async def change_password(
    data: PasswordChange,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> TokenPair:
    """Changes the password and ends every other session; returns a fresh pair for this one."""
    pair = await accounts.change_password(
        session,
        settings,
        principal.user,
        current=data.current_password,
        new=data.new_password,
        org_id=principal.org_id,
    )
    audit.by(principal, "user.password_change")
    access_events.publish_after_commit(session, redis, AccessChange(principal.user.id, "password"))
    return session_cookie.hand_over(request, response, settings, pair)
