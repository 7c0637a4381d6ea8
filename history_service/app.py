"""history_service application factory: `uvicorn --factory history_service.app:create_app`.

The API only reads; the worker that writes (`python -m history_service.worker`) is a
separate process, so either can be restarted or scaled on its own.
"""

from __future__ import annotations

from contextlib import AsyncExitStack

from fastapi import FastAPI, Request

from core.app_factory import DEFAULT_CHECKS, create_service_app
from core.settings import Settings
from core.state import AppState, service_state
from history_service.config import HistorySettings
from history_service.deps import HistoryState
from history_service.domain.timerange import parse_retention
from history_service.domain.tsdb import VictoriaMetrics, create_client
from history_service.routes import history


def create_app(settings: Settings | None = None, config: HistorySettings | None = None) -> FastAPI:
    settings = settings or Settings()
    config = config or HistorySettings()

    async def start(core: AppState, stack: AsyncExitStack) -> HistoryState:
        client = await stack.enter_async_context(create_client(config.query_timeout_seconds))
        tsdb = VictoriaMetrics(client, core.settings.tsdb_url)
        return HistoryState(config, tsdb, parse_retention(core.settings.tsdb_retention))

    return create_service_app(
        "history_service",
        settings,
        [history.router],
        title="StatusMonitor history service",
        checks={**DEFAULT_CHECKS, "victoria-metrics": _check_tsdb},
        start=start,
    )


async def _check_tsdb(request: Request) -> None:
    await service_state(request.app, HistoryState).tsdb.health()
