"""Fixtures for the live-view tests: the service as a real uvicorn process, open sign-ups."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from core.settings import Settings
from harness.live import LiveService, live_service


@pytest.fixture(scope="module")
def service(
    base_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveService]:
    """One distribution process per test module; each test uses its own users and agents."""
    with live_service(
        "distribution_service", base_settings, tmp_path_factory.mktemp("distribution-logs")
    ) as live:
        yield live


@pytest.fixture
def auth(open_client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The auth service with open sign-ups, so each user gets an organization of their own."""
    return open_client
