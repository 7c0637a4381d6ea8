"""Registration, login, token refresh and logout as a user of the auth API sees them."""

from __future__ import annotations

import base64
import time

import httpx
import orjson
from jose import jwt

from core.security.passwords import hash_password
from core.settings import Settings
from harness.clients import asgi_client
from harness.database import fetch
from harness.factories import DEFAULT_PASSWORD, login, register_and_login


async def test_first_user_registers_and_becomes_admin_of_first_org(
    auth_client: httpx.AsyncClient,
) -> None:
    response = await auth_client.post(
        "/register",
        json={"username": "alice", "email": "Alice@Example.com", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["username"] == "alice"
    assert body["email"] == "alice@example.com"
    assert body["role"] == "admin"
    assert body["organizations"][0]["name"] == "Default organization"
    assert "password" not in response.text and "hash" not in response.text


async def test_login_with_username_or_email_returns_token_pair(
    auth_client: httpx.AsyncClient,
) -> None:
    await auth_client.post(
        "/register",
        json={"username": "alice", "email": "alice@example.com", "password": DEFAULT_PASSWORD},
    )
    for login_name in ("alice", "ALICE@example.com"):
        response = await login(auth_client, login_name, DEFAULT_PASSWORD)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["token_type"] == "bearer"
        assert body["expires_in"] == 30 * 60
        me = await auth_client.get(
            "/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
        )
        assert me.status_code == 200
        assert me.json()["username"] == "alice"


async def test_access_token_carries_documented_claims(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    user = await register_and_login(auth_client, "alice@example.com")
    claims = jwt.decode(
        user.access_token, settings.secret_key, algorithms=["HS256"], audience="statusmonitor"
    )
    assert {"sub", "org", "role", "exp", "iat", "jti", "iss", "aud"} <= claims.keys()
    assert claims["role"] == "admin" and claims["org"] == user.org_id
    assert claims["exp"] - claims["iat"] == 30 * 60


async def test_wrong_password_and_unknown_user_answer_401(auth_client: httpx.AsyncClient) -> None:
    await register_and_login(auth_client, "alice@example.com")
    wrong = await login(auth_client, "alice@example.com", "not the password")
    unknown = await login(auth_client, "nobody@example.com", DEFAULT_PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"] == "incorrect username or password"


async def test_short_password_is_refused_with_the_rule(auth_client: httpx.AsyncClient) -> None:
    response = await auth_client.post(
        "/register", json={"username": "a@example.com", "password": "short"}
    )
    assert response.status_code == 422
    assert "at least 10 characters" in response.json()["detail"]


async def test_duplicate_registration_is_a_conflict(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    from auth_service.app import create_app

    async with asgi_client(
        create_app(settings.model_copy(update={"registration_policy": "open"}))
    ) as client:
        await register_and_login(client, "alice@example.com")
        again = await client.post(
            "/register", json={"username": "alice@example.com", "password": DEFAULT_PASSWORD}
        )
    assert again.status_code == 409


def _forge(settings: Settings, **overrides: object) -> str:
    now = int(time.time())
    claims = {
        "sub": "1",
        "org": 1,
        "role": "admin",
        "jti": "x",
        "typ": "access",
        "iat": now,
        "exp": now + 600,
        "iss": "statusmonitor",
        "aud": "statusmonitor",
        "ver": 0,
    }
    claims.update(overrides)
    return jwt.encode(claims, settings.secret_key, algorithm="HS256")


async def test_expired_tampered_and_unsigned_tokens_are_refused(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    user = await register_and_login(auth_client, "alice@example.com")
    header, payload, signature = user.access_token.split(".")
    claims = orjson.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "viewer"
    tampered_payload = base64.urlsafe_b64encode(orjson.dumps(claims)).rstrip(b"=").decode()
    alg_none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    candidates = {
        "expired": _forge(
            settings, sub=str(user.id), iat=int(time.time()) - 7200, exp=int(time.time()) - 3600
        ),
        "tampered": f"{header}.{tampered_payload}.{signature}",
        "alg none": f"{alg_none_header}.{payload}.",
        "other key": jwt.encode(
            {"sub": str(user.id)}, "another-secret-key-of-sufficient-length", algorithm="HS256"
        ),
        "wrong audience": _forge(settings, sub=str(user.id), aud="someone-else"),
        "refresh as access": user.refresh_token,
        "garbage": "not.a.jwt",
    }
    for name, token in candidates.items():
        response = await auth_client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
    missing = await auth_client.get("/users/me")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"


async def test_refresh_rotates_and_old_refresh_token_is_single_use(
    auth_client: httpx.AsyncClient,
) -> None:
    user = await register_and_login(auth_client, "alice@example.com")
    first = await auth_client.post("/refresh", json={"refresh_token": user.refresh_token})
    assert first.status_code == 200, first.text
    rotated = first.json()
    assert rotated["refresh_token"] != user.refresh_token
    me = await auth_client.get(
        "/users/me", headers={"Authorization": f"Bearer {rotated['access_token']}"}
    )
    assert me.status_code == 200


async def test_refresh_token_reuse_revokes_the_whole_family(auth_client: httpx.AsyncClient) -> None:
    user = await register_and_login(auth_client, "alice@example.com")
    stolen = user.refresh_token
    first = (await auth_client.post("/refresh", json={"refresh_token": stolen})).json()
    # The holder goes on refreshing; only then does the thief replay the old token.
    legit = (
        await auth_client.post("/refresh", json={"refresh_token": first["refresh_token"]})
    ).json()
    replay = await auth_client.post("/refresh", json={"refresh_token": stolen})
    assert replay.status_code == 401
    assert "reuse" in replay.json()["detail"]
    # The legitimate holder's newer refresh token died with the family.
    after = await auth_client.post("/refresh", json={"refresh_token": legit["refresh_token"]})
    assert after.status_code == 401
    # ...and so did every access token issued to it.
    for access in (user.access_token, first["access_token"], legit["access_token"]):
        me = await auth_client.get("/users/me", headers={"Authorization": f"Bearer {access}"})
        assert me.status_code == 401


async def test_other_logins_survive_a_reuse_in_one_family(auth_client: httpx.AsyncClient) -> None:
    user = await register_and_login(auth_client, "alice@example.com")
    other = (await login(auth_client, user.email, user.password)).json()
    rotated = (
        await auth_client.post("/refresh", json={"refresh_token": user.refresh_token})
    ).json()
    await auth_client.post("/refresh", json={"refresh_token": rotated["refresh_token"]})
    reuse = await auth_client.post("/refresh", json={"refresh_token": user.refresh_token})
    assert reuse.status_code == 401
    still = await auth_client.post("/refresh", json={"refresh_token": other["refresh_token"]})
    assert still.status_code == 200


async def test_refresh_tokens_are_stored_hashed(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    user = await register_and_login(auth_client, "alice@example.com")
    rows = await fetch(settings.database_url, "SELECT token_hash, family_id FROM refresh_tokens")
    assert rows and all(user.refresh_token not in row["token_hash"] for row in rows)
    assert all(len(row["token_hash"]) == 64 for row in rows)


async def test_logout_ends_access_and_refresh_of_that_session(
    auth_client: httpx.AsyncClient,
) -> None:
    user = await register_and_login(auth_client, "alice@example.com")
    response = await auth_client.post("/logout", headers=user.headers)
    assert response.status_code == 200
    assert (await auth_client.get("/users/me", headers=user.headers)).status_code == 401
    refresh = await auth_client.post("/refresh", json={"refresh_token": user.refresh_token})
    assert refresh.status_code == 401


async def test_password_change_logs_out_other_sessions(auth_client: httpx.AsyncClient) -> None:
    laptop = await register_and_login(auth_client, "alice@example.com")
    phone = (await login(auth_client, laptop.email, laptop.password)).json()
    response = await auth_client.post(
        "/users/me/password",
        headers=laptop.headers,
        json={"current_password": laptop.password, "new_password": "a brand new passphrase"},
    )
    assert response.status_code == 200, response.text
    fresh = response.json()
    phone_headers = {"Authorization": f"Bearer {phone['access_token']}"}
    assert (await auth_client.get("/users/me", headers=phone_headers)).status_code == 401
    assert (
        await auth_client.post("/refresh", json={"refresh_token": phone["refresh_token"]})
    ).status_code == 401
    assert (await auth_client.get("/users/me", headers=laptop.headers)).status_code == 401
    fresh_headers = {"Authorization": f"Bearer {fresh['access_token']}"}
    assert (await auth_client.get("/users/me", headers=fresh_headers)).status_code == 200
    assert (await login(auth_client, laptop.email, laptop.password)).status_code == 401
    assert (await login(auth_client, laptop.email, "a brand new passphrase")).status_code == 200


async def test_password_change_needs_the_current_password(auth_client: httpx.AsyncClient) -> None:
    user = await register_and_login(auth_client, "alice@example.com")
    response = await auth_client.post(
        "/users/me/password",
        headers=user.headers,
        json={"current_password": "wrong guess here", "new_password": "a brand new passphrase"},
    )
    assert response.status_code == 401
    assert (await login(auth_client, user.email, user.password)).status_code == 200


async def test_login_brute_force_is_rate_limited_per_ip_and_username(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    from auth_service.app import create_app

    user = await register_and_login(auth_client, "alice@example.com")
    for _ in range(10):
        assert (await login(auth_client, user.email, "wrong password!")).status_code == 401
    blocked = await login(auth_client, user.email, user.password)
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["retry-after"]) <= 900
    # Another address is not punished for the attacker's failures.
    async with asgi_client(create_app(settings), client_ip="198.51.100.9") as elsewhere:
        assert (await login(elsewhere, user.email, user.password)).status_code == 200


async def test_login_rehashes_password_with_outdated_parameters(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    from argon2 import PasswordHasher

    user = await register_and_login(auth_client, "alice@example.com")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(user.password)
    await fetch(settings.database_url, "UPDATE users SET password_hash = $1", weak)
    assert (await login(auth_client, user.email, user.password)).status_code == 200
    stored = (await fetch(settings.database_url, "SELECT password_hash FROM users"))[0][
        "password_hash"
    ]
    assert stored != weak and stored.startswith("$argon2id$")
    assert stored.split("$")[3] == (await hash_password(settings, "x")).split("$")[3]


async def test_a_refresh_whose_answer_was_lost_may_be_retried_moments_later(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    """A page reload cuts off the refresh after the server rotated: the browser presents the
    same token again. Within the grace that is a retry, not theft; the lost successor then
    counts as used, so if it ever turns up the login is revoked as for any reuse."""
    user = await register_and_login(auth_client, "alice@example.com")
    lost = (await auth_client.post("/refresh", json={"refresh_token": user.refresh_token})).json()
    retried = await auth_client.post("/refresh", json={"refresh_token": user.refresh_token})
    assert retried.status_code == 200, retried.text
    renewed = retried.json()
    assert renewed["refresh_token"] not in (lost["refresh_token"], user.refresh_token)
    headers = {"Authorization": f"Bearer {renewed['access_token']}"}
    assert (await auth_client.get("/users/me", headers=headers)).status_code == 200
    # The retry's token goes on rotating normally.
    onward = await auth_client.post("/refresh", json={"refresh_token": renewed["refresh_token"]})
    assert onward.status_code == 200
    # The lost token was a thief's after all: presenting it revokes the whole login.
    late = await auth_client.post("/refresh", json={"refresh_token": lost["refresh_token"]})
    assert late.status_code == 401 and "reuse" in late.json()["detail"]
    again = await auth_client.post(
        "/refresh", json={"refresh_token": onward.json()["refresh_token"]}
    )
    assert again.status_code == 401


async def test_a_replay_after_the_grace_revokes_the_login(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    user = await register_and_login(auth_client, "alice@example.com")
    fresh = (await auth_client.post("/refresh", json={"refresh_token": user.refresh_token})).json()
    grace = settings.refresh_reuse_grace_seconds + 1
    await fetch(
        settings.database_url,
        "UPDATE refresh_tokens SET used_at = used_at - make_interval(secs => $1)"
        " WHERE used_at IS NOT NULL",
        float(grace),
    )
    replay = await auth_client.post("/refresh", json={"refresh_token": user.refresh_token})
    assert replay.status_code == 401 and "reuse" in replay.json()["detail"]
    after = await auth_client.post("/refresh", json={"refresh_token": fresh["refresh_token"]})
    assert after.status_code == 401
