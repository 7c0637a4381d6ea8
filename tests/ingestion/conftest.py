"""Fixtures for the ingestion service: the app in-process, and a registered agent."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from core.settings import Settings
from harness.clients import asgi_client
from harness.factories import Agent, user_with_agent
from ingestion_service.app import create_app


@pytest.fixture
async def ingest(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The ingestion service in-process (lifespan run, so background tasks are live)."""
    async with asgi_client(create_app(settings)) as client:
        yield client


@pytest.fixture
async def agent(auth_client: httpx.AsyncClient) -> Agent:
    return await user_with_agent(auth_client, "ops@example.com", "web-1")
