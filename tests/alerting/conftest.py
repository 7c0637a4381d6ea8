"""The alert service in-process, for the alerting tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from core.settings import Settings
from tests.harness.clients import asgi_client


@pytest.fixture
async def alert_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    from alert_service.app import create_app

    async with asgi_client(create_app(settings)) as client:
        yield client
