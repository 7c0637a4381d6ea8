"""Fixtures shared by the alerting API tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from alert_service.config import AlertSettings
from core.settings import Settings
from tests.alerting.channel_clients import Clients, channel_clients


@pytest.fixture
async def clients(settings: Settings) -> AsyncIterator[Clients]:
    """Outbound requests to loopback allowed, as an admin would for a webhook on the LAN."""
    alert_settings = AlertSettings(outbound_allow_private=True, delivery_timeout_seconds=3)
    async with channel_clients(settings, alert_settings) as pair:
        yield pair


@pytest.fixture
async def guarded_clients(settings: Settings) -> AsyncIterator[Clients]:
    """The default: private and loopback destinations refused."""
    alert_settings = AlertSettings(outbound_allow_private=False, delivery_timeout_seconds=3)
    async with channel_clients(settings, alert_settings) as pair:
        yield pair
