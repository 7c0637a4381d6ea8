"""Agent registration as StatusMonitor v1 describes it: a token shown once, 5 minutes to use it."""

from __future__ import annotations

import hashlib

import httpx
from redis.asyncio import Redis

from core.settings import Settings
from tests.harness.clients import TestUser, register_and_login
from tests.harness.database import fetch


async def _create(
    client: httpx.AsyncClient, user: TestUser, name: str = "web-1"
) -> dict[str, object]:
    response = await client.post(
        "/agents", headers=user.headers, json={"name": name, "labels": {"env": "prod"}}
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def _validate(client: httpx.AsyncClient, token: str, how: str = "header") -> httpx.Response:
    if how == "header":
        return await client.post("/agents/validate-token", headers={"X-Agent-Token": token})
    if how == "bearer":
        return await client.post(
            "/agents/validate-token", headers={"Authorization": f"Bearer {token}"}
        )
    return await client.post("/agents/validate-token", json={"token": token})


async def test_token_is_shown_once_and_stored_only_as_sha256(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    agent = await _create(auth_client, admin)
    token = str(agent["token"])
    assert token.startswith("sm_") and len(token) >= 3 + 43
    assert agent["token_status"] == "pending"
    listed = await auth_client.get("/agents", headers=admin.headers)
    assert token not in listed.text and "token_hash" not in listed.text
    assert listed.json()[0]["labels"] == {"env": "prod"}
    rows = await fetch(settings.database_url, "SELECT token_hash FROM agents")
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()


async def test_first_use_activates_token_for_good(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    agent = await _create(auth_client, admin)
    token = str(agent["token"])
    for how in ("header", "bearer", "body"):
        response = await _validate(auth_client, token, how)
        assert response.status_code == 200, (how, response.text)
        assert response.json() == {
            "valid": True,
            "agent_id": agent["id"],
            "agent_name": "web-1",
            "org_id": admin.org_id,
        }
    # Long after the activation window, an activated token still works.
    await fetch(
        settings.database_url, "UPDATE agents SET token_created_at = now() - interval '1 day'"
    )
    assert (await _validate(auth_client, token)).status_code == 200
    listed = (await auth_client.get("/agents", headers=admin.headers)).json()
    assert listed[0]["token_status"] == "active" and listed[0]["activated_at"] is not None


async def test_unused_token_expires_after_its_window(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    agent = await _create(auth_client, admin)
    deadline = (
        await fetch(
            settings.database_url, "SELECT activation_deadline - token_created_at AS w FROM agents"
        )
    )[0]["w"]
    assert deadline.total_seconds() == 5 * 60
    await fetch(
        settings.database_url, "UPDATE agents SET activation_deadline = now() - interval '1 second'"
    )
    response = await _validate(auth_client, str(agent["token"]))
    assert response.status_code == 401
    listed = (await auth_client.get("/agents", headers=admin.headers)).json()
    assert listed[0]["token_status"] == "expired"


async def test_regenerating_revokes_the_old_token_at_once(auth_client: httpx.AsyncClient) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    agent = await _create(auth_client, admin)
    old = str(agent["token"])
    assert (await _validate(auth_client, old)).status_code == 200  # now active and cached
    regenerated = await auth_client.post(
        f"/agents/{agent['id']}/regenerate-token", headers=admin.headers
    )
    assert regenerated.status_code == 200
    new = regenerated.json()["token"]
    assert new != old and regenerated.json()["token_status"] == "pending"
    assert (await _validate(auth_client, old)).status_code == 401
    assert (await _validate(auth_client, new)).status_code == 200


async def test_deleted_agent_token_stops_working(
    auth_client: httpx.AsyncClient, redis: Redis
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    agent = await _create(auth_client, admin)
    token = str(agent["token"])
    assert (await _validate(auth_client, token)).status_code == 200
    assert await redis.keys("agent-token:*")  # cached
    assert (
        await auth_client.delete(f"/agents/{agent['id']}", headers=admin.headers)
    ).status_code == 204
    assert (await _validate(auth_client, token)).status_code == 401
    assert (await auth_client.get("/agents", headers=admin.headers)).json() == []


async def test_unknown_or_missing_token_is_refused(auth_client: httpx.AsyncClient) -> None:
    assert (await _validate(auth_client, "sm_nope")).status_code == 401
    missing = await auth_client.post("/agents/validate-token")
    assert missing.status_code == 401
    assert "X-Agent-Token" in missing.json()["detail"]


async def test_rename_and_relabel_agent(auth_client: httpx.AsyncClient) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    agent = await _create(auth_client, admin)
    response = await auth_client.patch(
        f"/agents/{agent['id']}",
        headers=admin.headers,
        json={"name": "web-01", "labels": {"role": "edge"}},
    )
    assert response.status_code == 200
    assert response.json()["name"] == "web-01" and response.json()["labels"] == {"role": "edge"}
    partial = await auth_client.patch(
        f"/agents/{agent['id']}", headers=admin.headers, json={"name": "web-02"}
    )
    assert partial.json()["labels"] == {"role": "edge"}
