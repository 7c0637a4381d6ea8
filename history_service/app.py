"""history_service application factory: `uvicorn --factory history_service.app:create_app`.

The API only reads; the worker that writes (`python -m history_service.worker`) is a
separate process, so either can be restarted or scaled on its own.
"""

from __future__ import annotations

from contextlib import AsyncExitStack

from fastapi import FastAPI, Request

from core.app_factory import DEFAULT_CHECKS, create_service_app
from core.settings import Settings
from history_service.config import HistorySettings
from history_service.deps import HistoryState, get_history
from history_service.domain.tsdb import VictoriaMetrics, create_client
from history_service.routes import history


def create_app(settings: Settings | None = None, config: HistorySettings | None = None) -> FastAPI:
    settings = settings or Settings()
    config = config or HistorySettings()

    async def start_tsdb_client(app: FastAPI, stack: AsyncExitStack) -> None:
        client = await stack.enter_async_context(create_client(config.query_timeout_seconds))
        app.state.history = HistoryState(config, VictoriaMetrics(client, settings.tsdb_url))

    return create_service_app(
        "history_service",
        settings,
        [history.router],
        title="StatusMonitor history service",
        checks={**DEFAULT_CHECKS, "victoria-metrics": _check_tsdb},
        on_startup=[start_tsdb_client],
    )


async def _check_tsdb(request: Request) -> None:
    await get_history(request).tsdb.health()
