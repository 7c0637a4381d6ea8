"""Builds every worker process the same way, as core.app_factory does for services.

A worker is an async function of a `WorkerContext`; `run_worker` is its process's `main()`:
settings and logging, the Prometheus metrics server, SIGTERM/SIGINT as a graceful stop, and
the engine, Redis and anything else the worker opened closed after it returned (in reverse
order, by an `AsyncExitStack`). `serve` runs one inside an existing event loop (tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from functools import cached_property
from typing import Generic, TypeVar

from prometheus_client import start_http_server
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core import __version__
from core.db import create_engine, create_sessionmaker
from core.logging import configure_logging, get_logger
from core.redis import create_stream_redis
from core.settings import Settings, WorkerSettings
from core.tasks import stop_task

log = get_logger(__name__)

C = TypeVar("C", bound=WorkerSettings)
T = TypeVar("T")
Job = Callable[[], Awaitable[None]]


class WorkerContext(Generic[C]):
    """What a worker gets: the settings, its service's own `config`, resources made on first
    use and closed after it returned, and the request to stop."""

    def __init__(self, settings: Settings, config: C, stack: AsyncExitStack) -> None:
        self.settings = settings
        self.config = config
        self.stopping = asyncio.Event()
        self._stack = stack
        self._on_stop: list[Callable[[], None]] = []

    @cached_property
    def engine(self) -> AsyncEngine:
        engine = create_engine(self.settings)
        self._stack.push_async_callback(engine.dispose)
        return engine

    @cached_property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        return create_sessionmaker(self.engine)

    @cached_property
    def redis(self) -> Redis:
        """Binary-safe and patient enough for the config's blocking stream reads."""
        redis = create_stream_redis(self.settings, self.config.block_ms)
        self._stack.push_async_callback(redis.aclose)
        return redis

    async def enter(self, resource: AbstractAsyncContextManager[T]) -> T:
        """Opens `resource` (an HTTP client...) for as long as the worker runs."""
        return await self._stack.enter_async_context(resource)

    def on_stop(self, callback: Callable[[], None]) -> None:
        """`callback` asks a part of the worker (a stream consumer...) to finish its work."""
        self._on_stop.append(callback)
        if self.stopping.is_set():
            callback()

    def stop(self) -> None:
        if self.stopping.is_set():
            return
        log.info("worker stopping")
        self.stopping.set()
        for callback in self._on_stop:
            callback()

    async def every(self, seconds: float, job: Job) -> None:
        """Runs `job` every `seconds` until the worker stops; a failure is logged and tried
        again next time."""
        while not self.stopping.is_set():
            try:
                await job()
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                log.warning("periodic job failed", job=job.__name__, error=error)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), seconds)


Worker = Callable[[WorkerContext[C]], Awaitable[None]]


async def serve(
    worker: Worker[C], settings: Settings, config: C, *, stop: asyncio.Event | None = None
) -> None:
    """Runs `worker` until it returns. SIGTERM or SIGINT asks it to stop, or `stop` when one
    is given (a worker inside a test's event loop leaves the signals alone)."""
    async with AsyncExitStack() as stack:
        context = WorkerContext(settings, config, stack)
        if stop is None:
            _stop_on_signals(context, stack)
        else:
            watcher = asyncio.create_task(_stop_when(stop, context))
            stack.push_async_callback(stop_task, watcher)
        log.info("worker started", version=__version__)
        await worker(context)
    log.info("worker stopped")


def run_worker(name: str, worker: Worker[C], config_type: type[C], *, metrics: bool = True) -> None:
    """A worker process's `main()`. `metrics`: serve the config's metrics port (off for a
    second process sharing the config, whose port the first one has)."""
    settings = Settings()
    config = config_type()
    configure_logging(settings.log_level, name)
    if metrics and config.metrics_port:
        start_http_server(config.metrics_port, config.metrics_host)
    asyncio.run(serve(worker, settings, config))


def _stop_on_signals(context: WorkerContext[C], stack: AsyncExitStack) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, context.stop)
        stack.callback(loop.remove_signal_handler, signum)


async def _stop_when(event: asyncio.Event, context: WorkerContext[C]) -> None:
    await event.wait()
    context.stop()
