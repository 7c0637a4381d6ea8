"""ingestion_service application factory: `uvicorn --factory ingestion_service.app:create_app`."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Coroutine
from contextlib import AsyncExitStack
from typing import Any

from fastapi import FastAPI
from redis.asyncio import Redis

from core.agent_auth import AgentIdentity, authenticate_agent_token
from core.app_factory import create_service_app
from core.db import session_scope
from core.redis import create_fail_fast_redis
from core.settings import Settings
from core.state import AppState, StateFactory
from core.tasks import stop_task
from ingestion_service.config import IngestSettings
from ingestion_service.domain.activity import AgentActivity
from ingestion_service.domain.appender import ReportAppender
from ingestion_service.domain.pipeline import Ingestion, StoredSize
from ingestion_service.domain.series import SeriesGate, SeriesLimits
from ingestion_service.domain.timestamps import TimeWindow
from ingestion_service.domain.tokens import AgentTokenCache
from ingestion_service.routes import agent, influx, legacy_clients
from ingestion_service.routes.hotpath import HotPathDispatcher
from ingestion_service.routes.openapi import install_schemas

SERVICE = "ingestion_service"


def _token_cache(core: AppState, redis: Redis, config: IngestSettings) -> AgentTokenCache:
    async def lookup(token: str) -> AgentIdentity | None:
        identity = None
        async for session in session_scope(core.sessionmaker):  # commits a first activation
            identity = await authenticate_agent_token(session, redis, core.settings, token)
        return identity

    return AgentTokenCache(
        lookup,
        ttl=config.token_cache_seconds,
        negative_ttl=config.token_negative_cache_seconds,
        max_size=config.token_cache_size,
    )


def _startup(config: IngestSettings) -> StateFactory:
    async def start(core: AppState, stack: AsyncExitStack) -> Ingestion:
        redis = create_fail_fast_redis(core.settings.redis_url)
        stack.push_async_callback(redis.aclose)
        ingestion = Ingestion(
            tokens=_token_cache(core, redis, config),
            appender=ReportAppender(
                redis,
                maxlen=core.settings.reports_stream_maxlen,
                max_batch=config.append_max_batch,
                once_seconds=config.dedup_seconds,
                once_max_ids=config.dedup_max_ids,
            ),
            activity=AgentActivity(core.sessionmaker),
            window=TimeWindow(config.max_future_seconds, config.max_age_seconds),
            redis=redis,
            retry_after=config.retry_after_seconds,
            recent_messages=config.recent_messages,
            series=SeriesGate(redis, _series_limits(config)),
            stored_size=StoredSize(config.max_report_bytes, config.max_request_report_bytes),
        )
        ingestion.appender.start()
        stack.push_async_callback(ingestion.appender.stop)
        # Callbacks run in reverse: the tasks stop first, then the last activity is written.
        stack.push_async_callback(ingestion.activity.flush)
        _background(stack, ingestion.tokens.listen_for_revocations(redis), "token-revocations")
        _background(stack, ingestion.activity.run(config.activity_flush_seconds), "activity")
        _tune_garbage_collector(stack)
        return ingestion

    return start


def _series_limits(config: IngestSettings) -> SeriesLimits:
    return SeriesLimits(
        config.series_per_agent, config.series_per_org, config.series_window_seconds
    )


def _tune_garbage_collector(stack: AsyncExitStack) -> None:
    """Measured under load: with CPython's defaults the cyclic GC took ~30% of the CPU of an
    ingest, re-scanning the framework's long-lived objects every few hundred requests. Those
    are frozen out of collection once started, and young objects are collected 14x less often
    (requests free almost everything by reference counting anyway). Undone at shutdown, so an
    app run in-process (tests) leaves the interpreter as it found it."""
    stack.callback(gc.set_threshold, *gc.get_threshold())
    stack.callback(gc.unfreeze)
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def _background(stack: AsyncExitStack, coroutine: Coroutine[Any, Any, None], name: str) -> None:
    task = asyncio.create_task(coroutine, name=name)
    stack.push_async_callback(stop_task, task)


def create_app(settings: Settings | None = None, config: IngestSettings | None = None) -> FastAPI:
    settings = settings or Settings()
    config = config or IngestSettings()
    app = create_service_app(
        SERVICE,
        settings,
        [agent.router, legacy_clients.router, influx.router],
        title="StatusMonitor ingestion service",
        start=_startup(config),
    )
    install_schemas(app)
    logging.getLogger("uvicorn.access").disabled = not config.access_log
    # Added last, so it is the outermost middleware: the hot paths skip all the others.
    app.add_middleware(
        HotPathDispatcher,
        routes={**agent.ROUTES, **legacy_clients.ROUTES, **influx.ROUTES},
        max_body_bytes=settings.max_body_bytes,
        service=SERVICE,
    )
    return app
