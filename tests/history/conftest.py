"""Fixtures of the history tests.

VictoriaMetrics is shared by the whole session and never wiped, while PostgreSQL ids restart
at 1 in every test; so each test here moves the organization and agent id sequences to a
random far-away start, and its series cannot meet another test's.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import httpx
import pytest

from core.settings import Settings
from harness.clients import asgi_client
from harness.factories import TestUser, register_and_login
from tests.conftest import Datastores


@dataclass
class Tenant:
    user: TestUser
    org_id: int
    agent_id: int


@pytest.fixture
async def unique_ids(datastores: Datastores) -> None:
    start = random.randrange(1_000_000, 2_000_000_000, 1000)
    conn = await asyncpg.connect(datastores.postgres.url.replace("+asyncpg", ""))
    try:
        for table in ("organizations", "agents"):
            sequence = await conn.fetchval("SELECT pg_get_serial_sequence($1, 'id')", table)
            await conn.execute(f"ALTER SEQUENCE {sequence} RESTART WITH {start}")
    finally:
        await conn.close()


@pytest.fixture
async def open_auth(settings: Settings, unique_ids: None) -> AsyncIterator[httpx.AsyncClient]:
    """An auth service where anyone may sign up and gets an organization of their own."""
    from auth_service.app import create_app

    app = create_app(settings.model_copy(update={"registration_policy": "open"}))
    async with asgi_client(app) as client:
        yield client


async def new_tenant(auth: httpx.AsyncClient, email: str) -> Tenant:
    user = await register_and_login(auth, email)
    agent = await auth.post("/agents", headers=user.headers, json={"name": f"{email}-host"})
    assert agent.status_code == 201, agent.text
    assert user.org_id is not None
    return Tenant(user, user.org_id, agent.json()["id"])


@pytest.fixture
async def alice(open_auth: httpx.AsyncClient) -> Tenant:
    return await new_tenant(open_auth, "alice@example.com")


@pytest.fixture
async def bob(open_auth: httpx.AsyncClient) -> Tenant:
    return await new_tenant(open_auth, "bob@example.com")
