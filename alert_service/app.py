"""alert_service application factory: `uvicorn --factory alert_service.app:create_app`."""

from __future__ import annotations

from contextlib import AsyncExitStack

from fastapi import FastAPI

from alert_service.config import AlertSettings
from alert_service.deps import AlertState
from alert_service.routes import alerts, channels, recipient, rules, silences
from core.app_factory import create_service_app
from core.crypto import SecretBox
from core.outbound import platform_stores
from core.settings import Settings
from core.state import AppState


def create_app(settings: Settings | None = None, config: AlertSettings | None = None) -> FastAPI:
    config = config or AlertSettings()

    async def start(core: AppState, stack: AsyncExitStack) -> AlertState:
        box = SecretBox(core.settings.secret_key)
        return AlertState(config, box, platform_stores(core.settings))

    return create_service_app(
        "alert_service",
        settings or Settings(),
        [
            rules.router,
            recipient.router,
            alerts.router,
            silences.router,
            channels.router,
            alerts.at_root,
        ],
        title="StatusMonitor alert service",
        start=start,
    )
