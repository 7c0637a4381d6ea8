"""Users, organizations, members and agents, made the way tests and benchmarks need them.

Through the auth service (a `client` of it, in-process or live), as a user makes them:
`register_and_login` (an organization with its admin, or an invited account),
`invite_and_join` (a member through the invitation flow), `new_agent` (an agent and its token)
and `user_with_agent` (an organization with its admin and one agent: the usual start).

Straight into PostgreSQL, for tests about something else that need rows the API would make
slowly or not at all (an organization without users, an agent last seen a month ago, a member
without an invitation): `insert_org`, `insert_agent`, `insert_member`, `add_member`.
"""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from datetime import datetime

import httpx

from core.settings import Settings
from harness.database import fetch

DEFAULT_PASSWORD = "correct horse battery staple"


@dataclass
class TestUser:
    """A registered, logged-in user as the API sees them."""

    __test__ = False  # not a pytest test class

    id: int
    email: str
    password: str
    access_token: str
    refresh_token: str
    org_id: int | None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


@dataclass
class Agent:
    """An agent made through the API by `owner`, with the token shown once at creation."""

    id: int
    token: str
    owner: TestUser
    name: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Agent-Token": self.token}

    @property
    def org_id(self) -> int:
        assert self.owner.org_id is not None
        return self.owner.org_id


async def login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/token", data={"username": email, "password": password})


async def register_and_login(
    client: httpx.AsyncClient,
    email: str,
    password: str = DEFAULT_PASSWORD,
    *,
    invitation_token: str | None = None,
) -> TestUser:
    """A new account: without an invitation, the admin of an organization of its own (the
    first account, or any under open sign-up)."""
    body = {"username": email, "password": password}
    if invitation_token is not None:
        body["invitation_token"] = invitation_token
    registered = await client.post("/register", json=body)
    assert registered.status_code == 201, registered.text
    tokens = await login(client, email, password)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    me = (
        await client.get("/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    ).json()
    return TestUser(
        id=me["id"],
        email=email,
        password=password,
        access_token=body["access_token"],
        refresh_token=body["refresh_token"],
        org_id=me["org_id"],
    )


async def invite(
    client: httpx.AsyncClient, admin: TestUser, email: str, role: str = "viewer"
) -> httpx.Response:
    """POST /members as `admin`: the answer carries the invitation's one-time token."""
    return await client.post("/members", headers=admin.headers, json={"email": email, "role": role})


async def invite_and_join(
    client: httpx.AsyncClient, admin: TestUser, email: str, role: str = "viewer"
) -> TestUser:
    """A new account for `email` that joined `admin`'s organization through an invitation."""
    invited = await invite(client, admin, email, role)
    assert invited.status_code == 201, invited.text
    return await register_and_login(client, email, invitation_token=invited.json()["token"])


async def new_agent(client: httpx.AsyncClient, owner: TestUser, name: str) -> Agent:
    created = await client.post("/agents", headers=owner.headers, json={"name": name})
    assert created.status_code == 201, created.text
    return Agent(created.json()["id"], created.json()["token"], owner, name)


async def user_with_agent(
    client: httpx.AsyncClient, email: str, agent_name: str | None = None
) -> Agent:
    """An organization with its admin (`email`, the agent's owner) and one agent."""
    owner = await register_and_login(client, email)
    return await new_agent(client, owner, agent_name or f"{email}-host")


async def insert_org(settings: Settings, name: str = "Org") -> int:
    """An organization without members (nor the default rules sign-up gives one)."""
    rows = await fetch(
        settings.database_url, "INSERT INTO organizations (name) VALUES ($1) RETURNING id", name
    )
    return int(rows[0]["id"])


async def insert_agent(
    settings: Settings,
    org_id: int,
    name: str,
    labels: str = "{}",
    *,
    created_at: datetime | None = None,
    last_seen_at: datetime | None = None,
) -> int:
    """An agent row (its token is never shown: use `new_agent` for one that reports)."""
    rows = await fetch(
        settings.database_url,
        "INSERT INTO agents (org_id, name, token_hash, token_created_at, last_seen_at, host_info,"
        " labels) VALUES ($1, $2, $3, coalesce($4, now()), $5, '{}', $6::jsonb) RETURNING id",
        org_id,
        name,
        secrets.token_hex(32),
        created_at,
        last_seen_at,
        labels,
    )
    return int(rows[0]["id"])


async def insert_member(settings: Settings, user_id: int, org_id: int, role: str) -> None:
    await fetch(
        settings.database_url,
        "INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, $3)",
        user_id,
        org_id,
        role,
    )


async def add_member(
    client: httpx.AsyncClient, settings: Settings, admin: TestUser, email: str, role: str
) -> TestUser:
    """`email` signed up (open sign-up), made a `role` of `admin`'s organization without an
    invitation, and logged into it."""
    assert admin.org_id is not None
    user = await register_and_login(client, email)
    await insert_member(settings, user.id, admin.org_id, role)
    switched = await client.post(f"/organizations/{admin.org_id}/switch", headers=user.headers)
    assert switched.status_code == 200, switched.text
    return dataclasses.replace(
        user, access_token=switched.json()["access_token"], org_id=admin.org_id
    )
