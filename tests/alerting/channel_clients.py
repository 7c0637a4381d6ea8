"""The auth and alert services in process, the alert service with AlertSettings of the test's
choosing (outbound guard switch, delivery timeout)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from alert_service.config import AlertSettings
from core.settings import Settings
from tests.harness.clients import asgi_client


@dataclass
class Clients:
    auth: httpx.AsyncClient
    alerts: httpx.AsyncClient


@asynccontextmanager
async def channel_clients(
    settings: Settings, alert_settings: AlertSettings
) -> AsyncIterator[Clients]:
    from alert_service.app import create_app as create_alert_app
    from auth_service.app import create_app as create_auth_app

    open_settings = settings.model_copy(update={"registration_policy": "open"})
    async with (
        asgi_client(create_auth_app(open_settings)) as auth,
        asgi_client(create_alert_app(open_settings, alert_settings)) as alerts,
    ):
        yield Clients(auth, alerts)
