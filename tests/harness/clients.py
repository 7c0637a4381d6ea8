"""In-process service clients (httpx over ASGI, lifespan run) and user/agent factories."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from core.settings import Settings

AppFactory = Callable[[Settings], FastAPI]
DEFAULT_PASSWORD = "correct horse battery staple"


@asynccontextmanager
async def asgi_client(
    app: FastAPI,
    client_ip: str = "203.0.113.7",
    *,
    raise_app_exceptions: bool = True,
    base_url: str = "http://testserver",
    root_path: str = "",
) -> AsyncIterator[httpx.AsyncClient]:
    """raise_app_exceptions=False: the client sees what a real server would have sent.
    root_path: the app mounted there, as uvicorn --root-path runs it behind the gateway."""
    transport = httpx.ASGITransport(
        app=app,
        client=(client_ip, 51234),
        raise_app_exceptions=raise_app_exceptions,
        root_path=root_path,
    )
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=transport, base_url=base_url + root_path) as client,
    ):
        yield client


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


async def login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/token", data={"username": email, "password": password})


async def register_and_login(
    client: httpx.AsyncClient,
    email: str,
    password: str = DEFAULT_PASSWORD,
    *,
    invitation_token: str | None = None,
) -> TestUser:
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
