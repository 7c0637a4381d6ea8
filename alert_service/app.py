"""alert_service application factory: `uvicorn --factory alert_service.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from alert_service.routes import alerts, channels, recipient, rules, silences
from core.app_factory import create_service_app
from core.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        "alert_service",
        settings or Settings(),
        [rules.router, recipient.router, alerts.router, silences.router, channels.router],
        title="StatusMonitor alert service",
    )
