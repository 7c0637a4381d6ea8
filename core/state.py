"""A service's state, typed and made once at start-up (see core.app_factory).

`AppState` is what every service shares (settings, engine, Redis); the service's own state
object (its config, clients, background work) is reached through a named dependency made by
`state_dependency`, e.g. `HistoryDep = Annotated[HistoryState, Depends(...)]`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import TypeVar

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from core.settings import Settings

S = TypeVar("S")


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    redis: Redis


# Makes a service's own state at start-up (its clients, background tasks); it may register
# cleanups on the stack, which run before the engine and Redis close.
StateFactory = Callable[[AppState, AsyncExitStack], Awaitable[object]]


def core_state(app: Starlette) -> AppState:
    state: AppState = app.state.core
    return state


def service_state(app: Starlette, kind: type[S]) -> S:
    """The service's own state, as its StateFactory made it."""
    state = app.state.service
    if not isinstance(state, kind):
        raise TypeError(f"the app's state is a {type(state).__name__}, not a {kind.__name__}")
    return state


def state_dependency(kind: type[S]) -> Callable[[HTTPConnection], S]:
    """A FastAPI dependency (HTTP and WebSocket alike) for the service's own state."""

    def dependency(connection: HTTPConnection) -> S:
        return service_state(connection.app, kind)

    return dependency
