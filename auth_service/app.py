"""auth_service application factory: `uvicorn --factory auth_service.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from auth_service.routes import agents, auth, device_monitoring, invitations, organizations
from core.app_factory import create_service_app
from core.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        "auth_service",
        settings or Settings(),
        [
            auth.router,
            device_monitoring.router,
            organizations.router,
            invitations.router,
            agents.router,
        ],
        title="StatusMonitor auth service",
    )
