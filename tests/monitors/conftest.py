"""Clients for the probe service, and an organization's admin signed in to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from core.settings import Settings
from harness.clients import asgi_client


@pytest.fixture
async def probe_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    from probe_service.app import create_app

    async with asgi_client(create_app(settings)) as client:
        yield client
