"""Builds every FastAPI service the same way: resources in the lifespan, shared middleware.

The lifespan makes the state (core.state) once: the shared `AppState`, then the service's
own through its `start` factory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware

from core import __version__
from core.db import create_engine, create_sessionmaker, ping
from core.errors import install_error_handlers
from core.inputs import NulInUrlGuard
from core.limits import BodySizeLimitMiddleware
from core.logging import configure_logging, get_logger
from core.observability import ReadinessCheck, install_observability
from core.redis import create_redis
from core.settings import Settings
from core.state import AppState, StateFactory, core_state

log = get_logger(__name__)


async def _check_database(request: Request) -> None:
    await ping(core_state(request.app).engine)


async def _check_redis(request: Request) -> None:
    await core_state(request.app).redis.ping()


DEFAULT_CHECKS: dict[str, ReadinessCheck] = {"database": _check_database, "redis": _check_redis}


def create_service_app(
    name: str,
    settings: Settings,
    routers: Sequence[APIRouter],
    *,
    title: str,
    checks: dict[str, ReadinessCheck] | None = None,
    start: StateFactory | None = None,
) -> FastAPI:
    configure_logging(settings.log_level, name)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings)
        redis = create_redis(settings)
        core = app.state.core = AppState(settings, engine, create_sessionmaker(engine), redis)
        async with AsyncExitStack() as stack:
            # Registered first so they close last, after the service's own cleanups used them.
            stack.push_async_callback(engine.dispose)
            stack.push_async_callback(redis.aclose)
            if start is not None:
                app.state.service = await start(core, stack)
            log.info("service started", version=__version__)
            yield
        log.info("service stopped")

    app = FastAPI(title=title, version=__version__, lifespan=lifespan)
    for router in routers:
        app.include_router(router)
    install_error_handlers(app)
    install_observability(app, name, DEFAULT_CHECKS if checks is None else checks)
    app.add_middleware(NulInUrlGuard)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    # Added last so it is outermost: oversized bodies are refused before anything reads them.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    return app
