"""The dashboard's sign-in: the refresh token in an httpOnly cookie, the access token in JSON.

Every answer that issues a token pair (POST /token, the Device Monitoring Backend's /login,
/refresh, a password change, an organization switch) also sets the cookie, so the SPA keeps no
token anywhere a script could read it later; its access token lives in memory and a reload gets
a new one with POST /refresh and no body. Scripts keep the JSON refresh token as before.

- HttpOnly: page scripts (an XSS) cannot read it.
- SameSite=Strict: no other site's page makes the browser send it.
- Path: the refresh endpoint as the browser sees it through the gateway (the service's ASGI
  root path + /refresh), so no other request carries it. Logout needs no cookie: it revokes the
  access token's login (the cookie's refresh token shares its family) and expires the cookie.
- Secure when the browser came over https (core.deps.served_over_tls, SESSION_COOKIE_SECURE).

Forgery: SameSite=Strict already keeps other sites out; a POST from a page on a sibling host of
the same site (same-site, cross-origin) would still carry it, so a refresh by cookie must come
from our own origin (or a configured CORS origin) when it names one, and a cookie is only set
for such a request (a cross-site form posting to /token cannot plant the attacker's login in
the victim's browser). The rotated token is in the new cookie, never readable by the page.
"""

from __future__ import annotations

from fastapi import Request, Response

from core.deps import served_over_tls
from core.errors import Forbidden, Unauthorized
from core.schemas.auth import TokenPair
from core.security.origins import origin_allowed
from core.settings import Settings

REFRESH_COOKIE = "sm_refresh"
REFRESH_PATH = "/refresh"


def _cookie_path(request: Request) -> str:
    # uvicorn --root-path /api/auth (make run, compose): the browser's path is /api/auth/refresh.
    root_path: str = request.scope.get("root_path", "")
    return root_path.rstrip("/") + REFRESH_PATH


def _secure(request: Request, settings: Settings) -> bool:
    configured = settings.session_cookie_secure
    return served_over_tls(request) if configured is None else configured


def _from_our_origin(request: Request, settings: Settings) -> bool:
    headers = request.headers
    return origin_allowed(headers.get("origin"), headers.get("host"), settings.cors_origins)


def _our_page(request: Request, from_cookie: bool) -> bool:
    """A request by our own page: it authenticated with the cookie, or the browser says it came
    from our origin (Sec-Fetch-Site, which no page script can set). Scripts send neither."""
    return from_cookie or request.headers.get("sec-fetch-site") == "same-origin"


def hand_over(
    request: Request,
    response: Response,
    settings: Settings,
    pair: TokenPair,
    *,
    from_cookie: bool = False,
) -> TokenPair:
    """Sets the cookie and returns the JSON body: for our own page without the refresh token,
    which then exists only in the cookie."""
    response.headers["Cache-Control"] = "no-store"  # RFC 6749 5.1: token answers are not cached
    if pair.refresh_token is None or not _from_our_origin(request, settings):
        return pair
    response.set_cookie(
        REFRESH_COOKIE,
        pair.refresh_token,
        max_age=settings.refresh_token_expire_days * 86_400,
        path=_cookie_path(request),
        secure=_secure(request, settings),
        httponly=True,
        samesite="strict",
    )
    if _our_page(request, from_cookie):
        return pair.model_copy(update={"refresh_token": None})
    return pair


def presented(request: Request, settings: Settings) -> str:
    """The refresh token in the cookie, from our own page only."""
    if not _from_our_origin(request, settings):
        raise Forbidden("a refresh by cookie must come from the dashboard's own origin")
    token = request.cookies.get(REFRESH_COOKIE)
    if not token:
        raise Unauthorized('no refresh token: send {"refresh_token": "..."} or sign in')
    return token


def clear(request: Request, response: Response, settings: Settings) -> None:
    """Expires the cookie (the browser drops it whether or not this request carried it)."""
    response.delete_cookie(
        REFRESH_COOKIE,
        path=_cookie_path(request),
        secure=_secure(request, settings),
        httponly=True,
        samesite="strict",
    )
