"""The Device Monitoring Backend's auth API beside ours: POST /login with a JSON body and
GET /profile, answering as its code does ({access_token, refresh_token, user}, and
{id, username, email, role}), behind the same failed-login limits and audit as POST /token."""

from __future__ import annotations

import httpx

from core.settings import Settings
from harness.database import fetch
from harness.factories import TestUser, register_and_login
from tests.fixtures.older_tools import device_monitoring_login

WRONG = "not the password"


async def test_login_answers_tokens_and_the_user_and_the_token_opens_the_profile(
    auth_client: httpx.AsyncClient,
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    response = await auth_client.post(
        "/login", json=device_monitoring_login("admin@example.com", admin.password)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    profile = {"id": admin.id, "username": "admin@example.com", "email": "admin@example.com"}
    assert body["user"] == {**profile, "role": "admin"}
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    answer = await auth_client.get("/profile", headers=bearer)
    assert answer.status_code == 200 and answer.json() == {**profile, "role": "admin"}
    refreshed = await auth_client.post("/refresh", json={"refresh_token": body["refresh_token"]})
    assert refreshed.status_code == 200  # a session like any other


async def test_profile_needs_a_valid_access_token(auth_client: httpx.AsyncClient) -> None:
    assert (await auth_client.get("/profile")).status_code == 401
    forged = {"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."}
    assert (await auth_client.get("/profile", headers=forged)).status_code == 401


async def test_login_refuses_a_wrong_password_and_a_body_without_one(
    auth_client: httpx.AsyncClient,
) -> None:
    await register_and_login(auth_client, "admin@example.com")
    wrong = await auth_client.post(
        "/login", json=device_monitoring_login("admin@example.com", WRONG)
    )
    assert wrong.status_code == 401 and "access_token" not in wrong.text
    missing = await auth_client.post("/login", json={"username": "admin@example.com"})
    assert missing.status_code == 422 and "password" in missing.text


async def _guess(client: httpx.AsyncClient, user: TestUser, door: str) -> httpx.Response:
    if door == "/login":
        return await client.post("/login", json=device_monitoring_login(user.email, WRONG))
    return await client.post("/token", data={"username": user.email, "password": WRONG})


async def test_guesses_on_both_doors_count_against_one_limit(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    """LOGIN_MAX_FAILURES (10 per address and username) counts /token and /login together:
    the JSON door is no way around it."""
    user = await register_and_login(auth_client, "admin@example.com")
    for i in range(settings.login_max_failures):
        answer = await _guess(auth_client, user, "/login" if i % 2 else "/token")
        assert answer.status_code == 401
    for door in ("/login", "/token"):
        limited = await _guess(auth_client, user, door)
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    right = await auth_client.post(
        "/login", json=device_monitoring_login(user.email, user.password)
    )
    assert right.status_code == 429


async def test_a_login_through_the_json_door_is_audited_like_any_other(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    user = await register_and_login(auth_client, "admin@example.com")
    await fetch(settings.database_url, "DELETE FROM audit_log")
    response = await auth_client.post(
        "/login", json=device_monitoring_login(user.email, user.password)
    )
    assert response.status_code == 200
    rows = await fetch(
        settings.database_url, "SELECT action, user_id, host(ip) AS ip FROM audit_log"
    )
    assert [dict(row) for row in rows] == [
        {"action": "user.login", "user_id": user.id, "ip": "203.0.113.7"}
    ]
