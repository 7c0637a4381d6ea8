"""probe_service application factory: `uvicorn --factory probe_service.app:create_app`."""

from __future__ import annotations

from contextlib import AsyncExitStack

from fastapi import FastAPI

from core.app_factory import create_service_app
from core.crypto import SecretBox
from core.errors import DomainError
from core.outbound import platform_stores
from core.settings import Settings
from core.state import AppState
from probe_service.checks._context import check_context
from probe_service.config import ProbeSettings
from probe_service.deps import ProbeState
from probe_service.routes import incidents, monitors, push, python_monitor


def create_app(settings: Settings | None = None, config: ProbeSettings | None = None) -> FastAPI:
    config = config or ProbeSettings()

    async def start(core: AppState, stack: AsyncExitStack) -> ProbeState:
        checks = await stack.enter_async_context(
            check_context(
                config.outbound_allow_private,
                extra_ca_file=config.extra_ca_file,
                own_stores=platform_stores(core.settings),
            )
        )
        return ProbeState(config, SecretBox(core.settings.secret_key), checks)

    app = create_service_app(
        "probe_service",
        settings or Settings(),
        [monitors.router, incidents.router, push.router, python_monitor.router],
        title="StatusMonitor probe service",
        start=start,
    )
    app.add_exception_handler(DomainError, python_monitor.error_envelope)
    return app
