"""The dashboard's sign-in as the browser keeps it: the refresh token only in an httpOnly,
SameSite=Strict cookie for /api/auth/refresh, the access token only in the JSON answer.

The auth service runs in-process under the root path the gateway gives it (/api/auth), so the
client's cookie jar treats the cookie as a browser would (path, Secure).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from http.cookies import Morsel, SimpleCookie

import httpx
import pytest

from auth_service.app import create_app
from core.settings import Settings
from harness.clients import asgi_client
from harness.factories import DEFAULT_PASSWORD

ORIGIN = "http://testserver"
# What the browser adds to the SPA's own fetch calls; page scripts cannot set these.
PAGE = {"Origin": ORIGIN, "Sec-Fetch-Site": "same-origin"}
EMAIL = "alice@example.com"
PW = DEFAULT_PASSWORD
COOKIE = "sm_refresh"


@pytest.fixture
async def browser(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(create_app(settings), root_path="/api/auth") as client:
        registered = await client.post("/register", json={"username": EMAIL, "password": PW})
        assert registered.status_code == 201, registered.text
        yield client


def _cookie(response: httpx.Response) -> Morsel[str]:
    """The session cookie the answer sets (fails if it sets none)."""
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    assert COOKIE in jar, response.headers
    return jar[COOKIE]


async def _sign_in(client: httpx.AsyncClient, headers: dict[str, str] = PAGE) -> httpx.Response:
    response = await client.post(
        "/token", data={"username": EMAIL, "password": PW}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response


async def _me(client: httpx.AsyncClient, access_token: str) -> int:
    headers = {"Authorization": f"Bearer {access_token}"}
    return (await client.get("/users/me", headers=headers)).status_code


async def test_sign_in_sets_an_httponly_strict_cookie_for_the_refresh_path_only(
    browser: httpx.AsyncClient,
) -> None:
    response = await _sign_in(browser)
    cookie = _cookie(response)
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "strict"
    assert cookie["path"] == "/api/auth/refresh"
    assert cookie["max-age"] == str(7 * 86_400)
    assert not cookie["secure"]  # plain http: a Secure cookie would never come back
    assert response.headers["cache-control"] == "no-store"
    # The page gets the access token only: no script of it ever sees the refresh token.
    body = response.json()
    assert body["refresh_token"] is None and body["access_token"]
    assert cookie.value not in response.text
    assert await _me(browser, body["access_token"]) == 200


async def test_device_monitoring_login_sets_the_same_cookie(browser: httpx.AsyncClient) -> None:
    response = await browser.post("/login", json={"username": EMAIL, "password": PW}, headers=PAGE)
    assert response.status_code == 200, response.text
    assert _cookie(response)["path"] == "/api/auth/refresh"
    assert response.json()["refresh_token"] is None
    assert response.json()["user"]["email"] == EMAIL


async def test_a_reload_refreshes_from_the_cookie_and_rotates_it(
    browser: httpx.AsyncClient,
) -> None:
    first = _cookie(await _sign_in(browser)).value
    # The jar sends the cookie to /api/auth/refresh only, as a browser does.
    assert (await browser.get("/users/me")).request.headers.get("cookie") is None
    refreshed = await browser.post("/refresh", headers=PAGE)
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.request.headers["cookie"] == f"{COOKIE}={first}"
    second = _cookie(refreshed).value
    assert second != first
    assert refreshed.json()["refresh_token"] is None
    assert await _me(browser, refreshed.json()["access_token"]) == 200
    again = await browser.post("/refresh", headers=PAGE)  # the rotated cookie works in turn
    assert again.status_code == 200, again.text


async def test_a_stolen_cookie_replayed_after_rotation_revokes_the_login(
    browser: httpx.AsyncClient,
) -> None:
    stolen = _cookie(await _sign_in(browser)).value
    assert (await browser.post("/refresh", headers=PAGE)).status_code == 200
    legit = await browser.post("/refresh", headers=PAGE)  # the browser goes on using its login
    assert legit.status_code == 200
    browser.cookies.clear()
    replay = await browser.post("/refresh", headers={**PAGE, "Cookie": f"{COOKIE}={stolen}"})
    assert replay.status_code == 401
    assert "reuse" in replay.json()["detail"]
    # The legitimate browser's newer cookie and its access token died with the family.
    browser.cookies.set(COOKIE, _cookie(legit).value, path="/api/auth/refresh")
    after = await browser.post("/refresh", headers=PAGE)
    assert after.status_code == 401
    assert await _me(browser, legit.json()["access_token"]) == 401


async def test_another_origin_cannot_refresh_with_the_cookie_nor_plant_one(
    browser: httpx.AsyncClient,
) -> None:
    await _sign_in(browser)
    for origin in ("https://evil.example", "http://other.testserver", "null"):
        refused = await browser.post("/refresh", headers={"Origin": origin})
        assert refused.status_code == 403, (origin, refused.text)
        assert "set-cookie" not in refused.headers
    # Nothing was rotated: the dashboard's own refresh still works.
    assert (await browser.post("/refresh", headers=PAGE)).status_code == 200
    # A cross-site form posting the attacker's password to /token leaves no cookie behind.
    forged = await _sign_in(browser, {"Origin": "https://evil.example"})
    assert "set-cookie" not in forged.headers


async def test_logout_expires_the_cookie_and_its_token(browser: httpx.AsyncClient) -> None:
    signed_in = await _sign_in(browser)
    token = _cookie(signed_in).value
    access = signed_in.json()["access_token"]
    out = await browser.post("/logout", headers={**PAGE, "Authorization": f"Bearer {access}"})
    assert out.status_code == 200, out.text
    cleared = _cookie(out)
    assert cleared.value == "" and cleared["max-age"] == "0"
    assert cleared["path"] == "/api/auth/refresh"
    assert COOKIE not in browser.cookies
    replay = await browser.post("/refresh", headers={**PAGE, "Cookie": f"{COOKIE}={token}"})
    assert replay.status_code == 401


async def test_logout_everywhere_ends_every_login_of_the_user(
    browser: httpx.AsyncClient,
) -> None:
    laptop = (await _sign_in(browser, {})).json()  # a script's login: JSON tokens
    phone = await _sign_in(browser)
    access = phone.json()["access_token"]
    out = await browser.post("/logout/all", headers={**PAGE, "Authorization": f"Bearer {access}"})
    assert out.status_code == 200, out.text
    assert _cookie(out)["max-age"] == "0"
    assert await _me(browser, laptop["access_token"]) == 401
    assert await _me(browser, access) == 401
    script = await browser.post("/refresh", json={"refresh_token": laptop["refresh_token"]})
    assert script.status_code == 401
    cookie = _cookie(phone).value
    page = await browser.post("/refresh", headers={**PAGE, "Cookie": f"{COOKIE}={cookie}"})
    assert page.status_code == 401


async def test_a_password_change_hands_the_page_a_new_cookie(browser: httpx.AsyncClient) -> None:
    """The change revokes every refresh token: the page's own must be replaced, or the next
    reload would sign the user out."""
    access = (await _sign_in(browser)).json()["access_token"]
    changed = await browser.post(
        "/users/me/password",
        json={"current_password": PW, "new_password": "a new long passphrase"},
        headers={**PAGE, "Authorization": f"Bearer {access}"},
    )
    assert changed.status_code == 200, changed.text
    _cookie(changed)
    assert (await browser.post("/refresh", headers=PAGE)).status_code == 200


async def test_scripts_refresh_with_json_exactly_as_before(browser: httpx.AsyncClient) -> None:
    tokens = (await _sign_in(browser, {})).json()  # no Origin, no Sec-Fetch-Site: a script
    assert isinstance(tokens["refresh_token"], str)
    browser.cookies.clear()
    rotated = await browser.post("/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert rotated.status_code == 200, rotated.text
    assert isinstance(rotated.json()["refresh_token"], str)
    assert rotated.json()["refresh_token"] != tokens["refresh_token"]
    onward = await browser.post("/refresh", json={"refresh_token": rotated.json()["refresh_token"]})
    assert onward.status_code == 200
    replay = await browser.post("/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert replay.status_code == 401 and "reuse" in replay.json()["detail"]
    browser.cookies.clear()
    nothing = await browser.post("/refresh")
    assert nothing.status_code == 401
    assert "refresh_token" in nothing.json()["detail"]


@pytest.mark.parametrize(
    ("base_url", "peer", "forwarded", "secure"),
    [
        ("https://testserver", "203.0.113.7", None, True),  # TLS straight to the service
        ("http://testserver", "127.0.0.1", "https", True),  # the gateway says: https
        ("http://testserver", "127.0.0.1", "http", False),
        ("http://testserver", "203.0.113.7", "https", False),  # anyone else cannot say so
    ],
)
async def test_the_cookie_is_secure_when_the_browser_came_over_https(
    settings: Settings, base_url: str, peer: str, forwarded: str | None, secure: bool
) -> None:
    async with asgi_client(create_app(settings), peer, base_url=base_url) as client:
        await client.post("/register", json={"username": EMAIL, "password": PW})
        headers = {"X-Forwarded-Proto": forwarded} if forwarded else {}
        assert bool(_cookie(await _sign_in(client, headers))["secure"]) is secure


async def test_session_cookie_secure_setting_overrides_the_scheme(settings: Settings) -> None:
    """TLS ending at a proxy in front of the gateway: the gateway itself sees http."""
    forced = settings.model_copy(update={"session_cookie_secure": True})
    async with asgi_client(create_app(forced)) as client:
        await client.post("/register", json={"username": EMAIL, "password": PW})
        assert _cookie(await _sign_in(client, {}))["secure"] is True
