"""Organizations, members, roles and registration policies."""

from __future__ import annotations

import httpx

from core.settings import Settings
from harness.clients import asgi_client
from harness.database import fetch
from harness.factories import (
    DEFAULT_PASSWORD,
    invite,
    invite_and_join,
    new_agent,
    register_and_login,
)


async def test_second_signup_needs_an_invitation_by_default(auth_client: httpx.AsyncClient) -> None:
    await register_and_login(auth_client, "admin@example.com")
    response = await auth_client.post(
        "/register", json={"username": "eve@example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 403
    assert "invitation" in response.json()["detail"]


async def test_invited_user_joins_with_the_invited_role(auth_client: httpx.AsyncClient) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    invited = await invite(auth_client, admin, "Bob@Example.com", "operator")
    assert invited.status_code == 201
    assert invited.json()["status"] == "pending"
    bob = await register_and_login(
        auth_client, "bob@example.com", invitation_token=invited.json()["token"]
    )
    me = (await auth_client.get("/users/me", headers=bob.headers)).json()
    assert me["org_id"] == admin.org_id and me["role"] == "operator"
    members = (await auth_client.get("/members", headers=admin.headers)).json()
    assert {(m["email"], m["role"], m["status"]) for m in members} == {
        ("admin@example.com", "admin", "active"),
        ("bob@example.com", "operator", "active"),
    }


async def test_invite_policy_refuses_even_the_first_signup(settings: Settings) -> None:
    from auth_service.app import create_app

    async with asgi_client(
        create_app(settings.model_copy(update={"registration_policy": "invite"}))
    ) as client:
        response = await client.post(
            "/register", json={"username": "a@example.com", "password": DEFAULT_PASSWORD}
        )
    assert response.status_code == 403


async def test_open_policy_gives_each_signup_its_own_organization(
    open_client: httpx.AsyncClient,
) -> None:
    alice = await register_and_login(open_client, "alice@example.com")
    bob = await register_and_login(open_client, "bob@example.com")
    assert alice.org_id != bob.org_id
    me = (await open_client.get("/users/me", headers=bob.headers)).json()
    assert me["role"] == "admin"


async def test_create_list_and_switch_organizations(auth_client: httpx.AsyncClient) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    created = await auth_client.post("/organizations", headers=admin.headers, json={"name": "Lab"})
    assert created.status_code == 201 and created.json()["role"] == "admin"
    orgs = (await auth_client.get("/organizations", headers=admin.headers)).json()
    assert [o["name"] for o in orgs] == ["Default organization", "Lab"]
    switched = await auth_client.post(
        f"/organizations/{created.json()['id']}/switch", headers=admin.headers
    )
    assert switched.status_code == 200
    headers = {"Authorization": f"Bearer {switched.json()['access_token']}"}
    me = (await auth_client.get("/users/me", headers=headers)).json()
    assert me["org_id"] == created.json()["id"]
    renamed = await auth_client.patch(
        f"/organizations/{created.json()['id']}", headers=headers, json={"name": "Lab 2"}
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Lab 2"


async def test_another_organizations_ids_answer_404(open_client: httpx.AsyncClient) -> None:
    alice = await register_and_login(open_client, "alice@example.com")
    mallory = await register_and_login(open_client, "mallory@example.com")
    agent = await new_agent(open_client, alice, "db-1")
    assert alice.org_id is not None
    for method, url, body in [
        ("POST", f"/organizations/{alice.org_id}/switch", None),
        ("PATCH", f"/organizations/{alice.org_id}", {"name": "mine now"}),
        ("DELETE", f"/agents/{agent.id}", None),
        ("PATCH", f"/agents/{agent.id}", {"name": "pwned"}),
        ("POST", f"/agents/{agent.id}/regenerate-token", None),
        ("PATCH", f"/members/{alice.id}", {"role": "viewer"}),
        ("DELETE", f"/members/{alice.id}", None),
    ]:
        response = await open_client.request(method, url, headers=mallory.headers, json=body)
        assert response.status_code == 404, (method, url, response.text)
    agents = (await open_client.get("/agents", headers=mallory.headers)).json()
    assert agents == []
    still = (await open_client.get("/agents", headers=alice.headers)).json()
    assert [a["name"] for a in still] == ["db-1"]


async def test_viewer_can_read_but_not_write(auth_client: httpx.AsyncClient) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    agent = await new_agent(auth_client, admin, "web-1")
    viewer = await invite_and_join(auth_client, admin, "viewer@example.com", "viewer")
    assert (await auth_client.get("/agents", headers=viewer.headers)).status_code == 200
    assert (await auth_client.get("/members", headers=viewer.headers)).status_code == 200
    for method, url, body in [
        ("POST", "/agents", {"name": "sneaky"}),
        ("PATCH", f"/agents/{agent.id}", {"name": "renamed"}),
        ("DELETE", f"/agents/{agent.id}", None),
        ("POST", f"/agents/{agent.id}/regenerate-token", None),
        ("POST", "/members", {"email": "x@example.com", "role": "admin"}),
        ("PATCH", f"/organizations/{admin.org_id}", {"name": "renamed"}),
    ]:
        response = await auth_client.request(method, url, headers=viewer.headers, json=body)
        assert response.status_code == 403, (method, url, response.text)
        assert "role" in response.json()["detail"]


async def test_operator_manages_agents_but_not_members(auth_client: httpx.AsyncClient) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    operator = await invite_and_join(auth_client, admin, "op@example.com", "operator")
    assert (
        await auth_client.post("/agents", headers=operator.headers, json={"name": "a"})
    ).status_code == 201
    assert (await invite(auth_client, operator, "x@example.com", "viewer")).status_code == 403
    assert (
        await auth_client.patch(
            f"/members/{admin.id}", headers=operator.headers, json={"role": "viewer"}
        )
    ).status_code == 403


async def test_role_change_takes_effect_immediately(auth_client: httpx.AsyncClient) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    bob = await invite_and_join(auth_client, admin, "bob@example.com", "operator")
    demoted = await auth_client.patch(
        f"/members/{bob.id}", headers=admin.headers, json={"role": "viewer"}
    )
    assert demoted.status_code == 200 and demoted.json()["role"] == "viewer"
    # Bob's token still says operator, but the server goes by the membership.
    assert (
        await auth_client.post("/agents", headers=bob.headers, json={"name": "a"})
    ).status_code == 403


async def test_last_admin_cannot_be_removed_or_demoted(auth_client: httpx.AsyncClient) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    demote = await auth_client.patch(
        f"/members/{admin.id}", headers=admin.headers, json={"role": "operator"}
    )
    remove = await auth_client.delete(f"/members/{admin.id}", headers=admin.headers)
    assert demote.status_code == remove.status_code == 409
    assert "last admin" in demote.json()["detail"]
    second = await invite_and_join(auth_client, admin, "second@example.com", "admin")
    assert (
        await auth_client.patch(
            f"/members/{admin.id}", headers=second.headers, json={"role": "viewer"}
        )
    ).status_code == 200
    assert (
        await auth_client.delete(f"/members/{second.id}", headers=second.headers)
    ).status_code == 409


async def test_removed_member_loses_access(
    auth_client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    bob = await invite_and_join(auth_client, admin, "bob@example.com", "operator")
    assert (
        await auth_client.delete(f"/members/{bob.id}", headers=admin.headers)
    ).status_code == 204
    assert (await auth_client.get("/agents", headers=bob.headers)).status_code == 403
    audit = await fetch(settings.database_url, "SELECT action, ip::text FROM audit_log ORDER BY id")
    assert ("member.remove", "203.0.113.7/32") in [(row["action"], row["ip"]) for row in audit]


async def test_invitations_can_be_listed_and_cancelled(auth_client: httpx.AsyncClient) -> None:
    admin = await register_and_login(auth_client, "admin@example.com")
    invitation = (await invite(auth_client, admin, "late@example.com", "viewer")).json()
    again = await invite(auth_client, admin, "Late@Example.com", "admin")
    assert again.status_code == 409 and "pending invitation" in again.json()["detail"]
    listed = (await auth_client.get("/invitations", headers=admin.headers)).json()
    assert [(i["id"], i["email"], i["status"]) for i in listed] == [
        (invitation["id"], "late@example.com", "pending")
    ]
    assert "token" not in listed[0]
    response = await auth_client.delete(f"/invitations/{invitation['id']}", headers=admin.headers)
    assert response.status_code == 204
    assert (await auth_client.get("/invitations", headers=admin.headers)).json() == []
    twice = await auth_client.delete(f"/invitations/{invitation['id']}", headers=admin.headers)
    assert twice.status_code == 409 and "cancelled" in twice.json()["detail"]
    body = {"username": "late@example.com", "password": DEFAULT_PASSWORD}
    assert (await auth_client.post("/register", json=body)).status_code == 403
    with_link = await auth_client.post(
        "/register", json={**body, "invitation_token": invitation["token"]}
    )
    assert with_link.status_code == 410 and "cancelled" in with_link.json()["detail"]
