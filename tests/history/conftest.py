"""Fixtures of the history tests.

VictoriaMetrics is shared by the whole session and never wiped, while PostgreSQL ids restart
at 1 in every test; so each test here moves the organization and agent id sequences to a
random far-away start, and its series cannot meet another test's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import asyncpg
import httpx
import pytest

from harness.datastores import Datastores
from harness.factories import TestUser, user_with_agent


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
        for table in ("organizations", "agents", "monitors"):
            sequence = await conn.fetchval("SELECT pg_get_serial_sequence($1, 'id')", table)
            await conn.execute(f"ALTER SEQUENCE {sequence} RESTART WITH {start}")
    finally:
        await conn.close()


@pytest.fixture
def open_auth(open_client: httpx.AsyncClient, unique_ids: None) -> httpx.AsyncClient:
    """Open sign-up (each user an organization of their own), ids far from other tests'."""
    return open_client


async def new_tenant(auth: httpx.AsyncClient, email: str) -> Tenant:
    agent = await user_with_agent(auth, email)
    return Tenant(agent.owner, agent.org_id, agent.id)


@pytest.fixture
async def alice(open_auth: httpx.AsyncClient) -> Tenant:
    return await new_tenant(open_auth, "alice@example.com")


@pytest.fixture
async def bob(open_auth: httpx.AsyncClient) -> Tenant:
    return await new_tenant(open_auth, "bob@example.com")
